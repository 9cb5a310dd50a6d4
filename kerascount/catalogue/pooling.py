"""Pooling: windowed (Max/Average 1D-3D) and global."""

from __future__ import annotations

from ..ir import Shape
from .errors import InvalidArguments, NonPositiveDimension
from .spec import (
    REQUIRED,
    LayerSpec,
    as_data_format,
    as_padding,
    as_tuple,
    join_channels,
    nonpositive,
    require_rank,
    show_shape,
    sig,
    split_channels,
    window_length,
    windowed,
    zero_macs,
)

FAMILY = "pooling"


def _short(name: str) -> str:
    """The short alias Keras exports: ``MaxPool2D``, ``AvgPool2D``, ``GlobalAvgPool2D``."""
    return name.replace("AveragePooling", "AvgPool").replace("Pooling", "Pool")


def pooling(name: str, rank: int, pool_default) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        require_rank(name, shape, rank + 2)
        pool = as_tuple(args.pool_size, rank, "pool_size")
        strides = pool if args.strides is None else as_tuple(args.strides, rank, "strides")
        if any(isinstance(v, int) and v <= 0 for v in pool) or any(isinstance(v, int) and v < 0 for v in strides):
            raise InvalidArguments(f"{name}: `pool_size` must be positive and `strides` not negative, got "
                                   f"pool_size={pool}, strides={strides}")
        if any(isinstance(v, int) and v == 0 for v in strides):
            # Keras accepts strides=0 when the layer is created, and divides by it when it is called.
            raise InvalidArguments(f"{name}: strides={strides} divides by zero when the layer is called")
        padding = args.padding
        if padding not in ("valid", "same"):
            # Pooling does not lower-case `padding` (convolutions do): Keras
            # raises when the layer is called.
            if isinstance(padding, str):
                raise InvalidArguments(
                    f"{name}: `padding` must be either 'valid' or 'same' (lower case); got {padding!r}"
                )
            padding = as_padding(padding)
        fmt = as_data_format(args.data_format)
        channels, spatial = split_channels(shape, fmt)
        out = tuple(window_length(L, p, s, padding) for L, p, s in zip(spatial, pool, strides))
        if padding == "valid" and nonpositive(out):
            raise NonPositiveDimension(
                f"{name} output would have a non-positive dimension: input {show_shape(shape)}, "
                f"pool_size={pool}, strides={strides}, padding='valid' gives {out}"
            )
        return join_channels(shape[0], out, channels, fmt)

    return LayerSpec(
        name,
        sig(("pool_size", pool_default), ("strides", None), ("padding", "valid"), ("data_format", None),
            ("name", None)),
        output_shape=output_shape,
        aliases=(_short(name),),
        family=FAMILY, macs=zero_macs,
        built_at_init=True,
        traits=frozenset({"windowed", "one_tensor_per_output"}) | ({"fixed_linear"} if name.startswith("Average") else set()),
        input_rank=rank + 2,
        # Pooling checks `padding` when it is called, and does not lower-case it (convolutions do).
        standardise=windowed(rank, "pool_size", "strides", padding=None),
        attributes=frozenset({"pool_size"}),  # (not `strides`: Keras sets pool_size's where it is None)
    )


def global_pooling(name: str, rank: int) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        require_rank(name, shape, rank + 2)
        fmt = as_data_format(args.data_format)
        channels, spatial = split_channels(shape, fmt)
        if args.keepdims:
            return join_channels(shape[0], (1,) * len(spatial), channels, fmt)
        return (shape[0], channels)

    return LayerSpec(
        name,
        sig(("data_format", None), ("keepdims", False)),
        output_shape=output_shape,
        aliases=(_short(name),),
        family=FAMILY, macs=zero_macs,
        built_at_init=True,
        # (with keepdims=True its output keeps the spatial axes, of size 1)
        traits=frozenset({"flattening", "one_tensor_per_output"}) | ({"fixed_linear"} if "Average" in name else set()),
        # Of the global poolings, only GlobalAveragePooling1D supports masking (it averages the unmasked steps).
        compute_mask="drop" if name == "GlobalAveragePooling1D" else None,
        takes_mask=name == "GlobalAveragePooling1D",
    )


def adaptive(name: str, rank: int) -> LayerSpec:
    """Adaptive pooling: ``output_size`` sets the spatial dimensions, whatever the input's."""

    def output_shape(args, shape: Shape) -> Shape:
        size = as_tuple(args.output_size, rank, "output_size")
        if any(isinstance(d, int) and d < 0 for d in size):
            raise InvalidArguments(f"{name}: `output_size` {size} has a negative dimension")
        fmt = as_data_format(args.data_format)
        channels = shape[-1] if fmt == "channels_last" else shape[1]
        return join_channels(shape[0], size, channels, fmt)

    return LayerSpec(name, sig("output_size", ("data_format", None)), output_shape=output_shape, family=FAMILY,
                     macs=zero_macs, traits=frozenset({"fixed_linear"}) if "Average" in name else frozenset())


SPECS = [
    pooling("MaxPooling1D", 1, 2),
    pooling("MaxPooling2D", 2, (2, 2)),
    pooling("MaxPooling3D", 3, (2, 2, 2)),
    # AveragePooling's pool_size has no default in Keras 3.
    pooling("AveragePooling1D", 1, REQUIRED),
    pooling("AveragePooling2D", 2, REQUIRED),
    pooling("AveragePooling3D", 3, REQUIRED),
    *(global_pooling(f"Global{kind}Pooling{r}D", r) for kind in ("Average", "Max") for r in (1, 2, 3)),
    *(adaptive(f"Adaptive{kind}Pooling{r}D", r) for kind in ("Average", "Max") for r in (1, 2, 3)),
]
