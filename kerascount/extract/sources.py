"""Data that reaches a model through objects rather than arrays, with the shapes they give.

- scikit-learn's transformers: scalers keep the shape, ``LabelEncoder`` gives one integer per sample,
  ``OneHotEncoder``/``LabelBinarizer`` and ``ColumnTransformer`` a width that depends on the data (a
  symbol), ``PCA`` its ``n_components``;
- Keras's image pipelines: ``ImageDataGenerator().flow_from_directory(...)``/``.flow(x, y)`` and
  ``image_dataset_from_directory(...)``: batches of ``(batch, height, width, channels)`` images
  (channels from ``color_mode``) with labels per ``class_mode``/``label_mode``;
- ``tf.data.Dataset.from_tensor_slices(x)`` / ``((x, y))`` and ``.batch(n)``: element shapes from
  the arrays, a batch axis once batched; ``from_tensors(x)`` / ``((x, y))``: one element, the whole arrays;
  ``Dataset.zip((xs, ys))``, ``map`` of a function of the file,
  ``take``/``skip``/``unbatch``/``repeat``, and loops over a dataset (``for x, y in ds.take(1)``: the
  batches it gives, when their number is known, or the first one);
- TensorFlow tensors of data (``tf.constant`` of nested lists, ``tf.range``, ``tf.zeros``, ``tf.expand_dims``,
  ``tf.reshape``, ``tf.cast``, ``tf.concat``...): arrays as NumPy's would be;
- ``timeseries_dataset_from_array``; ``tf.one_hot``/``keras.ops.one_hot`` on arrays;
- TensorFlow 1's tutorial MNIST (``input_data.read_data_sets``): its splits and ``next_batch``;
- gym's and gymnasium's built-in environments (``gym.make("CartPole-v1")``): the shapes and sizes of their
  observation and action spaces.

A count the source does not fix (the number of image folders) is a symbol named by the source
text; anything else these objects are asked stays unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..ir import KerasRaises, NumpyInt, TensorDtype, Unknown
from .arrays import _BATCH, NOT_MINE, _is_int
from .ops_calls import is_constant
from .values import ArrayValue, BoundMethod, External, ExternalRef, Function, KerasRef, LambdaValue, Partial

if TYPE_CHECKING:
    import ast

Shape = Tuple[Any, ...]

#: ``Batches.size`` of a dataset that has not been batched: each element goes to the model as it is.
UNBATCHED = "unbatched"


def opaque(interp: Any, reason: str, e: Any) -> Any:
    """What the analysis does not follow, as a call it does not see: unknown, but what is read from it by
    a known role is a symbol named by its text (``X.shape[1]``, ``len(X)``)."""
    return External(reason, interp.span(e) if e is not None else None, interp.code(e) if e is not None else "", "")


class DataObject:
    """A value with a few known attributes and methods; everything else about it is unknown."""

    #: How many times it was changed in place so that what it held is no longer known (a symbol read of it, such as
    #: ``df.shape[1]``, is another symbol after each: ``interpreter._value_key``).
    version = 0

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        return BoundMethod(self, name)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def subscript(self, interp: Any, keys: Any, e: "ast.AST") -> Any:
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def length(self) -> Any:
        """``len()``: an int, a symbol, or None when not known."""
        return None

    def as_array(self) -> Optional[ArrayValue]:
        """What ``np.asarray`` (and Keras, given it as data) makes of it; None when not known."""
        return None

    def elements(self, interp: Any, e: Any) -> Optional[List[Any]]:
        """What a loop over it is given, item by item; None when not known."""
        return None

    def changed(self) -> None:
        """An item was assigned (``df["new"] = ...``): forget what may have changed."""


def array_of(v: Any) -> Any:
    """An array, or what a data object (a pandas frame) converts to; other values as they are."""
    if isinstance(v, DataObject):
        made = v.as_array()
        return made if made is not None else v
    return v


class Batches(DataObject):
    """What a generator or a dataset gives ``fit``: per element, an input of shape ``x`` and labels of
    shape ``y`` (None: no labels; ``y_known`` False: labels of a shape not known). ``what`` names the
    number of samples in a symbol (``images in 'data/train'``).

    ``size`` is the batch size (an int; None when batched by an unknown size), or UNBATCHED.
    """

    def __init__(self, x: Optional[Shape], y: Optional[Shape], size: Any, what: str, y_known: bool = True,
                 samples: Optional[int] = None, full: bool = False) -> None:
        self.x, self.y, self.size, self.what, self.y_known, self.samples = x, y, size, what, y_known, samples
        #: Every batch has ``size`` samples (``batch(n, drop_remainder=True)``).
        self.full = full
        #: Unbatched samples that ``repeat()`` gives without end: every batch made of them is full.
        self.endless = False
        #: ``take(n)`` of batches: at most ``n`` elements (a loop over it runs that many times at most).
        self.limit: Optional[int] = None
        #: ``repeat()`` of batches: elements without end (or a number not followed), unless ``take`` limits them.
        self.repeated = False
        #: A Keras image iterator (``ImageDataGenerator().flow(...)``), whose ``iter()`` is itself, where ``next``
        #: goes on from the batches taken before; ``iter()`` of a ``tf.data`` dataset starts from its first element.
        self.keras_iterator = False
        #: ``flow_from_directory(...).num_classes``: the number of class folders it found (a Python int: the
        #: ``classes`` given, else a symbol); None for other data.
        self.num_classes: Any = None
        #: Labels of a shape not known that each element holds beside its inputs (``y_known`` False): the unknown
        #: value a mapped function returned as its second item (``ds.map(split_window)`` giving ``(inputs, labels)``);
        #: an element is then that pair. None where what an element holds beside its inputs is not known.
        self.unknown_labels: Any = None
        #: ``flow_from_directory(...).image_shape`` (and flow_from_dataframe's): the shape of one image, the channels
        #: where the data format puts them; None for other data (``flow``'s iterator has none).
        self.image_shape: Optional[Shape] = None

    @property
    def paired(self) -> bool:
        """Whether what an element holds is known: inputs of shape ``x`` and labels of shape ``y`` (or none), or
        inputs and labels of a shape not known (``unknown_labels``)."""
        return self.y_known or self.unknown_labels is not None

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "num_classes" and self.num_classes is not None:
            return self.num_classes
        if name == "image_shape" and self.image_shape is not None:
            return self.image_shape  # (target_size and the channels: what an application's input_shape= is given)
        if self.keras_iterator and name == "batch_size" and _is_int(self.size):
            return self.size
        if self.keras_iterator and name == "num_classes":
            # (only flow_from_directory's DirectoryIterator has one; flow_from_dataframe's and flow's do not)
            return interp.python_error("AttributeError", f"`{interp.code(e)}`: the iterator of flow_from_dataframe or "
                                       "flow has no num_classes (Python raises AttributeError); "
                                       "`len(it.class_indices)` is the number of classes flow_from_dataframe found", e)
        if self.keras_iterator and name in _ITERATOR_DATA:
            # (what the iterator read from the data: its number, its labels, the files' names)
            return opaque(interp, f"`{interp.code(e)}` comes from the data the iterator reads", e)
        return super().attribute(interp, name, e)

    def copy(self, **changes: Any) -> "Batches":
        made = Batches(self.x, self.y, self.size, self.what, self.y_known, self.samples, self.full)
        made.endless, made.limit, made.repeated = self.endless, self.limit, self.repeated
        made.keras_iterator, made.num_classes, made.unknown_labels = self.keras_iterator, self.num_classes, \
            self.unknown_labels
        made.image_shape = self.image_shape
        for name, value in changes.items():
            setattr(made, name, value)
        return made

    def batch_shapes(self) -> Tuple[Optional[Shape], Optional[Shape]]:
        """The shapes of ``x`` and ``y`` in one step of ``fit`` (with the batch axis when batched)."""
        def one(s: Optional[Shape]) -> Optional[Shape]:
            if s is None:
                return None
            return s if self.size == UNBATCHED else (self.first_batch(), *s)
        return one(self.x), one(self.y) if self.y_known else None

    def first_batch(self) -> Optional[int]:
        if _is_int(self.size) and self.full:
            return self.size
        if _is_int(self.size) and _is_int(self.samples):
            return min(self.size, self.samples)
        return None

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        out = self.reshaped(interp, name, args, kwargs, e)
        if name != "map" and isinstance(out, Batches) and out is not self and not out.y_known:
            # (repeat, batch, take...: the same elements, so pairs whose labels are not known still)
            out.unknown_labels = self.unknown_labels
        return out

    def reshaped(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        """What the dataset's method ``name`` gives (``batch``, ``take``, ``map``...)."""
        if name == "repeat" and self.size == UNBATCHED and not self.endless:
            # The samples again and again: `count` times, or without end (no count, or -1).
            count = _arg(args, kwargs, 0, "count", None)
            samples = self.samples * count if _is_int(count) and count >= 0 and _is_int(self.samples) else None
            again = Batches(self.x, self.y, UNBATCHED, self.what, self.y_known, samples)
            again.endless = (count is None or count == -1) and self.samples != 0
            return again
        if name == "repeat":
            return self.copy(repeated=True, limit=None) if self.limit is not None or not self.repeated else self
        if name in ("shuffle", "prefetch", "cache", "with_options", "apply_options"):
            return self
        if name == "as_numpy_iterator" and not args and not kwargs and not self.keras_iterator:
            return DataIterator(self)
        if name == "batch" and self.size == UNBATCHED:
            n = args[0] if args else kwargs.get("batch_size")
            drop = _arg(args, kwargs, 1, "drop_remainder", False)
            if _is_int(n) and n > 0:
                return Batches(self.x, self.y, n, self.what, self.y_known, self.samples,
                               full=drop is True or self.endless)
            return Batches(self.x, self.y, None, self.what, self.y_known)
        if name == "map" and len(args) + ("map_func" in kwargs) == 1 and not set(kwargs) - _MAP_KEYWORDS:
            # (how many calls run at once, and in which order they end, change no element's shape)
            return self.mapped(interp, args[0] if args else kwargs["map_func"], e)
        if name == "unbatch" and self.size != UNBATCHED:
            # (the samples again, as many as were batched)
            samples = self.samples if self.limit is None and not self.repeated and _is_int(self.size) and \
                _is_int(self.samples) else None
            if samples is not None and self.full:
                samples -= samples % self.size  # (drop_remainder: the last, smaller batch was dropped)
            return Batches(self.x, self.y, UNBATCHED, self.what, self.y_known, samples)
        count = _arg(args, kwargs, 0, "count", None)
        if name == "take" and _is_int(count) and count >= 0 and self.size == UNBATCHED:
            # (samples repeated without end: `count` of them)
            samples = count if self.endless else min(count, self.samples) if _is_int(self.samples) else None
            return Batches(self.x, self.y, UNBATCHED, self.what, self.y_known, samples)
        if name == "take" and _is_int(count) and count >= 0:
            # The first `count` elements (batches once batched): the first batch is the same.
            return self.copy(limit=count if self.limit is None else min(count, self.limit))
        if name == "skip" and _is_int(count) and count >= 0 and self.size == UNBATCHED and not self.endless and \
                _is_int(self.samples):
            return Batches(self.x, self.y, UNBATCHED, self.what, self.y_known, max(0, self.samples - count))
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def elements(self, interp: Any, e: Any) -> Optional[List[Any]]:
        """What a loop over the dataset is given, element by element (``for x, y in ds.take(1)``): tensors of
        the element's shapes, a batch's (the last one may be smaller) once batched; None when the number of
        elements or a shape is not known. A dataset whose number of samples the analysis does not know is
        taken to have one at least: its first batch is then a symbol as for ``fit`` (``min(32, samples)``)."""
        if self.x is None or not self.paired or self.endless and self.limit is None or \
                self.repeated and self.limit is None:
            return None
        batched = self.size != UNBATCHED
        if not batched:
            total = self.samples if _is_int(self.samples) else None
        elif not _is_int(self.size):
            total = None
        elif self.endless:
            total = self.limit
        elif _is_int(self.samples):
            total = self.samples // self.size if self.full else -(-self.samples // self.size)
        else:
            total = None
        if self.repeated:  # (the batches again: only the first one is the same as without repeat)
            count = None if self.limit != 1 else 1 if total is None else min(1, total)
        else:
            count = min(total, self.limit) if total is not None and self.limit is not None else \
                total if total is not None else (1 if self.limit == 1 else None)
        limit = min(getattr(getattr(interp, "limits", None), "loop_iterations", 100), 10_000)
        if count is None or count > limit:
            return None
        return [self.element(interp, i, e) for i in range(count)]

    def element(self, interp: Any, i: int, e: Any) -> Any:
        """The ``i``-th element (0: the first) of a dataset of known element shapes (``x``, and ``y`` known),
        which holds that many: arrays of a sample's shapes, a batch's once batched (the first batch of a
        dataset whose number of samples the analysis does not know is a symbol, ``min(32, samples)``)."""
        lead: Tuple[Any, ...] = ()
        batched = self.size != UNBATCHED
        if batched:
            if self.full or self.endless:
                n: Any = self.size
            elif _is_int(self.samples):
                n = min(self.size, self.samples - i * self.size)
            else:  # (the first element of a dataset of samples not known)
                n = interp.made_symbol(f"min({self.size}, {self.what})", _BATCH, e)
            lead = (n,)
        x = ArrayValue((*lead, *self.x), nonempty=batched)
        return self.with_labels(x, lead, batched)

    def with_labels(self, x: ArrayValue, lead: Tuple[Any, ...], batched: bool) -> Any:
        """An element of inputs ``x``: ``(x, labels)`` with labels of shape ``y`` after ``lead``, or the labels not
        known (``unknown_labels``); ``x`` alone when the dataset has no labels."""
        if self.y is not None:
            return x, ArrayValue((*lead, *self.y), nonempty=batched)
        return x if self.unknown_labels is None else (x, self.unknown_labels)

    def any_element(self, interp: Any, text: str, e: Any) -> Any:
        """What a run of a loop over the dataset is given when which run it is, and how many there are, is not
        known (``for x, y in train_dataset:`` of samples not counted): arrays of the element's shapes; once
        batched, ``size`` rows when every batch is full, else a symbol for the rows of that batch (the last
        batch may be smaller than the others). None when the element's shapes are not known."""
        if self.x is None or not self.paired:
            return None
        lead: Tuple[Any, ...] = ()
        if self.size != UNBATCHED:
            n = self.size if _is_int(self.size) and (self.full or self.endless) else \
                interp.made_symbol(f"batch size of {text}", _BATCH, e)
            lead = (n,)
        x = ArrayValue((*lead, *self.x), nonempty=bool(lead))
        return self.with_labels(x, lead, bool(lead))

    def first(self, interp: Any, e: Any) -> Any:
        """What ``next(iter(ds))`` gives: the first element; None when its shapes are not known, or when the
        dataset may be empty for all the analysis knows (``next`` raises StopIteration then)."""
        if self.x is None or not self.paired or self.size is None or self.limit == 0 or \
                self.samples is not None and not (_is_int(self.samples) and self.samples > 0):
            return None
        return self.element(interp, 0, e)


    def mapped(self, interp: Any, fn: Any, e: "ast.AST") -> Any:
        """``.map(fn)`` with a function of the file: run on arrays of the element's shapes (a batch's, once
        batched), it gives the new element."""
        unknown = opaque(interp, f"`{interp.code(e)}` is not followed", e)
        if not (isinstance(fn, (Function, LambdaValue)) or isinstance(fn, Partial) and isinstance(
                fn.func, (Function, LambdaValue))) or self.x is None or not self.y_known:
            return unknown  # (a Partial: a method of an object of the file's class, `ds.map(self.split_window)`)
        batched = self.size != UNBATCHED
        first = self.first_batch() if batched else None
        if batched and not _is_int(first):
            if not _is_int(self.size) or self.samples is not None:
                return unknown
            # (samples not known: the batch is the symbol a batch of this dataset has, `min(32, windows)`, which
            # the function must keep as its first axis)
            first = interp.made_symbol(f"min({self.size}, {self.what})", _BATCH, e)
        lead = (first,) if batched else ()
        parts = [ArrayValue((*lead, *self.x))] + ([ArrayValue((*lead, *self.y))] if self.y is not None else [])
        noted = len(interp.notes)
        out = interp.call(fn, tuple(parts), {}, e)
        made = out if isinstance(out, tuple) else (out,)
        labels: Any = None
        if len(made) == 2 and _known_array(made[0], batched) and not _known_array(made[1], batched) and \
                _labels_not_known(made[1]) and len(interp.notes) == noted:  # (nothing to fail on: NumPy, KC704)
            # (inputs, labels) whose labels the analysis does not follow (the WindowGenerator of TensorFlow's time
            # series tutorial stacks the label columns it picks by name): the inputs, which are what builds a model,
            # and labels of a shape not known, which each element holds beside them
            made, labels = made[:1], made[1]
        mapped = self.mapped_to(made, first, batched, labels is None)
        if mapped is None:
            return unknown
        mapped.unknown_labels = labels
        return mapped

    def mapped_to(self, made: Tuple[Any, ...], first: Any, batched: bool, y_known: bool) -> Optional["Batches"]:
        """The dataset of the elements a mapped function made (``made``: arrays of the first element's inputs and
        labels, or inputs alone when ``y_known`` is False or there are no labels), given the batch the function was
        run on (``first``); None when they are not known arrays of that batch."""
        if not 1 <= len(made) <= 2 or not all(_known_array(m, batched) for m in made):
            return None
        if batched and not _is_int(first):
            if any(m.shape[0] != first for m in made):
                return None  # (an axis other than the batch's first)
            out = Batches(made[0].shape[1:], made[1].shape[1:] if len(made) > 1 else None, self.size, self.what,
                          y_known, full=self.full)
            out.limit, out.repeated, out.endless = self.limit, self.repeated, self.endless
            return out
        if not batched:
            # (one element for each: as many samples, without end as well)
            out = Batches(made[0].shape, made[1].shape if len(made) > 1 else None, UNBATCHED, self.what, y_known,
                          samples=self.samples)
            out.endless = self.endless
            return out
        size = made[0].shape[0]
        out = Batches(made[0].shape[1:], made[1].shape[1:] if len(made) > 1 else None,
                      size if _is_int(size) else None, self.what, y_known, full=_is_int(size))
        out.limit, out.repeated = self.limit, self.repeated
        return out


class Enumerated(DataObject):
    """``enumerate(ds)`` of a dataset whose elements a loop cannot be run over one by one (their number is not
    known): pairs of a step and an element, for a loop that runs its body on the first and on any element."""

    def __init__(self, data: Batches, start: int) -> None:
        self.data, self.start = data, start
        self.x, self.y_known, self.paired = data.x, data.y_known, data.paired

    def any_element(self, interp: Any, text: str, e: Any) -> Any:
        """(a step the analysis does not know, any element of the dataset), or None (``Batches.any_element``)."""
        element = self.data.any_element(interp, text, e)
        return None if element is None else (interp.unknown(f"the step of a run of the loop over {text}", e), element)

    def first(self, interp: Any, e: Any) -> Any:
        """(``start``, the dataset's first element), or None (``Batches.first``)."""
        element = self.data.first(interp, e)
        return None if element is None else (self.start, element)


def _known_array(m: Any, batched: bool) -> bool:
    """An array a mapped function made whose shape is known (with a batch axis when the dataset is batched)."""
    return isinstance(m, ArrayValue) and m.tainted is None and bool(m.shape or not batched)


def _labels_not_known(v: Any) -> bool:
    """Labels a mapped function makes that the analysis does not follow: an unknown value, or an array of values not
    known, but not one Keras or NumPy is known to raise on (the function never returns then)."""
    reason = v.tainted if isinstance(v, ArrayValue) else v
    return isinstance(reason, Unknown) and not isinstance(reason, KerasRaises)


class DataIterator(DataObject):
    """``iter(ds)`` or ``ds.as_numpy_iterator()`` of a dataset (:class:`Batches`): ``next`` of one made in the
    same expression (``next(iter(ds))``) gives the dataset's first element; which element ``next`` gives an
    iterator kept in a name (how many were taken before) is not followed."""

    def __init__(self, source: Batches) -> None:
        self.source = source

    def next_element(self, interp: Any, fresh: bool, e: Any) -> Any:
        made = self.source.first(interp, e) if fresh else None
        if made is None:
            why = "its first element's shapes are not known" if fresh else \
                "which element `next` gives an iterator kept in a name is not followed"
            return opaque(interp, f"`{interp.code(e)}`: {why}", e)
        return made


#: Attributes of a Keras image iterator (``flow_from_directory``, ``flow_from_dataframe``) that it reads from the data.
_ITERATOR_DATA = frozenset({"samples", "n", "classes", "class_indices", "filenames", "filepaths", "labels"})


def _keras_iterator(batches: Batches) -> Batches:
    batches.keras_iterator = True
    return batches


def _arg(args: Tuple[Any, ...], kwargs: Dict[str, Any], at: int, name: str, default: Any) -> Any:
    return args[at] if len(args) > at else kwargs.get(name, default)


def _classes(interp: Any, classes: Any, where: Any, e: Any) -> Any:
    """The number of classes of images in folders: ``len(classes)`` when given, else a symbol."""
    items = interp.sequence(classes) if classes is not None else None
    if items is not None:
        return len(items)
    text = interp.code(where) if where is not None else "the directory"
    return interp.made_symbol(f"number of class folders in {text}", "the data's folders, read at run time", e)


def _images(interp: Any, where: Any) -> str:
    """How a symbol names the number of images in a folder: ``images in 'data/train'``."""
    return f"images in {interp.code(where)}" if where is not None else "images"


#: Where a scikit-learn encoder's width comes from (ModelResult.symbols).
_CATEGORIES = "the number of categories in the data it was fitted on"
_COLUMNS = "the number of columns a ColumnTransformer's transformers give, from the data it was fitted on"
_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _size_pair(size: Any) -> Any:
    """An image size given as a tuple or a list (``IMAGE_SIZE = [224, 224]``), as a tuple; anything else as it is."""
    if isinstance(size, list):
        return tuple(size)
    if type(size).__name__ == "ListValue" and size.tainted is None:
        return tuple(size.items)
    return size


def _image_shape(size: Any, color_mode: Any, data_format: str = "channels_last") -> Optional[Shape]:
    """The shape of one image of ``size`` (a tuple or list, ``IMAGE_SIZE = [224, 224]``) in ``color_mode``."""
    size = _size_pair(size)
    if not (isinstance(size, tuple) and len(size) == 2 and all(_is_int(d) and d > 0 for d in size)):
        return None
    channels = _CHANNELS.get(color_mode) if isinstance(color_mode, str) else None
    if channels is None:
        return None
    return (channels, *size) if data_format == "channels_first" else (*size, channels)


class ImageGenerator(DataObject):
    """``ImageDataGenerator(...)``: its ``flow_from_directory``, ``flow_from_dataframe`` and ``flow``."""

    def __init__(self, data_format: str) -> None:
        self.data_format = data_format

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        from .collect import first_positional

        if name == "fit":
            return None
        if name in ("flow_from_directory", "flow_from_dataframe"):
            size = kwargs.get("target_size", (256, 256))
            mode = kwargs.get("class_mode", "categorical")
            x = _image_shape(size, kwargs.get("color_mode", "rgb"), self.data_format)
            batch = kwargs.get("batch_size", 32)
            if x is None or not _is_int(batch):
                return opaque(interp, f"`{interp.code(e)}`: the image size or batch size is not known", e)
            where = first_positional(e)
            y: Optional[Shape]
            known = True
            # (flow_from_directory finds the class folders whatever the class_mode: its num_classes)
            count = _classes(interp, kwargs.get("classes"), where, e) if name == "flow_from_directory" else None
            if mode == "categorical":
                y = (count if count is not None else _classes(interp, kwargs.get("classes"), where, e),)
            elif mode in ("binary", "sparse"):
                y = ()
            elif mode == "input":
                y = x
            elif mode is None:
                y = None
            else:  # "raw", "multi_output" (flow_from_dataframe): the dataframe's columns
                y, known = None, False
            if name == "flow_from_dataframe" and mode in ("categorical", "sparse", "binary"):
                known = mode != "categorical" or "classes" in kwargs
            made = _keras_iterator(Batches(x, y, batch, _images(interp, where), known))
            made.num_classes, made.image_shape = count, x
            return made
        if name == "flow":
            x = _arg(args, kwargs, 0, "x", None)
            y = _arg(args, kwargs, 1, "y", None)
            batch = _arg(args, kwargs, 2, "batch_size", 32)
            if not isinstance(x, ArrayValue) or x.tainted is not None or len(x.shape) != 4 or not _is_int(batch):
                return opaque(interp, f"`{interp.code(e)}` is not followed", e)
            if y is not None and not (isinstance(y, ArrayValue) and y.tainted is None and y.shape):
                return _keras_iterator(Batches(x.shape[1:], None, batch, "len(x)", False, _count(x)))
            return _keras_iterator(Batches(x.shape[1:], y.shape[1:] if y is not None else None, batch, "len(x)",
                                           True, _count(x)))
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


def _count(a: ArrayValue) -> Optional[int]:
    return a.shape[0] if a.shape and _is_int(a.shape[0]) else None


def image_dataset(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``keras.utils.image_dataset_from_directory(directory, labels="inferred", label_mode="int", ...)``."""
    from .collect import first_positional

    x = _image_shape(kwargs.get("image_size", (256, 256)), kwargs.get("color_mode", "rgb"),
                     kwargs.get("data_format", "channels_last") or "channels_last")
    batch = kwargs.get("batch_size", 32)
    labels = _arg(args, kwargs, 1, "labels", "inferred")
    mode = _arg(args, kwargs, 2, "label_mode", "int")
    if x is None or not (batch is None or _is_int(batch)) or len(args) > 3:
        return opaque(interp, f"`{interp.code(e)}`: the image size or batch size is not known", e)
    where = first_positional(e)
    y: Optional[Shape] = None
    known = labels == "inferred"
    if labels is None or mode is None:
        y, known = None, True
    elif mode == "int":
        y = ()
    elif mode == "binary":
        y = (1,)
    elif mode == "categorical" and labels == "inferred":
        y = (_classes(interp, kwargs.get("class_names"), where, e),)
    else:
        known = False
    return Batches(x, y, UNBATCHED if batch is None else batch, _images(interp, where), known)


#: Keras's image file helpers (keras/src/utils/image_utils.py), as imports spell them.
_LOAD_IMG = frozenset({"keras.utils.load_img", "keras.preprocessing.image.load_img", "keras.utils.image_utils.load_img"})
_IMG_TO_ARRAY = frozenset({"keras.utils.img_to_array", "keras.preprocessing.image.img_to_array",
                           "keras.utils.image_utils.img_to_array"})
class LoadedImage(DataObject):
    """``keras.utils.load_img(path, color_mode=..., target_size=(height, width))``: a PIL image of that size, whatever
    the file's (PIL resizes it; ``keep_aspect_ratio`` crops it first); the analysis never reads the file. Without
    ``target_size`` its size is the file's, which is not known (load_img is then not followed)."""

    def __init__(self, height: int, width: int, channels: int) -> None:
        self.height, self.width, self.channels = height, width, channels

    def pixels(self) -> ArrayValue:
        """What ``np.asarray(img)`` gives, which img_to_array reads: ``(height, width, channels)``, ``(height,
        width)`` for a grayscale image. (Not :meth:`as_array`: Keras given the image itself as data rejects it.)"""
        return ArrayValue((self.height, self.width) if self.channels == 1 else (self.height, self.width,
                                                                               self.channels))

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "size":
            return (self.width, self.height)  # (PIL's order)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


def load_img(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``keras.utils.load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
    keep_aspect_ratio=False)`` given a size: :class:`LoadedImage`; NOT_MINE otherwise (Keras 2's ``grayscale=``,
    which Keras 3 rejects, arguments by position after the path, a size not known)."""
    if len(args) != 1 or set(kwargs) - {"color_mode", "target_size", "interpolation", "keep_aspect_ratio"}:
        return NOT_MINE
    # (the size and color mode as the image iterators read them; a grayscale image is a 2-D array to NumPy, its one
    # channel added by img_to_array)
    shape = _image_shape(kwargs.get("target_size"), kwargs.get("color_mode", "rgb"))
    return NOT_MINE if shape is None else LoadedImage(*shape)


def img_to_array(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``keras.utils.img_to_array(img, data_format=None, dtype=None)`` of a :class:`LoadedImage` (or an array of rank 2
    or 3): ``(height, width, channels)``, the channels first where the data format says so (Keras's global one by
    default); NOT_MINE for anything else."""
    img = _arg(args, kwargs, 0, "img", None)
    fmt = _arg(args, kwargs, 1, "data_format", None) or getattr(interp, "data_format", "channels_last")
    array = img.pixels() if isinstance(img, LoadedImage) else img
    if len(args) + len(kwargs) > 3 or set(kwargs) - {"img", "data_format", "dtype"} or \
            fmt not in ("channels_last", "channels_first") or not isinstance(array, ArrayValue) or \
            array.tainted is not None or array.ragged or len(array.shape) not in (2, 3):
        return NOT_MINE
    shape = array.shape if len(array.shape) == 3 else (*array.shape, 1)
    return ArrayValue((shape[2], shape[0], shape[1]) if fmt == "channels_first" else shape)


def preprocessed(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``keras.applications.<module>.preprocess_input(x)`` of an array (images to predict on): an array of its shape
    (imagenet_utils's NumPy path scales, or reverses the channels and subtracts ImageNet's means, or does nothing),
    where the mode's per-channel steps find 3 channels at least (``x[..., 2]``, channels last); NOT_MINE otherwise
    (keras_calls.application_preprocessing does the same for Keras tensors)."""
    from .keras_calls import _PREPROCESSING

    module = path[len("keras.applications."):].rpartition(".")[0]
    x = _arg(args, kwargs, 0, "x", None)
    fmt = _arg(args, kwargs, 1, "data_format", None) or getattr(interp, "data_format", "channels_last")
    mode = _PREPROCESSING.get(module)
    if len(args) + len(kwargs) > 2 or set(kwargs) - {"x", "data_format"} or fmt != "channels_last" or \
            mode is None or not isinstance(x, ArrayValue) or x.tainted is not None or x.ragged or not x.shape:
        return NOT_MINE
    if mode in ("caffe", "torch") and not (_is_int(x.shape[-1]) and x.shape[-1] >= 3):
        return NOT_MINE
    return ArrayValue(x.shape)


def timeseries_dataset(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``timeseries_dataset_from_array(data, targets, sequence_length, ..., batch_size=128)``."""
    data, targets = array_of(_arg(args, kwargs, 0, "data", None)), array_of(_arg(args, kwargs, 1, "targets", None))
    length = _arg(args, kwargs, 2, "sequence_length", None)
    batch = _arg(args, kwargs, 6, "batch_size", 128)
    if not isinstance(data, ArrayValue) or data.tainted is not None or not data.shape or not _is_int(length) or \
            not (batch is None or _is_int(batch)):
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)
    y: Optional[Shape] = None
    known = True
    if targets is not None:
        if isinstance(targets, ArrayValue) and targets.tainted is None and targets.shape:
            y = targets.shape[1:]
        else:
            known = False
    return Batches((length, *data.shape[1:]), y, UNBATCHED if batch is None else batch, "windows",
                   known)


def _tensor_parts(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Tuple[ArrayValue, ...]]:
    """The arrays ``from_tensor_slices``/``from_tensors`` are given: ``x`` or a tuple ``(x, y[, weights])`` of arrays,
    pandas frames or nested lists of numbers (as the tensor TensorFlow makes of them: ``[[1., 1.5], [2., 2.5]]``);
    None when they are not all known, unchanged and rectangular."""
    from .arrays import literal_shape

    value = _arg(args, kwargs, 0, "tensors", None)
    parts = tuple(array_of(p) for p in (value if isinstance(value, tuple) else (value,)))  # (pandas frames too)
    shapes = [None if isinstance(p, ArrayValue) else literal_shape(interp, p) for p in parts]
    parts = tuple(ArrayValue(s) if s is not None else p for p, s in zip(parts, shapes))
    if not 1 <= len(parts) <= 3 or not all(isinstance(p, ArrayValue) and p.tainted is None and not p.ragged
                                          for p in parts):
        return None
    return parts


def from_tensor_slices(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``tf.data.Dataset.from_tensor_slices(x)`` or ``((x, y))``: one element per sample."""
    parts = _tensor_parts(interp, args, kwargs)
    if parts is None or not all(p.shape for p in parts):
        return opaque(interp, f"`{interp.code(e)}`: the data is not known arrays", e)
    counts = {p.shape[0] for p in parts}
    samples = parts[0].shape[0] if len(counts) == 1 and _is_int(parts[0].shape[0]) else None
    y = parts[1].shape[1:] if len(parts) > 1 else None
    return Batches(parts[0].shape[1:], y, UNBATCHED, "samples", True, samples)


def from_tensors(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``tf.data.Dataset.from_tensors(x)`` or ``((x, y))``: a single element, the whole tensors (not sliced along
    their first axis as ``from_tensor_slices`` does): ``repeat(n).batch(b)`` then gives batches of ``(b, *x.shape)``."""
    parts = _tensor_parts(interp, args, kwargs)
    if len(args) + len(kwargs) != 1 or parts is None:
        return opaque(interp, f"`{interp.code(e)}`: the data is not known arrays", e)
    y = parts[1].shape if len(parts) > 1 else None
    return Batches(parts[0].shape, y, UNBATCHED, "samples", True, 1)


def zip_datasets(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``tf.data.Dataset.zip((xs, ys))`` of two datasets of one tensor per sample, not batched: elements ``(x, y)``,
    as many as the shorter one has."""
    value = args[0] if len(args) == 1 and not kwargs else kwargs.get("datasets") if not args else None
    items = interp.sequence(value) if isinstance(value, tuple) else None
    if items is None or len(items) != 2 or not all(
            isinstance(d, Batches) and d.size == UNBATCHED and d.y is None and d.y_known and d.x is not None and
            not d.endless and not d.repeated for d in items):
        return opaque(interp, f"`{interp.code(e)}`: the datasets are not followed", e)
    a, b = items
    samples = min(a.samples, b.samples) if _is_int(a.samples) and _is_int(b.samples) else None
    return Batches(a.x, b.x, UNBATCHED, a.what, True, samples)


def tensorflow_call(interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """TensorFlow functions that make tensors of data (outside the calls Keras traces) as NumPy's make arrays:
    ``tf.constant``/``tf.convert_to_tensor`` of nested lists of numbers or of an array, ``tf.zeros``/``ones``/
    ``fill``, ``tf.random.normal``/``uniform`` of a shape, ``tf.range``; ``tf.expand_dims``, ``tf.reshape``,
    ``tf.cast``, ``tf.image.resize``, ``tf.squeeze``, ``tf.transpose``, ``tf.concat``, ``tf.stack`` of known ones.
    NOT_MINE for anything else (the call stays one the analysis does not see)."""
    from . import arrays

    if name in ("constant", "convert_to_tensor"):
        value = _arg(args, kwargs, 0, "value", None)
        if value is None or _arg(args, kwargs, 2, "shape", None) is not None and name == "constant":
            return NOT_MINE
        return arrays.numpy_call(interp, "asarray", (value,), {}, e)
    if name in ("zeros", "ones", "random.normal", "random.uniform", "random.truncated_normal", "fill"):
        shape = _arg(args, kwargs, 0, "dims" if name == "fill" else "shape", None)
        return arrays.numpy_call(interp, "zeros", (shape,), {}, e) if shape is not None else NOT_MINE
    if name == "range":
        bounds = list(args) if args else [kwargs.get("start")]
        for at, key in ((1, "limit"), (2, "delta")):
            if key in kwargs:
                bounds = bounds[:at] + [kwargs[key]] if len(bounds) == at else []
        if not 1 <= len(bounds) <= 3 or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
            return NOT_MINE
        return arrays.numpy_call(interp, "arange", tuple(bounds), {}, e)
    array = _arg(args, kwargs, 0, "values" if name in ("concat", "stack") else "input" if name != "cast" else "x",
                 kwargs.get("tensor", kwargs.get("a")))
    if name in ("concat", "stack"):
        axis = _arg(args, kwargs, 1, "axis", 0 if name == "stack" else None)
        items = interp.sequence(array) if isinstance(array, (tuple, list)) or type(array).__name__ == "ListValue" \
            else None
        if axis is None or not items or not all(isinstance(a, ArrayValue) for a in items):
            return NOT_MINE  # (Keras tensors: not data)
        return arrays.join(interp, "concatenate" if name == "concat" else "stack", array, axis, e)
    if not isinstance(array, ArrayValue) or array.tainted is not None or array.ragged:
        return NOT_MINE
    if name == "expand_dims":
        return arrays.expand_dims(interp, array, _arg(args, kwargs, 1, "axis", None), e)
    if name == "reshape":
        return arrays.reshape(interp, array, _arg(args, kwargs, 1, "shape", None), e)
    if name == "cast":
        return array.derived(array.shape)
    if name == "image.resize":
        return resized(interp, array, args, kwargs, e)
    if name == "squeeze":
        return arrays.squeeze(interp, array, _arg(args, kwargs, 1, "axis", None), e)
    if name == "transpose":
        return arrays.transpose(interp, array, _arg(args, kwargs, 1, "perm", None), e)
    return NOT_MINE


#: Keywords of ``Dataset.map``: the function, and how it is run (``num_parallel_calls=tf.data.AUTOTUNE``).
_MAP_KEYWORDS = frozenset({"map_func", "num_parallel_calls", "deterministic", "name"})


def resized(interp: Any, images: ArrayValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``tf.image.resize(images, size)`` of data (an image of a dataset in a function ``map`` runs, ``(height, width,
    channels)``, or a batch of them): its height and width become ``size``, whatever TensorFlow 2's method (by
    name or ``tf.image.ResizeMethod``); NOT_MINE with ``preserve_aspect_ratio`` (a bound, not the shape) or
    arguments it does not read (ops_calls._tf_resize does the same for Keras tensors)."""
    from .ops_calls import _TF_RESIZE, _TF_RESIZE_ENUM_VALUES, _TF_RESIZE_METHOD_ENUMS, _TF_RESIZE_METHODS

    names = _TF_RESIZE["tensorflow.image.resize"]
    if len(args) > len(names) or set(kwargs) - set(names):
        return NOT_MINE
    bound = dict(zip(names, args))
    bound.update(kwargs)
    method = bound.get("method", "bilinear")
    if isinstance(method, ExternalRef) and method.path.rpartition(".")[0] in _TF_RESIZE_METHOD_ENUMS:
        method = _TF_RESIZE_ENUM_VALUES.get(method.path.rpartition(".")[2])
    size = _size_pair(bound.get("size"))
    if len(images.shape) not in (3, 4) or method not in _TF_RESIZE_METHODS or \
            bound.get("preserve_aspect_ratio", False) is not False or bound.get("antialias", False) not in (False, True) \
            or not isinstance(size, tuple) or len(size) != 2 or \
            not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in size):
        return NOT_MINE
    return ArrayValue((*images.shape[:-3], *size, images.shape[-1]))


def one_hot(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """``tf.one_hot(indices, depth)`` / ``keras.ops.one_hot(x, num_classes)`` on an array: a last axis of depth."""
    indices = _arg(args, kwargs, 0, "indices", kwargs.get("x"))
    depth = _arg(args, kwargs, 1, "depth", kwargs.get("num_classes"))
    if not isinstance(indices, ArrayValue) or indices.tainted is not None or indices.ragged or \
            kwargs.get("axis", -1) != -1 or not _is_int(depth):
        return NOT_MINE
    return ArrayValue((*indices.shape, depth))


class Transformer(DataObject):
    """A scikit-learn transformer (``StandardScaler()``, ``LabelEncoder()``...)."""

    def __init__(self, kind: str, kwargs: Dict[str, Any]) -> None:
        self.kind, self.kwargs = kind, kwargs

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name == "fit":
            return self
        if name not in ("fit_transform", "transform", "inverse_transform") or not args:
            return opaque(interp, f"`{interp.code(e)}` is not followed", e)
        x = array_of(args[0])
        if not isinstance(x, ArrayValue) or x.tainted is not None or x.ragged:
            return opaque(interp, f"`{interp.code(e)}`: its input is not a known array", e)
        if self.kind == "LabelEncoder":
            if len(x.shape) == 1 or len(x.shape) == 2 and x.shape[1] == 1:
                return ArrayValue(x.shape[:1]) if name != "inverse_transform" else ArrayValue(x.shape[:1])
            return opaque(interp, f"`{interp.code(e)}`: LabelEncoder takes one label per sample", e)
        if self.kind == "LabelBinarizer" and len(x.shape) == 1 and name != "inverse_transform":
            return ArrayValue((x.shape[0], interp.made_symbol(f"{interp.code(e)}.shape[1]", _CATEGORIES, e)))  # 1 column for 2 classes
        if self.kind == "LabelBinarizer" and len(x.shape) == 2 and name == "inverse_transform":
            return ArrayValue(x.shape[:1])  # one label per sample, whatever the width of the binarized labels
        if len(x.shape) != 2:
            return opaque(interp, f"`{interp.code(e)}`: scikit-learn transformers take 2-D arrays", e)
        if self.kind == "ColumnTransformer":
            # One row per sample, as many columns as its transformers give together (scaled columns, one per
            # category...): a symbol. It has no inverse_transform.
            if name == "inverse_transform":
                return opaque(interp, f"`{interp.code(e)}`: a ColumnTransformer has no inverse_transform", e)
            return ArrayValue((x.shape[0], interp.made_symbol(f"{interp.code(e)}.shape[1]", _COLUMNS, e)))
        if name == "inverse_transform" and self.kind not in SCALERS:
            # OneHotEncoder: as many columns as the data it was fitted on had, not as its categories
            return opaque(interp, f"`{interp.code(e)}`: the width of what it was fitted on is not followed", e)
        if self.kind in SCALERS:
            return ArrayValue(x.shape)
        if self.kind == "PCA":
            n = self.kwargs.get("n_components")
            if name == "inverse_transform" or not _is_int(n):
                return opaque(interp, f"`{interp.code(e)}`: the number of components is not known", e)
            return ArrayValue((x.shape[0], n))
        # OneHotEncoder, LabelBinarizer: as many columns as categories in the data it was fitted on; OneHotEncoder's is a
        # SciPy sparse matrix unless `sparse_output=False` (`sparse=False` before scikit-learn 1.2) says otherwise
        flags = [self.kwargs[k] for k in ("sparse_output", "sparse") if k in self.kwargs]
        sparse = self.kind == "OneHotEncoder" and (not flags or len(flags) == 1 and flags[0] is True)
        return ArrayValue((x.shape[0], interp.made_symbol(f"{interp.code(e)}.shape[1]", _CATEGORIES, e)), sparse=sparse)


#: Transformers that keep the shape of what they transform.
SCALERS = ("StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer", "QuantileTransformer",
           "PowerTransformer", "Binarizer")  # not SimpleImputer: it drops columns that are all missing


def sklearn_object(path: str, kwargs: Dict[str, Any]) -> Any:
    last = path.rsplit(".", 1)[-1]
    if path.startswith("sklearn.preprocessing.") and last in (*SCALERS, "LabelEncoder",
                                                                                  "OneHotEncoder", "LabelBinarizer"):
        return Transformer(last, kwargs)
    if path == "sklearn.decomposition.PCA":
        return Transformer("PCA", kwargs)
    if path in ("sklearn.compose.ColumnTransformer", "sklearn.compose.make_column_transformer"):
        return Transformer("ColumnTransformer", kwargs)
    return NOT_MINE


class MnistTutorial(DataObject):
    """TensorFlow 1's ``input_data.read_data_sets(dir, one_hot=...)``: 55,000 training, 5,000 validation
    and 10,000 test images of 784 pixels (28x28x1 with ``reshape=False``), labels 0-9 or one-hot."""

    def __init__(self, one_hot: bool, reshape: bool, validation: int) -> None:
        self.one_hot, self.reshape, self.validation = one_hot, reshape, validation

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        sizes = {"train": 60000 - self.validation, "validation": self.validation, "test": 10000}
        if name in sizes:
            return MnistSplit(self, sizes[name])
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


class MnistSplit(DataObject):
    def __init__(self, data: MnistTutorial, samples: int) -> None:
        self.data, self.samples = data, samples

    def arrays(self, n: int) -> Tuple[ArrayValue, ArrayValue]:
        x = ArrayValue((n, 784) if self.data.reshape else (n, 28, 28, 1))
        # Every digit is among the labels of a large enough sample (what to_categorical(y) counts).
        classes = 10 if n >= 1000 else None
        y = ArrayValue((n, 10)) if self.data.one_hot else ArrayValue((n,), classes=classes, below=10)
        return x, y

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "images":
            return self.arrays(self.samples)[0]
        if name == "labels":
            return self.arrays(self.samples)[1]
        if name == "num_examples":
            return self.samples
        return super().attribute(interp, name, e)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        n = _arg(args, kwargs, 0, "batch_size", None)
        if name == "next_batch" and _is_int(n) and n > 0:
            return self.arrays(n)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)


def read_data_sets(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    one_hot, reshape = _arg(args, kwargs, 2, "one_hot", False), kwargs.get("reshape", True)
    validation = kwargs.get("validation_size", 5000)
    if not isinstance(one_hot, bool) or not isinstance(reshape, bool) or not _is_int(validation) or \
            not 0 <= validation <= 60000 or kwargs.get("fake_data", False) is not False:
        return opaque(interp, f"`{interp.code(e)}`: its arguments are not followed", e)
    return MnistTutorial(one_hot, reshape, validation)


#: The functions that make a gym environment.
GYM_MAKE = ("gym.make", "gymnasium.make")
#: Why what ``gym.make(...)`` returns is not known (an environment not built in, or made with keywords that may
#: change its spaces).
GYM_UNKNOWN = ("`{}` makes a Gym environment, which the analysis does not see: the sizes of its observations and "
               "actions are known only when it runs")


#: gym's and gymnasium's wrappers that keep the spaces of the environment they wrap (they record episodes or videos,
#: limit an episode's steps, check the call order): its spaces, all the analysis reads of an environment, are theirs.
_GYM_SAME_SPACE_WRAPPERS = frozenset({"Monitor", "RecordVideo", "RecordEpisodeStatistics", "TimeLimit",
                                      "OrderEnforcing"})
#: The modules of those wrappers (``from gym import wrappers``).
GYM_WRAPPER_MODULES = ("gym.wrappers", "gymnasium.wrappers")


def gym_environment(value: Any) -> bool:
    """Is ``value`` an environment ``gym.make`` made (one of known spaces, or one the analysis does not see)?"""
    made = getattr(value, "made", None)
    return isinstance(value, GymEnv) or made is not None and made[0] in GYM_MAKE


def gym_space_value(value: Any) -> bool:
    """Is ``value`` read from a space of a gym environment the analysis does not see (``env.action_space.n``,
    ``env.action_space.high[0]`` of ``env = gym.make(name)``)? Gym's API makes a space a ``gym.spaces.Space``, whose
    sizes and bounds are numbers and arrays: never a Keras layer, a model or a weight."""
    made = getattr(value, "made", None)
    text = getattr(value, "text", "")
    return made is not None and made[0] in GYM_MAKE and any(
        f".{space}" in f".{text}" for space in ("action_space.", "observation_space."))


#: The observation and action spaces of gym's and gymnasium's built-in environments, for the versions of their ids
#: whose spaces every release that has them agrees on: ("box", shape) or ("discrete", n).
_GYM_SPACES: Dict[str, Tuple[Tuple[str, Any], Tuple[str, Any]]] = {
    **dict.fromkeys(("CartPole-v0", "CartPole-v1"), (("box", (4,)), ("discrete", 2))),
    "MountainCar-v0": (("box", (2,)), ("discrete", 3)),
    "MountainCarContinuous-v0": (("box", (2,)), ("box", (1,))),
    "Acrobot-v1": (("box", (6,)), ("discrete", 3)),
    **dict.fromkeys(("Pendulum-v0", "Pendulum-v1"), (("box", (3,)), ("box", (1,)))),
    **dict.fromkeys(("LunarLander-v2", "LunarLander-v3"), (("box", (8,)), ("discrete", 4))),
    **dict.fromkeys(("LunarLanderContinuous-v2", "LunarLanderContinuous-v3"), (("box", (8,)), ("box", (2,)))),
    "BipedalWalker-v3": (("box", (24,)), ("box", (4,))),
    **dict.fromkeys(("FrozenLake-v0", "FrozenLake-v1"), (("discrete", 16), ("discrete", 4))),
    **dict.fromkeys(("FrozenLake8x8-v0", "FrozenLake8x8-v1"), (("discrete", 64), ("discrete", 4))),
    **dict.fromkeys(("Taxi-v2", "Taxi-v3"), (("discrete", 500), ("discrete", 6))),
    "CliffWalking-v0": (("discrete", 48), ("discrete", 4)),
}
#: Keywords of ``gym.make`` that leave the spaces as they are (``map_name=``, ``continuous=``, ``hardcore=`` and
#: any other change them, or may).
_GYM_SAME_SPACES = {"render_mode", "max_episode_steps", "disable_env_checker", "new_step_api",
                    "apply_api_compatibility", "autoreset"}


#: The environments that take ``is_slippery=`` (the frozen lakes), which changes no space.
_GYM_SLIPPERY = {"FrozenLake-v0", "FrozenLake-v1", "FrozenLake8x8-v0", "FrozenLake8x8-v1"}


class GymSpace(DataObject):
    """An environment's ``observation_space`` or ``action_space``: a Box has a ``shape`` of ints (and ``low``/``high``
    arrays of it), a Discrete has ``n`` (a NumPy integer, which Keras 3.13 and later reject as a layer's size) and the
    shape ``()``."""

    def __init__(self, kind: str, size: Any) -> None:
        self.kind, self.size = kind, size

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "shape":
            return self.size if self.kind == "box" else ()
        if name == "n" and self.kind == "discrete":
            return NumpyInt(self.size)  # gymnasium's (and gym 0.26's) Discrete.n is a NumPy integer
        if name in ("low", "high") and self.kind == "box":
            return ArrayValue(self.size)
        if name == "sample":
            return super().attribute(interp, name, e)
        return opaque(interp, f"`{interp.code(e)}` is not followed", e)

    def method(self, interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: "ast.AST") -> Any:
        if name == "sample" and not args and not kwargs and self.kind == "box":
            return ArrayValue(self.size)
        return super().method(interp, name, args, kwargs, e)


class GymEnv(DataObject):
    """``gym.make("CartPole-v1")``: its spaces (``_GYM_SPACES``); what ``reset``/``step`` return differs between
    gym's versions and is not followed."""

    def __init__(self, spaces: Tuple[Tuple[str, Any], Tuple[str, Any]]) -> None:
        self.spaces = spaces

    def attribute(self, interp: Any, name: str, e: "ast.AST") -> Any:
        if name == "observation_space":
            return GymSpace(*self.spaces[0])
        if name == "action_space":
            return GymSpace(*self.spaces[1])
        if name == "unwrapped":
            return self
        return super().attribute(interp, name, e)


def gym_make(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    name = _arg(args, kwargs, 0, "id", None)
    same = _GYM_SAME_SPACES | ({"is_slippery"} if name in _GYM_SLIPPERY else set())
    if not isinstance(name, str) or name not in _GYM_SPACES or len(args) > 1 or set(kwargs) - {"id"} - same:
        return NOT_MINE
    return GymEnv(_GYM_SPACES[name])


def external_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """Calls outside Keras that make data objects (TensorFlow, scikit-learn's transformers); or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if path.startswith("pandas."):
        from .frames import pandas_call

        return pandas_call(interp, path, args, kwargs, e)
    if path.startswith("sklearn."):
        return sklearn_object(path, kwargs)
    if path in GYM_MAKE:
        return gym_make(interp, args, kwargs, e)
    if path.rsplit(".", 1)[0] in GYM_WRAPPER_MODULES and last in _GYM_SAME_SPACE_WRAPPERS and args and \
            gym_environment(args[0]):
        # (`env = gym.wrappers.Monitor(env, directory)`, on either way of a condition: the same spaces)
        return args[0]
    if path in ("tensorflow.one_hot", "tensorflow.compat.v1.one_hot"):
        return one_hot(interp, args, kwargs, e)
    if path.startswith("tensorflow.data.Dataset.") and last == "from_tensor_slices":
        return from_tensor_slices(interp, args, kwargs, e)
    if path.startswith("tensorflow.data.Dataset.") and last == "from_tensors":
        return from_tensors(interp, args, kwargs, e)
    if path == "tensorflow.data.Dataset.zip":
        return zip_datasets(interp, args, kwargs, e)
    if path.endswith("tutorials.mnist.input_data.read_data_sets"):
        return read_data_sets(interp, args, kwargs, e)
    if path.startswith("tensorflow.") and getattr(getattr(interp, "graph", None), "tracing", None) is None:
        return tensorflow_call(interp, path[len("tensorflow."):], args, kwargs, e)
    return NOT_MINE


def keras_call(interp: Any, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """Keras functions and classes that make data objects; or NOT_MINE."""
    last = path.rsplit(".", 1)[-1]
    if last == "ImageDataGenerator":
        fmt = kwargs.get("data_format") or getattr(interp, "data_format", "channels_last")
        return ImageGenerator(fmt) if isinstance(fmt, str) and fmt in ("channels_last", "channels_first") else NOT_MINE
    if last == "image_dataset_from_directory":
        return image_dataset(interp, args, kwargs, e)
    if last == "timeseries_dataset_from_array":
        return timeseries_dataset(interp, args, kwargs, e)
    if last == "load_img" and path in _LOAD_IMG:
        return load_img(args, kwargs)
    if last == "img_to_array" and path in _IMG_TO_ARRAY:
        return img_to_array(interp, args, kwargs)
    if last == "preprocess_input" and path.startswith("keras.applications."):
        return preprocessed(interp, path, args, kwargs)
    if last == "one_hot" and path.startswith(("keras.ops", "keras.backend")):
        return one_hot(interp, args, kwargs, e)
    if path.startswith("keras.ops.") and (_eager(interp) or _of_data_only(args, kwargs)):
        # (in a traced call too, when it is given arrays of data and no tensor: a variable's value, as an Embedding's
        # table tied to an output projection, `ops.transpose(emb.embeddings)`; Keras computes it at once then)
        return eager_op(interp, last, args, kwargs, e)
    return NOT_MINE


def _of_data_only(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    """Arguments of which one at least is an array of data of a known shape, and none is a tensor of the graph."""
    from .values import Tensor

    given = (*args, *kwargs.values())
    return any(_data(v) for v in given) and not any(isinstance(v, Tensor) for v in given)


#: keras.ops functions of one tensor whose result has its shape (elementwise, or a copy of the data).
_EAGER_SAME_SHAPE = frozenset((
    "sin", "cos", "tan", "exp", "log", "sqrt", "square", "abs", "absolute", "negative", "tanh", "sigmoid", "floor",
    "ceil", "sign", "reciprocal", "log1p", "expm1", "rsqrt", "convert_to_numpy", "convert_to_tensor", "copy"))
#: keras.ops functions of two operands that broadcast them (NumPy's rule).
_EAGER_BINARY = frozenset(("add", "subtract", "multiply", "divide", "true_divide", "power", "maximum", "minimum",
                           "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
                           "logical_or"))
#: Numeric dtype names Keras's standardize_dtype takes: those ``ops.cast`` and ``ops.arange`` are given here, and the
#: names of TensorFlow's and NumPy's dtype objects (``tf.float32``, ``np.int64``: keras_calls.freeze).
DTYPE_NAMES = frozenset(("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                         "uint16", "uint32", "uint64", "bool"))


def scalar_operation(path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    """Whether ``keras.ops.<fn>(...)`` is an elementwise function, a cast or a broadcasting function of two operands
    given Python numbers only (``ops.sqrt(8.0)``, ``ops.cast(8, "float32")``): its result is a 0-d tensor."""
    if not path.startswith("keras.ops."):
        return False
    name = path[len("keras.ops."):]
    number = lambda v: type(v) in (int, float)  # noqa: E731 - (not bool, which some functions reject)
    if name in _EAGER_SAME_SHAPE - {"convert_to_numpy"}:
        return len(args) == 1 and number(args[0]) and set(kwargs) <= ({"dtype"} if name == "convert_to_tensor" else set())
    if name == "cast":
        return len(args) + len(kwargs) == 2 and number(_arg(args, kwargs, 0, "x", None)) and \
            _arg(args, kwargs, 1, "dtype", None) in DTYPE_NAMES
    if name in _EAGER_BINARY:
        return len(args) == 2 and not kwargs and all(number(a) for a in args)
    return False


def _number(v: Any) -> bool:
    """A Python int or float (not a bool, which some keras.ops functions reject): a 0-d operand."""
    return type(v) in (int, float)


def _data(v: Any) -> bool:
    """An array of data whose shape is known (not a symbolic tensor: those make operations of the graph)."""
    return isinstance(v, ArrayValue) and v.tainted is None and not v.ragged and all(_is_int(d) for d in v.shape)


def eager_op(interp: Any, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
    """A ``keras.ops`` function run outside a traced call on Python numbers or arrays of data (``pe =
    ops.sin(ops.arange(n) * omega)``, the positional embeddings of ViT ports): the backend computes an array at
    once, whose shape is NumPy's for the same arguments and whose values are not kept (ArrayValue; they differ
    between backends). Makers (``arange``, ``linspace``), ``cast``, elementwise functions, ``add``... ``power``,
    ``reshape``, ``expand_dims``, ``concatenate``, ``stack`` and ``meshgrid``; NOT_MINE for anything else (a
    symbolic tensor among the arguments, arguments not known or not followed)."""
    from . import arrays

    if name == "linspace":
        return linspace(args, kwargs)
    if name == "arange":
        return _arange(args, kwargs)
    if name == "meshgrid":
        return _meshgrid(interp, args, kwargs)
    if name in ("zeros", "ones") and len(args) + len(kwargs) <= 2 and set(kwargs) <= {"shape", "dtype"}:
        shape, dtype = _arg(args, kwargs, 0, "shape", None), _arg(args, kwargs, 1, "dtype", None)
        if dtype is not None and dtype not in DTYPE_NAMES:
            return NOT_MINE
        made = arrays.numpy_call(interp, "zeros", (shape,), {}, e)  # (a shape: an int, or a tuple or list of them)
        return made if _data(made) else NOT_MINE
    x = _arg(args, kwargs, 0, "x", None)
    if name == "convert_to_tensor" and not _data(x) and set(kwargs) <= {"dtype"} and len(args) <= 2 and \
            _arg(args, kwargs, 1, "dtype", None) in (None, *DTYPE_NAMES):
        # of a number or nested lists of them: the array NumPy makes of them (the backends' own shape rule)
        made = arrays.numpy_call(interp, "asarray", (x,), {}, e) if is_constant(x) else None
        return made if _data(made) else NOT_MINE
    if name in ("zeros_like", "ones_like", "full_like") and _data(x) and \
            len(args) + len(kwargs) == (2 if name == "full_like" else 1) + ("dtype" in kwargs) and \
            set(kwargs) <= {"dtype", "fill_value"} and kwargs.get("dtype") in (None, *DTYPE_NAMES):
        fill = _arg(args, kwargs, 1, "fill_value", None) if name == "full_like" else 0
        return ArrayValue(x.shape) if type(fill) in (int, float) else NOT_MINE
    if name in ("all", "any", "sum", "mean", "max", "min") and _data(x) and set(kwargs) <= {"axis", "keepdims"} and \
            len(args) == 1 and _is_int(kwargs.get("axis")) and kwargs.get("keepdims", False) in (True, False):
        made = arrays.reduce(interp, x, kwargs["axis"], e, kwargs.get("keepdims", False))
        return made if _data(made) else NOT_MINE
    if name == "where" and len(args) == 3 and not kwargs and all(_data(v) or type(v) in (int, float) for v in args) \
            and any(_data(v) for v in args):
        shape: Any = ()
        for v in args:
            shape = arrays.broadcast(shape, getattr(v, "shape", ())) if shape is not None else None
        return ArrayValue(shape) if shape is not None else NOT_MINE
    if name in _EAGER_SAME_SHAPE or name == "cast":
        # (of a Python number too, `ops.cast(head_dim, q.dtype) ** -0.5` beside a functional model: a 0-d tensor)
        dtype = _arg(args, kwargs, 1, "dtype", None) if name == "cast" else None
        if not (_data(x) or _number(x) and name != "convert_to_numpy") or \
                len(args) + len(kwargs) != (2 if name == "cast" else 1) or \
                name == "cast" and not (isinstance(dtype, str) and dtype in DTYPE_NAMES or
                                        isinstance(dtype, TensorDtype)):
            return NOT_MINE
        return ArrayValue(x.shape if _data(x) else ())
    if name in ("minimum", "maximum") and len(args) + len(kwargs) == 2:
        pair = (_arg(args, kwargs, 0, "x1", None), _arg(args, kwargs, 1, "x2", None))
        made = scalar_extreme(name, pair, 2 ** 31) or _valued_extreme(name, pair)
        if made is not None:
            return made
    if name in _EAGER_BINARY:
        x1, x2 = _arg(args, kwargs, 0, "x1", None), _arg(args, kwargs, 1, "x2", None)
        if len(args) + len(kwargs) != 2 or not all(_data(v) or _number(v) for v in (x1, x2)):
            return NOT_MINE
        shape = arrays.broadcast(getattr(x1, "shape", ()), getattr(x2, "shape", ()))
        return ArrayValue(shape) if shape is not None else NOT_MINE
    if name == "reshape" and _data(x) and len(args) + len(kwargs) == 2:
        new = _arg(args, kwargs, 1, "newshape", None)
        items = interp.sequence(new) if isinstance(new, (tuple, list)) or type(new).__name__ == "ListValue" else None
        if items is None or not all(_is_int(d) for d in items):
            return NOT_MINE
        made = arrays.reshape(interp, x, tuple(items), e)
        return made if _data(made) else NOT_MINE
    if name == "shape" and _data(x) and len(args) + len(kwargs) == 1:
        return tuple(x.shape)  # (a concrete array's static shape: a tuple of Python ints with every backend)
    if name == "transpose" and _data(x) and len(args) + len(kwargs) <= 2:
        axes = _arg(args, kwargs, 1, "axes", None)
        items = interp.sequence(axes) if isinstance(axes, (tuple, list)) or type(axes).__name__ == "ListValue" else None
        if axes is not None and (items is None or not all(_is_int(a) for a in items)):
            return NOT_MINE
        made = arrays.transpose(interp, x, tuple(items) if items is not None else None, e)
        return made if _data(made) else NOT_MINE
    if name == "expand_dims" and _data(x) and len(args) + len(kwargs) == 2:
        axis = _arg(args, kwargs, 1, "axis", None)
        return arrays.expand_dims(interp, x, axis, e) if _is_int(axis) else NOT_MINE
    if name in ("triu", "tril") and _data(x) and len(x.shape) >= 2 and len(args) + len(kwargs) <= 2 and \
            set(kwargs) <= {"k"} and _is_int(_arg(args, kwargs, 1, "k", 0)):
        return ArrayValue(x.shape)
    if name == "squeeze" and _data(x) and len(args) + len(kwargs) <= 2 and set(kwargs) <= {"axis"}:
        axis = _arg(args, kwargs, 1, "axis", None)
        axes = tuple(range(len(x.shape))) if axis is None else (axis,) if _is_int(axis) else \
            tuple(interp.sequence(axis) or ()) if isinstance(axis, (tuple, list)) or \
            type(axis).__name__ == "ListValue" else None
        if not axes or not all(_is_int(a) and -len(x.shape) <= a < len(x.shape) for a in axes):
            return NOT_MINE
        axes = {a % len(x.shape) for a in axes}
        if axis is not None and any(x.shape[a] != 1 for a in axes):
            return NOT_MINE  # (the backends raise on an axis of another size)
        return ArrayValue(tuple(d for i, d in enumerate(x.shape) if not (i in axes and d == 1)))
    if name == "pad" and _data(x) and len(args) + len(kwargs) <= 3 and set(kwargs) <= {"pad_width", "mode"} and \
            _arg(args, kwargs, 2, "mode", "constant") == "constant":
        widths = _pairs(interp, _arg(args, kwargs, 1, "pad_width", None))
        if widths is None or len(widths) not in (1, len(x.shape)):
            return NOT_MINE
        widths = widths * len(x.shape) if len(widths) == 1 else widths  # ([[1, 2]]: every axis, NumPy's rule)
        return ArrayValue(tuple(d + before + after for d, (before, after) in zip(x.shape, widths)))
    if name == "tile" and _data(x) and len(args) + len(kwargs) == 2 and set(kwargs) <= {"repeats"}:
        repeats = _arg(args, kwargs, 1, "repeats", None)
        counts = (repeats,) if _is_int(repeats) else interp.sequence(repeats) if isinstance(repeats, (tuple, list)) \
            or type(repeats).__name__ == "ListValue" else None
        if counts is None or not all(_is_int(c) and c >= 0 for c in counts):
            return NOT_MINE
        rank = max(len(counts), len(x.shape))
        shape = (1,) * (rank - len(x.shape)) + tuple(x.shape)
        counts = (1,) * (rank - len(counts)) + tuple(counts)  # (NumPy's rule, as keras.ops.tile's)
        return ArrayValue(tuple(d * c for d, c in zip(shape, counts)))
    if name in ("concatenate", "stack"):
        xs = _arg(args, kwargs, 0, "xs" if name == "concatenate" else "x", None)
        axis = _arg(args, kwargs, 1, "axis", 0)
        items = interp.sequence(xs) if isinstance(xs, (tuple, list)) or type(xs).__name__ == "ListValue" else None
        if not items or not all(_data(v) for v in items) or not _is_int(axis) or len(args) + len(kwargs) > 2:
            return NOT_MINE
        made = arrays.join(interp, name, xs, axis, e)
        return made if _data(made) else NOT_MINE
    return NOT_MINE


def _pairs(interp: Any, widths: Any) -> Optional[List[Tuple[int, int]]]:
    """``[[0, 0], [1, 2]]`` (or tuples) of non-negative ints as pairs; None for anything else."""
    rows = interp.sequence(widths) if isinstance(widths, (tuple, list)) or type(widths).__name__ == "ListValue" \
        else None
    if not rows:
        return None
    pairs = []
    for row in rows:
        pair = interp.sequence(row) if isinstance(row, (tuple, list)) or type(row).__name__ == "ListValue" else None
        if pair is None or len(pair) != 2 or not all(_is_int(v) and v >= 0 for v in pair):
            return None
        pairs.append((int(pair[0]), int(pair[1])))
    return pairs


def _arange(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``ops.arange(start[, stop[, step]])`` of Python ints: as many items as Python's range has."""
    names = ("start", "stop", "step", "dtype")
    if len(args) > len(names) or set(kwargs) - set(names[len(args):]):
        return NOT_MINE
    given = dict(zip(names, args), **kwargs)
    start, stop, step = given.get("start"), given.get("stop"), given.get("step")
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if not all(type(v) is int or isinstance(v, NumpyInt) for v in (start, stop, step)) or step == 0 or \
            given.get("dtype") is not None and given.get("dtype") not in DTYPE_NAMES:
        return NOT_MINE
    numbers = range(int(start), int(stop), int(step))
    count = max(0, -(-(int(stop) - int(start)) // int(step)))  # (len() of a range past sys.maxsize raises)
    if all(type(v) is int for v in (start, stop, step)) and given.get("dtype") in (None, "int32"):
        # of Python ints: int32 with every backend (Keras's default integer), its values kept while short (made only
        # then: `ops.arange(10**9)` is no tuple of a billion numbers)
        from . import arrays

        made = arrays.valued(numbers, "int32") if count <= arrays.VALUED_MAX else None
        if made is not None:
            made.tensor = True
            return made
    return ArrayValue((count,))


def _meshgrid(interp: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``ops.meshgrid(x1, x2, ..., indexing="xy")`` of 1-D arrays: one array per input, of their lengths in order,
    the first two swapped with ``"xy"`` (NumPy's rule)."""
    indexing = kwargs.get("indexing", "xy")
    if set(kwargs) - {"indexing"} or indexing not in ("xy", "ij") or not args or \
            not all(_data(v) and len(v.shape) == 1 for v in args):
        return NOT_MINE
    sizes = [v.shape[0] for v in args]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return tuple(ArrayValue(tuple(sizes)) for _ in args)


def _valued_extreme(name: str, pair: Tuple[Any, Any]) -> Any:
    """``ops.minimum(window, sizes)`` of an int32 tensor of known values (``2 ** ops.arange(2, 6)``) with a Python int
    in int32's range or another such tensor of its length: the smaller or larger item by item, an int32 tensor (the
    backends' rule for a Python int beside an int32 tensor); None for anything else."""
    from . import arrays

    known = [arrays.known_values(v) for v in pair]
    if not any(k is not None for k in known) or \
            not all(k is not None and v.tensor and v.dtype == "int32" if isinstance(v, ArrayValue) else
                    type(v) is int and -2 ** 31 <= v < 2 ** 31 for v, k in zip(pair, known)):
        return None
    lengths = {len(k) for k in known if k is not None}
    if len(lengths) != 1:
        return None
    n = lengths.pop()
    columns = [k if k is not None else (v,) * n for v, k in zip(pair, known)]
    pick = min if name == "minimum" else max
    made = arrays.valued([pick(x, y) for x, y in zip(*columns)], "int32")
    if made is not None:
        made.tensor = True
    return made


def scalar_extreme(name: str, values: Any, bound: int) -> Optional[NumpyInt]:
    """``ops.minimum(window, size)`` or ``np.maximum(a, b)`` of known whole numbers (Python or NumPy ints, within
    ``bound`` either way: the backend's int32, NumPy's int64): the smaller or larger, as the NumPy integer (a 0-d
    tensor of the backend: ``int()``, comparisons and arithmetic give the same numbers; a Keras argument that
    takes only Python ints rejects both, ir.NumpyInt). None for anything else (floats, bools, symbols, arrays)."""
    if not all(type(v) in (int, NumpyInt) and -bound <= v < bound for v in values) or not values:
        return None
    return NumpyInt(min(values) if name in ("minimum", "min", "amin") else max(values))


def _eager(interp: Any) -> bool:
    """Outside the calls Keras traces: an operation on numbers runs there and then (its result is data)."""
    return getattr(getattr(interp, "graph", None), "tracing", None) is None


def linspace(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``keras.ops.linspace(start, stop[, num])`` of two Python numbers, run eagerly (outside a traced call): a 1-D
    tensor of ``num`` items (an ArrayValue of shape ``(num,)``). Its values are not kept: each backend computes them
    in float32 its own way (NumPy's ``np.linspace`` keeps NumPy's float64 values, arrays.py). NOT_MINE for anything
    else (``retstep=True``: a tuple; arrays as bounds: other shapes; a count not known; a dtype other than a float
    one; ``tf.linspace``, whose truth needs TensorFlow)."""
    names = ("start", "stop", "num", "endpoint", "retstep", "dtype", "axis")
    if len(args) > len(names) or set(kwargs) - set(names[len(args):]):
        return NOT_MINE
    given = dict(zip(names, args), **kwargs)
    start, stop, num = given.get("start"), given.get("stop"), given.get("num", 50)
    if not all(type(v) in (int, float) for v in (start, stop)) or type(num) is not int or num < 0 or \
            given.get("axis", 0) not in (0, -1) or type(given.get("endpoint", True)) is not bool or \
            given.get("retstep", False) is not False or \
            given.get("dtype") not in (None, "float16", "bfloat16", "float32", "float64"):
        return NOT_MINE
    truths = _linspace_truths(start, stop, num, given.get("endpoint", True)) \
        if given.get("dtype") in (None, "float32") else None
    return ArrayValue((num,), truths=truths)


def _linspace_truths(start: float, stop: float, num: int, endpoint: bool) -> Optional[Tuple[Optional[bool], ...]]:
    """Which items of ``keras.ops.linspace(start, stop, num)`` in float32 are nonzero, as every backend computes
    them (``start + i * step``): the first is ``start`` itself; between bounds of one sign the others lie strictly
    between them, away from 0 when the step is not tiny beside the bounds; an item that may round to 0 on one backend
    and not on another (the last one, ``stop``, when ``stop`` is 0; any, when the bounds' signs differ) is None."""
    import numpy as np

    if num > 10_000:
        return None
    if start == 0 and stop == 0:
        return (False,) * num
    first = bool(np.float32(start) != 0)
    if start * stop < 0 or num < 2:
        return (first,) + (None,) * (num - 1) if num else ()
    step = (stop - start) / (num - 1 if endpoint else num)
    if abs(step) <= 1e-4 * max(abs(start), abs(stop)) or abs(step) < 1e-30:
        return (first,) + (None,) * (num - 1)
    rest = [True] * (num - 1)
    if stop == 0 and endpoint:
        rest[-1] = None  # (`stop` itself on some backends, a tiny rounding error on others)
    return (first, *rest)


__all__ = ["DataObject", "Batches", "ImageGenerator", "Transformer", "MnistTutorial", "external_call",
           "keras_call", "UNBATCHED", "ExternalRef", "KerasRef"]
