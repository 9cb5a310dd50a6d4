"""TimeDistributed wrapping a model (fixtures/layers/time_distributed_model.py has the cases followed, with Keras's
numbers): the cases not followed are unknown, never a number or a name Keras does not give."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

SHARED = """
import keras
from keras import layers
vectors = layers.Embedding(50, 6)
ids = keras.Input(shape=(4,))
inner = keras.Model(ids, layers.GlobalAveragePooling1D()(vectors(ids)))
grid = keras.Input(shape=(3, 4))
flat = keras.Input(shape=(4,))
both = layers.Concatenate()([layers.Flatten()(layers.TimeDistributed(inner)(grid)),
                             layers.GlobalAveragePooling1D()(vectors(flat))])
outer = keras.Model([grid, flat], both)
"""

LAZY = """
import keras
from keras import layers
lazy = keras.Sequential([layers.Dense(4), layers.Dense(2)])
frames = keras.Input((6, 3))
user = keras.Model(frames, layers.TimeDistributed(lazy)(frames))
fresh = keras.Input((2,))
later = keras.Model(fresh, layers.Dense(1)(fresh))
"""

PROBE = r"""
import json, sys
import keras
scope = {}
exec(json.loads(sys.argv[1]), scope)
out = {}
for name, value in scope.items():
    if isinstance(value, keras.Model):
        out[name] = {"built": value.built, "params": value.count_params() if value.built else None,
                     "inputs": [l.name for l in value.layers if isinstance(l, keras.layers.InputLayer)]}
print(json.dumps(out))
"""


def _models(src):
    return {m.model.name: m for m in analyze_source(src, "m.py").models}


def test_a_layer_of_the_wrapped_model_used_directly_leaves_the_model_unknown():
    outer = _models(SHARED)["outer"]
    assert outer.status == "unknown" and outer.total is None
    assert any("also used elsewhere" in r for r in outer.reasons)


def test_a_sequential_built_by_the_wrapper_is_unknown_not_unbuilt():
    found = _models(LAZY)
    assert found["lazy"].status == "unknown" and found["user"].status == "unknown"
    assert found["user"].total is None and found["lazy"].total is None
    # Keras's build of `lazy` made an InputLayer: the next ones' names are not known
    later = [r.layer.name for r in found["later"].rows if r.layer.type == "InputLayer"]
    assert later and all(name == "?" for name in later)


@pytest.mark.keras
def test_keras_counts_shared_weights_once_and_builds_the_wrapped_sequential():
    got = keras_probe(PROBE, SHARED)
    assert got["outer"]["params"] == got["inner"]["params"]  # the embedding, counted once
    got = keras_probe(PROBE, LAZY)
    assert got["lazy"]["built"] and got["lazy"]["params"] is not None
    # the build made an InputLayer: `fresh` is not input_layer_1, the name it would have without it
    assert got["later"]["inputs"] and got["later"]["inputs"] != ["input_layer_1"]


APP_SHARED = """
import keras
from keras import layers
from keras.applications import VGG16
base = VGG16(include_top=False, weights=None, input_shape=(32, 32, 3), pooling="max")
clips = keras.Input(shape=(3, 32, 32, 3))
still = keras.Input(shape=(32, 32, 3))
both = keras.Model([clips, still], [layers.TimeDistributed(base)(clips), base(still)])
"""


APP_LAYER_CALLED = """
import keras
from keras import layers
from keras.applications import VGG16
base = VGG16(include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
still = keras.Input(shape=(32, 32, 3))
clips = keras.Input(shape=(2, 32, 32, 3))
first = base.get_layer("block1_conv1")(still)
both = keras.Model([still, clips], [layers.Flatten()(first), layers.TimeDistributed(base)(clips)])
"""


APP_READ_AND_CALLED = """
import keras
from keras import layers
from keras.applications import VGG16
base = VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
pooled = keras.Model(base.input, layers.GlobalAveragePooling2D()(base.output))
still = keras.Input(shape=(32, 32, 3))
other = keras.Input(shape=(32, 32, 3))
both = keras.Model([still, other], [base(still), pooled(other)])
"""


SHARED_BACKBONES = {
    # wrapped and called directly in one model
    "wrapped-and-called": (APP_SHARED, "also used elsewhere"),
    # a layer of the wrapped application called on its own
    "layer-called": (APP_LAYER_CALLED, "also called on its own"),
    # `pooled` lists VGG16's layers inline (its rows are other objects than the application's row)
    "read-and-called": (APP_READ_AND_CALLED, "held by two of its rows"),
}


@pytest.mark.parametrize("case", SHARED_BACKBONES)
def test_a_backbone_shared_between_rows_leaves_the_model_unknown(case):
    # Keras counts the backbone's weights once (14,714,688, as VGG16 alone): not followed, never counted twice
    source, why = SHARED_BACKBONES[case]
    both = _models(source)["both"]
    assert both.status == "unknown" and both.total is None
    assert any(why in r for r in both.reasons)


@pytest.mark.keras
@pytest.mark.parametrize("case", SHARED_BACKBONES)
def test_keras_counts_a_shared_backbone_once(case):
    got = keras_probe(PROBE, SHARED_BACKBONES[case][0])
    assert got["both"]["params"] == got["base"]["params"] == 14714688
    if "pooled" in got:
        assert got["pooled"]["params"] == 14714688


APP_LAYER_AND_APP = """
import keras
from keras import layers
from keras.applications import VGG16
base = VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
pooled = keras.Model(base.input, layers.GlobalAveragePooling2D()(base.output))
still = keras.Input(shape=(32, 32, 3))
other = keras.Input(shape=(32, 32, 3))
called = keras.Model([still, other], [base(still), layers.Flatten()(base.get_layer("block1_conv1")(other))])
read = keras.Model([still, other], [pooled(still), layers.Flatten()(base.get_layer("block1_conv1")(other))])
inline = keras.Model([base.input, other], [pooled.output, layers.Flatten()(base.get_layer("block1_conv1")(other))])
alone = keras.Model(other, layers.Flatten()(base.get_layer("block1_conv1")(other)))
"""


def test_a_layer_of_an_application_called_alone_beside_the_application_leaves_the_total_unknown():
    # Keras counts block1_conv1 once (14,714,688 each, VGG16's total): never 1,792 more
    found = _models(APP_LAYER_AND_APP)
    for name in ("called", "read", "inline"):
        assert found[name].status == "unknown" and found[name].total is None, name
    assert found["alone"].status == "exact" and found["alone"].total == 1792


@pytest.mark.keras
def test_keras_counts_a_layer_of_an_application_called_alone_once():
    got = keras_probe(PROBE, APP_LAYER_AND_APP)
    assert got["called"]["params"] == got["read"]["params"] == got["inline"]["params"] == 14714688
    assert got["alone"]["params"] == 1792
