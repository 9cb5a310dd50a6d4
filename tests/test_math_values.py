"""Python's ``math`` functions and constants of known numbers are Python's own values (fixture
interpreter2/math_functions.py, checked against Keras); where Python raises, or a value is not known, no number is
given (``int()`` of a value not known is a named symbol, as for any other)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source


def _total(expr: str):
    src = ("import math\nimport sys\nimport keras\n"
           f"m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(int({expr}))])\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    [model] = report.models
    return model.total


def test_a_known_value_is_pythons():
    # int(math.log(1000, 10)) is 2 in Python (2.9999999999999996): the same model as Dense(2)
    assert _total("math.log(1000, 10)") == _total("2")
    assert _total("math.pi * 2") == _total("6")


@pytest.mark.parametrize("expr", [
    "math.log(0)",  # ValueError
    "math.exp(1000)",  # OverflowError
    "math.log(len(sys.argv))",  # a value only the run knows
    "math.gcd(4.0, 2)",  # TypeError: floats are no integers
])
def test_what_python_rejects_or_the_analysis_does_not_know_is_no_number(expr):
    total = _total(expr)
    assert total is None or not isinstance(total, int), total
