"""KC1xx: shapes Keras rejects. Each rule reports the layers whose inference fails with the kind of error it
names (``KIND``, a class of catalogue/errors.py, which carries the rule's code)."""

from __future__ import annotations

import ast
import re
from typing import Any, Callable, ClassVar, Iterator, List, Type

from ..nodes import walk as ast_walk
from ..catalogue import errors
from ..ir import Diagnostic, Span
from .base import Rule, RuleContext, built_after_unknown_data, orphan_problems, problem_rows, row_span


#: Code for standalone Keras 1 (``nb_epoch=``), whose ``Convolution2D(32, 3, 3)`` is a 3x3 kernel: read as Keras 3
#: reads it (strides 3) the last convolution gets a 1x1 map. With tf.keras the same calls are strides.
_KERAS1_CONVS = ("from {keras}.models import Sequential\nfrom {keras}.layers import Convolution2D, MaxPooling2D, "
                 "Flatten, Dense\nm = Sequential()\nm.add(Convolution2D(32, 3, 3, input_shape=(32, 32, 3)))\n"
                 "m.add(Convolution2D(64, 3, 3))\nm.add(MaxPooling2D((2, 2)))\nm.add(Convolution2D(64, 3, 3))\n"
                 "m.add(Flatten())\nm.add(Dense(10))\nm.compile(loss='mse', optimizer='sgd')\n"
                 "m.fit(x, y, nb_epoch=5)\n")


#: A NumPy integer as units (Keras 2 accepted it): in Keras 2 code if {backend} imports Keras 2's backend and {show}
#: uses a function only it had.
_NP_UNITS = ("import numpy as np\n{backend}from keras import layers, models\ngrid = layers.Input((6, 6, 8))\n{show}"
             "code = layers.Dense(np.prod((6, 6, 8)), activation='relu')(layers.Flatten()(grid))\n"
             "m = models.Model(grid, layers.Reshape((6, 6, 8))(code))\n")
#: tf.keras code: a Conv1D on images, and a model built by fit on 1-D data.
_RANKS = ("from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Conv1D, Dense, Flatten\n"
          "m = Sequential([Conv1D(16, 2, input_shape=(12, 12, 3)), Flatten(), Dense(4)])\n",
          "import numpy as np\nfrom tensorflow.keras.models import Sequential\n"
          "from tensorflow.keras.layers import Dense\n"
          "hours = np.linspace(0.0, 10.0, 40)\nm = Sequential([Dense(1)])\nm.compile(loss='mae', optimizer='sgd')\n"
          "m.fit(hours, 5 * hours + 20, epochs=3)\n")


#: Arguments Keras rejects when the layer is made (Layer.__init__, the signature), not when it is called: reported at
#: the constructor, where Keras raises, also when the layer is called on another line (`lstm = LSTM(...)` then
#: `lstm(x)`).
_AT_CONSTRUCTION = r"\(Keras: Unrecognized keyword arguments\)$|takes at most \d+ positional arguments"


def _at_construction(row: Any) -> bool:
    """Does Keras raise this row's error where the layer is made (its constructor's checks: ``Dense(0)``, an
    unrecognized keyword), not where it is called?"""
    from ..infer import constructor_error

    if re.search(_AT_CONSTRUCTION, row.problem.message):
        return True
    found = constructor_error(row.layer)
    return found is not None and found.message == row.problem.message


class _KerasError(Rule):
    SEVERITY = "error"
    KIND: ClassVar[Type[errors.ShapeError]] = errors.ShapeError
    #: Whether the problem may come from reading the image format wrongly (a model of a file that may run with
    #: channels_first): a rank is the same in both formats.
    FORMAT_DEPENDENT: ClassVar[bool] = True

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .legacy import after_kernel_pair, legacy_advice

        said = set()
        for model, row in problem_rows(ctx.models, self.KIND):
            if built_after_unknown_data(model):
                continue  # built by an earlier call on data of a shape the analysis does not know
            if _placeholder_input(ctx, model):
                continue  # `def build(input_shape=()): Input(input_shape)`, run with that default: its callers give it
            if model.model.from_defaults and re.search(_NONE_SIZE, row.problem.message) and \
                    any(_none_default(ctx, r.layer) for r in _rows_through(model, row)):
                # `def __init__(self, input_dim=None): Dense(64, input_shape=(input_dim,))` (or an Input given it)
                # in a class or function nothing calls, run with that default: the None Keras raises on is a size
                # its callers give (KC103 is silent alike)
                continue
            if self.FORMAT_DEPENDENT and _channels_first_run(ctx, model) and row.layer.kwarg("data_format") is None \
                    and _format_read_before(model, row):
                # (1, 28, 28) in a file that may set channels_first: KC502's reading, which is silent there (a
                # layer given its data_format= is read as Keras reads it, whatever the setting)
                continue
            if not after_kernel_pair(ctx, model, row) and legacy_advice(ctx, row, model) is None:
                found = self.report(row_span(model, row), row.problem.message)
                if (found.span, found.message) not in said:  # one function called twice: one finding
                    said.add((found.span, found.message))
                    yield found


class NonPositiveDimension(_KerasError):
    KIND = errors.NonPositiveDimension
    CODE = KIND.CODE
    NAME = "non-positive-dimension"
    SUMMARY = "A convolution, pooling or cropping leaves a dimension of size zero or less"
    DOC = """\
## What it does
Finds convolution, pooling and cropping layers whose output would have a spatial
dimension of size zero or less: the window is larger than the input with
`padding="valid"`, or the input was already shrunk too far by earlier layers.

## Why is this bad?
Keras raises `ValueError: Computed output size would be zero or negative` when the
model is built. The mistake is usually several layers upstream: too many stride-2
layers or pooling steps for the input size.

## Example
```python
model = keras.Sequential([keras.Input((3, 3, 1)), layers.Conv2D(4, 5)])
```

## Use instead
```python
model = keras.Sequential([keras.Input((3, 3, 1)), layers.Conv2D(4, 5, padding="same")])
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 5)])\n",
             # written for a channels_first setting (named in the file): read channels last, the map would vanish
             "# Run with \"image_data_format\": \"channels_first\" in keras.json.\nimport keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((1, 28, 28)), layers.Conv2D(16, 3), layers.MaxPooling2D(2)])\n",
             _KERAS1_CONVS.format(keras="keras")]  # the kernels Keras 1 read leave a 12x12 map: KC404 notes only
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((3, 3, 1)), layers.Conv2D(4, 5)])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 1)), layers.MaxPooling2D(4),"
               " layers.MaxPooling2D(4)])\n",
               _KERAS1_CONVS.format(keras="tensorflow.keras"),  # tf.keras reads strides 3, as Keras 3 does
               # the same channels-first input in a file that says nothing of the setting
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((1, 28, 28)), layers.Conv2D(16, 3), layers.MaxPooling2D(2)])\n",
               # channels first named by the layers themselves: their shapes are Keras's whatever the setting
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((3, 9, 9)),\n"
               "    layers.Conv2D(8, 8, strides=2, data_format='channels_first'),\n"
               "    layers.MaxPooling2D(data_format='channels_first')])\n"]


class IncompatibleInput(_KerasError):
    KIND = errors.IncompatibleInput
    CODE = KIND.CODE
    NAME = "incompatible-input"
    SUMMARY = "A layer cannot accept the shape it is given"
    DOC = """\
## What it does
Finds layers whose input has a shape Keras cannot build them for: an undefined
channel dimension for a convolution or normalization, a list given to a layer
that takes one tensor.

## Why is this bad?
Keras raises when the model is built; the script never gets to training.

## Example
```python
x = keras.Input((None, None, None))
y = layers.Conv2D(8, 3)(x)  # channels unknown
```

## Use instead
```python
x = keras.Input((None, None, 3))
y = layers.Conv2D(8, 3)(x)
```
"""
    VALID = ["import keras\nfrom keras import layers\nx = keras.Input((None, None, 3))\n"
             "m = keras.Model(x, layers.Conv2D(8, 3)(x))\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((None, None, None))\n"
               "m = keras.Model(x, layers.Conv2D(8, 3)(x))\n"]


#: A model whose numbers are not known (the loop's count comes from the command line), then a layer made with
#: ``{made}`` and called on its output.
_AFTER_UNKNOWN_LOOP = ("import sys\nimport keras\nfrom keras import layers\nx = inputs = keras.Input((16, 16, 3))\n"
                       "for _ in range(int(sys.argv[1])):\n    x = layers.Conv2D(8, 3, padding='same')(x)\n"
                       "{made}m = keras.Model(inputs, dw(x))\n")


class InvalidArguments(_KerasError):
    KIND = errors.InvalidArguments
    CODE = KIND.CODE

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..infer import NOT_CONNECTED
        from .legacy import int_fix, legacy_advice

        for model, row in problem_rows(ctx.models, self.KIND):
            if legacy_advice(ctx, row, model) is not None:
                continue  # KC404's: the Keras the file is written for (Keras 1, 2 or tf.keras 2) accepted it
            if model.model.from_defaults and re.match(_MISSING, row.problem.message) and _spread(ctx, row.layer):
                continue  # `Conv2D(*args, **kwargs)` in a function nothing calls, run with no arguments
            if model.model.from_defaults and re.search(_NONE_SIZE, row.problem.message) \
                    and _none_default(ctx, row.layer):
                continue  # `def build(seq_len, vocab=None): Embedding(vocab, 64)`: its callers give the size
            where = model.model.span if row.problem.message.startswith(NOT_CONNECTED) else \
                row.layer.span if _at_construction(row) else row_span(model, row)
            yield Diagnostic(self.CODE, self.SEVERITY, row.problem.message, where, int_fix(row))
        for orphan in orphan_problems(ctx, self.KIND):
            # a layer made on every way to it, called on what the analysis does not know (or never): Keras raises
            # when it is created
            if legacy_advice(ctx, orphan) is None:
                yield Diagnostic(self.CODE, self.SEVERITY, orphan.problem.message, orphan.layer.span, int_fix(orphan))
        yield from self._add_keywords(ctx)

    def _add_keywords(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        """``model.add(Conv2D(64, 3), input_shape=(28, 28, 1))``: a layer's keyword given to ``Sequential.add``,
        which takes only the layer (and, in Keras 3, ``rebuild``): Python raises TypeError ("add() got an
        unexpected keyword argument") in every Keras version."""
        from .source import calls

        added = {}
        for model in ctx.models:
            if model.model.kind == "sequential":
                for row in model.rows:
                    s = row.layer.span
                    added[(s.line, s.column, s.end_line, s.end_column)] = row.layer
        if not added:
            return
        for call in calls(ctx):
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add" and call.args):
                continue
            first = call.args[0]
            layer = added.get((first.lineno, first.col_offset + 1, first.end_lineno, (first.end_col_offset or 0) + 1))
            extra = [k.arg for k in call.keywords if k.arg is not None and k.arg not in ("layer", "rebuild")]
            if layer is None or not extra:
                continue
            names = ", ".join(f"`{k}=`" for k in extra)
            yield Diagnostic(self.CODE, self.SEVERITY,
                             f"`add()` is given {names}: Sequential.add takes only the layer, so Python raises "
                             f"TypeError (\"add() got an unexpected keyword argument '{extra[0]}'\"); give "
                             f"{'it' if len(extra) == 1 else 'them'} to the layer: {layer.type}(..., {extra[0]}=...)",
                             Span(call.lineno, call.col_offset + 1, call.end_lineno or call.lineno,
                                  (call.end_col_offset or 0) + 1))

    NAME = "invalid-layer-arguments"
    SUMMARY = "A layer is given arguments Keras rejects"
    DOC = """\
## What it does
Finds layer calls with missing required arguments, too many positional
arguments, or values of the wrong kind (`padding="full"`, a kernel size tuple of
the wrong length, `filters` not divisible by `groups`, an initializer function that
cannot take the `dtype=` Keras 3 passes when it makes the weight, a function of the file
in a layer that `Bidirectional` rebuilds from its config without it being registered, a
plain function as an attention layer's initializer, which Keras clones as an object), and a layer's keyword given to
`Sequential.add` instead of the layer (`model.add(Conv2D(64, 3), input_shape=(28, 28, 1))`:
`add` takes only the layer, in every Keras). Arguments that Keras 1 or 2
accepted (`batch_input_shape=` on any layer, `AveragePooling2D()` with its old
default size) are KC404's instead in a file written for Keras 1 or 2 (one with other
Keras 1/2 API, or that imports Keras through TensorFlow): that code runs under the Keras
it was written for.

## Why is this bad?
Keras raises a `TypeError` or `ValueError` when the layer is created or built.

## Example
```python
layers.Conv2D(32, (3, 3, 3))  # a 3-D kernel for a 2-D convolution
```

## Use instead
```python
layers.Conv2D(32, (3, 3))
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, (3, 3))])\n",
             # tf.keras 2 accepted an integer shape and passed a float number of units through int(): KC404 notes
             "import tensorflow as tf\nx = tf.keras.Input(shape=(20))\n"
             "m = tf.keras.Model(x, tf.keras.layers.Dense(4)(x))\n",
             "import tensorflow as tf\nwidth = 96 / 2\nm = tf.keras.Sequential([tf.keras.Input((20,)), "
             "tf.keras.layers.Dense(width, activation='relu'), tf.keras.layers.Dense(1)])\n",
             # tf.keras 2 took a kernel initializer on a depthwise convolution, and used it for nothing (KC404)
             "from tensorflow.keras import Input, Model\nfrom tensorflow.keras.layers import DepthwiseConv2D\n"
             "x = Input((32, 32, 16))\nm = Model(x, DepthwiseConv2D(3, kernel_initializer='he_normal')(x))\n",
             # Keras 2 code (its backend's int_shape): Keras 2 accepted a NumPy integer as units (a KC404 note)
             _NP_UNITS.format(backend="from keras import backend as K\n", show="print(K.int_shape(grid))\n"),
             # code for tf-keras (`import tf_keras`, Keras 2 as a package), which accepts a NumPy integer too
             _NP_UNITS.replace("from keras import", "import tf_keras as keras\nfrom tf_keras import").format(
                 backend="", show=""),
             # the same activation registered as a custom object: Keras finds it again
             "import keras\nfrom keras import layers\n\n@keras.saving.register_keras_serializable()\ndef act(x):\n"
             "    return keras.ops.tanh(x)\n\n"
             "x = keras.Input((5, 4))\nm = keras.Model(x, layers.Bidirectional(layers.LSTM(3, activation=act))(x))\n",
             # an initializer function that takes dtype=, and one written for Keras 1 where no bias is made
             "import numpy as np\nimport keras\nfrom keras import layers\n\ndef init(shape, dtype=None):\n"
             "    return np.zeros(shape)\n\ndef old(shape, name=None):\n    return np.zeros(shape)\n\n"
             "m = keras.Sequential([keras.Input((4,)), layers.Dense(2, kernel_initializer=init, use_bias=False, "
             "bias_initializer=old)])\n",
             # a wrapper nothing calls, which passes on what it is given: run with no arguments, its *args are empty
             "import keras\nfrom keras import layers\n\ndef conv_bn(*args, **kwargs):\n"
             "    return keras.Sequential([layers.Conv2D(*args, use_bias=False, **kwargs), "
             "layers.BatchNormalization()])\n",
             # a builder nothing calls, whose sizes are None by default: its callers give them
             "import keras\nfrom keras import layers\n\ndef tagger(steps, vocab=None, dim=None):\n"
             "    ids = keras.Input((steps,))\n"
             "    return keras.Model(ids, layers.Dense(3)(layers.Embedding(vocab, dim)(ids)))\n",
             # the same for the input's shape: `input_shape=None` until a caller gives one
             "import keras\nfrom keras import layers\n\ndef regressor(input_shape=None, units=8):\n"
             "    x = keras.Input(shape=input_shape)\n"
             "    return keras.Model(x, layers.Dense(units)(x))\n",
             # a constructor Keras rejects, inside a `try` whose handler may catch it, or in a branch the analysis
             # cannot decide, after a loop whose count is not known
             _AFTER_UNKNOWN_LOOP.format(made="try:\n    dw = layers.DepthwiseConv2D(3, kernel_regularizer='l2')\n"
                                             "except TypeError:\n    dw = layers.DepthwiseConv2D(3)\n"),
             _AFTER_UNKNOWN_LOOP.format(made="if len(sys.argv) > 2:\n"
                                             "    dw = layers.DepthwiseConv2D(3, kernel_regularizer='l2')\n"
                                             "else:\n    dw = layers.DepthwiseConv2D(3)\n")]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential()\n"
               "m.add(layers.Conv2D(4, 3, activation='relu'), input_shape=(8, 8, 3))\n",
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, (3, 3, 3))])\n",
               _NP_UNITS.format(backend="", show=""),
               # the same code written for Keras 3 fails there
               "import keras\nx = keras.Input(shape=(20))\nm = keras.Model(x, keras.layers.Dense(4)(x))\n",
               "import keras\nwidth = 96 / 2\nm = keras.Sequential([keras.Input((20,)), "
               "keras.layers.Dense(width, activation='relu'), keras.layers.Dense(1)])\n",
               # a misspelled keyword on a recurrent layer whose outputs and states are unpacked
               "import keras\nfrom keras import layers\nx = keras.Input((None, 4))\n"
               "rnn = layers.LSTM(8, return_sequence=True, return_state=True)\ny, h, c = rnn(x)\nm = keras.Model(x, y)\n",
               # the constructor raises whatever the loop before it made: in no model's rows, it is still reported
               _AFTER_UNKNOWN_LOOP.format(made="dw = layers.DepthwiseConv2D(3, kernel_regularizer='l2')\n"),
               # Bidirectional rebuilds the LSTM from its config: an activation of the file, not registered
               "import keras\nfrom keras import layers\n\ndef act(x):\n    return keras.ops.tanh(x)\n\n"
               "x = keras.Input((5, 4))\nm = keras.Model(x, layers.Bidirectional(layers.LSTM(3, activation=act))(x))\n",
               # an initializer written for Keras 1: Keras 3 calls it as old(shape, dtype=...) for the kernel
               "import numpy as np\nimport keras\nfrom keras import layers\n\ndef old(shape, name=None):\n"
               "    return np.zeros(shape)\n\n"
               "m = keras.Sequential([keras.Input((4,)), layers.Dense(2, kernel_initializer=old)])\n"]


class WrongRank(_KerasError):
    KIND = errors.WrongRank
    CODE = KIND.CODE
    FORMAT_DEPENDENT = False
    NAME = "wrong-input-rank"
    SUMMARY = "A layer is applied to an input of the wrong rank"
    DOC = """\
## What it does
Finds layers applied to tensors of the wrong number of dimensions: a `Conv2D`
after a `Flatten`, a `Conv1D` on images, `MaxPooling2D` on a sequence.

## Why is this bad?
Keras raises `Input 0 of layer ... is incompatible with the layer: expected
ndim=4, found ndim=2` when the model is built.

## Example
```python
keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Conv2D(8, 3)])
```

## Use instead
```python
keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten()])
```
"""
    VALID = ["import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten()])\n",
             # fit, on data the analysis does not follow, builds the model before predict gets 1-D data (which
             # Keras then gives the model's last axis of size 1)
             "import numpy as np\nimport keras\nimport tensorflow as tf\ndays = np.arange(40.0)\n"
             "m = keras.Sequential([keras.layers.Dense(1)])\nm.compile(loss='mae', optimizer='sgd')\n"
             "m.fit(tf.expand_dims(days, axis=-1), 3 * days + 2, epochs=3)\nprint(m.predict(days[:10]))\n",
             # a builder nothing calls, run with its placeholder default `()` (a hold-out's HRNet): its callers give
             # the shape
             "import keras\nfrom keras import layers\n\ndef build(input_shape=(), classes=2):\n"
             "    x = keras.Input(input_shape)\n    return keras.Model(x, layers.Conv2D(classes, 3)(x))\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Conv2D(8, 3)])\n",
               # the same builder called with that empty shape: Keras raises
               "import keras\nfrom keras import layers\n\ndef build(input_shape=(), classes=2):\n"
               "    x = keras.Input(input_shape)\n    return keras.Model(x, layers.Conv2D(classes, 3)(x))\n\n"
               "m = build(())\n",
               # TensorFlow 2.6 to 2.15 read a Conv1D's extra leading axes as batch axes, and up to 2.6 made 1-D data
               # given to fit a column: other versions and Keras 3 reject both (tf.keras code is no excuse here)
               *_RANKS,
               # a file that names channels_first (a (4, 64, 8) input may be channels first there): a rank is the
               # same in either format (layer-level campaign seed 18101 #63)
               "from keras import Sequential, layers\nnet = Sequential()\nnet.add(layers.Input(shape=(4, 64, 8)))\n"
               "net.add(layers.SpatialDropout1D(rate=0.25))\n"
               "net.add(layers.MaxPooling2D(data_format='channels_first'))\n"]


class UndefinedDenseInput(_KerasError):
    KIND = errors.UndefinedDenseInput
    CODE = KIND.CODE
    NAME = "undefined-dense-input"
    SUMMARY = "Dense on an input whose last dimension is None"
    DOC = """\
## What it does
Finds `Dense` layers whose input has an undefined (`None`) last dimension,
typically a `Flatten` of a feature map whose height or width is `None`.

## Why is this bad?
`Dense` needs the size of its input to create its kernel. Keras raises
`The last dimension of the inputs to a Dense layer should be defined. Found None`.

## Example
```python
x = keras.Input((None, None, 3))
y = layers.Dense(10)(layers.Flatten()(x))
```

## Use instead
```python
x = keras.Input((None, None, 3))
y = layers.Dense(10)(layers.GlobalAveragePooling2D()(x))
```
"""
    VALID = ["import keras\nfrom keras import layers\nx = keras.Input((None, None, 3))\n"
             "m = keras.Model(x, layers.Dense(10)(layers.GlobalAveragePooling2D()(x)))\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((None, None, 3))\n"
               "m = keras.Model(x, layers.Dense(10)(layers.Flatten()(x)))\n"]


class ReshapeMismatch(_KerasError):
    KIND = errors.ReshapeMismatch
    CODE = KIND.CODE
    NAME = "reshape-size-mismatch"
    SUMMARY = "Reshape target does not hold the same number of values as its input"
    DOC = """\
## What it does
Finds `Reshape` layers whose `target_shape` does not match the number of values
in each sample of the input (or cannot divide it, with a `-1`).

## Why is this bad?
Keras raises `The total size of the tensor must be unchanged` when the model is built.

## Example
```python
keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 27))])
```

## Use instead
```python
keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 28, 1))])
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28)), layers.Reshape((-1, 1))])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 27))])\n"]


class MergeMismatch(_KerasError):
    KIND = errors.MergeMismatch
    CODE = KIND.CODE
    NAME = "merge-shape-mismatch"
    SUMMARY = "Concatenate, Add, Multiply... on tensors whose shapes do not fit"
    DOC = """\
## What it does
Finds merge layers (`Concatenate`, `Add`, `Multiply`, `Subtract`, `Average`,
`Maximum`, `Minimum` and their function forms) whose inputs cannot be combined:
different sizes outside the concatenation axis, or shapes that do not broadcast.
The same for operations on tensors: `a + b` or `keras.ops.multiply(a, b)` on shapes
that do not broadcast, `keras.ops.concatenate`, and `a @ b` or `keras.ops.matmul`
with different inner dimensions.

## Why is this bad?
Keras raises when the model is built. In U-Nets and skip connections the cause is
often an odd input size that pooling and up-sampling do not round-trip.

## Example
```python
a = keras.Input((32, 32, 8)); b = keras.Input((30, 30, 8))
c = layers.Concatenate()([a, b])
```

## Use instead
```python
a = keras.Input((32, 32, 8)); b = keras.Input((32, 32, 8))
c = layers.Concatenate()([a, b])
```
"""
    VALID = ["import keras\nfrom keras import layers\na = keras.Input((32, 32, 8))\nb = keras.Input((32, 32, 4))\n"
             "m = keras.Model([a, b], layers.Concatenate()([a, b]))\n"]
    INVALID = ["import keras\nfrom keras import layers\na = keras.Input((32, 32, 8))\nb = keras.Input((30, 30, 8))\n"
               "m = keras.Model([a, b], layers.Concatenate()([a, b]))\n",
               "import keras\nfrom keras import layers\na = keras.Input((16,))\nb = keras.Input((8,))\n"
               "m = keras.Model([a, b], layers.add([a, b]))\n",
               "import keras\na = keras.Input((16,))\nb = keras.Input((8,))\nm = keras.Model([a, b], a + b)\n"]


class DuplicateLayerName(Rule):
    CODE = "KC108"
    NAME = "duplicate-layer-name"
    SEVERITY = "error"
    SUMMARY = "Two layers of one model have the same name"
    DOC = """\
## What it does
Finds models in which two layers have the same name, for example an explicit
`name="dense"` next to an unnamed `Dense` (Keras names it `dense` too: an
explicit name does not advance Keras's automatic counter). Two layers made on different ways of a
condition the analysis cannot decide (`if ...: model.add(Dense(3))` / `else: model.add(Dense(5))`) are
never both in the model: they are not reported.

## Why is this bad?
Keras raises `The name "dense" is used 2 times in the model` when the model is
created; names must be unique for saving and loading weights.

## Example
```python
x = layers.Dense(8, name="dense")(inputs)
x = layers.Dense(4)(x)
```

## Use instead
```python
x = layers.Dense(8, name="hidden")(inputs)
x = layers.Dense(4)(x)
```
"""
    VALID = ["import keras\nfrom keras import layers\nx = keras.Input((10,))\n"
             "m = keras.Model(x, layers.Dense(4)(layers.Dense(8, name='hidden')(x)))\n",
             # a class the analysis does not see, called twice: Keras names each instance itself
             "import keras\nfrom keras import layers\nfrom blocks import Block\nx = keras.Input((10,))\n"
             "m = keras.Model(x, layers.Dense(4)(Block(8)(Block(8)(x))))\n",
             # a subclassed model's layers may share a name (Keras 3.15 builds this one: 20 params)
             "import keras\nfrom keras import layers\ndef block():\n    x = keras.Input((4,))\n"
             "    return keras.Model(x, layers.Dense(2)(x), name='unet')\n"
             "class Twin(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
             "        self.online = block()\n        self.ema = block()\n"
             "    def call(self, x):\n        return self.online(x) + self.ema(x)\n"
             "m = Twin()\nm(keras.Input((4,)))\n",
             # one way or the other adds its layer, named dense_1 on either
             "import sys\nimport keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), "
             "layers.Dense(8)])\nif len(sys.argv) > 1:\n    m.add(layers.Dense(3))\nelse:\n    m.add(layers.Dense(5))\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((10,))\n"
               "m = keras.Model(x, layers.Dense(4)(layers.Dense(8, name='dense')(x)))\n",
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((3,)), layers.Dense(4, name='a'), layers.Dense(2, name='a')])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..app_layers import name_clash
        from ..infer import duplicate_name

        for model in ctx.models:
            first = model.model.input_layer
            twice = duplicate_name(model.model, model.rows, ctx.ir.layer(first) if first is not None else None)
            clash = name_clash(model) if twice is None else None
            if clash is not None:
                # (the layers of keras.applications models its graph runs through: one row each for the rules)
                fix = "give that layer another name" if " at line " in clash else \
                    "call the models on the input instead of reading their tensors (`base(x)`), each then one " \
                    "layer of the model under its own name"
                yield self.report(model.model.span, f"{clash}; Keras rejects duplicate names: {fix}")
            if twice is not None:
                other, row = twice
                where = model.model.span if model.model.kind == "functional" else row.layer.span
                lines = f"lines {other.layer.span.line} and {row.layer.span.line}" \
                    if other.layer.span.line != row.layer.span.line else \
                    f"both made by the code run at line {row.layer.span.line}"  # (as by a function of another module)
                if other.layer.type == "InputLayer" and model.model.kind == "sequential":
                    lines = f"its InputLayer and the {row.layer.type} at line {row.layer.span.line}"
                yield self.report(where, f"the name \"{row.layer.name}\" is used by two layers of this model "
                                         f"({lines}); Keras rejects duplicate names: give one of them another name")


RULES = [NonPositiveDimension, IncompatibleInput, InvalidArguments, WrongRank, UndefinedDenseInput,
         ReshapeMismatch, MergeMismatch, DuplicateLayerName]


class PositionalStridesTrap(Rule):
    CODE = "KC110"
    LAYER_ADVICE = True
    NAME = "positional-strides-trap"
    SEVERITY = "warning"
    SUMMARY = "Conv2D(32, 3, 3): the third positional argument is strides, not the kernel's width"
    DOC = """\
## What it does
Finds convolutions called with three or more positional integers and no Keras 1
argument names, such as `Conv2D(32, 3, 3)`, and shows the output shape of both readings.
A third argument written as a name that says strides (`Conv2D(filters, kernel_size, strides)`)
is no finding, nor a third argument of 1 (`Conv2D(256, 3, 1, padding="same")`: strides 1, the default, keeps
every position), nor one below the second (`Conv2D(64, 7, 2)`, a strided convolution as ResNet's stem has it:
read as Keras 1 read it, a 7x2 kernel). In a file written for standalone Keras 1 or 2 (other Keras 1/2 API in it, Keras
not imported through TensorFlow), `Conv2D(32, 3, 3)` without `padding=`, `strides=` or
`data_format=` was read as a 3x3 kernel by the Keras it runs under: that is a KC404 note, and
the shapes after it are not checked against Keras 3's reading.

## Why is this bad?
In Keras 1, `Convolution2D(32, 3, 3)` meant 32 filters of 3×3. In tf.keras and
Keras 3 the third positional argument is `strides`: the same line silently makes
a strided convolution that throws away most of the image.

## Example
```python
layers.Conv2D(32, 3, 3, activation="relu")
```

## Use instead
```python
layers.Conv2D(32, (3, 3), activation="relu")      # a 3x3 kernel
layers.Conv2D(32, 3, strides=3, activation="relu")  # if strides 3 was meant
```
"""
    VALID = ["import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, (3, 3))])\n",
             # the third argument is named strides: strides are meant
             "import keras\nfrom keras import layers\n\ndef down(x, filters, kernel_size, strides):\n"
             "    return layers.Conv2D(filters, kernel_size, strides, padding='same')(x)\n\n"
             "x = keras.Input((64, 64, 3))\nm = keras.Model(x, down(down(x, 16, 3, 2), 32, 3, 2))\n",
             # code for standalone Keras 1/2, which read a 3x3 kernel: a KC404 note
             _KERAS1_CONVS.format(keras="keras"),
             # strides 1 written out (Keras's default): no position is dropped
             "import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((None, None, 256)), layers.Conv2D(36, 3, 1, padding='same')])\n",
             # a stride below the kernel's size, written positionally: a strided convolution (tf.keras reads it so)
             "import tensorflow as tf\nfrom tensorflow.keras import layers\n"
             "m = tf.keras.Sequential([tf.keras.Input((224, 224, 3)), layers.Conv2D(64, 7, 2, padding='same'),\n"
             "                         layers.Conv2D(16, 5, 3)])\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, 3, 3)])\n",
               # a text CNN of Keras 1 (a kernel as wide as the embedding): Keras 3 reads strides of 50
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((40, 50, 1)), layers.Conv2D(8, 3, 50)])\n",
               _KERAS1_CONVS.format(keras="tensorflow.keras")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..catalogue import legacy, lookup
        from ..catalogue.spec import BoundArgs, ShapeError, Unresolved, show_shape
        from .legacy import kernel_pair_read

        seen = set()
        for model in ctx.models:
            for row in model.rows:
                layer = row.layer
                if (layer.uid in seen or layer.type not in ("Conv1D", "Conv2D", "Conv3D", "SeparableConv2D",
                                                            "Conv2DTranspose", "ConvLSTM2D") or len(layer.args) < 3
                        or not all(isinstance(a, int) and not isinstance(a, bool) for a in layer.args[:3])):
                    continue
                seen.add(layer.uid)
                if layer.args[2] == 1 or layer.args[2] < layer.args[1] or _strides_by_name(ctx, layer) or \
                        kernel_pair_read(ctx, layer):
                    continue  # strides 1 (Keras's default: nothing is dropped), a stride below the kernel's size
                    # (`Conv2D(64, 7, 2)`, a ResNet stem: Keras 1's kernel would be 7x2), strides meant (a name says
                    # so), or the Keras the file is for read a kernel: KC404
                spec = lookup(layer.type)
                old = legacy.translate(layer.type, layer.args, dict(layer.kwargs, border_mode=layer.kwarg(
                    "padding", "valid")), [])
                keras1 = "?"
                if old is not None and row.input_shape is not None:
                    try:
                        from dataclasses import replace

                        rewritten = replace(layer, args=old[0], kwargs=tuple(old[1].items()))
                        keras1 = show_shape(spec.output_shape(BoundArgs(spec, rewritten), row.input_shape))
                    except (ShapeError, Unresolved, TypeError, ValueError):
                        pass
                yield self.report(layer.span, f"{layer.type}{tuple(layer.args[:3])}: Keras 3 reads the third "
                                  f"argument as strides={layer.args[2]} (output {show_shape(row.output_shape)}); "
                                  f"in Keras 1 it was the kernel's width (output {keras1}). Write the kernel as a "
                                  "tuple, or strides= by keyword")


def _format_read_before(model: Any, problem: Any) -> bool:
    """Does a layer of ``model``, up to the ``problem`` row, read Keras's image format: one with a ``data_format``
    argument it is not given by keyword, or one the catalogue does not know (a custom layer; a nested model's layers
    are read, where they are known)? Where none does (a convolution given ``data_format="channels_first"``, then a
    Reshape and a Cropping1D), the setting cannot change what Keras raises."""
    from ..catalogue import lookup

    def reads(row: Any) -> bool:
        if row.nested:  # a nested model: its own layers (a Sequential of convolutions given their format)
            return any(reads(inner) for inner in row.nested)
        spec = lookup(row.layer.type)
        return spec is None or (row.layer.kwarg("data_format") is None
                                and any(arg.name == "data_format" for arg in spec.signature))

    for row in model.rows:
        if reads(row):
            return True
        if row is problem:
            break
    return False


def _channels_first_run(ctx: RuleContext, model: Any) -> bool:
    """Does the model start from a channels-first-looking image, ``(1, 28, 28)``, or is it built by a function nothing
    in the file calls, in a file that may run with ``channels_first`` as Keras's image format (it names the setting,
    or is Keras 1 code, which often ran on Theano)? Read channels last, its shapes are not the ones the file runs
    with."""
    from .structure import _file_sets_channels_first

    if model.model.from_defaults and _file_sets_channels_first(ctx):
        return True  # a builder nothing here calls: whoever calls it may set channels_first first (a course's notebook)
    inputs = model.inputs or ()
    return (len(inputs) == 1 and isinstance(inputs[0], tuple) and len(inputs[0]) == 4
            and all(isinstance(d, int) for d in inputs[0][1:]) and inputs[0][1] in (1, 3, 4)
            and inputs[0][2] >= 8 and inputs[0][3] >= 8 and _file_sets_channels_first(ctx))


_MISSING = r"^\w+ is missing its required argument `"  # (a problem's message: matched by re.match)
#: A problem's message that a None given for a size can cause: the word None, or an Input without a shape
#: (``keras.Input(shape=input_shape)`` with ``input_shape=None``).
_NONE_SIZE = r"\bNone\b|^Input: a `shape` or `batch_shape` argument is required"


def _spread(ctx: RuleContext, layer: Any) -> bool:
    """Does the layer's call pass ``*args`` or ``**kwargs`` on? In a function run with its default arguments they are
    empty, which says nothing of the calls the program makes."""
    from .source import call_at

    call = call_at(ctx, layer.span)
    return call is not None and (any(isinstance(a, ast.Starred) for a in call.args)
                                 or any(k.arg is None for k in call.keywords))


def _none_default(ctx: RuleContext, layer: Any) -> bool:
    """Is the layer given a parameter whose default is None, of the function around it? A function nothing calls
    is run with its default arguments; a size left None there (``def build(seq_len, vocab=None): ...
    Embedding(vocab, 64)``) is one its callers give, and Keras's error on None says nothing of them."""
    return _given_default(ctx, layer, lambda d: isinstance(d, ast.Constant) and d.value is None)


def _placeholder_input(ctx: RuleContext, model: Any) -> bool:
    """Is the model one a function nothing calls builds with its default arguments, on an ``Input`` given a parameter
    whose default is an empty tuple or list (``def seg_hrnet(input_shape=(), classes=2): inputs =
    Input(input_shape)``)? That default is a placeholder its callers replace: the (None,) input it makes, and Keras's
    errors on the layers after it (a Conv2D given rank 1), say nothing of the calls the program makes."""
    if not model.model.from_defaults:
        return False
    empty = lambda d: isinstance(d, (ast.Tuple, ast.List)) and not d.elts  # noqa: E731
    return any(row.layer.type == "InputLayer" and _given_default(ctx, row.layer, empty) for row in model.rows)


def _rows_through(model: Any, row: Any) -> List[Any]:
    """The rows of ``model`` up to ``row`` (included): the layers whose sizes reach it."""
    rows = list(model.rows)
    for i, r in enumerate(rows):
        if r is row:
            return rows[:i + 1]
    return [row]


def _given_default(ctx: RuleContext, layer: Any, test: Callable[[ast.expr], bool]) -> bool:
    """Is the layer's call given a parameter of the function around it whose default passes ``test``?"""
    from .source import call_at

    call = call_at(ctx, layer.span)
    if call is None or ctx.tree is None:
        return False
    around = [fn for fn in ast_walk(ctx.tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
              and fn.lineno <= call.lineno and call.end_lineno is not None and fn.end_lineno is not None
              and call.end_lineno <= fn.end_lineno]
    if not around:
        return False
    args = max(around, key=lambda fn: fn.lineno).args
    positional = [*args.posonlyargs, *args.args]
    defaults = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    defaults += [(p, d) for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    chosen = {p.arg for p, d in defaults if test(d)}
    given = {n.id for arg in (*call.args, *(k.value for k in call.keywords)) for n in ast_walk(arg)
             if isinstance(n, ast.Name)}
    return bool(chosen & given)


def _strides_by_name(ctx: RuleContext, layer: Any) -> bool:
    """Is the third positional argument written as a name that says strides (``Conv2D(filters, kernel_size,
    strides)``, ``self.stride``), or is it out of sight (``Conv2D(*config)``)? Either way the call does not show
    Keras 1's two kernel sizes."""
    from .source import call_at

    call = call_at(ctx, layer.span)
    if call is None:
        return False
    if any(isinstance(a, ast.Starred) for a in call.args[:3]):
        return True
    if len(call.args) < 3:
        return False
    third = call.args[2]
    name = third.id if isinstance(third, ast.Name) else third.attr if isinstance(third, ast.Attribute) else ""
    return "stride" in name.lower()


RULES.append(PositionalStridesTrap)
