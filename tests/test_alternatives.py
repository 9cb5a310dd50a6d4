"""Both ways of a condition the analysis cannot decide (issue 12, item 4; kerascount/alternatives.py).

Every count a way gives here is checked against real Keras by ``test_every_way_is_what_keras_builds_on_it``, which
writes each way as a program of its own (the condition replaced by its value) and runs it with tools/keras_truth.py;
the twins of fixtures/undecided/ check the ways against Keras too (tests/test_interpreter_effects.py). The other
tests: which conditions are taken both ways, the output formats, the cache, and the findings both ways share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
fixed = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
"""

CHAIN = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 2:
    x = layers.Conv1D(4, 3)(inputs)
elif len(sys.argv) > 1:
    x = layers.Dense(6)(inputs)
else:
    x = inputs
model = keras.Model(inputs, x)
"""

RAISING = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    x = layers.Dense(16)(inputs)
elif len(sys.argv) > 2:
    raise SystemExit("usage: m.py [wide]")
else:
    x = layers.Dense(4)(inputs)
model = keras.Model(inputs, x)
"""

OPTIONAL = HEAD + """\
try:
    import einops
    HIDDEN = 32
except ImportError:
    HIDDEN = 8
model = keras.Sequential([keras.Input((4,)), layers.Dense(HIDDEN)])
"""

# Ways that build different layers, or shapes, with the same counts: the counts hold whichever way the program goes.
# A Lambda whose `output_shape` function states a size or None by the truth of a size not known (YOLOv2's
# space_to_depth wrapper); layers without weights chosen by a flag.
AGREEING = HEAD + """\
import os
STEPS = int(os.environ.get("STEPS", "16"))


def stated(input_shape):
    if input_shape[1]:
        return (input_shape[0], input_shape[1] // 2, 2 * input_shape[2])
    return (input_shape[0], None, 2 * input_shape[2])


inputs = keras.Input((STEPS, 4))
x = layers.Conv1D(8, 3, padding="same")(inputs)
x = layers.Lambda(lambda t: keras.ops.concatenate([t[:, ::2], t[:, 1::2]], axis=-1), output_shape=stated)(x)
model = keras.Model(inputs, layers.Dense(3)(layers.GlobalAveragePooling1D()(x)))
"""

AGREEING_LAYERS = HEAD + """\
inputs = keras.Input((8,))
if len(sys.argv) > 1:
    x = layers.Dropout(0.5)(inputs)
else:
    x = layers.Activation("relu")(inputs)
model = keras.Model(inputs, layers.Dense(2)(x))
"""


def _model(src, name="model"):
    (found,) = [m for m in analyze_source(src, "m.py").models if m.model.name == name]
    return found


def _conditions(model):
    return [tuple((text, holds) for text, _, holds in a.way) for a in model.alternatives]


def test_each_way_of_an_undecided_if_is_given():
    m = _model(BRANCHES)
    assert m.status == "unknown" and m.total is None
    assert _conditions(m) == [(("len(sys.argv) > 1", True),), (("len(sys.argv) > 1", False),)]
    assert [a.way[0][1] for a in m.alternatives] == [5, 5]
    assert all(isinstance(a.total, int) and a.error is None for a in m.alternatives)


def test_a_chain_of_elif_gives_a_way_each_and_a_way_keras_raises_on_gives_its_error():
    m = _model(CHAIN)
    assert _conditions(m) == [(("len(sys.argv) > 2", True),),
                              (("len(sys.argv) > 2", False), ("len(sys.argv) > 1", True)),
                              (("len(sys.argv) > 2", False), ("len(sys.argv) > 1", False))]
    assert m.alternatives[0].total is None and "Conv1D" in m.alternatives[0].error
    assert [a.error for a in m.alternatives[1:]] == [None, None]


def test_a_way_that_raises_before_the_model_is_left_out():
    # (`elif len(sys.argv) > 2` is undecided where `> 1` does not hold: its raising way makes no model)
    assert _conditions(_model(RAISING)) == [(("len(sys.argv) > 1", True),), (("len(sys.argv) > 1", False),)]


def test_an_optional_import_gives_its_two_ways():
    assert _conditions(_model(OPTIONAL)) == [(("import einops", True),), (("import einops", False),)]


def _way_program(src, way):
    """``src`` as the program that goes ``way``: each condition's line with the test replaced by its value, an
    optional import by ``pass`` (it succeeds) or ``raise ImportError`` (it fails)."""
    lines = src.splitlines()
    for text, line, holds in way:
        if text.startswith(("import ", "from ")):  # (its line is the `try:`'s: the import is in its body)
            line = next(i for i in range(line, len(lines) + 1) if text in lines[i - 1])
            lines[line - 1] = lines[line - 1].replace(text, "pass" if holds else "raise ImportError")
            continue
        row = lines[line - 1]
        assert text in row, (text, row)
        lines[line - 1] = row.replace(text, "True" if holds else "False")
    return "\n".join(lines) + "\n"


@pytest.mark.keras
def test_every_way_is_what_keras_builds_on_it(tmp_path):
    from tests.test_differential import _keras_importable

    ok, why = _keras_importable()
    if not ok:
        pytest.skip(f"`import keras` fails in {sys.executable}: {' '.join(why)}")
    from tools import campaign

    cases = []  # (the way, its program's path, the model's line, kerascount's way)
    for n, src in enumerate((BRANCHES, CHAIN, RAISING, OPTIONAL, AGREEING, AGREEING_LAYERS)):
        m = _model(src)
        assert m.alternatives, n
        for k, alt in enumerate(m.alternatives):
            path = tmp_path / f"p{n}_{k}.py"
            path.write_text(_way_program(src, alt.way))
            cases.append((alt.way, str(path), m.model.span.line, alt))
    truths = campaign.keras_truth([c[1] for c in cases])  # (in the order of the paths)
    for (way, path, line, alt), truth in zip(cases, truths):
        if alt.error is not None:
            assert truth["error"] is not None, (way, truth)
            continue
        assert truth["error"] is None, (way, truth["error"])
        (built,) = [t for t in truth["models"] if t["line"] == line]
        assert (built["total_params"], built["trainable_params"], built["non_trainable_params"]) == \
            (alt.total, alt.trainable, alt.non_trainable), way
        if "fixed" in Path(path).read_text():
            (fixed,) = [t for t in truth["models"] if t["line"] == line + 1]
            assert _model(BRANCHES, "fixed").total == fixed["total_params"]


def test_ways_that_agree_on_the_counts_give_them():
    # every way builds the model with the same counts (test_every_way_is_what_keras_builds_on_it: Keras agrees on
    # each): they are the model's, exact; its rows, which differ by way, stay unknown
    for src, total in ((AGREEING, 155), (AGREEING_LAYERS, 18)):
        m = _model(src)
        assert len(m.alternatives) == 2 and all(a.total == total for a in m.alternatives)
        assert (m.status, m.total, m.trainable, m.non_trainable) == ("exact", total, total, 0)
    # ways whose counts differ leave the model unknown (the first test); so does a way Keras raises on (a Conv1D
    # on vectors), whatever the others agree on
    m = _model(AGREEING_LAYERS.replace("if len(sys.argv) > 1:", "if len(sys.argv) > 2:\n    x = layers.Conv1D(4, 3)("
                                       "inputs)\nelif len(sys.argv) > 1:"))
    assert [a.total for a in m.alternatives if a.error is None] == [18, 18] and len(m.alternatives) == 3
    assert (m.status, m.total) == ("unknown", None)


# Two builders nothing calls share a helper whose condition the analysis cannot decide (YOLOv2's heads, each on its own
# backbone): the script's run never meets it, each builder's run meets it once, so each builder's model has its ways.
BUILDERS = HEAD + """\
def stated(input_shape):
    if input_shape[1]:
        return (input_shape[0], input_shape[1] // 2, 2 * input_shape[2])
    return (input_shape[0], None, 2 * input_shape[2])


def head(x, classes):
    x = layers.Lambda(lambda t: keras.ops.concatenate([t[:, ::2], t[:, 1::2]], axis=-1), output_shape=stated)(x)
    return layers.Dense(classes)(layers.GlobalAveragePooling1D()(x))


def small(steps, classes):
    inputs = keras.Input((steps, 4))
    return keras.Model(inputs, head(layers.Conv1D(8, 3, padding="same")(inputs), classes))


def large(steps, classes):
    inputs = keras.Input((steps, 4))
    return keras.Model(inputs, head(layers.Conv1D(16, 5, padding="same")(inputs), classes))
"""


def test_a_condition_met_once_in_each_builder_is_forced_for_each():
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    models = {m.model.run_of: m for m in analyze_source(BUILDERS, "m.py").models}
    assert set(models) == {"small", "large"}
    for name, m in models.items():
        assert [holds for a in m.alternatives for _, _, holds in a.way] == [True, False], name
        assert m.status == "symbolic" and len({str(a.total) for a in m.alternatives}) == 1, (name, m)
        # Keras, each builder on 20 steps and 3 classes, each way of the helper's test
        ways = {f"{holds}": BUILDERS.replace("    if input_shape[1]:", f"    if {holds}:") +
                f"model = {name}(20, 3)\n" for holds in (True, False)}
        truth = keras_probe(COUNT_OR_RAISED, ways)
        value = str(m.total).replace("classes", "3")
        assert truth["True"] == truth["False"] == eval(value), (name, truth, value)  # noqa: S307


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
    fixed = _model(BRANCHES, "fixed")
    assert fixed.status == "exact" and fixed.alternatives == ()  # (its count: the Keras test above)


def test_summary_json_and_lint_show_the_ways(tmp_path):
    """(161 and 41: the ways of BRANCHES, which the Keras test above checks)"""
    path = tmp_path / "m.py"
    path.write_text(BRANCHES)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "kerascount", *args, "--no-cache", str(path)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    text = run("summary").stdout
    assert "On each way through the conditions the analysis cannot decide:" in text
    assert "when `len(sys.argv) > 1` (line 5) holds: 161 params (161 trainable, 0 non-trainable)" in text
    assert "when `len(sys.argv) > 1` (line 5) does not hold: 41 params" in text
    (model, _) = json.loads(run("summary", "--format", "json").stdout)["files"][0]["models"]
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
    assert fresh.alternatives and cached.alternatives == fresh.alternatives


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


# A builder's switch: one name compared with different constants in an if/elif chain (a builder nothing calls, whose
# `kind` is a parameter): one way per constant, named by its test alone, and one way for none of them.
SWITCH = HEAD + """\
def build(kind):
    inputs = keras.Input((8, 4))
    if kind == "dense":
        x = layers.Dense(6)(layers.Flatten()(inputs))
    elif kind == "conv":
        x = layers.GlobalAveragePooling1D()(layers.Conv1D(5, 3)(inputs))
    elif kind == "lstm":
        x = layers.LSTM(3)(inputs)
    elif kind == "gru":
        x = layers.GRU(3)(inputs)
    else:
        x = layers.GlobalMaxPooling1D()(inputs)
    return keras.Model(inputs, layers.Dense(2)(x))
"""


def test_a_switch_is_one_decision_with_a_way_per_constant():
    # (four tests in a chain: one decision, not four, so more ways than MAX_DEPTH conditions allow)
    (m,) = analyze_source(SWITCH, "m.py").models
    assert _conditions(m) == [(('kind == "dense"', True),), (('kind == "conv"', True),), (('kind == "lstm"', True),),
                              (('kind == "gru"', True),), (("kind not in ('dense', 'conv', 'lstm', 'gru')", True),)]
    assert all(a.error is None and isinstance(a.total, int) for a in m.alternatives)


@pytest.mark.keras
def test_a_switch_s_ways_agree_with_keras():
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    (m,) = analyze_source(SWITCH, "m.py").models
    values = ["dense", "conv", "lstm", "gru", "other"]
    truth = keras_probe(COUNT_OR_RAISED, {v: SWITCH + f"model = build({v!r})\n" for v in values})
    assert [truth[v] for v in values] == [a.total for a in m.alternatives]


def test_a_chain_that_is_not_a_switch_keeps_its_conditions():
    # the same constant twice, or another name in one test: tests that can hold together, each a condition of its
    # own (an elif holds only where the tests before it do not)
    short = SWITCH.replace('''    elif kind == "lstm":
        x = layers.LSTM(3)(inputs)
    elif kind == "gru":
        x = layers.GRU(3)(inputs)
''', "")
    for changed in (short.replace('kind == "conv"', 'kind == "dense"'), short.replace('kind == "conv"', "len(sys.argv) > 3")):
        (m,) = analyze_source(changed, "m.py").models
        assert [len(a.way) for a in m.alternatives] == [1, 2, 2]
        assert [a.way[-1][2] for a in m.alternatives] == [True, True, False]
    (m,) = analyze_source(short, "m.py").models
    assert [len(a.way) for a in m.alternatives] == [1, 1, 1]
