"""TensorFlow values and functions in custom layers (fixtures/custom/tf_functions.py and tensor_shape.py hold
what real Keras builds); here what Keras 3 rejects, checked with TensorFlow 2.21 and Keras 3.15."""

from __future__ import annotations

from test_fixtures import REPO_ROOT

from kerascount.api import analyze_source

_FIXTURE = (REPO_ROOT / "fixtures/custom/tensor_shape.py").read_text()
_TOLIST = ("    def tolist(self, s):\n        try:\n            return s.as_list()\n        except Exception:\n"
           "            return list(s)\n\n    def compute_output_shape")


def _models(source: str):
    report = analyze_source(source, "m.py")
    assert report.internal_error is None
    return report.models


def test_as_list_of_the_shape_keras_3_gives_is_not_followed():
    """Keras 3 gives compute_output_shape a tuple: `.as_list()` raises AttributeError there (tf.keras 2 gave a
    TensorShape, and its numbers), so the model is left unknown."""
    chars, model = _models(_FIXTURE.replace("list(input_shape)", "input_shape.as_list()"))
    assert chars.status == "exact"
    assert model.status == "unknown" and model.total is None
    assert any("as_list" in r for r in model.reasons)


def test_as_list_in_try_falls_back_as_in_keras_3():
    """A fallback in `except` (keras-tcn's tolist) runs, as in Keras 3: the fixture's numbers."""
    source = _FIXTURE.replace("list(input_shape)", "self.tolist(input_shape)").replace(
        "    def compute_output_shape", _TOLIST)
    model = _models(source)[1]
    assert model.status == "exact" and model.total == 71


def test_tf_variable_attribute_is_left_unknown_with_why():
    """Keras 3 leaves a tf.Variable attribute out of count_params() (TensorFlow backend: 0); tf.keras 2 counted
    it: unknown, and the reason says so."""
    source = ("import tensorflow as tf\n\nclass Line(tf.keras.Model):\n    def __init__(self):\n"
              "        super().__init__()\n        self.w = tf.Variable(0.0)\n\n    def call(self, x):\n"
              "        return self.w * x\n\nmodel = Line()\nmodel.build(input_shape=(None, 1))\n")
    (model,) = _models(source)
    assert model.total is None and any("tf.keras 2 counted it" in r for r in model.reasons)


def test_model_made_in_build_of_layer_keras_does_not_call_counts_its_weights():
    """A custom layer with compute_output_shape whose build makes a functional model: Keras never runs its call,
    but the model has its weights from its making (real Keras: 33 params, 28 without them), which are counted
    (keras-fsl's GramMatrix with a MixedNorms head; fixtures/custom/model_made_in_build.py)."""
    source = ("import keras\nfrom keras import layers\n\ndef make_head(width):\n    a = keras.Input((width,))\n"
              "    return keras.Model(a, layers.Dense(1)(a))\n\nclass Scored(layers.Layer):\n"
              "    def build(self, input_shape):\n        self.head = make_head(input_shape[-1])\n\n"
              "    def compute_output_shape(self, input_shape):\n        return (input_shape[0], 1)\n\n"
              "    def call(self, x):\n        return self.head(x)\n\n"
              "model = keras.Sequential([keras.Input((6,)), layers.Dense(4), Scored()])\n")
    models = _models(source)
    assert sorted(str(m.total) for m in models) == ["33", "5"] and all(m.status == "exact" for m in models)


def test_tensorflow_numpy_functions_in_a_call_are_numpys():
    """TensorFlow's NumPy (`tnp.matmul`, `tnp.maximum`, `tnp.minimum`) in a custom layer's call broadcasts as
    NumPy does, as keras.ops does: fixtures/custom/numpy_style_dense.py's numbers, which real Keras gives with
    keras.ops."""
    source = (REPO_ROOT / "fixtures/custom/numpy_style_dense.py").read_text().replace(
        "from keras import ops", "import tensorflow.experimental.numpy as ops")
    (model,) = _models(source)
    assert model.status == "exact" and model.total == 92
    assert [row.output_shape for row in model.rows] == [(None, 5), (None, 3), (None, 1)]


_ACTIVATIONS = (REPO_ROOT / "fixtures/custom/tf_nn_activations.py").read_text()


def test_tf_nn_activations_keep_the_shape():
    """tf.nn.swish, relu6, gelu... in a custom layer's call and a Lambda: the fixture's numbers (Keras: 314)."""
    (model,) = _models(_ACTIVATIONS)
    assert model.status == "exact" and model.total == 314


def test_tf_nn_swish_with_a_keyword_tensorflow_lacks_is_not_followed():
    """TensorFlow 2.21's tf.nn.swish takes (features, beta) only: `name=` raises TypeError there, so the model is
    unknown, where relu6's `name=` (a parameter it has) changes nothing."""
    (model,) = _models(_ACTIVATIONS.replace("tf.nn.swish(x)", 'tf.nn.swish(x, name="s")'))
    assert model.status == "unknown" and model.total is None
