"""A loop the analysis cannot run to its end that sets trainable flags: when every flag it sets is on a model it
names (``D.trainable = False``) and its calls cannot set others (Keras's training methods of those models, NumPy,
built-ins, plotting and file libraries, helpers of the file that set none), only those models' splits may become
unknown; anything else may set any flag. Those models' splits stay known when each run of the loop ends with the
flags the runs already made left (fixtures/interpreter2/hold31_gan_loop_flags.py, against Keras: the
discriminator switched on and off in each run; tests/test_settled_flags.py)."""

from __future__ import annotations

import json
import pathlib

import pytest

from kerascount.api import analyze_source

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "interpreter2" / "hold31_gan_loop_flags.py"

_HEAD = (
    "import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\nfrom keras import layers\n"
    "from elsewhere import freeze_all, freeze_layers, report\n"
    "G = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.BatchNormalization()])\n"
    "D = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n"
    "z = keras.Input((3,))\nGAN = keras.Model(z, D(G(z)))\n"
    "class Box:\n    def __init__(self, m):\n        self.m = m\n    def step(self):\n        self.m.trainable = False\n"
    "box = Box(G)\n"
    "class Switch:\n    def go(self):\n        G.trainable = False\n"
    "switch = Switch()\n"
    "class Keep(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        G.trainable = False\n"
    "keep = Keep()\n"
    "def freeze(m):\n    m.trainable = False\n"
    "def freeze_g():\n    G.trainable = False\n"
    "class Toggle:\n    def __init__(self):\n        self.n = 0\n"
    "    def flip(self):\n        self.n += 1\n        G.trainable = self.n % 2 == 0\n        return False\n"
    "toggle = Toggle()\n"
    "def show(images, path):\n    plt.imshow(images.reshape(2, 2))\n    plt.savefig(path)\n"
)
# G: 3*4 + 4 = 16 trainable, BatchNormalization 4 gamma/beta trainable + 4 + 4 moving statistics
_G_SPLIT = (32, 24)


def _models(body: str):
    src = _HEAD + "for step in range(3000):\n    x = np.random.normal(size=(2, 3))\n" + body
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    return {m.model.name: m for m in report.models}


def test_the_fixture_against_keras():
    truth = {m["name"]: m for m in json.loads(FIXTURE.with_suffix(".keras.json").read_text())["models"]}
    got = {m.model.name: m for m in analyze_source(FIXTURE.read_text(), str(FIXTURE)).models}
    for name in ("G", "D", "GAN"):
        assert got[name].status == "exact"
        assert (got[name].total, got[name].trainable) == (truth[name]["total_params"], truth[name]["trainable_params"])


@pytest.mark.parametrize("body", [
    "    D.trainable = True\n    D.train_on_batch(x, x)\n    D.trainable = False\n    GAN.train_on_batch(x, x)\n",
    "    D.trainable = False\n    print(step, len(x), float(np.mean(x)))\n",
    "    D.trainable = False\n    show(G.predict_on_batch(x), 'g.png')\n",           # a helper that sets no flag
    "    D.trainable = False\n    plt.plot(x)\n    report(step)\n",                   # libraries not analysed
])
def test_only_the_named_model_flags_are_forgotten(body):
    models = _models(body)
    g = models["G"]
    assert g.status == "exact" and (g.total, g.trainable) == _G_SPLIT
    # (each run ends with D frozen, and the runs made before the loop was given up froze it: it stays frozen)
    assert (models["D"].total, models["D"].trainable) == (5, 0)
    d_set = _models(body.replace("D.trainable = False", "D.trainable = step % 2 == 0"))["D"]
    assert not isinstance(d_set.trainable, int) and d_set.total == 5


@pytest.mark.parametrize("body", [
    "    D.trainable = False\n    freeze_g()\n",                         # a helper of the file that sets flags
    "    D.trainable = False\n    switch.go()\n",                        # a method of the file's class
    "    D.trainable = False\n    report(lambda: freeze_g())\n",         # a lambda given to code not seen
    "    D.trainable = False\n    freeze_all()\n",                       # not analysed, its name says it freezes
    "    D.trainable = False\n    freeze(G)\n",
    "    D.trainable = False\n    box.step()\n",
    "    D.trainable = False\n    freeze_layers(G)\n",
    "    D.trainable = False\n    for layer in G.layers:\n        layer.trainable = False\n",
    "    D = G\n    D.trainable = False\n",                                # the name is bound again in the loop
    "    D.trainable = False\n    GAN.fit(x, x, 2, 1, 0, [keep])\n",      # callbacks by position (the file's)
    "    D.trainable = False\n    GAN.fit(x, x, callbacks=[keep])\n",
    "    D.trainable = False\n    setattr(G, 'trainable', False)\n",
])
def test_flags_the_loop_may_set_elsewhere_leave_every_split_unknown(body):
    g = _models(body)["G"]
    assert g.status != "exact" and not isinstance(g.trainable, int)


def test_a_loop_else_block_is_counted_in():
    models = _models("    D.trainable = False\n    D.train_on_batch(x, x)\nelse:\n    G.trainable = False\n")
    assert not isinstance(models["G"].trainable, int) and models["G"].total == _G_SPLIT[0]


def test_a_while_loop_whose_test_calls_code():
    # (each test flips the generator's flag: how it ends depends on how many times the loop runs)
    src = _HEAD + "step = 0\nwhile step < 3001 and not toggle.flip():\n    step += 1\n    D.trainable = False\n"
    (g,) = [m for m in analyze_source(src, "m.py").models if m.model.name == "G"]
    assert not isinstance(g.trainable, int)
