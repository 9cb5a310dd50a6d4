"""Model zoos vendor TensorFlow 2's own application sources: `layers = VersionAwareLayers()` (from
`tensorflow.python.keras.layers`) and builders decorated with `@keras_export(...)` (from
`tensorflow.python.util.tf_export`), which registers a public name and returns the function. kerascount reads the
first as the layers of the Keras TensorFlow runs (as it reads `tensorflow.keras.layers`) and the second as the
function itself, so such a file gives the numbers of the same code written with `keras.layers`, which real Keras
checks here (the hold49 hold-out's vendored EfficientNet: 29 models Keras confirmed through
benchmarks/corpus_truth.py's stand-ins of the two)."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

BODY = """
def TinyNet(input_shape=(32, 32, 3), classes=10):
    inputs = layers.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return training.Model(inputs, outputs, name="tiny")


model = TinyNet(classes=7)
"""

VENDORED = """from tensorflow.python.keras.engine import training
from tensorflow.python.keras.layers import VersionAwareLayers
from tensorflow.python.util.tf_export import keras_export

layers = VersionAwareLayers()

@keras_export("keras.applications.TinyNet")""" + BODY

PLAIN = """import keras
from keras import layers

training = keras""" + BODY

PROBE = """
import json, sys

scope = {}
exec(json.loads(sys.argv[1]), scope)
print(json.dumps(scope["model"].count_params()))
"""


def _model(src):
    return analyze_source(src, "m.py").models[-1]


def test_vendored_sources_read_as_keras():
    vendored, plain = _model(VENDORED), _model(PLAIN)
    assert isinstance(vendored.total, int)
    assert (vendored.total, vendored.trainable, vendored.non_trainable) == \
        (plain.total, plain.trainable, plain.non_trainable)
    assert [(r.layer.name, r.layer.type, r.output_shape, r.params) for r in vendored.rows] == \
        [(r.layer.name, r.layer.type, r.output_shape, r.params) for r in plain.rows]


def test_other_decorators_stay_unfollowed():
    """A decorator of a library the analysis does not see may return anything: the call `TinyNet(classes=7)` is not
    followed (the only model is the builder's own run with its default arguments, 10 classes, not the call's)."""
    src = VENDORED.replace("from tensorflow.python.util.tf_export import keras_export",
                           "from some_registry import keras_export")
    models = analyze_source(src, "m.py").models
    assert len(models) == 1 and models[0].total != _model(PLAIN).total
    assert models[0].total == _model(PLAIN.replace("TinyNet(classes=7)", "TinyNet()")).total


@pytest.mark.keras
@pytest.mark.parametrize("call", ["TinyNet(classes=7)", "TinyNet()"])
def test_plain_version_agrees_with_keras(call):
    src = PLAIN.replace("TinyNet(classes=7)", call)
    assert _model(src).total == keras_probe(PROBE, src)
