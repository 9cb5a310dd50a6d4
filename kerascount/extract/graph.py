"""The Keras graph a file builds: layers, nodes, models, Keras's names, masks and trainable flags.

The interpreter (extract/interpreter.py and its mixins) is a Python evaluator: scopes, statements,
expressions, calls, modules. Everything it learns about Keras objects it keeps here, in one
:class:`Graph` (``interpreter.graph``), which knows nothing of syntax trees, scopes or steps.

What the evaluator asks of the graph (the Keras-call mixins: keras_calls.py, classes.py, ops_calls.py,
masks.py, live.py, params.py, builtin_calls.py, and the interpreter itself):

- reading it: ``layer(uid)`` (a ``LayerDef``), ``node(id)`` (a ``Node``), ``model(index)`` (a ``ModelBuilder``),
  ``made_by(ref)`` (the layer whose call gave a tensor), ``submodel(uid)`` (the registered model a layer stands
  for, or None), ``calls_of(uid)``, ``nodes_since(start)``, ``layer_count()``/``node_count()``/``sizes()``, and
  ``contents()`` (the file's layers, nodes and model IR at the end); ``models`` and ``nodes`` are iterated as
  read-only lists (every model, every node); fields read and set: the model whose ``call``/``build`` is being
  run (``tracing``, ``building``), ``layer_calls`` (counted against the evaluator's limit), ``data_inputs``
  (the InputLayers of ``X.shape[1:]`` whose rank a later layer may fix), ``trainable_unknown``;
- growing it, only through ``record_*`` (``_add_layer``/``_add_node`` are the graph's own), from frozen
  arguments (``KerasCalls.freeze``) and a span: ``record_layer(type_name, spec, args, kwargs, span, opaque=,
  open_kwargs=, keras1=)`` (a ``LayerDef`` with Keras's name: ``name=``, else the next automatic one, and the
  names its ``__init__`` uses up, ``init_names``), ``record_call(layer, refs, list_input, span, call_kwargs,
  graph_inputs)`` (a ``Node``, and the names the layer's ``build`` uses up at its first call),
  ``record_operation(type_name, args, kwargs, span, open_kwargs)`` (``x + y``, ``keras.ops.*``: named as Keras
  names it, but not in a traced ``call``), ``record_input(name, batch_shape, span)`` (an InputLayer that is no
  layer of the code: no automatic name), ``record_application_input(b)`` / ``record_application_output(b, inp,
  name)`` (``app.input``; ``app.get_layer(name).output``), ``model_layer(b)`` (the layer standing for a model
  used inside another, made once), ``record_model(b, name, type_name)`` (register a model, in Keras's order, and
  name it), and ``update_layer(uid, **changes)`` (a layer's ``span``, ``why`` or ``kwargs`` learnt later); the
  evaluator keeps translating Keras 1 arguments, checking limits, evaluating inputs and making every reason;
- Keras's names, counted here only: by ``record_layer``/``record_call``/``record_operation``/``record_model``,
  ``record_build(new_input)`` (the Functional, and InputLayer, a Sequential's build or rebuild makes),
  ``use_names(counts)`` (the names an application's layers use up; the counters before them), and
  ``auto_name(type_name)`` / ``auto_name_prefix(prefix)`` (``dense``, ``dense_1``...) under them;
- models as layers: ``layer_value(uid)`` (what ``model.layers`` holds), ``has_input_shape(uid)``,
  ``input_from_submodel(b)``, ``application_layers(b)`` (``app.layers``, made when first read),
  ``app_upstream(b)``, ``application_read(node)``, ``model_layers(b)``/``held_layers`` (what a model holds);
- masks: ``mask(ref)`` / ``set_mask(ref, mask)``, each tensor's (extract/masks.py decides them, from the
  catalogue, and walks the evaluator's structures: ``MaskCalls.mask_of(value)``, ``attach_masks``);
- shapes of what is built so far: ``live_shapes()`` (an incremental infer context over the graph),
  ``forget_shapes()`` (after a change they were computed from) and ``model_def(b)`` (a ``ModelDef`` of a
  model under construction);
- trainable flags: ``set_trainable(obj, flag)``, ``set_layer_trainable``, ``set_model_trainable``, the flags
  loops not run may have set (``uncertain_flags``, then ``settle_uncertain_flags()`` at the end), and code not
  followed that may set any flag made so far (``flags_not_followed(why)``, then ``settle_unknown_flags()``);
- undecided branches: ``trainable_mark()`` before them, ``trainable_undo(mark, start)`` after each
  (``start``: ``flag_start()`` when it began), ``trainable_merge`` after all, ``trainable_done()``;
- functions run with their default arguments: ``mark()``/``undo(mark)`` (what a run added to the graph; the
  evaluator drops its own records of the layers undone, ``lambda_functions``), ``snapshot()``/
  ``restore(saved)`` (models' contents and every flag, as the script left them) and, just before that restore,
  ``flags_a_run_changed(saved, why)`` (a model the run built around what the script made, whose flag it changed).

What the graph needs back: nothing but its arguments. Every reason (an ``Unknown`` with its span) is
made by the evaluator and handed in; the evaluator charges the cost of reading every flag
(``flag_cost()``) against its step limit before ``trainable_flags``/``trainable_mark``/``trainable_undo``.

The values of each side, as they are today (a note for the rest of the split; no class is shared by accident):

- graph-side records (held here only): ``LayerDef``, ``Node``, ``TensorRef`` (ir.py) and the masks
  (``masks``: per tensor, the ``TensorRef`` of its mask, or an ``Unknown``);
- handles, the evaluator's values that name a record: ``LayerObj(uid)`` (``layer(uid)``) and ``Tensor(ref)``
  (an output of ``node(ref.node)``);
- ``ModelBuilder`` (values.py) is both: a model's graph part (what ``model_def`` reads: ``layers``,
  ``inputs``/``outputs``, ``trainable``, ``keras_name``, ``app_*``, ``call_nodes``, ``data_calls``...; and
  ``index``, ``layer_uid``) and the evaluator's object (``cls``, ``attrs``, ``containers``, ``version``,
  ``initialized``, ``parent``, ``single_*``, ``graph_tensors``...; its docstring lists them); splitting it is
  what is left of the interface;
- evaluator-side, never stored in the graph: Python data (numbers, ``str``, ``bool``, None, tuples, ``ListValue``,
  ``DictValue``, ``RangeValue``, ``Expr`` sizes), NumPy and data (``ArrayValue``, arrays.py ``Dataset``/``Bunch``,
  the ``DataObject``s of sources.py and frames.py), code (``Function``, ``LambdaValue``, ``Partial``,
  ``BoundMethod``, ``ClassValue``, ``SuperRef``, ``ModuleRef``, ``Builtin``, ``CachedFunction``, plain.py
  ``PlainObject``; the functions of Lambda layers, traced at each call, are the interpreter's
  ``lambda_functions``), names (``KerasRef``, ``ExternalRef``, ``VersionHead``), what is not followed
  (``OpaqueCallable`` and its callback kinds, keras_calls.py ``KerasObject``, classes.py ``Weight``) and what
  is not known (``Unknown``; ``External``, an Unknown whose ``.shape``/attributes read as symbols; params.py
  ``OpenTensor``);
- the crossing: ``KerasCalls.freeze`` makes the IR values the graph records (``LayerDef.args``/``kwargs``,
  ``Node.call_kwargs``): numbers, strings, ``bool``, None, ``Expr``, ``Unknown`` (an ``External`` included: a
  ``data_inputs`` shape), ``Loss``, ``SliceKey``, tuples of them, a ``LayerDef`` for a ``LayerObj``, a Keras
  function's name for a ``KerasRef``; anything else becomes an ``Unknown``; operations hold each tensor as its
  ``TensorRef``. Exceptions today: ``ModelBuilder`` holds ``Tensor`` handles (``app_tensors``, ``graph_tensors``),
  and a mask the code passed as ``mask=`` that is not a tensor (a tuple, a list...) and that a layer passes on
  is kept in ``masks`` as the value it was.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import islice
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from .. import catalogue
from ..ir import UNKNOWN_NAME, KerasRaises, LayerDef, ModelDef, Node, Span, TensorRef, Unknown
from .live import LiveShapes
from .values import External, LayerObj, ModelBuilder, flag_log as values_flag_log, note_changed, same, set_flag_log
from ..catalogue.spec import no_weights

#: The fields of a model that ``Graph.restore`` leaves as a run of an uncalled builder left them: the ``fit`` calls,
#: method calls, names and custom weights it recorded on a model of the script stay (as they did when these fields
#: were lists, sets and dicts the snapshot shared with the model).
_RUN_KEEPS = ("own_weights", "data_calls", "method_calls", "names")
#: The dtypes a layer without weights may be given in branches the analysis cannot decide (Graph.merge_calls).
_DTYPES = frozenset({"float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16"})


def _plain_dtype(value: Any) -> bool:
    """Is ``value`` a dtype (or dtype policy name) Keras accepts for a layer, or None (the policy's)? (A layer's
    arguments hold ``tf.float32`` as "float32": keras_calls.freeze.)"""
    return value is None or isinstance(value, str) and value in _DTYPES


class Graph:
    """The Keras objects a file makes, as the interpreter runs it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.layers: List[LayerDef] = []
        self.nodes: List[Node] = []
        #: By layer uid: how many nodes there were when the layer was made (its calls all come later: a scan for
        #: them starts there).
        self.layer_first: List[int] = []
        self.models: List[ModelBuilder] = []
        #: Keras's name counters, by prefix (``dense`` → 2 after ``dense`` and ``dense_1``).
        self.name_counts: Dict[str, int] = {}
        #: Prefixes whose counter is no longer known: a weightless layer of that class is made inside a traced
        #: ``call``, which Keras runs an unknown number of times (each run makes one and uses up a name).
        self.uncertain_names: set = set()
        #: The undecided ways being run, outermost first: (which fork, which of its ways). Each layer made keeps
        #: them (``LayerDef.ways``): two layers made on different ways of one fork are never both made.
        self.ways: Tuple[Tuple[int, int], ...] = ()
        #: Every automatic name is unknown from here on: ``clear_session()`` ran under a condition the analysis
        #: cannot decide (the counters either started afresh or did not).
        self.names_unknown = False
        #: Layers made inside a traced ``call`` (weightless ones, left untracked there: Keras makes one per run).
        self.made_in_call: set = set()
        #: The layers made on every way to their constructor (FileIR.surely_made).
        self.surely_made: set = set()
        #: The layers made inside a ``try`` with handlers, not in a layer's call nor under a condition of their own
        #: (statements.keras_raised: a constructor Keras rejects there raises to the handlers).
        self.guarded_made: set = set()
        self.layer_calls = 0
        #: The Keras mask of each masked tensor: the TensorRef of the mask, or an Unknown (extract/masks.py).
        self.masks: Dict[TensorRef, Any] = {}
        #: The subclassed model whose ``call`` is being run, if any.
        self.tracing: Optional[ModelBuilder] = None
        #: The custom layer whose ``build`` is running (Keras runs it once, before the first call: the layers it
        #: makes are made once, unlike those a traced ``call`` makes).
        self.building: Optional[ModelBuilder] = None
        #: The shapes Keras 3 gives the custom layers' ``build`` and ``compute_output_shape`` now running: tuples,
        #: which have no ``as_list()`` (tf.keras 2 gave TensorShapes).
        self.keras3_shapes: List[Any] = []
        #: The custom layer whose ``compute_output_spec`` runs (``keras.KerasTensor(shape)`` is then its output).
        self.spec_of: Any = None
        #: Why the file's trainable split is not known (flags set where the analysis cannot follow), or None: the
        #: first of ``flags_unknown_at``'s reasons, until ``settle_unknown_flags`` gives each model its own.
        self.trainable_unknown: Optional[Unknown] = None
        #: Each place where code the analysis cannot follow may set trainable flags: why, and how many layers and
        #: models there were then (those it may have reached; the layers and models made after it are not).
        self.flags_unknown_at: List[Tuple[Unknown, int, int]] = []
        #: While undecided branches that may set trainable flags run (``trainable_mark``): each layer flag
        #: written, as (uid, the flag it held), so that a branch's writes are undone without reading every flag.
        self.flag_log: List[Tuple[int, Any]] = []
        self.flag_logging = 0
        #: The same for models: each model whose flag was written, and the flag it held (values.flag_log); and the
        #: log that was set before the outermost ``trainable_mark``.
        self.model_flag_log: List[Tuple[ModelBuilder, Any]] = []
        self._outer_model_log: Optional[List[Any]] = None
        #: Layers whose trainable flags a loop not run may have set, the model it looped over, and why.
        self.uncertain_flags: List[Tuple[set, Optional[ModelBuilder], Unknown]] = []
        #: Shapes of the nodes computed so far (live.py), made when first asked for.
        self._live: Optional[LiveShapes] = None
        #: The uid of each layer replaced by a new LayerDef (``update_layer``, a trainable flag set), in order: live
        #: shapes re-derive what they keep of those layers only.
        self.replaced_layers: List[int] = []
        #: ``keras.Input(shape=X.shape[1:])`` of data the analysis does not see, by the uid of its InputLayer, until
        #: a layer it goes to fixes its rank (``KerasCalls.fix_data_input``).
        self.data_inputs: Dict[int, Any] = {}

    # -- names ----------------------------------------------------------
    def auto_name(self, type_name: str) -> str:
        """The name Keras gives the next object of this class that is not named (``dense``, ``dense_1``...)."""
        return self.auto_name_prefix(catalogue.snake_case(type_name))

    def auto_name_prefix(self, prefix: str) -> str:
        n = self.name_counts.get(prefix, 0)
        self.name_counts[prefix] = n + 1
        if self.names_unknown or prefix in self.uncertain_names:
            return UNKNOWN_NAME
        return prefix if n == 0 else f"{prefix}_{n}"

    def merge_names(self, states: List[Dict[str, int]]) -> None:
        """The name counters after ways through undecided code, each run from the same counters (``states``: the
        counters each left): where they used up different numbers of a prefix's names, the names of that prefix
        made afterwards are not known."""
        if not states:
            return
        merged: Dict[str, int] = {}
        for prefix in set().union(*states):
            counts = {state.get(prefix, 0) for state in states}
            merged[prefix] = max(counts)
            if len(counts) > 1:
                self.uncertain_names.add(prefix)
        self.name_counts = merged

    # -- records ------------------------------------------------------------
    def _add_layer(self, **fields: Any) -> LayerDef:
        """A new layer (``LayerDef`` fields but its uid, the next one)."""
        layer = LayerDef(uid=len(self.layers), ways=self.ways, **fields) if self.ways else \
            LayerDef(uid=len(self.layers), **fields)
        self.layers.append(layer)
        self.layer_first.append(len(self.nodes))
        return layer

    def _add_node(self, **fields: Any) -> Node:
        """A new call of a layer (``Node`` fields but its id, the next one)."""
        node = Node(id=len(self.nodes), **fields)
        self.nodes.append(node)
        return node

    def record_layer(self, type_name: str, spec: Any, args: Tuple[Any, ...], kwargs: Tuple[Tuple[str, Any], ...],
                     span: Span, opaque: bool = False, open_kwargs: Optional[Unknown] = None,
                     keras1: Tuple[str, ...] = (), elsewhere: bool = False) -> LayerDef:
        """A new layer made with ``args``/``kwargs`` (frozen, as Keras 3 has them): ``spec`` is its catalogue
        entry (None: not in the catalogue; ``opaque``: not a Keras class at all). Keras's name: ``name=``, the
        class name of an opaque one, else the next automatic one; then the names its ``__init__`` uses up."""
        canonical = spec.name if spec is not None else type_name
        explicit = dict(kwargs).get("name")
        if isinstance(explicit, str):
            name = explicit
        elif explicit is not None:
            # a name= the analysis does not know: Keras gives no automatic name then (the counter is not used)
            name = UNKNOWN_NAME
        elif opaque:
            name = type_name
        else:
            name = self.auto_name(canonical)
        if spec is not None and spec.init_names is not None:
            self.init_names(spec, args, kwargs, open_kwargs)
        return self._add_layer(type=canonical, name=name, args=args, kwargs=kwargs, span=span, known=spec is not None,
                              open_kwargs=open_kwargs, keras1=keras1, elsewhere=elsewhere)

    def init_names(self, spec: Any, args: Tuple[Any, ...], kwargs: Tuple[Tuple[str, Any], ...],
                   open_kwargs: Optional[Unknown]) -> None:
        """Use up the automatic names of the layers ``spec``'s ``__init__`` makes (AugMix's RandomShear, ...)."""
        from ..catalogue.spec import BoundArgs, ShapeError, Unresolved

        probe = LayerDef(-1, spec.name, "", args, kwargs, Span(1, 1, 1, 1), open_kwargs=open_kwargs)
        try:
            names = spec.init_names(BoundArgs(spec, probe))
        except (ShapeError, Unresolved):
            return
        for type_name in names:
            self.auto_name(type_name)

    def record_call(self, layer: LayerDef, refs: Tuple[TensorRef, ...], list_input: bool, span: Optional[Span],
                    call_kwargs: Tuple[Tuple[str, Any], ...] = (), graph_inputs: Sequence[TensorRef] = (),
                    constants: Tuple[Tuple[int, Tuple[int, ...]], ...] = ()) -> Node:
        """A new call of ``layer`` on the tensors ``refs`` (``span``: where; None: where the layer was made),
        with ``call_kwargs`` (frozen), ``graph_inputs`` (every tensor of the call, when not just ``refs``) and
        ``constants`` (arrays of data in the list it is given: Node.constants).
        The first call of a catalogue layer uses up the names its ``build`` gives the layers it makes."""
        node = self._add_node(layer=layer.uid, inputs=refs, list_input=list_input,
                             span=span if span is not None else layer.span, call_kwargs=call_kwargs,
                             graph_inputs=graph_inputs if tuple(graph_inputs) != tuple(refs) else (),
                             constants=constants)
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if spec is not None and spec.build_names and next(self.calls_of(layer.uid), node) is node:
            for type_name in spec.build_names:
                self.auto_name(type_name)
        return node

    def record_operation(self, type_name: str, args: Tuple[Any, ...], kwargs: Tuple[Tuple[str, Any], ...],
                         span: Span, open_kwargs: Optional[Unknown] = None) -> LayerDef:
        """A new operation on tensors (``x + y``, ``keras.ops.mean(x)``): ``type_name`` is its class in
        catalogue/ops.py, ``args``/``kwargs`` frozen with each tensor as its ``TensorRef``. Keras names it as any
        layer, except in a traced ``call`` (run on arrays, not symbolic tensors: no name is used up)."""
        name = catalogue.snake_case(type_name) if self.tracing is not None else self.auto_name(type_name)
        return self._add_layer(type=type_name, name=name, args=args, kwargs=kwargs, span=span, known=False,
                               open_kwargs=open_kwargs, operation=True)

    def record_input(self, name: str, batch_shape: Any, span: Span) -> LayerDef:
        """An InputLayer of ``batch_shape`` that is no layer of the code, so takes no automatic name: the input a
        layer is traced on in a Sequential (``input_layer``), a weight in a traced ``build`` (``variable``)."""
        return self._add_layer(type="InputLayer", name=name, args=(), kwargs=(("batch_shape", batch_shape),),
                               span=span)

    def record_application_input(self, b: ModelBuilder) -> TensorRef:
        """The input of application ``b`` made by itself (``app.input``: no ``input_tensor=``), and its tensor."""
        from ..app_layers import layer_names

        # Keras's name of the InputLayer the application makes (input_layer_3), when its layers are stored
        names = layer_names(b.application, b.app_counters) if b.application and b.unresolved is None else None
        name = names[0][1] if names and names[0][0] == "InputLayer" else f"{b.keras_name}_input"
        layer = self._add_layer(type="InputLayer", name=name, args=(), kwargs=(("application_input", b.index),),
                                span=b.span)
        return TensorRef(self._add_node(layer=layer.uid, inputs=(), list_input=False, span=b.span).id, 0)

    def record_application_output(self, b: ModelBuilder, inp: TensorRef, name: str) -> TensorRef:
        """``app.get_layer(name).output``: a call of application ``b`` on its input ``inp`` that gives that layer's
        output (infer.py reads ``application_output``)."""
        node = self._add_node(layer=self.model_layer(b).uid, inputs=(inp,), list_input=False, span=b.span,
                              call_kwargs=(("application_output", name),))
        return TensorRef(node.id, 0)

    def update_layer(self, uid: int, **changes: Any) -> LayerDef:
        """Layer ``uid`` learnt more after it was made (its ``span``, ``why`` it is not analysed, ``kwargs``); the
        caller forgets live shapes computed from it (``forget_shapes``) when they may change."""
        layer = self.layers[uid] = replace(self.layers[uid], **changes)
        self.replaced_layers.append(uid)
        return layer

    def forget_argument(self, uid: int, name: str, why: Unknown) -> None:
        """``dense.units = 20`` on layer ``uid``, where ``name`` is an argument of its constructor
        (``catalogue.takes_argument``): Keras's build and calls read the attribute, so the argument is ``why`` from
        here on, for the layer's shapes and weights, the rules and a later ``dense.units``."""
        layer = self.layers[uid]
        spec = catalogue.lookup(layer.type)
        aliases = spec.kwarg_aliases
        args, kwargs = layer.args, tuple((k, v) for k, v in layer.kwargs if aliases.get(k, k) != name)
        given = spec.arg_names[:len(args)]
        if name in given:
            at = given.index(name)
            args = (*args[:at], why, *args[at + 1:])
        else:
            kwargs = (*kwargs, (name, why))
        self.update_layer(uid, args=args, kwargs=kwargs)
        self.forget_shapes()

    def record_model(self, b: ModelBuilder, name: Any, type_name: str) -> ModelBuilder:
        """Register model ``b`` (Keras's order of models: it gets the next index) with Keras's name: ``name`` when
        it is a string, else the next automatic one of class ``type_name`` (``sequential_1``, ``functional``)."""
        b.index = len(self.models)
        self.models.append(b)
        b.keras_name = name if isinstance(name, str) else self.auto_name(type_name)
        return b

    def record_build(self, new_input: bool = False) -> None:
        """A Sequential built, or rebuilt as it grows (``Sequential._maybe_rebuild``): Keras makes a Functional of
        it, and first an InputLayer when it makes one (``new_input``); the names they use up."""
        if new_input:
            self.auto_name("InputLayer")
        self.auto_name("Functional")

    def unknown_build(self) -> None:
        """A Sequential built on something the analysis does not know: Keras makes an InputLayer and a Functional
        (``record_build``) when it is one tensor, none when it is not (``Sequential.build`` returns early): the names
        of those prefixes made afterwards are not known."""
        self.uncertain_names.update(("input_layer", "functional"))

    def use_names(self, counts: Dict[str, int]) -> Tuple[Tuple[str, int], ...]:
        """Use up ``counts[prefix]`` automatic names of each prefix (the layers an application makes); the
        counters as they were before (what the application's own layers are named from)."""
        before = tuple((prefix, None if self.names_unknown or prefix in self.uncertain_names
                            else self.name_counts.get(prefix, 0))
                       for prefix in counts)
        for prefix, count in counts.items():
            for _ in range(count):
                self.auto_name_prefix(prefix)
        return before

    def merge_calls(self, refs: Sequence[TensorRef], since: int, differs: Unknown) -> bool:
        """Tensors that undecided branches left under one name (``refs``, one a branch), each the output of the one call
        of a layer its branch made (uid ``since`` or later): when the calls are alike (the same layer class, name,
        input tensors, call arguments and mask) and the layers differ only in arguments their catalogue spec says
        change no figure (``LayerSpec.free_args``), the first layer stands for them all, its differing arguments
        made ``differs`` (so no rule reads one branch's value), and True is returned: the first tensor is what the
        name holds. Each branch's layer must have a known output shape, the same in each (where Keras rejects one
        branch's value, the spec says so there). The other layers stay, called by no later code. False (nothing
        changed) when they are not alike."""
        nodes = [self.nodes[r.node] if 0 <= r.node < len(self.nodes) else None for r in refs]
        if len(refs) < 2 or any(n is None for n in nodes) or len({r.index for r in refs}) != 1:
            return False
        first = nodes[0]
        layers = [self.layers[n.layer] for n in nodes]
        uids = {n.layer for n in nodes}
        if len(uids) != len(nodes) or min(uids) < since or uids & self.made_in_call:
            return False
        head = layers[0]
        spec = catalogue.lookup(head.type) if head.known and not head.operation else None
        # A layer without weights computes in the dtype it is given, which changes no figure (`Activation("softmax",
        # dtype="float32")` under a condition on the mixed-precision policy), when each is one Keras accepts.
        free = spec.free_args | {"dtype"} if spec is not None and spec.weights is no_weights else \
            spec.free_args if spec is not None else frozenset()
        if not free:
            return False
        for node, layer in zip(nodes[1:], layers[1:]):
            if (layer.type, layer.name, layer.known, layer.operation, layer.keras1, layer.trainable_set,
                    layer.elsewhere) != (head.type, head.name, head.known, head.operation, head.keras1,
                                         head.trainable_set, head.elsewhere) or \
                    node.inputs != first.inputs or node.graph_inputs != first.graph_inputs or \
                    node.constants != first.constants or node.list_input != first.list_input or not same(node.call_kwargs, first.call_kwargs):
                return False
        if any(layer.open_kwargs is not None or layer.submodel is not None or layer.why is not None or
               layer.built_shape is not None for layer in layers):
            return False
        masks = [self.masks.get(r) for r in refs]
        if any(isinstance(m, Unknown) or m != masks[0] for m in masks):
            return False
        if sum(1 for n in islice(self.nodes, min(self.layer_first[u] for u in uids), None) if n.layer in uids) != \
                len(nodes):
            return False  # a layer called more than once
        try:
            values = [dict(catalogue.spec.config(spec, layer).raw_items()) for layer in layers]
        except catalogue.spec.ShapeError:
            return False
        absent = object()
        differing = []
        for key in dict.fromkeys(k for v in values for k in v):
            given = [v.get(key, spec.defaults.get(key, None if key == "dtype" else absent)) for v in values]
            if any(g is absent or isinstance(g, Unknown) for g in given):
                return False
            if not all(same(given[0], g) for g in given[1:]):
                if key not in free or key == "dtype" and not all(_plain_dtype(g) for g in given):
                    return False
                differing.append(key)
        live = self.live_shapes()
        shapes = [live.tensor(r, head.name) for r in refs]
        if isinstance(shapes[0], Unknown):
            # Keras raises before these layers, at the same earlier layer in each branch (the same words): no
            # branch gets here. A layer of one branch that Keras rejects itself is named in its words.
            why = shapes[0].reason
            if not isinstance(shapes[0], KerasRaises) or any(not isinstance(s, Unknown) or s.reason != why
                                                             for s in shapes[1:]):
                return False
        elif any(isinstance(s, Unknown) or s != shapes[0] for s in shapes):
            return False
        if not differing:
            return True
        positional = spec.arg_names[:len(head.args)]
        args = tuple(differs if key in differing else v for key, v in zip(positional, head.args))
        aliases = spec.kwarg_aliases
        kwargs = [(k, differs if aliases.get(k, k) in differing else v) for k, v in head.kwargs]
        given = {aliases.get(k, k) for k, _ in head.kwargs}
        kwargs += [(k, differs) for k in differing if k not in positional and k not in given]
        self.update_layer(head.uid, args=args, kwargs=tuple(kwargs))
        return True

    # -- reading the graph ---------------------------------------------------
    def layer(self, uid: int) -> LayerDef:
        return self.layers[uid]

    def node(self, nid: int) -> Node:
        return self.nodes[nid]

    def model(self, index: int) -> ModelBuilder:
        return self.models[index]

    def made_by(self, ref: TensorRef) -> LayerDef:
        """The layer whose call gave tensor ``ref``."""
        return self.layers[self.nodes[ref.node].layer]

    def submodel(self, uid: int) -> Optional[ModelBuilder]:
        """The model layer ``uid`` stands for (a model used as a layer), or None (a layer, or a model not
        registered: a subclassed one used before its ``__init__`` ran)."""
        inner = self.layers[uid].submodel
        return self.models[inner] if inner is not None and 0 <= inner < len(self.models) else None

    def calls_of(self, uid: int) -> Iterator[Node]:
        """The calls of layer ``uid``, in order (none before the layer was made)."""
        start = self.layer_first[uid] if 0 <= uid < len(self.layer_first) else 0
        return (n for n in islice(self.nodes, start, None) if n.layer == uid)

    def nodes_since(self, start: int) -> List[Node]:
        """The calls recorded since there were ``start`` (``node_count()``)."""
        return self.nodes[start:]

    def layer_count(self) -> int:
        return len(self.layers)

    def node_count(self) -> int:
        return len(self.nodes)

    def sizes(self) -> Tuple[int, int, int]:
        """How many layers, nodes and models there are (what changes when code builds something)."""
        return len(self.layers), len(self.nodes), len(self.models)

    def contents(self) -> Tuple[Tuple[LayerDef, ...], Tuple[Node, ...], Tuple[ModelDef, ...]]:
        """The file's layers, nodes and models, as the IR (``FileIR``) holds them: a layer a wrapper holds
        (``catalogue.held_layers``) is given there as it is at the end, its ``trainable`` flag set later included."""
        fresh: Dict[int, LayerDef] = {}
        layers = tuple(self._with_held(layer, fresh, 0) for layer in self.layers)
        return layers, tuple(self.nodes), tuple(self.model_def(b) for b in self.models)

    def _builds_sublayers_later(self, layer: LayerDef, uid: int) -> bool:
        """A layer that makes its sublayers when it is built (catalogue trait), not built yet (never called)."""
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        return spec is not None and "own_sublayers_at_build" in spec.traits and next(self.calls_of(uid), None) is None

    def held_uids(self, layer: LayerDef) -> List[int]:
        """The layers of the file that ``layer`` (a wrapper, a Pipeline, an RNN) holds as its own sublayers."""
        return [item.uid for item in catalogue.held_layers(layer)
                if 0 <= item.uid < len(self.layers) and self.layers[item.uid].type == item.type]

    def _with_held(self, layer: LayerDef, fresh: Dict[int, LayerDef], depth: int) -> LayerDef:
        """``layer`` with the layers it holds as they are now (each refreshed the same way)."""
        if layer.uid in fresh:
            return fresh[layer.uid]
        uids = self.held_uids(layer) if depth < 20 else []
        if uids:
            def now(value: Any) -> Any:
                if isinstance(value, tuple):
                    return tuple(now(v) for v in value)
                if isinstance(value, LayerDef) and value.uid in uids:
                    return self._with_held(self.layers[value.uid], fresh, depth + 1)
                return value

            # (only held layers have those uids: Bidirectional's forward `layer`, a copy, is another object)
            layer = replace(layer, args=tuple(now(a) for a in layer.args),
                            kwargs=tuple((k, now(v)) for k, v in layer.kwargs))
        fresh[layer.uid] = layer
        return layer

    # -- what is built so far ---------------------------------------------
    def layer_value(self, uid: int) -> Any:
        """What ``model.layers`` holds for layer ``uid``: the layer, or the nested model itself."""
        submodel = self.layers[uid].submodel
        return self.models[submodel] if submodel is not None else LayerObj(uid)

    def has_input_shape(self, uid: int) -> bool:
        """Layer ``uid`` is a model with its input known (Keras builds a Sequential starting with it on that input)."""
        layer = self.layers[uid]
        return layer.submodel is not None and (self.models[layer.submodel].input_layer is not None or
                                               self.models[layer.submodel].kind in ("functional", "application"))

    def input_from_submodel(self, b: ModelBuilder) -> bool:
        """A Sequential whose first layer is a model with an input (an application, a functional model): Keras
        builds it on that input when the model is added, not on the first batch of data."""
        sub = self.layers[b.layers[0]].submodel
        if sub is None or not 0 <= sub < len(self.models):
            return False
        first = self.models[sub]
        return first.kind in ("application", "functional") or first.kind == "sequential" and first.input_layer is not None

    def model_layer(self, b: ModelBuilder) -> LayerObj:
        """The layer object a model is when it is used inside another model."""
        if b.layer_uid is None:
            kind = b.cls.name if b.cls is not None else "Sequential" if b.kind == "sequential" else "Functional"
            layer = self._add_layer(type=kind, name=b.keras_name, args=(), kwargs=(), span=b.span, submodel=b.index)
            b.layer_uid = layer.uid
        return LayerObj(b.layer_uid)

    def mask(self, ref: TensorRef) -> Any:
        """The Keras mask of tensor ``ref``: the mask tensor's ``TensorRef``, an Unknown, or None (not masked)."""
        return self.masks.get(ref)

    def set_mask(self, ref: TensorRef, mask: Any) -> None:
        self.masks[ref] = mask

    def live_shapes(self) -> LiveShapes:
        live = self._live
        if live is None:
            live = self._live = LiveShapes(self)
        return live

    def layer_built(self, uid: int) -> None:
        """Layer ``uid``, never called, was given a built shape (``self.proj.build(shape)`` in a custom layer's
        ``build``, which runs before the custom layer's first call is made): the shapes read so far did not read
        it, so they are kept (forgetting them all made each read after such a build derive the whole file's graph
        again: quadratic in a model zoo's converter); the next read sees the layer as it is now. A layer a wrapper
        holds (whose weights it counts) forgets them all."""
        live = self._live
        if live is None:
            return
        if not live.layer_built(uid):
            self.forget_shapes()

    def forget_shapes(self) -> None:
        """Shapes read so far are computed again (a layer they were computed from has changed)."""
        self._live = None

    def model_def(self, b: ModelBuilder) -> ModelDef:
        """The IR of a model under construction, as it stands: made of the fields of ``b`` named in
        ``live.MODEL_DEF_FIELDS`` alone (tests/test_fast_paths.py checks it)."""
        return ModelDef(
            kind=b.kind,
            name=b.name,
            span=b.span,
            layers=tuple(b.layers),
            input_layer=b.input_layer,
            build_shape=b.build_shape,
            inputs=b.inputs,
            outputs=b.outputs,
            unresolved=b.unresolved,
            from_defaults=b.caveat,
            run_of=b.run_of,
            trainable=b.trainable,
            keras_name=b.keras_name,
            implicit_input=b.implicit_input,
            built_by_node=b.built_by_node,
            application=b.application,
            app_counters=b.app_counters,
            app_layers=tuple(b.app_layers or ()),
            app_input=b.app_input,
            app_sources=b.app_sources,
            app_output=b.app_output,
            compile=None if b.compile_elsewhere else b.compile,
            call_nodes=b.call_nodes or (0, 0),
            custom_layer=b.custom_layer,
            own_weights=tuple(b.own_weights),
            weight_dtype=b.weight_dtype,
            fixed_output=b.fixed_output,
            symbolic_call=b.symbolic_call,
            explicit_build=b.explicit_build,
            built_unseen=b.built_unseen,
            data_calls=tuple(b.data_calls),
            method_calls=tuple(b.method_calls),
            names=tuple(sorted(b.names)),
            own_training=b.own_training,
            built_on_data=b.built_on_data,
            keras_raised=b.keras_raised,
            builds_nothing=b.builds_nothing,
        )

    # -- runs undone ------------------------------------------------------
    def mark(self) -> Tuple[Any, ...]:
        """What a run of an uncalled builder adds to the graph (undone by ``undo`` when it is run again)."""
        return (len(self.layers), len(self.nodes), len(self.models), len(self.uncertain_flags),
                dict(self.name_counts), self.layer_calls, set(self.uncertain_names), self.names_unknown)

    def undo(self, mark: Tuple[Any, ...]) -> None:
        layers, nodes, models, flags, counts, self.layer_calls, names, self.names_unknown = mark
        self.name_counts, self.uncertain_names = dict(counts), set(names)  # (copies: a mark may be undone again)
        del self.layers[layers:], self.layer_first[layers:], self.nodes[nodes:], self.models[models:]
        del self.uncertain_flags[flags:]
        self.masks = {ref: v for ref, v in self.masks.items() if ref.node < nodes}
        self.surely_made = {uid for uid in self.surely_made if uid < layers}
        self.guarded_made = {uid for uid in self.guarded_made if uid < layers}  # (their ids are given out again)
        self.forget_shapes()  # shapes of nodes computed so far (their ids are given out again)

    def snapshot(self) -> Tuple[Any, ...]:
        """The models' contents and every trainable flag, as the script left them (``restore``). (The caller
        charges ``flag_cost()``.)"""
        models = [(b, replace(b, attrs=dict(b.attrs), containers=list(b.containers))) for b in self.models]
        names = dict(self.name_counts), set(self.uncertain_names), self.names_unknown
        return models, self.trainable_flags(), (self.trainable_unknown, list(self.flags_unknown_at)), names

    def restore(self, saved: Tuple[Any, ...]) -> None:
        """The script's models, flags and automatic names as ``snapshot`` kept them: a run that never happened
        used up none of Keras's names (the names of a builder run after it start where the script left them)."""
        models, flags, (self.trainable_unknown, unknown_at), (counts, uncertain, self.names_unknown) = saved
        self.flags_unknown_at = list(unknown_at)
        self.name_counts, self.uncertain_names = dict(counts), set(uncertain)
        for b, copy in models:
            note_changed(b)
            b.restore(copy, _RUN_KEEPS)
        self.set_trainable_flags(flags)

    def flags_a_run_changed(self, saved: Tuple[Any, ...], why: Unknown) -> None:
        """Before ``restore(saved)`` ends the run of an uncalled builder: a model the run made that holds a layer or a
        nested model made before the run, whose trainable flag the run changed (``base.trainable = False`` on a
        model of the script, in the function that stacks it), gets an unknown trainable split. ``restore`` puts
        that flag back as the script left it (the run never happened for the script), so the split computed at the
        end would be the script's, not the one of the model the run built."""
        (before_layers, before_models) = saved[1]
        if len(self.models) <= len(before_models):
            return
        layers = self.layers
        changed_layers = {uid for uid, before in enumerate(before_layers) if layers[uid] is not before
                          and not same(layers[uid].kwarg("trainable", True), before.kwarg("trainable", True))}
        changed_models = {i for i, (b, flag) in enumerate(zip(self.models, before_models))
                          if not same(b.trainable, flag)}
        if not changed_layers and not changed_models:
            return
        for b in self.models[len(before_models):]:
            held_layers, held_models = self.held_layers_and_models(b)
            if (held_layers & changed_layers or held_models & changed_models) and not isinstance(b.trainable, Unknown):
                b.trainable = why

    # -- trainable flags ----------------------------------------------------
    def flag_cost(self) -> int:
        """The steps reading every layer's and model's flag costs (charged against the evaluator's limit)."""
        return (len(self.layers) + len(self.models)) // 8

    def held_layers(self, b: ModelBuilder) -> set:
        """The layers a model holds, those of the models nested in it included."""
        return self.held_layers_and_models(b)[0]

    def flags_not_followed(self, why: Unknown) -> None:
        """Code the analysis cannot follow runs here (``exec``, ``globals().update(...)``, a loop setting flags it
        cannot run, ``obj.trainable = ...`` on an object it does not know): it may set the flag of any layer or
        model that exists now, not of those made later."""
        if self.trainable_unknown is None:
            self.trainable_unknown = why
        mark = (len(self.layers), len(self.models))
        if not self.flags_unknown_at or self.flags_unknown_at[-1][1:] != mark:
            self.flags_unknown_at.append((why, *mark))

    def settle_unknown_flags(self) -> None:
        """At the end: a model made before such code ran, or holding a layer or a nested model made before it,
        has an unknown trainable split (the reason of the first such code that reached it); a model made after
        it of layers all made after it keeps its split. (A layer's uid and a model's index are the order they
        were made in.) A model not followed may hold any layer: its split is not known either."""
        if not self.flags_unknown_at:
            return
        for b in self.models:
            layers, models = self.held_layers_and_models(b)
            layer_first, model_first = min(layers, default=len(self.layers)), min(models, default=b.index)
            for why, n_layers, n_models in self.flags_unknown_at:
                if min(b.index, model_first) < n_models or layer_first < n_layers or b.unresolved is not None:
                    if not isinstance(b.trainable, Unknown):
                        b.trainable = why
                    break
        self.trainable_unknown = None

    def held_layers_and_models(self, b: ModelBuilder) -> Tuple[set, set]:
        """The layers a model holds and the models nested in it (at any depth)."""
        layers: set = set()
        models: set = set()
        todo = [b]
        while todo:
            m = todo.pop()
            for uid in self.model_layers(m):
                layers.add(uid)
                inner = self.layers[uid].submodel if 0 <= uid < len(self.layers) else None
                if inner is not None and inner not in models and inner != b.index and 0 <= inner < len(self.models):
                    models.add(inner)
                    todo.append(self.models[inner])
        return layers, models

    def settle_uncertain_flags(self) -> None:
        """Loops the analysis could not run may have set the flags of these layers: every model holding one
        of them (or the model looped over) has an unknown trainable split; its total stays known."""
        holds = [self.held_layers(b) for b in self.models] if self.uncertain_flags else []
        for held, owner, reason in self.uncertain_flags:
            for b, its in zip(self.models, holds):
                if b is owner or held & its:
                    if not isinstance(b.trainable, Unknown):
                        b.trainable = reason

    def set_trainable(self, obj: Any, flag: Any) -> bool:
        """``obj.trainable = flag`` on a layer or model (Keras's setter); False when ``obj`` is neither, so that
        which layer changed is not known (the caller then sets ``trainable_unknown``)."""
        if isinstance(obj, LayerObj) and self.layers[obj.uid].submodel is not None:
            obj = self.models[self.layers[obj.uid].submodel]  # a nested model: what its setter does
        if isinstance(obj, LayerObj):
            self.set_layer_trainable(obj.uid, flag)
        elif isinstance(obj, ModelBuilder):
            self.set_model_trainable(obj, flag, 0)
        elif isinstance(obj, External) and obj.role == "foreign":
            pass  # a loaded model or one of its layers: no model the analysis knows holds it
        else:
            return False
        return True

    def trainable_flags(self) -> Tuple[Tuple[Any, ...], Tuple[Any, ...]]:
        """Every layer's and model's trainable flag (to undo what a branch of an undecided ``if`` set): the layers
        themselves, whose flags ``set_trainable_flags`` reads where needed (a LayerDef is not changed once made:
        setting a flag puts a new one in its place), and the models' flags."""
        return tuple(self.layers), tuple(b.trainable for b in self.models)

    def set_trainable_flags(self, flags: Tuple[Tuple[Any, ...], Tuple[Any, ...]]) -> None:
        layers = self.layers
        for uid, before in enumerate(flags[0]):
            if layers[uid] is before:
                continue  # the same layer object: the same flag
            flag = before.kwarg("trainable", True)
            if not same(layers[uid].kwarg("trainable", True), flag):
                self.set_layer_trainable(uid, flag)
        for b, flag in zip(self.models, flags[1]):
            b.trainable = flag

    def trainable_mark(self) -> Tuple[int, int, Dict[int, Any], Dict[int, Any]]:
        """Before undecided branches that may set trainable flags: the number of layers and of models, and (filled
        as the branches run) each layer's and model's flag they wrote as it was before them. Flags are logged as
        they are written (``flag_log``, and values.flag_log for models) rather than read all: a file may hold
        thousands of layers and models."""
        if not self.flag_logging:
            self._outer_model_log = values_flag_log()
            set_flag_log(self.model_flag_log)
        self.flag_logging += 1
        return len(self.layers), len(self.models), {}, {}

    def flag_start(self) -> Tuple[int, int]:
        """Where the logs of flags written stand (a branch's writes are those logged after this)."""
        return len(self.flag_log), len(self.model_flag_log)

    def trainable_undo(self, mark: Tuple[int, int, Dict[int, Any], Dict[int, Any]], start: Tuple[int, int]) -> Any:
        """After one branch: the flags it left (of the layers and the models it wrote), then its writes undone."""
        count, model_count, before, models_before = mark
        layers = self.layers
        left: Dict[int, Any] = {}
        for uid, old in self.flag_log[start[0]:]:
            if uid < count and uid not in left:
                before.setdefault(uid, old)
                left[uid] = layers[uid].kwarg("trainable", True)
        models = self.models
        models_left: Dict[int, Any] = {}
        for b, old in self.model_flag_log[start[1]:]:
            index = b.index
            if index < model_count and index < len(models) and models[index] is b and index not in models_left:
                models_before.setdefault(index, old)
                models_left[index] = b.trainable
        for uid in sorted(left):
            if not same(layers[uid].kwarg("trainable", True), before[uid]):
                self.set_layer_trainable(uid, before[uid])
        for index in sorted(models_left):
            b = models[index]
            if b.trainable is not models_before[index]:
                b.trainable = models_before[index]
        return left, models_left

    def trainable_merge(self, mark: Tuple[int, int, Dict[int, Any], Dict[int, Any]], states: List[Any],
                        reason: Unknown) -> None:
        """What the branches that did not raise agree on stays; a flag they leave different is unknown."""
        _, _, before, models_before = mark
        for uid in sorted(set().union(*(left for left, _ in states))):
            values = [left.get(uid, before[uid]) for left, _ in states]
            first = values[0]
            flag = first if all(same(first, v) for v in values) else reason
            if not same(self.layers[uid].kwarg("trainable", True), flag):
                self.set_layer_trainable(uid, flag)
        # (a model no branch wrote keeps its flag, which each left as it was)
        for index in sorted(set().union(*(models_left for _, models_left in states))):
            values = [models_left.get(index, models_before[index]) for _, models_left in states]
            first = values[0]
            flag = first if all(same(first, v) for v in values) else reason
            b = self.models[index]
            if b.trainable is not flag:
                b.trainable = flag

    def trainable_done(self) -> None:
        """After the branches of a ``trainable_mark``, whether they ran to the end or not."""
        self.flag_logging -= 1
        if not self.flag_logging:
            self.flag_log.clear()
            self.model_flag_log.clear()
            set_flag_log(self._outer_model_log)
            self._outer_model_log = None

    def set_layer_trainable(self, uid: int, flag: Any) -> None:
        layer = self.layers[uid]
        if self.flag_logging:
            self.flag_log.append((uid, layer.kwarg("trainable", True)))
        kwargs = tuple((k, v) for k, v in layer.kwargs if k != "trainable") + (("trainable", flag),)
        # a flag the constructor was given keeps its check (SpatialDropout1D rejects the keyword); one set on
        # the object does not need it
        attribute = layer.trainable_set or len(kwargs) > len(layer.kwargs)
        if not layer.trainable_set and self._builds_sublayers_later(layer, uid):
            # Keras's setter reaches the sublayers it has: an attention layer makes its own when it is built, with
            # their own flags, so the flag stays its own as the constructor's does (infer._flag_reaches_weights)
            attribute = False
        self.layers[uid] = replace(layer, kwargs=kwargs, trainable_set=attribute)
        self.replaced_layers.append(uid)
        # Keras's setter sets the flag of the layers it holds too (a wrapper's, a Pipeline's, an RNN's cell); a model
        # it holds (``TimeDistributed(cnn)``) runs its own setter, which reaches every layer of that model
        for held in self.held_uids(layer):
            submodel = self.layers[held].submodel
            if submodel is not None and 0 <= submodel < len(self.models):
                self.set_model_trainable(self.models[submodel], flag, 1)
            elif held != uid:
                self.set_layer_trainable(held, flag)

    def set_layer_quantized(self, uid: int, mode: Any, depth: int = 0) -> None:
        """``layer.quantize(mode)``: Keras 3 replaces the layer's weights (an int8 or float8 kernel, its scales, a
        packed int4 kernel) and sets its dtype policy to a quantized one (``"int8_from_float32"``); the layer's
        dtype becomes that policy, which the catalogue does not follow (catalogue/identifiers.py ``dtype_problem``),
        so its counts and the models holding it are unknown, never the float ones. Layers it holds too."""
        layer = self.layers[uid]
        if layer.submodel is not None:
            self.set_model_quantized(self.models[layer.submodel], mode, depth + 1)
            return
        if layer.type == "InputLayer" or layer.operation:
            return
        source = layer.kwarg("dtype")
        policy = f"{mode if isinstance(mode, str) else 'quantized'}_from_" \
            f"{source if isinstance(source, str) else 'float32'}"
        kwargs = tuple((k, v) for k, v in layer.kwargs if k != "dtype") + (("dtype", policy),)
        self.layers[uid] = replace(layer, kwargs=kwargs)
        self.replaced_layers.append(uid)
        for held in self.held_uids(layer):
            if held != uid:
                self.set_layer_quantized(held, mode, depth + 1)

    def set_model_quantized(self, b: ModelBuilder, mode: Any, depth: int = 0) -> None:
        """``model.quantize(mode)``: Keras quantizes every layer the model holds, nested models' included."""
        if depth > 50:
            return
        for uid in self.model_layers(b):
            if self.layers[uid].submodel != b.index:
                self.set_layer_quantized(uid, mode, depth)  # (a nested model's layers: set_layer_quantized)

    def set_model_trainable(self, b: ModelBuilder, flag: Any, depth: int) -> None:
        """Keras's ``Layer.trainable`` setter: a model's flag is set on every layer it holds, nested models'
        layers included, so ``model.trainable = True`` unfreezes layers frozen before it."""
        b.trainable = flag
        if depth > 50:
            return
        for uid in self.model_layers(b):
            submodel = self.layers[uid].submodel
            if submodel is not None and submodel != b.index:
                self.set_model_trainable(self.models[submodel], flag, depth + 1)
            else:
                self.set_layer_trainable(uid, flag)

    # -- what a model holds ---------------------------------------------------
    def model_layers(self, b: ModelBuilder) -> List[int]:
        """The layers a model holds: a Sequential's or subclassed model's list, a functional model's graph."""
        if b.kind == "application":
            return self.app_upstream(b) + list(b.app_layers or ())
        if b.kind != "functional":
            return list(b.layers)
        out: Dict[int, None] = {}
        stack = list(b.outputs)
        seen = set()
        inputs = set(b.inputs)
        while stack:
            ref = stack.pop()
            if ref.node in seen or ref.node >= len(self.nodes):
                continue
            seen.add(ref.node)
            node = self.nodes[ref.node]
            read = self.application_read(node)
            if read is None:
                out[node.layer] = None
            else:  # a tensor read from an application (base.output): the layers that make it are the model's
                out.update(dict.fromkeys(read))
            if ref not in inputs:
                stack.extend(node.graph_inputs or node.inputs)
        return list(out)

    def application_read(self, node: Node) -> Optional[List[int]]:
        """For a node that reads a tensor of an application (``base.output``, ``base.get_layer(name).output``):
        the application's layers that make it (a model built on it holds them, not the application: its
        ``trainable`` setter sets theirs); None for any other node, or a call of the application as a layer."""
        layer = self.layers[node.layer]
        if layer.submodel is None:
            return None  # (the usual case, checked first)
        b = self.models[layer.submodel]
        if b.kind != "application" or b.app_tensors is None or \
                [r.node for r in node.inputs] != [b.app_tensors[0].ref.node]:
            return None
        from ..app_layers import needed

        uids = self.application_layers(b)
        wanted = dict(node.call_kwargs).get("application_output")
        rows = needed(b.application, wanted, [self.layers[u].name for u in uids]) if uids is not None else None
        if rows is None:
            return None
        return [uids[i] for i in rows]

    def app_upstream(self, b: ModelBuilder) -> List[int]:
        """The layers of an application that come before the tensor it was built on (``input_tensor=`` made by
        other layers): Keras's model holds them, in its graph's order, its source input first."""
        from ..infer import build_map

        if b.app_input is None or not self.nodes[b.app_input.node].inputs:
            return []
        return build_map(self.live_shapes().context(), b.app_sources, (b.app_input,))

    def application_layers(self, b: ModelBuilder) -> Optional[List[int]]:
        """``app.layers``: a layer per layer of the application (kerascount/app_layers.py), made the first time
        they are read, so that the code can set their ``trainable`` flags; None when they are not known."""
        from ..app_layers import layer_names

        if b.app_layers is None:
            names = layer_names(b.application, b.app_counters) if b.unresolved is None else None
            if names is None:
                return None
            made = []
            for type_name, name in names:
                flag = () if b.trainable is True else (("trainable", b.trainable),)  # as the model's setter left it
                layer = self._add_layer(type=type_name, name=name, args=(),
                                       kwargs=(("application_layer", b.index), *flag), span=b.span, known=False)
                made.append(layer.uid)
            b.app_layers = tuple(made)
        return b.app_layers

