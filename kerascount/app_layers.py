"""A ``keras.applications`` model's layers as rows, and inline in a functional model built on its tensors.

The rows come from the stored graph (catalogue/application_graphs.py) through the catalogue's specs, for
the input shape, top, pooling and classes of the call (catalogue/applications.py, :func:`graph_rows`):

- a model that *is* an application (``model = ResNet50(...)``) lists them, as ``model.summary()`` does;
- a functional model built on its tensors (``base.input``, ``base.output``, ``base.get_layer(name).output``,
  ``input_tensor=``) lists the layers it needs inline, in Keras's order (:func:`inline`): Keras's graph of
  such a model runs through the application's layers, and the model holds them (its ``trainable``
  setter sets theirs, not the application's own flag);
- an application called as a layer (``base(inputs)``, ``Sequential([base, ...])``) stays one nested row;
- a model nested in the application (ConvNeXt's Sequential stem) is one row, its layers under it (``nested``,
  for ``summary --expand-nested``), its mult-adds theirs.

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
from .ir import UNKNOWN_NAME, LayerDef, LayerResult, ModelDef, ModelResult


def _row_names(rows: Any, counters: Sequence[Tuple[str, int]]) -> List[str]:
    """The name each row of an application's graph has in a model whose layer counters stood at ``counters``."""
    named = dict(counters)
    return [_numbered(r.name, r.type, named) for r in rows]


def layer_names(application: Any, counters: Sequence[Tuple[str, int]]) -> Optional[List[Tuple[str, str]]]:
    """(class, name) of each layer of an application call, in ``model.layers`` order (its operations left out);
    None when its layers are not stored for these arguments."""
    rows = _graph(application)
    if rows is None:
        return None
    named = dict(counters)
    return [(r.type, _numbered(r.name, r.type, named)) for r in rows if not r.layer.operation]


def input_source(application: Any, counters: Sequence[Tuple[str, int]], name: str) -> Optional[str]:
    """``base.get_layer(name).input``: the name of the layer whose output layer ``name`` of an application call
    reads, ``""`` for the application's input; None when that is not one layer's output (several inputs, an
    operation's output, a name not found)."""
    rows = _graph(application)
    if rows is None:
        return None
    names = _row_names(rows, counters)
    found = [i for i, n in enumerate(names) if n == name and not rows[i].layer.operation]
    if len(found) != 1 or len(rows[found[0]].sources) != 1:
        return None
    (source,) = rows[found[0]].sources
    if source == 0:
        return ""
    return None if rows[source].layer.operation or names.count(names[source]) != 1 else names[source]


def is_input_row(application: Any, counters: Sequence[Tuple[str, int]], name: str) -> bool:
    """Whether layer ``name`` of an application call is its InputLayer (the graph's first row, which reads
    nothing): ``base.layers[0].output`` is then the model's input, and its ``.input`` an empty list in Keras 3."""
    rows = _graph(application)
    if not rows:
        return False
    names = _row_names(rows, counters)
    return names[0] == name and names.count(name) == 1 and not rows[0].sources and not rows[0].layer.operation


def rowless_reason(application: Any) -> Optional[str]:
    """Why the layers of an application call (``ModelDef.application``) are not stored when an argument given
    a value other than its default (``alpha=0.5``) is the cause; else None."""
    from .catalogue import applications

    name, args, kwargs = application
    spec = applications.lookup(name)
    return None if spec is None else applications.rowless_reason(spec, args, dict(kwargs))


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
        flag = True if row.layer.operation else next(flags, model.trainable is not False)
        layer = replace(row.layer, name=_numbered(row.name, row.type, counters), span=model.span)
        if given is not None and not out:
            layer = replace(layer, name=given.name, span=given.span)
        out.append(_result(row, layer, flag, counters))
    return tuple(out)


def _result(row: Any, layer: LayerDef, flag: Any, counters: Dict[str, int]) -> LayerResult:
    """One graph row as a row of the analysis, with the trainable ``flag`` of its layer; a nested Sequential's
    rows under it (their flag is its own), its costs theirs."""
    trainable, non_trainable = row.trainable, row.non_trainable
    if flag is False:
        trainable, non_trainable = 0, trainable + non_trainable
    elif flag is not True:
        trainable = non_trainable = None
    if row.nested:
        nested = tuple(_result(r, replace(r.layer, name=_numbered(r.name, r.type, counters), span=layer.span), flag,
                               counters) for r in row.nested)
        return LayerResult(layer, row.output_shape, row.trainable + row.non_trainable, trainable, non_trainable,
                           row.inputs, macs=cost.total([r.macs for r in nested]),
                           activations=cost.total([r.activations for r in nested]), nested=nested)
    args = _config(layer)
    return LayerResult(layer, row.output_shape, row.trainable + row.non_trainable, trainable, non_trainable,
                       row.inputs, macs=None if args is None else cost.macs(args, row.inputs, row.output_shape),
                       activations=cost.activations(args, row.inputs, row.output_shape),
                       config=args if args is None or args.layer_spec is _lookup(layer) else None)


def reused(app: ModelDef, layer: LayerDef) -> LayerDef:
    """A layer of the application ``app`` that the code adds to a Sequential of its own (``for layer in
    base.layers[:-1]: model.add(layer)``, the Keras 2 fine-tuning tutorials' way to drop the top) as the layer it
    is: the config stored for it, the application's InputLayer included (Keras's Sequential starts from that
    layer's input), built on the shape it was called on in the application (Keras does not build it again: a
    call on another shape needing other weights is not followed). ``layer`` itself (not followed) when its row
    is not stored, takes several inputs, is a nested model or a class only the applications build."""
    from .catalogue import lookup

    if app.unresolved is not None or not app.application or layer.uid not in app.app_layers:
        return layer
    rows = _graph(app.application)
    own = [r for r in rows or () if not r.layer.operation]
    if len(own) != len(app.app_layers):
        return layer
    row = own[app.app_layers.index(layer.uid)]
    stored = row.layer
    if row.nested or stored is None or stored.submodel is not None or not stored.known or \
            stored.type != layer.type or lookup(stored.type) is None:
        return layer
    if stored.type != "InputLayer" and (len(row.sources) != 1 or not isinstance(row.inputs, tuple)):
        return layer
    kept = tuple((k, v) for k, v in layer.kwargs if k == "trainable")
    config = tuple((k, v) for k, v in stored.kwargs if k not in ("trainable", "name", "application_layer"))
    return replace(layer, args=stored.args, kwargs=config + kept, known=True,
                   built_shape=None if stored.type == "InputLayer" else row.inputs)


def output_of(app: ModelResult, name: str) -> Any:
    """The output shape of the application's layer ``name`` (``base.get_layer(name).output``)."""
    from .infer import _Fail
    from .ir import Problem

    for row in app.rows:
        if row.layer.name == name:
            return row.output_shape
    why = "; ".join(app.reasons) or "its layers are not listed"
    raise _Fail(Problem("KC901", f"the layer `{name}` of {app.model.keras_name} is not known ({why})", False))


def _config(layer: Any) -> Any:
    """The config of a stored layer or operation (what costs read), or None. A layer only the applications
    build (ConvNeXt's LayerScale) has one for its costs, not on its row (rules and reports look layers up in
    the catalogue of ``keras.layers``)."""
    from .catalogue import application_layer, operation
    from .catalogue.spec import ShapeError, config

    spec = operation(layer.type) if layer.operation else application_layer(layer.type)
    try:
        return None if spec is None else config(spec, layer)
    except ShapeError:
        return None


def _lookup(layer: Any) -> Any:
    """The spec a stored layer or operation has in the catalogue that rules and reports read, or None."""
    from .catalogue import lookup, operation

    return operation(layer.type) if layer.operation else lookup(layer.type)


def _numbered(name: str, type_name: str, counters: Dict[str, Optional[int]]) -> str:
    """An automatic name stored as Keras gives it in a fresh session (``re_lu_3``), renumbered from the
    file's counter for its prefix."""
    prefix = snake_case(type_name)
    if prefix not in counters:
        return name
    match = re.fullmatch(re.escape(prefix) + r"(?:_([0-9]+))?", name)
    if match is None:
        return name  # a name of its own (MobileNetV3's Activation "predictions")
    if counters[prefix] is None:
        return UNKNOWN_NAME  # the counter is not known (extract/graph.py, uncertain_names)
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
    """``result`` (a functional model) with the application it is built on listed inline, as Keras lists it.

    The model reads the application's tensors (``base.input``, ``base.output``,
    ``base.get_layer(name).output``): Keras's graph of it runs through the application's layers. Their rows
    and the model's own are put in Keras's order (``map_graph``: by depth from the outputs, ties by first
    visit) over the graph where each tensor read from the application is the layer that makes it. Only the
    layers the outputs need are listed. Several applications read so (two bases joined by their outputs) are
    all listed inline, the graph running through each. Where the model also calls an application as a layer
    (``base(x)``), the model is left as it is, each application one nested row.
    """
    from .infer import REJECTED, _connections, _status, _sum, duplicate_name

    # A model whose numbers are not all known (a nested model of an unknown input size) is listed too, its layers
    # being known: the code may read them (``for layer in combined.layers[:-3]``); its totals stay unknown.
    known = result.status in ("exact", "symbolic") or \
        result.status == "unknown" and not result.failed and model.unresolved is None
    if not known or len(result.rows) != len(order) or any(ctx.ir.node(r.node).inputs for r in model.inputs):
        return result
    found = {ctx.ir.layer(uid).submodel for uid in order if ctx.ir.layer(uid).submodel is not None}
    found = {i for i in found if ctx.ir.models[i].kind == "application"}
    if not found:
        return result
    # Each application the model reads: its layer (the nested row it would be), the node its input row stands
    # for, the layer of the model that is that input (None: input_tensor= made by other layers), its rows and graph.
    apps: Dict[int, Tuple[int, int, Optional[int], ModelResult, Sequence[Any], Dict[str, int]]] = {}
    for index in sorted(found):
        spec = ctx.ir.models[index]
        app_uid = next(uid for uid in order if ctx.ir.layer(uid).submodel == index)
        input_uid = spec.input_layer if spec.input_layer is not None else next(
            (uid for uid in order if ctx.ir.layer(uid).kwarg("application_input") == index), None)
        if input_uid is None or input_uid not in order or len(calls.get(input_uid, ())) != 1:
            return result
        source = calls[input_uid][0].id
        if spec.app_input is not None and ctx.ir.node(spec.app_input.node).inputs:
            # input_tensor= made by other layers: the application's input row is that tensor's layer, the model's own
            source, input_uid = spec.app_input.node, None
        if any([r.node for r in n.parents] != [source] for n in calls.get(app_uid, ())):
            return result  # base(x): the application called as a layer
        app = ctx.app_core(index)
        graph = _graph(spec.application)
        if not app.rows or graph is None or len(graph) != len(app.rows) or \
                result.rows[order.index(app_uid)].problem is not None:
            return result
        apps[index] = (app_uid, source, input_uid, app, graph, {r.layer.name: i for i, r in enumerate(app.rows)})
    app_of = {info[0]: index for index, info in apps.items()}
    input_of = {info[2]: index for index, info in apps.items() if info[2] is not None}

    def key_of(nid: int) -> Any:
        node = ctx.ir.node(nid)
        index = app_of.get(node.layer)
        if index is None:
            return ("n", nid)
        _, source, _, _, graph, names = apps[index]
        wanted = dict(node.call_kwargs).get("application_output")
        row = len(graph) - 1 if wanted is None else names.get(wanted)
        return ("n", source) if row == 0 else ("a", index, row)

    def parents(key: Any) -> List[Any]:
        if key[0] == "n":
            return [key_of(r.node) for r in ctx.ir.node(key[1]).parents]
        _, source, _, _, graph, _ = apps[key[1]]
        return [("n", source) if s == 0 else ("a", key[1], s) for s in graph[key[2]].sources]

    def layer_of(key: Any) -> Any:
        return ("l", ctx.ir.node(key[1]).layer) if key[0] == "n" else key

    outputs = [key_of(r.node) for r in model.outputs]
    if any(k[-1] is None for k in outputs):
        return result
    # Keras's map_graph (infer.build_map) over that graph.
    finished: set = set()
    in_progress: set = set()
    seq: List[Any] = []
    op_index: Dict[Any, int] = {}
    for out in outputs:
        stack = [(out, False)]
        while stack:
            key, expanded = stack.pop()
            if expanded:
                finished.add(key)
                in_progress.discard(key)
                seq.append(key)
                continue
            if key in finished or key in in_progress:
                continue
            for p in parents(key):
                if p[-1] is None:
                    return result  # a layer name the application does not have
            op_index.setdefault(layer_of(key), len(op_index))
            in_progress.add(key)
            stack.append((key, True))
            stack.extend((p, False) for p in reversed(parents(key)))
    in_graph = set(seq)
    node_depth: Dict[Any, int] = {}
    op_depth: Dict[Any, int] = {}
    for key in reversed(seq):
        depth = max(node_depth.setdefault(key, 0), op_depth.get(layer_of(key), 0))
        op_depth[layer_of(key)] = node_depth[key] = depth
        for p in parents(key):
            if p in in_graph:
                node_depth[p] = max(depth + 1, node_depth.get(p, 0))
    for r in model.inputs:
        if layer_of(("n", r.node)) not in op_depth:
            op_depth[layer_of(("n", r.node))] = 0
            op_index[layer_of(("n", r.node))] = -1
    layers = sorted(op_depth, key=lambda k: (-op_depth[k], op_index[k]))
    if {k[1] for k in layers if k[0] == "l"} != set(order) - set(app_of):
        return result

    def row_of(key: Any) -> LayerResult:
        if key[0] == "a":
            return apps[key[1]][3].rows[key[2]]
        index = input_of.get(key[1])
        return apps[index][3].rows[0] if index is not None else result.rows[order.index(key[1])]

    rows = tuple(row_of(k) for k in layers)
    position = {k: i for i, k in enumerate(layers)}
    edges = {(position[layer_of(p)], position[layer_of(k)]) for k in seq for p in parents(k)}
    nodes_of: Dict[Any, List[Any]] = {}
    for key in seq:
        nodes_of.setdefault(layer_of(key), []).append(key)
    chain = all(len(parents(k)) <= 1 for k in seq) and all(len(v) <= 1 for v in nodes_of.values()) and \
        len(set(outputs)) <= 1
    links = None
    if not chain:
        forced = _connections(ctx.ir, model, order, calls, chain_too=True, node_numbers=ctx.node_numbers)
        links = None if forced is None else tuple(_links(k, forced, order, nodes_of, parents, layer_of, row_of)
                                                  for k in layers)
    activations = cost.activation_total(rows)
    # The model's weights are its layers': an inner output leaves the application's later layers out.
    total, trainable, non_trainable = (_sum([getattr(r, k) for r in rows]) for k in ("params", "trainable",
                                                                                      "non_trainable"))
    status, failed, reasons, collapsed = _status(total, trainable, non_trainable), result.failed, result.reasons, result
    twice = duplicate_name(model, rows)
    if twice is not None:
        # Keras raises when the model is made: two of the layers its graph runs through share a name (the
        # `conv1_conv` of a ResNet50 and of a DenseNet121 joined by their outputs); rule KC108 reads the reason
        # on the model as the rules see it (one row per application)
        def made_at(row: LayerResult) -> str:
            key = layers[next(i for i, r in enumerate(rows) if r is row)]
            index = key[1] if key[0] == "a" else input_of.get(key[1])
            if index is None:
                return f"the {row.layer.type} at line {row.layer.span.line}"
            return f"{ctx.ir.models[index].keras_name} (line {ctx.ir.models[index].span.line})"

        status, total, trainable, non_trainable, failed = "unknown", None, None, None, True
        reasons = (*reasons, f"{REJECTED}the name \"{twice[1].layer.name}\"{CLASH}: of {made_at(twice[0])} and of "
                             f"{made_at(twice[1])}")
        collapsed = replace(result, status=status, total=None, trainable=None, non_trainable=None, failed=True,
                            reasons=reasons)
    return replace(result, rows=rows, total=total, trainable=trainable, non_trainable=non_trainable,
                   status=status, failed=failed, reasons=reasons, param_bytes=cost.memory(total),
                   macs=cost.total([r.macs for r in rows]), activations=activations,
                   activation_bytes=cost.memory(activations), edges=tuple(sorted(edges)), connections=links,
                   collapsed=collapsed)


#: The end of the reason of a functional model Keras rejects because two of the layers it runs through, one at least
#: a layer of a ``keras.applications`` model listed inline, share a name (:func:`inline`; rule KC108 reads it).
CLASH = " is used by two of the layers the model runs through"


def name_clash(result: ModelResult) -> Optional[str]:
    """What :func:`inline` found of two layers of one model named alike (the reason after "Keras rejects it: "),
    or None."""
    from .infer import REJECTED

    return next((r[len(REJECTED):] for r in result.reasons if r.startswith(REJECTED) and CLASH in r), None)


def _links(layer: Any, forced: Any, order: Sequence[int], nodes_of: Dict[Any, List[Any]], parents: Any,
           layer_of: Any, row_of: Any) -> Tuple[Tuple[str, int, int], ...]:
    """"Connected to" of one row of an inlined model: a tensor of the application is its layer's node 0."""
    if layer[0] == "a":
        return tuple((row_of(layer_of(p)).layer.name, 0, 0) for p in parents(layer))
    known = iter(forced[order.index(layer[1])])
    out = []
    for key in sorted(nodes_of.get(layer, ()), key=lambda k: k[1]):
        for p in parents(key):
            name, node, k = next(known, ("?", 0, 0))
            out.append((row_of(layer_of(p)).layer.name, 0, 0) if p[0] == "a" else
                       (row_of(layer_of(p)).layer.name, node, k))
    return tuple(out)


def needed(application: Any, wanted: Optional[str], names: Sequence[str]) -> Optional[List[int]]:
    """Indices in ``names`` (the application's layers, operations left out, as :func:`layer_names` gives
    them) of the layers that make the output of layer ``wanted`` (None: the application's output)."""
    graph = _graph(application)
    if graph is None:
        return None
    layers = [i for i, row in enumerate(graph) if not row.layer.operation]
    if len(layers) != len(names):
        return None
    position = {row: k for k, row in enumerate(layers)}
    target = len(graph) - 1 if wanted is None else next(
        (row for row, k in position.items() if names[k] == wanted), None)
    if target is None:
        return None
    seen = set()
    stack = [target]
    while stack:
        i = stack.pop()
        if i not in seen:
            seen.add(i)
            stack.extend(graph[i].sources)
    return sorted(position[i] for i in seen if i in position)


def _graph(application: Any) -> Optional[Sequence[Any]]:
    """The stored graph rows of an application call (``ModelDef.application``; memoised by application_graphs)."""
    from .catalogue import applications
    from .catalogue.spec import ShapeError, Unresolved

    name, args, kwargs = application
    spec = applications.lookup(name)
    try:
        app = applications.evaluate(spec, args, dict(kwargs)) if spec is not None else None
    except (ShapeError, Unresolved):
        return None
    return applications.graph_rows(spec, args, dict(kwargs), app) if app is not None else None
