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


CASES = [
    # a hook adds a layer to the model it was given
    ('print("epoch", epoch, "of", self.model.name, logs)', 'self.model.net.add(layers.Dense(2))'),
    # a hook freezes it
    ('print("epoch", epoch, "of", self.model.name, logs)', 'self.model.net.trainable = False'),
    # a hook hands it to code the analysis does not see
    ('print("epoch", epoch, "of", self.model.name, logs)', 'keras.utils.custom_hook(self.model)'),
    # a hook hands on something the trainer holds, or binds it to a name first
    ('print("epoch", epoch, "of", self.model.name, logs)', 'keras.utils.custom_hook(self.model.log)'),
    ('print("epoch", epoch, "of", self.model.name, logs)', 'held = self.model.log\n        print(held)'),
    # a hook calls a function of the analysed code that grows the model
    ('print("epoch", epoch, "of", self.model.name, logs)', 'grow(self.model.net)'),
    # a hook reaches a method of the trainer that grows the model
    ('print("epoch", epoch, "of", self.model.name, logs)', 'print(self.model.describe())'),
    # ... or hands the trainer to code the analysis does not see
    ('print("epoch", epoch, "of", self.model.name, logs)', 'print(self.model.share())'),
    # the list class defines its own set_model
    ('    def on_episode(self, count):', '    def set_model(self, model):\n        super().set_model(model)\n\n'
                                        '    def on_episode(self, count):'),
    # a callback that runs the user's functions
    ('hooks += [EpochPrinter(), History()]', 'hooks += [keras.callbacks.LambdaCallback(), History()]'),
    # callbacks the analysis does not know
    ('trainer.run()', 'import helpers\ntrainer.run(helpers.more_callbacks())'),
    # the training loop the analysis cannot run to its end grows the model
    ('            hooks.on_epoch_end(self.step)', '            self.net.add(layers.Dense(1))'),
    # ... or a helper of the analysed code it calls does
    ('            hooks.on_epoch_end(self.step)', '            grow(self.net)'),
    # ... or it hands the trainer to code the analysis does not see
    ('            hooks.on_epoch_end(self.step)', '            keras.utils.inspect(self)'),
    # the trainer itself handed to a function the analysis does not see: it may change the model
    ('trainer.run()', 'import helpers\nhelpers.tweak(trainer)\ntrainer.run()'),
]


def _variant(old: str, new: str) -> str:
    """The fixture with ``old`` replaced, a helper that grows a model, a trainer method that does (reached
    only by a hook that names it), one that hands the trainer on, and an object holding the trainer."""
    assert SRC.count(old) == 1
    src = SRC.replace(old, new).replace('        return f"{self.name}: {len(self.net.layers)} layers"',
                                        '        self.net.add(layers.Dense(4))\n        return self.name\n\n'
                                        '    def share(self):\n        return keras.utils.publish(self)')
    src = src.replace("        self.seen.append(self.describe())\n", "")
    src = src.replace("        self.step = 0\n", "        self.step = 0\n        self.log = Log(self)\n")
    src = src.replace("class Trainer:", "class Log:\n    def __init__(self, owner):\n        self.owner = owner\n\n\n"
                                        "class Trainer:")
    return src.replace("class Trainer:", "def grow(m):\n    m.add(layers.Dense(1))\n\n\nclass Trainer:")


def test_the_variants_alone_keep_the_numbers():
    # (the trainer's `describe` grows the model, but no callback names it and nothing else calls it)
    models = _models(_variant("hooks.set_model(self)", "hooks.set_model(self)"))
    assert models["net"].total == _truth_total("net")


@pytest.mark.parametrize("old, new", CASES)
def test_anything_that_may_change_the_model_leaves_it_unknown(old, new):
    models = _models(_variant(old, new))
    assert models["net"].total is None, models["net"].reasons
    assert models["values"].total == _truth_total("values")  # (given directly: kept)


def test_the_model_is_still_reached_through_the_object_after_the_loop():
    # The loop leaves the trainer's step count unknown, not the attribute holding the model: a layer added
    # through it afterwards is counted (Keras's truth for the fixture is the same model).
    src = SRC.replace("\nnet.add(layers.Dense(3))\n", "\ntrainer.net.add(layers.Dense(3))\n")
    assert src != SRC
    assert _models(src)["net"].total == _truth_total("net")


def test_what_the_loop_assigns_is_unknown_after_it():
    src = SRC.replace("            self.step += 1\n", "            self.step += 1\n            self.width = 5\n")
    src = src.replace("        self.step = 0\n", "        self.step = 0\n        self.width = 3\n")
    src = src.replace("\nnet.add(layers.Dense(3))\n", "\nnet.add(layers.Dense(trainer.width))\n")
    assert src.count("width") == 3
    assert _models(src)["net"].total is None


@pytest.mark.parametrize("call, unknown", [
    ("helpers.add_block(net)", "total"),  # may add layers to the Sequential it is given
    ("helpers.freeze_layers(net)", "trainable"),  # may set its trainable flags
    ("helpers.tweak(trainer)", "total"),  # an object of the analysed code: anything it holds may change
])
def test_a_function_out_of_sight_that_may_change_the_model_leaves_it_unknown(call, unknown):
    src = SRC.replace("\nnet.add(layers.Dense(3))\n", f"\nimport helpers\n{call}\nnet.add(layers.Dense(3))\n")
    assert src != SRC
    assert getattr(_models(src)["net"], unknown) is None
