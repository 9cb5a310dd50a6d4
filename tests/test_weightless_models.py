"""A subclassed model that ``fit``/``evaluate``/``predict`` builds on data the analysis does not know: where its
classes can make no weights whatever that data (fixtures/subclassed/weightless_built_on_data, with the truth of
real Keras: 0 params), its numbers are 0; anything that may make weights, or that the analysis cannot read, keeps
it unknown."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\nfrom elsewhere import window\n"
TAIL = "m = Net()\nm.compile(loss='mse')\nm.evaluate(window.val)\n"


def _model(classes: str):
    report = analyze_source(HEAD + classes + TAIL, "m.py")
    assert report.internal_error is None, report.internal_error
    (model,) = [m for m in report.models if m.model.name == "m"]
    return model


@pytest.mark.parametrize("classes", [
    "class Net(keras.Model):\n    def call(self, x):\n        return x\n",
    "class Net(keras.Model):\n    def __init__(self, k=2, names=('a', 'b')):\n        super().__init__()\n"
    "        self.k = k\n        self.names = names\n    def call(self, x):\n        return x[:, :self.k]\n",
    # through a base class of the file
    "class Base(keras.Model):\n    def call(self, x):\n        return x * 2.0\nclass Net(Base):\n    pass\n",
])
def test_a_model_without_weights_has_0_params(classes):
    model = _model(classes)
    assert model.status == "exact", model.reasons
    assert (model.total, model.trainable, model.non_trainable) == (0, 0, 0)


@pytest.mark.parametrize("classes", [
    # a layer it tracks: its weights depend on the data
    "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(3)\n"
    "    def call(self, x):\n        return self.d(x)\n",
    # its own build may add weights on the data's shape
    "class Net(keras.Model):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[-1],))\n"
    "    def call(self, x):\n        return x * self.w\n",
    # weights made in __init__
    "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
    "        self.w = self.add_weight(shape=(3,))\n    def call(self, x):\n        return x * self.w\n",
    # an attribute written by call: it may be a layer made there
    "class Net(keras.Model):\n    def call(self, x):\n        self.last = x\n        return x\n",
    "class Net(keras.Model):\n    def call(self, x):\n        setattr(self, 'd', layers.Dense(2))\n        return x\n",
    # a container attribute, a class attribute holding a layer, a base class's build
    "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.sizes = [1, 2]\n"
    "    def call(self, x):\n        return x\n",
    "class Net(keras.Model):\n    head = layers.Dense(2)\n    def call(self, x):\n        return x\n",
    "class Base(keras.Model):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(4,))\n"
    "class Net(Base):\n    def call(self, x):\n        return x\n",
    # no call of its own: Keras's Model.call raises when fit builds it
    "class Net(keras.Model):\n    def train_step(self, data):\n        return {}\n",
])
def test_anything_that_may_make_weights_keeps_it_unknown(classes):
    model = _model(classes)
    assert model.status == "unknown" and model.total is None


#: A training wrapper of a functional model built already (Keras 3.15, jax backend: after `fit` on a generator of
#: data, the wrapper is built and counts the 36 params of the model it holds, the metric's variables not among them).
WRAPPER = (
    "from keras import metrics, ops\n"
    "a = keras.Input((8,))\np = keras.Input((8,))\n"
    "emb = keras.Sequential([keras.Input((8,)), layers.Dense(4)])\n"
    "net = keras.Model([a, p], ops.sum(ops.square(emb(a) - emb(p)), -1))\n"
    "class Net(keras.Model):\n"
    "    def __init__(self, net, margin=0.5):\n        super().__init__()\n        self.net = net\n"
    "        self.margin = margin\n        self.tracker = metrics.Mean(name='loss')\n"
    "    def compile(self, optimizer):\n        super().compile()\n        self.opt = optimizer\n"
    "    def call(self, inputs):\n        return self.net(inputs)\n"
    "    def train_step(self, data):\n        self.tracker.update_state(self.net(data))\n"
    "        return {'loss': self.tracker.result()}\n"
    "    @property\n    def metrics(self):\n        return [self.tracker]\n"
    "m = Net(net)\nm.compile(keras.optimizers.Adam())\nm.fit(window.train)\n")


def test_a_wrapper_of_a_built_model_has_its_weights():
    report = analyze_source(HEAD + WRAPPER, "m.py")
    assert report.internal_error is None, report.internal_error
    (model,) = [m for m in report.models if m.model.name == "m"]
    assert model.status == "exact", model.reasons
    assert (model.total, model.trainable, model.non_trainable) == (36, 36, 0)


@pytest.mark.parametrize("change", [
    # it holds a Sequential without an input, which nothing built: Keras builds it on the data
    ("        self.net = net\n", "        self.net = keras.Sequential([layers.Dense(4)])\n"),
    # train_step writes an attribute (it may be a layer made there)
    ("        self.tracker.update_state(self.net(data))\n", "        self.last = self.net(data)\n"),
])
def test_a_wrapper_that_may_gain_weights_stays_unknown(change):
    report = analyze_source(HEAD + WRAPPER.replace(*change), "m.py")
    (model,) = [m for m in report.models if m.model.name == "m"]
    assert model.status == "unknown" and model.total is None
