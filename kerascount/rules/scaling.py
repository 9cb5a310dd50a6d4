"""KC705, KC706: the pixels and labels of the image data sets of ``keras.datasets``, scaled or not.

``(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()`` gives images as integers
0-255 and labels as class indices. These rules follow the two names through the file's text (not
through the interpreter): an image array that reaches ``fit`` only through reshapes, type casts and
slices was never scaled; a label array divided by a number is no longer a class index. Any other
use of an image array (given to a function, combined into another array, scaled in place) leaves
the rule silent: it may have been scaled there.

KC710 reads the same calls' text for Python lists made by ``.tolist()`` given as the data.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, Iterator, List, Optional, Set, Tuple

from ..ir import Diagnostic, ModelResult
from .base import Rule, RuleContext, sequence_known
from .legacy_api import _span
from .source import _index_tree, dotted, walk

#: keras.datasets modules whose load_data gives (images 0-255, class indices), and their number of classes
#: (cifar100's fine labels: load_data() without arguments).
_IMAGE_SETS = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100}
#: Calls and methods that keep the values of an array (its pixels stay 0-255).
_KEEPING_METHODS = {"reshape", "astype", "squeeze", "copy", "transpose", "swapaxes"}
_KEEPING_FUNCTIONS = {"reshape", "expand_dims", "array", "asarray", "squeeze", "float32", "convert_to_tensor",
                      "cast", "transpose"}
#: Methods of a model that take the images as their first argument: where they train, and where they do not.
_DATA_METHODS = {"fit", "fit_generator", "train_on_batch"}
_OTHER_DATA_METHODS = {"evaluate", "predict", "test_on_batch", "predict_on_batch"}
#: Methods of a model that take labels as their second argument.
_LABEL_METHODS = {"fit", "train_on_batch", "evaluate", "test_on_batch"}
#: Layers that scale or normalise what the model receives (or whose effect is not known).
_SCALING_LAYERS = {"Rescaling", "Normalization", "BatchNormalization", "LayerNormalization", "GroupNormalization",
                   "UnitNormalization", "Lambda", "TimeDistributed"}
#: Words that show the file scales images some other way (ImageDataGenerator(rescale=), preprocess_input).
_SCALED_ELSEWHERE = ("rescale", "Rescaling", "preprocess_input", "per_image_standardization", "normalize")

_LOAD = ("import keras\nfrom keras import layers\n"
         "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n")
_MODEL = ("model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(64, activation='relu'),\n"
          "                          layers.Dense(10, activation='softmax')])\n"
          "model.compile('adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n")


class _Loaded:
    """The names one `load_data()` of an image data set binds."""

    def __init__(self, dataset: str, images: List[ast.Name], labels: List[ast.Name], line: int):
        self.dataset, self.images, self.labels, self.line = dataset, images, labels, line


@lru_cache(maxsize=1)
def _scan(tree: ast.Module) -> Tuple[Tuple[_Loaded, ...], Dict[int, ast.AST]]:
    """The image data sets loaded in the file, and each node's parent."""
    parents: Dict[int, ast.AST] = {}
    loaded: List[_Loaded] = []
    assigned = _index_tree(tree)[1]
    imported = {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom) and node.module and
                node.module.split(".")[-1] == "datasets" for a in node.names}
    nodes, parent_of = walk(tree)
    for child, parent in zip(nodes, parent_of):
        if parent is not None:
            parents[id(child)] = parent
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
            dataset = _dataset(node.value, assigned, imported)
            pairs = node.targets[0]
            if dataset is None or not isinstance(pairs, (ast.Tuple, ast.List)) or len(pairs.elts) != 2:
                continue
            images, labels = [], []
            for pair in pairs.elts:
                if isinstance(pair, (ast.Tuple, ast.List)) and len(pair.elts) == 2:
                    if isinstance(pair.elts[0], ast.Name):
                        images.append(pair.elts[0])
                    if isinstance(pair.elts[1], ast.Name):
                        labels.append(pair.elts[1])
            loaded.append(_Loaded(dataset, images, labels, node.lineno))
    return tuple(loaded), parents


def _dataset(call: ast.Call, assigned, imported: Set[str]) -> Optional[str]:
    """`mnist` for `keras.datasets.mnist.load_data()`, `tf.keras.datasets.mnist.load_data()`, or `mnist.load_data()`
    with `mnist` imported from a datasets module or assigned `tf.keras.datasets.mnist` once."""
    name = dotted(call.func)
    if name is None or call.args or call.keywords or not name.endswith(".load_data"):
        return None
    parts = name.split(".")[:-1]
    if len(parts) == 1 and parts[0] not in imported:
        # `fashion = tf.keras.datasets.fashion_mnist` assigned once, then `fashion.load_data()`
        parts = (dotted(assigned.get(parts[0])) or "").split(".")
    if "datasets" not in parts and not (len(parts) == 1 and parts[0] in imported):
        return None
    return parts[-1] if parts[-1] in _IMAGE_SETS else None


def _loads(ctx: RuleContext) -> Tuple[Tuple[_Loaded, ...], Dict[int, ast.AST]]:
    if ctx.tree is None or "load_data" not in ctx.source:
        return (), {}
    return _scan(ctx.tree)


def _uses(tree: ast.Module, name: str) -> List[ast.Name]:
    return [n for n in walk(tree)[0] if isinstance(n, ast.Name) and n.id == name]


class UnscaledImages(Rule):
    CODE = "KC705"
    NAME = "unscaled-image-data"
    #: A note: models often still train on raw pixels (Adam, ReLU), only slower and worse; on the fixed programs of
    #: SFData, raw MNIST was common in code its authors ran as intended.
    SEVERITY = "info"
    SUMMARY = "Images of keras.datasets (integers 0-255) given to fit without scaling"
    DOC = """\
## What it does
Follows the images that `load_data()` of `keras.datasets.mnist`, `fashion_mnist`, `cifar10`
or `cifar100` returns to `model.fit`. When they reach it only through reshapes, `astype`
and slices (never divided, standardised, or given to another function) and the model has
no `Rescaling`, `Normalization` or `BatchNormalization` layer, the model trains on the raw
pixel values 0-255.

## Why is this bad?
Keras's default initialisers expect inputs of about unit scale. Pixels up to 255 make
the first layer's outputs hundreds of times larger: the softmax saturates and gradients
vanish or explode. With SGD or saturating activations training often stalls near chance
accuracy (10% on MNIST) or gives NaN; with Adam and ReLU it usually still trains, slower
and to a worse accuracy. That is why this is an info note, not a warning: on the fixed
programs of the SFData benchmark raw MNIST pixels were common in code that ran as intended.
Missing input normalisation is one of the data faults of Islam et al. (FSE 2019) and
Humbatova et al. (ICSE 2020), and a fault class of the DeepLocalize benchmark (Wardat et
al., ICSE 2021).

## Example
```python
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
model.fit(x_train, y_train, epochs=5)
```

## Use instead
```python
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255
model.fit(x_train, y_train, epochs=5)
```
or put `layers.Rescaling(1 / 255)` first in the model.
"""
    VALID = [_LOAD + _MODEL + "x_train = x_train.astype('float32') / 255\nmodel.fit(x_train, y_train, epochs=1)\n",
             _LOAD + "x_train = x_train.reshape(-1, 784)\n"
             "model = keras.Sequential([keras.Input((784,)), layers.Rescaling(1 / 255), layers.Dense(10)])\n"
             "model.compile('adam', loss='mse')\nmodel.fit(x_train, y_train)\n",
             _LOAD + _MODEL + "x_train = preprocess(x_train)\nmodel.fit(x_train, y_train)\n",
             _LOAD + _MODEL + "x_train /= 255.0\nmodel.fit(x_train, y_train)\n"]
    INVALID = [_LOAD + _MODEL + "model.fit(x_train, y_train, epochs=1)\n",
               _LOAD + _MODEL + "x_train = x_train.reshape(60000, 28, 28).astype('float32')\n"
               "model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        loaded, parents = _loads(ctx)
        if not loaded or any(word in ctx.source for word in _SCALED_ELSEWHERE):
            return
        reported: Set[int] = set()
        for item in loaded:
            for target in item.images:
                for call in _raw_fits(ctx.tree, target, parents):
                    model = _trained(ctx, call)
                    if id(call) in reported or model is None or not _unscaled_model(model):
                        continue
                    reported.add(id(call))
                    yield self.report(_span(call), f"{target.id} holds the pixels of keras.datasets.{item.dataset} "
                                      f"(line {item.line}: integers 0-255) and reaches {call.func.attr} "  # type: ignore
                                      "unscaled: the first layer's outputs are hundreds of times too large, which slows "
                                      f"or stalls training; use {target.id} = {target.id}.astype('float32') / 255, "
                                      "or put layers.Rescaling(1 / 255) first in the model")


def _raw_fits(tree: ast.Module, target: ast.Name, parents: Dict[int, ast.AST], role: int = 0) -> List[ast.Call]:
    """The `model.fit(target, ...)` calls that get the array as loaded (``role`` 0: as x, 1: as y); none if any
    use may change its values."""
    collected, passed = (_DATA_METHODS, _OTHER_DATA_METHODS) if role == 0 else (_LABEL_METHODS, ())
    fits: List[ast.Call] = []
    for use in _uses(tree, target.id):
        if use is target:
            continue
        if isinstance(use.ctx, ast.Store):
            parent = parents.get(id(use))
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.targets[0] is use and \
                    _keeps(parent.value, target.id):
                continue  # x = x.reshape(...).astype("float32")
            return []
        if not isinstance(use.ctx, ast.Load):
            return []
        node: ast.AST = use
        parent = parents.get(id(node))
        while True:  # climb through the operations that keep the pixel values
            if isinstance(parent, ast.Attribute) and parent.attr == "shape":
                break
            if isinstance(parent, ast.Attribute) and parent.attr in _KEEPING_METHODS:
                call = parents.get(id(parent))
                if not isinstance(call, ast.Call) or call.func is not parent:
                    return []
                node, parent = call, parents.get(id(call))
                continue
            if isinstance(parent, ast.Subscript) and parent.value is node:
                node, parent = parent, parents.get(id(parent))
                continue
            if isinstance(parent, ast.Call) and node in parent.args and \
                    (dotted(parent.func) or "").rsplit(".", 1)[-1] in _KEEPING_FUNCTIONS and parent.args[0] is node:
                node, parent = parent, parents.get(id(parent))
                continue
            break
        if isinstance(parent, ast.Attribute) and parent.attr == "shape":
            continue
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("print", "len"):
            continue
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and \
                isinstance(parent.targets[0], ast.Name) and parent.targets[0].id == target.id:
            continue  # the reassignment itself, checked at its Store
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and \
                isinstance(parent.func.value, ast.Name) and (parent.args[role:role + 1] == [node] or any(
                    k.arg == "xy"[role] and k.value is node for k in parent.keywords)):
            if parent.func.attr in collected:
                fits.append(parent)
                continue
            if parent.func.attr in passed:
                continue
        if isinstance(parent, ast.Tuple) and isinstance(parents.get(id(parent)), ast.keyword) and \
                parents[id(parent)].arg == "validation_data":  # type: ignore[union-attr]
            continue
        return []
    return fits


def _keeps(value: ast.expr, name: str) -> bool:
    """`value` is `name` through reshapes, casts and slices only."""
    while True:
        if isinstance(value, ast.Name):
            return value.id == name
        if isinstance(value, ast.Subscript):
            value = value.value
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                value.func.attr in _KEEPING_METHODS:
            value = value.func.value
        elif isinstance(value, ast.Call) and value.args and \
                (dotted(value.func) or "").rsplit(".", 1)[-1] in _KEEPING_FUNCTIONS:
            value = value.args[0]
        else:
            return False


def _unscaled_model(model: ModelResult) -> bool:
    """A model whose layers are all known and none scales or normalises its input."""
    if not model.rows or not sequence_known(model) or model.model.kind not in ("sequential", "functional"):
        return False
    return all(row.layer.known and not row.nested and row.layer.type not in _SCALING_LAYERS for row in model.rows)


class ScaledLabels(Rule):
    CODE = "KC706"
    NAME = "labels-scaled-like-pixels"
    SEVERITY = "warning"
    SUMMARY = "Class labels of keras.datasets divided by a number, as if they were pixels"
    DOC = """\
## What it does
Finds the labels that `load_data()` of `keras.datasets.mnist`, `fashion_mnist`, `cifar10`
or `cifar100` returns (class indices 0-9 or 0-99) divided by a number (`y_train / 255`,
`y_train /= 255`), usually a copy of the line that scales the images.

## Why is this bad?
The labels stop being class indices: `sparse_categorical_crossentropy` casts them to
integers (all become 0), `to_categorical` rejects or truncates them, and the model learns
one class. The loss looks fine while the accuracy stays at chance. A case of the
DeepLocalize benchmark (Wardat et al., ICSE 2021) and of the data faults of Humbatova et
al. (ICSE 2020).

## Example
```python
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255
y_train = y_train / 255
```

## Use instead
```python
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255
x_test = x_test / 255
```
"""
    VALID = [_LOAD + "x_train = x_train / 255\nx_test = x_test / 255\n",
             _LOAD + "y_train = keras.utils.to_categorical(y_train, 10)\n"]
    INVALID = [_LOAD + "x_train = x_train / 255\ny_train = y_train / 255\n",
               _LOAD + "y_test = y_test.astype('float32')\ny_test /= 255.0\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        loaded, parents = _loads(ctx)
        for item in loaded:
            names = {n.id for n in item.labels}
            for node in walk(ctx.tree)[0]:
                divided = None
                if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div) and \
                        isinstance(node.target, ast.Name) and node.target.id in names and _constant(node.value):
                    divided = node.target.id
                elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and \
                        isinstance(node.left, ast.Name) and node.left.id in names and _constant(node.right):
                    divided = node.left.id
                if divided is not None:
                    yield self.report(_span(node), f"{divided} holds the class labels of keras.datasets."
                                      f"{item.dataset} (line {item.line}: class indices); divided by a number they "
                                      "are no longer classes and the model learns one class; scale the images "
                                      "only")


def _trained(ctx: RuleContext, call: ast.Call) -> Optional[ModelResult]:
    """The model ``name.fit(...)`` (or evaluate) trains: the one model of that name, or of several (a notebook that
    binds ``model`` again), the one whose recorded data calls hold this call; None when that is not known."""
    name = call.func.value.id  # type: ignore[attr-defined]
    named = [m for m in ctx.models if m.model.name == name]
    if len(named) <= 1:
        return named[0] if named else None
    at = (call.lineno, call.col_offset + 1)
    held = [m for m in named if any((d.span.line, d.span.column) == at for d in m.model.data_calls)]
    return held[0] if len(held) == 1 else None


def _constant(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) and expr.value not in (0, 1)


class LabelsExceedOutput(Rule):
    CODE = "KC707"
    NAME = "labels-exceed-output"
    SEVERITY = "warning"
    SUMMARY = "Class labels of keras.datasets with more classes than the output can represent"
    DOC = """\
## What it does
Follows the labels that `load_data()` of `keras.datasets.mnist`, `fashion_mnist`, `cifar10`
(10 classes) or `cifar100` (100) returns to `fit` or `evaluate`, unchanged (through reshapes,
casts and slices only), and compares them with the model's output and loss: a
`sparse_categorical_crossentropy` output with fewer units than classes, or a
`binary_crossentropy` output of one unit (labels 0 to 9 where the loss expects 0 or 1).

## Why is this bad?
With too few units, labels beyond the last unit are out of range: the TensorFlow backend
raises ("Received a label value of 9 which is outside the valid range of [0, 5)"), JAX
and NumPy compute a wrong loss without a word. Binary cross-entropy on labels up to 9
trains towards targets a sigmoid cannot reach, and its accuracy means nothing. A wrong
loss or output size for the number of classes is among the most frequent faults of
Islam et al. (FSE 2019) and Humbatova et al. (ICSE 2020).

## Example
```python
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="binary_crossentropy")
model.fit(x_train / 255, y_train)
```

## Use instead
```python
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile("adam", loss="sparse_categorical_crossentropy")
```
"""
    VALID = [_LOAD + _MODEL + "model.fit(x_train / 255, y_train)\n",
             _LOAD + _MODEL.replace("Dense(10,", "Dense(1,").replace("softmax", "sigmoid").replace(
                 "sparse_categorical_crossentropy", "binary_crossentropy") +
             "model.fit(x_train / 255, (y_train == 3).astype('float32'))\n",
             # the name bound again afterwards (a notebook's next part) to a binary model the labels never reach
             _LOAD + _MODEL + "model.fit(x_train / 255, y_train)\nmodel.evaluate(x_test / 255, y_test)\n" +
             _MODEL.replace("Dense(10,", "Dense(1,").replace("softmax", "sigmoid").replace(
                 "sparse_categorical_crossentropy", "binary_crossentropy")]
    INVALID = [_LOAD + _MODEL.replace("Dense(10,", "Dense(5,") + "model.fit(x_train / 255, y_train)\n",
               _LOAD + _MODEL.replace("Dense(10,", "Dense(1,").replace("softmax", "sigmoid").replace(
                   "sparse_categorical_crossentropy", "binary_crossentropy") +
               "model.fit(x_train / 255, y_train.reshape(-1, 1))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .heads import declared_units, loss_of, output_head

        loaded, parents = _loads(ctx)
        reported: Set[int] = set()
        for item in loaded:
            classes = _IMAGE_SETS[item.dataset]
            for target in item.labels:
                for call in _raw_fits(ctx.tree, target, parents, role=1):
                    model = _trained(ctx, call)
                    if model is None or id(model) in reported or model.model.compile is None:
                        continue  # one finding per model: its first training or evaluation on the labels
                    loss, head = loss_of(model), output_head(ctx, model)
                    if loss is None or head is None:
                        continue
                    units = declared_units(ctx, model, head[0])
                    if type(units) is not int:
                        continue
                    where = f"{target.id} holds the class labels of keras.datasets.{item.dataset} (0 to {classes - 1})"
                    if loss[0] == "sparse_categorical_crossentropy" and units < classes:
                        why = (f"but {head[0].layer.name} has {units} unit{'s' if units != 1 else ''}: labels from "
                               f"{units} up are out of range; give it {classes} units")
                    elif loss[0] == "binary_crossentropy" and units == 1:
                        why = (f"but the loss is binary_crossentropy on one unit (labels 0 or 1); use {classes} "
                               "softmax units with sparse_categorical_crossentropy")
                    else:
                        continue
                    reported.add(id(model))
                    yield self.report(_span(call), f"{where}, given to {call.func.attr}, {why}")  # type: ignore


class InputShapeWithSamples(Rule):
    CODE = "KC708"
    NAME = "input-shape-includes-samples"
    SEVERITY = "warning"
    SUMMARY = "input_shape= taken from the whole data array's shape, sample axis included"
    DOC = """\
## What it does
Finds `input_shape=X.shape` (or `X.values.shape`) on a layer, and `Input(shape=X.shape)`, where
`X` is an array the file gives to `fit` or `evaluate` as its data: its first axis is the number
of samples.

## Why is this bad?
`input_shape` is the shape of *one* sample; Keras adds the batch axis itself. With the whole
array's shape the model expects inputs with one axis too many: `(None, 1000, 28, 28)` for
images of `(28, 28)`. Keras then raises at `fit` ("expected ndim=4, found ndim=3"), or, where
it can fit the data in by adding an axis of size 1, builds a model for another sample shape
than the data's. A frequent crash of the SFData benchmark of shape faults (Wu et al., ISSTA
2021) and of Stack Overflow questions.

## Example
```python
model.add(layers.Dense(16, input_shape=x_train.shape))
model.fit(x_train, y_train)
```

## Use instead
```python
model.add(layers.Dense(16, input_shape=x_train.shape[1:]))
```
"""
    VALID = ["import numpy as np\nimport keras\nfrom keras import layers\nx = np.zeros((100, 8))\n"
             "m = keras.Sequential([layers.Dense(4, input_shape=x.shape[1:]), layers.Dense(1)])\n"
             "m.compile('adam', loss='mse')\nm.fit(x, np.zeros(100))\n",
             "import numpy as np\nimport keras\nfrom keras import layers\nimage = np.zeros((28, 28, 1))\n"
             "m = keras.Sequential([layers.Conv2D(4, 3, input_shape=image.shape), layers.Flatten(), layers.Dense(1)])\n"
             "m.predict(image[None])\n"]
    INVALID = ["import numpy as np\nimport keras\nfrom keras import layers\nx = np.zeros((100, 8))\n"
               "m = keras.Sequential([layers.Dense(4, input_shape=x.shape), layers.Dense(1)])\n"
               "m.compile('adam', loss='mse')\nm.fit(x, np.zeros(100))\n",
               "import numpy as np\nimport keras\nx = np.zeros((100, 8))\ninputs = keras.Input(shape=x.shape)\n"
               "m = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nm.compile('adam', loss='mse')\n"
               "m.evaluate(x=x, y=np.zeros(100))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.tree is None or ".shape" not in ctx.source or not (ctx.ir.layers or ctx.ir.models):
            return
        data = _data_names(ctx.tree)
        if not data:
            return
        for call in _index_tree(ctx.tree)[0].values():
            callee = (dotted(call.func) or "").rsplit(".", 1)[-1]
            expr = None
            for kw in call.keywords:
                if kw.arg == "input_shape" or kw.arg == "shape" and callee == "Input":
                    expr = kw.value
            if expr is None and callee == "Input" and call.args:
                expr = call.args[0]
            name = _whole_shape_of(expr)
            if name in data:
                written = "input_shape" if callee != "Input" else "shape"
                yield self.report(_span(call), f"{written}={_text(expr)} is the shape of all of {name}, the data "
                                  f"given to {data[name]}: its first axis counts the samples, and Keras adds the "
                                  f"batch axis itself; use {written}={_text(expr)}[1:]")


def _whole_shape_of(expr: Optional[ast.expr]) -> Optional[str]:
    """`X` for `X.shape` or `X.values.shape` (not `X.shape[1:]`)."""
    if isinstance(expr, ast.Attribute) and expr.attr == "shape":
        value = expr.value
        if isinstance(value, ast.Attribute) and value.attr == "values":
            value = value.value
        if isinstance(value, ast.Name):
            return value.id
    return None


def _text(expr: ast.expr) -> str:
    return ast.unparse(expr)


@lru_cache(maxsize=1)
def _data_names(tree: ast.Module) -> Dict[str, str]:
    """Names given as the training data (first argument, or x=) to a `.fit`, `.evaluate` or `.train_on_batch`
    call (whose first axis counts samples; `predict` may be given one sample by mistake), with the first method."""
    found: Dict[str, str] = {}
    for call in sorted(_index_tree(tree)[0].values(), key=lambda c: (c.lineno, c.col_offset)):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _DATA_METHODS | _LABEL_METHODS:
            continue
        x = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "x"), None)
        if isinstance(x, ast.Name):
            found.setdefault(x.id, func.attr)
    return found


#: Methods of a model given data, and the positions of x and y among their arguments.
_LIST_DATA_METHODS = {"fit": ("x", "y"), "evaluate": ("x", "y"), "train_on_batch": ("x", "y"),
                      "test_on_batch": ("x", "y"), "predict": ("x",), "predict_on_batch": ("x",)}
_LIST_MODEL = ("import numpy as np\nimport keras\nfrom keras import layers\nX = np.random.rand(40, 6)\n"
               "Y = (np.random.rand(40) > 0.5).astype('float32')\n"
               "model = keras.Sequential([keras.Input((6,)), layers.Dense(4, activation='relu'), "
               "layers.Dense(1, activation='sigmoid')])\nmodel.compile('adam', loss='binary_crossentropy')\n")


class ListData(Rule):
    CODE = "KC710"
    NAME = "python-list-data"
    SEVERITY = "error"
    SUMMARY = "A Python list made by .tolist() given to fit/evaluate/predict as the data or the labels"
    DOC = """\
## What it does
Finds `model.fit`, `evaluate`, `predict`, `train_on_batch`, `test_on_batch` or `predict_on_batch`
given, as `x` or `y`, the Python list that `.tolist()` makes of an array (`X.tolist()`, or a name
assigned it once), where `model` is compiled in the file. Not in code that imports Keras through
TensorFlow (`tf.keras`, `from tensorflow import keras`) and uses no Keras 3-only API: tf.keras 2
(TensorFlow 2.1 to 2.15, and standalone Keras 2.4 to 2.15, which ran it) turned lists of numbers into
arrays itself.

## Why is this bad?
Keras reads a list given as the data as one input per item, a structure for a model of several
inputs, not as an array: Keras 3 raises `ValueError: Unrecognized data type: x=[[0.83, 0.52, ...],
...]` before the first step (checked with Keras 3.15), for the data and for the labels alike, and
standalone Keras 2 stopped there too ("the list of Numpy arrays that you are passing to your model
is not the size the model expected"). Seen in the defect4ML benchmark (Morovati et al., EMSE 2023,
bug 096: `model.fit(X_list, Y_list)` with `X_list = X.tolist()`; the fix gives the arrays).

## Example
```python
X_list = X.tolist()
model.fit(X_list, Y.tolist(), epochs=20)
```

## Use instead
```python
model.fit(X, Y, epochs=20)  # or np.asarray(X_list)
```
"""
    VALID = [_LIST_MODEL + "model.fit(X, Y, epochs=1)\n",
             _LIST_MODEL + "model.fit(np.array(X.tolist()), Y, epochs=1)\n",
             # tf.keras 2 turned lists of numbers into arrays (its ListsOfScalarsDataAdapter)
             _LIST_MODEL.replace("import keras\nfrom keras import layers",
                                 "from tensorflow import keras\nfrom tensorflow.keras import layers")
             + "model.fit(X.tolist(), Y.tolist(), epochs=1)\n",
             # not a Keras model: nothing compiles `clf`
             _LIST_MODEL + "from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\n"
             "clf.fit(X.tolist(), Y.tolist())\n"]
    INVALID = [_LIST_MODEL + "X_list = X.tolist()\nY_list = Y.tolist()\nmodel.fit(X_list, Y_list, epochs=1)\n",
               _LIST_MODEL + "model.fit(X, Y, epochs=1)\nprint(model.predict(x=X[:3].tolist()))\n",
               _LIST_MODEL + "model.evaluate(X, y=Y.tolist())\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.tree is None or ".tolist()" not in ctx.source or not ctx.ir.models:
            return
        from .legacy import tf_keras_file

        if tf_keras_file(ctx):
            return
        calls, assigned = _index_tree(ctx.tree)
        compiled = {dotted(c.func.value) for c in calls.values()
                    if isinstance(c.func, ast.Attribute) and c.func.attr == "compile"}
        compiled.discard(None)
        for call in sorted(calls.values(), key=lambda c: (c.lineno, c.col_offset)):
            func = call.func
            if not isinstance(func, ast.Attribute) or func.attr not in _LIST_DATA_METHODS or \
                    dotted(func.value) not in compiled:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                continue
            for position, name in enumerate(_LIST_DATA_METHODS[func.attr]):
                expr = call.args[position] if position < len(call.args) else \
                    next((k.value for k in call.keywords if k.arg == name), None)
                made = _tolist(expr, assigned)
                if made is None:
                    continue
                what = "the data" if name == "x" else "the labels"
                given = _text(expr) if _text(expr) == _text(made) else f"{_text(expr)} (= {_text(made)})"
                yield self.report(_span(call), f"`{func.attr}` is given {given} as {what}, a Python list: Keras "
                                  f"reads a list as one input per item and rejects it (\"Unrecognized data type\"); "
                                  f"give the array ({_text(made.func.value)}) or np.asarray(...) of the list")  # type: ignore
                break


def _tolist(expr: Optional[ast.expr], assigned: Dict[str, object]) -> Optional[ast.Call]:
    """The `A.tolist()` call that ``expr`` is, or that the name ``expr`` is assigned once."""
    if isinstance(expr, ast.Name):
        expr = assigned.get(expr.id)  # type: ignore[assignment]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "tolist" and \
            not expr.args and not expr.keywords:
        return expr
    return None


RULES = [UnscaledImages, ScaledLabels, LabelsExceedOutput, InputShapeWithSamples, ListData]
