"""`kerascount summary` against the text real Keras 3's `model.summary()` prints.

The golden files in tests/data/summary_golden/ are written by tools/gen_summary_golden.py, which
runs each fixture with real Keras (numpy backend) and captures every module-level model's
`summary()`. Each Keras model is looked up in kerascount's summary by its Keras name
(`Model: "functional"`), and the lines from there to " Non-trainable params" must equal Keras's,
after normalising widths: runs of spaces and runs of box-drawing rule characters count as one.
"""

import os
import re

import pytest

from kerascount import cache
from kerascount.api import analyze_source
from kerascount.report import text
from tools.gen_summary_golden import EXPANDED, FIXTURES, REPO_ROOT, golden_path


def normalise(line: str) -> str:
    line = re.sub(r"━+", "━", line)
    line = re.sub(r"─+", "─", line)
    return re.sub(r"\s+", " ", line).strip()


def blocks(summary: str) -> dict:
    """Each model's lines, from ``Model: "name"`` to the Non-trainable params line, by Keras name."""
    out = {}
    current = None
    for line in summary.splitlines():
        if line.startswith('Model: "'):
            current = line[len('Model: "'):-1]
            out[current] = []
        if current is not None:
            out[current].append(line)
            if line.startswith(" Non-trainable params:"):
                current = None
    return out


CASES = [(f, False) for f in FIXTURES] + [(f, True) for f in EXPANDED]


@pytest.mark.parametrize("fixture,expanded", CASES, ids=[f + (" expanded" if e else "") for f, e in CASES])
def test_summary_matches_keras(fixture, expanded):
    """``expanded``: ``summary --expand-nested`` against ``summary(expand_nested=True)``."""
    with open(golden_path(fixture, expanded), encoding="utf-8") as f:
        keras_text = blocks(f.read())
    assert keras_text, f"no model in {golden_path(fixture, expanded)}"
    with open(os.path.join(REPO_ROOT, fixture), encoding="utf-8") as f:
        report = analyze_source(f.read(), fixture)
    shown = text.summary([report], expand_nested=expanded)
    # A report read back from the cache shows the same table (Keras name, connections, unbuilt rows).
    assert text.summary([cache.load(cache.dump(report))], expand_nested=expanded) == shown
    ours = blocks(shown)
    for name, expected in keras_text.items():
        assert name in ours, f"{fixture}: kerascount shows no model named {name!r} (it shows {sorted(ours)})"
        assert [normalise(l) for l in ours[name]] == [normalise(l) for l in expected]
        # A nested row's depth is its spaces before "└" (which normalising would forgive).
        assert [re.findall(r"│ +└", l) for l in ours[name]] == [re.findall(r"│ +└", l) for l in expected]


def test_normalise_keeps_content_apart():
    """Widths are forgiven, cell contents are not."""
    assert normalise("│ dense (Dense)   │ (None, 4) │") == normalise("│ dense (Dense) │ (None, 4)      │")
    assert normalise("│ dense (Dense) │ (None, 4) │") != normalise("│ dense (Dense) │ (None, 5) │")
    assert normalise("├────┼──┤") == normalise("├─┼─┤")


def test_a_model_without_rows_says_why():
    # an unknown model lists no layers because it is not known, not because it has none; a model with no layers at
    # all (an empty Sequential built on an input) says there are none
    unknown = analyze_source("import keras\nfrom helpers import size\n"
                             "inp = keras.Input((4,))\nx = inp\n"
                             "if size() > 2:\n    x = keras.layers.Dense(3)(x)\n"
                             "m = keras.Model(inp, x)\n", "m.py")
    shown = text.summary([unknown])
    assert "(its layers are not listed: the model is not known, for the reasons below)" in shown, shown
    assert "(no layers found)" not in shown
    empty = analyze_source("import keras\nm = keras.Sequential([keras.Input((4,))])\n", "m.py")
    assert "(no layers found)" in text.summary([empty])
