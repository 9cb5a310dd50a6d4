"""A builder nothing calls is run with its default arguments. A size whose default is None is one its callers give
(``def __init__(self, input_dim=None)``): Keras's error on that None says nothing of the program, so no finding;
an error the defaults do not cause is still reported."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

_NONE_DIM = '''import keras
from keras.layers import Dense


class ValueNet:
    def __init__(self, name, input_dim=None, load=False):
        self.name = name
        if load:
            self.net = keras.models.load_model(name)
        else:
            self.net = keras.Sequential()
            self.net.add(Dense(units=32, input_shape=(input_dim,), activation="relu"))
            self.net.add(Dense(1))
'''

# the same error, written in the builder itself: Flatten of an input of unknown length
_OWN_ERROR = '''import keras
from keras.layers import Dense, Flatten


def build(units=32):
    inputs = keras.Input((None, 4))
    return keras.Model(inputs, Dense(units)(Flatten()(inputs)))
'''

_RAISES = '''
import json, sys
out = {}
for key, text in json.loads(sys.argv[1]).items():
    scope = {}
    exec(text, scope)
    try:
        (scope["ValueNet"]("v").net if "ValueNet" in scope else scope["build"]()).count_params()
        out[key] = None
    except Exception as exc:
        out[key] = type(exc).__name__
print(json.dumps(out))
'''


def _errors(text):
    return [d.code for d in analyze_source(text, "m.py").diagnostics if d.severity == "error"]


def test_a_none_default_given_as_a_size_is_left_to_the_callers():
    # Keras raises on the defaults in both programs; only the second says something of the program
    assert keras_probe(_RAISES, {"none": _NONE_DIM, "own": _OWN_ERROR}) == {"none": "ValueError", "own": "ValueError"}
    assert "KC105" not in _errors(_NONE_DIM)
    assert "KC105" in _errors(_OWN_ERROR)
