"""What rules need to know about layers: activations, the output head, the loss."""

from __future__ import annotations

import ast
from typing import Any, Optional, Tuple, Union

from .. import catalogue
from ..catalogue.spec import BoundArgs, ShapeError
from ..ir import FileFunction, Fix, LayerDef, LayerResult, Loss, ModelResult, Unknown
from .base import RuleContext, named, row_index, sequence_known, upstream

#: Layers skipped when looking for the layer that makes a model's output: those that pass its values on
#: unchanged (activation layers are read, not skipped: they set the output's activation).
SKIPPED_BEFORE_OUTPUT = catalogue.with_trait("inference_identity", "rearranging")
#: Layers whose output has their input's shape, whatever it is: elementwise or per-feature.
SHAPE_KEEPING = catalogue.with_trait("inference_identity", "activation", "normalizing")
_ACTIVATION_TYPES = catalogue.with_trait("activation")
_ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu", "ELU": "elu",
                      "PReLU": "prelu"}
_LOSS_ALIASES = {"bce": "binary_crossentropy", "cce": "categorical_crossentropy",
                 "scce": "sparse_categorical_crossentropy"}


def arguments(layer: Union[LayerDef, LayerResult]) -> Optional[BoundArgs]:
    """A layer's config (catalogue/spec.py): as inference recorded it on the row, or for a layer alone, as the
    catalogue binds it (once per layer); None for a layer the catalogue does not know or Keras rejects."""
    if isinstance(layer, LayerResult):
        if layer.config is not None:
            return layer.config
        layer = layer.layer
    try:
        return catalogue.layer_config(layer)
    except ShapeError:
        return None


#: Activation functions by the last part of the names that reach them (`tf.nn.relu`, `K.sigmoid`,
#: `keras.activations.softmax`); the value is the name Keras gives the activation.
ACTIVATION_NAMES = {name: name for name in (
    "relu", "sigmoid", "softmax", "tanh", "elu", "selu", "softplus", "softsign", "linear", "exponential", "swish",
    "silu", "gelu", "leaky_relu", "relu6", "hard_sigmoid", "hard_silu", "hard_swish", "log_softmax", "mish")}
ACTIVATION_NAMES.update({"identity": "linear", "hard_swish": "hard_silu", "swish": "silu"})


def activation_of(layer: LayerDef, ctx: Optional[RuleContext] = None) -> Optional[str]:
    """The activation a layer applies (``"linear"`` if none), or None if unknown or not one.
    With ``ctx``, an activation the IR leaves unknown is read from the source when it is a
    name (``tf.nn.relu``, ``K.softmax``)."""
    if layer.operation:
        return None  # an operation such as `ops.softmax(x, axis=1)` is not read as a layer
    if layer.type == "Softmax" and not _last_axis(layer):
        return None  # softmax over another axis (attention weights over time steps): not an output activation
    if layer.type in _ACTIVATION_LAYERS:
        return _ACTIVATION_LAYERS[layer.type]
    args = arguments(layer)
    if args is None or not any(a.name == "activation" for a in args._spec.signature):
        return None
    value = args.raw("activation", args._defaults.get("activation"))  # LSTM's default is tanh
    if value is None:
        return "linear"
    if isinstance(value, str):
        value = value.lower()
        return ACTIVATION_NAMES.get(value, value)
    if isinstance(value, FileFunction):
        return None  # a function of the analysed code: its name says nothing of what it computes (`softmax(x, axis=1)`)
    if isinstance(value, Unknown) and ctx is not None:
        from .source import dotted, layer_argument

        position = 0 if layer.type == "Activation" else None
        expr = layer_argument(ctx, layer, "activation", position)
        name = dotted(expr)
        if name is not None and not isinstance(expr, ast.Call):
            return ACTIVATION_NAMES.get(name.rsplit(".", 1)[-1].lower())
    return None


def _last_axis(layer: LayerDef) -> bool:
    axis = layer.kwarg("axis", layer.args[0] if layer.args else -1)
    return axis == -1 or axis == [-1] or axis == (-1,)


def declared_units(ctx: Optional[RuleContext], model: ModelResult, row: LayerResult) -> Any:
    """The size of a row's last axis: from its shape when known, else from the arguments of a
    Dense (``units``) or, for an activation or dropout layer, of the layer feeding it."""
    n = units(row)
    if n is not None:
        return n
    for _ in range(len(model.rows)):
        if row.layer.type == "Dense":
            args = arguments(row)
            value = args.raw("units") if args is not None else None
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        if row.layer.type not in SHAPE_KEEPING or ctx is None:
            return None
        prev = upstream(ctx, model, row_index(model, row))
        if prev is None:
            return None
        n = units(prev)
        if n is not None:
            return n
        row = prev
    return None


def output_head(ctx: RuleContext, model: ModelResult) -> Optional[Tuple[LayerResult, str]]:
    """The layer that makes the model's (single) output and the activation applied last."""
    if not model.rows or (model.outputs is not None and len(model.outputs) != 1):
        return None
    if not sequence_known(model):
        return None  # the last row may not be the model's last layer
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
            act = activation_of(row.layer, ctx)
            if act is None:
                return None
            if row.layer.type in _ACTIVATION_TYPES:
                activation = activation or act
            else:
                return row, activation or act
        prev = upstream(ctx, model, index)
        if prev is None:
            return None
        index = row_index(model, prev)
    return None


def set_activation(layer: LayerDef, value: str) -> Optional[Fix]:
    """An unsafe fix giving ``layer`` (an ``Activation`` layer, or a layer with ``activation=``) another activation."""
    if layer.type == "Activation":
        pass
    elif layer.operation or layer.open_kwargs is not None or arguments(layer) is None or \
            not any(a.name == "activation" for a in arguments(layer).layer_spec.signature):
        return None
    return Fix("unsafe", f"use activation {value!r} on {named(layer)}", layer.span, layer.type,
               ("set", "activation", f'"{value}"'))


def output_activation_fix(ctx: RuleContext, model: ModelResult, value: str) -> Optional[Fix]:
    """The fix that makes the model's output activation ``value``: on the last `Activation` layer
    before the output, or on the output layer itself when no activation layer follows it."""
    head = output_head(ctx, model)
    if head is None:
        return None
    index = len(model.rows) - 1 if model.model.kind == "sequential" else row_index(model, head[0])
    if model.model.kind != "sequential":
        out = ctx.ir.node(model.model.outputs[0].node).layer
        index = next((i for i, r in enumerate(model.rows) if r.layer.uid == out), index)
    for _ in range(len(model.rows)):
        row = model.rows[index]
        if row is head[0] or row.layer.type == "Activation":
            return set_activation(row.layer, value)
        if row.layer.type not in SKIPPED_BEFORE_OUTPUT:
            return None  # a ReLU or Softmax layer: a class, not an argument, to change
        prev = upstream(ctx, model, index)
        if prev is None:
            return None
        index = row_index(model, prev)
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
