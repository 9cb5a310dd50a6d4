"""A functional model whose inputs are what a call kerascount does not know returned for a tensor
(``inputs = get_source_inputs(input_tensor)`` from a package not analysed): the call may return that very
tensor, so no Input is said to be left out of the model's inputs (KC103); a model whose outputs do come from an
Input it is not given still gets KC103."""

from __future__ import annotations

import json
import pathlib

from kerascount.api import analyze_source

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "pending" / "hold31_unknown_source_inputs.py"


def _errors(report):
    return [d for d in report.diagnostics if d.severity == "error"]


def test_inputs_from_an_unknown_call_are_no_error():
    truth = json.loads(FIXTURE.with_suffix("").with_suffix(".keras.json").read_text())
    assert truth.get("error") is None and len(truth["models"]) == 1  # (Keras builds it)
    report = analyze_source(FIXTURE.read_text(), str(FIXTURE))
    assert not _errors(report), report.diagnostics
    on_input = [m for m in report.models if m.status != "exact"]
    assert len(on_input) == 1 and not isinstance(on_input[0].total, int)


def test_an_input_left_out_is_still_an_error():
    src = ("import keras\nfrom keras import layers\n"
           "a = keras.Input((4,))\nb = keras.Input((4,))\n"
           "out = layers.Dense(2)(layers.Add()([a, b]))\n"
           "m = keras.Model(a, out)\n")
    report = analyze_source(src, "m.py")
    assert [d.code for d in _errors(report)] == ["KC103"]
