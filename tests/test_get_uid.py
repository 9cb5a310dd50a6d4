"""``keras.backend.get_uid(prefix)`` shares Keras's counters with automatic names (the fixture
fixtures/interpreter2/get_uid_names.py has the truth of a whole model): where the count is not known (a call in a
loop the analysis does not run, a prefix it does not know), the names it may change are unknown, never guessed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kerascount.api import analyze_source

HEAD = "import sys\nimport keras\nfrom keras import layers\n"


def _names(src: str):
    report = analyze_source(HEAD + src, "m.py")
    assert report.internal_error is None, report.internal_error
    (result,) = report.models
    return result.model.keras_name, [row.layer.name for row in result.rows]


def test_counter_shared_with_automatic_names():
    keras_name, names = _names("a = keras.backend.get_uid('dense')\nb = keras.backend.get_uid('dense')\n"
                               "inp = keras.Input((4,))\nm = keras.Model(inp, layers.Dense(a + b)(inp), "
                               "name=f'm_{b}')\n")
    assert keras_name == "m_2"
    assert names[1] == "dense_2"


@pytest.mark.parametrize("setup", [
    "for _ in range(len(sys.argv)):\n    keras.backend.get_uid('dense')\n",  # a loop run an unknown number of times
    "def f():\n    keras.backend.get_uid('dense')\nhooks = [f] * len(sys.argv)\nfor h in hooks:\n    h()\n",
    "keras.backend.get_uid(sys.argv[1])\n",  # a prefix not known: it may be any counter's
])
def test_unknown_counts_leave_names_unknown(setup):
    _, names = _names(setup + "inp = keras.Input((4,))\nm = keras.Model(inp, layers.Dense(2)(inp), name='m')\n")
    assert names[1] == "?"


def test_uid_value_unknown_when_counter_is():
    report = analyze_source(HEAD + "for _ in range(len(sys.argv)):\n    layers.Dense(1)\n"
                            "n = keras.backend.get_uid('dense')\n"
                            "m = keras.Sequential([keras.Input((3,)), layers.Dense(n)], name='s')\n", "m.py")
    (result,) = report.models
    assert result.total is None or result.status == "symbolic"


def test_against_keras():
    """The counts of the first test, from the installed Keras."""
    code = ("import keras\nfrom keras import layers\na = keras.backend.get_uid('dense')\n"
            "b = keras.backend.get_uid('dense')\ninp = keras.Input((4,))\n"
            "m = keras.Model(inp, layers.Dense(a + b)(inp), name=f'm_{b}')\n"
            "print(m.name, m.layers[1].name, m.layers[1].units)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "KERAS_BACKEND": "numpy"}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["m_2", "dense_2", "3"]
