"""A bounded abstract interpreter over a libcst module.

It runs a model script the way Python would, statement by statement, but only
over values it can know from the text: constants, tuples and lists, arithmetic,
loops over known ranges, ``if`` on known conditions, calls of functions defined
in the same file, and Keras constructors. Everything else becomes a symbol
(an unresolved name such as ``HEIGHT``) or an :class:`~kerascount.ir.Unknown`
with the reason. Nothing is imported or executed.

Every loop and call is bounded (:class:`Limits`): an analysis always ends.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from .. import catalogue
from ..ir import FileIR, LayerDef, Loss, ModelDef, Node, Note, Span, TensorRef, Unknown
from ..symbolic import Expr, TooComplex, floordiv, symbol
from . import names
from .values import (
    BoundMethod,
    Builtin,
    DictValue,
    ExternalRef,
    Function,
    KerasRef,
    LambdaValue,
    LayerObj,
    ListValue,
    ModelBuilder,
    OpaqueCallable,
    Partial,
    RangeValue,
    Tensor,
)


@dataclass(frozen=True)
class Limits:
    layer_calls: int = 10_000
    layers: int = 50_000
    loop_iterations: int = 100_000
    steps: int = 2_000_000
    call_depth: int = 40
    seconds: float = 10.0
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
    """The analysed code raises on this path."""


class _Uncertain(_Signal):
    """Control flow (break/continue/return) under an unknown condition."""

    def __init__(self, reason: Unknown) -> None:
        self.reason = reason


class AnalysisLimit(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_BUILTINS = {
    "range", "len", "int", "float", "min", "max", "abs", "round", "sum", "list", "tuple", "enumerate",
    "zip", "reversed", "sorted", "print", "str", "bool", "isinstance", "dict", "any", "all", "divmod",
    "pow", "map", "set", "getattr", "hasattr", "type", "super", "iter", "next", "repr", "format", "id",
    "open", "vars", "locals", "globals", "input", "callable", "issubclass", "object", "slice",
}
_MISSING = object()
#: Integers beyond this many bits are not followed (no Keras dimension is that large).
MAX_INT_BITS = 256
_KNOWN_EXTERNAL = {"functools", "math", "numpy", "tensorflow"}


class Scope:
    __slots__ = ("vars", "parent", "module")

    def __init__(self, parent: Optional["Scope"] = None) -> None:
        self.vars: Dict[str, Any] = {}
        self.parent = parent
        self.module: "Scope" = parent.module if parent is not None else self

    def get(self, name: str) -> Any:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return _MISSING

    def set(self, name: str, value: Any) -> None:
        self.vars[name] = value


class _Fork(Scope):
    """A copy-on-write view of a scope, for running one branch of an unknown ``if``."""

    def __init__(self, base: Scope) -> None:
        super().__init__(base)
        self.module = base.module


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (int, float, str, bool, type(None), Expr)):
        return a == b
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return False


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float, Expr)) and not isinstance(v, bool) or isinstance(v, bool)


class Interpreter:
    def __init__(self, module: cst.Module, path: str, positions: Any, limits: Limits = Limits()) -> None:
        self.module = module
        self.path = path
        self.positions = positions
        self.limits = limits
        self.layers: List[LayerDef] = []
        self.nodes: List[Node] = []
        self.models: List[ModelBuilder] = []
        self.notes: List[Note] = []
        self.name_counts: Dict[str, int] = {}
        self.layer_calls = 0
        self.steps = 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.seconds
        self.caveat: Optional[str] = None
        self.star_imports: List[str] = []
        self._budget_note = False
        self.functions: List[Function] = []
        self.trainable_unknown: Optional[Unknown] = None
        self._code: Dict[int, str] = {}
        #: How many undecidable conditions have been met (while loops stop unrolling after one).
        self.forks = 0

    # -- entry ----------------------------------------------------------
    def run(self) -> FileIR:
        scope = Scope()
        scope.set("__name__", "__main__")
        scope.set("__file__", self.path)
        try:
            try:
                self.exec_block(self.module.body, scope)
            except _Raise:
                pass
            except (_Return, _Break, _Continue, _Uncertain):
                pass
            for fn in self.functions:
                if fn.calls == 0 and fn.top_level:
                    self.caveat = f"built by {fn.name}() with its default arguments"
                    try:
                        self.call_function(fn, (), {}, None, defaults_run=True)
                    except (_Signal,):
                        pass
                    finally:
                        self.caveat = None
        except AnalysisLimit as exc:
            self.notes.append(Note("KC902", exc.message, Span(1, 1, 1, 1)))
            for b in self.models:
                b.taint(Unknown(exc.message))
        except RecursionError:
            msg = "the file is nested too deeply to analyse"
            self.notes.append(Note("KC902", msg, Span(1, 1, 1, 1)))
            for b in self.models:
                b.taint(Unknown(msg))
        return FileIR(
            path=self.path,
            layers=tuple(self.layers),
            nodes=tuple(self.nodes),
            models=tuple(self._freeze(b) for b in self.models),
            notes=tuple(self.notes),
            trainable_unknown=self.trainable_unknown,
        )

    def _freeze(self, b: ModelBuilder) -> ModelDef:
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
            trainable=b.trainable,
            keras_name=b.keras_name,
            implicit_input=b.implicit_input,
            built_by_node=b.built_by_node,
            application=b.application,
            compile=b.compile,
        )

    # -- helpers --------------------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        r = self.positions.get(node)
        if r is None:
            return Span(1, 1, 1, 1)
        return Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)

    def code(self, node: cst.CSTNode) -> str:
        """The node's source text on one line (cached: codegen is costly and loops ask again)."""
        key = id(node)
        text = self._code.get(key)
        if text is None:
            text = " ".join(self.module.code_for_node(node).split())
            if len(text) > 120:
                text = text[:117] + "..."
            self._code[key] = text
        return text

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.limits.steps:
            raise AnalysisLimit(f"analysis stopped after {self.limits.steps:,} steps (a loop too long to unroll?)")
        if not self.steps & 1023 and time.monotonic() > self.deadline:
            raise AnalysisLimit(f"analysis stopped after {self.limits.seconds:g} s")

    def unknown(self, reason: str, node: Optional[cst.CSTNode] = None) -> Unknown:
        return Unknown(reason, self.span(node) if node is not None else None)

    # -- statements -----------------------------------------------------
    def exec_block(self, body: Sequence[cst.CSTNode], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: cst.CSTNode, scope: Scope) -> None:
        self.tick()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, scope)
        elif isinstance(stmt, cst.BaseSmallStatement):
            self.exec_small(stmt, scope)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt, scope)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt, scope)
        elif isinstance(stmt, cst.While):
            self.exec_while(stmt, scope)
        elif isinstance(stmt, cst.FunctionDef):
            self.exec_def(stmt, scope)
        elif isinstance(stmt, cst.ClassDef):
            self.exec_class(stmt, scope)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item, scope)
                if item.asname is not None:
                    self.bind(item.asname.name, self.unknown("value of a with-statement", item.item)
                              if not isinstance(value, Unknown) else value, scope)
            self.exec_block(stmt.body.body, scope)
        elif isinstance(stmt, (cst.Try,) + ((cst.TryStar,) if hasattr(cst, "TryStar") else ())):
            try:
                self.exec_block(stmt.body.body, scope)
                if stmt.orelse is not None:
                    self.exec_block(stmt.orelse.body.body, scope)
            except _Raise:
                self.havoc([h.body for h in stmt.handlers], scope, self.unknown("depends on an exception handler", stmt))
            finally:
                if stmt.finalbody is not None:
                    self.exec_block(stmt.finalbody.body.body, scope)
        elif isinstance(stmt, cst.IndentedBlock):
            self.exec_block(stmt.body, scope)
        else:
            # match statements and anything newer: not followed.
            self.havoc([stmt], scope, self.unknown("assigned in a statement that is not followed", stmt))

    def exec_small(self, s: cst.CSTNode, scope: Scope) -> None:
        if isinstance(s, cst.Assign):
            value = self.eval(s.value, scope)
            for t in s.targets:
                self.bind(t.target, value, scope)
        elif isinstance(s, cst.AnnAssign):
            if s.value is not None:
                self.bind(s.target, self.eval(s.value, scope), scope)
        elif isinstance(s, cst.AugAssign):
            current = self.eval(s.target, scope)
            right = self.eval(s.value, scope)
            op = type(s.operator).__name__.replace("Assign", "")
            if op == "Add" and isinstance(current, ListValue):
                items = self.iterate(right)
                if items is None or current.tainted:
                    current.tainted = current.tainted or self.unknown("extended with unknown items", s)
                else:
                    current.items.extend(items)
                    current.version += 1
                return
            self.bind(s.target, self.binop(op, current, right, s), scope)
        elif isinstance(s, cst.Expr):
            self.eval(s.value, scope)
        elif isinstance(s, cst.Return):
            raise _Return(None if s.value is None else self.eval(s.value, scope))
        elif isinstance(s, cst.Import):
            self.exec_import(s, scope)
        elif isinstance(s, cst.ImportFrom):
            self.exec_import_from(s, scope)
        elif isinstance(s, cst.Break):
            raise _Break()
        elif isinstance(s, cst.Continue):
            raise _Continue()
        elif isinstance(s, cst.Raise):
            raise _Raise()
        elif isinstance(s, cst.Del):
            for name in _target_names(s.target):
                scope.set(name, self.unknown(f"`{name}` was deleted", s))
        # Pass, Global, Nonlocal, Assert: nothing to do.

    def exec_import(self, s: cst.Import, scope: Scope) -> None:
        for alias in s.names:
            full = _dotted(alias.name)
            if alias.asname is not None:
                scope.set(alias.asname.name.value, self.ref(full))
            else:
                top = full.split(".")[0]
                scope.set(top, self.ref(top))

    def exec_import_from(self, s: cst.ImportFrom, scope: Scope) -> None:
        if s.relative:
            module = "." * len(s.relative) + (_dotted(s.module) if s.module else "")
        else:
            module = _dotted(s.module) if s.module else ""
        if isinstance(s.names, cst.ImportStar):
            canon = names.canonical(module)
            if canon is not None:
                self.star_imports.append(canon)
            return
        for alias in s.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name
            if module.startswith("."):
                scope.set(bound, symbol(bound))
                continue
            scope.set(bound, self.ref(f"{module}.{name}", bound))

    def ref(self, path: str, display: Optional[str] = None) -> Any:
        """What an imported or attribute path denotes; ``display`` names its symbol."""
        canon = names.canonical(path)
        if canon is not None:
            return KerasRef(canon)
        if path.split(".")[0] in _KNOWN_EXTERNAL or "." not in path:
            return ExternalRef(path)
        # A value from another module of the project or a third party: a symbol.
        return symbol(display or path)

    def exec_class(self, node: cst.ClassDef, scope: Scope) -> None:
        name = node.name.value
        kinds = set()
        for base in node.bases:
            value = self.eval(base.value, scope)
            if isinstance(value, KerasRef):
                kinds.add(names.classify(value.path)[0])
        if kinds & {"model", "sequential"}:
            reason = f"subclassed model `{name}` is not analysed yet"
            self.notes.append(Note("KC901", reason, self.span(node.name)))
        elif "layer" in kinds or kinds & {"module"}:
            reason = f"custom layer `{name}` is not analysed"
        else:
            reason = f"class `{name}` is not analysed"
        scope.set(name, OpaqueCallable(name, reason))

    def exec_def(self, node: cst.FunctionDef, scope: Scope) -> None:
        defaults: Dict[str, Any] = {}
        for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if p.default is not None:
                defaults[p.name.value] = self.eval(p.default, scope)
        fn = Function(node=node, scope=scope, name=node.name.value, defaults=defaults,
                      top_level=scope is scope.module)
        scope.set(node.name.value, fn)
        if fn.top_level:
            self.functions.append(fn)

    def exec_if(self, stmt: cst.If, scope: Scope) -> None:
        cond = self.truth(self.eval(stmt.test, scope))
        orelse = stmt.orelse
        if cond is True:
            self.exec_block(stmt.body.body, scope)
        elif cond is False:
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, scope)
            elif isinstance(orelse, cst.Else):
                self.exec_block(orelse.body.body, scope)
        else:
            reason = self.unknown(f"depends on the condition `{self.code(stmt.test)}` (line {self.span(stmt).line})",
                                  stmt.test)
            branches: List[Sequence[cst.CSTNode]] = [stmt.body.body]
            if isinstance(orelse, cst.If):
                branches.append([orelse])
            elif isinstance(orelse, cst.Else):
                branches.append(orelse.body.body)
            else:
                branches.append([])
            self.exec_branches(branches, scope, reason)

    def exec_branches(self, branches: List[Sequence[cst.CSTNode]], scope: Scope, reason: Unknown) -> None:
        """Run each branch in its own fork; keep what all branches agree on."""
        self.forks += 1
        forks: List[_Fork] = []
        returned: List[Any] = []
        uncertain = False
        saved = self.caveat
        self.caveat = saved or f"built only under a condition the analysis cannot decide ({reason.reason})"
        candidates = set()
        for body in branches:
            candidates |= _mutated_names(body)
        before = {name: _fingerprint(scope.get(name)) for name in candidates}
        for body in branches:
            fork = _Fork(scope)
            try:
                self.exec_block(body, fork)
                returned.append(_MISSING)
            except _Return as r:
                returned.append(r.value)
            except (_Break, _Continue, _Uncertain):
                uncertain = True
                returned.append(_MISSING)
            except _Raise:
                returned.append(_Raise)
            forks.append(fork)
        self.caveat = saved
        live = [f for f, r in zip(forks, returned) if r is not _Raise]
        for name, mark in before.items():
            if _fingerprint(scope.get(name)) != mark:
                self.taint(scope.get(name), reason)
        if not live:
            raise _Raise()
        written = set().union(*(f.vars.keys() for f in live))
        for name in written:
            values = [f.vars.get(name, scope.get(name)) for f in live]
            first = values[0]
            scope.set(name, first if all(_same(first, v) for v in values[1:]) and first is not _MISSING
                      else reason)
        if uncertain:
            raise _Uncertain(reason)
        rets = [r for f, r in zip(forks, returned) if r is not _Raise]
        if all(r is not _MISSING for r in rets):
            raise _Return(rets[0] if all(_same(rets[0], r) for r in rets[1:]) else reason)
        if any(r is not _MISSING for r in rets):
            raise _Return(reason)

    def exec_for(self, stmt: cst.For, scope: Scope) -> None:
        iterable = self.eval(stmt.iter, scope)
        size = len(iterable) if isinstance(iterable, RangeValue) else None
        if size is not None and size > self.limits.loop_iterations:
            reason = self.unknown(f"assigned in a loop of {size:,} iterations at line {self.span(stmt).line}, "
                                  "too long to unroll", stmt.iter)
            self.havoc([stmt], scope, reason)
            self.notes.append(Note("KC902", f"loop of {size:,} iterations is too long to unroll; "
                                   "what it builds is left unresolved", self.span(stmt.iter)))
            return
        items = self.iterate(iterable)
        if items is None:
            why = iterable.reason if isinstance(iterable, Unknown) else f"`{self.code(stmt.iter)}` is not known"
            self.havoc([stmt], scope, self.unknown(f"assigned in a loop over {self.code(stmt.iter)!s} ({why})",
                                                   stmt.iter))
            return
        broke = False
        for item in items:
            self.bind(stmt.target, item, scope)
            try:
                self.exec_block(stmt.body.body, scope)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
            except _Uncertain as u:
                self.havoc([stmt], scope, u.reason)
                return
        if not broke and stmt.orelse is not None:
            self.exec_block(stmt.orelse.body.body, scope)

    def exec_while(self, stmt: cst.While, scope: Scope) -> None:
        forks = self.forks
        for _ in range(self.limits.loop_iterations):
            if self.forks != forks:
                # An iteration went through a condition we cannot decide: the loop's state is
                # no longer known exactly, so stop unrolling and forget what it assigns.
                break
            cond = self.truth(self.eval(stmt.test, scope))
            if cond is False:
                if stmt.orelse is not None:
                    self.exec_block(stmt.orelse.body.body, scope)
                return
            if cond is None:
                break
            try:
                self.exec_block(stmt.body.body, scope)
            except _Break:
                return
            except _Continue:
                continue
            except _Uncertain:
                break
        self.havoc([stmt], scope, self.unknown(
            f"assigned in a while loop whose condition `{self.code(stmt.test)}` is not known", stmt.test))

    def havoc(self, body: Sequence[cst.CSTNode], scope: Scope, reason: Unknown) -> None:
        """Forget what a block we cannot follow may have changed."""
        for name in _collect(body).assigned:
            scope.set(name, reason)
        collected = _collect(body)
        for name in collected.mutated:
            self.taint(scope.get(name), reason)
        if collected.sets_trainable and self.trainable_unknown is None:
            self.trainable_unknown = Unknown(f"trainable flags are set in code the analysis cannot follow "
                                             f"({reason.reason})", reason.span)

    def set_trainable(self, obj: Any, value: Any, e: cst.CSTNode) -> None:
        flag = value if isinstance(value, bool) else self.unknown(f"`{self.code(e)}` is set to an unknown value", e)
        if isinstance(obj, LayerObj):
            layer = self.layers[obj.uid]
            kwargs = tuple((k, v) for k, v in layer.kwargs if k != "trainable") + (("trainable", flag),)
            self.layers[obj.uid] = replace(layer, kwargs=kwargs)
        elif isinstance(obj, ModelBuilder):
            obj.trainable = flag
        else:
            # We cannot tell which layer changed: the trainable split is unknown.
            self.trainable_unknown = self.unknown(f"`{self.code(e)}` changes trainable flags the analysis "
                                                  "cannot follow", e)

    def taint(self, value: Any, reason: Unknown) -> None:
        if isinstance(value, ModelBuilder) and value.kind == "sequential":
            value.taint(reason)
        elif isinstance(value, (ListValue, DictValue)) and value.tainted is None:
            value.tainted = reason

    # -- binding --------------------------------------------------------
    def bind(self, target: cst.CSTNode, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.set(target.value, value)
            if isinstance(value, ModelBuilder) and value.name is None:
                value.name = target.value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.iterate(value)
            star = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            if items is None or (not star and len(items) != len(elements)) or (star and len(items) < len(elements) - 1):
                reason = value if isinstance(value, Unknown) else self.unknown(
                    f"cannot unpack `{self.code(target)}`", target)
                for e in elements:
                    self.bind(e.value, reason, scope)
                return
            if star:
                i = star[0]
                after = len(elements) - i - 1
                for e, v in zip(elements[:i], items[:i]):
                    self.bind(e.value, v, scope)
                self.bind(elements[i].value, ListValue(list(items[i:len(items) - after])), scope)
                for e, v in zip(elements[i + 1:], items[len(items) - after:]):
                    self.bind(e.value, v, scope)
            else:
                for e, v in zip(elements, items):
                    self.bind(e.value, v, scope)
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            if isinstance(container, (ListValue, DictValue)) and len(target.slice) == 1 and isinstance(
                target.slice[0].slice, cst.Index
            ):
                key = self.eval(target.slice[0].slice.value, scope)
                if isinstance(container, DictValue) and isinstance(key, (str, int, tuple)):
                    container.items[key] = value
                    container.version += 1
                    return
                if isinstance(container, ListValue) and isinstance(key, int) and -len(container.items) <= key < len(
                    container.items
                ):
                    container.items[key] = value
                    container.version += 1
                    return
            self.taint(container, self.unknown(f"changed through `{self.code(target)}`", target))
        elif isinstance(target, cst.Attribute) and target.attr.value == "trainable":
            self.set_trainable(self.eval(target.value, scope), value, target)
        # Other attribute targets (obj.x = ...) are not tracked: reads give symbols, never stale values.

    # -- expressions ----------------------------------------------------
    def eval(self, e: cst.CSTNode, scope: Scope) -> Any:
        self.tick()
        method = getattr(self, "eval_" + type(e).__name__, None)
        if method is None:
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        return method(e, scope)

    def eval_Integer(self, e: cst.Integer, scope: Scope) -> Any:
        return e.evaluated_value

    def eval_Float(self, e: cst.Float, scope: Scope) -> Any:
        return e.evaluated_value

    def eval_SimpleString(self, e: cst.SimpleString, scope: Scope) -> Any:
        try:
            return e.evaluated_value
        except Exception:  # noqa: BLE001 - malformed escapes
            return self.unknown("string", e)

    def eval_ConcatenatedString(self, e: cst.ConcatenatedString, scope: Scope) -> Any:
        left, right = self.eval(e.left, scope), self.eval(e.right, scope)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return self.unknown("string", e)

    def eval_FormattedString(self, e: cst.FormattedString, scope: Scope) -> Any:
        return self.unknown("an f-string", e)

    def eval_Name(self, e: cst.Name, scope: Scope) -> Any:
        name = e.value
        if name == "True":
            return True
        if name == "False":
            return False
        if name == "None":
            return None
        value = scope.get(name)
        if value is not _MISSING:
            return value
        for module in self.star_imports:
            candidate = KerasRef(f"{module}.{name}")
            if names.classify(candidate.path)[0] != "other":
                return candidate
        if name in _BUILTINS:
            return Builtin(name)
        return symbol(name)

    def eval_Attribute(self, e: cst.Attribute, scope: Scope) -> Any:
        base = self.eval(e.value, scope)
        return self.attribute(base, e.attr.value, e)

    def attribute(self, base: Any, attr: str, e: cst.CSTNode) -> Any:
        if isinstance(base, KerasRef):
            return KerasRef(f"{base.path}.{attr}")
        if isinstance(base, ExternalRef):
            return self.ref(f"{base.path}.{attr}", self.code(e))
        if isinstance(base, Expr):
            return symbol(self.code(e))
        if isinstance(base, ModelBuilder):
            if base.kind == "application" and attr in ("output", "outputs", "input", "inputs"):
                inp, out = self.app_tensors(base, e)
                tensor = out if attr.startswith("output") else inp
                return tensor if attr in ("output", "input") else ListValue([tensor])
            if base.kind == "functional" and attr in ("output", "outputs", "input", "inputs"):
                refs = base.outputs if attr.startswith("output") else base.inputs
                single = base.single_output if attr.startswith("output") else base.single_input
                if attr in ("output", "input") or single:
                    return Tensor(refs[0]) if len(refs) == 1 else tuple(Tensor(r) for r in refs)
                return ListValue([Tensor(r) for r in refs])
            if base.kind == "sequential" and attr == "layers":
                return ListValue([LayerObj(uid) for uid in base.layers], base.unresolved)
            if attr == "layers":
                return self.unknown("the layers of a functional model", e)
            return BoundMethod(base, attr)
        if isinstance(base, (ListValue, DictValue, str)):
            return BoundMethod(base, attr)
        if isinstance(base, Unknown):
            return base
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def eval_Tuple(self, e: cst.Tuple, scope: Scope) -> Any:
        items = self.elements(e.elements, scope)
        return tuple(items) if items is not None else self.unknown("a tuple with unknown items", e)

    def eval_List(self, e: cst.List, scope: Scope) -> Any:
        items = self.elements(e.elements, scope)
        return ListValue(items) if items is not None else ListValue([], self.unknown("a list with unknown items", e))

    def eval_Set(self, e: cst.Set, scope: Scope) -> Any:
        return self.unknown("a set", e)

    def elements(self, elements: Sequence[cst.BaseElement], scope: Scope) -> Optional[List[Any]]:
        out: List[Any] = []
        for el in elements:
            value = self.eval(el.value, scope)
            if isinstance(el, cst.StarredElement):
                items = self.iterate(value)
                if items is None:
                    return None
                out.extend(items)
            else:
                out.append(value)
            if len(out) > self.limits.sequence_length:
                return None
        return out

    def eval_Dict(self, e: cst.Dict, scope: Scope) -> Any:
        out: Dict[Any, Any] = {}
        for el in e.elements:
            if isinstance(el, cst.DictElement):
                key = self.eval(el.key, scope)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    return DictValue({}, self.unknown("a dict with unknown keys", e))
                out[key] = self.eval(el.value, scope)
            else:
                value = self.eval(el.value, scope)
                if isinstance(value, DictValue) and value.tainted is None:
                    out.update(value.items)
                else:
                    return DictValue({}, self.unknown("a dict with unknown items", e))
        return DictValue(out)

    def eval_Subscript(self, e: cst.Subscript, scope: Scope) -> Any:
        base = self.eval(e.value, scope)
        if len(e.slice) != 1:
            return self.subscript_unknown(base, e)
        sl = e.slice[0].slice
        if isinstance(sl, cst.Index):
            key = self.eval(sl.value, scope)
            return self.index(base, key, e)
        if isinstance(sl, cst.Slice):
            parts = [None if p is None else self.eval(p, scope) for p in (sl.lower, sl.upper, sl.step)]
            seq = self.sequence(base)
            if seq is None or not all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                return self.subscript_unknown(base, e)
            if parts[2] == 0:
                return self.unknown("slice step is zero", e)
            items = seq[slice(*parts)]
            return tuple(items) if isinstance(base, tuple) else ListValue(list(items)) if isinstance(
                base, ListValue) else items
        return self.subscript_unknown(base, e)

    def subscript_unknown(self, base: Any, e: cst.CSTNode) -> Any:
        if isinstance(base, Expr):
            return symbol(self.code(e))
        if isinstance(base, Unknown):
            return base
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def sequence(self, v: Any) -> Optional[Sequence[Any]]:
        if isinstance(v, (tuple, str)):
            return v
        if isinstance(v, ListValue) and v.tainted is None:
            return v.items
        if isinstance(v, RangeValue):
            return range(v.start, v.stop, v.step)
        return None

    def index(self, base: Any, key: Any, e: cst.CSTNode) -> Any:
        if isinstance(base, DictValue) and base.tainted is None and isinstance(key, (str, int, float, bool, tuple)):
            if key in base.items:
                return base.items[key]
            return self.unknown(f"key {key!r} is not in the dict", e)
        seq = self.sequence(base)
        if seq is not None and isinstance(key, int) and not isinstance(key, bool):
            if -len(seq) <= key < len(seq):
                return seq[key]
            return self.unknown(f"index {key} is out of range", e)
        return self.subscript_unknown(base, e)

    def eval_UnaryOperation(self, e: cst.UnaryOperation, scope: Scope) -> Any:
        v = self.eval(e.expression, scope)
        op = type(e.operator).__name__
        if op == "Not":
            t = self.truth(v)
            return self.unknown(f"`{self.code(e)}` is not known", e) if t is None else not t
        if isinstance(v, (int, float, Expr)) and not isinstance(v, bool) or isinstance(v, bool):
            if op == "Minus":
                return -v
            if op == "Plus":
                return v
            if op == "BitInvert" and isinstance(v, int):
                return ~v
        return v if isinstance(v, Unknown) else self.unknown(f"`{self.code(e)}` is not known", e)

    def eval_BinaryOperation(self, e: cst.BinaryOperation, scope: Scope) -> Any:
        left = self.eval(e.left, scope)
        right = self.eval(e.right, scope)
        return self.binop(type(e.operator).__name__, left, right, e)

    def binop(self, op: str, a: Any, b: Any, e: cst.CSTNode) -> Any:
        result = self._binop(op, a, b, e)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            return self.unknown(f"`{self.code(e)}` is a number too large to follow", e)
        return result

    def _binop(self, op: str, a: Any, b: Any, e: cst.CSTNode) -> Any:
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if isinstance(a, int) and isinstance(b, int) and op in ("Multiply", "LeftShift", "Power") and \
                a.bit_length() + b.bit_length() > MAX_INT_BITS and op != "Power":
            return self.unknown(f"`{self.code(e)}` is a number too large to follow", e)
        try:
            if isinstance(a, Expr) or isinstance(b, Expr):
                return self.symbolic_binop(op, a, b, e)
            if op == "Add":
                if isinstance(a, ListValue) and isinstance(b, ListValue):
                    if a.tainted or b.tainted:
                        return ListValue([], a.tainted or b.tainted)
                    return ListValue(a.items + b.items)
                if isinstance(a, (int, float, str, tuple)) and type(a) is type(b) or _num_pair(a, b):
                    return a + b
            elif op == "Multiply":
                if _num_pair(a, b):
                    return a * b
                if isinstance(a, (tuple, str)) and isinstance(b, int) and not isinstance(b, bool):
                    return a * b if len(a) * b <= self.limits.sequence_length else self.unknown("too long", e)
                if isinstance(a, ListValue) and isinstance(b, int) and a.tainted is None:
                    if len(a.items) * b > self.limits.sequence_length:
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
                return self.unknown("a formatted string", e)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError):
            return self.unknown(f"`{self.code(e)}` fails", e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def symbolic_binop(self, op: str, a: Any, b: Any, e: cst.CSTNode) -> Any:
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
        return symbol(self.code(e))

    def eval_BooleanOperation(self, e: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(e.left, scope)
        t = self.truth(left)
        is_and = isinstance(e.operator, cst.And)
        if t is None:
            return self.unknown(f"`{self.code(e)}` is not known", e)
        if is_and:
            return self.eval(e.right, scope) if t else left
        return left if t else self.eval(e.right, scope)

    def eval_Comparison(self, e: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(e.left, scope)
        for target in e.comparisons:
            right = self.eval(target.comparator, scope)
            result = self.compare(type(target.operator).__name__, left, right)
            if result is None:
                return self.unknown(f"`{self.code(e)}` is not known", e)
            if not result:
                return False
            left = right
        return True

    def compare(self, op: str, a: Any, b: Any) -> Optional[bool]:
        consts = (int, float, str, bool, type(None), tuple)
        if op in ("Is", "IsNot"):
            if a is None or b is None:
                if isinstance(a, (Unknown, Expr)) or isinstance(b, (Unknown, Expr)):
                    return None
                same = a is None and b is None
                return same if op == "Is" else not same
            return None
        if op in ("In", "NotIn"):
            seq = self.sequence(b)
            if isinstance(b, DictValue) and b.tainted is None:
                seq = list(b.items)
            if seq is None or not isinstance(a, consts) or not all(isinstance(x, consts) for x in seq):
                return None
            found = a in seq
            return found if op == "In" else not found
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

    def eval_IfExp(self, e: cst.IfExp, scope: Scope) -> Any:
        t = self.truth(self.eval(e.test, scope))
        if t is True:
            return self.eval(e.body, scope)
        if t is False:
            return self.eval(e.orelse, scope)
        a, b = self.eval(e.body, scope), self.eval(e.orelse, scope)
        return a if _same(a, b) else self.unknown(f"depends on the condition `{self.code(e.test)}`", e)

    def eval_Lambda(self, e: cst.Lambda, scope: Scope) -> Any:
        defaults = {p.name.value: self.eval(p.default, scope) for p in e.params.params if p.default is not None}
        return LambdaValue(e, scope, defaults)

    def eval_NamedExpr(self, e: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(e.value, scope)
        self.bind(e.target, value, scope)
        return value

    def eval_ListComp(self, e: cst.ListComp, scope: Scope) -> Any:
        items = self.comprehension(e.for_in, lambda s: [self.eval(e.elt, s)], scope, e)
        return ListValue(items) if not isinstance(items, Unknown) else ListValue([], items)

    def eval_GeneratorExp(self, e: cst.GeneratorExp, scope: Scope) -> Any:
        items = self.comprehension(e.for_in, lambda s: [self.eval(e.elt, s)], scope, e)
        return tuple(items) if not isinstance(items, Unknown) else items

    def eval_DictComp(self, e: cst.DictComp, scope: Scope) -> Any:
        items = self.comprehension(e.for_in, lambda s: [(self.eval(e.key, s), self.eval(e.value, s))], scope, e)
        if isinstance(items, Unknown):
            return DictValue({}, items)
        out = {}
        for k, v in items:
            if not isinstance(k, (str, int, float, bool, tuple, type(None))):
                return DictValue({}, self.unknown("a dict with unknown keys", e))
            out[k] = v
        return DictValue(out)

    def comprehension(self, clause: cst.CompFor, produce: Any, scope: Scope, e: cst.CSTNode) -> Any:
        inner = Scope(scope)
        items = self.iterate(self.eval(clause.iter, scope))
        if items is None or len(items) > self.limits.loop_iterations:
            return self.unknown(f"a comprehension over `{self.code(clause.iter)}`", e)
        out: List[Any] = []
        for item in items:
            self.bind(clause.target, item, inner)
            ok = True
            for cond in clause.ifs:
                t = self.truth(self.eval(cond.test, inner))
                if t is None:
                    return self.unknown(f"a comprehension filtered by `{self.code(cond.test)}`", e)
                ok = ok and t
            if not ok:
                continue
            if clause.inner_for_in is not None:
                sub = self.comprehension(clause.inner_for_in, produce, inner, e)
                if isinstance(sub, Unknown):
                    return sub
                out.extend(sub)
            else:
                out.extend(produce(inner))
            if len(out) > self.limits.sequence_length:
                return self.unknown("a comprehension too long to follow", e)
        return out

    # -- truth and iteration --------------------------------------------
    def truth(self, v: Any) -> Optional[bool]:
        if isinstance(v, (bool, int, float, str, tuple, type(None))):
            return bool(v)
        if isinstance(v, ListValue):
            return None if v.tainted else bool(v.items)
        if isinstance(v, DictValue):
            return None if v.tainted else bool(v.items)
        if isinstance(v, RangeValue):
            return len(v) > 0
        if isinstance(v, (Expr, Unknown)):
            return None
        if isinstance(v, (LayerObj, Tensor, ModelBuilder, Function, KerasRef, LambdaValue)):
            return True
        return None

    def iterate(self, v: Any) -> Optional[List[Any]]:
        if isinstance(v, RangeValue):
            if len(v) > self.limits.loop_iterations:
                return None
            return list(range(v.start, v.stop, v.step))
        if isinstance(v, (tuple, str)):
            return list(v)
        if isinstance(v, ListValue):
            return None if v.tainted else list(v.items)
        if isinstance(v, DictValue):
            return None if v.tainted else list(v.items)
        return None

    # -- calls ----------------------------------------------------------
    def eval_Call(self, e: cst.Call, scope: Scope) -> Any:
        func = self.eval(e.func, scope)
        args: List[Any] = []
        kwargs: Dict[str, Any] = {}
        open_kwargs: Optional[Unknown] = None
        for arg in e.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                items = self.iterate(value)
                if items is None:
                    open_kwargs = self.unknown(f"`*{self.code(arg.value)}` is not known", arg)
                    break
                args.extend(items)
            elif arg.star == "**":
                if isinstance(value, DictValue) and value.tainted is None and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    open_kwargs = self.unknown(f"`**{self.code(arg.value)}` is not known", arg)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return self.call(func, tuple(args), kwargs, e, open_kwargs)

    def call(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[cst.CSTNode],
             open_kwargs: Optional[Unknown] = None) -> Any:
        if isinstance(func, Partial):
            merged = dict(func.kwargs)
            merged.update(kwargs)
            return self.call(func.func, func.args + args, merged, e, open_kwargs)
        if isinstance(func, KerasRef):
            return self.call_keras(func, args, kwargs, e, open_kwargs)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, e, open_kwargs=open_kwargs)
        if isinstance(func, LambdaValue):
            return self.call_lambda(func, args, kwargs, e)
        if isinstance(func, LayerObj):
            return self.call_layer(func, args, kwargs, e)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, e)
        if isinstance(func, Builtin):
            return self.call_builtin(func.name, args, kwargs, e)
        if isinstance(func, ExternalRef):
            return self.call_external(func, args, kwargs, e)
        if isinstance(func, ModelBuilder):
            inputs = args[0] if args else kwargs.get("inputs")
            out = self.apply_layer(self.model_layer(func), inputs, e)
            if (func.kind == "sequential" and func.input_layer is None and not func.implicit_input
                    and func.layers and not isinstance(out, Unknown)):
                # Calling an unbuilt Sequential builds it: Keras makes an InputLayer and a Functional.
                func.built_by_node = len(self.nodes) - 1
                func.implicit_input = True
                self.auto_name("InputLayer")
                self.auto_name("Functional")
            return out
        if isinstance(func, OpaqueCallable):
            return self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True)
        text = self.code(e.func) if isinstance(e, cst.Call) else "call"
        reason = func.reason if isinstance(func, Unknown) else f"`{text}` is not defined in this file"
        return self.opaque_call(text, reason, args, kwargs, e, instantiate=True)

    def opaque_call(self, text: str, reason: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                    e: Optional[cst.CSTNode], instantiate: bool = False) -> Any:
        """A call the analysis cannot see into. On tensors it becomes an unknown layer node."""
        for v in (*args, *kwargs.values()):
            self.taint(v, self.unknown(f"passed to `{text}`", e))
        tensors = [a for a in args if _has_tensor(a)]
        if tensors:
            layer = self.new_layer(text, (), {}, e, opaque=True)
            return self.apply_layer(layer, args[0] if args else tensors[0], e)
        if instantiate:
            return OpaqueCallable(text, reason)
        return self.unknown(f"result of `{text}` ({reason})", e)

    def call_function(self, fn: Function, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[cst.CSTNode],
                      defaults_run: bool = False, open_kwargs: Optional[Unknown] = None) -> Any:
        fn.calls += 1
        if self.depth >= self.limits.call_depth:
            return self.unknown(f"calls nested deeper than {self.limits.call_depth} (recursion?)", e)
        params = fn.node.params
        scope = Scope(fn.scope)
        positional = [*params.posonly_params, *params.params]
        for i, p in enumerate(positional):
            name = p.name.value
            if i < len(args):
                scope.set(name, args[i])
            elif name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif open_kwargs is not None:
                scope.set(name, open_kwargs)
            elif name in fn.defaults:
                scope.set(name, fn.defaults[name])
            else:
                scope.set(name, symbol(name))
        if isinstance(params.star_arg, cst.Param):
            scope.set(params.star_arg.name.value, tuple(args[len(positional):]))
        for p in params.kwonly_params:
            name = p.name.value
            if name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif name in fn.defaults:
                scope.set(name, fn.defaults[name])
            else:
                scope.set(name, symbol(name))
        if params.star_kwarg is not None:
            scope.set(params.star_kwarg.name.value,
                      DictValue(dict(kwargs), open_kwargs) if open_kwargs is None else DictValue({}, open_kwargs))
        self.depth += 1
        try:
            self.exec_block(fn.node.body.body, scope)
        except _Return as r:
            if isinstance(r.value, ModelBuilder) and r.value.name is None:
                r.value.name = fn.name
            return r.value
        except _Raise:
            return self.unknown(f"{fn.name}() raises", e)
        except (_Break, _Continue):
            return None
        except _Uncertain as u:
            return u.reason
        finally:
            self.depth -= 1
        return None

    def call_lambda(self, fn: LambdaValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        scope = Scope(fn.scope)
        for i, p in enumerate(fn.node.params.params):
            name = p.name.value
            scope.set(name, args[i] if i < len(args) else kwargs.get(name, fn.defaults.get(name, symbol(name))))
        if any(_has_tensor(a) for a in args):
            return self.opaque_call("lambda", "a lambda applied to a tensor", args, kwargs, e)
        return self.eval(fn.node.body, scope)

    def call_builtin(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        nums = all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)
        try:
            if name == "range" and 1 <= len(args) <= 3 and all(isinstance(a, int) and not isinstance(a, bool)
                                                              for a in args):
                r = range(*args)
                return RangeValue(r.start, r.stop, r.step)
            if name == "len" and len(args) == 1:
                if isinstance(args[0], RangeValue):
                    return len(args[0])
                seq = self.sequence(args[0])
                if isinstance(args[0], DictValue) and args[0].tainted is None:
                    return len(args[0].items)
                if seq is not None:
                    return len(seq)
                return symbol(self.code(e)) if e is not None else self.unknown("len", e)
            if name in ("int", "float", "abs", "round", "bool", "str") and len(args) == 1:
                a = args[0]
                if isinstance(a, Expr):
                    return a if name == "int" else symbol(self.code(e))
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
            if name in ("min", "max"):
                items = list(args)
                if len(args) == 1:
                    items = self.iterate(args[0]) or []
                if items and all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in items):
                    return (min if name == "min" else max)(items)
                if items and all(isinstance(a, (int, Expr)) for a in items):
                    return symbol(self.code(e)) if e is not None else self.unknown(name, e)
            if name == "sum" and len(args) == 1:
                items = self.iterate(args[0])
                if items is not None:
                    total: Any = 0
                    for it in items:
                        total = self.binop("Add", total, it, e)
                    return total
            if name in ("list", "tuple"):
                if not args:
                    return ListValue([]) if name == "list" else ()
                items = self.iterate(args[0])
                if items is not None:
                    return ListValue(list(items)) if name == "list" else tuple(items)
            if name == "dict":
                base = {}
                if args and isinstance(args[0], DictValue) and args[0].tainted is None:
                    base = dict(args[0].items)
                elif args:
                    return DictValue({}, self.unknown("dict(...)", e))
                base.update(kwargs)
                return DictValue(base)
            if name == "enumerate" and args:
                items = self.iterate(args[0])
                start = args[1] if len(args) > 1 else kwargs.get("start", 0)
                if items is not None and isinstance(start, int):
                    return tuple((i + start, v) for i, v in enumerate(items))
            if name == "zip" and args:
                seqs = [self.iterate(a) for a in args]
                if all(s is not None for s in seqs):
                    return tuple(zip(*seqs))
            if name == "reversed" and len(args) == 1:
                items = self.iterate(args[0])
                if items is not None:
                    return tuple(reversed(items))
            if name == "sorted" and len(args) == 1 and not kwargs:
                items = self.iterate(args[0])
                if items is not None and all(isinstance(i, (int, float)) for i in items):
                    return ListValue(sorted(items))
            if name == "divmod" and len(args) == 2 and nums:
                return divmod(*args)
            if name == "pow" and len(args) == 2 and nums:
                return self.binop("Power", args[0], args[1], e)
            if name in ("any", "all") and len(args) == 1:
                items = self.iterate(args[0])
                if items is not None:
                    truths = [self.truth(i) for i in items]
                    if None not in truths:
                        return any(truths) if name == "any" else all(truths)
            if name == "print":
                return None
        except (ValueError, TypeError, OverflowError, ZeroDivisionError):
            return self.unknown(f"`{name}(...)` fails", e)
        for v in (*args, *kwargs.values()):
            if name not in ("print", "len", "isinstance", "hasattr", "getattr", "type", "id", "repr"):
                self.taint(v, self.unknown(f"passed to {name}()", e))
        return self.unknown(f"`{name}(...)` is not known", e)

    def call_external(self, func: ExternalRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        path = func.path
        last = path.split(".")[-1]
        if path == "functools.partial" and args:
            return Partial(args[0], tuple(args[1:]), dict(kwargs))
        if path.startswith("math.") and len(args) == 1:
            a = args[0]
            if last in ("ceil", "floor") and isinstance(a, (int, float)) and not isinstance(a, bool):
                return (math.ceil if last == "ceil" else math.floor)(a)
            if last == "sqrt" and isinstance(a, (int, float)) and a >= 0:
                return math.sqrt(a)
            if last == "log2" and isinstance(a, (int, float)) and a > 0:
                return math.log2(a)
        if path.split(".")[0] in ("numpy", "np", "math") and last == "prod" and len(args) == 1:
            items = self.iterate(args[0])
            if items is not None and all(isinstance(i, (int, Expr)) and not isinstance(i, bool) for i in items):
                total: Any = 1
                for it in items:
                    total = self.binop("Multiply", total, it, e)
                return total
        return self.opaque_call(path, f"`{path}` is not analysed", args, kwargs, e)

    def call_method(self, m: BoundMethod, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        obj, name = m.obj, m.name
        if isinstance(obj, ListValue):
            if name == "append" and len(args) == 1:
                obj.items.append(args[0])
                obj.version += 1
                return None
            if name == "extend" and len(args) == 1:
                items = self.iterate(args[0])
                if items is None:
                    obj.tainted = obj.tainted or self.unknown("extended with unknown items", e)
                else:
                    obj.items.extend(items)
                    obj.version += 1
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.items.insert(args[0], args[1])
                obj.version += 1
                return None
            if name == "pop" and obj.tainted is None and obj.items and (not args or isinstance(args[0], int)):
                try:
                    obj.version += 1
                    return obj.items.pop(*args)
                except IndexError:
                    return self.unknown("pop from an empty list", e)
            if name in ("index", "count"):
                return self.unknown(f"list.{name}()", e)
            obj.tainted = obj.tainted or self.unknown(f"changed by .{name}()", e)
            return self.unknown(f".{name}()", e)
        if isinstance(obj, DictValue):
            if obj.tainted is None:
                if name == "get" and args and isinstance(args[0], (str, int, tuple)):
                    return obj.items.get(args[0], args[1] if len(args) > 1 else None)
                if name in ("keys", "values", "items"):
                    return tuple(getattr(obj.items, name)())
                if name == "update" and len(args) == 1 and isinstance(args[0], DictValue) and not args[0].tainted:
                    obj.items.update(args[0].items)
                    obj.version += 1
                    return None
            if name not in ("get", "keys", "values", "items", "copy"):
                obj.tainted = obj.tainted or self.unknown(f"changed by .{name}()", e)
            return self.unknown(f"dict.{name}()", e)
        if isinstance(obj, str):
            if name in ("lower", "upper", "strip") and not args:
                return getattr(obj, name)()
            return self.unknown(f"str.{name}()", e)
        if isinstance(obj, ModelBuilder):
            return self.model_method(obj, name, args, kwargs, e)
        return self.unknown(f".{name}()", e)

    # -- Keras ------------------------------------------------------------
    def call_keras(self, ref: KerasRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                   open_kwargs: Optional[Unknown]) -> Any:
        kind, name = names.classify(ref.path)
        if kind == "layer":
            layer = self.new_layer(name, args, kwargs, e, open_kwargs=open_kwargs)
            return layer
        if kind == "layer_function":
            inputs = args[0] if args else kwargs.pop("inputs", None)
            layer = self.new_layer(name, args[1:], kwargs, e, open_kwargs=open_kwargs)
            return self.apply_layer(layer, inputs, e)
        if kind == "input":
            return self.new_input(args, kwargs, e, open_kwargs)
        if kind == "sequential":
            return self.new_sequential(args, kwargs, e)
        if kind == "model":
            return self.new_functional(args, kwargs, e)
        if kind == "application":
            return self.new_application(name, args, kwargs, e, open_kwargs)
        if ref.path.startswith("keras.losses.") and ref.path.rsplit(".", 1)[1][:1].isupper():
            return Loss(ref.path.rsplit(".", 1)[1], tuple((k, self.freeze(v)) for k, v in kwargs.items()))
        return self.opaque_call(ref.path, f"`{ref.path}` is not analysed", args, kwargs, e)

    def auto_name(self, type_name: str) -> str:
        prefix = catalogue.snake_case(type_name)
        n = self.name_counts.get(prefix, 0)
        self.name_counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    def new_layer(self, type_name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                  opaque: bool = False, open_kwargs: Optional[Unknown] = None) -> LayerObj:
        """A layer object. ``opaque``: not a Keras class at all (a custom layer, a helper)."""
        if len(self.layers) >= self.limits.layers:
            raise AnalysisLimit(f"analysis stopped: more than {self.limits.layers:,} layers created")
        spec = None if opaque else catalogue.lookup(type_name)
        canonical = spec.name if spec is not None else type_name
        if spec is not None:
            from ..catalogue import legacy

            keras3 = legacy.translate(spec.name, args, kwargs, [a.name for a in spec.signature])
            if keras3 is not None:
                args, kwargs = keras3
        explicit = kwargs.get("name")
        if isinstance(explicit, str):
            name = explicit
        elif opaque:
            name = type_name
        else:
            name = self.auto_name(canonical)
        layer = LayerDef(
            uid=len(self.layers),
            type=canonical,
            name=name,
            args=tuple(self.freeze(a) for a in args),
            kwargs=tuple((k, self.freeze(v)) for k, v in kwargs.items()),
            span=self.span(e) if e is not None else Span(1, 1, 1, 1),
            known=spec is not None,
            open_kwargs=open_kwargs,
        )
        self.layers.append(layer)
        return LayerObj(layer.uid)

    def freeze(self, v: Any) -> Any:
        """A runtime value as an IR value (immutable)."""
        if isinstance(v, (int, float, str, bool, type(None), Expr, Unknown, Loss)):
            return v
        if isinstance(v, tuple):
            return tuple(self.freeze(x) for x in v)
        if isinstance(v, ListValue):
            return v.tainted if v.tainted else tuple(self.freeze(x) for x in v.items)
        if isinstance(v, LayerObj):
            return self.layers[v.uid]
        if isinstance(v, KerasRef):
            return v.path.split(".")[-1]  # e.g. keras.activations.relu -> "relu"
        if isinstance(v, DictValue):
            return v.tainted if v.tainted else tuple((k, self.freeze(x)) for k, x in v.items.items())
        return Unknown(f"a {type(v).__name__} value")

    def new_input(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any, open_kwargs: Optional[Unknown]) -> Any:
        params = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "name", "tensor", "optional")
        bound = dict(zip(params, args))
        bound.update(kwargs)
        layer = self.new_layer("InputLayer", (), bound, e, open_kwargs=open_kwargs)
        return self.apply_layer(layer, None, e)

    def call_layer(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        layer = self.layers[obj.uid]
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        # Keras's node lists its tensors as tree.flatten((args, kwargs)): positional ones first,
        # then keyword ones by sorted keyword; model.layers order follows that.
        graph = [t.ref for a in args for t in _tensors(a)]
        graph += [t.ref for k in sorted(kwargs) for t in _tensors(kwargs[k])]
        rest = dict(kwargs)
        if spec is not None and spec.call_inputs:
            # Several tensor arguments, e.g. MultiHeadAttention(query, value, key=None).
            bound = dict(zip(spec.call_inputs, args))
            for name in spec.call_inputs:
                if name in rest:
                    bound[name] = rest.pop(name)
            present = [bound.get(n) for n in spec.call_inputs]
            while present and present[-1] is None:
                present.pop()
            inputs: Any = ListValue(present)
        else:
            inputs = args[0] if args else rest.pop("inputs", rest.pop("x", None))
        call_kwargs = tuple((k, self.freeze(v)) for k, v in rest.items() if not _has_tensor(v))
        return self.apply_layer(obj, inputs, e, call_kwargs, tuple(graph))

    def apply_layer(self, obj: LayerObj, inputs: Any, e: Any, call_kwargs: Tuple[Tuple[str, Any], ...] = (),
                    graph_inputs: Tuple[TensorRef, ...] = ()) -> Any:
        layer = self.layers[obj.uid]
        is_input = layer.type == "InputLayer" and inputs is None
        refs: List[TensorRef] = []
        list_input = False
        if not is_input:
            if isinstance(inputs, Tensor):
                refs = [inputs.ref]
            elif isinstance(inputs, (tuple, ListValue)):
                items = list(inputs) if isinstance(inputs, tuple) else (None if inputs.tainted else inputs.items)
                if items is None:
                    return inputs.tainted
                list_input = True
                for item in items:
                    if not isinstance(item, Tensor):
                        return item if isinstance(item, Unknown) else self.unknown(
                            f"{layer.name} is called on something that is not a tensor", e)
                    refs.append(item.ref)
            elif isinstance(inputs, Unknown):
                return inputs
            else:
                return self.unknown(f"{layer.name} is called on something that is not a known tensor", e)
            self.layer_calls += 1
            if self.layer_calls > self.limits.layer_calls:
                if not self._budget_note:
                    self._budget_note = True
                    self.notes.append(Note("KC902", f"more than {self.limits.layer_calls:,} layer calls; "
                                           "the rest of the file is not followed",
                                           self.span(e) if e is not None else Span(1, 1, 1, 1)))
                return self.unknown(f"more than {self.limits.layer_calls:,} layer calls", e)
        node = Node(
            id=len(self.nodes),
            layer=layer.uid,
            inputs=tuple(refs),
            list_input=list_input,
            span=self.span(e) if e is not None else layer.span,
            call_kwargs=call_kwargs,
            graph_inputs=graph_inputs if tuple(graph_inputs) != tuple(refs) else (),
        )
        self.nodes.append(node)
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if spec is not None and spec.build_names and not any(n.layer == layer.uid for n in self.nodes[:-1]):
            for type_name in spec.build_names:
                self.auto_name(type_name)
        count = self.output_count(layer, call_kwargs)
        if isinstance(count, Unknown):
            return count
        if count == 1:
            return Tensor(TensorRef(node.id, 0))
        return tuple(Tensor(TensorRef(node.id, i)) for i in range(count))

    def output_count(self, layer: LayerDef, call_kwargs: Tuple[Tuple[str, Any], ...]) -> Any:
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if spec is None:
            return 1
        from ..catalogue.spec import BoundArgs, ShapeError, Unresolved

        try:
            return spec.output_count(BoundArgs(spec, layer, call_kwargs))
        except Unresolved as exc:
            return Unknown(f"how many tensors {layer.name} returns is not known ({exc.reason})")
        except (ShapeError, TypeError, ValueError):
            return 1

    def new_application(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                        open_kwargs: Optional[Unknown]) -> Any:
        from ..catalogue import applications
        from ..catalogue.spec import ShapeError, Unresolved

        spec = applications.lookup(name)
        if spec is None:
            return OpaqueCallable(name, f"keras.applications.{name} is not in the catalogue")
        frozen_args = tuple(self.freeze(a) for a in args)
        frozen_kwargs = tuple((k, self.freeze(v)) for k, v in kwargs.items())
        keras_name: Any = spec.keras_name
        try:
            keras_name = applications.evaluate(spec, frozen_args, dict(frozen_kwargs)).name
        except (ShapeError, Unresolved):
            pass
        b = ModelBuilder(kind="application", span=self.span(e) if e is not None else Span(1, 1, 1, 1),
                         index=len(self.models), caveat=self.caveat)
        b.keras_name = keras_name if isinstance(keras_name, str) else self.auto_name("Functional")
        b.application = (name, frozen_args, frozen_kwargs)
        if open_kwargs is not None:
            b.taint(open_kwargs)
        self.models.append(b)
        for prefix, count in applications.consumed_names(spec, frozen_args, dict(frozen_kwargs)).items():
            for _ in range(count):
                self.auto_name_prefix(prefix)
        return b

    def auto_name_prefix(self, prefix: str) -> str:
        n = self.name_counts.get(prefix, 0)
        self.name_counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    def app_tensors(self, b: ModelBuilder, e: Any) -> Tuple[Tensor, Tensor]:
        """``app.input`` / ``app.output``: the application's graph, shown as one layer."""
        if b.app_tensors is None:
            layer = LayerDef(uid=len(self.layers), type="InputLayer", name=f"{b.keras_name}_input", args=(),
                             kwargs=(("application_input", b.index),), span=b.span)
            self.layers.append(layer)
            node = Node(id=len(self.nodes), layer=layer.uid, inputs=(), list_input=False, span=b.span)
            self.nodes.append(node)
            inp = Tensor(TensorRef(node.id, 0))
            out = self.apply_layer(self.model_layer(b), inp, e)
            b.app_tensors = (inp, out)
        return b.app_tensors

    def new_builder(self, kind: str, e: Any, name: Any = None) -> ModelBuilder:
        b = ModelBuilder(kind=kind, span=self.span(e) if e is not None else Span(1, 1, 1, 1),
                         index=len(self.models), caveat=self.caveat)
        b.keras_name = name if isinstance(name, str) else self.auto_name(
            "Sequential" if kind == "sequential" else "Functional")
        self.models.append(b)
        return b

    def model_layer(self, b: ModelBuilder) -> LayerObj:
        """The layer object a model is when it is used inside another model."""
        if b.layer_uid is None:
            layer = LayerDef(uid=len(self.layers), type="Sequential" if b.kind == "sequential" else "Functional",
                             name=b.keras_name, args=(), kwargs=(), span=b.span, submodel=b.index)
            self.layers.append(layer)
            b.layer_uid = layer.uid
        return LayerObj(b.layer_uid)

    def new_sequential(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> ModelBuilder:
        b = self.new_builder("sequential", e, kwargs.get("name"))
        layers = args[0] if args else kwargs.get("layers")
        if layers is None:
            return b
        items = self.iterate(layers)
        if items is None:
            b.taint(layers.tainted if isinstance(layers, ListValue) and layers.tainted else self.unknown(
                "the layer list is not known", e))
            return b
        for item in items:
            self.sequential_add(b, item, e, rebuild=False)
        self.sequential_rebuild(b)
        return b

    def sequential_rebuild(self, b: ModelBuilder) -> None:
        """Keras's ``Sequential._maybe_rebuild``: once the input is known, each rebuild makes a Functional."""
        if (b.input_layer is not None or b.implicit_input) and b.layers:
            self.auto_name("Functional")
        elif len(b.layers) > 1 and self._has_input_shape(b.layers[0]):
            # A built model as first layer: Keras prepends InputLayer(batch_shape=its input shape).
            self.auto_name("InputLayer")
            self.auto_name("Functional")
            b.implicit_input = True

    def _has_input_shape(self, uid: int) -> bool:
        layer = self.layers[uid]
        return layer.submodel is not None and (self.models[layer.submodel].input_layer is not None or
                                               self.models[layer.submodel].kind == "functional")

    def sequential_add(self, b: ModelBuilder, item: Any, e: Any, rebuild: bool = True) -> None:
        if isinstance(item, ModelBuilder):
            item = self.model_layer(item)
        if isinstance(item, LayerObj):
            layer = self.layers[item.uid]
            if not b.layers and b.input_layer is None:
                if layer.type == "InputLayer":
                    b.input_layer = layer.uid
                    return
                shape = self._input_shape_arg(layer)
                if shape is not None:
                    # Keras adds InputLayer(shape=...) for input_shape=/input_dim= on the first layer.
                    hidden = self.new_layer("InputLayer", (), {"shape": shape}, None)
                    self.layers[hidden.uid] = replace(self.layers[hidden.uid], span=layer.span)
                    b.input_layer = hidden.uid
                    b.implicit_input = True
            b.layers.append(item.uid)
            if rebuild:
                self.sequential_rebuild(b)
        elif isinstance(item, Tensor) and not b.layers and b.input_layer is None:
            node = self.nodes[item.ref.node]
            b.input_layer = node.layer
        elif isinstance(item, Unknown):
            b.taint(item)
        elif isinstance(item, OpaqueCallable):
            b.taint(self.unknown(f"`{item.text}` ({item.reason})", e))
        else:
            b.taint(self.unknown("something that is not a known layer was added", e))

    @staticmethod
    def _input_shape_arg(layer: LayerDef) -> Any:
        from ..catalogue.spec import input_shape_kwarg

        return input_shape_kwarg(layer)

    def new_functional(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        inputs = args[0] if args else kwargs.get("inputs")
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
        if inputs is None and outputs is None:
            return OpaqueCallable("Model", "a model without inputs and outputs (subclassing?)")
        b = self.new_builder("functional", e, kwargs.get("name"))
        ins, b.single_input = self.tensor_refs(inputs)
        outs, b.single_output = self.tensor_refs(outputs)
        if isinstance(ins, Unknown):
            b.taint(ins)
        elif isinstance(outs, Unknown):
            b.taint(outs)
        else:
            b.inputs, b.outputs = tuple(ins), tuple(outs)
        return b

    def tensor_refs(self, value: Any) -> Tuple[Any, bool]:
        if isinstance(value, Tensor):
            return [value.ref], True
        if isinstance(value, DictValue) and value.tainted is None:
            value = tuple(value.items.values())
        items = self.iterate(value) if isinstance(value, (tuple, ListValue)) else None
        if items is None:
            if isinstance(value, Unknown):
                return value, True
            if isinstance(value, ListValue) and value.tainted:
                return value.tainted, True
            return Unknown("the model's inputs or outputs are not known tensors"), True
        refs = []
        for item in items:
            if not isinstance(item, Tensor):
                return (item if isinstance(item, Unknown) else
                        Unknown("the model's inputs or outputs are not known tensors")), True
            refs.append(item.ref)
        return refs, False

    def model_method(self, b: ModelBuilder, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        if name == "add" and b.kind == "sequential":
            item = args[0] if args else kwargs.get("layer")
            self.sequential_add(b, item, e)
            return None
        if name == "build" and b.kind == "sequential":
            shape = args[0] if args else kwargs.get("input_shape")
            if b.input_layer is None and b.layers:
                hidden = self.new_layer("InputLayer", (), {"batch_shape": shape}, e)
                b.input_layer = hidden.uid
                b.implicit_input = True
            if b.layers:
                self.auto_name("Functional")
            return None
        if name == "pop" and b.kind == "sequential":
            if b.layers:
                b.layers.pop()
                self.sequential_rebuild(b)
            return None
        if name == "compile":
            bound = dict(zip(("optimizer", "loss", "loss_weights", "metrics"), args))
            bound.update(kwargs)
            b.compile = (tuple((k, self.freeze(v)) for k, v in bound.items()),
                         self.span(e) if e is not None else b.span)
            return None
        if name in ("summary", "fit", "evaluate", "predict", "save", "save_weights", "load_weights",
                    "plot_model", "count_params", "get_config", "to_json"):
            return None if name != "count_params" else self.unknown("count_params()", e)
        return self.unknown(f"model.{name}()", e)


def _fingerprint(v: Any) -> Any:
    """Changes whenever the value is changed in place (cheap: a version counter)."""
    if isinstance(v, ModelBuilder):
        return (len(v.layers), v.layers[-1] if v.layers else None, v.input_layer, v.implicit_input,
                v.unresolved is None)
    if isinstance(v, (ListValue, DictValue)):
        return (v.version, v.tainted is None)
    return None


def _num_pair(a: Any, b: Any) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float))


def _tensors(v: Any) -> List[Tensor]:
    if isinstance(v, Tensor):
        return [v]
    if isinstance(v, tuple):
        return [t for x in v for t in _tensors(x)]
    if isinstance(v, ListValue):
        return [t for x in v.items for t in _tensors(x)]
    if isinstance(v, DictValue):
        return [t for k in sorted(v.items, key=str) for t in _tensors(v.items[k])]
    return []


def _has_tensor(v: Any) -> bool:
    if isinstance(v, Tensor):
        return True
    if isinstance(v, tuple):
        return any(_has_tensor(x) for x in v)
    if isinstance(v, ListValue):
        return any(_has_tensor(x) for x in v.items)
    return False


def _dotted(node: Any) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _target_names(node: cst.CSTNode) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            yield from _target_names(el.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.assigned: set = set()
        self.mutated: set = set()
        self.sets_trainable = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.assigned.update(_target_names(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.assigned.add(alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name)
                              else _dotted(alias.name).split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                n = alias.asname.name if alias.asname else alias.name
                if isinstance(n, cst.Name):
                    self.assigned.add(n.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            self.mutated.add(node.func.value.value)
        for arg in node.args:
            if isinstance(arg.value, cst.Name):
                self.mutated.add(arg.value.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "trainable":
            self.sets_trainable = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Name):
            self.mutated.add(node.value.value)


_COLLECTED: "Dict[Tuple[int, ...], Tuple[Sequence[cst.CSTNode], _Collector]]" = {}


def _collect(body: Sequence[cst.CSTNode]) -> _Collector:
    """Names a block assigns and mutates; cached, since loops ask for the same block again and again."""
    key = tuple(id(s) for s in body)
    hit = _COLLECTED.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], body)):
        return hit[1]
    c = _Collector()
    for stmt in body:
        stmt.visit(c)
    if len(_COLLECTED) > 4096:
        _COLLECTED.clear()
    _COLLECTED[key] = (tuple(body), c)
    return c


def _mutated_names(body: Sequence[cst.CSTNode]) -> set:
    return _collect(body).mutated
