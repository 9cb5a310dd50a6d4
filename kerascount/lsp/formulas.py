"""How a layer's parameter count is made, for hover: ``units·(input + 1) = 100·(3136 + 1)``.

The catalogue computes weights; it does not say how. This small table, keyed by Keras class,
writes the usual formula for common layers with the layer's own numbers. A formula is shown only
when its value is the count the analysis found (``formula(row)`` checks it), so a layer with an
option the table does not model (LoRA, a constraint that adds weights) shows no formula rather
than a wrong one.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from .. import catalogue
from ..catalogue.spec import BoundArgs, as_data_format, as_int, as_tuple, config, split_channels
from ..ir import LayerResult

#: (formula in names, the same with the layer's numbers, its value).
Formula = Tuple[str, str, int]
_Fn = Callable[[BoundArgs, Tuple[int, ...]], Formula]

_KERNEL_NAMES = {1: ("k",), 2: ("kh", "kw"), 3: ("kd", "kh", "kw")}


def _int(value: Any, name: str) -> int:
    value = as_int(value, name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(name)
    return value


def _bias(use_bias: Any, names: str, numbers: str, value: int, per: int, term: str = "1") -> Formula:
    """``names + 1`` when the layer has a bias (``per`` more parameters per unit), else ``names``."""
    if use_bias:
        return f"{names} + {term}", f"{numbers} + {term}", value + per
    return names, numbers, value


def _times(names: str, numbers: str, factor: int, inner: Formula) -> Formula:
    """``names·(inner)``, with parentheses only around a sum."""
    wrap = (lambda text: f"({text})") if " + " in inner[0] else (lambda text: text)
    return f"{names}·{wrap(inner[0])}", f"{numbers}·{wrap(inner[1])}", factor * inner[2]


def _dense(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
    units, n = _int(a.units, "units"), _int(shape[-1], "input")
    return _times("units", str(units), units, _bias(a.use_bias, "input", str(n), n, 1))


def _kernel(a: BoundArgs, rank: int) -> Tuple[Tuple[str, ...], Tuple[int, ...]]:
    sizes = tuple(_int(k, "kernel_size") for k in as_tuple(a.kernel_size, rank, "kernel_size"))
    return _KERNEL_NAMES[rank], sizes


def _product(names: Sequence[str], numbers: Sequence[int]) -> Tuple[str, str, int]:
    value = 1
    for n in numbers:
        value *= n
    return "·".join(names), "·".join(str(n) for n in numbers), value


def _channels(a: BoundArgs, shape: Tuple[int, ...]) -> int:
    return _int(split_channels(shape, as_data_format(a.data_format))[0], "channels")


def _conv(rank: int) -> _Fn:
    """``filters·(kh·kw·cin + 1)``: a kernel per filter over every input channel (of its group), and a bias."""

    def formula(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
        names, sizes = _kernel(a, rank)
        filters, cin = _int(a.filters, "filters"), _channels(a, shape)
        groups = 1 if a.groups is None else _int(a.groups, "groups")
        if cin % groups:
            raise ValueError("groups")
        window = _product(names, sizes)
        if groups == 1:
            kernel = f"{window[0]}·cin", f"{window[1]}·{cin}", window[2] * cin
        else:
            kernel = f"{window[0]}·cin/groups", f"{window[1]}·{cin}/{groups}", window[2] * (cin // groups)
        return _times("filters", str(filters), filters, _bias(a.use_bias, *kernel, 1))

    return formula


def _depthwise(rank: int) -> _Fn:
    """``cin·dm·(kh·kw + 1)``: each input channel has ``depth_multiplier`` kernels, each with a bias."""

    def formula(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
        kernel = _product(*_kernel(a, rank))
        cin, dm = _channels(a, shape), _int(a.depth_multiplier, "depth_multiplier")
        return _times("cin·dm", f"{cin}·{dm}", cin * dm, _bias(a.use_bias, *kernel, 1))

    return formula


def _separable(rank: int) -> _Fn:
    """``cin·dm·kh·kw + cin·dm·filters + filters``: a depthwise kernel, a 1×1 kernel, a bias per filter."""

    def formula(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
        names, sizes = _kernel(a, rank)
        cin, dm = _channels(a, shape), _int(a.depth_multiplier, "depth_multiplier")
        filters = _int(a.filters, "filters")
        depthwise = _product(("cin", "dm", *names), (cin, dm, *sizes))
        pointwise = _product(("cin", "dm", "filters"), (cin, dm, filters))
        names_text = f"{depthwise[0]} + {pointwise[0]}"
        numbers_text = f"{depthwise[1]} + {pointwise[1]}"
        if a.use_bias:
            return f"{names_text} + filters", f"{numbers_text} + {filters}", depthwise[2] + pointwise[2] + filters
        return names_text, numbers_text, depthwise[2] + pointwise[2]

    return formula


def _rnn(gates: int) -> _Fn:
    """``gates·units·(units + input + 1)``: input and recurrent kernels and a bias for each gate.

    GRU with ``reset_after`` (Keras 3's default) has two biases per gate: ``+ 2``.
    """

    def formula(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
        units, n = _int(a.units, "units"), _int(shape[-1], "input")
        biases = 2 if gates == 3 and a.reset_after else 1
        inner = _bias(a.use_bias, "units + input", f"{units} + {n}", units + n, biases, term=str(biases))
        prefix, numbers = ("units", f"{units}") if gates == 1 else (f"{gates}·units", f"{gates}·{units}")
        return _times(prefix, numbers, gates * units, inner)

    return formula


def _embedding(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
    rows, width = _int(a.input_dim, "input_dim"), _int(a.output_dim, "output_dim")
    return "input_dim·output_dim", f"{rows}·{width}", rows * width


def _normalization(per_channel: Callable[[BoundArgs], int], moving: int) -> _Fn:
    """``4·channels`` for BatchNormalization (gamma, beta, moving mean and variance); ``2·channels`` for
    LayerNormalization; fewer without ``scale`` or ``center``."""

    def formula(a: BoundArgs, shape: Tuple[int, ...]) -> Formula:
        axis = a.axis
        if not isinstance(axis, int) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
            raise ValueError("axis")
        channels = _int(shape[axis], "channels")
        per = per_channel(a) + moving
        return f"{per}·channels", f"{per}·{channels}", per * channels

    return formula


def _scale_center(a: BoundArgs) -> int:
    return int(bool(a.scale)) + int(bool(a.center))


FORMULAS: Dict[str, _Fn] = {
    "Dense": _dense,
    "Conv1D": _conv(1), "Conv2D": _conv(2), "Conv3D": _conv(3),
    "Conv1DTranspose": _conv(1), "Conv2DTranspose": _conv(2), "Conv3DTranspose": _conv(3),
    "DepthwiseConv1D": _depthwise(1), "DepthwiseConv2D": _depthwise(2),
    "SeparableConv1D": _separable(1), "SeparableConv2D": _separable(2),
    "SimpleRNN": _rnn(1), "LSTM": _rnn(4), "GRU": _rnn(3),
    "Embedding": _embedding,
    "BatchNormalization": _normalization(_scale_center, 2),
    "LayerNormalization": _normalization(_scale_center, 0),
}


def formula(row: LayerResult) -> Optional[Formula]:
    """How the row's parameter count is made, if the table knows the layer and agrees with the count."""
    layer, shape = row.layer, row.input_shape
    fn = FORMULAS.get(layer.type)
    if fn is None or layer.operation or layer.submodel is not None or not isinstance(row.params, int) \
            or not isinstance(shape, tuple) or len(shape) < 2 or isinstance(shape[0], tuple):
        return None
    spec = catalogue.lookup(layer.type)
    if spec is None:
        return None
    try:
        made = fn(row.config or config(spec, layer), shape)  # the config inference recorded
    except Exception:  # noqa: BLE001 - an argument this table cannot read: no formula, never a wrong one
        return None
    return made if isinstance(made[2], int) and made[2] == row.params else None
