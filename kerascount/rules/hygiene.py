"""KC4xx: style and hygiene."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Tuple

from ..nodes import walk as ast_walk
from ..catalogue import lookup, with_trait
from ..catalogue.spec import input_shape_kwarg
from ..ir import Diagnostic, Fix, LayerDef, ModelResult
from .base import Rule, RuleContext, named, titled, upstream
from .heads import activation_of, arguments, declared_units

_INPUT_KWARGS = ("input_shape", "input_dim", "batch_input_shape")


class InputShapeNotFirst(Rule):
    CODE = "KC401"
    LAYER_ADVICE = True
    NAME = "input-shape-not-first"
    #: A warning when the ignored shape is not the one the layer gets; an info note when it is, or is not known.
    SEVERITY = "warning"
    SUMMARY = "`input_shape` on a layer that is not the first of its model is ignored"
    DOC = """\
## What it does
Finds `input_shape=`, `input_dim=` or `batch_input_shape=` on a layer that is
not the first layer of a `Sequential` model, or on any layer of a functional
model (where the shape comes from `keras.Input`) or of a subclassed model (where it comes from
the tensor the model is called on). A layer that is the first where a condition
skips every layer before it (`if variant != "static": model.add(...)`) is left alone: there Keras
reads its `input_shape=`.

## Why is this bad?
Keras reads the argument only on the first layer of a `Sequential` model and
silently ignores it everywhere else. The code suggests a shape the model does
not have, and readers trust it.

It is a warning when the ignored shape differs from the shape the layer gets
(`input_shape=(300, 300)` on a convolution that receives `(297, 297, 32)`), and
an info note when it is the same shape or that shape is not known: then the
argument is dead code that states the truth. On the fixed programs of public
fault benchmarks (SFData, DeepLocalize) an ignored but correct `input_dim=` was
the most common warning on code that runs as intended.

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
             "m = keras.Sequential([layers.Conv2D(16, 2, input_shape=(200, 200, 1)), layers.Conv2D(32, 3)])\n",
             # a switch between variants: where `variant` is "static", the Dropout is the first layer
             "import keras\nfrom keras import layers\nvariant = 'rand'\nm = keras.Sequential()\n"
             "if variant != 'static':\n    m.add(layers.Dense(8, input_shape=(4,)))\n"
             "m.add(layers.Dropout(0.5, input_shape=(8,)))\nm.add(layers.Dense(1))\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([layers.Conv2D(16, 2, input_shape=(200, 200, 1)),"
               " layers.Conv2D(32, 3, input_shape=(100, 100, 16))])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential()\nm.add(keras.Input((8,)))\n"
               "m.add(layers.Dense(4, input_dim=8))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        branches: List[Tuple[int, int]] = []  # (the file's if/else bodies, read once: _first_on_another_branch)
        # Calls whose input_shape= some model reads (a call in a loop makes several layers).
        read = {r.layer.span for m in ctx.models for i, r in enumerate(m.rows) if _reads_input_shape(m, i)}
        # A layer whose input_shape= a Sequential reads, also in a graph built on that Sequential's outputs.
        read_by_model = {r.layer.uid for m in ctx.models for i, r in enumerate(m.rows) if _reads_input_shape(m, i)}
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type == "InputLayer" or layer.uid in seen:
                    continue
                if _reads_input_shape(model, i) or layer.uid in read_by_model:
                    continue
                keys = [k for k in _INPUT_KWARGS if layer.has_kwarg(k)]
                if keys and keys[0] != "batch_input_shape" and input_shape_kwarg(layer) is None:
                    keys = []  # e.g. Embedding(input_dim=...) is a vocabulary size
                if not keys:
                    continue
                if model.model.kind == "sequential" and _first_on_another_branch(ctx, model, i, branches):
                    continue
                seen.add(layer.uid)
                if model.model.kind == "sequential":
                    why = "Keras reads it only on the first layer of a Sequential model"
                elif model.model.kind == "subclassed":
                    # (Keras keeps it for a Sequential to read; a subclassed model's layers are built on the
                    # tensors its `call` gives them)
                    holder = "custom layer" if model.model.custom_layer else "subclassed model"
                    why = f"in a {holder} the shape comes from the tensor it is called on"
                else:
                    why = "in a functional model the shape comes from keras.Input"
                message = f"`{keys[0]}` on {titled(layer)} is ignored: {why}; remove it"
                got = _received(row.input_shape)
                declared = _declared(layer) if keys[0] != "batch_input_shape" else None
                severity = "info"
                if got is not None and declared is not None and not _fits(declared, got):
                    severity = self.SEVERITY  # the code states a shape the layer does not get
                    message += f" (the layer gets {_show(got)}, not {_show(declared)})"
                fix = None if layer.span in read else _removal(layer, keys)
                yield Diagnostic(self.CODE, severity, message, layer.span, fix)


def _first_on_another_branch(ctx: RuleContext, model: ModelResult, index: int,
                             branches: List[Tuple[int, int]]) -> bool:
    """Every layer before row ``index`` of a Sequential model is added under a condition that this row's
    layer is not under (`if variant != "static": model.add(Embedding(...))`): where the condition is
    false, this layer is the first, and Keras reads its input_shape=. ``branches``: the lines of the file's
    ``if`` and ``else`` bodies, filled on the first call (empty before; a file of thousands of models, each
    with a layer to check, walks its tree once)."""
    if ctx.tree is None:
        return False
    line = model.rows[index].layer.span.line
    before = [r.layer.span.line for r in model.rows[:index] if r.layer.type != "InputLayer"]
    if not before:
        return False
    if not branches:
        branches.extend((body[0].lineno, body[-1].end_lineno or body[-1].lineno)
                        for node in ast_walk(ctx.tree) if isinstance(node, ast.If)
                        for body in (node.body, node.orelse) if body)
        branches.append((0, -1))  # (read: an empty range, which holds no line)
    return all(any(start <= b <= end and not start <= line <= end for start, end in branches) for b in before)


def _declared(layer: LayerDef) -> Optional[tuple]:
    """The per-sample shape an ignored ``input_shape=``/``input_dim=`` states, when every entry is an int or None."""
    shape = input_shape_kwarg(layer)
    if isinstance(shape, list):
        shape = tuple(shape)
    if isinstance(shape, tuple) and all(d is None or type(d) is int for d in shape):
        return shape
    return None


def _received(shape) -> Optional[tuple]:
    """The per-sample shape a layer is called on, when it is one tensor of known dimensions (None allowed)."""
    if isinstance(shape, tuple) and shape and all(d is None or type(d) is int for d in shape):
        return shape[1:]
    return None


def _fits(declared: tuple, got: tuple) -> bool:
    return len(declared) == len(got) and all(a is None or b is None or a == b for a, b in zip(declared, got))


def _show(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _reads_input_shape(model: ModelResult, index: int) -> bool:
    """Keras reads input_shape= on this row's layer: the first of a Sequential model without an input.
    (A Sequential whose input Keras rejects has a row for that input first.)"""
    first = 1 if model.rows and model.rows[0].layer.type == "InputLayer" else 0
    return model.model.kind == "sequential" and index == first and (
        model.model.input_layer is None or model.model.implicit_input)


def _removal(layer: LayerDef, keys: List[str]) -> Optional[Fix]:
    """Removing the ignored arguments (not a layer's own argument of the same name, as Embedding's input_dim)."""
    spec = lookup(layer.type) if layer.known else None
    if spec is None:
        return None  # a custom layer may take input_dim= itself
    removed = [k for k in keys if k not in {a.name for a in spec.signature}]
    if not removed:
        return None
    return Fix("safe", "remove " + ", ".join(f"`{k}`" for k in removed), layer.span, layer.type, ("remove", *removed))


_ACTIVATION_LAYER_TYPES = with_trait("activation")


class RepeatedActivation(Rule):
    CODE = "KC402"
    LAYER_ADVICE = True
    NAME = "repeated-activation"
    SEVERITY = "warning"
    SUMMARY = "An activation layer right after a layer that already applied an activation"
    DOC = """\
## What it does
Finds an activation layer (`Activation`, `ReLU`, `Softmax`, `LeakyReLU`, `ELU`, `PReLU`)
whose input already went through a non-linear activation: `Dense(64, activation="relu")`
followed by `Activation("relu")`, `ReLU()` or `Activation("softmax")`. Activations given
as functions (`activation=tf.nn.relu`) are read too. A linear layer followed by an
activation layer is the usual way to write it and is left alone, and so is a loop's activation
that follows an activation on one pass and a linear layer (a residual `Add`) on the others.

## Why is this bad?
A plain ReLU after ReLU (or after any activation that is never negative: sigmoid,
softmax, ReLU6, softplus) changes nothing and is only wasted work: an info note. Any other
pair changes the outputs (a warning): a softmax of
probabilities is nearly uniform, a LeakyReLU after a ReLU never leaks, a sigmoid after a
softmax squeezes everything near 0.5. NeuraLint (Nikanjam et al., TOSEM 2021) reports
double activations as a fault; it usually comes from adding an `Activation` layer without
removing the `activation=` argument.

## Example
```python
layers.Dense(10, activation="softmax"), layers.Activation("softmax")
```

## Use instead
```python
layers.Dense(10), layers.Activation("softmax")
```
"""
    VALID = ["import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((8,)), layers.Dense(4), layers.Activation('relu')])\n",
             # a residual stack whose loop body opens with its activation: the first pass follows the
             # stem's ReLU, the later ones follow the Add, where the activation is needed
             "import keras\nfrom keras import layers\nx = keras.Input((16,))\n"
             "h = layers.ReLU()(layers.Dense(16)(x))\n"
             "for _ in range(3):\n    y = layers.ReLU()(h)\n    h = layers.Add()([h, layers.Dense(16)(y)])\n"
             "m = keras.Model(x, h)\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation='relu'), layers.ReLU()])\n",
               "import keras\nfrom keras import layers\nh = x = keras.Input((16,))\n"
               "for _ in range(3):\n    h = layers.ReLU()(layers.Dense(16, activation='relu')(h))\n"
               "m = keras.Model(x, h)\n",
               "import keras\nfrom keras import layers\nx = keras.Input((8,))\n"
               "y = layers.Activation('softmax')(layers.Dense(4, activation='softmax')(x))\nm = keras.Model(x, y)\n",
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation='relu'), "
               "layers.Activation('sigmoid')])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        found = []  # (row, prev, act, before) for each activation layer, before=None when not repeated
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                if row.layer.type not in _ACTIVATION_LAYER_TYPES:
                    continue
                prev = upstream(ctx, model, i)
                act = activation_of(row.layer, ctx)
                before = activation_of(prev.layer, ctx) if prev is not None and _written(prev.layer) else None
                if act in (None, "linear") or before in (None, "linear"):
                    before = None  # (an LSTM's own tanh, not written, is part of the layer: no finding)
                found.append((row, prev, act, before))
        # One line of a loop's body makes a layer in each pass: when some passes put it after a
        # linear layer (the residual Add of a block), the activation is needed there, and the
        # first pass's repeat is the loop's shape, not a forgotten activation= (keras.io's Xception).
        needed = {_site(row.layer) for row, prev, _, before in found if before is None and prev is not None}
        seen = set()
        for row, prev, act, before in found:
            if before is None or row.layer.uid in seen or _site(row.layer) in needed:
                continue
            seen.add(row.layer.uid)
            if before == act:
                message = (f"{named(row.layer)} applies {act} again after {named(prev.layer)} "
                           f"({prev.layer.type}) already did; remove one of them")
            else:
                # (an activation layer before it has no activation= to remove: the layer itself goes)
                drop = named(prev.layer) if prev.layer.type in _ACTIVATION_LAYER_TYPES else \
                    f"activation='{before}' from {named(prev.layer)}"
                message = (f"{named(row.layer)} applies {act} to the output of {named(prev.layer)} "
                           f"({prev.layer.type}), which already applied {before}: two activations in a row; "
                           f"keep one (remove {drop} if {act} is meant)")
            severity = self.SEVERITY
            if act == "relu" and _plain(row.layer, ctx) and before in _NON_NEGATIVE and _plain(prev.layer, ctx):
                severity = "info"  # a plain ReLU of values that are never negative returns them unchanged
                message += " (it changes nothing: the values are never negative; only wasted work)"
            yield Diagnostic(self.CODE, severity, message, row.layer.span)


# Activations whose outputs are never negative: a plain ReLU after them is the identity.
_NON_NEGATIVE = frozenset({"relu", "relu6", "sigmoid", "softmax", "hard_sigmoid", "softplus", "exponential"})


def _plain(layer: LayerDef, ctx: RuleContext) -> bool:
    """The layer's activation is the one its name says: not a ReLU layer given a slope, a ceiling or a threshold
    (or arguments that cannot be read), and not a Softmax over another axis."""
    if layer.type != "ReLU":
        return activation_of(layer, ctx) is not None
    args = arguments(layer)
    if args is None:
        return False
    return args.raw("max_value") is None and all(args.raw(name) in (None, 0, 0.0) for name in ("negative_slope", "threshold"))


def _site(layer: LayerDef) -> Tuple[str, int, int, int, int]:
    """The place in the source a layer is made at (one for all the layers a loop or a function makes there)."""
    s = layer.span
    return (layer.type, s.line, s.column, s.end_line, s.end_column)


def _written(layer: LayerDef) -> bool:
    """The layer's activation is written in the call (or the layer is an activation layer)."""
    if layer.type in _ACTIVATION_LAYER_TYPES:
        return True
    args = arguments(layer)
    return args is not None and args.raw("activation") is not None


class BiasBeforeBatchNorm(Rule):
    CODE = "KC403"
    LAYER_ADVICE = True
    NAME = "bias-before-batchnorm"
    SEVERITY = "info"
    SUMMARY = "A bias directly followed by BatchNormalization is cancelled by its centering"
    DOC = """\
## What it does
Finds `Dense` and convolution layers with `use_bias=True` whose output goes
straight into a `BatchNormalization` with `center=True` on the same axis.

## Why is this bad?
BatchNormalization subtracts the mean and adds its own `beta`: the bias has no
effect and only costs parameters and time.

## Example
```python
layers.Conv2D(64, 3), layers.BatchNormalization()
```

## Use instead
```python
layers.Conv2D(64, 3, use_bias=False), layers.BatchNormalization()
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
             "layers.Conv2D(4, 3, use_bias=False), layers.BatchNormalization()])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
               "layers.Conv2D(4, 3), layers.BatchNormalization()])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                if row.layer.type != "BatchNormalization" or row.layer.uid in seen:
                    continue
                prev = upstream(ctx, model, i)
                bn = arguments(row)
                if prev is None or bn is None or bn.raw("center", True) is not True or \
                        bn.raw("axis", -1) not in (-1, len(row.output_shape or ()) - 1):
                    continue
                args = arguments(prev)
                if args is None or prev.layer.type not in _BIASED or args.raw("use_bias", True) is not True:
                    continue
                if activation_of(prev.layer, ctx) != "linear":
                    continue  # the bias acts before a non-linearity: it matters
                seen.add(row.layer.uid)
                bias = declared_units(ctx, model, prev)
                size = f" ({bias} params)" if bias is not None else ""
                yield self.report(prev.layer.span, f"the bias of {named(prev.layer)}{size} is cancelled by "
                                                   f"{named(row.layer)}'s centering; use use_bias=False")


_BIASED = with_trait("biased")

RULES = [InputShapeNotFirst, RepeatedActivation, BiasBeforeBatchNorm]
