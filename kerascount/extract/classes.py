"""Subclassed models: ``class Net(keras.Model)`` with layers made in ``__init__`` and wired in ``call``.

Instantiating the class runs its ``__init__`` with ``self`` bound to a model builder of kind
``subclassed``: ``super().__init__()`` names and registers the model (when Keras does), and each
layer assigned to an attribute (alone, or in a list, tuple or dict) is tracked in the order Keras
tracks it; that order is ``model.layers``. Calling the model on a tensor the first time runs
``call`` on it, which builds the layers as Keras's own trace of ``call`` does. ``model.build()``
only marks a subclassed model built: Keras's default ``build`` does not build its layers. A class's
own ``build(self, input_shape)`` runs before the first call on the shape of its first input (``model_build``),
and the layers and ``add_weight`` weights it makes are the model's.
Weights ``__init__`` makes with ``add_weight`` (after ``super().__init__()``) are the model's too. Anything else
the analysis cannot follow (``model.build()`` on a class with its own ``build``, weights made with ``add_weight`` in
``call``, an attribute holding an unknown value) leaves the model unresolved with the reason.

A custom layer (``class Block(keras.layers.Layer)``) is a model builder of the same kind marked
``custom_layer``: its ``build`` runs on the input's shape before ``call`` (``add_weight`` records
the weights it makes), and its ``compute_output_shape`` gives the output shape Keras reports for
a call on symbolic tensors. It is not a model of the report, only a row of its users.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any, Dict, List, Optional, Tuple

import ast

from ..nodes import walk as ast_walk
from .. import catalogue, cost
from ..catalogue import legacy
from ..catalogue.spec import no_weights
from ..ir import UNKNOWN_NAME, LayerDef, NumpyFloat, NumpyInt, Span, TensorRef, Unknown, fixed_outputs, weightless
from ..symbolic import Expr
from . import names, sources
from .collect import _per_node, _visited, parameter_defaults
from .keras_calls import _eager_array, non_tensor_positional
from .masks import FROM_INPUTS
from .ops_calls import constant_operand
from .plain import PlainObject, _descriptor, tuple_base
from .scopes import CALLS_GIVEN as _CALLS_GIVEN, CALLS_KEY, _BUILTINS, _MISSING, _Raise
from .values import (
    abstract_left,
    ArrayNumber,
    ArrayValue,
    bind_method,
    c3_mro,
    has_tensor,
    note_changed,
    BoundMethod,
    Builtin,
    ClassValue,
    DictValue,
    External,
    ExternalRef,
    Function,
    KerasRef,
    LayerObj,
    ListValue,
    ModelBuilder,
    MetricInstance,
    OpaqueCallable,
    Partial,
    SpecTensor,
    SuperRef,
    Tensor,
    tensors_in,
)

#: Keyword arguments ``keras.Model.__init__`` accepts for a subclassed model (``Layer.__init__``'s). Keras 3
#: rejects Keras 2's ``batch_input_shape``, ``batch_size`` and ``weights`` there ("Unrecognized keyword arguments").
_INIT_KWARGS = {"name", "trainable", "dtype", "autocast", "activity_regularizer", "input_dim", "input_shape"}
#: Model methods that add weights or layers the analysis does not see.
_STATEFUL_METHODS = {"add_weight", "add_variable", "build_from_config", "load_own_variables"}
#: Methods that change how Keras builds the model or what shapes it reports: not analysed.
_CUSTOM_BUILD = ("build", "compute_output_shape", "compute_output_spec")
#: Methods of a custom layer that are analysed: ``build`` runs on the input shape, ``compute_output_shape``
#: on it too (Keras shows its result).
_LAYER_METHODS = ("build", "compute_output_shape")
_NOT_FOUND = object()
#: The public names of Keras 3's Layer, Model, Sequential and functional models, of their classes and of the
#: attributes their ``__init__``, ``build`` and ``compile`` set (``dir()`` of such objects, Keras 3.15). A
#: ``@property`` of a Keras class under one of these names overrides what Keras itself reads or sets: not followed.
_KERAS_OWN_NAMES = frozenset((
    "activation activity_regularizer add add_loss add_metric add_variable add_weight autocast bias_constraint "
    "bias_initializer bias_regularizer build build_from_config built call call_signature_parameters compile "
    "compile_from_config compiled compute_dtype compute_loss compute_mask compute_metrics compute_output_shape "
    "compute_output_spec count_params dtype dtype_policy enable_lora evaluate export fit from_config "
    "get_build_config get_compile_config get_config get_layer get_metrics_result get_quantization_layer_structure "
    "get_state_tree get_weights input input_dtype input_shape input_spec inputs jit_compile kernel "
    "kernel_constraint kernel_initializer kernel_regularizer layers load_own_variables load_weights lora_alpha "
    "lora_enabled lora_rank loss losses make_predict_function make_test_function make_train_function metrics "
    "metrics_names metrics_variables name non_trainable_variables non_trainable_weights operations optimizer "
    "output output_names output_shape outputs path pop predict predict_function predict_on_batch predict_step "
    "quantization_config quantization_mode quantize quantized_build quantized_call rematerialized_call "
    "reset_metrics run_eagerly save save_own_variables save_weights set_state_tree set_weights stateless_call "
    "stateless_compute_loss steps_per_execution stop_training summary supports_jit supports_masking symbolic_call "
    "test_function test_on_batch test_step to_json train_function train_on_batch train_step trainable "
    "trainable_variables trainable_weights units use_bias variable_dtype variable_serialization_spec variables "
    "weights").split())
#: Methods of ``keras.Model`` that a class overrides to train or evaluate the model its own way (a GAN's
#: ``train_step``): the data rules do not compare the labels with the output for it. (Keras 3's ``fit`` still
#: builds a compiled loss on the first batch despite a ``train_step``, tf.keras's did not: left alone.)
_OWN_TRAINING = ("train_step", "test_step", "compute_loss", "compile", "fit", "evaluate", "train_on_batch",
                 "test_on_batch")
#: Arguments a Keras layer's ``__init__`` keeps as attributes of the same name, as the catalogue standardises
#: them (``strides`` too for a convolution; a pooling derives its own); others read as unknown.
_STORED = frozenset(("kernel_size", "dilation_rate", "padding", "data_format", "use_bias", "filters", "units",
                     "depth_multiplier", "groups", "rate", "input_dim", "output_dim"))
#: What a subclass of a Keras layer reads of ``self`` that is Keras's own and followed.
_LAYER_API = frozenset(("add_weight", "build", "__init__", "add_loss", "get_config"))
#: The keywords of Keras 3's ``Layer.add_weight``, in its order (any other raises TypeError).
_ADD_WEIGHT_KEYWORDS = ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer", "constraint",
                        "aggregation", "overwrite_with_gradient", "name")
#: Keras layers whose ``compute_output_shape`` is Layer's own: Keras traces ``call`` for their output shape.
_TRACES_CALL = frozenset(("InputLayer", "GRUCell", "LSTMCell", "SimpleRNNCell", "StackedRNNCells", "Wrapper"))


class ClassCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    # -- class definitions ------------------------------------------------
    def model_class(self, node: ast.ClassDef, bases: Tuple[Any, ...], scope: Any, body_scope: Any) -> ClassValue:
        """A subclass of ``keras.Model``: its body runs in ``body_scope``, whose names become its members."""
        cls = ClassValue(node.name, bases, statement=node)
        cls.mro = _mro(cls)
        cls.abc = any(isinstance(b, ExternalRef) and b.path == "abc.ABC" or isinstance(b, ClassValue) and b.abc
                      for b in bases)
        parents = {p for p in (concrete_layer(b) for b in bases) if p}
        cls.keras_layer = parents.pop() if len(parents) == 1 else "?" if parents else ""
        # A custom layer unless a base is a model (keras.Model, or a model class of the file).
        cls.layer = custom_layer_bases(bases) and not any(
            isinstance(b, ClassValue) and not b.plain and not b.layer or
            isinstance(b, KerasRef) and names.classify(b.path)[0] in ("model", "sequential") for b in bases)
        cls.sequential = any(isinstance(b, ClassValue) and b.sequential or
                             isinstance(b, KerasRef) and names.classify(b.path)[0] == "sequential" for b in bases)
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = self.method(stmt, cls, scope, body_scope)
                body_scope.set(stmt.name, method)
                if isinstance(method, Function) and method.kind == "property":
                    cls.descriptors.add(stmt.name)  # (read before the instance's own attributes)
            else:
                self.exec_stmt(stmt, body_scope)
        cls.members = dict(body_scope.vars)
        return cls

    def method(self, node: ast.FunctionDef, cls: ClassValue, scope: Any, body_scope: Any) -> Any:
        """A method: it sees the names around the class, not the class body's (as in Python). A ``@staticmethod``
        or ``@classmethod`` (Python's own, not a name the file rebinds) is followed, and so is a method under a
        decorator known to return the function itself (``@tf.function``); in a plain class, so is a ``@property``
        getter (reading the attribute calls it); any other decorator is not. In a Keras
        class a static or class method named as one of Keras's hooks (``build``) is not followed; in a plain class
        it is an ordinary builder (``LeNet.build(width, height, depth, classes)``)."""
        kind = ""
        decorators = []
        for dec in node.decorator_list:
            if not self.transparent_decorator(dec, body_scope):
                decorators.append(dec)
            elif type(dec) is not ast.Call and self.code(dec).rsplit(".", 1)[-1] == "abstractmethod":
                cls.abstract.add(node.name)  # (abc's returns the function, marked: Python's ABCMeta reads the mark)
        if len(decorators) == 1 and cls.plain and type(decorators[0]) is ast.Attribute and \
                decorators[0].attr == "setter" and type(decorators[0].value) is ast.Name and \
                decorators[0].value.id == node.name:
            getter = body_scope.vars.get(node.name)
            if isinstance(getter, Function) and getter.kind == "property" and getter.setter is None:
                # `@width.setter`: the property keeps its getter, and assigning the attribute runs this
                defaults = {p.arg: self.eval(default, body_scope) for p, default in parameter_defaults(node.args)}
                return replace(getter, setter=Function(node=node, scope=scope, name=f"{cls.name}.{node.name}",
                                                       defaults=defaults, owner=cls))
        if decorators:
            dec = decorators[0]
            # (a property of a Keras class is followed unless Keras has an attribute of that name, or a private one)
            keras_property = not cls.keras_layer and not node.name.startswith("_") and \
                node.name not in _KERAS_OWN_NAMES
            kind = {"staticmethod": "static", "classmethod": "class",
                    "property": "property" if cls.plain or keras_property else ""}.get(
                dec.id if isinstance(dec, ast.Name) else "", "")
            if len(decorators) > 1 or not kind or _bound(body_scope, dec.id) or _bound(scope, dec.id) or \
                    node.name.startswith("__") or node.name in _HOOKS and not cls.plain:
                return self.unknown(f"the decorated method `{cls.name}.{node.name}` is not analysed", node)
        defaults = {p.arg: self.eval(default, body_scope) for p, default in parameter_defaults(node.args)}
        # (super() is followed in instance methods and property getters only)
        return Function(node=node, scope=scope, name=f"{cls.name}.{node.name}", defaults=defaults,
                        owner=None if kind not in ("", "property") else cls, kind=kind)

    def member(self, cls: ClassValue, attr: str, after: Optional[ClassValue] = None) -> Any:
        """``attr`` looked up along the class's method resolution order (after ``after``, for ``super()``).

        An ``Unknown`` when a base the analysis does not understand may define it; ``_NOT_FOUND``
        when no class of the file defines it (it is then ``keras.Model``'s).
        """
        order = cls.mro
        if after is not None:
            order = order[order.index(after) + 1:] if after in order else []
        for c in order:
            if attr in c.members:
                return c.members[attr]
        for c in order:
            for base in c.bases:
                if not isinstance(base, ClassValue) and not _is_model_base(base):
                    return Unknown(f"`{attr}` may come from a base class of `{c.name}` that is not analysed")
        return _NOT_FOUND

    def uninitialized_why(self, cls: ClassValue) -> str:
        """Why an instance of ``cls`` was never initialised as a Keras model or layer: a base the analysis does not
        read (whose ``__init__`` ``super().__init__()`` may reach first), else the missing call itself."""
        for c in cls.mro:
            for i, base in enumerate(c.bases):
                if not isinstance(base, ClassValue) and not _is_model_base(base):
                    why = base.reason if isinstance(base, Unknown) else None
                    if why is None and c.statement is not None and i < len(c.statement.bases):
                        why = self.origin_reason(self.code(c.statement.bases[i]), base)  # (from an import not followed)
                    what = f" ({why})" if why else ""
                    return (f"`super().__init__()` may run `__init__` of a base class of `{c.name}` that is not "
                            f"analysed{what}")
        return "it does not call `super().__init__()`"

    # -- instances --------------------------------------------------------
    def instantiate(self, cls: ClassValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                    open_kwargs: Optional[Unknown]) -> Any:
        """``Net(...)``: run ``__init__`` on a new model; the model, or Unknown if Keras never initialised it."""
        left = abstract_left(cls)
        if left:
            return self.python_error("TypeError", f"`{cls.name}` is an abstract class: Python does not make an "
                                     f"instance of it (abstract: {', '.join(left)})", e)
        b = ModelBuilder(kind="sequential" if cls.sequential else "subclassed",
                         span=self.span(e) if e is not None else Span(1, 1, 1, 1),
                         index=-1, caveat=self.caveat, cls=cls, custom_layer=cls.layer, run_of=self.uncalled)
        if cls.layer and not cls.keras_layer and self.member(cls, "build") is _NOT_FOUND:
            b.builds_nothing = True
        init = result = self.member(cls, "__init__")
        raised = next((self.init_raised[id(o)] for o in self.constructing if id(o) in self.init_raised), None)
        if raised is not None:
            # Keras raised in an enclosing `__init__` before this line: this object is never made.
            b.taint(self.unknown(f"made after Keras raised in an enclosing `__init__` ({raised.reason})", e))
        if isinstance(init, Function):
            self.constructing.append(b)
            try:
                result = self.call_function(init, (b, *args), dict(kwargs), e, open_kwargs=open_kwargs)
            finally:
                self.constructing.pop()
                self.init_raised.pop(id(b), None)
            if isinstance(result, Unknown):
                b.taint(result)
        elif init is _NOT_FOUND and cls.keras_layer:
            self.layer_init(b, args, kwargs, e, open_kwargs)
        elif init is _NOT_FOUND:
            self.model_init(b, args, kwargs, e, open_kwargs)
        elif isinstance(init, Unknown) and not cls.layer:
            b.base_init = init  # (`__init__` of a base not read: a model all the same)
            self.model_init(b, args, kwargs, e, open_kwargs)
        if cls.keras_layer == "?":
            return self.unknown(f"`{cls.name}` subclasses several Keras layers, which the analysis does not follow", e)
        if not b.initialized:
            why = result.reason if isinstance(result, Unknown) else self.uninitialized_why(cls)
            return self.unknown(f"`{cls.name}()` is not followed: {why}", e)
        custom = [m for m in _CUSTOM_BUILD if self.member(cls, m) is not _NOT_FOUND and
                  not (cls.layer and m in _LAYER_METHODS) and
                  not (m == "compute_output_spec" and cls.layer and self.spec_shown(b)) and
                  not (m == "build" and b.kind == "subclassed" and not cls.keras_layer and self.one_shape_build(b))]
        if cls.layer and "__call__" in {name for c in cls.mro for name in c.members}:
            custom.append("__call__")
        built = _builds_sublayer(cls, self.positions.text) if cls.layer else None
        if built is not None:
            b.taint(self.unknown(f"`{cls.name}` calls `{built}()` itself, which the analysis does not follow", e))
        if cls.sequential:
            # Keras builds and calls a Sequential through these: a class that defines its own is not followed
            custom = [m for m in (*_CUSTOM_BUILD, "call", "__call__") if self.member(cls, m) is not _NOT_FOUND]
        if custom and b.kind in ("subclassed", "sequential"):
            b.taint(self.unknown(f"`{cls.name}.{custom[0]}()` is not analysed", e))
        for method in _OWN_TRAINING:
            found = self.member(cls, method)
            if found is not _NOT_FOUND:
                b.own_training = found.reason if isinstance(found, Unknown) else f"`{cls.name}.{method}()`"
                break
        self.sync_tracked(b)
        return b

    def model_init(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                   open_kwargs: Optional[Unknown] = None) -> None:
        """``keras.Model.__init__`` on a subclassed model: name it and register it, as Keras records it."""
        if b.initialized or b.cls is None:
            return
        if b.cls.sequential:
            self.sequential_init(b, args, kwargs, e, open_kwargs)
            return
        b.initialized = True
        name = kwargs.get("name")
        self.graph.record_model(b, name, b.cls.name)
        self.note_weight_dtype(b, kwargs, e)
        if b.base_init is not None:
            # `__init__` of a base not read ran first, with these arguments: what it passes on (if anything) to
            # Keras's is not known, nor, then, the name Keras gave the model (nor those of this class made after it).
            b.taint(self.unknown(f"`{b.cls.name}`: {self.uninitialized_why(b.cls)}", e))
            self.graph.uncertain_names.add(catalogue.snake_case(b.cls.name))
            b.keras_name = UNKNOWN_NAME
        elif name is not None and not isinstance(name, str):
            b.taint(self.unknown(f"the name of `{b.cls.name}` is not known", e))
        if len(args) == 2 or "outputs" in kwargs:
            # Model(inputs, outputs) on a subclass: Keras makes it a functional model.
            b.kind = "functional"
            self.functional_io(b, args[0] if args else kwargs.get("inputs"),
                               args[1] if len(args) > 1 else kwargs.get("outputs"),
                               None if isinstance(name, str) else catalogue.snake_case(b.cls.name))
            return
        if b.base_init is not None:
            return  # (the arguments went to that base's `__init__`: not Keras's to reject)
        if b.custom_layer and (kwargs.get("input_dim") is not None or kwargs.get("input_shape") is not None):
            dim = kwargs.get("input_dim")  # (None declares nothing: Layer.__init__ then reads input_shape)
            b.declared_input = self.freeze((dim,) if dim is not None else kwargs["input_shape"])
        if open_kwargs is not None:
            b.taint(open_kwargs)
        elif args or set(kwargs) - _INIT_KWARGS:
            what = ", ".join(sorted(set(kwargs) - _INIT_KWARGS)) or "positional arguments"
            rejected = self.unknown(f"`super().__init__()` of `{b.cls.name}` is given {what}, which Keras rejects", e)
            b.taint(rejected)
            if any(o is b for o in self.constructing):
                self.init_raised[id(b)] = rejected  # (until its `__init__` returns)
        elif "trainable" in kwargs:
            flag = kwargs["trainable"]  # the constructor takes only a bool (the attribute's setter, bool(value))
            self.set_trainable(b, flag if isinstance(flag, bool) else self.unknown(
                f"`trainable={self.code(e)}` is not a bool, which Keras's constructor rejects", e), e)

    def super_ref(self, args: Tuple[Any, ...], current: Any, e: Any) -> Any:
        """``super()`` (``current`` is the method's own ``super()``) or ``super(Class, obj)``."""
        if not args and isinstance(current, SuperRef):
            return current
        if len(args) == 2 and isinstance(args[0], ClassValue):
            return SuperRef(args[0], args[1])
        return self.unknown("this use of super() is not followed", e)

    def super_attribute(self, ref: SuperRef, attr: str, e: Any) -> Any:
        obj = ref.obj
        if isinstance(obj, PlainObject):
            return self.plain_super_attribute(obj, ref.cls, attr, e)
        if isinstance(obj, ClassValue) and attr == "__new__" and ref.cls in obj.mro:
            after = obj.mro[obj.mro.index(ref.cls) + 1:]
            if after and after[0].plain == "namedtuple" and tuple_base(obj) is after[0]:
                return Partial(Builtin("namedtuple.__new__"), (after[0],), {})  # (plain.py namedtuple_new)
        if not isinstance(obj, ModelBuilder) or obj.cls is None:
            return self.unknown(f"super().{attr} is not known", e)
        member = self.member(obj.cls, attr, after=ref.cls)
        if attr == "__init__" and isinstance(member, Unknown) and not obj.initialized and not obj.cls.layer:
            # A base the analysis does not read comes first: whatever its `__init__` does, Keras makes a model.
            obj.base_init = member
            return Partial(KerasRef("keras.Model.__init__"), (obj,), {})
        if isinstance(member, Function) and member.kind == "property":
            return self.call_function(member, (obj,), {}, e)  # super().units: what the base's getter returns
        if isinstance(member, Function):
            return bind_method(member, obj, obj.cls)
        if member is _NOT_FOUND:
            return self.model_attribute(obj, attr, e)
        return member

    def instance_attribute(self, b: ModelBuilder, attr: str, e: Any) -> Any:
        """``self.attr`` on a subclassed model: an attribute, a method, a class attribute, or Keras's."""
        prop = self.member(b.cls, attr) if b.cls is not None and _descriptor(b.cls, attr) else None
        if isinstance(prop, Function) and prop.kind == "property":
            # a `@property` of the class: Python reads it before the instance's own attributes (which it keeps from
            # being set: it has no setter)
            if attr in b.attrs:
                return self.unknown(f"`{self.code(e)}` is a property that was also set another way; not followed", e)
            return self.call_function(prop, (b,), {}, e)
        if attr in b.attrs:
            held = b.attrs[attr]
            if b.untracked and attr in b.untracked and self.graph.tracing is not None:
                b.taint(b.untracked[attr])  # (a layer Keras does not track, run by `call`)
            if isinstance(held, Weight) and held.shape is not None and self.graph.tracing is b and (
                    b.custom_layer or b.kind == "subclassed"):
                # a weight `__init__` made, in the layer's (or model's) `call`: Keras gives the variable, a tensor of
                # its shape
                return self.hidden_tensor(held.shape, e, b.span)
            return held
        member = self.member(b.cls, attr)
        if attr == "build" and isinstance(member, Function) and b.kind == "subclassed" and not b.custom_layer and \
                self.graph.building is not b:
            return BoundMethod(b, "build")  # `model.build(shape)` runs the class's build: not followed (build_subclassed)
        if isinstance(member, Function):
            return bind_method(member, b, b.cls)
        if member is not _NOT_FOUND:
            return member
        gone = legacy.LAYER_METHODS_GONE.get(attr)
        if gone is not None and self.graph.tracing is b:
            # a tf.keras 2 method Keras 3's layers do not have (or keep only to raise): the call Keras runs raises
            raise _Raise(gone[0], f"`{self.code(e)}`: Keras 3 layers have no `{attr}` (a tf.keras 2 method)"
                         if gone[0] == "AttributeError" else f"`{self.code(e)}`: Keras 3 keeps `{attr}` (a tf.keras 2 "
                         "method) only to raise")
        if attr == "name" and b.initialized:
            return b.keras_name
        if attr in ("output", "input") and b.call_nodes is not None and b.layer_uid is not None and \
                self.graph.tracing is None:
            return self.layer_tensor(LayerObj(b.layer_uid), attr, e)  # of its first call, as a layer's
        if attr == "layers":
            self.sync_tracked(b)
            return ListValue([LayerObj(uid) for uid in b.layers], b.unresolved)
        if b.cls.keras_layer and attr not in _LAYER_API:
            # Set by the Keras layer's own code (its __init__ or build), which is not followed.
            return self.unknown(f"`self.{attr}` of `{b.cls.name}` comes from Keras's `{b.cls.keras_layer}`, "
                                "which the analysis does not follow", e)
        return self.model_attribute(b, attr, e)

    def sequential_subclass_attribute(self, b: ModelBuilder, attr: str) -> Any:
        """``self.attr`` on an instance of a subclass of ``keras.Sequential``: an attribute it was given, or a member
        of its class; None for Keras's own (``add``, ``layers``...), read as any Sequential's."""
        if attr in b.attrs:
            return b.attrs[attr]
        member = self.member(b.cls, attr)
        if isinstance(member, Function):
            return bind_method(member, b, b.cls)
        return None if member is _NOT_FOUND else member

    def model_attribute(self, b: ModelBuilder, attr: str, e: Any) -> Any:
        """A method of ``keras.Model`` itself; those that add state leave the model unresolved."""
        if attr in _STATEFUL_METHODS and not (attr == "add_weight" and (
                b.custom_layer or self.graph.building is b or self.weight_made_outside_build(b))):
            b.taint(self.unknown(f"`{b.cls.name}` calls `{attr}()`, which the analysis does not follow", e))
        if attr == "__init__" and b.cls.keras_layer:
            return Partial(KerasRef(f"keras.layers.{b.cls.keras_layer}.__init__"), (b,), {})
        if attr == "__init__":
            return Partial(KerasRef("keras.Sequential.__init__" if b.cls.sequential else "keras.Model.__init__"),
                           (b,), {})
        return BoundMethod(b, attr)

    def run_on_data(self, b: ModelBuilder, what: str, e: Any) -> None:
        """``model(x)`` on arrays, ``fit``, ``predict``...: Keras runs the ``call`` of each layer of a functional model
        or a Sequential on the data. A custom layer whose symbolic call it answered from ``compute_output_shape``
        (``call_skipped``) builds the layers its ``build`` made there, which the analysis does not follow: the model
        holding it is unknown from then on (its weights are those, too)."""
        if b.kind not in ("functional", "sequential") or b.unresolved is not None:
            return
        _, models = self.graph.held_layers_and_models(b)
        for index in models:
            m = self.graph.model(index)
            if m.call_skipped and any(self.unbuilt_sublayer(uid) for uid in m.layers):
                b.taint(self.unknown(f"`{what}` runs `{m.cls.name}.call` on data, which builds the layers its `build` "
                                     "made (on symbolic tensors Keras took the output from `compute_output_shape` and "
                                     "left them unbuilt); not followed", e))
                return

    def unbuilt_sublayer(self, uid: int) -> bool:
        """Layer ``uid`` was never called nor built (``self.proj.build(shape)``, a model built when made), and may have
        weights once built (a Dropout, a Lambda, a custom layer that makes none have none either way)."""
        layer = self.graph.layer(uid)
        if layer.built_shape is not None or next(self.graph.calls_of(uid), None) is not None:
            return False
        if layer.submodel is not None:
            return _weights_not_made(self.graph.model(layer.submodel))
        spec = catalogue.lookup(layer.type) if layer.known else None
        return spec is None or spec.weights is not no_weights

    def weight_made_outside_build(self, b: ModelBuilder) -> bool:
        """``self.add_weight(...)`` of a subclassed model outside its ``build`` and ``call`` (in ``__init__``, after
        ``super().__init__()``): Keras makes the variable then, and counts it in the model's totals as it counts the
        weights its ``build`` makes. Not on a model whose ``__init__`` made it functional."""
        return b.kind == "subclassed" and b.initialized and b.cls is not None and not b.cls.sequential and \
            self.graph.tracing is None and self.graph.building is None

    # -- attributes and tracking -----------------------------------------
    def set_attribute(self, b: ModelBuilder, attr: str, value: Any, e: Any) -> None:
        """``self.attr = value``: Keras tracks the layers in ``value`` now, in order."""
        self.sync_tracked(b)
        b.attrs[attr] = value
        b.version += 1
        if b.untracked and attr in b.untracked:
            b.untracked = {k: v for k, v in b.untracked.items() if k != attr}
        uids, containers, unknown = self.tracked_in(value, e)
        if unknown is not None:
            b.taint(unknown)
        self.made_in_call_tracked(b, uids, e)
        self.track_containers(b, containers)
        tracked = set(b.layers) if uids else None  # (a set of every layer held, for most values none of them new)
        note_changed(b)
        if uids:
            b.layers = (*b.layers, *(uid for uid in dict.fromkeys(uids) if uid not in tracked))

    def set_untracked(self, b: ModelBuilder, attr: str, value: Any, e: Any) -> None:
        """``self.__dict__.update(...)``: the attribute is set without Keras's ``__setattr__``, so Keras tracks
        none of the layers it holds and counts none of their weights (unless another attribute holds them). A
        layer held only there and called by ``call`` is not followed: the model is unknown then."""
        self.sync_tracked(b)
        b.attrs[attr] = value
        b.version += 1
        note_changed(b)
        uids, _, unknown = self.tracked_in(value, e)
        if unknown is not None:
            b.taint(unknown)
        if uids:
            b.untracked = {**(b.untracked or {}), attr: self.unknown(
                f"`{attr}` holds layers set through `__dict__`, which Keras does not track (their weights are not "
                "the model's), and `call` uses it: not followed", e)}

    def sync_tracked(self, b: ModelBuilder) -> None:
        """Track the layers added to attribute lists and dicts since they were last looked at."""
        grown: List[int] = []
        tracked = None  # (the layers held, read at the first container that changed: most calls find none)
        for i, (container, version) in enumerate(b.containers):
            if container.version == version:
                continue
            if tracked is None:
                tracked = set(b.layers)
            b.containers[i] = (container, container.version)
            uids, containers, unknown = self.tracked_in(container, None)
            if unknown is not None:
                b.taint(unknown)
            self.track_containers(b, [c for c in containers if all(c is not d for d, _ in b.containers)])
            new = [uid for uid in dict.fromkeys(uids) if uid not in tracked]
            self.made_in_call_tracked(b, new, None)
            if new and grown:
                b.taint(Unknown("layers are added to several attribute lists in turn; the order Keras tracks "
                                "them in is not followed"))
            grown.extend(new)
            tracked.update(new)
        if grown:
            b.layers = (*b.layers, *grown)

    def track_containers(self, b: ModelBuilder, containers: List[Any]) -> None:
        """Keep ``b``'s attribute lists and dicts ``containers`` to look at again (``sync_tracked``); a list is looked
        at as soon as it grows (``layer_appended``), so that layers appended in turn to several lists
        (``self.convs.append(...)``, ``self.pools.append(...)`` in one loop) are tracked in Keras's order."""
        b.containers.extend((c, c.version) for c in containers)
        for c in containers:
            if isinstance(c, ListValue):
                owners = self.container_owners.setdefault(id(c), [])
                if all(o is not b for o in owners):
                    owners.append(b)

    def layer_appended(self, container: Any) -> None:
        """After a list grew in place: the models whose attributes hold it track its new layers now."""
        for b in self.container_owners.get(id(container), ()):
            if any(c is container for c, _ in b.containers):
                self.sync_tracked(b)

    def made_in_call_tracked(self, b: ModelBuilder, uids: List[int], e: Any) -> None:
        """A layer made inside a traced ``call`` (``KerasCalls.new_layer``) that an attribute holds: Keras would
        track a new one at each run of ``call`` (or refuse it once the model is built), which is not followed."""
        if any(uid in self.graph.made_in_call for uid in uids):
            b.taint(self.unknown(f"a layer made inside a `call()` is held by an attribute of `{b.cls.name}`", e))

    def tracked_in(self, value: Any, e: Any) -> Tuple[List[int], List[Any], Optional[Unknown]]:
        """The layers Keras tracks in an attribute value, the lists and dicts holding them, and
        why some part of the value is not known (it might hold a layer or weights)."""
        uids: List[int] = []
        containers: List[Any] = []
        unknown: Optional[Unknown] = None
        stack = [value]
        while stack:
            v = stack.pop()
            if isinstance(v, LayerObj):
                uids.append(v.uid)
            elif isinstance(v, ModelBuilder):
                if v.index < 0:
                    unknown = unknown or self.unknown("an attribute holds a model that is not known", e)
                else:
                    uids.append(self.graph.model_layer(v).uid)
            elif isinstance(v, (ListValue, DictValue)):
                containers.append(v)
                if v.tainted is not None:
                    unknown = unknown or v.tainted
                items = list(v.items) if isinstance(v, ListValue) else list(v.items.values())
                stack.extend(reversed(items))
            elif isinstance(v, tuple):
                stack.extend(reversed(v))
            elif isinstance(v, OpaqueCallable) and not isinstance(v, MetricInstance):
                # (an object of a metric or loss class of the file that makes no layer holds nothing Keras counts)
                unknown = unknown or self.unknown(f"an attribute holds `{v.text}` ({v.reason})", e)
            elif isinstance(v, Unknown) and self.keras_instances.get(id(v)) is not v and \
                    not sources.gym_space_value(v) and type(v) is not ArrayNumber and \
                    not (isinstance(v, External) and v.role in ("args", "backend", "shape")):
                # (an object of a Keras initializer, regularizer or constraint class holds no layer and no weight, nor
                # does what a gym environment's spaces give, `self.bound = env.action_space.high[0]`, nor a number
                # whose value is not known, read from an array, nor the namespace `parser.parse_args()` gives, whose
                # settings are read from the command line: `self.args = args`, nor the backend's name,
                # `self._backend = keras.backend.backend()`, nor an array's shape)
                unknown = unknown or Unknown(f"an attribute's value is not known ({v.reason})", v.span)
        return uids, containers, unknown

    # -- calls ------------------------------------------------------------
    def call_subclassed(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``model(x)``: the first call runs ``call`` on ``x`` (Keras builds the layers then)."""
        masks = self.custom_call_masks(b, args, kwargs, e)
        hidden = masks if isinstance(masks, Unknown) else None
        previous, first, recorded, added = FROM_INPUTS, FROM_INPUTS, kwargs, None
        if hidden is not None:
            # Keras gives `call` masks the analysis does not follow: it runs it all the same (building its layers),
            # and what the layer returns is not known
            call = self.member(b.cls, "call")
            if "mask" not in kwargs and isinstance(call, Function) and \
                    any(a.arg == "mask" for a in (*call.node.args.args, *call.node.args.kwonlyargs)):
                added = {"mask": hidden}
        elif masks is not None:
            added, recorded = masks[0], {**kwargs, **masks[1]}
            previous, first = masks[2], masks[3]
        # Every tensor it is given is a parent in the graph (`attend(x, context)`), as in Keras's node.
        graph = tuple(t.ref for v in (*args, *(recorded[k] for k in sorted(recorded))) for t in tensors_in(v))
        if not args and kwargs:
            # layer(tokens=x, mask=m): Keras binds the call to `call`'s signature, and its first argument is the
            # one it builds on, given by keyword or not; passed by position here, which Python binds alike.
            call = self.member(b.cls, "call")
            params = call.node.args.posonlyargs + call.node.args.args if isinstance(call, Function) else []
            if len(params) > 1 and params[1].arg in kwargs and not call.kind:
                kwargs = dict(kwargs)
                args = (kwargs.pop(params[1].arg),)
        raises = self.positional_raises(b, args)
        if raises is not None:
            # Keras's Layer.__call__ raises before it builds anything: the layers of `call` stay unbuilt
            if not b.custom_layer and b.parent is None and b.call_nodes is None and not self.undecided and \
                    not self.guarded and self.uncalled is None and self.graph.tracing is None and \
                    self.graph.building is None:
                # (`q(10)` of a Q network never built: the script stops there, so a later call that would build it,
                # `q(np.array([s]))`, never happens in Keras 3; alone, the model stays unbuilt)
                self.rejected_first_calls.setdefault(id(b), f"{raises} (line {self.span(e).line})")
            first = args[0] if has_tensor(args[0]) else self.eager_inputs(args[0], e, b.span)
            return self.apply_layer(self.graph.model_layer(b), first if first is not None else args[0], e,
                                    (("call_raises", raises),), graph_inputs=graph)
        if b.call_nodes is None and id(b) in self.rejected_first_calls:
            from .live import KERAS_REJECTS

            self.model_stops_here(b, f"{KERAS_REJECTS}an earlier call raised before building it, and the script "
                                     f"stops there: {self.rejected_first_calls[id(b)]}")
        if b.call_nodes is None and b.unresolved is None and b.parent is None and \
                len(args) == 1 and all(v is None or type(v) in (bool, int, float, str) or
                                       isinstance(v, (NumpyInt, NumpyFloat)) for v in kwargs.values()):
            given = self.eager_inputs(args[0], e, b.span, nested=not b.custom_layer)
            if given is not None:
                # model(arrays), layer(arrays): Keras runs call eagerly on the arrays (compute_output_shape is not
                # asked); each layer is built on the shape it is given (the batch size included, which no weight
                # depends on). The result is arrays, not tensors: of the shape call gives them, when it is known.
                self.trace_call(b, (given,), kwargs, e, eager=True)
                made = self.eager_result(b)
                return made if made is not None else self.unknown(
                    f"the values `{b.cls.name}` computes on arrays (the analysis follows the layers it builds, not "
                    "its results)", e)
        if b.call_skipped and b.call_nodes is not None and b.unresolved is None and args and \
                not has_tensor(args[0]) and any(self.unbuilt_sublayer(uid) for uid in b.layers):
            # `layer(arrays)` after a call on symbolic tensors: Keras runs call now, which builds them
            b.taint(self.unknown(f"`{self.code(e.func) if isinstance(e, ast.Call) else b.cls.name}(…)` runs "
                                 f"`{b.cls.name}.call` on data, which builds the layers its `build` made (on symbolic "
                                 "tensors Keras took the output from `compute_output_shape` and left them unbuilt); "
                                 "not followed", e))
        if b.call_nodes is not None and b.unresolved is None and weightless(b) and len(args) == 1 and \
                not has_tensor(args[0]) and self.graph.tracing is None and \
                all(v is None or type(v) in (bool, int, float, str) or isinstance(v, (NumpyInt, NumpyFloat))
                    for v in kwargs.values()):
            made = self.eager_again(b, args[0], kwargs, e)
            if made is not None:
                return made
        if b.call_nodes is None and b.unresolved is None:
            self.trace_call(b, args, kwargs, e, masks=added)
        elif b.call_nodes is None and not b.names_spent:
            # Not run (the object is not known): Keras runs its call, whose layers use up automatic names (and builds
            # what it holds, whose build may make more)
            b.names_spent = True
            self.names_data_run_may_use(b)
        if hidden is not None:
            return hidden
        inputs = args[0] if args else kwargs.get("inputs")
        out = self.apply_layer(self.graph.model_layer(b), inputs, e, graph_inputs=graph, previous_mask=previous,
                               first=first)
        if b.output_keys is not None and isinstance(out, Tensor) and len(b.outputs) == len(b.output_keys):
            # `call` returned a dict: so does the layer, its tensors in the order of the sorted keys
            return DictValue({k: Tensor(TensorRef(out.ref.node, i)) for i, k in enumerate(b.output_keys)})
        several = fixed_outputs(b.fixed_output) if b.symbolic_call else None
        if b.output_container is not None and isinstance(out, Tensor):
            # `call` returned a tuple or list (or compute_output_shape did): so does the layer, even of one tensor
            # (`return (x,)`, read `[0]`)
            made = [Tensor(TensorRef(out.ref.node, i)) for i in range(len(several or b.outputs))]
            return tuple(made) if b.output_container == "tuple" else ListValue(made)
        if len(b.outputs) > 1 and isinstance(out, Tensor):
            return tuple(Tensor(TensorRef(out.ref.node, i)) for i in range(len(b.outputs)))
        return out

    def names_call_may_use(self, b: ModelBuilder) -> None:
        """The ``call`` of ``b`` runs where the analysis does not run it: the automatic names of the layer classes it
        (or a method or function of the file it calls) makes are not known afterwards; nor any name, when it calls
        what the analysis cannot see into."""
        cache = self.call_prefixes
        held = cache.get(id(b.cls))
        if held is None or held[0] is not b.cls:
            prefixes: set = set()
            call = self.member(b.cls, "call") if b.cls is not None else None
            known = isinstance(call, Function) and self.layers_made_by(b.cls, call, prefixes)
            held = cache[id(b.cls)] = (b.cls, frozenset(prefixes) if known else None)  # (once a class: a loop makes many)
        if held[1] is None:
            self.graph.names_unknown = True
        else:
            self.graph.uncertain_names.update(held[1])

    def names_data_run_may_use(self, b: ModelBuilder, steps: bool = False, seen: Optional[set] = None) -> None:
        """Keras runs ``b`` where the analysis does not follow the run (``fit`` on data whose shape is not known, a
        call of a model that is not known): its ``build`` and ``call`` run (``steps``: in ``fit``/``evaluate``/
        ``predict``, its ``train_step``/``test_step``/``predict_step`` where the class defines them), and each custom
        layer or model it holds that is not built yet is built there (its ``build``, then its ``call``); a Sequential
        it holds without an input gets one. The automatic names of what they make are not known afterwards."""
        seen = set() if seen is None else seen
        if id(b) in seen or b.cls is None:
            return
        seen.add(id(b))
        self.names_methods_may_use(b.cls, ("build", "call", "train_step", "test_step", "predict_step") if steps
                                   else ("build", "call"))
        for held in b.attrs.values():
            items = self.iterate(held) if isinstance(held, (ListValue, tuple)) else \
                list(held.items.values()) if isinstance(held, DictValue) and held.tainted is None else [held]
            for item in items or ():
                if isinstance(item, ModelBuilder) and item.kind == "subclassed" and item.call_nodes is None:
                    self.names_data_run_may_use(item, seen=seen)
                elif isinstance(item, ModelBuilder) and item.kind == "sequential" and item.input_layer is None \
                        and not item.implicit_input:
                    self.graph.unknown_build()  # (built there: an InputLayer and a Functional of its own)

    def names_methods_may_use(self, cls: ClassValue, methods: Tuple[str, ...]) -> None:
        """Keras runs these methods of ``cls`` where the analysis does not follow them (``Net.from_config(cfg)``
        makes an instance, ``model.build(shape)`` runs a ``build`` not followed): the automatic names of the layer
        classes they may make are not known afterwards; none is, when they call what the analysis cannot name.
        Each class of the method resolution order is looked at for its own method (what ``super()`` reaches)."""
        prefixes: set = set()
        for method in methods:
            if isinstance(self.member(cls, method), Unknown):  # (a base the analysis does not read may define it)
                self.graph.names_unknown = True
            for c in cls.mro:
                fn = c.members.get(method, _NOT_FOUND)
                if fn is not _NOT_FOUND and not (isinstance(fn, Function) and
                                                 self.layers_made_by(cls, fn, prefixes, whole_mro=True)):
                    self.graph.names_unknown = True
        self.graph.uncertain_names.update(prefixes)

    def layers_made_by(self, cls: Optional[ClassValue], fn: Function, prefixes: set, depth: int = 0,
                       seen: Optional[set] = None, whole_mro: bool = False) -> bool:
        """Adds to ``prefixes`` the name prefixes of the Keras layers ``fn`` may make (whose automatic names depend on
        when it runs); False when it calls what may make others: a callee not followed, a function taken from a
        container, a builtin that calls what it is given (``map``), a function form of a merge layer
        (``layers.add``). ``cls``: the custom layer or model whose method ``fn`` is (``self.block(x)`` calls a
        sublayer, ``self.make()`` its method), or None for a function (then any call through ``self`` is not
        followed). ``whole_mro``: the caller looks at the same method of every class of ``cls``'s method resolution
        order, so ``super()`` (as in ``super().__init__(...)``) in ``fn`` itself makes nothing of its own here (in
        a method ``fn`` calls, it is not followed)."""
        seen = set() if seen is None else seen
        if id(fn) in seen:
            return True
        seen.add(id(fn))
        get = fn.scope.get
        local = {n.id for n in ast_walk(fn.node) if type(n) is ast.Name and type(n.ctx) is ast.Store}

        def follow(callee: Function) -> bool:
            return depth < 4 and self.layers_made_by(cls, callee, prefixes, depth + 1, seen)

        for n in ast_walk(fn.node):
            if type(n) is not ast.Call:
                continue
            f = n.func
            dotted = []
            while type(f) is ast.Attribute:
                dotted.append(f.attr)
                f = f.value
            if type(f) is ast.Call or type(f) is ast.Constant and dotted:
                continue  # (what a call returns, called: `layers.Dense(4)(x)`, its inner call looked at; "-".join)
            root = f
            while type(root) in (ast.Subscript, ast.Attribute, ast.Call):
                root = root.func if type(root) is ast.Call else root.value
            if type(root) is not ast.Name:
                return False
            if root is not f:
                # an item called, or its method: `batch["x"].reshape(...)` of a value the body made and
                # `self.blocks[i](x)` of a sublayer a layer holds make no layer; `registry["dense"](3)` may
                if root.id in local and dotted or root.id == "self" and cls is not None:
                    continue
                return False
            if f.id == "self":
                if cls is None:
                    return False
                member = self.member(cls, dotted[0]) if len(dotted) == 1 else _NOT_FOUND
                if isinstance(member, Function) and not follow(member):
                    return False
                continue  # (a sublayer it holds, or Keras's own method: `self.add_weight(...)`)
            if f.id in local:
                if dotted:
                    continue  # (a method of a value the body made: `rows.append(x)`)
                return False
            if whole_mro and f.id == "super" and not dotted and cls is not None and get(f.id) is _MISSING:
                continue  # (Python's super(), or super(Net, self): the methods it reaches are looked at by the caller)
            value = get(f.id)
            if isinstance(value, KerasRef):
                path = ".".join([value.path, *reversed(dotted)])
                name = path.rsplit(".", 1)[-1]
                if name == "Input" and path in ("keras.Input", "keras.layers.Input"):
                    prefixes.add("input_layer")  # (keras.Input makes an InputLayer, named as one)
                elif name[:1].isupper():
                    spec = catalogue.lookup(name)
                    if spec is None:
                        return False  # (a Keras class the catalogue does not know)
                    prefixes.add(catalogue.snake_case(spec.name))
                elif path.startswith("keras.layers.") or path == "keras.backend.get_uid":
                    return False  # (`layers.add([a, b])` makes an Add layer; get_uid uses up a name's number)
                continue
            if isinstance(value, Function) and not dotted:
                if not follow(value):
                    return False
                continue
            builtin = value.name if isinstance(value, Builtin) else f.id
            called = builtin in _CALLS_GIVEN or builtin in CALLS_KEY and any(k.arg == "key" for k in n.keywords)
            if isinstance(value, Builtin) and not called or isinstance(value, ExternalRef) or \
                    value is _MISSING and f.id in _BUILTINS and not called:
                continue
            return False
        return True

    def positional_raises(self, b: ModelBuilder, args: Tuple[Any, ...]) -> Optional[str]:
        """Why Keras's ``__call__`` rejects ``args`` given by position to an instance of a class of the file (a
        bool, number or string: extract/keras_calls.non_tensor_positional), else None. Only where that
        ``__call__`` is Keras's own (no class of the file defines it, every base is understood) and no class of
        the file sets ``_allow_non_tensor_positional_args``."""
        cls = b.cls
        if cls is None or not args or self.member(cls, "__call__") is not _NOT_FOUND:
            return None
        for c in cls.mro:
            if "_allow_non_tensor_positional_args" in c.members or any(
                    isinstance(f, Function) and _sets_allow_positional(f.node) for f in c.members.values()):
                return None
        name = self.graph.layer(self.graph.model_layer(b).uid).name
        scalar = non_tensor_positional(name, args, cls.keras_layer or None)
        if scalar is not None:
            return scalar
        call = self.member(cls, "call")
        if isinstance(call, Function) and not call.kind and call.node.args.vararg is None:
            # Keras's CallSpec binds the arguments to `call`'s signature (inspect's bind) before it builds anything
            taken = len(call.node.args.posonlyargs) + len(call.node.args.args) - 1
            if len(args) > taken:
                return (f"{name} is given {len(args)} arguments by position, and its `call` takes {taken}: Keras "
                        "raises TypeError (\"too many positional arguments\")")
        return None

    def eager_again(self, b: ModelBuilder, x: Any, kwargs: Dict[str, Any], e: Any) -> Any:
        """A custom layer that has no weight (``ir.weightless``: a window partition, a reshape), run at once on
        arrays again: Keras runs its call on them, which builds nothing; an array of the shape that call gives them
        (a layer it made there, or a result of unknown shape: unknown). None where the arrays are not known."""
        given = self.eager_inputs(x, e, b.span)
        call = self.member(b.cls, "call")
        if given is None or not isinstance(call, Function):
            return None
        layers_before = len(self.graph.layers)
        saved, self.graph.tracing = self.graph.tracing, b
        try:
            out = self.call_function(call, (b, given), kwargs, e)
        finally:
            self.graph.tracing = saved
        why = f"the values `{b.cls.name}` computes on arrays, run again"
        if any(not d.operation for d in self.graph.layers[layers_before:]) or not isinstance(out, Tensor):
            return self.unknown(f"{why} (its call makes a layer, or gives what is not one tensor)", e)
        shape = self.graph.live_shapes().tensor(out.ref, f"what {b.cls.name} computes")
        if not isinstance(shape, tuple) or not all(type(d) is int and d >= 0 for d in shape):
            return self.unknown(f"{why} (the shape of the result is not known)", e)
        return ArrayValue(shape)

    def eager_result(self, b: ModelBuilder) -> Optional[ArrayValue]:
        """What a custom layer or model run at once on arrays returns (``trace_call(..., eager=True)``): an array of
        the shape of the one tensor its call gave, when every size of it is known; else None."""
        if b.unresolved is not None or len(b.outputs) != 1 or b.output_container is not None or \
                b.output_keys is not None:
            return None
        shape = self.graph.live_shapes().tensor(b.outputs[0], f"what {b.cls.name} computes")
        if not isinstance(shape, tuple) or not all(type(d) is int and d >= 0 for d in shape):
            return None
        return ArrayValue(shape)

    def eager_inputs(self, x: Any, e: Any, b_span: Any, nested: bool = False, top: bool = True) -> Any:
        """For a model called on an array of known shape, or on a tuple, list or dict (of string keys) of them:
        the same structure of input tensors of those full shapes; else None. ``nested``: also such structures
        inside (a subclassed model's ``{"rules": {"a": a, "b": b}, "text": t}``, which Keras flattens). ``top``:
        ``x`` is the call's one argument itself (whose rows, when not known, are a symbol named by its code)."""
        from .arrays import _shape_of

        inner = () if nested else (tuple, ListValue, DictValue)
        if isinstance(x, DictValue):
            if x.tainted is not None or not x.items or not all(isinstance(k, str) for k in x.items):
                return None
            made = {k: self.eager_inputs(v, e, b_span, nested, False) for k, v in x.items.items()}
            return None if any(v is None or isinstance(v, inner) and not isinstance(v, Tensor)
                               for v in made.values()) else DictValue(made)
        if isinstance(x, (tuple, ListValue)):
            items = self.iterate(x)
            if not items or len(items) > 16:
                return None
            made_items = [self.eager_inputs(v, e, b_span, nested, False) for v in items]
            if any(v is None or isinstance(v, inner) and not isinstance(v, Tensor) for v in made_items):
                return None
            return tuple(made_items) if isinstance(x, tuple) else ListValue(made_items)
        shape = _shape_of(x)
        if shape and shape[0] is None and len(shape) > 1 and all(d is not None for d in shape[1:]) and \
                top and isinstance(e, ast.Call) and len(e.args) == 1:
            # rows whose number is not known (`x[i * bs:(i + 1) * bs]` of a batch loop not run to its end): no weight
            # depends on it; a symbol for it, named by the code that gives the array
            shape = (self.made_symbol(f"len({self.code(e.args[0])})", _ROWS, e), *shape[1:])
        if shape is None or any(d is None for d in shape):
            return None
        made = self.graph.record_input("input_layer", tuple(shape), self.span(e) if e is not None else b_span)
        return self.apply_layer(LayerObj(made.uid), None, e)

    def trace_call(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                   eager: bool = False, masks: Optional[Dict[str, Any]] = None) -> None:
        """The first call of ``b`` (``eager``: on arrays, given here as input tensors of their shapes; ``masks``: the
        masks Keras adds to the arguments of ``call``, which its build and output shape are not given)."""
        if b.explicit_build:
            # Keras does not build it again (it keeps the weights made for the shape it was built on).
            b.taint(self.unknown(f"`{b.cls.name}` is called after another layer's build built it, which the analysis "
                                 "does not follow", e))
            return
        if b.parent is not None:
            self.trace_layer_subclass(b, args, kwargs, e)
            return
        start = self.graph.node_count()
        b.call_nodes = (start, start)
        call = self.member(b.cls, "call")
        if not isinstance(call, Function):
            b.taint(call if isinstance(call, Unknown) else self.unknown(f"`{b.cls.name}.call()` is not defined", e))
            return
        self.sync_tracked(b)
        # Called on symbolic tensors (a functional model, a Sequential), a custom layer's output is what its
        # compute_output_shape says; inside a traced call, Keras runs call on arrays.
        b.symbolic_call = symbolic = self.graph.tracing is None and not eager
        saved, self.graph.tracing = self.graph.tracing, b
        try:
            shape = self.layer_build(b, args, kwargs, e) if b.custom_layer else None
            if not b.custom_layer and self.member(b.cls, "build") is not _NOT_FOUND:
                self.model_build(b, args, e)
            spec = b.custom_layer and symbolic and self.spec_shown(b)
            shown = b.custom_layer and symbolic and (spec or self.member(b.cls, "compute_output_shape") is not _NOT_FOUND)
            if shown and self.member(b.cls, "build") is not _NOT_FOUND:
                # Keras asks compute_output_spec (compute_output_shape) for the output and never runs call on
                # symbolic tensors.
                out = None
                b.call_skipped = True
                if any(self.graph.layer(uid).submodel is not None and
                       _weights_not_made(self.graph.model(self.graph.layer(uid).submodel)) for uid in b.layers):
                    # A model it holds (one its build makes) has weights from its making on, which Keras
                    # counts; the analysis counts them for a functional model or a Sequential with an input
                    # (built when made: infer._tracked_row), else only what a traced call builds.
                    b.taint(self.unknown(f"`{b.cls.name}` holds a model, and Keras does not run its call "
                                         "(compute_output_shape gives the output): the model's weights are not "
                                         "followed", e))
            else:
                out = self.call_function(call, (b, *args), {**kwargs, **(masks or {})}, e)
        finally:
            self.graph.tracing = saved
        b.call_nodes = (start, self.graph.node_count())
        ins, _ = self.tensor_refs(args[0] if args else kwargs.get("inputs"), nested=not b.custom_layer,
                                  arrays=b.custom_layer)
        outs, _ = self.tensor_refs(out)
        if shown and not isinstance(ins, Unknown) and (out is None or isinstance(outs, Unknown) and not b.layers):
            # No sublayer left to build by running call: the output is compute_output_shape's.
            b.inputs, b.outputs = tuple(ins), ()
        elif isinstance(ins, Unknown) or isinstance(outs, Unknown):
            b.taint(ins if isinstance(ins, Unknown) else outs)
        else:
            b.inputs, b.outputs = tuple(ins), tuple(outs)
            if b.custom_layer and isinstance(out, DictValue) and out.tainted is None and \
                    all(isinstance(k, str) for k in out.items):
                b.output_keys = tuple(sorted(out.items))
            items = out if isinstance(out, tuple) else out.items if isinstance(out, ListValue) and \
                out.tainted is None else None
            if items is not None and items and all(isinstance(t, Tensor) for t in items):
                b.output_container = "tuple" if isinstance(out, tuple) else "list"
        if b.custom_layer and shape is not None and spec:
            self.layer_output_spec(b, args, kwargs, e)
        elif b.custom_layer and shape is not None:
            self.layer_output_shape(b, shape, e)

    # -- custom layers ----------------------------------------------------
    def layer_build(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """Keras's ``_maybe_build`` before a custom layer's first call: its ``build`` runs on the input's
        shape. Returns that shape, or None when the input is not one known tensor."""
        x = args[0] if args else kwargs.get("inputs")
        several = self.tensor_list(x) if len(args) + len(kwargs) == 1 and b.parent is None and b.symbolic_call \
            else None
        keys = None
        if several is None and isinstance(x, DictValue) and len(args) + len(kwargs) == 1 and b.parent is None and \
                b.symbolic_call:
            # A dict of tensors: Keras gives build a dict of their shapes (tree.map_structure)
            from .keras_calls import _tensor_dict

            items = _tensor_dict(x)
            if isinstance(items, list) and 1 <= len(items) <= 64:
                several, keys = items, sorted(x.items)
        if several is None and isinstance(x, Tensor) and args and len(args) + len(kwargs) > 1 and \
                b.parent is None and self.one_shape_build(b, output_shape=True):
            pass  # Keras gives a build of one parameter the shape of the first tensor argument (update_shapes_dict_for_target_fn)
        elif several is None and (not isinstance(x, Tensor) or len(args) + len(kwargs) != 1):
            if self.member(b.cls, "build") is not _NOT_FOUND or self.member(b.cls, "compute_output_shape") \
                    is not _NOT_FOUND:
                b.taint(self.unknown(f"`{b.cls.name}` is called on something other than one tensor, and its "
                                     "`build`/`compute_output_shape` are not followed then", e))
            return None
        if several is not None:
            # Keras gives build and compute_output_shape the shapes in the structure of the input (a list of
            # tuples for a list of tensors: tree.map_structure in Layer._maybe_build / compute_output_spec).
            shapes = [self.graph.live_shapes().tensor(t.ref, f"the input of {b.cls.name}") if isinstance(t, Tensor)
                      else t for t in several]
            unknown = next((s for s in shapes if isinstance(s, Unknown)), None)
            if unknown is not None:
                b.taint(unknown)
                return None
            shape = DictValue(dict(zip(keys, shapes))) if keys is not None else \
                ListValue(shapes) if isinstance(x, ListValue) else tuple(shapes)
        else:
            shape = self.graph.live_shapes().tensor(x.ref, f"the input of {b.cls.name}")
        if isinstance(shape, Unknown):
            b.taint(shape)
            return None
        build = self.member(b.cls, "build")
        if isinstance(build, Function):
            # Keras gives a build that names no shape (`def build(self)`) no argument (update_shapes_dict_for_target_fn)
            self.run_build(b, build, shape, e, given=len(_named_parameters(build)) > 1)
        elif build is not _NOT_FOUND:
            b.taint(build if isinstance(build, Unknown) else self.unknown(f"`{b.cls.name}.build` is not known", e))
        elif b.parent is not None:
            self.parent_weights(b, shape, e)  # the Keras layer's own build
        b.attrs["built"] = True  # Keras's build wrapper (compute_output_shape's `if not self.built:` reads it)
        return shape

    def model_build(self, b: ModelBuilder, args: Tuple[Any, ...], e: Any) -> None:
        """Keras's ``_maybe_build`` before a subclassed model's first call, for a class that defines ``build``
        with one parameter: that ``build`` runs on the shape of the tensor ``call`` is first given (batch axis
        included: ``None`` on ``keras.Input``, the first batch's size in ``fit``), and Keras then runs ``call``,
        which builds the sublayers it calls. What ``build`` makes (layers, ``add_weight``) is the model's."""
        x = args[0] if args else None
        build = self.member(b.cls, "build")
        if not isinstance(build, Function) or not self.one_shape_build(b) or not isinstance(x, Tensor):
            reason = self.unknown(f"`{b.cls.name}.build()` is not followed for this call", e)
            b.taint(reason)
            if isinstance(build, Function):
                # A model of its own that this build calls (`self.net(dummy)`) is built there, on a shape that
                # is not known here (Keras keeps the batch size of that first call), not by the call() after it.
                for attr in _self_called(build.node):
                    held = b.attrs.get(attr)
                    if isinstance(held, ModelBuilder) and held.kind == "sequential" and held.input_layer is None \
                            and held.build_shape is None and held.built_by_node is None:
                        held.taint(self.unknown(f"`{b.cls.name}.build()` builds `self.{attr}` on a shape that is "
                                                "not followed", e))
            return
        shape = self.graph.live_shapes().tensor(x.ref, f"the input of {b.cls.name}")
        if isinstance(shape, Unknown):
            b.taint(shape)
            return
        self.run_build(b, build, shape, e)

    def one_shape_build(self, b: ModelBuilder, output_shape: bool = False) -> bool:
        """Does the custom layer define ``build`` with one parameter (besides ``self``) and no
        ``compute_output_shape``? Keras then builds it on the shape of the first tensor ``call`` is given, whatever
        the other arguments are (``layer(x, training=True)``, ``attention(x, context)``).

        ``output_shape``: a ``compute_output_shape`` that names one shape (besides ``self``; ``*args``/``**kwargs``
        may follow) is allowed too: Keras's ``update_shapes_dict_for_target_fn`` gives a function that names one
        shape the first tensor's, so it gets the same shape as ``build``."""
        build = self.member(b.cls, "build")
        if not isinstance(build, Function) or build.kind:
            return False
        shown = self.member(b.cls, "compute_output_shape")
        if shown is not _NOT_FOUND and not (output_shape and isinstance(shown, Function) and not shown.kind and
                                            len(_named_parameters(shown)) == 2):
            return False
        params = build.node.args
        call = self.member(b.cls, "call")
        first = _named_parameters(call)[1:2] if isinstance(call, Function) and not call.kind else []
        if first and (first[0].arg == "mask" or first[0].arg.endswith("_mask")):
            return False  # (Keras leaves masks out of the shapes it gives: the first shape is another tensor's)
        return len(_named_parameters(build)) == 2 and params.vararg is None and params.kwarg is None

    @staticmethod
    def tensor_list(x: Any) -> Optional[List[Any]]:
        """The items of a list or tuple of 2 to 16 known tensors (a custom layer's list input), else None. Arrays of
        known shape and NumPy scalars may be among them (Keras converts them to backend tensors, whose shapes
        build is given): as their shapes."""
        items = x.items if isinstance(x, ListValue) and x.tainted is None else x if isinstance(x, tuple) else None
        if items is None or not 2 <= len(items) <= 16 or not isinstance(items[0], Tensor):
            return None
        made: List[Any] = []
        for t in items:
            if isinstance(t, Tensor):
                made.append(t)
                continue
            if not _eager_array(t):
                return None
            if not isinstance(t, ArrayValue):
                made.append(())  # a NumPy scalar
                continue
            held = constant_operand(t)
            if held is None:
                return None
            made.append(held.shape)
        return made

    def layer_output_shape(self, b: ModelBuilder, shape: Tuple[Any, ...], e: Any) -> None:
        """A custom layer's ``compute_output_shape``: Keras shows what it returns (``call`` is not asked)."""
        method = self.member(b.cls, "compute_output_shape")
        if method is _NOT_FOUND:
            return
        if isinstance(method, Function):
            self.graph.keras3_shapes.append(shape)
            try:
                result = self.call_function(method, (b, shape), {}, e)
            finally:
                self.graph.keras3_shapes.pop()
        else:
            result = method
        several = _several_shapes(result)
        if several is not None:
            # A list or tuple of shapes (Keras's compute_output_spec maps each to a tensor): the layer gives that
            # many outputs, in a container of that kind
            b.fixed_output, b.output_container = several
            return
        if isinstance(result, ListValue):
            result = tuple(result.items) if result.tainted is None else result.tainted
        # A size from outside the analysed code (a builder's `n_classes`) stays a symbol in the shape.
        if not _static_shape(result):
            hidden = next((d for d in result if isinstance(d, Unknown)), None) if isinstance(result, tuple) else None
            why = result.reason if isinstance(result, Unknown) else hidden.reason if hidden is not None else \
                "it does not give one shape the analysis follows"
            b.taint(self.unknown(f"`{b.cls.name}.compute_output_shape()` is not followed: {why}", e))
            return
        b.fixed_output = result

    def spec_shown(self, b: ModelBuilder) -> bool:
        """Does the custom layer define ``compute_output_spec`` (a plain method) and ``build``? Called on symbolic
        tensors, Keras then builds it with ``build`` and takes the output from ``compute_output_spec``, never running
        ``call`` (``Operation.symbolic_call``). Without its own ``build``, Keras may run ``call`` to build it first:
        not followed."""
        spec, build = self.member(b.cls, "compute_output_spec"), self.member(b.cls, "build")
        return isinstance(spec, Function) and not spec.kind and not spec.decorated and isinstance(build, Function)

    def layer_output_spec(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
        """A custom layer's ``compute_output_spec``, run on the call's own arguments: the shape of the
        ``keras.KerasTensor`` it returns is the layer's output shape (``b.fixed_output``)."""
        method = self.member(b.cls, "compute_output_spec")
        saved, self.graph.spec_of = self.graph.spec_of, b
        try:
            result = self.call_function(method, (b, *args), dict(kwargs), e)
        finally:
            self.graph.spec_of = saved
        shape = result.shape if isinstance(result, SpecTensor) else None
        if not _static_shape(shape):
            why = result.reason if isinstance(result, Unknown) else \
                "it does not return one keras.KerasTensor of a shape the analysis follows"
            b.taint(self.unknown(f"`{b.cls.name}.compute_output_spec()` is not followed: {why}", e))
            return
        b.fixed_output = shape

    def trace_in_sequential(self, seq: ModelBuilder, e: Any, given: Any = None) -> None:
        """A Sequential with an input is rebuilt as a graph whenever it grows (one without an input, when
        it is first called): Keras then calls each layer
        on the previous one's output, which builds a custom layer (its ``build`` and ``call`` run). The
        layer is traced here on an input of the shape the Sequential gives it. A Sequential without an input
        among those layers is built on the shape it is given (``given``, its input shape): Keras calls its
        layers in turn, and its custom layers are traced as the outer Sequential's."""
        if given is None and (seq.input_layer is None and seq.built_by_node is None and not seq.implicit_input) \
                or seq.unresolved is not None or seq.index < 0:
            return
        for i, uid in enumerate(seq.layers):
            if uid in self.lambda_functions:
                self.trace_sequential_lambda(seq, i, uid, e, given)
                continue
            b = self.graph.submodel(uid)
            if b is not None and b.kind == "sequential" and b.input_layer is None and not b.implicit_input and \
                    b.built_by_node is None and b.built_on_data is None and b.unresolved is None and b is not seq:
                shape = self.sequential_prefix_shape(seq, i, given)
                if not b.names_built:
                    # Keras builds it when the outer one calls it, once: an InputLayer and a Functional of its own
                    b.names_built = True
                    if isinstance(shape, tuple) and b.layers:
                        self.graph.record_build(new_input=True)
                    else:
                        self.graph.unknown_build()
                if isinstance(shape, tuple):
                    self.trace_in_sequential(b, e, shape)
                continue
            if b is None or b.kind != "subclassed" or b.call_nodes is not None or b.unresolved is not None:
                continue
            shape = self.sequential_prefix_shape(seq, i, given)
            if isinstance(shape, Unknown):
                b.taint(Unknown(f"the input of `{b.keras_name}` in a Sequential is not known ({shape.reason})"))
                return
            # An input of that shape, made without Keras's auto-naming (it is no layer of the code).
            made = self.graph.record_input("input_layer", shape, self.graph.layer(uid).span)
            x = self.apply_layer(LayerObj(made.uid), None, e)
            self.call_subclassed(b, (x,), {}, e)

    def trace_sequential_lambda(self, seq: ModelBuilder, i: int, uid: int, e: Any, given: Any = None) -> None:
        """A Lambda without ``output_shape=`` in a Sequential: Keras traces its function on the output of the
        layers before it, so is it traced here (once: the node made records the shape; infer.py reads it)."""
        shape = self.sequential_prefix_shape(seq, i, given)
        if isinstance(shape, Unknown):
            return  # the Lambda stays unknown, with its own reason
        made = self.graph.record_input("input_layer", shape, self.graph.layer(uid).span)
        self.call_layer(LayerObj(uid), (self.apply_layer(LayerObj(made.uid), None, e),), {}, e)
        del self.lambda_functions[uid]

    def sequential_prefix_shape(self, seq: ModelBuilder, count: int, given: Any = None) -> Any:
        """The output shape of the Sequential's first ``count`` layers (its input shape for none), built on
        ``given`` for a Sequential without an input."""
        from ..infer import _Fail, infer_model

        if given is not None and count == 0:
            return given
        ctx = self.graph.live_shapes().context()
        model = ctx.ir.models[seq.index]
        try:
            result = infer_model(ctx, replace(model, layers=tuple(seq.layers[:count])), given_input=given)
        except (_Fail, RecursionError):
            return Unknown("the layers before it are not followed")
        outputs = result.outputs if result.status in ("exact", "symbolic") else None
        if not outputs or len(outputs) != 1 or not isinstance(outputs[0], tuple):
            return Unknown("; ".join(result.reasons) or "the layers before it are not followed")
        return tuple(outputs[0])

    def add_weight(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``self.add_weight(shape=..., trainable=...)`` in a custom layer: a weight Keras counts."""
        if args and isinstance(args[0], str):
            b.taint(self.unknown(f"`add_weight('{args[0]}', ...)`: Keras 3 raises for a positional name", e))
            return Weight()
        if len(args) > 3 or (args and "shape" in kwargs):
            b.taint(self.unknown("these add_weight() arguments are rejected by Keras", e))
            return Weight()
        foreign = sorted(k for k in kwargs if isinstance(k, str) and k not in _ADD_WEIGHT_KEYWORDS)
        if foreign:
            b.taint(self.unknown(f"Keras rejects it: add_weight() takes no `{foreign[0]}=` (Python raises TypeError: "
                                 "Keras 3's add_weight takes " + ", ".join(f"`{k}`" for k in _ADD_WEIGHT_KEYWORDS) +
                                 ")", e))
            return Weight()
        shape = args[0] if args else kwargs.get("shape", ())
        if isinstance(shape, ListValue) and shape.tainted is None:
            shape = tuple(shape.items)
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = (shape,)
        trainable = kwargs.get("trainable", True)
        if not isinstance(shape, tuple) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 or
                                                   isinstance(d, Expr) for d in shape) or not isinstance(trainable, bool):
            # (a size symbol, `self.num_capsule` of a parameter, is an integer size as in the catalogue's layers)
            b.taint(self.unknown(f"the shape or trainable flag of `{self.code(e)}` is not known", e))
            return Weight()
        size = 1
        for d in shape:
            size *= d
        b.own_weights = (*b.own_weights, (size, trainable))
        self.note_weight_dtype(b, {"dtype": args[2]} if len(args) == 3 else kwargs, e)
        if self.graph.tracing is not b:
            return Weight(shape)
        # In build: the variable is a tensor of that shape (no batch axis) that call's operations may use.
        return self.hidden_tensor(shape, e, b.span)

    def note_weight_dtype(self, b: ModelBuilder, kwargs: Dict[str, Any], e: Any) -> None:
        """A ``dtype=`` given to ``add_weight`` or to Keras's ``__init__`` of a custom layer or model that may make
        weights other than float32: their size in bytes is not followed (ModelDef.weight_dtype)."""
        dtype = kwargs.get("dtype")
        if b.weight_dtype is None and not cost.float32_weights(dtype):
            given = f"dtype={dtype!r}" if isinstance(dtype, str) else "a dtype"
            b.weight_dtype = f"`{self.code(e.func)}(...)` (line {self.span(e).line}) is given {given}" \
                if isinstance(e, ast.Call) else f"`{b.cls.name if b.cls is not None else b.name}` is given {given}"

    def hidden_tensor(self, shape: Tuple[Any, ...], e: Any, span: Span) -> Any:
        """A tensor of exactly ``shape`` (a weight, ``ops.arange(n)``) in a traced call, made as an input
        that is not one of the code's layers: no Keras name is taken."""
        made = self.graph.record_input("variable", shape, self.span(e) if e is not None else span)
        return self.apply_layer(LayerObj(made.uid), None, e)

    def build_subclassed(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
        """``model.build(shape)``: Keras's default ``build`` marks the model built, and builds no layer."""
        if b.custom_layer and self.graph.building is not None and self.graph.building is not b and \
                self.graph.tracing is not b:
            self.custom_sublayer_build(b, args, kwargs, e)
            return
        if b.custom_layer:
            if self.graph.tracing is not b and not (b.explicit_build and self.graph.building is b):
                b.taint(self.unknown(f"`{b.cls.name}.build()` called by the code is not followed", e))
                self.names_methods_may_use(b.cls, ("build",))  # (Keras runs it: what it makes takes names)
            elif b.parent is not None:
                # `super().build(input_shape)` in the build of a subclass of a Keras layer: that layer's weights
                shape = self.freeze(args[0] if args else kwargs.get("input_shape"))
                if isinstance(shape, tuple):
                    self.parent_weights(b, shape, e)
                else:
                    b.taint(self.unknown(f"the shape `{b.cls.name}` gives `super().build()` is not known", e))
            return  # `super().build(input_shape)` inside the layer: Keras's default build does nothing more
        if self.graph.building is b:
            return  # `super().build(input_shape)` in the model's own build: Keras's default build only marks it built
        if self.member(b.cls, "build") is not _NOT_FOUND:
            b.taint(self.unknown(f"`{b.cls.name}.build()` called by the code is not followed", e))
            self.names_methods_may_use(b.cls, ("build",))  # (Keras runs it: what it makes takes names)
            return
        shape = args[0] if args else kwargs.get("input_shape")
        b.build_shape = self.freeze(shape) if shape is not None else self.unknown("model.build() without a shape", e)

    def sublayer_build_method(self, base: Any, e: Any) -> Any:
        """``x.build`` read while a custom layer's ``build`` runs (``self.proj.build(shape)``): a Keras layer's
        is followed (``sublayer_build``); any other leaves the custom layer unresolved."""
        b = self.graph.building
        if isinstance(base, LayerObj) and self.graph.layer(base.uid).submodel is None:
            return BoundMethod(base, "build")
        if isinstance(base, ModelBuilder) and base.custom_layer and base.parent is None:
            return BoundMethod(base, "build")  # `block.build(shape)` of a custom layer: custom_sublayer_build
        why = self.unknown(f"`{b.cls.name}` calls `{self.code(e)}()` itself, which the analysis does not follow", e)
        b.taint(why)
        return why

    def sublayer_build(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``self.proj.build(shape)`` in a custom layer's ``build``: Keras builds the layer then, for that shape (its
        weights are made for it), and does not build it again when it is later called on another one."""
        b = self.graph.building
        layer = self.graph.layer(obj.uid)
        spec = catalogue.lookup(layer.type) if layer.known and not layer.operation else None
        shape = self.freeze(args[0] if args else kwargs.get("input_shape"))
        why = None
        if layer.type == "Lambda" and spec is not None and len(args) + len(kwargs) == 1 and \
                not set(kwargs) - {"input_shape"}:
            return None  # Keras's own build: a Lambda has no weights, and is traced again at each call
        elif spec is None or spec.build_names or layer.type in ("InputLayer", "Lambda"):
            why = f"`{self.code(e)}`: building `{layer.name}` this way is not followed"
        elif len(args) + len(kwargs) != 1 or set(kwargs) - {"input_shape"}:
            why = f"`{self.code(e)}`: these build() arguments are not followed"
        elif self.undecided > self.build_undecided:
            why = f"`{self.code(e)}` runs under a condition the analysis cannot decide"
        elif layer.built_shape is not None or next(self.graph.calls_of(obj.uid), None) is not None:
            why = f"`{self.code(e)}`: `{layer.name}` is built again, which the analysis does not follow"
        elif not _static_shape(shape):
            why = f"`{self.code(e)}`: the shape is not known"
        if why is not None:
            if b is not None:
                b.taint(self.unknown(why, e))
            elif spec is not None and layer.submodel is None:
                # Outside a custom layer's build (a model's __init__, the top of a file) Keras may have made the
                # layer's weights here all the same, for a shape not known: what they hold is not known, whether or
                # not the layer is called later (Keras does not build it again)
                self.graph.update_layer(obj.uid, built_shape=self.unknown(why, e))
                self.graph.layer_built(obj.uid)
            return self.unknown(why, e)
        self.graph.update_layer(obj.uid, built_shape=shape)
        self.graph.layer_built(obj.uid)
        return None

    def sublayer_output_shape(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``self.conv.compute_output_shape(shape)`` of a Keras layer in a custom layer's ``build``: the output
        shape the catalogue gives for an input of that shape, as a tuple (Keras's layers return tuples)."""
        from ..catalogue.spec import ShapeError, Unresolved, config

        layer = self.graph.layer(obj.uid)
        spec = catalogue.lookup(layer.type) if layer.known and not layer.operation and layer.submodel is None else None
        shape = self.freeze(args[0] if args else kwargs.get("input_shape"))
        if spec is None or len(args) + len(kwargs) != 1 or set(kwargs) - {"input_shape"}:
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        if not _static_shape(shape):
            return self.unknown(f"`{self.code(e)}`: the shape is not known", e)
        if layer.type == "Lambda" and obj.uid in self.lambda_functions:
            # Lambda.compute_output_shape without `output_shape=` traces the function on a tensor of that shape
            traced = self.trace_lambda(obj.uid, self.hidden_tensor(shape, e, layer.span), e)
            return traced if isinstance(traced, (tuple, Unknown)) else self.unknown(f"`{self.code(e)}` is not followed",
                                                                                     e)
        try:
            out = spec.output_shape(config(spec, layer), shape)
        except (ShapeError, Unresolved, TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError) as exc:
            return self.unknown(f"`{self.code(e)}` is not known ({getattr(exc, 'message', None) or exc})", e)
        if not _static_shape(out):
            return self.unknown(f"`{self.code(e)}` is not one shape the analysis follows", e)
        return out

    def custom_sublayer_build(self, sub: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
        """``block.build(shape)`` of a custom layer in another custom layer's ``build``: Keras runs the block's
        ``build`` then, on that shape (the weights it makes are the block's), marks it built, and does not build it
        again when it is called later (that later call is not followed: classes.trace_call)."""
        outer = self.graph.building
        shape = self.freeze(args[0] if args else kwargs.get("input_shape"))
        why = None
        if len(args) + len(kwargs) != 1 or set(kwargs) - {"input_shape"}:
            why = f"`{self.code(e)}`: these build() arguments are not followed"
        elif self.undecided > self.build_undecided:
            why = f"`{self.code(e)}` runs under a condition the analysis cannot decide"
        elif sub.explicit_build or sub.call_nodes is not None:
            why = f"`{self.code(e)}`: `{sub.cls.name}` is built again, which the analysis does not follow"
        elif not _static_shape(shape):
            why = f"`{self.code(e)}`: the shape is not known"
        build = self.member(sub.cls, "build") if why is None else None
        if why is None and build is not _NOT_FOUND and not isinstance(build, Function):
            why = f"`{sub.cls.name}.build` is not known"
        if why is not None:
            outer.taint(self.unknown(why, e))
            sub.taint(self.unknown(why, e))
            return
        sub.explicit_build = True
        if build is _NOT_FOUND:
            sub.attrs["built"] = True
            return  # Keras's own build: it makes nothing
        self.run_build(sub, build, shape, e)
        sub.attrs["built"] = True

    def run_build(self, b: ModelBuilder, build: Function, shape: Any, e: Any, given: bool = True) -> None:
        """Run the custom layer ``b``'s own ``build`` on ``shape`` (what it makes are ``b``'s sublayers and weights);
        an unknown it returns taints ``b``. ``given``: False when Keras calls ``build`` without the shape."""
        saved, self.graph.building = self.graph.building, b
        saved_depth, self.build_undecided = self.build_undecided, self.undecided
        self.graph.keras3_shapes.append(shape)
        try:
            result = self.call_function(build, (b, shape) if given else (b,), {}, e)
        finally:
            self.graph.building = saved
            self.build_undecided = saved_depth
            self.graph.keras3_shapes.pop()
        if isinstance(result, Unknown):
            b.taint(result)

    # -- subclasses of Keras layers ---------------------------------------
    def layer_init(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                   open_kwargs: Optional[Unknown] = None) -> None:
        """``super().__init__(...)`` of a subclass of a Keras layer (``class DepthwiseConv2D(Conv2D)``): the
        layer configured with those arguments (its weights and output shape, unless the subclass overrides
        them), named and registered as Keras names the subclass; the attributes its ``__init__`` sets that
        the analysis knows (``self.kernel_size`` as a tuple, ``self.padding`` lower-cased...)."""
        from ..catalogue.spec import ShapeError, Unresolved, config

        if b.initialized or b.cls is None:
            return
        parent = b.cls.keras_layer
        spec = catalogue.lookup(parent)
        b.initialized = True
        name = kwargs.get("name")
        # A name the analysis cannot read is left to Keras's naming, as for any layer (keras_calls.new_layer).
        self.graph.record_model(b, name, b.cls.name)
        self.note_weight_dtype(b, kwargs, e)
        given = {k: v for k, v in kwargs.items() if k not in ("name", "trainable")}
        if spec.defaults.get("data_format", "") is None and given.get("data_format") is None and \
                self.data_format != "channels_last" and spec.arg_names.index("data_format") >= len(args):
            given["data_format"] = self.data_format  # None is keras.config.image_data_format(), which the code set
        b.parent = LayerDef(uid=-1, type=spec.name, name=b.keras_name, args=tuple(self.freeze(a) for a in args),
                            kwargs=tuple((k, self.freeze(v)) for k, v in given.items()),
                            span=self.span(e) if e is not None else b.span, open_kwargs=open_kwargs)
        try:
            bound = config(spec, b.parent)
        except ShapeError as exc:
            b.taint(self.unknown(f"Keras rejects `super().__init__()` of `{b.cls.name}`: {exc.message}", e))
            return
        for arg in spec.arg_names:
            if arg not in _STORED and not (arg == "strides" and spec.family == "convolution"):
                continue
            try:
                b.attrs[arg] = bound.get(arg)
            except Unresolved as exc:
                b.attrs[arg] = self.unknown(f"`self.{arg}` of `{b.cls.name}` is not known ({exc.reason})", e)
            except ShapeError as exc:
                b.taint(self.unknown(f"Keras rejects `super().__init__()` of `{b.cls.name}`: {exc.message}", e))
                return
        if open_kwargs is None and (kwargs.get("input_dim") is not None or kwargs.get("input_shape") is not None):
            # Passed on to the base Layer.__init__, which keeps it: a Sequential the layer starts gets its input.
            dim = kwargs.get("input_dim")
            b.declared_input = self.freeze((dim,) if dim is not None else kwargs["input_shape"])
        if "trainable" in kwargs:
            self.set_trainable(b, kwargs["trainable"], e)

    def trace_layer_subclass(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> None:
        """The first call of a subclass of a Keras layer. Keras builds it (the subclass's ``build``, else the
        layer's). On symbolic tensors, Keras 3 takes the output shape from ``compute_output_shape`` (the
        subclass's, else the layer's), and runs no ``call``; inside a traced call it runs ``call`` (the
        subclass's is traced; the layer's own gives the layer's shape)."""
        start = self.graph.node_count()
        b.call_nodes = (start, start)
        symbolic = self.graph.tracing is None
        own_call, own_shape = self.member(b.cls, "call"), self.member(b.cls, "compute_output_shape")
        for method in (own_call, own_shape, self.member(b.cls, "build")):
            if isinstance(method, Unknown) or method is not _NOT_FOUND and not isinstance(method, Function):
                b.taint(method if isinstance(method, Unknown) else self.unknown(
                    f"a method of `{b.cls.name}` is not a function the analysis follows", e))
                return
        x = args[0] if args else kwargs.get("inputs")
        if not isinstance(x, Tensor) or len(args) + len(kwargs) != 1:
            b.taint(self.unknown(f"`{b.cls.name}` is called on something other than one tensor, which the "
                                 "analysis does not follow for a subclass of a Keras layer", e))
            return
        traced = own_call is not _NOT_FOUND and not symbolic
        if symbolic and own_call is not _NOT_FOUND and own_shape is _NOT_FOUND and \
                b.parent.type in _TRACES_CALL:
            b.taint(self.unknown(f"Keras traces `{b.cls.name}.call()` for its output shape, which is not followed", e))
            return
        saved, self.graph.tracing = self.graph.tracing, b
        try:
            shape = self.layer_build(b, args, kwargs, e)
            out = self.call_function(own_call, (b, *args), dict(kwargs), e) if traced and shape is not None else None
        finally:
            self.graph.tracing = saved
        b.call_nodes = (start, self.graph.node_count())
        if shape is None or b.unresolved is not None:
            return
        b.symbolic_call = True  # the output is fixed_output (below) unless call was traced
        b.inputs = (x.ref,)
        if traced:
            outs, _ = self.tensor_refs(out)
            if isinstance(outs, Unknown):
                b.taint(outs)
            else:
                b.outputs, b.symbolic_call = tuple(outs), False
        elif own_shape is not _NOT_FOUND and symbolic:
            self.layer_output_shape(b, shape, e)
        else:
            self.parent_output(b, shape, e)

    def parent_spec_call(self, b: ModelBuilder, what: str, shape: Tuple[Any, ...], e: Any) -> Any:
        """The Keras layer's weights or output shape (``what``) on an input of ``shape``, or None (the
        subclass is then unresolved with the reason)."""
        from ..catalogue.spec import ShapeError, Unresolved, config

        spec = catalogue.lookup(b.parent.type)
        try:
            fn = spec.weights if what == "weights" else spec.output_shape
            return fn(config(spec, b.parent), shape)
        except ShapeError as exc:
            why = exc.message
        except Unresolved as exc:
            why = exc.reason
        except (TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError) as exc:
            why = f"arguments not understood ({exc})"
        b.taint(self.unknown(f"the {what} of `{b.cls.name}` (from `{b.parent.type}`) are not known: {why}", e))
        return None

    def parent_weights(self, b: ModelBuilder, shape: Tuple[Any, ...], e: Any) -> None:
        """The weights the Keras layer's ``build`` makes for an input of ``shape``."""
        weights = self.parent_spec_call(b, "weights", shape, e)
        if weights is None:
            return
        if weights.trainable is None or weights.non_trainable is None:
            b.taint(self.unknown(f"the trainable split of `{b.cls.name}`'s weights is not known", e))
            return
        b.own_weights = (*b.own_weights, (weights.trainable, True), (weights.non_trainable, False))

    def parent_output(self, b: ModelBuilder, shape: Tuple[Any, ...], e: Any) -> None:
        """The Keras layer's output shape for an input of ``shape`` (its ``compute_output_shape``)."""
        out = self.parent_spec_call(b, "output shape", shape, e)
        if out is None:
            return
        if not isinstance(out, tuple) or not all(d is None or isinstance(d, (int, Expr)) for d in out):
            b.taint(self.unknown(f"`{b.parent.type}` gives `{b.cls.name}` several outputs, which the analysis "
                                 "does not follow", e))
            return
        b.fixed_output = out


#: Methods the analysis calls itself with the instance first (Keras's hooks): a static or class method of that name
#: is not followed.
_HOOKS = frozenset(("call", "build", "compute_output_shape", "compute_output_spec", "get_config", "set_model"))


def _bound(scope: Any, name: str) -> bool:
    """Does the analysed code bind ``name`` in ``scope`` or around it (a ``staticmethod`` of its own)?"""
    while scope is not None:
        if name in scope.vars:
            return True
        scope = scope.parent
    return False


def _builds_sublayer(cls: ClassValue, text: Any) -> Optional[str]:
    """The text of a ``x.build(...)`` call (other than ``super().build``) in a method of the class, if any:
    it builds a sublayer outside its first call, which Keras counts and the analysis does not follow. Those
    written in ``build`` itself run only with it, where they are followed (``sublayer_build``), and so do those of
    a helper method that only ``build`` (or such helpers) calls, ``self._build_layer(conv)``. A ``self.build(...)``
    under ``if not self.built:`` (in ``compute_output_shape``) does not run: Keras builds the layer before it asks
    for its output shape."""
    helpers = None  # (read only for a class whose methods call build: asked at every instantiation)
    for c in cls.mro:
        for name, member in c.members.items():
            if not isinstance(member, Function) or name == "build" and member.owner is c:
                continue
            calls = _calls_of(member.node, "build")
            if not calls:
                continue
            if helpers is None:
                helpers = _build_helpers(cls)
            if name in helpers:
                continue
            guarded = _unbuilt_guarded(member.node)
            for call in calls:
                target = call.func.value
                if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.func.id == "super":
                    continue
                if isinstance(target, ast.Name) and target.id == "self" and id(call) in guarded:
                    continue
                return text(call.func)
    return None


def _several_shapes(value: Any) -> Optional[Tuple[Tuple[Tuple[Any, ...], ...], str]]:
    """``compute_output_shape``'s result as several shapes (``[(None, 4), (None, 4)]``, a tuple of tuples, shapes
    given as lists too) and the kind of its container, "list" or "tuple"; None for anything else (one shape, or
    shapes the analysis does not know). A list or tuple whose first item is a size is one shape to Keras."""
    if isinstance(value, ListValue) and value.tainted is None:
        items, kind = value.items, "list"
    elif isinstance(value, tuple):
        items, kind = value, "tuple"
    else:
        return None
    shapes = tuple(tuple(i.items) if isinstance(i, ListValue) and i.tainted is None else i for i in items)
    if not shapes or not all(isinstance(i, (tuple, ListValue)) for i in items) or \
            not all(_static_shape(s) for s in shapes):
        return None
    return shapes, kind


def _static_shape(value: Any) -> bool:
    """Is ``value`` a shape as Keras's layers give one: a tuple of ints, symbolic sizes and None?"""
    return isinstance(value, tuple) and all(d is None or isinstance(d, (int, Expr)) and not isinstance(d, bool)
                                            for d in value)


def _self_calls(node: Any) -> List[str]:
    """The names ``m`` of the calls ``self.m(...)`` under ``node``."""
    return [c.func.attr for c in _per_node("calls.any", node, lambda n: [
        x for x in ast_walk(n) if isinstance(x, ast.Call)])
            if isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name) and c.func.value.id == "self"]


def _build_helpers(cls: ClassValue) -> frozenset:
    """The methods of the class (not Keras's hooks) that only ``build``, or other such methods, call as
    ``self.m(...)``: they run only while the layer builds."""
    methods = {}
    for c in reversed(cls.mro):
        methods.update({n: m for n, m in c.members.items() if isinstance(m, Function)})
    callers: Dict[str, set] = {}
    for name, member in methods.items():
        for called in _self_calls(member.node):
            callers.setdefault(called, set()).add(name)
    helpers = {n for n in methods if n not in _HOOKS and n not in ("__init__", "__call__") and callers.get(n)}
    changed = True
    while changed:  # drop a helper that anything but build or another helper calls
        changed = False
        for n in sorted(helpers):
            if not callers[n] <= helpers | {"build"}:
                helpers.discard(n)
                changed = True
    return frozenset(n for n in helpers if "build" in _reaching(n, callers, helpers))


def _reaching(name: str, callers: Dict[str, set], helpers: set) -> set:
    """The methods from which ``name`` is called, through helpers."""
    seen, todo = set(), [name]
    while todo:
        for c in callers.get(todo.pop(), ()):
            if c not in seen:
                seen.add(c)
                if c in helpers:
                    todo.append(c)
    return seen


def _unbuilt_guarded(node: Any) -> frozenset:
    """The ids of the calls in the body of an ``if not self.built:`` under ``node`` (cached per node)."""
    return _per_node("unbuilt_guarded", node, _find_unbuilt_guarded)


def _find_unbuilt_guarded(node: Any) -> frozenset:
    out = set()
    for stmt in ast_walk(node):
        test = getattr(stmt, "test", None)
        if isinstance(stmt, ast.If) and isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and \
                isinstance(test.operand, ast.Attribute) and test.operand.attr == "built" and \
                isinstance(test.operand.value, ast.Name) and test.operand.value.id == "self":
            out.update(id(x) for s in stmt.body for x in ast_walk(s) if isinstance(x, ast.Call))
    return frozenset(out)


class _MethodCalls:
    def __init__(self, attr: str) -> None:
        self.attr = attr
        self.found: List[ast.Call] = []

    def visit_Call(self, call: ast.Call) -> None:
        if isinstance(call.func, ast.Attribute) and call.func.attr == self.attr:
            self.found.append(call)


def _calls_of(node: Any, attr: str) -> List[ast.Call]:
    """The calls ``x.attr(...)`` under ``node``, in code order (cached: asked at every instantiation)."""
    return _per_node(f"calls_of.{attr}", node, lambda n: _visited(_MethodCalls(attr), n).found)


class Weight:
    """A variable made by a custom layer's ``add_weight``: counted, but not a tensor the analysis follows; ``shape``
    where it is known (made in ``__init__``: read in the layer's own ``call``, a tensor of that shape)."""

    def __init__(self, shape: Optional[Tuple[int, ...]] = None) -> None:
        self.shape = shape


def _weights_not_made(model: ModelBuilder) -> bool:
    """A model or custom layer held by a custom layer whose weights a run of its ``call`` may still make: not built
    when made (a functional model, a Sequential with an input), nor built by the code (``block.build(shape)``), nor a
    custom layer that makes none."""
    return not _built_when_made(model) and not model.explicit_build and not weightless(model)


def _built_when_made(model: ModelBuilder) -> bool:
    """Is this model built when it is made (a functional model, a Sequential with an input): its weights exist
    whether or not anything calls it?"""
    return model.kind == "functional" or model.kind == "sequential" and (model.input_layer is not None or
                                                                         model.implicit_input)


def _is_model_base(base: Any) -> bool:
    """A base of a model or layer class the analysis understands: one of the file's classes, Keras's, or
    ``abc.ABC`` (which adds only its metaclass's check of abstract methods)."""
    if isinstance(base, ClassValue) or isinstance(base, ExternalRef) and base.path == "abc.ABC":
        return True
    return isinstance(base, KerasRef) and (names.classify(base.path)[0] in ("model", "sequential") or
                                           _is_layer_base(base) or
                                           concrete_layer(base) is not None)


def concrete_layer(base: Any) -> Optional[str]:
    """The catalogue name of the Keras layer a base class is or subclasses (``Conv2D``), or None."""
    if isinstance(base, ClassValue):
        return base.keras_layer or None
    if not isinstance(base, KerasRef):
        return None
    kind, name = names.classify(base.path)
    spec = catalogue.lookup(name) if kind == "layer" and name != "Layer" else None
    return spec.name if spec is not None else None


def _is_layer_base(base: Any) -> bool:
    return isinstance(base, KerasRef) and names.classify(base.path) == ("layer", "Layer")


@functools.lru_cache(maxsize=1024)
def _sets_allow_positional(node: ast.AST) -> bool:
    """Does the function ``node`` name ``_allow_non_tensor_positional_args`` (``self.… = True``)? Once a function:
    each call of a custom layer asks it of every method of its classes."""
    return any(type(n) is ast.Attribute and n.attr == "_allow_non_tensor_positional_args" for n in ast_walk(node))


def custom_layer_bases(bases: Tuple[Any, ...]) -> bool:
    """Do these bases make a custom layer: ``keras.layers.Layer`` or a Keras layer of the catalogue
    (``Conv2D``), or a custom layer of the file?"""
    return any(_is_layer_base(b) or isinstance(b, ClassValue) and b.layer or concrete_layer(b) is not None
               for b in bases)


def _mro(cls: ClassValue) -> List[ClassValue]:
    """C3 linearisation over the classes defined in the file (Keras bases end every chain)."""
    order = c3_mro(cls)
    if order is None:  # inconsistent: Python would raise
        parents = [b for b in cls.bases if isinstance(b, ClassValue)]
        order = [cls]
        order += [c for b in parents for c in b.mro if c not in order]
    return order


def _self_called(node: ast.AST) -> List[str]:
    """The attributes of ``self`` that a function calls, directly or through ``.build(...)``, in order."""
    out: List[str] = []
    for sub in ast_walk(node):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        if isinstance(func, ast.Attribute) and func.attr == "build" and isinstance(func.value, ast.Attribute):
            func = func.value
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self" and \
                func.attr not in out:
            out.append(func.attr)
    return out


def _named_parameters(fn: Function) -> List[Any]:
    """The parameters of ``fn`` Keras's ``update_shapes_dict_for_target_fn`` counts: positional and keyword-only
    ones, ``self`` included (not ``*args``/``**kwargs``)."""
    params = fn.node.args
    return [*params.posonlyargs, *params.args, *params.kwonlyargs]


#: Where the symbol for the rows of an array a model is called on comes from (``eager_inputs``).
_ROWS = "the number of rows of the data the model is called on"
