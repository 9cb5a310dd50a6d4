"""NumPy arrays whose shape the source determines: ``keras.datasets`` data and what scripts do to it.

Scripts size their models from their data: ``input_shape=x_train.shape[1:]`` after
``(x_train, y_train), _ = keras.datasets.cifar10.load_data()``, often after a ``reshape``,
``expand_dims``, ``astype`` or ``/ 255.0``; ``to_categorical(y, num_classes)``; and
``pad_sequences(x, maxlen=...)`` for text. Only shapes are tracked, never values, and only
through these operations: anything else makes the array (or the result) unknown.

The dataset table holds what Keras documents for each ``load_data()``; a test checks it
against the docstrings of the installed Keras.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from ..ir import DataCall, Note, NumpyFloat, NumpyInt, NumpyInt32, Unknown
from ..symbolic import Expr, NumpyExpr
from .values import (ArrayNumber, ArrayValue, BoundMethod, DictValue, External, ExternalRef, ListValue, OpaqueCallable, ValuedArray,
                     valued_era)

if TYPE_CHECKING:
    import ast

#: Returned by the hooks below when the call or operation is not theirs to answer.
NOT_MINE = object()


@dataclass(unsafe_hash=True, repr=False)
class Dataset:
    """``load_data()`` → ``(x_train, y_train), (x_test, y_test)``: shapes per sample, and sample counts."""

    x: Tuple[int, ...]
    y: Tuple[int, ...]
    #: Sample counts of the train and test splits; None where arguments change them.
    train: Optional[int]
    test: Optional[int]
    #: Label classes (what ``to_categorical(y)`` counts); None when not fixed.
    classes: Optional[int] = None
    #: ``x`` holds sequences of different lengths (a 1-D array of lists): no per-sample shape.
    ragged: bool = False


DATASETS: Dict[str, Dataset] = {
    "mnist": Dataset((28, 28), (), 60000, 10000, classes=10),
    "fashion_mnist": Dataset((28, 28), (), 60000, 10000, classes=10),
    "cifar10": Dataset((32, 32, 3), (1,), 50000, 10000, classes=10),
    "cifar100": Dataset((32, 32, 3), (1,), 50000, 10000, classes=100),  # label_mode="coarse": 20
    "boston_housing": Dataset((13,), (), None, None),
    "california_housing": Dataset((8,), (), None, None),
    "imdb": Dataset((), (), None, None, classes=2, ragged=True),
    "reuters": Dataset((), (), None, None, classes=46, ragged=True),
}


#: The data sets whose images ``load_data()`` gives channels first when ``image_data_format()`` is
#: ``channels_first`` (Keras stores them so and transposes them only for ``channels_last``).
CHANNELS_FIRST_SETS = frozenset(("cifar10", "cifar100"))


def load_data(path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], data_format: Any = "channels_last") -> Any:
    """``keras.datasets.<name>.load_data(...)``, or NOT_MINE. ``data_format``: what ``image_data_format()``
    returns when it runs (an Unknown when the code set it to a value not known)."""
    parts = path.split(".")
    if len(parts) != 4 or parts[:2] != ["keras", "datasets"] or parts[3] != "load_data" or parts[2] not in DATASETS:
        return NOT_MINE
    name, data = parts[2], DATASETS[parts[2]]
    images: Any = data.x
    if name in CHANNELS_FIRST_SETS and data_format != "channels_last":
        images = (data.x[-1], *data.x[:-1]) if data_format == "channels_first" else None
    classes = data.classes
    # The first positional argument is cifar100's label_mode, or the file name (`path`) of the others.
    named = {"label_mode" if name == "cifar100" else "path": args[0], **kwargs} if args else kwargs
    if name == "cifar100":
        mode = named.get("label_mode", "fine")
        classes = {"fine": 100, "coarse": 20}.get(mode) if isinstance(mode, str) else None
    if len(args) > 1 or set(named) - {"label_mode", "path"}:  # test_split, maxlen, num_words...: counts change
        train = test = None
    else:
        train, test = data.train, data.test

    def split(samples: Optional[int]) -> Tuple[Any, ArrayValue]:
        x = ArrayValue((samples, *images), ragged=data.ragged) if images is not None else Unknown(
            f"the images of `{name}.load_data()` are channels first or last as the image data format says, "
            f"which is not known ({getattr(data_format, 'reason', data_format)})")
        return x, ArrayValue((samples, *data.y), classes=classes, below=classes)

    return split(train), split(test)


def keras_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """Keras functions on arrays (``to_categorical``, ``pad_sequences``), datasets; or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if path.startswith("keras.datasets."):
        return load_data(path, args, kwargs, getattr(interp, "data_format", "channels_last"))
    made = sources.keras_call(interp, path, args, kwargs, e)
    if made is not NOT_MINE:
        return made
    if args:
        args = (sources.array_of(args[0]), *args[1:])  # to_categorical(df["label"], 3)
    if last == "pad_sequences" and args and not isinstance(args[0], ArrayValue) and \
            (path.startswith("keras.utils") or path.startswith("keras.preprocessing")):
        # Sequences from code the analysis does not see (tokenizer.texts_to_sequences(texts)): whatever
        # their lengths, the result has one row per sequence and maxlen columns.
        maxlen = _pad_length(interp, args, kwargs, e)
        items = interp.sequence(args[0]) if not isinstance(args[0], (str, Unknown)) else None
        if maxlen is not None:
            if isinstance(args[0], ListValue) and args[0].tainted is not None:
                # A list filled by code the analysis does not follow (a comprehension over data it does not know:
                # ``[[w2v(w) for w in s] for s in texts]``): its steps may be numbers or vectors, as an inner
                # list's (see _step_shape).
                steps = None
            else:
                steps = _step_shape(interp, items) if items is not None else ()
            if steps is None:
                return interp.unknown("what `pad_sequences` pads is not known: the steps of the sequences may be "
                                      "numbers or vectors (Keras keeps their shape after the padded axis)", e)
            return ArrayValue((len(items) if items is not None else _sequence_count(interp, e), maxlen, *steps))
        return NOT_MINE
    if last == "to_categorical" and path.startswith("keras.utils") and args and \
            not isinstance(args[0], (ArrayValue, External, str, Unknown)):
        listed = _listed_labels(interp, args[0])  # labels in a Python list (Keras takes np.array of it)
        if listed is not None:
            args = (listed, *args[1:])
    if not args or not isinstance(args[0], ArrayValue):
        return NOT_MINE
    array = args[0]
    if array.tainted is not None:
        return array.tainted
    if last == "to_categorical" and path.startswith("keras.utils"):
        classes = args[1] if len(args) > 1 else kwargs.get("num_classes", array.classes)
        if not _is_int(classes) and not _symbolic(classes):
            classes = _classes_symbol(interp, classes, e)
            if classes is None:
                return interp.unknown("the number of classes of `to_categorical` is not known", e)
        rows = array.shape if array.shape[-1:] != (1,) or len(array.shape) == 1 else array.shape[:-1]
        return ArrayValue((*rows, classes))
    if last == "pad_sequences" and (path.startswith("keras.utils") or path.startswith("keras.preprocessing")):
        maxlen = _pad_length(interp, args, kwargs, e)
        if maxlen is None or len(array.shape) != 1:
            return interp.unknown("the length `pad_sequences` pads to is not known (no maxlen=)", e)
        return ArrayValue((array.shape[0], maxlen))
    return NOT_MINE


def _step_shape(interp: Any, sequences: Sequence[Any]) -> Optional[Tuple[Any, ...]]:
    """The shape of one step of the sequences ``pad_sequences`` pads, which its result keeps after the padded axis:
    Keras reads it from the first non-empty sequence (``np.asarray(seq).shape[1:]``): ``()`` for numbers (token
    ids), ``(100,)`` for vectors of 100 numbers (word embeddings); None when the analysis sees steps that are not
    numbers but does not know their shape. Sequences it does not see (``one_hot(text, n)``,
    ``texts_to_sequences``) are taken for sequences of numbers, what Keras's text functions give."""
    for seq in sequences:
        if isinstance(seq, ArrayValue):
            if seq.tainted is not None or seq.ragged or not seq.shape or not _is_int(seq.shape[0]):
                return None
            if seq.shape[0]:
                return tuple(seq.shape[1:])
            continue
        if isinstance(seq, ListValue) and seq.tainted is not None:
            return None  # filled by a loop the analysis does not follow: with numbers, or with vectors
        steps = interp.sequence(seq) if not isinstance(seq, (str, Unknown)) else None
        if steps is None:
            return ()
        if steps:
            shape = literal_shape(interp, seq)
            if shape is not None:
                return shape[1:]
            first = steps[0]
            return () if isinstance(first, (Unknown, External)) or _is_number(first) else None
    return ()


def _listed_labels(interp: Any, value: Any) -> Optional[ArrayValue]:
    """Nested lists of labels as the array ``to_categorical`` makes of them: their shape, and the number of
    classes it counts (the largest label + 1) when every label is a known non-negative int; None when the
    shape is not known."""
    shape = literal_shape(interp, value)
    if shape is None or not all(_is_int(d) for d in shape):
        return None
    labels: List[Any] = []
    stack = [value]
    while stack and len(labels) <= 10000:
        item = stack.pop()
        if _is_int(item):
            labels.append(item)
            continue
        items = interp.sequence(item) if not isinstance(item, str) else None
        if items is None:
            labels = [None]
            break
        stack.extend(items)
    known = labels and len(labels) <= 10000 and all(_is_int(x) and not isinstance(x, bool) and x >= 0
                                                     for x in labels)
    return ArrayValue(shape, classes=max(labels) + 1 if known else None)


def _classes_symbol(interp: Any, given: Any, e: "ast.AST") -> Optional[Expr]:
    """The width of ``to_categorical(labels)``'s rows where no ``num_classes`` is given and the analysis does not
    know the labels: a symbol named after the call, ``to_categorical(labels).shape[1]`` (the largest label + 1, as
    Keras counts it). None where a ``num_classes`` the analysis does not know is given (it may be None at run time,
    and the width then the labels'), or where the code cannot name it (too long; the same text standing for
    something else elsewhere)."""
    import ast

    if given is not None or not isinstance(e, ast.Call) or len(e.args) != 1 or \
            any(k.arg == "num_classes" for k in e.keywords):
        return None
    labels = interp.code(e.args[0])
    name = f"to_categorical({labels}).shape[1]"
    origin = f"the number of classes `to_categorical` counts in `{labels}` (its largest label + 1)"
    held = interp.symbol_origins.get((name, interp.uncalled))
    if held is not None and held[0] != origin or "..." in name:
        return None
    return interp.made_symbol(name, origin, e)


def _sequence_count(interp: Any, e: "ast.AST") -> Any:
    """The number of rows of ``pad_sequences(sequences, ...)`` for sequences the analysis does not see: Keras's
    ``len(sequences)``, a symbol named so (what ``len(sequences)`` written in the code reads too), so that rows picked
    by ``np.arange(data.shape[0])`` are known to be valid; None where the call does not name them."""
    import ast

    if not isinstance(e, ast.Call):
        return None
    node = e.args[0] if e.args else next((k.value for k in e.keywords if k.arg == "sequences"), None)
    if node is None or isinstance(node, ast.Starred):
        return None
    return interp.made_symbol(f"len({interp.code(node)})", "the number of sequences `pad_sequences` pads (one row "
                              "each), which the analysis does not see", e)


def _pad_length(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """The number of columns of ``pad_sequences(sequences, maxlen)``: ``maxlen`` when it is a positive int or
    a symbol; a symbol named after the code when the analysis does not know it (``maxlen=max_tokens``
    computed from the data) or when it is not given (the length of the longest sequence); None otherwise
    (a value that is no length)."""
    import ast

    given = "maxlen" in kwargs or len(args) > 1
    maxlen = kwargs.get("maxlen", args[1] if len(args) > 1 else None)
    if _is_int(maxlen):
        return maxlen if maxlen > 0 else None
    if _symbolic(maxlen):
        return maxlen
    if not isinstance(e, ast.Call) or not (maxlen is None or isinstance(maxlen, Unknown)):
        return None
    node = next((k.value for k in e.keywords if k.arg == "maxlen"), e.args[1] if len(e.args) > 1 else None)
    seqs = e.args[0] if e.args else None
    if given and maxlen is not None:
        if node is None:
            return None
        name = interp.code(node)
        origin = f"the length `pad_sequences` pads to (`maxlen={name}`), which the analysis does not know"
    else:
        if seqs is None:
            return None
        name = f"pad_sequences({interp.code(seqs)}).shape[1]"  # what padding= and truncating= do not change
        origin = f"the length of the longest of `{interp.code(seqs)}`, which `pad_sequences` pads to (no `maxlen=`)"
    held = interp.symbol_origins.get((name, interp.uncalled))
    if held is not None and held[0] != origin or "..." in name:
        return None  # the same text stands for something else elsewhere; or code too long to name it
    return interp.made_symbol(name, origin, e)


def numpy_call(interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """NumPy functions that make arrays (``np.zeros``, ``np.random.rand``...) or change known arrays
    (``np.expand_dims``, ``np.reshape``, ``np.concatenate``...); or NOT_MINE."""
    made = create(interp, name, args, kwargs, e)
    if made is not NOT_MINE:
        return made
    if name in ("array", "asarray") and args:
        args = (sources.array_of(args[0]), *args[1:])
    if name in ("concatenate", "stack", "hstack", "vstack", "column_stack"):
        return join(interp, name, args[0] if args else kwargs.get("arrays"),
                    args[1] if len(args) > 1 else kwargs.get("axis", 0), e)
    if name in ("array", "asarray") and args and not isinstance(args[0], ArrayValue):
        made = valued_literal(interp, args, kwargs, e)
        if made is not None:
            return made
        shape = literal_shape(interp, args[0])
        return ArrayValue(shape) if shape is not None else NOT_MINE
    if name == "permutation" and len(args) == 1 and not kwargs and (_is_int(args[0]) and args[0] >= 0 or _symbolic(args[0])):
        # np.random.permutation(len(x)): the row numbers of x in some order (what x[idx] may pick).
        return ArrayValue((args[0],), below=args[0])
    if name in ("reshape", "expand_dims", "squeeze", "transpose", *_AT_LEAST) and args and \
            not isinstance(args[0], (ArrayValue, External, str)):
        shape = literal_shape(interp, args[0])  # NumPy takes nested lists as np.asarray of them (np.reshape(rows, ...))
        if shape is not None and all(_is_int(d) for d in shape):  # (not lists of arrays of data's sizes)
            args = (ArrayValue(shape), *args[1:])
    if name == "reshape" and args and isinstance(args[0], External):
        return reshape_unseen(args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape")))
    if name in ("shape", "ndim", "size") and len(args) == 1 and not kwargs.keys() - {"axis"}:
        made = sizes_of(interp, name, sources.array_of(args[0]), kwargs.get("axis"), e)
        if made is not NOT_MINE:
            return made
    if name == "size" and len(args) == 2 and not kwargs:
        made = sizes_of(interp, name, sources.array_of(args[0]), args[1], e)
        if made is not NOT_MINE:
            return made
    if not args or not isinstance(args[0], ArrayValue):
        return NOT_MINE
    array = args[0]
    if array.tainted is not None:
        return array.tainted
    if name in ("zeros_like", "ones_like", "empty_like", "full_like"):
        return ArrayValue(array.shape)
    if name == "transpose":
        return transpose(interp, array, args[1] if len(args) > 1 else kwargs.get("axes"), e)
    if name == "squeeze":
        return squeeze(interp, array, args[1] if len(args) > 1 else kwargs.get("axis"), e)
    if name in ("argmax", "argmin"):
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        return _indices(reduce(interp, array, axis, e, kwargs.get("keepdims", False)), array, axis) \
            if axis is not None else interp.unknown(f"the value of `{interp.code(e)}`", e)
    if name in ("array", "asarray", "ascontiguousarray", "copy"):
        return _same(array)
    if name == "float32":
        return array.derived(array.shape)
    if name in ("roll", "flip", "flipud", "nan_to_num") and (name != "flipud" or array.shape):
        return array.derived(array.shape)  # (values moved along an axis, or NaN replaced: the same shape)
    if name == "unique" and len(args) == 1 and not kwargs and _all_classes(array):
        # The sorted distinct labels: one per class.
        return ArrayValue((array.classes,), classes=array.classes, below=array.classes)
    if name in ("max", "min", "amax", "amin") and len(args) == 1 and not kwargs:
        return label_extreme(interp, array, name, e)
    if name in ("amax", "amin"):
        name = name[1:]
    if name in REDUCTIONS:
        return _reduce_call(interp, array, args, kwargs, e, method=False)
    if name == "expand_dims":
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        return expand_dims(interp, array, axis, e)
    if name in _AT_LEAST and len(args) == 1 and not kwargs:
        return at_least(array, _AT_LEAST[name])
    if name == "pad":
        return pad(interp, array, args[1] if len(args) > 1 else kwargs.get("pad_width"), e)
    if name == "reshape":
        shape = args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape"))
        return reshape(interp, array, shape, e)
    return NOT_MINE


#: NumPy functions of one array that work on each element: the result has the array's shape.
NUMPY_ELEMENTWISE = frozenset(f"numpy.{n}" for n in (
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "exp", "expm1", "exp2", "log",
    "log1p", "log2", "log10", "sqrt", "cbrt", "square", "abs", "absolute", "fabs", "negative", "sign", "floor",
    "ceil", "rint", "trunc", "reciprocal"))


#: NumPy functions of two arrays (or an array and a number) that work on each pair of elements: the shape is
#: their broadcast, as the operator's (``np.power(a, b)`` is ``a ** b``).
NUMPY_BINARY = frozenset(f"numpy.{n}" for n in (
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "power", "float_power", "mod",
    "remainder", "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot"))
#: Those of them that are an operator's function, NumPy's own ufunc for it (binop's name of the operator).
NUMPY_OPERATORS = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "divide": "Divide",
                   "true_divide": "Divide", "floor_divide": "FloorDivide", "power": "Power", "mod": "Modulo",
                   "remainder": "Modulo"}


def elementwise(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``np.sin(x)`` and the like of an array of known shape: an array of that shape (its values are not
    kept); NOT_MINE for anything else (several arguments, ``out=``, ``where=``...)."""
    if len(args) != 1 or kwargs or not isinstance(args[0], ArrayValue):
        return NOT_MINE
    array = args[0]
    if array.tainted is not None:
        return array.tainted
    return ArrayValue(array.shape)


def _same(array: ArrayValue) -> ArrayValue:
    """A copy (``np.array(x)``, ``x.astype(...)``): same shape, same labels."""
    out = array.derived(array.shape)
    out.below = array.below
    return out


def sizes_of(interp: Any, name: str, array: Any, axis: Any, e: "ast.AST") -> Any:
    """``np.shape(x)``, ``np.ndim(x)``, ``np.size(x)`` and ``np.size(x, 1)`` of an array (or a pandas frame, which
    NumPy converts): what ``x.shape``, ``x.ndim``, ``x.size`` and ``x.shape[1]`` give, Python ints (a size the
    source does not fix a symbol named by the call's text); of data the analysis does not see, what its ``.shape``
    gives (``np.size(X, 1)`` a symbol, as ``X.shape[1]``); NOT_MINE for anything else."""
    if type(array) is External and not array.role and (name == "shape" and axis is None or
                                                        name == "size" and _is_int(axis)):
        text = interp.code(e)
        if name == "size":
            return interp.made_symbol(text, *interp.data_origin(array))
        return External(interp.unseen(text, array), interp.span(e), text, "shape", made=array.made,
                        source=array.source)
    if not isinstance(array, ArrayValue) or array.tainted is not None or array.ragged or axis is not None and (
            name != "size" or not _is_int(axis) or not -len(array.shape) <= axis < len(array.shape)):
        return NOT_MINE
    if name == "shape":
        return attribute(interp, array, "shape", e)
    if name == "ndim":
        return len(array.shape)
    if axis is None:
        return math.prod(array.shape) if None not in array.shape else NOT_MINE  # type: ignore[arg-type]
    size = array.shape[axis]
    return interp.made_symbol(interp.code(e), "the data's shape", e) if size is None else size


def attribute(interp: Any, array: ArrayValue, name: str, e: "ast.AST") -> Any:
    if array.tainted is not None:
        return array.tainted
    if name not in ("shape", "ndim", "size", "astype", "copy", "tolist"):
        seal(array)  # x.T, x.flat, x.reshape...: views, or methods that may change it (tolist copies its values)
    if name == "shape":
        # A size the source does not fix (the sample count of loaded data) is a symbol named by its text.
        return tuple(interp.made_symbol(f"{interp.code(e)}[{i}]", "the data's shape", e) if d is None else d
                     for i, d in enumerate(array.shape))
    if name == "T":
        return ArrayValue(tuple(reversed(array.shape)))
    if name == "ndim":
        return len(array.shape)
    if name == "size" and None not in array.shape:
        return math.prod(array.shape)  # type: ignore[arg-type]
    return BoundMethod(array, name)


def method(interp: Any, array: ArrayValue, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
           e: "ast.AST") -> Any:
    if array.tainted is not None:
        return array.tainted
    if type(array) is ValuedArray and name in ("astype", "copy"):
        made = valued_astype(interp, array, e) if name == "astype" else valued(array.values or (), array.dtype) \
            if array.values is not None and not args and not kwargs else None
        if made is not None:
            return made
    if name == "astype":
        out = _same(array)
        if not _integer_dtype(interp, e):
            out.below = None  # floats are no row numbers (NumPy raises on them as indices), nor NumPy integers
        return out
    if name == "copy" or name == "numpy" and not args and not kwargs:  # (a TensorFlow tensor's values: an array)
        return _same(array)
    if name in ("toarray", "todense") and array.sparse and not args and not kwargs and len(array.shape) == 2:
        return ArrayValue(array.shape)  # a sparse matrix made dense (an ndarray, or todense's np.matrix): its shape
    if name == "reshape":
        return reshape(interp, array, args[0] if len(args) == 1 else args, e)
    if name in ("max", "min") and not args and not kwargs:
        return label_extreme(interp, array, name, e)
    if name in ("flatten", "ravel") and None not in array.shape:
        return ArrayValue((math.prod(array.shape),))  # type: ignore[arg-type]
    if name in REDUCTIONS:
        return _reduce_call(interp, array, args, kwargs, e, method=True)
    if name == "transpose":
        return transpose(interp, array, (args[0] if len(args) == 1 else args) or None, e)
    if name == "squeeze":
        return squeeze(interp, array, args[0] if args else kwargs.get("axis"), e)
    if name in ("argmax", "argmin") and (args or "axis" in kwargs):
        axis = args[0] if args else kwargs["axis"]
        return _indices(reduce(interp, array, axis, e, kwargs.get("keepdims", False)), array, axis)
    if name == "tolist" and not args and not kwargs and known_values(array) is not None:
        # (`np.linspace(0.0, rate, depth).tolist()`: Python's ints or floats, NumPy's values exactly; a float32's
        # are the floats it holds)
        from .values import ListValue

        return ListValue(list(array.values))
    if name == "tolist" and not args and not kwargs and len(array.shape) == 1 and _is_int(array.shape[0]) and \
            0 <= array.shape[0] <= VALUED_MAX and not array.ragged and array.tainted is None:
        # (`path_drops[a:b].tolist()` of an array whose values are not kept: a list of that many numbers, each not
        # known, so that its length, a loop over it and `isinstance(rates, list)` are)
        from .values import ListValue

        items = [_array_number(interp, array, e) for _ in range(array.shape[0])]  # (one object each: other values)
        return ListValue(items) if all(isinstance(v, ArrayNumber) for v in items) else items[0]
    if name in ("any", "all", "tolist", "item", "argmax", "argmin"):
        return interp.unknown(f"the values of `{interp.code(e)}`", e)
    if name == "set_shape" and len(args) == 1 and not kwargs:
        # a TensorFlow tensor's `set_shape([None, 6, None])` (in a dataset's `map`): a shape its own already fits
        # changes nothing; another (a size it fills in, or one that differs) is not followed
        dims = interp.sequence(args[0]) if not isinstance(args[0], Unknown) else None
        if dims is not None and len(dims) == len(array.shape) and all(
                d is None or type(d) is int and d == s for d, s in zip(dims, array.shape)):
            return None
    # resize, sort, fill...: the array may have changed in place.
    array.tainted = interp.unknown(f"changed by `.{name}()`", e)
    return interp.unknown(f"`.{name}()` of an array", e)


def _integer_dtype(interp: Any, e: "ast.AST") -> bool:
    """Whether ``x.astype(T)`` (the call ``e``) names an integer type: ``"int32"``, ``np.uint8``, ``int``."""
    import ast
    import re

    node = e.args[0] if isinstance(e, ast.Call) and e.args else None
    if node is None and isinstance(e, ast.Call):
        node = next((k.value for k in e.keywords if k.arg == "dtype"), None)
    text = interp.code(node) if node is not None else ""
    return re.fullmatch(r"""((np|numpy)\.)?u?int(8|16|32|64)?|(["'])u?int(8|16|32|64)?\4""", text.strip()) is not None


def label_extreme(interp: Any, array: ArrayValue, name: str, e: "ast.AST") -> Any:
    """``np.max(y)`` / ``y.max()`` (and ``min``) over all axes of labels whose classes the data set fixes: a NumPy
    integer, one less than the number of classes (every class occurs in the labels, which is what
    ``to_categorical(y)`` counts on too). Of other arrays the value is not known."""
    if _all_classes(array):
        return NumpyInt(array.classes - 1 if name.endswith("max") else 0)
    return _array_number(interp, array, e)


def _array_number(interp: Any, array: ArrayValue, e: "ast.AST") -> Unknown:
    """A reduction of ``array`` over all its axes: one number, whose value is not known (an ArrayNumber); of ragged
    data (lists of several lengths) or an array changed unseen, just not known."""
    made = interp.unknown(f"the values of `{interp.code(e)}`", e)
    if array.ragged or array.tainted is not None or not isinstance(made, Unknown) or type(made) is not Unknown:
        return made
    return ArrayNumber(made.reason, made.span)


def number_binop(op: str, a: Any, b: Any) -> Any:
    """``+ - * / // ** %`` of an ArrayNumber (one of ``a``, ``b``) with an array (NumPy broadcasts the number: the
    array's shape, values not known), a number or another ArrayNumber (a number, not known); None for any other
    operation or operand (unknown, as any operation on an unknown value)."""
    if op not in ("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"):
        return None
    held = a if isinstance(a, ArrayNumber) else b
    other = b if held is a else a
    if isinstance(other, ArrayValue):
        if other.tainted is not None or other.ragged:
            return other.tainted
        return ArrayValue(other.shape)
    if isinstance(other, ArrayNumber) or _is_number(other):
        return held
    return None


def _all_classes(array: ArrayValue) -> bool:
    """Integer labels of a data set that holds every one of its classes (0 to classes - 1)."""
    return _is_int(array.classes) and array.classes > 0 and array.below == array.classes and not array.ragged \
        and bool(array.shape) and all(d is None or _is_int(d) and d > 0 for d in array.shape)


def _indices(result: Any, array: ArrayValue, axis: Any) -> Any:
    """``argmax`` along ``axis``: positions along that axis (what ``np.eye(k)[i]`` may index with)."""
    if isinstance(result, ArrayValue) and _is_int(array.shape[axis]):
        result.below = array.shape[axis]
    return result


#: Reductions over an axis: ``x.mean(axis=0)``, ``np.sum(x, axis=-1)``.
REDUCTIONS = ("mean", "sum", "std", "var", "min", "max", "prod", "median")


def reduce(interp: Any, array: ArrayValue, axis: Any, e: "ast.AST", keepdims: Any = False) -> Any:
    """A reduction over one axis, or a tuple of them, removes them (``keepdims=True``: leaves them, of size 1); over
    all axes it gives a number we do not know."""
    ndim = len(array.shape)
    if axis is None and keepdims is False:
        return _array_number(interp, array, e)
    axes = axis if type(axis) is tuple and axis else (axis,)  # (a tuple of axes: `np.mean(x, axis=(0, 1, 2))`)
    if not all(_is_int(a) and -ndim <= a < ndim for a in axes) or array.ragged or keepdims not in (True, False):
        return interp.unknown(f"the values of `{interp.code(e)}`", e)
    at = {a % ndim for a in axes}
    if len(at) < len(axes):
        return interp.unknown(f"`{interp.code(e)}`: an axis given twice (NumPy raises ValueError)", e)
    if len(at) == ndim and keepdims is False:
        return _array_number(interp, array, e)  # (every axis: one number, as with no axis)
    return ArrayValue(tuple(1 if i in at else size for i, size in enumerate(array.shape) if keepdims or i not in at))


def _reduce_call(interp: Any, array: ArrayValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST",
                 method: bool) -> Any:
    """``np.mean(x, axis=1, keepdims=True)``, ``x.sum(0)``: the axis and ``keepdims``; any other positional argument
    (a dtype, an out array, ``ddof``, a positional ``keepdims``) is not followed."""
    rest = args if method else args[1:]
    if len(rest) > 1:
        return interp.unknown(f"the values of `{interp.code(e)}`", e)
    return reduce(interp, array, rest[0] if rest else kwargs.get("axis"), e, kwargs.get("keepdims", False))


def binop(interp: Any, a: Any, b: Any, e: "ast.AST", op: Optional[str] = None) -> Any:
    """Arithmetic with a number, or with an array (NumPy broadcasting); ``op`` (the interpreter's name of the
    operator) lets a short array of known values keep them."""
    arrays = [v for v in (a, b) if isinstance(v, ArrayValue)]
    for v in arrays:
        if v.tainted is not None:
            return v.tainted
    made = valued_binop(op, a, b)
    if made is not None:
        return made
    if len(arrays) == 1:
        other = b if a is arrays[0] else a
        if _is_number(other):
            # Same shape, other values: `y + 1` has one class more than `y` (to_categorical counts max + 1).
            return ArrayValue(arrays[0].shape, ragged=arrays[0].ragged)
        return interp.unknown(f"`{interp.code(e)}` on arrays", e)
    shape = broadcast(a.shape, b.shape)
    if shape is None or a.ragged or b.ragged:
        return interp.unknown(f"`{interp.code(e)}`: shapes {a.shape} and {b.shape} do not broadcast (or not known)", e)
    return ArrayValue(shape, ragged=a.ragged and shape == a.shape)


def broadcast(a: Tuple[Optional[int], ...], b: Tuple[Optional[int], ...]) -> Optional[Tuple[Optional[int], ...]]:
    """NumPy's broadcast of two shapes; None when they do not broadcast or an unknown size must match."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None  # different sizes, or an unknown size against a known one
    return tuple(reversed(out))


def mask(made: Any) -> Any:
    """``made`` (an ArrayValue a comparison or ``&`` of masks gave) marked as an array of booleans."""
    if type(made) is ArrayValue and made.tainted is None and not made.ragged:
        return ArrayValue(made.shape, boolean=True)
    return made


def _masked(interp: Any, array: ArrayValue, keys: Sequence[Any], e: "ast.AST") -> Any:
    """``x[y == 0]``, ``x[mask, :3]``: NumPy's indexing by an array of booleans first, whose shape must be that of the
    array's first axes (NumPy raises IndexError otherwise): those axes become one, of the rows where the mask is true
    (how many is not known), the others stay as they are, and the keys after the mask (slices, integers) index them.
    The sample axis of both may be unknown (a mask of the data's own rows, `X[y == 0]`: where they differ NumPy
    raises and no model comes after); another axis must be known to match. NOT_MINE when it is not one of these."""
    key = keys[0]
    if key.tainted is not None or array.ragged or key.ragged or not key.shape or len(key.shape) > len(array.shape) or \
            any(k is Ellipsis or k is None or not (isinstance(k, slice) or _is_int(k)) for k in keys[1:]):
        return NOT_MINE
    for i, (m, a) in enumerate(zip(key.shape, array.shape)):
        if not (m == a and (_is_int(m) or _symbolic(m)) or i == 0 and m is None and a is None):
            return NOT_MINE
    rest = ArrayValue((None, *array.shape[len(key.shape):]))
    if len(keys) == 1:
        return rest
    if len(keys) > len(rest.shape):
        return interp.unknown(f"`{interp.code(e)}`: too many indices", e)
    return _slice_axes(interp, rest, [slice(None), *keys[1:]], e)


def subscript(interp: Any, array: ArrayValue, keys: Sequence[Any], e: "ast.AST") -> Any:
    """``x[:n]``, ``x[i]``, ``x[..., None]`` and ``x[:, :, np.newaxis]``; anything else is unknown.

    ``keys`` holds evaluated indices, with a ``slice`` for each ``a:b:c`` and Ellipsis for ``...``.
    """
    if array.tainted is not None:
        return array.tainted
    if type(array) is ValuedArray:
        item = valued_item(array, keys[0]) if len(keys) == 1 else None
        if item is not None:
            return item
        if not (len(keys) == 1 and _is_int(keys[0])):
            seal(array)  # a view of it (x[1:], x[None]) may change it unseen
    shape = list(array.shape)
    if keys and type(keys[0]).__name__ == "Series" and getattr(keys[0], "mask", False) is True:
        # x[df["Class"] == 0]: NumPy takes a pandas series of booleans as an array of them, one per row
        keys = [ArrayValue((keys[0].rows,), boolean=True), *keys[1:]]
    if keys and type(keys[0]) is ArrayValue and keys[0].boolean and not isinstance(array, ValuedArray):
        made = _masked(interp, array, keys, e)
        if made is not NOT_MINE:
            return made
    if len(keys) == 1 and isinstance(keys[0], ArrayValue):
        return _take(interp, array, keys[0], e)
    if len(keys) == 1 and isinstance(keys[0], slice):
        return _slice_first(interp, array, keys[0], e)
    if len(keys) > 1 and len(keys) <= len(shape) and not array.ragged and \
            all(isinstance(k, slice) or _is_int(k) for k in keys):
        return _slice_axes(interp, array, keys, e)
    if len(keys) > 1 and len(keys) <= len(shape) and not array.ragged and \
            sum(isinstance(k, ListValue) for k in keys) == 1 and \
            all(isinstance(k, (slice, ListValue)) for k in keys):
        return _slice_axes(interp, array, keys, e)
    if len(keys) == 1 and _is_int(keys[0]) and shape:
        if array.ragged:
            # One sample of imdb/reuters data: a Python list whose length varies from sample to sample.
            return interp.unknown(f"`{interp.code(e)}` is one sequence of ragged data (its length varies)", e)
        first = array.nonempty and keys[0] in (0, -1)  # (the first or last sample of a batch)
        if not first and (not _is_int(shape[0]) or not -shape[0] <= keys[0] < shape[0]):
            return interp.unknown(f"`{interp.code(e)}`: index {keys[0]} is out of range for {shape[0]} samples", e)
        return ArrayValue(tuple(shape[1:]))
    new = [k is None or (isinstance(k, ExternalRef) and k.path.endswith(".newaxis")) for k in keys]
    if len(keys) == 1 and isinstance(keys[0], Unknown) and not array.ragged:
        # `x[train]` with indices from code not followed (a KFold's split): data the analysis does not see, whose
        # sizes read by a known role are symbols named by their text (`x_train.shape[1]`)
        from .sources import opaque

        return opaque(interp, f"`{interp.code(e)}` is not followed (its index is not known: {keys[0].reason})", e)
    if any(new) and not array.ragged and sum(k is Ellipsis for k in keys) <= 1 and \
            not all(n or k is Ellipsis or k == slice(None) for n, k in zip(new, keys)) and \
            all(n or k is Ellipsis or isinstance(k, slice) or _is_int(k) for n, k in zip(new, keys)):
        return _basic_index(interp, array, keys, new, e)
    if not any(new) or not all(n or k is Ellipsis or k == slice(None) for n, k in zip(new, keys)) or \
            sum(k is Ellipsis for k in keys) > 1:
        return interp.unknown(f"`{interp.code(e)}` is not followed", e)
    if Ellipsis in keys:
        at = keys.index(Ellipsis)
        before, after = list(keys[:at]), list(keys[at + 1:])
        fill = len(shape) - sum(not n and k is not Ellipsis for k, n in zip(keys, new))
        if fill < 0:
            return interp.unknown(f"`{interp.code(e)}`: too many indices", e)
        keys = before + [slice(None)] * fill + after
        new = [k is None or (isinstance(k, ExternalRef) and k.path.endswith(".newaxis")) for k in keys]
    out, dims = [], iter(shape)
    for is_new in new:
        out.append(1 if is_new else next(dims, None))
    out.extend(dims)
    if len(out) != len(shape) + sum(new):
        return interp.unknown(f"`{interp.code(e)}`: too many indices", e)
    return array.derived(tuple(out))


def _basic_index(interp: Any, array: ArrayValue, keys: Sequence[Any], new: Sequence[bool], e: "ast.AST") -> Any:
    """NumPy's basic indexing with new axes among slices and integers (``table[np.newaxis, :n, :]``, the
    positional table of TensorFlow's transformer tutorial; ``x[:, None, 0]``): each new axis is a size of 1
    that takes no axis of the array, a slice keeps its axis with the sizes it selects, an integer removes its
    axis (unknown where it may be out of range), ``...`` stands for the axes no key takes, and the axes after
    the keys stay as they are."""
    taking = sum(not n and k is not Ellipsis for k, n in zip(keys, new))
    if taking > len(array.shape):
        return interp.unknown(f"`{interp.code(e)}`: too many indices", e)
    if Ellipsis in keys:
        at = list(keys).index(Ellipsis)
        keys = [*keys[:at], *[slice(None)] * (len(array.shape) - taking), *keys[at + 1:]]
        new = [*new[:at], *[False] * (len(array.shape) - taking), *new[at + 1:]]
    out: List[Any] = []
    dims = iter(array.shape)
    for key, is_new in zip(keys, new):
        if is_new:
            out.append(1)
            continue
        size = next(dims)
        if isinstance(key, slice):
            count = _sliced(size, key)
            if count is NOT_MINE:
                return interp.unknown(f"`{interp.code(e)}` is not followed", e)
            out.append(count)
        elif not _is_int(size) or not -size <= key < size:
            return interp.unknown(f"`{interp.code(e)}`: the index may be out of range", e)
    out.extend(dims)
    return array.derived(tuple(out))


def _take(interp: Any, array: ArrayValue, index: ArrayValue, e: "ast.AST") -> Any:
    """``x[i]`` with an array of integers ``i``: the rows it picks, ``i``'s shape then a row's
    (``np.eye(3)[labels]`` one-hot encodes). Only for integers known to be valid row numbers."""
    if index.tainted is not None:
        return index.tainted
    rows = array.shape[0] if array.shape else None
    # Row numbers below a count that is the array's own (a symbol: np.random.permutation(len(x))) are valid too.
    fits = index.below is not None and (index.below == rows if _symbolic(rows) else _is_int(rows) and
                                        _is_int(index.below) and index.below <= rows)
    if array.ragged or index.ragged or not fits:
        return interp.unknown(f"`{interp.code(e)}` is not followed", e)
    return ArrayValue((*index.shape, *array.shape[1:]))


def length(array: ArrayValue) -> Optional[int]:
    """``len(array)``: its sample count, None when not known (or a zero-dimensional array: len() raises)."""
    return None if array.tainted is not None or not array.shape else array.shape[0]


#: ``np.atleast_1d``/``2d``/``3d`` and the rank each gives an array of a lower rank.
_AT_LEAST = {"atleast_1d": 1, "atleast_2d": 2, "atleast_3d": 3}


def at_least(array: ArrayValue, rank: int) -> ArrayValue:
    """``np.atleast_2d(x)`` of one array (an agent's ``np.atleast_2d(state)`` before its network): NumPy's new axes
    for each lower rank (a vector of N: ``(1, N)``; ``atleast_3d`` of a vector ``(1, N, 1)``, of a matrix ``(M, N,
    1)``), the array itself at that rank or above."""
    shape = array.shape
    if len(shape) >= rank:
        return _same(array)
    if not shape:
        return array.derived((1,) * rank)
    if rank == 2:
        return array.derived((1, *shape))
    return array.derived((1, *shape, 1) if len(shape) == 1 else (*shape, 1))


def expand_dims(interp: Any, array: ArrayValue, axis: Any, e: "ast.AST") -> Any:
    ndim = len(array.shape) + 1
    if not _is_int(axis) or not -ndim <= axis < ndim:
        return interp.unknown(f"`{interp.code(e)}`: the axis is not known or out of range", e)
    at = axis % ndim
    return array.derived((*array.shape[:at], 1, *array.shape[at:]))


def reshape(interp: Any, array: ArrayValue, shape: Any, e: "ast.AST") -> Any:
    """NumPy's reshape with one -1 allowed; the sample count may be unknown if it stays first."""
    if _is_int(shape):
        shape = (shape,)
    dims = list(shape) if isinstance(shape, tuple) else None
    if array.ragged or not array.shape or dims is None or not dims or not all(_is_int(d) or _unfixed(d) for d in dims):
        return interp.unknown(f"`{interp.code(e)}`: the new shape is not known", e)
    samples, per_sample = array.shape[0], array.shape[1:]
    samples = samples if _is_int(samples) else None
    if not all(_is_int(d) for d in per_sample):
        return _asked(interp, dims, samples, e, "the array's shape is not known")
    size = math.prod(per_sample)  # type: ignore[arg-type]
    first = dims[0]
    rest = dims[1:]
    if _unfixed(first) or (first == -1 and samples is None):
        # x.reshape(x.shape[0], 28, 28, 1) or x.reshape(-1, 28, 28, 1) with an unknown count.
        if not all(_is_int(d) and d > 0 for d in rest) or math.prod(rest) != size:
            return interp.unknown(f"`{interp.code(e)}`: cannot check the new shape", e)
        return ArrayValue((samples, *rest))
    if samples is None or any(_unfixed(d) for d in dims):
        return _asked(interp, dims, samples, e, "the array's size is not known")
    total = samples * size
    wild = [i for i, d in enumerate(dims) if d == -1]
    known = math.prod(d for d in dims if d != -1)
    if len(wild) > 1 or any(d < -1 or d == 0 for d in dims) or known == 0:
        return interp.unknown(f"`{interp.code(e)}`: an invalid shape", e)
    if wild:
        if total % known:
            return _bad_reshape(interp, array, dims, e)
        dims[wild[0]] = total // known
    if math.prod(dims) != total:
        return _bad_reshape(interp, array, dims, e)
    return ArrayValue(tuple(dims))


def _asked(interp: Any, dims: List[Any], samples: Any, e: "ast.AST", why: str) -> Any:
    """A reshape whose sizes the analysis cannot check (the array's or the new shape's hold symbols): if it runs,
    the result has the shape asked for (NumPy raises otherwise), with ``-1`` and unknown sizes not known, and a
    first size that is a symbol or unknown (``x.shape[0]``) the array's sample count. Unknown when even the
    rank is not known (``why`` says why)."""
    made = reshape_unseen(tuple(dims))
    if made is NOT_MINE:
        return interp.unknown(f"`{interp.code(e)}`: {why}", e)
    if _unfixed(dims[0]):
        return ArrayValue((samples, *made.shape[1:]))
    return made


def unseen_method(interp: Any, method: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """A method of a value from code the analysis does not see (``method``, an External named by its
    text, ``x.reshape``), when its result's shape is known anyway; else NOT_MINE."""
    if method.text.rsplit(".", 1)[-1] != "reshape" or len(args) > 1 and \
            not all(_is_int(a) or isinstance(a, Expr) for a in args):
        return NOT_MINE  # several arguments are sizes (a module's reshape(x, shape) is not this)
    if len(args) == 1 or "shape" in kwargs:
        return reshape_unseen(args[0] if args else kwargs["shape"])
    return reshape_unseen(args) if args else NOT_MINE


def reshape_unseen(shape: Any) -> Any:
    """``x.reshape((n, 28, 28, 1))`` or ``np.reshape(x, (-1, 500, 1))`` of data the analysis does not
    see (``np.load(...)``): whatever ``x`` held, the result has the shape asked for (NumPy, and the
    libraries that copy its API, raise otherwise). ``-1`` and a size that is not known (an integer at
    run time, if the code goes on) leave that size unknown; symbols and expressions stay. NOT_MINE
    when the rank itself is not known (the shape is one unknown value)."""
    if hasattr(shape, "items") and isinstance(getattr(shape, "items"), list) and getattr(shape, "tainted", None) is None:
        shape = tuple(shape.items)
    if _is_int(shape) or isinstance(shape, Expr):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape:
        return NOT_MINE
    dims = []
    for d in shape:
        if _is_int(d) and d >= -1 or isinstance(d, Expr):
            dims.append(None if d == -1 else d)
        elif isinstance(d, (Unknown, OpaqueCallable)):
            dims.append(None)
        else:
            return NOT_MINE  # a float, a string, a tuple...: NumPy raises
    if sum(d == -1 for d in shape if _is_int(d)) > 1:
        return NOT_MINE
    return ArrayValue(tuple(dims))


def _bad_reshape(interp: Any, array: ArrayValue, dims: Sequence[int], e: "ast.AST") -> Any:
    """NumPy raises: an array of known shape reshaped to a shape of another size (rule KC704)."""
    total = math.prod(array.shape)  # type: ignore[arg-type]
    new = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
    interp.notes.append(Note("KC704", f"cannot reshape an array of shape {array.shape} ({total:,} elements) into "
                                      f"shape {new}: NumPy raises ValueError; give a shape of {total:,} elements "
                                      f"(or one -1)", interp.span(e)))
    return interp.unknown(f"`{interp.code(e)}`: cannot reshape {total} elements into {new}", e)


def _slice_axes(interp: Any, array: ArrayValue, keys: Sequence[Any], e: "ast.AST") -> Any:
    """``x[:, :10]``, ``x[:, 0]``, ``x[2:5, ::2, -1]``: a slice keeps its axis (with the sizes it selects),
    an integer index removes it. ``x[:, [0, 2, 5]]``, slices and one list of integer indices (the caller
    gives no integer index with it: NumPy would move or broadcast the axes), each within its axis's known size:
    the list's axis has as many items as the list, in place."""
    out = []
    for size, key in zip(array.shape, keys):
        if isinstance(key, slice):
            count = _sliced(size, key)
            if count is NOT_MINE:
                return interp.unknown(f"`{interp.code(e)}` is not followed", e)
            out.append(count)
        elif isinstance(key, ListValue):
            items = key.items if key.tainted is None else None
            if items is None or not _is_int(size) or not all(_is_int(i) and -size <= i < size for i in items):
                return interp.unknown(f"`{interp.code(e)}`: the indices may be out of range", e)
            out.append(len(items))  # (a list of booleans, a mask, is not one of integers)
        elif not _is_int(size) or not -size <= key < size:
            return interp.unknown(f"`{interp.code(e)}`: the index may be out of range", e)
    return ArrayValue((*out, *array.shape[len(keys):]))


def _slice_first(interp: Any, array: ArrayValue, key: slice, e: "ast.AST") -> Any:
    count = _sliced(array.shape[0], key) if array.shape else NOT_MINE
    if count is NOT_MINE:
        return interp.unknown(f"`{interp.code(e)}` is not followed", e)
    return array.derived((count, *array.shape[1:]))


def _sliced(size: Any, key: slice) -> Any:
    """How many items ``key`` (``a:b:c``) selects along an axis of ``size``: an int, None when it is not
    known, or NOT_MINE when the slice is not one NumPy takes (a known bound that is not an integer, step 0).

    A bound the source does not fix (``x[:pivot]`` with ``pivot = int(len(x) * 0.9)`` of data the analysis
    does not see) leaves the count unknown, a symbol when the shape is read; the other axes keep their
    sizes whatever the bound is, since NumPy raises on a bound that is not an integer (the result of a
    call the analysis does not see, an OpaqueCallable, may be one)."""
    parts = (key.start, key.stop, key.step)
    if not all(p is None or _is_int(p) or _unfixed(p) or isinstance(p, OpaqueCallable) for p in parts) or \
            key.step == 0:
        return NOT_MINE
    if all(p is None for p in parts):
        return size  # x[:] keeps the axis as it is
    if not _is_int(size) or not all(p is None or _is_int(p) for p in parts):
        return None
    return len(range(size)[key])


def _unfixed(v: Any) -> bool:
    """A size the source does not fix: unknown, or a symbol (``x.shape[0]`` of loaded data)."""
    return isinstance(v, (Unknown, Expr))


def _symbolic(v: Any) -> bool:
    return isinstance(v, Expr)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _shape_arg(v: Any, symbols: bool = False) -> Optional[Tuple[Any, ...]]:
    """A shape argument (``10`` or ``(100, 4)``) of known non-negative sizes, else None. With ``symbols``,
    a size may also be a symbol or an expression of symbols (``len(header) - 1`` of a file read at run
    time): NumPy takes only integers there, so the array, if the code goes on, has those sizes."""
    if _is_int(v) or symbols and isinstance(v, Expr):
        v = (v,)
    if hasattr(v, "items") and isinstance(getattr(v, "items"), list) and getattr(v, "tainted", None) is None:
        v = tuple(v.items)
    if isinstance(v, list):
        v = tuple(v)
    if isinstance(v, tuple) and all(_is_int(d) and d >= 0 or symbols and isinstance(d, Expr) for d in v):
        return v
    return None


def _counted(v: Any) -> Any:
    """A shape argument whose sizes may be symbols (kept) and whose first size (the sample count) may
    be unknown: then None."""
    if hasattr(v, "items") and isinstance(getattr(v, "items"), list) and getattr(v, "tainted", None) is None:
        v = tuple(v.items)
    if isinstance(v, (tuple, list)) and v and not isinstance(v[0], (int, float, str, tuple, Expr)):
        # An unknown value or the result of a call the analysis does not see: if it is not an integer,
        # NumPy raises, so the array (if any) has the other sizes.
        rest = _shape_arg(tuple(v[1:]), symbols=True)
        return (None, *rest) if rest is not None else None
    return _shape_arg(v, symbols=True)


#: NumPy's array makers whose shape is their first argument, and ``np.random`` makers whose shape is ``size=``
#: (after this many positional arguments).
#: Where the batch size of data given to a model comes from (ModelResult.symbols).
_BATCH = "the batch size of the data given to the model"
_SHAPED = ("zeros", "ones", "empty", "full")
_SIZED = {"random": 0, "random_sample": 0, "rand_sample": 0, "randint": 2, "normal": 2, "uniform": 2,
          "binomial": 2, "poisson": 1, "choice": 1, "standard_normal": 0, "integers": 2}


def create(interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """An array NumPy makes from sizes alone, or NOT_MINE."""
    shape: Any = NOT_MINE
    if name in _SHAPED:
        shape = _counted(args[0] if args else kwargs.get("shape"))
    elif name in ("rand", "randn"):
        shape = _counted(tuple(args)) if not kwargs else None
    elif name in _SIZED:
        at = _SIZED[name]
        size = args[at] if len(args) > at else kwargs.get("size", NOT_MINE)
        if size is None or size is NOT_MINE:
            return NOT_MINE  # one number
        shape = _shape_arg(size, symbols=True)
    elif name == "multivariate_normal":
        # np.random.multivariate_normal(mean, cov, size): `size` samples (one if None) of len(mean) values each;
        # NumPy raises unless cov is len(mean) x len(mean).
        mean = literal_shape(interp, args[0] if args else kwargs.get("mean"))
        cov = literal_shape(interp, args[1] if len(args) > 1 else kwargs.get("cov"))
        size = args[2] if len(args) > 2 else kwargs.get("size")
        if mean is None or len(mean) != 1 or cov != (mean[0], mean[0]):
            shape = None
        else:
            rows = () if size is None else _shape_arg(size, symbols=True)
            shape = None if rows is None else (*rows, mean[0])
    elif name == "arange":
        made = valued_arange(interp, args, kwargs, e)
        if made is not None:
            if made.dtype in ("int64", "int32") and made.values and min(made.values) >= 0:
                made.below = max(made.values) + 1  # (row numbers: x[np.arange(len(x))] picks rows)
            return made
        if len(args) == 1 and not kwargs and _symbolic(args[0]) and not isinstance(args[0], NumpyExpr):
            # np.arange(len(x)) of data whose length is a symbol: its row numbers, in order (what x[idx] may pick)
            return ArrayValue((args[0],), below=args[0])
        # NumPy's arange([start,] stop[, step]): one bound, given by position or as `start=` or `stop=`, is the stop
        names = ("start", "stop", "step")
        given = dict(zip(names, args), **{k: v for k, v in kwargs.items() if k in names})
        start, stop, step = given.get("start"), given.get("stop"), given.get("step", 1)
        if stop is None and "start" not in kwargs:
            start, stop = 0, start  # (`start=` alone: NumPy raises TypeError, "arange() requires stop")
        elif start is None:
            start = 0  # `np.arange(stop=7)`
        if stop is None or len(args) > 3 or set(kwargs) - {*names, "dtype"} or set(kwargs) & set(names[:len(args)]) or \
                not all(_is_number(b) for b in (start, stop, step)):
            shape = None
        else:
            shape = None if step == 0 else (max(0, math.ceil((stop - start) / step)),)
    elif name == "linspace":
        made = valued_linspace(args, kwargs)
        if made is not None:
            return made
        num = args[2] if len(args) > 2 else kwargs.get("num", 50)
        shape = (num,) if _is_int(num) and num >= 0 else None
    elif name in ("eye", "identity"):
        n = args[0] if args else kwargs.get("N")
        m = args[1] if len(args) > 1 and name == "eye" else kwargs.get("M", n)
        m = n if m is None else m
        # (a size the code holds as a symbol, `np.eye(num_features)`: a symbolic square)
        shape = (n, m) if all(_is_int(v) and v >= 0 or isinstance(v, Expr) and not isinstance(v, NumpyExpr)
                              for v in (n, m)) else None
    if shape is NOT_MINE:
        return NOT_MINE
    if shape is None:
        return interp.unknown(f"the shape of `{interp.code(e)}` is not known", e)
    return ArrayValue(shape, below=_below(name, args, kwargs))


def _below(name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[int]:
    """For ``randint(0, k, ...)``/``randint(k, size=...)``/``choice(k, ...)``: the integers are in range(k)."""
    if name in ("randint", "integers"):
        low = args[0] if args else kwargs.get("low")
        high = args[1] if len(args) > 1 else kwargs.get("high")
        if high is None:
            low, high = 0, low
        if low == 0 and _is_int(high) and high > 0 and "dtype" not in kwargs or \
                low == 0 and _is_int(high) and high > 0 and isinstance(kwargs.get("dtype"), ExternalRef) and \
                "int" in kwargs["dtype"].path:
            return high
    if name == "choice" and args and _is_int(args[0]) and args[0] > 0:
        return args[0]
    if name == "arange" and 1 <= len(args) <= 3 and not kwargs and all(_is_int(a) for a in args):
        # np.arange(n), np.arange(start, stop, step) of ints from 0 up: each below the stop (row numbers)
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
        if start >= 0 and step > 0 and stop > start:
            return stop
    return None


def literal_shape(interp: Any, value: Any) -> Optional[Tuple[int, ...]]:
    """The shape of ``np.array`` of nested lists/tuples of numbers, None if ragged or not known."""
    if _is_number(value) or isinstance(value, bool):
        return ()
    if isinstance(value, ArrayValue):
        return value.shape if value.tainted is None and None not in value.shape and not value.ragged else None  # type: ignore[return-value]
    items = interp.sequence(value) if not isinstance(value, str) else None
    if items is None or len(items) > 10000:
        return None
    shapes = [literal_shape(interp, i) for i in items]
    if any(s is None for s in shapes) or len(set(shapes)) > 1:
        return None
    return (len(items), *(shapes[0] if shapes else ()))  # type: ignore[misc]


def _ints(interp: Any, value: Any) -> Any:
    """Nested lists/tuples of integers as Python lists (an int as itself), else None."""
    if _is_int(value):
        return value
    items = interp.sequence(value) if not isinstance(value, str) else None
    if items is None or len(items) > 64:
        return None
    out = [_ints(interp, i) for i in items]
    return None if any(i is None for i in out) else out


def pad(interp: Any, array: ArrayValue, widths: Any, e: "ast.AST") -> Any:
    """``np.pad(x, [[0, 0], [2, 2], [2, 2]])``: each axis grows by the widths before and after it. The
    widths broadcast to one (before, after) pair per axis as NumPy broadcasts them: ``2``, ``(1, 2)``,
    ``((1, 2),)`` or one pair (or one number) per axis."""
    grid = _ints(interp, widths)
    ndim = len(array.shape)
    if isinstance(grid, int):
        grid = [[grid]]
    elif grid and all(isinstance(g, int) for g in grid):
        grid = [grid]  # (before, after) or (width,): the same for every axis
    pairs = None
    if isinstance(grid, list) and grid and all(isinstance(g, list) and g and len(g) <= 2 for g in grid) and \
            len({len(g) for g in grid}) == 1 and len(grid) in (1, ndim):
        pairs = [(g[0], g[-1]) for g in grid] * (ndim if len(grid) == 1 else 1)
    if array.ragged or not ndim or pairs is None or any(b < 0 or a < 0 for b, a in pairs):
        return interp.unknown(f"`{interp.code(e)}`: the pad widths are not known or not valid", e)
    return ArrayValue(tuple(None if d is None else d + b + a for d, (b, a) in zip(array.shape, pairs)))


def transpose(interp: Any, array: ArrayValue, axes: Any, e: "ast.AST") -> Any:
    if axes is None:
        return ArrayValue(tuple(reversed(array.shape)))
    axes = _shape_arg(axes) if not isinstance(axes, tuple) or all(_is_int(a) for a in axes) else None
    n = len(array.shape)
    if axes is None or not all(-n <= a < n for a in axes) or sorted(a % n for a in axes) != list(range(n)):
        # (NumPy raises AxisError for an axis out of range, ValueError for axes that are no permutation)
        return interp.unknown(f"`{interp.code(e)}`: the axes are not known", e)
    return ArrayValue(tuple(array.shape[a] for a in axes))


def squeeze(interp: Any, array: ArrayValue, axis: Any, e: "ast.AST") -> Any:
    n = len(array.shape)
    if axis is None:
        if None in array.shape:
            return interp.unknown(f"`{interp.code(e)}`: sizes not known", e)
        return array.derived(tuple(d for d in array.shape if d != 1))
    axes = (axis,) if _is_int(axis) else axis
    if not isinstance(axes, tuple) or not all(_is_int(a) and -n <= a < n for a in axes) or \
            any(array.shape[a] != 1 for a in axes):
        return interp.unknown(f"`{interp.code(e)}`: the axis is not known or not of size 1", e)
    drop = {a % n for a in axes}
    return array.derived(tuple(d for i, d in enumerate(array.shape) if i not in drop))


def join(interp: Any, name: str, arrays: Any, axis: Any, e: "ast.AST") -> Any:
    """``np.concatenate``/``stack``/``hstack``/``vstack``/``column_stack`` of known arrays."""
    items = interp.sequence(arrays)
    if not items or not all(isinstance(a, ArrayValue) and a.tainted is None and not a.ragged for a in items):
        return interp.unknown(f"`{interp.code(e)}`: arrays not known", e)
    shapes = [a.shape for a in items]
    if name == "vstack":
        shapes = [s if len(s) >= 2 else (1, *s) for s in shapes]
        name, axis = "concatenate", 0
    elif name == "column_stack":
        shapes = [s if len(s) >= 2 else (*s, 1) for s in shapes]
        name, axis = "concatenate", 1
    elif name == "hstack":
        name, axis = "concatenate", 0 if len(shapes[0]) == 1 else 1
    if not _is_int(axis):
        return interp.unknown(f"`{interp.code(e)}`: the axis is not known", e)
    if name == "stack":
        n = len(shapes[0]) + 1
        common = _agreed(shapes)
        if common is None or not -n <= axis < n:
            return interp.unknown(f"`{interp.code(e)}`: shapes differ or are not known", e)
        at = axis % n
        return ArrayValue((*common[:at], len(shapes), *common[at:]))
    n = len(shapes[0])
    if not n or any(len(s) != n for s in shapes) or not -n <= axis < n:
        return interp.unknown(f"`{interp.code(e)}`: ranks differ", e)
    at = axis % n
    rest = _agreed([s[:at] + s[at + 1:] for s in shapes])
    if rest is None:
        return interp.unknown(f"`{interp.code(e)}`: shapes differ or are not known", e)
    sizes = [s[at] for s in shapes]
    total = None if None in sizes else sum(sizes)  # type: ignore[arg-type]
    return ArrayValue((*rest[:at], total, *rest[at:]))


def _agreed(shapes: Sequence[Tuple[Any, ...]]) -> Optional[Tuple[Any, ...]]:
    """The one shape arrays of ``shapes`` must share to be joined (NumPy raises ValueError otherwise): each size the
    known one where some are known (a size not known there is that one, or NumPy raises), None where none is; None
    when they have other ranks, or known sizes that differ."""
    if len({len(s) for s in shapes}) != 1:
        return None
    out = []
    for sizes in zip(*shapes):
        known = {d for d in sizes if d is not None}
        if len(known) > 1:
            return None
        out.append(next(iter(known)) if known else None)
    return tuple(out)


class Bunch:
    """What scikit-learn's ``load_iris()`` returns: ``.data`` and ``.target`` arrays."""

    def __init__(self, attrs: Dict[str, Any]) -> None:
        self.attrs = attrs


#: scikit-learn's bundled data sets: (samples, features, classes or None for a regression target).
SKLEARN_DATASETS: Dict[str, Tuple[int, int, Optional[int]]] = {
    "load_iris": (150, 4, 3),
    "load_digits": (1797, 64, 10),
    "load_wine": (178, 13, 3),
    "load_breast_cancer": (569, 30, 2),
    "load_diabetes": (442, 10, None),
    # Downloaded on first use, but of a documented fixed size (20,640 districts, 8 features).
    "fetch_california_housing": (20640, 8, None),
}


def sklearn_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """``train_test_split`` and the bundled data sets of scikit-learn; or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if last in SKLEARN_DATASETS and path.startswith("sklearn.datasets"):
        if args or set(kwargs) - {"return_X_y", "data_home", "download_if_missing"} or \
                not isinstance(kwargs.get("return_X_y", False), bool):
            return NOT_MINE  # as_frame=, n_class=...: other shapes or objects
        n, features, classes = SKLEARN_DATASETS[last]
        x, y = ArrayValue((n, features)), ArrayValue((n,), classes=classes, below=classes)
        if kwargs.get("return_X_y"):
            return x, y
        attrs = {"data": x, "target": y}
        if last == "load_digits":
            attrs["images"] = ArrayValue((n, 8, 8))  # the same pixels as `data`, as 8x8 images (documented)
        return Bunch(attrs)
    if last == "train_test_split" and path.startswith("sklearn.model_selection"):
        return train_test_split(interp, args, kwargs, e)
    return NOT_MINE


def train_test_split(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """Each array split in two along its first axis, with scikit-learn's sizes:
    test = ceil(test_size * n) (or test_size itself if an int), train = n - test (or train_size)."""
    def rows(a: Any) -> Any:
        return a.shape[0] if isinstance(a, ArrayValue) else a.rows

    def known(a: Any) -> bool:
        return isinstance(a, ArrayValue) and a.tainted is None and bool(a.shape) or hasattr(a, "with_rows")

    if not args or not any(known(a) for a in args):
        return NOT_MINE
    # Each array is split on its own: of one whose shape is not known, both parts are unknown, and the
    # others keep theirs (sizes past the first, of rows a number only when every array's is known).
    n = rows(args[0]) if known(args[0]) and _is_int(rows(args[0])) else None
    test_size, train_size = kwargs.get("test_size"), kwargs.get("train_size")
    test: Optional[int] = None
    train: Optional[int] = None
    if n is not None and all(known(a) and rows(a) == n for a in args) and \
            all(v is None or _is_number(v) for v in (test_size, train_size)):
        if test_size is None and train_size is None:
            test_size = 0.25
        if isinstance(test_size, float) and 0 < test_size < 1:
            test = math.ceil(test_size * n)
        elif _is_int(test_size) and 0 < test_size < n:
            test = test_size
        if isinstance(train_size, float) and 0 < train_size < 1:
            train = math.floor(train_size * n)
        elif _is_int(train_size) and 0 < train_size < n:
            train = train_size
        if test is None and train is not None and test_size is None:
            test = n - train
        if train is None and test is not None and train_size is None:
            train = n - test
        if test is None or train is None or train + test > n:
            test = train = None
    out = []
    for a in args:
        if not known(a):
            why = a if isinstance(a, Unknown) else a.tainted if isinstance(a, ArrayValue) and \
                a.tainted is not None else interp.unknown("what `train_test_split` splits is not known", e)
            out += [why, why]
            continue
        if not isinstance(a, ArrayValue):
            out += [a.with_rows(train), a.with_rows(test)]
            continue
        out += [ArrayValue((train, *a.shape[1:]), classes=a.classes, below=a.below),
                ArrayValue((test, *a.shape[1:]), classes=a.classes, below=a.below)]
    return tuple(out)


#: Where ``x``, ``y`` and ``validation_data`` are among the positional arguments of each data method
#: (Keras 2's ``*_generator`` methods take the generator first, as ``x``).
_DATA_ARGS = {"fit": ("x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split", "validation_data"),
              "evaluate": ("x", "y"), "train_on_batch": ("x", "y"), "test_on_batch": ("x", "y"),
              "predict": ("x",), "predict_on_batch": ("x",),
              "fit_generator": ("x", "steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data"),
              "evaluate_generator": ("x",), "predict_generator": ("x",)}


def _bound(method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The arguments of ``model.<method>(...)`` by name; None when there are more than it takes."""
    names = _DATA_ARGS.get(method, ())
    if len(args) > len(names):
        return None
    bound = dict(zip(names, args))
    bound.update(kwargs)
    if "generator" in bound and method.endswith("_generator"):
        bound["x"] = bound.pop("generator")
    return bound


def _shape_of(v: Any) -> Optional[Tuple[Any, ...]]:
    """The shape of an array or frame (sizes may be symbols, or None when not known), else None."""
    from .sources import array_of

    v = array_of(v)
    if not isinstance(v, ArrayValue) or v.tainted is not None or v.ragged or not v.shape:
        return None
    return v.shape


def partial_shape(v: Any) -> Optional[Tuple[Any, ...]]:
    """The shape of an array of known rank some of whose sizes past the first are not known (None there), else
    None (not an array, or every size past the first known: ``first_batch`` takes those)."""
    shape = _shape_of(v)
    return shape if shape is not None and None in shape[1:] else None


def _known_shape(v: Any) -> Optional[Tuple[Any, ...]]:
    """The shape of an array whose sizes past the first are all known (ints or symbols), else None."""
    shape = _shape_of(v)
    return shape if shape is not None and None not in shape[1:] else None


def _inputs(interp: Any, v: Any) -> Optional[Tuple[Tuple[Any, ...], ...]]:
    """For ``[x1, x2]`` given to a model of several inputs: each array's shape (None if one is not known)."""
    if not isinstance(v, (tuple, list)) and type(v).__name__ != "ListValue":
        return None
    items = interp.sequence(v) if interp is not None else None
    if not items or len(items) < 2:
        return None
    shapes = tuple(_shape_of(i) for i in items)
    return None if any(s is None for s in shapes) else shapes  # type: ignore[return-value]


def _one_item(interp: Any, v: Any) -> Optional[Tuple[Any, ...]]:
    """For ``[x]``, a list holding one array: that array's shape. Keras reads a list of one array as
    the inputs of a model of one input, that array (``model.predict([row])`` gives the model the row, not a
    batch of one row); a model of several inputs rejects it for its number of arrays."""
    if not isinstance(v, list) and type(v).__name__ != "ListValue":
        return None
    items = interp.sequence(v) if interp is not None else None
    if not items or len(items) != 1:
        return None
    return _shape_of(items[0])


def _pair(v: Any) -> Tuple[Optional[Tuple[Any, ...]], Optional[Tuple[Any, ...]]]:
    """``validation_data``: ``(x, y)`` arrays, or a generator/dataset."""
    from .sources import Batches

    if isinstance(v, Batches):
        return v.batch_shapes()
    if isinstance(v, tuple) and len(v) >= 2:
        return _shape_of(v[0]), _shape_of(v[1])
    return None, None


def data_call(method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], span: Any, compiled: Any,
              layer_count: int, interp: Any = None) -> Any:
    """An ``ir.DataCall`` for ``model.<method>(...)``, or None when it gives no data of known shape."""
    from .sources import Batches

    bound = _bound(method, args, kwargs)
    if bound is None:
        return None
    x_val = bound.get("x")
    xs = None
    if isinstance(x_val, Batches):
        x, y = x_val.batch_shapes()
        y = y if "y" in _DATA_ARGS[method] or method in ("fit_generator", "evaluate_generator") else None
        batch = x_val.first_batch()
    else:
        x = _shape_of(x_val)
        if x is None:
            x = _one_item(interp, x_val)
        y = _shape_of(bound.get("y")) if "y" in _DATA_ARGS[method] else None
        xs = _inputs(interp, x_val) if x is None else None
        batch = _batch_size(method, bound, x)
    val_x, val_y = _pair(bound.get("validation_data"))
    if x is None and y is None and val_x is None and val_y is None and xs is None:
        return None
    return DataCall(method, span, x=x, y=y, val_x=val_x, val_y=val_y, compile=compiled, layer_count=layer_count,
                    xs=xs, batch=batch)


def _batch_size(method: str, bound: Dict[str, Any], x: Optional[Tuple[Any, ...]]) -> Optional[int]:
    """The number of samples in the first batch, when the sample count and the batch size are known."""
    if x is None or not _is_int(x[0]):
        return None
    samples = x[0]
    if method.endswith("_on_batch"):
        return samples
    size = bound.get("batch_size", 32)
    size = 32 if size is None else size
    split = bound.get("validation_split", 0.0) if method == "fit" else 0.0
    if not _is_int(size) or size <= 0 or not _is_number(split) or not 0 <= split < 1:
        return None
    samples = int(math.floor(samples * (1.0 - split))) if split else samples
    return min(size, samples) if samples > 0 else None


#: The methods whose data Keras 3 hands to ``get_data_adapter`` (through an ``EpochIterator``, in every backend's
#: trainer) before it builds anything, and the arguments that go there.
_ADAPTED = {"fit": ("x", "y", "sample_weight"), "evaluate": ("x", "y", "sample_weight"), "predict": ("x",)}


def unsliceable_data(method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Tuple[str, Any]]:
    """The argument of ``model.<method>(...)`` (``fit``, ``evaluate``, ``predict``) that is a Python list, tuple or
    dict holding a Python number, bool or string among its items (``fit(X, [1, 0, 1, 0])``, ``predict(["a text"])``),
    and that item; None otherwise. Keras 3 reads such an argument as a structure (``keras.tree``) whose leaves must be
    arrays: a Python scalar leaf is not one (``array_slicing.can_slice_array``), so ``get_data_adapter`` raises
    ``ValueError: Unrecognized data type`` (``fit`` with ``validation_split``: ``train_validation_split`` raises
    first) before the model is built (checked with Keras 3.15). Only lists, tuples and dicts the analysis follows
    whole, and items known to be Python's own ``int``/``float``/``bool``/``str`` (a NumPy scalar is an array)."""
    names = _ADAPTED.get(method)
    bound = _bound(method, args, kwargs) if names is not None else None
    if bound is None:
        return None
    for name in names:
        value = bound.get(name)
        leaf = _scalar_leaf(value) if type(value) in (tuple, ListValue, DictValue) else None
        if leaf is not None:
            return name, leaf
    return None


def _scalar_leaf(value: Any, depth: int = 0) -> Any:
    if type(value) in (int, float, bool, str):
        return value
    if depth > 8:
        return None
    if type(value) is tuple:
        items: Any = value
    elif type(value) is ListValue and value.tainted is None:
        items = value.items
    elif type(value) is DictValue and value.tainted is None:
        items = list(value.items.values())
    else:
        return None
    return next((leaf for leaf in (_scalar_leaf(item, depth + 1) for item in items) if leaf is not None), None)


def data_argument(method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """The ``x`` that ``model.<method>(...)`` is given (None when not given, or given more arguments than it takes)."""
    bound = _bound(method, args, kwargs)
    return bound.get("x") if bound is not None else None


def first_batch(interp: Any, method: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
    """The shape of the first batch ``model.<method>(x, ...)`` gives the model (what an unbuilt Sequential
    is built on, batch size included: Keras's summary then shows it), or None when ``x`` is not known.

    ``fit``, ``evaluate`` and ``predict`` cut batches of ``batch_size`` (32 by default) samples, after
    ``fit`` has set the last ``validation_split`` of the samples aside; the ``*_on_batch`` methods take
    ``x`` whole. A size that is not known is a symbol: ``min(32, len(x_train))``. A generator or dataset
    gives its batches (a dataset that was not batched gives each sample as a batch).
    """
    from .sources import UNBATCHED, Batches

    bound = _bound(method, args, kwargs)
    import ast

    if bound is None or not isinstance(e, ast.Call):
        return None
    x = bound.get("x")
    if isinstance(x, Batches):
        shape, _ = x.batch_shapes()
        if shape is None or None in shape[1:] or x.size == UNBATCHED:
            return shape if shape is not None and None not in shape else None
        count = x.first_batch()
        return (count if count is not None else interp.made_symbol(f"min({x.size}, {x.what})", _BATCH, e)
                if _is_int(x.size) else interp.made_symbol(f"batch size of {x.what}", _BATCH, e), *shape[1:])
    shape = _known_shape(x)
    if shape is None:
        return None
    from .collect import first_positional

    x_arg = first_positional(e)
    if isinstance(x_arg, (ast.List, ast.Tuple)) and x_arg.elts:
        x_arg = x_arg.elts[0]  # (several inputs, `fit([a, b], y)`: Keras takes as many samples of each)
    x_text = interp.code(x_arg) if x_arg is not None else "x"
    samples = shape[0] if _is_int(shape[0]) else None
    if method.endswith("_on_batch"):
        return (samples if samples is not None else interp.made_symbol(f"len({x_text})", _BATCH, e), *shape[1:])
    size = bound.get("batch_size", 32)
    size = 32 if size is None else size
    split = bound.get("validation_split", 0.0) if method == "fit" else 0.0
    count = _batch_size(method, bound, shape)
    if count is not None:
        return (count, *shape[1:])
    size_text = str(size) if _is_int(size) else "batch_size"
    count_text = f"len({x_text})" if not split else f"the training part of {x_text}"
    return (interp.made_symbol(f"min({size_text}, {count_text})", _BATCH, e), *shape[1:])


# -- short arrays of known values ---------------------------------------------------------------
# Width tables written with NumPy (``np.insert(np.arange(n, dtype=np.float32), 0, 0)``, ``2 ** exp``, ``*=``,
# ``[0] = 24``, ``.astype(int)``) keep their values while they stay short and exact: each result is checked to be
# what NumPy computes (a float32 result must be a float32 number, which the float64 result then is as well), else
# only the shape is kept. Anything that may change one unseen (a view taken of it, a NumPy function given it, an
# undecided branch changing it) drops its values.

#: The longest array whose values are kept.
VALUED_MAX = 64
_INT64 = 1 << 63


def _is_f32(v: float) -> bool:
    import struct

    try:
        return struct.unpack("f", struct.pack("f", v))[0] == v
    except (OverflowError, struct.error):
        return False


def _fits(values: Sequence[Any], dtype: str) -> bool:
    if dtype in ("int64", "int32"):
        bound = _INT64 if dtype == "int64" else 1 << 31
        return all(type(v) is int and -bound <= v < bound for v in values)
    if dtype in ("float32", "float64"):
        return all(type(v) is float and math.isfinite(v) and (dtype == "float64" or _is_f32(v)) for v in values)
    return False


def valued(values: Sequence[Any], dtype: Optional[str]) -> Optional[ValuedArray]:
    """A ValuedArray of ``values`` (Python ints or floats) of ``dtype``, or None when NumPy's would differ."""
    values = tuple(values)
    if dtype is None or len(values) > VALUED_MAX or not _fits(values, dtype):
        return None
    return ValuedArray((len(values),), values=values, dtype=dtype)


def known_values(v: Any) -> Optional[Tuple[Any, ...]]:
    return v.values if type(v) is ValuedArray and v.tainted is None else None


def seal(*vs: Any) -> None:
    """Forget the values of the ValuedArrays among ``vs``: what they are given to may change them, or view them."""
    for v in vs:
        if type(v) is ValuedArray and v.values is not None:
            v.values = None
            v.below = None  # (nor is it known that they are row numbers any more)


def dtype_named(interp: Any, node: Any) -> Optional[str]:
    """The dtype a source expression names (``np.float32``, ``"int64"``, ``int``, ``float``), or None."""
    import re

    text = interp.code(node).strip() if node is not None else ""
    m = re.fullmatch(r"""(?:(?:np|numpy)\.)?(\w+)|(["'])(\w+)\2""", text)
    if m is None:
        return None
    name = m.group(1) or m.group(3)
    if m.group(1) and "." not in text and name not in ("int", "float"):
        return None  # a bare name other than Python's int and float may be anything
    return {"int": "int64", "int64": "int64", "int_": "int64", "float": "float64", "float64": "float64",
            "double": "float64", "float32": "float32", "single": "float32", "int32": "int32"}.get(name)


def _promote(a: str, b: str) -> Optional[str]:
    if a == b:
        return a
    return None if "int32" in (a, b) else "float64"  # int64 with float32, or float32 with float64


def _scalar_dtype(array: str, s: Any) -> Optional[str]:
    """The result dtype of an array of ``array`` with the scalar ``s`` (None: not followed, or versions differ)."""
    if array == "int32" and type(s) is int and -(1 << 31) <= s < (1 << 31):
        return "int32"  # (NumPy 1 widens an int32 array only for a Python int out of int32's range, NumPy 2 never)
    if type(s) is bool or not isinstance(s, (int, float)) or array == "int32":
        return None  # (an int32 array with another number: NumPy 1 widens it by the value, NumPy 2 does not)
    if isinstance(s, NumpyInt):
        # NumPy 2 makes float32 with an int64 scalar float64; NumPy 1 kept float32.
        return "int64" if array == "int64" else ("float64" if array == "float64" else None)
    if type(s) is int:
        return array if -_INT64 <= s < _INT64 and (array == "int64" or abs(s) < (1 << 53)) else None
    if type(s) is float:
        # A Python float is cast to float32 for a float32 array: kept only when that changes nothing.
        return "float64" if array == "int64" else (array if array == "float64" or _is_f32(s) else None)
    return None


#: The operators whose results are followed item by item (Python's arithmetic, which NumPy's equals on the items
#: kept: integers in range, floats checked exact).
_ARITHMETIC = {"Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul}


def _compute(op: str, x: Any, y: Any, dtype: str) -> Any:
    """One item of ``x op y`` of ``dtype``, or None when not followed (NumPy raises, or it is not exact here)."""
    whole = dtype in ("int64", "int32")
    x, y = (int(x), int(y)) if whole else (float(x), float(y))
    if op in _ARITHMETIC:
        return _ARITHMETIC[op](x, y)
    if op == "Divide" and not whole and y != 0:
        return x / y
    if op in ("FloorDivide", "Modulo") and whole and y != 0:
        return x // y if op == "FloorDivide" else x % y  # (NumPy's and the backends' floor rule: Python's)
    if op == "Power" and float(x).is_integer() and float(y).is_integer() and 0 <= y <= 64 and abs(x) < (1 << 16):
        exact = int(x) ** int(y)  # (a negative integer power NumPy rejects for integers)
        return exact if whole else float(exact) if abs(exact) < (1 << 53) else None
    return None


def valued_binop(op: Optional[str], a: Any, b: Any) -> Optional[ValuedArray]:
    """``a op b`` where one or both are ValuedArrays of known values (the other a Python or NumPy number), or None."""
    va, vb = known_values(a), known_values(b)
    if op is None or va is None and vb is None:
        return None
    tensor = any(type(v) is ValuedArray and v.tensor for v in (a, b))
    if tensor and (op == "Divide" or any(isinstance(v, ArrayValue) and type(v) is not ValuedArray or
                                         type(v) is ValuedArray and not v.tensor for v in (a, b))):
        return None  # (true division of backend tensors: float64 or float32 by backend; a tensor with a NumPy array)
    if va is not None and vb is not None:
        if len(va) != len(vb):
            return None
        dtype = _promote(a.dtype, b.dtype)
        pairs = list(zip(va, vb))
    elif va is not None:
        dtype = _scalar_dtype(a.dtype, b)
        pairs = [(x, b) for x in va]
    else:
        dtype = _scalar_dtype(b.dtype, a)
        pairs = [(a, y) for y in vb]
    if dtype is None:
        return None
    if op == "Divide" and dtype in ("int64", "int32"):
        dtype = "float64"  # true division of integers
    out = [_compute(op, x, y, dtype) for x, y in pairs]
    made = None if any(v is None for v in out) else valued(out, dtype)
    if made is not None and tensor:
        made.tensor = True
    return made


def valued_insert(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``np.insert(arr, i, value)`` of a ValuedArray, an int index and a number; NOT_MINE for anything else."""
    if len(args) != 3 or kwargs:
        return NOT_MINE
    array, at, value = args
    values = known_values(array)
    if values is None or type(at) is not int or not -len(values) <= at <= len(values) or type(value) not in (int, float):
        return NOT_MINE
    if array.dtype != "float32" and array.dtype != "float64":
        if type(value) is not int:
            return NOT_MINE
    else:
        value = float(value)
    out = list(values)
    out.insert(at if at >= 0 else len(values) + at, value)
    made = valued(out, array.dtype)
    return made if made is not None else ArrayValue((len(out),))


def valued_literal(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Optional[ValuedArray]:
    """``np.array([1, 2, 2])`` / ``np.asarray((0.5, 1))``: a flat list, tuple or range of Python numbers (no bools),
    with an optional named ``dtype=``, as NumPy makes it: integers give int64, any float float64 (the integers
    among them made floats). None for anything else (nested, NumPy numbers, strings, empty, a ``dtype`` not named)."""
    import ast

    if len(args) != 1 or set(kwargs) - {"dtype"} or isinstance(args[0], str):
        return None
    items = interp.sequence(args[0])
    if not items or not all(type(v) in (int, float) for v in items):
        return None
    node = next((k.value for k in e.keywords if k.arg == "dtype"), None) if isinstance(e, ast.Call) else None
    if "dtype" in kwargs and node is None:
        return None
    whole = all(type(v) is int for v in items)
    if node is not None:
        dtype = dtype_named(interp, node)
        if dtype is None or dtype in ("int64", "int32") and not whole:
            return None  # (floats cast to integers: truncated, or out of range: not followed)
    else:
        dtype = "int64" if whole else "float64"
    if dtype in ("float32", "float64") and not all(type(v) is float or abs(v) < (1 << 53) for v in items):
        return None
    return valued([v if dtype in ("int64", "int32") else float(v) for v in items], dtype)


def valued_arange(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Optional[ValuedArray]:
    """``np.arange(stop)`` / ``(start, stop[, step])`` of Python ints, with an optional named ``dtype``."""
    import ast

    if set(kwargs) - {"dtype"} or not 1 <= len(args) <= 3 or not all(type(v) is int for v in args):
        return None
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if step == 0:
        return None
    items = range(start, stop, step)
    if max(0, -(-(stop - start) // step)) > VALUED_MAX:  # (len() of a range past sys.maxsize raises OverflowError)
        return None
    node = next((k.value for k in e.keywords if k.arg == "dtype"), None) if isinstance(e, ast.Call) else None
    dtype = "int64" if node is None else dtype_named(interp, node)
    return valued([v if dtype in ("int64", "int32") else float(v) for v in items], dtype)


def valued_linspace(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[ValuedArray]:
    """``np.linspace(start, stop[, num][, endpoint])`` of Python numbers: NumPy's float64 values, computed as NumPy
    does (``i * step + start`` with ``step = (stop - start) / div``, ``i / div * delta + start`` when the step is
    zero, the last one ``stop`` itself when ``endpoint``); None for anything else (``dtype=``, ``retstep=``,
    ``axis=``, arrays, more values than are kept)."""
    names = ("start", "stop", "num", "endpoint")
    if len(args) > 4 or set(kwargs) - set(names[len(args):]):
        return None
    given = dict(zip(names, args), **kwargs)
    start, stop, num, endpoint = given.get("start"), given.get("stop"), given.get("num", 50), \
        given.get("endpoint", True)
    if not all(type(v) is float and math.isfinite(v) or type(v) is int and abs(v) < 1 << 53 for v in (start, stop)) \
            or type(num) is not int or \
            not 0 <= num <= VALUED_MAX or type(endpoint) is not bool:
        return None  # (a negative num: NumPy raises ValueError)
    start, stop = float(start), float(stop)
    div = num - 1 if endpoint else num
    delta = stop - start
    if div > 0:
        step = delta / div
        values = [i / div * delta + start for i in range(num)] if step == 0 else [i * step + start
                                                                                  for i in range(num)]
    else:
        values = [i * delta + start for i in range(num)]  # (NumPy's step is nan: the values are start)
    if endpoint and num > 1:
        values[-1] = stop
    return valued([float(v) for v in values], "float64")


def valued_astype(interp: Any, array: ValuedArray, e: Any) -> Optional[ValuedArray]:
    """``x.astype(T)`` for T int/int64/float32/float64 (an int32 only of values it holds)."""
    import ast

    values = known_values(array)
    node = e.args[0] if isinstance(e, ast.Call) and len(e.args) == 1 and not e.keywords else None
    dtype = dtype_named(interp, node)
    if values is None or dtype is None:
        return None
    if dtype in ("int64", "int32"):
        return valued([math.trunc(v) for v in values], dtype)
    return valued([float(v) for v in values], dtype)


def valued_item(array: ValuedArray, key: Any) -> Any:
    """``x[i]`` of a ValuedArray of integers or float64: a NumPy integer or float; None when not followed."""
    values = known_values(array)
    if values is None or array.dtype == "float32" or type(key) is not int or not -len(values) <= key < len(values):
        return None
    return valued_items(array)[key]


def valued_items(array: ValuedArray) -> Optional[List[Any]]:
    """The items of a ValuedArray of integers or float64, as iterating it gives them: NumPy integers or floats (a
    float32 one's are NumPy float32 numbers, whose arithmetic is not followed); None when not known."""
    values = known_values(array)
    if values is None or array.dtype == "float32":
        return None
    return [NumpyInt32(v) if array.dtype == "int32" else NumpyInt(v) if array.dtype == "int64" else NumpyFloat(v)
            for v in values]


def valued_store(array: ValuedArray, key: Any, value: Any, undecided: bool) -> None:
    """``x[i] = v`` on a ValuedArray: the item changed in place (as NumPy casts it), else its values forgotten."""
    values = known_values(array)
    array.below = None  # (an item changed: whether each is a row number is not followed)
    if values is None:
        return
    cast: Any = None
    if not undecided and array.era == valued_era() and type(key) is int and -len(values) <= key < len(values) and \
            isinstance(value, (int, float)) and type(value) is not bool:
        if array.dtype in ("int64", "int32"):
            cast = math.trunc(value) if math.isfinite(value) else None
        else:
            cast = float(value)
    if cast is None or not _fits((cast,), array.dtype):
        array.values = None
        return
    out = list(values)
    out[key] = cast
    array.values = tuple(out)


def valued_augmented(op: str, array: ValuedArray, right: Any, undecided: bool) -> Optional[ValuedArray]:
    """``x op= v`` on a ValuedArray: NumPy changes it in place, keeping its dtype (it raises where the result's
    dtype cannot be cast back, as float into int). The array itself when followed; its values dropped otherwise."""
    result = None if undecided or array.era != valued_era() else valued_binop(op, array, right)
    if result is None or result.dtype != array.dtype:
        array.values = None
        return None
    array.values = result.values
    return array


# (at the end: sources imports this module's names; a function-level import costs a package lookup at every call)
from . import sources  # noqa: E402
