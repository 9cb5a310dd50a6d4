"""Trainable flags: ``layer.trainable = …`` through models, ``model.layers[...]`` and loops over them."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import ast

from ..ir import Unknown
from .collect import _per_node, call_arguments, _called_names, _collect, _target_names, _trainable_targets
from .values import ClassValue, External, Function, LambdaValue, LayerObj, ModelBuilder, OpaqueCallable
from .scopes import (Scope, _MISSING)


#: Methods that never set a trainable flag (Keras's model methods, containers', strings').
_NO_FLAGS = frozenset({"add", "append", "extend", "compile", "summary", "fit", "evaluate", "predict", "save",
                       "save_weights", "load_weights", "format", "get", "items", "keys", "values", "update",
                       "split", "join", "reshape", "astype", "startswith", "endswith", "lower", "upper",
                       "count_params", "get_config", "to_json", "build", "pop", "insert"})


class TrainableFlags:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: trainable flags."""

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
                self.graph.flags_not_followed(why)

    def narrow_flags(self, owner: Any, reason: Unknown) -> None:
        """The trainable flags of ``owner``'s layers (a model's, or one layer's) are set where the analysis cannot
        follow: those flags only become unknown."""
        held = {owner.uid} if isinstance(owner, LayerObj) else self.graph.held_layers(owner)
        if isinstance(owner, ModelBuilder) and owner.layer_uid is not None:
            held.add(owner.layer_uid)
        self.graph.uncertain_flags.append((held, owner if isinstance(owner, ModelBuilder) else None, reason))
