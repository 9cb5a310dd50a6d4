"""KC404 outside layers: Keras 2 calls and imports that Keras 3 rejects or ignores.

Optimizer arguments (`RMSprop(lr=...)`, `decay=`), the generator methods (`fit_generator`), the
methods Keras 2.6 removed (`predict_classes`, `predict_proba`), tf.keras 2's layer methods Keras 3 dropped
(`self.add_metric`, `add_update`), `nb_epoch=` in `fit`, modules
Keras 3 does not have (`keras.layers.core`, `keras.utils.np_utils`, `keras.layers.merge`), and the
functions of Keras 2's `keras.backend` that Keras 3's does not have (`K.int_shape(x)`). A
finding needs to know that the name is Keras's: an optimizer imported from Keras (or, in a
snippet without imports, named as Keras names it), a method called on a model of the file.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from ..nodes import walk as ast_walk
from .. import catalogue
from ..catalogue import identifiers, legacy
from ..extract.names import canonical, classify
from ..ir import Diagnostic, Fix, Span
from .base import RuleContext
from .source import _NODE_FIELDS, dotted, node_fields, node_span

CODE = "KC404"
SEVERITY = "info"  # the rule makes it a warning in Keras 3 code (legacy.keras3_code)

#: Keras 3's optimizers (keras.optimizers.X).
OPTIMIZERS = frozenset(("SGD", "RMSprop", "Adam", "AdamW", "Adadelta", "Adagrad", "Adamax", "Nadam", "Ftrl", "Lion",
                        "Adafactor", "Lamb", "Muon", "LossScaleOptimizer"))
#: The names Keras 3's ``keras.optimizers.legacy`` keeps; making one raises ImportError (the module exists so that
#: the error can say what to do). The keras-marked test in tests/test_legacy_backend.py checks it.
LEGACY_OPTIMIZERS_KEPT = frozenset(("Adagrad", "Adam", "Ftrl", "RMSprop", "SGD"))

#: Keras 2 methods Keras 3 does not have: the Keras 3 method, and the keywords the two share
#: (only a call with these, and its data as the one positional argument, is renamed).
_GENERATOR_METHODS: Dict[str, Tuple[str, frozenset]] = {
    "fit_generator": ("fit", frozenset(("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
                                        "validation_steps", "validation_freq", "class_weight", "shuffle",
                                        "initial_epoch"))),
    "evaluate_generator": ("evaluate", frozenset(("steps", "callbacks", "verbose"))),
    "predict_generator": ("predict", frozenset(("steps", "callbacks", "verbose"))),
}
#: Keras 1 keywords of fit/fit_generator and their Keras 2/3 names, when the rename is exact.
_FIT_KEYWORDS = {"nb_epoch": "epochs"}
#: Keras 1 keywords of fit_generator with no exact Keras 3 equivalent (samples, not steps).
_SAMPLE_COUNTS = {"samples_per_epoch": "steps_per_epoch", "nb_val_samples": "validation_steps"}
_FIT_METHODS = frozenset(("fit", "fit_generator", "evaluate", "evaluate_generator", "compile"))
#: Keras 0 and 1 keywords of compile/fit that no Keras 3 argument replaces, and what to do instead.
_REMOVED = {"show_accuracy": "remove it: give compile metrics=['accuracy']",
            "class_mode": "remove it: the loss says what the labels are"}

#: tf.keras 2's arguments of fit, evaluate and predict (and of the generator methods) for reading generators and
#: Sequences in parallel. Keras 3's fit and predict do not take them (TypeError), nor its evaluate (ValueError
#: "Arguments not recognized"): a ``keras.utils.PyDataset`` takes them in its constructor (tests/test_keras3_model_methods.py).
_LOADER_KEYWORDS = ("workers", "use_multiprocessing", "max_queue_size")


def _listed(names: List[str]) -> str:
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


#: Keras 2 submodules of keras.layers that Keras 3 does not have: their names are keras.layers's.
_LAYER_SUBMODULES = frozenset(("core", "convolutional", "pooling", "merge", "normalization", "recurrent",
                               "advanced_activations", "embeddings", "noise", "wrappers", "local",
                               "convolutional_recurrent", "cudnn_recurrent"))
#: Names keras.layers exports in Keras 3 that are not layers of the catalogue.
_LAYERS_OTHER = frozenset(("Layer", "InputSpec", "Wrapper", "Input", "InputLayer"))
#: Names of Keras 2's layer modules that keras.layers does not have in Keras 3 either, and what to use instead.
_LAYERS_GONE = {"Recurrent": "subclass keras.layers.RNN with a cell, or keras.layers.Layer",
                "ConvRecurrent2D": "use ConvLSTM2D, or subclass keras.layers.Layer",
                "CuDNNLSTM": "LSTM uses cuDNN by itself where it can", "CuDNNGRU": "GRU uses cuDNN by itself where it can",
                "Highway": "write it as a custom layer", "MaxoutDense": "write it as a custom layer",
                "LocallyConnected1D": "write it as a custom layer", "LocallyConnected2D": "write it as a custom layer",
                "ThresholdedReLU": "use ReLU(threshold=...)", "AtrousConvolution1D": "use Conv1D(dilation_rate=...)",
                "AtrousConvolution2D": "use Conv2D(dilation_rate=...)", "Deconvolution2D": "use Conv2DTranspose",
                "_Conv": "subclass keras.layers.Layer", "_Pooling1D": "subclass keras.layers.Layer",
                "_Pooling2D": "subclass keras.layers.Layer", "_Pooling3D": "subclass keras.layers.Layer",
                "_Merge": "subclass keras.layers.Layer",
                "TimeDistributedDense": "use TimeDistributed(Dense(...)), or Dense, which Keras 3 applies to the "
                                        "last axis",
                "Deconv2D": "use Conv2DTranspose", "Deconvolution3D": "use Conv3DTranspose",
                "Deconv3D": "use Conv3DTranspose", "AutoEncoder": "build the encoder and decoder as models"}
#: Layers and functions Keras 2.2 removed (`merge([a, b], mode="concat")`).
_MERGE = {"Merge": "Concatenate, Add, Multiply... layers", "merge": "concatenate, add, multiply... functions"}
#: Other Keras 2 modules Keras 3 does not have, and where their names went.
_MODULES = {"keras.utils.np_utils": "keras.utils", "keras.utils.generic_utils": "keras.utils",
            "keras.utils.vis_utils": "keras.utils", "keras.utils.data_utils": "keras.utils",
            "keras.utils.layer_utils": "keras.utils",
            "keras.engine": "keras.layers (`Layer`, `InputSpec`, `Input`) or keras.utils (`get_source_inputs`)",
            "keras.wrappers.scikit_learn": "scikeras.wrappers (the SciKeras package)"}
#: Keras 3's public modules that hold no module (but those named), where Keras 2 kept its code in modules under them
#: (``keras.initializers.initializers_v2``, ``keras.callbacks.callbacks``, ``keras.backend.tensorflow_backend``,
#: ``keras.optimizers.optimizer_v2.adam``): importing from such a module raises ModuleNotFoundError.
_NO_SUBMODULES = {"initializers": (), "regularizers": (), "constraints": (), "losses": (), "metrics": (),
                  "callbacks": (), "activations": (), "models": (), "backend": (), "saving": (),
                  "mixed_precision": (), "optimizers": ("legacy", "schedules")}
#: The names those modules export in Keras 3, where the catalogue knows them: a ``from`` import of only these is
#: fixed by importing from the module itself (the keras-marked test in tests/test_legacy.py checks them).
_KEPT_NAMES = {"initializers": identifiers.INITIALIZERS - {"initializer", "normal", "uniform", "zero", "one"},
               "regularizers": identifiers.REGULARIZERS - {"l1l2", "regularizer"},
               "constraints": identifiers.CONSTRAINTS - {"constraint"}}
#: Keras 2 preprocessing that Keras 3 removed ("*": the whole module), and what to use instead.
_IMAGES = ("read images with keras.utils.image_dataset_from_directory and augment them with layers such as "
           "RandomFlip and RandomRotation")
_GONE = {("keras.preprocessing.image", "ImageDataGenerator"): _IMAGES,
         ("keras.preprocessing.image", "DirectoryIterator"): _IMAGES,
         ("keras.preprocessing.image", "NumpyArrayIterator"): _IMAGES,
         ("keras.preprocessing.text", "*"): "keras.layers.TextVectorization does the work of its Tokenizer",
         # Keras 2's lower-case aliases of the constraints (Keras 3 keeps max_norm, non_neg, unit_norm)
         ("keras.constraints", "maxnorm"): "use keras.constraints.max_norm (MaxNorm)",
         ("keras.constraints", "nonneg"): "use keras.constraints.non_neg (NonNeg)",
         ("keras.constraints", "unitnorm"): "use keras.constraints.unit_norm (UnitNorm)",
         # Keras 2's lower-case aliases of the initializers that Keras 3 dropped (it keeps random_normal, zeros...;
         # the strings "normal", "uniform", "zero", "one" still name them in `kernel_initializer=`)
         ("keras.initializers", "normal"): "use keras.initializers.RandomNormal (or random_normal)",
         ("keras.initializers", "uniform"): "use keras.initializers.RandomUniform (or random_uniform)",
         ("keras.initializers", "zero"): "use keras.initializers.Zeros (or zeros)",
         ("keras.initializers", "one"): "use keras.initializers.Ones (or ones)"}
#: Keras 3's public modules, which Keras 3.0-3.9 also had under ``keras.api`` (``keras.api.layers``).
_PUBLIC_MODULES = frozenset(("activations", "applications", "backend", "callbacks", "config", "constraints",
                             "datasets", "dtype_policies", "export", "initializers", "layers", "losses", "metrics",
                             "mixed_precision", "models", "ops", "optimizers", "preprocessing", "quantizers", "random",
                             "regularizers", "saving", "tree", "utils", "visualization", "wrappers"))
#: Names keras.utils exports in Keras 3 (those the modules above held).
_UTILS = frozenset(("to_categorical", "normalize", "plot_model", "model_to_dot", "get_custom_objects",
                    "custom_object_scope", "CustomObjectScope", "Progbar", "serialize_keras_object",
                    "deserialize_keras_object", "get_file", "register_keras_serializable", "get_source_inputs"))

#: What keras.backend holds in Keras 3.
KERAS3_BACKEND = frozenset(("backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format",
                            "is_float_dtype", "is_int_dtype", "is_keras_tensor", "result_type", "set_epsilon",
                            "set_floatx", "set_image_data_format", "standardize_dtype"))
#: The functions of Keras 2's keras.backend that Keras 3's does not have (tf.keras's backend, ``tf_keras``, still
#: has them): those keras.ops has under the same name, and the others with what to write instead. The keras-marked
#: test in tests/test_legacy_backend.py checks both lists against real Keras.
KERAS2_BACKEND_IN_OPS = frozenset((
    "abs", "all", "any", "arange", "argmax", "argmin", "cast", "clip", "cos", "cumprod", "cumsum", "dtype", "elu",
    "equal", "exp", "expand_dims", "eye", "greater", "greater_equal", "hard_sigmoid", "less", "less_equal", "log", "max",
    "maximum", "mean", "min", "minimum", "ndim", "not_equal", "one_hot", "ones", "ones_like", "prod", "relu",
    "reshape", "round", "sigmoid", "sign", "sin", "softmax", "softplus", "softsign", "sqrt", "square", "squeeze",
    "stack", "std", "stop_gradient", "sum", "tanh", "tile", "transpose", "var", "zeros", "zeros_like"))
KERAS2_BACKEND_INSTEAD = {
    "int_shape": "`x.shape` (or `keras.ops.shape(x)`)",
    "shape": "`keras.ops.shape(x)`",
    "name_scope": "`keras.name_scope`",
    "concatenate": "`keras.ops.concatenate(tensors, axis=-1)` (its axis defaults to 0, the backend's to -1)",
    "switch": "`keras.ops.where(condition, x, y)` (`keras.ops.switch` is another function)",
    "repeat": "`keras.layers.RepeatVector(n)` (`keras.ops.repeat` repeats elements, as NumPy's does)",
    "dot": "`keras.ops.matmul` or `keras.ops.tensordot`, as the operands' ranks need",
    "batch_dot": "`keras.ops.einsum` or `keras.ops.matmul`",
    "permute_dimensions": "`keras.ops.transpose(x, axes)`",
    "batch_flatten": "`keras.layers.Flatten()`",
    "flatten": "`keras.ops.reshape(x, (-1,))`",
    "pow": "`keras.ops.power`",
    "gather": "`keras.ops.take`",
    "l2_normalize": "`keras.ops.normalize(x, axis=...)` (give the axis: the backend's default was all axes)",
    "variable": "`keras.Variable`",
    "constant": "`keras.ops.convert_to_tensor`",
    "random_normal": "`keras.random.normal`",
    "random_uniform": "`keras.random.uniform`",
    "truncated_normal": "`keras.random.truncated_normal`",
    "get_value": "`keras.ops.convert_to_numpy(variable)`",
    "set_value": "`variable.assign(value)`",
    "count_params": "`layer.count_params()`",
    "dropout": "`keras.random.dropout`",
    "bias_add": "`x + bias`",
    "in_top_k": "`keras.ops.in_top_k`",
    "conv1d": "`keras.ops.conv`", "conv2d": "`keras.ops.conv`", "conv3d": "`keras.ops.conv`",
    "conv2d_transpose": "`keras.ops.conv_transpose`", "depthwise_conv2d": "`keras.ops.depthwise_conv`",
    "separable_conv2d": "`keras.ops.separable_conv`",
    "binary_crossentropy": "`keras.losses.binary_crossentropy`",
    "categorical_crossentropy": "`keras.losses.categorical_crossentropy`",
    "sparse_categorical_crossentropy": "`keras.losses.sparse_categorical_crossentropy`",
    "ctc_batch_cost": "`keras.losses.ctc`", "ctc_decode": "`keras.ops.ctc_decode`",
    "map_fn": "`keras.ops.map`", "rnn": "a recurrent layer (`keras.layers.RNN` with a cell)",
}
#: The other functions of Keras 2's backend (no Keras 3 function takes their place by name).
KERAS2_BACKEND_OTHER = frozenset((
    "batch_get_value", "batch_normalization", "batch_set_value", "binary_focal_crossentropy", "cast_to_floatx",
    "categorical_focal_crossentropy", "ctc_label_dense_to_sparse", "eval", "foldl", "foldr", "gradients", "is_sparse",
    "moving_average_update", "pool2d", "pool3d", "random_bernoulli", "random_normal_variable",
    "random_uniform_variable", "repeat_elements", "resize_images", "resize_volumes", "reverse",
    "spatial_2d_padding", "spatial_3d_padding", "temporal_padding", "to_dense", "update", "update_add",
    "update_sub"))

#: Keras 1's image ordering functions, which Keras 2 kept at first (deprecated) and which neither tf.keras nor
#: Keras 3 has, with what to write instead.
KERAS1_BACKEND_INSTEAD = {
    "image_dim_ordering": "`keras.backend.image_data_format()` (`'channels_first'` for Keras 1's `'th'`, "
                          "`'channels_last'` for `'tf'`)",
    "set_image_dim_ordering": "`keras.backend.set_image_data_format('channels_last')` (or `'channels_first'` "
                              "for Keras 1's `'th'`)",
}


def findings(ctx: RuleContext) -> Iterator[Diagnostic]:
    if ctx.tree is None:
        return
    scan = _scan(ctx.tree)
    bound = scan[0], scan[1]
    if not (ctx.ir.layers or ctx.ir.models or any(canonical(p) for p in (*bound[0].values(), *bound[1]))):
        return
    yield from _imports(ctx.tree)
    snippet = any(note.code == "KC904" for note in ctx.ir.notes)
    models = {m.name for m in ctx.ir.models if m.name}
    # the model methods the analysis saw run: (method, line, column of the call)
    ran = {(method, *site) for m in ctx.ir.models for method, _, site in m.method_calls if site}
    if any(path.startswith("tensorflow.python.keras") for path in bound[0].values()):
        ran = set()  # (TensorFlow's bundled tf.keras 2 saves a SavedModel folder, and weights under any name)
    defined = scan[2]
    for call in scan[3]:
        if isinstance(call.func, ast.Attribute) and call.func.attr in defined:
            continue  # the file defines a method of that name: not (only) Keras's
        found = _optimizer(call, bound, snippet) or _method(call, models, ran) or _backend(call, bound[0]) or \
            _checkpoint(call, bound, snippet, ctx.tree) or _model_keywords(call, bound, snippet) or \
            _alias(call, bound, snippet) or _experimental(call, bound) or _saved(call, ran, bound, snippet, ctx.tree)
        if found is not None:
            yield found


#: The node types ``_scan`` reads (besides calls).
_SCANNED = frozenset((ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.Try, ast.If))


@lru_cache(maxsize=1)  # KC404 asks once per file; an older tree is not kept alive
def _scan(tree: ast.Module) -> Tuple[Dict[str, str], Tuple[str, ...], FrozenSet[str], Tuple[ast.Call, ...]]:
    """One walk of the file: the names its imports bind (→ the dotted path they stand for) and the modules
    imported with ``*``, anywhere in the file; the names of the functions it defines; and its calls in
    source order, leaving out those under `try:` or a test of the version or of `hasattr(...)` (code
    written for several Keras versions on purpose)."""
    bound: Dict[str, str] = {}
    stars: List[str] = []
    defined: Set[str] = set()
    found: List[ast.Call] = []
    nodes, flags = guarded_walk(tree)
    for node, guarded in zip(nodes, flags):
        kind = type(node)  # (the parser makes nodes of these exact types)
        if kind is ast.Call:
            if not guarded:
                found.append(node)
        elif kind not in _SCANNED:
            pass
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                for alias in node.names:
                    if alias.name == "*":
                        stars.append(node.module)
                    else:
                        bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defined.add(node.name)
    for node in tree.body:  # `K = keras.backend`: a module-level alias of a module an import binds
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                isinstance(node.value, ast.Attribute) and node.targets[0].id not in bound:
            path = dotted(node.value)
            head, _, rest = (path or "").partition(".")
            if head in bound:
                bound[node.targets[0].id] = f"{bound[head]}.{rest}"
    found.sort(key=lambda c: (c.lineno, c.col_offset))
    return bound, tuple(stars), frozenset(defined), tuple(found)


@lru_cache(maxsize=1)  # KC404's scan and KC109's (rules/names.py) read the same walk; an older tree is not kept alive
def guarded_walk(tree: ast.AST) -> Tuple[List[ast.AST], List[bool]]:
    """Every node of ``tree``, depth first (a stack that pushes a node's children in ``ast.iter_child_nodes``'s
    order and pops the last pushed first), and whether each lies under ``try:`` or a test of the version or of
    ``hasattr(...)`` (under such a node, not the node itself). A test may name the version through a flag the
    module sets from it (``use_keras_2 = is_tf_keras or keras.__version__ < '3.0'`` ... ``if use_keras_2:``)."""
    flags_named = _version_flags(tree)
    nodes: List[ast.AST] = []
    flags: List[bool] = []
    todo: List[Tuple[ast.AST, bool]] = [(tree, False)]
    pop, push, fields, AST = todo.pop, todo.append, _NODE_FIELDS.get, ast.AST
    add_node, add_flag = nodes.append, flags.append
    while todo:
        node, guarded = pop()
        add_node(node)
        add_flag(guarded)
        kind = type(node)  # (the parser makes nodes of these exact types)
        if kind is ast.Try or kind is ast.If and _guards(node.test, flags_named):
            guarded = True
        names = fields(kind)
        if names is None:
            names = node_fields(kind)
        for name in names:  # the children, in ast.iter_child_nodes's order
            value = getattr(node, name, None)
            if isinstance(value, AST):
                push((value, guarded))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        push((item, guarded))
    return nodes, flags


def _guards(test: ast.expr, flags_named: FrozenSet[str] = frozenset()) -> bool:
    return any(isinstance(n, ast.Name) and (n.id == "hasattr" or "version" in n.id.lower() or n.id in flags_named)
               or isinstance(n, ast.Attribute) and "version" in n.attr.lower() for n in ast_walk(test))


def _version_flags(tree: ast.AST) -> FrozenSet[str]:
    """The names the module's own statements (at its top, and under its top-level ``if``/``try``) set from a test
    of the version, or of another such name: ``use_keras_2 = is_tf_keras or keras.__version__ < '3.0'``."""
    assigned: List[Tuple[str, ast.expr]] = []
    todo = list(getattr(tree, "body", ()))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.append((node.targets[0].id, node.value))
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            assigned.append((node.target.id, node.value))
        elif isinstance(node, ast.If):
            todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                todo.extend(handler.body)
    found: Set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, value in assigned:
            if name not in found and _is_test(value) and _guards(value, frozenset(found)):
                found.add(name)
                grew = True
    return frozenset(found)


def _is_test(value: ast.expr) -> bool:
    """A value that is a truth test (a comparison, ``and``/``or``/``not`` of tests, ``....startswith(...)``, or
    another name), not any expression that happens to read a ``version`` (``load(args.version)``)."""
    if isinstance(value, (ast.Compare, ast.Name)):
        return True
    if isinstance(value, ast.BoolOp):
        return all(_is_test(v) for v in value.values)
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return _is_test(value.operand)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
        value.func.attr in ("startswith", "endswith") or \
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "hasattr"


# -- imports --------------------------------------------------------------------------------


def keras2_imports(tree: ast.Module) -> Iterator[Diagnostic]:
    """The imports of ``tree`` of a module that only Keras 1/2 had (``keras.utils.data_utils``), one finding each."""
    return _imports(tree)


def _imports(tree: ast.Module) -> Iterator[Diagnostic]:
    for node in tree.body if isinstance(tree, ast.Module) else ():
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found = _import_from(node)
            if found is not None:
                yield found


def _import_from(node: ast.ImportFrom) -> Optional[Diagnostic]:
    """``from keras.layers.core import Dense`` and the like."""
    module = node.module or ""
    if not module.startswith("keras."):
        return None  # tensorflow.keras.* modules are TensorFlow's, whose versions differ
    names = [a.name for a in node.names]
    span = _span(node)
    if module == "keras.backend":
        if "tf" in names:
            return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.backend has no `tf` ({_KERAS2_BACKEND_TF}): the import "
                              "fails; `import tensorflow as tf`", span)
        gone = [n for n in names if _keras2_backend(n)]
        return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.backend has no {', '.join(f'`{n}`' for n in gone)} "
                          f"(Keras 2 function{'s' if len(gone) > 1 else ''}): the import fails; {_backend_advice(gone[0])}", span) if gone else None
    parts = module.split(".")
    if module == "keras.layers" or (len(parts) >= 3 and parts[1] == "layers" and parts[2] in _LAYER_SUBMODULES):
        removed = [n for n in names if n in _MERGE]
        if removed:
            what = "; ".join(f"`{n}` (use the {_MERGE[n]})" for n in removed)
            return Diagnostic(CODE, SEVERITY, f"Keras 2.2 removed {what}: the import fails in Keras 3", span)
        if module == "keras.layers":
            gone = [n for n in names if n in _LAYERS_GONE and not n.startswith("_")]
            if not gone:
                return None
            return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.layers has no {', '.join(f'`{n}`' for n in gone)} "
                              f"(Keras 1/2 API): the import fails; {_LAYERS_GONE[gone[0]]}", span)
        fix = None
        if "*" not in names and all(catalogue.lookup(n) is not None or n in catalogue.LAYER_FUNCTIONS or
                                    n in _LAYERS_OTHER for n in names):
            fix = Fix("safe", "import from keras.layers", span, module, ("module", "keras.layers"))
        gone = [n for n in names if n in _LAYERS_GONE]
        kept = [n for n in names if n not in _LAYERS_GONE]
        message = f"Keras 3 has no module `{module}` (a Keras 2 module)"
        if kept:
            message += f": import {', '.join(kept)} from keras.layers"
        if gone:
            message += ("; " if kept else ", and ") + "keras.layers has no " + \
                "; no ".join(f"`{n}` ({_LAYERS_GONE[n]})" for n in gone)
        return Diagnostic(CODE, SEVERITY, message, span, fix)
    if module == "keras.layers.experimental" or module.startswith("keras.layers.experimental."):
        return Diagnostic(CODE, SEVERITY, f"Keras 3 has no module `{module}` (Keras 2's home of the "
                          f"preprocessing layers; the import fails: ModuleNotFoundError): {_experimental_advice(names)}",
                          span)
    if module == "keras.api" or module.startswith("keras.api."):
        rest = module[len("keras.api"):]
        fix = None
        sub = rest.split(".")[1:2]  # (`keras.api.layers` -> ["layers"]; `keras.api` -> [])
        if not sub or sub[0] in _PUBLIC_MODULES:
            fix = Fix("safe", f"import from keras{rest}", span, module, ("module", f"keras{rest}"))
        return Diagnostic(CODE, SEVERITY, f"`{module}` is Keras 3.0-3.9's copy of the public API, which Keras 3.10 "
                          f"and later do not have (the import fails: ModuleNotFoundError): import from `keras{rest}`",
                          span, fix)
    if module == "keras.applications.mobilenet" and {"DepthwiseConv2D", "relu6"} & set(names):
        gone = [n for n in names if n in ("DepthwiseConv2D", "relu6")]
        return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.applications.mobilenet has no "
                          f"{', '.join(f'`{n}`' for n in gone)} (Keras 2.1's MobileNet module defined "
                          f"{'them' if len(gone) > 1 else 'it'}): the import fails; import DepthwiseConv2D from "
                          "keras.layers, and use keras.activations.relu6 (or layers.ReLU(6.0))", span)
    if module == "keras.models" and "Input" in names:
        return Diagnostic(CODE, SEVERITY, "Keras 3's keras.models has no `Input` (Keras 1/2's re-exported it): the "
                          "import fails; import Input from keras (`from keras import Input`)", span)
    if module == "keras.models" and "Graph" in names:
        return Diagnostic(CODE, SEVERITY, "Keras 3's keras.models has no `Graph` (Keras 0 and 1's model of named "
                          "nodes, removed in Keras 2): the import fails; build the model with the functional API "
                          "(`keras.Model(inputs, outputs)`)", span)
    gone = _gone(module, names)
    if gone is not None:
        return Diagnostic(CODE, SEVERITY, f"Keras 3 has no {gone[0]} (Keras 2 API): {gone[1]}", span)
    for old, new in _MODULES.items():
        if module == old or module.startswith(old + "."):
            fix = None
            if new == "keras.utils" and "*" not in names and all(n in _UTILS for n in names):
                fix = Fix("safe", f"import from {new}", span, module, ("module", new))
            return Diagnostic(CODE, SEVERITY, f"Keras 3 has no module `{module}` (a Keras 2 module): import "
                              f"{', '.join(names)} from {new}", span, fix)
        parent, _, leaf = old.rpartition(".")
        if module == parent and leaf in names:
            example = " (`from keras.utils import to_categorical`)" if leaf == "np_utils" else ""
            return Diagnostic(CODE, SEVERITY, f"Keras 3 has no module `{old}` (a Keras 2 module): import what "
                              f"you use of it from {new}{example}", span)
    if len(parts) >= 3 and parts[1] in _NO_SUBMODULES and parts[2] not in _NO_SUBMODULES[parts[1]]:
        home = f"keras.{parts[1]}"
        kept = _KEPT_NAMES.get(parts[1])
        if kept is not None and "*" not in names and all(n in kept for n in names):
            return Diagnostic(CODE, SEVERITY, f"Keras 3 has no module `{module}` (a Keras 2 module; the import fails: "
                              f"ModuleNotFoundError): import {', '.join(names)} from {home}", span,
                              Fix("safe", f"import from {home}", span, module, ("module", home)))
        return Diagnostic(CODE, SEVERITY, f"Keras 3 has no module `{module}` (a Keras 2 module; the import fails: "
                          f"ModuleNotFoundError): import what Keras 3 keeps of it from {home}", span)
    return None


def _gone(module: str, names: List[str]) -> Optional[Tuple[str, str]]:
    """What of ``from module import names`` Keras 3 removed (``_GONE``), and what to use instead."""
    if (module, "*") in _GONE:
        return f"`{module}`", _GONE[(module, "*")]
    removed = [n for n in names if (module, n) in _GONE]
    if removed:
        return ", ".join(f"`{n}`" for n in removed), _GONE[(module, removed[0])]
    for name in names:
        if (f"{module}.{name}", "*") in _GONE:
            return f"`{module}.{name}`", _GONE[(f"{module}.{name}", "*")]
    return None


def _experimental_advice(names: List[str]) -> str:
    kept = [n for n in names if n != "*" and catalogue.lookup(n) is not None]
    gone = [n for n in names if n != "*" and catalogue.lookup(n) is None]
    said = f"import {', '.join(kept)} from keras.layers" if kept else "the preprocessing layers are in keras.layers"
    if gone:
        said += "; keras.layers has no " + ", ".join(f"`{n}`" for n in gone)
    return said


def _experimental(call: ast.Call, bound) -> Optional[Diagnostic]:
    """``layers.experimental.preprocessing.Rescaling(1 / 255)`` with ``layers`` standalone Keras's keras.layers:
    Keras 3's keras.layers has no ``experimental`` (reading it raises AttributeError). Through
    ``tensorflow.keras`` it depends on TensorFlow's version (tf.keras 2 had it): not said."""
    name = dotted(call.func)
    if name is None or ".experimental." not in f".{name}.":
        return None
    head, _, rest = name.partition(".")
    full = bound[0].get(head)
    if full is None or not rest:
        return None
    full = f"{full}.{rest}"
    if not full.startswith("keras.layers.experimental."):
        return None
    leaf = full.rsplit(".", 1)[1]
    return Diagnostic(CODE, SEVERITY, "Keras 3's keras.layers has no `experimental` (Keras 2's home of "
                      "the preprocessing layers; reading it raises AttributeError): "
                      f"{_experimental_advice([leaf]).replace('import ', 'use ', 1)}", _span(call))


def _alias(call: ast.Call, bound, snippet: bool) -> Optional[Diagnostic]:
    """``keras.initializers.normal(stddev=0.01)``: a Keras 2 lower-case alias that Keras 3's module has not
    (``_GONE``), called: reading the attribute raises AttributeError."""
    if not isinstance(call.func, ast.Attribute):
        return None
    path = _keras_path(call.func, bound, snippet)
    if path is None:
        return None
    module, _, name = path.rpartition(".")
    instead = _GONE.get((module, name)) if module in ("keras.initializers", "keras.constraints") else None
    if instead is None:
        return None
    return Diagnostic(CODE, SEVERITY, f"Keras 3's {module} has no `{name}` (a Keras 2 alias: reading it raises "
                      f"AttributeError); {instead}", _span(call))


# -- optimizers -----------------------------------------------------------------------------


def _keras_path(expr: ast.expr, bound: Tuple[Dict[str, str], Tuple[str, ...]], snippet: bool) -> Optional[str]:
    """The canonical Keras path a callee names (``keras.optimizers.Adam``), or None."""
    name = dotted(expr)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    names, stars = bound
    if head in names:
        full = names[head] + ("." + rest if rest else "")
    elif not rest and head in ("Model", "Sequential") and any(canonical(s) == "keras.models" for s in stars):
        full = "keras.models." + head  # (`from keras.models import *`)
    elif not rest and any(canonical(s) == "keras.optimizers" for s in stars):
        full = "keras.optimizers." + head
    elif snippet and (not rest and head in OPTIMIZERS or head == "optimizers"):
        full = "keras.optimizers." + name if head in OPTIMIZERS else "keras." + name
    elif snippet and head == "keras":
        full = name
    else:
        return None
    return canonical(full)


def _optimizer(call: ast.Call, bound, snippet: bool) -> Optional[Diagnostic]:
    if call.func.__class__ is ast.Attribute and call.func.attr in OPTIMIZERS or \
            call.func.__class__ is ast.Name and call.func.id in OPTIMIZERS:
        path = _keras_path(call.func, bound, snippet)
        if path is not None and path.startswith("keras.optimizers.legacy."):
            name = path.rsplit(".", 1)[1]
            fails = "raises ImportError when it is made" if name in LEGACY_OPTIMIZERS_KEPT else \
                "does not exist there (AttributeError)"
            return Diagnostic(CODE, SEVERITY, f"Keras 3 has no legacy optimizers: `optimizers.legacy.{name}(...)` "
                              f"{fails} (tf.keras 2.11 to 2.15 had them); use keras.optimizers.{name}",
                              _span(call))
    keywords = {kw.arg: kw for kw in call.keywords if kw.arg}
    decay = keywords.get("decay")
    if decay is not None and isinstance(decay.value, ast.Constant) and decay.value.value == 0:
        del keywords["decay"]  # no decay: that Keras 3 ignores it changes nothing
    if "lr" not in keywords and "decay" not in keywords:
        return None
    path = _keras_path(call.func, bound, snippet)
    if path is None or not path.startswith("keras.optimizers.") or path.count(".") != 2:
        return None
    name = path.rsplit(".", 1)[1]
    if name not in OPTIMIZERS:
        return None
    said = []
    fix = None
    if "lr" in keywords:
        said.append("`lr=` → `learning_rate=` (Keras 3 raises \"Argument(s) not recognized\")")
        if "learning_rate" not in keywords and not any(kw.arg is None for kw in call.keywords):
            written = (dotted(call.func) or name).rsplit(".", 1)[-1]
            fix = Fix("safe", "rename `lr` to `learning_rate`", _span(call), written,
                      ("rename", "", "lr=learning_rate"))
    if "decay" in keywords:
        said.append("`decay=` is ignored by Keras 3 (the rate no longer decays): give `learning_rate=` a "
                    "`keras.optimizers.schedules.InverseTimeDecay(rate, decay_steps=1, decay_rate=decay)`, "
                    "which is what Keras 2's `decay` did")
    return Diagnostic(CODE, SEVERITY, f"{name} is given Keras 2 arguments: {'; '.join(said)}", _span(call), fix)


# -- keras.Model(input=, output=) ----------------------------------------------------------------------


def _model_keywords(call: ast.Call, bound, snippet: bool) -> Optional[Diagnostic]:
    """``Model(input=x, output=y)``: Keras 1's names (Keras 2 converted them; Keras 3 raises ValueError
    "Unrecognized keyword arguments passed to Model"). The analysis reads them as Keras 1 did."""
    keywords = {kw.arg for kw in call.keywords}
    renames = [f"{old}={new}" for old, new in (("input", "inputs"), ("output", "outputs"))
               if old in keywords and new not in keywords]
    if not renames:
        return None
    path = _keras_path(call.func, bound, snippet)
    if path is None or classify(path)[0] != "model":
        return None
    written = (dotted(call.func) or "Model").rsplit(".", 1)[-1]
    fix = Fix("safe", "use Keras 3 argument names", _span(call), written, ("rename", "", *renames))
    said = "; ".join(f"`{r.split('=')[0]}` → `{r.split('=')[1]}`" for r in renames)
    return Diagnostic(CODE, SEVERITY, f"`{written}` is given Keras 1 arguments, which Keras 3 rejects: {said}",
                      _span(call), fix)


# -- keras.callbacks.ModelCheckpoint ----------------------------------------------------------


def _checkpoint(call: ast.Call, bound, snippet: bool, tree: Optional[ast.Module] = None) -> Optional[Diagnostic]:
    """``ModelCheckpoint("weights.{epoch:02d}.hdf5")``: Keras 3's constructor raises ValueError unless the file
    ends in ``.keras`` or ``.h5`` (a whole model), or in ``.weights.h5`` with ``save_weights_only=True``; Keras 2
    took any name (TensorFlow checkpoints, HDF5 as ``.hdf5``). Only where the name's end is written in the call
    (a string, the last piece of an f-string, of a ``+`` or of ``os.path.join``), or in the one module-level
    assignment of a name the call gives (``path = "./checkpoint/mnist.ckpt"``, bound nowhere else), and
    ``save_weights_only`` is a constant."""
    if not call.args and not any(kw.arg == "filepath" for kw in call.keywords):
        return None
    path = _keras_path(call.func, bound, snippet)
    if path != "keras.callbacks.ModelCheckpoint" or any(kw.arg is None for kw in call.keywords):
        return None
    head = (dotted(call.func) or "").partition(".")[0]
    if bound[0].get(head, "").startswith("tensorflow.python.keras"):
        return None  # TensorFlow's bundled copy of tf.keras 2 (TF 2.21 still ships it): its ModelCheckpoint takes any name
    keywords = {kw.arg: kw.value for kw in call.keywords}
    weights = keywords.get("save_weights_only", ast.Constant(False))
    if len(call.args) > 5:
        weights = call.args[5]  # (filepath, monitor, verbose, save_best_only, save_weights_only)
    if not isinstance(weights, ast.Constant) or not isinstance(weights.value, bool):
        return None
    given = call.args[0] if call.args else keywords["filepath"]
    if isinstance(given, ast.Name):  # `path = "./checkpoint/mnist.ckpt"` once, then `ModelCheckpoint(path, ...)`
        given = _module_constants(tree).get(given.id, given)
    end = _written_end(given)
    if end is None:
        return None
    if weights.value:
        if end.endswith(".weights.h5"):
            return None
        wanted = "`.weights.h5` (with `save_weights_only=True`)"
    else:
        if end.endswith((".keras", ".h5")):
            return None
        wanted = "`.keras` (or `.h5`)"
    tail = end.rsplit("/", 1)[-1]
    shown = tail[tail.rfind("."):] if "." in tail else tail
    return Diagnostic(CODE, SEVERITY, f"ModelCheckpoint's file name ends in `{shown}`: Keras 3 raises ValueError "
                      f"unless it ends in {wanted}; Keras 2 also wrote TensorFlow checkpoints and `.hdf5` files",
                      _span(call))


#: The methods of a Keras model that write a file whose name Keras 3 checks (``Model.save``, ``Model.save_weights``).
_SAVES = frozenset(("save", "save_weights"))


def _saved(call: ast.Call, ran: Set[Tuple[str, int, int]], bound, snippet: bool,
           tree: Optional[ast.Module]) -> Optional[Diagnostic]:
    """``model.save("my_model")`` and ``model.save_weights("weights.h5")`` on a model the analysis saw the call run on
    (``ran``: the model methods it saw run, and where), and ``keras.models.save_model(model, "my_model")`` (or
    ``keras.saving.save_model``), with a file name Keras 3 raises ValueError for: a model goes to a ``.keras`` file
    (or a legacy ``.h5``/``.hdf5`` one), where tf.keras 2 wrote a TensorFlow SavedModel folder for any other name;
    weights go to a ``.weights.h5`` file, where Keras 2 wrote HDF5 files of any name and TensorFlow checkpoints.
    Only where the call writes the name's end (as for ``ModelCheckpoint``), and not with ``zipped=`` (Keras 3 then
    writes a folder) or ``max_shard_size=`` (sharded weights), whose names Keras checks otherwise."""
    func = call.func
    if any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    keywords = {kw.arg: kw.value for kw in call.keywords}
    if isinstance(func, ast.Attribute) and func.attr in _SAVES and (func.attr, call.lineno, call.col_offset) in ran:
        method, given, positional = func.attr, call.args[0] if call.args else keywords.get("filepath"), call.args
    elif (isinstance(func, ast.Attribute) and func.attr == "save_model" or
          isinstance(func, ast.Name) and func.id == "save_model") and \
            _keras_path(func, bound, snippet) in ("keras.models.save_model", "keras.saving.save_model") and \
            not bound[0].get((dotted(func) or "").partition(".")[0], "").startswith("tensorflow.python.keras"):
        # (not TensorFlow's bundled tf.keras 2, tensorflow.python.keras, which writes a SavedModel folder)
        method, positional = "save_model", call.args[1:]
        given = call.args[1] if len(call.args) > 1 else keywords.get("filepath")
    else:
        return None
    if given is None or "zipped" in keywords or "max_shard_size" in keywords or len(positional) > 2:
        return None
    if isinstance(given, ast.Name):  # `path = "saved_model/my_model"` once, then `model.save(path)`
        given = _module_constants(tree).get(given.id, given)
    end = _written_end(given)
    if end is None:
        return None
    if isinstance(given, ast.Constant) and len(end) <= 60:
        shown = f"`{end}`"
    else:
        tail = end.rsplit("/", 1)[-1]
        shown = f"a name ending in `{tail if len(tail) <= 40 else tail[-40:]}`"
    if method == "save_weights":
        if end.endswith(".weights.h5"):
            return None
        return Diagnostic(CODE, SEVERITY, f"`save_weights` writes to {shown}: Keras 3 raises ValueError unless the "
                          "name ends in `.weights.h5` (Keras 2 also wrote `.h5` and `.hdf5` files of any name, and "
                          "TensorFlow checkpoints); end the name in `.weights.h5`, and load the weights back under "
                          "that name", _span(call))
    if end.endswith((".keras", ".h5", ".hdf5")) or isinstance(given, ast.Constant) and end.startswith("hf://"):
        return None
    said = " (and `save_format=` is gone)" if "save_format" in keywords else ""
    return Diagnostic(CODE, SEVERITY, f"`{method}` writes to {shown}: Keras 3 saves a model only to a `.keras` file "
                      f"(or a legacy `.h5`) and raises ValueError for any other name{said} (\"Invalid filepath "
                      "extension for saving\"), where tf.keras 2 wrote a TensorFlow SavedModel folder; end the name "
                      "in `.keras`, or call `model.export(path)` for a SavedModel", _span(call))


@lru_cache(maxsize=1)  # one file at a time; an older tree is not kept alive
def _module_constants(tree: Optional[ast.Module]) -> Dict[str, ast.expr]:
    """The names the file binds exactly once, by a module-level ``name = <value>`` (one target) whose value has
    a written end (``_written_end``), and nowhere else: no other assignment, augmented assignment, loop,
    ``with``/``except`` target, parameter, import, ``def``/``class``, ``del`` or ``global``/``nonlocal``
    statement of that name anywhere in the file. Those names hold that value wherever the file reads them."""
    if tree is None:
        return {}
    counts: Dict[str, int] = {}
    for node in ast.walk(tree):
        names: Tuple[str, ...] = ()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names = (node.id,)
        elif isinstance(node, ast.arg):
            names = (node.arg,)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = tuple((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = (node.name,)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names = tuple(node.names) * 2  # (never "once")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names = (node.name,)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names = (node.name,)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names = (node.rest,)
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    found: Dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                counts.get(node.targets[0].id) == 1 and _written_end(node.value) is not None:
            found[node.targets[0].id] = node.value
    return found


def _written_end(expr: ast.expr) -> Optional[str]:
    """The text a file name given as ``expr`` is known to end with: a string; the last piece of an f-string, of
    ``a + "..."`` or of ``os.path.join(..., "...")``, when that piece is a string (at least a dot and a letter
    of an extension: ``"weights"`` alone may be followed by nothing, or be a folder). None otherwise."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    last: Optional[ast.expr] = None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        last = expr.values[-1]
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        last = expr.right
    elif isinstance(expr, ast.Call) and dotted(expr.func) in ("os.path.join", "path.join") and expr.args and \
            not expr.keywords:
        last = expr.args[-1]
    if isinstance(last, ast.Constant) and isinstance(last.value, str):
        tail = last.value.rsplit("/", 1)[-1]
        return last.value if "." in tail and not tail.endswith(".") else None
    return None


# -- keras.backend --------------------------------------------------------------------------


def _keras2_backend(name: str) -> bool:
    return name in KERAS2_BACKEND_IN_OPS or name in KERAS2_BACKEND_INSTEAD or name in KERAS2_BACKEND_OTHER or \
        name in KERAS1_BACKEND_INSTEAD


def _backend_advice(name: str) -> str:
    if name in KERAS1_BACKEND_INSTEAD:
        return f"use {KERAS1_BACKEND_INSTEAD[name]}"
    if name in KERAS2_BACKEND_INSTEAD:
        return f"use {KERAS2_BACKEND_INSTEAD[name]}"
    if name in KERAS2_BACKEND_IN_OPS:
        return f"use `keras.ops.{name}` (check its arguments against the backend function's)"
    return "write it with keras.ops"


#: The functions of Keras 2.0-2.2's ``keras.backend.common`` (the backend's settings).
_COMMON_SETTINGS = frozenset(("image_dim_ordering", "set_image_dim_ordering", "image_data_format",
                              "set_image_data_format", "floatx", "set_floatx", "epsilon", "set_epsilon"))


#: Keras 2's modules of its backends under ``keras.backend``, which Keras 3's keras.backend does not have
#: (``K.tensorflow_backend._get_available_gpus()``, ``keras.backend.tensorflow_backend.set_session(...)``).
_BACKEND_MODULES = {"tensorflow_backend": "the TensorFlow backend", "theano_backend": "the Theano backend",
                    "cntk_backend": "the CNTK backend", "load_backend": "the backend's loading"}
#: What standalone Keras 2's ``keras.backend.tf`` was (its TensorFlow backend imported ``tensorflow as tf``, and
#: ``keras.backend`` took that module's names by ``import *``); Keras 3's keras.backend has no ``tf``.
_KERAS2_BACKEND_TF = "standalone Keras 2 gave the `tensorflow` module there, through its TensorFlow backend"
#: What to write instead of a function of those modules.
_BACKEND_MODULE_ADVICE = {"_get_available_gpus": "list the GPUs with `tf.config.list_physical_devices('GPU')`",
                          "set_session": "Keras 3 has no session to set (configure TensorFlow with `tf.config`)",
                          "get_session": "Keras 3 has no session (configure TensorFlow with `tf.config`)",
                          "clear_session": "use `keras.backend.clear_session()`"}


def _backend(call: ast.Call, bound: Dict[str, str]) -> Optional[Diagnostic]:
    """``K.int_shape(x)`` with ``K`` standalone Keras's ``keras.backend`` (not tf.keras's, whose backend TensorFlow
    2.16 and later still give Keras 2's functions)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = dotted(func.value)
    if owner is None:
        return None
    head, _, rest = owner.partition(".")
    if head in bound and (bound[head] + ("." + rest if rest else "")) == "keras.backend.common" and \
            func.attr in _COMMON_SETTINGS:
        # Keras 2.0 to 2.2 kept the backend's settings in keras.backend.common (`K.common.image_dim_ordering()`)
        instead = KERAS1_BACKEND_INSTEAD.get(func.attr, f"`keras.config.{func.attr}()`")
        return Diagnostic(CODE, SEVERITY, "Keras 3's keras.backend has no `common` (Keras 2's module of the "
                          f"backend's settings): `{owner}.{func.attr}()` raises AttributeError; use {instead}",
                          _span(call))
    module = bound[head] + ("." + rest if rest else "") if head in bound else ""
    if module.startswith("keras.backend.") and module.split(".")[2] == "tf" and len(bound[head].split(".")) <= 2:
        # `K.tf.image.resize_images(...)` (the PSPNet and SegNet ports of the Keras 2 era)
        return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.backend has no `tf` ({_KERAS2_BACKEND_TF}): "
                          f"`{owner}.{func.attr}()` raises AttributeError; call TensorFlow itself "
                          "(`import tensorflow as tf`)", _span(call))
    if module.startswith("keras.backend.") and module.split(".")[2] in _BACKEND_MODULES and \
            len(bound[head].split(".")) <= 2:
        # (Keras 2's backend modules: standalone Keras's, not tf.keras's, whose backend was never split so; read as
        # an attribute here, `K.tensorflow_backend.f()`: a name an import binds to the module itself, `from
        # keras.backend import theano_backend as KTH`, is the import's finding, which fails first)
        sub = module.split(".")[2]
        advice = _BACKEND_MODULE_ADVICE.get(func.attr, "write it with keras.ops, or the backend library's own functions")
        return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.backend has no `{sub}` (Keras 2's module of "
                          f"{_BACKEND_MODULES[sub]}): `{owner}.{func.attr}()` raises AttributeError; {advice}",
                          _span(call))
    if not _keras2_backend(func.attr):
        return None
    if head not in bound or module != "keras.backend":
        return None
    era = "a Keras 1 function that early Keras 2 kept" if func.attr in KERAS1_BACKEND_INSTEAD else "a Keras 2 function"
    return Diagnostic(CODE, SEVERITY, f"Keras 3's keras.backend has no `{func.attr}` ({era}: the call "
                      f"raises AttributeError); {_backend_advice(func.attr)}", _span(call))


# -- model methods --------------------------------------------------------------------------


def _method(call: ast.Call, models: Set[str], ran: Set[Tuple[str, int, int]]) -> Optional[Diagnostic]:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    method = func.attr
    on_model = isinstance(func.value, ast.Name) and func.value.id in models or \
        (method, call.lineno, call.col_offset) in ran
    span = _span(call)
    keywords = {kw.arg for kw in call.keywords if kw.arg}
    if method in _GENERATOR_METHODS:
        return _generator(call, method, keywords, span)
    if method in ("predict_classes", "predict_proba") and on_model:
        instead = ("`np.argmax(model.predict(x), axis=-1)` for a softmax output, "
                   "`(model.predict(x) > 0.5).astype(\"int32\")` for a sigmoid one"
                   if method == "predict_classes" else "`model.predict(x)`, which gives the same probabilities")
        return Diagnostic(CODE, SEVERITY, f"Keras 2.6 removed `{method}`: Keras 3 models have no such method; use "
                          f"{instead}", span)
    gone = legacy.LAYER_METHODS_GONE.get(method)
    if gone is not None and (on_model or isinstance(func.value, ast.Name) and func.value.id == "self"):
        error, instead = gone
        said = (f"Keras 3 keeps `{method}` only to raise {error}" if error != "AttributeError" else
                f"Keras 3 layers and models have no `{method}` (the call raises AttributeError)")
        return Diagnostic(CODE, SEVERITY, f"{said}: a tf.keras 2 method; {instead}", span)
    if method == "reset_states" and on_model and not call.args and not call.keywords:
        return Diagnostic(CODE, SEVERITY, "Keras 3 models have no `reset_states` (a Keras 2 method): reset the "
                          "states of the stateful recurrent layers (`layer.reset_states()` for each)", span)
    if method in _FIT_METHODS and keywords & (set(_FIT_KEYWORDS) | set(_SAMPLE_COUNTS) | set(_REMOVED)):
        return _fit_keywords(call, method, keywords, span)
    loading = [k for k in _LOADER_KEYWORDS if k in keywords]
    if method in ("fit", "evaluate", "predict") and loading and on_model:
        error = "ValueError (\"Arguments not recognized\")" if method == "evaluate" else \
            "TypeError (\"unexpected keyword argument\")"
        return Diagnostic(CODE, SEVERITY, f"`{method}` is given {_listed(loading)} (tf.keras 2 read generators and "
                          f"Sequences in parallel with {'it' if len(loading) == 1 else 'them'}), which Keras 3's "
                          f"`{method}` does not take: it raises {error}; a `keras.utils.PyDataset` takes "
                          f"{'it' if len(loading) == 1 else 'them'} in its constructor "
                          "(`super().__init__(**kwargs)`), or remove them", span)
    if method == "compile" and on_model:
        return _compile_names(call)
    return None


def _compile_names(call: ast.Call) -> Optional[Diagnostic]:
    """A loss or metric name of Keras 1/2 that Keras 3 does not know, written in ``compile`` (itself, or in a list or
    dict of them)."""
    from .compile_names import compile_strings

    for role, node in compile_strings(call):
        instead = identifiers.LEGACY_COMPILE_NAMES.get(role, {}).get(node.value)
        if instead is not None:
            return Diagnostic(CODE, SEVERITY, f"{role} {node.value!r} is a Keras 2 name: Keras 3 has no {role} of that "
                              f"name (ValueError \"Could not interpret {role} identifier\" when the model is first "
                              f"trained or evaluated); write {instead!r}", _span(node))
    return None


def _generator(call: ast.Call, method: str, keywords: Set[str], span: Span) -> Diagnostic:
    new, shared = _GENERATOR_METHODS[method]
    renames = [f"{old}={target}" for old, target in _FIT_KEYWORDS.items() if old in keywords]
    after = {dict(r.split("=") for r in renames).get(k, k) for k in keywords}
    counts = sorted(keywords & set(_SAMPLE_COUNTS))
    said = f"Keras 3 models have no `{method}`: `{new}` takes generators and `keras.utils.PyDataset`s"
    said += "".join(f"; `{r.split('=')[0]}` → `{r.split('=')[1]}`" for r in renames)
    if counts:
        said += "; " + ", ".join(f"`{k}` (Keras 1) counted samples, `{_SAMPLE_COUNTS[k]}` counts batches"
                                 for k in counts)
    loading = [k for k in _LOADER_KEYWORDS if k in keywords]
    if loading:
        said += (f"; `{new}` does not take {_listed(loading)} either (a `keras.utils.PyDataset` takes them in its "
                 "constructor)")
    fix = None
    starred = any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords)
    if len(call.args) <= 1 and not starred and not counts and after <= shared and len(after) == len(keywords):
        # evaluate_generator and predict_generator printed nothing by default; evaluate and predict do
        quiet = ["+verbose=0"] if method != "fit_generator" and "verbose" not in keywords else []
        fix = Fix("safe", f"call `{new}`", span, method, ("rename", new, *renames, *quiet))
    return Diagnostic(CODE, SEVERITY, said, span, fix)


def _fit_keywords(call: ast.Call, method: str, keywords: Set[str], span: Span) -> Diagnostic:
    renames = [f"{old}={new}" for old, new in _FIT_KEYWORDS.items() if old in keywords and new not in keywords]
    said = [f"`{old}` → `{new}`" for old, new in _FIT_KEYWORDS.items() if old in keywords]
    said += [f"`{k}` (Keras 1) counted samples, `{_SAMPLE_COUNTS[k]}` counts batches" for k in sorted(keywords)
             if k in _SAMPLE_COUNTS]
    said += [f"`{k}` (no Keras 3 equivalent; {_REMOVED[k]})" for k in sorted(keywords) if k in _REMOVED]
    fix = None
    if renames and not keywords & (set(_SAMPLE_COUNTS) | set(_REMOVED)) and \
            len(renames) == len(keywords & set(_FIT_KEYWORDS)):
        fix = Fix("safe", "use Keras 3 argument names", span, method, ("rename", "", *renames))
    return Diagnostic(CODE, SEVERITY, f"`{method}` is given Keras 1 arguments, which Keras 3 rejects: "
                      f"{'; '.join(said)}", span, fix)


_span = node_span
