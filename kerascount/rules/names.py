"""KC109: a name taken from `keras.layers` that no Keras version has, a near miss of one it has. KC114: an attribute
no Keras tensor has."""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from .. import catalogue
from ..ir import Diagnostic, Span
from .analysis import _FromNotes
from .base import Rule, RuleContext
from .legacy_api import guarded_walk

#: The modules that are Keras 3's ``keras.layers`` as written in imports. Keras 2 under another name (``tf_keras``)
#: and the ``experimental`` submodules of TensorFlow 2 (other exports) are left out.
_LAYER_MODULES = frozenset(("keras.layers", "tensorflow.keras.layers", "keras_core.layers"))

#: Names ``keras.layers`` had in Keras 0, 1 or 2 (standalone or tf.keras) that Keras 3 does not have: a file written
#: for that version imports them rightly (KC404 and the analysis's reason speak of those).
_OLDER = frozenset((
    "merge", "Merge", "Recurrent", "ConvRecurrent2D", "SReLU", "ParametricSoftplus", "ThresholdedLinear",
    "AbstractRNNCell", "PeepholeLSTMCell", "CuDNNLSTMCell", "CuDNNGRUCell", "RandomFourierFeatures",
    "experimental", "AutoEncoder", "ContainerLayer", "Container", "MaskedLayer", "TimeDistributedMerge",
    "LSTMCell_v1", "GRUCell_v1", "DenseFeaturesV2", "SequenceFeatures",
    "LocallyConnected3D", "Deconv1D", "Deconvolution1D", "AtrousConv1D", "AtrousConv2D",
))


class UnknownLayersName(Rule):
    CODE = "KC109"
    NAME = "no-such-layer"
    SEVERITY = "error"
    SUMMARY = "A name imported from keras.layers that Keras does not have, a near miss of one it has"
    DOC = """\
## What it does
Finds a name taken from `keras.layers` (`from keras.layers import Maxpooling2D`,
`layers.Dens(10)`, also through `tensorflow.keras.layers` and `keras_core.layers`) that is not a
name of Keras 3's `keras.layers` nor of an earlier Keras, but differs from one of them only by
letter case or by one letter (`flatten` for `Flatten`, `BatchNormalisation` for
`BatchNormalization`). Names of Keras 1 and 2 that Keras 3 dropped (`CuDNNLSTM`, `merge`,
`Deconvolution2D`) are not this rule's: KC404 and the model's reason speak of them. Code under
`try:` or a test of the version is written for several versions on purpose and is left alone.

## Why is this bad?
The import raises `ImportError` (the attribute, `AttributeError`) under every Keras version: the
script stops before it builds anything, and the analysis cannot read the model.

## Example
```python
from keras.layers import Dense, flatten
```

## Use instead
```python
from keras.layers import Dense, Flatten
```
"""
    VALID = ["import keras\nfrom keras.layers import Dense, Flatten, MaxPooling2D\n"
             "m = keras.Sequential([keras.Input((4, 4, 1)), MaxPooling2D(), Flatten(), Dense(2)])\n",
             # a name Keras 2 had: KC404's, not a typo
             "from keras.layers import CuDNNLSTM, Dense\nfrom keras.models import Sequential\n"
             "m = Sequential([CuDNNLSTM(4, input_shape=(5, 3)), Dense(1)])\n",
             # `layers` rebound to a list: its attributes are the list's
             "import keras\nfrom keras import layers\nlayers = [layers.Dense(4)]\nlayers.Append = None\n",
             # written for several versions on purpose
             "try:\n    from keras.layers import Batchnormalization\nexcept ImportError:\n"
             "    from keras.layers import BatchNormalization as Batchnormalization\n"]
    INVALID = ["from keras.layers import Dense, flatten\nfrom keras.models import Sequential\n"
               "m = Sequential([Dense(3, input_shape=(4,)), flatten(), Dense(2)])\n",
               "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.Input((8, 8, 3)), "
               "tf.keras.layers.Conv2D(4, 3), tf.keras.layers.Maxpooling2D(), tf.keras.layers.Flatten()])\n",
               "from tensorflow.keras import layers\nx = layers.BatchNormalisation()\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.tree is None:
            return
        for name, node in _uses(ctx.tree):
            near = near_miss(name)
            if near is None:
                continue
            how = "it raises AttributeError" if isinstance(node, ast.Attribute) else \
                "the import fails (ImportError)"
            yield Diagnostic(self.CODE, self.SEVERITY,
                             f"`keras.layers` has no `{name}` in any Keras version: {how}; did you mean `{near}`?",
                             _span(node, name))


def _span(node: ast.AST, name: str) -> Span:
    if isinstance(node, ast.Attribute):
        end_line, end_col = node.end_lineno or node.lineno, node.end_col_offset or node.col_offset
        return Span(end_line, end_col - len(name) + 1, end_line, end_col + 1)
    return Span(node.lineno, node.col_offset + 1, node.end_lineno or node.lineno, (node.end_col_offset or 0) + 1)


@lru_cache(maxsize=1)
def _exports() -> Tuple[FrozenSet[str], Dict[str, str]]:
    """The names ``keras.layers`` has (Keras 3's, and earlier Keras's), and Keras 3's by their lower-case form."""
    from ..catalogue import legacy, unknown

    names: Set[str] = set(catalogue.LAYER_FUNCTIONS) | set(unknown.NOT_LAYERS) | set(unknown.LEFT_UNKNOWN)
    for spec in catalogue.specs():
        names.add(spec.name)
        names.update(spec.aliases)
    current = {n.lower(): n for n in sorted(names)}
    older = set(unknown.REMOVED) | _OLDER | {p.rsplit(".", 1)[1] for p in legacy.MERGE_PATHS}
    return frozenset(names | older), current


def near_miss(name: str) -> Optional[str]:
    """The Keras 3 ``keras.layers`` name that ``name`` misspells (same letters but for case, or one letter added,
    dropped, changed or two swapped), when ``name`` is no Keras version's; else None."""
    known, current = _exports()
    if name in known or catalogue.known_layers_export(name) or len(name) < 4 or name.startswith("_"):
        return None
    same = current.get(name.lower())
    if same is not None:
        return same
    found = [n for n in current.values() if abs(len(n) - len(name)) <= 1 and _one_edit(name.lower(), n.lower())]
    return found[0] if len(found) == 1 and (name[:1].isupper() or found[0][:1].islower()) else None


def _one_edit(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` (different) one insertion, deletion, substitution or swap of neighbours apart?"""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def _uses(tree: ast.Module) -> List[Tuple[str, ast.AST]]:
    """The names taken from ``keras.layers`` in ``tree``, outside ``try:`` and tests of the version or of
    ``hasattr``: ``from keras.layers import X`` (the import node) and ``<keras.layers>.X`` read (the attribute)."""
    modules: Dict[str, str] = {}  # name bound by an import -> the module path it stands for
    stored: Set[str] = set()
    found: List[Tuple[str, ast.AST]] = []
    attributes: List[ast.Attribute] = []
    nodes, flags = guarded_walk(tree)
    for node, guarded in zip(nodes, flags):
        kind = type(node)
        if kind is ast.Import:
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    modules[head] = head
        elif kind is ast.ImportFrom:
            if node.module and not node.level:
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    if node.module in _LAYER_MODULES and not guarded:
                        found.append((alias.name, alias if hasattr(alias, "lineno") else node))
        elif kind is ast.Name:
            if not isinstance(node.ctx, ast.Load):
                stored.add(node.id)
        elif kind is ast.Attribute:
            if isinstance(node.ctx, ast.Load) and not guarded:
                attributes.append(node)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
            args = node.args
            stored.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                          *filter(None, (args.vararg, args.kwarg))))
    for node in attributes:
        path = _module_path(node.value, modules, stored)
        if path in _LAYER_MODULES:
            found.append((node.attr, node))
    found.sort(key=lambda f: (f[1].lineno, f[1].col_offset))
    return found


def _module_path(expr: ast.expr, modules: Dict[str, str], stored: Set[str]) -> Optional[str]:
    """The module ``expr`` names (``tf.keras.layers`` → ``tensorflow.keras.layers``), through import bindings never
    rebound in the file; None for anything else."""
    parts: List[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name) or expr.id not in modules or expr.id in stored:
        return None
    path = ".".join([modules[expr.id], *reversed(parts)])
    if path.startswith("tensorflow.") or path == "tensorflow":
        return path
    if path.startswith("tf."):
        return "tensorflow." + path[3:]
    return path


class NoSuchTensorAttribute(_FromNotes):
    CODE = "KC114"
    NAME = "no-such-tensor-attribute"
    SEVERITY = "error"
    SUMMARY = "An attribute read on a Keras tensor that no Keras tensor has: Python raises AttributeError"
    DOC = """\
## What it does
Finds `x.depth` (any attribute that is not one of a tensor's) where `x` is, at that point, the
output of `keras.Input` or of a layer Keras defines: most often a name reused, first for a
settings object and later for a tensor (`h = Hp(); ...; h = Dense(8)(h)`). The attributes of Keras
3's tensors, of tf.keras 2's and TensorFlow's (eager, ragged and sparse ones too), NumPy's methods
and Theano's are all accepted, and so is an attribute the file sets anywhere (a tensor takes new
attributes). The output of a custom or `Lambda` layer may be any object and is left alone, as is
code under a `try:` that handles the error, or in a function nothing calls.

## Why is this bad?
The line raises `AttributeError: 'KerasTensor' object has no attribute 'depth'`: the script stops
there, and the models after it are never built.

## Example
```python
cfg = Config(depth=2)
inputs = keras.Input(shape=(16,))
cfg = layers.Dense(32)(inputs)  # `cfg` is a tensor from here on
blocks = [layers.Dense(32) for _ in range(cfg.depth)]
```

## Use instead
```python
cfg = Config(depth=2)
inputs = keras.Input(shape=(16,))
x = layers.Dense(32)(inputs)
blocks = [layers.Dense(32) for _ in range(cfg.depth)]
```
"""
    VALID = ["import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(3)(x)\n"
             "n = y.shape[-1] + len(y.get_shape()) + y.ndim\nz = y.dtype, y.name\n",
             # the code sets the attribute: a KerasTensor takes it
             "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(3)(x)\ny.tag_note = 1\nprint(y.tag_note)\n",
             # handled by the code
             "import keras\nx = keras.Input((4,))\ntry:\n    d = x.depth\nexcept AttributeError:\n    d = 2\n",
             # a Lambda layer may return any object
             "import keras\nx = keras.Input((4,))\ny = keras.layers.Lambda(lambda t: t)(x)\nprint(y.depth)\n"]
    INVALID = ["import keras\nh = keras.Input((4,))\nh = keras.layers.Dense(3)(h)\n"
               "m = keras.Sequential([keras.layers.Dense(h.units)])\n",
               "import keras\nx = keras.Input((4,))\nprint(x.output_shape)\n"]


RULES = [UnknownLayersName, NoSuchTensorAttribute]
