"""Names ``keras.layers`` exports that the catalogue leaves out on purpose, each with why.

tests/test_catalogue_exports.py lists the exports of the installed Keras and fails for any name
that is neither a catalogue layer, a layer function (``concatenate``), something the interpreter
handles itself (``NOT_LAYERS``) nor listed in ``LEFT_UNKNOWN``. A layer listed there is reported
as unknown with its reason (rule KC901), never guessed.
"""

from __future__ import annotations

from typing import Dict, Optional

#: Exports that are not layer classes, or that the interpreter handles itself.
NOT_LAYERS: Dict[str, str] = {
    "Input": "a function that makes an InputLayer; the interpreter handles it (keras.Input)",
    "Layer": "the base class of custom layers; a subclass is analysed from its own code",
    "InputSpec": "a description of the inputs a layer accepts, not a layer",
    "serialize": "a function from a layer to its config",
    "deserialize": "a function from a config to a layer",
}

#: Layers whose shapes or weights the source of the model does not determine.
LEFT_UNKNOWN: Dict[str, str] = {
    "TorchModuleWrapper": "it wraps a PyTorch module, whose shapes and parameters come from PyTorch code",
    "JaxLayer": "it wraps JAX functions, whose shapes and parameters come from JAX code",
    "FlaxLayer": "it wraps a Flax module, whose shapes and parameters come from Flax code",
    "TFSMLayer": "it loads a TensorFlow SavedModel from disk: its shapes are in the saved files",
    "Wrapper": "the abstract base class of wrappers: it has no `call` of its own (subclass it)",
    "STFTSpectrogram": "an audio front end whose frame count and kernels depend on rules not modelled yet",
    # Keras builds these only with TensorFlow installed (ImportError otherwise), and no fixture with truth from
    # such a Keras checks them yet (TextVectorization, StringLookup and IntegerLookup have: catalogue/text.py).
    **{name: "Keras makes it only with TensorFlow installed, and kerascount has no ground truth for it yet" for name
       in ("Hashing", "HashedCrossing")},
    "Equalization": "its symbolic output is its input tensor itself, so Keras rejects a model that uses it "
                    "(\"... is part of a cycle\")",
    "MaxNumBoundingBoxes": "it works on bounding-box dictionaries, not on image tensors",
}


_KERAS1 = "a Keras 1 layer"
#: Layer classes of Keras 1 and 2 that Keras 3's ``keras.layers`` no longer has (``layers.RandomHeight(0.2)``
#: raises AttributeError there, ``from keras.layers import CuDNNLSTM`` ImportError): each with what it was.
REMOVED: Dict[str, str] = {
    **{name: "a preprocessing layer of Keras 2 (tf.keras up to TensorFlow 2.15) that Keras 3 dropped"
       for name in ("RandomHeight", "RandomWidth")},
    **{name: "a Keras 2 layer that Keras 3 dropped" for name in ("LocallyConnected1D", "LocallyConnected2D")},
    "ThresholdedReLU": "a Keras 2 layer that Keras 3 dropped (ReLU(threshold=...) computes it)",
    **{name: "Keras 2's GPU-only layer (Keras 3's LSTM and GRU use cuDNN themselves)" for name in
       ("CuDNNLSTM", "CuDNNGRU")},
    "DenseFeatures": "a Keras 2 layer of TensorFlow feature columns",
    "SyncBatchNormalization": "Keras 2's layers.experimental.SyncBatchNormalization (tf.keras 2.2 to 2.15); Keras 3 "
                              "writes it BatchNormalization(synchronized=True)",
    **{name: f"the Keras 1 and 2 name of {new}, with Keras 1's `output_shape=` (not followed)"
       for name, new in (("Deconvolution2D", "Conv2DTranspose"), ("Deconv2D", "Conv2DTranspose"),
                         ("Deconvolution3D", "Conv3DTranspose"), ("Deconv3D", "Conv3DTranspose"))},
    **{name: _KERAS1 for name in ("AtrousConvolution1D", "AtrousConvolution2D", "Highway", "MaxoutDense",
                                  "TimeDistributedDense", "Merge")},
}


def removed(name: str) -> Optional[str]:
    """Why ``keras.layers.<name>`` of older Keras is not followed: Keras 3 has no such layer; None otherwise."""
    why = REMOVED.get(name)
    return None if why is None else f"Keras 3 has no layer `{name}` (`keras.layers.{name}` does not exist): {why}"


def reason(name: str) -> Optional[str]:
    """Why ``keras.layers.<name>`` is left unknown, or None if it is not one of those."""
    return LEFT_UNKNOWN.get(name)
