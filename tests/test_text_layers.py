"""TextVectorization, StringLookup and IntegerLookup where the source does not fix a number.

Their exact numbers are checked against real Keras by fixtures/layers/text_vectorization.py and
string_integer_lookup.py (truth from a Keras with TensorFlow importable: `# keras-truth: needs=tensorflow`).
Here: the cases kerascount leaves unknown, with the reason (tests/test_keras_truth.py tests the directive).
"""

import pytest

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\ntext = keras.Input(shape=(1,), dtype='string')\n"


def _model(line):
    src = HEAD + f"out = {line}\nmodel = keras.Model(text, layers.Dense(2)(out))\n"
    (model,) = analyze_source(src, "m.py").models
    return model


@pytest.mark.parametrize("line", [
    # the width of a bag of words is the size of the vocabulary adapt() learns from data
    "layers.TextVectorization(max_tokens=100, output_mode='multi_hot')(text)",
    "layers.StringLookup(output_mode='one_hot')(text)",
    "layers.IntegerLookup(max_tokens=20, output_mode='count')(text)",
])
def test_width_set_by_adapt_is_unknown(line):
    model = _model(line)
    assert model.total is None and any("adapt()" in r for r in model.reasons), model.reasons


@pytest.mark.parametrize("line, why", [
    ("layers.TextVectorization(max_tokens=9, ragged=True)(text)", "TensorFlow backend"),
    ("layers.StringLookup(max_tokens=9, pad_to_max_tokens=True, output_mode='multi_hot', sparse=True)(text)",
     "TensorFlow backend"),
    ("layers.StringLookup(vocabulary='vocab.txt', output_mode='one_hot')(text)", "file"),
    ("layers.StringLookup(vocabulary=['[UNK]', 'a'], output_mode='one_hot')(text)", "OOV token"),
])
def test_cases_not_followed_are_unknown(line, why):
    model = _model(line)
    assert model.total is None and any(why in r for r in model.reasons), model.reasons


def test_int_mode_needs_no_vocabulary():
    model = _model("layers.Embedding(50, 4)(layers.TextVectorization(max_tokens=50, output_sequence_length=7)(text))")
    assert model.total == 50 * 4 + 4 * 2 + 2
    assert [r.output_shape for r in model.rows][1] == (None, 7)
