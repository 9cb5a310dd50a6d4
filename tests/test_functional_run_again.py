"""A functional model built for open sizes (None) and called on tensors of fixed sizes: Keras's Functional.call runs
its layers again on those sizes with the weights it has (fixtures/styles/functional_run_on_other_sizes has the
exact cases, with their truth from real Keras). What that run is not followed through must stay without numbers.

Truth (tools/keras_truth.py's Keras 3.15, numpy backend) for each program is in its comment.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\n"

#: Built for token sequences of any length, called on 10 tokens, too short for its windows.
TOO_SHORT = ("t = keras.Input((None,), dtype='int32')\nx = layers.Embedding(50, 4)(t)\nx = layers.Conv1D(4, 5)(x)\n"
             "x = layers.MaxPooling1D(5)(x)\nx = layers.Conv1D(4, 5)(x)\ninner = keras.Model(t, x)\n"
             "s = keras.Input((10,), dtype='int32')\nouter = keras.Model(s, layers.Flatten()(inner(s)))\n")


def _models(body: str):
    report = analyze_source(HEAD + body, "m.py")
    assert report.internal_error is None, report.internal_error
    return {m.model.name: m for m in report.models}


def test_a_run_on_sizes_keras_rejects_states_no_number():
    # Keras: ValueError at `inner(s)` ("Computed output size would be zero or negative"): the second Conv1D gets 1 step
    models = _models(TOO_SHORT)
    assert models["inner"].status == "exact"
    assert models["outer"].status != "exact" and models["outer"].total is None


#: Models whose run again is not followed, with why (Keras's counts in comments).
NOT_RUN_AGAIN = {
    # Keras: outer has 63 params, output (None, 1); running the Sequential inside again is not followed
    "nested model": ("core = keras.Sequential([layers.Dense(4)])\nb = keras.Input((None, 3))\n"
                     "inner = keras.Model(b, layers.Conv1D(2, 3)(core(b)))\ns = keras.Input((12, 3))\n"
                     "outer = keras.Model(s, layers.Dense(1)(layers.Flatten()(inner(s))))\n"),
    # Keras runs the Lambda's function again on (None, 10, 4): outer has 25 + 32 = 57 params. The analysis traced the
    # function on the sizes the model was built for only: no number rather than that shape.
    "lambda": ("a = keras.Input((None, 4))\ny = layers.Lambda(lambda t: t[:, :3] * 2.0)(a)\n"
               "inner = keras.Model(a, layers.Dense(5)(y))\ns = keras.Input((10, 4))\n"
               "outer = keras.Model(s, layers.Dense(2)(layers.Flatten()(inner(s))))\n"),
}


@pytest.mark.parametrize("case", sorted(NOT_RUN_AGAIN))
def test_what_is_inside_a_run_again_is_not_followed(case):
    outer = _models(NOT_RUN_AGAIN[case])["outer"]
    assert outer.status == "unknown" and outer.total is None
    if case == "nested model":
        assert any("runs its layers again" in r for r in map(str, outer.reasons))


#: A head run on a fixed batch (only the batch differs) and a trunk built for open sizes run on (9, 9).
SIZES = ("f = keras.Input((8,))\nhead = keras.Model(f, layers.Dense(3)(layers.Dense(6)(f)))\n"
         "b = keras.Input(batch_shape=(4, 8))\nscored = keras.Model(b, layers.Dense(1)(head(b)))\n"
         "img = keras.Input((None, None, 3))\ntrunk = keras.Model(img, layers.Conv2D(2, 3)(img))\n"
         "p = keras.Input((9, 9, 3))\nflat = keras.Model(p, layers.Dense(1)(layers.Flatten()(trunk(p))))\n")

PROBE = r"""
import json, sys
import keras
body, names = json.loads(sys.argv[1])
g = {}
exec(body, g)
print(json.dumps({n: [g[n].count_params(), list(g[n].output_shape)] for n in names}))
"""


def test_costs_per_sample_stay_only_where_the_sizes_are_the_same():
    # Keras (test below): scored 79 params (Dense(6) 54, Dense(3) 21, Dense(1) 4), output (4, 1): only the batch
    # differs; flat 56 + 99 = 155, trunk's output on (9, 9) is (7, 7, 2)
    models = _models(SIZES)
    scored, flat = models["scored"], models["flat"]
    assert scored.status == "exact" and scored.total == 79 and scored.outputs == ((4, 1),)
    assert scored.macs is not None
    assert flat.status == "exact" and flat.total == 155
    assert flat.macs is None  # (trunk's own costs are for open sizes: not those of this run)


@pytest.mark.keras
def test_keras_gives_those_counts():
    from test_catalogue_keras import keras_probe

    found = keras_probe(PROBE, [HEAD + SIZES, ["scored", "flat"]])
    models = _models(SIZES)
    for name, (count, shape) in found.items():
        assert models[name].total == count and models[name].outputs == (tuple(shape),)


def test_a_symbolic_call_outside_a_call_run_keeps_its_rank():
    # Keras: ValueError at `inner(s)` ("Kernel shape must have the same length as input"): only Functional.call, which a
    # call run goes through (fixtures/subclassed/wrapper_adds_channel_axis), adds the missing axis of size 1
    body = ("a = keras.Input((5, 1))\ninner = keras.Model(a, layers.Conv1D(4, 3)(a))\ns = keras.Input((5,))\n"
            "outer = keras.Model(s, layers.Flatten()(inner(s)))\n")
    outer = _models(body)["outer"]
    assert outer.status != "exact" and outer.total is None
