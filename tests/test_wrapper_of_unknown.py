"""A wrapper (TimeDistributed, Bidirectional, RNN) given a value the analysis does not know, such as a parameter of
a builder function nothing calls (``def video_model(frame_encoder): TimeDistributed(frame_encoder)(clip)``), wraps
a layer that is not known: the model is unknown, never a KC103 error. kerascount said "`layer` must be a
keras.layers.Layer instance, got Expr('frame_encoder')" there (hold-out 47: the Keras guide's video question
answering snippet, whose vision model an earlier snippet defines). A value known not to be a layer is still an
error: Keras 3.15.1 (numpy backend) raises for ``TimeDistributed(5)`` ("Please initialize `TimeDistributed` layer
with a `keras.layers.Layer` instance. Received: 5"), ``Bidirectional('lstm')`` and ``RNN(3)``."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_HEAD = "import keras\nfrom keras import layers\n"


def _report(source: str):
    report = analyze_source(_HEAD + source, "m.py")
    assert report.internal_error is None
    return report


@pytest.mark.parametrize("source", [
    "def video_model(frame_encoder, frames=16):\n    clip = keras.Input(shape=(frames, 64, 64, 3))\n"
    "    seq = layers.TimeDistributed(frame_encoder)(clip)\n"
    "    return keras.Model(clip, layers.Dense(3)(layers.LSTM(8)(seq)))\n",
    "def rnn_model(cell):\n    x = keras.Input(shape=(10, 4))\n"
    "    return keras.Model(x, layers.Dense(3)(layers.RNN(cell)(x)))\n",
    "def bi_model(inner):\n    x = keras.Input(shape=(10, 4))\n"
    "    return keras.Model(x, layers.Bidirectional(inner)(x))\n",
    "x = keras.Input(shape=(10, 4))\nm = keras.Model(x, layers.TimeDistributed(encoder_from_elsewhere)(x))\n",
])
def test_a_wrapper_of_a_value_not_known_is_unknown_not_an_error(source):
    report = _report(source)
    assert not [d for d in report.diagnostics if d.code == "KC103"]
    (model,) = report.models
    assert model.status == "unknown" and model.total is None
    assert any("wraps is not known" in r for r in model.reasons)


@pytest.mark.parametrize("wrapped", ["layers.TimeDistributed(5)", "layers.Bidirectional('lstm')", "layers.RNN(3)"])
def test_a_wrapper_of_a_value_known_not_to_be_a_layer_is_still_an_error(wrapped):
    report = _report(f"x = keras.Input(shape=(10, 4))\nm = keras.Model(x, {wrapped}(x))\n")
    assert [d.severity for d in report.diagnostics if d.code == "KC103"] == ["error"]
