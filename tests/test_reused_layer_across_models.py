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
