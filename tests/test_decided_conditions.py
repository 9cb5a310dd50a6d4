"""Conditions and sizes the values already decide (fixtures/interpreter2/decided_conditions.py has the
exact cases against Keras): what stays undecided, and a custom layer's stated shape with a symbol in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import Expr

_RESIZE = (
    "import numpy as np\nimport keras\nfrom keras import layers\n"
    "class Crop(layers.Layer):\n"
    "    def __init__(self, size, **kwargs):\n"
    "        super().__init__(**kwargs)\n"
    "        self.size = size\n"
    "    def call(self, inputs):\n"
    "        return inputs[:, : self.size[0], : self.size[1], :]\n"
    "    def compute_output_shape(self, input_shape):\n"
    "        return (input_shape[0], self.size[0], self.size[1], input_shape[3])\n"
)
_HEAD = (
    "def head(classes):\n"
    "    inputs = keras.Input((6, 6, 4))\n"
    "    x = layers.Conv2D(classes, 1)(inputs)\n"
    "    x = Crop((3, 3))(x)\n"
    "    return keras.Model(inputs, layers.Dense(2)(layers.Flatten()(x)))\n"
)


def _models(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    return report.models


def _at(value, **names):
    """An exact or symbolic count with its symbols given values."""
    if not isinstance(value, Expr):
        return value
    total = 0
    for mono, coeff in value.terms:
        term = coeff
        for atom, power in mono:
            term *= names[atom.text] ** power
        total += term
    return total


def test_custom_layer_shape_with_a_symbol_is_symbolic():
    (m,) = _models(_RESIZE + _HEAD)
    assert m.status == "symbolic"
    assert m.rows[2].output_shape[-1] == m.rows[1].output_shape[-1]  # Crop keeps the symbolic channels


_PROBE = """
import json, sys
import keras
ns = {}
exec(compile(sys.argv[1], "m.py", "exec"), ns)
print(json.dumps([ns["head"](c).count_params() for c in (3, 7)]))
"""


@pytest.mark.keras
def test_custom_layer_shape_with_a_symbol_agrees_with_keras():
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    run = subprocess.run([sys.executable, "-c", _PROBE, _RESIZE + _HEAD], capture_output=True, text=True, env=env,
                         timeout=300)
    if run.returncode != 0:
        pytest.skip(f"Keras is not usable here: {run.stderr[-300:]}")
    truth = json.loads(run.stdout)
    (m,) = _models(_RESIZE + _HEAD)
    assert [_at(m.total, classes=c) for c in (3, 7)] == truth


def _branch(condition: str, setup: str = "") -> object:
    """The model built under `if <condition>:` (Dense(3)) or else (Dense(4))."""
    (m,) = _models("import numpy as np\nimport keras\nfrom keras import layers\n" + setup +
                   "x = keras.Input((2,))\n"
                   f"if {condition}:\n    y = layers.Dense(3)(x)\nelse:\n    y = layers.Dense(4)(x)\n"
                   "model = keras.Model(x, y)\n")
    return m


@pytest.mark.parametrize("condition, units", [
    ("flag is False", 3), ("flag is True", 4), ("flag is not False", 4), ("0 is False", 4),
    ("name is 'other'", 4), ("name is not 'other'", 3), ("'dense' in {'dense', None}", 3),
    # two equal literals of letters, digits and underscores: CPython interns both, one object
    ("name is 'dense'", 3), ("name is not 'dense'", 4), ("'dense' is name", 3),
    ("None not in {'dense', None}", 4), ("isinstance(name, keras.Model)", 4),
    ("type(sizes) in (list, tuple)", 3), ("type(name) in (list, tuple)", 4),
    ("int(np.round(2.5)) == 2", 3), ("np.sqrt(16.0) == 4", 3),
    ("type(x) is not list", 3), ("type(x) in (list, tuple)", 4),  # a tensor's class is no builtin type
    # CPython makes each int from -5 to 256 once: equal ones are one object, computed or written
    ("depth is 50", 3), ("depth is not 50", 4), ("depth is 101", 4), ("len(sizes) is 2", 3), ("-5 is 2 - 7", 3),
])
def test_decided(condition, units):
    m = _branch(condition, "flag = False\nname = 'dense'\nsizes = [1, 2]\ndepth = 50\n")
    assert m.status == "exact"
    assert m.rows[-1].output_shape == (None, units)


@pytest.mark.parametrize("condition", [
    "name is 'dense'.upper().lower()",  # equal strings, one made at run time: not interned
    "'dense-1' is 'dense-1'",  # not only name characters: one object only where one code object holds both
    "type(np.round(2.5)) is float",  # a NumPy float is no Python float
    "isinstance(np.prod((2, 3)), int)",  # nor a NumPy integer a Python int
    "np.ceil(5) == 5 and type(np.ceil(5)) is int",  # np.ceil of an int: an int in NumPy 2.4, a float in older releases
    "type(x) is type(layers.Dense(2))",  # two Keras classes: which ones is not followed
    "big is 1000",  # equal ints past 256 may be two objects (one here, in one code object; two if made apart)
    "big * 2 is 2000",
    "np.int64(50) is 50",  # a NumPy integer is no Python int
])
def test_left_undecided(condition):
    m = _branch(condition, "name = 'dense'\nbig = 1000\n")
    assert m.status == "unknown"
    assert any("depends on the condition" in r for r in m.reasons)


# relu is an operation of its own class (fixtures/ops/pad_relu.py); Keras 3's relu takes no `alpha`
@pytest.mark.parametrize("call", ["activations.relu(x, alpha=0.1)", "activations.mish(x)", "activations.softmax(x, 1, 2)",
                                  "activations.gelu(x, approximate=True, axis=1)"])
def test_activation_functions_other_than_one_operation_stay_unknown(call):
    (m,) = _models("import keras\nfrom keras import activations, layers\nx = keras.Input((4,))\n"
                   f"model = keras.Model(x, layers.Dense(2)({call}))\n")
    assert m.status == "unknown"



@pytest.mark.parametrize("module, condition", [
    ("keras", "keras.__version__ >= '3.10'"),  # the release after the major is not known
    ("keras", "keras.__version__.startswith('3.1')"),
    ("keras", "keras.__version__.split('.')[1] == '15'"),
    ("keras", "keras.__version__[2] == '1'"),
    ("keras_core", "keras.__version__[0] == '3'"),  # keras_core 0.1, read as Keras 3's API
    ("tf_keras", "keras.__version__.startswith('2')"),  # Keras 2 under Keras 3's names
])
def test_keras_version_beyond_the_major_is_not_known(module, condition):
    (m,) = _models(f"import {module} as keras\nfrom keras import layers\nx = keras.Input((2,))\n"
                   f"model = keras.Model(x, layers.Dense(3 if {condition} else 4)(x))\n")
    assert m.status == "unknown"


_VERSION_SETUP = "from packaging import version\nfrom packaging.version import Version\n"


@pytest.mark.parametrize("condition, decided", [
    # another major than Keras's 3: decided
    ("version.parse(keras.__version__) < version.parse('2.2.0')", True),
    ("Version(keras.__version__) >= Version('2.15.1')", True),
    ("version.parse(keras.__version__) != version.parse('4.0')", True),
    ("version.parse('2.2.0') == version.parse('2.2.0')", True),  # two literals: Python's answer
    ("version.parse('2.10') > version.parse('2.9')", True),  # (numbers, not text)
    # the release after the major decides: not known
    ("version.parse(keras.__version__) > version.parse('3.0')", False),
    ("version.parse(keras.__version__) >= version.parse('3.10')", False),
    ("version.parse(keras.__version__) == version.parse('3')", False),
    ("version.parse('2.2') == version.parse('2.2.0')", False),  # (equal for packaging, not for LooseVersion)
    ("version.parse('3.0rc1') < version.parse('3.0')", False),  # (a pre-release: not read)
])
def test_version_objects_of_keras_version(condition, decided):
    """``packaging.version`` objects of ``keras.__version__`` and of literals (classification_models' builders
    pick their imports by ``StrictVersion(keras.__version__) < StrictVersion('2.2.0')``): compared where the
    known numbers decide. The expected branch comes from running the condition with the Keras installed."""
    keras = pytest.importorskip("keras")
    version = pytest.importorskip("packaging.version")
    units = 3 if eval(condition, {"keras": keras, "version": version, "Version": version.Version}) else 4
    m = _branch(condition, _VERSION_SETUP)
    if decided:
        assert m.status == "exact", m.reasons
        assert m.rows[-1].output_shape == (None, units)
    else:
        assert m.status == "unknown" and any("depends on the condition" in r for r in m.reasons), m.reasons


@pytest.mark.parametrize("condition", [
    "StrictVersion(keras.__version__) < LooseVersion('2.2.0')",  # two kinds: Python raises TypeError
    "StrictVersion(keras.__version__) < StrictVersion('2')",  # StrictVersion('2') raises ValueError
    "StrictVersion(keras.__version__) < '2.2.0'",  # a string: not read
])
def test_version_objects_left_undecided(condition):
    m = _branch(condition, "from distutils.version import LooseVersion, StrictVersion\n")
    assert m.status == "unknown"


def test_strict_version_of_another_major_is_decided():
    """distutils (gone in Python 3.12): ``StrictVersion(keras.__version__) < StrictVersion('2.2.0')`` is false
    for Keras 3 (checked with distutils where it is importable)."""
    m = _branch("StrictVersion(keras.__version__) < StrictVersion('2.2.0') or "
                "LooseVersion(keras.__version__) <= LooseVersion('2.9.9')",
                "from distutils.version import LooseVersion, StrictVersion\n")
    assert m.status == "exact" and m.rows[-1].output_shape == (None, 4)
    keras = pytest.importorskip("keras")
    try:
        from distutils.version import LooseVersion, StrictVersion  # noqa: PLC0415
    except ImportError:
        return
    import warnings  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert not (StrictVersion(keras.__version__) < StrictVersion("2.2.0") or
                    LooseVersion(keras.__version__) <= LooseVersion("2.9.9"))


@pytest.mark.parametrize("condition, decided", [
    ("(np.prod((2, 3)) > 3) is True", False),  # np.True_ is not True
    ("(np.prod((2, 3)) > 9) is False", False),
    ("(np.prod((2, 3)) > 3) is not True", False),
    ("(np.sqrt(16.0) == 4) is True", False),
    ("(1 < np.prod((2, 3)) < 9) is True", False),  # the chain's value is its last comparison's: np.True_
    ("(np.prod((2, 3)) < 7 < 9) is True", False),  # ... here a Python bool
    ("(np.prod((2, 3)) > 3) is (np.prod((2, 3)) > 2)", False),  # NumPy's bools are two objects
    ("np.prod((2, 3)) > 3", True), ("not np.prod((2, 3)) > 3", True), ("(np.prod((2, 3)) > 3) == True", True),
    ("(np.prod((2, 3)) > 3) == (np.round(2.5) < 1)", True), ("np.prod((2, 3)) == None", False),
    ("int(np.prod((2, 3)) > 3) + 2 == 3", True),
    ("(np.prod((2, 3)) > 3 if len(sys.argv) > 1 else np.prod((2, 3)) > 2) is True", True),  # the same np.True_ either way
])
def test_numpy_comparisons_give_numpy_bools(condition, decided):
    """A comparison of a NumPy scalar is a NumPy bool: its truth is decided, `is True` is what NumPy says
    (never Python's answer for a bool). The expected branch comes from running the condition with NumPy."""
    np = pytest.importorskip("numpy")
    units = 3 if eval(condition, {"np": np, "sys": sys}) else 4
    m = _branch(condition, "import sys\n")
    if m.status == "exact":
        assert m.rows[-1].output_shape == (None, units)
    else:
        assert not decided and any("depends on the condition" in r for r in m.reasons), m.reasons


def test_undecided_condition_and_loop_say_why():
    """A condition on a parameter no call gives names that parameter; a loop over range() of a symbol names
    the symbol: the reason says what is missing, not only where."""
    models = _models("import keras\nfrom keras import layers\n"
                     "def build(input_tensor):\n"
                     "    if input_tensor is None:\n        x = keras.Input((4,))\n    else:\n        x = input_tensor\n"
                     "    return keras.Model(x, layers.Dense(3)(x))\n"
                     "def stack(depth):\n    x = inputs = keras.Input((4,))\n"
                     "    for _ in range(depth // 2):\n        x = layers.Dense(3)(x)\n"
                     "    return keras.Model(inputs, x)\n")
    reasons = {m.model.name: " ".join(m.reasons) for m in models}
    assert "(line 4): `input_tensor` is a parameter of `build`, which nothing calls" in reasons["build"]
    assert "`range(depth // 2)`: how many numbers it gives depends on a symbol (`depth`)" in reasons["stack"]


def test_a_condition_on_the_type_of_a_value_not_known_says_why_the_value_is_not():
    """keras-rl's DQN agent: `type(self.model.input) is not list` of a Sequential, whose `.input` Keras 3 raises on
    (it has no node of its own until it is called); `type(...)` and `isinstance(...)` of a value not known are not
    known for the reason the value is not, which the condition's reason now says (before: nothing)."""
    for test, ways in (("type(base.input) is not list", "[base.input] if {} else base.input"),
                       ("isinstance(base.input, list)", "base.input if {} else [base.input]")):
        (_, model) = _models("import keras\nfrom keras import layers\n"
                             "base = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                             f"ins = {ways.format(test)}\n"
                             "model = keras.Model(ins, layers.Dense(1)(base.output))\n")
        assert model.status == "unknown"
        assert any(f"depends on the condition `{test}` (line 4): Keras rejects it: `base.input` of a Sequential "
                   "never called on a tensor: Keras 3 raises AttributeError" in r for r in model.reasons), model.reasons


# A model chosen by a condition the analysis cannot decide, then given data: whichever way runs, `predict` (`fit`...)
# builds that way's model on the data, so neither is "unbuilt" (each is counted as its way builds it).
_CHOSEN = """
import sys
import numpy as np
import keras
from keras import layers


class Pair(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.a = layers.Dense(units)
        self.b = layers.Dense(3)

    def call(self, x):
        return self.b(self.a(x))


pick = int(sys.argv[1])
if pick == 1:
    chosen = keras.Sequential([layers.Dense(6), layers.Dense(3)])
elif pick == 2:
    chosen = Pair(9)
{third}

def get():
    model = chosen
    return model


model = get()
{use}
"""


def _chosen(third: str = "", use: str = "model.predict(np.zeros((4, 5)))") -> list:
    models = _models(_CHOSEN.format(third=third, use=use))
    return [m for m in models if m.model.name == "chosen"]


def test_each_way_of_an_undecided_choice_is_built_by_the_data_it_is_given():
    seq, sub = _chosen()
    assert (seq.status, sub.status) == ("exact", "exact")
    assert "cannot decide" in (seq.caveat() or "") and "cannot decide" in (sub.caveat() or "")


def test_a_way_that_leaves_something_else_does_not_hide_the_models():
    seq, sub = _chosen(third="else:\n    chosen = keras.models.load_model(sys.argv[2])")
    assert (seq.status, sub.status) == ("exact", "exact")


def test_a_choice_called_on_unknown_data_is_unknown_not_unbuilt():
    seq, sub = _chosen(use="out = model(np.load(sys.argv[2]))")
    assert (seq.status, sub.status) == ("unknown", "unknown")
    assert seq.total is None and sub.total is None and seq.reasons and sub.reasons


def test_a_choice_never_given_data_stays_unbuilt():
    seq, sub = _chosen(use="model.summary")
    assert (seq.status, sub.status) == ("unbuilt", "unbuilt")


_PICK_PROBE = """
import json, sys
import keras
src, picks, names = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
runs = []
for pick in picks:
    sys.argv = ["m.py", pick]
    ns = {}
    exec(compile(src, "m.py", "exec"), ns)
    runs.append([ns[n].count_params() if ns[n].built else None for n in names])
print(json.dumps(runs))
"""


def _keras_runs(src: str, picks: str, names: str) -> list:
    """The counts of the models ``names`` (None: not built) in a run of ``src`` under Keras for each of ``picks``."""
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    run = subprocess.run([sys.executable, "-c", _PICK_PROBE, src, picks, names], capture_output=True, text=True,
                         env=env, timeout=300)
    if run.returncode != 0:
        pytest.skip(f"Keras is not usable here: {run.stderr[-300:]}")
    return json.loads(run.stdout)


@pytest.mark.keras
def test_each_way_of_an_undecided_choice_agrees_with_keras():
    src = _CHOSEN.format(third="", use="model.predict(np.zeros((4, 5)), verbose=0)")
    (seq_run,), (sub_run,) = _keras_runs(src, "1,2", "model")
    seq, sub = [m for m in _models(src) if m.model.name == "chosen"]
    assert [seq.total, sub.total] == [seq_run, sub_run]


# Models that exist whichever way runs, one of them picked by what the analysis cannot decide and then given data:
# Keras builds the picked one only, so each is built in some runs and not in others (unknown, not unbuilt).
_PICKED = """
import sys
import numpy as np
import keras
from keras import layers

first = keras.Sequential([layers.Dense(6), layers.Dense(3)])
second = keras.Sequential([layers.Dense(2)])
{pick}
model.predict(np.zeros((4, 5)), verbose=0)
"""
_PICKS = ["model = {'a': first, 'b': second}[sys.argv[1]]",
          "model = [first, second][int(sys.argv[1] == 'b')]",
          "if sys.argv[1] == 'a':\n    model = first\nelse:\n    model = second",
          "model = first if sys.argv[1] == 'a' else second"]


@pytest.mark.parametrize("pick", _PICKS)
def test_a_model_picked_among_existing_ones_is_unknown_not_unbuilt(pick):
    models = _models(_PICKED.format(pick=pick))
    assert [(m.model.name, m.status, m.total) for m in models] == [("first", "unknown", None),
                                                                   ("second", "unknown", None)]
    assert all("builds it if it is the model chosen there" in m.reasons[-1] for m in models)


@pytest.mark.keras
def test_a_model_picked_among_existing_ones_is_built_in_some_runs_only():
    (first_a, second_a), (first_b, second_b) = _keras_runs(_PICKED.format(pick=_PICKS[0]), "a,b", "first,second")
    # each is built in one run only: no one number is right for either
    assert None in (first_a, first_b) and None in (second_a, second_b) and (first_a, second_b) != (None, None)


def test_a_sequential_held_by_a_picked_subclassed_model_is_unknown_not_unbuilt():
    src = _PICKED.replace("second = keras.Sequential([layers.Dense(2)])", """
class Holder(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = keras.Sequential([layers.Dense(2)])

    def call(self, x):
        return self.body(x)


second = Holder()""").format(pick=_PICKS[0])
    statuses = {(m.model.kind, m.status) for m in _models(src)}
    assert statuses == {("sequential", "unknown"), ("subclassed", "unknown")}


def test_class_whose_base_depends_on_the_environment_says_so():
    # `class Attention(object if debug_flag else Layer)` (keras-attention): whether it is a layer at all depends on
    # an environment variable; the reason names that, not a layer missing from the catalogue
    (m,) = _models("import os\nfrom keras import layers, models\n"
                   "debug = int(os.environ.get('ATTENTION_DEBUG', 0))\n"
                   "class Att(object if debug else layers.Layer):\n"
                   "    def call(self, x):\n"
                   "        return x * 2\n"
                   "inp = layers.Input((4,))\n"
                   "m = models.Model(inp, layers.Dense(3)(Att()(inp)))\n")
    assert m.status == "unknown"
    assert m.reasons == ("layer `Att`, whose base class is not known (depends on the condition `debug` (line 4))",)
