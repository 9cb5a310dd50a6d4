"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention (keras.src.layers.attention)."""

from __future__ import annotations

from typing import Any, List, Optional

from ..ir import Shape
from ..symbolic import Expr
from .spec import LayerSpec, ShapeError, Unresolved, Weights, arith, is_int, product, show_shape, sig

FAMILY = "attention"


# -- MultiHeadAttention -------------------------------------------------------


def _positive(name: str, value: Any, optional: bool = False) -> Any:
    if optional and value is None:
        return None
    if isinstance(value, bool) or not is_int(value) or (isinstance(value, int) and value <= 0):
        raise ShapeError(f"MultiHeadAttention: `{name}` must be a positive integer, got {value!r}", code="KC103")
    return value


def _mha_config(args):
    heads = _positive("num_heads", args.num_heads)
    key_dim = _positive("key_dim", args.key_dim)
    value_dim = _positive("value_dim", args.value_dim, optional=True)
    value_dim = value_dim if value_dim else key_dim
    out = args.output_shape
    if out:
        if isinstance(out, (int, Expr)) and not isinstance(out, bool):
            out = (out,)
        elif isinstance(out, (tuple, list)):
            out = tuple(out)
            for d in out:
                if not is_int(d):
                    raise Unresolved(f"MultiHeadAttention output_shape {out!r} is not fully known")
        else:
            raise ShapeError(f"MultiHeadAttention: invalid `output_shape` {out!r}; should be a tuple, list or int",
                             code="KC103")
    else:
        out = None
    axes = args.attention_axes
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = (axes,)
    elif axes and not isinstance(axes, (list, tuple)):
        raise ShapeError(f"MultiHeadAttention: `attention_axes` must be an int, list or tuple, got {axes!r}",
                         code="KC103")
    window = args.sliding_window
    if window is not None and (isinstance(window, bool) or not is_int(window) or
                               (isinstance(window, int) and window <= 0)):
        raise ShapeError(f"MultiHeadAttention: `sliding_window` must be None or a positive integer, got {window!r}",
                         code="KC103")
    dropout = args.dropout
    if args.flash_attention and isinstance(dropout, (int, float)) and dropout > 0:
        raise ShapeError("MultiHeadAttention: dropout is not supported when flash attention is enabled",
                         code="KC103")
    return heads, key_dim, value_dim, out, axes


def _mha_inputs(shapes: Any) -> List[Shape]:
    if not isinstance(shapes, list) or len(shapes) < 2:
        raise ShapeError("MultiHeadAttention must be called with a query and a value tensor", code="KC103")
    return shapes


def _same_dims(a: Shape, b: Shape) -> Optional[bool]:
    """Keras compares the tuples with ``!=`` (None equals None); None: cannot tell (symbolic)."""
    if len(a) != len(b):
        return False
    unsure = False
    for x, y in zip(a, b):
        if x == y:
            continue
        if isinstance(x, Expr) or isinstance(y, Expr):
            unsure = True
            continue
        return False
    return None if unsure else True


def _mha_check_kv(shapes: List[Shape]) -> None:
    value = shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    same = _same_dims(value[1:-1], key[1:-1])
    if same is None:
        raise Unresolved("MultiHeadAttention: cannot tell whether value and key shapes agree")
    if not same:
        raise ShapeError(
            "MultiHeadAttention: all dimensions of `value` and `key`, except the last one, must be equal; "
            f"got value {show_shape(value)} and key {show_shape(key)}",
            code="KC102",
        )


def _mha_shape(args, shapes: Any) -> Any:
    shapes = _mha_inputs(shapes)
    heads, _, _, out, _ = _mha_config(args)
    _mha_check_kv(shapes)
    query = shapes[0]
    result = (*query[:-1], *out) if out else tuple(query)
    if args.call("return_attention_scores", False):
        length = query[1] if len(query) > 1 else None
        # Keras reports (batch, num_heads, Tq, Tq) whatever the value length and attention_axes.
        return (result, (query[0], heads, length, length))
    return result


def _mha_weights(args, shapes: Any) -> Weights:
    shapes = _mha_inputs(shapes)
    heads, key_dim, value_dim, out, axes = _mha_config(args)
    _mha_check_kv(shapes)
    query, value = shapes[0], shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    for what, s in (("query", query), ("key", key), ("value", value)):
        if s[-1] is None:
            raise ShapeError(f"MultiHeadAttention: the last dimension of `{what}` must be defined, found None "
                             f"in {show_shape(s)}", code="KC102")
    if axes:
        rank = len(value) + 1  # the projected value: (batch, ..., heads, value_dim)
        for a in axes:
            if not isinstance(a, int):
                raise Unresolved("MultiHeadAttention attention_axes are not known")
            norm = a if a >= 0 else (rank - 1) + a
            if not -rank <= norm < rank:
                raise ShapeError(f"MultiHeadAttention: attention axis {a} is out of range for a value of shape "
                                 f"{show_shape(value)}", code="KC103")
    use_bias = args.use_bias
    out_dims = out if out else (query[-1],)
    out_size = product(out_dims)

    def count() -> Any:
        total = query[-1] * heads * key_dim + key[-1] * heads * key_dim + value[-1] * heads * value_dim
        if use_bias:
            total += 2 * heads * key_dim + heads * value_dim
        if args.use_gate:
            total += query[-1] * heads * value_dim + (heads * value_dim if use_bias else 0)
        total += heads * value_dim * out_size + (out_size if use_bias else 0)
        return total

    return Weights(trainable=arith(count, "params"))


def _mha_count(args) -> int:
    return 2 if args.call("return_attention_scores", False) else 1


# -- Attention, AdditiveAttention ----------------------------------------------


def _attn_inputs(name: str, shapes: Any) -> List[Shape]:
    if not isinstance(shapes, list):
        raise ShapeError(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                         "[query, value, key]", code="KC102")
    if not 2 <= len(shapes) <= 3:
        raise ShapeError(f"{name} layer accepts an inputs list of length 2 or 3, namely [query, value] or "
                         f"[query, value, key]; got {len(shapes)}", code="KC102")
    return shapes


def _attn_shape(name: str):
    def output_shape(args, shapes: Any) -> Any:
        shapes = _attn_inputs(name, shapes)
        if args.score_mode not in ("dot", "concat"):
            raise ShapeError(f"{name}: score_mode must be 'dot' or 'concat', got {args.score_mode!r}",
                             code="KC103")
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        out = (*query[:-1], value[-1])
        if args.call("return_attention_scores", False):
            if len(key) < 2:
                raise ShapeError(f"{name}: key {show_shape(key)} has no time axis", code="KC104")
            return (out, (*query[:-1], key[-2]))
        return out

    return output_shape


def _attention_weights(args, shapes: Any) -> Weights:
    _attn_inputs("Attention", shapes)
    if args.score_mode not in ("dot", "concat"):
        raise ShapeError(f"Attention: score_mode must be 'dot' or 'concat', got {args.score_mode!r}", code="KC103")
    return Weights(trainable=(1 if args.use_scale else 0) + (1 if args.score_mode == "concat" else 0))


def _additive_weights(args, shapes: Any) -> Weights:
    shapes = _attn_inputs("AdditiveAttention", shapes)
    if not args.use_scale:
        return Weights()
    dim = shapes[0][-1]
    if dim is None:
        raise ShapeError(f"AdditiveAttention: the last dimension of the query must be defined, found None in "
                         f"{show_shape(shapes[0])}", code="KC102")
    return Weights(trainable=dim)


SPECS = [
    LayerSpec(
        "MultiHeadAttention",
        sig("num_heads", "key_dim", ("value_dim", None), ("dropout", 0.0), ("use_bias", True),
            ("output_shape", None), ("attention_axes", None), ("sliding_window", None), ("flash_attention", None),
            ("kernel_initializer", "glorot_uniform"), ("bias_initializer", "zeros"), ("kernel_regularizer", None),
            ("bias_regularizer", None), ("activity_regularizer", None), ("kernel_constraint", None),
            ("bias_constraint", None), ("use_gate", False), ("seed", None)),
        output_shape=_mha_shape,
        weights=_mha_weights,
        family=FAMILY,
        call_inputs=("query", "value", "key"),
        output_count=_mha_count,
        build_names=("Softmax", "Dropout"),
    ),
    LayerSpec("Attention", sig(("use_scale", False), ("score_mode", "dot"), ("dropout", 0.0), ("seed", None)),
              output_shape=_attn_shape("Attention"), weights=_attention_weights, family=FAMILY, multi_input=True,
              output_count=_mha_count),
    # AdditiveAttention passes **kwargs on to Attention.__init__, so score_mode= and seed= are accepted too
    # (appended here; they change nothing in AdditiveAttention's build).
    LayerSpec("AdditiveAttention", sig(("use_scale", True), ("dropout", 0.0), ("score_mode", "dot"), ("seed", None)),
              output_shape=_attn_shape("AdditiveAttention"), weights=_additive_weights, family=FAMILY,
              multi_input=True, output_count=_mha_count),
]
