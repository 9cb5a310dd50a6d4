"""Cost estimates from shapes alone: multiply-accumulates (MACs) and activation sizes.

The definitions are in docs/cost.md. In short: a layer's MACs, per sample, are the
multiply-accumulates of its matrix products and convolutions (weights applied to inputs,
attention's query-key and attention-value products, ``x @ w``), with every window position
counted, padding included; biases, activations, normalisation, pooling, interpolation,
merging and reshaping count 0. A layer's activations are the elements of its outputs per
sample (the batch dimension left out). Like every number kerascount prints, these are exact,
symbolic or unknown (``None``): a layer kind without a definition here, a ``None``
dimension the count depends on, or an argument the source does not determine gives ``None``.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from . import catalogue
from .catalogue import core, merge, recurrent
from .catalogue.attention import _gqa_config, _mha_config
from .catalogue.ops import operand
from .catalogue.spec import BoundArgs, LayerSpec, ShapeError, Unresolved, arith, as_data_format, as_int, as_tuple, \
    config, split_channels
from .ir import Count, LayerDef, LayerResult, Shape
from .symbolic import TooComplex

#: Bytes per parameter or activation value: float32. Mixed precision (float16 activations) differs.
BYTES_PER_VALUE = 4

#: MACs of one call: (bound arguments, input shape or list of shapes, output shape or tuple of shapes).
MacsFn = Callable[[BoundArgs, Any, Any], Count]
#: The shapes of the arrays one call returns, from the same arguments.
OutputsFn = Callable[[BoundArgs, Any, Any], Any]


# -- arithmetic that keeps unknowns unknown --------------------------------------------------


def _fold(values: Sequence[Count], start: int, op: Callable[[Any, Any], Any]) -> Count:
    out: Count = start
    for v in values:
        if v is None:
            return None
        try:
            out = op(out, v)
        except (TooComplex, TypeError):
            return None
    return out


def _prod(values: Sequence[Count]) -> Count:
    """The product; None if any factor is None (a dimension Keras leaves open) or it grows too complex."""
    return _fold(values, 1, operator.mul)


def total(values: Sequence[Count]) -> Count:
    """The sum; None if any term is None or it grows too complex."""
    return _fold(values, 0, operator.add)


def _several(outputs: Any) -> Tuple[Shape, ...]:
    """A layer's output shapes as a tuple, whether it has one output or several."""
    return tuple(outputs) if outputs and isinstance(outputs[0], tuple) else (outputs,)


# -- activations ------------------------------------------------------------------------


def _elements(outputs: Any) -> Count:
    """Elements per sample of a layer's output(s): the product of each shape without its batch dimension."""
    if outputs is None:
        return None
    return total([_prod(shape[1:]) for shape in _several(outputs)])


# -- MACs by layer family ------------------------------------------------------------------


def _zero(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    return 0


def _dense(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
    """in_features × units at every position (the dimensions between batch and features)."""
    return _prod([*inputs[1:-1], inputs[-1], as_int(args.units, "units")])


def _spatial(shape: Shape, args: BoundArgs) -> Tuple[Count, Tuple[Count, ...]]:
    """(channels, spatial dimensions) of a batched shape, by the layer's ``data_format``."""
    return split_channels(shape, as_data_format(args.data_format))


def _kernel(args: BoundArgs, rank: int) -> Tuple[Count, ...]:
    return as_tuple(args.kernel_size, rank, "kernel_size")


def _conv(rank: int) -> MacsFn:
    """Output positions × kernel volume × in_channels/groups × filters."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
        channels, _ = _spatial(inputs, args)
        _, out = _spatial(outputs, args)
        per_group = arith(lambda: channels // as_int(args.groups, "groups"), "channels per group")
        return _prod([*out, *_kernel(args, rank), per_group, as_int(args.filters, "filters")])

    return macs


def _conv_transpose(rank: int) -> MacsFn:
    """Input positions × kernel volume × in_channels × filters: each input value meets the whole kernel."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
        channels, spatial = _spatial(inputs, args)
        return _prod([*spatial, *_kernel(args, rank), channels, as_int(args.filters, "filters")])

    return macs


def _depthwise(rank: int) -> MacsFn:
    """Output positions × kernel volume × in_channels × depth_multiplier."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
        channels, _ = _spatial(inputs, args)
        _, out = _spatial(outputs, args)
        return _prod([*out, *_kernel(args, rank), channels, as_int(args.depth_multiplier, "depth_multiplier")])

    return macs


def _separable(rank: int) -> MacsFn:
    """The depthwise step, then a 1×1 convolution from in_channels × depth_multiplier to filters."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
        channels, _ = _spatial(inputs, args)
        _, out = _spatial(outputs, args)
        multiplier = as_int(args.depth_multiplier, "depth_multiplier")
        depthwise = _prod([*out, *_kernel(args, rank), channels, multiplier])
        pointwise = _prod([*out, channels, multiplier, as_int(args.filters, "filters")])
        return total([depthwise, pointwise])

    return macs


def _rnn(gates: int) -> MacsFn:
    """Per timestep, the input and recurrent kernels: gates × units × (features + units)."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Any) -> Count:
        units = as_int(args.units, "units")
        return _prod([inputs[1], gates, units, total([inputs[-1], units])])

    return macs


def _conv_lstm(rank: int) -> MacsFn:
    """Per timestep, four input convolutions and four recurrent ("same", stride 1) ones on the state."""

    def macs(args: BoundArgs, inputs: Shape, outputs: Any) -> Count:
        step = (inputs[0], *inputs[2:])
        channels, _ = _spatial(step, args)
        last = _several(outputs)[-1]
        state = last if args.return_state or not args.return_sequences else (last[0], *last[2:])
        _, out = _spatial(state, args)
        filters = as_int(args.filters, "filters")
        return _prod([inputs[1], *out, *_kernel(args, rank), 4, filters, total([channels, filters])])

    return macs


def _wrapped(value: Any) -> Tuple[LayerSpec, BoundArgs]:
    if not isinstance(value, LayerDef) or not value.known or value.submodel is not None:
        raise Unresolved("the wrapped layer is not known")
    spec = catalogue.lookup(value.type)
    if spec is None:
        raise Unresolved(f"`{value.type}` is not in the catalogue")
    return spec, config(spec, value)


def _inner_macs(value: Any, inputs: Shape) -> Count:
    spec, args = _wrapped(value)
    fn = MACS.get(spec.name)
    return None if fn is None else fn(args, inputs, spec.output_shape(args, inputs))


def _bidirectional(args: BoundArgs, inputs: Shape, outputs: Any) -> Count:
    """The forward and the backward layer, each on the whole input."""
    forward = args.get("layer")
    backward = args.backward_layer
    return total([_inner_macs(forward, inputs), _inner_macs(forward if backward is None else backward, inputs)])


def _bidirectional_outputs(args: BoundArgs, inputs: Shape, outputs: Any) -> Any:
    """The arrays Bidirectional returns, from both layers: Keras reports its shapes from the forward layer alone."""
    backward = args.backward_layer
    if backward is None:
        return outputs
    (fspec, fargs), (bspec, bargs) = _wrapped(args.get("layer")), _wrapped(backward)
    forward, *forward_states = _several(fspec.output_shape(fargs, inputs))
    back, *back_states = _several(bspec.output_shape(bargs, inputs))
    if args.merge_mode == "concat":
        merged: Tuple[Shape, ...] = ((*forward[:-1], total([forward[-1], back[-1]])),)
    elif args.merge_mode is None:
        merged = (forward, back)
    elif forward == back:
        merged = (forward,)
    else:
        raise Unresolved(f"Bidirectional cannot {args.merge_mode} outputs of shapes {forward} and {back}")
    return (*merged, *forward_states, *back_states)


def _time_distributed(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
    """The wrapped layer's MACs on one timestep, times the timesteps."""
    return _prod([inputs[1], _inner_macs(args.get("layer"), (inputs[0], *inputs[2:]))])


def _multi_head_attention(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """Query, key and value projections, Q·Kᵀ and scores·V per head, the gate and the output projection.

    Each query position meets the key positions along ``attention_axes`` (default: every axis but
    batch and features); the other axes pair query and key positions one to one.
    """
    heads, key_dim, value_dim, out, axes = _mha_config(args)
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    queries, keys = _prod(query[1:-1]), _prod(key[1:-1])
    attended = _prod([key[a] for a in _attention_axes(axes, len(query), len(key))])
    out_size = _prod(out) if out else query[-1]
    parts = [
        _prod([queries, query[-1], heads, key_dim]),
        _prod([keys, key[-1], heads, key_dim]),
        _prod([keys, value[-1], heads, value_dim]),
        _prod([heads, queries, attended, key_dim]),
        _prod([heads, queries, attended, value_dim]),
        _prod([queries, heads, value_dim, out_size]),
    ]
    if args.use_gate:
        parts.append(_prod([queries, query[-1], heads, value_dim]))
    return total(parts)


def _mha_outputs(args: BoundArgs, inputs: Any, outputs: Any) -> Any:
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


def _dot_attention(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """Attention: Q·Kᵀ (``score_mode="dot"``; "concat" scores are elementwise) and scores·V."""
    return total([_scores(inputs) if args.score_mode == "dot" else 0, _weighted_values(inputs)])


def _additive_attention(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """AdditiveAttention: its scores are elementwise (a sum of tanh); only scores·V counts."""
    return _weighted_values(inputs)


def _attention_shapes(inputs: Any) -> Tuple[Shape, Shape, Shape]:
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    if any(len(s) != 3 for s in (query, value, key)):
        raise Unresolved("attention on inputs of rank other than 3")
    return query, value, key


def _scores(inputs: Any) -> Count:
    query, _, key = _attention_shapes(inputs)
    return _prod([query[1], key[1], query[2]])


def _weighted_values(inputs: Any) -> Count:
    query, value, key = _attention_shapes(inputs)
    return _prod([query[1], key[1], value[2]])


def _unknown(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """A layer whose work the source does not show (a Lambda's function, an RNN cell called directly)."""
    return None


def _dot(args: BoundArgs, inputs: Any, outputs: Shape) -> Count:
    """Every output element is a dot product along the contracted axis."""
    axes = merge.dot_axes(args, inputs)
    return _prod([*outputs[1:], inputs[0][axes[0]]])


def _einsum_dense(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
    """Every output element sums over the kernel's axes that are not in the output."""
    return _prod([*core.einsum_output(args, inputs)[1:], *core.einsum_contracted(args, inputs)])


def _einsum_dense_outputs(args: BoundArgs, inputs: Shape, outputs: Shape) -> Shape:
    """The array EinsumDense returns: Keras reports None where ``output_shape`` says None."""
    return core.einsum_output(args, inputs)


def _grouped_query_attention(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """The query, key, value (and gate) projections, Q·Kᵀ and scores·V per query head, the output projection."""
    head_dim, query_heads, kv_heads = _gqa_config(args)
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    if any(len(s) != 3 for s in (query, value, key)):
        raise Unresolved("attention on inputs of rank other than 3")
    parts = [
        _prod([query[1], query[-1], query_heads, head_dim]),
        _prod([key[1], key[-1], kv_heads, head_dim]),
        _prod([key[1], value[-1], kv_heads, head_dim]),
        _prod([2, query_heads, query[1], key[1], head_dim]),
        _prod([query[1], query_heads, head_dim, query[-1]]),
    ]
    if args.use_gate:
        parts.append(_prod([query[1], query[-1], query_heads, head_dim]))
    return total(parts)


def _rnn_layer(args: BoundArgs, inputs: Shape, outputs: Any) -> Count:
    """``RNN(cell)``: per timestep, each cell's kernels: gates × units × (its input features + units)."""
    steps = []
    for (spec, inner, _), features in recurrent.rnn_cell_inputs(args, inputs):
        units = as_int(inner.units, "units")
        steps.append(_prod([_RNN_GATES[spec.name], units, total([features, units])]))
    return _prod([inputs[1], total(steps)])


def _spectral_normalization(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
    """The wrapped layer's MACs (the power iteration runs in training only)."""
    return _inner_macs(args.get("layer"), inputs)


def _reversible_embedding(args: BoundArgs, inputs: Shape, outputs: Shape) -> Count:
    """A lookup (0), or with ``reverse=True`` a projection of output_dim features onto input_dim tokens."""
    if not args.call("reverse", False):
        return 0
    return _prod([*inputs[1:], as_int(args.input_dim, "input_dim")])


_RNN_GATES = {"SimpleRNNCell": 1, "LSTMCell": 4, "GRUCell": 3}

#: Layers whose MACs are unknown by definition: a Lambda's function is not followed, and a cell or stack of
#: cells called directly (not through ``RNN``) has no known output.
UNKNOWN = ("Lambda", "SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells")

#: Layers whose work is elementwise, a reduction, data movement, a lookup or an interpolation.
ZERO = (
    "InputLayer", "Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "PReLU", "Identity",
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "BatchNormalization", "LayerNormalization", "RMSNormalization", "GroupNormalization", "UnitNormalization",
    "Flatten", "Reshape", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
    "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "RepeatVector", "Permute",
    "Concatenate", "Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum",
    "Embedding", "Masking",
    "Rescaling", "Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom",
    "RandomTranslation", "RandomContrast", "RandomBrightness", "Normalization", "CategoryEncoding", "Discretization",
    "ActivityRegularization", "AugMix", "AutoContrast", "ContrastLimitedAdaptiveHistogramEqualization", "CutMix",
    "MixUp", "RandAugment", "RandomColorDegeneration", "RandomColorJitter", "RandomElasticTransform",
    "RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
    "RandomPosterization", "RandomSaturation", "RandomSharpness", "RandomShear", "Solarization",
    *(f"Adaptive{kind}Pooling{r}D" for kind in ("Average", "Max") for r in (1, 2, 3)),
)

#: MACs per call, by Keras class name. A layer not listed has unknown MACs.
MACS: Dict[str, MacsFn] = {
    **{name: _zero for name in ZERO},
    "Dense": _dense,
    **{f"Conv{r}D": _conv(r) for r in (1, 2, 3)},
    **{f"Conv{r}DTranspose": _conv_transpose(r) for r in (1, 2, 3)},
    **{f"DepthwiseConv{r}D": _depthwise(r) for r in (1, 2)},
    **{f"SeparableConv{r}D": _separable(r) for r in (1, 2)},
    "SimpleRNN": _rnn(1),
    "GRU": _rnn(3),
    "LSTM": _rnn(4),
    **{f"ConvLSTM{r}D": _conv_lstm(r) for r in (1, 2, 3)},
    "Bidirectional": _bidirectional,
    "TimeDistributed": _time_distributed,
    "MultiHeadAttention": _multi_head_attention,
    "Attention": _dot_attention,
    "AdditiveAttention": _additive_attention,
    "Dot": _dot,
    "EinsumDense": _einsum_dense,
    "GroupedQueryAttention": _grouped_query_attention,
    "RNN": _rnn_layer,
    "SpectralNormalization": _spectral_normalization,
    "ReversibleEmbedding": _reversible_embedding,
    **{name: _unknown for name in UNKNOWN},
}


# -- operations on tensors (catalogue/ops.py): their specs read the operands' shapes by ref ----------------


def _matmul(args: BoundArgs, tensors: Any, outputs: Shape) -> Count:
    """Every output element is a dot product of the operands' contracted dimension."""
    x1, x2 = operand(args.x1, tensors), operand(args.x2, tensors)
    if len(x1) < 2 or len(x2) < 2:
        raise Unresolved("matmul of a vector")
    return _prod([*outputs[1:], x1[-1]])


#: Operations that are elementwise, reductions or data movement.
ZERO_OPERATIONS = (
    "Absolute", "Add", "All", "Amax", "Amin", "Any", "Arcsin", "Arctan", "Arctan2", "Argmax", "Argmin", "Cbrt",
    "Ceil", "Celu", "Concatenate", "Cos", "Cosh", "Divide", "DivideNoNan", "Elu", "Equal", "Erf", "Exp", "Exp2",
    "ExpandDims", "Expm1", "Floor", "FloorDivide", "Gelu", "GetItem", "Greater", "GreaterEqual", "HardShrink",
    "HardSigmoid", "HardSilu", "HardTanh", "Heaviside", "Hypot", "Isfinite", "Isnan", "LeakyRelu", "Less",
    "LessEqual", "Log", "Log1p", "LogSigmoid", "LogSoftmax", "LogicalAnd", "LogicalNot", "LogicalOr",
    "LogicalXor", "Logsumexp", "Max", "Maximum", "Mean", "Min", "Minimum", "Mod", "Multiply", "Negative",
    "NotEqual", "Power", "Ravel", "Reciprocal", "Relu", "Relu6", "Reshape", "Round", "Rsqrt", "Selu", "Sigmoid",
    "Sign", "Silu", "Sin", "Sinh", "SoftShrink", "Softmax", "Softplus", "Softsign", "SparsePlus", "SparseSigmoid",
    "Sparsemax", "Sqrt", "Square", "Squareplus", "Squeeze", "Stack", "Std", "StopGradient", "Subtract", "Sum",
    "Swapaxes", "Tan", "Tanh", "TanhShrink", "Transpose", "TrueDivide", "Trunc", "Var",
)

#: MACs per call of an operation on tensors, by its class name; one not listed has unknown MACs.
OPERATION_MACS: Dict[str, MacsFn] = {**{name: _zero for name in ZERO_OPERATIONS}, "Matmul": _matmul}


#: The arrays a call returns, where they differ from the shapes Keras reports (and kerascount shows).
OUTPUTS: Dict[str, OutputsFn] = {"MultiHeadAttention": _mha_outputs, "Bidirectional": _bidirectional_outputs,
                                  "EinsumDense": _einsum_dense_outputs}


def macs(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """MACs per sample of one call of a catalogue layer or operation (``args``: its config with the call's
    keyword arguments, as inference records it); None if unknown.

    ``inputs`` is the input shape, or the list of them, of a layer; for an operation, the shapes of
    its tensor operands by their ``TensorRef``, as operation specs read them.
    """
    try:
        table = OPERATION_MACS if args.layer_def.operation else MACS
        fn = None if outputs is None else table.get(args.layer_spec.name)
        return None if fn is None else fn(args, inputs, outputs)
    except (Unresolved, ShapeError, TooComplex, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None


def activations(args: Optional[BoundArgs], inputs: Any, outputs: Any) -> Count:
    """Elements per sample of the arrays one call of a layer or operation returns (``args`` as for :func:`macs`,
    None for a layer the catalogue does not know); None if unknown."""
    try:
        fn = None if args is None or outputs is None or args.layer_def.operation else OUTPUTS.get(args.layer_spec.name)
        return _elements(outputs if fn is None else fn(args, inputs, outputs))
    except (Unresolved, ShapeError, TooComplex, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None


def activation_total(rows: Sequence[LayerResult]) -> Count:
    """Elements per sample a forward pass outputs: every row but the inputs (``InputLayer``)."""
    return total([r.activations for r in rows if r.layer.type != "InputLayer"])


def memory(values: Count) -> Count:
    """Bytes of ``values`` float32 numbers."""
    return _prod([values, BYTES_PER_VALUE])
