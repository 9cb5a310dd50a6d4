"""``keras.applications`` models layer by layer, as Keras builds them (not used by the analysis yet).

``application_graphs.json.gz`` beside this module is written by ``tools/gen_applications.py --graphs``
from real Keras: per application, the layers of its base (``include_top=False``, ``pooling=None``,
the default ``alpha``) in ``model.layers`` order, and the layers ``include_top=True`` (``top``, its
``classes`` marked ``"$classes"``), ``pooling="avg"`` and ``pooling="max"`` add after it, each as
``[class, name, arguments, inputs]`` where
``arguments`` are the constructor arguments the catalogue reads that differ from their defaults and
``inputs`` the indices of the layers whose outputs it is called on (an operation on tensors, MobileNetV3's
``x + 3.0``, has ``{"$operation": [operands]}``, a tensor operand ``"$k"``); a ZeroPadding2D made by Keras's
``correct_pad`` (its padding follows the parity of its input) is marked ``"correct_pad": true``. No shapes
are stored:
:func:`layers` computes every row's output shape and weights through the catalogue's specs, for any
input shape, so that rows and totals follow from the same code as every other model.

This is the first step of listing an application's rows as ``model.summary()`` does; the analysis
still shows an application as one row from ``applications.json`` (see applications.py). An
application with a layer the catalogue does not know (ConvNeXt's LayerScale, InceptionResNetV2's
CustomScaleLayer) or whose layers change with the input size (NASNet)
is not stored; :func:`layers` returns None for it. tests/test_application_graphs.py checks the totals against the
verified table at several input shapes.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from ..ir import LayerDef, Shape, Span, TensorRef
from .spec import BoundArgs, Unresolved, Weights

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "application_graphs.json.gz")
_DATA: Optional[Dict[str, Any]] = None
_SPAN = Span(1, 1, 1, 1)


def _data() -> Dict[str, Any]:
    global _DATA
    if _DATA is None:
        try:
            from importlib.resources import files

            raw = files(__package__).joinpath("application_graphs.json.gz").read_bytes()
        except Exception:  # noqa: BLE001 - e.g. a zipimport without resources support
            with open(_PATH, "rb") as f:
                raw = f.read()
        _DATA = json.loads(gzip.decompress(raw).decode("utf-8"))
    return _DATA


@dataclass(frozen=True)
class GraphRow:
    """One layer of an application, as ``model.summary()`` lists it."""

    name: str
    type: str
    output_shape: Any
    trainable: Any
    non_trainable: Any


def names() -> List[str]:
    """The applications stored layer by layer."""
    return sorted(_data()["applications"])


def layers(app: str, input_shape: Sequence[Any], include_top: bool = False, pooling: Optional[str] = None,
           classes: Any = 1000) -> Optional[List[GraphRow]]:
    """The rows of ``keras.applications.<app>(input_shape=..., include_top=..., pooling=..., classes=...)``
    (``weights`` and ``classifier_activation`` change no row); None if that variant is not stored.

    Raises :class:`~kerascount.catalogue.spec.ShapeError` where a layer rejects its input (an
    input too small), :class:`~kerascount.catalogue.spec.Unresolved` where a shape is not known.
    """
    from . import lookup

    graph = _data()["applications"].get(app)
    if graph is None:
        return None
    part = "top" if include_top else pooling
    if part is not None and part not in graph:
        return None
    shapes: List[Any] = []
    rows: List[GraphRow] = []
    for type_name, name, arguments, inputs in graph["base"] + (graph[part] if part is not None else []):
        if type_name == "InputLayer":
            out: Any = (None, *input_shape)
            weights = Weights()
        elif "$operation" in arguments:
            out, weights = _operation(type_name, name, arguments["$operation"], [shapes[i] for i in inputs]), Weights()
        else:
            spec = lookup(type_name)
            given: Any = [shapes[i] for i in inputs]
            if not spec.multi_input:
                given = given[0]
            if arguments.get("correct_pad"):
                arguments = _correct_pad(arguments, given)
            arguments = {key: _classes(value, classes) for key, value in arguments.items()}
            layer = LayerDef(-1, type_name, name, (), tuple(arguments.items()), _SPAN)
            args = BoundArgs(spec, layer)
            out = spec.output_shape(args, given)
            weights = spec.weights(args, given)
        shapes.append(out)
        rows.append(GraphRow(name, type_name, out, weights.trainable, weights.non_trainable))
    return rows


def _operation(type_name: str, name: str, operands: List[Any], given: List[Any]) -> Any:
    """An operation on tensors (``x + 3.0``): its operands, a tensor stored as ``"$k"`` (its k-th input)."""
    from . import operation

    spec = operation(type_name)
    refs = [TensorRef(-1 - k) for k in range(len(given))]
    args = tuple(refs[int(v[1:])] if isinstance(v, str) and v.startswith("$") else v for v in operands)
    layer = LayerDef(-1, type_name, name, args, (), _SPAN, known=False, operation=True)
    return spec.output_shape(BoundArgs(spec, layer), dict(zip(refs, given)))


def _classes(value: Any, classes: Any) -> Any:
    """The stored ``"$classes"`` marker (an argument of the top that is ``classes``), replaced."""
    if value == "$classes":
        return classes
    if isinstance(value, list):
        return [_classes(v, classes) for v in value]
    return value


def _correct_pad(arguments: Dict[str, Any], shape: Shape) -> Dict[str, Any]:
    """Keras's ``imagenet_utils.correct_pad``: ``kernel // 2`` after, one less before where the size is even
    or not known (the stored padding is the one after)."""
    pads = []
    for length, (_, after) in zip(shape[1:3], arguments["padding"]):
        if not (length is None or isinstance(length, int)):
            raise Unresolved("correct_pad of a symbolic size")
        pads.append([after - 1 if length is None or length % 2 == 0 else after, after])
    rest = {k: v for k, v in arguments.items() if k != "correct_pad"}
    return {**rest, "padding": pads}


def output_shape(rows: Sequence[GraphRow]) -> Shape:
    """The application's output: its last layer's."""
    return rows[-1].output_shape
