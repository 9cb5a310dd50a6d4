"""Cost estimates from shapes alone: multiply-accumulates (MACs) and activation sizes.

The definitions are in docs/cost.md. In short: a layer's MACs, per sample, are the
multiply-accumulates of its matrix products and convolutions (weights applied to inputs,
attention's query-key and attention-value products, ``x @ w``), with every window position
counted, padding included; biases, activations, normalisation, pooling, interpolation,
merging and reshaping count 0. A layer's activations are the elements of its outputs per
sample (the batch dimension left out). Like every number kerascount prints, these are exact,
symbolic or unknown (``None``): a layer kind without a definition, a ``None``
dimension the count depends on, or an argument the source does not determine gives ``None``.

Each layer's MACs are defined beside its output shape and weights, in its family file in
catalogue/ (``LayerSpec.macs``, and ``LayerSpec.returns`` where the arrays a call returns differ
from the shapes Keras reports); this module is the driver that calls them and adds them up.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

from . import catalogue
from .catalogue import ops
from .catalogue.spec import BoundArgs, MacsFn, ShapeError, Unresolved, count_product, count_sum, several, \
    unknown_macs, zero_macs
from .ir import Count, LayerResult
from .symbolic import TooComplex

#: Bytes per parameter or activation value: float32. Mixed precision (float16 activations) differs.
BYTES_PER_VALUE = 4

#: The dtype of the variables a layer makes under a dtype policy (or dtype) of that name (a mixed policy computes in
#: 16 bits and keeps float32 weights), and the size in bytes of each.
VARIABLE_DTYPES = {"float16": "float16", "bfloat16": "bfloat16", "float32": "float32", "float64": "float64",
                   "mixed_float16": "float32", "mixed_bfloat16": "float32"}
DTYPE_BYTES = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8}


def variable_dtype(dtype: Any) -> Optional[str]:
    """The dtype of the variables a layer given ``dtype=`` (or a policy set by ``set_dtype_policy``/``set_floatx``)
    makes: None for the default policy's, "float32" for ``tf.float32``/``np.float32`` (the analysis's references to
    them), "?" when not known (a ``DTypePolicy`` object, a value the analysis does not know)."""
    if dtype is None:
        return None
    if isinstance(dtype, str):
        return VARIABLE_DTYPES.get(dtype, "?")
    path = getattr(dtype, "path", None)
    if isinstance(path, str) and path.partition(".")[0] in ("tensorflow", "numpy", "keras", "jax"):
        return VARIABLE_DTYPES.get(path.rpartition(".")[2], "?")
    return "?"


def float32_weights(dtype: Any) -> bool:
    """Does a layer given ``dtype=`` make float32 variables (the default policy's included)?"""
    return variable_dtype(dtype) in (None, "float32")

#: The sum of counts; None if any term is None or it grows too complex.
total = count_sum


def _elements(outputs: Any) -> Count:
    """Elements per sample of a layer's output(s): the product of each shape without its batch dimension."""
    if outputs is None:
        return None
    return total([count_product(shape[1:]) for shape in several(outputs)])


#: MACs per call, by Keras class name, as the specs define them (a view for tests and docs).
MACS: Dict[str, MacsFn] = {spec.name: spec.macs for spec in catalogue.specs() if spec.macs is not None}
#: Layers whose work is elementwise, a reduction, data movement, a lookup or an interpolation.
ZERO = tuple(name for name, fn in MACS.items() if fn is zero_macs)
#: Layers whose MACs are unknown by definition (a Lambda's function, a cell called directly).
UNKNOWN = tuple(name for name, fn in MACS.items() if fn is unknown_macs)
#: MACs per call of an operation on tensors, by its class name.
OPERATION_MACS: Dict[str, MacsFn] = {name: spec.macs for name, spec in ops.SPECS.items() if spec.macs is not None}
ZERO_OPERATIONS = tuple(name for name, fn in OPERATION_MACS.items() if fn is zero_macs)
UNKNOWN_OPERATIONS = tuple(name for name, fn in OPERATION_MACS.items() if fn is unknown_macs)


def macs(args: BoundArgs, inputs: Any, outputs: Any) -> Count:
    """MACs per sample of one call of a catalogue layer or operation (``args``: its config with the call's
    keyword arguments, as inference records it); None if unknown.

    ``inputs`` is the input shape, or the list of them, of a layer; for an operation, the shapes of
    its tensor operands by their ``TensorRef``, as operation specs read them.
    """
    try:
        fn = None if outputs is None else args.layer_spec.macs
        return None if fn is None else fn(args, inputs, outputs)
    except (Unresolved, ShapeError, TooComplex, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None


def activations(args: Optional[BoundArgs], inputs: Any, outputs: Any) -> Count:
    """Elements per sample of the arrays one call of a layer or operation returns (``args`` as for :func:`macs`,
    None for a layer the catalogue does not know); None if unknown."""
    try:
        fn = None if args is None or outputs is None or args.layer_def.operation else args.layer_spec.returns
        return _elements(outputs if fn is None else fn(args, inputs, outputs))
    except (Unresolved, ShapeError, TooComplex, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None


def activation_total(rows: Sequence[LayerResult]) -> Count:
    """Elements per sample a forward pass outputs: every row but the inputs (``InputLayer``)."""
    return total([r.activations for r in rows if r.layer.type != "InputLayer"])


def memory(values: Count, per: int = BYTES_PER_VALUE) -> Count:
    """Bytes of ``values`` float32 numbers (of ``per`` bytes each)."""
    return count_product([values, per])
