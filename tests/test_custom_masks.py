"""A custom layer on a masked tensor (extract/masks.MaskCalls.custom_mask_rule, custom_call_masks): Keras 3 gives the
mask to `call` when it has a `mask` parameter (the node records it when the call is one tensor alone), and keeps a mask
on the output only when the layer supports masking: a class of it defines `compute_mask` (whose result is the mask), or
it sets `supports_masking`. A plain `Layer` subclass without either drops the mask; one that sets
`self.supports_masking = True` in `__init__` passes it on (fixtures/custom/mask_dropped_by_custom_layer.py and
mask_custom_compute_mask.py, checked against Keras). Anything else stays unknown, with the reason."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

SOURCE = """import keras
from keras import layers, ops


class Block({base}):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
{init}
    def call(self, x{params}):
        return ops.tanh(x)
{extra}

tokens = keras.Input((12,), dtype="int32")
hidden = Block()(layers.Embedding(100, 8, mask_zero=True)(tokens))
model = keras.Model(tokens, layers.GRU(4)(hidden))
"""


PROBE = """
import json, sys

out = {}
for key, text in json.loads(sys.argv[1]).items():
    scope = {}
    exec(text, scope)
    model = scope["model"]
    out[key] = [model.count_params(), [type(op).__name__ for op in model.operations]]
print(json.dumps(out))
"""

FOLLOWED = {
    "drops": {},
    "keeps": {"init": "        self.supports_masking = True\n"},
    "mask-argument": {"params": ", mask=None"},  # Keras gives it the mask (a row), and drops it after
    "named-mask-argument": {"params": ", training=None, input_mask=None"},  # not `mask`: given nothing
    "compute_mask": {"extra": "\n    def compute_mask(self, inputs, mask=None):\n        return mask\n"},
    "compute_mask-none": {"extra": "\n    def compute_mask(self, inputs, mask=None):\n        return None\n"},
    "compute_mask-new": {"extra": "\n    def compute_mask(self, inputs, mask=None):\n"
                                  "        return ops.any(ops.not_equal(inputs, 0), axis=-1)\n"},
    "compute_mask-off": {"init": "        self.supports_masking = False\n",
                         "extra": "\n    def compute_mask(self, inputs, mask=None):\n        return mask\n"},
}


def _source(base="layers.Layer", init="", params="", extra=""):
    return SOURCE.format(base=base, init=init, params=params, extra=extra)


def _model(**case):
    return analyze_source(_source(**case), "m.py").models[-1]


def test_followed_cases():
    rows = {key: [r.layer.type for r in _model(**case).rows] for key, case in FOLLOWED.items()}
    assert rows["drops"] == rows["named-mask-argument"] == rows["compute_mask-none"] == rows["compute_mask-off"] == \
        ["InputLayer", "Embedding", "Block", "GRU"]
    assert rows["keeps"] == rows["compute_mask"] == ["InputLayer", "Embedding", "Block", "NotEqual", "GRU"]
    assert rows["mask-argument"] == ["InputLayer", "Embedding", "NotEqual", "Block", "GRU"]
    assert rows["compute_mask-new"] == ["InputLayer", "Embedding", "NotEqual", "Block", "Any", "GRU"]


@pytest.mark.keras
def test_followed_cases_agree_with_keras():
    truth = keras_probe(PROBE, {key: _source(**case) for key, case in FOLLOWED.items()})
    for key, case in FOLLOWED.items():
        model = _model(**case)
        assert [model.total, [r.layer.type for r in model.rows]] == truth[key], key


@pytest.mark.parametrize("case", [
    {"init": "        self.supports_masking = kwargs.get('masking', True)\n"},
    {"init": "        if True:\n            self.supports_masking = True\n"},
    {"init": "        self.supports_masking = True\n        super().__init__()\n"},  # undone by Layer.__init__
    {"base": "layers.GlobalAveragePooling1D"},  # a Keras layer's own masking rules
    {"extra": "\n    def compute_mask(self, inputs, mask=None):\n        return self.unknown_mask(inputs)\n"},
], ids=["supports-masking-computed", "supports-masking-nested", "supports-masking-before-init", "keras-layer-base",
        "compute_mask-unknown"])
def test_other_custom_layers_stay_unknown(case):
    model = _model(**case)
    assert model.total is None
    assert model.reasons


def test_masks_of_several_tensor_arguments_stay_unknown():
    # Two tensor arguments: Keras gives `x_mask=` the first one's mask, which the analysis does not follow.
    source = """import keras
from keras import layers


class Pair(layers.Layer):
    def call(self, x, y, x_mask=None):
        return x + y


tokens = keras.Input((5,), dtype="int32")
embedded = layers.Embedding(10, 4, mask_zero=True)(tokens)
model = keras.Model(tokens, layers.GRU(2)(Pair()(embedded, embedded)))
"""
    model = analyze_source(source, "m.py").models[-1]
    assert model.total is None
    assert any("x_mask" in r for r in model.reasons)


KERAS2_STYLE = """import keras
from keras import layers


class Attend(layers.Layer):
    def __init__(self, **kwargs):
        self.supports_masking = {flag}
        super(Attend, self).__init__(**kwargs)

    def call(self, x, mask=None):
        return x
{extra}

tokens = keras.Input((12,), dtype="int32")
hidden = Attend()(layers.Embedding(100, 8, mask_zero=True)(tokens))
model = keras.Model(tokens, layers.GRU(4)(hidden))
"""
KERAS2_CASES = {f"{flag}-{bool(extra)}": KERAS2_STYLE.format(flag=flag, extra=extra) for flag in (True, False)
                for extra in ("", "\n    def compute_mask(self, x, mask=None):\n        return mask\n")}


@pytest.mark.keras
def test_supports_masking_set_before_layer_init():
    # Keras 2 style: the flag set before `super().__init__()`, which sets it again from compute_mask (Keras 3).
    truth = keras_probe(PROBE, KERAS2_CASES)
    for key, source in KERAS2_CASES.items():
        model = analyze_source(source, "m.py").models[-1]
        assert [model.total, [r.layer.type for r in model.rows]] == truth[key], key
