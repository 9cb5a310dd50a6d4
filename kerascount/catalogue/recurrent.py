"""Recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D, ``RNN(cell)`` with its cells, and the
wrappers Bidirectional, TimeDistributed and SpectralNormalization (keras.src.layers.rnn)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Tuple

from ..ir import LayerDef, Shape, Unknown
from ..symbolic import Expr
from .errors import IncompatibleInput, InvalidArguments, NonPositiveDimension, WrongRank
from .spec import (
    BoundArgs,
    LayerSpec,
    ShapeError,
    Unresolved,
    Weights,
    arith,
    as_data_format,
    as_int,
    as_padding,
    as_tuple,
    config,
    count_product,
    count_sum,
    join_channels,
    nonpositive,
    positive,
    product,
    require_rank,
    show_shape,
    several,
    sig,
    split_channels,
    unknown_macs,
    window_length,
)

FAMILY = "recurrent"

#: ``RNN.__init__`` arguments shared by every recurrent layer (after the cell's own).
_RNN_FLAGS = (("return_sequences", False), ("return_state", False), ("go_backwards", False),
              ("stateful", False), ("unroll", False))

#: How many state tensors each recurrent layer returns with ``return_state=True``.
_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1, "ConvLSTM1D": 2, "ConvLSTM2D": 2, "ConvLSTM3D": 2}


def _positive_units(name: str, args) -> Any:
    units = as_int(args.units, "units")
    if isinstance(units, int) and units <= 0:
        raise InvalidArguments(f"{name}: `units` must be a positive integer, got {units}")
    return units


def _init_units(name: str):
    """A recurrent layer's or cell's ``__init__`` check: ``units``, where an int, is positive (a float or a NumPy
    integer is left to what reads it: Keras 3.15 takes LSTM(2.0) there and rejects GRU(2.0))."""

    def check(args) -> Any:
        units = args.raw("units")
        if isinstance(units, int) and not isinstance(units, bool) and units <= 0:
            raise InvalidArguments(f"{name}: `units` must be a positive integer, got {units}")
        return units

    return check


def _check_cudnn(name: str, args) -> None:
    value = args.use_cudnn
    if not (value == "auto" or value is True or value is False):
        raise InvalidArguments(f"{name}: `use_cudnn` must be one of 'auto', True, False; got {value!r}")


def _check_stateful(name: str, args, shape: Shape) -> None:
    if args.stateful and shape[0] is None:
        raise IncompatibleInput(
            f"{name}(stateful=True) needs a static batch size, got input {show_shape(shape)} "
            "(give the Input a batch_size= or batch_shape=)"
        )


def _check_cell_numbers(name: str, args) -> None:
    """The cell's constructor: ``min(1.0, max(0.0, dropout))`` fails on None or a string, and its SeedGenerator
    requires an integer seed (Keras 3.15: "Argument `seed` must be an integer"), dropout or not."""
    for key in ("dropout", "recurrent_dropout"):
        value = args.raw(key, 0.0)
        if value is None or isinstance(value, (str, bytes, tuple, list)):
            raise InvalidArguments(f"{name}: `{key}` must be a number, got {value!r}")
    seed = args.raw("seed")
    if isinstance(seed, (float, str, bytes, tuple, list)):
        raise InvalidArguments(f"{name}: `seed` must be an integer, got {seed!r} (Keras: \"Argument `seed` must be an "
                               "integer\")")


def _rnn_output(name: str, args, batch: Any, steps: Any, state: Tuple[Any, ...]) -> Any:
    """``RNN.compute_output_shape``: the output, then one shape per state when return_state."""
    out = (batch, steps, *state) if args.return_sequences else (batch, *state)
    if args.return_state:
        return (out, *((batch, *state) for _ in range(_STATES[name])))
    return out


def _rnn_count(name: str):
    def count(args) -> int:
        return 1 + _STATES[name] if args.return_state else 1

    return count


def rnn(name: str, gates: int, cell_sig: Tuple[Any, ...], *, cudnn: bool, reset_after: bool = False) -> LayerSpec:
    """SimpleRNN (1 gate), GRU (3) and LSTM (4): ``InputSpec(ndim=3)``."""

    def validate(args, shape: Shape) -> Any:
        units = _positive_units(name, args)
        _check_cell_numbers(name, args)
        if cudnn:
            _check_cudnn(name, args)
        require_rank(name, shape, 3)
        _check_stateful(name, args, shape)
        return units

    def output_shape(args, shape: Shape) -> Any:
        units = validate(args, shape)
        return _rnn_output(name, args, shape[0], shape[1], (units,))

    def weights(args, shape: Shape) -> Weights:
        units = validate(args, shape)
        features = shape[-1]
        if features is None:
            raise IncompatibleInput(
                f"{name}: the last dimension of its input must be defined, found None in {show_shape(shape)}"
            )
        return Weights(trainable=_cell_params(args, gates, units, features, reset_after))

    def macs(args, inputs: Shape, outputs: Any) -> Any:
        """Per timestep, the input and recurrent kernels: gates × units × (features + units)."""
        units = as_int(args.units, "units")
        return count_product([inputs[1], gates, units, count_sum([inputs[-1], units])])

    return LayerSpec(name, cell_sig, output_shape=output_shape, weights=weights, macs=macs, family=FAMILY,
                     output_count=_rnn_count(name), compute_mask="sequences", takes_mask=True,
                     traits=frozenset({"channel_sized", "one_tensor_per_output"}), init_checks=_init_units(name),
                     attributes=frozenset({"units", "return_sequences", "return_state"}), call_arg="sequences")


def _cell_params(args, gates: int, units: Any, features: Any, reset_after: bool) -> Any:
    """A recurrent cell's kernel (features, gates*units), recurrent kernel (units, gates*units) and bias."""
    if not args.use_bias:
        bias: Any = 0
    elif reset_after and args.reset_after:
        bias = 2 * gates * units  # separate input and recurrent biases: shape (2, 3*units)
    else:
        bias = gates * units
    return arith(lambda: features * gates * units + units * gates * units + bias, "params")


_INIT_TAIL = (("kernel_initializer", "glorot_uniform"), ("recurrent_initializer", "orthogonal"),
              ("bias_initializer", "zeros"))
_REG_TAIL = (("kernel_regularizer", None), ("recurrent_regularizer", None), ("bias_regularizer", None),
             ("activity_regularizer", None), ("kernel_constraint", None), ("recurrent_constraint", None),
             ("bias_constraint", None), ("dropout", 0.0), ("recurrent_dropout", 0.0))

# The three pass their **kwargs on to keras.layers.RNN, which takes ``zero_output_for_mask``; LSTM and GRU pop
# ``implementation`` from them: accepted by keyword (appended here, so an extra positional argument is tolerated
# that Keras would refuse).
_SIMPLE_RNN_SIG = sig("units", ("activation", "tanh"), ("use_bias", True), *_INIT_TAIL, *_REG_TAIL, *_RNN_FLAGS,
                      ("seed", None), ("zero_output_for_mask", False))
_LSTM_SIG = sig("units", ("activation", "tanh"), ("recurrent_activation", "sigmoid"), ("use_bias", True),
                *_INIT_TAIL, ("unit_forget_bias", True), *_REG_TAIL, ("seed", None), *_RNN_FLAGS,
                ("use_cudnn", "auto"), ("implementation", 2), ("zero_output_for_mask", False))
_GRU_SIG = sig("units", ("activation", "tanh"), ("recurrent_activation", "sigmoid"), ("use_bias", True),
               *_INIT_TAIL, *_REG_TAIL, ("seed", None), *_RNN_FLAGS, ("reset_after", True),
               ("use_cudnn", "auto"), ("implementation", 2), ("zero_output_for_mask", False))
# GRUCell puts ``reset_after`` before ``seed``, unlike GRU.
_GRU_CELL_SIG = sig("units", ("activation", "tanh"), ("recurrent_activation", "sigmoid"), ("use_bias", True),
                    *_INIT_TAIL, *(a for a in _REG_TAIL if a[0] != "activity_regularizer"), ("reset_after", True),
                    ("seed", None))


# -- cells and RNN(cell) -------------------------------------------------------

#: Cell class → (gates, how many state tensors, whether it has GRU's ``reset_after``).
_CELLS = {"SimpleRNNCell": (1, 1, False), "LSTMCell": (4, 2, False), "GRUCell": (3, 1, True)}


def _strip(signature: Tuple[Any, ...], *names: str) -> Tuple[Any, ...]:
    return tuple(a for a in signature if a.name not in names)


def _cell_alone(name: str):
    def output_shape(args, shape: Shape) -> Any:
        raise Unresolved(f"a {name} called directly (on inputs and states) is not followed; wrap it in "
                         "keras.layers.RNN")

    return output_shape


def _cell_weights(name: str):
    gates, _, reset_after = _CELLS[name]

    def weights(args, shape: Shape) -> Weights:
        features = shape[-1]
        if features is None:
            raise IncompatibleInput(f"{name}: the last dimension of its input must be defined, found None in "
                                    f"{show_shape(shape)}")
        return Weights(trainable=_cell_params(args, gates, _positive_units(name, args), features, reset_after))

    return weights


def cell(name: str, signature: Tuple[Any, ...]) -> LayerSpec:
    # A cell called directly (not through ``RNN``) has no known output, so no known MACs.
    return LayerSpec(name, signature, output_shape=_cell_alone(name), weights=_cell_weights(name), family=FAMILY,
                     macs=unknown_macs, init_checks=_init_units(name),
                     call_arg="sequence" if name == "SimpleRNNCell" else "inputs")


def rnn_cells(args) -> Tuple[Tuple[LayerSpec, BoundArgs, LayerDef], ...]:
    """The cells of ``RNN(cell)``: one cell, a list of them, or a ``StackedRNNCells``."""
    value = args.get("cell")
    if isinstance(value, LayerDef) and value.known and value.type == "StackedRNNCells":
        value = config(_stacked_spec(), value).get("cells")
    items = value if isinstance(value, tuple) else (value,)
    if not items:
        raise InvalidArguments("RNN: an empty list of cells has no state_size")
    out = []
    for item in items:
        spec, inner = _inner("RNN", item, "cell")
        if spec.name not in _CELLS:
            raise Unresolved(f"RNN with a {spec.name} cell is not followed")
        out.append((spec, inner, item))
    return tuple(out)


def _stacked_spec() -> LayerSpec:
    from . import lookup

    return lookup("StackedRNNCells")


def _rnn_sizes(args) -> Tuple[Any, Tuple[Any, ...]]:
    """(output size, each cell's units)."""
    units = tuple(_positive_units(spec.name, inner) for spec, inner, _ in rnn_cells(args))
    return units[-1], units


def _rnn_states(args) -> Tuple[Any, ...]:
    """The size of each state ``RNN(cell, return_state=True)`` returns after its output."""
    cells = rnn_cells(args)
    states: Tuple[Any, ...] = ()
    for (spec, _, _), u in zip(cells, _rnn_sizes(args)[1]):
        if _CELLS[spec.name][1] > 1 and len(cells) > 1:
            raise Unresolved("RNN of stacked cells with several states each returns nested states (not followed)")
        states += (u,) * _CELLS[spec.name][1]
    return states


def _rnn_layer_shape(args, shape: Shape) -> Any:
    if len(shape) != 3:
        raise Unresolved(f"RNN on input {show_shape(shape)} of rank other than 3 is not followed")
    _check_stateful("RNN", args, shape)
    size = _rnn_sizes(args)[0]
    batch = shape[0]
    out = (batch, shape[1], size) if args.return_sequences else (batch, size)
    return (out, *((batch, s) for s in _rnn_states(args))) if args.return_state else out


def rnn_cell_inputs(args, shape: Shape) -> Tuple[Tuple[Tuple[LayerSpec, BoundArgs, LayerDef], Any], ...]:
    """Each cell of ``RNN(cell)`` with the number of features it is built on (a stack feeds each cell the
    previous one's output)."""
    features = shape[-1]
    out = []
    for (spec, inner, item), units in zip(rnn_cells(args), _rnn_sizes(args)[1]):
        out.append(((spec, inner, item), features))
        features = units
    return tuple(out)


def _rnn_layer_weights(args, shape: Shape) -> Weights:
    _rnn_layer_shape(args, shape)
    total = Weights()
    for (spec, inner, item), features in rnn_cell_inputs(args, shape):
        total = _add(total, _as_trainable(item, spec.weights(inner, (shape[0], features))))
    return total


def _rnn_layer_count(args) -> int:
    return 1 + len(_rnn_states(args)) if args.return_state else 1


def _stacked_alone(args, shape: Shape) -> Any:
    raise Unresolved("a StackedRNNCells called directly (on inputs and states) is not followed; wrap it in "
                     "keras.layers.RNN")


# -- ConvLSTM ---------------------------------------------------------------


def conv_lstm(name: str, rank: int) -> LayerSpec:
    """ConvLSTM1D/2D/3D: ``InputSpec(ndim=rank+3)``, a ConvLSTMCell of rank ``rank``."""

    def geometry(args, shape: Shape):
        require_rank(name, shape, rank + 3)
        filters = positive(name, (as_int(args.filters, "filters"),), "filters")[0]
        kernel = positive(name, as_tuple(args.kernel_size, rank, "kernel_size"), "kernel_size")
        strides = positive(name, as_tuple(args.strides, rank, "strides"), "strides")
        padding = as_padding(args.padding)
        fmt = as_data_format(args.data_format)
        dilation = positive(name, as_tuple(args.dilation_rate, rank, "dilation_rate"), "dilation_rate")
        if any(isinstance(s, int) and s > 1 for s in strides) and any(isinstance(d, int) and d > 1 for d in dilation):
            raise InvalidArguments(f"{name}: strides > 1 cannot be combined with dilation_rate > 1 (strides={strides}, "
                                   f"dilation_rate={dilation})")
        _check_stateful(name, args, shape)
        step = (shape[0], *shape[2:])
        channels, spatial = split_channels(step, fmt)
        return filters, kernel, strides, padding, fmt, dilation, channels, spatial

    def output_shape(args, shape: Shape) -> Any:
        filters, kernel, strides, padding, fmt, dilation, _, spatial = geometry(args, shape)
        out = tuple(window_length(L, k, s, padding, d) for L, k, s, d in zip(spatial, kernel, strides, dilation))
        if padding == "valid" and nonpositive(out):
            raise NonPositiveDimension(
                f"{name} output would have a non-positive dimension: input {show_shape(shape)}, "
                f"kernel_size={kernel}, strides={strides}, padding='valid' gives {tuple(out)}"
            )
        state = join_channels(shape[0], out, filters, fmt)[1:]
        batch = shape[0]
        main = (batch, shape[1], *state) if args.return_sequences else (batch, *state)
        if args.return_state:
            return (main, (batch, *state), (batch, *state))
        return main

    def weights(args, shape: Shape) -> Weights:
        filters, kernel, _, _, _, _, channels, spatial = geometry(args, shape)
        if any(d is None for d in spatial):
            raise IncompatibleInput(f"{name} needs static spatial dimensions, got input {show_shape(shape)}")
        if channels is None:
            raise IncompatibleInput(f"{name}: the channel dimension of the inputs must be defined, found None in "
                                    f"{show_shape(shape)}")
        size = product(kernel)
        count = arith(lambda: size * channels * filters * 4 + size * filters * filters * 4
                      + (filters * 4 if args.use_bias else 0), "params")
        return Weights(trainable=count)

    def macs(args, inputs: Shape, outputs: Any) -> Any:
        """Per timestep, four input convolutions and four recurrent ("same", stride 1) ones on the state."""
        step = (inputs[0], *inputs[2:])
        channels, _ = split_channels(step, as_data_format(args.data_format))
        last = several(outputs)[-1]
        state = last if args.return_state or not args.return_sequences else (last[0], *last[2:])
        _, out = split_channels(state, as_data_format(args.data_format))
        filters = as_int(args.filters, "filters")
        return count_product([inputs[1], *out, *as_tuple(args.kernel_size, rank, "kernel_size"), 4, filters,
                              count_sum([channels, filters])])

    return LayerSpec(
        name,
        sig("filters", "kernel_size", ("strides", 1), ("padding", "valid"), ("data_format", None),
            ("dilation_rate", 1), ("activation", "tanh"), ("recurrent_activation", "sigmoid"), ("use_bias", True),
            *_INIT_TAIL, ("unit_forget_bias", True), *_REG_TAIL, ("seed", None), ("return_sequences", False),
            ("return_state", False), ("go_backwards", False), ("stateful", False), ("zero_output_for_mask", False)),
        output_shape=output_shape,
        weights=weights,
        macs=macs,
        family=FAMILY,
        output_count=_rnn_count(name),
        compute_mask="sequences",
        takes_mask=True,
        traits=frozenset({"own_sublayers"}),  # (ConvLSTM makes its cell without `trainable`)
        call_arg="sequences",
    )


# -- wrappers -----------------------------------------------------------------


def _inner(wrapper: str, value: Any, what: str = "layer") -> Tuple[LayerSpec, BoundArgs]:
    """The wrapped layer's spec and bound arguments."""
    from . import lookup  # the registry imports this module

    if isinstance(value, Unknown):
        raise Unresolved(f"the layer {wrapper} wraps is not known ({value.reason})")
    if isinstance(value, Expr):
        # a name the analysis does not know (a model a pasted snippet defined in an earlier one): not a value that
        # is known not to be a layer
        raise Unresolved(f"the layer {wrapper} wraps is not known (`{value}` is a value the analysis does not know)")
    if not isinstance(value, LayerDef):
        raise InvalidArguments(f"{wrapper}: `{what}` must be a keras.layers.Layer instance, got {value!r}")
    if value.submodel is not None:
        raise Unresolved(f"{wrapper} wrapping a model is not in the catalogue yet")
    spec = lookup(value.type) if value.known else None
    if spec is None:
        raise Unresolved(_not_in_catalogue(wrapper, value))
    return spec, config(spec, value)


def _not_in_catalogue(wrapper: str, value: LayerDef) -> str:
    """Why the layer a wrapper wraps has no spec: a layer of older Keras that Keras 3 no longer has (so Keras 3
    raises where the code makes it), or one the catalogue lacks."""
    from .unknown import removed

    gone = removed(value.type) if value.submodel is None else None
    return gone if gone else f"{wrapper} wraps `{value.type}`, which is not in the catalogue"


def _as_trainable(layer: LayerDef, w: Weights) -> Weights:
    """A wrapped layer built with ``trainable=False`` keeps its weights non-trainable."""
    flag = layer.kwarg("trainable", True)
    if flag is False:
        return Weights(trainable=0, non_trainable=arith(lambda: w.trainable + w.non_trainable, "params"))
    if isinstance(flag, Unknown) or not isinstance(flag, bool):
        raise Unresolved(f"whether the wrapped layer {layer.name} is trainable is not known")
    return w


def _add(a: Weights, b: Weights) -> Weights:
    return Weights(trainable=arith(lambda: a.trainable + b.trainable, "params"),
                   non_trainable=arith(lambda: a.non_trainable + b.non_trainable, "params"))


# Bidirectional ------------------------------------------------------------


_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _bidi_layers(args) -> Tuple[Tuple[LayerSpec, BoundArgs, LayerDef], Tuple[LayerSpec, BoundArgs, LayerDef]]:
    merge_mode = args.merge_mode
    if merge_mode not in _MERGE_MODES:
        raise InvalidArguments(f"Bidirectional: invalid merge_mode {merge_mode!r}; should be one of "
                               "'sum', 'mul', 'ave', 'concat', None")
    forward_def = args.get("layer")
    fspec, fargs = _inner("Bidirectional", forward_def)
    if fspec.name not in _STATES:
        raise InvalidArguments(f"Bidirectional can only wrap a recurrent layer (one with `go_backwards`), "
                               f"got {fspec.name}")
    backward_def = args.backward_layer
    if backward_def is None:
        bspec, bargs, backward_go = fspec, fargs, True
    else:
        bspec, bargs = _inner("Bidirectional", backward_def, "backward_layer")
        if bspec.name not in _STATES:
            raise InvalidArguments(f"Bidirectional: backward_layer must be a recurrent layer, got {bspec.name}")
        backward_go = bargs.go_backwards
    forward_go = fargs.go_backwards
    if bool(forward_go) == bool(backward_go):
        raise InvalidArguments(
            "Bidirectional: forward layer and backward layer should have different `go_backwards` values "
            f"(both are {bool(forward_go)})"
        )
    for attr in ("stateful", "return_sequences", "return_state"):
        if bool(getattr(fargs, attr)) != bool(getattr(bargs, attr)):
            raise InvalidArguments(f"Bidirectional: forward and backward layers must have the same `{attr}` "
                                   f"({getattr(fargs, attr)} vs {getattr(bargs, attr)})")
    return (fspec, fargs, forward_def), (bspec, bargs, backward_def or forward_def)


def _main_output(out: Any, return_state: bool) -> Shape:
    return out[0] if return_state else out


def _bidi_check_merge(mode: Any, forward: Shape, backward: Shape) -> None:
    """Raise where merging the two layers' outputs fails when the layer runs.

    Keras reports the shape of a Bidirectional from its forward layer alone and builds it on
    symbolic inputs without merging anything, but its ``call`` merges the two outputs with
    ``y + y_rev`` (``"sum"``, ``"ave"``), ``y * y_rev`` (``"mul"``) or a concatenation on the last
    axis (``"concat"``): outputs of other shapes fail there, on the first call on data.
    ``merge_mode=None`` returns both unmerged. Where a dimension is symbolic and the two differ,
    whether Keras can merge them is not known.
    """
    if mode is None or forward == backward:
        return
    what = {"sum": "summed", "ave": "averaged", "mul": "multiplied", "concat": "concatenated"}[mode]

    def fail() -> ShapeError:
        return IncompatibleInput(
            f"Bidirectional(merge_mode={mode!r}): the forward layer outputs {show_shape(forward)} and the "
            f"backward layer {show_shape(backward)}, which cannot be {what}; Keras builds the layer (its "
            "summary shows the forward layer's shape) but calling it on data fails"
        )

    if mode == "concat":
        # Every axis but the last must agree exactly (no broadcasting).
        if len(forward) != len(backward):
            raise fail()
        pairs = list(zip(forward[:-1], backward[:-1]))
    else:
        # NumPy broadcasting: trailing axes aligned, a 1 stretches.
        pairs = [(a, b) for a, b in zip(reversed(forward), reversed(backward)) if not (a == 1 or b == 1)]
    unsure = False
    for a, b in pairs:
        if a == b:
            continue
        if isinstance(a, int) and isinstance(b, int):
            raise fail()
        unsure = True
    if unsure:
        raise Unresolved(f"Bidirectional(merge_mode={mode!r}): whether the forward output {show_shape(forward)} "
                         f"and the backward output {show_shape(backward)} can be {what} is not known")


def _bidi_shape(args, shape: Shape) -> Any:
    (fspec, fargs, _), (bspec, bargs, _) = _bidi_layers(args)
    # Keras computes the shape from the forward layer alone.
    out = fspec.output_shape(fargs, shape)
    back = bspec.output_shape(bargs, shape)
    return_state = fargs.return_state
    _bidi_check_merge(args.merge_mode, _main_output(out, return_state), _main_output(back, return_state))
    states: Tuple[Any, ...] = ()
    if return_state:
        out, states = out[0], tuple(out[1:])
    mode = args.merge_mode
    if mode == "concat":
        out = (*out[:-1], arith(lambda: out[-1] * 2, "concat"))
        outputs: Tuple[Any, ...] = (out,)
    elif mode is None:
        outputs = (out, out)
    else:
        outputs = (out,)
    if return_state:
        return (*outputs, *states, *states)
    return outputs[0] if len(outputs) == 1 else outputs


def _bidi_weights(args, shape: Shape) -> Weights:
    (fspec, fargs, fdef), (bspec, bargs, bdef) = _bidi_layers(args)
    owner = args.layer_def
    if owner.trainable_set:
        # Bidirectional runs a copy of `layer` (and, without `backward_layer`, a second one going backwards), made
        # from its config when it is made: only Bidirectional's own setter changes their flags afterwards (it sets
        # its sublayers').
        fdef = replace(fdef, kwargs=tuple((k, v) for k, v in fdef.kwargs if k != "trainable") +
                       (("trainable", owner.kwarg("trainable", True)),))
        if args.backward_layer is None:
            bdef = fdef
    forward = _as_trainable(fdef, fspec.weights(fargs, shape))
    backward = _as_trainable(bdef, bspec.weights(bargs, shape))
    return _add(forward, backward)


def _bidi_count(args) -> int:
    from . import lookup

    inner = args.get("layer")
    if not isinstance(inner, LayerDef):
        return 1
    spec = lookup(inner.type) if inner.known and inner.submodel is None else None
    if spec is None:
        raise Unresolved(_not_in_catalogue("Bidirectional", inner))
    main = 2 if args.merge_mode is None else 1
    inner_count = spec.output_count(config(spec, inner))
    return main + 2 * (inner_count - 1)


# TimeDistributed ------------------------------------------------------------


def _child_shape(shape: Shape) -> Shape:
    if len(shape) < 3:
        raise WrongRank(f"TimeDistributed needs an input of rank at least 3, got {show_shape(shape)}")
    return (shape[0], *shape[2:])


def _td_inner(args) -> Tuple[LayerSpec, BoundArgs]:
    spec, inner = _inner("TimeDistributed", args.get("layer"))
    if spec.multi_input or spec.call_inputs:
        # TimeDistributed builds and calls its layer on one tensor (its input without the time
        # axis): a merge or attention layer rejects it (Keras: "should be called on a list of
        # inputs", MultiHeadAttention.build() "missing ... 'value_shape'"); a list given to
        # TimeDistributed itself is rejected before (it needs one input of rank >= 3).
        needs = "a query and a value" if spec.call_inputs else "a list of tensors"
        raise IncompatibleInput(f"TimeDistributed builds and calls {spec.name} on a single tensor, but {spec.name} "
                                "needs "
                                f"{needs}")
    if spec.name in ("InputLayer",):
        raise InvalidArguments("TimeDistributed cannot wrap an InputLayer (Keras: InputLayer does not have a "
                               "`compute_output_shape` method)")
    return spec, inner


def _td_shape(args, shape: Shape) -> Shape:
    spec, inner = _td_inner(args)
    child = spec.output_shape(inner, _child_shape(shape))
    if child and isinstance(child[0], tuple):
        # Keras builds (child[0], time, *child[1:]) from the inner layer's output shapes, a mix of
        # shapes and a dimension: "Cannot convert '<time>' to a shape".
        raise IncompatibleInput(f"TimeDistributed cannot wrap a layer that returns several tensors ({spec.name} "
                                "returns "
                                f"{show_shape(child)})")
    return (child[0], shape[1], *child[1:])


def _td_weights(args, shape: Shape) -> Weights:
    spec, inner = _td_inner(args)
    return _as_trainable(args.get("layer"), spec.weights(inner, _child_shape(shape)))


# Pipeline --------------------------------------------------------------------
# keras.layers.Pipeline(layers): a plain layer (not a model) that calls its layers one after the other. Keras tracks
# the list, so their weights are its own, and it takes its output shape from a symbolic run of its ``call``.


def _pipeline_layers(args) -> Tuple[Tuple[LayerSpec, BoundArgs, LayerDef], ...]:
    value = args.get("layers")
    if isinstance(value, Unknown):
        raise Unresolved(f"the layers of the Pipeline are not known ({value.reason})")
    if not isinstance(value, tuple):
        raise Unresolved("Pipeline: `layers` is not a list the analysis knows")
    if not value:
        raise Unresolved("Pipeline([]) is not followed (its call returns a name it never set)")
    out = []
    for item in value:
        spec, inner = _inner("Pipeline", item)
        if spec.multi_input or spec.call_inputs or spec.name == "InputLayer":
            raise Unresolved(f"a Pipeline calling {spec.name} is not followed")
        out.append((spec, inner, item))
    return tuple(out)


def _pipeline_steps(args, shape: Shape) -> Tuple[Tuple[LayerSpec, BoundArgs, LayerDef, Shape], ...]:
    """Each layer of the Pipeline with the shape it is called on."""
    steps = []
    for spec, inner, item in _pipeline_layers(args):
        steps.append((spec, inner, item, shape))
        shape = spec.output_shape(inner, shape)
        if shape and isinstance(shape[0], tuple):
            raise Unresolved(f"a Pipeline calling {spec.name}, which returns several tensors, is not followed")
    return tuple(steps)


def _pipeline_shape(args, shape: Shape) -> Shape:
    spec, inner, _, last = _pipeline_steps(args, shape)[-1]
    return spec.output_shape(inner, last)


def _pipeline_weights(args, shape: Shape) -> Weights:
    total = Weights()
    for spec, inner, item, at in _pipeline_steps(args, shape):
        total = _add(total, _as_trainable(item, spec.weights(inner, at)))
    return total


def _pipeline_macs(args, inputs: Shape, outputs: Any) -> Any:
    return count_sum([_inner_macs(item, at) for _, _, item, at in _pipeline_steps(args, inputs)])


# SpectralNormalization --------------------------------------------------------

#: Layers SpectralNormalization can wrap, and the argument that sets their kernel's last dimension
#: (its ``vector_u`` is non-trainable, of shape (1, kernel.shape[-1])).
_KERNEL_LAST = {"Dense": "units", "Conv1D": "filters", "Conv2D": "filters", "Conv3D": "filters",
                "Embedding": "output_dim"}


def _sn_inner(args) -> Tuple[LayerSpec, BoundArgs]:
    power = args.power_iterations
    if isinstance(power, (int, float)) and not isinstance(power, bool) and power <= 0:
        raise InvalidArguments(f"SpectralNormalization: `power_iterations` must be greater than zero, got {power}")
    return _inner("SpectralNormalization", args.get("layer"))


def _sn_shape(args, shape: Shape) -> Any:
    spec, inner = _sn_inner(args)
    return spec.output_shape(inner, shape)


def _sn_weights(args, shape: Shape) -> Weights:
    spec, inner = _sn_inner(args)
    if spec.name not in _KERNEL_LAST:
        raise Unresolved(f"SpectralNormalization of a {spec.name} is not followed")
    wrapped = _as_trainable(args.get("layer"), spec.weights(inner, shape))
    return _add(wrapped, Weights(non_trainable=as_int(inner.get(_KERNEL_LAST[spec.name]), "units")))


# -- MACs of wrappers and RNN(cell) ----------------------------------------------


def _wrapped(value: Any) -> Tuple[LayerSpec, BoundArgs]:
    from . import lookup  # the registry imports this module

    if not isinstance(value, LayerDef) or not value.known or value.submodel is not None:
        raise Unresolved("the wrapped layer is not known")
    spec = lookup(value.type)
    if spec is None:
        raise Unresolved(f"`{value.type}` is not in the catalogue")
    return spec, config(spec, value)


def _inner_macs(value: Any, inputs: Shape) -> Any:
    spec, args = _wrapped(value)
    return None if spec.macs is None else spec.macs(args, inputs, spec.output_shape(args, inputs))


def _bidi_macs(args, inputs: Shape, outputs: Any) -> Any:
    """The forward and the backward layer, each on the whole input."""
    forward = args.get("layer")
    backward = args.backward_layer
    return count_sum([_inner_macs(forward, inputs), _inner_macs(forward if backward is None else backward, inputs)])


def _bidi_returns(args, inputs: Shape, outputs: Any) -> Any:
    """The arrays Bidirectional returns, from both layers: Keras reports its shapes from the forward layer alone."""
    backward = args.backward_layer
    if backward is None:
        return outputs
    (fspec, fargs), (bspec, bargs) = _wrapped(args.get("layer")), _wrapped(backward)
    forward, *forward_states = several(fspec.output_shape(fargs, inputs))
    back, *back_states = several(bspec.output_shape(bargs, inputs))
    if args.merge_mode == "concat":
        merged: Tuple[Shape, ...] = ((*forward[:-1], count_sum([forward[-1], back[-1]])),)
    elif args.merge_mode is None:
        merged = (forward, back)
    elif forward == back:
        merged = (forward,)
    else:
        raise Unresolved(f"Bidirectional cannot {args.merge_mode} outputs of shapes {forward} and {back}")
    return (*merged, *forward_states, *back_states)


def _td_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """The wrapped layer's MACs on one timestep, times the timesteps."""
    return count_product([inputs[1], _inner_macs(args.get("layer"), (inputs[0], *inputs[2:]))])


def _rnn_layer_macs(args, inputs: Shape, outputs: Any) -> Any:
    """``RNN(cell)``: per timestep, each cell's kernels: gates × units × (its input features + units)."""
    steps = []
    for (spec, inner, _), features in rnn_cell_inputs(args, inputs):
        units = as_int(inner.units, "units")
        steps.append(count_product([_CELLS[spec.name][0], units, count_sum([features, units])]))
    return count_product([inputs[1], count_sum(steps)])


def _sn_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """The wrapped layer's MACs (the power iteration runs in training only)."""
    return _inner_macs(args.get("layer"), inputs)


SPECS = [
    rnn("SimpleRNN", 1, _SIMPLE_RNN_SIG, cudnn=False),
    rnn("LSTM", 4, _LSTM_SIG, cudnn=True),
    rnn("GRU", 3, _GRU_SIG, cudnn=True, reset_after=True),
    conv_lstm("ConvLSTM1D", 1),
    conv_lstm("ConvLSTM2D", 2),
    conv_lstm("ConvLSTM3D", 3),
    LayerSpec("Bidirectional", sig("layer", ("merge_mode", "concat"), ("weights", None), ("backward_layer", None)),
              output_shape=_bidi_shape, weights=_bidi_weights, macs=_bidi_macs, returns=_bidi_returns,
              family=FAMILY, output_count=_bidi_count, compute_mask="bidirectional", takes_mask=True,
              holds=("backward_layer",), call_arg="sequences"),
    LayerSpec("TimeDistributed", sig("layer"), output_shape=_td_shape, weights=_td_weights, macs=_td_macs,
              family=FAMILY, compute_mask="keep", takes_mask=True, holds=("layer",)),
    LayerSpec("Pipeline", sig("layers", ("name", None)), output_shape=_pipeline_shape, weights=_pipeline_weights,
              macs=_pipeline_macs, family=FAMILY, var_kwargs=False, holds=("layers",), takes_mask=True),
    LayerSpec("SpectralNormalization", sig("layer", ("power_iterations", 1)), output_shape=_sn_shape,
              weights=_sn_weights, macs=_sn_macs, family=FAMILY, holds=("layer",)),
    cell("SimpleRNNCell", _strip(_SIMPLE_RNN_SIG, "activity_regularizer", *dict(_RNN_FLAGS))),
    cell("LSTMCell", _strip(_LSTM_SIG, "activity_regularizer", "use_cudnn", "implementation", *dict(_RNN_FLAGS))),
    cell("GRUCell", _GRU_CELL_SIG),
    LayerSpec("StackedRNNCells", sig("cells"), output_shape=_stacked_alone, family=FAMILY, macs=unknown_macs,
              holds=("cells",)),
    LayerSpec("RNN", sig("cell", *_RNN_FLAGS, ("zero_output_for_mask", False)), output_shape=_rnn_layer_shape,
              weights=_rnn_layer_weights, macs=_rnn_layer_macs, family=FAMILY, output_count=_rnn_layer_count,
              compute_mask="sequences", takes_mask=True, holds=("cell",), call_arg="sequences"),
]
