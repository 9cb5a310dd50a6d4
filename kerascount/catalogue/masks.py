"""Keras masks (``Embedding(mask_zero=True)``, ``Masking``): which layers make, pass on and take them.

A layer that supports masking sets its output's mask with ``compute_mask``, which may run operations on
tensors (Embedding's ``not_equal``); any other layer drops the mask. ``Layer.__call__`` passes a layer
whose ``call`` takes ``mask`` the mask of its input. When the layer is called on one tensor alone
(``lstm(x)``), Keras fills that argument into the very keyword dict its graph node records, which puts
the operations that made the mask into the functional graph: rows of ``model.summary()``. Called in any
other way (``lstm(x, training=False)``), the node does not record it.

Each layer says it in its spec, beside its shapes and weights (``compute_mask=``, ``takes_mask=``); these
are the tables the extract stage reads, made from the specs. tests/test_masks_keras.py checks them against
the installed Keras.
"""

from __future__ import annotations

from typing import Dict, FrozenSet

from . import specs

#: How ``compute_mask`` sets the output's mask, for layers that support masking: "keep" (Keras's default:
#: the input's), "drop" (none), "sequences" (the input's on the first output with ``return_sequences``),
#: "bidirectional" (the same, for the wrapped layer), "merge" (``logical_or`` of the inputs' masks when all
#: have one), "concatenate" (the inputs' masks, as tensors of their inputs' shapes, concatenated and reduced
#: with ``any`` over the last axis), "attention" (the query's mask, through ``convert_to_tensor``), "lambda"
#: (none without ``mask=``, else not followed), "embedding" (``not_equal(x, 0)`` with ``mask_zero=True``),
#: "masking" (``any(not_equal(x, mask_value), axis=-1)``). Layers not listed here or in ``NOT_FOLLOWED`` do
#: not support masking.
COMPUTE_MASK: Dict[str, str] = {spec.name: spec.compute_mask for spec in specs()
                                if spec.compute_mask not in (None, "not_followed")}

#: Layers that support masking with a ``compute_mask`` the analysis does not follow.
NOT_FOLLOWED: FrozenSet[str] = frozenset(spec.name for spec in specs() if spec.compute_mask == "not_followed")

#: Layers whose ``call`` takes ``mask``.
TAKES_MASK: FrozenSet[str] = frozenset(spec.name for spec in specs() if spec.takes_mask)
