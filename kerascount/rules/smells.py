"""KC6xx: design smells, off by default (select them with `extend-select = ["KC6"]`).

Each is a rule of thumb from the literature with weaker evidence than a fault: a correct,
well-performing model may break it on purpose. The docs say where each comes from and when
it is right to ignore it.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Set

from ..catalogue import lookup, with_trait
from ..ir import Diagnostic, ModelResult
from .base import Rule, RuleContext, named, row_span, sequence_known, titled, upstream
from .heads import arguments, declared_units
from .structure import DECODING

#: Convolutions sliding a window with `filters` (not depthwise: they keep the channels).
_CONVS = frozenset(name for name in with_trait("windowed") if "filters" in lookup(name).arg_names)
_POOLS = with_trait("windowed") - with_trait("linear")  # Max/AveragePooling1D-3D
_SEQ = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input({shape}), {body}])\n"


def _main_chain(model: ModelResult) -> Optional[List[int]]:
    """Row indices of a Sequential model (a chain); None for graphs, decoders and unknown kinds."""
    if model.model.kind != "sequential" or not sequence_known(model) or any(r.layer.type in DECODING for r in model.rows):
        return None
    return list(range(len(model.rows)))


def _int_arg(row, name: str) -> Optional[int]:
    args = arguments(row)
    value = args.raw(name) if args is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strided(row) -> bool:
    """A convolution that downsamples (strides > 1), or a layer whose strides are not known."""
    args = arguments(row)
    if args is None:
        return True
    strides = args.raw("strides", 1)
    if isinstance(strides, int):
        return strides > 1
    if isinstance(strides, tuple):
        return any(not isinstance(s, int) or s > 1 for s in strides)
    return True


def _dilated(row) -> bool:
    args = arguments(row)
    rate = args.raw("dilation_rate", 1) if args is not None else 1
    return rate != 1 and rate != (1,) * len(rate) if isinstance(rate, tuple) else rate != 1


_SOURCES = """Nikanjam et al., "Automatic Fault Detection for Deep Learning Programs Using Graph
Transformations" (NeuraLint, TOSEM 2021), which takes it from design guidelines for
convolutional networks"""


class NonIncreasingFilters(Rule):
    CODE = "KC601"
    LAYER_ADVICE = True
    NAME = "shrinking-conv-filters"
    SEVERITY = "info"
    SUMMARY = "A convolution with fewer filters than the one before it in a classifier's feature extractor"
    DEFAULT_ENABLED = False
    DOC = f"""\
## What it does
In a `Sequential` model without up-sampling, finds a convolution with fewer filters
than the previous convolution. Off by default: select it with `extend-select = ["KC601"]`.

## Why is this bad?
A feature extractor usually trades spatial size for depth: as pooling halves the map,
the number of filters grows (32, 64, 128) so that the information the map holds does not
shrink too fast. Fewer filters deeper in the stack is a sign of a transposed list of
sizes. Source: {_SOURCES}.

When it is right: 1x1 "bottleneck" convolutions that reduce channels on purpose,
decoders and autoencoders, and networks tuned by search.

## Example
```python
layers.Conv2D(64, 3), layers.MaxPooling2D(), layers.Conv2D(32, 3)
```

## Use instead
```python
layers.Conv2D(32, 3), layers.MaxPooling2D(), layers.Conv2D(64, 3)
```
"""
    VALID = [_SEQ.format(shape=(28, 28, 1), body="layers.Conv2D(32, 3), layers.MaxPooling2D(), layers.Conv2D(64, 3)")]
    INVALID = [_SEQ.format(shape=(28, 28, 1),
                           body="layers.Conv2D(64, 3), layers.MaxPooling2D(), layers.Conv2D(32, 3)")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model in ctx.models:
            chain = _main_chain(model)
            previous = None
            for i in chain or ():
                row = model.rows[i]
                if row.layer.type not in _CONVS:
                    continue
                filters = _int_arg(row, "filters")
                if previous is not None and filters is not None and previous[1] is not None and \
                        filters < previous[1]:
                    yield self.report(row_span(model, row), f"{named(row.layer)} has {filters} filters, fewer than "
                                      f"the {previous[1]} of {named(previous[0].layer)} before it; feature extractors "
                                      "usually grow the filters as the map shrinks")
                    break
                previous = (row, filters)


class GrowingDenseWidths(Rule):
    CODE = "KC602"
    LAYER_ADVICE = True
    NAME = "growing-dense-widths"
    SEVERITY = "info"
    SUMMARY = "A hidden Dense layer wider than the hidden Dense layer before it"
    DEFAULT_ENABLED = False
    DOC = f"""\
## What it does
In a `Sequential` model, finds a hidden `Dense` layer (not the output) with more units
than the hidden `Dense` layer before it. Off by default: select it with
`extend-select = ["KC602"]`.

## Why is this bad?
A classifier's dense head usually narrows towards the output (512, 256, 10): a layer
wider than the one feeding it cannot recover information the narrower layer dropped, and
adds parameters. Source: {_SOURCES}.

When it is right: decoders and autoencoders (which widen on purpose), bottleneck designs,
and heads tuned by search.

## Example
```python
layers.Dense(64, activation="relu"), layers.Dense(256, activation="relu"), layers.Dense(10)
```

## Use instead
```python
layers.Dense(256, activation="relu"), layers.Dense(64, activation="relu"), layers.Dense(10)
```
"""
    VALID = [_SEQ.format(shape=(8,), body="layers.Dense(64, activation='relu'), layers.Dense(32, activation='relu'), "
                                          "layers.Dense(1)")]
    INVALID = [_SEQ.format(shape=(8,), body="layers.Dense(16, activation='relu'), "
                                            "layers.Dense(64, activation='relu'), layers.Dense(1)")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model in ctx.models:
            chain = _main_chain(model)
            dense = [i for i in chain or () if model.rows[i].layer.type == "Dense"]
            hidden = dense[:-1]  # the last Dense is the output
            for a, b in zip(hidden, hidden[1:]):
                n, m = declared_units(ctx, model, model.rows[a]), declared_units(ctx, model, model.rows[b])
                if isinstance(n, int) and isinstance(m, int) and m > n:
                    row = model.rows[b]
                    yield self.report(row_span(model, row), f"{named(row.layer)} has {m} units, more than the {n} of "
                                      f"{named(model.rows[a].layer)} before it; a dense head usually narrows towards "
                                      "the output")
                    break


class DropoutBeforePooling(Rule):
    CODE = "KC603"
    LAYER_ADVICE = True
    NAME = "dropout-before-pooling"
    SEVERITY = "info"
    SUMMARY = "Dropout directly before a max pooling layer"
    DEFAULT_ENABLED = False
    DOC = f"""\
## What it does
Finds a `Dropout` whose output goes straight into a `MaxPooling` layer. Off by default:
select it with `extend-select = ["KC603"]`.

## Why is this bad?
Max pooling keeps the largest value of each window; dropping values first mostly changes
which value wins and wastes the regularisation. Dropout after pooling (before the next
block) is the usual order. Source: {_SOURCES}.

When it is right: when dropout is deliberately used as a stochastic pooling, or with
`SpatialDropout2D`, which drops whole channels.

## Example
```python
layers.Conv2D(32, 3, activation="relu"), layers.Dropout(0.25), layers.MaxPooling2D()
```

## Use instead
```python
layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Dropout(0.25)
```
"""
    VALID = [_SEQ.format(shape=(28, 28, 1), body="layers.Conv2D(8, 3), layers.MaxPooling2D(), layers.Dropout(0.2)")]
    INVALID = [_SEQ.format(shape=(28, 28, 1), body="layers.Conv2D(8, 3), layers.Dropout(0.2), layers.MaxPooling2D()")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            for i, row in enumerate(model.rows):
                if not row.layer.type.startswith("MaxPooling"):
                    continue
                prev = upstream(ctx, model, i)
                if prev is None or prev.layer.type != "Dropout" or prev.layer.uid in seen:
                    continue
                seen.add(prev.layer.uid)
                yield self.report(row_span(model, prev), f"{titled(prev.layer)} feeds {named(row.layer)} "
                                  f"({row.layer.type}) directly; put the dropout after the pooling")


class CollapsedFeatureMap(Rule):
    CODE = "KC604"
    LAYER_ADVICE = True
    NAME = "too-much-pooling"
    SEVERITY = "info"
    SUMMARY = "A convolution or pooling applied to a feature map already reduced to 1x1"
    DEFAULT_ENABLED = False
    DOC = f"""\
## What it does
Finds convolutions and poolings with a window larger than 1 whose input's spatial size
is already 1 on every axis, because earlier pooling or strides reduced it. It needs exact
shapes. Off by default: select it with `extend-select = ["KC604"]`.

## Why is this bad?
On a 1x1 map a 3x3 convolution sees one pixel (the rest is padding) and a pooling does
nothing: the layers after the map collapsed add parameters and no spatial processing. The
model pools too much, too early, for its input size. Source: {_SOURCES}.

When it is right: rarely; with global context blocks written as convolutions on 1x1 maps
(squeeze-and-excitation uses 1x1 kernels, which this rule leaves alone).

## Example
```python
keras.Sequential([keras.Input((8, 8, 3)), layers.MaxPooling2D(8), layers.Conv2D(16, 3, padding="same")])
```

## Use instead
```python
keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(16, 3, padding="same"), layers.MaxPooling2D(2)])
```
"""
    VALID = [_SEQ.format(shape=(8, 8, 3), body="layers.MaxPooling2D(2), layers.Conv2D(16, 3, padding='same')")]
    INVALID = [_SEQ.format(shape=(8, 8, 3), body="layers.MaxPooling2D(8), layers.Conv2D(16, 3, padding='same')")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..catalogue.spec import ShapeError, Unresolved, split_channels

        seen: Set[int] = set()
        for model in ctx.models:
            for row in model.rows:
                layer, shape = row.layer, row.input_shape
                if layer.type not in _CONVS | _POOLS or layer.uid in seen or not isinstance(shape, tuple):
                    continue
                rank = int(layer.type[-2])
                args = arguments(layer)
                try:
                    # The config's windows are standardised (rank-tuples), its data_format resolved.
                    window = args.pool_size if "Pooling" in layer.type else args.kernel_size
                    _, spatial = split_channels(shape, args.data_format)
                except (ShapeError, Unresolved, TypeError, AttributeError):
                    continue
                if len(spatial) == rank and all(d == 1 for d in spatial) and any(type(k) is int and k > 1 for k in window):
                    seen.add(layer.uid)
                    yield self.report(row_span(model, row), f"{titled(layer)} has a {window} window "
                                      f"but its input is already 1 x 1 ({shape}): earlier layers pooled the map "
                                      "away; pool less or use a larger input")


class NoPooling(Rule):
    CODE = "KC605"
    LAYER_ADVICE = True
    NAME = "no-pooling-in-conv-stack"
    SEVERITY = "info"
    SUMMARY = "Five or more convolutions in a row with no pooling or stride to reduce the map"
    DEFAULT_ENABLED = False
    OPTIONS = {"max-convs-without-pooling": (4, "KC605: how many stride-1 convolutions in a row are fine")}
    DOC = f"""\
## What it does
In a `Sequential` model without up-sampling, finds a run of more than
`max-convs-without-pooling` (default 4) 2-D or 3-D convolutions with stride 1 and no
dilation, and no pooling or
strided convolution between them. Off by default: select it with
`extend-select = ["KC605"]`.

## Why is this bad?
Each convolution sees a small window; without pooling or strides the receptive field
grows slowly and the cost stays at full resolution, so the network is slow and sees
little context. Source: {_SOURCES}.

When it is right: dense-prediction networks kept at full resolution (dilated
convolutions, super-resolution), and residual stages written in another style.

## Example
```python
*[layers.Conv2D(32, 3, padding="same", activation="relu") for _ in range(6)]
```

## Use instead
```python
layers.Conv2D(32, 3, padding="same", activation="relu"), layers.Conv2D(32, 3, padding="same", activation="relu"),
layers.MaxPooling2D(), ...
```
"""
    VALID = [_SEQ.format(shape=(32, 32, 3), body=", ".join(["layers.Conv2D(8, 3, padding='same')"] * 3 +
                                                           ["layers.MaxPooling2D()"] +
                                                           ["layers.Conv2D(8, 3, padding='same')"] * 3))]
    INVALID = [_SEQ.format(shape=(32, 32, 3), body=", ".join(["layers.Conv2D(8, 3, padding='same')"] * 6))]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        limit = ctx.option(self, "max-convs-without-pooling")
        for model in ctx.models:
            run: List[int] = []
            for i in _main_chain(model) or ():
                row = model.rows[i]
                kind = row.layer.type
                if kind in _CONVS and kind[-2] in "23" and not _strided(row) and not _dilated(row):
                    run.append(i)
                    if len(run) == limit + 1:
                        first = model.rows[run[0]]
                        yield self.report(row_span(model, row), f"{named(row.layer)} is the {limit + 1}th "
                                          f"convolution in a row since {named(first.layer)} with no pooling or stride "
                                          "to reduce the feature map; add MaxPooling or strides=2")
                elif kind in _POOLS or kind in _CONVS or kind.startswith("Global") or kind == "Flatten":
                    run = []


class GrowingKernelSize(Rule):
    CODE = "KC606"
    LAYER_ADVICE = True
    NAME = "growing-kernel-size"
    SEVERITY = "info"
    SUMMARY = "A convolution with a larger window than the convolution before it"
    DEFAULT_ENABLED = False
    DOC = f"""\
## What it does
In a `Sequential` model without up-sampling, finds a convolution whose kernel is larger
(on some axis, and not smaller on any) than the kernel of the convolution before it. Off
by default: select it with `extend-select = ["KC606"]`.

## Why is this bad?
Early layers see the image at full resolution, where large windows capture coarse
structure cheaply; deeper layers work on smaller maps, where each position already
summarises a large region and small windows (3x3) suffice. A window that grows with depth
costs parameters where they help least. Source: {_SOURCES} ("decreasing window size").

When it is right: inception-style blocks that mix window sizes on purpose, 1x1
convolutions followed by 3x3 ones (bottlenecks, which this rule leaves alone), and
networks tuned by search.

## Example
```python
layers.Conv2D(32, 3), layers.MaxPooling2D(), layers.Conv2D(64, 7)
```

## Use instead
```python
layers.Conv2D(32, 7), layers.MaxPooling2D(), layers.Conv2D(64, 3)
```
"""
    VALID = [_SEQ.format(shape=(64, 64, 3), body="layers.Conv2D(32, 5), layers.MaxPooling2D(), layers.Conv2D(64, 3), "
                                                 "layers.Conv2D(64, 1), layers.Conv2D(64, 3)")]
    INVALID = [_SEQ.format(shape=(64, 64, 3), body="layers.Conv2D(32, 3), layers.MaxPooling2D(), layers.Conv2D(64, 7)")]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from ..catalogue.spec import ShapeError, Unresolved

        for model in ctx.models:
            previous = None
            for i in _main_chain(model) or ():
                row = model.rows[i]
                if row.layer.type not in _CONVS:
                    continue
                args = arguments(row)
                try:
                    kernel = args.kernel_size if args else None  # standardised: a rank-tuple
                except (ShapeError, Unresolved, TypeError):
                    kernel = None
                if previous is not None and kernel is not None and previous[1] is not None and \
                        len(kernel) == len(previous[1]) and kernel != previous[1] and \
                        all(type(p) is int and type(k) is int and 1 < p <= k for p, k in zip(previous[1], kernel)):
                    yield self.report(row_span(model, row), f"{named(row.layer)} has a {kernel} window, larger than "
                                      f"the {previous[1]} of {named(previous[0].layer)} before it; windows usually "
                                      "shrink or stay the same with depth")
                    break
                previous = (row, kernel)


RULES = [NonIncreasingFilters, GrowingDenseWidths, DropoutBeforePooling, CollapsedFeatureMap, NoPooling,
         GrowingKernelSize]
