"""A model read back with `load_model` is made of new layers: setting the flags of its layers
(`ft.get_layer(name).trainable = True`, `ft.layers[1].trainable`, a loop over `ft.get_layer(name).layers[:-20]`)
changes none of the analysed code's layers, so the model saved before keeps its split (hold-out 64: a course
notebook's transfer-learning model was unknown after its fine-tuning phase unfroze the reloaded copy). Checked
with Keras: the probe runs the code and counts the first model's weights after it."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = '''import os
import tempfile

import keras
from keras import layers

base = keras.applications.MobileNetV3Small(input_shape=(96, 96, 3), include_top=False, weights=None,
                                           pooling="avg", include_preprocessing=False)
base.trainable = False
inputs = keras.Input(shape=(96, 96, 3))
outputs = layers.Dense(3, activation="softmax")(layers.Dropout(0.2)(base(inputs)))
transfer = keras.Model(inputs, outputs, name="transfer")

path = os.path.join(tempfile.mkdtemp(), "transfer.keras")
transfer.save(path)

ft = keras.models.load_model(path)
ft.get_layer("MobileNetV3Small").trainable = True
ft.layers[1].trainable = True
for layer in ft.get_layer("MobileNetV3Small").layers[:-20]:
    layer.trainable = False
'''

PROBE = """
import json, sys
scope = {}
exec(json.loads(sys.argv[1]), scope)
m = scope["transfer"]
print(json.dumps([m.count_params(), sum(int(w.numpy().size) for w in m.trainable_weights),
                  sum(int(w.numpy().size) for w in m.non_trainable_weights)]))
"""


def _transfer(source: str):
    return next(m for m in analyze_source(source, "m.py").models if m.model.keras_name == "transfer")


@pytest.mark.keras
def test_flags_of_a_reloaded_copy_leave_the_saved_model_alone():
    model = _transfer(SOURCE)
    assert model.status == "exact", model.reasons
    assert [model.total, model.trainable, model.non_trainable] == keras_probe(PROBE, SOURCE)


def test_flags_of_a_clone_stay_unknown():
    """`clone_model` may hand back the original layers (its `clone_function`): not followed."""
    model = _transfer(SOURCE.replace("ft = keras.models.load_model(path)", "ft = keras.models.clone_model(transfer)"))
    assert model.status == "unknown" and model.trainable is None
