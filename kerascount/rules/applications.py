"""KC111-KC113: ``keras.applications`` calls Keras rejects before building (or loading) anything.

The checks are those of the applications catalogue (a port of Keras's own); these rules report
the calls that fail them with their code.
"""

from __future__ import annotations

from typing import Iterator

from ..catalogue import errors
from ..ir import Diagnostic
from .base import RuleContext
from .geometry import _KerasError


class ImagenetWeightsMismatch(_KerasError):
    KIND = errors.ApplicationWeightsMismatch
    CODE = KIND.CODE
    NAME = "imagenet-weights-mismatch"
    SUMMARY = "A keras.applications model with weights='imagenet' and arguments the weights do not fit"
    DOC = """\
## What it does
Finds `keras.applications` models (`ResNet50`, `DenseNet121`, `MobileNetV2`, ...)
built with `weights="imagenet"` and arguments the pretrained weights cannot serve:

- an input with other than 3 channels (`input_shape=(224, 224, 1)`);
- `include_top=True` (the default) with an `input_shape` other than the model's
  default, such as `(128, 128, 3)` for `ResNet50` (its classifier's weights fix the size);
- `include_top=True` with `classes` other than 1000 (ImageNet has 1000 classes);
- a width (`alpha`), `depth_multiplier` or NASNet input size that no published
  weights exist for.

## Why is this bad?
Keras raises `ValueError` before it builds the model (for MobileNetV3, after
downloading the weights, when they do not fit). A grayscale dataset or a
10-class problem is the usual cause.

## Example
```python
base = keras.applications.DenseNet121(weights="imagenet", include_top=False,
                                      input_shape=(224, 224, 1))
model = keras.applications.ResNet50(weights="imagenet", classes=10)
```

## Use instead
```python
inputs = keras.Input((224, 224, 1))
rgb = layers.Concatenate()([inputs, inputs, inputs])
base = keras.applications.DenseNet121(weights="imagenet", include_top=False,
                                      input_shape=(224, 224, 3), pooling="avg")
outputs = layers.Dense(10, activation="softmax")(base(rgb))
```
"""
    VALID = ["import keras\n"
             "m = keras.applications.DenseNet121(weights='imagenet', include_top=False, input_shape=(224, 224, 3))\n",
             "import keras\nm = keras.applications.ResNet50(weights=None, classes=10, input_shape=(128, 128, 1))\n"]
    INVALID = ["import keras\n"
               "m = keras.applications.DenseNet121(weights='imagenet', include_top=False, input_shape=(224, 224, 1))\n",
               "import keras\nm = keras.applications.ResNet50(weights='imagenet', classes=10)\n",
               "import keras\nm = keras.applications.ResNet50(weights='imagenet', input_shape=(128, 128, 3))\n",
               "import keras\nm = keras.applications.MobileNetV2(weights='imagenet', include_top=False, alpha=0.6)\n"]


class ApplicationInputTooSmall(_KerasError):
    KIND = errors.ApplicationInputTooSmall
    CODE = KIND.CODE
    NAME = "application-input-too-small"
    SUMMARY = "A keras.applications model given inputs smaller than its minimum size"
    DOC = """\
## What it does
Finds `keras.applications` models whose `input_shape` is smaller than the
smallest input Keras accepts for them: 75x75 for `InceptionV3` and
`InceptionResNetV2`, 71x71 for `Xception`, 32x32 for the others. The limit holds
with any `weights`, pretrained or not.

## Why is this bad?
Keras raises `ValueError: Input size must be at least 75x75` when the model is
created: its downsampling steps would leave nothing of a smaller image.

## Example
```python
base = keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))
```

## Use instead
```python
base = keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3))
```
(and resize the images to 75x75), or a model with a smaller minimum such as `ResNet50`.
"""
    VALID = ["import keras\n"
             "m = keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3))\n"]
    INVALID = ["import keras\n"
               "m = keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))\n",
               "import keras\n"
               "m = keras.applications.MobileNetV3Small(weights=None, include_top=False, input_shape=(16, 96, 3))\n"]


class ApplicationInputMismatch(_KerasError):
    KIND = errors.ApplicationInputMismatch
    CODE = KIND.CODE

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield from super().check(ctx)
        yield from self._data(ctx)

    def _data(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        """A Sequential whose first layer is an application is built for the application's input (Keras builds
        it so); data of another size given to fit/evaluate/predict is rejected by the application's check."""
        seen = set()
        for model in ctx.models:
            if model.model.kind != "sequential" or not model.rows or model.rows[0].layer.submodel is None:
                continue
            first = model.rows[0].layer
            inner = ctx.ir.models[first.submodel]
            result = next((m for m in ctx.models if m.model is inner), None)
            if inner.kind != "application" or result is None or not result.inputs or len(result.inputs) != 1:
                continue
            from ..catalogue import applications  # (imported only for a file with applications)

            for call in model.model.data_calls:
                if not isinstance(call.x, tuple) or len(call.x) != len(result.inputs[0]):
                    continue
                given = [(call.batch, *call.x[1:])]
                if (first.uid, call.span) in seen or not applications.incompatible_inputs(list(result.inputs), given):
                    continue
                seen.add((first.uid, call.span))
                yield self.report(first.span, applications.input_mismatch(inner.application, first,
                                                                          list(result.inputs), given))
    NAME = "application-input-mismatch"
    SUMMARY = "A keras.applications model called on inputs of another size than its input_shape"
    DOC = """\
## What it does
Finds a `keras.applications` model built with one `input_shape` (or its default size)
and then called on tensors or data of another size: `VGG16(include_top=False,
input_shape=(224, 224, 3))` applied to an `Input((150, 150, 3))`, or added to a
`Sequential` model that is fitted on 150x150 images. The message says what to change;
inputs that look channels-first (`(3, 224, 224)`) are named as such.

## Why is this bad?
A Keras application is a functional model: it checks its inputs against the shape
it was built for, and Keras raises `ValueError: Input 0 ... is incompatible with the
layer: expected shape=(None, 224, 224, 3), found shape=(None, 150, 150, 3)`. A
copied `input_shape` that no longer matches the images is the usual cause
(Humbatova et al., ICSE 2020: "wrong input shape" faults).

## Example
```python
base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
inputs = keras.Input((150, 150, 3))
features = base(inputs)
```

## Use instead
```python
base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3))
inputs = keras.Input((150, 150, 3))
features = base(inputs)
```
"""
    VALID = ["import keras\n"
             "base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))\n"
             "x = keras.Input((150, 150, 3))\nm = keras.Model(x, base(x))\n"]
    INVALID = ["import keras\n"
               "base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))\n"
               "x = keras.Input((150, 150, 3))\nm = keras.Model(x, base(x))\n",
               "import keras\nbase = keras.applications.ResNet50(weights=None)\n"
               "x = keras.Input((3, 224, 224))\nm = keras.Model(x, base(x))\n"]


RULES = [ImagenetWeightsMismatch, ApplicationInputTooSmall, ApplicationInputMismatch]
