"""A bounded abstract interpreter over a module parsed by CPython's ``ast``.

It runs a model script the way Python would, statement by statement, but only
over values it can know from the text: constants, tuples and lists, arithmetic,
loops over known ranges, ``if`` on known conditions, calls of functions defined
in the same file, and Keras constructors. Everything else becomes a symbol
(an unresolved name such as ``HEIGHT``) or an :class:`~kerascount.ir.Unknown`
with the reason. Nothing is imported or executed.

Every loop and call is bounded (:class:`Limits`): an analysis always ends.

:class:`Interpreter` is made of mixins, one module each. The Python evaluator: ``statements``, ``imports``,
``control`` (branches, loops, havoc), ``flags`` (trainable flags), ``expressions`` and ``calls``, with the
scopes and signals they share in ``scopes``. The Keras graph builder: ``keras_calls`` (layers, models and
their methods), ``classes`` (custom layers and subclassed models), ``ops_calls``, ``masks``, ``live``
(shapes read while interpreting) and ``params`` (parameters of uncalled builders), writing into ``graph``.
What stays here: the entry (``run``), symbols, snapshots and the step count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple

import ast

from ..ir import FileIR, Note, Span, SymbolOrigin, Unknown
from ..symbolic import Expr, numbered, symbol, symbol_names
from . import live, params, plain
from .sources import DataObject
from .builtin_calls import BuiltinCalls
from .classes import ClassCalls
from .graph import Graph
from .keras_calls import KerasCalls
from .masks import MaskCalls
from .params import ParamCalls, ParamProbe
from .ops_calls import OpsCalls
from .positions import Positions
from .values import (born_mark, changes_log, next_valued_era, set_changes_log, AnalysisLimit, ValuedArray,
    GeneratorValue, Builtin, ClassValue, DictValue, ExternalRef, Function, KerasRef, ListValue, ModuleRef,
    OpaqueCallable, SetValue)
from .scopes import (Journal, Scope, _Break, _Continue, _MISSING, _PROCESS_INPUTS, _Raise, _Return, _Signal, _Stop,
    _Uncertain)
from .statements import Statements
from .imports import Imports
from .control import ControlFlow
from .flags import TrainableFlags
from .expressions import Expressions
from .calls import Calls
from .patterns import Patterns


@dataclass(unsafe_hash=True, repr=False)
class Limits:
    """How far the interpreter follows a file before it gives up (counted in steps)."""

    layer_calls: int = 10_000
    layers: int = 50_000
    loop_iterations: int = 100_000
    steps: int = 2_000_000
    call_depth: int = 40
    #: A last resort only: every other limit is counted in steps, so results do not depend on machine load.
    seconds: float = 120.0
    sequence_length: int = 100_000


#: A loop that has run this many steps without making a layer, tensor or model is not run further (see
#: ``widen``): counted in steps, so the result never depends on the machine's speed. The stretch is
#: measured from the last iteration that made one, so a training loop whose first step builds a model
#: lazily (a first call) is still widened afterwards, and from the outermost loop being run, so a loop nested
#: in an idle loop (or run by a function it calls) is widened with it (see ``idle_steps``).
_WIDEN_STEPS = 30_000
#: How many of the functions one ``def`` makes (in a loop, or a function called again and again) are run at the end
#: as functions nothing calls (``Interpreter.probes_left``).
PROBES_PER_DEF = 4


class Interpreter(Statements, Imports, ControlFlow, TrainableFlags, Expressions, Calls,
                  KerasCalls, BuiltinCalls, ClassCalls, OpsCalls, MaskCalls, ParamCalls, live.ShapeCalls,
                  plain.PlainClasses, Patterns):
    """Runs one module's code over known values and records the Keras graph it builds (see the module's text)."""

    def __init__(self, module: ast.Module, path: str, positions: Positions, limits: Limits = Limits(),
                 forced: Optional[Dict[Any, Any]] = None) -> None:
        self.module = module
        self.path = path
        self._keras1: Optional[bool] = None
        #: keras1_file of the other modules' trees, by id (the positions keep the trees alive).
        self._keras1_trees: Dict[int, bool] = {}
        self.positions = positions
        self.limits = limits
        #: The Keras graph the file builds: layers, nodes, models, names, masks, trainable flags (graph.py).
        self.graph = Graph(path)
        self.notes: List[Note] = []
        self.steps = 0
        #: Steps after which a loop or comprehension that makes nothing is widened, and the steps given up so far.
        self.widen_window = _WIDEN_STEPS
        self.widened_steps = 0
        #: Where the outermost loop being run started (None: no loop), and the stretch that built nothing.
        self.loop_entry: Optional[int] = None
        self.idle_mark, self.idle_from = (0, 0, 0), 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.seconds
        self.caveat: Optional[str] = None
        #: The Keras modules the module being run imports ``*`` from (``from keras.layers import *``), and those of
        #: each project module the analysis read, by ``id`` of its scope: a function of that module reads its names
        #: through them wherever it is called from.
        self.star_imports: List[str] = []
        self.module_stars: Dict[int, List[str]] = {}
        #: The file imports Keras (``from keras.layers import Dense``), and no ``*`` from a module the
        #: analysis cannot read: a Keras layer name it never binds was left out of a pasted snippet.
        self.imports_keras = False
        self.foreign_star = False
        self.unimported: Dict[str, Span] = {}
        self.main_scope: Optional[Scope] = None
        self._budget_note = False
        self.functions: List[Function] = []
        #: How many functions each ``def`` (by node id) made that were run as nothing calls them.
        self.probed_defs: Dict[int, int] = {}
        #: The name prefixes of the layers a class's ``call`` makes, by class (ClassCalls.names_call_may_use).
        self.call_prefixes: Dict[int, Any] = {}
        #: How many ``try`` bodies with handlers enclose the code being run: a project function that raises
        #: there passes the exception on to them (elsewhere its result is unknown and the analysis goes on).
        self.guarded = 0
        #: The functions being run, innermost last (``forget_after`` reads what follows in them).
        self.function_nodes: List[Any] = []
        #: The dicts ``locals()`` gave a function's call (CallsMixin.parameters_of_call), with the call's scope.
        self.locals_given: List[Tuple[Any, Any]] = []
        #: Subclassed models (by id) whose first call Keras rejected before building anything, outside a `try` and on
        #: every way (``net(x, False)``): the script stops there, so no later call builds them (classes.call_subclassed).
        self.rejected_first_calls: Dict[int, str] = {}
        self.class_bases: Dict[str, Optional[Tuple[str, ...]]] = {}
        self._code: Dict[Any, str] = {}  # by id(node), or (id(node), True) for a text with ``after``
        #: ``keeps_rank`` of a layer and its call's arguments (KerasCalls), once each.
        self.rank_kept: Dict[Any, bool] = {}
        #: Lambda layers without ``output_shape=``, by uid: their function and ``arguments=`` (KerasCalls traces the
        #: function at each call); evaluator values, so not the graph's.
        self.lambda_functions: Dict[int, Tuple[Any, Any]] = {}
        #: ``eval_X`` of this class by node type (``eval`` looked each up by name at every step).
        self._eval_methods: Dict[type, Any] = {}
        #: ``exec_X`` of this class by statement type.
        self._exec_methods: Dict[type, Any] = {}
        #: Modules of the project read for imports, by real path (None while loading).
        self.modules: Dict[str, Optional[Scope]] = {}
        #: The scopes that stand for the project's namespace packages (folders without ``__init__.py``) which
        #: ``import package.module`` binds, by dotted name (Imports.package_chain).
        self.namespace_scopes: Dict[str, Scope] = {}
        #: The instances of the analysed code's callback classes made so far (extract/callbacks.py).
        self.callback_instances: List[Any] = []
        #: The tree of each module run (the file's and those read for imports), by id of its scope.
        self.module_trees: Dict[int, Any] = {}
        #: Why a module of the project found for an import was not analysed, by real path; and why the last
        #: ``load_module`` gave None (None: no such module in the project).
        self.module_problems: Dict[str, str] = {}
        self.import_problem: Optional[str] = None
        #: The scopes of the modules being loaded, by real path: what an import cycle reaches of one (Python's
        #: partly initialised module, holding the names its code bound before the import that led back to it).
        self.loading: Dict[str, Scope] = {}
        #: Names bound by imports the analysis could not follow: where each comes from and why it is not seen.
        self.import_origins: Dict[str, str] = {}
        #: Helpers of Keras's ecosystem run from their known source (known_helpers.py), by import path.
        self.helpers: Dict[str, Any] = {}
        #: The models whose attributes hold each list (by id): a layer appended to it is tracked at once, in the
        #: order Keras tracks it (classes.py ``track_containers``).
        self.container_owners: Dict[int, List[Any]] = {}
        self.importing = 0
        #: Where each symbol the analysis made comes from, by name and the uncalled function being run (None
        #: elsewhere; the first record wins): (words, span).
        self.symbol_origins: Dict[Tuple[str, Optional[str]], Tuple[str, Optional[Span]]] = {}
        #: What the names a symbol's text reads were bound to where it was made (``made_symbol``), by the same key:
        #: the same text read again with one of them bound to another value is another symbol (``len(enc.classes_)``
        #: in each pass of a loop that makes a new ``enc``). Kept as (values, their ``_reads_key``): the values keep
        #: the objects the key names by ``id`` alive.
        self.symbol_reads: Dict[Tuple[str, Optional[str]], Tuple[Tuple[Any, ...], Tuple[Any, ...]]] = {}
        #: How many times a method that may change it was called on a value of code the analysis does not see, by
        #: its id (`tok.fit_on_texts(more)`): a size read from it afterwards is another symbol (made_symbol).
        self.external_changes: Dict[int, int] = {}
        #: Attributes the file assigned on modules outside the project (`cfg.N = 64`), by path: what it reads then.
        self.external_attrs: Dict[str, Any] = {}
        #: ``symbol_variant``'s index of those records, by a symbol's text and the uncalled function being run.
        self.symbol_variants: Dict[Tuple[str, Optional[str]], List[Any]] = {}
        #: The scope of the statement (or comprehension item) being run: where a symbol's names are read.
        self.stmt_scope: Optional[Scope] = None
        #: The function nothing calls being run (``run_uncalled``), whose parameters are symbols.
        self.uncalled: Optional[str] = None
        #: ``born_mark()`` as that run started: the lists, dicts and kept iterators it made are born after it.
        self.uncalled_born = 0
        #: Where in this file the code being run was reached from (for nodes of imported modules).
        self.site: Optional[Span] = None
        #: How many undecidable conditions have been met (while loops stop unrolling after one).
        self.forks = 0
        #: How many undecided conditions hold the code being run (both ways of each are run): a use of a
        #: builder's parameter there may not be reached on every way through it (extract/params.py).
        self.undecided = 0
        #: While undecided ways run: the attributes of plain objects they set, with what each held before
        #: (``PlainClasses.set_plain_attribute``; read by ``ControlFlow.exec_branches``).
        self.attr_writes: List[Tuple[Any, str, Any]] = []
        #: The error Keras raised at a layer's constructor on the way here (made in code run on every way, outside
        #: any ``try``: the program stops there), or None: a condition after it is not reached (``raised_before``).
        self.raised: Optional[str] = None
        #: ``self.undecided`` when the custom layer's ``build`` being run began: a ``self.sub.build(shape)`` under
        #: more undecided conditions than that may or may not run (ClassCalls.sublayer_build).
        self.build_undecided = 0
        # String literals of the source that CPython interns (``interned_literal``), by id; the AST holds them.
        self.literals: Dict[int, str] = {}
        #: Instances of plain classes (extract/plain.py), compared before and after undecided branches.
        self.plain_objects: List[Any] = []
        #: What ``keras.backend.image_data_format()`` returns: Keras's default unless the code sets another.
        self.data_format: Any = "channels_last"
        #: Where the code may set Keras's default dtype to one whose weights are not float32 (FileIR.dtype_set): kept
        #: once set, whatever the branch or run (an over-approximation, so that no size in bytes is wrong).
        self.dtype_set: Optional[str] = None
        #: The dtype of the weights of every layer the run makes, when the code sets Keras's default policy before it
        #: makes any layer (``keras.config.set_floatx("float64")`` at the top of a script): Keras 3 reads the
        #: policy in force when the first layer is made, and keeps it (FileIR.weight_dtype).
        self.weight_dtype: str = "float32"
        #: One journal for every scope of the run (the file's and the project modules' it imports).
        self.journal = Journal()
        #: What the generator bodies being run have yielded so far (innermost last): ``run_generator``.
        self.yielded: List[List[Any]] = []
        #: How many blocks have been forgotten (``havoc``): a generator body that met one yields what is not known.
        self.havocs = 0
        #: How many times a layer, tensor or model was read (a loop that reads none is widened).
        self.touches = 0
        #: Calls into code the analysis does not see (any of them may raise on the machine that runs it).
        self.opaque_calls = 0
        #: Unknowns made inside a ``try`` with handlers (``unknown``): an operation the analysis could not compute
        #: there may be one Python raises on (`[].pop()`, `len(5)`), so a handler may run (statements.exec_Try).
        self.guarded_unknowns = 0
        #: The results of calling a Keras initializer, regularizer or constraint class (``l2(1e-4)``): objects not
        #: followed, but never None (kept by identity: ``x is None`` is decided for them only).
        self.keras_instances: Dict[int, Any] = {}
        #: Bytes of project modules read for imports (bounded: parsing is not counted in steps).
        self.loaded_bytes = 0
        #: Module scopes being forgotten (a module holding itself through an import cycle).
        self.forgetting: List[Scope] = []
        #: The subclassed models whose ``__init__`` is running, innermost last; and, by id, why Keras raised in
        #: the ones whose ``super().__init__()`` it rejects (what that ``__init__`` makes afterwards never exists).
        self.constructing: List[Any] = []
        self.init_raised: Dict[int, Unknown] = {}
        #: Functions and classes not followed that assign ``global``/``nonlocal`` names: those names and
        #: their scopes (see ``escaped``).
        self.writers: List[Tuple[Dict[str, Scope], Unknown]] = []
        #: While a function nothing calls runs with its default arguments: what its parameters without
        #: defaults are used as (extract/params.py); and those bound to a tensor or shape for its second run.
        self.param_probe: Optional[ParamProbe] = None
        #: How many times the runs of a KerasTuner hypermodel's ``build`` (run_uncalled) called an ``__init__``, by id.
        self.probe_inits: Dict[int, int] = {}
        self.param_bindings: Dict[str, Tuple[str, int, str, Tuple[Tuple[int, int], ...]]] = {}
        #: The nodes of the ``keras.Input`` those tensor parameters are bound to, and their names.
        self.param_inputs: Dict[int, str] = {}
        #: Tests of ``if`` statements and ``x if c else y`` taken as given (by id of the test node): a run for one way
        #: of a condition the analysis cannot decide (kerascount/alternatives.py).
        self.forced: Dict[Any, Any] = forced or {}
        #: The tuner's picks made symbols, by the symbol's name: (line, values, None unless few and known). A run
        #: told a value for one (``forced``, by that name) takes it instead (kerascount/alternatives.py).
        self.picks: Dict[str, Tuple[int, Optional[Tuple[int, ...]]]] = {}
        #: How many times each such test was evaluated, by id of its node; and the undecided ones, with where Keras
        #: did not raise before them (candidates for ``forced``).
        self.tests_seen: Dict[int, int] = {}
        #: The same counts by the function nothing calls whose run evaluated the test (``uncalled``; None: the script's
        #: own run): a model made in such a run depends only on the script's evaluations and that run's.
        self.tests_seen_in: Dict[Tuple[int, Optional[str]], int] = {}
        self.tests_undecided: Dict[int, Tuple[Any, Any]] = {}

    # -- entry ----------------------------------------------------------
    def run(self) -> FileIR:
        scope = Scope(journal=self.journal)
        scope.set("__name__", "__main__")
        scope.set("__file__", self.path)
        snippet = self.keras_snippet(scope)
        # A script that imports from Keras only after it uses Keras names (a notebook's cells saved in another
        # order, its imports in a file of their own): those names were left out of the code it shows, as in a
        # pasted snippet, and are read as Keras's (note KC904) from the first line.
        self.imports_keras = self.imports_keras or (not snippet and _imports_keras_later(self.module))
        self.main_scope = scope
        self.module_trees[id(scope)] = self.module
        try:
            try:
                self.exec_block(self.module.body, scope)
            except _Raise:
                pass
            except (_Return, _Break, _Continue, _Uncertain):
                pass
            # The tests of the file's TestCase classes first, as `unittest.main()` runs them after the script (the
            # functions they call are then called), then the functions nothing calls
            # (in unittest's order: classes by name, and their test methods by name)
            tests = [f for f in self.functions if f.probe_class is not None and f.probe_class.plain == "testcase"]
            for fn in sorted(tests, key=lambda f: (f.probe_class.name, f.node.name)):
                if fn.calls == 0 and self.probes_left(fn):
                    self.run_uncalled(fn)
            for fn in self.functions:
                if fn.calls == 0 and fn.top_level and fn.probe_class is None and self.probes_left(fn):
                    self.run_uncalled(fn)
            # Then the classes that may build a model and that neither the script nor those runs instantiated
            # (plain.PlainClasses.plain_class), a base class too when only such a run of a subclass calls its
            # `__init__`.
            for fn in [f for f in self.functions if f.probe_class is not None and f.calls == 0]:
                if self.probes_left(fn):
                    self.run_uncalled(fn)
        except AnalysisLimit as exc:
            self.notes.append(Note("KC902", exc.message, Span(1, 1, 1, 1)))
            for b in self.graph.models:
                b.taint(Unknown(exc.message))
        except RecursionError:
            msg = "the file is nested too deeply to analyse"
            self.notes.append(Note("KC902", msg, Span(1, 1, 1, 1)))
            for b in self.graph.models:
                b.taint(Unknown(msg))
        self.graph.settle_uncertain_flags()
        self.graph.settle_unknown_flags()
        if snippet and any(self.graph.sizes()):  # (a node is a layer's)
            self.notes.append(Note("KC904", "the file imports nothing: its names `Sequential`, `Dense`, `Conv2D`... "
                                   "are read as Keras's (as after `from keras.layers import *` and "
                                   "`from keras.models import *`)", Span(1, 1, 1, 1)))
        layers, nodes, models = self.graph.contents()
        return FileIR(
            path=self.path,
            layers=layers,
            nodes=nodes,
            models=models,
            notes=tuple(self.notes),
            trainable_unknown=self.graph.trainable_unknown,
            imports=tuple(sorted(self.modules)),
            symbols=tuple(SymbolOrigin(name, origin, span, builder)
                          for (name, builder), (origin, span) in self.symbol_origins.items()),
            surely_made=frozenset(self.graph.surely_made),
            conditions=self.conditions(),
            picks=tuple((name, line, values) for name, (line, values) in self.picks.items() if values is not None),
            steps=self.steps,
            dtype_set=self.dtype_set,
            weight_dtype=self.weight_dtype,
        )

    def release(self) -> None:
        """After ``run``, whose FileIR holds none of them: let go of the run's values. They hold one another in
        cycles (a module's scope holds its functions, which hold the scope), which only Python's garbage collector
        frees, after walking them again in its older generation; emptied here, the scopes' names and the evaluator's
        and the graph's tables are freed at once by reference counting."""
        for scope in (self.main_scope, *self.modules.values(), *self.loading.values()):
            if scope is not None:
                scope.vars.clear()
        self.graph.__dict__.clear()
        self.__dict__.clear()

    def made_symbol(self, name: str, origin: str, at: Any = None, of: Any = None) -> Expr:
        """``symbol(name)``, recording where it comes from (``origin``, in words) and where the value was made
        (``at``: a node or a span) unless an earlier record of that name exists.

        A symbol is named by the text that reads it, so the same text names the same value only while the names
        it reads hold the same values: ``len(encoder.classes_)`` in a loop that fits a new ``encoder`` to each
        column is one size per column. Made again with one of its names bound to another value (another object,
        another string), it is another symbol, ``len(encoder.classes_)₂`` (the first one whose names hold
        those values again, else a new one), so a formula never adds up sizes that may differ as one. ``of``: the
        object the size is read from (a pandas frame), compared as those names are (``self.df.shape[1]`` is another
        symbol once the frame ``self.df`` holds was changed in place, though ``self`` is the same object)."""
        reads = self.read_values(name)
        if of is not None:
            reads = (*(reads or ()), of)
        if _text_reads(name).fresh:
            reads = (*(reads or ()), object())  # (kept with the record: each call gives another value)
        if reads is not None and self.stmt_scope is not None:
            # (a list, dict, set or frame an attribute chain holds is read as a name holding it is, its changes
            # in place with it: `len(v.words)` after `v.words.add(w)` is another size, where a loop not followed
            # filled the set, control.havoc, and `v` kept its attributes)
            held_containers = tuple(v for c in _text_reads(name).chains if isinstance(
                v := plain.chain_value(self.stmt_scope, c), (ListValue, DictValue, SetValue, DataObject)))
            if held_containers:
                reads = (*reads, *held_containers)
        if reads is not None and self.external_changes:
            # (and what the attribute chains it reads hold: `len(v.words)` after `v.words.add(w)`)
            held = [*reads, *(plain.chain_value(self.stmt_scope, c) for c in _text_reads(name).chains
                              if self.stmt_scope is not None)]
            changed = tuple(self.external_changes.get(id(v), 0) for v in held if _not_followed(v))
            if any(changed):
                reads = (*reads, changed)
        key = (name, self.uncalled)
        reads_key = None
        if reads is not None and key in self.symbol_origins:
            reads_key = _reads_key(reads)
            name = self.symbol_variant(name, reads_key)
            key = (name, self.uncalled)
        if key not in self.symbol_origins:
            span = at if isinstance(at, Span) or at is None else self.span(at)
            self.symbol_origins[key] = (origin, span)
            if reads is not None:
                self.symbol_reads[key] = (reads, _reads_key(reads) if reads_key is None else reads_key)
        return symbol(name)

    def external_changed(self, value: Any) -> None:
        """A value of code the analysis does not see may have changed (a method called on it, an attribute or item
        assigned): sizes read from it from now on are other symbols than those read before (``made_symbol``)."""
        self.external_changes[id(value)] = self.external_changes.get(id(value), 0) + 1

    def external_root_changed(self, node: Any, scope: Any) -> None:
        """``external_changed`` of what the name at the root of a chain holds (``tok`` in
        ``tok.word_index["<pad>"] = 0`` or ``tok.word_index.update(...)``) when the analysis does not know it, and of
        what a chain of a plain object's attributes holds (``v.words`` in ``v.words.add(w)``)."""
        root = node
        while type(root) in (ast.Attribute, ast.Subscript, ast.Call):
            root = root.func if type(root) is ast.Call else root.value
        if type(root) is not ast.Name:
            return
        held = scope.get(root.id)
        if _not_followed(held):
            self.external_changed(held)
        elif type(node) is ast.Attribute and isinstance(held, plain.PlainObject):
            end = plain.chain_value(scope, node)  # (only a plain object's chain is read so)
            if _not_followed(end):
                self.external_changed(end)

    def symbol_variant(self, base: str, reads_key: Tuple[Any, ...]) -> str:
        """The name of the first record of ``base`` (``base``, ``base₂``, ...) made without reads or with reads
        equal to ``reads_key``, else the first name not made yet. The records a search passed are indexed by
        their reads (records never change once made), so a symbol made again in each of many passes is found
        without comparing it with every record before it."""
        at = (base, self.uncalled)
        index = self.symbol_variants.get(at)
        if index is None:
            index = self.symbol_variants[at] = [0, None, {}]  # records searched, first without reads, first by reads
        searched, open_n, by_reads = index
        found = by_reads.get(reads_key)
        if open_n is not None and (found is None or open_n < found):
            found = open_n
        if found is not None:
            return base if found == 1 else numbered(base, found)
        n = searched + 1
        while True:
            name = base if n == 1 else numbered(base, n)
            held = self.symbol_reads.get((name, self.uncalled))
            if (name, self.uncalled) not in self.symbol_origins:
                return name
            index[0] = n
            if held is None:
                index[1] = n
                return name
            by_reads.setdefault(held[1], n)
            if held[1] == reads_key:
                return name
            n += 1

    def read_values(self, text: str) -> Optional[Tuple[Any, ...]]:
        """What the names ``text`` reads are bound to in the statement being run (None: it reads no name, or is
        not an expression: ``batch size of X``)."""
        scope = self.stmt_scope
        if scope is None:
            return None
        names = _text_reads(text).names
        if not names:
            return None
        return tuple(scope.get(n) for n in names)

    def derived_symbol(self, name: str, e: Any, *values: Any) -> Expr:
        """``symbol(name)`` for an expression of ``values`` the arithmetic does not keep (``N / 2``, ``abs(N)``)."""
        made = [n for v in values for n in symbol_names(v)]
        held = self.symbol_origins.get((made[0], self.uncalled)) if len(values) == 1 and len(made) == 1 else None
        if held is not None and held[0] in _PROCESS_INPUTS.values():
            return self.made_symbol(name, held[0], e)
        origin = "computed from " + ", ".join(f"`{n}`" for n in dict.fromkeys(made)) if made else \
            "an expression the analysis does not compute"
        return self.made_symbol(name, origin, e)

    def probes_left(self, fn: Function) -> bool:
        """Whether ``fn`` is among the first ``PROBES_PER_DEF`` functions its ``def`` made that are run as nothing
        calls them: a ``def`` in a loop makes a function each time round (30,000 before a loop that builds nothing
        is widened), each run on its own before."""
        made = self.probed_defs.get(id(fn.node), 0)
        self.probed_defs[id(fn.node)] = made + 1
        return made < PROBES_PER_DEF

    @staticmethod
    def uncalled_param(fn: Function, name: str) -> Any:
        """The parameter ``name`` of ``fn`` (an ``ast.arg``), where its symbol is made."""
        args = fn.node.args
        return next((p for p in (*args.posonlyargs, *args.args, *args.kwonlyargs) if p.arg == name), None)

    def data_origin(self, value: Any) -> Tuple[str, Optional[Span]]:
        """Words and place for a size read from data ``value`` the analysis does not see (an External)."""
        made = getattr(value, "made", None)
        if made is not None:
            return f"the data's shape, from `{made[0]}`", made[1]
        return "the data's shape", getattr(value, "span", None) or self.site

    def run_uncalled(self, fn: Function) -> None:
        """Run a function nothing calls with its default arguments: that run shows what it builds. A
        parameter without a default is a symbol; one that the run uses as a tensor or a shape whose rank
        its uses fix (extract/params.py) is bound to such a tensor or shape in a second run, which replaces
        the first."""
        cls = fn.probe_class
        caveat = f"built by {fn.name}() with its default arguments" if not fn.decorated else \
            f"built by the function {fn.name} run with its default arguments, without its decorator `@{fn.decorated}`"
        hyper = _hypermodel_build(fn)
        if cls is not None:
            caveat = f"built by {cls.name}(...), a class nothing here instantiates, with its default arguments" \
                if cls.plain != "testcase" else f"built by the test {fn.name}, as a test runner runs it"
        if hyper:
            caveat = f"built by {cls.name}(...).build(hp), as a KerasTuner tuner calls it (the file does not), on an " \
                     f"instance `{cls.name}.__init__` made with its default arguments (the others are symbols)"
        positional = (*fn.node.args.posonlyargs, *fn.node.args.args)[1 if cls is not None else 0:]
        open_names = [p.arg for p in (*positional, *fn.node.args.kwonlyargs) if p.arg not in fn.defaults]
        init = self.plain_member(cls, "__init__") if hyper else None
        if isinstance(init, Function) and init.calls > self.probe_inits.get(id(init), 0) and init.defaults and \
                init.owner.plain != "hypermodel":
            # the file made instances, with arguments a tuner's `build` reads that a run on the defaults may not have
            # (`CNNHyperModel(num_classes=3)` handed to a tuner): not run (the defaults' model is not the file's)
            return
        if isinstance(init, Function):  # (its parameters too: the probe's instance is made by it)
            made_by = (*init.node.args.posonlyargs, *init.node.args.args)[1:]
            open_names += [p.arg for p in (*made_by, *init.node.args.kwonlyargs)
                           if p.arg not in init.defaults and p.arg not in open_names]
        self.uncalled = fn.name if cls is None or cls.plain == "testcase" else \
            f"{cls.name}(...).build" if hyper else f"{cls.name}.__init__"
        self.uncalled_born = born_mark()
        probe = ParamProbe({name: self.made_symbol(name, f"a parameter of `{self.uncalled}`, which nothing calls",
                                                   self.uncalled_param(fn, name))
                            for name in open_names}) if open_names else None
        self.caveat, self.param_probe = caveat, probe
        saved = self.snapshot()
        mark = self.checkpoint()
        try:
            try:
                self.call_function(fn, self.probe_self(cls, fn), {}, None, defaults_run=True)
            except (_Signal,):
                pass
            # Kept as it is: a run that first imported a project module (which is not imported again). A rank
            # asked only under a condition the run could not decide binds nothing (the rank may be what it tests:
            # `if len(input_shape) == 3:` takes a Conv2D branch and a Dense one): ParamProbe.bindings.
            bound = probe.bindings() if probe is not None and len(self.modules) == mark[-1] else {}
            guarded = probe.none_guarded(bound) if probe is not None and len(self.modules) == mark[-1] else set()
            if guarded:
                # `if input_tensor is None: img_input = Input(shape) else: img_input = input_tensor`: the rank
                # the tensor's uses ask is on every way once it is not None, as the tensor it is bound to is. It is
                # bound only if that second probe binds every parameter it took as not None.
                # Else the function is run again as the first probe ran it (with what that bound, if anything).
                again, saved = self.probe_not_none(fn, probe, guarded, saved, mark)
                bound = again or bound
            if bound or guarded:
                self.restore(saved)
                self.rollback(mark)
                for seen in [k for k in self.tests_seen_in if k[1] == self.uncalled]:
                    del self.tests_seen_in[seen]  # (the run again replaces the first: its evaluations are its own)
                saved = self.snapshot()
                self.param_bindings = bound
                self.param_probe = ParamProbe({n: s for n, s in probe.names.items() if n not in bound})
                if bound:
                    self.caveat = caveat + "; " + "; ".join(params.describe(n, *bound[n]) for n in open_names
                                                           if n in bound)
                try:
                    self.call_function(fn, self.probe_self(cls, fn), {}, None, defaults_run=True)
                except (_Signal,):
                    pass
        finally:
            self.graph.flags_a_run_changed(saved[1], Unknown(
                f"{fn.name}() sets the trainable flag of a layer or model the script made before it: the split of "
                f"a model this run builds is not followed (the script's model keeps its flags)", self.span(fn.node)))
            self.caveat, self.param_probe, self.param_bindings, self.param_inputs = None, None, {}, {}
            self.uncalled = None
            self.restore(saved)

    def probe_self(self, cls: Optional[ClassValue], fn: Function) -> Tuple[Any, ...]:
        """The arguments a probe gives: none for a function, a new instance of ``cls`` for its ``__init__`` or, for a
        test method of a TestCase, for the test, once its ``setUp`` has run on it (as unittest runs a test)."""
        if cls is None:
            return ()
        obj = plain.PlainObject(cls)
        self.plain_objects.append(obj)
        if _hypermodel_build(fn):
            init = self.plain_member(cls, "__init__")
            if isinstance(init, Function):
                self.probe_inits[id(init)] = self.probe_inits.get(id(init), 0) + 1  # (a probe's call, not the file's)
                self.call_function(init, (obj,), {}, None, defaults_run=True)
        set_up = self.plain_member(cls, "setUp") if cls.plain == "testcase" else None
        if isinstance(set_up, Function) and set_up is not fn:
            self.call_function(set_up, (obj,), {}, None)
        return (obj,)

    def probe_not_none(self, fn: Function, probe: ParamProbe, guarded: Set[str], saved: Tuple[Any, ...],
                       mark: Tuple[Any, ...]) -> Tuple[Dict[str, Any], Tuple[Any, ...]]:
        """The first probe's results undone, ``fn`` run again with the parameters ``guarded`` taken as not None:
        its bindings if they bind each of them, else none (those of the first probe stand); and the snapshot
        taken before it (``restore`` undoes it)."""
        self.restore(saved)
        self.rollback(mark)
        saved = self.snapshot()
        self.param_probe = again = ParamProbe(dict(probe.names), not_none=set(guarded))
        try:
            self.call_function(fn, self.probe_self(fn.probe_class, fn), {}, None, defaults_run=True)
        except (_Signal,):
            pass
        bound = again.bindings() if len(self.modules) == mark[-1] else {}
        self.param_probe = probe
        if not guarded <= set(bound) or any(bound[name][0] != "tensor" for name in again.tensors):
            return {}, saved
        return bound, saved

    def checkpoint(self) -> Tuple[Any, ...]:
        """What a run of an uncalled builder adds to the file's IR (undone by ``rollback`` when it is run again)."""
        return (self.graph.mark(), len(self.notes), len(self.functions),
                len(self.plain_objects), len(self.writers), self.forks, self.opaque_calls, self.touches, len(self.modules))

    def rollback(self, mark: Tuple[Any, ...]) -> None:
        (graph, notes, functions, objects, writers, self.forks, self.opaque_calls, self.touches, _) = mark
        self.graph.undo(graph)
        self.lambda_functions = {uid: v for uid, v in self.lambda_functions.items() if uid < self.graph.layer_count()}
        del self.notes[notes:], self.functions[functions:], self.plain_objects[objects:], self.writers[writers:]

    def keras_snippet(self, scope: Scope) -> bool:
        """Code pasted without its imports (``model = Sequential(); model.add(Dense(...))``): its unbound
        Keras names are read as Keras's, and ``keras``, ``layers``, ``np`` and ``tf`` as usual."""
        from ..files import is_keras_snippet

        source = self.positions.source
        if source is None or self.importing or not is_keras_snippet(source):
            return False
        self.star_imports = ["keras.layers", "keras.models"]
        for name, value in (("keras", KerasRef("keras")), ("layers", KerasRef("keras.layers")),
                            ("np", ExternalRef("numpy")), ("tf", ExternalRef("tensorflow"))):
            scope.set(name, value)
        return True

    def snapshot(self) -> Tuple[Any, ...]:
        """What the script left, before a function nothing calls is run with its default arguments: that run
        shows what the function builds, but it never ran, so it must not change the script's models, flags
        or names (``restore``)."""
        self.journal.active += 1
        self.journal.start = self.journal.clock
        next_valued_era()  # (the run does not change arrays made before it: ValuedArray.era)
        self.steps += self.graph.flag_cost()  # reading every flag counts against the step limit
        graph = self.graph.snapshot()
        objects = [(o, dict(o.attrs), o.version, o.tainted) for o in self.plain_objects]
        raised, self.raised = self.raised, None  # (the run is a call of its own, not after what the script raised)
        log = changes_log()
        if log is None:
            log = []  # the lists and dicts the run changes in place (values.py logs them)
            set_changes_log(log)
        return len(self.journal.entries), graph, self.data_format, objects, raised, log, len(log), self.uncalled

    def restore(self, saved: Tuple[Any, ...]) -> None:
        mark, graph, self.data_format, objects, self.raised, log, start, name = saved
        for o, attrs, version, tainted in objects:
            o.attrs, o.version, o.tainted = attrs, version, tainted
        # A list or dict the run changed in place (a module's list another function nothing calls reads) is not
        # put back: it is unknown from now on, for the run never happened.
        reason = Unknown(f"changed in place by a run of {name}() with its default arguments, which nothing calls"
                         if name else "changed in place by a function nothing calls")
        for obj in log[start:]:
            if isinstance(obj, (ListValue, DictValue, SetValue)) or type(obj) is ValuedArray:
                self.taint(obj, reason)
            elif type(obj) is GeneratorValue and obj.tainted is None:
                object.__setattr__(obj, "tainted", reason)  # (a generator the run iterated: spent or not, not known)
        if start == 0:
            set_changes_log(None)
        self.journal.undo(mark)
        self.journal.active -= 1
        self.journal.start = 0
        self.graph.restore(graph)

    # -- helpers --------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        span = self.positions.get(node)
        if span is None:
            # A node of an imported module: report at the call in this file that reached it.
            return self.site or Span(1, 1, 1, 1)
        return span

    def line_of(self, node: ast.AST, scope: Any) -> str:
        """Where ``node`` is, for a reason: "line 12" in the analysed file; in a module of the project it imports
        (run by ``scope``), "line 19 of `attention.attention`" (its own line, not the call that reached it)."""
        span = self.positions.get(node)
        if span is not None:
            return f"line {span.line}"
        module = getattr(getattr(scope, "module", None), "vars", {}).get("__name__")
        line = getattr(node, "lineno", None)
        if isinstance(module, str) and isinstance(line, int):
            return f"line {line} of `{module}`"
        return f"line {self.span(node).line}"

    def code(self, node: Any, after: Any = _MISSING) -> str:
        """The node's source text on one line, cut at 120 characters (cached: loops ask again). With ``after``
        (the statement before it in its block, or None), a statement with the comments above it and after it
        (see ``Positions.text``)."""
        line = after is not _MISSING
        key = (id(node), True) if line else id(node)  # (the usual ask, without ``after``: no tuple to make)
        text = self._code.get(key)
        if text is None:
            text = " ".join(self.positions.text(node, line, after if line else None).split())
            if len(text) > 120:
                text = text[:117] + "..."
            self._code[key] = text
        return text

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.limits.steps:
            raise AnalysisLimit(f"analysis stopped after {self.limits.steps:,} steps (a loop too long to unroll?)")
        if not self.steps & 4095 and time.monotonic() > self.deadline:
            raise AnalysisLimit(f"analysis stopped by the last-resort time guard ({self.limits.seconds:g} s): "
                                "this result depends on the machine's speed")

    def unknown(self, reason: str, node: Optional[ast.AST] = None) -> Unknown:
        if self.guarded:
            self.guarded_unknowns += 1
        return Unknown(reason, self.span(node) if node is not None else None)

    def python_error(self, name: Optional[str], reason: str, node: Optional[ast.AST] = None,
                     stops: bool = False) -> Unknown:
        """Python raises ``name`` here (a missing key, an index out of range...). Inside a ``try`` with handlers
        (or ``with suppress(...)``) the exception goes to them and the rest of the block does not run;
        elsewhere the value is unknown and the analysis goes on, unless ``stops`` (an error in every Keras, which
        a rule reports): then the script stops there, as Python's does."""
        if self.guarded and name is not None:
            raise _Raise(name)
        if stops and name is not None and self.uncalled is None:
            raise _Stop(name)
        return self.unknown(reason, node)

    def python_error_noted(self, code: str, name: str, reason: str, node: Any, certain: bool = True,
                           elsewhere: bool = False) -> Unknown:
        """Python raises ``name`` at ``node`` in every Keras (a rule ``code`` reports it): where the line runs for
        certain (``certain``, not under a ``try`` that may take it, not in a function nothing calls; in the file
        analysed, or, with ``elsewhere`` (an error whose premise holds wherever the code is), in a project module a
        call of it runs) the note is made once and the script stops there; elsewhere the value is unknown."""
        span = self.span(node)
        here = self.positions.get(node) is not None
        # (in a module of the project, run by a call of this file: Python raises there, and the call here stops the
        # script; the note is at the call)
        stops = certain and not self.guarded and self.uncalled is None and (
            here or elsewhere and self.importing == 0 and self.site is not None)
        if stops and all(n.span != span or n.code != code for n in self.notes):
            self.notes.append(Note(code, reason if here else f"{reason} (in code of another file this line runs)",
                                   span))
        return self.python_error(name, reason, node, stops=stops)

    def model_stops_here(self, b: Any, why: str) -> None:
        """Keras raises on the model ``b`` here (``why`` starts with ``live.KERAS_REJECTS``): outside a ``try``
        whose handlers take the error, the script stops, so the model never gets past this point."""
        if not self.guarded:
            if b.keras_raised is None:
                b.keras_raised = why
            if self.raised is None:
                self.raised = why[len(live.KERAS_REJECTS):]

    def keras1_file(self, node: Any = None) -> bool:
        """Is the file written for Keras 1 (:func:`~kerascount.catalogue.legacy.keras1_module`)? Read once, when a
        call that Keras 1 read otherwise than Keras 3 needs it. For a ``node`` of another module of the project (a
        builder of an imported module), that module's: ``Convolution2D(64, 3, 3)`` in a Keras 1 helper module is a
        3x3 kernel whatever the file that calls the helper is written for."""
        from ..catalogue import legacy

        tree = self.positions.tree_of(node) if node is not None else None
        if tree is not None:
            if id(tree) not in self._keras1_trees:
                self._keras1_trees[id(tree)] = legacy.keras1_module(tree)
            return self._keras1_trees[id(tree)]
        if self._keras1 is None:
            self._keras1 = legacy.keras1_module(self.module)
        return self._keras1



def _not_followed(v: Any) -> bool:
    """A value whose changes the analysis does not follow: unknown, of code it does not see, or an object of the
    file's class it no longer knows."""
    return isinstance(v, (Unknown, OpaqueCallable)) or isinstance(v, plain.PlainObject) and v.tainted is not None


#: Callees whose every call may give another value (what a user types, a random draw, the next line or item): a symbol
#: named by a text that calls one is another symbol each time it is made (`int(input())` twice: two sizes).
_FRESH_CALLEES = frozenset({"input", "raw_input", "readline", "read", "next", "randint", "randrange", "choice",
                            "choices", "random", "uniform", "sample", "integers", "getrandbits", "time",
                            "perf_counter", "monotonic", "urandom", "uuid4"})


class _TextReads(NamedTuple):
    """What a symbol's text reads, from one parse of it: its names (``read_values``), its chains of attributes from
    a name (``v.words`` in ``len(v.words)``, as nodes), and whether it calls something each call of which may give
    another value (``_FRESH_CALLEES``, or anything of the ``random``, ``numpy.random``, ``secrets`` or ``time``
    modules)."""

    names: Tuple[str, ...]
    chains: Tuple[Any, ...]
    fresh: bool


_NO_READS = _TextReads((), (), False)
#: ``_TextReads`` by symbol text.
_TEXT_READS: Dict[str, _TextReads] = {}


def _text_reads(text: str) -> _TextReads:
    hit = _TEXT_READS.get(text)
    if hit is not None:
        return hit
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        hit = _NO_READS
    else:
        names: Dict[str, None] = {}
        chains, fresh = [], False
        for n in ast.walk(tree):
            kind = type(n)
            if kind is ast.Name:
                names[n.id] = None
            elif kind is ast.Attribute:
                root = n.value
                while type(root) is ast.Attribute:
                    root = root.value
                if type(root) is ast.Name:
                    chains.append(n)
            elif kind is ast.Call and not fresh:
                parts = []
                f = n.func
                while type(f) is ast.Attribute:
                    parts.append(f.attr)
                    f = f.value
                if type(f) is ast.Name:
                    parts.append(f.id)
                fresh = bool(parts) and (parts[0] in _FRESH_CALLEES or bool(set(parts[1:]) & {"random", "secrets"}) or
                                         parts[-1] == "time" and len(parts) > 1)
        hit = _TextReads(tuple(names), tuple(chains), fresh)
    if len(_TEXT_READS) >= 20_000:  # (a long-lived process: the language server)
        _TEXT_READS.clear()
    _TEXT_READS[text] = hit
    return hit


def _reads_key(values: Tuple[Any, ...]) -> Tuple[Any, ...]:
    """What makes the values a symbol's text reads the same (``made_symbol``), as a key equal for two reads exactly
    when their names hold the same values: the same objects, or equal plain values (a string, a number, a size
    symbol), or the same module or library object (``pd`` imported again). Computed once per symbol made and
    compared as a tuple: a symbol read in many passes of a loop is compared with each of its numbered records."""
    return tuple(map(_value_key, values))


def _value_key(x: Any) -> Any:
    kind = type(x)
    if isinstance(x, (str, bytes, int, float, bool, Expr)):
        return kind, x
    if isinstance(x, tuple):
        return kind, _reads_key(x)
    if isinstance(x, (ExternalRef, KerasRef)):
        return kind, x.path
    if isinstance(x, ModuleRef):
        return kind, id(x.scope)
    if isinstance(x, Builtin):
        return kind, x.name
    if isinstance(x, DataObject):
        return kind, id(x), x.version  # (a frame changed in place since: `df.shape[1]` may be another size)
    if isinstance(x, (ListValue, DictValue, SetValue)):
        return kind, id(x), x.version, x.retainted  # (`len(words)` after an append: another size)
    return kind, id(x)


def _hypermodel_build(fn: Function) -> bool:
    """Is ``fn`` the ``build`` of a KerasTuner ``HyperModel`` subclass, run at the end as a tuner would run it
    (extract/plain.py ``plain_class``)?"""
    cls = fn.probe_class
    return cls is not None and cls.plain == "plain" and fn.node.name == "build" and \
        any(c.plain == "hypermodel" for c in cls.mro)


def _imports_keras_later(module: ast.Module) -> bool:
    """Does a statement of the module's own code (not a function's or class's body) import from Keras?"""
    from . import names

    stack: List[ast.AST] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Import) and any(names.canonical(a.name) is not None for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and node.module and \
                names.canonical(node.module) is not None:
            return True
        if isinstance(node, ast.stmt):
            stack.extend(ast.iter_child_nodes(node))
    return False
