"""The ``match`` statement (PEP 634): its cases tried in order on the subject's value, as Python tries them.

A pattern is decided on a value the analysis knows (an int, a string, a list or tuple of known length, a dict, an
instance of a plain class of the file): it matches, binding its names, or it does not. Where a pattern cannot be
decided (the subject comes from data, a class pattern of a class not followed, a value compared with ``==`` of an
object the analysis does not follow), that case and the ones after it are run as undecided ways, as an undecided
``if``/``elif`` chain is: each way binds its case's names to unknowns, and the way that no case matches is one
of them unless a case matches everything.
"""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional, Sequence

from ..ir import Unknown
from . import plain
from .values import Builtin, ClassValue, DictValue, ListValue
from .collect import _collect
from .scopes import Scope

#: A pattern the analysis cannot decide on the subject (``match_pattern``'s third answer).
UNDECIDED = object()

#: Values compared by ``==`` and ``is`` as Python compares them.
_SCALARS = (int, float, complex, str, bytes, bool, type(None))
#: Builtin classes whose class pattern with one positional sub-pattern matches the subject itself (PEP 634's list).
_SELF_MATCHING = {"int": int, "float": float, "complex": complex, "str": str, "bytes": bytes, "bool": bool,
                  "list": list, "tuple": tuple, "dict": dict, "set": set, "frozenset": frozenset,
                  "bytearray": bytearray}


def _python_type(v: Any) -> Optional[type]:
    """The Python type of a value the analysis holds as itself or as a list or dict it follows; None otherwise."""
    if isinstance(v, _SCALARS) or type(v) is tuple:
        return type(v)
    if type(v) is ListValue:
        return list
    if type(v) is DictValue:
        return dict
    return None


def _plain_only(cls: ClassValue) -> bool:
    """A plain class of the file all of whose bases are plain classes of the file (no builtin or outside base that
    could make an int, list or dict an instance of it, or a metaclass that could answer ``isinstance`` itself)."""
    node = cls.node
    if not cls.plain or node is None or node.keywords or cls.mro is None:
        return False
    return all(c.plain and c.node is not None and not c.node.keywords and
               all(isinstance(b, ClassValue) for b in c.bases) for c in cls.mro)


def _match_args(cls: ClassValue) -> Optional[List[str]]:
    """The attributes a class pattern's positional sub-patterns read (``__match_args__``): a dataclass's or
    NamedTuple's fields, or a tuple of strings in the class body; None where the analysis does not know them."""
    if cls.plain == "namedtuple":
        return list(cls.fields)
    if cls.plain == "dataclass":
        decorators = cls.node.decorator_list if cls.node is not None else ()
        if any(isinstance(d, ast.Call) and d.keywords for d in decorators) or any(
                type(s) is ast.AnnAssign and "KW_ONLY" in ast.dump(s.annotation) for c in cls.mro or ()
                for s in (c.node.body if c.node is not None else ())):
            return None  # (kw_only=, match_args=, a KW_ONLY marker: not read)
        return [f for f in cls.fields if f not in cls.no_init]
    for c in cls.mro or ():
        given = c.members.get("__match_args__")
        if given is not None:
            return list(given) if type(given) is tuple and all(type(s) is str for s in given) else None
    return None


class Patterns:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: ``match`` statements."""

    def exec_Match(self, stmt: ast.Match, scope: Scope) -> None:
        subject = self.eval(stmt.subject, scope)
        for k, case in enumerate(stmt.cases):
            got = self.match_pattern(case.pattern, subject, scope)
            if got is None:
                continue
            if got is UNDECIDED:
                return self.undecided_cases(stmt, k, scope, None)
            for name, value in got.items():
                scope.set(name, value)
            if case.guard is not None:
                test = self.eval(case.guard, scope)
                truth = self.met_test(case.guard, test, self.truth(test))
                if truth is None:
                    return self.undecided_cases(stmt, k, scope, case.guard)
                if not truth:
                    continue
            self.exec_block(case.body, scope)
            return None
        return None

    def undecided_cases(self, stmt: ast.Match, k: int, scope: Scope, guard: Any) -> None:
        """Cases ``k`` and after of ``stmt`` run as undecided ways (``guard``: case ``k``'s guard, when its pattern
        matched and the guard is what is not decided; its names are bound already)."""
        at = guard if guard is not None else stmt.cases[k].pattern
        what = f"the guard `{self.code(guard)}`" if guard is not None else \
            f"whether `{self.code(stmt.subject)}` matches `case {self.code(at)}`"
        reason = self.unknown(f"depends on {what} ({self.line_of(at, scope)})", at)
        branches: List[Sequence[Any]] = []
        for j, case in enumerate(stmt.cases[k:], start=k):
            names = [] if j == k and guard is not None else _captures(case.pattern)
            branches.append([_BindCase(case, names, reason), *case.body] if names else list(case.body))
            if case.guard is None and _irrefutable(case.pattern):
                break
        else:
            branches.append([])  # no case matches
        self.exec_branches(branches, scope, reason, stmt)
        return None

    def exec_BindCase(self, stmt: "_BindCase", scope: Scope) -> None:
        for name in stmt.names:
            scope.set(name, Unknown(f"`{name}`: bound by `case {self.code(stmt.case.pattern)}` on a way the "
                                    f"analysis cannot decide ({stmt.reason.reason})", stmt.reason.span))

    def match_pattern(self, pat: Any, subject: Any, scope: Scope) -> Any:
        """Does ``pat`` match ``subject``: the names it binds (a dict), None (it does not), or UNDECIDED."""
        kind = type(pat)
        if kind is ast.MatchAs:
            if pat.pattern is None:
                return {} if pat.name is None else {pat.name: subject}
            got = self.match_pattern(pat.pattern, subject, scope)
            if type(got) is dict and pat.name is not None:
                got[pat.name] = subject
            return got
        if kind is ast.MatchOr:
            for alternative in pat.patterns:
                got = self.match_pattern(alternative, subject, scope)
                if got is not None:
                    return got  # (the first that matches, or undecided: a later one may be the one)
            return None
        if kind is ast.MatchValue:
            value = self.eval(pat.value, scope)
            if isinstance(subject, _SCALARS) and isinstance(value, _SCALARS):
                return {} if subject == value else None
            if isinstance(value, _SCALARS) and (type(subject) in (tuple, ListValue, DictValue) or isinstance(
                    subject, plain.PlainObject) and _plain_only(subject.cls) and not any(
                    "__eq__" in c.members for c in subject.cls.mro)):
                return None  # (a tuple, list, dict or plain object is never equal to a number or a string; a
                # dataclass's own `__eq__` compares only with its class)
            return UNDECIDED
        if kind is ast.MatchSingleton:
            if _python_type(subject) is not None or isinstance(subject, plain.PlainObject):
                return {} if subject is pat.value else None
            return UNDECIDED
        if kind is ast.MatchSequence:
            return self.match_sequence(pat, subject, scope)
        if kind is ast.MatchMapping:
            return self.match_mapping(pat, subject, scope)
        if kind is ast.MatchClass:
            return self.match_class(pat, subject, scope)
        return UNDECIDED

    def match_sequence(self, pat: ast.MatchSequence, subject: Any, scope: Scope) -> Any:
        kind = _python_type(subject)
        if kind in (list, tuple):
            if type(subject) is ListValue and subject.tainted is not None:
                return UNDECIDED
            items = list(subject.items if type(subject) is ListValue else subject)
        elif isinstance(subject, plain.PlainObject) and subject.cls.plain == "namedtuple":
            found = plain.namedtuple_items(subject)
            if found is None:
                return UNDECIDED
            items = list(found)
        elif kind is not None or isinstance(subject, plain.PlainObject) and subject.tainted is None and \
                subject.cls.plain != "namedtuple" and _plain_only(subject.cls):
            return None  # (a number, string, dict or plain object: not a sequence to a pattern)
        else:
            return UNDECIDED
        patterns = pat.patterns
        star = next((i for i, p in enumerate(patterns) if type(p) is ast.MatchStar), None)
        if star is None:
            if len(items) != len(patterns):
                return None
            pairs = list(zip(patterns, items))
        else:
            if len(items) < len(patterns) - 1:
                return None
            end = len(items) - (len(patterns) - star - 1)  # (the items after the star's go to the patterns after it)
            pairs = list(zip(patterns[:star], items[:star])) + list(zip(patterns[star + 1:], items[end:]))
        bound = self.match_all(pairs, scope)
        if type(bound) is not dict:
            return bound
        if star is not None and patterns[star].name is not None:
            bound[patterns[star].name] = ListValue(items[star:end])
        return bound

    def match_mapping(self, pat: ast.MatchMapping, subject: Any, scope: Scope) -> Any:
        kind = _python_type(subject)
        if kind is not dict:
            if kind is not None or isinstance(subject, plain.PlainObject) and subject.tainted is None and \
                    _plain_only(subject.cls):
                return None
            return UNDECIDED
        if subject.tainted is not None:
            return UNDECIDED
        keys = []
        for key_node in pat.keys:
            key = self.eval(key_node, scope)
            if not isinstance(key, _SCALARS):
                return UNDECIDED
            if key not in subject.items:
                return None
            keys.append(key)
        bound = self.match_all([(p, subject.items[k]) for p, k in zip(pat.patterns, keys)], scope)
        if type(bound) is not dict:
            return bound
        if pat.rest is not None:
            bound[pat.rest] = DictValue({k: v for k, v in subject.items.items() if k not in keys})
        return bound

    def match_class(self, pat: ast.MatchClass, subject: Any, scope: Scope) -> Any:
        cls = self.eval(pat.cls, scope)
        kind = _python_type(subject)
        if type(cls) is Builtin and cls.name in _SELF_MATCHING:
            if kind is None:
                # (an instance of a plain class of the file is no int, str, list...; a NamedTuple is a tuple)
                return None if isinstance(subject, plain.PlainObject) and _plain_only(subject.cls) and not (
                    subject.cls.plain == "namedtuple" and cls.name == "tuple") else UNDECIDED
            if not isinstance(subject, _SELF_MATCHING[cls.name]):
                return None
            if pat.kwd_patterns or len(pat.patterns) > 1:
                return UNDECIDED
            return self.match_pattern(pat.patterns[0], subject, scope) if pat.patterns else {}
        if not isinstance(cls, ClassValue) or not _plain_only(cls):
            return UNDECIDED
        if kind is not None:
            return None  # (an int, string, tuple, list or dict is not an instance of a plain class of the file)
        if not isinstance(subject, plain.PlainObject) or subject.tainted is not None or subject.cls.mro is None:
            return UNDECIDED
        if cls not in subject.cls.mro:
            return None if _plain_only(subject.cls) else UNDECIDED
        attrs: List[str] = []
        if pat.patterns:
            names = _match_args(cls)
            if names is None or len(pat.patterns) > len(names):
                return UNDECIDED
            attrs = names[:len(pat.patterns)]
        pairs = []
        for attr, p in zip([*attrs, *pat.kwd_attrs], [*pat.patterns, *pat.kwd_patterns]):
            value = self.plain_attribute(subject, attr, p)
            if isinstance(value, Unknown):
                return UNDECIDED  # (also an attribute the object does not have: Python's no-match, not followed)
            pairs.append((p, value))
        return self.match_all(pairs, scope)

    def match_all(self, pairs: Sequence[Any], scope: Scope) -> Any:
        """Sub-patterns each matched against its value (``pairs``): the names they bind, None when one does not
        match (whatever the others), or UNDECIDED."""
        bound: Dict[str, Any] = {}
        undecided = False
        for p, value in pairs:
            got = self.match_pattern(p, value, scope)
            if got is None:
                return None
            if got is UNDECIDED:
                undecided = True
            else:
                bound.update(got)
        return UNDECIDED if undecided else bound


def _captures(pat: Any) -> List[str]:
    """The names a pattern binds (as the names a block assigns are found: collect._Collector's ``visit_Match*``)."""
    return sorted(_collect([pat]).assigned)


def _irrefutable(pat: Any) -> bool:
    """A pattern that matches every subject (``_``, a bare name, an or-pattern holding one)."""
    if type(pat) is ast.MatchAs:
        return pat.pattern is None or _irrefutable(pat.pattern)
    if type(pat) is ast.MatchOr:
        return any(_irrefutable(p) for p in pat.patterns)
    return False


class _BindCase:
    """The first statement of a case run as an undecided way: binds the names its pattern captures to unknowns."""

    __slots__ = ("case", "names", "reason", "assign")

    def __init__(self, case: ast.match_case, names: List[str], reason: Unknown) -> None:
        self.case = case
        self.names = names
        self.reason = reason
        #: What it is to the code that reads a branch's statements (the names it assigns): one node for each case
        #: and names, as ``control._BindItem``'s (the readers keep what they find by the nodes of a block).
        made = case.__dict__.setdefault("_kc_bind_assigns", {})
        assign = made.get(tuple(names))
        if assign is None:
            assign = made[tuple(names)] = ast.copy_location(ast.Assign(
                targets=[ast.Name(id=n, ctx=ast.Store()) for n in names], value=ast.Constant(None)), case.pattern)
        self.assign = assign
