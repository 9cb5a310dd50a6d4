"""In a Sequential, the layer after one that returns several tensors (`LSTM(return_state=True)`) is called on their
list, as Keras's Sequential.build does: merge layers take it (fixtures/styles/sequential_after_several_outputs.py);
a layer of one input, or a merge layer of two given three, is rejected by Keras, and kerascount says so."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

REJECTED = {
    "dense": ("layers.LSTM(3, return_state=True)", "layers.Dense(2)", "KC102"),
    "subtract-of-three": ("layers.LSTM(3, return_state=True)", "layers.Subtract()", "KC107"),
    "dot-of-three": ("layers.LSTM(3, return_state=True)", "layers.Dot(axes=1)", "KC107"),
}

PROBE = """
import json, sys
import keras
from keras import layers

out = {}
for key, (first, second, _) in json.loads(sys.argv[1]).items():
    try:
        keras.Sequential([keras.Input((5, 4)), eval(first), eval(second)])
        out[key] = None
    except ValueError as exc:
        out[key] = str(exc)[:60]
print(json.dumps(out))
"""


def _source(first, second):
    return f"import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((5, 4)), {first}, {second}])\n"


@pytest.mark.parametrize("key", sorted(REJECTED))
def test_rejected(key):
    first, second, code = REJECTED[key]
    report = analyze_source(_source(first, second), "m.py")
    assert report.models[0].status == "unknown"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == [code]


@pytest.mark.keras
def test_keras_rejects_them():
    truth = keras_probe(PROBE, REJECTED)
    assert all(v is not None for v in truth.values()), truth
