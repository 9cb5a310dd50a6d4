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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple

from ..ir import Unknown
from .values import ArrayValue, ExternalRef

if TYPE_CHECKING:
    import libcst as cst

#: Returned by the hooks below when the call or operation is not theirs to answer.
NOT_MINE = object()


@dataclass(frozen=True)
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


def load_data(path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``keras.datasets.<name>.load_data(...)``, or NOT_MINE."""
    parts = path.split(".")
    if len(parts) != 4 or parts[:2] != ["keras", "datasets"] or parts[3] != "load_data" or parts[2] not in DATASETS:
        return NOT_MINE
    name, data = parts[2], DATASETS[parts[2]]
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

    def split(samples: Optional[int]) -> Tuple[ArrayValue, ArrayValue]:
        x = ArrayValue((samples, *data.x), ragged=data.ragged)
        return x, ArrayValue((samples, *data.y), classes=classes)

    return split(train), split(test)


def keras_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "cst.CSTNode") -> Any:
    """Keras functions on arrays (``to_categorical``, ``pad_sequences``), datasets; or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if path.startswith("keras.datasets."):
        return load_data(path, args, kwargs)
    if not args or not isinstance(args[0], ArrayValue):
        return NOT_MINE
    array = args[0]
    if array.tainted is not None:
        return array.tainted
    if last == "to_categorical" and path.startswith("keras.utils"):
        classes = args[1] if len(args) > 1 else kwargs.get("num_classes", array.classes)
        if not _is_int(classes):
            return interp.unknown("the number of classes of `to_categorical` is not known", e)
        rows = array.shape if array.shape[-1:] != (1,) or len(array.shape) == 1 else array.shape[:-1]
        return ArrayValue((*rows, classes))
    if last == "pad_sequences" and (path.startswith("keras.utils") or path.startswith("keras.preprocessing")):
        maxlen = kwargs.get("maxlen", args[1] if len(args) > 1 else None)
        if not _is_int(maxlen) or len(array.shape) != 1:
            return interp.unknown("the length `pad_sequences` pads to is not known (no maxlen=)", e)
        return ArrayValue((array.shape[0], maxlen))
    return NOT_MINE


def numpy_call(interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "cst.CSTNode") -> Any:
    """``np.expand_dims``, ``np.reshape``, ``np.array``/``np.asarray`` on a known array; or NOT_MINE."""
    if not args or not isinstance(args[0], ArrayValue):
        return NOT_MINE
    array = args[0]
    if array.tainted is not None:
        return array.tainted
    if name in ("array", "asarray", "float32", "ascontiguousarray", "copy"):
        return array.derived(array.shape)
    if name in REDUCTIONS:
        return reduce(interp, array, args[1] if len(args) > 1 else kwargs.get("axis"), e)
    if name == "expand_dims":
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        return expand_dims(interp, array, axis, e)
    if name == "reshape":
        shape = args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape"))
        return reshape(interp, array, shape, e)
    return NOT_MINE


def attribute(interp: Any, array: ArrayValue, name: str, e: "cst.CSTNode") -> Any:
    if array.tainted is not None:
        return array.tainted
    if name == "shape":
        return tuple(interp.unknown(f"the number of samples in `{interp.code(e)}`", e) if d is None else d
                     for d in array.shape)
    if name == "ndim":
        return len(array.shape)
    if name == "size" and None not in array.shape:
        return math.prod(array.shape)  # type: ignore[arg-type]
    from .values import BoundMethod

    return BoundMethod(array, name)


def method(interp: Any, array: ArrayValue, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
           e: "cst.CSTNode") -> Any:
    if array.tainted is not None:
        return array.tainted
    if name in ("astype", "copy"):
        return array.derived(array.shape)
    if name == "reshape":
        return reshape(interp, array, args[0] if len(args) == 1 else args, e)
    if name in ("flatten", "ravel") and None not in array.shape:
        return ArrayValue((math.prod(array.shape),))  # type: ignore[arg-type]
    if name in REDUCTIONS:
        return reduce(interp, array, args[0] if args else kwargs.get("axis"), e)
    if name in ("any", "all", "tolist", "item", "argmax", "argmin"):
        return interp.unknown(f"the values of `{interp.code(e)}`", e)
    # resize, sort, fill...: the array may have changed in place.
    array.tainted = interp.unknown(f"changed by `.{name}()`", e)
    return interp.unknown(f"`.{name}()` of an array", e)


#: Reductions over an axis: ``x.mean(axis=0)``, ``np.sum(x, axis=-1)``.
REDUCTIONS = ("mean", "sum", "std", "var", "min", "max", "prod", "median")


def reduce(interp: Any, array: ArrayValue, axis: Any, e: "cst.CSTNode") -> Any:
    """A reduction over one axis removes it; over all axes it gives a number we do not know."""
    ndim = len(array.shape)
    if not _is_int(axis) or not -ndim <= axis < ndim or array.ragged:
        return interp.unknown(f"the values of `{interp.code(e)}`", e)
    at = axis % ndim
    return ArrayValue(array.shape[:at] + array.shape[at + 1:])


def binop(interp: Any, a: Any, b: Any, e: "cst.CSTNode") -> Any:
    """Arithmetic with a number, or with an array (NumPy broadcasting)."""
    arrays = [v for v in (a, b) if isinstance(v, ArrayValue)]
    for v in arrays:
        if v.tainted is not None:
            return v.tainted
    if len(arrays) == 1:
        other = b if a is arrays[0] else a
        if _is_number(other):
            return arrays[0].derived(arrays[0].shape)
        return interp.unknown(f"`{interp.code(e)}` on arrays", e)
    shape = broadcast(a.shape, b.shape)
    if shape is None or a.ragged or b.ragged:
        return interp.unknown(f"`{interp.code(e)}`: shapes {a.shape} and {b.shape} do not broadcast (or not known)", e)
    return a.derived(shape) if shape == a.shape else ArrayValue(shape)


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


def subscript(interp: Any, array: ArrayValue, keys: Sequence[Any], e: "cst.CSTNode") -> Any:
    """``x[:n]``, ``x[i]``, ``x[..., None]`` and ``x[:, :, np.newaxis]``; anything else is unknown.

    ``keys`` holds evaluated indices, with a ``slice`` for each ``a:b:c`` and Ellipsis for ``...``.
    """
    if array.tainted is not None:
        return array.tainted
    shape = list(array.shape)
    if len(keys) == 1 and isinstance(keys[0], slice):
        return _slice_first(interp, array, keys[0], e)
    if len(keys) == 1 and _is_int(keys[0]) and shape:
        if array.ragged:
            # One sample of imdb/reuters data: a Python list whose length varies from sample to sample.
            return interp.unknown(f"`{interp.code(e)}` is one sequence of ragged data (its length varies)", e)
        if shape[0] is not None and not -shape[0] <= keys[0] < shape[0]:
            return interp.unknown(f"`{interp.code(e)}`: index {keys[0]} is out of range for {shape[0]} samples", e)
        return ArrayValue(tuple(shape[1:]))
    new = [k is None or (isinstance(k, ExternalRef) and k.path.endswith(".newaxis")) for k in keys]
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


def length(array: ArrayValue) -> Optional[int]:
    """``len(array)``: its sample count, None when not known (or a zero-dimensional array: len() raises)."""
    return None if array.tainted is not None or not array.shape else array.shape[0]


def expand_dims(interp: Any, array: ArrayValue, axis: Any, e: "cst.CSTNode") -> Any:
    ndim = len(array.shape) + 1
    if not _is_int(axis) or not -ndim <= axis < ndim:
        return interp.unknown(f"`{interp.code(e)}`: the axis is not known or out of range", e)
    at = axis % ndim
    return array.derived((*array.shape[:at], 1, *array.shape[at:]))


def reshape(interp: Any, array: ArrayValue, shape: Any, e: "cst.CSTNode") -> Any:
    """NumPy's reshape with one -1 allowed; the sample count may be unknown if it stays first."""
    if _is_int(shape):
        shape = (shape,)
    dims = list(shape) if isinstance(shape, tuple) else None
    if array.ragged or not array.shape or dims is None or not dims or not all(_is_int(d) or isinstance(d, Unknown) for d in dims):
        return interp.unknown(f"`{interp.code(e)}`: the new shape is not known", e)
    samples, per_sample = array.shape[0], array.shape[1:]
    if None in per_sample:
        return interp.unknown(f"`{interp.code(e)}`: the array's shape is not known", e)
    size = math.prod(per_sample)  # type: ignore[arg-type]
    first = dims[0]
    rest = dims[1:]
    if isinstance(first, Unknown) or (first == -1 and samples is None):
        # x.reshape(x.shape[0], 28, 28, 1) or x.reshape(-1, 28, 28, 1) with an unknown count.
        if not all(_is_int(d) and d > 0 for d in rest) or math.prod(rest) != size:
            return interp.unknown(f"`{interp.code(e)}`: cannot check the new shape", e)
        return ArrayValue((samples, *rest))
    if samples is None or any(isinstance(d, Unknown) for d in dims):
        return interp.unknown(f"`{interp.code(e)}`: the array's size is not known", e)
    total = samples * size
    wild = [i for i, d in enumerate(dims) if d == -1]
    known = math.prod(d for d in dims if d != -1)
    if len(wild) > 1 or any(d < -1 or d == 0 for d in dims) or known == 0:
        return interp.unknown(f"`{interp.code(e)}`: an invalid shape", e)
    if wild:
        if total % known:
            return interp.unknown(f"`{interp.code(e)}`: cannot reshape {total} elements", e)
        dims[wild[0]] = total // known
    if math.prod(dims) != total:
        return interp.unknown(f"`{interp.code(e)}`: cannot reshape {total} elements into {tuple(dims)}", e)
    return ArrayValue(tuple(dims))


def _slice_first(interp: Any, array: ArrayValue, key: slice, e: "cst.CSTNode") -> Any:
    parts = (key.start, key.stop, key.step)
    if not all(p is None or _is_int(p) for p in parts) or key.step == 0 or not array.shape:
        return interp.unknown(f"`{interp.code(e)}` is not followed", e)
    samples = array.shape[0]
    if samples is None:
        count = None
    else:
        count = len(range(samples)[key])
    return array.derived((count, *array.shape[1:]))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
