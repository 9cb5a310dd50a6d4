"""Convolutions: Conv1D/2D/3D, transposed, depthwise and separable."""

from __future__ import annotations

from typing import Any, Tuple

from ..ir import Shape
from .errors import IncompatibleInput, InvalidArguments, InvalidArgumentType, NonPositiveDimension
from .spec import (
    LayerSpec,
    channel_axis,
    Unresolved,
    symbolic_window,
    Weights,
    arith,
    as_data_format,
    as_int,
    as_padding,
    as_tuple,
    count_product,
    count_sum,
    join_channels,
    known_channels,
    lora_rank,
    nonpositive,
    positive,
    product,
    require_rank,
    show_shape,
    sig,
    split_channels,
    window_length,
    windowed,
)

FAMILY = "convolution"

_TAIL = (("activation", None), ("use_bias", True), ("kernel_initializer", "glorot_uniform"),
         ("bias_initializer", "zeros"), ("kernel_regularizer", None), ("bias_regularizer", None),
         ("activity_regularizer", None), ("kernel_constraint", None), ("bias_constraint", None))


#: What Keras keeps of a convolution's arguments as attributes (LayerSpec.attributes); a depthwise one has no filters.
_CONV_ATTRIBUTES = frozenset({"filters", "kernel_size", "strides", "padding", "dilation_rate"})
_DEPTHWISE_ATTRIBUTES = frozenset({"kernel_size", "strides", "padding", "dilation_rate", "depth_multiplier"})


def _geometry(name: str, rank: int, args, shape: Shape, *, causal: bool = False, check_dilation: bool = False):
    require_rank(name, shape, rank + 2)
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    padding = as_padding(args.padding, allowed)
    fmt = as_data_format(args.data_format)
    kernel = positive(name, as_tuple(args.kernel_size, rank, "kernel_size"), "kernel_size")
    strides = positive(name, as_tuple(args.strides, rank, "strides"), "strides")
    dilation = positive(name, as_tuple(args.dilation_rate, rank, "dilation_rate"), "dilation_rate")
    channels, spatial = split_channels(shape, fmt)
    if check_dilation and _gt1(strides) and _gt1(dilation):
        raise InvalidArguments(f"{name}: strides > 1 cannot be combined with dilation_rate > 1 (strides={strides}, "
                               f"dilation_rate={dilation})")
    return padding, fmt, kernel, strides, dilation, channels, spatial


def _filters(name: str, args, what: str = "filters") -> Any:
    return positive(name, (as_int(getattr(args, what), what),), what)[0]


def _init_filters(name: str):
    """A convolution's ``__init__`` check: ``filters``, where an int, is strictly positive (a float passes there)."""

    def check(args) -> Any:
        filters = args.raw("filters")
        if isinstance(filters, str):
            raise InvalidArgumentType(f"{name}: `filters` must be a positive integer, got {filters!r}")
        if isinstance(filters, int) and not isinstance(filters, bool) and filters <= 0:
            raise InvalidArguments(f"{name}: `filters` must be a positive integer, got {filters!r}")
        return filters

    return check


def _gt1(values) -> bool:
    return any(isinstance(v, int) and v > 1 for v in values)


def _conv_spatial(name: str, shape: Shape, spatial, kernel, strides, padding, dilation) -> Tuple[Any, ...]:
    out = tuple(window_length(L, k, s, padding, d) for L, k, s, d in zip(spatial, kernel, strides, dilation))
    if padding == "valid" and nonpositive(out):
        raise NonPositiveDimension(
            f"{name} output would have a non-positive dimension: input {show_shape(shape)}, "
            f"kernel_size={kernel}, strides={strides}"
            + (f", dilation_rate={dilation}" if any(d != 1 for d in dilation) else "")
            + f", padding='valid' gives {tuple(out)}"
        )
    return out


# MACs: the config's kernel_size is a rank-tuple and its data_format resolved (``standardise`` below).


def _conv_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """Output positions × kernel volume × in_channels/groups × filters."""
    channels, _ = split_channels(inputs, args.data_format)
    _, out = split_channels(outputs, args.data_format)
    per_group = arith(lambda: channels // as_int(args.groups, "groups"), "channels per group")
    return count_product([*out, *args.kernel_size, per_group, as_int(args.filters, "filters")])


def _transpose_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """Input positions × kernel volume × in_channels × filters: each input value meets the whole kernel."""
    channels, spatial = split_channels(inputs, args.data_format)
    return count_product([*spatial, *args.kernel_size, channels, as_int(args.filters, "filters")])


def _depthwise_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """Output positions × kernel volume × in_channels × depth_multiplier."""
    channels, _ = split_channels(inputs, args.data_format)
    _, out = split_channels(outputs, args.data_format)
    return count_product([*out, *args.kernel_size, channels, as_int(args.depth_multiplier, "depth_multiplier")])


def _separable_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """The depthwise step, then a 1×1 convolution from in_channels × depth_multiplier to filters."""
    depthwise = _depthwise_macs(args, inputs, outputs)
    _, out = split_channels(outputs, args.data_format)
    channels, _ = split_channels(inputs, args.data_format)
    multiplier = as_int(args.depth_multiplier, "depth_multiplier")
    return count_sum([depthwise, count_product([*out, channels, multiplier, as_int(args.filters, "filters")])])


def conv(name: str, rank: int, strides_default: Any, causal: bool = False) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        padding, fmt, kernel, strides, dilation, _, spatial = _geometry(name, rank, args, shape, causal=causal,
                                                                        check_dilation=True)
        filters = _filters(name, args)
        out = _conv_spatial(name, shape, spatial, kernel, strides, padding, dilation)
        return join_channels(shape[0], out, filters, fmt)

    def weights(args, shape: Shape) -> Weights:
        _, fmt, kernel, _, _, channels, _ = _geometry(name, rank, args, shape, causal=causal)
        channels = known_channels(name, channels)
        filters = _filters(name, args)
        groups = _filters(name, args, "groups")
        if isinstance(groups, int) and isinstance(filters, int) and filters % groups:
            raise InvalidArguments(f"{name}: filters={filters} must be divisible by groups={groups}")
        if isinstance(groups, int) and isinstance(channels, int) and channels % groups:
            raise IncompatibleInput(
                f"{name}: input channels {channels} must be divisible by groups={groups}"
            )
        per_group = arith(lambda: channels // groups, "channels per group")
        bias = filters if args.use_bias else 0
        lora = lora_rank(name, args)
        if lora:  # enable_lora: the kernel is frozen; lora_kernel_a (*kernel, per_group, lora), _b (lora, filters)
            lora_weights = arith(lambda: product(kernel) * per_group * lora + lora * filters, "params")
            return Weights(trainable=arith(lambda: lora_weights + bias, "params"),
                           non_trainable=arith(lambda: product(kernel) * per_group * filters, "params"))
        count = arith(lambda: product(kernel) * per_group * filters + bias, "params")
        return Weights(trainable=count)

    return LayerSpec(
        name,
        sig("filters", "kernel_size", ("strides", strides_default), ("padding", "valid"),
            ("data_format", None), ("dilation_rate", strides_default), ("groups", 1), *_TAIL,
            ("lora_rank", None), ("lora_alpha", None)),
        output_shape=output_shape,
        weights=weights,
        macs=_conv_macs,
        aliases=(name.replace("Conv", "Convolution"),),
        family=FAMILY,
        traits=frozenset({"linear", "biased", "windowed", "channel_sized", "one_tensor_per_output"}),
        input_rank=rank + 2,
        init_checks=_init_filters(name),
        input_axes=channel_axis,
        standardise=windowed(rank, "kernel_size", "strides", "dilation_rate",
                             padding=("valid", "same", "causal") if causal else ("valid", "same")),
        attributes=_CONV_ATTRIBUTES,
    )


def _transpose_length(L, k, s, padding, out_pad, d):
    if L is None:
        return None
    if not all(isinstance(v, int) for v in (k, s, d)) or not (out_pad is None or isinstance(out_pad, int)):
        raise Unresolved(symbolic_window(k, s, d, out_pad))
    k = (k - 1) * d + 1
    if padding == "valid":
        pad = max(k, s) - k if out_pad is None else out_pad
        return arith(lambda: (L - 1) * s + k + pad, "length")
    if out_pad is None:
        return arith(lambda: L * s, "length")
    return arith(lambda: (L - 1) * s + k % 2 + out_pad, "length")


def conv_transpose(name: str, rank: int, strides_default: Any, fmt_first: bool = False) -> LayerSpec:
    def parts(args, shape):
        padding, fmt, kernel, strides, dilation, channels, spatial = _geometry(name, rank, args, shape,
                                                                               check_dilation=True)
        out_pad = args.output_padding
        out_pad = (None,) * rank if out_pad is None else as_tuple(out_pad, rank, "output_padding")
        if any(isinstance(op, int) and op < 0 for op in out_pad):  # standardize_tuple(allow_zero=True)
            raise InvalidArguments(f"{name}: `output_padding` must not be negative, got {out_pad}")
        for op, s in zip(out_pad, strides):
            if isinstance(op, int) and isinstance(s, int) and op >= s:
                # Keras raises when the layer is constructed.
                raise InvalidArguments(f"{name}: output_padding must be strictly less than strides in every "
                                       f"dimension (output_padding={out_pad}, strides={strides})")
        return padding, fmt, kernel, strides, dilation, channels, spatial, out_pad

    def output_shape(args, shape: Shape) -> Shape:
        padding, fmt, kernel, strides, dilation, _, spatial, out_pad = parts(args, shape)
        filters = _filters(name, args)
        out = tuple(_transpose_length(*v) for v in zip(spatial, kernel, strides, (padding,) * rank, out_pad, dilation))
        return join_channels(shape[0], out, filters, fmt)

    def weights(args, shape: Shape) -> Weights:
        _, _, kernel, _, _, channels, _, _ = parts(args, shape)
        channels = known_channels(name, channels)
        filters = _filters(name, args)
        count = arith(lambda: product(kernel) * channels * filters + (filters if args.use_bias else 0), "params")
        return Weights(trainable=count)

    head = (("padding", "valid"), ("data_format", None), ("output_padding", None)) if fmt_first else \
        (("padding", "valid"), ("output_padding", None), ("data_format", None))
    return LayerSpec(
        name,
        sig("filters", "kernel_size", ("strides", strides_default), *head,
            ("dilation_rate", strides_default), *_TAIL),
        output_shape=output_shape,
        weights=weights,
        macs=_transpose_macs,
        aliases=(name.replace("Conv", "Convolution"),),
        family=FAMILY,
        traits=frozenset({"linear", "biased", "upscaling", "channel_sized", "one_tensor_per_output"}),
        input_rank=rank + 2,
        init_checks=_init_filters(name),
        input_axes=channel_axis,
        standardise=windowed(rank, "kernel_size", "strides", "dilation_rate", "output_padding"),
        attributes=_CONV_ATTRIBUTES,
    )


def depthwise(name: str, rank: int, strides_default: Any) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        padding, fmt, kernel, strides, dilation, channels, spatial = _geometry(name, rank, args, shape)
        mult = _filters(name, args, "depth_multiplier")
        out = _conv_spatial(name, shape, spatial, kernel, strides, padding, dilation)
        out_channels = None if channels is None else arith(lambda: channels * mult, "channels")
        return join_channels(shape[0], out, out_channels, fmt)

    def weights(args, shape: Shape) -> Weights:
        _, _, kernel, _, _, channels, _ = _geometry(name, rank, args, shape)
        channels = known_channels(name, channels)
        mult = _filters(name, args, "depth_multiplier")
        count = arith(lambda: product(kernel) * channels * mult + (channels * mult if args.use_bias else 0), "params")
        return Weights(trainable=count)

    return LayerSpec(
        name,
        sig("kernel_size", ("strides", strides_default), ("padding", "valid"), ("depth_multiplier", 1),
            ("data_format", None), ("dilation_rate", strides_default), ("activation", None),
            ("use_bias", True), ("depthwise_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
            ("depthwise_regularizer", None), ("bias_regularizer", None), ("activity_regularizer", None),
            ("depthwise_constraint", None), ("bias_constraint", None)),
        output_shape=output_shape,
        weights=weights,
        macs=_depthwise_macs,
        family=FAMILY,
        traits=frozenset({"linear", "biased", "windowed", "channel_sized", "one_tensor_per_output"}),
        input_rank=rank + 2,
        input_axes=channel_axis,
        standardise=windowed(rank, "kernel_size", "strides", "dilation_rate"),
        attributes=_DEPTHWISE_ATTRIBUTES,
    )


def separable(name: str, rank: int, strides_default: Any) -> LayerSpec:
    def output_shape(args, shape: Shape) -> Shape:
        padding, fmt, kernel, strides, dilation, _, spatial = _geometry(name, rank, args, shape)
        filters = _filters(name, args)
        out = _conv_spatial(name, shape, spatial, kernel, strides, padding, dilation)
        return join_channels(shape[0], out, filters, fmt)

    def weights(args, shape: Shape) -> Weights:
        _, _, kernel, _, _, channels, _ = _geometry(name, rank, args, shape)
        channels = known_channels(name, channels)
        mult = _filters(name, args, "depth_multiplier")
        filters = _filters(name, args)
        count = arith(
            lambda: product(kernel) * channels * mult + channels * mult * filters + (filters if args.use_bias else 0),
            "params",
        )
        return Weights(trainable=count)

    return LayerSpec(
        name,
        sig("filters", "kernel_size", ("strides", strides_default), ("padding", "valid"), ("data_format", None),
            ("dilation_rate", strides_default), ("depth_multiplier", 1), ("activation", None), ("use_bias", True),
            ("depthwise_initializer", "glorot_uniform"), ("pointwise_initializer", "glorot_uniform"),
            ("bias_initializer", "zeros"), ("depthwise_regularizer", None), ("pointwise_regularizer", None),
            ("bias_regularizer", None), ("activity_regularizer", None), ("depthwise_constraint", None),
            ("pointwise_constraint", None), ("bias_constraint", None)),
        output_shape=output_shape,
        weights=weights,
        macs=_separable_macs,
        aliases=(name.replace("Conv", "Convolution"),),
        family=FAMILY,
        traits=frozenset({"linear", "biased", "windowed", "channel_sized", "one_tensor_per_output"}),
        input_rank=rank + 2,
        init_checks=_init_filters(name),
        input_axes=channel_axis,
        standardise=windowed(rank, "kernel_size", "strides", "dilation_rate"),
        attributes=_CONV_ATTRIBUTES,
    )


SPECS = [
    conv("Conv1D", 1, 1, causal=True),
    conv("Conv2D", 2, (1, 1)),
    conv("Conv3D", 3, (1, 1, 1)),
    conv_transpose("Conv1DTranspose", 1, 1),
    conv_transpose("Conv2DTranspose", 2, (1, 1)),
    conv_transpose("Conv3DTranspose", 3, (1, 1, 1), fmt_first=True),
    depthwise("DepthwiseConv1D", 1, 1),
    depthwise("DepthwiseConv2D", 2, (1, 1)),
    separable("SeparableConv1D", 1, 1),
    separable("SeparableConv2D", 2, (1, 1)),
]
