"""Past the bound on undecided conditions (5,000 a file: extract/control.py ``_MAX_BRANCHINGS``), what further ones
assign is forgotten; a way that only raises (`if not ok: raise ValueError(...)`) still ends there, as it does when
the ways are run, so a loop that checks each model it builds goes on to the next one (a converter building fifteen
Swin variants and checking each lost its last five)."""

from __future__ import annotations

import pytest
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

from kerascount.api import analyze_source

SOURCE = """import sys
import keras
from keras import layers


def check(n):
    for k in range(60):
        if sys.argv[k]:
            n += 1
    return n


for i in range(100):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(i + 1)])
    check(i)
    if not sys.argv[2]:
        {jump}
"""


def test_a_way_that_only_raises_ends_there_past_the_bound():
    models = analyze_source(SOURCE.format(jump='raise ValueError("the check failed")'), "m.py").models
    assert len(models) == 100  # (the bound is met at about the 84th run: 60 conditions a run)
    assert all(m.status == "exact" for m in models)
    assert [m.total for m in models[-2:]] == [495, 500]


def test_a_way_that_leaves_the_loop_stops_it():
    """(Whether the loop runs again is not known from its first run on: its later models are not listed.)"""
    models = analyze_source(SOURCE.format(jump="break"), "m.py").models
    assert len(models) == 1 and models[0].status == "exact"


@pytest.mark.keras
def test_the_last_models_numbers_are_keras_own():
    last = "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((4,)), layers.Dense(100)])\n"
    assert keras_probe(COUNT_OR_RAISED, {"last": last}) == {"last": 500}
