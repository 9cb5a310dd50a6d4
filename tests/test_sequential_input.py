"""``model.input`` / ``model.output`` of a Sequential: Keras 3 raises AttributeError ("has never been called and thus
has no defined input") unless the Sequential was called on a tensor, whose first call gives them (``fit`` and ``predict``
make no call of that kind); tf.keras 2 gave the tensors of its graph. Keras 3 runs each program."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

_SEQ = "import keras\nfrom keras import layers\n"

PROGRAMS = {
    # the course notebooks' visualisation of a trained CNN's activations
    "input never called": _SEQ + "seq = keras.Sequential([layers.Conv2D(4, 3, input_shape=(8, 8, 1)), layers.Flatten(),"
                                 " layers.Dense(2)])\nouts = [layer.output for layer in seq.layers]\n"
                                 "model = keras.Model(inputs=seq.input, outputs=outs)\n",
    "output never called": _SEQ + "seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                                  "model = keras.Model(seq.inputs[0], seq.output)\n",
    "after predict": _SEQ + "import numpy as np\nseq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                            "seq.predict(np.zeros((4, 3)), verbose=0)\nmodel = keras.Model(seq.input, seq.output)\n",
    "called": _SEQ + "seq = keras.Sequential([layers.Dense(6), layers.Dense(2)])\nx = keras.Input((3,))\n"
                     "y = seq(x)\nmodel = keras.Model(seq.input, layers.Dense(4)(seq.output))\n",
    "inputs": _SEQ + "seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                     "model = keras.Model(seq.inputs[0], layers.Dense(4)(seq.outputs[0]))\n",
}


def test_a_sequential_never_called_on_a_tensor_has_no_input_in_keras3():
    truth = keras_probe(COUNT_OR_RAISED, PROGRAMS)
    for name, text in PROGRAMS.items():
        report = analyze_source(text, "m.py")
        model = report.models[-1]
        notes = [d for d in report.diagnostics if d.code == "KC404" and "has no `" in d.message]
        if isinstance(truth[name], int):
            assert model.status == "exact" and model.total == truth[name], (name, model.status, model.reasons)
            assert not notes, name
        else:
            assert truth[name] == "AttributeError", (name, truth[name])
            assert model.status == "unknown" and model.reasons[0].startswith("Keras rejects it: "), model.reasons
            assert len(notes) == 1 and notes[0].severity in ("info", "warning"), name
