"""`model.layers[0].input` of an InputLayer: Keras 3 gives the input tensors of the layer's node, and an InputLayer's
node has none, so it is an empty list (tf.keras 2 gave the input tensor); a model made from it raises ValueError.
kerascount leaves such a model unknown, with that reason, and reads the InputLayer's `.output` as the model's input
(fixtures/applications/first_layer_input.py has the keras.applications side, with its truth)."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers
{app}
pixels = keras.Input((28, 28, 1))
x = layers.Conv2D(8, 3, activation="relu")(pixels)
x = layers.Flatten()(x)
net = keras.Model(pixels, layers.Dense(10, activation="softmax")(x))
features = keras.Model(net.layers[0].{attr}, net.layers[2].output)
"""
APP = "trunk = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)\n"

PROBE = """
import json, sys
src = json.loads(sys.argv[1])
out = {}
for key, text in src.items():
    try:
        scope = {}
        exec(text, scope)
        out[key] = scope["features"].count_params()
    except ValueError as exc:
        out[key] = "ValueError: " + str(exc).split(".")[0]
print(json.dumps(out))
"""


def _sources():
    cut = "keras.Model(trunk.layers[0].{attr}, trunk.layers[-1].output)\n"
    return {f"{kind}-{attr}": SOURCE.format(app=APP if kind == "app" else "", attr=attr) +
            (f"features = {cut.format(attr=attr)}" if kind == "app" else "")
            for kind in ("functional", "app") for attr in ("input", "output")}


def test_input_layer_input_is_not_followed_and_its_output_is_the_model_input():
    for key, src in _sources().items():
        model = [m for m in analyze_source(src, "m.py").models if m.model.name == "features"][-1]
        if key.endswith("-input"):
            assert model.total is None and any("InputLayer's input, which Keras 3 gives as an empty list" in r
                                               for r in model.reasons), (key, model.reasons)
        else:
            assert isinstance(model.total, int), (key, model.reasons)


@pytest.mark.keras
def test_input_layer_input_agrees_with_keras():
    sources = _sources()
    truth = keras_probe(PROBE, sources)
    for key, src in sources.items():
        model = [m for m in analyze_source(src, "m.py").models if m.model.name == "features"][-1]
        if key.endswith("-input"):
            assert truth[key] == "ValueError: `inputs` argument cannot be empty", (key, truth[key])
        else:
            assert model.total == truth[key], (key, model.total, truth[key])
