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
"""

from __future__ import annotations

import ast
import re
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from .values import (CallbackClass, CallbackInstance, ClassValue, External, KerasRef, LayerObj, ListValue, ModelBuilder,
                     OpaqueCallable, SetModel)

#: Keras's own callback bases, by the last part of their path.
_BASES = {"keras.callbacks.Callback": False, "keras.callbacks.CallbackList": True}
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
_SET_MODEL = ("set_model", "_set_model")  # (``_set_model``: Keras 1's name)


def _keras_base(base: Any) -> Optional[bool]:
    """For ``keras.callbacks.Callback``/``CallbackList``: whether it is the list; else None."""
    if isinstance(base, KerasRef):
        return _BASES.get(base.path)
    return None


def callback_class(node: ast.ClassDef, bases: Tuple[Any, ...], reason: str) -> Optional[CallbackClass]:
    """The class ``node`` as a callback class, or None when it is not derived from Keras's callbacks
    only (through classes of the analysed code)."""
    if not bases or node.decorator_list or node.keywords:
        return None
    is_list = False
    safe = True
    for base in bases:
        kind = _keras_base(base)
        if isinstance(base, CallbackClass):
            is_list = is_list or base.is_list
            safe = safe and base.safe
        elif kind is not None:
            is_list = is_list or kind
        else:
            return None
    defines = {s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    safe = safe and not defines & set(_SET_MODEL) and _changes_no_model([node], hooks=True)
    return CallbackClass(node.name, reason, safe=safe, is_list=is_list)


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
    return CallbackInstance(made.text, made.reason, safe=cls.safe, is_list=cls.is_list, items=items)


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
    return _methods_change_no_model(classes)


def _holds_safe(inst: Any, depth: int) -> bool:
    if not isinstance(inst, CallbackInstance) or not inst.safe or depth > 4:
        return False
    if not inst.is_list:
        return True
    return inst.items is not None and all(_holds_safe(i, depth + 1) for i in inst.items)


def _reachable_classes(obj: Any) -> Optional[List[ClassValue]]:
    """The classes of ``obj`` and of the objects of the analysed code it holds (None when one of
    them is not read: then its methods are not known)."""
    from .plain import PlainObject
    seen: Set[int] = set()
    out: List[ClassValue] = []
    todo = [(obj, 0)]
    while todo:
        o, depth = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if depth > 6 or o.tainted is not None:
            return None
        for c in o.cls.mro:
            if c.node is None:
                return None
            if c not in out:
                out.append(c)
        for v in o.attrs.values():
            for item in (v.items if isinstance(v, ListValue) else (v,)):
                if isinstance(item, PlainObject):
                    todo.append((item, depth + 1))
    return out


def _methods_change_no_model(classes: List[ClassValue]) -> bool:
    """None of the methods or properties of ``classes`` changes a model. All of them are read (a
    callback may reach any through the object it was given)."""
    return _changes_no_model([c.node for c in classes], hooks=False)


def _changes_no_model(nodes: Iterable[ast.AST], hooks: bool) -> bool:
    """No operation in ``nodes`` is known to change a model: no call of ``add``/``pop``/``build``, no
    assignment of ``trainable`` or ``layers``, no reflection (``setattr``, ``__dict__``), no call of a
    function whose name says it sets trainable flags or adds layers (the rule :meth:`opaque_call` applies
    to functions it does not see). In a callback (``hooks``), ``self.model`` is not handed to other code
    (``freeze(self.model)``): it is used only through its attributes (``self.model.metrics_names``)."""
    for root in nodes:
        parents: Dict[int, ast.AST] = {}
        for node in ast.walk(root):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(root):
            if _changes(node, parents, hooks):
                return False
    return True


def _changes(node: ast.AST, parents: Dict[int, ast.AST], hooks: bool) -> bool:
    """Is ``node`` an operation that may change a model (see :func:`_changes_no_model`)?"""
    from .interpreter import _MAY_GROW, _SETS_TRAINABLE
    if isinstance(node, ast.Call):
        f = node.func
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
    parent = parents.get(id(node))
    if isinstance(parent, ast.Call) and parent.func is not node:
        return not (isinstance(parent.func, ast.Name) and parent.func.id in (
            "len", "isinstance", "hasattr", "type", "id", "str", "repr", "bool", "callable"))
    return isinstance(parent, (ast.keyword, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Yield,
                               ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred, ast.NamedExpr, ast.For,
                               ast.comprehension, ast.withitem, ast.Lambda))
