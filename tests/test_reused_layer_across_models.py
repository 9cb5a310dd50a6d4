"""A layer object in two models, one of them a Sequential: Keras builds it once, on the first input it gets.

Truth (tools/keras_truth.py, Keras 3.15, numpy backend) for each program is in its comment. Where the
second input gives the layer other weights, Keras raises there ("is incompatible with the layer"): the
analysis must state no number for either model (which one comes first is not followed). Where the weights
agree, the numbers stand, but the layer's row shape does not: a summary shows its last call's output.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\n"

RAISING = {
    # Keras: m1 16 params; ValueError at m2's line
    "two_sequential": "d = layers.Dense(4)\nm1 = keras.Sequential([keras.Input((3,)), d])\n"
                      "m2 = keras.Sequential([keras.Input((5,)), d])\n",
    # Keras: m1 16 params; ValueError at m2's line (the functional call)
    "sequential_then_functional": "d = layers.Dense(4)\nm1 = keras.Sequential([keras.Input((3,)), d])\n"
                                  "b = keras.Input((5,))\nm2 = keras.Model(b, d(b))\n",
    # Keras: m1 112 params; ValueError at m2's line
    "functional_then_sequential": "d = layers.Conv2D(4, 3)\na = keras.Input((8, 8, 3))\nm1 = keras.Model(a, d(a))\n"
                                  "m2 = keras.Sequential([keras.Input((8, 8, 2)), d])\n",
    # Keras: m2 24 params; m1.build((None, 3)) raises, m1 stays unbuilt
    "unbuilt_first": "d = layers.Dense(4)\nm1 = keras.Sequential([d])\nm2 = keras.Sequential([keras.Input((5,)), d])\n"
                     "m1.build((None, 3))\n",
}


@pytest.mark.parametrize("name", sorted(RAISING))
def test_layer_built_on_two_inputs_states_no_number(name):
    report = analyze_source(HEAD + RAISING[name], "m.py")
    assert report.internal_error is None, report.internal_error
    assert len(report.models) == 2
    for model in report.models:
        assert model.total is None and model.trainable is None, (model.model.keras_name, model.total)
        for row in model.rows:
            if row.layer.type in ("Dense", "Conv2D"):
                assert row.params is None and row.output_shape is None


def test_layer_on_compatible_inputs_keeps_numbers_not_its_row_shape():
    # Keras: both models 16 params; the Dense row shows (None, 7, 4) in both summaries (its last call)
    src = HEAD + ("d = layers.Dense(4)\nm1 = keras.Sequential([keras.Input((3,)), d])\n"
                  "m2 = keras.Sequential([keras.Input((7, 3)), d, layers.Flatten()])\n")
    report = analyze_source(src, "m.py")
    assert [(m.status, m.total) for m in report.models] == [("exact", 16), ("exact", 16)]
    for model in report.models:
        dense = next(r for r in model.rows if r.layer.type == "Dense")
        assert dense.params == 16 and dense.output_shape is None


def test_unbuilt_sequential_of_reused_layers_leaves_the_source_model_known():
    # Keras: donor 84 params (84 trainable); loose = Sequential(donor.layers[1:]) has no input and is never built,
    # so it builds none of the shared layers (they keep donor's weights)
    src = HEAD + ("donor = keras.Sequential([keras.Input((5,)), layers.Dense(7), layers.Dense(4), layers.Dense(2)])\n"
                  "loose = keras.Sequential(donor.layers[1:])\nloose.add(layers.Dense(3))\n")
    report = analyze_source(src, "m.py")
    assert [(m.status, m.total, m.trainable) for m in report.models] == [("exact", 84, 84), ("unbuilt", None, None)]


SEQUENTIAL_RAISING = {
    # Keras: inner 21 params (built inside y, on (None, 6)), y 39; ValueError at b's line
    "two_holders": "inner = keras.Sequential([layers.Dense(3)])\ny = keras.Sequential([layers.Dense(6), inner])\n"
                   "out = y(keras.Input((2,)))\nb = keras.Sequential([keras.Input((4,)), inner])\n",
    # Keras: inner 15 params (built in a, on (None, 4)), a 15; ValueError at b's line
    "two_inputs": "inner = keras.Sequential([layers.Dense(3)])\na = keras.Sequential([keras.Input((4,)), inner])\n"
                  "b = keras.Sequential([keras.Input((5,)), inner])\n",
    # Keras: inner 15 params (its first call, on (None, 4)); ValueError at m's line (its second call, on (None, 5))
    "twice_in_one": "inner = keras.Sequential([layers.Dense(3)])\n"
                    "m = keras.Sequential([keras.Input((4,)), inner, layers.Dense(5), inner])\n",
    # Keras: inner 18 params (built in outer, on (None, 5)); ValueError at the call inner(a): m is never made
    # (kerascount gave inner and m 15, as if that call had built it)
    "held_then_called": "inner = keras.Sequential([layers.Dense(3)])\n"
                        "outer = keras.Sequential([keras.Input((5,)), inner])\n"
                        "a = keras.Input((4,))\nm = keras.Model(a, inner(a))\n",
    # Keras: inner and m 15 params (the call built it, on (None, 4)); ValueError at outer's line
    "called_then_held": "inner = keras.Sequential([layers.Dense(3)])\n"
                        "a = keras.Input((4,))\nm = keras.Model(a, inner(a))\n"
                        "outer = keras.Sequential([keras.Input((5,)), inner])\n",
}


@pytest.mark.parametrize("name", sorted(SEQUENTIAL_RAISING))
def test_sequential_without_input_built_on_two_inputs_states_no_number(name):
    """A Sequential without an input in two models (or twice in one) on inputs that differ (hold-out 18 check):
    Keras builds it on the first and raises on the other; kerascount gave the second its own build (15 and 18
    params for `b` where Keras raises) and called the first `inner` unbuilt."""
    report = analyze_source(HEAD + SEQUENTIAL_RAISING[name], "m.py")
    assert report.internal_error is None, report.internal_error
    for model in report.models:
        assert model.status == "unknown" and model.total is None, (model.model.keras_name, model.total)


def test_sequential_without_input_in_two_models_on_one_input_is_built():
    # Keras: inner, a and b 15 params each (inner built once, on (None, 4))
    src = HEAD + ("inner = keras.Sequential([layers.Dense(3)])\na = keras.Sequential([keras.Input((4,)), inner])\n"
                  "b = keras.Sequential([keras.Input((4,)), layers.Activation('relu'), inner])\n")
    report = analyze_source(src, "m.py")
    assert [(m.status, m.total) for m in report.models] == [("exact", 15)] * 3
    assert report.models[0].inputs == ((None, 4),)


def test_encoder_of_a_built_model_leaves_that_model_known():
    """An encoder made of an autoencoder's first layers (hold-out 61, a fraud-detection notebook): the autoencoder
    started with an input, so Keras built its layers as it was made; the encoder, a Sequential without an input,
    is built later by `predict`. The autoencoder's numbers hold whatever the encoder gets: kerascount called both
    unknown, saying Keras raises. Keras: full 58 params; enc.predict on 9 features raises ValueError ("is
    incompatible with the layer"), and full keeps its 58."""
    src = HEAD + ("import numpy as np\nfull = keras.Sequential([keras.Input((6,)), layers.Dense(4), layers.Dense(6)])\n"
                  "enc = keras.Sequential(full.layers[:1])\nenc.predict(np.zeros((4, 9)), verbose=0)\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    full, enc = report.models
    assert (full.status, full.total) == ("exact", 58)
    assert full.rows[0].params == 28 and full.rows[0].output_shape is None  # (its last call's output: enc's)
    assert enc.status == "unknown" and enc.total is None


def test_encoder_made_first_leaves_both_unknown():
    # The Sequential without an input is made first: which build comes first is not followed (Keras: enc.predict
    # builds dense on 9 features, then `full` raises at its Input's rebuild; kerascount states no number for either)
    src = HEAD + ("import numpy as np\nd = layers.Dense(4)\nenc = keras.Sequential([d])\n"
                  "enc.predict(np.zeros((4, 9)), verbose=0)\nfull = keras.Sequential([keras.Input((6,)), d])\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    assert all(m.total is None for m in report.models), [(m.model.keras_name, m.total) for m in report.models]


def test_encoder_on_unseen_data_leaves_the_symbolic_autoencoder():
    """The notebook's form: the autoencoder's width comes from data the analysis does not see, and the encoder is
    built by `predict` on such data. Keras (features of 12 columns): the autoencoder 200 params, the encoder 140."""
    src = HEAD + ("import io\nimport numpy as np\n\n\ndef saved(array):\n    buffer = io.BytesIO()\n"
                  "    np.save(buffer, array)\n    buffer.seek(0)\n    return buffer\n\n\n"
                  "features = np.load(saved(np.random.rand(60, 12)))\n\n\n"
                  "def autoencoder(width):\n    model = keras.Sequential()\n    model.add(keras.Input(shape=(width,)))\n"
                  "    model.add(layers.Dense(8, activation='tanh'))\n    model.add(layers.Dense(4, activation='relu'))\n"
                  "    model.add(layers.Dense(width, activation='sigmoid'))\n    return model\n\n\n"
                  "full = autoencoder(features.shape[1])\nencoder = keras.Sequential(full.layers[:2])\n"
                  "codes = encoder.predict(features, verbose=0)\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    full, encoder = report.models
    assert full.status == "symbolic" and str(full.total) == "13*features.shape[1] + 44"  # 200 for 12 columns
    assert encoder.status == "unknown" and encoder.total is None
