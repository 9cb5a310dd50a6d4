"""Activation layers with weights: PReLU (keras.src.layers.activations.prelu)."""

from __future__ import annotations

from ..ir import Shape
from .errors import IncompatibleInput, WrongRank
from .spec import LayerSpec, Unresolved, Weights, product, show_shape, sig, zero_macs

FAMILY = "activations"


def _prelu_weights(args, shape: Shape) -> Weights:
    shared = args.shared_axes
    if shared is not None and not isinstance(shared, (list, tuple)):
        shared = [shared]
    param = list(shape[1:])
    for i in shared or ():
        if not isinstance(i, int) or isinstance(i, bool):
            raise Unresolved(f"PReLU shared_axes {args.shared_axes!r} is not known")
        # Keras: param_shape[i - 1] = 1 (Python indexing, so negative axes count from the end).
        if not -len(param) <= i - 1 < len(param):
            raise WrongRank(f"PReLU: shared axis {i} is out of range for input {show_shape(shape)}")
        param[i - 1] = 1
    if any(d is None for d in param):
        raise IncompatibleInput(f"PReLU: its alpha would have shape {show_shape(tuple(param))}: every non-shared "
                                f"dimension of the input must be defined, got {show_shape(shape)}")
    return Weights(trainable=product(param))


SPECS = [
    LayerSpec("PReLU", sig(("alpha_initializer", "Zeros"), ("alpha_regularizer", None), ("alpha_constraint", None),
                           ("shared_axes", None)),
              weights=_prelu_weights, family=FAMILY, macs=zero_macs, traits=frozenset({"activation", "one_tensor_per_output"}),
              compute_mask="keep"),
]
