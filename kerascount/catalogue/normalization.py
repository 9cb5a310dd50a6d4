"""Normalization layers."""

from __future__ import annotations

from ..ir import Expr, Shape
from .errors import IncompatibleInput, InvalidArguments, WrongRank
from .spec import LayerSpec, Unresolved, Weights, arith, product, show_shape, sig, zero_macs

FAMILY = "normalization"


def _axes(args, shape: Shape):
    axis = _int_axis(args.axis)
    axes = [axis]
    rank = len(shape)
    out = []
    for a in axes:
        if not isinstance(a, int) or not -rank <= a < rank:
            raise WrongRank(f"BatchNormalization: axis {a!r} is out of range for input {show_shape(shape)}")
        out.append(a % rank)
    return out


def _int_axis(axis):
    """``int(axis)``, as Keras 3's BatchNormalization makes of its axis: ``-1.0``, ``True`` and ``"1"`` are taken
    (as -1, 1 and 1; a float is cut toward zero), a list or a string that is not an integer is rejected."""
    if isinstance(axis, Expr):
        raise Unresolved(f"BatchNormalization: axis `{axis}` is not known")
    if isinstance(axis, (int, float, str)):
        try:
            return int(axis)
        except (ValueError, OverflowError):
            pass
    raise InvalidArguments(f"BatchNormalization: axis must be a single integer in Keras 3, got {axis!r}")


def _is_float(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _bn_weights(args, shape: Shape) -> Weights:
    if args.renorm:
        raise Unresolved("BatchNormalization(renorm=True) is not in the catalogue yet")
    dims = [shape[a] for a in _axes(args, shape)]
    if any(d is None for d in dims):
        raise IncompatibleInput(
            f"BatchNormalization: axis {args.axis} of input {show_shape(shape)} must have a defined dimension"
        )
    size = product(dims)
    per_vector = (1 if args.center else 0) + (1 if args.scale else 0)
    return Weights(trainable=arith(lambda: size * per_vector, "params"),
                   non_trainable=arith(lambda: size * 2, "params"))


def _bn_shape(args, shape: Shape) -> Shape:
    for name in ("momentum", "epsilon"):  # Keras 3's float(momentum), float(epsilon) (Keras 2 kept them as given)
        value = args.raw(name, 0.0)
        if value is None or isinstance(value, (str, bytes, tuple, list)) and not _is_float(value):
            raise Unresolved(f"BatchNormalization: `{name}` is {value!r}, which Keras 3's float() rejects")
    _axes(args, shape)
    return shape


SPECS = [
    LayerSpec(
        "BatchNormalization",
        sig(("axis", -1), ("momentum", 0.99), ("epsilon", 0.001), ("center", True), ("scale", True),
            ("beta_initializer", "zeros"), ("gamma_initializer", "ones"), ("moving_mean_initializer", "zeros"),
            ("moving_variance_initializer", "ones"), ("beta_regularizer", None), ("gamma_regularizer", None),
            ("beta_constraint", None), ("gamma_constraint", None), ("renorm", False), ("renorm_clipping", None),
            ("renorm_momentum", 0.99), ("synchronized", False)),
        output_shape=_bn_shape,
        weights=_bn_weights,
        input_axes=lambda args, shape: (len(shape), {_int_axis(args.axis): shape[_int_axis(args.axis)]}),
        family=FAMILY,
        macs=zero_macs,
        traits=frozenset({"normalizing", "channel_sized", "one_tensor_per_output"}),
        compute_mask="keep", takes_mask=True,
    ),
]
