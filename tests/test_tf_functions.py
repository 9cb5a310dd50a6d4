"""TensorFlow values and functions in custom layers (fixtures/custom/tf_functions.py and tensor_shape.py hold
what real Keras builds); here what Keras 3 rejects, checked with TensorFlow 2.21 and Keras 3.15."""

from __future__ import annotations

from test_fixtures import REPO_ROOT

from kerascount.api import analyze_source

_FIXTURE = (REPO_ROOT / "fixtures/custom/tensor_shape.py").read_text()
_TOLIST = ("    def tolist(self, s):\n        try:\n            return s.as_list()\n        except Exception:\n"
           "            return list(s)\n\n    def compute_output_shape")


def _models(source: str):
    report = analyze_source(source, "m.py")
    assert report.internal_error is None
    return report.models


def test_as_list_of_the_shape_keras_3_gives_is_not_followed():
    """Keras 3 gives compute_output_shape a tuple: `.as_list()` raises AttributeError there (tf.keras 2 gave a
    TensorShape, and its numbers), so the model is left unknown."""
    chars, model = _models(_FIXTURE.replace("list(input_shape)", "input_shape.as_list()"))
    assert chars.status == "exact"
    assert model.status == "unknown" and model.total is None
    assert any("as_list" in r for r in model.reasons)


def test_as_list_in_try_falls_back_as_in_keras_3():
    """A fallback in `except` (keras-tcn's tolist) runs, as in Keras 3: the fixture's numbers."""
    source = _FIXTURE.replace("list(input_shape)", "self.tolist(input_shape)").replace(
        "    def compute_output_shape", _TOLIST)
    model = _models(source)[1]
    assert model.status == "exact" and model.total == 71


def test_tf_variable_attribute_is_left_unknown_with_why():
    """Keras 3 leaves a tf.Variable attribute out of count_params() (TensorFlow backend: 0); tf.keras 2 counted
    it: unknown, and the reason says so."""
    source = ("import tensorflow as tf\n\nclass Line(tf.keras.Model):\n    def __init__(self):\n"
              "        super().__init__()\n        self.w = tf.Variable(0.0)\n\n    def call(self, x):\n"
              "        return self.w * x\n\nmodel = Line()\nmodel.build(input_shape=(None, 1))\n")
    (model,) = _models(source)
    assert model.total is None and any("tf.keras 2 counted it" in r for r in model.reasons)


def test_model_made_in_build_of_layer_keras_does_not_call_counts_its_weights():
    """A custom layer with compute_output_shape whose build makes a functional model: Keras never runs its call,
    but the model has its weights from its making (real Keras: 33 params, 28 without them), which are counted
    (keras-fsl's GramMatrix with a MixedNorms head; fixtures/custom/model_made_in_build.py)."""
    source = ("import keras\nfrom keras import layers\n\ndef make_head(width):\n    a = keras.Input((width,))\n"
              "    return keras.Model(a, layers.Dense(1)(a))\n\nclass Scored(layers.Layer):\n"
              "    def build(self, input_shape):\n        self.head = make_head(input_shape[-1])\n\n"
              "    def compute_output_shape(self, input_shape):\n        return (input_shape[0], 1)\n\n"
              "    def call(self, x):\n        return self.head(x)\n\n"
              "model = keras.Sequential([keras.Input((6,)), layers.Dense(4), Scored()])\n")
    models = _models(source)
    assert sorted(str(m.total) for m in models) == ["33", "5"] and all(m.status == "exact" for m in models)


def test_tensorflow_numpy_functions_in_a_call_are_numpys():
    """TensorFlow's NumPy (`tnp.matmul`, `tnp.maximum`, `tnp.minimum`) in a custom layer's call broadcasts as
    NumPy does, as keras.ops does: fixtures/custom/numpy_style_dense.py's numbers, which real Keras gives with
    keras.ops."""
    source = (REPO_ROOT / "fixtures/custom/numpy_style_dense.py").read_text().replace(
        "from keras import ops", "import tensorflow.experimental.numpy as ops")
    (model,) = _models(source)
    assert model.status == "exact" and model.total == 92
    assert [row.output_shape for row in model.rows] == [(None, 5), (None, 3), (None, 1)]


_ACTIVATIONS = (REPO_ROOT / "fixtures/custom/tf_nn_activations.py").read_text()


def test_tf_nn_activations_keep_the_shape():
    """tf.nn.swish, relu6, gelu... in a custom layer's call and a Lambda: the fixture's numbers (Keras: 314)."""
    (model,) = _models(_ACTIVATIONS)
    assert model.status == "exact" and model.total == 314


def test_tf_nn_swish_with_a_keyword_tensorflow_lacks_is_not_followed():
    """TensorFlow 2.21's tf.nn.swish takes (features, beta) only: `name=` raises TypeError there, so the model is
    unknown, where relu6's `name=` (a parameter it has) changes nothing."""
    (model,) = _models(_ACTIVATIONS.replace("tf.nn.swish(x)", 'tf.nn.swish(x, name="s")'))
    assert model.status == "unknown" and model.total is None


_BLOCKS = (REPO_ROOT / "fixtures/custom/tf_block_moves.py").read_text()


def test_tf_block_moves_lrn_and_reverse_in_traced_code():
    """depth_to_space, space_to_depth, lrn and reverse in Lambdas and a call: the fixture's numbers (Keras 3.15.1
    with TensorFlow 2.21: 10,192 and 111, output (None, 18, 15, 5))."""
    model, open_model = _models(_BLOCKS)
    assert model.status == "exact" and model.total == 10192 and model.outputs == ((None, 18, 15, 5),)
    assert open_model.status == "exact" and open_model.total == 111


def test_tf_block_moves_tensorflow_rejects_are_unknown():
    """Where TensorFlow raises (and a Lambda then cannot infer its output) the model is unknown, never counted:
    a depth not divisible by the block size squared, a height or width not divisible by it, a block size of 1,
    a rank-3 input to lrn, an axis out of range or an int axis of tf.reverse (TensorFlow 2.21 wants a list).
    space_to_depth of an unknown height is unknown too: the numpy backend's shape inference raises there."""
    for old, new in (("depth_to_space(t, 3)", "depth_to_space(t, 2)"),
                     ("Conv2D(12, 3, padding=\"same\")(h)", "Conv2D(12, 3, strides=4, padding=\"same\")(h)"),
                     ("space_to_depth(t, block_size=2)", "space_to_depth(t, block_size=1)"),
                     ("axis=[1, -2]", "axis=[1, 4]"), ("axis=[1, -2]", "axis=1"), ("axis=[1, -2]", "axis=[1, -3]")):
        source = _BLOCKS.replace(old, new)
        assert source != _BLOCKS
        model = _models(source)[0]
        assert model.status == "unknown" and model.total is None, (old, new)
    lrn3 = ("import keras\nimport tensorflow as tf\nfrom keras import layers\n\nx = keras.Input((8, 16))\n"
            "model = keras.Model(x, layers.Dense(2)(layers.Lambda(lambda t: tf.nn.lrn(t))(x)))\n")
    assert _models(lrn3)[0].status == "unknown"
    open_s2d = _BLOCKS.replace("compat.v1.depth_to_space(t, 2)", "nn.space_to_depth(t, 2)")
    open_model = _models(open_s2d)[1]
    assert open_model.status == "unknown" and any("83" in r for r in open_model.reasons)


def test_keras_2_backend_reverse_takes_an_int_axis():
    """Keras 2's K.reverse(x, axes) makes an int a list before tf.reverse: the shape is kept."""
    source = _BLOCKS.replace("import tensorflow as tf\n", "import tensorflow as tf\nfrom keras import backend as K\n") \
        .replace("tf.reverse(x, axis=[1, -2])", "K.reverse(x, 2)")
    model = _models(source)[0]
    assert model.status == "exact" and model.total == 10192


_PADDING = (REPO_ROOT / "fixtures/custom/reflection_padding.py").read_text()
_OPS_PAD = 'return ops.pad(input_tensor, padding_tensor, mode="reflect")'


def _with_tf_pad(call: str) -> str:
    assert _OPS_PAD in _PADDING
    return _PADDING.replace("from keras import layers, ops", "from keras import layers, ops; import tensorflow as tf") \
        .replace(_OPS_PAD, f"return {call}")


def test_tf_pad_in_a_call_reads_like_keras_ops_pad():
    """fixtures/custom/reflection_padding.py (truth from Keras 3, keras.ops.pad) with the keras.io CycleGAN's
    TensorFlow spelling, tf.pad(..., mode="REFLECT"), which the TensorFlow backend traces: the same models."""
    from test_legacy import _reads_like_truth
    for call in ('tf.pad(input_tensor, padding_tensor, mode="REFLECT")', "tf.pad(input_tensor, padding_tensor)",
                 'tf.pad(input_tensor, paddings=padding_tensor, mode="symmetric", constant_values=0)'):
        _reads_like_truth(_with_tf_pad(call), "fixtures/custom/reflection_padding.py")


def test_tf_pad_not_followed_stays_unknown():
    """TensorFlow takes one (before, after) pair per axis (keras.ops.pad also takes an int or one pair), and
    REFLECT padding smaller than the axis (the generator's last padding of 3 on a 12 x 10 map is followed, a
    padding of 12 is not)."""
    for call in ("tf.pad(input_tensor, 1)", "tf.pad(input_tensor, [[1, 1]])",
                 "tf.pad(input_tensor, padding_tensor[1:])", 'tf.pad(input_tensor, padding_tensor, mode="wrap")',
                 'tf.pad(input_tensor, [[0, 0], [12, 0], [0, 0], [0, 0]], mode="REFLECT")'):
        (model,) = _models(_with_tf_pad(call))
        assert model.total is None, call


_TILES = (REPO_ROOT / "fixtures/ops/patch_tokens_batch_read_back.py").read_text()


def _tf_tiles(source: str) -> str:
    """The fixture's tiling in TensorFlow's spelling (keras.io's ViT `Patches` layer): tf.shape for the batch
    size, tf.image.extract_patches with [1, p, p, 1] windows, tf.reshape to [batch, -1, depth]."""
    out = source.replace("from keras import layers, ops", "import tensorflow as tf\nfrom keras import layers, ops")
    for old, new in (("count = ops.shape(pictures)[0]", "count = tf.shape(pictures)[0]"),
                     ("tiles = ops.image.extract_patches(pictures, (self.tile, self.tile), strides=(self.step, "
                      "self.step),\n                                          padding=self.pad)",
                      "tiles = tf.image.extract_patches(images=pictures, sizes=[1, self.tile, self.tile, 1],\n"
                      "            strides=[1, self.step, self.step, 1], rates=[1, 1, 1, 1], padding=self.pad.upper())"),
                     ("return ops.reshape(tiles, (count, -1, depth))", "return tf.reshape(tiles, [count, -1, depth])")):
        assert old in out
        out = out.replace(old, new)
    return out


def test_tf_patches_then_reshape_with_the_batch_read_back():
    """tf.image.extract_patches (no dilation) is keras.ops.image.extract_patches of the same windows, so the
    batch axis of the tiles is the pictures' own, and `tf.reshape(tiles, [tf.shape(x)[0], -1, depth])` has a
    static -1 (Keras runs the call with the batch at 83, then 89): the fixture's numbers, which real Keras gives
    for the keras.ops spelling (7,855 and 23,045; (None, 25, 192) and (None, 64, 72)). Before, the tiles were a
    tensor of their own and the -1 was left unknown (keras.io's ViT and its many copies)."""
    classifier, overlapping = _models(_tf_tiles(_TILES))
    assert classifier.status == "exact" and classifier.total == 7855
    assert [row.output_shape for row in classifier.rows][1:3] == [(None, 25, 192), (None, 25, 24)]
    assert overlapping.status == "exact" and overlapping.total == 23045
    assert overlapping.rows[1].output_shape == (None, 64, 72)


def test_tf_patches_with_dilation_keep_the_minus_one_unknown():
    """With rates above 1 (keras.ops.image.extract_patches follows dilation only without strides) the tiles stay
    a tensor of their own: the -1 after them is not worked out, never guessed."""
    source = _tf_tiles(_TILES).replace("rates=[1, 1, 1, 1]", "rates=[1, 2, 2, 1]")
    classifier, overlapping = _models(source)
    assert classifier.status == "unknown" and classifier.total is None
    assert any("83, then 89" in r for r in classifier.reasons)


def test_tf_broadcast_to_spreads_a_class_token_over_the_batch():
    """tf.broadcast_to is keras.ops.broadcast_to (the same shape): the class-token layer of
    fixtures/custom/class_token_spread.py written with tf.shape, tf.broadcast_to and tf.concat has the fixture's
    numbers, which real Keras gives for the keras.ops spelling (4,386; the tokens (None, 17, 20))."""
    source = (REPO_ROOT / "fixtures/custom/class_token_spread.py").read_text()
    twin = source.replace("from keras import layers, ops", "import tensorflow as tf\nfrom keras import layers, ops")
    for old, new in (("ops.shape(x)[0]", "tf.shape(x)[0]"), ("ops.broadcast_to(", "tf.broadcast_to("),
                     ("ops.concatenate([spread, x], axis=1)", "tf.concat([spread, x], axis=1)")):
        assert old in twin
        twin = twin.replace(old, new)
    (model,) = _models(twin)
    assert model.status == "exact" and model.total == 4386
    assert [row.output_shape for row in model.rows][3] == (None, 17, 20)


_POWER_AND_DROPOUT = (REPO_ROOT / "fixtures/custom/power_and_dropout_layers.py").read_text()


def test_tf_pow_and_tf_nn_dropout_are_their_keras_twins():
    """tf.pow (tf.math.pow) broadcasts as keras.ops.power, tf.nn.dropout keeps its input's shape as
    keras.random.dropout: the fixture's numbers, which real Keras gives with the keras twins (hold-out 68: a custom
    layer's `tf.matmul(tf.pow(inputs, 3), self.v)`, and a course's MyDropout layer of `tf.nn.dropout(inputs,
    rate=self.rate)`)."""
    twins = _POWER_AND_DROPOUT.replace("import keras\n", "import keras\nimport tensorflow as tf\n")
    for power in ("tf.pow(", "tf.math.pow("):
        source = twins.replace("ops.power(", power).replace("keras.random.dropout(", "tf.nn.dropout(")
        digits, wire = _models(source)
        assert (digits.status, digits.total, wire.status, wire.total) == ("exact", 32411, "exact", 436)
    # a rate TensorFlow refuses (1 or more), or a noise_shape, is not followed
    for rate in ("rate=1.0", "rate=self.rate, noise_shape=(1, 40)"):
        digits, _ = _models(twins.replace("keras.random.dropout(inputs, rate=self.rate)",
                                          f"tf.nn.dropout(inputs, {rate})"))
        assert digits.status == "unknown" and digits.total is None, rate
