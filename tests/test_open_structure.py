"""What a custom layer returns when the analysis cannot follow its ``call`` to the end (a value of an operation it
does not read, ``ops.array([...])`` in a traced call, makes the structure unknown): a tuple of tensors, or one
tensor. Python code that asks (``isinstance(output, tuple)``, as KerasHub's T5 backbone does after each transformer layer) depends on it, so
the question is undecided: never answered "one tensor", which dropped the layer from the model and gave an exact
count Keras disagrees with."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

PROGRAM = 'import keras\nfrom keras import layers, ops\n\n\nclass Scorer(layers.Layer):\n    def __init__(self, first, **kwargs):\n        super().__init__(**kwargs)\n        self.first = first\n        self.proj = layers.Dense(4)\n\n    def call(self, x, bias=None):\n        if bias is None and self.first:\n            bias = ops.ones((1, 4)) * ops.array([1.0, 2.0, 3.0, 4.0])\n        return self.proj(x), bias\n\n\nclass Block(layers.Layer):\n    def __init__(self, first, **kwargs):\n        super().__init__(**kwargs)\n        self.scorer = Scorer(first)\n        self.out = layers.Dense(4)\n\n    def call(self, x, bias=None):\n        y, bias = self.scorer(x, bias=bias)\n        y = self.out(y)\n        if bias is not None:\n            return y, bias\n        return y\n\n\ninputs = keras.Input((4,))\nx = inputs\nbias = None\nfor i in range(3):\n    output = Block(i == 0)(x, bias=bias)\n    if isinstance(output, tuple):\n        x, bias = output\nmodel = keras.Model(inputs, x)\n'


def test_a_layer_whose_return_is_not_followed_may_return_a_tuple():
    truth = keras_probe(COUNT_OR_RAISED, {"open": PROGRAM})["open"]
    assert isinstance(truth, int)
    (model,) = [m for m in analyze_source(PROGRAM, "m.py").models if m.model.kind == "functional"]
    assert model.status != "exact" or model.total == truth
    assert model.status == "unknown" and "isinstance(output, tuple)" in model.reasons[0]


# keras.ops functions of Python numbers in a traced call (T5's relative position buckets, attention scaling): the
# backend gives a 0-d tensor at once, which broadcasts against any tensor
SCALARS = """import keras
from keras import layers, ops


class Scaled(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.proj = layers.Dense(units)

    def call(self, x):
        scale = ops.sqrt(ops.cast(self.units, "float32"))
        shift = ops.log(128 / 8) + ops.add(1, 2.5)
        return self.proj(x) / scale + shift


inputs = keras.Input((5, 3))
model = keras.Model(inputs, layers.Dense(2)(Scaled(8)(inputs)))
"""


def test_operations_on_numbers_in_a_traced_call_give_scalars():
    truth = keras_probe(COUNT_OR_RAISED, {"scalars": SCALARS})["scalars"]
    (model,) = analyze_source(SCALARS, "m.py").models
    assert (model.status, model.total) == ("exact", truth)
