"""Keras 1 and Keras 2 argument names, read as the code's own Keras read them.

A call that uses a Keras 1 argument name (``border_mode=``, ``nb_filter=``, ``subsample=``,
``output_dim=``, ``init=``, ``W_regularizer=``, ``dim_ordering=``, ``p=``, ``pool_length=`` ...)
is read with Keras 1 semantics, positional arguments included:
``Convolution2D(32, 3, 3, border_mode="same")`` is 32 filters of 3×3. A call without them is
read as Keras 3 reads it (``Conv2D(32, 3, 3)`` is a 3×3 kernel with strides 3).

:func:`translate` turns such a call into its Keras 3 equivalent, so the rest of the pipeline
knows only Keras 3.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

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
}
#: Per layer: Keras 1 names that became another name (beyond the common ones).
_RENAMES = {
    "Dense": {"output_dim": "units"},
    "SimpleRNN": {"output_dim": "units"},
    "LSTM": {"output_dim": "units", "inner_activation": "recurrent_activation"},
    "GRU": {"output_dim": "units", "inner_activation": "recurrent_activation"},
    "Dropout": {"p": "rate"},
    "SpatialDropout1D": {"p": "rate"},
    "SpatialDropout2D": {"p": "rate"},
    "SpatialDropout3D": {"p": "rate"},
    "GaussianDropout": {"p": "rate"},
    "GaussianNoise": {"sigma": "stddev"},
}
#: Keras 1 arguments with no Keras 3 counterpart that change no shape or count.
_DROPPED = {"weights", "forget_bias_init", "consume_less", "mode", "output_shape", "name_scope"}
_DATA_FORMAT = {"th": "channels_first", "tf": "channels_last", "default": None}


def is_legacy(kwargs: Sequence[str], keras3_names: Sequence[str] = ()) -> bool:
    """Does a call use a Keras 1 name (one that the Keras 3 signature does not have)?"""
    return any(k in _MARKERS and k not in keras3_names for k in kwargs)


def translate(layer_type: str, args: Tuple[Any, ...], kwargs: Dict[str, Any],
              keras3_names: Sequence[str] = ()) -> Optional[Tuple[Tuple[Any, ...], Dict[str, Any]]]:
    """The Keras 3 form of a Keras 1 call, or None if the call uses no Keras 1 names."""
    if not is_legacy(kwargs, keras3_names):
        return None
    out: Dict[str, Any] = {}
    positional: Tuple[Any, ...] = ()
    order = _POSITIONAL.get(layer_type)
    if order is None:
        positional = tuple(args)
    elif len(args) > len(order):
        return None  # more than Keras 1 took: Keras 3's reading will reject it
    else:
        out.update(zip(order, args))
    renames = dict(_COMMON, **_RENAMES.get(layer_type, {}))
    for key, value in kwargs.items():
        out[key if key in keras3_names else renames.get(key, key)] = value
    for key in (_DROPPED & set(out)) - set(keras3_names):
        del out[key]
    if "input_length" in out and "input_length" not in keras3_names:
        # Keras 1 sequence layers: input_dim + input_length is input_shape=(length, dim).
        out["input_shape"] = (out.pop("input_length"), out.pop("input_dim", None))
    _kernel(out, ("nb_row", "nb_col"))
    _kernel(out, ("kernel_dim1", "kernel_dim2", "kernel_dim3"))
    if "data_format" in out and isinstance(out["data_format"], str):
        fmt = out["data_format"]
        out["data_format"] = _DATA_FORMAT.get(fmt, fmt)
        if out["data_format"] is None:
            del out["data_format"]
    if "inner_activation" in out:  # SimpleRNN had none; keep Keras 3 from rejecting the call
        out["recurrent_activation"] = out.pop("inner_activation")
    return positional, out


def _kernel(out: Dict[str, Any], names: Tuple[str, ...]) -> None:
    if any(n in out for n in names):
        values = [out.pop(n, Unknown(f"Keras 1 `{n}` is missing")) for n in names]
        out["kernel_size"] = tuple(values)
