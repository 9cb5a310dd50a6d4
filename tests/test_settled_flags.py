"""Trainable flags after loops the analysis does not run to their end (too long, or over items it does not
know): a model's flags stay known when every run of the body, from the value they all have before the loop,
ends with that value again (a GAN's batch loop unfreezing its critic for its own step and freezing it again).
The exact cases are those of ``fixtures/interpreter2/gan_flags_settle_in_long_loops.py`` (truth from Keras); the
others must stay unknown, whatever the loop does."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

HEAD = '''import numpy as np
from keras import Input, Model, Sequential
from keras.layers import Dense

maker = Sequential([Input((3,)), Dense(4)])
judge = Sequential([Input((4,)), Dense(1)])
judge.compile(loss="mse", optimizer="sgd")
judge.trainable = False
z = Input((3,))
stack = Model(z, judge(maker(z)))
stack.compile(loss="mse", optimizer="sgd")
'''
LONG = "for step in range(5000):\n"
UNSEEN = "for batch in np.load('batches.npy'):\n"


def _split(body: str):
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    by_name = {m.model.name: m for m in report.models}
    return by_name["judge"].trainable, by_name["stack"].trainable


TOGGLE = '''    x = np.random.rand(2, 3)
    judge.trainable = True
    judge.train_on_batch(maker.predict(x, verbose=0), np.zeros((2, 1)))
    judge.trainable = False
    stack.train_on_batch(x, np.ones((2, 1)))
'''


@pytest.mark.parametrize("loop", [LONG, UNSEEN])
def test_a_critic_frozen_again_at_the_end_of_each_run_keeps_the_split(loop):
    # (the stack holds maker's 16 weights, trainable, and judge's 5, frozen)
    assert _split(loop + TOGGLE) == (0, 16)


@pytest.mark.parametrize("body", [
    # a run may stop before the critic is frozen again
    TOGGLE.replace("    judge.trainable = False\n", "    if x.sum() > 2:\n        break\n    judge.trainable = False\n"),
    TOGGLE.replace("    judge.trainable = False\n", "    if x.sum() > 2:\n        continue\n    judge.trainable = False\n"),
    # the last flag set is not a constant
    TOGGLE.replace("judge.trainable = False", "judge.trainable = x.sum() > 5"),
    # the stack's own flag reaches the critic's layers
    TOGGLE + "    stack.trainable = True\n",
    # the run ends with the critic unfrozen, and the loop over unseen batches may run no time at all
    "    judge.trainable = True\n    judge.train_on_batch(np.zeros((2, 4)), np.zeros((2, 1)))\n",
    # frozen again only in some runs
    TOGGLE.replace("    judge.trainable = False\n", "    if x.sum() > 1:\n        judge.trainable = False\n"),
])
def test_flags_a_run_may_leave_otherwise_are_not_known(body):
    judge, stack = _split(UNSEEN + body)
    assert judge is None or not isinstance(judge, int)
    assert stack is None or not isinstance(stack, int)


def test_an_inner_loop_that_may_not_run_leaves_the_value_before_it():
    # each epoch's batches end frozen, and an epoch of no batch leaves the critic as it was: frozen
    body = "    for i in range(len(batch)):\n" + "".join("    " + line + "\n" for line in TOGGLE.splitlines())
    assert _split(UNSEEN + body) == (0, 16)
