"""What the parts of the Python evaluator share: scopes, control-flow signals and small helpers.

:class:`Scope` holds a function's or module's names (with the :class:`Journal` that undoes an undecided
branch's writes); the ``_Signal`` exceptions carry ``return``/``break``/``continue``/``raise`` through the
evaluator. The evaluator is split by concern into mixins of
:class:`~kerascount.extract.interpreter.Interpreter`: ``statements``, ``imports``, ``control``, ``flags``,
``expressions`` and ``calls``; the Keras graph builder's parts are ``keras_calls``, ``classes``, ``ops_calls``,
``live`` and the modules they use. The evaluator's mixins do not import one another: what two of them need
lives here.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

import ast

from ..nodes import children as ast_children
from ..ir import Unknown
from ..symbolic import Expr, NumpyExpr, symbol_names
from . import names
from .collect import _per_node, function_locals
from .values import External, ModelChoice, WholeChoice, KerasRef, ModelBuilder, OpaqueCallable


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
    """The analysed code raises on this path; ``name``: the class raised as written (``ValueError``), if known;
    ``why``: in words, where the analysis knows why (Keras 3 dropped a method the code calls)."""

    def __init__(self, name: Optional[str] = None, why: str = "") -> None:
        self.name = name
        self.why = why


class _Stop(_Raise):
    """The analysed code raises for certain where nothing catches it (no ``try`` with handlers around it, not in a
    run of a function nothing calls): the script stops there, also through the functions that called the code."""


class _Uncertain(_Signal):
    """Control flow (break/continue/return) under an unknown condition."""

    def __init__(self, reason: Unknown) -> None:
        self.reason = reason


#: Builtins that call what they are given (``map(f, xs)``) or look it up (``getattr``), so may run code of the file
#: that makes layers (classes.layers_made_by, builtin_calls: a call they make, not run).
CALLS_GIVEN = frozenset({"map", "filter", "getattr", "setattr", "super", "next", "iter"})
#: Builtins that call what they are given only as ``key=`` (``sorted(xs, key=make)``).
CALLS_KEY = frozenset({"sorted", "min", "max"})
_BUILTINS = {
    "range", "len", "int", "float", "min", "max", "abs", "round", "sum", "list", "tuple", "enumerate",
    "zip", "reversed", "sorted", "print", "str", "bool", "isinstance", "dict", "any", "all", "divmod", "setattr",
    "pow", "map", "filter", "set", "getattr", "hasattr", "type", "super", "iter", "next", "repr", "format", "id",
    "open", "vars", "locals", "globals", "input", "callable", "issubclass", "object", "slice", "exec", "eval",
    "chr", "ord", "frozenset",
}
_MISSING = object()
#: Names of functions outside the analysed code that may set a model's trainable flags.
_SETS_TRAINABLE = re.compile(r"freez|trainable|fine_?tun", re.IGNORECASE)
#: Names of functions outside the analysed code that may add layers to a Sequential given to them.
_MAY_GROW = ("add", "append", "extend", "insert", "pop", "build", "attach", "stack", "push", "grow", "make",
             "create", "construct", "conv", "dense", "block")


def _may_grow(name: str) -> bool:
    """Does a function name say it may add layers (``add_conv_block``, ``buildModel``)? By its words."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    return any(w.lower().startswith(_MAY_GROW) for w in words)


class Unbound(Unknown):
    """What a function's local name holds before the function assigns it: reading it raises UnboundLocalError in
    Python (a global or outer name of the same name is not what is read). An unknown to any code that keeps it."""


def module_names(module: Any) -> frozenset:
    """The names a module's own code binds at its top level (as a function's locals are found; cached per node)."""
    return _per_node("module_names", module, lambda m: frozenset(function_locals(m)))


class Deleted(Unbound):
    """What a module's or class body's name holds after ``del name``: reading it raises NameError."""


def unbound_locals(fn: Any) -> Dict[str, "Unbound"]:
    """The names ``fn`` (a function's ``def``) makes local, other than its parameters, each bound to an
    :class:`Unbound` (the same objects at each call; cached per node)."""
    def make(node: Any) -> Dict[str, Unbound]:
        return {name: Unbound(f"`{name}` is read before `{node.name}` assigns it (Python raises UnboundLocalError: "
                              f"a name the function assigns anywhere is its own, not the outer one)")
                for name in function_locals(node)}

    return _per_node("unbound_locals", fn, make)


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


class ClassBodyScope(Scope):
    """The scope a ``class`` body runs in. Its names are not seen by the functions, lambdas and comprehensions
    defined in it (Python looks them up in the scope around the class), only by the body itself."""

    __slots__ = ()


def outside_class(scope: Scope) -> Scope:
    """The scope a function, lambda or comprehension made in ``scope`` reads its free names from."""
    while type(scope) is ClassBodyScope and scope.parent is not None:
        scope = scope.parent
    return scope



#: ``ast`` operators by the names the analysis gives them (libcst's: ``catalogue/ops.py`` reads them too).
_OPERATORS: Dict[type, str] = {getattr(ast, a): b for a, b in (
    ("Add", "Add"), ("Sub", "Subtract"), ("Mult", "Multiply"), ("Div", "Divide"), ("FloorDiv", "FloorDivide"),
    ("Mod", "Modulo"), ("Pow", "Power"), ("LShift", "LeftShift"), ("RShift", "RightShift"), ("BitOr", "BitOr"),
    ("BitXor", "BitXor"), ("BitAnd", "BitAnd"), ("MatMult", "MatrixMultiply"), ("UAdd", "Plus"), ("USub", "Minus"),
    ("Not", "Not"), ("Invert", "BitInvert"), ("Eq", "Equal"), ("NotEq", "NotEqual"), ("Lt", "LessThan"),
    ("LtE", "LessThanEqual"), ("Gt", "GreaterThan"), ("GtE", "GreaterThanEqual"), ("Is", "Is"), ("IsNot", "IsNot"),
    ("In", "In"), ("NotIn", "NotIn"))}



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
        each = tuple(values) if since is not None and all(type(v) is ModelBuilder or _loaded(v) for v in values) and \
            len({id(v) for v in values}) == len(values) else ()
        return ModelChoice(reason.reason, reason.span, tuple(o for o in models if id(o) in fresh),
                           tuple(o for o in models if id(o) not in fresh), each, since or 0)
    return reason


def _loaded(value: Any) -> bool:
    """A model made by code outside the analysed files from a file or a saved description (``load_model(path)``, an
    External of role "foreign"): its layers are none of the analysed code's, so a way that binds it is one of the
    ways a loop setting flags may run on (it changes none there)."""
    return isinstance(value, External) and value.role == "foreign"


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
_STDLIB = frozenset(getattr(__import__("sys"), "stdlib_module_names", ())) or frozenset({
    "os", "sys", "math", "re", "json", "time", "random", "functools", "itertools", "collections", "typing",
    "dataclasses", "argparse", "pathlib", "logging", "warnings", "copy", "pickle", "shutil", "glob", "io",
    "datetime", "importlib", "platform", "subprocess", "string", "csv", "abc", "enum", "inspect", "types",
})

#: Values a process is given (``ref`` makes them symbols): where each comes from, in words.
_PROCESS_INPUTS = {"sys.argv": "a command-line argument in sys.argv", "os.environ": "an environment variable"}


def _parse(text: str, mode: str = "exec") -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, mode=mode)


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
            todo.extend(ast_children(n))
    return False


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
