"""A name an undecided condition binds to one of two models (a ModelChoice): a loop that only sets the trainable
flags of its layers is run on each way's model, so each model's split stays known; what could differ between the
ways stays unknown. The exact splits are compared with real Keras (keras-marked probe), each way run in turn."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kerascount.api import analyze_source

_HEADS = """import sys
import keras
from keras import layers


def slim(n):
    i = keras.Input(shape=(9,))
    h = layers.Dense(14, activation="relu")(i)
    h = layers.BatchNormalization()(h)
    return keras.Model(i, layers.Dense(n)(h))


def deep(n):
    i = keras.Input(shape=(9,))
    h = layers.Dense(30, activation="tanh")(i)
    h = layers.Dense(11)(h)
    return keras.Model(i, layers.Dense(n)(h))


"""
# the same choice made by a conditional expression, and returned by a function from its two ways
_CHOSEN = {
    "if": "if len(sys.argv) > 3:\n    net = slim(4)\nelse:\n    net = deep(4)\n",
    "ifexp": "net = slim(4) if len(sys.argv) > 3 else deep(4)\n",
    "return": "def pick():\n    if len(sys.argv) > 3:\n        return slim(4)\n    else:\n        return deep(4)\n\n\n"
              "net = pick()\n",
}

_LOOPS = {
    "index": "for j in range(len(net.layers)):\n    net.layers[j].trainable = False\n",
    "tail": "for j in range(len(net.layers)):\n    net.layers[j].trainable = False\n"
            "for lay in net.layers[-2:]:\n    lay.trainable = True\n",
    "enumerate": "frozen = False\nfor j, lay in enumerate(net.layers[:2]):\n    lay.trainable = frozen\n",
}

_PROBE = """
import json, sys
import keras
out = []
for argv in (["m.py", "a", "b", "c"], ["m.py"]):
    sys.argv = argv
    ns = {}
    exec(compile(SOURCE, "m.py", "exec"), ns)
    m = ns["net"]
    size = lambda ws: sum(int(w.numpy().size) if hasattr(w, "numpy") else int(keras.ops.size(w)) for w in ws)
    out.append([m.count_params(), size(m.trainable_weights), size(m.non_trainable_weights)])
print(json.dumps(out))
"""


def _splits(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    return [(m.total, m.trainable, m.non_trainable) for m in report.models]


@pytest.mark.parametrize("loop", sorted(_LOOPS))
def test_each_way_model_keeps_a_known_split(loop):
    splits = _splits(_HEADS + _CHOSEN["if"] + _LOOPS[loop])
    assert len(splits) == 2
    assert all(isinstance(x, int) for split in splits for x in split)


@pytest.mark.keras
@pytest.mark.parametrize("chosen", sorted(_CHOSEN))
@pytest.mark.parametrize("loop", sorted(_LOOPS))
def test_each_way_split_agrees_with_keras(loop, chosen):
    src = _HEADS + _CHOSEN[chosen] + _LOOPS[loop]
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    run = subprocess.run([sys.executable, "-c", f"SOURCE = {src!r}\n" + _PROBE], capture_output=True, text=True,
                         env=env, timeout=300)
    if run.returncode != 0:
        pytest.skip(f"Keras is not usable here: {run.stderr[-300:]}")
    truth = [tuple(t) for t in json.loads(run.stdout)]
    assert _splits(src) == truth  # slim (built when the condition holds), then deep


def test_a_layer_made_before_held_by_one_way_only_leaves_splits_unknown():
    # `stem` exists in both ways but only `slim`'s model holds it: whether the loop froze it depends on the way
    src = _HEADS.replace(
        "def slim(n):\n    i = keras.Input(shape=(9,))\n    h = layers.Dense(14, activation=\"relu\")(i)",
        "stem = layers.Dense(14)\n\n\ndef slim(n):\n    i = keras.Input(shape=(9,))\n    h = stem(i)")
    src += _CHOSEN["if"] + "base = keras.Sequential([keras.Input(shape=(9,)), stem])\n" + _LOOPS["index"]
    report = analyze_source(src, "m.py")
    base = [m for m in report.models if m.model.kind == "sequential"]
    assert len(base) == 1
    assert isinstance(base[0].total, int) and not isinstance(base[0].trainable, int)


@pytest.mark.parametrize("loop", [
    "seen = []\nfor lay in net.layers:\n    lay.trainable = False\n    seen.append(lay)\n",  # it does more
    # it binds an attribute
    "class Box:\n    pass\n\n\nbox = Box()\nfor box.lay in net.layers:\n    box.lay.trainable = False\n",
])
def test_other_loops_over_a_chosen_model_are_not_run_on_each_way(loop):
    assert all(not isinstance(tr, int) for _, tr, _ in _splits(_HEADS + _CHOSEN["if"] + loop))


def test_the_loop_variable_is_unknown_after_it():
    src = _HEADS + _CHOSEN["if"] + _LOOPS["index"] + \
        "out = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(j)])\n"
    report = analyze_source(src, "m.py")
    last = report.models[-1]
    # the run that merges the ways does not know `j`; each way does (both nets have 4 layers: j is 3), and both
    # build the last model with Dense(3) on 3 inputs, which Keras counts (each way's program, probed)
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    assert any("depends on the condition" in r or "loop" in r for r in last.reasons), last.reasons
    ways = {str(w): src.replace("if len(sys.argv) > 3:", f"if {w}:") + "model = out\n" for w in (True, False)}
    truth = keras_probe(COUNT_OR_RAISED, ways)
    assert last.status == "exact" and last.total == truth["True"] == truth["False"], (last, truth)


_LOADED = "if len(sys.argv) > 3:\n    net = keras.models.load_model('net.keras')\nelse:\n    net = deep(4)\n"


_OVER_LAYERS = {  # (a loop over range(len(net.layers)) is not: the loaded model's length is not known)
    "slices": "for lay in net.layers[:2]:\n    lay.trainable = False\nfor lay in net.layers[2:]:\n    lay.trainable = True\n",
    "enumerate": _LOOPS["enumerate"],
}


@pytest.mark.parametrize("loop", sorted(_OVER_LAYERS))
def test_a_way_that_loads_a_model_leaves_the_built_ways_split_known(loop):
    # resume-or-start: the loaded model's layers are none of the file's, so the loop changes the built model's flags
    # in its way only, as if that way were certain; the loaded model is not reported
    chosen = _splits(_HEADS + _LOADED + _OVER_LAYERS[loop])
    certain = _splits(_HEADS + "net = deep(4)\n" + _OVER_LAYERS[loop])
    assert chosen == certain and all(isinstance(x, int) for x in chosen[0])  # (deep(4); slim is never called)


def test_a_layer_made_before_held_by_the_built_way_only_leaves_its_split_unknown():
    # `stem` exists in both ways, but the loaded model does not hold it: whether the loop froze it depends on the way
    src = _HEADS.replace(
        "def deep(n):\n    i = keras.Input(shape=(9,))\n    h = layers.Dense(30, activation=\"tanh\")(i)",
        "stem = layers.Dense(30)\n\n\ndef deep(n):\n    i = keras.Input(shape=(9,))\n    h = stem(i)")
    src += _LOADED + "base = keras.Sequential([keras.Input(shape=(9,)), stem])\n" + _OVER_LAYERS["slices"]
    report = analyze_source(src, "m.py")
    base = [m for m in report.models if m.model.kind == "sequential"]
    assert len(base) == 1
    assert isinstance(base[0].total, int) and not isinstance(base[0].trainable, int)
