"""A dict's view (`d.values()`, `d.keys()`, `d.items()`) given to Keras where it needs tensors. Keras flattens lists,
tuples and dicts of tensors, not a view: `keras.Model(inputs=features.values(), ...)` raises ValueError ("All `inputs`
values must be KerasTensors"), and so does a layer called on one (`Concatenate()(d.values())`: "Only input tensors may
be passed as positional arguments"). kerascount read a view read at once as a tuple and printed numbers for models
Keras never builds (found by hold-out 77: a CTR code base gives `features.values()` as its models' inputs); now the
model is unknown and the reason says why. `list(d.values())` is a list and builds."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers
d = {{"a": keras.Input((2,)), "b": keras.Input((3,))}}
{line}
model = keras.Model(inputs={inputs}, outputs=layers.Dense(1)(x))
"""

CASES = {
    "inputs_values": ("x = layers.Concatenate()(list(d.values()))", "d.values()"),
    "inputs_kept_view": ("x = layers.Concatenate()(list(d.values()))\nview = d.values()", "view"),
    "layer_on_values": ("x = layers.Concatenate()(d.values())", "list(d.values())"),
    "function_on_values": ("x = layers.concatenate(d.values())", "[d['a'], d['b']]"),
    "lists": ("x = layers.Concatenate()(list(d.values()))", "list(d.values())"),
    "tuple": ("x = layers.Concatenate()(tuple(d.values()))", "[*d.values()]"),
}

PROBE = """
import json, sys


def params(text):
    scope = {}
    try:
        exec(text, scope)
    except ValueError:
        return "ValueError"
    return scope["model"].count_params()


print(json.dumps({key: params(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _source(key):
    line, inputs = CASES[key]
    return SOURCE.format(line=line, inputs=inputs)


@pytest.mark.parametrize("key", sorted(CASES))
def test_dict_views_given_to_keras(key):
    model = analyze_source(_source(key), "m.py").models[-1]
    if key in ("lists", "tuple"):
        assert model.total == 6, model.reasons
    else:
        assert model.total is None
        assert any("dict view" in r and "Keras rejects" in r for r in model.reasons), model.reasons


@pytest.mark.keras
def test_dict_views_agree_with_keras():
    truth = keras_probe(PROBE, {key: _source(key) for key in CASES})
    assert truth == {key: 6 if key in ("lists", "tuple") else "ValueError" for key in CASES}
