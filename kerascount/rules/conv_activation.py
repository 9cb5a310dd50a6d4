"""KC406: a convolution with no activation feeding another linear layer (opt-in)."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from ..catalogue.spec import ShapeError, Unresolved
from .. import catalogue
from ..ir import Diagnostic, LayerDef, ModelResult
from .base import Rule, RuleContext, named, readers, row_span, sequence_known, titled
from .heads import arguments

#: Layers with weights that compute a linear map of their input (before their own activation).
_LINEAR = catalogue.with_trait("linear")
#: The convolutions among them, by their number of spatial axes (from the input rank they expect).
_RANK = {name: catalogue.lookup(name).input_rank - 2 for name in _LINEAR if catalogue.lookup(name).input_rank}
#: Linear layers without weights: the search for what follows a convolution goes on through them.
#: (Max pooling is not linear; normalization and activation layers end the search without a finding.)
_PASS_THROUGH = catalogue.with_trait("inference_identity", "rearranging", "fixed_linear")
_ABSENT = object()


class ConvWithoutActivation(Rule):
    CODE = "KC406"
    LAYER_ADVICE = True
    NAME = "conv-without-activation"
    SEVERITY = "warning"
    SUMMARY = "A convolution with no activation feeds another linear layer"
    DEFAULT_ENABLED = False
    DOC = """\
## What it does
Finds convolutions (`Conv1D/2D/3D`, separable, depthwise and transposed) left
without `activation=` whose output goes into another convolution or a `Dense`
layer with nothing non-linear in between: only layers such as `Dropout`,
`SpatialDropout2D`, `ActivityRegularization`, `Flatten`, `Reshape`, `Permute`, padding,
cropping, upsampling or average pooling. Off by
default: select it with `extend-select = ["KC406"]`.

No finding when an activation layer (`Activation`, `ReLU`, `LeakyReLU`, `PReLU`,
`ELU`, ...), a normalization (`BatchNormalization`, `LayerNormalization`, ...),
max pooling, a merge (`Add`, `Concatenate`) or any other layer comes first, when
the convolution's output is the model's output (logits), when `activation=None`
or `"linear"` is written out, or for a depthwise convolution next to a 1x1
convolution (a separable convolution written in two layers).

## Why is this bad?
Keras convolutions apply no activation unless told to. Two linear layers in a
row compute one linear map: `Conv2D(32, 3)` followed by `Conv2D(64, 3)` is no
more expressive than a single 5x5 convolution, so the first layer's parameters
and compute are wasted and the network is shallower than it looks.

## Example
```python
layers.Conv2D(32, 3), layers.Conv2D(64, 3, activation="relu")
```

## Use instead
```python
layers.Conv2D(32, 3, activation="relu"), layers.Conv2D(64, 3, activation="relu")
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
             "layers.Conv2D(32, 3), layers.BatchNormalization(), layers.ReLU(), layers.Conv2D(64, 3)])\n",
             "import keras\nfrom keras import layers\nx = keras.Input((28, 28, 1))\n"
             "y = layers.Conv2D(32, 3, activation='relu')(x)\nm = keras.Model(x, layers.Conv2D(10, 1)(y))\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
               "layers.Conv2D(32, 3), layers.Conv2D(64, 3, activation='relu')])\n",
               "import keras\nfrom keras import layers\nx = keras.Input((28, 28, 1))\ny = layers.Conv2D(8, 3)(x)\n"
               "y = layers.Dense(10)(layers.Flatten()(layers.Dropout(0.5)(y)))\nm = keras.Model(x, y)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[int] = set()
        for model in ctx.models:
            if model.model.kind not in ("sequential", "functional") or not sequence_known(model):
                continue
            readers = _readers(ctx, model)
            for i, row in enumerate(model.rows):
                layer = row.layer
                if layer.type not in _RANK or layer.uid in seen or not _no_activation(layer):
                    continue
                found = _next_linear(model, readers, i)
                if found is None or any(_factorised(layer, nxt) for nxt, _ in found):
                    continue
                seen.add(layer.uid)
                yield self.report(row_span(model, row), _message(layer, *found[0]))


def _no_activation(layer: LayerDef) -> bool:
    """True when the layer's activation is left out (written out as None or "linear", it is meant)."""
    args = arguments(layer)
    return args is not None and layer.open_kwargs is None and args.raw("activation", _ABSENT) is _ABSENT


def _readers(ctx: RuleContext, model: ModelResult) -> Optional[Dict[int, List[int]]]:
    """For a functional model: row index → the rows that read its output, with -1 for the model's output.
    None for a Sequential model (each row reads the one before)."""
    return None if model.model.kind != "functional" else readers(ctx, model)


def _next_linear(model: ModelResult, readers: Optional[Dict[int, List[int]]],
                 start: int) -> Optional[List[Tuple[LayerDef, List[str]]]]:
    """The linear layers the output of row ``start`` reaches through pass-through layers, each with the
    types passed; None unless every path from it ends in one (not in the model's output or anything else)."""
    found: List[Tuple[LayerDef, List[str]]] = []
    todo: List[Tuple[int, List[str]]] = [(start, [])]
    visited: Set[int] = set()
    while todo:
        index, via = todo.pop()
        if index in visited:
            continue
        visited.add(index)
        if readers is None:
            nexts = [index + 1] if index + 1 < len(model.rows) else [-1]
        else:
            nexts = readers.get(index, [])
        if not nexts:
            return None  # read by nothing the model knows about
        for nxt in nexts:
            if nxt == -1:
                return None  # the model's output: logits, say
            layer = model.rows[nxt].layer
            if layer.type in _LINEAR:
                found.append((layer, via))
            elif layer.type in _PASS_THROUGH:
                todo.append((nxt, via + [layer.type]))
            else:
                return None
    return found or None


def _factorised(a: LayerDef, b: LayerDef) -> bool:
    """A depthwise convolution next to a 1x1 convolution: a separable convolution in two layers."""
    pair = {a.type, b.type}
    if not any(t.startswith("DepthwiseConv") for t in pair):
        return False
    other = b if a.type.startswith("DepthwiseConv") else a
    return _window(other) == (1,) * _RANK.get(other.type, 0)


def _window(layer: LayerDef) -> Optional[Tuple[int, ...]]:
    """The kernel size of a plain stride-1, undilated convolution, else None."""
    args = arguments(layer)
    rank = _RANK.get(layer.type)
    if args is None or rank is None or not layer.type.startswith("Conv") or layer.type.endswith("Transpose"):
        return None
    try:  # the config's windows are standardised: rank-tuples
        kernel = args.kernel_size
        if args.strides != (1,) * rank or args.dilation_rate != (1,) * rank:
            return None
    except (ShapeError, Unresolved):
        return None
    return kernel


def _message(layer: LayerDef, nxt: LayerDef, via: List[str]) -> str:
    path = f" through {', '.join(dict.fromkeys(via))}" if via else " directly"
    first, second = _window(layer), _window(nxt)
    if not via and first is not None and second is not None and layer.type == nxt.type:
        size = tuple(a + b - 1 for a, b in zip(first, second))
        pair = f"the pair is no more than one convolution with kernel_size={size}"
    else:
        pair = "the pair computes one linear map"
    return (f"{titled(layer)} has no activation and feeds {titled(nxt)}{path}: "
            f"with nothing non-linear between them {pair}; add activation='relu' to {named(layer)} "
            "(or an activation layer after it)")


RULES = [ConvWithoutActivation]
