"""NumPy integers in the padding of ZeroPadding and the cropping of Cropping layers (window sizes computed with
``keras.ops.minimum``, as Swin ports pad their feature maps): Keras 3 reads an item of the argument that is not a
Python int with ``standardize_tuple``, which calls ``int()`` on each item of that pair, so NumPy integers inside
such a pair are taken, and one in the place of an int is not (ValueError). Exact where Keras builds the model;
an error where it raises on a bare NumPy integer; unknown, saying why, for the other refused forms. Each case is
checked with a Keras probe."""

from __future__ import annotations

import pytest
from test_catalogue_keras import assert_last_models_agree

from kerascount.api import analyze_source

SOURCE = """import numpy as np
import keras
from keras import layers

n, m = np.int32(2), np.int64(1)
inputs = keras.Input({shape})
model = keras.Model(inputs, layers.Dense(2)(layers.{layer}({value})(inputs)))
"""

#: name: (layer, its argument as written, input shape, whether Keras builds it)
CASES = {
    "pad2d-pairs": ("ZeroPadding2D", "((0, n), (m, 0))", (6, 6, 3), True),
    "pad2d-one-pair": ("ZeroPadding2D", "(1, (0, n))", (6, 6, 3), True),
    "pad2d-bare": ("ZeroPadding2D", "n", (6, 6, 3), False),
    "pad2d-flat": ("ZeroPadding2D", "(n, m)", (6, 6, 3), False),
    "crop2d-pairs": ("Cropping2D", "((0, n), (m, 0))", (6, 6, 3), True),
    "pad1d-pair": ("ZeroPadding1D", "(n, m)", (6, 3), True),
    "crop1d-pair": ("Cropping1D", "(n, m)", (6, 3), True),
    "pad3d-pairs": ("ZeroPadding3D", "((0, n), (m, 0), (1, 1))", (4, 4, 4, 2), True),
    "crop3d-pairs": ("Cropping3D", "((0, n), (m, 0), (1, 1))", (6, 6, 6, 2), True),
}


def _source(name):
    layer, value, shape, _ = CASES[name]
    return SOURCE.format(layer=layer, value=value, shape=shape)


@pytest.mark.parametrize("name", sorted(CASES))
def test_numpy_integers_inside_pairs_are_taken(name):
    result = analyze_source(_source(name), "m.py")
    model = result.models[-1]
    if CASES[name][3]:
        assert model.status == "exact", model.reasons
    else:
        assert model.total is None and model.status == "unknown"
        if name == "pad2d-bare":  # (Keras's own isinstance(padding, int) check: an error, as for Dense(np.int64))
            assert any(d.code == "KC103" and d.severity == "error" for d in result.diagnostics)


@pytest.mark.keras
def test_cases_agree_with_keras():
    assert_last_models_agree({name: _source(name) for name in CASES}, {name: c[3] for name, c in CASES.items()},
                             raised="ValueError")
