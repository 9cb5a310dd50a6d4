"""Loops over tqdm progress bars: ``tqdm(items, ...)`` iterates over ``items`` and ``trange(*a)`` over
``range(*a)`` (tqdm's documentation), so a GAN's training loop wrapped in one is followed as the loop without it.

tqdm is not installed with the test tools: the truth is that of the fixture without the bars
(``fixtures/interpreter2/gan_flags_in_batch_loops.py``, built by real Keras); each variant here wraps its loops
in bars and must give the very numbers kerascount gives that fixture, which tests/test_fixtures.py checks
against Keras.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascount.api import analyze_source

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "interpreter2" / "gan_flags_in_batch_loops.py"
EPOCHS = "    for epoch in range(epochs):\n"
BATCHES = "        for step in range(batches):\n"


def _numbers(text: str):
    report = analyze_source(text, "t.py")
    assert report.internal_error is None
    return [(m.model.name, m.status, m.total, m.trainable, m.non_trainable) for m in report.models]


def _wrapped(imports: str, epochs: str, batches: str) -> str:
    text = FIXTURE.read_text()
    assert EPOCHS in text and BATCHES in text
    text = text.replace(EPOCHS, f"    for epoch in {epochs}:\n").replace(BATCHES, f"        for step in {batches}:\n")
    return text.replace("import numpy as np\n", f"import numpy as np\n{imports}\n", 1)


def test_the_fixture_is_exact_with_the_critic_frozen():
    numbers = _numbers(FIXTURE.read_text())
    assert numbers == [("gen", "exact", 102, 102, 0), ("critic", "exact", 33, 0, 33),
                       ("joint", "exact", 135, 102, 33)]


@pytest.mark.parametrize("imports,epochs,batches", [
    ("from tqdm import tqdm", "range(epochs)", "tqdm(range(batches))"),
    ("from tqdm import tqdm", "tqdm(range(epochs), desc='epochs')", "tqdm(range(batches), leave=False, total=batches)"),
    ("from tqdm import trange", "trange(epochs)", "trange(0, batches, 1, desc='batch')"),
    ("import tqdm", "tqdm.trange(epochs)", "tqdm.tqdm(range(batches))"),
    ("from tqdm.auto import tqdm", "range(epochs)", "tqdm(list(range(batches)))"),
    ("from tqdm.notebook import tqdm as bar", "bar(range(epochs))", "bar(range(batches))"),
    ("from tqdm import tqdm_notebook, tnrange", "tnrange(epochs)", "tqdm_notebook(range(batches))"),
])
def test_loops_over_progress_bars_are_followed(imports, epochs, batches):
    assert _numbers(_wrapped(imports, epochs, batches)) == _numbers(FIXTURE.read_text())


GROWN = """import keras
{imports}
model = keras.Sequential([keras.Input((2,))])
for units in tqdm([3, 4], desc="layers"):
    model.add(keras.layers.Dense(units))
"""


def test_a_bar_not_from_tqdm_is_not_followed():
    # (Keras: Dense(3) on 2 features and Dense(4) on 3, 9 + 16 = 25 parameters)
    assert _numbers(GROWN.format(imports="from tqdm import tqdm")) == [("model", "exact", 25, 25, 0)]
    ((name, status, *_),) = _numbers(GROWN.format(imports="from progress import tqdm"))
    assert status == "unknown"


def test_a_bar_outside_a_loop_is_left_alone():
    text = _wrapped("from tqdm import tqdm", "range(epochs)", "range(batches)")
    text += "bar = tqdm(total=3)\nbar.update(1)\nbar.close()\n"
    assert _numbers(text) == _numbers(FIXTURE.read_text())
