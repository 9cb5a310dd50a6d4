"""Calls: ``f(…)`` of the analysed code's functions and lambdas, generators, and calls it cannot follow.

``call`` dispatches on the callee's value: a function of the analysed code runs in a new scope
(``call_function``, ``bind_parameters``); Keras, builtins, NumPy and classes go to their mixins
(``keras_calls``, ``builtin_calls``, ``arrays``, ``classes``); anything else is an opaque call whose
arguments may escape (``opaque_call``, ``escaped``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import ast

from ..ir import ConstantOfArray, Unknown
from ..symbolic import Expr, symbol, symbol_names
from ..nodes import walk as ast_walk
from . import arrays, callbacks, frames, plain, sources
from .expressions import NO_SHORT_CIRCUIT
from .keras_calls import non_tensor_positional
from .collect import _per_node, call_arguments, _called_names, _collect, _declared, _dotted
from .values import (ModelChoice, WholeChoice, ModuleRef, BoundMethod, Builtin, GeneratorValue, ClassValue, DictValue,
    External, ExternalRef, Function, KerasRef, LambdaValue, LayerObj, ListValue, ModelBuilder, CachedFunction,
    CallbackClass, CallbackInstance, DecoratedFunction, MetricClass, MetricInstance, OpaqueCallable, SetModel,
    Partial, SuperRef, Tensor,
    UNKNOWN_BASE, has_tensor, tensors_in)
from .scopes import (GlobalsRef, Scope, _Break, _Continue, _MISSING, _Raise, _Return, _SETS_TRAINABLE, _Stop,
    Unbound, _Uncertain, _imported_source, _is_generator, _may_grow, _parse, unbound_locals)


#: The classes of keras.initializers, keras.regularizers and keras.constraints (Keras 3.15, lower-case aliases
#: included): calling one makes an object (or raises), never None.
_KERAS_OBJECT_CLASSES = frozenset(
    [f"keras.regularizers.{n}" for n in ("L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "l1", "l1_l2",
                                         "l2", "orthogonal_regularizer")] +
    [f"keras.initializers.{n}" for n in (
        "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "IdentityInitializer",
        "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer", "RandomNormal",
        "RandomUniform", "STFT", "STFTInitializer", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
        "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform",
        "ones", "orthogonal", "random_normal", "random_uniform", "stft", "truncated_normal", "variance_scaling",
        "zeros")] +
    [f"keras.constraints.{n}" for n in ("Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm",
                                        "min_max_norm", "non_neg", "unit_norm")] +
    # (a layer tracks its state among its variables, not its weights: Keras counts no parameter of it)
    ["keras.random.SeedGenerator"])
#: Model methods that run the hooks of the callbacks the model is given (Keras 1/2 names too).
_RUNS_CALLBACKS = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
                             "fit_generator", "evaluate_generator", "predict_generator"})
#: Keras's lookups of objects by name, which only read the dicts they are given (``module_objects=globals()`` of a
#: vendored ``activations.get``, ``custom_objects``): what those hold is left as it is.
_READS_ONLY = frozenset((*(f"keras.{m}.{fn}" for m in ("utils", "saving") for fn in (
    "deserialize_keras_object", "serialize_keras_object", "get_registered_object", "get_registered_name")),
    # TensorFlow's functions of a list of tensors (`tf.concat(features, axis=1)`): the list stays as it is
    "tensorflow.concat", "tensorflow.stack", "tensorflow.add_n", "tensorflow.math.add_n"))
#: TensorFlow 1's sessions (and Keras 2's, ``K.get_session()``), whose ``run`` evaluates the tensors it is given.
_TF_SESSIONS = frozenset(("tensorflow.Session", "tensorflow.compat.v1.Session", "tensorflow.InteractiveSession",
                          "tensorflow.compat.v1.InteractiveSession", "keras.backend.get_session",
                          "tensorflow.compat.v1.keras.backend.get_session"))
#: Classes whose instances are objects of the keywords they are given (extract/plain.py ``namespace``).
_NAMESPACES = frozenset({"types.SimpleNamespace", "argparse.Namespace"})
#: Calls that make a new model from a file or a description (or a copy with new layers): none of its layers
#: is one of the analysed code's (an External with role "foreign").
_FRESH_MODELS = frozenset({"keras.models.load_model", "keras.saving.load_model", "keras.models.clone_model",
                           "keras.models.model_from_json", "keras.models.model_from_config",
                           "keras.models.model_from_yaml"})

#: Values bound by imports: kept when code the analysis cannot read runs (see ``forget_scope``).
_IMPORTED = (KerasRef, ExternalRef, ModuleRef)


def _session_run(func: Any, text: str) -> bool:
    """Is ``func`` the ``run`` method of a TensorFlow 1 session (``tf.Session()``, ``K.get_session()``)?"""
    return isinstance(func, External) and func.made is not None and func.made[0] in _TF_SESSIONS and \
        text.endswith(".run")


#: The functions and classes the file defines.
_DEFINED = (Function, ClassValue)

#: The calls of a tuner whose result may be a size, and their parameters: KerasTuner's ``HyperParameters.Int`` and
#: ``Choice``, Optuna's ``Trial.suggest_int`` and ``suggest_categorical``.
_PICKS = {
    "Int": ("name", "min_value", "max_value", "step", "sampling", "default", "parent_name", "parent_values"),
    "Choice": ("name", "values", "ordered", "default", "parent_name", "parent_values"),
    "suggest_int": ("name", "low", "high", "step", "log"),
    "suggest_categorical": ("name", "choices"),
}


def _int_items(values: Any) -> Optional[Tuple[Any, ...]]:
    """The items of a list or tuple the analysis knows, when there are some and all are ints (no bool)."""
    items = values.items if isinstance(values, ListValue) and values.tainted is None else \
        values if type(values) is tuple else None
    return tuple(items) if items and all(type(v) is int for v in items) else None


def _tuner_value(e: Any, text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Expr]:
    """The integer a tuner picks, a symbol named after its hyperparameter (``hp.Int('units')``), when ``hp``/``trial``
    is a value the analysis does not know (the parameter of a builder nothing calls, that a tuner calls, or
    ``keras_tuner.HyperParameters()``): KerasTuner's ``hp.Int("units", min_value=32, max_value=512, step=32)`` (a
    Python int: ``Int.prob_to_value`` returns ``int(...)``, the default is ``min_value``, checked an int) and
    ``hp.Choice("units", [32, 64])`` of ints (one of the values as given; its default must be one of them), Optuna's
    ``trial.suggest_int("n_units", 4, 128)`` and ``suggest_categorical`` of ints. Each gives the same value for every
    call with that name (``HyperParameters._retrieve``; an Optuna trial's parameters). Only a call written as the
    library's, with a name known as a string and both bounds (the values, all ints) given, is read so: a Choice of
    rates or activations is no size."""
    if not (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in _PICKS):
        return None
    attr, names = e.func.attr, _PICKS[e.func.attr]
    if len(args) > len(names) or any(k not in names for k in kwargs) or any(n in kwargs for n in names[:len(args)]):
        return None
    bound = {**dict(zip(names, args)), **kwargs}
    if not isinstance(bound.get("name"), str):
        return None
    if attr == "Int":
        sized = bound.get("min_value") is not None and bound.get("max_value") is not None
    elif attr == "suggest_int":
        sized = type(bound.get("low")) is int and type(bound.get("high")) is int
    else:
        items, default = _int_items(bound.get("values" if attr == "Choice" else "choices")), bound.get("default")
        sized = items is not None and (default is None or type(default) is int and default in items)
    return symbol(f"{text}({bound['name']!r})") if sized else None


#: A tuner's pick with at most this many values is run with each of them, for a model it leaves unknown
#: (kerascount/alternatives.py).
FEW_PICKS = 6


def _pick_values(e: ast.Call, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Tuple[int, ...]]:
    """The values a tuner's pick ``_tuner_value`` reads as a symbol may take, when they are known and at most
    :data:`FEW_PICKS`: ``hp.Int("n", 1, 3)`` (``min_value`` to ``max_value`` by ``step``, both ends included, as
    KerasTuner's ``Int.values``), ``trial.suggest_int("n", 1, 3)`` (``low`` to ``high`` by ``step``, both included),
    and the ints of a ``Choice`` or ``suggest_categorical``, in their order. A logarithmic sampling draws from the
    same values."""
    attr, names = e.func.attr, _PICKS[e.func.attr]
    bound = {**dict(zip(names, args)), **kwargs}
    if attr in ("Int", "suggest_int"):
        low, high = (bound.get("min_value"), bound.get("max_value")) if attr == "Int" else \
            (bound.get("low"), bound.get("high"))
        step = bound.get("step")
        if step is not None and bound.get("sampling") not in (None, "linear"):
            return None  # (KerasTuner's steps multiply on a logarithmic scale)
        step = 1 if step is None else step
        if type(low) is not int or type(high) is not int or type(step) is not int or step < 1 or low > high:
            return None
        values: Tuple[int, ...] = tuple(range(low, high + 1, step))
    else:
        values = _int_items(bound.get("values" if attr == "Choice" else "choices")) or ()
        values = tuple(dict.fromkeys(values))
    return values if 1 < len(values) <= FEW_PICKS else None


def _pick_origin(e: ast.Call) -> str:
    """Where the symbol of a tuner's pick comes from, in words."""
    return "an Optuna trial's suggestion, which the sampler picks" if e.func.attr.startswith("suggest_") else \
        "a KerasTuner hyperparameter, which the tuner picks"


def _tuner_reason(e: Any, text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[str]:
    """Why ``hp.Choice("activation", [...])`` (``Float``, ``Boolean``, an ``Int`` not read as a symbol) of a value the
    analysis does not know is not known: a KerasTuner hyperparameter, named by its first argument."""
    if not (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and
            e.func.attr in ("Int", "Float", "Choice", "Boolean", "Fixed")):
        return None
    name = args[0] if args else kwargs.get("name")
    if not isinstance(name, str):
        return None
    return f"`{text}({name!r})` is a KerasTuner hyperparameter, which the tuner picks"


def _outside_names(node: Any) -> Tuple[List[Any], Tuple[str, ...], Any]:
    """Of a function or lambda: its body (as a block), the names from outside it that it may change in place,
    and the names it calls (``outside_mutations``, which asks again at every call it cannot see)."""
    body = [node.body] if isinstance(node, ast.Lambda) else node.body
    args = node.args
    local = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    local |= {a.arg for a in (args.vararg, args.kwarg) if a is not None} | _collect(body).assigned
    return body, tuple((_collect(body).mutated | plain.attribute_roots(body)) - local), _called_names(body)


def _is_exit(node: Any, func: Any, scope: Scope) -> bool:
    """Is ``node`` (what is called) Python's ``exit``/``quit`` or ``sys.exit``/``os._exit``, as bound here?"""
    last = node.id if type(node) is ast.Name else node.attr if type(node) is ast.Attribute else None
    if last not in ("exit", "quit", "_exit"):
        return False  # (asked at every call: most are not, and need no dotted text)
    text = _dotted(node)
    if text in ("exit", "quit"):
        return scope.get(text) is _MISSING
    if text in ("sys.exit", "os._exit"):
        root = scope.get(text.split(".")[0])
        return isinstance(root, ExternalRef) and root.path == text.split(".")[0]
    return False


def _argument(call: ast.Call, value: Any) -> Any:
    """The node of a call's argument ``*x`` or ``**x`` (the star included) whose value is ``value``."""
    for a in call.args:
        if type(a) is ast.Starred and a.value is value:
            return a
    for k in call.keywords:
        if k.value is value:
            return k
    return value


#: ``keras.backend.backend()``: the name of the backend Keras runs on, which the analysis does not know.
_BACKEND_NAME = frozenset({"keras.backend.backend", "keras.config.backend"})



#: Methods of data the analysis does not see that leave it as it is (NumPy's, pandas', a tokenizer's or a fitted
#: transformer's readers): a size read from the data before one of them is the same after it (made_symbol). Any
#: other method may change it (`tok.fit_on_texts(more)`, `x.sort()`, `vocab.add(w)`).
_READING_METHODS = plain.READING_METHODS | frozenset({  # (those of dicts, lists and strings, and:)
    "reshape", "astype", "mean", "std", "var", "sum", "prod", "max", "min", "argmax", "argmin", "transpose",
    "flatten", "ravel", "squeeze", "tolist", "item", "any", "all", "round", "clip", "numpy", "to_numpy", "view",
    "swapaxes", "cumsum", "dot", "nonzero", "head", "tail",
    "describe", "info", "isnull", "isna", "notnull", "value_counts", "unique", "nunique", "apply", "map",
    "texts_to_sequences", "texts_to_matrix", "sequences_to_texts", "sequences_to_matrix", "get_config",
    "transform", "inverse_transform", "predict", "predict_proba", "score", "get_params", "get_feature_names_out",
    "decode", "encode", "take", "batch", "shuffle", "prefetch", "cache", "repeat", "as_numpy_iterator",
})

def _truncated(func: Any, kind: type) -> bool:
    """Whether calling ``func`` on the arguments before a ``*x``/``**x`` the analysis does not know would read as a
    call on those arguments alone: a builtin, a library function or a method of a value that is no model or layer
    (the analysed code's functions and classes, Keras's own calls and models take the unknown arguments as such)."""
    if kind is Builtin or kind is ExternalRef and func.path not in _NAMESPACES:
        return True
    return isinstance(func, External) or isinstance(func, BoundMethod) and \
        not isinstance(func.obj, (ModelBuilder, LayerObj))


class Calls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: calls."""

    def eval_Call(self, e: ast.Call, scope: Scope) -> Any:
        site = self.positions.get(e) if self.importing == 0 else None
        if site is not None:
            outer, self.site = self.site, site
        f = e.func
        if type(f) is ast.Attribute and f.attr == "update" and type(f.value) is ast.Attribute and \
                f.value.attr == "__dict__":
            done = self.dict_update(e, f.value.value, scope)
            if done is not _NOT_DONE:
                return done
        func = self.eval(e.func, scope)
        if type(f) is ast.Attribute and f.attr not in _READING_METHODS:
            self.external_root_changed(f.value, scope)  # `tok.fit_on_texts(more)`: what is read from it may differ
        if isinstance(func, Builtin) and func.name in ("any", "all", "next") and e.args and \
                type(e.args[0]) is ast.GeneratorExp and not e.keywords and \
                len(e.args) <= (2 if func.name == "next" else 1):
            done = self.short_circuit(func.name, e, scope)
            if done is not NO_SHORT_CIRCUIT:
                return done
        args: List[Any] = []
        kwargs: Dict[str, Any] = {}
        open_kwargs: Optional[Unknown] = None
        given = call_arguments(e)
        for i, (keyword, star, node) in enumerate(given):
            value = self.genexp_argument(node, scope, func, star == "*") if type(node) is ast.GeneratorExp else \
                self.eval(node, scope)
            if star == "*":
                items = self.iterate(value)
                if items is None:
                    open_kwargs = self.unknown(f"`*{self.code(node)}` is not known", _argument(e, node))
                    for _, _, rest in given[i + 1:]:  # (Python evaluates them all: the layers they make use up names)
                        self.eval(rest, scope)
                    break
                args.extend(items)
            elif star == "**":
                if isinstance(value, DictValue) and value.tainted is None and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    open_kwargs = self.unknown(f"`**{self.code(node)}` is not known", _argument(e, node))
            elif keyword is not None:
                kwargs[keyword] = value
            else:
                args.append(value)
        if _is_exit(e.func, func, scope):
            raise _Raise()  # sys.exit(main()), exit(), quit(): the script stops here, once its arguments ran
        if isinstance(func, Builtin) and func.name == "super":
            return self.super_ref(tuple(args), scope.get("super()"), e)
        if isinstance(func, Builtin) and func.name in ("globals", "locals", "vars", "exec", "eval") and \
                (func.name in ("exec", "eval") or not args):
            return self.call_scope_builtin(func.name, tuple(args), kwargs, scope, e, open_kwargs)
        if site is None:
            return self.call(func, tuple(args), kwargs, e, open_kwargs)
        # What code of another file makes in this call is reported at this call, not at the last call among its
        # arguments (`agent.compile(Adam(lr=1e-3))`: not at `Adam(...)`), nor at a call of this file that code made
        # and that returned (`self._architecture()` of a subclass here, run by the base's `compile` there): the
        # innermost call of this file still running, as Keras's traceback shows it.
        self.site = site
        try:
            return self.call(func, tuple(args), kwargs, e, open_kwargs)
        finally:
            self.site = outer

    def dict_update(self, e: ast.Call, target: ast.AST, scope: Scope) -> Any:
        """``obj.__dict__.update(mapping)`` (or of keywords) on an instance of a plain class or of a subclassed
        model or layer of the file: each key becomes an attribute, as a plain assignment would make it, but
        without Keras's ``__setattr__``, so Keras tracks no layer it holds. Anything else: _NOT_DONE (read as
        any other call)."""
        obj = self.eval(target, scope)
        if not (isinstance(obj, plain.PlainObject) and obj.tainted is None or
                isinstance(obj, ModelBuilder) and obj.kind == "subclassed"):
            return _NOT_DONE
        args = [self.eval(a, scope) for a in e.args if type(a) is not ast.Starred]
        kwargs = {k.arg: self.eval(k.value, scope) for k in e.keywords if k.arg is not None}
        if len(args) + len(kwargs) != len(e.args) + len(e.keywords) or len(args) > 1:
            return _NOT_DONE
        items: Dict[str, Any] = {}
        if args:
            given = args[0]
            if not (isinstance(given, DictValue) and given.tainted is None and
                    all(isinstance(k, str) for k in given.items)):
                return _NOT_DONE
            items.update(given.items)
        items.update(kwargs)
        for key, value in items.items():
            if isinstance(obj, plain.PlainObject):
                self.set_plain_attribute(obj, key, value)
            else:
                self.set_untracked(obj, key, value, e)
        return None

    def call_scope_builtin(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], scope: Scope,
                           e: ast.Call, open_kwargs: Optional[Unknown]) -> Any:
        """``globals()``, ``locals()``, ``vars()``, ``exec(...)`` and ``eval(...)``: they read and write the
        names of a scope. A known text is run; anything else forgets every name it could reach."""
        if name in ("globals", "locals", "vars"):
            if name == "globals" or scope is scope.module:
                return GlobalsRef(scope.module)
            for holder, given in self.locals_given:
                if holder is scope and given.tainted is None:
                    # Python before 3.13 gives the same dict again, refreshed with the names bound since
                    given.tainted = self.unknown(f"`{name}()` ran again in the function (Python before 3.13 "
                                                 "refreshes the dict an earlier call gave)", e)
            parameters = self.parameters_of_call(scope, e)
            if parameters is not None:
                self.locals_given.append((scope, parameters))
                return parameters
            return self.unknown(f"`{name}()` of a function (writing to it changes nothing)", e)
        text = args[0] if args else None
        if isinstance(text, str) and len(args) == 1 and not kwargs and open_kwargs is None and \
                len(text) <= 100_000 and self.depth < self.limits.call_depth:
            try:
                code = _parse(text) if name == "exec" else _parse(text.strip(), "eval")
                self.positions.adopt(code, text if name == "exec" else text.strip())
            except (SyntaxError, RecursionError, ValueError, MemoryError):
                code = None
            if code is not None:
                self.depth += 1
                try:
                    if name == "eval":
                        return self.eval(code.body, scope)
                    self.exec_block(code.body, scope)
                    return None
                finally:
                    self.depth -= 1
        reason = self.unknown(f"may be changed by `{self.code(e)}` (code the analysis cannot read)", e)
        # An expression eval() runs can assign names only through `:=` or calls: that it defines the file's
        # functions and classes again is not expected, as for the modules (`eval(args.layers)` reads a list).
        self.forget_scope(scope, reason, _DEFINED if name == "eval" else ())
        return reason

    def parameters_of_call(self, scope: Scope, e: ast.Call) -> Optional[DictValue]:
        """``locals()`` (or ``vars()``) run by a function's own code before the function binds any name but its
        parameters (``return EfficientNetV2(model_type="b0", **locals(), **kwargs)``): a new dict of the
        parameters, in Python's order (positional ones, keyword-only ones, ``*args``, ``**kwargs``). Only for a
        function of a module's top level or a method of a class there that never names ``super`` or
        ``__class__``: such a function has no free variable, which Python's ``locals()`` would hold too. Else
        None (a local assigned already, a lambda's or comprehension's ``locals()``, a parameter ``del`` removed)."""
        if not self.function_nodes or scope.parent is not scope.module:
            return None
        node = self.function_nodes[-1]
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or e not in _own_scope_nodes(node):
            return None
        params = node.args
        names = [p.arg for p in (*params.posonlyargs, *params.args, *params.kwonlyargs)]
        names += [p.arg for p in (params.vararg, params.kwarg) if p is not None]
        if any(name not in scope.vars for name in names):
            return None
        for key, value in scope.vars.items():
            if key not in names and key != "super()" and not isinstance(value, Unbound):
                return None  # (another local is bound: where Python puts it among the items is not followed)
        items = {name: scope.vars[name] for name in names}
        if any(isinstance(value, Unbound) for value in items.values()):
            return None
        return DictValue(items)

    def forget_scope(self, scope: Scope, reason: Unknown, keep: Tuple[type, ...] = ()) -> None:
        """Code the analysis cannot see ran with access to ``scope`` and its module: every name they hold
        (but the modules they imported: code that rebinds ``keras`` is not expected; and the values of the
        types ``keep``, whose contents ``taint`` still forgets), every model built so far and every trainable
        flag may have changed."""
        holder: Optional[Scope] = scope
        while holder is not None:
            self.forget_names(holder, reason, keep)
            holder = holder.parent if holder.parent is not None else (
                scope.module if holder is not scope.module else None)
        for b in self.graph.models:
            self.taint(b, reason)
        self.graph.flags_not_followed(Unknown(f"trainable flags may be changed by code the analysis cannot read "
                                              f"({reason.reason})", reason.span))

    def forget_names(self, holder: Scope, reason: Unknown, keep: Tuple[type, ...] = ()) -> None:
        """Every name of ``holder`` (but imported modules, and values of the types ``keep``) is unknown; the
        containers they held too."""
        for key in list(holder.vars):
            value = holder.vars[key]
            if not key.startswith("__") and not isinstance(value, _IMPORTED):
                if not isinstance(value, GlobalsRef):
                    self.taint(value, reason)
                if not isinstance(value, keep):
                    holder.set(key, reason)

    def globals_method(self, ref: "GlobalsRef", name: str, args: Tuple[Any, ...], e: Any) -> Any:
        """``globals().update({...})``, ``.get(name)``, ``.setdefault(...)``; anything else forgets them."""
        if name == "get" and args and isinstance(args[0], str):
            value = ref.scope.vars.get(args[0], _MISSING)
            return (args[1] if len(args) > 1 else None) if value is _MISSING else value
        if name == "update" and len(args) == 1 and isinstance(args[0], DictValue) and args[0].tainted is None and \
                all(isinstance(k, str) for k in args[0].items):
            for key, value in args[0].items.items():
                ref.scope.set(key, value)
            return None
        if name in ("get", "keys", "values", "items", "copy", "__contains__", "__getitem__"):
            return self.unknown(f"`globals().{name}(...)`", e)  # a read
        reason = self.unknown(f"may be changed by `globals().{name}(...)`", e)
        self.forget_scope(ref.scope, reason)
        return reason

    def call(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
             open_kwargs: Optional[Unknown] = None) -> Any:
        if WholeChoice in map(type, args) or (kwargs and WholeChoice in map(type, kwargs.values())):  # (in C)
            # (a choice between whole numbers given to a function: what it makes of each is not followed)
            args = tuple(Unknown(a.reason, a.span) if type(a) is WholeChoice else a for a in args)
            kwargs = {k: Unknown(v.reason, v.span) if type(v) is WholeChoice else v for k, v in kwargs.items()}
        if isinstance(func, ModelChoice) or isinstance(func, BoundMethod) and isinstance(func.obj, ModelChoice):
            return self.call_model_choice(func, args, kwargs, e)
        kind = type(func)  # the usual kinds first (none of them is an instance of a class tested below)
        if open_kwargs is not None and _truncated(func, kind):
            return self.open_call(func, args, kwargs, e, open_kwargs)
        if kind is Builtin:
            return self.call_builtin(func.name, args, kwargs, e)
        if kind is ExternalRef:
            if func.path == "importlib.import_module":
                module = self.import_module_call(args, kwargs)  # (a module of the project named by a string)
                if module is not None:
                    return module
            made = self.namespace(func.path, args, kwargs, e, open_kwargs) if func.path in _NAMESPACES else None
            return made if made is not None else self.call_external(func, args, kwargs, e)
        if kind is Expr or kind is Unknown:
            return self.call_unknown(func, args, kwargs, e)
        if isinstance(func, Partial):
            merged = dict(func.kwargs)
            merged.update(kwargs)
            return self.call(func.func, func.args + args, merged, e, open_kwargs)
        if isinstance(func, KerasRef):
            made = self.call_keras(func, args, kwargs, e, open_kwargs)
            return callbacks.builtin(func, made)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, e, open_kwargs=open_kwargs)
        if isinstance(func, LambdaValue):
            return self.call_lambda(func, args, kwargs, e, open_kwargs)
        if isinstance(func, LayerObj):
            return self.call_layer(func, args, kwargs, e)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, e)
        if type(func) is frames.Series and func.method_of is not None:
            return self.call_method(BoundMethod(*func.method_of), args, kwargs, e)  # df.head(): a method
        if isinstance(func, Builtin):
            return self.call_builtin(func.name, args, kwargs, e)
        if isinstance(func, ExternalRef):
            return self.call_external(func, args, kwargs, e)
        if isinstance(func, ClassValue) and func.plain:
            return self.instantiate_plain(func, args, kwargs, e, open_kwargs)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, e, open_kwargs)
        if isinstance(func, ModelBuilder):
            func.add_run(e)  # model(x), on arrays or on tensors
        if isinstance(func, ModelBuilder) and func.kind == "subclassed":
            return self.call_subclassed(func, args, kwargs, e)
        if isinstance(func, ModelBuilder):
            inputs = args[0] if args else kwargs.get("inputs")
            if not has_tensor(inputs):  # (on arrays, or on what may be arrays)
                self.run_on_data(func, f"{self.code(e.func) if isinstance(e, ast.Call) else 'the model'}(…)", e)
            if len(args) == 1 and not kwargs and not has_tensor(inputs) and arrays._shape_of(inputs) is not None and \
                    (func.kind != "sequential" or func.input_layer is not None or func.implicit_input):
                # model(array) of a built model: Keras runs it at once, and gives an array of its output's shape
                made = self.predicted(func, "predict", (inputs,), {})
                if made is not None:
                    return made
            eager = None
            if (func.kind == "sequential" and func.input_layer is None and not func.implicit_input and func.layers
                    and func.built_on_data is None and func.unresolved is None and len(args) == 1
                    and arrays._shape_of(inputs) is not None):
                # model(array): Keras builds the Sequential on the array's shape (its batch size included, which no
                # weight depends on) and runs it eagerly: the result is arrays, not tensors
                eager = self.eager_inputs(inputs, e, func.span)
                if isinstance(eager, Tensor):
                    inputs = eager
            as_layer = self.graph.model_layer(func)
            raises = non_tensor_positional(self.graph.layer(as_layer.uid).name, args)
            out = self.apply_layer(as_layer, inputs, e, (("call_raises", raises),) if raises is not None else ())
            if (func.kind == "sequential" and func.input_layer is None and not func.implicit_input and raises is None
                    and func.layers and not isinstance(out, Unknown) and func.built_on_data is None):
                # Calling an unbuilt Sequential builds it: Keras makes an InputLayer and a Functional.
                func.built_by_node = self.graph.node_count() - 1
                func.implicit_input = True
                self.graph.record_build(new_input=True)
                self.trace_in_sequential(func, e)
                if isinstance(eager, Tensor):
                    return self.unknown(f"the values `{self.code(e.func) if isinstance(e, ast.Call) else 'the model'}"
                                        "` computes on arrays (the analysis follows the layers it builds, not its "
                                        "results)", e)
            elif (func.kind == "sequential" and func.input_layer is None and not func.implicit_input and func.layers
                    and func.built_by_node is None and func.built_on_data is None and raises is None):
                # Keras builds it on what it is given (or raises): not unbuilt, but on a shape the analysis does not know
                func.built_on_data = f"`{self.code(e.func) if isinstance(e, ast.Call) else 'the call'}(…)` builds " \
                    f"the model on something whose shape is not known ({out.reason})"
                self.graph.unknown_build()
            elif func.kind == "sequential" and func.input_layer is not None and not func.layers and raises is None \
                    and not func.names_built:
                # One that holds only its input: Keras's Sequential.build makes a Functional of it now (once)
                func.names_built = True
                if isinstance(out, Unknown):
                    self.graph.unknown_build()  # (built, or Keras raised before making its Functional)
                else:
                    self.graph.record_build()
            return out
        if isinstance(func, SetModel):
            callbacks.release(self, func.instance)  # (Keras's set_model sets its attributes: unknown from now on)
            if callbacks.keeps(func, args, kwargs):
                return None  # Keras's Callback.set_model: it stores the model
            return self.opaque_call(func.text, func.reason, args, kwargs, e)
        if isinstance(func, MetricClass):
            # (what it is given may be changed as by any class not run; the instance holds no layer and no weight of a
            # model)
            self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True)
            return MetricInstance(func.text, func.reason)
        if isinstance(func, CallbackClass):
            held = callbacks.given(func, args, kwargs)
            made = self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True)
            made = callbacks.instance(func, made, held)
            callbacks.create(self, func, made, args, kwargs, e)
            return made
        if isinstance(func, CachedFunction):
            func.calls += 1  # (never undone: after a rollback, a later call is still not followed)
            if func.calls > 1:
                self.not_run(func.func)
                return self.opaque_call(func.name, f"`{func.name}` is cached (functools.lru_cache): it may return an "
                                        "earlier call's result, which is not followed", args, kwargs, e)
            return self.call(func.func, args, kwargs, e, open_kwargs)
        if isinstance(func, DecoratedFunction):
            self.not_run(func.wrapped)
            return self.opaque_call(func.text, func.reason, args, kwargs, e, sets_trainable=func.sets_trainable)
        if isinstance(func, OpaqueCallable):
            return self.opaque_call(func.text, func.reason, args, kwargs, e, instantiate=True,
                                    sets_trainable=func.sets_trainable)
        if isinstance(func, External) and isinstance(e, ast.Call):
            chosen = _tuner_value(e, self.code(e.func), args, kwargs)  # hp = keras_tuner.HyperParameters()
            if chosen is not None:
                self.opaque_calls += 1
                return self.tuner_pick(str(chosen), e, args, kwargs)
            made = arrays.unseen_method(self, func, args, kwargs, e)  # x.reshape(n, 28, 28, 1) of np.load(...)
            if made is not arrays.NOT_MINE:
                return made
            # a method of something from code the analysis does not see (df.drop(...), parser.parse_args())
            made = self.opaque_call(self.code(e.func), func.reason, args, kwargs, e,
                                    session_run=_session_run(func, self.code(e.func)))
            if isinstance(made, External) and made.source is None and func.source is not None:
                made.source = func.source
            return made
        return self.call_unknown(func, args, kwargs, e)

    def open_call(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
                  open_kwargs: Unknown) -> Any:
        """A builtin, a library function or a method of a value given ``*x`` or ``**x`` the analysis does not know
        (``list(*groups)``, ``a.transpose(*axes)``): the arguments it gets are not known, so neither is what it
        gives, nor what it does to the object whose method it is; never a call on the arguments before the star
        alone (``list()`` is empty, ``a.transpose()`` reverses every axis)."""
        text = self.code(e.func) if isinstance(e, ast.Call) else "the call"
        obj = func.obj if isinstance(func, BoundMethod) else None
        if obj is not None and self.taints(obj) and getattr(func, "name", None) not in _READING_METHODS:
            self.taint(obj, open_kwargs)
        return self.opaque_call(text, open_kwargs.reason, args, kwargs, e)

    def call_model_choice(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST]) -> Any:
        """``model.fit(x, y)`` (``predict``, ``build``...) where ``model`` is one of the models of undecided ways
        (a ModelChoice): each model a way made gets the call, as it would when its way runs (a way whose call raises
        does not stop the others). A model that exists whichever way runs, and each model when the choice itself is
        called (``model(x)``), may or may not be built there, which is not followed: unknown, not unbuilt."""
        choice = func.obj if isinstance(func, BoundMethod) else func
        reason = Unknown(choice.reason, choice.span)
        dispatched = choice.options if isinstance(func, BoundMethod) else ()
        for option in dispatched:
            try:
                self.call(BoundMethod(option, func.name), args, kwargs, e)
            except _Raise:
                pass
        for option in (o for o in (*choice.options, *choice.others) if all(o is not d for d in dispatched)):
            call = self.code(e.func) if isinstance(e, ast.Call) else "the call"
            why = f"`{call}(…)` builds it if it is the model chosen there, which is not known ({choice.reason})"
            if option.kind == "sequential" and option.input_layer is None and option.built_by_node is None and \
                    not option.implicit_input and option.built_on_data is None:
                option.built_on_data = why
            elif option.kind == "subclassed" and option.call_nodes is None:
                self.taint(option, self.unknown(why, e))
                for held in option.attrs.values():  # (its call may build a Sequential it holds: not "unbuilt")
                    if isinstance(held, ModelBuilder) and held.kind == "sequential" and held.input_layer is None \
                            and held.layers and held.built_on_data is None:
                        held.built_on_data = why
        return reason

    def tuner_pick(self, name: str, e: ast.Call, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """The integer a tuner picks (``_tuner_value``), the symbol ``name``; or, in a run told which value that
        pick takes (kerascount/alternatives.py), that value, for every call of that name as in KerasTuner and
        Optuna. A pick whose few values are known is recorded for such runs."""
        told = self.forced.get(name)
        if type(told) is int:
            return told
        if name not in self.picks:  # (the first call of a name sets its values, as the tuner's first does)
            self.picks[name] = (self.span(e).line, _pick_values(e, args, kwargs))
        return self.made_symbol(name, _pick_origin(e), e)

    def call_unknown(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST]) -> Any:
        """A call of a value that is none of the callables the analysis follows (a symbol, an unknown)."""
        text = self.code(e.func) if isinstance(e, ast.Call) else "call"
        chosen = _tuner_value(e, text, args, kwargs)
        if chosen is not None:
            self.opaque_calls += 1  # a call into KerasTuner (it may raise, as any unseen code)
            return self.tuner_pick(str(chosen), e, args, kwargs)
        if isinstance(func, Expr) and text.endswith(".get") and 1 <= len(args) <= 2 and not kwargs and \
                type(args[0]) is str:
            # `config.get("units", 64)` of a settings dict that is a symbol (a parameter nothing gives): a value of
            # it, as `config["units"]` is
            names = symbol_names(func)
            settings = names[0][:-len(".get")] if len(names) == 1 and names[0].endswith(".get") else None
            if settings is not None and self.from_parameter(settings):  # (os.environ.get is a process input's)
                return self.derived_symbol(self.code(e), e, symbol(settings))
        reason = func.reason if isinstance(func, Unknown) else \
            self.origin_reason(text, func) or _tuner_reason(e, text, args, kwargs) or \
            (sources.GYM_UNKNOWN.format(text) if text in sources.GYM_MAKE else
             f"`{text}` is not analysed" if self.of_outside_module(e) else f"`{text}` is not defined in this file")
        if _session_run(func, text):
            return self.opaque_call(text, reason, args, kwargs, e, session_run=True)
        return self.opaque_call(text, reason, args, kwargs, e, instantiate=True)

    def of_outside_module(self, e: Any) -> bool:
        """Is ``e`` a call of an attribute of a module from outside the analysed code (``os.cpu_count()``,
        ``random.choice(...)``): a function that exists, which the analysis does not follow?"""
        root = e.func if isinstance(e, ast.Call) else None
        while type(root) is ast.Attribute:
            root = root.value
        return type(root) is ast.Name and root is not (e.func if isinstance(e, ast.Call) else None) and \
            self.stmt_scope is not None and isinstance(self.stmt_scope.get(root.id), ExternalRef)

    def from_parameter(self, name: str, depth: int = 0) -> bool:
        """Is the symbol ``name`` a parameter nothing gives, or computed from such parameters only
        (``hyper_parameters['model']``)?"""
        held = self.symbol_origins.get((name, self.uncalled))
        if held is None or depth > 4:
            return False
        if held[0].startswith("a parameter of "):
            return True
        if not held[0].startswith("computed from `"):
            return False
        made = held[0][len("computed from "):].split(", ")
        return all(m.startswith("`") and m.endswith("`") and self.from_parameter(m[1:-1], depth + 1) for m in made)

    def opaque_call(self, text: str, reason: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                    e: Optional[ast.AST], instantiate: bool = False, sets_trainable: bool = False,
                    session_run: bool = False) -> Any:
        """A call the analysis cannot see into. On tensors it becomes an unknown layer node, but for TensorFlow 1's
        ``sess.run(fetches, feed_dict=...)`` (``session_run``), which evaluates them (a training loop's step): a layer
        made at each step would keep a long loop from being given up, and the analysis would stop at its limits.

        A model or layer given to it keeps what is known about it (``plot_model(model)``,
        ``check(model)``): only operations known to change a model change it. A function whose
        name says it sets trainable flags (``freeze(base)``) leaves the trainable split unknown, and
        one whose name says it may grow a Sequential (``add_block(model, 64)``) leaves it unknown. So does a class
        of the analysed code that is not run and sets a ``trainable`` flag (``sets_trainable``): a class whose base
        class is not known, whose methods freeze the layers of the model they are given.
        """
        self.opaque_calls += 1
        # The lists of tensors it is given, as they are now (`UnknownLayer(...)([x, edges])`): the call's node reads
        # those, though the lists themselves are forgotten below (the code not seen may change them)
        given = tuple(_as_given(a) for a in args)
        given_kwargs = {k: _as_given(v) for k, v in kwargs.items()}
        if self.callback_instances:
            # (what it is given may reach a callback instance, which it may change; and a model's fit run there
            # runs the hooks of the callbacks it holds)
            if text.rsplit(".", 1)[-1] in _RUNS_CALLBACKS:
                callbacks.release_all(self)
            for v in (*args, *kwargs.values()):
                callbacks.release(self, v)
        freezes = f"`{text}` is not followed and sets trainable flags ({reason})" if sets_trainable else \
            f"`{text}` may change trainable flags" if _SETS_TRAINABLE.search(text) else None
        for v in (*args, *kwargs.values()):
            if freezes is not None and isinstance(v, ModelChoice) and any(
                    isinstance(m, (ModelBuilder, LayerObj)) for m in (*v.options, *v.others)):
                # (one of several models, by a condition not decided: `model.model if hasattr(model, "model") else
                # model`)
                self.graph.flags_not_followed(self.unknown(freezes, e))
            if isinstance(v, (ModelBuilder, LayerObj)):
                if freezes is not None:
                    self.graph.flags_not_followed(self.unknown(freezes, e))
                if not (isinstance(v, ModelBuilder) and v.kind == "sequential" and
                        _may_grow(text.rsplit(".", 1)[-1])):
                    if isinstance(v, ModelBuilder) and not text.startswith("keras.") and _not_built(v):
                        # a model not built yet, given to code not followed (`tf.function(net)`, a trainer): that
                        # code may call it on data, which builds it (unless the analysed code builds it later)
                        v.built_on_data = f"passed to `{text}`, which may build it on data whose shape is not known"
                    continue
            if self.taints(v) and text not in _READS_ONLY:
                self.taint(v, self.unknown(f"passed to `{text}`", e))
            for item in (v, *((self.iterate(v) or ()) if isinstance(v, (tuple, ListValue)) else ())):
                if isinstance(item, (Function, LambdaValue)):  # (what ``escaped`` reads: no call for the others)
                    self.escaped(item, e)
                    for held in (() if text.startswith("keras.") else _unbuilt_models_used(item, 0, set())):
                        # `timeit.timeit(lambda: net(x))`: the function may run, and calling the model builds it
                        held.built_on_data = f"a function passed to `{text}` may build it, on data whose shape " \
                            "is not known"
                elif isinstance(item, GeneratorValue) and not item.ran:
                    self.escaped(item.fn, e)  # (what iterates it runs its body)
        if self.writers:
            self.forget_writes()
        tensors = [a for a in given if has_tensor(a)]
        by_keyword = not tensors and "inputs" in kwargs and "outputs" not in kwargs and \
            has_tensor(given_kwargs["inputs"])
        if by_keyword:
            # `TransformerEncoder(...)(inputs=x)`: Layer.__call__'s first parameter (not `Model(inputs=, outputs=)`,
            # nor an application's `input_tensor=`, which make models)
            tensors = [given_kwargs["inputs"]]
        if tensors and not session_run:
            layer = self.new_layer(text, (), {}, e, opaque=True)
            if reason.startswith((f"`{text}` is imported from ", f"`{text}` is read from `")):  # say why the layer is not analysed
                self.graph.update_layer(layer.uid, why=reason)
            elif reason.startswith("depends on the condition "):  # a class chosen by a condition not decided
                self.graph.update_layer(layer.uid, why=f"`{text}` {reason}")
            elif reason.startswith(UNKNOWN_BASE.format(text.rsplit(".", 1)[-1])):
                self.graph.update_layer(layer.uid, why=reason)  # (whether it is a layer at all is not known)
            elif text.startswith("tensorflow.") and self.graph.tracing is None:
                # A TensorFlow function on a KerasTensor of a functional model (not in a layer's call, where the
                # TensorFlow backend traces it): Keras 3 raises in KerasTensor.__tf_tensor__.
                self.graph.update_layer(layer.uid, why=(
                    f"`{text}`: Keras 3 rejects a TensorFlow function called on a Keras tensor (\"A KerasTensor cannot "
                    "be used as input to a TensorFlow function\"); wrap it in a layer or use keras.ops"))
            # Every tensor it is given is a parent in the graph (CTCLayer()(labels, x)), as in Keras's node.
            graph = tuple(t.ref for v in (*given, *(given_kwargs[k] for k in sorted(kwargs))) for t in tensors_in(v))
            return self.apply_layer(layer, tensors[0] if by_keyword or not given else given[0], e, graph_inputs=graph)
        if instantiate:
            return OpaqueCallable(text, reason)
        source = self.code(e) if isinstance(e, ast.Call) else text
        if text in _FRESH_MODELS:
            copy = self.fresh_model(text, args, kwargs, e, self.may_make_layers_on_load(kwargs.get("custom_objects")))
            if copy is not None:
                return copy
        if text in _KERAS_OBJECT_CLASSES:
            table = _constant_table(text, args, kwargs)
            made = ConstantOfArray(f"result of `{text}` ({reason})", self.span(e) if e is not None else None,
                                   table) if table is not None else \
                External(f"result of `{text}` ({reason})", self.span(e) if e is not None else None, source, "",
                         made=(text, self.span(e) if e is not None else None))
            self.keras_instances[id(made)] = made
            return made
        role = "args" if isinstance(e, ast.Call) and self.code(e.func).endswith((".parse_args", ".parse_known_args")) \
            else "foreign" if text in _FRESH_MODELS else "backend" if text in _BACKEND_NAME and not args and \
            not kwargs else ""
        imported = _imported_source(OpaqueCallable(text, reason)) or (
            f"what `{text}(...)` returns: a model read from a file or a saved description, whose layers are not in "
            "the source" if text in _FRESH_MODELS and text != "keras.models.clone_model" else None) or (
            f"what `{text}(...)` returns: {reason}" if text.startswith("numpy.") and reason == f"`{text}` is not analysed"
            else None)  # np.insert(...): NumPy's values are not followed
        return External(f"result of `{text}` ({reason})", self.span(e) if e is not None else None, source, role,
                        made=(text, self.span(e) if e is not None else None), source=imported)

    def may_make_layers_on_load(self, custom_objects: Any) -> bool:
        """Whether a class ``custom_objects=`` gives ``load_model`` may make layers when Keras makes it again (a
        layer or model class of the analysed code, a metric, a class not followed, anything not known): False for
        functions, plain classes and subclasses of a Keras ``Loss`` (``class HuberLoss(keras.losses.Loss)``)."""
        if not isinstance(custom_objects, DictValue):  # (its taint, "passed to load_model", is what the call may do)
            return custom_objects is not None
        for v in custom_objects.items.values():
            if isinstance(v, (Function, LambdaValue, Partial, MetricClass)) or \
                    isinstance(v, ClassValue) and v.plain == "plain":
                continue  # (a metric or loss class of the file whose body makes no layer: MetricClass)
            written = self.class_bases.get(v.text) if type(v) is OpaqueCallable else None
            if not written or not all(b == "Loss" or b.endswith(".losses.Loss") for b in written):
                return True
        return False

    @staticmethod
    def unseen(text: str, base: Any) -> str:
        """"`text` comes from code the analysis does not see", with where that code is imported from when ``base``
        (what it is read from) knows it."""
        source = base.source if isinstance(base, External) else _imported_source(base)
        return f"`{text}` comes from code the analysis does not see" + (f" ({source})" if source else "")

    def external_attribute(self, base: Any, attr: str, e: ast.AST) -> Any:
        """An attribute of something from code the analysis does not see; ``args.units`` of
        ``parser.parse_args()`` is a symbol (a command-line setting)."""
        text = self.code(e)
        if isinstance(base, External) and base.role == "args":
            return self.made_symbol(text, "an argparse command-line argument",
                                    base.made[1] if base.made is not None and base.made[1] is not None else e)
        held = callbacks.read(base, attr)
        if held is not callbacks.NOT_FOUND:
            return held
        method = callbacks.attribute(base, attr, text) or callbacks.method(base, attr, self.module)
        if method is not None:
            return method
        if isinstance(base, CallbackInstance):
            # Keras's own members (set_params, its hooks...) or anything else not followed: called, it may set
            # the instance's attributes
            callbacks.release(self, base)
        if isinstance(base, External) and base.role == "foreign" and attr == "layers":
            # The layers of a model made outside the analysed code: none is a layer the analysis knows.
            return External(self.unseen(text, base), self.span(e), text, "foreign", source=base.source)
        return External(self.unseen(text, base), self.span(e), text,
                        "shape" if attr == "shape" else "", made=base.made if isinstance(base, External) else None,
                        source=base.source if isinstance(base, External) else _imported_source(base))

    def call_function(self, fn: Function, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
                      defaults_run: bool = False, open_kwargs: Optional[Unknown] = None,
                      generator_run: bool = False) -> Any:
        if not generator_run:
            fn.calls += 1
            if not defaults_run and _is_generator(fn.node):
                return GeneratorValue(fn, args, dict(kwargs), e, open_kwargs, depth=self.undecided)  # (run later)
        if self.depth >= self.limits.call_depth:
            if self.may_make_layers(fn):
                self.graph.names_unknown = True  # (the layers the call makes are not counted: nor their names)
            return self.unknown(f"calls nested deeper than {self.limits.call_depth} (recursion?)", e)
        if open_kwargs is None and not defaults_run and fn.node.name != "__post_init__":
            # (in a builder nothing calls, run on its defaults, a `*args`/`**kwargs` passed on is empty: only
            # the arguments it gives itself are checked then; a dataclass's __post_init__ is given its InitVar
            # fields, which the analysis does not pass)
            wrong = _signature_error(fn, args, kwargs, missing=self.uncalled is None)
            if wrong is not None:
                # Python raises TypeError before the body runs (Keras's Layer.__call__ too: its CallSpec binds the
                # arguments to `call`'s signature)
                return self.call_rejected(wrong, e, fn.scope.module is self.main_scope)
        scope = Scope(fn.scope)
        unbound = unbound_locals(fn.node)
        if unbound:
            scope.vars.update(unbound)  # (its own names from the start: reading one before it is assigned raises)
        declared = _declared(fn.node)
        if declared.globals or declared.nonlocals:
            scope.redirect = self.redirects(fn, declared)
        self.bind_parameters(fn.node.args, fn.defaults, args, kwargs, scope, e, open_kwargs,
                             self.parameter_value if defaults_run else None)
        if fn.owner is not None and args:
            # What a bare super() means in this method (Python's __class__ cell and first argument).
            scope.set("super()", SuperRef(fn.owner, args[0]))
        self.depth += 1
        self.function_nodes.append(fn.node)
        try:
            self.exec_block(fn.node.body, scope)
        except _Return as r:
            if generator_run:
                return None  # (a generator's return value ends its iteration: StopIteration's value)
            if isinstance(r.value, ModelBuilder) and r.value.name is None:
                r.value.name = fn.name
            return r.value
        except _Raise as r:
            if (self.guarded or type(r) is _Stop) and not defaults_run:
                raise  # inside a `try` with handlers: the exception reaches them (and nothing catches a _Stop)
            return self.unknown(f"{fn.name}() raises" + (f" {r.name}: {r.why}" if r.why else ""), e)
        except (_Break, _Continue):
            return None
        except _Uncertain as u:
            return u.reason
        finally:
            self.depth -= 1
            self.function_nodes.pop()
        return None

    def call_rejected(self, reason: str, e: Optional[ast.AST], local: bool) -> Any:
        """A call of a function of the analysed code that its signature rejects: Python raises TypeError (rule
        KC115 where the line runs for certain: not under a ``try`` that handles it, not in a function nothing
        calls, and only for a function the file itself defines: one of another module of the project may be a
        namesake of the one Python imports, so its result is only unknown)."""
        if e is None:
            return self.python_error("TypeError", reason, e)
        return self.python_error_noted("KC115", "TypeError", reason, e, certain=local)

    def run_generator(self, gen: GeneratorValue, names_known: bool = True) -> None:
        """Run a generator's body to its end (the first time something iterates it): ``gen.items`` is what it
        yields, unless the body went through code the analysis does not follow (a loop over what is not known, a
        condition it cannot decide, a raise): then ``gen.tainted`` says why. ``names_known`` False: what iterates
        it runs code between its items (a ``for`` loop), so the automatic names of the layers its body makes are
        not known, nor, after it, those of their classes (Keras numbers each class's layers in the order made)."""
        if gen.ran:
            return
        gen.ran = True
        collected: List[Any] = []
        self.yielded.append(collected)
        havocs, forks = self.havocs, self.forks
        graph = self.graph
        counts, unknown_names = dict(graph.name_counts), graph.names_unknown
        if not names_known:
            graph.names_unknown = True
        try:
            result = self.call_function(gen.fn, gen.args, dict(gen.kwargs), gen.call, open_kwargs=gen.open_kwargs,
                                        generator_run=True)
        finally:
            self.yielded.pop()
            if not names_known:
                graph.names_unknown = unknown_names or self.havocs != havocs  # (havoc could not say so)
                graph.uncertain_names.update(p for p, n in graph.name_counts.items() if counts.get(p, 0) != n)
        name = f"`{gen.fn.name}()`"
        if isinstance(result, Unknown):
            gen.tainted = result
        elif self.havocs != havocs or self.forks != forks:
            gen.tainted = self.unknown(f"what the generator {name} yields is not known (its body goes through code "
                                       "the analysis does not follow)", gen.call)
        elif len(collected) > self.limits.sequence_length:
            gen.tainted = self.unknown(f"the generator {name} yields too many items to follow", gen.call)
        else:
            gen.items = collected

    def next_of_generator(self, gen: GeneratorValue, default: Tuple[Any, ...], e: Any) -> Any:
        """``next(gen)`` of a generator of the file: its first item not yet taken. Python runs the body only up to
        that item; the analysis runs it to its end at the first ``next``. That is what Python gives when the body
        reads nothing but its own names and arguments of plain values and changes nothing outside it
        (``_self_contained``); otherwise what the body changes outside it is forgotten, its later items are
        unknown (the code between the ``next`` calls may change what they read), and so are the automatic names
        of layers it makes."""
        if not gen.ran and self.undecided > gen.depth or gen.ran and self.undecided and not gen.consumed:
            reason = self.unknown(f"`next()` of the generator `{gen.fn.name}()` under a condition the analysis "
                                  "cannot decide", e)
            object.__setattr__(gen, "tainted", gen.tainted or reason)
            return reason
        contained = _self_contained(gen)
        if not gen.ran:
            self.run_generator(gen, names_known=contained or not self.may_make_layers(gen.fn))
            if not contained:
                self.forget_effects(gen.fn, (*gen.args, *gen.kwargs.values()), self.unknown(
                    f"may be changed by the generator `{gen.fn.name}()`, which Python runs a step at a time (its "
                    "steps after the first `next()` are not followed)", e))
        if gen.tainted is not None:
            return gen.tainted
        if gen.consumed or not gen.items:
            if default:
                return default[0]
            return self.python_error("StopIteration", f"`next()` of the generator `{gen.fn.name}()` when it has "
                                                      "nothing more to give", e)
        first = gen.items[0]
        if contained:
            gen.items = gen.items[1:]
        else:
            gen.items = []
            object.__setattr__(gen, "tainted", self.unknown(
                f"the items of the generator `{gen.fn.name}()` after the first `next()` are not followed", e))
        return first

    def not_run(self, fn: Any, surely: bool = False) -> None:
        """A call of ``fn`` (a function of the file) that the analysis does not run, though Python may: if its body
        may make layers, the automatic names of the layers made after it are not known. ``surely``: only where
        its body is seen to make one (not where it merely calls what the analysis cannot name)."""
        if not isinstance(fn, (Function, LambdaValue)):
            return
        prefixes: set = set()
        followed = self.layers_made_by(None, fn, prefixes)
        if prefixes or not followed and not surely:
            self.graph.names_unknown = True

    def may_make_layers(self, fn: Function) -> bool:
        """Whether ``fn``'s body may make a layer (whose automatic name depends on when it is made)."""
        prefixes: set = set()
        return not self.layers_made_by(None, fn, prefixes) or bool(prefixes)

    def forget_effects(self, fn: Any, args: Tuple[Any, ...], reason: Unknown) -> None:
        """What a run of ``fn`` could change outside it (the names it assigns through ``global``/``nonlocal``, what it
        changes in place of its globals, defaults and arguments) is unknown from now on."""
        for written, target in self.outside_writes(fn, 0, set()).items():
            target.set(written, reason)
        for held in (*self.outside_mutations(fn, 0, set()), *self.mutated_defaults(fn, 0, set()), *args):
            if type(held) not in self.INERT:
                self.taint(held, reason)

    def eval_Yield(self, e: ast.Yield, scope: Scope) -> Any:
        value = self.eval(e.value, scope) if e.value is not None else None
        if self.yielded:
            self.yielded[-1].append(value)
        return self.unknown("what is sent into a generator (`send`) is not followed", e)

    def eval_YieldFrom(self, e: ast.YieldFrom, scope: Scope) -> Any:
        items = self.iterate(self.eval(e.value, scope))
        if self.yielded:
            if items is None:
                self.havocs += 1  # (what it yields is not known)
            else:
                self.yielded[-1].extend(items)
        return self.unknown("what `yield from` gives is not followed", e)

    def bind_parameters(self, params: ast.arguments, defaults: Dict[str, Any], args: Tuple[Any, ...],
                        kwargs: Dict[str, Any], scope: Scope, e: Optional[ast.AST], open_kwargs: Optional[Unknown],
                        missing: Any = None) -> None:
        """Sets the parameters of a function or lambda in ``scope`` from a call's arguments (``kwargs`` is
        consumed): positional ones, ``*args`` (a tuple of the rest), keyword-only ones and ``**kwargs`` (a dict of
        the rest). A parameter the call does not give takes its default, else the unknown ``open_kwargs`` (a
        ``**d`` not known may hold it), else ``missing(p)`` (a builder nothing calls) or a symbol named after it."""
        positional = [*params.posonlyargs, *params.args]
        for i, p in enumerate(positional):
            name = p.arg
            if i < len(args):
                scope.set(name, args[i])
            elif name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif open_kwargs is not None:
                scope.set(name, open_kwargs)
            elif name in defaults:
                scope.set(name, defaults[name])
            else:
                scope.set(name, missing(p) if missing is not None else
                          self.made_symbol(name, "a parameter the call does not give", p))
        if params.vararg is not None:
            rest = tuple(args[len(positional):])
            scope.set(params.vararg.arg, self.unknown("arguments too large to follow", e)
                      if self.too_large(rest) else rest)
        for p in params.kwonlyargs:
            name = p.arg
            if name in kwargs:
                scope.set(name, kwargs.pop(name))
            elif name in defaults:
                scope.set(name, defaults[name])
            else:
                scope.set(name, missing(p) if missing is not None else
                          self.made_symbol(name, "a parameter the call does not give", p))
        if params.kwarg is not None:
            if open_kwargs is None and self.too_large(tuple(kwargs.values())):
                open_kwargs = self.unknown("arguments too large to follow", e)
            scope.set(params.kwarg.arg,
                      DictValue(dict(kwargs), open_kwargs) if open_kwargs is None else DictValue({}, open_kwargs))

    def redirects(self, fn: Function, declared: Any) -> Dict[str, Scope]:
        """Where a function's ``global`` and ``nonlocal`` names live: its module, or the enclosing call."""
        out = {name: fn.scope.module for name in declared.globals}
        for name in declared.nonlocals:
            holder = fn.scope
            while holder.parent is not None and name not in holder.vars:
                holder = holder.parent
            out[name] = holder if holder.parent is not None else fn.scope
        return out

    def escaped(self, fn: Any, e: Optional[ast.AST]) -> None:
        """A function or lambda that assigns ``global``/``nonlocal`` names (itself or through functions it
        calls) went where the analysis cannot follow it (a callback, an unknown call): from now on, any call
        the analysis cannot see may run it, so those names are unknown after each such call."""
        if not isinstance(fn, (Function, LambdaValue)):
            return
        targets = self.outside_writes(fn, 0, set())
        if targets:
            what = f"`{fn.name}()`" if isinstance(fn, Function) else "a lambda"
            reason = self.unknown(f"may be changed by {what} (passed to code the analysis does not follow)", e)
            self.writers.append((targets, reason))
            self.forget_writes()

    def outside_writes(self, fn: Any, depth: int, seen: set) -> Dict[str, Scope]:
        """The ``global``/``nonlocal`` names ``fn`` or the functions it calls by name may assign."""
        if id(fn) in seen or depth > 6:
            return {}
        seen.add(id(fn))
        out: Dict[str, Scope] = {}
        if isinstance(fn, Function):
            declared = _declared(fn.node)
            if declared.globals or declared.nonlocals:
                out.update(self.redirects(fn, declared))
        for callee in _called_names(fn.node.body):
            value = fn.scope.get(callee)
            if isinstance(value, (Function, LambdaValue)):
                out.update(self.outside_writes(value, depth + 1, seen))
        for callee in self.module_functions(fn):
            out.update(self.outside_writes(callee, depth + 1, seen))
        return out

    def module_functions(self, fn: Any) -> List[Any]:
        """The functions of project modules ``fn`` calls through the names it imports them as (``ext.load(p)``), where
        that is all it may change of those modules (``module_calls``; a module it may change otherwise is
        forgotten whole by ``outside_mutations``)."""
        body, names, _ = _per_node("outside_names", fn.node, _outside_names)
        out: List[Any] = []
        for name in names:
            value = fn.scope.get(name)
            if type(value) is ModuleRef:
                out += self.module_calls(body, name, value) or ()
        return out

    def outside_mutations(self, fn: Any, depth: int, seen: set) -> List[Any]:
        """The values of names from outside ``fn`` (globals, closures) that ``fn`` or the functions it calls
        by name may change in place (``made.append(i)``, ``self.cache[k] = v``)."""
        if id(fn) in seen or depth > 6:
            return []
        seen.add(id(fn))
        body, names, callees = _per_node("outside_names", fn.node, _outside_names)
        out = []
        for name in names:
            value = fn.scope.get(name)
            if type(value) is ModuleRef:
                called = self.module_calls(body, name, value)
                if called is not None:
                    # (`main.np.zeros(n)`, `ext.load(p)`: the module's names stay; what its functions change is
                    # found as for the functions called by name)
                    for callee in called:
                        out += self.outside_mutations(callee, depth + 1, seen)
                    continue
            if not (isinstance(value, ModelBuilder) and self.only_reads_model(body, name, value, fn.scope, 0)):
                out.append(value)  # (a built model it only runs or reads is left as it is)
        for callee in callees:
            value = fn.scope.get(callee)
            if isinstance(value, (Function, LambdaValue)):
                out += self.outside_mutations(value, depth + 1, seen)
        return out

    def forget_writes(self) -> None:
        for targets, reason in self.writers:
            for name, target in targets.items():
                target.set(name, reason)

    def call_lambda(self, fn: LambdaValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                    open_kwargs: Optional[Unknown] = None) -> Any:
        scope = Scope(fn.scope)
        # (``lambda *a, **kw: g(f(*a, **kw))`` as functools.reduce composes functions)
        self.bind_parameters(fn.node.args, fn.defaults, args, dict(kwargs), scope, e, open_kwargs)
        return self.eval(fn.node.body, scope)


def _as_given(value: Any) -> Any:
    """A list of tensors as it is at a call (a copy of its items), which code not followed may change after."""
    if isinstance(value, ListValue) and value.tainted is None and has_tensor(value):
        return ListValue(list(value.items))
    return value


def _not_built(b: ModelBuilder) -> bool:
    """A Sequential without its input shape or a subclassed model never called nor built: calling it builds it."""
    if b.unresolved is not None or b.build_shape is not None or b.explicit_build or b.built_unseen or \
            b.built_on_data is not None:
        return False
    if b.kind == "sequential":
        return b.input_layer is None and b.built_by_node is None
    return b.kind == "subclassed" and b.call_nodes is None


def _unbuilt_models_used(fn: Any, depth: int, seen: set) -> List[ModelBuilder]:
    """The models not built yet that a function or lambda (or one it calls by name) names from outside it: run,
    it may call them (or their ``fit``), which builds them."""
    if not isinstance(fn, (Function, LambdaValue)) or id(fn) in seen or depth > 6:
        return []
    seen.add(id(fn))
    def outside(node: Any) -> List[str]:  # the names it reads that are not its own (parameters, assigned names)
        body = [node.body] if isinstance(node, ast.Lambda) else node.body
        args = node.args
        local = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        local |= {a.arg for a in (args.vararg, args.kwarg) if a is not None} | _collect(body).assigned
        return sorted({n.id for b in body for n in ast.walk(b) if type(n) is ast.Name and type(n.ctx) is ast.Load}
                      - local)

    named = _per_node("outside_loaded_names", fn.node, outside)
    out: List[ModelBuilder] = []
    for name in named:
        value = fn.scope.get(name)
        if isinstance(value, ModelBuilder) and _not_built(value):
            out.append(value)
        elif isinstance(value, (Function, LambdaValue)):
            out += _unbuilt_models_used(value, depth + 1, seen)
    return out


_NOT_DONE = object()  # (dict_update: not a case it reads)


def _signature_error(fn: Function, args: Tuple[Any, ...], kwargs: Dict[str, Any], missing: bool = True) -> Optional[str]:
    """Why Python's binding of ``args`` and ``kwargs`` to ``fn``'s parameters raises TypeError (too many
    positional arguments, a keyword no parameter takes, a parameter given twice or, if ``missing``, not at all),
    else None.
    A layer's ``call`` may be given ``training`` and ``mask`` it does not take: Keras's ``__call__`` (3 and 2)
    takes them away or passes them only where ``call`` has them."""
    params = fn.node.args
    positional = [*params.posonlyargs, *params.args]
    bound = fn.owner is not None and fn.kind != "static"  # (self or cls: not counted in the message)
    name = f"`{fn.name}()`"
    if params.vararg is None and len(args) > len(positional):
        if bound and not positional:  # (``def build_model():`` in a class, called as ``self.build_model()``)
            return (f"{name} has no parameter for the {'class' if fn.kind == 'class' else 'instance'} it is called "
                    f"on (`{'cls' if fn.kind == 'class' else 'self'}`): Python raises TypeError")
        taken, given = len(positional) - bound, len(args) - bound
        return (f"{name} takes {taken} positional argument{'' if taken == 1 else 's'} but is given {given}: "
                "Python raises TypeError")
    names = {p.arg for p in (*params.args, *params.kwonlyargs)}
    filled = {p.arg for p in positional[:len(args)]}
    for key in kwargs:
        if key in filled and key in names:
            return f"{name} is given `{key}` by position and by keyword: Python raises TypeError"
        if key not in names and params.kwarg is None and not (fn.node.name == "call" and key in ("training", "mask")):
            return f"{name} has no parameter `{key}`: Python raises TypeError"
    absent = [p.arg for p in (*positional[len(args):], *params.kwonlyargs)
              if p.arg not in kwargs and p.arg not in fn.defaults] if missing else []
    if absent:
        return (f"{name} is not given {', '.join(f'`{m}`' for m in absent)}, which "
                f"{'has' if len(absent) == 1 else 'have'} no default: Python raises TypeError")
    return None


#: Builtins a generator's body may call and stay self-contained.
_CONTAINED_CALLS = frozenset({"len", "int", "float", "str", "bool", "abs", "round", "min", "max", "sum", "range",
                              "tuple", "list", "enumerate", "zip", "sorted", "reversed", "divmod", "pow", "isinstance"})


def _self_contained(gen: GeneratorValue) -> bool:
    """Whether running ``gen``'s body earlier than Python does changes nothing the program sees: its arguments are
    plain values (numbers, strings, tuples of them), and its body declares no ``global``/``nonlocal``, assigns no
    attribute or item, calls only builtins that change nothing, and reads no name but its own (parameters and
    locals) and builtins."""
    if not all(_plain_value(v) for v in (*gen.args, *gen.kwargs.values())) or gen.open_kwargs is not None:
        return False
    node = gen.fn.node
    own = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
    own |= {a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None}
    for n in ast_walk(node):
        if n is not node and type(n) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            return False
        if type(n) is ast.Name and type(n.ctx) is ast.Store:
            own.add(n.id)
    for n in ast_walk(node):
        t = type(n)
        if t in (ast.Global, ast.Nonlocal, ast.NamedExpr, ast.Await, ast.Delete):
            return False
        if t in (ast.Attribute, ast.Subscript) and type(n.ctx) is not ast.Load:
            return False
        if t is ast.Call and not (type(n.func) is ast.Name and n.func.id in _CONTAINED_CALLS and n.func.id not in own):
            return False
        if t is ast.Name and type(n.ctx) is ast.Load and n.id not in own and n.id not in _CONTAINED_CALLS and \
                n.id not in ("True", "False", "None"):
            return False
    return True


def _plain_value(v: Any, depth: int = 0) -> bool:
    if v is None or type(v) in (int, float, str, bool):
        return True
    return type(v) is tuple and depth < 4 and all(_plain_value(x, depth + 1) for x in v)


_NESTED_SCOPES = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ListComp, ast.SetComp,
                  ast.DictComp, ast.GeneratorExp)


def _own_scope_nodes(fn: ast.AST) -> frozenset:
    """The nodes of a function's body that run in its own scope (not in a nested function, lambda, class or
    comprehension), or an empty set when the function names ``super`` or ``__class__`` anywhere (Python then
    gives it a ``__class__`` cell, which its ``locals()`` holds)."""
    def make(node: ast.AST) -> frozenset:
        if any(isinstance(n, ast.Name) and n.id in ("super", "__class__") for n in ast.walk(node)):
            return frozenset()
        found: List[ast.AST] = []
        stack = [n for n in node.body if not isinstance(n, _NESTED_SCOPES)]
        while stack:
            n = stack.pop()
            found.append(n)
            stack.extend(c for c in ast.iter_child_nodes(n) if not isinstance(c, _NESTED_SCOPES))
        return frozenset(found)

    return _per_node("own_scope_nodes", fn, make)


def _constant_table(text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Tuple[Any, ...]]:
    """The shape of the NumPy array ``keras.initializers.Constant(array)`` is given (its sizes as the analysis knows
    them, None where not known), or None: another call, or a value that is no array of a known rank."""
    if text not in ("keras.initializers.Constant", "keras.initializers.constant") or len(args) + len(kwargs) != 1:
        return None
    value = args[0] if args else kwargs.get("value")
    if not isinstance(value, arrays.ArrayValue) or value.tainted is not None or value.ragged or value.sparse:
        return None
    return tuple(d if isinstance(d, (int, Expr)) else None for d in value.shape)
