"""A ``keras.applications`` model's layers as rows, and inline in a functional model built on its tensors.

The rows come from the stored graph (catalogue/application_graphs.py) through the catalogue's specs, for
the input shape, top, pooling and classes of the call (catalogue/applications.py, :func:`graph_rows`):

- a model that *is* an application (``model = ResNet50(...)``) lists them, as ``model.summary()`` does;
- a functional model from ``base.input`` to a head on ``base.output`` lists them inline, where the
  application's own input and its one nested row would be: Keras's graph of such a model runs through
  the application's layers;
- an application called as a layer (``base(inputs)``, ``Sequential([base, ...])``) stays one nested row.

Automatically named layers (``input_layer``, MobileNetV3's ``re_lu_3``) are numbered from Keras's counters
when the application was built (``ModelDef.app_counters``); ``base.trainable = False`` makes every row
non-trainable, as Keras's setter does for each layer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import cost
from .catalogue import snake_case
from .ir import LayerDef, LayerResult, ModelDef, ModelResult


def layer_names(application: Any, counters: Sequence[Tuple[str, int]]) -> Optional[List[Tuple[str, str]]]:
    """(class, name) of each layer of an application call, in ``model.layers`` order (its operations left out);
    None when its layers are not stored for these arguments."""
    from .catalogue import applications
    from .catalogue.spec import ShapeError, Unresolved

    name, args, kwargs = application
    spec = applications.lookup(name)
    try:
        app = applications.evaluate(spec, args, dict(kwargs)) if spec is not None else None
    except (ShapeError, Unresolved):
        return None
    rows = applications.graph_rows(spec, args, dict(kwargs), app) if app is not None else None
    if rows is None:
        return None
    named = dict(counters)
    return [(r.type, _numbered(r.name, r.type, named)) for r in rows if not r.layer.operation]


def results(model: ModelDef, rows: Sequence[Any], flags: Sequence[Any] = (),
            given: Optional[LayerDef] = None) -> Tuple[LayerResult, ...]:
    """The graph rows of ``model`` (an application) as the analysis's rows: names, flags, costs.

    ``flags``: the ``trainable`` flag of each layer (operations left out) when the code read ``model.layers``
    (and may have set them); else every layer has the model's flag, as ``model.trainable =`` sets it.
    ``given``: the input layer of ``input_tensor=keras.Input(...)``, the application's first row."""
    counters = dict(model.app_counters)
    flags = iter(flags)
    out = []
    for row in rows:
        layer = replace(row.layer, name=_numbered(row.name, row.type, counters), span=model.span)
        if given is not None and not out:
            layer = replace(layer, name=given.name, span=given.span)
        flag = True if row.layer.operation else next(flags, model.trainable is not False)
        trainable, non_trainable = row.trainable, row.non_trainable
        if flag is False:
            trainable, non_trainable = 0, trainable + non_trainable
        elif flag is not True:
            trainable = non_trainable = None
        out.append(LayerResult(layer, row.output_shape, row.trainable + row.non_trainable, trainable, non_trainable,
                               row.inputs, macs=cost.macs(layer, row.inputs, row.output_shape),
                               activations=cost.activations(layer, row.inputs, row.output_shape)))
    return tuple(out)


def _numbered(name: str, type_name: str, counters: Dict[str, int]) -> str:
    """An automatic name stored as Keras gives it in a fresh session (``re_lu_3``), renumbered from the
    file's counter for its prefix."""
    prefix = snake_case(type_name)
    if prefix not in counters:
        return name
    match = re.fullmatch(re.escape(prefix) + r"(?:_([0-9]+))?", name)
    if match is None:
        return name
    n = counters[prefix] + int(match.group(1) or 0)
    return prefix if n == 0 else f"{prefix}_{n}"


def edges(rows: Sequence[Any]) -> Tuple[Tuple[int, int], ...]:
    """(producer row, consumer row) for each tensor a layer of the application reads."""
    return tuple(sorted({(s, i) for i, row in enumerate(rows) for s in row.sources}))


def connections(graph: Sequence[Any], names: Sequence[str]) -> Optional[Tuple[Tuple[Tuple[str, int, int], ...], ...]]:
    """"Connected to" per row (``names``: the rows' names), None for a chain as ``model.summary()`` shows it."""
    readers: Dict[int, int] = {}
    for row in graph:
        for s in row.sources:
            readers[s] = readers.get(s, 0) + 1
    if all(len(row.sources) <= 1 for row in graph) and all(n <= 1 for n in readers.values()):
        return None
    return tuple(tuple((names[s], 0, 0) for s in row.sources) for row in graph)


def application_result(model: ModelDef, app: Any, graph: Optional[Sequence[Any]],
                       flags: Sequence[Any] = (), given: Optional[LayerDef] = None) -> ModelResult:
    """The model an application call builds: its verified totals, and its rows when the graph is stored
    (``flags``: see :func:`results`; the split of the totals follows them)."""
    from .infer import _status, _sum

    total = app.total
    result = ModelResult(model, (), (app.input_shape,), (app.output_shape,), total, app.trainable,
                         app.non_trainable, _status(total, app.trainable, app.non_trainable), ())
    if not graph:
        return result
    rows = results(model, graph, flags, given)
    if any(flag is not True for flag in flags):
        trainable, non_trainable = _sum([r.trainable for r in rows]), _sum([r.non_trainable for r in rows])
        unknown = next((f for f in flags if f is not True and f is not False), None)
        why = getattr(unknown, "reason", "set to a value the analysis does not know")
        result = replace(result, trainable=trainable, non_trainable=non_trainable,
                         status=_status(total, trainable, non_trainable),
                         reasons=() if unknown is None else (f"a layer's `trainable` flag is not known ({why})",))
    activations = cost.activation_total(rows)
    return replace(result, rows=rows, macs=cost.total([r.macs for r in rows]), activations=activations,
                   param_bytes=cost.memory(total), activation_bytes=cost.memory(activations), edges=edges(graph),
                   connections=connections(graph, [r.layer.name for r in rows]), collapsed=result)


def inline(ctx: Any, model: ModelDef, order: Sequence[int], calls: Dict[int, List[Any]],
           result: ModelResult) -> ModelResult:
    """``result`` (a functional model) with an application it is built on listed inline, as Keras lists it.

    Only where the order is then Keras's for certain: the model's one input is the application's input
    (``base.input``), read by nothing but the application (its ``base.output``), so every other layer
    comes after the application's and the application's rows keep their own order. Elsewhere (several
    inputs, a branch from ``base.input``, ``base(inputs)``) the application stays one nested row.
    """
    from .infer import _connections

    if len(order) < 2 or len(result.rows) != len(order) or len(model.inputs) != 1:
        return result
    first, second = ctx.ir.layer(order[0]), ctx.ir.layer(order[1])
    index = second.submodel
    if index is None or ctx.ir.models[index].kind != "application" or \
            first.uid != ctx.ir.models[index].input_layer and first.kwarg("application_input") != index:
        return result
    source = ctx.ir.node(model.inputs[0].node)
    nodes = calls.get(order[1], ())
    if source.layer != first.uid or len(nodes) != 1 or [r.node for r in nodes[0].parents] != [source.id]:
        return result
    if any(ref.node == source.id for uid in order[2:] for node in calls.get(uid, ()) for ref in node.parents):
        return result
    app = ctx.model(index)
    app_rows = app.rows
    if not app_rows or result.rows[1].problem is not None or app.edges is None:
        return result
    n = len(app_rows)
    rows = (*app_rows, *result.rows[2:])

    def moved(i: int) -> int:
        return 0 if i == 0 else n - 1 if i == 1 else i + n - 2

    found = set(app.edges) | {(moved(p), moved(c)) for p, c in result.edges or () if c != 1}
    links = result.connections
    if links is not None or app.connections is not None:
        last = app_rows[-1].layer.name
        app_links = app.connections or tuple(((app_rows[i - 1].layer.name, 0, 0),) if i else ()
                                             for i in range(n))
        user = (links or _connections(ctx.ir, model, order, calls, chain_too=True))[2:]
        links = (*app_links, *(tuple((last, 0, 0) if name == second.name else (name, node, k)
                                     for name, node, k in row) for row in user))
    activations = cost.activation_total(rows)
    return replace(result, rows=rows, macs=cost.total([r.macs for r in rows]), activations=activations,
                   activation_bytes=cost.memory(activations), edges=tuple(sorted(found)), connections=links,
                   collapsed=result)
