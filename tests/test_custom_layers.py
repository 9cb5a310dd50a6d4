"""Custom layers (``class Block(keras.layers.Layer)``) beyond the agreement with real Keras in fixtures/custom/:
what the analysis cannot follow stays unknown with its reason, and a custom layer is a row, not a model."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kerascount.api import analyze_source

HEADER = "import keras\nfrom keras import layers, ops\n"


def _model(src: str, name: str = "model"):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    found = [m for m in report.models if m.model.name == name]
    assert len(found) == 1, [m.model.name for m in report.models]
    return found[0]


def _row(model, type_):
    (row,) = [r for r in model.rows if r.layer.type == type_]
    return row


SCALE = HEADER + """
class Scale(layers.Layer):
    def build(self, input_shape):
        self.g = self.add_weight(shape=(input_shape[-1],){extra})

    def call(self, x):
        return {body}
{more}
inp = keras.Input((5,))
model = keras.Model(inp, Scale()(inp))
"""


def test_custom_layer_is_a_row_not_a_model():
    src = SCALE.format(extra="", body="x", more="")
    report = analyze_source(src, "m.py")
    assert [m.model.kind for m in report.models] == ["functional"]
    model = report.models[0]
    row = _row(model, "Scale")
    assert (row.output_shape, row.params, row.trainable, model.total) == ((None, 5), 5, 5, 5)


def test_non_trainable_weight_is_counted_as_such():
    model = _model(SCALE.format(extra=", trainable=False", body="x", more=""))
    row = _row(model, "Scale")
    assert (row.params, row.trainable, row.non_trainable) == (5, 0, 5)
    assert (model.trainable, model.non_trainable) == (0, 5)


@pytest.mark.parametrize("extra, body, more, why", [
    # A weight used where call needs a number: not followed.
    ("", "x[:, :int(self.g)]", "", None),
    # Keras 3 rejects a positional name.
    ("", "x", "", None),
    # The trainable flag is not known.
    (", trainable=FLAG", "x", "", "trainable"),
    # compute_output_spec is not analysed.
    ("", "x", "    def compute_output_spec(self, x):\n        return x\n", "compute_output_spec"),
])
def test_what_is_not_followed_stays_unknown(extra, body, more, why):
    src = SCALE.format(extra=extra, body=body, more=more)
    if why is None and "int(" not in body:
        src = src.replace("self.add_weight(shape=", "self.add_weight('g', ")
    if "FLAG" in src:
        src = "import sys\nFLAG = sys.argv[1]\n" + src
    model = _model(src)
    row = _row(model, "Scale")
    assert model.status == "unknown" and row.params is None and model.total is None
    if why is not None:
        assert why in " ".join(model.reasons)


def test_custom_layer_in_an_unbuilt_sequential_is_not_guessed():
    src = HEADER + """
class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.ffn = keras.Sequential([layers.Dense(4), layers.Dense(2)])

    def call(self, x):
        return self.ffn(x)

model = keras.Sequential([Block()])
"""
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    by_name = {m.model.name: m for m in report.models}
    # Never called: Keras has not built it.
    assert by_name["model"].status == "unbuilt" and by_name["model"].total is None
    # The Sequential inside the block is built when Keras runs the block: not "unbuilt".
    inner = [m for m in report.models if m.model.name is None]
    assert inner and all(m.status == "unknown" for m in inner)


def test_compute_output_shape_gives_the_shape_when_call_is_not_followed():
    src = HEADER + """
import tensorflow as tf

class Proj(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, x):
        return tf.matmul(x, self.w)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

inp = keras.Input((6,))
model = keras.Model(inp, layers.Dense(1)(Proj(3)(inp)))
"""
    model = _model(src)
    row = _row(model, "Proj")
    assert (row.output_shape, row.params, model.total, model.status) == ((None, 3), 18, 22, "exact")
    assert model.macs is None  # call's cost is not known


def test_custom_layer_called_on_two_shapes_is_not_guessed():
    src = HEADER + """
class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(2)

    def call(self, x):
        return self.d(x)

a = keras.Input((3,))
b = keras.Input((4,))
blk = Block()
model = keras.Model([a, b], [blk(a), blk(b)])
"""
    model = _model(src)
    assert model.status == "unknown"


def test_sublayer_built_by_hand_in_build_counts():
    """Building a sublayer by hand in build: Keras counts its weights though call never reaches it
    (fixtures/custom/explicit_sublayer_build.py has the numbers Keras gives)."""
    src = HEADER + """
class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(3)

    def build(self, input_shape):
        self.d.build(input_shape)

    def call(self, x):
        return x

inp = keras.Input((4,))
model = keras.Model(inp, Block()(inp))
"""
    model = _model(src)
    assert model.status == "exact" and _row(model, "Block").params == 15


@pytest.mark.parametrize("build, why", [
    # built twice: Keras would make its weights again
    ("self.d.build(input_shape)\n        self.d.build(input_shape)", "built again"),
    # a shape the analysis does not know
    ("self.d.build(SHAPE)", "not known"),
    # a helper that builds, called by another method too: it may run outside build
    ("self.helper(input_shape)\n\n    def helper(self, shape):\n        self.d.build(shape)\n\n"
     "    def rebuild(self):\n        self.helper((None, 4))", "self.d.build"),
])
def test_sublayer_builds_not_followed_stay_unknown(build, why):
    src = HEADER + f"""
class Inner(layers.Layer):
    def call(self, x):
        return x

class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(3)
        self.inner = Inner()

    def build(self, input_shape):
        {build}

    def call(self, x):
        return self.d(x)

inp = keras.Input((4,))
model = keras.Model(inp, Block()(inp))
"""
    model = _model(src)
    assert model.status == "unknown" and why in " ".join(model.reasons)


@pytest.mark.parametrize("method", [
    # Building a sublayer by hand outside build: Keras counts its weights though call never reaches it.
    "    def make(self, input_shape):\n        self.d.build(input_shape)\n",
    # Overriding __call__: what Keras runs is not call.
    "    def __call__(self, x):\n        return x\n",
    # compute_output_shape building the layer again, not only `if not self.built:`
    "    def compute_output_shape(self, input_shape):\n        self.build(input_shape)\n        return input_shape\n",
    # a helper that builds, called by a method other than build
    "    def grow(self, shape):\n        self.d.build(shape)\n\n    def build(self, input_shape):\n        self.grow(input_shape)\n"
    "\n    def refresh(self):\n        self.grow((None, 4))\n",
])
def test_building_or_calling_by_hand_stays_unknown(method):
    src = HEADER + f"""
class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(3)

{method}
    def call(self, x):
        return x

inp = keras.Input((4,))
model = keras.Model(inp, Block()(inp))
"""
    model = _model(src)
    assert model.status == "unknown" and _row(model, "Block").params is None


# -- subclasses of Keras layers (fixtures/custom/layer_subclasses.py has the numbers Keras gives) ----------

SUBCLASS = HEADER + """
class Wide(layers.Dense):
{body}

inp = keras.Input((5,))
model = keras.Model(inp, Wide({args})(inp))
"""


def test_subclass_of_a_keras_layer_is_that_layer_configured_by_super_init():
    body = "    def __init__(self, **kwargs):\n        super().__init__(7, **kwargs)\n"
    model = _model(SUBCLASS.format(body=body, args="name='w'"))
    row = _row(model, "Wide")
    assert (row.layer.name, row.output_shape, row.params) == ("w", (None, 7), 5 * 7 + 7)
    same = _model(SUBCLASS.replace("Wide({args})", "layers.Dense(7)").format(body="    pass", args=""))
    assert model.total == same.total


@pytest.mark.parametrize("body, args, why", [
    # Keras's Dense rejects the keyword: so does the analysis.
    ("    pass", "3, filters=2", "Keras rejects"),
    # A Keras attribute the analysis does not know (Dense's kernel, made by its build) read in compute_output_shape.
    ("    def compute_output_shape(self, s):\n        return (s[0], self.kernel.shape[1])", "3",
     "comes from Keras's `Dense`"),
    # A decorated method is not followed.
    ("    @staticmethod\n    def compute_output_shape(s):\n        return s", "3", "decorated"),
])
def test_subclass_of_a_keras_layer_left_unknown_with_reason(body, args, why):
    model = _model(SUBCLASS.format(body=body, args=args))
    assert model.status != "exact" and model.total is None
    assert any(why in r for r in model.reasons), model.reasons


def test_subclass_called_on_two_tensors_is_not_guessed():
    src = SUBCLASS.replace("Wide({args})(inp)", "Wide(3)(inp, inp)").format(body="    pass", args="")
    model = _model(src)
    assert model.total is None and any("one tensor" in r for r in model.reasons), model.reasons


def test_unpacking_a_custom_layer_not_followed_names_the_layer_and_its_reason():
    # What the layer returns (one tensor or a pair) is not known when its call is not followed: the
    # unpacking stays unknown and says why, instead of a bare "cannot unpack".
    src = HEADER + """import tensorflow as tf

class Pair(layers.Layer):
    def build(self, input_shape):
        self.d = layers.Dense(3)

    def call(self, x):
        return self.d(x), tf.math.cumsum(x=x, axis=1)

inp = keras.Input((6,))
a, _ = Pair(name="pair")(inp)
model = keras.Model(inp, layers.Dense(2)(a))
"""
    report = analyze_source(src, "m.py")
    m = _model(src)
    assert m.status == "unknown" and m.total is None
    messages = [d.message for d in report.diagnostics if d.code == "KC901"]
    assert any("cannot unpack `a, _`: what `pair` returns is not known (" in t and "tensorflow.math.cumsum" in t
               for t in messages), messages


def test_unpacking_a_followed_custom_layer_pair_is_exact():
    src = HEADER + """
class Pair(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(3)

    def call(self, x):
        return self.d(x), x

inp = keras.Input((6,))
a, b = Pair()(inp)
model = keras.Model(inp, layers.Concatenate()([a, b]))
"""
    m = _model(src)
    assert m.status == "exact" and m.total == 21


@pytest.mark.parametrize("methods, status", [
    # build of one parameter: the first tensor's shape (fixtures/custom/build_first_tensor.py has Keras's numbers)
    ("    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[-1],))\n", "exact"),
    # build of two parameters: Keras matches them to call's argument names, which is not followed
    ("    def build(self, x_shape, context_shape):\n        self.w = self.add_weight(shape=(x_shape[-1],))\n",
     "unknown"),
    # compute_output_shape of one shape too: Keras gives it the first tensor's shape as well (its
    # update_shapes_dict_for_target_fn; fixtures/subclassed/output_shape_named_once.py has Keras's numbers)
    ("    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[-1],))\n\n"
     "    def compute_output_shape(self, shape):\n        return shape\n", "exact"),
    # compute_output_shape of two shapes: matched to call's argument names, which is not followed
    ("    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[-1],))\n\n"
     "    def compute_output_shape(self, x_shape, context_shape):\n        return x_shape\n", "unknown"),
])
def test_custom_layer_called_on_two_tensors_builds_on_the_first(methods, status):
    src = HEADER + f"""
class Mix(layers.Layer):
{methods}
    def call(self, x, context):
        return x * self.w + context

a = keras.Input((3,))
b = keras.Input((3,))
model = keras.Model([a, b], Mix()(a, b))
"""
    model = _model(src)
    assert model.status == status
    if status == "exact":
        assert _row(model, "Mix").params == 3 and [r.layer.name for r in model.rows][:2] == ["input_layer",
                                                                                               "input_layer_1"]


# A branch (a Sequential the custom layer holds) that Keras never builds: the layer before the custom layer raises
# (Keras 3 pooling takes only lower-case padding), so the branch is unknown, and it says why.
BRANCH_AFTER_REJECTED = HEADER + """
class Branch(layers.Layer):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.seq = keras.Sequential([layers.Conv2D(n, 1), layers.Conv2D(n, 3, padding="same")])

    def call(self, x):
        return self.seq(x)


inp = keras.Input((16, 16, 3))
x = layers.MaxPool2D(pool_size=2, padding="{padding}")(inp)
model = keras.Model(inp, Branch(4)(x))
"""


def test_branch_called_after_a_rejected_layer_is_unknown_with_a_reason():
    report = analyze_source(BRANCH_AFTER_REJECTED.format(padding="SAME"), "m.py")
    assert report.internal_error is None
    (branch,) = [m for m in report.models if m.model.kind == "sequential"]
    assert branch.status == "unknown" and branch.total is None
    assert branch.reasons == ("it is called on the output of a layer Keras rejects",)
    (outer,) = [m for m in report.models if m.model.name == "model"]
    assert outer.status == "unknown" and outer.reasons[0].startswith("Keras rejects it: MaxPooling2D")


@pytest.mark.keras
def test_branch_after_a_rejected_layer_is_never_built_by_keras(tmp_path):
    # the upper-case spelling raises at the pooling layer, before the branch runs; the lower-case one builds the
    # branch, with the total the analysis gives
    bad = tmp_path / "bad.py"
    bad.write_text(BRANCH_AFTER_REJECTED.format(padding="SAME"), encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="numpy")
    proc = subprocess.run([sys.executable, str(bad)], env=env, capture_output=True, text=True, timeout=300)
    if "No module named 'keras'" in proc.stderr:
        pytest.skip("keras is not importable")
    assert proc.returncode != 0 and "`padding` must be either 'valid' or 'same'" in proc.stderr
    good = analyze_source(BRANCH_AFTER_REJECTED.format(padding="same"), "m.py")
    (outer,) = [m for m in good.models if m.model.name == "model"]
    assert outer.status == "exact"
    ok = tmp_path / "ok.py"
    ok.write_text(BRANCH_AFTER_REJECTED.format(padding="same") + "print('total', model.count_params())\n",
                  encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ok)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"total {outer.total}" in proc.stdout


_DICT_LAYER = (HEADER + "class Pair(layers.Layer):\n"
               "    def __init__(self, **kw):\n        super().__init__(**kw)\n        self.d = layers.Dense(3)\n"
               "    def call(self, inputs):\n        return self.d(inputs['a'])\n"
               "a = keras.Input((4,), name='a')\nb = keras.Input((2,), name='b')\n")


@pytest.mark.parametrize("given, why", [
    ("{'a': a, 'b': b}", None),
    ("{'a': a, 'b': 3}", "called on a dict that is not of known tensors"),
    ("{'a': a, 1: b}", "called on a dict that is not of known tensors"),
    ("{'a': a, 'b': thing}", "called on a dict that is not of known tensors"),
    ("{'a': a, 'b': load()}", "called on a dict that is not of known tensors"),
])
def test_custom_layer_called_on_a_dict(given, why):
    # a dict of tensors is the node's inputs in sorted-key order (fixtures/custom/dict_inputs_outputs.py); a dict
    # holding anything else leaves the model unknown, saying why
    model = _model(_DICT_LAYER + f"from mystery import thing, load\nout = Pair(name='pair')({given})\nmodel = keras.Model([a, b], out)\n")
    if why is None:
        # the same as the layer's Dense on `a` alone (fixtures/custom/dict_inputs_outputs.py checks dicts with Keras)
        plain = _model(HEADER + "a = keras.Input((4,), name='a')\nmodel = keras.Model(a, layers.Dense(3)(a))\n")
        assert model.status == "exact" and model.total == plain.total
    else:
        assert model.status == "unknown" and any(why in r for r in model.reasons), model.reasons


def test_layer_made_in_call_of_an_unknown_custom_layer_uses_up_names():
    # Keras runs Block's call (twice: build, then the symbolic call), making two Multiply layers; the analysis does
    # not run it (the block is not known: it keeps a width read from a file), so the later Multiply's name is not
    # known either: real Keras 3.15 names it multiply_2 (campaign --programs --seed 3303, program 570), never
    # `multiply`.
    src = HEADER + (
        "import json\nsizes = [json.load(open('settings.json'))['width']]\nwidth = sizes[0]\n"
        "class Block(layers.Layer):\n    def __init__(self, width, gated=False, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.width = width\n        self.gated = gated\n"
        "        self.inner = layers.Dense(width)\n        self.gate = layers.Dense(4)\n"
        "    def build(self, input_shape):\n        if not self.gated:\n            self.gate.build(input_shape)\n"
        "        self.inner.build(input_shape)\n"
        "    def call(self, x):\n        y = self.inner(x)\n        y = layers.Multiply()([y, y])\n"
        "        if self.gated:\n            return y + self.gate(x)[..., :1]\n        return y\n"
        "inp = keras.Input((width,))\nblock_model = keras.Model(inp, Block(width, gated=True)(inp))\n"
        "other = keras.Input((3,))\nx = layers.Dense(4)(other)\nmodel = keras.Model(other, layers.Multiply()([x, x]))\n")
    model = _model(src)
    assert model.status == "exact"
    assert _row(model, "Multiply").layer.name == "?"



def _tf_attention() -> str:
    """fixtures/custom/attention_swapped_keys.py (real Keras's numbers) as TensorFlow's transformer tutorial
    writes it: tf.matmul(q, k, transpose_b=True) for the matmul with the keys' last two axes swapped, tf.cast
    of a size of the keys' shape, tf.reshape and tf.transpose."""
    from pathlib import Path

    src = (Path(__file__).resolve().parent.parent / "fixtures/custom/attention_swapped_keys.py").read_text()
    for old, new in (("from keras import layers, ops\n", "from keras import layers, ops\nimport tensorflow as tf\n"),
                     ("ops.matmul(q, ops.swapaxes(k, -1, -2))", "tf.matmul(q, k, transpose_b=True)"),
                     ('ops.sqrt(ops.cast(ops.shape(k)[-1], "float32"))',
                      "tf.math.sqrt(tf.cast(tf.shape(k)[-1], tf.float32))"),
                     ("ops.softmax(", "tf.nn.softmax("), ("ops.matmul(weights, v)", "tf.matmul(weights, v)"),
                     ("ops.reshape(", "tf.reshape("), ("ops.transpose(", "tf.transpose("),
                     ("ops.shape(x)[0]", "tf.shape(x)[0]"), ("classifier = ", "model = ")):
        assert old in src, old
        src = src.replace(old, new)
    assert "ops." not in src.split("import keras\n", 1)[1].replace("from keras import layers, ops", "")
    return src


def test_tensorflow_tutorial_attention_with_transposed_keys():
    # TensorFlow's transformer tutorial (hold-out 53: WarFW's TextSelfAtt): tf.matmul(q, k, transpose_b=True) is
    # matmul with k's last two axes swapped, dk = tf.cast(tf.shape(k)[-1], tf.float32) a scalar tensor. The same
    # layer in keras.ops, fixtures/custom/attention_swapped_keys.py, has real Keras's numbers: heads_attention
    # 4,224 params, (None, 12, 32); the model 13,923.
    tf_attention = _tf_attention()
    model = _model(tf_attention)
    row = _row(model, "HeadsAttention")
    assert (row.output_shape, row.params, model.total, model.status) == ((None, 12, 32), 4224, 13923, "exact")
    # a flag the analysis does not know is not followed
    model = _model(tf_attention.replace("transpose_b=True", "transpose_b=os.environ.get('T') == '1'")
                   .replace("import tensorflow as tf", "import os\nimport tensorflow as tf"))
    assert model.total is None and model.status == "unknown"


def test_tensorflow_matmul_with_transposed_first_operand():
    # tf.matmul(a, b, transpose_a=True) multiplies a's matrices transposed: (.., 4, 6)^T x (.., 4, 6) is (.., 6, 6)
    src = HEADER + """
import tensorflow as tf


class Gram(layers.Layer):
    def call(self, x):
        return tf.matmul(x, x, transpose_a=True)


inp = keras.Input((10, 4, 6))
model = keras.Model(inp, Gram()(inp))
"""
    model = _model(src)
    assert (_row(model, "Gram").output_shape, model.status) == ((None, 10, 6, 6), "exact")
    # outside a traced call (on the model's own tensors) it is not followed
    top = HEADER + "import tensorflow as tf\ninp = keras.Input((10, 4, 6))\n" \
        "model = keras.Model(inp, tf.matmul(inp, inp, transpose_a=True))\n"
    assert _model(top).total is None


def test_add_weight_keywords_keras_does_not_take():
    # A misspelt keyword (`initiallsizer=`) or a tf.keras 2 one (`use_resource=`): Keras 3 raises TypeError in build.
    for extra in (", initiallsizer='zeros'", ", use_resource=True"):
        model = _model(SCALE.format(extra=extra, body="x * self.g", more=""))
        assert model.total is None
        assert "Keras rejects it: add_weight() takes no" in " ".join(model.reasons)
    fine = _model(SCALE.format(extra=", initializer='zeros', trainable=False, name='g'", body="x * self.g", more=""))
    assert fine.total == 5 and fine.non_trainable == 5


@pytest.mark.keras
def test_add_weight_keywords_are_keras_own():
    from test_catalogue_keras import keras_probe

    from kerascount.extract.classes import _ADD_WEIGHT_KEYWORDS

    probe = ("import inspect, json, keras\n"
             "sig = inspect.signature(keras.layers.Layer.add_weight)\n"
             "print(json.dumps([p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]))\n")
    assert list(_ADD_WEIGHT_KEYWORDS) == keras_probe(probe, None)


_INIT_WEIGHTS = HEADER + """
class Linear(layers.Layer):
    def __init__(self, n_in, n_out, **kw):
        super().__init__(**kw)
        self.w = self.add_weight(shape=(n_in, n_out), initializer="random_normal")
        self.b = self.add_weight(shape=(n_out,), initializer="zeros", trainable=False)

    def call(self, x):
        return ops.matmul(x, self.w) + self.b


class Scale(layers.Layer):
    def build(self, shape):
        self.s = self.add_weight(shape=(shape[-1],))

    def call(self, x):
        return x * self.s
"""
#: Unbuilt models whose layers already hold weights their ``__init__`` made (a TensorFlow-guide custom layer, a Q
#: network's linear layers): Keras's summary shows each such layer "0 (unbuilt)" but counts its variables.
UNBUILT_HOLDING = {
    "sequential": _INIT_WEIGHTS + "model = keras.Sequential([Linear(3, 2), Scale(), layers.Dense(4)])\n",
    "subclassed": _INIT_WEIGHTS + (
        "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
        "        self.emb = layers.Embedding(500, 4)\n        self.l1 = Linear(4, 50)\n"
        "        self.l2 = Linear(50, 6, trainable=False)\n"
        "        self.g = self.add_weight(shape=(6,), initializer='ones')\n"
        "    def call(self, x):\n        return self.l2(self.l1(self.emb(x))) * self.g\n"
        "model = Net()\n"),
    "build only": _INIT_WEIGHTS + "model = keras.Sequential([Scale(), layers.Dense(4)])\n",
}


def test_an_unbuilt_model_counts_the_weights_its_layers_made_when_they_were_made():
    from kerascount.report.text import _totals_shown
    from test_catalogue_keras import keras_probe

    probe = ("import json, sys, numpy as np\n"
             "out = {}\n"
             "for name, src in json.loads(sys.argv[1]).items():\n"
             "    scope = {}\n"
             "    exec(src, scope)\n"
             "    m = scope['model']\n"
             "    n = lambda ws: int(sum(np.prod(w.shape) for w in ws))\n"
             "    out[name] = [m.built, n(m.weights), n(m.trainable_weights), n(m.non_trainable_weights)]\n"
             "print(json.dumps(out))\n")
    truth = keras_probe(probe, UNBUILT_HOLDING)
    for name, src in UNBUILT_HOLDING.items():
        model = _model(src)
        built, *counts = truth[name]
        assert not built and model.status == "unbuilt", name
        assert list(_totals_shown(model)) == counts, (name, counts)
        # its own totals (the JSON's) stay None: Keras has not built it (keras_truth records none either)
        assert (model.total, model.trainable, model.non_trainable) == (None, None, None), name
