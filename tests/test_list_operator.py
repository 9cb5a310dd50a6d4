"""`a - b` of two Python lists raises TypeError. The siamese face-verification tutorials subtract two embeddings in
a custom layer's `call` (`L1Dist()(embedding(anchor), embedding(other))`), and their embedding model is made with
`outputs=[d1]`: Keras 3 returns a list from it, even of one tensor (tf.keras 2 returned the tensor), so the
subtraction raises and Keras cannot build the model. kerascount leaves that model unknown and says why; made with
`outputs=d1`, the same model is exact (found by the hold49 hold-out: two of its three siamese repositories)."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers


def make_embedding():
    inp = keras.Input(shape=(20, 20, 3), name="input_image")
    c1 = layers.Conv2D(8, (3, 3), activation="relu")(inp)
    d1 = layers.Dense(16, activation="sigmoid")(layers.Flatten()(c1))
    return keras.Model(inputs=[inp], outputs={outputs}, name="embedding")


embedding = make_embedding()


class L1Dist(layers.Layer):
    def call(self, input_embedding, validation_embedding):
        return keras.ops.abs(input_embedding - validation_embedding)


input_image = keras.Input(name="input_img", shape=(20, 20, 3))
validation_image = keras.Input(name="validation_img", shape=(20, 20, 3))
distances = L1Dist()(embedding(input_image), embedding(validation_image))
siamese = keras.Model(inputs=[input_image, validation_image], outputs=layers.Dense(1, activation="sigmoid")(distances))
"""

SOURCES = {"list": SOURCE.format(outputs="[d1]"), "tensor": SOURCE.format(outputs="d1")}

PROBE = """
import json, sys


def params(text):
    scope = {}
    try:
        exec(text, scope)
    except TypeError:
        return "TypeError"
    return scope["siamese"].count_params()


print(json.dumps({key: params(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _siamese(src):
    return [m for m in analyze_source(src, "m.py").models if m.model.name == "siamese"][-1]


def test_two_lists_subtracted_make_the_model_unknown():
    model = _siamese(SOURCES["list"])
    assert model.total is None
    assert any("Python has no `-` of two lists (TypeError) of tensors" in r and "outputs=[x]" in r
               for r in model.reasons), model.reasons
    assert isinstance(_siamese(SOURCES["tensor"]).total, int)


def test_lists_of_plain_values_are_no_tensors():
    src = "import keras\nsizes = [64, 32] - [1]\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(sizes)])\n"
    model = analyze_source(src, "m.py").models[-1]
    assert model.total is None
    assert any("Python has no `-` of two lists (TypeError)" in r and "outputs=[x]" not in r
               for r in model.reasons), model.reasons


@pytest.mark.keras
def test_list_operator_agrees_with_keras():
    truth = keras_probe(PROBE, SOURCES)
    assert truth["list"] == "TypeError", truth
    assert _siamese(SOURCES["tensor"]).total == truth["tensor"], truth
