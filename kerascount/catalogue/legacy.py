"""Keras 1 and Keras 2 argument names, read as the code's own Keras read them.

A call that uses a Keras 1 argument name (``border_mode=``, ``nb_filter=``, ``subsample=``,
``output_dim=``, ``init=``, ``W_regularizer=``, ``dim_ordering=``, ``p=``, ``pool_length=`` ...)
is read with Keras 1 semantics, positional arguments included:
``Convolution2D(32, 3, 3, border_mode="same")`` is 32 filters of 3×3. A call without them is
read as Keras 3 reads it (``Conv2D(32, 3, 3)`` is a 3×3 kernel with strides 3). So is a Keras 1 call that
gives an argument twice, by position and by keyword (``Dense(2, 64, init=...)``: Keras 1 read 64 as ``init``),
which no Keras accepted: Keras 3 rejects it too.

:func:`translate` turns such a call into its Keras 3 equivalent, so the rest of the pipeline
knows only Keras 3. The same tables (through :func:`written`, :func:`merged`, :func:`argument` and
:func:`data_format`) tell rule KC404 what a call becomes and the fix stage how to rewrite it.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Optional, Sequence, Tuple

from ..nodes import walk as ast_walk
from ..ir import Unknown

#: Keyword renames valid for every layer that had them.
_COMMON = {
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "U_constraint": "recurrent_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    "border_mode": "padding",
    "dim_ordering": "data_format",
    "subsample": "strides",
    "subsample_length": "strides",
    "pool_length": "pool_size",
    "stride": "strides",
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
}
#: Names that only Keras 1 used: their presence switches a call to Keras 1 reading.
_MARKERS = set(_COMMON) - {"bias"} | {"nb_row", "nb_col", "output_dim", "p", "weights", "mode", "nb_epoch"}
#: Per layer, more names only Keras 1 gave it (Keras 2's legacy interface still converted them; Keras 3 rejects
#: them): ``LSTM(100, consume_less='gpu')``, ``GRU(8, inner_activation='sigmoid')``, ``GaussianNoise(sigma=0.1)``,
#: ``BatchNormalization(gamma_init='one')`` are Keras 1 calls even without a name of :data:`_MARKERS`.
_LAYER_MARKERS = {
    "SimpleRNN": frozenset({"consume_less"}),
    "GRU": frozenset({"consume_less", "inner_activation"}),
    "LSTM": frozenset({"consume_less", "inner_activation", "forget_bias_init"}),
    "ConvLSTM2D": frozenset({"inner_activation", "forget_bias_init"}),
    "GaussianNoise": frozenset({"sigma"}),
    "BatchNormalization": frozenset({"gamma_init", "beta_init"}),
}

#: Keras 1 positional order, for layers whose order changed.
_POSITIONAL = {
    "Conv1D": ("filters", "kernel_size", "kernel_initializer", "activation", "weights", "padding", "strides"),
    "Conv2D": ("filters", "nb_row", "nb_col", "kernel_initializer", "activation", "weights", "padding", "strides",
               "data_format"),
    "Conv3D": ("filters", "kernel_dim1", "kernel_dim2", "kernel_dim3", "kernel_initializer", "activation", "weights",
               "padding", "strides", "data_format"),
    "SeparableConv2D": ("filters", "nb_row", "nb_col", "kernel_initializer", "activation", "weights", "padding",
                        "strides", "depth_multiplier", "data_format"),
    "Conv2DTranspose": ("filters", "nb_row", "nb_col", "output_shape", "kernel_initializer", "activation",
                        "weights", "padding", "strides", "data_format"),
    "Dense": ("units", "kernel_initializer", "activation", "weights"),
    "SimpleRNN": ("units", "kernel_initializer", "recurrent_initializer", "activation"),
    "LSTM": ("units", "kernel_initializer", "recurrent_initializer", "forget_bias_init", "activation",
             "inner_activation"),
    "GRU": ("units", "kernel_initializer", "recurrent_initializer", "activation", "inner_activation"),
    "ConvLSTM2D": ("filters", "nb_row", "nb_col", "kernel_initializer", "recurrent_initializer", "forget_bias_init",
                   "activation", "inner_activation", "data_format", "padding", "strides"),
}
#: Per layer: Keras 1 names that became another name (beyond the common ones).
_RENAMES = {
    "Dense": {"output_dim": "units"},
    "SimpleRNN": {"output_dim": "units"},
    "LSTM": {"output_dim": "units", "inner_activation": "recurrent_activation"},
    "GRU": {"output_dim": "units", "inner_activation": "recurrent_activation"},
    "ConvLSTM2D": {"inner_activation": "recurrent_activation"},
    "PReLU": {"init": "alpha_initializer"},
    "Dropout": {"p": "rate"},
    "SpatialDropout1D": {"p": "rate"},
    "SpatialDropout2D": {"p": "rate"},
    "SpatialDropout3D": {"p": "rate"},
    "GaussianDropout": {"p": "rate"},
    "GaussianNoise": {"sigma": "stddev"},
    "BatchNormalization": {"gamma_init": "gamma_initializer", "beta_init": "beta_initializer"},
    "Embedding": {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                  "W_constraint": "embeddings_constraint"},
}
#: Keras 1 arguments with no Keras 3 counterpart that change no shape or count.
_DROPPED = {"weights", "forget_bias_init", "consume_less", "mode", "output_shape", "name_scope"}
#: What to write in Keras 3 for some of them (KC404 says it), where not "no Keras 3 equivalent".
DROPPED_ADVICE = {
    "consume_less": "remove it: Keras 3 chooses the implementation itself",
    "forget_bias_init": "Keras 3's unit_forget_bias=True (the default) for 'one', unit_forget_bias=False otherwise",
}
_DATA_FORMAT = {"th": "channels_first", "tf": "channels_last", "default": None}
#: Keras 1 arguments that Keras 3 takes as one tuple: its name, the parts in tuple order, and how
#: many leading parts are required (a missing optional part is None).
_MERGED = (
    ("kernel_size", ("nb_row", "nb_col"), 2),
    ("kernel_size", ("kernel_dim1", "kernel_dim2", "kernel_dim3"), 3),
    # Keras 1 sequence layers: input_length + input_dim is input_shape=(length, dim).
    ("input_shape", ("input_length", "input_dim"), 1),
)
#: Keras 1 layers whose ``input_dim=`` is the feature size of a sequence, also without ``input_length=``:
#: their ``__init__`` set ``input_shape=(input_length, input_dim)`` whenever ``input_dim`` was given (Keras 2's
#: legacy interface kept that), so ``LSTM(input_dim=8, output_dim=16)`` reads sequences of any length of 8
#: features, where the base Layer's ``input_dim`` of Keras 3 would make it ``(8,)``.
_SEQUENCE_INPUT = frozenset({"SimpleRNN", "GRU", "LSTM", "Conv1D", "LocallyConnected1D"})
#: Keras 1 class names, which Keras 3 still accepts as aliases of these.
CLASS_NAMES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D",
}
#: Keras 2 arguments that Keras 3 still accepts and ignores, with a deprecation warning.
IGNORED = {"Embedding": ("input_length",)}

#: Methods of tf.keras 2's ``Layer`` (and so of its models) that Keras 3's ``Layer`` and ``Model`` do not have, or keep
#: only to raise (checked against Keras 3.15 by tests/test_legacy.py): what a call raises, and what to do instead.
LAYER_METHODS_GONE = {
    "add_metric": ("NotImplementedError", "make a metric object in `__init__` (`keras.metrics.Mean()`) and update "
                   "it in `call`, or give the metric to `compile(metrics=...)`"),
    "add_update": ("AttributeError", "assign to the variable in `call` (`self.v.assign(...)`)"),
    "get_updates_for": ("AttributeError", "Keras 3 keeps no list of updates: variables are assigned in `call`"),
    "get_losses_for": ("AttributeError", "read `layer.losses`"),
    "get_input_at": ("AttributeError", "read `layer.input` (the input of its first call)"),
    "get_output_at": ("AttributeError", "read `layer.output` (the output of its first call)"),
    "get_input_shape_at": ("AttributeError", "read `layer.input.shape`"),
    "get_output_shape_at": ("AttributeError", "read `layer.output.shape`"),
}

#: A merged argument: (Keras 3 name, Keras 1 parts in tuple order, how many parts are required).
Merged = Tuple[str, Tuple[str, ...], int]


def is_legacy(kwargs: Sequence[str], keras3_names: Sequence[str] = (), layer_type: str = "") -> bool:
    """Does a call (of a ``layer_type``) use a Keras 1 name (one that the Keras 3 signature does not have)?"""
    own = _LAYER_MARKERS.get(layer_type, ())
    return any((k in _MARKERS or k in own) and k not in keras3_names for k in kwargs)


def kernel_tuple(layer_type: str, args: Sequence[Any], kwargs: Collection[str] = ()) -> bool:
    """Is this a convolution given its filters and its whole kernel by position, ``Conv2D(16, (3, 3),
    subsample=(2, 2))`` or ``Conv2D(16, 3, border_mode="same")`` (no ``nb_col=`` by keyword)? Keras 2's legacy
    interface read two positional arguments as filters and kernel_size, as Keras 2 and 3 take them, and converted the
    Keras 1 keywords beside them; Keras 1's order (``nb_filter, nb_row, nb_col``) does not apply (Keras 1 raised
    there: ``nb_col`` missing). A third positional argument beside a tuple Keras 2 refused: not this."""
    order = _POSITIONAL.get(layer_type)
    if order is None or len(order) < 2 or order[1] not in ("nb_row", "kernel_dim1") or len(args) != 2:
        return False
    if isinstance(args[1], (tuple, list)):
        return True
    return ("nb_col" if order[1] == "nb_row" else "kernel_dim2") not in kwargs


def written(layer_type: str, count: int, keywords: Sequence[str],
            keras3_names: Sequence[str], tuple_kernel: bool = False) -> Optional[Tuple[str, ...]]:
    """A call's arguments by their Keras 1 names: ``count`` positional ones, then the keywords.

    Positional arguments are named by Keras 1's order, or Keras 3's where it did not change (and for a kernel
    given as a tuple, ``tuple_kernel``: :func:`kernel_tuple`). None when Keras 1 took fewer positional arguments.
    """
    order = tuple(keras3_names) if tuple_kernel else _POSITIONAL.get(layer_type, tuple(keras3_names))
    if count > len(order):
        return None
    return (*order[:count], *keywords)


def merged(names: Collection[str], keras3_names: Sequence[str], layer_type: str = "") -> List[Merged]:
    """The Keras 3 tuple arguments that Keras 1 arguments among ``names`` of a ``layer_type`` call make."""
    out = [m for m in _MERGED if any(p in names and p not in keras3_names for p in m[1][:m[2]])]
    if layer_type in _SEQUENCE_INPUT and "input_dim" in names and "input_dim" not in keras3_names and \
            "input_length" not in names:
        out.append(("input_shape", ("input_length", "input_dim"), 0))  # (None, input_dim)
    return out


def argument(layer_type: str, name: str, keras3_names: Sequence[str]) -> Optional[str]:
    """The Keras 3 name of a Keras 1 argument that is not merged; None when Keras 3 has none."""
    if name in keras3_names:
        return name
    if name in _DROPPED:
        return None
    renamed = _RENAMES.get(layer_type, {}).get(name, _COMMON.get(name, name))
    # SimpleRNN had no inner_activation; keep Keras 3 from rejecting the call.
    return "recurrent_activation" if renamed == "inner_activation" else renamed


def data_format(dim_ordering: str) -> Optional[str]:
    """A Keras 1 ``dim_ordering`` value as a Keras 3 ``data_format``; None for the default."""
    return _DATA_FORMAT.get(dim_ordering, dim_ordering)


def translate(layer_type: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
              keras3_names: Sequence[str] = (), force: bool = False,
              tuple_kernel: bool = False) -> Optional[Tuple[Tuple[Any, ...], Dict[str, Any]]]:
    """The Keras 1 call's Keras 3 form, or None if the call uses no Keras 1 names (and ``force``, a call of a
    file written for Keras 1, is not set). ``tuple_kernel``: its kernel is a list given by position, which the
    caller knows (:func:`kernel_tuple` sees tuples and Python lists)."""
    if not force and not is_legacy(kwargs, keras3_names, layer_type):
        return None
    order = None if tuple_kernel or kernel_tuple(layer_type, args, kwargs) else _POSITIONAL.get(layer_type)
    if order is not None and len(args) > len(order):
        return None  # more than Keras 1 took: Keras 3's reading will reject it
    if _given_twice(layer_type, (order or tuple(keras3_names))[:len(args)], kwargs, keras3_names):
        # `Dense(2, 64, init='uniform')`: Keras 1 read 64 as `init` too (TypeError "got multiple values"); a merge
        # of both would keep one and drop the other. Keras 3's reading rejects the call as well.
        return None
    positional = tuple(args) if order is None else ()
    values = dict(zip(order or (), args), **kwargs)
    groups = merged(values, keras3_names, layer_type)
    parts = {p for _, names, _ in groups for p in names}
    out: Dict[str, Any] = {}
    for key, value in values.items():
        target = None if key in parts else argument(layer_type, key, keras3_names)
        if target is not None:
            out[target] = value
    for target, names, required in groups:
        out[target] = tuple(_part(values, n, i < required) for i, n in enumerate(names))
    if isinstance(out.get("data_format"), str):
        fmt = data_format(out["data_format"])
        if fmt is None:
            del out["data_format"]
        else:
            out["data_format"] = fmt
    return positional, out


def _given_twice(layer_type: str, positional: Sequence[str], keywords: Collection[str],
                 keras3_names: Sequence[str]) -> bool:
    """Does a keyword give an argument a positional one gave already (by its Keras 1 name or its Keras 3 one):
    ``Dense(2, 64, init=...)``, whose 64 was ``init`` in Keras 1? The parts of a merged argument stay apart
    (``Convolution2D(32, 3, nb_col=3)`` gives ``nb_row`` and ``nb_col``)."""
    parts = {p for _, names, _ in _MERGED for p in names}

    def key(name: str) -> Optional[str]:
        return name if name in parts else argument(layer_type, name, keras3_names)

    given = {key(name) for name in positional} - {None}
    return any(key(name) in given for name in keywords)


def _part(values: Dict[str, Any], name: str, required: bool) -> Any:
    """One part of a merged argument: its value, or Unknown (required) or None (optional) if missing."""
    if name in values:
        return values[name]
    return Unknown(f"Keras 1 `{name}` is missing") if required else None


#: Keras 1's ``merge(inputs, mode=...)`` function (``from keras.layers import merge``), removed in Keras 2.2:
#: its parameters in order, and the Keras 2/3 layer each string mode builds the same output with (no weights).
MERGE_PARAMETERS = ("inputs", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask", "arguments",
                    "node_indices", "tensor_indices", "name")
MERGE_PATHS = frozenset(("keras.layers.merge", "keras.engine.merge", "keras.engine.topology.merge"))
_MERGE_MODES = {"sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum", "concat": "Concatenate",
                "dot": "Dot", "cos": "Dot"}


def merge_layer(mode: str, concat_axis: Any = -1, dot_axes: Any = -1) -> Optional[Tuple[str, Dict[str, Any]]]:
    """The Keras 3 layer (its name and keyword arguments) that computes what Keras 1's ``merge(mode=mode)``
    did, with the shape Keras 1's ``Merge.get_output_shape_for`` gave, for inputs of one shape (the caller
    checks it); None for a mode Keras 1 did not have. ``cos`` was the dot product of the L2-normalised inputs,
    with the shape of ``dot``."""
    layer = _MERGE_MODES.get(mode)
    if layer is None:
        return None
    if mode == "concat":
        return layer, {"axis": concat_axis}
    if mode in ("dot", "cos"):
        return layer, {"axes": dot_axes, **({"normalize": True} if mode == "cos" else {})}
    return layer, {}


#: Keyword arguments that only Keras 1 code writes, and that nothing else in Keras code is called with: a file with
#: one of them in a call is written for Keras 1 (:func:`keras1_module`).
_KERAS1_ONLY = frozenset(("border_mode", "nb_filter", "nb_row", "nb_col", "subsample", "subsample_length",
                          "W_regularizer", "b_regularizer", "U_regularizer", "W_constraint", "b_constraint",
                          "dim_ordering", "nb_epoch", "nb_val_samples", "samples_per_epoch", "pool_length",
                          "filter_length", "inner_init", "dropout_W", "dropout_U"))
#: Convolutions whose three positional integers Keras 1 and Keras 2 (its legacy interface) read as the filters and
#: the kernel's two sizes: ``Convolution2D(32, 3, 3)`` is a 3x3 kernel there, strides 3 in tf.keras and Keras 3.
KERNEL_PAIR = frozenset(("Conv2D", "SeparableConv2D", "Conv2DTranspose", "ConvLSTM2D"))
#: Keywords with which such a call is not theirs (Keras 2 raised: "pass `strides` as a keyword argument instead").
KERNEL_PAIR_REFUSED = frozenset(("padding", "strides", "data_format"))


#: Names only Keras 1 (some also the first Keras 2 releases) had, imported from standalone Keras: a file that imports
#: one (``from keras.models import Graph``, ``from keras.layers.core import TimeDistributedDense``) is written for
#: Keras 1 (:func:`keras1_module`); the import fails in tf.keras and Keras 3.
_KERAS1_IMPORTS = frozenset(("Graph", "TimeDistributedDense", "MaxoutDense", "Highway", "Merge", "LambdaMerge",
                             "initializations", "AutoEncoder"))


def keras1_module(module: Any) -> bool:
    """Is the module (an ``ast.Module``) written for Keras 1: a call in it passes a keyword only Keras 1 had
    (``border_mode=``, ``nb_epoch=``...) or it imports a name only Keras 1 had from ``keras`` (``Graph``,
    ``TimeDistributedDense``, ``Merge``...), and it does not import Keras through TensorFlow (tf.keras never read
    Keras 1 arguments)? TensorFlow imported for itself (``import tensorflow as tf`` for a session or ``tf.nn``, as
    Keras 1 code on the TensorFlow backend did, with Keras from ``keras``) leaves the file Keras 1's."""
    import ast

    keras1 = False
    tf_names = set()  # the names TensorFlow (or a module of it) is bound to
    attributes = []  # the `NAME.keras` reads, checked once every import is seen
    for node in ast_walk(module):
        if isinstance(node, ast.Call):
            keras1 = keras1 or any(k.arg in _KERAS1_ONLY for k in node.keywords)
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            if parts[0] == "tf_keras" or parts[0] == "tensorflow" and (
                    "keras" in parts or any(a.name == "keras" for a in node.names)):
                return False
            if parts[0] == "keras" and not node.level and any(a.name in _KERAS1_IMPORTS for a in node.names):
                keras1 = True
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "tf_keras" or parts[0] == "tensorflow" and "keras" in parts:
                    return False
                if parts[0] == "tensorflow":
                    tf_names.add(alias.asname or "tensorflow")
        elif isinstance(node, ast.Attribute) and node.attr == "keras":
            attributes.append(node)
    for node in attributes:  # tf.keras, tf.compat.v1.keras...
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in tf_names:
            return False
    return keras1


def sequence_dim_call(layer_type: str, kwargs: Collection[str]) -> bool:
    """Is this an ``LSTM(4, input_dim=1)`` (a sequence layer given ``input_dim=`` and no other input shape) that
    Keras 1 read as sequences of any length of ``input_dim`` features (``_SEQUENCE_INPUT``), where Keras 3's base
    Layer makes it the flat ``(input_dim,)``, which the layer rejects?"""
    return layer_type in _SEQUENCE_INPUT and "input_dim" in kwargs and \
        not {"input_shape", "batch_input_shape", "batch_shape"}.intersection(kwargs)


def kernel_pair_call(layer_type: str, args: Sequence[Any], kwargs: Collection[str]) -> bool:
    """Is this a ``Convolution2D(32, 3, 3)`` that Keras 1 read as 32 filters of 3x3: three positional integers and
    no keyword that made it another call?"""
    return layer_type in KERNEL_PAIR and len(args) == 3 and \
        all(isinstance(a, int) and not isinstance(a, bool) for a in args) and not KERNEL_PAIR_REFUSED.intersection(kwargs)
