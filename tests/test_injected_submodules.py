"""Model zoos on keras_applications' pattern take their Keras modules from the caller:
``backend, layers, models, utils = get_submodules_from_kwargs(kwargs)``, where Keras's ``keras.applications`` passes
its own modules (or sets the package's ``_KERAS_LAYERS``... once with ``set_keras_submodules``). keras_applications
itself, qubvel's classification_models, efficientnet and segmentation_models are written so. kerascount reads the
modules a caller does not pass as Keras's, so such a builder gives the numbers of the same code written with
``keras.layers``, which real Keras checks here. Before, every such file reported no model at all.

Also here: ``collections.namedtuple`` (their model settings: ``ModelParams('resnet18', (2, 2, 2, 2), ...)``), and
keras_applications' ResNeXt, whose fixed grouped-convolution kernel is a ``Constant`` initializer's config holding a
NumPy array, which Keras 3 cannot read back."""

from __future__ import annotations

import pytest
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

from kerascount.api import analyze_paths, analyze_source

BODY = """

def TinyNet(input_shape=(32, 32, 3), classes=10, **kwargs):
    backend, layers, models, keras_utils = get_submodules_from_kwargs(kwargs)
    axis = 3 if backend.image_data_format() == "channels_last" else 1
    inputs = layers.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return models.Model(inputs, outputs, name="tiny")
"""

FROM_PACKAGE = "from keras_applications import get_submodules_from_kwargs\n" + BODY

# qubvel's classification_models: its own copy, whose defaults are keras_applications' package globals
OWN_COPY = """import keras_applications as ka


def get_submodules_from_kwargs(kwargs):
    backend = kwargs.get('backend', ka._KERAS_BACKEND)
    layers = kwargs.get('layers', ka._KERAS_LAYERS)
    models = kwargs.get('models', ka._KERAS_MODELS)
    utils = kwargs.get('utils', ka._KERAS_UTILS)
    return backend, layers, models, utils
""" + BODY

# keras_applications' own __init__.py
PACKAGE_INIT = """_KERAS_BACKEND = None
_KERAS_LAYERS = None
_KERAS_MODELS = None
_KERAS_UTILS = None


def get_submodules_from_kwargs(kwargs):
    backend = kwargs.get('backend', _KERAS_BACKEND)
    layers = kwargs.get('layers', _KERAS_LAYERS)
    models = kwargs.get('models', _KERAS_MODELS)
    utils = kwargs.get('utils', _KERAS_UTILS)
    return backend, layers, models, utils
"""

PLAIN = """import keras


def get_submodules_from_kwargs(kwargs):
    return keras.backend, keras.layers, keras.models, keras.utils
""" + BODY + "\nmodel = TinyNet()\n"


def _rows(model):
    return [(r.layer.name, r.layer.type, r.output_shape, r.params) for r in model.rows]


@pytest.mark.parametrize("src", [FROM_PACKAGE, OWN_COPY], ids=["from_package", "own_copy"])
def test_injected_modules_read_as_keras(src):
    injected, plain = analyze_source(src, "m.py").models, analyze_source(PLAIN, "m.py").models
    assert len(injected) == 1 and isinstance(injected[0].total, int)
    assert (injected[0].total, injected[0].trainable, injected[0].non_trainable) == \
        (plain[-1].total, plain[-1].trainable, plain[-1].non_trainable)
    assert _rows(injected[0]) == _rows(plain[-1])


def test_a_module_the_caller_passes_is_taken():
    """`TinyNet(layers=other)` uses the layers it is given: an object the analysis does not see leaves the model
    unknown (not Keras's numbers)."""
    src = FROM_PACKAGE + "\nimport other_layers\nmodel = TinyNet(layers=other_layers)\n"
    assert analyze_source(src, "m.py").models[-1].total is None


def test_inside_the_keras_applications_package(tmp_path):
    """keras_applications' own modules: `from . import get_submodules_from_kwargs`, whose package `__init__` reads
    `_KERAS_LAYERS = None` until Keras sets it from outside."""
    package = tmp_path / "keras_applications"
    package.mkdir()
    (tmp_path / ".git").mkdir()
    (package / "__init__.py").write_text(PACKAGE_INIT)
    (package / "tiny.py").write_text("from . import get_submodules_from_kwargs\n" + BODY)
    report = analyze_paths([str(package / "tiny.py")], jobs=1)[0][0]
    plain = analyze_source(PLAIN, "m.py").models[-1]
    assert [m.total for m in report.models] == [plain.total] and _rows(report.models[0]) == _rows(plain)


@pytest.mark.keras
def test_plain_version_agrees_with_keras():
    assert keras_probe(COUNT_OR_RAISED, {"plain": PLAIN})["plain"] == analyze_source(PLAIN, "m.py").models[-1].total


NAMEDTUPLES = {
    "list_of_names": """import collections
import keras
Params = collections.namedtuple('Params', ['name', 'repetitions', 'width'])
p = Params('small', (2, 3), 16)
model = keras.Sequential([keras.Input((8,))] + [keras.layers.Dense(p.width) for _ in range(p.repetitions[1])])
""",
    "string_of_names_and_defaults": """from collections import namedtuple
import keras
Params = namedtuple('Params', 'name, units depth', defaults=(12, 2))
p = Params('small', depth=3)
name, units, depth = p
model = keras.Sequential([keras.Input((8,))] + [keras.layers.Dense(units) for _ in range(depth)])
""",
    "replace_and_index": """import collections
import keras
Params = collections.namedtuple('Params', ('units', 'classes'))
p = Params(units=20, classes=3)._replace(classes=5)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(p[0]), keras.layers.Dense(p.classes)])
""",
}


@pytest.mark.parametrize("name", sorted(NAMEDTUPLES))
def test_namedtuple_settings_are_followed(name):
    assert isinstance(analyze_source(NAMEDTUPLES[name], "m.py").models[-1].total, int)


@pytest.mark.keras
def test_namedtuple_settings_agree_with_keras():
    truth = keras_probe(COUNT_OR_RAISED, NAMEDTUPLES)
    assert {k: analyze_source(v, "m.py").models[-1].total for k, v in NAMEDTUPLES.items()} == truth


def test_namedtuple_with_names_python_refuses_is_not_followed():
    src = NAMEDTUPLES["list_of_names"].replace("'width']", "'width', 'width']")  # ValueError: duplicate field name
    assert analyze_source(src, "m.py").models[-1].total is None


CONSTANT_CONFIG = """import numpy as np
import keras
kernel = {value}
layer = keras.layers.Conv2D(4, 1, use_bias=False, trainable=False,
                            kernel_initializer={{'class_name': 'Constant', 'config': {{'value': kernel}}}})
model = keras.Sequential([keras.Input((6, 6, 2)), layer])
"""
CONSTANT_VALUES = {"array": "np.zeros((1, 1, 2, 4), dtype=np.float32)", "numpy_int": "np.int64(1)",
                   "python_float": "0.5", "python_list": "[1.0, 2.0, 3.0, 4.0]"}


@pytest.mark.keras
def test_constant_config_of_numpy_values_agrees_with_keras():
    sources = {k: CONSTANT_CONFIG.format(value=v) for k, v in CONSTANT_VALUES.items()}
    truth = keras_probe(COUNT_OR_RAISED, sources)
    assert truth == {"array": "TypeError", "numpy_int": "TypeError", "python_float": 8, "python_list": 8}
    for key, src in sources.items():
        report = analyze_source(src, "m.py")
        if isinstance(truth[key], int):
            assert report.models[-1].total == truth[key] and not any(d.code == "KC103" for d in report.diagnostics)
        else:
            assert report.models[-1].total is None
            assert any(d.code == "KC103" and "Constant initializer" in d.message for d in report.diagnostics)
