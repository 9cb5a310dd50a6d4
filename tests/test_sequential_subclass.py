"""Subclasses of `keras.Sequential` (extract/keras_calls.KerasCalls.sequential_init): an instance is a Sequential
named after its class, which its `__init__` fills through `super().__init__(layers, trainable, name)` and `self.add`.
The followed cases are fixtures/subclassed/sequential_subclass.py (checked against Keras by test_fixtures); here, what
stays unknown: arguments Keras 3's `Sequential.__init__` rejects, and classes that define how the model is built or
called, checked with a Keras probe."""

from __future__ import annotations

import pytest
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers


class Head(keras.Sequential):
    def __init__(self, **kwargs):
        super().__init__({given})
        self.add(keras.Input((4,)))
        self.add(layers.Dense(3))
{extra}

model = Head()
"""

REJECTED = {
    "keras2-input-shape": {"given": "input_shape=(4,)"},  # tf.keras 2's Sequential took **kwargs
    "too-many": {"given": "[], True, 'head', 1"},
    "layers-twice": {"given": "[], layers=[]"},
    "name-with-slash": {"given": "name='a/b'"},
    "trainable-string": {"given": "[], 'head'"},  # Keras 2's (layers, name)
}


def _source(given="", extra=""):
    return SOURCE.format(given=given, extra=extra)


def _model(**case):
    return analyze_source(_source(**case), "m.py").models[-1]


def test_followed_without_arguments():
    model = _model()
    assert (model.model.keras_name, model.total) == ("head", 15)


@pytest.mark.parametrize("key", sorted(REJECTED))
def test_rejected_arguments_leave_the_model_unknown(key):
    model = _model(**REJECTED[key])
    assert model.total is None
    assert model.reasons


@pytest.mark.keras
def test_rejected_arguments_agree_with_keras():
    truth = keras_probe(COUNT_OR_RAISED, {key: _source(**case) for key, case in REJECTED.items()} | {"plain": _source()})
    assert truth.pop("plain") == 15
    assert all(isinstance(v, str) for v in truth.values()), truth  # each raises


@pytest.mark.parametrize("method", ["call", "build", "compute_output_shape", "__call__"])
def test_own_build_or_call_is_not_followed(method):
    extra = f"\n    def {method}(self, *args, **kwargs):\n        return super().{method}(*args, **kwargs)\n"
    model = _model(extra=extra)
    assert model.total is None
    assert any(f"Head.{method}()" in r for r in model.reasons)


TOWER = """import keras
from keras import layers


class Tower(keras.Sequential):
    depth = 2

    def __init__(self, width):
        super().__init__()
        self.width = width
        self.add(keras.Input((5,)))
        for _ in range(self.depth):
            self.block()

    def block(self):
        self.add(layers.Dense(self.width))


model = Tower(3)
"""

NAMED_PROBE = """
import json, sys

scope = {}
exec(json.loads(sys.argv[1]), scope)
model = scope["model"]
print(json.dumps([model.name, model.count_params(), [type(layer).__name__ for layer in model.layers]]))
"""


def _tower():
    model = analyze_source(TOWER, "m.py").models[-1]
    return [model.model.keras_name, model.total, [r.layer.type for r in model.rows]]


def test_own_methods_and_attributes_are_read():
    # (the numbers real Keras gives: test_own_methods_and_attributes_agree_with_keras)
    assert _tower() == ["tower", 30, ["Dense", "Dense"]]


@pytest.mark.keras
def test_own_methods_and_attributes_agree_with_keras():
    assert _tower() == keras_probe(NAMED_PROBE, TOWER)


def test_a_base_not_read_before_sequential_leaves_the_model_and_its_name_unknown():
    # Its `__init__` runs first (Python's method resolution order): what it passes on to Keras's, and the layers it
    # makes, are not known.
    source = """import keras
from keras import layers
from a_package_not_here import Mixin


class Net(Mixin, keras.Sequential):
    pass


model = Net([keras.Input((3,)), layers.Dense(2)])
"""
    model = analyze_source(source, "m.py").models[-1]
    assert (model.status, model.model.keras_name) == ("unknown", "?")
    assert any("a_package_not_here" in r for r in model.reasons)
