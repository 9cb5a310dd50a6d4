"""KC114: an attribute no Keras tensor has, read on a Keras tensor. Python raises AttributeError there and the script
stops: kerascount reports the line and builds nothing after it, as the truth of fixtures/errors/ records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kerascount.api import analyze_source
from kerascount.extract.live import TENSOR_ATTRIBUTES
from test_catalogue_keras import keras_probe

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "errors" / "tensor_attribute_of_reused_name.py"


def _kc114(report):
    return [d for d in report.diagnostics if d.code == "KC114"]


def test_the_script_stops_where_keras_raised_and_the_models_before_keep_their_numbers():
    truth = json.loads(FIXTURE.with_suffix(".keras.json").read_text(encoding="utf-8"))
    report = analyze_source(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    (finding,) = _kc114(report)
    assert finding.span.line == truth["error"]["line"] and "`cfg.blocks`" in finding.message
    by_line = {m.model.span.line: m for m in report.models}
    # the models Keras made before it raised, and no other (the Sequential after the error is never made)
    assert sorted(by_line) == sorted(m["line"] for m in truth["models"])
    for m in truth["models"]:
        ours = by_line[m["line"]]
        if m["total_params"] is None:  # the subclassed model whose __init__ raised: never called, never built
            assert ours.total is None and ours.status == "unbuilt"
        else:
            assert (ours.status, ours.total) == ("exact", m["total_params"])


def test_a_finding_for_each_certain_error_only():
    head = "import keras\nfrom keras import layers\nx = keras.Input((4,))\nh = layers.Dense(3)(x)\n"
    # the first error stops the script: the second read never runs
    assert len(_kc114(analyze_source(head + "a = h.units\nb = h.depth\n", "m.py"))) == 1
    # a handler catches it: no finding, and the code after the try runs
    caught = analyze_source(head + "try:\n    a = h.units\nexcept AttributeError:\n    a = 5\n"
                            "m = keras.Sequential([keras.Input((2,)), layers.Dense(a)])\n", "m.py")
    assert not _kc114(caught) and [m.total for m in caught.models if m.model.kind == "sequential"] == [15]
    # a function nothing calls is run with guessed arguments: no finding from that run
    uncalled = head + "def f(t):\n    return t.units\n"
    assert not _kc114(analyze_source(uncalled, "m.py"))
    # under a condition the analysis cannot decide, the other way goes on
    import_ = "import os\n" + head + "if os.environ.get('W'):\n    n = h.units\nelse:\n    n = 3\n"
    undecided = analyze_source(import_ + "m = keras.Sequential([keras.Input((2,)), layers.Dense(n)])\n", "m.py")
    assert len(_kc114(undecided)) == 1 and [m.total for m in undecided.models if m.model.kind == "sequential"] == [9]


def test_attributes_of_some_keras_tensor_are_never_reported():
    src = ("import keras\nfrom keras import layers\nx = keras.Input((4,))\nh = layers.Dense(3)(x)\n"
           "a = h.shape, h.dtype, h.name, h.ndim, h.sparse, h.op, h.graph, h.get_shape(), h.T, h.numpy, h._keras_history\n"
           "h.note = 1\nb = h.note\n")
    assert not _kc114(analyze_source(src, "m.py"))


@pytest.mark.keras
def test_every_attribute_of_a_keras3_tensor_is_known():
    probe = ("import json, keras\nx = keras.layers.Dense(2)(keras.Input((3,)))\n"
             "print(json.dumps(sorted(a for a in dir(x) if not a.startswith('_'))))")
    assert set(keras_probe(probe, [])) <= TENSOR_ATTRIBUTES


# A custom layer's own variables: a weight made by add_weight (in __init__ or in build) is a Variable, which has
# assign, assign_add and value; a layer that adds each batch's sum to a non-trainable total runs in Keras.
_VARIABLES = '''import keras
from keras import ops


class RunningTotal(keras.layers.Layer):
    def __init__(self, width):
        super().__init__()
        self.seen = self.add_weight(shape=(width,), initializer="zeros", trainable=False)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs):
        self.seen.assign_add(ops.sum(inputs, axis=0))
        self.scale.assign(self.scale.value)
        return inputs * self.scale + self.seen


layer = RunningTotal(3)
out = layer(ops.ones((4, 3)))
model = keras.Sequential([keras.Input((3,)), RunningTotal(3)])
'''


def test_the_variables_of_a_custom_layer_have_their_methods():
    from test_catalogue_keras import COUNT_OR_RAISED

    truth = keras_probe(COUNT_OR_RAISED, {"variables": _VARIABLES})
    report = analyze_source(_VARIABLES, "m.py")
    assert not _kc114(report) and not [d for d in report.diagnostics if d.severity == "error"]
    assert truth["variables"] == report.models[-1].total


def test_value_of_a_shape_size_is_python_attribute_error():
    """TensorFlow 1's `x.shape[-1].value` (bonlime's DeepLabV3+, hold-out 81): Keras 3's shape holds ints, so Python
    raises AttributeError; the model is unknown saying so, and a handler of AttributeError takes it."""
    head = "import keras\nfrom keras import layers\nx = keras.Input((8, 8, 3))\n"
    (m,) = analyze_source(head + "c = x.shape[-1].value\nm = keras.Model(x, layers.Conv2D(c, 3)(x))\n", "m.py").models
    assert m.status == "unknown" and any("is the int 3, which has no `value`" in r for r in m.reasons)
    caught = analyze_source(head + "try:\n    c = x.shape[-1].value\nexcept AttributeError:\n    c = x.shape[-1]\n"
                            "m = keras.Model(x, layers.Conv2D(c, 3)(x))\n", "m.py")
    (m,) = caught.models
    assert (m.status, m.total) == ("exact", 3 * 3 * 3 * 3 + 3)
