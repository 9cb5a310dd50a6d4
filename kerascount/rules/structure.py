"""KC5xx: faults in how layers are put together, found from the layer sequence and arguments.

These rules need the order of the layers and their arguments, not shapes or parameter counts:
they run on models whose numbers are unknown or symbolic too (an `input_shape=X.shape[1:]`, a
snippet without its data). Where a rule reads a shape, it uses it only when it is exact.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

from ..catalogue import lookup, with_trait
from ..catalogue.spec import show_shape
from ..ir import UNKNOWN_NAME, Diagnostic, Fix, LayerResult, ModelResult
from .base import Rule, RuleContext, named, readers, row_index, row_span, titled, upstream
from .heads import activation_of, arguments, declared_units

#: Layers that keep their input's rank and meaning (a search for what feeds a layer goes on through them).
PASS = with_trait("inference_identity", "normalizing", "activation")
#: Layers that pass their input's values on unchanged in inference (dropout, noise, identity).
_IDENTITY = with_trait("inference_identity")
#: Layers that move their input's values without computing new ones (Reshape, Flatten, Permute, RepeatVector).
_REARRANGING = with_trait("rearranging")
#: Layers whose output is a 2-D or 3-D feature map (batch, [depth,] height, width, channels).
SPATIAL = {f"{kind}{d}D" for d in (2, 3) for kind in (
    "Conv", "SeparableConv", "DepthwiseConv", "MaxPooling", "AveragePooling", "ZeroPadding", "Cropping",
    "UpSampling", "Conv", "ConvLSTM", "LocallyConnected")}
#: Layers after which the tensor is (batch, features).
FLAT = with_trait("flattening")
#: Layers that make a map larger: a model with them is a decoder or segmenter, where a per-pixel Dense may be meant.
DECODING = with_trait("upscaling")
#: Layers sliding a window over 2-D maps (convolutions and poolings).
_CONV2D = frozenset(name for name in with_trait("windowed") if lookup(name).input_rank == 4)


def feeder(ctx: RuleContext, model: ModelResult, index: int, through=PASS) -> Tuple[Optional[LayerResult], List[str]]:
    """The first row above row ``index`` that is not of a type in ``through``, and the types passed."""
    passed: List[str] = []
    row = upstream(ctx, model, index)
    for _ in range(len(model.rows)):
        if row is None or row.layer.type not in through:
            return row, passed
        passed.append(row.layer.type)
        row = upstream(ctx, model, row_index(model, row))
    return None, passed


def _graph(model: ModelResult) -> bool:
    return model.model.kind in ("sequential", "functional")


def reaches_output(ctx: RuleContext, model: ModelResult, index: int, through: Set[str]) -> bool:
    """Every path from row ``index`` reaches the model's output through layers of the types in ``through`` only."""
    after = readers(ctx, model)
    todo, seen = [index], set()
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        nexts = after.get(i, [])
        if not nexts:
            return False
        for j in nexts:
            if j == -1:
                continue
            if model.rows[j].layer.type not in through:
                return False
            todo.append(j)
    return True


def _dense(layer: Any, units: Any) -> str:
    """A Dense layer with its width, as KC505 names it: ``dense (Dense, 16 units)``, or ``a Dense of 1 unit``
    where its name is not known."""
    width = f"{units} unit" + ("" if units == 1 else "s")
    return f"a Dense of {width}" if layer.name == UNKNOWN_NAME else f"{layer.name} (Dense, {width})"


class MissingFlatten(Rule):
    CODE = "KC501"
    LAYER_ADVICE = True
    NAME = "dense-on-feature-map"
    SEVERITY = "warning"
    SUMMARY = "A Dense classifier on a convolution's feature map, with no Flatten or global pooling before it"
    DOC = """\
## What it does
Finds a `Dense` layer fed by a 2-D or 3-D feature map (a `Conv2D`, `MaxPooling2D`, ...,
possibly through `Dropout`, `BatchNormalization` or activation layers) with no `Flatten`,
global pooling or `Reshape` in between, when it leads to the model's output. Models that
up-sample (decoders, segmenters) or keep the input's resolution up to the `Dense` are left
alone: there a per-pixel `Dense` may be meant.
It needs only the layer order, so it works when the input shape is not known.

## Why is this bad?
`Dense` acts on the last axis only: on a `(batch, 7, 7, 64)` map it outputs
`(batch, 7, 7, units)`, one prediction per pixel, not one per image. Keras builds the
model without complaint and `fit` then fails on labels of shape `(batch, units)`, or
trains a different model than intended. On a map already reduced to 1x1 the output still
keeps those axes, `(batch, 1, 1, units)`, and the finding says so. "Missing Flatten" is a fault kind of NeuraLint
(Nikanjam et al., TOSEM 2021) and of Islam et al. (ICSE 2020).

## Example
```python
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                          layers.MaxPooling2D(), layers.Dense(10, activation="softmax")])
```

## Use instead
```python
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                          layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10, activation="softmax")])
```
`kerascount lint --fix --unsafe-fixes` adds the `Flatten()` (an unsafe fix: the model changes): as
an element of `Sequential([...])`, as a `model.add(Flatten())` line, or as `Dense(10)(Flatten()(x))`,
written as the file writes its layers (`layers.Flatten`, or `Flatten` imported beside `Dense`).
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
             "layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10, activation='softmax')])\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
             "layers.Conv2D(8, 3), layers.UpSampling2D(), layers.Dense(3, activation='softmax')])\n",
             # the encoder of an autoencoder whose decoder up-samples its per-pixel code again
             "import keras\nfrom keras import layers\n"
             "enc = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3, padding='same'),\n"
             "                        layers.MaxPooling2D(), layers.Dense(4, activation='relu')])\n"
             "dec = keras.Sequential([layers.UpSampling2D(), layers.Conv2D(1, 3, padding='same')])\n"
             "ae = keras.Sequential([keras.Input((28, 28, 1)), enc, dec])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
               "layers.Conv2D(8, 3), layers.MaxPooling2D(), layers.Dense(10, activation='softmax')])\n",
               "from keras.models import Sequential\nfrom keras.layers import Conv2D, Dense, Dropout\n"
               "model = Sequential()\nmodel.add(Conv2D(8, (3, 3), input_shape=X.shape[1:]))\n"
               "model.add(Dropout(0.2))\nmodel.add(Dense(64, activation='relu'))\nmodel.add(Dense(1))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        decoded = _encoders(ctx)
        for model in ctx.models:
            if not _graph(model) or any(r.layer.type in DECODING for r in model.rows) or decoded(model):
                continue
            for i, row in enumerate(model.rows):
                if row.layer.type != "Dense" or row.layer.uid in seen:
                    continue
                source, _ = feeder(ctx, model, i)
                if source is None or source.layer.type not in SPATIAL or source.layer.type.startswith("ConvLSTM"):
                    continue
                if isinstance(row.input_shape, tuple) and len(row.input_shape) < 4:
                    continue  # the shape is known and is not a map (a layer flattened it)
                if not reaches_output(ctx, model, i, PASS | {"Dense"}) or _full_resolution(model, row):
                    continue
                seen.add(row.layer.uid)
                shape = _shape(source)
                span = row_span(model, row)
                fix = Fix("unsafe", f"add Flatten() before {named(row.layer)}", span, "Dense", ("insert", "Flatten"))
                what = "it predicts per pixel, not per sample"
                if _one_by_one(source):
                    out = f" {show_shape(row.output_shape)}" if _shape(row) else ""  # (where it is known)
                    what = f"its output keeps the map's axes of size 1{out}, which labels of one row per sample " \
                           "do not have"
                yield Diagnostic(self.CODE, self.SEVERITY, f"{titled(row.layer)} is applied to the feature map "
                                 f"of {titled(source.layer)}{shape} with no Flatten or global "
                                 f"pooling: {what}; add Flatten() (or GlobalAveragePooling2D()) before it", span, fix)


def _encoders(ctx: RuleContext) -> Callable[[ModelResult], bool]:
    """Whether a model is an encoder: used as a layer of a model that up-samples (itself or a model nested in it,
    the decoder of an autoencoder)? Its output is then a map on purpose. (Read once for the file: linear in its
    models and rows.)"""
    index_of: Dict[int, int] = {}  # a model's first index in the IR (each result stands for its last)
    at: Dict[int, List[int]] = {}
    for i, m in enumerate(ctx.ir.models):
        index_of.setdefault(id(m), i)
        at.setdefault(id(m), []).append(i)
    by_index = {i: r for r in ctx.models for i in at.get(id(r.model), ())}
    decoded: Set[int] = set()
    for outer in ctx.models:
        for r in outer.rows:
            nested = by_index.get(r.layer.submodel) if r.layer.submodel is not None else None
            if r.layer.type in DECODING or nested is not None and any(n.layer.type in DECODING for n in nested.rows):
                decoded.update(x.layer.submodel for x in outer.rows if x.layer.submodel is not None)
                break
    return lambda model: index_of.get(id(model.model)) in decoded


def _full_resolution(model: ModelResult, row: LayerResult) -> bool:
    """The Dense reads a map as large as the model's input image: a per-pixel classifier (segmentation)."""
    shape, inputs = row.input_shape, model.inputs
    if not isinstance(shape, tuple) or not inputs or len(inputs) != 1 or not isinstance(inputs[0], tuple):
        return False
    return len(inputs[0]) == len(shape) and tuple(inputs[0][1:-1]) == tuple(shape[1:-1])


def _one_by_one(row: LayerResult) -> bool:
    """Is ``row``'s output a map whose spatial axes are all of size 1 (``(None, 1, 1, 512)``)?"""
    shape = row.output_shape
    return isinstance(shape, tuple) and len(shape) >= 3 and all(d == 1 for d in shape[1:-1])


def _shape(row: LayerResult) -> str:
    shape = row.output_shape
    if isinstance(shape, tuple) and shape and all(isinstance(d, int) or d is None for d in shape):
        return f", shape {show_shape(shape)},"
    return ""


def _file_sets_channels_first(ctx: RuleContext) -> bool:
    """May the file run with channels_first as Keras's image format: it names the setting, or it is Keras 1 code
    (Convolution2D, border_mode=), which often ran on Theano, whose default was channels first? Not the latter
    through tf.keras, which was channels last unless set."""
    from .legacy import tf_keras_file

    text = ctx.source
    if any(word in text for word in ("channels_first", "image_data_format", "image_dim_ordering",
                                     "set_image_data_format", "dim_ordering", "keras.json", "'th'", '"th"')):
        return True
    return any(word in text for word in ("Convolution2D", "border_mode")) and not tf_keras_file(ctx)


class ChannelsFirstInput(Rule):
    CODE = "KC502"
    LAYER_ADVICE = True
    NAME = "channels-first-input"
    SEVERITY = "warning"
    SUMMARY = "An image input shaped (channels, height, width) fed to channels-last convolutions"
    DOC = """\
## What it does
Finds 2-D convolutions and poolings that use Keras's default `data_format="channels_last"`
while their input looks channels-first: `(3, 224, 224)` or `(1, 28, 28)`, a first
dimension of 1, 3 or 4 followed by two dimensions of at least 8. Files that mention
`channels_first`, `image_data_format` or `image_dim_ordering` (and could have changed
the default) are left alone.

## Why is this bad?
Keras reads `(3, 224, 224)` as an image 3 pixels high, 224 wide, with 224 channels: the
first 3x3 convolution leaves a height of 1 and the model learns from the wrong axes, or
fails later with a negative dimension. It comes from code written for Theano or PyTorch
(NCHW) and is a "wrong input format" fault in Humbatova et al. (ICSE 2020) and Islam et
al. (ICSE 2020).

## Example
```python
model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(32, 3)])
```

## Use instead
```python
model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, 3)])
```
(and transpose the data: `x = x.transpose(0, 2, 3, 1)`), or pass `data_format="channels_first"`.
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), "
             "layers.Conv2D(8, 3)])\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((3, 32, 32)), "
             "layers.Conv2D(8, 3, data_format='channels_first')])\n",
             # a block called on a feature map of 3 rows: its input is no image the user gives
             "import keras\nfrom keras import layers\nclass Block(keras.Model):\n    def __init__(self):\n"
             "        super().__init__()\n        self.conv = layers.Conv2D(8, 1)\n    def call(self, x):\n"
             "        return self.conv(x)\nm = keras.Sequential([keras.Input((40, 120, 1)), layers.Conv2D(32, 5, "
             "strides=3), layers.MaxPooling2D(4), Block()])\n",
             # ... and first in a Sequential that is itself such a block
             "import keras\nfrom keras import layers\nclass Block(keras.Model):\n    def __init__(self):\n"
             "        super().__init__()\n        self.conv = layers.Conv2D(8, 1)\n    def call(self, x):\n"
             "        return self.conv(x)\nm = keras.Sequential([keras.Input((40, 120, 1)), layers.Conv2D(32, 5, "
             "strides=3), layers.MaxPooling2D(4), keras.Sequential([Block(), Block()])])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((3, 32, 32)), "
               "layers.Conv2D(8, 3)])\n",
               # the same block given the user's channels-first images
               "import keras\nfrom keras import layers\nclass Block(keras.Model):\n    def __init__(self):\n"
               "        super().__init__()\n        self.conv = layers.Conv2D(8, 1)\n    def call(self, x):\n"
               "        return self.conv(x)\nm = keras.Sequential([keras.Input((3, 40, 120)), Block()])\n",
               "import keras\nfrom keras import layers\nclass Block(keras.Model):\n    def __init__(self):\n"
               "        super().__init__()\n        self.conv = layers.Conv2D(8, 1)\n    def call(self, x):\n"
               "        return self.conv(x)\nm = keras.Sequential([keras.Input((3, 40, 120)), "
               "keras.Sequential([Block()])])\n",
               "from keras.models import Sequential\nfrom keras.layers import Conv2D, MaxPooling2D\n"
               "model = Sequential()\nmodel.add(Conv2D(32, (3, 3), input_shape=(1, 28, 28), activation='relu'))\n"
               "model.add(MaxPooling2D(pool_size=(2, 2)))\n",
               # Keras 1's class name through tf.keras, which was channels last unless set
               "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Convolution2D\n"
               "model = Sequential([Convolution2D(8, (3, 3), input_shape=(3, 64, 64))])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if _file_sets_channels_first(ctx):
            return
        seen: Set[int] = set()
        inner = _fed_by_layers(ctx)
        for model in ctx.models:
            if inner(model):
                continue
            for row in model.rows:
                shape = row.input_shape
                if row.layer.type not in _CONV2D or row.layer.uid in seen or not isinstance(shape, tuple) or \
                        len(shape) != 4 or not all(isinstance(d, int) for d in shape[1:]):
                    continue
                args = arguments(row)
                if args is None or args.raw("data_format") is not None or row.layer.open_kwargs is not None:
                    continue
                c, h, w = shape[1:]
                if c in (1, 3, 4) and h >= 8 and w >= 8 and _from_input(ctx, model, row):
                    seen.add(row.layer.uid)
                    yield self.report(row_span(model, row), f"the input of {titled(row.layer)} is "
                                      f"({c}, {h}, {w}) per sample, which looks channels-first, but the layer reads "
                                      f"channels last: an image {c} pixels high with {w} channels; give the input "
                                      f"as ({h}, {w}, {c}) or pass data_format='channels_first'")


def _fed_by_layers(ctx: RuleContext) -> Callable[[ModelResult], bool]:
    """Whether a model is used as a layer of another model that feeds it the output of its own layers (a block of
    a network, called on a feature map), or is the first layer of such a model: its input is then no image the
    user gives, whatever its shape. (Read once for the file.)"""
    index_of: Dict[int, int] = {}  # a model's first index in the IR (each result stands for its last)
    at: Dict[int, List[int]] = {}
    for i, m in enumerate(ctx.ir.models):
        index_of.setdefault(id(m), i)
        at.setdefault(id(m), []).append(i)
    inner: Set[int] = set()
    held: Dict[int, Set[int]] = {}  # model index -> the indexes of the models holding it as their first layer
    for outer in ctx.models:
        for r in outer.rows:
            if r.layer.submodel is None:
                continue
            mine = at.get(id(ctx.ir.models[r.layer.submodel]), [r.layer.submodel])
            if not _from_input(ctx, outer, r):
                inner.update(mine)
            else:
                for i in mine:
                    held.setdefault(i, set()).update(at.get(id(outer.model), ()))
    # the first layer of a model that is fed by layers is fed by them too (a block first in a nested Sequential)
    todo = list(inner)
    while todo:
        done = todo.pop()
        for i, holders in held.items():
            if done in holders and i not in inner:
                inner.add(i)
                todo.append(i)
    return lambda model: any(i in inner for i in at.get(id(model.model), ()))


def _from_input(ctx: RuleContext, model: ModelResult, row: LayerResult) -> bool:
    """The row is the first layer of its model or reads the input through shape-keeping layers."""
    index = row_index(model, row)
    source, _ = feeder(ctx, model, index)
    return source is None or source.layer.type == "InputLayer"


def _keeps_dims(row: LayerResult) -> bool:
    """A global pooling that may keep its spatial axes (``keepdims=`` given and not False): its output is
    (batch, 1, 1, channels), a feature map, as in squeeze-and-excitation blocks."""
    if not row.layer.type.startswith("Global"):
        return False
    args = arguments(row)
    return args is None or args.raw("keepdims", False) is not False


class ConvAfterDense(Rule):
    CODE = "KC503"
    NAME = "conv-after-flat"
    SEVERITY = "error"
    SUMMARY = "A convolution or pooling after Flatten, global pooling or Dense, with no Reshape"
    DOC = """\
## What it does
Finds a 2-D or 3-D convolution or pooling whose input comes, with no `Reshape` in
between, from `Flatten`, a global pooling, or a `Dense` on such a flat vector, when the
shapes are not known (with known shapes this is KC104). It reads the order of the layers
only. A global pooling given `keepdims=True` keeps its spatial axes (`(batch, 1, 1, channels)`,
as squeeze-and-excitation blocks use it) and is no flat vector.

## Why is this bad?
After `Flatten` a tensor is `(batch, features)`: a `Conv2D` needs `(batch, height, width,
channels)` and Keras raises `expected ndim=4, found ndim=2` when it builds the model.
"Missing Reshape" is a fault kind of NeuraLint (Nikanjam et al., TOSEM 2021), found in
generators that go from a Dense layer back to images.

## Example
```python
model.add(Dense(7 * 7 * 64, input_dim=latent_dim))
model.add(Conv2DTranspose(32, 3))
```

## Use instead
```python
model.add(Dense(7 * 7 * 64, input_dim=latent_dim))
model.add(Reshape((7, 7, 64)))
model.add(Conv2DTranspose(32, 3))
```
"""
    VALID = ["from keras.models import Sequential\nfrom keras.layers import Dense, Reshape, Conv2D\n"
             "model = Sequential()\nmodel.add(Dense(7 * 7 * 8, input_dim=n))\nmodel.add(Reshape((7, 7, 8)))\n"
             "model.add(Conv2D(8, 3))\n",
             "from keras import layers, models\nfrom stems import Stem\ninputs = layers.Input((32, 32, 3))\n"
             "s = layers.GlobalAveragePooling2D(keepdims=True)(Stem()(inputs))\n"
             "model = models.Model(inputs, layers.Conv2D(8, 1)(s))\n"]
    INVALID = ["from keras.models import Sequential\nfrom keras.layers import Conv2D, Flatten, MaxPooling2D\n"
               "model = Sequential()\nmodel.add(Conv2D(8, 3, input_shape=X.shape[1:]))\nmodel.add(Flatten())\n"
               "model.add(MaxPooling2D())\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            if not _graph(model):
                continue
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type not in SPATIAL or layer.type.startswith(("ZeroPadding", "Cropping", "UpSampling")) or \
                        layer.uid in seen or (row.problem is not None and row.problem.error) or row.input_shape is not None:
                    continue
                source, _ = feeder(ctx, model, i, PASS | {"Dense"})
                if source is None or source.layer.type not in FLAT or _keeps_dims(source):
                    continue
                seen.add(layer.uid)
                yield self.report(row_span(model, row), f"{titled(layer)} needs a feature map but its "
                                  f"input is flat: it comes from {titled(source.layer)} with no "
                                  "Reshape; Keras raises 'expected ndim' when it builds the model; add a Reshape "
                                  "to (height, width, channels) before it")


class DropoutBeforeBatchNorm(Rule):
    CODE = "KC504"
    LAYER_ADVICE = True
    NAME = "dropout-before-batchnorm"
    SEVERITY = "warning"
    SUMMARY = "Dropout directly before BatchNormalization"
    DOC = """\
## What it does
Finds a `Dropout` (or `SpatialDropout`, `GaussianDropout`) whose output goes straight
into a `BatchNormalization`.

## Why is this bad?
Dropout scales the activations it keeps during training and not at inference, so the
variance BatchNormalization learns during training is not the one it sees at inference
("variance shift", Li et al., CVPR 2019): predictions get worse after training. NeuraLint
(Nikanjam et al., TOSEM 2021) reports it as a fault. Put Dropout after the normalization
(and the activation), or drop it when BatchNormalization regularises enough.

## Example
```python
layers.Dense(64), layers.Dropout(0.5), layers.BatchNormalization(), layers.ReLU()
```

## Use instead
```python
layers.Dense(64), layers.BatchNormalization(), layers.ReLU(), layers.Dropout(0.5)
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4), "
             "layers.BatchNormalization(), layers.Dropout(0.5)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4), "
               "layers.Dropout(0.5), layers.BatchNormalization()])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                if row.layer.type != "BatchNormalization":
                    continue
                prev = upstream(ctx, model, i)
                if prev is None or "Dropout" not in prev.layer.type or prev.layer.uid in seen:
                    continue
                seen.add(prev.layer.uid)
                yield self.report(row_span(model, prev), f"{titled(prev.layer)} feeds "
                                  f"{titled(row.layer)} directly: the variance the normalization "
                                  "learns with dropout is not the one it sees at inference; move the dropout after "
                                  "the normalization")


class LinearDenseStack(Rule):
    CODE = "KC505"
    LAYER_ADVICE = True
    NAME = "linear-dense-stack"
    SEVERITY = "warning"
    SUMMARY = "A Dense layer without activation feeding another Dense layer that is not wider: no non-linearity between"
    DOC = """\
## What it does
Finds a hidden `Dense` layer with no activation (none given, so linear) whose output goes
into another `Dense` layer, directly or through `Dropout`, when the second layer has at
most as many units as the first, in a model that uses non-linear activations elsewhere.
A narrower linear layer before a wider one (a bottleneck, as in autoencoders and
embeddings) is left alone, and so are `activation="linear"` or `None` written out and
models with no activation at all (linear models written as such).

A warning where the activation looks forgotten: another hidden `Dense` of the model is followed by
a non-linearity, and this one is not the first layer on the model's input. Elsewhere an info
note: a single linear layer before a classifier on a pretrained base, or a first `Dense` written
as an "input layer", is common in working code, and costs parameters, not correctness.

## Why is this bad?
Two linear layers compose to one linear map: `Dense(64)` then `Dense(10)` can represent
nothing that a single `Dense(10)` cannot, so the hidden layer adds parameters and no
capacity. The network is a linear model, however deep it looks. A missing activation
("missing ReLU") is a fault kind of NeuraLint (Nikanjam et al., TOSEM 2021) and of
Humbatova et al. (ICSE 2020).

## Example
```python
layers.Dense(128, activation="relu"), layers.Dense(64), layers.Dense(10, activation="softmax")
```

## Use instead
```python
layers.Dense(128, activation="relu"), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
             "layers.Dense(64, activation='relu'), layers.Dense(10, activation='softmax')])\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
             "layers.Dense(2), layers.Dense(64, activation='relu')])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
               "layers.Dense(64), layers.Dropout(0.5), layers.Dense(10, activation='softmax')])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
               "layers.Dense(128, activation='relu'), layers.Dense(64), layers.Dense(10, activation='softmax')])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            if not _graph(model) or not any(activation_of(r.layer, ctx) not in (None, "linear") for r in model.rows):
                continue  # no activation anywhere: a linear model, written as one on purpose
            after = readers(ctx, model)
            activated = _activated_dense(ctx, model, after)
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type != "Dense" or layer.uid in seen or not _left_linear(layer):
                    continue
                nexts = _through(model, after, i, _IDENTITY)
                if not nexts or any(model.rows[j].layer.type != "Dense" for j in nexts):
                    continue
                n = declared_units(ctx, model, row)
                widths = [declared_units(ctx, model, model.rows[j]) for j in nexts]
                if not isinstance(n, int) or not all(isinstance(w, int) and w <= n for w in widths):
                    continue
                seen.add(layer.uid)
                nxt = model.rows[nexts[0]].layer
                # A warning where the activation looks forgotten: another hidden Dense of the model has one, and this
                # one is not the first layer on the input (`Dense(784, input_shape=(784,))`, written as an "input
                # layer"). Else a note: a linear bottleneck written on purpose is common in working code (a linear
                # head on a pretrained base), and the layer costs parameters, not correctness.
                source = upstream(ctx, model, i)
                forgotten = bool(activated - {i}) and source is not None and source.layer.type != "InputLayer"
                yield Diagnostic(self.CODE, self.SEVERITY if forgotten else "info",
                                 f"{_dense(layer, n)} has no activation and feeds {_dense(nxt, widths[0])}: two "
                                 f"linear layers compute one linear map; add "
                                 f"activation='relu' to {named(layer)}", row_span(model, row))


def _activated_dense(ctx: RuleContext, model: ModelResult, after) -> Set[int]:
    """The hidden Dense rows (feeding another layer) followed by a non-linearity: their own activation, or an
    activation layer after them (through Dropout and the like)."""
    out: Set[int] = set()
    for i, row in enumerate(model.rows):
        if row.layer.type != "Dense":
            continue
        nexts = _through(model, after, i, _IDENTITY)
        if not nexts:
            continue  # the model's output (or what the analysis cannot follow)
        if activation_of(row.layer, ctx) not in (None, "linear") or any(
                model.rows[j].layer.type in _ACTIVATION_TYPES and activation_of(model.rows[j].layer, ctx) not in
                (None, "linear") and _through(model, after, j, _IDENTITY) for j in nexts):
            out.add(i)
    return out


_ACTIVATION_TYPES = frozenset(("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU"))


def _left_linear(layer) -> bool:
    """No activation argument at all (written out as None or "linear", a linear layer is meant)."""
    args = arguments(layer)
    return args is not None and layer.open_kwargs is None and not layer.has_kwarg("activation") and \
        len(layer.args) < 2  # Keras 1's Dense took init, then activation, by position


def _through(model: ModelResult, after, index: int, through: Set[str]) -> List[int]:
    """The rows the output of row ``index`` reaches through layers of the types in ``through``;
    empty if it reaches the model's output or nothing."""
    found: List[int] = []
    todo, seen = [index], set()
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        nexts = after.get(i, [])
        if not nexts or -1 in nexts:
            return []
        for j in nexts:
            (todo if model.rows[j].layer.type in through else found).append(j)
    return found


_POOLING = with_trait("windowed") - with_trait("linear")  # Max/AveragePooling1D-3D


def _window_and_strides(layer) -> Optional[Tuple[tuple, tuple, tuple]]:
    """(window, strides, dilation) of a convolution or pooling, as rank-tuples the catalogue standardised
    (a pooling's strides default to its window, its dilation is 1), or None when one is not known."""
    from ..catalogue.spec import ShapeError, Unresolved

    args = arguments(layer)
    if args is None:
        return None
    pooling = "Pooling" in layer.type
    try:
        window = args.pool_size if pooling else args.kernel_size
        strides = window if pooling and args.strides is None else args.strides
        dilation = None if pooling else args.dilation_rate
    except (ShapeError, Unresolved, TypeError, AttributeError):
        return None
    if not isinstance(window, tuple) or not isinstance(strides, tuple) or len(window) != len(strides):
        return None
    dilation = (1,) * len(window) if dilation is None else dilation
    if not isinstance(dilation, tuple) or len(dilation) != len(window):
        return None
    return window, strides, dilation


class IneffectivePooling(Rule):
    CODE = "KC506"
    LAYER_ADVICE = True
    NAME = "ineffective-pooling"
    SEVERITY = "warning"
    SUMMARY = "A pooling layer with window 1 and stride 1, which returns its input unchanged"
    DOC = """\
## What it does
Finds `MaxPooling` and `AveragePooling` layers whose `pool_size` is 1 on every axis and
whose `strides` are 1 (or not given, so equal to the window).

## Why is this bad?
A 1x1 window with stride 1 returns its input: the layer does nothing, and the feature map
is not reduced as the code suggests (usually `pool_size=(2, 2)` was meant). NeuraLint
(Nikanjam et al., TOSEM 2021) reports it as "ineffective pooling".

## Example
```python
layers.MaxPooling2D(pool_size=(1, 1))
```

## Use instead
```python
layers.MaxPooling2D(pool_size=(2, 2))
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
             "layers.MaxPooling2D((2, 2))])\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
             "layers.MaxPooling2D((1, 1), strides=2)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
               "layers.MaxPooling2D(pool_size=(1, 1))])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            for row in model.rows:
                layer = row.layer
                if layer.type not in _POOLING or layer.uid in seen:
                    continue
                rank = int(layer.type[-2])
                sliding = _window_and_strides(layer)
                if sliding is None:
                    continue
                window, strides, _ = sliding
                if window == (1,) * rank and strides == (1,) * rank:
                    seen.add(layer.uid)
                    yield self.report(layer.span, f"{titled(layer)} has pool_size={window} and "
                                      f"strides={strides}: it returns its input unchanged; use pool_size=2 (or "
                                      "remove it)")


#: Layers sliding a window with strides over 1-D, 2-D or 3-D inputs (convolutions and poolings; not transposed ones).
_STRIDED = with_trait("windowed")


class StrideSkipsInput(Rule):
    CODE = "KC509"
    LAYER_ADVICE = True
    NAME = "stride-skips-input"
    SEVERITY = "warning"
    SUMMARY = "A convolution or pooling whose strides are larger than its window: rows and columns it never reads"
    DOC = """\
## What it does
Finds convolutions (`Conv1D/2D/3D`, separable and depthwise ones) and poolings whose
`strides` exceed the window on an axis where the window is at least 2 wide (its span,
`dilation_rate * (size - 1) + 1`): `MaxPooling2D((2, 2), strides=(4, 4))`,
`Conv2D(32, (3, 3), strides=(4, 4))`. A window of 1 with strides 2 is left alone: that is
deliberate subsampling (the 1x1 projection shortcut of ResNet), and a pooling of 1 with
stride 1 is KC506's. It is silent where the input is known to fit in one window.

## Why is this bad?
Consecutive windows start `strides` apart but cover only their span, so `strides - span`
of every `strides` rows (and columns) never reach the output: `MaxPooling2D(2, strides=4)`
never reads half of the rows and half of the columns, three quarters of the map, and
`Conv2D(k, 3, strides=4)` skips one row and column in four. Nothing fails and the shapes
look right; the model just learns from part of its input. Pooling and convolutions are
meant to overlap or tile (strides at most the window); larger strides are among the
mutations of the Theia benchmark (arXiv 2412.05775: pooling of 2 with strides 4, accuracy 9
points lower; convolutions of 3 with strides 4, 14 points lower), and He et al. ("Bag of
Tricks for Image Classification with Convolutional Neural Networks", CVPR 2019) replace
ResNet's 1x1 convolution of stride 2 because it ignores three quarters of its input.

## Example
```python
layers.MaxPooling2D(pool_size=(2, 2), strides=(4, 4))
```

## Use instead
```python
layers.MaxPooling2D(pool_size=(2, 2))  # strides default to the window: the windows tile the map
# or a window as large as the strides: layers.MaxPooling2D(pool_size=(4, 4))
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), "
             "layers.MaxPooling2D((3, 3), strides=2), layers.Conv2D(8, 4, strides=4), "
             "layers.Conv2D(8, 1, strides=2), layers.MaxPooling2D(1, strides=2)])\n",
             # one window covers the whole input: nothing is skipped
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((2, 2, 3)), "
             "layers.MaxPooling2D(2, strides=4)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), "
               "layers.MaxPooling2D((2, 2), strides=(4, 4))])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((224, 224, 3)), "
               "layers.Conv2D(32, (3, 3), strides=(4, 4), padding='same', activation='relu')])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((100, 8)), "
               "layers.Conv1D(16, 2, strides=3)])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..catalogue.spec import ShapeError, Unresolved, split_channels

        seen: Set[int] = set()
        for model in ctx.models:
            for row in model.rows:
                layer = row.layer
                if layer.type not in _STRIDED or layer.uid in seen:
                    continue
                sliding = _window_and_strides(layer)
                if sliding is None:
                    continue
                window, strides, dilation = sliding
                args = arguments(layer)
                spatial = None
                shape = row.input_shape
                if isinstance(shape, tuple) and len(shape) == len(window) + 2:
                    try:
                        _, spatial = split_channels(shape, args.data_format)
                    except (ShapeError, Unresolved, TypeError, AttributeError):
                        spatial = None
                gaps = []
                for axis, (k, s, d) in enumerate(zip(window, strides, dilation)):
                    if not all(type(v) is int for v in (k, s, d)):
                        continue
                    span = d * (k - 1) + 1
                    size = spatial[axis] if spatial is not None else None
                    if span >= 2 and s > span and not (type(size) is int and size <= span):
                        gaps.append((axis, span, s))
                if gaps:
                    seen.add(layer.uid)
                    _, span, s = gaps[0]
                    unit = "rows/columns" if len(window) == 2 else "steps" if len(window) == 1 else "positions"
                    yield self.report(layer.span, f"{titled(layer)} has a window of {window} and strides {strides}: "
                                      f"it never reads {s - span} of every {s} {unit} of its input; use "
                                      "strides no larger than the window (the default for a pooling), or a larger "
                                      "window")


_DROPOUTS = {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout"}


class DropoutDropsEverything(Rule):
    CODE = "KC508"
    LAYER_ADVICE = True
    NAME = "dropout-drops-everything"
    SEVERITY = "warning"
    SUMMARY = "A Dropout layer with rate 1: it drops every unit in training"
    DOC = """\
## What it does
Finds `Dropout`, `SpatialDropout1D/2D/3D` and `AlphaDropout` layers whose `rate` is 1
(Keras rejects a rate above 1 or below 0: that is KC103).

## Why is this bad?
`rate` is the fraction of units *dropped*, not kept. With `rate=1` every unit is
zeroed during training and the scaling by `1 / (1 - rate)` divides by zero: the layers
after it see zeros or NaN and nothing before it learns. It is usually a keep probability
(TensorFlow 1's `keep_prob`) written as Keras's rate. Dropout misuse is among the
hyperparameter faults of Humbatova et al. (ICSE 2020).

## Example
```python
layers.Dropout(1.0)
```

## Use instead
```python
layers.Dropout(0.5)  # the fraction of units to drop
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4), "
             "layers.Dropout(0.5), layers.Dense(1)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4), "
               "layers.Dropout(1.0), layers.Dense(1)])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
               "layers.SpatialDropout2D(rate=1), layers.Conv2D(1, 3)])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for layer in ctx.ir.layers:
            if layer.type not in _DROPOUTS or not layer.known or layer.uid in seen:
                continue
            rate = layer.kwarg("rate", layer.args[0] if layer.args else None)
            if type(rate) in (int, float) and rate == 1:
                seen.add(layer.uid)
                yield self.report(layer.span, f"{titled(layer)} has rate={rate}: it drops every unit "
                                  "in training (rate is the fraction dropped, not kept); use a rate below 1, "
                                  "such as 0.5")


_CONSTANT = {"zeros", "zero", "ones", "one", "constant"}


def _constant_initializer(ctx: RuleContext, layer) -> Optional[str]:
    """The name of a constant kernel initializer given to the layer, if it is one."""
    from .source import dotted, layer_argument, resolve_name

    for key in ("kernel_initializer", "init", "depthwise_initializer", "pointwise_initializer"):
        value = layer.kwarg(key, None)
        if isinstance(value, str):
            if value.lower() in _CONSTANT:
                return value
            continue
        name = dotted(resolve_name(ctx, layer_argument(ctx, layer, key)))
        if name is not None and name.rsplit(".", 1)[-1].lower() in _CONSTANT:
            return name
    return None


_WEIGHTED = with_trait("linear") | {"LocallyConnected1D", "LocallyConnected2D"}  # (Keras 2's, not in the catalogue)


class ConstantInitializer(Rule):
    CODE = "KC507"
    LAYER_ADVICE = True
    NAME = "constant-kernel-initializer"
    SEVERITY = "warning"
    SUMMARY = "A hidden layer whose constant kernel (zeros, ones, Constant) keeps it from learning"
    DOC = """\
## What it does
Finds `Dense` and convolution layers that are not the model's output layer and whose
`kernel_initializer` (Keras 1: `init`) is `"zeros"`, `"ones"`, `Zeros()`, `Ones()` or
`Constant(...)`, in the two cases where this stops training:

- a zero kernel with a ReLU activation (and the default zero bias): every output is 0
  and ReLU's gradient at 0 is 0, so neither this layer nor the layers before it ever get
  a gradient;
- a constant kernel feeding, through layers without weights, only layers whose kernels
  are constant too: every unit computes the same value and gets the same gradient, so
  the units stay identical through training (the symmetry problem).

A linear layer started at zero (a T-net, a LoRA branch, a zero-initialised residual
projection) is left alone: it learns, and is usually meant. So is a model the file only
predicts with and never trains or evaluates (a logic gate whose weights are set by hand with
`set_weights`, a model whose weights are loaded): its initial weights are never trained.

## Why is this bad?
The layer never learns, or learns as if it had one unit. NeuraLint (Nikanjam et al.,
TOSEM 2021) and Humbatova et al. (ICSE 2020) list constant weight initialisation as a
fault.

## Example
```python
layers.Dense(64, activation="relu", kernel_initializer="zeros")
```

## Use instead
```python
layers.Dense(64, activation="relu")  # glorot_uniform, the default
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
             "layers.Dense(64, activation='relu'), layers.Dense(1, kernel_initializer='zeros')])\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
             "layers.Dense(64, kernel_initializer='zeros'), layers.Dense(1)])\n",
             "import numpy as np\nimport keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((2,)), "
             "layers.Dense(2, activation='tanh', kernel_initializer='zeros'), "
             "layers.Dense(1, kernel_initializer='zeros')])\n"
             "m.layers[0].set_weights([np.ones((2, 2)), np.zeros(2)])\nprint(m.predict(np.ones((1, 2))))\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), "
               "layers.Dense(64, activation='relu', kernel_initializer='zeros'), layers.Dense(1)])\n",
               "import tensorflow as tf\nc = tf.keras.initializers.Constant(0.5)\n"
               "m = tf.keras.Sequential([tf.keras.layers.Dense(64, activation='tanh', kernel_initializer=c, "
               "input_shape=(4,)), tf.keras.layers.Dense(1, kernel_initializer=tf.keras.initializers.Ones())])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .training import never_trained

        seen: Set[int] = set()
        for model in ctx.models:
            if not _graph(model) or never_trained(ctx, model.model):
                continue  # (a model only predicted with: its starting weights are never trained)
            after = readers(ctx, model)
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type not in _WEIGHTED or layer.uid in seen:
                    continue
                name = _constant_initializer(ctx, layer)
                if name is None or reaches_output(ctx, model, i, PASS | _REARRANGING):
                    continue
                why = None
                if name.rsplit(".", 1)[-1].lower() in ("zeros", "zero") and _dead_relu(ctx, layer):
                    why = ("with ReLU every output is 0 and its gradient is 0, so this layer and the ones before "
                           "it never learn")
                else:
                    nexts = _through(model, after, i, PASS | _REARRANGING | _POOLING)
                    if nexts and all(model.rows[j].layer.type in _WEIGHTED and
                                     _constant_initializer(ctx, model.rows[j].layer) for j in nexts):
                        why = (f"{model.rows[nexts[0]].layer.name} after it starts constant too, so all its units "
                               "compute the same value, get the same gradient and stay identical")
                if why is None:
                    continue
                seen.add(layer.uid)
                yield self.report(layer.span, f"{titled(layer)} starts with a constant kernel ({name}): "
                                  f"{why}; use the default glorot_uniform or he_normal")


def _dead_relu(ctx: RuleContext, layer) -> bool:
    """ReLU activation and a bias left at zero."""
    bias = layer.kwarg("bias_initializer", "zeros")
    return activation_of(layer, ctx) in ("relu", "relu6") and (
        layer.kwarg("use_bias", True) is False or (isinstance(bias, str) and bias.lower() in ("zeros", "zero")))


RULES = [MissingFlatten, ChannelsFirstInput, ConvAfterDense, DropoutBeforeBatchNorm, LinearDenseStack,
         IneffectivePooling, ConstantInitializer, DropoutDropsEverything, StrideSkipsInput]
