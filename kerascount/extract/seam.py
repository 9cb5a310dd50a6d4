"""The seam between the two halves of the interpreter: the Python evaluator and the Keras graph builder.

Both halves are mixins of :class:`~kerascount.extract.interpreter.Interpreter` and share one ``self``; what
each calls of the other is declared here, and ``tests/test_seam.py`` fails when a module of one half calls a
method of the other that is not declared (or when a declaration drifts from the method it names).

- The evaluator: ``statements``, ``imports``, ``control``, ``flags``, ``expressions``, ``calls`` and
  ``plain`` (objects of plain classes: settings, dataclasses, named tuples), with ``scopes``.
- The Keras side: ``keras_calls``, ``classes`` (subclassed models and custom layers), ``ops_calls``,
  ``masks``, ``live`` (shapes read while interpreting), ``params`` (parameters of uncalled builders) and
  ``builtin_calls`` (builtins and methods, through which most Keras objects are read: ``len(model.layers)``,
  ``model.add``). What they build is held by ``graph.Graph``, which never sees a syntax tree.

Nothing imports this module at run time: it is the declaration the tests hold the code to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol, Sequence, Tuple, Union

if TYPE_CHECKING:  # (names of the signatures only)
    import ast

    from ..ir import FloatSymbol, TensorRef, Unknown
    from .plain import PlainObject
    from .scopes import GlobalsRef, Scope
    from .values import (BoundMethod, ClassValue, DictValue, ExternalRef, Function, KerasRef, LayerObj, ListValue,
                         ModelBuilder, SuperRef, Tensor)

#: The modules of each half (``interpreter.py`` itself, the entry and the step count, belongs to both).
EVALUATOR_MODULES = ("statements", "imports", "control", "flags", "expressions", "calls", "plain", "patterns")
KERAS_MODULES = ("keras_calls", "builtin_calls", "classes", "ops_calls", "masks", "params", "live")


class KerasSide(Protocol):
    """What the evaluator calls of the Keras side."""

    # -- builtin_calls.py
    def layers_made_by(self, cls: Any, fn: Function, prefixes: set, depth: int = 0, seen: Optional[set] = None,
                       whole_mro: bool = False) -> bool:
        """Adds to ``prefixes`` the name prefixes of the Keras layers ``fn`` may make; False when it may make others
        the analysis cannot name."""

    def names_methods_may_use(self, cls: ClassValue, methods: Tuple[str, ...]) -> None:
        """Keras runs these methods of ``cls`` where the analysis does not follow them: the automatic names of the
        layer classes they may make are not known afterwards."""

    def call_builtin(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """A builtin (``len``, ``range``, ``isinstance``, ``zip``...) called on analysed values: Keras objects among
        them (``len(model.layers)``) are read here."""

    def call_external(self, func: ExternalRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """A function of a library the analysis models (NumPy, pandas, scikit-learn, ``keras.datasets``,
        ``tf.*``...): arrays with shapes, or an unknown with its reason."""

    def call_method(self, m: BoundMethod, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """A method of a value (``model.add``, ``layer.get_weights``, ``list.append``, ``str.format``...)."""

    def layer_class(self, obj: LayerObj) -> Any:
        """The class of a layer of a class ``keras.layers`` exports (``type(layer)``, ``layer.__class__``), as
        :class:`LayerClass`; None when not known (a custom layer, an operation, a nested model)."""

    def predicted(self, b: ModelBuilder, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """What ``model.predict(x)`` (or ``model(x)``) returns for an array ``x`` of known shape given to a built
        model of one input and one output: an array of its output's shape; None where not known."""

    def layer_subscripted(self, obj: LayerObj, parts: List[Any], e: Any) -> Any:
        """``Concatenate()[q, a]``: a layer of Keras's (or of a class of the file without ``__getitem__``) indexed as
        if it were a tensor or a list (``parts``: the index as written, split at its commas). Python raises TypeError
        (rule KC118); None for anything else."""

    def layer_name(self, obj: LayerObj) -> Optional[str]:
        """``layer.name``: the name Keras gave the layer (or the code set since); None when not known."""

    def same_class(self, a: Any, b: Any) -> Any:
        """Whether ``a`` and ``b``, one a :class:`LayerClass`, are the same class (``type(layer) is X``,
        ``layer.__class__ == X``): the exact class, not a base (an alias such as ``MaxPool2D`` is the class it
        names). None when not decided (a class outside ``keras.layers``, a Keras type not known)."""

    # -- classes.py
    def call_subclassed(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``model(x)``: the first call runs ``call`` on ``x`` (Keras builds the layers then)."""

    def eager_inputs(self, x: Any, e: Any, b_span: Any, nested: bool = False, top: bool = True) -> Any:
        """For a model called on an array of known shape, or on a tuple, list or dict (of string keys) of them: the
        same structure of input tensors of those full shapes; else None."""

    def instance_attribute(self, b: ModelBuilder, attr: str, e: Any) -> Any:
        """``self.attr`` on a subclassed model: an attribute, a method, a class attribute, or Keras's."""

    def run_on_data(self, b: ModelBuilder, what: str, e: Any) -> None:
        """``model(x)`` on arrays, ``fit``, ``predict``...: Keras runs the ``call`` of each layer of a functional model
        or a Sequential on the data."""

    def sequential_subclass_attribute(self, b: ModelBuilder, attr: str) -> Any:
        """``self.attr`` on an instance of a subclass of ``keras.Sequential``: an attribute it was given or a member
        of its class; None for Keras's own."""

    def instantiate(self, cls: ClassValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
            open_kwargs: Optional[Unknown]) -> Any:
        """``Net(...)``: run ``__init__`` on a new model; the model, or Unknown if Keras never initialised it."""

    def member(self, cls: ClassValue, attr: str, after: Optional[ClassValue] = None) -> Any:
        """``attr`` looked up along the class's method resolution order (after ``after``, for ``super()``)."""

    def method(self, node: ast.FunctionDef, cls: ClassValue, scope: Any, body_scope: Any) -> Any:
        """A method: it sees the names around the class, not the class body's (as in Python). A ``@staticmethod`` or
        ``@classmethod`` (Python's own, not a name the file rebinds) is followed, and so is a method under a
        decorator known to return the function itself (``@tf.function``); in a plain class, so is a ``@property``
        getter (reading the attribute calls it); any other decorator is not."""

    def model_class(self, node: ast.ClassDef, bases: Tuple[Any, ...], scope: Any, body_scope: Any) -> ClassValue:
        """A subclass of ``keras.Model``: its body runs in ``body_scope``, whose names become its members."""

    def set_attribute(self, b: ModelBuilder, attr: str, value: Any, e: Any) -> None:
        """``self.attr = value``: Keras tracks the layers in ``value`` now, in order."""

    def layer_appended(self, container: Any) -> None:
        """After a list grew in place: the models whose attributes hold it track its new layers now (in Keras's
        order, when layers are appended in turn to several lists)."""

    def set_untracked(self, b: ModelBuilder, attr: str, value: Any, e: Any) -> None:
        """``self.__dict__.update(...)``: the attribute is set without Keras's ``__setattr__`` (no layer tracked)."""

    def sublayer_build_method(self, base: Any, e: Any) -> Any:
        """``x.build`` read while a custom layer's ``build`` runs (``self.proj.build(shape)``): a Keras layer's is
        followed (``sublayer_build``); any other leaves the custom layer unresolved."""

    def super_attribute(self, ref: SuperRef, attr: str, e: Any) -> Any:
        """``super().attr`` in a method of a subclassed model or custom layer."""

    def super_ref(self, args: Tuple[Any, ...], current: Any, e: Any) -> Any:
        """``super()`` (``current`` is the method's own ``super()``) or ``super(Class, obj)``."""

    def trace_in_sequential(self, seq: ModelBuilder, e: Any, given: Any = None) -> None:
        """A Sequential with an input is rebuilt as a graph whenever it grows (one without an input, when it is
        first called): Keras then calls each layer on the previous one's output, which builds a custom layer (its
        ``build`` and ``call`` run). The layer is traced here on an input of the shape the Sequential gives it."""

    # -- keras_calls.py
    def constructor_raises(layer: Any) -> Optional[Tuple[str, str]]:  # (a static method)
        """As ``constructor_error``, with the Python exception class Keras raises ("" where not known: Python's
        TypeError or Keras's ValueError on arguments that cannot be bound)."""

    def apply_layer(self, obj: LayerObj, inputs: Any, e: Any, call_kwargs: Tuple[Tuple[str, Any], ...]=(),
            graph_inputs: Tuple[TensorRef, ...]=(), previous_mask: Any = ..., first: Any = ...) -> Any:
        """A node of ``obj`` on ``inputs``; ``previous_mask``: the mask Keras passes on, ``first``: the call's first
        argument, which a custom layer's ``compute_mask`` is given (extract/masks.py)."""

    def fresh_model(self, text: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                    custom_layers: bool = True) -> Any:
        """A model read from a file or copied (``load_model``, ``clone_model``...): the copy ``clone_model`` makes of
        a Sequential or functional model of built-in layers the analysis knows, or None, after using up the automatic
        names it makes
        (``custom_layers``: whether ``custom_objects=`` may make layers)."""

    def apptensors_in(self, b: ModelBuilder, e: Any) -> Tuple[Tensor, Tensor]:
        """The tensor the application's layers are applied to, and ``app.output``: the application's graph, shown as
        one layer (``app.input`` is the first unless ``input_tensor=`` came from other layers)."""

    def call_keras(self, ref: KerasRef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
            open_kwargs: Optional[Unknown]) -> Any:
        """A Keras class or function (``Dense(...)``, ``Sequential(...)``, ``keras.Input(...)``,
        ``layers.add(...)``, an application): a layer object, a model, a tensor or an unknown."""

    def call_layer(self, obj: LayerObj, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``layer(x)``: a node of the layer on ``x`` (the catalogue computes the output tensor's shape now)."""

    def new_layer(self, type_name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any, opaque: bool = False,
            open_kwargs: Optional[Unknown] = None) -> LayerObj:
        """A layer object. ``opaque``: not a Keras class at all (a custom layer, a helper)."""

    # -- live.py
    def layers_attribute(self, b: Any, e: Any) -> Any:
        """``model.layers`` of a Sequential or functional model, in Keras's order (a functional model's graph order,
        as ``model.summary()``; operations such as ``x + y`` are not layers). A nested model is itself in the list;
        an Unknown when the model is not known."""

    def shape_attribute(self, base: Any, attr: str, e: Any) -> Any:
        """``x.shape``, ``x.ndim``, ``layer.output``, ``model.output_shape``...; NOT_MINE when not one."""

    # -- ops_calls.py
    def new_operation(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
            open_kwargs: Optional[Unknown] = None) -> Any:
        """Operation ``name`` (a class of catalogue/ops.py) called on ``args``: its output tensor."""

    def tensor_comparison(self, op: str, a: Any, b: Any, e: Any) -> Any:
        """``a < b`` with a tensor operand; ``0 < x`` runs the tensor's reflected method, ``x > 0``."""

    def tensor_key(self, part: Any) -> Any:
        """One part of a tensor's subscript as an IR value: ``a:b:c`` a :class:`SliceKey`, ``np.newaxis`` None."""

    def tensor_operator(self, op: str, operands: Tuple[Any, ...], e: Any) -> Any:
        """``a <op> b`` or ``<op> a`` with a tensor operand: the operation ``KerasTensor``'s method makes."""

    # -- params.py
    def parameter_value(self: Any, p: Any) -> Any:
        """The value of parameter ``p`` (an ``ast.arg`` without a default) of a function nothing calls."""


class Evaluator(Protocol):
    """What the Keras side calls of the evaluator (to run the code of a ``call()``, a ``build()``, a Lambda's
    function, and to read values)."""

    # -- calls.py
    def call(self, func: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
            open_kwargs: Optional[Unknown] = None) -> Any:
        """Call ``func`` (any value) on the arguments: dispatches on its kind, here or to the Keras side."""

    def call_function(self, fn: Function, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Optional[ast.AST],
            defaults_run: bool = False, open_kwargs: Optional[Unknown] = None, generator_run: bool = False) -> Any:
        """Run a function of the analysed code on the arguments in a new scope; its return value."""

    def not_run(self, fn: Any, surely: bool = False) -> None:
        """A call of ``fn`` (a function of the file) that the analysis does not run, though Python may: if its body
        may make layers, the automatic names of the layers made after it are not known. ``surely``: only where
        its body is seen to make one (not where it merely calls what the analysis cannot name)."""

    def globals_method(self, ref: 'GlobalsRef', name: str, args: Tuple[Any, ...], e: Any) -> Any:
        """``globals().update({...})``, ``.get(name)``, ``.setdefault(...)``; anything else forgets them."""

    def one_shot_items(self, v: Any, take: Optional[int] = None) -> Optional[List[Any]]:
        """The items of an iterator kept in a name not yet taken (at most ``take``), which are then taken; None
        when they are not known."""

    def next_of_generator(self, gen: Any, default: Tuple[Any, ...], e: Any) -> Any:
        """``next(gen)`` of a generator of the analysed code: its next item (Python runs its body a step at a
        time; what the analysis cannot show of that is unknown)."""

    def opaque_call(self, text: str, reason: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
            e: Optional[ast.AST], instantiate: bool = False, sets_trainable: bool = False,
            session_run: bool = False) -> Any:
        """A call the analysis cannot see into. On tensors it becomes an unknown layer node (not for TensorFlow 1's
        ``sess.run(...)``, ``session_run``)."""

    # -- control.py
    def taint(self, value: Any, reason: Unknown) -> None:
        """Code the analysis cannot follow was given ``value``: what it may change in it becomes unknown with
        ``reason``."""

    # -- expressions.py
    def attribute(self, base: Any, attr: str, e: ast.AST) -> Any:
        """``base.attr`` on any value."""

    def binop(self, op: str, a: Any, b: Any, e: ast.AST) -> Any:
        """``a <op> b`` (``op`` named as in ``scopes._OPERATORS``) on analysed values: numbers, symbols, sequences,
        tensors."""

    def eval(self, e: ast.AST, scope: Scope) -> Any:
        """The value of expression ``e`` in ``scope``."""

    def float_symbol(self, e: Any, *values: Any) -> FloatSymbol:
        """A float computed from symbolic ``values`` (``n / 2``): unknown as a value; ``int()`` of it is a
        symbol."""

    def grown(self, container: Union[ListValue, DictValue], added: Any, e: Optional[ast.AST]) -> None:
        """After ``added`` went into ``container`` in place: if it made the container too large (or hold itself),
        the container is emptied and its content unknown."""

    def iterate(self, v: Any) -> Optional[List[Any]]:
        """The items a ``for`` loop over ``v`` would see, or None when they are not known."""

    def sequence(self, v: Any) -> Optional[Sequence[Any]]:
        """``v`` as a Python sequence of analysed values (a tuple, a list's items), or None."""

    def too_large(self, value: Any) -> bool:
        """Does a new value unfold to more items than the analysis follows (see ``unfolds_beyond``)?"""

    def truth(self, v: Any) -> Optional[bool]:
        """``bool(v)`` when it is known, else None."""

    # -- flags.py
    def set_class_attribute(self, cls: ClassValue, name: str, value: Any, e: Any) -> None:
        """``Net.UNITS = 5`` on a model class of the file: what its methods read from then on. (Under an undecided
        condition the attribute is unknown: class attributes are not undone per branch.)"""

    def set_trainable(self, obj: Any, value: Any, e: ast.AST, scope: Optional[Scope] = None) -> None:
        """``obj.trainable = value``: Keras's setter, applied to every layer ``obj`` holds."""

    # -- imports.py
    def origin_reason(self, text: str, func: Any) -> Optional[str]:
        """Why calling the name ``text``, bound by an import the analysis could not follow, is not analysed;
        else None."""

    # -- plain.py
    def dataclass_field(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``dataclasses.field(...)``: what ``plain_class`` reads of it, or None (arguments it does not follow:
        ``kw_only = ``, an unknown ``init=``)."""

    def dataclass_replace(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``dataclasses.replace(obj, **changes)``: a new instance made by the class's ``__init__`` from the fields
        of ``obj`` and the changes, as Python does (its ``__post_init__`` runs again); None when not followed."""

    def namedtuple_method(self, name: str, obj: PlainObject, args: Tuple[Any, ...], kwargs: Dict[str, Any],
            e: Any) -> Any:
        """``obj._replace(**changes)`` (a new instance; a name that is no field raises ValueError) and
        ``obj._asdict()`` (a dict of the fields in order) of a NamedTuple instance."""

    def namedtuple_new(self, base: ClassValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``super().__new__(cls, ...)`` in the ``__new__`` of a subclass of the namedtuple class ``base``."""

    def plain_member(self, cls: ClassValue, attr: str) -> Any:
        """``attr`` looked up on a plain (not Keras) class of the analysed code."""

    def run_generated_init(self, gen: ClassValue, obj: PlainObject, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                           e: Any, called: str) -> Optional[Unknown]:
        """The ``__init__`` that ``@dataclass`` generates for ``gen`` (or a NamedTuple's fields), run on ``obj``: the
        fields, in order, with their defaults (a default_factory is called for each instance, in the fields' order;
        an init=False field is no parameter), then ``__post_init__``. None when it ran, else why it did not (a call
        Python rejects: ``called`` names it)."""

    def plain_super_attribute(self, obj: PlainObject, owner: Any, attr: str, e: Any) -> Any:
        """``super().attr`` in a method of a plain class: the member of the next class in the instance's method
        resolution order, bound to it. ``object``'s ``__init__`` does nothing."""

    def set_plain_attribute(self, obj: PlainObject, attr: str, value: Any) -> None:
        """``obj.attr = value`` on an object of a plain class."""

    # -- statements.py
    def exec_stmt(self, stmt: Any, scope: Scope) -> None:
        """Run one statement in ``scope``."""

    def transparent_decorator(self, dec: ast.expr, scope: Scope) -> bool:
        """Is ``dec`` one known to return the function itself (``@tf.function``, ``@tf.function(jit_compile=True)``,
        ``@functools.wraps(f)``, ``@register_keras_serializable()``)?"""
