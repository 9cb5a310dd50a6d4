"""Merge layers, called on a list of tensors."""

from __future__ import annotations

import dataclasses
from typing import Any, FrozenSet, List, Optional

from ..ir import Shape
from ..symbolic import Expr, render, same
from .errors import InvalidArguments, MergeMismatch
from .spec import LayerSpec, Unresolved, arith, count_product, show_shape, sig, zero_macs

FAMILY = "merge"


def _as_list(name: str, shapes: Any) -> List[Shape]:
    if not isinstance(shapes, list):
        raise MergeMismatch(f"A `{name}` layer should be called on a list of inputs")
    return shapes


def _broadcast(name: str, s1: Optional[Shape], s2: Optional[Shape], shapes) -> Optional[Shape]:
    # keras.src.layers.merging.base_merge._compute_elemwise_op_output_shape
    if s1 is None or s2 is None:
        return None
    if len(s1) < len(s2):
        return _broadcast(name, s2, s1, shapes)
    if not s2:
        return s1
    out = list(s1[: len(s1) - len(s2)])
    for i, j in zip(s1[len(s1) - len(s2):], s2):
        if i is None or j is None:
            out.append(None)
        elif isinstance(i, int) and i == 1:
            out.append(j)
        elif isinstance(j, int) and j == 1:
            out.append(i)
        elif isinstance(i, int) and isinstance(j, int):
            if i != j:
                raise MergeMismatch(
                    f"{name}: inputs {', '.join(show_shape(s) for s in shapes)} cannot be combined "
                    f"elementwise ({i} vs {j})"
                )
            out.append(i)
        elif same(i, j):  # (sizes written differently may be one: ceil(floor((x + 1)/8)/2) is floor((x + 9)/16))
            out.append(i)
        else:
            raise Unresolved(f"{name}: cannot tell whether {i} and {j} agree")
    return tuple(out)


def elementwise(name: str, traits: FrozenSet[str] = frozenset()) -> LayerSpec:
    def output_shape(args, shapes: Any) -> Shape:
        shapes = _as_list(name, shapes)
        if len(shapes) < 1:
            raise MergeMismatch(f"A `{name}` layer should be called on a list of at least 1 input")
        if name == "Subtract" and len(shapes) != 2:  # its build checks (keras.src.layers.merging.subtract)
            raise MergeMismatch(f"A `Subtract` layer should be called on exactly 2 inputs, got {len(shapes)}")
        out: Optional[Shape] = shapes[0][1:]
        for s in shapes[1:]:
            out = _broadcast(name, out, s[1:], shapes)
        batches = {s[0] for s in shapes} - {None}
        batch = next(iter(batches)) if len(batches) == 1 else None
        return (batch, *out)

    return LayerSpec(name, sig(), output_shape=output_shape, multi_input=True, family=FAMILY, macs=zero_macs,
                     compute_mask="merge", traits=traits)


def _concat_shape(args, shapes: Any) -> Shape:
    shapes = _as_list("Concatenate", shapes)
    axis = args.axis
    if not isinstance(axis, int):
        raise Unresolved("Concatenate axis is not known")
    rank = len(shapes[0])
    for s in shapes:
        if len(s) != rank:
            raise MergeMismatch(
                "Concatenate: inputs must have the same rank, got "
                + ", ".join(show_shape(x) for x in shapes)
            )
    if not -rank <= axis < rank:
        raise MergeMismatch(f"Concatenate: axis {axis} is out of range for rank {rank}")
    ax = axis % rank
    for i in range(1, rank):
        if i == ax:
            continue
        dims = [s[i] for s in shapes]
        ints = {d for d in dims if isinstance(d, int)}
        # Keras (Concatenate.build) compares the known dims as they are: 1 does not broadcast.
        if len(ints) > 1:
            raise MergeMismatch(
                f"Concatenate(axis={axis}) needs matching shapes except on the concatenation axis, got "
                + ", ".join(show_shape(x) for x in shapes)
            )
        # Sizes that are expressions and differ (``floor(H/16)`` and ``2*floor(H/32)``) agree for some values
        # of their symbols only, and Keras rejects the model for the others: where it builds the model, the
        # output takes the first input's sizes (as Keras's does), which equal the others'. The model's result
        # says which sizes it assumes agree (``concat_assumptions``).
    out = list(shapes[0])
    for s in shapes[1:]:
        if out[ax] is None or s[ax] is None:
            out[ax] = None
            break
        out[ax] = arith(lambda: out[ax] + s[ax], "concatenate")
    return tuple(out)


def concat_assumptions(args, shapes: Any) -> List[str]:
    """The pairs of sizes, outside the concatenation axis, that the output assumes agree (as ``a = b``): sizes
    given by expressions that differ, which Keras accepts only for the values of their symbols where they are
    equal (a None is not compared). Empty when the inputs are not a list of shapes or all known sizes agree."""
    if not isinstance(shapes, list) or not shapes or not isinstance(args.axis, int) or \
            any(not isinstance(s, tuple) or len(s) != len(shapes[0]) for s in shapes):
        return []
    rank = len(shapes[0])
    if not -rank <= args.axis < rank:
        return []
    ax = args.axis % rank
    out: List[str] = []
    for i in range(1, rank):
        if i == ax:
            continue
        dims: List[Any] = []
        for d in (s[i] for s in shapes):
            if d is not None and not any(same(d, seen) for seen in dims):
                dims.append(d)  # (a size shown equal to one listed, written otherwise, is no assumption)
        if len(dims) > 1 and any(isinstance(d, Expr) for d in dims):
            out.append(" = ".join(render(d) for d in dims))
    return out


def dot_axes(args, shapes: Any) -> List[int]:
    """``Dot``'s axes for each input (a negative int counts from each input's end), checked as ``__init__`` does."""
    shapes = _as_list("Dot", shapes)
    if len(shapes) != 2:
        raise MergeMismatch(f"A `Dot` layer should be called on a list of 2 inputs, got {len(shapes)}")
    axes = args.axes
    if isinstance(axes, bool) or not isinstance(axes, (int, tuple, list)):
        raise Unresolved(f"Dot axes {axes!r} is not known")
    if isinstance(axes, int):
        return [axes % len(shapes[0]), axes % len(shapes[1])] if axes < 0 else [axes, axes]
    if len(axes) != 2 or not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
        raise InvalidArguments(f"Dot: `axes` must be an int or a pair of ints, got {axes!r}")
    # compute_output_shape uses a pair as given (list.pop takes a negative index from the end).
    return list(axes)


def _dot_macs(args, inputs: Any, outputs: Shape) -> Any:
    """Every output element is a dot product along the contracted axis."""
    return count_product([*outputs[1:], inputs[0][dot_axes(args, inputs)[0]]])


def _dot_shape(args, shapes: Any) -> Shape:
    axes = dot_axes(args, shapes)
    first, second = list(shapes[0]), list(shapes[1])
    for shape, axis in ((first, axes[0]), (second, axes[1])):
        if not -len(shape) <= axis < len(shape):
            raise MergeMismatch(f"Dot: axis {axis} is out of range for input {show_shape(tuple(shape))}")
    a, b = first[axes[0]], second[axes[1]]
    if a != b and (isinstance(a, Expr) or isinstance(b, Expr)):
        raise Unresolved(f"Dot: cannot tell whether {a} and {b} agree")
    if a != b:  # Dot.build compares them as they are: None differs from a number
        raise MergeMismatch(f"Dot: incompatible input shapes {show_shape(tuple(first))} and "
                            f"{show_shape(tuple(second))}: "
                            f"{render(a)} (axis {axes[0]}) != {render(b)} (axis {axes[1]})")
    first.pop(axes[0])
    second.pop(axes[1])
    second.pop(0)
    out = first + second
    return tuple(out + [1] if len(out) == 1 else out)


SPECS = [
    LayerSpec("Dot", sig("axes", ("normalize", False)), output_shape=_dot_shape, macs=_dot_macs, multi_input=True,
              family=FAMILY, compute_mask="drop"),
    LayerSpec("Concatenate", sig(("axis", -1)), output_shape=_concat_shape, multi_input=True, family=FAMILY,
              macs=zero_macs, compute_mask="concatenate", traits=frozenset({"one_tensor_per_output"})),
    *(elementwise(n, frozenset({"one_tensor_per_output"}))
      for n in ("Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum")),
]

#: Layers that only ``keras.applications`` builds (not exported by ``keras.layers``): kept out of the registry
#: that user code is looked up in, read by :func:`kerascount.catalogue.application_layer` for the stored graphs.
APPLICATION_SPECS = [
    # keras.src.applications.inception_resnet_v2.CustomScaleLayer: inputs[0] + inputs[1] * scale, no weights.
    dataclasses.replace(elementwise("CustomScaleLayer"), signature=sig("scale"), compute_mask=None),
    # ConvNeXt's LayerScale and StochasticDepth: catalogue/core.py.
]

#: ``keras.layers.concatenate([...], axis=...)`` and friends: function → layer class.
FUNCTIONS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "multiply": "Multiply",
    "subtract": "Subtract",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "dot": "Dot",
}

#: Defaults a layer function gives where its layer has none: ``dot(inputs, axes=-1)``.
FUNCTION_DEFAULTS = {"Dot": {"axes": -1}}
