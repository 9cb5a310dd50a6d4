"""``lookup.vocabulary_size()`` of a TextVectorization, StringLookup or IntegerLookup: the size of the vocabulary
the layer learned from data (Keras's IndexLookup returns it as a Python int when run eagerly), so a symbol named by
the call. Each read is a symbol of its own: ``adapt()`` in between may change the vocabulary.

Keras's lookup layers need TensorFlow, which the test tools do not install; the layers after the lookup hold every
weight, so the symbolic total is checked (keras-marked probe) against Keras's count of the same layers given the
vocabulary size as a number.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import symbol_names
from test_catalogue_keras import keras_probe
from test_interpreter2 import _at

HEAD = "import keras\nfrom keras import layers\n"

CASES = {
    "string lookup": ("look = layers.StringLookup()\nlook.adapt(['a', 'b', 'c'])\n"
                      "m = keras.Sequential([keras.Input((4,), dtype='string'), look,"
                      " layers.Embedding(look.vocabulary_size(), 3), layers.Flatten(), layers.Dense(2)])\n",
                      "m = keras.Sequential([keras.Input((4,), dtype='int64'),"
                      " layers.Embedding(V, 3), layers.Flatten(), layers.Dense(2)])\n"),
    "text vectorization": ("vec = layers.TextVectorization(max_tokens=500, output_sequence_length=6)\n"
                           "vec.adapt(['one two', 'three'])\nn = vec.vocabulary_size() - 2\n"
                           "inp = keras.Input((1,), dtype='string')\n"
                           "x = layers.Embedding(n + 2, 4)(vec(inp))\n"
                           "m = keras.Model(inp, layers.Dense(n)(layers.GlobalAveragePooling1D()(x)))\n",
                           "n = V - 2\ninp = keras.Input((6,), dtype='int64')\n"
                           "x = layers.Embedding(n + 2, 4)(inp)\n"
                           "m = keras.Model(inp, layers.Dense(n)(layers.GlobalAveragePooling1D()(x)))\n"),
}

PROBE = r"""
import json, sys
import keras
out = {}
for name, (body, size) in json.loads(sys.argv[1]).items():
    g = {"V": size}
    exec(body, g)
    out[name] = g["m"].count_params()
print(json.dumps(out))
"""

#: Vocabulary sizes the totals are taken at.
SIZES = (7, 31)


def _model(body: str):
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    (model,) = report.models
    return model


@pytest.fixture(scope="module")
def keras_counts():
    return {size: keras_probe(PROBE, {name: [HEAD + same, size] for name, (_, same) in CASES.items()})
            for size in SIZES}


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(CASES))
def test_vocabulary_size_is_a_symbol_keras_agrees_with(name, keras_counts):
    model = _model(CASES[name][0])
    assert model.status == "symbolic", model.reasons
    (symbol,) = symbol_names(model.total)
    assert symbol.endswith(".vocabulary_size()")
    for size in SIZES:
        assert _at(model.total, {symbol: size}) == keras_counts[size][name]


def test_each_read_is_its_own_symbol():
    # adapt() between the reads may change the vocabulary: the two sizes are not taken for one
    body = ("look = layers.StringLookup()\nlook.adapt(['a'])\na = look.vocabulary_size()\n"
            "look.adapt(['a', 'b', 'c'])\nb = look.vocabulary_size()\n"
            "m = keras.Sequential([keras.Input((2,)), layers.Dense(a), layers.Dense(b)])\n")
    model = _model(body)
    assert model.status == "symbolic"
    assert len(symbol_names(model.total)) == 2


def test_other_layers_have_no_vocabulary_size():
    body = ("d = layers.Dense(3)\n"
            "m = keras.Sequential([keras.Input((2,)), layers.Dense(d.vocabulary_size())])\n")
    assert _model(body).status == "unknown"
