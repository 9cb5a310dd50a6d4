"""Reshaping layers: Flatten, Reshape, padding, cropping, up-sampling, Permute, RepeatVector."""

from __future__ import annotations

from typing import Any, FrozenSet, Tuple

from ..ir import NumpyInt, Shape, Unknown
from ..symbolic import Expr
from .errors import InvalidArguments, InvalidArgumentType, NonPositiveDimension, ReshapeMismatch
from .spec import (
    LayerSpec,
    Unresolved,
    arith,
    as_data_format,
    as_int,
    as_tuple,
    is_int,
    join_channels,
    positive,
    product,
    require_rank,
    show_shape,
    sig,
    split_channels,
    zero_macs,
)

FAMILY = "reshaping"


def _flatten_shape(args, shape: Shape) -> Shape:
    if isinstance(args.raw("data_format"), str):  # Keras checks it when the layer is made, whatever the input
        as_data_format(args.raw("data_format"))
    rest = shape[1:]
    if not rest:
        return (shape[0], 1)
    if any(d is None for d in rest):
        return (shape[0], None)
    return (shape[0], product(rest))


def _reshape_shape(args, shape: Shape) -> Shape:
    target = args.target_shape
    if isinstance(target, int):  # Keras's tuple(target_shape): "'int' object is not iterable"
        raise InvalidArguments(f"Reshape: `target_shape` must be a tuple or a list, got {target!r}; write ({target},)")
    if not isinstance(target, (tuple, list)):
        target = (target,)
    for d in target:
        if not is_int(d):
            raise Unresolved(f"target_shape {show_shape(tuple(target))} is not fully known")
        if isinstance(d, int) and d < -1:
            raise ReshapeMismatch(f"Reshape: target_shape {tuple(target)} has a negative dimension")
    rest = shape[1:]
    if any(d is None for d in rest):
        return (shape[0], *(None if d == -1 else d for d in target))
    size = product(rest)
    unknown = [i for i, d in enumerate(target) if isinstance(d, int) and d == -1]
    if len(unknown) > 1:
        raise ReshapeMismatch(f"Reshape: target_shape {tuple(target)} has more than one -1")
    known = product([d for d in target if not (isinstance(d, int) and d == -1)])
    if not unknown:
        if isinstance(size, int) and isinstance(known, int) and size != known:
            raise ReshapeMismatch(
                f"Reshape: input {show_shape(shape)} has {size:,} values per sample but target_shape "
                f"{tuple(target)} has {known:,}"
            )
        if isinstance(size, Expr) or isinstance(known, Expr):
            # Valid only if the sizes agree at run time; Keras then returns the target.
            return (shape[0], *target)
        return (shape[0], *target)
    if isinstance(size, int) and isinstance(known, int):
        if known == 0 or size % known:
            raise ReshapeMismatch(
                f"Reshape: input {show_shape(shape)} has {size:,} values per sample, which target_shape "
                f"{tuple(target)} cannot divide"
            )
        fill = size // known
    else:
        if isinstance(known, int) and known > 0:
            fill = arith(lambda: size // known, "reshape")
            if isinstance(fill, Expr) and any("floor" in a.key for m, _ in fill.terms for a, _ in m):
                raise Unresolved("Reshape: cannot tell whether the input size divides target_shape")
        else:
            raise Unresolved("Reshape: target_shape is symbolic")
    out = list(target)
    out[unknown[0]] = fill
    return (shape[0], *out)


def _pairs(value: Any, n: int, name: str, negative_int: bool = False) -> Tuple[Tuple[Any, Any], ...]:
    """ZeroPadding/Cropping arguments: int, n ints, or n pairs → n pairs.

    Keras rejects negative values (``standardize_tuple(..., allow_zero=True)``), except a single int
    for ZeroPadding2D/3D (``negative_int``), which it uses unchecked.
    """
    pairs = _pairs_of(value, n, name)
    if not (negative_int and is_int(value)) and any(isinstance(v, int) and v < 0 for pair in pairs for v in pair):
        raise InvalidArguments(f"`{name}` cannot be negative, got {name}={value!r}")
    return pairs


def _pairs_of(value: Any, n: int, name: str) -> Tuple[Tuple[Any, Any], ...]:
    if is_int(value):
        return ((value, value),) * n
    if isinstance(value, (tuple, list)) and len(value) == n:
        out = []
        for item in value:
            if is_int(item):
                out.append((item, item))
            elif isinstance(item, (tuple, list)) and len(item) == 2 and all(is_int(v) for v in item):
                out.append(tuple(item))
            else:
                hidden = next((v for v in (item if isinstance(item, (tuple, list)) else (item,))
                               if isinstance(v, Unknown)), None)
                if hidden is not None:  # a value the analysis does not know: not an entry Keras rejects
                    raise Unresolved(f"`{name}` is not known ({hidden.reason})")
                raise InvalidArguments(f"`{name}` has an invalid entry {item!r}")
        return tuple(out)
    if n == 1 and isinstance(value, (tuple, list)) and len(value) == 2 and all(is_int(v) for v in value):
        return (tuple(value),)
    raise InvalidArguments(f"`{name}` must be an int, {n} ints or {n} pairs, got {value!r}")


_REARRANGING = frozenset({"rearranging"})
_FIXED_LINEAR = frozenset({"fixed_linear"})


def _one_tensor(rank: int) -> FrozenSet[str]:
    """The padding, cropping and upsampling layers of 1 and 2 spatial axes make one tensor per call (checked by
    tests/test_clone_names.py; the 3D ones are not checked, so not counted)."""
    return frozenset({"one_tensor_per_output"}) if rank < 3 else frozenset()


def padding_layer(name: str, rank: int, default: Any) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        require_rank(name, shape, rank + 2)
        pads = _pairs(args.padding, rank, "padding", negative_int=rank > 1)
        fmt = as_data_format(args.data_format)
        channels, spatial = split_channels(shape, fmt)
        out = tuple(None if L is None else arith(lambda: L + a + b, "padding") for L, (a, b) in zip(spatial, pads))
        if any(isinstance(d, int) and d < 0 for d in out):
            raise NonPositiveDimension(f"{name}: padding {pads} leaves a negative dimension of input "
                                       f"{show_shape(shape)}")
        return join_channels(shape[0], out, channels, fmt)

    return LayerSpec(name, sig(("padding", default), ("data_format", None)), output_shape=output_shape,
                     family=FAMILY, macs=zero_macs, traits=_FIXED_LINEAR | _one_tensor(rank))


def cropping_layer(name: str, rank: int, default: Any) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        require_rank(name, shape, rank + 2)
        crops = _pairs(args.cropping, rank, "cropping")
        fmt = "channels_last" if rank == 1 else as_data_format(args.data_format)
        channels, spatial = split_channels(shape, fmt)
        out = []
        for L, (a, b) in zip(spatial, crops):
            if L is None:
                out.append(None)
                continue
            v = arith(lambda: L - a - b, "cropping")
            if isinstance(v, int) and v <= 0:
                raise NonPositiveDimension(f"{name}: cropping {crops} leaves nothing of input {show_shape(shape)}")
            out.append(v)
        return join_channels(shape[0], tuple(out), channels, fmt)

    params = (("cropping", default),) if rank == 1 else (("cropping", default), ("data_format", None))
    return LayerSpec(name, sig(*params), output_shape=output_shape, family=FAMILY, macs=zero_macs,
                     traits=_FIXED_LINEAR | _one_tensor(rank))


def upsampling_layer(name: str, rank: int, default: Any) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        require_rank(name, shape, rank + 2)
        size = as_tuple(args.size, rank, "size")
        positive(name, size, "size")
        fmt = "channels_last" if rank == 1 else as_data_format(args.data_format)
        channels, spatial = split_channels(shape, fmt)
        out = tuple(None if L is None else arith(lambda: L * s, "size") for L, s in zip(spatial, size))
        return join_channels(shape[0], out, channels, fmt)

    params = {1: (("size", default),),
              2: (("size", default), ("data_format", None), ("interpolation", "nearest")),
              3: (("size", default), ("data_format", None))}[rank]
    # (nearest, bilinear or other interpolation: each output value is a fixed weighted sum of input values)
    return LayerSpec(name, sig(*params), output_shape=output_shape, family=FAMILY, macs=zero_macs,
                     traits=_FIXED_LINEAR | {"upscaling"} | _one_tensor(rank))


def _repeat_shape(args, shape: Shape) -> Shape:
    require_rank("RepeatVector", shape, 2)
    n = as_int(args.n, "n")
    if isinstance(n, int) and n <= 0:
        raise InvalidArguments(f"RepeatVector: `n` must be a positive integer, got {n}")
    return (shape[0], n, shape[1])


def _repeat_count(args) -> Any:
    """``RepeatVector.__init__``: ``n`` a positive int (TypeError for a float, a bool or a NumPy integer)."""
    n = args.raw("n")
    if isinstance(n, (float, bool, NumpyInt)):
        raise InvalidArgumentType(f"RepeatVector: `n` must be an integer, got {n!r}")
    if isinstance(n, int) and n <= 0:
        raise InvalidArguments(f"RepeatVector: `n` must be a positive integer, got {n!r}")
    return n


def _permute_shape(args, shape: Shape) -> Shape:
    dims = tuple(args.dims)
    if sorted(dims) != list(range(1, len(shape))):
        raise InvalidArguments(f"Permute: dims {dims} must be a permutation of 1..{len(shape) - 1}")
    return (shape[0], *(shape[d] for d in dims))


SPECS = [
    LayerSpec("Flatten", sig(("data_format", None)), output_shape=_flatten_shape, family=FAMILY, macs=zero_macs,
              traits=_REARRANGING | {"flattening", "one_tensor_per_output"}),
    LayerSpec("Reshape", sig("target_shape"), output_shape=_reshape_shape, family=FAMILY, macs=zero_macs,
              traits=_REARRANGING | {"one_tensor_per_output"}, built_at_init=True),
    padding_layer("ZeroPadding1D", 1, 1),
    padding_layer("ZeroPadding2D", 2, (1, 1)),
    padding_layer("ZeroPadding3D", 3, ((1, 1), (1, 1), (1, 1))),
    cropping_layer("Cropping1D", 1, (1, 1)),
    cropping_layer("Cropping2D", 2, ((0, 0), (0, 0))),
    cropping_layer("Cropping3D", 3, ((1, 1), (1, 1), (1, 1))),
    upsampling_layer("UpSampling1D", 1, 2),
    upsampling_layer("UpSampling2D", 2, (2, 2)),
    upsampling_layer("UpSampling3D", 3, (2, 2, 2)),
    LayerSpec("RepeatVector", sig("n"), output_shape=_repeat_shape, family=FAMILY, macs=zero_macs,
              traits=_REARRANGING | {"one_tensor_per_output"}, init_checks=_repeat_count,
              attributes=frozenset({"n"})),
    LayerSpec("Permute", sig("dims"), output_shape=_permute_shape, family=FAMILY, macs=zero_macs,
              traits=_REARRANGING | {"one_tensor_per_output"}),
]
