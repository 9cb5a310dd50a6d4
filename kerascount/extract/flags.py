"""Trainable flags: ``layer.trainable = …`` through models, ``model.layers[...]`` and loops over them."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import ast

from ..ir import Unknown
from .collect import _dotted, _per_node, call_arguments, _called_names, _collect, _target_names, _trainable_targets
from ..symbolic import Expr, symbol
from .plain import PlainObject
from .values import Builtin, ClassValue, External, ExternalRef, Function, LambdaValue, LayerObj, ModelBuilder, OpaqueCallable
from .scopes import (Scope, _MISSING, _SETS_TRAINABLE)


#: Methods that never set a trainable flag (Keras's model methods, containers', strings').
_NO_FLAGS = frozenset({"add", "append", "extend", "compile", "summary", "fit", "evaluate", "predict", "save",
                       "save_weights", "load_weights", "format", "get", "items", "keys", "values", "update",
                       "split", "join", "reshape", "astype", "startswith", "endswith", "lower", "upper",
                       "count_params", "get_config", "to_json", "build", "pop", "insert"})

#: Built-ins that call no code of the file given what a training loop passes them (numbers, arrays, strings).
_FLAGLESS_BUILTINS = frozenset({"print", "len", "range", "int", "float", "str", "bool", "abs", "round", "min", "max",
                                "sum", "enumerate", "zip", "list", "tuple", "isinstance", "format", "divmod"})
#: Methods of a Sequential or functional model that train or read it and set no trainable flag.
_FLAGLESS_MODEL_METHODS = frozenset({"train_on_batch", "test_on_batch", "predict_on_batch", "predict", "evaluate",
                                     "fit", "summary", "count_params", "save", "save_weights", "load_weights",
                                     "get_weights", "set_weights", "compile"})
#: Those that take callbacks (also by position: ``fit(x, y, 32, 5, 0, [cb])``).
_CALLBACK_METHODS = frozenset({"fit", "evaluate", "predict"})

#: Methods of arrays and plots that a training loop calls on data (any receiver but a model, a layer or an
#: object of the analysed code's classes): they set no trainable flag.
_DATA_METHODS = frozenset({"reshape", "astype", "transpose", "flatten", "squeeze", "mean", "sum", "std", "min",
                           "max", "argmax", "argmin", "clip", "copy", "tolist", "item", "plot", "set_title",
                           "set_xlabel", "set_ylabel", "legend", "imshow", "savefig", "close", "numpy"})

#: Libraries that know nothing of Keras models (plots, images, files, time): nothing they do sets a trainable flag.
_FLAGLESS_LIBRARIES = frozenset({"matplotlib", "seaborn", "PIL", "cv2", "skimage", "imageio", "scipy", "tqdm", "time",
                                 "os", "sys", "random", "datetime", "json", "pickle", "h5py", "glob", "shutil",
                                 "logging", "csv", "IPython"})


def _flagless_library(value: Any) -> bool:
    """Is ``value`` what an import of one of :data:`_FLAGLESS_LIBRARIES` binds (``plt`` of ``import
    matplotlib.pyplot as plt``: the symbol of its path)?"""
    if isinstance(value, ExternalRef):
        return value.path.split(".")[0] in _FLAGLESS_LIBRARIES
    if not isinstance(value, Expr):
        return False
    text = str(value)
    return text.split(".")[0] in _FLAGLESS_LIBRARIES and value == symbol(text)


def _root_name(e: Any) -> Optional[str]:
    """The name an expression is reached from (``D`` of ``D.layers[0]``, ``np`` of ``np.random.normal``)."""
    while True:
        if isinstance(e, ast.Attribute):
            e = e.value
        elif isinstance(e, ast.Subscript):
            e = e.value
        elif isinstance(e, ast.Call):
            e = e.func
        else:
            break
    return e.id if isinstance(e, ast.Name) else None


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

    def trainable_owners(self, stmt: Any, scope: Scope, iterable: Any = None) -> Optional[List[Any]]:
        """The models and layers whose trainable flags a loop the analysis cannot run may set, when every
        ``.trainable`` it assigns is on its loop variable (an item of ``M.layers``, ``M.layers[a:b]``,
        ``enumerate(M.layers)``...) or on ``M.layers[...]`` / ``M.get_layer(...)`` / a known model or layer
        by name: only their layers' flags become unknown, not every model's in the file. None when some
        assignment could reach other layers (the caller then makes every model's split unknown).
        The layers of a model made outside the analysed code (``load_model(path).layers``, ``iterable`` an
        External of role "foreign") are none of the analysed code's: a flag set on them changes none.
        ``stmt`` is a for or while loop (its ``else`` block counted in); its calls must pass
        :meth:`calls_set_no_flags`, and a name a flag is set through must not be bound again in it."""
        collected = _per_node("loop_collected", stmt, lambda s: _collect([*s.body, *s.orelse]))
        if not collected.sets_trainable:
            return []  # it sets no flag (havoc then leaves every flag alone either way)
        loop_vars = set(_target_names(stmt.target)) if isinstance(stmt, (ast.For, ast.AsyncFor)) else set()
        if loop_vars & collected.assigned or isinstance(stmt, ast.While) and \
                any(isinstance(n, ast.Call) for n in ast.walk(stmt.test)):
            return None  # (a while loop's test runs with each pass too: a call there may set flags)
        found = [_trainable_targets(block) for block in (stmt.body, stmt.orelse) if block]
        if any(f is None or f.calls and not self.calls_set_no_flags(f, collected.assigned, scope) for f in found):
            return None
        owners: List[Any] = []
        foreign = isinstance(iterable, External) and iterable.role == "foreign" or \
            isinstance(stmt, (ast.For, ast.AsyncFor)) and self.read_from_file(stmt.iter, scope)
        for target in (t for f in found for t in f.targets):
            if isinstance(target, ast.Name) and target.id in loop_vars:
                if foreign:
                    continue
                owner = self.layers_owner(stmt.iter, scope)
            else:
                if _root_name(target) in collected.assigned:
                    return None  # (the name is bound again in the loop: what it holds there is not what it holds now)
                owner = self.layers_owner(target, scope, direct=True)
            if owner is None:
                return None
            if all(owner is not o for o in owners):
                owners.append(owner)
        return owners

    def calls_set_no_flags(self, found: Any, assigned: set, scope: Scope, depth: int = 0) -> bool:
        """Do the calls of a loop's body (``found.calls``, those its text alone does not clear) set no trainable
        flag the analysis does not see? Each must be a built-in that only reads (``print``, ``len``, ``range``), a
        method of a Sequential or functional model that trains or reads it (``D.train_on_batch(x, y)``; without
        callbacks, which run code of the file), or code outside the analysed files whose name does not say it
        freezes (``np.random.normal(...)``), as :meth:`only_reads_model` takes it; and no name it is called
        through is bound again in the loop. A function of the analysed code called by its name passes when its
        body sets no flag and its own calls pass so (``plot_images(samples, path)``); a method or class of the
        analysed code, or code outside it given a lambda or a function of the file, fails."""
        for call in found.calls:
            func = call.func
            root = _root_name(func)
            if isinstance(func, ast.Attribute) and func.attr in _DATA_METHODS and \
                    not isinstance(scope.get(root) if root is not None else None,
                                   (ModelBuilder, LayerObj, PlainObject, ClassValue)):
                continue  # (an array's or a plot's: ``images.reshape(...)``, ``axes[0].plot(losses)``)
            if root is None or root in assigned:
                return False
            if isinstance(func, ast.Name):
                value = scope.get(func.id)
                if func.id in _FLAGLESS_BUILTINS and (value is _MISSING or isinstance(value, Builtin)):
                    continue  # (a name the file does not bind: Python's own)
                if isinstance(value, Function) and self.function_sets_no_flags(value, depth):
                    continue
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                value = scope.get(func.value.id)
                if isinstance(value, ModelBuilder) and value.kind in ("sequential", "functional", "application") and \
                        func.attr in _FLAGLESS_MODEL_METHODS and all(k.arg != "callbacks" for k in call.keywords) and \
                        (func.attr not in _CALLBACK_METHODS or len(call.args) <= 3):
                    continue  # (callbacks given by position, fit's sixth argument, are code of the file too)
            if found.lambdas or _SETS_TRAINABLE.search(_dotted(func)) or not (
                    self.outside_callee(func, scope) or _flagless_library(scope.get(root))):
                return False
            for arg in (*call.args, *call.keywords):
                value = arg.value if isinstance(arg, (ast.Starred, ast.keyword)) else arg
                if isinstance(value, ast.Name) and isinstance(scope.get(value.id), (Function, LambdaValue, ClassValue)):
                    return False
        return True

    def function_sets_no_flags(self, fn: Function, depth: int) -> bool:
        """Does calling ``fn`` (a plain function of the analysed code, no method, no decorator) set no trainable
        flag: its body assigns none and its calls pass :meth:`calls_set_no_flags` (its parameters and the names it
        binds count as bound again: what they hold is not known there)."""
        if depth >= 3 or fn.owner is not None or fn.node.decorator_list or isinstance(fn.node, ast.Lambda):
            return False
        found = _trainable_targets(fn.node.body)
        if found is None or found.targets:
            return False
        a = fn.node.args
        params = {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)} | \
            {p.arg for p in (a.vararg, a.kwarg) if p is not None}
        return self.calls_set_no_flags(found, _collect(list(fn.node.body)).assigned | params, fn.scope, depth + 1)

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

    def read_from_file(self, e: ast.AST, scope: Scope) -> bool:
        """Is ``e`` a model ``load_model`` (or ``model_from_json``...) made, one of its layers (``M.get_layer(...)``,
        ``M.layers[i]``), or theirs (``M.get_layer(name).layers[:-20]``, ``enumerate(M.layers)``)? Keras makes every layer of such a model anew, so setting its flags changes no layer of the
        analysed code (not so for ``clone_model``, whose ``clone_function`` may hand back the original layers)."""
        while True:
            if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and \
                    e.func.id in ("enumerate", "reversed", "list", "tuple", "sorted") and e.args and \
                    scope.get(e.func.id) is _MISSING:
                e = e.args[0]
            elif isinstance(e, ast.Subscript):
                e = e.value
            elif isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "get_layer":
                e = e.func.value
            elif isinstance(e, ast.Attribute) and e.attr == "layers":
                e = e.value
            else:
                break
        if not isinstance(e, ast.Name):
            return False
        value = scope.get(e.id)
        return isinstance(value, External) and value.role == "foreign" and value.made is not None and \
            value.made[0] != "keras.models.clone_model"

    def set_class_attribute(self, cls: ClassValue, name: str, value: Any, e: Any) -> None:
        """``Net.UNITS = 5`` on a model class of the file: what its methods read from then on. (Under an
        undecided condition the attribute is unknown: class attributes are not undone per branch.)"""
        cls.members[name] = self.unknown(f"`{self.code(e)}` is set under a condition the analysis cannot decide",
                                         e) if self.journal.active else value
        if isinstance(value, Function) and value.kind == "property":
            # a property (`Window.train = train`, of a `@property` function): Python reads and sets it before an
            # instance's own attribute of that name
            cls.descriptors.add(name)

    def set_trainable(self, obj: Any, value: Any, e: ast.AST, scope: Optional[Scope] = None) -> None:
        # Keras's setter stores bool(value): a number, a string or None is a flag too (layer.trainable = 0)
        flag = bool(value) if isinstance(value, (bool, int, float, str, type(None))) else \
            self.unknown(f"`{self.code(e)}` is set to an unknown value", e)
        if isinstance(obj, OpaqueCallable) and obj.fresh:
            return  # a KerasHub or TF Hub model made from constants: no layer of the analysed code is in it
        if scope is not None and isinstance(e, ast.Attribute) and self.read_from_file(e.value, scope):
            return  # a model read from a file, or one of its layers: no layer of the analysed code is in it
        if not self.graph.set_trainable(obj, flag):
            why = self.unknown(f"`{self.code(e)}` changes trainable flags the analysis cannot follow", e)
            # `M.get_layer(name).trainable = False` or `M.layers[i].trainable = ...` with the layer not known: one
            # of M's layers changed (only M's split is unknown); anything else may be any layer's.
            owner = self.layers_owner(e.value, scope) if scope is not None and isinstance(e, ast.Attribute) else None
            if isinstance(owner, ModelBuilder):
                self.narrow_flags(owner, why)
            else:
                self.graph.flags_not_followed(why)

    def flags_settle(self, stmt: Any, owner: Any, owners: Sequence[Any], scope: Scope) -> bool:
        """Does a loop the analysis does not run to its end leave ``owner``'s flags as they are now, however many
        times it runs (none included)? So when each flag it sets on ``owner`` is ``owner.trainable = True`` or
        ``False``, the flags of ``owner`` and of all it holds are now one value, and every run of the body, from
        that value, ends with it again (a GAN's batch loop: ``D.trainable = True``, train ``D``, ``D.trainable =
        False``, train the stack, with ``D`` frozen before the loop). Not when the body may leave a run early
        (``break``, ``continue``, ``return``, ``raise``, ``try``), or another owner's flags reach ``owner``'s layers
        (``gan.trainable = True`` unfreezes the ``D`` it holds)."""
        if any(isinstance(n, (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Try, ast.Yield, ast.YieldFrom,
                              ast.Await)) for n in ast.walk(stmt)):
            return False
        graph = self.graph

        def held(o: Any) -> set:
            if isinstance(o, LayerObj):
                return {o.uid}
            layers = graph.held_layers(o)
            return layers | {o.layer_uid} if o.layer_uid is not None else layers

        mine = held(owner)
        if any(o is not owner and held(o) & mine for o in owners):
            return False
        # the value its flags have now, the same everywhere
        if isinstance(owner, LayerObj):
            value = graph.layer(owner.uid).kwarg("trainable", True)
        elif isinstance(owner, ModelBuilder):
            value = owner.trainable
            layers, models = graph.held_layers_and_models(owner)
            if any(graph.layers[uid].submodel is None and graph.layers[uid].kwarg("trainable", True) is not value
                   for uid in layers) or any(graph.models[i].trainable is not value for i in models):
                return False
        else:
            return False
        if type(value) is not bool:
            return False

        def run(body: Sequence[Any], now: frozenset) -> Optional[frozenset]:
            """The values ``owner``'s flag may have after ``body``, from those it may have before; None when not
            followed."""
            for st in body:
                if isinstance(st, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "trainable"
                                                      for t in st.targets):
                    target = st.targets[0].value if len(st.targets) == 1 else None
                    if not isinstance(target, ast.Name) or target.id in rebound:
                        return None  # (a loop's item, a layer of a model, a name bound again in the loop)
                    held_by = scope.get(target.id)
                    if held_by is not owner:
                        if any(held_by is o for o in owners):
                            continue  # (another owner's, whose layers are none of this one's)
                        return None
                    if not (isinstance(st.value, ast.Constant) and type(st.value.value) is bool):
                        return None
                    now = frozenset({st.value.value})
                elif isinstance(st, (ast.For, ast.AsyncFor, ast.While)):
                    seen = now
                    for _ in range(3):
                        after = run(st.body, seen)
                        if after is None:
                            return None
                        if after <= seen:
                            break
                        seen = seen | after
                    else:
                        return None
                    now = seen
                    if st.orelse:
                        now = run(st.orelse, now)
                        if now is None:
                            return None
                elif isinstance(st, ast.If):
                    a, b = run(st.body, now), run(st.orelse, now)
                    if a is None or b is None:
                        return None
                    now = a | b
                elif isinstance(st, (ast.With, ast.AsyncWith)):
                    now = run(st.body, now)
                    if now is None:
                        return None
                elif any(isinstance(n, ast.Attribute) and n.attr == "trainable" and isinstance(n.ctx, ast.Store)
                         for n in ast.walk(st)):
                    return None  # (in a statement of another kind: not followed)
            return now

        rebound = _collect([stmt]).assigned | {name for n in ast.walk(stmt) if isinstance(n, (ast.For, ast.AsyncFor))
                                               for name in _target_names(n.target)}
        start = frozenset({value})
        return run([stmt], start) == start

    def narrow_flags(self, owner: Any, reason: Unknown) -> None:
        """The trainable flags of ``owner``'s layers (a model's, or one layer's) are set where the analysis cannot
        follow: those flags only become unknown."""
        held = {owner.uid} if isinstance(owner, LayerObj) else self.graph.held_layers(owner)
        if isinstance(owner, ModelBuilder) and owner.layer_uid is not None:
            held.add(owner.layer_uid)
        self.graph.uncertain_flags.append((held, owner if isinstance(owner, ModelBuilder) else None, reason))
