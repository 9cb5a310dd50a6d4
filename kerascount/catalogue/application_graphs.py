"""``keras.applications`` models layer by layer, as Keras builds them.

``application_graphs.json.gz`` beside this module is written by ``tools/gen_applications.py --graphs``
from real Keras: per application, the layers every variant starts with (``base``, the default ``alpha``) in
``model.layers`` order, and the layers after them: ``include_top=True`` (``top``, its ``classes`` marked
``"$classes"``), ``pooling="avg"`` and ``pooling="max"``, and ``none`` where the base without pooling adds
layers of its own (ConvNeXt's final LayerNormalization). Each layer is ``[class, name, arguments, inputs]``
where ``arguments`` are the constructor arguments the catalogue reads that differ from their defaults and
``inputs`` the indices of the layers whose outputs it is called on. Marked among the arguments:

- an operation on tensors (MobileNetV3's ``x + 3.0``): ``{"$operation": [operands]}``, a tensor operand ``"$k"``;
- a nested Sequential (ConvNeXt's stem and downsampling blocks): ``{"$layers": [[class, name, arguments]...]}``,
  one row as ``model.summary()`` shows it, its layers under it (``summary(expand_nested=True)``);
- a layer Keras builds only for inputs of a channel count (ConvNeXt's PreStem normalization, 3 channels):
  ``"$channels": 3``; left out otherwise, its readers read its input;
- a layer Keras builds only with ``include_preprocessing=True`` (that normalization, MobileNetV3's and
  EfficientNetV2's Rescaling): ``"$preprocessing": true``; left out with ``False`` as above;
- a layer Keras builds only with ``weights="imagenet"`` (EfficientNet B0-B7's Rescaling by ImageNet's standard
  deviations, after their Normalization): ``"$imagenet": true``; left out for ``weights=None`` or a file;
- a ZeroPadding2D made by Keras's ``correct_pad`` (its padding follows the parity of its input):
  ``"correct_pad": true``.

Other widths (``alpha=``) of MobileNet, MobileNetV2 and MobileNetV3 (the values Keras has ImageNet weights for)
build the same layers with other filters: ``"alpha"`` maps each width (``repr(alpha)``) to the base rows whose
arguments it changes, by index, and those arguments' values (``tools/gen_applications.py --alpha-graphs``); the
top is not stored for them (MobileNet's reshapes to the width's channels).

NASNet's ``_adjust_block`` compares widths (``p.shape[-2] != ip.shape[-2]``, false for ``None != None``): its
graph for an open width is stored apart (``open_width``, with its own parts). No shapes are stored:
:func:`layers` computes every row's output shape and weights through the catalogue's specs, for any
input shape, so that rows and totals follow from the same code as every other model. An application's own
layers (InceptionResNetV2's CustomScaleLayer, ConvNeXt's LayerScale) have specs of their own
(``catalogue.application_layer``, never found for user code). catalogue/applications.py lists the rows where
they add up to its verified totals (``graph_rows``); tests/test_application_graphs.py checks the totals
against that table at several input shapes, and every row against real Keras.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..ir import LayerDef, Shape, Span, TensorRef
from ..symbolic import Expr, ceildiv
from .errors import IncompatibleInput
from .spec import BoundArgs, Unresolved

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
    #: A nested Sequential's layers (ConvNeXt's stem), as ``summary(expand_nested=True)`` lists them under it.
    nested: Tuple["GraphRow", ...] = field(default=(), compare=False, repr=False)


def imagenet_layers(app: str) -> List[Tuple[str, str]]:
    """(class, name) of each layer of ``app`` marked ``$imagenet`` (built only with weights="imagenet")."""
    graph = _data()["applications"].get(app) or {}
    return [(row[0], row[1]) for row in graph.get("base", []) if "$imagenet" in row[2]]


def preprocessing_layers(app: str) -> List[Tuple[str, str]]:
    """(class, name) of each layer of ``app`` marked ``$preprocessing`` (built only with include_preprocessing)."""
    graph = _data()["applications"].get(app) or {}
    return [(row[0], row[1]) for row in graph.get("base", []) if "$preprocessing" in row[2]]


def names() -> List[str]:
    """The applications stored layer by layer."""
    return sorted(_data()["applications"])


#: Rows already computed, by (application, input shape, include_top, pooling, classes): a file or a fixture
#: suite builds the same application again and again, and its 100-400 rows cost milliseconds each time.
_MEMO: Dict[Any, Any] = {}


def alpha_stored(app: str, alpha: Any) -> bool:
    """Are the layers of ``app`` built with ``alpha=`` (a width other than the default, include_top=False)
    stored? MobileNet, MobileNetV2 and MobileNetV3 at the widths Keras has ImageNet weights for: the default
    width's layers, the arguments that width changes (``"alpha"``: their filters) given their values."""
    if type(alpha) is not float:
        return False
    graph = _data()["applications"].get(app) or {}
    return repr(alpha) in graph.get("alpha", {})


def layers(app: str, input_shape: Sequence[Any], include_top: bool = False, pooling: Optional[str] = None,
           classes: Any = 1000, name: Any = None, preprocessing: bool = True,
           imagenet: bool = False, alpha: Optional[float] = None) -> Optional[Tuple[GraphRow, ...]]:
    """The rows of ``keras.applications.<app>(input_shape=..., include_top=..., pooling=..., classes=...,
    name=..., include_preprocessing=preprocessing)``, with ``weights="imagenet"`` where ``imagenet`` (it adds the
    rows marked ``$imagenet``; ``classifier_activation`` changes no row); None if that variant is not stored.

    Raises :class:`~kerascount.catalogue.spec.ShapeError` where a layer rejects its input (an
    input too small), :class:`~kerascount.catalogue.spec.Unresolved` where a shape, or a name, is not known.
    """
    rows = _memo_layers(app, input_shape, include_top, pooling, classes, preprocessing, imagenet, alpha)
    return rows if rows is None or name is None else _renamed(app, rows, name)


def _renamed(app: str, rows: Tuple[GraphRow, ...], name: Any) -> Tuple[GraphRow, ...]:
    """``rows`` of the application built with ``name=``: ConvNeXt names its layers after the model
    (``f"{name}_stem"``), stored with its default name (the others name none so: nothing changes)."""
    from . import applications

    default = applications.lookup(app).data.get("keras_name")
    prefix = f"{default}_"
    if not default or not any(r.name.startswith(prefix) for r in rows):
        return rows
    if not isinstance(name, str):
        raise Unresolved(f"{app}: its layers are named after the model, whose name is not known")
    if name == default:
        return rows

    def rename(row: GraphRow) -> GraphRow:
        if not row.name.startswith(prefix):
            return row
        new = name + "_" + row.name[len(prefix):]
        return replace(row, name=new, layer=replace(row.layer, name=new), nested=tuple(map(rename, row.nested)))

    return tuple(map(rename, rows))


def _memo_layers(app: str, input_shape: Sequence[Any], include_top: bool, pooling: Optional[str],
                 classes: Any, preprocessing: bool = True, imagenet: bool = False,
                 alpha: Optional[float] = None) -> Optional[Tuple[GraphRow, ...]]:
    key = (app, tuple(input_shape), bool(include_top), pooling, classes, preprocessing, imagenet, alpha)
    try:
        hit = _MEMO.get(key)
    except TypeError:  # an unhashable value: computed every time
        return _layers(app, input_shape, include_top, pooling, classes, preprocessing, imagenet, alpha)
    if hit is None:
        try:
            hit = ("ok", _layers(app, input_shape, include_top, pooling, classes, preprocessing, imagenet, alpha))
        except Exception as exc:  # noqa: BLE001 - remembered and raised again, as computed
            hit = ("raise", exc)
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = hit
    if hit[0] == "raise":
        raise hit[1]
    return hit[1]


def _layers(app: str, input_shape: Sequence[Any], include_top: bool, pooling: Optional[str],
            classes: Any, preprocessing: bool = True, imagenet: bool = False,
            alpha: Optional[float] = None) -> Optional[Tuple[GraphRow, ...]]:
    graph = _data()["applications"].get(app)
    if graph is None:
        return None
    #: The arguments another width gives base rows, by index (stored without the top: MobileNet's top reshapes
    #: to the width's channels).
    changed: Dict[str, Dict[str, Any]] = {}
    if alpha is not None:
        if include_top or not alpha_stored(app, alpha):
            return None
        changed = graph["alpha"][repr(alpha)]
    if "open_width" in graph and len(input_shape) == 3 and input_shape[1] is None:
        graph = graph["open_width"]  # NASNet built for an open width: its adjust blocks decide otherwise
    part = "top" if include_top else pooling or "none"
    if part != "none" and part not in graph:
        return None
    if not preprocessing and not any("$preprocessing" in row[2] for row in graph["base"]):
        return None  # stored before its preprocessing layers were marked: which to leave out is not known
    shapes: Dict[int, Any] = {}
    #: Where each stored row is among the rows listed (a row left out: the row its input comes from).
    position: Dict[int, int] = {}
    rows: List[GraphRow] = []
    # Layers Keras builds only with include_preprocessing=True (ConvNeXt's PreStem normalization), or only with
    # weights="imagenet" (EfficientNet's Rescaling by ImageNet's deviations): left out otherwise.
    built_only = (("$preprocessing", preprocessing), ("$imagenet", imagenet))
    for index, (type_name, name, arguments, inputs) in enumerate(graph["base"] + graph.get(part, [])):
        if any(marker in arguments and not wanted for marker, wanted in built_only):
            (source,) = inputs
            shapes[index], position[index] = shapes[source], position[source]
            continue
        arguments = {k: v for k, v in arguments.items() if k not in ("$preprocessing", "$imagenet")}
        if str(index) in changed and index < len(graph["base"]):
            arguments = {**arguments, **changed[str(index)]}
        if "$channels" in arguments:
            # A layer Keras builds only for inputs with this many channels (ConvNeXt's PreStem normalization).
            channels = input_shape[-1]
            if not isinstance(channels, int):
                raise Unresolved(f"{app}: whether it normalizes its inputs depends on their channel count")
            if channels != arguments["$channels"]:
                (source,) = inputs
                shapes[index], position[index] = shapes[source], position[source]
                continue
            arguments = {k: v for k, v in arguments.items() if k != "$channels"}
        row = _row(type_name, name, arguments, [shapes[i] for i in inputs], input_shape, classes)
        row = replace(row, sources=tuple(position[i] for i in inputs))
        shapes[index], position[index] = row.output_shape, len(rows)
        rows.append(row)
    return tuple(rows)


def _row(type_name: str, name: str, arguments: Dict[str, Any], given: List[Any], input_shape: Sequence[Any],
         classes: Any) -> GraphRow:
    """One stored layer called on the shapes ``given`` (its inputs', in order)."""
    from . import application_layer

    if type_name == "InputLayer":
        out: Any = (None, *input_shape)
        layer = LayerDef(-1, type_name, name, (), (("batch_shape", out),), _SPAN)
        return GraphRow(name, type_name, out, 0, 0, layer, None)
    if "$operation" in arguments:
        layer, operands = _operation_layer(type_name, name, arguments["$operation"], given)
        return GraphRow(name, type_name, _operation_shape(layer, operands), 0, 0, layer, operands)
    if "$layers" in arguments:
        # A nested Sequential (ConvNeXt's stem): one row, its layers under it (summary(expand_nested=True)).
        (shape,) = given
        nested = []
        for inner_type, inner_name, inner_arguments in arguments["$layers"]:
            nested.append(_row(inner_type, inner_name, inner_arguments, [shape], input_shape, classes))
            shape = nested[-1].output_shape
        layer = LayerDef(-1, type_name, name, (), (), _SPAN)
        return GraphRow(name, type_name, shape, sum(r.trainable for r in nested),
                        sum(r.non_trainable for r in nested), layer, given[0], nested=tuple(nested))
    spec = application_layer(type_name)
    shape_in: Any = given if spec.multi_input else given[0]
    if arguments.get("correct_pad"):
        arguments = _correct_pad(arguments, shape_in)
    arguments = {key: _classes(value, classes) for key, value in arguments.items()}
    layer = LayerDef(-1, type_name, name, (), tuple(arguments.items()), _SPAN)
    args = BoundArgs(spec, layer)
    weights = spec.weights(args, shape_in)
    return GraphRow(name, type_name, spec.output_shape(args, shape_in), weights.trainable, weights.non_trainable,
                    layer, shape_in)


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
    (the stored padding is the one after). Keras looks at the height alone to tell an open size: with an open
    height both sizes pad as even ones (an odd width too); a known height with an open width fails in Keras
    (``None % 2``: TypeError)."""
    height, width = shape[1:3]
    if height is not None and width is None:
        raise IncompatibleInput(f"Keras's correct_pad fails (TypeError) on an input of a known height ({height}) "
                                "and an open width: give both sizes, or neither")
    if not all(length is None or isinstance(length, (int, Expr)) for length in (height, width)):
        raise Unresolved("correct_pad of a size that is not known")
    pads = []
    for length, (_, after) in zip((height, width), arguments["padding"]):
        if height is None or isinstance(length, int):
            pads.append([after - 1 if height is None or length % 2 == 0 else after, after])
        else:
            # a size known by name (a symbol): Keras pads by `length % 2` less one before, which is
            # 2*ceil(length/2) - length, so the padded size is 2*ceil(length/2) + 2*after - 1 whatever the parity
            pads.append([after - 1 + 2 * ceildiv(length, 2) - length, after])
    rest = {k: v for k, v in arguments.items() if k != "correct_pad"}
    return {**rest, "padding": pads}


def correct_pads(app: str) -> bool:
    """Whether the application's stored layers pad with Keras's ``correct_pad`` (a ZeroPadding2D marked so)."""
    graph = _data()["applications"].get(app)
    return graph is not None and any(arguments.get("correct_pad") for _, _, arguments, _ in graph["base"])


def output_shape(rows: Sequence[GraphRow]) -> Shape:
    """The application's output: its last layer's."""
    return rows[-1].output_shape
