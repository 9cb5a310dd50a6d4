"""``build(shape)`` of a Sequential that Keras has built already without an InputLayer of the code's: a built model
first (``Sequential([encoder, Dense])``: Keras's ``_maybe_rebuild`` builds it on the encoder's input) or a call on a
tensor. Keras prepended its InputLayer then, so ``build()`` with the same batch shape makes none (the names after it
are Keras's: fixtures/regressions/sequential_built_again_names.py), and with another one raises ValueError
("has already been configured to use input shape (None, 784). You cannot build it with input_shape (None, 100)",
Keras 3.15.1, numpy backend). kerascount made a second InputLayer there, so every ``input_layer_N`` after it was
one too many (hold-out 47, a course notebook's VAE and a Siamese network whose encoder is a Sequential's first
layer)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_ENCODER = ("import keras\nfrom keras import layers\n"
            "inp = keras.Input(shape=(20,))\nencoder = keras.Model(inp, layers.Dense(8)(inp))\n")
_CALLED = ("import keras\nfrom keras import layers\n"
           "seq = keras.Sequential([layers.Dense(6), layers.Dense(2)])\ny = seq(keras.Input(shape=(5,)))\n")
_APP = ("import keras\nfrom keras import layers\n"
        "base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))\n")
_INNER = ("import keras\nfrom keras import layers\n"
          "inner = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n")
_AFTER = "after = keras.Input(shape=(7,))\nmodel = keras.Model(after, layers.Dense(2)(after))\n"


def _models(source: str):
    report = analyze_source(source, "m.py")
    assert report.internal_error is None
    return {m.model.name: m for m in report.models}


@pytest.mark.parametrize("source,input_name", [
    (_ENCODER + "seq = keras.Sequential([encoder, layers.Dense(4)])\nseq.build((None, 20))\n", "input_layer_2"),
    (_ENCODER + "seq = keras.Sequential()\nseq.add(encoder)\nseq.add(layers.Dense(4))\nseq.build((None, 20))\n",
     "input_layer_2"),
    (_CALLED + "seq.build((None, 5))\n", "input_layer_2"),
    (_APP + "seq = keras.Sequential([base, layers.Dense(4)])\nseq.build((None, 96, 96, 3))\n", "input_layer_2"),
    (_INNER + "seq = keras.Sequential([inner, layers.Dense(4)])\nseq.build((None, 4))\n", "input_layer_2"),
])
def test_a_build_with_the_shape_keras_built_it_on_makes_no_input_layer(source, input_name):
    models = _models(source + _AFTER)
    assert models["seq"].status == "exact"
    assert models["model"].status == "exact"
    assert models["model"].rows[0].layer.name == input_name


@pytest.mark.parametrize("source", [
    _ENCODER + "seq = keras.Sequential([encoder, layers.Dense(4)])\nseq.build((None, 21))\n",
    _CALLED + "seq.build((None, 6))\n",
    _APP + "seq = keras.Sequential([base, layers.Dense(4)])\nseq.build((None, 64, 64, 3))\n",
    _INNER + "seq = keras.Sequential([inner, layers.Dense(4)])\nseq.build((None, 5))\n",
])
def test_a_build_with_another_shape_is_unknown_as_keras_raises(source):
    seq = _models(source)["seq"]
    assert seq.status == "unknown" and seq.total is None
    assert any("Keras raises" in r for r in seq.reasons)


def test_a_build_on_a_shape_not_known_is_unknown():
    source = _ENCODER + "import sys\nn = int(sys.argv[1])\nseq = keras.Sequential([encoder, layers.Dense(4)])\n" \
        "seq.build((None, n))\n"
    seq = _models(source)["seq"]
    assert seq.status != "exact"
