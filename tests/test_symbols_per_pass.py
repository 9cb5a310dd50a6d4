"""A size read from data the analysis does not see is a symbol named by the text that reads it; the same text read
again names the same size only while the names it reads hold the same values (Interpreter.made_symbol). A loop that
fits a new encoder to each column, or reads one file per name, reads a new size in each pass:
``len(encoder.classes_)`` and ``len(encoder.classes_)₂``, never one symbol counted twice (hold-out 17: a
customer-value model with five embeddings, one per categorical column, was given ``5*E*C + 1285*E + 71298``, a
formula no column sizes make equal to Keras's 78,164).
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import symbol_names
from test_catalogue_keras import keras_probe
from test_interpreter2 import _at

HEAD = "import keras\nfrom keras import layers\nimport pandas as pd\nfrom sklearn.preprocessing import LabelEncoder\n"

ENCODERS = ("frame = pd.read_csv('shop.csv')\nsizes = {}\n"
            "for column in ['country', 'channel']:\n"
            "    encoder = LabelEncoder()\n    encoder.fit(frame[column])\n"
            "    sizes[column] = len(encoder.classes_)\n"
            "codes, flat = [], []\n"
            "for column in ['country', 'channel']:\n"
            "    code = keras.Input(shape=(1,))\n    codes.append(code)\n"
            "    flat.append(layers.Flatten()(layers.Embedding(sizes[column], 4)(code)))\n"
            "m = keras.Model(codes, layers.Dense(1)(layers.Concatenate()(flat)))\n")

#: The same model with the two column sizes as numbers A and B, for Keras.
ENCODERS_AS_NUMBERS = ("codes, flat = [], []\n"
                       "for size in [A, B]:\n"
                       "    code = keras.Input(shape=(1,))\n    codes.append(code)\n"
                       "    flat.append(layers.Flatten()(layers.Embedding(size, 4)(code)))\n"
                       "m = keras.Model(codes, layers.Dense(1)(layers.Concatenate()(flat)))\n")

PROBE = r"""
import json, sys
import keras
out = []
for body, a, b in json.loads(sys.argv[1]):
    g = {"A": a, "B": b}
    exec(body, g)
    out.append(g["m"].count_params())
print(json.dumps(out))
"""

#: Column sizes the total is taken at.
SIZES = ((3, 5), (7, 2))


def _model(body: str, index: int = -1):
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    return report.models[index]


@pytest.mark.keras
def test_one_size_per_pass_keras_agrees():
    model = _model(ENCODERS)
    assert model.status == "symbolic", model.reasons
    first, second = sorted(symbol_names(model.total))
    assert (first, second) == ("len(encoder.classes_)", "len(encoder.classes_)₂")
    counts = keras_probe(PROBE, [["import keras\nfrom keras import layers\n" + ENCODERS_AS_NUMBERS, a, b]
                                 for a, b in SIZES])
    for (a, b), count in zip(SIZES, counts):
        assert _at(model.total, {first: a, second: b}) == count


#: Two reads of one text whose names hold new values: a file per name in a loop, in a comprehension, an encoder
#: fitted again.
READ_AGAIN = {
    "loop": ("widths = []\nfor name in ['a.csv', 'b.csv']:\n    widths.append(pd.read_csv(name).shape[1])\n"
             "m = keras.Sequential([keras.Input((widths[0],)), layers.Dense(4), layers.Dense(widths[1])])\n"),
    "comprehension": ("widths = [pd.read_csv(name).shape[1] for name in ['a.csv', 'b.csv']]\n"
                      "m = keras.Sequential([keras.Input((widths[0],)), layers.Dense(widths[1])])\n"),
    "refitted": ("frame = pd.read_csv('shop.csv')\n"
                 "encoder = LabelEncoder().fit(frame['country'])\nn_countries = len(encoder.classes_)\n"
                 "encoder = LabelEncoder().fit(frame['channel'])\nn_channels = len(encoder.classes_)\n"
                 "m = keras.Sequential([keras.Input((n_countries,)), layers.Dense(n_channels)])\n"),
}


@pytest.mark.parametrize("case", sorted(READ_AGAIN))
def test_a_text_read_with_new_values_is_a_new_symbol(case):
    total = _model(READ_AGAIN[case]).total
    names = sorted(symbol_names(total))
    assert len(names) == 2 and names[1] == names[0] + "₂", names
    assert _at(total, {names[0]: 3, names[1]: 5}) != _at(total, {names[0]: 5, names[1]: 3})


def test_the_same_data_read_in_every_pass_is_one_size():
    # nothing the text reads changes (the loop binds `units`, a module imported twice is the same module)
    body = ("X = pd.read_csv('train.csv').values\nimport pandas as pd\n"
            "grid = [keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(units)]) for units in (2, 3)]\n"
            "for units in (4, 5):\n    grid.append(keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(units)]))\n"
            "m = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(X.shape[1])])\n")
    report = analyze_source(HEAD + body, "t.py")
    names = {n for m in report.models for n in symbol_names(m.total)}
    assert len(report.models) == 5 and len(names) == 1, names
    last = report.models[-1]
    (name,) = names
    assert _at(last.total, {name: 6}) == 6 * 6 + 6


def test_a_builder_called_twice_with_the_same_data_is_one_size():
    body = ("X = pd.read_csv('train.csv').values\n"
            "def build(units):\n    return keras.Sequential([keras.Input((len(X[0]),)), layers.Dense(units)])\n"
            "a = build(2)\nb = build(3)\n")
    report = analyze_source(HEAD + body, "t.py")
    assert {n for m in report.models for n in symbol_names(m.total)} == {"len(X[0])"}


def test_a_pass_that_reads_an_earlier_value_again_finds_its_symbol():
    # four frames read in one loop, then again in the other order: each frame keeps its own size, found among the
    # records made before (Interpreter.symbol_variant), whichever pass made it
    body = ("frames = [pd.read_csv(name) for name in ['a.csv', 'b.csv', 'c.csv', 'd.csv']]\nwidths = []\n"
            "for frame in frames:\n    widths.append(frame.shape[1])\n"
            "for frame in frames[::-1]:\n    widths.append(frame.shape[1])\n"
            "m = keras.Sequential([keras.Input((widths[1],)), layers.Dense(widths[6])])\n"
            "n = keras.Sequential([keras.Input((widths[0],)), layers.Dense(widths[4])])\n")
    m, n = analyze_source(HEAD + body, "t.py").models
    width = "len(pd.read_csv(name).columns)"  # (named where each frame is read)
    assert symbol_names(m.total) == (width + "₂",)
    assert symbol_names(n.total) == (width, width + "₄")
