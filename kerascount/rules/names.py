"""KC109: a name taken from `keras.layers` that no Keras version has, a near miss of one it has. KC114: an attribute
no Keras tensor has. KC115: a call of a function of the file its signature rejects. KC116: an assignment to a
property of Keras's without setter. KC118: a layer object used where Keras needs a tensor."""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from .. import catalogue
from ..ir import Diagnostic, Span
from .analysis import _FromNotes
from .base import Rule, RuleContext
from .legacy_api import _LAYER_SUBMODULES, guarded_walk

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
             # a Keras 2 submodule of keras.layers, not a typo of Normalization
             "import keras\nx = keras.Input((8, 4))\ny = keras.layers.normalization.BatchNormalization()(x)\n",
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
    # Keras 2's submodules of keras.layers (`keras.layers.normalization.BatchNormalization()` ran on Keras 2.2)
    older = set(unknown.REMOVED) | _OLDER | _LAYER_SUBMODULES | {p.rsplit(".", 1)[1] for p in legacy.MERGE_PATHS}
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


class CallSignatureMismatch(_FromNotes):
    CODE = "KC115"
    NAME = "call-signature-mismatch"
    SEVERITY = "error"
    SUMMARY = "A call of a function of the file that its signature rejects: Python raises TypeError"
    DOC = """\
## What it does
Finds a call of a function or method the file defines (a model builder, a block helper, a settings
class's `__init__`) that its parameters cannot take: more arguments by position than it
has, a keyword no parameter has (and no `**kwargs`), a parameter given twice, or one without a default
not given at all. Most often a helper's signature changed and one caller was left behind, or a
keyword is misspelt (`use_auxilary_branch=`). Calls under a `try:` that handles the error and calls
in functions nothing calls are left alone, as are calls with `*args`/`**kwargs` whose contents are
not known. A function of another module of the project is not reported (the module read may be a
namesake of the one Python imports), but what the call returns is not known either. A custom layer given more tensors by position than its `call` takes is KC103 (Keras
raises before building).

## Why is this bad?
Python raises `TypeError` at the call: the script stops there, and the models after it are never
built.

## Example
```python
def conv_block(x, filters, kernel_size=3):
    return layers.Conv2D(filters, kernel_size, activation="relu")(x)

x = conv_block(inputs, 32, 3, "same")
```

## Use instead
```python
def conv_block(x, filters, kernel_size=3, padding="valid"):
    return layers.Conv2D(filters, kernel_size, padding=padding, activation="relu")(x)

x = conv_block(inputs, 32, 3, "same")
```
"""
    VALID = ["import keras\ndef block(x, units, act='relu'):\n    return keras.layers.Dense(units, activation=act)(x)\n"
             "a = keras.Input((4,))\nm = keras.Model(a, block(a, 3, act='tanh'))\n",
             # *args and **kwargs take the rest
             "import keras\ndef block(x, *sizes, **options):\n    return keras.layers.Dense(sizes[0], **options)(x)\n"
             "a = keras.Input((4,))\nm = keras.Model(a, block(a, 3, 5, activation='relu'))\n",
             # handled by the code
             "import keras\ndef block(x, units):\n    return keras.layers.Dense(units)(x)\n"
             "a = keras.Input((4,))\ntry:\n    y = block(a, 3, 4)\nexcept TypeError:\n    y = block(a, 3)\n"
             "m = keras.Model(a, y)\n",
             # a custom layer's call given training it does not take: Keras's __call__ takes it away
             "import keras\nclass P(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
             "        self.d = keras.layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\n"
             "a = keras.Input((4,))\nm = keras.Model(a, P()(a, training=True))\n"]
    INVALID = ["import keras\ndef block(x, units, act='relu'):\n    return keras.layers.Dense(units, activation=act)(x)\n"
               "a = keras.Input((4,))\nm = keras.Model(a, block(a, 3, 'relu', 0.1))\n",
               "import keras\ndef block(x, units, act='relu'):\n    return keras.layers.Dense(units, activation=act)(x)\n"
               "a = keras.Input((4,))\nm = keras.Model(a, block(a, 3, activation='tanh'))\n",
               "import keras\ndef block(x, units, act='relu'):\n    return keras.layers.Dense(units, activation=act)(x)\n"
               "a = keras.Input((4,))\nm = keras.Model(a, block(a))\n",
               "import keras\nclass Settings:\n    def __init__(self, width):\n        self.width = width\n"
               "s = Settings(8, 16)\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(s.width)])\n"]


class ReadOnlyKerasAttribute(_FromNotes):
    CODE = "KC116"
    NAME = "read-only-keras-attribute"
    SEVERITY = "error"
    SUMMARY = "An assignment to a property Keras 3 gives no setter (`model.outputs = ...`, `self.trainable_weights = ...`)"
    DOC = """\
## What it does
Finds an assignment to an attribute that Keras 3 defines as a read-only property, on a layer or a
model: `input`, `output`, `weights`, `trainable_weights`, `non_trainable_weights`, `variables`,
`losses`, `metrics`, `dtype` of any layer or model; also `inputs`, `outputs`, `input_shape`,
`output_shape` and `layers` of a functional model or a `Sequential` (and `layers` of a subclassed
model). Two habits of older code meet it: cutting a model's head with `model.outputs =
[model.layers[-2].output]`, and a Keras 1 custom layer listing its weights with
`self.trainable_weights = [self.W]` in `build`. A class of the file that defines the name itself is
left alone, as is code under a `try:` that handles the error, or in a function nothing calls. The
assignment may be in a class of another file of the project (a library's model class setting
`self.layers = []`): the finding is then at this file's call that runs it, where the script stops.

## Why is this bad?
Keras 3 raises `AttributeError: property 'outputs' of 'Functional' object has no setter`: the
script stops there, and the models after it (for a custom layer's `build`, the model using the
layer) are never built.

## Example
```python
base = keras.applications.VGG16(include_top=True, weights=None)
base.outputs = [base.layers[-2].output]
features = keras.Model(base.input, base.output)
```

## Use instead
```python
base = keras.applications.VGG16(include_top=True, weights=None)
features = keras.Model(base.input, base.layers[-2].output)
```
"""
    VALID = ["import keras\na = keras.Input((4,))\nb = keras.layers.Dense(3)(a)\nm = keras.Model(a, b)\n"
             "cut = keras.Model(m.input, m.layers[-1].output)\n",
             # a subclassed model's inputs and outputs are plain attributes
             "import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
             "        self.outputs = []\n        self.d = keras.layers.Dense(2)\n    def call(self, x):\n"
             "        return self.d(x)\nm = M()\nm(keras.Input((3,)))\n",
             # a class of the file defines the name
             "import keras\nclass L(keras.layers.Layer):\n    metrics = ()\n    def call(self, x):\n"
             "        self.metrics = [x]\n        return x\na = keras.Input((3,))\nm = keras.Model(a, L()(a))\n"]
    INVALID = ["import keras\na = keras.Input((4,))\nh = keras.layers.Dense(3)(a)\nb = keras.layers.Dense(2)(h)\n"
               "m = keras.Model(a, b)\nm.outputs = [m.layers[-2].output]\n",
               "import keras\nclass Scale(keras.layers.Layer):\n    def build(self, shape):\n"
               "        self.g = self.add_weight(shape=(shape[-1],))\n        self.trainable_weights = [self.g]\n"
               "    def call(self, x):\n        return x * self.g\na = keras.Input((3,))\n"
               "m = keras.Model(a, Scale()(a))\n"]


class LayerNotCalled(_FromNotes):
    CODE = "KC118"
    NAME = "layer-not-called"
    SEVERITY = "error"
    SUMMARY = "A layer object used where Keras needs a tensor (`Concatenate()[q, a]`, `Model(inp, Dense(4))`)"
    DOC = """\
## What it does
Finds a layer that was made but never called, used where a tensor belongs:
- indexed with square brackets, `layers.Concatenate()[q, a]` for `layers.Concatenate()([q, a])`;
- given to another layer's call, `Dense(4)(drop)` after `drop = Dropout(0.5)` without its `(x)`;
- given to `keras.Model(inputs, outputs)` as an input or an output, `x = Dense(4)` and then `Model(inp, x)`.

Layers of Keras's own are checked (and, for indexing, those of a class of the file that defines no
`__getitem__`); a nested model, code under a `try:` that handles the error, and a function nothing calls
are left alone.

## Why is this bad?
A layer object is not its output. Python raises `TypeError: 'Concatenate' object is not
subscriptable`; Keras 3 raises `ValueError: Only input tensors may be passed as positional
arguments` for a layer given to a layer, and `ValueError: All `outputs` values must be KerasTensors`
for one given to `Model`. The script stops there, and no model after it is built.

## Example
```python
q = keras.Input((8,))
a = keras.Input((8,))
x = layers.Concatenate()[q, a]
y = layers.Dense(4)
model = keras.Model([q, a], y)
```

## Use instead
```python
q = keras.Input((8,))
a = keras.Input((8,))
x = layers.Concatenate()([q, a])
y = layers.Dense(4)(x)
model = keras.Model([q, a], y)
```
"""
    VALID = ["import keras\nq = keras.Input((4,))\na = keras.Input((4,))\nx = keras.layers.Concatenate()([q, a])\n"
             "m = keras.Model([q, a], keras.layers.Dense(2)(x))\nfirst = m.layers[0]\n",
             # a class of the file that defines indexing
             "import keras\nclass Table(keras.layers.Layer):\n    def __getitem__(self, i):\n        return i\n"
             "    def call(self, x):\n        return x\nrow = Table()[2]\n",
             # handled by the code
             "import keras\nd = keras.layers.Dense(2)\ntry:\n    y = d[0]\nexcept TypeError:\n    y = None\n"]
    INVALID = ["import keras\nq = keras.Input((4,))\na = keras.Input((4,))\nx = keras.layers.Concatenate()[q, a]\n",
               "import keras\ninp = keras.Input((4,))\nx = keras.layers.Dense(8)(inp)\nx = keras.layers.Dense(2)\n"
               "m = keras.Model(inp, x)\n",
               "import keras\ninp = keras.Input((4,))\ndrop = keras.layers.Dropout(0.5)\n"
               "y = keras.layers.Dense(2)(drop)\n"]


RULES = [UnknownLayersName, NoSuchTensorAttribute, CallSignatureMismatch, ReadOnlyKerasAttribute, LayerNotCalled]
