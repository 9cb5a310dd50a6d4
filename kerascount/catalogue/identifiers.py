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


#: The strings ``compile`` takes, as Keras 3.15 reads them: ``optimizer=`` looked up case-insensitively among the keys
#: of ``keras.src.optimizers.ALL_OBJECTS_DICT`` (kept in lower case here); ``loss=`` as written among
#: ``keras.src.losses.ALL_OBJECTS_DICT``'s; a metric among ``keras.src.metrics.ALL_OBJECTS_DICT``'s and the four
#: ``compile`` reads itself ("accuracy", "acc", "crossentropy", "ce": chosen by the loss). tests/test_compile_names.py
#: compares them with Keras.
OPTIMIZERS = frozenset((
    "adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "lossscaleoptimizer",
    "multioptimizer", "muon", "nadam", "optimizer", "optimizermap", "rmsprop", "schedulefreeadamw", "sgd"))
LOSSES = frozenset((
    "BCE", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "Circle", "CosineSimilarity", "Dice", "Hinge", "Huber", "KLD",
    "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MAE", "MAPE", "MSE", "MSLE", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
    "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky", "bce", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "circle", "cosine_similarity", "ctc", "dice", "hinge", "huber", "kl_divergence", "kld", "log_cosh", "mae", "mape",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "mse", "msle", "poisson", "sparse_categorical_crossentropy", "squared_hinge", "tversky"))
METRICS = frozenset((
    "AUC", "Accuracy", "BCE", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU", "CategoricalAccuracy",
    "CategoricalCrossentropy", "CategoricalHinge", "ConcordanceCorrelation", "CosineSimilarity", "F1Score",
    "FBetaScore", "FalseNegatives", "FalsePositives", "Hinge", "IoU", "KLDivergence", "LogCoshError", "MAE", "MAPE",
    "MSE", "MSLE", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanIoU", "MeanMetricWrapper",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric", "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation",
    "Poisson", "Precision", "PrecisionAtRecall", "R2Score", "Recall", "RecallAtPrecision", "RootMeanSquaredError",
    "SensitivityAtSpecificity", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity", "SquaredHinge", "Sum", "TopKCategoricalAccuracy",
    "TrueNegatives", "TruePositives", "accuracy", "auc", "bce", "binary_accuracy", "binary_crossentropy", "binary_io_u",
    "categorical_accuracy", "categorical_crossentropy", "categorical_hinge", "concordance_correlation",
    "cosine_similarity", "f1_score", "f_beta_score", "false_negatives", "false_positives", "hinge", "io_u",
    "kl_divergence", "log_cosh_error", "mae", "mape", "mean", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_io_u", "mean_metric_wrapper", "mean_squared_error", "mean_squared_logarithmic_error", "metric", "mse", "msle",
    "one_hot_io_u", "one_hot_mean_io_u", "pearson_correlation", "poisson", "precision", "precision_at_recall",
    "r2_score", "recall", "recall_at_precision", "root_mean_squared_error", "sensitivity_at_specificity",
    "sparse_categorical_accuracy", "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy",
    "specificity_at_sensitivity", "squared_hinge", "sum", "top_k_categorical_accuracy", "true_negatives",
    "true_positives", "acc", "crossentropy", "ce"))
#: Loss and metric names ``compile`` took in Keras 1/2 and tf.keras 2 that Keras 3 does not have, and Keras 3's
#: (KC404 says so; tests/test_legacy.py checks both with Keras).
LEGACY_COMPILE_NAMES = {
    "loss": {"logcosh": "log_cosh", "cosine_proximity": "cosine_similarity", "cosine": "cosine_similarity",
             "kullback_leibler_divergence": "kl_divergence", "huber_loss": "huber"},
    "metric": {"logcosh": "log_cosh_error", "log_cosh": "log_cosh_error", "cosine_proximity": "cosine_similarity",
               "cosine": "cosine_similarity", "kullback_leibler_divergence": "kl_divergence", "kld": "kl_divergence",
               "KLD": "kl_divergence", "fmeasure": "f1_score"},
}
#: Names earlier Keras took (those above, Keras 1's other metrics; tf.keras 2 read any loss name as a metric too):
#: not misspellings.
KERAS2_LOSSES = frozenset(LEGACY_COMPILE_NAMES["loss"])
KERAS2_METRICS = KERAS2_LOSSES | LOSSES | frozenset(LEGACY_COMPILE_NAMES["metric"]) | frozenset((
    "fbeta_score", "matthews_correlation"))


def _distance(a: str, b: str) -> int:
    """Edits between ``a`` and ``b`` (insertions, deletions, substitutions and swaps of neighbours)."""
    previous2: list = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            row.append(best)
        previous2, previous = previous, row
    return previous[-1]


def misspelt_compile_name(role: str, value: str) -> Optional[str]:
    """For a string given to ``compile`` as an optimizer, a loss or a metric (``role``) that no Keras takes: the
    name of Keras 3's it is a slip of (one edit away, two for names of twelve letters and more, letter case aside),
    or None when Keras knows ``value`` or nothing is that close (a custom object may be registered under it)."""
    if role == "optimizer":
        known, older = OPTIMIZERS, frozenset()
        value = value.lower()
    else:
        known, older = (LOSSES, KERAS2_LOSSES) if role == "loss" else (METRICS, KERAS2_METRICS)
    if value in known or value in older or not value or len(value) > 64 or \
            role == "metric" and value.lower() in ("accuracy", "acc"):
        return None  # (compile reads "accuracy" and "acc" in any letter case)
    near = 1 if len(value) < 12 else 2  # (`my_score` is two letters from `f1_score`: not a slip of it)
    best = None
    for name in sorted(known):
        if name[0].isupper() != value[0].isupper() and role != "optimizer" and name.lower() != value.lower():
            continue  # (a class name against a function's: too different to be the same slip)
        d = _distance(value.lower(), name.lower())
        if d == 0:
            return name  # the letter case is the only slip ("Mse", "Categorical_crossentropy")
        if d <= near and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best is not None else None
