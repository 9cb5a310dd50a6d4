"""A plain method of a class derived from ``keras.callbacks.Callback`` (a data generator that is also a
callback, as keras 2's image_ocr example's ``TextImageGenerator``) is run when the code calls it
(``gen.get_output_size()``), with ``self`` the instance, whose attributes its ``__init__`` and the code set.
Anything that may give the instance an attribute the analysis does not follow (a hook Keras runs, code it
does not see, a branch it cannot decide), or hand it to code the analysis does not see, leaves what depends
on it unknown."""

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
    # an instance attribute of the method's name, set by code of the class that the analysis does not run of the class that the analysis does not run (a hook Keras calls)
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


def test_an_instance_attribute_hides_the_method_as_in_python():
    # batches.hidden() is then the lambda's 7: the same model as with Dense(7) written out
    src = SRC.replace("tokens = keras.Input(shape=(20, 16))",
                      "batches.hidden = lambda scale=4: 7\ntokens = keras.Input(shape=(20, 16))")
    written = SRC.replace("batches.hidden()", "7").replace("batches.hidden(scale=2)", "7")
    assert written.count("Dense(7") == 2
    assert _reader(src).total == _reader(written).total is not None


def test_attributes_its_init_sets_are_read():
    # batches.width is 64 (its __init__), and the method reading it gives 64 * 4: the same model written out
    src = SRC.replace("layers.Dense(batches.classes(), ", "layers.Dense(batches.width, ")
    src = src.replace("        return self.classes() * scale", "        return self.width * scale")
    written = SRC.replace("layers.Dense(batches.classes(), ", "layers.Dense(64, ")
    written = written.replace("batches.hidden()", "256").replace("batches.hidden(scale=2)", "128")
    assert src != SRC and written != SRC
    assert _reader(src).total == _reader(written).total is not None


ATTRIBUTE_CASES = [
    # Keras runs the hooks of the callbacks it is given (on_epoch_begin doubles batch_size here)
    "m = keras.Sequential([keras.Input((2,)), layers.Dense(1)])\nm.compile('sgd', 'mse')\n"
    "m.fit(np.zeros((4, 2)), np.zeros((4, 1)), callbacks=[batches])",
    # ... or of a list of callbacks it is given, kept first in a variable
    "hooks = [batches]\nm = keras.Sequential([keras.Input((2,)), layers.Dense(1)])\nm.compile('sgd', 'mse')\n"
    "m.fit(np.zeros((4, 2)), np.zeros((4, 1)), callbacks=hooks)",
    # code the analysis does not see is given the instance, or a list holding it, or a lambda reaching it
    "import helpers\nhelpers.configure(batches)",
    "import helpers\nhelpers.configure([1, (batches, 2)])",
    "import helpers\nhelpers.later(lambda: batches.on_epoch_begin(0))",
    # Keras's own methods of it, which set its attributes
    "batches.set_model(keras.Sequential())",
    "batches.set_params({'epochs': 1})",
    # an assignment in a branch the analysis cannot decide
    "import sys\nif len(sys.argv) > 1:\n    batches.batch_size = 8",
    # a method of it that changes it, run in a loop the analysis does not run to its end
    "import sys\nfor _ in range(len(sys.argv)):\n    batches.on_epoch_begin(0)",
]


@pytest.mark.parametrize("before", ATTRIBUTE_CASES)
def test_anything_that_may_change_an_attribute_leaves_it_unknown(before):
    src = SRC.replace("import keras\n", "import keras\nimport numpy as np\n", 1)
    src = src.replace("tokens = keras.Input(shape=(20, 16))", f"{before}\ntokens = keras.Input(shape=(20, 16))")
    src = src.replace("layers.Dense(batches.classes(), ", "layers.Dense(batches.batch_size, ")
    assert "layers.Dense(batches.batch_size, " in src
    assert _reader(src).total is None
    control = src.replace(before, "")  # (the attribute read alone: 32, from __init__)
    assert _reader(control).total is not None


def test_an_init_the_analysis_does_not_follow_leaves_the_attributes_unknown():
    src = SRC.replace("    def __init__(self, batch_size, width):", "    def __init__(self, batch_size, width=len(CHARSET)):")
    src = src.replace("layers.Dense(batches.classes(), ", "layers.Dense(batches.width, ")
    assert src.count("width=len(CHARSET)") == 1
    assert _reader(src).total is None


def test_other_attributes_assigned_keep_the_numbers():
    # (the control of the cases above: an attribute of another name, set on the instance and in a hook)
    src = SRC.replace("tokens = keras.Input(shape=(20, 16))", "batches.epochs = 3\nsetattr(batches, 'seed', 1)\n"
                                                                "tokens = keras.Input(shape=(20, 16))")
    assert _reader(src).total == _truth()["total_params"]


@pytest.mark.parametrize("old, new", [
    # a property of the class: the assignment runs its setter, which is not followed
    ("    def hidden(self, scale=4):", "    @property\n    def batch_size(self):\n        return 3\n\n"
                                       "    @batch_size.setter\n    def batch_size(self, v):\n        pass\n\n"
                                       "    def hidden(self, scale=4):"),
    # Keras 3's Callback.model is a property without a setter: Python raises AttributeError in __init__
    ("        self.width = width\n", "        self.width = width\n        self.model = None\n"),
])
def test_an_attribute_that_is_no_plain_instance_attribute_is_unknown(old, new):
    assert SRC.count(old) == 1
    src = SRC.replace(old, new).replace("layers.Dense(batches.classes(), ", "layers.Dense(batches.batch_size, ")
    assert "layers.Dense(batches.batch_size, " in src
    assert _reader(src).total is None
