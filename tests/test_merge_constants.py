"""A merge layer given an array of data beside a tensor (fixtures/ops/merge_constant_operands.py holds the shapes
Keras gives): Keras's merge reads the first item's `sparse`, which a NumPy array does not have, so an array first in
the list makes Keras raise AttributeError. kerascount takes the array as a constant only after a tensor; first, the
model stays unknown."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import numpy as np
import keras
from keras import layers

x = keras.Input((4, 6))
table = np.ones((1, 4, 6), dtype="float32")
merged = layers.{layer}()({items})
model = keras.Model(x, layers.Dense(2)(merged))
"""

CASES = {f"{layer}-{order}": SOURCE.format(layer=layer, items=items)
         for layer in ("Add", "Concatenate")
         for order, items in (("tensor-first", "[x, table]"), ("array-first", "[table, x]"))}

PROBE = """
import json, sys


def params(text):
    scope = {}
    try:
        exec(text, scope)
    except AttributeError:
        return "AttributeError"
    return scope["model"].count_params()


print(json.dumps({key: params(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _model(key):
    return analyze_source(CASES[key], "m.py").models[-1]


@pytest.mark.parametrize("key", [k for k in CASES if k.endswith("array-first")])
def test_array_first_is_not_taken_as_a_constant(key):
    model = _model(key)
    assert model.total is None
    assert any("is called on something that is not a tensor" in r for r in model.reasons), model.reasons


@pytest.mark.keras
def test_merge_constants_agree_with_keras():
    truth = keras_probe(PROBE, CASES)
    for key, value in truth.items():
        if key.endswith("array-first"):
            assert value == "AttributeError", (key, value)
            assert _model(key).total is None
        else:
            assert _model(key).total == value, (key, value)
