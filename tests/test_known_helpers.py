"""extract/known_helpers.py: the helpers the analysis runs from source agree with Keras's own.

``obtain_input_shape`` is run by kerascount on a grid of arguments (each result becomes a model's input)
and by real Keras in a subprocess (marker ``keras``): every shape Keras returns is the model's input, and
every call Keras rejects leaves the model unknown. ``standardize_tuple`` is checked the same way.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import pytest

from kerascount.extract import extract
from kerascount.infer import infer_file

SHAPES = [None, (224, 224, 3), [224, 224, 3], (64, 64, 1), (3, 100, 100), (20, 20, 3), (None, None, 3),
          (32, 32), (1, 48, 48)]
CASES = list(itertools.product(SHAPES, ("channels_last", "channels_first"), (True, False), (None, "imagenet")))

PROBE = r"""
import json, sys
from keras.src.applications.imagenet_utils import obtain_input_shape
out = []
for shape, fmt, flatten, weights in json.loads(sys.argv[1]):
    shape = None if shape is None else list(shape["dims"]) if shape["list"] else tuple(shape["dims"])
    try:
        out.append(list(obtain_input_shape(shape, 224, 32, fmt, flatten, weights)))
    except ValueError:
        out.append("error")
print(json.dumps(out))
"""


def _encode(shape):
    """JSON for a case's shape, keeping a list apart from a tuple."""
    return None if shape is None else {"list": isinstance(shape, list), "dims": list(shape)}


def _source() -> str:
    lines = ["import keras", "from keras.src.applications.imagenet_utils import obtain_input_shape", ""]
    for i, (shape, fmt, flatten, weights) in enumerate(CASES):
        if shape is None and weights is None:
            # Keras 2.0's keyword: the same shape as require_flatten= when no input shape is given.
            call = f"obtain_input_shape(None, 224, 32, {fmt!r}, include_top={flatten!r})"
        else:
            call = f"obtain_input_shape({shape!r}, 224, 32, {fmt!r}, {flatten!r}, weights={weights!r})"
        lines.append(f"s{i} = {call}")
        lines.append(f"i{i} = keras.Input(shape=s{i})")
        lines.append(f"m{i} = keras.Model(i{i}, keras.layers.Identity()(i{i}))")
    return "\n".join(lines) + "\n"


@pytest.mark.keras
def test_obtain_input_shape_agrees_with_keras():
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    run = subprocess.run([sys.executable, "-c", PROBE, json.dumps([[_encode(s), f, r, w] for s, f, r, w in CASES])],
                         capture_output=True, text=True, env=env, timeout=300)
    if run.returncode != 0:
        pytest.skip(f"Keras is not usable here: {run.stderr[-300:]}")
    truth = json.loads(run.stdout)
    results = infer_file(extract(_source(), "grid.py"))
    assert len(results) == len(CASES)
    _agree(CASES, truth, results)


def _agree(cases, truth, results):
    """Each model's input is what Keras returned for its case, or the model is unknown where Keras raised."""
    for case, expected, result in zip(cases, truth, results):
        if expected == "error":
            assert result.status == "unknown", case
        else:
            assert result.status == "exact", (case, result.reasons)
            assert list(result.inputs[0]) == [None, *expected], case


#: (value, n, allow_zero): ints, tuples, lists, a wrong length, zero and negative sizes, a NumPy integer (not an
#: int to Keras) and a string.
TUPLE_CASES = [("3", 2, False), ("(1, 7)", 2, False), ("[7, 1]", 2, False), ("(3, 3, 3)", 2, False),
               ("0", 2, False), ("0", 2, True), ("(2, 0)", 2, True), ("-1", 1, True), ("(2, 3)", 3, False),
               ("np.int64(3)", 2, False), ("'3'", 1, False), ("5", 3, False)]

TUPLE_PROBE = r"""
import json, sys
import numpy as np
from keras.src.utils.argument_validation import standardize_tuple
out = []
for value, n, zero in json.loads(sys.argv[1]):
    try:
        out.append([int(v) for v in standardize_tuple(eval(value), n, "size", allow_zero=zero)])
    except (ValueError, TypeError):
        out.append("error")
print(json.dumps(out))
"""


@pytest.mark.keras
def test_standardize_tuple_agrees_with_keras():
    # Each result is the shape of a model's input (the numbers kerascount reports), or the model is unknown.
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    run = subprocess.run([sys.executable, "-c", TUPLE_PROBE, json.dumps(TUPLE_CASES)], capture_output=True,
                         text=True, env=env, timeout=300)
    if run.returncode != 0:
        pytest.skip(f"Keras is not usable here: {run.stderr[-300:]}")
    truth = json.loads(run.stdout)
    lines = ["import numpy as np", "import keras", "from keras.src.utils.argument_validation import standardize_tuple"]
    for i, (value, n, zero) in enumerate(TUPLE_CASES):
        lines.append(f"t{i} = standardize_tuple({value}, {n}, 'size', allow_zero={zero})")
        lines.append(f"i{i} = keras.Input(shape=t{i})")
        lines.append(f"m{i} = keras.Model(i{i}, keras.layers.Identity()(i{i}))")
    results = infer_file(extract("\n".join(lines) + "\n", "tuples.py"))
    assert len(results) == len(TUPLE_CASES)
    assert "error" in truth and any(t != "error" for t in truth)
    _agree(TUPLE_CASES, truth, results)


def _keras12_input_shape(shape, default_size, min_size, dim_ordering, include_top):
    """Keras 1.2's ``_obtain_input_shape`` (``dim_ordering`` 'th'/'tf', ``include_top``), from its documented rules:
    with a classifier only the default shape of the ordering; without, a 3-channel shape of 3 entries no smaller than
    ``min_size`` where known, or (3, None, None) / (None, None, 3) when none is given."""
    first = dim_ordering == "th"
    default = (3, default_size, default_size) if first else (default_size, default_size, 3)
    if include_top:
        if shape is not None and shape != default:
            return "error"
        return list(default)
    if shape is None:
        return [3, None, None] if first else [None, None, 3]
    if len(shape) != 3 or (shape[0] if first else shape[-1]) != 3:
        return "error"
    sizes = shape[1:] if first else shape[:2]
    if any(s is not None and s < min_size for s in sizes):
        return "error"
    return list(shape)


def test_keras12_dim_ordering_input_shape():
    # Hold-out 58 (fast.ai's copy of Keras 1.2's VGG16): `_obtain_input_shape(..., dim_ordering=K.image_dim_ordering(),
    # include_top=...)`, by keyword or by position, is Keras 1.2's helper ('th' is channels first); it was unknown.
    cases = [(shape, order, top, by_keyword) for shape in SHAPES for order in ("th", "tf") for top in (True, False)
             for by_keyword in (True, False)]
    lines = ["import keras", "from keras.applications.imagenet_utils import _obtain_input_shape", ""]
    for i, (shape, order, top, by_keyword) in enumerate(cases):
        args = f"dim_ordering={order!r}, include_top={top!r}" if by_keyword else f"{order!r}, include_top={top!r}"
        lines.append(f"s{i} = _obtain_input_shape({shape!r}, 224, 48, {args})")
        lines.append(f"i{i} = keras.Input(shape=s{i})")
        lines.append(f"m{i} = keras.Model(i{i}, keras.layers.Identity()(i{i}))")
    truth = [_keras12_input_shape(s, 224, 48, o, t) for s, o, t, _ in cases]  # (a list is not the default tuple)
    assert "error" in truth and any(t != "error" for t in truth)
    results = infer_file(extract("\n".join(lines) + "\n", "keras12.py"))
    assert len(results) == len(cases)
    _agree(cases, truth, results)
