"""The longest sentence found by a loop over data the analysis does not read (``max_len_x = max(max_len_x, len(x))``
for each line of a file, as hold-out 76's address seq2seq script sizes its LSTMs): after the loop the name holds
the largest length, an int the data decides, so a model sized by it is symbolic in a named symbol,
``max(len(x) for x, y in pairs())``, not unknown. Only for a name holding 0 before the loop whose one store in the body
is that ``max`` of itself and a ``len(...)`` (the builtins); any other store, or another start, leaves it unknown.
Keras runs the program on three lines (an environment variable's default, which the analysis does not read), and its count and shapes are kerascount's at the longest lengths."""

from __future__ import annotations

from kerascount.api import analyze_source
from kerascount.catalogue.spec import show_shape
from test_catalogue_keras import keras_probe

_PROGRAM = '''import os
from keras import layers
from keras.models import Sequential


def pairs():
    for line in os.environ.get("PAIRS", "ab cde,abcd x,a yz").split(","):
        left, right = line.split(" ")
        yield left, right


longest_x = START
longest_y = 0
for x, y in pairs():
    longest_x = max(longest_x, len(x))
    longest_y = max(len(y), longest_y)
    EXTRA

model = Sequential()
model.add(layers.Input((longest_x, 30)))
model.add(layers.LSTM(16))
model.add(layers.RepeatVector(longest_y))
model.add(layers.LSTM(16, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(30)))
model.add(layers.Flatten())
model.add(layers.Dense(2))
'''

_PROBE = """
import json, sys


def run(text):
    scope = {}
    exec(text, scope)
    return [scope["model"].count_params(), [list(layer.output.shape) for layer in scope["model"].layers]]


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _program(start: str = "0", extra: str = "pass") -> str:
    return _PROGRAM.replace("START", start).replace("EXTRA", extra)


def test_a_length_kept_by_a_loop_is_a_symbol():
    ((total, shapes),) = keras_probe(_PROBE, {"p": _program()}).values()
    (model,) = analyze_source(_program(), "m.py").models
    y = "max(len(y) for x, y in pairs())"
    assert model.status == "symbolic" and str(model.total) == f"60*{y} + 5632"
    shown = [show_shape(row.output_shape) for row in model.rows]
    assert shown == ["(None, 16)", f"(None, {y}, 16)", f"(None, {y}, 16)", f"(None, {y}, 30)", f"(None, 30*{y})",
                     "(None, 2)"]
    # (Keras, on the three lines: the longest right side has 3 characters)
    assert (60 * 3 + 5632, [s.replace(y, "3").replace("30*3", "90") for s in shown]) == \
        (total, [str(tuple(s)) for s in shapes])


def test_another_start_or_store_is_not_taken():
    # (not the largest length of the items: an integer the loop leaves, a symbol named after the variable, as
    # tests/test_loop_integers.py reads such loops; a store that may not be an int leaves it unknown)
    for start, extra in (("1", "pass"), ("0", "longest_x = 7"), ("0", "longest_x += 1")):
        (model,) = analyze_source(_program(start, extra), "m.py").models
        names = [s.name for s in model.symbols]
        assert model.status == "symbolic" and "longest_x" in names, (start, extra, model.status, names)
        assert not any(n.startswith("max(len(x)") for n in names)
    (model,) = analyze_source(_program("0", "longest_x = len(x) / 2"), "m.py").models
    assert model.status == "unknown"
