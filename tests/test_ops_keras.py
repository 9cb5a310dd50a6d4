"""The operation specs (catalogue/ops.py) agree with the installed Keras.

Every ``keras.ops`` function of the table exists where the table says, with the spec's signature, and
makes the spec's operation class; every Python operator makes the class ``OPERATORS`` names. Each
spec is run on the calls in ``CASES`` (symbolic tensors of the shapes given, and other arguments) and
so is real Keras: where Keras returns a shape the spec must return the same; where Keras raises, the
spec must not return a shape. Keras runs in a subprocess (marker ``keras``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest

from kerascount.catalogue import ops
from kerascount.catalogue.spec import REQUIRED, BoundArgs, ShapeError, Unresolved
from kerascount.ir import LayerDef, SliceKey, Span, TensorRef
from test_catalogue_keras import keras_probe

#: A tensor operand of the shape given (tuples and lists stay what they are).
def T(*shape: Any) -> Dict[str, Any]:
    return {"tensor": list(shape)}


#: Parts of a subscript key (``x[key]``): a slice, ``...``, and a tuple of parts.
def S(*bounds: Any) -> Dict[str, Any]:
    return {"slice": list(bounds)}


E = {"ellipsis": True}


def K(*parts: Any) -> Dict[str, Any]:
    return {"key": list(parts)}


_UNARY = [(T(None, 3, 4),), (T(2, 1),), (T(),)]
_BINARY = [
    (T(None, 4), T(None, 1)), (T(None, 3), T(None, 4)), (T(None, 1, 4), T(5, 1)), (T(None,), T(None,)),
    (T(4,), 2), (1.5, T(None, 4)), (T(None, 4), T(None, 1, 4)), (T(1, 3), T(None, None)), (T(3, 1), T(1, 3)),
]
_AXES = [None, 0, 1, -1, -3, 3, (0, 2), (1, 1), [1, 2]]


def _cases() -> List[Tuple[str, List[Any], Dict[str, Any]]]:
    """(function, positional arguments, keyword arguments) for every function of the table."""
    out: List[Tuple[str, List[Any], Dict[str, Any]]] = []
    for fn, (_, cls, _, shape) in ops.TABLE.items():
        if shape in (ops._unary, ops._variable):
            out += [(fn, list(c), {}) for c in _UNARY]
        elif shape in (ops._unary_axes, ops._unary_axis):
            out += [(fn, [T(None, 3, 4)], {"axis": a}) for a in (-1, 1, 3, -4, (0, 1), None)]
        elif shape in (ops._binary, ops._tensors_binary):
            out += [(fn, list(c), {}) for c in _BINARY]
        elif shape is ops._reduction:
            out += [(fn, [T(None, 3, 4)], {"axis": a, "keepdims": k}) for a in _AXES for k in (False, True)]
    x = T(None, 3, 4)
    out += [("cast", [c[0]], {"dtype": "float16"}) for c in _UNARY]
    out += [("normalize", [c[0]], {"axis": a}) for c in _UNARY for a in (1, -1, 3, None, (0, 1))]
    out += [("expand_dims", [x, a], {}) for a in (0, -1, 3, 4, -5, (0, 2), (1, 1), [0, 4])]
    out += [("squeeze", [T(None, 1, 4, 1)], {"axis": a}) for a in (None, 1, -1, 0, 2, (1, 3), (1, 1), 5)]
    out += [("reshape", [s, n], {}) for s in (T(None, 8, 4), T(2, 8, 4))
            for n in ((-1, 32), (-1, 7), (2, 16), (-1, -1), (4, -1), (64,), (-2, 4), 64, (3, -1), (0, -1),
                      (None, 32), (None, -1), (None, 5, 7), (None, None, -1), (None, -2))]
    out += [("transpose", [x], {"axes": a})
            for a in (None, (0, 2, 1), (2, 0, 1), (0, 1), (0, 0, 1), (0, 1, 3), (-1, 0, 1))]
    out += [("pad", [s, w], kw) for s in (T(None, 4, 5), T(2, None))
            for w in (2, 0, (1, 2), (0, 1, 2), (2,), ((1, 2),), ((0, 0), (1, 1), (2, 3)), ((0, 0), (1, 1)),
                      [[0, 0], [1, 1], [2, 3]], ((1, 2, 3),), ((0, 0), (1, 2, 3)))
            for kw in ({}, {"mode": "reflect"})]
    out += [("pad", [T(None, 4, 5), 1], {"constant_values": 3})]
    out += [("ravel", [s], {}) for s in (x, T(2, 3))]
    out += [(fn, [s], {"axis": a}) for fn in ("cumsum", "cumprod") for s in (x, T(2, 3))
            for a in (None, 0, -1, 1, 2, -3)]
    out += [("swapaxes", [x, a, b], {}) for a, b in ((1, 2), (0, -1), (0, 3))]
    out += [("concatenate", [list(xs)], {"axis": a})
            for xs in ((T(None, 3), T(None, 4)), (T(None, 3, 4), T(None, 3, 5)), (T(None, 2), T(3, 2)),
                       (T(None, 2), T(None, 2, 1)))
            for a in (-1, 0, 1, 2)]
    out += [("stack", [list(xs)], {"axis": a})
            for xs in ((T(None, 3), T(None, 3)), (T(None, 3), T(None, 4)), (T(None, 3), T(2, None)))
            for a in (0, 1, 2, 3, -1)]
    out += [("matmul", [a, b], {}) for a, b in (
        (T(None, 3, 4), T(4, 5)), (T(None, 4), T(4,)), (T(4,), T(None, 4, 5)), (T(None, 3), T(4, 5)),
        (T(2, 3, 4), T(5, 4, 6)), (T(None, 1, 3, 4), T(7, 4, 2)), (T(None, None), T(None, 3)), (T(4,), T(4,)))]
    out += [("tensordot", [a, b], {"axes": n}) for a, b, n in (
        (T(None, 6), T(6, 4, 3), 1), (T(None, 5, 6), T(5, 6, 2), 2), (T(None, 6), T(7, 2), 1), (T(None, 4), T(3, 2), 0),
        (T(None, 4), T(3, 2), -1), (T(None, 4), T(4,), 3), (T(None, 3, 4), T(4, 5), [[2], [0]]),
        (T(None, 3, 4), T(5, 3, 4), [[1, 2], [1, 2]]), (T(None, 3, 4), T(5, 3, 4), [[-1], [-1]]),
        (T(None, 3, 4), T(5, 3, 4), [[1], [2]]), (T(None, 3, 4), T(4, 3), [[1, 2], [1, 0]]),
        (T(None, 3, 4), T(4, 3), [[1], [0, 1]]), (T(None, 3, 4), T(4, 3), [[3], [0]]), (T(None, None), T(5, 2), [[1], [0]]),
        (T(None, 3), T(None, 3), [[0], [0]]), (T(3, 4), T(4, 5), (1, 0)))]
    out += [("get_item", [T(None, 3, 4), k], {}) for k in (
        0, -1, 5, True, K(S(None), -1), K(S(None), 0, S(None)), K(E, 0), K(S(None), None), K(S(1, 3), S(None, None, 2)),
        K(S(None), 5), K(S(None), -3), K(S(None), -4), K(0, 0, 0, 0), K(0, 0, 0), K(S(None), S(None, None, -1)),
        K(S(None), S(0, 0)), K(E, None, S(None)), K(S(None), S(None), S(None), None), K(E, E), K(S(None), 1.5),
        S(1, None), None, E, K(S(None, None, 0)), K(S(None), S(None, None, 0)), K(None, None, E, None, 0),
        K(S(-5, 10), E, S(-1, None)), K(S(None), "a"), K(S(None), [0, 1]), K(), K(E), K(S(None), S(1.5, None)))]
    out += [("get_item", [T(2, 3), k], {}) for k in (-2, -3, 1, 2, K(1, -3), K(E, 2), K(S(3, 1)), K(E, E, 0))]
    out += [("split", [s, n], {"axis": a}) for s in (T(None, 6, 8), T(4, 9, None))
            for n in (2, 3, 1, (2, 5), (0, 4), (3,)) for a in (-1, 1, 2, 0)]
    out += [("take_along_axis", [x, i], {"axis": a}) for x, i in (
        (T(None, 64, 32), T(None, 10, 1)), (T(None, 64, 4), T(None, 10, 4)), (T(5, 12), T(5, 6)), (T(3, 4), T(3, 4, 1)),
        (T(None, 6), T(1, 2)), (T(2, 6), T(3, 2)), (T(None, 8, 1), T(None, 3, 5)))
        for a in (1, -1, 0, None, 3)]
    out += [("take_along_axis", [T(6, 4), T(7)], {}), ("take_along_axis", [T(None, 4), T(7)], {})]
    out += [("top_k", [x], {"k": k}) for x in (T(None, 64), T(None, 5, 12), T(7,), T(4, None)) for k in (1, 6)]
    out += [(fn, [[a, b]], {}) for fn in ("fft", "fft2") for a, b in (
        (T(None, 6, 8), T(None, 6, 8)), (T(None, 6, 8), T(None, 6, 7)), (T(None, 8), T(None, 8)), (T(8,), T(8,)),
        (T(None, None, 8), T(None, None, 8)), (T(4, None), T(4, None)), (T(3, 5), T(3, 5)))]
    out += [(fn, [T(None, 6, 8)], {}) for fn in ("fft", "fft2")]
    out += [("rfft", [s], kw) for s in (T(None, 8, 256), T(None, 7), T(None, None), T(9,), T())
            for kw in ({}, {"fft_length": 1024}, {"fft_length": 5})]
    out += [("extract_patches", [s, size], kw) for s in (T(None, 20, 24, 3), T(2, 9, 7, 5), T(13, 11, 2))
            for size in (4, (3, 5), 9, (1, 1))
            for kw in ({}, {"strides": 2}, {"strides": (2, 3), "padding": "same"}, {"padding": "SAME"},
                       {"dilation_rate": 2, "strides": 1}, {"strides": [1, 2]})]
    out += [("extract_patches", [s, 3], {"data_format": f}) for s in (T(None, 4, 10, 12), T(None, 10, 12, 4))
            for f in ("channels_first", "channels_last")]
    out += [("extract_patches", [T(None, 8, 8, None), 2], {}), ("extract_patches", [T(None, None, 8, 3), 2], {})]
    out += [(fn, [s, size], kw) for fn in ("max_pool", "average_pool")
            for s in (T(None, 9, 7, 3), T(2, 8, 8, 4), T(None, None, 6, 2))
            for size in (2, (3, 2), 3)
            for kw in ({}, {"strides": 2}, {"strides": (1, 2), "padding": "same"}, {"padding": "SAME"},
                       {"data_format": "channels_first"}, {"padding": "full"})]
    out += [(fn, [T(None, 12, 5), size], kw) for fn in ("max_pool", "average_pool") for size in (2, 5)
            for kw in ({}, {"strides": 3}, {"padding": "same", "strides": 2}, {"data_format": "channels_first"})]
    out += [("max_pool", [T(None, 2, 2, 3), 3], {}), ("average_pool", [T(None, 3, 3, 1), 3], {"strides": 2})]
    out += [("broadcast_to", [s, t], {}) for s in (T(None, 1, 4), T(3, 1), T(4,), T(None, 2))
            for t in ((None, 5, 4), (2, 3, 4), (3, 4), (7, 3, 5), (3,), 4, (None, None, 4), (1, 1))]
    out += [("tile", [s, r], {}) for s in (T(None, 3, 4), T(2, 5), T(None,))
            for r in (2, (2,), (1, 3), (2, 1, 1), (1, 2, 3, 4), (0, 2), [3, 1])]
    out += [("repeat", [s, r], {"axis": a}) for s in (T(None, 3, 4), T(2, 3), T(3,))
            for r in (2, (2,), (1, 2, 3), (1, 1, 1, 1, 1, 1), [2, 2])
            for a in (None, 0, 1, -1, 2, 3, -4)]
    out += [("where", [c, a, b], {}) for c, a, b in (
        (T(None, 4), T(None, 4), T(None, 4)), (T(None, 1), T(None, 4), 0.0), (T(None, 4), 1, T(3, 1, 1)),
        (T(None, 3), T(None, 4), T(None, 4)), (T(2, 4), T(None, 4), T(None, 1)), (T(None, 4), None, T(None, 4)),
        (T(None, 4), T(None, 4), None), (T(5,), 1.0, 2.0))]
    out += [("take", [T(None, 6, 4), i], {"axis": a}) for i in (T(None, 3), T(5,), 2, [0, 2, 3])
            for a in (None, 0, 1, -1, 2, 3)]
    out += [("meshgrid", list(xs), {"indexing": ix})
            for xs in ((T(3,), T(5,)), (T(3,), T(None,)), (T(2, 3), T(4,)), (T(3,), T(5,), T(2,)), (T(3,),))
            for ix in ("xy", "ij")]
    out += [("clip", [c[0], lo, hi], {}) for c in _UNARY for lo, hi in ((0.0, 1.0), (-2, 2))]
    out += [("nan_to_num", [x], kw) for kw in ({}, {"nan": 1.0, "posinf": 5.0})]
    out += [(fn, [s], {"k": k}) for fn in ("tril", "triu") for s in (x, T(4, 4), T(3,)) for k in (0, -1, 2)]
    out += [("flip", [x], {"axis": a}) for a in (None, 1, -1, (1, 2), 3, -4)]
    out += [("roll", [x, sh], {"axis": a}) for sh in (1, -2, (1, 2)) for a in (None, 1, -1, (1, 2), 3)]
    out += [(fn, [s], {"axis": a}) for fn in ("sort", "argsort") for s in (x, T(2, 3), T(5,))
            for a in (-1, 0, 1, 2, -3, None)]
    out += [("diff", [s], {"n": n, "axis": a}) for s in (x, T(2, 5), T(None, None, 6)) for n in (1, 2, 5, 0)
            for a in (-1, 0, 1, 2, -3)]
    out += [("diff", [T()], {})]
    out += [("einsum", [sub, *xs], {}) for sub, xs in (
        ("ij,jk->ik", (T(None, 3), T(3, 4))), ("bij,bjk->bik", (T(None, 3, 4), T(None, 4, 5))),
        ("...ij,kji->...k", (T(None, 3, 4), T(2, 4, 3))), ("bqhd,bkhd->bhqk", (T(None, 5, 2, 8), T(None, 7, 2, 8))),
        ("bhqk,bkhd->bqhd", (T(None, 2, 5, 7), T(None, 7, 2, 8))), ("ij->ji", (T(None, 3),)), ("ii", (T(3, 3),)),
        ("ij", (T(None, 3),)), ("ij,jk", (T(2, 3), T(3, 4))), ("ij,jk->ik", (T(2, 3),)),
        ("ijk,jk->ik", (T(2, 3), T(3, 4))), ("ij, jk->ik", (T(2, 3), T(3, 4))), ("ij->iJ", (T(2, 3),)),
        ("ij,ij->ij", (T(2, 3), T(4, 3))), ("ij,ij->ij", (T(None, 3), T(4, 3))), ("...d,de->...e", (T(None, 6, 4), T(4, 9))),
        ("b...d,d->b...", (T(None, 6, 5, 4), T(4,))), ("ij->i->j", (T(2, 3),)), ("i,j->ij", (T(None,), T(5,))))]
    out += [("one_hot", [s, 7], {"axis": a}) for s in (T(None, 5), T(3,), T()) for a in (-1, 0, 1, 2, -2)]
    out += [("outer", [a, b], {}) for a, b in ((T(None, 3), T(4,)), (T(2, 3), T(5, 2)), (T(3,), 2.0), (1, T(None,)))]
    return out


CASES = _cases()
#: Python operators (libcst names) as ``operator`` module functions, for the probe.
_PYTHON = {"Add": "add", "Subtract": "sub", "Multiply": "mul", "Divide": "truediv", "FloorDivide": "floordiv",
           "Modulo": "mod", "Power": "pow", "MatrixMultiply": "matmul", "BitAnd": "and_", "BitOr": "or_",
           "BitXor": "xor", "Minus": "neg", "BitInvert": "invert", "LessThan": "lt", "LessThanEqual": "le",
           "GreaterThan": "gt", "GreaterThanEqual": "ge", "NotEqual": "ne"}

PROBE = r"""
import inspect, json, operator, sys
import keras
from keras import ops

def value(v):
    if isinstance(v, dict) and "slice" in v:
        return slice(*v["slice"])
    if isinstance(v, dict) and "ellipsis" in v:
        return Ellipsis
    if isinstance(v, dict) and "key" in v:
        return tuple(value(x) for x in v["key"])
    if isinstance(v, dict):
        return keras.KerasTensor(tuple(v["tensor"]))
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return [value(x) for x in v]
    return tuple(v) if isinstance(v, list) else v

def made(out):
    if isinstance(out, (list, tuple)):  # an operation of several outputs (split): each one's shape
        return type(out[0]._keras_history.operation).__name__, [[d for d in o.shape] for o in out]
    return type(out._keras_history.operation).__name__, [d for d in out.shape]

data = json.loads(sys.argv[1])
functions = {}
def find(fn):
    module = data["functions"][fn]
    return getattr(ops, fn, None) or (getattr(getattr(ops, module), fn, None) if module else None)

for fn, module in data["functions"].items():
    f = find(fn)
    params = None if f is None else [[p.name, None if p.default is p.empty else repr(p.default)]
                                     for p in inspect.signature(f).parameters.values()
                                     if p.kind is not p.VAR_KEYWORD]  # (einsum's **kwargs: not followed)
    functions[fn] = {"params": params, "in_module": not module or hasattr(getattr(ops, module), fn),
                     "top": hasattr(ops, fn)}
cases = []
for fn, args, kwargs in data["cases"]:
    try:
        cls, shape = made(find(fn)(*[value(a) for a in args], **{k: value(v) for k, v in kwargs.items()}))
        cases.append({"class": cls, "shape": shape})
    except Exception as exc:
        cases.append({"error": type(exc).__name__})
x, y = keras.KerasTensor((None, 3)), keras.KerasTensor((None, 3))
operators = {}
for name, fn in data["operators"].items():
    f = getattr(operator, fn)
    operators[name] = made(f(x) if fn in ("neg", "invert") else f(x, y))[0]
    if fn in ("lt", "le", "gt", "ge", "ne"):
        operators["reflected " + name] = made(f(0, x))[0]
print(json.dumps({"functions": functions, "cases": cases, "operators": operators}))
"""


@pytest.fixture(scope="module")
def keras_answers() -> Dict[str, Any]:
    return keras_probe(PROBE, {"functions": {fn: module for fn, (module, _) in ops.FUNCTIONS.items()},
                               "cases": CASES, "operators": _PYTHON})


def _ours(fn: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    """What the spec says for the call: a shape (list), "error" (ShapeError) or "unresolved"."""
    tensors: Dict[TensorRef, Any] = {}

    def value(v: Any) -> Any:
        if isinstance(v, dict) and "slice" in v:
            bounds = slice(*v["slice"])  # as Python reads slice(stop), slice(start, stop[, step])
            return SliceKey(bounds.start, bounds.stop, bounds.step)
        if isinstance(v, dict) and "ellipsis" in v:
            return Ellipsis
        if isinstance(v, dict) and "key" in v:
            return tuple(value(x) for x in v["key"])
        if isinstance(v, dict):
            ref = TensorRef(len(tensors))
            tensors[ref] = tuple(v["tensor"])
            return ref
        return tuple(value(x) for x in v) if isinstance(v, list) else v

    if fn == "meshgrid":
        args = [args]  # (its inputs as one tuple, as the evaluator gives them: meshgrid(*x))
    if fn == "einsum":
        args = [args[0], args[1:]]  # (einsum(subscripts, *operands): likewise)
    spec = ops.SPECS[ops.FUNCTIONS[fn][1]]
    layer = LayerDef(0, spec.name, "op", tuple(value(a) for a in args),
                     tuple((k, value(v)) for k, v in kwargs.items()), Span(1, 1, 1, 1), known=False, operation=True)
    try:
        shape = spec.output_shape(BoundArgs(spec, layer), tensors)
        count = spec.output_count(BoundArgs(spec, layer))
        if count != 1 or shape and isinstance(shape[0], tuple):
            assert count == len(shape), f"{fn}: {count} outputs counted, {len(shape)} shapes"
            return [list(s) for s in shape]
        return list(shape)
    except ShapeError:
        return "error"
    except Unresolved:
        return "unresolved"


@pytest.mark.keras
@pytest.mark.parametrize("fn", sorted(ops.FUNCTIONS))
def test_function_matches_keras(fn: str, keras_answers: Dict[str, Any]) -> None:
    info = keras_answers["functions"][fn]
    module, cls = ops.FUNCTIONS[fn]
    assert info["params"] is not None, f"keras.ops.{fn} does not exist"
    assert info["in_module"], f"keras.ops.{module}.{fn} does not exist"
    assert info["top"] == (module not in ops.ONLY_SUBMODULE), f"keras.ops.{fn} exported or not as the table says"
    spec = ops.SPECS[cls]
    ours = [[a.name, None if a.default is REQUIRED else repr(a.default)] for a in spec.signature]
    assert ours == info["params"], f"keras.ops.{fn} signature"
    made = {a["class"] for c, a in zip(CASES, keras_answers["cases"]) if c[0] == fn and "class" in a}
    assert made == {cls}, f"keras.ops.{fn} makes {made}"


@pytest.mark.keras
@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_output_shape_matches_keras(index: int, keras_answers: Dict[str, Any]) -> None:
    fn, args, kwargs = CASES[index]
    answer = keras_answers["cases"][index]
    ours = _ours(fn, args, kwargs)
    if "shape" in answer:
        assert ours == answer["shape"], f"keras.ops.{fn}{tuple(args)} {kwargs}: Keras {answer['shape']}"
    else:
        assert ours == "error", f"keras.ops.{fn}{tuple(args)} {kwargs}: Keras raises {answer['error']}, we {ours}"


@pytest.mark.keras
def test_operators_match_keras(keras_answers: Dict[str, Any]) -> None:
    made = keras_answers["operators"]
    assert set(_PYTHON) == set(ops.OPERATORS)
    assert {name: made[name] for name in _PYTHON} == {name: ops.OPERATORS[name] for name in _PYTHON}
    for name, reflected in ops.REFLECTED.items():
        assert made["reflected " + name] == ops.OPERATORS[reflected], name


#: Calls of the tensor makers (``ops.MAKERS``) on numbers: (function, args, kwargs).
MAKER_CASES = [
    ("arange", [40], {}), ("arange", [0, 40, 1], {}), ("arange", [3, 7, 2], {}), ("arange", [5, 0], {}),
    ("arange", [0, 1.5, 0.5], {}), ("arange", [10, 0, -3], {}), ("arange", [2.5], {}),
    ("arange", [], {"start": 1, "stop": 9, "step": 4}), ("arange", [0, 12], {"dtype": "float32"}),
]

MAKER_PROBE = """
import json, sys
import numpy as np
from keras import ops

data = json.loads(sys.argv[1])
out = {"in_module": {fn: hasattr(getattr(ops, module), fn) for fn, module in data["makers"].items()}, "cases": []}
for fn, args, kwargs in data["cases"]:
    try:
        out["cases"].append(list(np.shape(getattr(ops, fn)(*args, **kwargs))))
    except Exception as exc:
        out["cases"].append(type(exc).__name__)
print(json.dumps(out))
"""


@pytest.mark.keras
def test_tensor_makers_match_keras() -> None:
    answers = keras_probe(MAKER_PROBE, {"makers": {fn: module for fn, (module, _) in ops.MAKERS.items()},
                                        "cases": MAKER_CASES})
    assert all(answers["in_module"].values()), answers["in_module"]
    for (fn, args, kwargs), answer in zip(MAKER_CASES, answers["cases"]):
        shape = ops.maker(f"keras.ops.{fn}")
        assert shape is ops.maker(f"keras.ops.{ops.MAKERS[fn][0]}.{fn}") is not None
        assert list(shape(*args, **kwargs)) == answer, (fn, args, kwargs)


def test_tensor_maker_bounds_it_cannot_know() -> None:
    arange = ops.maker("keras.ops.arange")
    # None is a size read from a shape: x.shape[-1] (Keras raises) or ops.shape(x)[-1] (Keras makes (None,))
    for args in [(None,), (0, None), (0, None, 1), (True,)]:
        with pytest.raises(Unresolved):
            arange(*args)
    with pytest.raises(ShapeError):
        arange(0, 10, 0)
    assert ops.maker("keras.ops.nn.arange") is None and ops.maker("keras.arange") is None


def test_a_tuple_of_tensors_as_an_operand_is_described_not_dumped():
    """``a = embedding(x),`` (a stray comma) makes ``a - b`` an operation on a tuple, which Keras converts to one
    tensor ((1, None, 3) for one tensor of (None, 3)): not followed, and the reason names no internal object."""
    with pytest.raises(Unresolved) as raised:
        ops.operand((TensorRef(node=33, index=0),), {})
    assert "TensorRef" not in str(raised.value) and "tuple of 1 item(s)" in str(raised.value)
