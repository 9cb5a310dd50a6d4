"""The interpreter never guesses: environment-dependent values, side effects it must follow or forget,
ragged data, and limits counted in steps (issue 12 items 4, 5 and 7; issue 17 items 1 and 4)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source


def _report(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    return report


# -- issue 17 item 1: len() of one sample of ragged data ------------------------------------

RAGGED = "import keras\nfrom keras import layers\n(x_train, y_train), _ = keras.datasets.{name}.load_data()\n"


@pytest.mark.parametrize("name", ["reuters", "imdb"])
@pytest.mark.parametrize("expr", [
    "len(x_train[0])", "len(x_train[-1])", "len(x_train[0][:5])", "len(y_train[0])", "len(x_train.mean(axis=0))",
    "len(x_train[10**30])", "len(x_train[:3][1])", "x_train.mean(axis=0).reshape(1)", "x_train[0].shape",
    "len(y_train.sum(axis=0)[:2])", "x_train.mean(axis=0)[0:1]",
])
def test_ragged_samples_and_zero_dimensional_values_never_crash(name, expr):
    report = _report(RAGGED.format(name=name) + f"n = {expr}\n"
                     "m = keras.Sequential([keras.Input((n,)), layers.Dense(4)])\n")
    (model,) = report.models
    assert model.total is None or model.status == "symbolic"  # n is not known: never a number


def test_ragged_sample_count_still_known():
    report = _report("import keras\nfrom keras import layers\n"
                     "(x, y), _ = keras.datasets.mnist.load_data()\n"
                     "m = keras.Sequential([keras.Input((len(x[0]),)), layers.Dense(4)])\n")
    assert report.models[0].total == 28 * 4 + 4


def test_array_index_out_of_range_is_not_a_shape():
    report = _report("import keras\nfrom keras import layers\n"
                     "(x, y), _ = keras.datasets.mnist.load_data()\n"
                     "m = keras.Sequential([keras.Input(x[60000].shape), layers.Dense(4)])\n")
    assert report.models[0].total is None
