"""Plain attributes the code sets on a functional model or a Sequential (``model.output_length = lambda x: ...``,
the speech-recognition notebooks' way of keeping how a model shortens its input): read back, a Lambda given such a
function is traced as Keras traces it (fixtures/interpreter2/model_attribute_functions.py checks the numbers against
Keras). Where code the analysis does not run may set the attribute again (a loop not followed, an undecided
branch, a helper called in such a loop), what it holds is not known: the Lambda's row is unknown, never the shape of a
function the code may have replaced."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_HEAD = """import keras
from keras import layers
from mylib import more, flag

inp = keras.Input(shape=(8,))
m = keras.Model(inp, layers.Dense(4)(inp))
m.f = lambda x: x
"""

_TAIL = """
t = keras.Input(shape=(6,))
out = layers.Lambda(m.f)(t)
model = keras.Model(t, out)
"""


def _lambda_row(middle: str):
    report = analyze_source(_HEAD + middle + _TAIL, "m.py")
    assert report.internal_error is None
    model = report.models[-1]
    (row,) = [r for r in model.rows if r.layer.type == "Lambda"]
    return model, row


def test_the_function_kept_is_traced():
    model, row = _lambda_row("")
    assert model.status == "exact" and row.output_shape == (None, 6)


@pytest.mark.parametrize("middle", [
    "while more():\n    m.f = lambda x: x[:, :2]\n",
    "if flag():\n    m.f = lambda x: x[:, :1]\n",
    "def shorten(model, k):\n    model.f = lambda x: x[:, :k]\n\nfor _ in more():\n    shorten(m, 3)\n",
    "for _ in more():\n    m.f = lambda x: x[:, :2]\n",
])
def test_set_again_where_the_analysis_cannot_follow_it_is_not_known(middle):
    model, row = _lambda_row(middle)
    assert model.status == "unknown" and row.output_shape is None
