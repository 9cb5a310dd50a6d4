"""Calls of Keras: layers, ``Input``, ``Sequential``, ``Model``, ``keras.applications``, model methods.

The interpreter turns them into the IR: :class:`~kerascount.ir.LayerDef` for each layer object,
:class:`~kerascount.ir.Node` for each call of a layer on tensors, and a model builder per model.
"""

from __future__ import annotations

import inspect
import os
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Tuple, Union

from .. import catalogue, cost, infer as _infer
from ..catalogue import legacy
# (imported here, not in the functions that use them: a function-level import costs a lookup of the package at
# every call, and these are called for every layer made)
from ..catalogue.spec import (BoundArgs, InvalidArguments, LayerSpec as _LayerSpec, ShapeError, Unresolved,
                              input_shape_kwarg, no_weights, numpy_int_rejected)
from ..ir import (ArrayArgument, ConstantArray, DynamicSize, FileFunction, LayerDef, Loss, Note, NumpyBool,
                  NumpyFloat, NumpyInt, RejectedCall, SliceKey, Span, TensorRef, UNKNOWN_NAME, Unknown)
from ..symbolic import Expr, render
from . import arrays, callbacks, live, names, ops_calls
from .sources import DTYPE_NAMES, scalar_operation
from .masks import FROM_INPUTS
from .values import (
    ArrayValue,
    SpecTensor,
    structure_dict,
    ClassValue,
    ExternalRef,
    WholeChoice,
    note_changed,
    AnalysisLimit,
    DictValue,
    DictView,
    External,
    Function,
    KerasRef,
    LambdaValue,
    LayerObj,
    ListValue,
    ModelBuilder,
    OpaqueCallable,
    Partial,
    Tensor,
    ViewItems,
    has_tensor,
    tensors_in,
)


#: Where Keras 3 exports its symbolic tensor class.
_KERAS_TENSOR = frozenset(("keras.KerasTensor", "keras.backend.KerasTensor",
                           "keras.backend.common.keras_tensor.KerasTensor"))

#: The output count of a spec that does not give its own (``LayerSpec.output_count``'s default: one tensor).
_ONE_OUTPUT = _LayerSpec.__dataclass_fields__["output_count"].default

#: Model methods that run the model on data: they build a subclassed model not built yet.
_BUILT_ON_DATA = {"fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
                  "fit_generator", "evaluate_generator", "predict_generator"}


#: Keras functions that turn an identifier into an initializer, regularizer, constraint or activation.
#: Merge layers Keras runs on a list holding an array of data beside its tensors (after the first: Node.constants).
_CONSTANT_MERGES = frozenset(("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"))
_GETTERS = frozenset(f"keras.{m}.get" for m in ("initializers", "regularizers", "constraints", "activations"))


def _is_metric_class(path: str) -> bool:
    """``keras.metrics.Mean``, ``keras.metrics.SparseCategoricalAccuracy``...: a metric class (not a function)."""
    module, _, last = path.rpartition(".")
    return module == "keras.metrics" and last[:1].isupper()


#: The arguments every Keras 3 optimizer takes (``BaseOptimizer.__init__``, after the class's own), and
#: ``decay``, which it accepts and ignores; any other keyword (Keras 2's ``lr``) raises "Argument(s) not
#: recognized".
_OPTIMIZER_BASE = ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum",
                   "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "name")
#: Keras 3 optimizers: the parameters of each before :data:`_OPTIMIZER_BASE` (the others of it), in order.
_OPTIMIZERS: Dict[str, Tuple[str, ...]] = {
    "SGD": ("learning_rate", "momentum", "nesterov"),
    "RMSprop": ("learning_rate", "rho", "momentum", "epsilon", "centered"),
    "Adam": ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"),
    "AdamW": ("learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad"),
    "Adamax": ("learning_rate", "beta_1", "beta_2", "epsilon"),
    "Nadam": ("learning_rate", "beta_1", "beta_2", "epsilon"),
    "Adadelta": ("learning_rate", "rho", "epsilon"),
    "Adagrad": ("learning_rate", "initial_accumulator_value", "epsilon"),
    "Lion": ("learning_rate", "beta_1", "beta_2"),
    "Lamb": ("learning_rate", "beta_1", "beta_2", "epsilon"),
}


def _is_optimizer(path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    """``keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)``: a Keras 3 optimizer made with arguments it
    accepts (an optimizer holds no layer, and its variables are not the weights of a model that keeps it)."""
    module, _, last = path.rpartition(".")
    own = _OPTIMIZERS.get(last) if module == "keras.optimizers" else None
    if own is None:
        return False
    params = (*own, *(p for p in _OPTIMIZER_BASE if p not in own))
    return len(args) <= len(params) and not set(params[:len(args)]) & set(kwargs) and \
        set(kwargs) <= {*params, "decay"} and not any(has_tensor(v) for v in (*args, *kwargs.values()))



#: Keyword arguments of a layer call that take tensors (an RNN's states, attention masks): when one is not
#: known, the tensors it holds, and so the layers of the model that made them, are not known either.
_TENSOR_KEYWORDS = ("initial_state", "constants", "attention_mask", "query_mask", "value_mask", "key_mask")


#: Keras layers whose ``__call__`` is DataLayer's, ``__call__(self, inputs, **kwargs)``: a second argument by position
#: raises TypeError, whatever it is.
_DATA_LAYERS = frozenset((
    "AugMix", "AutoContrast", "CategoryEncoding", "CenterCrop", "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix", "Discretization", "Equalization", "MaxNumBoundingBoxes", "MelSpectrogram", "MixUp", "Normalization",
    "RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop",
    "RandomElasticTransform", "RandomErasing", "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue",
    "RandomInvert", "RandomPerspective", "RandomPosterization", "RandomRotation", "RandomSaturation",
    "RandomSharpness", "RandomShear", "RandomTranslation", "RandomZoom", "Rescaling", "Resizing", "Solarization"))
#: Keras layers whose ``__call__`` takes values other than tensors by position (``_allow_non_tensor_positional_args``).
#: Every other layer, and a Sequential or functional model, raises ValueError ("Only input tensors may be passed as
#: positional arguments") on a bool, number or string given by position: ``self.shortcut(x, training)``.
_NON_TENSOR_POSITIONAL_OK = frozenset((
    "HashedCrossing", "Hashing", "IndexLookup", "IntegerLookup", "Pipeline", "StringLookup", "TextVectorization"))


def _scalar_by_position(args: Tuple[Any, ...]) -> Optional[Tuple[int, Any]]:
    """(position from 1, value) of the first bool, number or string among the positional arguments of a layer call
    (Keras flattens them: items of lists and tuples count, nested ones too), else None. None itself is allowed; an
    unknown is not one of these."""
    for at, arg in enumerate(args, 1):
        todo = [arg]
        while todo:
            value = todo.pop(0)
            if isinstance(value, ListValue):
                if value.tainted is None:
                    todo[:0] = value.items
            elif isinstance(value, tuple):
                todo[:0] = value
            elif isinstance(value, (bool, int, float, str)) and not isinstance(value, (NumpyInt, NumpyFloat)):
                return at, value  # (a NumPy scalar is converted to a tensor, as an array is: Keras takes it)
    return None


def non_tensor_positional(name: str, args: Tuple[Any, ...], kind: Optional[str] = None) -> Optional[str]:
    """Why Keras 3 rejects a call on ``args`` of the layer or model ``name`` (of the catalogue class ``kind``; None
    for a Sequential or functional model), else None."""
    if kind in _DATA_LAYERS:
        if len(args) < 2:
            return None
        return (f"{name} is given {len(args)} arguments by position: Keras 3 raises TypeError (\"DataLayer.__call__() "
                "takes 2 positional arguments\"); give the others by keyword (`training=...`)")
    if kind in _NON_TENSOR_POSITIONAL_OK:
        return None
    scalar = _scalar_by_position(args)
    if scalar is None:
        return None
    at, value = scalar
    if not any(isinstance(v, (bool, int, float, str)) and v is value for v in args):
        # (inside a list or tuple it is given: `attention([x, window_size, mask])`)
        return (f"{name} is given {value!r} inside its positional argument {at}: Keras 3 raises ValueError (\"Only "
                "input tensors may be passed as positional arguments\", items of lists included); give the value "
                "as a keyword argument of `call`, or keep it as an attribute of the layer")
    return (f"{name} is given {value!r} by position (argument {at}): Keras 3 raises ValueError (\"Only input tensors "
            "may be passed as positional arguments\"); give it by keyword (`training=...`)")


def _eager_array(value: Any) -> bool:
    """What Keras's ``Layer.__call__`` converts to a backend tensor when it is given among a call's positional
    arguments (``DTypePolicy.convert_input``: a value with ``__array__``): an array, a NumPy scalar, or what a
    ``keras.ops`` function gives on numbers; not a Python number."""
    return isinstance(value, (ArrayValue, NumpyInt, NumpyFloat, NumpyBool))


def _unknown_in(value: Any) -> Optional[Unknown]:
    """The first Unknown in a call argument (itself, or an item of its list or tuple), else None."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, ListValue):
        if value.tainted is not None:
            return value.tainted
        value = tuple(value.items)
    if isinstance(value, tuple):
        for item in value:
            found = _unknown_in(item)
            if found is not None:
                return found
    return None


#: ``get_source_inputs`` in Keras 3 (``keras.utils``) and where Keras 2 had it.
_SOURCE_INPUTS = frozenset({"keras.utils.get_source_inputs", "keras.engine.get_source_inputs",
                            "keras.engine.topology.get_source_inputs", "keras.engine.network.get_source_inputs",
                            "keras.utils.layer_utils.get_source_inputs"})

#: Keras's setters of the default dtype policy or float type, and the modules that hold them (tf.keras 2.3's
#: ``mixed_precision.experimental.set_policy`` included).
_DTYPE_SETTERS = {
    "set_floatx": ("keras.backend", "keras.config"),
    "set_dtype_policy": ("keras.config", "keras.mixed_precision", "keras.dtype_policies"),
    "set_global_policy": ("keras.mixed_precision", "keras.mixed_precision.experimental"),
    "set_policy": ("keras.mixed_precision.experimental",),
}


class KerasObject:
    """What one of :data:`_GETTERS` returns: an object of Keras that is no layer, weight or tensor (an attribute
    holding it tracks nothing); nothing else about it is followed."""

    def __init__(self, path: str) -> None:
        self.path = path


#: The preprocessing each ``keras.applications`` module's ``preprocess_input`` applies (Keras 3).
_PREPROCESSING = {
    **dict.fromkeys(("vgg16", "vgg19", "resnet", "resnet50"), "caffe"),
    **dict.fromkeys(("mobilenet", "mobilenet_v2", "inception_v3", "xception", "inception_resnet_v2", "resnet_v2",
                     "nasnet"), "tf"),
    "densenet": "torch",
    **dict.fromkeys(("efficientnet", "efficientnet_v2", "convnext", "mobilenet_v3"), "identity"),
}


def _application_preprocessing(path: str) -> bool:
    """Is ``path`` a ``keras.applications`` module's ``preprocess_input`` (``Keras.application_preprocessing``)?"""
    module, _, last = path.rpartition(".")
    return last == "preprocess_input" and module.startswith("keras.applications.")


#: Keras 3's activation functions that are one ``keras.ops`` call on their input: name → (that function, or
#: None for ``linear``, which returns its input; the activation's parameters with its defaults, in order).
_ACTIVATION_OPS: Dict[str, Tuple[Optional[str], Tuple[Tuple[str, Any], ...]]] = {
    **{name: (name, (("x", None),)) for name in (
        "hard_sigmoid", "hard_tanh", "log_sigmoid", "relu6", "selu", "sigmoid", "silu", "softplus", "softsign",
        "sparse_plus", "sparse_sigmoid", "tanh", "tanh_shrink")},
    "swish": ("silu", (("x", None),)),
    "exponential": ("exp", (("x", None),)),
    "linear": (None, (("x", None),)),
    "celu": ("celu", (("x", None), ("alpha", 1.0))),
    "elu": ("elu", (("x", None), ("alpha", 1.0))),
    "gelu": ("gelu", (("x", None), ("approximate", False))),
    "hard_shrink": ("hard_shrink", (("x", None), ("threshold", 0.5))),
    "soft_shrink": ("soft_shrink", (("x", None), ("threshold", 0.5))),
    "leaky_relu": ("leaky_relu", (("x", None), ("negative_slope", 0.2))),
    "log_softmax": ("log_softmax", (("x", None), ("axis", -1))),
    "softmax": ("softmax", (("x", None), ("axis", -1))),
    "squareplus": ("squareplus", (("x", None), ("b", 4))),
}


class _TooLarge(Exception):
    """A value unfolds to more items than ``freeze`` copies."""


#: Exact types ``_frozen`` returns as they are (a subclass, such as NumpyInt, takes the tests there).
_SCALARS = frozenset({int, float, str, bool, type(None)})


class KerasCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    def activation_call(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                        open_kwargs: Optional[Unknown]) -> Any:
        """``keras.activations.swish(x)`` on a tensor: Keras 3's function is ``return ops.silu(x)``, so the
        model holds that operation (``linear`` returns ``x`` itself); ``relu`` makes an operation of its own class,
        ``ReLU(negative_slope, max_value, threshold)(x)``; None for the others (``mish`` and ``hard_silu``
        convert their input first)."""
        if name == "relu":
            params = ("x", "negative_slope", "max_value", "threshold")
            if open_kwargs is not None or len(args) > len(params) or set(kwargs) - set(params[1:]):
                return None
            return self.new_operation("ReLU", (args[0],), {**dict(zip(params[1:], args[1:])), **kwargs}, e)
        found = _ACTIVATION_OPS.get(name)
        if found is None or open_kwargs is not None:
            return None
        function, params = found
        names_ = [p for p, _ in params]
        if len(args) > len(params) or set(kwargs) - set(names_) or set(names_[:len(args)]) & set(kwargs):
            return None
        bound = {**dict(params), **dict(zip(names_, args)), **kwargs}
        if function is None:
            return args[0]
        _module, cls = catalogue.ops.FUNCTIONS[function]
        return self.new_operation(cls, (args[0],), {k: bound[k] for k in names_[1:]}, e)

    def call_keras(self, ref: KerasRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                   open_kwargs: Optional[Unknown]) -> Any:
        given = (*args, *kwargs.values())
        if ref.path.startswith("keras.random."):
            value = self.eager_tensor(ref.path, args, kwargs, e)  # keras.random.uniform((4, 32)) at the top level
            if value is not None:
                return value
        if ref.path in _KERAS_TENSOR and self.graph.spec_of is not None and len(args) <= 2 and \
                not set(kwargs) - {"shape", "dtype"} and (args or "shape" in kwargs):
            # `keras.KerasTensor(shape, dtype=...)` returned by a custom layer's compute_output_spec
            return SpecTensor(self.freeze(args[0] if args else kwargs["shape"]))
        if ref.path == "keras.activations.get" and len(given) == 1 and (given[0] is None or isinstance(given[0], str)):
            return KerasRef(f"keras.activations.{given[0] or 'linear'}")  # the activation function itself
        if ref.path in _GETTERS and len(given) == 1 or ref.path.endswith(".InputSpec") or \
                _is_metric_class(ref.path) and not any(has_tensor(v) for v in given) or \
                open_kwargs is None and _is_optimizer(ref.path, args, kwargs):
            # `initializers.get(...)`, `InputSpec(ndim=4)` in a layer, `keras.metrics.Mean(name="loss")` or
            # `keras.optimizers.Adam()` kept by a model: an object that holds no layer and no weight (a metric's or
            # an optimizer's variables are not the model's weights, and its name takes no layer's counter)
            return KerasObject(ref.path)
        if ref.path.startswith("keras.activations.") and args and isinstance(args[0], Tensor):
            value = self.activation_call(ref.path.rsplit(".", 1)[1], args, kwargs, e, open_kwargs)
            if value is not None:
                return value
        if ref.path.startswith("keras.activations.") and args and isinstance(args[0], Unknown) and \
                ref.path.rsplit(".", 1)[1] in (*_ACTIVATION_OPS, "relu"):
            return args[0]  # `swish(x)` of an `x` not known: why `x` is not known
        if ref.path in legacy.MERGE_PATHS and (args or kwargs):
            return self.keras1_merge(args, kwargs, e, open_kwargs)
        kind, name = names.classify(ref.path)
        if kind == "layer":
            layer = self.new_layer(name, args, kwargs, e, open_kwargs=open_kwargs)
            return layer
        if kind == "layer_function":
            inputs = args[0] if args else kwargs.pop("inputs", None)
            kwargs = catalogue.function_arguments(name, args[1:], kwargs)
            layer = self.new_layer(name, args[1:], kwargs, e, open_kwargs=open_kwargs)
            return self.apply_layer(layer, inputs, e)
        if kind == "input":
            return self.new_input(args, kwargs, e, open_kwargs)
        if kind in ("sequential", "model"):
            if kind == "sequential":
                args, kwargs = _sequential_arguments(args, kwargs)
            b = self.new_sequential(args, kwargs, e) if kind == "sequential" else self.new_functional(args, kwargs, e)
            if isinstance(b, ModelBuilder):
                self.constructor_trainable(b, kwargs, e)
            return b
        if kind == "application":
            return self.new_application(name, args, kwargs, e, open_kwargs)
        if kind == "operation" and any(has_tensor(v) for v in (*args, *kwargs.values())):
            if name == "Meshgrid":
                args = (tuple(args),)  # (`meshgrid(*x, indexing=...)`: its inputs as the one operand its spec reads)
            if name == "Einsum":
                if kwargs or not args:  # (Keras passes keywords on to the backend's einsum: not followed)
                    return self.unknown(f"`{self.code(e)}` with keyword arguments is not followed", e)
                args = (args[0], tuple(args[1:]))  # (`einsum(subscripts, *operands)`: likewise)
            return self.new_operation(name, args, kwargs, e, open_kwargs)
        if kind == "operation":
            # An operand the analysis does not know (it may be a tensor): why, rather than "not analysed".
            spec = catalogue.operation(name)
            bound = {**dict(zip((a.name for a in spec.signature), args)), **kwargs}
            hidden = next((u for u in (_unknown_in(bound.get(n)) for n in spec.call_inputs) if u is not None), None)
            if hidden is not None:
                return hidden
        if ref.path.endswith(".__init__") and names.classify(ref.path[:-len(".__init__")])[0] in ("model", "sequential") \
                and args and isinstance(args[0], ModelBuilder):
            # keras.Model.__init__(self, ...), or super().__init__(...), in a subclass's __init__
            return self.model_init(args[0], args[1:], kwargs, e, open_kwargs)
        if ref.path.endswith(".__init__") and args and isinstance(args[0], ModelBuilder) and \
                args[0].cls is not None and args[0].cls.keras_layer and \
                names.classify(ref.path[:-len(".__init__")])[0] == "layer":
            # super().__init__(...) (or Conv2D.__init__(self, ...)) in a subclass of a Keras layer
            return self.layer_init(args[0], args[1:], kwargs, e, open_kwargs)
        made = catalogue.ops.maker(ref.path)
        if made is not None and self.graph.tracing is not None:
            # `ops.arange(n)` in a traced call runs eagerly: a tensor of the size the catalogue gives
            try:
                return self.hidden_tensor(made(*args, **kwargs), e, Span(1, 1, 1, 1))
            except (catalogue.errors.Unresolved, catalogue.errors.ShapeError, TypeError) as exc:
                return self.unknown(f"the shape of `{self.code(e)}` is not known ({exc})", e)
        if self.graph.tracing is not None and scalar_operation(ref.path, args, kwargs):
            # `ops.sqrt(8.0)`, `ops.log(max_distance / max_exact)` in a traced call: the backend computes a 0-d tensor
            # at once (its value, computed in float32, is not kept)
            return self.hidden_tensor((), e, Span(1, 1, 1, 1))
        value = self.backend_operation(ref.path, args, kwargs, e)  # K.sum(x) in a Lambda's body
        if value is ops_calls.NOT_MINE:
            value = self.shape_function(ref.path, args, kwargs, e)
        if value is arrays.NOT_MINE:
            value = self.image_data_format(ref.path, args, kwargs, e)
        if value is arrays.NOT_MINE:
            value = self.fuzz_factor(ref.path, args, kwargs)
        if value is arrays.NOT_MINE:
            value = self.dtype_setting(ref.path, args, kwargs, e)
        if value is arrays.NOT_MINE:
            value = self.clear_session(ref.path, args, kwargs)
        if value is arrays.NOT_MINE:
            value = self.get_uid(ref.path, args, kwargs, e)
        if value is arrays.NOT_MINE:
            value = self.source_inputs(ref.path, args, kwargs)
        if value is arrays.NOT_MINE:
            value = self.is_keras_tensor(ref.path, args, kwargs)
        if value is arrays.NOT_MINE:
            value = self.application_preprocessing(ref.path, args, kwargs, e)
        if value is arrays.NOT_MINE:
            value = arrays.keras_call(self, ref.path, args, kwargs, e)
        if value is not arrays.NOT_MINE:
            return value
        if ref.path.startswith("keras.losses.") and ref.path.rsplit(".", 1)[1][:1].isupper():
            return Loss(ref.path.rsplit(".", 1)[1], tuple((k, self.freeze(v)) for k, v in kwargs.items()))
        return self.opaque_call(ref.path, f"`{ref.path}` is not analysed", args, kwargs, e)

    def keras1_merge(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any, open_kwargs: Optional[Unknown]) -> Any:
        """Keras 1's ``merge([a, b], mode=...)``: the Keras 3 layer that builds the same output (catalogue/legacy.py),
        or, for a function as ``mode``, a ``Lambda`` of it with its ``output_shape=`` (Keras 1 computed the shape
        from that alone)."""
        if open_kwargs is not None:
            return open_kwargs
        extra = set(kwargs) - set(legacy.MERGE_PARAMETERS)
        if len(args) > len(legacy.MERGE_PARAMETERS) or extra:
            return self.unknown(f"Keras 1 `merge` does not take {', '.join(sorted(extra)) or 'so many arguments'}", e)
        bound = dict(zip(legacy.MERGE_PARAMETERS, args))
        bound.update(kwargs)
        inputs, mode = bound.get("inputs"), bound.get("mode", "sum")
        named = {"name": bound["name"]} if bound.get("name") is not None else {}
        if any(bound.get(k) is not None for k in ("node_indices", "tensor_indices", "output_mask")):
            return self.unknown("Keras 1 `merge` with node_indices, tensor_indices or output_mask is not followed", e)
        if isinstance(mode, (Function, LambdaValue, Partial)):
            if bound.get("output_shape") is None:
                return self.unknown("Keras 1 `merge` with a function as `mode` and no `output_shape=`: Keras 1 "
                                    "did not infer the shape of its output", e)
            lambda_kwargs = {"output_shape": bound["output_shape"], **named}
            if bound.get("arguments") is not None:
                lambda_kwargs["arguments"] = bound["arguments"]
            layer = self.new_layer("Lambda", (mode,), lambda_kwargs, e)
            return self.call_layer(layer, (inputs,), {}, e)
        made = legacy.merge_layer(mode, bound.get("concat_axis", -1), bound.get("dot_axes", -1)) \
            if isinstance(mode, str) else None
        if made is None:
            what = f"mode {mode!r}" if isinstance(mode, str) else "this `mode`"
            return self.unknown(f"Keras 1 `merge` with {what} is not followed", e)
        type_name, layer_kwargs = made
        if mode in ("sum", "mul", "ave", "max", "cos"):
            # Keras 1 merged only inputs of one shape in these modes (it raised for sum, mul, ave and cos; for max
            # it gave the first input's shape), where Keras 3's layers broadcast others.
            items = inputs.items if isinstance(inputs, ListValue) and inputs.tainted is None else \
                list(inputs) if isinstance(inputs, tuple) else []
            shapes = {self.graph.live_shapes().tensor(t.ref, "an input of merge") if isinstance(t, Tensor) else None
                      for t in items}
            if len(shapes) != 1 or not all(isinstance(s, tuple) for s in shapes):
                return self.unknown(f"Keras 1 `merge(mode={mode!r})` merges only inputs of one known shape; "
                                    "these are not", e)
        layer = self.new_layer(type_name, (), {**layer_kwargs, **named}, e)
        return self.call_layer(layer, (inputs,), {}, e)

    def image_data_format(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``image_data_format()`` (and Keras 2's ``image_dim_ordering()``) read Keras's default configuration,
        ``channels_last``, unless the code set another with ``set_image_data_format``; or NOT_MINE. Keras 2.0 to 2.2
        also had them in ``keras.backend.common`` (``K.common.image_dim_ordering()``, as keras-frcnn reads it)."""
        module, _, last = path.rpartition(".")
        if module not in ("keras.backend", "keras.config", "keras.backend.common"):
            return arrays.NOT_MINE
        if last in ("image_data_format", "image_dim_ordering") and not args and not kwargs:
            if last == "image_data_format" or isinstance(self.data_format, Unknown):
                return self.data_format
            return {"channels_last": "tf", "channels_first": "th"}[self.data_format]
        if last in ("set_image_data_format", "set_image_dim_ordering") and len(args) + len(kwargs) == 1:
            value = args[0] if args else next(iter(kwargs.values()))
            if isinstance(value, str):
                value = {"tf": "channels_last", "th": "channels_first"}.get(value, value) \
                    if last == "set_image_dim_ordering" else value.lower()
            known = value in ("channels_last", "channels_first")
            self.data_format = value if known else self.unknown(
                f"the image data format set by `{self.code(e)}` is not known", e)
            return None
        return arrays.NOT_MINE

    def fuzz_factor(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``keras.backend.epsilon()`` (``keras.config.epsilon()``): Keras's default configuration, 1e-07, where no
        analysed module mentions ``set_epsilon`` (a layer keeps it, ``self.epsilon = K.epsilon()``, as a number
        that holds no weight); NOT_MINE otherwise (not followed)."""
        if path not in ("keras.backend.epsilon", "keras.config.epsilon") or args or kwargs or \
                self.positions.mentions("set_epsilon"):
            return arrays.NOT_MINE
        return 1e-07

    def dtype_setting(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``keras.config.floatx()``: "float32" unless the code set a dtype. ``keras.config.set_floatx(...)``,
        ``set_dtype_policy(...)``, ``mixed_precision.set_global_policy(...)`` (and
        tf.keras 2's ``mixed_precision.experimental.set_policy``). Before the run makes any layer or model (outside
        an undecided branch and an uncalled builder), every layer made afterwards takes that dtype
        (``Interpreter.weight_dtype``: Keras 3 fixes its default policy at the first layer); anywhere else a dtype
        whose weights are not those of the layers already made leaves the bytes of the file's weights not followed
        (``Interpreter.dtype_set``). None (what they return), or NOT_MINE."""
        module, _, last = path.rpartition(".")
        if last == "floatx" and module in ("keras.backend", "keras.config") and not args and not kwargs:
            # Keras's default configuration (as image_data_format), where the code has set no dtype so far
            return "float32" if self.dtype_set is None and self.weight_dtype == "float32" else arrays.NOT_MINE
        if last not in _DTYPE_SETTERS or module not in _DTYPE_SETTERS[last]:
            return arrays.NOT_MINE
        value = args[0] if len(args) == 1 and not kwargs else \
            next(iter(kwargs.values())) if len(kwargs) == 1 and not args else Unknown("")
        made = cost.variable_dtype(value) if isinstance(value, str) else "?"
        if made not in (None, "?") and self.dtype_set is None and self.uncalled is None and not self.undecided \
                and self.graph.layer_count() == 0 and not self.graph.models:
            # Before any layer: every layer made afterwards takes this policy (Keras 3 fixes it at the first one)
            self.weight_dtype = made
        elif (made != "float32" or self.weight_dtype != "float32") and self.dtype_set is None:
            self.dtype_set = f"`{self.code(e)}` (line {self.span(e).line}) sets Keras's default dtype"
        return None

    def is_keras_tensor(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``keras.backend.is_keras_tensor(x)`` (``isinstance(x, KerasTensor)``): True for a tensor of a functional
        graph (not inside a layer's call, which Keras may trace on the backend's tensors), and for a parameter the
        probe takes as not None (extract/params.py: it binds it only to a keras.Input); False for a number, string,
        None, tuple, list or dict; else NOT_MINE."""
        if path not in ("keras.backend.is_keras_tensor", "keras.utils.is_keras_tensor") or kwargs or len(args) != 1:
            return arrays.NOT_MINE
        x = args[0]
        if isinstance(x, Tensor) and self.graph.tracing is None:
            return True
        if x is None or isinstance(x, (bool, int, float, str, tuple, ListValue, DictValue)):
            return False
        probe = self.param_probe
        if probe is not None and self.graph.tracing is None and probe.keras_tensor(x):
            return True
        return arrays.NOT_MINE

    def source_inputs(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``keras.utils.get_source_inputs(t)`` of a Keras tensor: the list of the ``Input`` tensors ``t`` is computed
        from, in the order Keras finds them (each node's inputs in turn, depth first, each once); or NOT_MINE (a
        tensor made from something else than Inputs, or any other call). Keras 2 had the same function under
        ``keras.engine(.topology, .network)`` and ``keras.utils.layer_utils`` (the copies of Keras's applications
        that model zoos keep import it from there)."""
        if path not in _SOURCE_INPUTS or kwargs or len(args) != 1 or not isinstance(args[0], Tensor):
            return arrays.NOT_MINE
        found: List[TensorRef] = []
        seen: set = set()
        stack = [args[0].ref]
        while stack:
            ref = stack.pop()
            if ref.node in seen:
                continue  # (its sources are found already)
            seen.add(ref.node)
            node = self.graph.node(ref.node)
            if not node.parents:
                if self.graph.layer(node.layer).type != "InputLayer":
                    return arrays.NOT_MINE
                found.append(ref)
            stack.extend(reversed(node.parents))
        return ListValue([Tensor(r) for r in found])

    def clear_session(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``keras.backend.clear_session()`` (``keras.utils.clear_session``): Keras's name counters start afresh, so
        the layers and models made after it are named as in a new program (``dense``, ``sequential``); or
        NOT_MINE. Under a condition the analysis cannot decide, every automatic name made afterwards is unknown
        (the counters either started afresh or did not; until a clear_session() the analysis decides)."""
        if path not in ("keras.backend.clear_session", "keras.utils.clear_session") or \
                len(args) + len(kwargs) > 1 or set(kwargs) - {"free_memory"}:
            return arrays.NOT_MINE
        if self.undecided:
            self.graph.names_unknown = True
        else:
            self.graph.name_counts = {}
            self.graph.uncertain_names = set()
            self.graph.names_unknown = False
        return None

    def get_uid(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``keras.backend.get_uid(prefix)``: Keras adds one to its counter of ``prefix`` and returns it (1 the first
        time). Automatic names use the same counters (the next layer named from that prefix is ``prefix_<count>``:
        after ``get_uid("dense")`` the next Dense is ``dense_1``), so the call is followed as a name made; the count
        is unknown where the counter is (names after undecided code, or a ``clear_session()`` under a condition).
        A prefix that is not known may be any counter's: every automatic name made afterwards is unknown. NOT_MINE
        for any other function."""
        if path != "keras.backend.get_uid":
            return arrays.NOT_MINE
        if len(args) + len(kwargs) > 1 or set(kwargs) - {"prefix"}:
            return self.unknown(f"`{self.code(e)}`: these get_uid() arguments are not followed", e)
        prefix = args[0] if args else kwargs.get("prefix", "")
        if not isinstance(prefix, str):
            self.graph.names_unknown = True
            return self.unknown(f"`{self.code(e)}`: the prefix is not known (every automatic name made "
                                "afterwards is unknown: Keras names layers from the same counters)", e)
        count = self.graph.name_counts.get(prefix, 0) + 1
        self.graph.name_counts[prefix] = count
        if self.graph.names_unknown or prefix in self.graph.uncertain_names:
            return self.unknown(f"`{self.code(e)}`: Keras's count of the name {prefix!r} is not known here (code "
                                "before it made such names where the analysis cannot follow)", e)
        return count

    def application_preprocessing(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``keras.applications.<module>.preprocess_input(t)`` on a Keras tensor: the operations Keras's
        ``imagenet_utils`` records in the graph for the module's mode (channels_last): "tf" divides and
        subtracts; "torch" divides, adds the mean and divides by the deviation; "caffe" reverses the channels
        (three ``GetItem`` and a ``Stack``) and adds the mean; EfficientNet, ConvNeXt and MobileNetV3 return
        the tensor. The mean and the deviation are constants of three channels: on a tensor of three channels
        they leave its shape as it is, and a scalar stands for them (operations have no weights and no
        mult-adds); on other channels the result is unknown. NOT_MINE for anything else (arrays included)."""
        module, _, last = path.rpartition(".")
        if last != "preprocess_input" or not module.startswith("keras.applications."):
            return arrays.NOT_MINE
        module = module[len("keras.applications."):]
        x = args[0] if args else kwargs.get("x")
        if not isinstance(x, Tensor):
            return arrays.NOT_MINE
        mode = _PREPROCESSING.get(module)
        given = dict(zip(("x", "data_format", "mode") if module == "imagenet_utils" else ("x", "data_format"),
                         args))
        if len(given) < len(args) or any(k not in ("x", "data_format", "mode") or k in given for k in kwargs) or \
                module != "imagenet_utils" and "mode" in kwargs:
            return self.unknown(f"`{self.code(e)}`: arguments the analysis does not follow", e)
        given.update(kwargs)
        if module == "imagenet_utils":
            mode = given.get("mode", "caffe")
        if mode not in ("caffe", "tf", "torch", "identity"):
            return self.unknown(f"`{self.code(e)}`: the preprocessing mode is not known", e)
        data_format = given.get("data_format")
        if data_format is None:
            data_format = self.data_format
        if data_format != "channels_last":
            return self.unknown(f"`{self.code(e)}` is read channels_last only", e)
        if mode == "identity":
            return x
        if mode == "tf":
            return self.tensor_operator("Subtract", (self.tensor_operator("Divide", (x, 127.5), e), 1.0), e)
        shape = self.graph.live_shapes().tensor(x.ref, "the tensor preprocess_input is given")
        if mode == "torch":
            if not isinstance(shape, tuple) or not shape or shape[-1] != 3:
                return self.unknown(f"`{self.code(e)}` on a tensor whose channels are not known to be 3", e)
            x = self.tensor_operator("Divide", (x, 255.0), e)
            return self.tensor_operator("Divide", (self.tensor_operator("Add", (x, -0.456), e), 0.224), e)
        if not isinstance(shape, tuple) or not shape or not isinstance(shape[-1], int) or shape[-1] < 3:
            return self.unknown(f"`{self.code(e)}` on a tensor whose channels are not known to be 3 or more", e)
        channels = [self.new_operation("GetItem", (x, (Ellipsis, i)), {}, e) for i in (2, 1, 0)]
        if not all(isinstance(c, Tensor) for c in channels):
            return next(c for c in channels if not isinstance(c, Tensor))
        return self.tensor_operator("Add", (self.new_operation("Stack", (ListValue(channels),), {"axis": -1}, e),
                                            -116.779), e)

    def new_application(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                        open_kwargs: Optional[Unknown]) -> Any:
        from ..catalogue import applications

        spec = applications.lookup(name)
        if spec is None:
            return OpaqueCallable(name, f"keras.applications.{name} is not in the catalogue")
        if self.param_probe is not None:
            self.probe_application(kwargs.get("input_tensor"), name, kwargs.get("weights", "imagenet"),
                                   kwargs.get("input_shape"))
        shape = kwargs.get("input_shape")
        if isinstance(shape, External) and shape.role == "shape":
            # input_shape=x.shape[1:] of data the analysis does not see: Keras takes three sizes only (images),
            # and loads its imagenet weights on 3 channels only (it raises on any other count).
            dims: List[Any] = [self.made_symbol(f"{shape.text}[{shape.start + i}]", *self.data_origin(shape))
                               for i in range(3)]
            if kwargs.get("weights", args[1] if len(args) > 1 else "imagenet") == "imagenet" and \
                    self.data_format == "channels_last":
                dims[2] = 3
            kwargs = {**kwargs, "input_shape": tuple(dims)}
        given = self.application_input(kwargs.get("input_tensor"), e)
        frozen_args = tuple(self.freeze(a) for a in args)
        frozen_kwargs = tuple((k, given[1] if given is not None and k == "input_tensor" else self.freeze(v))
                              for k, v in kwargs.items())
        keras_name: Any = spec.keras_name
        try:
            keras_name = applications.evaluate(spec, frozen_args, dict(frozen_kwargs)).name
        except (ShapeError, Unresolved):
            pass
        b = ModelBuilder(kind="application", span=self.span(e) if e is not None else Span(1, 1, 1, 1),
                         index=-1, caveat=self.caveat, run_of=self.uncalled)
        self.graph.record_model(b, keras_name, "Functional")
        b.application = (name, frozen_args, frozen_kwargs)
        if open_kwargs is not None:
            b.taint(open_kwargs)
        if self.data_format != "channels_last":
            b.taint(self.data_format if isinstance(self.data_format, Unknown) else self.unknown(
                "the image data format is set to channels_first (applications are read channels_last only)", e))
        consumed = applications.consumed_names(spec, frozen_args, dict(frozen_kwargs))
        if consumed is None:
            # how many names it takes is not known: its own layers' and the later ones' of those prefixes are not
            consumed = dict.fromkeys(applications.possible_names(spec), 0)
            self.graph.uncertain_names.update(consumed)
        if given is not None and given[0] is not None:
            # Keras builds the layers on the tensor given: the application makes no input of its own.
            consumed.pop("input_layer", None)
        if given is not None and given[2]:
            tensor, _, sources = given
            b.input_layer = self.graph.made_by(sources[0]).uid
            b.app_input, b.app_sources = tensor.ref, sources
            derived = bool(self.graph.node(tensor.ref.node).inputs)
            # base.output: the application's layers on the tensor (marked, so that it is not read as a call
            # of the whole model, which starts at the tensor's source inputs).
            b.app_tensors = (tensor, self.apply_layer(self.graph.model_layer(b), tensor, e,
                                                      call_kwargs=(("application_output", None),) if derived else ()))
            b.app_output = b.app_tensors[1].ref if isinstance(b.app_tensors[1], Tensor) else None
        b.app_counters = self.graph.use_names(consumed)
        return b

    def application_output(self, b: ModelBuilder, name: str, e: Any) -> Tensor:
        """``base.get_layer(name).output``: a call of the application on its input that gives that layer's
        output (infer.py reads ``application_output``; app_layers.inline lists the layers it needs)."""
        inp, _ = self.apptensors_in(b, e)
        return Tensor(self.graph.record_application_output(b, inp.ref, name))

    def application_input(self, tensor: Any, e: Any) -> Optional[Tuple[Optional[Tensor], Any, Tuple[TensorRef, ...]]]:
        """``input_tensor=t`` where ``t`` is a Keras tensor: ``(t, what the catalogue reads in its place, t's
        source inputs)``. Keras applies the application's layers to ``t``, and the model it returns starts at
        the inputs ``t`` comes from (``get_source_inputs``): layers between them are the model's too. What the
        catalogue reads is a :class:`GivenTensor` (``t``'s shape), or an Unknown saying why not; the sources are
        empty when the graph before ``t`` is not one kerascount lists (then the model stays unknown). None when
        ``input_tensor`` is not a tensor (no tensor, and why, when it is a value the analysis does not know)."""
        from ..catalogue.applications import GivenTensor

        if isinstance(tensor, Expr):  # a parameter of a function run with its defaults, a name from code not seen
            name = self.param_probe.tensor_param(tensor) if self.param_probe is not None else None
            if name is not None:
                return None, Unknown(self.parameter_reason(name)), ()
            return None, Unknown(f"`{render(tensor)}` is a value the analysis does not know: a parameter no call in "
                                 "this file gives, or a name from code it does not see"), ()
        if not isinstance(tensor, Tensor):
            return None
        shape = self.graph.live_shapes().tensor(tensor.ref, "input_tensor")
        if not isinstance(shape, tuple):
            why = shape if isinstance(shape, Unknown) else self.unknown("the shape of `input_tensor` is not known", e)
            return tensor, why, ()
        sources: List[TensorRef] = []
        seen: set = set()
        stack = [tensor.ref.node]
        while stack:
            nid = stack.pop()
            if nid in seen:
                continue
            seen.add(nid)
            node = self.graph.node(nid)
            layer = self.graph.layer(node.layer)
            sub = self.graph.model(layer.submodel) if layer.submodel is not None else None
            if layer.kwarg("application_input") is not None or sub is not None and sub.kind == "application":
                return tensor, self.unknown("`input_tensor` is made from another application's tensors", e), ()
            if not node.inputs:
                if layer.type != "InputLayer":
                    return tensor, self.unknown("`input_tensor` comes from a layer that is not an Input", e), ()
                sources.append(TensorRef(nid, 0))
            stack.extend(r.node for r in node.parents)
        if len(sources) != 1:
            return tensor, self.unknown("`input_tensor` comes from several inputs", e), ()
        return tensor, GivenTensor(shape), tuple(sources)

    def apptensors_in(self, b: ModelBuilder, e: Any) -> Tuple[Tensor, Tensor]:
        """The tensor the application's layers are applied to, and ``app.output``: the application's graph,
        shown as one layer (``app.input`` is the first unless ``input_tensor=`` came from other layers)."""
        if b.app_tensors is None:
            inp = Tensor(self.graph.record_application_input(b))
            out = self.apply_layer(self.graph.model_layer(b), inp, e)
            b.app_tensors = (inp, out)
        return b.app_tensors

    def new_builder(self, kind: str, e: Any, name: Any = None) -> ModelBuilder:
        b = ModelBuilder(kind=kind, span=self.span(e) if e is not None else Span(1, 1, 1, 1),
                         index=-1, caveat=self.caveat, run_of=self.uncalled)
        self.graph.record_model(b, name, "Sequential" if kind == "sequential" else "Functional")
        self.check_model_name(b, name, e)
        return b

    def check_model_name(self, b: ModelBuilder, name: Any, e: Any) -> None:
        if isinstance(name, (int, float, bytes)) or isinstance(name, str) and "/" in name:
            b.taint(self.unknown(f"the model's name {name!r} is not a string without '/': Keras raises \"Argument "
                                 "`name` must be a string and cannot contain character `/`\"", e))

    def built_only_input(self, b: ModelBuilder, shape: Any) -> None:
        """``build(shape)`` of a Sequential that holds only its InputLayer: Keras's ``Sequential.build`` makes a
        Functional of it (at each call), which uses up an automatic name; for another shape than its input's it
        raises first (a shape not fully known: either)."""
        b.names_built = True
        if self._builds_otherwise(b, shape):
            return
        items = self.iterate(shape) if isinstance(shape, (tuple, ListValue)) else None
        if items is not None and all(d is None or type(d) is int for d in items):
            self.graph.record_build()
        else:
            self.graph.unknown_build()

    def _builds_otherwise(self, b: ModelBuilder, shape: Any) -> bool:
        """Whether ``build(shape)`` of a Sequential that has its InputLayer asks for another batch shape than that
        layer's (both fully known: ints and None)."""
        items = self.iterate(shape) if isinstance(shape, (tuple, ListValue)) else None
        if items is None or not all(d is None or type(d) is int for d in items):
            return False
        try:
            layer = self.graph.layer(b.input_layer)
            built = catalogue.lookup("InputLayer").output_shape(catalogue.layer_config(layer), None)
        except (catalogue.errors.ShapeError, catalogue.errors.Unresolved, TypeError, ValueError):
            return False
        return all(d is None or type(d) is int for d in built) and tuple(built) != tuple(items)

    def _builds_as_before(self, b: ModelBuilder, shape: Any) -> Optional[bool]:
        """``build(shape)`` of a Sequential Keras has built without an InputLayer of the code's (on its first
        layer's input, a built model's, or on the tensor it was called on): whether ``shape`` is the batch shape it
        was built on (True), another (False: Keras raises), or None where that is not known here (inference
        compares them: ``infer._built_again``)."""
        items = self.iterate(shape) if isinstance(shape, (tuple, ListValue)) else None
        if items is None or not all(d is None or type(d) is int for d in items):
            return None
        ref = None
        if b.built_by_node is not None:
            node = self.graph.node(b.built_by_node)
            ref = node.inputs[0] if len(node.inputs) == 1 else None
        else:
            sub = self.graph.layer(b.layers[0]).submodel
            inner = self.graph.model(sub) if sub is not None else None
            if inner is not None and inner.kind == "functional" and len(inner.inputs) == 1:
                ref = inner.inputs[0]
        if ref is None:
            return None
        built = self.graph.live_shapes().tensor(ref, "the input the model was built on")
        if not isinstance(built, tuple) or not all(d is None or type(d) is int for d in built):
            return None
        return tuple(built) == tuple(items)

    def constructor_trainable(self, b: ModelBuilder, kwargs: Dict[str, Any], e: Any) -> None:
        """``trainable=`` given to a model's constructor: it sets the model's own flag only (its layers keep
        theirs, as in Keras)."""
        if "trainable" not in kwargs:
            return
        flag = kwargs["trainable"]
        b.trainable = flag if isinstance(flag, bool) else self.unknown("`trainable=` is not known", e)
        if not isinstance(flag, (bool, Unknown, Expr)):
            b.taint(self.unknown(f"`trainable={flag!r}` is not a bool, which Keras 3 rejects (\"Expected "
                                 "`trainable` to be a boolean\")", e))

    def sequential_init(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                        open_kwargs: Optional[Unknown] = None) -> None:
        """``super().__init__(...)`` in a subclass of ``keras.Sequential`` (or the class made without an
        ``__init__`` of its own): Keras 3's ``Sequential.__init__(layers=None, trainable=True, name=None)``, which
        names the model after its class (``ConvNet`` -> ``conv_net``) and adds the layers it is given."""
        b.initialized = True
        args, kwargs = _sequential_arguments(args, kwargs)
        name = kwargs.get("name")
        self.graph.record_model(b, name, b.cls.name)
        if b.base_init is not None:
            # `__init__` of a base not read ran first (a mixin of a package not analysed): what it passed on, and the
            # layers and names it made, are not known
            b.taint(self.unknown(f"`{b.cls.name}`: {self.uninitialized_why(b.cls)}", e))
            self.graph.uncertain_names.add(catalogue.snake_case(b.cls.name))
            b.keras_name = UNKNOWN_NAME
            return
        self.check_model_name(b, name, e)
        if open_kwargs is not None:
            b.taint(open_kwargs)
            return
        extra = sorted(set(kwargs) - {"layers", "trainable", "name"})
        if len(args) > 1 or extra or args and "layers" in kwargs:
            what = f"the keyword argument `{extra[0]}`" if extra else "too many arguments"
            b.taint(self.unknown(f"`super().__init__()` of `{b.cls.name}` is given {what}: Keras 3's "
                                 "`Sequential.__init__(layers=None, trainable=True, name=None)` raises TypeError", e))
            return
        if name is not None and not isinstance(name, str):
            b.taint(self.unknown(f"the name of `{b.cls.name}` is not known", e))
        self.constructor_trainable(b, kwargs, e)
        self.fill_sequential(b, args[0] if args else kwargs.get("layers"), e)

    def new_sequential(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> ModelBuilder:
        b = self.new_builder("sequential", e, kwargs.get("name"))
        self.fill_sequential(b, args[0] if args else kwargs.get("layers"), e)
        return b

    def fill_sequential(self, b: ModelBuilder, layers: Any, e: Any) -> None:
        """The layers given to a Sequential's constructor, added in turn (then built once, as Keras does)."""
        if layers is None:
            return
        if isinstance(layers, (LayerObj, ModelBuilder)):
            # tf.keras 2 wrapped a single layer in a list; Keras 3 iterates over `layers` and raises.
            kind = "model" if isinstance(layers, ModelBuilder) else "layer"
            b.taint(self.unknown(f"Sequential is given one {kind}, not a list of layers: Keras 3 raises TypeError "
                                 f"(\"object is not iterable\"; tf.keras 2 accepted it); write Sequential([...])", e))
            return
        items = self.iterate(layers)
        if items is None:
            foreign = isinstance(layers, External) and layers.role == "foreign"  # model_A.layers[:-1] of a loaded model
            b.taint(layers if foreign else layers.tainted if isinstance(layers, ListValue) and layers.tainted else
                    self.unknown("the layer list is not known", e))
            return
        for item in items:
            self.sequential_add(b, item, e, rebuild=False)
        self.sequential_rebuild(b)

    def fresh_model(self, text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                    custom_layers: bool = True) -> Any:
        """A model read from a file or copied (``load_model``, ``clone_model``...): the copy ``clone_model`` makes of
        a Sequential or functional model of built-in layers the analysis knows (an unknown where the copy's graph
        could not be followed), or None (an unknown model, made by the caller), after
        using up the automatic names it makes. The layers of such a model keep the names they were saved or made
        with, but each Sequential it holds that has an input is built again, which makes a Functional of an
        automatic name (``functional_N``), and a class of the analysed code may make layers of automatic names in
        its ``__init__``. A copy of a Sequential or functional model the analysis knows, of built-in layers and
        no nested model, uses up exactly the name its Sequential's build makes, or none; after anything else the
        ``functional`` names are not known, and after a class of the analysed code may run (``custom_objects=``,
        a custom layer or subclassed model copied) no automatic name is. ``custom_layers``: whether what
        ``custom_objects=`` gives may make layers (the evaluator's judgement of those Python values)."""
        graph = self.graph
        if text == "keras.models.clone_model":
            model = args[0] if args else kwargs.get("model")
            plain = not (set(kwargs) - {"model"} or len(args) > 1)
            function = kwargs.get("clone_function")
            if isinstance(function, (Function, LambdaValue)) and not set(kwargs) - {"model", "clone_function"} and \
                    len(args) <= 1 and isinstance(model, ModelBuilder) and model.kind == "sequential" and \
                    model.unresolved is None and model.cls is None:
                return self._sequential_clone_function(model, function, e)
            if isinstance(model, ModelBuilder) and model.unresolved is None and plain and \
                    model.kind in ("sequential", "functional") and not model.application:
                nodes = _graph_nodes(graph, model) if model.kind == "functional" else None
                defs = [graph.layer(uid) for uid in model.layers] if nodes is None else \
                    [graph.layer(n.layer) for n in nodes]
                if all(d.known and not d.operation and d.submodel is None for d in defs):
                    if model.kind == "sequential":
                        return self._sequential_copy(model, defs, e)
                    # (its inputs are named after the original's tensors, and its Functional after the original:
                    # no automatic name either way)
                    copy = self._functional_copy(model, e)
                    if copy is not None:
                        return copy
                if any(not d.known and not d.operation for d in defs):
                    graph.names_unknown = True
            elif not (isinstance(model, ModelBuilder) and model.kind in ("sequential", "functional") or
                      isinstance(model, External) and model.role == "foreign"):
                # (a subclassed model is made again by its class: Keras runs __init__; a model read from a file is
                # of Keras's classes but for those its load's custom_objects= gave, which used up names already)
                graph.names_unknown = True
        elif "custom_objects" in kwargs and custom_layers:
            graph.names_unknown = True
        graph.uncertain_names.add("functional")
        return None

    def _functional_copy(self, model: ModelBuilder, e: Any) -> Any:
        """Keras's ``_clone_functional_model``: an Input for each input, of its batch shape and named after the
        original's tensor (its InputLayer's name where that was given; else ``keras_tensor_N``, which is not
        followed here: "?"), each layer made again from its config and called in the graph's order, in a Functional
        of the original's name. None (no copy listed, no name used up) for a graph of another kind: a layer called
        twice, call keywords, a dict of inputs or outputs, an InputLayer that is not an input of the model, a layer
        the catalogue does not hold, an operation or a nested model (``model.layers`` of a functional model is only
        filled when read, so its nodes are what is checked here)."""
        graph = self.graph
        if model.inputs_dict is not None or model.outputs_dict is not None or model.outputs_nested or \
                not model.inputs or not model.outputs:
            return None
        nodes = _graph_nodes(graph, model)
        inputs = {r.node for r in model.inputs}
        if len({n.layer for n in nodes}) != len(nodes) or any(r.index for r in model.inputs):
            return None
        for n in nodes:
            d = graph.layer(n.layer)
            if n.call_kwargs or n.graph_inputs or (d.type == "InputLayer") != (n.id in inputs) or \
                    not d.known or d.operation or d.submodel is not None or d.open_kwargs is not None or \
                    d.keras1 or d.ways or d.built_shape is not None or \
                    any(isinstance(v, (LayerDef, LayerObj, Unknown)) for v in (*d.args, *(v for _, v in d.kwargs))):
                return None
        made: Dict[Tuple[int, int], Any] = {}
        span = self.span(e) if e is not None else Span(1, 1, 1, 1)
        for n in nodes:
            d = graph.layer(n.layer)
            if d.type == "InputLayer":
                name = d.kwarg("name") if isinstance(d.kwarg("name"), str) else UNKNOWN_NAME
                kwargs = tuple((k, v) for k, v in d.kwargs if k != "name") + (("name", name),)
                layer = graph.record_layer("InputLayer", catalogue.lookup("InputLayer"), d.args, kwargs, span,
                                           elsewhere=True)
                out = self.apply_layer(LayerObj(layer.uid), None, e)
            else:
                kwargs = tuple((k, v) for k, v in d.kwargs if k not in _NOT_IN_CONFIG) + (("name", d.name),)
                layer = graph.record_layer(d.type, catalogue.lookup(d.type), d.args, kwargs, span, elsewhere=True)
                given = [made.get((r.node, r.index)) for r in n.inputs]
                if any(not isinstance(t, Tensor) for t in given):
                    return self.unknown(f"`{self.code(e)}`: the copy's graph is not followed", e)
                out = self.apply_layer(LayerObj(layer.uid), ListValue(given) if n.list_input else given[0], e)
            outs = tuple(out.items) if isinstance(out, ListValue) else out if isinstance(out, tuple) else (out,)
            for i, t in enumerate(outs):
                made[(n.id, i)] = t
        ins = [made.get((r.node, r.index)) for r in model.inputs]
        outs = [made.get((r.node, r.index)) for r in model.outputs]
        if any(not isinstance(t, Tensor) for t in (*ins, *outs)):
            return self.unknown(f"`{self.code(e)}`: the copy's graph is not followed", e)
        copy = self.new_functional(
            (ins[0] if model.single_input else ListValue(ins),
             outs[0] if model.single_output and not model.outputs_list else ListValue(outs)),
            {"name": model.keras_name}, e)
        if isinstance(copy, ModelBuilder):
            copy.trainable = model.trainable
        return copy

    def _sequential_clone_function(self, model: ModelBuilder, function: Any, e: Any) -> Any:
        """``clone_model(seq, clone_function=f)``: Keras's ``_clone_sequential_model`` calls ``f`` on each of the
        Sequential's layers in turn (what it returns is the copy's layer: a new one, or the very layer, then shared),
        then makes a Sequential of the original's name and flag, under a new InputLayer of the original's name and
        batch shape when it has one. Unknown where ``f`` returns anything but a layer, or the original was built
        otherwise than by its input (by a call or by data: Keras then builds the copy as well)."""
        graph = self.graph
        why = None
        made = []
        if model.input_layer is None and (model.build_shape is not None or model.built_by_node is not None or
                                          model.explicit_build or model.built_unseen or
                                          model.built_on_data is not None):
            why = "the copy of a Sequential built by a call or by data is not followed"
        for uid in model.layers if why is None else ():
            out = self.call(function, (LayerObj(uid),), {}, e)
            if not isinstance(out, LayerObj):
                why = (f"what the clone function makes of `{graph.layer(uid).name}` is not known ("
                       f"{out.reason if isinstance(out, Unknown) else 'it does not return a layer'})")
                break
            made.append(out)
        if why is not None:
            # (listed, unknown: a copy of the original's name, whose layers are not known)
            copy = self._sequential_copy_of(model, e, with_input=False)
            graph.uncertain_names.add("functional")
            copy.taint(self.unknown(f"`{self.code(e)}`: {why}", e))
            return copy
        copy = self._sequential_copy_of(model, e)
        for out in made:
            self.sequential_add(copy, out, e, rebuild=False)
        copy.trainable = model.trainable
        self.sequential_rebuild(copy)
        return copy

    def _sequential_copy_of(self, model: ModelBuilder, e: Any, with_input: bool = True) -> ModelBuilder:
        """A new Sequential of ``model``'s name, as ``clone_model`` makes it: under a new InputLayer of the original's
        name and batch shape when the original has one (and ``with_input``)."""
        graph = self.graph
        copy = ModelBuilder(kind="sequential", span=self.span(e) if e is not None else Span(1, 1, 1, 1), index=-1,
                            caveat=self.caveat, run_of=self.uncalled)
        graph.record_model(copy, model.keras_name, "Sequential")
        if model.input_layer is not None and with_input:
            first = graph.layer(model.input_layer)
            layer = graph.record_layer("InputLayer", catalogue.lookup("InputLayer"), first.args,
                                       tuple((k, v) for k, v in first.kwargs if k != "name") + (("name", first.name),),
                                       copy.span, elsewhere=True)
            copy.input_layer = layer.uid
        return copy

    def _sequential_copy(self, model: ModelBuilder, defs: List[LayerDef], e: Any) -> Optional[ModelBuilder]:
        """Keras's ``_clone_sequential_model``: each layer made again from its config (its name and trainable
        flag kept, the input arguments a config leaves out dropped), under an InputLayer of the original's name and
        batch shape when it has one, in a Sequential of the original's name and flag (built, it makes a
        Functional). None, after using up the names the copy would, when a layer is one whose config the analysis
        does not hold whole (a wrapper, a layer given an unknown **kwargs or a legacy keyword)."""
        graph = self.graph
        built_otherwise = model.input_layer is None and (
            model.build_shape is not None or model.built_by_node is not None or model.explicit_build or
            model.built_unseen or model.built_on_data is not None)
        if built_otherwise or any(
                d.open_kwargs is not None or d.keras1 or d.ways or d.built_shape is not None or
                any(isinstance(v, (LayerDef, LayerObj, Unknown)) for v in (*d.args, *(v for _, v in d.kwargs)))
                for d in defs):
            if built_otherwise:
                graph.uncertain_names.add("functional")  # (built by a call or by data: Keras's copy may be too)
            elif model.input_layer is not None:
                graph.auto_name_prefix("functional")
            return None
        copy = self._sequential_copy_of(model, e)
        for d in defs:
            kwargs = tuple((k, v) for k, v in d.kwargs if k not in _NOT_IN_CONFIG) + (("name", d.name),)
            # (elsewhere: the rules that judge how a layer is written judge the original's line, not the copy's)
            copy.layers = (*copy.layers, graph.record_layer(d.type, catalogue.lookup(d.type), d.args, kwargs,
                                                            copy.span, elsewhere=True).uid)
        copy.trainable = model.trainable
        self.sequential_rebuild(copy)
        return copy

    def sequential_rebuild(self, b: ModelBuilder) -> None:
        """Keras's ``Sequential._maybe_rebuild``: once the input is known, each rebuild makes a Functional."""
        if (b.input_layer is not None or b.implicit_input) and b.layers:
            self.graph.record_build()
            self.trace_in_sequential(b, None)
        elif len(b.layers) > 1 and self.graph.has_input_shape(b.layers[0]):
            # A built model as first layer: Keras prepends InputLayer(batch_shape=its input shape).
            self.graph.record_build(new_input=True)
            b.implicit_input = True
            self.trace_in_sequential(b, None)

    def sequential_add(self, b: ModelBuilder, item: Any, e: Any, rebuild: bool = True) -> None:
        if isinstance(item, ModelBuilder):
            item.add_run(e)
            item = self.graph.model_layer(item)
        if isinstance(item, LayerObj):
            layer = self.graph.layer(item.uid)
            if not b.layers and b.input_layer is None:
                if layer.type == "InputLayer":
                    b.input_layer = layer.uid
                    return
                shape = self._input_shape_arg(layer)
                if shape is None and layer.submodel is not None and self.graph.model(layer.submodel).custom_layer:
                    shape = self.graph.model(layer.submodel).declared_input  # given to the base Layer.__init__
                if shape is not None:
                    # Keras adds InputLayer(shape=...) for input_shape=/input_dim= on the first layer.
                    hidden = self.new_layer("InputLayer", (), {"shape": shape}, None)
                    self.graph.update_layer(hidden.uid, span=layer.span)
                    b.input_layer = hidden.uid
                    b.implicit_input = True
            if b.input_layer is not None and b.input_layer in self.graph.data_inputs \
                    and all(self.keeps_rank(self.graph.layer(uid), ()) for uid in b.layers):
                self.fix_data_input(b.input_layer, layer, ())
            if self.param_probe is not None and b.input_layer is not None and not b.implicit_input \
                    and all(self.keeps_rank(self.graph.layer(uid), ()) for uid in b.layers):
                self.probe_sequential_layer(b.input_layer, layer)
            b.layers = (*b.layers, item.uid)
            if rebuild:
                self.sequential_rebuild(b)
        elif isinstance(item, Tensor) and not b.layers and b.input_layer is None:
            node = self.graph.node(item.ref.node)
            b.input_layer = node.layer
        else:
            # What was added is not known: if it is a layer, Keras rebuilds the Sequential (a Functional of it, and
            # an InputLayer for a first input), using up names of those classes
            self.graph.uncertain_names.update(("functional", "input_layer"))
            if isinstance(item, Unknown):
                b.taint(item)
            elif isinstance(item, OpaqueCallable):
                b.taint(self.unknown(f"`{item.text}` ({item.reason})", e))
            else:
                b.taint(self.unknown("something that is not a known layer was added", e))

    @staticmethod
    def _input_shape_arg(layer: LayerDef) -> Any:
        return input_shape_kwarg(layer)

    def new_layer(self, type_name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                  opaque: bool = False, open_kwargs: Optional[Unknown] = None) -> LayerObj:
        """A layer object. ``opaque``: not a Keras class at all (a custom layer, a helper)."""
        if self.graph.layer_count() >= self.limits.layers:
            raise AnalysisLimit(f"analysis stopped: more than {self.limits.layers:,} layers created")
        # (a block another layer's build builds itself, `block.build(shape)`, makes its layers in its build too)
        in_call = self.graph.tracing is not None and not opaque and self.graph.building is not self.graph.tracing \
            and not (self.graph.building is not None and self.graph.building.explicit_build)
        if in_call and not _weightless_anew(type_name, args, kwargs):
            # Keras runs call() several times to build and trace the model: each run makes the layer anew.
            self.graph.tracing.taint(self.unknown(f"a layer is created inside `{self.graph.tracing.cls.name}.call()`", e))
        spec = None if opaque else catalogue.lookup(type_name)
        canonical = spec.name if spec is not None else type_name
        keras1: Tuple[str, ...] = ()
        if spec is not None:
            names = spec.arg_names
            # In a file written for Keras 1, Convolution2D(32, 3, 3) and LSTM(4, input_dim=1) are Keras 1's even
            # without a Keras 1 keyword.
            force = (legacy.kernel_pair_call(spec.name, args, kwargs) or legacy.sequence_dim_call(spec.name, kwargs)) \
                and self.keras1_file(e)
            # (a kernel list given by position, `Conv2D(32, [3, 3], subsample=...)`, is a ListValue here)
            tuple_kernel = legacy.kernel_tuple(spec.name, tuple(a.items if isinstance(a, ListValue) else a
                                                                for a in args), kwargs)
            keras3 = legacy.translate(spec.name, args, kwargs, names, force=force, tuple_kernel=tuple_kernel)
            if keras3 is not None:
                keras1 = legacy.written(spec.name, len(args), list(kwargs), names, tuple_kernel) or ()
                args, kwargs = keras3
            if spec.defaults.get("data_format", "") is None and kwargs.get("data_format") is None and \
                    self.data_format != "channels_last" and names.index("data_format") >= len(args):
                # data_format=None means keras.config.image_data_format(), which the code changed.
                kwargs = {**kwargs, "data_format": self.data_format}
        given = kwargs.get("input_shape")
        if spec is not None and isinstance(given, External) and given.role == "shape":
            kwargs = {**kwargs, "input_shape": self.input_shape_from_data(spec, args, kwargs, given, open_kwargs)}
        if spec is not None:
            args, kwargs = self.outside_sizes(spec, args, kwargs)
        if canonical == "ZeroPadding2D":
            args, kwargs = self.undecided_padding(args, kwargs, e)
        if canonical == "TimeDistributed" and not opaque:
            args, kwargs = self.wrapped_model(args, kwargs, e)
        span = self.positions.get(e) if e is not None else Span(1, 1, 1, 1)
        layer = self.graph.record_layer(
            type_name, spec, tuple(self.freeze(a) for a in args), tuple((k, self.freeze(v)) for k, v in kwargs.items()),
            span or self.span(e), opaque=opaque, open_kwargs=open_kwargs, keras1=keras1, elsewhere=span is None)
        if not (self.undecided or self.guarded or in_call or self.graph.tracing is not None
                or self.graph.building is not None) and spec is not None and not opaque:
            if self.uncalled is None:  # (a builder nothing calls runs on arguments of its own making)
                self.graph.surely_made.add(layer.uid)
            if self.raised is None:
                self.raised = self.constructor_error(layer)
        elif self.guarded and not (in_call or self.graph.tracing is not None or self.graph.building is not None) and \
                spec is not None and not opaque:
            self.graph.guarded_made.add(layer.uid)
        if in_call:
            # A layer without weights made by each run of call, as a local (tracked, it would be an error):
            # it adds nothing to the model, but the automatic names of its class are used up once per run.
            self.graph.made_in_call.add(layer.uid)
            self.graph.uncertain_names.add(catalogue.snake_case(canonical))
        if self.param_probe is not None and "input_shape" in kwargs:
            self.probe_layer_shape(layer)
        if canonical == "Lambda" and len(args) < 2:
            function = args[0] if args else kwargs.get("function")
            declared = kwargs.get("output_shape")
            if "output_shape" not in kwargs and (isinstance(function, (Function, LambdaValue, Partial)) or isinstance(
                    function, KerasRef) and (function.path.startswith(("keras.activations.", "keras.ops.", "keras.backend."))
                                             or _application_preprocessing(function.path))):
                # a function of the code, or Keras's own (`Lambda(keras.activations.tanh)`,
                # `Lambda(keras.applications.vgg16.preprocess_input)`)
                self.lambda_functions[layer.uid] = (function, kwargs.get("arguments"))
            elif isinstance(declared, (Function, LambdaValue, Partial)):
                # output_shape= a function: Keras calls it on the input shapes (tracing nothing)
                self.lambda_functions[layer.uid] = (_ShapeFunction(declared), None)
        return LayerObj(layer.uid)

    def wrapped_model(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any = None
                      ) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """``TimeDistributed(sentence_encoder)``: a functional or Sequential model of the file, or a keras.applications
        model (``TimeDistributed(MobileNetV2(...))``), given as the layer to wrap is the layer object the model is
        (``infer`` runs it on each step); any other value is kept."""
        def layer_of(v: Any) -> Any:
            if isinstance(v, ModelBuilder) and not v.custom_layer and v.kind == "application":
                return self.graph.model_layer(v)
            if isinstance(v, ModelBuilder) and not v.custom_layer and v.kind in ("functional", "sequential"):
                v.add_run(e)
                if v.kind == "sequential" and v.input_layer is None and not v.implicit_input and \
                        v.built_by_node is None and v.build_shape is None:
                    # Keras builds it when the wrapper is called (on one step of the input): an InputLayer and a
                    # Functional, whose names it uses up; neither is followed (`infer` leaves the wrapper unknown)
                    self.graph.uncertain_names.update(("input_layer", "functional"))
                    if v.built_on_data is None and v.layers:
                        v.built_on_data = "TimeDistributed builds the model on one step of what it is called on, " \
                            "which is not followed"
                return self.graph.model_layer(v)
            return v

        if args:
            return (layer_of(args[0]), *args[1:]), kwargs
        if "layer" in kwargs:
            return args, {**kwargs, "layer": layer_of(kwargs["layer"])}
        return args, kwargs

    def undecided_padding(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any
                          ) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """``ZeroPadding2D(padding=correct_pad(x, 3), name="Conv_pad")`` where the padding depends on a condition the
        analysis cannot decide (``if input_size[0] is None``, of a size known only as a symbol): whichever way it goes
        Keras takes only whole numbers there, so each size not known becomes a symbol named after the layer
        (``Conv_pad.padding[0][0]``). The layer's output keeps its rank and channels, and what is built on it its
        structure; its rows and columns are expressions of those symbols."""
        positional = bool(args)
        padding = args[0] if positional else kwargs.get("padding")
        name = kwargs.get("name")
        if not isinstance(name, str) or not name or len(args) > 1 or \
                not _undecided(padding) or kwargs.get("data_format") not in (None, "channels_last", "channels_first"):
            return args, kwargs
        reason = next(u.reason for u in _unknowns(padding))

        def sized(value: Any, where: str) -> Any:
            if isinstance(value, Unknown):
                return self.made_symbol(f"{name}.padding{where}", f"the padding of ZeroPadding2D `{name}`: {reason}", e)
            return value

        if isinstance(padding, Unknown):
            padding = tuple(tuple(sized(padding, f"[{i}][{j}]") for j in range(2)) for i in range(2))
        elif isinstance(padding, tuple) and len(padding) == 2 and all(
                isinstance(p, tuple) and len(p) == 2 and all(_whole_or_unknown(v) for v in p) for p in padding):
            padding = tuple(tuple(sized(v, f"[{i}][{j}]") for j, v in enumerate(p)) for i, p in enumerate(padding))
        elif isinstance(padding, tuple) and len(padding) == 2 and all(_whole_or_unknown(v) for v in padding):
            padding = tuple(sized(v, f"[{i}]") for i, v in enumerate(padding))
        else:
            return args, kwargs
        return ((padding,), kwargs) if positional else (args, {**kwargs, "padding": padding})

    @staticmethod
    def constructor_error(layer: LayerDef) -> Optional[str]:
        """The error Keras's constructor raises on this layer's arguments whatever its input (the message infer
        reports for it), or None."""
        problem = _infer.constructor_error(layer)
        return problem.message if problem is not None else None

    @staticmethod
    def constructor_raises(layer: LayerDef) -> Optional[Tuple[str, str]]:
        """As ``constructor_error``, with the Python exception class Keras raises ("" where not known: Python's
        TypeError or Keras's ValueError on arguments that cannot be bound)."""
        problem = _infer.constructor_error(layer)
        return (problem.message, problem.raised) if problem is not None else None

    def outside_sizes(self, spec: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]
                      ) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """A value from code the analysis does not see (``env.action_space.n``, ``cfg.units``) where Keras 3 rejects
        a NumPy integer (``Dense`` units, ``Embedding`` sizes): its reason says it may be one (gymnasium's
        ``Discrete.n`` is an ``np.int64``) and that ``int(...)`` around it would make it a symbol.

        Such a value is not made a symbol where it stands (the value passes through arithmetic and builtins
        unchanged, as an unknown: ``-cfg.filters`` or ``max(cfg.filters, 3)`` would be named ``cfg.filters``);
        ``int(cfg.filters)`` is one, named by its whole text."""
        def one(name: Optional[str], value: Any) -> Any:
            since = numpy_int_rejected(spec.name, name) if name is not None and self.outside(value) else None
            if since is not None:
                gym = " (as gymnasium's `Discrete.n` is)" if value.text.endswith("action_space.n") else ""
                later = " and later" if since != "3" else ""
                return replace(value, reason=f"{value.reason}; it may be a NumPy integer{gym}, which {spec.name} "
                               f"rejects as `{name}` in Keras {since}{later}: `int({value.text})` would be a symbol")
            return value

        if not any(self.outside(v) for v in (*args, *kwargs.values())):
            return args, kwargs
        names = spec.arg_names
        args = tuple(one(names[i] if i < len(names) else None, v) for i, v in enumerate(args))
        kwargs = {k: one(k, v) for k, v in kwargs.items()}
        return args, kwargs

    @staticmethod
    def outside(value: Any) -> bool:
        """Is ``value`` an attribute or a call's result of code the analysis does not see (not a ``.shape``, not
        what ``parse_args()`` gives, not a model loaded from outside)?"""
        return isinstance(value, External) and not value.role and bool(value.text)

    def input_shape_from_data(self, spec: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], shape: External,
                              open_kwargs: Optional[Unknown]) -> Any:
        """``input_shape=X.shape[1:]`` of data the analysis does not see, on a layer whose input spec takes one
        rank only (``Conv2D``: 4, ``LSTM``: 3; Keras raises on any other): that many sizes, ``X.shape[1]``, ...
        Else ``shape`` as it is (unknown: ``Dense`` or ``Flatten`` take any rank)."""
        from .params import layer_ranks

        probe = LayerDef(-1, spec.name, "", tuple(self.freeze(a) for a in args),
                         tuple((k, self.freeze(v)) for k, v in kwargs.items() if k != "input_shape"),
                         Span(1, 1, 1, 1), open_kwargs=open_kwargs)
        accepted, _ = layer_ranks(spec, probe, ())
        if len(accepted) != 1 or accepted[0] < 2:
            return shape
        return tuple(self.made_symbol(f"{shape.text}[{shape.start + i}]", *self.data_origin(shape))
                     for i in range(accepted[0] - 1))

    def open_data_input(self, ref: TensorRef) -> Optional[int]:
        """The InputLayer of ``Graph.data_inputs`` whose tensor ``ref`` is, or comes from through layers that keep
        the rank of what they are given (``BatchNormalization``, ``Activation``...), else None."""
        node = self.graph.node(ref.node)
        for _ in range(16):
            if node.layer in self.graph.data_inputs:
                return node.layer
            if len(node.inputs) != 1 or node.list_input or not self.keeps_rank(self.graph.layer(node.layer), node.call_kwargs):
                return None
            node = self.graph.node(node.inputs[0].node)
        return None

    def keeps_rank(self, layer: LayerDef, call_kwargs: Tuple[Tuple[str, Any], ...]) -> bool:
        """Whether ``layer`` takes inputs of several ranks and gives each its own (``Dense``, ``Dropout``...)."""
        from .params import layer_ranks

        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None and not layer.operation else None
        if spec is None:
            return False
        cache = self.rank_kept
        try:
            key = (layer, call_kwargs)
            found = cache.get(key)
        except TypeError:  # an argument that cannot be hashed: not kept
            key, found = None, None
        if found is None:
            found = layer_ranks(spec, layer, call_kwargs)[1]
            if key is not None:
                cache[key] = found
        return found

    def fix_data_input(self, uid: int, layer: LayerDef, call_kwargs: Tuple[Tuple[str, Any], ...]) -> None:
        """``layer`` is called on the tensor of InputLayer ``uid``, whose shape is ``X.shape[1:]`` of data the analysis
        does not see: if its input spec takes one rank only (``Conv2D``: 4; Keras raises on any other), the shape has
        that many sizes, ``X.shape[1]``, ... A layer that takes several ranks (``Dense``) leaves the question to the
        next one."""
        from .params import layer_ranks

        shape = self.graph.data_inputs.get(uid)
        held = self.graph.layer(uid) if uid < self.graph.layer_count() else None
        if shape is None or held is None or held.type != "InputLayer" or dict(held.kwargs).get("shape") is not shape:
            self.graph.data_inputs.pop(uid, None)  # (a layer of a run undone since: extract/params.py)
            return
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if spec is None:
            return
        accepted, _ = layer_ranks(spec, layer, call_kwargs)
        if len(accepted) != 1 or accepted[0] < 2:
            return
        del self.graph.data_inputs[uid]
        dims = tuple(self.made_symbol(f"{shape.text}[{shape.start + i}]", *self.data_origin(shape))
                     for i in range(accepted[0] - 1))
        self.graph.update_layer(uid, kwargs=tuple((k, dims if k == "shape" else v) for k, v in held.kwargs))
        self.graph.forget_shapes()  # shapes read so far were computed without it

    def freeze(self, v: Any) -> Any:
        """A runtime value as an IR value (immutable); Unknown if it is too large to copy.

        Containers may share items (``x = [x, x]`` in a loop): the copy counts every item it
        writes, so a value that unfolds to more than ``sequence_length`` items is not copied.
        """
        if type(v) in _SCALARS:
            return v  # (``_frozen``'s first case, without its budget)
        budget = [self.limits.sequence_length]
        try:
            return self._frozen(v, budget)
        except _TooLarge:
            return Unknown("a value too large to follow")

    def _frozen(self, v: Any, budget: List[int]) -> Any:
        if type(v) in _SCALARS:
            return v  # (the usual values, at once: none of these exact types is one tested below but as itself)
        if isinstance(v, DynamicSize):
            return None  # the static size, as Keras's trace of the layer sees it
        if isinstance(v, (int, float, str, bool, type(None), Expr, Unknown, Loss, SliceKey, ConstantArray)) or \
                v is Ellipsis:
            return v
        if isinstance(v, (tuple, ListValue, DictValue)):
            budget[0] -= len(v.items) if isinstance(v, (ListValue, DictValue)) else len(v)
            if budget[0] < 0:
                raise _TooLarge
        if isinstance(v, tuple):
            return tuple(self._frozen(x, budget) for x in v)
        if isinstance(v, ListValue):
            return v.tainted if v.tainted else tuple(self._frozen(x, budget) for x in v.items)
        if isinstance(v, LayerObj):
            return self.graph.layer(v.uid)
        if isinstance(v, KerasRef):
            return v.path.split(".")[-1]  # e.g. keras.activations.relu -> "relu"
        if isinstance(v, DictValue):
            return v.tainted if v.tainted else tuple((k, self._frozen(x, budget)) for k, x in v.items.items())
        if isinstance(v, OpaqueCallable):
            return Unknown(f"`{v.text}` ({v.reason})")
        if isinstance(v, ExternalRef) and v.path.rpartition(".")[0] in ("tensorflow", "numpy", "tensorflow.dtypes") \
                and v.path.rpartition(".")[2] in DTYPE_NAMES:
            return v.path.rpartition(".")[2]  # tf.float32, tf.dtypes.float32, np.int32: Keras standardises a dtype
        if isinstance(v, (Function, LambdaValue, Partial)):
            rejected = _initializer_call_error(v)
            # (Keras saves a lambda as its code, which it does not load back in safe mode, registered or not; what it
            # makes of a partial is not followed: taken as found again)
            registered = isinstance(v, Partial) or not isinstance(v, LambdaValue) and self.may_register_objects()
            if rejected is not None:
                return RejectedCall(_described(v), registered=registered, callee=rejected[0], error=rejected[1])
            return FileFunction(_described(v), registered=registered)
        if isinstance(v, ArrayValue) and v.tainted is None and not v.ragged and not v.sparse:
            # (its shape kept: what a layer's constructor checks of it, `Embedding(weights=[m])`)
            return ArrayArgument(_described(v), shape=tuple(d if isinstance(d, (int, Expr)) else None
                                                            for d in v.shape))
        return Unknown(_described(v))

    def may_register_objects(self) -> bool:
        """Whether the analysed file, or a module of the project it has imported, names a way to register Keras
        custom objects (then Keras may find a function of the file by its name when it rebuilds a layer)."""
        from ..project import parsed_module
        from .imports import _module_parse

        held = getattr(self, "_registers", None)
        if held is not None and held[0] == len(self.modules):
            return held[1]
        found = bool(_REGISTERS.search(self.positions.source or ""))
        for path in self.modules if not found else ():
            if path in self.module_problems:
                continue  # (not read by the analysis: too big, or it could not be parsed; none of its code runs)
            try:  # (the text its import parsed, from the run's cache: the same parse, not another)
                found = bool(_REGISTERS.search(parsed_module(path, os.path.getsize(path), _module_parse)[0] or ""))
            except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
                found = True  # (not read: it may)
            if found:
                break
        self._registers = (len(self.modules), found)
        return found

    def new_input(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any, open_kwargs: Optional[Unknown]) -> Any:
        params = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "name", "tensor", "optional")
        bound = dict(zip(params, args))
        bound.update(kwargs)
        if "tensor" in bound:  # keras.Input(tensor=...) is InputLayer(input_tensor=...)
            bound["input_tensor"] = bound.pop("tensor")
        layer = self.new_layer("InputLayer", (), bound, e, open_kwargs=open_kwargs)
        shape = bound.get("shape")
        if isinstance(shape, External) and shape.role == "shape" and bound.get("batch_shape") is None:
            self.graph.data_inputs[layer.uid] = shape  # its rank may be fixed by the first layer it goes to
        out = self.apply_layer(layer, None, e)
        if self.param_probe is not None and bound.get("batch_shape") is None:
            self.probe_input_shape(bound.get("shape"), out)
        return out

    def call_layer(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        layer = self.graph.layer(obj.uid)
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        held = self.layer_object_in(args) if spec is not None and layer.type not in _NON_TENSOR_POSITIONAL_OK and \
            layer.type not in _DATA_LAYERS and not layer.operation else None
        if held is not None:
            # `Dense(4)(drop)` after `drop = Dropout(0.5)` without its `(x)`
            d = self.graph.layer(held.uid)
            return self.python_error_noted("KC118", "ValueError", (
                f"{layer.name} is called on the {d.type} layer {d.name}, not on a tensor: Keras 3 raises ValueError "
                "(\"Only input tensors may be passed as positional arguments\"); call that layer on a tensor first"), e)
        masks = self.mask_arguments(layer, args, kwargs, e)  # masks Keras passes as arguments of the call
        if isinstance(masks, Unknown):
            return masks
        kwargs = {**kwargs, **masks}
        for key in _TENSOR_KEYWORDS:
            hidden = _unknown_in(kwargs.get(key))
            if hidden is not None:
                # It may hold tensors whose layers belong to the model (an encoder's states): not known.
                return hidden
        first = args[0] if args else next(iter(kwargs.values()), None)
        previous_mask = kwargs["mask"] if kwargs.get("mask") is not None else self.mask_of(first)
        # Keras's node lists its tensors as tree.flatten((args, kwargs)): positional ones first,
        # then keyword ones by sorted keyword; model.layers order follows that.
        graph = [t.ref for a in args for t in tensors_in(a)]
        graph += [t.ref for k in sorted(kwargs) for t in tensors_in(kwargs[k])]
        rest = dict(kwargs)
        if spec is not None and spec.call_inputs:
            # Several tensor arguments, e.g. MultiHeadAttention(query, value, key=None).
            bound = dict(zip(spec.call_inputs, args))
            for name in spec.call_inputs:
                if name in rest:
                    bound[name] = rest.pop(name)
            extra = args[len(spec.call_inputs):]
            if len(extra) > len(spec.call_rest) or any(n in rest for n in spec.call_rest[:len(extra)]):
                return self.python_error("TypeError", f"{layer.name} is given arguments `call` does not take (Python "
                                         "raises TypeError)", e)
            tensor_args = [n for n in spec.call_inputs if isinstance(bound.get(n), Tensor)]
            for name, value in zip(spec.call_rest, extra):
                if value is None and name.endswith("_mask") and name[:-len("_mask")] in tensor_args and \
                        len(tensor_args) > 1:
                    # Keras's Layer.__call__ passes each tensor argument's mask as `<name>_mask=` when that
                    # argument is None: given None by position too, the call raises.
                    at = len(spec.call_inputs) + spec.call_rest.index(name) + 1
                    rest.setdefault("call_raises", (
                        f"{layer.type} is given `{name}` by position (None, argument {at}), and Keras also passes it "
                        f"by keyword: Keras 3 raises TypeError (\"got multiple values for argument '{name}'\"); "
                        "tf.keras 2's fourth argument was attention_mask, Keras 3's is query_mask: give "
                        "attention_mask= by keyword"))
                rest[name] = value
            positional = tuple(n for n, v in zip(spec.call_rest, extra)
                               if n[:-len("_mask")] in spec.call_inputs and n.endswith("_mask") and has_tensor(v))
            if positional:
                rest["positional_masks"] = positional  # (read by KC407: tf.keras 2 read the 4th as attention_mask)
            present = [bound.get(n) for n in spec.call_inputs]
            while present and present[-1] is None:
                present.pop()
            inputs: Any = ListValue(present)
        elif args or spec is None:
            inputs = args[0] if args else rest.pop("inputs", rest.pop("x", None))
        else:
            inputs = rest.pop(spec.call_arg, None)
            if inputs is None:
                inputs = self.misnamed_input(layer, spec, rest)
        raises = non_tensor_positional(layer.name, args, layer.type if layer.submodel is None else None) if (
            layer.known and layer.submodel is None or layer.submodel is not None and
            getattr(self.graph.model(layer.submodel), "kind", None) in ("sequential", "functional")) else None
        if raises is not None:
            rest.setdefault("call_raises", raises)
        call_kwargs = tuple((k, self.freeze(v)) for k, v in rest.items() if not has_tensor(v))
        if obj.uid in self.lambda_functions:
            traced = self.trace_lambda(obj.uid, inputs, e)
            if isinstance(traced, Unknown):
                call_kwargs = (*call_kwargs, ("traced_unknown", traced.reason))
            elif traced is not None:
                call_kwargs = (*call_kwargs, ("traced_output_shape", traced))
        return self.apply_layer(obj, inputs, e, call_kwargs, tuple(graph), previous_mask)

    def misnamed_input(self, layer: LayerDef, spec: Any, rest: Dict[str, Any]) -> Any:
        """A layer called without its tensor by position or by its own keyword (``spec.call_arg``): Keras 3's
        ``Layer.__call__`` binds the arguments to ``call``, which raises TypeError. The tensor given by another
        keyword (``LSTM(4)(inputs=x)``: tf.keras 2's LSTM took ``inputs``, Keras 3's takes ``sequences``), popped from
        ``rest``, the call's node made with it raising; None where none is given."""
        wrong = next((k for k in ("inputs", "x", "sequences", "sequence", "input") if k in rest), None)
        given = f"its tensor as `{wrong}=`" if wrong is not None else "no tensor"
        rest.setdefault("call_raises", (
            f"{layer.name} is given {given}, but its `call` takes `{spec.call_arg}`: Keras 3 raises TypeError "
            f"(\"missing a required argument: '{spec.call_arg}'\"); give the tensor by position"))
        return rest.pop(wrong) if wrong is not None else None

    def trace_lambda(self, uid: int, inputs: Any, e: Any) -> Optional[Union[Tuple[Any, ...], Unknown]]:
        """A ``Lambda`` without ``output_shape=``: Keras traces its function on each call's input
        (``compute_output_spec`` runs it on arrays: no operation is named). The function is run here on the
        input tensors; the shape of what it returns is that call's output shape (catalogue/core.py reads it).
        None (unknown) when it calls a layer, returns no single tensor or changes the batch axis; the
        :class:`Unknown` of what it does not follow, when that is why."""
        function, arguments = self.lambda_functions[uid]
        if isinstance(function, _ShapeFunction):
            return self.lambda_output_shape(function.function, inputs, e)
        first = inputs.items[0] if isinstance(inputs, ListValue) and inputs.items and inputs.tainted is None \
            else inputs
        if not isinstance(first, Tensor) or not isinstance(arguments, (DictValue, type(None))) or \
                isinstance(arguments, DictValue) and (arguments.tainted is not None or
                                                      not all(isinstance(k, str) for k in arguments.items)):
            return None
        given = self.graph.live_shapes().tensor(first.ref, "the input of a Lambda")
        start = self.graph.node_count()
        # The function is given tensors of its own (Keras traces it on new ones): a tensor of the model it reads
        # from elsewhere (a closure's `z_mean`), even one it is also given, is not one of them (_LambdaTrace.outer).
        given_inputs = _own_tensors(inputs)
        saved, self.graph.tracing = self.graph.tracing, _LambdaTrace(start, given_inputs)
        try:
            kwargs = dict(arguments.items) if arguments is not None else {}
            out = self.call(function, (given_inputs,), kwargs, e)
        finally:
            trace, self.graph.tracing = self.graph.tracing, saved
        # Operations, and tensors its body makes (K.random_normal(shape)): inputs made by no layer of the code.
        if trace.unresolved is not None or isinstance(out, Unknown):
            return trace.unresolved if trace.unresolved is not None else out  # why, for the Lambda's reason
        for n in self.graph.nodes_since(start):
            made = self.graph.layer(n.layer)
            if not made.operation and not (made.name == "variable" and not n.inputs):
                return Unknown(f"its body calls `{made.type}`, which is not analysed" if not made.known else
                               f"its body calls the layer `{made.type}`")
        if not isinstance(out, Tensor):
            return Unknown("it does not return one tensor")
        if not isinstance(given, tuple) or not given:
            return None
        shape = self.graph.live_shapes().tensor(out.ref, "the output of a Lambda")
        if isinstance(shape, Unknown):
            return shape
        if not isinstance(shape, tuple) or not shape or shape[0] != given[0]:
            return Unknown("the first axis of what it returns is not the input's batch axis")
        return shape

    def lambda_output_shape(self, function: Any, inputs: Any, e: Any) -> Optional[Tuple[Any, ...]]:
        """``Lambda(f, output_shape=g)``: ``g`` of the input's shape (a list of shapes for a list of tensors), as
        ``Lambda.compute_output_shape`` calls it; None (unknown) unless it gives one shape."""
        items = inputs.items if isinstance(inputs, ListValue) and inputs.tainted is None else \
            list(inputs) if isinstance(inputs, tuple) else None
        tensors = items if items is not None else [inputs]
        if not tensors or not all(isinstance(t, Tensor) for t in tensors):
            return None
        shapes = [self.graph.live_shapes().tensor(t.ref, "the input of a Lambda") for t in tensors]
        if not all(isinstance(s, tuple) for s in shapes):
            return None
        out = self.call(function, (ListValue(shapes) if items is not None else shapes[0],), {}, e)
        if isinstance(out, Unknown):
            return out  # why (a condition on a symbolic size it cannot decide): the Lambda's reason
        if isinstance(out, ListValue) and out.tainted is None:
            out = tuple(out.items)
        if not isinstance(out, tuple) or not out or not all(
                d is None or isinstance(d, int) and not isinstance(d, bool) and d >= 0 or
                isinstance(d, Expr) for d in out):
            return None
        return out

    def apply_layer(self, obj: LayerObj, inputs: Any, e: Any, call_kwargs: Tuple[Tuple[str, Any], ...] = (),
                    graph_inputs: Tuple[TensorRef, ...] = (), previous_mask: Any = FROM_INPUTS,
                    first: Any = FROM_INPUTS) -> Any:
        """A node of ``obj`` on ``inputs``; ``previous_mask``: the mask Keras passes on, ``first``: the call's first
        argument, which a custom layer's ``compute_mask`` is given (extract/masks.py)."""
        layer = self.graph.layer(obj.uid)
        is_input = layer.type == "InputLayer" and inputs is None
        refs: List[TensorRef] = []
        constants: List[Tuple[int, Tuple[int, ...]]] = []
        list_input = False
        stands_for = None  # the parameter this node's output stands for while the probe runs (extract/params.py)
        if not is_input and isinstance(inputs, Tensor) and self.graph.data_inputs:
            uid = self.open_data_input(inputs.ref)
            if uid is not None:
                self.fix_data_input(uid, layer, call_kwargs)
        if self.param_probe is not None and not is_input:
            instead, stands_for = self.probe_layer_input(layer, inputs, call_kwargs, e)
            if instead is not None:
                return instead
        if not is_input:
            spec = catalogue.lookup(layer.type) if layer.submodel is None and layer.known else None
            if isinstance(inputs, (DictView, ViewItems)) and spec is not None and spec.family != "preprocessing":
                # `Concatenate()(features.values())`: Keras takes no dict view among a layer's positional arguments
                return self.python_error("ValueError", (
                    f"{layer.name} is called on a dict view (`.{_view_kind(inputs)}()`), which Keras rejects: "
                    "ValueError (\"Only input tensors may be passed as positional arguments\"); give a list of it, "
                    "`list(...)`"), e)
            if isinstance(inputs, Tensor):
                refs = [inputs.ref]
            elif isinstance(inputs, (tuple, ListValue)):
                items = list(inputs) if isinstance(inputs, tuple) else (None if inputs.tainted else inputs.items)
                if items is None:
                    return inputs.tainted
                list_input = True
                # (a call Keras rejects for a number among its tensors: its node is made for the error it reports;
                # one on numbers alone makes no node, as before)
                raising = isinstance(dict(call_kwargs).get("call_raises"), str) and \
                    any(isinstance(item, Tensor) for item in items)
                custom = layer.submodel is not None and getattr(self.graph.model(layer.submodel), "custom_layer", False)
                for place, item in enumerate(items):
                    if not isinstance(item, Tensor):
                        # `Add()([x, pos_table])`: an array of data after the first tensor is a constant Keras reads
                        # the shape of (first in the list, Keras's merge raises AttributeError)
                        held = ops_calls.constant_operand(item) if place and isinstance(items[0], Tensor) and \
                            layer.type in _CONSTANT_MERGES and layer.known and layer.submodel is None else None
                        if held is not None:
                            constants.append((place, held.shape))
                            continue
                        if raising or custom and _eager_array(item):
                            # (an array, a NumPy scalar or what `ops.minimum(7, size)` gives beside the tensors of
                            # a custom layer's list: Keras converts it to a backend tensor, which its call is given
                            # as it is; the node's inputs are the KerasTensors alone)
                            continue
                        return item if isinstance(item, Unknown) else self.unknown(
                            f"{layer.name} is called on something that is not a tensor", e)
                    refs.append(item.ref)
            elif isinstance(inputs, Unknown):
                return inputs
            elif isinstance(inputs, DictValue) and layer.submodel is not None and \
                    (self.graph.model(layer.submodel).custom_layer or
                     _given_keys(inputs) is not None and
                     set(_given_keys(inputs)) == set(self.graph.model(layer.submodel).inputs_dict or ())):
                # A custom layer called on a dict of tensors (`encoder({"points": p, "labels": q})`), or a functional
                # model made with a dict of inputs called on a dict of the same keys: Keras's node holds them in the
                # order of their sorted keys (keras.tree.flatten).
                items = _tensor_dict(inputs)
                if isinstance(items, Unknown) or items is None:
                    return items or self.unknown(f"{layer.name} is called on a dict that is not of known tensors", e)
                list_input = True
                refs = [t.ref for t in items]
            else:
                return self.unknown(f"{layer.name} is called on something that is not a known tensor", e)
            self.graph.layer_calls += 1
            if self.graph.layer_calls > self.limits.layer_calls:
                if not self._budget_note:
                    self._budget_note = True
                    self.notes.append(Note("KC902", f"more than {self.limits.layer_calls:,} layer calls; "
                                           "the rest of the file is not followed",
                                           self.span(e) if e is not None else Span(1, 1, 1, 1)))
                return self.unknown(f"more than {self.limits.layer_calls:,} layer calls", e)
            unfollowed = self.unfollowed_mask(layer, inputs, e)
            if unfollowed is not None:
                return unfollowed
            tracing = self.graph.tracing
            if isinstance(tracing, _LambdaTrace) and tracing.mixes(inputs):
                tracing.taint(self.unknown(
                    f"`{self.code(e)}` mixes a tensor of the model the function is not given with one of its own: "
                    "Keras 3 traces the function on tensors of its own and cannot infer its output shape "
                    "(NotImplementedError): give the tensor in the Lambda's inputs, or `output_shape=`", e))
        node = self.graph.record_call(layer, tuple(refs), list_input, self.span(e) if e is not None else None,
                                      call_kwargs, graph_inputs, tuple(constants))
        if not is_input and isinstance(self.graph.tracing, _LambdaTrace):
            given = _tensors_in(inputs)
            if given and all(self.graph.tracing.is_outer(t) for t in given):
                self.graph.tracing.outer_nodes.add(node.id)  # a KerasTensor in Keras's trace
        if stands_for is not None:
            self.param_probe.nodes[node.id] = stands_for
        count = self.output_count(layer, call_kwargs)
        if isinstance(count, Unknown):
            return count
        nested = self.graph.model(layer.submodel) if layer.submodel is not None else None
        if isinstance(nested, ModelBuilder) and nested.kind == "functional" and nested.outputs_nested:
            return self.unknown(f"`{self.code(e)}`: the model's outputs were given in nested lists, whose structure "
                                "a call of it gives back; that structure is not followed", e)
        if isinstance(nested, ModelBuilder) and nested.kind == "functional" and nested.unresolved is None and \
                nested.outputs and not nested.single_output:
            # A functional model made with a list of outputs returns a list, even of one tensor.
            out: Any = tuple(Tensor(TensorRef(node.id, i)) for i in range(len(nested.outputs)))
        else:
            out = Tensor(TensorRef(node.id, 0)) if count == 1 else \
                tuple(Tensor(TensorRef(node.id, i)) for i in range(count))
        self.set_masks(layer, inputs, out, e, previous_mask, first)
        if isinstance(nested, ModelBuilder) and nested.kind == "functional" and nested.outputs_list and \
                isinstance(out, tuple):
            return ListValue(list(out))  # Keras returns the outputs in the list they were given in
        if isinstance(nested, ModelBuilder) and nested.kind == "functional" and nested.outputs_dict is not None and \
                isinstance(out, tuple) and len(out) == len(nested.outputs_dict):
            return structure_dict(nested.outputs_dict, out)  # ... or the dict
        return out

    def output_count(self, layer: LayerDef, call_kwargs: Tuple[Tuple[str, Any], ...]) -> Any:
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else \
            catalogue.operation(layer.type) if layer.operation else None
        if spec is None:
            return 1
        if spec.output_count is _ONE_OUTPUT:
            # The count is 1 whatever the arguments hold, if binding them does not raise; BoundArgs raises on the
            # layer's own arguments only (never on the call's), which the layer's config already bound.
            memo = layer.__dict__.get(LayerDef.CONFIG)
            if memo is not None and memo[0] is spec and not isinstance(memo[1], ShapeError):
                return 1
        try:
            return spec.output_count(BoundArgs(spec, layer, call_kwargs))
        except Unresolved as exc:
            return Unknown(f"how many tensors {layer.name} returns is not known ({exc.reason})")
        except InvalidArguments:
            # Keras rejects a keyword (`LSTM(8, return_sequence=True, return_state=True)`): the error is reported
            # where the model uses the layer, so `y, h, c = lstm(x)` is read with the keywords it accepts and
            # keeps the layer (and its error) in the model, rather than failing to unpack one tensor.
            kept = tuple((k, v) for k, v in layer.kwargs if spec.kwarg_aliases.get(k, k) in spec.defaults)
            if kept == layer.kwargs:
                return 1
            try:
                return spec.output_count(BoundArgs(spec, replace(layer, kwargs=kept), call_kwargs))
            except (ShapeError, TypeError, ValueError):
                return 1
        except (ShapeError, TypeError, ValueError):
            return 1

    def new_functional(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        # (Keras 1 named them input= and output=, which Keras 2 still took and Keras 3 rejects: read as Keras 1
        # read them, as its layer arguments are; KC404 notes the call)
        inputs = args[0] if args else kwargs.get("inputs", kwargs.get("input"))
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs", kwargs.get("output"))
        if inputs is None and outputs is None:
            return OpaqueCallable("Model", "a model without inputs and outputs (subclassing?)")
        name = kwargs.get("name") if len(args) < 3 else args[2]
        for what, given in (("inputs", inputs), ("outputs", outputs)):
            if isinstance(given, (DictView, ViewItems)):
                # `Model(inputs=features.values(), ...)`: Keras flattens lists, tuples and dicts, not a dict's view,
                # and raises before it names the model (functional_io: the names after it are not known then)
                why = self.python_error("ValueError", (
                    f"the model's {what} are a dict view (`.{_view_kind(given)}()`), which Keras rejects: ValueError "
                    f"(\"All `{what}` values must be KerasTensors\"); give a list of it, `list(...)`"), e)
                inputs, outputs = (why, outputs) if what == "inputs" else (inputs, why)
                break
            held = self.layer_object_in(given)
            if held is not None:
                # `Model(inp, x)` after `x = Dense(4)` without its `(x)`: Keras 3 checks every input and output
                d = self.graph.layer(held.uid)
                return self.python_error_noted("KC118", "ValueError", (
                    f"the model's {what} hold the {d.type} layer {d.name}, not a tensor: Keras 3 raises ValueError "
                    f"(\"All `{what}` values must be KerasTensors\"); give a tensor: what calling the layer returns, or its "
                    "`.output`"), e)
        b = self.new_builder("functional", e, name)
        self.functional_io(b, inputs, outputs, None if isinstance(name, str) else "functional")
        if len(args) > 2:  # Keras 2 took the name there; Keras 3.15's Model passes it on to Layer, which refuses
            b.taint(self.unknown("keras.Model(inputs, outputs, name) with the name by position: Keras 3 raises "
                                 "(\"Layer.__init__() takes 1 positional argument\"); give name=", e))
        return b

    def predicted(self, b: ModelBuilder, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[ArrayValue]:
        """What ``model.predict(x)`` returns for an array ``x`` of known shape given to a built model of one input
        and one output: an array of the model's output shape, with one row per sample of ``x`` (``features =
        conv_base.predict(x_train)``, then ``features.shape[1:]``); its values are not kept. None where not known
        (the model's shapes, several inputs or outputs, an output size that depends on the data, or data whose
        sizes are not those the model takes: Keras would raise)."""
        if b.kind not in ("sequential", "functional", "application") or b.index < 0 or b.unresolved is not None or \
                self.graph.tracing is not None or self.graph.building is not None:
            return None
        shape = arrays._known_shape(arrays.data_argument(name, args, kwargs))
        if shape is None:
            return None
        live_shapes = self.graph.live_shapes()
        given, out = (live_shapes.model(b.index, attr, attr) for attr in ("input_shape", "output_shape"))
        if not isinstance(given, tuple) or not isinstance(out, tuple) or len(given) != len(shape) or \
                any(d is None for d in out[1:]):
            return None
        for size, taken in zip(shape[1:], given[1:]):
            if taken is not None and not (type(size) is int and type(taken) is int and size == taken or size is taken):
                return None
        return ArrayValue((shape[0], *out[1:]))

    def functional_io(self, b: ModelBuilder, inputs: Any, outputs: Any, auto_prefix: Optional[str] = None) -> None:
        """The model's inputs and outputs. ``auto_prefix``: the prefix of the automatic name ``b`` took (None for
        a name given): Keras checks that every input and output is a KerasTensor before it names the model, so
        where one is not known, the model may have raised unnamed, and the names of that prefix made afterwards
        are not known either (nor its own)."""
        ins, b.single_input = self.tensor_refs(inputs, nested=True)
        outs, b.single_output = self.tensor_refs(outputs, nested=True)
        b.outputs_list = isinstance(outputs, ListValue)
        b.outputs_nested = isinstance(outputs, (tuple, ListValue)) and not isinstance(outputs, Tensor) and any(
            isinstance(item, (tuple, ListValue, DictValue)) and not isinstance(item, Tensor)
            for item in (outputs.items if isinstance(outputs, ListValue) else outputs))
        b.outputs_dict, b.inputs_dict = _given_keys(outputs), _given_keys(inputs)
        if (isinstance(ins, Unknown) or isinstance(outs, Unknown)) and auto_prefix is not None:
            self.graph.uncertain_names.add(auto_prefix)
            b.keras_name = UNKNOWN_NAME
        if isinstance(ins, Unknown):
            b.taint(ins)
        elif isinstance(outs, Unknown):
            b.taint(outs)
        else:
            b.inputs, b.outputs = tuple(ins), tuple(outs)
            self.check_parameter_inputs(b, b.inputs, b.outputs)

    def build_on_first_batch(self, b: ModelBuilder, method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                             e: Any) -> bool:
        """``model.fit(x, ...)`` of a subclassed model nothing has called yet: Keras builds it by running its
        ``call`` on the first batch of ``x`` (``Trainer._symbolic_build``: tensors of that batch's shape, batch
        size included, and ``training=False`` when ``call`` takes it), as if the model were called on it. ``x``
        an array or frame whose shape is known, or a tuple or list of them (several inputs; not for ``predict``, nor
        without ``y``: Keras would read them as (x, y)). False when the batch is not known: the caller says why."""
        from . import arrays as arr

        if b.parent is not None or b.custom_layer:
            return False
        bound = arr._bound(method, args, kwargs)
        x = bound.get("x") if bound is not None else None
        call = self.member(b.cls, "call") if b.cls is not None else None
        if x is None or not isinstance(call, Function):
            return False
        items = self.sequence(x) if isinstance(x, (tuple, ListValue)) else None
        if items is not None and (method.startswith("predict") or not items or len(items) > 16 or bound.get("y") is None):
            return False  # without y, Keras reads a tuple or list x as (x, y[, sample_weight])
        shapes = []
        for item in (items if items is not None else [x]):
            rest = dict(bound, x=item)
            shape = arr.first_batch(self, method, (), rest, e) if arr._known_shape(item) is not None or \
                items is None else None
            if not isinstance(shape, tuple) or any(d is None for d in shape):
                return False
            shapes.append(shape)
        if items is not None and len({s[0] for s in shapes}) != 1:
            return False  # arrays of different sample counts: Keras raises
        tensors = []
        for shape in shapes:
            layer = self.new_layer("InputLayer", (), {"batch_shape": shape, "name": f"{b.keras_name}_first_batch"}, e)
            tensors.append(self.apply_layer(layer, None, e))
        given: Any = tensors[0] if items is None else (tuple(tensors) if isinstance(x, tuple) else ListValue(tensors))
        params = call.node.args
        takes_training = any(a.arg == "training" for a in (*params.posonlyargs, *params.args, *params.kwonlyargs))
        if takes_training and method.startswith(("fit", "train")) and _tests_training(call.node):
            # Keras builds on the first batch with training=False, then trains with training=True: layers that
            # `call` runs only when training are built by the first step too.
            return False
        self.trace_call(b, (given,), {"training": False} if takes_training else {}, e)
        return True

    def fixed_weights_model(self, b: ModelBuilder) -> bool:
        """A subclassed model whose weights are the same whatever data Keras builds it on: one with none
        (``class Baseline(keras.Model)`` whose ``call`` slices or returns its input), or one whose layers are models
        built already (a training wrapper whose ``call`` runs the functional model it holds). The layers it tracks
        are all such models (functional, or Sequential with an input); it holds nothing else but plain values
        (numbers, strings, None, tuples of them), Keras objects that hold no weights (optimizers, metrics), losses
        and functions; and its classes, all of the file with ``keras.Model`` as their base, define a ``call``, no
        ``build``, and no method that calls ``add_weight``/``add_variable``/``setattr``, or writes an attribute of
        ``self`` (outside ``__init__`` and ``compile``) or ``self.__dict__``: Keras's build on the first batch makes
        no weight then. Whether ``call`` runs on that data (Keras raises otherwise) is the data's, as for any fit."""
        import ast

        cls = b.cls
        if cls is None or b.custom_layer or b.parent is not None or b.own_weights or \
                not isinstance(self.member(cls, "call"), Function):
            return False
        held = set()
        for uid in b.layers:
            layer = self.graph.layer(uid)
            inner = self.graph.model(layer.submodel) if layer.submodel is not None else None
            if inner is None or inner.unresolved is not None or not (
                    inner.kind == "functional" or inner.kind == "sequential" and (
                        inner.input_layer is not None or inner.implicit_input)):
                return False  # (a layer Keras builds on the data: its weights depend on it)
            held.add(id(inner))
        for value in b.attrs.values():
            if isinstance(value, ModelBuilder) and id(value) in held or \
                    isinstance(value, (KerasObject, Function, Loss)):
                continue
            if not _plain([value]):
                return False
        for c in cls.mro:
            if c.statement is None or any(not isinstance(base, ClassValue) and not (
                    isinstance(base, KerasRef) and names.classify(base.path)[0] == "model") for base in c.bases):
                return False
            methods = {stmt.name: stmt for stmt in c.statement.body
                       if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
            if "build" in methods:
                return False
            for member, value in c.members.items():
                if member not in methods and not _plain([value]):
                    return False  # (a class attribute: a layer there is Keras's to track or not)
            for member, node in methods.items():
                for n in ast.walk(node):
                    if isinstance(n, ast.Call) and (
                            isinstance(n.func, ast.Attribute) and n.func.attr in ("add_weight", "add_variable") or
                            isinstance(n.func, ast.Name) and n.func.id == "setattr"):
                        return False
                    if isinstance(n, ast.Attribute) and n.attr == "__dict__":
                        return False
                    if member not in ("__init__", "compile") and isinstance(n, ast.Attribute) and \
                            isinstance(n.ctx, (ast.Store, ast.Del)):
                        return False
        return True

    def unseen_batch(self, b: ModelBuilder, method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                     e: Any) -> Optional[Tuple[Any, ...]]:
        """The first batch ``model.<method>(x)`` gives an unbuilt Sequential when ``x`` is a value the analysis does
        not know at all, as symbols (``batch size of x_train``, ``x_train.shape[1]``...): only when the model's
        layers take inputs of one rank (``Embedding`` then ``LSTM``: 2; ``Conv1D``: 3), which the batch then has, as
        Keras raises on any other. None otherwise, and for a model an earlier call or ``fit`` built on what the
        analysis does not know (Keras built it there, on sizes these symbols would not name)."""
        import ast

        x = arrays.data_argument(method, args, kwargs)
        if not isinstance(e, ast.Call) or method.endswith("_on_batch") or b.built_on_data is not None:
            return None  # (a model built before on what the analysis does not know: built there, not here)
        # An array whose rank is known but some of whose sizes are not (``np.array(pad_sequences(rows))`` of rows
        # not counted): the batch has that rank, its unknown sizes are symbols (the batch size one too, as first_batch
        # would not cut a batch of a size it knows from an array whose other sizes it does not).
        partial = arrays.partial_shape(x) if not isinstance(x, Unknown) else None
        if partial is None and not isinstance(x, Unknown):
            return None
        rank = len(partial) if partial is not None else self.sequential_rank(b)
        if rank is None or rank < 2:
            return None
        from .collect import first_positional

        x_arg = first_positional(e) if e.args else next((k.value for k in e.keywords if k.arg == "x"), None)
        text = self.code(x_arg) if x_arg is not None else "x"
        if not text.replace(".", "").replace("_", "").isalnum():
            text = "x"
        if partial is not None:
            origin = f"a size of the data `{method}()` is given that the analysis does not know"
        else:
            origin = (f"the data `{method}()` is given, whose shape the analysis does not know; its rank is the one "
                      "the model's layers take")
        batch = self.made_symbol(f"batch size of {text}", origin, e)
        return (batch, *(partial[i] if partial is not None and partial[i] is not None else
                         self.made_symbol(f"{text}.shape[{i}]", origin, e) for i in range(1, rank)))

    def sequential_rank(self, b: ModelBuilder) -> Optional[int]:
        """The one input rank (batch axis included) for which the layers of Sequential ``b``, run in turn on sizes
        the analysis does not know, meet no rank Keras rejects; None when several ranks pass or none does. A layer
        the catalogue does not know, or an outcome that is not about ranks, ends what is learnt."""
        from ..catalogue.errors import WrongRank
        from ..catalogue.spec import config
        from ..symbolic import symbol
        from .params import _RANKS

        specs = []
        for uid in b.layers:
            layer = self.graph.layer(uid)
            spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None and not layer.operation \
                else None
            if spec is None:
                break
            specs.append((spec, layer))
        passing = []
        for rank in _RANKS:
            shape: Any = (None, *(symbol(f"__rank_probe_{i}") for i in range(1, rank)))
            rejected = False
            for spec, layer in specs:
                try:
                    shape = spec.output_shape(config(spec, layer).with_call(()), shape)
                except WrongRank:
                    rejected = True
                    break
                except Exception:  # noqa: BLE001 - not about the rank: the rank may be right
                    break
                if not isinstance(shape, tuple) or any(isinstance(d, (tuple, list)) for d in shape):
                    break
            if not rejected:
                passing.append(rank)
        return passing[0] if len(passing) == 1 and passing[0] >= 2 else None

    def layer_object_in(self, value: Any) -> Optional[LayerObj]:
        """The first layer object (a catalogue layer's, not a model's) among ``value`` and the items of its lists,
        tuples and dicts of string keys, at any depth (as Keras flattens them), else None."""
        todo = [value]
        while todo:
            item = todo.pop(0)
            if isinstance(item, LayerObj):
                d = self.graph.layer(item.uid)
                if (d.known or d.kwarg("application_layer") is not None) and d.submodel is None and not d.operation:
                    return item  # (a catalogue layer, or one of a keras.applications model's: `base.get_layer(n)`)
            elif isinstance(item, tuple):
                todo[:0] = item
            elif isinstance(item, ListValue) and item.tainted is None:
                todo[:0] = item.items
            elif isinstance(item, DictValue) and item.tainted is None:
                todo[:0] = item.items.values()
        return None

    def tensor_refs(self, value: Any, nested: bool = False, arrays: bool = False) -> Tuple[Any, bool]:
        """The refs of a model's inputs or outputs (and whether it is one tensor), or an Unknown. ``nested``: lists
        and tuples in the list are flattened, as Keras 3 flattens a model's inputs (``Model([enc.inputs, y], out)``).
        ``arrays``: arrays and NumPy scalars after the first tensor of a list are left out (a custom layer's input:
        Keras's node holds its KerasTensors alone, apply_layer)."""
        if isinstance(value, Tensor):
            return [value.ref], True
        if isinstance(value, DictValue) and value.tainted is None:
            # Keras flattens a dict of tensors in the order of its sorted keys (``keras.tree.flatten``)
            if not all(isinstance(k, str) for k in value.items):
                return Unknown("the model's inputs or outputs are a dict whose keys are not all strings"), True
            value = tuple(value.items[k] for k in sorted(value.items))
        items = self.iterate(value) if isinstance(value, (tuple, ListValue)) else None
        if items is None:
            if isinstance(value, Unknown):
                return value, True
            if isinstance(value, (ListValue, DictValue)) and value.tainted:
                return value.tainted, True
            return self.not_tensor(value), True
        refs = []
        for item in items:
            if nested and isinstance(item, (tuple, ListValue, DictValue)) and not isinstance(item, Tensor):
                inner, _ = self.tensor_refs(item, nested)
                if isinstance(inner, Unknown):
                    return inner, True
                refs.extend(inner)
                continue
            if not isinstance(item, Tensor):
                if arrays and refs and _eager_array(item):
                    continue
                return (item if isinstance(item, Unknown) else self.not_tensor(item)), True
            refs.append(item.ref)
        return refs, False

    def not_tensor(self, value: Any) -> Unknown:
        """Why a model's input or output is not a tensor the analysis knows."""
        probe = self.param_probe
        name = probe.tensor_param(value) if probe is not None else None
        if name is not None and name in probe.open:
            return Unknown(f"the model's inputs or outputs are not known tensors ({self.parameter_reason(name)})")
        return _not_tensor(value)

    def unsliceable_data(self, b: ModelBuilder, method: str, argument: str, leaf: Any, e: Any) -> Any:
        """``model.<method>(...)`` given a Python list (or tuple, or dict) of numbers or strings as ``argument``
        (:func:`arrays.unsliceable_data`): Keras 3 raises ValueError before it reads a batch, so the call builds
        nothing (nor runs a callback). An unbuilt model it would have built stays so: at top level the script stops
        there, and a Sequential it would have built is unknown with that reason (as after ``set_weights`` on an unbuilt
        model); inside a ``try``, the handlers get the ValueError. A model built before keeps its numbers."""
        given = "the data" if argument == "x" else "the labels" if argument == "y" else "the sample weights"
        why = (f"{live.KERAS_REJECTS}`{method}()` is given {given} (`{argument}`) as a Python "
               f"{'list' if not isinstance(leaf, str) else 'list of strings'} holding {leaf!r}, not an array: "
               f"Keras 3 reads it as a structure of inputs and raises ValueError (\"Unrecognized data type\")")
        unbuilt = (b.kind == "sequential" and b.input_layer is None and not b.implicit_input and b.layers
                   and b.built_by_node is None and b.built_on_data is None and b.unresolved is None
                   and not self.graph.input_from_submodel(b))
        if unbuilt and not self.undecided:
            self.model_stops_here(b, why)
        return self.python_error("ValueError", why, e)

    def model_method(self, b: ModelBuilder, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        b.add_method_call((name, b.compile[1] if b.compile else None,
                           (e.lineno, e.col_offset) if hasattr(e, "col_offset") else None))
        if name == "build" and b.kind == "subclassed":
            self.build_subclassed(b, args, kwargs, e)
            return None
        if name == "add_weight" and (b.custom_layer or self.graph.building is b or self.weight_made_outside_build(b)):
            return self.add_weight(b, args, kwargs, e)
        if name in _BUILT_ON_DATA and self.graph.tracing is None and self.graph.building is None:
            unsliceable = arrays.unsliceable_data(name, args, kwargs)
            if unsliceable is not None:
                return self.unsliceable_data(b, name, *unsliceable, e)
        if name in _BUILT_ON_DATA:
            self.run_on_data(b, f"{name}()", e)
            if self.callback_instances:
                callbacks.release_all(self)  # (Keras runs the hooks of the callbacks it is given)
            call = arrays.data_call(name, args, kwargs, self.span(e) if e is not None else b.span, b.compile,
                                    len(b.layers), self)
            if call is not None:
                b.data_calls = (*b.data_calls, call)
            if (b.kind == "sequential" and b.input_layer is None and not b.implicit_input and b.layers
                    and b.built_by_node is None and b.built_on_data is None and b.unresolved is None
                    and not self.graph.input_from_submodel(b)):
                # (built_on_data: an earlier call built it, on data whose shape is not known; Keras does not build
                # it again on this data)
                # Keras builds an unbuilt Sequential on the shape of the first batch it is given.
                shape = arrays.first_batch(self, name, args, kwargs, e)
                if shape is None:
                    shape = self.unseen_batch(b, name, args, kwargs, e)
                if shape is not None:
                    self.model_method(b, "build", (shape,), {}, e)
                else:
                    # Keras builds it all the same, on data whose shape the analysis does not know: not unbuilt
                    x = arrays.data_argument(name, args, kwargs)
                    why = f" ({x.reason})" if isinstance(x, Unknown) else ""
                    if b.built_on_data is None:
                        b.built_on_data = f"`{name}()` builds the model on data whose shape is not known{why}"
                        self.graph.unknown_build()
        if name in _BUILT_ON_DATA and b.kind == "subclassed" and b.call_nodes is None and \
                (b.unresolved is not None or not self.build_on_first_batch(b, name, args, kwargs, e)):
            fixed = b.unresolved is None and self.fixed_weights_model(b)
            b.built_unseen = fixed  # (whatever the data: the weights it has are all it gets)
            self.names_data_run_may_use(b, steps=True)  # (Keras runs it there: what it makes takes automatic names)
        else:
            fixed = True
        if not fixed:
            b.taint(self.unknown(f"`{name}()` builds the model on data, which the analysis does not follow", e))
            for held in b.attrs.values():
                if isinstance(held, ModelBuilder) and held.kind == "sequential" and held.input_layer is None and \
                        held.layers and held.built_on_data is None:
                    # Its code (call, train_step) may run a Sequential it holds on that data: Keras builds that one
                    # there, on a shape not known (it is not "unbuilt").
                    held.built_on_data = f"`{name}()` of the model that holds it may build it, on data the " \
                                         "analysis does not follow"
        if name == "add" and b.kind == "sequential":
            item = args[0] if args else kwargs.get("layer")
            self.sequential_add(b, item, e)
            return None
        if name == "build" and b.kind == "sequential":
            shape = args[0] if args else kwargs.get("input_shape")
            if b.input_layer is not None and b.layers and b.unresolved is None and self._builds_otherwise(b, shape):
                # Keras: "has already been configured to use input shape (None, 4). You cannot build it with ..."
                note_changed(b)
                b.taint(self.unknown("`build()` with another shape than the model's input: Keras raises", e))
                return self.python_error("ValueError", "build() of a Sequential with another input shape", e)
            if b.input_layer is not None and not b.layers:
                b.explicit_build = True  # (one that holds only its input: built now, as by a call)
                self.built_only_input(b, shape)
            if b.input_layer is None and b.layers and b.implicit_input:
                # Keras built it already (a built model first, or a call) and prepended its InputLayer then: build()
                # makes none, and raises for another shape than that InputLayer's.
                same = self._builds_as_before(b, shape)
                if same is False:
                    note_changed(b)
                    b.taint(self.unknown("`build()` with another shape than the model's input: Keras raises", e))
                    return self.python_error("ValueError", "build() of a Sequential with another input shape", e)
                if same is None:
                    b.build_shape = self.freeze(shape)  # (compared with the input it was built on: infer)
            elif b.input_layer is None and b.layers:
                hidden = self.new_layer("InputLayer", (), {"batch_shape": shape}, e)
                b.input_layer = hidden.uid
                b.implicit_input = True
            if b.layers:
                self.graph.record_build()
                # Keras's Sequential.build calls each layer on the input it makes: custom layers and Lambdas are traced
                self.trace_in_sequential(b, e)
            return None
        if name == "pop" and b.kind == "sequential":
            if b.layers:
                b.layers = b.layers[:-1]
                self.sequential_rebuild(b)
            elif b.unresolved is None:
                # Keras pops its InputLayer (then fails to rebuild on nothing) or, with no layer at all, pops an
                # empty list: IndexError either way (with rebuild=False, the model has lost its input).
                note_changed(b)
                b.taint(self.unknown("`pop()` on a Sequential with no layers: Keras raises IndexError (or, with "
                                     "rebuild=False, removes its input)", e))
                return self.python_error("IndexError", "pop() of a Sequential with no layers", e)
            return None
        if name == "get_layer" and b.kind in ("sequential", "functional", "application"):
            return self.get_layer(b, args, kwargs, e)
        if name == "quantize":
            # Keras replaces the weights of the layers it holds (graph.set_model_quantized): their counts are unknown
            mode = args[0] if args else kwargs.get("mode")
            self.graph.set_model_quantized(b, mode)
            return None
        if name == "compile":
            bound = dict(zip(("optimizer", "loss", "loss_weights", "metrics"), args))
            bound.update(kwargs)
            b.compile = (tuple((k, self.freeze(v)) for k, v in bound.items()),
                         self.span(e) if e is not None else b.span)
            b.compile_elsewhere = e is not None and self.positions.get(e) is None
            return None
        if name in ("predict", "predict_on_batch"):
            made = self.predicted(b, name, args, kwargs)
            if made is not None:
                return made
        if name in ("summary", "fit", "evaluate", "predict", "save", "save_weights", "load_weights",
                    "plot_model", "count_params", "get_config", "to_json"):
            return None if name != "count_params" else self.unknown("count_params()", e)
        if name == "compute_output_shape" and b.kind in ("functional", "application") and b.index >= 0:
            return self.model_output_shape(b, args, kwargs, e)
        if name == "compute_output_shape" and b.custom_layer and b.parent is not None and \
                len(args) + len(kwargs) == 1 and set(kwargs) <= {"input_shape"}:
            # `super().compute_output_shape(input_shape)` in a subclass of a Keras layer: that layer's, for its
            # arguments (as `super().build(input_shape)` makes its weights)
            shape = self.freeze(args[0] if args else kwargs["input_shape"])
            out = self.parent_spec_call(b, "output shape", shape, e) if isinstance(shape, tuple) else None
            if isinstance(out, tuple) and all(d is None or isinstance(d, (int, Expr)) for d in out):
                return out
        return self.unknown(f"model.{name}()", e)

    def model_output_shape(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``model.compute_output_shape(shape)`` of a functional model (or a keras.applications one) with one input
        and one output: Keras runs its graph again on ``shape``, after checking it against the input's. For the
        shape the model was built on (its batch size aside) that gives the output the model has; with a batch size
        given, the output's batch size (and any other axis the model leaves open) is the graph's to say, and is
        left unknown (a reshape to -1 gives another size). Any other shape is not followed (unknown)."""
        what = f"`{self.code(e)}`" if e is not None else "model.compute_output_shape()"
        given = args[0] if len(args) == 1 and not kwargs else kwargs.get("input_shape") if not args and \
            set(kwargs) == {"input_shape"} else None
        if isinstance(given, ListValue) and given.tainted is None:
            given = tuple(given.items)
        if not isinstance(given, tuple) or not given or \
                not all(d is None or type(d) is int or isinstance(d, Expr) for d in given):
            return self.unknown(f"{what}: the shape it is given is not known", e)
        live = self.graph.live_shapes()
        built = live.model(b.index, "input_shape", what)
        out = live.model(b.index, "output_shape", what)
        for shape in (built, out):
            if isinstance(shape, Unknown):
                return self.unknown(shape.reason, e)
        if len(built) != len(given) or any(
                not (m is None and g is None or m is not None and g is not None and m == g)
                for m, g in zip(built[1:], given[1:])):
            return self.unknown(f"{what}: a shape other than the model's input "
                                f"({', '.join('None' if d is None else render(d) for d in built)}) is not "
                                "followed (Keras runs the graph again on it, or raises)", e)
        if built[0] is not None and given[0] != built[0]:
            return self.unknown(f"{what}: a batch size other than the model's input's is not followed", e)
        if given[0] is None or given[0] == built[0]:
            return tuple(out)
        reason = Unknown(f"{what}: the size the graph gives this axis for a batch of {given[0]} is not followed")
        return tuple(reason if d is None else d for d in out)


def _not_tensor(value: Any) -> Unknown:
    """Why a model's input or output is not a tensor the analysis knows."""
    if isinstance(value, Expr):
        # A parameter of a function run with its default arguments, or a name from code not seen.
        return Unknown(f"the model's inputs or outputs are not known tensors (`{render(value)}` is a value the "
                       "analysis does not know: a parameter no call in this file gives, or a name from code "
                       "it does not see)")
    if isinstance(value, OpaqueCallable) and value.reason:
        # what a call of code not analysed returned (`get_encoders(input_layer=x, ...)` of keras_transformer)
        return Unknown(f"the model's inputs or outputs are not known tensors (what `{value.text}(…)` returns: "
                       f"{value.reason})")
    return Unknown("the model's inputs or outputs are not known tensors")


class _ShapeFunction:
    """The ``output_shape=`` function of a Lambda (``lambda_functions`` holds it in place of the
    function to trace)."""

    def __init__(self, function: Any) -> None:
        self.function = function


class _LambdaTrace:
    """``Graph.tracing`` while a Lambda's function runs: operations are not named, a layer made there
    leaves the trace unresolved.

    ``start``: the first node the trace may make; ``given``: what the function is given (its own tensors,
    :func:`_own_tensors`). Keras 3 runs the function on backend tensors made for the call
    (``Lambda.compute_output_shape`` → ``compute_output_spec``), while a tensor of the model it reads from
    elsewhere (a closure's or a global's) stays a KerasTensor: operations on such tensors alone make KerasTensors
    (the Lambda's output may be one: its shape is theirs), but one that mixes them with the function's own
    tensors fails there, and Keras raises NotImplementedError (it cannot infer the output shape) whatever the
    backend."""

    class cls:  # noqa: N801 - read as ``tracing.cls.name``, as for a custom layer's trace
        name = "Lambda"

    def __init__(self, start: int = 0, given: Any = None) -> None:
        self.unresolved: Optional[Unknown] = None
        self.start = start
        self.given = {id(t) for t in _tensors_in(given)}
        #: Nodes the trace made from tensors it was not given alone (KerasTensors in Keras's trace).
        self.outer_nodes: set = set()

    def taint(self, reason: Unknown) -> None:
        self.unresolved = self.unresolved or reason

    def is_outer(self, t: Tensor) -> bool:
        """Whether ``t`` is a tensor of the model the function was not given, or made of such tensors alone."""
        return t.ref.node < self.start and id(t) not in self.given or t.ref.node in self.outer_nodes

    def outer(self, inputs: Any) -> bool:
        """Whether ``inputs`` of an operation hold a tensor of the model the function was not given."""
        return any(self.is_outer(t) for t in _tensors_in(inputs))

    def mixes(self, inputs: Any) -> bool:
        """Whether ``inputs`` of an operation mix such a tensor with one of the function's own."""
        kinds = {self.is_outer(t) for t in _tensors_in(inputs)}
        return len(kinds) == 2


def _graph_nodes(graph: Any, model: ModelBuilder) -> List[Any]:
    """The nodes of a functional model's graph, in the order they were made: those its outputs come from."""
    wanted: set = set()
    stack = [r.node for r in model.outputs]
    while stack:
        nid = stack.pop()
        if nid not in wanted:
            wanted.add(nid)
            stack.extend(r.node for r in graph.node(nid).parents)
    return [graph.node(n) for n in sorted(wanted)]


#: Arguments a layer's config does not keep (Keras 3 gives them to the Sequential's InputLayer instead).
_NOT_IN_CONFIG = frozenset({"input_shape", "input_dim", "batch_input_shape", "batch_size", "name"})


def _tensors_in(value: Any) -> List[Tensor]:
    """The tensors ``value`` is or holds (a tensor, or a tuple or list of them, one level down)."""
    if isinstance(value, Tensor):
        return [value]
    items = value if isinstance(value, tuple) else value.items if isinstance(value, ListValue) else ()
    return [t for t in items if isinstance(t, Tensor)]


def _own_tensors(inputs: Any) -> Any:
    """``inputs`` with each tensor a new handle of the same tensor (a tuple or list of them, one level down)."""
    if isinstance(inputs, Tensor):
        return Tensor(inputs.ref)
    if isinstance(inputs, tuple):
        return tuple(Tensor(t.ref) if isinstance(t, Tensor) else t for t in inputs)
    if isinstance(inputs, ListValue) and inputs.tainted is None:
        return ListValue([Tensor(t.ref) if isinstance(t, Tensor) else t for t in inputs.items])
    return inputs


def _tests_training(fn: Any) -> bool:
    """Whether the body of ``fn`` (an ``ast.FunctionDef``) has a condition that reads ``training``."""
    import ast

    for node in ast.walk(fn):
        test = node.test if isinstance(node, (ast.If, ast.IfExp, ast.While)) else None
        if test is not None and any(isinstance(n, ast.Name) and n.id == "training" for n in ast.walk(test)):
            return True
    return False


def _weightless_anew(type_name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    """A Keras layer that never has weights (whatever its input), makes no other layer and holds none: made
    anew at each run of a traced ``call``, it changes nothing Keras counts."""
    spec = catalogue.lookup(type_name)
    if spec is None or spec.weights is not no_weights or spec.build_names or spec.init_names is not None or \
            spec.name in ("InputLayer", "StackedRNNCells"):
        return False
    stack = [*args, *kwargs.values()]
    while stack:  # (a layer given to it, alone or in a list, tuple or dict: its weights would be the layer's)
        v = stack.pop()
        if isinstance(v, (LayerObj, ModelBuilder, Unknown)):
            return False
        if isinstance(v, (tuple, ListValue, DictValue)):
            stack.extend(v if isinstance(v, tuple) else v.items if isinstance(v, ListValue) else v.items.values())
            if not isinstance(v, tuple) and v.tainted is not None:
                return False
    return True


def _unknowns(value: Any) -> List[Unknown]:
    if isinstance(value, Unknown):
        return [value]
    if isinstance(value, tuple):
        return [u for v in value for u in _unknowns(v)]
    return []


def _undecided(padding: Any) -> bool:
    """A padding some of whose sizes are not known only because a condition is not decided (not code not seen)."""
    found = _unknowns(padding)
    return bool(found) and all(isinstance(u, WholeChoice) and u.reason.startswith("depends on the condition ") and
                               u.options and all(_size(o) for o in u.options) for u in found)


def _size(v: Any) -> bool:
    """A size Keras's padding takes: a Python int of at least 0, or a symbolic size (whose value is a size)."""
    return type(v) is int and v >= 0 or isinstance(v, Expr) and type(v) is Expr


def _whole_or_unknown(v: Any) -> bool:
    return isinstance(v, Unknown) or isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _described(v: Any) -> str:
    """What a value given to a layer is, in words, where the analysis does not follow it there."""
    if isinstance(v, ModelBuilder):
        if v.custom_layer and v.cls is not None:
            return (f"an object of the file's class `{v.cls.name}`: a custom layer given to a layer as an argument "
                    "(an RNN cell, a wrapped layer) is not followed")
        return "a model given to a layer as an argument is not followed"
    if isinstance(v, (Function, LambdaValue, Partial)):
        return "a function of the file given to a layer as an argument is not followed"
    if isinstance(v, ArrayValue):
        return "a NumPy array: its values are not kept"
    return f"a value of kind {type(v).__name__} given to a layer as an argument is not followed"


#: The names of Keras's ways to register custom objects (a decorator, the global dict, a scope).
_REGISTERS = re.compile(r"register_keras_serializable|get_custom_objects|custom_object_scope|CustomObjectScope")


def _initializer_call_error(v: Any) -> Optional[Tuple[str, str]]:
    """(its name, "" for a lambda; Python's TypeError in words) when function ``v`` of the analysed code cannot be
    called as Keras 3 calls an initializer, ``v(shape, dtype=...)`` (keras/src/backend/common/variables.py); None
    when it can, or when its signature is not known (a decorated function: the decorator may change it)."""
    args: Tuple[Any, ...] = ()
    kwargs: Dict[str, Any] = {}
    while isinstance(v, Partial):  # functools.partial, a bound method: their arguments come first
        args, kwargs = v.args + args, {**v.kwargs, **kwargs}
        v = v.func
    if not isinstance(v, (Function, LambdaValue)) or isinstance(v, Function) and v.decorated:
        return None
    a = v.node.args
    positional = [*a.posonlyargs, *a.args]
    first_default = len(positional) - len(a.defaults)
    P = inspect.Parameter
    params = [P(p.arg, P.POSITIONAL_ONLY if i < len(a.posonlyargs) else P.POSITIONAL_OR_KEYWORD,
                default=P.empty if i < first_default else None) for i, p in enumerate(positional)]
    if a.vararg is not None:
        params.append(P(a.vararg.arg, P.VAR_POSITIONAL))
    params += [P(p.arg, P.KEYWORD_ONLY, default=P.empty if d is None else None)
               for p, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg is not None:
        params.append(P(a.kwarg.arg, P.VAR_KEYWORD))
    try:
        inspect.Signature(params).bind(*args, "shape", **{**kwargs, "dtype": "float32"})
    except TypeError as exc:
        return (v.name if isinstance(v, Function) else ""), str(exc)
    except ValueError:  # (names Python itself would reject: not a signature the analysis reads)
        return None
    return None


def _tensor_dict(value: Any) -> Any:
    """The tensors of a dict of string keys, in the order of the sorted keys; the Unknown it holds (a value not
    known, a tainted dict); None when a value is not a tensor or a key is not a string."""
    if value.tainted is not None:
        return value.tainted
    if not value.items or not all(isinstance(k, str) for k in value.items):
        return None
    out = []
    for key in sorted(value.items):
        item = value.items[key]
        if isinstance(item, Unknown):
            return item
        if not isinstance(item, Tensor):
            return None
        out.append(item)
    return out


def _plain(values: List[Any], depth: int = 0) -> bool:
    """Are these plain Python values (numbers, strings, None, tuples of them), which hold no weights?"""
    for v in values:
        if isinstance(v, tuple):
            if depth > 4 or not _plain(list(v), depth + 1):
                return False
        elif not (v is None or type(v) in (int, float, str, bool)):
            return False
    return True


def _view_kind(view: Any) -> str:
    """Which view of a dict ``view`` is: ``keys``, ``values`` or ``items`` (one read at once is ``values`` or ``items``,
    told by its items, as ``keys`` alone holds no tensors)."""
    if isinstance(view, DictView):
        return view.kind
    return "items" if view and all(isinstance(i, tuple) and len(i) == 2 and isinstance(i[0], str) for i in view) \
        else "values"


def _given_keys(value: Any) -> Optional[Tuple[str, ...]]:
    """The keys, in order, of a dict of string keys a functional model's inputs or outputs are given as."""
    if isinstance(value, DictValue) and value.tainted is None and value.items and \
            all(isinstance(k, str) for k in value.items):
        return tuple(value.items)
    return None


def _sequential_arguments(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    """Keras 3's ``Sequential(layers, trainable, name)`` with its positional arguments after the first as keywords.
    Keras 2's second was the name, which Keras 3 rejects as not a bool: a string there leaves the model unknown under
    either reading (``constructor_trainable``)."""
    if len(args) > 1:
        kwargs = {**dict(zip(("trainable", "name"), args[1:3])), **kwargs}
        args = args[:1] + args[3:]
    return args, kwargs
