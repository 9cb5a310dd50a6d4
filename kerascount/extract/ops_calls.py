"""Operations on tensors: Python operators (``x + y``, ``-x``, ``x > 0``) and ``keras.ops`` calls.

Keras 3 records each as an operation of the functional graph (catalogue/ops.py): the interpreter
makes a :class:`~kerascount.ir.LayerDef` with ``operation=True``, named from the layers' counters,
and one :class:`~kerascount.ir.Node` on its tensor operands.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from .. import catalogue
from ..catalogue.ops import OPERATORS, REFLECTED
from ..ir import ConstantArray, DynamicSize, NumpyBool, NumpyFloat, NumpyInt, ShapeSize, SliceKey, Span, Unknown
from .values import AnalysisLimit, ExternalRef, LayerObj, ListValue, Tensor, tensors_in

#: Comparisons a tensor overloads (``x == y`` and ``x is y`` compare the objects).
TENSOR_COMPARISONS = frozenset(REFLECTED)


_REQ = "<required>"
_REDUCE = (("x", _REQ), ("axis", None), ("keepdims", False))
_UNARY = (("x", _REQ),)
#: Keras 2 backend (``K.sum``) and TensorFlow (``tf.reduce_sum``) functions in a Lambda's body: the ``keras.ops``
#: function with the same output shape, and the function's own parameters (name, default; None: required),
#: bound as written and passed on by the ``keras.ops`` names in the same order.
_BACKEND: Dict[str, Tuple[str, Tuple[Tuple[str, Any], ...]]] = {
    **{f"keras.backend.{fn}": (fn, _REDUCE) for fn in ("sum", "mean", "max", "min", "std", "var", "any", "all")},
    **{f"keras.backend.{fn}": (fn, (("x", _REQ), ("axis", -1))) for fn in ("argmax", "argmin", "softmax")},
    **{f"keras.backend.{fn}": (fn, _UNARY) for fn in (
        "square", "sqrt", "exp", "log", "abs", "tanh", "sigmoid", "softplus", "softsign", "sign", "cos", "sin",
        "round", "transpose", "stop_gradient")},
    "keras.backend.l2_normalize": ("normalize", _UNARY + (("axis", "<any>"),)),
    "keras.backend.cast": ("cast", (("x", _REQ), ("dtype", _REQ))),
    "keras.backend.maximum": ("maximum", (("x", _REQ), ("y", _REQ))),
    "keras.backend.minimum": ("minimum", (("x", _REQ), ("y", _REQ))),
    "keras.backend.pow": ("power", (("x", _REQ), ("a", _REQ))),
    "keras.backend.concatenate": ("concatenate", (("tensors", _REQ), ("axis", -1))),
    "keras.backend.expand_dims": ("expand_dims", (("x", _REQ), ("axis", -1))),
    "keras.backend.squeeze": ("squeeze", (("x", _REQ), ("axis", _REQ))),
    "keras.backend.reshape": ("reshape", (("x", _REQ), ("shape", _REQ))),
    "keras.backend.stack": ("stack", (("x", _REQ), ("axis", 0))),
    "keras.backend.permute_dimensions": ("transpose", (("x", _REQ), ("pattern", _REQ))),
    **{f"keras.backend.{fn}": (fn, (("x", _REQ), ("y", _REQ))) for fn in (
        "equal", "not_equal", "greater", "greater_equal", "less", "less_equal")},
    "tensorflow.transpose": ("transpose", (("a", _REQ), ("perm", None))),
    # (a bias broadcast on the last axes, as `x + bias`; Keras 2's data_format="channels_first" is not followed)
    "keras.backend.bias_add": ("add", (("x", _REQ), ("bias", _REQ))),
    "keras.backend.repeat_elements": ("repeat", (("x", _REQ), ("rep", _REQ), ("axis", _REQ))),
    **{f"tensorflow.{m}tensordot": ("tensordot", (("a", _REQ), ("b", _REQ), ("axes", _REQ), ("name", "<any>")))
       for m in ("", "linalg.")},
    # Keras 3's activation functions are keras.ops functions of the same shape (extra arguments keep it).
    **{f"keras.activations.{fn}": (twin, (("x", _REQ), *((p, "<any>") for p in extra))) for fn, twin, extra in (
        ("tanh", "tanh", ()), ("sigmoid", "sigmoid", ()), ("relu", "relu", ("negative_slope", "max_value", "threshold")),
        ("elu", "elu", ("alpha",)), ("selu", "selu", ()), ("softplus", "softplus", ()), ("softsign", "softsign", ()),
        ("silu", "silu", ()), ("swish", "silu", ()), ("exponential", "exp", ()), ("relu6", "relu6", ()),
        ("hard_sigmoid", "hard_sigmoid", ()), ("hard_silu", "hard_silu", ()), ("hard_swish", "hard_silu", ()),
        ("gelu", "gelu", ("approximate",)), ("leaky_relu", "leaky_relu", ("negative_slope",)))},
    **{f"tensorflow.{m}{fn}": (fn.replace("reduce_", ""), (("input_tensor", _REQ), ("axis", None), ("keepdims", False)))
       for m in ("", "math.") for fn in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_any",
                                         "reduce_all", "reduce_std")},
    **{f"tensorflow.{m}{fn}": (fn, (("x", _REQ),)) for m in ("", "math.") for fn in (
        "square", "sqrt", "exp", "abs", "tanh", "sigmoid", "sign", "cos", "sin")},
    "tensorflow.math.log": ("log", (("x", _REQ),)),
    **{f"tensorflow.{m}{fn}": (fn, (("x", _REQ), ("y", _REQ))) for m in ("", "math.") for fn in (
        "maximum", "minimum", "add", "subtract", "multiply")},
    # (`tf.pow(x, 3)`: elementwise, broadcast as keras.ops.power)
    **{f"tensorflow.{m}pow": ("power", (("x", _REQ), ("y", _REQ), ("name", "<any>"))) for m in ("", "math.")},
    # (TensorFlow's division: keras.ops's of the same broadcast shape; `tf.divide(pixels, 255.0)`)
    **{f"tensorflow.{m}{fn}": (twin, (("x", _REQ), ("y", _REQ))) for m in ("", "math.")
       for fn, twin in (("divide", "divide"), ("truediv", "true_divide"))},
    **{f"tensorflow.{m}l2_normalize": ("normalize", (("x", _REQ), ("axis", "<any>"))) for m in ("math.", "nn.")},
    # TensorFlow's NumPy (`tnp.maximum(x, 0)`): NumPy's broadcasting, as keras.ops
    **{f"tensorflow.experimental.numpy.{fn}": (fn, (("x1", _REQ), ("x2", _REQ))) for fn in ("maximum", "minimum")},
    "tensorflow.nn.relu": ("relu", (("features", _REQ),)),
    # TensorFlow's elementwise activations: the keras.ops function of the same shape (beta, alpha, approximate and
    # name change values only)
    **{f"tensorflow.nn.{fn}": (twin, (("features", _REQ), *((p, "<any>") for p in extra)))
       for fn, twin, extra in (("swish", "silu", ("beta",)), ("silu", "silu", ("beta",)), ("relu6", "relu6", ("name",)),
                               ("elu", "elu", ("name",)), ("selu", "selu", ("name",)), ("softsign", "softsign", ("name",)),
                               ("gelu", "gelu", ("approximate", "name")), ("leaky_relu", "leaky_relu", ("alpha", "name")))},
    **{f"tensorflow.{m}softplus": ("softplus", (("features", _REQ), ("name", "<any>"))) for m in ("nn.", "math.")},
    "tensorflow.nn.sigmoid": ("sigmoid", (("x", _REQ),)),
    "tensorflow.nn.tanh": ("tanh", (("x", _REQ), ("name", "<any>"))),  # (tf.math.tanh under another name)
    "tensorflow.nn.softmax": ("softmax", (("logits", _REQ), ("axis", -1))),
    "tensorflow.cast": ("cast", (("x", _REQ), ("dtype", _REQ))),
    "tensorflow.concat": ("concatenate", (("values", _REQ), ("axis", _REQ))),
    "tensorflow.expand_dims": ("expand_dims", (("input", _REQ), ("axis", _REQ))),
    "tensorflow.squeeze": ("squeeze", (("input", _REQ), ("axis", None))),
    "tensorflow.reshape": ("reshape", (("tensor", _REQ), ("shape", _REQ))),
    "tensorflow.stack": ("stack", (("values", _REQ), ("axis", 0))),
    # (a class token spread over the batch: `tf.broadcast_to(self.cls, [tf.shape(x)[0], 1, d])`)
    "tensorflow.broadcast_to": ("broadcast_to", (("input", _REQ), ("shape", _REQ))),
}
#: TensorFlow's pooling functions: the keras.ops operation class and the number of spatial axes (None: the input's).
_TF_POOLS: Dict[str, Tuple[str, Optional[int]]] = {
    **{f"tensorflow.nn.{kind}_pool{d}d": ("MaxPool" if kind == "max" else "AveragePool", d)
       for kind in ("max", "avg") for d in (1, 2, 3)},
    "tensorflow.nn.max_pool": ("MaxPool", None), "tensorflow.nn.avg_pool": ("AveragePool", None),
}
#: TensorFlow's moves between blocks of pixels and channels (``tf.nn.depth_to_space``...): which one.
_TF_BLOCKS = {f"tensorflow.{m}{fn}": fn for m in ("nn.", "compat.v1.", "compat.v1.nn.")
              for fn in ("depth_to_space", "space_to_depth")}
#: TensorFlow's local response normalization.
_TF_LRN = frozenset(f"tensorflow.{m}{fn}" for m in ("nn.", "compat.v1.nn.") for fn in ("lrn", "local_response_normalization"))
#: TensorFlow's layouts by number of spatial axes: (channels last, the default; channels first).
_TF_LAYOUTS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
#: Functions that make a tensor from a shape alone (``K.random_normal(shape=(K.shape(x)[0], 2))``), in a Lambda's
#: body or a traced ``call``: random values, or one value (``tf.ones((n, n))``).
_FROM_SHAPE = frozenset(("keras.backend.random_normal", "keras.backend.random_uniform", "tensorflow.random.normal",
                         "tensorflow.random.uniform", "keras.random.normal", "keras.random.uniform",
                         "tensorflow.ones", "tensorflow.zeros", "tensorflow.fill", "keras.backend.ones",
                         "keras.backend.zeros", "keras.ops.ones", "keras.ops.zeros", "keras.ops.full",
                         "keras.ops.numpy.ones", "keras.ops.numpy.zeros", "keras.ops.numpy.full"))
NOT_MINE = object()


class OpsCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    def tensor_operator(self, op: str, operands: Tuple[Any, ...], e: Any) -> Any:
        """``a <op> b`` or ``<op> a`` with a tensor operand: the operation ``KerasTensor``'s method makes."""
        if len(operands) == 2:
            refused = self.numpy_on_the_left(operands[0], operands[1], e)
            if refused is not None:
                return refused
        if op in OPERATORS and not isinstance(operands[0], str):  # `"%s" % x` formats a string
            return self.new_operation(OPERATORS[op], operands, {}, e)
        if op == "Equal":  # (asked only in traced code, whose backend tensors compare elementwise: ops.equal)
            return self.new_operation("Equal", operands, {}, e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def numpy_on_the_left(self, a: Any, b: Any, e: Any) -> Optional[Unknown]:
        """``a <op> x`` outside a traced call, ``x`` a symbolic tensor and ``a`` a NumPy scalar or array (or an array
        of data Keras computed at once: ``ops.cast(8, "float32") * x``): Python asks ``a``'s method first, and NumPy
        converts the KerasTensor to an array, which raises ValueError ("A KerasTensor is symbolic ... You cannot
        convert it to a NumPy array"); ``x`` never gets to answer, as it does for a Python number (``2.0 * x``).
        A NumPy scalar raises so with every backend; an array may be a backend tensor, which the numpy and jax
        backends' arrays also raise on (TensorFlow's hands the operation back to the KerasTensor): not known then.
        None for any other operands, and inside a traced call (the tensors there are the backend's)."""
        from ..symbolic import NumpyExpr
        from .values import ArrayNumber, ArrayValue

        if isinstance(a, Tensor) or not isinstance(b, Tensor) or self.graph.tracing is not None:
            return None
        if isinstance(a, (NumpyInt, NumpyFloat, NumpyBool, NumpyExpr, ArrayNumber)):
            return self.python_error("ValueError", f"Keras rejects it: `{self.code(e)}`: a NumPy scalar on the left of "
                                     "a symbolic tensor converts it to a NumPy array, which raises ValueError (\"A "
                                     "KerasTensor is symbolic\"); put the tensor first, or call a keras.ops function",
                                     e)
        if isinstance(a, ArrayValue):
            return self.unknown(f"`{self.code(e)}`: an array on the left of a symbolic tensor (NumPy's, or a tensor "
                                "computed at once) converts it to an array, which raises ValueError with NumPy's "
                                "arrays and with the numpy and jax backends' tensors (\"A KerasTensor is symbolic\"); "
                                "put the tensor first, or call a keras.ops function", e)
        return None

    def tensor_comparison(self, op: str, a: Any, b: Any, e: Any) -> Any:
        """``a < b`` with a tensor operand; ``0 < x`` runs the tensor's reflected method, ``x > 0``."""
        refused = self.numpy_on_the_left(a, b, e)
        if refused is not None:
            return refused
        if not isinstance(a, Tensor) and op in REFLECTED:
            op, a, b = REFLECTED[op], b, a
        return self.tensor_operator(op, (a, b), e)

    def new_operation(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                      open_kwargs: Optional[Unknown] = None) -> Any:
        """Operation ``name`` (a class of catalogue/ops.py) called on ``args``: its output tensor."""
        spec = catalogue.operation(name)
        if name in _CONSTANT_OPERANDS:
            # `x + pe` of an array made from numbers (`pe = ops.sin(ops.arange(n))`): a constant of that shape
            args = tuple(_constant(a) for a in args)
            kwargs = {k: _constant(v) for k, v in kwargs.items()}
        if name == "Einsum" and len(args) == 2 and isinstance(args[1], tuple):
            # `einsum("...d,de->...e", x, np.ones((25, 2)))`: an array among the operands, a constant of its shape
            args = (args[0], tuple(_constant(a) for a in args[1]))
        bound = dict(zip((a.name for a in spec.signature), args))
        bound.update(kwargs)
        if name == "ExtractPatches" and bound.get("data_format") is None and self.data_format != "channels_last":
            # Keras's standardize_data_format(None): the configuration the code set
            kwargs = {**kwargs, "data_format": self.data_format}
            args = args[:5]
        if name == "Reshape" and self.graph.tracing is not None:
            args, kwargs = self._open_reshape(args, kwargs, bound, e)
            bound = dict(zip((a.name for a in spec.signature), args))
            bound.update(kwargs)
            why = self._filled_minus_one(bound, e)
            if why is not None:
                return why
        if name == "Tensordot" and self.graph.tracing is not None:
            why = self._traced_tensordot(bound, e)
            if why is not None:
                return why
        operands = [bound[n] for n in spec.call_inputs if n in bound]
        for value in operands:
            hidden = _unknown_in(value)
            if hidden is not None:
                return hidden  # it may be a tensor: the graph is not known
        tensors = [t for value in operands for t in tensors_in(value)]
        if not tensors:
            return self.unknown(f"`{self.code(e)}` on values that are not tensors is not followed", e)
        if self.graph.layer_count() >= self.limits.layers:
            raise AnalysisLimit(f"analysis stopped: more than {self.limits.layers:,} layers created")
        layer = self.graph.record_operation(
            name, tuple(self._operand(a) for a in args), tuple((k, self._operand(v)) for k, v in kwargs.items()),
            self.span(e) if e is not None else Span(1, 1, 1, 1), open_kwargs=open_kwargs)
        if name == "Reshape" and self.graph.tracing is not None:
            items = _seq_items(bound.get("newshape"))
            if items and any(isinstance(d, ShapeSize) for d in items):
                layer.reads = tuple(items)
        out = self.apply_layer(LayerObj(layer.uid), ListValue(tensors), e)
        # An operation of several outputs returns them as a tuple (``ops.fft2``) or a list (``ops.split``).
        return ListValue(list(out)) if isinstance(out, tuple) and name in catalogue.ops.LIST_OUTPUTS else out

    def _open_reshape(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], bound: Dict[str, Any],
                      e: Any) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """``ops.reshape(x, (b, -1, c))`` in a traced ``call``, ``b = ops.shape(x)[0]``: Keras runs the call with
        each open size of the input set to one number (83, then 89: the numpy and JAX backends), so the -1 is the
        same in both runs, and static, when the new shape holds as many sizes read from ``ops.shape`` (ir.ShapeSize)
        as the input has open ones, its other sizes known: (None, 8, 8, 48) to (b, -1, 48) is (None, 64, 48).
        The arguments with that -1 worked out; as they were otherwise (the -1 then stays None)."""
        x, items = bound.get("x"), _seq_items(bound.get("newshape"))
        if not isinstance(x, Tensor) or not items:
            return args, kwargs
        opened = sum(1 for d in items if isinstance(d, ShapeSize))
        if not opened or sum(1 for d in items if type(d) is int and d == -1) != 1 or \
                not all(isinstance(d, ShapeSize) or type(d) is int and (d > 0 or d == -1) for d in items):
            return args, kwargs
        shape = self.tensor_shape(x, e)
        if not isinstance(shape, tuple) or not all(d is None or type(d) is int for d in shape):
            return args, kwargs
        # each open size of x is the same number as one size read with ops.shape (the same open size, reached
        # through operations that keep it: transposes, elementwise ones, matmul, a reshape that puts a read size
        # there...), one for one: then they cancel whatever Keras's run makes of them
        budget = [_ORIGIN_STEPS]
        found = [self._origin(x.ref, i, budget) for i, d in enumerate(shape) if d is None]
        wanted = [self._origin(d.ref, d.axis, budget) if d.ref is not None else None
                  for d in items if isinstance(d, ShapeSize)]
        if None in found or None in wanted or sorted(found, key=repr) != sorted(wanted, key=repr):
            return args, kwargs
        size, known = _known_products(shape, items)
        if size % known:
            return args, kwargs  # (Keras raises: left to the shape function)
        new = tuple(size // known if type(d) is int and d == -1 else d for d in items)
        if "newshape" in kwargs:
            return args, {**kwargs, "newshape": new}
        return args[:1] + (new,) + args[2:], kwargs

    def _filled_minus_one(self, bound: Dict[str, Any], e: Any) -> Optional[Unknown]:
        """``ops.reshape(x, (b, -1, c))`` in a traced ``call`` whose -1 ``_open_reshape`` could not work out: Keras
        runs the call with each open size of its inputs set to 83, then 89. When the new shape holds as many open
        sizes as ``x`` has, the number each run computes for the -1 may be the same in both (static: ``(None, 197,
        768)``), depending on what those open sizes are, which is not followed here: unknown (None would be a
        guess). With fewer (``(-1, c)``) the -1 grows with the filled size and is None, as the shape function says."""
        x, items = bound.get("x"), _seq_items(bound.get("newshape"))
        if not isinstance(x, Tensor) or not items or not any(type(d) is int and d == -1 for d in items):
            return None
        shape = self.tensor_shape(x, e)
        if not isinstance(shape, tuple):
            return None
        opened = sum(1 for d in shape if d is None)
        given = sum(1 for d in items if d is None or isinstance(d, DynamicSize))
        if opened and not given and all(d is None or type(d) is int for d in shape) and \
                all(isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1) for d in items):
            # (None, 14, 14, 16) to (-1, 240, 3136): in Keras's runs the -1 must split 83 × 3136 values, then 89 ×
            # 3136, into rows of 240 × 3136; where one does not divide, the reshape raises in that run
            size, known = _known_products(shape, items)
            for filled in (83, 89):
                if (size * filled ** opened) % known:
                    return self.unknown(
                        f"`{self.code(e)}`: Keras works out the -1 by running the `call` with each size the input "
                        f"leaves open set to 83, then 89; with {filled}, {size * filled ** opened:,} values do not "
                        f"fill rows of {known:,}, and the reshape raises (a Lambda's shape is then not inferred: "
                        "NotImplementedError); give the sizes, or `output_shape=`", e)
            return None
        if not opened or not given or (given < opened and
                                        not any(isinstance(d, DynamicSize) and not isinstance(d, ShapeSize)
                                                for d in items)):
            return None
        return self.unknown(f"`{self.code(e)}`: Keras works out the -1 by running the `call` with each size the input "
                            "leaves open set to a number (83, then 89); what it gets is not followed here", e)

    def _origin(self, ref: Any, axis: int, budget: List[int]) -> Optional[Tuple[Any, int]]:
        """The (tensor, axis) whose open size tensor ``ref``'s open ``axis`` is, in Keras's run of a traced call: the
        same number, followed back through operations that keep it where it is or move it (elementwise ones, a
        transpose, matmul, a reshape that puts a size read with ``ops.shape`` there, the batch axis of a catalogue
        layer) to where no such step leads further, at the latest to a tensor made before the trace (the call's
        input). None when that axis is not open, or when the steps ``budget`` allows run out."""
        shapes = self.graph.live_shapes()
        tracing = self.graph.tracing
        start = tracing.start if isinstance(getattr(tracing, "start", None), int) else \
            tracing.call_nodes[0] if isinstance(getattr(tracing, "call_nodes", None), tuple) else 0
        while True:
            budget[0] -= 1
            if budget[0] < 0:
                return None
            shape = shapes.tensor(ref, "shape")
            if not isinstance(shape, tuple) or not -len(shape) <= axis < len(shape) or \
                    shape[axis] is not None:
                return None
            axis %= len(shape)
            if ref.node < start:
                return ref, axis
            node = self.graph.node(ref.node)
            layer = self.graph.layer(node.layer)
            if layer.type == "InputLayer" or not node.inputs or self.graph.submodel(layer.uid) is not None:
                return ref, axis
            ahead = self._kept_from(layer, node, axis, len(shape), shapes, budget)
            if ahead is None:
                return ref, axis
            ref, axis = ahead

    def _kept_from(self, layer: Any, node: Any, axis: int, rank: int, shapes: Any,
                   budget: List[int]) -> Optional[Tuple[Any, int]]:
        """The input (tensor, axis) whose open size is output ``axis`` of this node, if one step shows it."""
        def open_at(refs: Any, axis_from_end: int) -> list:
            out = []
            for r in refs:
                sh = shapes.tensor(r, "shape")
                if not isinstance(sh, tuple):
                    return [None]
                if len(sh) >= axis_from_end and sh[-axis_from_end] is None:
                    out.append((r, len(sh) - axis_from_end))
            return out

        if not layer.operation:
            if axis or not layer.known or layer.type in ("Lambda", "TFOpLambda"):
                return None
            # the batch axis of a catalogue layer: the first axis of the one input whose first size is open
            got = [r for r in node.inputs if isinstance(shapes.tensor(r, "shape"), tuple) and
                   shapes.tensor(r, "shape")[:1] == (None,)]
            return (got[0], 0) if len(got) == 1 else None
        args = dict(zip((a.name for a in catalogue.operation(layer.type).signature), layer.args))
        args.update(layer.kwargs)
        if layer.type in _BATCH_KEEPING and (axis == 0 or layer.type != "ExtractPatches") or \
                layer.type in _SHAPE_KEEPING:
            return self._one_origin(open_at(node.inputs, rank - axis), budget)
        if layer.type == "Transpose" and len(node.inputs) == 1:
            axes = args.get("axes")
            if axes is None:
                return node.inputs[0], rank - 1 - axis
            if isinstance(axes, tuple) and len(axes) == rank and all(type(a) is int for a in axes):
                return node.inputs[0], axes[axis] % rank
            return None
        if layer.type == "Swapaxes" and len(node.inputs) == 1:
            one, two = args.get("axis1"), args.get("axis2")
            if type(one) is not int or type(two) is not int or not (-rank <= one < rank and -rank <= two < rank):
                return None
            one, two = one % rank, two % rank  # (each other axis stays where it is)
            return node.inputs[0], two if axis == one else one if axis == two else axis
        if layer.type == "Split" and len(node.inputs) == 1:
            cut = args.get("axis", 0)  # (each piece keeps every other axis of its input: `q, k, v = ops.split(qkv, 3, -1)`)
            return (node.inputs[0], axis) if type(cut) is int and -rank <= cut < rank and cut % rank != axis else None
        if layer.type == "Reshape" and len(node.inputs) == 1:
            item = layer.reads[axis] if len(layer.reads) == rank else None
            return (item.ref, item.axis) if isinstance(item, ShapeSize) and item.ref is not None else None
        if layer.type == "Matmul" and len(node.inputs) == 2 and rank >= 3:
            a, b = node.inputs
            if axis == rank - 2:
                got = open_at([a], 2)
            elif axis == rank - 1:
                got = open_at([b], 1)
            else:
                got = open_at([a, b], rank - axis)
            return self._one_origin(got, budget)
        return None

    def _one_origin(self, got: list, budget: List[int]) -> Optional[Tuple[Any, int]]:
        """The origin (``_origin``) that the open input axes ``got`` share, each the output's axis where they
        broadcast: the same number; None when they have several, or a shape is not known (``got`` holds None)."""
        if not got or None in got:
            return None
        origins = {self._origin(r, a, budget) for r, a in got}
        return origins.pop() if len(origins) == 1 and None not in origins else None

    def backend_operation(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``K.sum(x, axis=1)``, ``tf.reduce_mean(x, 1)``... in the body of a Lambda Keras traces, or in a layer's
        or model's ``call`` (which the TensorFlow backend traces with TensorFlow tensors): the ``keras.ops``
        operation of the same shape (Keras 2's defaults: ``K.concatenate`` on the last axis); ``K.shape(x)`` the
        shape (as ``keras.ops.shape``); ``tf.range`` as ``keras.ops.arange``; NOT_MINE outside a traced body or for
        other functions (``K.epsilon()``, there as anywhere: ``KerasCalls.fuzz_factor``). (On a Keras tensor of a functional model,
        outside any call, Keras 3 rejects TensorFlow functions.)"""
        if self.graph.tracing is None:
            return NOT_MINE
        from .keras_calls import _LambdaTrace, _tensors_in
        tracing = self.graph.tracing
        if isinstance(tracing, _LambdaTrace) and path.startswith(("keras.backend.", "tensorflow.")) and \
                path != "keras.backend.int_shape" and \
                any(tracing.is_outer(t) for a in (*args, *kwargs.values()) for t in _tensors_in(a)):
            # A TensorFlow function (tf.keras's backend functions are ones) of a KerasTensor raises, so Keras cannot
            # infer the Lambda's output shape (keras.ops functions take KerasTensors: not here)
            reason = self.unknown(f"`{self.code(e)}` gives a tensor of the model the function is not given to a "
                                  "TensorFlow function: Keras 3 traces the function on tensors of its own, and a "
                                  "TensorFlow function of a Keras tensor raises (NotImplementedError: Keras cannot "
                                  "infer the output shape): give the tensor in the Lambda's inputs", e)
            tracing.taint(reason)
            return reason
        if path in ("keras.backend.shape", "tensorflow.shape") and len(args) == 1 and not kwargs:
            return self.shape_function("keras.ops.shape", args, kwargs, e)
        if path in ("tensorflow.constant", "tensorflow.convert_to_tensor") and 1 <= len(args) <= 2 and \
                _is_number(args[0]) and not set(kwargs) - {"dtype", "name"}:
            # a scalar tensor of a Python number (`pixels / tf.constant(255.0)`): every operation reads it as the
            # number (the shape broadcasts alike), as keras.ops.convert_to_tensor's (`shape=` fills an array: not here)
            return args[0]
        if path in _SCALAR_CASTS and len(args) + len(kwargs) == 2 and len(args) >= 1 and \
                not set(kwargs) - {"dtype"} and (_is_number(args[0]) or isinstance(args[0], DynamicSize)):
            # a scalar tensor of a number or of a size the run knows (`dk = tf.cast(tf.shape(k)[-1], tf.float32)`
            # of attention): a tensor of shape () (its value, which the dtype may round, is not followed: not a
            # size anything can read)
            return self.hidden_tensor((), e, Span(1, 1, 1, 1))
        if path == "tensorflow.range":
            return self._tf_range(args, kwargs, e)
        if path in ("tensorflow.matmul", "tensorflow.linalg.matmul"):
            return self._tf_matmul(args, kwargs, e)
        if path == "keras.backend.dot":
            # Keras 2's `K.dot(x, y)`: `x`'s last axis times `y`'s second-to-last (a matrix product of two matrices,
            # `x` of any rank times a kernel), `x`'s other axes then `y`'s, as keras.ops.tensordot over those axes
            bound = dict(zip(("x", "y"), args), **kwargs)
            if len(args) > 2 or set(bound) != {"x", "y"}:
                return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
            return self.new_operation("Tensordot", (bound["x"],), {"x2": bound["y"], "axes": ((-1,), (-2,))}, e)
        if path == "tensorflow.experimental.numpy.matmul":
            # NumPy's matmul, as keras.ops.matmul (vectors too)
            if len(args) != 2 or kwargs or not all(isinstance(a, Tensor) for a in args):
                return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
            return self.new_operation("Matmul", args, {}, e)
        if path in _SAME_SHAPE:
            return self._same_shape(path, args, kwargs, e)
        if path == "tensorflow.eye":
            return self._tf_eye(args, kwargs, e)
        if path == "tensorflow.pad":
            return self._tf_pad(args, kwargs, e)
        if path == "tensorflow.image.extract_patches":
            return self._tf_extract_patches(args, kwargs, e)
        if path in _TF_POOLS:
            return self._tf_pool(path, args, kwargs, e)
        if path in _TF_BLOCKS:
            return self._tf_block_move(path, args, kwargs, e)
        if path in _TF_LRN:
            return self._tf_lrn(args, kwargs, e)
        if path in ("tensorflow.reverse", "keras.backend.reverse"):
            return self._reverse(path, args, kwargs, e)
        if path in ("keras.ops.convert_to_tensor", "keras.ops.core.convert_to_tensor"):
            return self._convert_to_tensor(args, kwargs, e)
        if path in _FROM_SHAPE:
            shape = args[0] if args else kwargs.get("shape")
            shape = tuple(shape.items) if isinstance(shape, ListValue) and shape.tainted is None else shape
            if isinstance(shape, tuple):  # a size known when the model runs: None in the traced shape
                shape = tuple(None if isinstance(d, DynamicSize) else d for d in shape)
                why = next((d for d in shape if isinstance(d, Unknown)), None)
                if why is not None:
                    return why  # (a size of a tensor the Lambda's function is not given: live.dynamic_sizes)
            if not isinstance(shape, tuple) or not all(d is None or isinstance(d, int) and not isinstance(d, bool)
                                                       and d >= 0 for d in shape):
                return self.unknown(f"the shape given to `{self.code(e)}` is not known", e)
            return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))
        if path in ("keras.ops.image.resize", "keras.backend.resize_images"):
            return self._resize(path, args, kwargs, e)
        if path in _TF_RESIZE:
            return self._tf_resize(path, args, kwargs, e)
        found = _BACKEND.get(path)
        if found is None:
            return NOT_MINE
        function, params = found
        names = [p for p, _ in params]
        if len(args) > len(params) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = dict(zip(names, args))
        bound.update(kwargs)
        values = []
        for name, default in params:
            if name not in bound and default == _REQ:
                return self.unknown(f"`{self.code(e)}` lacks `{name}`", e)
            if default == "<any>":
                continue  # an argument that does not change the shape
            values.append(bound.get(name, default))
        module, cls = catalogue.ops.FUNCTIONS[function]
        spec = catalogue.operation(cls)
        ops_names = [a.name for a in spec.signature]
        return self.new_operation(cls, tuple(values[:1]), dict(zip(ops_names[1:], values[1:])), e)

    def _same_shape(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.identity(x)``, ``tf.clip_by_value(t, lo, hi)`` (bounds given as Python numbers) and
        ``tf.linalg.band_part(m, lower, upper)`` (a matrix or a batch of them; numbers of diagonals): a tensor of
        the input's shape (TensorFlow's clip_by_value keeps ``t``'s shape; bounds that broadcast it larger
        raise, so tensor bounds are not followed)."""
        names = _SAME_SHAPE[path]
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        x = bound.get(names[0])
        if isinstance(x, Unknown):
            return x
        numbers = _SAME_SHAPE_NUMBERS[path]
        if not isinstance(x, Tensor) or any(n not in bound for n in numbers):
            return self.unknown(f"`{self.code(e)}` on a value that is not one tensor is not followed", e)
        if any(not _is_number(bound[n]) for n in numbers):
            return self.unknown(f"`{self.code(e)}`: bounds that are not Python numbers are not followed", e)
        if path in _DROPOUTS and (not 0 <= bound["rate"] < 1 or bound.get("noise_shape") is not None):
            # (TensorFlow raises for a rate outside [0, 1); a noise_shape must broadcast to the input's: not followed)
            return self.unknown(f"`{self.code(e)}`: a rate outside [0, 1) or a noise_shape is not followed", e)
        shape = self.graph.live_shapes().tensor(x.ref, f"the input of {path.rsplit('.', 1)[-1]}")
        if not isinstance(shape, tuple):
            return shape if isinstance(shape, Unknown) else self.unknown(f"the shape of `{self.code(e)}` is not known", e)
        if path == "tensorflow.linalg.band_part" and len(shape) < 2:
            return self.unknown(f"`{self.code(e)}` of a tensor of rank {len(shape)}: TensorFlow wants a matrix", e)
        return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))

    def _tf_pad(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None)`` (the keras.io CycleGAN's
        ReflectionPadding2D): keras.ops.pad's shape, each axis grown by its (before, after) pair. Followed only for
        one pair of non-negative ints per axis of the tensor (TensorFlow takes no int or single pair, as
        keras.ops.pad does) and a mode TensorFlow knows; REFLECT wants each padding smaller than its axis,
        SYMMETRIC no larger (TensorFlow raises else: not followed)."""
        names = ("tensor", "paddings", "mode", "constant_values", "name")
        if len(args) > len(names) or set(kwargs) - set(names) or set(names[:len(args)]) & set(kwargs):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        x, paddings, mode = bound.get("tensor"), bound.get("paddings"), bound.get("mode", "CONSTANT")
        if isinstance(x, Unknown):
            return x
        if not isinstance(x, Tensor) or not isinstance(mode, str) or \
                mode.upper() not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        shape = self.graph.live_shapes().tensor(x.ref, "the input of pad")
        if not isinstance(shape, tuple):
            return shape if isinstance(shape, Unknown) else self.unknown(f"the shape of `{self.code(e)}` is not known", e)

        def items(v: Any) -> Optional[Tuple[Any, ...]]:
            if isinstance(v, ListValue):
                return tuple(v.items) if v.tainted is None else None
            return v if isinstance(v, tuple) else None

        pairs = items(paddings)
        widths = [items(p) for p in pairs] if pairs is not None and len(pairs) == len(shape) else None
        if widths is None or not all(w is not None and len(w) == 2 and all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in w) for w in widths):
            return self.unknown(f"`{self.code(e)}`: paddings that are not one pair of ints per axis are not followed", e)
        limit = {"CONSTANT": None, "REFLECT": 0, "SYMMETRIC": 1}[mode.upper()]
        if limit is not None and any(d is not None and (not isinstance(d, int) or max(w) > d - 1 + limit)
                                     for d, w in zip(shape, widths)):
            return self.unknown(f"`{self.code(e)}`: {mode.upper()} padding as large as its axis (TensorFlow raises) "
                                "or on an axis not known is not followed", e)
        return self.new_operation("Pad", (x,), {"pad_width": tuple(tuple(w) for w in widths)}, e)

    def _tf_eye(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.eye(num_rows, num_columns=None, batch_shape=None, dtype=..., name=None)``: a tensor of shape
        ``batch_shape + [num_rows, num_columns or num_rows]`` (a batch size known when the model runs, as from
        ``tf.shape(x)[0]``, is None)."""
        names = ("num_rows", "num_columns", "batch_shape", "dtype", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        rows, cols, batch = bound.get("num_rows"), bound.get("num_columns"), bound.get("batch_shape")
        cols = rows if cols is None else cols
        batch = () if batch is None else tuple(batch.items) if isinstance(batch, ListValue) and batch.tainted is None \
            else batch
        if not isinstance(batch, tuple) or not all(isinstance(d, DynamicSize) or _is_size(d) for d in batch) \
                or not _is_size(rows) or not _is_size(cols):
            return self.unknown(f"the shape of `{self.code(e)}` is not known", e)
        shape = tuple(None if isinstance(d, DynamicSize) else d for d in batch) + (rows, cols)
        return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))

    def _tf_pool(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.nn.max_pool2d(input, ksize, strides, padding)`` and its kin in traced code: ``keras.ops.max_pool`` /
        ``average_pool`` (TensorFlow's SAME gives ``ceil(n / stride)``, VALID ``ceil((n - k + 1) / stride)``, as
        Keras's). ``ksize``/``strides`` an int, one per spatial axis, or one per axis with 1 on the batch and
        channels axes (``[1, 3, 3, 1]``); ``padding`` "SAME" or "VALID"; the layout TensorFlow's (``NHWC``...).
        NOT_MINE for any other call: it is then an operation the analysis does not know, as before."""
        names = ("input", "ksize", "strides", "padding", "data_format", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return NOT_MINE
        bound = {**dict(zip(names, args)), **kwargs}
        x, padding = bound.get("input"), bound.get("padding")
        if not isinstance(x, Tensor) or padding not in ("SAME", "VALID"):
            return NOT_MINE
        rank = _TF_POOLS[path][1]
        if rank is None:  # tf.nn.max_pool: the input's rank says
            shape = self.graph.live_shapes().tensor(x.ref, f"the input of {path}")
            if not isinstance(shape, tuple) or not 3 <= len(shape) <= 5:
                return NOT_MINE
            rank = len(shape) - 2
        layout = bound.get("data_format") or _TF_LAYOUTS[rank][0]
        if layout not in _TF_LAYOUTS[rank]:
            return NOT_MINE
        channels_first = layout == _TF_LAYOUTS[rank][1]
        sizes = []
        for what in ("ksize", "strides"):
            v = bound.get(what)
            v = tuple(v.items) if isinstance(v, ListValue) and v.tainted is None else v
            if isinstance(v, tuple) and len(v) == rank + 2:
                outer = (v[0], v[1]) if channels_first else (v[0], v[-1])
                v = v[2:] if channels_first else v[1:-1]
                if outer != (1, 1):
                    return NOT_MINE
            elif isinstance(v, tuple) and len(v) == 1:
                v = v[0]
            if not (_is_size(v) or isinstance(v, tuple) and len(v) == rank and all(_is_size(d) for d in v)):
                return NOT_MINE
            sizes.append(v)
        return self.new_operation(_TF_POOLS[path][0], (x, sizes[0]), {
            "strides": sizes[1], "padding": padding.lower(),
            "data_format": "channels_first" if channels_first else "channels_last"}, e)

    def _traced_shape(self, x: Any, what: str, e: Any) -> Any:
        """The shape of tensor ``x`` in a traced call (a tuple), or the Unknown to return."""
        if isinstance(x, Unknown):
            return x
        if not isinstance(x, Tensor):
            return self.unknown(f"`{self.code(e)}` on a value that is not one tensor is not followed", e)
        shape = self.graph.live_shapes().tensor(x.ref, what)
        if not isinstance(shape, tuple):
            return shape if isinstance(shape, Unknown) else self.unknown(f"the shape of `{self.code(e)}` is not known", e)
        return shape

    def _tf_block_move(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.nn.depth_to_space(input, block_size)`` (TensorFlow's pixel shuffle) and ``tf.nn.space_to_depth``
        (YOLOv2's reorg), also their ``tf.compat.v1`` names, in TensorFlow's default layout NHWC: a rank-4
        input ``(b, h, w, c)`` gives ``(b, h*k, w*k, c/k**2)`` (c divisible by k**2) and ``(b, h/k, w/k, c*k**2)``
        (h and w divisible by k); the block size an int of at least 2. Anything else is unknown: TensorFlow
        raises there (a Lambda then fails to infer its output), and space_to_depth of an unknown height or width
        works on the TensorFlow backend but not on the numpy one, whose shape inference fills it with 83."""
        names = ("input", "block_size", "data_format", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        if ".compat.v1." in path and len(args) > 2:  # TensorFlow 1 orders them (input, block_size, name, data_format)
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        k, layout = bound.get("block_size"), bound.get("data_format", "NHWC")
        if not _is_size(k) or k < 2 or layout != "NHWC":
            return self.unknown(f"`{self.code(e)}`: only an int block size of at least 2 in the NHWC layout is "
                                "followed", e)
        shape = self._traced_shape(bound.get("input"), f"the input of {path}", e)
        if isinstance(shape, Unknown):
            return shape
        if len(shape) != 4:
            return self.unknown(f"`{self.code(e)}` on a tensor of rank {len(shape)}: TensorFlow wants rank 4", e)
        b, h, w, c = shape
        if not _is_size(c) or not all(d is None or _is_size(d) for d in (h, w)):
            return self.unknown(f"`{self.code(e)}` on a tensor whose height, width or depth is not known", e)
        if _TF_BLOCKS[path] == "depth_to_space":
            if c % (k * k):
                return self.unknown(f"`{self.code(e)}`: depth {c} is not divisible by {k * k} (TensorFlow raises)", e)
            out = (b, None if h is None else h * k, None if w is None else w * k, c // (k * k))
        else:
            if h is None or w is None:
                return self.unknown(f"`{self.code(e)}` of an unknown height or width: the TensorFlow backend follows "
                                    "it, the numpy backend's shape inference (83 for the unknown size) raises", e)
            if h % k or w % k:
                return self.unknown(f"`{self.code(e)}`: height {h} and width {w} are not divisible by {k} "
                                    "(TensorFlow raises)", e)
            out = (b, h // k, w // k, c * k * k)
        return self.hidden_tensor(out, e, Span(1, 1, 1, 1))

    def _tf_lrn(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.nn.lrn(input, depth_radius=5, bias=1, alpha=1, beta=0.5)`` (``local_response_normalization``):
        a rank-4 input keeps its shape (TensorFlow raises for another rank)."""
        names = ("input", "depth_radius", "bias", "alpha", "beta", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        if any(n in bound and not _is_number(bound[n]) for n in names[1:5]):
            return self.unknown(f"`{self.code(e)}`: parameters that are not Python numbers are not followed", e)
        shape = self._traced_shape(bound.get("input"), "the input of tf.nn.lrn", e)
        if isinstance(shape, Unknown):
            return shape
        if len(shape) != 4:
            return self.unknown(f"`{self.code(e)}` on a tensor of rank {len(shape)}: TensorFlow wants rank 4", e)
        return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))

    def _reverse(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.reverse(tensor, axis)`` (a list of distinct axes) and Keras 2's ``K.reverse(x, axes)`` (an int
        too): the input's shape."""
        names = ("tensor", "axis", "name") if path == "tensorflow.reverse" else ("x", "axes")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        axes = bound.get(names[1])
        axes = tuple(axes.items) if isinstance(axes, ListValue) and axes.tainted is None else axes
        if path == "keras.backend.reverse" and isinstance(axes, int) and not isinstance(axes, bool):
            axes = (axes,)
        if not isinstance(axes, tuple) or not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
            return self.unknown(f"`{self.code(e)}`: the axes are not a known list of ints", e)
        shape = self._traced_shape(bound.get(names[0]), f"the input of {path}", e)
        if isinstance(shape, Unknown):
            return shape
        if not all(-len(shape) <= a < len(shape) for a in axes) or len({a % len(shape) for a in axes}) != len(axes):
            return self.unknown(f"`{self.code(e)}`: axes {list(axes)} out of range or repeated for rank "
                                f"{len(shape)} (TensorFlow raises)", e)
        return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))

    def _tf_extract_patches(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.image.extract_patches(images, sizes, strides, rates, padding)``, each of sizes/strides/rates
        ``[1, r, c, 1]``: TensorFlow's shape ``[batch, out_rows, out_cols, r * c * depth]``, out_rows
        ``ceil(rows / stride)`` for SAME and ``ceil((rows - (r - 1) * rate) / stride)`` for VALID (unknown
        where that is not positive: TensorFlow raises)."""
        names = ("images", "sizes", "strides", "rates", "padding", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        quads = []
        for n in ("sizes", "strides", "rates"):
            v = bound.get(n)
            v = tuple(v.items) if isinstance(v, ListValue) and v.tainted is None else v
            if not isinstance(v, tuple) or len(v) != 4 or v[0] != 1 or v[3] != 1 or not all(_is_size(d) for d in v):
                return self.unknown(f"`{self.code(e)}`: `{n}` is not known as [1, rows, cols, 1]", e)
            quads.append(v[1:3])
        padding = bound.get("padding")
        images = bound.get("images")
        if padding not in ("VALID", "SAME") or not isinstance(images, Tensor):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        shape = self.graph.live_shapes().tensor(images.ref, "the input of tf.image.extract_patches")
        if not isinstance(shape, tuple) or len(shape) != 4:
            return self.unknown(f"`{self.code(e)}` on a tensor not known to have rank 4", e)
        out = [shape[0]]
        for axis in (0, 1):
            size, (k, stride, rate) = shape[1 + axis], (q[axis] for q in quads)
            if not _is_size(size):
                return self.unknown(f"`{self.code(e)}` on images whose height or width is not known", e)
            span = size if padding == "SAME" else size - (k - 1) * rate
            if span <= 0:
                return self.unknown(f"`{self.code(e)}`: the patches do not fit in the images", e)
            out.append(-(-span // stride))
        out.append(quads[0][0] * quads[0][1] * shape[3] if _is_size(shape[3]) else None)
        if out[-1] is None:
            return self.unknown(f"`{self.code(e)}` on images whose depth is not known", e)
        if quads[2] == (1, 1) and all(type(d) is int for q in quads[:2] for d in q):
            # without dilation, keras.ops.image.extract_patches of the same size, strides and padding: the same
            # shape, as an operation of the graph, so that its batch axis is the images' (the -1 of
            # `tf.reshape(patches, [tf.shape(images)[0], -1, depth])` after it is static: `_open_reshape`)
            made = self.new_operation("ExtractPatches", (images,), {
                "size": tuple(quads[0]), "strides": tuple(quads[1]), "padding": padding.lower(),
                "data_format": "channels_last"}, e)
            if isinstance(made, Tensor) and self.tensor_shape(made, e) == tuple(out):
                return made
        return self.hidden_tensor(tuple(out), e, Span(1, 1, 1, 1))

    def _convert_to_tensor(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``keras.ops.convert_to_tensor(x)`` of a tensor (itself) or of a Python number (a scalar, which every
        operation reads as the tensor it makes). Of a list it is left unknown: the TensorFlow backend traces the
        call with a symbolic tensor there, which operations that need the values (``ops.pad``'s widths) reject,
        while the other backends make an array of them."""
        x = args[0] if len(args) == 1 and not set(kwargs) - {"dtype"} else None
        if isinstance(x, Tensor) or _is_number(x):
            return x
        if is_constant(x):
            return self.unknown(f"`{self.code(e)}` of a list in a traced call: a symbolic tensor with the TensorFlow "
                                "backend (operations that need its values raise), an array with the others", e)
        return self.unknown(f"`{self.code(e)}` of a value the analysis does not know as a constant", e)

    def _tf_range(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.range(start, limit=None, delta=1, dtype=None, name=None)``: ``keras.ops.arange``'s shape
        (``tf.range(n)`` counts from 0)."""
        names = ("start", "limit", "delta", "dtype", "name")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = {**dict(zip(names, args)), **kwargs}
        start, limit, delta = bound.get("start", 0), bound.get("limit"), bound.get("delta", 1)
        if limit is None:
            start, limit = 0, start
        try:
            shape = catalogue.ops.maker("keras.ops.arange")(start, limit, delta)
        except (catalogue.errors.Unresolved, catalogue.errors.ShapeError) as exc:
            return self.unknown(f"the shape of `{self.code(e)}` is not known ({exc})", e)
        return self.hidden_tensor(shape, e, Span(1, 1, 1, 1))

    def _traced_tensordot(self, bound: Dict[str, Any], e: Any) -> Optional[Unknown]:
        """``tensordot(x1, x2, axes=n)`` in a ``call`` Keras traces: the backend computes the product, and raises
        where the ``n`` axes are more than a tensor has or contract sizes that differ (``Tensordot``'s own output
        shape does not look)."""
        axes, x1, x2 = bound.get("axes", 2), bound.get("x1"), bound.get("x2")
        if not (type(axes) is int and axes > 0 and isinstance(x1, Tensor) and isinstance(x2, Tensor)):
            return None
        live = self.graph.live_shapes()
        s1, s2 = live.tensor(x1.ref, "an operand of tensordot"), live.tensor(x2.ref, "an operand of tensordot")
        if not isinstance(s1, tuple) or not isinstance(s2, tuple):
            return None
        if axes > len(s1) or axes > len(s2) or any(
                type(a) is int and type(b) is int and a != b for a, b in zip(s1[len(s1) - axes:], s2[:axes])):
            return self.unknown(f"`{self.code(e)}` contracts {axes} axes of {catalogue.spec.show_shape(s1)} and "
                                f"{catalogue.spec.show_shape(s2)}, which do not agree: the backend raises when Keras "
                                "runs the call", e)
        return None

    def _tf_matmul(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``tf.matmul(a, b)``: ``keras.ops.matmul``'s shape where both have rank 2 or more (TensorFlow takes
        no vectors). In a traced ``call``, ``transpose_a``/``transpose_b`` (and ``adjoint_a``/``adjoint_b``, the
        same shapes) given as True or False swap the operand's last two axes first (``tf.matmul(q, k,
        transpose_b=True)`` of attention: (..., Tq, d) x (..., Tk, d) gives (..., Tq, Tk)); any other argument
        (``output_type``, sparse operands), or these outside a traced call (where Keras would list each
        operation), is not followed."""
        names = ("a", "b", "transpose_a", "transpose_b", "adjoint_a", "adjoint_b")
        bound = {**dict(zip(names, args)), **kwargs}
        flags = names[2:]
        if len(args) > len(names) or set(kwargs) - set(names) or len(bound) != len(args) + len(kwargs) or \
                "a" not in bound or "b" not in bound or any(type(bound.get(f, False)) is not bool for f in flags) \
                or any(bound.get(f, False) for f in flags) and self.graph.tracing is None:
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        a, b = bound["a"], bound["b"]
        for t in (a, b):
            shape = self.graph.live_shapes().tensor(t.ref, "an operand of tf.matmul") if isinstance(t, Tensor) else None
            if not isinstance(shape, tuple) or len(shape) < 2:
                return self.unknown(f"`{self.code(e)}` on operands not known as tensors of rank 2 or more", e)
        if bound.get("transpose_a", False) or bound.get("adjoint_a", False):
            a = self.new_operation("Swapaxes", (a, -1, -2), {}, e)
        if bound.get("transpose_b", False) or bound.get("adjoint_b", False):
            b = self.new_operation("Swapaxes", (b, -1, -2), {}, e)
        for t in (a, b):
            if not isinstance(t, Tensor):
                return t  # (unknown: why the swap was not followed)
        return self.new_operation("Matmul", (a, b), {}, e)

    def _resize(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``keras.ops.image.resize(images, size)`` (``Resize.compute_output_spec``: the height and width axes
        become ``size``) and Keras 2's ``K.resize_images(x, height_factor, width_factor, data_format)``, which
        resized to the static height and width times the factors (unknown when one of them is None)."""
        keras2 = path == "keras.backend.resize_images"
        names = ("x", "height_factor", "width_factor", "data_format", "interpolation") if keras2 else (
            "images", "size", "interpolation", "antialias", "crop_to_aspect_ratio", "pad_to_aspect_ratio",
            "fill_mode", "fill_value", "data_format")
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = dict(zip(names, args))
        bound.update(kwargs)
        images = bound.get(names[0])
        if not isinstance(images, Tensor):
            return self.unknown(f"`{self.code(e)}` on a value that is not one tensor is not followed", e)
        shape = self.graph.live_shapes().tensor(images.ref, "the input of a resize")
        data_format = bound.get("data_format", None if keras2 else self.data_format)
        if data_format is None and not keras2:
            data_format = self.data_format
        interpolation = bound.get("interpolation", "nearest" if keras2 else "bilinear")
        if not isinstance(shape, tuple) or len(shape) != 4 or data_format not in ("channels_last", "channels_first") \
                or interpolation not in ("nearest", "bilinear") or any(
                    bound.get(k, False) is not False for k in ("antialias", "crop_to_aspect_ratio", "pad_to_aspect_ratio")):
            return self.unknown(f"`{self.code(e)}`: its output shape is not followed for these arguments", e)
        rows = 1 if data_format == "channels_last" else 2
        if keras2:
            factors = (bound.get("height_factor"), bound.get("width_factor"))
            spatial = shape[rows:rows + 2]
            if not all(_is_size(f) for f in factors) or not all(_is_size(d) for d in spatial):
                return self.unknown(f"`{self.code(e)}`: the height, width or factors are not known", e)
            size: Any = (spatial[0] * factors[0], spatial[1] * factors[1])
        else:
            size = bound.get("size")
            size = tuple(size.items) if isinstance(size, ListValue) and size.tainted is None else size
            if not isinstance(size, tuple) or len(size) != 2 or not all(_is_size(d) for d in size):
                return self.unknown(f"the size given to `{self.code(e)}` is not known", e)
        out = list(shape)
        out[rows:rows + 2] = size
        return self.hidden_tensor(tuple(out), e, Span(1, 1, 1, 1))

    def _tf_resize(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """TensorFlow's ``tf.image.resize(images, size, method, preserve_aspect_ratio, antialias)`` (and
        ``tf.compat.v1.image.resize``'s ``align_corners`` in its third place after ``method``): images of rank 4
        (a batch) or 3 (one image), always channels last, whose height and width become ``size``, whatever the
        method (one of TensorFlow 2's, by name or ``tf.image.ResizeMethod``; compat.v1's default only, its methods
        being TensorFlow 1's numbers); unknown with ``preserve_aspect_ratio`` (the size is then a bound, not the
        shape). On a Keras tensor of rank 3 its batch axis is read as the height, as TensorFlow does."""
        names = _TF_RESIZE[path]
        if len(args) > len(names) or set(kwargs) - set(names):
            return self.unknown(f"`{self.code(e)}`: arguments not followed", e)
        bound = dict(zip(names, args))
        bound.update(kwargs)
        images = bound.get("images")
        if not isinstance(images, Tensor):
            return self.unknown(f"`{self.code(e)}` on a value that is not one tensor is not followed", e)
        shape = self.graph.live_shapes().tensor(images.ref, "the input of tf.image.resize")
        # (compat.v1's methods are TensorFlow 1's enumeration of numbers: only its default is followed)
        method = bound.get("method", "bilinear") if "align_corners" not in names else \
            "bilinear" if "method" not in bound else None
        if isinstance(method, ExternalRef) and method.path.rpartition(".")[0] in _TF_RESIZE_METHOD_ENUMS:
            method = _TF_RESIZE_ENUM_VALUES.get(method.path.rpartition(".")[2])
        if not isinstance(shape, tuple) or len(shape) not in (3, 4) or method not in _TF_RESIZE_METHODS or \
                bound.get("preserve_aspect_ratio", False) is not False or \
                any(bound.get(k, False) not in (False, True) for k in ("antialias", "align_corners")):
            return self.unknown(f"`{self.code(e)}`: its output shape is not followed for these arguments", e)
        size = bound.get("size")
        size = tuple(size.items) if isinstance(size, ListValue) and size.tainted is None else size
        if not isinstance(size, tuple) or len(size) != 2 or not all(_is_size(d) for d in size):
            return self.unknown(f"the size given to `{self.code(e)}` is not known", e)
        out = list(shape)
        out[-3:-1] = size
        return self.hidden_tensor(tuple(out), e, Span(1, 1, 1, 1))

    def tensor_key(self, part: Any) -> Any:
        """One part of a tensor's subscript as an IR value: ``a:b:c`` a :class:`SliceKey`, ``np.newaxis`` None."""
        if isinstance(part, slice):
            return SliceKey(*(self.freeze(p) for p in (part.start, part.stop, part.step)))
        if isinstance(part, ExternalRef) and part.path.endswith(".newaxis"):
            return None
        return part

    def _operand(self, v: Any) -> Any:
        """An argument as an IR value, each tensor as its ``TensorRef``."""
        if isinstance(v, Tensor):
            return v.ref
        if isinstance(v, tuple) or isinstance(v, ListValue) and v.tainted is None:
            return tuple(self._operand(x) for x in (v if isinstance(v, tuple) else v.items))
        return self.freeze(v)


#: TensorFlow's resize functions (ops_calls._tf_resize): their parameters in order. TensorFlow 1's
#: ``tf.image.resize_images`` is not here: TensorFlow 2, which Keras 3 needs, has it only as compat.v1's.
_TF_RESIZE = {
    "tensorflow.image.resize": ("images", "size", "method", "preserve_aspect_ratio", "antialias", "name"),
    "tensorflow.compat.v2.image.resize": ("images", "size", "method", "preserve_aspect_ratio", "antialias", "name"),
    "tensorflow.compat.v1.image.resize": ("images", "size", "method", "align_corners", "preserve_aspect_ratio",
                                          "name"),
    "tensorflow.compat.v1.image.resize_images": ("images", "size", "method", "align_corners",
                                                 "preserve_aspect_ratio", "name"),
}
#: tf.image.ResizeMethod's values (TensorFlow 2), each giving the same shape.
_TF_RESIZE_METHODS = frozenset(("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                                "mitchellcubic"))
_TF_RESIZE_METHOD_ENUMS = frozenset(("tensorflow.image.ResizeMethod", "tensorflow.compat.v2.image.ResizeMethod"))
_TF_RESIZE_ENUM_VALUES = {"NEAREST_NEIGHBOR": "nearest", **{m.upper(): m for m in _TF_RESIZE_METHODS if m != "nearest"}}


def _known_products(shape: Tuple[Any, ...], items: Tuple[Any, ...]) -> Tuple[int, int]:
    """For ``ops.reshape(x, items)``: the product of the sizes of ``x``'s shape that are known, and of the sizes
    ``items`` gives (ints, NumPy integers), the -1 left out."""
    size = known = 1
    for d in shape:
        size *= d if d is not None else 1
    for d in items:
        known *= int(d) if isinstance(d, int) and not isinstance(d, bool) and d != -1 else 1
    return size, known


def _seq_items(target: Any) -> Optional[Tuple[Any, ...]]:
    """The items of a tuple or of a known list (``ops.reshape``'s new shape); None otherwise."""
    if isinstance(target, ListValue):
        return tuple(target.items) if target.tainted is None else None
    return target if isinstance(target, tuple) else None


#: Operations whose output keeps the first axis of the tensor they are called on (elementwise ones, on a tensor
#: and on something that broadcasts to it; patches of images, the batch axis only): ops_calls._origin.
_BATCH_KEEPING = frozenset((
    "Absolute", "Add", "Cast", "Ceil", "Celu", "Cos", "Divide", "Elu", "Erf", "Exp", "ExtractPatches", "Floor",
    "Gelu", "HardSigmoid", "HardSilu", "LeakyRelu", "Log", "Log1p", "LogSigmoid", "Maximum", "Minimum", "Multiply",
    "Negative", "Power", "Reciprocal", "Relu", "Relu6", "Round", "Rsqrt", "Selu", "Sigmoid", "Sign", "Silu", "Sin",
    "Softplus", "Softsign", "Sqrt", "Square", "StopGradient", "Subtract", "Tanh", "TrueDivide"))

#: The most steps ``_origin`` takes for one reshape.
_ORIGIN_STEPS = 2000
#: Operations whose output has the shape of the tensor they are given (ops_calls._origin: every axis kept).
_SHAPE_KEEPING = frozenset(("Softmax", "LogSoftmax"))

#: TensorFlow functions whose output has their first argument's shape: their parameters.
_SAME_SHAPE = {
    "tensorflow.identity": ("input", "name"),
    "tensorflow.clip_by_value": ("t", "clip_value_min", "clip_value_max", "name"),
    "tensorflow.linalg.band_part": ("input", "num_lower", "num_upper", "name"),
    # (TensorFlow 2's dropout, which drops always, training or not: MyDropout layers of a course's custom models;
    # Keras 3's own, keras.random.dropout)
    "tensorflow.nn.dropout": ("x", "rate", "noise_shape", "seed", "name"),
    "keras.random.dropout": ("inputs", "rate", "noise_shape", "seed"),
}
_DROPOUTS = frozenset(("tensorflow.nn.dropout", "keras.random.dropout"))
#: The arguments of those functions that must be Python numbers to be followed (the bounds, the rate).
_SAME_SHAPE_NUMBERS = {
    "tensorflow.identity": (),
    "tensorflow.clip_by_value": ("clip_value_min", "clip_value_max"),
    "tensorflow.linalg.band_part": ("num_lower", "num_upper"),
    "tensorflow.nn.dropout": ("rate",),
    "keras.random.dropout": ("rate",),
}


#: Casts whose result, of a Python number or of a size read from a shape, is a scalar tensor (backend_operation).
_SCALAR_CASTS = frozenset(("tensorflow.cast", "keras.ops.cast", "keras.ops.core.cast", "keras.backend.cast"))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_constant(v: Any) -> bool:
    """A Python number, or a non-empty nested list or tuple of them."""
    if _is_number(v):
        return True
    items = _seq_items(v)
    return bool(items) and all(is_constant(i) for i in items)


def _is_size(v: Any) -> bool:
    """A positive int (not a bool)."""
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


#: Operations whose ``compute_output_spec`` reads only the shape of an operand that is not a symbolic tensor
#: (``getattr(x, "shape", [])``: elementwise ones, which broadcast it, comparisons and ``Where``, likewise,
#: ``Take``'s indices, ``np.array(indices)``, and ``Matmul``, whose output shape is ``compute_matmul_output_shape``
#: of the two shapes): an array of data there is a constant.
_CONSTANT_OPERANDS = frozenset(("Add", "Subtract", "Multiply", "TrueDivide", "Divide", "Power", "Maximum", "Minimum",
                                "Take", "Matmul", "Where", "Equal", "NotEqual", "Greater", "GreaterEqual", "Less",
                                "LessEqual", "LogicalAnd", "LogicalOr"))


def constant_operand(v: Any) -> Optional[ConstantArray]:
    """An array of data of a known shape as the constant Keras takes it for beside a tensor; None for anything
    else."""
    made = _constant(v)
    return made if isinstance(made, ConstantArray) else None


def _constant(v: Any) -> Any:
    """An array of data of a known shape as a constant operand (ConstantArray); a number computed from an array's
    values (ArrayNumber: ``x_train.mean()``), a NumPy scalar, as one of shape (); anything else as it is."""
    from .values import ArrayNumber, ArrayValue

    if type(v) is ArrayNumber:
        return ConstantArray(())
    if isinstance(v, ArrayValue) and v.tainted is None and not v.ragged and \
            all(type(d) is int and d >= 0 for d in v.shape):
        return ConstantArray(tuple(v.shape))
    return v


def _unknown_in(v: Any) -> Optional[Unknown]:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, ListValue) and v.tainted is not None:
        return v.tainted
    for item in v if isinstance(v, tuple) else v.items if isinstance(v, ListValue) else ():
        hidden = _unknown_in(item)
        if hidden is not None:
            return hidden
    return None
