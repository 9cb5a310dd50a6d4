"""KC7xx: the data given to ``fit``/``evaluate``/``predict`` against the model, and array reshapes.

Each rule fires only where both shapes are known exactly (see :mod:`kerascount.extract.arrays`)
and Keras raises for every batch: the checks below follow what Keras 3 does before it runs a step
(``Functional._adjust_input_rank``, ``squeeze_or_expand_to_same_rank`` of the losses, and the
shape checks of the cross-entropies).
"""

from __future__ import annotations

from dataclasses import replace
import ast
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from .. import catalogue
from ..catalogue.spec import ShapeError, Unresolved, no_weights
from ..ir import DataCall, Diagnostic, ModelResult
from .analysis import _FromNotes
from .base import Rule, RuleContext
from .heads import arguments, loss_of, output_head
from .source import children, walk

Shape = Tuple[Any, ...]

_MODEL = ("import numpy as np\nimport keras\nfrom keras import layers\n"
          "model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation='relu'),\n"
          "                          layers.Dense(3, activation='softmax')])\n"
          "model.compile('adam', loss='{loss}')\n")

#: _MODEL in tf.keras (Keras 2) code.
_TF_MODEL = _MODEL.replace("import keras\nfrom keras import layers", "from tensorflow import keras\nfrom tensorflow.keras import layers")

#: A subclassed model that fit builds on its first batch; {extra}: more methods of the class.
_SUBCLASSED = ("import numpy as np\nimport keras\nfrom keras import layers\n\n"
               "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
               "        self.hidden = layers.Dense(16, activation='relu')\n"
               "        self.out = layers.Dense(3, activation='softmax')\n\n"
               "    def call(self, x):\n        return self.out(self.hidden(x))\n{extra}\n"
               "model = Net()\nmodel.compile('adam', loss='{loss}')\n")

#: A class that computes its loss its own way: Keras's compiled loss never sees the labels. (A ``train_step`` of
#: its own keeps tf.keras's from them too; Keras 3's fit still builds the compiled loss on the first batch.)
_OWN_STEP = ("\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n"
             "        return keras.ops.mean(y_pred[:, :1] - y)\n")

_RESHAPE = ("import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])\n"
            "x = np.zeros((10, 6))\n")

#: An array read from a file (its shape not known) that fit takes with its labels, then a prediction.
_ONE_SAMPLE = ("import numpy as np\nimport keras\nX = np.load('features.npy')\ny = np.load('targets.npy')\n"
               "model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation='sigmoid')])\n"
               "model.compile('adam', loss='binary_crossentropy')\nmodel.fit(X, y, epochs=2)\n{predict}\n")

_FRAME = ("import pandas as pd\nimport keras\ndf = pd.read_csv('data.csv')\nX = df.drop(columns=['label']).values\n")

#: First layers whose weights are sized by the channel axis of their input: a different size there raises.
_CHANNEL_SIZED = catalogue.with_trait("channel_sized")


def _sized_axes(row: Any, rank: int) -> Tuple[int, ...]:
    """The input axes a layer's weights are sized by (its channel axis, or its normalization's axes); none when
    the layer has no such weights or its config is not known."""
    args = arguments(row) if row.layer.type in _CHANNEL_SIZED else None
    if args is None:
        return ()
    names = args.layer_spec.arg_names
    try:
        if "axis" in names:
            axes = args.get("axis")
            axes = axes if isinstance(axes, (tuple, list)) else (axes,)
            if not all(isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
                return ()
            return tuple(a % rank for a in axes)
        fmt = args.get("data_format") if "data_format" in names else "channels_last"
    except (ShapeError, Unresolved):
        return ()
    return {"channels_last": (rank - 1,), "channels_first": (1,)}.get(fmt, ())


def _text(shape: Shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _int(d: Any) -> bool:
    return isinstance(d, int) and not isinstance(d, bool)


def _differ(a: Any, b: Any) -> bool:
    """Two sizes are certainly different: two ints, or two symbolic sizes whose difference is a constant
    other than 0 (``len(df.columns) - 1`` and ``len(df.columns)``). A size not known (None) may be anything."""
    if a is None or b is None:
        return False
    if _int(a) and _int(b):
        return a != b
    try:
        diff = a - b
    except (TypeError, ArithmeticError):
        return False
    return _int(diff) and diff != 0


def _is(d: Any, value: int) -> Optional[bool]:
    """Whether a size is ``value``: True, False, or None when not known (a symbol or None)."""
    if _int(d):
        return d == value
    return None


def _shapes_differ(a: Shape, b: Shape) -> bool:
    return len(a) != len(b) or any(_differ(x, y) for x, y in zip(a, b))


def _size(dims: Shape) -> Any:
    total = 1
    for d in dims:
        if not _int(d):
            return None
        total *= d
    return total


def _known(shape: Any) -> bool:
    return isinstance(shape, tuple) and all(_int(d) for d in shape[1:])


def _calls(ctx: RuleContext, inputs_only: bool = False,
           subclassed: bool = False) -> Iterator[Tuple[ModelResult, DataCall]]:
    """Each data call on a model whose layers are those it had at that call and which Keras built; with
    ``inputs_only``, also on models not fully resolved whose inputs are declared (``keras.Input``): what
    Keras checks of the data against them does not depend on the layers; with ``subclassed``, also on
    subclassed models built on data or called (their output is what their ``call`` gave). Never on a model
    whose class trains or evaluates it its own way (``train_step``...)."""
    for model in ctx.models:
        m = model.model
        if model.failed or m.unresolved is not None or model.status == "unbuilt" or m.own_training is not None:
            continue
        if model.status == "unknown" and not (inputs_only and _declared_inputs(model)):
            continue
        if m.kind not in ("sequential", "functional") and not (subclassed and m.kind == "subclassed"):
            continue
        if m.kind == "subclassed":
            if model.traced is None:
                continue
            model = replace(model, inputs=model.traced[0], outputs=model.traced[1])
        for call in m.data_calls:
            if m.kind == "sequential" and call.layer_count != len(m.layers):
                continue
            yield model, call


def _declared_inputs(model: ModelResult) -> bool:
    """The model's inputs are known shapes with a batch axis of None (declared, not a batch it was built on)."""
    return bool(model.inputs) and all(isinstance(i, tuple) and i and i[0] is None and
                                      all(d is None or _int(d) for d in i) for i in model.inputs)


#: Layers that keep their input's shape and accept any size (no weights sized by it, as PReLU's are): the
#: layer after them meets the data as it is.
_PASS_THROUGH = frozenset(name for name in catalogue.with_trait("inference_identity", "activation")
                          if catalogue.lookup(name).weights is no_weights)


def _adjusted(x: Shape, ref: Shape) -> Optional[Shape]:
    """Keras's ``Functional._adjust_input_rank``: the data with a last axis of size 1 dropped or added so its
    rank is the input's; ``()`` when Keras raises; None when that depends on a size not known."""
    if len(x) == len(ref):
        return x
    if len(x) == len(ref) + 1:
        last = _is(x[-1], 1)
        return None if last is None else x[:-1] if last else ()
    if len(x) == len(ref) - 1:
        last = _is(ref[-1], 1)
        return None if last is None else (*x, 1) if last else ()
    return ()


def _rank_message(ref: Shape, x: Shape, name: str = "inputs") -> str:
    if len(x) == len(ref) - 1 and not _shapes_differ(tuple(x), tuple(ref[1:])):
        change = "a single sample needs its batch axis: np.expand_dims(x, 0) or x[None]"
    elif _size(x[1:]) is not None and _size(x[1:]) == _size(ref[1:]):
        change = f"reshape it to {_text((-1, *ref[1:]))}"
    else:
        change = f"reshape the data or change the model's input shape to {_text((None, *x[1:]))}"
    return (f"the model expects {name} of shape {_text(ref)} ({len(ref)} dimensions with the batch) but gets "
            f"data of shape {_text(x)}: {change}")


def _rank_mismatch(model: ModelResult, x: Shape) -> Optional[str]:
    """Keras's check of the number of dimensions of the data against a model of one declared input."""
    if model.inputs is None or len(model.inputs) != 1 or not isinstance(model.inputs[0], tuple):
        return None
    ref = model.inputs[0]
    shape = _adjusted(x, ref)
    return _rank_message(ref, x) if shape is not None and not shape else None


def input_mismatch(ctx: RuleContext, model: ModelResult, x: Shape) -> Optional[str]:
    """Why Keras rejects ``x`` as the model's input, or None when it may accept it."""
    if model.inputs is None or len(model.inputs) != 1 or not isinstance(model.inputs[0], tuple):
        return None
    ref = model.inputs[0]
    shape = _adjusted(x, ref)
    if shape is None:
        return None
    if not shape:
        return _rank_message(ref, x)
    differ = [i for i in range(1, len(ref)) if _differ(shape[i], ref[i])]
    if not differ:
        return None
    # A model checks the sizes of its input only when it builds (the first fit or evaluate); afterwards, and in
    # predict, only its layers check them: the first layer whose weights are sized by the channel axis (after
    # layers such as Dropout that take any shape and keep it), or a Flatten before a Dense when the number of
    # elements per sample differs.
    rows = [r for r in model.rows if r.layer.type != "InputLayer"]
    if not rows or rows[0].input_shape != ref:
        return None
    while len(rows) > 1 and rows[0].layer.type in _PASS_THROUGH and rows[0].output_shape == rows[0].input_shape:
        rows = rows[1:]
    if rows[0].input_shape != ref:
        return None
    first, second = rows[0].layer.type, rows[1].layer.type if len(rows) > 1 else None
    sized = any(axis in differ for axis in _sized_axes(rows[0], len(ref)))
    flattened = (first == "Flatten" and second == "Dense" and model.model.kind == "sequential"
                 and _differ(_size(shape[1:]), _size(ref[1:])))
    if not (sized or flattened):
        return None
    return (f"the model expects inputs of shape {_text(ref)} but gets data of shape {_text(x)}: "
            f"change the model's input shape to {_text((None, *x[1:]))} or reshape the data")


def inputs_mismatch(model: ModelResult, xs: Tuple[Shape, ...]) -> Optional[str]:
    """Why Keras rejects the list of arrays ``xs`` for a model of several inputs (their number, or the rank of
    one that Keras cannot adjust), or None."""
    if model.inputs is None or len(model.inputs) < 2 or not all(isinstance(i, tuple) for i in model.inputs):
        return None
    if len(xs) != len(model.inputs):
        return None  # a list may also be read as one input by some models: not reported
    for n, (x, ref) in enumerate(zip(xs, model.inputs)):
        shape = _adjusted(x, ref)
        if shape is not None and not shape:
            return _rank_message(ref, x, f"its input {n + 1} of {len(xs)} to be arrays")
    return None


def _output_is_for(model: ModelResult, x: Optional[Shape]) -> bool:
    """The model's output shape is the one ``x`` gets: ``x`` is known and fits the model's input past the
    batch axis. A Sequential built on the first batch it was given (``predict`` on one sample of length 1)
    and then fed other data runs its layers on that data (Keras 3 warns and goes on), so its output for
    that data is not the one the summary shows."""
    if model.inputs is None or len(model.inputs) != 1 or not isinstance(model.inputs[0], tuple):
        return False
    if x is None:  # a declared input (batch axis None) fixes the output whatever the data; a batch did not
        return bool(model.inputs[0]) and model.inputs[0][0] is None
    dims = model.inputs[0][1:]
    return len(x) == len(dims) + 1 and all(d is None or d == s for d, s in zip(dims, x[1:]))


def _read_channels_last(ctx: RuleContext, model: ModelResult) -> bool:
    """Is the model's output the channels-last reading of a channels-first-looking image, ``(1, 28, 28)``, in a file
    that may run channels first (it names the setting, or is Keras 1 code, which ran on Theano's channels first),
    through a layer that reads the image format? Its output then says nothing of the labels the file gives (hold-out
    58: a Keras 1 autoencoder on (1, 28, 28) fit on (N, 784) labels); KC1xx errors are left alone there too."""
    from .geometry import _channels_first_run, _format_read_before

    return bool(model.rows) and _channels_first_run(ctx, model) and _format_read_before(model, model.rows[-1])


def label_mismatch(ctx: RuleContext, model: ModelResult, call: DataCall, y: Shape) -> Optional[str]:
    """Why Keras's loss rejects labels of shape ``y`` for the model's output, or None."""
    if model.outputs is None or len(model.outputs) != 1 or not _known(model.outputs[0]) or call.compile is None:
        return None
    if _read_channels_last(ctx, model):
        return None
    loss = loss_of(replace(model, model=replace(model.model, compile=call.compile)))
    if loss is None:
        return None
    name, out = loss[0], model.outputs[0]
    from .legacy import keras2_file

    if name == "binary_crossentropy" and len(y) == 1 and len(out) == 2 and not loss[1] and keras2_file(ctx):
        # tf.keras (2.x) gives one label per sample a last axis of 1 and broadcasts it against the output,
        # unless the output is a sigmoid (it then checks the shapes); Keras 3 always checks them ("Arguments
        # `target` and `output` must have the same shape", checked with Keras 3.15): reported in code for Keras 3.
        head = output_head(ctx, model)
        if head is None or head[1] != "sigmoid":
            return None
    if name == "sparse_categorical_crossentropy" and len(out) > 2 and len(y) != len(out) - 1 and \
            _size(y[1:]) is not None and _size(y[1:]) == _size(out[1:-1]):
        # Keras 2 (tf.keras too) flattened such labels and the output to one row of classes per label: (32, 1)
        # labels against a (32, 1, 1, 10) output ran there. Keras 3 rejects it: reported in code for Keras 3.
        if keras2_file(ctx):
            return None
    same = _same_rank(y, out)
    if same is None:
        return None
    yt, yp = same
    if name == "sparse_categorical_crossentropy":
        if len(yt) == len(yp):
            last = _is(yt[-1], 1)
            if last is None:
                return None
            if last:
                yt = yt[:-1]
        if not _shapes_differ(yt[1:], yp[1:-1]):
            return None
        if len(y) == len(out) and not _shapes_differ(y[1:-1], out[1:-1]) and len(out) > 1:
            return (f"sparse_categorical_crossentropy needs integer labels of shape {_text((None, *out[1:-1]))} but the "
                    f"labels have shape {_text(y)} (one-hot?): use categorical_crossentropy, or give the class "
                    f"indices (np.argmax(y, axis=-1))")
        return (f"sparse_categorical_crossentropy needs labels of shape {_text((None, *out[1:-1]))} for the model's "
                f"output {_text(out)} but the labels have shape {_text(y)}"
                + (": the output has more than 2 dimensions (a Flatten or global pooling layer missing before "
                   "the Dense head?)" if len(out) > 2 else ""))
    if name in ("categorical_crossentropy", "binary_crossentropy", "categorical_focal_crossentropy",
                "binary_focal_crossentropy", "kl_divergence"):
        if not _shapes_differ(yt[1:], yp[1:]):
            return None
        hint = ""
        if name == "categorical_crossentropy" and len(y) <= 2 and (len(y) == 1 or y[-1] == 1) and len(out) == 2:
            hint = (": the labels are class indices; one-hot encode them (keras.utils.to_categorical(y, "
                    f"{out[-1]})) or use sparse_categorical_crossentropy")
        elif len(out) > 2 and len(y) == 2:
            hint = ": the output has more than 2 dimensions (a Flatten or global pooling layer missing before the head?)"
        elif name == "binary_crossentropy" and len(y) == 1 and len(out) == 2:
            hint = ": one label per sample needs one output unit (Dense(1, activation='sigmoid'))"
        elif len(y) == len(out) == 2:
            hint = f": make the last layer output {y[-1]} units, or encode the labels with {out[-1]} classes"
        return f"{name} needs labels of the output's shape {_text(out)} but the labels have shape {_text(y)}{hint}"
    if name in ("mean_squared_error", "mse", "mean_absolute_error", "mae", "huber", "log_cosh",
                "mean_squared_logarithmic_error", "msle", "mean_absolute_percentage_error", "mape"):
        # The loss subtracts one from the other: the two shapes must broadcast, batch axis included.
        a = (call.batch, *yt[1:]) if len(yt) != len(yp) else yt
        b = (call.batch, *yp[1:]) if len(yt) != len(yp) else yp
        start = 0 if len(yt) != len(yp) else 1
        if len(yt) != len(yp) and (call.batch is None or len(y) == 1 and len(out) == 2 and keras2_file(ctx)):
            # Keras 2 (tf.keras too) gave one label per sample a last axis of 1 before the loss; Keras 3 does not
            # ("Incompatible shapes for broadcasting: shapes=[(32,), (32, 4)]", checked with Keras 3.15): (32,)
            # against (32, 4) ran there, so it is reported only in code for Keras 3.
            return None
        pairs = list(zip(reversed(a), reversed(b)))[: min(len(a), len(b)) - start]
        if any(_int(p) and _int(q) and p != q and p != 1 and q != 1 for p, q in pairs):
            batch = f" (batches of {call.batch})" if len(yt) != len(yp) else ""
            return (f"{name} compares the labels with the output element by element, but the labels have shape "
                    f"{_text(y)} and the output {_text(out)}{batch}, which do not broadcast: make the last layer "
                    f"output {y[-1] if len(y) > 1 else 1} units or change the labels")
    return None


def _same_rank(y: Shape, out: Shape) -> Optional[Tuple[Shape, Shape]]:
    """Keras's ``squeeze_or_expand_to_same_rank`` of the labels and the output; None when it depends on a
    size not known."""
    if len(y) == len(out) + 1:
        last = _is(y[-1], 1)
        if last is None:
            return None
        if last:
            return (y, (*out, 1)) if len(out) == 1 else (y[:-1], out)
    if len(out) == len(y) + 1:
        last = _is(out[-1], 1)
        if last is None:
            return None
        if last:
            return ((*y, 1), out) if len(y) == 1 else (y, out[:-1])
    return y, out


class _DataRule(Rule):
    """A check of each data call: ``why`` says what Keras rejects, or None."""

    WHAT = "`{method}`"

    def why(self, ctx: RuleContext, model: ModelResult, call: DataCall) -> Optional[str]:
        raise NotImplementedError

    #: Also on models not fully resolved whose inputs are declared (only what does not depend on the layers).
    INPUTS_ONLY = False
    #: Also on subclassed models (only what compares the labels with the output their ``call`` gave).
    SUBCLASSED = False

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        for model, call in _calls(ctx, self.INPUTS_ONLY, self.SUBCLASSED):
            why = self.why(ctx, model, call)
            if why is not None and (call.span, why) not in seen:
                seen.add((call.span, why))
                yield self.report(call.span, self.WHAT.format(method=call.method) + f": {why}")


class DataDoesNotFitInput(_DataRule):
    CODE = "KC701"
    NAME = "data-does-not-fit-input"
    SEVERITY = "error"
    SUMMARY = "The array given to fit/evaluate/predict does not have the shape of the model's input"
    DOC = """\
## What it does
Compares the shape of the data given as `x` to `model.fit`, `evaluate`, `predict`, `train_on_batch`,
`test_on_batch` or `predict_on_batch` (arrays made with NumPy, scikit-learn's bundled data sets,
`keras.datasets`, pandas frames, image generators and datasets) with the model's input shape. A size
that comes from a file is a symbol: it is reported only where it certainly differs (a frame's
`len(df.columns)` columns against `len(df.columns) - 1`), never against a number it may equal. It reports a
difference in the number of dimensions that Keras does not fix by itself (it adds or drops a last
axis of size 1 only), and a size that differs where Keras checks it every time: the last axis when the first layer's weights
depend on it (Dense, convolutions, recurrent layers, normalization; after layers such as Dropout that keep the
shape), or the number of elements when a Flatten feeds a Dense. A list of arrays given to a model of several
inputs is checked array by array (their number of dimensions); a list holding one array (`model.predict([row])`)
is that array, as Keras reads it for a model of one input, and `for row in X:` over an array of known shape and at
most 64 rows gives rows of `X.shape[1:]` (SFData s60127320: `predict([point])` for each row). (Other sizes are checked only when the model builds, and a model whose layers
accept any size, such as convolutions before a global pooling, predicts on them: not reported.)
Where the data's shape is not known (it comes from a file), one case is certain from the code alone:
`model.predict(x[0])` (or `x[i]` with `i` counting through a `range`) where `x` is the array the same
function gave to `model.fit(x, y)` and has not been assigned since. `fit` took `x` as a batch of
samples, so `x[0]` is one sample without its batch axis, whatever the shapes are.

## Why is this bad?
Keras raises before the first step: `Invalid input shape ... Expected shape (None, 28, 28, 1), but input
has incompatible shape (32, 28, 28, 3)` or `expected axis -1 of input shape to have value 8`. Given one
sample without its batch axis, Keras reads its rows as samples and raises the same way (in Keras 1/2:
`expected dense_input_1 to have shape (100,) but got array with shape (1,)`).

## Example
```python
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])
x = np.zeros((100, 784))
model.predict(x)
```

## Use instead
```python
model.predict(x.reshape(-1, 28, 28, 1))
```
"""
    VALID = [_MODEL.format(loss="sparse_categorical_crossentropy") + "model.predict(np.zeros((5, 8)))\n",
             _MODEL.format(loss="sparse_categorical_crossentropy") + "model.predict(np.zeros((5, 8, 1)))\n",
             _FRAME + "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])\nmodel.predict(X)\n"]
    INVALID = [_MODEL.format(loss="sparse_categorical_crossentropy") + "model.predict(np.zeros(8))\n",
               _MODEL.format(loss="sparse_categorical_crossentropy") + "model.predict(np.zeros((5, 9)))\n",
               _FRAME + "model = keras.Sequential([keras.Input((len(df.columns),)), keras.layers.Dropout(0.1),\n"
                        "                          keras.layers.Dense(1)])\nmodel.predict(X)\n",
               _ONE_SAMPLE.format(predict="model.predict(X[0])"),
               _ONE_SAMPLE.format(predict="for i in range(3):\n    print(model.predict(X[i]))")]
    VALID += [_ONE_SAMPLE.format(predict="model.predict(X[0:1])"),
              _ONE_SAMPLE.format(predict="model.predict(np.expand_dims(X[0], 0))"),
              # a batch of a generator or dataset is (x, y): its item 0 is a whole batch of samples
              _ONE_SAMPLE.format(predict="batch = next(iter(val_batches))\nmodel.predict(batch[0])"),
              # the name holds another array after fit
              _ONE_SAMPLE.format(predict="X = np.stack([X, X])\nmodel.predict(X[0])")]

    INPUTS_ONLY = True

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        reported = set()
        for diagnostic in super().check(ctx):
            reported.add((diagnostic.span.line, diagnostic.span.column))
            yield diagnostic
        from .legacy_api import _span

        for call, message in _one_sample_predictions(ctx):
            if (call.lineno, call.col_offset + 1) not in reported:
                yield self.report(_span(call), message)

    def why(self, ctx: RuleContext, model: ModelResult, call: DataCall) -> Optional[str]:
        if call.xs is not None:
            return inputs_mismatch(model, call.xs)
        if call.x is None:
            return None
        if model.status == "unknown":
            return _rank_mismatch(model, call.x)
        return input_mismatch(ctx, model, call.x)


#: Methods that take a batch of samples to predict on as their first argument.
_PREDICT_METHODS = frozenset(("predict", "predict_on_batch", "predict_classes", "predict_proba"))


def _scope_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of one function's (or the module's) own code: not those of the functions, lambdas and classes
    defined in it."""
    todo = children(scope)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(children(node))


def _index_text(index: ast.expr, ints: Set[str]) -> Optional[str]:
    """``0`` or ``i`` for an index that is one integer: a literal, or a name only bound by ``for i in range(...)``
    (or the count of ``enumerate``); None for anything else (a slice, a list or array of indices, a mask)."""
    if isinstance(index, ast.Constant) and type(index.value) is int:
        return str(index.value)
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and isinstance(index.operand, ast.Constant) \
            and type(index.operand.value) is int:
        return f"-{index.operand.value}"
    if isinstance(index, ast.Name) and index.id in ints:
        return index.id
    return None


def _counters(nodes) -> Set[str]:
    """Names bound only as the counter of ``for i in range(...)`` or ``for i, item in enumerate(...)``."""
    counted: Set[str] = set()
    stored: Dict[str, int] = {}
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stored[node.id] = stored.get(node.id, 0) + 1
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, ast.Call) and \
                isinstance(node.iter.func, ast.Name):
            target = node.target
            if node.iter.func.id == "enumerate" and isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]
            elif node.iter.func.id != "range":
                continue
            if isinstance(target, ast.Name):
                counted.add(target.id)
    return {name for name in counted if stored.get(name) == 1}


def _one_sample_predictions(ctx: RuleContext) -> Iterator[Tuple[ast.Call, str]]:
    """``model.predict(x[0])`` where ``x`` is the array the same code gave ``model.fit(x, y)``: one sample, without
    the batch axis Keras reads first. The shape of ``x`` need not be known: ``fit`` took it as a batch of samples
    (with labels beside it, so not a dataset or generator, whose items are whole batches)."""
    if ctx.tree is None or ".predict" not in ctx.source or ".fit" not in ctx.source:
        return
    from .source import argument

    by_name: Dict[str, List[ModelResult]] = {}
    for model in ctx.models:
        if model.model.name:
            by_name.setdefault(model.model.name, []).append(model)
    scopes = [ctx.tree] + [n for n in walk(ctx.tree)[0] if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        nodes = list(_scope_nodes(scope))
        fits: Dict[Tuple[str, str], int] = {}
        predictions: List[ast.Call] = []
        for node in nodes:
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or \
                    not isinstance(node.func.value, ast.Name):
                continue
            if node.func.attr == "fit":
                x, y = argument(node, "x", 0), argument(node, "y", 1)
                if isinstance(x, ast.Name) and y is not None and not (isinstance(y, ast.Constant) and y.value is None):
                    key = (node.func.value.id, x.id)
                    fits[key] = min(fits.get(key, node.lineno), node.lineno)
            elif node.func.attr in _PREDICT_METHODS:
                predictions.append(node)
        if not fits or not predictions:
            continue
        stores: Dict[str, List[int]] = {}
        for node in nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores.setdefault(node.id, []).append(node.lineno)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in scope.args.args + scope.args.kwonlyargs + scope.args.posonlyargs:
                stores.setdefault(arg.arg, []).append(scope.lineno)
        ints = _counters(nodes)
        for call in predictions:
            x = argument(call, "x", 0)
            if not isinstance(x, ast.Subscript) or not isinstance(x.value, ast.Name):
                continue
            receiver, array = call.func.value.id, x.value.id  # type: ignore[attr-defined]
            fitted = fits.get((receiver, array))
            index = _index_text(x.slice, ints)
            if fitted is None or index is None or call.lineno <= fitted:
                continue
            if any(line >= fitted for line in stores.get(array, ())) or \
                    any(isinstance(n, (ast.Global, ast.Nonlocal)) and array in n.names for n in nodes):
                continue  # the name may hold another array by the time of the call
            models = by_name.get(receiver, [])
            if len(models) != 1 or models[0].inputs is None or len(models[0].inputs) != 1:
                continue  # not one known model of one input (a list of arrays for several inputs is indexed too)
            one = f"{array}[{index}:{index} + 1]" if not index.lstrip("-").isdigit() else \
                f"{array}[{index}:]" if index == "-1" else f"{array}[{index}:{int(index) + 1}]"
            yield call, (f"`{call.func.attr}`: {array}[{index}] is one sample of the array `fit` trains "  # type: ignore
                         f"{receiver} on (line {fitted}), without its batch axis: Keras reads the first axis as the "
                         f"samples and the array does not have the rank of the model's input; use {one} or "
                         f"np.expand_dims({array}[{index}], 0)")


class LabelsDoNotFitOutput(_DataRule):
    CODE = "KC702"
    NAME = "labels-do-not-fit-output"
    SEVERITY = "error"
    SUMMARY = "The labels given to fit/evaluate do not have the shape the loss needs for the model's output"
    DOC = """\
## What it does
Compares the shape of the labels given as `y` to `model.fit`, `evaluate`, `train_on_batch` or
`test_on_batch` with the model's output shape and its loss (from the `compile` before the call), where
both are known exactly: one-hot labels with `sparse_categorical_crossentropy`, class indices with
`categorical_crossentropy`, a number of classes other than the output's units, an output with more
than two dimensions (a Dense after a convolution without Flatten) against one label per sample; with an
elementwise loss (`mse`, `mae`...), labels that do not broadcast against the output in the first batch
(`(32, 4)` labels against a `(32, 10, 4)` output). What Keras 2 ran but Keras 3 rejects is not reported in
code written for Keras 2 (tf.keras, or Keras 1/2 API): one label per sample against several output units
with an elementwise loss (Keras 2 gave the labels a last axis of 1 first), or with `binary_crossentropy`
unless the output is a sigmoid; and with `sparse_categorical_crossentropy`, labels of another rank than the
output's but one label per position of it (`(N, 1)` labels against a `(N, 1, 1, 10)` output: Keras 2
flattened both). In code for Keras 3 these are reported.

## Why is this bad?
Keras raises in the first step: `Arguments target and output must have the same shape. Received:
target.shape=(32, 1), output.shape=(32, 10)`.

## Example
```python
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy")
model.fit(np.zeros((100, 8)), np.random.randint(0, 3, size=100))
```

## Use instead
```python
model.compile("adam", loss="sparse_categorical_crossentropy")
```
"""
    VALID = [_MODEL.format(loss="sparse_categorical_crossentropy") +
             "model.fit(np.zeros((5, 8)), np.random.randint(0, 3, 5))\n",
             # a 1x1 feature map left before the head, in tf.keras (Keras 2) code: tf.keras flattened the labels
             # and the output (one row each)
             "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
             "model = keras.Sequential([keras.Input((4, 4, 3)), "
             "layers.Conv2D(8, 4), layers.Dense(5, activation='softmax')])\n"
             "model.compile('adam', loss='sparse_categorical_crossentropy')\n"
             "model.fit(np.zeros((6, 4, 4, 3)), np.zeros((6, 1)))\n",
             _MODEL.format(loss="categorical_crossentropy") +
             "model.fit(np.zeros((5, 8)), keras.utils.to_categorical(np.random.randint(0, 3, 5), 3))\n",
             # one label per sample against 3 units, in tf.keras code: tf.keras gave the labels a last axis of 1
             # and broadcast them (binary_crossentropy of a softmax output, and mse)
             _TF_MODEL.format(loss="binary_crossentropy") + "model.fit(np.zeros((5, 8)), np.zeros(5))\n",
             _TF_MODEL.format(loss="mse") + "model.fit(np.zeros((5, 8)), np.zeros(5))\n",
             # (5, 1) labels broadcast against the (5, 3) output in Keras 3 too (no crash: KC709's)
             _MODEL.format(loss="mse") + "model.fit(np.zeros((5, 8)), np.zeros((5, 1)))\n",
             _SUBCLASSED.format(extra="", loss="sparse_categorical_crossentropy") +
             "model.fit(np.zeros((64, 8)), np.random.randint(0, 3, 64))\n",
             # its own compute_loss: the compiled loss is not what meets the labels
             _SUBCLASSED.format(extra=_OWN_STEP, loss="sparse_categorical_crossentropy") +
             "model.fit(np.zeros((64, 8)), np.zeros((64, 1)))\n",
             # Keras 1 code on (1, 28, 28) images, which ran channels first on Theano: its output is 784 there, not
             # the 28 of a channels-last reading (hold-out 58, seya's winner-take-all autoencoder)
             "import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Convolution2D, Flatten\n"
             "model = Sequential()\n"
             "model.add(Convolution2D(1, 3, 3, border_mode='same', input_shape=(1, 28, 28)))\n"
             "model.add(Flatten())\nmodel.compile(loss='mse', optimizer='adam')\n"
             "model.fit(np.zeros((10, 1, 28, 28)), np.zeros((10, 784)))\n"]
    INVALID = [_MODEL.format(loss="categorical_crossentropy") +
               "model.fit(np.zeros((5, 8)), np.random.randint(0, 3, 5))\n",
               # the same in Keras 3 code: Keras 3 neither adds the axis nor broadcasts for binary_crossentropy
               _MODEL.format(loss="binary_crossentropy") + "model.fit(np.zeros((5, 8)), np.zeros(5))\n",
               _MODEL.format(loss="mse") + "model.fit(np.zeros((5, 8)), np.zeros(5))\n",
               _MODEL.format(loss="sparse_categorical_crossentropy") +
               "model.fit(np.zeros((5, 8)), np.zeros((5, 3)))\n",
               # the same 1x1 map in Keras 3 code: Keras 3 no longer flattens them ("must have the same shape up
               # until the last dimension")
               "import numpy as np\nimport keras\nfrom keras import layers\n"
               "model = keras.Sequential([keras.Input((4, 4, 3)), "
               "layers.Conv2D(8, 4), layers.Dense(5, activation='softmax')])\n"
               "model.compile('adam', loss='sparse_categorical_crossentropy')\n"
               "model.fit(np.zeros((6, 4, 4, 3)), np.zeros((6, 1)))\n",
               # a 2x2 map: four positions, one label per sample, which no Keras accepted
               "import numpy as np\nimport keras\nfrom keras import layers\n"
               "model = keras.Sequential([keras.Input((5, 5, 3)), "
               "layers.Conv2D(8, 4), layers.Dense(5, activation='softmax')])\n"
               "model.compile('adam', loss='sparse_categorical_crossentropy')\n"
               "model.fit(np.zeros((6, 5, 5, 3)), np.zeros((6, 1)))\n",
               # a subclassed model: fit builds it on the first batch, then the loss meets one-hot labels
               _SUBCLASSED.format(extra="", loss="sparse_categorical_crossentropy") +
               "model.fit(np.zeros((64, 8)), keras.utils.to_categorical(np.random.randint(0, 3, 64), 3))\n"]
    SUBCLASSED = True

    def why(self, ctx: RuleContext, model: ModelResult, call: DataCall) -> Optional[str]:
        if call.y is None or not _output_is_for(model, call.x):
            return None  # x that does not fit is KC701's; x not known gives an output not known
        return label_mismatch(ctx, model, call, call.y)


_ELEMENTWISE = ("mean_squared_error", "mse", "mean_absolute_error", "mae", "huber", "log_cosh",
                "mean_squared_logarithmic_error", "msle", "mean_absolute_percentage_error", "mape")


class LabelsBroadcastOverOutput(_DataRule):
    CODE = "KC709"
    NAME = "labels-broadcast-over-output"
    SEVERITY = "warning"
    SUMMARY = ("One label per sample against an output with several steps, positions or units: the loss "
               "broadcasts it")
    DOC = """\
## What it does
Finds `fit`, `evaluate`, `train_on_batch` or `test_on_batch` given one label per sample (shape `(N,)` or
`(N, 1)`) for a model whose output, known exactly, has more than one value per sample along a time or
space axis and one unit at the end (`(None, 45, 1)`: a recurrent layer left with `return_sequences=True`,
or a convolution without a Flatten or global pooling before the head), with an element-wise loss (`mse`,
`mae`, `huber`...). The same on the unit axis: labels of the output's rank and sizes but a last axis of 1
against an output of several units (`(N, 1)` against `(None, 4)`, `(N, 10, 1)` against `(None, 10, 10)`),
and, in code for Keras 2 (which gave one label per sample a last axis of 1 first), `(N,)` labels against
`(None, k)` (Keras 3 rejects those: KC702).

## Why is this bad?
Keras does not reject it: the loss drops the output's last axis of 1 and subtracts, and the `(N, 1)`
labels broadcast over the 45 steps (`(N,)` labels even broadcast against the batch: an `(N, 45, N)`
difference). Training runs, but every step is fitted to the sample's one target, and the model predicts
45 values where one was meant. Over units alike, every unit learns the same target (checked with Keras
3.15: `(5, 1)` labels against a `(5, 4)` output give the mean of the broadcast squared differences). SFData, a
benchmark of programs that crashed under the Keras they were written for, holds one: s48978609, a `Dense(10)`
after `return_sequences=True` fitted on `(1, 10, 1)` targets; the fixes of SFData
s36241731 and s50364194 (a 100-unit `SimpleRNN` against one label, a 54-unit `Dense` against one label per
sample in tf.keras) remove the crash and keep this.

## Example
```python
model = keras.Sequential([keras.Input((45, 2)), layers.LSTM(32, return_sequences=True), layers.Dense(1)])
model.compile("adam", loss="mse")
model.fit(np.zeros((100, 45, 2)), np.zeros((100, 1)))
```

## Use instead
```python
model = keras.Sequential([keras.Input((45, 2)), layers.LSTM(32), layers.Dense(1)])
```
"""
    _SEQ = ("import numpy as np\nimport keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input((45, 2)), layers.LSTM(8, return_sequences={seq}), "
            "layers.Dense(1)])\nmodel.compile('adam', loss='mse')\n")
    VALID = [_SEQ.format(seq=False) + "model.fit(np.zeros((10, 45, 2)), np.zeros((10, 1)))\n",
             # labels with one target per step
             _SEQ.format(seq=True) + "model.fit(np.zeros((10, 45, 2)), np.zeros((10, 45, 1)))\n",
             _SEQ.format(seq=True) + "model.fit(np.zeros((10, 45, 2)), np.zeros((10, 45)))\n",
             # one target per unit
             _MODEL.format(loss="mse") + "model.fit(np.zeros((5, 8)), np.zeros((5, 3)))\n"]
    INVALID = [_SEQ.format(seq=True) + "model.fit(np.zeros((10, 45, 2)), np.zeros((10, 1)))\n",
               _SEQ.format(seq=True) + "model.fit(np.zeros((10, 45, 2)), np.zeros(10))\n",
               # one target per step against a head of 3 units
               _SEQ.format(seq=True).replace("layers.Dense(1)", "layers.Dense(3)") +
               "model.fit(np.zeros((10, 45, 2)), np.zeros((10, 45, 1)))\n",
               _MODEL.format(loss="mse") + "model.fit(np.zeros((5, 8)), np.zeros((5, 1)))\n"]

    def why(self, ctx: RuleContext, model: ModelResult, call: DataCall) -> Optional[str]:
        y = call.y
        if y is None or not _output_is_for(model, call.x) or call.compile is None:
            return None
        if model.outputs is None or len(model.outputs) != 1 or not _known(model.outputs[0]):
            return None
        if _read_channels_last(ctx, model):
            return None
        out = model.outputs[0]
        units = self._over_units(ctx, model, call, y, out)
        if units is not None:
            return units
        if len(out) < 3 or out[-1] != 1 or len(y) not in (1, 2) or len(y) == 2 and y[-1] != 1:
            return None
        steps = _size(out[1:-1])
        if steps is None or steps < 2:
            return None
        loss = loss_of(replace(model, model=replace(model.model, compile=call.compile)))
        if loss is None or loss[0] not in _ELEMENTWISE or label_mismatch(ctx, model, call, y) is not None:
            return None
        where = "step" if len(out) == 3 else "position"
        return (f"the labels have shape {_text(y)}, one value per sample, but the model outputs {_text(out)}, "
                f"{steps} values per sample: {loss[0]} broadcasts each label over the {steps} {where}s and fits "
                f"them all to it; make the model output one value per sample (return_sequences=False on the "
                f"last recurrent layer, or a Flatten or global pooling before the head), or give labels of the "
                f"output's shape")


    def _over_units(self, ctx: RuleContext, model: ModelResult, call: DataCall, y: Shape, out: Shape) -> Optional[str]:
        """One label per sample or position against an output of several units at the end: labels of the output's
        rank with a last axis of 1 and the output's other sizes (`(N, 10, 1)` against `(None, 10, 10)`), or, in code
        for Keras 2 (which gave one label per sample a last axis of 1), `(N,)` labels against `(None, k)`."""
        if len(out) < 2 or not _int(out[-1]) or out[-1] < 2:
            return None
        if len(y) == len(out):
            if _is(y[-1], 1) is not True or _shapes_differ(y[1:-1], out[1:-1]) or \
                    any(not _int(d) for d in y[1:-1]):
                return None
        elif not (len(y) == 1 and len(out) == 2):
            return None
        loss = loss_of(replace(model, model=replace(model.model, compile=call.compile)))
        if loss is None or loss[0] not in _ELEMENTWISE or label_mismatch(ctx, model, call, y) is not None:
            return None
        if len(y) == 1:
            from .legacy import keras2_file

            if not keras2_file(ctx):
                return None  # Keras 3 rejects (N,) against (N, k): KC702's
        per = "sample" if len(out) == 2 else "step" if len(out) == 3 else "position"
        return (f"the labels have shape {_text(y)}, one value per {per}, but the model outputs {_text(out)}, "
                f"{out[-1]} units: {loss[0]} broadcasts each label over the {out[-1]} units and fits them all to it; "
                f"make the last layer output 1 unit, or give labels with one value per unit")


class ValidationDataDoesNotFit(_DataRule):
    CODE = "KC703"
    NAME = "validation-data-does-not-fit"
    SEVERITY = "error"
    SUMMARY = "validation_data given to fit does not fit the model's input or output"
    DOC = """\
## What it does
Applies the checks of KC701 and KC702 to the arrays of `validation_data=(x_val, y_val)` given to `fit`.

## Why is this bad?
Keras trains the first epoch and then raises when it evaluates on the validation data: the time
of an epoch is lost, and the validation data were not prepared as the training data were.

## Example
```python
model.fit(x_train.reshape(-1, 784), y_train, validation_data=(x_test, y_test))
```

## Use instead
```python
model.fit(x_train.reshape(-1, 784), y_train, validation_data=(x_test.reshape(-1, 784), y_test))
```
"""
    VALID = [_MODEL.format(loss="sparse_categorical_crossentropy") +
             "model.fit(np.zeros((5, 8)), np.zeros(5), validation_data=(np.zeros((2, 8)), np.zeros(2)))\n"]
    INVALID = [_MODEL.format(loss="sparse_categorical_crossentropy") +
               "model.fit(np.zeros((5, 8)), np.zeros(5), validation_data=(np.zeros((2, 4, 2)), np.zeros(2)))\n",
               _MODEL.format(loss="sparse_categorical_crossentropy") +
               "model.fit(np.zeros((5, 8)), np.zeros(5), validation_data=(np.zeros((2, 8)), np.zeros((2, 3))))\n"]

    WHAT = "`validation_data` of `{method}`"

    def why(self, ctx: RuleContext, model: ModelResult, call: DataCall) -> Optional[str]:
        if call.x is not None and input_mismatch(ctx, model, call.x) is not None or \
                call.y is not None and label_mismatch(ctx, model, call, call.y) is not None:
            return None  # KC701/KC702 report the training data; the validation data may repeat the fault
        why = input_mismatch(ctx, model, call.val_x) if call.val_x is not None else None
        if why is None and call.val_y is not None and _output_is_for(model, call.val_x):
            why = label_mismatch(ctx, model, call, call.val_y)
        return why


class ReshapeToAnotherSize(_FromNotes):
    CODE = "KC704"
    NAME = "reshape-to-another-size"
    SEVERITY = "error"
    SUMMARY = "An array is reshaped to a shape with another number of elements"
    DOC = """\
## What it does
Reports `x.reshape(...)` and `np.reshape(x, ...)` where the array's shape is known exactly and the
new shape holds a different number of elements (or no size fits its `-1`).

## Why is this bad?
NumPy raises `ValueError: cannot reshape array of size 47040000 into shape (60000,28,28,3)`.

## Example
```python
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 28, 28, 3)
```

## Use instead
```python
x_train = x_train.reshape(60000, 28, 28, 1)
```
"""
    VALID = [_RESHAPE + "y = x.reshape(-1, 3, 2)\n"]
    INVALID = [_RESHAPE + "y = x.reshape(10, 4)\n", _RESHAPE + "y = np.reshape(x, (-1, 7))\n"]


RULES = [DataDoesNotFitInput, LabelsDoNotFitOutput, LabelsBroadcastOverOutput, ValidationDataDoesNotFit,
         ReshapeToAnotherSize]
