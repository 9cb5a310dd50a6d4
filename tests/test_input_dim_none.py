"""``input_dim=None`` declares no input shape: Keras's ``Layer.__init__`` keeps an input shape only when ``input_dim``
is not None (then it reads ``input_shape=``). A grid-search factory ``def create_model(..., input_dim=None)`` built with
its defaults is therefore an unbuilt model (hold-out 55, a scikit-learn wrapper's ``create_model``); kerascount read
an input of shape ``(None,)`` and reported that Keras rejects the Dense (KC105), on code Keras runs; a custom layer given
``input_dim=None, input_shape=(6,)`` made an unbuilt model where Keras builds one. The expected statuses and numbers
are fixtures/regressions/input_dim_none.keras.json's, written by tools/keras_truth.py. With ``input_dim`` not None,
``input_shape=`` stays among the keywords Layer.__init__ does not know: fixtures/errors/input_dim_with_input_shape.py."""

from __future__ import annotations

import json
from pathlib import Path

from kerascount.api import analyze_source

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "regressions" / "input_dim_none.py"


def test_input_dim_none_declares_no_input_shape():
    truth = json.loads(FIXTURE.with_suffix(".keras.json").read_text())["models"]
    report = analyze_source(FIXTURE.read_text(), str(FIXTURE))
    assert report.internal_error is None
    assert len(report.models) == len(truth) == 4
    for got, want in zip(report.models, truth):
        if not want["built"]:
            assert got.status == "unbuilt", (got.model.name, got.status, got.reasons)
        else:
            assert got.status == "exact", (got.model.name, got.status, got.reasons)
            assert got.total == want["total_params"]
    assert not [d for d in report.diagnostics if d.code == "KC105"]
