"""Normalization layers besides BatchNormalization: LayerNormalization, RMSNormalization,
GroupNormalization, UnitNormalization (keras.src.layers.normalization)."""

from __future__ import annotations

from typing import Any, List

from ..ir import Shape
from ..symbolic import Expr
from .errors import IncompatibleInput, InvalidArguments, WrongRank
from .spec import LayerSpec, Unresolved, Weights, arith, product, show_shape, sig, zero_macs

FAMILY = "normalization"


def _axis_list(name: str, axis: Any) -> List[Any]:
    if isinstance(axis, (list, tuple)):
        axes = list(axis)
    elif isinstance(axis, int) and not isinstance(axis, bool):
        axes = [axis]
    else:
        raise InvalidArguments(f"{name}: `axis` must be an int or a list/tuple of ints, got {axis!r}")
    for a in axes:
        if not isinstance(a, int) or isinstance(a, bool):
            raise Unresolved(f"{name} axis {axis!r} is not known")
    return axes


def _check_axes(name: str, axes: List[int], shape: Shape) -> None:
    rank = len(shape)
    for a in axes:
        if not -rank <= a < rank:
            raise WrongRank(f"{name}: axis {a} is out of bounds for input {show_shape(shape)}")


def _axis_dims(name: str, args, shape: Shape) -> List[Any]:
    axes = _axis_list(name, args.axis)
    _check_axes(name, axes, shape)
    dims = [shape[a] for a in sorted(axes)]
    if any(d is None for d in dims):
        raise IncompatibleInput(f"{name}: axis {args.axis} of input {show_shape(shape)} must have a defined dimension")
    return dims


def _axes_shape(name: str):
    def output_shape(args, shape: Shape) -> Shape:
        _check_axes(name, _axis_list(name, args.axis), shape)
        return shape

    return output_shape


def _layer_norm_weights(args, shape: Shape) -> Weights:
    size = product(_axis_dims("LayerNormalization", args, shape))
    rms = args.rms_scaling
    vectors = (1 if args.scale or rms else 0) + (1 if args.center and not rms else 0)
    return Weights(trainable=arith(lambda: size * vectors, "params"))


def _rms_norm_weights(args, shape: Shape) -> Weights:
    return Weights(trainable=product(_axis_dims("RMSNormalization", args, shape)))


def _group_norm_check(args) -> Any:
    groups = args.groups
    if isinstance(groups, Expr):
        raise Unresolved("GroupNormalization groups is not known")
    if not isinstance(groups, int) or (groups <= 0 and groups != -1):
        raise InvalidArguments(f"GroupNormalization: `groups` must be a positive integer (or -1), got {groups!r}")
    axis = args.axis
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise Unresolved(f"GroupNormalization axis {axis!r} is not an integer")
    return groups, axis


def _group_norm_shape(args, shape: Shape) -> Shape:
    _, axis = _group_norm_check(args)
    _check_axes("GroupNormalization", [axis], shape)
    return shape


def _group_norm_weights(args, shape: Shape) -> Weights:
    groups, axis = _group_norm_check(args)
    _check_axes("GroupNormalization", [axis], shape)
    dim = shape[axis]
    if dim is None:
        raise IncompatibleInput(f"GroupNormalization: axis {axis} of input {show_shape(shape)} must have a defined "
                                "dimension")
    if isinstance(dim, int):
        if groups == -1:
            groups = dim
        if dim < groups:
            raise IncompatibleInput(f"GroupNormalization: number of groups ({groups}) cannot be more than the number "
                                    "of "
                                    f"channels ({dim})")
        if dim % groups:
            raise IncompatibleInput(f"GroupNormalization: the number of channels ({dim}) must be a multiple of the "
                                    "number "
                                    f"of groups ({groups})")
    vectors = (1 if args.scale else 0) + (1 if args.center else 0)
    return Weights(trainable=arith(lambda: dim * vectors, "params"))


_AFFINE = (("beta_initializer", "zeros"), ("gamma_initializer", "ones"), ("beta_regularizer", None),
           ("gamma_regularizer", None), ("beta_constraint", None), ("gamma_constraint", None))

SPECS = [
    # ``rms_scaling`` is popped from **kwargs (deprecated): appended so that it is accepted.
    LayerSpec("LayerNormalization",
              sig(("axis", -1), ("epsilon", 0.001), ("center", True), ("scale", True), *_AFFINE,
                  ("rms_scaling", False)),
              output_shape=_axes_shape("LayerNormalization"), weights=_layer_norm_weights, family=FAMILY,
              macs=zero_macs, traits=frozenset({"normalizing", "channel_sized", "one_tensor_per_output"}),
              compute_mask="keep"),
    LayerSpec("RMSNormalization", sig(("axis", -1), ("epsilon", 1e-06)),
              output_shape=_axes_shape("RMSNormalization"), weights=_rms_norm_weights, family=FAMILY, macs=zero_macs,
              call_arg="x"),
    LayerSpec("GroupNormalization",
              sig(("groups", 32), ("axis", -1), ("epsilon", 0.001), ("center", True), ("scale", True), *_AFFINE),
              output_shape=_group_norm_shape, weights=_group_norm_weights, family=FAMILY, macs=zero_macs,
              compute_mask="keep", init_checks=_group_norm_check),
    LayerSpec("UnitNormalization", sig(("axis", -1)), output_shape=_axes_shape("UnitNormalization"),
              family=FAMILY, macs=zero_macs, built_at_init=True, compute_mask="keep"),
]
