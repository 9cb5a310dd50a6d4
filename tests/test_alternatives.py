"""Both ways of a condition the analysis cannot decide (issue 12, item 4; kerascount/alternatives.py).

Real Keras checks the ways in tests/test_interpreter_effects.py (the twins of fixtures/undecided/: each world's
model is one of the ways given). Here: which conditions are taken both ways, what a way that raises gives, the
output formats, the cache, and the findings both ways share. The counts below are Dense's kernel and bias
(inputs * units + units), which the fixtures check against Keras."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kerascount import api
from kerascount.api import analyze_source
from kerascount.cache import Cache
from kerascount.config import Config

ROOT = Path(__file__).resolve().parent.parent
HEAD = "import sys\nimport keras\nfrom keras import layers\n"

BRANCHES = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    x = layers.Dense(16)(inputs)
else:
    x = layers.Dense(4)(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
"""


def _model(src, name="model"):
    (found,) = [m for m in analyze_source(src, "m.py").models if m.model.name == name]
    return found


def _ways(model):
    return [(tuple((text, holds) for text, _, holds in a.way), a.total, a.trainable, a.non_trainable, a.error)
            for a in model.alternatives]


def test_each_way_of_an_undecided_if_is_given():
    m = _model(BRANCHES)
    assert m.status == "unknown" and m.total is None
    assert _ways(m) == [((("len(sys.argv) > 1", True),), 8 * 16 + 16 + 17, 161, 0, None),
                        ((("len(sys.argv) > 1", False),), 8 * 4 + 4 + 5, 41, 0, None)]
    assert [a.way[0][1] for a in m.alternatives] == [5, 5]


def test_a_chain_of_elif_gives_a_way_each_and_a_way_keras_raises_on_gives_its_error():
    src = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 2:
    x = layers.Conv1D(4, 3)(inputs)
elif len(sys.argv) > 1:
    x = layers.Dense(6)(inputs)
else:
    x = inputs
model = keras.Model(inputs, x)
"""
    ways = _ways(_model(src))
    assert ways[0][0] == (("len(sys.argv) > 2", True),) and ways[0][1] is None and "Conv1D" in ways[0][4]
    assert ways[1:] == [((("len(sys.argv) > 2", False), ("len(sys.argv) > 1", True)), 54, 54, 0, None),
                        ((("len(sys.argv) > 2", False), ("len(sys.argv) > 1", False)), 0, 0, 0, None)]


def test_a_way_that_raises_before_the_model_is_left_out():
    src = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    x = layers.Dense(16)(inputs)
elif len(sys.argv) > 2:
    raise SystemExit("usage: m.py [wide]")
else:
    x = layers.Dense(4)(inputs)
model = keras.Model(inputs, x)
"""
    assert [w[1] for w in _ways(_model(src))] == [144, 36]


def test_an_optional_import_gives_its_two_ways():
    src = HEAD + """\
try:
    import einops
    HIDDEN = 32
except ImportError:
    HIDDEN = 8
model = keras.Sequential([keras.Input((4,)), layers.Dense(HIDDEN)])
"""
    assert _ways(_model(src)) == [((("import einops", True),), 160, 160, 0, None),
                                  ((("import einops", False),), 40, 40, 0, None)]


def test_a_condition_met_more_than_once_is_not_forced():
    # Each call of the block may go either way: one value for both calls would not be a way of the program.
    src = HEAD + """\
def block(x):
    if len(sys.argv) > 1:
        return layers.Dense(16)(x)
    return layers.Dense(4)(x)

inputs = keras.Input((8,))
model = keras.Model(inputs, block(block(inputs)))
"""
    m = _model(src)
    assert m.status == "unknown" and m.alternatives == ()


def test_a_model_the_condition_leaves_alone_keeps_its_numbers():
    src = BRANCHES + "fixed = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
    fixed = _model(src, "fixed")
    assert fixed.status == "exact" and fixed.total == 8 and fixed.alternatives == ()


def test_summary_json_and_lint_show_the_ways(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BRANCHES)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "kerascount", *args, "--no-cache", str(path)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    text = run("summary").stdout
    assert "On each way through the conditions the analysis cannot decide:" in text
    assert "when `len(sys.argv) > 1` (line 5) holds: 161 params (161 trainable, 0 non-trainable)" in text
    assert "when `len(sys.argv) > 1` (line 5) does not hold: 41 params" in text
    (model,) = json.loads(run("summary", "--format", "json").stdout)["files"][0]["models"]
    assert model["total_params"] is None
    assert model["alternatives"] == [
        {"conditions": [{"condition": "len(sys.argv) > 1", "line": 5, "holds": True}], "total_params": 161,
         "trainable_params": 161, "non_trainable_params": 0, "error": None},
        {"conditions": [{"condition": "len(sys.argv) > 1", "line": 5, "holds": False}], "total_params": 41,
         "trainable_params": 41, "non_trainable_params": 0, "error": None}]
    assert "the ways through the condition give 161 params or 41 params" in run("lint").stdout


def test_the_ways_survive_the_cache(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BRANCHES)
    old = time.time() - 3600
    os.utime(path, (old, old))
    cfg = Config()
    fresh = api.analyze_paths([str(path)], cfg, jobs=1, cache=Cache(str(tmp_path), cfg))[0][0].models[0]
    cached = api.analyze_paths([str(path)], cfg, jobs=1, cache=Cache(str(tmp_path), cfg))[0][0].models[0]
    assert fresh.alternatives and _ways(cached) == _ways(fresh)


SOFTMAX_AFTER = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    x = layers.Dense(16, activation="relu")(inputs)
else:
    x = layers.Dense(4, activation="relu")(inputs)
outputs = layers.Dense(1, activation="{last}")(x)
model = keras.Model(inputs, outputs)
"""


def test_a_finding_on_every_way_is_reported():
    """The layer after the branches is the same on both ways: softmax over one unit is wrong either way."""
    codes = [(d.code, d.span.line) for d in analyze_source(SOFTMAX_AFTER.format(last="softmax"), "m.py").diagnostics]
    assert ("KC303", 9) in codes
    assert not [c for c in analyze_source(SOFTMAX_AFTER.format(last="sigmoid"), "m.py").diagnostics
                if c.severity != "info"]


def test_a_finding_on_one_way_only_is_not_reported():
    src = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    outputs = layers.Dense(1, activation="softmax")(inputs)
else:
    outputs = layers.Dense(3, activation="softmax")(inputs)
model = keras.Model(inputs, outputs)
"""
    assert not [d for d in analyze_source(src, "m.py").diagnostics if d.code == "KC303"]


def test_hover_lists_the_ways():
    from kerascount.lsp.hover import _model_markdown

    text = "\n".join(_model_markdown(_model(BRANCHES)))
    assert "On each way through the conditions the analysis cannot decide" in text
    assert "when `len(sys.argv) > 1` (line 5) holds: 161 params" in text


def test_markdown_lists_the_ways(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BRANCHES)
    out = subprocess.run([sys.executable, "-m", "kerascount", "summary", "--format", "markdown", "--no-cache",
                          str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120).stdout
    assert "- when `len(sys.argv) > 1` (line 5) does not hold: 41 params (41 trainable, 0 non-trainable)" in out
