"""Keras 1/2 code is read with its own semantics and gives the numbers of its Keras 3 rewrite.

Each ``fixtures/legacy/NAME_keras1.py`` cannot run on Keras 3; ``NAME_keras3.py`` is its line-for-line
rewrite, whose truth comes from real Keras. kerascount must report the same models for both.
"""

from __future__ import annotations

import json

import pytest
from test_fixtures import REPO_ROOT, compare_models, load_truth

from kerascount.api import analyze_source
from kerascount.report import json_

def _reads_like_truth(src: str, path: str) -> None:
    """kerascount's models for ``src`` are those of the truth of the fixture ``path``."""
    report = analyze_source(src, "k2.py")
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    problems = compare_models(load_truth(path)["models"], got)
    assert not problems, "\n".join(problems)


PAIRS = sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "fixtures/legacy").glob("*_keras1.py"))


@pytest.mark.parametrize("path", PAIRS)
def test_keras1_reads_like_its_rewrite(path):
    rewrite = path.replace("_keras1.py", "_keras3.py")
    report = analyze_source((REPO_ROOT / path).read_text(), path)
    assert report.internal_error is None
    assert not [d for d in report.diagnostics if d.severity == "error"], report.diagnostics
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    problems = compare_models(load_truth(rewrite)["models"], got)
    assert not problems, "\n".join(problems)


def test_keras3_reading_without_keras1_names():
    # Without Keras 1 names, Conv2D(32, 3, 3) is read as Keras 3 reads it: strides=3.
    src = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, 3, 3)])\n"
    m = analyze_source(src, "m.py").models[0]
    legacy = src.replace("Conv2D(32, 3, 3)", "Convolution2D(32, 3, 3, border_mode='valid')")
    m1 = analyze_source(legacy, "m.py").models[0]
    assert m.rows[0].params == m1.rows[0].params  # same kernel: 3x3x3x32 + 32 either way
    assert m.rows[0].output_shape != m1.rows[0].output_shape  # strides 3 vs 1


MERGE = ("from keras.layers import Input, merge\nfrom keras.models import Model\n"
         "a = Input(shape=(4,))\nb = Input(shape=(4,))\nmodel = Model([a, b], merge([a, b], {how}))\n")


@pytest.mark.parametrize("how, why", [
    # Keras 1 did not infer the output shape of a function mode: output_shape= is needed.
    ("mode=lambda p: p[0] * p[1]", "no `output_shape=`"),
    ("mode='outer'", "mode 'outer'"),
    ("mode='sum', node_indices=[0, 0]", "node_indices"),
    # Keras 1 raised on inputs of different shapes in sum/mul/ave/max (Keras 3's Add broadcasts them).
    ("mode='sum'", "one known shape"),
])
def test_keras1_merge_not_followed_is_unknown_with_reason(how, why):
    src = MERGE.format(how=how)
    if why == "one known shape":
        src = src.replace("b = Input(shape=(4,))", "b = Input(shape=(1,))")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any(why in r for r in model.reasons), model.reasons


def test_keras1_merge_is_the_keras3_layer_of_its_mode():
    # mode="concat" with concat_axis is Concatenate(axis=...); "cos" has the shape of "dot" (Keras 1's get_output_shape_for).
    rows = analyze_source(MERGE.format(how="mode='concat', concat_axis=1"), "m.py").models[0].rows
    assert [(r.layer.type, r.output_shape) for r in rows][-1] == ("Concatenate", (None, 8))
    dot = analyze_source(MERGE.format(how="mode='dot', dot_axes=1"), "m.py").models[0].rows[-1]
    cos = analyze_source(MERGE.format(how="mode='cos', dot_axes=1"), "m.py").models[0].rows[-1]
    assert (dot.layer.type, dot.output_shape) == (cos.layer.type, cos.output_shape) == ("Dot", (None, 1))


def test_keras2_backend_and_tensorflow_in_lambda_bodies_read_like_keras_ops():
    # fixtures/ops/lambda_backend_ops.py (truth from Keras 3) with Keras 2's K.* and TensorFlow's names, which
    # Keras 3 cannot run: the same shapes (K.concatenate and K.expand_dims on the last axis by default).
    path = "fixtures/ops/lambda_backend_ops.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("from keras import layers, ops", "from keras import layers, backend as K; import tensorflow as tf"),
                     ("keras.random.normal(", "K.random_normal("), ("ops.shape(", "K.shape("),
                     ("ops.exp(", "K.exp("), ("ops.sum(", "K.sum("), ("ops.mean(", "tf.reduce_mean("),
                     ("ops.concatenate([x, ops.square(x)], axis=-1)", "K.concatenate([x, K.square(x)])"), ("ops.expand_dims(x, -1)", "K.expand_dims(x)"),
                     ("ops.normalize(", "tf.nn.l2_normalize("), ("ops.max(", "tf.reduce_max("),
                     ("ops.sqrt(", "K.sqrt("), ("ops.maximum(", "K.maximum("), ("ops.square(", "K.square("),
                     ("1e-07", "K.epsilon()")):
        assert old in src, old
        src = src.replace(old, new)
    assert "ops." not in src.split("import tensorflow as tf\n", 1)[1]
    report = analyze_source(src, "k2.py")
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    problems = compare_models(load_truth(path)["models"], got)
    assert not problems, "\n".join(problems)


def test_keras2_resize_images_permute_and_not_equal_read_like_their_keras3_twins():
    # fixtures/ops/lambda_resize_activation.py (truth from Keras 3) with Keras 2's K.resize_images (the static
    # height and width times the factors), K.permute_dimensions and K.not_equal.
    path = "fixtures/ops/lambda_resize_activation.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("from keras import layers, ops", "from keras import layers, ops, backend as K"),
                     ('ops.image.resize(x, size, interpolation="bilinear", data_format=fmt)',
                      'K.resize_images(x, factors[0], factors[1], fmt, interpolation="bilinear")'),
                     ("ops.transpose(", "K.permute_dimensions("), ("ops.not_equal(", "K.not_equal(")):
        assert old in src, old
        src = src.replace(old, new)
    _reads_like_truth(src, path)


@pytest.mark.parametrize("call, why", [
    ("K.resize_images(x, 2, 2, 'channels_last')", "height, width or factors are not known"),  # height None
    ("K.resize_images(x, 2, 2)", "not followed for these arguments"),  # Keras 2 requires data_format
    ("K.resize_images(x, 2, 2, 'channels_last', interpolation='area')", "not followed for these arguments"),
    ("K.resize_images(x, 1.5, 2, 'channels_last')", "height, width or factors are not known"),
])
def test_keras2_resize_images_stays_unknown_where_its_shape_is_not_known(call, why):
    src = ("import keras\nfrom keras import layers, backend as K\nx = keras.Input((None, 8, 3))\n"
           f"model = keras.Model(x, layers.Dense(2)(layers.Lambda(lambda x: {call})(x)))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any(why in r for r in model.reasons), model.reasons


def test_lambda_reason_names_what_its_body_calls():
    src = ("import keras\nimport tensorflow as tf\nfrom keras import layers\nx = keras.Input((8, 8, 3))\n"
           "model = keras.Model(x, layers.Lambda(lambda t: tf.space_to_depth(t, 2))(x))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any("`tensorflow.space_to_depth`" in r for r in model.reasons), model.reasons
    src = ("import keras\nfrom keras import layers, ops\nx = keras.Input((8, 3))\n"
           "model = keras.Model(x, layers.Lambda(lambda t: [t, t])(x))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any("does not return one tensor" in r for r in model.reasons), model.reasons


def test_backend_functions_outside_a_lambda_body_are_not_read_as_operations():
    src = ("import keras\nfrom keras import backend as K\nx = keras.Input((4, 3))\n"
           "model = keras.Model(x, K.sum(x, axis=1))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and model.reasons


def test_lambda_in_a_sequential_without_input_stays_unbuilt():
    # Keras builds (and traces) nothing before the first call or build: no shape is made up.
    src = ("import keras\nfrom keras import layers, backend as K\n"
           "model = keras.Sequential([layers.Lambda(lambda x: K.sum(x, axis=1)), layers.Dense(2)])\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and model.status in ("unbuilt", "unknown")


@pytest.mark.parametrize("module", ["keras.engine.topology", "keras.engine", "keras.engine.base_layer"])
def test_keras2_engine_layer_and_input_read_like_keras_layers(module):
    # fixtures/custom/build_weights.py (truth from Keras 3) with Layer and Input imported from Keras 1/2's
    # keras.engine modules, where Keras 1 and 2 exported them (Keras 3 has no keras.engine).
    path = "fixtures/custom/build_weights.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("from keras import layers", f"from keras import layers; from {module} import Layer"
                      + (", Input" if module != "keras.engine.base_layer" else "")),
                     ("(keras.layers.Layer)", "(Layer)"),
                     ("keras.Input(", "Input(" if module != "keras.engine.base_layer" else "keras.Input(")):
        assert old in src, old
        src = src.replace(old, new)
    _reads_like_truth(src, path)


def test_tensorflow_functions_in_a_layers_call_read_like_keras_ops():
    # fixtures/custom/open_length_positions.py (truth from Keras 3) with TensorFlow's functions in the layers'
    # call, which the TensorFlow backend traces with TensorFlow tensors: tf.shape(x)[-1] is a size known when the
    # model runs, tf.range up to it a vector of open length; tf.matmul and tf.reduce_mean have keras.ops's shapes.
    path = "fixtures/custom/open_length_positions.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("from keras import layers, ops", "from keras import layers, ops; import tensorflow as tf"),
                     ("length = ops.shape(ids)[-1]", "length = tf.shape(ids)[-1]"),
                     ("ops.arange(0, length, 1)", "tf.range(start=0, limit=length, delta=1)"),
                     ("ops.matmul(x, self.w)", "tf.matmul(x, self.w)"),
                     ("ops.mean(h, axis=-1, keepdims=True)", "tf.reduce_mean(h, axis=-1, keepdims=True)")):
        assert old in src, old
        src = src.replace(old, new)
    _reads_like_truth(src, path)


@pytest.mark.parametrize("division", [
    "tf.divide(tf.cast(pixels, tf.float32), tf.constant(255.0))",
    "tf.math.divide(tf.cast(pixels, tf.float32), 255.0)",
    "tf.math.truediv(tf.cast(pixels, tf.float32), tf.constant(255, dtype=tf.float32))",
    "tf.cast(pixels, tf.float32) / tf.convert_to_tensor(255.0)",
])
def test_tensorflow_division_and_scalar_constants_in_a_models_call_read_like_keras_ops(division):
    # fixtures/subclassed/hold41_target_network_sync.py (truth from Keras 3) with an Atari DQN's scaling of its
    # pixels written with TensorFlow (hold-out 41): tf.divide/truediv broadcast as keras.ops.divide, and a
    # scalar tf.constant is read as its number (the shape of the result is the same).
    path = "fixtures/subclassed/hold41_target_network_sync.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("import keras\n", "import keras; import tensorflow as tf\n"),
                     ('keras.ops.cast(pixels, "float32") / 255.0', division)):
        assert old in src, old
        src = src.replace(old, new)
    _reads_like_truth(src, path)


def test_a_tensorflow_constant_of_a_shape_in_a_call_stays_unknown():
    # tf.constant(0.5, shape=(3,)) fills an array of that shape: not read as the number
    src = ("import keras\nimport tensorflow as tf\nfrom keras import layers\n"
           "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
           "        self.d = layers.Dense(2)\n    def call(self, x):\n"
           "        return self.d(x * tf.constant(0.5, shape=(1, 3)))\n"
           "net = Net()\nnet(keras.ops.zeros((1, 3)))\n")
    (m,) = analyze_source(src, "m.py").models
    assert m.status == "unknown"


@pytest.mark.parametrize("old, new, why", [
    # x.shape[-1] is None in the trace (not a size known when the model runs): not followed
    ("length = ops.shape(ids)[-1]", "length = ids.shape[-1]", "None in the shape"),
    # TensorFlow's matmul takes no vector (Keras's does): not followed on a rank-1 operand
    ("ops.matmul(x, self.w)", "tf.matmul(x, self.b)", "rank 2 or more"),
    ("ops.matmul(x, self.w)", "tf.matmul(x, self.w, a_is_sparse=True)", "arguments not followed"),
    # transpose_b=True multiplies by w's transpose, (units, width): its inner size is not x's last (Keras rejects)
    ("ops.matmul(x, self.w)", "tf.matmul(x, self.w, transpose_b=True)", "the output of a layer Keras rejects"),
])
def test_tensorflow_functions_in_a_call_not_followed_stay_unknown(old, new, why):
    src = (REPO_ROOT / "fixtures/custom/open_length_positions.py").read_text()
    src = src.replace("from keras import layers, ops", "from keras import layers, ops; import tensorflow as tf")
    assert old in src, old
    model = analyze_source(src.replace(old, new), "m.py").models[0]
    assert model.total is None and any(why in r for r in model.reasons), model.reasons


def test_tensorflow_function_on_a_functional_models_tensor_is_rejected_by_keras3():
    src = ("import tensorflow as tf\nfrom tensorflow import keras\nx = keras.Input((4,))\n"
           "model = keras.Model(x, keras.layers.Dense(2)(tf.square(x)))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any("Keras 3 rejects a TensorFlow function" in r for r in model.reasons)


def test_tensorflow_function_of_a_list_of_a_functional_models_tensors_is_rejected_by_keras3():
    # (tf.concat leaves the list it is given as it is: its tensors are still the function's arguments)
    src = ("import tensorflow as tf\nfrom tensorflow import keras\n"
           "inputs = {name: keras.Input((1,), name=name) for name in 'abc'}\nfeatures = []\n"
           "for name in 'ab':\n    features.append(inputs[name])\nx = tf.concat(features, axis=1)\n"
           "model = keras.Model(inputs, keras.layers.Dense(2)(x))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and any("Keras 3 rejects a TensorFlow function" in r for r in model.reasons), \
        model.reasons


def test_a_layer_of_a_package_from_outside_the_project_says_where_it_is_imported_from():
    src = ("import tensorflow as tf\nimport tensorflow_addons as tfa\nmodel = tf.keras.Sequential()\n"
           "model.add(tf.keras.layers.Conv2D(4, 3, input_shape=(8, 8, 3)))\n"
           "model.add(tfa.layers.InstanceNormalization())\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None
    assert any("is read from `tfa`, which is imported from `tensorflow_addons`" in r for r in model.reasons), \
        model.reasons


def test_a_layer_from_outside_the_project_called_on_a_list_of_tensors_is_an_unknown_layer_of_both():
    src = ("from tensorflow import keras\nfrom keras_gcn import GraphConv\nnodes = keras.Input((None, 3))\n"
           "edges = keras.Input((None, None), dtype='int32')\nconv = GraphConv(units=2)([nodes, edges])\n"
           "model = keras.Model([nodes, edges], keras.layers.Dense(1)(conv))\n")
    model = analyze_source(src, "m.py").models[0]
    assert model.total is None and model.reasons == (
        "layer `GraphConv` is imported from `keras_gcn`, which is not a module of the analysed project (kerascount "
        "reads no installed package)",), model.reasons
    assert [row.layer.type for row in model.rows][:3] == ["InputLayer", "InputLayer", "GraphConv"]


def test_a_model_of_a_keras2_module_of_the_project_is_read_as_keras2(tmp_path):
    """A script that only calls a model function of its project's module: that module's Keras (here Keras 2, by
    its `keras.utils.data_utils` import) is the one its layers were written for. A '/' in a layer's name, which
    Keras 2 took as a scope, is then a KC404 note, not a KC103 error, and the note is given in the module that builds
    the model (advice on a model another file builds whole is left to that file); with the same module written for
    Keras 3 it stays an error, at the call."""
    from kerascount import project

    body = ("def build():\n    x = layers.Input((8,))\n"
            "    return models.Model(x, layers.Dense(4, name='fc6/relu')(x))\n")
    script = "from keras_helpers import build\nmodel = build()\n"  # (it never names Keras: read through its import)
    for head, code in (("from keras import layers, models\nfrom keras.utils.data_utils import get_file\n", "KC404"),
                       ("from keras import layers, models, ops\n", "KC103")):
        folder = tmp_path / code
        folder.mkdir()
        (folder / "keras_helpers.py").write_text(head + body)
        (folder / "train.py").write_text(script)
        project.new_run([str(folder)])
        try:
            report = analyze_source(script, str(folder / "train.py"))
            helpers = analyze_source(head + body, str(folder / "keras_helpers.py"))
        finally:
            project.new_run()
        codes = {d.code for d in report.diagnostics if d.code in ("KC103", "KC404")}
        assert codes == ({code} if code == "KC103" else set()), report.diagnostics
        assert any(d.code == code and "fc6/relu" in d.message for d in helpers.diagnostics), helpers.diagnostics


def test_keras1_file_reads_its_bare_kernel_pair_calls_as_keras1():
    # In a file written for Keras 1, Convolution2D(16, 3, 3) is 3x3 with strides 1 (fixtures/legacy/kernel_pair_*);
    # the same file importing Keras through TensorFlow (tf.keras never read Keras 1 arguments) is read as Keras 3 reads
    # it: strides 3.
    src = (REPO_ROOT / "fixtures/legacy/kernel_pair_keras1.py").read_text()
    (m,) = analyze_source(src, "k1.py").models
    assert [r.output_shape for r in m.rows][:2] == [(None, 20, 20, 16), (None, 18, 18, 16)]
    tf_src = src.replace("from keras.", "from tensorflow.keras.")
    (t,) = analyze_source(tf_src, "tf.py").models
    assert t.rows[1].output_shape == (None, 6, 6, 16)
    plain = src.replace('border_mode="same"', 'padding="same"')  # no Keras 1 keyword left: Keras 3's reading
    (p,) = analyze_source(plain, "p.py").models
    assert [r.output_shape for r in p.rows][:2] == [(None, 7, 7, 16), (None, 2, 2, 16)]


def test_tensorflow_imported_for_its_session_leaves_a_file_keras1s():
    # fixtures/legacy/kernel_pair_tf_backend_*: Keras 1 on the TensorFlow backend imports TensorFlow itself (for the
    # session) and Keras from `keras`: its bare Convolution2D(24, 3, 3) is 3x3 with strides 1 (the pair test compares
    # it with Keras). Keras reached through TensorFlow, by import or by attribute, is tf.keras, which never read
    # Keras 1 arguments: there the call is read as Keras 3 reads it, strides 3.
    src = (REPO_ROOT / "fixtures/legacy/kernel_pair_tf_backend_keras1.py").read_text()
    (m,) = analyze_source(src, "k1.py").models
    assert m.rows[2].output_shape == (None, 4, 4, 24)
    variants = [src.replace("from keras.", "from tensorflow.keras."),
                src.replace("from keras import backend", "from tensorflow.keras import backend"),
                src.replace("import tensorflow as tf\n", "import tensorflow as tf\nkeras = tf.keras\n"),
                src.replace("import tensorflow as tf\n", "import tensorflow.compat.v1 as tf1\nK0 = tf1.keras.backend\n"),
                src.replace("import tensorflow as tf\n", "import tensorflow as tf\nimport tf_keras\n")]
    for variant in variants:
        assert variant != src
        (t,) = analyze_source(variant, "tf.py").models
        assert t.rows[2].output_shape == (None, 2, 2, 24), variant


def test_bare_input_dim_of_a_sequence_layer_is_keras1s_only_in_a_keras1_file():
    # fixtures/legacy/sequence_dim_bare_*: in a file with fit(nb_epoch=), LSTM(5, input_dim=3) reads sequences of 3
    # features (a KC404 note, no error); the same lines with epochs=, or importing Keras through TensorFlow, are read
    # as Keras 3 reads them: input_dim makes the flat (3,), which the LSTM rejects (KC104).
    src = (REPO_ROOT / "fixtures/legacy/sequence_dim_bare_keras1.py").read_text()
    k1 = analyze_source(src, "k1.py")
    assert [m.total for m in k1.models] == [186, 438, 85]
    # (Keras 3 accepts input_dim and makes it the whole input shape: the note says so, not that Keras rejects it)
    notes = [d.message for d in k1.diagnostics if d.code == "KC404" and "input_dim" in d.message]
    assert len(notes) == 3 and all("which Keras 3 reads otherwise: input_dim → input_shape=(None, input_dim)" in n
                                   for n in notes), notes
    for variant in (src.replace("nb_epoch=", "epochs="), src.replace("from keras.", "from tensorflow.keras.")):
        report = analyze_source(variant, "k3.py")
        assert [m.total for m in report.models] == [None, None, None], report.models
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC104"] * 3, report.diagnostics


def test_keras2_layer_module_import_does_not_send_names_keras3_lacks_to_keras_layers():
    # `from keras.layers.recurrent import Recurrent`: the module is gone, and so is the class; the advice to
    # import it from keras.layers would fail too, and no fix rewrites that import.
    from kerascount.api import analyze_source
    from kerascount.config import Config

    source = ("from keras.layers.recurrent import Recurrent\n"
              "from keras.layers.recurrent import GRU, Recurrent\n"
              "from keras.layers.recurrent import LSTM\n")
    report = analyze_source(source, "old.py", Config(select=("KC404",)))
    found = {d.span.line: d for d in report.diagnostics}
    assert "import Recurrent from keras.layers" not in found[1].message
    assert "keras.layers has no `Recurrent`" in found[1].message and found[1].fix is None
    assert "import GRU from keras.layers" in found[2].message and "no `Recurrent`" in found[2].message
    assert found[2].fix is None
    assert "import LSTM from keras.layers" in found[3].message and found[3].fix is not None


@pytest.mark.keras
def test_the_layer_names_kc404_calls_gone_are_not_in_keras3():
    import json
    import os
    import subprocess
    import sys

    from kerascount.rules.legacy_api import _LAYERS_GONE

    probe = "import json, sys, keras; print(json.dumps([n for n in json.loads(sys.argv[1]) if hasattr(keras.layers, n)]))"
    proc = subprocess.run([sys.executable, "-c", probe, json.dumps(sorted(_LAYERS_GONE))], capture_output=True,
                          text=True, env=dict(os.environ, KERAS_BACKEND="numpy"), timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"`import keras` fails: {proc.stderr.strip().splitlines()[-1:]}")
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


_KERAS2_CODE_MODULES = ("from keras.initializers.initializers_v2 import GlorotUniform, HeNormal\n"
                        "from keras.backend.tensorflow_backend import set_session\n"
                        "from keras.callbacks.callbacks import EarlyStopping\n"
                        "from keras.optimizers.optimizer_v2.adam import Adam\n"
                        "from keras.layers.normalization.batch_normalization import BatchNormalization\n"
                        "from keras.optimizers.schedules import ExponentialDecay\n"
                        "from keras.regularizers import L2\n")


def test_keras2_modules_under_keras3_modules_without_submodules_are_noted():
    # Hold-out 72 (a signature-verification project): `from keras.initializers.initializers_v2 import ...`, tf.keras
    # 2's module of the initializers, fails in Keras 3 (ModuleNotFoundError), and nothing said so.
    from kerascount.config import Config
    from kerascount.fix import apply_fixes

    report = analyze_source(_KERAS2_CODE_MODULES, "old.py", Config(select=("KC404",)))
    found = {d.span.line: d for d in report.diagnostics}
    assert sorted(found) == [1, 2, 3, 4, 5], found
    assert "import GlorotUniform, HeNormal from keras.initializers" in found[1].message and found[1].fix is not None
    for line, home in ((2, "keras.backend"), (3, "keras.callbacks"), (4, "keras.optimizers")):
        assert f"import what Keras 3 keeps of it from {home}" in found[line].message and found[line].fix is None
    assert "import BatchNormalization from keras.layers" in found[5].message and found[5].fix is not None
    fixed = apply_fixes(_KERAS2_CODE_MODULES, [found[1], found[5]])[0]
    assert fixed.splitlines()[0] == "from keras.initializers import GlorotUniform, HeNormal"
    assert fixed.splitlines()[4] == "from keras.layers import BatchNormalization"


@pytest.mark.keras
def test_the_keras2_modules_kc404_notes_fail_in_keras3_and_the_fixed_imports_do_not():
    import os
    import subprocess
    import sys

    from kerascount.rules.legacy_api import _KEPT_NAMES

    probe = ("import json, sys, importlib, keras\n"
             "failed = []\n"
             "for line in sys.argv[1].splitlines():\n"
             "    try:\n"
             "        exec(line, {})\n"
             "    except ImportError:\n"
             "        failed.append(line.split()[1])\n"
             "kept = {m: sorted(n for n in names if not hasattr(getattr(keras, m), n))\n"
             "        for m, names in json.loads(sys.argv[2]).items()}\n"
             "print(json.dumps([failed, kept]))\n")
    kept = {module: sorted(names) for module, names in _KEPT_NAMES.items()}
    proc = subprocess.run([sys.executable, "-c", probe, _KERAS2_CODE_MODULES, json.dumps(kept)], capture_output=True,
                          text=True, env=dict(os.environ, KERAS_BACKEND="numpy"), timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"`import keras` fails: {proc.stderr.strip().splitlines()[-1:]}")
    failed, missing = json.loads(proc.stdout.strip().splitlines()[-1])
    assert failed == ["keras.initializers.initializers_v2", "keras.backend.tensorflow_backend",
                      "keras.callbacks.callbacks", "keras.optimizers.optimizer_v2.adam",
                      "keras.layers.normalization.batch_normalization"]
    assert missing == {module: [] for module in _KEPT_NAMES}


def test_keras2_constraint_aliases_are_noted_with_their_keras3_names():
    # Hold-out 14 (a book's CIFAR-10 examples): `from keras.constraints import maxnorm` fails in Keras 3.
    from kerascount.config import Config

    source = ("from keras.constraints import maxnorm\nfrom keras.constraints import unitnorm, max_norm\n"
              "from keras.constraints import MaxNorm, non_neg\n")
    report = analyze_source(source, "old.py", Config(select=("KC404",)))
    found = {d.span.line: d.message for d in report.diagnostics}
    assert sorted(found) == [1, 2], found
    assert "no `maxnorm`" in found[1] and "keras.constraints.max_norm" in found[1]
    assert "no `unitnorm`" in found[2] and "max_norm`" not in found[2]


@pytest.mark.keras
def test_the_constraint_aliases_kc404_calls_gone_are_not_in_keras3_and_their_advice_is():
    import os
    import subprocess
    import sys

    from kerascount.rules.legacy_api import _GONE

    pairs = sorted((old, advice.split("keras.constraints.")[1].split()[0]) for (module, old), advice in _GONE.items()
                   if module == "keras.constraints")
    assert [old for old, _ in pairs] == ["maxnorm", "nonneg", "unitnorm"]
    probe = "import json, sys, keras; print(json.dumps([[hasattr(keras.constraints, a), hasattr(keras.constraints, b)] " \
            "for a, b in json.loads(sys.argv[1])]))"
    proc = subprocess.run([sys.executable, "-c", probe, json.dumps(pairs)], capture_output=True, text=True,
                          env=dict(os.environ, KERAS_BACKEND="numpy"), timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"`import keras` fails: {proc.stderr.strip().splitlines()[-1:]}")
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [[False, True]] * 3


@pytest.mark.parametrize("method, error", [("add_metric", "NotImplementedError"), ("add_update", "AttributeError")])
def test_a_tf_keras2_layer_method_in_a_custom_layers_call_leaves_the_model_unknown(method, error):
    """Keras 3 dropped tf.keras 2's Layer.add_update (and keeps add_metric only to raise): the call Keras traces when
    the layer is called on the model's tensors raises, so the model is never built (tests/test_catalogue_keras.py
    checks the table against Keras)."""
    src = ("import keras\nfrom keras import layers\n\nclass Scored(layers.Layer):\n    def call(self, x):\n"
           f"        self.{method}(x)\n        return x\n\n"
           "inputs = keras.Input((12,))\nmodel = keras.Model(inputs, Scored()(layers.Dense(3)(inputs)))\n")
    report = analyze_source(src)
    (model,) = report.models
    assert model.status == "unknown" and model.total is None
    assert any(f"Scored.call() raises {error}: `self.{method}`" in r for r in model.reasons)
    (found,) = [d for d in report.diagnostics if d.code == "KC404"]
    assert found.span.line == 6 and f"`{method}`" in found.message
    # under `try`, the exception is handled: the layer returns its input, as Keras's trace does
    guarded = src.replace(f"        self.{method}(x)\n", f"        try:\n            self.{method}(x)\n"
                          "        except Exception:\n            pass\n")
    (model,) = analyze_source(guarded).models
    plain = analyze_source(src.replace(f"        self.{method}(x)\n", "")).models[0]
    assert (model.status, model.total) == ("exact", plain.total) and plain.status == "exact"


def test_input_from_keras_models_is_keras2s_input_with_a_note():
    # Standalone Keras 2's keras.models re-exported Input (`from keras.models import Model, Input`); Keras 3's
    # keras.models has none, so the import fails there: a KC404 note, and the model is read as Keras 2 built it.
    src = ("from keras.models import Model, Input\nfrom keras.layers import Dense\n"
           "x = Input(shape=(6,))\nmodel = Model(x, Dense(3)(x))\n")
    report = analyze_source(src, "m.py")
    assert report.models[0].total == 21
    notes = [d for d in report.diagnostics if d.code == "KC404" and "keras.models has no `Input`" in d.message]
    assert len(notes) == 1 and notes[0].span.line == 1, report.diagnostics


MOBILENET_21 = ("from keras.layers import Input, Conv2D, Activation\nfrom keras.models import Model\n"
                "from keras.applications.mobilenet import relu6, DepthwiseConv2D\n"
                "inp = Input((32, 32, 3))\nx = Activation(relu6)(Conv2D(8, 3, padding='same')(inp))\n"
                "x = Activation(relu6)(DepthwiseConv2D((3, 3), padding='same', name='dw')(x))\nm = Model(inp, x)\n")


def test_depthwise_conv_from_keras_21s_mobilenet_module_is_the_layer_with_a_note():
    # Keras 2.1's keras.applications.mobilenet defined DepthwiseConv2D and relu6, and code of that time imports them
    # from there (a hold-out's SSD-MobileNet, MAGI003769/2017-18-FYP-Object-Detection: "layer DepthwiseConv2D is not
    # in the catalogue yet"); Keras 3's module has neither: a KC404 note, and the layer is read as Keras 2 built it
    report = analyze_source(MOBILENET_21, "m.py")
    (model,) = report.models
    assert model.status == "exact" and model.total == 304, model.reasons
    assert [(r.layer.name, r.params) for r in model.rows][3] == ("dw", 80)
    (note,) = [d for d in report.diagnostics if d.code == "KC404"]
    assert note.span.line == 3 and "keras.applications.mobilenet has no `relu6`, `DepthwiseConv2D`" in note.message


@pytest.mark.keras
def test_keras_gives_the_mobilenet_numbers_with_the_layer_imported_from_keras_layers():
    from test_catalogue_keras import keras_probe

    probe = ("import json, sys\nimport keras\ng = {}\nexec(json.loads(sys.argv[1]), g)\n"
             "print(json.dumps([g['m'].count_params(), [l.count_params() for l in g['m'].layers]]))\n")
    equivalent = MOBILENET_21.replace("from keras.applications.mobilenet import relu6, DepthwiseConv2D\n",
                                      "from keras.layers import DepthwiseConv2D\nfrom keras.activations import relu6\n")
    assert keras_probe(probe, equivalent) == [304, [0, 224, 0, 80, 0]]


@pytest.mark.parametrize("head, code", [
    ("import keras\nfrom keras import layers\n", "KC103"),  # Keras 3 code: Keras raises TypeError, an error
    ("from tensorflow import keras\nfrom tensorflow.keras import layers\n", "KC404"),  # written for tf.keras 2
])
def test_attention_mask_given_by_position_is_a_keras_3_error_or_a_tf_keras_note(head, code):
    # fixtures/errors/attention_mask_by_position.py has Keras 3.15.1's TypeError; tf.keras 2's fourth argument of
    # MultiHeadAttention was attention_mask, where the None was accepted
    src = head + ("x = keras.Input((6, 8))\n"
                  "y = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, x, None)\n"
                  "m = keras.Model(x, y)\n")
    report = analyze_source(src, "attend.py")
    (m,) = report.models
    assert m.status == "unknown" and m.total is None
    found = [d for d in report.diagnostics if d.code in ("KC103", "KC404")]
    assert [d.code for d in found] == [code] and "attention_mask" in found[0].message, report.diagnostics


def test_attention_mask_tensor_or_keyword_by_position_still_builds():
    # Checked with Keras 3.15.1: a tensor as the fourth argument (read as query_mask) builds, 1,088 params; so does
    # attention_mask= given by keyword
    src = ("import keras\nfrom keras import layers\nx = keras.Input((7, 16))\nm = keras.Input((7, 7))\n"
           "a = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x, x, m)\n"
           "first = keras.Model([x, m], a)\n"
           "b = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x, attention_mask=m)\n"
           "second = keras.Model([x, m], b)\n")
    report = analyze_source(src, "attend.py")
    assert [(m.status, m.total) for m in report.models] == [("exact", 1088), ("exact", 1088)]
    assert not [d for d in report.diagnostics if d.code in ("KC103", "KC404")]


@pytest.mark.parametrize("head, call, found", [
    ("import keras\nfrom keras import layers\n", "(x, x, x, m)", ["KC407"]),
    ("import keras\nfrom keras import layers\n", "(x, x, x, None, None, None, m)", []),  # (KC103: the Nones raise)
    ("from tensorflow import keras\nfrom tensorflow.keras import layers\n", "(x, x, x, m)", []),  # tf.keras 2's
    # Keras 3 code that names tf.keras only in its docstring, a comment and a string is still Keras 3 code
    ('"""Ported from tf.keras."""\nimport keras  # was: from tensorflow import keras\nfrom keras import layers\n'
     'print("tf.keras \\" # tf.keras")\n', "(x, x, x, m)", ["KC407"]),
])
def test_positional_attention_mask_rule(head, call, found):
    src = head + ("x = keras.Input((7, 16))\nm = keras.Input((7, 7))\n"
                  f"y = layers.MultiHeadAttention(num_heads=2, key_dim=8){call}\nmodel = keras.Model([x, m], y)\n")
    report = analyze_source(src, "attend.py")
    assert [d.code for d in report.diagnostics if d.code == "KC407"] == found, report.diagnostics


def test_assigning_a_models_outputs_is_a_keras_3_error():
    # Keras 2 code rewired a model so (`vgg.outputs = [vgg.layers[9].output]`, an SRGAN's feature extractor);
    # a Keras 3 model has no setter for `outputs` (nor `inputs`, `output`, `input`, and `layers` is reserved):
    # AttributeError (checked on Keras 3.15: "property 'outputs' of 'Functional' object has no setter"). The
    # script stops there (KC116): the model made before keeps its numbers, none after it is built (before this,
    # the assignment was ignored and the nesting model counted the whole application).
    # (the base's count is real Keras's, from fixtures/applications/resnet50_feature_extractor.py)
    base_total = next(m["total_params"] for m in load_truth("fixtures/applications/resnet50_feature_extractor.py")
                      ["models"] if m["name"] == "base")
    src = ("import keras\nfrom keras import layers\n"
           "base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(200, 300, 3))\n"
           "base.outputs = [base.layers[9].output]\n"
           "img = keras.Input((64, 64, 3))\n"
           "features = keras.Model(img, base(img))\n")
    report = analyze_source(src, "k2.py")
    assert [(m.model.name, m.status, m.total) for m in report.models] == [("base", "exact", base_total)]
    assert [(d.code, d.span.line) for d in report.diagnostics if d.code == "KC116"] == [("KC116", 4)]
    # In a builder nothing calls, the script's stop is not certain: the model is unknown, saying why.
    src = ("import keras\nfrom keras import layers\n"
           "def cut():\n"
           "    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])\n"
           "    seq.outputs = [seq.layers[-2].output]\n"
           "    return seq\n"
           "other = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
           "other.name = 'renamed'\n")
    models = {m.model.name: m for m in analyze_source(src, "k2.py").models}
    assert models["seq"].status == "unknown" and models["seq"].total is None
    assert any("`seq.outputs = ...`: `outputs` of a Keras 3 model is a property without setter" in r
               for r in models["seq"].reasons)
    assert (models["other"].status, models["other"].total) == ("exact", 15)  # a model's name can be set


def test_keras2_dot_bias_add_repeat_elements_and_tf_tensordot_read_like_keras_ops():
    # fixtures/custom/multi_task_experts.py (truth from Keras 3) with the names the mixture-of-experts layers of
    # multi-task recommenders write in a traced call: tf.tensordot, Keras 2's K.bias_add, K.dot (x's last axis
    # times the kernel's second-to-last), K.repeat_elements, K.expand_dims, K.softmax and K.sum.
    path = "fixtures/custom/multi_task_experts.py"
    src = (REPO_ROOT / path).read_text()
    for old, new in (("from keras import layers, ops", "from keras import layers, ops, backend as K; import tensorflow as tf"),
                     ("mixed = ops.tensordot(inputs, self.kernel, axes=1) + self.bias",
                      "mixed = K.bias_add(tf.tensordot(inputs, self.kernel, axes=1), self.bias)"),
                     ("gate = ops.softmax(ops.matmul(inputs, self.gate))", "gate = K.softmax(K.dot(inputs, self.gate))"),
                     ("gate = ops.repeat(ops.expand_dims(gate, 1), self.units, axis=1)",
                      "gate = K.repeat_elements(K.expand_dims(gate, 1), self.units, axis=1)"),
                     ("return ops.sum(mixed * gate, axis=2)", "return K.sum(mixed * gate, axis=2)"),
                     ("per_expert = ops.tensordot(inputs, self.kernel, axes=[[1], [1]])",
                      "per_expert = tf.tensordot(inputs, self.kernel, axes=[[1], [1]])")):
        assert old in src, old
        src = src.replace(old, new)
    _reads_like_truth(src, path)


@pytest.mark.parametrize("call", ["K.dot(x, w3)", "tf.tensordot(x, w3, axes=2)", "K.dot(x, w1)"])
def test_products_of_sizes_that_do_not_agree_in_a_traced_call_are_not_counted(call):
    # the backend computes the product when Keras traces the call, and raises: 8 against 6, a kernel of rank 1
    src = ("import keras\nimport tensorflow as tf\nfrom keras import layers, backend as K\n\n"
           "class Mix(layers.Layer):\n"
           "    def build(self, shape):\n"
           "        self.w3 = self.add_weight(shape=(6, 4, 3))\n"
           "        self.w1 = self.add_weight(shape=(8,))\n"
           "    def call(self, x):\n"
           "        w3, w1 = self.w3, self.w1\n"
           f"        return {call}\n\n"
           "x = keras.Input((8,))\nmodel = keras.Model(x, Mix()(x))\n")
    report = analyze_source(src, "m.py")
    assert [m.status for m in report.models] == ["unknown"]


def test_a_builder_of_a_keras1_module_reads_its_calls_as_that_module_does():
    # Hold-out 58 (fast.ai's utils.py calling its vgg16.py): the calling file has no Keras 1 name, the imported
    # module is written for Keras 1, and its Convolution2D(filters, 3, 3) is a 3x3 kernel there (it was read with
    # the caller's Keras, strides 3: wrong shapes, or a false "Keras rejects it" further on). Truth: the Keras 3
    # rewrite with the builder inlined, built by real Keras.
    path = "fixtures/multifile/keras1_helper_caller.py"
    report = analyze_source((REPO_ROOT / path).read_text(), str(REPO_ROOT / path))
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    problems = compare_models(load_truth("fixtures/legacy/helper_module_keras3.py")["models"], got)
    assert not problems, "\n".join(problems)
