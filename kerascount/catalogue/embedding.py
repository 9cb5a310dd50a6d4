"""Embedding and Masking (keras.src.layers.core)."""

from __future__ import annotations

from typing import Any

from ..ir import ArrayArgument, ConstantOfArray, Shape
from ..symbolic import render
from .errors import InvalidArguments
from .spec import (LayerSpec, Unresolved, Weights, arith, as_int, count_product, is_int, lora_rank, sig,
                   zero_macs)

FAMILY = "embedding"


def _positive(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not is_int(value) or (isinstance(value, int) and value <= 0):
        raise InvalidArguments(f"Embedding: `{name}` must be a positive integer, got {value!r}")
    return value


def _embedding_sizes(args) -> Any:
    """``Embedding.__init__``: both sizes positive integers (a bool, a float or a NumPy integer is rejected), and the
    table given as ``weights=`` of their shape."""
    sizes = _positive("input_dim", args.input_dim), _positive("output_dim", args.output_dim)
    _given_table(args, sizes)
    return sizes


def _surely_unequal(a: Any, b: Any) -> bool:
    """Do two sizes differ whatever the values of their symbols (``V + 1`` and ``V``)? False when not shown."""
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return False
    try:
        gap = a - b
    except (TypeError, ArithmeticError):
        return False
    return type(gap) is int and gap != 0


def _given_table(args, sizes: Any) -> None:
    """``Embedding(input_dim, output_dim, weights=m)``: Keras 3 builds the layer in ``__init__`` and calls
    ``set_weights([m])`` (``weights=[m]`` as it is), which raises ValueError when the array's shape is not the
    table's, ``(input_dim, output_dim)``. Checked where the array's shape is known (a size not known, or not shown
    unequal, is taken as Keras's)."""
    given = args.raw("weights")  # (not `args.weights`: an array is an Unknown, which reading raises Unresolved)
    if isinstance(given, tuple) and len(given) == 1:
        given = given[0]  # (a list of the one table: a list and a tuple of one item look alike here)
    if not isinstance(given, ArrayArgument):
        return
    shape = given.shape
    if len(shape) != 2 or any(_surely_unequal(s, d) for s, d in zip(shape, sizes)):
        raise InvalidArguments(
            f"Embedding: the weights given have shape {_shape_text(shape)}, not the table's "
            f"{_shape_text(sizes)} (input_dim, output_dim) (Keras: weight shape is not compatible with provided "
            "weight shape)")


def _constant_table(args, sizes: Any) -> None:
    """``embeddings_initializer=Constant(m)``: Keras 3 fills the table with ``cast(m) * ones((input_dim,
    output_dim))`` when the layer is built, which raises ValueError unless m's shape broadcasts to the table's (each
    of its sizes, from the right, 1 or the table's). Checked where m's shape is known, as ``weights=``."""
    made = args.raw("embeddings_initializer")
    if not isinstance(made, ConstantOfArray) or len(made.shape) > 2:
        return  # (an array of more axes: what the variable makes of its broadcast shape is not followed)
    shape = made.shape
    if any(s != 1 and _surely_unequal(s, d) for s, d in zip(reversed(shape), reversed(sizes))):
        raise InvalidArguments(
            f"Embedding: the Constant initializer's array has shape {_shape_text(shape)}, which does not broadcast "
            f"to the table's {_shape_text(sizes)} (input_dim, output_dim) (Keras: operands could not be broadcast "
            "together)")


def _shape_text(shape: Any) -> str:
    parts = ["?" if d is None else render(d) for d in shape]
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


def _embedding_shape(args, shape: Shape) -> Shape:
    sizes = _embedding_sizes(args)
    _constant_table(args, sizes)  # (when the layer is built: its first call)
    return (*shape, sizes[1])


def _embedding_weights(args, shape: Shape) -> Weights:
    rows = _positive("input_dim", args.input_dim)
    cols = _positive("output_dim", args.output_dim)
    table = arith(lambda: rows * cols, "params")
    rank = lora_rank("Embedding", args, "embeddings_constraint")
    if rank:
        # enable_lora: the table is frozen; lora_embeddings_a (input_dim, rank) and _b (rank, output_dim) train.
        return Weights(trainable=arith(lambda: rank * (rows + cols), "params"), non_trainable=table)
    return Weights(trainable=table)


def _reversible_shape(args, shape: Shape) -> Shape:
    """``call(x, reverse=True)`` projects back to the vocabulary: the last axis becomes ``input_dim``."""
    rows = _positive("input_dim", args.input_dim)
    cols = _positive("output_dim", args.output_dim)
    if args.call("reverse", False):
        return (*shape[:-1], rows)
    return (*shape, cols)


def _reversible_weights(args, shape: Shape) -> Weights:
    if args.lora_rank:
        raise Unresolved("ReversibleEmbedding with lora_rank is not followed")
    table = _embedding_weights(args, shape)
    if args.tie_weights:
        return table
    # Untied: a reverse_embeddings matrix (output_dim, input_dim) as well.
    return Weights(trainable=arith(lambda: 2 * table.trainable, "params"))


def _reversible_macs(args, inputs: Shape, outputs: Shape) -> Any:
    """A lookup (0), or with ``reverse=True`` a projection of output_dim features onto input_dim tokens."""
    if not args.call("reverse", False):
        return 0
    return count_product([*inputs[1:], as_int(args.input_dim, "input_dim")])


SPECS = [
    # ``input_length`` is popped from **kwargs with a deprecation warning (Keras 3 ignores it): it is
    # appended here so that it is accepted, as Keras does.
    LayerSpec("Embedding",
              sig("input_dim", "output_dim", ("embeddings_initializer", "uniform"), ("embeddings_regularizer", None),
                  ("embeddings_constraint", None), ("mask_zero", False), ("weights", None), ("lora_rank", None),
                  ("lora_alpha", None), ("quantization_config", None), ("input_length", None)),
              output_shape=_embedding_shape, weights=_embedding_weights, macs=zero_macs, family=FAMILY,
              compute_mask="embedding", init_checks=_embedding_sizes, attributes=frozenset({"input_dim", "output_dim"}),
              traits=frozenset({"one_tensor_per_output"})),  # (with mask_zero=False: infer._tensors_made)
    # Embedding's own keyword arguments reach it through **kwargs: appended here.
    LayerSpec("ReversibleEmbedding",
              sig("input_dim", "output_dim", ("tie_weights", True), ("embeddings_initializer", "uniform"),
                  ("embeddings_regularizer", None), ("embeddings_constraint", None), ("mask_zero", False),
                  ("reverse_dtype", None), ("logit_soft_cap", None), ("weights", None), ("lora_rank", None),
                  ("lora_alpha", None), ("quantization_config", None), ("input_length", None)),
              output_shape=_reversible_shape, weights=_reversible_weights, macs=_reversible_macs, family=FAMILY,
              compute_mask="drop"),
    LayerSpec("Masking", sig(("mask_value", 0.0)), family=FAMILY, built_at_init=True, macs=zero_macs,
              compute_mask="masking"),
]
