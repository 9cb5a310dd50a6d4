"""Calls of Python builtins, of ``math``/``numpy``/``functools``, and of list, dict and str methods."""

from __future__ import annotations

import itertools
import math
import re
import string
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Tuple

import ast

from .. import catalogue
from ..catalogue.ancestors import ANCESTORS, EXPORTED
from ..ir import FloatSymbol, NumpyBool, NumpyFloat, NumpyInt, NumpyInt32, UNKNOWN_NAME, Unknown
from ..symbolic import Expr, NumpyExpr, numbered, symbol, symbol_names
from . import arrays, callbacks, live, names, ops_calls, sources
from .classes import _NOT_FOUND as _CLASS_LACKS
from .plain import _NOT_FOUND as _ABSENT, PlainObject
from .scopes import CALLS_GIVEN, CALLS_KEY
from .values import (
    ArrayNumber,
    ArrayValue,
    BoundMethod,
    Builtin,
    CallbackInstance,
    ClassValue,
    DictValue,
    DictView,
    External,
    ExternalRef,
    Function,
    GeneratorValue,
    KerasRef,
    LambdaValue,
    ListValue,
    LayerObj,
    ModelBuilder,
    ModuleRef,
    OneShot,
    OpaqueCallable,
    Partial,
    RangeValue,
    SET_ORDER,
    SetValue,
    Tensor,
    VERSION_MAKERS,
    VersionHead,
    VersionObject,
    ViewItems,
    set_member,
)


#: Builtins that read their arguments and change none of them (``str(xs)``, ``sorted(xs)``): given lists,
#: tuples and dicts of plain data (numbers, strings, symbols, unknowns), whose items run no code of the
#: program when read, they leave them as they were.
_READ_ONLY = frozenset({"str", "format", "bool", "hash", "sum", "min", "max", "sorted", "tuple", "list", "set",
                        "frozenset", "any", "all", "enumerate", "zip", "reversed", "iter", "abs", "round", "dict",
                        "int", "float"})
#: Functions ``map``/``filter`` may apply to such items without changing anything.
_PURE_FUNCTIONS = frozenset({"str", "int", "float", "bool", "abs", "round", "len", "repr", "tuple", "list"})
#: Keras functions that make an eager tensor from its shape alone (the first argument, or ``shape=``), outside a
#: body Keras traces (BuiltinCalls.eager_tensor; TensorFlow's ``tf.zeros``, ``tf.random.*``... are sources.py's).
_EAGER_MAKERS = frozenset(f"keras.random.{n}" for n in ("uniform", "normal", "truncated_normal"))


_RELEASE = re.compile(r"\d+(\.\d+)*")
_PYTHON_KEYWORDS = frozenset(__import__("keyword").kwlist)


def _version_object(kind: str, v: Any) -> Any:
    """``StrictVersion(keras.__version__)``, ``version.parse("2.2.0")``: a VersionObject of a literal made only of
    release numbers (that StrictVersion accepts: two or three of them), or of the Keras major; else None."""
    if isinstance(v, VersionHead) and not v.parts and re.fullmatch(r"(\d+\.)+", v.head):
        return VersionObject(tuple(int(p) for p in v.head.split(".")[:-1]), False, kind)
    if type(v) is str and _RELEASE.fullmatch(v) and (kind != "strict" or 2 <= v.count(".") + 1 <= 3):
        return VersionObject(tuple(int(p) for p in v.split(".")), True, kind)
    return None


def _pure_builtin(f: Any) -> bool:
    return isinstance(f, Builtin) and f.name in _PURE_FUNCTIONS


def _plain_data(v: Any, depth: int = 0) -> bool:
    """Whether ``v`` is a list, tuple or dict made only of plain data (bounded depth)."""
    if v is None or type(v) in (int, float, str, bool) or isinstance(v, (Expr, Unknown)):
        return True
    if depth > 3:
        return False
    if isinstance(v, ListValue):
        items: Any = v.items
    elif type(v) is SetValue:
        return True  # (constants only)
    elif isinstance(v, tuple):
        items = v
    elif isinstance(v, DictValue):
        items = (*v.items.keys(), *v.items.values())
    else:
        return False
    return len(items) <= 10_000 and all(_plain_data(i, depth + 1) for i in items)


#: Functions of Python's ``math`` module computed on known numbers, with how many arguments each takes (ceil,
#: floor, sqrt and log2 have their own rules, for symbols too); those of integers only.
_MATH_FUNCTIONS = {**{n: (1, 1) for n in (
    "log10", "log1p", "exp", "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
    "acosh", "atanh", "fabs", "degrees", "radians", "trunc", "isqrt", "factorial", "erf", "erfc")},
    "log": (1, 2), "atan2": (2, 2), "hypot": (2, 2), "pow": (2, 2), "fmod": (2, 2), "copysign": (2, 2),
    "gcd": (2, 2), "lcm": (2, 2), "comb": (2, 2), "perm": (1, 2)}
_MATH_INTEGER_ONLY = frozenset({"isqrt", "factorial", "gcd", "lcm", "comb", "perm"})
#: The most tuples ``itertools.product`` is followed for (a small grid; a larger one stays unknown).
_PRODUCT_ITEMS = 16
#: Python's ``math`` constants, and NumPy's (Python floats there too: ``type(np.pi) is float``).
MATH_CONSTANTS = {"math.pi": math.pi, "math.e": math.e, "math.tau": math.tau,
                  "numpy.pi": math.pi, "numpy.e": math.e, "numpy.euler_gamma": 0.5772156649015329,
                  # the `string` module's constants (the same on every Python 3): `len(string.ascii_lowercase)`
                  **{f"string.{n}": getattr(string, n) for n in (
                      "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
                      "punctuation", "printable", "whitespace")}}


#: Functions that draw one random integer between bounds (``BuiltinCalls.random_integer``).
_RANDOM_INTEGERS = frozenset({"random.randint", "random.randrange", "numpy.random.randint"})


class BuiltinCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    #: The types of values ``taint`` leaves alone (control.py's ``_INERT``, set there).
    INERT: frozenset = frozenset()

    def key_value_pairs(self, v: Any) -> Any:
        """The (key, value) pairs ``dict(v)`` makes of an iterable of pairs, in order (a later key
        replaces an earlier one, as ``dict`` does), or None when an item is not a known pair or a key
        is not a plain constant."""
        items = self.iterate(v)
        if items is None:
            return None
        pairs = []
        for item in items:
            if isinstance(item, ListValue) and item.tainted is None:
                item = tuple(item.items)
            if not isinstance(item, tuple) or len(item) != 2:
                return None
            if not set_member(item[0]):
                return None
            pairs.append(item)
        return pairs

    def unordered_items(self, v: Any) -> Optional[List[Any]]:
        """The items of ``v`` as ``iterate`` gives them, and those of a set in some order (for what no order
        changes: ``sorted``, ``len``, ``any``...); None when not known."""
        if type(v) is SetValue:
            return None if v.tainted is not None else list(v.items)
        return self.iterate(v)

    def set_operand(self, v: Any) -> Any:
        """What Python's set operations read of ``v``, so that the set they make is the one the program's own run
        makes, in the same order: a set's own Python set; a dict's keys as a dict (CPython sizes a set made of a
        dict ahead); the items of anything else, read one by one. None unless every item is a constant a set may
        hold (``set_member``)."""
        if type(v) is SetValue:
            return None if v.tainted is not None else v.items
        if type(v) is DictValue:
            return dict.fromkeys(v.items) if v.tainted is None and all(set_member(k) for k in v.items) else None
        items = self.iterate(v)
        return items if items is not None and all(set_member(i) for i in items) else None

    def make_set(self, source: Any, frozen: bool, e: Any) -> Optional[SetValue]:
        """``set(xs)`` / ``frozenset(xs)`` of known constants; None when not known."""
        items = self.set_operand(source)
        return None if items is None else SetValue((frozenset if frozen else set)(items))

    def sort_keys(self, items: Any, key: Any, e: Any) -> Any:
        """What min/max/sorted compare (``key(item)`` for each item, or the item): numbers, strings, or tuples
        of them, all of one kind; None when any is not known."""
        keys = list(items) if key is None else [self.call(key, (item,), {}, e) for item in items]

        def plain(k: Any) -> Any:
            if isinstance(k, (int, float)) and not isinstance(k, bool):
                return "number"
            if isinstance(k, str):
                return "str"
            if isinstance(k, tuple) and all(plain(x) for x in k):
                return "tuple"
            return None

        kinds = {plain(k) for k in keys}
        return keys if keys and len(kinds) == 1 and None not in kinds else None

    def own_length(self, obj: PlainObject, e: Any) -> Any:
        """``len(obj)`` of an instance of a class of the analysed code that defines ``__len__`` (an agent's
        ``len(self.memory)`` of its replay buffer): what the method returns, checked as Python checks it (a negative
        number raises ValueError, what is no integer TypeError). ``_ABSENT`` when the class defines no plain
        ``__len__``, or it returns what the analysis does not know (the caller's symbol for a length then)."""
        member = self.plain_member(obj.cls, "__len__")
        if not isinstance(member, Function) or member.kind or member.decorated:
            return _ABSENT
        n = self.call_function(member, (obj,), {}, e)
        if isinstance(n, int):  # (bool too: Python's len() gives 0 or 1 for False or True)
            if n < 0:
                return self.python_error("ValueError", f"`{obj.cls.name}.__len__()` returned {n}: Python raises "
                                                       "ValueError (a length is never negative)", e)
            return int(n)
        if isinstance(n, (str, float, type(None), ListValue, DictValue, tuple)):
            return self.python_error("TypeError", f"`{obj.cls.name}.__len__()` returned a {type(n).__name__}, no "
                                                  "integer: Python raises TypeError", e)
        return n if isinstance(n, Expr) and not isinstance(n, NumpyExpr) else _ABSENT

    def call_builtin(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        if name == "dataclass.__init__" and len(args) >= 2 and isinstance(args[1], PlainObject):
            # `super().__init__(...)` (or `Base.__init__(self, ...)`) reaching the __init__ @dataclass generated for
            # `args[0]`: it sets the fields on the instance and returns None
            failed = self.run_generated_init(args[0], args[1], args[2:], kwargs, e, f"`{args[0].name}.__init__()`")
            if failed is not None:
                args[1].tainted = failed
            return None
        if name in ("namedtuple._replace", "namedtuple._asdict") and args and isinstance(args[0], PlainObject):
            return self.namedtuple_method(name, args[0], args[1:], kwargs, e)
        if name == "namedtuple.__new__" and args and isinstance(args[0], ClassValue):
            return self.namedtuple_new(args[0], args[1:], kwargs, e)
        if name == "iter" and len(args) == 1 and not kwargs and isinstance(args[0], sources.Batches):
            if args[0].keras_iterator:
                return self.unknown(f"`{self.code(e)}`: a Keras image iterator is its own iterator, which goes on "
                                    "from the batches taken before (not followed)", e)
            return sources.DataIterator(args[0])
        if name == "next" and len(args) in (1, 2) and not kwargs and isinstance(args[0], sources.DataIterator):
            # next(iter(ds)): the iterator made in this very expression gives the first element
            made = e.args[0] if isinstance(e, ast.Call) and e.args else None
            fresh = isinstance(made, ast.Call) and (isinstance(made.func, ast.Name) and made.func.id == "iter" or
                                                    isinstance(made.func, ast.Attribute) and
                                                    made.func.attr == "as_numpy_iterator")
            return args[0].next_element(self, fresh, e)
        if name == "next" and len(args) in (1, 2) and not kwargs and type(args[0]) is GeneratorValue:
            return self.next_of_generator(args[0], args[1:], e)
        if name == "next" and len(args) in (1, 2) and not kwargs and type(args[0]) is OneShot:
            taken = self.one_shot_items(args[0], 1)
            if taken is None:
                return args[0].tainted
            if taken:
                return taken[0]
            return args[1] if len(args) > 1 else self.python_error(
                "StopIteration", f"`next()` of the `{args[0].what}(...)` iterator when it has nothing more to give", e)
        if name == "iter" and len(args) == 1 and not kwargs and type(args[0]) is OneShot:
            return args[0]  # (an iterator is its own iterator)
        if name in ("object.__init__", "unittest.TestCase.setUp"):
            # super().__init__() of a plain class that has no base of its own; super().setUp() of a unittest test
            return None if not args and not kwargs else self.python_error(
                "TypeError", f"`{name.rsplit('.', 2)[-2]}.{name.rsplit('.', 1)[-1]}()` takes no arguments (Python "
                "raises TypeError)", e)
        if name == "setattr" and len(args) == 3 and isinstance(args[0], (LayerObj, ModelBuilder)) and \
                (args[1] == "trainable" or not isinstance(args[1], str)):
            # setattr(layer, "trainable", False) is Keras's setter; an attribute not known may be that one
            flag = args[2] if args[1] == "trainable" else self.unknown(f"`{self.code(e)}` may set `trainable`", e)
            self.set_trainable(args[0], flag, e)
            return None
        if name == "setattr" and len(args) == 3 and args[1] == "trainable" and \
                not isinstance(args[0], (PlainObject, ModuleRef, ClassValue)):
            # setattr(get(layer), "trainable", False) is `get(layer).trainable = False`: a layer the analysis
            # cannot name may be any model's (set_trainable makes the splits unknown, not stale)
            self.set_trainable(args[0], args[2], e)
            return None
        if name == "setattr" and len(args) == 3 and isinstance(args[0], LayerObj) and isinstance(args[1], str) and \
                catalogue.takes_argument(self.graph.layer(args[0].uid), args[1]):
            # setattr(dense, "units", 20) is `dense.units = 20` (statements.py): what Keras makes of it is not followed
            self.graph.forget_argument(args[0].uid, args[1], self.unknown(
                f"`{self.code(e)}` sets `{args[1]}` on the layer after it is made (line {self.span(e).line})", e))
            return None
        if name in ("setattr", "getattr") and len(args) == (3 if name == "setattr" else 2) and \
                isinstance(args[0], ModelBuilder) and args[0].kind == "subclassed" and isinstance(args[1], str):
            # setattr(self, f"block_{i}", layer) in a subclassed model's __init__, and getattr to read it back
            if name == "getattr":
                return self.attribute(args[0], args[1], e)
            self.set_attribute(args[0], args[1], args[2], e)
            return None
        if name == "hasattr" and len(args) == 2 and not kwargs and isinstance(args[1], str) and \
                (args[0] is None or type(args[0]) in (bool, int, float, str, tuple)):
            return hasattr(args[0], args[1])  # hasattr(size, "value") of a plain Python value: Python's answer
        if name == "hasattr" and len(args) == 2 and not kwargs and isinstance(args[1], str) and type(args[0]) is Expr:
            return hasattr(0, args[1])  # a size symbol is a Python int: what every int has (no TF 1 `.value`)
        if name == "hasattr" and len(args) == 2 and not kwargs and isinstance(args[0], Function) and \
                not args[0].decorated and args[1] in ("__name__", "__module__", "__qualname__", "__doc__", "__call__"):
            return True  # what every Python function has
        if name == "getattr" and len(args) == 2 and not kwargs and isinstance(args[1], str) and \
                isinstance(args[0], (ModuleRef, KerasRef, ClassValue, PlainObject)):
            # getattr(encoders, "KochNet"), getattr(keras.applications, name): the attribute itself
            return self.attribute(args[0], args[1], e)
        if name in ("setattr", "getattr", "hasattr") and not kwargs and len(args) >= 2 and isinstance(args[1], str) \
                and isinstance(args[0], PlainObject) and args[0].tainted is None:
            obj, attr = args[0], args[1]
            if name == "setattr" and len(args) == 3:
                self.set_plain_attribute(obj, attr, args[2])  # setattr(cfg, "units", 64): cfg.units = 64
                return None
            if name in ("getattr", "hasattr") and len(args) == (3 if name == "getattr" else 2):
                # getattr(cfg, "depth", 3): the attribute when the object or its class has it, else the default
                present = attr in obj.attrs or self.plain_member(obj.cls, attr) is not _ABSENT
                if name == "hasattr":
                    return present
                return self.attribute(obj, attr, e) if present else args[2]
        if name == "setattr" and len(args) == 3 and not kwargs and isinstance(args[0], CallbackInstance):
            # setattr(cb, "name", v): an instance attribute, which hides a method of that name (callbacks.method)
            if isinstance(args[1], str):
                callbacks.store(self, args[0], args[1], args[2], e)
            elif args[0].tainted is None:
                args[0].tainted = self.unknown(f"may be changed by `{self.code(e)}`", e)
            return None
        if name == "setattr" and len(args) == 3 and isinstance(args[0], ModuleRef) and isinstance(args[1], str):
            args[0].scope.set(args[1], args[2])  # setattr(settings, "UNITS", 48)
            return None
        if name == "setattr" and len(args) == 3 and isinstance(args[0], ClassValue):
            if isinstance(args[1], str):
                self.set_class_attribute(args[0], args[1], args[2], e)
            else:  # which attribute is not known: none of the class's values is
                for key, value in list(args[0].members.items()):
                    if not isinstance(value, Function):
                        args[0].members[key] = self.unknown(f"may be changed by `{self.code(e)}`", e)
            return None
        # (only round, abs, divmod and pow read it: the usual calls, range, len, print..., skip the walk)
        nums = name in ("round", "abs", "divmod", "pow") and \
            all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)
        try:
            if name == "range" and 1 <= len(args) <= 3 and all(isinstance(a, int) and not isinstance(a, bool)
                                                              for a in args):
                r = range(*args)
                return RangeValue(r.start, r.stop, r.step)
            if name == "slice" and 1 <= len(args) <= 3 and not kwargs and all(
                    a is None or type(a) is int or isinstance(a, Expr) for a in args):
                return slice(*args)  # (as `a:b:c` in `x[...]` gives: an index the sequences and arrays read so)
            if name == "len" and len(args) == 1:
                if isinstance(args[0], (int, float, complex, type(None))):  # (bool is an int)
                    return self.python_error("TypeError", f"`len()` of {type(args[0]).__name__} {args[0]!r} (Python "
                                                          "raises TypeError: it has no length)", e)
                if type(args[0]) is DictView and args[0].d.tainted is None:
                    return len(args[0].d.items)  # (a dict's view: the dict as it is now)
                if type(args[0]) is OneShot:
                    return self.python_error("TypeError", f"`len()` of the `{args[0].what}(...)` iterator (Python raises "
                                                          "TypeError: an iterator has no length)", e)
                if isinstance(args[0], RangeValue):
                    # len(), as Python: OverflowError past sys.maxsize (a call that fails)
                    return len(range(args[0].start, args[0].stop, args[0].step))
                if type(args[0]) is PlainObject and args[0].tainted is None:
                    counted = self.own_length(args[0], e)
                    if counted is not _ABSENT:
                        return counted
                seq = self.sequence(args[0])
                if isinstance(args[0], (DictValue, SetValue)) and args[0].tainted is None:
                    return len(args[0].items)
                if seq is not None:
                    return len(seq)
                if isinstance(args[0], ArrayValue) and arrays.length(args[0]) is not None:
                    return arrays.length(args[0])
                if isinstance(args[0], sources.DataObject) and args[0].length() is not None:
                    return args[0].length()
                if e is None:
                    return self.unknown("len", e)
                held = args[0].made if isinstance(args[0], External) else None
                return self.made_symbol(self.code(e), f"a length of data, from `{held[0]}`", held[1]) \
                    if held is not None else self.made_symbol(self.code(e), "a length the analysis does not see", e)
            if name == "int" and len(args) + len(kwargs) == 2 and set(kwargs) <= {"base"} and \
                    isinstance(args[0], str) and isinstance((args[1:] or (kwargs.get("base"),))[0], int):
                return int(args[0], (args[1:] or (kwargs.get("base"),))[0])
            if name == "round" and len(args) == 1 and set(kwargs) == {"ndigits"} and nums and \
                    isinstance(kwargs["ndigits"], int):
                return round(args[0], kwargs["ndigits"])
            if name in ("int", "float", "abs", "round", "bool", "str") and len(args) == 1 and not kwargs:
                a = args[0]
                if isinstance(a, NumpyExpr) and name in ("int", "abs"):  # int() of a NumPy integer is a Python int
                    return a.plain() if name == "int" else NumpyExpr(dict(self.derived_symbol(self.code(e), e, a).terms))
                if isinstance(a, Expr):
                    if name == "float":
                        return self.float_symbol(e, a)
                    return a if name == "int" else self.derived_symbol(self.code(e), e, a)
                if isinstance(a, FloatSymbol) and name in ("int", "round") and e is not None:
                    return self.derived_symbol(self.code(e), e, *a.made_from)  # int(n / 2): an integer symbol
                if name == "int" and isinstance(a, (External, OpaqueCallable, Unknown)) and e is not None:
                    # int() gives an int: int(sys.argv[1]), int(os.environ[...])
                    return self.made_symbol(self.code(e), _outside_origin(self.code(e)), e)
                if name in ("int", "float") and isinstance(a, NumpyBool):
                    return int(a.value) if name == "int" else float(a.value)  # int(np.True_) is the Python int 1
                if name == "int" and isinstance(a, (int, float, str)):
                    return int(a)
                if name == "float" and isinstance(a, (int, float, str)):
                    return float(a)
                if name == "abs" and nums:
                    return abs(a)
                if name == "round" and nums:
                    return round(a)
                if name == "bool" and self.truth(a) is not None:
                    return self.truth(a)
                if name == "str" and isinstance(a, (int, float, str)):
                    return str(a)
            if name == "round" and len(args) == 2 and nums:
                return round(args[0], args[1])
            if name in ("min", "max") and len(args) == 1 and not kwargs and isinstance(args[0], ArrayValue) and \
                    len(args[0].shape) == 1 and args[0].tainted is None:
                # max(y_train) of 1-D labels: the largest element, as np.max(y_train) (a NumPy integer)
                return arrays.label_extreme(self, args[0], name, e)
            if name in ("min", "max") and set(kwargs) <= {"default", "key"}:
                items = list(args)
                if len(args) == 1:
                    # (of a set, without a key: its largest item whatever the order, two items never tying)
                    items = (self.iterate(args[0]) if "key" in kwargs else self.unordered_items(args[0])) or []
                    if not items and "default" in kwargs and self.iterate(args[0]) is not None:
                        return kwargs["default"]
                keys = self.sort_keys(items, kwargs.get("key"), e)
                if items and keys is not None:
                    pick = (min if name == "min" else max)(range(len(items)), key=lambda i: keys[i])
                    return items[pick]
                if items and all(isinstance(a, (int, Expr)) for a in items):
                    return self.derived_symbol(self.code(e), e, *items) if e is not None else self.unknown(name, e)
                if len(args) == 1 and not items and _lengths_of(e) and (
                        isinstance(args[0], Unknown) or isinstance(args[0], ListValue) and args[0].tainted):
                    # max(map(len, texts)): the longest text's length, from data
                    return self.made_symbol(self.code(e), "the longest sequence's length, from data", e)
            if name == "sum" and len(args) + len(kwargs) in (1, 2) and set(kwargs) <= {"start"}:
                items = self.iterate(args[0])
                if items is None and type(args[0]) is SetValue and args[0].tainted is None and \
                        all(type(i) in (int, bool) for i in args[0].items):
                    items = list(args[0].items)  # (a sum of integers, in whatever order)
                if items is not None:
                    total: Any = (args[1:] or (kwargs.get("start", 0),))[0]
                    for it in items:
                        total = self.binop("Add", total, it, e)
                    return total
            if name in ("list", "tuple"):
                if not args:
                    return ListValue([]) if name == "list" else ()
                items = self.iterate(args[0])
                if items is not None:
                    return ListValue(list(items)) if name == "list" else tuple(items)
            if name in ("set", "frozenset") and len(args) <= 1 and not kwargs:
                made = self.make_set(args[0] if args else (), name == "frozenset", e)
                if made is not None:
                    return made
            if name == "dict":
                base = {}
                if args and isinstance(args[0], DictValue) and args[0].tainted is None:
                    base = dict(args[0].items)
                elif len(args) == 1 and not isinstance(args[0], DictValue):
                    pairs = self.key_value_pairs(args[0])  # dict([(k, v), ...]), dict(zip(keys, values))
                    if pairs is None:
                        given = args[0]
                        why = given.reason if isinstance(given, Unknown) else given.tainted.reason \
                            if isinstance(given, ListValue) and given.tainted else "its items are not known pairs"
                        return DictValue({}, self.unknown(f"`dict(...)` of pairs the analysis does not know ({why})", e))
                    base = dict(pairs)
                elif args:
                    return DictValue({}, self.unknown("dict(...)", e))
                base.update(kwargs)
                return DictValue(base) if not self.too_large(tuple(base.values())) else \
                    DictValue({}, self.unknown("dict(...) too large to follow", e))
            if name == "enumerate" and args:
                items = self.iterate(args[0])
                start = args[1] if len(args) > 1 else kwargs.get("start", 0)
                if items is not None and isinstance(start, int):
                    return tuple((i + start, v) for i, v in enumerate(items))
                if items is None and type(args[0]) is sources.Batches and type(start) is int and \
                        args[0].x is not None and args[0].paired:
                    # (`for step, (x, y) in enumerate(train_dataset)` of a dataset whose elements are not counted)
                    return sources.Enumerated(args[0], start)
            if name == "zip" and args:
                seqs = [self.iterate(a) for a in args]
                if all(s is not None for s in seqs):
                    pairs = tuple(zip(*seqs))
                    return self.unknown("zip(...) too large to follow", e) if self.too_large(pairs) else pairs
            if name == "map" and len(args) >= 2 and not kwargs:
                # map(len, rows), map(int, text.split(",")): each item's result, in order (run as the loop that
                # consumes it would run them; a map object is read once, as the values here are)
                seqs = [self.iterate(a) for a in args[1:]]
                if all(s is not None for s in seqs):
                    rows = tuple(zip(*seqs))
                    if self.too_large(rows):
                        return self.unknown("map(...) too large to follow", e)
                    before = [(a, a.version) for a in args[1:] if isinstance(a, ListValue)]
                    made = tuple(self.call(args[0], row, {}, e) for row in rows)
                    return _unless_changed(self, before, made, e)
            if name == "filter" and len(args) == 2 and not kwargs:
                items = self.iterate(args[1])
                if items is not None:
                    before = [(args[1], args[1].version)] if isinstance(args[1], ListValue) else []
                    kept = []
                    for item in items:
                        keep = self.truth(item if args[0] is None else self.call(args[0], (item,), {}, e))
                        if keep is None:
                            return self.unknown(f"`{self.code(e)}`: which items it keeps is not known", e)
                        if keep:
                            kept.append(item)
                    return _unless_changed(self, before, tuple(kept), e)
            if name == "reversed" and len(args) == 1:
                items = self.iterate(args[0])
                if items is not None:
                    return tuple(reversed(items))
            if name == "sorted" and len(args) == 1 and set(kwargs) <= {"key", "reverse"} and \
                    isinstance(kwargs.get("reverse", False), bool):
                # (of a set without a key: the items in order of their own, which ties between two never decide)
                items = self.iterate(args[0]) if "key" in kwargs else self.unordered_items(args[0])
                keys = None if items is None else self.sort_keys(items, kwargs.get("key"), e)
                if keys is not None:
                    order = sorted(range(len(items)), key=lambda i: keys[i], reverse=kwargs.get("reverse", False))
                    return ListValue([items[i] for i in order])
            if name == "divmod" and len(args) == 2 and nums:
                return divmod(*args)
            if name == "pow" and len(args) == 2 and nums:
                return self.binop("Power", args[0], args[1], e)
            if name in ("any", "all") and len(args) == 1:
                items = self.unordered_items(args[0])
                if items is not None:
                    truths = [self.truth(i) for i in items]
                    if None not in truths:
                        return any(truths) if name == "any" else all(truths)
            if name == "print":
                return None
            if name == "chr" and len(args) == 1 and not kwargs and type(args[0]) is int:
                return chr(args[0])  # name="block{}{}_".format(i + 1, chr(j + 97)); ValueError out of range
            if name == "ord" and len(args) == 1 and not kwargs and type(args[0]) is str:
                return ord(args[0])  # TypeError unless one character
            if name in ("type", "isinstance"):
                value = self.builtin_type(name, args)
                if value is not None:
                    return value
        except (ValueError, TypeError, OverflowError, ZeroDivisionError) as exc:
            plain = all(isinstance(a, (int, float, str)) for a in (*args, *kwargs.values()))
            return self.python_error(type(exc).__name__ if plain else None, f"`{name}(...)` fails", e)
        if name not in ("print", "len", "isinstance", "hasattr", "getattr", "type", "id", "repr", "chr", "ord"):
            reads = name in _READ_ONLY or name in ("map", "filter") and bool(args) and _pure_builtin(args[0])
            for v in (*args, *kwargs.values()):
                # (taint leaves INERT values alone: no reason to make; str(xs) or map(str, xs) of a list of
                # numbers and strings reads it and changes nothing)
                if type(v) not in self.INERT and not (reads and _plain_data(v)):
                    self.taint(v, self.unknown(f"passed to {name}()", e))
        if name in CALLS_GIVEN or name in CALLS_KEY:
            for v in (*args, *kwargs.values()):
                if isinstance(v, (Function, LambdaValue)):
                    self.not_run(v, surely=True)  # (map(make_block, widths) of widths not known: Python calls it)
        held = next((v for v in args if type(v) is SetValue), None)
        if held is not None and name in _SET_READING_BUILTINS:
            # list(s) of strings, sorted(s) of a set changed in place: why that set is not read
            return self.unknown(f"`{name}(...)` of a set ({held.tainted.reason if held.tainted else SET_ORDER})", e)
        cause = next((v for v in (*args, *kwargs.values()) if isinstance(v, Unknown)), None)
        if isinstance(cause, External) and name in ("next", "iter") and len(args) == 1 and not kwargs:
            # an item of data the analysis does not see: what is read from it by a known role is a symbol
            return sources.opaque(self, cause.reason, e)
        if cause is not None and name in ("range", "int", "float", "str", "bool", "round", "abs", "min", "max",
                                          "next", "iter"):
            return cause  # range(n) with n unknown: unknown for the reason n is
        if cause is not None and name in ("enumerate", "zip", "reversed", "sorted", "list", "tuple", "type",
                                          "isinstance") and cause.reason:
            # (enumerate(xs), type(xs) with xs unknown: for the reason xs is, as a plain Unknown)
            return self.unknown(cause.reason, e)
        sizes = [v for v in args if isinstance(v, Expr)]
        if name == "range" and sizes:
            held = sorted({n for v in sizes for n in symbol_names(v)})
            return self.unknown(f"`{self.code(e)}`: how many numbers it gives depends on a symbol "
                                f"({', '.join(f'`{n}`' for n in held)}), not a known number", e)
        return self.unknown(f"`{name}(...)` is not known", e)

    def builtin_type(self, name: str, args: Tuple[Any, ...]) -> Any:
        """``type(x)`` (a builtin type, compared with ``is``/``==``) and ``isinstance(x, list)`` or with a
        tuple of builtin types, for values whose Python type is known; None when not decided."""
        if name == "isinstance" and len(args) == 2 and isinstance(args[0], LayerObj):
            decided = self.layer_isinstance(args[0], args[1])
            if decided is not None:
                return decided
        if name == "isinstance" and len(args) == 2 and isinstance(args[0], ModelBuilder):
            decided = self.model_isinstance(args[0], args[1])
            if decided is not None:
                return decided
        if name == "isinstance" and len(args) == 2 and _string_types(args[1]):
            args = (args[0], Builtin("str"))  # six.string_types: (str,) on Python 3
        kind = _python_type(args[0]) if args else None
        if name == "isinstance" and len(args) == 2:
            decided = _plain_isinstance(args[0], kind, args[1])
            if decided is not None:
                return decided
        if kind == "other" and type(args[0]) is Tensor and self.open_structure(args[0]):
            kind = None  # (what a call not followed returns may be a tuple, a list or a dict of tensors)
        if name == "type":
            if len(args) == 1 and isinstance(args[0], PlainObject) and args[0].cls.plain:
                return args[0].cls  # type(self).made += 1: the instance's own class
            if len(args) == 1 and isinstance(args[0], LayerObj):
                cls = self.layer_class(args[0])
                if cls is not None:
                    return cls  # type(layer) == MaxPooling2D
            if len(args) == 1 and kind == "other":
                return Builtin(KERAS_TYPE)  # some Keras class: none of the builtin types
            return Builtin(kind) if len(args) == 1 and kind is not None else None
        if len(args) != 2 or kind is None:
            return None
        types = args[1] if isinstance(args[1], tuple) else (args[1],)
        if kind in _TYPE_NAMES and types and all(isinstance(t, KerasRef) and _keras_class(t.path) or
                                                 isinstance(t, Builtin) and t.name in _TYPE_NAMES for t in types):
            # isinstance("KochNet", keras.Model): no Keras class is a builtin type or a base of one
            types = tuple(t for t in types if isinstance(t, Builtin))
            if not types:
                return False
        if not types or not all(isinstance(t, Builtin) and t.name in _TYPE_NAMES for t in types):
            return None
        names = {t.name for t in types}
        return kind in names or (kind == "bool" and "int" in names)

    def open_structure(self, t: Tensor) -> bool:
        """Whether the Python value ``t`` stands for may be a tuple, list or dict of tensors rather than one tensor: the
        output of a layer the analysis does not know (an unknown layer, ``hub.KerasLayer``) or of a custom layer or
        subclassed model whose ``call`` it could not follow to what it returns."""
        layer = self.graph.made_by(t.ref)
        if layer.operation:
            return False
        if layer.submodel is None:
            return not layer.known
        model = self.graph.submodel(layer.uid)
        return isinstance(model, ModelBuilder) and model.kind == "subclassed" and model.unresolved is not None and \
            not model.outputs and model.output_container is None and model.output_keys is None

    def layer_class(self, obj: LayerObj) -> Any:
        """The class of a layer of a class ``keras.layers`` exports (``type(layer)``, ``layer.__class__``), as
        :class:`LayerClass`; None when not known (a custom layer, an operation, a nested model)."""
        d = self.graph.layer(obj.uid)
        known = d.known or d.kwarg("application_layer") is not None
        if known and not d.operation and d.submodel is None and d.type in ANCESTORS:
            return LayerClass(d.type)
        return None

    def layer_subscripted(self, obj: LayerObj, parts: List[Any], e: Any) -> Any:
        """``Concatenate()[q, a]``: a layer of Keras's (or of a class of the file without ``__getitem__``) indexed as
        if it were a tensor or a list (``parts``: the index as written, split at its commas). Python raises TypeError
        (rule KC118); None for anything else."""
        d = self.graph.layer(obj.uid)
        if d.operation:
            return None
        kind = d.type
        if d.submodel is not None:
            model = self.graph.model(d.submodel)
            cls = getattr(model, "cls", None)
            if not getattr(model, "custom_layer", False) or cls is None or self.member(cls, "__getitem__") is not \
                    _CLASS_LACKS:
                return None  # (a model; a class that defines it, or a base the analysis does not read)
            kind = cls.name
        elif not d.known:
            return None
        inside = ", ".join(self.code(p) for p in parts)
        called = f"{self.code(e.value)}([{inside}])" if len(parts) > 1 else f"{self.code(e.value)}({inside})"
        reason = (f"`{self.code(e)}`: `{self.code(e.value)}` is a {kind} layer, not a tensor: Python raises TypeError "
                  f"(\"'{kind}' object is not subscriptable\"); call the layer on its inputs: `{called}`")
        return self.python_error_noted("KC118", "TypeError", reason, e)

    def layer_name(self, obj: LayerObj) -> Optional[str]:
        """``layer.name``: the name Keras gave the layer when it was made (or the code set since), as its summary row
        shows it; None when not known (an automatic name after code the analysis did not follow, an operation, a
        class of the file that defines ``name`` itself)."""
        d = self.graph.layer(obj.uid)
        if type(d.name) is not str or d.name == UNKNOWN_NAME or d.operation:
            return None
        if d.submodel is not None:
            model = self.graph.model(d.submodel)
            cls = getattr(model, "cls", None)
            if cls is not None and self.member(cls, "name") is not _CLASS_LACKS:
                return None  # (a class that defines it, or a base the analysis does not read)
            return d.name
        return d.name if d.known or d.kwarg("application_layer") is not None else None

    def same_class(self, a: Any, b: Any) -> Any:
        """Whether ``a`` and ``b``, one a :class:`LayerClass`, are the same class (``type(layer) is X``,
        ``layer.__class__ == X``): the exact class, not a base (an alias such as ``MaxPool2D`` is the class it
        names). None when not decided (a class outside ``keras.layers``, a Keras type not known)."""
        if not isinstance(a, LayerClass):
            a, b = b, a
        if isinstance(b, LayerClass):
            other = b.name
        elif isinstance(b, KerasRef):
            head, _, other = b.path.rpartition(".")
            if head != "keras.layers" or other not in EXPORTED:
                return False if b.path in _MODEL_CLASSES else None
        elif isinstance(b, Builtin) and b.name != KERAS_TYPE:
            return False  # type(layer) is list
        else:
            return None
        # Two exported names are one class when each is among the other's classes (its bases and itself).
        return other in ANCESTORS[a.name] and a.name in ANCESTORS[other]

    def layer_isinstance(self, obj: LayerObj, types: Any) -> Any:
        """``isinstance(layer, keras.layers.X)`` (or a tuple of such classes and builtin types) for a layer of a
        class ``keras.layers`` exports: decided by that class's bases (catalogue/ancestors.py); None when
        not (a custom layer, a model, a class the table does not hold)."""
        d = self.graph.layer(obj.uid)
        if d.submodel is not None and not d.operation:
            return self.model_isinstance(self.graph.submodel(obj.uid), types)
        # A keras.applications model's layer (known=False: made from the stored graph, not from code) is of the
        # Keras class stored for it; not the ones only the applications define (LayerScale) or nested models.
        known = d.known or d.kwarg("application_layer") is not None
        bases = ANCESTORS.get(d.type) if known and not d.operation and d.submodel is None else None
        if bases is None:
            return None
        return _instance_of(types, lambda name: name == "Layer" or name in bases, lambda path: False)

    def model_isinstance(self, model: Any, types: Any) -> Any:
        """``isinstance(layer, keras.layers.BatchNormalization)`` for a model (one held as a layer of another:
        ``for layer in model.layers`` over ``Sequential([base, ...])``) made by Keras's own classes (a
        ``keras.applications`` call, ``keras.Model(inputs, outputs)``, a Sequential): a Functional or a Sequential
        is a ``keras.layers.Layer`` and a ``keras.Model``, of no other class ``keras.layers`` exports. None when not
        decided (a subclassed model, whose class may have other bases; a class the table does not hold)."""
        if not isinstance(model, ModelBuilder) or model.kind not in ("application", "functional", "sequential"):
            return None
        return _instance_of(types, lambda name: name == "Layer",
                            lambda path: not path.endswith("Sequential") or model.kind == "sequential")

    def functools_reduce(self, args: Tuple[Any, ...], e: Any) -> Any:
        """``functools.reduce(f, items)`` and ``functools.reduce(f, items, initial)`` of known items: ``f`` called on
        the running value and each item in turn, as Python does (``compose(*funcs)`` of the YOLO models chains
        layers so). Python raises TypeError on no items and no initial value. Unknown where the list or dict the
        items come from changes while it runs (Python reads the live list); NOT_MINE where they are not known."""
        func, seq = args[0], args[1]
        items = self.iterate(seq)
        if items is None or len(items) > self.limits.loop_iterations:
            return arrays.NOT_MINE
        if len(args) == 2 and not items:
            return self.python_error("TypeError", "`functools.reduce()` of an empty sequence with no initial value "
                                     "(Python raises TypeError)", e)
        version = getattr(seq, "version", None)
        acc, rest = (args[2], items) if len(args) == 3 else (items[0], items[1:])
        for item in rest:
            acc = self.call(func, (acc, item), {}, e)
        if getattr(seq, "version", None) != version:
            return self.unknown("`functools.reduce()` over a list or dict that its function changes", e)
        return acc

    def itertools_call(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``itertools.chain(a, b)`` of known sequences: their items in order; ``itertools.product(a, b)`` (and
        ``repeat=``): its tuples in order, for a grid of at most ``_PRODUCT_ITEMS`` (a grid search's loop of a
        hundred runs, each building a model, costs more to follow than the analysis allows a file; a larger one is
        unknown, saying so); unknown where they would unfold to more items than the analysis follows; NOT_MINE where
        a sequence is not known."""
        repeat = kwargs.get("repeat", 1) if path == "itertools.product" else None
        if kwargs and (repeat is None or set(kwargs) != {"repeat"} or type(repeat) is not int or repeat < 0):
            return arrays.NOT_MINE
        seqs = [self.iterate(a) for a in args]
        if any(s is None for s in seqs):
            return arrays.NOT_MINE
        if path == "itertools.product":
            pools = [tuple(s) for s in seqs] * repeat
            count = math.prod(len(p) for p in pools)
            if count > _PRODUCT_ITEMS:
                return self.unknown(f"`{self.code(e)}` gives {count:,} tuples, more than the {_PRODUCT_ITEMS} the "
                                    "analysis unfolds (a grid search's loop, a model built in each run)", e)
            items: Tuple[Any, ...] = tuple(itertools.product(*pools))
        else:
            items = tuple(item for s in seqs for item in s)
        return self.unknown(f"`{path}(...)` too large to follow", e) if self.too_large(items) else items

    def tensor_shape_value(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.TensorShape([None, 28])``: the shape as a tuple of its sizes (None where not known), which Keras
        reads as it reads a tuple; unknown for anything but a list or tuple of sizes (``TensorShape(None)``,
        of unknown rank)."""
        dims = args[0] if len(args) == 1 and not kwargs else kwargs.get("dims") if not args and set(kwargs) == {
            "dims"} else None
        if isinstance(dims, Unknown) or isinstance(dims, ListValue) and dims.tainted is not None:
            return dims if isinstance(dims, Unknown) else dims.tainted
        items = dims.items if isinstance(dims, ListValue) and dims.tainted is None else dims \
            if isinstance(dims, tuple) else None
        if items is None or not all(d is None or isinstance(d, int) and not isinstance(d, bool) and d >= 0
                                    for d in items):
            return self.unknown(f"`{self.code(e)}`: a TensorShape of sizes the analysis does not know", e)
        return tuple(items)

    def eager_tensor(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``x = keras.random.uniform((32, 224, 224, 3))`` outside a body Keras traces:
        an eager tensor of that shape, as an array of that shape (a model called on it is built as on a NumPy array;
        its values are never read here); None for other calls or a shape not given."""
        if path not in _EAGER_MAKERS or self.graph.tracing is not None or len(args) > 1 or \
                set(kwargs) - {"shape", "minval", "maxval", "mean", "stddev", "dtype", "seed"} or \
                bool(args) == ("shape" in kwargs):
            return None
        value = arrays.create(self, "zeros", (args[0] if args else kwargs["shape"],), {}, e)
        return value if isinstance(value, ArrayValue) else None

    def namedtuple_class(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``collections.namedtuple("Field", ["name", "size"], defaults=[8])``: the class it makes, followed as a
        ``typing.NamedTuple`` class of those fields (the rightmost ones given the defaults); unknown for what
        this does not follow (``rename=``, ``module=``, names Python rejects or renames)."""
        given = dict(zip(("typename", "field_names"), args))
        if len(args) > 2 or set(kwargs) - {"typename", "field_names", "defaults"} or set(kwargs) & set(given):
            return self.unknown("`collections.namedtuple(...)` with arguments not followed", e)
        given.update(kwargs)
        typename, names = given.get("typename"), given.get("field_names")
        if type(names) is str:
            names = names.replace(",", " ").split()
        else:
            names = self.sequence(names) if names is not None else None
        defaults = given.get("defaults")
        defaults = () if defaults is None else self.sequence(defaults)
        if type(typename) is not str or not typename.isidentifier() or typename in _PYTHON_KEYWORDS or \
                names is None or defaults is None or not all(
                    type(n) is str and n.isidentifier() and not n.startswith("_") and n not in _PYTHON_KEYWORDS
                    for n in names) or \
                len(set(names)) != len(names) or len(defaults) > len(names):
            return self.unknown("`collections.namedtuple(...)` of a name or fields not known (or that Python "
                                "rejects)", e)
        members = dict(zip(names[len(names) - len(defaults):], defaults))
        cls = ClassValue(typename, (), members, plain="namedtuple", fields=list(names))
        cls.mro = [cls]
        return cls

    def random_integer(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Optional[Expr]:
        """``random.randint(a, b)``, ``random.randrange(...)`` and NumPy's ``np.random.randint(low[, high])`` (no
        ``size=``, no ``dtype=``: a Python int, as NumPy's legacy generator gives one number): a draw between bounds
        that are integers, a symbol named by the call's text, another one at each call (``_FRESH_CALLEES``). None
        where the call may raise (bounds known to leave nothing to draw) or is not of that form (not followed)."""
        if kwargs or not 1 <= len(args) <= (2 if path != "random.randrange" else 3) or \
                path == "random.randint" and len(args) != 2 or e is None or \
                not all(type(a) is int or isinstance(a, Expr) and not isinstance(a, NumpyExpr) for a in args):
            return None
        if all(type(a) is int for a in args):
            low, high = (0, args[0]) if len(args) == 1 else args[:2]
            step = args[2] if len(args) == 3 else 1
            if not (high >= low if path == "random.randint" else step != 0 and len(range(low, high, step)) > 0):
                return None  # (Python and NumPy raise ValueError: nothing to draw)
        elif path != "random.randint" and len(args) == 3:
            return None
        return self.made_symbol(self.code(e), f"a random integer `{self.code(e)}` draws", e)

    def call_external(self, func: ExternalRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        path = func.path
        last = path.split(".")[-1]
        if path.split(".")[0] in names.KERAS_HUB:
            # keras_hub.models.X.from_preset(...), keras_nlp.layers.TransformerEncoder(...): an unknown layer
            return _fresh(self.opaque_call(path, f"`{path}` is from KerasHub, which is not analysed", args, kwargs, e,
                                           instantiate=True), args, kwargs)
        if path.split(".")[0] == names.TF_HUB:
            # hub.KerasLayer("https://tfhub.dev/..."): an unknown layer, whose reason says why
            return _fresh(self.opaque_call(path, f"`{path}` loads a TensorFlow Hub model, which is not analysed", args,
                                           kwargs, e, instantiate=True), args, kwargs)
        if path == "learntools.core.binder.bind" and len(args) == 1 and not kwargs:
            # Kaggle Learn's exercise checker keeps the notebook's globals to read them later, through a read-only
            # wrapper (learntools.core.globals_binder): nothing of the notebook changes (not an escape).
            return None
        if path in ("tensorflow.TensorShape", "tensorflow.compat.v1.TensorShape"):
            return self.tensor_shape_value(args, kwargs, e)
        if path in VERSION_MAKERS and len(args) == 1 and not kwargs:
            version = _version_object(VERSION_MAKERS[path], args[0])  # StrictVersion(keras.__version__)
            if version is not None:
                return version
        if path == "tensorflow.Variable":
            # tf.keras 2 counted a layer's or model's tf.Variable attribute among its weights; Keras 3 does not
            # track it (count_params() leaves it out, TensorFlow backend too): the numbers depend on the version.
            return self.opaque_call(path, "`tensorflow.Variable` is not analysed: as a layer's or model's attribute, "
                                    "tf.keras 2 counted it as a weight, Keras 3 does not", args, kwargs, e)
        if path.startswith("tensorflow."):
            value = self.backend_operation(path, args, kwargs, e)  # tf.reduce_sum(x) in a Lambda's body
            if value is not ops_calls.NOT_MINE:
                return value
        if path in _RANDOM_INTEGERS:
            value = self.random_integer(path, args, kwargs, e)
            if value is not None:
                return value
        if path in ("dataclasses.field", "dataclasses.replace"):
            value = self.dataclass_field(args, kwargs) if path == "dataclasses.field" else \
                self.dataclass_replace(args, kwargs, e)
            if value is not None:
                return value
        if path in ("copy.copy", "copy.deepcopy") and len(args) == 1 and not kwargs:
            # blocks_args = copy.deepcopy(DEFAULT_BLOCKS_ARGS): a new list of new dicts, which the loop then changes
            value = _copy_plain(args[0], path == "copy.deepcopy", {})
            if value is not arrays.NOT_MINE:
                return value
        if path.split(".")[0] in ("numpy", "np"):
            if last == "insert":
                value = arrays.valued_insert(self, args, kwargs)
                if value is not arrays.NOT_MINE:
                    return value
            if not (path in arrays.NUMPY_BINARY and len(args) == 2 and not kwargs):  # (those make a new array)
                shuffled = args[0] if last == "shuffle" and len(args) == 1 and not kwargs and \
                    isinstance(args[0], arrays.ArrayValue) else None
                below = shuffled.below if shuffled is not None else None
                arrays.seal(*args, *kwargs.values())  # np.random.shuffle(x), np.reshape(x, ...): changed, or viewed
                if below is not None:
                    shuffled.below = below  # (the same values in another order: row numbers still, np.arange(n)'s)
        value = sources.external_call(self, path, args, kwargs, e)
        if value is not arrays.NOT_MINE:
            return value
        if path in sources.GYM_MAKE:  # an environment whose spaces are not known (its id, or keywords changing them)
            return self.opaque_call(path, sources.GYM_UNKNOWN.format(path), args, kwargs, e)
        if path.split(".")[0] in ("numpy", "np"):
            if path in arrays.NUMPY_ELEMENTWISE:
                value = arrays.elementwise(args, kwargs)
                if value is not arrays.NOT_MINE:
                    return value
            if path in arrays.NUMPY_BINARY and len(args) == 2 and not kwargs and \
                    any(isinstance(a, arrays.ArrayValue) for a in args):
                # `np.power(10000, (2 * (i // 2)) / np.float32(d))`: the broadcast of the two, as the operators'
                # (arrays.binop); with a number whose value is not known (ArrayNumber), the array's shape
                if any(isinstance(a, ArrayNumber) for a in args):
                    value = arrays.number_binop("Add", *args)
                    if value is not None:
                        return value
                else:  # (np.power(2, exps) of known values keeps them, as `2 ** exps`)
                    return arrays.binop(self, args[0], args[1], e, arrays.NUMPY_OPERATORS.get(last))
            if last in ("float32", "float16") and len(args) == 1 and not kwargs and \
                    isinstance(args[0], (int, float)) and not isinstance(args[0], bool):
                # np.float32(d_model): one number, rounded to that precision, whose arithmetic NumPy does in it:
                # its value is not kept (not a size), but with an array it broadcasts as a number (ArrayNumber)
                made = self.unknown(f"`{self.code(e)}`: a NumPy {last}, whose value is not followed", e)
                return ArrayNumber(made.reason, made.span) if type(made) is Unknown else made
            value = arrays.numpy_call(self, last, args, kwargs, e)
            if value is not arrays.NOT_MINE:
                return value
            value = _numpy_scalar(last, args, kwargs)
            if value is not None:
                return value
            if last in ("minimum", "maximum") and len(args) == 2 and not kwargs:
                value = sources.scalar_extreme(last, args, 2 ** 53)  # np.minimum(7, h)
            elif last in ("min", "max", "amin", "amax") and len(args) == 1 and not kwargs and \
                    isinstance(args[0], (tuple, list, ListValue)):
                items = self.sequence(args[0])  # np.max([3, 5]) of a list of known ints
                value = sources.scalar_extreme(last, tuple(items), 2 ** 53) if items is not None else None
            if value is not None:
                return value
        if path.startswith("sklearn."):
            value = arrays.sklearn_call(self, path, args, kwargs, e)
            if value is not arrays.NOT_MINE:
                return value
        if path in ("pprint.pprint", "pprint.pp"):
            return None  # (it only reads what it prints, as print does)
        if path in ("itertools.chain", "itertools.product") and args:
            value = self.itertools_call(path, args, kwargs, e)
            if value is not arrays.NOT_MINE:
                return value
        if path == "collections.OrderedDict" and len(args) <= 1:
            # a dict that keeps its keys in the order they were first set, as every dict of Python 3.7 does: made
            # as dict(...) is (what only an OrderedDict has, move_to_end or popitem(last=False), is not followed)
            return self.call_builtin("dict", args, kwargs, e)
        if path == "collections.namedtuple":
            return self.namedtuple_class(args, kwargs, e)
        if path == "functools.partial" and args:
            return Partial(args[0], tuple(args[1:]), dict(kwargs))
        if path == "functools.reduce" and not kwargs and len(args) in (2, 3):
            value = self.functools_reduce(args, e)
            if value is not arrays.NOT_MINE:
                return value
            return self.opaque_call(path, f"`{path}` over items that are not known", args, kwargs, e)
        if path.startswith("math.") and len(args) == 1:
            a = args[0]
            if last in ("ceil", "floor") and isinstance(a, (int, float)) and not isinstance(a, bool):
                return (math.ceil if last == "ceil" else math.floor)(a)
            if last in ("ceil", "floor") and isinstance(a, Expr) and not a.numpy_scalar:
                return a  # (an integer)
            if last in ("ceil", "floor") and isinstance(a, FloatSymbol) and e is not None:
                return self.derived_symbol(self.code(e), e, *a.made_from)
            if last == "sqrt" and isinstance(a, (int, float)) and a >= 0:
                return math.sqrt(a)
            if last == "log2" and isinstance(a, (int, float)) and a > 0:
                return math.log2(a)
        if path.startswith("math.") and last in _MATH_FUNCTIONS and not kwargs and \
                _MATH_FUNCTIONS[last][0] <= len(args) <= _MATH_FUNCTIONS[last][1] and \
                all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args) and \
                (last not in _MATH_INTEGER_ONLY or all(isinstance(a, int) for a in args)) and \
                not (last == "factorial" and args[0] > 10_000):
            # math.log(10000), math.exp(-x), math.gcd(a, b) of known numbers: Python's own math gives the value
            try:
                return getattr(math, last)(*(float(a) if isinstance(a, float) else int(a) for a in args))
            except (ValueError, OverflowError) as exc:  # (math.log(0), math.exp(1000))
                return self.python_error(type(exc).__name__, f"`{self.code(e)}` fails (Python raises "
                                         f"{type(exc).__name__})", e)
        if path.split(".")[0] in ("numpy", "np", "math") and last == "prod" and len(args) == 1:
            items = self.iterate(args[0])
            if items is not None and all(isinstance(i, (int, Expr)) and not isinstance(i, bool) for i in items):
                total: Any = 1
                for it in items:
                    total = self.binop("Multiply", total, it, e)
                if path.split(".")[0] == "math":
                    return total
                # NumPy's product is a NumPy integer, which some Keras layer arguments reject (ir.NumpyInt);
                # of nothing it is the float 1.0
                if isinstance(total, Expr):
                    return NumpyExpr(dict(total.terms))  # np.prod((X.shape[1], 2)): a symbolic NumPy integer
                return (NumpyInt(total) if items else 1.0) if type(total) is int else total

        return self.opaque_call(path, f"`{path}` is not analysed", args, kwargs, e)

    def plain_list_method(self, obj: ListValue, name: str, args: Tuple[Any, ...], e: Any) -> Any:
        """``reverse``, ``clear``, ``copy``, and ``remove``/``index``/``count`` of a value when every item and the
        value are plain constants (so ``==`` is Python's); _NOT_HANDLED otherwise."""
        if name in ("reverse", "clear") and not args:
            if name == "reverse":
                obj.items.reverse()
            else:
                obj.items.clear()
            obj.version += 1
            return None
        if name == "copy" and not args:
            return ListValue(list(obj.items))  # a new list of the same items (a shallow copy)
        if name in ("remove", "index", "count") and len(args) == 1 and _comparable(args[0]) and \
                all(_comparable(item) for item in obj.items):
            found = [i for i, item in enumerate(obj.items) if item == args[0]]
            if name == "count":
                return len(found)
            if not found:
                return self.python_error("ValueError", f"`list.{name}({args[0]!r})`: no such item", e)
            if name == "index":
                return found[0]
            del obj.items[found[0]]
            obj.version += 1
            return None
        return _NOT_HANDLED

    def set_method(self, obj: SetValue, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """A method of a set: Python's own on its items. ``add`` and ``update`` change it in place, as Python does;
        a removal leaves it unknown (what it leaves in Python's table changes the order it iterates in)."""
        if name in _SET_READERS and not kwargs and obj.tainted is None:
            operands = [self.set_operand(a) for a in args]
            if all(o is not None for o in operands):
                try:
                    made = getattr(obj.items, name)(*operands)
                except TypeError:
                    return self.python_error("TypeError", f"`{self.code(e)}` fails (Python raises TypeError)", e)
                return SetValue(made) if isinstance(made, (set, frozenset)) else made
        if obj.kind == "frozenset" and name in _SET_WRITERS:
            return self.python_error("AttributeError", f"a frozenset has no method `{name}` (Python raises "
                                                       "AttributeError)", e)
        if name in ("add", "update") and not kwargs and obj.tainted is None and (len(args) == 1 or name == "update"):
            # (`s.add(x)` as `s.update((x,))`: Python adds the one item alike)
            operands = [(args[0],) if set_member(args[0]) else None] if name == "add" else \
                [self.set_operand(a) for a in args]
            if all(o is not None for o in operands):
                obj.version += 1  # (logged first, then changed: an undecided branch sees the change)
                obj.items.update(*operands)
                return None
        if name not in _SET_READERS and name not in _SET_WRITERS:
            return self.python_error("AttributeError", f"a {obj.kind} has no method `{name}` (Python raises "
                                                       "AttributeError)", e)
        if name in _SET_WRITERS:
            self.taint(obj, self.unknown(f"changed by `.{name}()`", e))
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def call_method(self, m: BoundMethod, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        obj, name = m.obj, m.name
        if type(obj) is ArrayNumber:
            # (expressions._NUMBER_METHODS: `x.mean().astype(np.float32)`, `x.std().item()`) one number again
            return obj
        if name == "__len__" and not args and not kwargs and isinstance(obj, (ListValue, DictValue)):
            # `vocab.__len__()` is what `len(vocab)` calls (len() calls type(x).__len__(x))
            return self.call_builtin("len", (obj,), {}, e)
        if isinstance(obj, ListValue):
            if name == "append" and len(args) == 1:
                obj.items.append(args[0])
                obj.version += 1
                self.grown(obj, args[0], e)
                return None
            if name == "extend" and len(args) == 1:
                items = self.iterate(args[0])
                if items is not None and len(obj.items) + len(items) > self.limits.sequence_length:
                    obj.tainted = obj.tainted or self.unknown("a list too long to follow", e)
                elif items is None:
                    obj.tainted = obj.tainted or self.unknown("extended with unknown items", e)
                else:
                    obj.items.extend(items)
                    obj.version += 1
                    self.grown(obj, tuple(items), e)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.items.insert(args[0], args[1])
                obj.version += 1
                self.grown(obj, args[1], e)
                return None
            if name == "pop" and obj.tainted is None and obj.items and (not args or isinstance(args[0], int)):
                try:
                    obj.version += 1
                    return obj.items.pop(*args)
                except IndexError:
                    return self.unknown("pop from an empty list", e)
            if obj.tainted is None and not kwargs:
                done = self.plain_list_method(obj, name, args, e)
                if done is not _NOT_HANDLED:
                    return done
            if name == "sort" and obj.tainted is None and set(kwargs) <= {"key", "reverse"} and not args and \
                    isinstance(kwargs.get("reverse", False), bool):
                keys = self.sort_keys(obj.items, kwargs.get("key"), e) if obj.items else []
                if keys is not None:
                    order = sorted(range(len(obj.items)), key=lambda i: keys[i], reverse=kwargs.get("reverse", False))
                    obj.items[:] = [obj.items[i] for i in order]  # (a stable sort, as list.sort)
                    obj.version += 1
                    return None
            if name in ("index", "count", "copy"):
                return self.unknown(f"list.{name}()", e)
            obj.tainted = obj.tainted or self.unknown(f"changed by .{name}()", e)
            return self.unknown(f".{name}()", e)
        if type(obj) is SetValue:
            return self.set_method(obj, name, args, kwargs, e)
        if isinstance(obj, DictValue):
            if obj.tainted is None:
                if name == "get" and args and isinstance(args[0], (str, int, tuple)):
                    return obj.items.get(args[0], args[1] if len(args) > 1 else None)
                if name in ("keys", "values", "items"):
                    return ViewItems(getattr(obj.items, name)())
                if name == "update" and len(args) <= 1:
                    # d.update(other), d.update(units=64), d.update([("units", 64)]): Python's order, keywords last
                    other = args[0] if args else None
                    if isinstance(other, DictValue):
                        pairs = None if other.tainted else list(other.items.items())
                    else:
                        pairs = [] if other is None else self.key_value_pairs(other)
                    if pairs is not None:
                        obj.items.update(pairs)
                        obj.items.update(kwargs)
                        obj.version += 1
                        self.grown(obj, (*(v for _, v in pairs), *kwargs.values()), e)
                        return None
                if name == "pop" and 1 <= len(args) <= 2 and not kwargs and type(args[0]) in (str, int):
                    if args[0] in obj.items:  # args.pop("repeats"): the value, and the key is gone
                        obj.version += 1
                        return obj.items.pop(args[0])
                    if len(args) == 2:
                        return args[1]
                    return self.python_error("KeyError", f"key {args[0]!r} is not in the dict", e)
                if name == "setdefault" and 1 <= len(args) <= 2 and not kwargs and type(args[0]) in (str, int):
                    if args[0] in obj.items:
                        return obj.items[args[0]]
                    default = args[1] if len(args) == 2 else None
                    obj.items[args[0]] = default  # conv_params.setdefault("strides", (1, 1))
                    obj.version += 1
                    self.grown(obj, default, e)
                    return default
            if name == "copy" and not args and not kwargs and obj.tainted is None:
                return DictValue(dict(obj.items))  # a new dict of the same values (a shallow copy)
            why = obj.tainted
            if name not in ("get", "keys", "values", "items", "copy"):
                obj.tainted = obj.tainted or self.unknown(f"changed by .{name}()", e)
            if why is not None and why.reason:
                return self.unknown(f"`.{name}()` of a dict not known ({why.reason})", e)
            return self.unknown(f"dict.{name}()", e)
        if isinstance(obj, VersionHead) and not obj.parts and len(args) == 1 and not kwargs and type(args[0]) is str:
            if name == "split" and args[0] and args[0] in obj.head:
                return VersionHead(obj.head.split(args[0])[0], parts=True)  # "3.…".split(".")[0] is "3"
            if name == "startswith":
                if obj.head.startswith(args[0]):
                    return True
                if not args[0].startswith(obj.head):
                    return False
        if isinstance(obj, str):
            if name in ("lower", "upper", "strip") and not args:
                return getattr(obj, name)()
            if type(obj) is str:
                text = self.string_method(obj, name, args, kwargs)
                if text is not None:
                    return text
            return self.unknown(f"str.{name}()", e)
        if isinstance(obj, ModelBuilder):
            return self.model_method(obj, name, args, kwargs, e)
        if isinstance(obj, LayerObj) and name == "build":
            return self.sublayer_build(obj, args, kwargs, e)
        if isinstance(obj, LayerObj) and name == "quantize":
            # Keras replaces the layer's weights (graph.set_layer_quantized): its counts are unknown
            self.graph.set_layer_quantized(obj.uid, args[0] if args else kwargs.get("mode"))
            return None
        if isinstance(obj, LayerObj) and name == "adapt":
            self.normalization_adapt(obj, args, kwargs, e)
            return None
        if isinstance(obj, LayerObj) and name == "compute_output_shape":
            return self.sublayer_output_shape(obj, args, kwargs, e)
        if isinstance(obj, LayerObj) and name == "set_weights":
            rejected = self.set_weights_unbuilt(obj, args, kwargs, e)
            if rejected is not None:
                return rejected
        if isinstance(obj, LayerObj) and name == "vocabulary_size" and not args and not kwargs:
            return self.vocabulary_size(obj, e)
        if isinstance(obj, ArrayValue):
            return arrays.method(self, obj, name, args, kwargs, e)
        if isinstance(obj, sources.DataObject):
            return obj.method(self, name, args, kwargs, e)
        if type(obj).__name__ == "GlobalsRef":
            return self.globals_method(obj, name, args, e)
        value = self.shape_method(obj, name, args, e)
        return self.unknown(f".{name}()", e) if value is live.NOT_MINE else value

    def normalization_adapt(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
        """``norm.adapt(data)`` of a Normalization no call has built: Keras builds it there, on the data's whole
        shape (its weights are for the axes it keeps, which the later calls must agree with), and the summary of a
        subclassed model shows its output for that shape. The data's shape, when known, is its ``built_shape``;
        otherwise ``adapted`` says why it is not known. Other layers' ``adapt`` builds nothing."""
        layer = self.graph.layer(obj.uid)
        if layer.type != "Normalization" or not layer.known or layer.submodel is not None or \
                layer.built_shape is not None or layer.adapted is not None or \
                next(self.graph.calls_of(obj.uid), None) is not None:
            return
        data = args[0] if args else kwargs.get("data")
        if isinstance(data, ArrayValue) and data.tainted is None and not data.ragged and data.shape and \
                all(type(d) is int for d in data.shape) and len(args) + len(kwargs) == 1 and \
                self.undecided <= self.build_undecided:
            self.graph.update_layer(obj.uid, built_shape=tuple(data.shape))
        else:
            self.graph.update_layer(obj.uid, adapted=self.unknown(
                f"`{self.code(e)}` builds {layer.name} on the shape of its data, which is not known", e))
        self.graph.layer_built(obj.uid)

    def vocabulary_size(self, obj: LayerObj, e: Any) -> Any:
        """``lookup.vocabulary_size()`` of a TextVectorization, StringLookup or IntegerLookup: a Python int, the size
        of the vocabulary it learned by ``adapt()`` or was given (with its OOV and mask tokens), which the data fixes.
        A symbol named by the call; each time it is read, a new one (``adapt()`` may have changed the vocabulary
        in between), so two reads are never taken for the same size."""
        text = self.code(e) if e is not None else f"{self.graph.layer(obj.uid).name}.vocabulary_size()"
        name, n = text, 1
        while (name, self.uncalled) in self.symbol_origins:
            n += 1
            name = numbered(text, n)
        return self.made_symbol(name, "the size of the vocabulary the layer learned from data (or was given)", e)

    def set_weights_unbuilt(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``model.layers[0].set_weights([matrix])`` on a layer of a Sequential Keras has not built (no input
        shape: Keras 3 ignores an Embedding's ``input_length``): the layer has no weights yet, and Keras raises
        ValueError ("expecting 0 weights"), so the script stops there and never builds the model. The model is
        unknown with that reason; inside a ``try``, the handlers get the ValueError. None when the call is not
        known to be that (the layer is built, or may be)."""
        weights = args[0] if len(args) == 1 and not kwargs else None
        items = self.iterate(weights) if isinstance(weights, (ListValue, tuple)) else None
        if not items or self.undecided or self.graph.tracing is not None or self.graph.building is not None:
            return None
        layer = self.graph.layer(obj.uid)
        if layer.submodel is not None or layer.built_shape is not None or next(self.graph.calls_of(obj.uid), None):
            return None
        holders = [b for b in self.graph.models if obj.uid in b.layers]
        if len(holders) != 1 or holders[0].kind != "sequential":
            return None
        b = holders[0]
        if b.input_layer is not None or b.implicit_input or b.built_by_node is not None or \
                b.unresolved is not None or b.built_on_data is not None or self.graph.input_from_submodel(b):
            return None
        why = (f"{live.KERAS_REJECTS}`{self.code(e)}` gives {len(items)} weight array(s) to {layer.name}, which has "
               "none yet: Keras has not built the model (it has no input shape), so set_weights raises ValueError")
        # (in a `try` whose handlers take ValueError, the model goes on unchanged)
        self.model_stops_here(b, why)
        return self.python_error("ValueError", why, e)

    def string_method(self, text: str, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``"P{}".format(3)``, ``"_".join(parts)``, ``s.replace("a", "b")``, ``s.split("_")`` on known plain values: the string
        Python gives, or None when not followed (a value that is not a plain ``str``/``int``/``float``/``bool``/
        ``None``, which includes NumPy scalars; ``{0.attr}``/``{0[key]}`` fields, nested or wide format specs;
        a result longer than the analysis follows)."""
        result: Any = None
        if name in ("startswith", "endswith") and 1 <= len(args) <= 3 and not kwargs and (
                type(args[0]) is str or type(args[0]) is tuple and all(type(a) is str for a in args[0])) and \
                all(type(a) in (int, type(None)) for a in args[1:]):
            # `layer.name.startswith("block5")`, `name.endswith(("_bn", "_gn"))`: a bool (a non-str prefix is
            # Python's TypeError, not decided here)
            return getattr(text, name)(*args)
        if name == "format":
            values = list(args) + list(kwargs.values())
            if not all(type(v) in _PLAIN_TYPES for v in values) or not _simple_format(text):
                return None
            try:
                result = text.format(*args, **kwargs)
            except (ValueError, TypeError, IndexError, KeyError):
                return None  # what Python raises: not decided here (the code may catch it)
        elif name == "join" and len(args) == 1 and not kwargs:
            items = self.iterate(args[0])
            if items is None or not all(type(i) is str for i in items):
                return None
            result = text.join(items)
        elif name == "replace" and len(args) == 2 and not kwargs and all(type(a) is str for a in args):
            if args[0] and len(text) * (len(args[1]) + 1) > self.limits.sequence_length:
                return None
            result = text.replace(args[0], args[1])
        elif name in ("split", "rsplit") and len(args) <= 2 and set(kwargs) <= {"sep", "maxsplit"} and \
                all(type(a) in (str, type(None)) for a in args[:1]) and all(type(a) is int for a in args[1:]) and \
                type(kwargs.get("sep")) in (str, type(None)) and type(kwargs.get("maxsplit", -1)) is int and \
                len(text) <= self.limits.sequence_length:
            try:
                return ListValue(getattr(text, name)(*args, **kwargs))  # a list of new strings, as Python's
            except ValueError:
                return None  # "empty separator": what Python raises is not decided here
        if result is None or len(result) > self.limits.sequence_length:
            return None
        return result


#: The types whose ``str.format`` text the analysis writes (NumPy scalars, whose text depends on NumPy's
#: version, are not among them).
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _simple_format(text: str) -> bool:
    """Whether every field of the format string ``text`` is ``{}``, ``{0}`` or ``{name}`` with an optional
    conversion and a format spec without nested fields or widths over three digits."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return False
    for _, field, spec, _conversion in fields:
        if field is None:
            continue
        if "." in field or "[" in field or spec and ("{" in spec or any(len(d) > 3 for d in re.findall(r"\d+", spec))):
            return False
    return True


#: NumPy functions of one number whose result is exact in any implementation (IEEE rounding and square root;
#: ``np.exp``/``np.log`` may differ from ``math``'s in the last bit, so they are not here).
_NUMPY_ROUNDING = {"round": round, "around": round, "rint": round, "ceil": math.ceil, "floor": math.floor,
                   "trunc": math.trunc, "fix": math.trunc}


def _numpy_scalar(name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``np.round(x)``, ``np.ceil(x)``, ``np.sqrt(x)``, ``np.abs(x)``... of a known Python number: the NumPy
    scalar NumPy returns (a NumpyFloat, or a NumpyInt for ``np.round``/``np.abs`` of an int); None when not
    decided (``np.ceil`` of an int is an int in NumPy 2.4, a float in older releases)."""
    if len(args) != 1 or kwargs and not (name in ("round", "around") and set(kwargs) == {"decimals"}
                                         and type(kwargs["decimals"]) is int and kwargs["decimals"] == 0):
        return None
    x = args[0]
    if name in ("int32", "int64") and isinstance(x, (int, float)) and not isinstance(x, bool) and \
            (not isinstance(x, float) or math.isfinite(x)) and abs(x) < 2 ** 31:
        # np.int32(N / 4) of a known number: NumPy's conversion truncates a float toward zero, as int() does
        return NumpyInt32(int(x)) if name == "int32" else NumpyInt(int(x))
    if type(x) is int:
        if abs(x) >= 2 ** 53:
            return None  # beyond int64 (or float64's exact integers): left to NumPy
        if name in ("round", "around", "abs", "absolute"):
            return NumpyInt(abs(x) if name in ("abs", "absolute") else x)
        if name == "rint" or name == "sqrt" and x >= 0:
            x = float(x)
        else:
            return None
    if type(x) is not float or not math.isfinite(x):
        return None  # bools, NumPy scalars already, infinities and nan are left to NumPy
    if name in _NUMPY_ROUNDING:
        return NumpyFloat(_NUMPY_ROUNDING[name](x))  # round() rounds halves to even, as np.round does
    if name == "sqrt" and x >= 0:
        return NumpyFloat(math.sqrt(x))
    if name in ("abs", "absolute"):
        return NumpyFloat(abs(x))
    return None


#: The name of ``type(x)`` for a tensor, layer or model: a Keras class, which is not a builtin type (whether two
#: such types are the same is not decided).
KERAS_TYPE = "<a Keras class>"

@dataclass(frozen=True)
class LayerClass:
    """The class of a layer whose class ``keras.layers`` exports, by that exported name: what ``type(layer)``
    and ``layer.__class__`` give, for comparing with ``is``/``==`` (``BuiltinCalls.same_class``)."""

    name: str


#: The methods of a set that read it (and their arguments) and make a new set or a bool.
_SET_READERS = frozenset({"union", "intersection", "difference", "symmetric_difference", "issubset", "issuperset",
                          "isdisjoint", "copy"})
#: Builtins that read a set's items (those the analysis did not compute say why).
_SET_READING_BUILTINS = frozenset({"list", "tuple", "enumerate", "zip", "reversed", "sorted", "min", "max", "sum",
                                   "any", "all", "iter", "next", "set", "frozenset", "dict", "len"})
#: Those that change it in place (a frozenset has none of them).
_SET_WRITERS = frozenset({"add", "update", "discard", "remove", "pop", "clear", "difference_update",
                          "intersection_update", "symmetric_difference_update"})
#: Builtin types ``isinstance`` is decided for.
_TYPE_NAMES = ("int", "float", "str", "bool", "tuple", "list", "dict", "set", "frozenset")
#: Keras's model classes: no layer of ``keras.layers`` is one.
_MODEL_CLASSES = frozenset({"keras.Model", "keras.Sequential", "keras.models.Model", "keras.models.Sequential"})


def _instance_of(types: Any, layer_class: Any, model_class: Any) -> Optional[bool]:
    """``isinstance(x, types)`` for a layer or model ``x`` (``types`` one class or a tuple of classes and builtin
    types): ``layer_class(name)`` says whether ``x`` is of the class ``keras.layers`` exports under that name
    (``keras.Layer`` is ``"Layer"``), ``model_class(path)`` whether it is of the model class at that path
    (:data:`_MODEL_CLASSES`). None when a class is none of those (not decided)."""
    out = False
    for t in types if isinstance(types, tuple) else (types,):
        if isinstance(t, Builtin) and t.name in _TYPE_NAMES:
            continue  # a layer is none of them
        if not isinstance(t, KerasRef):
            return None
        head, _, last = t.path.rpartition(".")
        if head == "keras.layers" and last in EXPORTED or t.path == "keras.Layer":
            out = layer_class(last) or out
        elif t.path in _MODEL_CLASSES:
            out = model_class(t.path) or out
        else:
            return None
    return out


def _string_types(t: Any) -> bool:
    """``six.string_types`` (``(str,)`` on Python 3)."""
    return isinstance(t, ExternalRef) and t.path == "six.string_types" or \
        isinstance(t, Expr) and t == _SIX_STRING_TYPES


#: ``six.string_types`` as the analysis reads it (a name of a module it does not see: a symbol).
_SIX_STRING_TYPES = symbol("six.string_types")


def _outside_origin(text: str) -> str:
    """Where ``int(...)`` of a value from outside the analysed code comes from, in words, after its text."""
    if "sys.argv" in text:
        return "a command-line argument in sys.argv"
    if "environ" in text or "getenv" in text:
        return "an environment variable"
    if "input(" in text:
        return "what the user types at input()"
    return "a value from outside the analysed code"


def _keras_class(path: str) -> bool:
    """A Keras class by its path (``keras.Model``, ``keras.layers.Layer``): a capitalised last name, but the
    functions so named (``keras.Input``, the ``keras.applications`` builders), which isinstance rejects."""
    last = path.rsplit(".", 1)[-1]
    return path.startswith("keras.") and last[:1].isupper() and last != "Input" and \
        not path.startswith("keras.applications.")


_NOT_HANDLED = object()


def _unless_changed(interp: Any, before: List[Tuple[Any, int]], made: Any, e: Any) -> Any:
    """What map()/filter() gave, unless the function changed a list they read while they read it (Python's lazy
    map then sees the new items, or never ends): then unknown, and so is the list."""
    changed = [lst for lst, version in before if lst.version != version]
    if not changed:
        return made
    why = interp.unknown(f"`{interp.code(e)}`: a list it reads is changed while it reads it", e)
    for lst in changed:
        interp.taint(lst, why)
    return why


def _comparable(v: Any) -> bool:
    """A value whose ``==`` the analysis knows is Python's: a number, string, bool or None, or a tuple of them."""
    if v is None or type(v) in (int, float, str, bool):
        return True
    return type(v) is tuple and all(_comparable(x) for x in v)


def _plain_isinstance(v: Any, kind: Any, types: Any) -> Optional[bool]:
    """``isinstance(fc, SparseFeat)`` with plain classes of the file (one or a tuple of them): whether the class of
    the instance ``v`` has one of them in its method order; False for a value of a builtin type (``kind``), which no
    plain class of the file is a base of. None when not decided: another type among them, an instance whose
    attributes are not known, a class whose metaclass is ``abc.ABCMeta`` (``register`` and ``__subclasshook__`` may
    make it a virtual base)."""
    types = types if isinstance(types, tuple) else (types,)
    if not types or not all(isinstance(t, ClassValue) and t.plain and t.mro and not t.abc for t in types):
        return None
    if isinstance(v, PlainObject) and v.cls.plain and v.cls.mro and "__class__" not in v.attrs:
        return any(t in v.cls.mro for t in types)
    return False if kind in _TYPE_NAMES or kind == "NoneType" else None


def _python_type(v: Any) -> Any:
    """The builtin type name of a value whose Python type the analysis knows; "other" for a Keras object
    (a tensor, layer or model is none of them); None when not known (a symbol may be anything)."""
    if isinstance(v, bool):
        return "bool"
    if v is None:
        return "NoneType"  # (isinstance(None, str) is False; type(None) is no builtin type named here)
    if isinstance(v, (NumpyInt, NumpyFloat)):
        return None  # np.int64 is no int, np.float64 a float but not of type float: not decided
    for kind, name in ((int, "int"), (float, "float"), (str, "str"), (tuple, "tuple"), (ListValue, "list"),
                       (DictValue, "dict")):
        if isinstance(v, kind):
            return name
    if type(v) is SetValue:
        return v.kind
    if isinstance(v, (Function, LambdaValue)):
        return "function"  # a def or a lambda of the analysed code: of none of the builtin types named here
    return "other" if isinstance(v, (Tensor, LayerObj, ModelBuilder)) else None


def _lengths_of(e: Any) -> bool:
    """``e`` is ``max(map(len, xs))`` or ``max(len(x) for x in xs)`` (a list comprehension too): an integer
    whatever ``xs`` holds, when ``xs`` is data the analysis does not see."""
    if not isinstance(e, ast.Call) or len(e.args) + len(e.keywords) != 1 or not e.args:
        return False
    arg = e.args[0].value if isinstance(e.args[0], ast.Starred) else e.args[0]
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "map" and \
            len(arg.args) + len(arg.keywords) == 2 and len(arg.args) >= 1 and isinstance(arg.args[0], ast.Name) and \
            arg.args[0].id == "len":
        return True
    return isinstance(arg, (ast.GeneratorExp, ast.ListComp)) and isinstance(arg.elt, ast.Call) and \
        isinstance(arg.elt.func, ast.Name) and arg.elt.func.id == "len"


def _constant(value: Any) -> bool:
    """A string, number, bool or None, or a tuple or list of them: nothing that can hold a layer."""
    if isinstance(value, (tuple, ListValue)):
        items = value if isinstance(value, tuple) else value.items
        return (not isinstance(value, ListValue) or value.tainted is None) and all(map(_constant, items))
    return value is None or type(value) in (str, int, float, bool)


def _fresh(made: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """A KerasHub or TensorFlow Hub object made from constants alone (``from_preset("xception_41_imagenet")``):
    marked fresh, since none of the analysed code's layers is in it (OpaqueCallable.fresh)."""
    if type(made) is OpaqueCallable and all(map(_constant, (*args, *kwargs.values()))):
        return replace(made, fresh=True)
    return made


#: Values ``copy.copy``/``copy.deepcopy`` give back as they are (immutable: Python's copy is the value itself).
_IMMUTABLE_PLAIN = (int, float, str, bool, type(None), Expr, NumpyInt, NumpyFloat, NumpyBool)


def _copy_plain(value: Any, deep: bool, memo: Dict[int, Any], depth: int = 0) -> Any:
    """What ``copy.deepcopy(value)`` (``deep``) or ``copy.copy(value)`` gives when ``value`` is plain data the
    analysis follows whole: numbers, strings, None, and tuples, lists and dicts of them (a list or dict is a new
    one; a deep copy copies the lists and dicts inside too, keeping one copy of an object met twice, as Python's
    memo does). NOT_MINE for anything else (a layer, a tensor, a list with items not known, a value not known)."""
    if isinstance(value, _IMMUTABLE_PLAIN):
        return value
    if id(value) in memo:
        return memo[id(value)]
    if depth > 100:
        return arrays.NOT_MINE
    if not deep:  # a new list or dict of the same items (as list(...) and dict(...) make)
        return value if isinstance(value, tuple) else ListValue(list(value.items)) if isinstance(
            value, ListValue) and value.tainted is None else DictValue(dict(value.items)) if isinstance(
            value, DictValue) and value.tainted is None else arrays.NOT_MINE
    if isinstance(value, tuple):
        items = [_copy_plain(v, deep, memo, depth + 1) for v in value]
        return arrays.NOT_MINE if any(i is arrays.NOT_MINE for i in items) else tuple(items)
    if isinstance(value, (ListValue, DictValue)) and value.tainted is None:
        if isinstance(value, ListValue):
            out = memo[id(value)] = ListValue([])
            for v in value.items:
                c = _copy_plain(v, deep, memo, depth + 1)
                if c is arrays.NOT_MINE:
                    return arrays.NOT_MINE
                out.items.append(c)
            return out
        copied = memo[id(value)] = DictValue({})
        for k, v in value.items.items():
            ck, cv = _copy_plain(k, deep, memo, depth + 1), _copy_plain(v, deep, memo, depth + 1)
            if ck is arrays.NOT_MINE or cv is arrays.NOT_MINE:
                return arrays.NOT_MINE
            copied.items[ck] = cv
        return copied
    return arrays.NOT_MINE

