"""TensorFlow values and functions in custom layers (fixtures/custom/tf_functions.py and tensor_shape.py hold
what real Keras builds); here what Keras 3 rejects, checked with TensorFlow 2.21 and Keras 3.15."""

from __future__ import annotations

from kerascount.api import analyze_source

_LAYER = """import keras
import tensorflow as tf

class Widen(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units))
    def call(self, x):
        return x @ self.kernel
    def compute_output_shape(self, input_shape):
        return tf.TensorShape({dims} + [self.units])

model = keras.Sequential([keras.Input((8,)), Widen(30), Widen(1)])
"""


def _model(dims: str):
    return analyze_source(_LAYER.format(dims=dims), "m.py").models[0]


def test_as_list_of_the_shape_keras_3_gives_is_not_followed():
    """Keras 3 gives compute_output_shape a tuple: `.as_list()` raises AttributeError there (tf.keras 2 gave a
    TensorShape), so the model is not given tf.keras 2's numbers."""
    m = _model("input_shape.as_list()[:-1]")
    assert m.status == "unknown" and m.total is None
    assert "as_list" in " ".join(m.reasons)


def test_try_as_list_falls_back_to_list():
    """A fallback in `except` (keras-tcn's tolist) runs, as in Keras 3."""
    helper = _LAYER.replace("    def compute_output_shape", "    def tolist(self, s):\n        try:\n"
                            "            return s.as_list()\n        except Exception:\n            return list(s)\n"
                            "    def compute_output_shape").format(dims="self.tolist(input_shape)[:-1]")
    m = analyze_source(helper, "m.py").models[0]
    assert m.status == "exact" and m.total == 8 * 30 + 30 * 1
