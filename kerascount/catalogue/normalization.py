"""Normalization layers."""

from __future__ import annotations

from ..ir import Shape
from .errors import IncompatibleInput, InvalidArguments, WrongRank
from .spec import LayerSpec, Unresolved, Weights, arith, product, show_shape, sig, zero_macs

FAMILY = "normalization"


def _axes(args, shape: Shape):
    axis = args.axis
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise InvalidArguments(f"BatchNormalization: axis must be a single integer in Keras 3, got {axis!r}")
    axes = [axis]
    rank = len(shape)
    out = []
    for a in axes:
        if not isinstance(a, int) or not -rank <= a < rank:
            raise WrongRank(f"BatchNormalization: axis {a!r} is out of range for input {show_shape(shape)}")
        out.append(a % rank)
    return out


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
        family=FAMILY,
        macs=zero_macs,
        traits=frozenset({"normalizing", "channel_sized"}),
        compute_mask="keep", takes_mask=True,
    ),
]
