"""Statements: assignment targets, ``try``/``with``, ``del``, ``raise``, and function and class definitions.

Each ``exec_<Node>`` method runs one kind of statement of CPython's ``ast`` on a
:class:`~kerascount.extract.scopes.Scope`. ``try`` blocks are where the analysed code may decide by an
exception (``try: import x`` / ``except ImportError:``, Keras raising in a layer constructor): those are
decided here, or run both ways (``control``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import ast

from ..nodes import children as ast_children
from ..ir import UNKNOWN_NAME, Unknown
from ..symbolic import Expr, symbol_names
from ..project import find_module as _find_module
from .. import catalogue
from . import arrays, callbacks, frames, names, plain
from .classes import _bound, custom_layer_bases
from .expressions import NOT_KEPT
from .collect import _jumps, _per_node, bound_name, parameter_defaults, _called_names, _collect, _dotted, \
    _outside_writes, _writes_trainable
from .values import (Builtin, ModuleRef, ValuedArray, CallbackInstance, ClassValue, DictValue, External, ExternalRef,
    Function, KerasRef, LambdaValue, LayerObj, ListValue, MetricClass, ModelBuilder, CachedFunction,
    DecoratedFunction, OpaqueCallable, SetValue, Tensor, UNKNOWN_BASE, plain_model_attribute)
from .scopes import (ClassBodyScope, Deleted, GlobalsRef, Scope, Unbound, unbound_locals, _Break, _Continue,
    _Guarded, _Havoc, _MISSING, _OPERATORS, _Operand, _Raise, _Return, _STDLIB, _Uncertain, _imported_source)


#: Properties without setter of Keras 3's Layer (and so of every layer and model): assigning one raises
#: AttributeError ("property 'weights' of 'Dense' object has no setter"), checked on Keras 3.15.
_READ_ONLY_LAYER = frozenset((
    "input", "output", "weights", "trainable_weights", "non_trainable_weights", "metrics", "dtype", "losses",
    "variables", "path", "compute_dtype", "variable_dtype"))
#: Those of a functional model and a Sequential: the layer's, and their inputs, outputs, shapes and layers (a
#: subclassed model's `layers` too; its inputs, outputs and shapes are plain attributes).
_READ_ONLY_MODEL = _READ_ONLY_LAYER | {"inputs", "outputs", "input_shape", "output_shape", "layers"}

_UNSURE = object()  # a handler that may or may not catch the exception raised

#: Top-level modules whose import does not depend on the machine: Keras (what the file is analysed as) and
#: its own dependency NumPy; the standard library is below.
_ALWAYS_IMPORTABLE = {"keras", "numpy", "__future__"}
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_dotted(t).split(".")[-1] in _IMPORT_ERRORS for t in types)


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
            stack.extend(reversed(ast_children(n)))
    return found


def _is_import_line(stmt: Any) -> bool:
    return isinstance(stmt, (ast.Import, ast.ImportFrom))


def _unstarred(node: Any) -> Any:
    return node.value if type(node) is ast.Starred else node


#: Decorators that return the function they are given (``tf.function`` traces it when called, with the same
#: arguments), by path; and factories whose result does (``@tf.function(jit_compile=True)``,
#: ``@keras.saving.register_keras_serializable(package=...)``: the bare form of that one returns a decorator).
_TRANSPARENT_DECORATORS = frozenset({"tensorflow.function", "abc.abstractmethod"})  # (the latter marks it abstract)
_TRANSPARENT_FACTORIES = frozenset({"tensorflow.function", "functools.wraps", "keras.saving.register_keras_serializable",
                                    "keras.utils.register_keras_serializable",
                                    # the public names TensorFlow's own sources give their functions, which model
                                    # zoos vendor (`@keras_export("keras.applications.EfficientNetB0")`: registered,
                                    # returned; Keras 3's own raises for a name outside `keras.`: not here)
                                    "tensorflow.python.util.tf_export.keras_export",
                                    "tensorflow.python.util.tf_export.tf_export"})
#: Decorators that cache the function's results (a later call may return the first call's object).
_CACHING_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})


def _has_effects(node: Any) -> bool:
    """Does evaluating ``node`` run code that may change something (a call, ``:=``, ``await``, ``yield``)?"""
    return any(type(n) in (ast.Call, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom) for n in ast.walk(node))


def _may_swallow(value: Any) -> bool:
    """Is ``value`` an instance of a class of the file whose ``__exit__`` may return a true value (drop the
    exception of its block)? One that returns nothing, None or False does not."""
    if not isinstance(value, plain.PlainObject):
        return False
    exit_ = next((c.members["__exit__"] for c in value.cls.mro or () if "__exit__" in c.members), None)
    if not isinstance(exit_, Function):
        return exit_ is not None
    for n in ast.walk(exit_.node):
        if type(n) is ast.Return and n.value is not None and not (
                type(n.value) is ast.Constant and n.value.value in (None, False)):
            return True
    return False


def _builtin_exception(value: Any) -> Optional[str]:
    """The name of the builtin exception class ``value`` is: a symbol of the unbound name (``ValueError``, which no
    code of the file binds, is Python's builtin; the analysis reads unbound names as symbols); None otherwise."""
    import builtins

    if not isinstance(value, Expr) or str(value) != "".join(symbol_names(value)):
        return None
    cls = getattr(builtins, str(value), None)
    return str(value) if isinstance(cls, type) and issubclass(cls, BaseException) else None


class Statements:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: statements."""

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
            # statements newer than the analysis: not followed.
            reason = self.unknown("assigned in a statement that is not followed", stmt)
            self.havoc([stmt], scope, reason)
            if _jumps(stmt):
                raise _Uncertain(reason)  # (it may return or leave a loop: where control goes on is not known)
        else:
            outer = self.stmt_scope  # (where a symbol made in it reads its names: Interpreter.made_symbol)
            self.stmt_scope = scope
            try:
                method(self, stmt, scope)
            finally:
                self.stmt_scope = outer

    def exec_With(self, stmt: ast.With, scope: Scope) -> None:
        if self.suppressed(stmt, scope) is not None:
            self.exec_suppress(stmt, scope)
            return
        expected = self.expects_raise(stmt, scope)
        if expected is not None:
            # `with pytest.raises(ValueError): Dense(-1)`: a test of an error; what the block builds is not a model
            # of the program, and where it stops is not known: not run, what it assigns is unknown
            self.havoc([stmt.body], scope, self.unknown(f"assigned in a block the test expects to raise "
                                                        f"(`{expected}`)", stmt))
            return
        swallows = False
        for item in stmt.items:
            value = self.eval(item.context_expr, scope)
            swallows = swallows or _may_swallow(value)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, self.unknown("value of a with-statement", item.context_expr)
                          if not isinstance(value, Unknown) else value, scope)
        if swallows:
            # a context manager of the file whose __exit__ may return true: an exception in the block may end it
            # there and be dropped, as under suppress(...)
            self.exec_suppress(stmt, scope, swallows_any=True)
            return
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
            completed = False
            try:
                self.guarded += bool(stmt.handlers)
                try:
                    for index, inner in enumerate(stmt.body):
                        calls, first, made = self.opaque_calls, self.graph.node_count(), self.graph.layer_count()
                        lost = self.guarded_unknowns
                        try:
                            self.exec_stmt(inner, scope)
                        except _Return:
                            # (`return make_layer()`: what it made may have raised before the return)
                            if stmt.handlers and self.keras_raised(first, inner, stmt, scope, made):
                                return
                            raise
                        raised = self.keras_raised(first, inner, stmt, scope, made) if stmt.handlers else False
                        if raised:
                            return
                        if risky is None and (self.opaque_calls != calls or raised is None or
                                              self.guarded_unknowns != lost):
                            risky = index  # (code not followed, a Keras call not decided, or a value not computed)
                finally:
                    self.guarded -= bool(stmt.handlers)
                completed = True
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
                    try:
                        self.exec_block(handler.body, scope)
                    finally:
                        if handler.name is not None:  # (Python deletes the name at the handler's end)
                            self.delete(ast.copy_location(ast.Name(id=handler.name, ctx=ast.Del()), handler), scope,
                                        handler)
            if completed:
                # (the else block runs after a body that raised nothing, outside the handlers' reach)
                if stmt.orelse:
                    self.exec_block(stmt.orelse, scope)
                if risky is not None and stmt.handlers:
                    self.may_have_raised(stmt, risky, scope)
        finally:
            if stmt.finalbody:
                self.exec_block(stmt.finalbody, scope)

    exec_TryStar = exec_Try

    def exec_Assign(self, s: ast.Assign, scope: Scope) -> None:
        if type(s.value) is ast.GeneratorExp and all(type(t) in (ast.Tuple, ast.List) for t in s.targets):
            value = self.genexp_now(s.value, scope)  # (`a, b = (f(x) for x in xs)`: unpacking takes every item now)
        elif type(s.value) is ast.Call and len(s.targets) == 1 and type(s.targets[0]) is ast.Name:
            value = self.kept_iterator(s.value, scope)  # (`pairs = zip(a, b)`: read when iterated, and once)
            if value is NOT_KEPT:
                value = self.eval(s.value, scope)
        else:
            value = self.eval(s.value, scope)
        for t in s.targets:
            self.bind(t, value, scope)

    def exec_AnnAssign(self, s: ast.AnnAssign, scope: Scope) -> None:
        if s.value is not None:
            self.bind(s.target, self.eval(s.value, scope), scope)

    def exec_AugAssign(self, s: ast.AugAssign, scope: Scope) -> None:
        target = s.target
        if type(target) is ast.Subscript and _has_effects(target):
            return self.aug_assign_item(s, scope)
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
        if type(current) is SetValue and current.kind == "set" and op in ("BitOr", "BitAnd", "Subtract", "BitXor"):
            # `s |= t` changes the set in place (every name holding it sees it), as `s.update(t)`; the others may
            # remove items, which the analysis does not follow (SetValue)
            if op == "BitOr" and current.tainted is None and type(right) is SetValue and right.tainted is None:
                current.version += 1
                current.items |= right.items
                return
            if type(right) is SetValue or isinstance(right, Unknown):
                self.taint(current, self.unknown(f"changed by `{self.code(s)}`", s))
                return
            # (anything else: what the operator gives, bound to the name: Python raises TypeError for a list)
        if type(current) is ValuedArray and arrays.valued_augmented(op, current, right, self.undecided > 0) is not None:
            return  # changed in place, as NumPy does
        self.bind(s.target, self.binop(op, current, right, s), scope)

    def aug_assign_item(self, s: ast.AugAssign, scope: Scope) -> None:
        """``xs[f()] += g()``: Python evaluates the container and the index once, reads the item, then ``g()``, then
        stores (``f`` runs once, not twice as a read and a store would run it)."""
        target = s.target
        container = self.eval(target.value, scope)
        index = self.index_node(target)
        key = self.eval(index, scope) if index is not None else None
        right = self.eval(s.value, scope)
        items = container.items if isinstance(container, (ListValue, DictValue)) and container.tainted is None \
            else None
        known = items is not None and (type(key) is int and isinstance(container, ListValue) and
                                       -len(items) <= key < len(items) or
                                       isinstance(container, DictValue) and isinstance(key, (str, int)) and key in items)
        if not known or not isinstance(items[key], (int, float, str, tuple, Expr)):
            # (an item a `+=` changes in place, a list or an array, is not followed here)
            reason = self.unknown(f"changed by `{self.code(s)}`", s)
            if known:
                self.taint(items[key], reason)
            self.taint(container, reason)
            return
        items[key] = self.binop(_OPERATORS[type(s.op)], items[key], right, s)
        container.version += 1

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
        pass  # and Global, Nonlocal, a type alias: nothing to do

    exec_Global = exec_Nonlocal = exec_TypeAlias = exec_Pass

    def exec_Assert(self, s: ast.Assert, scope: Scope) -> None:
        """``assert test, msg``: where the test is false, Python raises AssertionError (its message evaluated
        first): a handler around it runs; elsewhere the analysis goes on, as after any Python error. A test the
        analysis cannot decide may raise: a ``try`` around it may take it."""
        truth = self.truth(self.eval(s.test, scope))
        if truth is False:
            if s.msg is not None:
                self.eval(s.msg, scope)
            self.python_error("AssertionError", f"`assert {self.code(s.test)}` fails", s)
        elif truth is None and self.guarded:
            self.opaque_calls += 1  # (it may raise: statements.exec_Try reads this as a statement that may have)

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

    def keras_raised(self, first: int, inner: Any, stmt: Any, scope: Scope, made: int = -1) -> Optional[bool]:
        """Whether ``inner`` makes a layer whose constructor Keras rejects (layers from ``made`` on, made on every
        way there: ``Dense(0)``), or a layer call Keras rejects (nodes from ``first`` on: ``Add`` of different
        shapes...): then ``inner`` raised and did not assign; a handler that catches it runs; another one leaves
        what the handlers assign unknown. None where a call's output is not known (``Add`` of tensors whose shapes
        are not known): Keras may raise there or not."""
        from ..infer import _Fail

        message, raised, constructor = None, "ValueError", None
        for layer in self.graph.layers[made:] if 0 <= made < self.graph.layer_count() else ():
            if layer.uid in self.graph.guarded_made and layer.ways == self.graph.ways:
                found = self.constructor_raises(layer)
                if found is not None:
                    message, raised = found[0], found[1] or None  # (None: ValueError or TypeError, not known which)
                    constructor = layer.uid
                    self.graph.guarded_made.discard(layer.uid)  # (this try takes it: not a `try` around this one)
                    break
        if message is None:
            if self.graph.node_count() == first:
                return False
            ctx = self.graph.live_shapes().context()
            unsure = False
            for nid in range(first, self.graph.node_count()):
                try:
                    ctx.output(ctx.ir.node(nid))
                except _Fail as f:
                    if f.problem.error and f.problem.node is not None and f.problem.node >= first:
                        message = f.problem.message
                        break
                    unsure = unsure or not f.problem.error
                except RecursionError:
                    return None
            if message is None:
                return None if unsure else False
        if constructor is not None:
            # A constructor's error: ValueError for a value Keras rejects, TypeError where Python cannot bind the
            # arguments (``raised`` None: not known which): a handler is known only where one catches both
            by_value, by_type = (self.handler_for(stmt, name, scope) for name in ("ValueError", "TypeError")) \
                if raised is None else (self.handler_for(stmt, raised, scope),) * 2
            handler = by_value if by_value is by_type else _UNSURE
            if handler is None:
                # no handler takes it: the script stops there, as where no `try` is (the rules report the layer)
                if self.guarded > 1:
                    self.graph.guarded_made.add(constructor)  # (a `try` around this one may take it)
                elif not self.undecided and self.uncalled is None:
                    self.graph.surely_made.add(constructor)
                return False
        else:
            handler = self.handler_for(stmt, raised, scope)
        body = stmt.body
        before = next((body[i - 1] for i, s in enumerate(body) if s is inner and i), None)
        reason = self.unknown(f"`{self.code(inner, before)}` raises in Keras ({message})", inner)
        self.havoc([inner], scope, reason)
        if handler is None:
            raise _Raise(raised)
        if handler is _UNSURE:
            self.havoc([h.body for h in stmt.handlers], scope, reason)
        else:
            if handler.name is not None:
                self.bind(bound_name(handler.name), reason, scope)
            try:
                self.exec_block(handler.body, scope)
            finally:
                if handler.name is not None:  # (Python deletes the name at the handler's end)
                    self.delete(ast.copy_location(ast.Name(id=handler.name, ctx=ast.Del()), handler), scope, handler)
        return True  # (the caller's `finally` runs the try statement's own finally block)

    def handler_for(self, stmt: Any, raised: Optional[str], scope: Scope) -> Any:
        """The handler of ``stmt`` that catches an exception of class ``raised`` (as written), None if none
        does, or ``_UNSURE``. Builtin classes are compared as Python does; classes of the file by their
        bases as written."""
        for h in stmt.handlers:
            if h.type is None:
                return h
            types = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
            verdicts = [self.catches(raised, name, scope, 0) for t in types for name in self.exception_names(t, scope)]
            if True in verdicts:
                return h
            if None in verdicts:
                return _UNSURE
        return None

    def exception_names(self, t: Any, scope: Scope) -> List[str]:
        """The class names an ``except`` clause's type ``t`` stands for: its text, or, for a name that holds builtin
        exception classes (``except caught:`` with ``caught=ValueError`` given, ``errors = (ValueError,
        TypeError)``), theirs."""
        text = self.code(t)
        if type(t) is not ast.Name or text in self.class_bases or scope.get(text) is _MISSING:
            return [text]
        held = self.eval(t, scope)
        items = held if type(held) is tuple else (held,)
        names = [v.name if type(v) is Builtin else _builtin_exception(v) for v in items]
        return names if names and all(names) else [text]

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

    def expects_raise(self, stmt: ast.With, scope: Scope) -> Optional[str]:
        """The callee of ``with pytest.raises(...)``, ``with self.assertRaises(...)`` (``assertRaisesRegex``,
        ``numpy.testing.assert_raises``) as written; None for another statement."""
        if len(stmt.items) != 1 or not isinstance(stmt.items[0].context_expr, ast.Call):
            return None
        text = self.code(stmt.items[0].context_expr.func)
        head, _, attr = text.rpartition(".")
        if attr in ("assertRaises", "assertRaisesRegex", "assertRaisesRegexp") and head == "self" or \
                text in ("pytest.raises", "np.testing.assert_raises", "numpy.testing.assert_raises") or \
                text in ("raises", "assert_raises") and not isinstance(scope.get(text), (Function, LambdaValue,
                                                                                         ClassValue)):
            return text
        return None

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

    def exec_suppress(self, stmt: ast.With, scope: Scope, swallows_any: bool = False) -> None:
        """``with suppress(KeyError): ...``: an exception of those classes ends the block and is dropped.
        ``swallows_any``: a context manager whose ``__exit__`` may drop any exception (which, is not followed)."""
        names = [] if swallows_any else self.suppressed(stmt, scope) or []
        self.guarded += 1
        risky = None
        try:
            for index, inner in enumerate(stmt.body):
                calls, lost = self.opaque_calls, self.guarded_unknowns
                self.exec_stmt(inner, scope)
                if risky is None and (self.opaque_calls != calls or self.guarded_unknowns != lost):
                    risky = index  # (code not followed, or a value not computed: Python may raise there)
        except _Raise as r:
            verdicts = [None] if swallows_any else [self.catches(r.name, n, scope, 0) for n in names]
            if True in verdicts:
                return
            if None in verdicts:
                self.havoc([stmt.body], scope, self.unknown("depends on whether the block raises", stmt))
                return
            raise
        finally:
            self.guarded -= 1
        if risky is not None:
            # where that statement raised, it and the rest of the block did not run: what they assign is not known
            body = stmt.body
            self.havoc(body[risky:], scope, self.unknown(
                f"depends on whether `{self.code(body[risky])}` raises on the machine that runs it (line "
                f"{self.span(body[risky]).line})", body[risky]))

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

    def exec_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        name = node.name
        # Its bases as written, for `except` clauses (a name defined twice is not used: None).
        self.class_bases[name] = None if name in self.class_bases else tuple(
            self.code(_unstarred(b)) for b in node.bases)
        bases = tuple(self.eval(_unstarred(base), scope) for base in node.bases)
        kinds = {names.classify(b.path)[0] for b in bases if isinstance(b, KerasRef)}
        if any(isinstance(b, ClassValue) and not b.plain for b in bases) or kinds & {"model", "sequential"} or \
                custom_layer_bases(bases):
            scope.set(name, self.model_class(node, bases, scope, ClassBodyScope(scope)))
            return
        cls = None if kinds else self.plain_class(node, bases, scope, ClassBodyScope(scope))
        if cls is not None:
            scope.set(name, cls)
            return
        hidden = next((b for b in bases if isinstance(b, Unknown)), None)
        if hidden is not None and not kinds:
            # (`class Attention(object if debug_flag else Layer)`: a layer or not, by a value not known)
            reason = f"{UNKNOWN_BASE.format(name)} ({hidden.reason})"
        elif "layer" in kinds or kinds & {"module"}:
            reason = f"custom layer `{name}` is not analysed"
        else:
            reason = f"class `{name}` is not analysed"
        metric = self.metric_class(node, bases, scope)
        if metric is not None:
            scope.set(name, metric)
            return
        made = callbacks.callback_class(node, bases, reason, scope)
        if made is not None:
            made.methods = callbacks.methods(node, bases, scope, self.module_trees.get(id(scope.module)))
        sets_trainable = any(isinstance(b, OpaqueCallable) and b.sets_trainable for b in bases) or \
            _writes_trainable(node)
        scope.set(name, made or OpaqueCallable(name, reason, sets_trainable=sets_trainable))
        written = _outside_writes(node.body)
        if written:
            # Its methods are not run here, but whoever calls them changes these names.
            why = self.unknown(f"may be changed by a method of class `{name}` (not analysed)", node)
            self.writers.append(({n: scope.module for n in written}, why))

    def metric_class(self, node: ast.ClassDef, bases: Sequence[Any], scope: Scope) -> Optional[MetricClass]:
        """The class ``node`` when each of its bases is a Keras metric or loss class (``keras.metrics.Metric``,
        ``keras.losses.Loss``, ``keras.metrics.Mean``...) or such a class of the analysed code, and its body makes no
        layer; else None. It may make layers when its body calls a Keras layer, model or application, or code of the
        file (a function, a class) or a name not known (Keras makes them when the metric is made: not followed)."""
        if not bases or _written_trainable(node):
            return None
        base = None
        makes = False
        for b in bases:
            if isinstance(b, MetricClass):
                base = base or b.base
            elif isinstance(b, KerasRef) and _metric_or_loss_class(b.path):
                base = base or b.path
            else:
                return None
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            root = call.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if not isinstance(root, ast.Name) or root.id == "self" or root.id in _SAFE_CALLEES:
                continue
            held = scope.get(root.id)
            if isinstance(held, KerasRef):
                path = held.path + _dotted(call.func)[len(root.id):]  # (`layers.Dense` of `keras.layers`)
                if names.classify(path)[0] not in ("layer", "layer_function", "sequential", "model", "input") and \
                        not path.startswith("keras.applications."):
                    continue
            elif isinstance(held, Builtin):
                continue
            makes = True
            break
        if makes:
            return None  # (a metric that keeps a model of its own, which Keras builds: left to the classes not run)
        return MetricClass(node.name, f"class `{node.name}` is not analysed", base=base or "")

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
        if type(dec) is ast.Name and dec.id == "property" and type(value) is Function and value.kind == "" and \
                not _bound(scope, "property"):
            # `@property def train(self)` outside a class, then `Window.train = train`: Python's property object,
            # whose getter a read of the attribute on an instance runs (flags.set_class_attribute)
            value.kind = "property"
            return value
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
                                       "follow", sets_trainable=isinstance(value, Function) and
                                 _writes_trainable(value.node), wrapped=value if isinstance(value, Function) else None)

    def transparent_decorator(self, dec: ast.expr, scope: Scope) -> bool:
        """Is ``dec`` one known to return the function itself (``@tf.function``, ``@tf.function(jit_compile=True)``,
        ``@functools.wraps(f)``, ``@register_keras_serializable()``)?"""
        factory = isinstance(dec, ast.Call)
        wrap = self.eval(dec.func if factory else dec, scope)
        path = wrap.path if isinstance(wrap, (ExternalRef, KerasRef)) else None
        return path in (_TRANSPARENT_FACTORIES if factory else _TRANSPARENT_DECORATORS)

    exec_AsyncFunctionDef = exec_FunctionDef

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
                value.add_name(target.id)
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
            if type(container) is arrays.ArrayValue:
                # idx[0] = 500, y[y == 2] = 1: the shape stays; whether its values are row numbers below a bound, or
                # labels of a known number of classes, is not followed
                container.below = container.classes = None
            if isinstance(container, GlobalsRef):
                key = self.eval(index, scope) if index is not None else None
                if isinstance(key, str):
                    container.scope.set(key, value)
                else:
                    self.forget_scope(container.scope, self.unknown(f"changed through `{self.code(target)}`",
                                                                    target))
                return
            if type(container) is frames.Frame and index is not None:
                self.eval(index, scope)
                # df["Wx"] = ...: a column replaced or added; df[col] = ... with a key not known (a loop's column
                # name), df[["a", "b"]] = ..., df[mask] = ...: still a frame of as many rows, of a number of
                # columns the source does not show
                container.set_column(self, target)
                return
            if isinstance(container, (Unknown, OpaqueCallable)):
                self.external_changed(container)  # (`config["units"] = 64`: a size read from it is another symbol)
            self.external_root_changed(target.value, scope)  # (`tok.word_index["<pad>"] = 0`: and from `tok`)
            self.taint(container, self.unknown(f"changed through `{self.code(target)}`", target))
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, plain.PlainObject):
                self.set_plain_attribute(obj, target.attr, value)
            elif target.attr == "trainable":
                self.set_trainable(obj, value, target, scope)
            elif target.attr == "name" and self.keras_named(obj):
                self.set_keras_name(obj, value)
            elif isinstance(obj, (ModelBuilder, LayerObj)) and self.read_only_attribute(obj, target.attr):
                self.set_read_only(obj, target)
            elif isinstance(obj, LayerObj) and catalogue.takes_argument(self.graph.layer(obj.uid), target.attr):
                # `dense.units = 20`, `layer.activation = None`: what Keras makes of it is not followed
                self.graph.forget_argument(obj.uid, target.attr, self.unknown(
                    f"`{self.code(target)}` is set on the layer after it is made (line {target.lineno})", target))
            elif isinstance(obj, ModelBuilder) and obj.kind == "subclassed":
                self.set_attribute(obj, target.attr, value, target)
            elif isinstance(obj, ModelBuilder) and obj.cls is not None and obj.cls.sequential:
                # A Sequential's weights are its added layers': one held by an attribute is not among them
                obj.attrs[target.attr] = value
                obj.version += 1
            elif isinstance(obj, ModelBuilder) and obj.kind in ("functional", "sequential") and obj.cls is None and \
                    plain_model_attribute(value):
                # `model.output_length = lambda x: x` on a functional model or a Sequential: a plain attribute of the
                # object, which reading it gives back (expressions.py); under an undecided condition, not known
                obj.attrs[target.attr] = self.unknown(
                    f"`{self.code(target)}` is set under a condition the analysis cannot decide", target) \
                    if self.journal.active else value
                obj.version += 1
            elif isinstance(obj, ModuleRef):
                obj.scope.set(target.attr, value)  # settings.UNITS = 48: what the module's code reads
            elif isinstance(obj, ExternalRef):
                # `cfg.N = cfg.N + 1` on a module outside the project: what the file reads of it from now on
                self.external_attrs[f"{obj.path}.{target.attr}"] = self.unknown(
                    f"`{self.code(target)}` is set under a condition the analysis cannot decide", target) \
                    if self.journal.active else value
            elif isinstance(obj, ClassValue):
                self.set_class_attribute(obj, target.attr, value, target)
            elif isinstance(obj, CallbackInstance):
                callbacks.store(self, obj, target.attr, value, target)
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
            elif self.guarded:
                # (an object the analysis does not follow may run code of its own on it, or have no such slot:
                # a `try` around it may take what it raises)
                self.opaque_calls += 1
            # Other attribute targets (obj.x = ...) are not tracked: reads give symbols, never stale values (a size
            # read from an object of code not seen after it is another symbol: `args.units = args.units * 2`).
            if isinstance(obj, (Unknown, OpaqueCallable)):
                self.external_changed(obj)
            self.external_root_changed(target.value, scope)

    def keras_named(self, obj: Any) -> bool:
        """A layer of Keras's (not an operation on tensors) or a model that is no subclass: ``obj.name = ...`` sets
        the name Keras shows (``name`` is a plain attribute of Keras 3's layers and models)."""
        if isinstance(obj, LayerObj):
            d = self.graph.layer(obj.uid)
            return d.submodel is not None or d.known and not d.operation
        return isinstance(obj, ModelBuilder) and obj.kind in ("functional", "sequential", "application")

    def set_keras_name(self, obj: Any, value: Any) -> None:
        """``model.name = "resnet18"``, ``layer.name = ...``: the name of its rows from now on, wherever they are
        (a model's title, its row in a model that holds it, the Connected to column); not known when the value is
        not a string or the line runs under a condition the analysis cannot decide."""
        name = value if type(value) is str and not self.undecided else UNKNOWN_NAME
        model = self.graph.submodel(obj.uid) if isinstance(obj, LayerObj) else obj
        if isinstance(model, ModelBuilder):
            model.keras_name = name
            if model.layer_uid is not None:
                self.graph.update_layer(model.layer_uid, name=name)
        elif isinstance(obj, LayerObj):
            self.graph.update_layer(obj.uid, name=name)

    def read_only_attribute(self, obj: Any, attr: str) -> bool:
        """Is ``attr`` a property without setter of Keras 3's class of ``obj`` (a layer or model): ``model.outputs =
        [...]``, ``self.trainable_weights = [...]`` in a custom layer's build raise AttributeError. Not where a class
        of the file defines the name (its own attribute or property)."""
        if attr not in _READ_ONLY_MODEL:
            return False
        if isinstance(obj, LayerObj):
            d = self.graph.layer(obj.uid)
            return d.known and not d.operation and d.submodel is None and attr in _READ_ONLY_LAYER
        if obj.kind != "subclassed":
            return obj.kind in ("functional", "sequential", "application")
        if obj.cls is None or any(attr in c.members for c in obj.cls.mro):
            return False
        return attr in _READ_ONLY_LAYER or attr == "layers" and not obj.custom_layer

    def set_read_only(self, obj: Any, target: ast.Attribute) -> None:
        """``obj.attr = ...`` on a property of Keras without setter (:meth:`read_only_attribute`): Python raises
        AttributeError (rule KC116 where the line runs for certain), and the object is not known after it."""
        kind = "model" if isinstance(obj, ModelBuilder) and not obj.custom_layer else "layer"
        reason = (f"`{self.code(target)} = ...`: `{target.attr}` of a Keras 3 {kind} is a property without setter: "
                  "Python raises AttributeError")
        made = self.python_error_noted("KC116", "AttributeError", reason, target, elsewhere=True)
        if isinstance(obj, ModelBuilder):
            obj.taint(made)

    def delete(self, target: Any, scope: Scope, s: Any) -> None:
        """``del name``, ``del xs[0]``, ``del d["k"]``: an item removed from a known list or dict; anything
        else deleted from a container or an object leaves it unknown."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for el in target.elts:
                self.delete(_unstarred(el), scope, s)
        elif isinstance(target, ast.Name):
            # (reading it raises: UnboundLocalError for a function's own name, NameError elsewhere)
            made = Unbound if self.function_nodes and target.id in unbound_locals(self.function_nodes[-1]) and \
                scope is not scope.module else Deleted
            scope.set(target.id, made(f"`{target.id}` was deleted (reading it raises "
                                      f"{'UnboundLocalError' if made is Unbound else 'NameError'})", self.span(s)))
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
            elif type(base) is frames.Frame and isinstance(key, (str, int)) and not isinstance(key, bool):
                base.delete_column()  # del df["Name"]: that column removed (pandas raises KeyError without it)
            else:
                self.taint(base, self.unknown(f"changed by `del {self.code(target)}`", s))


#: Names a metric's or loss's methods call that make no layer (NumPy, math; ``super().__init__``).
_SAFE_CALLEES = frozenset({"super", "np", "numpy", "math", "ops", "K", "tf"})


def _metric_or_loss_class(path: str) -> bool:
    """``keras.metrics.Metric``, ``keras.metrics.Mean``, ``keras.losses.Loss``...: a metric or loss class."""
    module, _, last = path.rpartition(".")
    return module in ("keras.metrics", "keras.losses") and last[:1].isupper()


def _written_trainable(node: ast.ClassDef) -> bool:
    """Does the class body assign a ``trainable`` attribute (of anything)?"""
    return any(isinstance(t, ast.Attribute) and t.attr == "trainable"
               for n in ast.walk(node) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
               for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))
