"""Shapes while interpreting: ``x.shape``, ``K.int_shape(x)``, ``model.output_shape`` on the graph built so far.

Keras computes each output tensor's shape when a layer is called, so model code may read it
(``if x.shape[-1] != filters:``, ``Reshape((x.shape[1] * x.shape[2], -1))``). The interpreter
asks the infer stage (:class:`~kerascount.infer.FileContext`) over a snapshot of the IR made so
far: the catalogue computes the shape, nothing is re-implemented here. Shapes of nodes already
computed are kept between snapshots (a node's shape never changes once it is made).
"""

from __future__ import annotations

import ast
import itertools
import os
from dataclasses import fields
from typing import Any, Dict, List, Optional, Tuple

from ..nodes import walk as ast_walk
from ..ir import FileIR, ShapeSize, KerasRaises, ModelDef, Note, TensorDtype, TensorRef, Unknown, UNKNOWN_NAME
from . import arrays
from .collect import _per_node
from .values import BoundMethod, LayerObj, ListValue, ModelBuilder, Tensor

#: How the reason of a value starts when Keras raises before the code computes it (``infer.REJECTED``'s words).
KERAS_REJECTS = "Keras rejects it: "
#: Words of the KC404 note on ``model.input`` of a Sequential never called (``sequential_never_called``).
_NEVER_CALLED = "until it is called on a tensor"

#: Set (``KERASCOUNT_CHECK_LIVE=1``; the tests set it) to check, at each live-shapes context, that every ModelDef kept
#: for an unchanged stamp is the one ``Graph.model_def`` makes anew (AssertionError otherwise).
CHECK = bool(os.environ.get("KERASCOUNT_CHECK_LIVE"))


def _same_def(kept: ModelDef, fresh: ModelDef) -> bool:
    """Whether two ModelDefs of one model hold the same objects, field by field (``model_def`` copies a model's
    containers into new tuples: those hold the same items)."""
    def same(a: Any, b: Any) -> bool:
        return a is b or type(a) is tuple and type(b) is tuple and len(a) == len(b) and all(map(same, a, b)) or \
            type(a) in (int, str) and type(b) is type(a) and a == b
    return all(same(getattr(kept, f.name), getattr(fresh, f.name)) for f in fields(ModelDef))


def _check_context(ctx: Any) -> None:
    """``CHECK``: what a context derived from the one before (its tables taken over) is what a new one derives."""
    from ..infer import FileContext

    fresh = FileContext(ctx.ir, live=True)
    n = len(ctx.ir.nodes)
    assert ctx._eager[:n] == fresh._eager[:n], "live context: call runs marked otherwise"
    for table in ("first_node", "last_node", "graph_last", "shared_wrapped", "untraced", "_wrapped_of", "_holds_model",
                  "_wrappers"):
        assert getattr(ctx, table) == getattr(fresh, table), f"live context: {table} differs from a new context's"
    assert ctx.node_numbers() == fresh.node_numbers(), "live context: node numbers differ from a new context's"


def _kept(table: Dict[int, Any], i: int, value: Any) -> bool:
    """``table[i]`` set to ``value``, or dropped for None: whether it changed."""
    if value is None:
        return table.pop(i, None) is not None
    if table.get(i) == value:
        return False
    table[i] = value
    return True


class LiveShapes:
    """An incremental :class:`~kerascount.infer.FileContext` over the graph built so far (extract/graph.py)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.ctx: Any = None
        self.sizes: Tuple[int, int, int] = (-1, -1, -1)
        #: Nodes below this id have their shapes computed (in id order: no deep recursion).
        self.done = 0
        #: The ModelDef of each model of the graph as last frozen (``frozen_models``), and those models written since
        #: (their places; each model frozen here holds this set in its ``written``).
        self.defs: List[ModelDef] = []
        self.written: set = set()
        #: ``defs`` as a tuple, made again when one changes.
        self.frozen: Tuple[ModelDef, ...] = ()
        #: The node range of each subclassed model's call run (``call_nodes``), by the model's place, and them as a
        #: tuple, made again when one changes (``FileContext``'s ``ranges``: reading every model each time made a
        #: model zoo's converter quadratic).
        self.range_of: Dict[int, Tuple[int, int]] = {}
        self.ranges: Tuple[Tuple[int, int], ...] = ()
        #: The layers of each application model, by the model's place, and ``FileContext.application_layers`` of
        #: them, made again when one changes.
        self.apps: Dict[int, Any] = {}
        self.app_owned: Dict[int, int] = {}
        #: The custom layers' models whose call has no outputs (not traced, or not yet), by place; the uids of the
        #: layers holding each model, by the model's place; the model each layer holds, by uid; how many of the
        #: graph's layers these tables have read. (``FileContext.untraced`` starts from the layers holding one of
        #: the first: finding them among every layer made each context of a model zoo's converter cost its layers.)
        self.unrun: Dict[int, None] = {}
        self.holders: Dict[int, List[int]] = {}
        self.held: Dict[int, int] = {}
        self.layers_read = 0
        #: ``build_map`` of a graph by its (inputs, outputs): the nodes a tensor depends on are made before it and
        #: never change, and a graph that takes nodes back (``Graph.undo``) drops this object.
        self.orders: Dict[Tuple[Any, Any], Any] = {}
        #: The error each layer's constructor raises whatever its input (or None), by uid, with the layer it was
        #: read from (a layer replaced since is read again): ``rejection`` asks for it at every shape not known.
        self.problems: Dict[int, Tuple[Any, Any]] = {}
        #: ``rejection``'s answers by node, for one live-shapes context (the first item). A later context keeps them
        #: (its nodes' states are the same objects: ``context`` hands the table over) when every layer replaced in
        #: between whose constructor error they read still gives the same words, and every node they were read
        #: from had a state (``firsts_whole``: ``tensor`` derives the nodes before the one asked for, but a graph too
        #: deep to follow may leave some out).
        self.firsts: Tuple[Any, Dict[int, Any]] = (None, {})
        self.firsts_whole = True
        #: ``replaced`` when the context of ``firsts`` was made.
        self.firsts_replaced = -1
        #: How many of the graph's ``replaced_layers`` the context has seen.
        self.replaced = len(graph.replaced_layers)

    def context(self) -> Any:
        from ..infer import FileContext

        g = self.graph
        sizes = (len(g.layers), len(g.nodes), len(g.models))
        if self.ctx is None or sizes != self.sizes:
            ir = FileIR(g.path, tuple(g.layers), tuple(g.nodes), self.frozen_models(g.models))
            replaced = g.replaced_layers[self.replaced:]
            self.read_holders(ir.layers, replaced)
            # (the context before is dropped: the new one takes over its tables instead of copying them; the seeds
            # of ``untraced`` are read from this object's tables when it is first asked for, before the next context)
            ctx = FileContext(ir, self.ctx, replaced, live=True, ranges=self.ranges, app_owned=self.app_owned,
                              untraced_seeds=self.untraced_seeds)
            if self.ctx is not None:
                ctx._out, ctx._weights = self.ctx._out, self.ctx._weights
            self.ctx, self.sizes, self.replaced = ctx, sizes, len(g.replaced_layers)
            if CHECK:
                _check_context(ctx)
        return self.ctx

    def untraced_seeds(self) -> List[int]:
        """The uids of the layers holding a custom layer's model whose call has no outputs, in order."""
        holders = self.holders
        return sorted(uid for i in self.unrun for uid in holders.get(i, ()))

    def read_holders(self, layers: Tuple[Any, ...], replaced: List[int]) -> None:
        """``holders`` and ``held`` updated for the layers replaced and those made since they were last read."""
        held, holders, start = self.held, self.holders, self.layers_read
        if len(layers) < start:  # (layers taken back: ``Graph.undo`` drops this object, a test may not)
            for uid in [uid for uid in held if uid >= len(layers)]:
                holders[held.pop(uid)].remove(uid)
            start = len(layers)
        for uid in itertools.chain((uid for uid in replaced if uid < start), range(start, len(layers))):
            old, new = held.get(uid), layers[uid].submodel
            if old == new:
                continue
            if old is not None:
                holders[old].remove(uid)
                del held[uid]
            if new is not None:
                holders.setdefault(new, []).append(uid)
                held[uid] = new
        self.layers_read = len(layers)

    def layer_built(self, uid: int) -> bool:
        """``Graph.layer_built``: the next ``context`` is made anew (it reads the layer again, among the graph's
        replaced layers) and what this one derived is kept, unless a layer of it wraps ``uid`` (False: the caller
        forgets every shape; the caller has checked that ``uid`` has no node). Its weights are read again."""
        ctx = self.ctx
        if ctx is not None:
            wrapped = ctx._wrapped_of
            if any(inner.uid == uid for i in ctx._wrappers for inner in wrapped[i]):
                return False
            ctx._weights.pop(uid, None)
        self.sizes = (-1, -1, -1)
        return True

    def frozen_models(self, models: List[ModelBuilder]) -> Tuple[ModelDef, ...]:
        """``graph.model_def`` of each model, made again only for a model written since (a context is made after
        each new layer: freezing every model each time, or even reading each one's stamp, made a file that builds
        hundreds of models quadratic). Each model frozen here is given ``written``: its writes of the fields
        ``model_def`` reads add its place to ``self.written`` (values._model_setattr), and those fields hold
        immutable containers (values.MODEL_DEF_CONTAINERS), so a model not written since is as it was then:
        ``model_def`` would make the same ModelDef of it."""
        defs, written = self.defs, self.written
        if written or len(defs) != len(models):
            model_def, range_of, apps = self.graph.model_def, self.range_of, self.apps
            moved = apps_moved = False
            if len(models) < len(defs):  # (models taken back: ``Graph.undo`` drops this object, a test may not)
                del defs[len(models):]
                moved = apps_moved = True
                for table in (range_of, apps, self.unrun):
                    for i in [i for i in table if i >= len(models)]:
                        del table[i]
            changed = [i for i in written if i < len(defs)]
            written.clear()
            for i in changed:
                defs[i] = model_def(models[i])
            for i in range(len(defs), len(models)):
                models[i].__dict__["written"] = (written, i)
                defs.append(model_def(models[i]))
                changed.append(i)
            for i in changed:
                d = defs[i]
                moved |= _kept(range_of, i, d.call_nodes if d.kind == "subclassed" else None)
                apps_moved |= _kept(apps, i, d.app_layers if d.kind == "application" else None)
                if d.custom_layer and not d.outputs:
                    self.unrun[i] = None
                else:
                    self.unrun.pop(i, None)
            if moved:
                self.ranges = tuple(range_of.values())
            if apps_moved:
                self.app_owned = {uid: index for index in sorted(apps) for uid in apps[index]}
            self.frozen = tuple(defs)
        if CHECK:
            for b, kept in zip(models, self.defs):
                assert _same_def(kept, self.graph.model_def(b)), f"a stale ModelDef kept for model {b.index}"
            assert sorted(self.ranges) == sorted(m.call_nodes for m in self.defs if m.kind == "subclassed"), \
                "live shapes: call runs not those of the models"
            assert self.app_owned == {uid: index for index, m in enumerate(self.defs) if m.kind == "application"
                                      for uid in m.app_layers}, "live shapes: application layers not the models'"
        return self.frozen

    def layer_order(self, inputs: Any, outputs: Any) -> Any:
        """``build_map`` over the graph built so far (the same list for the same graph: read it, do not change it)."""
        from ..infer import build_map

        ctx = self.context()
        key = (tuple(inputs), tuple(outputs))
        order = self.orders.get(key)
        if order is None:
            order = self.orders[key] = build_map(ctx, inputs, outputs)
        return order

    def tensor(self, ref: TensorRef, what: str) -> Any:
        """The shape of tensor ``ref`` as Keras gives it (a tuple, ``None`` where Keras has None),
        or an Unknown saying why it is not known; ``what`` is the source text asking for it."""
        from ..infer import _Fail

        ctx = self.context()
        for nid in range(self.done, ref.node):
            try:
                ctx.output(ctx.ir.node(nid))
            except _Fail:
                pass
            except RecursionError:
                break  # (nested models too deep: the shape asked for below says so)
        self.done = max(self.done, ref.node)
        try:
            shape = ctx.tensor(ref)
        except _Fail as f:
            # (a shape not known may still come after a layer whose constructor Keras rejects, whatever its input)
            root = self.rejection(ref)
            if root is not None:
                # Keras raised there, before this shape was asked for: the code never gets here
                return KerasRaises(f"{KERAS_REJECTS}{root} (before `{what}` reads the shape)")
            return Unknown(f"the shape in `{what}` is not known ({f.problem.message})")
        except RecursionError:
            return Unknown(f"the shape in `{what}` is not known (a graph too deep to follow)")
        if not isinstance(shape, tuple) or (shape and isinstance(shape[0], tuple)):
            return Unknown(f"the shape in `{what}` is not known")
        return tuple(shape)

    def rejection(self, ref: TensorRef) -> Optional[str]:
        """The message of the Keras error on the way to tensor ``ref`` that Keras raises first (the failing call
        earliest in the code among the calls it comes from), or None where none is known."""
        from ..infer import constructor_error

        problems = self.problems

        def constructor_problem(layer: Any) -> Any:
            if not layer.known or layer.operation or layer.submodel is not None:
                return None
            hit = problems.get(layer.uid)
            if hit is not None and hit[0] is layer:
                return hit[1]
            problem = constructor_error(layer)
            problems[layer.uid] = (layer, problem)
            return problem

        ctx = self.context()
        if self.firsts[0] is not ctx:
            kept = self.firsts[1]
            if kept and self.firsts_whole:
                for uid in self.graph.replaced_layers[self.firsts_replaced:self.replaced]:
                    hit = problems.get(uid)
                    if hit is None or hit[0] is ctx.ir.layer(uid):
                        continue  # (read by no answer kept, or read already from the layer as it is now)
                    now = constructor_problem(ctx.ir.layer(uid))
                    if (None if now is None else now.message) != (None if hit[1] is None else hit[1].message):
                        kept = {}
                        break
            self.firsts, self.firsts_replaced, self.firsts_whole = (ctx, kept if self.firsts_whole else {}), \
                self.replaced, True
        firsts = self.firsts[1]  # node → its earliest failing call upstream, (node, message) or None: the states of
        # nodes before one asked for are settled in a context (``tensor`` derives them first), so kept with it
        stack = [ref.node]
        while stack:  # the failing nodes upstream not yet known, each after those it comes from
            nid = stack.pop()
            if nid in firsts:
                continue
            state = ctx._out.get(nid)
            if state is None or state[0] != "fail":
                firsts[nid] = None
                if state is None:
                    self.firsts_whole = False
                continue
            inputs = [r.node for r in ctx.ir.node(nid).inputs]
            todo = [i for i in inputs if i not in firsts]
            if todo:
                stack.append(nid)  # (again, once its inputs are known: they are earlier nodes, so this ends)
                stack.extend(todo)
                continue
            problem = state[1] if state[1].error else constructor_problem(ctx.ir.layer(ctx.ir.node(nid).layer))
            # (a constructor Keras rejects raises whatever its input: one whose input is not known counts)
            first = (nid, problem.message) if problem is not None else None
            for i in inputs:
                up = firsts[i]
                if up is not None and (first is None or up[0] < first[0]):
                    first = up
            firsts[nid] = first
        first = firsts.get(ref.node)
        return None if first is None else first[1]

    def model(self, index: int, attr: str, what: str) -> Any:
        """``model.input_shape`` / ``model.output_shape`` of the model built so far."""
        from ..infer import _Fail

        ctx = self.context()
        try:
            result = ctx.model(index)
        except _Fail as f:
            return Unknown(f"`{what}` is not known ({f.problem.message})")
        except RecursionError:
            return Unknown(f"`{what}` is not known (models nested too deeply to follow)")
        shapes: Optional[Tuple[Any, ...]] = result.inputs if attr == "input_shape" else result.outputs
        if result.status == "unbuilt" or not shapes or any(s is None for s in shapes) or \
                (result.model.unresolved is not None):
            why = "; ".join(result.reasons) or "the model is not built"
            return Unknown(f"`{what}` is not known ({why})")
        if len(shapes) != 1:
            return Unknown(f"`{what}` of a model with several inputs or outputs is not followed")
        return tuple(shapes[0])


#: Returned by the hooks below when not theirs (the same marker as arrays.py's).
NOT_MINE = arrays.NOT_MINE


#: The public attributes some Keras tensor has, whatever the Keras: Keras 3's KerasTensor; tf.keras 2's KerasTensor and
#: TensorFlow's tensors (eager, graph, ragged, sparse), NumPy's methods (TensorFlow's NumPy behaviour gives tensors
#: them) and Theano's tensor variables (Keras 1). A name outside this set raises AttributeError on any Keras tensor,
#: unless the code sets it (a KerasTensor takes new attributes).
TENSOR_ATTRIBUTES = frozenset((
    # Keras 3
    "dtype", "name", "ndim", "ragged", "ragged_rank", "record_history", "reshape", "row_splits_dtype", "shape",
    "sparse", "squeeze",
    # tf.keras 2 and TensorFlow
    "get_shape", "set_shape", "type_spec", "node", "op", "ref", "experimental_ref", "is_tensor_like", "from_tensor",
    "from_type_spec", "graph", "device", "consumers", "eval", "numpy", "value_index", "OVERLOADABLE_OPERATORS",
    "values", "indices", "dense_shape", "row_splits", "flat_values", "nested_row_splits", "row_lengths",
    "row_starts", "row_limits", "value_rowids", "nrows", "to_tensor", "to_sparse", "bounding_shape", "with_values",
    "with_flat_values", "merge_dims", "uniform_row_length", "nested_row_lengths", "nested_value_rowids",
    "row_partition", "get_config", "to_list", "is_keras_tensor", "keras_history",
    # NumPy's ndarray (tf.experimental.numpy behaviour) and Theano's variables
    "T", "all", "any", "argmax", "argmin", "argpartition", "argsort", "astype", "base", "byteswap", "choose", "clip",
    "compress", "conj", "conjugate", "copy", "ctypes", "cumprod", "cumsum", "data", "diagonal", "dot", "dump",
    "dumps", "fill", "flags", "flat", "flatten", "getfield", "imag", "item", "itemset", "itemsize", "max", "mean",
    "min", "nbytes", "newbyteorder", "nonzero", "partition", "prod", "ptp", "put", "ravel", "real", "repeat",
    "resize", "round", "searchsorted", "setfield", "setflags", "size", "sort", "std", "strides", "sum", "swapaxes",
    "take", "tobytes", "tofile", "tolist", "tostring", "trace", "transpose", "var", "view", "mT",
    "broadcastable", "dimshuffle", "owner", "type", "tag", "norm", "nonzero_values", "clone",
))


def _stored_attributes(tree: ast.AST) -> frozenset:
    """The attribute names a file sets or deletes anywhere (``x.note = ...``, ``setattr(x, "note", ...)``) but on
    ``self`` and ``cls`` (an object's own attributes, set in its methods, are not a tensor's)."""
    names = set()
    for node in ast_walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            names.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and \
                len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            names.add(node.args[1].value)
    return frozenset(names)


def _hidden(layer: Any) -> bool:
    """Whether ``layer`` is the InputLayer of a tensor that is no Keras tensor of the code (graph.record_input's
    ``variable``: a weight's variable, which has ``assign_add`` and more, or a backend tensor ``ops.arange`` gives
    in a traced call)."""
    return layer.type == "InputLayer" and layer.name == "variable" and not layer.args and \
        tuple(k for k, _ in layer.kwargs) == ("batch_shape",)


class ShapeCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: what reads a shape."""

    def no_tensor_attribute(self, t: Any, attr: str, e: Any) -> Any:
        """``x.depth`` where ``x`` is the output of an ``Input`` or of a layer Keras defines: no Keras tensor has the
        attribute, Python raises AttributeError (rule KC114, where the line runs for certain). None where the tensor
        may be something else (a custom or Lambda layer's output may be any object) or the code sets the attribute
        somewhere (a KerasTensor takes new attributes)."""
        layer = self.graph.made_by(t.ref)
        if not isinstance(e, ast.Attribute) or e.attr != attr or not layer.known or layer.operation or \
                layer.submodel is not None or layer.type in ("Lambda", "TFOpLambda") or _hidden(layer) or \
                attr in _per_node("stored_attributes", self.module, _stored_attributes):
            return None
        made = "an `Input`" if layer.type == "InputLayer" else f"the output of a {layer.type} layer"
        reason = (f"`{self.code(e)}`: `{self.code(e.value)}` is a Keras tensor here ({made}), which has no attribute "
                  f"`{attr}`: Python raises AttributeError")
        return self.python_error_noted("KC114", "AttributeError", reason, e)

    def tensor_shape(self, t: Any, e: Any) -> Any:
        return self.graph.live_shapes().tensor(t.ref, self.code(e) if e is not None else "shape")

    def shape_attribute(self, base: Any, attr: str, e: Any) -> Any:
        """``x.shape``, ``x.ndim``, ``layer.output``, ``model.output_shape``...; NOT_MINE when not one."""
        if isinstance(base, Tensor):
            if attr == "shape":
                return self.tensor_shape(base, e)
            if attr == "ndim":
                shape = self.tensor_shape(base, e)
                return len(shape) if isinstance(shape, tuple) else shape
            if attr == "get_shape":
                return BoundMethod(base, attr)
            if attr == "dtype":
                return TensorDtype(f"`{self.code(e)}` is not known", self.span(e))
            if attr == "name":
                # keras.Input(..., name="tokens").name is "tokens" (Keras 3 names the input's tensor as given); any
                # other tensor's name is an automatic one (keras_tensor_7), which is not followed
                layer = self.graph.layer(self.graph.node(base.ref.node).layer)
                given = layer.kwarg("name") if layer.type == "InputLayer" and layer.known else None
                if type(given) is str and layer.kwarg("input_tensor") is None and base.ref.index == 0:
                    return given
            if attr == "_keras_shape":
                return self.python_error("AttributeError", f"`{self.code(e)}`: a Keras 3 tensor has no `_keras_shape` "
                                         "(Python raises AttributeError; standalone Keras 1 and 2 set it): read "
                                         "`.shape`", e)
            if attr not in TENSOR_ATTRIBUTES and attr[:1] != "_":
                missing = self.no_tensor_attribute(base, attr, e)
                if missing is not None:
                    return missing
        elif isinstance(base, tuple) and attr == "as_list":
            if any(base is s for s in self.graph.keras3_shapes):
                return self.python_error("AttributeError", f"`{self.code(e)}`: Keras 3 gives `build` and "
                                         "`compute_output_shape` the input shape as a tuple, which has no `as_list` "
                                         "(Python raises AttributeError; tf.keras 2 gave a TensorShape)", e)
            return BoundMethod(base, attr)  # a TensorShape's as_list() (tf.keras)
        elif isinstance(base, LayerObj) and attr in ("output", "input"):
            return self.layer_tensor(base, attr, e)
        elif isinstance(base, LayerObj) and attr == "embeddings" and self.graph.layer(base.uid).type == "Embedding":
            return self.embedding_table(base, e)
        elif isinstance(base, LayerObj) and attr in ("output_shape", "input_shape") and \
                self.graph.layer(base.uid).known and self.graph.layer(base.uid).submodel is None:
            # Keras 3's layers have no such attribute (its models do); tf.keras 2's had (a KC404 note: Keras 2 API)
            span = self.span(e)
            if self.positions.get(e) is not None and all(n.span != span or n.code != "KC404" for n in self.notes):
                self.notes.append(Note("KC404", f"Keras 3 layers have no `{attr}` (a Keras 2 attribute: reading it "
                                                f"raises AttributeError; Keras 3 models still have it); read "
                                                f"`layer.{attr.split('_')[0]}.shape`", span))
            return self.python_error("AttributeError", f"`{self.code(e)}`: a Keras 3 layer has no `{attr}` (Python "
                                     f"raises AttributeError; tf.keras 2 had it): read `.{attr.split('_')[0]}.shape`",
                                     e)
        elif isinstance(base, LayerObj) and attr == "name" and self.graph.layer(base.uid).kwarg("application_layer") is not None:
            return self.graph.layer(base.uid).name  # a keras.applications model's layer: its name is Keras's
        elif isinstance(base, ModelBuilder) and base.kind == "sequential" and attr in ("inputs", "outputs"):
            return self.sequential_tensor(base, attr, e)
        elif isinstance(base, ModelBuilder) and base.kind == "sequential" and attr in ("input", "output"):
            # Keras 3 raises here unless the Sequential was called on a tensor (its first call's node gives it);
            # tf.keras 2 gave its graph's tensor.
            called = base.layer_uid is not None and next(self.graph.calls_of(base.layer_uid), None) is not None
            if called:
                return self.layer_tensor(self.graph.model_layer(base), attr, e)
            if base.built_on_data is None and base.cls is None:
                return self.sequential_never_called(base, attr, e)
            return self.unknown(f"`{self.code(e)}` of a Sequential (Keras 3 raises unless code the analysis does not "
                                f"follow called it on a tensor: use `.{attr}s[0]`)", e)
        elif isinstance(base, ModelBuilder) and attr in ("output_shape", "input_shape") and base.index >= 0 and \
                base.kind in ("sequential", "functional", "application"):  # a keras.applications model is Functional
            return self.graph.live_shapes().model(base.index, attr, self.code(e))
        return NOT_MINE

    def sequential_never_called(self, base: Any, attr: str, e: Any) -> Any:
        """``model.input`` / ``model.output`` of a Sequential the code never calls on a tensor (``fit`` and ``predict``
        make no node): Keras 3 raises AttributeError, as for any layer never called (a KC404 note: tf.keras 2 and
        Keras 2 gave the tensor of the Sequential's graph, which ``model.inputs[0]`` still gives)."""
        span = self.span(e)
        held = self.code(e.value) if isinstance(e, ast.Attribute) else "model"
        if self.positions.get(e) is not None and all(n.span.line != span.line or n.code != "KC404" or
                                                     _NEVER_CALLED not in n.message for n in self.notes):
            # (one note a line: Python raises at the first such read, `Model(seq.input, seq.output)`)
            self.notes.append(Note("KC404", f"a Keras 3 Sequential has no `{attr}` {_NEVER_CALLED}: "
                                            f"reading it raises AttributeError (\"has never been called and thus has no "
                                            f"defined {attr}\"; Keras 2 gave the tensor of its graph); read "
                                            f"`{held}.{attr}s[0]`", span))
        return self.unknown(f"{KERAS_REJECTS}`{self.code(e)}` of a Sequential never called on a tensor: Keras 3 raises "
                            f"AttributeError; read `.{attr}s[0]`", e)

    def embedding_table(self, obj: Any, e: Any) -> Any:
        """``emb.embeddings`` of an Embedding layer (weights tied to an output projection: ``ops.matmul(x,
        ops.transpose(emb.embeddings))``): its table, a variable of shape ``(input_dim, output_dim)``, once a call
        has built the layer (before, Keras raises AttributeError); NOT_MINE where that is not known."""
        from ..catalogue import layer_config

        layer = self.graph.layer(obj.uid)
        if not layer.known or next(self.graph.calls_of(obj.uid), None) is None:
            return NOT_MINE
        try:
            args = layer_config(layer)
            rows, cols = (args.input_dim, args.output_dim) if args is not None else (None, None)
        except Exception:  # noqa: BLE001 - arguments the catalogue cannot read: not followed
            return NOT_MINE
        if not all(type(d) is int and d > 0 for d in (rows, cols)):
            return NOT_MINE
        return arrays.ArrayValue((rows, cols))

    def layer_tensor(self, obj: Any, attr: str, e: Any) -> Any:
        """``layer.output`` / ``layer.input``: of its first call (Keras's node 0), when it has one input."""
        from ..app_layers import input_source, is_input_row

        first = next(self.graph.calls_of(obj.uid), None)
        layer = self.graph.layer(obj.uid)
        if layer.kwarg("application_layer") is not None:
            app = self.graph.model(layer.kwarg("application_layer"))
            first_row = bool(app.application) and is_input_row(app.application, app.app_counters, layer.name)
            if attr == "output" and first_row:
                # its InputLayer's output is the model's input (`base.layers[0].output`), as `base.input` gives it
                return Tensor(app.app_sources[0]) if app.app_sources else self.apptensors_in(app, e)[0]
            if attr == "output":
                return self.application_output(app, layer.name, e)
            source = input_source(app.application, app.app_counters, layer.name) if app.application else None
            if source == "":
                return self.apptensors_in(app, e)[0]  # the tensor its layers are applied to
            if source is not None:
                return self.application_output(app, source, e)  # the output of the layer it reads
            if first_row:
                return self.input_layer_input(e)
            return self.unknown(f"`{self.code(e)}` of a keras.applications model's layer is not followed", e)
        holders = [b for b in self.graph.models if b.kind == "sequential" and obj.uid in b.layers]
        inside = any(b.call_nodes and b.call_nodes[0] <= n.id < b.call_nodes[1]
                     for b in self.graph.models if b.kind == "subclassed" for n in self.graph.calls_of(obj.uid))
        if holders and not inside:
            node = self.sequential_node(holders, obj, e)
            if isinstance(node, Unknown):
                return node
            if node is not None:
                first, holders = node, []
        if holders or inside:
            # Keras's first node of it is in a Sequential's graph or in a subclassed model's call: not followed.
            return self.unknown(f"`{self.code(e)}` of a layer inside a Sequential or subclassed model is not followed",
                                e)
        if first is None:
            return self.unknown(f"{layer.name} has never been called, so it has no `{attr}`", e)
        if attr == "output":
            count = self.node_output_count(layer, first.call_kwargs)
            if isinstance(count, Unknown):
                return count
            if count is None:
                return self.unknown(f"`{self.code(e)}` of a layer with several outputs is not followed", e)
            # Keras returns the list of the node's outputs when there are several (Operation.output)
            return Tensor(TensorRef(first.id, 0)) if count == 1 else \
                ListValue([Tensor(TensorRef(first.id, i)) for i in range(count)])
        if not first.inputs:
            if layer.type == "InputLayer":
                return self.input_layer_input(e)
            # (Keras gives the input tensors of the layer's first node: none, an empty list)
            return self.unknown(f"`{self.code(e)}`: the layer's first call was given no tensor, so Keras gives an "
                                "empty list", e)
        if len(first.inputs) != 1 or first.list_input:
            return self.unknown(f"`{self.code(e)}` of a layer called on several tensors is not followed", e)
        return Tensor(first.inputs[0])

    def input_layer_input(self, e: Any) -> Any:
        """``model.layers[0].input`` of an InputLayer: Keras 3 gives the input tensors of the layer's node, which
        an InputLayer's has none of, so an empty list (``Model(inputs=[])`` then raises "`inputs` argument cannot
        be empty"); tf.keras 2 gave the input tensor. Not followed: the reason says what to write instead."""
        return self.unknown(f"`{self.code(e)}` is an InputLayer's input, which Keras 3 gives as an empty list (tf.keras "
                            "2 gave the input tensor, and Keras 3 raises \"`inputs` argument cannot be empty\" for a "
                            "model made from it): use the model's `.input` (or the InputLayer's `.output`)", e)

    def sequential_node(self, holders: Any, obj: Any, e: Any) -> Any:
        """Keras's first node of a layer of a built Sequential (one with an input): a Sequential calls its layers on
        its input's tensor when it is built (and again at each ``add``), so, when the layer had no call before,
        its node 0 is in that chain; the node as ``seq.outputs`` makes it (an Unknown when the Sequential's graph is
        not known), or None when that is not the layer's first call."""
        (b,) = holders if len(holders) == 1 else (None,)
        if b is None or b.unresolved is not None or b.input_layer is None or self.graph.tracing is not None:
            return None  # (not while a call is traced: the chain's nodes would be made inside it)
        made = self.sequential_tensor(b, "outputs", e)
        if not isinstance(made, ListValue):
            return made if isinstance(made, Unknown) else None
        start, ref = b.graph_tensors[1].ref, b.graph_tensors[2].ref
        chain = set()
        while ref != start:
            node = self.graph.node(ref.node)
            if len(node.inputs) != 1:
                return None
            chain.add(node.id)
            ref = node.inputs[0]
        first = next(self.graph.calls_of(obj.uid), None)
        return first if first is not None and first.id in chain else None

    def node_output_count(self, layer: Any, call_kwargs: Tuple[Tuple[str, Any], ...]) -> Any:
        """How many tensors a call of ``layer`` gave, as apply_layer made them (a custom layer or subclassed model:
        what its traced call returned); an Unknown, or None when that is not known."""
        nested = self.graph.model(layer.submodel) if layer.submodel is not None else None
        if isinstance(nested, ModelBuilder) and nested.kind == "subclassed":
            if nested.unresolved is not None:
                return nested.unresolved
            return max(len(nested.outputs), 1)
        if isinstance(nested, ModelBuilder) and nested.kind == "functional":
            return 1 if nested.unresolved is not None or nested.single_output or not nested.outputs else None
        count = self.output_count(layer, call_kwargs)
        return count if isinstance(count, (int, Unknown)) and not isinstance(count, bool) else None

    def shape_method(self, obj: Any, name: str, args: Tuple[Any, ...], e: Any) -> Any:
        """``x.get_shape()`` and ``.as_list()`` of a shape; NOT_MINE when not one."""
        if isinstance(obj, Tensor) and name == "get_shape" and not args:
            return self.tensor_shape(obj, e)
        if isinstance(obj, tuple) and name == "as_list" and not args:
            return ListValue(list(obj))
        return NOT_MINE

    def shape_function(self, path: str, args: Tuple[Any, ...], kwargs: Any, e: Any) -> Any:
        """``K.int_shape(x)``, ``keras.ops.shape(x)``: the static shape; NOT_MINE when not one."""
        last = path.rsplit(".", 1)[-1]
        if path in ("keras.backend.int_shape", "keras.ops.shape", "keras.ops.core.shape") or \
                (last == "int_shape" and path.startswith("keras.")):
            x = args[0] if args else kwargs.get("x")
            if isinstance(x, KerasRaises) and len(args) + len(kwargs) == 1:
                return x  # a tensor made after Keras raised (ways merged after that error): the same reason
            if isinstance(x, Tensor) and len(args) + len(kwargs) == 1:
                shape = self.tensor_shape(x, e)
                return self.dynamic_sizes(shape, e, x) if path != "keras.backend.int_shape" and last != "int_shape" \
                    else shape
        return NOT_MINE

    def dynamic_sizes(self, shape: Any, e: Any, x: Any = None) -> Any:
        """``keras.ops.shape(x)`` in a layer's or model's ``call`` or a Lambda's function (Keras runs both on tensors
        of its own, ``backend.compute_output_spec``): a None of the static shape is a size known only when the
        model runs (ir.ShapeSize); elsewhere the static shape."""
        from .keras_calls import _LambdaTrace

        if isinstance(self.graph.tracing, _LambdaTrace) and isinstance(shape, tuple) and \
                self.graph.tracing.outer(x) and None in shape:
            # A tensor of the model the function is not given: its static shape, whose None is not a size the
            # traced call gives (a shape made of it fails there)
            return tuple(self.unknown(f"`{self.code(e)}`: a size of a tensor the Lambda's function is not given, "
                                      "None in its static shape (Keras 3 traces the function on tensors of its own)",
                                      e) if d is None else d for d in shape)
        if self.graph.tracing is None or not isinstance(shape, tuple):
            return shape
        return tuple(ShapeSize(f"`{self.code(e)}`: a size the input leaves open (None), known only when the "
                               "model runs", self.span(e), x.ref if isinstance(x, Tensor) else None, i)
                     if d is None else d for i, d in enumerate(shape))

    def layers_attribute(self, b: Any, e: Any) -> Any:
        """``model.layers`` of a Sequential or functional model, in Keras's order (a functional model's
        graph order, as ``model.summary()``; operations such as ``x + y`` are not layers). A nested model
        is itself in the list; an Unknown when the model is not known."""
        from ..app_layers import rowless_reason

        if b.unresolved is not None:
            why = b.unresolved.reason
            return ListValue([], self.unknown(f"`{self.code(e)}`: the layers of this model are not known"
                                              + (f" ({why})" if why else ""), e))
        if b.kind == "sequential":
            return ListValue([self.graph.layer_value(uid) for uid in b.layers])
        if b.kind == "application" and self.graph.application_layers(b) is not None:
            upstream = self.graph.app_upstream(b)
            if upstream:  # input_tensor= made by layers: they come first, the tensor stands for the input row
                return ListValue([self.graph.layer_value(uid) for uid in upstream if not self.graph.layer(uid).operation] +
                                 [LayerObj(uid) for uid in b.app_layers[1:]])
            return ListValue([LayerObj(uid) for uid in b.app_layers])
        if b.kind == "application":
            why = self.application_unknown(b) or (rowless_reason(b.application) if b.application else None)
            if why is not None:
                return self.unknown(f"`{self.code(e)}`: the layers of this model are not known ({why})", e)
        if b.kind != "functional" or any(self.graph.node(r.node).inputs for r in b.inputs):
            return self.unknown(f"`{self.code(e)}`: the layers of this model are not followed", e)
        order = self.graph.live_shapes().layer_order(b.inputs, b.outputs)
        # (application_read is None, making nothing, for a node not reading an application's tensor)
        members = set(order)
        reads = [n for n in self.graph.nodes if n.layer in members and self.graph.application_read(n) is not None]
        if reads:
            return self.layers_through_application(b, e)
        return ListValue([self.graph.layer_value(uid) for uid in order if not self.graph.layer(uid).operation])

    def application_unknown(self, b: Any) -> Optional[str]:
        """Why a keras.applications model is not known (an argument the analysis does not know), or None."""
        from ..infer import _Fail

        try:
            result = self.graph.live_shapes().context().model(b.index)
        except (_Fail, RecursionError):
            return None
        return "; ".join(result.reasons) or None if result.status == "unknown" else None

    def layers_through_application(self, b: Any, e: Any) -> Any:
        """``model.layers`` of a functional model built on an application's tensors (``base.output``,
        ``base.get_layer(name).output``): Keras's graph runs through the application's layers, so they are the
        model's, in the order of its summary (app_layers.inline); an Unknown when that order is not known."""
        why = f"`{self.code(e)}`: the layers of this model are not followed"
        result = self.graph.live_shapes().context().model(b.index)
        if result.collapsed is None or not result.rows:
            return self.unknown(why + " (it reads an application's tensors, not listed layer by layer)", e)
        # A row of the model's own layers is that layer (its uid); a row of an application's layers, copied
        # into the summary, is found by its name. A name the analysis does not know ("?", when something the
        # analysis cannot follow may have used up Keras's name counters) matches no other: such application
        # layers are taken in their own order, by type.
        own: Dict[int, Any] = {}
        by_name: Dict[str, Any] = {}
        unnamed: List[int] = []
        for uid in self.graph.model_layers(b):
            layer = self.graph.layer(uid)
            if layer.kwarg("application_layer") is None:
                own[uid] = self.graph.layer_value(uid)
        for ref in b.inputs:
            # the model's own inputs (an application given `input_tensor=` makes none of its own: its first row is
            # the InputLayer of the tensor given), found by name before any layer of the application
            uid = self.graph.nodes[ref.node].layer if 0 <= ref.node < len(self.graph.nodes) else None
            if uid is not None and self.graph.layer(uid).type == "InputLayer" and \
                    self.graph.layer(uid).name != UNKNOWN_NAME:
                by_name.setdefault(self.graph.layer(uid).name, self.graph.layer_value(uid))
        for app in {self.graph.layer(uid).kwarg("application_layer") for uid in self.graph.model_layers(b)} - {None}:
            for uid in self.graph.application_layers(self.graph.model(app)) or ():
                name = self.graph.layer(uid).name
                if name == UNKNOWN_NAME:
                    unnamed.append(uid)
                else:
                    by_name.setdefault(name, LayerObj(uid))
        out = []
        for row in result.rows:
            if row.layer.operation:
                continue
            if row.layer.uid in own:
                value = own[row.layer.uid]
            elif row.layer.name != UNKNOWN_NAME:
                value = by_name.get(row.layer.name)
            else:
                match = next((uid for uid in unnamed if self.graph.layer(uid).type == row.layer.type), None)
                value = None if match is None else LayerObj(match)
                if match is not None:
                    unnamed.remove(match)
            if value is None:
                return self.unknown(why + f" (`{row.layer.name}` is not known as a layer)", e)
            out.append(value)
        return ListValue(out)

    def get_layer(self, b: Any, args: Tuple[Any, ...], kwargs: Any, e: Any) -> Any:
        """``model.get_layer(name)`` / ``model.get_layer(index=i)``: Keras's search of ``model.layers``."""
        name = args[0] if args else kwargs.get("name")
        index = args[1] if len(args) > 1 else kwargs.get("index")
        layers = self.layers_attribute(b, e)
        if not isinstance(layers, ListValue) or layers.tainted is not None:
            return layers.tainted if isinstance(layers, ListValue) else layers
        if isinstance(index, int) and not isinstance(index, bool) and name is None:
            if -len(layers.items) <= index < len(layers.items):
                return layers.items[index]  # (Keras indexes model.layers: a negative index counts from the end)
        elif isinstance(name, str) and index is None:
            unnamed = False
            for item in layers.items:
                if isinstance(item, LayerObj):
                    held = self.graph.layer(item.uid)
                    given = held.kwarg("name")
                    unnamed = unnamed or given is not None and not isinstance(given, str) or held.name == UNKNOWN_NAME
                    layer_name = held.name
                else:
                    layer_name = item.keras_name
                if layer_name == name and layer_name != UNKNOWN_NAME:
                    return item
            if unnamed:
                return self.unknown(f"`{self.code(e)}`: a layer of the model has a name the analysis does not know", e)
            # Keras raises ValueError ("No such layer"), which a `try: ... except ValueError:` catches
            return self.python_error("ValueError", f"`{self.code(e)}`: no layer named {name!r} is found", e)
        return self.unknown(f"`{self.code(e)}` is not followed", e)

    def sequential_tensor(self, b: Any, attr: str, e: Any) -> Any:
        """``seq.inputs`` / ``seq.outputs`` (lists of one tensor) of a Sequential with an input:
        Keras builds it as a graph by calling each layer on the input's tensor, as done here (once per
        layer count: adding a layer rebuilds it)."""
        if b.unresolved is not None:
            return b.unresolved
        if b.input_layer is None or not b.layers:
            return self.unknown(f"`{self.code(e)}`: the Sequential is not built (no input shape)", e)
        if b.graph_tensors is None or b.graph_tensors[0] != len(b.layers):
            made = next((n for n in self.graph.calls_of(b.input_layer) if not n.inputs), None)
            x: Any = Tensor(TensorRef(made.id, 0)) if made is not None else \
                self.apply_layer(LayerObj(b.input_layer), None, e)
            inp = x
            for uid in list(b.layers):
                x = self.call(self.graph.layer_value(uid), (x,), {}, e)
                if not isinstance(x, Tensor):
                    return x if isinstance(x, Unknown) else self.unknown(
                        f"`{self.code(e)}`: a layer of the Sequential does not give one tensor", e)
            b.graph_tensors = (len(b.layers), inp, x)
        tensor = b.graph_tensors[1] if attr.startswith("input") else b.graph_tensors[2]
        return ListValue([tensor])

