"""A name a loop over items the analysis does not know leaves an integer in (every store of it in the loop is an
integer: `len(...)`, `max`/`min` of integers, sums and products of them, an int literal, a name that is one) holds a
symbol of its own after the loop (fixtures/interpreter2/loop_integer_results.py, checked against Keras); a name the
loop may leave anything else in, or that other code may change, stays unknown (never a size that may be a float)."""

from __future__ import annotations

import pytest

from test_loop_counters import _model  # (the same program around each body: `words` from data, `Dense(n)` after)


@pytest.mark.parametrize("body", [
    "n = 0\nfor w in words:\n    if len(w) > n:\n        n = len(w)",
    "n = 0\nfor w in words:\n    n = max(n, len(w))",
    "n = 0\nfor w in words:\n    k = len(w)\n    n = k if k > n else n",
    "n = 1\nfor w in words:\n    n *= len(w) + 1",
    "n = 0\nfor w in words:\n    for ch in w:\n        n = max(n, 2 * len(w) - 1, 3)",
    "k = 'x'\nn = 0\nfor w in words:\n    k = len(w)\n    n = max(n, k)",  # (k: assigned before any read)
    "n = 0\nfor w in words:\n    try:\n        n = min(n, len(w))\n    except ValueError as err:\n        break",
])
def test_an_integer_from_the_items(body):
    model = _model(body)
    assert model.status == "symbolic"
    if body == "n = 0\nfor w in words:\n    n = max(n, len(w))":
        # (the largest length of the items, named so: tests/test_longest_in_loop.py)
        assert [s.name for s in model.symbols] == ["max(len(w) for w in words)"]
        return
    assert str(model.total) == "5*n"
    assert [(s.name, s.origin[:31]) for s in model.symbols] == [("n", "the integer the loop over words")]


@pytest.mark.parametrize("body", [
    "n = 0\nfor w in words:\n    n = len(w) / 2",  # a float
    "n = 0\nfor w in words:\n    n = w",  # an item
    "n = 0\nfor w in words:\n    n = int(w)",  # a call not taken as an integer
    "n = 0.0\nfor w in words:\n    n = max(n, len(w))",  # a float before the loop
    "n = True\nfor w in words:\n    n = len(w)",  # a bool before the loop
    "n = 0\nfor n in words:\n    print(n)",  # the loop's own target
    "n = 0\nfor w in words:\n    n, m = len(w), 1",  # a tuple target
    "n = 0\nfor w in words:\n    n = max(n, len(w), key=abs)",  # a keyword
    "n = 0\nk = 'x'\nfor w in words:\n    n = max(n, k)\n    k = len(w)",  # k read before it is assigned
    "n = 0\nlen = lambda s: 0.5\nfor w in words:\n    n = len(w)",  # not Python's len
    "n = 0\ndef bump():\n    global n\n    n = 'wide'\nfor w in words:\n    bump()\n    n = len(w)",  # a global
    "n = 0\nfor w in words:\n    with open(w) as n:\n        pass",  # bound by `with`
    "n = 0\nfor w in words:\n    try:\n        n = len(w)\n    except ValueError as n:\n        pass",  # by `except`
])
def test_not_an_integer(body):
    model = _model(body)
    assert model.status == "unknown"
