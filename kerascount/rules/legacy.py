"""KC404: Keras 1 and Keras 2 arguments that Keras 3 rejects or ignores, with safe fixes."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

from .. import catalogue, project
from ..catalogue import errors, legacy
from ..catalogue.spec import COMMON_KWARGS, LayerSpec
from ..ir import UNKNOWN_NAME, Diagnostic, Fix, LayerDef, NumpyInt, Span
from . import legacy_api
from .base import Rule, RuleContext, orphan_problems, problem_rows, row_span, titled

#: A change a Keras 1 call needs: the Keras 1 arguments, and the Keras 3 one (None: there is none).
Change = Tuple[Tuple[str, ...], Optional[str]]


_FITTED = ("import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
           "m.compile(optimizer={opt}, loss='mse')\nm.{fit}\n")


class LegacyKerasApi(Rule):
    CODE = "KC404"
    LAYER_ADVICE = True
    NAME = "legacy-keras-api"
    #: A note by default; a warning in a file that also uses Keras 3's own API (see "Severity" below).
    SEVERITY = "info"
    SUMMARY = "Keras 1 and 2 arguments, methods and modules that Keras 3 rejects or ignores"
    DOC = """\
## What it does
Finds layer calls written for Keras 1 (`border_mode=`, `nb_filter=`, `subsample=`, `output_dim=`,
`init=`, `W_regularizer=`, `dim_ordering=`, `p=` on Dropout, `pool_length=`, the kernel as two
positional sizes in `Convolution2D(32, 3, 3, ...)`, `input_dim` + `input_length`), and Keras 2
arguments that Keras 3 ignores (`input_length=` on Embedding). kerascount reads a Keras 1 call as
Keras 1 read it and names the Keras 3 argument for each. In a file for standalone Keras 1 or 2,
`Conv2D(32, 3, 3)` with no other keyword those versions refused beside it is noted too: they read a
3x3 kernel where Keras 3 reads strides 3. In a file for Keras 1/2 or tf.keras 2, arguments those
versions accepted and Keras 3 rejects are notes here rather than KC103 errors: `batch_input_shape=`
on a layer, `/` in a name, a NumPy integer as `units`, and in tf.keras 2 code an integer
`Input(shape=20)` and a float `Dense(96 / 2)`. A file that only calls the model functions of a module
of its project counts as one for Keras 1/2 when that module is.

Outside layers, it finds the Keras 2 API that Keras 3 rejects or ignores: optimizer arguments
`lr=` (rejected) and `decay=` (ignored: the rate stays constant), on optimizers imported from
Keras, and the legacy optimizers (`keras.optimizers.legacy.Adam(...)`: Keras 3 keeps the names, and making
one raises ImportError); `fit_generator`, `evaluate_generator`, `predict_generator`, `predict_classes` and
`predict_proba` on models, and `model.reset_states()`; `nb_epoch=`, `samples_per_epoch=`,
`nb_val_samples=`, `show_accuracy=` in `fit` and `class_mode=` in `compile`; `Model(input=x, output=y)`
(Keras 1's names of `inputs` and `outputs`, which the analysis reads as Keras 1 did); `model.input` and
`model.output` of a Sequential never called on a tensor (Keras 3 raises AttributeError, `fit` and `predict`
notwithstanding: read `model.inputs[0]`); a recurrent layer given its tensor as `inputs=` (Keras 3's `call`
takes `sequences`);
imports from modules Keras 3 does not have (`keras.layers.core`, `keras.layers.merge`,
`keras.utils.np_utils`, `keras.preprocessing.text`...) and of `merge`/`Merge`, which Keras 2.2 removed,
and of `ImageDataGenerator`; and the functions of Keras 2's `keras.backend` that Keras 3's does not
have (`K.int_shape(x)`, `K.concatenate`, `K.name_scope`...; Keras 3 moved the tensor functions to
`keras.ops`), each with what to write instead. Through `tensorflow.keras` the backend keeps them. And a
`ModelCheckpoint` file name Keras 3's constructor raises ValueError for: a whole model must go to a `.keras`
(or `.h5`) file and, with `save_weights_only=True`, weights to a `.weights.h5` file, where Keras 2 also wrote
`.hdf5` files and TensorFlow checkpoints (`weights.{epoch:02d}.hdf5`, `cp.ckpt`); only where the call writes
the name's end (a string, or the last piece of an f-string, a `+` or `os.path.join`). The same for the names
`model.save(...)` and `model.save_weights(...)` raise ValueError for, on a model the analysis saw the call run
on (and `keras.models.save_model(model, path)`): Keras 3 saves a model to a `.keras` file (or a legacy
`.h5`/`.hdf5` one) where tf.keras 2 wrote a TensorFlow SavedModel folder for any other name
(`model.save("my_model")`; `model.export(path)` writes a SavedModel now), and
weights to a `.weights.h5` file only (`model.save_weights("weights.h5")` raises). And tf.keras 2's
`workers=`, `use_multiprocessing=` and `max_queue_size=` given to a model's `fit`, `evaluate` or `predict`, which
Keras 3's methods do not take (TypeError; ValueError in `evaluate`): a `keras.utils.PyDataset` takes them in its
constructor.

## Why is this bad?
Keras 3 rejects Keras 1 names ("Unrecognized keyword arguments"): the file no longer runs. An
ignored argument suggests a shape the model does not have.

## Severity
An info note by default: code written for Keras 1 or 2 runs under the Keras it was written for,
and on public fault benchmarks (SFData, DeepLocalize) the finding is as frequent on the fixed
programs as on the buggy ones (25% and 58% of the fixes, session 22), so it is no sign of a fault. It is a
warning in a file that also uses the API only Keras 3 has (`keras.ops`, `keras.config`,
`keras.random`, `keras.tree`, `keras_core`): there the legacy call fails or is ignored under the
Keras the file is written for. Make it a warning everywhere while migrating with
`[tool.kerascount.severity] KC404 = "warning"`.

## Example
```python
model.add(Convolution2D(32, 3, 3, border_mode="same", subsample=(2, 2)))
model.add(Dropout(p=0.25))
```

## Use instead
```python
model.add(Conv2D(32, (3, 3), padding="same", strides=(2, 2)))
model.add(Dropout(rate=0.25))
```
`kerascount lint --fix` rewrites the arguments when each has a Keras 3 equivalent, keeping comments
and formatting (`dim_ordering="th"` becomes `data_format="channels_first"`; `layers.Convolution2D`
becomes `layers.Conv2D`, while an imported `Convolution2D`, which Keras 3 still accepts, stays).
It also renames `lr=` to `learning_rate=`, `nb_epoch=` to `epochs=`, `Model(input=, output=)` to
`Model(inputs=, outputs=)`, `fit_generator(gen, ...)` to
`fit(gen, ...)` (and `evaluate_generator`/`predict_generator` to `evaluate`/`predict` with
`verbose=0`, their old default) when the call's other arguments mean the same to the new method,
and `from keras.layers.core import Dense` to `from keras.layers import Dense`. There is no fix for
`decay=` (Keras 2 divided the rate by `1 + decay * step`: `InverseTimeDecay(rate, 1, decay)`),
`samples_per_epoch=` (samples, where `steps_per_epoch` counts batches) or `predict_classes`
(which depends on the output's activation).
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), "
             "layers.Conv2D(32, (3, 3), padding='same'), layers.Dropout(rate=0.25)])\n",
             _FITTED.format(opt="keras.optimizers.RMSprop(learning_rate=0.001)", fit="fit(batches, epochs=2)"),
             _FITTED.format(opt="keras.optimizers.SGD(learning_rate=0.01, decay=0.0)", fit="fit(x, y, epochs=2)"),
             "import keras\nimport torch\nopt = torch.optim.Adam(params, lr=0.01)\n",
             "from keras.models import Model\nfrom keras.layers import Input, Dense\nx = Input(shape=(4,))\n"
             "m = Model(inputs=x, outputs=Dense(2)(x))\n",
             # a class of the file with its own add_metric
             "import keras\n\nclass Log:\n    def add_metric(self, v):\n        pass\n\n    def step(self):\n"
             "        self.add_metric(1)\n",
             "import keras\ncheckpoint = keras.callbacks.ModelCheckpoint('best.keras', save_best_only=True)\n"
             "weights = keras.callbacks.ModelCheckpoint(folder + '/w.weights.h5', save_weights_only=True)\n",
             "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n"
             "m.save('m.keras')\nm.save('m.h5')\nm.save_weights('m.weights.h5')\n",
             # a name bound twice: which value reaches the call is not read
             "import keras\npath = './checkpoint/mnist.ckpt'\npath = path.replace('.ckpt', '.weights.h5')\n"
             "cb = keras.callbacks.ModelCheckpoint(path, save_weights_only=True)\n",
             "import keras\npath = 'best.weights.h5'\ncb = keras.callbacks.ModelCheckpoint(path, save_weights_only=True)\n",
             "import keras\npath = 'cp.ckpt'\n\ndef make(path):\n"
             "    return keras.callbacks.ModelCheckpoint(path, save_weights_only=True)\n",
             # through tensorflow.keras, layers.experimental depends on TensorFlow's version
             "from tensorflow.keras import layers\nimport tensorflow as tf\nm = tf.keras.Sequential(["
             "tf.keras.Input((8, 8, 3)), layers.experimental.preprocessing.Rescaling(1 / 255), layers.Flatten()])\n",
             # TensorFlow's bundled tf.keras 2 (tensorflow.python.keras, in TF 2.21 too) takes any name
             "from tensorflow.python.keras.callbacks import ModelCheckpoint\nfrom keras import layers\n"
             "dense = layers.Dense(4)\ncp = ModelCheckpoint('ep_{epoch:02d}.h5', save_weights_only=True)\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
               "for layer in m.layers:\n    print(layer.name, layer.output_shape)\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), "
               "layers.Convolution2D(32, 3, 3, border_mode='same'), layers.Dropout(p=0.25)])\n",
               # tf.keras 2's Attention(causal=True), in no model (so in no model's rows)
               "import sys\nfrom tensorflow import keras\nq = keras.Input((int(sys.argv[1]), 8))\n"
               "for _ in range(2):\n    q = keras.layers.Attention(causal=True)([q, q])\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((100,)), "
               "layers.Embedding(5000, 32, input_length=100)])\n",
               _FITTED.format(opt="keras.optimizers.RMSprop(lr=0.001)", fit="fit(x, y, epochs=2)"),
               _FITTED.format(opt="keras.optimizers.legacy.Adam(learning_rate=0.001)", fit="fit(x, y, epochs=2)"),
               _FITTED.format(opt="'adam'", fit="fit_generator(batches, steps_per_epoch=10, nb_epoch=2)"),
               "from keras.layers.core import Dense\nfrom keras.models import Sequential\n"
               "m = Sequential([Dense(1, input_shape=(3,))])\n",
               "from keras.utils.data_utils import get_file\nfrom keras.models import Sequential\nm = Sequential()\n",
               "from keras.preprocessing.image import ImageDataGenerator\nfrom keras.models import Sequential\n"
               "m = Sequential()\n",
               "import keras\nfrom keras import backend as K\nx = keras.Input((8, 8, 3))\n"
               "y = keras.layers.Conv2D(4, 3)(x)\nm = keras.Model(x, keras.layers.Dense(K.int_shape(y)[-1])(y))\n",
               # Keras 1 and 2's reading of three positional integers, in a file for standalone Keras 1
               "from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
               "m = Sequential([Convolution2D(8, 5, 5, input_shape=(28, 28, 1))])\nm.fit(x, y, nb_epoch=2)\n",
               "from keras.models import Sequential\nfrom keras.layers import LSTM, Dense\n"
               "m = Sequential([LSTM(8, stateful=True, batch_input_shape=(4, 10, 2)), Dense(1)])\nm.reset_states()\n",
               # tf.keras 2's Layer.add_metric, which Keras 3 keeps only to raise
               "from tensorflow import keras\n\nclass Scored(keras.layers.Layer):\n    def call(self, x):\n"
               "        self.add_metric(keras.backend.mean(x), name='mean')\n        return x\n",
               # a kernel initializer on a depthwise convolution, which Keras 2 passed on and never used
               "from tensorflow.keras import Input, Model\nfrom tensorflow.keras.layers import DepthwiseConv2D\n"
               "x = Input((32, 32, 16))\nm = Model(x, DepthwiseConv2D(3, kernel_initializer='he_normal')(x))\n",
               # what tf.keras 2 accepted and Keras 3 rejects: an integer shape, a float number of units
               "import tensorflow as tf\nx = tf.keras.Input(shape=(20))\n"
               "m = tf.keras.Model(x, tf.keras.layers.Dense(4)(x))\n",
               "import tensorflow as tf\nwidth = 96 / 2\nm = tf.keras.Sequential([tf.keras.Input((20,)), "
               "tf.keras.layers.Dense(width, activation='relu'), tf.keras.layers.Dense(1)])\n",
               # Keras 1's names of a functional model's tensors
               "from keras.models import Model\nfrom keras.layers import Input, Dense\nx = Input(shape=(4,))\n"
               "m = Model(input=x, output=Dense(2)(x))\n",
               "from keras.optimizers import *\nfrom keras.models import *\nfrom keras.layers import *\n"
               "x = Input(shape=(4,))\nm = Model(input=x, output=Dense(2)(x))\n",
               # file names Keras 3's ModelCheckpoint raises ValueError for
               "from tensorflow.keras.callbacks import ModelCheckpoint\n"
               "best = ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5', save_best_only=True)\n",
               "import os\nimport keras\n"
               "cp = keras.callbacks.ModelCheckpoint(os.path.join(folder, 'cp.ckpt'), save_weights_only=True)\n",
               # names Keras 3's Model.save and Model.save_weights raise ValueError for (tests/test_keras3_model_methods.py)
               "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])\n"
               "m.save('saved_model/my_model')\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n"
               "m.save_weights('weights.h5')\n",
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n"
               "m.compile(loss='mse')\nm.fit(batches, epochs=3, workers=4, use_multiprocessing=True)\n",
               # Keras 2's keras.layers.experimental (Keras 3: ModuleNotFoundError, AttributeError)
               "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), "
               "layers.experimental.preprocessing.Rescaling(1 / 255), layers.Flatten(), layers.Dense(2)])\n",
               "from keras.layers.experimental.preprocessing import RandomFlip\nimport keras\n"
               "m = keras.Sequential([keras.Input((8, 8, 3)), RandomFlip('horizontal')])\n",
               # the name of a TensorFlow checkpoint in a variable the file sets once (Peking University's TF2
               # course: Keras 3.15 raises "the filepath provided must end in `.weights.h5`")
               "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(10)])\n"
               "checkpoint_save_path = './checkpoint/mnist.ckpt'\n"
               "cp = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_save_path, save_weights_only=True,\n"
               "                                        save_best_only=True)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        severity = "warning" if keras3_code(ctx) else "info"
        for found in self._findings(ctx):
            yield found if found.severity == severity else replace(found, severity=severity)

    def _findings(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen: Set[Span] = set()
        for layer in ctx.ir.layers:
            spec = catalogue.lookup(layer.type) if layer.known else None
            if spec is None or layer.span in seen:
                continue
            found = self._keras1(ctx, layer, spec) if layer.keras1 else self._ignored(layer)
            if found is not None:
                seen.add(layer.span)
                yield found
        for layer in ctx.ir.layers:
            if layer.span not in seen and kernel_pair_read(ctx, layer):
                seen.add(layer.span)
                f, h, w = layer.args
                yield Diagnostic(self.CODE, self.SEVERITY, _kernel_pair_message(layer, f, h, w), layer.span)
        yield from legacy_api.findings(ctx)
        for note in ctx.ir.notes:
            if note.code == self.CODE:  # (what the analysis saw: `layer.output_shape` read on a Keras layer)
                yield Diagnostic(self.CODE, self.SEVERITY, note.message, note.span)
        for model, row in problem_rows(ctx.models, errors.ShapeError):
            advice = legacy_advice(ctx, row, model)
            if advice is not None:
                yield Diagnostic(self.CODE, self.SEVERITY, f"{titled(row.layer)}: {advice}",
                                 row_span(model, row), int_fix(row))
        for orphan in orphan_problems(ctx, errors.ShapeError):  # (in no model's rows: see KC103)
            advice = legacy_advice(ctx, orphan)
            if advice is not None:
                yield Diagnostic(self.CODE, self.SEVERITY, f"{titled(orphan.layer)}: {advice}",
                                 orphan.layer.span, int_fix(orphan))

    def _keras1(self, ctx: RuleContext, layer: LayerDef, spec: LayerSpec) -> Optional[Diagnostic]:
        changes, fixable = _changes(layer.type, layer.keras1, spec)
        if not changes:
            return None  # nothing Keras 1 knew either: the invalid argument is KC103's
        sequence_dim = [(("input_dim",), "input_shape")] == [c for c in changes if "input_dim" in c[0]] and \
            "input_length" not in layer.keras1
        said = "; ".join(
            "input_dim → input_shape=(None, input_dim) (Keras 3 reads input_dim as the whole input shape)"
            if sequence_dim and old == ("input_dim",) else
            f"{', '.join(old)} → {new}" if new else
            f"{', '.join(old)} ({legacy.DROPPED_ADVICE.get(old[0], 'no Keras 3 equivalent')})" for old, new in changes)
        accepted = _accepted(spec)
        verb = "reads otherwise" if all(n in accepted for old, _ in changes for n in old) else "rejects"
        fix = None
        if fixable and layer.open_kwargs is None and not layer.elsewhere:
            # (a layer another module of the project makes is reported where this file calls it: no call to rewrite)
            fix = Fix("safe", "use Keras 3 argument names", layer.span, layer.type, ("keras3", *layer.keras1))
        given = dict(layer.kwargs)
        if [old for old, _ in changes] == [("nb_row", "nb_col")] and not self._written_keras1(ctx, layer) and \
                isinstance(given.get("kernel_size"), tuple) and len(given["kernel_size"]) == 2:
            # Convolution2D(32, 3, 3) in a file written for Keras 1: Keras 3 does not reject it, it reads it otherwise
            f, (h, w) = given.get("filters"), given["kernel_size"]
            return Diagnostic(self.CODE, self.SEVERITY, _kernel_pair_message(layer, f, h, w), layer.span, fix)
        return Diagnostic(self.CODE, self.SEVERITY,
                          f"{titled(layer)} uses Keras 1 arguments, which Keras 3 {verb}: {said}",
                          layer.span, fix)

    @staticmethod
    def _written_keras1(ctx: RuleContext, layer: LayerDef) -> bool:
        """Does the call of ``layer`` write a Keras 1 keyword (one Keras 3 rejects)?"""
        from .source import call_at

        call = call_at(ctx, layer.span)
        names = [a.name for a in catalogue.lookup(layer.type).signature]
        return call is None or legacy.is_legacy([k.arg for k in call.keywords if k.arg], names, layer.type)

    def _ignored(self, layer: LayerDef) -> Optional[Diagnostic]:
        ignored = [k for k in legacy.IGNORED.get(layer.type, ()) if layer.has_kwarg(k)]
        if not ignored:
            return None
        names = ", ".join(f"`{k}`" for k in ignored)
        fix = Fix("safe", f"remove {names}", layer.span, layer.type, ("remove", *ignored))
        return Diagnostic(self.CODE, self.SEVERITY,
                          f"{names} on {titled(layer)} is ignored by Keras 3 (a Keras 2 argument); "
                          "remove it, and give the model its input with keras.Input", layer.span, fix)


#: API that only Keras 3 has: a file that uses it is written for Keras 3.
_KERAS3 = re.compile(r"\bkeras\.(?:ops|config|random|tree)\b|\bkeras_core\b|\bfrom\s+keras\s+import\s+[^\n]*\bops\b")


def keras3_code(ctx: RuleContext) -> bool:
    """Does the file use an API only Keras 3 has (`keras.ops`, `keras.config`, `keras_core`...)?"""
    return bool(ctx.source) and _found(_KERAS3, ctx.source)


@lru_cache(maxsize=8)  # several rules ask of one file's text: it is searched once (older texts are not kept)
def _found(pattern: "re.Pattern[str]", source: str) -> bool:
    """Does ``pattern`` occur in the code of ``source``, not in a comment, a docstring or another string (a Keras 3
    example that says "as in tf.keras" in its docstring is not tf.keras code)?"""
    return any(_in_code(source, match.start()) for match in pattern.finditer(source))


def _in_code(source: str, offset: int) -> bool:
    """Is ``offset`` of ``source`` in code: outside triple-quoted strings (an even number of each kind of triple
    quote before it) and, on its line, outside a comment and a one-line string?"""
    if source.count('"""', 0, offset) % 2 or source.count("'''", 0, offset) % 2:
        return False
    quote = ""
    line = source[source.rfind("\n", 0, offset) + 1:offset]
    escaped = False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char == "#":
            return False
        elif char in "\"'":
            quote = char
    return not quote


#: Keyword arguments every Keras 2 layer took (base Layer), which Keras 3 layers reject, and what to write instead.
_KERAS2_LAYER_KWARGS = {
    "batch_input_shape": "start the model with keras.Input(batch_shape=...)",
    "batch_size": "start the model with keras.Input(..., batch_size=...)",
    "input_dtype": "give keras.Input(..., dtype=...)",
}
#: Keyword arguments of one Keras 1 layer that Keras 3 does not have.
_KERAS1_LAYER_KWARGS = {"Embedding": {"dropout": "put a SpatialDropout1D or Dropout layer after the Embedding"}}
#: Keras 2's depthwise and separable convolutions passed these on to the plain convolution they were built on,
#: which took them and used them for no weight; Keras 3 rejects them.
_UNUSED_KERNEL = {f"kernel_{part}": f"ignored there, as the layer has no `kernel`: use depthwise_{part}="
                  for part in ("initializer", "regularizer", "constraint")}
_KERAS2_LAYER_KWARGS_OF = {name: _UNUSED_KERNEL for name in ("DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D",
                                                             "SeparableConv2D")}
# tf.keras 2's dense attention layers took `causal=` when created (deprecated from TensorFlow 2.10 for the call's
# `use_causal_mask=`, still read until Keras 3).
_KERAS2_LAYER_KWARGS_OF.update({name: {"causal": "pass use_causal_mask=True when calling the layer"}
                                for name in ("Attention", "AdditiveAttention")})
#: Patterns of problem messages, compiled (and cached by ``re``) only when a file has such a problem.
_REJECTED = r"^(\w+) does not accept the keyword arguments? (.+) \(Keras: Unrecognized keyword arguments\)$"
_SLASH_NAME = r"^`name` must be a string without '/', got '[^']*/"
_NUMPY_INT = r"^\w+: `(\w+)` is a NumPy integer \(.*\), which Keras 3(?: rejects|\.\d+ and later reject)"
_NO_POOL_SIZE = r"^(\w*Pooling\w*) is missing its required argument `pool_size`$"
_AXIS_LIST = r"^BatchNormalization: axis must be a single integer in Keras 3, got [\(\[]"
_INPUT_LAYER_CALLED = r"^InputLayer \S+ is called on a tensor: "
_INITIALIZER_DTYPE = r"^\w+: Keras 3 makes the weight with .* of its `\w+_initializer`, and Python rejects that call \("


#: Keras imported through TensorFlow, or as the tf-keras package (``import tf_keras``: tf.keras 2 itself, kept for
#: TensorFlow 2.16 and later).
_TF_KERAS = re.compile(r"\btensorflow\.(?:python\.)?keras\b|\btf\.keras\b|\bfrom\s+tensorflow\s+import\s+[^\n]*\bkeras\b"
                       r"|^[ \t]*(?:import|from)[ \t]+tf_keras\b", re.M)


@lru_cache(maxsize=4)  # the rules ask for each model of a file (a RuleContext is hashed by identity)
def keras2_file(ctx: RuleContext) -> bool:
    """Is the file written for Keras 1 or 2: no Keras 3-only API, and Keras 1/2 API elsewhere in it (a KC404
    finding, or a function of Keras 2's backend that Keras 3's does not have) or Keras imported through TensorFlow
    (tf.keras was Keras 2 until TensorFlow 2.16), or, with none of these in it, a module of its project it imports
    written for Keras 1 or 2?"""
    if keras3_code(ctx):
        return False
    if any(layer.keras1 for layer in ctx.ir.layers) or ctx.source and _found(_TF_KERAS, ctx.source):
        return True
    if next(legacy_api.findings(ctx), None) is not None or keras2_backend(ctx.source):
        return True
    # A file that only calls the model functions of a module of its project (`VGG16()` imported from
    # `keras_vggface.models`): that module's Keras is the one its layers were written for.
    return any(_keras2_module(path, _mtime(path)) for path in ctx.ir.imports)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=256)
def _keras2_module(path: str, mtime: float) -> bool:
    """Is the project module at ``path`` (one the analysed file imports; ``mtime`` keys the cache to its version)
    written for Keras 1 or 2: no Keras 3-only API, and Keras imported through TensorFlow, a module only Keras 1/2
    had, or a function of Keras 2's backend?"""
    try:  # (the analysis parsed it for the import: the run's parse is reused)
        source, tree, _ = project.parsed_module(path, os.path.getsize(path), ast.parse)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return False
    if _found(_KERAS3, source):
        return False
    return _found(_TF_KERAS, source) or keras2_backend(source) or \
        next(legacy_api.keras2_imports(tree), None) is not None


_BACKEND_ALIAS = re.compile(r"^[ \t]*(?:from[ \t]+(?:tf_)?keras[ \t]+import[ \t]+backend|import[ \t]+(?:tf_)?keras\.backend)"
                            r"[ \t]+as[ \t]+(\w+)[ \t]*(?:#.*)?$", re.M)


def keras2_backend(source: str) -> bool:
    """Does the code call a function of ``keras.backend`` that only Keras 1/2 had (``K.int_shape(x)``)?"""
    if "backend" not in source:
        return False
    prefixes = [re.escape(a) for a in _BACKEND_ALIAS.findall(source)] + [r"keras\.backend"]
    for found in re.finditer(r"(?<![\w.])(?:" + "|".join(prefixes) + r")\.(\w+)\s*\(", source):
        if found.group(1) not in legacy_api.KERAS3_BACKEND:
            return True
    return False


_KERNEL_TUPLE = r"^`kernel_size` must be an integer, got \("
#: Arguments tf.keras 2 accepted and Keras 3 rejects: an integer shape (``Input(shape=4)``, or ``shape=(1024)``, which
#: is the same integer), and a float number of units, which tf.keras 2's Dense passed through ``int()``.
#: KC103's message for None given by position as MultiHeadAttention's query mask (extract/keras_calls.call_layer).
_POSITIONAL_MASK = r"(MultiHeadAttention|GroupQueryAttention) is given `(query|value|key)_mask` by position \(None"
_INT_SHAPE = r"^Input: shape=\d+ is not a tuple"
_FLOAT_UNITS = r"^Dense: `units` must be a positive integer, got ([1-9]\d*\.0$|a float: )"
#: (extract/keras_calls.misnamed_input: an RNN given its tensor as `inputs=`, as Keras 2 and tf.keras 2 took it)
_INPUTS_KEYWORD = r"^\S+ is given its tensor as `inputs=`, but its `call` takes `sequences`"


def tf_keras_file(ctx: RuleContext) -> bool:
    """Is Keras imported through TensorFlow (tf.keras, Keras 2 until TensorFlow 2.16), or as ``tf_keras`` (the same
    Keras 2 as a package), in a file with no Keras 3-only API?"""
    return not keras3_code(ctx) and bool(ctx.source) and _found(_TF_KERAS, ctx.source)


def _kernel_pair_message(layer: LayerDef, f: Any, h: Any, w: Any) -> str:
    call = f"{layer.type}({f}, {h}, {w})"
    call = call if layer.name == UNKNOWN_NAME else f"{layer.name} ({call})"
    return (f"{call}: Keras 1 and 2 read the last two integers as a {h}x{w} "
            f"kernel, Keras 3 reads strides={w}: write the kernel as a tuple, {layer.type}({f}, ({h}, {w}))")


def kernel_pair_read(ctx: RuleContext, layer: LayerDef) -> bool:
    """Is ``layer`` a ``Conv2D(32, 3, 3)`` that the Keras the file is written for read as a 3x3 kernel: a file for
    standalone Keras 1 or 2 (not tf.keras, which read strides as Keras 3 does), three positional integers and none
    of the keywords that made Keras 2 refuse the call?"""
    if layer.keras1 or layer.open_kwargs is not None or not legacy.kernel_pair_call(layer.type, layer.args, ()):
        return False
    from .source import call_at

    call = call_at(ctx, layer.span)  # the keywords written (a data_format set by K.set_image_dim_ordering is not)
    written = {k.arg for k in call.keywords} if call is not None else {k for k, _ in layer.kwargs}
    if not legacy.kernel_pair_call(layer.type, layer.args, written):
        return False
    return keras2_file(ctx) and not tf_keras_file(ctx)


def after_kernel_pair(ctx: RuleContext, model: Any, row: Any) -> bool:
    """Does ``row`` come after a convolution of ``model`` that the Keras the file is written for read as a kernel
    (:func:`kernel_pair_read`)? Its shapes are then Keras 3's reading of the call, not the author's: a shape
    error there is no finding (the convolution gets a KC404 note)."""
    for other in model.rows:
        if other is row:
            return False
        if kernel_pair_read(ctx, other.layer):
            return True
    return False


def legacy_advice(ctx: RuleContext, row: Any, model: Any = None) -> Optional[str]:
    """For a row whose KC1xx problem is Keras 3 rejecting what the Keras the file is written for accepted, what to
    write instead (the finding is then KC404's); else None."""
    message = row.problem.message if row.problem is not None else ""
    advice = keras2_only(message, row.layer)
    if advice is not None:
        return advice if keras2_file(ctx) else None
    if re.match(_INITIALIZER_DTYPE, message) and any(layer.keras1 for layer in ctx.ir.layers) and \
            not tf_keras_file(ctx):
        # (tf.keras 2 called initializers with dtype= as Keras 3 does: there it stays KC103's error)
        return ("Keras 1 called an initializer as f(shape, name=...) and Keras 2 up to 2.2 as f(shape), which Keras "
                "2.3, tf.keras and Keras 3 call as f(shape, dtype=...): give the function a `dtype=None` parameter")
    if re.match(_POSITIONAL_MASK, message) and tf_keras_file(ctx):
        return ("tf.keras 2's MultiHeadAttention took attention_mask as its fourth argument; Keras 3 takes query_mask "
                "there and raises on None: give attention_mask= by keyword")
    if re.match(_INPUTS_KEYWORD, message) and (tf_keras_file(ctx) or keras2_file(ctx)):
        return ("Keras 2's and tf.keras 2's recurrent layers took their tensor as `inputs=`, where Keras 3's `call` "
                "takes `sequences` (TypeError \"missing a required argument\"): give the tensor by position")
    if re.match(_INT_SHAPE, message) and tf_keras_file(ctx):
        return ("tf.keras 2 read an integer `shape` as one dimension, which Keras 3 rejects: write a tuple, "
                "shape=(n,)")
    if re.match(_FLOAT_UNITS, message) and (tf_keras_file(ctx) or keras2_file(ctx) and any(
            layer.keras1 for layer in ctx.ir.layers)):
        return ("tf.keras 2 passed a float `units` through int() (and in Keras 1 code, Python 2's `/` of two "
                "integers gave an integer), which Keras 3 rejects: write int(...) or `//`")
    return None


def int_fix(row: Any) -> Optional[Fix]:
    """For a row Keras rejects because an argument is a NumPy integer (``Dense(np.prod(shape))``): the safe fix that
    passes that argument, as written, through ``int()``; None for any other problem, or an argument that only holds
    NumPy integers (a tuple)."""
    found = re.match(_NUMPY_INT, row.problem.message) if row.problem is not None else None
    spec = catalogue.lookup(row.layer.type) if found and row.layer.known else None
    if spec is None:
        return None
    name = found.group(1)
    given = dict(zip(spec.arg_names, row.layer.args))
    given.update((spec.kwarg_aliases.get(k, k), v) for k, v in row.layer.kwargs)
    if not isinstance(given.get(name), NumpyInt) or row.layer.open_kwargs is not None:
        return None
    return Fix("safe", f"pass int(...) as `{name}`", row.layer.span, row.layer.type, ("wrap", name, "int"))


def keras2_only(message: str, layer: Optional[LayerDef] = None) -> Optional[str]:
    """For a KC103 problem that is Keras 3 rejecting what Keras 1 or 2 accepted (``batch_input_shape=`` on a layer,
    an ``AveragePooling2D()`` without its size, Keras 2's default), what to write instead; else None. In a file
    written for Keras 1 or 2 (:func:`keras2_file`) such a finding is KC404's: the code runs under that Keras."""
    found = re.match(_REJECTED, message)
    if found:
        layer, names = found.group(1), found.group(2).split(", ")
        known = {**_KERAS2_LAYER_KWARGS, **_KERAS1_LAYER_KWARGS.get(layer, {}),
                 **_KERAS2_LAYER_KWARGS_OF.get(layer, {})}
        if all(n in known for n in names):
            said = "; ".join(f"`{n}=` ({known[n]})" for n in names)
            return f"Keras 1/2 accepted {said}, which Keras 3 rejects (\"Unrecognized keyword arguments\")"
        return None
    if layer is not None and layer.keras1 and re.match(_KERNEL_TUPLE, message):
        # Conv2D(16, (8, 8), subsample=(4, 4)): Keras 2's legacy interface took the kernel as a tuple beside
        # Keras 1 keywords; read as Keras 1, the tuple is the kernel's height.
        keywords = ", ".join(f"`{k}=`" for k in layer.keras1 if legacy.is_legacy([k], (), layer.type) and not k.startswith("nb_"))
        return (f"Keras 2 read a kernel size tuple beside Keras 1 keywords ({keywords}), which Keras 3 rejects: "
                "use the Keras 3 names (strides=, padding=) with the tuple")
    if re.match(_SLASH_NAME, message):
        return "Keras 2 accepted '/' in a layer's name (as scopes), which Keras 3 rejects: use another character"
    if re.match(_NUMPY_INT, message):
        return ("Keras 2 accepted a NumPy integer here (as np.prod, np.max and a gym space's n give), which Keras 3 "
                "rejects: write int(...) around it")
    if re.match(_AXIS_LIST, message):
        return "Keras 2's BatchNormalization took a list of axes, which Keras 3 rejects (it keeps int(axis))"
    if re.match(_NO_POOL_SIZE, message):
        return ("Keras 2's pooling layers had a default pool_size of 2 per axis, which Keras 3's average pooling "
                "requires: write pool_size=2")
    if re.match(_INPUT_LAYER_CALLED, message):
        return ("Keras 2's InputLayer passed a tensor it was called on through, which Keras 3 rejects (TypeError "
                "\"too many positional arguments\"): leave the InputLayer out (`model.layers[1:]`)")
    return None


def _changes(layer_type: str, written: Sequence[str], spec: LayerSpec) -> Tuple[List[Change], bool]:
    """What a Keras 1 call's arguments become in Keras 3, and whether all of them have an equivalent."""
    keras3_names = [a.name for a in spec.signature]
    accepted = _accepted(spec)
    groups = legacy.merged(written, keras3_names, spec.name)
    parts = {p for _, names, _ in groups for p in names}
    changes: List[Change] = [(tuple(p for p in names if p in written), target) for target, names, _ in groups]
    fixable = all(p in written for _, names, required in groups for p in names[:required])
    targets = [target for target, _, _ in groups]
    for name in written:
        if name in parts:
            continue
        target = legacy.argument(layer_type, name, keras3_names)
        if target != name:
            changes.append(((name,), target))
        targets.append(target)
    fixable = fixable and all(t in accepted for t in targets) and len(set(targets)) == len(targets)
    return changes, fixable


def _accepted(spec: LayerSpec) -> FrozenSet[str]:
    """Keyword arguments Keras 3 accepts for a layer."""
    own = {a.name for a in spec.signature} | set(spec.kwarg_aliases)
    return frozenset(own | COMMON_KWARGS) if spec.var_kwargs else frozenset(own)


class PositionalAttentionMask(Rule):
    CODE = "KC407"
    NAME = "positional-attention-mask"
    SEVERITY = "warning"
    SUMMARY = "A mask given by position to MultiHeadAttention is its query_mask in Keras 3, not attention_mask"
    DOC = """\
## What it does
Finds `MultiHeadAttention` and `GroupQueryAttention` calls that give a mask tensor by position after
`query, value, key`: `mha(x, x, x, mask)`. Not in files written for tf.keras 2 (Keras imported through
TensorFlow), where the call means what it says.

## Why is this bad?
tf.keras 2's `MultiHeadAttention.call(query, value, key, attention_mask, ...)` read a fourth argument as the
attention mask, and the TensorFlow Transformer tutorial and courses built on it pass the look-ahead or padding
mask so. Keras 3's signature is `call(query, value, key, query_mask, value_mask, key_mask, attention_mask, ...)`:
the same call gives the mask as `query_mask`, a mask over the query's positions of shape `(batch, T_q)`, so a
`(batch, T_q, T_v)` attention mask no longer masks what it meant to: the model builds and runs (checked with Keras
3.15.1 on a look-ahead mask), and attends to padding or to future tokens. Given `None` by position the call raises
TypeError in Keras 3 (KC103).

## Example
```python
attended = layers.MultiHeadAttention(num_heads=4, key_dim=16)(x, x, x, look_ahead_mask)
```

## Use instead
```python
attended = layers.MultiHeadAttention(num_heads=4, key_dim=16)(x, x, x, attention_mask=look_ahead_mask)
```

## Source
Keras 3 `MultiHeadAttention.call`; tf.keras 2.x `MultiHeadAttention.call`.
"""
    VALID = ["import keras\nfrom keras import layers\nx = keras.Input((7, 16))\nm = keras.Input((7, 7))\n"
             "y = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x, x, attention_mask=m)\n"
             "model = keras.Model([x, m], y)\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((7, 16))\nm = keras.Input((7, 7))\n"
               "y = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x, x, m)\n"
               "model = keras.Model([x, m], y)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if tf_keras_file(ctx):
            return  # (written for tf.keras 2, where the fourth argument is attention_mask: the call means what it says)
        seen: Set[Span] = set()
        for node in ctx.ir.nodes:
            masks = dict(node.call_kwargs).get("positional_masks")
            if not isinstance(masks, tuple) or not masks or node.span in seen:
                continue
            seen.add(node.span)
            layer = ctx.ir.layer(node.layer)
            given = ", ".join(f"`{m}`" for m in masks)
            yield self.report(node.span, f"{layer.type} takes the mask given by position as {given} in Keras 3 "
                                         "(tf.keras 2 read a fourth argument as attention_mask): give attention_mask="
                                         "... by keyword, or name the mask meant")


RULES = [LegacyKerasApi, PositionalAttentionMask]
