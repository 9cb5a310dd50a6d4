"""`Normalization.adapt(data)` on a layer no call has built builds it on the data's whole shape (Keras 3's
`Normalization.adapt`: `if not self.built: self.build(input_shape)`), and a subclassed model's summary shows that
layer's output for it (fixtures/subclassed/normalization_built_by_adapt.py, checked against Keras). On data whose shape
the analysis does not know, the row's shape is unknown ("?"), never the shape of the first call's batch; the
weights, which the axis it keeps fixes, stay the call's."""

from __future__ import annotations

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


def _rows(data):
    model = analyze_source(SOURCE.format(data=data), "m.py").models[-1]
    return model, {r.layer.type: r for r in model.rows}


def test_adapt_on_unknown_data_leaves_the_row_shape_unknown():
    model, rows = _rows("frame.values")
    assert rows["Normalization"].output_shape is None
    assert rows["Normalization"].params == 11 and model.total == 17
    assert rows["Dense"].output_shape == (32, 1)


def test_adapt_on_known_data_shows_its_shape():
    _, rows = _rows("keras.random.normal((7, 5))")
    assert rows["Normalization"].output_shape == (7, 5)
