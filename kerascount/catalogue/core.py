"""Core layers: inputs, Dense, activations, dropout and other shape-preserving layers."""

from __future__ import annotations

from typing import Any

from ..ir import Shape, Unknown
from ..symbolic import Expr
from .spec import (
    LayerSpec,
    ShapeError,
    Unresolved,
    is_int,
    lora_rank,
    Weights,
    as_int,
    require_min_rank,
    require_rank,
    show_shape,
    sig,
)

FAMILY = "core"


def _input_shape(args, shape: Any) -> Shape:
    """The batched shape an ``Input``/``InputLayer`` declares (it has no input)."""
    batch_shape = args.batch_shape
    if batch_shape is not None:
        if args.raw("shape") is not None:
            raise ShapeError("Input: pass either `shape` or `batch_shape`, not both", code="KC103")
        if args.raw("batch_size") is not None:
            raise ShapeError("Input: you cannot pass both `batch_size` and `batch_shape`", code="KC103")
        dims = _dims(batch_shape)
        return _non_negative(dims)
    shape = args.shape
    if shape is None:
        raise ShapeError("Input: a `shape` or `batch_shape` argument is required", code="KC103")
    if isinstance(shape, Expr):  # a name the source does not resolve may stand for a tuple
        raise Unresolved(f"the input shape `{shape}` is not known")
    if not isinstance(shape, (tuple, list)):
        raise ShapeError(f"Input: shape={shape!r} is not a tuple (write shape=({shape!r},) for one dimension)",
                         code="KC103")
    return _non_negative((args.batch_size, *_dims(shape)))


def _dims(shape: Any) -> Shape:
    if not isinstance(shape, (tuple, list)):
        raise Unresolved(f"input shape {shape!r} is not known")
    out = []
    for d in shape:
        if isinstance(d, Unknown):
            raise Unresolved(f"input dimension is not known ({d.reason})")
        if d is not None and not is_int(d):
            raise ShapeError(f"Input: shape {shape!r} must hold integers or None", code="KC103")
        out.append(d)
    return tuple(out)


def _non_negative(shape: Shape) -> Shape:
    """Keras's ``standardize_shape``: each dimension None or an int >= 0 (``Cannot convert ... to a shape``)."""
    for d in shape:
        if not (d is None or is_int(d) or isinstance(d, bool)):  # batch_size=(3, None)
            raise ShapeError(f"Input: the dimension {d!r} is not an integer or None", code="KC103")
    if any(isinstance(d, int) and d < 0 for d in shape):
        raise ShapeError(f"Input: the shape {show_shape(shape)} has a negative dimension", code="KC103")
    return tuple(int(d) if isinstance(d, bool) else d for d in shape)


def _units(args) -> Any:
    """``units``, which Keras requires to be a positive integer (``Dense(2.0)`` raises too)."""
    units = args.units if isinstance(args.units, float) else as_int(args.units, "units")
    if isinstance(units, float) or isinstance(units, int) and units <= 0:
        raise ShapeError(f"Dense: `units` must be a positive integer, got {units!r}", code="KC103")
    return units


def _dense_shape(args, shape: Shape) -> Shape:
    require_min_rank("Dense", shape, 2)
    return (*shape[:-1], _units(args))


def _dense_weights(args, shape: Shape) -> Weights:
    last = shape[-1]
    if last is None:
        raise ShapeError(
            f"Dense: the last dimension of its input must be defined, found None in {show_shape(shape)} "
            "(a Flatten of an input with a None dimension does this)",
            code="KC105",
        )
    units = _units(args)
    bias = units if args.use_bias else 0
    rank = lora_rank("Dense", args)
    if rank:  # enable_lora: the kernel is frozen; lora_kernel_a (last, rank) and _b (rank, units) train
        return Weights(trainable=rank * (last + units) + bias, non_trainable=last * units)
    return Weights(trainable=last * units + bias)


def _dropout_shape(name: str, rank: int = 0):
    """Dropout layers keep the shape; Keras requires ``0 <= rate <= 1`` when the layer is created.
    SpatialDropoutND (``rank``) also requires input of rank N+2 (its InputSpec)."""

    def output_shape(args, shape: Shape) -> Shape:
        rate = args.raw("rate", Unknown("not given"))  # (an unknown rate leaves the shape known, as before)
        if isinstance(rate, (str, bytes, tuple, list, type(None))) or \
                (isinstance(rate, (int, float)) and not 0 <= rate <= 1):
            raise ShapeError(f"{name}: `rate` must be a number between 0 and 1, got {rate!r}", code="KC103")
        if rank:
            require_rank(name, shape, rank + 2)
        return shape

    return output_shape


def identity(name: str, *params: Any, aliases: tuple = ()) -> LayerSpec:
    return LayerSpec(name=name, signature=sig(*params), family=FAMILY, aliases=aliases, built_at_init=True)


SPECS = [
    LayerSpec("InputLayer", sig(("shape", None), ("batch_size", None), ("dtype", None),
                                ("sparse", None), ("ragged", None), ("batch_shape", None),
                                ("input_tensor", None), ("optional", False), ("name", None)),
              output_shape=_input_shape, family=FAMILY,
              kwarg_aliases={"input_shape": "shape", "batch_input_shape": "batch_shape"}),
    LayerSpec("Dense", sig("units", ("activation", None), ("use_bias", True),
                           ("kernel_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
                           ("kernel_regularizer", None), ("bias_regularizer", None),
                           ("activity_regularizer", None), ("kernel_constraint", None),
                           ("bias_constraint", None), ("lora_rank", None), ("lora_alpha", None),
                           ("quantization_config", None)),
              output_shape=_dense_shape, weights=_dense_weights, family=FAMILY),
    identity("Activation", "activation"),
    identity("ReLU", ("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0)),
    identity("Softmax", ("axis", -1)),
    identity("LeakyReLU", ("negative_slope", 0.3)),
    identity("ELU", ("alpha", 1.0)),
    identity("Identity"),
    LayerSpec("Dropout", sig("rate", ("noise_shape", None), ("seed", None)), output_shape=_dropout_shape("Dropout"),
              family=FAMILY, built_at_init=True),
    *(LayerSpec(f"SpatialDropout{r}D", sig("rate", *((("data_format", None),) if r > 1 else ()), ("seed", None),
                                               ("name", None), ("dtype", None)),
                output_shape=_dropout_shape(f"SpatialDropout{r}D", r), family=FAMILY, var_kwargs=False,
                built_at_init=True)
      for r in (1, 2, 3)),
    identity("GaussianNoise", "stddev", ("seed", None)),
    LayerSpec("GaussianDropout", sig("rate", ("seed", None)), output_shape=_dropout_shape("GaussianDropout"),
              family=FAMILY, built_at_init=True),
    LayerSpec("AlphaDropout", sig("rate", ("noise_shape", None), ("seed", None)),
              output_shape=_dropout_shape("AlphaDropout"), family=FAMILY, built_at_init=True),
]
