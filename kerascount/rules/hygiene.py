"""KC4xx: style and hygiene."""

from __future__ import annotations

from typing import Iterator

from ..catalogue.spec import input_shape_kwarg
from ..ir import Diagnostic
from .base import Rule, RuleContext

_INPUT_KWARGS = ("input_shape", "input_dim", "batch_input_shape")


class InputShapeNotFirst(Rule):
    CODE = "KC401"
    NAME = "input-shape-not-first"
    SEVERITY = "warning"
    SUMMARY = "`input_shape` on a layer that is not the first of its model is ignored"
    DOC = """\
## What it does
Finds `input_shape=`, `input_dim=` or `batch_input_shape=` on a layer that is
not the first layer of a `Sequential` model, or on any layer of a functional
model (where the shape comes from `keras.Input`).

## Why is this bad?
Keras reads the argument only on the first layer of a `Sequential` model and
silently ignores it everywhere else. The code suggests a shape the model does
not have, and readers trust it.

## Example
```python
model = keras.Sequential([
    layers.Conv2D(16, 2, input_shape=(200, 200, 1)),
    layers.Conv2D(32, 3, input_shape=(100, 100, 16)),
])
```

## Use instead
```python
model = keras.Sequential([
    keras.Input((200, 200, 1)),
    layers.Conv2D(16, 2),
    layers.Conv2D(32, 3),
])
```
"""
    VALID = ["import keras\nfrom keras import layers\n"
             "m = keras.Sequential([layers.Conv2D(16, 2, input_shape=(200, 200, 1)), layers.Conv2D(32, 3)])\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([layers.Conv2D(16, 2, input_shape=(200, 200, 1)),"
               " layers.Conv2D(32, 3, input_shape=(100, 100, 16))])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential()\nm.add(keras.Input((8,)))\n"
               "m.add(layers.Dense(4, input_dim=8))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type == "InputLayer" or layer.uid in seen:
                    continue
                if model.model.kind == "sequential" and i == 0 and (
                        model.model.input_layer is None or model.model.implicit_input):
                    continue
                keys = [k for k in _INPUT_KWARGS if layer.has_kwarg(k)]
                if keys and keys[0] != "batch_input_shape" and input_shape_kwarg(layer) is None:
                    keys = []  # e.g. Embedding(input_dim=...) is a vocabulary size
                if not keys:
                    continue
                seen.add(layer.uid)
                if model.model.kind == "sequential":
                    why = "Keras reads it only on the first layer of a Sequential model"
                else:
                    why = "in a functional model the shape comes from keras.Input"
                yield self.report(layer.span, f"`{keys[0]}` on {layer.name} ({layer.type}) is ignored: {why}; "
                                              "remove it")


RULES = [InputShapeNotFirst]
