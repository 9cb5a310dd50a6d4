"""Preprocessing layers (keras.src.layers.preprocessing): Rescaling, Resizing, CenterCrop, RandomCrop,
the shape-preserving random augmentations, Normalization, CategoryEncoding, Discretization."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ..ir import Shape, Unknown
from ..symbolic import Expr
from .errors import IncompatibleInput, InvalidArguments, WrongRank
from .spec import (LayerSpec, Unresolved, Weights, arith, as_data_format, is_int, product, show_shape, sig,
                   unknown_macs, zero_macs)

FAMILY = "preprocessing"

#: Keyword arguments every image preprocessing layer passes on to BaseImagePreprocessingLayer.
_BASE_TAIL = (("bounding_box_format", None),)


def _size(name: str, value: Any, what: str) -> Any:
    if isinstance(value, Unknown):
        raise Unresolved(f"{name} {what} is not known ({value.reason})")
    if isinstance(value, float):  # Keras: "Cannot convert '(None, 4.0, 4, 3)' to a shape" when it is called
        raise InvalidArguments(f"{name}: `{what}` must be an integer, got the float {value!r}")
    if value is None or not is_int(value):
        raise Unresolved(f"{name} {what}={value!r} is not an integer")
    return value


def _hw_axes(rank: int, fmt: str) -> Tuple[int, int]:
    """(height axis, width axis) as Resizing/CenterCrop pick them: rank 4 is batched, others unbatched."""
    if rank == 4:
        return (1, 2) if fmt == "channels_last" else (2, 3)
    return (0, 1) if fmt == "channels_last" else (1, 2)


def _resize_to(name: str, check_rank: bool):
    def output_shape(args, shape: Shape) -> Shape:
        if check_rank and len(shape) not in (3, 4):
            raise WrongRank(f"{name}: input must have rank 3 (unbatched) or 4 (batched), got {show_shape(shape)}")
        fmt = as_data_format(args.data_format)
        height = _size(name, args.height, "height")
        width = _size(name, args.width, "width")
        h, w = _hw_axes(len(shape), fmt)
        if max(h, w) >= len(shape):
            raise WrongRank(f"{name}: input {show_shape(shape)} has no height and width axes")
        out = list(shape)
        out[h], out[w] = height, width
        return tuple(out)

    return output_shape


def _random_crop_shape(args, shape: Shape) -> Shape:
    fmt = as_data_format(args.data_format)
    h, w = (-3, -2) if fmt == "channels_last" else (-2, -1)
    if len(shape) < -h:
        raise WrongRank(f"RandomCrop: input {show_shape(shape)} has no height and width axes")
    out = list(shape)
    out[h] = _size("RandomCrop", args.height, "height")
    out[w] = _size("RandomCrop", args.width, "width")
    return tuple(out)


def _rescaling_shape(args, shape: Shape) -> Shape:
    args.scale  # required
    return shape


# MelSpectrogram -------------------------------------------------------------


def _mel_shape(args, shape: Shape) -> Shape:
    """``MelSpectrogram.compute_output_shape``: (batch, num_mel_bins, frames), frames = (samples + stride + 1) //
    stride, which ``model.summary()`` shows (the array ``call`` returns may have a frame less or more)."""
    fft, length = args.fft_length, args.sequence_length
    length = fft if length is None else length
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (fft, length)):
        raise Unresolved("MelSpectrogram fft_length or sequence_length is not known")
    if fft < length:  # checked in __init__
        raise InvalidArguments(f"MelSpectrogram: `fft_length` must be greater than or equal to `sequence_length`; "
                               f"got sequence_length={length}, fft_length={fft}")
    if len(shape) != 2:
        raise Unresolved(f"MelSpectrogram on an input of rank {len(shape)} (audio is (batch, samples))")
    stride, bins = args.sequence_stride, args.num_mel_bins
    if not all(is_int(v) for v in (stride, bins)):
        raise Unresolved("MelSpectrogram sequence_stride or num_mel_bins is not known")
    samples = shape[1]
    frames = None if samples is None else arith(lambda: (samples + stride + 1) // stride, "frames")
    return (shape[0], bins, frames)


# Normalization --------------------------------------------------------------


def _value_shape(value: Any) -> Optional[Tuple[int, ...]]:
    """``np.shape`` of a literal value; None when not known."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, (tuple, list)):
        inner = [_value_shape(v) for v in value]
        if any(s is None for s in inner):
            return None
        if inner and any(s != inner[0] for s in inner):
            return None
        return (len(value), *(inner[0] if inner else ()))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    return None


def _norm_axes(args) -> Tuple[int, ...]:
    axis = args.axis
    if axis is None:
        axes: Tuple[Any, ...] = ()
    elif isinstance(axis, int) and not isinstance(axis, bool):
        axes = (axis,)
    elif isinstance(axis, (tuple, list)):
        axes = tuple(axis)
    else:
        raise Unresolved(f"Normalization axis {axis!r} is not known")
    for a in axes:
        if not isinstance(a, int) or isinstance(a, bool):
            raise Unresolved(f"Normalization axis {axis!r} is not known")
    mean, variance = args.raw("mean"), args.raw("variance")
    if (mean is not None) != (variance is not None):
        raise InvalidArguments("Normalization: when setting values directly, both `mean` and `variance` must be set")
    if mean is not None:
        ms, vs = _value_shape(mean), _value_shape(variance)
        if ms is not None and vs is not None:
            if ms != vs:
                raise InvalidArguments(f"Normalization: `mean` and `variance` must have the same shape, got {ms} and "
                                       f"{vs}")
            if len(ms) > len(axes):
                raise InvalidArguments(f"Normalization: the rank of `mean` must be at most the number of axes "
                                       f"({len(axes)}), got shape {ms}")
    return axes


def _norm_keep(args, shape: Shape) -> Tuple[int, ...]:
    axes = _norm_axes(args)
    rank = len(shape)
    if any(a < -rank or a >= rank for a in axes):
        raise WrongRank(f"Normalization: all `axis` values must be in [-{rank}, {rank}) for input "
                        f"{show_shape(shape)}; got axis={args.axis}")
    keep = tuple(sorted(a if a >= 0 else a + rank for a in axes))
    for d in keep:
        if shape[d] is None:
            raise IncompatibleInput(f"Normalization: kept axis {d} of input {show_shape(shape)} must have a known size")
    return keep


def _normalization_shape(args, shape: Shape) -> Shape:
    _norm_keep(args, shape)
    return shape


def _normalization_weights(args, shape: Shape) -> Weights:
    keep = _norm_keep(args, shape)
    if args.raw("mean") is not None:
        return Weights()
    size = product([shape[d] for d in keep])
    # mean and variance (shape of the kept axes) and an integer count, all non-trainable.
    return Weights(non_trainable=arith(lambda: 2 * size + 1, "params"))


# CategoryEncoding, Discretization --------------------------------------------


def _category_config(args) -> Tuple[Any, str]:
    mode = args.output_mode
    if mode == "binary":
        mode = "multi_hot"
    if mode not in ("count", "one_hot", "multi_hot"):
        raise InvalidArguments(f"CategoryEncoding: unknown output_mode {mode!r}")
    tokens = args.num_tokens
    if tokens is None:
        raise InvalidArguments("CategoryEncoding: num_tokens must be set")
    if not is_int(tokens):
        raise Unresolved(f"CategoryEncoding num_tokens={tokens!r} is not an integer")
    if isinstance(tokens, int) and tokens < 1:
        raise InvalidArguments(f"CategoryEncoding: `num_tokens` must be >= 1, got {tokens}")
    return tokens, mode


def _category_shape(args, shape: Shape) -> Shape:
    tokens, mode = _category_config(args)
    if len(shape) == 0:
        return (tokens,)
    if mode == "one_hot":
        if shape[-1] != 1:
            if isinstance(shape[-1], Expr):
                raise Unresolved("CategoryEncoding: whether the last dimension is 1 is not known")
            return (*shape, tokens)
        if len(shape) == 1:
            return (*shape, tokens)
        return (*shape[:-1], tokens)
    return (*shape[:-1], tokens)


def _discretization_config(args) -> Tuple[str, Any]:
    mode = args.output_mode
    if mode not in ("int", "one_hot", "multi_hot", "count"):
        raise InvalidArguments(f"Discretization: invalid output_mode {mode!r}; should be one of int, one_hot, "
                               "multi_hot, "
                               "count")
    if args.sparse and mode == "int":
        raise InvalidArguments("Discretization: `sparse=True` may only be used if `output_mode` is 'one_hot', "
                               "'multi_hot' or 'count'")
    bins, boundaries = args.num_bins, args.bin_boundaries
    if isinstance(bins, int) and bins < 0:
        raise InvalidArguments(f"Discretization: `num_bins` must be >= 0, got {bins}")
    if bins is not None and boundaries is not None:
        raise InvalidArguments("Discretization: set either `num_bins` or `bin_boundaries`, not both")
    if bins is None and boundaries is None:
        raise InvalidArguments("Discretization: set either `num_bins` or `bin_boundaries`")
    if boundaries is not None:
        if not isinstance(boundaries, (tuple, list)):
            raise Unresolved("Discretization bin_boundaries are not known")
        depth: Any = len(boundaries) + 1
    else:
        if not is_int(bins):
            raise Unresolved(f"Discretization num_bins={bins!r} is not an integer")
        depth = bins
    return mode, depth


def _discretization_shape(args, shape: Shape) -> Shape:
    mode, depth = _discretization_config(args)
    if mode == "int":
        return shape
    if mode == "one_hot":
        if shape and len(shape) > 1 and isinstance(shape[-1], Expr):
            raise Unresolved("Discretization: whether the last dimension is 1 is not known")
        if shape and shape[-1] == 1 and len(shape) > 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    if shape and len(shape) >= 2:
        return (shape[0], *shape[2:], depth)
    return (depth,)


def _image_rank(name: str):
    def output_shape(args, shape: Shape) -> Shape:
        if len(shape) not in (3, 4):
            raise WrongRank(f"{name}: input must have rank 3 (one image) or 4 (a batch), got {show_shape(shape)}")
        return shape

    return output_shape


def _augment(name: str, *params: Any, data_format: bool = True, factor: bool = True,
             init_names: Any = None) -> LayerSpec:
    """A random augmentation layer: the output has the input's shape, no weights."""
    extra = []
    if not data_format:
        extra.append(("data_format", None))
    if not factor:
        extra.append(("factor", None))
    return LayerSpec(name, sig(*params, *extra, *_BASE_TAIL), family=FAMILY, macs=zero_macs, init_names=init_names)


#: The augmentation layers AugMix and RandAugment make in ``__init__``, in Keras's order.
_AUGMIX_OPS = ("RandomShear", "RandomTranslation", "RandomRotation", "Solarization", "RandomPosterization",
               "AutoContrast", "Equalization")
_AUGMIX_ALL_OPS = ("RandomBrightness", "RandomColorDegeneration", "RandomContrast", "RandomSharpness")
_RANDAUGMENT_OPS = ("RandomShear", "RandomTranslation", "RandomRotation", "RandomBrightness",
                    "RandomColorDegeneration", "RandomContrast", "RandomSharpness", "Solarization",
                    "RandomPosterization", "AutoContrast", "Equalization")


def _augmix_names(args) -> Tuple[str, ...]:
    all_ops = args.all_ops
    if not isinstance(all_ops, bool):
        raise Unresolved("AugMix all_ops is not known")
    return _AUGMIX_OPS + (_AUGMIX_ALL_OPS if all_ops else ())


SPECS = [
    LayerSpec("Rescaling", sig("scale", ("offset", 0.0)), output_shape=_rescaling_shape, family=FAMILY, macs=zero_macs,
              compute_mask="keep", traits=frozenset({"one_tensor_per_output"})),
    LayerSpec("Resizing",
              sig("height", "width", ("interpolation", "bilinear"), ("crop_to_aspect_ratio", False),
                  ("pad_to_aspect_ratio", False), ("fill_mode", "constant"), ("fill_value", 0.0),
                  ("antialias", False), ("data_format", None), ("factor", None), *_BASE_TAIL),
              output_shape=_resize_to("Resizing", False), family=FAMILY, macs=zero_macs),
    LayerSpec("CenterCrop", sig("height", "width", ("data_format", None), ("factor", None), *_BASE_TAIL),
              output_shape=_resize_to("CenterCrop", True), family=FAMILY, macs=zero_macs),
    LayerSpec("RandomCrop", sig("height", "width", ("seed", None), ("data_format", None), ("name", None),
                                ("factor", None), *_BASE_TAIL),
              output_shape=_random_crop_shape, family=FAMILY, macs=zero_macs),
    _augment("RandomFlip", ("mode", "horizontal_and_vertical"), ("seed", None), ("data_format", None), factor=False),
    _augment("RandomRotation", "factor", ("fill_mode", "reflect"), ("interpolation", "bilinear"), ("seed", None),
             ("fill_value", 0.0), ("data_format", None)),
    _augment("RandomZoom", "height_factor", ("width_factor", None), ("fill_mode", "reflect"),
             ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None),
             factor=False),
    _augment("RandomTranslation", "height_factor", "width_factor", ("fill_mode", "reflect"),
             ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None),
             factor=False),
    _augment("RandomContrast", "factor", ("value_range", (0, 255)), ("seed", None), data_format=False),
    _augment("RandomBrightness", "factor", ("value_range", (0, 255)), ("seed", None), data_format=False),
    # Shape-preserving image augmentations of Keras 3.
    _augment("AugMix", ("value_range", (0, 255)), ("num_chains", 3), ("chain_depth", 3), ("factor", 0.3),
             ("alpha", 1.0), ("all_ops", True), ("interpolation", "bilinear"), ("seed", None), ("data_format", None),
             init_names=_augmix_names),
    _augment("AutoContrast", ("value_range", (0, 255)), data_format=False),
    _augment("ContrastLimitedAdaptiveHistogramEqualization", ("value_range", (0, 255)), ("clip_limit", 4.0),
             ("tile_grid_size", (8, 8)), ("data_format", None)),
    _augment("CutMix", ("factor", 1.0), ("seed", None), ("data_format", None)),
    _augment("MixUp", ("alpha", 0.2), ("data_format", None), ("seed", None)),
    _augment("RandAugment", ("value_range", (0, 255)), ("num_ops", 2), ("factor", 0.5), ("interpolation", "bilinear"),
             ("seed", None), ("data_format", None), init_names=lambda args: _RANDAUGMENT_OPS),
    LayerSpec("RandomColorDegeneration", sig("factor", ("value_range", (0, 255)), ("data_format", None),
                                             ("seed", None), *_BASE_TAIL),
              output_shape=_image_rank("RandomColorDegeneration"), family=FAMILY, macs=zero_macs),
    _augment("RandomColorJitter", ("value_range", (0, 255)), ("brightness_factor", None), ("contrast_factor", None),
             ("saturation_factor", None), ("hue_factor", None), ("seed", None), ("data_format", None)),
    _augment("RandomElasticTransform", ("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"),
             ("fill_mode", "reflect"), ("fill_value", 0.0), ("value_range", (0, 255)), ("seed", None),
             ("data_format", None)),
    _augment("RandomErasing", ("factor", 1.0), ("scale", (0.02, 0.33)), ("fill_value", None),
             ("value_range", (0, 255)), ("seed", None), ("data_format", None)),
    _augment("RandomGaussianBlur", ("factor", 1.0), ("kernel_size", 3), ("sigma", 1.0), ("value_range", (0, 255)),
             ("data_format", None), ("seed", None)),
    _augment("RandomGrayscale", ("factor", 0.5), ("data_format", None), ("seed", None)),
    _augment("RandomHue", "factor", ("value_range", (0, 255)), ("data_format", None), ("seed", None)),
    _augment("RandomInvert", ("factor", 1.0), ("value_range", (0, 255)), ("seed", None), ("data_format", None)),
    _augment("RandomPerspective", ("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"), ("fill_value", 0.0),
             ("seed", None), ("data_format", None)),
    _augment("RandomPosterization", "factor", ("value_range", (0, 255)), ("data_format", None), ("seed", None)),
    _augment("RandomSaturation", "factor", ("value_range", (0, 255)), ("data_format", None), ("seed", None)),
    _augment("RandomSharpness", "factor", ("value_range", (0, 255)), ("data_format", None), ("seed", None)),
    _augment("RandomShear", ("x_factor", 0.0), ("y_factor", 0.0), ("interpolation", "bilinear"),
             ("fill_mode", "reflect"), ("fill_value", 0.0), ("data_format", None), ("seed", None), factor=False),
    _augment("Solarization", ("addition_factor", 0.0), ("threshold_factor", 0.0), ("value_range", (0, 255)),
             ("seed", None), data_format=False),
    # The short-time Fourier transform and the mel matrix are not products of the source's weights: unknown MACs.
    LayerSpec("MelSpectrogram", sig(("fft_length", 2048), ("sequence_stride", 512), ("sequence_length", None),
                                    ("window", "hann"), ("sampling_rate", 16000), ("num_mel_bins", 128),
                                    ("min_freq", 20.0), ("max_freq", None), ("power_to_db", True), ("top_db", 80.0),
                                    ("mag_exp", 2.0), ("min_power", 1e-10), ("ref_power", 1.0)),
              output_shape=_mel_shape, family=FAMILY, macs=unknown_macs),
    LayerSpec("Normalization", sig(("axis", -1), ("mean", None), ("variance", None), ("invert", False)),
              output_shape=_normalization_shape, weights=_normalization_weights, family=FAMILY, macs=zero_macs,
              compute_mask="keep"),
    LayerSpec("CategoryEncoding", sig(("num_tokens", None), ("output_mode", "multi_hot"), ("sparse", False)),
              output_shape=_category_shape, family=FAMILY, macs=zero_macs),
    LayerSpec("Discretization", sig(("bin_boundaries", None), ("num_bins", None), ("epsilon", 0.01),
                                    ("output_mode", "int"), ("sparse", False), ("dtype", None), ("name", None)),
              output_shape=_discretization_shape, family=FAMILY, macs=zero_macs, var_kwargs=False),
]
