"""`Normalization.adapt(data)` on a layer no call has built builds it on the data's whole shape (Keras 3's
`Normalization.adapt`: `if not self.built: self.build(input_shape)`), and a subclassed model's summary shows that
layer's output for it (fixtures/subclassed/normalization_built_by_adapt.py, checked against Keras). On data whose shape
the analysis does not know, the row's shape is unknown ("?"), never the shape of the first call's batch; the
weights, which the axis it keeps fixes, stay the call's."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import pandas as pd
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.norm = layers.Normalization()
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.norm(inputs))


frame = pd.read_csv("houses.csv")
model = Net()
model.norm.adapt({data})
model(keras.random.normal((32, 5)))
"""


PROBE = """
import json, sys

import numpy as np
import keras

scope = {}
text = json.loads(sys.argv[1])
exec(text.replace('import pandas as pd', '').replace('pd.read_csv("houses.csv")', 'None'), scope)
model = scope["model"]
norm = model.norm
print(json.dumps([model.count_params(), list(norm.compute_output_shape(norm._build_shapes_dict["input_shape"]))]))
"""


def _rows(data):
    model = analyze_source(SOURCE.format(data=data), "m.py").models[-1]
    return model, {r.layer.type: r for r in model.rows}


def test_adapt_on_unknown_data_leaves_the_row_shape_unknown():
    """The row's shape is not known; the counts (the axis Normalization keeps fixes its weights) are those of the
    same model adapted on data of a known shape, which Keras checks below."""
    model, rows = _rows("frame.values")
    known, known_rows = _rows("keras.random.normal((7, 5))")
    assert rows["Normalization"].output_shape is None
    assert rows["Normalization"].params == known_rows["Normalization"].params
    assert model.total == known.total
    assert rows["Dense"].output_shape == known_rows["Dense"].output_shape


@pytest.mark.keras
def test_adapt_on_known_data_agrees_with_keras():
    model, rows = _rows("keras.random.normal((7, 5))")
    total, shape = keras_probe(PROBE, SOURCE.format(data="keras.random.normal((7, 5))"))
    assert model.total == total
    assert rows["Normalization"].output_shape == tuple(shape)
