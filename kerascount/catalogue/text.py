"""Lookup and text preprocessing layers: TextVectorization, StringLookup, IntegerLookup
(keras.src.layers.preprocessing.text_vectorization, string_lookup, integer_lookup, index_lookup).

Keras makes them only where TensorFlow is importable (whatever the backend); their ground truth comes
from a Keras with TensorFlow installed (fixtures with ``# keras-truth: needs=tensorflow``, README). They
have no weights Keras counts: their vocabulary and TF-IDF weights are TensorFlow tables and variables, not
Keras weights (0 params in ``model.summary()``).

Their output shapes follow ``compute_output_shape``: ``int`` mode keeps the input's shape (a lookup) or
gives ``(batch, output_sequence_length)`` (TextVectorization, None without it); the other modes add an axis
of the vocabulary size, which is ``max_tokens`` with ``pad_to_max_tokens=True``, the size of a vocabulary
given as a list of distinct tokens (with its OOV and mask indices), and otherwise a size that ``adapt()``
learns from data: unknown. ``ragged=True`` and ``sparse=True`` are refused by Keras's other backends and
give TensorFlow tensors there: not followed.
"""

from __future__ import annotations

from typing import Any, Tuple

from ..ir import Shape, Unknown
from ..symbolic import Expr
from .errors import InvalidArguments
from .spec import LayerSpec, Unresolved, is_int, sig, zero_macs

FAMILY = "preprocessing"

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _mode(name: str, value: Any) -> str:
    """``output_mode`` with Keras's deprecated names (``binary``, ``tf-idf``) made the new ones."""
    if isinstance(value, Expr):
        raise Unresolved(f"{name} output_mode is not known (`{value}`)")
    mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(value, value) if isinstance(value, str) else value
    if mode not in _MODES:
        raise InvalidArguments(f"{name}: unknown output_mode {value!r}; should be one of {', '.join(_MODES)}")
    return mode


def _flag(name: str, args, what: str) -> bool:
    value = args.get(what)
    if not isinstance(value, bool) and not (isinstance(value, int) and value in (0, 1)) and value is not None:
        raise Unresolved(f"{name} {what}={value!r} is not known")
    return bool(value)


def _backend_only(name: str, args, *flags: str) -> None:
    for what in flags:
        if _flag(name, args, what):
            raise Unresolved(f"{name}({what}=True): Keras accepts it only with the TensorFlow backend, where the "
                             "output is a TensorFlow ragged or sparse tensor (not followed)")


def _hidden(name: str, args) -> None:
    """Keyword arguments Keras's deserialisation passes (``vocabulary_size``, ``has_input_vocabulary``): when the
    source gives them, they decide sizes the analysis does not follow."""
    for what in ("vocabulary_size", "has_input_vocabulary"):
        if args.raw(what) is not None:
            raise Unresolved(f"{name}: `{what}=` (an argument of Keras's deserialisation) is not followed")


def _max_tokens(name: str, args) -> Any:
    tokens = args.max_tokens
    if tokens is None:
        return None
    if isinstance(tokens, bool) or not is_int(tokens):
        raise Unresolved(f"{name} max_tokens={tokens!r} is not an integer")
    if isinstance(tokens, int) and tokens <= 1:
        raise InvalidArguments(f"{name}: if set, `max_tokens` must be greater than 1; got max_tokens={tokens}")
    return tokens


def _vocabulary_size(name: str, args, mode: str, mask_token: Any, oov_token: Any, token_type: type,
                     oov_indices: Any, max_tokens: Any) -> Any:
    """The vocabulary size (mask and OOV indices included) a ``vocabulary=`` given at construction sets, as
    ``IndexLookup.set_vocabulary`` counts it; None when no vocabulary is given (``adapt()`` will set it).
    Raises where ``set_vocabulary`` raises on a literal list; Unresolved for anything else (a file path, an
    array, tokens not known, special tokens inside the list)."""
    vocabulary = args.raw("vocabulary")
    if vocabulary is None:
        return None
    if isinstance(vocabulary, Unknown):
        raise Unresolved(f"{name} vocabulary is not known ({vocabulary.reason})")
    if isinstance(vocabulary, str):
        raise Unresolved(f"{name} vocabulary is read from the file {vocabulary!r}")
    if not isinstance(vocabulary, tuple):
        raise Unresolved(f"{name} vocabulary {vocabulary!r} is not followed")
    if not vocabulary:
        raise InvalidArguments(f"{name}: cannot set an empty vocabulary")
    if not all(type(t) is token_type for t in vocabulary):
        raise Unresolved(f"{name} vocabulary: its tokens are not all known {token_type.__name__} values")
    if len(set(vocabulary)) != len(vocabulary):
        repeated = sorted({t for t in vocabulary if vocabulary.count(t) > 1}, key=str)
        raise InvalidArguments(f"{name}: the vocabulary has at least one repeated term: {repeated!r}")
    if any(t == mask_token or t == oov_token for t in vocabulary):
        raise Unresolved(f"{name} vocabulary holds its mask or OOV token, which Keras treats specially (not "
                         "followed)")
    if not isinstance(oov_indices, int):
        raise Unresolved(f"{name} num_oov_indices={oov_indices!r} is not known")
    size = len(vocabulary) + oov_indices + (1 if mask_token is not None and mode == "int" else 0)
    if isinstance(max_tokens, int) and size > max_tokens:
        raise InvalidArguments(f"{name}: attempted to set a vocabulary larger than the maximum vocab size: the "
                               f"vocabulary size is {size}; `max_tokens` is {max_tokens}")
    if mode == "tf_idf":
        weights = args.raw("idf_weights")
        if weights is None:
            raise InvalidArguments(f"{name}: when specifying the `vocabulary` argument in TF-IDF output mode, the "
                                   "`idf_weights` argument must also be provided")
        if not isinstance(weights, tuple) or len(weights) != len(vocabulary):
            raise Unresolved(f"{name} idf_weights are not a list as long as the vocabulary")
    return size


def _lookup_config(name: str, args, mask_token: Any, oov_token: Any, token_type: type) -> Tuple[str, Any]:
    """(output mode, depth of its one/multi-hot axis, or None in ``int`` mode), with ``IndexLookup``'s checks."""
    _hidden(name, args)
    max_tokens = _max_tokens(name, args)
    pad = _flag(name, args, "pad_to_max_tokens")
    if pad and max_tokens is None:
        raise InvalidArguments(f"{name}: if pad_to_max_tokens is True, `max_tokens` must be set")
    mode = _mode(name, args.output_mode)
    sparse = _flag(name, args, "sparse")
    if sparse and mode == "int":
        raise InvalidArguments(f"{name}: `sparse` may only be true if `output_mode` is 'one_hot', 'multi_hot', "
                               "'count' or 'tf_idf'")
    _backend_only(name, args, "sparse")
    if args.raw("idf_weights") is not None and mode != "tf_idf":
        raise InvalidArguments(f"{name}: `idf_weights` should only be set if `output_mode` is 'tf_idf'")
    oov_indices = args.get("num_oov_indices") if "num_oov_indices" in args.layer_spec.defaults else 1
    if isinstance(oov_indices, int) and not isinstance(oov_indices, bool) and oov_indices < 0:
        raise InvalidArguments(f"{name}: `num_oov_indices` must be greater than or equal to 0; got {oov_indices}")
    try:
        size = _vocabulary_size(name, args, mode, mask_token, oov_token, token_type, oov_indices, max_tokens)
    except Unresolved:
        if mode == "int":  # the output does not depend on the vocabulary (as an activation= not known)
            return mode, None
        raise
    if mode == "int":
        return mode, None
    if pad:
        return mode, max_tokens
    if size is None:
        raise Unresolved(f"{name} output_mode={mode!r}: the size of its output's last axis is the vocabulary's, "
                         "which adapt() learns from data (pad_to_max_tokens=True with max_tokens= would fix it)")
    return mode, size


def _lookup_shape(mode: str, depth: Any, shape: Shape) -> Shape:
    """``IndexLookup.compute_output_shape``."""
    if mode == "int":
        return shape
    if mode == "one_hot":
        if len(shape) > 1 and isinstance(shape[-1], Expr):
            raise Unresolved("whether the input's last axis is 1 is not known")
        if len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    return (*shape[:-1], depth)


def _tokens(name: str, args, what: str) -> Any:
    value = args.get(what)
    if isinstance(value, Expr):
        raise Unresolved(f"{name} {what} is not known (`{value}`)")
    return value


def _string_lookup_shape(args, shape: Shape) -> Shape:
    mask, oov = _tokens("StringLookup", args, "mask_token"), _tokens("StringLookup", args, "oov_token")
    if args.invert and _mode("StringLookup", args.output_mode) != "int":
        raise InvalidArguments("StringLookup: `output_mode` must be 'int' when `invert` is true")
    mode, depth = _lookup_config("StringLookup", args, mask, oov, str)
    return _lookup_shape(mode, depth, shape)


def _integer_lookup_shape(args, shape: Shape) -> Shape:
    if args.vocabulary_dtype != "int64":
        raise InvalidArguments(f"IntegerLookup: only `vocabulary_dtype='int64'` is supported; got "
                               f"{args.vocabulary_dtype!r}")
    mask, oov = _tokens("IntegerLookup", args, "mask_token"), _tokens("IntegerLookup", args, "oov_token")
    if args.invert and _mode("IntegerLookup", args.output_mode) != "int":
        raise InvalidArguments("IntegerLookup: `output_mode` must be 'int' when `invert` is true")
    mode, depth = _lookup_config("IntegerLookup", args, mask, oov, int)
    return _lookup_shape(mode, depth, shape)


def _check_choice(name: str, args, what: str, allowed: Tuple[str, ...]) -> Any:
    """``validate_string_arg`` with callables allowed: a string must be one of ``allowed``; a value not known
    (a function the source passes) is not checked."""
    value = args.raw(what, args.layer_spec.defaults[what])
    if isinstance(value, str) and value not in allowed:
        raise InvalidArguments(f"{name}: unknown `{what}` {value!r}; should be one of {', '.join(allowed)}, None "
                               "or a callable")
    return value


def _text_vectorization_shape(args, shape: Shape) -> Shape:
    name = "TextVectorization"
    _backend_only(name, args, "sparse", "ragged")
    _check_choice(name, args, "standardize", ("lower_and_strip_punctuation", "lower", "strip_punctuation"))
    split = _check_choice(name, args, "split", ("whitespace", "character"))
    mode = _mode(name, args.output_mode)
    ngrams = args.raw("ngrams")
    if not (ngrams is None or isinstance(ngrams, (int, Unknown, Expr)) or
            isinstance(ngrams, tuple) and all(isinstance(n, (int, Unknown, Expr)) for n in ngrams)):
        raise InvalidArguments(f"{name}: `ngrams` must be None, an integer, or a tuple of integers; got {ngrams!r}")
    length = args.output_sequence_length
    if isinstance(length, bool):
        raise Unresolved(f"{name} output_sequence_length={length!r} is not followed")
    if mode == "int" and not (length is None or is_int(length)):
        raise InvalidArguments(f"{name}: `output_sequence_length` must be either None or an integer when "
                               f"`output_mode` is 'int'; got {length!r}")
    if mode != "int" and length is not None:
        raise InvalidArguments(f"{name}: `output_sequence_length` must not be set if `output_mode` is not 'int'")
    if isinstance(length, int) and length < 0:
        # (Keras 3.15 with TensorFlow: "Cannot convert '(None, -1)' to a shape" when it is called)
        raise InvalidArguments(f"{name}: `output_sequence_length` must not be negative, got {length}")
    # The StringLookup it makes in __init__, with mask_token "" and oov_token "[UNK]".
    mode, depth = _lookup_config(name, args, "", "[UNK]", str)
    if mode == "int":
        return (shape[0] if shape else None, length)
    if isinstance(split, Unknown):
        raise Unresolved(f"{name} split is not known ({split.reason})")
    if split is None:
        if len(shape) <= 1:
            shape = (*shape, 1)
    else:
        shape = (*shape, None)
    return _lookup_shape(mode, depth, shape)


_LOOKUP_HIDDEN = (("trainable", True), ("dtype", None), ("vocabulary_size", None), ("has_input_vocabulary", None))

SPECS = [
    LayerSpec("TextVectorization",
              sig(("max_tokens", None), ("standardize", "lower_and_strip_punctuation"), ("split", "whitespace"),
                  ("ngrams", None), ("output_mode", "int"), ("output_sequence_length", None),
                  ("pad_to_max_tokens", False), ("vocabulary", None), ("idf_weights", None), ("sparse", False),
                  ("ragged", False), ("encoding", "utf-8"), ("name", None), ("vocabulary_size", None),
                  ("has_input_vocabulary", None)),
              output_shape=_text_vectorization_shape, family=FAMILY, macs=zero_macs,
              init_names=lambda args: ("StringLookup",)),
    LayerSpec("StringLookup",
              sig(("max_tokens", None), ("num_oov_indices", 1), ("mask_token", None), ("oov_token", "[UNK]"),
                  ("vocabulary", None), ("idf_weights", None), ("invert", False), ("output_mode", "int"),
                  ("pad_to_max_tokens", False), ("sparse", False), ("encoding", "utf-8"), ("name", None),
                  ("salt", None), ("oov_method", "floormod"), *_LOOKUP_HIDDEN),
              output_shape=_string_lookup_shape, family=FAMILY, macs=zero_macs, var_kwargs=False),
    LayerSpec("IntegerLookup",
              sig(("max_tokens", None), ("num_oov_indices", 1), ("mask_token", None), ("oov_token", -1),
                  ("vocabulary", None), ("vocabulary_dtype", "int64"), ("idf_weights", None), ("invert", False),
                  ("output_mode", "int"), ("sparse", False), ("pad_to_max_tokens", False),
                  ("oov_method", "floormod"), ("salt", None), ("name", None), *_LOOKUP_HIDDEN),
              output_shape=_integer_lookup_shape, family=FAMILY, macs=zero_macs, var_kwargs=False),
]
