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
def test_the_numbers_asserted_here_are_keras_own():
    head = "import keras\nfrom keras import layers\n"
    models = {
        "last": head + "model = keras.Sequential([keras.Input((4,)), layers.Dense(100)])\n",
        "before_last": head + "model = keras.Sequential([keras.Input((4,)), layers.Dense(99)])\n",
        "checked": head + "x = inputs = keras.Input((4,))\nfor i in range(3):\n    x = layers.Dense(4)(x)\n"
                          "model = keras.Model(inputs, x)\n",
        "collected": head + "model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])\n",
    }
    assert keras_probe(COUNT_OR_RAISED, models) == {"last": 500, "before_last": 495, "checked": 60, "collected": 23}


def test_a_check_that_only_raises_is_not_run_both_ways():
    """`if not 0 <= rate <= 1: raise ValueError(...)` on a rate not known: the way that goes on changes nothing, so
    no fork is made (the model is exact, as it was when both ways ran, and the bound is not spent on such checks)."""
    src = ("import numpy as np\nimport keras\nfrom keras import layers\n\n\nclass Drop(layers.Layer):\n"
           "    def __init__(self, rate, **kwargs):\n        super().__init__(**kwargs)\n"
           "        if not 0 <= rate <= 1:\n            raise ValueError(f'bad rate {rate}')\n        self.rate = rate\n\n"
           "    def call(self, x):\n        return x\n\n\n"
           "rates = np.random.uniform(0, 0.5, size=3).tolist()\n"
           "x = inputs = keras.Input((4,))\nfor i in range(3):\n    x = Drop(rates[i])(layers.Dense(4)(x))\n"
           "model = keras.Model(inputs, x)\n")
    result = analyze_source(src, "m.py")
    assert [m.total for m in result.models if m.model.name == "model"] == [60]


def test_a_loop_over_items_not_known_that_only_collects_names_keeps_the_models():
    """Ways that only bind names and add to lists they name compare those names only: the models made before stay
    exact, and the list the loop adds to is not known after it."""
    src = ("import keras\nfrom keras import layers\n\n\ndef names_of(model):\n    found = []\n"
           "    for layer in model.layers:\n        for w in layer.trainable_weights:\n"
           "            found.append((w, f'{layer.name}_{w.name}'))\n    return found\n\n\n"
           "model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])\nfound = names_of(model)\n"
           "extra = keras.Sequential([keras.Input((len(found),)), layers.Dense(2)])\n")
    models = {m.model.name: m for m in analyze_source(src, "m.py").models}
    assert models["model"].status == "exact" and models["model"].total == 23
    assert models["extra"].total is None or models["extra"].status != "exact"
