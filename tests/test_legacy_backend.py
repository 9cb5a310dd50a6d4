"""KC404 on the functions of Keras 2's ``keras.backend`` that Keras 3's does not have (``K.int_shape(x)``)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.rules import legacy_api
from test_catalogue_keras import keras_probe

_MODEL = "x = keras.Input((8, 8, 3))\ny = keras.layers.Conv2D(4, 3)(x)\nm = keras.Model(x, y)\n"


def _kc404(src: str):
    return [(d.span.line, d.span.column, d.severity, d.message) for d in analyze_source(src).diagnostics
            if d.code == "KC404"]


def test_each_call_through_standalone_keras_backend_is_noted_with_what_to_write():
    src = ("import keras\nfrom keras import backend as K\n" + _MODEL +
           "c = K.int_shape(y)[-1]\nwith K.name_scope('head'):\n    s = keras.backend.sum(y)\n"
           "K.clear_session()\nK.image_data_format()\n")
    found = _kc404(src)
    assert [(line, col) for line, col, _, _ in found] == [(6, 5), (7, 6), (8, 9)]
    assert all(severity == "info" for _, _, severity, _ in found)  # a Keras 2 file: a note
    assert "has no `int_shape`" in found[0][3] and "`x.shape`" in found[0][3]
    assert "`keras.name_scope`" in found[1][3]
    assert "`keras.ops.sum`" in found[2][3]


def test_a_module_level_alias_of_the_backend_is_read_as_its_module():
    """``K = keras.backend`` (as Hands-On ML writes it) binds K to the standalone backend; ``K = tf.keras.backend``
    binds tf.keras's, which keeps Keras 2's functions."""
    body = _MODEL + "n = K.int_shape(y)\n"
    found = _kc404("import keras\nK = keras.backend\n" + body)
    assert [(line, col) for line, col, _, _ in found] == [(6, 5)] and "has no `int_shape`" in found[0][3]
    assert _kc404("import tensorflow as tf\nimport keras\nK = tf.keras.backend\n" + body) == []
    # a name also bound by an import is left alone (which of the two a call sees is not worked out here)
    assert _kc404("import keras\nimport mylib as K\nK = keras.backend\n" + body) == []


def test_a_keras3_file_gets_a_warning():
    src = "import keras\nfrom keras import ops\nimport keras.backend as K\n" + _MODEL + "n = K.int_shape(y)\n"
    assert [(line, severity) for line, _, severity, _ in _kc404(src)] == [(7, "warning")]


def test_the_import_of_a_keras2_function_from_keras_backend_fails():
    src = "import keras\nfrom keras.backend import epsilon, int_shape, concatenate\n" + _MODEL
    (found,) = _kc404(src)
    assert found[:2] == (2, 1)
    assert "no `int_shape`, `concatenate` (Keras 2 functions): the import fails" in found[3]


@pytest.mark.parametrize("src", [
    # tf.keras's backend keeps Keras 2's functions (tf_keras, or TensorFlow 2.16+'s keras._tf_keras)
    "from tensorflow.keras import backend as K\nimport keras\n" + _MODEL + "n = K.int_shape(y)\n",
    "import tensorflow as tf\nimport keras\n" + _MODEL + "n = tf.keras.backend.int_shape(y)\n",
    # what Keras 3's backend has
    "import keras\nfrom keras import backend as K\n" + _MODEL + "K.clear_session()\nf = K.floatx()\n",
    # written for several Keras versions on purpose
    "import keras\nfrom keras import backend as K\n" + _MODEL + "try:\n    n = K.int_shape(y)\n"
    "except AttributeError:\n    n = y.shape\n",
    # ... also through a flag the module sets from the version (bert4keras3's backend.py: Keras 2 helpers defined
    # only when `use_keras_2`, which is False under Keras 3 unless TF_KERAS swaps `keras` for tf.keras)
    "import os\nimport keras\nimport keras.backend as K\nfrom keras import ops\n"
    "is_tf_keras = os.environ.get('TF_KERAS', '0') == '1'\nuse_keras_2 = is_tf_keras or keras.__version__ < '3.0'\n"
    "legacy = use_keras_2\n" + _MODEL + "if legacy:\n    def where(c, a, b):\n        return K.shape(a)\n"
    "else:\n    n = ops.shape(y)\n",
    # a name that is not the backend's
    "import keras\nK = object()\n" + _MODEL,
    "import keras\nimport mylib as K\n" + _MODEL + "n = K.int_shape(y)\n",
])
def test_other_backends_and_guarded_calls_are_left_alone(src):
    assert _kc404(src) == []


def test_a_flag_not_set_from_the_version_is_no_guard():
    # `on` reads a `version` but is no test of it; `ready` is a test of something else
    src = ("import keras\nimport keras.backend as K\nfrom keras import ops\nimport cfg\non = cfg.load(cfg.version)\n"
           "ready = cfg.n > 2\n" + _MODEL + "if on:\n    a = K.int_shape(y)\nif ready:\n    b = K.int_shape(y)\n")
    assert [(line, severity) for line, _, severity, _ in _kc404(src)] == [(11, "warning"), (13, "warning")]


@pytest.mark.keras
def test_the_tables_are_keras2_backend_functions_that_keras3_lacks():
    probe = r"""
import json, keras
import keras._tf_keras.keras.backend as K2
public = lambda m: sorted(n for n in dir(m) if not n.startswith('_'))
print(json.dumps({"k3": public(keras.backend), "k2": public(K2), "ops": public(keras.ops),
                  "random": public(keras.random), "losses": public(keras.losses), "layers": public(keras.layers),
                  "top": public(keras)}))
"""
    got = keras_probe(probe, [])
    k3, k2 = set(got["k3"]), set(got["k2"])
    assert legacy_api.KERAS3_BACKEND == k3
    ours = legacy_api.KERAS2_BACKEND_IN_OPS | set(legacy_api.KERAS2_BACKEND_INSTEAD) | legacy_api.KERAS2_BACKEND_OTHER
    assert ours == k2 - k3  # each function Keras 3 dropped, and only those
    assert not set(legacy_api.KERAS1_BACKEND_INSTEAD) & (k2 | k3)  # Keras 1's, which neither has
    assert legacy_api.KERAS2_BACKEND_IN_OPS <= set(got["ops"])
    # each name the advice gives exists in Keras 3
    import re
    for advice in legacy_api.KERAS2_BACKEND_INSTEAD.values():
        for path in re.findall(r"`keras\.(\w+(?:\.\w+)?)", advice):
            module, _, name = path.rpartition(".")
            where = {"": got["top"], "ops": got["ops"], "random": got["random"], "losses": got["losses"],
                     "layers": got["layers"]}[module]
            assert name in where, path


def _kc404_messages(src):
    return [(d.span.line, d.message) for d in analyze_source(src, "opt.py").diagnostics if d.code == "KC404"]


def test_legacy_optimizers_are_noted_by_import_attribute_and_tf_keras_path():
    src = ("import keras\nimport tensorflow as tf\nfrom keras.optimizers.legacy import Adam\nfrom keras import optimizers\n"
           "a = Adam(learning_rate=0.01)\nb = keras.optimizers.legacy.SGD(0.1)\nc = optimizers.legacy.RMSprop()\n"
           "d = tf.keras.optimizers.legacy.Nadam()\ne = optimizers.RMSprop()\n")
    found = _kc404_messages(src)
    assert [line for line, _ in found] == [5, 6, 7, 8]
    assert "`optimizers.legacy.Adam(...)` raises ImportError" in found[0][1] and "keras.optimizers.Adam" in found[0][1]


def test_a_project_module_named_legacy_is_not_keras():
    src = ("import keras\nimport legacy\nopt = legacy.Adam(lr=0.1)\n"
           "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n")
    assert _kc404_messages(src) == []


@pytest.mark.keras
def test_keras3_keeps_the_legacy_optimizer_names_and_making_one_raises():
    probe = r"""
import json, sys, keras
out = {}
for name in json.loads(sys.argv[1]):
    try:
        getattr(keras.optimizers.legacy, name)()
        out[name] = "made"
    except ImportError:
        out[name] = "ImportError"
    except AttributeError:
        out[name] = "absent"
print(json.dumps(out))
"""
    got = keras_probe(probe, sorted(legacy_api.OPTIMIZERS))
    assert {name for name, what in got.items() if what == "ImportError"} == legacy_api.LEGACY_OPTIMIZERS_KEPT
    assert {name for name, what in got.items() if what == "absent"} == legacy_api.OPTIMIZERS - \
        legacy_api.LEGACY_OPTIMIZERS_KEPT  # (none is made)


def test_a_legacy_optimizer_keras3_lacks_is_said_to_be_absent():
    found = _kc404_messages("import keras\nopt = keras.optimizers.legacy.Nadam()\n")
    assert len(found) == 1 and "does not exist there (AttributeError)" in found[0][1]


def test_keras1_image_ordering_functions():
    src = ("from keras import backend as K\nfrom keras.models import Sequential\nfrom keras.layers import Dense\n"
           "if K.image_dim_ordering() == 'th':\n    shape = (3, 8, 8)\nelse:\n    shape = (8, 8, 3)\n"
           "K.set_image_dim_ordering('tf')\nm = Sequential([Dense(2, input_shape=(4,))])\n")
    found = _kc404(src)
    assert [line for line, _, _, _ in found] == [4, 8]
    assert all("a Keras 1 function" in message and "image_data_format" in message for _, _, _, message in found)


def test_keras2_aliases_of_initializers_and_constraints_are_noted_where_called():
    """``keras.initializers.normal(stddev=0.01)`` (Keras 2's alias of RandomNormal): Keras 3's module has no such
    attribute, through keras or tf.keras; the string "normal" and the aliases Keras 3 keeps are left alone."""
    src = ("import keras\nimport tensorflow as tf\nfrom keras import initializers\nx = keras.Input((8,))\n"
           "y = keras.layers.Dense(4, kernel_initializer=keras.initializers.normal(stddev=0.01))(x)\n"
           "y = keras.layers.Dense(4, kernel_initializer=tf.keras.initializers.zero())(y)\n"
           "y = keras.layers.Dense(4, kernel_initializer=initializers.uniform(), "
           "kernel_constraint=keras.constraints.maxnorm(2))(y)\n"
           "y = keras.layers.Dense(4, kernel_initializer='normal', bias_initializer=initializers.random_normal())(y)\n"
           "m = keras.Model(x, y)\n")
    found = _kc404(src)
    assert [line for line, _, _, _ in found] == [5, 6, 7, 7]
    assert "keras.initializers has no `normal`" in found[0][3] and "RandomNormal" in found[0][3]
    assert "keras.initializers has no `zero`" in found[1][3]
    assert {"keras.initializers has no `uniform`" in f[3] or "keras.constraints has no `maxnorm`" in f[3]
            for f in found[2:]} == {True}
    (imported,) = _kc404("import keras\nfrom keras.initializers import normal, he_normal\n" + _MODEL)
    assert imported[:2] == (2, 1) and "`normal`" in imported[3] and "he_normal" not in imported[3]


@pytest.mark.keras
def test_the_aliases_said_to_be_gone_are_absent_from_keras3():
    probe = r"""
import json, keras
print(json.dumps({m: sorted(dir(getattr(keras, m))) + sorted(dir(getattr(keras._tf_keras.keras, m)))
                  for m in ("initializers", "constraints")}))
"""
    got = keras_probe(probe, [])
    gone = [(m, n) for m, n in legacy_api._GONE if m in ("keras.initializers", "keras.constraints")]
    assert len(gone) == 7
    for module, name in gone:
        assert name not in got[module.split(".")[1]], (module, name)


def test_keras_api_imports_are_noted_with_a_safe_fix():
    """``from keras.api import layers``: Keras 3.0-3.9 had ``keras.api``; Keras 3.10 and later do not (checked on
    their wheels: keras/api/ is in 3.9.2, not in 3.10.0)."""
    src = ("import keras\nfrom keras.api import layers\nfrom keras.api.layers import Dense\n"
           "from keras.api._private import thing\n" + _MODEL)
    found = [d for d in analyze_source(src).diagnostics if d.code == "KC404"]
    assert [d.span.line for d in found] == [2, 3, 4]
    assert "Keras 3.10 and later do not have" in found[0].message and "import from `keras`" in found[0].message
    assert [d.fix is not None for d in found] == [True, True, False]


@pytest.mark.keras
def test_the_public_modules_keras_api_held_are_keras_modules():
    probe = r"""
import json, keras
print(json.dumps(sorted(n for n in dir(keras) if not n.startswith('_'))))
"""
    assert legacy_api._PUBLIC_MODULES <= set(keras_probe(probe, []))


_BACKEND_MODULE_PROBE = """
import json, sys
import keras


def run(text):
    try:
        exec(text, {})
    except Exception as exc:
        return type(exc).__name__
    return "ran"


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def test_a_function_of_a_keras2_backend_module_is_noted():
    """Keras 2 kept each backend in a module of keras.backend (``K.tensorflow_backend._get_available_gpus()``, the
    GPU test of hold-out 76's seq2seq classes, run when the module is imported; ``set_session`` of the
    TensorFlow 1 era): Keras 3's keras.backend has no such module, and reading it raises AttributeError (Keras run
    below). tf.keras's backend is not one of them."""
    calls = {"gpus": "import keras.backend as K\nK.tensorflow_backend._get_available_gpus()\n",
             "session": "import keras\nkeras.backend.tensorflow_backend.set_session(None)\n",
             "theano": "from keras import backend as K\nK.theano_backend.floatx()\n"}
    truth = keras_probe(_BACKEND_MODULE_PROBE, calls)
    assert truth == {"gpus": "AttributeError", "session": "AttributeError", "theano": "AttributeError"}
    found = _kc404("import keras\nimport keras.backend as K\n" + _MODEL +
                   "if len(K.tensorflow_backend._get_available_gpus()) > 0:\n    pass\n"
                   "keras.backend.tensorflow_backend.set_session(None)\nK.theano_backend.floatx()\n")
    assert [(line, col) for line, col, _, _ in found] == [(6, 8), (8, 1), (9, 1)]
    assert "has no `tensorflow_backend` (Keras 2's module of the TensorFlow backend)" in found[0][3]
    assert "`tf.config.list_physical_devices('GPU')`" in found[0][3]
    assert "no session to set" in found[1][3] and "has no `theano_backend`" in found[2][3]
    assert _kc404("import tensorflow as tf\nimport keras\n" + _MODEL + "tf.keras.backend.get_session()\n") == []
    # (the import of the module itself fails first: a name it binds is no attribute read, and no call is noted)
    found = _kc404("import keras\nfrom keras.backend import theano_backend as KTH\n" + _MODEL + "KTH.shape(y)\n")
    assert 6 not in [line for line, _, _, _ in found]


def test_keras2_backend_tf_is_noted_where_imported_and_where_called():
    """Standalone Keras 2's keras.backend held the `tensorflow` module as `tf` (PSPNet's `from keras.backend import
    tf as ktf`, SegNet's `K.tf.nn.max_pool_with_argmax`, hold-out 81): Keras 3's has none (Keras run below)."""
    truth = keras_probe(_BACKEND_MODULE_PROBE, {"import": "from keras.backend import tf as ktf\n",
                                                "attribute": "import keras.backend as K\nK.tf.shape\n"})
    assert truth == {"import": "ImportError", "attribute": "AttributeError"}
    found = _kc404("import keras\nfrom keras.backend import tf as ktf\nimport keras.backend as K\n" + _MODEL +
                   "s = K.tf.shape(y)\nt = keras.backend.tf.image.resize(y, (4, 4))\n")
    assert [(line, col) for line, col, _, _ in found] == [(2, 1), (7, 5), (8, 5)]
    assert "has no `tf`" in found[0][3] and "the import fails; `import tensorflow as tf`" in found[0][3]
    assert "`K.tf.shape()` raises AttributeError" in found[1][3]
    assert "`keras.backend.tf.image.resize()` raises AttributeError" in found[2][3]
    # tf.keras's backend is TensorFlow's own (not Keras 3's): left alone
    assert _kc404("import tensorflow as tf\nimport keras\n" + _MODEL + "s = tf.keras.backend.tf.shape(y)\n") == []
