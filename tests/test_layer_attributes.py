"""What the code reads of a layer object and writes on it: the arguments Keras keeps as attributes (``dense.units``,
``conv.kernel_size``: ``LayerSpec.attributes``), an argument set as an attribute after the layer is made (Keras's
build reads the attribute: ``dense.units = 20`` changes the count), a tensor given by a keyword its ``call`` does not
take (``LSTM(4)(inputs=x)``), and models whose graph is a chain of hundreds of layers. Every expected value comes from
Keras 3 run on the same program."""

from __future__ import annotations

import ast

from kerascount.api import analyze_source
from kerascount.extract.interpreter import Interpreter
from kerascount.extract.positions import Positions
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

#: Layer constructions and the attributes read of each (those the catalogue says Keras keeps).
LAYERS = {
    "Dense(7)": ["units", "use_bias"],
    "Dense(units=7, use_bias=False)": ["units", "use_bias"],
    "Conv2D(8, 3, strides=2, padding='SAME')": ["filters", "kernel_size", "strides", "padding", "dilation_rate"],
    "Conv1D(8, (5,), dilation_rate=2, padding='causal')": ["filters", "kernel_size", "strides", "padding",
                                                            "dilation_rate"],
    "Conv3D(4, [3, 1, 2])": ["filters", "kernel_size", "strides"],
    "Conv2DTranspose(4, 3, strides=(2, 1))": ["filters", "kernel_size", "strides", "padding"],
    "SeparableConv2D(4, 3, padding='same')": ["filters", "kernel_size", "strides", "padding"],
    "DepthwiseConv2D(3, depth_multiplier=2)": ["kernel_size", "strides", "depth_multiplier"],
    "MaxPooling2D()": ["pool_size"],
    "MaxPooling2D(3, strides=1)": ["pool_size"],
    "AveragePooling1D(4)": ["pool_size"],
    "LSTM(5)": ["units", "return_sequences", "return_state"],
    "GRU(6, return_sequences=True)": ["units", "return_sequences", "return_state"],
    "SimpleRNN(3, return_state=True)": ["units", "return_state"],
    "Embedding(100, 8)": ["input_dim", "output_dim"],
    "Dropout(0.25)": ["rate"],
    "SpatialDropout2D(0.1)": ["rate"],
    "GaussianDropout(0.2)": ["rate"],
    "RepeatVector(4)": ["n"],
    "MultiHeadAttention(2, 8)": ["num_heads", "key_dim"],
}

_READ = """
import json, sys
import keras
from keras.layers import *
out = {}
for text, attrs in json.loads(sys.argv[1]).items():
    layer = eval(text)
    for attr in attrs:
        value = getattr(layer, attr)
        out[f"{text}.{attr}"] = list(value) if isinstance(value, tuple) else value
print(json.dumps(out))
"""


def _values(source: str) -> dict:
    """The module's names as kerascount's interpreter leaves them after running ``source``."""
    interpreter = Interpreter(ast.parse(source), "<test>", Positions(source))
    interpreter.run()
    return interpreter.main_scope.vars


def test_the_arguments_keras_keeps_as_attributes_read_as_keras_has_them():
    truth = keras_probe(_READ, LAYERS)
    lines = ["from keras.layers import *"]
    names = {}
    for i, (text, attrs) in enumerate(LAYERS.items()):
        lines.append(f"layer_{i} = {text}")
        for j, attr in enumerate(attrs):
            names[f"v_{i}_{j}"] = f"{text}.{attr}"
            lines.append(f"v_{i}_{j} = layer_{i}.{attr}")
    values = _values("\n".join(lines) + "\n")
    for name, key in names.items():
        value = values[name]
        assert (list(value) if isinstance(value, tuple) else value) == truth[key], key
        assert type(value) is type(truth[key]) or isinstance(value, tuple), key  # (an int stays an int, not a float)


PROGRAMS = {
    # sizes read from other layers' attributes
    "units": "import keras\nfrom keras import layers\nd = layers.Dense(90)\nx = keras.Input((3,))\n"
             "model = keras.Model(x, layers.Dense(d.units)(x))\n",
    "filters": "import keras\nfrom keras import layers\nc = layers.Conv2D(6, 5)\nx = keras.Input((12, 12, 2))\n"
               "y = c(x)\ny = layers.Conv2D(c.filters * 2, c.kernel_size, strides=c.strides)(y)\n"
               "model = keras.Model(x, y)\n",
    "lstm": "import keras\nfrom keras import layers\ncell = layers.LSTM(16, return_state=True)\n"
            "dense = layers.Dense(10, activation='softmax')\n\n\n"
            "def build(steps, cell, dense):\n    n_values = dense.units\n    n_a = cell.units\n"
            "    x = keras.Input((steps, n_values))\n    a0 = keras.Input((n_a,))\n    c0 = keras.Input((n_a,))\n"
            "    a, c = a0, c0\n    outputs = []\n    for t in range(steps):\n"
            "        step = layers.Reshape((1, n_values))(x[:, t, :])\n"
            "        a, _, c = cell(step, initial_state=[a, c])\n        outputs.append(dense(a))\n"
            "    return keras.Model([x, a0, c0], outputs)\n\n\nmodel = build(4, cell, dense)\n",
}


def test_sizes_read_from_layers_attributes_count_as_keras_counts():
    truth = keras_probe(COUNT_OR_RAISED, PROGRAMS)
    for name, text in PROGRAMS.items():
        assert isinstance(truth[name], int), (name, truth[name])
        model = analyze_source(text, "m.py").models[-1]
        assert model.status == "exact" and model.total == truth[name], (name, model.status, model.reasons)


SET_ON_LAYER = {
    # Keras builds the layer from the attribute: 80 params, not the 40 of Dense(10)
    "units": "import keras\nfrom keras import layers\nd = layers.Dense(10)\nd.units = 20\n"
             "model = keras.Sequential([keras.Input((3,)), d])\n",
    "positional": "import keras\nfrom keras import layers\nc = layers.Conv2D(4, 3)\nc.filters = 8\n"
                  "model = keras.Sequential([keras.Input((6, 6, 1)), c])\n",
    "read after": "import keras\nfrom keras import layers\nd = layers.Dense(10)\nd.units = 20\n"
                  "model = keras.Sequential([keras.Input((3,)), layers.Dense(d.units)])\n",
    "setattr": "import keras\nfrom keras import layers\nd = layers.Dense(10)\nsetattr(d, 'units', 20)\n"
               "model = keras.Sequential([keras.Input((3,)), d])\n",
}


def test_an_argument_set_on_the_layer_after_it_is_made_never_keeps_its_old_value():
    truth = keras_probe(COUNT_OR_RAISED, SET_ON_LAYER)
    unchanged = {"units": 40, "positional": 40, "read after": 40, "setattr": 40}
    for name, text in SET_ON_LAYER.items():
        assert isinstance(truth[name], int) and truth[name] != unchanged[name], (name, truth[name])
        model = analyze_source(text, "m.py").models[-1]
        assert model.status == "unknown" and model.total is None, (name, model.status, model.total)
        assert any("on the layer after it is made" in r for r in model.reasons), model.reasons


KEYWORD_CALLS = {
    "lstm inputs=": ("import keras\nfrom keras import layers\nx = keras.Input((5, 3))\n"
                     "model = keras.Model(x, layers.LSTM(4)(inputs=x))\n", False),
    "lstm sequences=": ("import keras\nfrom keras import layers\nx = keras.Input((5, 3))\n"
                        "model = keras.Model(x, layers.LSTM(4)(sequences=x))\n", True),
    "bidirectional inputs=": ("import keras\nfrom keras import layers\nx = keras.Input((5, 3))\n"
                              "model = keras.Model(x, layers.Bidirectional(layers.GRU(2))(inputs=x))\n", False),
    "dense x=": ("import keras\nfrom keras import layers\nx = keras.Input((3,))\n"
                 "model = keras.Model(x, layers.Dense(2)(x=x))\n", False),
    "dense inputs=": ("import keras\nfrom keras import layers\nx = keras.Input((3,))\n"
                      "model = keras.Model(x, layers.Dense(2)(inputs=x))\n", True),
    # the image preprocessing layers' own __call__ takes `inputs` (their `call` names it `data`)
    "flip inputs=": ("import keras\nfrom keras import layers\nx = keras.Input((8, 8, 3))\n"
                     "y = layers.RandomFlip()(inputs=x)\nmodel = keras.Model(x, layers.Conv2D(2, 3)(y))\n", True),
}


def test_a_tensor_given_by_a_keyword_call_does_not_take_is_where_keras_raises():
    truth = keras_probe(COUNT_OR_RAISED, {k: text for k, (text, _) in KEYWORD_CALLS.items()})
    for name, (text, builds) in KEYWORD_CALLS.items():
        report = analyze_source(text, "m.py")
        model = report.models[-1]
        if builds:
            assert model.status == "exact" and model.total == truth[name], (name, model.reasons)
        else:
            assert truth[name] == "TypeError", (name, truth[name])
            assert model.status == "unknown" and model.total is None, (name, model.status)
            assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], name


def test_a_tf_keras_file_gets_the_keyword_as_a_keras2_note():
    text = ("from tensorflow.keras import layers, Input, Model\nx = Input((5, 3))\n"
            "model = Model(x, layers.LSTM(4)(inputs=x))\n")
    codes = [(d.code, d.severity) for d in analyze_source(text, "m.py").diagnostics]
    assert ("KC404", "info") in codes and not any(c == "KC103" for c, _ in codes), codes


def test_a_chain_of_hundreds_of_layers_is_counted_without_exceeding_the_recursion_limit():
    # a builder that runs 100 steps of a shared LSTM and Dense: the graph is a chain 300 nodes deep, which a
    # recursion over the nodes' inputs took more than Python's limit of frames to walk (nothing was reported)
    text = ("import keras\nfrom keras import layers\ncell = layers.LSTM(16, return_state=True)\n"
            "dense = layers.Dense(10, activation='softmax')\n\n\ndef build(steps):\n    x0 = keras.Input((1, 10))\n"
            "    a0 = keras.Input((16,))\n    c0 = keras.Input((16,))\n    a, c, x = a0, c0, x0\n    outputs = []\n"
            "    for t in range(steps):\n        a, _, c = cell(x, initial_state=[a, c])\n        out = dense(a)\n"
            "        outputs.append(out)\n        x = layers.RepeatVector(1)(out)\n"
            "    return keras.Model([x0, a0, c0], outputs)\n\n\nmodel = build(100)\n")
    truth = keras_probe(COUNT_OR_RAISED, {"chain": text})
    report = analyze_source(text, "m.py")
    assert not [d for d in report.diagnostics if d.code == "KC902"]
    model = report.models[-1]
    assert model.status == "exact" and model.total == truth["chain"], (model.status, model.reasons)
