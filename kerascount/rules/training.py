"""KC3xx: the training setup, read from ``model.compile(...)`` in the same file."""

from __future__ import annotations

from typing import Iterator

from ..ir import Diagnostic
from .base import Rule, RuleContext
from .heads import loss_of, output_head, units

_CATEGORICAL = ("categorical_crossentropy", "sparse_categorical_crossentropy")
_HEAD = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((16,)), layers.Dense({units}, activation={act!r})])\n"


def _compiled(ctx: RuleContext):
    for model in ctx.models:
        loss = loss_of(model)
        head = output_head(ctx, model) if loss is not None else None
        if loss is not None and head is not None:
            yield model, head[0], head[1], loss[0], loss[1]


class SoftmaxBinaryCrossentropy(Rule):
    CODE = "KC301"
    NAME = "softmax-with-binary-crossentropy"
    SEVERITY = "warning"
    SUMMARY = "A softmax output trained with binary_crossentropy"
    DOC = """\
## What it does
Finds models whose output layer uses `softmax` while `model.compile` uses
`binary_crossentropy` (several units; one unit is KC303).

## Why is this bad?
Softmax makes the outputs sum to 1, so they cannot be independent yes/no
probabilities; binary cross-entropy treats each as one. Training runs but learns the wrong thing.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(5, activation="softmax")])
model.compile("adam", loss="binary_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(5, activation="sigmoid")])  # multi-label
model.compile("adam", loss="binary_crossentropy")
```
"""
    VALID = [_HEAD.format(units=5, act="sigmoid") + "m.compile('adam', loss='binary_crossentropy')\n"]
    INVALID = [_HEAD.format(units=5, act="softmax") + "m.compile('adam', loss='binary_crossentropy')\n",
               _HEAD.format(units=5, act="softmax") + "m.compile('adam', loss=keras.losses.BinaryCrossentropy())\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, _ in _compiled(ctx):
            n = units(row)
            if act == "softmax" and loss == "binary_crossentropy" and not (isinstance(n, int) and n == 1):
                yield self.report(model.model.compile[1], f"{row.layer.name} ends in softmax over {n} units but the "
                                  "loss is binary_crossentropy: softmax outputs sum to 1, they are not independent "
                                  "probabilities; use sigmoid (multi-label) or categorical_crossentropy")


class CategoricalWithoutSoftmax(Rule):
    CODE = "KC302"
    NAME = "categorical-crossentropy-without-softmax"
    SEVERITY = "warning"
    SUMMARY = "Categorical cross-entropy on outputs that are not a softmax (and not from_logits)"
    DOC = """\
## What it does
Finds models compiled with `categorical_crossentropy` or
`sparse_categorical_crossentropy` (without `from_logits=True`) whose output
layer is not a softmax (sigmoid, relu or no activation).

## Why is this bad?
These losses expect a probability distribution over the classes. Raw scores or
sigmoids give wrong losses and gradients; training is slow or diverges.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss="sparse_categorical_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
```
"""
    VALID = [_HEAD.format(units=10, act="softmax") + "m.compile('adam', loss='categorical_crossentropy')\n",
             _HEAD.format(units=10, act=None) +
             "m.compile('adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"]
    INVALID = [_HEAD.format(units=10, act=None) + "m.compile('adam', loss='sparse_categorical_crossentropy')\n",
               _HEAD.format(units=10, act="sigmoid") + "m.compile('adam', loss='categorical_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            if loss in _CATEGORICAL and not logits and act != "softmax":
                yield self.report(model.model.compile[1], f"the loss {loss} expects softmax probabilities but "
                                  f"{row.layer.name} ends in {act}; use activation='softmax' or the loss with "
                                  "from_logits=True")


class SoftmaxSingleUnit(Rule):
    CODE = "KC303"
    NAME = "softmax-single-unit"
    SEVERITY = "warning"
    SUMMARY = "softmax over a single unit always outputs 1.0"
    DOC = """\
## What it does
Finds layers that apply `softmax` to a last axis of size 1, such as
`Dense(1, activation="softmax")`.

## Why is this bad?
A softmax over one value is always exactly 1.0: the layer's output carries no
information and its weights get no gradient. Binary classifiers need `sigmoid`.

## Example
```python
layers.Dense(1, activation="softmax")
```

## Use instead
```python
layers.Dense(1, activation="sigmoid")
```
"""
    VALID = [_HEAD.format(units=1, act="sigmoid")]
    INVALID = [_HEAD.format(units=1, act="softmax")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .heads import activation_of

        seen = set()
        for model in ctx.models:
            for row in model.rows:
                n = units(row)
                if row.layer.uid in seen or not (isinstance(n, int) and n == 1):
                    continue
                if activation_of(row.layer) == "softmax":
                    seen.add(row.layer.uid)
                    yield self.report(row.layer.span, f"{row.layer.name} applies softmax to a single unit: it "
                                      "always outputs 1.0; use sigmoid")


class FromLogitsAfterActivation(Rule):
    CODE = "KC304"
    NAME = "from-logits-after-activation"
    SEVERITY = "warning"
    SUMMARY = "from_logits=True on outputs that already went through softmax or sigmoid"
    DOC = """\
## What it does
Finds models compiled with a loss created with `from_logits=True` whose output
layer already applies `softmax` or `sigmoid`.

## Why is this bad?
The loss applies the activation again: the model is trained on a squashed
version of its outputs, with weak gradients.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10, activation="softmax")])
model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
```
"""
    VALID = [_HEAD.format(units=10, act=None) +
             "m.compile('adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"]
    INVALID = [_HEAD.format(units=10, act="softmax") +
               "m.compile('adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            if logits and act in ("softmax", "sigmoid"):
                yield self.report(model.model.compile[1], f"the loss uses from_logits=True but {row.layer.name} "
                                  f"already applies {act}; drop the activation or from_logits")


class SparseCategoricalSingleUnit(Rule):
    CODE = "KC305"
    NAME = "sparse-categorical-single-unit"
    SEVERITY = "warning"
    SUMMARY = "sparse_categorical_crossentropy on a model with one output unit"
    DOC = """\
## What it does
Finds models compiled with `sparse_categorical_crossentropy` whose output has a
single unit.

## Why is this bad?
The loss needs one output per class; with one unit every label but 0 is out of
range. For two classes use one sigmoid unit with `binary_crossentropy`, or two
softmax units.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="sparse_categorical_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="binary_crossentropy")
```
"""
    VALID = [_HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='binary_crossentropy')\n"]
    INVALID = [_HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='sparse_categorical_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, _, loss, _ in _compiled(ctx):
            n = units(row)
            if loss == "sparse_categorical_crossentropy" and isinstance(n, int) and n == 1:
                yield self.report(model.model.compile[1], f"sparse_categorical_crossentropy needs one output per "
                                  f"class but {row.layer.name} has 1 unit; use binary_crossentropy with sigmoid")


RULES = [SoftmaxBinaryCrossentropy, CategoricalWithoutSoftmax, SoftmaxSingleUnit, FromLogitsAfterActivation,
         SparseCategoricalSingleUnit]
