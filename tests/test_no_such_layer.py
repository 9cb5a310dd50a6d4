"""KC109: names taken from keras.layers that no Keras version has, near misses of names it has."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.catalogue import unknown
from kerascount.rules import names
from test_catalogue_keras import keras_probe

TYPOS = {"flatten": "Flatten", "Flaten": "Flatten", "Dens": "Dense", "Maxpooling2D": "MaxPooling2D",
         "BatchNormalisation": "BatchNormalization", "Conv2d": "Conv2D", "LSMT": "LSTM",
         "GlobalAveragePooling2d": "GlobalAveragePooling2D", "Dropuot": "Dropout", "Upsampling2D": "UpSampling2D"}


@pytest.mark.parametrize("typo", sorted(TYPOS))
def test_near_misses_name_the_keras_layer(typo):
    assert names.near_miss(typo) == TYPOS[typo]


@pytest.mark.parametrize("name", ["Dense", "add", "Convolution2D", "AvgPool2D", "CuDNNLSTM", "merge", "Merge",
                                  "Deconvolution2D", "ThresholdedReLU", "Recurrent", "experimental", "Layer",
                                  "MyDense", "Conv", "Foo", "appendd"])
def test_names_of_any_keras_version_and_names_near_nothing_are_left_alone(name):
    assert names.near_miss(name) is None


@pytest.mark.keras
def test_older_names_are_not_keras3_names():
    # the names of earlier Keras the rule leaves alone are not Keras 3's (else they would need no exception)
    probe = "import json, keras\nprint(json.dumps(sorted(n for n in dir(keras.layers) if not n.startswith('_'))))"
    exports = set(keras_probe(probe, []))
    assert not exports & {*names._OLDER, *unknown.REMOVED}


@pytest.mark.keras
def test_the_flagged_imports_fail_under_keras():
    probe = r"""
import json, sys, importlib
import keras
out = {}
for name in json.loads(sys.argv[1]):
    out[name] = hasattr(keras.layers, name)
print(json.dumps(out))
"""
    got = keras_probe(probe, sorted(TYPOS) + sorted(set(TYPOS.values())))
    assert not any(got[t] for t in TYPOS) and all(got[v] for v in TYPOS.values())


def _kc109(src):
    return [d for d in analyze_source(src, "m.py").diagnostics if d.code == "KC109"]


def test_each_misspelled_import_and_attribute_is_reported_where_written():
    src = ("import tensorflow as tf\nfrom tensorflow.keras.layers import Dense, Dropuot\nimport keras.layers as L\n"
           "m = tf.keras.Sequential([tf.keras.Input((4,)), Dense(3), tf.keras.layers.Dens(2), L.flatten()])\n")
    found = _kc109(src)
    lines = src.splitlines()
    at = [(n, lines[n - 1].index(name) + 1, name) for n, name in ((2, "Dropuot"), (4, "Dens("), (4, "flatten"))]
    assert [(d.span.line, d.span.column, d.message.split("`")[3]) for d in found] == \
        [(n, col, name.rstrip("(")) for n, col, name in at]
    assert "did you mean `Dropout`?" in found[0].message and "ImportError" in found[0].message
    assert "AttributeError" in found[1].message


def test_a_rebound_layers_name_and_guarded_code_are_left_alone():
    src = ("from keras import layers\nlayers = []\nlayers.Apend = 1\n"
           "import keras\nif hasattr(keras.layers, 'Flaten'):\n    x = keras.layers.Flaten()\n")
    assert _kc109(src) == []


@pytest.mark.parametrize("module", ["normalization", "embeddings", "wrappers", "noise", "local", "core"])
def test_keras2_submodules_of_layers_are_left_alone(module):
    # Keras 2.2 had keras/layers/normalization.py, embeddings.py…: `keras.layers.normalization.BatchNormalization()`
    # ran there; `normalization` is a module, not a typo of Normalization
    src = f"import keras\nx = keras.Input((8, 4))\nlayer = keras.layers.{module}\n"
    assert _kc109(src) == []


def test_a_keras2_submodule_still_counts_its_layer():
    # the same model as with Keras 3's name (keras.layers.BatchNormalization), and no KC109
    body = "import keras\nx = keras.Input((8, 4))\ny = keras.layers.{}BatchNormalization()(x)\nm = keras.Model(x, y)\n"
    old, new = (analyze_source(body.format(prefix), "m.py") for prefix in ("normalization.", ""))
    assert not [d for d in old.diagnostics if d.code == "KC109"]
    (a,), (b,) = old.models, new.models
    assert a.status == b.status == "exact"
    assert (a.total, a.trainable, a.non_trainable) == (b.total, b.trainable, b.non_trainable)
