"""Control flow: ``if`` (decided, or run both ways), ``for``/``while`` loops and their bounds, and havoc.

An undecided condition runs each branch on the same state and merges what they assign (``exec_branches``);
a loop that builds nothing is widened after a number of steps (``widen``); code the analysis cannot follow
makes what it may write unknown (``havoc``, ``taint``), keeping what it cannot touch.
"""

from __future__ import annotations

import heapq
import operator
import re
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

import ast

from ..nodes import children as ast_children, walk as ast_walk
from ..ir import KerasRaises, Note, Unknown
from ..symbolic import Expr
from . import arrays, callbacks, live, plain, sources
from .expressions import _genexp_parts
from .patterns import _BindCase
from .collect import (_per_node, _called_names, _collect, _dotted, _jumps, _mutated_names, _target_names, bare_names,
    model_uses)
from .values import (ModelChoice, born_mark, changes_log, arm_changes, disarm_changes, same as _same, set_changes_log, ModuleRef,
    ArrayValue, ValuedArray, BoundMethod, Builtin, GeneratorValue, ClassValue, DictValue, External, ExternalRef,
    Function, KerasRef, LambdaValue, LayerObj, ListValue, ModelBuilder, CachedFunction, DecoratedFunction,
    OneShot, OpaqueCallable, Partial, RangeValue, SetValue, Tensor, CallbackInstance, DictView, SET_ORDER,
    plain_model_attribute)
from .imports import TQDM_RANGES, TQDM_WRAPPERS
from .scopes import (GlobalsRef, Scope, Unbound, _Break, _Continue, _Guarded, _Havoc, _MISSING, _Raise, _Return,
    _SETS_TRAINABLE, _Uncertain, _choice, _is_generator, _may_grow)


#: Undecided conditions inside undecided conditions are run both ways up to this depth, and this many in a
#: file; past either bound, what their branches assign is forgotten (each level doubles the work).
_MAX_NESTED_BRANCHES = 6
_MAX_BRANCHINGS = 5_000
#: Builtins that only read what they are given.
_READING_BUILTINS = frozenset({"print", "len", "isinstance", "type", "id", "str", "repr", "bool", "callable",
                               "hasattr"})


#: Expression nodes that run no code of the file and change nothing (attributes are read as the analysis reads them:
#: a property or ``__getattr__`` of the file's classes is not run).
_INERT_EXPRESSIONS = (ast.Name, ast.Attribute, ast.Constant, ast.JoinedStr, ast.FormattedValue, ast.Tuple, ast.List,
                      ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Load, ast.operator, ast.unaryop, ast.cmpop,
                      ast.boolop, ast.expr_context)
#: List methods a way may call on a list it names.
_ADDS = frozenset({"append", "extend", "insert"})


def _inert_expression(node: Any) -> bool:
    return _per_node("inert", node, _inert_walk)


def _inert_walk(node: Any) -> bool:
    return all(isinstance(n, _INERT_EXPRESSIONS) for n in ast.walk(node))


def _inert(body: Sequence[Any]) -> bool:
    """A way that binds names to values computed without calls and adds such values to lists it names
    (``found.append((w, f"{layer.name}_{w.name}"))``): what it changes is those names' values, nothing else."""
    for s in _plain(body):
        kind = type(s)
        if kind is ast.Assign and all(type(t) is ast.Name or type(t) is ast.Tuple and
                                      all(type(x) is ast.Name for x in t.elts) for t in s.targets):
            if not _inert_expression(s.value):
                return False
        elif kind is ast.Expr and type(s.value) is ast.Call and type(s.value.func) is ast.Attribute and \
                type(s.value.func.value) is ast.Name and s.value.func.attr in _ADDS and not s.value.keywords:
            if not all(_inert_expression(a) for a in s.value.args):
                return False
        elif kind is not ast.Pass:
            return False
    return True


def _raises_only(body: Sequence[Any]) -> bool:
    """A branch that only raises (``if not ok: raise ValueError(...)``, a message made first at most): nothing goes
    on from it."""
    stmts = _plain(body)
    return bool(stmts) and type(stmts[-1]) is ast.Raise and \
        all(type(s) in (ast.Expr, ast.Pass) and not _jumps(s) for s in stmts[:-1])


def _plain(body: Sequence[Any]) -> List[Any]:
    """The statements of a branch, with the wrappers of ``exec_try_import`` taken off."""
    out: List[Any] = []
    for s in body:
        if isinstance(s, _Havoc):
            out.append(s.stmt)
        elif isinstance(s, _Guarded):
            out.extend(s.body)
            out.extend(h.body for h in s.handlers)
        elif isinstance(s, (_BindItem, _BindCase)):
            out.append(s.assign)
        else:
            out.append(s)
    return out


#: Calls that may set Keras's default dtype (keras_calls ``_DTYPE_SETTERS``), as ``_called_names`` gives them.
_DTYPE_SETTER_CALLS = frozenset(f"{dot}{name}" for dot in ("", ".")
                                for name in ("set_floatx", "set_dtype_policy", "set_global_policy", "set_policy"))


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
                            if isinstance(held, (ModelBuilder, ListValue, DictValue, SetValue)):
                                self.holders.setdefault(id(held), []).append(i)
            found += self.holders.get(id(obj), ())
        return found

    def holds(self, obj: Any) -> bool:
        """Whether ``obj`` is among the values compared (itself, or held by an attribute of a plain object)."""
        return bool(self.before) and bool(self._affected(obj))

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
                yield value, mark_fp


#: Types of values ``taint`` leaves alone (exact types: none is one of the classes it changes).
_INERT = frozenset({Unknown, External, Expr, ExternalRef, OpaqueCallable, DecoratedFunction, CachedFunction, ArrayValue, KerasRef, Function, LambdaValue,
                    BoundMethod, Builtin, LayerObj, Tensor, RangeValue, int, float, str, bool, bytes, type(None),
                    tuple, type(_MISSING)})
_HAVOC_NAMES: Dict[Tuple[int, ...], Tuple[Sequence[Any], Tuple[Any, ...]]] = {}

_PARENTS: Dict[int, Tuple[Any, Dict[int, Tuple[Any, List[Any], int]]]] = {}


#: How many runs of a loop whose last run built something are not given up for the idle rest of that run.
_BUILDS_RUN_ON = 32
#: The ``return`` Python runs where a function's body ends (returning None), for ``returning_rest``: the models the
#: rest of the function builds after an ``if c: return`` are built on the way that goes on (they were forgotten).
_FALL_OFF = ast.Return(value=None, lineno=0, col_offset=0, end_lineno=0, end_col_offset=0)


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


def _called_roots(stmt: Any) -> Tuple[Any, ...]:
    """The calls in a statement, in ``ast.walk``'s order, as ``may_use_names`` reads them (cached per statement:
    loops havoc the same block again and again): None for a ``….clear_session()``, else (the name the callee
    starts from, whether the callee is that name itself); calls of anything else are left out."""
    out: List[Any] = []
    for node in ast_walk(stmt):
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


def _per_node_block_aliases(body: Sequence[Any]) -> frozenset:
    """The names a block binds to objects it may not make: assigned a value other than a new model
    (`m = agent.model`, `a, b = pair`, `m = get_model()`, but not `m = keras.Sequential()`), or a loop's item
    (`for m in models`)."""
    out: Set[str] = set()
    for root in body:
        for node in ([root] if not isinstance(root, list) else root):
            for sub in ast_walk(node):
                if isinstance(sub, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                    if sub.value is not None and not _new_model_call(sub.value):
                        targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                        out |= {n for target in targets for n in _target_names(target)}
                elif isinstance(sub, (ast.For, ast.AsyncFor, ast.comprehension)):
                    out |= set(_target_names(sub.target))
                elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
                    out |= set(_target_names(sub.optional_vars))
    return frozenset(out)


def _new_model_call(node: Any) -> bool:
    """``Sequential(...)``, ``keras.Model(...)``...: a call that makes a new model (by the name it calls)."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    return (f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "") in \
        ("Sequential", "Model", "Functional")


def _havoc_names_of(stmt: Any) -> Tuple[Any, ...]:
    return _havoc_names_made([stmt])


def _havoc_names_made(body: Sequence[Any]) -> Tuple[Any, ...]:
    collected = _collect(body)
    called = set().union(*(_called_names(s) for s in body)) if body else set()
    changed = collected.mutated | plain.attribute_roots(body)
    reading = {name: chains for name, chains in plain.reading_roots(body).items() if name not in collected.mutated}
    # (the names called as `f(...)`, which a scope may hold, without the `.method` ones, in ``called``'s order; then
    # the names changed only by a reading method called on an attribute chain, `self.cols.get(c)`, with those chains)
    return (collected.assigned, changed, called, collected, tuple(bare_names(body) - changed),
            tuple(n for n in called if not n.startswith(".")), reading)


def _fingerprint(v: Any) -> Any:
    """Changes whenever the value is changed in place (cheap: a version counter)."""
    if isinstance(v, plain.PlainObject):
        return plain.fingerprint(v)
    if isinstance(v, ModelBuilder):
        return (len(v.layers), v.layers[-1] if v.layers else None, v.input_layer, v.implicit_input,
                v.unresolved is None, v.version)
    if isinstance(v, (ListValue, DictValue, SetValue)):
        return (v.version, v.tainted is None)
    return None


#: A reason that names a call and says nothing more (``type(...)`` is not known).
_GENERIC_CALL = re.compile(r"`[\w.]+\(\.\.\.\)` is not known")



def _loop_integer_stores(stmt: ast.For) -> Optional[Tuple[Dict[str, List[Any]], Set[str], Set[str]]]:
    """What ``ControlFlow.loop_integers`` reads of a loop's code, the same at every run (cached per node): the values
    stored in each name by an assignment of the body (an augmented one: the statement, or None for an operator other
    than ``+``, ``-``, ``*``), the names bound otherwise, and the names assigned at the top of the body before
    anything there reads them; None for a body that defines a function or class, imports, deletes or declares a
    ``global``/``nonlocal``."""
    body = [*stmt.body, *stmt.orelse]
    ok: Set[int] = set()
    stored: Dict[str, List[Any]] = {}
    others: Set[str] = set(n.id for n in ast_walk(stmt.target) if type(n) is ast.Name)
    for node in (n for statement in body for n in ast_walk(statement)):
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Global, ast.Nonlocal,
                    ast.Delete, ast.Import, ast.ImportFrom) or kind.__name__ == "Match":
            return None
        if kind is ast.Assign and all(type(t) is ast.Name for t in node.targets):
            for t in node.targets:
                ok.add(id(t))
                stored.setdefault(t.id, []).append(node.value)
        elif kind is ast.AugAssign and type(node.target) is ast.Name:
            ok.add(id(node.target))
            stored.setdefault(node.target.id, []).append(
                node if type(node.op) in (ast.Add, ast.Sub, ast.Mult) else None)
        elif kind is ast.ExceptHandler and node.name:
            others.add(node.name)
        elif kind is ast.Name and type(node.ctx) is not ast.Load and id(node) not in ok:
            others.add(node.id)  # (a `for` target, `with ... as`, a walrus, a comprehension's name...)
    # (a name each run assigns at the top of the body before anything reads it: what it held before is not read)
    fresh: Set[str] = set()
    seen: Set[str] = set()
    for statement in stmt.body:
        mentioned = {n.id for n in ast_walk(statement) if type(n) is ast.Name}
        if type(statement) is ast.Assign and all(type(t) is ast.Name for t in statement.targets):
            read = {n.id for n in ast_walk(statement.value) if type(n) is ast.Name}
            fresh |= {t.id for t in statement.targets if t.id not in seen and t.id not in read}
        seen |= mentioned
    return stored, others, fresh


def _declared_globals(tree: Any) -> Set[str]:
    """The names a ``global`` or ``nonlocal`` statement of the module ``tree`` declares (cached per tree)."""
    return {n for node in ast_walk(tree) if type(node) in (ast.Global, ast.Nonlocal) for n in node.names}

class ControlFlow:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: branches, loops and havoc."""

    #: What ``taint`` leaves alone, read by the other mixins through ``self`` (builtin_calls.py).
    INERT = _INERT

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
                f"depends on the condition `{self.code(stmt.test)}` ({self.line_of(stmt, scope)})"
                f"{self.condition_cause(stmt.test, test)}", stmt.test)
            if not orelse and not self.guarded and _raises_only(stmt.body):
                # `if not 0 <= rate <= 1: raise ValueError(...)`: the way that raises ends there and the one that goes
                # on changes nothing, what running both ways would leave, at no cost (a check in every block of a
                # model made thousands of forks, each comparing every model: Swin converters)
                return
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
        self.tests_seen_in[(key, self.uncalled)] = self.tests_seen_in.get((key, self.uncalled), 0) + 1
        if truth is not None:
            return truth
        if key in self.forced or not isinstance(value, KerasRaises) and self.raised is None:
            self.tests_undecided[key] = (node, line_of or node)
        return self.forced.get(key)

    def conditions(self) -> Tuple[Tuple[Any, str, int, int, Tuple[Tuple[Optional[str], int], ...]], ...]:
        """The tests of ``if`` statements, conditional expressions and optional imports the run left undecided (or
        was told the way of), in this file or a module of the project it reads: the node, its text, its line (a
        node of another module: the line here that reached it), how many times the run evaluated it, and those
        times by run: (the function nothing calls whose run evaluated it, or None for the script's own, count)."""
        by_run: Dict[int, List[Tuple[Optional[str], int]]] = {}
        for (k, run), n in self.tests_seen_in.items():  # (grouped once: a file meets many more tests than it leaves)
            if k in self.tests_undecided:
                by_run.setdefault(k, []).append((run, n))
        return tuple((node, self.code(node), self.span(at).line, self.tests_seen[key], tuple(by_run.get(key, ())))
                     for key, (node, at) in self.tests_undecided.items())

    def returning_rest(self, stmt: ast.If, branches: List[Sequence[Any]]) -> Optional[List[Any]]:
        """For an undecided ``if`` in a function, one of whose blocks ends with ``return`` and the other does not: the
        statements that run after the ``if`` on the ways that go on (the rest of its block, and of the blocks of the
        ``if``/``else`` statements holding it, up to the function's body), ending with the function's own ``return``
        (or, for an ``if`` of the function's own body, one that returns None where the function ends without it:
        Python's implicit ``return``); None otherwise (inside a loop, ``try`` or ``with``)."""
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
        if rest and type(rest[-1]) is ast.Return:
            return rest
        # (the implicit `return None` only for an `if` of the function's own body: one inside an `if`/`elif` chain
        # would build the rest on its own way only, while the chain's other ways, which may build other models at
        # the same lines, are forgotten)
        return [*rest, _FALL_OFF] if parents[id(stmt)][0] is fn else None

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

    def taint_unreached(self, log: List[Any], start: int, born: int, changes: "_Changes", reason: Unknown) -> None:
        """After one way of an undecided condition: a list or dict made before the ways that this way changed in
        place, and that the comparison of the ways does not hold (no name the ways assign, no model or plain object
        reaches it: a function's default list, a list a called function appends to), is unknown from now on (the
        other ways may leave it otherwise)."""
        for obj in log[start:]:
            if type(obj) in (ListValue, DictValue, SetValue) and obj.born < born and obj.tainted is None and \
                    not changes.holds(obj):
                self.taint(obj, reason)

    def exec_branches(self, branches: List[Sequence[Any]], scope: Scope, reason: Unknown, node: Any = None,
                      caveat: Optional[str] = None) -> None:
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
                going = [body for body in branches if not _raises_only(body)]
                if len(going) == len(branches) or any(_jumps(s) for body in going for s in _plain(body)):
                    raise _Uncertain(reason)  # where control goes on is not known either
                if self.guarded:
                    raise _Raise()  # (as a way that raises inside a try: whether a handler ran is not known)
                # (a way that only raises ends there, as when the ways are run: the program goes on the others)
            return
        self.forks += 1
        returned: List[Any] = []
        writes: List[Dict[Tuple[int, str], Tuple[Scope, str, Any]]] = []
        formats: List[Any] = []
        uncertain = False
        saved = self.caveat
        saved_format = self.data_format
        self.caveat = saved or caveat or f"built only under a condition the analysis cannot decide ({reason.reason})"
        candidates = set()
        for body in branches:
            candidates |= _mutated_names(_plain(body))
        if all(_inert(body) for body in branches):
            # (ways that only bind names and add to lists they name, calling nothing else: they change no model or
            # object but those lists, so only the names are compared: `for w in layer.trainable_weights:
            # found.append((w, f"{layer.name}_{w.name}"))` once per layer of every model, in weight converters)
            values = [scope.get(name) for name in candidates]
        else:
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
        # A plain object the ways change only by setting its attributes (`self.version = ...` on one way,
        # `self.version = 0` on the other) keeps those they agree on: each way's settings are undone after it, and
        # merged after the last as names are. Only objects made before the ways (new ones are the ways' own).
        existing = {id(o) for o in self.plain_objects}
        attr_ways: Dict[int, List[Dict[str, Any]]] = {}
        attr_objects: Dict[int, Any] = {}
        arm_changes(changes.materialize)
        names_before = dict(self.graph.name_counts)
        born = born_mark()
        name_states: List[Dict[str, int]] = []
        layers_before = self.graph.layer_count()
        models_before = len(self.graph.models)
        ways_before = self.graph.ways
        fork = self.forks
        try:
            for way, body in enumerate(branches):
                self.graph.ways = (*ways_before, (fork, way))
                mark = len(journal.entries)
                logged = len(log)
                attrs_mark = len(self.attr_writes)
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
                for value, before in changes.changed():
                    if type(value) is plain.PlainObject and value.tainted is None and id(value) in existing and \
                            before is not None and self.only_attributes_set(value, before, attrs_mark):
                        attr_objects[id(value)] = value  # (only its own attributes were set)
                    else:
                        self.taint(value, reason)
                self.taint_unreached(log, logged, born, changes, reason)
                self.undo_attributes(attrs_mark, existing, attr_ways, way)
                writes.append(journal.undo(mark))
                formats.append(self.data_format)
                name_states.append(self.graph.name_counts)
                if flags is not None:
                    self.steps += self.graph.flag_cost()
                    flag_states.append(self.graph.trainable_undo(flags, flag_start))
        finally:
            self.graph.ways = ways_before
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
            if _MISSING in values and isinstance(merged, Unknown):
                merged = _maybe_unbound(merged)  # (on a way that does not assign it, reading it raises NameError)
            journal.record(target, name)
            target.vars[name] = merged
        for key, obj in attr_objects.items():
            if obj.tainted is not None:
                continue
            ways = attr_ways.get(key, [])
            settings = [ways[i] if i < len(ways) else {} for i in live]
            for attr in dict.fromkeys(a for way_set in settings for a in way_set):
                values = [way_set.get(attr, obj.attrs.get(attr, _MISSING)) for way_set in settings]
                first = values[0]
                merged = first if first is not _MISSING and all(_same(first, v) for v in values[1:]) or \
                    self.merge_ways(values, layers_before, node, reason) else \
                    _choice(values, reason, layers_before, self.graph.models[models_before:])
                self.set_plain_attribute(obj, attr, merged)
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

    def only_attributes_set(self, obj: Any, before: Any, mark: int) -> bool:
        """Did an undecided way (its attribute writes from ``mark`` of ``attr_writes``) only set attributes of the
        plain object ``obj`` (``before``: its fingerprint before the ways), leaving the models, lists and dicts it held
        as they were? A way that gives an attribute a new value (an agent's `self.states = []` after a learning step)
        sets it; the object it held before is compared as it is now."""
        if plain.fingerprint(obj)[1:] == before[1:]:
            return True
        attrs = dict(obj.attrs)
        restored: Set[str] = set()
        for o, attr, old in self.attr_writes[mark:]:  # (the first write of each attribute: its value before the way)
            if o is obj and attr not in restored:
                restored.add(attr)
                if old is plain.NOT_FOUND:
                    attrs.pop(attr, None)
                else:
                    attrs[attr] = old
        return bool(restored) and before[1] and plain.held_state(attrs.values()) == before[2]

    def undo_attributes(self, mark: int, existing: Set[int], ways: Dict[int, List[Dict[str, Any]]], way: int) -> None:
        """Undo the attributes of the objects ``existing`` (ids) that a way set since ``mark`` of ``attr_writes``,
        keeping what the way left in ``ways`` (by object, one dict a way); the writes of objects the way made stay."""
        writes = self.attr_writes
        for obj, attr, old in reversed(writes[mark:]):
            if id(obj) not in existing:
                continue
            sets = ways.setdefault(id(obj), [])
            while len(sets) <= way:
                sets.append({})
            sets[way].setdefault(attr, obj.attrs.get(attr, _MISSING))
            if old is plain.NOT_FOUND:
                obj.attrs.pop(attr, None)
            else:
                obj.attrs[attr] = old
        del writes[mark:]

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
        if self.guarded and any(isinstance(n, (ast.Raise, ast.Assert)) for s in rest for n in ast_walk(s)):
            raise _Raise()  # inside a try with handlers, those ways may raise: whether a handler ran is not known

    def exec_For(self, stmt: ast.For, scope: Scope) -> None:
        iterable = self.loop_genexp(stmt, scope) if type(stmt.iter) is ast.GeneratorExp else \
            self.progress_bar_items(stmt.iter, scope)
        if iterable is _MISSING:
            iterable = self.eval(stmt.iter, scope)
        if isinstance(iterable, GeneratorValue) and not iterable.ran and self.undecided <= iterable.depth:
            clash = self.interleaved(iterable, stmt.body, scope)
            if clash is not None:
                # Python runs the generator's body a step before each run of the loop's: one reads what the other
                # changes, which running the generator to its end first would get wrong
                self.forget_effects(iterable.fn, (*iterable.args, *iterable.kwargs.values()), clash)
                object.__setattr__(iterable, "tainted", clash)
                object.__setattr__(iterable, "ran", True)
            else:
                self.run_generator(iterable, names_known=False)  # (the loop's body runs between its items)
        size = iterable.length if isinstance(iterable, RangeValue) else None
        if size is not None and size > self.limits.loop_iterations:
            # Run one number at a time: a loop that builds nothing (`for k in range(int(1e9)): ... yield x`)
            # is widened as any idle loop is; one that still builds after the limit is given up.
            items: Any = range(iterable.start, iterable.stop, iterable.step)
        else:
            items = self.iterate(iterable)
            viewed = self.dict_iterated(stmt.iter, iterable, scope) if items is not None else None
            if viewed is not None:
                items = _LiveDict(*viewed)  # (the body may change the dict: Python reads its values as they are)
            elif type(iterable) is ListValue and items is not None:
                items = _LiveItems(iterable)  # (the body may change the list: Python's iterator reads it by index)
        if items is None and self.loop_on_each_model(stmt, scope):
            return
        counters = self.loop_counters(stmt, scope) if items is None else None
        longest = self.loop_longest(stmt, scope) if items is None else None
        integers = self.loop_integers(stmt, scope, {**(counters or {}), **(longest or {})}) if items is None else None
        self.loop_rest(stmt, scope, iterable, items, size)
        if counters:
            self.count_loop_items(stmt, scope, counters)
        for name, length in (longest or {}).items():
            text = f"max({self.code(length)} for {self.code(stmt.target)} in {self.code(stmt.iter)})"
            scope.set(name, self.made_symbol(text, f"the largest `{self.code(length)}` of the items of "
                                             f"`{self.code(stmt.iter)}`, which a loop over them keeps in `{name}`",
                                             stmt.iter))
        if integers:
            self.name_loop_integers(stmt, scope, integers)

    def loop_rest(self, stmt: ast.For, scope: Scope, iterable: Any, items: Any, size: Optional[int]) -> None:
        """``exec_For`` once the loop's items are read (None: they are not known)."""
        carried = self.loop_carried(stmt, scope) if items is None and not isinstance(iterable, RangeValue) and \
            not _collect(stmt.body).sets_trainable else None  # (flags: narrowed to their owners below)
        if carried is not None:
            # (`for train, test in kf.split(x):` building and training a model each time: a run of the body
            # with the item and what earlier runs left unknown builds what every run builds, so that run, as a
            # way the loop may take, shows the models; zero runs is the other way)
            why = iterable.reason if isinstance(iterable, Unknown) else iterable.tainted.reason if isinstance(
                iterable, GeneratorValue) and iterable.tainted is not None and iterable.tainted.reason else \
                _set_why(iterable) or f"`{self.code(stmt.iter)}` is not known"
            reason = self.unknown(f"assigned in a loop over {self.code(stmt.iter)!s} ({why})", stmt.iter)
            item = self.unknown(f"an item of {self.code(stmt.iter)!s} ({why})", stmt.iter)
            if isinstance(iterable, (sources.Batches, sources.Enumerated)):
                # (a dataset of known element shapes whose number of elements is not known: any run's item)
                # (each loop's own symbol: the loops over one dataset may each stop at another batch)
                element = iterable.any_element(self, f"{self.code(stmt.iter)} at line {self.span(stmt).line}",
                                               stmt.iter)
                item = item if element is None else element
                data = iterable.data if isinstance(iterable, sources.Enumerated) else iterable
                # (a Keras image iterator goes on from the batches taken before: which one comes first is not known)
                first = iterable.first(self, stmt.iter) if element is not None and not data.keras_iterator else None
                if first is not None:
                    # (a dataset is taken to hold one element at least, as `fit` and `next(iter(ds))` take it: the
                    # loop's first run is given its first element, which builds the models the run calls; the runs
                    # after it are the way the loop may take)
                    self.run_for(stmt, scope, [first])
            names_unknown = self.graph.names_unknown
            try:
                self.exec_branches([[_BindItem(stmt, item, carried), *stmt.body], []], scope, reason, stmt,
                                   caveat=f"built in each run of the loop over {self.code(stmt.iter)!s} (line "
                                          f"{self.span(stmt).line}), which may run any number of times: {why}")
            finally:
                # (after the loop, as after a loop not run: the names of the objects each run makes are used up a
                # number of times that is not known)
                self.graph.names_unknown = names_unknown or self.may_use_names(stmt.body, scope, 0, set())
            return
        if items is None:
            why = iterable.reason if isinstance(iterable, Unknown) else \
                _set_why(iterable) or f"`{self.code(stmt.iter)}` is not known"
            reason = self.unknown(f"assigned in a loop over {self.code(stmt.iter)!s} ({why})", stmt.iter)
            owners = self.trainable_owners(stmt, scope, iterable)
            # (the loop's iterable was run once, above, as any expression: what may change again is its body's)
            self.havoc([_per_node("loop_shell", stmt, _loop_shell)], scope, reason, narrowed=owners is not None)
            for owner in owners or ():
                if self.flags_settle(stmt, owner, owners, scope):
                    continue
                self.narrow_flags(owner, Unknown(f"trainable flags are set in code the analysis cannot follow "
                                                 f"({reason.reason})", reason.span))
            return
        outer = self.loop_entry
        if outer is None:
            self.loop_entry = self.steps
        try:
            self.run_for(stmt, scope, items, size if size is not None and size > self.limits.loop_iterations else None)
            if type(items) is _LiveItems and items.lost is not None:
                # (the body made the list unknown while the loop read it: which items it read after is not known)
                self.havoc([stmt], scope, self.unknown(f"assigned in a loop over {self.code(stmt.iter)!s}, which "
                                                       f"its body changes ({items.lost.reason})", stmt.iter))
            elif type(items) is _LiveDict and items.changed is not None:
                what = f"the loop over {self.code(stmt.iter)!s} (line {self.span(stmt).line}) changes the dict's keys"
                reason = self.python_error("RuntimeError", f"{what}: Python raises RuntimeError (\"dictionary changed "
                                           "size during iteration\")", stmt.iter) if items.changed == "size" else \
                    self.unknown(f"{what}: which keys Python reads then is not followed", stmt.iter)
                self.havoc([stmt], scope, reason)
        finally:
            self.loop_entry = outer

    def loop_counters(self, stmt: ast.For, scope: Scope) -> Optional[Dict[str, Tuple[Any, int]]]:
        """The names a loop over items the analysis does not know counts with (``count += 1`` in its body): {name:
        (its value before the loop, the step)}. A counter is a name holding a size before the loop whose one change
        in the body is one ``name += k`` (k a literal int) among the body's own statements, run once each time: the
        body has no ``break``, ``continue``, ``return``, ``raise``, ``yield``, ``try``, nested function or ``else``,
        no ``global`` or ``nonlocal`` of the name is anywhere in the module (a function it calls could change it),
        and it does not touch the names the iterable is made of (the loop would then not run once per item it had
        at the start). None when there is none (or the iterable is not one whose items the body runs over once)."""
        if stmt.orelse or _counted_items(stmt.iter) is None:
            return None
        steps: Dict[str, int] = {}
        for s in stmt.body:
            if type(s) is ast.AugAssign and type(s.target) is ast.Name and type(s.op) is ast.Add and \
                    type(s.value) is ast.Constant and type(s.value.value) is int:
                name = s.target.id
                steps[name] = s.value.value if name not in steps else 0  # (twice: not taken)
        if not any(steps.values()):
            return None
        bound = {n.id for g in ast_walk(stmt.iter) if type(g) is ast.comprehension for n in ast_walk(g.target)
                 if type(n) is ast.Name}
        iter_names = {n.id for n in ast_walk(stmt.iter) if type(n) is ast.Name} - bound
        for n in ast_walk(stmt.target):
            if type(n) is ast.Name:
                steps.pop(n.id, None)  # (the loop binds it to each item)
        stores: Dict[str, int] = {}
        for node in (n for statement in stmt.body for n in ast_walk(statement)):
            kind = type(node)
            if kind in (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Yield, ast.YieldFrom, ast.Try,
                        ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Global, ast.Nonlocal,
                        ast.Delete) or kind.__name__ == "TryStar":
                return None
            if kind is ast.Name and node.id in iter_names:
                return None  # (the body reads or changes what the loop runs over)
            if kind is ast.Name and node.id in steps and type(node.ctx) is not ast.Load:
                stores[node.id] = stores.get(node.id, 0) + 1  # (more than its `+=`: a for target, a walrus, ...)
        tree = self.module_trees.get(id(scope.module))
        declared = {n for node in ast_walk(tree) if type(node) in (ast.Global, ast.Nonlocal) for n in node.names} \
            if tree is not None else None
        if declared is None:
            return None
        found = {}
        for name, k in steps.items():
            before = scope.get(name)
            if k > 0 and stores.get(name) == 1 and name not in declared and name not in (scope.redirect or {}) and \
                    type(before) in (int, Expr):  # (its one store is its `+=`; not a bool)
                found[name] = (before, k)
        return found or None

    def loop_longest(self, stmt: ast.For, scope: Scope) -> Optional[Dict[str, ast.expr]]:
        """The names a loop over items the analysis does not know keeps the largest length in: {name: the ``len(...)``
        it reads}. Such a name holds 0 before the loop and is stored once in the body, by one of the body's own
        statements ``name = max(name, len(...))`` (the builtin ``max``; the length not read from the name), so after
        the loop it holds the largest of those lengths, or 0 when the loop runs no time: an int the data decides
        (``max_len_x = max(max_len_x, len(x))`` over the lines of a file, as seq2seq scripts find their longest
        sentence). No ``global`` or ``nonlocal`` of the name is anywhere in the module. None when there is none."""
        if stmt.orelse or scope.get("max") is not _MISSING or scope.get("len") is not _MISSING:
            return None
        found: Dict[str, Optional[ast.expr]] = {}
        for s in stmt.body:
            value = s.value if type(s) is ast.Assign and len(s.targets) == 1 and type(s.targets[0]) is ast.Name \
                else None
            if type(value) is not ast.Call or type(value.func) is not ast.Name or value.func.id != "max" or \
                    len(value.args) != 2 or value.keywords:
                continue
            name = s.targets[0].id
            first, second = value.args
            length = second if type(first) is ast.Name and first.id == name else \
                first if type(second) is ast.Name and second.id == name else None
            if type(length) is not ast.Call or type(length.func) is not ast.Name or length.func.id != "len" or \
                    len(length.args) != 1 or length.keywords or type(length.args[0]) is ast.Starred or \
                    any(type(n) is ast.Name and n.id == name for n in ast_walk(length)):
                continue
            found[name] = length if name not in found else None  # (twice: not taken)
        found = {name: length for name, length in found.items() if length is not None and
                 type(scope.get(name)) is int and scope.get(name) == 0}
        if not found:
            return None
        for n in ast_walk(stmt.target):
            if type(n) is ast.Name:
                found.pop(n.id, None)  # (the loop binds it to each item)
        stores: Dict[str, int] = {}
        for node in (n for statement in stmt.body for n in ast_walk(statement)):
            if type(node) is ast.Name and node.id in found and type(node.ctx) is not ast.Load:
                stores[node.id] = stores.get(node.id, 0) + 1
            elif type(node) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Global,
                                ast.Nonlocal):
                return None
        tree = self.module_trees.get(id(scope.module))
        if tree is None:
            return None
        declared = _per_node("declared_globals", tree, _declared_globals)
        return {name: length for name, length in found.items() if stores.get(name) == 1 and name not in declared and
                name not in (scope.redirect or {})} or None

    def count_loop_items(self, stmt: ast.For, scope: Scope, counters: Dict[str, Tuple[Any, int]]) -> None:
        """After a loop over items the analysis does not know: each counter (``loop_counters``) holds its value
        before the loop plus its step times the number of items, a symbol ``len(items)`` (``len(words)`` for ``for
        i, w in enumerate(words)`` or ``for w, i in words.items()``)."""
        counted = _counted_items(stmt.iter)
        text = self.code(counted)
        count = self.made_symbol(f"len({text})", f"the number of items of `{text}`, which a loop over "
                                 f"{self.code(stmt.iter)} counts", stmt.iter)
        for name, (before, k) in counters.items():
            scope.set(name, before + k * count)

    def loop_integers(self, stmt: ast.For, scope: Scope, counters: Dict[str, Any]) -> Optional[List[str]]:
        """The names a loop over items the analysis does not know leaves an integer in, though which one is not
        known: ``longest = max(longest, len(line))`` or ``if len(s) > n: n = len(s)`` over lines of data. Such a
        name holds an int before the loop (not a bool), and every store of it in the loop is an assignment (or
        ``+=``, ``-=``, ``*=``) of an integer: an int literal, ``len(...)``, ``max``/``min``/``abs`` of integers, a
        sum, difference or product of integers, or a name that is one by the same rule (unbound before the loop, an
        int, or assigned at the top of the body before anything there reads it). No ``global`` or ``nonlocal`` of it
        is anywhere in the module (a function the loop calls could set it), and the loop defines no function or class
        and imports nothing. None when there is none; the counters
        (``loop_counters``) are left to their own, finer, count."""
        scanned = _per_node("loop_integer_stores", stmt, _loop_integer_stores)
        if scanned is None or not scanned[0]:
            return None
        tree = self.module_trees.get(id(scope.module))
        if tree is None:
            return None
        stored, others, fresh = scanned
        declared = _per_node("declared_globals", tree, _declared_globals)
        if all(name in others or name in declared for name in stored):
            return None
        redirect = scope.redirect or {}

        def before(name: str) -> Any:
            return scope.get(name)

        ints = {name for name in stored if name not in others and name not in declared and name not in redirect and
                (name in fresh or type(before(name)) in (int, Expr) or before(name) is _MISSING or
                 type(before(name)) is Unbound)}
        builtin = {name for name in ("len", "max", "min", "abs") if scope.get(name) is _MISSING}

        def integer(e: Any) -> bool:
            kind = type(e)
            if kind is ast.Constant:
                return type(e.value) is int
            if kind is ast.Name:
                return e.id in ints
            if kind is ast.AugAssign:
                return type(e.target) is ast.Name and e.target.id in ints and integer(e.value)
            if kind is ast.BinOp:
                return type(e.op) in (ast.Add, ast.Sub, ast.Mult) and integer(e.left) and integer(e.right)
            if kind is ast.UnaryOp:
                return type(e.op) in (ast.USub, ast.UAdd) and integer(e.operand)
            if kind is ast.IfExp:
                return integer(e.body) and integer(e.orelse)
            if kind is ast.Call and type(e.func) is ast.Name and e.func.id in builtin and not e.keywords and \
                    not any(type(a) is ast.Starred for a in e.args):
                if e.func.id == "len":
                    return len(e.args) == 1  # (Python's len() gives an int, or raises)
                if e.func.id == "abs":
                    return len(e.args) == 1 and integer(e.args[0])
                return len(e.args) >= 2 and all(integer(a) for a in e.args)
            return False

        changed = True
        while changed:
            changed = False
            for name in list(ints):
                if not all(v is not None and integer(v) for v in stored[name]):
                    ints.discard(name)
                    changed = True
        found = [name for name in stored if name in ints and name not in counters and
                 type(before(name)) in (int, Expr)]
        return found or None

    def name_loop_integers(self, stmt: ast.For, scope: Scope, names: List[str]) -> None:
        """After a loop over items the analysis does not know: each name ``loop_integers`` found holds an integer
        the items decide, a symbol of its own (made afresh at each run of the loop: other items, another value)."""
        where = f"the loop over {self.code(stmt.iter)} (line {self.span(stmt).line})"
        for name in names:
            scope.set(name, self.made_symbol(name, f"the integer {where} leaves in `{name}`, from items the "
                                             "analysis does not know", stmt.iter, of=object()))

    def exec_BindItem(self, stmt: "_BindItem", scope: Scope) -> None:
        self.bind(stmt.loop.target, stmt.item, scope)
        self.graph.names_unknown = True  # (earlier runs used up Keras's names: those of this run are not known)
        for name in stmt.carried:
            scope.set(name, self.unknown(f"`{name}`: what earlier runs of the loop over {self.code(stmt.loop.iter)} "
                                         f"(line {self.span(stmt.loop).line}) left in it", stmt.loop))

    def loop_carried(self, stmt: ast.For, scope: Scope) -> Optional[Tuple[str, ...]]:
        """For a loop whose runs may each be read alone: the names a run of its body reads that an earlier run
        may have changed (``fold += 1``; a list it appends to and reads), which one run taken alone must not
        know. None when one run cannot stand for the others: something leaves the body early (``break``,
        ``continue``, ``return``, ``raise``, ``yield``, an ``else``), it calls a function of the analysed code
        that writes a global, changes a container, model or object outside it, appends to its own default list or
        assigns a class's or module's attribute, or it calls a method of an object, class or module of the
        analysed code (which may keep state there). A name the body assigns afresh at its top
        level before reading it (``model = Sequential()`` then ``model.add(...)``) is no such name, nor one it
        only writes into (``scores.append(s)``, ``results[k] = v``)."""
        body = stmt.body
        if stmt.orelse or any(_jumps(s) for s in body) or _per_node("loop_escapes", stmt, _escapes):
            return None
        if not any(isinstance(scope.get(name), _BUILDERS) for name in _per_node("loop_reads", stmt, _loop_reads)):
            return None  # (a loop over data that reads no Keras object and calls no code of the file: forgotten)
        def keeps_state(fn: Any) -> bool:
            return isinstance(fn, (Function, LambdaValue)) and bool(
                self.outside_writes(fn, 0, set()) or any(isinstance(v, _MUTABLE) for v in self.outside_mutations(
                    fn, 0, set())) or self.mutated_defaults(fn, 0, set()) or self.sets_shared_attributes(fn, 0, set()))

        if any(keeps_state(scope.get(name)) for name in _called_names(body)):
            return None
        for root in _per_node("method_roots", stmt, _method_roots):
            value = scope.get(root)
            if type(value) is ModuleRef:
                # (`model = nets.build(n)` in a k-fold loop: a function of a project module imported by name, taken
                # as one called by name; a module the body may change otherwise is state kept between runs)
                called = self.module_calls(body, root, value)
                if called is None or any(map(keeps_state, called)):
                    return None
            elif isinstance(value, (plain.PlainObject, ClassValue)):
                return None  # (`agent.step()`, `Config.bump()`: a method of the file's code may keep state in them)
        written = _per_node("loop_writes", stmt, _loop_writes)
        fresh = set(_target_names(stmt.target))
        carried: Dict[str, None] = {}
        for s in body:
            reads, stores = _per_node("value_reads", s, _value_reads)
            carried.update(dict.fromkeys(sorted((reads & written) - fresh)))
            if isinstance(s, (ast.Assign, ast.AnnAssign)):
                fresh |= stores
        return tuple(carried)

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
        chosen = {n.id: v for n in ast_walk(stmt.iter) if type(n) is ast.Name and
                  isinstance(v := scope.get(n.id), ModelChoice)}
        loop_vars = set(_target_names(stmt.target))
        if len(chosen) != 1 or loop_vars & set(chosen):
            return False
        ((name, choice),) = chosen.items()
        if not choice.ways:
            return False
        held = [self.graph.held_layers(option) if isinstance(option, ModelBuilder) else set()  # (a loaded model: none)
                for option in choice.ways]
        everywhere = set.intersection(*held)
        if any(uid < choice.since for h in held for uid in h - everywhere):
            return False
        # (a way that loads a model: a loop reading only that model's layers, through the chosen name and builtins, and
        # setting flags only on its items or through that name, sets none of the file's there; any other is run on it)
        on_chosen = all(n.id == name or n.id in _READING_BUILTINS and scope.get(n.id) is _MISSING
                        for n in ast_walk(stmt.iter) if type(n) is ast.Name) and \
            all(_root_name(t) in loop_vars | {name} for s in stmt.body for t in s.targets)
        for option in choice.ways:
            if not isinstance(option, ModelBuilder) and on_chosen:
                continue
            inner = Scope(scope)  # (the loop's names are bound here, the chosen name to this way's model)
            inner.vars[name] = option
            self.exec_For(stmt, inner)
        reason = self.unknown(f"assigned in a loop over {self.code(stmt.iter)} ({choice.reason})", stmt.iter)
        for var in loop_vars:
            scope.set(var, reason)
        return True

    def progress_bar_items(self, node: Any, scope: Scope) -> Any:
        """The iterable of a loop over a tqdm progress bar (``for _ in tqdm(range(n)):``, a GAN's batches): what the
        bar wraps, or ``range(...)`` of ``trange``'s arguments, the bar's other arguments being evaluated as Python
        does and left unread; ``_MISSING`` for any other loop. (Outside a loop's header ``tqdm(...)`` stays a value
        of code the analysis does not see.)"""
        if type(node) is not ast.Call or not node.args or any(type(a) is ast.Starred for a in node.args) or \
                any(k.arg is None for k in node.keywords):
            return _MISSING
        f = node.func  # (a name, or an attribute of a module outside the project: reading it runs no code)
        if type(f) is ast.Name:
            func = scope.get(f.id)
        elif type(f) is ast.Attribute and type(f.value) is ast.Name and type(scope.get(f.value.id)) is ExternalRef:
            func = self.eval(f, scope)
        else:
            return _MISSING
        path = func.path if type(func) is ExternalRef else None
        if path not in TQDM_WRAPPERS and path not in TQDM_RANGES:
            return _MISSING
        args = [self.eval(a, scope) for a in node.args]
        for k in node.keywords:
            self.eval(k.value, scope)
        if path in TQDM_RANGES:
            return self.call(Builtin("range"), tuple(args), {}, node)
        return args[0]

    def too_long(self, stmt: ast.For, scope: Scope, size: int) -> None:
        """A loop over more numbers than the analysis runs, still making layers, tensors or models at the limit."""
        reason = self.unknown(f"assigned in a loop of {size:,} iterations at line {self.span(stmt).line}, "
                              "too long to unroll", stmt.iter)
        self.havoc([stmt], scope, reason)
        self.notes.append(Note("KC902", f"loop of {size:,} iterations is too long to unroll; "
                               "what it builds is left unresolved", self.span(stmt.iter)))

    def dict_iterated(self, node: Any, iterable: Any, scope: Scope) -> Optional[Tuple[DictValue, str]]:
        """The dict a loop reads and what of it (``keys``, ``values``, ``items``), for a loop over a dict, a view of
        one kept in a name, or ``d.keys()``/``d.values()``/``d.items()`` of a dict in a name; None otherwise."""
        if type(iterable) is DictValue:
            return (iterable, "keys") if iterable.tainted is None else None
        if type(iterable) is DictView:
            return (iterable.d, iterable.kind) if iterable.d.tainted is None else None
        if type(node) is ast.Call and not node.args and not node.keywords and type(node.func) is ast.Attribute and \
                node.func.attr in ("keys", "values", "items") and type(node.func.value) is ast.Name:
            base = scope.get(node.func.value.id)
            if type(base) is DictValue and base.tainted is None:
                return base, node.func.attr
        return None

    def run_for(self, stmt: ast.For, scope: Scope, items: Sequence[Any], size: Optional[int] = None) -> None:
        """``size``: ``items`` is a range of that many numbers, more than the analysis runs (a ``range`` object,
        given one number at a time)."""
        broke = False
        start = self.touch_mark() if size is not None else None
        last = None  # (where the last run of the body started)
        for count, item in enumerate(items):
            if start is not None and (count >= self.limits.loop_iterations or self.touch_mark() != start):
                self.too_long(stmt, scope, size)  # (it builds: it cannot be run to its end)
                return
            idle = self.idle_steps()
            if idle > self.widen_window and (last is None or self.touch_mark() == last or count >= _BUILDS_RUN_ON):
                # (a body that built a layer, tensor or model on its last run is a builder's loop, however long
                # the rest of that run: one model a converted checkpoint, its weights copied one by one after it;
                # for its first runs only, which bounds what a training loop that makes a tensor each epoch costs)
                self.widen(stmt, scope, count, idle)
                return
            last = self.touch_mark()
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
        last = None  # (where the last run of the body started: one that built something is not given up, as in run_for)
        for count in range(self.limits.loop_iterations):
            idle = self.idle_steps()
            if idle > self.widen_window and (last is None or self.touch_mark() == last or count >= _BUILDS_RUN_ON):
                self.widen(stmt, scope, count, idle)
                return
            last = self.touch_mark()
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
        reason = self.unknown(f"assigned in the loop at line {self.span(stmt).line}, not run to its end (it builds no "
                              f"layer; the analysis stopped following it after {count:,} iterations)", stmt)
        # (the flags it sets: those of the models it names, when that is all it may set; `D.trainable = False` then
        # `gan.train_on_batch(...)` in a GAN's training loop leaves the generator's split known)
        owners = self.trainable_owners(stmt, scope)
        self.havoc([stmt], scope, reason, narrowed=owners is not None)
        for owner in owners or ():
            if not self.flags_settle(stmt, owner, owners, scope):
                self.narrow_flags(owner, Unknown(f"trainable flags are set in code the analysis cannot follow "
                                                 f"({reason.reason})", reason.span))

    def loop_genexp(self, stmt: ast.For, scope: Scope) -> Any:
        """``for x in (f(v) for v in vs):``: Python computes each item just before the body's run for it. Computing
        them all first gives the same items when they change nothing and the body rebinds or changes none of the
        names they read."""
        gen = stmt.iter
        assigned, changed = _havoc_names(stmt.body)[:2]
        read = {n.id for part in _genexp_parts(gen) for n in ast_walk(part) if type(n) is ast.Name and
                not isinstance(scope.get(n.id), (KerasRef, ExternalRef, Builtin, ModuleRef))}
        if not self.genexp_effects(gen, scope) and not read & (set(assigned) | set(changed)):
            return self.genexp_now(gen, scope)
        return self.genexp_later(gen, scope, "a generator expression whose items are computed between the runs of "
                                             "the loop's body, which changes what they read or is changed by them")

    def interleaved(self, gen: GeneratorValue, body: Sequence[Any], scope: Scope) -> Optional[Unknown]:
        """Why a ``for`` loop over ``gen`` cannot run the generator to its end before its body: the generator
        changes what is outside it (the body may read it between the items), or reads a name the body
        rebinds or changes; None when neither."""
        fn = gen.fn
        given = [a for a in (*gen.args, *gen.kwargs.values()) if type(a) not in self.INERT]
        assigned, changed = _havoc_names(body)[:2]
        touched = set(assigned) | set(changed)
        params = {a.arg for a in (*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs,
                                  fn.node.args.vararg, fn.node.args.kwarg) if a is not None}
        effects = self.outside_writes(fn, 0, set()) or self.mutated_defaults(fn, 0, set()) or any(
            not isinstance(v, (KerasRef, ExternalRef, Builtin, ModuleRef)) and type(v) not in self.INERT
            for v in self.outside_mutations(fn, 0, set())) or given and (
                _collect(fn.node.body).mutated & params or any(scope.get(n) is a for n in changed for a in given))
        clash = [n for n in _free_names(fn.node) & touched
                 if not isinstance(scope.get(n), (KerasRef, ExternalRef, Builtin, ModuleRef))]  # (`layers.Dense(2)`)
        if not effects and not clash:
            return None
        return self.unknown(f"the generator `{fn.name}()` runs a step before each run of the loop's body, and one "
                            "changes what the other reads (not followed)", gen.call)

    def havoc(self, body: Sequence[Any], scope: Scope, reason: Unknown, narrowed: bool = False) -> None:
        """Forget what a block we cannot follow may have changed (``narrowed``: the trainable flags it may
        set are known to be those of some models, which the caller makes unknown)."""
        self.havocs += 1
        assigned, changed, called, collected, bare, functions, reading = _havoc_names(body)
        held_items: List[Any] = []
        if reading:
            # (`self.label_indices.get(col)` in a loop not followed: a dict's method that only reads it leaves `self`
            # as it is, when the chain holds a dict, list, tuple or string, or nothing: reading it raises then)
            # (`self.one_hot[i, t, w] = 1` in a loop over data: the item is set in what the chain holds, a list, a
            # dict, an array or a value of code not seen, which is forgotten as it would be under a name of its own;
            # `self` keeps its other attributes, and so the models its methods build)
            narrowed = set()
            for name in changed:
                if name not in reading:
                    continue
                read, items = reading[name]
                values = [plain.chain_value(scope, chain) for chain, _ in items]
                if all(isinstance(v := plain.chain_value(scope, chain), (DictValue, ListValue, tuple, str)) or
                       v is plain.ABSENT for chain in read) and all(
                        _changed_in_place(v, kind) for v, (_, kind) in zip(values, items)):
                    narrowed.add(name)
                    held_items += values
            changed = {name for name in changed if name not in narrowed}
        # A project module imported by name whose functions the block calls (`frames = ext.load(path)`) or whose
        # constants and libraries it reads (`main.np.zeros((1, main.MAX_SEQ))`): the functions are followed as the
        # ones it calls by name (what they write and change is forgotten), the module's other names are kept.
        module_fns: List[Any] = []
        for name in [n for n in changed if type(scope.get(n)) is ModuleRef]:
            fns = self.module_calls(body, name, scope.get(name))
            if fns is not None:
                changed = changed - {name}
                module_fns += fns
        # A model it takes another name for (`other = net`, then `other.add(...)`): what the other name does
        # with it is not followed.
        get = scope.get
        aliased = [(name, value) for name in bare
                   if type(value := get(name)) is ModelBuilder and value.unresolved is None]
        for name, value in aliased:
            if not self.only_reads_model(body, name, value, scope, 0):
                self.taint(value, reason)
        # A model it calls by its name (`net(xb)` in a training loop left early with `break`): a model not built yet is
        # built by that call, on what the block gives it.
        for name in functions:
            value = get(name)
            if type(value) is ModelBuilder and value.unresolved is None and name not in changed and \
                    not self.only_reads_model(body, name, value, scope, 0):
                self.taint(value, reason)
        def forget_changes(names: Any) -> None:
            # (what each object keeps is decided on the objects as they are, before any is made unknown: an agent
            # keeps its models when the replay buffer it adds to is its class's own, whatever order the names come in)
            decided = []
            for name in names:
                value = scope.get(name)
                if type(value) in _INERT:
                    continue
                if isinstance(value, ModelBuilder) and self.only_reads_model(body, name, value, scope, 0, flags=True):
                    # a built model the block only runs or reads (predict, fit, model(x)...) or sets the trainable flag
                    # of (`D.trainable = False` in a GAN's training loop: made unknown below, with the other flags it sets)
                    continue
                stored = callbacks.loop_keeps_models(list(body), scope, {n for n in changed if scope.get(n) is value},
                                                     value) if isinstance(value, plain.PlainObject) else None
                decided.append((value, stored))
            for value, stored in decided:
                if stored is not None:
                    callbacks.taint_keeping_models(self, value, stored, reason)  # (an agent's step count, not its models)
                else:
                    self.taint(value, reason)

        # A name the block both takes for an object it does not make and changes in place (`m = agent.model`, then
        # `m.add(...)`): what it holds now (after the runs followed) is one of the objects the block changes, before
        # the name is forgotten. (`model = Sequential()` then `model.add(...)`: each run changes the model it makes.)
        both = [name for name in changed if name in assigned]
        if both:
            aliases = _per_node_block_aliases(body)
            both = [name for name in both if name in aliases]
        if both:
            forget_changes(both)
        if scope.redirect is None and not scope.journal.active:
            held = scope.vars  # (Scope.set, inlined: no global names, no branch to undo)
            for name in assigned:
                held[name] = reason
        else:
            for name in assigned:
                scope.set(name, reason)
        forget_changes([name for name in changed if name not in assigned] if both else changed)
        for value in held_items:
            self.taint(value, reason)
            if isinstance(value, ArrayValue):
                # (an item set in an array keeps its shape; which values it holds, row numbers below a bound or
                # labels of every class, is no longer known)
                value.below = value.classes = None
        for fn in (*(scope.get(name) for name in functions), *module_fns, *self.methods_reached(changed, scope)):
            if isinstance(fn, (Function, LambdaValue)):
                # Functions it calls may assign globals (or closures' names) too, and change what they hold; so may
                # the methods of the code's objects it calls (`trainer.step()`, whose body grows a global model).
                for written, target in self.outside_writes(fn, 0, set()).items():
                    target.set(written, reason)
                for held in (*self.outside_mutations(fn, 0, set()), *self.mutated_defaults(fn, 0, set())):
                    self.taint(held, reason)
        if called & {".set_image_data_format", ".set_image_dim_ordering"}:
            self.data_format = reason
        if called & _DTYPE_SETTER_CALLS and self.dtype_set is None:
            self.dtype_set = f"code the analysis does not follow may set Keras's default dtype ({reason.reason})"
        if not self.graph.names_unknown and self.may_use_names(body, scope, 0, set()):
            # Layers, models or operations it makes use up automatic names (clear_session() starts them afresh)
            # a number of times the analysis does not know: the names made afterwards are not known.
            self.graph.names_unknown = True
        if collected.sets_trainable and not narrowed:
            self.graph.flags_not_followed(Unknown(f"trainable flags are set in code the analysis cannot follow "
                                                  f"({reason.reason})", reason.span))

    def module_calls(self, body: Sequence[Any], name: str, module: ModuleRef) -> Optional[List[Any]]:
        """The functions of a project module a block calls through the name it is imported as (``ext.load(p)``),
        when that is all the block may change of the module: its other uses of the name read attributes
        (``main.MAX_SEQ``) or call into a library the module imports (``main.np.zeros(n)``). None when the block
        may change the module otherwise (assigns an attribute of it, calls a method of an object it holds, hands the
        module to other code): then all of it is forgotten."""
        out: List[Any] = []
        todo = list(body)
        while todo:
            stmt = todo.pop()
            if isinstance(stmt, list):
                todo.extend(stmt)
                continue
            uses = _per_node("name_uses", stmt, _name_uses).get(name, ())
            if uses is None:
                return None
            for attr, called in uses:
                if not called:
                    continue
                value = module.scope.vars.get(attr, _MISSING)
                if isinstance(value, (ExternalRef, KerasRef, Builtin)) or type(value) is External:
                    continue  # (numpy, os, keras as the module imports them: nothing of the project's)
                if type(value) is Function:
                    if all(value is not f for f in out):
                        out.append(value)  # (what it writes and changes is forgotten with the other functions)
                    continue
                return None
        return out

    def methods_reached(self, changed: Any, scope: Scope) -> List[Any]:
        """The methods of the classes of the code's objects that ``changed`` names (and of the objects they hold):
        a block that calls one of them (or another it calls through ``self``) runs its body."""
        out: List[Any] = []
        for name in changed:
            value = scope.get(name)
            if not isinstance(value, plain.PlainObject):
                continue
            for o in callbacks._objects(value):
                for c in o.cls.mro:
                    out += [m for m in c.members.values() if isinstance(m, Function) and all(m is not x for x in out)]
        return out

    def mutated_defaults(self, fn: Any, depth: int, seen: set) -> List[Any]:
        """The default values ``fn`` (or a function it calls by name) changes in place: ``def acc(v, into=[]):
        into.append(v)`` keeps what each call left for the next."""
        if not isinstance(fn, Function) or id(fn) in seen or depth > 6:
            return []
        seen.add(id(fn))
        mutated = _mutated_names(fn.node.body)
        out = [v for name, v in fn.defaults.items() if name in mutated and isinstance(v, _MUTABLE)]
        for callee in _called_names(fn.node.body):
            out += self.mutated_defaults(fn.scope.get(callee), depth + 1, seen)
        return out

    def sets_shared_attributes(self, fn: Any, depth: int, seen: set) -> bool:
        """Does ``fn`` (or a function it calls by name) assign an attribute of a class or module it does not make
        (``Config.units += 8``, ``settings.WIDTH = w``): state a later call reads."""
        if not isinstance(fn, Function) or id(fn) in seen or depth > 6:
            return False
        seen.add(id(fn))
        for root in _per_node("attribute_roots", fn.node, _attribute_roots):
            if isinstance(fn.scope.get(root), (ClassValue, ModuleRef)):
                return True
        return any(self.sets_shared_attributes(fn.scope.get(callee), depth + 1, seen)
                   for callee in _called_names(fn.node.body))

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

    def only_reads_model(self, body: Sequence[Any], name: str, b: ModelBuilder, scope: Scope, depth: int,
                         flags: bool = False) -> bool:
        """Does a block the analysis cannot run leave the built model ``b`` (named ``name`` there) as it is?
        It may read its variables, call it or its methods that change no layer (``predict``, ``fit``...) when
        it is built, or pass it to functions of the analysed code that do only that with it."""
        if b.unresolved is not None or depth > 3:
            return False
        # (built_on_data: an earlier call built it, or may have, on data the analysis does not know; the model
        # stays unknown for it, and a later fit or predict does not build it again or change its layers;
        # implicit_input: a Sequential whose first layer is a model with an input, built when that was added, as
        # a GAN's `Sequential([g, d])`, which its training loop runs with `train_on_batch`)
        built = b.kind in ("functional", "application") or \
            b.kind == "sequential" and (b.input_layer is not None or b.built_by_node is not None or
                                        b.built_on_data is not None or b.implicit_input) or \
            b.kind == "subclassed" and b.call_nodes is not None
        uses = model_uses(body, name, built, flags and depth == 0)
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

    def taints(self, value: Any) -> bool:
        """Whether ``taint`` changes anything for this value (else its reason need not be made)."""
        if type(value) in _INERT:
            return False  # (the usual case, as in ``taint``)
        return (isinstance(value, (plain.PlainObject, GlobalsRef)) or isinstance(value, ClassValue) and value.plain
                or isinstance(value, ModuleRef) and value.scope not in self.forgetting
                or isinstance(value, ModelBuilder) and value.kind in ("sequential", "subclassed")
                or isinstance(value, (ListValue, DictValue, SetValue)) and value.tainted is None
                or type(value) is ValuedArray and value.values is not None
                or isinstance(value, CallbackInstance) and value.tainted is None
                or type(value) is OneShot and value.tainted is None)

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
            if value.kind == "subclassed":
                _taint_held_models(value, reason, set())
        elif isinstance(value, ModelBuilder) and value.kind == "functional" and value.cls is None:
            # (a functional model's layers stay; the plain attributes the code set on it, which code not followed
            # may set again, are not known: `model.output_length = ...` in a loop not run, statements.py)
            for attr in [a for a, v in value.attrs.items() if plain_model_attribute(v)]:
                value.attrs[attr] = reason
        elif isinstance(value, (ListValue, DictValue, SetValue)):
            if value.tainted is None:
                value.tainted = reason
            else:
                value.retainted += 1  # (changed again: `len(xs)` read after it is another size than one read before)
        elif isinstance(value, sources.DataObject):
            value.changed()  # df["new"] = ...: a frame may have another number of columns or rows
        elif type(value) is ValuedArray:
            arrays.seal(value)
        elif isinstance(value, CallbackInstance) and value.tainted is None:
            value.tainted = reason  # (its methods are no longer followed: callbacks.method)
        elif type(value) is OneShot and value.tainted is None:
            value.tainted = reason  # (code not followed may take its items)


def _taint_held_models(model: ModelBuilder, reason: Unknown, seen: Set[int]) -> None:
    """A subclassed model that code not followed may have run: the models its attributes hold (directly or in a
    list, tuple or dict) that nothing has called or built yet may have been built there, by its ``call``
    (``self.attention = Attention(units)`` in a decoder a training loop not followed calls), on a shape the
    analysis does not know: they are unknown too, for that reason, not "never called". A model built already, one that
    data given to ``fit``/``predict`` may have built (it has that reason), or a custom layer, is as it was."""
    if id(model) in seen:
        return
    seen.add(id(model))
    for held in model.attrs.values():
        items = held.items if isinstance(held, ListValue) else tuple(held.items.values()) if isinstance(
            held, DictValue) else held if isinstance(held, tuple) else (held,)
        for m in items:
            if type(m) is ModelBuilder and m.kind in ("sequential", "subclassed") and not m.custom_layer and \
                    m.unresolved is None and not m.outputs and m.call_nodes is None and m.build_shape is None and \
                    m.input_layer is None and m.built_by_node is None and not m.explicit_build and not m.built_unseen and \
                    m.built_on_data is None:
                m.taint(reason)
                if m.kind == "subclassed":
                    _taint_held_models(m, reason, seen)


class _LiveItems:
    """The items of a list a ``for`` loop reads, as Python's list iterator reads them: the item at the next index of
    the list as it is then (so removing an item skips the next one, and appending makes the loop run on), until the
    index passes its end; ``lost``: why the list became unknown on the way (the loop stops reading there)."""

    __slots__ = ("values", "lost")

    def __init__(self, values: ListValue) -> None:
        self.values = values
        self.lost: Optional[Unknown] = None

    def __iter__(self) -> Any:
        values = self.values
        i = 0
        while i < len(values.items):
            if values.tainted is not None:
                self.lost = values.tainted
                return
            yield values.items[i]
            i += 1
        if values.tainted is not None:
            self.lost = values.tainted


def _set_why(iterable: Any) -> Optional[str]:
    """Why a loop does not run over a set (SetValue), or over a dataset whose elements are not counted, in words; None
    for anything else."""
    if isinstance(iterable, (sources.Batches, sources.Enumerated)):
        return "how many elements the dataset gives is not known" if iterable.x is not None and \
            iterable.paired else None
    if type(iterable) is not SetValue:
        return None
    return iterable.tainted.reason if iterable.tainted is not None else SET_ORDER


def _changed_in_place(value: Any, kind: str) -> bool:
    """Can ``havoc`` forget a change of ``value``, held by a chain of plain attributes, by forgetting ``value`` alone,
    the object holding it keeping its attributes. ``kind`` "item" (``self.one_hot[i, w] = 1``): a list, a dict, a
    NumPy array or data, or a value of code the analysis does not see (whose ``__setitem__`` is a library's); not an
    object of the project's classes (its ``__setitem__`` may change anything), a model or layer, nor an attribute
    the object does not have (Python raises there). "method" (``self.lengths.append(n)``, a method of
    ``plain.CONTAINER_CHANGES``): a list, a dict or a set."""
    if kind == "item":
        return isinstance(value, (ListValue, DictValue, ArrayValue, sources.DataObject)) or type(value) is Unknown
    return isinstance(value, (ListValue, DictValue, SetValue))


def _maybe_unbound(value: Unknown) -> Unknown:
    """``value``, marked as a name that some way leaves unassigned: read inside a ``try`` with handlers, Python may
    raise NameError there (expressions.eval_Name counts it as a value not computed)."""
    try:
        object.__setattr__(value, "unbound_way", True)
    except AttributeError:
        pass
    return value


class _LiveDict:
    """The keys, values or pairs (``kind``) of a dict a ``for`` loop reads: the keys it had when the loop began, each
    value as the dict holds it when the loop reaches its key; ``changed``: "size" where the body added or removed a
    key (Python raises RuntimeError at the next step), "keys" where it replaced keys (not followed): the loop stops
    reading there."""

    __slots__ = ("d", "kind", "changed")

    def __init__(self, d: DictValue, kind: str) -> None:
        self.d = d
        self.kind = kind
        self.changed: Optional[str] = None

    def __iter__(self) -> Any:
        d = self.d
        keys = list(d.items)
        version = d.version
        for key in keys:
            if d.version != version and not self.same_keys(keys):
                return
            yield key if self.kind == "keys" else d.items[key] if self.kind == "values" else (key, d.items[key])
        if d.version != version:
            self.same_keys(keys)

    def same_keys(self, keys: List[Any]) -> bool:
        d = self.d
        if d.tainted is not None or len(d.items) != len(keys):
            self.changed = "size" if d.tainted is None else "keys"
            return False
        if list(d.items) != keys:
            self.changed = "keys"
            return False
        return True


class _BindItem:
    """The first statement of a loop's body run as one way the loop may take: binds its target to ``item``, and
    what earlier runs may have changed to unknowns."""

    __slots__ = ("loop", "item", "carried", "assign")

    def __init__(self, loop: ast.For, item: Unknown, carried: Tuple[str, ...]) -> None:
        self.loop = loop
        self.item = item
        #: Names the run reads that earlier runs may have changed: unknown in it.
        self.carried = carried
        #: What it is to the code that reads a branch's statements (the names it assigns): one node for each loop
        #: and carried names (the readers keep what they find by the nodes of a block: a new one each run missed).
        made = loop.__dict__.setdefault("_kc_bind_assigns", {})
        assign = made.get(carried)
        if assign is None:
            assign = made[carried] = ast.copy_location(ast.Assign(
                targets=[loop.target, *(ast.Name(id=n, ctx=ast.Store()) for n in carried)],
                value=ast.Constant(None)), loop)
        self.assign = assign


#: Methods that change the object they are called on in place (a list's, a dict's, a set's, a Sequential's).
_IN_PLACE = frozenset({"append", "extend", "insert", "update", "setdefault", "add", "pop", "popleft", "remove",
                       "clear", "sort", "reverse", "appendleft", "build", "discard"})


def _name_uses(stmt: Any) -> Dict[str, Optional[Tuple[Tuple[str, bool], ...]]]:
    """How a statement uses each name as the root of attribute chains: {name: ((attr, called), ...)}, one pair for each
    ``name.attr`` it reads, ``called`` when that is called itself (``ext.load(p)``) or the chain it starts is called
    or assigned into (``main.np.zeros(n)``, ``cfg.items[0] = v``); None for a name it also uses otherwise (given
    bare, ``f(main)``; rebound; or an attribute of it assigned or deleted, ``main.EPOCHS = 5``)."""
    parent: Dict[int, Any] = {}
    names: List[Any] = []
    for node in ast_walk(stmt):
        for child in ast_children(node):
            parent[id(child)] = node
        if type(node) is ast.Name:
            names.append(node)
    out: Dict[str, Optional[Tuple[Tuple[str, bool], ...]]] = {}
    for node in names:
        uses = out.get(node.id, ())
        if uses is None:
            continue
        attr = parent.get(id(node))
        if type(node.ctx) is not ast.Load or type(attr) is not ast.Attribute or attr.value is not node or \
                type(attr.ctx) is not ast.Load:
            out[node.id] = None
            continue
        called, cur = False, attr
        while True:
            up = parent.get(id(cur))
            if type(up) is ast.Call and up.func is cur:
                called = True
                cur = up
            elif type(up) in (ast.Attribute, ast.Subscript) and up.value is cur:
                if type(up.ctx) is not ast.Load:
                    called = True
                    break
                cur = up
            else:
                if type(up) is ast.AugAssign and up.target is cur:
                    called = True
                break
        out[node.id] = (*uses, (attr.attr, called))
    return out


def _loop_shell(loop: Any) -> Any:
    """The loop with a constant for its iterable: what running its body (and binding its target) any number of times
    may change, the iterable having been evaluated once already."""
    shell = type(loop)(target=loop.target, iter=ast.Constant(value=()), body=loop.body, orelse=loop.orelse,
                       type_comment=None)
    return ast.copy_location(shell, loop)


def _escapes(loop: ast.For) -> bool:
    """Does the loop's body hold ``yield``, ``await``, ``global`` or ``nonlocal`` (outside functions it defines)?"""
    todo = list(loop.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal)):
            return True
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast_children(n))
    return False


#: Values a loop's body must read for one run of it to be taken as a way the loop goes: Keras's names, layers,
#: models, tensors, and the functions, classes and modules of the analysed code.
_BUILDERS = (KerasRef, LayerObj, ModelBuilder, Tensor, Function, LambdaValue, ClassValue, ModuleRef)


#: Values a function of the analysed code may change in place so that a later run of a loop reads them changed
#: (containers, models, arrays, objects of the file's classes, a module's names, data frames).
_MUTABLE = (ListValue, DictValue, SetValue, ModelBuilder, ArrayValue, GlobalsRef, plain.PlainObject, sources.DataObject)


def _loop_reads(loop: ast.For) -> frozenset:
    """The names the loop's body reads."""
    return frozenset(n.id for s in loop.body for n in ast_walk(s) if isinstance(n, ast.Name) and
                     isinstance(n.ctx, ast.Load))


def _method_roots(loop: ast.For) -> frozenset:
    """The names the loop's body calls a method (or a function) of: ``agent`` in ``agent.step()``."""
    return frozenset(n.func.value.id for s in loop.body for n in ast_walk(s) if isinstance(n, ast.Call) and
                     isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name))


def _attribute_roots(fn: Any) -> frozenset:
    """The names whose attributes a function's body assigns (``Config.units = 8``, ``settings.W += 1``)."""
    out = set()
    for n in ast_walk(ast.Module(body=fn.body, type_ignores=[])):
        if isinstance(n, ast.Attribute) and isinstance(n.ctx, (ast.Store, ast.Del)):
            root = _root_name(n)
            if root is not None:
                out.add(root)
    return frozenset(out)


#: Builtins that only read what they are given (a loop over ``enumerate(net.layers)`` reads ``net``'s layers).
_READING_BUILTINS = frozenset({"enumerate", "range", "len", "reversed", "list", "tuple", "zip"})


def _root_name(node: Any) -> Optional[str]:
    """The name an attribute or subscript target hangs from (``cfg`` in ``cfg.opt["lr"] = ...``), or None."""
    root = node.value
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return root.id if isinstance(root, ast.Name) else None


def _loop_writes(loop: ast.For) -> frozenset:
    """The names the loop's body assigns, deletes, or writes into (``x.append(...)``, ``x[k] = v``, ``x.a = v``)."""
    out = set()
    for n in ast_walk(ast.Module(body=loop.body, type_ignores=[])):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.Attribute, ast.Subscript)) and isinstance(n.ctx, (ast.Store, ast.Del)):
            root = _root_name(n)
            if root is not None:
                out.add(root)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _IN_PLACE and \
                isinstance(n.func.value, ast.Name):
            out.add(n.func.value.id)
    return frozenset(out)


def _value_reads(stmt: Any) -> Tuple[frozenset, frozenset]:
    """The names a statement reads (an augmented assignment's target too; not the object a method that changes
    it in place is called on, nor the root of a subscript or attribute it assigns), and the names it assigns as
    a whole (plain targets of an assignment)."""
    skip = set()
    for n in ast_walk(stmt):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _IN_PLACE and \
                isinstance(n.func.value, ast.Name):
            skip.add(id(n.func.value))
        elif isinstance(n, (ast.Attribute, ast.Subscript)) and isinstance(n.ctx, (ast.Store, ast.Del)) and \
                isinstance(n.value, ast.Name):
            skip.add(id(n.value))
    reads = {n.id for n in ast_walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
             and id(n) not in skip}
    if isinstance(stmt, ast.AugAssign):
        reads |= set(_target_names(stmt.target))
    stores = set()
    if isinstance(stmt, ast.Assign):
        for t in stmt.targets:
            stores |= set(_target_names(t))
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        stores |= set(_target_names(stmt.target))
    return frozenset(reads), frozenset(stores)


def _free_names(fn: ast.AST) -> Set[str]:
    """The names a function reads that it does not bind itself (its globals and closures)."""
    return _per_node("free_names", fn, _free_names_of)


def _free_names_of(fn: Any) -> Set[str]:
    own = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs, fn.args.vararg, fn.args.kwarg)
           if a is not None}
    loads = set()
    for n in ast_walk(fn):
        if type(n) is ast.Name:
            (loads if type(n.ctx) is ast.Load else own).add(n.id)
    return loads - own


#: Calls that give back a container of the items of their one argument, as many: a loop over them runs once each.
_SAME_ITEMS = frozenset({"set", "list", "sorted", "tuple", "frozenset", "enumerate", "reversed"})


def _counted_items(node: ast.AST) -> Optional[ast.AST]:
    """The expression whose number of items a ``for`` loop over ``node`` runs once per item: ``words`` for
    ``words``, ``enumerate(words)``, ``sorted(words)``, ``words.items()`` (``.keys()``, ``.values()``), an
    attribute chain or a subscript of names; ``set(...)`` itself (its items are distinct ones). None for any other
    iterable (a call of other code, which may give an iterator of any length, a generator expression)."""
    if type(node) is ast.Call and type(node.func) is ast.Name and node.func.id in _SAME_ITEMS and \
            len(node.args) == 1 and not node.keywords and type(node.args[0]) is not ast.Starred:
        if node.func.id in ("set", "frozenset"):
            return node if _counted_items(node.args[0]) is not None or type(node.args[0]) is ast.ListComp else None
        return _counted_items(node.args[0])
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in ("items", "keys", "values") \
            and not node.args and not node.keywords:
        return _counted_items(node.func.value)
    inner = node
    while type(inner) in (ast.Attribute, ast.Subscript):
        if type(inner) is ast.Subscript and type(inner.slice) not in (ast.Constant, ast.Name):
            return None
        inner = inner.value
    return node if type(inner) is ast.Name else None
