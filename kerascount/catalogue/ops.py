"""Operations on symbolic tensors: Python operators (``x + y``, ``-x``, ``x @ w``) and ``keras.ops`` calls.

In a functional model Keras 3 records each as an operation of the graph (a class of ``keras.src.ops``),
named from the same counters as layers (``x + y`` is ``add``; a later ``layers.Add()`` is ``add_1``);
``model.summary()`` lists it as a row with 0 params. One spec per operation class: its name, the
signature of its ``keras.ops`` function, its tensor operands (``call_inputs``) and its output shape,
as the class's ``compute_output_spec`` computes it. Spec functions get the bound arguments, in which
each tensor operand is its :class:`~kerascount.ir.TensorRef`, and the shapes of those tensors by ref.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ..ir import ConstantArray, DynamicSize, Shape, SliceKey, TensorRef, Unknown
from ..symbolic import Expr, render
from .errors import InvalidArguments, MergeMismatch, ReshapeMismatch, WrongRank
from .spec import (LayerSpec, MacsFn, Unresolved, arith, count_product, is_int, join_channels, nonpositive, product,
                   unknown_macs,
                   show_shape, sig, split_channels, window_length, zero_macs)

FAMILY = "ops"

Tensors = Mapping[TensorRef, Shape]


# -- operands and axes (as keras.src.ops.operation_utils and backend_utils) -------------------------


def operand(value: Any, tensors: Tensors) -> Shape:
    """An operand's shape: a tensor's, or ``()`` for a Python number (``getattr(x, "shape", [])``)."""
    if isinstance(value, TensorRef):
        return tensors[value]
    if isinstance(value, (int, float, Expr)):
        return ()  # (a symbolic number, `x / x.shape[-1]` of an unknown size, is a Python int too)
    if isinstance(value, ConstantArray):
        return value.shape
    if isinstance(value, (tuple, list)) and any(isinstance(v, TensorRef) for v in value):
        # (`a = layer(x),`: a tuple of tensors, which Keras stacks into one tensor; not followed)
        raise Unresolved(f"the shape of an operand that is a {type(value).__name__} of {len(value)} item(s), "
                         "tensors among them, is not followed")
    raise Unresolved(f"the shape of the operand {render(value) if isinstance(value, Expr) else value!r} "
                     "is not known")


def _tensor_list(value: Any, tensors: Tensors) -> List[Shape]:
    if not isinstance(value, tuple) or not value or not all(isinstance(v, TensorRef) for v in value):
        raise Unresolved("the operands are not a known list of tensors")
    return [tensors[v] for v in value]


def _axis(axis: Any, rank: int) -> int:
    """``canonicalize_axis``: an axis in ``[-rank, rank)`` as a non-negative index."""
    if isinstance(axis, Expr):
        raise Unresolved(f"axis {axis} is not known")
    if not isinstance(axis, int):
        raise InvalidArguments(f"axis {axis!r} is not an integer")
    if not -rank <= axis < rank:
        raise WrongRank(f"axis {axis} is out of bounds for a tensor of rank {rank}")
    return axis % rank


def _axes(axis: Any, rank: int) -> List[int]:
    """An int or a sequence of ints, each canonicalised."""
    return [_axis(a, rank) for a in (axis if isinstance(axis, tuple) else (axis,))]


def _is_one(d: Any) -> bool:
    if isinstance(d, Expr):
        raise Unresolved(f"cannot tell whether {d} is 1")
    return d == 1


def broadcast(s1: Shape, s2: Shape) -> Shape:
    """``broadcast_shapes``: numpy broadcasting, where ``None`` takes the other side's size."""
    rank = max(len(s1), len(s2))
    a = (1,) * (rank - len(s1)) + tuple(s1)
    b = (1,) * (rank - len(s2)) + tuple(s2)
    return tuple(_broadcast_dim(i, j, s1, s2) for i, j in zip(a, b))


def _broadcast_dim(i: Any, j: Any, s1: Shape, s2: Shape) -> Any:
    if i is None or j is None:
        known = j if i is None else i
        if isinstance(known, Expr):
            raise Unresolved(f"cannot tell whether {known} is 1")
        return None if known == 1 else known
    if i == j or j == 1:
        return i
    if i == 1:
        return j
    if isinstance(i, Expr) or isinstance(j, Expr):
        raise Unresolved(f"cannot tell whether {i} and {j} broadcast")
    raise MergeMismatch(f"cannot broadcast {show_shape(tuple(s1))} and {show_shape(tuple(s2))} ({i} vs {j})")


def _reduce(shape: Shape, axis: Any, keepdims: Any) -> Shape:
    """``reduce_shape``: drop (or set to 1 with ``keepdims``) the reduced axes; all of them if None."""
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    axes = _axes(axis, len(shape))
    out = list(shape)
    if keepdims:
        for ax in axes:
            out[ax] = 1
        return tuple(out)
    for ax in sorted(axes, reverse=True):
        del out[ax]
    return tuple(out)


# -- output shapes ------------------------------------------------------------------------------------


def _unary(args, tensors: Tensors) -> Shape:
    return operand(args.x, tensors)


def _variable(args, tensors: Tensors) -> Shape:
    return operand(args.variable, tensors)


def _unary_axes(args, tensors: Tensors) -> Shape:
    """Softmax, LogSoftmax: the shape is kept; an axis (or axes) must exist."""
    shape = _unary(args, tensors)
    if args.axis is not None:
        _axes(args.axis, len(shape))
    return shape


def _unary_axis(args, tensors: Tensors) -> Shape:
    shape = _unary(args, tensors)
    _axis(args.axis, len(shape))
    return shape


def _normalize(args, tensors: Tensors) -> Shape:
    """``keras.ops.normalize``: the input's shape; an integer axis must be one of its axes."""
    shape = operand(args.x, tensors)
    if args.axis is not None:
        _axes(args.axis, len(shape))
    return shape


def _binary(args, tensors: Tensors) -> Shape:
    return broadcast(operand(args.x1, tensors), operand(args.x2, tensors))


def _tensors_binary(args, tensors: Tensors) -> Shape:
    """Hypot, Heaviside: both operands must be tensors (Keras reads their ``.shape``)."""
    if not isinstance(args.x1, TensorRef) or not isinstance(args.x2, TensorRef):
        raise InvalidArguments("both operands must be tensors")
    return _binary(args, tensors)


def _reduction(args, tensors: Tensors) -> Shape:
    return _reduce(operand(args.x, tensors), args.axis, args.keepdims)


def _expand_dims(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    axis = args.axis
    if not isinstance(axis, (int, tuple)):
        raise InvalidArguments(f"expand_dims: axis must be an integer, tuple or list, got {axis!r}")
    axes = _axes(axis, len(shape) + (len(axis) if isinstance(axis, tuple) else 1))
    if len(set(axes)) != len(axes):
        raise InvalidArguments(f"expand_dims: axis {axis} repeats an axis")
    rest = iter(shape)
    return tuple(1 if i in axes else next(rest) for i in range(len(shape) + len(axes)))


def _pad_widths(pad_width: Any, rank: int) -> List[Tuple[Any, Any]]:
    """``Pad._process_pad_width`` then ``Pad.compute_output_spec``: an int pads every axis on both sides, a
    sequence of ints (its first two items: before, after) every axis alike, a sequence of pairs one pair for
    every axis or each axis its own pair."""
    def width(v: Any) -> Any:
        if isinstance(v, Expr) or is_int(v) and not isinstance(v, bool):
            return v
        if isinstance(v, Unknown):
            raise Unresolved(f"pad width is not known ({v.reason})")
        raise Unresolved(f"pad width {v!r} is not an integer")

    if is_int(pad_width) and not isinstance(pad_width, bool):
        widths = [(pad_width, pad_width)]
    elif isinstance(pad_width, tuple) and pad_width and is_int(pad_width[0]) and not isinstance(pad_width[0], bool):
        if len(pad_width) < 2:  # Keras reads pad_width[0][1]: "tuple index out of range"
            raise InvalidArguments(f"pad: pad_width={pad_width!r} has one number; Keras reads a (before, after) pair")
        widths = [(pad_width[0], pad_width[1])]
    elif isinstance(pad_width, tuple) and pad_width and all(isinstance(p, tuple) for p in pad_width):
        if len({len(p) for p in pad_width}) != 1:
            raise InvalidArguments(f"pad: `pad_width` should be a list of tuples of length 1 or 2, got {pad_width!r}")
        if len(pad_width[0]) < 2:  # made pairs in place (a list) or TypeError (a tuple): not followed
            raise Unresolved("pad: pad widths of one number each are not followed")
        widths = [(p[0], p[1]) for p in pad_width]
    else:
        raise Unresolved(f"pad: pad_width {pad_width!r} is not known")
    if len(widths) == 1:
        widths = widths * rank
    elif len(widths) != rank:
        raise WrongRank(f"pad: `pad_width` must have the same length as the input's rank ({rank}), got "
                        f"{len(widths)} pairs")
    return [(width(a), width(b)) for a, b in widths]


def _pad(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    widths = _pad_widths(args.pad_width, len(shape))
    return tuple(None if d is None else arith(lambda: d + a + b, "pad") for d, (a, b) in zip(shape, widths))


def _squeeze(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    if args.axis is None:
        return tuple(d for d in shape if d is None or not _is_one(d))
    axes = _axes(args.axis, len(shape))
    for a in axes:
        if shape[a] is None or not _is_one(shape[a]):
            raise WrongRank(f"squeeze: axis {a} of {show_shape(shape)} is not 1")
    out = list(shape)
    for a in sorted(axes, reverse=True):
        del out[a]
    return tuple(out)


def _reshape(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    target = args.newshape if isinstance(args.newshape, tuple) else (args.newshape,)
    if args.newshape is None or any(isinstance(d, TensorRef) for d in target):
        # the new shape is a tensor the graph made (`tf.reshape(x, tf.concat([tf.shape(x)[:-1], [g, k]], 0))`),
        # which reaches here as None: how many sizes it holds is not followed (rank 1 would be a guess)
        raise Unresolved("newshape is a tensor whose values are not followed")
    # None: a dynamic size (`ops.shape(x)[0]` of a batch), which compute_reshape_output_shape keeps None.
    if not all(d is None or is_int(d) for d in target):
        raise Unresolved(f"newshape {target!r} is not known")
    if any(isinstance(d, int) and d < -1 for d in target) or sum(1 for d in target if d == -1) > 1:
        raise ReshapeMismatch(f"reshape: newshape {show_shape(target)} must hold sizes and at most one -1")
    if None in shape or None in target:
        return tuple(None if d == -1 else d for d in target)
    size = product(shape)
    known = product([d for d in target if d != -1])
    if isinstance(size, Expr) or isinstance(known, Expr):
        if -1 not in target and size == known:
            return target
        raise Unresolved(f"reshape: cannot tell whether {show_shape(shape)} fits {show_shape(target)}")
    if -1 not in target:
        if size != known:
            raise ReshapeMismatch(f"reshape: {show_shape(shape)} has {size:,} values, newshape {show_shape(target)} "
                                  f"{known:,}")
        return target
    if known == 0 or size % known:
        raise ReshapeMismatch(f"reshape: {show_shape(shape)} has {size:,} values, which newshape "
                              f"{show_shape(target)} cannot divide")
    return tuple(size // known if d == -1 else d for d in target)


def _transpose(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    if args.axes is None:
        return tuple(reversed(shape))
    axes = args.axes
    if isinstance(axes, tuple) and any(isinstance(a, Expr) for a in axes):
        raise Unresolved(f"axes {show_shape(axes)} are not known")
    if not isinstance(axes, tuple) or len(axes) != len(shape) or \
            not all(isinstance(a, int) and -len(shape) <= a < len(shape) for a in axes) or \
            len({a % len(shape) for a in axes}) != len(shape):
        raise WrongRank(f"transpose: axes {axes} are not a permutation of the axes of {show_shape(shape)}")
    return tuple(shape[a] for a in axes)


def _same_except(shapes: List[Shape], axis: Optional[int]) -> bool:
    """``shape_equal(..., axis=[axis], allow_none=True)`` of every shape with the first."""
    first = shapes[0]
    for s in shapes[1:]:
        if len(s) != len(first):
            return False
        for i, (a, b) in enumerate(zip(first, s)):
            if i == axis or a is None or b is None or a == b:
                continue
            if isinstance(a, Expr) or isinstance(b, Expr):
                raise Unresolved(f"cannot tell whether {a} and {b} agree")
            return False
    return True


def _concatenate(args, tensors: Tensors) -> Shape:
    shapes = _tensor_list(args.xs, tensors)
    if args.axis is None:
        raise InvalidArguments("concatenate: axis cannot be None")
    axis = _axis(args.axis, len(shapes[0]))
    if not _same_except(shapes, axis):
        raise MergeMismatch("concatenate: shapes " + ", ".join(show_shape(s) for s in shapes) +
                            f" differ outside axis {args.axis}")
    sizes = [s[axis] for s in shapes]
    out = list(shapes[0])
    out[axis] = None if None in sizes else arith(lambda: sum(sizes), "concatenate")
    return tuple(out)


def _stack(args, tensors: Tensors) -> Shape:
    shapes = _tensor_list(args.x, tensors)
    axis = _axis(args.axis, len(shapes[0]) + 1)
    if not _same_except(shapes, None):
        raise MergeMismatch("stack: shapes " + ", ".join(show_shape(s) for s in shapes) + " differ")
    out = list(shapes[0])
    out.insert(axis, len(shapes))
    return tuple(out)


def _meshgrid(args, tensors: Tensors) -> Tuple[Shape, ...]:
    """``keras.ops.meshgrid(*x, indexing=...)`` (``Meshgrid.compute_output_spec``; the evaluator gives the inputs as
    one tuple, ``x``): each input counts as its number of items (None when one of its sizes is), the first two
    swapped with ``"xy"``; one such shape per input."""
    shapes = _tensor_list(args.x, tensors)
    if not isinstance(args.indexing, str) or args.indexing not in ("xy", "ij"):
        raise InvalidArguments(f"Valid values for `indexing` are 'xy' and 'ij', but received {args.indexing!r}.")
    sizes = []
    for shape in shapes:
        if any(isinstance(d, Expr) for d in shape):
            raise Unresolved("`keras.ops.meshgrid` of a size that is not known")
        sizes.append(None if None in shape else count_product(shape))
    if args.indexing == "xy":
        if len(sizes) < 2:  # (Keras swaps the first two sizes: IndexError on a list of one)
            raise InvalidArguments("`keras.ops.meshgrid` of one tensor with indexing='xy' (Keras raises IndexError)")
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return tuple(tuple(sizes) for _ in shapes)


def _take(args, tensors: Tensors) -> Shape:
    """``keras.ops.take(x, indices, axis=None)`` (``Take.compute_output_spec``): the indices' shape put in place of
    the axis taken from (the indices' shape alone with no axis: the flattened input)."""
    x = operand(args.x, tensors)
    if isinstance(args.indices, (TensorRef, ConstantArray)):
        indices = operand(args.indices, tensors)
    elif is_int(args.indices) and not isinstance(args.indices, bool):
        indices = ()
    elif isinstance(args.indices, tuple) and args.indices and all(is_int(i) and not isinstance(i, bool)
                                                                  for i in args.indices):
        indices = (len(args.indices),)  # (a flat list of positions; nested lists are left unknown)
    else:
        raise Unresolved("the indices of `keras.ops.take` are not a known tensor or list of positions")
    if args.axis is None:
        return tuple(indices)
    axis = _axis(args.axis, len(x))
    return tuple(x[:axis]) + tuple(indices) + tuple(x[axis + 1:])


def _take_along_axis(args, tensors: Tensors) -> Shape:
    """``keras.ops.take_along_axis(x, indices, axis=None)`` (``compute_take_along_axis_output_shape``): the input's
    shape (flattened with no axis) with the indices' size on the axis, broadcast with the indices' shape."""
    x = list(operand(args.x, tensors))
    if not isinstance(args.indices, (TensorRef, ConstantArray)):
        raise Unresolved("the indices of `keras.ops.take_along_axis` are not a known tensor")
    indices = operand(args.indices, tensors)
    if args.axis is None:
        if any(isinstance(d, Expr) for d in x):
            raise Unresolved("`keras.ops.take_along_axis` with no axis of a shape that is not known")
        x = [None] if None in x else [math.prod(x)]
    if len(x) != len(indices):
        raise WrongRank(f"`x` and `indices` must have the same number of dimensions, but receive shape "
                        f"{show_shape(tuple(x))} and {show_shape(tuple(indices))}")
    axis = 0 if args.axis is None else _axis(args.axis, len(x))
    x[axis] = indices[axis]
    return broadcast(tuple(x), tuple(indices))


def _top_k(args, tensors: Tensors) -> Tuple[Shape, Shape]:
    """``keras.ops.top_k(x, k)`` (``TopK.compute_output_spec``): the (values, indices) pair, each of the input's
    shape with ``k`` as its last size."""
    x = operand(args.x, tensors)
    if not x:
        raise WrongRank("`keras.ops.top_k` of a scalar")
    if not (is_int(args.k) and not isinstance(args.k, bool) or isinstance(args.k, Expr)):
        raise Unresolved("`k` of `keras.ops.top_k` is not a known number")
    shape = (*x[:-1], args.k)
    return shape, shape


def _matmul(args, tensors: Tensors) -> Shape:
    s1, s2 = operand(args.x1, tensors), operand(args.x2, tensors)
    if not s1 or not s2:
        raise Unresolved("matmul of a scalar")
    a = (1, *s1) if len(s1) == 1 else s1
    b = (*s2, 1) if len(s2) == 1 else s2
    i, j = a[-1], b[-2]
    if i is not None and j is not None and i != j:
        if isinstance(i, Expr) or isinstance(j, Expr):
            raise Unresolved(f"cannot tell whether {i} and {j} agree")
        raise MergeMismatch(f"matmul: inner dimensions of {show_shape(s1)} and {show_shape(s2)} differ ({i} vs {j})")
    out = [*broadcast(a[:-2], b[:-2]), a[-2], b[-1]]
    if len(s1) == 1:
        del out[-2]
    if len(s2) == 1:
        del out[-1]
    return tuple(out)


def _tensordot_axes(args, tensors: Tensors) -> Tuple[Shape, Shape, List[int], List[int]]:
    """The operands' shapes and the axes ``keras.ops.tensordot`` contracts in each (non-negative indices): an int
    ``n`` the last ``n`` of ``x1`` and the first ``n`` of ``x2`` (as far as the ranks go), two lists those."""
    s1, s2 = operand(args.x1, tensors), operand(args.x2, tensors)
    axes = args.axes
    if isinstance(axes, Expr):
        raise Unresolved(f"`axes` of `keras.ops.tensordot` ({axes}) is not known")
    if is_int(axes) and not isinstance(axes, bool):
        n = max(axes, 0)
        return s1, s2, list(range(max(len(s1) - n, 0), len(s1))) if n else [], list(range(min(n, len(s2))))
    if not isinstance(axes, (tuple, list)) or len(axes) != 2:
        raise Unresolved(f"`axes` of `keras.ops.tensordot` ({axes!r}) is not known")
    if not all(isinstance(a, (tuple, list)) for a in axes):
        raise InvalidArguments(f"tensordot: `axes` {axes!r} is neither an int nor two lists of axes")
    if not all(is_int(i) and not isinstance(i, bool) for a in axes for i in a):
        raise Unresolved(f"`axes` of `keras.ops.tensordot` ({axes!r}) are not known ints")
    picked = []
    for shape, chosen in ((s1, axes[0]), (s2, axes[1])):
        if any(not -len(shape) <= i < len(shape) for i in chosen):
            raise WrongRank(f"tensordot: axes {list(chosen)} of a tensor of rank {len(shape)}")
        picked.append([i % len(shape) for i in chosen])
    if len(picked[0]) != len(picked[1]):
        raise MergeMismatch(f"tensordot: {len(picked[0])} axes of the first tensor against {len(picked[1])} of the "
                            "second")
    return s1, s2, picked[0], picked[1]


def _tensordot(args, tensors: Tensors) -> Shape:
    """``keras.ops.tensordot(x1, x2, axes)`` (``Tensordot.compute_output_spec``): an int ``n`` contracts the last
    ``n`` axes of ``x1`` with the first ``n`` of ``x2`` (0 or less: none, the outer product); two lists of axes
    contract those. The output: ``x1``'s other axes, then ``x2``'s. Keras raises where two contracted sizes it
    knows differ, for lists of axes; for an int it does not look (the backend raises when it computes the product:
    in a traced ``call``, ``OpsCalls.new_operation`` checks it)."""
    s1, s2, a1, a2 = _tensordot_axes(args, tensors)
    if not is_int(args.axes):
        for i, j in zip(a1, a2):
            d1, d2 = s1[i], s2[j]
            if d1 is not None and d2 is not None and d1 != d2:
                if isinstance(d1, Expr) or isinstance(d2, Expr):
                    raise Unresolved(f"cannot tell whether {d1} and {d2} agree")
                raise MergeMismatch(f"tensordot: the contracted sizes of {show_shape(s1)} and {show_shape(s2)} "
                                    f"differ ({d1} vs {d2})")
    return (*(d for k, d in enumerate(s1) if k not in a1), *(d for k, d in enumerate(s2) if k not in a2))


def _ravel(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    return (None,) if None in shape else (product(shape),)


def _cumulative(args, tensors: Tensors) -> Shape:
    """Cumsum, Cumprod: along an axis, the input's shape; with ``axis=None``, over the flattened input."""
    if args.axis is None:
        return _ravel(args, tensors)
    shape = operand(args.x, tensors)
    _axis(args.axis, len(shape))
    return shape


def _einsum(args, tensors: Tensors) -> Shape:
    """``keras.ops.einsum(subscripts, *operands)``: ``Einsum.compute_output_spec``, step by step as Keras does it
    (letters seen once are kept, twice reduced, unless the output spec says otherwise; each operand's sizes are put
    in place of its letters in the target spec, 1 for the letters it lacks, then the results are broadcast)."""
    subscripts = args.subscripts
    if not isinstance(subscripts, str):
        raise Unresolved("the subscripts of `keras.ops.einsum` are not a known string")
    if not isinstance(args.operands, tuple) or not args.operands:
        raise Unresolved("the operands of `keras.ops.einsum` are not known")
    shapes = [operand(v, tensors) for v in args.operands]  # (an array among them: its shape, as Keras reads it)
    parts = subscripts.split("->")
    if len(parts) > 2:
        raise InvalidArguments(f"einsum: at most one '->' is supported, got {subscripts!r}")
    inputs, output = (parts[0], parts[1]) if len(parts) == 2 else (subscripts, None)
    specs = inputs.split(",")
    if len(specs) != len(shapes):
        raise InvalidArguments(f"einsum: {len(shapes)} operands for {len(specs)} input specs in {subscripts!r}")
    reduced: set = set()
    kept: set = set()
    for c in inputs:
        if not c.isalpha():
            continue
        if c not in reduced and c not in kept:
            kept.add(c)
        elif c in kept:
            kept.remove(c)
            reduced.add(c)
    if output is not None:
        kept, reduced = ({c for c in kept if c in output} | {c for c in reduced if c in output},
                         {c for c in kept if c not in output} | {c for c in reduced if c not in output})
    target = f"...{''.join(sorted(kept))}" if output is None else output
    expanded = []
    for shape, spec in zip(shapes, specs):
        if not all(d is None or is_int(d) for d in shape):
            raise Unresolved("einsum of a tensor whose sizes are not all known numbers is not followed")
        sizes = [-1 if d is None else d for d in shape]
        split = spec.split("...")
        text = target
        if len(split) == 1:
            if len(sizes) != len(split[0]):
                raise WrongRank(f"einsum: subscript {spec!r} does not match an operand of rank {len(sizes)}")
            for size, c in zip(sizes, split[0]):
                text = text.replace(c, f"{size} ")
            text = text.replace("...", "")
        else:
            if len(split) > 2 or len(split[0]) + len(split[1]) > len(sizes):
                raise Unresolved(f"einsum: the subscript {spec!r} of an operand of rank {len(sizes)} is not followed")
            for i in range(len(split[0])):
                text = text.replace(split[0][i], f"{sizes[i]} ")
            for i in range(len(split[1])):
                text = text.replace(split[1][-i - 1], f"{sizes[-i - 1]} ")
            end = len(sizes) if not split[1] else -len(split[1])
            text = text.replace("...", f"{' '.join(str(d) for d in sizes[len(split[0]):end])} ")
        tokens = "".join("1 " if "a" <= c <= "z" else c for c in text).split()
        if not all(t.lstrip("-").isdigit() for t in tokens):
            # (what is left of the target spec is not sizes, an upper-case letter: Keras's int() raises ValueError)
            raise InvalidArguments(f"einsum: the subscripts {subscripts!r} are not lower-case letters")
        expanded.append(tuple(None if t == "-1" else int(t) for t in tokens))
    out = expanded[0]
    for shape in expanded[1:]:
        out = broadcast(out, shape)
    return out


def _one_hot(args, tensors: Tensors) -> Shape:
    """``keras.ops.one_hot(x, num_classes, axis=-1)`` (``OneHot.compute_output_spec``): ``num_classes`` appended
    (axis -1) or put in at an axis of the input (0 to its rank, exclusive); any other axis raises."""
    shape = list(operand(args.x, tensors))
    classes, axis = args.num_classes, args.axis
    if not (is_int(classes) or isinstance(classes, Expr)) or isinstance(classes, bool) or \
            not isinstance(axis, int) or isinstance(axis, bool):
        raise Unresolved("`keras.ops.one_hot` of a class count or axis that is not a known integer is not followed")
    if axis == -1:
        shape.append(classes)
    elif 0 <= axis < len(shape):
        shape.insert(axis, classes)
    else:
        raise InvalidArguments(f"one_hot: axis must be -1 or between [0, {len(shape)}), got {axis}")
    return tuple(shape)


def _outer(args, tensors: Tensors) -> Shape:
    """``keras.ops.outer(x1, x2)`` (``Outer.compute_output_spec``): each operand flattened, a number as one item."""
    def size(value: Any) -> Any:
        shape = operand(value, tensors) if isinstance(value, (TensorRef, ConstantArray)) else (1,)
        return None if None in shape else product(shape)
    return size(args.x1), size(args.x2)


def _sorted(args, tensors: Tensors) -> Shape:
    """Sort, Argsort: along an axis, the input's shape (the axis must exist); with ``axis=None``, over the
    flattened input."""
    return _cumulative(args, tensors)


def _diff(args, tensors: Tensors) -> Shape:
    """``keras.ops.diff(a, n=1, axis=-1)`` (``Diff.compute_output_spec``): the axis shortened by ``n`` (to no
    less than 0); a size that is None stays None."""
    shape = list(operand(args.a, tensors))
    axis = _axis(args.axis, len(shape))
    size, n = shape[axis], args.n
    if size is not None:
        if not isinstance(size, int) or not isinstance(n, int) or isinstance(n, bool):
            raise Unresolved("`keras.ops.diff` of an axis or a count that is not a known number is not followed")
        shape[axis] = max(size - n, 0)
    return tuple(shape)


def _swapaxes(args, tensors: Tensors) -> Shape:
    shape = operand(args.x, tensors)
    a, b = _axis(args.axis1, len(shape)), _axis(args.axis2, len(shape))
    out = list(shape)
    out[a], out[b] = out[b], out[a]
    return tuple(out)


def _get_item(args, tensors: Tensors) -> Shape:
    """``x[key]``, as ``GetItem.compute_output_spec``: ints drop an axis (bounds-checked where its size
    is known), slices keep it (``len(range(*slice.indices(size)))``), ``None`` adds one, one ``...``
    stands for the axes the rest of the key does not name. A bare slice or ``None`` as the whole key,
    a list or a float inside a tuple key: Keras raises "Unsupported key type"."""
    shape = list(operand(args.x, tensors))
    key = args.key
    if isinstance(key, tuple):
        remaining = list(key)
    elif _is_index(key):
        remaining = [key]
    else:
        shown = _show_key(key)
        hint = f"; a tuple works: [{shown}, ...] on the batch axis, [:, {shown}] on the next" if isinstance(
            key, SliceKey) else f"; a tuple works: [{shown}, ...]" if key is None or key is Ellipsis else ""
        raise InvalidArguments(f"Keras cannot index a symbolic tensor with [{shown}] (unsupported key type){hint}")
    for part in remaining:
        if isinstance(part, (TensorRef, Unknown)) or isinstance(part, SliceKey) and any(
                isinstance(p, Unknown) for p in (part.start, part.stop, part.step)):
            raise Unresolved(f"the index {_show_key(part)} is not known")
    if remaining.count(Ellipsis) > 1:
        raise InvalidArguments("a tensor index can only have one ellipsis (...)")
    if Ellipsis not in remaining:
        remaining.append(Ellipsis)
    whole = "[" + _show_key(key if isinstance(key, tuple) else (key,)) + "]"
    out: List[Any] = []
    while remaining:
        part = remaining.pop(0)
        if part is Ellipsis:
            consumed = len(shape) - (len(remaining) - remaining.count(None))
            out += shape[:consumed]  # list slicing, as in Keras (a negative count counts from the end)
            shape = shape[consumed:]
        elif part is None:
            out.append(1)
        elif not shape:
            raise WrongRank(f"the tensor has fewer axes than the index {whole} names")
        elif isinstance(part, SliceKey):
            size = shape.pop(0)
            out.append(None if size is None else _slice_length(part, size))
        elif not _is_index(part):
            raise InvalidArguments(f"Keras cannot index a tensor with {_show_key(part)} (ints, slices, None and ... "
                                   "only)")
        else:
            size = shape.pop(0)
            if size is None:
                continue
            if isinstance(part, Expr) or isinstance(size, Expr):
                raise Unresolved(f"cannot tell whether index {_show_key(part)} is within an axis of size {size}")
            index = int(part) if part >= 0 else int(part) + size
            if not 0 <= index < size:
                raise WrongRank(f"index {part} is out of bounds for an axis of size {size} in {whole}")
    return tuple(out)


#: The most parts a ``split`` is followed into (each part is a tensor the analysis makes; Keras makes one KerasTensor
#: per part too, so a count past this is no model anyone builds).
MAX_SPLIT_PARTS = 4096


def _sections(args) -> Any:
    """``indices_or_sections`` of ``split``: a positive int, or sorted non-negative int indices (a tuple)."""
    given = args.get("indices_or_sections")
    if isinstance(given, int) and not isinstance(given, bool) and given > MAX_SPLIT_PARTS:
        raise Unresolved(f"`keras.ops.split` into {given} parts is not followed (at most {MAX_SPLIT_PARTS:,})")
    if isinstance(given, int) and not isinstance(given, bool) and given > 0:
        return given
    if isinstance(given, tuple) and len(given) >= MAX_SPLIT_PARTS:
        raise Unresolved(f"`keras.ops.split` at {len(given)} indices is not followed (at most {MAX_SPLIT_PARTS - 1:,})")
    if isinstance(given, tuple) and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in given) \
            and list(given) == sorted(given):
        return given
    raise Unresolved(f"`keras.ops.split` with indices_or_sections={given!r} is not followed (a positive int or "
                     "sorted indices are)")


def _split_count(args) -> int:
    sections = _sections(args)
    return sections if isinstance(sections, int) else len(sections) + 1


def _split(args, tensors: Tensors) -> Tuple[Shape, ...]:
    """``keras.ops.split``: ``_compute_split_output_spec``, one shape per part (a list of tensors)."""
    shape = operand(args.x, tensors)
    sections = _sections(args)
    axis = _axis(args.get("axis"), len(shape))
    size = shape[axis]
    if isinstance(size, Expr):
        raise Unresolved(f"`keras.ops.split` of a size {render(size)} that is not known")
    if isinstance(sections, int):
        if size is not None and size % sections:
            raise InvalidArguments(f"`keras.ops.split`: size {size} on axis {axis} is not divisible by {sections}")
        sizes = [None if size is None else size // sections] * sections
    else:
        if size is not None and any(i > size for i in sections):
            # the last part's size, size - index, is negative: KerasTensor refuses the shape
            raise InvalidArguments(f"`keras.ops.split` at index {max(sections)}, past the size {size} of axis {axis}")
        bounds = [0, *sections, size]
        sizes = [None if b is None else b - a for a, b in zip(bounds, bounds[1:])]
    return tuple(shape[:axis] + (d,) + shape[axis + 1:] for d in sizes)


def _int_sequence(value: Any, what: str) -> Tuple[Any, ...]:
    """An int (as ``(int,)``) or a tuple of ints or symbolic sizes: ``tile``'s and ``repeat``'s ``repeats``."""
    items = (value,) if is_int(value) or isinstance(value, Expr) else value
    if not isinstance(items, tuple) or not all((is_int(v) or isinstance(v, Expr)) and not isinstance(v, bool)
                                               for v in items):
        raise Unresolved(f"{what} {value!r} is not known as ints")
    return items


def _broadcast_to(args, tensors: Tensors) -> Shape:
    """``keras.ops.broadcast_to(x, shape)``: ``BroadcastTo.compute_output_spec`` checks that ``x`` broadcasts
    with ``shape`` (``broadcast_shapes``) and gives ``shape`` as written (None where a size is known only when
    the model runs, ``ops.shape(x)[0]``)."""
    shape = operand(args.x, tensors)
    target = args.shape
    if is_int(target) and not isinstance(target, bool):  # KerasTensor(shape=4): "Cannot convert '4' to a shape"
        raise InvalidArguments(f"broadcast_to: shape {target!r} is not a tuple")
    if not isinstance(target, tuple) or not all(d is None or (is_int(d) or isinstance(d, Expr)) and
                                                not isinstance(d, bool) for d in target):
        raise Unresolved(f"broadcast_to: shape {target!r} is not known")
    if any(is_int(d) and d < 0 for d in target):
        raise InvalidArguments(f"broadcast_to: shape {show_shape(target)} has a negative size")
    broadcast(shape, target)  # raises where they do not broadcast
    return target


def _tile(args, tensors: Tensors) -> Shape:
    """``keras.ops.tile(x, repeats)``: ``Tile.compute_output_spec``, the shorter of the shape and ``repeats``
    padded with 1s in front, each known size times its repeat (None stays None)."""
    shape = list(operand(args.x, tensors))
    repeats = list(_int_sequence(args.repeats, "tile: repeats"))
    if len(shape) > len(repeats):
        repeats = [1] * (len(shape) - len(repeats)) + repeats
    else:
        shape = [1] * (len(repeats) - len(shape)) + shape
    return tuple(None if d is None else arith(lambda: d * r, "tile") for d, r in zip(shape, repeats))


def _repeat(args, tensors: Tensors) -> Shape:
    """``keras.ops.repeat(x, repeats, axis=None)``: ``Repeat.compute_output_spec``. Without an axis, over the
    flattened input (``(None,)`` where a size is None); along an axis, that axis's size times one repeat, or the
    sum of one repeat per element (their count must be the size); a None size stays None."""
    shape = operand(args.x, tensors)
    if args.repeats is None and (args.axis is None or is_int(args.axis) and not isinstance(args.axis, bool) and
                                 -len(shape) <= args.axis < len(shape)):
        # a count read from an open size (`ops.repeat(cls_token, ops.shape(x)[0], axis=0)` in a layer's call):
        # known only when the model runs, so is the size it makes (None), as in Keras's trace of the call
        if args.axis is None:
            return (None,)
        return tuple(None if i == args.axis % len(shape) else d for i, d in enumerate(shape))
    repeats = _int_sequence(args.repeats, "repeat: repeats")
    if args.axis is None:
        if None in shape:
            return (None,)
        size = product(shape)
        if len(repeats) == 1:
            return (arith(lambda: size * repeats[0], "repeat"),)
        if isinstance(size, Expr):
            raise Unresolved(f"repeat: cannot tell whether {len(repeats)} repeats fit {show_shape(shape)}")
        if len(repeats) != size:
            raise InvalidArguments(f"repeat: {len(repeats)} repeats for {size} values")
        return (arith(lambda: sum(repeats), "repeat"),)
    if isinstance(args.axis, Expr) or not is_int(args.axis) or isinstance(args.axis, bool):
        raise Unresolved(f"repeat: axis {args.axis!r} is not known")
    if not -len(shape) <= args.axis < len(shape):  # Keras indexes the shape list: IndexError past its end
        raise WrongRank(f"repeat: axis {args.axis} is out of bounds for a tensor of rank {len(shape)}")
    out = list(shape)
    size = out[args.axis]
    if size is None:
        return tuple(out)
    if len(repeats) == 1:
        out[args.axis] = arith(lambda: size * repeats[0], "repeat")
    elif isinstance(size, Expr):
        raise Unresolved(f"repeat: cannot tell whether {len(repeats)} repeats fit axis {args.axis} of size {size}")
    elif size != len(repeats):
        raise InvalidArguments(f"repeat: {len(repeats)} repeats for axis {args.axis} of size {size}")
    else:
        out[args.axis] = arith(lambda: sum(repeats), "repeat")
    return tuple(out)


def _where(args, tensors: Tensors) -> Shape:
    """``keras.ops.where(condition, x1, x2)``: the broadcast of the three shapes (a Python number is ``()``).
    Only one of ``x1`` and ``x2`` given: Keras raises; neither: not followed (a symbolic call gives the
    condition's shape, the backends' ``where(condition)`` the indices of its nonzero values, as NumPy's)."""
    if (args.x1 is None) != (args.x2 is None):
        raise InvalidArguments("where: `x1` and `x2` either both should be `None` or both should have non-None "
                               "value")
    if args.x1 is None:
        raise Unresolved("`keras.ops.where(condition)` without `x1` and `x2` is not followed")
    return broadcast(broadcast(operand(args.condition, tensors), operand(args.x1, tensors)),
                     operand(args.x2, tensors))


def _fourier(axes: int):
    """``keras.ops.fft`` (``axes`` 1) and ``fft2`` (2): ``FFT.compute_output_spec`` of a (real, imaginary) pair
    of tensors of one shape, whose last ``axes`` sizes are known: the pair of that shape again."""
    def shape(args, tensors: Tensors) -> Tuple[Shape, Shape]:
        pair = args.x
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidArguments("`x` must be a tuple of two tensors, the real and imaginary parts")
        if not all(isinstance(p, TensorRef) for p in pair):
            raise Unresolved("a part of the (real, imaginary) pair is not a tensor")
        real, imag = (tensors[p] for p in pair)
        if real != imag:
            raise InvalidArguments(f"the real and imaginary parts differ in shape: {show_shape(real)} and "
                                   f"{show_shape(imag)}")
        if len(real) < axes or any(d is None for d in real[len(real) - axes:]):
            raise InvalidArguments(f"the input {show_shape(real)} must have its last {axes} axes fully defined")
        return real, imag
    return shape


def _rfft(args, tensors: Tensors) -> Tuple[Shape, Shape]:
    """``keras.ops.rfft(x, fft_length)``: ``RFFT.compute_output_spec``, a (real, imaginary) pair of the input's
    shape with the last size ``fft_length // 2 + 1`` (of the input's last size when ``fft_length`` is None)."""
    shape = operand(args.x, tensors)
    if len(shape) < 1:
        raise WrongRank(f"the input {show_shape(shape)} must have rank >= 1")
    n = shape[-1] if args.fft_length is None else args.fft_length
    if n is not None and not isinstance(n, Expr) and not is_int(n):
        raise Unresolved(f"`fft_length` {n!r} is not followed")
    out = (*shape[:-1], None if n is None else arith(lambda: n // 2 + 1, "rfft"))
    return out, out


def _pair(value: Any, what: str) -> Tuple[Any, Any]:
    pair = (value, value) if not isinstance(value, tuple) else value
    if len(pair) == 2 and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in pair):
        return pair
    raise Unresolved(f"`keras.ops.image.extract_patches` with {what}={value!r} is not followed (2D patches of "
                     "positive int sizes are)")


def _extract_patches(args, tensors: Tensors) -> Shape:
    """``keras.ops.image.extract_patches(images, size, ...)``: ``ExtractPatches.compute_output_spec`` of 2D
    patches, a convolution's output shape (``compute_conv_output_shape``) with ``size[0] * size[1] * channels``
    filters, on a batched (rank 4) or unbatched (rank 3) image. ``data_format`` None is the configuration,
    resolved by the caller (extract/ops_calls.py)."""
    shape = operand(args.get("images"), tensors)
    size = _pair(args.get("size"), "size")
    strides = args.get("strides")
    strides = _pair(size if strides is None else strides, "strides")
    dilation = _pair(args.get("dilation_rate"), "dilation_rate")
    if dilation != (1, 1) and strides != (1, 1):
        raise Unresolved("`keras.ops.image.extract_patches` with both dilation and strides is not followed (the "
                         "backends do not all run it)")
    padding = args.get("padding")
    if padding not in ("valid", "same"):
        # compute_conv_output_shape takes the padding as written: "SAME" (TensorFlow's spelling) raises
        raise InvalidArguments(f"`keras.ops.image.extract_patches`: padding must be 'valid' or 'same', "
                               f"got {padding!r}")
    data_format = args.get("data_format") or "channels_last"
    if data_format not in ("channels_last", "channels_first") or len(shape) not in (3, 4):
        raise Unresolved("`keras.ops.image.extract_patches` on this input is not followed")
    full = shape if len(shape) == 4 else (1, *shape)
    channels, spatial = (full[-1], full[1:3]) if data_format == "channels_last" else (full[1], full[2:])
    if channels is None:
        raise InvalidArguments("`keras.ops.image.extract_patches` on images whose channels are None "
                               "(Keras multiplies the patch size by them)")
    out = tuple(window_length(L, k, s, padding, d) for L, k, s, d in zip(spatial, size, strides, dilation))
    if padding == "valid" and any(isinstance(d, int) and d <= 0 for d in out):
        raise InvalidArguments(f"`keras.ops.image.extract_patches` of size {size} on images {show_shape(shape)}: "
                               "Keras computes an output size of zero or less")
    filters = arith(lambda: size[0] * size[1] * channels, "patch depth")
    result = (full[0], *out, filters) if data_format == "channels_last" else (full[0], filters, *out)
    return result if len(shape) == 4 else result[1:]


def _pool(name: str):
    def output_shape(args, tensors: Tensors) -> Shape:
        """``keras.ops.max_pool`` / ``average_pool``: ``compute_pooling_output_shape`` (ops/operation_utils.py):
        ``padding`` lower-cased, ``strides`` the pool size when None, a window that does not fit an error; a pool
        size or strides of another length than the spatial axes (which NumPy's broadcasting reads its own way)
        is not followed."""
        shape = operand(args.get("inputs"), tensors)
        if len(shape) < 3:
            raise InvalidArguments(f"`keras.ops.{name}` needs a batched input with channels, got {show_shape(shape)}")
        rank = len(shape) - 2
        padding = args.get("padding")
        padding = padding.lower() if isinstance(padding, str) else padding
        if padding not in ("valid", "same"):
            raise InvalidArguments(f"`keras.ops.{name}`: padding must be 'valid' or 'same', got {padding!r}")
        pool = _sizes(args.get("pool_size"), rank, "pool_size", name)
        strides = pool if args.get("strides") is None else _sizes(args.get("strides"), rank, "strides", name)
        data_format = args.get("data_format") or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise InvalidArguments(f"`keras.ops.{name}`: data_format {data_format!r}")
        channels, spatial = split_channels(shape, data_format)
        out = tuple(window_length(L, p, st, padding) for L, p, st in zip(spatial, pool, strides))
        if nonpositive(out):
            raise InvalidArguments(f"`keras.ops.{name}`: the pool does not fit the input {show_shape(shape)}")
        return join_channels(shape[0], out, channels, data_format)

    return output_shape


def _sizes(value: Any, rank: int, what: str, name: str) -> Tuple[int, ...]:
    """A pool size or strides: one positive int for every spatial axis, or one per axis."""
    sizes = (value,) * rank if is_int(value) else tuple(value) if isinstance(value, (tuple, list)) else None
    if sizes is None or len(sizes) != rank or not all(is_int(v) and v > 0 for v in sizes):
        raise Unresolved(f"`keras.ops.{name}` with {what}={value!r} is not followed")
    return sizes


def _is_index(part: Any) -> bool:
    """An int index (``bool`` is one, as ``isinstance(True, int)`` in Keras's check)."""
    return is_int(part) or isinstance(part, bool)


def _slice_length(part: SliceKey, size: Any) -> Any:
    bounds = (part.start, part.stop, part.step)
    if isinstance(size, Expr) and part.start in (None, 0) and part.stop is None and part.step in (None, 1) and \
            not any(isinstance(p, bool) for p in bounds):
        return size  # `x[:, -1:]`: the whole axis of a size not known (the batch's)
    if isinstance(size, Expr) or any(isinstance(p, Expr) for p in bounds):
        raise Unresolved(f"the length of the slice {_show_key(part)} of an axis of size {size} is not computed")
    if not all(p is None or isinstance(p, int) for p in bounds):
        raise InvalidArguments(f"slice {_show_key(part)}: slice indices must be integers or None")
    if part.step == 0:
        raise InvalidArguments("slice step cannot be zero")
    return len(range(*slice(*bounds).indices(size)))


def _show_key(part: Any) -> str:
    if part is Ellipsis:
        return "..."
    if isinstance(part, SliceKey):
        text = ":".join("" if p is None else _show_key(p) for p in (part.start, part.stop))
        return text if part.step is None else f"{text}:{_show_key(part.step)}"
    if isinstance(part, tuple):
        return ", ".join(_show_key(p) for p in part)
    if isinstance(part, Unknown):
        return "?"
    if isinstance(part, TensorRef):
        return "<tensor>"
    return render(part) if isinstance(part, Expr) else repr(part)


# -- the specs --------------------------------------------------------------------------------------


def _matmul_macs(args, tensors: Any, outputs: Shape) -> Any:
    """Every output element is a dot product of the operands' contracted dimension."""
    x1, x2 = operand(args.x1, tensors), operand(args.x2, tensors)
    if len(x1) < 2 or len(x2) < 2:
        raise Unresolved("matmul of a vector")
    return count_product([*outputs[1:], x1[-1]])


def _tensordot_macs(args, tensors: Any, outputs: Shape) -> Any:
    """Every output element is a sum of products over the contracted axes; per sample where the batch is the first
    operand's first axis (a batched tensor times weights: ``tensordot(x, kernel, axes=1)``)."""
    s1, _, a1, _ = _tensordot_axes(args, tensors)
    if not s1 or s1[0] is not None or 0 in a1:
        raise Unresolved("a tensordot whose first operand is not a batch of samples")
    return count_product([*outputs[1:], *(s1[i] for i in a1)])


#: MACs of the operations that multiply-accumulate; every other operation here is elementwise, a reduction or
#: data movement (0 MACs by definition, docs/cost.md).
#: (Einsum's mult-adds, a contraction over the letters its subscripts reduce, are not counted: unknown_macs.)
_MACS: Dict[str, MacsFn] = {"Matmul": _matmul_macs, "Tensordot": _tensordot_macs, "Einsum": unknown_macs}
#: Operations that return several tensors (their shape function gives one shape each): how many.
_COUNTS: Dict[str, Callable[..., int]] = {"Split": _split_count, "FFT": lambda args: 2, "FFT2": lambda args: 2,
                                          "RFFT": lambda args: 2,
                                          "TopK": lambda args: 2,
                                          "Meshgrid": lambda args: len(args.x) if isinstance(args.x, tuple) else 1}
#: Of those, the ones whose function returns a list (the others a tuple).
LIST_OUTPUTS = frozenset({"Split", "Meshgrid"})


def _spec(name: str, params: Tuple[Any, ...], output_shape: Callable[..., Shape],
          operands: Tuple[str, ...]) -> LayerSpec:
    count = _COUNTS.get(name)
    return LayerSpec(name, sig(*params), output_shape=output_shape, family=FAMILY, var_kwargs=False,
                     call_inputs=operands, macs=_MACS.get(name, zero_macs),
                     **({"output_count": count} if count is not None else {}))


_AXIS_KEEPDIMS = ("x", ("axis", None), ("keepdims", False))

#: keras.ops function → (the submodule of keras.ops that also exports it, "" for none; its operation class;
#: its parameters; its output shape). A function of ONLY_SUBMODULE is exported by its submodule alone.
TABLE: Dict[str, Tuple[str, str, Tuple[Any, ...], Callable[..., Shape]]] = {
    **{fn: ("numpy", cls, ("x",), _unary) for fn, cls in {
        "negative": "Negative", "absolute": "Absolute", "abs": "Absolute", "sqrt": "Sqrt", "square": "Square",
        "exp": "Exp", "exp2": "Exp2", "log": "Log", "log1p": "Log1p", "expm1": "Expm1", "sin": "Sin", "cos": "Cos",
        "tan": "Tan", "sinh": "Sinh", "cosh": "Cosh", "arcsin": "Arcsin", "arctan": "Arctan", "tanh": "Tanh",
        "floor": "Floor", "ceil": "Ceil", "trunc": "Trunc", "sign": "Sign", "reciprocal": "Reciprocal",
        "logical_not": "LogicalNot", "cbrt": "Cbrt", "isnan": "Isnan", "isfinite": "Isfinite",
    }.items()},
    **{fn: ("numpy", cls, ("x",), _unary) for fn, cls in {
        "arccos": "Arccos", "arccosh": "Arccosh", "arcsinh": "Arcsinh", "arctanh": "Arctanh", "log2": "Log2",
        "log10": "Log10", "conj": "Conjugate", "real": "Real", "imag": "Imag", "deg2rad": "Deg2rad",
        "rad2deg": "Rad2deg", "signbit": "Signbit", "isinf": "Isinf", "sinc": "Sinc", "copy": "Copy",
    }.items()},
    "round": ("numpy", "Round", ("x", ("decimals", 0)), _unary),
    "clip": ("numpy", "Clip", ("x", "x_min", "x_max"), _unary),
    "nan_to_num": ("numpy", "NanToNum", ("x", ("nan", 0.0), ("posinf", None), ("neginf", None)), _unary),
    "tril": ("numpy", "Tril", ("x", ("k", 0)), _unary),
    "triu": ("numpy", "Triu", ("x", ("k", 0)), _unary),
    "flip": ("numpy", "Flip", ("x", ("axis", None)), _unary_axes),
    "roll": ("numpy", "Roll", ("x", "shift", ("axis", None)), _unary_axes),
    "sort": ("numpy", "Sort", ("x", ("axis", -1)), _sorted),
    "argsort": ("numpy", "Argsort", ("x", ("axis", -1)), _sorted),
    "diff": ("numpy", "Diff", ("a", ("n", 1), ("axis", -1)), _diff),
    **{fn: ("", cls, ("x",), _unary) for fn, cls in {"rsqrt": "Rsqrt", "erf": "Erf"}.items()},
    **{fn: ("nn", cls, ("x",), _unary) for fn, cls in {
        "relu": "Relu", "relu6": "Relu6", "sigmoid": "Sigmoid", "softplus": "Softplus", "softsign": "Softsign",
        "silu": "Silu", "swish": "Silu", "hard_sigmoid": "HardSigmoid", "hard_silu": "HardSilu",
        "hard_swish": "HardSilu", "log_sigmoid": "LogSigmoid", "selu": "Selu", "sparse_plus": "SparsePlus",
        "tanh_shrink": "TanhShrink", "hard_tanh": "HardTanh", "sparse_sigmoid": "SparseSigmoid",
    }.items()},
    "gelu": ("nn", "Gelu", ("x", ("approximate", True)), _unary),
    "elu": ("nn", "Elu", ("x", ("alpha", 1.0)), _unary),
    "celu": ("nn", "Celu", ("x", ("alpha", 1.0)), _unary),
    "leaky_relu": ("nn", "LeakyRelu", ("x", ("negative_slope", 0.2)), _unary),
    "squareplus": ("nn", "Squareplus", ("x", ("b", 4)), _unary),
    "soft_shrink": ("nn", "SoftShrink", ("x", ("threshold", 0.5)), _unary),
    "hard_shrink": ("nn", "HardShrink", ("x", ("threshold", 0.5)), _unary),
    "softmax": ("nn", "Softmax", ("x", ("axis", -1)), _unary_axes),
    "log_softmax": ("nn", "LogSoftmax", ("x", ("axis", -1)), _unary_axes),
    "sparsemax": ("nn", "Sparsemax", ("x", ("axis", -1)), _unary_axis),
    "stop_gradient": ("", "StopGradient", ("variable",), _variable),
    "cast": ("", "Cast", ("x", "dtype"), _unary),
    "normalize": ("nn", "Normalize", ("x", ("axis", -1), ("order", 2), ("epsilon", None)), _normalize),
    **{fn: ("numpy", cls, ("x1", "x2"), _binary) for fn, cls in {
        "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "divide": "Divide",
        "true_divide": "TrueDivide", "floor_divide": "FloorDivide", "mod": "Mod", "power": "Power",
        "maximum": "Maximum", "minimum": "Minimum", "equal": "Equal", "not_equal": "NotEqual", "greater": "Greater",
        "greater_equal": "GreaterEqual", "less": "Less", "less_equal": "LessEqual", "logical_and": "LogicalAnd",
        "logical_or": "LogicalOr", "logical_xor": "LogicalXor", "arctan2": "Arctan2", "divide_no_nan": "DivideNoNan",
    }.items()},
    "logaddexp": ("numpy", "Logaddexp", ("x1", "x2"), _binary),
    "hypot": ("numpy", "Hypot", ("x1", "x2"), _tensors_binary),
    "heaviside": ("numpy", "Heaviside", ("x1", "x2"), _tensors_binary),
    "matmul": ("numpy", "Matmul", ("x1", "x2"), _matmul),
    "tensordot": ("numpy", "Tensordot", ("x1", "x2", ("axes", 2)), _tensordot),
    **{fn: ("numpy", cls, _AXIS_KEEPDIMS, _reduction) for fn, cls in {
        "mean": "Mean", "sum": "Sum", "std": "Std", "var": "Var", "any": "Any", "all": "All", "amax": "Amax",
        "amin": "Amin", "argmax": "Argmax", "argmin": "Argmin",
    }.items()},
    "max": ("numpy", "Max", (*_AXIS_KEEPDIMS, ("initial", None)), _reduction),
    "min": ("numpy", "Min", (*_AXIS_KEEPDIMS, ("initial", None)), _reduction),
    "logsumexp": ("", "Logsumexp", _AXIS_KEEPDIMS, _reduction),
    "prod": ("numpy", "Prod", (*_AXIS_KEEPDIMS, ("dtype", None)), _reduction),
    "expand_dims": ("numpy", "ExpandDims", ("x", "axis"), _expand_dims),
    "squeeze": ("numpy", "Squeeze", ("x", ("axis", None)), _squeeze),
    "reshape": ("numpy", "Reshape", ("x", "newshape"), _reshape),
    "transpose": ("numpy", "Transpose", ("x", ("axes", None)), _transpose),
    "ravel": ("numpy", "Ravel", ("x",), _ravel),
    "cumsum": ("numpy", "Cumsum", ("x", ("axis", None), ("dtype", None)), _cumulative),
    "cumprod": ("numpy", "Cumprod", ("x", ("axis", None), ("dtype", None)), _cumulative),
    "swapaxes": ("numpy", "Swapaxes", ("x", "axis1", "axis2"), _swapaxes),
    "pad": ("numpy", "Pad", ("x", "pad_width", ("mode", "constant"), ("constant_values", None)), _pad),
    "concatenate": ("numpy", "Concatenate", ("xs", ("axis", 0)), _concatenate),
    "stack": ("numpy", "Stack", ("x", ("axis", 0)), _stack),
    "meshgrid": ("numpy", "Meshgrid", ("x", ("indexing", "xy")), _meshgrid),
    "einsum": ("numpy", "Einsum", ("subscripts", "operands"), _einsum),
    "one_hot": ("nn", "OneHot", ("x", "num_classes", ("axis", -1), ("dtype", None), ("sparse", False)), _one_hot),
    "outer": ("numpy", "Outer", ("x1", "x2"), _outer),
    "take": ("numpy", "Take", ("x", "indices", ("axis", None)), _take),
    "take_along_axis": ("numpy", "TakeAlongAxis", ("x", "indices", ("axis", None)), _take_along_axis),
    "top_k": ("", "TopK", ("x", "k", ("sorted", True)), _top_k),
    "get_item": ("numpy", "GetItem", ("x", "key"), _get_item),
    "convert_to_tensor": ("", "ConvertToTensor", ("x", ("dtype", None), ("sparse", None), ("ragged", None)), _unary),
    "zeros_like": ("numpy", "ZerosLike", ("x", ("dtype", None)), _unary),
    "ones_like": ("numpy", "OnesLike", ("x", ("dtype", None)), _unary),
    "fft": ("", "FFT", ("x",), _fourier(1)),
    "fft2": ("", "FFT2", ("x",), _fourier(2)),
    "rfft": ("", "RFFT", ("x", ("fft_length", None)), _rfft),
    "split": ("numpy", "Split", ("x", "indices_or_sections", ("axis", 0)), _split),
    "broadcast_to": ("numpy", "BroadcastTo", ("x", "shape"), _broadcast_to),
    "tile": ("numpy", "Tile", ("x", "repeats"), _tile),
    "repeat": ("numpy", "Repeat", ("x", "repeats", ("axis", None)), _repeat),
    "where": ("numpy", "Where", ("condition", ("x1", None), ("x2", None)), _where),
    "max_pool": ("nn", "MaxPool", ("inputs", "pool_size", ("strides", None), ("padding", "valid"),
                                   ("data_format", None)), _pool("max_pool")),
    "average_pool": ("nn", "AveragePool", ("inputs", "pool_size", ("strides", None), ("padding", "valid"),
                                           ("data_format", None)), _pool("average_pool")),
    "extract_patches": ("image", "ExtractPatches", ("images", "size", ("strides", None), ("dilation_rate", 1),
                                                    ("padding", "valid"), ("data_format", None)), _extract_patches),
}

#: Submodules whose functions ``keras.ops`` itself does not export (``keras.ops.image.extract_patches``).
ONLY_SUBMODULE = frozenset({"image"})

#: Parameters that take tensors (the others configure the operation).
_OPERANDS = ("x", "x1", "x2", "xs", "variable", "images", "condition", "inputs", "indices", "a", "operands")

#: Operation class → spec (functions that make the same class share its spec).
SPECS: Dict[str, LayerSpec] = {}
for _fn, (_module, _cls, _params, _shape) in TABLE.items():
    _names = [p if isinstance(p, str) else p[0] for p in _params]
    SPECS.setdefault(_cls, _spec(_cls, _params, _shape, tuple(n for n in _names if n in _OPERANDS)))

#: Operation classes no ``keras.ops`` function makes: ``keras.activations.relu`` on a symbolic tensor is
#: ``ReLU(negative_slope, max_value, threshold)(x)`` (keras.src.activations.activations.ReLU), its input's shape.
SPECS["ReLU"] = _spec("ReLU", ("x", ("negative_slope", 0.0), ("max_value", None), ("threshold", 0.0)), _unary, ("x",))

#: ``keras.ops`` function → (the submodule that also exports it, as ``keras.ops.numpy.mean``; its class).
FUNCTIONS: Dict[str, Tuple[str, str]] = {fn: (module, cls) for fn, (module, cls, _, _) in TABLE.items()}

# -- tensors made from sizes alone ---------------------------------------------------------------------


_ABSENT = object()


def _arange(start: Any, stop: Any = _ABSENT, step: Any = None, dtype: Any = None) -> Shape:
    """``keras.ops.arange``: ``Arange.compute_output_spec`` and the backends' ``arange`` give
    ``(ceil((stop - start) / step),)``, no length below 0.

    A bound that is None is not followed: it stands for a size the analysis read from a shape, where
    ``x.shape[-1]`` is None (Keras raises) but ``ops.shape(x)[-1]`` a dynamic size (Keras makes ``(None,)``)."""
    if stop is _ABSENT:
        start, stop = 0, start
    step = 1 if step is None else step
    if any(isinstance(b, DynamicSize) for b in (start, stop)) and isinstance(step, int) and \
            not isinstance(step, bool) and step != 0 and all(isinstance(b, (int, DynamicSize)) and
                                                            not isinstance(b, bool) for b in (start, stop)):
        return (None,)  # up to a size known only when the model runs (``ops.shape(x)[1]``): an open length
    if isinstance(stop, Expr) and start == 0 and step == 1:
        return (stop,)
    if any(b is None for b in (start, stop, step)):
        raise Unresolved("`keras.ops.arange` up to a size that is None in the shape (a length the input leaves "
                         "open) is not followed")
    if not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (start, stop, step)):
        raise Unresolved("the bounds of `keras.ops.arange` are not known numbers")
    if step == 0:
        raise InvalidArguments("`keras.ops.arange` with step 0")
    return (max(0, math.ceil((stop - start) / step)),)


#: ``keras.ops`` functions that make a tensor from sizes alone → (the submodule that also exports them; the
#: shape of what they make from their arguments). On numbers they run eagerly (no operation of the graph).
MAKERS: Dict[str, Tuple[str, Callable[..., Shape]]] = {"arange": ("numpy", _arange)}


def maker(path: str) -> Optional[Callable[..., Shape]]:
    """The shape function of the ``keras.ops`` tensor maker at a canonical ``keras.ops...`` path, or None."""
    module, _, last = path.rpartition(".")
    submodule, shape = MAKERS.get(last, ("", None))
    return shape if module in ("keras.ops", f"keras.ops.{submodule}") else None


#: Python operators on a tensor (libcst operator names) → the class ``KerasTensor``'s method makes.
OPERATORS: Dict[str, str] = {
    "Add": "Add", "Subtract": "Subtract", "Multiply": "Multiply", "Divide": "TrueDivide",
    "FloorDivide": "FloorDivide", "Modulo": "Mod", "Power": "Power", "MatrixMultiply": "Matmul",
    "BitAnd": "LogicalAnd", "BitOr": "LogicalOr", "BitXor": "LogicalXor", "Minus": "Negative",
    "BitInvert": "LogicalNot", "LessThan": "Less", "LessThanEqual": "LessEqual", "GreaterThan": "Greater",
    "GreaterThanEqual": "GreaterEqual", "NotEqual": "NotEqual",
}

#: A comparison with the tensor on the right runs the tensor's reflected method: ``0 < x`` is ``x > 0``.
REFLECTED: Dict[str, str] = {"LessThan": "GreaterThan", "LessThanEqual": "GreaterThanEqual",
                             "GreaterThan": "LessThan", "GreaterThanEqual": "LessThanEqual", "NotEqual": "NotEqual"}
