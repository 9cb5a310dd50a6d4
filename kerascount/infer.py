"""The infer stage: a model in the IR → output shapes and parameter counts per layer.

Shapes flow through the layer catalogue exactly as Keras computes them. Layer
order follows Keras 3's ``map_graph`` (``keras/src/ops/function.py``): layers by
decreasing depth from the outputs, ties broken by first DFS visit. A layer's
weights come from its first call anywhere in the file (that is when Keras builds
it); the shape shown for it comes from its last call (as ``model.summary()``).
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import replace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from . import app_layers, catalogue, cost
from .catalogue import identifiers, merge
from .catalogue.errors import ApplicationInputMismatch, IncompatibleInput, InvalidArguments, MergeMismatch
from .catalogue.spec import LayerSpec, ShapeError, Unresolved, Weights, config, input_shape_kwarg, no_weights
from .ir import (
    ArrayArgument,
    ConstantArray,
    Count,
    FileIR,
    LayerDef,
    LayerResult,
    ModelDef,
    NumpyFloat,
    NumpyInt,
    NumpyInt32,
    ModelResult,
    Node,
    FileFunction,
    Problem,
    RejectedCall,
    Shape,
    SymbolOrigin,
    TensorRef,
    UNKNOWN_NAME,
    EARLIER_FAILS,
    Unknown,
    fixed_outputs,
    plain_ints,
    weightless,
)
from .symbolic import Expr, NumpyExpr, TooComplex, symbol_names


class _Fail(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class FileContext:
    """Memoised shapes and weights of every node and layer of one file."""

    def __init__(self, ir: FileIR, previous: Optional["FileContext"] = None,
                 replaced: Optional[Sequence[int]] = None, live: bool = False,
                 ranges: Optional[Tuple[Tuple[int, int], ...]] = None,
                 app_owned: Optional[Dict[int, int]] = None,
                 untraced_seeds: Optional[Callable[[], List[int]]] = None) -> None:
        """With ``previous``, a context of an earlier state of the same file (``extract/live.py`` asks for
        shapes as the graph grows): what it derived from nodes and layers that are still the same is kept.
        With ``replaced`` too (the uids of the layers of ``previous`` that are no longer the same objects, the others
        being), ``previous`` is not used again: its tables are taken over and updated rather than copied; ``live``
        then says ``ir.nodes`` starts with ``previous``'s nodes (the graph's nodes only grow while a live context
        lives). ``ranges``: the node ranges of the subclassed models' call runs, in any order, when the caller knows
        them (read from ``ir.models`` otherwise); ``app_owned`` likewise, ``application_layers`` (read only); and
        ``untraced_seeds``, which gives the uids of the layers holding a custom layer's model whose call has no
        outputs, in order, when ``untraced`` is first asked for (read from ``ir.layers`` otherwise)."""
        self.ir = ir
        #: A context of the graph built so far that the interpreter reads shapes from (extract/live.py): its model
        #: results are read for shapes, counts, status and rows only, never reported, so what only the report shows
        #: (summary's "Connected to", the rows' edges) is not made.
        self.live = live
        self._out: Dict[int, Any] = {}
        self._weights: Dict[int, Any] = {}
        self.first_node: Dict[int, Node] = {}
        self._calls_of: Optional[Dict[int, List[Node]]] = None
        self._node_numbers: Optional[Dict[int, int]] = None
        self.last_node: Dict[int, Node] = {}
        self._models: Dict[int, ModelResult] = {}
        #: ``_dtype_givers``: the layers and models whose weights may be of another dtype, once read.
        self.dtype_givers: Optional[Tuple[Dict[int, str], Dict[int, str]]] = None
        self._active: set = set()
        self._built_on: Dict[Any, ModelResult] = {}
        #: By uid of a nested model's layer: the sizes its calls assume agree (``_symbols_agree``), which the
        #: models holding it assume too.
        self.call_assumes: Dict[int, List[str]] = {}
        self._app_cores: Dict[int, ModelResult] = {}
        #: ``application_layers``, once read.
        self._app_owned: Optional[Dict[int, int]] = app_owned
        #: Each layer's last call on symbolic tensors (not inside a subclassed model's call run).
        self.graph_last: Dict[int, Node] = {}
        if ranges is None:
            ranges = tuple(m.call_nodes for m in ir.models if m.kind == "subclassed")
        #: The node ranges of subclassed models' call runs (what ``eager`` is made of).
        self._eager_ranges = ranges
        #: The end of the last of them: when no range ends after the nodes of an earlier context, a context with the same
        #: ranges marks the same nodes, and none of its new ones (with more ranges, those it marks too).
        self._eager_end = 0
        added: Any = None  # (the ranges not in ``previous``'s, when it had every other one and ends before its nodes)
        if previous is not None and \
                previous._eager_end <= len(previous._eager) == len(previous.ir.nodes) <= len(ir.nodes):
            if previous._eager_ranges == ranges:
                added = ()
            else:
                added = set(ranges)
                gone = set(previous._eager_ranges).difference(added)
                added.difference_update(previous._eager_ranges)
                if added and max(e for _, e in added) > len(ir.nodes):
                    added = None
                elif gone:
                    # (a call run is given the range (start, start) when it starts and its end when it ends: the
                    # nodes a range gone marked are still marked when none is gone but an empty one or one extended)
                    ends = {start: end for start, end in added}
                    if any(start < end and ends.get(start, start) < end for start, end in gone):
                        added = None
        if previous is not None and added is not None:
            eager = previous._eager + bytes(len(ir.nodes) - len(previous._eager))
            self._eager_end = previous._eager_end
            if added:
                eager = bytearray(eager)
                for start, end in added:
                    eager[start:end] = b"\x01" * (end - start)
                self._eager_end = max(self._eager_end, max(e for _, e in added))
        else:
            eager = bytearray(len(ir.nodes))
            for start, end in ranges:
                eager[start:end] = b"\x01" * (end - start)
            self._eager_end = max((end for _, end in ranges), default=0)
        #: Which nodes are in a call run: a later context reuses what this one derived from its nodes while they
        #: are marked the same (a custom layer traced since adds a run of new nodes only).
        self._eager = eager
        nodes = ir.nodes
        done = len(previous.ir.nodes) if previous is not None else 0
        if previous is not None and not previous._app_reads and done <= len(nodes) and \
                (nodes[done - 1] is previous.ir.nodes[-1] if live and replaced is not None and done else
                 all(map(operator.is_, previous.ir.nodes, nodes))):
            # (after reads from inside an application nothing is reused: they count only after every call)
            marked_alike = previous._eager_ranges == ranges or previous._eager[:done] == eager[:done]
            if replaced is not None:
                self.first_node, self.last_node = previous.first_node, previous.last_node
                if marked_alike:
                    self.graph_last = previous.graph_last
            else:
                self.first_node, self.last_node = dict(previous.first_node), dict(previous.last_node)
                if marked_alike:
                    self.graph_last = dict(previous.graph_last)
            if not marked_alike:
                # A call run that ended since holds nodes made before: each layer's last call not in a run, anew
                # (the first and last calls do not depend on the runs)
                kept = list(itertools.compress(nodes[:done], eager[:done].translate(_UNMARKED)))
                self.graph_last = dict(zip(map(_LAYER, kept), kept))
            nodes = nodes[done:]
        reads = []
        for node in nodes:
            if node.call_kwargs and any(k == "application_output" for k, _ in node.call_kwargs):
                reads.append(node)  # a tensor read from inside an application, not a call of it
                continue
            self.first_node.setdefault(node.layer, node)
            self.last_node[node.layer] = node
            if not eager[node.id]:
                self.graph_last[node.layer] = node
        for node in reads:  # an application only read from (base.get_layer(name).output): its first read
            self.first_node.setdefault(node.layer, node)
            self.last_node.setdefault(node.layer, node)
            if not eager[node.id]:
                self.graph_last.setdefault(node.layer, node)
        #: Whether a node reads a tensor from inside an application (a later context then reuses nothing).
        self._app_reads = bool(reads)
        #: By layer: the layer object it wraps by reference (``_wrapped``), and whether it holds a model.
        #: ``_wrappers``: the layers (by uid) whose ``_wrapped_of`` is not None.
        self._wrapped_of, self._holds_model, self._wrappers = _layer_facts(ir.layers, previous, replaced)
        self.shared_wrapped = _shared_wrapped(ir, self.first_node, self._wrapped_of, self._wrappers)
        self._untraced: Optional[Dict[int, str]] = None
        self._untraced_seeds = untraced_seeds

    def application_layers(self) -> Dict[int, int]:
        """The layers of the applications the code reached (``app_layers``), by uid: the index of their model (made
        once a context: a file of many models asked for each model's totals)."""
        if self._app_owned is None:
            self._app_owned = {uid: index for index, m in enumerate(self.ir.models) if m.kind == "application"
                               for uid in m.app_layers}
        return self._app_owned

    @property
    def untraced(self) -> Dict[int, str]:
        """``_untraced`` of the file, made when first asked for (by the first model found unbuilt: most contexts of
        the graph built so far find none)."""
        if self._untraced is None:
            # (a later context takes ``first_node`` over and adds the layers of its own nodes: those of this one's
            # are the layers whose first node is one of ``ir.nodes``)
            first, n = self.first_node, len(self.ir.nodes)
            seeds = self._untraced_seeds
            self._untraced = _untraced(self.ir, lambda uid: uid in first and first[uid].id < n,
                                       None if seeds is None else [uid for uid in seeds() if uid < len(self.ir.layers)])
        return self._untraced

    # -- shapes -----------------------------------------------------------
    def output(self, node: Node) -> Any:
        """The output shape(s) of a node, or raise ``_Fail``."""
        if node.id not in self._out:
            self._settle_inputs(node)
            try:
                self._out[node.id] = ("ok", self._compute(node))
            except _Fail as f:
                problem = f.problem
                if problem.error and problem.node is None:
                    problem = replace(problem, node=node.id)
                self._out[node.id] = ("fail", problem)
        state, value = self._out[node.id]
        if state == "fail":
            raise _Fail(value)
        return value

    def _settle_inputs(self, node: Node) -> None:
        """Computes the nodes ``node`` reads that are not computed yet, deepest first and in the order the recursion
        of ``output`` would reach them, with a stack of our own: a chain of a few hundred layers (a loop of 50 steps
        that calls five layers each) would otherwise exceed Python's recursion limit."""
        out, node_of = self._out, self.ir.node
        if all(ref.node in out for ref in node.inputs):
            return
        seen: Set[int] = {node.id}
        order: List[Node] = []
        stack: List[Tuple[Node, bool]] = [(node_of(ref.node), False) for ref in reversed(node.inputs)
                                          if ref.node not in out]
        while stack:
            item, done = stack.pop()
            if done:
                order.append(item)
                continue
            if item.id in seen or item.id in out:
                continue
            seen.add(item.id)
            stack.append((item, True))
            stack.extend((node_of(ref.node), False) for ref in reversed(item.inputs) if ref.node not in out)
        for item in order:
            if item.id not in out:
                try:
                    self.output(item)
                except _Fail:
                    pass  # (kept in ``_out``: the node that reads it raises it)

    def node_numbers(self) -> Dict[int, int]:
        """``_node_numbers`` of the file, made once (every functional model of the file reads it)."""
        if self._node_numbers is None:
            # (``_eager`` marks the nodes of the call runs, unless a run ends after the last node)
            self._node_numbers = _node_numbers(self.ir, self._eager if self._eager_end <= len(self.ir.nodes) else None)
        return self._node_numbers

    def first_failure(self, layer: LayerDef) -> Optional[Problem]:
        """A layer's error at its first failing call in code order (where Keras raises)."""
        if self._calls_of is None:  # the nodes of each layer, in code order (built once: a graph asks per layer)
            self._calls_of = {}
            for node in self.ir.nodes:
                self._calls_of.setdefault(node.layer, []).append(node)
        for node in self._calls_of.get(layer.uid, ()):
            try:
                self.output(node)
            except _Fail as f:
                if f.problem.error:
                    return f.problem
        return None

    def tensor(self, ref: TensorRef) -> Shape:
        out = self.output(self.ir.node(ref.node))
        if out and isinstance(out[0], tuple):
            return out[ref.index]
        return out

    def input_shapes(self, node: Node) -> Any:
        shapes = []
        for ref in node.inputs:
            try:
                shapes.append(self.tensor(ref))
            except _Fail as f:
                raise _Fail(self.own_error(node.layer, f.problem) or _upstream(f.problem)) from None
        for place, shape in node.constants:
            shapes.insert(place, shape)  # (an array of data beside the tensors: Keras reads its shape)
        return shapes if node.list_input else shapes[0]

    def own_error(self, uid: int, upstream: Problem) -> Optional[Problem]:
        """Where what a layer is given is not known (not an error): the error Keras's constructor raises on the
        layer's arguments whatever its input, if the file surely made it (its call is never reached)."""
        if upstream.error or uid not in self.ir.surely_made:
            return None
        found = constructor_error(self.ir.layer(uid))
        return found if found is not None and found.error else None

    def _compute(self, node: Node) -> Any:
        # (a keras.applications model's layer called on a tensor of the code's own: the layer its stored row is)
        layer = _own_layer(self, self.ir.layer(node.layer))
        if not node.inputs:
            app = layer.kwarg("application_input")
            if app is not None:  # `base.input` of a keras.applications model
                result = self.model(app)
                if not result.inputs:
                    raise _Fail(Problem("KC901", "; ".join(result.reasons) or f"{layer.name} is not known", False))
                return result.inputs[0]
            return run(_spec(layer), layer, None, "output")
        if layer.type == "InputLayer" and layer.submodel is None:
            # (`for layer in base.layers: x = layer(x)` reaches the application's InputLayer first)
            raise _Fail(Problem(InvalidArguments.CODE, f"{INPUT_LAYER_CALLED}{layer.name} is called on a tensor: "
                                "Keras 3 raises TypeError (\"too many positional arguments\"); an InputLayer only "
                                "starts a model (a loop over a model's layers can start at `model.layers[1:]`)",
                                True))
        raises = next((v for k, v in node.call_kwargs if k == "call_raises"), None)
        if isinstance(raises, str):  # (a call Keras rejects whatever its inputs: extract/keras_calls.call_layer)
            raise _Fail(Problem(InvalidArguments.CODE, raises, True))
        shapes = self.input_shapes(node)
        if layer.submodel is not None and self._eager[node.id]:
            shapes = _adjusted_ranks(self, layer, shapes)
        read = dict(node.call_kwargs) if layer.submodel is not None else {}
        if "application_output" in read:
            # `base.get_layer(name).output` (or `base.output` of one built on input_tensor=): the application's
            # layers on the tensor they were applied to.
            core = self.app_core(layer.submodel)
            if read["application_output"] is not None:
                out = app_layers.output_of(core, read["application_output"])
            elif core.outputs and core.outputs[0] is not None and core.status != "unbuilt":
                out = core.outputs[0]
            else:
                raise _Fail(Problem("KC901", f"{layer.name}: " + ("; ".join(core.reasons) or "its numbers are "
                                                                  "not known"), False))
            if node is self.first_node.get(layer.uid):
                self._weights[layer.uid] = _apply_submodel(self, layer, shapes, core)[1]
            return out
        if layer.operation:  # an operation's spec reads its tensor operands' shapes by ref
            out, weights = run(_spec(layer), layer, dict(zip(node.inputs, shapes)), "output"), Weights()
        else:
            self.check_built_input(layer, node, shapes)
            out, weights = apply(self, layer, shapes, node.list_input, node.call_kwargs)
        if node is self.first_node.get(layer.uid):
            self._weights[layer.uid] = weights
        return out

    def check_built_input(self, layer: LayerDef, node: Node, shapes: Any) -> None:
        """A later call of a layer object Keras built at its first call: the input must match the axes its
        InputSpec then fixed (``LayerSpec.input_axes``), or Keras raises ("is incompatible with the layer")."""
        first = self.first_node.get(layer.uid)
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if layer.built_shape is None and (first is None or first is node) or spec is None or \
                spec.input_axes is None or node.list_input:
            return
        try:
            built = layer.built_shape if layer.built_shape is not None else self.input_shapes(first)
            ndim, axes = spec.input_axes(config(spec, layer), built)
        except (_Fail, ShapeError, Unresolved, TypeError, ValueError, IndexError):
            return  # the first call fails or is not known: it says so itself
        if not isinstance(shapes, tuple):
            return
        problem = None
        if ndim is not None and len(shapes) != ndim:
            problem = f"expected ndim={ndim}, found ndim={len(shapes)}"
        for axis, size in axes.items():
            if problem is None and not -len(shapes) <= axis < len(shapes):
                problem = f"expected axis {axis} of input shape to have value {size}"
            elif problem is None and size is not None and shapes[axis] is not None and shapes[axis] != size:
                if isinstance(size, Expr) or isinstance(shapes[axis], Expr):
                    raise _Fail(Problem("KC901", f"{layer.name}: whether this call's input {shapes} matches the one "
                                        f"it was built on ({built}) is not known", False))
                problem = f"expected axis {axis} of input shape to have value {size}"
        if problem is not None:
            raise _Fail(Problem(IncompatibleInput.CODE, f"{layer.name} ({layer.type}) was built on input "
                                f"{catalogue.spec.show_shape(built)} at its first call; this call's input "
                                f"{catalogue.spec.show_shape(shapes)} does not match ({problem})", True))

    def built_on(self, index: int, shapes: Any) -> ModelResult:
        """An input-less Sequential built by a call on ``shapes`` (memoised: read for shapes and for costs)."""
        key = (index, tuple(shapes) if isinstance(shapes, list) else shapes)
        if key not in self._built_on:
            self._built_on[key] = infer_model(self, self.ir.models[index], given_input=shapes)
        return self._built_on[key]

    # -- weights ----------------------------------------------------------
    def weights(self, layer: LayerDef) -> Weights:
        if layer.type == "InputLayer":
            return Weights()
        first = self.first_node.get(layer.uid)
        if first is None and layer.built_shape is not None:
            if layer.uid not in self._weights:  # built by a custom layer's build, never called
                _known_build(layer)
                self._weights[layer.uid] = _trainable(layer, run(_spec(layer), layer, layer.built_shape, "weights"))
            return self._weights[layer.uid]
        if first is None:
            raise _Fail(Problem("KC901", f"{layer.name} is never called on a tensor", False))
        self.output(first)
        return self._weights[layer.uid]

    def app_core(self, index: int) -> ModelResult:
        """An application's own layers on the tensor they were applied to: the model itself, except for one
        built on ``input_tensor=`` made by other layers (the model then starts at that tensor's source inputs
        and holds those layers too, :func:`_application`)."""
        model = self.ir.models[index]
        if not _after_layers(self.ir, model):
            return self.model(index)
        if index not in self._app_cores:
            self._app_cores[index] = _application_core(self, model)
        return self._app_cores[index]

    def model(self, index: int) -> ModelResult:
        if index not in self._models:
            if index in self._active:
                raise _Fail(Problem("KC901", "a model contains itself", False))
            self._active.add(index)
            try:
                result = infer_model(self, self.ir.models[index])
                why = self.untraced.get(index) if result.status == "unbuilt" else None
                if why is not None:
                    result = replace(result, status="unknown", reasons=(why,))
                self._models[index] = result
            finally:
                self._active.discard(index)
        return self._models[index]


def _wrapped(layer: LayerDef) -> Optional[Tuple[LayerDef, ...]]:
    """The layer objects ``layer`` uses itself (``catalogue.held_layers``: their weights are its own), or None.
    Bidirectional's forward ``layer`` is not one: Keras makes a copy of it from its config."""
    return catalogue.held_layers(layer) or None


def _layer_facts(layers: Sequence[LayerDef], previous: Optional[FileContext],
                 replaced: Optional[Sequence[int]] = None) -> Tuple[List[Any], List[bool], set]:
    """``_wrapped`` of each layer, whether it holds a model, and the layers whose ``_wrapped`` is not None, computed
    anew only for the layers that are not the same objects as in ``previous`` (a layer whose flag was set is a new
    object): those of ``replaced`` when it is given (``previous``'s tables are then updated in place), else those
    found by comparing."""
    if previous is None:
        wrapped = [_wrapped(layer) for layer in layers]
        return wrapped, [layer.submodel is not None for layer in layers], \
            set(itertools.compress(range(len(wrapped)), map(operator.is_not, wrapped, itertools.repeat(None))))
    if replaced is not None and len(previous._wrapped_of) <= len(layers):
        wrapped, holds, wrappers = previous._wrapped_of, previous._holds_model, previous._wrappers
        changed: Iterable[int] = (i for i in replaced if i < len(wrapped))
    else:
        wrapped, holds = previous._wrapped_of[:len(layers)], previous._holds_model[:len(layers)]
        wrappers = {i for i in previous._wrappers if i < len(layers)}
        changed = itertools.compress(range(len(wrapped)), map(operator.is_not, previous.ir.layers, layers))
    for i in changed:
        wrapped[i], holds[i] = _wrapped(layers[i]), layers[i].submodel is not None
        if wrapped[i] is None:
            wrappers.discard(i)
        else:
            wrappers.add(i)
    for layer in layers[len(wrapped):]:
        w = _wrapped(layer)
        if w is not None:
            wrappers.add(len(wrapped))
        wrapped.append(w)
        holds.append(layer.submodel is not None)
    return wrapped, holds, wrappers


def _shared_wrapped(ir: FileIR, called: Dict[int, Node], wrapped: List[Any], indices: Iterable[int]) -> \
        Dict[int, LayerDef]:
    """Wrapped layer objects that are also used elsewhere (called, in a Sequential, or in another
    wrapper), by the uid of each wrapper of one: Keras shares the object's weights between the uses
    (``model.summary()`` counts them once) and builds it on its first input, which is not followed.
    ``wrapped``: ``_wrapped`` of each layer of ``ir``; ``indices``: the layers whose ``wrapped`` is not None."""
    wrappers: Dict[int, List[LayerDef]] = {}
    for i in sorted(indices):
        for inner in wrapped[i]:
            wrappers.setdefault(inner.uid, []).append(ir.layers[i])
    if not wrappers:
        return {}
    listed = None  # (the layers of Sequential and functional models: made only for a layer wrapped once, not called)

    def in_listed(uid: int) -> bool:
        nonlocal listed
        if listed is None:
            listed = {uid for m in ir.models if m.kind != "subclassed" for uid in m.layers}
        return uid in listed

    out = {w.uid: ir.layers[uid] for uid, users in wrappers.items()
           if len(users) > 1 or uid in called or in_listed(uid) for w in users}
    todo = list(out)
    while todo:  # a wrapper held by another (an RNN's StackedRNNCells) shares what it holds through that one
        held = todo.pop()
        for holder in wrappers.get(held, ()):
            if holder.uid not in out:
                out[holder.uid] = out[held]
                todo.append(holder.uid)
    return out


_UID = operator.attrgetter("uid")
_LAYER = operator.attrgetter("layer")
#: ``bytes.translate`` table of ``FileContext._eager``: 1 for a node in no call run, 0 for one in a run.
_UNMARKED = bytes((1, 0)) + bytes(254)


def _untraced(ir: FileIR, called: Callable[[int], bool], seeds: Optional[List[int]] = None) -> Dict[int, str]:
    """Models made inside a custom layer whose ``call`` was not traced though a model holds it or it is
    called, by index: Keras builds them when it runs the layer, which is not followed (they are not
    "unbuilt", but unknown). ``called``: whether the layer of a uid is called on tensors; ``seeds``: the uids of the
    layers holding a custom layer's model whose call has no outputs, in order, when the caller knows them."""
    used = None  # (the layers models hold: made only for a holder not called)

    def is_used(uid: int) -> bool:
        nonlocal used
        if called(uid):
            return True
        if used is None:
            used = {uid for m in ir.models for uid in m.layers}
        return uid in used

    models = ir.models
    out: Dict[int, str] = {}
    layers = ir.layers if seeds is None else map(ir.layers.__getitem__, seeds)
    stack = [(l.submodel, f"it is built when Keras runs the custom layer `{l.name}`, which is not followed")
             for l in layers if l.submodel is not None and models[l.submodel].custom_layer and
             not models[l.submodel].outputs and is_used(l.uid)]
    while stack:
        index, why = stack.pop()
        for uid in ir.models[index].layers:
            inner = ir.layers[uid].submodel if 0 <= uid < len(ir.layers) else None
            if inner is not None and inner not in out and not weightless(ir.models[inner]):
                out[inner] = why
                stack.append((inner, why))
    return out


def apply(ctx: "FileContext", layer: LayerDef, shapes: Any, list_input: bool,
          call: Tuple[Tuple[str, Any], ...] = ()) -> Tuple[Any, Weights]:
    """Output shape and weights of ``layer`` called on ``shapes``: a catalogue layer or a nested model."""
    if layer.submodel is not None:
        return _apply_submodel(ctx, layer, shapes)
    shared = ctx.shared_wrapped.get(layer.uid)
    if shared is not None:
        raise _Fail(Problem("KC901", f"{layer.name}: the layer it wraps, `{shared.name}`, is also used elsewhere; "
                            "Keras shares its weights between the uses (not followed)", False))
    if layer.type == "TimeDistributed" and layer.known:
        held = catalogue.held_layers(layer)
        if len(held) == 1 and held[0].submodel is not None:
            return _time_distributed_model(ctx, layer, held[0], shapes, list_input)
    spec = _spec(layer)
    # Lambda passes whatever it is called on to its function: one tensor or a list of them.
    if spec.multi_input != list_input and layer.type not in ("InputLayer", "Lambda") and not spec.call_inputs:
        if spec.multi_input:
            raise _Fail(Problem(MergeMismatch.CODE, f"{layer.type} must be called on a list of tensors", True))
        raise _Fail(Problem(IncompatibleInput.CODE, f"{layer.type} is called on a list of {len(shapes)} tensors", True))
    out = run(spec, layer, shapes, "output", call)
    if layer.built_shape is not None:  # built by a custom layer's build on that shape: its weights are for it
        _known_build(layer)
        built = run(spec, layer, layer.built_shape, "weights")
        if built != run(spec, layer, shapes, "weights", call):
            # Keras does not build it again: whether this call works with weights made for another input is not known
            raise _Fail(Problem("KC901", f"{layer.name} is built for {catalogue.spec.show_shape(layer.built_shape)} "
                                f"and called on {catalogue.spec.show_shape(shapes)}, which would give it other "
                                "weights (Keras does not build it again): not followed", False))
        return out, _trainable(layer, built)
    return out, _trainable(layer, run(spec, layer, shapes, "weights", call))


def _time_distributed_model(ctx: "FileContext", layer: LayerDef, inner: LayerDef, shapes: Any,
                            list_input: bool) -> Tuple[Any, Weights]:
    """``TimeDistributed(model)`` on ``shapes``: Keras runs the model on each step (the input without its time axis)
    and its output shape is ``(child[0], time, *child[1:])``; its weights are the model's. Followed for a functional
    or Sequential model with one output, whose layers no other model of the file holds (Keras would count shared
    weights once: not followed), with no variable whose flag differs from the model's split."""
    def fail(why: str) -> _Fail:
        return _Fail(Problem("KC901", f"{layer.name}: {why}", False))

    model = ctx.ir.models[inner.submodel]
    if model.kind not in ("functional", "sequential", "application") or model.custom_layer:
        raise fail(f"TimeDistributed wrapping the {model.kind} model `{inner.name}` is not followed")
    if list_input or not isinstance(shapes, tuple) or len(shapes) < 3:
        raise fail(f"TimeDistributed wrapping the model `{inner.name}` needs one input of rank at least 3 (not "
                   "followed here)")
    if model.kind == "sequential" and model.input_layer is None and not model.implicit_input and \
            model.built_by_node is None and model.build_shape is None:
        raise fail(f"TimeDistributed builds the Sequential model `{inner.name}` on one step, which is not followed")
    uids, nested = _nested_layers(ctx, inner.submodel)
    reached = {uid for index in nested if ctx.ir.models[index].kind == "application"
               for uid in ctx.ir.models[index].app_layers}
    if any(ctx.first_node.get(uid) is not None for uid in reached):
        # a layer of the wrapped application called on its own (`base.get_layer(name)(x)`): Keras counts its
        # weights once where both are in one model (not followed)
        raise fail(f"a layer of the model `{inner.name}` it wraps is also called on its own; Keras shares its "
                   "weights between the uses (not followed)")
    for index, other in enumerate(ctx.ir.models):
        if other.kind == "subclassed" or index in nested:
            continue
        if any(uid in uids for uid in other.layers) or \
                any(ctx.first_node.get(uid) is not ctx.last_node.get(uid) for uid in uids):
            raise fail(f"a layer of the model `{inner.name}` it wraps is also used elsewhere; Keras shares its weights "
                       "between the uses (not followed)")
    result = _submodel_result(ctx, inner, (shapes[0], *shapes[2:]))
    if variable_split(result) != (result.trainable, result.non_trainable):
        raise fail(f"the model `{inner.name}` it wraps has variables whose flags differ from its own (not followed)")
    child, weights = _apply_submodel(ctx, inner, (shapes[0], *shapes[2:]), result)
    if not isinstance(child, tuple) or not child or isinstance(child[0], tuple):
        raise fail(f"TimeDistributed wrapping the model `{inner.name}`, whose output is not one tensor, is not followed")
    return (child[0], shapes[1], *child[1:]), _trainable(layer, weights)


def _nested_layers(ctx: "FileContext", index: int) -> Tuple[set, set]:
    """The uids of the layers of model ``index`` (InputLayers aside), through the models it holds, and the indices
    of those models (``index`` too): a functional model's are those of its graph (``build_map``)."""
    ir = ctx.ir
    uids: set = set()
    models = {index}
    stack = [index]
    while stack:
        model = ir.models[stack.pop()]
        listed = model.layers
        if model.kind == "application":
            # the layers of the application the code reached (`base.get_layer(name)`, `base.layers`): another model
            # calling one of them shares its weights with the wrapped application
            listed = (*model.layers, *model.app_layers)
        if model.kind == "functional":
            try:
                listed = tuple(build_map(ctx, model.inputs, model.outputs))
            except (_Fail, ShapeError, Unresolved, RecursionError, IndexError, TypeError):
                raise _Fail(Problem("KC901", "the layers of a model TimeDistributed wraps are not known", False))
        for uid in listed:
            layer = ir.layers[uid] if 0 <= uid < len(ir.layers) else None
            if layer is None:
                continue
            if layer.submodel is not None and layer.submodel not in models:
                models.add(layer.submodel)
                stack.append(layer.submodel)
            elif layer.type != "InputLayer":
                uids.add(uid)
    return uids, models


def _apply_submodel(ctx: "FileContext", layer: LayerDef, shapes: Any,
                    result: Optional[ModelResult] = None) -> Tuple[Any, Weights]:
    result = _submodel_result(ctx, layer, shapes) if result is None else result
    outputs = result.outputs
    out = outputs[0] if len(outputs) == 1 else tuple(outputs)
    return out, Weights(trainable=result.trainable, non_trainable=result.non_trainable,
                        total=result.total if result.trainable is None or result.non_trainable is None else None)


def variable_split(result: ModelResult) -> Tuple[Count, Count]:
    """A nested model's (trainable, non-trainable) as the model holding it counts them: by its variables'
    flags (Keras's ``trainable_weights`` filters ``weights`` by ``v.trainable``; only the nested model's own
    ``trainable_weights`` is empty when it is frozen)."""
    return result.variables if result.variables is not None else (result.trainable, result.non_trainable)


def _runs_again_on(declared: List[Any], given: List[Any]) -> bool:
    """Does a model built for ``declared`` (one input) take ``given`` with the weights it has: the same rank, and
    each dimension the same, or the batch, or one the model was built without (None)? Weights depend on no such
    dimension (Keras could not have built them), so running its layers on ``given`` gives Keras's shapes."""
    if len(declared) != 1 or len(given) != 1:
        return False
    (d,), (g,) = declared, given
    return (isinstance(d, tuple) and isinstance(g, tuple) and len(d) == len(g) and len(d) > 1
            and all(i == 0 or a is None or a == b for i, (a, b) in enumerate(zip(d, g))))


def _each_runs_again_on(declared: List[Any], given: List[Any]) -> bool:
    """``_runs_again_on`` for each input of a model of one or more inputs (a siamese network's pair, called on arrays
    inside a subclassed model's ``call``): as many given as declared, each taken with the weights there are."""
    return len(declared) == len(given) >= 1 and all(_runs_again_on([d], [g]) for d, g in zip(declared, given))


def _symbols_agree(declared: List[Any], given: List[Any]) -> Optional[List[str]]:
    """For a model built for ``declared`` (one input) and called on ``given``: where they differ only by sizes of
    ``declared`` that are symbols (and what ``_runs_again_on`` allows), those sizes and the values they must have
    (``X.shape[1] = 2048``); None otherwise."""
    if len(declared) != 1 or len(given) != 1:
        return None
    (d,), (g,) = declared, given
    if not (isinstance(d, tuple) and isinstance(g, tuple) and len(d) == len(g) and len(d) > 1):
        return None
    pairs = []
    for i, (a, b) in enumerate(zip(d, g)):
        if i == 0 or a is None or a == b:
            continue
        if not isinstance(a, Expr) or b is None:
            return None
        pairs.append(f"{catalogue.spec.show_shape((a,))[1:-2]} = {catalogue.spec.show_shape((b,))[1:-2]}")
    return pairs or None


def _adjusted_ranks(ctx: "FileContext", layer: LayerDef, shapes: Any) -> Any:
    """What a functional model called inside a ``call`` run (a subclassed model's, a custom layer's) is given, as
    Keras's ``Functional.call`` adjusts it there (``_adjust_input_rank``; a call on symbolic tensors outside such a
    run does not): a tensor of one rank less than the input it was built for, whose last size is 1, gets that
    axis; one of one rank more whose own last size is 1 loses it. ``shapes`` itself for anything else."""
    model = ctx.ir.models[layer.submodel]
    if model.kind != "functional" or model.unresolved is not None:
        return shapes
    try:
        declared = [ctx.tensor(r) for r in model.inputs]
    except _Fail:
        return shapes
    given = shapes if isinstance(shapes, list) else [shapes]
    if len(given) != len(declared):
        return shapes
    out = []
    for d, g in zip(declared, given):
        if isinstance(d, tuple) and isinstance(g, tuple) and d and g:
            if len(g) == len(d) - 1 and d[-1] == 1:
                g = (*g, 1)
            elif len(g) == len(d) + 1 and g[-1] == 1:
                g = g[:-1]
        out.append(g)
    return out if isinstance(shapes, list) else out[0]


def _functional_again(ctx: "FileContext", model: ModelDef, given: List[Any]) -> Optional[Tuple[Any, ...]]:
    """The output shapes of the functional ``model`` run again on ``given``, a shape for each of its inputs
    (``_each_runs_again_on``), as
    Keras's ``Functional.call`` runs each layer of its graph on what the layers before it give: None when that is
    not followed here (a nested model, an application's tensor, a layer whose weights would differ, any shape not
    known, an input Keras would reject, a ``Lambda``, whose function the analysis traced on the shapes the model
    was built for). Each layer keeps the weights it was built with."""
    if len(model.inputs) != len(given) or len({ref.node for ref in model.inputs}) != len(given):
        return None
    shapes: Dict[int, Any] = {ref.node: shape for ref, shape in zip(model.inputs, given)}
    seen = 0

    def out(ref: TensorRef) -> Any:
        nonlocal seen
        if ref.node not in shapes:
            seen += 1
            node = ctx.ir.node(ref.node)
            layer = ctx.ir.layer(node.layer)
            if seen > 10000 or not node.inputs or node.graph_inputs or node.constants or layer.submodel is not None or \
                    layer.type == "Lambda" or any(k == "application_output" or k.startswith("traced")
                                                  for k, _ in node.call_kwargs) or \
                    layer.kwarg("application_output") is not None:
                # (a Lambda's function runs again on the new shapes: what the analysis traced was for the old ones)
                raise _Fail(Problem("KC901", "not followed", False))
            ins = [out(r) for r in node.inputs]
            given_in = ins if node.list_input else ins[0]
            if layer.operation:
                shapes[ref.node] = run(_spec(layer), layer, dict(zip(node.inputs, ins)), "output")
            else:
                ctx.check_built_input(layer, node, given_in)
                shape, weights = apply(ctx, layer, given_in, node.list_input, node.call_kwargs)
                if weights != ctx.weights(layer):
                    raise _Fail(Problem("KC901", "other weights", False))
                shapes[ref.node] = shape
        shape = shapes[ref.node]
        return shape[ref.index] if shape and isinstance(shape[0], tuple) else shape

    try:
        found = tuple(out(r) for r in model.outputs)
    except (_Fail, ShapeError, Unresolved, RecursionError):
        return None
    if not all(isinstance(s, tuple) and all(d is None or type(d) is int or isinstance(d, Expr) for d in s)
               for s in found):
        return None
    return found


def _submodel_result(ctx: "FileContext", layer: LayerDef, shapes: Any) -> ModelResult:
    """The nested model ``layer`` called on ``shapes``, or raise ``_Fail``."""
    model = ctx.ir.models[layer.submodel]
    if model.kind == "subclassed":
        return _subclassed_call(ctx, layer, shapes)
    if model.kind == "sequential" and model.input_layer is None and not model.implicit_input:
        if not model.layers and model.unresolved is None:
            raise _Fail(Problem(InvalidArguments.CODE, f"Sequential model {layer.name} is called but has no layers: "
                                "Keras cannot build it (\"cannot be built because it has no layers\"); add its "
                                "layers before calling it", True))
        result = ctx.built_on(layer.submodel, shapes)
    else:
        result = ctx.model(layer.submodel)
        declared = list(result.inputs or ())
        given = shapes if isinstance(shapes, list) else [shapes]
        called = _application_called_on(model, result, given) if model.kind == "application" else None
        if called is not None:
            result = called
        elif result.status not in ("unknown", "unbuilt") and declared != given:
            from .catalogue import applications  # (imported when a file has applications: start-up stays short)

            if model.kind == "application" and applications.incompatible_inputs(declared, given):
                raise _Fail(Problem(ApplicationInputMismatch.CODE,
                                    applications.input_mismatch(model.application, layer, declared, given), True))
            agree = _symbols_agree(declared, given) if model.kind == "sequential" else None
            if model.kind == "sequential" and _runs_again_on(declared, given):
                # Keras runs the built Sequential's layers again on what it is given (Functional.call): the same
                # weights, the outputs of these shapes
                result = ctx.built_on(layer.submodel, shapes)
            elif agree:
                # Built for a size from data (`input_dim=X.shape[1]`) and called on a tensor of a known size: Keras
                # raises unless they agree (its weights were made for the first), and where they do, its numbers are
                # those of the Sequential built on what it is given; the models holding it assume so.
                result = ctx.built_on(layer.submodel, shapes)
                known = ctx.call_assumes.setdefault(layer.uid, [])
                known.extend(f"{layer.name}: {pair}" for pair in agree if f"{layer.name}: {pair}" not in known)
            elif model.kind == "functional" and _each_runs_again_on(declared, given):
                outputs = _functional_again(ctx, model, given)
                if outputs is None:
                    raise _Fail(Problem("KC901", f"{layer.name} (built for {_shapes(declared)}) is called on {_shapes(given)}: Keras "
                                        "runs its layers again on these shapes, which the analysis does not follow "
                                        "for this functional model", False))
                # The same weights; the outputs of these shapes. The per-sample costs are those of the shapes it
                # was built for only where no size but the batch differs.
                same = all(a == b for d, g in zip(declared, given) for a, b in zip(d[1:], g[1:]))
                result = replace(result, inputs=tuple(given), outputs=outputs) if same else \
                    replace(result, inputs=tuple(given), outputs=outputs, macs=None, activations=None,
                            activation_bytes=None)
            else:
                raise _Fail(Problem("KC901", f"{layer.name} is called on {_shapes(given)} but was built for {_shapes(declared)}",
                                    False))
    if (result.status in ("unknown", "unbuilt") and not _split_only_unknown(result)) or not result.outputs:
        why = "; ".join(result.reasons) or "its numbers are not known"
        raise _Fail(Problem("KC901", f"nested model {layer.name}: {why}", False))
    return result


#: Applications whose stride-2 blocks pad by the parity of the size they are built for (Keras's
#: ``imagenet_utils.correct_pad``): built for an open size, they pad as for even sizes, so a call on a size
#: that some block sees odd gives another output than the same application built for that size.
_PARITY_PADDED = ("MobileNetV2", "MobileNetV3", "EfficientNetB")


def _application_called_on(model: ModelDef, result: ModelResult, given: List[Any]) -> Optional[ModelResult]:
    """An application built for sizes it leaves open (None), called as a layer on a tensor that fixes them
    (``VGG16(include_top=False)`` on ``keras.Input((180, 180, 3))``): Keras runs its layers on that tensor,
    so the call's output is the application's at that size, and its weights stay the model's (they do not
    depend on the size: not NASNet, whose do; MobileNetV2/V3 and EfficientNet only on sizes that are multiples
    of 32, :data:`_PARITY_PADDED`). The batch may differ (a call on a batch of data). None where that is not the
    case or not sure: the call is then checked as any other."""
    declared = list(result.inputs or ())
    if result.status not in ("exact", "symbolic") or declared == given or model.app_input is not None or \
            not _runs_again_on(declared, given):
        return None
    want, got = declared[0], given[0]
    if any(not (g is None or isinstance(g, int)) for g in got[1:]):
        return None  # (the batch may be a symbol: a Sequential built on the first batch of a folder's images)
    if want[0] is None and want[1:] == got[1:]:
        out = result.outputs[0] if result.outputs and len(result.outputs) == 1 else None
        # only the batch differs (a Sequential built on a batch of data): the same layers at the same sizes, for
        # every application (NASNet too); the output has the batch of the tensor it is called on
        return replace(result, outputs=((got[0], *out[1:]),)) if isinstance(out, tuple) and out else None
    from .catalogue import applications

    name, args, kwargs = model.application
    spec = applications.lookup(name)
    names = [a.name for a in spec.signature] if spec is not None else []
    if spec is None or spec.data.get("size_dependent_params") or "input_shape" in names[:len(args)]:
        return None
    if spec.name.startswith(_PARITY_PADDED) and any(g is None or g % 32 for g in got[1:3]):
        return None  # padding chosen for an open size, which is the one for even sizes only
    try:
        built = applications.evaluate(spec, args, dict(kwargs))
        called = applications.evaluate(spec, args, dict(kwargs, input_shape=tuple(got[1:])))
    except (ShapeError, Unresolved):
        return None
    if built.input_shape[1:] != want[1:] or \
            (called.trainable, called.non_trainable) != (built.trainable, built.non_trainable):
        return None
    out = called.output_shape  # (a batch of data: Keras's output has its size)
    return replace(result, outputs=((got[0], *out[1:]) if isinstance(out, tuple) and out else out,))


def _split_only_unknown(result: ModelResult) -> bool:
    """A model whose shapes and total are known, only not its trainable/non-trainable split: a model holding it
    keeps its shapes and counts (and its own split is unknown)."""
    return result.status == "unknown" and result.total is not None and result.model.unresolved is None and \
        bool(result.outputs) and all(o is not None for o in result.outputs) and \
        (result.trainable is None or result.non_trainable is None)


def _split_reason(layer: LayerDef) -> str:
    flag = layer.kwarg("trainable", True)
    if isinstance(flag, Unknown):
        return flag.reason
    if layer.submodel is not None:
        return f"nested model {layer.name}: its trainable split is not known"
    return f"{layer.name}: its trainable split is not known"


#: How the problem of an InputLayer called on a tensor starts (rules/legacy.py: Keras 1/2 passed the tensor through).
INPUT_LAYER_CALLED = "InputLayer "


def _spec(layer: LayerDef) -> LayerSpec:
    spec = catalogue.operation(layer.type) if layer.operation else catalogue.lookup(layer.type) if layer.known \
        else None
    if spec is None and layer.type.split(".")[0] in ("keras_hub", "keras_nlp", "keras_cv"):
        raise _Fail(Problem("KC901", f"unknown layer `{layer.type}`: KerasHub/KerasNLP layers and presets "
                            "(weights downloaded by name) are not analysed", False))
    if spec is None and layer.type.split(".")[0] == "tensorflow_hub":
        raise _Fail(Problem("KC901", f"unknown layer `{layer.type}`: a TensorFlow Hub model loaded from its URL (its "
                            "layers and weights are not in the source)", False))
    if spec is None and layer.kwarg("application_layer") is not None:
        raise _Fail(Problem("KC901", f"{layer.name} ({layer.type}), a keras.applications model's layer, is called on "
                            "another tensor: followed only for a layer of one input whose configuration is stored",
                            False))
    if spec is None:
        left = catalogue.unknown.reason(layer.type)
        gone = catalogue.unknown.removed(layer.type)
        what = f"unknown layer `{layer.type}`" if not layer.type[:1].isupper() or "." in layer.type or "(" in \
            layer.type else f"layer `{layer.type}` is left unknown (keras.layers.{layer.type}: {left})" if left \
            else gone if gone else f"layer `{layer.type}` is not in the catalogue yet"
        raise _Fail(Problem("KC901", what if layer.why is None else f"layer {layer.why}", False))
    return spec


def _activation_known(name: str) -> bool:
    global _applications
    if _applications is None:
        # (its table of Keras's activations; imported on first use, then kept: a function-level import looks the
        # package up at every call, and this is asked for every activation)
        from .catalogue import applications as _applications
    return _applications.activation_known(name)


_applications: Any = None
#: Argument name -> whether it takes an activation, initializer, regularizer or constraint identifier (by its name).
_IDENTIFIER_ARGS: Dict[str, bool] = {}


def _activation_names(args: Any) -> None:
    """An activation, initializer, regularizer or constraint named by a string Keras does not know
    (``activation="Relu"``, ``kernel_initializer="He_Normal"``): Keras's constructor raises "Could not interpret
    ... identifier", unless the file registers a custom object of that name (``get_custom_objects().update(...)``),
    which the analysis does not follow: the layer is left unknown. With them, the functions of the file Keras cannot
    rebuild or clone (``_functions_keras_cannot_rebuild``): constructor errors too, whatever the input."""
    for name in ("activation", "recurrent_activation"):
        value = args.raw(name)
        if isinstance(value, str) and not _activation_known(value):
            raise Unresolved(f"`{name}={value!r}` is not one of Keras's activations: Keras rejects it (\"Could not "
                             "interpret activation function identifier\") unless a custom object of that name is "
                             "registered")
    dtype = identifiers.dtype_problem(args.raw("dtype"))
    if dtype is not None:
        raise Unresolved(dtype)
    _functions_keras_cannot_rebuild(args)
    given = args.raw("name")
    if given is not None and not isinstance(given, (Unknown, Expr)) and (not isinstance(given, str) or "/" in given):
        raise InvalidArguments(f"`name` must be a string without '/', got {given!r} (Keras: Argument `name` must "
                               "be a string and cannot contain character `/`)")
    for name, value in args.raw_items():
        checked = _IDENTIFIER_ARGS.get(name)
        if checked is None:
            checked = _IDENTIFIER_ARGS[name] = name in ("activation", "recurrent_activation") or \
                identifiers.unknown_identifier(name, "") is not None
        if not checked:
            continue
        if isinstance(value, (int, float)):
            if isinstance(value, NumpyInt) and name.endswith("_initializer"):
                raise Unresolved(f"`{name}` is a NumPy integer, which Keras takes as the values of the weight "
                                 "(its shape must then be the weight's)")
            # activations.get(5), initializers.get(0.01)...: not a name, a dict or a callable (Keras 2 and 3)
            kind = "activation function" if name.endswith("activation") else name.rsplit("_", 1)[-1]
            article = "an" if kind[0] in "ai" else "a"
            raise InvalidArguments(f"`{name}={value!r}` is not {article} {kind}: Keras rejects it (\"Could not interpret "
                                   f"{kind} identifier: {value!r}\")")
        if type(value) is tuple:
            _constant_config(name, value)
        kind = identifiers.unknown_identifier(name, value) if isinstance(value, str) else None
        if kind is not None:
            raise Unresolved(f"`{name}={value!r}` is not one of Keras's {kind} names: Keras rejects it (\"Could not "
                             f"interpret {kind} identifier\") unless a custom object of that name is registered")


def _constant_config(name: str, value: Tuple[Any, ...]) -> None:
    """An initializer given as a config dict, ``{"class_name": "Constant", "config": {"value": v}}`` (keras_applications'
    ResNeXt gives its grouped convolution a fixed kernel so): Keras 3's ``Constant.from_config`` reads ``v`` back as a
    serialized object, which must be a Python str, int, float, bool, list, tuple, dict or None; a NumPy array or a
    NumPy integer makes it raise TypeError ("Could not parse config"), and a NumPy float does unless it is a float64
    (a subclass of Python's float), which the analysis does not tell apart."""
    if not name.endswith("_initializer"):
        return
    items = _pairs(value)
    if items is None or items.get("class_name") not in ("Constant", "constant"):
        return
    config = _pairs(items.get("config"))
    given = config.get("value") if config is not None else None
    if isinstance(given, (ArrayArgument, ConstantArray)) or isinstance(given, NumpyInt):
        what = "a NumPy array" if not isinstance(given, NumpyInt) else "a NumPy integer"
        raise InvalidArguments(f"`{name}` is a Constant initializer's config whose value is {what}, which Keras 3 "
                               "cannot read back from a config (TypeError: \"Could not parse config\"): give "
                               "keras.initializers.Constant(value) itself")
    if isinstance(given, NumpyFloat):
        raise Unresolved(f"`{name}` is a Constant initializer's config whose value is a NumPy float: Keras 3 reads it "
                         "back only if it is a float64 (a float32 raises TypeError), which the analysis does not know")


def _pairs(value: Any) -> Optional[Dict[str, Any]]:
    """A dict as the analysis freezes it, a tuple of (key, value) pairs, as a dict; else None."""
    if type(value) is not tuple or not all(type(p) is tuple and len(p) == 2 and isinstance(p[0], str) for p in value):
        return None
    return dict(value)


#: Initializer arguments whose weight a Keras 3 layer makes only under one of its flags (the flag's name).
_MADE_IF = {"bias_initializer": "use_bias", "gamma_initializer": "scale", "beta_initializer": "center"}
#: Initializer arguments whose weight every Keras 3 layer that takes them makes when it is built.
_ALWAYS_MADE = frozenset({"kernel_initializer", "recurrent_initializer", "embeddings_initializer",
                          "depthwise_initializer", "pointwise_initializer", "moving_mean_initializer",
                          "moving_variance_initializer", "alpha_initializer"})


#: Layers whose build clones their kernel and bias initializers as initializer objects
#: (``initializer.__class__.from_config(initializer.get_config())``, Keras 3.15).
_CLONED_INITIALIZERS = frozenset({"MultiHeadAttention", "GroupedQueryAttention"})


def _functions_keras_cannot_rebuild(args: Any) -> None:
    """Functions of the file where Keras needs more of them than a call:

    - ``Bidirectional(layer)`` rebuilds ``layer`` twice from its serialized config when it is made; a function of
      the file among the layer's arguments (an activation, an initializer, a regularizer) is saved by name, and Keras
      finds it again only if it is registered as a custom object (TypeError or ValueError otherwise; tf.keras 2's
      "Unknown activation function" too). Said only where the analysed code never names a way to register one.
    - ``MultiHeadAttention`` and ``GroupedQueryAttention`` clone their kernel and bias initializers with
      ``__class__.from_config``, which a plain function has not (AttributeError when the layer is built)."""
    spec = args.layer_spec
    if spec.name == "Bidirectional":
        inner = args.raw("layer")
        if isinstance(inner, LayerDef):
            for name, value in (*zip(("#",) * len(inner.args), inner.args), *inner.kwargs):
                if isinstance(value, FileFunction) and not value.registered:
                    given = f"`{name}`" if name != "#" else "an argument"
                    raise InvalidArguments(f"Bidirectional: Keras rebuilds the {inner.type} it wraps from its config, "
                                           f"and {given} of it is a function of the file, which Keras cannot find "
                                           "by name there unless it is registered (TypeError or ValueError): "
                                           "decorate it with @keras.saving.register_keras_serializable()")
    elif spec.name in _CLONED_INITIALIZERS:
        for name in ("kernel_initializer", "bias_initializer"):
            if isinstance(args.raw(name), FileFunction):
                raise InvalidArguments(f"{spec.name}: Keras clones `{name}` as an initializer object "
                                       "(`__class__.from_config`), which a plain function is not (AttributeError "
                                       "when the layer is built): give a keras.initializers.Initializer subclass")


def _initializer_calls(spec: LayerSpec, args: Any) -> None:
    """A function of the file given as an initializer that Python cannot call as Keras 3 does, ``f(shape,
    dtype=...)`` (``def init(shape, name=None)``, written for Keras 1): Keras raises TypeError when the layer is
    built and makes that weight. Where the weight may not be made (a flag not known, an argument not listed here),
    nothing is said: the value is not followed, as before."""
    for name, value in args.raw_items():
        if type(value) is not RejectedCall:
            continue
        flag = _MADE_IF.get(name)
        if flag is not None:
            default = next((a.default for a in spec.signature if a.name == flag), None)
            made = args.raw(flag, default)
            if type(made) not in (bool, int) or not made:
                continue
        elif name not in _ALWAYS_MADE:
            continue
        call = f"`{value.callee}(shape, dtype=...)`" if value.callee else "a call `(lambda)(shape, dtype=...)`"
        raise InvalidArguments(f"{spec.name}: Keras 3 makes the weight with {call} of its `{name}`, and Python "
                               f"rejects that call ({value.error}); give the function a `dtype=None` parameter")


#: What ``run`` gave for a layer config and input shapes, by a strict key of them (``_strict``): files build the same
#: layer on the same shapes again and again (a builder function called per model, a block per stage, a backbone run
#: again with its parameters bound), and the catalogue's answer depends on nothing else. Only answers made of ints,
#: None, tuples, Exprs and Weights of them are kept; a failure is computed again (its message names the layer).
_RUN_MEMO: Dict[Tuple[Any, ...], Any] = {}
_RUN_MEMO_MAX = 20000
#: The types of a key's atoms kept as (type, value): equal values of one of these types are the same value.
_KEY_PLAIN = frozenset({int, str, bool, type(None), NumpyInt, NumpyInt32})
_KEY_FLOAT = frozenset({float, NumpyFloat})
_KEY_EXPR = frozenset({Expr, NumpyExpr})
#: A tuple or list of ints and None only is kept whole, after its own tag (one atom instead of two per item).
_INTS_NONE = frozenset({int, type(None)})
_INTS_TAG = {tuple: object(), list: object()}  # (objects no value can be)
#: The specs whose ``id`` is in a key, kept alive so that no other spec takes that id while the key is (the
#: catalogue's specs live as long as the process; a spec made later would otherwise be freed).
_SPECS: Dict[int, LayerSpec] = {}
#: Where a layer keeps its part of the key (not a field; dropped when pickled, as ``LayerDef.CONFIG``).
_LAYER_KEY = "_run_key"
#: ``_strict``'s atoms of an Expr, by its id (with the Expr, kept alive so that no other object takes that id).
_EXPR_KEYS: Dict[int, Tuple[Any, Tuple[Any, ...]]] = {}


def _strict(value: Any, out: List[Any]) -> bool:
    """Append to ``out`` atoms that tell ``value`` apart from any value that is not the very same (1, 1.0, True and
    NumpyInt(1) differ; -0.0 and 0.0 differ; an Expr by its atoms' texts too); False for a value of another kind."""
    t = type(value)
    if t in _KEY_PLAIN:
        out.append(t)
        out.append(value)
    elif (t is tuple or t is list) and _INTS_NONE.issuperset(map(type, value)):
        # (a shape: its items are ints and None only, so equal tuples are the very same values)
        out.append(_INTS_TAG[t])
        out.append(value if t is tuple else tuple(value))
    elif t is tuple or t is list:
        out.append(t)
        out.append(len(value))
        for item in value:
            ti = type(item)
            if ti in _KEY_PLAIN:  # (the first case below, without a call: a shape's sizes beside a symbolic one)
                out.append(ti)
                out.append(item)
            elif not _strict(item, out):
                return False
    elif t in _KEY_FLOAT:
        out.append(t)
        out.append(float.__repr__(value))
    elif t in _KEY_EXPR:
        out.append(t)
        # (an Expr is immutable: its atoms are read once per object, which shapes of symbolic sizes repeat)
        held = _EXPR_KEYS.get(id(value))
        if held is None or held[0] is not value:
            if len(_EXPR_KEYS) >= _RUN_MEMO_MAX:
                _EXPR_KEYS.clear()
            held = _EXPR_KEYS[id(value)] = (value, tuple(
                (tuple((type(a), a.key, a.text, a.names, p) for a, p in mono), c) for mono, c in value.terms))
        out.append(held[1])
    elif isinstance(value, Unknown):  # (by every field, those its equality leaves out too: ``External.made``)
        out.append(t)
        out.append(tuple(value.__dict__.items()))
    else:
        return False
    return True


def _layer_key(spec: LayerSpec, layer: LayerDef) -> Optional[Tuple[Any, ...]]:
    """The part of ``run``'s key that the layer gives (what ``BoundArgs`` reads of it), or None when it holds a
    value of a kind ``_strict`` does not take; kept on the layer (a LayerDef is not changed once made)."""
    if _SPECS.get(id(spec)) is not spec:
        _SPECS[id(spec)] = spec
    memo = layer.__dict__.get(_LAYER_KEY)
    if memo is not None and memo[0] is spec:
        return memo[1]
    out: List[Any] = [id(spec), layer.type, layer.known, layer.operation, layer.trainable_set]
    ok = _strict(layer.args, out) and _strict(layer.kwargs, out) and _strict(layer.open_kwargs, out)
    key = tuple(out) if ok else None
    object.__setattr__(layer, _LAYER_KEY, (spec, key))
    return key


def _forget() -> None:
    """Empty ``_RUN_MEMO`` (grown to its bound), and let go of the specs its keys named."""
    _RUN_MEMO.clear()
    _CONSTRUCTOR_MEMO.clear()
    _SPECS.clear()


def _keepable(value: Any) -> bool:
    """Is ``value`` made only of ints, None, tuples and Exprs (what ``run`` may give to several layers)?"""
    t = type(value)
    if t is int or value is None or t in _KEY_EXPR:
        return True
    if t is tuple:
        return all(map(_keepable, value))
    return False


def _known_build(layer: LayerDef) -> None:
    """A layer built by hand (``layer.build(shape)``) in a way the analysis does not follow: its weights are not
    known (the reason is its ``built_shape``)."""
    if isinstance(layer.built_shape, Unknown):
        raise _Fail(Problem("KC901", f"{layer.name} is built by hand: {layer.built_shape.reason}", False))


def run(spec: LayerSpec, layer: LayerDef, shapes: Any, what: str, call: Tuple[Tuple[str, Any], ...] = ()) -> Any:
    """Call a spec function, translating its exceptions into problems. An answer for the same config and shapes
    given before is given again (``_RUN_MEMO``)."""
    base = _layer_key(spec, layer)
    key = None
    if base is not None:
        out: List[Any] = [base, what]
        if _strict(shapes, out) and _strict(call, out):
            key = tuple(out)
            try:
                hit = _RUN_MEMO.get(key)
            except TypeError:  # (a field of an Unknown that cannot be hashed)
                hit = key = None
            if hit is not None:
                return hit if type(hit) is not Weights else Weights(hit.trainable, hit.non_trainable, hit.total)
    result = _run(spec, layer, shapes, what, call)
    if key is not None:
        if type(result) is Weights:
            if _keepable(result.trainable) and _keepable(result.non_trainable) and _keepable(result.total):
                if len(_RUN_MEMO) >= _RUN_MEMO_MAX:
                    _forget()
                _RUN_MEMO[key] = Weights(result.trainable, result.non_trainable, result.total)
        elif result is not None and _keepable(result):
            if len(_RUN_MEMO) >= _RUN_MEMO_MAX:
                _forget()
            _RUN_MEMO[key] = result
    return result


def _run(spec: LayerSpec, layer: LayerDef, shapes: Any, what: str, call: Tuple[Tuple[str, Any], ...] = ()) -> Any:
    try:
        args = config(spec, layer).with_call(call)
        _initializer_calls(spec, args)
        if what == "output":
            _activation_names(args)
            return plain_ints(spec.output_shape(args, shapes))  # Keras's shapes hold Python ints
        return spec.weights(args, shapes)
    except ShapeError as exc:
        raise _Fail(Problem(exc.code, exc.message, True)) from None
    except Unresolved as exc:
        raise _Fail(Problem("KC901", f"{layer.name}: {exc.reason}", False)) from None
    except TooComplex as exc:
        raise _Fail(Problem("KC901", f"{layer.name}: {exc}", False)) from None
    except (TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError, AttributeError) as exc:
        # An argument of a type the spec does not expect: Keras would reject it too,
        # but we do not claim to know how; report it as unresolved, never crash.
        raise _Fail(Problem("KC901", f"{layer.name}: arguments not understood ({exc})", False)) from None


def _constructor_problem(layer: LayerDef) -> Optional[Problem]:
    try:
        args = catalogue.layer_config(layer)
    except ShapeError as exc:
        return Problem(exc.code, exc.message, True)  # (binding the arguments: TypeError or ValueError)
    checks = args.layer_spec.init_checks if args is not None else None
    if checks is not None:
        try:
            checks(args)  # (what Keras's __init__ checks of the values: `Dense(0)`)
        except ShapeError as exc:
            return Problem(exc.code, exc.message, True, raised=getattr(exc, "PYTHON", ""))
        except Unresolved:
            return None
    return None


def constructor_names_problem(layer: LayerDef) -> Optional[Problem]:
    """The error Keras's constructor raises on the layer's names whatever its input (``name='a/b'``, an activation
    given as a number: ``_activation_names``), or None (none, or one only a registered custom object decides)."""
    try:
        args = catalogue.layer_config(layer)
        if args is not None:
            _activation_names(args)
    except InvalidArguments as exc:
        return Problem(exc.code, exc.message, True)
    except (ShapeError, Unresolved):
        return None
    return None


def constructor_error(layer: LayerDef) -> Optional[Problem]:
    """The error Keras's constructor raises on the layer's arguments whatever its input (an invalid argument, a
    name Keras rejects), or None: none, or arguments the catalogue does not take (no error known).

    Asked for every layer a file makes (and again by live shapes and the rules): the answer for the same spec and
    arguments (``_layer_key``: what the config is bound from) is given again (``_CONSTRUCTOR_MEMO``)."""
    spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
    if spec is None:
        return None  # (``layer_config`` gives None: no error known)
    key = _layer_key(spec, layer)
    if key is not None:
        try:
            hit = _CONSTRUCTOR_MEMO.get(key, _NO_ANSWER)
        except TypeError:  # (a field of an Unknown that cannot be hashed)
            key, hit = None, _NO_ANSWER
        if hit is not _NO_ANSWER:
            return hit
    try:
        found = _constructor_problem(layer) or constructor_names_problem(layer)
    except Exception:  # noqa: BLE001 - arguments the catalogue does not take
        found = None
    if key is not None:
        if len(_CONSTRUCTOR_MEMO) >= _RUN_MEMO_MAX:
            _forget()
        _CONSTRUCTOR_MEMO[key] = found
    return found


#: ``constructor_error``'s answers by ``_layer_key`` (whose spec ids ``_SPECS`` keeps alive: emptied with it).
_CONSTRUCTOR_MEMO: Dict[Tuple[Any, ...], Optional[Problem]] = {}
_NO_ANSWER = object()


def _weightless(layer: LayerDef) -> bool:
    """Keras built this layer when it was created, so it counts 0 params even in an unbuilt model."""
    spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
    return spec is not None and spec.built_at_init


def _flag_reaches_weights(layer: LayerDef) -> bool:
    """Does the layer's own ``trainable`` flag set its weights' flags (Keras 3)? Not for a layer that holds the
    layers given to it (their flags count; its setter set them: the catalogue's ``holds``), nor for one whose
    sublayers it makes without its constructor's flag, unless its setter set it (catalogue traits)."""
    spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
    if spec is None:
        return True
    if spec.holds:
        return False
    if not spec.traits:
        return True
    # (a setter run before an attention layer was built left `trainable_set` unset: extract/graph.py)
    return not spec.traits & {"own_sublayers", "own_sublayers_at_build"} or layer.trainable_set


def _trainable(layer: LayerDef, w: Weights) -> Weights:
    flag = layer.kwarg("trainable", True)
    if isinstance(flag, bool) and not _flag_reaches_weights(layer):
        return w
    if flag is False:
        return Weights(trainable=0, non_trainable=_add(w.trainable, w.non_trainable))
    if isinstance(flag, (Unknown, Expr)):
        return Weights(trainable=None, non_trainable=None, total=_add(w.trainable, w.non_trainable))
    if not isinstance(flag, bool):  # trainable=0 given to the constructor (the attribute's setter takes bool(value))
        raise _Fail(Problem(InvalidArguments.CODE, f"{layer.name}: `trainable` must be True or False, got {flag!r} "
                            "(Keras: Expected `trainable` to be a boolean)", True))
    return w


def _upstream(p: Problem) -> Problem:
    if p.message.startswith("input is unknown"):
        return p
    return Problem("KC901", f"input is unknown ({p.message})" if not p.error else EARLIER_FAILS, False)


def _add(a: Count, b: Count) -> Count:
    if a is None or b is None:
        return None
    return a + b


def _sum(values: Sequence[Count]) -> Count:
    total: Count = 0
    for v in values:
        total = _add(total, v)
    return total


def _status(*counts: Count) -> str:
    if any(c is None for c in counts):
        return "unknown"
    if any(isinstance(c, Expr) for c in counts):
        return "symbolic"
    return "exact"


# -- models ----------------------------------------------------------------


def infer_file(ir: FileIR) -> Tuple[ModelResult, ...]:
    ctx = FileContext(ir)
    results = _reused_across_models(ctx, _built_inside(ctx, [ctx.model(i) for i in range(len(ir.models))]))
    return tuple(with_symbols(r, ir) for r in results)


def _built_inside(ctx: FileContext, results: List[ModelResult]) -> List[ModelResult]:
    """A Sequential with no input of its own that is a layer of a Sequential Keras builds (``aug =
    Sequential([RandomFlip(...)])``, then ``Sequential([Input(...), aug, ...])``): Keras builds it there, on what
    that model gives it, and its own summary shows that build, not an unbuilt model. Only where the built models
    holding it give it one input shape (which of several builds it first is not followed: _built_twice). A
    Sequential so built builds in turn the ones it holds (``Sequential([Input(...), Sequential([Sequential([...]),
    ...])])``): read again until none is left."""
    while True:
        holders: Dict[int, List[Any]] = {}
        for r in results:
            if r.model.kind != "sequential" or r.status not in ("exact", "symbolic"):
                continue
            for row in r.rows:
                sub = row.layer.submodel
                if sub is not None and 0 <= sub < len(results) and results[sub].status == "unbuilt" and \
                        results[sub].model.kind == "sequential" and row.input_shape is not None:
                    holders.setdefault(sub, []).append(row.input_shape)
        built = False
        for sub, shapes in holders.items():
            if len({repr(shape) for shape in shapes}) == 1:
                results[sub] = ctx.built_on(sub, shapes[0])
                built = built or results[sub].status != "unbuilt"
        if not built:
            return results


def _reused_across_models(ctx: FileContext, results: List[ModelResult]) -> Tuple[ModelResult, ...]:
    """One layer object in two models, one of them a Sequential (a Sequential applies its layers on its own
    chain of shapes, not on the file's calls). Keras builds the layer once, on the first input it sees: an
    input that gives it other weights makes Keras raise where it comes ("is incompatible with the layer"),
    and which one comes first is not checked here, so the models that hold it are unknown. Weights that agree
    but outputs that differ leave the models' numbers, but not the layer's row shape: a summary shows the
    output of its last call, in whichever model that was."""
    uses: Dict[int, List[Tuple[int, LayerResult]]] = {}  # (the rows of each layer, with their model's index)
    for i, r in enumerate(results):
        if r.model.kind not in ("sequential", "functional") or r.status == "unbuilt":
            continue  # (a model Keras never builds builds none of its layers: they keep the weights they have)
        for row in r.rows:
            layer = row.layer
            if layer.uid < 0 or layer.submodel is not None or layer.type == "InputLayer" or layer.operation:
                continue
            uses.setdefault(layer.uid, []).append((i, row))
    unknown: Dict[int, str] = {}
    unshaped: Dict[int, set] = {}
    unweighted: Dict[int, set] = {}
    _built_twice(ctx, results, unknown)
    for uid, rows in uses.items():
        if len(rows) < 2:
            continue
        models = {i for i, _ in rows}
        if len(models) < 2 or not any(results[i].model.kind == "sequential" for i in models):
            continue
        found = [(i, (row.params, *row.counted_split()), row.output_shape) for i, row in rows]
        name = ctx.ir.layer(uid).name
        if len({w[0] for _, w, _ in found}) > 1 or any(w[0] is None for _, w, _ in found):
            first = _built_first(ctx, results, models, found)
            for i in models:
                if i == first:
                    # (its weights are those it built the layer with: the later model either agrees or raises)
                    unshaped.setdefault(i, set()).add(uid)
                    continue
                unweighted.setdefault(i, set()).add(uid)
                own = [w[0] for j, w, _ in found if j == i]
                if first is not None and any(w is None for w in own):
                    why = (f"{name} is also a layer of {results[first].model.keras_name or 'another model'}, which "
                           "built it first: whether its input here gives it the same weights is not known (Keras "
                           "raises where it does not)")
                else:
                    why = (f"{name} is also a layer of another model, on an input that gives it other weights: "
                           "Keras builds it on the first input it gets and raises on the other")
                unknown.setdefault(i, why)
        elif len({repr(o) for _, _, o in found}) > 1:
            for i in models:
                unshaped.setdefault(i, set()).add(uid)
    # A keras.applications model's layers put in a Sequential (app_layers.reused) on an input of another size:
    # the application's summary shows their output there too, the last call's (rows matched by the order of
    # `base.layers`, operations left out)
    unshaped_app: Dict[int, set] = {}
    for i, r in enumerate(results):
        own = [row for row in r.rows if not row.layer.operation] if r.model.kind == "application" else []
        if not own or len(own) != len(r.model.app_layers):
            continue
        for uid, row in zip(r.model.app_layers, own):
            others = [(j, other.output_shape) for j, other in uses.get(uid, ()) if j != i]
            if any(repr(o) != repr(row.output_shape) for _, o in others):
                unshaped_app.setdefault(i, set()).add(row.layer.name)
                for j, _ in others:
                    unshaped.setdefault(j, set()).add(uid)
    out = []
    for i, r in enumerate(results):
        if i in unknown and r.status in ("exact", "symbolic"):
            # (which model Keras builds, and on which shapes, depends on the order: none of its numbers is sure)
            r = replace(r, total=None, trainable=None, non_trainable=None, status="unknown", inputs=None,
                        outputs=None, reasons=(*r.reasons, unknown[i]), param_bytes=None,
                        rows=tuple(replace(row, output_shape=None, params=None, trainable=None, non_trainable=None)
                                   if row.layer.uid in unweighted.get(i, ()) else row for row in r.rows))
        if i in unshaped:
            r = replace(r, rows=tuple(replace(row, output_shape=None) if row.layer.uid in unshaped[i] else row
                                      for row in r.rows))
        if i in unshaped_app:
            r = replace(r, rows=tuple(replace(row, output_shape=None) if not row.layer.operation and
                                      row.layer.name in unshaped_app[i] else row for row in r.rows))
        out.append(r)
    return tuple(out)


def _built_first(ctx: FileContext, results: List[ModelResult], models: set,
                 found: List[Tuple[int, Any, Any]]) -> Optional[int]:
    """Of the ``models`` (indices of ``results``) that hold one layer (``found``: model, weights, row shape of each
    use), the one that surely built it first, or None: the first made (models are numbered in the order the code
    makes them) when it builds its layers as it is made (a functional model, a Sequential starting with an input of
    its own: Keras builds each layer as it is added) and holds it with known weights, and every other is a
    Sequential without an input of its own, built later by its first call, ``fit``, ``predict`` or ``build``, which
    comes after it is made, hence after the first (``Sequential(autoencoder.layers[:2])``, an autoencoder's
    encoder)."""
    first = min(models)
    model = results[first].model
    if model.from_defaults is not None or results[first].status not in ("exact", "symbolic") or not (
            model.kind == "functional" or _made_with_input(ctx, model) and model.build_shape is None and
            model.built_by_node is None):
        return None
    if any(w[0] is None for i, w, _ in found if i == first):
        return None
    for i in models - {first}:
        other = results[i].model
        if other.kind != "sequential" or _made_with_input(ctx, other) or other.from_defaults is not None:
            return None
    return first


def _made_with_input(ctx: FileContext, model: ModelDef) -> bool:
    """A Sequential made with an input of its own: ``keras.Input``/``InputLayer`` first, or ``input_shape=`` or
    ``input_dim=`` on its first layer (Keras makes that InputLayer with ``shape=``; one made by ``build()``, a
    call, ``fit`` or ``predict`` has ``batch_shape=``)."""
    if model.kind != "sequential" or model.input_layer is None:
        return False
    return not model.implicit_input or ctx.ir.layer(model.input_layer).has_kwarg("shape")


def _built_twice(ctx: FileContext, results: List[ModelResult], unknown: Dict[int, str]) -> None:
    """A Sequential without an input of its own (or one that its first call built) that is a layer of two models
    (or twice of one) that give it inputs that differ or are not known: Keras builds it on the first input it gets
    and raises "is incompatible with the layer" on the other where that gives other weights, and which comes first
    is not checked here. The models that hold it, and the Sequential itself, are unknown (records the reasons in
    ``unknown``)."""
    calls: Dict[int, List[Tuple[int, Any]]] = {}

    def walk(i: int, rows: Sequence[LayerResult]) -> None:
        for row in rows:
            sub = row.layer.submodel
            if sub is None or not 0 <= sub < len(ctx.ir.models):
                continue
            model = ctx.ir.models[sub]
            if model.kind == "sequential" and model.input_layer is None and \
                    (not model.implicit_input or model.built_by_node is not None):
                calls.setdefault(sub, []).append((i, row.input_shape))
            walk(i, row.nested)

    for i, r in enumerate(results):
        if r.status != "unbuilt" and r.model.kind in ("sequential", "functional"):
            walk(i, r.rows)
    for sub, found in calls.items():
        # (the batch is left out: no weight depends on it)
        shapes = {repr(shape[1:] if isinstance(shape, tuple) else shape) for _, shape in found}
        if len(found) < 2 or (len(shapes) == 1 and all(shape is not None for _, shape in found)):
            continue
        name = ctx.ir.models[sub].keras_name or "a Sequential"
        why = (f"{name} (a Sequential without an input) is a layer of two models, or twice of one, that give it "
               "other inputs: Keras builds it on the first it gets and raises on the other")
        for i in {i for i, _ in found} | ({sub} if sub < len(results) else set()):
            unknown.setdefault(i, why)
        if sub < len(results) and results[sub].status == "unbuilt":
            # (built by one of them: not "unbuilt", and its numbers are not known)
            results[sub] = replace(results[sub], status="unknown", reasons=(why,))


#: Where a symbol comes from when the analysis kept no record of it.
UNRECORDED = "a value the analysis does not follow"


def with_symbols(result: ModelResult, ir: FileIR) -> ModelResult:
    """``result`` with the origin of each symbol its numbers hold (``ModelResult.symbols``), in the order of
    where they are made in the file (then by name); the numbers are unchanged."""
    names: Dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, Expr):
            names.update(dict.fromkeys(symbol_names(value)))
        elif isinstance(value, (tuple, list)):
            for item in value:
                if type(item) is not int and item is not None:  # (a size or None holds no symbol: no call)
                    walk(item)

    def rows(items: Sequence[LayerResult]) -> None:
        for r in items:
            walk((r.output_shape, r.input_shape, r.params, r.trainable, r.non_trainable, r.macs, r.activations))
            rows(r.nested)

    walk((result.inputs, result.outputs, result.total, result.trainable, result.non_trainable, result.macs,
          result.activations, result.param_bytes, result.activation_bytes))
    rows(result.rows)
    for call in result.model.data_calls:
        walk((call.x, call.y, call.val_x, call.val_y, call.xs))
    if not names:
        return result
    caveat = result.model.from_defaults or ""
    known: Dict[str, Tuple[int, SymbolOrigin]] = {}
    for i, s in enumerate(ir.symbols):
        if s.name not in known or s.builder is not None and (
                caveat.startswith((f"built by {s.builder}(", f"built by the function {s.builder} ")) and
                known[s.name][1].builder != s.builder):
            known[s.name] = (i, replace(s, builder=None))
    far = (1 << 62, 0)
    order = sorted(names, key=lambda n: ((known[n][1].span.line, known[n][1].span.column)
                                         if n in known and known[n][1].span is not None else far, n))
    return replace(result, symbols=tuple(known[n][1] if n in known else SymbolOrigin(n, UNRECORDED)
                                         for n in order))


def infer_model(ctx: FileContext, model: ModelDef, given_input: Any = None) -> ModelResult:
    if model.kind == "sequential":
        result = _sequential(ctx, model, given_input)
    elif model.kind == "application":
        result = _application(ctx, model)
    elif model.kind == "subclassed":
        result = _subclassed(ctx, model)
    else:
        result = _functional(ctx, model)
    result = _shared_weights(ctx, result)
    if isinstance(model.trainable, Unknown) or ctx.ir.trainable_unknown is not None:
        why = model.trainable if isinstance(model.trainable, Unknown) else ctx.ir.trainable_unknown
        # The total may still be known; the split is not, so the model is not exact (the schema's "unknown":
        # some numbers could not be determined).
        status = result.status if result.status in ("unbuilt", "unknown") else "unknown"
        result = replace(result, trainable=None, non_trainable=None, reasons=(*result.reasons, why.reason),
                         status=status,
                         rows=tuple(replace(r, trainable=None, non_trainable=None) for r in result.rows))
    elif model.trainable is False:
        # A frozen model has no trainable weights; each row keeps its layer's own flag (``model.trainable =``
        # set those when it ran; a later ``layer.trainable = True`` or the constructor's flag leaves them).
        # Its layers' variables keep their own flags, which a model holding it counts (variable_split). An
        # application's split follows its layers' flags only where the file reached its layers (its rows
        # stored and ``base.layers`` read): else they are all frozen, as the setter left them.
        flagged = model.kind != "application" or (bool(model.app_layers) and bool(result.rows))
        result = replace(result, trainable=0 if result.total is not None else None,
                         non_trainable=result.total,
                         variables=(result.trainable, result.non_trainable) if flagged else None)
    if any(r.layer.submodel is not None for r in result.rows):
        result = replace(result, rows=tuple(_with_nested(ctx, r) for r in result.rows))
    if result.param_bytes is not None and not ctx.live:
        why = _not_float32(ctx, model, result.rows)
        dtype = ctx.ir.weight_dtype
        if why is not None:
            alike = "float32" if dtype == "float32" else f"all {dtype}"
            result = replace(result, param_bytes=None, bytes_unknown=f"{why}: its weights may not be {alike}")
        elif dtype != "float32":
            per = cost.DTYPE_BYTES[dtype]
            result = replace(result, param_bytes=cost.count_product([result.total, per]), bytes_per_param=per)
    return result


def _dtype_givers(ctx: FileContext) -> Tuple[Dict[int, str], Dict[int, str]]:
    """The file's layers given a ``dtype=`` that may make weights other than float32, and its models (custom layers
    included) whose own weights may not be float32, each with why, by uid and by index (memoised on ``ctx``)."""
    found = ctx.dtype_givers
    if found is None:
        layers = {}
        default = ctx.ir.weight_dtype
        for layer in ctx.ir.layers:
            spec = catalogue.lookup(layer.type) if layer.known and not layer.operation else None
            if spec is not None and spec.weights is no_weights:
                continue  # (an Activation given dtype="float32" under a mixed policy: no weight)
            if default != "float32" and layer.type == "Normalization":
                # (its `count` weight is an integer whatever the policy: sizes of two dtypes)
                layers[layer.uid] = f"layer `{layer.name}` (line {layer.span.line}) counts samples in an integer weight"
                continue
            for key, value in layer.kwargs:
                if key == "dtype" and cost.variable_dtype(value) not in (None, default):
                    given = f"dtype={value!r}" if isinstance(value, str) else "a dtype"
                    layers[layer.uid] = f"layer `{layer.name}` (line {layer.span.line}) is given {given}"
        models = {i: m.weight_dtype for i, m in enumerate(ctx.ir.models) if m.weight_dtype is not None}
        found = ctx.dtype_givers = (layers, models)
    return found


_APPLICATION_DTYPES = "a keras.applications model, whose layers' dtypes are not all followed"


def _not_float32(ctx: FileContext, model: ModelDef, rows: Sequence[LayerResult]) -> Optional[str]:
    """Why some weight of the model (its rows, their nested rows, their models' own weights) may not be float32, so
    that the bytes of its parameters are not the float32 size (Keras sums each variable's own dtype size); None
    when they are all float32. Keras 3 gives a layer the dtype policy in force when it is made: the code's
    ``set_floatx`` or ``set_dtype_policy`` (FileIR.dtype_set) leaves every model's bytes not followed."""
    if ctx.ir.dtype_set is not None:
        return ctx.ir.dtype_set
    # (an application's layers are not listed here, and EfficientNet's Normalization counts in an integer weight)
    apps = ctx.ir.weight_dtype != "float32" and any(m.kind == "application" for m in ctx.ir.models)
    if apps and model.kind == "application":
        return _APPLICATION_DTYPES
    layers, models = _dtype_givers(ctx)
    if not layers and not models and not apps:
        return None
    if model.weight_dtype is not None:
        return model.weight_dtype
    for r in rows:
        if r.params == 0:
            continue  # (no weight, whatever its dtype)
        why = layers.get(r.layer.uid)
        if why is None and r.layer.submodel is not None:
            why = _nested_not_float32(ctx, r.layer.submodel, set()) if not r.nested else \
                models.get(r.layer.submodel) or _not_float32(ctx, ctx.ir.models[r.layer.submodel], r.nested)
        if why is not None:
            return why
    return None


def _nested_not_float32(ctx: FileContext, index: int, seen: set) -> Optional[str]:
    """:func:`_not_float32` for a nested model whose rows are not listed (a custom layer, a Sequential): its own
    weights and the layers it holds (a subclass's weights are those of the layers its attributes track), those of
    its nested models too; for a functional model, whose layers are its graph's, any of the file's layers given a
    dtype."""
    layers, models = _dtype_givers(ctx)
    model = ctx.ir.models[index]
    if index in models or index in seen:
        return models.get(index)
    seen.add(index)
    if model.kind == "application" and ctx.ir.weight_dtype != "float32":
        return _APPLICATION_DTYPES
    if model.kind in ("functional", "application"):
        return next(iter(layers.values()), None) or next(iter(models.values()), None)
    for uid in model.layers:
        why = layers.get(uid)
        sub = ctx.ir.layers[uid].submodel
        if why is None and sub is not None:
            why = _nested_not_float32(ctx, sub, seen)
        if why is not None:
            return why
    return None


def _shared_weights(ctx: FileContext, result: ModelResult) -> ModelResult:
    """The model's totals as Keras counts ``model.weights``: each variable once, by its own flag.

    Each row keeps its own count, as ``model.summary()`` shows it, but the totals are not the rows' sum
    when a layer is held by two rows (used directly and inside a nested model, shared by two nested models,
    twice in a Sequential: counted once), or when a nested model's own ``trainable = False`` hides layers
    unfrozen after it (its row is all non-trainable, while the model holding it counts those layers'
    variables as trainable: Keras filters ``weights`` by ``v.trainable``). The totals are then the sum over
    the distinct layers, reached through the nested models; unknown where some nested row cannot be listed."""
    if result.total is None or result.model.unresolved is not None:
        return result
    weighted = [r for r in result.rows if r.params is not None and r.params != 0]
    direct = [r.layer.uid for r in weighted if r.layer.uid >= 0]
    # the layers of applications the code reached (`base.get_layer(name)`): called on their own, they are rows of
    # their own, while the application's rows (nested, or inline) are other objects holding the same variables
    owned = ctx.application_layers()
    if not any(r.layer.submodel is not None or _wrapped_model(r.layer) is not None for r in weighted) and \
            len(set(direct)) == len(direct) and not any(uid in owned for uid in direct):
        return result
    leaves: Dict[Any, Tuple[Count, Count, Count]] = {}
    found = {"twice": False, "opaque": False, "flags": False}
    # each application reached, by who reaches it: the application itself (a nested row), or a nested model built
    # on its tensors (``Model(base.input, f(base.output))``), whose rows list the application's layers inline
    reached: Dict[int, set] = {}

    def leaf(key: Any, counts: Tuple[Count, Count, Count]) -> bool:
        if key in leaves:
            found["twice"] = True
            return leaves[key] == counts
        leaves[key] = counts
        return True

    def collect(row: LayerResult, depth: int) -> bool:
        layer = row.layer
        if row.params is not None and row.params == 0:
            return True
        if row.params is None or depth > 20:
            return False
        wrapped = _wrapped_model(layer) if layer.submodel is None else None
        if wrapped is not None:
            # TimeDistributed(model): its weights are the model's, run on one step of the row's input
            shape = row.input_shape
            if row.problem is not None or not isinstance(shape, tuple) or len(shape) < 3:
                return False
            try:
                nested = _submodel_result(ctx, wrapped, (shape[0], *shape[2:]))
            except _Fail:
                return False
            if nested.total != row.params or (nested.trainable, nested.non_trainable) != row.counted_split():
                return False
            return expand(wrapped, nested, row, depth)
        if layer.submodel is None:
            return leaf(layer.uid if layer.uid >= 0 else ("row", id(row)), (row.params, *row.counted_split()))
        nested = None
        if row.problem is None and row.input_shape is not None:
            try:
                nested = _submodel_result(ctx, layer, row.input_shape)
            except _Fail:
                nested = None
        elif row.problem is None and ctx.ir.models[layer.submodel].kind == "functional":
            # a functional model held but never called (a subclassed model's `self._model = Model(x, y)` of layers
            # it also holds itself): built when made, its rows are its own
            nested = ctx.model(layer.submodel)
        return expand(layer, nested, row, depth)

    def expand(layer: LayerDef, nested: Optional[ModelResult], row: LayerResult, depth: int) -> bool:
        if nested is None or nested.total != row.params:
            found["opaque"] = True
            return leaf(("model", layer.submodel), (row.params, row.trainable, row.non_trainable))
        split = variable_split(nested)
        sub = ctx.ir.models[layer.submodel]
        if sub.own_weights and not sub.custom_layer:
            # a subclassed model's own weights (its build's add_weight) are in none of its rows: it is one leaf,
            # unless its variables' flags differ from its own split (not followed then)
            if split != (nested.trainable, nested.non_trainable):
                found["flags"] = True
                return False
            found["opaque"] = True
            return leaf(("model", layer.submodel), (row.params, row.trainable, row.non_trainable))
        if split != (nested.trainable, nested.non_trainable):
            found["flags"] = True
        if ctx.ir.models[layer.submodel].kind == "application":
            reached.setdefault(layer.submodel, set()).add(layer.submodel)
            return leaf(("model", layer.submodel), (nested.total, *split))
        if (nested.trainable, nested.non_trainable) != (row.trainable, row.non_trainable):
            return False
        for app in _applications_read(ctx, layer.submodel, nested.rows):
            reached.setdefault(app, set()).add(layer.submodel)
        return all(collect(r, depth + 1) for r in nested.rows)

    complete = all(collect(r, 0) for r in weighted)
    index = next((i for i, m in enumerate(ctx.ir.models) if m is result.model), None)
    if index is not None:
        for app in _applications_read(ctx, index, result.rows):  # the model's rows list its layers inline
            reached.setdefault(app, set()).add(index)
    if any(type(key) is int and owned.get(key) in reached for key in leaves):
        found["twice"] = found["opaque"] = True  # a layer of an application the model reaches, also called alone
    if any(len(by) > 1 for by in reached.values()):
        # an application reached both as itself and through a model built on its tensors, or by two such models:
        # their rows are not the same objects, but Keras counts the application's variables once
        found["twice"] = found["opaque"] = True
    if complete and not found["twice"] and not found["flags"]:
        return result
    if not complete or (found["opaque"] and found["twice"]):
        why = ("a layer's weights are held by two of its rows (a layer used directly and inside a nested model, or "
               "by two nested models), which Keras counts once, or a nested model is frozen with some of its layers "
               "unfrozen after it; the analysis cannot list the layers of every nested row")
        if found["twice"] or found["flags"]:
            return replace(result, total=None, trainable=None, non_trainable=None, status="unknown",
                           reasons=(*result.reasons, why), param_bytes=None)
        return result
    total = _sum([c[0] for c in leaves.values()])
    trainable = _sum([c[1] for c in leaves.values()])
    non_trainable = _sum([c[2] for c in leaves.values()])
    if result.trainable is None or result.non_trainable is None:
        trainable = non_trainable = None
    status = result.status if result.status in ("unbuilt", "unknown") else _status(total, trainable, non_trainable)
    return replace(result, total=total, trainable=trainable, non_trainable=non_trainable, status=status,
                   param_bytes=cost.memory(total))


def _wrapped_model(layer: LayerDef) -> Optional[LayerDef]:
    """The model a ``TimeDistributed`` row wraps (the layer object the model is), or None."""
    if layer.type != "TimeDistributed" or not layer.known:
        return None
    held = catalogue.held_layers(layer)
    return held[0] if len(held) == 1 and held[0].submodel is not None else None


def _applications_read(ctx: FileContext, index: int, rows: Sequence[LayerResult]) -> set:
    """The applications whose tensors functional model ``index`` is built on, listed inline in its ``rows`` (an
    application the model calls as a layer, ``base(x)``, is one nested row of them instead)."""
    model = ctx.ir.models[index]
    if model.kind != "functional" or not model.inputs or not model.outputs:
        return set()
    try:
        order = build_map(ctx, model.inputs, model.outputs)
    except (_Fail, ShapeError, Unresolved, RecursionError, IndexError, TypeError):
        return set()
    found = {ctx.ir.layer(uid).submodel for uid in order if 0 <= uid < len(ctx.ir.layers)}
    nested = {r.layer.submodel for r in rows}
    return {i for i in found if i is not None and i not in nested and ctx.ir.models[i].kind == "application"}


def _with_nested(ctx: FileContext, row: LayerResult) -> LayerResult:
    """A nested model's row with its rows, as ``model.summary(expand_nested=True)`` lists them under it:
    ``layer.layers``, without a Sequential's input layer and without a functional model's operations."""
    if row.layer.submodel is None or row.problem is not None or row.output_shape is None:
        return row
    try:
        nested = _submodel_result(ctx, row.layer, row.input_shape)
    except _Fail:
        return row
    sequential = nested.model.kind == "sequential"
    return replace(row, nested=tuple(r for r in nested.rows if not r.layer.operation and
                                     not (sequential and r.layer.type == "InputLayer")))


def _row(layer: LayerDef, shape: Any, weights: Optional[Weights], problem: Optional[Problem] = None,
         node: Optional[Node] = None, input_shape: Any = None,
         costs: Tuple[Count, Count] = (None, None)) -> LayerResult:
    try:
        args = catalogue.layer_config(layer)
    except ShapeError:
        args = None
    if weights is None:
        return LayerResult(layer, shape, None, None, None, input_shape, problem, node, *costs, config=args)
    params = weights.total if weights.total is not None and (weights.trainable is None or
                                                               weights.non_trainable is None) \
        else _add(weights.trainable, weights.non_trainable)
    if weights.trainable != 0 and layer.kwarg("trainable", True) is False and not _flag_reaches_weights(layer):
        # a frozen wrapper lists no trainable weights of its own; its layers' variables keep their flags
        return LayerResult(layer, shape, params, 0 if params is not None else None, params, input_shape, problem,
                           node, *costs, config=args, variables=(weights.trainable, weights.non_trainable))
    return LayerResult(layer, shape, params, weights.trainable, weights.non_trainable, input_shape, problem,
                       node, *costs, config=args)


def _costs(ctx: FileContext, layer: LayerDef, calls: Sequence[Tuple[Any, Any, Any]]) -> Tuple[Count, Count]:
    """MACs and output elements per sample over a layer's calls: (input shapes, output shapes, call kwargs)."""
    if layer.submodel is None:
        try:
            spec = _spec(layer)
        except _Fail:  # not in the catalogue: what it outputs is all that is known
            return None, cost.total([cost.activations(None, i, o) for i, o, _ in calls])
        # (the same config on the same shapes costs the same: kept as ``run``'s answers are)
        base = _layer_key(spec, layer)
        key: Any = None
        if base is not None:
            out: List[Any] = [base, "costs", len(calls)]
            if all(_strict(i, out) and _strict(o, out) and _strict(kw, out) for i, o, kw in calls):
                key = tuple(out)
                try:
                    hit = _RUN_MEMO.get(key)
                except TypeError:
                    hit = key = None
                if hit is not None:
                    return hit
        try:
            bound = [(config(spec, layer).with_call(kw), i, o) for i, o, kw in calls]
        except ShapeError:
            return None, None
        result = (cost.total([cost.macs(args, i, o) for args, i, o in bound]),
                  cost.total([cost.activations(args, i, o) for args, i, o in bound]))
        if key is not None and _keepable(result):
            if len(_RUN_MEMO) >= _RUN_MEMO_MAX:
                _forget()
            _RUN_MEMO[key] = result
        return result
    try:
        nested = [_submodel_result(ctx, layer, i) for i, _, _ in calls]
    except _Fail:
        return None, None
    return cost.total([r.macs for r in nested]), cost.total([r.activations for r in nested])


def _graph_costs(ctx: FileContext, layer: LayerDef, nodes: Sequence[Node]) -> Tuple[Count, Count]:
    """:func:`_costs` over the calls a functional model's forward pass makes."""
    try:
        calls = [(_cost_inputs(ctx, layer, n), ctx.output(n), n.call_kwargs) for n in nodes]
    except _Fail:
        return None, None
    return _costs(ctx, layer, calls)


def _cost_inputs(ctx: FileContext, layer: LayerDef, node: Node) -> Any:
    """A call's input shapes as its spec reads them: an operation's operands by ref."""
    if not node.inputs:
        return None
    if layer.operation:
        return {ref: ctx.tensor(ref) for ref in node.inputs}
    return ctx.input_shapes(node)


def _finish(model: ModelDef, rows: List[LayerResult], inputs: Optional[Sequence[Any]],
            outputs: Optional[Sequence[Any]], reasons: List[str], unbuilt: bool = False,
            counted: Optional[Sequence[LayerResult]] = None, first: Optional[LayerDef] = None) -> ModelResult:
    """The model's result; its totals add up ``counted`` (default: every row). ``first``: a Sequential's
    InputLayer (``duplicate_name``)."""
    counted = rows if counted is None else counted
    total = _sum([r.params for r in counted])
    trainable = _sum([r.counted_split()[0] for r in counted])
    non_trainable = _sum([r.counted_split()[1] for r in counted])
    status = "unbuilt" if unbuilt else _status(total, trainable, non_trainable)
    if model.unresolved is not None:
        status = "unknown"
        total = trainable = non_trainable = None
    if trainable is None or non_trainable is None:
        for r in counted:
            if r.params is not None and (r.trainable is None or r.non_trainable is None):
                why = _split_reason(r.layer)
                if why not in reasons:
                    reasons.append(why)
    for r in rows:
        if r.problem is not None and not r.problem.error and r.problem.message not in reasons and \
                not r.problem.message.startswith("input is unknown"):
            reasons.append(r.problem.message)
    failed = any(r.problem is not None and r.problem.error for r in rows)
    twice = duplicate_name(model, rows, first)
    if twice is not None and status != "unknown":
        # Keras raises when the model is made: it never has these numbers (the KC108 finding says where)
        status, total, trainable, non_trainable, failed = "unknown", None, None, None, True
        reasons.append(f"{REJECTED}the name \"{twice[1].layer.name}\" is used by two of its layers")
    if model.keras_raised is not None:
        # The script stops where Keras raised on the model: what the code does after it never happens in Keras 3
        status, total, trainable, non_trainable = "unknown", None, None, None
        if model.keras_raised not in reasons:
            reasons.insert(0, model.keras_raised)
    if status == "unknown" and not reasons:
        reasons.extend(_row_reason(rows, failed))
    macs = None if model.unresolved is not None or model.keras_raised is not None else cost.total([r.macs for r in rows])
    activations = None if model.unresolved is not None or model.keras_raised is not None else cost.activation_total(rows)
    return ModelResult(model, tuple(rows), None if inputs is None else tuple(inputs),
                       None if outputs is None else tuple(outputs), total, trainable, non_trainable,
                       status, tuple(reasons), failed, macs, activations, cost.memory(total),
                       cost.memory(activations))


def duplicate_name(model: ModelDef, rows: Sequence[LayerResult],
                   first: Optional[LayerDef] = None) -> Optional[Tuple[LayerResult, LayerResult]]:
    """The first two rows of a Sequential or functional model that Keras names alike: Keras raises when such a
    model is made ("should have unique names", "is used 2 times in the model"). A subclassed model's layers
    may share a name (two nested models both named "unet"), as Keras 3 allows. ``first``: a Sequential's
    InputLayer (``keras.Input`` in its list, or the one Keras makes from ``input_shape=`` or ``build()``), which
    its summary leaves out but which is one of its layers: a layer named like it (`name="input_layer"` on the
    first Conv2D) is rejected too (it stands first in the pair)."""
    if model.kind not in ("sequential", "functional"):
        return None
    seen: Dict[str, LayerResult] = {}
    if first is not None and model.kind == "sequential" and keras_named(first) and \
            not any(r.layer.type == "InputLayer" for r in rows):  # (a row of it already: the error Keras raises there)
        seen[first.name] = _row(first, None, None)
    for row in rows:
        if not keras_named(row.layer):
            continue
        other = seen.setdefault(row.layer.name, row)
        # (uid -1: a layer of a keras.applications model listed inline, app_layers.inline; each row is one layer)
        if other is not row and (other.layer.uid != row.layer.uid or row.layer.uid == -1) and \
                not exclusive(other.layer, row.layer):
            return other, row
    return None


def exclusive(a: LayerDef, b: LayerDef) -> bool:
    """Were ``a`` and ``b`` made on different ways of one undecided condition (``if c: model.add(Dense(3))``
    ``else: model.add(Dense(5))``), so that no run makes both?"""
    if not a.ways or not b.ways:
        return False
    theirs = dict(b.ways)
    return any(fork in theirs and theirs[fork] != way for fork, way in a.ways)


def keras_named(layer: LayerDef) -> bool:
    """Whether the row's name is the one Keras gives the layer: a catalogue layer, an operation, a nested
    model or an explicit ``name=``; a callable the analysis does not know is named after its source text
    (two calls of `make_block(x)` are two rows named "make_block", which says nothing of Keras's names)."""
    given = layer.kwarg("name")
    if given is not None and not isinstance(given, str) or layer.name == UNKNOWN_NAME:
        return False  # a name= the analysis does not know, or an automatic name it does not know
    return layer.known or layer.operation or layer.submodel is not None or isinstance(given, str)


#: How the reason of a model Keras rejects starts (its error is a diagnostic of its own).
REJECTED = "Keras rejects it: "


def _row_reason(rows: Sequence[LayerResult], failed: bool) -> List[str]:
    """Why an unknown model is unknown when no row gave a reason of its own: the error Keras raises, or
    the cause an ``input is unknown (...)`` row carries (a Sequential whose input shape is not known), or, for a
    model called on the output of a layer Keras rejects (a Sequential inside a custom layer that follows it), that."""
    upstream = False
    for r in rows:
        upstream = upstream or (r.problem is not None and r.problem.message == EARLIER_FAILS)
        if r.problem is None or r.problem.error != failed:
            continue
        if failed:
            return [f"{REJECTED}{r.problem.message}"]
        message = r.problem.message
        if message.startswith("input is unknown (") and message.endswith(")"):
            message = message[len("input is unknown ("):-1]
        if message != "an earlier layer fails":
            return [message]
    return ["it is called on the output of a layer Keras rejects"] if upstream else []


def _never_built(ctx: FileContext, model: ModelDef) -> bool:
    """Was a Sequential never built: no ``model.build(...)``, no data given to ``fit``/``predict``, no call on a
    tensor (a node of a layer standing for it)? Keras builds one that holds only its input only so (``fit`` and
    ``predict`` raise on it)."""
    if model.build_shape is not None or model.built_on_data is not None or model.built_by_node is not None or \
            model.explicit_build:
        return False
    index = next((i for i, m in enumerate(ctx.ir.models) if m is model), None)
    return index is not None and not any(node.layer >= 0 and ctx.ir.layer(node.layer).submodel == index
                                         for node in ctx.ir.nodes)


def _sequential(ctx: FileContext, model: ModelDef, given_input: Any = None) -> ModelResult:
    layers = [_own_layer(ctx, ctx.ir.layer(uid)) for uid in model.layers]
    if model.unresolved is not None:
        rows = [_row(l, None, None, Problem("KC901", model.unresolved.reason, False)) for l in layers]
        return _finish(model, rows, None, None, [model.unresolved.reason])
    shape: Any = given_input
    failure: Optional[Problem] = None
    rows: List[LayerResult] = []
    if shape is None:
        try:
            shape = _sequential_input(ctx, model, layers)
        except _Fail as f:
            failure = f.problem
            declared = ctx.ir.layer(model.input_layer) if model.input_layer is not None else None
            if failure.error and model.implicit_input and declared is not None and declared.has_kwarg("batch_shape"):
                failure = None  # model.build(shape): Keras's build() returns unbuilt when it cannot use the shape
            elif failure.error:
                # Keras raises where the input is declared (keras.Input, input_shape=): a row for it carries
                # the error, as a functional model's InputLayer row does.
                span = declared.span if declared is not None else layers[0].span if layers else model.span
                rows.append(_row(LayerDef(-1, "InputLayer", declared.name if declared else "input_layer", (), (),
                                          span), None, None, failure))
    if shape is None and failure is None:
        # Keras builds layers without weights when it creates them: they count 0 even unbuilt.
        # Arguments are still checked: Keras rejects bad ones when the layer is created.
        rows = [_row(l, None, Weights() if _weightless(l) else None, constructor_error(l)) for l in layers]
        # A layer whose arguments Keras rejects stops the script where it is made, before any call builds the
        # model (and before the model exists at all): that is why it is unknown, not a build it lacks.
        rejected = [f"{REJECTED}{r.problem.message}" for r in rows if r.problem is not None and r.problem.error]
        # why a layer of it is not known: one Keras 3 does not have (Keras 1's `Merge` of models, which Keras 1
        # built from the models' inputs) stops the code before any build, as where the model has an input shape
        missing = [gone for layer in layers if layer.submodel is None and not layer.known and
                   (gone := catalogue.unknown.removed(layer.type))]
        if model.built_on_data is not None and model.build_shape is None:
            # `fit` (`predict`...) built it, on data of a shape not known: unknown, not unbuilt
            return _finish(model, rows, None, None,
                           [*dict.fromkeys(missing + rejected)] if rejected else [*dict.fromkeys(missing),
                                                                                  model.built_on_data])
        if rejected or missing:
            return _finish(model, rows, None, None, [*dict.fromkeys(missing + rejected)])
        return _held(_finish(model, rows, None, None, ["the model has no input shape, so Keras has not built it: "
                                                       "give the first layer input_shape=, start with keras.Input, "
                                                       "or call model.build()"], unbuilt=True),
                     rows, _construction_weights(ctx, layers))
    if not layers and failure is None and given_input is None and _never_built(ctx, model):
        return replace(_finish(model, [], None, None, [
            "a Sequential that holds only its input is not built until it is called (Keras has no output shape for it "
            "yet): add a layer, call it on a tensor, or call model.build()"], unbuilt=True),
            total=None, trainable=None, non_trainable=None)
    inputs = [shape] if failure is None else None
    for layer in layers:
        if failure is not None:
            own = ctx.own_error(layer.uid, failure)
            if own is not None:
                failure = own
            rows.append(_row(layer, None, None, own or _upstream(failure)))
            continue
        try:
            # (the several outputs of the layer before, `LSTM(return_state=True)`: Keras calls this one on their list)
            several = _several(shape)
            out, weights = apply(ctx, layer, list(shape) if several else shape, several,
                                 _traced_call(ctx, layer, shape))
            rows.append(_row(layer, out, weights, input_shape=shape, costs=_costs(ctx, layer, [(shape, out, ())])))
            shape = out
        except _Fail as f:
            failure = f.problem
            rows.append(_row(layer, None, None, f.problem, input_shape=shape))
    # (a last layer that returns several tensors, `LSTM(return_state=True)`, gives the model that many outputs)
    outputs = (list(shape) if _several(shape) else [shape]) if failure is None else None
    first = ctx.ir.layer(model.input_layer) if model.input_layer is not None else None
    return replace(_finish(model, rows, inputs, outputs, [], first=first),
                   edges=tuple((i, i + 1) for i in range(len(rows) - 1)))


def _several(shape: Any) -> bool:
    """Is this the shapes of several tensors (a layer's several outputs), not one tensor's shape?"""
    return shape is not None and isinstance(shape, (tuple, list)) and bool(shape) and \
        all(isinstance(s, tuple) for s in shape)


def _traced_call(ctx: FileContext, layer: LayerDef, shape: Any) -> Tuple[Tuple[str, Any], ...]:
    """For a Lambda of a Sequential: what its function gave when the analysis traced it on an input of ``shape``
    (extract/classes.py ``trace_sequential_lambda``), as the keywords of that call; else none."""
    first = ctx.first_node.get(layer.uid) if layer.type == "Lambda" else None
    if first is None or len(first.inputs) != 1 or first.list_input:
        return ()
    try:
        return first.call_kwargs if ctx.input_shapes(first) == shape else ()
    except _Fail:
        return ()


def _own_layer(ctx: FileContext, layer: LayerDef) -> LayerDef:
    """``layer``, or for a keras.applications model's layer put in a Sequential, the layer it is there
    (app_layers.reused)."""
    index = layer.kwarg("application_layer")
    if index is None or layer.submodel is not None or layer.operation:
        return layer
    return app_layers.reused(ctx.ir.models[index], layer)


def _sequential_input(ctx: FileContext, model: ModelDef, layers: List[LayerDef]) -> Any:
    if model.input_layer is not None:
        layer = _own_layer(ctx, ctx.ir.layer(model.input_layer))
        return run(_spec(layer), layer, None, "output")
    if layers and layers[0].submodel is not None:
        inner = ctx.model(layers[0].submodel)
        # (a model "unknown" only for its trainable split still has a known input)
        if inner.inputs and len(inner.inputs) == 1 and inner.inputs[0] is not None and inner.status != "unbuilt":
            return _built_again(model, inner.inputs[0])
    if layers:
        declared = input_shape_kwarg(layers[0])
        if declared is not None:
            synthetic = LayerDef(-1, "InputLayer", "input_layer", (), (("shape", declared),), layers[0].span)
            return run(_spec(synthetic), synthetic, None, "output")
    if model.built_by_node is not None:
        return _built_again(model, ctx.input_shapes(ctx.ir.node(model.built_by_node)))
    if model.build_shape is not None:
        shape = model.build_shape
        if isinstance(shape, Unknown):
            raise _Fail(Problem("KC901", f"model.build() shape is not known ({shape.reason})", False))
        synthetic = LayerDef(-1, "InputLayer", "input_layer", (), (("batch_shape", shape),), model.span)
        return run(_spec(synthetic), synthetic, None, "output")
    return None


def _built_again(model: ModelDef, built: Any) -> Any:
    """The input of a Sequential Keras built without an InputLayer of the code's (on its first layer's input, or on
    the tensor it was called on), ``built``, once a later ``build(shape)`` (``model.build_shape``) is checked: Keras
    raises ValueError for another batch shape ("has already been configured to use input shape")."""
    if model.build_shape is None or model.input_layer is not None:
        return built
    asked = model.build_shape
    if isinstance(asked, Unknown):
        raise _Fail(Problem("KC901", f"model.build() shape is not known ({asked.reason})", False))
    known = [tuple(s) if isinstance(s, (tuple, list)) else None for s in (asked, built)]
    if any(s is None or not all(d is None or type(d) is int for d in s) for s in known):
        raise _Fail(Problem("KC901", "`build()` of a Sequential Keras has built already: whether the shape is the one "
                            "it was built on is not known (Keras raises for another one)", False))
    if known[0] != known[1]:
        raise _Fail(Problem("KC901", "`build()` with another shape than the model's input: Keras raises", False))
    return built


def build_map(ctx: FileContext, inputs: Sequence[TensorRef], outputs: Sequence[TensorRef],
              clones: bool = False) -> List[int]:
    """Keras's ``map_graph`` layer order for the graph from ``inputs`` to ``outputs``.

    ``clones``: an input that is a layer's output, not a ``keras.Input`` (``Model(h, f(h))``), is in the order as
    the ``InputLayer`` Keras makes for it (functional.clone_graph_nodes), at ``clone_uid(i)`` for ``inputs[i]``."""
    nodes = ctx.ir.nodes
    clone_of = {ref: clone_uid(i) for i, ref in enumerate(inputs) if nodes[ref.node].inputs} if clones else {}
    finished: set = set()
    in_progress: set = set()
    order: List[Node] = []
    op_index: Dict[int, int] = {}
    input_set = set(inputs)

    def visit(ref: TensorRef) -> None:
        stack = [(ref, False)]
        while stack:
            tref, expanded = stack.pop()
            node = nodes[tref.node]
            if expanded:
                finished.add(node.id)
                in_progress.discard(node.id)
                order.append(node)
                continue
            if node.id in finished:
                continue
            if node.inputs and tref in input_set:
                finished.add(node.id)
                if tref in clone_of:
                    op_index.setdefault(clone_of[tref], len(op_index))
                continue
            if node.id in in_progress:
                continue
            op_index.setdefault(node.layer, len(op_index))
            in_progress.add(node.id)
            stack.append((tref, True))
            for child in reversed(node.parents):
                stack.append((child, False))

    for out in outputs:
        visit(out)
    in_graph = {n.id for n in order}
    node_depth: Dict[int, int] = {}
    op_depth: Dict[int, int] = {}
    for node in reversed(order):
        depth = node_depth.setdefault(node.id, 0)
        depth = max(depth, op_depth.get(node.layer, 0))
        op_depth[node.layer] = depth
        node_depth[node.id] = depth
        for ref in node.parents:
            parent = ref.node
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
            elif ref in clone_of:
                op_depth[clone_of[ref]] = max(depth + 1, op_depth.get(clone_of[ref], 0))
    for ref in inputs:
        node = nodes[ref.node]
        if ref in clone_of and clone_of[ref] not in op_depth:
            op_depth[clone_of[ref]] = 0
            op_index[clone_of[ref]] = -1
        if node.layer not in op_depth and not node.inputs:
            op_depth[node.layer] = 0
            op_index[node.layer] = -1
    by_depth: Dict[int, List[int]] = {}
    for layer, depth in op_depth.items():
        by_depth.setdefault(depth, []).append(layer)
    result: List[int] = []
    for depth in sorted(by_depth, reverse=True):
        result.extend(sorted(by_depth[depth], key=lambda l: op_index[l]))
    return result


def clone_uid(i: int) -> int:
    """``build_map``'s place for the ``InputLayer`` Keras makes for ``inputs[i]``, a layer's output (negative: no
    layer of the file)."""
    return -2 - i


def one_tensor_per_output() -> frozenset:
    """Layers a call of which on symbolic tensors makes one ``KerasTensor`` per output and no other (checked with
    Keras 3.15: tests/test_clone_names.py), when no mask is in play: the catalogue's specs with that trait."""
    global _ONE_TENSOR_LAYERS
    if _ONE_TENSOR_LAYERS is None:
        _ONE_TENSOR_LAYERS = catalogue.with_trait("one_tensor_per_output")
    return _ONE_TENSOR_LAYERS


_ONE_TENSOR_LAYERS: Optional[frozenset] = None
#: Operations whose call makes one ``KerasTensor`` per output and no other.
_ONE_TENSOR_OPS = frozenset("Add Subtract Multiply TrueDivide Divide GetItem Matmul Mean Sum Transpose ExpandDims "
                            "Squeeze".split())
_WRAPPERS = frozenset({"Bidirectional", "TimeDistributed"})


def _tensors_made(ctx: FileContext, node: Node, upto: Optional[int] = None) -> Optional[int]:
    """How many ``KerasTensor`` objects Keras names automatically (``keras_tensor_N``) for this call: its outputs
    (the first ``upto`` of them), for a call :func:`one_tensor_per_output` covers; None when not known."""
    if node.layer < 0 or any(k not in ("training", "return_attention_scores") for k, _ in node.call_kwargs):
        return None
    layer = ctx.ir.layer(node.layer)
    if layer.submodel is not None or layer.open_kwargs is not None:
        return None
    if layer.type == "InputLayer" and layer.known and not node.inputs:
        kwargs = dict(layer.kwargs)
        if "tensor" in kwargs or "input_tensor" in kwargs or layer.args[3:]:
            return None
        if "name" not in kwargs or kwargs["name"] is None:
            return 0 if upto == 0 else 1
        return 0 if isinstance(kwargs["name"], str) else None
    if layer.operation:
        if layer.type not in _ONE_TENSOR_OPS:
            return None
    elif not layer.known:
        return None
    elif layer.type in _WRAPPERS:
        inner = layer.args[0] if layer.args else layer.kwarg("layer")
        if not isinstance(inner, LayerDef) or inner.type not in one_tensor_per_output() or inner.open_kwargs:
            return None
    elif layer.type not in one_tensor_per_output() or (layer.type == "Embedding" and (
            layer.kwarg("mask_zero", False) is not False or len(layer.args) > 2)):
        return None  # (an Embedding's mask makes a tensor more)
    try:
        shape = ctx.output(node)
    except _Fail:
        return None
    if shape is None:
        return None
    outputs = len(shape) if shape and isinstance(shape[0], tuple) else 1
    return outputs if upto is None else min(upto, outputs)


def _clone_name(ctx: FileContext, ref: TensorRef) -> str:
    """The name of the ``InputLayer`` Keras makes for a model input that is a layer's output: the tensor's name
    and ``CLONE`` (functional.clone_graph_nodes). The tensor's name is ``keras_tensor_N`` (``keras_tensor`` for
    N = 0), N counting the tensors Keras named so before it in the process (every ``keras.Input`` without
    ``name=``, every output of a layer or operation called on symbolic tensors, and some made inside a call:
    ``Lambda`` and ``Masking`` make more). N is counted only when every call before is one whose count is known
    and the file builds nothing else (no Sequential, subclassed model, application, project import); else the
    name is ``keras_tensor_?CLONE``: the ``?`` is a number the analysis does not know."""
    ir = ctx.ir
    unknown = "keras_tensor_?CLONE"
    if ir.imports or any(m.kind != "functional" for m in ir.models) or any(n.code == "KC902" for n in ir.notes):
        return unknown
    count = 0
    for node in ir.nodes[:ref.node]:
        made = _tensors_made(ctx, node)
        if made is None:
            return unknown
        count += made
    made = _tensors_made(ctx, ir.node(ref.node), upto=ref.index)
    if made is None:
        return unknown
    count += made
    return f"keras_tensor_{count}CLONE" if count else "keras_tensorCLONE"


def _graph_calls(ir: FileIR, inputs: Sequence[TensorRef], outputs: Sequence[TensorRef]) -> Dict[int, List[Node]]:
    """The nodes a forward pass from ``inputs`` to ``outputs`` runs, by layer (a shared layer runs several)."""
    stop = set(inputs)
    seen: set = set()
    calls: Dict[int, List[Node]] = {}
    stack = list(outputs)
    while stack:
        ref = stack.pop()
        node = ir.node(ref.node)
        if node.id in seen:
            continue
        seen.add(node.id)
        if node.inputs and ref in stop:
            continue  # an intermediate tensor given as the model's input: what made it does not run
        calls.setdefault(node.layer, []).append(node)
        stack.extend(node.parents)
    return calls


def _later_failure(ctx: FileContext, layer: LayerDef, own: Sequence[Node]) -> Optional[LayerResult]:
    """The row of a layer shared with a model made after this one, whose call there fails (Keras raises there,
    after this model is built: a TensorFlow function on a Keras tensor, an input the layer rejects), while its calls
    in this model (``own``) do not: its weights, built by its first call, and this model's costs; not the output
    shape the summary shows, that of the layer's last call. None where one of its own calls fails too."""
    try:
        for node in own:
            ctx.output(node)
        weights = ctx.weights(layer)
    except _Fail:
        return None
    return _row(layer, None, weights, node=own[-1], input_shape=ctx.input_shapes(own[-1]) if own[-1].inputs else None,
                costs=_graph_costs(ctx, layer, own))


def _functional(ctx: FileContext, model: ModelDef) -> ModelResult:
    if model.unresolved is not None:
        return _finish(model, [], None, None, [model.unresolved.reason])
    order = build_map(ctx, model.inputs, model.outputs, clones=True)
    calls = _graph_calls(ctx.ir, model.inputs, model.outputs)
    rows: List[LayerResult] = []
    reasons: List[str] = []
    clones = {}
    for uid in order:
        if uid < -1:  # Keras's InputLayer for an input that is a layer's output
            ref = model.inputs[-2 - uid]
            clone = LayerDef(-1, "InputLayer", _clone_name(ctx, ref), (), (), ctx.ir.node(ref.node).span)
            clones[ref] = clone.name
            try:
                shape = ctx.tensor(ref)
                rows.append(_row(clone, shape, Weights(trainable=0, non_trainable=0),
                                 costs=_costs(ctx, clone, [((), shape, ())])))
            except _Fail as f:
                rows.append(_row(clone, None, None, f.problem))
            continue
        layer = ctx.ir.layer(uid)
        last = ctx.last_node.get(uid)
        try:
            shape = ctx.output(last) if last is not None else None
            if shape is not None and shape and isinstance(shape[0], tuple):
                shape = tuple(shape)
            weights = ctx.weights(layer)
            rows.append(_row(layer, shape, weights, node=last,
                             input_shape=ctx.input_shapes(last) if last is not None and last.inputs else None,
                             costs=_graph_costs(ctx, layer, calls.get(uid, ()))))
        except _Fail as f:
            problem = ctx.first_failure(layer) or f.problem
            own = calls.get(uid, ())
            latest = max(n.id for n in own) if own else None
            if latest is not None and last is not None and last.id > latest and \
                    (problem.node is None or problem.node > latest):
                row = _later_failure(ctx, layer, own)
                if row is not None:
                    rows.append(row)
                    continue
            where = ctx.ir.node(problem.node) if problem.node is not None else last
            rows.append(_row(layer, None, None, problem, node=where))
    stray = _stray_inputs(ctx.ir, model.inputs, model.outputs) if not _input_of_unknown_call(ctx.ir, model.inputs) \
        else {}
    for i, row in enumerate(rows):
        if row.layer.uid in stray and row.problem is None:
            rows[i] = replace(row, output_shape=None, params=None, trainable=None, non_trainable=None, problem=Problem(
                InvalidArguments.CODE, f"{NOT_CONNECTED}{row.layer.name}, which is not one of its inputs: Keras "
                "raises (\"Output ... is not connected to `inputs`\"); pass it in the model's inputs", True,
                node=stray[row.layer.uid]))
    inputs = [_safe(ctx, r) for r in model.inputs]
    outputs = [_safe(ctx, r) for r in model.outputs]
    if ctx.live:
        connections = edges = None  # (what only the report shows)
    elif clones:
        connections = _clone_connections(ctx, model, order, calls, clones)
    else:
        connections = _connections(ctx.ir, model, [r.layer.uid for r in rows], calls, node_numbers=ctx.node_numbers)
    if not ctx.live:
        edges = _edges(ctx.ir, order, calls, clones={clone_uid(i): ref for i, ref in enumerate(model.inputs)
                                                     if ref in clones})
    result = replace(_finish(model, rows, inputs, outputs, reasons), connections=connections, edges=edges)
    if any(uid >= 0 and ctx.ir.layer(uid).submodel is not None and
           ctx.ir.models[ctx.ir.layer(uid).submodel].kind == "application" for uid in order):
        result = app_layers.inline(ctx, model, order, calls, result)
    assumes = _assumed_agreements(ctx, order, calls)
    return replace(result, assumes=assumes) if assumes and result.status != "unknown" else result


def _assumed_agreements(ctx: FileContext, order: Sequence[int], calls: Dict[int, List[Node]]) -> Tuple[str, ...]:
    """The sizes a functional model's numbers assume agree (``ModelResult.assumes``): those of its
    ``Concatenate`` calls (kerascount/catalogue/merge.py ``concat_assumptions``), and its nested models'."""
    out: List[str] = []
    for uid in order:
        if uid < 0:
            continue
        layer = ctx.ir.layer(uid)
        if layer.submodel is not None and ctx.ir.models[layer.submodel].kind != "application":
            try:
                out.extend(ctx.model(layer.submodel).assumes)
            except _Fail:
                pass
            out.extend(ctx.call_assumes.get(uid, ()))
            continue
        if layer.type != "Concatenate" or not layer.known or layer.operation:
            continue
        for node in calls.get(uid, ()):
            try:
                shapes = ctx.input_shapes(node)
                args = config(catalogue.lookup("Concatenate"), layer)
            except (_Fail, ShapeError, Unresolved):
                continue
            out.extend(f"{layer.name}: {pair}" for pair in merge.concat_assumptions(args, shapes))
    return tuple(dict.fromkeys(out))


#: How the problem of an Input a functional model's outputs depend on, but not among its inputs, starts: it is the
#: model's error (rules report it where the model is made).
NOT_CONNECTED = "the model's outputs are computed from "


def _input_of_unknown_call(ir: FileIR, inputs: Sequence[TensorRef]) -> bool:
    """Is one of a functional model's inputs what a call the analysis does not know returned for a tensor
    (``inputs = get_source_inputs(input_tensor)`` imported from a package not analysed)? It may be that very
    tensor: which Inputs the model takes is not known, so none is said to be left out of them."""
    for ref in inputs:
        node = ir.node(ref.node)
        if node.inputs and node.layer >= 0 and not ir.layer(node.layer).known:
            return True
    return False


def _stray_inputs(ir: FileIR, inputs: Sequence[TensorRef], outputs: Sequence[TensorRef]) -> Dict[int, int]:
    """The ``keras.Input`` layers (uid -> node id) that a functional model's outputs are computed from without
    passing through one of its ``inputs``: Keras raises "Output ... is not connected to `inputs`"."""
    given = set(inputs)
    stack, seen = [r for r in outputs if r not in given], set()
    stray: Dict[int, int] = {}
    while stack:
        ref = stack.pop()
        if ref.node in seen:
            continue
        seen.add(ref.node)
        node = ir.node(ref.node)
        if not node.inputs:
            layer = ir.layer(node.layer) if node.layer >= 0 else None
            if layer is not None and layer.type == "InputLayer" and layer.known and layer.submodel is None:
                stray.setdefault(layer.uid, node.id)
            continue
        stack.extend(r for r in node.parents if r not in given)
    return stray


def _edges(ir: FileIR, order: Sequence[int], calls: Dict[int, List[Node]],
           through: bool = False, clones: Optional[Dict[int, TensorRef]] = None) -> Tuple[Tuple[int, int], ...]:
    """(producer row, consumer row) for each tensor a layer's call reads from another row's layer.

    ``through``: a tensor made by a call that is not a row (an operation in a subclassed model's
    ``call``) is followed back to the rows that fed it. ``clones``: the rows (``clone_uid``) of inputs that are
    layers' outputs, by the tensor each stands for."""
    index = {uid: i for i, uid in enumerate(order)}
    clone_row = {ref: index[uid] for uid, ref in (clones or {}).items() if uid in index}
    found = set()
    for uid in order:
        for node in calls.get(uid, ()):
            for ref in node.parents:
                if ref in clone_row:
                    found.add((clone_row[ref], index[uid]))
            stack, seen = [ref.node for ref in node.parents if ref not in clone_row], set()
            while stack:
                nid = stack.pop()
                if nid in seen:
                    continue
                seen.add(nid)
                parent = ir.node(nid)
                if parent.layer in index:
                    found.add((index[parent.layer], index[uid]))
                elif through:
                    stack.extend(ref.node for ref in parent.parents)
    return tuple(sorted(found))


def _connections(ir: FileIR, model: ModelDef, order: Sequence[int], calls: Dict[int, List[Node]],
                 chain_too: bool = False, node_numbers: Any = None) -> Any:
    """"Connected to" per row, as ``model.summary()`` shows it when the graph is not a chain (None if it is,
    unless ``chain_too``).

    A tensor is ``(layer name, node index, tensor index)``: the node index counts the layer's calls
    on symbolic tensors before it, file-wide, as Keras numbers ``_inbound_nodes``; calls a
    subclassed model's ``call`` runs on arrays make no node.
    """
    nodes = [n for uid in order for n in calls.get(uid, ())]
    # (a row without a call is an input the outputs do not use: Keras puts its node at depth 0, an output's)
    chain = all(len(n.parents) <= 1 for n in nodes) and all(len(calls.get(uid, ())) == 1 for uid in order) \
        and _depths_distinct(nodes)
    if chain and not chain_too:
        return None
    numbers = node_numbers() if node_numbers is not None else _node_numbers(ir)
    out = []
    for uid in order:
        row = []
        for node in sorted(calls.get(uid, ()), key=lambda n: n.id):
            for ref in node.parents:
                parent = ir.node(ref.node)
                if ref.node not in numbers or parent.layer < 0:
                    return None
                row.append((ir.layer(parent.layer).name, numbers[ref.node], ref.index))
        out.append(tuple(row))
    return tuple(out)


def _depths_distinct(nodes: Sequence[Node]) -> bool:
    """No two of the model's nodes are at the same depth, as Keras's ``map_graph`` gives depths: the longest path
    from a node to one that feeds no other of them (an output, or an input that nothing uses), 0 there. With one
    input tensor a node and one node a layer, this is what makes ``model.summary()`` leave out "Connected to":
    a chain, whatever tensors of it are outputs."""
    ids = {n.id for n in nodes}
    feeds: Dict[int, List[int]] = {}
    for n in nodes:
        for ref in n.parents:
            if ref.node in ids:
                feeds.setdefault(ref.node, []).append(n.id)
    depth: Dict[int, int] = {}
    for n in sorted(nodes, key=lambda n: -n.id):  # (a node's consumers are made after it)
        depth[n.id] = max((depth[c] + 1 for c in feeds.get(n.id, ()) if c in depth), default=0)
    return len(set(depth.values())) == len(depth)


def _clone_connections(ctx: FileContext, model: ModelDef, order: Sequence[int], calls: Dict[int, List[Node]],
                       clones: Dict[TensorRef, str]) -> Any:
    """"Connected to" of a model some input of which is a layer's output (``Model(h, f(h))``): Keras copies every
    call of the graph (functional.clone_graph_nodes), so each is its layer's next node, after the calls made before
    the model (and the copies of earlier such models); the tensor ``h`` is the new ``InputLayer``'s (``[0][0]``).
    Its ``keras.Input`` layers get a new node too. None (no column, as when not known) when a layer of the graph is
    also called after the model's line, or copied by another such model not on an earlier line: the number of its
    nodes when the model is made is then not followed."""
    ir = ctx.ir
    nodes = [n for uid in order if uid >= 0 for n in calls.get(uid, ())]
    chain = all(len(n.parents) <= 1 for n in nodes) and \
        all(len(calls.get(uid, ())) <= 1 for uid in order if uid >= 0) and _depths_distinct(nodes)
    if chain:
        return None
    if any(len(calls.get(uid, ())) > 1 for uid in order if uid >= 0):
        return None  # a layer called twice in the graph: the order Keras copies its calls in is not followed
    numbers = ctx.node_numbers()
    made_before: Dict[int, int] = {}
    graph = {n.id for n in nodes}
    for node in ir.nodes:
        if node.layer in calls and node.id in numbers:
            if node.span.line > model.span.line and node.id not in graph:
                return None
            made_before[node.layer] = made_before.get(node.layer, 0) + 1
    for other in ir.models:  # earlier models of this kind copied their calls too
        if other is model or other.kind != "functional" or not any(ir.node(r.node).inputs for r in other.inputs):
            continue
        copied = set(_graph_calls(ir, other.inputs, other.outputs)) & set(calls)
        if copied and other.span.line >= model.span.line:
            return None
        for uid in copied:
            made_before[uid] = made_before.get(uid, 0) + 1
    out = []
    for uid in order:
        row = []
        for node in sorted(calls.get(uid, ()) if uid >= 0 else (), key=lambda n: n.id):
            for ref in node.parents:
                parent = ir.node(ref.node)
                if ref in clones:
                    row.append((clones[ref], 0, 0))
                    continue
                if parent.layer < 0 or ref.node not in numbers:
                    return None
                row.append((ir.layer(parent.layer).name,
                            None if numbers[ref.node] is None else made_before.get(parent.layer, 0), ref.index))
        out.append(tuple(row))
    return tuple(out)


def _node_numbers(ir: FileIR, marked: Optional[bytearray] = None) -> Dict[int, Optional[int]]:
    """Each node's index among its layer's calls on symbolic tensors, file-wide (Keras's ``_inbound_nodes``).
    ``marked``: ``FileContext._eager`` of ``ir`` (the nodes of subclassed models' call runs), when known."""
    eager = [m.call_nodes for m in ir.models if m.kind == "subclassed"] if marked is None else ()
    # A layer of a Sequential has a node each time Keras builds that Sequential, which the graph does not hold: its
    # own calls' numbers are not known (None, shown as `?`).
    in_sequential = {uid for m in ir.models if m.kind == "sequential" for uid in m.layers}
    numbers: Dict[int, Optional[int]] = {}
    seen: Dict[int, int] = {}
    for node in ir.nodes:
        if marked[node.id] if marked is not None else any(start <= node.id < end for start, end in eager):
            continue
        number = seen.get(node.layer, 0)
        numbers[node.id] = None if node.layer in in_sequential else number
        seen[node.layer] = number + 1
    return numbers


def _subclassed(ctx: FileContext, model: ModelDef) -> ModelResult:
    """A subclassed model: a row per tracked layer, numbered as ``model.summary()`` numbers it.

    A layer its ``call`` never reaches is not built: Keras shows it without weights and counts
    nothing for it, and a model only marked built by ``model.build()`` counts nothing at all.
    Keras does not know a subclassed model's inputs and outputs (they are not recorded).
    """
    layers = [ctx.ir.layer(uid) for uid in model.layers]
    if model.unresolved is not None:
        # A layer whose arguments Keras rejects (`Dense(n_actions)` given a gym space's NumPy `n`) raised in the
        # model's `__init__`, before anything the analysis did not follow: that is the reason, and its error stays.
        # (Unless what is not followed is itself a Keras error, `super().__init__('name')`, which may come first.)
        earlier = "Keras rejects" in model.unresolved.reason or "Keras raises" in model.unresolved.reason
        problems = [None if earlier else constructor_error(l) for l in layers]
        rejected = [*dict.fromkeys(f"{REJECTED}{p.message}" for p in problems if p is not None and p.error)]
        why = Problem("KC901", rejected[0] if rejected else model.unresolved.reason, False)
        rows = [_row(l, None, None, p if p is not None and p.error else why) for l, p in zip(layers, problems)]
        return _finish(model, rows, None, None, rejected or [model.unresolved.reason])
    start, end = model.call_nodes
    calls: Dict[int, List[Node]] = {}
    for node in ctx.ir.nodes[start:end]:
        calls.setdefault(node.layer, []).append(node)
    called = _called(model) or model.explicit_build or model.built_unseen
    # Costs are known only when call was traced (compute_output_shape alone says nothing of them).
    rows = [_tracked_row(ctx, layer, calls.get(layer.uid, ()), bool(model.outputs)) for layer in layers]
    edges = _edges(ctx.ir, model.layers, calls, through=True) if model.outputs and not ctx.live else None
    hidden: List[LayerResult] = []
    if model.own_weights and (called or not model.custom_layer):
        # The weights its build adds: a custom layer's count in the row its users show; a model's in its totals,
        # in no row of its summary (Keras lists only its layers). A model's made in its `__init__` exist whether or
        # not it was called: `model.build(shape)` marks it built with them.
        (rows if model.custom_layer else hidden).append(_own_weights_row(model))
    if not called and model.build_shape is None and model.custom_layer:
        return _finish(model, rows, None, None, [f"`{model.keras_name}` is not called on a tensor the analysis "
                                                 "follows (a custom layer in a Sequential that is never built is not traced)"],
                       unbuilt=True)
    if not called and model.build_shape is None and model.built_on_data is not None:
        return _finish(model, rows, None, None, [model.built_on_data])  # (code not followed may build it: not unbuilt)
    if not called and model.build_shape is None:
        held = hidden + _construction_weights(ctx, layers)
        raised = _raised_call(ctx, model)
        if raised is not None:  # (extract/classes.positional_raises: Keras's __call__ raised before building it)
            return _held(_finish(model, rows, None, None, [f"`{model.keras_name}` is called, but Keras raises there "
                                                           f"before it builds anything ({raised})"], unbuilt=True),
                         rows, held)
        return _held(_finish(model, rows, None, None, [f"`{model.keras_name}` is never called, so Keras has not built "
                                                       "it: call it on keras.Input(shape), or use it in a functional "
                                                       "model"], unbuilt=True), rows, held)
    held = []
    holding = set()
    for layer in layers:
        weights = _held_weights(ctx, layer)
        if isinstance(weights, Weights):
            # counted in the totals, in no row: Keras's summary shows that unbuilt model without params
            held.append(_row(LayerDef(-1, "held", f"{layer.name} weights", (), (), model.span), None, weights,
                             costs=(0, 0) if model.outputs else (None, None)))
            holding.add(layer.uid)
    unbuilt = [r.layer.name for r in rows if r.params is None and r.problem is None and r.layer.uid not in holding]
    if not called:
        reasons = ["model.build() marks a subclassed model built without building its layers (they have no "
                   "params yet): call the model on keras.Input(shape) to build them"]
    else:
        reasons = [f"{name} is never called, so Keras does not build it (0 params)" for name in unbuilt]
    reasons += [f"{r.layer.name} is never called, so Keras does not build it: its summary row shows no params, "
                "but the weights its layers hold already count" for r in rows if r.layer.uid in holding and called]
    counted = [r for r in rows if r.params is not None or r.problem is not None] + hidden + held
    result = replace(_finish(model, rows, None, None, reasons, counted=counted), edges=edges,
                     traced=_traced_shapes(ctx, model))
    if hidden:
        # call's operations on those weights are not costed: the model's costs are not known
        result = replace(result, macs=None, activations=None, activation_bytes=None)
    return result


def _traced_shapes(ctx: FileContext, model: ModelDef) -> Optional[Tuple[Tuple[Any, ...], Tuple[Any, ...]]]:
    """The shapes a subclassed model's traced ``call`` ran on and returned, when all are known; else None."""
    if not model.outputs or not model.inputs or model.custom_layer:
        return None
    try:
        shapes = (tuple(ctx.tensor(r) for r in model.inputs), tuple(ctx.tensor(r) for r in model.outputs))
    except _Fail:
        return None
    return shapes if all(isinstance(s, tuple) for group in shapes for s in group) else None


def _raised_call(ctx: Any, model: ModelDef) -> Optional[str]:
    """Why Keras's ``__call__`` raised on a call of the model (a ``call_raises`` of a node of the layer standing
    for it), else None."""
    index = next((i for i, m in enumerate(ctx.ir.models) if m is model), None)
    uids = {layer.uid for layer in ctx.ir.layers if layer.submodel == index} if index is not None else set()
    for node in ctx.ir.nodes:
        if node.layer in uids:
            raises = next((v for k, v in node.call_kwargs if k == "call_raises"), None)
            if isinstance(raises, str):
                return raises
    return None


def _called(model: ModelDef) -> bool:
    """Was the subclassed model (or custom layer) called: its ``call`` traced, or its output shape given by
    its ``compute_output_shape``."""
    return bool(model.outputs) or (model.fixed_output is not None and model.symbolic_call and bool(model.inputs))


def _construction_weights(ctx: FileContext, layers: Sequence[LayerDef]) -> List[LayerResult]:
    """Rows (never shown) of the weights the custom layers of a model Keras has not built already hold: those
    their ``__init__`` made with ``add_weight`` (Keras makes each variable then; the layer's ``build`` never ran).
    Keras's summary shows such a layer as ``0 (unbuilt)``, and counts its variables in the model's totals."""
    held = []
    for layer in layers:
        sub = ctx.ir.models[layer.submodel] if layer.submodel is not None else None
        if sub is not None and sub.custom_layer and sub.own_weights and sub.unresolved is None and \
                not _called(sub) and sub.build_shape is None:
            held.append(_own_weights_row(sub))
    return held


def _held(result: ModelResult, rows: Sequence[LayerResult], held: Sequence[LayerResult]) -> ModelResult:
    """An unbuilt model's result, with the totals Keras's summary counts when some of its layers (or itself) already
    hold weights (``held``): those of the rows with a count (layers built when made) and those weights; Keras counts
    nothing for its unbuilt layers. Its own totals stay None (Keras has not built it)."""
    if not held or result.status != "unbuilt":
        return result
    counted = [r for r in rows if r.params is not None] + list(held)
    return replace(result, held_totals=(_sum([r.params for r in counted]), _sum([r.counted_split()[0] for r in counted]),
                                        _sum([r.counted_split()[1] for r in counted])))


def _own_weights_row(model: ModelDef) -> LayerResult:
    """The weights a custom layer's ``build`` adds with ``add_weight`` (a row of its own, never shown). Keras makes a
    weight non-trainable when its layer is frozen as it is made, and the layer's setter sets those made trainable: a
    frozen layer's are all non-trainable (``trainable=False`` given to its constructor too, unlike the flags of the
    sublayers it makes, which keep their own)."""
    frozen = model.trainable is False
    trainable = sum(size for size, flag in model.own_weights if flag and not frozen)
    non_trainable = sum(size for size, flag in model.own_weights if not flag or frozen)
    layer = LayerDef(-1, "add_weight", f"{model.keras_name} weights", (), (), model.span)
    # call's operations on the weights (``x @ self.w``) are not costed: the layer's costs are not known.
    return _row(layer, None, Weights(trainable=trainable, non_trainable=non_trainable), costs=(None, None))


_UNKNOWN_HELD = object()


def _held_weights(ctx: FileContext, layer: LayerDef) -> Any:
    """For a model a subclassed model holds and its ``call`` never reaches (or none, when ``build()`` only marked it
    built), which Keras leaves unbuilt (its summary row shows no params): the weights its layers hold already all the
    same (an inner model's Sequential that starts with keras.Input, an inner model called on its own before), which
    Keras's totals count. None when it holds none (its layers are not built) or it is a model built when made (its
    own row has them); ``_UNKNOWN_HELD`` where they are not known."""
    nested = ctx.ir.models[layer.submodel] if layer.submodel is not None else None
    if nested is None or ctx.first_node.get(layer.uid) is not None or layer.built_shape is not None or \
            nested.custom_layer and nested.explicit_build or nested.kind == "functional" or \
            nested.kind == "sequential" and (nested.input_layer is not None or nested.implicit_input):
        return None
    result = ctx.model(layer.submodel)
    if result.status == "unknown" or (result.total is None and any(
            ctx.ir.layer(uid).submodel is not None for uid in nested.layers)):
        return _UNKNOWN_HELD
    if result.total is None or result.total == 0:
        return None
    trainable, non_trainable = variable_split(result)
    return Weights(trainable=trainable, non_trainable=non_trainable,
                   total=result.total if trainable is None or non_trainable is None else None)


def _tracked_row(ctx: FileContext, layer: LayerDef, calls: Sequence[Node], traced: bool) -> LayerResult:
    """The row of a layer a subclassed model tracks; ``calls``: its calls when ``call`` runs."""
    first = ctx.first_node.get(layer.uid)
    if first is None and layer.built_shape is not None:
        # Built by hand (`self.proj.build(shape)`), never called: its weights; the summary shows the output shape
        # its compute_output_shape gives for the shape it was built for (Keras's summary asks it so).
        try:
            weights = ctx.weights(layer)
        except _Fail as f:
            return _row(layer, None, None, f.problem)
        try:
            shape = run(_spec(layer), layer, layer.built_shape, "output")
        except _Fail:
            shape = None
        return _row(layer, shape, weights, costs=(0, 0) if traced else (None, None))
    nested = ctx.ir.models[layer.submodel] if layer.submodel is not None else None
    if first is None and nested is not None and nested.custom_layer and nested.explicit_build:
        # A custom layer another layer's build built itself (``block.build(shape)``), never called: the weights
        # its build made.
        result = ctx.model(layer.submodel)
        if result.status in ("exact", "symbolic"):
            weights = Weights(trainable=result.trainable, non_trainable=result.non_trainable,
                              total=result.total if result.trainable is None or result.non_trainable is None else None)
            return _row(layer, None, weights, costs=(0, 0) if traced else (None, None))
        why = "; ".join(result.reasons) or "its numbers are not known"
        return _row(layer, None, None, Problem("KC901", f"custom layer {layer.name}: {why}", False))
    if first is None and nested is not None and (nested.kind == "functional" or nested.kind == "sequential" and (
            nested.input_layer is not None or nested.implicit_input)):
        # A model built when it was made (a custom layer's build makes it; Keras asks its compute_output_shape
        # and never runs call): never called, it holds its weights all the same.
        result = ctx.model(layer.submodel)
        if result.status in ("exact", "symbolic") and result.outputs:
            # (its row shows the model's output shape, as model.summary() does)
            out, weights = _apply_submodel(ctx, layer, None, result)
            return _row(layer, out, weights, costs=(0, 0) if traced else (None, None))
        why = "; ".join(result.reasons) or "its numbers are not known"
        return _row(layer, None, None, Problem("KC901", f"nested model {layer.name}: {why}", False))
    if first is None and nested is not None and _held_weights(ctx, layer) is _UNKNOWN_HELD:
        # A model it holds that its call never reaches, whose layers may hold weights (Keras counts those): not known
        result = ctx.model(layer.submodel)
        why = "; ".join(result.reasons) or "the weights its layers hold are not known"
        return _row(layer, None, None, Problem("KC901", f"nested model {layer.name}: {why}", False))
    if first is None:
        # Never called: not built, and it costs nothing in the forward pass ``call`` makes (if traced).
        return _row(layer, None, Weights() if _weightless(layer) else None, constructor_error(layer),
                    costs=(0, 0) if traced else (None, None))
    try:
        weights = ctx.weights(layer)
        return _row(layer, _summary_shape(ctx, layer, first), weights, node=first,
                    input_shape=ctx.input_shapes(first) if first.inputs else None,
                    costs=_graph_costs(ctx, layer, calls))
    except _Fail as f:
        problem = ctx.first_failure(layer) or f.problem
        where = ctx.ir.node(problem.node) if problem.node is not None else first
        return _row(layer, None, None, problem, node=where)


def _summary_shape(ctx: FileContext, layer: LayerDef, first: Node) -> Any:
    """The output shape ``model.summary()`` shows for a layer of a subclassed model.

    Keras's trace of ``call`` makes no nodes: the shape comes from the layer's last call on symbolic
    tensors elsewhere, else from the input it was built for; None ("?") for a layer Keras built when
    it made it, and for a subclassed model, which cannot compute its output shape.
    """
    node = ctx.graph_last.get(layer.uid)
    if node is None and (layer.built_shape is not None or layer.adapted is not None):
        # Built before its first call (``self.proj.build(shape)``, a Normalization's ``adapt(data)``): Keras shows the
        # output for the shape it was built on
        if layer.adapted is not None or isinstance(layer.built_shape, Unknown):
            return None
        try:
            return run(_spec(layer), layer, layer.built_shape, "output")
        except _Fail:
            return None
    if node is None:
        nested = ctx.ir.models[layer.submodel] if layer.submodel is not None else None
        if nested is not None and nested.custom_layer and nested.fixed_output is not None:
            several = fixed_outputs(nested.fixed_output)
            return list(several) if several else nested.fixed_output  # Keras asks the layer's compute_output_shape
        if _weightless(layer) or (nested is not None and nested.kind == "subclassed"):
            return None
        if nested is not None and nested.kind in ("functional", "sequential"):
            # Keras shows a nested model's own `output_shape` (its inputs' sizes, None or a batch it was built on),
            # not that of the arrays `call` ran it on
            own = ctx.model(layer.submodel)
            if own.outputs and all(o is not None for o in own.outputs):
                return own.outputs[0] if len(own.outputs) == 1 else list(own.outputs)
        node = first
    shape = ctx.output(node)
    return tuple(shape) if shape and isinstance(shape[0], tuple) else shape


def _shapes(shapes: Sequence[Any]) -> str:
    """``[(None, 224, 224, 3)]``: the shapes a nested model is given or was built for, as Keras prints them
    (symbols by their names)."""
    return "[" + ", ".join(catalogue.spec.show_shape(s) for s in shapes) + "]"


def _subclassed_call(ctx: FileContext, layer: LayerDef, shapes: Any) -> ModelResult:
    """The subclassed model ``layer`` called on ``shapes``: its result, with the shapes its ``call`` gives."""
    model = ctx.ir.models[layer.submodel]
    result = ctx.model(layer.submodel)
    if result.status in ("unknown", "unbuilt") or not _called(model):
        why = "; ".join(result.reasons) or "its numbers are not known"
        what = "custom layer" if model.custom_layer else "nested model"
        raise _Fail(Problem("KC901", f"{what} {layer.name}: {why}", False))
    declared = [ctx.tensor(r) for r in model.inputs]
    given = shapes if isinstance(shapes, list) else [shapes]
    outputs = (fixed_outputs(model.fixed_output) or (model.fixed_output,)) if model.fixed_output is not None and \
        model.symbolic_call else \
        tuple(ctx.tensor(r) for r in model.outputs)
    if declared != given:
        moved = _other_batch(declared, given, outputs)
        if moved is None:
            raise _Fail(Problem("KC901", f"{layer.name} is called on {_shapes(given)} but was built for "
                                         f"{_shapes(declared)}", False))
        return replace(result, inputs=tuple(given), outputs=moved)
    return replace(result, inputs=tuple(declared), outputs=outputs)


def _other_batch(declared: List[Any], given: List[Any], outputs: Tuple[Any, ...]) -> Optional[Tuple[Any, ...]]:
    """A subclassed model built by a call on arrays (``teacher(np.zeros((2, 7)))``) and called again on tensors of
    the same sizes but the batch (``keras.Sequential([keras.Input((7,)), teacher])``): Keras runs its call again, with
    the weights it has (no weight depends on the batch), so the outputs are the first call's with the new batch, where
    each output's first size is the batch it was built on. None otherwise."""
    if len(declared) != len(given):
        return None
    built, new = set(), set()
    for d, g in zip(declared, given):
        if not (isinstance(d, tuple) and isinstance(g, tuple) and len(d) == len(g) >= 2 and d[1:] == g[1:] and
                type(d[0]) is int and (g[0] is None or type(g[0]) is int)):
            return None
        built.add(d[0])
        new.add(g[0])
    if len(built) != 1 or len(new) != 1:
        return None
    (batch,), (other,) = built, new
    if not outputs or not all(isinstance(o, tuple) and len(o) >= 2 and o[0] == batch for o in outputs):
        return None
    return tuple((other, *o[1:]) for o in outputs)


def _after_layers(ir: FileIR, model: ModelDef) -> bool:
    """An application built on ``input_tensor=`` that other layers made (not an ``Input`` itself)."""
    return model.app_input is not None and bool(ir.node(model.app_input.node).inputs)


def _application(ctx: FileContext, model: ModelDef) -> ModelResult:
    """A ``keras.applications`` model: numbers from the generated data, its layers where they are stored
    (kerascount/app_layers.py).

    One built on ``input_tensor=`` that other layers made is Keras's ``Functional(get_source_inputs(t),
    outputs)``: the graph from those inputs through those layers to the application's output, its layers
    listed inline (app_layers.inline) after the layers before the tensor."""
    if not _after_layers(ctx.ir, model) or model.unresolved is not None or model.app_output is None:
        return _application_core(ctx, model)
    index = next(i for i, m in enumerate(ctx.ir.models) if m is model)
    core = ctx.app_core(index)
    if core.status not in ("exact", "symbolic"):
        return core
    graph = replace(model, kind="functional", inputs=model.app_sources, outputs=(model.app_output,))
    # In its own graph the application's layer stands for its layers on the tensor (base.output), whatever
    # calls of the whole model (base(x)) the file makes: their node is not this graph's.
    uid = ctx.ir.node(model.app_output.node).layer
    kept = ctx.first_node.get(uid), ctx.last_node.get(uid), ctx._weights.get(uid)
    ctx.first_node[uid] = ctx.last_node[uid] = ctx.ir.node(model.app_output.node)
    seeded = ctx._weights[uid] = _apply_submodel(ctx, ctx.ir.layer(uid), None, core)[1]
    try:
        result = _functional(ctx, graph)
    finally:
        for table, value in zip((ctx.first_node, ctx.last_node, ctx._weights), kept):
            if value is not None:
                table[uid] = value
            else:
                table.pop(uid, None)
        first = ctx.first_node.get(uid)
        if kept[2] is None and first is not None and any(k == "application_output" for k, _ in first.call_kwargs):
            ctx._weights[uid] = seeded  # never called, only read: what its first read would have recorded
    if result.collapsed is None:
        # Not listed inline (its layers are not stored for these arguments): the totals only, never a row Keras
        # does not show; the application's own weights are its layers' on the tensor, whatever call of the
        # whole model the file also makes.
        own = [r for r in result.rows if r.layer.uid != uid]
        total, trainable, non_trainable = (_sum([getattr(r, row) for r in own] + [getattr(core, mine)])
                                           for row, mine in (("params", "total"), ("trainable", "trainable"),
                                                             ("non_trainable", "non_trainable")))
        result = replace(result, rows=(), edges=(), connections=None, total=total, trainable=trainable,
                         non_trainable=non_trainable, status=_status(total, trainable, non_trainable),
                         param_bytes=None if total is None else cost.memory(total), macs=None, activations=None,
                         activation_bytes=None)
    collapsed = replace(result.collapsed, model=model) if result.collapsed is not None else None
    return replace(result, model=model, collapsed=collapsed)


def _application_core(ctx: FileContext, model: ModelDef) -> ModelResult:
    """The application's own layers, on the tensor they are applied to."""
    from .catalogue import applications

    if model.unresolved is not None:
        return _finish(model, [], None, None, [model.unresolved.reason])
    name, args, kwargs = model.application
    spec = applications.lookup(name)
    try:
        if spec is None:
            raise Unresolved(f"keras.applications.{name} is not in the catalogue")
        app = applications.evaluate(spec, args, dict(kwargs))
    except ShapeError as exc:
        layer = LayerDef(-1, name, model.keras_name, (), (), model.span)
        return _finish(model, [_row(layer, None, None, Problem(exc.code, exc.message, True))], None, None, [])
    except Unresolved as exc:
        # No rows, and no numbers either (no rows would add up to an "exact" 0).
        return replace(_finish(model, [], None, None, [exc.reason]), total=None, trainable=None, non_trainable=None,
                       status="unknown", param_bytes=None, macs=None, activations=None, activation_bytes=None)
    flags = [ctx.ir.layer(uid).kwarg("trainable", True) for uid in model.app_layers]
    given = None
    if model.input_layer is not None and not _after_layers(ctx.ir, model):
        given = ctx.ir.layer(model.input_layer)  # input_tensor=keras.Input(...): its first row
    return app_layers.application_result(model, app, applications.graph_rows(spec, args, dict(kwargs), app), flags,
                                         given)


def _safe(ctx: FileContext, ref: TensorRef) -> Any:
    try:
        return ctx.tensor(ref)
    except _Fail:
        return None
