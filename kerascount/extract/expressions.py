"""Expressions: names, attributes, subscripts, operators, comparisons, comprehensions and truth values.

Each ``eval_<Node>`` method evaluates one kind of expression of CPython's ``ast`` to a value of
``extract/values.py`` (a Python constant, a symbol, a tensor with its shape, a layer, a model …) or to an
:class:`~kerascount.ir.Unknown` with its reason. ``bind`` (in ``statements``) is its counterpart for targets.
"""

from __future__ import annotations

import math
import operator
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import ast

from ..ir import (DynamicSize, FloatSymbol, KerasRaises, Note, NumpyBool, NumpyFloat, NumpyInt, NumpyInt32, ShapeSize,
                  Unknown)
from ..symbolic import Expr, NumpyExpr, TooComplex, floordiv, multiple, symbol_names
from .. import catalogue
from ..catalogue.errors import ShapeError, Unresolved
from ..nodes import walk as ast_walk
from . import arrays, frames, live, names, plain, sources
from .builtin_calls import KERAS_TYPE, LayerClass, _python_type
from .classes import _NOT_FOUND as _CLASS_LACKS
from .collect import parameter_defaults
from .ops_calls import TENSOR_COMPARISONS
from .positions import is_concatenation, fstring_parts
from .values import (ArrayNumber, ModelChoice, WholeChoice, same as _same, ModuleRef, ArrayValue, BoundMethod, Builtin,
    DictView, GeneratorValue, OneShot, VersionHead, ClassValue, DictValue, External, ExternalRef, Function, KerasRef, LambdaValue,
    LayerObj, ListValue, VersionObject, ModelBuilder, OpaqueCallable, Partial, RangeValue, SetValue, SuperRef, Tensor,
    ValuedArray, bind_method, plain_model_attribute, set_member, structure_dict, unfolds_beyond, SET_ORDER)
from .scopes import (Deleted, GlobalsRef, Scope, Unbound, module_names, outside_class, _ABSENT, _BUILTINS, _MISSING,
    _OPERATORS, _Operand, _Raise, _choice, _imported_source)
from . import imports


#: The longest array whose rows a `for` loop over it is run on, one by one (a longer one is not followed).
_ARRAY_ROWS = 64
#: The key ``subscript_unknown`` is given for a slice (``x[1:]``).
_SLICE = object()
#: Once a file has given up this many steps on loops and comprehensions that built nothing (data
#: generation, training, episodes of a game), later ones are widened after ``_WIDEN_STEPS_LATE`` steps:
#: a notebook with many such loops is not run for ``_WIDEN_STEPS`` steps each.
_WIDEN_BUDGET = 60_000
_WIDEN_STEPS_LATE = 10_000
#: Values that are never None (``x is None`` is decided); anything else (a symbol, an unknown, the result
#: of a call the analysis does not follow, a module attribute) may be.
_NEVER_NONE = (int, float, str, bool, NumpyBool, tuple, ListValue, DictValue, SetValue, RangeValue, LayerObj, Tensor, ModelBuilder,
               Function, LambdaValue, ClassValue, KerasRef, ModuleRef, ArrayValue, BoundMethod, Builtin, Partial,
               plain.PlainObject)  # (an instance the analysis made: a class whose __new__ runs is not followed)
#: Integers beyond this many bits are not followed (no Keras dimension is that large).
MAX_INT_BITS = 256


def _per_item_parts(e: Any) -> List[Any]:
    """The parts of comprehension ``e`` that run for each item: its element (a dict's key and value), its
    targets and filters, and the iterables of its clauses after the first."""
    parts: List[Any] = [e.key, e.value] if isinstance(e, ast.DictComp) else [e.elt]
    for i, clause in enumerate(e.generators):
        parts += [clause.target, *([clause.iter] if i else []), *clause.ifs]
    return parts


def _star_binds(path: str, name: str) -> bool:
    """Whether ``from <module> import *`` of a Keras module binds ``name`` (``path`` is ``<module>.<name>``).
    ``names.classify`` reads any name under keras.callbacks, keras.utils, keras.optimizers... as of that module;
    such a module defines no Python builtin (``len``), no class of keras.layers or keras.models (``Dense``,
    ``Sequential``) and, but for keras.backend and keras.ops, no layer function (``concatenate``): a star import
    of keras.callbacks leaves ``len`` the builtin and ``Dense`` what another import (``from keras.layers import
    *``) made it. A star import of a keras.applications module binds only its applications."""
    kind = names.classify(path)[0]
    if kind == "other":
        return False
    if kind in ("sequential", "model") and path.rsplit(".", 1)[0] == "keras.layers":
        return False  # (keras.layers has Input, but not Sequential nor Model: keras.models has those)
    if kind == "application":
        # ``names.classify`` reads any capitalised name under keras.applications as an application; a star
        # import of keras.applications.vgg16 binds only what that module exports (VGG16, not Input nor Conv2D:
        # ``from keras.layers import *`` before it still makes those)
        from ..catalogue import applications  # (imported when a file has applications: start-up stays short)
        return applications.lookup(path) is not None
    if kind == "module":
        if name in catalogue.LAYER_FUNCTIONS:
            return path.split(".")[1] in ("backend", "ops")
        return name not in _BUILTINS and catalogue.lookup(name) is None and name not in ("Sequential", "Model", "Input")
    if kind == "layer" and name.isupper() and catalogue.lookup(name) is None:
        # ``names.classify`` reads any capitalised name under keras.layers as a layer class, but a star import
        # binds no constant-like name (``INPUT_SHAPE``, ``IMG_SIZE``): keras.layers's only upper-case names are
        # layers the catalogue knows (LSTM, GRU, RNN, ELU). Such a name is the program's, defined where the
        # analysis does not see it (another notebook cell, a module not analysed).
        return False
    return True


class _ComprehensionScope(Scope):
    """The scope of a comprehension's loop variables (an assignment expression in it binds outside)."""

    __slots__ = ()


NO_SHORT_CIRCUIT = object()
NOT_KEPT = object()


class _Decided(Exception):
    """Raised from a comprehension's items when ``any``, ``all`` or ``next`` has its answer (Interpreter.short_circuit)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class _Undecided:
    """An item whose truth is not known, for ``any``/``all``."""

    def __init__(self, value: Any) -> None:
        self.value = value


#: Builtins whose result is an iterator (read once, when iterated): ``pairs = zip(a, b)`` keeps one.
_KEPT_ITERATORS = frozenset({"zip", "map", "filter", "reversed", "iter", "enumerate"})
#: Functions of ``itertools`` whose result is kept as an iterator too (``grid = itertools.product(a, b)``).
_KEPT_ITERTOOLS = frozenset({"itertools.chain", "itertools.product"})
#: Builtins that read every item of what they are given before they return.
_CONSUMES_ALL = frozenset({"list", "tuple", "set", "frozenset", "sorted", "sum", "min", "max", "dict"})
#: Builtins that take a generator's items one at a time as they go (a generator given to any other builtin is read as
#: the generator object it is: `len` and `reversed` raise on it, `bool` is true, `str` is its repr).
_ITERATES = frozenset({"zip", "map", "filter", "enumerate", "iter"})
#: Builtins a generator expression's items may call without changing anything (not ``map``/``filter``, which call
#: what they are given).
_GENEXP_PURE = frozenset({"len", "int", "float", "str", "bool", "abs", "round", "min", "max", "sum", "range", "tuple",
                          "list", "dict", "set", "frozenset", "isinstance", "enumerate", "zip", "sorted", "reversed",
                          "divmod", "pow", "chr", "ord", "repr", "type", "hasattr", "getattr", "any", "all", "format",
                          "hash", "id", "callable"})
#: Methods that change the object they are called on.
_MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "add",
                       "discard", "sort", "reverse", "popitem", "send", "write", "add_weight", "build", "compile",
                       "fit", "set_weights"})


def _genexp_parts(e: ast.GeneratorExp) -> List[ast.AST]:
    """What a generator expression computes item by item: its element, filters and inner iterables."""
    parts: List[ast.AST] = [e.elt]
    for i, clause in enumerate(e.generators):
        parts += clause.ifs
        if i:
            parts.append(clause.iter)
    return parts


#: The methods of a model that run on each way's model when it is one of undecided ways' (a ModelChoice).
_BUILDS_A_CHOICE = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
                              "fit_generator", "evaluate_generator", "predict_generator", "build"})

#: ``f"{x=}"``: Python's self-documenting expressions (not followed).
_SELF_DOCUMENTING = re.compile(r"[^=!<>]=\s*[!:}]")

#: Keras's lookup layers, whose ``vocabulary_size()`` is the size of the vocabulary they were given or learned.
_VOCABULARY_LAYERS = frozenset({"TextVectorization", "StringLookup", "IntegerLookup"})


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


def _why(reasons: List[Unknown]) -> str:
    """`` (<reason>)`` of the first of ``reasons``, or nothing."""
    return f" ({reasons[0].reason})" if reasons else ""


#: Values ``"..." % value`` formats as Python does (a NumpyInt is printed as the int it is).
_FORMATTABLE = frozenset({int, float, str, bool, type(None), NumpyInt, NumpyInt32})
#: A conversion whose width or precision could make a huge string (``"%99999d"``, ``"%*d"``).
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\*|\d{4})|%[^%]*\.(?:\*|\d{4})")
#: Operators Python has for no two lists (``[a] - [b]`` raises TypeError), with the symbol it names in its message.
_NO_LIST_OPERATOR = {"Subtract": "-", "Divide": "/", "FloorDivide": "//", "Power": "**", "MatMult": "@"}
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


def _version_object_order(op: str, a: VersionObject, b: VersionObject) -> Optional[bool]:
    """Two version objects of one kind (``StrictVersion(keras.__version__) < StrictVersion("2.2.0")``): decided
    where their known release numbers differ, or where both are whole and the same; None otherwise (Keras 3
    against "3.1": the release decides; "2.2" against "2.2.0": the kinds order them differently)."""
    if a.kind != b.kind:
        return None  # (Python raises TypeError)
    sign = next((1 if x > y else -1 for x, y in zip(a.release, b.release) if x != y), None)
    if sign is None:
        if not (a.whole and b.whole and a.release == b.release):
            return None
        sign = 0
    return {"Equal": sign == 0, "NotEqual": sign != 0, "GreaterThan": sign > 0, "GreaterThanEqual": sign >= 0,
            "LessThan": sign < 0, "LessThanEqual": sign <= 0}.get(op)


#: Methods of a NumPy scalar that give a number again (of another dtype): an ArrayNumber stays one.
_NUMBER_METHODS = frozenset(("astype", "item", "round", "squeeze", "copy"))

#: Attributes of a function of the analysed code that Python sets when it is defined, which `attribute` gives.
_FUNCTION_NAMES = frozenset(("__name__", "__module__"))


#: The operators of Python's sets.
_SET_OPERATORS = {"BitOr": operator.or_, "BitAnd": operator.and_, "Subtract": operator.sub, "BitXor": operator.xor}


def _set_comparison(op: str, a: Any, b: Any) -> Optional[bool]:
    """``x in s``, ``s == t``, ``s <= t``... of a set the analysis follows, as Python computes them; None when not
    decided (an operand not known, or one Python's comparison raises on)."""
    if op in ("In", "NotIn"):
        if type(b) is not SetValue or b.tainted is not None or not set_member(a):
            return None  # (`[1] in s` raises TypeError: a list is unhashable)
        return (a in b.items) == (op == "In")
    if type(a) is SetValue and type(b) is SetValue:
        if a.tainted is not None or b.tainted is not None:
            return None
        return {"Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt, "LessThanEqual": operator.le,
                "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge}.get(op, lambda x, y: None)(a.items, b.items)
    other = b if type(a) is SetValue else a
    if op in ("Equal", "NotEqual") and (type(other) in (int, float, str, bool, tuple, type(None)) or
                                        type(other) in (ListValue, DictValue)):
        return op == "NotEqual"  # a set equals only a set or a frozenset
    return None


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


#: The characters of a string constant CPython interns when it compiles code (``all_name_chars``).
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


#: The ints CPython makes once and shares (every int it makes in this range, literal or computed, is that object),
#: so ``is`` of two equal ones is True; equal ints outside it may be two objects (not decided).
_SMALL_INTS = (-5, 256)


def _plain_constant(v: Any) -> bool:
    """An int, str or float of Python's own type (not a NumPy scalar, not nan), compared by ``is``."""
    return type(v) in (int, str) or type(v) is float and v == v


def _num_pair(a: Any, b: Any) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float))


class Expressions:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: expressions."""

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
        text = self.formatted(e.values, scope) if self.simple_fstring(e) else self.format_rest(e.values, 0, scope)
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
        for i, part in enumerate(parts):
            if isinstance(part, ast.Constant):
                out.append(part.value)
                continue
            if not isinstance(part, ast.FormattedValue):
                return self.format_rest(parts, i, scope)
            value = self.eval(part.value, scope)
            if not isinstance(value, (str, int, float, bool, type(None))):
                return self.format_rest(parts, i + 1, scope, part.format_spec)
            spec = self.formatted(part.format_spec.values, scope) if part.format_spec else ""
            if spec is None or any(len(digits) > 3 for digits in re.findall(r"\d+", spec)):
                return self.format_rest(parts, i + 1, scope)  # (a width of 10**9 would make a gigabyte string)
            value = {ord("r"): repr, ord("s"): str, ord("a"): ascii}.get(part.conversion, lambda v: v)(value)
            try:
                out.append(format(value, spec))
            except (ValueError, TypeError):
                return self.format_rest(parts, i + 1, scope)
            if sum(map(len, out)) > self.limits.sequence_length:
                return self.format_rest(parts, i + 1, scope)  # (f"{x}{x}" in a loop doubles)
        return "".join(out)

    def format_rest(self, parts: Sequence[Any], start: int, scope: Scope, spec: Any = None) -> None:
        """None, once the values of an f-string's parts from ``start`` on (and ``spec``, the format spec of the part
        before) are evaluated, as Python evaluates them all (the layers they make use up names)."""
        for part in [*(spec.values if spec is not None else ()), *parts[start:]]:
            if isinstance(part, ast.FormattedValue):
                self.eval(part.value, scope)
                if part.format_spec is not None:
                    self.format_rest(part.format_spec.values, 0, scope)
        return None

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
            if self.guarded and getattr(value, "unbound_way", False):
                self.guarded_unknowns += 1  # (a way left it unassigned: reading it may raise NameError)
            if isinstance(value, (LayerObj, Tensor, ModelBuilder)):
                self.touches += 1
            elif type(value) is Unbound or type(value) is Deleted:
                return self.python_error("UnboundLocalError" if type(value) is Unbound else "NameError", value.reason, e)
            return value
        stars = self.star_imports if scope.module is self.main_scope else \
            self.module_stars.get(id(scope.module), self.star_imports)  # (those of the module defining the function)
        for module in reversed(stars):  # (the last star import that binds the name is what it is)
            candidate = KerasRef(f"{module}.{name}")
            if _star_binds(candidate.path, name):
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
            if name == "keras" and isinstance(self.ref("keras"), KerasRef):
                # `keras.layers.concatenate(...)` in a snippet that imports only `from keras.layers import ...` (the
                # Keras guide's shared-layer and VQA examples): read as the package, as the names above
                if name not in self.unimported:
                    self.unimported[name] = self.span(e)
                    self.notes.append(Note("KC904", "`keras` is used but not imported: read as the Keras package "
                                           "(the file imports from Keras)", self.span(e)))
                return KerasRef("keras", origin="keras")
        if self.guarded and not self.foreign_star and scope.module is self.main_scope and \
                name in module_names(self.module):
            # (the file assigns it, later: Python raises NameError here, and a handler around it runs)
            return self.python_error("NameError", f"`{name}` is read before the file assigns it", e)
        return self.made_symbol(name, "a name the analysed code does not define", e)

    def eval_Attribute(self, e: ast.Attribute, scope: Scope) -> Any:
        base = self.eval(e.value, scope)
        if e.attr == "build" and self.graph.building is not None and not isinstance(base, SuperRef) and \
                base is not self.graph.building:
            return self.sublayer_build_method(base, e)  # `self.proj.build(shape)` in a custom layer's build
        return self.attribute(base, e.attr, e)

    def attribute(self, base: Any, attr: str, e: ast.AST) -> Any:
        if type(base) is ArrayNumber and attr in _NUMBER_METHODS:
            # `x_train.mean().astype(np.float32)`: still one number whose value is not known
            return BoundMethod(base, attr)
        if isinstance(base, ModelChoice):
            # `fit`, `predict`... and `build` run on each way's model (see ``call``); nothing else is followed
            return BoundMethod(base, attr) if attr in _BUILDS_A_CHOICE else Unknown(base.reason, base.span)
        if isinstance(base, KerasRef) and base.origin == "keras" and attr == "__version__":
            return VersionHead("3.")
        if isinstance(base, VersionHead):
            return BoundMethod(base, attr)
        if isinstance(base, KerasRef):
            if (self.guarded or self.undecided) and imports.keras3_lacks(base.path, attr):
                # `tf.keras.layers.CuDNNGRU` read in a branch of an undecided condition (`if
                # tf.test.is_gpu_available():`, TensorFlow's text generation tutorial) or under a `try`: Keras 3's
                # keras.layers has no such layer, so reading it raises AttributeError and that way builds nothing under
                # Keras 3, as the import of such a name there (imports.py); the other ways decide
                raise _Raise("AttributeError")
            return self.known_helper(f"{base.path}.{attr}") or KerasRef(f"{base.path}.{attr}")
        if isinstance(base, ExternalRef):
            held = self.external_attrs.get(f"{base.path}.{attr}", _MISSING) if self.external_attrs else _MISSING
            return self.ref(f"{base.path}.{attr}", self.code(e), e) if held is _MISSING else held
        if isinstance(base, ModuleRef) and attr == "__dict__":
            return GlobalsRef(base.scope)
        if isinstance(base, ModuleRef):
            value = base.scope.get(attr)
            return self.made_symbol(self.code(e), f"not defined in module `{base.name}` where the analysis sees it",
                                    e) if value is _MISSING else value
        if isinstance(base, Function) and not base.decorated and attr in _FUNCTION_NAMES:
            # `block_fn.__name__`, `block_fn.__module__`: its name, and the `__name__` of the module defining it
            value = base.node.name if attr == "__name__" else base.scope.module.get("__name__")
            if isinstance(value, str):
                return value
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
            if isinstance(member, Function) and member.kind == "property":
                return self.unknown(f"`{self.code(e)}` is a property object, which is not followed", e)
            if isinstance(member, Function):  # Net.build(...): a static or class method, or the plain function
                return bind_method(member, base, base)
            if member is not _CLASS_LACKS and not isinstance(member, Unknown):
                return member  # a class attribute (`Bottleneck.expansion`), as its instances read it
            if member is _CLASS_LACKS and attr == "from_config":
                return self.keras_from_config(base, e)
        if isinstance(base, LayerObj) and attr == "__class__":
            cls = self.layer_class(base)
            if cls is not None:
                return cls
        if isinstance(base, LayerClass) and attr == "__name__":
            # `layer.__class__.__name__`, `type(layer).__name__`: the class's own name, the one its summary row shows
            # (an alias names the class: `MaxPool2D(...)` is a MaxPooling2D)
            return base.name
        if isinstance(base, LayerObj) and attr == "name":
            named = self.layer_name(base)
            if named is not None:
                return named
        if isinstance(base, LayerObj) and attr == "compute_output_shape" and self.graph.building is not None:
            return BoundMethod(base, attr)  # `self.conv.compute_output_shape(shape)` in a custom layer's build
        if isinstance(base, LayerObj) and attr == "quantize":
            # Keras replaces the layer's weights (BuiltinCalls: graph.set_layer_quantized)
            return BoundMethod(base, attr)
        if isinstance(base, LayerObj) and attr == "set_weights":
            return BoundMethod(base, attr)  # Keras raises on a layer it has not built (BuiltinCalls.set_weights_unbuilt)
        if isinstance(base, LayerObj) and attr == "build" and self.graph.layer(base.uid).submodel is None:
            # `self.pre.build((None, 2))` in a model's __init__, `dense.build(shape)` at the top: Keras makes its
            # weights then, as in a custom layer's build (ClassCalls.sublayer_build), whether or not it is called later
            return BoundMethod(base, attr)
        if isinstance(base, LayerObj) and attr == "adapt" and self.graph.layer(base.uid).type == "Normalization":
            return BoundMethod(base, attr)  # Keras builds it there (BuiltinCalls.normalization_adapt)
        if isinstance(base, LayerObj) and attr == "layer" and self.graph.layer(base.uid).type == "TimeDistributed":
            # Keras's Wrapper keeps the very object it wraps: `td.layer` is that layer, or the model it wraps
            held = self.graph.held_uids(self.graph.layer(base.uid))
            if len(held) == 1:
                return self.graph.layer_value(held[0])
        if isinstance(base, LayerObj) and attr == "vocabulary_size" and \
                self.graph.layer(base.uid).type in _VOCABULARY_LAYERS:
            return BoundMethod(base, attr)  # (BuiltinCalls.vocabulary_size)
        if isinstance(base, LayerObj) and attr in catalogue.ATTRIBUTE_NAMES:
            value = self.kept_argument(base, attr, e)
            if value is not _MISSING:
                return value
        if isinstance(base, (Tensor, tuple, LayerObj, ModelBuilder)):
            value = self.shape_attribute(base, attr, e)
            if value is not live.NOT_MINE:
                return value
        if isinstance(base, ModelBuilder) and base.cls is not None and base.cls.sequential:
            own = self.sequential_subclass_attribute(base, attr)
            if own is not None:
                return own  # (else Keras's own, as for any Sequential)
        if isinstance(base, ModelBuilder) and base.kind == "subclassed":
            if attr == "from_config" and base.cls is not None and attr not in base.attrs and \
                    self.member(base.cls, attr) is _CLASS_LACKS:
                return self.keras_from_config(base.cls, e)  # (`model.from_config(cfg)`: the classmethod, as Net's)
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
                if attr == "output" and base.outputs_nested:
                    # (`model.outputs` is the flat list; `model.output` the nested lists it was given, not followed)
                    return self.unknown(f"`{self.code(e)}`: the model's outputs were given in nested lists, whose "
                                        "structure `output` gives back; that structure is not followed", e)
                keys = base.outputs_dict if attr == "output" else base.inputs_dict if attr == "input" else None
                if keys is not None and len(keys) == len(refs):
                    return structure_dict(keys, [Tensor(r) for r in refs])  # Model(x, {"a": a, ...}).output
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
            if base.kind in ("functional", "sequential") and base.cls is None and base.unresolved is None and \
                    attr in base.attrs and \
                    (isinstance(base.attrs[attr], Unknown) or plain_model_attribute(base.attrs[attr])):
                return base.attrs[attr]  # a plain attribute the code set on the model (statements.py)
            return BoundMethod(base, attr)
        if isinstance(base, ListValue) and attr in ("shape", "dtype", "ndim") and isinstance(e, ast.Attribute):
            # `model.output.shape` of Model(x, [y]): Keras 3 gives the outputs as the list they were given
            # (Python raises AttributeError); unknown, saying why
            held = self.code(e.value)
            hint = " (Keras 3's `Model.output` is the list of outputs the model was given)" \
                if held.endswith(".output") else ""
            return self.unknown(f"`{held}` is a list, which has no attribute `{attr}`{hint}", e)
        if isinstance(base, (ListValue, DictValue, str, GlobalsRef, SetValue)):
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
        if type(base) is int and attr == "value" and isinstance(e, ast.Attribute):
            # `inputs.shape[-1].value` (DeepLabV3+ ports of TensorFlow 1, whose shapes held Dimension objects): a
            # size of a Keras 3 shape is an int
            held = self.code(e.value)
            return self.python_error("AttributeError", f"`{self.code(e)}`: `{held}` is the int {base}, which has no "
                                     "`value` (TensorFlow 1's Dimension had it; Keras 3's shapes hold ints): Python "
                                     f"raises AttributeError; read `{held}`", e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def kept_argument(self, base: LayerObj, attr: str, e: ast.AST) -> Any:
        """``dense.units``, ``conv.kernel_size``: an argument Keras keeps as an attribute of the layer
        (``catalogue.kept_argument``), as its constructor was given it or as set since (statements.py); _MISSING for
        another attribute."""
        try:
            kept, value = catalogue.kept_argument(self.graph.layer(base.uid), attr)
        except Unresolved as exc:
            return self.unknown(f"`{self.code(e)}` is not known ({exc.reason})", e)
        except ShapeError as exc:
            return self.unknown(f"`{self.code(e)}` is not known: Keras rejects the layer's arguments ({exc})", e)
        return value if kept else _MISSING

    def keras_from_config(self, cls: ClassValue, e: ast.AST) -> Any:
        """``Net.from_config`` of a model or layer class of the file that does not define it: Keras's, which makes
        an instance (``cls(**config)``, or a functional model revived from the config), not followed. Its
        ``__init__`` makes layers then, its ``build`` and ``call`` when it is called: the automatic names of the
        classes they make (and of the class itself) are not known from here on (none at all when they call
        what the analysis cannot name)."""
        self.graph.uncertain_names.add(catalogue.snake_case(cls.name))
        self.names_methods_may_use(cls, ("__init__", "build", "call"))
        return self.unknown(f"`{self.code(e)}`: Keras's `from_config` makes an instance from a config, which is not "
                            "followed", e)

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
        why: List[Unknown] = []
        items = self.elements(e.elts, scope, why)  # (what its items make, layers and their names, is made)
        if items is None:
            return self.unknown(f"a set with unknown items{_why(why)}", e)
        return self.set_of(items, e)

    def eval_SetComp(self, e: ast.SetComp, scope: Scope) -> Any:
        items = self.comprehension(e.generators, lambda s: [self.eval(e.elt, s)], scope, e)
        return items if isinstance(items, Unknown) else self.set_of(items, e)

    def set_operator(self, op: str, a: Any, b: Any, e: ast.AST) -> Any:
        """``s | t``, ``s & t``, ``s - t``, ``s ^ t`` of two sets (a set or a frozenset each): Python's own set,
        of the type of the left one; any other operator, or an operand that is no set, raises TypeError."""
        if type(a) is SetValue and type(b) is SetValue:
            if a.tainted is not None or b.tainted is not None:
                return self.unknown(f"`{self.code(e)}` is not known ({(a.tainted or b.tainted).reason})", e)
            made = _SET_OPERATORS.get(op)
            if made is not None:
                return SetValue(made(a.items, b.items))
        kinds = [v.kind if type(v) is SetValue else _python_type(v) for v in (a, b)]
        if None in kinds:
            return self.unknown(f"`{self.code(e)}` is not known", e)
        return self.python_error("TypeError", f"`{self.code(e)}`: Python has no such operation on a {kinds[0]} and "
                                              f"a {kinds[1]} (it raises TypeError)", e)

    def set_of(self, items: List[Any], e: ast.AST) -> Any:
        """The set of ``items`` (in their order, as Python adds them), when each is a constant a set may hold."""
        odd = next((i for i in items if not set_member(i)), None)
        if odd is None:
            return SetValue(set(items))
        if isinstance(odd, (ListValue, DictValue, SetValue)) and odd.tainted is None:
            kind = "list" if isinstance(odd, ListValue) else "dict" if isinstance(odd, DictValue) else odd.kind
            if kind != "frozenset":
                return self.python_error("TypeError", f"a set cannot hold a {kind} (Python raises TypeError: "
                                                      f"unhashable type: '{kind}')", e)
        return self.unknown("a set of items the analysis does not follow (only numbers, strings and tuples of "
                            "them are)" if not isinstance(odd, Unknown) else
                            f"a set with unknown items ({odd.reason})", e)

    def elements(self, elements: Sequence[Any], scope: Scope, why: Optional[List[Unknown]] = None
                 ) -> Optional[List[Any]]:
        """The items of a list or tuple display, or None (``why`` gets the reason a ``*x`` in it is not known)."""
        out: List[Any] = []
        for i, el in enumerate(elements):
            starred = type(el) is ast.Starred
            value = self.genexp_now(el.value, scope) if starred and type(el.value) is ast.GeneratorExp else \
                self.eval(el.value if starred else el, scope)  # (`[*(f(x) for x in xs)]` takes every item now)
            if starred:
                items = self.iterate(value)
                if items is None:
                    if why is not None:
                        held = value.tainted if isinstance(value, (ListValue, DictValue, GeneratorValue)) else value
                        if isinstance(held, Unknown):
                            why.append(held)
                    for rest in elements[i + 1:]:  # (Python evaluates them all: the layers they make use up names)
                        self.eval(rest.value if type(rest) is ast.Starred else rest, scope)
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
        if self.container_owners and id(container) in self.container_owners:
            self.layer_appended(container)

    def eval_Dict(self, e: ast.Dict, scope: Scope) -> Any:
        out: Dict[Any, Any] = {}
        failed = None
        for key_node, value_node in zip(e.keys, e.values):
            if failed is not None:  # (Python evaluates them all: the layers they make use up names)
                if key_node is not None:
                    self.eval(key_node, scope)
                self.eval(value_node, scope)
            elif key_node is not None:
                key = self.eval(key_node, scope)
                value = self.eval(value_node, scope)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    failed = "a dict with unknown keys"
                out[key] = value
            else:
                value = self.eval(value_node, scope)
                if isinstance(value, DictValue) and value.tainted is None:
                    out.update(value.items)
                else:
                    failed = "a dict with unknown items"
        if failed is not None:
            return DictValue({}, self.unknown(failed, e))
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
        if isinstance(base, LayerObj):
            written = self.subscript_parts(e)[0]
            for part in written:  # (Python evaluates the index before it raises)
                if not isinstance(part, ast.Slice):
                    self.eval(part, scope)
            subscripted = self.layer_subscripted(base, written, e)
            if subscripted is not None:
                return subscripted
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
        if type(base) is OpaqueCallable and not base.fresh:
            # an item or slice of what code the analysis does not see made (`pickle.load(f)[:2000]`, whose
            # callee it cannot tell from a class): a value from that code, as an attribute of it is
            # (``external_attribute``): its `.shape` is data's
            text = self.code(e)
            return External(self.unseen(text, base), self.span(e), text, "", source=_imported_source(base))
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
        if seq is not None and type(key) is slice and all(p is None or type(p) is int for p in (
                key.start, key.stop, key.step)) and key.step != 0 and isinstance(base, (ListValue, tuple, str)):
            items = seq[key]  # (`xs[s]` with `s = slice(1, 3)`: as `xs[1:3]`)
            return tuple(items) if isinstance(base, tuple) else ListValue(list(items)) if isinstance(
                base, ListValue) else items
        if seq is not None and isinstance(base, (ListValue, tuple)) and isinstance(key, str):
            kind = "list" if isinstance(base, ListValue) else "tuple"
            return self.python_error("TypeError", f"{kind} indices must be integers or slices, not str", e)
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
        if op == "BitInvert" and type(v) is frames.Series:
            made = frames.invert(v)  # df[~(df["a"] > 0)]
            if made is not arrays.NOT_MINE:
                return made
        if type(v) is ArrayValue and op == "BitInvert" and v.tainted is None and v.boolean:
            return arrays.mask(ArrayValue(v.shape))  # ~(y == 0): the other rows' mask
        if isinstance(v, ArrayValue) and op in ("Minus", "Plus") and v.tainted is None:
            # -x of an array: its shape; the values of a short one the source fixes, negated (NumPy's, exactly)
            values = arrays.known_values(v)
            made = arrays.valued([-x if op == "Minus" else x for x in values], v.dtype) if values is not None else None
            return made if made is not None else ArrayValue(v.shape, ragged=v.ragged)
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
        if isinstance(operand, ShapeSize):
            return DynamicSize(operand.reason, operand.span)  # computed from the open size: no longer exactly it
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
        if isinstance(a, ArrayNumber) or isinstance(b, ArrayNumber):
            made = arrays.number_binop(op, a, b)  # (x - x.min()) / (x.max() - x.min()): x's shape
            if made is not None:
                return made
        if isinstance(a, Unknown):
            return self.operated(a, e)
        if isinstance(b, Unknown):
            return self.operated(b, e)
        if isinstance(a, int) and isinstance(b, int) and op in ("Multiply", "LeftShift", "Power") and \
                a.bit_length() + b.bit_length() > MAX_INT_BITS and op != "Power":
            return self.unknown(f"`{self.code(e)}` is a number too large to follow", e)
        if isinstance(a, sources.DataObject) or isinstance(b, sources.DataObject):
            made = frames.binop(op, a, b)  # (df - df.mean()) / df.std()
            if made is not arrays.NOT_MINE:
                return made
        if isinstance(a, ArrayValue) or isinstance(b, ArrayValue):
            if op in ("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"):
                return arrays.binop(self, a, b, e, op)
            if op in ("BitAnd", "BitOr", "BitXor") and all(isinstance(v, ArrayValue) for v in (a, b)):
                # (mask & mask: the broadcast shape, a mask again; values not followed)
                made = arrays.binop(self, a, b, e)
                return arrays.mask(made) if a.boolean and b.boolean else made
            return self.unknown(f"`{self.code(e)}` on arrays", e)
        if type(a) is SetValue or type(b) is SetValue:
            return self.set_operator(op, a, b, e)
        if isinstance(a, ListValue) and isinstance(b, ListValue) and op in _NO_LIST_OPERATOR:
            return self.list_operator_fails(op, a, b, e)
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
                    if op == "BitXor":
                        return a ^ b
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

    def list_operator_fails(self, op: str, a: ListValue, b: ListValue, e: ast.AST) -> Unknown:
        """``a - b`` of two Python lists: Python raises TypeError, whatever they hold. Lists of tensors are what
        Keras 3 gives for a model made with ``outputs=[x]`` (one tensor in a list, which tf.keras 2 unpacked): the
        siamese tutorials' ``L1Dist()(embedding(a), embedding(b))`` subtracts two such lists in its ``call``."""
        why = f"`{self.code(e)}` fails: Python has no `{_NO_LIST_OPERATOR[op]}` of two lists (TypeError)"
        if any(isinstance(item, Tensor) for v in (a, b) for item in v.items):
            why += (" of tensors; a Keras 3 model made with `outputs=[x]` returns a list, even of one tensor "
                    "(tf.keras 2 returned the tensor): make it with `outputs=x`, or take the list's item")
        return self.python_error("TypeError", why, e)

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
                if op in ("Divide", "FloorDivide") and isinstance(b, Expr) and \
                        not any(isinstance(v, NumpyExpr) for v in (a, b)):
                    # `S / S`, `2*S // S` (a shortcut's stride from two sizes of one symbol): a constant
                    k = multiple(a, b)
                    if k is not None:
                        return float(k) if op == "Divide" else k
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
            right = self.eval(comparator, scope)  # (`x in {"a", None}`: a set, SetValue)
            if (op in TENSOR_COMPARISONS or op == "Equal" and self.graph.tracing is not None) and \
                    (isinstance(left, Tensor) or isinstance(right, Tensor)):
                # One comparison makes a tensor; a chain would need its truth (Keras raises). `==` too where Keras
                # runs the code on the backend's tensors (a layer's `call`, a Lambda's function: elementwise
                # there), not on a functional model's KerasTensors, whose `==` compares the objects.
                if op == "Equal" and not isinstance(left, Tensor):
                    left, right = right, left  # (`1.0 == x` runs x.__eq__(1.0))
                return self.tensor_comparison(op, left, right, e) if len(e.ops) == 1 else \
                    self.unknown(f"`{self.code(e)}` is not known", e)
            if len(e.ops) == 1 and (type(left) is frames.Series or type(right) is frames.Series):
                made = frames.compare(op, left, right)  # df[df["price"] > 0]: a mask of the rows
                if made is not arrays.NOT_MINE:
                    return made
            if len(e.ops) == 1 and op in _ORDERINGS and (isinstance(left, ArrayValue) or isinstance(right, ArrayValue)):
                # `anchors > 1e-2` of an array: an array of bools, NumPy's broadcast of the operands' shapes (its
                # values are not followed)
                return arrays.mask(arrays.binop(self, left, right, e))
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
            if type(a) is int and type(b) is int and a == b and _SMALL_INTS[0] <= a <= _SMALL_INTS[1]:
                return op == "Is"  # `layers is 50` where layers=50: CPython keeps one object of each small int
            if type(a) is str and type(b) is str and a == b and self.interned_literal(a) and self.interned_literal(b):
                return op == "Is"  # top is 'classification', both written in the source: one interned object
            return None
        if isinstance(a, VersionObject) and isinstance(b, VersionObject):
            return _version_object_order(op, a, b)
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
        if type(a) is SetValue or type(b) is SetValue:
            return _set_comparison(op, a, b)
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
        writes = len(self.attr_writes)
        try:
            a = self.eval(e.body, scope)
            after_a, self.graph.name_counts = self.graph.name_counts, dict(names_before)
            b = self.eval(e.orelse, scope)
            self.graph.merge_names([after_a, self.graph.name_counts])  # each way uses up names of its own
        finally:
            self.undecided -= 1
            if not self.undecided:
                del self.attr_writes[writes:]  # (kept only for the undecided statements that hold this one)
        if _same(a, b):
            return a
        reason = self.rejected_before(test, e.test) or self.unknown(
            f"depends on the condition `{self.code(e.test)}` ({self.line_of(e, scope)})"
            f"{self.condition_cause(e.test, test)}", e)
        # (a model either way makes is reported without the caveat of a way not taken: not built by what follows)
        return a if self.merge_ways((a, b), layers_before, e, reason) else _choice((a, b), reason, layers_before)

    def eval_Lambda(self, e: ast.Lambda, scope: Scope) -> Any:
        defaults = {p.arg: self.eval(d, scope) for p, d in parameter_defaults(e.args)}
        return LambdaValue(e, outside_class(scope), defaults)  # (in a class body: the class's names are not seen)

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
        """A generator expression kept to be iterated later (``gen = (f(x) for x in xs)``, returned, put in a list).
        Python evaluates its first iterable now and its items when something iterates it, reading its names then
        (late binding) and running its calls then: its items are computed now only when nothing can tell the
        difference (no call that may change anything, no name but builtins and Keras's); else they are unknown."""
        if not self.genexp_effects(e, scope) and self.genexp_closed(e, scope):
            return self.genexp_now(e, scope)
        return self.genexp_later(e, scope, "a generator expression kept to be iterated later: its items are "
                                           "computed when it is iterated, with the values its names hold then")

    def genexp_now(self, e: ast.GeneratorExp, scope: Scope) -> Any:
        """Its items, computed at once (a tuple), or Unknown."""
        items = self.comprehension(e.generators, lambda s: [self.eval(e.elt, s)], scope, e)
        return tuple(items) if not isinstance(items, Unknown) else items

    def genexp_later(self, e: ast.GeneratorExp, scope: Scope, why: str) -> Unknown:
        """Its first iterable evaluated (Python does so at once), its items not: what they would change is forgotten."""
        iterable = self.eval(e.generators[0].iter, scope)
        return self.comprehension_not_run(e, scope, self.unknown(why, e), iterable)

    def genexp_argument(self, e: ast.GeneratorExp, scope: Scope, func: Any, starred: bool = False) -> Any:
        """A generator expression given to a call (``sum(x * 2 for x in xs)``): the callee iterates it at once. A
        builtin that reads every item before it returns (``list``, ``sum``, ``sorted``, ``"".join``, ``*``-unpacking)
        gives what computing them now gives; another callee (``zip``, a function of the file) may interleave its own
        work with the items or keep the generator, so its items are computed now only when they change nothing (and,
        for the file's own functions, read nothing but builtins and Keras's names)."""
        if starred or isinstance(func, Builtin) and func.name in _CONSUMES_ALL or \
                isinstance(func, ExternalRef) and func.path == "collections.OrderedDict" or \
                isinstance(func, BoundMethod) and func.name == "join" and isinstance(func.obj, str):
            return self.genexp_now(e, scope)
        if isinstance(func, Builtin) and func.name not in _ITERATES:
            return self.genexp_later(e, scope, f"a generator object given to `{func.name}()`, which does not take its "
                                               "items (not followed)")
        if self.genexp_effects(e, scope):
            return self.genexp_later(e, scope, "a generator expression given to a call that may compute its items "
                                               "while it runs other code: its items are not followed")
        own = isinstance(func, (Function, LambdaValue, ClassValue, Partial)) or isinstance(func, BoundMethod) and \
            isinstance(func.obj, (plain.PlainObject, ModelBuilder))
        if own and not self.genexp_closed(e, scope):
            return self.genexp_later(e, scope, "a generator expression given to a function of the file, which may "
                                               "iterate it later, when its names may hold other values")
        return self.genexp_now(e, scope)

    def kept_iterator(self, e: ast.Call, scope: Scope) -> Any:
        """``pairs = zip(a, b)``, ``m = map(f, xs)``, ``it = iter(xs)``, ``keys = d.keys()``: an iterator or a dict's
        view kept in a name (``exec_Assign``), which Python reads only when it is iterated, and only once for an
        iterator; NOT_KEPT for any other call. ``map``/``filter`` of a function of the file are not run: what it
        computes and changes is unknown then."""
        f = e.func
        if (f.attr if type(f) is ast.Attribute else f.id if type(f) is ast.Name else None) in ("chain", "product") \
                and not any(type(a) is ast.Starred for a in e.args) and all(k.arg for k in e.keywords):
            # (`itertools.chain` or a name imported from itertools, read harmlessly: a name, or an attribute of a name
            # that holds a module, never a property of an object of the code)
            base = self.eval(f.value, scope) if type(f) is ast.Attribute and type(f.value) is ast.Name else None
            func = self.eval(f, scope) if type(f) is ast.Name or isinstance(base, ExternalRef) else None
            if isinstance(func, ExternalRef) and func.path in _KEPT_ITERTOOLS:
                args = tuple(self.eval(a, scope) for a in e.args)
                made = self.call(func, args, {k.arg: self.eval(k.value, scope) for k in e.keywords}, e)
                if type(made) is not tuple:
                    return made
                sources = tuple((a, a.version) for a in args if isinstance(a, (ListValue, DictValue, SetValue)))
                return OneShot(list(made), sources, func.path, depth=self.undecided)
            return NOT_KEPT
        if e.keywords and not (type(f) is ast.Name and f.id == "enumerate"):
            return NOT_KEPT
        if type(f) is ast.Attribute and f.attr in ("keys", "values", "items") and not e.args:
            base = self.eval(f.value, scope) if type(f.value) is ast.Name else None  # (a name: read again harmlessly)
            return DictView(base, f.attr) if isinstance(base, DictValue) and base.tainted is None else NOT_KEPT
        if type(f) is not ast.Name or f.id not in _KEPT_ITERATORS or any(type(a) is ast.Starred for a in e.args):
            return NOT_KEPT  # (most calls: read once, by eval_Call)
        func = self.eval(f, scope)
        if not (isinstance(func, Builtin) and func.name in _KEPT_ITERATORS):
            return NOT_KEPT
        args = tuple(self.eval(a, scope) for a in e.args)
        kwargs = {k.arg: self.eval(k.value, scope) for k in e.keywords}
        if func.name in ("map", "filter") and args and not (
                args[0] is None or isinstance(args[0], Builtin) and args[0].name in _GENEXP_PURE or
                isinstance(args[0], (KerasRef, LayerClass))):
            reason = self.unknown(f"the `{func.name}(...)` iterator kept to be iterated later: its function runs then, on "
                                  "what its names hold then (not followed)", e)
            if isinstance(args[0], (Function, LambdaValue)):
                self.forget_effects(args[0], args[1:], reason)
            return reason
        if func.name == "iter" and len(args) == 1 and not kwargs and \
                isinstance(args[0], (ListValue, DictValue, RangeValue, tuple, str)):
            made: Any = args[0]  # (a list's items, read as an iterator over it gives them)
        else:
            made = self.call(func, args, kwargs, e)
        items = self.iterate(made) if type(made) is not OneShot and not isinstance(made, GeneratorValue) else None
        if items is None:
            return made
        sources = tuple((a, a.version) for a in args if isinstance(a, (ListValue, DictValue, SetValue)))
        return OneShot(items, sources, func.name, depth=self.undecided)

    def one_shot_items(self, v: "OneShot", take: Optional[int] = None) -> Optional[List[Any]]:
        """The items of a kept iterator not yet taken (``take``: at most that many), which are then taken; None
        when they are not known."""
        if v.tainted is None and (self.undecided > v.depth or any(
                src.version != version or src.tainted is not None for src, version in v.sources)):
            v.tainted = self.unknown(f"the `{v.what}(...)` iterator read after what it iterates changed, or under a condition "
                                     "the analysis cannot decide", None)
        if v.tainted is not None or self.uncalled is not None and v.born < self.uncalled_born:
            # (a function nothing calls may be called at any time: what is left then of an iterator made before it is
            # not known; one its run made, `skips = reversed(skips[:-1])` in it, is followed as in a call)
            return None
        items = v.items if take is None else v.items[:take]
        v.items = v.items[len(items):]
        return list(items)

    def genexp_effects(self, e: ast.GeneratorExp, scope: Scope) -> bool:
        """Whether computing the items of ``e`` (all but its first iterable) may change anything the program can
        see: an assignment expression, a call of the file's code (a function, a method, a class) or of an unknown
        callee, a method that changes its object (``append``)."""
        for part in _genexp_parts(e):
            for n in ast_walk(part):
                t = type(n)
                if t is ast.NamedExpr or t is ast.Yield or t is ast.YieldFrom or t is ast.Await:
                    return True
                if t is not ast.Call:
                    continue
                f = n.func
                if type(f) is ast.Name:
                    v = scope.get(f.id)
                    if not (isinstance(v, Builtin) and v.name in _GENEXP_PURE or isinstance(v, (KerasRef, LayerClass))
                            or type(v) is LayerObj or v is _MISSING and f.id in _BUILTINS and f.id in _GENEXP_PURE):
                        return True
                elif type(f) is ast.Attribute:
                    if f.attr in _MUTATORS:
                        return True
                    base = f.value
                    while type(base) is ast.Attribute:
                        base = base.value
                    v = scope.get(base.id) if type(base) is ast.Name else None
                    if type(base) is not ast.Name or isinstance(v, (plain.PlainObject, ClassValue, Function, LambdaValue,
                                                                    ModuleRef, ModelBuilder, Unknown)) or v is _MISSING:
                        return True
                else:
                    return True
        return False

    def genexp_closed(self, e: ast.GeneratorExp, scope: Scope) -> bool:
        """Whether the items of ``e`` read no name but its own loop variables, builtins and modules (Keras's,
        NumPy's): names another statement could rebind before the generator is iterated."""
        own = {n.id for clause in e.generators for n in ast_walk(clause.target) if type(n) is ast.Name}
        for part in _genexp_parts(e):
            for n in ast_walk(part):
                if type(n) is ast.Name and n.id not in own and not isinstance(
                        value := scope.get(n.id), (Builtin, KerasRef, ExternalRef)) and \
                        not (value is _MISSING and n.id in _BUILTINS):
                    return False
        return True

    def short_circuit(self, name: str, e: ast.Call, scope: Scope) -> Any:
        """``any(...)``, ``all(...)`` and ``next(...)`` of a generator expression: Python computes its items one at a
        time and stops at the first that decides (the first item, for ``next``): the later ones are never computed,
        and what computing them would change stays unchanged. NO_SHORT_CIRCUIT when the default's evaluation
        order matters."""
        gen = e.args[0]
        default = e.args[1] if len(e.args) > 1 else None
        if default is not None and any(type(n) in (ast.Call, ast.NamedExpr) for n in ast_walk(default)):
            return NO_SHORT_CIRCUIT  # (evaluated after the first iterable: its order with it is not followed)
        fallback = self.eval(default, scope) if default is not None else NO_SHORT_CIRCUIT

        def produce(s: Scope) -> List[Any]:
            value = self.eval(gen.elt, s)
            if name == "next":
                raise _Decided(value)
            truth = self.truth(value)
            if truth is None:
                raise _Decided(_Undecided(value))
            if truth == (name == "any"):
                raise _Decided(truth)
            return []

        try:
            out = self.comprehension(gen.generators, produce, scope, gen)
        except _Decided as decided:
            if isinstance(decided.value, _Undecided):
                reason = self.unknown(f"`{name}(...)`: whether an item is true is not known", e)
                self.havoc([gen], scope, reason)  # (the later items may or may not be computed)
                return reason
            return decided.value
        if isinstance(out, Unknown):
            return out
        if name == "any":
            return False
        if name == "all":
            return True
        if fallback is not NO_SHORT_CIRCUIT:
            return fallback
        return self.python_error("StopIteration", "`next(...)` of a generator expression that gives no item", e)

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
                f"a comprehension over `{self.code(clause.iter)}`" + (f" ({why})" if why else ""), e), iterable)
        outer = self.loop_entry
        if outer is None:
            self.loop_entry = self.steps
        try:
            out = self.run_comprehension(clauses, produce, scope, e, items)
        finally:
            self.loop_entry = outer
        return self.comprehension_not_run(e, scope, out, iterable) if isinstance(out, Unknown) else out

    def comprehension_not_run(self, e: Any, scope: Scope, reason: Unknown, iterable: Any = None) -> Unknown:
        """A comprehension not run to its end (its items, a filter or its length not known): what its items would
        do (``[model.add(...) for ...]``, layers made, names used up) is forgotten, as for a loop not run. Its first
        iterable (``iterable``, its value) is not part of that when its evaluation did all it does: Python evaluates
        it once, before any item, and so did the analysis (``[w.size for w in model.get_weights()]`` leaves the
        model as it is); not so for a generator not run, or a call by name, which may give a lazy iterator whose
        code runs with the items (``map(f, xs)``, a generator function)."""
        while isinstance(scope, _ComprehensionScope) and scope.parent is not None:
            scope = scope.parent  # what it changes lives where the comprehension is
        first = e.generators[0].iter if isinstance(e, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) \
            else None
        lazy = first is None or isinstance(iterable, GeneratorValue) or any(
            isinstance(n, ast.Call) and not isinstance(n.func, ast.Attribute) for n in ast_walk(first))
        self.havoc([e] if lazy else _per_item_parts(e), scope, reason)
        return reason

    def not_followed_because(self, iterable: Any, items: Optional[List[Any]]) -> Optional[str]:
        """Why a comprehension does not run over ``iterable`` (``items``: what ``iterate`` gave), when it says."""
        if isinstance(iterable, Unknown):
            return iterable.reason or None
        if isinstance(iterable, (ListValue, DictValue, SetValue)) and iterable.tainted is not None:
            return iterable.tainted.reason or None
        if type(iterable) is SetValue:
            return SET_ORDER
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
        inner = _ComprehensionScope(outside_class(scope))  # (only its first iterable reads a class body's names)
        outer = self.stmt_scope  # (a symbol made for an item reads its names there: Interpreter.made_symbol)
        self.stmt_scope = inner
        try:
            return self.comprehension_items(clauses, produce, scope, e, items, inner)
        finally:
            self.stmt_scope = outer

    def comprehension_items(self, clauses: List[ast.comprehension], produce: Any, scope: Scope, e: Any,
                            items: Sequence[Any], inner: Scope) -> Any:
        clause = clauses[0]
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
        if isinstance(v, (DictValue, SetValue)):
            return None if v.tainted else bool(v.items)
        if isinstance(v, RangeValue):
            return v.length > 0
        if isinstance(v, (Expr, Unknown)):
            return None
        if isinstance(v, (LayerObj, Tensor, ModelBuilder, Function, KerasRef, LambdaValue, VersionHead)):
            return True
        if type(v) is ArrayValue and v.shape == () and v.truths is not None and v.tainted is None:
            return v.truths[0]  # (an item of `ops.linspace(0.0, rate, depth)`: ArrayValue.truths)
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
        if type(v) is SetValue:
            return sorted(v.items) if v.ordered() else None  # (SetValue.ordered: ascending)
        if type(v) is OneShot:
            return self.one_shot_items(v)
        if type(v) is DictView:
            d = v.d
            if d.tainted is not None:
                return None
            return list(d.items) if v.kind == "keys" else list(d.items.values()) if v.kind == "values" else \
                list(d.items.items())
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
        if type(v) is ValuedArray:
            return arrays.valued_items(v)  # (`for rate in np.linspace(0, 0.1, depth)`: NumPy floats)
        if type(v) is ArrayValue and v.tainted is None and not v.ragged and len(v.shape) >= 1 and \
                isinstance(v.shape[0], int) and 0 <= v.shape[0] <= _ARRAY_ROWS:
            # `for row in X:` over a short array of known shape: its rows, arrays of X.shape[1:] (their values not
            # known); over a 1-D one (`for rate in ops.linspace(0.0, 0.1, depth)`), its items: numbers whose values
            # are not known (NumPy scalars, or 0-d tensors of the backend), 0-d arrays here, which no decision reads
            # (their truth, comparisons, types and widths stay unknown) but which are no layer and hold no weight
            truths = v.truths if len(v.shape) == 1 and v.truths is not None and len(v.truths) == v.shape[0] else None
            return [ArrayValue(v.shape[1:], truths=None if truths is None or truths[i] is None else (truths[i],))
                    for i in range(v.shape[0])]
        return None
