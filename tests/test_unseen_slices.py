"""A slice of what code the analysis does not see made is a value from that code, as an item of it is.

Hold-out 72 (a music-genre project): features read with ``pickle.load(f)``, a call the analysis cannot tell from a
class's (it made an opaque object), then cut to their first rows, ``train_features = train_features[:2000]``, and
``input_shape=train_features.shape[1:]``. ``X.shape[1:]`` of the object itself was read as data's shape, but the
slice was "not known", so the model was unknown. Now the slice is data too: its ``.shape[1:]`` gives sizes named
after it, a symbolic model whose formula Keras agrees with at two shapes (``_keras_totals``).
"""

from __future__ import annotations

import pytest
from test_fixtures import evaluate_symbolic

from kerascount.api import analyze_source

_MODEL = ("model = keras.Sequential([keras.Input(X.shape[1:]), layers.Conv2D(4, 3), layers.MaxPooling2D(),\n"
          "                          layers.Flatten(), layers.Dense(2)])\n")
_SOURCE = ("import pickle\nimport keras\nfrom keras import layers\n\n"
           "with open('features.pickle', 'rb') as f:\n    X = pickle.load(f)\n"
           "X = X[:2000]\n" + _MODEL)
_SHAPES = ((12, 10, 1), (9, 14, 3))


def _symbols(shape):
    return {f"X.shape[{i + 1}]": n for i, n in enumerate(shape)}


def test_a_slice_of_unpickled_data_keeps_its_shape_as_symbols():
    (model,) = analyze_source(_SOURCE, "genres.py").models
    assert model.status == "symbolic", model.reasons
    assert "X.shape[1]" in str(model.total) and "X.shape[3]" in str(model.total)
    # an index of it was a value from that code before: unchanged
    item = _SOURCE.replace("X = X[:2000]\n", "X = X[0]\n")
    (model,) = analyze_source(item, "genres.py").models
    assert model.status == "symbolic"


@pytest.mark.keras
def test_the_formula_is_real_keras_at_two_shapes():
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    (model,) = analyze_source(_SOURCE, "genres.py").models
    runs = {str(shape): "import numpy as np\nimport keras\nfrom keras import layers\n"
            f"X = np.zeros((2500,) + {shape!r})[:2000]\n" + _MODEL for shape in _SHAPES}
    truth = keras_probe(COUNT_OR_RAISED, runs)
    for shape in _SHAPES:
        assert evaluate_symbolic(str(model.total), _symbols(shape)) == truth[str(shape)]
