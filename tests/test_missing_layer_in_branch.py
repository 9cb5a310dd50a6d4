"""A layer Keras 3 does not have, read as an attribute of ``keras.layers`` in one way of a condition the analysis cannot
decide: TensorFlow's text generation tutorial (and hold-out 76's copies of it) picks ``tf.keras.layers.CuDNNGRU`` when
``tf.test.is_gpu_available()`` and ``GRU`` otherwise. Under Keras 3 reading ``CuDNNGRU`` raises AttributeError, so
that way builds nothing and the other decides, as for the import of such a name in a branch (imports.py): the model
is the GRU one, at Keras's count. A name imported at the top of the file is another matter: the import itself fails
under Keras 3 whichever way runs, and the model stays unknown."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

_TAIL = '''
model = keras.Sequential([keras.Input((None,)), keras.layers.Embedding(65, 16), rnn(32, return_sequences=True),
                          keras.layers.Dense(65)])
'''
_TOP = '''import functools
import os
import keras

if os.environ.get("KC_TEST_GPU"):
    rnn = keras.layers.CuDNNGRU
else:
    rnn = functools.partial(keras.layers.GRU, recurrent_activation="sigmoid")
''' + _TAIL
_IN_FUNCTION = '''import os
import keras


def build(units):
    if os.environ.get("KC_TEST_GPU"):
        layer = keras.layers.CuDNNLSTM(units)
    else:
        layer = keras.layers.LSTM(units)
    return keras.Sequential([keras.Input((7, 3)), layer, keras.layers.Dense(2)])


model = build(16)
'''


def test_the_way_reading_a_layer_keras3_lacks_raises_and_the_other_decides():
    taken = {"top": _TOP, "in a function": _IN_FUNCTION}
    forced = {name: text.replace('os.environ.get("KC_TEST_GPU")', "True") for name, text in taken.items()}
    truth = keras_probe(COUNT_OR_RAISED, {**taken, **{f"{name}, forced": t for name, t in forced.items()}})
    for name, text in taken.items():
        assert truth[f"{name}, forced"] == "AttributeError", truth  # (the other way, under Keras 3)
        model = analyze_source(text, "m.py").models[-1]
        assert (model.status, model.total) == ("exact", truth[name]), (name, model.status, model.total, truth[name])


def test_a_name_imported_at_the_top_stays_unknown():
    text = _TOP.replace("import keras\n", "import keras\nfrom keras.layers import CuDNNGRU, GRU\n").replace(
        "keras.layers.CuDNNGRU\n", "CuDNNGRU\n")
    model = analyze_source(text, "m.py").models[-1]
    assert model.status == "unknown" and model.total is None, (model.status, model.total)
