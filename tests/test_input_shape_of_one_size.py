"""``keras.Input(shape=X_train.shape[-1])`` (or ``Dense(4, input_shape=X.shape[1])`` first in a Sequential): one size of
an array's shape is an int, which Keras 3 rejects as a shape ("Cannot convert '14' to a shape"), as it rejects
``shape=14``; tf.keras 2 took it. kerascount said the shape was only known when the program runs (hold-out 55: a
KerasTuner notebook's nine models); it now reports what Keras does, KC103 as for ``shape=14``. A real Keras run of the
same code on data of 14 columns raises that ValueError; ``input_dim=X.shape[1]`` and ``shape=X.shape[1:]`` are
accepted. A number computed from such sizes and lengths is no shape either (hold-out 57: the content-based
filtering lab's `Input(shape=(user_train.shape[1] - 3))`, KC103 now where kerascount said the shape was only known
when the program runs)."""

from __future__ import annotations

from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

HEAD = "import keras\nimport numpy as np\nx = np.load('x.npy')\n"
CASES = {
    "input": "m = keras.Sequential([keras.Input(shape=x.shape[-1]), keras.layers.Dense(1)])\n",
    "input_shape": "m = keras.Sequential([keras.layers.Dense(4, input_shape=x.shape[1]), keras.layers.Dense(1)])\n",
    "input_dim": "m = keras.Sequential([keras.layers.Dense(4, input_dim=x.shape[1]), keras.layers.Dense(1)])\n",
    "slice": "m = keras.Sequential([keras.Input(shape=x.shape[1:]), keras.layers.Dense(1)])\n",
    "computed": "m = keras.Sequential([keras.Input(shape=(x.shape[1] - 3)), keras.layers.Dense(1)])\n",
    "length": "m = keras.Sequential([keras.Input(shape=len(x)), keras.layers.Dense(1)])\n",
    "computed_tuple": "m = keras.Sequential([keras.Input(shape=(x.shape[1] // 2,)), keras.layers.Dense(1)])\n",
}

PROBE = """
import json, sys
import numpy as np

np.load = lambda path: np.zeros((5, 14))
out = {}
for name, src in json.loads(sys.argv[1]).items():
    scope = {}
    try:
        exec(src, scope)
        out[name] = scope["m"].count_params()
    except ValueError as exc:
        out[name] = str(exc)
print(json.dumps(out))
"""


def test_one_size_of_a_shape_is_no_input_shape():
    truth = keras_probe(PROBE, {name: HEAD + body for name, body in CASES.items()})
    assert truth["input"] == truth["input_shape"] == "Cannot convert '14' to a shape.", truth
    assert truth["input_dim"] == 65 and truth["slice"] == 15 and truth["computed_tuple"] == 8, truth
    assert truth["computed"] == "Cannot convert '11' to a shape." and truth["length"] == "Cannot convert '5' to a shape."
    for name in ("input", "input_shape", "computed", "length"):
        report = analyze_source(HEAD + CASES[name], "m.py")
        (model,) = report.models
        assert model.total is None and any("is not a tuple" in r for r in model.reasons), model.reasons
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    for name in ("input_dim", "slice", "computed_tuple"):
        report = analyze_source(HEAD + CASES[name], "m.py")
        assert not [d for d in report.diagnostics if d.severity == "error"], name
        assert report.models[0].status in ("symbolic", "unknown"), name
