"""Canonical names for everything importable from Keras, whatever the import style.

``tensorflow.keras.layers.Conv2D``, ``tf.keras.layers.Conv2D``,
``keras.layers.convolutional.Conv2D``, ``tf_keras.layers.Conv2D`` and ``keras_core.layers.Conv2D`` all become
``keras.layers.Conv2D``; :func:`classify` says what a canonical path denotes.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from .. import catalogue

# Longest first: prefixes that are the Keras package under another name.
_KERAS_ROOTS = (
    "tensorflow.python.keras",
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v2.keras",
    "tensorflow.keras",
    "tf_keras",
    "keras.src",
    "keras.api",
    "keras._tf_keras.keras",
    "keras_core",  # Keras 3 before its release (keras_core 0.1): the same API
    "keras",
)

#: TensorFlow 2's own names for Keras modules (``tf.losses.Huber()``, ``tf.optimizers.Adam(1e-3)``): TensorFlow sets
#: them to ``tf.keras``'s (Keras 3's, from TensorFlow 2.16) when it is imported.
_TF_KERAS_MODULES = (
    ("tensorflow.losses", "keras.losses"),
    ("tensorflow.metrics", "keras.metrics"),
    ("tensorflow.optimizers", "keras.optimizers"),
    ("tensorflow.initializers", "keras.initializers"),
)

# Submodules whose members are re-exported as ``keras.layers.X``.
_LAYER_MODULES = {
    "layers",
    "layers.core",
    "layers.convolutional",
    "layers.pooling",
    "layers.merge",
    "layers.merging",
    "layers.normalization",
    "layers.reshaping",
    "layers.activation",
    "layers.activations",
    "layers.regularization",
    "layers.recurrent",
    "layers.advanced_activations",
    "layers.noise",
    "layers.embeddings",
    "layers.wrappers",
    "layers.rnn",
    "layers.attention",
    "layers.preprocessing",
}

#: Packages of pretrained Keras models (presets are downloaded): their layers and models are not analysed.
KERAS_HUB = ("keras_hub", "keras_nlp", "keras_cv")
#: TensorFlow Hub (``hub.KerasLayer(url)``): a model downloaded by its URL, whose layers and weights the source
#: does not hold.
TF_HUB = "tensorflow_hub"

#: Keras 1 and 2 modules that exported ``Layer``, ``InputSpec`` and ``Input`` (``from keras.engine.topology import
#: Layer``); Keras 3 has no ``keras.engine``, the same classes are ``keras.layers``'s.
_ENGINE_MODULES = ("engine", "engine.topology", "engine.base_layer")

_MODEL_MODULES = {"", "models", "engine", "engine.training", "engine.sequential", "engine.functional",
                  "models.sequential", "models.functional", "models.model"}


def canonical(path: str) -> Optional[str]:
    """``tensorflow.keras.layers.Dense`` → ``keras.layers.Dense``; None if not Keras (cached: loops ask again)."""
    found = _CANONICAL.get(path, _CANONICAL)
    if found is _CANONICAL:
        found = None
        for alias, module in _TF_KERAS_MODULES:
            if path == alias or path.startswith(alias + "."):
                found = module + path[len(alias):]
                break
        for root in _KERAS_ROOTS if found is None else ():
            if path == root:
                found = "keras"
                break
            if path.startswith(root + "."):
                found = "keras." + path[len(root) + 1:]
                break
        if len(_CANONICAL) >= 4096:
            _CANONICAL.clear()
        _CANONICAL[path] = found
    return found  # type: ignore[return-value]


_CANONICAL: dict = {}


_CLASSIFIED: Dict[str, Tuple[str, str]] = {}


def classify(path: str) -> Tuple[str, str]:
    """``_classify(path)``, cached (every call of a Keras name asks)."""
    found = _CLASSIFIED.get(path)
    if found is None:
        if len(_CLASSIFIED) >= 4096:
            _CLASSIFIED.clear()
        found = _CLASSIFIED[path] = _classify(path)
    return found


def _classify(path: str) -> Tuple[str, str]:
    """What a canonical ``keras...`` path denotes.

    Returns ``(kind, name)`` with kind one of ``layer`` (a layer class),
    ``layer_function`` (``concatenate`` and friends), ``operation`` (a ``keras.ops`` function on
    tensors: its operation class), ``input`` (``Input``),
    ``sequential``, ``model``, ``application``, ``module`` or ``other``.
    """
    if not path.startswith("keras"):
        return "other", path
    rest = path[len("keras."):] if path != "keras" else ""
    module, _, last = rest.rpartition(".")
    if not rest:
        return "module", path
    if last in ("Input",) and (module in _LAYER_MODULES or module in ("", "engine.input_layer", "layers.input_layer",
                                                                      *_ENGINE_MODULES)):
        return "input", "Input"
    if last in ("Layer", "InputSpec") and (module in _ENGINE_MODULES or not module):
        # Keras 1/2's keras.engine(.topology, .base_layer).Layer, Keras 3's keras.Layer: the base of custom layers
        return "layer", last
    if module in _MODEL_MODULES or module in _LAYER_MODULES:
        if last == "Sequential":
            return "sequential", last
        if last in ("Model", "Functional"):
            return "model", last
    if module in _LAYER_MODULES or module.startswith("layers."):
        if last in catalogue.LAYER_FUNCTIONS:
            return "layer_function", catalogue.LAYER_FUNCTIONS[last]
        if last[:1].isupper():
            return "layer", last
    if module == "applications.mobilenet" and last == "DepthwiseConv2D":
        # Keras 2.1's MobileNet module defined the layer (keras.layers has had it since 2.1.5), and code of that time
        # imports it from there; Keras 3's module has no such name (KC404 says the import fails)
        return "layer", last
    if module.startswith("applications") and last[:1].isupper():
        return "application", last
    if module == "ops" or module.startswith("ops."):
        submodule, operation = catalogue.ops.FUNCTIONS.get(last, ("", ""))
        if operation and (module == f"ops.{submodule}" or module == "ops" and
                          submodule not in catalogue.ops.ONLY_SUBMODULE):
            return "operation", operation
    if rest in _LAYER_MODULES or rest in _MODEL_MODULES or rest.split(".")[0] in (
        "applications", "activations", "initializers", "regularizers", "constraints", "optimizers",
        "losses", "metrics", "utils", "backend", "ops", "callbacks", "datasets", "preprocessing",
        "mixed_precision", "config", "random",
    ):
        return "module", path
    return "other", path
