"""A bounded abstract interpreter over a module parsed by CPython's ``ast``.

It runs a model script the way Python would, statement by statement, but only
over values it can know from the text: constants, tuples and lists, arithmetic,
loops over known ranges, ``if`` on known conditions, calls of functions defined
in the same file, and Keras constructors. Everything else becomes a symbol
(an unresolved name such as ``HEIGHT``) or an :class:`~kerascount.ir.Unknown`
with the reason. Nothing is imported or executed.

Every loop and call is bounded (:class:`Limits`): an analysis always ends.
"""

from __future__ import annotations

import heapq
import math
import operator
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

import ast

from ..ir import FileIR, FloatSymbol, KerasRaises, Note, NumpyBool, NumpyFloat, NumpyInt, Span, SymbolOrigin, Unknown
from ..project import find_module as _find_module, parsed_module
from ..symbolic import Expr, NumpyExpr, TooComplex, floordiv, symbol, symbol_names
from .. import catalogue
from . import arrays, callbacks, known_helpers, live, names, params, plain, sources
from .builtin_calls import KERAS_TYPE, BuiltinCalls, LayerClass
from .classes import _NOT_FOUND as _CLASS_LACKS, ClassCalls, custom_layer_bases
from .collect import (
    _per_node,
    bound_name,
    call_arguments,
    parameter_defaults,
    _called_names,
    _collect,
    _declared,
    _dotted,
    _jumps,
    _mutated_names,
    _outside_writes,
    _target_names,
    _trainable_targets,
    bare_names,
    model_uses,
)
from .graph import Graph
from .keras_calls import KerasCalls
from .masks import MaskCalls
from .params import ParamCalls, ParamProbe
from .ops_calls import TENSOR_COMPARISONS, OpsCalls
from .positions import Positions, is_concatenation, fstring_parts
from .values import (
    ModelChoice,
    WholeChoice,
    changes_log,
    arm_changes,
    disarm_changes,
    same as _same,
    next_valued_era,
    set_changes_log,
    ModuleRef,
    AnalysisLimit,
    ArrayValue,
    ValuedArray,
    BoundMethod,
    Builtin,
    GeneratorValue,
    VersionHead,
    ClassValue,
    DictValue,
    External,
    ExternalRef,
    Function,
    KerasRef,
    LambdaValue,
    LayerObj,
    ListValue,
    ModelBuilder,
    CachedFunction,
    CallbackClass,
    DecoratedFunction,
    OpaqueCallable,
    SetModel,
    Partial,
    RangeValue,
    SuperRef,
    Tensor,
    bind_method,
    has_tensor,
    tensors_in,
    unfolds_beyond,
)


#: The longest array whose rows a `for` loop over it is run on, one by one (a longer one is not followed).
_ARRAY_ROWS = 64

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


class _Signal(Exception):
    pass


class _Return(_Signal):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(_Signal):
    pass


class _Continue(_Signal):
    pass


class _Raise(_Signal):
    """The analysed code raises on this path; ``name``: the class raised as written (``ValueError``), if known."""

    def __init__(self, name: Optional[str] = None) -> None:
        self.name = name


class _Stop(_Raise):
    """The analysed code raises for certain where nothing catches it (no ``try`` with handlers around it, not in a
    run of a function nothing calls): the script stops there, also through the functions that called the code."""


_UNSURE = object()  # a handler that may or may not catch the exception raised


class _Uncertain(_Signal):
    """Control flow (break/continue/return) under an unknown condition."""

    def __init__(self, reason: Unknown) -> None:
        self.reason = reason


_BUILTINS = {
    "range", "len", "int", "float", "min", "max", "abs", "round", "sum", "list", "tuple", "enumerate",
    "zip", "reversed", "sorted", "print", "str", "bool", "isinstance", "dict", "any", "all", "divmod", "setattr",
    "pow", "map", "filter", "set", "getattr", "hasattr", "type", "super", "iter", "next", "repr", "format", "id",
    "open", "vars", "locals", "globals", "input", "callable", "issubclass", "object", "slice", "exec", "eval",
    "chr", "ord",
}
_MISSING = object()
#: The key ``subscript_unknown`` is given for a slice (``x[1:]``).
_SLICE = object()
#: Undecided conditions inside undecided conditions are run both ways up to this depth, and this many in a
#: file; past either bound, what their branches assign is forgotten (each level doubles the work).
_MAX_NESTED_BRANCHES = 6
_MAX_BRANCHINGS = 5_000
#: A loop that has run this many steps without making a layer, tensor or model is not run further (see
#: ``widen``): counted in steps, so the result never depends on the machine's speed. The stretch is
#: measured from the last iteration that made one, so a training loop whose first step builds a model
#: lazily (a first call) is still widened afterwards, and from the outermost loop being run, so a loop nested
#: in an idle loop (or run by a function it calls) is widened with it (see ``idle_steps``).
_WIDEN_STEPS = 30_000
#: Once a file has given up this many steps on loops and comprehensions that built nothing (data
#: generation, training, episodes of a game), later ones are widened after ``_WIDEN_STEPS_LATE`` steps:
#: a notebook with many such loops is not run for ``_WIDEN_STEPS`` steps each.
_WIDEN_BUDGET = 60_000
_WIDEN_STEPS_LATE = 10_000
#: Project modules read for one file's imports, in bytes of source at most.
_MAX_IMPORTED_BYTES = 2_000_000
#: Values that are never None (``x is None`` is decided); anything else (a symbol, an unknown, the result
#: of a call the analysis does not follow, a module attribute) may be.
_NEVER_NONE = (int, float, str, bool, NumpyBool, tuple, ListValue, DictValue, RangeValue, LayerObj, Tensor, ModelBuilder,
               Function, LambdaValue, ClassValue, KerasRef, ModuleRef, ArrayValue, BoundMethod, Builtin, Partial)
#: The classes of keras.initializers, keras.regularizers and keras.constraints (Keras 3.15, lower-case aliases
#: included): calling one makes an object (or raises), never None.
_KERAS_OBJECT_CLASSES = frozenset(
    [f"keras.regularizers.{n}" for n in ("L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "l1", "l1_l2",
                                         "l2", "orthogonal_regularizer")] +
    [f"keras.initializers.{n}" for n in (
        "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "IdentityInitializer",
        "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer", "RandomNormal",
        "RandomUniform", "STFT", "STFTInitializer", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
        "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform",
        "ones", "orthogonal", "random_normal", "random_uniform", "stft", "truncated_normal", "variance_scaling",
        "zeros")] +
    [f"keras.constraints.{n}" for n in ("Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm",
                                        "min_max_norm", "non_neg", "unit_norm")])
#: Integers beyond this many bits are not followed (no Keras dimension is that large).
MAX_INT_BITS = 256
_KNOWN_EXTERNAL = {"copy", "functools", "math", "numpy", "pandas", "sklearn", "tensorflow"}
#: Functions of other standard modules that the analysis follows (builtin_calls.call_external).
_FOLLOWED_STDLIB = frozenset({"dataclasses.field", "dataclasses.replace", "types.SimpleNamespace",
                              "argparse.Namespace"})
#: Classes whose instances are objects of the keywords they are given (extract/plain.py ``namespace``).
_NAMESPACES = frozenset({"types.SimpleNamespace", "argparse.Namespace"})
#: Kaggle Learn's exercise checker: ``binder.bind(globals())`` only keeps the globals to read (builtin_calls.py).
_LEARNTOOLS_BINDER = "learntools.core.binder."
#: Calls that make a new model from a file or a description (or a copy with new layers): none of its layers
#: is one of the analysed code's (an External with role "foreign").
_FRESH_MODELS = frozenset({"keras.models.load_model", "keras.saving.load_model", "keras.models.clone_model",
                           "keras.models.model_from_json", "keras.models.model_from_config",
                           "keras.models.model_from_yaml"})
#: Methods that never set a trainable flag (Keras's model methods, containers', strings').
_NO_FLAGS = frozenset({"add", "append", "extend", "compile", "summary", "fit", "evaluate", "predict", "save",
                       "save_weights", "load_weights", "format", "get", "items", "keys", "values", "update",
                       "split", "join", "reshape", "astype", "startswith", "endswith", "lower", "upper",
                       "count_params", "get_config", "to_json", "build", "pop", "insert"})
#: What ``six.moves`` gives for a builtin's name on Python 3: the builtin itself (``xrange`` is ``range``).
_SIX_BUILTINS = {"range": "range", "xrange": "range", "zip": "zip", "map": "map", "input": "input"}
#: Builtins that only read what they are given.
_READING_BUILTINS = frozenset({"print", "len", "isinstance", "type", "id", "str", "repr", "bool", "callable",
                               "hasattr"})
#: Names of functions outside the analysed code that may set a model's trainable flags.
_SETS_TRAINABLE = re.compile(r"freez|trainable|fine_?tun", re.IGNORECASE)
#: Names of functions outside the analysed code that may add layers to a Sequential given to them.
_MAY_GROW = ("add", "append", "extend", "insert", "pop", "build", "attach", "stack", "push", "grow", "make",
             "create", "construct", "conv", "dense", "block")


def _may_grow(name: str) -> bool:
    """Does a function name say it may add layers (``add_conv_block``, ``buildModel``)? By its words."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    return any(w.lower().startswith(_MAY_GROW) for w in words)


#: Values bound by imports: kept when code the analysis cannot read runs (see ``forget_scope``).
_IMPORTED = (KerasRef, ExternalRef, ModuleRef)
#: The functions and classes the file defines.
_DEFINED = (Function, ClassValue)


class GlobalsRef:
    """``globals()``: the names of a module, read and written through subscripts and ``update``."""

    __slots__ = ("scope",)

    def __init__(self, scope: "Scope") -> None:
        self.scope = scope


class Journal:
    """Writes to scopes while undecided branches run, so that each branch can be undone after it ran."""

    __slots__ = ("active", "entries", "clock", "start")

    def __init__(self) -> None:
        self.active = 0
        self.entries: List[Tuple["Scope", str, Any]] = []
        #: Scopes are numbered as they are made; ``start``: the number when the running branch began.
        #: A scope made during the branch (a call's, a closure's) is not undone: it did not exist before.
        self.clock = 0
        self.start = 0

    def record(self, scope: "Scope", name: str) -> None:
        if self.active and scope.born <= self.start:
            self.entries.append((scope, name, scope.vars.get(name, _MISSING)))

    def undo(self, mark: int) -> Dict[Tuple[int, str], Tuple["Scope", str, Any]]:
        """Undo the writes made since ``mark``; return what each written name held at the end."""
        final: Dict[Tuple[int, str], Tuple[Scope, str, Any]] = {}
        for target, name, _ in self.entries[mark:]:
            final[(id(target), name)] = (target, name, target.vars.get(name, _MISSING))
        for target, name, old in reversed(self.entries[mark:]):
            if old is _MISSING:
                target.vars.pop(name, None)
            else:
                target.vars[name] = old
        del self.entries[mark:]
        return final


#: Not in a scope's dict (a value no name is bound to: ``_MISSING`` may be).
_ABSENT = object()


class Scope:
    __slots__ = ("vars", "parent", "module", "redirect", "journal", "born")

    def __init__(self, parent: Optional["Scope"] = None, journal: Optional[Journal] = None) -> None:
        self.vars: Dict[str, Any] = {}
        self.parent = parent
        self.module: "Scope" = parent.module if parent is not None else self
        #: ``global``/``nonlocal`` names of a function's scope: the scope that holds each.
        self.redirect: Optional[Dict[str, "Scope"]] = None
        self.journal: Journal = journal or (parent.journal if parent is not None else Journal())
        self.journal.clock += 1
        self.born = self.journal.clock

    def get(self, name: str) -> Any:
        if self.redirect is not None and name in self.redirect:
            return self.redirect[name].get(name)
        scope: Optional[Scope] = self
        while scope is not None:
            value = scope.vars.get(name, _ABSENT)  # (one lookup a scope: the hottest read of the analysis)
            if value is not _ABSENT:
                return value
            scope = scope.parent
        return _MISSING

    def set(self, name: str, value: Any) -> None:
        if self.redirect is not None and name in self.redirect:
            self.redirect[name].set(name, value)
            return
        if self.journal.active:
            self.journal.record(self, name)
        self.vars[name] = value


class _ComprehensionScope(Scope):
    """The scope of a comprehension's loop variables (an assignment expression in it binds outside)."""

    __slots__ = ()


#: ``ast`` operators by the names the analysis gives them (libcst's: ``catalogue/ops.py`` reads them too).
_OPERATORS: Dict[type, str] = {getattr(ast, a): b for a, b in (
    ("Add", "Add"), ("Sub", "Subtract"), ("Mult", "Multiply"), ("Div", "Divide"), ("FloorDiv", "FloorDivide"),
    ("Mod", "Modulo"), ("Pow", "Power"), ("LShift", "LeftShift"), ("RShift", "RightShift"), ("BitOr", "BitOr"),
    ("BitXor", "BitXor"), ("BitAnd", "BitAnd"), ("MatMult", "MatrixMultiply"), ("UAdd", "Plus"), ("USub", "Minus"),
    ("Not", "Not"), ("Invert", "BitInvert"), ("Eq", "Equal"), ("NotEq", "NotEqual"), ("Lt", "LessThan"),
    ("LtE", "LessThanEqual"), ("Gt", "GreaterThan"), ("GtE", "GreaterThanEqual"), ("Is", "Is"), ("IsNot", "IsNot"),
    ("In", "In"), ("NotIn", "NotIn"))}


class Interpreter(KerasCalls, BuiltinCalls, ClassCalls, OpsCalls, MaskCalls, ParamCalls, live.ShapeCalls,
                  plain.PlainClasses):
    def __init__(self, module: ast.Module, path: str, positions: Positions, limits: Limits = Limits(),
                 forced: Optional[Dict[int, bool]] = None) -> None:
        self.module = module
        self.path = path
        self._keras1: Optional[bool] = None
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
        self.star_imports: List[str] = []
        #: The file imports Keras (``from keras.layers import Dense``), and no ``*`` from a module the
        #: analysis cannot read: a Keras layer name it never binds was left out of a pasted snippet.
        self.imports_keras = False
        self.foreign_star = False
        self.unimported: Dict[str, Span] = {}
        self.main_scope: Optional[Scope] = None
        self._budget_note = False
        self.functions: List[Function] = []
        #: How many ``try`` bodies with handlers enclose the code being run: a project function that raises
        #: there passes the exception on to them (elsewhere its result is unknown and the analysis goes on).
        self.guarded = 0
        #: The functions being run, innermost last (``forget_after`` reads what follows in them).
        self.function_nodes: List[Any] = []
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
        self.importing = 0
        #: Where each symbol the analysis made comes from, by name and the uncalled function being run (None
        #: elsewhere; the first record wins): (words, span).
        self.symbol_origins: Dict[Tuple[str, Optional[str]], Tuple[str, Optional[Span]]] = {}
        #: The function nothing calls being run (``run_uncalled``), whose parameters are symbols.
        self.uncalled: Optional[str] = None
        #: Where in this file the code being run was reached from (for nodes of imported modules).
        self.site: Optional[Span] = None
        #: How many undecidable conditions have been met (while loops stop unrolling after one).
        self.forks = 0
        #: How many undecided conditions hold the code being run (both ways of each are run): a use of a
        #: builder's parameter there may not be reached on every way through it (extract/params.py).
        self.undecided = 0
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
        #: The results of calling a Keras initializer, regularizer or constraint class (``l2(1e-4)``): objects not
        #: followed, but never None (kept by identity: ``x is None`` is decided for them only).
        self.keras_instances: Dict[int, Any] = {}
        #: Bytes of project modules read for imports (bounded: parsing is not counted in steps).
        self.loaded_bytes = 0
        #: Module scopes being forgotten (a module holding itself through an import cycle).
        self.forgetting: List[Scope] = []
        #: Functions and classes not followed that assign ``global``/``nonlocal`` names: those names and
        #: their scopes (see ``escaped``).
        self.writers: List[Tuple[Dict[str, Scope], Unknown]] = []
        #: While a function nothing calls runs with its default arguments: what its parameters without
        #: defaults are used as (extract/params.py); and those bound to a tensor or shape for its second run.
        self.param_probe: Optional[ParamProbe] = None
        self.param_bindings: Dict[str, Tuple[str, int, str, Tuple[Tuple[int, int], ...]]] = {}
        #: The nodes of the ``keras.Input`` those tensor parameters are bound to, and their names.
        self.param_inputs: Dict[int, str] = {}
        #: Tests of ``if`` statements and ``x if c else y`` taken as given (by id of the test node): a run for one way
        #: of a condition the analysis cannot decide (kerascount/alternatives.py).
        self.forced: Dict[int, bool] = forced or {}
        #: How many times each such test was evaluated, by id of its node; and the undecided ones, with where Keras
        #: did not raise before them (candidates for ``forced``).
        self.tests_seen: Dict[int, int] = {}
        self.tests_undecided: Dict[int, Tuple[Any, Any]] = {}

    # -- entry ----------------------------------------------------------
    def run(self) -> FileIR:
        scope = Scope(journal=self.journal)
        scope.set("__name__", "__main__")
        scope.set("__file__", self.path)
        snippet = self.keras_snippet(scope)
        self.main_scope = scope
        try:
            try:
                self.exec_block(self.module.body, scope)
            except _Raise:
                pass
            except (_Return, _Break, _Continue, _Uncertain):
                pass
            for fn in self.functions:
                if fn.calls == 0 and fn.top_level:
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
            steps=self.steps,
        )

    def made_symbol(self, name: str, origin: str, at: Any = None) -> Expr:
        """``symbol(name)``, recording where it comes from (``origin``, in words) and where the value was made
        (``at``: a node or a span) unless an earlier record of that name exists."""
        key = (name, self.uncalled)
        if key not in self.symbol_origins:
            span = at if isinstance(at, Span) or at is None else self.span(at)
            self.symbol_origins[key] = (origin, span)
        return symbol(name)

    def derived_symbol(self, name: str, e: Any, *values: Any) -> Expr:
        """``symbol(name)`` for an expression of ``values`` the arithmetic does not keep (``N / 2``, ``abs(N)``)."""
        made = [n for v in values for n in symbol_names(v)]
        held = self.symbol_origins.get((made[0], self.uncalled)) if len(values) == 1 and len(made) == 1 else None
        if held is not None and held[0] in _PROCESS_INPUTS.values():
            return self.made_symbol(name, held[0], e)
        origin = "computed from " + ", ".join(f"`{n}`" for n in dict.fromkeys(made)) if made else \
            "an expression the analysis does not compute"
        return self.made_symbol(name, origin, e)

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
        caveat = f"built by {fn.name}() with its default arguments" if not fn.decorated else \
            f"built by the function {fn.name} run with its default arguments, without its decorator `@{fn.decorated}`"
        open_names = [p.arg for p in (*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs)
                      if p.arg not in fn.defaults]
        self.uncalled = fn.name
        probe = ParamProbe({name: self.made_symbol(name, f"a parameter of `{fn.name}`, which nothing calls",
                                                   self.uncalled_param(fn, name))
                            for name in open_names}) if open_names else None
        self.caveat, self.param_probe = caveat, probe
        saved = self.snapshot()
        mark = self.checkpoint()
        try:
            try:
                self.call_function(fn, (), {}, None, defaults_run=True)
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
                saved = self.snapshot()
                self.param_bindings = bound
                self.param_probe = ParamProbe({n: s for n, s in probe.names.items() if n not in bound})
                if bound:
                    self.caveat = caveat + "; " + "; ".join(params.describe(n, *bound[n]) for n in open_names
                                                           if n in bound)
                try:
                    self.call_function(fn, (), {}, None, defaults_run=True)
                except (_Signal,):
                    pass
        finally:
            self.caveat, self.param_probe, self.param_bindings, self.param_inputs = None, None, {}, {}
            self.uncalled = None
            self.restore(saved)

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
            self.call_function(fn, (), {}, None, defaults_run=True)
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
            if isinstance(obj, (ListValue, DictValue)) or type(obj) is ValuedArray:
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

    # -- statements -----------------------------------------------------
    def exec_block(self, body: Sequence[Any], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: Any, scope: Scope) -> None:
        steps = self.steps = self.steps + 1  # tick(), inlined as in eval
        if steps > self.limits.steps or not steps & 4095:
            self.steps -= 1
            self.tick()
        kind = type(stmt)
        method = self._exec_methods.get(kind, _MISSING)
        if method is _MISSING:
            method = self._exec_methods[kind] = getattr(type(self), "exec_" + kind.__name__.lstrip("_"), None)
        if method is None:
            # match statements and anything newer: not followed.
            self.havoc([stmt], scope, self.unknown("assigned in a statement that is not followed", stmt))
        else:
            method(self, stmt, scope)

    def exec_With(self, stmt: ast.With, scope: Scope) -> None:
        if self.suppressed(stmt, scope) is not None:
            self.exec_suppress(stmt, scope)
            return
        for item in stmt.items:
            value = self.eval(item.context_expr, scope)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, self.unknown("value of a with-statement", item.context_expr)
                          if not isinstance(value, Unknown) else value, scope)
        self.exec_block(stmt.body, scope)

    exec_AsyncWith = exec_With

    def exec_Operand(self, stmt: "_Operand", scope: Scope) -> None:
        stmt.sink.append(self.eval(stmt.value, scope))

    def exec_Havoc(self, stmt: "_Havoc", scope: Scope) -> None:
        self.havoc([stmt.stmt], scope, stmt.reason)

    def exec_Guarded(self, stmt: "_Guarded", scope: Scope) -> None:
        try:
            self.exec_block(stmt.body, scope)
        except _Raise:  # something else raised in the try body: a handler may run
            self.havoc([h.body for h in stmt.handlers], scope, stmt.reason)

    def exec_Try(self, stmt: ast.Try, scope: Scope) -> None:
        if self.exec_try_import(stmt, scope):
            return
        try:
            risky = None
            self.guarded += bool(stmt.handlers)
            try:
                for index, inner in enumerate(stmt.body):
                    calls, first = self.opaque_calls, self.graph.node_count()
                    self.exec_stmt(inner, scope)
                    if stmt.handlers and self.keras_raised(first, inner, stmt, scope):
                        return
                    if risky is None and self.opaque_calls != calls:
                        risky = index
            finally:
                self.guarded -= bool(stmt.handlers)
            if stmt.orelse:
                self.exec_block(stmt.orelse, scope)
            if risky is not None and stmt.handlers:
                self.may_have_raised(stmt, risky, scope)
        except _Raise as r:
            handler = self.handler_for(stmt, r.name, scope)
            if handler is None:
                raise  # no handler catches it (the finally block below runs first)
            reason = self.unknown("depends on an exception handler", stmt)
            if handler is _UNSURE:  # what the body, the else block or a handler assigns is not known
                self.havoc([stmt.body, *(h.body for h in stmt.handlers), *(
                    [stmt.orelse] if stmt.orelse else [])], scope, reason)
            else:
                if handler.name is not None:
                    self.bind(bound_name(handler.name), self.unknown("the exception caught", handler), scope)
                self.exec_block(handler.body, scope)
        finally:
            if stmt.finalbody:
                self.exec_block(stmt.finalbody, scope)

    exec_TryStar = exec_Try

    def exec_Assign(self, s: ast.Assign, scope: Scope) -> None:
        value = self.eval(s.value, scope)
        for t in s.targets:
            self.bind(t, value, scope)

    def exec_AnnAssign(self, s: ast.AnnAssign, scope: Scope) -> None:
        if s.value is not None:
            self.bind(s.target, self.eval(s.value, scope), scope)

    def exec_AugAssign(self, s: ast.AugAssign, scope: Scope) -> None:
        current = self.eval(s.target, scope)
        right = self.eval(s.value, scope)
        op = _OPERATORS[type(s.op)]
        if op == "Add" and isinstance(current, ListValue):
            items = self.iterate(right)
            if items is not None and len(current.items) + len(items) > self.limits.sequence_length:
                current.tainted = current.tainted or self.unknown("a list too long to follow", s)
            elif items is None or current.tainted:
                current.tainted = current.tainted or self.unknown("extended with unknown items", s)
            else:
                current.items.extend(items)
                current.version += 1
                self.grown(current, tuple(items), s)
            return
        if type(current) is ValuedArray and arrays.valued_augmented(op, current, right, self.undecided > 0) is not None:
            return  # changed in place, as NumPy does
        self.bind(s.target, self.binop(op, current, right, s), scope)

    def exec_Expr(self, s: ast.Expr, scope: Scope) -> None:
        self.eval(s.value, scope)

    def exec_Return(self, s: ast.Return, scope: Scope) -> None:
        raise _Return(None if s.value is None else self.eval(s.value, scope))

    def exec_Break(self, s: ast.Break, scope: Scope) -> None:
        raise _Break()

    def exec_Continue(self, s: ast.Continue, scope: Scope) -> None:
        raise _Continue()

    def exec_Raise(self, s: ast.Raise, scope: Scope) -> None:
        exc = s.exc.func if isinstance(s.exc, ast.Call) else s.exc
        raise _Raise(self.code(exc) if isinstance(exc, (ast.Name, ast.Attribute)) else None)

    def exec_Delete(self, s: ast.Delete, scope: Scope) -> None:
        for target in s.targets:
            self.delete(target, scope, s)

    def exec_Pass(self, s: Any, scope: Scope) -> None:
        pass  # and Global, Nonlocal, Assert, a type alias: nothing to do

    exec_Global = exec_Nonlocal = exec_Assert = exec_TypeAlias = exec_Pass

    def exec_try_import(self, stmt: Any, scope: Scope) -> bool:
        """``try: import optional_package ... except ImportError: ...``: whether the import succeeds depends
        on the machine, so both ways are run (as an undecided ``if``); True when handled so.

        A failure path runs the ``try`` body up to the statement holding the import (what that statement
        did before the import is forgotten unless it is the import itself), then the handler."""
        handler = next((h for h in stmt.handlers if _catches_import_error(h)), None)
        if handler is None:
            return False
        body = stmt.body
        points = [(i, imp) for i, s in enumerate(body) for imp in self.optional_imports(s, scope)][:8]
        if not points:
            return False
        first = points[0][1]
        # One import that may fail: a run may be told which way it goes (kerascount/alternatives.py).
        way = self.met_test(first, None, None, stmt) if len(points) == 1 else None
        reason = self.unknown(f"depends on whether `{self.code(first)}` succeeds on the machine that runs it "
                              f"(line {self.span(stmt).line})", first)
        handler_body: List[Any] = list(handler.body)
        if handler.name is not None:
            handler_body.insert(0, _Havoc(bound_name(handler.name), reason))
        handlers = stmt.handlers
        success = [_Guarded(list(body), handlers, reason)] + list(stmt.orelse)
        branches: List[Sequence[Any]] = [success]
        for i in dict.fromkeys(i for i, _ in points):
            partial = [] if _is_import_line(body[i]) else [_Havoc(body[i], reason)]
            branches.append([_Guarded(list(body[:i]), handlers, reason)] + partial + handler_body)
        try:
            if way is None:
                self.exec_branches(branches, scope, reason, stmt)
            else:
                self.exec_block(branches[0] if way else branches[1], scope)
        finally:
            if stmt.finalbody:
                self.exec_block(stmt.finalbody, scope)
        return True

    def keras_raised(self, first: int, inner: Any, stmt: Any, scope: Scope) -> bool:
        """Whether a layer call of ``inner`` (nodes from ``first`` on) is one Keras rejects (``Add`` of
        different shapes...): then ``inner`` raised a ValueError and did not assign; a handler that catches
        it runs; another one leaves what the handlers assign unknown."""
        from ..infer import _Fail

        if self.graph.node_count() == first:
            return False
        ctx = self.graph.live_shapes().context()
        problem = None
        for nid in range(first, self.graph.node_count()):
            try:
                ctx.output(ctx.ir.node(nid))
            except _Fail as f:
                if f.problem.error and f.problem.node is not None and f.problem.node >= first:
                    problem = f.problem
                    break
            except RecursionError:
                return False
        if problem is None:
            return False
        body = stmt.body
        before = next((body[i - 1] for i, s in enumerate(body) if s is inner and i), None)
        reason = self.unknown(f"`{self.code(inner, before)}` raises in Keras ({problem.message})", inner)
        self.havoc([inner], scope, reason)
        handler = self.handler_for(stmt, "ValueError", scope)
        if handler is None:
            raise _Raise("ValueError")
        if handler is _UNSURE:
            self.havoc([h.body for h in stmt.handlers], scope, reason)
        else:
            if handler.name is not None:
                self.bind(bound_name(handler.name), reason, scope)
            self.exec_block(handler.body, scope)
        return True  # (the caller's `finally` runs the try statement's own finally block)

    def handler_for(self, stmt: Any, raised: Optional[str], scope: Scope) -> Any:
        """The handler of ``stmt`` that catches an exception of class ``raised`` (as written), None if none
        does, or ``_UNSURE``. Builtin classes are compared as Python does; classes of the file by their
        bases as written."""
        for h in stmt.handlers:
            if h.type is None:
                return h
            types = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
            verdicts = [self.catches(raised, self.code(t), scope, 0) for t in types]
            if True in verdicts:
                return h
            if None in verdicts:
                return _UNSURE
        return None

    def catches(self, raised: Optional[str], handler: str, scope: Scope, depth: int) -> Optional[bool]:
        """Whether ``except handler`` catches class ``raised`` (None: cannot tell)."""
        import builtins

        def builtin(name: str) -> Any:
            cls = getattr(builtins, name, None)
            ok = isinstance(cls, type) and issubclass(cls, BaseException) and name not in self.class_bases and \
                scope.get(name) is _MISSING
            return cls if ok else None

        if raised is None or depth > 20:
            return None
        if raised == handler:
            return True
        mine, theirs = builtin(raised), builtin(handler)
        if mine is not None and theirs is not None:
            return issubclass(mine, theirs)
        if mine is not None and self.class_bases.get(handler) is not None:
            return False  # a builtin exception is no instance of a class of the file
        bases = self.class_bases.get(raised)
        if bases is None:
            return None
        verdicts = [self.catches(b, handler, scope, depth + 1) for b in bases]
        return True if True in verdicts else False if verdicts and all(v is False for v in verdicts) else None

    def suppressed(self, stmt: ast.With, scope: Scope) -> Optional[List[str]]:
        """The exception classes of ``with contextlib.suppress(A, B):`` as written (None: another statement)."""
        if len(stmt.items) != 1 or not isinstance(stmt.items[0].context_expr, ast.Call):
            return None
        call = stmt.items[0].context_expr
        text = self.code(call.func)
        if text not in ("suppress", "contextlib.suppress") or isinstance(
                scope.get(text.split(".")[0]), (Function, LambdaValue, ClassValue)):
            return None
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        return [self.code(a) for a in call.args]

    def exec_suppress(self, stmt: ast.With, scope: Scope) -> None:
        """``with suppress(KeyError): ...``: an exception of those classes ends the block and is dropped."""
        names = self.suppressed(stmt, scope) or []
        self.guarded += 1
        try:
            self.exec_block(stmt.body, scope)
        except _Raise as r:
            verdicts = [self.catches(r.name, n, scope, 0) for n in names]
            if True in verdicts:
                return
            if None in verdicts:
                self.havoc([stmt.body], scope, self.unknown("depends on whether the block raises", stmt))
                return
            raise
        finally:
            self.guarded -= 1

    def may_have_raised(self, stmt: Any, risky: int, scope: Scope) -> None:
        """The ``try`` body called code the analysis does not follow (statement ``risky`` first), which may
        raise on the machine that runs it: then a handler runs instead of the rest of the body. When the
        handlers change anything, both ways are run and what they leave different is unknown."""
        handlers = stmt.handlers
        changes = _collect([h.body for h in handlers])
        if not (changes.assigned or changes.mutated or changes.sets_trainable) and not any(
                isinstance(scope.get(name), (Function, LambdaValue)) for h in handlers for name in _called_names(h.body)):
            return  # the handlers only print or log: nothing differs
        body = stmt.body
        before = body[risky - 1] if risky else None
        reason = self.unknown(f"depends on whether `{self.code(body[risky], before)}` raises on the machine that runs it "
                              f"(line {self.span(body[risky]).line})", body[risky])
        lost: List[Any] = [_Havoc(s, reason) for s in body[risky:]]
        if stmt.orelse:
            lost.append(_Havoc(stmt.orelse, reason))
        branches: List[Sequence[Any]] = [[]]
        for h in handlers:
            branches.append(lost + ([_Havoc(bound_name(h.name), reason)] if h.name is not None else []) + list(h.body))
        self.exec_branches(branches, scope, reason, stmt)

    def optional_imports(self, stmt: Any, scope: Scope) -> List[Any]:
        """The imports in ``stmt`` that may fail on another machine: not the standard library, NumPy, Keras
        itself, or a module of the analysed project found beside the file."""
        out = []
        for node in _imports_in(stmt):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                mods = ["." * (node.level or 0) + (node.module or "")]
            for mod in mods:
                top = mod.split(".")[0]
                if top in _ALWAYS_IMPORTABLE or top in _STDLIB:
                    continue
                level = len(mod) - len(mod.lstrip("."))
                if _find_module(self.path, mod.lstrip("."), level) is not None:
                    continue
                out.append(node)
                break
        return out

    def exec_Import(self, s: ast.Import, scope: Scope) -> None:
        for alias in s.names:
            full = alias.name
            if not self.importing and names.canonical(full) is not None:
                self.imports_keras = True
            if names.canonical(full) is None and full.split(".")[0] not in _KNOWN_EXTERNAL:
                local = self.load_module(full, 0)
                if local is not None and (alias.asname is not None or "." not in full):
                    bound = alias.asname if alias.asname is not None else full
                    scope.set(bound, ModuleRef(local, full))
                    continue
            if full == "keras" and isinstance(self.ref(full), KerasRef):
                scope.set(alias.asname or full, KerasRef("keras", origin="keras"))  # keras.__version__ is "3.…"
            elif alias.asname is not None:
                value = self.ref(full)
                scope.set(alias.asname, value)
                if isinstance(value, Expr) and full.split(".")[0] not in _STDLIB:  # import efficientnet.keras as efn
                    self.import_origins[alias.asname] = (f"`{full}`, which is not a module of the analysed project "
                                                         "(kerascount reads no installed package)")
            else:
                top = full.split(".")[0]
                scope.set(top, self.ref(top))

    def exec_ImportFrom(self, s: ast.ImportFrom, scope: Scope) -> None:
        level = s.level or 0
        module = "." * level + (s.module or "")
        local = partial = None
        if names.canonical(module.lstrip(".")) is None or module.startswith("."):
            local = self.load_module(module.lstrip("."), level)
            if local is None:
                local = partial = self.partial_module(module.lstrip("."), level)
        if not self.importing and names.canonical(module.lstrip(".")) is not None:
            self.imports_keras = True
        if len(s.names) == 1 and s.names[0].name == "*":
            canon = names.canonical(module)
            if canon is not None:
                self.star_imports.append(canon)
            elif local is None:
                self.foreign_star = True
            if local is not None and canon is None:
                for key, value in local.vars.items():
                    if not key.startswith("_"):
                        scope.set(key, value)
            return
        for alias in s.names:
            name = alias.name
            bound = alias.asname if alias.asname is not None else name
            if (local is None or local.get(name) is _MISSING) and (module.startswith(".") or local is not None):
                # ``from package import submodule``: Python imports the submodule the package does not bind
                problem = self.import_problem
                sub = self.load_module(f"{module.lstrip('.')}.{name}".lstrip("."), level)
                if sub is not None:
                    scope.set(bound, ModuleRef(sub, f"{module}.{name}"))
                    continue
                self.import_problem = problem
            if local is not None and not (local is partial and local.get(name) is _MISSING):
                # (a name a partly run module has not bound, nor a submodule: Python raises ImportError there;
                # it stays a symbol that says the import cycle is why)
                value = local.get(name)
                scope.set(bound, self.made_symbol(bound, f"imported from `{module}`, which does not define it",
                                                  s) if value is _MISSING else value)
                if value is _MISSING:
                    self.import_origins[bound] = f"`{module}`, which does not define `{name}` where the analysis sees it"
                continue
            if module.startswith("."):
                inside = known_helpers.relative_path(module, os.path.basename(os.path.dirname(self.path)), name)
                helper = self.known_helper(inside) if inside is not None else None
                scope.set(bound, self.made_symbol(bound, f"imported from `{module}`", s)
                          if helper is None else helper)
                if helper is None:
                    self.unfollowed_import(bound, module)
                continue
            if (self.guarded or self.undecided) and _keras3_lacks(module, name):
                # Keras 3's keras.layers has no such name (CuDNNLSTM, Keras 2's GPU-only layer; Keras 2's
                # layers.experimental.SyncBatchNormalization), so the import raises ImportError: inside a `try`
                # with handlers, a handler runs; in a branch of an undecided condition, that way builds nothing
                # under Keras 3 and the other ways decide (an import outside both is left to the call, whose
                # reason says Keras 3 has no such layer).
                raise _Raise("ImportError")
            builtin = _SIX_BUILTINS.get(name) if module == "six.moves" else name if module == "builtins" else None
            if builtin in _BUILTINS:
                scope.set(bound, Builtin(builtin))  # from six.moves import range: Python 3's own range
                continue
            value = self.ref(f"{module}.{name}", bound, s)
            scope.set(bound, value)
            if isinstance(value, Expr):
                self.unfollowed_import(bound, module)

    def unfollowed_import(self, bound: str, module: str) -> None:
        """Note where ``bound`` comes from: ``module``, which the last ``load_module`` did not analyse."""
        if self.import_problem is not None:
            self.import_origins[bound] = f"`{module}`, a module of the project that is not analysed ({self.import_problem})"
            key = (bound, self.uncalled)
            if key in self.symbol_origins:
                self.symbol_origins[key] = (f"imported from `{module}`, a module of the project that is not analysed",
                                            self.symbol_origins[key][1])
        elif module.startswith("."):
            self.import_origins[bound] = f"`{module}`, which is not found (looked for from `{os.path.basename(self.path)}`)"
        elif module.split(".")[0] not in _STDLIB:
            self.import_origins[bound] = (f"`{module}`, which is not a module of the analysed project (kerascount "
                                          "reads no installed package)")

    def origin_reason(self, text: str, func: Any) -> Optional[str]:
        """Why calling the name ``text``, bound by an import the analysis could not follow, is not analysed;
        else None."""
        if not isinstance(func, Expr):
            return None
        if func != symbol(text):
            return None
        if text in self.import_origins:
            return f"`{text}` is imported from {self.import_origins[text]}"
        head = text.split(".", 1)[0]
        if head != text and head in self.import_origins and self.import_origins[head].endswith("(kerascount reads no installed package)"):
            # efn.EfficientNetB0 of `import efficientnet.keras as efn`: an attribute of a module from outside the project
            return f"`{text}` is read from `{head}`, which is imported from {self.import_origins[head]}"
        return None

    def load_module(self, dotted: str, level: int) -> Optional[Scope]:
        """Run a module of the analysed project once; its top-level scope.

        Only files of the project are read, found as pyright and ruff find first-party code
        (kerascount/project.py: the file's folder or package, then the folders above it up to the
        project root); nothing else on the machine is.
        """
        self.import_problem = None
        path = _find_module(self.path, dotted, level)
        if path is None:
            return None
        key = os.path.realpath(path)
        if key in self.modules:
            # None while it is being loaded (an import cycle) or when it could not be
            if self.modules[key] is None:
                self.import_problem = self.module_problems.get(key, "an import cycle reaches it while it is read")
            return self.modules[key]
        if len(self.modules) >= 64:
            self.import_problem = "more than 64 modules of the project are imported"
            return None
        self.modules[key] = None
        try:
            size = os.path.getsize(path)
            if size > 1_000_000 or self.loaded_bytes + size > _MAX_IMPORTED_BYTES:
                # its names stay symbols (parsing it would cost more than any step limit bounds)
                self.import_problem = self.module_problems[key] = \
                    "over 1 MB" if size > 1_000_000 else "the project's modules imported exceed 2 MB"
                return None
            self.loaded_bytes += size
            text, module, nodes = parsed_module(path, size, _module_parse)
            if module is self.module:
                # The file analysed imports itself (through a cycle) and its tree is the one this run reads as the
                # file's own (project.file_tree): the module gets a tree of its own, as it did before trees were
                # shared (an adopted tree's nodes have no span in this file).
                module = _parse(text)
                nodes = tuple(ast.walk(module))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            self.import_problem = self.module_problems[key] = f"it cannot be read: {type(exc).__name__}"
            return None
        self.positions.adopt(module, text, nodes)
        scope = Scope(journal=self.journal)
        scope.set("__name__", dotted or os.path.splitext(os.path.basename(path))[0])
        scope.set("__file__", path)
        saved = (self.path, self.star_imports)
        self.path, self.star_imports = path, []
        self.importing += 1
        self.loading[key] = scope
        try:
            self.exec_block(module.body, scope)
        except _Signal:
            pass
        finally:
            self.importing -= 1
            self.path, self.star_imports = saved
            del self.loading[key]
        self.modules[key] = scope
        return scope

    def partial_module(self, dotted: str, level: int) -> Optional[Scope]:
        """The scope of a module of the project that is being loaded (an import cycle leads back to it), as far
        as its code has run: what ``from package import name`` reads of a partly initialised package (a name
        it has bound, else its submodule ``package.name``, which Python imports then); None otherwise."""
        path = _find_module(self.path, dotted, level)
        return None if path is None else self.loading.get(os.path.realpath(path))

    def ref(self, path: str, display: Optional[str] = None, at: Any = None) -> Any:
        """What an imported or attribute path denotes; ``display`` names its symbol, made at ``at`` (a node)."""
        canon = names.canonical(path)
        helper = self.known_helper(canon or path)
        if helper is not None:
            return helper
        if canon is not None:
            return KerasRef(canon)
        if path.split(".")[0] in _KNOWN_EXTERNAL or "." not in path or path.split(".")[0] in names.KERAS_HUB or \
                path.split(".")[0] == names.TF_HUB or f"{path}.".startswith(_LEARNTOOLS_BINDER) or \
                path in _FOLLOWED_STDLIB or path in sources.GYM_MAKE:
            return ExternalRef(path)
        # A value from another module of the project or a third party: a symbol.
        return self.made_symbol(display or path, _PROCESS_INPUTS.get(path) or (
            f"imported from `{path.rsplit('.', 1)[0]}`, outside the analysed project" if "." in path else
            "imported from outside the analysed project"), at)

    def known_helper(self, path: str) -> Optional[Function]:
        """The function ``path`` names when it is a helper of Keras's ecosystem the analysis knows as source
        (extract/known_helpers.py), made once per file; else None."""
        source = known_helpers.source_for(path)
        if source is None:
            return None
        made = self.helpers.get(path)
        if made is None:
            scope = Scope(journal=self.journal)
            self.importing += 1
            try:
                tree = _parse(source)
                self.positions.adopt(tree, source)
                self.exec_block(tree.body, scope)
            finally:
                self.importing -= 1
            made = self.helpers[path] = scope.get(path.rsplit(".", 1)[1])
        return made

    def exec_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        name = node.name
        # Its bases as written, for `except` clauses (a name defined twice is not used: None).
        self.class_bases[name] = None if name in self.class_bases else tuple(
            self.code(_unstarred(b)) for b in node.bases)
        bases = tuple(self.eval(_unstarred(base), scope) for base in node.bases)
        kinds = {names.classify(b.path)[0] for b in bases if isinstance(b, KerasRef)}
        if any(isinstance(b, ClassValue) and not b.plain for b in bases) or "model" in kinds or \
                custom_layer_bases(bases):
            scope.set(name, self.model_class(node, bases, scope, Scope(scope)))
            return
        cls = None if kinds else self.plain_class(node, bases, scope, Scope(scope))
        if cls is not None:
            scope.set(name, cls)
            return
        if "sequential" in kinds:
            reason = f"subclass `{name}` of Sequential is not analysed"
        elif "layer" in kinds or kinds & {"module"}:
            reason = f"custom layer `{name}` is not analysed"
        else:
            reason = f"class `{name}` is not analysed"
        scope.set(name, callbacks.callback_class(node, bases, reason, scope) or OpaqueCallable(name, reason))
        written = _outside_writes(node.body)
        if written:
            # Its methods are not run here, but whoever calls them changes these names.
            why = self.unknown(f"may be changed by a method of class `{name}` (not analysed)", node)
            self.writers.append(({n: scope.module for n in written}, why))

    def exec_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        defaults: Dict[str, Any] = {}
        for p, default in parameter_defaults(node.args):
            defaults[p.arg] = self.eval(default, scope)
        fn = Function(node=node, scope=scope, name=node.name, defaults=defaults,
                      top_level=scope is scope.module and self.importing == 0)
        value: Any = fn
        for dec in reversed(node.decorator_list):
            value = self.decorate(value, dec, node.name, scope)
        scope.set(node.name, value)
        if fn.top_level and (value is fn or isinstance(value, DecoratedFunction)):
            self.functions.append(fn)

    def decorate(self, value: Any, dec: ast.expr, name: str, scope: Scope) -> Any:
        """``value`` under the decorator ``dec``. A decorator defined in the project is applied (its wrapper is what
        the name holds); one known to return the function itself (``tf.function``, ``functools.wraps(f)``,
        ``register_keras_serializable(...)``) leaves it; ``functools.lru_cache`` keeps its first call followed; any
        other may call it with other arguments or make something else of it: a call of the name is not followed."""
        factory = self.eval(dec.func, scope) if isinstance(dec, ast.Call) else None
        wrap = self.eval(dec, scope) if factory is None or isinstance(factory, (Function, LambdaValue)) else factory
        if isinstance(wrap, (Function, LambdaValue)):
            return self.call(wrap, (value,), {}, dec)
        path = wrap.path if isinstance(wrap, (ExternalRef, KerasRef)) else None
        if path in _CACHING_DECORATORS:  # @lru_cache, @functools.cache, @lru_cache(maxsize=8)
            return CachedFunction(value, name) if isinstance(value, (Function, LambdaValue)) else \
                DecoratedFunction(name, f"`{name}` is cached by a wrapper the analysis does not follow")
        if path in (_TRANSPARENT_FACTORIES if factory is not None else _TRANSPARENT_DECORATORS):
            return value
        if isinstance(value, DecoratedFunction):
            return value
        if isinstance(value, Function):
            value.decorated = self.code(dec)
        return DecoratedFunction(name, f"`{name}` is decorated with `@{self.code(dec)}`, which the analysis does not "
                                       "follow")

    def transparent_decorator(self, dec: ast.expr, scope: Scope) -> bool:
        """Is ``dec`` one known to return the function itself (``@tf.function``, ``@tf.function(jit_compile=True)``,
        ``@functools.wraps(f)``, ``@register_keras_serializable()``)?"""
        factory = isinstance(dec, ast.Call)
        wrap = self.eval(dec.func if factory else dec, scope)
        path = wrap.path if isinstance(wrap, (ExternalRef, KerasRef)) else None
        return path in (_TRANSPARENT_FACTORIES if factory else _TRANSPARENT_DECORATORS)

    def keras1_file(self) -> bool:
        """Is the file written for Keras 1 (:func:`~kerascount.catalogue.legacy.keras1_module`)? Read once, when a
        call that Keras 1 read otherwise than Keras 3 needs it."""
        if self._keras1 is None:
            from ..catalogue import legacy

            self._keras1 = legacy.keras1_module(self.module)
        return self._keras1

    exec_AsyncFunctionDef = exec_FunctionDef

    def exec_If(self, stmt: ast.If, scope: Scope) -> None:
        test = self.eval(stmt.test, scope)
        cond = self.met_test(stmt.test, test, self.truth(test))
        orelse = stmt.orelse
        elif_ = self.is_elif(stmt)
        if cond is True:
            self.exec_block(stmt.body, scope)
        elif cond is False:
            if elif_:
                self.exec_If(orelse[0], scope)
            elif orelse:
                self.exec_block(orelse, scope)
        else:
            reason = self.rejected_before(test, stmt.test) or self.unknown(
                f"depends on the condition `{self.code(stmt.test)}` (line {self.span(stmt).line})"
                f"{self.condition_cause(stmt.test, test)}", stmt.test)
            branches: List[Sequence[Any]] = [stmt.body, orelse]
            rest = self.returning_rest(stmt, branches)
            if rest is not None:
                # `if c: return a` then more code and `return b`: the way that goes on runs the rest of the function
                # as the other branch, so every way returns and the result is a choice between them.
                branches = [[*stmt.body, *rest], orelse] if _returns(orelse) else \
                    [stmt.body, [*orelse, *rest]]
            self.exec_branches(branches, scope, reason, stmt)

    def met_test(self, node: Any, value: Any, truth: Optional[bool], line_of: Any = None) -> Optional[bool]:
        """A test the run meets (``node``: an ``if``'s test, or the import of ``try: import x``), counted: its truth,
        or where the analysis cannot decide it (``truth`` None), the way a forced run takes (None elsewhere);
        ``line_of``: the node whose line names it (``node``'s)."""
        key = id(node)
        self.tests_seen[key] = self.tests_seen.get(key, 0) + 1
        if truth is not None:
            return truth
        if key in self.forced or not isinstance(value, KerasRaises) and self.raised is None:
            self.tests_undecided[key] = (node, line_of or node)
        return self.forced.get(key)

    def conditions(self) -> Tuple[Tuple[Any, str, int, int], ...]:
        """The tests of ``if`` statements, conditional expressions and optional imports the run left undecided (or
        was told the way of), in this file or a module of the project it reads: the node, its text, its line (a
        node of another module: the line here that reached it) and how many times the run evaluated it."""
        return tuple((node, self.code(node), self.span(at).line, self.tests_seen[key])
                     for key, (node, at) in self.tests_undecided.items())

    def returning_rest(self, stmt: ast.If, branches: List[Sequence[Any]]) -> Optional[List[Any]]:
        """For an undecided ``if`` in a function, one of whose blocks ends with ``return`` and the other does not: the
        statements that run after the ``if`` on the ways that go on (the rest of its block, and of the blocks of the
        ``if``/``else`` statements holding it, up to the function's body), when they end with the function's own
        ``return``; None otherwise (inside a loop, ``try`` or ``with``; a function that may end without ``return``)."""
        body, orelse = branches
        if _returns(body) == _returns(orelse) or not self.function_nodes:
            return None
        fn = self.function_nodes[-1]
        if _is_generator(fn):
            return None  # (a generator's `return` ends its items: not a value to choose)
        parents = _parents(fn)
        rest: List[Any] = []
        cur: Any = stmt
        while True:
            found = parents.get(id(cur))
            if found is None:
                return None
            parent, block, index = found
            if block is not getattr(parent, "body", None) and block is not getattr(parent, "orelse", None):
                return None
            rest.extend(block[index + 1:])
            if parent is fn:
                break
            if type(parent) is not ast.If:
                return None
            cur = parent
        return rest if rest and type(rest[-1]) is ast.Return else None

    def rejected_before(self, value: Any, test: ast.expr) -> Optional[Unknown]:
        """A condition not decided because Keras raises before it (a shape it reads comes from a layer Keras
        rejects, extract/live.py; or a layer whose constructor Keras rejects was made on every way here,
        ``self.raised``): that error is the reason, as the code never reaches the condition."""
        if not isinstance(value, KerasRaises):
            if self.raised is None:
                return None
            at = f"`{self.code(test)}` (line {self.span(test).line})"
            return KerasRaises(f"{live.KERAS_REJECTS}{self.raised}, before the condition {at}", self.span(test), at)
        if value.at:  # (already read by an earlier condition: that one is where it stops)
            return value
        at = f"`{self.code(test)}` (line {self.span(test).line})"
        return KerasRaises(f"{value.reason}, before the condition {at}", self.span(test), at)

    def condition_cause(self, test: ast.expr, value: Any) -> str:
        """Why an undecided condition is not known, to follow its reason: what its value is not known for
        (``: `inputs` is a value the analysis does not know: a parameter no call in this file gives``); empty
        when that says no more than the condition itself."""
        why = value.reason if isinstance(value, Unknown) else ""
        if not why or why.startswith((f"`{self.code(test)}`", "depends on the condition")) or \
                _GENERIC_CALL.fullmatch(why):
            return ""  # (a reason that says no more, or one of another condition: not chained)
        return f": {why}"

    def is_elif(self, stmt: ast.If) -> bool:
        """Whether the ``else`` block of an ``if`` is an ``elif`` (as written: ``else:`` then ``if`` counts one step
        more)."""
        orelse = stmt.orelse
        if len(orelse) != 1 or type(orelse[0]) is not ast.If:
            return False
        inner = orelse[0]
        return self.positions.starts_with(inner, "elif")

    def exec_branches(self, branches: List[Sequence[Any]], scope: Scope, reason: Unknown, node: Any = None) -> None:
        """Run each branch on the same state, undoing its writes after it; keep what all branches agree on.

        Writes anywhere (this scope, a module through ``global`` or ``module.X = ...``, a closure through
        ``nonlocal``) go through the scopes' journal; a container or model a branch changes in place is
        marked unknown before the next branch runs, so no branch sees another's changes as facts."""
        journal = scope.journal
        if journal.active >= _MAX_NESTED_BRANCHES or self.forks >= _MAX_BRANCHINGS:
            # Nested undecided conditions cost 2**depth runs: past the bound, forget what they change.
            stmts = [s for body in branches for s in _plain(body)]
            self.havoc(stmts, scope, reason)
            if any(_jumps(s) for s in stmts):
                raise _Uncertain(reason)  # where control goes on is not known either
            return
        self.forks += 1
        returned: List[Any] = []
        writes: List[Dict[Tuple[int, str], Tuple[Scope, str, Any]]] = []
        formats: List[Any] = []
        uncertain = False
        saved = self.caveat
        saved_format = self.data_format
        self.caveat = saved or f"built only under a condition the analysis cannot decide ({reason.reason})"
        candidates = set()
        for body in branches:
            candidates |= _mutated_names(_plain(body))
        values = [*(scope.get(name) for name in candidates), *self.graph.models, *self.plain_objects]
        flags = None
        if any(self.may_set_trainable(_plain(body), scope) for body in branches):
            self.steps += self.graph.flag_cost()  # its cost counts against the step limit
            flags = self.graph.trainable_mark()
        flag_states: List[Any] = []
        journal.active += 1
        self.undecided += 1
        outer_start = journal.start
        # Objects reached through attributes (self.model.add(...) in a branch) are compared too: only those
        # the branches change (logged, values.py), against their fingerprints taken before the first change.
        log = changes_log()
        own_log = log is None
        if own_log:
            log = []
            set_changes_log(log)
        changes = _Changes(values, log)
        arm_changes(changes.materialize)
        names_before = dict(self.graph.name_counts)
        name_states: List[Dict[str, int]] = []
        layers_before = self.graph.layer_count()
        models_before = len(self.graph.models)
        try:
            for body in branches:
                mark = len(journal.entries)
                journal.start = journal.clock
                flag_start = self.graph.flag_start()
                self.data_format = saved_format
                self.graph.name_counts = dict(names_before)  # each way uses up names from the same counters
                try:
                    self.exec_block(body, scope)
                    returned.append(_MISSING)
                except _Return as r:
                    returned.append(r.value)
                except (_Break, _Continue, _Uncertain):
                    uncertain = True
                    returned.append(_MISSING)
                except _Raise:
                    returned.append(_Raise)
                for value in changes.changed():
                    self.taint(value, reason)
                writes.append(journal.undo(mark))
                formats.append(self.data_format)
                name_states.append(self.graph.name_counts)
                if flags is not None:
                    self.steps += self.graph.flag_cost()
                    flag_states.append(self.graph.trainable_undo(flags, flag_start))
        finally:
            disarm_changes(changes.materialize)
            if own_log:
                set_changes_log(None)
            journal.active -= 1
            self.undecided -= 1
            journal.start = outer_start
            self.caveat = saved
            self.data_format = saved_format
            if flags is not None:
                self.graph.trainable_done()
        live = [i for i, r in enumerate(returned) if r is not _Raise]
        if len(name_states) == len(returned):
            self.graph.merge_names([name_states[i] for i in live] or name_states)
        if not live:
            raise _Raise()
        for key in dict.fromkeys(k for i in live for k in writes[i]):
            target, name = next(writes[i][key][:2] for i in live if key in writes[i])
            values = [writes[i][key][2] if key in writes[i] else target.vars.get(name, _MISSING) for i in live]
            first = values[0]
            merged = first if first is not _MISSING and all(_same(first, v) for v in values[1:]) or \
                self.merge_ways(values, layers_before, node, reason) else \
                _choice(values, reason, layers_before, self.graph.models[models_before:])
            journal.record(target, name)
            target.vars[name] = merged
        if flags is not None:
            # A layer or model whose trainable flag the branches leave different: unknown.
            self.graph.trainable_merge(flags, [flag_states[i] for i in live], reason)
        fmts = [formats[i] for i in live]
        self.data_format = fmts[0] if all(_same(fmts[0], f) for f in fmts[1:]) else reason
        if self.guarded and len(live) < len(returned):
            raise _Raise()  # a branch raised inside a try: whether a handler ran is not known
        if uncertain:
            raise _Uncertain(reason)
        rets = [returned[i] for i in live]
        if all(r is not _MISSING for r in rets):
            raise _Return(rets[0] if all(_same(rets[0], r) for r in rets[1:]) or
                          self.merge_ways(rets, layers_before, node, reason) else
                          _choice(rets, reason, layers_before, self.graph.models[models_before:]))
        if any(r is not _MISSING for r in rets):
            # Some ways return here, others go on: what the rest of the function does on those is not run
            self.forget_after(node, scope, reason)
            raise _Return(reason)

    def merge_ways(self, values: Sequence[Any], since: int, node: Any, reason: Unknown) -> bool:
        """Do the tensors undecided ways leave (``values``, one a way) stand for one tensor, the first: each the output
        of a layer its way made (uid ``since`` or later), alike but for arguments that change no figure
        (``Graph.merge_calls``, which makes those arguments of the first layer unknown)?"""
        if len(values) < 2 or not all(type(v) is Tensor for v in values):
            return False
        if isinstance(node, (ast.If, ast.IfExp)):
            why = f"differs between the branches of `{self.code(node.test)}` (line {self.span(node).line})"
        else:
            why = f"differs between ways the analysis cannot decide ({reason.reason})"
        return self.graph.merge_calls([v.ref for v in values], since, Unknown(why, reason.span))

    def forget_after(self, node: Any, scope: Scope, reason: Unknown) -> None:
        """Forget what the function being run may do after ``node`` (a statement some of whose ways return
        and others go on): the statements after it in each block that holds it, every loop and ``try``
        holding it as a whole (they may run it again, or a handler may run); the whole function where
        ``node`` is not found in it."""
        fn = self.function_nodes[-1] if self.function_nodes else None
        if fn is None:
            return
        parents = _parents(fn)
        rest: List[Any] = []
        cur = node
        while cur is not None and cur is not fn:
            found = parents.get(id(cur))
            if found is None:
                rest = list(fn.body)
                break
            parent, block, index = found
            rest.extend(block[index + 1:])
            if isinstance(parent, (ast.For, ast.AsyncFor, ast.While, ast.Try, getattr(ast, "TryStar", ast.Try))):
                rest.append(parent)
            cur = parent
        if rest:
            self.havoc(rest, scope, reason)
        if self.guarded and any(isinstance(n, (ast.Raise, ast.Assert)) for s in rest for n in ast.walk(s)):
            raise _Raise()  # inside a try with handlers, those ways may raise: whether a handler ran is not known

    def exec_For(self, stmt: ast.For, scope: Scope) -> None:
        iterable = self.eval(stmt.iter, scope)
        if isinstance(iterable, GeneratorValue) and not iterable.ran and self.undecided <= iterable.depth:
            self.run_generator(iterable, names_known=False)  # (the loop's body runs between its items)
        size = iterable.length if isinstance(iterable, RangeValue) else None
        if size is not None and size > self.limits.loop_iterations:
            # Run one number at a time: a loop that builds nothing (`for k in range(int(1e9)): ... yield x`)
            # is widened as any idle loop is; one that still builds after the limit is given up.
            items: Any = range(iterable.start, iterable.stop, iterable.step)
        else:
            items = self.iterate(iterable)
        if items is None and self.loop_on_each_model(stmt, scope):
            return
        if items is None:
            why = iterable.reason if isinstance(iterable, Unknown) else f"`{self.code(stmt.iter)}` is not known"
            reason = self.unknown(f"assigned in a loop over {self.code(stmt.iter)!s} ({why})", stmt.iter)
            owners = self.trainable_owners(stmt, scope, iterable)
            self.havoc([stmt], scope, reason, narrowed=owners is not None)
            for owner in owners or ():
                self.narrow_flags(owner, Unknown(f"trainable flags are set in code the analysis cannot follow "
                                                 f"({reason.reason})", reason.span))
            return
        outer = self.loop_entry
        if outer is None:
            self.loop_entry = self.steps
        try:
            self.run_for(stmt, scope, items, size if size is not None and size > self.limits.loop_iterations else None)
        finally:
            self.loop_entry = outer

    def loop_on_each_model(self, stmt: ast.For, scope: Scope) -> bool:
        """A loop over the layers of a model an undecided condition chose (``for i in range(len(head.layers)):
        head.layers[i].trainable = False``, ``head`` a ModelChoice): when its body only sets trainable flags to names
        or constants, it is run on each way's model in turn, as the script runs it in that way; the loop's names are
        unknown after it (a loop binding an attribute or an item is not run so). Not when a layer made before the
        ways is held by some ways' models and not by the others (what is reported of a model holding it would then
        depend on the way). False when it does not apply."""
        if stmt.orelse or not stmt.body or not all(type(t) is ast.Name for t in (
                stmt.target.elts if type(stmt.target) is ast.Tuple else (stmt.target,))) or not all(
                type(s) is ast.Assign and type(s.value) in (ast.Constant, ast.Name) and
                all(type(t) is ast.Attribute and t.attr == "trainable" for t in s.targets) for s in stmt.body):
            return False
        chosen = {n.id: v for n in ast.walk(stmt.iter) if type(n) is ast.Name and
                  isinstance(v := scope.get(n.id), ModelChoice)}
        loop_vars = set(_target_names(stmt.target))
        if len(chosen) != 1 or loop_vars & set(chosen):
            return False
        ((name, choice),) = chosen.items()
        if not choice.ways:
            return False
        held = [self.graph.held_layers(option, 0) for option in choice.ways]
        everywhere = set.intersection(*held)
        if any(uid < choice.since for h in held for uid in h - everywhere):
            return False
        for option in choice.ways:
            inner = Scope(scope)  # (the loop's names are bound here, the chosen name to this way's model)
            inner.vars[name] = option
            self.exec_For(stmt, inner)
        reason = self.unknown(f"assigned in a loop over {self.code(stmt.iter)} ({choice.reason})", stmt.iter)
        for var in loop_vars:
            scope.set(var, reason)
        return True

    def too_long(self, stmt: ast.For, scope: Scope, size: int) -> None:
        """A loop over more numbers than the analysis runs, still making layers, tensors or models at the limit."""
        reason = self.unknown(f"assigned in a loop of {size:,} iterations at line {self.span(stmt).line}, "
                              "too long to unroll", stmt.iter)
        self.havoc([stmt], scope, reason)
        self.notes.append(Note("KC902", f"loop of {size:,} iterations is too long to unroll; "
                               "what it builds is left unresolved", self.span(stmt.iter)))

    def run_for(self, stmt: ast.For, scope: Scope, items: Sequence[Any], size: Optional[int] = None) -> None:
        """``size``: ``items`` is a range of that many numbers, more than the analysis runs (a ``range`` object,
        given one number at a time)."""
        broke = False
        start = self.touch_mark() if size is not None else None
        for count, item in enumerate(items):
            if start is not None and (count >= self.limits.loop_iterations or self.touch_mark() != start):
                self.too_long(stmt, scope, size)  # (it builds: it cannot be run to its end)
                return
            idle = self.idle_steps()
            if idle > self.widen_window:
                self.widen(stmt, scope, count, idle)
                return
            self.bind(stmt.target, item, scope)
            try:
                self.exec_block(stmt.body, scope)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
            except _Uncertain as u:
                self.havoc([stmt], scope, u.reason)
                return
        if not broke and stmt.orelse:
            self.exec_block(stmt.orelse, scope)

    exec_AsyncFor = exec_For

    def exec_While(self, stmt: ast.While, scope: Scope) -> None:
        outer = self.loop_entry
        if outer is None:
            self.loop_entry = self.steps
        try:
            self.run_while(stmt, scope)
        finally:
            self.loop_entry = outer

    def run_while(self, stmt: ast.While, scope: Scope) -> None:
        forks = self.forks
        for count in range(self.limits.loop_iterations):
            idle = self.idle_steps()
            if idle > self.widen_window:
                self.widen(stmt, scope, count, idle)
                return
            if self.forks != forks:
                # An iteration went through a condition we cannot decide: the loop's state is
                # no longer known exactly, so stop unrolling and forget what it assigns.
                break
            cond = self.truth(self.eval(stmt.test, scope))
            if cond is False:
                if stmt.orelse:
                    self.exec_block(stmt.orelse, scope)
                return
            if cond is None:
                break
            try:
                self.exec_block(stmt.body, scope)
            except _Break:
                return
            except _Continue:
                continue
            except _Uncertain:
                break
        self.havoc([stmt], scope, self.unknown(
            f"assigned in a while loop whose condition `{self.code(stmt.test)}` is not known", stmt.test))

    def idle_steps(self) -> int:
        """Steps since the loops being run (the outermost one, and every loop or comprehension run inside
        it, through calls too) last made a layer, tensor or model: a loop nested in an idle loop is given up
        with it, not only once it has been idle for a whole window of its own."""
        mark = self.touch_mark()
        if mark != self.idle_mark:
            self.idle_mark, self.idle_from = mark, self.steps  # it built something: watch from here
        return self.steps - max(self.idle_from, self.loop_entry or 0)

    def touch_mark(self) -> Tuple[int, int, int]:
        """Changes whenever code makes a layer, a tensor (a node) or a model. Reading one does not count:
        a training loop reads its models at every step (``gan.train_on_batch(...)``) and builds nothing,
        so it is widened like any other loop (what it changes, trainable flags included, is forgotten)."""
        return self.graph.sizes()

    def widen(self, stmt: Union[ast.For, ast.While], scope: Scope, count: int, stretch: int) -> None:
        """A long loop that reads and makes no layer, tensor or model (training, text processing): it is not
        run to its end; what it assigns or changes is unknown after it, and the analysis goes on."""
        self.gave_up(stretch)
        self.havoc([stmt], scope, self.unknown(
            f"assigned in the loop at line {self.span(stmt).line}, not run to its end (it builds no layer; "
            f"the analysis stopped following it after {count:,} iterations)", stmt))

    def havoc(self, body: Sequence[Any], scope: Scope, reason: Unknown, narrowed: bool = False) -> None:
        """Forget what a block we cannot follow may have changed (``narrowed``: the trainable flags it may
        set are known to be those of some models, which the caller makes unknown)."""
        self.havocs += 1
        assigned, changed, called, collected, bare, functions = _havoc_names(body)
        # A model it takes another name for (`other = net`, then `other.add(...)`): what the other name does
        # with it is not followed.
        get = scope.get
        aliased = [(name, value) for name in bare
                   if type(value := get(name)) is ModelBuilder and value.unresolved is None]
        for name, value in aliased:
            if not self.only_reads_model(body, name, value, scope, 0):
                self.taint(value, reason)
        if scope.redirect is None and not scope.journal.active:
            held = scope.vars  # (Scope.set, inlined: no global names, no branch to undo)
            for name in assigned:
                held[name] = reason
        else:
            for name in assigned:
                scope.set(name, reason)
        for name in changed:
            value = scope.get(name)
            if type(value) in _INERT:
                continue
            if isinstance(value, ModelBuilder) and self.only_reads_model(body, name, value, scope, 0):
                continue  # a built model the block only runs or reads (predict, fit, model(x)...)
            stored = callbacks.loop_keeps_models(list(body), scope, {n for n in changed if scope.get(n) is value},
                                                 value) if isinstance(value, plain.PlainObject) else None
            if stored is not None:
                callbacks.taint_keeping_models(self, value, stored, reason)  # (an agent's step count, not its models)
            else:
                self.taint(value, reason)
        for name in functions:
            value = scope.get(name)
            if isinstance(value, (Function, LambdaValue)):
                # Functions it calls may assign globals (or closures' names) too, and change what they hold.
                for written, target in self.outside_writes(value, 0, set()).items():
                    target.set(written, reason)
                for held in self.outside_mutations(value, 0, set()):
                    self.taint(held, reason)
        if called & {".set_image_data_format", ".set_image_dim_ordering"}:
            self.data_format = reason
        if not self.graph.names_unknown and self.may_use_names(body, scope, 0, set()):
            # Layers, models or operations it makes use up automatic names (clear_session() starts them afresh)
            # a number of times the analysis does not know: the names made afterwards are not known.
            self.graph.names_unknown = True
        if collected.sets_trainable and self.graph.trainable_unknown is None and not narrowed:
            self.graph.trainable_unknown = Unknown(f"trainable flags are set in code the analysis cannot follow "
                                             f"({reason.reason})", reason.span)

    def may_use_names(self, body: Sequence[Any], scope: Any, depth: int, seen: set) -> bool:
        """May a block the analysis does not run make Keras objects (each uses up an automatic name) or call
        ``clear_session()``? Calls of Keras names, of classes and callables the analysis cannot see into, of
        unknown values by name, and of the analysed code's functions and classes that may (to a few levels)."""
        for stmt in body:
            if isinstance(stmt, list):  # (a block: havoc is given handlers' bodies so)
                if self.may_use_names(stmt, scope, depth, seen):
                    return True
                continue
            for call in _per_node("called_roots", stmt, _called_roots):
                if call is None:
                    return True  # clear_session()
                name, direct = call
                value = scope.get(name)
                if isinstance(value, Partial):
                    value = value.func
                if isinstance(value, (KerasRef, OpaqueCallable)):
                    return True
                if direct and isinstance(value, Unknown) and not isinstance(value, External):
                    return True  # `hook()` of a value not known
                if isinstance(value, plain.PlainObject) and not direct:
                    value = value.cls  # obj.method(): any method of its class
                if isinstance(value, ClassValue):
                    if not value.plain:
                        return True
                    fns = [m for c in value.mro for m in c.members.values() if isinstance(m, Function)]
                elif isinstance(value, (Function, LambdaValue)) and direct:
                    fns = [value]
                else:
                    continue
                for fn in fns:
                    if id(fn) in seen or depth >= 4:
                        continue
                    seen.add(id(fn))
                    inner = fn.node.body if isinstance(fn, Function) else [ast.Expr(fn.node.body)]
                    if self.may_use_names(inner, fn.scope, depth + 1, seen):
                        return True
        return False

    def only_reads_model(self, body: Sequence[Any], name: str, b: ModelBuilder, scope: Scope, depth: int) -> bool:
        """Does a block the analysis cannot run leave the built model ``b`` (named ``name`` there) as it is?
        It may read its variables, call it or its methods that change no layer (``predict``, ``fit``...) when
        it is built, or pass it to functions of the analysed code that do only that with it."""
        if b.unresolved is not None or depth > 3:
            return False
        built = b.kind in ("functional", "application") or \
            b.kind == "sequential" and (b.input_layer is not None or b.built_by_node is not None) or \
            b.kind == "subclassed" and b.call_nodes is not None
        uses = model_uses(body, name, built)
        if uses is None:
            return False
        for func, position, keyword in uses:
            if position == -2:  # a loop over a literal holding it: the name it binds (``keyword``) in its body
                if not self.only_reads_model(func, keyword, b, scope, depth + 1):
                    return False
                continue
            fn = scope.get(func.id) if isinstance(func, ast.Name) else None
            if isinstance(fn, Builtin) and fn.name in _READING_BUILTINS:
                continue  # print(model), isinstance(model, ...)
            if self.outside_callee(func, scope):
                # code the analysis does not see keeps the model (as ``opaque_call``), unless its name says
                # it grows a Sequential or sets trainable flags
                text = _dotted(func)
                if _SETS_TRAINABLE.search(text) or b.kind == "sequential" and _may_grow(text.rsplit(".", 1)[-1]):
                    return False
                continue
            if not isinstance(fn, Function) or fn.owner is not None or \
                    not all(self.transparent_decorator(d, fn.scope) for d in fn.node.decorator_list):
                return False  # (@tf.function returns the function itself: its body is what runs)
            a = fn.node.args
            positional = [p.arg for p in (*a.posonlyargs, *a.args)]
            if keyword is not None:
                param = keyword if keyword in positional[len(a.posonlyargs):] or \
                    keyword in [p.arg for p in a.kwonlyargs] else None
            else:
                param = positional[position] if position < len(positional) else None
            if param is None or not self.only_reads_model(fn.node.body, param, b, fn.scope, depth + 1):
                return False
        return True

    def outside_callee(self, func: Any, scope: Scope) -> bool:
        """Is ``func`` (a call's callee, as written) a function of code the analysis does not see: a name or
        attribute of a package not analysed, or of Keras?"""
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return False
        value = scope.get(root.id)
        if isinstance(value, (OpaqueCallable, ExternalRef, External, KerasRef)):
            return True
        holder: Optional[Scope] = scope  # a name the module binds by an import of a package not analysed
        while holder is not None and root.id not in holder.vars:
            holder = holder.parent
        return holder is scope.module and self.origin_reason(root.id, value) is not None

    def may_set_trainable(self, body: Sequence[Any], scope: Scope) -> bool:
        """May running ``body`` set trainable flags: it assigns one, or calls a function or method of the
        analysed code (``freeze(model)`` under an undecided condition freezes on one path only)."""
        if _collect(body).sets_trainable:
            return True
        called = set().union(*(_called_names(s) for s in body)) if body else set()
        return any(name.startswith(".") and name[1:] not in _NO_FLAGS or
                   isinstance(scope.get(name), (Function, LambdaValue, ClassValue)) for name in called)

    def trainable_owners(self, stmt: ast.For, scope: Scope, iterable: Any = None) -> Optional[List[Any]]:
        """The models and layers whose trainable flags a loop the analysis cannot run may set, when every
        ``.trainable`` it assigns is on its loop variable (an item of ``M.layers``, ``M.layers[a:b]``,
        ``enumerate(M.layers)``...) or on ``M.layers[...]`` / ``M.get_layer(...)`` / a known model or layer
        by name: only their layers' flags become unknown, not every model's in the file. None when some
        assignment could reach other layers (the caller then makes every model's split unknown).
        The layers of a model made outside the analysed code (``load_model(path).layers``, ``iterable`` an
        External of role "foreign") are none of the analysed code's: a flag set on them changes none."""
        collected = _per_node("body_collected", stmt, lambda s: _collect(list(s.body)))
        if not collected.sets_trainable:
            return []  # it sets no flag (havoc then leaves every flag alone either way)
        loop_vars = set(_target_names(stmt.target))
        if loop_vars & collected.assigned:
            return None
        targets = _trainable_targets(stmt.body)
        if targets is None:
            return None
        owners: List[Any] = []
        foreign = isinstance(iterable, External) and iterable.role == "foreign"
        for target in targets:
            if isinstance(target, ast.Name) and target.id in loop_vars:
                if foreign:
                    continue
                owner = self.layers_owner(stmt.iter, scope)
            else:
                owner = self.layers_owner(target, scope, direct=True)
            if owner is None:
                return None
            if all(owner is not o for o in owners):
                owners.append(owner)
        return owners

    def layers_owner(self, e: ast.AST, scope: Scope, direct: bool = False) -> Any:
        """The model ``M`` of an expression over its layers (``M.layers``, ``M.layers[...]``, ``enumerate(...)``,
        ``reversed(...)``, ``list(...)`` of those, ``M.get_layer(...)``; with ``direct``, also a model or layer
        named on its own), when the layers it holds are all known or come from a model made outside the
        analysed code (``load_model``), so that none of them is another model's unseen; else None."""
        while True:
            if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and \
                    e.func.id in ("enumerate", "reversed", "list", "tuple", "sorted") and (e.args or e.keywords) and \
                    scope.get(e.func.id) is _MISSING:
                e = call_arguments(e)[0][2]
            elif isinstance(e, ast.Subscript):
                e = e.value
            else:
                break
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "get_layer":
            e = e.func.value
        elif isinstance(e, ast.Attribute) and e.attr == "layers":
            e = e.value
        elif not direct:
            return None
        if not isinstance(e, ast.Name):
            return None
        value = scope.get(e.id)
        if isinstance(value, LayerObj) and direct:
            return value
        if not isinstance(value, ModelBuilder) or value.kind == "subclassed":
            return None
        if value.unresolved is None or value.kind == "application" or \
                isinstance(value.unresolved, External) and value.unresolved.role == "foreign":
            return value
        return None

    def set_class_attribute(self, cls: ClassValue, name: str, value: Any, e: Any) -> None:
        """``Net.UNITS = 5`` on a model class of the file: what its methods read from then on. (Under an
        undecided condition the attribute is unknown: class attributes are not undone per branch.)"""
        cls.members[name] = self.unknown(f"`{self.code(e)}` is set under a condition the analysis cannot decide",
                                         e) if self.journal.active else value

    def set_trainable(self, obj: Any, value: Any, e: ast.AST, scope: Optional[Scope] = None) -> None:
        # Keras's setter stores bool(value): a number, a string or None is a flag too (layer.trainable = 0)
        flag = bool(value) if isinstance(value, (bool, int, float, str, type(None))) else \
            self.unknown(f"`{self.code(e)}` is set to an unknown value", e)
        if isinstance(obj, OpaqueCallable) and obj.fresh:
            return  # a KerasHub or TF Hub model made from constants: no layer of the analysed code is in it
        if not self.graph.set_trainable(obj, flag):
            why = self.unknown(f"`{self.code(e)}` changes trainable flags the analysis cannot follow", e)
            # `M.get_layer(name).trainable = False` or `M.layers[i].trainable = ...` with the layer not known: one
            # of M's layers changed (only M's split is unknown); anything else may be any layer's.
            owner = self.layers_owner(e.value, scope) if scope is not None and isinstance(e, ast.Attribute) else None
            if isinstance(owner, ModelBuilder):
                self.narrow_flags(owner, why)
            else:
                self.graph.trainable_unknown = why

    def narrow_flags(self, owner: Any, reason: Unknown) -> None:
        """The trainable flags of ``owner``'s layers (a model's, or one layer's) are set where the analysis cannot
        follow: those flags only become unknown."""
        held = {owner.uid} if isinstance(owner, LayerObj) else self.graph.held_layers(owner, 0)
        if isinstance(owner, ModelBuilder) and owner.layer_uid is not None:
            held.add(owner.layer_uid)
        self.graph.uncertain_flags.append((held, owner if isinstance(owner, ModelBuilder) else None, reason))

    def taints(self, value: Any) -> bool:
        """Whether ``taint`` changes anything for this value (else its reason need not be made)."""
        if type(value) in _INERT:
            return False  # (the usual case, as in ``taint``)
        return (isinstance(value, (plain.PlainObject, GlobalsRef)) or isinstance(value, ClassValue) and value.plain
                or isinstance(value, ModuleRef) and value.scope not in self.forgetting
                or isinstance(value, ModelBuilder) and value.kind in ("sequential", "subclassed")
                or isinstance(value, (ListValue, DictValue)) and value.tainted is None
                or type(value) is ValuedArray and value.values is not None)

    def taint(self, value: Any, reason: Unknown) -> None:
        if type(value) in _INERT:
            return  # (the usual case, checked first)
        if isinstance(value, plain.PlainObject) or isinstance(value, ClassValue) and value.plain:
            self.taint_plain(value, reason)
            return
        if isinstance(value, GlobalsRef):
            self.forget_scope(value.scope, reason)
            return
        if isinstance(value, ModuleRef) and value.scope not in self.forgetting:
            # A project module handed to code not followed (reload, a configure(settings) of a library).
            self.forgetting.append(value.scope)
            try:
                self.forget_names(value.scope, reason)
            finally:
                self.forgetting.pop()
            return
        if isinstance(value, ModelBuilder) and value.kind in ("sequential", "subclassed"):
            value.taint(reason)
        elif isinstance(value, (ListValue, DictValue)) and value.tainted is None:
            value.tainted = reason
        elif isinstance(value, sources.DataObject):
            value.changed()  # df["new"] = ...: a frame may have another number of columns or rows
        elif type(value) is ValuedArray:
            arrays.seal(value)

    # -- binding --------------------------------------------------------
    def unpacked_layer_reason(self, value: Any, target: Any) -> Optional[Unknown]:
        """Why ``a, b = layer(x)`` cannot be unpacked when ``layer`` is a custom layer whose call the analysis
        did not follow: what it returns (one tensor or several) is not known, for the layer's reason."""
        if not isinstance(value, Tensor) or not 0 <= value.ref.node < self.graph.node_count():
            return None
        layer = self.graph.made_by(value.ref)
        if layer.submodel is None and not layer.known and not layer.operation and layer.type != "InputLayer" and \
                catalogue.lookup(layer.type) is None:
            # A function or class the analysis does not follow, called on tensors (`make_head(x)` imported from
            # a module not found): how many tensors it returns is not known.
            return self.unknown(f"cannot unpack `{self.code(target)}`: what `{layer.type}` returns is not known ("
                                f"{layer.why or 'it is not analysed'})", target)
        b = self.graph.submodel(layer.uid)
        if not isinstance(b, ModelBuilder) or not b.custom_layer or b.unresolved is None:
            return None
        return self.unknown(f"cannot unpack `{self.code(target)}`: what `{b.keras_name}` returns is not known "
                            f"({b.unresolved.reason})", target)

    def bind(self, target: Any, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.set(target.id, value)
            if isinstance(value, ModelBuilder):
                value.names.add(target.id)
                if value.name is None:
                    value.name = target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements = target.elts
            items = self.iterate(value)
            star = [i for i, e in enumerate(elements) if isinstance(e, ast.Starred)]
            if isinstance(value, External) and value.role == "shape" and not star:
                # N, D = X.shape of data the analysis does not see: each size a symbol, X.shape[i]
                items = [self.made_symbol(f"{value.text}[{value.start + i}]", *self.data_origin(value))
                         for i in range(len(elements))]
            if items is None or (not star and len(items) != len(elements)) or (star and len(items) < len(elements) - 1):
                reason = value if isinstance(value, Unknown) else External(
                    f"`{self.code(target)}` comes from `{value.text}`, which is not analysed", self.span(target),
                    self.code(target), source=_imported_source(value)) if isinstance(value, OpaqueCallable) else \
                    self.unpacked_layer_reason(value, target) or self.unknown(
                        f"cannot unpack `{self.code(target)}`", target)
                for e in elements:
                    self.bind(_unstarred(e), reason, scope)
                return
            if star:
                i = star[0]
                after = len(elements) - i - 1
                for e, v in zip(elements[:i], items[:i]):
                    self.bind(_unstarred(e), v, scope)
                self.bind(_unstarred(elements[i]), ListValue(list(items[i:len(items) - after])), scope)
                for e, v in zip(elements[i + 1:], items[len(items) - after:]):
                    self.bind(_unstarred(e), v, scope)
            else:
                for e, v in zip(elements, items):
                    self.bind(_unstarred(e), v, scope)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, scope)
            index = self.index_node(target)
            if isinstance(container, (ListValue, DictValue)) and index is not None:
                key = self.eval(index, scope)
                if isinstance(container, DictValue) and isinstance(key, (str, int, tuple)):
                    container.items[key] = value
                    container.version += 1
                    self.grown(container, value, target)
                    return
                if isinstance(container, ListValue) and isinstance(key, int) and -len(container.items) <= key < len(
                    container.items
                ):
                    container.items[key] = value
                    container.version += 1
                    self.grown(container, value, target)
                    return
            if isinstance(container, ListValue) and index is None and container.tainted is None:
                keys = self.subscript_keys(target, scope)
                new = self.iterate(value)
                if len(keys) == 1 and type(keys[0]) is slice and keys[0].step is None and new is not None and \
                        all(p is None or type(p) is int for p in (keys[0].start, keys[0].stop)):
                    container.items[keys[0]] = list(new)  # ws[1:] = [6]: the items of the slice replaced
                    container.version += 1
                    self.grown(container, tuple(new), target)
                    return
            if type(container) is ValuedArray:
                key = self.eval(index, scope) if index is not None else None
                arrays.valued_store(container, key, value, self.undecided > 0)
                return
            if isinstance(container, GlobalsRef):
                key = self.eval(index, scope) if index is not None else None
                if isinstance(key, str):
                    container.scope.set(key, value)
                else:
                    self.forget_scope(container.scope, self.unknown(f"changed through `{self.code(target)}`",
                                                                    target))
                return
            self.taint(container, self.unknown(f"changed through `{self.code(target)}`", target))
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, plain.PlainObject):
                self.set_plain_attribute(obj, target.attr, value)
            elif target.attr == "trainable":
                self.set_trainable(obj, value, target, scope)
            elif isinstance(obj, ModelBuilder) and obj.kind == "subclassed":
                self.set_attribute(obj, target.attr, value, target)
            elif isinstance(obj, ModuleRef):
                obj.scope.set(target.attr, value)  # settings.UNITS = 48: what the module's code reads
            elif isinstance(obj, ClassValue):
                self.set_class_attribute(obj, target.attr, value, target)
            elif _dotted(target.value) == "" and isinstance(target.value, ast.Subscript) and \
                    _dotted(target.value.value) == "sys.modules":
                # sys.modules[__name__].N = ...: a module's names changed through the import system.
                index = self.index_node(target.value, single=False)
                key = self.eval(index, scope) if index is not None else None
                if isinstance(key, str) and key == scope.module.vars.get("__name__"):
                    scope.module.set(target.attr, value)
                else:
                    self.forget_names(scope.module, self.unknown(f"may be changed by `{self.code(target)} = ...`",
                                                                 target))
            # Other attribute targets (obj.x = ...) are not tracked: reads give symbols, never stale values.

    def delete(self, target: Any, scope: Scope, s: Any) -> None:
        """``del name``, ``del xs[0]``, ``del d["k"]``: an item removed from a known list or dict; anything
        else deleted from a container or an object leaves it unknown."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for el in target.elts:
                self.delete(_unstarred(el), scope, s)
        elif isinstance(target, ast.Name):
            scope.set(target.id, self.unknown(f"`{target.id}` was deleted", s))
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            base = self.eval(target.value, scope)
            keys = self.subscript_keys(target, scope) if isinstance(target, ast.Subscript) else []
            key = keys[0] if len(keys) == 1 else None
            if isinstance(base, ListValue) and base.tainted is None and type(key) is int and \
                    -len(base.items) <= key < len(base.items):
                del base.items[key]
                base.version += 1
            elif isinstance(base, DictValue) and base.tainted is None and isinstance(key, (str, int)) and \
                    key in base.items:
                del base.items[key]
                base.version += 1
            else:
                self.taint(base, self.unknown(f"changed by `del {self.code(target)}`", s))

    # -- expressions ----------------------------------------------------
    def eval(self, e: ast.AST, scope: Scope) -> Any:
        steps = self.steps = self.steps + 1  # tick(), inlined: this is the hottest call of the analysis
        if steps > self.limits.steps or not steps & 4095:
            self.steps -= 1
            self.tick()
        kind = type(e)
        method = self._eval_methods.get(kind, _MISSING)
        if method is _MISSING:
            method = self._eval_methods[kind] = getattr(type(self), "eval_" + kind.__name__, None)
        if method is None:
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        return method(self, e, scope)

    def eval_Constant(self, e: ast.Constant, scope: Scope) -> Any:
        value = e.value
        if value is Ellipsis or isinstance(value, complex):
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        if type(value) is str and _NAME_CHARS.issuperset(value):
            self.literals[id(value)] = value
        return value

    def eval_JoinedStr(self, e: ast.JoinedStr, scope: Scope) -> Any:
        text = self.formatted(e.values, scope) if self.simple_fstring(e) else None
        if text is not None:
            return text
        if is_concatenation(self.positions.text(e)):
            return self.unknown("string", e)  # "a" f"{b}": (libcst's ConcatenatedString)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def simple_fstring(self, e: ast.JoinedStr) -> bool:
        """Whether the f-strings of ``e`` as written hold no backslash and no ``{x=}`` (those are not followed)."""
        text = self.positions.text(e)
        if "\\" in text and any("\\" in part for part in fstring_parts(text)):
            return False
        return not _SELF_DOCUMENTING.search(text)

    def formatted(self, parts: Sequence[Any], scope: Scope) -> Optional[str]:
        """An f-string's text when every value in it is a known constant (``f"block_{i}"``), else None."""
        out: List[str] = []
        for part in parts:
            if isinstance(part, ast.Constant):
                out.append(part.value)
                continue
            if not isinstance(part, ast.FormattedValue):
                return None
            value = self.eval(part.value, scope)
            if not isinstance(value, (str, int, float, bool, type(None))):
                return None
            spec = self.formatted(part.format_spec.values, scope) if part.format_spec else ""
            if spec is None or any(len(digits) > 3 for digits in re.findall(r"\d+", spec)):
                return None  # (a width of 10**9 would make a gigabyte string)
            value = {ord("r"): repr, ord("s"): str, ord("a"): ascii}.get(part.conversion, lambda v: v)(value)
            try:
                out.append(format(value, spec))
            except (ValueError, TypeError):
                return None
            if sum(map(len, out)) > self.limits.sequence_length:
                return None  # (f"{x}{x}" in a loop doubles)
        return "".join(out)

    def eval_Name(self, e: ast.Name, scope: Scope) -> Any:
        name = e.id
        if scope.redirect is None:  # Scope.get, inlined (names are the expressions evaluated most)
            held: Optional[Scope] = scope
            value = _MISSING
            while held is not None:
                value = held.vars.get(name, _ABSENT)
                if value is not _ABSENT:
                    break
                held = held.parent
            else:
                value = _MISSING
        else:
            value = scope.get(name)
        if value is not _MISSING:
            if isinstance(value, (LayerObj, Tensor, ModelBuilder)):
                self.touches += 1
            return value
        for module in self.star_imports:
            candidate = KerasRef(f"{module}.{name}")
            if names.classify(candidate.path)[0] != "other":
                return candidate
        if name in _BUILTINS:
            return Builtin(name)
        if self.imports_keras and not self.foreign_star and not self.importing and scope.module is self.main_scope:
            candidate = KerasRef(f"keras.layers.{name}")
            if catalogue.lookup(name) is not None or name in catalogue.LAYER_FUNCTIONS or \
                    name in ("Sequential", "Model", "Input"):
                if name not in self.unimported:
                    self.unimported[name] = self.span(e)
                    self.notes.append(Note("KC904", f"`{name}` is used but not imported: read as Keras's "
                                           f"`{name}` (the file imports from Keras)", self.span(e)))
                return candidate
        return self.made_symbol(name, "a name the analysed code does not define", e)

    def eval_Attribute(self, e: ast.Attribute, scope: Scope) -> Any:
        base = self.eval(e.value, scope)
        if e.attr == "build" and self.graph.building is not None and not isinstance(base, SuperRef) and \
                base is not self.graph.building:
            return self.sublayer_build_method(base, e)  # `self.proj.build(shape)` in a custom layer's build
        return self.attribute(base, e.attr, e)

    def attribute(self, base: Any, attr: str, e: ast.AST) -> Any:
        if isinstance(base, ModelChoice):
            # `fit`, `predict`... and `build` run on each way's model (see ``call``); nothing else is followed
            return BoundMethod(base, attr) if attr in _BUILDS_A_CHOICE else Unknown(base.reason, base.span)
        if isinstance(base, KerasRef) and base.origin == "keras" and attr == "__version__":
            return VersionHead("3.")
        if isinstance(base, VersionHead):
            return BoundMethod(base, attr)
        if isinstance(base, KerasRef):
            return self.known_helper(f"{base.path}.{attr}") or KerasRef(f"{base.path}.{attr}")
        if isinstance(base, ExternalRef):
            return self.ref(f"{base.path}.{attr}", self.code(e), e)
        if isinstance(base, ModuleRef) and attr == "__dict__":
            return GlobalsRef(base.scope)
        if isinstance(base, ModuleRef):
            value = base.scope.get(attr)
            return self.made_symbol(self.code(e), f"not defined in module `{base.name}` where the analysis sees it",
                                    e) if value is _MISSING else value
        if isinstance(base, Expr):
            names = symbol_names(base)
            held = self.symbol_origins.get((names[0], self.uncalled)) if len(names) == 1 else None
            return self.made_symbol(self.code(e), *(held or ("an attribute of a value from outside the analysed code",
                                                             e)))
        if isinstance(base, SuperRef):
            return self.super_attribute(base, attr, e)
        if isinstance(base, plain.PlainObject) or isinstance(base, ClassValue) and base.plain:
            return self.plain_attribute(base, attr, e)
        if isinstance(base, ClassValue):
            member = self.member(base, attr)
            if isinstance(member, Function):  # Net.build(...): a static or class method, or the plain function
                return bind_method(member, base, base)
            if member is not _CLASS_LACKS and not isinstance(member, Unknown):
                return member  # a class attribute (`Bottleneck.expansion`), as its instances read it
        if isinstance(base, LayerObj) and attr == "__class__":
            cls = self.layer_class(base)
            if cls is not None:
                return cls
        if isinstance(base, LayerObj) and attr == "compute_output_shape" and self.graph.building is not None:
            return BoundMethod(base, attr)  # `self.conv.compute_output_shape(shape)` in a custom layer's build
        if isinstance(base, LayerObj) and attr == "set_weights":
            return BoundMethod(base, attr)  # Keras raises on a layer it has not built (BuiltinCalls.set_weights_unbuilt)
        if isinstance(base, LayerObj) and attr == "vocabulary_size" and \
                self.graph.layer(base.uid).type in _VOCABULARY_LAYERS:
            return BoundMethod(base, attr)  # (BuiltinCalls.vocabulary_size)
        if isinstance(base, (Tensor, tuple, LayerObj, ModelBuilder)):
            value = self.shape_attribute(base, attr, e)
            if value is not live.NOT_MINE:
                return value
        if isinstance(base, ModelBuilder) and base.kind == "subclassed":
            return self.instance_attribute(base, attr, e)
        if isinstance(base, ModelBuilder):
            if base.kind == "application" and attr in ("output", "outputs", "input", "inputs"):
                inp, out = self.apptensors_in(base, e)
                if base.app_sources:  # input_tensor=: the model's input is where that tensor comes from
                    inp = Tensor(base.app_sources[0])
                tensor = out if attr.startswith("output") else inp
                return tensor if attr in ("output", "input") else ListValue([tensor])
            if base.kind == "functional" and attr in ("output", "outputs", "input", "inputs"):
                refs = base.outputs if attr.startswith("output") else base.inputs
                if not refs and base.unresolved is not None:
                    return base.unresolved  # Model(x, y) with x or y not known: its tensors are not known either
                single = base.single_output if attr == "output" else base.single_input if attr == "input" else False
                if single and len(refs) == 1:
                    return Tensor(refs[0])  # `model.input` of Model(x, y)
                return ListValue([Tensor(r) for r in refs])  # `model.inputs` is a list, even of one tensor
            if base.kind == "functional" and attr == "output_names" and base.unresolved is None and base.outputs:
                # Keras's Functional sets it to the names of the layers its outputs come from
                made = [self.graph.made_by(r) for r in base.outputs]
                if all(not d.operation and isinstance(d.name, str) for d in made):
                    return ListValue([d.name for d in made])
            if attr == "layers":
                return self.layers_attribute(base, e)
            return BoundMethod(base, attr)
        if isinstance(base, ListValue) and attr in ("shape", "dtype", "ndim") and isinstance(e, ast.Attribute):
            # `model.output.shape` of Model(x, [y]): Keras 3 gives the outputs as the list they were given
            # (Python raises AttributeError); unknown, saying why
            held = self.code(e.value)
            hint = " (Keras 3's `Model.output` is the list of outputs the model was given)" \
                if held.endswith(".output") else ""
            return self.unknown(f"`{held}` is a list, which has no attribute `{attr}`{hint}", e)
        if isinstance(base, (ListValue, DictValue, str, GlobalsRef)):
            return BoundMethod(base, attr)
        if isinstance(base, ArrayValue):
            return arrays.attribute(self, base, attr, e)
        if isinstance(base, sources.DataObject):
            return base.attribute(self, attr, e)
        if isinstance(base, arrays.Bunch):
            return base.attrs[attr] if attr in base.attrs else self.unknown(f"`{self.code(e)}` is not followed", e)
        if isinstance(base, (External, OpaqueCallable)):
            return self.external_attribute(base, attr, e)
        if isinstance(base, Unknown):
            return base
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def eval_Tuple(self, e: ast.Tuple, scope: Scope) -> Any:
        why: List[Unknown] = []
        items = self.elements(e.elts, scope, why)
        return tuple(items) if items is not None else self.unknown(f"a tuple with unknown items{_why(why)}", e)

    def eval_List(self, e: ast.List, scope: Scope) -> Any:
        why: List[Unknown] = []
        items = self.elements(e.elts, scope, why)
        return ListValue(items) if items is not None else \
            ListValue([], self.unknown(f"a list with unknown items{_why(why)}", e))

    def eval_Set(self, e: ast.Set, scope: Scope) -> Any:
        return self.unknown("a set", e)

    def elements(self, elements: Sequence[Any], scope: Scope, why: Optional[List[Unknown]] = None
                 ) -> Optional[List[Any]]:
        """The items of a list or tuple display, or None (``why`` gets the reason a ``*x`` in it is not known)."""
        out: List[Any] = []
        for el in elements:
            starred = type(el) is ast.Starred
            value = self.eval(el.value if starred else el, scope)
            if starred:
                items = self.iterate(value)
                if items is None:
                    if why is not None:
                        held = value.tainted if isinstance(value, (ListValue, DictValue, GeneratorValue)) else value
                        if isinstance(held, Unknown):
                            why.append(held)
                    return None
                out.extend(items)
            else:
                out.append(value)
            if len(out) > self.limits.sequence_length:
                return None
        return None if self.too_large(out) else out

    def too_large(self, value: Any) -> bool:
        """Does a new value unfold to more items than the analysis follows (see ``unfolds_beyond``)?"""
        return unfolds_beyond(value, self.limits.sequence_length)

    def grown(self, container: Union[ListValue, DictValue], added: Any, e: Optional[ast.AST]) -> None:
        """After ``added`` went into ``container`` in place: if it made the container too large (or hold
        itself), the container is emptied and its content unknown."""
        if unfolds_beyond(added, self.limits.sequence_length, container):
            container.items.clear()
            container.tainted = container.tainted or self.unknown("a value too large to follow", e)

    def eval_Dict(self, e: ast.Dict, scope: Scope) -> Any:
        out: Dict[Any, Any] = {}
        for key_node, value_node in zip(e.keys, e.values):
            if key_node is not None:
                key = self.eval(key_node, scope)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    return DictValue({}, self.unknown("a dict with unknown keys", e))
                out[key] = self.eval(value_node, scope)
            else:
                value = self.eval(value_node, scope)
                if isinstance(value, DictValue) and value.tainted is None:
                    out.update(value.items)
                else:
                    return DictValue({}, self.unknown("a dict with unknown items", e))
        if self.too_large(tuple(out.values())):
            return DictValue({}, self.unknown("a dict too large to follow", e))
        return DictValue(out)

    def eval_Subscript(self, e: ast.Subscript, scope: Scope) -> Any:
        base = self.eval(e.value, scope)
        if isinstance(base, ArrayValue):
            return self.array_subscript(base, e, scope)
        if isinstance(base, sources.DataObject):
            return base.subscript(self, self.subscript_keys(e, scope), e)
        if isinstance(base, Tensor):
            return self.tensor_subscript(base, e, scope)
        parts, _ = self.subscript_parts(e)
        if len(parts) != 1:
            return self.subscript_unknown(base, e)
        sl = parts[0]
        if isinstance(base, VersionHead):
            return self.version_item(base, sl, scope, e)
        if not isinstance(sl, ast.Slice):
            key = self.eval(sl, scope)
            return self.index(base, key, e)
        if isinstance(sl, ast.Slice):
            parts = [None if p is None else self.eval(p, scope) for p in (sl.lower, sl.upper, sl.step)]
            seq = self.sequence(base)
            if isinstance(base, External) and base.role == "shape" and type(parts[0]) is int and \
                    parts[0] >= 0 and parts[1:] == [None, None]:
                # X.shape[1:] of data the analysis does not see: its sizes are X.shape[1], ... (a rank not known)
                return External(self.unseen(self.code(e), base), self.span(e),
                                base.text, "shape", base.start + parts[0], base.made, source=base.source)
            if seq is None or not all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                return self.subscript_unknown(base, e, _SLICE)
            if parts[2] == 0:
                return self.unknown("slice step is zero", e)
            items = seq[slice(*parts)]
            return tuple(items) if isinstance(base, tuple) else ListValue(list(items)) if isinstance(
                base, ListValue) else items
        return self.subscript_unknown(base, e)

    def subscript_parts(self, e: ast.Subscript) -> Tuple[List[Any], bool]:
        """The parts of ``x[...]`` as written, split at its commas, and whether it has one (then Python passes a
        tuple): ``x[(a, b)]`` has one part, ``x[a, b]`` two."""
        sl = e.slice
        if type(sl) is ast.Tuple and not self.positions.parenthesized(sl):
            return sl.elts, True
        return [sl], False

    def index_node(self, e: ast.Subscript, single: bool = True) -> Any:
        """The index of ``x[i]`` (with ``single=False``, the first part of ``x[i, ...]``); None for a slice."""
        parts, _ = self.subscript_parts(e)
        if single and len(parts) != 1 or isinstance(parts[0], ast.Slice):
            return None
        return parts[0]

    def subscript_keys(self, e: ast.Subscript, scope: Scope) -> List[Any]:
        """The evaluated parts of ``[...]``: a ``slice`` for each ``a:b:c``, Ellipsis for ``...``."""
        keys: List[Any] = []
        for sl in self.subscript_parts(e)[0]:
            if isinstance(sl, ast.Slice):
                keys.append(slice(*(None if p is None else self.eval(p, scope) for p in (sl.lower, sl.upper, sl.step))))
            elif type(sl) is ast.Constant and sl.value is Ellipsis:
                keys.append(Ellipsis)
            else:
                keys.append(self.eval(sl, scope))
        return keys

    def array_subscript(self, base: ArrayValue, e: ast.Subscript, scope: Scope) -> Any:
        return arrays.subscript(self, base, self.subscript_keys(e, scope), e)

    def tensor_subscript(self, base: Tensor, e: ast.Subscript, scope: Scope) -> Any:
        """``x[:, -1]`` on a tensor: Keras's GetItem operation on the key Python passes (a tuple
        when there is a comma, else the one part)."""
        keys = [self.tensor_key(k) for k in self.subscript_keys(e, scope)]
        tuple_key = self.subscript_parts(e)[1]
        return self.new_operation("GetItem", (base, tuple(keys) if tuple_key else keys[0]), {}, e)

    def subscript_unknown(self, base: Any, e: ast.AST, key: Any = None) -> Any:
        if isinstance(base, External):
            if base.role == "shape" and isinstance(key, int) and not isinstance(key, bool):
                if base.start and key >= 0:
                    # X.shape[1:][0] is X.shape[1]
                    return self.made_symbol(f"{base.text}[{base.start + key}]", *self.data_origin(base))
                return self.made_symbol(self.code(e), *self.data_origin(base))  # X.shape[1] of data not seen
            return External(self.unseen(self.code(e), base), self.span(e),
                            self.code(e), "foreign" if base.role == "foreign" else "", made=base.made, source=base.source)
        if isinstance(base, Expr) and key is _SLICE:
            # X.shape[1:] of a symbol: a sequence of unknown length, not a number.
            cause = self.operand_cause(base)
            return self.unknown(f"`{self.code(e)}` is not known" + (f" ({cause})" if cause else ""), e)
        if isinstance(base, Expr):
            return self.derived_symbol(self.code(e), e, base)  # sys.argv[1], os.environ["N"]: as the symbol
        if isinstance(base, WholeChoice):
            # an item of each way's tuple (trim[0] of trim = (1, 1) or (1 - rows % 2, 1 - cols % 2))
            items = [o[key] if isinstance(o, tuple) and type(key) is int and -len(o) <= key < len(o) else None
                     for o in base.options]
            if base.options and all(i is not None for i in items):
                return WholeChoice(base.reason, base.span, tuple(items))
            return Unknown(base.reason, base.span)
        if isinstance(base, Unknown):
            return base
        if isinstance(base, (ListValue, DictValue)) and base.tainted is not None and base.tainted.reason:
            # an item of a list or dict some of whose items are not known: say why they are not
            return self.unknown(f"`{self.code(e)}` is not known ({base.tainted.reason})", e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def version_item(self, base: VersionHead, sl: Any, scope: Scope, e: ast.AST) -> Any:
        """``keras.__version__[0]``, ``[:2]``, ``.split(".")[0]``: the known start; anything else unknown."""
        if isinstance(sl, ast.Slice):
            lower, upper, step = (None if p is None else self.eval(p, scope) for p in (sl.lower, sl.upper, sl.step))
            if not base.parts and lower in (None, 0) and step in (None, 1) and type(upper) is int and \
                    0 <= upper <= len(base.head):
                return base.head[:upper]
        else:
            key = self.eval(sl, scope)
            if type(key) is int and base.parts and key == 0:
                return base.head
            if type(key) is int and not base.parts and 0 <= key < len(base.head):
                return base.head[key]
        return self.unknown(f"`{self.code(e)}` is not known (the Keras release is not known)", e)

    def sequence(self, v: Any) -> Optional[Sequence[Any]]:
        if isinstance(v, (tuple, str)):
            return v
        if isinstance(v, plain.PlainObject):
            return plain.namedtuple_items(v)  # a NamedTuple is a tuple of its fields
        if isinstance(v, ListValue) and v.tainted is None:
            return v.items
        if isinstance(v, RangeValue) and v.length <= self.limits.sequence_length:
            # A longer range is not a sequence here: len() of it may overflow, scanning it may not end.
            return range(v.start, v.stop, v.step)
        return None

    def index(self, base: Any, key: Any, e: ast.AST) -> Any:
        if isinstance(base, GlobalsRef) and isinstance(key, str):
            value = base.scope.vars.get(key, _MISSING)
            return self.unknown(f"`{key}` is not defined", e) if value is _MISSING else value
        if isinstance(base, DictValue) and base.tainted is None and isinstance(key, (str, int, float, bool, tuple)):
            if key in base.items:
                return base.items[key]
            return self.python_error("KeyError", f"key {key!r} is not in the dict", e)
        seq = self.sequence(base)
        if seq is not None and isinstance(key, int) and not isinstance(key, bool):
            if -len(seq) <= key < len(seq):
                return seq[key]
            return self.python_error("IndexError", f"index {key} is out of range", e)
        made = self.subscript_unknown(base, e, key)
        held = base.items.values() if isinstance(base, DictValue) and base.tainted is None else seq or ()
        models = tuple({id(v): v for v in held if isinstance(v, ModelBuilder)}.values())
        if models and type(made) is Unknown:
            return ModelChoice(made.reason, made.span, (), models)  # one of the models it holds, which not known
        return made

    def eval_UnaryOp(self, e: ast.UnaryOp, scope: Scope) -> Any:
        v = self.eval(e.operand, scope)
        op = _OPERATORS[type(e.op)]
        if isinstance(v, WholeChoice):
            if op in ("Minus", "Plus") and all(type(o) is int or isinstance(o, Expr) for o in v.options):
                return WholeChoice(v.reason, v.span, tuple(-o if op == "Minus" else o for o in v.options))
            return Unknown(v.reason, v.span)
        if op == "Not":
            t = self.truth(v)
            return self.unknown(f"`{self.code(e)}` is not known", e) if t is None else not t
        if isinstance(v, Tensor):
            return self.tensor_operator(op, (v,), e)
        if isinstance(v, (int, float, Expr)) and not isinstance(v, bool) or isinstance(v, bool):
            if op == "Minus":
                return -v
            if op == "Plus":
                return v
            if op == "BitInvert" and isinstance(v, int):
                return ~v
        return self.operated(v, e) if isinstance(v, Unknown) else self.unknown(f"`{self.code(e)}` is not known", e)

    def operated(self, operand: Unknown, e: ast.AST) -> Unknown:
        """An operation's result on an unknown operand: unknown for the same reason. The sizes of data the analysis
        does not see (``X.shape[1:]``, an External of role "shape", whose items become symbols ``X.shape[1]``...)
        are the operand's, not the result's: ``X.shape[1:] + (1,)`` is another shape, of a rank not known."""
        if isinstance(operand, External) and operand.role == "shape":
            # (1,) + env.observation_space.shape: a tuple of sizes, but how many is not known (nor the rank it makes)
            return Unknown(f"`{self.code(e)}` is not known (how many sizes `{operand.text}"
                           f"{f'[{operand.start}:]' if operand.start else ''}` holds is not known: {operand.reason})",
                           self.span(e))
        return operand

    def eval_BinOp(self, e: ast.BinOp, scope: Scope) -> Any:
        left = self.eval(e.left, scope)
        right = self.eval(e.right, scope)
        return self.binop(_OPERATORS[type(e.op)], left, right, e)

    def binop(self, op: str, a: Any, b: Any, e: ast.AST) -> Any:
        result = self._binop(op, a, b, e)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            return self.unknown(f"`{self.code(e)}` is a number too large to follow", e)
        return result

    def _binop(self, op: str, a: Any, b: Any, e: ast.AST) -> Any:
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            return self.tensor_operator(op, (a, b), e)
        if isinstance(a, WholeChoice) or isinstance(b, WholeChoice):
            # + - * // % with Python ints and symbols: applied to each way's value; anything else: a plain Unknown
            held = a if isinstance(a, WholeChoice) else b
            other = b if held is a else a
            if op in ("Add", "Subtract", "Multiply", "FloorDivide", "Modulo") and not isinstance(other, WholeChoice) \
                    and (type(other) is int or isinstance(other, Expr) and not isinstance(other, NumpyExpr)):
                options = tuple(self._binop(op, o, other, e) if held is a else self._binop(op, other, o, e)
                                for o in held.options)
                if all(type(o) is int or isinstance(o, Expr) and not isinstance(o, NumpyExpr) for o in options):
                    return WholeChoice(held.reason, held.span, options)
            return Unknown(held.reason, held.span)
        if isinstance(a, Unknown):
            return self.operated(a, e)
        if isinstance(b, Unknown):
            return self.operated(b, e)
        if isinstance(a, int) and isinstance(b, int) and op in ("Multiply", "LeftShift", "Power") and \
                a.bit_length() + b.bit_length() > MAX_INT_BITS and op != "Power":
            return self.unknown(f"`{self.code(e)}` is a number too large to follow", e)
        if isinstance(a, ArrayValue) or isinstance(b, ArrayValue):
            if op in ("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"):
                return arrays.binop(self, a, b, e, op)
            return self.unknown(f"`{self.code(e)}` on arrays", e)
        try:
            if isinstance(a, Expr) or isinstance(b, Expr):
                return self.symbolic_binop(op, a, b, e)
            if op == "Add":
                if isinstance(a, ListValue) and isinstance(b, ListValue):
                    if a.tainted or b.tainted:
                        return ListValue([], a.tainted or b.tainted)
                    if len(a.items) + len(b.items) > self.limits.sequence_length or self.too_large((a, b)):
                        return self.unknown("list too long", e)
                    return ListValue(a.items + b.items)
                if isinstance(a, (str, tuple)) and type(a) is type(b) and \
                        (len(a) + len(b) > self.limits.sequence_length or self.too_large((a, b))):
                    return self.unknown("too long", e)
                if isinstance(a, (int, float, str, tuple)) and type(a) is type(b) or _num_pair(a, b):
                    return a + b
            elif op == "Multiply":
                if _num_pair(a, b):
                    return a * b
                if isinstance(a, (tuple, str)) and isinstance(b, int) and not isinstance(b, bool):
                    # (a non-empty `a` bounds b by the limit: (a,) * b is small)
                    return a * b if len(a) * b <= self.limits.sequence_length and not (a and self.too_large((a,) * b)) \
                        else self.unknown("too long", e)
                if isinstance(a, ListValue) and isinstance(b, int) and a.tainted is None:
                    if len(a.items) * b > self.limits.sequence_length or a.items and self.too_large((a,) * b):
                        return self.unknown("list too long", e)
                    return ListValue(a.items * b)
                if isinstance(b, (tuple, str, ListValue)) and isinstance(a, int):
                    return self.binop(op, b, a, e)
            elif _num_pair(a, b):
                if op == "Subtract":
                    return a - b
                if op == "Divide":
                    return a / b
                if op == "FloorDivide":
                    return a // b
                if op == "Modulo":
                    return a % b
                if op == "Power":
                    if isinstance(b, (int, float)) and isinstance(a, (int, float)) and abs(a) > 1 and \
                            abs(b) * max(math.log2(abs(a)), 1) > MAX_INT_BITS:
                        return self.unknown("a number too large", e)
                    return a ** b
                if isinstance(a, int) and isinstance(b, int):
                    if op == "BitAnd":
                        return a & b
                    if op == "BitOr":
                        return a | b
                    if op == "LeftShift" and 0 <= b <= 64:
                        return a << b
                    if op == "RightShift" and b >= 0:
                        return a >> b
            elif op == "Modulo" and isinstance(a, str):
                # "conv_%d" % i, "%s_%d" % (name, i): Python's own formatting of plain values
                plain = b if isinstance(b, tuple) else (b,)
                if len(a) <= 200 and not _WIDE_FORMAT.search(a) and all(type(v) in _FORMATTABLE for v in plain):
                    return a % b
                return self.unknown("a formatted string", e)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
            # NumPy scalars do not raise where Python numbers do (np.float64(1) / 0 is inf, with a warning)
            plain_numbers = all(isinstance(v, (int, float)) and not isinstance(v, (NumpyInt, NumpyFloat))
                                for v in (a, b))
            return self.python_error(type(exc).__name__ if plain_numbers else None, f"`{self.code(e)}` fails", e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def symbolic_binop(self, op: str, a: Any, b: Any, e: ast.AST) -> Any:
        ints = all(isinstance(v, (int, Expr)) and not isinstance(v, bool) for v in (a, b))
        try:
            if ints:
                if op == "Add":
                    return a + b
                if op == "Subtract":
                    return a - b
                if op == "Multiply":
                    return a * b
                if op == "FloorDivide" and isinstance(b, int) and b > 0:
                    return floordiv(a, b)
                if op == "Power" and isinstance(b, int) and 0 <= b <= 8:
                    return a ** b
        except TooComplex:
            pass
        numbers = all(isinstance(v, (int, float, Expr)) and not isinstance(v, bool) for v in (a, b))
        if numbers and (op == "Divide" or not ints):  # `n / 2`, `n * 0.5`: a float
            return self.float_symbol(e, a, b)
        return self.derived_symbol(self.code(e), e, a, b)

    def float_symbol(self, e: Any, *values: Any) -> FloatSymbol:
        """A float computed from symbolic ``values`` (``n / 2``): unknown as a value; ``int()`` of it is a symbol."""
        made = [n for v in values for n in symbol_names(v)]
        origin = ", ".join(f"`{n}`" for n in dict.fromkeys(made)) or "symbols"
        return FloatSymbol(f"`{self.code(e)}` is a float computed from {origin}, not a size (`int(...)` of it is one)",
                           self.span(e), tuple(v for v in values if isinstance(v, Expr)))

    def eval_BoolOp(self, e: ast.BoolOp, scope: Scope) -> Any:
        is_and = type(e.op) is ast.And
        value = self.eval(e.values[0], scope)
        for i, operand in enumerate(e.values[1:], 1):
            t = self.truth(value)
            if t is None:
                why = value if isinstance(value, KerasRaises) else \
                    self.unknown(f"`{self.code(e)}` is not known", e)  # (Keras raising before it is the reason)
                # The operands after it run or not (`flag and model.add(...)`): what they do is run as an
                # undecided branch.
                rest = _rest_of_boolop(e, i)
                sink: List[Any] = []
                self.exec_branches([[_Operand(rest, sink)], []], scope, why, e)
                if sink and sink[0] is (not is_and) and self.boolean_compare(e.values[i - 1], scope):
                    # `c and False` where c is a comparison of plain values (True or False): False either way;
                    # `c or True`: True either way
                    return sink[0]
                return why
            if t == is_and:
                value = self.eval(operand, scope)
        return value

    def boolean_compare(self, e: ast.expr, scope: Scope) -> bool:
        """Is ``e`` a comparison of names and constants that hold plain Python values (ints, sizes, strings,
        None...), whose value is therefore True or False (not an array, not an object's own ``__eq__``)? Reading
        names runs no code."""
        if not isinstance(e, ast.Compare):
            return False
        for side in (e.left, *e.comparators):
            if isinstance(side, ast.Constant):
                value = side.value
            elif isinstance(side, ast.Name):
                value = scope.get(side.id)
            else:
                return False
            if type(value) not in (int, float, str, bool, type(None)) and not isinstance(value, Expr):
                return False
        return True

    def eval_Compare(self, e: ast.Compare, scope: Scope) -> Any:
        left = self.eval(e.left, scope)
        for op_node, comparator in zip(e.ops, e.comparators):
            op = _OPERATORS[type(op_node)]
            if op in ("In", "NotIn") and type(comparator) is ast.Set:
                # `x in {"a", None}`: a set of constants holds what a tuple of them holds (hash, then ==)
                items = self.elements(comparator.elts, scope)
                right = tuple(items) if items is not None and all(_hashable_constant(i) for i in (*items, left)) \
                    else self.unknown("a set", comparator)
            else:
                right = self.eval(comparator, scope)
            if op in TENSOR_COMPARISONS and (isinstance(left, Tensor) or isinstance(right, Tensor)):
                # One comparison makes a tensor; a chain would need its truth (Keras raises).
                return self.tensor_comparison(op, left, right, e) if len(e.ops) == 1 else \
                    self.unknown(f"`{self.code(e)}` is not known", e)
            result = self.compare(op, left, right)
            if result is None:
                # `input_tensor is not None` with a parameter no call gives: unknown for the reason it is
                cause = self.operand_cause(left, right)
                raised = next((v for v in (left, right) if isinstance(v, Unknown) and v.reason == cause), None)
                if isinstance(raised, KerasRaises):  # a shape read after Keras raised: the code never gets here
                    return KerasRaises(cause, self.span(e), raised.at)
                return self.unknown(cause or f"`{self.code(e)}` is not known", e)
            if not result:
                return result  # a chain stops at the first false comparison, and is its value (np.False_ too)
            left = right
        return result

    def operand_cause(self, *operands: Any) -> Optional[str]:
        """Why a comparison of ``operands`` is not decided, in words: the reason of an unknown operand (not one
        made by code the analysis does not see: the condition names that code), or that a symbol is a parameter
        no call gives (``a parameter of `build`, which nothing calls``); None otherwise."""
        for v in operands:
            if isinstance(v, Unknown) and not isinstance(v, External) and v.reason:
                return v.reason
        for v in operands:
            made = symbol_names(v) if isinstance(v, Expr) else ()
            held = self.symbol_origins.get((made[0], self.uncalled)) if len(made) == 1 else None
            if held is not None and held[0].startswith("a parameter "):
                return f"`{made[0]}` is {held[0]}"
        return None

    def compare(self, op: str, a: Any, b: Any) -> Optional[bool]:
        consts = (int, float, str, bool, type(None), tuple)
        if op in ("Is", "IsNot", "Equal", "NotEqual") and (isinstance(a, LayerClass) or isinstance(b, LayerClass)):
            same = self.same_class(a, b)  # layer.__class__ == MaxPooling2D
            return None if same is None else same == (op in ("Is", "Equal"))
        if op in ("In", "NotIn") and isinstance(a, LayerClass) and isinstance(b, tuple) and b:
            each = [self.same_class(a, t) for t in b]  # type(layer) in (layers.Conv2D, layers.Dense)
            return None if None in each else any(each) == (op == "In")
        if op in ("Is", "IsNot", "Equal", "NotEqual") and isinstance(a, Builtin) and isinstance(b, Builtin):
            if a.name == KERAS_TYPE and b.name == KERAS_TYPE:
                return None  # type(x) is type(y) of two Keras objects: which classes is not known
            return (a.name == b.name) == (op in ("Is", "Equal"))  # type(x) is list
        if op in _ORDERINGS and a is not None and b is not None and \
                any(isinstance(v, (NumpyInt, NumpyFloat, NumpyBool, NumpyExpr)) for v in (a, b)):
            return _numpy_comparison(op, a, b)
        if op in ("Is", "IsNot"):
            if isinstance(a, NumpyBool) and isinstance(b, NumpyBool):  # np.True_ and np.False_ are singletons
                return (a.value == b.value) == (op == "Is")
            if isinstance(a, Tensor) and isinstance(b, Tensor):  # one KerasTensor per output of a call
                return (a.ref == b.ref) == (op == "Is")
            if a is None or b is None:
                other = b if a is None else a
                if other is not None and not isinstance(other, _NEVER_NONE) and \
                        self.keras_instances.get(id(other)) is not other:
                    # The result of a call not followed (find_spec(...)) may be None; so may a parameter no call
                    # gives, unless the probe takes it as not None (extract/params.py).
                    is_none = self.param_probe.none_test(other) if self.param_probe is not None else None
                    return None if is_none is None else is_none == (op == "Is")
                same = a is None and b is None
                return same if op == "Is" else not same
            if isinstance(a, bool) or isinstance(b, bool):
                # True and False are the only bools: `x is False` is `x == False` for a bool, False for any other
                # value the analysis knows (0 is not False).
                other = b if isinstance(a, bool) else a
                if isinstance(a, bool) and isinstance(b, bool):
                    same = a == b
                elif isinstance(other, _NEVER_NONE):
                    same = False
                else:
                    return None
                return same if op == "Is" else not same
            if _plain_constant(a) and _plain_constant(b) and (type(a) is not type(b) or a != b):
                return op == "IsNot"  # objects of different types or values are different objects
            if type(a) is str and type(b) is str and a == b and self.interned_literal(a) and self.interned_literal(b):
                return op == "Is"  # top is 'classification', both written in the source: one interned object
            return None
        if isinstance(a, VersionHead) and not a.parts and type(b) is str or \
                isinstance(b, VersionHead) and not b.parts and type(a) is str:
            return _version_order(op, a, b)
        if op in ("Equal", "NotEqual", "In", "NotIn") and _not_a_backend(a, b, op):
            return op in ("NotEqual", "NotIn")  # K.backend() == "theano": Keras 3 has no such backend
        if op in ("In", "NotIn") and isinstance(a, Builtin) and isinstance(b, tuple) and b and \
                all(isinstance(t, Builtin) for t in b):
            if a.name == KERAS_TYPE and any(t.name == KERAS_TYPE for t in b):
                return None
            found = any(t.name == a.name for t in b)  # type(x) in (list, tuple)
            return found if op == "In" else not found
        if op in ("In", "NotIn"):
            seq = self.sequence(b)
            if isinstance(b, DictValue) and b.tainted is None:
                seq = list(b.items)
            if seq is None or not isinstance(a, consts) or not all(isinstance(x, consts) for x in seq):
                return None
            found = a in seq
            return found if op == "In" else not found
        if op in ("Equal", "NotEqual") and (isinstance(a, (Function, LambdaValue)) and _plain_constant(b) or
                                            isinstance(b, (Function, LambdaValue)) and _plain_constant(a)):
            return op == "NotEqual"  # a function object equals only itself (block == 'basic' with block a function)
        if op in ("Equal", "NotEqual") and isinstance(a, ListValue) != isinstance(b, ListValue) and \
                isinstance(a if isinstance(b, ListValue) else b, tuple):
            return op == "NotEqual"  # a list never equals a tuple
        if isinstance(a, ListValue) and isinstance(b, ListValue) and a.tainted is None and b.tainted is None:
            a, b = tuple(a.items), tuple(b.items)  # lists compare as their items do
            if not all(isinstance(x, consts) for x in (*a, *b)):
                return None
        if not (isinstance(a, consts) and isinstance(b, consts)):
            return None
        try:
            return {
                "Equal": lambda: a == b,
                "NotEqual": lambda: a != b,
                "LessThan": lambda: a < b,
                "LessThanEqual": lambda: a <= b,
                "GreaterThan": lambda: a > b,
                "GreaterThanEqual": lambda: a >= b,
            }[op]()
        except (TypeError, KeyError):
            return None

    def interned_literal(self, s: str) -> bool:
        """Is ``s`` (this very object) a string literal of the source made only of letters, digits and
        underscores? CPython interns every such constant of compiled code, so two equal ones are one object
        (``top is 'classification'`` where ``top='classification'`` is a default: True). A string made at run
        time (``.lower()``, ``+`` of variables, ``str.join``, formatting) is another object: not decided."""
        return self.literals.get(id(s)) is s

    def eval_IfExp(self, e: ast.IfExp, scope: Scope) -> Any:
        test = self.eval(e.test, scope)
        t = self.met_test(e.test, test, self.truth(test))
        if t is True:
            return self.eval(e.body, scope)
        if t is False:
            return self.eval(e.orelse, scope)
        self.undecided += 1
        names_before = dict(self.graph.name_counts)
        layers_before = self.graph.layer_count()
        try:
            a = self.eval(e.body, scope)
            after_a, self.graph.name_counts = self.graph.name_counts, dict(names_before)
            b = self.eval(e.orelse, scope)
            self.graph.merge_names([after_a, self.graph.name_counts])  # each way uses up names of its own
        finally:
            self.undecided -= 1
        if _same(a, b):
            return a
        reason = self.rejected_before(test, e.test) or self.unknown(
            f"depends on the condition `{self.code(e.test)}` (line {self.span(e).line})"
            f"{self.condition_cause(e.test, test)}", e)
        # (a model either way makes is reported without the caveat of a way not taken: not built by what follows)
        return a if self.merge_ways((a, b), layers_before, e, reason) else _choice((a, b), reason, layers_before)

    def eval_Lambda(self, e: ast.Lambda, scope: Scope) -> Any:
        defaults = {p.arg: self.eval(d, scope) for p, d in parameter_defaults(e.args)}
        return LambdaValue(e, scope, defaults)

    def eval_NamedExpr(self, e: ast.NamedExpr, scope: Scope) -> Any:
        value = self.eval(e.value, scope)
        target = scope
        while isinstance(target, _ComprehensionScope) and target.parent is not None:
            target = target.parent  # `[y := f(x) for x in xs]` binds y where the comprehension is
        self.bind(e.target, value, target)
        return value

    def eval_ListComp(self, e: ast.ListComp, scope: Scope) -> Any:
        items = self.comprehension(e.generators, lambda s: [self.eval(e.elt, s)], scope, e)
        return ListValue(items) if not isinstance(items, Unknown) else ListValue([], items)

    def eval_GeneratorExp(self, e: ast.GeneratorExp, scope: Scope) -> Any:
        items = self.comprehension(e.generators, lambda s: [self.eval(e.elt, s)], scope, e)
        return tuple(items) if not isinstance(items, Unknown) else items

    def eval_DictComp(self, e: ast.DictComp, scope: Scope) -> Any:
        items = self.comprehension(e.generators, lambda s: [(self.eval(e.key, s), self.eval(e.value, s))], scope, e)
        if isinstance(items, Unknown):
            return DictValue({}, items)
        out = {}
        for k, v in items:
            if not isinstance(k, (str, int, float, bool, tuple, type(None))):
                return DictValue({}, self.unknown("a dict with unknown keys", e))
            out[k] = v
        return DictValue(out)

    def comprehension(self, clauses: List[ast.comprehension], produce: Any, scope: Scope, e: Any) -> Any:
        clause = clauses[0]
        iterable = self.eval(clause.iter, scope)
        items = self.iterate(iterable)
        if items is None or len(items) > self.limits.loop_iterations:
            why = self.not_followed_because(iterable, items)
            return self.comprehension_not_run(e, scope, self.unknown(
                f"a comprehension over `{self.code(clause.iter)}`" + (f" ({why})" if why else ""), e))
        outer = self.loop_entry
        if outer is None:
            self.loop_entry = self.steps
        try:
            out = self.run_comprehension(clauses, produce, scope, e, items)
        finally:
            self.loop_entry = outer
        return self.comprehension_not_run(e, scope, out) if isinstance(out, Unknown) else out

    def comprehension_not_run(self, e: Any, scope: Scope, reason: Unknown) -> Unknown:
        """A comprehension not run to its end (its items, a filter or its length not known): what its items would
        do (``[model.add(...) for ...]``, layers made, names used up) is forgotten, as for a loop not run."""
        while isinstance(scope, _ComprehensionScope) and scope.parent is not None:
            scope = scope.parent  # what it changes lives where the comprehension is
        self.havoc([e], scope, reason)
        return reason

    def not_followed_because(self, iterable: Any, items: Optional[List[Any]]) -> Optional[str]:
        """Why a comprehension does not run over ``iterable`` (``items``: what ``iterate`` gave), when it says."""
        if isinstance(iterable, Unknown):
            return iterable.reason or None
        if isinstance(iterable, (ListValue, DictValue)) and iterable.tainted is not None:
            return iterable.tainted.reason or None
        size = len(items) if items is not None else iterable.length if isinstance(iterable, RangeValue) else None
        if size is not None:
            return f"{size:,} items, more than the analysis follows"
        if isinstance(iterable, ExternalRef):
            return f"`{iterable.path}` comes from code the analysis does not see"
        if isinstance(iterable, Expr):
            return self.operand_cause(iterable) or f"`{iterable}` is a value the analysis does not know"
        return None

    def run_comprehension(self, clauses: List[ast.comprehension], produce: Any, scope: Scope, e: Any,
                          items: Sequence[Any]) -> Any:
        clause = clauses[0]
        inner = _ComprehensionScope(scope)
        out: List[Any] = []
        for count, item in enumerate(items):
            idle = self.idle_steps()
            if idle > self.widen_window:
                return self.widen_comprehension(e, scope, count, idle)
            self.bind(clause.target, item, inner)
            ok = True
            for cond in clause.ifs:
                t = self.truth(self.eval(cond, inner))
                if t is None:
                    return self.unknown(f"a comprehension filtered by `{self.code(cond)}`", e)
                ok = ok and t
            if not ok:
                continue
            if len(clauses) > 1:
                sub = self.comprehension(clauses[1:], produce, inner, e)
                if isinstance(sub, Unknown):
                    return sub
                out.extend(sub)
            else:
                out.extend(produce(inner))
            if len(out) > self.limits.sequence_length:
                return self.unknown("a comprehension too long to follow", e)
        return self.unknown("a comprehension too large to follow", e) if self.too_large(out) else out

    def gave_up(self, stretch: int) -> None:
        """Count the steps of a widened stretch; past ``_WIDEN_BUDGET`` in a file, the window shrinks."""
        self.widened_steps += stretch
        if self.widened_steps >= _WIDEN_BUDGET:
            self.widen_window = _WIDEN_STEPS_LATE

    def widen_comprehension(self, e: Any, scope: Scope, count: int, stretch: int) -> Unknown:
        """A comprehension that has run ``_WIDEN_STEPS`` steps making no layer, tensor or model (data
        generation, ``[make_sample() for _ in range(5000)]``), like a loop (``widen``): its value is unknown,
        and so is what the functions it called may have changed."""
        while isinstance(scope, _ComprehensionScope) and scope.parent is not None:
            scope = scope.parent  # what it changes lives where the comprehension is
        reason = self.unknown(f"a comprehension at line {self.span(e).line}, not run to its end (it builds no "
                              f"layer; the analysis stopped following it after {count:,} items)", e)
        self.gave_up(stretch)
        self.havoc([e], scope, reason)
        return reason

    # -- truth and iteration --------------------------------------------
    def truth(self, v: Any) -> Optional[bool]:
        if isinstance(v, (bool, int, float, str, tuple, type(None), NumpyBool)):
            return bool(v)
        if isinstance(v, ListValue):
            return None if v.tainted else bool(v.items)
        if isinstance(v, DictValue):
            return None if v.tainted else bool(v.items)
        if isinstance(v, RangeValue):
            return v.length > 0
        if isinstance(v, (Expr, Unknown)):
            return None
        if isinstance(v, (LayerObj, Tensor, ModelBuilder, Function, KerasRef, LambdaValue, VersionHead)):
            return True
        return None

    def iterate(self, v: Any) -> Optional[List[Any]]:
        if isinstance(v, plain.PlainObject):
            items = plain.namedtuple_items(v)
            return None if items is None else list(items)
        if isinstance(v, RangeValue):
            if v.length > self.limits.loop_iterations:
                return None
            return list(range(v.start, v.stop, v.step))
        if isinstance(v, (tuple, str)):
            return list(v)
        if isinstance(v, ListValue):
            return None if v.tainted else list(v.items)
        if isinstance(v, DictValue):
            return None if v.tainted else list(v.items)
        if isinstance(v, GeneratorValue):
            if not v.ran and self.undecided > v.depth:
                return None  # (iterated under a condition it cannot decide: another way may iterate it first)
            self.run_generator(v)
            if v.tainted is not None:
                return None
            items, v.items, v.consumed = ([] if v.consumed else v.items), [], True
            return list(items)
        if isinstance(v, sources.DataObject):  # for x, y in dataset.take(1)
            made = v.elements(self, None)
            return None if made is None else list(made)
        if type(v) is ArrayValue and v.tainted is None and not v.ragged and len(v.shape) >= 2 and \
                isinstance(v.shape[0], int) and 0 <= v.shape[0] <= _ARRAY_ROWS:
            # `for row in X:` over a short array of known shape: its rows, arrays of X.shape[1:] (their values not known)
            return [ArrayValue(v.shape[1:]) for _ in range(v.shape[0])]
        return None

    # -- calls ----------------------------------------------------------
    def eval_Call(self, e: ast.Call, scope: Scope) -> Any:
        site = self.positions.get(e) if self.importing == 0 else None
        if site is not None:
            self.site = site
        func = self.eval(e.func, scope)
        args: List[Any] = []
        kwargs: Dict[str, Any] = {}
        open_kwargs: Optional[Unknown] = None
        for keyword, star, node in call_arguments(e):
            value = self.eval(node, scope)
            if star == "*":
                items = self.iterate(value)
                if items is None:
                    open_kwargs = self.unknown(f"`*{self.code(node)}` is not known", _argument(e, node))
                    break
                args.extend(items)
            elif star == "**":
                if isinstance(value, DictValue) and value.tainted is None and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    open_kwargs = self.unknown(f"`**{self.code(node)}` is not known", _argument(e, node))
            elif keyword is not None:
                kwargs[keyword] = value
            else:
                args.append(value)
        if _is_exit(e.func, func, scope):
            raise _Raise()  # sys.exit(main()), exit(), quit(): the script stops here, once its arguments ran
        if isinstance(func, Builtin) and func.name == "super":
            return self.super_ref(tuple(args), scope.get("super()"), e)
        if isinstance(func, Builtin) and func.name in ("globals", "locals", "vars", "exec", "eval") and \
                (func.name in ("exec", "eval") or not args):
            return self.call_scope_builtin(func.name, tuple(args), kwargs, scope, e, open_kwargs)
        if site is not None:
            # What code of another file makes in this call is reported at this call, not at the last call among
            # its arguments (`agent.compile(Adam(lr=1e-3))`: not at `Adam(...)`).
            self.site = site
        return self.call(func, tuple(args), kwargs, e, open_kwargs)

    def call_scope_builtin(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], scope: Scope,
                           e: ast.Call, open_kwargs: Optional[Unknown]) -> Any:
        """``globals()``, ``locals()``, ``vars()``, ``exec(...)`` and ``eval(...)``: they read and write the
        names of a scope. A known text is run; anything else forgets every name it could reach."""
        if name in ("globals", "locals", "vars"):
            if name == "globals" or scope is scope.module:
                return GlobalsRef(scope.module)
            return self.unknown(f"`{name}()` of a function (writing to it changes nothing)", e)
        text = args[0] if args else None
        if isinstance(text, str) and len(args) == 1 and not kwargs and open_kwargs is None and \
                len(text) <= 100_000 and self.depth < self.limits.call_depth:
            try:
                code = _parse(text) if name == "exec" else _parse(text.strip(), "eval")
                self.positions.adopt(code, text if name == "exec" else text.strip())
            except (SyntaxError, RecursionError, ValueError, MemoryError):
                code = None
            if code is not None:
                self.depth += 1
                try:
                    if name == "eval":
                        return self.eval(code.body, scope)
                    self.exec_block(code.body, scope)
                    return None
                finally:
                    self.depth -= 1
        reason = self.unknown(f"may be changed by `{self.code(e)}` (code the analysis cannot read)", e)
        # An expression eval() runs can assign names only through `:=` or calls: that it defines the file's
        # functions and classes again is not expected, as for the modules (`eval(args.layers)` reads a list).
        self.forget_scope(scope, reason, _DEFINED if name == "eval" else ())
        return reason

    def forget_scope(self, scope: Scope, reason: Unknown, keep: Tuple[type, ...] = ()) -> None:
        """Code the analysis cannot see ran with access to ``scope`` and its module: every name they hold
        (but the modules they imported: code that rebinds ``keras`` is not expected; and the values of the
        types ``keep``, whose contents ``taint`` still forgets), every model built so far and every trainable
        flag may have changed."""
        holder: Optional[Scope] = scope
        while holder is not None:
            self.forget_names(holder, reason, keep)
            holder = holder.parent if holder.parent is not None else (
                scope.module if holder is not scope.module else None)
        for b in self.graph.models:
            self.taint(b, reason)
        if self.graph.trainable_unknown is None:
            self.graph.trainable_unknown = Unknown(f"trainable flags may be changed by code the analysis cannot read "
                                             f"({reason.reason})", reason.span)

    def forget_names(self, holder: Scope, reason: Unknown, keep: Tuple[type, ...] = ()) -> None:
        """Every name of ``holder`` (but imported modules, and values of the types ``keep``) is unknown; the
        containers they held too."""
        for key in list(holder.vars):
            value = holder.vars[key]
            if not key.startswith("__") and not isinstance(value, _IMPORTED):
                if not isinstance(value, GlobalsRef):
                    self.taint(value, reason)
                if not isinstance(value, keep):
                    holder.set(key, reason)

    def globals_method(self, ref: "GlobalsRef", name: str, args: Tuple[Any, ...], e: Any) -> Any:
        """``globals().update({...})``, ``.get(name)``, ``.setdefault(...)``; anything else forgets them."""
        if name == "get" and args and isinstance(args[0], str):
            value = ref.scope.vars.get(args[0], _MISSING)
            return (args[1] if len(args) > 1 else None) if value is _MISSING else value
        if name == "update" and len(args) == 1 and isinstance(args[0], DictValue) and args[0].tainted is None and \
                all(isinstance(k, str) for k in args[0].items):
            for key, value in args[0].items.items():
                ref.scope.set(key, value)
            return None
        if name in ("get", "keys", "values", "items", "copy", "__contains__", "__getitem__"):
            return self.unknown(f"`globals().{name}(...)`", e)  # a read
        reason = self.unknown(f"may be changed by `globals().{name}(...)`", e)
        self.forget_scope(ref.scope, reason)
        return reason

    def call(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
             open_kwargs: Optional[Unknown] = None) -> Any:
        if WholeChoice in map(type, args) or (kwargs and WholeChoice in map(type, kwargs.values())):  # (in C)
            # (a choice between whole numbers given to a function: what it makes of each is not followed)
            args = tuple(Unknown(a.reason, a.span) if type(a) is WholeChoice else a for a in args)
            kwargs = {k: Unknown(v.reason, v.span) if type(v) is WholeChoice else v for k, v in kwargs.items()}
        if isinstance(func, ModelChoice) or isinstance(func, BoundMethod) and isinstance(func.obj, ModelChoice):
            return self.call_model_choice(func, args, kwargs, e)
        kind = type(func)  # the usual kinds first (none of them is an instance of a class tested below)
        if kind is Builtin:
            return self.call_builtin(func.name, args, kwargs, e)
        if kind is ExternalRef:
            made = self.namespace(func.path, args, kwargs, e, open_kwargs) if func.path in _NAMESPACES else None
            return made if made is not None else self.call_external(func, args, kwargs, e)
        if kind is Expr or kind is Unknown:
            return self.call_unknown(func, args, kwargs, e)
        if isinstance(func, Partial):
            merged = dict(func.kwargs)
            merged.update(kwargs)
            return self.call(func.func, func.args + args, merged, e, open_kwargs)
        if isinstance(func, KerasRef):
            made = self.call_keras(func, args, kwargs, e, open_kwargs)
            return callbacks.builtin(func, made)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, e, open_kwargs=open_kwargs)
        if isinstance(func, LambdaValue):
            return self.call_lambda(func, args, kwargs, e, open_kwargs)
        if isinstance(func, LayerObj):
            return self.call_layer(func, args, kwargs, e)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, e)
        if isinstance(func, Builtin):
            return self.call_builtin(func.name, args, kwargs, e)
        if isinstance(func, ExternalRef):
            return self.call_external(func, args, kwargs, e)
        if isinstance(func, ClassValue) and func.plain:
            return self.instantiate_plain(func, args, kwargs, e, open_kwargs)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, e, open_kwargs)
        if isinstance(func, ModelBuilder):
            # model(x), on arrays or on tensors: a use that is not training with the model's own loss (the loss rules
            # ask whether the last compile's loss is ever used)
            func.method_calls[("__call__", func.compile[1] if func.compile else None,
                               (e.lineno, e.col_offset) if hasattr(e, "col_offset") else None)] = None
        if isinstance(func, ModelBuilder) and func.kind == "subclassed":
            return self.call_subclassed(func, args, kwargs, e)
        if isinstance(func, ModelBuilder):
            inputs = args[0] if args else kwargs.get("inputs")
            eager = None
            if (func.kind == "sequential" and func.input_layer is None and not func.implicit_input and func.layers
                    and func.built_on_data is None and func.unresolved is None and len(args) == 1
                    and arrays._shape_of(inputs) is not None):
                # model(array): Keras builds the Sequential on the array's shape (its batch size included, which no
                # weight depends on) and runs it eagerly: the result is arrays, not tensors
                eager = self.eager_inputs(inputs, e, func.span)
                if isinstance(eager, Tensor):
                    inputs = eager
            out = self.apply_layer(self.graph.model_layer(func), inputs, e)
            if (func.kind == "sequential" and func.input_layer is None and not func.implicit_input
                    and func.layers and not isinstance(out, Unknown) and func.built_on_data is None):
                # Calling an unbuilt Sequential builds it: Keras makes an InputLayer and a Functional.
                func.built_by_node = self.graph.node_count() - 1
                func.implicit_input = True
                self.graph.record_build(new_input=True)
                self.trace_in_sequential(func, e)
                if isinstance(eager, Tensor):
                    return self.unknown(f"the values `{self.code(e.func) if isinstance(e, ast.Call) else 'the model'}"
                                        "` computes on arrays (the analysis follows the layers it builds, not its "
                                        "results)", e)
            elif (func.kind == "sequential" and func.input_layer is None and not func.implicit_input and func.layers
                    and func.built_by_node is None and func.built_on_data is None):
                # Keras builds it on what it is given (or raises): not unbuilt, but on a shape the analysis does not know
                func.built_on_data = f"`{self.code(e.func) if isinstance(e, ast.Call) else 'the call'}(…)` builds " \
                    f"the model on something whose shape is not known ({out.reason})"
            return out
        if isinstance(func, SetModel):
            if callbacks.keeps(func, args, kwargs):
                return None  # Keras's Callback.set_model: it stores the model
            return self.opaque_call(func.text, func.reason, args, kwargs, e)
        if isinstance(func, CallbackClass):
            held = callbacks.given(func, args, kwargs)
            made = self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True)
            return callbacks.instance(func, made, held)
        if isinstance(func, CachedFunction):
            func.calls += 1  # (never undone: after a rollback, a later call is still not followed)
            if func.calls > 1:
                return self.opaque_call(func.name, f"`{func.name}` is cached (functools.lru_cache): it may return an "
                                        "earlier call's result, which is not followed", args, kwargs, e)
            return self.call(func.func, args, kwargs, e, open_kwargs)
        if isinstance(func, DecoratedFunction):
            return self.opaque_call(func.text, func.reason, args, kwargs, e)
        if isinstance(func, OpaqueCallable):
            return self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True)
        if isinstance(func, External) and isinstance(e, ast.Call):
            chosen = _tuner_int(e, self.code(e.func), args, kwargs)  # hp = keras_tuner.HyperParameters()
            if chosen is not None:
                self.opaque_calls += 1
                return self.made_symbol(str(chosen), "a KerasTuner hyperparameter, which the tuner picks", e)
            made = arrays.unseen_method(self, func, args, kwargs, e)  # x.reshape(n, 28, 28, 1) of np.load(...)
            if made is not arrays.NOT_MINE:
                return made
            # a method of something from code the analysis does not see (df.drop(...), parser.parse_args())
            made = self.opaque_call(self.code(e.func), func.reason, args, kwargs, e)
            if isinstance(made, External) and made.source is None and func.source is not None:
                made.source = func.source
            return made
        return self.call_unknown(func, args, kwargs, e)

    def call_model_choice(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST]) -> Any:
        """``model.fit(x, y)`` (``predict``, ``build``...) where ``model`` is one of the models of undecided ways
        (a ModelChoice): each model a way made gets the call, as it would when its way runs (a way whose call raises
        does not stop the others). A model that exists whichever way runs, and each model when the choice itself is
        called (``model(x)``), may or may not be built there, which is not followed: unknown, not unbuilt."""
        choice = func.obj if isinstance(func, BoundMethod) else func
        reason = Unknown(choice.reason, choice.span)
        dispatched = choice.options if isinstance(func, BoundMethod) else ()
        for option in dispatched:
            try:
                self.call(BoundMethod(option, func.name), args, kwargs, e)
            except _Raise:
                pass
        for option in (o for o in (*choice.options, *choice.others) if all(o is not d for d in dispatched)):
            call = self.code(e.func) if isinstance(e, ast.Call) else "the call"
            why = f"`{call}(…)` builds it if it is the model chosen there, which is not known ({choice.reason})"
            if option.kind == "sequential" and option.input_layer is None and option.built_by_node is None and \
                    not option.implicit_input and option.built_on_data is None:
                option.built_on_data = why
            elif option.kind == "subclassed" and option.call_nodes is None:
                self.taint(option, self.unknown(why, e))
                for held in option.attrs.values():  # (its call may build a Sequential it holds: not "unbuilt")
                    if isinstance(held, ModelBuilder) and held.kind == "sequential" and held.input_layer is None \
                            and held.layers and held.built_on_data is None:
                        held.built_on_data = why
        return reason

    def call_unknown(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST]) -> Any:
        """A call of a value that is none of the callables the analysis follows (a symbol, an unknown)."""
        text = self.code(e.func) if isinstance(e, ast.Call) else "call"
        chosen = _tuner_int(e, text, args, kwargs)
        if chosen is not None:
            self.opaque_calls += 1  # a call into KerasTuner (it may raise, as any unseen code)
            return self.made_symbol(str(chosen), "a KerasTuner hyperparameter, which the tuner picks", e)
        reason = func.reason if isinstance(func, Unknown) else \
            self.origin_reason(text, func) or (sources.GYM_UNKNOWN.format(text) if text in sources.GYM_MAKE else
                                               f"`{text}` is not defined in this file")
        return self.opaque_call(text, reason, args, kwargs, e, instantiate=True)

    def opaque_call(self, text: str, reason: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                    e: Optional[ast.AST], instantiate: bool = False) -> Any:
        """A call the analysis cannot see into. On tensors it becomes an unknown layer node.

        A model or layer given to it keeps what is known about it (``plot_model(model)``,
        ``check(model)``): only operations known to change a model change it. A function whose
        name says it sets trainable flags (``freeze(base)``) leaves the trainable split unknown, and
        one whose name says it may grow a Sequential (``add_block(model, 64)``) leaves it unknown.
        """
        self.opaque_calls += 1
        for v in (*args, *kwargs.values()):
            if isinstance(v, (ModelBuilder, LayerObj)):
                if _SETS_TRAINABLE.search(text):
                    self.graph.trainable_unknown = self.graph.trainable_unknown or self.unknown(
                        f"`{text}` may change trainable flags", e)
                if not (isinstance(v, ModelBuilder) and v.kind == "sequential" and
                        _may_grow(text.rsplit(".", 1)[-1])):
                    continue
            if self.taints(v):
                self.taint(v, self.unknown(f"passed to `{text}`", e))
            for item in (v, *((self.iterate(v) or ()) if isinstance(v, (tuple, ListValue)) else ())):
                if isinstance(item, (Function, LambdaValue)):  # (what ``escaped`` reads: no call for the others)
                    self.escaped(item, e)
                elif isinstance(item, GeneratorValue) and not item.ran:
                    self.escaped(item.fn, e)  # (what iterates it runs its body)
        if self.writers:
            self.forget_writes()
        tensors = [a for a in args if has_tensor(a)]
        if tensors:
            layer = self.new_layer(text, (), {}, e, opaque=True)
            if reason.startswith((f"`{text}` is imported from ", f"`{text}` is read from `")):  # say why the layer is not analysed
                self.graph.update_layer(layer.uid, why=reason)
            elif reason.startswith("depends on the condition "):  # a class chosen by a condition not decided
                self.graph.update_layer(layer.uid, why=f"`{text}` {reason}")
            elif text.startswith("tensorflow.") and self.graph.tracing is None:
                # A TensorFlow function on a KerasTensor of a functional model (not in a layer's call, where the
                # TensorFlow backend traces it): Keras 3 raises in KerasTensor.__tf_tensor__.
                self.graph.update_layer(layer.uid, why=(
                    f"`{text}`: Keras 3 rejects a TensorFlow function called on a Keras tensor (\"A KerasTensor cannot "
                    "be used as input to a TensorFlow function\"); wrap it in a layer or use keras.ops"))
            # Every tensor it is given is a parent in the graph (CTCLayer()(labels, x)), as in Keras's node.
            graph = tuple(t.ref for v in (*args, *(kwargs[k] for k in sorted(kwargs))) for t in tensors_in(v))
            return self.apply_layer(layer, args[0] if args else tensors[0], e, graph_inputs=graph)
        if instantiate:
            return OpaqueCallable(text, reason)
        source = self.code(e) if isinstance(e, ast.Call) else text
        if text in _KERAS_OBJECT_CLASSES:
            made = External(f"result of `{text}` ({reason})", self.span(e) if e is not None else None, source, "",
                            made=(text, self.span(e) if e is not None else None))
            self.keras_instances[id(made)] = made
            return made
        role = "args" if isinstance(e, ast.Call) and self.code(e.func).endswith((".parse_args", ".parse_known_args")) \
            else "foreign" if text in _FRESH_MODELS else "backend" if text in _BACKEND_NAME and not args and \
            not kwargs else ""
        imported = _imported_source(OpaqueCallable(text, reason)) or (
            f"what `{text}(...)` returns: a model read from a file or a saved description, whose layers are not in "
            "the source" if text in _FRESH_MODELS and text != "keras.models.clone_model" else None) or (
            f"what `{text}(...)` returns: {reason}" if text.startswith("numpy.") and reason == f"`{text}` is not analysed"
            else None)  # np.insert(...): NumPy's values are not followed
        return External(f"result of `{text}` ({reason})", self.span(e) if e is not None else None, source, role,
                        made=(text, self.span(e) if e is not None else None), source=imported)

    @staticmethod
    def unseen(text: str, base: Any) -> str:
        """"`text` comes from code the analysis does not see", with where that code is imported from when ``base``
        (what it is read from) knows it."""
        source = base.source if isinstance(base, External) else _imported_source(base)
        return f"`{text}` comes from code the analysis does not see" + (f" ({source})" if source else "")

    def external_attribute(self, base: Any, attr: str, e: ast.AST) -> Any:
        """An attribute of something from code the analysis does not see; ``args.units`` of
        ``parser.parse_args()`` is a symbol (a command-line setting)."""
        text = self.code(e)
        if isinstance(base, External) and base.role == "args":
            return self.made_symbol(text, "an argparse command-line argument",
                                    base.made[1] if base.made is not None and base.made[1] is not None else e)
        method = callbacks.attribute(base, attr, text)
        if method is not None:
            return method
        if isinstance(base, External) and base.role == "foreign" and attr == "layers":
            # The layers of a model made outside the analysed code: none is a layer the analysis knows.
            return External(self.unseen(text, base), self.span(e), text, "foreign", source=base.source)
        return External(self.unseen(text, base), self.span(e), text,
                        "shape" if attr == "shape" else "", made=base.made if isinstance(base, External) else None,
                        source=base.source if isinstance(base, External) else _imported_source(base))

    def call_function(self, fn: Function, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
                      defaults_run: bool = False, open_kwargs: Optional[Unknown] = None,
                      generator_run: bool = False) -> Any:
        if not generator_run:
            fn.calls += 1
            if not defaults_run and _is_generator(fn.node):
                return GeneratorValue(fn, args, dict(kwargs), e, open_kwargs, depth=self.undecided)  # (run later)
        if self.depth >= self.limits.call_depth:
            return self.unknown(f"calls nested deeper than {self.limits.call_depth} (recursion?)", e)
        scope = Scope(fn.scope)
        declared = _declared(fn.node)
        if declared.globals or declared.nonlocals:
            scope.redirect = self.redirects(fn, declared)
        self.bind_parameters(fn.node.args, fn.defaults, args, kwargs, scope, e, open_kwargs,
                             self.parameter_value if defaults_run else None)
        if fn.owner is not None and args:
            # What a bare super() means in this method (Python's __class__ cell and first argument).
            scope.set("super()", SuperRef(fn.owner, args[0]))
        self.depth += 1
        self.function_nodes.append(fn.node)
        try:
            self.exec_block(fn.node.body, scope)
        except _Return as r:
            if generator_run:
                return None  # (a generator's return value ends its iteration: StopIteration's value)
            if isinstance(r.value, ModelBuilder) and r.value.name is None:
                r.value.name = fn.name
            return r.value
        except _Raise as r:
            if (self.guarded or type(r) is _Stop) and not defaults_run:
                raise  # inside a `try` with handlers: the exception reaches them (and nothing catches a _Stop)
            return self.unknown(f"{fn.name}() raises", e)
        except (_Break, _Continue):
            return None
        except _Uncertain as u:
            return u.reason
        finally:
            self.depth -= 1
            self.function_nodes.pop()
        return None

    def run_generator(self, gen: GeneratorValue, names_known: bool = True) -> None:
        """Run a generator's body to its end (the first time something iterates it): ``gen.items`` is what it
        yields, unless the body went through code the analysis does not follow (a loop over what is not known, a
        condition it cannot decide, a raise): then ``gen.tainted`` says why. ``names_known`` False: what iterates
        it runs code between its items (a ``for`` loop), so the automatic names of the layers its body makes are
        not known, nor, after it, those of their classes (Keras numbers each class's layers in the order made)."""
        if gen.ran:
            return
        gen.ran = True
        collected: List[Any] = []
        self.yielded.append(collected)
        havocs, forks = self.havocs, self.forks
        graph = self.graph
        counts, unknown_names = dict(graph.name_counts), graph.names_unknown
        if not names_known:
            graph.names_unknown = True
        try:
            result = self.call_function(gen.fn, gen.args, dict(gen.kwargs), gen.call, open_kwargs=gen.open_kwargs,
                                        generator_run=True)
        finally:
            self.yielded.pop()
            if not names_known:
                graph.names_unknown = unknown_names or self.havocs != havocs  # (havoc could not say so)
                graph.uncertain_names.update(p for p, n in graph.name_counts.items() if counts.get(p, 0) != n)
        name = f"`{gen.fn.name}()`"
        if isinstance(result, Unknown):
            gen.tainted = result
        elif self.havocs != havocs or self.forks != forks:
            gen.tainted = self.unknown(f"what the generator {name} yields is not known (its body goes through code "
                                       "the analysis does not follow)", gen.call)
        elif len(collected) > self.limits.sequence_length:
            gen.tainted = self.unknown(f"the generator {name} yields too many items to follow", gen.call)
        else:
            gen.items = collected

    def eval_Yield(self, e: ast.Yield, scope: Scope) -> Any:
        value = self.eval(e.value, scope) if e.value is not None else None
        if self.yielded:
            self.yielded[-1].append(value)
        return self.unknown("what is sent into a generator (`send`) is not followed", e)

    def eval_YieldFrom(self, e: ast.YieldFrom, scope: Scope) -> Any:
        items = self.iterate(self.eval(e.value, scope))
        if self.yielded:
            if items is None:
                self.havocs += 1  # (what it yields is not known)
            else:
                self.yielded[-1].extend(items)
        return self.unknown("what `yield from` gives is not followed", e)

    def bind_parameters(self, params: ast.arguments, defaults: Dict[str, Any], args: Tuple[Any, ...],
                        kwargs: Dict[str, Any], scope: Scope, e: Optional[ast.AST], open_kwargs: Optional[Unknown],
                        missing: Any = None) -> None:
        """Sets the parameters of a function or lambda in ``scope`` from a call's arguments (``kwargs`` is
        consumed): positional ones, ``*args`` (a tuple of the rest), keyword-only ones and ``**kwargs`` (a dict of
        the rest). A parameter the call does not give takes its default, else the unknown ``open_kwargs`` (a
        ``**d`` not known may hold it), else ``missing(p)`` (a builder nothing calls) or a symbol named after it."""
        positional = [*params.posonlyargs, *params.args]
        for i, p in enumerate(positional):
            name = p.arg
            if i < len(args):
                scope.set(name, args[i])
            elif name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif open_kwargs is not None:
                scope.set(name, open_kwargs)
            elif name in defaults:
                scope.set(name, defaults[name])
            else:
                scope.set(name, missing(p) if missing is not None else
                          self.made_symbol(name, "a parameter the call does not give", p))
        if params.vararg is not None:
            rest = tuple(args[len(positional):])
            scope.set(params.vararg.arg, self.unknown("arguments too large to follow", e)
                      if self.too_large(rest) else rest)
        for p in params.kwonlyargs:
            name = p.arg
            if name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif name in defaults:
                scope.set(name, defaults[name])
            else:
                scope.set(name, missing(p) if missing is not None else
                          self.made_symbol(name, "a parameter the call does not give", p))
        if params.kwarg is not None:
            if open_kwargs is None and self.too_large(tuple(kwargs.values())):
                open_kwargs = self.unknown("arguments too large to follow", e)
            scope.set(params.kwarg.arg,
                      DictValue(dict(kwargs), open_kwargs) if open_kwargs is None else DictValue({}, open_kwargs))

    def redirects(self, fn: Function, declared: Any) -> Dict[str, Scope]:
        """Where a function's ``global`` and ``nonlocal`` names live: its module, or the enclosing call."""
        out = {name: fn.scope.module for name in declared.globals}
        for name in declared.nonlocals:
            holder = fn.scope
            while holder.parent is not None and name not in holder.vars:
                holder = holder.parent
            out[name] = holder if holder.parent is not None else fn.scope
        return out

    def escaped(self, fn: Any, e: Optional[ast.AST]) -> None:
        """A function or lambda that assigns ``global``/``nonlocal`` names (itself or through functions it
        calls) went where the analysis cannot follow it (a callback, an unknown call): from now on, any call
        the analysis cannot see may run it, so those names are unknown after each such call."""
        if not isinstance(fn, (Function, LambdaValue)):
            return
        targets = self.outside_writes(fn, 0, set())
        if targets:
            what = f"`{fn.name}()`" if isinstance(fn, Function) else "a lambda"
            reason = self.unknown(f"may be changed by {what} (passed to code the analysis does not follow)", e)
            self.writers.append((targets, reason))
            self.forget_writes()

    def outside_writes(self, fn: Any, depth: int, seen: set) -> Dict[str, Scope]:
        """The ``global``/``nonlocal`` names ``fn`` or the functions it calls by name may assign."""
        if id(fn) in seen or depth > 6:
            return {}
        seen.add(id(fn))
        out: Dict[str, Scope] = {}
        if isinstance(fn, Function):
            declared = _declared(fn.node)
            if declared.globals or declared.nonlocals:
                out.update(self.redirects(fn, declared))
        for callee in _called_names(fn.node.body):
            value = fn.scope.get(callee)
            if isinstance(value, (Function, LambdaValue)):
                out.update(self.outside_writes(value, depth + 1, seen))
        return out

    def outside_mutations(self, fn: Any, depth: int, seen: set) -> List[Any]:
        """The values of names from outside ``fn`` (globals, closures) that ``fn`` or the functions it calls
        by name may change in place (``made.append(i)``, ``self.cache[k] = v``)."""
        if id(fn) in seen or depth > 6:
            return []
        seen.add(id(fn))
        body, names, callees = _per_node("outside_names", fn.node, _outside_names)
        out = []
        for name in names:
            value = fn.scope.get(name)
            if not (isinstance(value, ModelBuilder) and self.only_reads_model(body, name, value, fn.scope, 0)):
                out.append(value)  # (a built model it only runs or reads is left as it is)
        for callee in callees:
            value = fn.scope.get(callee)
            if isinstance(value, (Function, LambdaValue)):
                out += self.outside_mutations(value, depth + 1, seen)
        return out

    def forget_writes(self) -> None:
        for targets, reason in self.writers:
            for name, target in targets.items():
                target.set(name, reason)

    def call_lambda(self, fn: LambdaValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                    open_kwargs: Optional[Unknown] = None) -> Any:
        scope = Scope(fn.scope)
        # (``lambda *a, **kw: g(f(*a, **kw))`` as functools.reduce composes functions)
        self.bind_parameters(fn.node.args, fn.defaults, args, dict(kwargs), scope, e, open_kwargs)
        return self.eval(fn.node.body, scope)


    # -- Keras ------------------------------------------------------------



class _Guarded:
    """Statements of a ``try`` body run on one path of an optional import: if they raise, a handler may run."""

    def __init__(self, body: List[Any], handlers: Sequence[ast.ExceptHandler], reason: Unknown) -> None:
        self.body = body
        self.handlers = handlers
        self.reason = reason


class _Operand(ast.Expr):
    """The operands of a ``BoolOp`` after an undecided one, run as an undecided branch: their value is kept in
    ``sink`` (a list), for the caller to read."""

    def __init__(self, stmt: ast.Expr, sink: List[Any]) -> None:
        super().__init__(value=stmt.value)
        ast.copy_location(self, stmt)
        self.end_lineno, self.end_col_offset = stmt.end_lineno, stmt.end_col_offset
        self.sink = sink


class _Havoc:
    """A statement of a branch that ran only in part (an import in it failed): what it assigns is forgotten."""

    def __init__(self, stmt: Any, reason: Unknown) -> None:
        self.stmt = stmt
        self.reason = reason


#: The methods of a model that run on each way's model when it is one of undecided ways' (a ModelChoice).
_BUILDS_A_CHOICE = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
                              "fit_generator", "evaluate_generator", "predict_generator", "build"})


def _choice(values: Sequence[Any], reason: Unknown, since: Optional[int] = None, made: Sequence[Any] = ()) -> Unknown:
    """What undecided ways that leave a name different make of it: ``reason``, which names the Keras classes they
    chose between when each way chose one (``BatchNormalization`` or ``LayerNormalization``), as a
    reader of the report cannot see them. Models among them make a ModelChoice: ``made``, the models made while
    the ways ran; with ``since`` (the number of layers before the ways ran), its ``ways`` when each way binds (or
    returns) a model of its own."""
    if len(values) > 1 and all(isinstance(v, KerasRef) and v.origin != "keras" for v in values):
        kinds = [names.classify(v.path) for v in values]
        if all(kind in ("layer", "model", "sequential", "application") for kind, _ in kinds):
            shown = list(dict.fromkeys(f"`{name}`" for _, name in kinds))
            if len(shown) > 1:
                return Unknown(f"{reason.reason}, which chooses between {', '.join(shown[:-1])} and {shown[-1]}",
                               reason.span)
    if len(values) > 1 and type(reason) is Unknown and all(_whole(v) for v in values):
        return WholeChoice(reason.reason, reason.span, tuple(values))
    if len(values) > 1 and type(reason) is Unknown and any(isinstance(v, (ModelBuilder, ModelChoice)) for v in values):
        # (a way that leaves something else, `load_model(path)`, gets nothing of what is done to the others; a
        # model ``made`` before the ways exists whichever runs: what is done to the choice may or may not reach it)
        fresh = {id(b) for b in made}
        models = [o for v in values if isinstance(v, (ModelBuilder, ModelChoice))
                  for o in ((*v.options, *v.others) if isinstance(v, ModelChoice) else (v,))]
        models = list({id(o): o for o in models}.values())
        each = tuple(values) if since is not None and all(type(v) is ModelBuilder for v in values) and \
            len({id(v) for v in values}) == len(values) else ()
        return ModelChoice(reason.reason, reason.span, tuple(o for o in models if id(o) in fresh),
                           tuple(o for o in models if id(o) not in fresh), each, since or 0)
    return reason


def _whole(value: Any) -> bool:
    """A Python int of at least 0, a symbolic size (not a NumPy one), or a tuple of such."""
    if isinstance(value, tuple):
        return all(_whole(v) for v in value)
    if isinstance(value, Expr):
        # (a symbol named after an expression the arithmetic does not keep, `n / 2`, `0.5 * n` or `float(n)`, may be
        # a float)
        return not isinstance(value, NumpyExpr) and not any(
            "/" in name or "float(" in name or _FLOAT_LITERAL.search(name) for name in symbol_names(value))
    return type(value) is int and value >= 0


_FLOAT_LITERAL = re.compile(r"(?<![\w.])\d*\.\d|\de[-+]?\d")


#: The modules of Keras 2's layers as written in imports (``tf_keras``, which is Keras 2 itself, is not one).
_LAYER_IMPORT_MODULES = frozenset(f"{root}.layers{sub}" for root in ("keras", "tensorflow.keras")
                                  for sub in ("", ".experimental", ".experimental.preprocessing"))


def _keras3_lacks(module: str, name: str) -> bool:
    """Does ``from module import name`` raise ImportError under Keras 3, by a layer class Keras 3's ``keras.layers``
    does not have (``CuDNNLSTM``, ``SyncBatchNormalization``)? Keras 3 has no ``keras.layers.experimental`` at all,
    but a class Keras 3 does have imported from there (``experimental.preprocessing.Rescaling``) is read as Keras 3's,
    as everywhere else, and so is a submodule (``experimental.preprocessing``)."""
    if module not in _LAYER_IMPORT_MODULES or catalogue.known_layers_export(name):
        return False
    return module.endswith(".layers") or name[:1].isupper()


#: Top-level modules whose import does not depend on the machine: Keras (what the file is analysed as) and
#: its own dependency NumPy; the standard library is below.
_ALWAYS_IMPORTABLE = {"keras", "numpy", "__future__"}
_STDLIB = frozenset(getattr(__import__("sys"), "stdlib_module_names", ())) or frozenset({
    "os", "sys", "math", "re", "json", "time", "random", "functools", "itertools", "collections", "typing",
    "dataclasses", "argparse", "pathlib", "logging", "warnings", "copy", "pickle", "shutil", "glob", "io",
    "datetime", "importlib", "platform", "subprocess", "string", "csv", "abc", "enum", "inspect", "types",
})
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


#: KerasTuner's ``HyperParameters.Int(name, min_value, max_value, step=None, sampling="linear", default=None)``.
_TUNER_INT = ("name", "min_value", "max_value", "step", "sampling", "default", "parent_name", "parent_values")


#: Values a process is given (``ref`` makes them symbols): where each comes from, in words.
_PROCESS_INPUTS = {"sys.argv": "a command-line argument in sys.argv", "os.environ": "an environment variable"}


def _tuner_int(e: Any, text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Expr]:
    """``hp.Int("units", min_value=32, max_value=512, step=32)`` of KerasTuner (``hp`` a value the analysis does not
    know: the parameter of a builder nothing calls, that a tuner calls, or ``keras_tuner.HyperParameters()``): the
    integer the tuner chooses, a symbol named after the hyperparameter, ``hp.Int('units')``. KerasTuner gives a Python int (``Int.prob_to_value``
    returns ``int(...)``, the default is ``min_value``, checked an int), and the same one for every call with that
    name (``HyperParameters._retrieve``). Only a call written as KerasTuner's, with a name known as a string and
    both bounds given, is read so."""
    if not (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "Int"):
        return None
    if len(args) > len(_TUNER_INT) or any(k not in _TUNER_INT for k in kwargs) or \
            any(name in kwargs for name in _TUNER_INT[:len(args)]):
        return None
    bound = {**dict(zip(_TUNER_INT, args)), **kwargs}
    name = bound.get("name")
    if not isinstance(name, str) or bound.get("min_value") is None or bound.get("max_value") is None:
        return None
    return symbol(f"{text}({name!r})")


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_dotted(t).split(".")[-1] in _IMPORT_ERRORS for t in types)


def _outside_names(node: Any) -> Tuple[List[Any], Tuple[str, ...], Any]:
    """Of a function or lambda: its body (as a block), the names from outside it that it may change in place,
    and the names it calls (``outside_mutations``, which asks again at every call it cannot see)."""
    body = [node.body] if isinstance(node, ast.Lambda) else node.body
    args = node.args
    local = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    local |= {a.arg for a in (args.vararg, args.kwarg) if a is not None} | _collect(body).assigned
    return body, tuple((_collect(body).mutated | plain.attribute_roots(body)) - local), _called_names(body)


def _imports_in(node: Any) -> List[Any]:
    """Import statements in ``node``, not inside functions or classes it defines (those run later), in code
    order (cached: a ``try`` in a loop asks again; read the list, do not change it)."""
    return _per_node("imports_in", node, _find_imports)


def _find_imports(node: Any) -> List[Any]:
    found: List[Any] = []
    stack: List[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            found.append(n)
        elif not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(reversed(list(ast.iter_child_nodes(n))))
    return found


def _plain(body: Sequence[Any]) -> List[Any]:
    """The statements of a branch, with the wrappers of ``exec_try_import`` taken off."""
    out: List[Any] = []
    for s in body:
        if isinstance(s, _Havoc):
            out.append(s.stmt)
        elif isinstance(s, _Guarded):
            out.extend(s.body)
            out.extend(h.body for h in s.handlers)
        else:
            out.append(s)
    return out


def _is_exit(node: Any, func: Any, scope: Scope) -> bool:
    """Is ``node`` (what is called) Python's ``exit``/``quit`` or ``sys.exit``/``os._exit``, as bound here?"""
    last = node.id if type(node) is ast.Name else node.attr if type(node) is ast.Attribute else None
    if last not in ("exit", "quit", "_exit"):
        return False  # (asked at every call: most are not, and need no dotted text)
    text = _dotted(node)
    if text in ("exit", "quit"):
        return scope.get(text) is _MISSING
    if text in ("sys.exit", "os._exit"):
        root = scope.get(text.split(".")[0])
        return isinstance(root, ExternalRef) and root.path == text.split(".")[0]
    return False


def _is_import_line(stmt: Any) -> bool:
    return isinstance(stmt, (ast.Import, ast.ImportFrom))


def _unstarred(node: Any) -> Any:
    return node.value if type(node) is ast.Starred else node


def _argument(call: ast.Call, value: Any) -> Any:
    """The node of a call's argument ``*x`` or ``**x`` (the star included) whose value is ``value``."""
    for a in call.args:
        if type(a) is ast.Starred and a.value is value:
            return a
    for k in call.keywords:
        if k.value is value:
            return k
    return value


def _parse(text: str, mode: str = "exec") -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, mode=mode)


def _module_parse(text: str) -> Any:
    """A project module's tree, parsed as the analysis of a file parses it (``extract._cpython_parse``, whose bound on
    nesting may refuse what ``_parse`` takes): such a tree is marked, and the file's own analysis later in the run
    takes it instead of parsing the same text again (``project.file_tree``). A text that parse refuses is parsed
    as before."""
    from . import _cpython_parse  # (extract/__init__.py imports this module)

    tree, _ = _cpython_parse(text)
    if tree is None:
        return _parse(text)
    tree._kc_file_parse = True
    return tree


#: ``f"{x=}"``: Python's self-documenting expressions (not followed).
_SELF_DOCUMENTING = re.compile(r"[^=!<>]=\s*[!:}]")


class _Changes:
    """The objects of ``before`` (value, fingerprint pairs, in order) whose fingerprint differs now, found
    from the log of objects changed since (what ``exec_branches`` compares after each branch; the same as
    comparing every one, in the same order, at the cost of what was changed)."""

    def __init__(self, values: List[Any], log: List[Any]) -> None:
        self.values = values
        self.before: List[Tuple[Any, Any]] = []
        self.log = log
        self.start = len(log)
        self.positions: Dict[int, List[int]] = {}

    def materialize(self) -> None:
        """The fingerprints, taken before the first change logged after the branches started."""
        self.before = [(v, _fingerprint(v)) for v in self.values]
        for i, (value, fp) in enumerate(self.before):
            if fp is not None:
                self.positions.setdefault(id(value), []).append(i)
        #: id of a model, list or dict held by an attribute of a plain object of ``before``: their positions.
        self.holders: Optional[Dict[int, List[int]]] = None

    def _affected(self, obj: Any) -> List[int]:
        found = list(self.positions.get(id(obj), ()))
        if not isinstance(obj, plain.PlainObject):
            if self.holders is None:
                self.holders = {}
                for i, (value, fp) in enumerate(self.before):
                    if isinstance(value, plain.PlainObject):
                        for held in value.attrs.values():
                            if isinstance(held, (ModelBuilder, ListValue, DictValue)):
                                self.holders.setdefault(id(held), []).append(i)
            found += self.holders.get(id(obj), ())
        return found

    def changed(self) -> Any:
        """Yield each object whose fingerprint changed, in ``before``'s order; objects the caller changes
        in between (tainting one taints what it holds) are seen when they come later in that order."""
        log, seen = self.log, self.start
        if len(log) == seen:
            return  # nothing changed (and ``before`` was never needed)
        pending: List[int] = []
        queued = set()
        looked: set = set()
        current = -1
        while True:
            if len(log) > seen:
                for obj in log[seen:]:
                    if id(obj) in looked:
                        continue
                    looked.add(id(obj))
                    for i in self._affected(obj):
                        if i > current and i not in queued:
                            queued.add(i)
                            heapq.heappush(pending, i)
                seen = len(log)
            if not pending:
                return
            current = heapq.heappop(pending)
            value, mark_fp = self.before[current]
            if _fingerprint(value) != mark_fp:
                yield value


#: Keras's lookup layers, whose ``vocabulary_size()`` is the size of the vocabulary they were given or learned.
_VOCABULARY_LAYERS = frozenset({"TextVectorization", "StringLookup", "IntegerLookup"})
#: Types of values ``taint`` leaves alone (exact types: none is one of the classes it changes).
_INERT = frozenset({Unknown, External, Expr, ExternalRef, OpaqueCallable, DecoratedFunction, CachedFunction, ArrayValue, KerasRef, Function, LambdaValue,
                    BoundMethod, Builtin, LayerObj, Tensor, RangeValue, int, float, str, bool, bytes, type(None),
                    tuple, type(_MISSING)})
#: (for the mixins, which cannot import this module)
Interpreter.INERT = _INERT

_HAVOC_NAMES: Dict[Tuple[int, ...], Tuple[Sequence[Any], Tuple[Any, ...]]] = {}


_PARENTS: Dict[int, Tuple[Any, Dict[int, Tuple[Any, List[Any], int]]]] = {}


def _returns(block: Sequence[Any]) -> bool:
    """Does ``block`` end with a ``return`` statement (every way through it returns there)?"""
    return bool(block) and type(block[-1]) is ast.Return


def _parents(fn: Any) -> Dict[int, Tuple[Any, List[Any], int]]:
    """For each statement of a function (those of nested blocks too, not of nested functions or classes):
    the statement holding it (the function itself at the top), the block it is in and its index there."""
    hit = _PARENTS.get(id(fn))
    if hit is not None and hit[0] is fn:
        return hit[1]
    out: Dict[int, Tuple[Any, List[Any], int]] = {}
    todo = [fn]
    while todo:
        holder = todo.pop()
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(holder, field, None)
            if not isinstance(block, list):
                continue
            for i, child in enumerate(block):
                out[id(child)] = (holder, block, i)
                if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    todo.append(child)
        for case in getattr(holder, "cases", ()) or ():
            todo.append(case)
    if len(_PARENTS) > 4096:
        _PARENTS.clear()
    _PARENTS[id(fn)] = (fn, out)
    return out


def _rest_of_boolop(e: ast.BoolOp, i: int) -> ast.stmt:
    """The operands of ``e`` from the ``i``-th on, as a statement (made once per node and kept on it)."""
    made = getattr(e, "_kc_rest", None)
    if made is None:
        made = {}
        e._kc_rest = made  # type: ignore[attr-defined]
    stmt = made.get(i)
    if stmt is None:
        rest = e.values[i:]
        value = rest[0] if len(rest) == 1 else ast.copy_location(ast.BoolOp(op=e.op, values=rest), rest[0])
        if value is not rest[0]:
            value.end_lineno, value.end_col_offset = e.end_lineno, e.end_col_offset
        stmt = made[i] = ast.copy_location(ast.Expr(value=value), rest[0])
        stmt.end_lineno, stmt.end_col_offset = e.end_lineno, e.end_col_offset
    return stmt


def _called_roots(stmt: Any) -> Tuple[Any, ...]:
    """The calls in a statement, in ``ast.walk``'s order, as ``may_use_names`` reads them (cached per statement:
    loops havoc the same block again and again): None for a ``….clear_session()``, else (the name the callee
    starts from, whether the callee is that name itself); calls of anything else are left out."""
    out: List[Any] = []
    for node in ast.walk(stmt):
        if type(node) is not ast.Call:
            continue
        func = node.func
        if type(func) is ast.Attribute and func.attr == "clear_session":
            out.append(None)
            continue
        root = func
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is ast.Name:
            out.append((root.id, root is func))
    return tuple(out)


def _havoc_names(body: Sequence[Any]) -> Tuple[Any, ...]:
    """What ``havoc`` reads of a block, cached (loops havoc the same block again and again): the names it
    assigns, the names whose values it may change in place, the names it calls, and its ``_collect``."""
    if len(body) == 1 and isinstance(body[0], ast.AST):  # (a loop havocs itself: kept on the node)
        return _per_node("havoc_names", body[0], _havoc_names_of)
    key = tuple(map(id, body))
    hit = _HAVOC_NAMES.get(key)
    if hit is not None and all(map(operator.is_, hit[0], body)):
        return hit[1]
    value = _havoc_names_made(body)
    if len(_HAVOC_NAMES) > 4096:
        _HAVOC_NAMES.clear()
    _HAVOC_NAMES[key] = (tuple(body), value)
    return value


def _havoc_names_of(stmt: Any) -> Tuple[Any, ...]:
    return _havoc_names_made([stmt])


def _havoc_names_made(body: Sequence[Any]) -> Tuple[Any, ...]:
    collected = _collect(body)
    called = set().union(*(_called_names(s) for s in body)) if body else set()
    changed = collected.mutated | plain.attribute_roots(body)
    # (the last: the names called as `f(...)`, which a scope may hold, without the `.method` ones, in ``called``'s order)
    return (collected.assigned, changed, called, collected, tuple(bare_names(body) - changed),
            tuple(n for n in called if not n.startswith(".")))


def _why(reasons: List[Unknown]) -> str:
    """`` (<reason>)`` of the first of ``reasons``, or nothing."""
    return f" ({reasons[0].reason})" if reasons else ""


def _is_generator(node: Any) -> bool:
    """Whether a function's body holds ``yield`` (outside the functions, lambdas and classes it defines)."""
    return _per_node("generator", node, _holds_yield)


def _holds_yield(node: Any) -> bool:
    todo = list(node.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(n))
    return False


def _fingerprint(v: Any) -> Any:
    """Changes whenever the value is changed in place (cheap: a version counter)."""
    if isinstance(v, plain.PlainObject):
        return plain.fingerprint(v)
    if isinstance(v, ModelBuilder):
        return (len(v.layers), v.layers[-1] if v.layers else None, v.input_layer, v.implicit_input,
                v.unresolved is None, v.version)
    if isinstance(v, (ListValue, DictValue)):
        return (v.version, v.tainted is None)
    return None


#: Values ``"..." % value`` formats as Python does (a NumpyInt is printed as the int it is).
_FORMATTABLE = frozenset({int, float, str, bool, type(None), NumpyInt})
#: A conversion whose width or precision could make a huge string (``"%99999d"``, ``"%*d"``).
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\*|\d{4})|%[^%]*\.(?:\*|\d{4})")


#: ``keras.backend.backend()``: the name of the backend Keras runs on, which the analysis does not know.
_BACKEND_NAME = frozenset({"keras.backend.backend", "keras.config.backend"})
#: The backends Keras 3 imports (keras/src/backend/__init__.py raises "Unable to import backend" for any other).
_KERAS3_BACKENDS = frozenset({"tensorflow", "jax", "torch", "numpy", "openvino"})


def _not_a_backend(a: Any, b: Any, op: str) -> bool:
    """Whether a comparison of ``keras.backend.backend()`` with a name (``==``/``!=``), or its membership in a
    tuple or list of names (``in``), compares it only with names that are no Keras 3 backend ("theano", "cntk"
    of Keras 2): the name is not known, but it is none of those."""
    if op in ("In", "NotIn"):
        names_ = b if isinstance(b, tuple) else tuple(b.items) if isinstance(b, ListValue) and b.tainted is None \
            else None
        backend = a
    else:
        backend, other = (a, b) if isinstance(a, External) else (b, a)
        names_ = (other,)
    return isinstance(backend, External) and backend.role == "backend" and names_ is not None and \
        all(type(n) is str and n not in _KERAS3_BACKENDS for n in names_)


def _version_order(op: str, a: Any, b: Any) -> Optional[bool]:
    """A comparison of a version string known only by its start with a string, where that start decides it
    (``"3.…" >= "2.0"``); None where it does not."""
    flip = isinstance(b, VersionHead)
    head, text = (b.head, a) if flip else (a.head, b)
    common = min(len(head), len(text))
    if head[:common] == text[:common]:
        if len(text) > len(head) or op not in ("Equal", "NotEqual", "GreaterThan", "GreaterThanEqual",
                                                  "LessThan", "LessThanEqual"):
            return None  # "3.1" against "3.…": the release decides
        sign = 1  # the version is longer than a string it starts with
    else:
        i = next(i for i in range(common) if head[i] != text[i])
        sign = 1 if head[i] > text[i] else -1
    if flip:
        sign = -sign  # the string is on the left
    return {"Equal": False, "NotEqual": True, "GreaterThan": sign > 0, "GreaterThanEqual": sign > 0,
            "LessThan": sign < 0, "LessThanEqual": sign < 0}.get(op)


#: Decorators that return the function they are given (``tf.function`` traces it when called, with the same
#: arguments), by path; and factories whose result does (``@tf.function(jit_compile=True)``,
#: ``@keras.saving.register_keras_serializable(package=...)``: the bare form of that one returns a decorator).
_TRANSPARENT_DECORATORS = frozenset({"tensorflow.function"})
_TRANSPARENT_FACTORIES = frozenset({"tensorflow.function", "functools.wraps", "keras.saving.register_keras_serializable",
                                    "keras.utils.register_keras_serializable"})
#: Decorators that cache the function's results (a later call may return the first call's object).
_CACHING_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})


def _hashable_constant(v: Any) -> bool:
    """A constant a set may hold: an int, float, str, bool or None, or a tuple of them."""
    if isinstance(v, tuple):
        return all(_hashable_constant(x) for x in v)
    return isinstance(v, (int, float, str, bool, type(None)))


#: Comparisons a NumPy scalar answers with a NumPy bool.
_ORDERINGS = ("Equal", "NotEqual", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual")


def _numpy_comparison(op: str, a: Any, b: Any) -> Optional[NumpyBool]:
    """A comparison of a NumPy scalar with a number: NumPy's answer is a NumPy bool (``np.prod(s) > 3`` is
    ``np.True_``, which ``is True`` is not); None when not decided (a symbol; a tuple, which NumPy compares item by
    item into an array; a string)."""
    x, y = (v.value if isinstance(v, NumpyBool) else v for v in (a, b))
    if not all(isinstance(v, (int, float)) and not isinstance(v, Expr) for v in (x, y)):
        return None
    return NumpyBool({"Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt,
                      "LessThanEqual": operator.le, "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge}[op](
                          x, y))


#: A reason that names a call and says nothing more (``type(...)`` is not known).
_GENERIC_CALL = re.compile(r"`[\w.]+\(\.\.\.\)` is not known")
#: The characters of a string constant CPython interns when it compiles code (``all_name_chars``).
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _plain_constant(v: Any) -> bool:
    """An int, str or float of Python's own type (not a NumPy scalar, not nan), compared by ``is``."""
    return type(v) in (int, str) or type(v) is float and v == v


def _num_pair(a: Any, b: Any) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float))


def _imported_source(made: Any) -> Optional[str]:
    """For an object made by calling a name imported from outside the project (``efn.EfficientNetB0(...)``): where
    what is read from it comes from, in words; else None."""
    if isinstance(made, OpaqueCallable):
        reason, head = made.reason, f"`{made.text}` "
        if reason.startswith(head) and reason.startswith(_SOURCE_WORDS, len(head)):
            return f"what `{made.text}(...)` returns: {reason}"
    return None


#: How the reason of an OpaqueCallable goes on after its name when it says where the callable comes from.
_SOURCE_WORDS = ("is imported from ", "is read from `", "makes a Gym environment", "is from KerasHub",
                 "loads a TensorFlow Hub model")
