"""The names Keras 3 takes for an initializer, a regularizer or a constraint given as a string
(``kernel_initializer="he_normal"``): the keys of ``keras.src.initializers.ALL_OBJECTS_DICT`` (and of the
regularizers' and constraints'), as Keras 3.15 has them. Any other string makes Keras's ``get`` raise "Could not
interpret initializer identifier" (``"He_Normal"``, ``"maxnorm"``, ``"l1_l2"``), unless a custom object of that
name is registered, which the analysis does not follow. The activations' names are in applications.json."""

from __future__ import annotations

from typing import Optional

INITIALIZERS = frozenset((
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "IdentityInitializer",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer", "RandomNormal",
    "RandomUniform", "STFT", "STFTInitializer", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity", "initializer", "lecun_normal",
    "lecun_uniform", "normal", "one", "ones", "orthogonal", "random_normal", "random_uniform", "stft",
    "truncated_normal", "uniform", "variance_scaling", "zero", "zeros"))
REGULARIZERS = frozenset(("L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "l1", "l1l2", "l2",
                          "orthogonal_regularizer", "regularizer"))
CONSTRAINTS = frozenset(("Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "constraint", "max_norm",
                         "min_max_norm", "non_neg", "unit_norm"))


def unknown_identifier(argument: str, value: str) -> Optional[str]:
    """What kind of identifier ``argument`` takes (``"initializer"``) if ``value`` is not one of Keras's names
    for it; None if it is, or if the argument takes no such identifier."""
    for suffix, names in (("_initializer", INITIALIZERS), ("_regularizer", REGULARIZERS),
                          ("_constraint", CONSTRAINTS)):
        if argument.endswith(suffix):
            return None if value in names else suffix[1:]
    return None
