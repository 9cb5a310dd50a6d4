"""A functional model whose outputs are given in nested lists: the inference encoder of a seq2seq chatbot
(hold-out 76) returns its sequence and its states, ``Model(enc_inp, [encoder_outputs, enc_states])`` with
``enc_states = [h, c]``. Keras 3 flattens the outputs (``tree.flatten``) and builds the model; kerascount said "the
model's inputs or outputs are not known tensors". Now the model is counted, its outputs flattened as Keras's
``model.outputs``; the nested structure that ``model.output`` and a call of the model give back is not followed
(unknown, saying so), never a flat list in its place. Counts and layers from Keras."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

_HEAD = '''import keras
from keras import layers

enc_inp = keras.Input((None,))
emb = layers.Embedding(50, 8)(enc_inp)
seq, h, c = layers.LSTM(16, return_sequences=True, return_state=True)(emb)
states = [h, c]
'''

PROGRAMS = {
    "list in a list": _HEAD + "model = keras.Model(enc_inp, [seq, states])\n",
    "tuple in a list": _HEAD + "model = keras.Model(enc_inp, [seq, (h, c)])\n",
    "dict in a list": _HEAD + "model = keras.Model(enc_inp, [seq, {'h': h, 'c': c}])\n",
    "nested inputs and outputs": _HEAD + "h_in = keras.Input((16,))\nc_in = keras.Input((16,))\n"
    "out, h2, c2 = layers.LSTM(16, return_state=True)(emb, initial_state=[h_in, c_in])\n"
    "model = keras.Model([enc_inp, [h_in, c_in]], [out, [h2, c2]])\n",
    "flat outputs read back": _HEAD + "enc = keras.Model(enc_inp, [seq, states])\n"
    "model = keras.Model(enc.inputs, layers.Dense(3)(enc.outputs[2]))\n",
}

_PROBE = """
import json, sys
import keras


def run(text):
    keras.backend.clear_session()  # (each program's automatic names from the start)
    scope = {}
    exec(text, scope)
    model = scope["model"]
    return [model.count_params(), [[layer.name, type(layer).__name__] for layer in model.layers]]


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def test_a_model_of_nested_outputs_is_counted():
    truth = keras_probe(_PROBE, PROGRAMS)
    for name, text in PROGRAMS.items():
        model = analyze_source(text, "m.py").models[-1]
        total, layers = truth[name]
        assert (model.status, model.total) == ("exact", total), (name, model.status, model.total, model.reasons)
        assert [[r.layer.name, r.layer.type] for r in model.rows] == layers, name


def test_the_nested_structure_is_not_given_back_as_a_flat_list():
    for tail in ("o, (h3, c3) = enc(enc_inp)\n", "o, st = enc.output\n"):
        text = _HEAD + "enc = keras.Model(enc_inp, [seq, states])\n" + tail + \
            "model = keras.Model(enc_inp, layers.Dense(3)(o))\n"
        report = analyze_source(text, "m.py")
        model = report.models[-1]
        assert model.status == "unknown" and model.total is None, (tail, model.status, model.total)
        assert "nested lists" in " ".join(model.reasons), (tail, model.reasons)
