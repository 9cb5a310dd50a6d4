"""Issue 12 item 6: a model handed to Keras's ``CallbackList.set_model`` (directly or inside an object
of the analysed code) keeps its numbers, since Keras's ``set_model`` only stores it, as long as nothing
the callbacks may run later is known to change a model. Any doubt leaves the numbers unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kerascount.api import analyze_source

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "interpreter2" / "callback_set_model.py"


def _models(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    return {m.model.name: m for m in report.models}


def _truth_total(name: str) -> int:
    truth = json.loads(FIXTURE.with_name("callback_set_model.keras.json").read_text())
    [model] = [m for m in truth["models"] if m["name"] == name]
    return model["total_params"]


def test_fixture_models_keep_their_numbers():
    models = _models(FIXTURE.read_text())
    assert models["net"].total == _truth_total("net")
    assert models["values"].total == _truth_total("values")


SRC = FIXTURE.read_text()


@pytest.mark.parametrize("old, new", [
    # a hook adds a layer to the model it was given
    ('print("epoch", epoch, "of", self.model.name, logs)', 'self.model.net.add(layers.Dense(2))'),
    # a hook freezes it
    ('print("epoch", epoch, "of", self.model.name, logs)', 'self.model.net.trainable = False'),
    # a hook hands it to code the analysis does not see
    ('print("epoch", epoch, "of", self.model.name, logs)', 'keras.utils.custom_hook(self.model)'),
    # a hook reaches a method of the trainer that grows the model
    ('    def describe(self):', '    def widen(self):\n        self.net.add(layers.Dense(4))\n\n    def describe(self):'),
    # the list class defines its own set_model
    ('    def on_episode(self, count):', '    def set_model(self, model):\n        super().set_model(model)\n\n'
                                        '    def on_episode(self, count):'),
    # a callback that runs the user's functions
    ('hooks += [EpochPrinter(), History()]', 'hooks += [keras.callbacks.LambdaCallback(), History()]'),
    # callbacks the analysis does not know
    ('trainer.run()', 'import helpers\ntrainer.run(helpers.more_callbacks())'),
    # the trainer itself handed to a function the analysis does not see: it may change the model
    ('trainer.run()', 'import helpers\nhelpers.tweak(trainer)\ntrainer.run()'),
])
def test_anything_that_may_change_the_model_leaves_it_unknown(old, new):
    assert SRC.count(old) == 1
    models = _models(SRC.replace(old, new))
    assert models["net"].total is None, models["net"].reasons
    assert models["values"].total == _truth_total("values")  # (given directly: kept)
