"""The mask tables (catalogue/masks.py) agree with the installed Keras, for every layer of the catalogue:
which layers support masking, whose ``compute_mask`` they run, and which take ``mask`` in ``call``.

What the rules do on real models is checked by fixtures/ops/masks.py. Keras runs in a subprocess
(marker ``keras``).
"""

from __future__ import annotations

from typing import Any, Dict

import pytest

import kerascount.catalogue as catalogue
from kerascount.catalogue.masks import COMPUTE_MASK, NOT_FOLLOWED, TAKES_MASK
from test_catalogue_keras import keras_probe

PROBE = r"""
import inspect, json, sys
import keras
from keras.src.layers.layer import Layer
out = {}
for name in json.loads(sys.argv[1]):
    # A spec is named by its class, which Keras may export under another name only (GroupQueryAttention).
    cls = getattr(keras.layers, name, None) or next((c for c in vars(keras.layers).values()
                                                     if getattr(c, "__name__", None) == name), None)
    inits = "".join(inspect.getsource(k.__init__) for k in cls.__mro__
                    if "__init__" in vars(k) and k.__module__.startswith("keras"))
    owner = next(k.__name__ for k in cls.__mro__ if "compute_mask" in vars(k))
    out[name] = {"sets": "supports_masking = True" in inits, "mask_zero": "supports_masking = mask_zero" in inits,
                 "compute_mask": owner, "takes_mask": "mask" in inspect.signature(cls.call).parameters}
print(json.dumps(out))
"""

#: Whose compute_mask each rule stands for.
_OWNERS = {"keep": {"Layer"}, "drop": {"GlobalAveragePooling1D", "Dot", "ReversibleEmbedding"}, "sequences": {"RNN", "ConvLSTM"},
           "bidirectional": {"Bidirectional"}, "merge": {"Merge"}, "concatenate": {"Concatenate"},
           "attention": {"Attention"}, "lambda": {"Lambda"}, "embedding": {"Embedding"}, "masking": {"Masking"}}


@pytest.fixture(scope="module")
def keras_layers() -> Dict[str, Any]:
    return keras_probe(PROBE, sorted(s.name for s in catalogue.specs()))


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(s.name for s in catalogue.specs()))
def test_masks_match_keras(name: str, keras_layers: Dict[str, Any]) -> None:
    info = keras_layers[name]
    supports = info["sets"] or info["mask_zero"] or info["compute_mask"] != "Layer"
    assert supports == (name in COMPUTE_MASK or name in NOT_FOLLOWED), "supports masking"
    if name in COMPUTE_MASK:
        assert info["compute_mask"] in _OWNERS[COMPUTE_MASK[name]], f"compute_mask of {info['compute_mask']}"
    assert info["takes_mask"] == (name in TAKES_MASK), "call takes mask"
