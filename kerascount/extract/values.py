"""Runtime values of the abstract interpreter (not part of the IR).

Python constants (int, float, str, bool, None, tuple) and ``Expr`` symbols are
used as they are; these classes stand for everything else a model script holds.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from ..ir import NumpyBool, Span, TensorRef, Unknown, plain_ints
from ..symbolic import Expr


#: While an undecided branch runs (``Interpreter.exec_branches``), ``_CHANGES.log`` is a list that every
#: model, plain object, list and dict is appended to when a field its fingerprint reads is about to change,
#: so that only those are compared after the branch; per thread, as analyses may run in several.
#: ``_CHANGES.armed``: callbacks run (then dropped) before the first change logged after they were armed.
_CHANGES = threading.local()


def changes_log() -> Optional[List[Any]]:
    """The list changes are logged to in this thread, or None."""
    return getattr(_CHANGES, "log", None)


def set_changes_log(log: Optional[List[Any]]) -> None:
    _CHANGES.log = log
    _CHANGES.armed = []


def arm_changes(callback: Any) -> None:
    """Run ``callback`` before the next change is logged (the log must be set)."""
    _CHANGES.armed.append(callback)


def disarm_changes(callback: Any) -> None:
    armed = getattr(_CHANGES, "armed", None)
    if armed and callback in armed:
        armed.remove(callback)


def valued_era() -> int:
    """The current run's number for ValuedArray.era."""
    return getattr(_CHANGES, "era", 0)


def next_valued_era() -> None:
    _CHANGES.era = valued_era() + 1


def note_changed(obj: Any) -> None:
    """Log an in-place change ``__setattr__`` does not see (``b.layers.append(...)``); called before it."""
    log = getattr(_CHANGES, "log", None)
    if log is not None:
        armed = _CHANGES.armed
        if armed:
            _CHANGES.armed = []
            for callback in armed:
                callback()
        log.append(obj)


def _logged_setattr(watched: frozenset) -> Any:
    """``__setattr__`` of a class whose fields ``watched`` are logged as they change. A dataclass's first
    assignment of a field (its ``__init__``: a new object, which no branch compares) is not a change."""
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if name in watched and name in self.__dict__:
            note_changed(self)
        object.__setattr__(self, name, value)
    return __setattr__


def flag_log() -> Optional[List[Any]]:
    """The list a model's ``trainable`` writes are logged to in this thread (``Graph.trainable_mark``), or None."""
    return getattr(_CHANGES, "flags", None)


def set_flag_log(log: Optional[List[Any]]) -> None:
    _CHANGES.flags = log


#: The fields of a model under construction that ``Graph.model_def`` reads (no other: its ``attrs``, ``version`` or
#: ``containers``, which change as a custom layer's ``__init__`` runs, make no difference to its ModelDef;
#: tests/test_fast_paths.py checks the list).
MODEL_DEF_FIELDS = (
    "kind", "name", "span", "layers", "input_layer", "build_shape", "inputs", "outputs", "unresolved", "caveat",
    "trainable", "keras_name", "implicit_input", "built_by_node", "application", "app_counters", "app_layers",
    "app_input", "app_sources", "app_output", "compile", "compile_elsewhere", "call_nodes", "custom_layer",
    "own_weights", "weight_dtype", "fixed_output", "symbolic_call", "explicit_build", "built_unseen", "data_calls",
    "method_calls",
    "names", "own_training", "built_on_data", "keras_raised", "builds_nothing", "run_of")
#: Those of them that hold several items, which ``model_def`` copies: they hold immutable containers (a tuple, a
#: frozenset; None for ``app_layers`` not made yet), so that they change only by assignment, which gives the model a
#: new ``stamp``. ``ModelBuilder.__setattr__`` refuses any other type (a list given to one raises TypeError).
MODEL_DEF_CONTAINERS = {"layers": (tuple,), "app_layers": (tuple, type(None)), "own_weights": (tuple,),
                        "data_calls": (tuple,), "method_calls": (tuple,), "names": (frozenset,)}
#: Stamps of the states of models (``ModelBuilder.stamp``): each is given out once in a process, so two models with
#: the same stamp have the same ``MODEL_DEF_FIELDS`` (a copy of a model's ``__dict__`` copies its stamp with them).
_STAMPS = itertools.count(1)
#: Serial numbers of lists and dicts as they are made (``ListValue.born``).
_BORN = itertools.count()


def born_mark() -> int:
    """A number greater than the ``born`` of every list and dict made so far, and smaller than those made after."""
    return next(_BORN)
next_stamp = _STAMPS.__next__


def _model_setattr(watched: frozenset) -> Any:
    """``_logged_setattr`` of a model, which also logs each write of its ``trainable`` flag as (the model, the flag
    it held) while undecided branches that may set flags run (``flag_log``): their writes are undone and merged
    without reading every model's flag. Each write of a field ``Graph.model_def`` reads gives the model a new
    ``stamp`` (extract/live.py freezes a model again only when its stamp changed). When its ``__dict__`` holds
    ``written`` (a set and the model's place in the graph, given by the live shapes that froze it), the place is
    added to the set: those live shapes freeze again only the models in it."""
    stamped = frozenset(MODEL_DEF_FIELDS)
    containers = MODEL_DEF_CONTAINERS

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if name in stamped:
            kinds = containers.get(name)
            if kinds is not None and type(value) not in kinds:
                raise TypeError(f"ModelBuilder.{name} holds a {' or '.join(k.__name__ for k in kinds)}, not a "
                                f"{type(value).__name__} (an item is added by assigning a new one: its stamp changes)")
            d = self.__dict__
            d["stamp"] = next_stamp()
            written = d.get("written")
            if written is not None:
                written[0].add(written[1])
            if name in watched and name in d:
                if name == "trainable":
                    log = getattr(_CHANGES, "flags", None)
                    if log is not None:
                        log.append((self, d["trainable"]))
                else:
                    note_changed(self)
        elif name in watched and name in self.__dict__:
            note_changed(self)
        object.__setattr__(self, name, value)
    return __setattr__


class AnalysisLimit(Exception):
    """The analysis of a file reached one of its limits; the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(unsafe_hash=True)
class WholeChoice(Unknown):
    """What ways of an undecided condition that leave a name different make of it, when each way gives whole numbers
    (Python ints of at least 0 and symbolic sizes, or tuples of them): ``trim = (1, 1)`` or ``(1 - rows % 2, ...)``.
    ``options`` holds each way's value; an index of it, ``-`` of it and ``+``, ``-``, ``*``, ``//``, ``%`` with Python
    ints and symbols apply to each (any other use gives a plain Unknown, and so does a call it is given to); a
    ZeroPadding2D padding of such values, each a whole number, is made symbols (keras_calls.py)."""

    options: Tuple[Any, ...] = field(default=(), compare=False)


@dataclass(unsafe_hash=True)
class ArrayNumber(Unknown):
    """A number computed from the values of an array whose shape alone is followed: a reduction over all its axes
    (``x.max()``, ``np.mean(x)``, ``x.std()``). Its value is not known (any use of it as a value is unknown for the
    reason it holds), but it is one number: arithmetic with an array keeps the array's shape, as NumPy broadcasts a
    scalar (``(x - x.min()) / (x.max() - x.min())``, ``x / np.max(x)``), and with a number it is such a number."""


@dataclass(unsafe_hash=True)
class ModelChoice(Unknown):
    """What ways of an undecided condition that leave different values under one name, models among them, make of
    it (``if choice == 1: model = A() else: model = B()``), or an item of a dict or list of models at a key not
    known (``models[name]``). ``options`` holds the models the ways made: ``fit``, ``predict``… and ``build`` of it
    run on each (each is built as its way would build it, when that way runs); ``others`` the models that exist
    whichever way runs (made before, or the items), which these may or may not build: unknown, not unbuilt; and
    a call of it leaves all unknown. ``ways``: when every way binds (or returns) a model of its own, those models,
    one a way: a loop that only sets the trainable flags of its layers is run on each
    (``Interpreter.loop_on_each_model``); ``since``, the number of layers before the ways ran (those from it on
    were made by one way only). Any other use gives a plain Unknown."""

    options: Tuple[Any, ...] = field(default=(), compare=False)
    others: Tuple[Any, ...] = field(default=(), compare=False)
    ways: Tuple[Any, ...] = field(default=(), compare=False)
    since: int = field(default=0, compare=False)


@dataclass(unsafe_hash=True)
class External(Unknown):
    """A value made by code the analysis does not see (``np.load(...)``, ``parser.parse_args()``,
    ``pd.read_csv(...).values``): unknown, but what is read from it by a known role becomes a
    symbol named by its source text: ``X.shape[1]``, ``len(vocab)``, ``int(...)``, ``args.units``.

    ``role``: "shape" for its ``.shape`` (or ``.shape[start:]``), "args" for what ``parse_args()`` returns.
    """

    text: str = ""
    role: str = ""
    #: For role "shape": the axis its first item is (``X.shape[1:]``: ``text`` "X.shape", ``start`` 1).
    start: int = 0
    #: The call of code the analysis does not see that made it, as (its callee's text, its span), kept by
    #: what is read from it: where its symbols come from (``ModelResult.symbols``).
    made: Optional[Tuple[str, Any]] = field(default=None, compare=False)
    #: Why the code that made it is not seen, when it is imported from outside the project (``efn.EfficientNetB0`` is
    #: imported from `efficientnet.keras`, ...): kept by what is read from it, and said in its reason.
    source: Optional[str] = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"External({self.text!r})"


@dataclass(eq=False, repr=False)
class KerasRef:
    """Something under the ``keras`` namespace, by canonical path; ``origin`` is "keras" for the name
    ``import keras`` binds (``tf_keras``, ``keras_core`` and ``tensorflow.keras`` have the same path)."""

    path: str
    origin: str = ""


@dataclass(eq=False, repr=False)
class VersionHead:
    """A version string of which only the start is known: ``keras.__version__`` is ``"3."`` and a release the
    analysis does not know (it reads every model as Keras 3 builds it). ``parts``: the list ``.split(".")``
    makes of it, of which only the first item (``"3"``) is known."""

    head: str
    parts: bool = False


@dataclass(eq=False, repr=False)
class VersionObject:
    """A version object (``distutils.version.StrictVersion``/``LooseVersion``, ``packaging.version.parse``/
    ``Version``, ``pkg_resources.parse_version``) of a literal such as ``"2.2.0"`` or of ``keras.__version__``:
    ``release`` holds the numbers known from the start (``(2, 2, 0)``; ``(3,)`` for Keras 3, whose release after
    the major is not known); ``whole`` says whether they are the whole version (only a literal's are)."""

    release: Tuple[int, ...]
    whole: bool
    kind: str  # "strict", "loose" or "packaging": objects of two kinds do not compare (Python raises TypeError)


#: What makes a VersionObject of a version string, by the kind it makes.
VERSION_MAKERS = {"distutils.version.StrictVersion": "strict", "distutils.version.LooseVersion": "loose",
                  "packaging.version.parse": "packaging", "packaging.version.Version": "packaging",
                  "pkg_resources.parse_version": "packaging"}


@dataclass(eq=False, repr=False)
class ExternalRef:
    """A module or object from outside Keras (``functools``, ``numpy``, ``tensorflow.nn``)."""

    path: str


@dataclass(eq=False, repr=False)
class ModuleRef:
    """A module of the analysed project, read for ``import x``: its top-level names."""

    scope: Any
    name: str


@dataclass(eq=False, repr=False)
class Builtin:
    """A Python built-in function or type, by name."""

    name: str


@dataclass(eq=False, repr=False)
class Partial:
    """``functools.partial(func, *args, **kwargs)``."""

    func: Any
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]


@dataclass(eq=False, repr=False)
class Function:
    """A function defined in the analysed source."""

    node: Any  # ast.FunctionDef
    scope: Any
    name: str
    defaults: Dict[str, Any]
    calls: int = 0
    top_level: bool = False
    #: For a method: the class whose body defines it (what ``super()`` starts from).
    owner: Optional["ClassValue"] = None
    #: The decorator (its text) the analysis does not follow that its name holds it under (a DecoratedFunction).
    decorated: str = ""
    #: For a method: "static" (``@staticmethod``), "class" (``@classmethod``), or "" (bound to the instance).
    kind: str = ""
    #: For the ``__init__`` of a plain class of the analysed file that may build a model: that class, whose
    #: instance it is run on at the end if nothing instantiated the class (``Interpreter.run_uncalled``).
    probe_class: Optional["ClassValue"] = None
    #: For a ``@property`` getter of a plain class: its ``@<name>.setter``, run when the attribute is assigned.
    setter: Optional["Function"] = None


def bind_method(member: Any, obj: Any, cls: Any) -> Any:
    """``member`` of class ``cls`` read through ``obj`` (an instance, or the class itself): a method is bound to the
    instance (read through the class, it is the plain function), a class method to the class, a static method to
    nothing."""
    if not isinstance(member, Function) or member.kind == "static":
        return member
    if member.kind == "class":
        return Partial(member, (cls,), {})
    return member if obj is cls else Partial(member, (obj,), {})


@dataclass(eq=False, repr=False)
class ClassValue:
    """A subclass of ``keras.Model`` defined in the analysed code, or a plain class (``plain``)."""

    name: str
    #: Base classes: other :class:`ClassValue`, ``KerasRef`` to ``keras.Model``, or values not understood.
    bases: Tuple[Any, ...]
    #: Methods by name (:class:`Function`; an ``Unknown`` for a decorated one) and class attributes.
    members: Dict[str, Any] = field(default_factory=dict)
    #: The method resolution order over the classes of the file, this class first.
    mro: List["ClassValue"] = field(default_factory=list)
    #: For a class that is not a model (extract/plain.py): "plain", "dataclass" or "namedtuple".
    plain: str = ""
    #: A subclass of ``keras.layers.Layer`` (directly or through classes of the file), not of ``keras.Model``.
    layer: bool = False
    #: For a subclass of a concrete Keras layer (``class DepthwiseConv2D(Conv2D)``, directly or through
    #: classes of the file): that layer's catalogue name; "" otherwise.
    keras_layer: str = ""
    #: A subclass of ``keras.Sequential`` (directly or through classes of the file): an instance is a Sequential model
    #: of the class's name, which its ``__init__`` fills (``super().__init__(layers)``, ``self.add(...)``).
    sequential: bool = False
    #: For a dataclass or NamedTuple: its fields in order (its generated ``__init__``'s parameters, but those in
    #: ``no_init``).
    fields: List[str] = field(default_factory=list)
    #: For a dataclass: its fields given ``dataclasses.field(default_factory=f)``, by name (``f`` makes each
    #: instance's value), and those given ``init=False``.
    factories: Dict[str, Any] = field(default_factory=dict)
    no_init: frozenset = frozenset()
    #: For a plain class: its ``class`` statement (read by extract/callbacks.py).
    node: Any = None
    #: For a model or layer class: its ``class`` statement (read by keras_calls ``fixed_weights_model``).
    statement: Any = None
    #: For a plain class: the names its own properties and members under decorators not followed take (Python reads
    #: and sets them before an instance's own attributes: extract/plain.py).
    descriptors: Set[str] = field(default_factory=set)
    #: The methods the class body defines under ``@abc.abstractmethod``, and whether its metaclass is ``abc.ABCMeta``
    #: (a base ``abc.ABC``, or ``metaclass=abc.ABCMeta``; then Python refuses to make an instance of a class that
    #: leaves one abstract).
    abstract: Set[str] = field(default_factory=set)
    abc: bool = False
    #: For a test case: a base of its own is ``unittest.TestCase`` itself, whose ``setUp`` and ``tearDown`` do nothing.
    unittest_base: bool = False


def abstract_left(cls: "ClassValue") -> List[str]:
    """The methods an instance of ``cls`` would leave abstract, when its metaclass is ``abc.ABCMeta`` (Python then
    refuses to make one: TypeError); sorted, empty when none or when the class is not an ABC."""
    if not cls.abc:
        return []
    owners = {name: next(c for c in cls.mro if name in c.members) for c in cls.mro for name in c.abstract}
    return sorted(name for name, owner in owners.items() if name in owner.abstract)


def c3_mro(cls: "ClassValue") -> Optional[List["ClassValue"]]:
    """Python's method resolution order (C3) over the classes of the file, ``cls`` first; None where Python raises
    TypeError (no consistent order)."""
    parents = [b for b in cls.bases if isinstance(b, ClassValue)]
    if len(parents) <= 1:
        return [cls, *(parents[0].mro if parents else [])]
    seqs = [list(b.mro) for b in parents] + [parents]
    out = [cls]
    while any(seqs):
        for seq in seqs:
            head = seq[0] if seq else None
            if head is not None and not any(head in s[1:] for s in seqs):
                break
        else:
            return None
        out.append(head)
        seqs = [s[1:] if s and s[0] is head else s for s in seqs]
    return out


@dataclass(eq=False, repr=False)
class SuperRef:
    """``super()`` in a method of ``cls``, bound to ``obj``."""

    cls: ClassValue
    obj: Any


@dataclass(eq=False, repr=False)
class LambdaValue:
    """A ``lambda`` of the analysed source."""

    node: Any  # ast.Lambda
    scope: Any
    defaults: Dict[str, Any]


def plain_model_attribute(value: Any) -> bool:
    """A value that a functional model or a Sequential keeps as a plain attribute when the code sets one on it
    (``model.output_length = lambda x: x``): a function of the code or a constant, which holds no layer, model or
    tensor (Keras would track those), so that reading the attribute back gives the value itself."""
    if isinstance(value, (Function, LambdaValue)):
        return True
    if isinstance(value, Partial):
        return plain_model_attribute(value.func) and all(plain_model_attribute(v) for v in value.args) and \
            all(plain_model_attribute(v) for v in value.kwargs.values())
    if isinstance(value, tuple):
        return all(plain_model_attribute(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


#: How the reason of an :class:`OpaqueCallable` starts for a class whose base the analysis does not know
#: (``class Attention(object if debug_flag else Layer)``): whether its instances are layers is not known.
UNKNOWN_BASE = "`{}`, whose base class is not known"


@dataclass(eq=False, repr=False)
class OpaqueCallable:
    """A callable the analysis cannot see into (a custom layer class, an imported helper).

    ``fresh``: made by a library the analysis does not read (KerasHub's ``from_preset``, TensorFlow Hub's
    ``KerasLayer``) from constants alone, so it holds none of the analysed code's layers: its ``trainable``
    setter changes no flag of theirs.

    ``sets_trainable``: a class of the analysed code (or one of its bases) that the analysis does not run sets
    some ``trainable`` flag (``layer.trainable = False`` in a method): a model or layer given to it may be changed."""

    text: str
    reason: str
    fresh: bool = False
    sets_trainable: bool = False


@dataclass(eq=False, repr=False)
class DecoratedFunction(OpaqueCallable):
    """A function of the analysed code under a decorator the analysis does not follow (``@ex.capture``,
    ``@click.command()``): what the name holds may call it with other arguments, or not at all. A call of it is
    not followed; the function itself is run as an uncalled one (with its default arguments)."""

    #: The function under the decorator (None where it is not one of the file's).
    wrapped: Any = None


@dataclass(eq=False, repr=False)
class CachedFunction:
    """A function under ``functools.lru_cache``/``functools.cache``: its first call runs it; a later call may return
    that first result, the same object (the same layers, shared), which is not followed."""

    func: Any
    name: str
    calls: int = 0


@dataclass(eq=False, repr=False)
class CallbackClass(OpaqueCallable):
    """A class of the analysed code derived from ``keras.callbacks.Callback`` or ``CallbackList``
    (extract/callbacks.py): not run, but read for what it may do to a model it is given."""

    #: It and its bases of the analysed code define no ``set_model`` and change no model (callbacks.py).
    safe: bool = False
    #: A ``CallbackList``: its ``set_model`` gives the model to each callback it holds.
    is_list: bool = False
    #: Its ``class`` statement and those of its bases in the analysed code (what Keras may run), each
    #: with the scope around it (where the names its methods call are looked up).
    nodes: Tuple[Any, ...] = ()
    #: Its plain methods (extract/callbacks.py ``methods``) by name, each with the tree of the module whose
    #: code defines it: what ``cb.name(...)`` of an instance runs.
    methods: Dict[str, Tuple["Function", Any]] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class CallbackInstance(OpaqueCallable):
    """An instance of a :class:`CallbackClass`; for a ``CallbackList``, the callbacks it was given
    (None when they are not known)."""

    safe: bool = False
    is_list: bool = False
    items: Optional[List[Any]] = None
    nodes: Tuple[Any, ...] = ()
    #: Its class's plain methods (see :class:`CallbackClass`).
    methods: Dict[str, Tuple["Function", Any]] = field(default_factory=dict)
    #: The attributes the analysed code assigned on it (``cb.name = ...``: an instance attribute hides a method).
    assigned: Set[str] = field(default_factory=set)
    #: Its attributes and their values, from its ``__init__`` and what the analysed code assigned since
    #: (extract/callbacks.py ``store``); None once they are not known.
    attrs: Optional[Dict[str, Any]] = None
    #: The depth of undecided branches and of runs that are undone (Interpreter.snapshot) it was made at: an
    #: assignment at another depth leaves its attributes unknown.
    depth: Tuple[int, int] = (0, 0)
    #: The names its classes' bodies bind otherwise than as a plain method (an assignment of one is not followed).
    bound: frozenset = frozenset()
    #: Why its attributes are no longer known (it was handed to code the analysis does not see).
    tainted: Optional[Any] = None


@dataclass(eq=False, repr=False)
class MetricClass(OpaqueCallable):
    """A class of the analysed code derived from a Keras metric or loss class (``class RMSE(keras.metrics.Metric)``,
    ``class Focal(keras.losses.Loss)``) whose body makes no layer, not run: an instance holds no layer of a model that
    keeps it and no weight Keras counts in one (a model tracks its metrics apart from its layers: their variables are
    not its weights)."""

    #: The Keras class it derives from.
    base: str = ""


@dataclass(eq=False, repr=False)
class MetricInstance(OpaqueCallable):
    """An object of a :class:`MetricClass`: not followed (as any object of a class not run), but an attribute of a
    model holding it tracks no layer and no weight."""


@dataclass(eq=False, repr=False)
class SetModel(OpaqueCallable):
    """``cb.set_model`` of a :class:`CallbackInstance`: Keras's own method, which only stores the model."""

    instance: Any = None


@dataclass(eq=False, repr=False)
class LayerObj:
    """A Keras layer object: its uid in the graph's layers."""

    uid: int


@dataclass(eq=False, repr=False)
class Tensor:
    """A symbolic Keras tensor."""

    ref: TensorRef


@dataclass(eq=False, repr=False)
class ArrayValue:
    """A NumPy array whose shape is known (see :mod:`kerascount.extract.arrays`); never its values.

    ``shape[0]`` is the number of samples, None when not known.
    """

    shape: Tuple[Optional[int], ...]
    #: A 1-D array of sequences of different lengths (imdb, reuters).
    ragged: bool = False
    #: For labels: how many classes they have, when the dataset fixes it.
    classes: Optional[int] = None
    #: Set when something the analysis cannot follow may have changed the array in place.
    tainted: Optional[Unknown] = None
    #: An integer array whose values lie in ``range(below)`` (``np.random.randint(0, 4, n)``, labels):
    #: what an index array needs to pick rows (``np.eye(4)[y]``).
    below: Optional[int] = None
    #: A batch a dataset gave (``for x, y in ds.take(1)``): it holds one sample at least, whatever its size.
    nonempty: bool = False
    #: An array of booleans: a comparison of arrays (``y == 0``, ``x[:, 0] > 0.5``), ``&``/``|``/``^``/``~`` of such
    #: masks. Indexing with it picks the rows where it is true (``x[y == 0]``: arrays.subscript).
    boolean: bool = False
    #: A SciPy sparse matrix (what OneHotEncoder gives unless told otherwise): ``toarray()``/``todense()`` make it dense.
    sparse: bool = False
    #: Whether each item of a 1-D array is nonzero (None where not known), when every backend's values settle it
    #: although the values are not kept (``ops.linspace(0.0, 0.1, 12)``: 0 first, then positive numbers), so that
    #: ``if rate:`` on an item is decided; for a 0-d item, ``(truth,)``.
    truths: Optional[Tuple[Optional[bool], ...]] = None

    def __post_init__(self) -> None:
        self.shape = plain_ints(self.shape)  # NumPy's shapes hold Python ints (np.zeros((np.prod(s), 3)).shape)

    def derived(self, shape: Tuple[Optional[int], ...]) -> "ArrayValue":
        """An array computed from this one (arithmetic, astype, expand_dims...) with ``shape``."""
        same = shape == self.shape
        return ArrayValue(shape, ragged=self.ragged and same, classes=self.classes if same else None)


@dataclass(eq=False, repr=False)
class ValuedArray(ArrayValue):
    """A short 1-D NumPy array whose values the source fixes (``np.insert(np.arange(3, dtype=np.float32), 0, 0)``,
    ``2 ** exp``, ``.astype(int)``): an item of an integer one is a NumPy integer (a layer's width). ``values`` is
    None once they are not known (an in-place change the analysis cannot follow, a view of it taken: arrays.py)."""

    values: Optional[Tuple[Any, ...]] = None
    #: "int64", "int32", "float32" or "float64".
    dtype: str = "float64"
    #: Made by a ``keras.ops`` function run at once (``ops.arange(2, 6)``): a tensor of the backend, not a NumPy array.
    #: Their integer arithmetic gives the same numbers; true division gives float64 or float32 by backend (not kept).
    tensor: bool = False
    #: The run it was made in (``valued_era``): a run of a function nothing calls (Interpreter.snapshot) begins a
    #: new one, and an array an earlier run made loses its values when that run changes it (it never ran).
    era: int = field(default_factory=lambda: valued_era())

    __setattr__ = _logged_setattr(frozenset({"values"}))


@dataclass(eq=False, repr=False)
class RangeValue:
    """``range(start, stop, step)`` with known bounds."""

    start: int
    stop: int
    step: int

    @property
    def length(self) -> int:
        """Its number of items: not ``len()``, which raises OverflowError past sys.maxsize (range(2**70))."""
        if self.step > 0:
            return max(0, (self.stop - self.start + self.step - 1) // self.step)
        return max(0, (self.start - self.stop - self.step - 1) // -self.step)


@dataclass(eq=False, repr=False)
class ListValue:
    """A Python list whose items the analysis follows (``tainted``: why some are not known)."""

    items: List[Any]
    tainted: Optional[Unknown] = None
    #: Bumped by every in-place change (lets the interpreter see what a branch changed).
    version: int = 0
    #: When it was made (:func:`born_mark`): an undecided branch that changes a list made before it, which the
    #: branch's names do not reach (a function's default, a list a called function changes), makes it unknown.
    born: int = field(default_factory=_BORN.__next__)
    #: How many times code not followed may have changed it after it was no longer known (``taint`` again): a size
    #: read from it after such a change is another symbol (``interpreter._value_key``). Not a change a branch undoes.
    retainted: int = 0

    __setattr__ = _logged_setattr(frozenset({"tainted", "version"}))


def set_member(v: Any) -> bool:
    """A value a set the analysis follows may hold: an int, float, str, bytes, bool or None, or a tuple of them
    (what Python hashes by value, so ``==`` and membership are Python's own on them)."""
    if type(v) is tuple:
        return all(set_member(x) for x in v)
    return v is None or type(v) in (int, float, str, bytes, bool)


#: Why the analysis does not iterate a set (SetValue.ordered).
SET_ORDER = "a set iterates in the order of its items' hashes and of how Python built its table, which the " \
            "analysis does not follow; `sorted(...)` of it has a known order"


@dataclass(eq=False, repr=False)
class SetValue:
    """A Python ``set`` (``frozenset`` when ``items`` is one) of plain constants (:func:`set_member`): the Python set
    the program's own operations make. ``tainted``: why its items are no longer known (a change the analysis does
    not follow: ``s.remove(x)``, code not followed it was given to).

    The order a set iterates in depends on the items' hashes (a string's changes from run to run) and on the history
    of its table (how Python built it, what it removed), which the analysis does not model: only a set that can hold
    each item in its own slot, whatever its history, iterates in an order the analysis knows (``ordered``)."""

    items: Any  # a set or a frozenset
    tainted: Optional[Unknown] = None
    version: int = 0
    born: int = field(default_factory=_BORN.__next__)
    retainted: int = 0  # (as ListValue's)

    __setattr__ = _logged_setattr(frozenset({"tainted", "version"}))

    @property
    def kind(self) -> str:
        return "frozenset" if type(self.items) is frozenset else "set"

    def ordered(self) -> bool:
        """Whether iterating it gives its items in an order the analysis knows: at most one item, or integers from
        0 to 7, each of which sits in the slot its value names in any table (8 slots or more) that no removal left
        a dummy in (the analysis leaves unknown a set anything was removed from in place), so that Python iterates
        them in ascending order."""
        return self.tainted is None and (len(self.items) <= 1 or all(
            type(x) in (int, bool) and 0 <= x < 8 for x in self.items))


@dataclass(eq=False, repr=False)
class DictValue:
    """A Python dict whose items the analysis follows."""

    items: Dict[Any, Any]
    tainted: Optional[Unknown] = None
    version: int = 0
    born: int = field(default_factory=_BORN.__next__)
    retainted: int = 0  # (as ListValue's)

    __setattr__ = _logged_setattr(frozenset({"tainted", "version"}))


@dataclass(eq=False, repr=False)
class OneShot:
    """An iterator kept in a name (``pairs = zip(names, sizes)``, ``it = iter(xs)``, ``m = map(int, words)``): what
    it gives, computed when it was made, and the lists and dicts it reads with their versions then. Iterating it
    gives its items once (a second ``list(pairs)`` is empty, as in Python); where one of those lists or dicts changed
    in between (Python reads them as it iterates), or under a condition the analysis cannot decide, its items are
    not known."""

    items: List[Any]
    sources: Tuple[Tuple[Any, int], ...]
    what: str
    depth: int = 0
    tainted: Optional[Any] = None
    #: When it was made (:func:`born_mark`): one made before the run of a function nothing calls may have been
    #: iterated before that function is called; one the run made is the run's own.
    born: int = field(default_factory=_BORN.__next__)

    __setattr__ = _logged_setattr(frozenset({"items", "tainted"}))


class ViewItems(tuple):
    """What ``d.keys()``, ``d.values()`` or ``d.items()`` gives where it is read at once (``Model(inputs=d.values())``):
    its items as a tuple, for whatever reads them, marked as a dict view, which Keras takes neither as a layer's
    input nor as a model's inputs or outputs (ValueError: it is no tensor, nor a list or tuple of them)."""

    __slots__ = ()


@dataclass(eq=False, repr=False)
class DictView:
    """``d.keys()``, ``d.values()`` or ``d.items()`` kept in a name: it shows the dict as it is when it is read."""

    d: Any
    kind: str


@dataclass(eq=False, repr=False)
class GeneratorValue:
    """What calling a generator function of the analysed code gives (a function whose body holds ``yield``).

    As in Python, its body runs when something iterates it (``list(gen())``, ``*gen()``, a ``for`` loop), not at
    the call; it then runs to its end at once and ``items`` holds what it yielded (``tainted``: why they are not
    known: the body went through code the analysis does not follow). A second iteration gives nothing."""

    fn: Any  # Function
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]
    call: Any  # the ast.Call, or None
    open_kwargs: Any = None
    ran: bool = False
    consumed: bool = False
    items: List[Any] = field(default_factory=list)
    tainted: Optional[Unknown] = None
    #: How many undecided conditions held its call: iterated under more, it is not run (another way through them
    #: may iterate it first).
    depth: int = 0

    __setattr__ = _logged_setattr(frozenset({"ran", "consumed"}))


@dataclass(eq=False, repr=False)
class BoundMethod:
    """A method of a value, bound to it (``obj.name``)."""

    obj: Any
    name: str


@dataclass(eq=False, repr=False)
class ModelBuilder:
    """A model under construction: Sequential grows with ``.add``; functional is fixed.

    Both sides' (extract/graph.py; not split yet): the graph records and reads most fields
    (``Graph.model_def``, ``model_layer``, trainable flags, applications); only the evaluator uses
    ``declared_input``, ``single_input``/``single_output``/``outputs_list``, ``initialized``, ``attrs``,
    ``containers``, ``version``, ``parent`` and ``graph_tensors`` (``Graph.snapshot`` copies them with the rest);
    the graph reads the name of ``cls`` and the input node of ``app_tensors`` (``Tensor`` handles) too.
    """

    kind: str
    span: Span
    index: int
    name: Optional[str] = None
    layers: Tuple[int, ...] = ()
    input_layer: Optional[int] = None
    build_shape: Any = None
    #: A custom layer's ``input_shape=``/``input_dim=`` given to ``Layer.__init__`` (Keras keeps it as
    #: ``_input_shape_arg``: a Sequential the layer starts gets an InputLayer of that shape).
    declared_input: Any = None
    inputs: Tuple[TensorRef, ...] = ()
    outputs: Tuple[TensorRef, ...] = ()
    single_input: bool = True
    single_output: bool = True
    #: The outputs were given as a Python list (``Model(x, [a, b])``): calling the model returns a list, as
    #: Keras packs its outputs in the structure they were given in (a tuple for a tuple).
    outputs_list: bool = False
    #: The keys of the dict a custom layer's ``call`` returned (sorted: Keras flattens a dict of outputs in the
    #: order of its sorted keys), so that calling it gives that dict; None for any other output.
    output_keys: Optional[Tuple[str, ...]] = None
    #: ``"tuple"`` or ``"list"`` when the ``call`` of a custom layer or subclassed model returned a flat tuple or list
    #: of tensors (``return (x,)``): calling it gives one too, even of one tensor; None for any other output.
    output_container: Optional[str] = None
    #: The keys of the dict a functional model's outputs (inputs) were given in, in its order: ``model.output``
    #: (``model.input``) and calling the model give that dict; ``outputs`` holds its tensors in the order of the
    #: sorted keys (Keras's ``tree.flatten``).
    outputs_dict: Optional[Tuple[str, ...]] = None
    inputs_dict: Optional[Tuple[str, ...]] = None
    #: A functional model's outputs were given as a list or tuple holding a list, tuple or dict
    #: (``Model(x, [seq, [h, c]])``): ``outputs`` holds them flattened, as Keras 3's ``tree.flatten``; the structure
    #: ``model.output`` and a call of the model give is not followed.
    outputs_nested: bool = False
    unresolved: Optional[Unknown] = None
    caveat: Optional[str] = None
    #: The function nothing calls whose run made it (``Interpreter.uncalled``; None: the script's own run).
    run_of: Optional[str] = None
    trainable: Any = True
    keras_name: str = ""
    implicit_input: bool = False
    built_by_node: Optional[int] = None
    application: Any = None
    app_counters: Tuple[Tuple[str, int], ...] = ()
    app_layers: Optional[Tuple[int, ...]] = None
    compile: Any = None
    #: The last ``compile`` was made by code of another project file (a library's agent compiles the model it is
    #: given): the loss rules, which judge this file's ``compile``, do not read it.
    compile_elsewhere: bool = False
    #: For an application: its input and output tensors, made when ``.input``/``.output`` is read.
    app_tensors: Any = None
    #: For an application given ``input_tensor=``: that tensor, the inputs it comes from (the model's inputs),
    #: and ``app.output`` (the application's layers applied to it).
    app_input: Optional[TensorRef] = None
    app_sources: Tuple[TensorRef, ...] = ()
    app_output: Optional[TensorRef] = None
    #: The LayerDef standing for this model when it is used as a layer.
    layer_uid: Optional[int] = None
    #: For a subclassed model: its class, its attributes, and whether ``super().__init__()`` has run
    #: (``layers`` are then the layers Keras tracks, in the order it tracks them).
    cls: Optional[ClassValue] = None
    attrs: Dict[str, Any] = field(default_factory=dict)
    initialized: bool = False
    #: Lists and dicts held by attributes, with the version whose layers are tracked.
    containers: List[Tuple[Any, int]] = field(default_factory=list)
    #: Attributes set through ``self.__dict__.update(...)`` that hold layers Keras does not track, with the reason
    #: the model is unknown if its ``call`` reads one (``Interpreter.set_untracked``).
    untracked: Optional[Dict[str, Any]] = None
    #: Bumped by every attribute assignment (lets the interpreter see what a branch changed).
    version: int = 0
    #: Node ids ``[start, end)`` made by running ``call()`` on the model's first input.
    call_nodes: Optional[Tuple[int, int]] = None
    #: A call of it not run (the object was not known) has used up the automatic names its ``call`` may make.
    names_spent: bool = False
    #: For a custom layer (a subclass of ``keras.layers.Layer``): the class is one, the weights its
    #: ``build`` adds with ``add_weight`` as (size, trainable), and the output shape its
    #: ``compute_output_shape`` gives when Keras reports that one rather than ``call``'s.
    custom_layer: bool = False
    own_weights: Tuple[Tuple[Any, Any], ...] = ()
    #: Where its own weights may not be float32 (ir.ModelDef.weight_dtype).
    weight_dtype: Optional[str] = None
    fixed_output: Any = None
    #: The first call was on symbolic tensors, where Keras takes the output shape from ``compute_output_shape``.
    symbolic_call: bool = False
    #: A custom layer with its own ``build`` whose symbolic call Keras answered from ``compute_output_shape``
    #: without running ``call``: the layers its ``build`` made stay unbuilt until ``call`` runs on data.
    call_skipped: bool = False
    #: A custom layer another custom layer's ``build`` built itself (``block.build(shape)``): its ``build`` ran
    #: then, for that shape, and Keras does not build it again.
    explicit_build: bool = False
    #: A Sequential built by Keras as a layer of another Sequential being built, or holding only its input and
    #: built by a call or ``build()``: its InputLayer and Functional have used up their automatic names (once).
    names_built: bool = False
    #: A subclassed model that ``fit``/``evaluate``/``predict`` built on data the analysis does not know, whose
    #: weights are the same whatever that data (keras_calls ``fixed_weights_model``): built, with those weights.
    built_unseen: bool = False
    #: A custom layer of ``keras.layers.Layer`` (no concrete layer's subclass) whose class defines no ``build``: it
    #: makes no weight when built (ir.ModelDef.builds_nothing).
    builds_nothing: bool = False
    #: For a subclass of a concrete Keras layer: the parent layer as ``super().__init__(...)`` configured it
    #: (a LayerDef that is no layer of the code: the catalogue reads its weights and output shape).
    parent: Any = None
    #: For a Sequential whose ``.input``/``.output`` was read: (its layer count then, input, output tensors).
    graph_tensors: Any = None
    #: ``ir.DataCall`` records of the data given to it (``fit``, ``predict``...).
    data_calls: Tuple[Any, ...] = ()
    #: The methods called on it (``fit``, ``predict``...), under whatever name the code holds it: (method, the span
    #: of the ``compile`` then in force or None, (line, column) of the call in the module), each once, in the order
    #: they first ran (``add_method_call``: a loop that runs a call many times adds it once).
    method_calls: Tuple[Tuple[str, Any, Any], ...] = ()
    #: The names the code bound it to (``model`` in the function that builds it, ``gen`` where it is called).
    names: FrozenSet[str] = frozenset()
    #: For a model made by a class: the first of its methods that replace how Keras trains or evaluates it
    #: (``train_step``, ``compute_loss``...), or the reason a base class not analysed may have one; None when none.
    own_training: Optional[str] = None
    #: For a Sequential without an input: why the data ``fit``/``predict``... built it on has no known shape.
    built_on_data: Optional[str] = None
    #: Keras raised on it at top level (``layers[0].set_weights(...)`` before it was built): the script stops
    #: there, so Keras 3 never has the numbers the code after it would give (why, in words).
    keras_raised: Optional[str] = None
    #: ``super().__init__()`` of a subclassed model reached a base class the analysis does not read (an import it
    #: cannot follow) before ``keras.Model``'s: why its numbers and name are not known (the model is reported).
    base_init: Optional[Unknown] = None
    #: The state of its ``MODEL_DEF_FIELDS``: a new number (never given out before) at each write of one of them.
    stamp: int = field(default_factory=next_stamp, init=False, compare=False)

    __setattr__ = _model_setattr(frozenset({"layers", "input_layer", "implicit_input", "unresolved", "version",
                                            "trainable"}))

    def taint(self, reason: Unknown) -> None:
        if self.unresolved is None:
            self.unresolved = reason

    def add_method_call(self, key: Tuple[str, Any, Any]) -> None:
        """``method_calls`` gets ``key`` unless it holds it already."""
        if key not in self.method_calls:
            self.method_calls = (*self.method_calls, key)

    def add_run(self, e: Any) -> None:
        """The model is run, not trained, at ``e``: called (``model(x)``, on arrays or tensors) or given to another
        model as a layer (``Sequential([model, ...])``, ``TimeDistributed(model)``), a use of it that is not
        training with its own loss (the loss rules ask whether the last compile's loss is ever used)."""
        self.add_method_call(("__call__", self.compile[1] if self.compile else None,
                              (e.lineno, e.col_offset) if hasattr(e, "col_offset") else None))

    def add_name(self, name: str) -> None:
        """``names`` gets ``name`` unless it holds it already."""
        if name not in self.names:
            self.names = self.names | {name}

    def restore(self, copy: "ModelBuilder", kept: Sequence[str] = ()) -> None:
        """Every field as ``copy`` (a ``dataclasses.replace`` of this model) holds it but those named in ``kept``,
        with a new stamp (``Graph.restore``: the state is that of no model before)."""
        d = self.__dict__
        keep = {name: d[name] for name in kept}
        d.update(copy.__dict__)
        d.update(keep)
        d["stamp"] = next_stamp()
        written = d.get("written")
        if written is not None:
            written[0].add(written[1])


def unfolds_beyond(value: Any, limit: int, holder: Any = None) -> bool:
    """Does ``value`` hold more than ``limit`` items, counting a nested container's items each time
    it occurs? Containers may share items (``x = [x, x]`` in a loop doubles what a walk over ``x``
    visits) or hold themselves; every walk over values (``tensors_in``, hashing a tuple) costs this.
    ``holder``: the container ``value`` was just put in (holding it again is a cycle).

    Linear in the distinct containers: each one's unfolded size is computed once.
    """
    if value is not holder:  # the common cases, at once: no container, or one of plain items
        if not isinstance(value, _CONTAINERS):
            return 0 > limit
        flat = value if isinstance(value, (tuple, list)) else _items(value)
        for x in flat:
            if isinstance(x, _CONTAINERS):
                break
        else:
            return len(flat) > limit
    sizes: Dict[int, int] = {}
    path = {id(holder)} if holder is not None else set()  # containers being walked: meeting one is a cycle
    stack: List[Tuple[Any, bool]] = [(value, False)]
    while stack:
        v, done = stack.pop()
        key = id(v)
        items = _items(v)
        if done:
            path.discard(key)
            sizes[key] = len(items) + sum(sizes.get(id(x), 0) for x in items)
            if sizes[key] > limit:
                return True
        elif key not in sizes:
            if key in path:
                return True
            path.add(key)
            stack.append((v, True))
            stack.extend((x, False) for x in items if isinstance(x, _CONTAINERS) and id(x) not in sizes)
    return False


_CONTAINERS = (tuple, list, ListValue, DictValue)


def _items(v: Any) -> Sequence[Any]:
    if isinstance(v, (tuple, list)):
        return v
    if isinstance(v, ListValue):
        return v.items
    return tuple(v.items.values()) if isinstance(v, DictValue) else ()


def tensors_in(v: Any) -> List[Tensor]:
    if isinstance(v, Tensor):
        return [v]
    if isinstance(v, tuple):
        return [t for x in v for t in tensors_in(x)]
    if isinstance(v, ListValue):
        return [t for x in v.items for t in tensors_in(x)]
    if isinstance(v, DictValue):
        return [t for k in sorted(v.items, key=str) for t in tensors_in(v.items[k])]
    return []


def has_tensor(v: Any) -> bool:
    if isinstance(v, Tensor):
        return True
    if isinstance(v, tuple):
        return any(has_tensor(x) for x in v)
    if isinstance(v, ListValue):
        return any(has_tensor(x) for x in v.items)
    return False


def same(a: Any, b: Any) -> bool:
    """Whether two values are the same for the analysis (what undecided branches both leave stays)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (int, float, str, bool, type(None), Expr, NumpyBool)):
        return a == b
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, KerasRef) and a.path != b.path and a.origin == b.origin:
        # The same layer class by two module paths (`keras.layers.core.Dense`, `keras.layers.Dense`): the one
        # class a call of either makes (extract/names.py reads them alike).
        from .names import classify

        kind, name = classify(a.path)
        return kind == "layer" and (kind, name) == classify(b.path)
    if isinstance(a, (KerasRef, ExternalRef)):
        return a.path == b.path  # `from tensorflow import keras` or `import keras`: the same Keras
    if isinstance(a, ModuleRef):
        return a.scope is b.scope
    return False


def structure_dict(keys: Tuple[str, ...], tensors: Sequence[Any]) -> "DictValue":
    """The dict a model gives back for outputs (inputs) given as a dict with ``keys``: ``tensors`` are in the order
    of the sorted keys (``tree.flatten``), the dict in the order of ``keys``."""
    order = sorted(keys)
    return DictValue({k: tensors[order.index(k)] for k in keys})


@dataclass
class SpecTensor:
    """``keras.KerasTensor(shape, dtype)`` made in a custom layer's ``compute_output_spec``: the layer's output
    shape (``ClassCalls.layer_output_spec``)."""

    shape: Any

