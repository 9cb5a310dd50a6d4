"""`model.compute_output_shape(shape)` of a functional model (hold-out 62: FCN and SegNet helpers measure a branch
with `Model(inputs, branch).compute_output_shape(input_shape=(1, h, w, 3))` before they crop it). Keras runs the
graph again on the shape given; kerascount gives the model's output shape for the shape the model was built on
(the batch size aside) and leaves everything else unknown: another shape (the graph gives other sizes), a batch
size where the graph leaves an axis open (a reshape to -1 sizes it by the batch), several outputs. The exact case
is fixture `interpreter2/model_compute_output_shape`; here, what is left unknown, with what Keras gives there."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

HEAD = """import keras
from keras import layers

inp = keras.Input({input_shape})
mid = layers.Conv2D(4, 3, strides=2)(inp)
out = {output}
probe = keras.Model(inp, out)
shape = probe.compute_output_shape({given})
model = keras.Model(inp, layers.Dense(shape[{axis}])(out if not isinstance(out, list) else out[0]))
"""

CASES = {
    # the model's own shape: known (batch None: the output shape itself; batch 1 on a closed axis)
    "same": dict(input_shape="(16, 16, 3)", output="mid", given="(None, 16, 16, 3)", axis="-1"),
    "batch_kept_axis": dict(input_shape="(16, 16, 3)", output="mid", given="(1, 16, 16, 3)", axis="2"),
    # an open input: another graph run, left unknown
    "open_input": dict(input_shape="(None, None, 3)", output="mid", given="(1, 20, 20, 3)", axis="1"),
    # the batch axis of the output read after a batch size was given
    "batch_axis": dict(input_shape="(16, 16, 3)", output="layers.Reshape((-1,))(mid)", given="(2, 16, 16, 3)",
                       axis="0"),
    # several outputs: Keras returns a list of shapes
    "two_outputs": dict(input_shape="(16, 16, 3)", output="[mid, mid]", given="(None, 16, 16, 3)", axis="1][-1"),
}

SOURCES = {key: HEAD.format(**case) for key, case in CASES.items()}

PROBE = """
import json, sys


def run(text):
    scope = {}
    try:
        exec(text, scope)
    except Exception as e:
        return type(e).__name__
    return [scope["model"].count_params(), repr(scope["shape"])]


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _model(key):
    return [m for m in analyze_source(SOURCES[key], "m.py").models if m.model.name == "model"][-1]


def test_the_models_own_shape_is_known():
    # Conv2D(4, 3) on 3 channels: 112; then Dense(4) (on the channels) or Dense(7) (on the width 7)
    assert _model("same").total == 112 + 4 * 4 + 4
    assert _model("batch_kept_axis").total == 112 + 4 * 7 + 7


@pytest.mark.parametrize("key", ["open_input", "batch_axis", "two_outputs"])
def test_other_shapes_are_left_unknown(key):
    model = _model(key)
    assert model.total is None, (key, model.total)
    assert model.reasons, key


@pytest.mark.keras
def test_compute_output_shape_agrees_with_keras():
    truth = keras_probe(PROBE, SOURCES)
    for key in ("same", "batch_kept_axis"):
        assert _model(key).total == truth[key][0], (key, truth[key])
    # what Keras gives where kerascount says nothing: sizes another graph run (or the batch) decides
    assert truth["open_input"][1] == "(1, 9, 9, 4)", truth
    assert truth["batch_axis"][1] == "(2, 196)", truth
    assert truth["two_outputs"][1] == "[(None, 7, 7, 4), (None, 7, 7, 4)]", truth
