"""The model IR: plain dataclasses shared by every stage after parsing, never changed once made.

They are ``dataclass(unsafe_hash=True)`` rather than ``frozen=True``, with the same ``==`` and ``hash`` (by
fields): a frozen dataclass's generated ``__setattr__``, ``__delattr__`` and ``__init__`` made creating the
classes at import about a tenth of a one-file ``lint``. Those without ``repr=False`` are the ones messages show.

The extract stage (the only one that reads syntax trees) produces a :class:`FileIR`:
every layer object a file constructs (:class:`LayerDef`), every call of a layer
on tensors (:class:`Node`) and every model (:class:`ModelDef`). The infer stage
turns a model into a :class:`ModelResult` with shapes and parameter counts. The
rules read both and produce :class:`Diagnostic` objects; reporters format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, FrozenSet, Optional, Tuple, Union

from .symbolic import Expr, NumpyExpr

#: A dimension: exact, symbolic, or ``None`` (Keras's ``None``, e.g. the batch).
Dim = Union[int, Expr, None]
#: A tensor shape including the batch dimension.
Shape = Tuple[Dim, ...]
#: The name of a layer whose name the analysis does not know (a ``name=`` not known, an automatic name whose
#: counter is not known): shown as is in rows.
UNKNOWN_NAME = "?"
#: The problem of a layer whose input comes from a layer Keras rejects (infer._upstream, infer._row_reason).
EARLIER_FAILS = "input is unknown (an earlier layer fails)"

#: A parameter count: exact, symbolic, or ``None`` when unknown.
Count = Union[int, Expr, None]


@dataclass(unsafe_hash=True, repr=False)
class Span:
    """A source range. Lines and columns are 1-based; ``end_column`` is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class NumpyInt(int):
    """A NumPy integer (``np.prod((7, 7, 64))`` is ``np.int64(3136)``): a number like any int, but several Keras 3
    layer arguments reject it (``Dense(np.prod(shape))`` raises "expected a positive integer"; ``Conv2D`` filters and
    ``Reshape`` accept it). Arithmetic with Python ints keeps it a NumPy integer, as NumPy does; ``int(...)`` of
    it is a Python int."""

    def _keep(op):  # noqa: N805 - a helper of the class body
        def apply(self, other):
            value = getattr(int, op)(self, other)
            return NumpyInt(value) if type(value) is int and isinstance(other, int) else value
        return apply

    __add__, __radd__, __sub__, __rsub__ = _keep("__add__"), _keep("__radd__"), _keep("__sub__"), _keep("__rsub__")
    __mul__, __rmul__, __floordiv__ = _keep("__mul__"), _keep("__rmul__"), _keep("__floordiv__")
    __rfloordiv__, __mod__, __rmod__ = _keep("__rfloordiv__"), _keep("__mod__"), _keep("__rmod__")
    __pow__, __rpow__ = _keep("__pow__"), _keep("__rpow__")  # a negative exponent gives a float, as in NumPy
    __and__, __rand__, __or__, __ror__ = _keep("__and__"), _keep("__rand__"), _keep("__or__"), _keep("__ror__")
    __xor__, __rxor__, __lshift__ = _keep("__xor__"), _keep("__rxor__"), _keep("__lshift__")
    __rlshift__, __rshift__, __rrshift__ = _keep("__rlshift__"), _keep("__rshift__"), _keep("__rrshift__")
    del _keep

    def __invert__(self) -> "NumpyInt":
        return NumpyInt(~int(self))

    numpy_scalar = True  # arithmetic with a symbolic value gives a symbolic NumPy integer (symbolic.NumpyExpr)

    def __neg__(self) -> "NumpyInt":
        return NumpyInt(-int(self))

    def __abs__(self) -> "NumpyInt":
        return NumpyInt(abs(int(self)))

    def __repr__(self) -> str:
        return int.__repr__(self)


#: The range of NumPy's int32.
INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1


class NumpyInt32(NumpyInt):
    """``np.int32(x)`` (BCDU-Net's ``Reshape((1, np.int32(N / 4), np.int32(N / 4), 256))``): a NumPy integer of 32
    bits. Arithmetic with Python ints keeps it one (NumPy 2's rule), with a NumPy int64 it is an int64 (NumpyInt); a
    result out of its range raises OverflowError here (NumPy raises for a Python int out of range and wraps around,
    with a warning, for two int32), so that it is never a number Python computes but NumPy does not."""

    def _keep32(op):  # noqa: N805 - a helper of the class body
        def apply(self, other):
            value = getattr(int, op)(self, other)
            if type(value) is not int or not isinstance(other, int):
                return value
            if isinstance(other, NumpyInt) and not isinstance(other, NumpyInt32):
                return NumpyInt(value)
            if not INT32_MIN <= value <= INT32_MAX:
                raise OverflowError(f"{value} is out of the range of int32")
            return NumpyInt32(value)
        return apply

    __add__, __radd__, __sub__, __rsub__ = _keep32("__add__"), _keep32("__radd__"), _keep32("__sub__"), \
        _keep32("__rsub__")
    __mul__, __rmul__, __floordiv__ = _keep32("__mul__"), _keep32("__rmul__"), _keep32("__floordiv__")
    __rfloordiv__, __mod__, __rmod__ = _keep32("__rfloordiv__"), _keep32("__mod__"), _keep32("__rmod__")
    __pow__, __rpow__ = _keep32("__pow__"), _keep32("__rpow__")
    __and__, __rand__, __or__, __ror__ = _keep32("__and__"), _keep32("__rand__"), _keep32("__or__"), \
        _keep32("__ror__")
    __xor__, __rxor__, __lshift__ = _keep32("__xor__"), _keep32("__rxor__"), _keep32("__lshift__")
    __rlshift__, __rshift__, __rrshift__ = _keep32("__rlshift__"), _keep32("__rshift__"), _keep32("__rrshift__")
    del _keep32

    def __invert__(self) -> "NumpyInt32":
        return NumpyInt32(~int(self))

    def __neg__(self) -> "NumpyInt32":
        if int(self) == INT32_MIN:
            raise OverflowError("-(-2**31) is out of the range of int32")
        return NumpyInt32(-int(self))

    def __abs__(self) -> "NumpyInt32":
        return -self if self < 0 else self


class NumpyBool:
    """A NumPy bool (``np.prod(s) > 3`` is ``np.True_``): what comparing a NumPy scalar with a number gives. Its
    truth is known, but it is neither Python's ``True``/``False`` (``(np.prod(s) > 3) is True`` is False) nor an
    ``int``, so the analysis only decides its truth and its comparisons with numbers."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = bool(value)

    def __bool__(self) -> bool:
        return self.value

    def __eq__(self, other: object) -> bool:
        return type(other) is NumpyBool and other.value == self.value

    def __hash__(self) -> int:
        return hash((NumpyBool, self.value))

    def __repr__(self) -> str:
        return "np.True_" if self.value else "np.False_"


class NumpyFloat(float):
    """A NumPy float (``np.round(12 / 5)`` is ``np.float64(2.0)``, ``np.sqrt(16)`` is ``np.float64(4.0)``): a number
    like any float, but not of Python's type ``float`` (``type(x) is float`` is False), so the analysis does not
    decide ``type``/``isinstance`` of it; ``int(...)`` of it is a Python int. Arithmetic with Python numbers keeps
    it a NumPy float, as NumPy does."""

    def _keep(op):  # noqa: N805 - a helper of the class body
        def apply(self, other):
            value = getattr(float, op)(self, other)
            return NumpyFloat(value) if type(value) is float else value
        return apply

    __add__, __radd__, __sub__, __rsub__ = _keep("__add__"), _keep("__radd__"), _keep("__sub__"), _keep("__rsub__")
    __mul__, __rmul__, __truediv__ = _keep("__mul__"), _keep("__rmul__"), _keep("__truediv__")
    __rtruediv__, __floordiv__, __rfloordiv__ = _keep("__rtruediv__"), _keep("__floordiv__"), _keep("__rfloordiv__")
    __mod__, __rmod__, __pow__, __rpow__ = _keep("__mod__"), _keep("__rmod__"), _keep("__pow__"), _keep("__rpow__")
    del _keep

    def __neg__(self) -> "NumpyFloat":
        return NumpyFloat(-float(self))

    def __abs__(self) -> "NumpyFloat":
        return NumpyFloat(abs(float(self)))

    def __repr__(self) -> str:
        return float.__repr__(self)


def plain_ints(value: Any) -> Any:
    """``value`` with each NumPy integer in it (in tuples and lists) a Python int: a shape Keras computes holds
    Python ints whatever the layer was given (``Reshape((np.prod(s),))``'s output shape)."""
    if isinstance(value, NumpyInt):
        return int(value)
    if isinstance(value, NumpyExpr):
        return value.plain()
    if isinstance(value, (tuple, list)) and any(isinstance(v, (NumpyInt, NumpyExpr, tuple, list)) for v in value):
        return type(value)(plain_ints(v) for v in value)
    return value


@dataclass(unsafe_hash=True)
class Unknown:
    """A value the source does not determine, with the reason in words."""

    reason: str
    span: Optional[Span] = None

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


@dataclass(unsafe_hash=True)
class FileFunction(Unknown):
    """A function of the analysed code (a ``def``, a lambda, a partial or bound method of one) given to a layer: its
    value is not followed. Keras cannot rebuild a layer holding one from its config (``Bidirectional`` does, for its
    two copies) unless it is registered as a custom object: ``registered`` says the analysed code may do so (it names
    ``register_keras_serializable``, ``get_custom_objects``, ``custom_object_scope`` or ``CustomObjectScope``), or
    that Keras may find it anyway (a partial, which is not followed); never for a lambda, which Keras saves as its
    code and does not load back in safe mode."""

    registered: bool = False


@dataclass(unsafe_hash=True)
class RejectedCall(FileFunction):
    """A function of the analysed code given to a layer that Python cannot call as Keras 3 calls an initializer,
    ``f(shape, dtype=...)``: ``callee`` is its name and ``error`` Python's TypeError in words (``def init(shape,
    name=None)``, written for Keras 1, takes no ``dtype``). ``infer`` reports it where the layer makes the weight
    that initializer fills."""

    callee: str = ""
    error: str = ""

    def __repr__(self) -> str:
        return f"RejectedCall({self.callee!r}, {self.error!r})"


@dataclass(unsafe_hash=True)
class ArrayArgument(Unknown):
    """A NumPy array given to a layer's constructor (``Embedding(..., weights=[matrix])``): its values are not kept,
    its ``shape`` is (sizes as the analysis knows them: an int, a symbolic size, or None where not known), so that
    what Keras checks of it when the layer is made (``set_weights``: the shape of the weight it fills) is checked."""

    shape: Tuple[Any, ...] = ()


@dataclass(unsafe_hash=True)
class ConstantOfArray(Unknown):
    """``keras.initializers.Constant(array)``: Keras 3 fills a weight with ``cast(array) * ones(shape)``, which NumPy's
    broadcasting rules allow only for an array of a shape that broadcasts to the weight's (``pretrained_word_embeddings``
    gives an Embedding its whole table so). ``shape`` is the array's, as :class:`ArrayArgument` keeps it."""

    shape: Tuple[Any, ...] = ()


@dataclass(unsafe_hash=True)
class KerasRaises(Unknown):
    """A value the code never computes because Keras raises before it: a shape read after a layer Keras rejects
    (extract/live.py). Its reason starts with Keras's error, and a condition on it is not undecided: the code never
    gets there. ``at`` is the condition that first read it, where the code stops ("" while none has)."""

    at: str = ""

    def __repr__(self) -> str:
        return f"KerasRaises({self.reason!r})"


@dataclass(unsafe_hash=True)
class TensorDtype(Unknown):
    """``x.dtype`` of a symbolic tensor: a dtype Keras takes (``ops.cast(pe, x.dtype)``), which one is not known (a
    mixed-precision policy changes it). As a value it is unknown like any other; only where any dtype gives the same
    shape (an eager ``ops.cast``, extract/sources.py) is it enough."""


@dataclass(unsafe_hash=True)
class FloatSymbol(Unknown):
    """A Python float computed from symbols (``n / 2``, ``float(n)``, ``n * 0.5``): not a size, as no Keras 3 layer
    takes a float for one (tf.keras 2 cut it with ``int()``), so as a value it is unknown. ``int()``, ``round()``,
    ``math.floor`` and ``math.ceil`` of it are integer symbols computed from ``made_from``, the symbolic values it
    was computed from."""

    made_from: Tuple[Any, ...] = ()

    def __repr__(self) -> str:
        return f"FloatSymbol({self.reason!r})"


@dataclass(unsafe_hash=True)
class DynamicSize(Unknown):
    """A size that ``keras.ops.shape(x)`` (or ``tf.shape(x)``) gives inside a layer's ``call`` where the static
    shape says None: a number only when the model runs (TensorFlow traces a scalar tensor). Used as a size it is
    unknown (None where it is an argument), and ``ops.arange`` up to it has that open length."""


@dataclass(unsafe_hash=True)
class ShapeSize(DynamicSize):
    """A DynamicSize exactly as ``keras.ops.shape(x)[i]`` gives it, not computed from one (``b * 2`` is a plain
    DynamicSize). Keras traces a layer's ``call`` with every size the input leaves open set to one same number (the
    numpy and JAX backends: 83, then 89), so ``ops.reshape(x, (b, -1, c))`` with as many of these as the input has
    open sizes has a -1 that both runs agree on (extract/ops_calls.py). ``ref`` and ``axis``: the tensor and the
    axis it was read from."""

    ref: Any = None
    axis: int = -1


@dataclass(unsafe_hash=True, repr=False)
class LayerDef:
    """A layer object as constructed in the source: ``Conv2D(32, 3, padding="same")``.

    ``type`` is the canonical Keras class name when the catalogue knows the
    callee, else the callee's source text with ``known=False``. ``args`` and
    ``kwargs`` hold resolved values: Python constants, tuples, ``Expr``,
    :class:`Unknown`, or another :class:`LayerDef` for wrapper layers.
    """

    uid: int
    type: str
    name: str
    args: Tuple[Any, ...]
    kwargs: Tuple[Tuple[str, Any], ...]
    span: Span
    known: bool = True
    #: A ``**kwargs`` splat whose content is unknown: any argument may be set.
    open_kwargs: Optional[Unknown] = None
    #: For a model used as a layer: the index of its :class:`ModelDef` in ``FileIR.models``.
    submodel: Optional[int] = None
    #: For a call read as Keras 1 reads it: its arguments by their Keras 1 names, as written
    #: (positional ones by Keras 1's order; see catalogue/legacy.py). Empty for a Keras 3 call.
    keras1: Tuple[str, ...] = ()
    #: An operation on tensors, not a layer (``x + y``, ``ops.mean(x)``): ``type`` is its class in
    #: catalogue/ops.py (``known`` is False: no layer spec), ``args`` hold each tensor as its ``TensorRef``.
    operation: bool = False
    #: For a layer the analysis cannot see into because its class comes from an import it could not
    #: follow: why (``CRF` is imported from `keras_contrib.layers`, which ...``).
    why: Optional[str] = None
    #: ``trainable`` in ``kwargs`` was set on the object (``layer.trainable = False``), not given to its
    #: constructor: every layer has the attribute, while some constructors reject the keyword.
    trainable_set: bool = False
    #: The input shape a custom layer's ``build`` built this Keras layer for (``self.proj.build((None, 8))``): Keras
    #: made its weights then, for that shape, and a later call does not build it again.
    built_shape: Any = None
    #: For a Normalization that ``adapt()`` built before any call, on data whose shape is not known: why (Keras builds
    #: it on the data's shape, which the summary of a subclassed model then shows; a known shape is ``built_shape``).
    adapted: Optional[Unknown] = None
    #: Made by code of another file of the project (a builder imported from it): ``span`` is the call in this file
    #: that reached it. Rules that advise on how a layer is written leave it to that file.
    elsewhere: bool = False
    #: The undecided ways it was made on: (fork, way) pairs (extract/graph.py ``Graph.ways``).
    ways: Tuple[Tuple[int, int], ...] = ()
    #: For ``ops.reshape`` in a traced ``call``: its new shape with each size read by ``ops.shape`` as its
    #: :class:`ShapeSize` (``args`` hold None there), which tells where an open size came from (extract/ops_calls.py).
    reads: Tuple[Any, ...] = field(default=(), compare=False, hash=False)

    #: Where ``catalogue.spec.config`` keeps the layer's config (not a field: no part of its value).
    CONFIG: ClassVar[str] = "_config"

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state.pop(self.CONFIG, None)  # bound again where it is needed
        state.pop("_run_key", None)  # (infer._layer_key's memo: made again where it is needed)
        return state

    def __repr__(self) -> str:  # as Keras shows a layer object in its messages
        return f"<{self.type} name={self.name}>"

    def kwarg(self, key: str, default: Any = None) -> Any:
        for k, v in self.kwargs:
            if k == key:
                return v
        return default

    def has_kwarg(self, key: str) -> bool:
        return any(k == key for k, _ in self.kwargs)


@dataclass(unsafe_hash=True, repr=False)
class SliceKey:
    """``a:b:c`` in a subscript of a tensor (``x[:, 1:3]``), its parts resolved as any argument is.

    ``...`` in such a subscript is Python's ``Ellipsis``, and ``None`` (``np.newaxis``) itself.
    """

    start: Any = None
    stop: Any = None
    step: Any = None


@dataclass(frozen=True)
class ConstantArray:
    """An array of data (NumPy's, or a backend tensor made eagerly from numbers: ``ops.arange(n)``) given to an
    operation beside a symbolic tensor (``x + pe``): Keras takes it as a constant operand of that shape (its
    ``compute_output_spec`` reads only ``.shape``); its values are not known."""

    shape: Tuple[int, ...]


@dataclass(unsafe_hash=True)
class TensorRef:
    """Output ``index`` of node ``node``."""

    node: int
    index: int = 0


@dataclass(unsafe_hash=True, repr=False)
class Node:
    """One call of a layer on tensors; an ``InputLayer`` node has no inputs."""

    id: int
    layer: int
    inputs: Tuple[TensorRef, ...]
    #: True when the layer was called on a list (merge layers), even of one tensor.
    list_input: bool
    span: Span
    #: Non-tensor keyword arguments of the call (``return_attention_scores=True``, ``training=False``).
    call_kwargs: Tuple[Tuple[str, Any], ...] = ()
    #: Every tensor of the call in Keras's order (positional, then keywords sorted), when that
    #: differs from ``inputs`` (tensors passed by keyword, ``initial_state=[h, c]``). Graph order only.
    graph_inputs: Tuple[TensorRef, ...] = ()
    #: Arrays of data given in the list beside the tensors (``Add()([x, pos_table])``): their places in that list and
    #: shapes (``inputs`` holds the tensors alone; Keras's node, and so the graph, has only them too).
    constants: Tuple[Tuple[int, Tuple[int, ...]], ...] = ()

    @property
    def parents(self) -> Tuple[TensorRef, ...]:
        return self.graph_inputs or self.inputs


@dataclass(unsafe_hash=True, repr=False)
class DataCall:
    """``model.fit(x, y, ...)``, ``evaluate``, ``predict``, ``train_on_batch``...: the shapes of the arrays
    given (each a tuple whose first size, the sample count, may be None; a size may be a symbol when the
    data comes from a file, and None when not known; a shape is None when not known), the
    model's ``compile`` and layer count at that call, and where the call is."""

    method: str
    span: Span
    x: Optional[Tuple[Optional[int], ...]] = None
    y: Optional[Tuple[Optional[int], ...]] = None
    val_x: Optional[Tuple[Optional[int], ...]] = None
    val_y: Optional[Tuple[Optional[int], ...]] = None
    compile: Optional[Tuple[Tuple[Tuple[str, Any], ...], Span]] = None
    layer_count: int = 0
    #: For a model of several inputs given a list of arrays: the shape of each (``x`` is then None).
    xs: Optional[Tuple[Tuple[Any, ...], ...]] = None
    #: The number of samples in the first batch, when known (``min(batch_size, samples)``).
    batch: Optional[int] = None


@dataclass(unsafe_hash=True, repr=False)
class ModelDef:
    """A model the source builds.

    For ``kind == "sequential"`` the model is ``layers`` in order, fed by
    ``input_layer`` (an ``InputLayer`` def from ``Input``/``InputLayer``/
    ``input_shape=``) or by ``build_shape`` from ``model.build(...)``.
    For ``kind == "functional"`` it is the graph from ``inputs`` to ``outputs``.
    For ``kind == "subclassed"`` (``class Net(keras.Model)``) ``layers`` are the layers its
    attributes hold, in the order Keras tracks them (``model.layers``); once the model is called,
    ``inputs`` and ``outputs`` are the tensors its ``call`` was run on and returned, and
    ``call_nodes`` the nodes that run made; ``build_shape`` is set by ``model.build()``, which
    marks the model built without building its layers.
    """

    kind: str
    name: Optional[str]
    span: Span
    layers: Tuple[int, ...] = ()
    input_layer: Optional[int] = None
    build_shape: Any = None
    inputs: Tuple[TensorRef, ...] = ()
    outputs: Tuple[TensorRef, ...] = ()
    #: Why the extract stage could not follow this model, if it could not.
    unresolved: Optional[Unknown] = None
    #: Set when the model was built by calling its function with default arguments.
    from_defaults: Optional[str] = None
    #: The function nothing calls whose run made it (``Interpreter.uncalled``); None for a model of the script's run.
    run_of: Optional[str] = field(default=None, compare=False)
    #: ``model.trainable = False`` makes every weight non-trainable; Unknown if not known.
    trainable: Any = True
    #: The name Keras gives the model (``sequential_1``, ``functional``, or ``name=``).
    keras_name: str = ""
    #: The input layer was made by Keras from ``input_shape=``/``input_dim=``/``build()``.
    implicit_input: bool = False
    #: A Sequential with no input that Keras built when it was first called: that call's node.
    built_by_node: Optional[int] = None
    #: For ``kind == "application"``: the class name and the call's arguments (IR values).
    application: Optional[Tuple[str, Tuple[Any, ...], Tuple[Tuple[str, Any], ...]]] = None
    #: For an application: Keras's counters of automatic names (``input_layer``, ``re_lu``...) when it was
    #: built, by prefix: its automatically named layers are numbered from there.
    app_counters: Tuple[Tuple[str, int], ...] = ()
    #: For an application whose ``.layers`` the code reads: the uids of the layers standing for them (their
    #: ``trainable`` flags are what the code set), in ``model.layers`` order; empty when never read.
    app_layers: Tuple[int, ...] = ()
    #: For an application given ``input_tensor=``: that tensor, the inputs it comes from (Keras's model starts
    #: there: layers between them are its own), and ``app.output``, the application's layers applied to it.
    app_input: Optional[TensorRef] = None
    app_sources: Tuple[TensorRef, ...] = ()
    app_output: Optional[TensorRef] = None
    #: The last ``model.compile(...)`` in the file: its arguments by name, and where it is.
    compile: Optional[Tuple[Tuple[Tuple[str, Any], ...], Span]] = None
    #: For ``kind == "subclassed"``: node ids ``[start, end)`` made by running its ``call``. Keras
    #: runs it on arrays, not symbolic tensors: these calls are not nodes of any model's graph.
    call_nodes: Tuple[int, int] = (0, 0)
    #: A custom layer (``class Block(keras.layers.Layer)``), analysed as a subclassed model is: not a
    #: model of the report, only the layer its users show. ``own_weights``: the (size, trainable) of each
    #: weight its ``build`` adds; ``fixed_output``: the shape its ``compute_output_shape`` gives.
    custom_layer: bool = False
    own_weights: Tuple[Tuple[Any, Any], ...] = ()
    #: Where its own weights may not be float32 (``add_weight(dtype="float64")``, ``super().__init__(dtype=...)``).
    weight_dtype: Optional[str] = None
    fixed_output: Any = None
    #: The custom layer's first call was on symbolic tensors: its output shape is ``fixed_output`` if set.
    symbolic_call: bool = False
    #: A custom layer built by another custom layer's ``build`` (``block.build(shape)``), never called: its
    #: weights are those that build made.
    explicit_build: bool = False
    #: A custom layer of ``keras.layers.Layer`` (no concrete layer's subclass) whose class defines no ``build``:
    #: Keras's build makes no weight, so that one holding no layer or weight has none, built or not.
    builds_nothing: bool = False
    #: A subclassed model Keras built on data the analysis does not know, whose weights are the same whatever it is.
    built_unseen: bool = False
    #: The calls that give it data (``fit``, ``evaluate``, ``predict``...), in order.
    data_calls: Tuple[DataCall, ...] = ()
    #: The methods the code calls on it, under any name (``gen.predict(z)`` of the model a function returned), in the
    #: order they ran: (method, the span of the ``compile`` then in force or None, (line, column) of the call).
    method_calls: Tuple[Tuple[str, Any, Any], ...] = ()
    #: The names the code bound it to, sorted.
    names: Tuple[str, ...] = ()
    #: For a model made by a class (``class GAN(keras.Model)``): the first of its methods that replace how Keras
    #: trains or evaluates it (``train_step``...), or why a base class not analysed may have one; else None.
    #: Keras's loss then need not compare the labels with the output.
    own_training: Optional[str] = None
    #: A Sequential without an input that ``fit``/``predict``... built on data of unknown shape: why (in words).
    built_on_data: Optional[str] = None
    #: Keras raised on the model at top level, where the script stops (extract/values.py ModelBuilder): why.
    keras_raised: Optional[str] = None


def weightless(model: Any) -> bool:
    """A custom layer (a ModelDef, or the model the extraction builds) that has no weight, built or not: its class
    makes none when built (``builds_nothing``) and it holds no layer or weight (a window partition, a reshape):
    Keras counts none of it whether or not its call runs."""
    return bool(model.custom_layer and model.builds_nothing and not model.layers and not model.own_weights)


@dataclass(unsafe_hash=True, repr=False)
class Loss:
    """A loss object such as ``keras.losses.BinaryCrossentropy(from_logits=True)``."""

    name: str
    kwargs: Tuple[Tuple[str, Any], ...] = ()


@dataclass(unsafe_hash=True, repr=False)
class Note:
    """Something the extract stage wants reported (syntax error, analysis limit)."""

    code: str
    message: str
    span: Span


@dataclass(unsafe_hash=True, repr=False)
class SymbolOrigin:
    """Where a symbol of the numbers comes from: its name (``X.shape[1]``), what made it, in words (``the data's
    shape, from `np.load` ``), and where in the file that value was made (None where not known)."""

    name: str
    origin: str
    span: Optional[Span] = None
    #: Made while running this function that nothing calls (its models' symbols are looked up there first).
    builder: Optional[str] = field(default=None, compare=False)


@dataclass(unsafe_hash=True, repr=False)
class FileIR:
    """What the extraction found in one file: its layers, the nodes that connect them, and its models."""

    path: str
    layers: Tuple[LayerDef, ...]
    nodes: Tuple[Node, ...]
    models: Tuple[ModelDef, ...]
    notes: Tuple[Note, ...] = ()
    #: Set when code the analysis cannot follow changes ``.trainable`` flags.
    trainable_unknown: Optional[Unknown] = None
    #: Real paths of the project's modules the analysis read for imports (what a cached result depends on).
    imports: Tuple[str, ...] = ()
    #: Where the symbols the analysis made come from, by name (what a model's ``symbols`` lists).
    symbols: Tuple[SymbolOrigin, ...] = field(default=(), compare=False, repr=False)
    #: The layers whose constructor the file runs on every way to it, outside any ``try`` (a Keras layer made
    #: in a branch the analysis cannot decide is not): an error Keras's constructor raises whatever the input is
    #: raised there, even where what the layer is called on is not known.
    surely_made: FrozenSet[int] = field(default=frozenset(), compare=False, repr=False)
    #: CPython's tree of the text analysed (a big file's reduced text; None where CPython rejects it),
    #: parsed once by the extract stage; rules read it where the IR leaves a value unknown.
    tree: Any = field(default=None, compare=False, repr=False)
    #: The tests of ``if`` statements, conditional expressions and optional imports the run left undecided (or was
    #: told the way of): ``(the node, its text, its line, how many times the run evaluated it, those times by run:
    #: ((the function nothing calls whose run evaluated it, None for the script's own run), count)...)``. The node is
    #: held here so that its ``id``, by which a later run is told the way (kerascount/alternatives.py), stays its own.
    conditions: Tuple[Tuple[Any, str, int, int, Tuple[Tuple[Optional[str], int], ...]], ...] = \
        field(default=(), compare=False, repr=False)
    #: The tuner's picks the run made symbols of whose values are known and few (``hp.Int("num_layers", 1, 3)``,
    #: ``trial.suggest_categorical("kernel_size", [3, 5])``): ``(the symbol's name, its line, the values)``, the
    #: first call of each name (a later run may be told the value, kerascount/alternatives.py).
    picks: Tuple[Tuple[str, int, Tuple[int, ...]], ...] = field(default=(), compare=False, repr=False)
    #: The interpreter's steps for this file (what later runs of it are given, kerascount/alternatives.py).
    steps: int = field(default=0, compare=False, repr=False)
    #: Where the code sets Keras's default dtype policy or float type to one whose weights are not float32, or to
    #: one the analysis does not know (``keras.config.set_floatx("float64")``): the weights' sizes in bytes.
    dtype_set: Optional[str] = field(default=None, compare=False, repr=False)
    #: The dtype of every layer's weights where the code set Keras's default policy before making any layer
    #: (``set_floatx("float64")`` first): float32 unless so.
    weight_dtype: str = field(default="float32", compare=False, repr=False)

    def layer(self, uid: int) -> LayerDef:
        return self.layers[uid]

    def node(self, nid: int) -> Node:
        return self.nodes[nid]


# -- infer stage -----------------------------------------------------------


@dataclass(unsafe_hash=True, repr=False)
class Alternative:
    """What a model is on one way through conditions the analysis cannot decide (``if len(sys.argv) > 1:``): its
    counts (exact or symbolic), or ``error``, what Keras raises on that way. ``way`` gives the conditions, in the
    order the program meets them: each test as written, its line, and whether it holds on this way."""

    way: Tuple[Tuple[str, int, bool], ...]
    total: Count
    trainable: Count
    non_trainable: Count
    error: Optional[str] = None
    #: Keras has not built the model on this way (no input shape): no counts.
    unbuilt: bool = False


@dataclass(unsafe_hash=True, repr=False)
class Problem:
    """Why a layer has no numbers: a Keras error (``error=True``) or a gap in analysis."""

    code: str
    message: str
    error: bool
    #: The call (node id) where Keras raises, for errors found in a functional graph.
    node: Optional[int] = None
    #: The Python exception class Keras raises, where known ("ValueError"; a constructor's checks say).
    raised: str = ""


@dataclass(unsafe_hash=True, repr=False)
class LayerResult:
    """One row of a model's table: a layer with its output shape and parameter counts."""

    def __repr__(self) -> str:  # short, by hand (a generated one costs start-up): what a user printing it wants
        return f"LayerResult({self.layer.name!r}, {self.layer.type}, {self.output_shape!r}, params={self.params!r})"

    layer: LayerDef
    #: A shape, a tuple of shapes for layers with several outputs, or None if unknown.
    output_shape: Any
    params: Count
    trainable: Count
    non_trainable: Count
    input_shape: Any = None
    problem: Optional[Problem] = None
    #: The node whose call failed (for positions), if any.
    node: Optional[Node] = None
    #: Multiply-accumulates per sample over the layer's calls in the model (kerascount/cost.py).
    macs: Count = None
    #: Output elements per sample over those calls; for a nested model, everything its layers output.
    activations: Count = None
    #: The layer's config: its constructor arguments bound to its catalogue spec and standardised once
    #: (``catalogue.spec.BoundArgs``), which costs and rules read; None for a layer the catalogue does not
    #: know, a nested model, or arguments Keras's constructor rejects.
    config: Any = field(default=None, compare=False, repr=False)
    #: For a nested model: its rows, as ``model.summary(expand_nested=True)`` lists them under it.
    nested: Tuple["LayerResult", ...] = ()
    #: (trainable, non-trainable) by its variables' flags where they differ from the layer's own split: a wrapper
    #: frozen (``TimeDistributed(layer, trainable=False)``) whose layer is not. Keras 3's layer lists no trainable
    #: weights, while the model holding it counts those variables as trainable. None: the same as the row's.
    variables: Optional[Tuple[Count, Count]] = field(default=None, compare=False, repr=False)

    def counted_split(self) -> Tuple[Count, Count]:
        """(trainable, non-trainable) as the model holding the row counts them."""
        return self.variables if self.variables is not None else (self.trainable, self.non_trainable)


@dataclass(unsafe_hash=True, repr=False)
class ModelResult:
    """A model as inference resolved it: its rows, input and output shapes, and parameter counts."""

    def __repr__(self) -> str:
        return (f"ModelResult({self.model.name!r}, line={self.model.span.line}, {self.status}, total={self.total!r}, "
                f"trainable={self.trainable!r}, non_trainable={self.non_trainable!r}, rows={len(self.rows)})")

    model: ModelDef
    rows: Tuple[LayerResult, ...]
    #: Input and output shapes; None when the model is not built or not resolved.
    inputs: Optional[Tuple[Any, ...]]
    outputs: Optional[Tuple[Any, ...]]
    total: Count
    trainable: Count
    non_trainable: Count
    #: "exact", "symbolic", "unknown" (some numbers missing) or "unbuilt".
    status: str
    #: What the analysis could not follow (not Keras errors: those are in the rows' problems).
    reasons: Tuple[str, ...] = field(default=())
    #: Keras would raise while building this model (a row has an error problem).
    failed: bool = False
    #: Multiply-accumulates of one forward pass per sample (the rows' sum).
    macs: Count = None
    #: Elements per sample the layers output in a forward pass, the model's inputs left out.
    activations: Count = None
    #: Bytes of the parameters (float32 weights; None when some are not, or may not be: ``bytes_unknown`` says
    #: why) and of the activations per sample, as float32.
    param_bytes: Count = None
    activation_bytes: Count = None
    #: The layer graph as pairs of row indices (producer, consumer), for ``kerascount graph``: a
    #: functional model's connections, a Sequential's order, a called subclassed model's calls.
    #: None when not known (applications, unresolved models, results read from the cache).
    edges: Optional[Tuple[Tuple[int, int], ...]] = None
    #: For a functional model that is not a chain (branches, several inputs or outputs, shared
    #: layers): per row, the tensors its calls take as ``(layer name, node index, tensor index)``,
    #: what ``model.summary()`` shows as "Connected to" (``input_layer[0][0]``). None otherwise.
    connections: Optional[Tuple[Tuple[Tuple[str, int, int], ...], ...]] = None
    #: The model as the rules read it when its rows list a ``keras.applications`` model's layers
    #: (kerascount/app_layers.py): the application as one row, or no rows for the application itself.
    #: The rules judge the code written, not Keras's own layers.
    collapsed: Optional["ModelResult"] = field(default=None, compare=False, repr=False)
    #: (trainable, non-trainable) by the flags of its layers' variables, for a model whose own
    #: ``trainable = False`` hides them from its own split (Keras's ``trainable_weights`` is then empty): a
    #: model that holds this one counts its variables by their flags (a layer unfrozen after
    #: ``base.trainable = False`` is trainable there). None: the same as ``trainable``/``non_trainable``.
    variables: Optional[Tuple[Any, Any]] = field(default=None, compare=False, repr=False)
    #: Where each symbol of its numbers comes from (kerascount/infer.py ``with_symbols``), in the order they
    #: are made in the file (line, column); empty when its numbers have none.
    symbols: Tuple[SymbolOrigin, ...] = field(default=(), compare=False)
    #: Sizes its numbers assume are equal, each ``"layer: a = b"``: a ``Concatenate``'s input sizes given by
    #: expressions that differ (``floor(H/16) = 2*floor(H/32)``), which Keras accepts only for the values of
    #: their symbols where they agree (it raises for the others). Shown with the model's caveat.
    assumes: Tuple[str, ...] = ()
    #: For a subclassed model whose ``call`` was traced: the shapes it ran on and returned (Keras records neither
    #: as the model's inputs and outputs, which stay None); what the data rules compare the data with.
    traced: Optional[Tuple[Tuple[Any, ...], Tuple[Any, ...]]] = field(default=None, compare=False, repr=False)
    #: For a model left unknown by a condition the analysis cannot decide: what each way of that condition builds,
    #: from a run of the file that takes that way (kerascount/alternatives.py). Empty otherwise.
    alternatives: Tuple["Alternative", ...] = field(default=(), compare=False)
    #: Why ``param_bytes`` is None while its numbers are known: some weights are not float32, or may not be (a layer's
    #: ``dtype=``, ``add_weight(dtype=...)``, ``keras.config.set_floatx``); None otherwise.
    bytes_unknown: Optional[str] = field(default=None, compare=False)
    #: Bytes of each parameter: 4 (float32) unless every weight of the model is of another dtype, as where the
    #: code sets ``set_floatx("float64")`` before making any layer (``param_bytes`` is then the total times it).
    bytes_per_param: int = field(default=4, compare=False)
    #: For an unbuilt model some of whose layers (or itself) already hold weights, made when they were made (a custom
    #: layer's ``add_weight`` in its ``__init__``): the (total, trainable, non-trainable) Keras's summary counts for
    #: it, its unbuilt layers counting nothing. None otherwise (its totals stay None: Keras has not built it).
    held_totals: Optional[Tuple[Any, Any, Any]] = field(default=None, compare=False, repr=False)

    def unbuilt_why(self) -> str:
        """Why Keras has not built this unbuilt model, in a few words: it has no input shape, or it holds only its
        input and was never called."""
        return "never called" if self.model.input_layer is not None else "no input shape"

    def caveat(self) -> Optional[str]:
        """The caveat its report gives: how it was built (``ModelDef.from_defaults``) and what it assumes."""
        parts = [self.model.from_defaults] if self.model.from_defaults else []
        if self.assumes:
            shown = "; ".join(self.assumes[:3]) + (f"; and {len(self.assumes) - 3} more" if len(self.assumes) > 3
                                                  else "")
            parts.append("its numbers hold where these sizes agree, as Keras requires (it rejects the model "
                         f"where they differ): {shown}")
        return "; ".join(parts) or None


@dataclass(unsafe_hash=True, repr=False)
class Fix:
    """A change to the source that resolves a diagnostic, as data; ``kerascount.fix`` applies it.

    It edits the call at ``span``, which constructs a Keras ``layer`` (the fix stage checks that).
    ``edit`` is one of ``("keras3", *names)``: write a Keras 1 call whose arguments are ``names``
    (``LayerDef.keras1``) with Keras 3 names; ``("remove", *keywords)``: remove these keyword
    arguments; ``("replace", class_name)``: call another Keras class with the same arguments;
    ``("set", argument, literal)``: give an argument the value ``literal`` (Python source);
    ``("wrap", argument, function)``: pass the argument, as written, through ``function`` (``int``).
    Two edits are not of a layer's call: ``("rename", callee, "old=new", ...)`` edits the call at
    ``span`` whose callee's last name is ``layer`` (an optimizer, a model's method): it calls
    ``callee`` instead (when not empty), renames keyword arguments and adds those written
    ``"+keyword=literal"``; ``("module", new)`` makes the
    ``from layer import ...`` statement at ``span`` import from module ``new``. ``("insert", name)``
    adds a layer ``name()`` before the ``layer`` constructed at ``span`` (see ``fix._insertion``);
    ``("string", old, new)`` writes the string literal at ``span`` (whose value is ``old``) as ``new``, in the same
    quotes (``layer`` is then empty).
    """

    #: "safe": Keras builds the same model; "unsafe": the model changes, on purpose.
    applicability: str
    description: str
    span: Span
    layer: str
    edit: Tuple[str, ...]

    def applies(self, unsafe: bool) -> bool:
        """Is the fix applied when unsafe fixes are (or are not) enabled?"""
        return self.applicability == "safe" or unsafe


@dataclass(unsafe_hash=True, repr=False)
class Diagnostic:
    """One finding of a rule: code, severity, message, where it is, and its fix if it has one."""

    def __repr__(self) -> str:
        return f"Diagnostic({self.code}, {self.severity}, line {self.span.line}: {self.message!r})"

    code: str
    severity: str
    message: str
    span: Span
    fix: Optional[Fix] = None


def fixed_outputs(fixed: Any) -> Optional[Tuple[Tuple[Any, ...], ...]]:
    """The shapes of a custom layer's ``fixed_output`` that holds several (a tuple of shapes), else None."""
    return fixed if isinstance(fixed, tuple) and fixed and all(isinstance(s, tuple) for s in fixed) else None
