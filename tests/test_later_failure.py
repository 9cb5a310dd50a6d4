"""A layer shared by two models, whose call in the later model is where Keras raises: the earlier model was built
before, with the layer's weights, and Keras counts it (the summary's output shape of the layer, that of its last call,
is not known). Expected counts from Keras 3 running each program up to the statement that raises."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

#: What Keras raised, and the count of the program's `model` as it stood then.
_COUNT_BEFORE_RAISE = """
import json, sys


def run(text):
    scope = {}
    try:
        exec(text, scope)
        raised = None
    except Exception as exc:
        raised = type(exc).__name__
    return [raised, scope["model"].count_params() if "model" in scope else None]


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""

PROGRAMS = {
    # the shared Dense, built on 3 features, is called on 5 in the second model: Keras raises there
    "incompatible": "import keras\nfrom keras import layers\nshared = layers.Dense(4)\na = keras.Input((3,))\n"
                    "model = keras.Model(a, layers.Dense(2)(shared(a)))\nb = keras.Input((5,))\n"
                    "other = keras.Model(b, shared(b))\n",
    # a recurrent decoder run step by step; a sampler then calls its head on 5 features, not 8: Keras raises there
    "steps": "import keras\nfrom keras import layers\ncell = layers.LSTM(8, return_state=True)\n"
             "head = layers.Dense(6, activation='softmax')\n\n\ndef decoder(steps, squeeze):\n"
             "    x = keras.Input((steps, 6))\n    h0 = keras.Input((8,))\n    c0 = keras.Input((8,))\n"
             "    h, c = h0, c0\n    outs = []\n    for t in range(steps):\n"
             "        h, _, c = cell(layers.Reshape((1, 6))(x[:, t, :]), initial_state=[h, c])\n"
             "        outs.append(head(layers.Dense(5)(h) if squeeze else h))\n"
             "    return keras.Model([x, h0, c0], outs)\n\n\nmodel = decoder(5, False)\nsampler = decoder(3, True)\n",
}


def test_a_later_models_failing_call_of_a_shared_layer_leaves_the_earlier_model_counted():
    truth = keras_probe(_COUNT_BEFORE_RAISE, PROGRAMS)
    for name, text in PROGRAMS.items():
        raised, count = truth[name]
        assert raised == "ValueError" and isinstance(count, int), (name, truth[name])
        report = analyze_source(text, "m.py")
        first, last = report.models[0], report.models[-1]
        assert first.status == "exact" and first.total == count, (name, first.status, first.reasons)
        assert last.status == "unknown" and last.total is None, (name, last.status)
