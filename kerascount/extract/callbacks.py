"""Keras callbacks of the analysed code, and the ``set_model`` Keras runs on them.

A class derived from ``keras.callbacks.Callback`` or ``CallbackList`` is not run (Keras calls its
hooks), but ``cb.set_model(obj)`` of an instance is Keras's own method when no class of the analysed
code defines it: it stores ``obj`` (a ``CallbackList`` gives it to each callback it holds, and Keras's
built-in callbacks store it too). It changes no model; what could change one later is a hook of a
callback of the analysed code, so a model handed over keeps its numbers only when every such class
is read and none of its methods holds an operation known to change a model (``.add``, ``.pop``,
``.build``, a ``trainable`` or ``layers`` assignment, ``setattr``...) or hands the model on to other
code. When ``obj`` is an object of the analysed code (an agent holding its models), the methods and
properties of it (and of the objects it holds) that the callbacks may reach are read the same way.
Anything else is left to :meth:`opaque_call`, which treats the call as code the analysis does not see.

A class derived from ``keras.metrics.Metric`` is read the same way: Keras calls its ``update_state`` and ``result``
as it calls a callback's hooks, and its ``__init__`` runs when it is made (keras.io's KID metric builds its encoder
model there).

The class's own plain methods are Python's like any other (a data generator that is also a callback:
``gen.get_output_size()``): :func:`method` binds one to the instance, unless something may have given the
instance an attribute of that name. Its ``__init__`` runs when it is made (:func:`create`), and its attributes
are known from then on (:func:`read`, :func:`store`) until something may change them where the analysis does
not look: Keras running the hooks of the callbacks a model is given (:func:`release_all`, at any ``fit``,
``evaluate``, ``predict``...), code the analysis does not see given it or something reaching it
(:func:`release`), a branch it cannot decide or a loop it does not run to its end.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from ..nodes import children as ast_children, walk as ast_walk
from ..ir import Unknown
from .collect import _per_node, parameter_defaults
from .values import (CallbackClass, CallbackInstance, ClassValue, DictValue, External, ExternalRef, Function,
                     GeneratorValue, KerasRef, LambdaValue, LayerObj, ListValue, ModelBuilder, OpaqueCallable, Partial,
                     SetModel, SetValue)

NOT_FOUND = object()
#: Keras's own callback bases (and ``Metric``, read as one), by their path.
_BASES = {"keras.callbacks.Callback": False, "keras.callbacks.CallbackList": True, "keras.metrics.Metric": False}
#: Keras's built-in callbacks whose ``set_model`` only stores the model and whose hooks change no
#: layer (``LambdaCallback``, which runs the user's functions, is not one of them).
_BUILTIN = frozenset(f"keras.callbacks.{n}" for n in (
    "History", "BaseLogger", "ProgbarLogger", "ModelCheckpoint", "EarlyStopping", "ReduceLROnPlateau",
    "TensorBoard", "CSVLogger", "TerminateOnNaN", "LearningRateScheduler", "RemoteMonitor", "BackupAndRestore"))
#: Methods known to change a model or its layers (``Sequential.add``/``pop``, ``build``).
_CHANGES = frozenset({"add", "pop", "build", "_add_inbound_node", "_maybe_build"})
#: Attributes whose assignment changes a model's counts.
_ASSIGNED = frozenset({"trainable", "layers", "_layers", "built", "_self_tracked_trackables"})
#: Functions that may reach or change anything.
_REFLECTIVE = frozenset({"setattr", "delattr", "vars", "exec", "eval", "globals", "locals", "__import__",
                         "compile"})
#: Builtins that change nothing they are given.
_INERT_BUILTINS = frozenset({"len", "isinstance", "hasattr", "type", "id", "str", "repr", "bool", "callable",
                             "super"})
_SET_MODEL = ("set_model", "_set_model")  # (``_set_model``: Keras 1's name)


def _keras_base(base: Any) -> Optional[bool]:
    """For ``keras.callbacks.Callback``/``CallbackList``: whether it is the list; else None."""
    if isinstance(base, KerasRef):
        return _BASES.get(base.path)
    return None


def callback_class(node: ast.ClassDef, bases: Tuple[Any, ...], reason: str, scope: Any) -> Optional[CallbackClass]:
    """The class ``node`` as a callback class, or None when it is not derived from Keras's callbacks
    only (through classes of the analysed code)."""
    if not bases or node.decorator_list or node.keywords:
        return None
    is_list = False
    safe = True
    nodes: Tuple[Any, ...] = ((node, scope),)
    for base in bases:
        kind = _keras_base(base)
        if isinstance(base, CallbackClass):
            is_list = is_list or base.is_list
            safe = safe and base.safe
            nodes += base.nodes
        elif kind is not None:
            is_list = is_list or kind
        else:
            return None
    defines = {s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    safe = safe and not defines & set(_SET_MODEL) and _changes_no_model([node], hooks=True)
    if safe:  # (and what its methods call by name)
        called = _reached([(node, scope)], [])
        safe = called is not None and _changes_no_model(called, hooks=True)
    return CallbackClass(node.name, reason, safe=safe, is_list=is_list, nodes=nodes)


def _immutable_literal(node: ast.AST) -> bool:
    """A constant, or a tuple of them (``image_shape=(32, 32, 3)``): a default that ``ast.literal_eval`` gives as
    Python does, once for every call (it cannot be changed in place)."""
    if isinstance(node, ast.Tuple):
        return all(_immutable_literal(e) for e in node.elts)
    return isinstance(node, ast.Constant) or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
        isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)


def methods(node: ast.ClassDef, bases: Tuple[Any, ...], scope: Any, tree: Any) -> Dict[str, Tuple[Function, Any]]:
    """The plain methods of the callback class ``node`` (and of its bases of the analysed code) that ``cb.name(...)``
    of an instance runs, as Python does: a ``def`` of its body with no decorator and only constant defaults, whose
    name the body binds in no other way; not a ``__dunder__``. A name two bases define differently is left out (the
    order Python looks them up in is not followed here). ``tree``: the module's tree where the class is defined."""
    out: Dict[str, Tuple[Function, Any]] = {}
    classes = [node] + [n for b in bases if isinstance(b, CallbackClass) for n, _ in b.nodes]
    if any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__getattribute__"
           for c in classes for s in c.body):
        return out  # (every attribute read runs it)
    clash: Set[str] = set()
    for base in bases:
        if isinstance(base, CallbackClass):
            for name, held in base.methods.items():
                if name in out and out[name][0] is not held[0]:
                    clash.add(name)
                out.setdefault(name, held)
    for name in clash:
        del out[name]
    own: Dict[str, Any] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef) and not stmt.decorator_list and \
                (not stmt.name.startswith("__") or stmt.name == "__init__") and \
                all(_immutable_literal(d) for _, d in parameter_defaults(stmt.args)):
            own[stmt.name] = stmt
            continue
        for bound in _bound_in_class(stmt):
            own[bound] = None  # (a class attribute, a decorated method: not followed)
    for name, stmt in own.items():
        out.pop(name, None)
        if stmt is not None:
            defaults = {p.arg: ast.literal_eval(d) for p, d in parameter_defaults(stmt.args)}
            out[name] = (Function(node=stmt, scope=scope, name=name, defaults=defaults), tree)
    return out


def _bound_in_class(stmt: Any) -> Set[str]:
    """The names a statement of a class body binds there (of a nested statement too)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    out = set()
    for n in ast_walk(stmt):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names)
    return out


def method(base: Any, attr: str, main_tree: Any) -> Optional[Partial]:
    """``cb.name`` of a callback instance, when it is one of its class's plain methods (bound to ``cb``): not once
    an assignment of the analysed code may have given the instance an attribute of that name (Python finds that
    first): one it ran on the instance, or any ``x.name = ...`` (``setattr`` with that name or one not written
    as a constant, ``__dict__``, ``vars``) in the module of the class or in the file analysed; nor once the
    instance was handed to code the analysis does not see."""
    if not isinstance(base, CallbackInstance) or base.tainted is not None or attr not in base.methods or \
            attr in base.assigned or attr.startswith("__"):
        return None
    fn, tree = base.methods[attr]
    if tree is None:
        return None  # (the module of the class is not known: its assignments are not read)
    for t in (tree, main_tree):
        if t is not None:
            stored = _per_node("stored_attributes", t, _stored_attributes)
            if attr in stored or "*" in stored:
                return None
    return Partial(fn, (base,), {})


def read(base: Any, attr: str) -> Any:
    """``cb.name`` of a callback instance whose attributes are known and hold it (its ``__init__`` or the analysed
    code set it); else ``NOT_FOUND``."""
    if isinstance(base, CallbackInstance) and base.tainted is None and base.attrs is not None and attr in base.attrs:
        return base.attrs[attr]
    return NOT_FOUND


def store(interp: Any, inst: CallbackInstance, attr: str, value: Any, node: Any) -> None:
    """``cb.name = value`` (or ``setattr``) run by the analysed code: the attribute is known from now on when the
    instance's are and the assignment runs at the depth the instance was made at (not in a branch the analysis
    cannot decide, nor in a run it undoes, that did not make it); else its attributes are unknown from now on.
    A name its classes' bodies bind otherwise than as a plain method (a property, a class attribute, which may
    be a descriptor) is not an instance attribute: unknown too; Keras's ``model`` is a property without a setter
    (Python raises AttributeError)."""
    inst.assigned.add(attr)  # (it hides a method of that name: ``method``)
    if attr == "model" and "model" not in inst.bound and "model" not in inst.methods:
        inst.attrs = None
        interp.python_error("AttributeError", "Keras 3's `Callback.model` is a property without a setter (Python "
                            "raises AttributeError: use `set_model`)", node)
        return
    if inst.attrs is None:
        return
    if (interp.undecided, interp.journal.active) != inst.depth or attr in inst.bound:
        inst.attrs = None
        return
    inst.attrs[attr] = value


def create(interp: Any, cls: CallbackClass, inst: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
    """After ``cls(...)`` made ``inst``: its ``__init__`` run, as Python runs it (Keras's own takes no arguments and
    sets attributes the analysis does not follow, so reading one of those is not known)."""
    if not isinstance(inst, CallbackInstance):
        return
    interp.callback_instances.append(inst)
    inst.depth = (interp.undecided, interp.journal.active)
    inst.bound = frozenset(name for n, _ in cls.nodes for stmt in n.body for name in _bound_in_class(stmt)) - \
        set(cls.methods)
    init = cls.methods.get("__init__")
    defines = any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__"
                  for n, _ in cls.nodes for s in n.body)
    if init is None and defines:
        return  # (an __init__ that is not followed: its attributes are not known)
    inst.attrs = {}
    if init is not None:
        result = interp.call_function(init[0], (inst, *args), dict(kwargs), e)
        if isinstance(result, Unknown):
            inst.attrs = None
    elif args or kwargs:
        inst.attrs = None  # (Python raises TypeError)


def release(interp: Any, value: Any, depth: int = 0) -> None:
    """Code the analysis does not see is given ``value``: the callback instances it holds (in lists, tuples and
    dicts), and those a bound method or generator of theirs, or a function or lambda, reaches, may be changed by it
    (at once or later): their attributes are unknown from now on."""
    if depth > 4:
        return
    if isinstance(value, CallbackInstance):
        value.attrs = None
        for item in value.items or ():
            release(interp, item, depth + 1)
    elif isinstance(value, (ListValue, tuple)):
        for item in (value.items if isinstance(value, ListValue) else value):
            release(interp, item, depth + 1)
    elif isinstance(value, DictValue):
        for item in value.items.values():
            release(interp, item, depth + 1)
    elif isinstance(value, Partial):
        release(interp, value.func, depth + 1)
        for item in (*value.args, *value.kwargs.values()):
            release(interp, item, depth + 1)
    elif isinstance(value, GeneratorValue):
        release(interp, value.fn, depth + 1)
        for item in (*value.args, *value.kwargs.values()):
            release(interp, item, depth + 1)
    elif isinstance(value, (Function, LambdaValue)):
        node = value.node
        for n in ast_walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                held = value.scope.get(n.id)
                if isinstance(held, CallbackInstance):
                    release(interp, held, depth + 1)


def release_all(interp: Any) -> None:
    """Keras runs the hooks of the callbacks it is given (``fit``, ``evaluate``, ``predict``...): the attributes of
    every callback instance are unknown from now on (which ones it was given is not followed)."""
    for inst in interp.callback_instances:
        inst.attrs = None


def _stored_attributes(tree: Any) -> frozenset:
    """The attribute names assigned or deleted anywhere in ``tree`` (``x.a = v``, ``x.a += v``, ``del x.a``,
    ``setattr(x, "a", v)``); "*" when a ``setattr``/``delattr`` names one not written as a constant, or
    ``__dict__``, ``vars(...)`` or ``__setattr__`` appears."""
    out = set()
    for n in ast_walk(tree):
        if isinstance(n, ast.Attribute):
            if isinstance(n.ctx, (ast.Store, ast.Del)):
                out.add(n.attr)
            if n.attr in ("__dict__", "__setattr__"):
                out.add("*")
        elif isinstance(n, ast.Call):
            name = n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) \
                else ""
            if name in ("setattr", "delattr"):
                key = n.args[1] if len(n.args) > 1 else None
                out.add(key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else "*")
            elif name == "vars":
                out.add("*")
    return frozenset(out)


def given(cls: CallbackClass, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[List[Any]]:
    """The callbacks a ``CallbackList`` of ``cls`` is made with (read before the call: the list handed
    to code the analysis does not see is changed by it), None when not known."""
    items = args[0] if args else kwargs.get("callbacks")
    if cls.is_list and isinstance(items, ListValue) and items.tainted is None:
        return list(items.items)
    return None


def instance(cls: CallbackClass, made: Any, items: Optional[List[Any]]) -> Any:
    """What ``cls(...)`` gives, after :meth:`opaque_call` made ``made``."""
    if type(made) is not OpaqueCallable:
        return made
    return CallbackInstance(made.text, made.reason, safe=cls.safe, is_list=cls.is_list, items=items,
                            nodes=cls.nodes, methods=cls.methods)


def builtin(func: KerasRef, made: Any) -> Any:
    """``keras.callbacks.History()`` and the other built-in callbacks: an instance whose ``set_model``
    is Keras's (it gives no tensors, so its call made no layer)."""
    if func.path in _BUILTIN and isinstance(made, External):
        return CallbackInstance(func.path, made.reason, safe=True)
    return made


def attribute(base: Any, attr: str, text: str) -> Optional[SetModel]:
    """``cb.set_model`` of a callback instance whose class does not define it."""
    if isinstance(base, CallbackInstance) and attr in _SET_MODEL and base.safe:
        return SetModel(text, f"`{text}` comes from code the analysis does not see", instance=base)
    return None


def keeps(fn: SetModel, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    """Does ``cb.set_model(obj)`` leave every model ``obj`` holds as it was, by Keras's semantics?"""
    if len(args) + len(kwargs) != 1 or kwargs and "model" not in kwargs:
        return False
    if not _holds_safe(fn.instance, 0):
        return False
    target = args[0] if args else kwargs["model"]
    if isinstance(target, (ModelBuilder, LayerObj)) or target is None:
        return True
    from .plain import PlainObject
    if not isinstance(target, PlainObject) or target.tainted is not None:
        return False
    classes = _reachable_classes(target)
    if classes is None:
        return False
    # What the callbacks may run of the object: the methods and properties their code names, and what
    # those name in turn (by name, over every class the object reaches).
    hooks = _hook_nodes(fn.instance, 0)
    methods = _reached(hooks, classes)
    plain_attrs = _plain_attributes(target)
    return methods is not None and _changes_no_model(methods, hooks=False) and \
        not _hands_on(methods, plain_attrs) and not _hooks_hand_on([h for h, _ in hooks], plain_attrs)


def _hook_nodes(inst: CallbackInstance, depth: int) -> List[Tuple[ast.AST, Any]]:
    out = list(inst.nodes)
    for item in inst.items or () if depth < 4 else ():
        if isinstance(item, CallbackInstance):
            out += _hook_nodes(item, depth + 1)
    return out


def _reached(roots: List[Tuple[ast.AST, Any]], classes: List[ClassValue],
             scopes_too: bool = False) -> Optional[List[Any]]:
    """``roots`` (code, with the scope its names are looked up in) and what it may run of the analysed code:
    the functions it calls by name, and the methods of ``classes`` whose names it uses as an attribute (by
    name: any of them may be the one reached), and so on from those. None when a class customises its
    attribute access, or when a method's names cannot be looked up. ``scopes_too``: (code, the scope its
    names are looked up in, None when not known) pairs."""
    by_name: Dict[str, List[Tuple[ast.AST, Any]]] = {}
    for c in classes:
        scopes = {id(m.scope): m.scope for m in c.members.values() if isinstance(m, Function)}
        where = next(iter(scopes.values())) if len(scopes) == 1 else None
        for stmt in c.node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if stmt.name in ("__getattr__", "__getattribute__", "__setattr__"):
                    return None
                by_name.setdefault(stmt.name, []).append((stmt, where))
    out: List[ast.AST] = []
    seen_names: Set[str] = set()
    seen: Set[int] = set()
    todo = list(roots)
    while todo:
        node, where = todo.pop()
        if id(node) in seen:
            continue
        if len(seen) > 400:
            return None
        seen.add(id(node))
        out.append((node, where) if scopes_too else node)
        for attr, called in _names_used(node):
            if attr is not None:
                if attr not in seen_names:
                    seen_names.add(attr)
                    todo += by_name.get(attr, ())
            else:
                if where is None:
                    return None
                fn = where.get(called)
                if isinstance(fn, (Function, LambdaValue)):
                    todo.append((fn.node, fn.scope))
    return out


#: What the walks below read of a tree, by (what, id of the tree): the tree itself is kept with it, so that its
#: id stays its own. Loops the analysis cannot run ask again and again about the same code (a training loop
#: that holds an agent's models: each time round an outer loop), and walking the whole tree each time cost
#: most of the analysis of such a file.
_WALKED: Dict[Tuple[str, int], Tuple[ast.AST, Any]] = {}


def _walked(what: str, root: ast.AST, compute: Any) -> Any:
    key = (what, id(root))
    hit = _WALKED.get(key)
    if hit is not None and hit[0] is root:
        return hit[1]
    value = compute(root)
    if len(_WALKED) > 8192:
        _WALKED.clear()
    _WALKED[key] = (root, value)
    return value


def _names_used(root: ast.AST) -> Tuple[Tuple[Optional[str], Optional[str]], ...]:
    """In ``ast.walk`` order, what :func:`_reached` follows in ``root``: each attribute name ``(attr, None)``
    (only its first use: a later one adds nothing) and each function called by name ``(None, name)``
    (but the inert builtins)."""
    def compute(node: ast.AST) -> Tuple[Tuple[Optional[str], Optional[str]], ...]:
        out: List[Tuple[Optional[str], Optional[str]]] = []
        attrs: Set[str] = set()
        for sub in ast_walk(node):
            if isinstance(sub, ast.Attribute):
                if sub.attr not in attrs:
                    attrs.add(sub.attr)
                    out.append((sub.attr, None))
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id not in _INERT_BUILTINS:
                out.append((None, sub.func.id))
        return tuple(out)
    return _walked("names", root, compute)


def _hands_on(methods: List[ast.AST], plain_attrs: Set[str]) -> bool:
    """Does one of ``methods`` give ``self``, or an object of the analysed code it holds, to a call
    (``tweak(self)``, ``helpers.reset(self.policy)``), or alias one (``p = self.policy``)?"""
    own = {getattr(m, "name", None) for m in methods}
    for fn in methods:
        for method, handed in _handed(fn):
            if method is not None and method in own:
                continue  # (a method of the object itself: its own code is among ``methods``)
            if any(a is None or a in plain_attrs for a in handed):
                return True
    return False


def _handed(root: ast.AST) -> Tuple[Tuple[Optional[str], Tuple[Optional[str], ...]], ...]:
    """What :func:`_hands_on` reads of ``root`` (cached): for each call (but of an inert builtin), assignment,
    return, yield or loop that hands on ``self`` or ``self.<attr>``, the name of the method called when it is
    one of something ``self`` holds (``self.policy._set_agent(...)``: :func:`_own_method`), else None, and
    what it hands on: None for ``self``, the attribute's name for ``self.<attr>``."""
    def compute(node: ast.AST) -> Tuple[Tuple[Optional[str], Tuple[Optional[str], ...]], ...]:
        out = []
        for sub in ast_walk(node):
            values: List[Any] = []
            method = None
            if isinstance(sub, ast.Call) and not (isinstance(sub.func, ast.Name) and sub.func.id in _INERT_BUILTINS):
                method = _own_method(sub.func)
                values = [*sub.args, *(k.value for k in sub.keywords)]
            elif isinstance(sub, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return, ast.Yield)):
                values = [sub.value]
            elif isinstance(sub, (ast.For, ast.comprehension)):
                values = [sub.iter]
            handed: List[Optional[str]] = []
            for v in values:
                v = v.value if isinstance(v, ast.Starred) else v
                if isinstance(v, ast.Name) and v.id == "self":
                    handed.append(None)
                elif isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and v.value.id == "self":
                    handed.append(v.attr)
            if handed:
                out.append((method, tuple(handed)))
        return tuple(out)
    return _walked("handed", root, compute)


def _own_method(func: ast.AST) -> Optional[str]:
    """``self.policy._set_agent(...)``: the name of a method of something the object holds (``_hands_on``
    skips it when it is named like one of the methods read), else None."""
    if not isinstance(func, ast.Attribute):
        return None
    base = func.value
    while isinstance(base, ast.Attribute):
        base = base.value
    return func.attr if isinstance(base, ast.Name) and base.id == "self" else None


def _plain_attributes(obj: Any) -> Set[str]:
    """Names of the attributes, of ``obj`` and of the objects it holds, that hold an object of the analysed
    code, or a container of such objects (handing one on hands on what it holds)."""
    from .plain import PlainObject
    out: Set[str] = set()
    held = list(_objects(obj))
    exposed = any(o.tainted is not None for o in held)
    for o in held:
        if o.tainted is not None:
            # What it holds is not known: any attribute its methods use may hold such an object.
            for c in o.cls.mro:
                out |= _walked("self attrs", c.node, lambda node: frozenset(
                    a.attr for a in ast_walk(node) if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name)
                    and a.value.id == "self"))
            continue
        for name, v in o.attrs.items():
            if isinstance(v, PlainObject) or isinstance(v, (ListValue, DictValue)) and _holds_objects(v, 0, exposed):
                out.add(name)
    return out


def _holds_safe(inst: Any, depth: int) -> bool:
    if not isinstance(inst, CallbackInstance) or not inst.safe or depth > 4:
        return False
    if not inst.is_list:
        return True
    return inst.items is not None and all(_holds_safe(i, depth + 1) for i in inst.items)


def _objects(obj: Any) -> Iterable[Any]:
    """``obj`` and the objects of the analysed code it holds (in attributes, or in lists there), each
    once; what an object already unknown (``tainted``) holds is not known, so not followed."""
    from .plain import PlainObject
    todo, seen = [obj], set()
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        yield o
        for v in (o.attrs.values() if o.tainted is None else ()):
            todo += [i for i in (v.items if isinstance(v, ListValue) else (v,)) if isinstance(i, PlainObject)]


def _reachable_classes(obj: Any) -> Optional[List[ClassValue]]:
    """The classes of ``obj`` and of the objects of the analysed code it holds (None when one of
    them is not read: then its methods are not known)."""
    out: List[ClassValue] = []
    for o in _objects(obj):
        for c in o.cls.mro:
            if c.node is None:
                return None
            if c not in out:
                out.append(c)
    return out


def _changes_no_model(nodes: Iterable[Any], hooks: bool, own: Optional[Tuple[List[ClassValue], Set[str]]] = None,
                      containers: Set[str] = frozenset()) -> bool:
    """No operation in ``nodes`` is known to change a model: no call of ``add``/``pop``/``build``, no
    assignment of ``trainable`` or ``layers``, no reflection (``setattr``, ``__dict__``), no call of a
    function whose name says it sets trainable flags or adds layers (the rule :meth:`opaque_call` applies
    to functions it does not see). In a callback (``hooks``), ``self.model`` is not handed to other code
    (``freeze(self.model)``): it is used only through its attributes (``self.model.metrics_names``).
    A node may come with the scope its names are looked up in (``(node, scope)``, see :func:`_reached`): a
    call of a function of the NumPy module there (``np.add(d_loss_real, d_loss_fake)``, a GAN's training
    step) changes no model. ``own``: the classes whose methods ``nodes`` holds (:func:`_reached`'s), and the
    attributes ``nodes`` may assign: a call of one of their methods on a name bound there to an object of one of
    them (``buffer.add(s, a, r)``, a replay buffer's own ``add``) runs that method, whose body is among ``nodes``,
    not a model's ``add`` (unless an attribute of that name may shadow it). ``containers``: the attributes of the
    objects of those classes that hold a list, dict or set on every one that has them (and that ``nodes`` do not
    assign): ``self.memory.pop(0)`` on one of them is the container's ``pop`` (:func:`_container_calls`)."""
    for item in nodes:
        root, where = item if isinstance(item, tuple) else (item, None)
        heads = _numpy_names(root, where) | (_own_method_calls(root, where, *own) if own else frozenset()) | \
            (_container_calls(root, where, containers, own[1]) if own else frozenset())
        if _root_changes(root, hooks, heads):
            return False
    return True


def _own_method_calls(root: ast.AST, where: Any, own: List[ClassValue], stored: Set[str]) -> frozenset:
    """The calls ``name.method(...)`` (or ``name.attr.method(...)``, ``self.memory.add(...)``) in ``root`` whose
    receiver is, looked up in ``where`` (the scope ``root``'s names are looked up in) through attributes of
    objects of the analysed code, an object of the analysed code whose classes are all in ``own``, and whose
    method is a function of its class that no attribute of the object shadows (nor may: ``stored``, the
    attributes the code may assign, none of which the chain reads either): as ``"name.attr.method"``."""
    if where is None:
        return frozenset()
    calls = _walked("method calls", root, lambda node: frozenset(
        (chain, n.func.attr) for n in ast_walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and (chain := _name_chain(n.func.value)) is not None))
    local = _walked("bound names", root, _bound_names)  # (a name bound in the code itself may be another object)
    out = set()
    for chain, attr in calls:
        if chain[0] in local or attr in stored or any(a in stored for a in chain[1:]):
            continue
        value = _chain_value(chain, where)
        if value is None or attr in value.attrs:
            continue
        classes = _reachable_classes(value)
        if classes is None or not all(c in own for c in classes):
            continue
        found = next((c.members[attr] for c in value.cls.mro if attr in c.members), None)  # (Python's lookup)
        if isinstance(found, Function):
            out.add(".".join((*chain, attr)))
    return frozenset(out)


#: Methods of lists, dicts and sets named like a model's that change it (``_CHANGES``): ``pop`` and ``add``.
_CONTAINER_METHODS = frozenset({"pop", "add"})


def _container_calls(root: ast.AST, where: Any, containers: Set[str], stored: Set[str]) -> frozenset:
    """The calls ``self.<attr>.pop(...)`` (or ``add``) in ``root`` whose attribute is one of ``containers`` (a replay
    memory kept as a list, ``self.memory.pop(0)``), and ``name.attr.pop(...)`` whose chain holds, looked up in
    ``where`` through attributes of objects of the analysed code none of which ``stored`` names, a list, dict or set
    there: as ``"self.memory.pop"`` (a container's method, which changes no model)."""
    calls = _walked("container calls", root, lambda node: frozenset(
        (chain, n.func.attr) for n in ast_walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and n.func.attr in _CONTAINER_METHODS and (chain := _name_chain(n.func.value)) is not None and len(chain) > 1))
    out = set()
    for chain, attr in calls:
        if any(a in stored for a in chain[1:]):
            continue
        if chain[0] == "self":
            if len(chain) == 2 and chain[1] in containers:
                out.add(".".join((*chain, attr)))
            continue
        if where is None or chain[0] in _walked("bound names", root, _bound_names):
            continue
        holder = _chain_value(chain[:-1], where)
        if holder is not None and isinstance(holder.attrs.get(chain[-1]), (ListValue, DictValue, SetValue)):
            out.add(".".join((*chain, attr)))
    return frozenset(out)


def _name_chain(node: ast.AST) -> Optional[Tuple[str, ...]]:
    """``("self", "memory")`` for ``self.memory``, ``("buffer",)`` for ``buffer``; None for anything else."""
    attrs: List[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    return (node.id, *reversed(attrs)) if isinstance(node, ast.Name) else None


def _chain_value(chain: Tuple[str, ...], where: Any) -> Any:
    """The object of the analysed code ``chain`` names in ``where`` (through attributes of such objects, none
    of them unknown), else None."""
    from .plain import PlainObject
    value = where.get(chain[0])
    for attr in chain[1:]:
        if type(value) is not PlainObject or value.tainted is not None:
            return None
        value = value.attrs.get(attr)
    return value if type(value) is PlainObject and value.tainted is None else None


def _numpy_names(root: ast.AST, where: Any) -> frozenset:
    """The names that calls in ``root`` are made on (``np`` of ``np.add(...)``) that are the NumPy module
    in ``where``, the scope ``root``'s names are looked up in (none when it is not known)."""
    if where is None:
        return frozenset()
    heads = _walked("call heads", root, lambda node: frozenset(
        n.func.value.id for n in ast_walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)))
    out = set()
    for name in heads:
        value = where.get(name)
        if isinstance(value, ExternalRef) and value.path == "numpy":
            out.add(name)
    return frozenset(out)


#: ``_root_changes`` by (id of the code, hooks, NumPy's names): the code itself is kept, so that its id stays its own.
_CHANGES_SEEN: Dict[Tuple[int, bool, frozenset], Tuple[ast.AST, bool]] = {}


def _root_changes(root: ast.AST, hooks: bool, numpy: frozenset = frozenset()) -> bool:
    """Whether ``root`` holds an operation :func:`_changes` finds (cached: the same classes are read
    at every loop and ``set_model`` the analysis meets); ``numpy``: the names of the NumPy module there."""
    key = (id(root), hooks, numpy)
    hit = _CHANGES_SEEN.get(key)
    if hit is not None and hit[0] is root:
        return hit[1]
    parents = {id(child): node for node in ast_walk(root) for child in ast_children(node)}
    found = any(_changes(node, parents, hooks, numpy) for node in ast_walk(root))
    if len(_CHANGES_SEEN) > 4096:
        _CHANGES_SEEN.clear()
    _CHANGES_SEEN[key] = (root, found)
    return found


def _changes(node: ast.AST, parents: Dict[int, ast.AST], hooks: bool, numpy: frozenset = frozenset()) -> bool:
    """Is ``node`` an operation that may change a model (see :func:`_changes_no_model`)? ``numpy``: the
    names of the NumPy module where ``node`` runs (its functions change no model)."""
    from .scopes import _MAY_GROW, _SETS_TRAINABLE
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in numpy:
            return False  # np.add(...), np.append(...): NumPy's, given arrays
        if isinstance(f, ast.Attribute) and numpy and (chain := _name_chain(f.value)) is not None and \
                ".".join((*chain, f.attr)) in numpy:
            return False  # buffer.add(...), self.memory.add(...): its class's own (_own_method_calls)
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        # (the words of the interpreter's rule, whole: `AdditionalUpdatesOptimizer` adds no layer)
        words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}
        return isinstance(f, ast.Name) and name in _REFLECTIVE or name in _CHANGES or bool(
            _SETS_TRAINABLE.search(name)) or name not in _LIST_METHODS and bool(words & set(_MAY_GROW)) and any(
            isinstance(a, (ast.Name, ast.Attribute, ast.Subscript, ast.Starred))
            for a in (*node.args, *(k.value for k in node.keywords)))  # (`Dense(n + 1)` is given no model)
    if isinstance(node, ast.Attribute):
        return node.attr in ("__dict__", "__setattr__", "_layers") or isinstance(
            node.ctx, (ast.Store, ast.Del)) and node.attr in _ASSIGNED or hooks and _handed_on(node, parents)
    return False


#: Methods of Python's containers (a model has none of them: Keras 3's ``model.layers`` is a copy).
_LIST_METHODS = frozenset({"append", "extend", "insert", "appendleft", "extendleft", "popleft"})


def _handed_on(node: ast.Attribute, parents: Dict[int, ast.AST]) -> bool:
    """``self.model`` given to a call as an argument, or stored, returned or put in a container."""
    if node.attr not in ("model", "_model") or not isinstance(node.ctx, ast.Load):
        return False
    return _escapes(node, parents)


def _escapes(node: ast.AST, parents: Dict[int, ast.AST]) -> bool:
    """Is the value of ``node`` given to a call (but a builtin that changes nothing), stored, returned
    or put in a container?"""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Call) and parent.func is not node:
        return not (isinstance(parent.func, ast.Name) and parent.func.id in _INERT_BUILTINS)
    return isinstance(parent, (ast.keyword, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Yield,
                               ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred, ast.NamedExpr, ast.For,
                               ast.comprehension, ast.withitem, ast.Lambda))


def _hooks_hand_on(nodes: List[ast.AST], plain_attrs: Set[str]) -> bool:
    """Does a hook hand on an object the object it was given holds (``tweak(self.model.policy)``,
    ``p = self.model.policy``, ``for m in self.model.agents``)?"""
    for root in nodes:
        parents = {id(c): n for n in ast_walk(root) for c in ast_children(n)}
        for node in ast_walk(root):
            if isinstance(node, ast.Attribute) and node.attr in plain_attrs and isinstance(node.ctx, ast.Load) \
                    and isinstance(node.value, ast.Attribute) and node.value.attr in ("model", "_model"):
                top: ast.AST = node
                while isinstance(parents.get(id(top)), ast.Subscript) and parents[id(top)].value is top:
                    top = parents[id(top)]
                if _escapes(top, parents):
                    return True
    return False


def loop_keeps_models(body: List[ast.AST], scope: Any, names: Set[str], obj: Any) -> Optional[Set[str]]:
    """A block the analysis could not run to its end (a loop whose condition it does not know) changes
    ``obj``, an object of the analysed code bound to ``names``: do the models it holds keep their numbers?
    Only when no code the block may run (:func:`_reached`) is known to change a model or hands such an
    object to other code. Then the names of the attributes that code may assign (None: the models are
    not kept)."""
    if not any(isinstance(i, (ModelBuilder, LayerObj)) for o in _objects(obj) for v in o.attrs.values()
               for i in (v.items if isinstance(v, ListValue) else (v,))):
        return None  # (no model to keep)
    classes = _reachable_classes(obj)
    if classes is None:
        return None
    receivers = _receivers(body, scope)
    for value in receivers:  # (a replay buffer the block adds to: its methods are followed too)
        more = _reachable_classes(value)
        classes += [c for c in more or () if c not in classes]
    reached = _reached([(node, scope) for node in body], classes, scopes_too=True)
    if reached is None:
        return None
    code = [node for node, _ in reached]
    stored: Set[str] = set()
    for root in code:
        stored |= _walked("stored", root, lambda node: frozenset(
            a.attr for a in ast_walk(node) if isinstance(a, ast.Attribute) and isinstance(a.ctx, (ast.Store, ast.Del))))
    if not _changes_no_model(reached, hooks=False, own=(classes, stored),
                             containers=_container_attributes([obj, *receivers], stored)) or \
            _hands_on(code, _plain_attributes(obj)):
        return None
    for root in body:  # the block itself hands on no name bound to the object
        if not names.isdisjoint(_walked("given names", root, _given_names)):
            return None
    return stored


def _container_attributes(values: List[Any], stored: Set[str]) -> Set[str]:
    """The attributes that hold a list, dict or set on every object of the analysed code ``values`` hold (themselves
    and what they hold) that has them, and that ``stored`` (what the code run may assign) does not name; none when
    one of those objects is not known (what it holds may be anything)."""
    from .plain import PlainObject
    objects = [o for v in values if isinstance(v, PlainObject) for o in _objects(v)]
    if any(o.tainted is not None for o in objects):
        return set()
    kinds: Dict[str, bool] = {}
    for o in objects:
        for name, v in o.attrs.items():
            kinds[name] = kinds.get(name, True) and isinstance(v, (ListValue, DictValue, SetValue))
    return {name for name, container in kinds.items() if container and name not in stored}


def _bound_names(root: ast.AST) -> frozenset:
    """The names ``root`` binds (assigns, deletes, imports, takes as parameters or exception names, declares
    global or nonlocal)."""
    out: Set[str] = set()
    for node in ast_walk(root):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out |= set(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
    return frozenset(out)


def _receivers(body: List[ast.AST], scope: Any) -> List[Any]:
    """The objects of the analysed code that ``body`` calls a method of by a name bound in ``scope`` or an
    attribute of one (``buffer`` of ``buffer.add(s, a, r)``, ``self.memory`` of ``self.memory.add(...)``)."""
    out: List[Any] = []
    for root in body:
        for node in ast_walk(root):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    (chain := _name_chain(node.func.value)) is not None:
                value = _chain_value(chain, scope)
                if value is not None and all(value is not o for o in out):
                    out.append(value)
    return out


def _given_names(root: ast.AST) -> frozenset:
    """The names given as arguments to calls in ``root`` (but to the inert builtins)."""
    out = set()
    for node in ast_walk(root):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _INERT_BUILTINS):
            for v in (*node.args, *(k.value for k in node.keywords)):
                v = v.value if isinstance(v, ast.Starred) else v
                if isinstance(v, ast.Name):
                    out.add(v.id)
    return frozenset(out)


def _holds_objects(v: Any, depth: int, exposed: bool) -> bool:
    """Does a list or dict hold (or may it hold: changed out of sight) an object of the analysed code?"""
    from .plain import PlainObject
    if depth > 4:
        return True
    if v.tainted is not None:
        # Changed out of sight: it may hold only what that code was given; an object of the analysed
        # code given to it would be unknown (tainted) itself, which the caller checks (``exposed``).
        return exposed
    items = list(v.items) if isinstance(v, ListValue) else [*v.items.keys(), *v.items.values()]
    return any(isinstance(i, PlainObject) or isinstance(i, (ListValue, DictValue)) and _holds_objects(i, depth + 1, exposed)
               for i in items)


def taint_keeping_models(it: Any, obj: Any, stored: Set[str], reason: Any) -> None:
    """What :func:`loop_keeps_models` allows: of ``obj`` and the objects it holds, the attributes the loop
    may assign are unknown, and so is what their lists and dicts hold; the models and layers they hold,
    and their other attributes, are as they were."""
    for o in list(_objects(obj)):
        for name, value in list(o.attrs.items()):
            if name not in stored and isinstance(value, (ListValue, DictValue)):
                it.taint(value, reason)
        for name in stored:  # (set on each: it may shadow a class attribute, `Cfg.units`)
            it.set_plain_attribute(o, name, reason)
