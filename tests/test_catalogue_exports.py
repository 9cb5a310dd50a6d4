"""Every name ``keras.layers`` exports is known to the catalogue, or left out on purpose with a reason.

Keras runs in a subprocess (marker ``keras``), as in test_catalogue_keras.py.
"""

from __future__ import annotations

import pytest

import kerascount.catalogue as catalogue
from kerascount.catalogue import unknown
from test_catalogue_keras import keras_probe

PROBE = r"""
import json
import keras
out = {}
for name in dir(keras.layers):
    if not name.startswith("_"):
        obj = getattr(keras.layers, name)
        out[name] = {"class": getattr(obj, "__name__", None), "is_class": isinstance(obj, type)}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def exports():
    return keras_probe(PROBE, [])


@pytest.mark.keras
def test_every_export_is_covered_or_left_out_with_a_reason(exports):
    missing = [name for name in sorted(exports)
               if catalogue.lookup(name) is None and name not in catalogue.LAYER_FUNCTIONS
               and name not in unknown.NOT_LAYERS and name not in unknown.LEFT_UNKNOWN]
    assert missing == [], "keras.layers exports that are neither in the catalogue nor in catalogue/unknown.py"


@pytest.mark.keras
def test_names_the_analysis_takes_for_missing_exports_are_missing(exports):
    # `from keras.layers import CuDNNLSTM` inside a try is read as raising ImportError (Keras 3 has none)
    assert all(catalogue.known_layers_export(name) for name in exports)
    for gone in ("CuDNNLSTM", "CuDNNGRU", "CuDNNLSTMCell"):
        assert gone not in exports and not catalogue.known_layers_export(gone)


@pytest.mark.keras
def test_catalogue_names_are_keras_exports_of_that_class(exports):
    """A spec's name is the Keras class name (the layer type ``model.summary()`` prints, and the prefix of
    automatic layer names); each alias is an export of that same class."""
    classes = {info["class"] for info in exports.values() if info["is_class"]}
    for spec in catalogue.specs():
        assert spec.name in classes, f"{spec.name} is not the name of a keras.layers class"
        for alias in spec.aliases:
            assert alias in exports, f"{spec.name}: alias {alias} is not exported by keras.layers"
            assert exports[alias]["class"] == spec.name, f"keras.layers.{alias} is not {spec.name}"


@pytest.mark.keras
def test_left_out_names_and_functions_are_real_exports(exports):
    for name in (*unknown.NOT_LAYERS, *unknown.LEFT_UNKNOWN, *catalogue.LAYER_FUNCTIONS):
        assert name in exports, f"keras.layers.{name} does not exist: remove it from the list"
    for name in unknown.LEFT_UNKNOWN:
        assert catalogue.lookup(name) is None, f"{name} is in the catalogue and in LEFT_UNKNOWN"
    for function, layer in catalogue.LAYER_FUNCTIONS.items():
        assert exports[function]["is_class"] is False and catalogue.lookup(layer) is not None


@pytest.mark.keras
def test_removed_names_are_not_keras3_exports(exports):
    """``unknown.REMOVED`` says "Keras 3 has no layer X": true of the installed Keras for every name."""
    for name in unknown.REMOVED:
        assert name not in exports, f"keras.layers.{name} exists in Keras 3: take it out of REMOVED"
        assert catalogue.lookup(name) is None and not catalogue.known_layers_export(name)


def test_a_layer_keras3_dropped_is_unknown_with_that_reason():
    from kerascount.api import analyze_source

    src = ("import tensorflow as tf\nfrom tensorflow.keras import layers\n"
           "aug = tf.keras.Sequential([tf.keras.Input((32, 32, 3)), layers.RandomFlip('horizontal'),\n"
           "                           layers.RandomHeight(0.2)], name='aug')\n"
           "inputs = tf.keras.Input((32, 32, 3))\n"
           "model = tf.keras.Model(inputs, layers.Dense(2)(aug(inputs)))\n")
    aug, model = analyze_source(src, "m.py").models
    for m in (aug, model):
        assert m.total is None and any("Keras 3 has no layer `RandomHeight`" in r for r in m.reasons), m.reasons


def test_a_sequential_without_input_holding_a_layer_keras3_dropped_is_unknown_not_unbuilt():
    """Keras 1's ``Merge`` of Sequential models was built from the models' inputs (no input shape of its own);
    under Keras 3 the code stops at the name (ImportError): not a model Keras has not built yet."""
    from kerascount.api import analyze_source

    src = ("from keras.models import Sequential\nfrom keras.layers import Dense, Merge\n"
           "left = Sequential()\nleft.add(Dense(32, input_dim=784))\n"
           "right = Sequential()\nright.add(Dense(32, input_dim=784))\n"
           "final = Sequential()\nfinal.add(Merge([left, right], mode='concat'))\nfinal.add(Dense(10))\n"
           "bare = Sequential()\nbare.add(Dense(10))\n")
    left, right, final, bare = analyze_source(src, "m.py").models
    assert (left.status, left.total) == ("exact", 784 * 32 + 32)
    assert final.status == "unknown" and final.total is None
    assert any("Keras 3 has no layer `Merge`" in r for r in final.reasons), final.reasons
    assert bare.status == "unbuilt"


def test_a_wrapped_layer_keras3_dropped_is_unknown_with_that_reason():
    """Bidirectional and TimeDistributed around a layer of older Keras (Keras 2's ``CuDNNGRU``, ``CuDNNLSTM``): the
    reason is that Keras 3 has no such layer (its import raises), not that the catalogue lacks it. A class of the
    file that happens to have the same name is not one of those."""
    from kerascount.api import analyze_source

    src = ("from keras.layers import Input, Embedding, Bidirectional, CuDNNGRU, CuDNNLSTM, Dense, TimeDistributed\n"
           "from keras.models import Model\n"
           "inp = Input(shape=(20,))\n"
           "x = Embedding(100, 8)(inp)\n"
           "x = Bidirectional(CuDNNGRU(4, return_sequences=True))(x)\n"
           "a = Model(inp, x)\n"
           "seq = Input((3, 20, 8))\n"
           "b = Model(seq, TimeDistributed(CuDNNLSTM(4))(seq))\n")
    a, b = analyze_source(src, "m.py").models
    assert a.total is None and any("Keras 3 has no layer `CuDNNGRU`" in r for r in a.reasons), a.reasons
    assert b.total is None and any("Keras 3 has no layer `CuDNNLSTM`" in r for r in b.reasons), b.reasons
    own = ("import keras\nfrom keras.layers import GRU, Bidirectional, Input, Embedding\n"
           "class CuDNNGRU(GRU):\n    pass\n"
           "inp = Input(shape=(20,))\n"
           "m = keras.Model(inp, Bidirectional(CuDNNGRU(4))(Embedding(100, 8)(inp)))\n")
    (m,) = analyze_source(own, "own.py").models
    assert not any("Keras 3 has no layer" in r for r in m.reasons), m.reasons
