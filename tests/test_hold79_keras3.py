"""Keras 3 era code (hold-out 79): a functional model holding a custom layer whose ``build`` makes sublayers and
whose ``compute_output_shape`` answers Keras's symbolic call (so ``call`` does not run and the sublayers stay unbuilt)
gains their weights when it is later run on data (``model(x)``, ``predict``, ``evaluate``, ``fit``, or the layer
itself on arrays); kerascount must not keep the count it had before the run. The truth is real Keras's count after
the run."""

from __future__ import annotations

import pytest
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

from kerascount.api import analyze_source

LAYER = """import numpy as np
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.ff = layers.Dense(self.units)
        {BUILD}
        super().build(input_shape)

    def call(self, x):
        return self.ff(x)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)


inputs = keras.Input((10,))
block = Block(16)
x = block(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""

RUNS = {
    "none": "",
    "call": "model(np.zeros((8, 10), 'float32'))\n",
    "layer": "block(np.zeros((8, 10), 'float32'))\n",
    "predict": "model.predict(np.zeros((8, 10), 'float32'), verbose=0)\n",
    "evaluate": "model.compile('adam', 'mse')\nmodel.evaluate(np.zeros((8, 10)), np.zeros((8, 1)), verbose=0)\n",
    "symbolic": "model(keras.Input((10,)))\n",
}


def _sources(build: str) -> dict:
    return {run: LAYER.replace("{BUILD}", build) + text for run, text in RUNS.items()}


@pytest.mark.keras
def test_run_on_data_builds_skipped_sublayers():
    sources = _sources("pass")
    truth = keras_probe(COUNT_OR_RAISED, sources)
    assert truth["none"] == truth["symbolic"] == 17  # the Dense of Block is never built
    for run in ("call", "layer", "predict", "evaluate"):
        assert truth[run] == 193, (run, truth[run])  # built by running Block.call on data
    for run, text in sources.items():
        model = analyze_source(text, "m.py").models[-1]
        if run in ("none", "symbolic"):
            assert model.total == truth[run], run
        else:
            assert model.total is None, (run, model.total)
            assert any("runs `Block.call` on data" in r for r in model.reasons), (run, model.reasons)


@pytest.mark.keras
def test_sublayers_built_in_build_keep_their_count():
    sources = _sources("self.ff.build(input_shape)")
    truth = keras_probe(COUNT_OR_RAISED, sources)
    for run, text in sources.items():
        assert truth[run] == 193, (run, truth[run])
        assert analyze_source(text, "m.py").models[-1].total == 193, run


HELD_FUNCTIONAL = """import keras
from keras import layers, Model


class FeedForward(Model):
    def __init__(self, names, units, **kwargs):
        super().__init__(**kwargs)
        self.names = names
        self.input_layers = {name: layers.Input(shape=(1,), name=name) for name in names}
        self.concat = layers.Concatenate(axis=1)
        self.hidden = [layers.Dense(u, activation="relu") for u in units]
        self.head = layers.Dense(2)
        inputs = [self.input_layers[name] for name in names]
        x = self.concat(inputs)
        for layer in self.hidden:
            x = layer(x)
        self._model = Model(inputs, self.head(x))

    def call(self, inputs):
        return self._model(inputs)


model = FeedForward(["x", "y"], [16, 8])
"""

SUMMARY_TOTAL = """import io, json, sys
from contextlib import redirect_stdout

scope = {}
exec(json.loads(sys.argv[1]), scope)
model = scope["model"]
out = io.StringIO()
with redirect_stdout(out):
    model.summary()
line = next(l for l in out.getvalue().splitlines() if "Total params:" in l)
print(json.dumps([model.built, int(line.split(":")[1].split("(")[0].replace(",", ""))]))
"""


@pytest.mark.keras
def test_unbuilt_model_holding_a_functional_model_of_its_own_layers():
    # Keras's summary of the model never called counts each variable once (the layers it holds are the functional
    # model's); kerascount reported the rows' sum, twice the count
    built, shown = keras_probe(SUMMARY_TOTAL, HELD_FUNCTIONAL)
    assert not built and shown == 3 * 16 + 17 * 8 + 9 * 2
    model = analyze_source(HELD_FUNCTIONAL, "m.py").models[0]
    assert model.status == "unbuilt" and model.total == shown

    from kerascount.report.text import _totals_shown

    assert _totals_shown(model)[0] == shown


@pytest.mark.keras
@pytest.mark.parametrize("made, units", [
    ("layers.Dropout(0.1)", 10),  # no weights whenever it is built (and its output keeps the input's 10 features)
    ("keras.Sequential([keras.Input(input_shape[1:]), layers.Dense(self.units)])", 16),  # built when made
    ("Passthrough()", 10),  # a custom layer that makes no weight
])
def test_sublayers_that_a_run_on_data_does_not_change_keep_their_count(made, units):
    # a Dropout has no weights to make; a Sequential with an input has its weights already: the run on data adds none
    passthrough = "class Passthrough(layers.Layer):\n    def call(self, x):\n        return x\n\n\nclass Block("
    sources = {run: text.replace("layers.Dense(self.units)\n", f"{made}\n", 1).replace("Block(16)", f"Block({units})")
               .replace("class Block(", passthrough, 1) for run, text in _sources("pass").items()}
    truth = keras_probe(COUNT_OR_RAISED, sources)
    for run, text in sources.items():
        model = analyze_source(text, "m.py").models[-1]
        assert isinstance(truth[run], int) and model.total == truth[run], (run, model.total, truth[run], model.reasons)
