"""What rules need to know about layers: activations, the output head, the loss."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from .. import catalogue
from ..catalogue.spec import BoundArgs, ShapeError
from ..ir import LayerDef, LayerResult, Loss, ModelResult, Unknown
from .base import RuleContext, upstream

#: Layers skipped when looking for the layer that makes a model's output (activation layers are
#: read, not skipped: they set the output's activation).
SKIPPED_BEFORE_OUTPUT = {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                "GaussianDropout", "AlphaDropout", "Identity", "Reshape", "Flatten"}
_ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu", "ELU": "elu",
                      "PReLU": "prelu"}
_LOSS_ALIASES = {"bce": "binary_crossentropy", "cce": "categorical_crossentropy",
                 "scce": "sparse_categorical_crossentropy"}


def arguments(layer: LayerDef) -> Optional[BoundArgs]:
    spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
    if spec is None:
        return None
    try:
        return BoundArgs(spec, layer)
    except ShapeError:
        return None


def activation_of(layer: LayerDef) -> Optional[str]:
    """The activation a layer applies (``"linear"`` if none), or None if unknown or not one."""
    if layer.operation:
        return None  # an operation such as `ops.softmax(x, axis=1)` is not read as a layer
    if layer.type in _ACTIVATION_LAYERS:
        return _ACTIVATION_LAYERS[layer.type]
    args = arguments(layer)
    if args is None or not any(a.name == "activation" for a in args._spec.signature):
        return None
    value = args.raw("activation")
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value.lower()
    return None


def output_head(ctx: RuleContext, model: ModelResult) -> Optional[Tuple[LayerResult, str]]:
    """The layer that makes the model's (single) output and the activation applied last."""
    if not model.rows or (model.outputs is not None and len(model.outputs) != 1):
        return None
    if model.model.kind == "sequential":
        index = len(model.rows) - 1
    elif not model.model.outputs:
        return None  # a subclassed model that was never called: no output to follow
    else:
        out = model.model.outputs[0]
        uid = ctx.ir.node(out.node).layer
        index = next((i for i, r in enumerate(model.rows) if r.layer.uid == uid), None)
        if index is None:
            return None
    activation: Optional[str] = None
    for _ in range(len(model.rows)):
        row = model.rows[index]
        if row.layer.type not in SKIPPED_BEFORE_OUTPUT:
            act = activation_of(row.layer)
            if act is None:
                return None
            if row.layer.type in ("Activation",) + tuple(_ACTIVATION_LAYERS):
                activation = activation or act
            else:
                return row, activation or act
        prev = upstream(ctx, model, index)
        if prev is None:
            return None
        index = model.rows.index(prev)
    return None


def loss_of(model: ModelResult) -> Optional[Tuple[str, bool]]:
    """(loss name, from_logits) from the model's compile(), or None."""
    if model.model.compile is None:
        return None
    kwargs = dict(model.model.compile[0])
    loss = kwargs.get("loss")
    if isinstance(loss, str):
        name = loss.lower()
        return _LOSS_ALIASES.get(name, name), False
    if isinstance(loss, Loss):
        logits = dict(loss.kwargs).get("from_logits", False)
        if isinstance(logits, Unknown):
            return None
        return catalogue.snake_case(loss.name), bool(logits)
    return None


def units(row: LayerResult) -> Any:
    shape = row.output_shape
    if isinstance(shape, tuple) and shape and not isinstance(shape[0], tuple):
        return shape[-1]
    return None
