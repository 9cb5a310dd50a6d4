"""``np.linspace`` of Python numbers keeps NumPy's float64 values (fixture custom/stochastic_depth_schedule.py, whose
widths read them, checked against Keras); iterating it or taking an item gives NumPy floats. Anything else
(``dtype=``, ``retstep=``, a negative ``num``) leaves the values unknown, never guessed."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source


def _total(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    [model] = report.models
    return model.total


def _model(schedule: str) -> str:
    return ("import numpy as np\nimport keras\nfrom keras import layers\n"
            f"widths = [4 + int(r * 100) for r in {schedule}]\n"
            "m = keras.Sequential([keras.Input((3,))] + [layers.Dense(w) for w in widths])\n")


def test_numpy_values_exactly():
    # NumPy 2.4: 0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.24999999999999997, 0.3 -> widths 4, 9, 14, 19, 24, 28, 34
    # (28, not 29: the same model with the widths written out)
    assert _total(_model("np.linspace(0, 0.3, 7)")) == _total(_model("[0, 0.05, 0.1, 0.15, 0.2, 0.245, 0.3]"))
    assert _total(_model("np.linspace(0, 0.3, 7)")) != _total(_model("[0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]"))


@pytest.mark.parametrize("schedule", [
    "np.linspace(0, 0.3, 7, dtype=np.float32)",  # float32 values: their arithmetic is not followed
    "np.linspace(0, 0.3, 7, retstep=True)[0]",
    "np.linspace(0, 0.3, -1)",  # NumPy raises ValueError
    "np.linspace(0, 0.3, 100)",  # more values than are kept
])
def test_values_not_followed_stay_unknown(schedule):
    assert _total(_model(schedule)) is None
