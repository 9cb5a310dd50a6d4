"""A name a loop over items the analysis does not know counts with (`n += 1` once per item) holds its start plus the
number of items, a symbol (fixtures/interpreter2/loop_counted_items.py, checked against Keras); a count that the
body may skip or repeat, or that other code may change, is no count of the items (never a formula that may be wrong):
unknown, or the integer the loop leaves, a symbol of its own (tests/test_loop_integers.py)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

HEAD = """import json
import keras
from keras import layers

words = json.loads('["a", "b", "c"]')
{body}
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n)])
"""


def _model(body: str):
    return analyze_source(HEAD.format(body=body), "m.py").models[-1]


@pytest.mark.parametrize("body, total", [
    ("n = 1\nfor w in words:\n    n += 1", "5*len(words) + 5"),
    ("n = 0\nfor i, w in enumerate(words):\n    n += 2", "10*len(words)"),
    ("n = 0\ntable = dict(zip(words, words))\nfor k, v in table.items():\n    print(k)\n    n += 1",
     "5*len(table)"),
])
def test_a_count_of_the_items(body, total):
    model = _model(body)
    assert model.status == "symbolic"
    assert str(model.total) == total


@pytest.mark.parametrize("body", [
    "n = 1\nfor w in words:\n    if w:\n        n += 1",  # skipped by a condition
    "n = 1\nfor w in words:\n    n += 1\n    if w == 'b':\n        break",  # a break
    "n = 1\nfor w in words:\n    n += 1\n    n += 1",  # two steps: not taken
    "n = 1\nfor n in words:\n    n += 1",  # the loop's own target
    "n = 1\nfor w in words:\n    words.append(w)\n    n += 1",  # the body changes the items
    "n = 1\nfor w in words:\n    n += 1\nelse:\n    n = 0",  # an else
    "n = 1\ndef bump():\n    global n\n    n += 1\nfor w in words:\n    bump()\n    n += 1",  # a global
    "n = 1\nfor w in (x for x in words):\n    n += 1",  # a generator: items not counted as len()
])
def test_not_a_count(body):
    model = _model(body)
    assert model.status != "exact" and model.total is None or not isinstance(model.total, int)
    # (no count of the items; at most the integer the loop leaves in `n`, a symbol of its own: test_loop_integers)
    assert model.status == "unknown" or str(model.total) == "5*n" and [s.name for s in model.symbols] == ["n"]
