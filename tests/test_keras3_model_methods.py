"""KC404 on model methods Keras 3 refuses as tf.keras 2 wrote them: the file names ``Model.save`` and
``Model.save_weights`` raise ValueError for (a TensorFlow SavedModel folder, weights in a ``.h5`` file not named
``.weights.h5``, a TensorFlow checkpoint), and tf.keras 2's ``workers``, ``use_multiprocessing`` and
``max_queue_size`` given to ``fit``, ``evaluate`` or ``predict``; each case checked against real Keras by a probe."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

_MODEL = ("import keras\nfrom keras import layers\n"
          "model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(1)])\n"
          "model.compile(loss='mse', optimizer='adam')\n")

#: (method, file name, keywords as written, whether Keras 3 raises ValueError)
CASES = [
    ("save", "my_model", "", True),  # tf.keras 2's SavedModel folder
    ("save", "saved/model.tf", "", True),
    ("save", "model.ckpt", "", True),
    ("save", "my_model", "save_format='tf'", True),
    ("save", "model.keras", "", False),
    ("save", "model.h5", "", False),
    ("save", "model.hdf5", "", False),
    ("save", "model.h5", "save_format='h5'", False),  # (a warning only)
    ("save", "model.keras", "include_optimizer=False", False),
    ("save_weights", "weights.h5", "", True),
    ("save_weights", "weights.hdf5", "", True),
    ("save_weights", "cp.ckpt", "", True),
    ("save_weights", "my_model", "", True),
    ("save_weights", "model.weights.h5", "", False),
    ("save_weights", "model.weights.h5", "overwrite=True", False),
    ("keras.saving.save_model", "exported", "", True),
    ("keras.models.save_model", "model.keras", "", False),
]


def _kc404(src: str):
    return [d for d in analyze_source(src).diagnostics if d.code == "KC404"]


def _saving(method: str, name: str, keywords: str) -> str:
    """The call of CASES' row: a method of ``model``, or a function given ``model``."""
    args = ", ".join(a for a in (repr(name), keywords) if a)
    return f"model.{method}({args})" if "." not in method else f"{method}(model, {args})"


@pytest.mark.parametrize("method,name,keywords,raises", CASES)
def test_a_name_keras3_refuses_is_noted(method, name, keywords, raises):
    found = _kc404(_MODEL + _saving(method, name, keywords) + "\n")
    assert [(d.span.line, d.span.column) for d in found] == ([(5, 1)] if raises else [])
    if raises:
        assert f"`{method.rsplit('.', 1)[-1]}` writes to `{name}`" in found[0].message
        assert ("`.weights.h5`" if method == "save_weights" else "`.keras`") in found[0].message


@pytest.mark.keras
def test_keras3_raises_for_exactly_those_names():
    probe = r"""
import json, os, sys, tempfile, logging
logging.disable(logging.WARNING)
import keras
from keras import layers
out = []
os.chdir(tempfile.mkdtemp())
model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(1)])
model.compile(loss='mse', optimizer='adam')
for method, name, keywords, _ in json.loads(sys.argv[1]):
    args = ", ".join(a for a in (repr(name), keywords) if a)
    try:
        eval(f"model.{method}({args})" if "." not in method else f"{method}(model, {args})")
        out.append(False)
    except ValueError:
        out.append(True)
print(json.dumps(out))
"""
    assert keras_probe(probe, CASES) == [raises for *_, raises in CASES]


@pytest.mark.parametrize("src", [
    # the name's end not written in the call
    _MODEL + "import sys\nmodel.save(sys.argv[1])\nmodel.save_weights(folder + name)\n",
    # Keras 3 writes a folder when told to (zipped=False), and shards weights under other names
    _MODEL + "model.save('exported', zipped=False)\nmodel.save_weights('w.weights.json', max_shard_size=1)\n",
    # written for several Keras versions on purpose
    _MODEL + "try:\n    model.save('my_model')\nexcept ValueError:\n    model.save('my_model.keras')\n",
    # not a Keras model's method: a class of the file, an object the analysis does not know
    "import keras\nclass Net(keras.Model):\n    def save(self, path):\n        pass\n"
    "net = Net()\nnet.save('net')\n",
    "import keras\nimport gensim\nw2v = gensim.models.Word2Vec(sentences)\nw2v.save('w2v.model')\n",
    # TensorFlow's bundled tf.keras 2 writes a SavedModel folder
    "from tensorflow.python.keras.models import Sequential\nfrom tensorflow.python.keras.layers import Dense\n"
    "model = Sequential([Dense(1, input_shape=(4,))])\nmodel.save('my_model')\n",
])
def test_no_note_where_keras3_may_take_the_name(src):
    assert [d.message for d in _kc404(src) if "writes to" in d.message] == []


def test_a_name_the_file_sets_once_and_a_model_kept_by_a_class():
    src = _MODEL + ("path = 'saved_model/best'\nmodel.save(path)\n"
                    "class Agent:\n    def __init__(self, m):\n        self.model = m\n"
                    "    def keep(self):\n        self.model.save_weights(f'{self.name}_dqn.h5')\n"
                    "Agent(model).keep()\n")
    found = [(d.span.line, d.message.split(":")[0]) for d in _kc404(src)]
    assert found == [(6, "`save` writes to `saved_model/best`"),
                     (11, "`save_weights` writes to a name ending in `_dqn.h5`")]


def test_keras_save_model_function_is_read_as_the_method():
    src = ("import tensorflow as tf\nfrom keras.models import save_model\nimport keras\n"
           "m = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])\n"
           "tf.keras.models.save_model(m, 'exported')\nsave_model(m, filepath='out/model')\n"
           "keras.saving.save_model(m, 'ok.keras')\nkeras.models.save_model(m, 'ok.h5', save_format='h5')\n"
           "keras.saving.save_model(m, 'folder', zipped=False)\n")
    found = [(d.span.line, d.message.split(":")[0]) for d in _kc404(src)]
    assert found == [(5, "`save_model` writes to `exported`"), (6, "`save_model` writes to `out/model`")]
    # TensorFlow's bundled tf.keras 2 writes a SavedModel folder
    assert _kc404("from tensorflow.python.keras.models import save_model\nimport keras\n"
                  "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nsave_model(m, 'exported')\n") == []


def test_a_keras3_file_gets_a_warning():
    src = _MODEL.replace("import keras\n", "import keras\nfrom keras import ops\n") + "model.save('my_model')\n"
    assert [(d.span.line, d.severity) for d in _kc404(src)] == [(6, "warning")]


#: (method, keywords as written, the exception Keras 3 raises or None)
LOADER_CASES = [
    ("fit", "workers=4", "TypeError"),
    ("fit", "use_multiprocessing=True, workers=2", "TypeError"),
    ("fit", "max_queue_size=10", "TypeError"),
    ("evaluate", "workers=2", "ValueError"),
    ("evaluate", "use_multiprocessing=False", "ValueError"),
    ("predict", "max_queue_size=4", "TypeError"),
    ("fit", "epochs=1", None),
    ("predict", "batch_size=4", None),
]


@pytest.mark.parametrize("method,keywords,raises", LOADER_CASES)
def test_tf_keras2_loader_arguments_are_noted(method, keywords, raises):
    data = "x" if method == "predict" else "x, y"
    found = _kc404(_MODEL + f"model.{method}({data}, {keywords})\n")
    assert [(d.span.line, d.span.column) for d in found] == ([(5, 1)] if raises else [])
    if raises:
        assert f"raises {raises}" in found[0].message and "PyDataset" in found[0].message


@pytest.mark.keras
def test_keras3_rejects_the_loader_arguments_and_a_py_dataset_takes_them():
    probe = r"""
import json, sys, logging
logging.disable(logging.WARNING)
import numpy as np
import keras
from keras import layers
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(loss='mse', optimizer='adam')
x, y = np.zeros((8, 4)), np.zeros((8, 1))
out = []
for method, keywords, _ in json.loads(sys.argv[1]):
    data = "x" if method == "predict" else "x, y"
    try:
        eval(f"model.{method}({data}, verbose=0, {keywords})")
        out.append(None)
    except NotImplementedError:  # (the NumPy backend does not train: the arguments were taken)
        out.append(None)
    except (TypeError, ValueError) as exc:
        out.append(type(exc).__name__)

class Batches(keras.utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return x[:4]

took = Batches(workers=2, use_multiprocessing=False, max_queue_size=4)
model.predict(took, verbose=0)  # (the NumPy backend does not train)
out.append([took.workers, took.use_multiprocessing, took.max_queue_size])
print(json.dumps(out))
"""
    got = keras_probe(probe, LOADER_CASES)
    assert got[:-1] == [raises for *_, raises in LOADER_CASES]
    assert got[-1] == [2, False, 4]


def test_the_generator_methods_say_fit_does_not_take_the_loader_arguments_either():
    found = _kc404(_MODEL + "model.fit_generator(batches, steps_per_epoch=10, workers=4)\n")
    assert len(found) == 1 and "`fit_generator`" in found[0].message and \
        "`fit` does not take `workers` either" in found[0].message
    assert found[0].fix is None  # (renaming the method alone would leave a call Keras 3 rejects)


def test_loader_arguments_on_what_is_not_a_keras_model_are_left_alone():
    src = ("import keras\nfrom sklearn.ensemble import RandomForestClassifier\n"
           "clf = RandomForestClassifier()\nclf.fit(x, y, workers=4)\n")
    assert _kc404(src) == []
