"""A custom layer that keeps the namespace `parser.parse_args()` gives (`self.args = args`, found by hold-out 77: a
NADE collaborative-filtering layer reads `self.args.normalize_1st_layer` in its `call`). Keras tracks no layer or
weight in an argparse namespace, whose settings are read from the command line, so the layer's weights are counted:
before, the attribute made the whole model unknown."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source
from kerascount.symbolic import symbol_names

SOURCE = """import argparse
import keras


class Scaled(keras.layers.Layer):
    def __init__(self, units, args=None, **kwargs):
        self.args = args
        self.units = units
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))
        self.b = self.add_weight(shape=(self.units,))

    def call(self, x):
        y = keras.ops.matmul(x, self.w) + self.b
        return y * 2 if self.args.double else y


parser = argparse.ArgumentParser()
parser.add_argument("--units", type=int, default=4)
parser.add_argument("--double", action="store_true")
args = parser.parse_args({argv})
inp = keras.Input(shape=(3,))
model = keras.Model(inp, Scaled(args.units, args=args)(inp))
"""

PROBE = """
import json, sys
texts = json.loads(sys.argv[1])
print(json.dumps({key: (exec(text, scope := {}), scope["model"].count_params())[1] for key, text in texts.items()}))
"""


def test_a_layer_holding_the_namespace_is_counted():
    model = analyze_source(SOURCE.format(argv=""), "m.py").models[-1]
    assert model.status == "symbolic", model.reasons
    assert symbol_names(model.total) == ("args.units",)


@pytest.mark.keras
def test_namespace_attribute_agrees_with_keras():
    # 3 inputs, args.units outputs: 4 * units weights, whatever `--double` says
    truth = keras_probe(PROBE, {"default": SOURCE.format(argv="[]"), "set": SOURCE.format(argv="['--units', '7']")})
    assert truth == {"default": 16, "set": 28}
