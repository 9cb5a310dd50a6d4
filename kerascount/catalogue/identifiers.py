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


#: The ``dtype=`` strings a Keras 3.15 layer takes that keep its weights as they are: the names of
#: ``keras.src.backend.common.dtypes.ALLOWED_DTYPES``, "int" (made int32) and the two mixed policies. Any other
#: string is either a quantized policy ("int8_from_float32": it adds scales or changes the kernel) or rejected
#: ("float", "float99": "Cannot convert ... to a mixed precision DTypePolicy").
DTYPES = frozenset(("bfloat16", "bool", "complex128", "complex64", "float16", "float32", "float64", "float8_e4m3fn",
                    "float8_e5m2", "int16", "int32", "int64", "int8", "string", "uint16", "uint32", "uint64", "uint8",
                    "int", "mixed_float16", "mixed_bfloat16"))


def dtype_problem(value: object) -> Optional[str]:
    """Why a layer's ``dtype=`` leaves its weights unknown, or None if it does not (None, a dtype name, a
    mixed policy, an object the analysis does not see)."""
    if value is None:
        return None
    if isinstance(value, str):
        if value in DTYPES:
            return None
        if "_from_" in value:
            return (f"`dtype={value!r}` is a quantized dtype policy, which changes the layer's weights (scales, a "
                    "packed kernel); the catalogue does not follow it")
        return (f"`dtype={value!r}` is not a dtype Keras 3 knows: Keras 3.15 rejects it (\"Cannot convert ... to a "
                "mixed precision DTypePolicy\")")
    if isinstance(value, (int, float)):
        return f"`dtype={value!r}` is not a dtype: Keras 3 rejects it (\"Cannot interpret `dtype` argument\")"
    if "Quantiz" in str(getattr(value, "text", "")):
        return "the layer's dtype is a quantized dtype policy, which changes its weights; the catalogue does not follow it"
    return None
