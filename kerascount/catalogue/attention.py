"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention (keras.src.layers.attention)."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ..ir import Shape
from ..symbolic import Expr
from .errors import IncompatibleInput, InvalidArguments, WrongRank
from .spec import (LayerSpec, Unresolved, Weights, arith, count_product, count_sum, is_int, product,
                   show_shape, sig)

FAMILY = "attention"


# -- MultiHeadAttention -------------------------------------------------------


#: Python values that are definitely not a dimension or an axis (anything else unexpected is
#: a value the analysis does not know, left unresolved).
_NOT_INT = (float, str, bytes, complex, type(None))


def _int(value: Any) -> Any:
    """``True``/``False`` are ints to Keras's ``isinstance(x, int)`` checks: 1 and 0."""
    return int(value) if isinstance(value, bool) else value


def _positive(name: str, value: Any, optional: bool = False) -> Any:
    if optional and value is None:
        return None
    value = _int(value)
    if not is_int(value) or (isinstance(value, int) and value <= 0):
        raise InvalidArguments(f"MultiHeadAttention: `{name}` must be a positive integer, got {value!r}")
    return value


def _mha_sizes(args) -> Any:
    """``MultiHeadAttention.__init__``: ``num_heads`` and ``key_dim`` positive integers, ``value_dim`` one or None."""
    return (_positive("num_heads", args.num_heads), _positive("key_dim", args.key_dim),
            _positive("value_dim", args.value_dim, optional=True))


def _output_dims(out: Any) -> Any:
    """``output_shape``: Keras keeps a truthy value as a tuple (an int as a 1-tuple) and builds the
    output projection's kernel ``(num_heads, value_dim, *output_shape)`` from it."""
    if not out:
        return None
    if is_int(_int(out)):
        out = (_int(out),)
    elif isinstance(out, (tuple, list)):
        out = tuple(out)
    else:
        raise InvalidArguments(f"MultiHeadAttention: invalid `output_shape` {out!r}; should be a tuple, list or int")
    dims = []
    for d in out:
        d = _int(d)
        if is_int(d):
            if isinstance(d, int) and d < 0:
                raise InvalidArguments(f"MultiHeadAttention: `output_shape` {_show(out)} has a negative dimension "
                                       "(Keras: Negative dimensions are not allowed)")
            dims.append(d)
        elif d is None:
            raise InvalidArguments(f"MultiHeadAttention: `output_shape` {_show(out)} has a None dimension (Keras: "
                                   "Shapes used to initialize variables must be fully-defined)")
        elif isinstance(d, _NOT_INT):
            raise InvalidArguments(f"MultiHeadAttention: `output_shape` {_show(out)} has an invalid dimension {d!r}")
        else:
            raise Unresolved(f"MultiHeadAttention output_shape {out!r} is not fully known")
    return tuple(dims)


def _show(values: Any) -> str:
    return "(" + ", ".join(repr(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def _mha_config(args):
    heads = _positive("num_heads", args.num_heads)
    key_dim = _positive("key_dim", args.key_dim)
    value_dim = _positive("value_dim", args.value_dim, optional=True)
    value_dim = value_dim if value_dim else key_dim
    out = _output_dims(args.output_shape)
    axes = args.attention_axes
    if is_int(_int(axes)):
        axes = (_int(axes),)
    elif axes and not isinstance(axes, (list, tuple)):
        raise InvalidArguments(f"MultiHeadAttention: `attention_axes` must be an int, list or tuple, got {axes!r}")
    elif axes is not None:
        # An empty tuple or list is kept: no attention axis at all (not the default).
        axes = tuple(_int(a) for a in axes)
    _check_window_and_flash("MultiHeadAttention", args)
    return heads, key_dim, value_dim, out, axes


def _check_window_and_flash(name: str, args) -> None:
    """``__init__``'s checks of ``sliding_window`` and of dropout with flash attention (MHA and GQA)."""
    window = args.sliding_window
    if window is not None and (isinstance(window, bool) or not is_int(window) or
                               (isinstance(window, int) and window <= 0)):
        raise InvalidArguments(f"{name}: `sliding_window` must be None or a positive integer, got {window!r}")
    dropout = args.raw("dropout", 0.0)
    if isinstance(dropout, (int, float)) and not 0 <= dropout <= 1:  # its Dropout layer's check (Keras 2 and 3)
        raise InvalidArguments(f"{name}: `dropout` must be a number between 0 and 1, got {dropout!r}")
    dropout = args.dropout
    if args.flash_attention and isinstance(dropout, (int, float)) and dropout > 0:
        raise InvalidArguments(f"{name}: dropout is not supported when flash attention is enabled")


def _mha_axes(axes: Any, value: Shape) -> Any:
    """The attention axes as ``_build_attention`` normalises them when the layer is built.

    They index the projected value ``(batch, ..., heads, dim)`` of rank ``R = rank(value) + 1``;
    a negative axis ``a`` becomes ``R - 1 + a``. Keras then passes them, with ``R - 1``, to
    ``np.delete(range(R), ...)``, which raises for an index outside ``[-R, R)`` or not an integer
    (a negative one in range wraps around). None: the default, every axis between batch and features.
    """
    rank = len(value) + 1
    if axes is None:
        return tuple(range(1, rank - 2))
    out = []
    for a in axes:
        a = _int(a)
        if isinstance(a, int):
            norm = a if a >= 0 else (rank - 1) + a
            if not -rank <= norm < rank:
                raise InvalidArguments(f"MultiHeadAttention: attention axis {a} is out of range for a value of shape "
                                       f"{show_shape(value)} (Keras indexes the projected (batch, ..., heads, "
                                       f"key_dim), of rank {rank}, with it)")
            out.append(norm)
        elif isinstance(a, _NOT_INT):
            raise InvalidArguments(f"MultiHeadAttention: attention axis {a!r} is not an integer")
        else:
            raise Unresolved("MultiHeadAttention attention_axes are not known")
    return tuple(out)


def _mha_inputs(shapes: Any) -> List[Shape]:
    if not isinstance(shapes, list) or len(shapes) < 2:
        raise InvalidArguments("MultiHeadAttention must be called with a query and a value tensor")
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
        raise IncompatibleInput(
            "MultiHeadAttention: all dimensions of `value` and `key`, except the last one, must be equal; "
            f"got value {show_shape(value)} and key {show_shape(key)}"
        )


def _mha_run_failure(args, query: Shape, key: Shape, value: Shape, axes: Tuple[Any, ...]) -> Optional[str]:
    """Why calling the layer on data fails although Keras builds it, or None.

    Keras builds MultiHeadAttention on symbolic inputs without running ``call`` (its output shape
    is the query's), so these show only on the first call on data. ``call`` then runs
    ``ops.dot_product_attention`` on the projected (batch, T, heads, dim) tensors, which ignores
    ``attention_axes``, when the query has rank 3, ``dropout`` is 0 and no scores are returned;
    otherwise the einsum equations ``_build_attention`` made from the axes. Only failures of
    every backend are reported: ranks that differ, an output subscript named twice, a pair of
    query and key dimensions that neither agree nor broadcast (size 1).
    """
    rank, query_rank = len(value) + 1, len(query) + 1
    if args.call("return_attention_scores", False):
        if args.flash_attention is True:
            return "returning attention scores is not supported with flash attention"
    elif query_rank == 4:
        dropout = args.dropout
        if not isinstance(dropout, (int, float)):
            raise Unresolved("MultiHeadAttention: `dropout` is not known")
        if not dropout > 0:
            if rank == 4:
                return None
            return (f"query {show_shape(query)} and value {show_shape(value)} have different ranks "
                    "(dot-product attention needs both of rank 3)")
    if query_rank != rank:
        return f"query {show_shape(query)} and value {show_shape(value)} have different ranks"
    where = [a % rank for a in axes]
    if not where:
        if rank == 3:
            return f"inputs of rank 2, like {show_shape(query)}, have no axis to attend over"
        return "`attention_axes` is empty: no axis to attend over"
    shown = f"({', '.join(str(a) for a in where)}{',' if len(where) == 1 else ''})"
    if len(set(where)) != len(where):
        return f"its attention axes, normalised as Keras does, are {shown}: the same axis twice"
    if rank - 1 in where:
        return (f"its attention axes, normalised as Keras does, are {shown}: axis {rank - 1} is the key_dim axis "
                "of the projected (batch, ..., heads, key_dim) tensors")
    for i in range(1, rank - 2):
        q, k = query[i], key[i]
        if i not in where and isinstance(q, int) and isinstance(k, int) and q != k and 1 not in (q, k):
            return (f"axis {i} is not an attention axis, so query {show_shape(query)} and key {show_shape(key)} "
                    f"must agree on it ({q} vs {k})")
    return None


def _mha_shape(args, shapes: Any) -> Any:
    shapes = _mha_inputs(shapes)
    heads, _, _, out, axes = _mha_config(args)
    _mha_check_kv(shapes)
    query, value = shapes[0], shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    normal = _mha_axes(axes, value)  # raises where Keras's build does
    failure = _mha_run_failure(args, query, key, value, normal)
    if failure:
        raise IncompatibleInput(f"MultiHeadAttention fails when called on data: {failure} (Keras builds it on symbolic "
                                "inputs without running it)")
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
            raise IncompatibleInput(f"MultiHeadAttention: the last dimension of `{what}` must be defined, found None "
                                    f"in {show_shape(s)}")
    _mha_axes(axes, value)
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
        raise IncompatibleInput(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                                "[query, value, key]")
    if not 2 <= len(shapes) <= 3:
        raise IncompatibleInput(f"{name} layer accepts an inputs list of length 2 or 3, namely [query, value] or "
                                f"[query, value, key]; got {len(shapes)}")
    return shapes


def _attn_run_failure(additive: bool, query: Shape, value: Shape, key: Shape) -> Optional[str]:
    """Why ``call`` fails on data although Keras builds the layer (it never checks the shapes), or None.

    The scores are ``query @ swapaxes(key)`` (the last dimensions must be equal) or, additive
    (``AdditiveAttention``, ``score_mode="concat"``), a sum over ``query[..., None, :] + key[..., None, :, :]``
    (equal or 1); then ``softmax(scores) @ value`` needs as many value steps as key steps. Axes
    between the batch and the last two broadcast. Only what fails on every backend is reported.
    """
    if min(len(query), len(key), len(value)) < 2:
        return None
    a, b = query[-1], key[-1]
    if isinstance(a, int) and isinstance(b, int) and a != b and not (additive and 1 in (a, b)):
        what = "key" if key is not value else "value (the key)"
        return f"query {show_shape(query)} and {what} {show_shape(key)} have different last dimensions ({a} vs {b})"
    if len(key) >= 3 and len(value) >= 3:
        tk, tv = key[-2], value[-2]
        if isinstance(tk, int) and isinstance(tv, int) and tk != tv:
            return f"key {show_shape(key)} and value {show_shape(value)} have different numbers of steps ({tk} vs {tv})"
    if len(query) == len(key) == len(value) >= 4:
        for i in range(1, len(query) - 2):
            sizes = {d for d in (query[i], key[i], value[i]) if isinstance(d, int) and d != 1}
            if len(sizes) > 1:
                return (f"query {show_shape(query)}, value {show_shape(value)} and key {show_shape(key)} do not "
                        f"broadcast on axis {i}")
    return None


def _attn_shape(name: str):
    def output_shape(args, shapes: Any) -> Any:
        shapes = _attn_inputs(name, shapes)
        if args.score_mode not in ("dot", "concat"):
            raise InvalidArguments(f"{name}: score_mode must be 'dot' or 'concat', got {args.score_mode!r}")
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        out = (*query[:-1], value[-1])
        failure = _attn_run_failure(name == "AdditiveAttention" or args.score_mode == "concat", query, value, key)
        if failure:
            raise IncompatibleInput(f"{name} fails when called on data: {failure} (Keras builds it on symbolic inputs "
                                    f"without running it; its summary shows {show_shape(out)})")
        if args.call("return_attention_scores", False):
            if len(key) < 2:
                raise WrongRank(f"{name}: key {show_shape(key)} has no time axis")
            return (out, (*query[:-1], key[-2]))
        return out

    return output_shape


def _attention_weights(args, shapes: Any) -> Weights:
    _attn_inputs("Attention", shapes)
    if args.score_mode not in ("dot", "concat"):
        raise InvalidArguments(f"Attention: score_mode must be 'dot' or 'concat', got {args.score_mode!r}")
    return Weights(trainable=(1 if args.use_scale else 0) + (1 if args.score_mode == "concat" else 0))


def _additive_weights(args, shapes: Any) -> Weights:
    shapes = _attn_inputs("AdditiveAttention", shapes)
    if not args.use_scale:
        return Weights()
    dim = shapes[0][-1]
    if dim is None:
        raise IncompatibleInput(f"AdditiveAttention: the last dimension of the query must be defined, found None in "
                                f"{show_shape(shapes[0])}")
    return Weights(trainable=dim)


# -- GroupedQueryAttention (exported as GroupQueryAttention) ---------------------


def _gqa_config(args) -> Tuple[Any, Any, Any]:
    head_dim = _gqa_positive("head_dim", args.head_dim)
    query_heads = _gqa_positive("num_query_heads", args.num_query_heads)
    kv_heads = _gqa_positive("num_key_value_heads", args.num_key_value_heads)
    if isinstance(query_heads, int) and isinstance(kv_heads, int) and query_heads % kv_heads:
        raise InvalidArguments(f"GroupQueryAttention: num_query_heads={query_heads} must be divisible by "
                               f"num_key_value_heads={kv_heads}")
    _check_window_and_flash("GroupQueryAttention", args)
    return head_dim, query_heads, kv_heads


def _gqa_positive(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not is_int(value) or (isinstance(value, int) and value <= 0):
        raise Unresolved(f"GroupQueryAttention `{name}`={value!r} is not a known positive integer")
    return value


def _gqa_inputs(args, shapes: Any) -> Tuple[Shape, Shape, Shape]:
    if not isinstance(shapes, list) or len(shapes) < 2:
        raise InvalidArguments("GroupQueryAttention must be called with a query and a value tensor")
    query, value = shapes[0], shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    if query[-1] != value[-1]:
        if isinstance(query[-1], Expr) or isinstance(value[-1], Expr):
            raise Unresolved("GroupQueryAttention: cannot tell whether query and value have the same last dimension")
        raise IncompatibleInput(f"GroupQueryAttention: the last dimension of query {show_shape(query)} and value "
                                f"{show_shape(value)} must be equal")
    same = _same_dims(value[1:-1], key[1:-1])
    if same is None:
        raise Unresolved("GroupQueryAttention: cannot tell whether value and key shapes agree")
    if not same:
        raise IncompatibleInput(f"GroupQueryAttention: all dimensions of value {show_shape(value)} and key "
                                f"{show_shape(key)}, except the last one, must be equal")
    return query, value, key


def _gqa_shape(args, shapes: Any) -> Any:
    _, query_heads, _ = _gqa_config(args)
    query, value, key = _gqa_inputs(args, shapes)
    if args.call("return_attention_scores", False):
        return (tuple(query), (query[0], query_heads, query[1], key[1]))
    return tuple(query)


def _gqa_weights(args, shapes: Any) -> Weights:
    head_dim, query_heads, kv_heads = _gqa_config(args)
    query, value, key = _gqa_inputs(args, shapes)
    if any(len(s) != 3 for s in (query, value, key)):
        raise Unresolved("GroupQueryAttention on inputs of rank other than 3 is not followed")
    for what, s in (("query", query), ("key", key), ("value", value)):
        if s[-1] is None:
            raise IncompatibleInput(f"GroupQueryAttention: the last dimension of `{what}` must be defined, found "
                                    f"None in {show_shape(s)}")
    bias = 1 if args.use_bias else 0

    def count() -> Any:
        heads_out = query_heads * head_dim
        kv_out = kv_heads * head_dim
        total = query[-1] * heads_out + key[-1] * kv_out + value[-1] * kv_out + heads_out * query[-1]
        total += bias * (heads_out + 2 * kv_out + query[-1])
        if args.use_gate:
            total += query[-1] * heads_out + bias * heads_out
        return total

    return Weights(trainable=arith(count, "params"))


# -- MACs ----------------------------------------------------------------------------------


def _mha_macs(args, inputs: Any, outputs: Any) -> Any:
    """Query, key and value projections, Q·Kᵀ and scores·V per head, the gate and the output projection.

    Each query position meets the key positions along ``attention_axes`` (default: every axis but
    batch and features); the other axes pair query and key positions one to one.
    """
    heads, key_dim, value_dim, out, axes = _mha_config(args)
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    queries, keys = count_product(query[1:-1]), count_product(key[1:-1])
    attended = count_product([key[a] for a in _attention_axes(axes, len(query), len(key))])
    out_size = count_product(out) if out else query[-1]
    parts = [
        count_product([queries, query[-1], heads, key_dim]),
        count_product([keys, key[-1], heads, key_dim]),
        count_product([keys, value[-1], heads, value_dim]),
        count_product([heads, queries, attended, key_dim]),
        count_product([heads, queries, attended, value_dim]),
        count_product([queries, heads, value_dim, out_size]),
    ]
    if args.use_gate:
        parts.append(count_product([queries, query[-1], heads, value_dim]))
    return count_sum(parts)


def _mha_returns(args, inputs: Any, outputs: Any) -> Any:
    """With its scores, MultiHeadAttention returns scores of shape (batch, <other axes>, heads,
    <query's attention axes>, <key's attention axes>), where Keras reports (batch, heads, Tq, Tq)."""
    if not args.call("return_attention_scores", False):
        return outputs
    heads, _, _, _, axes = _mha_config(args)
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    attended = _attention_axes(axes, len(query), len(key))
    query_axes, key_axes = (*query[:-1], heads), (*key[:-1], heads)
    others = [d for i, d in enumerate(query_axes) if i not in attended]
    return outputs[0], (*others, *(query_axes[a] for a in attended), *(key_axes[a] for a in attended))


def _attention_axes(axes: Any, query_rank: int, key_rank: int) -> Tuple[int, ...]:
    """MultiHeadAttention's attention axes as Keras normalises them (``_build_attention``).

    They index the projected tensors ``(batch, ..., heads, dim)``, which share their leading
    axes with the inputs; one of them on the heads or the batch axis is not counted (unknown).
    """
    rank = query_rank + 1
    if axes is None:
        return tuple(range(1, rank - 2))
    normal = tuple(a if a >= 0 else rank - 1 + a for a in axes if isinstance(a, int) and not isinstance(a, bool))
    if len(normal) != len(axes) or key_rank != query_rank or not all(1 <= a < rank - 2 for a in normal):
        raise Unresolved("MultiHeadAttention attention_axes outside the inputs' positions")
    return normal


def _attention_macs(args, inputs: Any, outputs: Any) -> Any:
    """Attention: Q·Kᵀ (``score_mode="dot"``; "concat" scores are elementwise) and scores·V."""
    return count_sum([_scores(inputs) if args.score_mode == "dot" else 0, _weighted_values(inputs)])


def _additive_macs(args, inputs: Any, outputs: Any) -> Any:
    """AdditiveAttention: its scores are elementwise (a sum of tanh); only scores·V counts."""
    return _weighted_values(inputs)


def _attention_shapes(inputs: Any) -> Tuple[Shape, Shape, Shape]:
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    if any(len(s) != 3 for s in (query, value, key)):
        raise Unresolved("attention on inputs of rank other than 3")
    return query, value, key


def _scores(inputs: Any) -> Any:
    query, _, key = _attention_shapes(inputs)
    return count_product([query[1], key[1], query[2]])


def _weighted_values(inputs: Any) -> Any:
    query, value, key = _attention_shapes(inputs)
    return count_product([query[1], key[1], value[2]])


def _gqa_macs(args, inputs: Any, outputs: Any) -> Any:
    """The query, key, value (and gate) projections, Q·Kᵀ and scores·V per query head, the output projection."""
    head_dim, query_heads, kv_heads = _gqa_config(args)
    query, value, key = _attention_shapes(inputs)
    parts = [
        count_product([query[1], query[-1], query_heads, head_dim]),
        count_product([key[1], key[-1], kv_heads, head_dim]),
        count_product([key[1], value[-1], kv_heads, head_dim]),
        count_product([2, query_heads, query[1], key[1], head_dim]),
        count_product([query[1], query_heads, head_dim, query[-1]]),
    ]
    if args.use_gate:
        parts.append(count_product([query[1], query[-1], query_heads, head_dim]))
    return count_sum(parts)


#: MultiHeadAttention's and GroupQueryAttention's ``call`` after (query, value, key), in Keras 3 (tf.keras 2's
#: fourth parameter was ``attention_mask``).
_MHA_CALL_REST = ("query_mask", "value_mask", "key_mask", "attention_mask", "return_attention_scores", "training",
                  "use_causal_mask")

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
        macs=_mha_macs,
        returns=_mha_returns,
        family=FAMILY,
        call_inputs=("query", "value", "key"),
        call_rest=_MHA_CALL_REST,
        output_count=_mha_count,
        build_names=("Softmax", "Dropout"),
        compute_mask="keep",
        traits=frozenset({"one_tensor_per_output", "own_sublayers_at_build"}),
        init_checks=_mha_sizes,
        attributes=frozenset({"num_heads", "key_dim"}),
    ),
    LayerSpec(
        "GroupedQueryAttention",
        sig("head_dim", "num_query_heads", "num_key_value_heads", ("dropout", 0.0), ("use_bias", True),
            ("sliding_window", None), ("flash_attention", None), ("kernel_initializer", "glorot_uniform"),
            ("bias_initializer", "zeros"), ("kernel_regularizer", None), ("bias_regularizer", None),
            ("activity_regularizer", None), ("kernel_constraint", None), ("bias_constraint", None),
            ("use_gate", False), ("seed", None)),
        output_shape=_gqa_shape,
        weights=_gqa_weights,
        macs=_gqa_macs,
        aliases=("GroupQueryAttention",),
        family=FAMILY,
        call_inputs=("query", "value", "key"),
        call_rest=_MHA_CALL_REST,
        output_count=_mha_count,
        build_names=("Softmax", "Dropout"),
        compute_mask="keep",
        traits=frozenset({"own_sublayers_at_build"}),
    ),
    LayerSpec("Attention", sig(("use_scale", False), ("score_mode", "dot"), ("dropout", 0.0), ("seed", None)),
              output_shape=_attn_shape("Attention"), weights=_attention_weights, macs=_attention_macs,
              family=FAMILY, multi_input=True,
              output_count=_mha_count, compute_mask="attention", takes_mask=True,
              traits=frozenset({"one_tensor_per_output"})),
    # AdditiveAttention passes **kwargs on to Attention.__init__, so score_mode= and seed= are accepted too
    # (appended here; they change nothing in AdditiveAttention's build).
    LayerSpec("AdditiveAttention", sig(("use_scale", True), ("dropout", 0.0), ("score_mode", "dot"), ("seed", None)),
              output_shape=_attn_shape("AdditiveAttention"), weights=_additive_weights, macs=_additive_macs,
              family=FAMILY,
              multi_input=True, output_count=_mha_count, compute_mask="attention", takes_mask=True),
]
