"""Dataset arrays: the table of keras.datasets shapes, and what scripts do to the arrays.

The models built from datasets are checked against real Keras by the fixtures in
fixtures/datasets/ (tests/test_fixtures.py). Here: the table against the documentation of
the installed Keras, and the array operations that must give *unknown* rather than a guess.
"""

from __future__ import annotations

import os
import re

import pytest

from kerascount.api import analyze_source
from kerascount.extract.arrays import DATASETS


def _shape(text: str):
    return tuple(int(d) for d in text.replace(" ", "").split(",") if d)


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_table_matches_the_keras_documentation(name):
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    keras = pytest.importorskip("keras")
    doc = getattr(keras.datasets, name).load_data.__doc__
    data = DATASETS[name]
    asserted = dict(re.findall(r"assert (\w+)\.shape == \(([\d, ]+)\)", doc))
    if asserted:  # mnist, fashion_mnist, cifar10, cifar100 document exact shapes
        assert _shape(asserted["x_train"]) == (data.train, *data.x)
        assert _shape(asserted["x_test"]) == (data.test, *data.x)
        assert _shape(asserted["y_train"]) == (data.train, *data.y)
        assert _shape(asserted["y_test"]) == (data.test, *data.y)
        top = max(int(n) for n in re.findall(r"range 0-(\d+)\)", doc))
        assert data.classes == top + 1
    elif data.ragged:  # imdb, reuters: lists of word indices of any length
        assert "sequences" in doc and data.x == () and data.train is None
    else:  # boston_housing, california_housing: `(num_samples, 13)`
        features = re.search(r"shape `\(num_samples, (\d+)\)`", doc)
        assert features is not None and data.x == (int(features.group(1)),) and data.y == ()


def _input_shape(source: str):
    report = analyze_source("import keras\nimport numpy as np\n" + source)
    (model,) = report.models
    return model.inputs[0] if model.inputs else None, model.status


MODEL = "\nm = keras.Sequential([keras.Input(shape=x.shape[1:]), keras.layers.Dense(2)])\n"
LOAD = "(x, y), _ = keras.datasets.mnist.load_data()\n"


@pytest.mark.parametrize("step, shape", [
    ("x = x.reshape(-1, 784)", (None, 784)),
    ("x = x.reshape(x.shape[0], 28, 28, 1)", (None, 28, 28, 1)),
    ("x = np.reshape(x, (60000, 14, 56))", (None, 14, 56)),
    ("x = np.expand_dims(x, axis=1)", (None, 1, 28, 28)),
    ("x = x[..., None, np.newaxis]", (None, 28, 28, 1, 1)),
    ("x = x[:100] / 255.0 - x.mean(axis=0)", (None, 28, 28)),
    ("x = x.astype('float32').sum(axis=-1)", (None, 28)),
])
def test_array_steps(step, shape):
    assert _input_shape(LOAD + step + MODEL) == (shape, "exact")


@pytest.mark.parametrize("step", [
    "x = x.reshape(-1, 785)",  # 784 does not divide
    "x = x.reshape(60000, 28, 27)",  # NumPy would raise
    "x = x.reshape(-1, -1)",
    "x = x + np.ones((3, 28))",  # does not broadcast
    "x = x + y",  # (60000, 28, 28) + (60000,) does not broadcast
    "x.resize((10, 10))",  # changed in place: no longer known
    "x = np.kron(x, x)",  # an operation that is not followed
    "x = x[1, 2, 3, 4]",
])
def test_array_steps_that_are_not_followed_stay_unknown(step):
    shape, status = _input_shape(LOAD + step + MODEL)
    assert status != "exact"


def test_counts_that_arguments_change_are_unknown():
    source = "(x, y), _ = keras.datasets.boston_housing.load_data(test_split=0.3)\nn = len(x)\n" \
             "m = keras.Sequential([keras.Input(shape=(n,)), keras.layers.Dense(2)])\n"
    assert _input_shape(source)[1] != "exact"


def test_to_categorical_needs_known_classes():
    source = "(x, y), _ = keras.datasets.boston_housing.load_data()\ny = keras.utils.to_categorical(y)\n" \
             "m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(y.shape[1])])\n"
    (model,) = analyze_source("import keras\n" + source).models
    assert model.status != "exact"


def _classes(call: str):
    source = f"(x, y), _ = {call}\ny = keras.utils.to_categorical(y)\n" \
             "m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(y.shape[1])])\n"
    (model,) = analyze_source("import keras\n" + source).models
    return model.outputs


def test_cifar100_label_mode_by_position_reads_as_by_keyword():
    coarse = _classes("keras.datasets.cifar100.load_data(label_mode='coarse')")
    assert _classes("keras.datasets.cifar100.load_data('coarse')") == coarse
    assert _classes("keras.datasets.cifar100.load_data()") != coarse
