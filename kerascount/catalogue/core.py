"""Core layers: inputs, Dense, activations, dropout and other shape-preserving layers."""

from __future__ import annotations

import re
from typing import Any, List, Tuple

from ..ir import FloatSymbol, NumpyInt, Shape, Unknown
from ..symbolic import Expr, symbol_names
from .errors import IncompatibleInput, InvalidArguments, InvalidArgumentType, UndefinedDenseInput
from .spec import (
    LayerSpec,
    last_axis,
    Unresolved,
    is_int,
    lora_rank,
    product,
    Weights,
    as_data_format,
    as_int,
    require_min_rank,
    require_rank,
    count_product,
    show_shape,
    sig,
    unknown_macs,
    zero_macs,
)

FAMILY = "core"


#: The names of symbols that stand for one number: a size of an array's shape, a length (``₂`` numbers a later read).
_SIZE_SYMBOL = re.compile(r"(?:[\w.]+\.shape\[-?\d+\]|len\([\w.]+\))[₀-₉]*")


def _input_shape(args, shape: Any) -> Shape:
    """The batched shape an ``Input``/``InputLayer`` declares (it has no input)."""
    batch_shape = args.batch_shape
    if batch_shape is not None:
        if args.raw("shape") is not None:
            raise InvalidArguments("Input: pass either `shape` or `batch_shape`, not both")
        if args.raw("batch_size") is not None:
            raise InvalidArguments("Input: you cannot pass both `batch_size` and `batch_shape`")
        dims = _dims(batch_shape)
        return _non_negative(dims)
    shape = args.shape
    if shape is None:
        raise InvalidArguments("Input: a `shape` or `batch_shape` argument is required")
    if isinstance(shape, Unknown):
        raise Unresolved(f"the input shape is not known ({shape.reason})")
    if isinstance(shape, Expr):
        text = str(shape)
        if all(_SIZE_SYMBOL.fullmatch(name) for name in symbol_names(shape)):
            # One size of an array's shape (`X_train.shape[1]`), or a number computed from such sizes and lengths
            # (`X.shape[1] - 3`), is a number, never a tuple: Keras 3 raises ("Cannot convert '14' to a shape"), as
            # for shape=14 (tf.keras 2 took it)
            raise InvalidArguments(f"Input: shape={text} is not a tuple (write shape=({text},) for one dimension)")
        # A name the file does not define (`X_train.shape[1:]`) may hold a tuple when the program runs.
        raise Unresolved(f"the input shape `{shape}` is only known when the program runs")
    if not isinstance(shape, (tuple, list)):
        raise InvalidArguments(f"Input: shape={shape!r} is not a tuple (write shape=({shape!r},) for one dimension)")
    return _non_negative((args.batch_size, *_dims(shape)))


def _dims(shape: Any) -> Shape:
    if not isinstance(shape, (tuple, list)):
        raise Unresolved(f"input shape {shape!r} is not known")
    out = []
    for d in shape:
        if isinstance(d, Unknown):
            raise Unresolved(f"input dimension is not known ({d.reason})")
        if d is not None and not is_int(d) and not isinstance(d, bool):  # Keras takes True as 1
            raise InvalidArguments(f"Input: shape {shape!r} must hold integers or None")
        out.append(d)
    return tuple(out)


def _non_negative(shape: Shape) -> Shape:
    """Keras's ``standardize_shape``: each dimension None or an int >= 0 (``Cannot convert ... to a shape``)."""
    for d in shape:
        if not (d is None or is_int(d) or isinstance(d, bool)):  # batch_size=(3, None)
            raise InvalidArguments(f"Input: the dimension {d!r} is not an integer or None")
    if any(isinstance(d, int) and d < 0 for d in shape):
        raise InvalidArguments(f"Input: the shape {show_shape(shape)} has a negative dimension")
    return tuple(int(d) if isinstance(d, (bool, NumpyInt)) else d for d in shape)  # Keras's shapes hold ints


def _units(args) -> Any:
    """``units``, which Keras requires to be a positive integer (``Dense(2.0)`` raises too, as does a float computed
    from sizes not known, ``Dense(vocab / 2)``)."""
    raw = args.raw("units")
    if isinstance(raw, FloatSymbol):
        raise InvalidArguments(f"Dense: `units` must be a positive integer, got a float: {raw.reason}")
    units = args.units if isinstance(args.units, float) else as_int(args.units, "units")
    if isinstance(units, float) or isinstance(units, int) and units <= 0:
        raise InvalidArguments(f"Dense: `units` must be a positive integer, got {units!r}")
    return units


def _dense_shape(args, shape: Shape) -> Shape:
    require_min_rank("Dense", shape, 2)
    return (*shape[:-1], _units(args))


def _dense_weights(args, shape: Shape) -> Weights:
    last = shape[-1]
    if last is None:
        raise UndefinedDenseInput(
            f"Dense: the last dimension of its input must be defined, found None in {show_shape(shape)} "
            "(a Flatten of an input with a None dimension does this)"
        )
    units = _units(args)
    bias = units if args.use_bias else 0
    rank = lora_rank("Dense", args)
    if rank:  # enable_lora: the kernel is frozen; lora_kernel_a (last, rank) and _b (rank, units) train
        return Weights(trainable=rank * (last + units) + bias, non_trainable=last * units)
    return Weights(trainable=last * units + bias)


def _dense_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """in_features × units at every position (the dimensions between batch and features)."""
    return count_product([*inputs[1:-1], inputs[-1], as_int(args.units, "units")])


def _seed(name: str, args, amount: Any) -> None:
    """A random layer with a nonzero rate makes a SeedGenerator, which requires ``seed`` to be an integer
    (Keras 3: "Argument `seed` must be an integer"); Keras 2 took any value, so it is not called an error."""
    seed = args.raw("seed")
    if isinstance(amount, (int, float)) and amount > 0 and isinstance(seed, (float, str, bytes, tuple, list)):
        raise Unresolved(f"{name}: `seed` is {seed!r}, not an integer, which Keras 3 rejects (\"Argument `seed` must "
                         "be an integer\")")


def _noise_shape(args, shape: Shape) -> Shape:
    """GaussianNoise: Keras 3.15 requires ``0 <= stddev <= 1`` when the layer is made; Keras 2 took any
    deviation, so a larger one is left unknown rather than called an error."""
    stddev = args.raw("stddev", Unknown("not given"))
    if isinstance(stddev, (int, float)) and not 0 <= stddev <= 1:
        raise Unresolved(f"GaussianNoise: `stddev` is {stddev!r}, outside [0, 1], which Keras 3.15 rejects "
                         "(\"Expected a float value between 0 and 1\")")
    _seed("GaussianNoise", args, stddev)
    return shape


def _relu_shape(args, shape: Shape) -> Shape:
    """ReLU's constructor (Keras 2 and 3): max_value None or at least 0, negative_slope and threshold at least 0."""
    for name, none_ok in (("max_value", True), ("negative_slope", False), ("threshold", False)):
        value = args.raw(name, 0.0)
        if value is None and not none_ok or isinstance(value, (int, float)) and value < 0:
            raise InvalidArguments(f"ReLU: `{name}` cannot be {'None or ' if not none_ok else ''}negative, got {value!r}")
    return shape


def _leaky_relu_shape(args, shape: Shape) -> Shape:
    """LeakyReLU's slope: None is rejected by Keras 2 and 3, a negative one by Keras 3 only (left unknown)."""
    slope = args.raw("negative_slope", 0.3)
    if slope is None:
        raise InvalidArguments("LeakyReLU: `negative_slope` cannot be None")
    if isinstance(slope, (int, float)) and slope < 0:
        raise Unresolved(f"LeakyReLU: `negative_slope` is {slope!r}, which Keras 3 rejects (\"cannot be None or "
                         "negative value\")")
    return shape


def _dropout_rate(name: str):
    """A dropout layer's ``__init__`` check: ``0 <= rate <= 1`` (ValueError; TypeError for a string, None or a
    tuple)."""

    def check(args) -> Any:
        rate = args.raw("rate", Unknown("not given"))  # (an unknown rate leaves the shape known, as before)
        if isinstance(rate, (str, bytes, tuple, list, type(None))):
            raise InvalidArgumentType(f"{name}: `rate` must be a number between 0 and 1, got {rate!r}")
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise InvalidArguments(f"{name}: `rate` must be a number between 0 and 1, got {rate!r}")
        return rate

    return check


def _dropout_shape(name: str, rank: int = 0):
    """Dropout layers keep the shape; Keras requires ``0 <= rate <= 1`` when the layer is created.
    SpatialDropoutND (``rank``) also requires input of rank N+2 (its InputSpec)."""
    rate_of = _dropout_rate(name)

    def output_shape(args, shape: Shape) -> Shape:
        rate = rate_of(args)
        _seed(name, args, rate)
        if isinstance(args.raw("noise_shape"), (int, float, str)):  # Keras 3: "Expected an iterable of integers"
            raise Unresolved(f"{name}: `noise_shape` is {args.raw('noise_shape')!r}, not a tuple, which Keras 3 rejects")
        if rank > 1 and isinstance(args.raw("data_format"), str):
            as_data_format(args.raw("data_format"))
        if rank:
            require_rank(name, shape, rank + 2)
        return shape

    return output_shape


# EinsumDense -----------------------------------------------------------------


def _einsum_config(args, shape: Shape):
    """Keras's ``_analyze_einsum_string``: (kernel shape, bias shape or None, full output shape as Keras reports
    it, sizes of the kernel axes summed over, the computed array's shape)."""
    import re

    equation = args.equation
    if not isinstance(equation, str):
        raise Unresolved("EinsumDense equation is not a known string")
    partial = args.output_shape
    partial = [partial] if is_int(partial) else partial
    if not isinstance(partial, (tuple, list)) or not all(d is None or is_int(d) for d in partial):
        raise Unresolved(f"EinsumDense output_shape {args.output_shape!r} is not known")
    if any(isinstance(d, int) and d < 0 for d in partial):
        raise InvalidArguments(f"EinsumDense: output_shape {args.output_shape!r} has a negative dimension")
    bias_axes = args.bias_axes
    if bias_axes is not None and not isinstance(bias_axes, str):
        raise Unresolved("EinsumDense bias_axes is not a known string")
    dotted = equation.replace("...", "0")
    left = False
    match = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", dotted)
    if not match:
        match = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", dotted)
        left = bool(match)
    if not match:
        match = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", dotted)
    if not match:
        raise InvalidArguments(f"EinsumDense: invalid equation {equation!r}; equations must be of the form "
                               "[X],[Y]->[Z], ...[X],[Y]->...[Z] or [X]...,[Y]->[Z]...")
    ins, weight, outs = match.group(1), match.group(2), match.group(3)
    elided = len(shape) - len(ins)
    out = [shape[0], *partial]
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, shape[i])
    elif elided > 0:
        out.extend(shape[len(shape) - elided:])
    if left:
        in_map = {d: i + elided - len(shape) for i, d in enumerate(ins)}
        out_map = {d: i + elided for i, d in enumerate(outs)}
    else:
        in_map = {d: i for i, d in enumerate(ins)}
        out_map = {d: i for i, d in enumerate(outs)}
    for d in ins:
        if d in out_map:
            have, want = shape[in_map[d]], out[out_map[d]]
            if want is not None and want != have:
                raise IncompatibleInput(f"EinsumDense: input {show_shape(shape)} and output shape disagree at "
                                        f"dimension {d!r} ({have} vs {want}) in {equation!r}")
    for d in outs:
        if d not in ins and d not in weight:
            raise InvalidArguments(f"EinsumDense: output dimension {d!r} of {equation!r} is in neither the input nor "
                                   "the weight")
    kernel = []
    for d in weight:
        if d in out_map:
            kernel.append(out[out_map[d]])
        elif d in in_map:
            kernel.append(shape[in_map[d]])
        else:
            raise InvalidArguments(f"EinsumDense: weight dimension {d!r} of {equation!r} is in neither the input nor "
                                   "the output")
    bias = None
    if bias_axes is not None:
        skip = elided if left else 0
        sizes = {c: out[i + skip] for i, c in enumerate(outs)}
        for c in bias_axes:
            if c not in outs:
                raise InvalidArguments(f"EinsumDense: bias axis {c!r} is not in the output {outs!r}")
        first = min(outs.find(c) for c in bias_axes)
        bias = [sizes[c] if c in bias_axes else 1 for c in outs[first:]]
    contracted = [size for d, size in zip(weight, kernel) if d not in outs]
    skip = elided if left else 0
    # The array's own dimensions: a None of output_shape is the input's (or the kernel's) size there.
    actual = list(out)
    for i, d in enumerate(outs):
        if actual[i + skip] is None:
            actual[i + skip] = shape[in_map[d]] if d in in_map else None
    return kernel, bias, tuple(out), contracted, tuple(actual)


def einsum_contracted(args, shape: Shape) -> List[Any]:
    """The sizes of the kernel axes an EinsumDense sums over (in the kernel, not in the output)."""
    return _einsum_config(args, shape)[3]


def einsum_output(args, shape: Shape) -> Shape:
    """The shape of the array EinsumDense computes (``output_shape``'s None filled in from the input)."""
    return _einsum_config(args, shape)[4]


def _einsum_shape(args, shape: Shape) -> Shape:
    return _einsum_config(args, shape)[2]


def _einsum_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """Every output element sums over the kernel's axes that are not in the output."""
    return count_product([*einsum_output(args, inputs)[1:], *einsum_contracted(args, inputs)])


def _einsum_returns(args, inputs: Shape, outputs: Shape) -> Shape:
    """The array EinsumDense returns: Keras reports None where ``output_shape`` says None."""
    return einsum_output(args, inputs)


def _einsum_weights(args, shape: Shape) -> Weights:
    kernel, bias, _, _, _ = _einsum_config(args, shape)
    if any(d is None for d in kernel + (bias or [])):
        raise IncompatibleInput(f"EinsumDense: its kernel would have shape {show_shape(tuple(kernel))}: the "
                                "dimensions it "
                                f"takes from input {show_shape(shape)} must be defined")
    count = product(kernel)
    rank = lora_rank("EinsumDense", args)
    if rank:
        # enable_lora: the kernel is frozen; lora_kernel_a (*kernel[:-1], rank) and _b (rank, kernel[-1]) train.
        lora = product([*kernel[:-1], rank]) + rank * kernel[-1]
        return Weights(trainable=lora + (product(bias) if bias else 0), non_trainable=count)
    return Weights(trainable=count + (product(bias) if bias else 0))


# Lambda ----------------------------------------------------------------------


def _lambda_shape(args, shape: Any) -> Any:
    """``Lambda.compute_output_shape``: ``output_shape=`` without the batch dimension (Keras adds the input's),
    one shape or a list of them; a function of the input shapes, what it returns; none at all, Keras traces
    the wrapped function (both run by the interpreter on the call's input: ``traced_output_shape``)."""
    function = args.raw("function")
    if function is None or isinstance(function, (bool, int, float, tuple)):
        # Keras inspects the function's arguments when the layer is made (inspect.getfullargspec).
        raise InvalidArguments(f"Lambda: `function` must be a callable, got {function!r}")
    # What the function (or the output_shape= function) gave on this call's input (extract/keras_calls.py).
    traced = args.call("traced_output_shape")
    if isinstance(traced, tuple) and not isinstance(args.raw("output_shape"), (tuple, list)):
        return traced
    if isinstance(args.raw("output_shape"), Unknown) and isinstance(args.call("traced_unknown"), str):
        # output_shape= a function of the code, which the analysis ran on this call's input shape
        raise Unresolved(f"Lambda: what its `output_shape` function gives is not known ({args.call('traced_unknown')})")
    declared = args.output_shape
    if declared is None:
        why = args.call("traced_unknown")
        if isinstance(why, str) and "NotImplementedError" in why:
            # (a tensor the function is not given: extract/keras_calls.py, _LambdaTrace)
            raise Unresolved(f"Lambda without `output_shape=`: Keras 3 cannot trace its function ({why})")
        why = f" ({why})" if isinstance(why, str) else ""
        raise Unresolved(f"Lambda without `output_shape=`: Keras traces its function, which is not followed{why}")
    batch = (shape[0] if shape and isinstance(shape[0], tuple) else shape)[0] if shape else None
    shapes = [declared] if isinstance(declared, (tuple, list)) and all(d is None or is_int(d) for d in declared) \
        else list(declared) if isinstance(declared, (tuple, list)) and declared and all(
            isinstance(s, (tuple, list)) and all(d is None or is_int(d) for d in s) for s in declared) else None
    if shapes is not None:
        if any(isinstance(d, int) and d < 0 for s in shapes for d in s):
            raise InvalidArguments(f"Lambda: output_shape {declared!r} has a negative dimension")
        out = tuple((batch, *s) for s in shapes)
        return out[0] if shapes[0] is declared else out
    raise Unresolved(f"Lambda output_shape {declared!r} is not a known shape (a function is not followed)")


def _lambda_count(args) -> int:
    declared = args.raw("output_shape")
    if isinstance(declared, (tuple, list)) and declared and all(isinstance(s, (tuple, list)) for s in declared):
        return len(declared)
    return 1


def identity(name: str, *params: Any, aliases: tuple = (), traits: Tuple[str, ...] = (),
             takes_mask: bool = False) -> LayerSpec:
    """A layer that keeps its input's shape, and its mask."""
    return LayerSpec(name=name, signature=sig(*params), family=FAMILY, aliases=aliases, built_at_init=True,
                     macs=zero_macs, traits=frozenset(traits), compute_mask="keep", takes_mask=takes_mask)


_DROPOUT = frozenset({"inference_identity"})
#: The dropout layers whose calls tests/test_clone_names.py checks make one tensor per output.
_DROPOUT_ONE_TENSOR = _DROPOUT | {"one_tensor_per_output"}
#: What a random layer's seed changes: which values it draws in training, no figure (LayerSpec.free_args); the
#: rate is left out (a rate of 0 makes no seed generator, and rules read it).
_SEED_FREE = frozenset({"seed"})
#: A dropout's noise shape too: which axes share one draw, in training (its output keeps the input's shape).
_NOISE_FREE = _SEED_FREE | {"noise_shape"}

SPECS = [
    LayerSpec("InputLayer", sig(("shape", None), ("batch_size", None), ("dtype", None),
                                ("sparse", None), ("ragged", None), ("batch_shape", None),
                                ("input_tensor", None), ("optional", False), ("name", None)),
              output_shape=_input_shape, family=FAMILY, macs=zero_macs, built_at_init=True,
              kwarg_aliases={"input_shape": "shape", "batch_input_shape": "batch_shape"}),
    LayerSpec("Dense", sig("units", ("activation", None), ("use_bias", True),
                           ("kernel_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
                           ("kernel_regularizer", None), ("bias_regularizer", None),
                           ("activity_regularizer", None), ("kernel_constraint", None),
                           ("bias_constraint", None), ("lora_rank", None), ("lora_alpha", None),
                           ("quantization_config", None)),
              output_shape=_dense_shape, weights=_dense_weights, macs=_dense_macs, family=FAMILY, input_axes=last_axis,
              traits=frozenset({"linear", "biased", "channel_sized", "one_tensor_per_output"}), compute_mask="keep",
              init_checks=_units, attributes=frozenset({"units", "use_bias"})),
    identity("Activation", "activation", traits=("activation", "one_tensor_per_output")),
    LayerSpec(name="ReLU", signature=sig(("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0)),
              output_shape=_relu_shape, family=FAMILY, built_at_init=True, macs=zero_macs,
              traits=frozenset(("activation", "one_tensor_per_output")), compute_mask="keep"),
    identity("Softmax", ("axis", -1), traits=("activation", "one_tensor_per_output"), takes_mask=True),
    # Keras 3 still takes Keras 2's `alpha=` (with a deprecation warning).
    LayerSpec(name="LeakyReLU", signature=sig(("negative_slope", 0.3)), output_shape=_leaky_relu_shape,
              family=FAMILY, built_at_init=True,
              kwarg_aliases={"alpha": "negative_slope"}, macs=zero_macs, traits=frozenset({"activation", "one_tensor_per_output"}),
              compute_mask="keep"),
    identity("ELU", ("alpha", 1.0), traits=("activation", "one_tensor_per_output")),
    identity("Identity", traits=("inference_identity", "one_tensor_per_output")),
    identity("ActivityRegularization", ("l1", 0.0), ("l2", 0.0), traits=("inference_identity",)),
    LayerSpec("EinsumDense", sig("equation", "output_shape", ("activation", None), ("bias_axes", None),
                                 ("kernel_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
                                 ("kernel_regularizer", None), ("bias_regularizer", None),
                                 ("kernel_constraint", None), ("bias_constraint", None), ("lora_rank", None),
                                 ("lora_alpha", None), ("gptq_unpacked_column_size", None),
                                 ("quantization_config", None)),
              output_shape=_einsum_shape, weights=_einsum_weights, macs=_einsum_macs, returns=_einsum_returns,
              family=FAMILY, traits=frozenset({"linear", "one_tensor_per_output"})),
    LayerSpec("Lambda", sig("function", ("output_shape", None), ("mask", None), ("arguments", None)),
              output_shape=_lambda_shape, family=FAMILY, output_count=_lambda_count, macs=unknown_macs,
              compute_mask="lambda", takes_mask=True),
    LayerSpec("Dropout", sig("rate", ("noise_shape", None), ("seed", None)), output_shape=_dropout_shape("Dropout"),
              family=FAMILY, built_at_init=True, macs=zero_macs, traits=_DROPOUT_ONE_TENSOR, compute_mask="keep",
              free_args=_NOISE_FREE, init_checks=_dropout_rate("Dropout"), attributes=frozenset({"rate"})),
    *(LayerSpec(f"SpatialDropout{r}D", sig("rate", *((("data_format", None),) if r > 1 else ()), ("seed", None),
                                               ("name", None), ("dtype", None)),
                output_shape=_dropout_shape(f"SpatialDropout{r}D", r), family=FAMILY, var_kwargs=False,
                built_at_init=True, macs=zero_macs, traits=_DROPOUT_ONE_TENSOR if r < 3 else _DROPOUT,
                compute_mask="keep", free_args=_SEED_FREE, init_checks=_dropout_rate(f"SpatialDropout{r}D"),
                attributes=frozenset({"rate"}))
      for r in (1, 2, 3)),
    LayerSpec(name="GaussianNoise", signature=sig("stddev", ("seed", None)), output_shape=_noise_shape, family=FAMILY,
              built_at_init=True, macs=zero_macs, traits=_DROPOUT_ONE_TENSOR, compute_mask="keep", free_args=_SEED_FREE),
    LayerSpec("GaussianDropout", sig("rate", ("seed", None)), output_shape=_dropout_shape("GaussianDropout"),
              family=FAMILY, built_at_init=True, macs=zero_macs, traits=_DROPOUT_ONE_TENSOR, compute_mask="keep",
              free_args=_SEED_FREE, init_checks=_dropout_rate("GaussianDropout"),
              attributes=frozenset({"rate"})),
    LayerSpec("AlphaDropout", sig("rate", ("noise_shape", None), ("seed", None)),
              output_shape=_dropout_shape("AlphaDropout"), family=FAMILY, built_at_init=True, macs=zero_macs,
              traits=_DROPOUT, compute_mask="keep", free_args=_NOISE_FREE, init_checks=_dropout_rate("AlphaDropout")),
]


def _layer_scale_dim(args) -> int:
    dim = args.projection_dim
    if not is_int(dim) or isinstance(dim, bool) or dim <= 0:
        raise Unresolved(f"LayerScale: projection_dim {dim!r} is not a known positive integer")
    return dim


def _layer_scale_shape(args, shape: Shape) -> Shape:
    """``x * gamma``: the input broadcast with ``gamma``'s shape ``(projection_dim,)``."""
    dim = _layer_scale_dim(args)
    last = shape[-1] if shape else None
    if not is_int(last):
        raise Unresolved(f"LayerScale: cannot broadcast the last dimension {last!r} with {dim}")
    if last not in (1, dim):
        raise IncompatibleInput(f"LayerScale: input {show_shape(shape)} does not broadcast with a scale of shape "
                                f"({dim},)")
    return (*shape[:-1], dim)


#: Layers that only ``keras.applications`` builds (not exported by ``keras.layers``): kept out of the registry
#: that user code is looked up in, read by :func:`kerascount.catalogue.application_layer` for the stored graphs.
APPLICATION_SPECS = [
    # keras.src.applications.convnext.LayerScale: x * gamma, gamma a trainable weight of shape (projection_dim,).
    LayerSpec("LayerScale", sig("init_values", "projection_dim"), output_shape=_layer_scale_shape,
              weights=lambda args, shape: Weights(trainable=_layer_scale_dim(args)), family=FAMILY, macs=zero_macs),
    # keras.src.applications.convnext.StochasticDepth: drops the residual path in training, the identity in
    # inference; no weights. (The exported ConvNeXt functions pass drop_path_rate=0.0: an Activation("linear").)
    LayerSpec("StochasticDepth", sig("drop_path_rate"), family=FAMILY, macs=zero_macs,
              traits=frozenset({"inference_identity"})),
]
