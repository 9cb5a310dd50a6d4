"""Keras 3's `Layer.__call__` converts arrays (and NumPy scalars) among the positional arguments to tensors and
raises ValueError ("Only input tensors may be passed as positional arguments") for any other value that is not a
tensor or None, items of lists and tuples included: `WindowAttention()([x, 4, index, mask])` as Swin ports write it
(fixtures/errors/custom_layer_list_with_scalar.py holds one, checked against Keras). kerascount reports KC103 there,
for custom layers as for Keras's own, and takes a NumPy scalar (`ops.minimum(7, size)` run eagerly) as Keras does."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import numpy as np
import keras
from keras import layers


class Pick(layers.Layer):
    def call(self, inputs):
        return inputs[0]


x = keras.Input((4,))
y = {layer}({items})
model = keras.Model(x, layers.Dense(2)(y))
"""

CASES = {
    "int": ("Pick()", "[x, 4]"),
    "float": ("Pick()", "[x, 0.5]"),
    "nested": ("Pick()", "[x, [1, 2]]"),
    "bool": ("Pick()", "(x, True)"),
    "none": ("Pick()", "[x, None]"),
    "numpy-int": ("Pick()", "[x, np.int64(4)]"),
    "numpy-float": ("Pick()", "[x, np.float32(0.5)]"),
    "array": ("Pick()", "[x, np.ones((1, 4))]"),
    "keras-layer-int": ("layers.Add()", "[x, 3]"),
}

PROBE = """
import json, sys

out = {}
for key, text in json.loads(sys.argv[1]).items():
    scope = {}
    try:
        exec(text, scope)
        out[key] = scope["model"].count_params()
    except ValueError as e:
        out[key] = "ValueError" if "Only input tensors" in str(e) else str(e)
print(json.dumps(out))
"""


def _source(key):
    layer, items = CASES[key]
    return SOURCE.format(layer=layer, items=items)


def _verdict(key):
    report = analyze_source(_source(key), "m.py")
    if any(d.code == "KC103" and "positional argument" in d.message for d in report.diagnostics):
        return "ValueError"
    return report.models[-1].total


@pytest.mark.parametrize("key", ["int", "float", "nested", "bool", "keras-layer-int"])
def test_scalars_raise(key):
    assert _verdict(key) == "ValueError"


@pytest.mark.parametrize("key", ["none", "numpy-int", "numpy-float", "array"])
def test_tensors_arrays_and_numpy_scalars_pass(key):
    assert _verdict(key) != "ValueError"


@pytest.mark.keras
def test_agrees_with_keras():
    truth = keras_probe(PROBE, {key: _source(key) for key in CASES})
    for key in CASES:
        ours = _verdict(key)
        assert ours == truth[key] or (ours is None and truth[key] != "ValueError"), (key, ours, truth[key])
