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
application's own layer (InceptionResNetV2's CustomScaleLayer) has a spec of its own
(``catalogue.application_layer``, never found for user code). An application that nests models (ConvNeXt's
Sequential stem and downsampling layers) or whose layers change with the input size (NASNet) is not stored; :func:`layers` returns None for it. tests/test_application_graphs.py checks the totals against the
verified table at several input shapes.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

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
    #: The layer as the catalogue reads it (an operation's operands by ``TensorRef``), the shape(s) it is
    #: called on (an operation's by ref) and the rows whose outputs it takes.
    layer: Any = field(default=None, compare=False, repr=False)
    inputs: Any = field(default=None, compare=False, repr=False)
    sources: Tuple[int, ...] = field(default=(), compare=False, repr=False)


def names() -> List[str]:
    """The applications stored layer by layer."""
    return sorted(_data()["applications"])


#: Rows already computed, by (application, input shape, include_top, pooling, classes): a file or a fixture
#: suite builds the same application again and again, and its 100-400 rows cost milliseconds each time.
_MEMO: Dict[Any, Any] = {}


def layers(app: str, input_shape: Sequence[Any], include_top: bool = False, pooling: Optional[str] = None,
           classes: Any = 1000) -> Optional[Tuple[GraphRow, ...]]:
    """The rows of ``keras.applications.<app>(input_shape=..., include_top=..., pooling=..., classes=...)``
    (``weights`` and ``classifier_activation`` change no row); None if that variant is not stored.

    Raises :class:`~kerascount.catalogue.spec.ShapeError` where a layer rejects its input (an
    input too small), :class:`~kerascount.catalogue.spec.Unresolved` where a shape is not known.
    """
    key = (app, tuple(input_shape), bool(include_top), pooling, classes)
    try:
        hit = _MEMO.get(key)
    except TypeError:  # an unhashable value: computed every time
        return _layers(app, input_shape, include_top, pooling, classes)
    if hit is None:
        try:
            hit = ("ok", _layers(app, input_shape, include_top, pooling, classes))
        except Exception as exc:  # noqa: BLE001 - remembered and raised again, as computed
            hit = ("raise", exc)
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = hit
    if hit[0] == "raise":
        raise hit[1]
    return hit[1]


def _layers(app: str, input_shape: Sequence[Any], include_top: bool, pooling: Optional[str],
            classes: Any) -> Optional[Tuple[GraphRow, ...]]:
    from . import application_layer

    graph = _data()["applications"].get(app)
    if graph is None:
        return None
    part = "top" if include_top else pooling
    if part is not None and part not in graph:
        return None
    shapes: List[Any] = []
    rows: List[GraphRow] = []
    for type_name, name, arguments, inputs in graph["base"] + (graph[part] if part is not None else []):
        given: Any = None
        if type_name == "InputLayer":
            out: Any = (None, *input_shape)
            weights = Weights()
            layer = LayerDef(-1, type_name, name, (), (("batch_shape", out),), _SPAN)
        elif "$operation" in arguments:
            layer, given = _operation_layer(type_name, name, arguments["$operation"], [shapes[i] for i in inputs])
            out, weights = _operation_shape(layer, given), Weights()
        else:
            spec = application_layer(type_name)
            given = [shapes[i] for i in inputs]
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
        rows.append(GraphRow(name, type_name, out, weights.trainable, weights.non_trainable, layer, given,
                             tuple(inputs)))
    return tuple(rows)


def _operation_layer(type_name: str, name: str, operands: List[Any], given: List[Any]) -> Tuple[LayerDef, Any]:
    """An operation on tensors (``x + 3.0``) and its tensors' shapes by ref: its operands, a tensor stored
    as ``"$k"`` (its k-th input)."""
    refs = [TensorRef(-1 - k) for k in range(len(given))]
    args = tuple(refs[int(v[1:])] if isinstance(v, str) and v.startswith("$") else v for v in operands)
    return LayerDef(-1, type_name, name, args, (), _SPAN, known=False, operation=True), dict(zip(refs, given))


def _operation_shape(layer: LayerDef, given: Any) -> Any:
    from . import operation

    spec = operation(layer.type)
    return spec.output_shape(BoundArgs(spec, layer), given)


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
