"""What a layer spec is, and the small helpers spec functions share.

A :class:`LayerSpec` is everything kerascount knows about one Keras layer class, in one place: its
name, public aliases and signature (positional order and defaults, as ``inspect.signature`` of the
Keras 3 class gives them); what Keras's ``__init__`` makes of the arguments (``standardise``); its
output shape, its weights and its mult-adds as functions of the layer's config and input shape(s);
its traits, for the rules; and how it treats masks. A layer's config (:class:`BoundArgs`) is bound
once per layer (:func:`config`); inference records it on the layer's row, where costs and rules read
it. Spec functions are pure: they raise a kind of :class:`ShapeError` (catalogue/errors.py) where
Keras raises, and :class:`Unresolved` where the source does not say enough to answer.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Dict, FrozenSet, Optional, Sequence, Tuple

from ..ir import Count, LayerDef, NumpyInt, Shape, Unknown, plain_ints
from ..symbolic import Expr, NumpyExpr, TooComplex, ceildiv, floordiv, plain_sum, render, symbol_names
from .errors import IncompatibleInput, InvalidArguments, ShapeError, Unresolved, WrongRank  # noqa: F401 (re-exported)

REQUIRED = object()

#: Keyword arguments the base ``keras.layers.Layer.__init__`` accepts (Keras 3); any
#: other keyword a layer's own signature lacks is rejected: "Unrecognized keyword arguments".
COMMON_KWARGS = frozenset({"activity_regularizer", "trainable", "dtype", "autocast", "name", "input_dim",
                           "input_shape"})


#: The traits a spec may have: what rules read about a layer's kind, beside its shapes and weights.
TRAITS: Dict[str, str] = {
    "linear": "applies its weights linearly (a kernel), then its `activation=`",
    "biased": "adds a bias after its kernel when `use_bias=True`",
    "windowed": "slides a window (`kernel_size` or `pool_size`, `strides`, `padding`) over its input_rank - 2 "
                "spatial axes",
    "activation": "an activation layer: the activation function is all it does",
    "normalizing": "normalises its input with batch or layer statistics",
    "inference_identity": "returns its input unchanged in inference (dropout, noise, identity, a regularizer)",
    "rearranging": "moves or repeats its input's values without computing new ones (reshape, flatten, permute, "
                   "repeat)",
    "fixed_linear": "a linear map of its input without weights that pads, crops, resamples or averages it",
    "upscaling": "makes its input's spatial axes larger (upsampling, transposed convolution): a decoder's layer",
    "flattening": "leaves (batch, features) whatever its input's spatial axes (flatten, global pooling)",
    "channel_sized": "builds weights sized by its input's channel axis (the last; axis 1 with "
                     "data_format='channels_first'; its `axis` for a normalization): once built, another size there "
                     "raises",
    "one_tensor_per_output": "a call on symbolic tensors makes one KerasTensor per output and no other (when no mask "
                             "is in play; checked with Keras 3.15 by tests/test_clone_names.py): how many "
                             "`keras_tensor_N` names it uses up",
    "own_sublayers": "its weights are in sublayers it makes itself without its constructor's `trainable=` (a "
                     "ConvLSTM's cell): Keras 3 counts them as trainable in the model holding it unless its setter "
                     "froze it (checked with Keras 3.15)",
    "own_sublayers_at_build": "as own_sublayers, made when it is built (an attention layer's projections): its setter "
                              "reaches them only once it is built (checked with Keras 3.15)",
}


@dataclass(unsafe_hash=True, repr=False)
class Arg:
    """One parameter of a layer's constructor: its name and default (REQUIRED when it has none)."""

    name: str
    default: Any = REQUIRED


@dataclass(unsafe_hash=True, repr=False)
class Weights:
    """A layer's parameter counts: trainable and non-trainable (or only their total)."""

    trainable: Count = 0
    non_trainable: Count = 0
    #: The count when the split is not known (a trainable flag set where the analysis cannot follow): the
    #: total stays known while ``trainable`` and ``non_trainable`` are None.
    total: Count = None


def no_weights(args: "BoundArgs", shape: Any) -> Weights:
    return Weights()


def same_shape(args: "BoundArgs", shape: Shape) -> Shape:
    return shape


#: Multiply-accumulates per sample of one call (docs/cost.md): (config with the call's keyword arguments, input
#: shape or list of shapes, output shape or tuple of shapes) → a count, or None where it is not known.
MacsFn = Callable[["BoundArgs", Any, Any], Count]


def zero_macs(args: "BoundArgs", inputs: Any, outputs: Any) -> Count:
    """Elementwise work, a reduction, data movement, a lookup or an interpolation: 0 MACs by definition."""
    return 0


def unknown_macs(args: "BoundArgs", inputs: Any, outputs: Any) -> Count:
    """A layer whose work the source does not show (a Lambda's function, an RNN cell called directly)."""
    return None


@dataclass(unsafe_hash=True, repr=False)
class LayerSpec:
    """What the catalogue knows of one Keras layer class: signature, output shape and weights."""

    name: str
    signature: Tuple[Arg, ...]
    output_shape: Callable[["BoundArgs", Any], Any] = same_shape
    weights: Callable[["BoundArgs", Any], Weights] = no_weights
    aliases: Tuple[str, ...] = ()
    family: str = ""
    #: Called on a list of tensors (merge layers).
    multi_input: bool = False
    #: Extra keyword aliases accepted by Keras for this layer: ``{"old": "new"}``.
    kwarg_aliases: Dict[str, str] = field(default_factory=dict)
    #: The Keras class takes ``**kwargs`` (passed on to the base Layer).
    var_kwargs: bool = True
    #: Keras builds the layer in ``__init__`` (``_build_at_init``): it counts 0 params even unbuilt.
    built_at_init: bool = False
    #: Tensor arguments of ``call`` when there are several (``("query", "value", "key")`` for
    #: MultiHeadAttention): the extract stage collects them, by position or keyword, and spec
    #: functions receive a list of their shapes in this order (missing trailing ones left out).
    call_inputs: Tuple[str, ...] = ()
    #: The parameters of ``call`` after ``call_inputs``, in order (MultiHeadAttention's ``query_mask``...
    #: ``use_causal_mask``): what arguments given by position beyond the tensor inputs are.
    call_rest: Tuple[str, ...] = ()
    #: How many tensors a call returns (``return_state=True`` on an RNN returns several).
    #: Spec functions for such layers return a tuple of shapes.
    output_count: Callable[["BoundArgs"], int] = lambda args: 1
    #: Layer classes this layer creates, unnamed, when it is built (its first call): they use up
    #: Keras's automatic names (MultiHeadAttention makes a ``softmax`` and a ``dropout``).
    build_names: Tuple[str, ...] = ()
    #: Layer classes this layer creates, unnamed, in its ``__init__`` (AugMix makes a RandomShear, ...):
    #: they use up Keras's automatic names when the layer is created. A function of the bound arguments.
    init_names: Optional[Callable[["BoundArgs"], Tuple[str, ...]]] = None
    #: What Keras's ``__init__`` makes of an argument before anything reads it (``standardize_tuple``,
    #: ``standardize_padding``, ...), by argument name: ``fn(value) -> value``. Applied once, when the
    #: argument is first read (an unknown argument nobody reads blocks nothing); every reader, the spec's
    #: own functions, costs and rules, gets the standardised value.
    standardise: Dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    #: Multiply-accumulates per sample of one call (:data:`MacsFn`, docs/cost.md); every spec says,
    #: :func:`zero_macs` or :func:`unknown_macs` included (None: not defined, a test fails).
    macs: Optional[MacsFn] = None
    #: The shapes of the arrays one call returns where they differ from the shapes Keras reports (which
    #: kerascount shows): fn(config, inputs, outputs) → shapes. Activations (cost.py) count these.
    returns: Optional[Callable[["BoundArgs", Any, Any], Any]] = None
    #: What rules need to know about the layer's kind, words of :data:`TRAITS` (read with ``catalogue.traits``).
    traits: FrozenSet[str] = frozenset()
    #: The arguments whose layer objects (one, or a list) it keeps as its own sublayers: their weights are its
    #: weights, Keras 3 counts them by those layers' flags (its own `trainable=` given to its constructor reaches none
    #: of them; its setter sets theirs), and a flag set on them later counts. Checked with Keras 3.15:
    #: fixtures/layers/wrapped_layer_flags.py. (Bidirectional's `layer` is not one: Keras runs a copy of it.)
    holds: Tuple[str, ...] = ()
    #: The rank of input its InputSpec expects (``ndim``: 4 for Conv2D), where it fixes one.
    input_rank: Optional[int] = None
    #: How it sets its output's mask (Keras's ``compute_mask``) if it supports masking: a word of
    #: catalogue/masks.py (``"keep"``, ``"drop"``, ``"sequences"``, ...) or ``"not_followed"``; None: it does not.
    compute_mask: Optional[str] = None
    #: Its ``call`` takes ``mask`` (``Layer.__call__`` passes it its input's).
    takes_mask: bool = False
    #: What the InputSpec Keras sets when it builds the layer fixes, from its first input's shape: ``(ndim or
    #: None, {axis: size})`` (``Dense``: the last axis). A later call of the same layer object on an input that
    #: does not match raises ("is incompatible with the layer: expected axis -1 of input shape to have value 4").
    input_axes: Optional[Callable[["BoundArgs", Any], Tuple[Optional[int], Dict[int, Any]]]] = None
    #: Arguments whose value changes no figure kerascount reports (output shape, weights, mult-adds, memory) once
    #: Keras accepts it, and that no rule reads but as an unknown may be read (a dropout's ``noise_shape``, a
    #: random layer's ``seed``). Undecided branches that each make this layer, alike but for these arguments, and
    #: call it alike leave one layer whose differing arguments are unknown (``Graph.merge_calls``); each branch's
    #: layer must have a known output shape first (``output_shape`` is where an invalid value is caught).
    free_args: FrozenSet[str] = frozenset()
    #: What Keras's ``__init__`` checks of the arguments (it raises there, before the layer is used or even when it
    #: never is: ``Dense(0)``): fn(config) raising ``InvalidArguments`` (``Unresolved`` where a value is not known).
    #: Run by ``infer.constructor_error``; the same errors found when a model is built come from the spec's own
    #: functions. Checked against Keras 3.15 layer by layer (fixtures/regressions/constructor_checks.py).
    init_checks: Optional[Callable[["BoundArgs"], Any]] = None
    #: Constructor arguments Keras keeps as public attributes of the same name, holding what ``standardise`` makes
    #: of them (``dense.units``, ``conv.kernel_size`` as a tuple, ``conv.padding`` lower-cased): reading one in the
    #: code gives that value (extract/expressions.py). Checked against Keras 3.15: tests/test_layer_attributes.py.
    attributes: FrozenSet[str] = frozenset()
    #: The name of its ``call``'s first parameter, the tensor (of its own ``__call__`` where it has one, as the image
    #: preprocessing layers' ``inputs``; a spec with ``call_inputs`` names them there): a call may give the tensor by
    #: that keyword only. Keras 3 raises TypeError for another (``LSTM(4)(inputs=x)``: its
    #: ``call`` takes ``sequences``, where tf.keras 2's took ``inputs``). Checked against Keras 3.15:
    #: tests/test_catalogue_keras.py.
    call_arg: str = "inputs"

    def __reduce__(self) -> Any:
        # Specs hold functions made in their family file: a pickled spec (a report sent back by a worker
        # process) is its name, found again in the registry.
        return _registered, (self.name, self.family)

    @cached_property
    def defaults(self) -> Dict[str, Any]:
        """Each argument's default (``REQUIRED`` for required ones)."""
        return {a.name: a.default for a in self.signature}

    @cached_property
    def arg_names(self) -> Tuple[str, ...]:
        """The signature's names, in order (positional arguments bind to them)."""
        return tuple(a.name for a in self.signature)

    @cached_property
    def required(self) -> Tuple[str, ...]:
        return tuple(a.name for a in self.signature if a.default is REQUIRED)


def sig(*items: Any) -> Tuple[Arg, ...]:
    """``sig("units", ("activation", None))`` → a signature tuple."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Arg(item))
        else:
            out.append(Arg(item[0], item[1]))
    return tuple(out)


def _registered(name: str, family: str) -> LayerSpec:
    from . import lookup, operation

    spec = operation(name) if family == "ops" else lookup(name)
    if spec is None:
        raise ValueError(f"no spec named {name} in the catalogue")
    return spec


class BoundArgs:
    """A layer's arguments bound to its spec's signature, read lazily: the layer's config.

    Reading an argument whose value is unknown raises :class:`Unresolved`, so an
    unknown ``activation=`` never blocks a parameter count that does not need it.
    An argument is standardised (``spec.standardise``) when it is first read, once.
    Get one with :func:`config`, which binds each layer once; inference records it on
    the layer's row (``LayerResult.config``), where costs and rules read it.
    """

    def __init__(self, spec: LayerSpec, layer: LayerDef, call: Tuple[Tuple[str, Any], ...] = ()) -> None:
        self._spec = spec
        self._layer = layer
        self._call = dict(call)
        defaults = self._defaults = spec.defaults
        names = spec.arg_names
        if len(layer.args) > len(names):
            raise InvalidArguments(
                f"{spec.name} takes at most {len(names)} positional arguments "
                f"but {len(layer.args)} were given"
            )
        values: Dict[str, Any] = dict(zip(names, layer.args))
        if layer.kwargs:
            aliases = spec.kwarg_aliases
            positional = names[: len(layer.args)]
            for key, _ in layer.kwargs:
                # Python binds the arguments before Keras's __init__ looks at the keywords it does not know.
                if aliases.get(key, key) in positional:
                    raise InvalidArguments(
                        f"{spec.name} got multiple values for argument `{aliases.get(key, key)}`"
                    )
            extra = [k for k, _ in layer.kwargs if aliases.get(k, k) not in defaults and
                     (not spec.var_kwargs or k not in COMMON_KWARGS) and not (k == "trainable" and layer.trainable_set)]
            dim = layer.kwarg("input_dim")
            if spec.var_kwargs and "input_dim" not in defaults and "input_shape" not in defaults and \
                    layer.has_kwarg("input_shape") and dim is not None and not isinstance(dim, Unknown) and \
                    "input_shape" not in extra:
                # Layer.__init__ reads input_shape only when input_dim is None; else it stays among the keywords
                # it does not know (Keras 2 took both).
                extra.append("input_shape")
            if extra:
                raise InvalidArguments(f"{spec.name} does not accept the keyword "
                                       f"argument{'s' if len(extra) > 1 else ''} "
                                       f"{', '.join(extra)} (Keras: Unrecognized keyword arguments)")
            for key, value in layer.kwargs:
                values[aliases.get(key, key)] = value
        if layer.open_kwargs is None:
            # Keras raises TypeError already when the layer is constructed.
            for name in spec.required:
                if name not in values:
                    raise InvalidArguments(f"{spec.name} is missing its required argument `{name}`")
        self._values = values
        self._standard: Dict[str, Any] = {}

    # Not ``spec``/``layer``: attributes name the layer's arguments (a wrapper's ``layer``).
    @property
    def layer_spec(self) -> LayerSpec:
        return self._spec

    @property
    def layer_def(self) -> LayerDef:
        return self._layer

    def with_call(self, call: Tuple[Tuple[str, Any], ...]) -> "BoundArgs":
        """The same config with the keyword arguments of one call (``return_attention_scores=True``);
        it shares the standardised values."""
        if not call:
            return self
        other = object.__new__(BoundArgs)
        other.__dict__.update(self.__dict__)
        other._call = dict(call)
        return other

    def __reduce__(self) -> Any:
        return BoundArgs, (self._spec, self._layer, tuple(self._call.items()))

    def call(self, name: str, default: Any = None) -> Any:
        """A keyword argument of the layer's call (not of its constructor)."""
        value = self._call.get(name, default)
        if isinstance(value, Unknown):
            raise Unresolved(f"call argument `{name}` is not known ({value.reason})")
        return value

    def raw(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def raw_items(self) -> Tuple[Tuple[str, Any], ...]:
        """The arguments given (by position or keyword), as given."""
        return tuple(self._values.items())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)

    def get(self, name: str) -> Any:
        standard = self._standard
        if name in standard:
            return standard[name]
        value = self._read(name)
        fn = self._spec.standardise.get(name)
        if fn is not None:
            value = fn(value)
        standard[name] = value
        return value

    def _read(self, name: str) -> Any:
        if name in self._values:
            value = self._values[name]
            if isinstance(value, Unknown):
                raise Unresolved(f"`{name}` is not known ({value.reason})")
            if holds_numpy_int(value):
                _numpy_int_argument(self._spec.name, name, value)
                return plain_ints(value)  # taken as a number: Conv2D(np.prod(s), 3)'s filters
            if name in _BOOL_AS_INT and _holds_bool(value):
                return _bool_argument(self._spec.name, name, value)
            return value
        if self._layer.open_kwargs is not None:
            raise Unresolved(
                f"`{name}` may be set by **kwargs ({self._layer.open_kwargs.reason})"
            )
        default = self._defaults.get(name, None)
        if default is REQUIRED:
            raise InvalidArguments(
                f"{self._spec.name} is missing its required argument `{name}`"
            )
        return default


#: Layer arguments Keras 3 rejects as a NumPy integer (``np.prod(shape)``), as Keras 3.15 does, checked one by one.
_NUMPY_INT_REJECTED = {
    **dict.fromkeys(("Dense", "LSTM", "GRU", "SimpleRNN", "LSTMCell", "GRUCell", "SimpleRNNCell"), ("units",)),
    "Embedding": ("input_dim", "output_dim"), "RepeatVector": ("n",), "GroupNormalization": ("groups",),
    "MultiHeadAttention": ("num_heads", "key_dim", "value_dim"), "Dropout": ("seed",),
    **dict.fromkeys(("UpSampling1D", "UpSampling2D", "UpSampling3D"), ("size",)),
    **dict.fromkeys(("ZeroPadding2D",), ("padding",)), **dict.fromkeys(("Cropping2D",), ("cropping",)),
    **dict.fromkeys(("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                     "AveragePooling3D"), ("pool_size",)),
    **dict.fromkeys(("Conv1D", "Conv3D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D"), ("kernel_size",)),
    "Conv2D": ("kernel_size", "strides"),
}
#: The first Keras release that rejects them, where later than 3.0 (keras-team/keras #21902 for Dense, #22718 for
#: Embedding, #22966 for MultiHeadAttention and GroupNormalization): Keras 2 and earlier Keras 3 take them.
_NUMPY_INT_SINCE = {"Dense": "3.13", "Embedding": "3.15", "MultiHeadAttention": "3.15", "GroupNormalization": "3.15"}
#: Layer arguments Keras 3 takes as a NumPy integer, checked one by one; any other argument is left unknown.
_NUMPY_INT_ACCEPTED = {
    **dict.fromkeys(("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
                     "SeparableConv1D", "SeparableConv2D", "ConvLSTM1D", "ConvLSTM2D"), ("filters", "groups")),
    "DepthwiseConv2D": ("depth_multiplier",), "Reshape": ("target_shape", "newshape"), "EinsumDense": ("output_shape",),
    "Concatenate": ("axis",), "Permute": ("dims",), "BatchNormalization": ("axis",),
    "InputLayer": ("shape", "batch_shape"),
}

#: Layer arguments Keras 3 reads with ``standardize_tuple``, which takes a tuple or list of NumPy integers (it calls
#: ``int()`` on each item) though it rejects a bare one (``tuple(np.int64(2))`` raises): ``MaxPooling2D(pool_size=(
#: a[i], a[i]))`` of an integer array ``a`` (Keras 3.15, checked for each layer and argument here; the pooling
#: layers' bare ``strides`` stays unknown).
_NUMPY_INTS_IN_TUPLE = {
    **dict.fromkeys((f"{kind}Pooling{d}D" for kind in ("Max", "Average") for d in (1, 2, 3)), ("pool_size", "strides")),
    "UpSampling2D": ("size",), "UpSampling3D": ("size",),
}


#: Padding and cropping layers: Keras 3 reads each item of their argument that is not a Python int with
#: ``standardize_tuple``, which calls ``int()`` on each of its items (a pair), so that NumPy integers inside such a pair
#: are taken (``ZeroPadding2D(((0, np.int32(2)), (1, 1)))``) where one in place of an int is not (``ZeroPadding2D((
#: np.int32(2), 1))``, ``ZeroPadding2D(np.int32(2))``: ValueError). The depth of those pairs in the argument (Keras
#: 3.15, checked for each form in tests/test_numpy_padding.py).
_NUMPY_INTS_IN_PAIRS = {"ZeroPadding1D": ("padding", 0), "Cropping1D": ("cropping", 0),
                        **dict.fromkeys(("ZeroPadding2D", "ZeroPadding3D"), ("padding", 1)),
                        **dict.fromkeys(("Cropping2D", "Cropping3D"), ("cropping", 1))}


def _int_item(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) or isinstance(v, Expr)


def _pairs_of_ints(layer: str, name: str, value: Any) -> bool:
    """Whether ``value`` holds NumPy integers only inside the pairs Keras reads with ``int()`` (``_NUMPY_INTS_IN_PAIRS``)."""
    held = _NUMPY_INTS_IN_PAIRS.get(layer)
    if held is None or held[0] != name or not isinstance(value, (tuple, list)):
        return False
    if held[1] == 0:
        return len(value) == 2 and all(_int_item(v) for v in value)
    return all(type(v) is int or isinstance(v, Expr) and not isinstance(v, NumpyExpr) or
               isinstance(v, (tuple, list)) and len(v) == 2 and all(_int_item(x) for x in v) for v in value)


def numpy_int_rejected(layer: str, name: str) -> Optional[str]:
    """The Keras release since which ``layer`` rejects a NumPy integer as ``name`` ("3" for every Keras 3), else None."""
    return _NUMPY_INT_SINCE.get(layer, "3") if name in _NUMPY_INT_REJECTED.get(layer, ()) else None


#: Integer arguments Keras 3 checks with ``isinstance(value, int)``, which a bool passes: ``Dense(True)`` has one unit
#: and ``Conv2D(4, True)`` a 1x1 kernel (Keras 3.15, checked for the layers of fixtures/regressions/bool_sizes).
_BOOL_AS_INT = frozenset(("units", "filters", "kernel_size", "strides", "dilation_rate", "groups", "depth_multiplier",
                          "pool_size", "size", "padding", "cropping", "lora_rank", "output_padding"))
#: Of those, the ones Keras 3.15 rejects as a bool (checked): an LSTM's units and a ConvLSTM's filters ("an integer
#: is required"), an Embedding's sizes, RepeatVector's n and UpSampling1D's size (their own checks exclude bools).
_BOOL_REJECTED = {"LSTM": ("units",), "LSTMCell": ("units",), "Embedding": ("input_dim", "output_dim"),
                  "RepeatVector": ("n",), "UpSampling1D": ("size",),
                  **dict.fromkeys(("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"), ("filters",))}


def _holds_bool(value: Any) -> bool:
    return isinstance(value, bool) or isinstance(value, (tuple, list)) and any(isinstance(v, bool) for v in value)


def _bool_argument(layer: str, name: str, value: Any) -> Any:
    """A bool given where Keras takes an integer (``Dense(True)``): Keras's ``isinstance(units, int)`` lets it
    through as 1 or 0; the layers listed in ``_BOOL_REJECTED`` raise."""
    if name in _BOOL_REJECTED.get(layer, ()):
        raise InvalidArguments(f"{layer}: `{name}` must be an integer, got {value!r}")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (tuple, list)):
        return type(value)(int(v) if isinstance(v, bool) else v for v in value)
    return value


def holds_numpy_int(value: Any, depth: int = 0) -> bool:
    """Whether an argument's value is or holds a NumPy integer (Keras keeps it as given)."""
    if isinstance(value, (NumpyInt, NumpyExpr)):
        return True
    return isinstance(value, (tuple, list)) and depth < 2 and any(holds_numpy_int(v, depth + 1) for v in value)


def _numpy_int_argument(layer: str, name: str, value: Any) -> None:
    """A layer argument that is (or holds) a NumPy integer: Keras 3 rejects it for some arguments (``Dense(units=
    np.prod(shape))``, where ``int(np.prod(shape))`` is accepted) and takes it for others (``Conv2D`` filters)."""
    if name in _NUMPY_INT_ACCEPTED.get(layer, ()) or _pairs_of_ints(layer, name, value):
        return
    if isinstance(value, (tuple, list)) and name in _NUMPY_INTS_IN_TUPLE.get(layer, ()) and \
            all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return  # (each item an int or a NumPy integer, which Keras's int() makes an int)
    if isinstance(value, (NumpyInt, NumpyExpr)) and name in _NUMPY_INT_REJECTED.get(layer, ()):
        since = _NUMPY_INT_SINCE.get(layer)
        rejects = f"Keras {since} and later reject" if since else "Keras 3 rejects"
        raise InvalidArguments(f"{layer}: `{name}` is a NumPy integer ({value}, as np.prod, np.max and a gym space's n "
                               f"give), which {rejects}; write int(...) around it")
    raise Unresolved("`{name}` is a NumPy integer (as np.prod, np.max and a gym space's n give), which Keras 3 rejects "
                     "for some layer arguments; write int(...) around it".format(name=name))


def last_axis(args: Any, shape: Any) -> Tuple[Optional[int], Dict[int, Any]]:
    """``input_axes`` of a layer whose kernel is built on the last axis (``Dense``: ``InputSpec(axes={-1: n})``)."""
    return None, {-1: shape[-1]}


def channel_axis(args: Any, shape: Any) -> Tuple[Optional[int], Dict[int, Any]]:
    """``input_axes`` of a convolution: ``InputSpec(axes={channel_axis: channels})``."""
    return None, {1 if as_data_format(args.data_format) == "channels_first" else -1:
                  shape[1 if as_data_format(args.data_format) == "channels_first" else -1]}


def config(spec: LayerSpec, layer: LayerDef) -> BoundArgs:
    """``layer``'s constructor arguments bound to ``spec`` (its config), made once per layer object.

    Raises :class:`ShapeError` where Keras's constructor raises (every time it is asked). The config is
    kept on the layer object itself (``LayerDef.CONFIG``, left out when it is pickled), so it lives as
    long as the layer and no longer."""
    memo = layer.__dict__.get(LayerDef.CONFIG)
    if memo is None or memo[0] is not spec:
        try:
            value: Any = BoundArgs(spec, layer)
        except ShapeError as exc:
            value = exc
        memo = (spec, value)
        object.__setattr__(layer, LayerDef.CONFIG, memo)  # a frozen dataclass: a memo, not a field
    value = memo[1]
    if isinstance(value, ShapeError):
        raise value.with_traceback(None)
    return value


# -- argument normalisation (as keras.src.utils.argument_validation) --------


def is_int(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, Expr)


def as_int(value: Any, name: str) -> Any:
    """An integer argument (a number of filters, units...). A float, even a whole one (``Conv2D(64 / 2, 3)``), is
    rejected as Keras rejects it: ``Cannot convert '(3, 3, 3, 32.0)' to a shape`` when it makes the weights."""
    if isinstance(value, float):
        raise InvalidArguments(f"`{name}` must be an integer, got the float {value!r} (Keras cannot make a weight "
                               f"of that shape; write an int, such as {name}={int(value)}"
                               f"{'' if value.is_integer() else ' or another'})")
    if not is_int(value):
        raise InvalidArguments(f"`{name}` must be an integer, got {_given(value)}")
    return value


def _given(value: Any) -> str:
    """A value given as an argument, as the code would print it (``repr``), with its symbolic sizes as text:
    ``(ch_out[0], ch_out[1], 3)``, not ``(Expr('ch_out[0]'), ...)``."""
    if isinstance(value, Expr):
        return render(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_given(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_given(v) for v in value) + "]"
    return repr(value)


def as_tuple(value: Any, n: int, name: str) -> Tuple[Any, ...]:
    """``standardize_tuple``: an int or an n-sequence of ints → an n-tuple."""
    if is_int(value):
        return (value,) * n
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise InvalidArguments(
                f"`{name}` must be an integer or a tuple of {n} integers, got {_show(value)}"
            )
        for item in value:
            if isinstance(item, Unknown):
                raise Unresolved(f"`{name}` is not known ({item.reason})")
            as_int(item, name)
        return tuple(value)
    raise InvalidArguments(f"`{name}` must be an integer or a tuple, got {value!r}")


def as_padding(value: Any, allowed: Sequence[str] = ("valid", "same")) -> str:
    if isinstance(value, Expr):  # a name the source does not resolve (from a config, argparse)
        raise Unresolved(f"`padding` is not known (`{value}`)")
    if not isinstance(value, str) or value.lower() not in allowed:
        raise InvalidArguments(f"`padding` must be one of {', '.join(allowed)}; got {value!r}")
    return value.lower()


def as_data_format(value: Any) -> str:
    if value is None:
        return "channels_last"
    if isinstance(value, Expr):
        raise Unresolved(f"`data_format` is not known (`{value}`)")
    if not isinstance(value, str) or value.lower() not in ("channels_last", "channels_first"):
        raise InvalidArguments(f"`data_format` must be channels_last or channels_first; got {value!r}")
    return value.lower()


def windowed(rank: int, *names: str, padding: Optional[Sequence[str]] = ("valid", "same")) -> Dict[str, Callable]:
    """``LayerSpec.standardise`` of a layer with a window (a convolution, a pooling): ``names`` (kernel_size,
    strides, ...) each an int or a ``rank``-tuple, made a ``rank``-tuple (None stays None); ``padding`` one of
    ``padding`` and lower-cased (None: left as written, as pooling does), ``data_format`` resolved."""
    out: Dict[str, Callable] = {name: (lambda v, name=name: v if v is None else as_tuple(v, rank, name))
                                for name in names}
    if padding is not None:
        out["padding"] = lambda v: as_padding(v, padding)
    out["data_format"] = as_data_format
    return out


def _show(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(render(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return render(value)


def show_shape(shape: Any) -> str:
    """``(None, 160, 160, 128)``: a shape as Keras prints it."""
    if shape is None:
        return "?"
    if shape and isinstance(shape[0], tuple):
        return "[" + ", ".join(show_shape(s) for s in shape) + "]"
    return "(" + ", ".join("?" if isinstance(d, Unknown) else render(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


# -- shape helpers ----------------------------------------------------------


def require_rank(spec_name: str, shape: Shape, rank: int) -> None:
    if len(shape) != rank:
        raise WrongRank(
            f"{spec_name} expects input of rank {rank} (ndim={rank}), got {show_shape(shape)} "
            f"of rank {len(shape)}"
        )


def require_min_rank(spec_name: str, shape: Shape, rank: int) -> None:
    if len(shape) < rank:
        raise WrongRank(
            f"{spec_name} expects input of rank at least {rank}, got {show_shape(shape)}"
        )


def split_channels(shape: Shape, data_format: str) -> Tuple[Any, Tuple[Any, ...]]:
    """(channels, spatial dims) of a batched shape."""
    if data_format == "channels_last":
        return shape[-1], tuple(shape[1:-1])
    return shape[1], tuple(shape[2:])


def join_channels(batch: Any, spatial: Sequence[Any], channels: Any, data_format: str) -> Shape:
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def known_channels(spec_name: str, channels: Any) -> Any:
    if channels is None:
        raise IncompatibleInput(
            f"{spec_name}: the channel dimension of the inputs must be defined, found None"
        )
    return channels


def arith(fn: Callable[[], Any], what: str) -> Any:
    """Run symbolic arithmetic, turning an overgrown expression into ``Unresolved``."""
    try:
        return fn()
    except (TooComplex, ZeroDivisionError, TypeError) as exc:
        raise Unresolved(f"{what}: {exc}") from None


def symbolic_window(*values: Any) -> str:
    """Why a window's output length is not computed: its kernel size, strides or dilation are symbolic (the symbols
    named, so that a tuner's pick among them may be tried at each of its values, kerascount/alternatives.py)."""
    names = list(dict.fromkeys(n for v in values for n in symbol_names(v)))
    return "kernel size, strides or dilation are symbolic" + (f" ({', '.join(f'`{n}`' for n in names)})" if names else "")


def window_length(length: Any, window: Any, stride: Any, padding: str, dilation: Any = 1) -> Any:
    """Output length of a convolution or pooling window along one axis.

    ``valid``: ``floor((L - d*(k-1) - 1)/s) + 1``; ``same``/``causal``:
    ``floor((L - 1)/s) + 1``. ``None`` stays ``None``. Raises on a non-positive
    exact result, as Keras does.
    """
    if length is None:
        return None
    # A window, stride or dilation may be a symbol (an EEG model's ``DepthwiseConv2D((chans, 1))`` over ``chans``
    # electrodes): the formulas hold for every value (Keras's ``standardize_tuple`` makes each an int); a symbolic
    # stride, which the lengths are divided by, leaves the layer unresolved (naming the symbols, which a tuner's
    # pick among them is then tried at each value of: kerascount/alternatives.py).
    if not all(isinstance(v, (int, Expr)) for v in (window, stride, dilation)) or not isinstance(stride, int):
        raise Unresolved(symbolic_window(window, stride, dilation))
    window, stride, dilation = (v.plain() if isinstance(v, NumpyExpr) else v for v in (window, stride, dilation))
    if padding == "valid":
        out = arith(lambda: floordiv(length - dilation * (window - 1) - 1, stride) + 1, "window")
    else:
        # floor((L-1)/s) + 1 == ceil(L/s) for L >= 1; ceil reads better when symbolic.
        out = arith(lambda: ceildiv(length, stride) if isinstance(length, Expr) else floordiv(length - 1, stride) + 1,
                    "window")
    return out


def nonpositive(dims: Sequence[Any]) -> bool:
    return any(isinstance(d, int) and d <= 0 for d in dims)


def positive(name: str, values: Tuple[Any, ...], what: str) -> Tuple[Any, ...]:
    """Keras's ``standardize_tuple`` (and its filters/groups/depth_multiplier checks): values must be > 0."""
    if nonpositive(values):
        raise InvalidArguments(f"{name}: `{what}` must be positive, got "
                               f"{what}={values if len(values) > 1 else values[0]}")
    return values


def _fold(values: Sequence[Count], start: int, op: Callable[[Any, Any], Any]) -> Count:
    out: Count = start
    for v in values:
        if v is None:
            return None
        try:
            out = op(out, v)
        except (TooComplex, TypeError):
            return None
    return out


def count_product(values: Sequence[Count]) -> Count:
    """The product of counts; None if any factor is None (a dimension Keras leaves open) or it grows too
    complex (unlike :func:`product`, which raises)."""
    return _fold(values, 1, operator.mul)


def count_sum(values: Sequence[Count]) -> Count:
    """The sum of counts; None if any term is None or it grows too complex."""
    total = 0
    for v in values:  # (the most usual case: Python ints)
        if type(v) is not int:
            break
        total += v
    else:
        return total
    if all(type(v) is int or type(v) is Expr for v in values):
        return plain_sum(values)  # (the next: ints and plain Exprs, summed in one dict)
    return _fold(values, 0, operator.add)


def several(outputs: Any) -> Tuple[Shape, ...]:
    """A layer's output shapes as a tuple, whether it has one output or several."""
    return tuple(outputs) if outputs and isinstance(outputs[0], tuple) else (outputs,)


def product(values: Sequence[Any]) -> Any:
    out: Any = 1
    for v in values:
        out = arith(lambda: out * v, "product")
    return out




def input_shape_kwarg(layer: LayerDef) -> Any:
    """The input shape a layer declares through the base Layer's ``input_shape=``/``input_dim=``.

    ``input_dim`` counts only when the layer's own signature does not take it
    (``Embedding(input_dim=...)`` is a vocabulary size). Returns None if not declared. ``input_dim=None`` declares
    nothing: Keras's ``Layer.__init__`` then reads ``input_shape=`` (a factory's ``def create_model(input_dim=None)``
    called with its default makes an unbuilt model, not one of input ``(None,)``).
    """
    from . import lookup

    spec = lookup(layer.type) if layer.known else None
    own = spec is not None and any(a.name == "input_dim" for a in spec.signature)
    if layer.has_kwarg("input_dim") and not own and layer.kwarg("input_dim") is not None:
        return (layer.kwarg("input_dim"),)
    if layer.has_kwarg("input_shape") and not (spec is not None and any(a.name == "input_shape" for a in
                                                                         spec.signature)):
        return layer.kwarg("input_shape")
    return None


def lora_rank(name: str, args, constraint: str = "kernel_constraint") -> Any:
    """``lora_rank`` of Dense, ConvND and Embedding: when set, ``build`` calls ``enable_lora(rank)``,
    which rejects a constraint on the frozen weight (``constraint``)."""
    rank = args.lora_rank
    if not rank:
        return None
    if isinstance(rank, bool) or not is_int(rank) or isinstance(rank, int) and rank < 0:
        # A negative rank makes a weight of negative shape: Keras raises.
        raise InvalidArguments(f"{name}: `lora_rank` must be a positive integer, got {rank!r}")
    if args.get(constraint) is not None:
        raise InvalidArguments(f"{name}: lora (lora_rank={rank}) is incompatible with `{constraint}`")
    return rank
