"""A custom layer on a masked tensor (extract/masks.MaskCalls.custom_mask_rule): Keras 3 gives the mask to `call`
only when it takes a `mask` argument, and keeps it on the output only when the layer supports masking (it defines
`compute_mask`, or sets `supports_masking`). A plain `Layer` subclass without either drops the mask; one that sets
`self.supports_masking = True` in `__init__` passes it on (fixtures/custom/mask_dropped_by_custom_layer.py holds both,
checked against Keras). Anything else stays unknown, with the reason."""

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

FOLLOWED = {"drops": {}, "keeps": {"init": "        self.supports_masking = True\n"}}


def _source(base="layers.Layer", init="", params="", extra=""):
    return SOURCE.format(base=base, init=init, params=params, extra=extra)


def _model(**case):
    return analyze_source(_source(**case), "m.py").models[-1]


def test_followed_cases():
    drops, keeps = _model(**FOLLOWED["drops"]), _model(**FOLLOWED["keeps"])
    assert [r.layer.type for r in drops.rows] == ["InputLayer", "Embedding", "Block", "GRU"]
    assert [r.layer.type for r in keeps.rows] == ["InputLayer", "Embedding", "Block", "NotEqual", "GRU"]


@pytest.mark.keras
def test_followed_cases_agree_with_keras():
    truth = keras_probe(PROBE, {key: _source(**case) for key, case in FOLLOWED.items()})
    for key, case in FOLLOWED.items():
        model = _model(**case)
        assert [model.total, [r.layer.type for r in model.rows]] == truth[key], key


@pytest.mark.parametrize("case", [
    {"params": ", mask=None"},  # Keras gives it the mask
    {"params": ", training=None, input_mask=None"},
    {"extra": "\n    def compute_mask(self, inputs, mask=None):\n        return mask\n"},
    {"init": "        self.supports_masking = kwargs.get('masking', True)\n"},
    {"init": "        if True:\n            self.supports_masking = True\n"},
    {"init": "        self.supports_masking = True\n        super().__init__()\n"},  # undone by Layer.__init__
    {"base": "layers.GlobalAveragePooling1D"},  # a Keras layer's own masking rules
], ids=["mask-argument", "named-mask-argument", "compute_mask", "supports-masking-computed",
        "supports-masking-nested", "supports-masking-before-init", "keras-layer-base"])
def test_other_custom_layers_stay_unknown(case):
    model = _model(**case)
    assert model.total is None
    assert model.reasons
