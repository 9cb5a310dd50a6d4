"""KC2xx: size and cost."""

from __future__ import annotations

import ast
from typing import Callable, Iterator, Optional

from ..nodes import walk as ast_walk
from ..catalogue import held_layers, lookup, specs, with_trait
from ..ir import UNKNOWN_NAME, Diagnostic, Fix, LayerResult, ModelResult
from ..numbers import count, human
from .base import Rule, RuleContext, row_index, row_span, titled, upstream
from .heads import SHAPE_KEEPING

#: Layers that may stand between a Flatten and its Dense without changing the head's size.
BETWEEN_FLATTEN_AND_DENSE = SHAPE_KEEPING
#: The global pooling that can replace a Flatten, by the rank of its input (batch included).
GLOBAL_POOLING = {3: "GlobalAveragePooling1D", 4: "GlobalAveragePooling2D", 5: "GlobalAveragePooling3D"}


class FlattenDenseHead(Rule):
    CODE = "KC201"
    LAYER_ADVICE = True
    NAME = "flatten-dense-head"
    SEVERITY = "warning"
    SUMMARY = "Flatten→Dense head holds a huge share of the model's parameters"
    OPTIONS = {
        "flatten-dense-threshold": (10_000_000, "warn when the Dense after Flatten has at least this many params"),
        "flatten-dense-share": (0.5, "...or holds at least this share of the model's params "
                                    "(an info note below the threshold)"),
        "flatten-dense-min-params": (1_000_000, "...and at least this many params (keeps small models quiet)"),
    }
    DOC = """\
## What it does
Finds a `Flatten` (or a `Reshape` to one feature axis) that feeds a `Dense`
layer whose weights exceed a threshold (default 10M), or hold most of the model
(default: half of it, for heads of at least 1M parameters). A model whose builder loads
weights it downloads with `get_file` (VGG16 and its copies) is left alone: its head is the one
of the published weights.

## Why is this bad?
The Dense kernel has one weight per input value per unit, so it grows with the
image area. A single `Conv2D` on a 320×320 image followed by `Flatten` and
`Dense(100)` is 327,680,740 parameters, 99.9% of them in that Dense; six stride-2
convolutions reach the same receptive field with 328,960. The large head is slow,
memory-hungry and overfits.

## Example
```python
x = keras.Input((320, 320, 1))
y = layers.Conv2D(128, 2, strides=2, padding="same")(x)
y = layers.Dense(100)(layers.Flatten()(y))
```

## Use instead
```python
x = keras.Input((320, 320, 1))
y = layers.Conv2D(128, 2, strides=2, padding="same")(x)
y = layers.Dense(100)(layers.GlobalAveragePooling2D()(y))
```
"""
    VALID = ["import keras\nfrom keras import layers\nx = keras.Input((320, 320, 1))\n"
             "y = layers.Conv2D(128, 2, strides=2, padding='same')(x)\n"
             "m = keras.Model(x, layers.Dense(100)(layers.GlobalAveragePooling2D()(y)))\n",
             "import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(128), layers.Dense(10)])\n",
             # a copy of a published architecture that loads its published weights: the head must stay
             "import keras\nfrom keras import layers\n\ndef tiny_vgg():\n    x = keras.Input((320, 320, 1))\n"
             "    y = layers.Conv2D(128, 2, strides=2, padding='same')(x)\n"
             "    model = keras.Model(x, layers.Dense(100)(layers.Flatten()(y)))\n"
             "    path = keras.utils.get_file('tiny_vgg.weights.h5', 'https://example.org/tiny_vgg.weights.h5')\n"
             "    model.load_weights(path)\n    return model\n\nnet = tiny_vgg()\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((320, 320, 1))\n"
               "y = layers.Conv2D(128, 2, strides=2, padding='same')(x)\n"
               "m = keras.Model(x, layers.Dense(100)(layers.Flatten()(y)))\n",
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((64, 64, 64)), layers.Flatten(), layers.Dropout(0.5),"
               " layers.Dense(64)])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        threshold = ctx.option(self, "flatten-dense-threshold")
        share_min = ctx.option(self, "flatten-dense-share")
        floor = ctx.option(self, "flatten-dense-min-params")
        seen = set()
        for model in ctx.models:
            if _published_weights(ctx, model):
                continue  # the head is the one of the weights it loads (VGG16's Flatten→Dense(4096))
            total = model.total
            for i, row in enumerate(model.rows):
                if row.layer.type != "Dense" or not isinstance(row.params, int) or row.layer.uid in seen:
                    continue
                source = self._flatten_source(ctx, model, i)
                if source is None:
                    continue
                share = row.params / total if isinstance(total, int) and total > 0 else None
                if row.params < threshold and not (share is not None and share >= share_min and row.params >= floor):
                    continue
                seen.add(row.layer.uid)
                # Below the threshold, a head that is most of a small model (a textbook LeNet's Flatten→Dense(500))
                # is a design note, not a warning a CI run should stop on.
                severity = self.SEVERITY if row.params >= threshold else "info"
                yield Diagnostic(self.CODE, severity, self._message(row, source, share), row_span(model, row),
                                 _pooling_fix(source))

    def _flatten_source(self, ctx: RuleContext, model: ModelResult, index: int) -> Optional[LayerResult]:
        """The Flatten/Reshape feeding the Dense at ``index`` through pass-through layers."""
        current = index
        for _ in range(len(model.rows)):
            prev = upstream(ctx, model, current)
            if prev is None:
                return None
            if prev.layer.type == "Flatten" or (prev.layer.type == "Reshape" and isinstance(prev.output_shape, tuple)
                                                and len(prev.output_shape) == 2):
                return prev
            if prev.layer.type not in BETWEEN_FLATTEN_AND_DENSE:
                return None
            current = row_index(model, prev)
        return None

    def _message(self, row: LayerResult, source: LayerResult, share: Optional[float]) -> str:
        units = row.output_shape[-1] if isinstance(row.output_shape, tuple) else None
        if share is not None and share < 1:
            share = min(share, 0.999)  # never round a part up to "100.0%" of the model
        share_text = f" ({share:.1%} of the model)" if share is not None else ""
        head = f"{source.layer.type}→Dense head adds {human(row.params)} params{share_text}"
        feature = source.input_shape
        if isinstance(feature, tuple) and len(feature) in GLOBAL_POOLING and isinstance(feature[-1], int) and \
                isinstance(units, int):
            pool = GLOBAL_POOLING[len(feature)]
            alternative = feature[-1] * units + (units if _has_bias(row) else 0)
            return (f"{head}; replace {source.layer.type} with {pool} (would be {count(alternative)} params) "
                    "or add stride-2 convolutions before it")
        return f"{head}; reduce the features first (pooling or strided convolutions) or use a fully convolutional head"


def _published_weights(ctx: RuleContext, model: ModelResult) -> bool:
    """The function that builds the model loads weights into it from a file it downloads with `get_file`
    (`model.load_weights(get_file(...))`, as keras.applications' VGG16 and its copies do): the model
    reproduces the architecture of published weights, whose layers cannot change."""
    name = model.model.name
    if not name or ctx.tree is None or "get_file" not in ctx.source or ".load_weights" not in ctx.source:
        return False
    loads, fetches = _weight_calls(_scope_of(ctx.tree, model.model.span.line))
    return name in loads and fetches


#: Per tree (``_scope_of``) and per scope (``_weight_calls``), what they read of it, cached: a file with many
#: models asks for each. Keyed by the node's id; the node is kept beside its entry (ids are reused).
_READ: "dict[tuple[str, int], tuple[ast.AST, object]]" = {}


def _cached(kind: str, node: ast.AST, make: "Callable[[ast.AST], object]") -> object:
    hit = _READ.get((kind, id(node)))
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_READ) > 256:
        _READ.clear()
    value = make(node)
    _READ[(kind, id(node))] = (node, value)
    return value


def _weight_calls(scope: ast.AST) -> "tuple[frozenset, bool]":
    """The names whose ``.load_weights(…)`` the scope calls, and whether it calls ``get_file``."""
    def make(scope: ast.AST) -> "tuple[frozenset, bool]":
        loads = set()
        fetches = False
        for node in ast_walk(scope):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "load_weights" and \
                        isinstance(func.value, ast.Name):
                    loads.add(func.value.id)
                elif (isinstance(func, ast.Name) and func.id == "get_file") or \
                        (isinstance(func, ast.Attribute) and func.attr == "get_file"):
                    fetches = True
        return frozenset(loads), fetches
    return _cached("calls", scope, make)  # type: ignore[return-value]


def _scope_of(tree: ast.Module, line: int) -> ast.AST:
    """The innermost function whose body holds ``line`` (the module where none does)."""
    functions = _cached("functions", tree, lambda t: [n for n in ast_walk(t) if isinstance(
        n, (ast.FunctionDef, ast.AsyncFunctionDef))])
    scope: ast.AST = tree
    for node in functions:  # type: ignore[attr-defined]
        if node.lineno <= line <= (node.end_lineno or node.lineno):
            if scope is tree or node.lineno >= scope.lineno:  # type: ignore[attr-defined]
                scope = node
    return scope


def _pooling_fix(source: LayerResult) -> Optional[Fix]:
    """Flatten → global average pooling of the same input: it changes the model, so the fix is unsafe.

    Only for a Flatten without arguments beyond its name (a data_format would have to suit the pooling).
    """
    layer, feature = source.layer, source.input_shape
    if layer.type != "Flatten" or layer.args or any(k not in ("name", "dtype") for k, _ in layer.kwargs) or \
            not isinstance(feature, tuple) or len(feature) not in GLOBAL_POOLING:
        return None
    pool = GLOBAL_POOLING[len(feature)]
    return Fix("unsafe", f"replace Flatten with {pool}", layer.span, "Flatten", ("replace", pool))


def _has_bias(row: LayerResult) -> bool:
    flag = row.layer.kwarg("use_bias", True)
    if len(row.layer.args) >= 3:
        flag = row.layer.args[2]
    return flag is not False


class ParamsBudget(Rule):
    CODE = "KC202"
    NAME = "params-budget"
    SEVERITY = "warning"
    SUMMARY = "A model has more parameters than the configured budget"
    OPTIONS = {"max-params": (0, "warn when a model has more params than this (0: no budget)")}
    DOC = """\
## What it does
Warns when a model's total parameter count exceeds `max-params` from
`[tool.kerascount]` (off until a budget is set).

## Why is this bad?
A budget catches a model that grew by accident (a missing pooling, a wider
layer) before it reaches training or a device with little memory.

## Example
```toml
[tool.kerascount]
max-params = 5_000_000
```

## Use instead
Shrink the model below the budget, or raise the budget on purpose.
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4)])\n"]
    INVALID: list = []  # needs a configured budget: tested through the CLI

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        budget = ctx.option(self, "max-params")
        if not budget:
            return
        for model in ctx.models:
            if isinstance(model.total, int) and model.total > budget:
                name = f"`{model.model.name}`" if model.model.name else "the model"
                yield self.report(model.model.span, f"{name} has {count(model.total)} params ({human(model.total)}), "
                                                    f"over the budget of {count(budget)} (max-params)")


#: Layers that normalize what another layer computes: their weights (a scale and an offset per channel) make no
#: block of theirs. The catalogue's normalization family, and two of TensorFlow's and the addons' it does not hold.
_NORMALIZATION = frozenset({spec.name for spec in specs() if spec.family == "normalization"} |
                           {"SyncBatchNormalization", "InstanceNormalization"})


class DominantLayer(Rule):
    CODE = "KC203"
    LAYER_ADVICE = True
    NAME = "dominant-layer"
    SEVERITY = "info"
    SUMMARY = "One layer holds most of a large model's parameters"
    OPTIONS = {"dominant-layer-share": (0.9, "share of the model's params one layer may hold"),
               "dominant-layer-min-params": (1_000_000, "only for models of at least this many params")}
    DOC = """\
## What it does
Notes a layer that holds at least 90% of the parameters of a model with at least
1M of them (Flatten→Dense heads are KC201's). A block whose only weighted layer it
is, but for normalization layers (the pix2pix tutorial's `downsample`: Conv2D,
BatchNormalization, LeakyReLU), is not noted: the block is that layer.

## Why is this bad?
Such a layer decides the model's size, speed and memory; it is usually an
embedding or a dense layer that is wider than it needs to be.

## Example
```python
keras.Sequential([keras.Input((20,)), layers.Embedding(200_000, 64), layers.LSTM(16), layers.Dense(1)])
```

## Use instead
A smaller vocabulary or embedding size, or a factorised layer.
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((20,)), "
             "layers.Embedding(1000, 64), layers.LSTM(16), layers.Dense(1)])\n",
             # a model run on each step holds them: no one layer
             "import keras\nfrom keras import layers\nw = keras.Input((1000,))\n"
             "s = keras.Model(w, layers.Dense(700)(layers.Dense(700)(w)))\n"
             "d = keras.Input((3, 1000))\nm = keras.Model(d, layers.LSTM(4)(layers.TimeDistributed(s)(d)))\n",
             # a block of one weighted layer (and its normalization) is that layer
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((2, 2, 512)), "
             "layers.Conv2DTranspose(512, 4, strides=2, padding='same', use_bias=False), "
             "layers.BatchNormalization(), layers.ReLU()])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((20,)), "
               "layers.Embedding(200000, 64), layers.LSTM(16), layers.Dense(1)])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        share_min = ctx.option(self, "dominant-layer-share")
        floor = ctx.option(self, "dominant-layer-min-params")
        flagged = {d.span for d in FlattenDenseHead().check(ctx)}
        for model in ctx.models:
            total = model.total
            if not isinstance(total, int) or total < floor or total == 0:
                continue
            weighted = [row for row in model.rows if row.params != 0 and row.layer.type not in _NORMALIZATION]
            if len(weighted) == 1 and isinstance(weighted[0].params, int):
                continue  # (a block of one weighted layer: the layer is the block)
            for row in model.rows:
                if isinstance(row.params, int) and row.params / total >= share_min and \
                        row_span(model, row) not in flagged and row.layer.submodel is None and \
                        not any(held.submodel is not None for held in held_layers(row.layer)):
                    # (a nested model, or a wrapper of one, TimeDistributed(sentence_encoder), is no one layer)
                    yield self.report(row_span(model, row), f"{titled(row.layer)} holds "
                                      f"{human(row.params)} of the model's {human(total)} params "
                                      f"({min(row.params / total, 0.999):.1%})")


class DroppedBorder(Rule):
    CODE = "KC204"
    LAYER_ADVICE = True
    NAME = "valid-window-drops-border"
    SEVERITY = "info"
    SUMMARY = "A strided 'valid' convolution or pooling never reads the last rows or columns"
    DEFAULT_ENABLED = False
    DOC = """\
## What it does
Finds convolutions and poolings with `padding="valid"` and strides greater than
1 whose windows stop short of the input's edge: `MaxPooling2D(2)` on a 25×25
feature map reads 24 rows and silently drops the last one. Off by default: select it
with `extend-select = ["KC204"]`.

Why off: dropping the last row or column of an odd-sized map is what every VGG-style
network does (a 2x2 pooling on 7x7 keeps 6x6) and nobody changes it; the finding is
a note for someone tuning input sizes, not a fault, and on by default it was most of
the findings on correct programs.

## Why is this bad?
Information at the border is lost without any error, and shapes shrink faster
than expected; with several such layers the loss adds up.

## Example
```python
keras.Sequential([keras.Input((25, 25, 8)), layers.MaxPooling2D(2)])
```

## Use instead
```python
keras.Sequential([keras.Input((25, 25, 8)), layers.MaxPooling2D(2, padding="same")])
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((24, 24, 8)), "
             "layers.MaxPooling2D(2)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((25, 25, 8)), "
               "layers.MaxPooling2D(2)])\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..catalogue.spec import ShapeError, Unresolved, split_channels
        from .heads import arguments

        seen = set()
        for model in ctx.models:
            for row in model.rows:
                layer, shape = row.layer, row.input_shape
                rank = _WINDOWED.get(layer.type)
                if rank is None or layer.uid in seen or not isinstance(shape, tuple) or len(shape) != rank + 2:
                    continue
                args = arguments(layer)
                try:
                    if args is None or str(args.padding).lower() != "valid":
                        continue
                    # The config's windows are standardised (rank-tuples), its data_format resolved.
                    window = args.pool_size if "Pooling" in layer.type else args.kernel_size
                    strides = window if "Pooling" in layer.type and args.strides is None else args.strides
                    dilation = (1,) * rank if "Pooling" in layer.type else args.dilation_rate
                    _, spatial = split_channels(shape, args.data_format)
                except (ShapeError, Unresolved, TypeError, AttributeError):
                    continue
                dropped = []
                for L, k, s, d in zip(spatial, window, strides, dilation):
                    if not all(isinstance(v, int) for v in (L, k, s, d)) or s <= 1:
                        dropped.append(0)
                        continue
                    span = d * (k - 1) + 1
                    dropped.append((L - span) % s if L >= span else 0)
                if any(dropped):
                    seen.add(layer.uid)
                    lost = " x ".join(str(n) for n in dropped)
                    how = f"{layer.type}, strides {tuple(strides)}, padding='valid'"
                    how = how if layer.name == UNKNOWN_NAME else f"{layer.name} ({how})"
                    yield self.report(row_span(model, row), f"{how} on {_shape(shape)} never reads the last {lost} "
                                      "row(s)/column(s) of its input; use padding='same' or an input size that fits")


#: Layers that slide a window over their input, by their number of spatial axes.
_WINDOWED = {name: lookup(name).input_rank - 2 for name in with_trait("windowed")}


def _shape(shape) -> str:
    from ..catalogue.spec import show_shape

    return show_shape(shape)


RULES = [FlattenDenseHead, ParamsBudget, DominantLayer, DroppedBorder]
