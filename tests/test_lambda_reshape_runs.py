"""`ops.reshape(x, (-1, ...))` in a Lambda's function (or a custom layer's call) on a tensor with open sizes: Keras
infers the output by running the function with each open size set to 83, then 89 (the numpy and JAX backends'
compute_output_spec). Where the -1 cannot take one of those runs' values whole, the reshape raises and the Lambda's
shape is not inferred (NotImplementedError): kerascount leaves the model unknown there, and exact where both runs
divide (extract/ops_calls.OpsCalls._filled_minus_one). Each case is checked with a Keras probe."""

from __future__ import annotations

import pytest
from test_catalogue_keras import assert_last_models_agree

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers, ops

inputs = keras.Input({shape})
x = layers.Lambda(lambda v: ops.reshape(v, {target}))(inputs)
model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(x)))
"""

CUSTOM = """import keras
from keras import layers, ops


class Unfold(layers.Layer):
    def call(self, v):
        return ops.reshape(v, {target})


inputs = keras.Input({shape})
model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(Unfold()(inputs))))
"""

#: name: (template, input shape, target, whether Keras builds it)
CASES = {
    "fold-frames": (SOURCE, (240, 8, 8, 3), (-1, 8, 8, 3), True),
    "split-features": (SOURCE, (8,), (-1, 2, 4), True),
    "unfold-frames": (SOURCE, (4,), (-1, 240, 4), False),
    "uneven-rows": (SOURCE, (4,), (-1, 3), False),
    "two-open-sizes": (SOURCE, (None, 6), (-1, 2, 3), True),
    "custom-unfold": (CUSTOM, (4,), (-1, 240, 4), False),
}


def _source(name):
    template, shape, target, _ = CASES[name]
    return template.format(shape=shape, target=target)


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_only_where_both_runs_divide(name):
    model = analyze_source(_source(name), "m.py").models[-1]
    if CASES[name][3]:
        assert model.status == "exact", model.reasons
    else:
        assert model.total is None and model.status == "unknown"
        assert any("83, then 89" in r for r in model.reasons) or CASES[name][0] is CUSTOM, model.reasons


@pytest.mark.keras
def test_cases_agree_with_keras():
    assert_last_models_agree({name: _source(name) for name in CASES}, {name: c[3] for name, c in CASES.items()})
