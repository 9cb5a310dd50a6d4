"""A plain method of a class derived from ``keras.callbacks.Callback`` (a data generator that is also a
callback, as keras 2's image_ocr example's ``TextImageGenerator``) is run when the code calls it
(``gen.get_output_size()``), with ``self`` the instance (whose attributes stay unknown). Anything that may
give the instance an attribute of the method's name, or hand it to code the analysis does not see, leaves
what it returns unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kerascount.api import analyze_source

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "interpreter2" / "callback_methods.py"
SRC = FIXTURE.read_text()


def _reader(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    [model] = [m for m in report.models if m.model.name == "reader"]
    return model


def _truth():
    [model] = json.loads(FIXTURE.with_name("callback_methods.keras.json").read_text())["models"]
    return model


def test_methods_are_run_as_python_runs_them():
    truth = _truth()
    model = _reader(SRC)
    assert model.total == truth["total_params"] == 1991
    assert model.trainable == truth["trainable_params"]


CASES = [
    # an instance attribute of the method's name, set before the call (Python finds it first)
    ("tokens = keras.Input(shape=(20, 16))", "batches.hidden = lambda scale=4: 7\ntokens = keras.Input(shape=(20, 16))"),
    # ... set by code of the class that the analysis does not run (a hook Keras calls)
    ("        self.batch_size = self.batch_size * 2", "        self.hidden = lambda scale=4: 7"),
    # ... by setattr with a name not written as a constant
    ("tokens = keras.Input(shape=(20, 16))", "name = 'hid' + 'den'\nsetattr(batches, name, print)\n"
                                             "tokens = keras.Input(shape=(20, 16))"),
    # ... by setattr in an undecided branch
    ("tokens = keras.Input(shape=(20, 16))", "import sys\nif len(sys.argv) > 1:\n    setattr(batches, 'hidden', print)\n"
                                             "tokens = keras.Input(shape=(20, 16))"),
    # the instance handed to code the analysis does not see first
    ("tokens = keras.Input(shape=(20, 16))", "import helpers\nhelpers.patch(batches)\ntokens = keras.Input(shape=(20, 16))"),
    # a class body that binds the name otherwise (a class attribute hides the inherited method)
    ("    def hidden(self, scale=4):", "    classes = 12\n\n    def hidden(self, scale=4):"),
    # a decorated method (what the decorator makes of it is not followed)
    ("    def hidden(self, scale=4):", "    @helpers.traced\n    def hidden(self, scale=4):"),
    # a default that is not a constant (read where the class is defined)
    ("    def hidden(self, scale=4):", "    def hidden(self, scale=len(CHARSET)):"),
    # every attribute read runs the class's own code
    ("    def hidden(self, scale=4):", "    def __getattribute__(self, name):\n        return object.__getattribute__(self, name)\n\n"
                                       "    def hidden(self, scale=4):"),
]


@pytest.mark.parametrize("old, new", CASES)
def test_anything_that_may_hide_the_method_leaves_it_unknown(old, new):
    assert SRC.count(old) == 1
    model = _reader(SRC.replace(old, new))
    assert model.total is None, model.total


def test_an_attribute_of_the_instance_stays_unknown():
    # (its __init__ is not run: `batches.width` is not followed)
    src = SRC.replace("layers.Dense(batches.classes(), ", "layers.Dense(batches.width, ")
    assert src != SRC
    assert _reader(src).total is None


def test_a_method_reading_the_instance_is_unknown():
    src = SRC.replace("        return self.classes() * scale", "        return self.width * scale")
    assert src != SRC
    assert _reader(src).total is None


def test_other_attributes_assigned_keep_the_numbers():
    # (the control of the cases above: an attribute of another name, set on the instance and in a hook)
    src = SRC.replace("tokens = keras.Input(shape=(20, 16))", "batches.epochs = 3\nsetattr(batches, 'seed', 1)\n"
                                                                "tokens = keras.Input(shape=(20, 16))")
    assert _reader(src).total == _truth()["total_params"]
