"""The name of the InputLayer Keras makes for a functional model's input that is a layer's output
(``Model(h, f(h))``): ``keras_tensor_N`` + ``CLONE``, N counting the tensors Keras named automatically before
``h`` in the process (infer._clone_name). kerascount counts N only over calls whose count it knows
(the catalogue's specs with the trait ``one_tensor_per_output``, and ``_ONE_TENSOR_OPS``): this checks that list against the installed Keras, and that
anything else leaves N unknown (``keras_tensor_?CLONE``), never a wrong number.

The fixture fixtures/regressions/model_from_layer_output.py has the truth of whole models (and a golden summary).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kerascount import infer
from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

#: A call of each listed class or operation, on one of the inputs PROBE makes.
CALLS = {
    "Dense": "L.Dense(3)(x2)", "EinsumDense": "L.EinsumDense('ab,bc->ac', output_shape=4)(x2)",
    "Conv1D": "L.Conv1D(2, 3)(x3)", "Conv2D": "L.Conv2D(2, 3)(x4)", "Conv3D": "L.Conv3D(2, 3)(x5)",
    "Conv1DTranspose": "L.Conv1DTranspose(2, 3)(x3)", "Conv2DTranspose": "L.Conv2DTranspose(2, 3)(x4)",
    "Conv3DTranspose": "L.Conv3DTranspose(2, 3)(x5)", "SeparableConv1D": "L.SeparableConv1D(2, 3)(x3)",
    "SeparableConv2D": "L.SeparableConv2D(2, 3)(x4)", "DepthwiseConv1D": "L.DepthwiseConv1D(3)(x3)",
    "DepthwiseConv2D": "L.DepthwiseConv2D(3)(x4)", "MaxPooling1D": "L.MaxPooling1D()(x3)",
    "MaxPooling2D": "L.MaxPooling2D()(x4)", "MaxPooling3D": "L.MaxPooling3D()(x5)",
    "AveragePooling1D": "L.AveragePooling1D(2)(x3)", "AveragePooling2D": "L.AveragePooling2D(2)(x4)",
    "AveragePooling3D": "L.AveragePooling3D(2)(x5)", "GlobalMaxPooling1D": "L.GlobalMaxPooling1D()(x3)",
    "GlobalMaxPooling2D": "L.GlobalMaxPooling2D()(x4)", "GlobalMaxPooling3D": "L.GlobalMaxPooling3D()(x5)",
    "GlobalAveragePooling1D": "L.GlobalAveragePooling1D()(x3)",
    "GlobalAveragePooling2D": "L.GlobalAveragePooling2D()(x4)",
    "GlobalAveragePooling3D": "L.GlobalAveragePooling3D()(x5)", "Activation": "L.Activation('relu')(x2)",
    "ReLU": "L.ReLU()(x2)", "LeakyReLU": "L.LeakyReLU()(x2)", "ELU": "L.ELU()(x2)", "Softmax": "L.Softmax()(x2)",
    "PReLU": "L.PReLU()(x2)", "BatchNormalization": "L.BatchNormalization()(x4)",
    "LayerNormalization": "L.LayerNormalization()(x3)", "Dropout": "L.Dropout(0.5)(x2)",
    "SpatialDropout1D": "L.SpatialDropout1D(0.5)(x3)", "SpatialDropout2D": "L.SpatialDropout2D(0.5)(x4)",
    "GaussianNoise": "L.GaussianNoise(0.1)(x2)", "GaussianDropout": "L.GaussianDropout(0.1)(x2)",
    "Flatten": "L.Flatten()(x4)", "Reshape": "L.Reshape((2, 4))(x2)", "Permute": "L.Permute((2, 1))(x3)",
    "RepeatVector": "L.RepeatVector(3)(x2)", "Concatenate": "L.Concatenate()([x2, x2])", "Add": "L.Add()([x2, x2])",
    "Subtract": "L.Subtract()([x2, x2])", "Multiply": "L.Multiply()([x2, x2])", "Average": "L.Average()([x2, x2])",
    "Maximum": "L.Maximum()([x2, x2])", "Minimum": "L.Minimum()([x2, x2])", "Embedding": "L.Embedding(10, 4)(xi)",
    "LSTM": "L.LSTM(4, return_state=True)(x3)", "GRU": "L.GRU(4, return_sequences=True, return_state=True)(x3)",
    "SimpleRNN": "L.SimpleRNN(4, return_state=True)(x3)", "UpSampling1D": "L.UpSampling1D()(x3)",
    "UpSampling2D": "L.UpSampling2D()(x4)", "ZeroPadding1D": "L.ZeroPadding1D()(x3)",
    "ZeroPadding2D": "L.ZeroPadding2D()(x4)", "Cropping1D": "L.Cropping1D(1)(x3)", "Cropping2D": "L.Cropping2D(1)(x4)",
    "MultiHeadAttention": "L.MultiHeadAttention(2, 4)(x3, x3, return_attention_scores=True)",
    "Attention": "L.Attention()([x3, x3])", "Rescaling": "L.Rescaling(0.5)(x4)", "Identity": "L.Identity()(x2)",
    "Bidirectional": "L.Bidirectional(L.LSTM(4, return_state=True))(x3)",
    "TimeDistributed": "L.TimeDistributed(L.Dense(2))(x3)",
    "op:Add": "x2 + x2", "op:Subtract": "x2 - x2", "op:Multiply": "x2 * x2", "op:TrueDivide": "x2 / x2",
    "op:Divide": "keras.ops.divide(x2, x2)", "op:GetItem": "x3[:, 0]", "op:Matmul": "x3 @ keras.ops.ones((8, 2))",
    "op:Mean": "keras.ops.mean(x3, axis=1)", "op:Sum": "keras.ops.sum(x3, axis=1)",
    "op:Transpose": "keras.ops.transpose(x3)", "op:ExpandDims": "keras.ops.expand_dims(x2, 1)",
    "op:Squeeze": "keras.ops.squeeze(keras.ops.expand_dims(x2, 1), 1)",
}

PROBE = r"""
import json, sys
import keras
from keras import layers as L
from keras.src.backend.common import global_state
def count():
    return (global_state.get_global_attribute("object_name_uids") or {}).get("keras_tensor", 0)
x2, x3, x4 = keras.Input((8,)), keras.Input((5, 8)), keras.Input((6, 6, 3))
x5, xi = keras.Input((4, 4, 4, 2)), keras.Input((5,), dtype="int32")
out = {}
for name, call in json.loads(sys.argv[1]).items():
    before = count()
    made = eval(call)
    extra = 1 if name == "op:Squeeze" else 0  # its expand_dims
    out[name] = [count() - before - extra, len(made) if isinstance(made, (list, tuple)) else 1]
print(json.dumps(out))
"""


def test_every_listed_call_is_covered():
    listed = set(infer.one_tensor_per_output()) | set(infer._WRAPPERS) | {"op:" + o for o in infer._ONE_TENSOR_OPS}
    assert listed == set(CALLS)


@pytest.mark.keras
def test_listed_calls_name_one_tensor_per_output():
    env = dict(os.environ, KERAS_BACKEND="numpy")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(CALLS)], capture_output=True, text=True, env=env)
    if done.returncode != 0 and "No module named 'keras'" in done.stderr:
        pytest.skip("Keras is not installed")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert {name: tensors for name, (tensors, outputs) in made.items() if tensors != outputs} == {}


def _first_row(source: str) -> str:
    report = analyze_source(source)
    model = [m for m in report.models if m.model.name == "decoder"][0]
    return model.rows[0].layer.name


HEAD = "import keras\nfrom keras import layers\nx = keras.Input((8,))\n"
TAIL = "h = layers.Dense(4)(x)\ndecoder = keras.Model(h, layers.Dense(2)(h))\n"


@pytest.mark.parametrize("before,name", [
    ("", "keras_tensor_1CLONE"),
    ("y = layers.Dense(3)(x)\nz = y + y\n", "keras_tensor_3CLONE"),
    ("s, c = layers.GRU(2, return_state=True)(layers.Reshape((2, 4))(x))\n", "keras_tensor_4CLONE"),
    ("w = keras.Input((2,), name='w')\n", "keras_tensor_1CLONE"),
    # Keras names more tensors than outputs here (3 for a Lambda, 3 for a Masking: checked with Keras 3.15),
    # or builds a model, or calls something the analysis does not see into: N is not counted.
    ("y = layers.Lambda(lambda t: t * 2)(x)\n", "keras_tensor_?CLONE"),
    ("y = layers.Masking()(layers.Reshape((2, 4))(x))\n", "keras_tensor_?CLONE"),
    ("m = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n", "keras_tensor_?CLONE"),
    ("import mystery\ny = mystery.Block(4)(x)\n", "keras_tensor_?CLONE"),
    ("y = layers.Embedding(9, 2, mask_zero=True)(x)\n", "keras_tensor_?CLONE"),
])
def test_clone_name(before, name):
    assert _first_row(HEAD + before + TAIL) == name


#: Models made after copies and loads: kerascount lists the same models (by line), and each name it gives is
#: Keras's or unknown ("?"): a copy of a functional model is named as the original (no automatic name), a loaded
#: Sequential is built again (its Functional takes one), and a loaded model may hold anything.
AFTER_COPIES = '''import os, tempfile
import keras
from keras import layers

x = keras.Input((5,))
base = keras.Model(x, layers.Dense(1)(layers.Dense(6)(x)))
copy = keras.models.clone_model(base)
y = keras.Input((4,))
first = keras.Model(y, layers.Dense(2)(y))
seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
path = os.path.join(tempfile.mkdtemp(), "seq.keras")
seq.save(path)
loaded = keras.models.load_model(path)
z = keras.Input((2,))
second = keras.Model(z, layers.Dense(2)(z))
'''


@pytest.mark.keras
def test_names_after_copies_and_loads_are_keras_or_unknown():
    keras_made = keras_probe("import json, sys\nexec(json.loads(sys.argv[1]))\n"
                             "print(json.dumps({k: [v.name, [l.name for l in v.layers]] for k, v in dict(globals()).items()"
                             " if isinstance(v, keras.Model)}))\n", AFTER_COPIES)
    keras_names = {k: v[0] for k, v in keras_made.items()}
    report = analyze_source(AFTER_COPIES)
    ours = {m.model.name: m.model.keras_name for m in report.models if m.model.name in keras_names}
    assert ours["first"] == keras_names["first"] == "functional_1"  # the copy of `base` took no automatic name
    assert ours["second"] in (keras_names["second"], "?")
    assert all(ours[k] in (keras_names[k], "?") for k in ours)
    # the copy is listed: its layers keep their names; its input is named after the original's tensor
    # (keras_tensor_N, not followed: "?")
    rows = {m.model.name: [r.layer.name for r in m.rows] for m in report.models}
    assert rows["copy"][1:] == keras_made["copy"][1][1:] == ["dense_1", "dense"]  # (Dense(6) is called first)
    assert rows["copy"][0] == "?" and keras_made["copy"][1][0].startswith("keras_tensor")
