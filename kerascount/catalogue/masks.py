"""Keras masks (``Embedding(mask_zero=True)``, ``Masking``): which layers make, pass on and take them.

A layer that supports masking sets its output's mask with ``compute_mask``, which may run operations on
tensors (Embedding's ``not_equal``); any other layer drops the mask. ``Layer.__call__`` passes a layer
whose ``call`` takes ``mask`` the mask of its input. When the layer is called on one tensor alone
(``lstm(x)``), Keras fills that argument into the very keyword dict its graph node records, which puts
the operations that made the mask into the functional graph: rows of ``model.summary()``. Called in any
other way (``lstm(x, training=False)``), the node does not record it. tests/test_masks_keras.py checks
these tables against the installed Keras.
"""

from __future__ import annotations

from typing import Dict, FrozenSet

#: How ``compute_mask`` sets the output's mask, for layers that support masking: "keep" (Keras's default:
#: the input's), "drop" (none), "sequences" (the input's on the first output with ``return_sequences``),
#: "bidirectional" (the same, for the wrapped layer), "merge" (``logical_or`` of the inputs' masks when all
#: have one), "embedding" (``not_equal(x, 0)`` with ``mask_zero=True``), "masking" (``any(not_equal(x,
#: mask_value), axis=-1)``). Layers not listed here or in ``NOT_FOLLOWED`` do not support masking.
COMPUTE_MASK: Dict[str, str] = {
    **{name: "keep" for name in (
        "Activation", "ActivityRegularization", "AlphaDropout", "BatchNormalization", "Dense", "Dropout", "ELU",
        "GaussianDropout", "GaussianNoise", "GroupNormalization", "GroupedQueryAttention", "Identity",
        "LayerNormalization", "LeakyReLU", "MultiHeadAttention", "Normalization", "PReLU", "ReLU", "Rescaling",
        "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "TimeDistributed",
        "UnitNormalization")},
    # Their compute_mask returns None.
    **{name: "drop" for name in ("GlobalAveragePooling1D", "Dot", "ReversibleEmbedding")},
    **{name: "sequences" for name in ("SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN")},
    "Bidirectional": "bidirectional",
    **{name: "merge" for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")},
    "Embedding": "embedding",
    "Masking": "masking",
}

#: Layers that support masking with a ``compute_mask`` the analysis does not follow.
NOT_FOLLOWED: FrozenSet[str] = frozenset({"Concatenate", "Attention", "AdditiveAttention", "Lambda"})

#: Layers whose ``call`` takes ``mask``.
TAKES_MASK: FrozenSet[str] = frozenset({
    "Attention", "AdditiveAttention", "BatchNormalization", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "GRU", "GlobalAveragePooling1D", "LSTM", "Lambda", "RNN", "SimpleRNN", "Softmax", "TimeDistributed"})
