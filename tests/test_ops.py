"""Operations on tensors where the source leaves something open: symbolic, unknown, never a guess.

What Keras shows for operations on known shapes is checked against real Keras by fixtures/ops/ and
tests/test_ops_keras.py; these are the cases Keras cannot run: symbolic sizes and values the analysis
does not know.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import render

HEADER = "import keras\nfrom keras import layers, ops\nfrom config import H\n"


def _model(src: str):
    report = analyze_source(HEADER + src, "m.py")
    assert report.internal_error is None
    return report, report.models[-1]


def _row(model, name: str):
    return next(r for r in model.rows if r.layer.name == name)


def test_symbolic_size_broadcast_against_one():
    _, m = _model("a = keras.Input((H, 4))\nb = keras.Input((1, 4))\nm = keras.Model([a, b], a * b)\n")
    row = _row(m, "multiply")
    assert [render(d) if d is not None else None for d in row.output_shape] == [None, "H", "4"]
    assert row.params == 0 and m.status == "exact"


def test_symbolic_size_against_another_size_is_not_guessed():
    report, m = _model("a = keras.Input((H,))\nb = keras.Input((5,))\nm = keras.Model([a, b], a + b)\n")
    row = _row(m, "add")
    assert row.output_shape is None and row.params is None
    assert m.status == "unknown" and m.total is None
    assert any(d.code == "KC901" and "broadcast" in d.message for d in report.diagnostics)


def test_operation_not_in_catalogue_is_unknown_and_named():
    report, m = _model("x = keras.Input((4, 3))\nm = keras.Model(x, layers.Dense(2)(ops.moveaxis(x, 1, 2)))\n")
    assert m.status == "unknown" and m.rows[-1].params is None
    assert any(d.code == "KC901" and "keras.ops.moveaxis" in d.message for d in report.diagnostics)


def test_operand_of_unknown_value_keeps_the_model_unknown():
    # ops.sqrt of a value the analysis does not know (an array, a tensor?): a result of a shape it does not know.
    _, m = _model("from config import scale\nx = keras.Input((4,))\ny = layers.Dense(4)(x) / ops.sqrt(scale)\n"
                  "m = keras.Model(x, y)\n")
    assert m.status == "unknown" and m.total is None
    # of a Python number, Keras computes a 0-d tensor at once (fixtures/ops/eager_number_operands: Keras's rows)
    _, m = _model("x = keras.Input((4,))\ny = layers.Dense(4)(x) / ops.sqrt(4.0)\nm = keras.Model(x, y)\n")
    assert (m.status, m.total) == ("exact", 20)  # (Keras: 20)


def test_chained_comparison_of_a_tensor_is_not_followed():
    _, m = _model("x = keras.Input((4,))\nm = keras.Model(x, 0 < x < 1)\n")
    assert m.status == "unknown"


def test_reflected_comparison_and_operators_make_operations():
    _, m = _model("x = keras.Input((4,))\nm = keras.Model(x, [0 < x, 2 ** x, -x, ~(x > 1)])\n")
    assert sorted(r.layer.type for r in m.rows) == ["Greater", "Greater", "InputLayer", "LogicalNot", "Negative",
                                                    "Power"]
    assert all(r.output_shape == (None, 4) for r in m.rows)


def test_mask_passed_on_by_a_layer_not_followed_is_not_guessed():
    # A Lambda's `mask=` function makes its mask with code the analysis does not follow: the LSTM's rows are
    # unknown.
    report, m = _model(
        "t = keras.Input((10,), dtype='int32')\ne = layers.Embedding(50, 8, mask_zero=True)(t)\n"
        "m = keras.Model(t, layers.LSTM(4)(layers.Lambda(lambda v: v * 2, mask=lambda v, k: k)(e)))\n"
    )
    assert m.status == "unknown" and m.total is None
    assert any(d.code == "KC901" and "mask" in d.message for d in report.diagnostics)


def test_masked_tensor_into_a_nested_model_is_not_guessed():
    _, m = _model(
        "t = keras.Input((10,), dtype='int32')\ne = layers.Embedding(50, 8, mask_zero=True)(t)\n"
        "inner = keras.Sequential([layers.LSTM(4)])\nm = keras.Model(t, inner(e))\n"
    )
    assert m.status == "unknown" and m.total is None


def test_operation_on_an_unknown_operand_gives_the_operand_reason():
    # In a custom layer's call, a value chosen by a condition the analysis cannot decide: the reason is that
    # condition, not that `keras.ops.transpose` is not analysed.
    src = (
        "import os\n"
        "class Mix(layers.Layer):\n"
        "    def call(self, x):\n"
        "        y = x if os.environ.get('MODE') else ops.transpose(x, (0, 2, 1))\n"
        "        return ops.transpose(y, (0, 2, 1))\n"
        "inp = keras.Input((3, 3))\n"
        "m = keras.Model(inp, Mix()(inp))\n")
    report, m = _model(src)
    # (the layer holds no weight: both ways build the model with 0 params, which it is given, kerascount/alternatives.py)
    assert m.total == 0 and [a.total for a in m.alternatives] == [0, 0]
    reasons = " ".join(m.reasons)
    assert "is not analysed" not in reasons and "MODE" in reasons


@pytest.mark.parametrize("tf_calls, ops_calls", [
    (("tf.nn.max_pool2d(x, ksize=3, strides=2, padding='SAME')", "tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID')"),
     ("ops.max_pool(x, 3, 2, 'same')", "ops.average_pool(x, 2, 2, 'valid')")),
    (("tf.nn.max_pool(x, [3, 2], 1, 'VALID')", "tf.nn.avg_pool2d(x, (2,), [2, 2], 'SAME')"),
     ("ops.max_pool(x, (3, 2), 1, 'valid')", "ops.average_pool(x, 2, 2, 'same')")),
])
def test_tensorflow_pooling_in_a_call_reads_as_keras_ops(tf_calls, ops_calls):
    # tf.nn's pooling in a subclassed model's call is keras.ops' (fixtures/ops/pooling_ops.py checks those with Keras)
    def source(first, second):
        return ("import tensorflow as tf\nimport keras\nfrom keras import layers, ops\n"
                "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                "        self.conv = layers.Conv2D(8, 3, padding='same')\n        self.head = layers.Dense(4)\n"
                f"    def call(self, x):\n        x = {first}\n        x = {second}\n"
                "        return self.head(layers.Flatten()(self.conv(x)))\n"
                "net = Net()\nout = net(keras.Input((32, 30, 3)))\n")

    (tf_model,) = analyze_source(source(*tf_calls), "t.py").models
    (ops_model,) = analyze_source(source(*ops_calls), "o.py").models
    assert tf_model.status == ops_model.status == "exact"
    assert tf_model.total == ops_model.total
    assert [r.output_shape for r in tf_model.rows] == [r.output_shape for r in ops_model.rows]


@pytest.mark.parametrize("call", ["tf.nn.max_pool2d(x, [2, 3, 3, 1], 2, 'SAME')", "tf.nn.max_pool2d(x, 3, 2, 'same')",
                                  "tf.nn.max_pool2d(x, 3, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])",
                                  "tf.nn.avg_pool2d(x, 3, 2, 'SAME', data_format='NCHW_VECT_C')"])
def test_tensorflow_pooling_not_followed(call):
    # pooling over the batch or channels axis, TensorFlow's padding spelled otherwise or given explicitly, another
    # layout: not read
    src = ("import tensorflow as tf\nimport keras\nfrom keras import layers\n"
           "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
           "        self.head = layers.Dense(4)\n"
           f"    def call(self, x):\n        x = {call}\n        return self.head(x)\n"
           "net = Net()\nout = net(keras.Input((32, 30, 3)))\n")
    (model,) = analyze_source(src, "t.py").models
    assert model.status == "unknown"


def _resize_fixture_as_tensorflow(resize: str, nearest: str) -> str:
    from test_fixtures import REPO_ROOT

    src = (REPO_ROOT / "fixtures/ops/resize_and_preprocess_lambdas.py").read_text()
    out = src.replace("import keras\n", "import keras\nimport tensorflow as tf\n", 1).replace(
        "ops.image.resize(", resize).replace('interpolation="nearest"', nearest)
    assert out.count(resize) == 2 and nearest in out
    return out


@pytest.mark.parametrize("resize, nearest", [
    ("tf.image.resize(", 'method="nearest"'),
    ("tf.compat.v2.image.resize(", "method=tf.image.ResizeMethod.NEAREST_NEIGHBOR"),
    ("tf.compat.v1.image.resize(", "align_corners=True"),
])
def test_tensorflow_resize_in_a_lambda_reads_as_keras_ops(resize, nearest):
    # fixtures/ops/resize_and_preprocess_lambdas.py (checked with Keras) with TensorFlow's resize in place of
    # keras.ops.image.resize: the same shapes (the method does not change them)
    import json

    from test_fixtures import compare_models, load_truth

    from kerascount.report import json_

    report = analyze_source(_resize_fixture_as_tensorflow(resize, nearest), "t.py")
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    truth = load_truth("fixtures/ops/resize_and_preprocess_lambdas.py")["models"]
    problems = compare_models(truth, [{**m, "line": m["line"] - 1} for m in got])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("resize, nearest", [
    ("tf.image.resize(", "preserve_aspect_ratio=True"),  # the size is a bound there
    ("tf.image.resize(", 'method="cubic"'),  # not one of TensorFlow's methods
    ("tf.compat.v1.image.resize(", 'method="nearest"'),  # TensorFlow 1's methods are numbers
    ("tf.image.resize_images(", "align_corners=False"),  # TensorFlow 1's name, which TensorFlow 2 lacks
])
def test_tensorflow_resize_not_followed(resize, nearest):
    # the Sequential's resize has the argument: unknown; the other model's resize (no method) is followed unless the
    # function itself is not
    report = analyze_source(_resize_fixture_as_tensorflow(resize, nearest), "t.py")
    assert [m.status for m in report.models] == ["unknown" if "resize_images" in resize else "exact", "unknown"]


def test_reshape_in_a_call_leaves_the_minus_one_unknown_where_the_batch_read_may_not_be_the_tensors():
    # Keras (numpy backend) shows (None, 32, 8) and (None, 16, 4) here: its trace sets the open batch to a number,
    # which the doubled batch and `batch * 2` then carry. The analysis does not follow those: the -1 is unknown
    # (fixtures/custom/reshape_batch_in_call.py has the cases it works out), never the 64 or 16 it would be
    # without the doubling, nor a guess at 16 from `batch * 2`, nor the None that Keras shows only where the -1
    # grows with the batch.
    src = (
        "class Twice(layers.Layer):\n"
        "    def call(self, x):\n"
        "        batch = ops.shape(x)[0]\n"
        "        both = ops.concatenate([x, x], axis=0)\n"
        "        return ops.reshape(both, (batch, -1, 8))\n"
        "class Pairs(layers.Layer):\n"
        "    def call(self, x):\n"
        "        batch = ops.shape(x)[0]\n"
        "        return ops.reshape(x, (batch * 2, -1, 4))\n"
        "class Opaque(layers.Layer):\n"
        "    def call(self, x):\n"
        "        batch = ops.shape(x)[0]\n"
        "        y = layers.Lambda(lambda t: ops.concatenate([t, t], axis=0))(x)\n"
        "        return ops.reshape(y, (batch, -1, 8))\n"
        "grid = keras.Input((4, 4, 8))\n"
        "m = keras.Model(grid, [Twice(name='twice')(grid), Pairs(name='pairs')(grid), Opaque(name='opaque')(grid)])\n"
    )
    _, m = _model(src)
    assert m.status == "unknown"
    for name in ("twice", "pairs", "opaque"):
        assert _row(m, name).output_shape is None
    assert any("Keras works out the -1" in r for r in m.reasons)
