"""Short NumPy arrays whose values the source fixes: width tables such as ShuffleNet's
(``np.insert(np.arange(n, dtype=np.float32), 0, 0)``, ``2 ** exp``, ``*=``, ``[0] = 24``, ``.astype(int)``).

The exact cases are run with real Keras (keras-marked probe): each snippet's model, built by Keras, must give
the output shapes and parameter counts kerascount computes. The other cases must stay unknown: NumPy would
give another value (a float32 rounding, an int array scaled in place), or something may change the array unseen.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe
from test_interpreter2 import spelled_total

HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"
TAIL = ("inp = keras.Input((16, 16, 3))\nx = inp\nfor i in range(len(w)):\n"
        "    x = layers.Conv2D(w[i], 3, padding='same')(x)\n"
        "model = keras.Model(inp, layers.Dense(int(w[-1]) // 2)(layers.GlobalAveragePooling2D()(x)))\n")

#: Snippets that make ``w``, a table of widths Keras accepts (Conv2D takes NumPy integers).
EXACT = {
    "shufflenet": ("e = np.insert(np.arange(0, 3, dtype=np.float32), 0, 0)\nw = 2 ** e\nw *= 36\nw[0] = 24\n"
                   "w *= 0.5\nw = w.astype(int)\n"),
    "stage table": ("table = {1: 144, 3: 240}\ne = np.insert(np.arange(2, dtype=np.float32), 0, 0)\n"
                    "w = 2 ** e\nw *= table[3]\nw *= 1.5\nw = w.astype('int32')\n"),
    "integers": "w = np.arange(1, 5) * 8\nw += 2\nw = np.insert(w, -1, 20)\n",
    "float64 division": "w = (np.arange(2, 6, dtype=float) / 4 * 32).astype(np.int64)\n",
    "alias sees the change": "a = np.arange(3) + 4\nw = a\na *= 3\na[1] = 7\n",
    "truncated store": "w = np.arange(4)\nw[0] = 9.75\nw[-1] = 12\nw = w + 1\n",
    "literal list": "w = np.array([2, 3, 4]) * 8\n",
    "literal tuple with a float": "w = (np.asarray((1.0, 2, 3)) * 16).astype(int)\n",
    "literal with a named dtype": "w = np.array([3, 5], dtype=np.int64) * 4\n",
    "literal range": "w = np.array(range(1, 4)) + 4\n",
}


def _model(body: str):
    report = analyze_source(HEAD + body + TAIL, "t.py")
    assert report.internal_error is None
    (model,) = report.models
    return model


PROBE = r"""
import json, sys
import keras
out = {}
for name, body in json.loads(sys.argv[1]).items():
    g = {}
    exec(body, g)
    m = g["model"]
    out[name] = {"shapes": [list(l.output.shape) for l in m.layers[1:]], "params": m.count_params()}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def keras_models():
    return keras_probe(PROBE, {name: HEAD + body + TAIL for name, body in EXACT.items()})


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(EXACT))
def test_width_tables_match_keras(name, keras_models):
    model = _model(EXACT[name])
    assert model.status == "exact", model.reasons
    truth = keras_models[name]
    assert [list(r.output_shape) for r in model.rows if r.layer.type != "InputLayer"] == truth["shapes"]
    assert model.total == truth["params"]


@pytest.mark.parametrize("body", [
    # 0.7 is no float32 number: NumPy multiplies by its float32 rounding
    "w = (np.arange(1, 4, dtype=np.float32) * 100) * 0.7\nw = w.astype(int)\n",
    # an integer array scaled in place by a float: NumPy raises
    "w = np.arange(1, 4) * 8\nw *= 1.5\n",
    # changed by NumPy in place
    "w = np.arange(1, 4) * 8\nnp.random.shuffle(w)\n",
    # a view of it changed
    "w = np.arange(1, 4) * 8\nv = w[1:]\nv[0] = 5\n",
    "w = np.arange(1, 4) * 8\nv = w.reshape(3)\nv[0] = 5\n",
    # changed under a condition the analysis cannot decide
    "import sys\nw = np.arange(1, 4) * 8\nif len(sys.argv) > 1:\n    w[0] = 5\n",
    "import sys\nw = np.arange(1, 4) * 8\nif len(sys.argv) > 1:\n    w *= 2\n",
    # given to a function the analysis does not see
    "from elsewhere import adjust\nw = np.arange(1, 4) * 8\nadjust(w)\n",
    # changed in a loop the analysis does not follow
    "import sys\nw = np.arange(1, 4) * 8\nfor a in sys.argv:\n    w[0] = len(a)\n",
    # a literal made float32: 0.7 is no float32 number
    "w = (np.array([1, 2, 3], dtype=np.float32) * 0.7 * 100).astype(int)\n",
    # floats made integers by dtype= (NumPy truncates them): not followed
    "w = np.array([1.5, 2], dtype=int) * 8\n",
    # nested lists, bools, strings: no values kept
    "w = np.array([[1, 2], [3, 4]])[0] * 8\n",
    "w = np.array([True, 2]) * 8\n",
    # the list given to a function the analysis does not see before NumPy copies it
    "from elsewhere import adjust\nitems = [1, 2]\nadjust(items)\nw = np.array(items) * 8\n",
    # NumPy 1 and 2 disagree on the type of float32 values times a NumPy integer
    "w = (np.arange(1, 4, dtype=np.float32) * np.prod((2, 4))).astype(int)\n",
])
def test_values_not_followed_leave_the_widths_unknown(body):
    model = _model(body)
    assert model.status == "unknown"
    assert model.total is None


def test_an_integer_item_is_a_numpy_integer_dense_rejects():
    # Dense(units=np.int64(...)) raises in Keras 3.13 and later; int(...) of it is a Python int
    body = "w = np.arange(1, 4) * 8\nm = keras.Sequential([keras.Input((4,)), layers.Dense(w[2])])\n"
    report = analyze_source(HEAD + body, "t.py")
    (model,) = report.models
    assert model.status == "unknown"
    assert any("NumPy integer" in r for r in map(str, model.reasons))
    fixed = analyze_source(HEAD + body.replace("Dense(w[2])", "Dense(int(w[2]))"), "t.py").models[0]
    assert fixed.status == "exact" and fixed.total == spelled_total(4, "layers.Dense(24)")


def test_a_function_nothing_calls_does_not_change_an_array_for_another():
    # Each function nothing calls is run alone with its defaults: what one of them would do to the module's array
    # (it never runs) must not reach the next one, which would see 8 units, never 200.
    body = ("widths = np.arange(1, 4) * 8\n"
            "def grow():\n    widths[0] = 100\n    widths *= 2\n"
            "    return keras.Sequential([keras.Input((4,)), layers.Dense(int(widths[0]))])\n"
            "def build():\n    return keras.Sequential([keras.Input((4,)), layers.Dense(int(widths[0]))])\n")
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    (built,) = [m for m in report.models if m.model.span.line == 10]
    assert built.status == "unknown" or built.total == spelled_total(4, "layers.Dense(8)")


def test_an_array_a_function_nothing_calls_makes_is_followed():
    body = ("def build():\n    own = np.arange(2) + 3\n    own[1] = 9\n    own *= 2\n"
            "    return keras.Sequential([keras.Input((4,)), layers.Dense(int(own[1]))])\n")
    (model,) = analyze_source(HEAD + body, "t.py").models
    assert model.status == "exact" and model.total == spelled_total(4, "layers.Dense(18)")


@pytest.mark.parametrize("change,read,units", [("sizes[0] = 100", "sizes[0]", 8),
                                               ("sizes.append(100)", "sizes[-1]", 16),
                                               ("table['w'] = 100", "table['w']", 16)])
def test_a_list_a_function_nothing_calls_changes_is_not_changed_for_another(change, read, units):
    # build() alone reads the module's list or dict as the module left it, never what grow() would do to it
    body = ("sizes = [8, 16]\ntable = {'w': 16}\n"
            f"def grow():\n    {change}\n    return keras.Sequential([keras.Input((4,)), layers.Dense({read})])\n"
            f"def build():\n    return keras.Sequential([keras.Input((4,)), layers.Dense({read})])\n")
    report = analyze_source(HEAD + body, "t.py")
    (built,) = [m for m in report.models if m.model.span.line == 10]
    assert built.status == "unknown" or built.total == spelled_total(4, f"layers.Dense({units})"), (built.status, built.total)


@pytest.mark.parametrize("pooling,status", [
    # a tuple or list of NumPy integers: Keras's standardize_tuple int()s each item (fixtures/data/numpy_pool_factors)
    ("layers.MaxPooling2D(pool_size=(f[0], f[1]))", "exact"),
    ("layers.AveragePooling2D(2, strides=[f[0], f[0]])", "exact"),
    # a bare NumPy integer: `tuple(np.int64(2))` raises in standardize_tuple
    ("layers.MaxPooling2D(pool_size=f[0])", "unknown"),
    ("layers.MaxPooling2D(2, strides=f[0])", "unknown"),
])
def test_pooling_factors_that_are_numpy_integers(pooling, status):
    body = f"f = np.array([2, 2])\nm = keras.Sequential([keras.Input((8, 8, 3)), {pooling}])\n"
    (model,) = analyze_source(HEAD + body, "t.py").models
    assert model.status == status, model.reasons
    if status == "exact":
        assert model.outputs == ((None, 4, 4, 3),)
