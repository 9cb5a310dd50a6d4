"""KC3xx: the training setup, read from ``model.compile(...)`` in the same file."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any, Dict, Iterator, Optional, Set, Tuple

from ..nodes import walk as ast_walk
from ..ir import Diagnostic
from .base import Rule, RuleContext, named
from .heads import activation_of, declared_units, loss_of, output_activation_fix, output_head, set_activation

_CATEGORICAL = ("categorical_crossentropy", "sparse_categorical_crossentropy")
_HEAD = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((16,)), layers.Dense({units}, activation={act!r})])\n"
_CNN = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
        "layers.Conv2D(8, 3, activation='relu'), layers.GlobalAveragePooling2D(), layers.Dense(1)])\n")
_TF_HEAD = ("import tensorflow as tf\n"
            "m = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(3, activation='softmax')])\n")


def _ends_in(ctx: RuleContext, row: Any, act: str) -> str:
    """"ends in sigmoid", saying so when an activation layer after the output layer applies it (``Dense(3)``
    then ``Activation("sigmoid")``)."""
    own = activation_of(row.layer, ctx)
    return f"ends in {act}" if own in (act, None) else f"ends in {act} (applied by an activation layer after it)"


def _compiled(ctx: RuleContext):
    """(model, output row, its last activation, loss name, from_logits) for each compiled model with one output.
    A model compiled only so that it can predict (a truncated copy whose weights are set from another
    model, never trained in the file; a GAN's generator only sampled; a trained model compiled again only to
    predict; a base model compiled in its builder, then given to other models as a layer, ``Sequential([base, ...])``
    or ``TimeDistributed(base)``, and never trained itself) is left out: its loss is never used."""
    seen = set()
    runs = [(model, _predict_only(ctx, model.model.name) or _only_predicted(ctx, model.model)) for model in ctx.models]
    # The compile sites of which some run's loss is never used (that run is left out below).
    unused = {model.model.compile[1] for model, left_out in runs if left_out and model.model.compile is not None}
    for model, left_out in runs:
        if left_out:
            continue
        if model.model.compile is not None and model.model.compile[1] in unused and \
                not (_TRAINING | _INFERENCE).intersection(_methods_used(ctx, model.model)):
            # Another run of the same code builds the model this one is, and that one's loss is never used (the calls
            # that nest a base model in other models, beside the base builder run alone with its default arguments);
            # this run does nothing with it at all.
            continue
        loss = loss_of(model)
        head = output_head(ctx, model) if loss is not None else None
        # Models built on each branch of an undecided condition may share their compile and head.
        key = (model.model.compile[1], head[0].layer.uid, head[1]) if head is not None else None
        if loss is not None and head is not None and key not in seen:
            seen.add(key)
            yield model, head[0], head[1], loss[0], loss[1]


_TRAINING = {"fit", "fit_generator", "train_on_batch", "evaluate", "evaluate_generator", "test_on_batch"}
#: ("__call__": the model called, `model(x)` on arrays or tensors, which the analysis records, not the source scan)
_INFERENCE = {"predict", "predict_on_batch", "predict_generator", "set_weights", "load_weights", "__call__"}


def _predict_only(ctx: RuleContext, name) -> bool:
    """The file calls `name.predict(...)` or `name.set_weights(...)` and never trains or evaluates `name`."""
    if not name or not ctx.source or ".fit" in ctx.source and f"{name}.fit" in ctx.source:
        return False
    used = _methods_called(ctx.tree).get(name, ()) if ctx.tree is not None else ()
    return bool(_INFERENCE.intersection(used)) and not _TRAINING.intersection(used)


def _only_predicted(ctx: RuleContext, model) -> bool:
    """The loss of the model's last ``compile`` is never used: the code predicts with the model (or sets its weights)
    and never trains or evaluates it with that compile, under any name it held it by.

    - never trained at all: a GAN's generator, built and compiled in a function (``model.compile(loss=...)``, a
      loss it is never trained with), then ``gen = make_generator()`` and ``gen.predict(z)``. The methods the
      analysis saw called on the model count, and so do those the file calls on each of its names (a call in a
      loop the analysis did not run, or in a function nothing calls);
    - trained, then compiled again only to predict (``model.trainable = False``, ``model.compile(...)``,
      ``model.predict(x)``): every call that trains it under one of its names ran before that compile, and a
      prediction ran after it."""
    calls = model.method_calls
    names = {*model.names, model.name} - {None}
    used = _methods_used(ctx, model)
    if not _INFERENCE.intersection(used):
        return False
    if not _TRAINING.intersection(used):
        return True
    sites = set()  # where the file trains or evaluates the model, by one of its names
    if ctx.tree is not None:
        trained = _training_sites(ctx.tree)
        sites = {site for name in names for site in trained.get(name, ())}
    last = model.compile[1] if model.compile is not None else None
    ran = {site for name, _, site in calls if name in _TRAINING}
    return last is not None and sites <= ran and \
        not any(name in _TRAINING and under == last for name, under, _ in calls) and \
        any(name in _INFERENCE and under == last for name, under, _ in calls)


def _methods_used(ctx: RuleContext, model) -> Set[str]:
    """The methods called on the model: those the analysis saw, and those the file calls on any of its names."""
    used = {name for name, _, _ in model.method_calls}
    if ctx.tree is not None:
        called = _methods_called(ctx.tree)
        for name in {*model.names, model.name} - {None}:
            used |= called.get(name, set())
    return used


def never_trained(ctx: RuleContext, model) -> bool:
    """The code predicts with the model (or sets or loads its weights) and never trains or evaluates it, under any
    name it held it by (``_only_predicted``'s first case)."""
    used = _methods_used(ctx, model)
    return bool(_INFERENCE.intersection(used)) and not _TRAINING.intersection(used)


@lru_cache(maxsize=1)  # asked for each model of a file; an older tree is not kept alive
def _training_sites(tree: ast.Module) -> Dict[str, Set[Tuple[int, int]]]:
    """Name → where the file calls ``name.fit(...)`` (``evaluate``, ``train_on_batch``...): (line, column)."""
    from .source import _index_tree

    sites: Dict[str, Set[Tuple[int, int]]] = {}
    for call in _index_tree(tree)[0].values():
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in _TRAINING:
            sites.setdefault(func.value.id, set()).add((call.lineno, call.col_offset))
    return sites


@lru_cache(maxsize=1)  # the rules of one file ask for each model; an older tree is not kept alive
def _methods_called(tree: ast.Module) -> Dict[str, Set[str]]:
    """Name → the methods called on it anywhere in the file (`m.predict(x)`: m → {"predict"})."""
    from .source import _index_tree

    used: Dict[str, Set[str]] = {}
    for call in _index_tree(tree)[0].values():  # the calls the other rules read too, walked once
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            used.setdefault(func.value.id, set()).add(func.attr)
    return used


def _counted(n, row) -> str:
    """``n`` units of a Dense (and the like), or ``n`` filters of a convolution (its channels)."""
    word = "filter" if row is not None and "Conv" in row.layer.type else "unit"
    return f"{n} {word}{'' if n == 1 else 's'}"


def _units(n, row=None) -> str:
    return "" if n is None else f" over {_counted(n, row)}"


def _sized(n, row=None) -> str:
    return "" if n is None else f" ({_counted(n, row)})"


class SoftmaxBinaryCrossentropy(Rule):
    CODE = "KC301"
    NAME = "softmax-with-binary-crossentropy"
    SEVERITY = "warning"
    SUMMARY = "A softmax output trained with binary_crossentropy"
    DOC = """\
## What it does
Finds models whose output layer uses `softmax` while `model.compile` uses
`binary_crossentropy` (several units; one unit is KC303).

## Why is this bad?
Softmax makes the outputs sum to 1, so they cannot be independent yes/no
probabilities; binary cross-entropy treats each as one. Training runs but learns the wrong thing.
Over exactly two units it is only a note: softmax gives (p, 1 - p), and on one-hot labels the
binary cross-entropy of each unit equals the categorical one, so the model trains exactly as
with `categorical_crossentropy`; it is wrong only when the two outputs are independent labels.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(5, activation="softmax")])
model.compile("adam", loss="binary_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(5, activation="sigmoid")])  # multi-label
model.compile("adam", loss="binary_crossentropy")
```
"""
    VALID = [_HEAD.format(units=5, act="sigmoid") + "m.compile('adam', loss='binary_crossentropy')\n"]
    INVALID = [_HEAD.format(units=5, act="softmax") + "m.compile('adam', loss='binary_crossentropy')\n",
               _HEAD.format(units=5, act="softmax") + "m.compile('adam', loss=keras.losses.BinaryCrossentropy())\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if act == "softmax" and loss == "binary_crossentropy" and not logits and n != 1:
                if n == 2:
                    # Over two units softmax gives (p, 1 - p): on one-hot labels each unit's binary cross-entropy
                    # is the categorical one, so the loss, its gradients and the accuracy are those of
                    # categorical_crossentropy. Wrong only for two independent labels (multi-label): a note.
                    yield Diagnostic(self.CODE, "info", f"{named(row.layer)} ends in softmax{_units(n, row)} with "
                                     "binary_crossentropy: on one-hot labels this is the same loss as "
                                     "categorical_crossentropy (clearer); if the two outputs are independent labels "
                                     "(both can be 1), use sigmoid", model.model.compile[1])
                    continue
                yield self.report(model.model.compile[1], f"{named(row.layer)} ends in softmax{_units(n, row)} but the "
                                  "loss is binary_crossentropy: softmax outputs sum to 1, they are not independent "
                                  "probabilities; use sigmoid (binary or multi-label) or categorical_crossentropy")


class CategoricalWithoutSoftmax(Rule):
    CODE = "KC302"
    NAME = "categorical-crossentropy-without-softmax"
    SEVERITY = "warning"
    SUMMARY = "Categorical cross-entropy on outputs that are not a softmax (and not from_logits)"
    DOC = """\
## What it does
Finds models compiled with `categorical_crossentropy` or
`sparse_categorical_crossentropy` (without `from_logits=True`) whose output
layer is not a softmax (sigmoid, relu or no activation).

## Why is this bad?
These losses expect a probability distribution over the classes. Raw scores or
sigmoids give wrong losses and gradients; training is slow or diverges.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss="sparse_categorical_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
```
"""
    VALID = [_HEAD.format(units=10, act="softmax") + "m.compile('adam', loss='categorical_crossentropy')\n",
             _HEAD.format(units=10, act=None) +
             "m.compile('adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"]
    INVALID = [_HEAD.format(units=10, act=None) + "m.compile('adam', loss='sparse_categorical_crossentropy')\n",
               _HEAD.format(units=10, act="sigmoid") + "m.compile('adam', loss='categorical_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            if loss in _CATEGORICAL and not logits and act not in ("softmax", "log_softmax"):
                n = declared_units(ctx, model, row)
                fix = output_activation_fix(ctx, model, "softmax") if isinstance(n, int) and n > 1 else None
                instead = "use activation='softmax' or the loss with from_logits=True"
                if n == 1 and loss == "categorical_crossentropy":
                    instead = ("over one unit the normalised probability is always 1 and the loss always 0; for two "
                               "classes use activation='sigmoid' with binary_crossentropy")
                yield Diagnostic(self.CODE, self.SEVERITY, f"the loss {loss} expects softmax probabilities but "
                                 f"{named(row.layer)}{_sized(n, row)} {_ends_in(ctx, row, act)}; {instead}",
                                 model.model.compile[1], fix)


class SoftmaxSingleUnit(Rule):
    CODE = "KC303"
    NAME = "softmax-single-unit"
    SEVERITY = "warning"
    SUMMARY = "softmax over a single unit always outputs 1.0"
    DOC = """\
## What it does
Finds layers that apply `softmax` to a last axis of size 1, such as
`Dense(1, activation="softmax")`.

## Why is this bad?
A softmax over one value is always exactly 1.0: the layer's output carries no
information and its weights get no gradient. Binary classifiers need `sigmoid`.

## Example
```python
layers.Dense(1, activation="softmax")
```

## Use instead
```python
layers.Dense(1, activation="sigmoid")
```
"""
    VALID = [_HEAD.format(units=1, act="sigmoid"),
             # attention weights: a function of the code's own, named softmax, over the time axis
             "import keras\nfrom keras import layers, ops\n\n\ndef softmax(x, axis=1):\n"
             "    e = ops.exp(x - ops.max(x, axis=axis, keepdims=True))\n"
             "    return e / ops.sum(e, axis=axis, keepdims=True)\n\n\nx = keras.Input((30, 64))\n"
             "energies = layers.Dense(1, activation='tanh')(x)\n"
             "m = keras.Model(x, layers.Activation(softmax)(energies))\n"]
    INVALID = [_HEAD.format(units=1, act="softmax"),
               "from keras.models import Sequential\nfrom keras.layers import Dense, Activation\n"
               "model = Sequential()\nmodel.add(Dense(32, input_dim=X.shape[1]))\nmodel.add(Dense(1))\n"
               "model.add(Activation('softmax'))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        seen = set()
        for model in ctx.models:
            for row in model.rows:
                if row.layer.uid in seen or activation_of(row.layer, ctx) != "softmax" or \
                        declared_units(ctx, model, row) != 1:
                    continue
                seen.add(row.layer.uid)
                yield Diagnostic(self.CODE, self.SEVERITY, f"{named(row.layer)} applies softmax to a single unit: it "
                                 "always outputs 1.0, so the output carries no information and the layers before it "
                                 "get no gradient; use sigmoid", row.layer.span, set_activation(row.layer, "sigmoid"))


class FromLogitsAfterActivation(Rule):
    CODE = "KC304"
    NAME = "from-logits-after-activation"
    SEVERITY = "warning"
    SUMMARY = "from_logits=True on outputs that already went through softmax or sigmoid"
    DOC = """\
## What it does
Finds models compiled with a loss created with `from_logits=True` whose output
layer already applies `softmax` or `sigmoid`.

## Why is this bad?
The loss applies the activation again: the model is trained on a squashed
version of its outputs, with weak gradients.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10, activation="softmax")])
model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10)])
model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
```
"""
    VALID = [_HEAD.format(units=10, act=None) +
             "m.compile('adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"]
    INVALID = [_HEAD.format(units=10, act="softmax") +
               "m.compile('adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            if logits and act in ("softmax", "sigmoid"):
                yield self.report(model.model.compile[1], f"the loss uses from_logits=True but {named(row.layer)} "
                                  f"already applies {act}; drop the activation or from_logits")


class SparseCategoricalSingleUnit(Rule):
    CODE = "KC305"
    NAME = "sparse-categorical-single-unit"
    SEVERITY = "warning"
    SUMMARY = "sparse_categorical_crossentropy on a model with one output unit"
    DOC = """\
## What it does
Finds models compiled with `sparse_categorical_crossentropy` whose output has a
single unit.

## Why is this bad?
The loss needs one output per class; with one unit every label but 0 is out of
range. For two classes use one sigmoid unit with `binary_crossentropy`, or two
softmax units.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="sparse_categorical_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="binary_crossentropy")
```
"""
    VALID = [_HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='binary_crossentropy')\n"]
    INVALID = [_HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='sparse_categorical_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, _, loss, _ in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if loss == "sparse_categorical_crossentropy" and n == 1:
                yield self.report(model.model.compile[1], f"sparse_categorical_crossentropy needs one output per "
                                  f"class but {named(row.layer)} has 1 unit; use binary_crossentropy with sigmoid")


_BOUNDED = ("sigmoid", "hard_sigmoid", "softmax")


class BinaryCrossentropyWithoutSigmoid(Rule):
    CODE = "KC306"
    NAME = "binary-crossentropy-without-sigmoid"
    SEVERITY = "warning"
    SUMMARY = "binary_crossentropy on outputs that are not probabilities (no sigmoid, no from_logits)"
    DOC = """\
## What it does
Finds models compiled with `binary_crossentropy` (without `from_logits=True`) whose
output layer does not end in `sigmoid`: no activation (a linear `Dense`), `relu`,
`tanh`, `linear`. The activation may be an argument (`activation="tanh"`,
`activation=tf.nn.relu`) or a layer after the output (`Activation("relu")`).
A softmax output is KC301.

## Why is this bad?
Binary cross-entropy takes probabilities in [0, 1]. Keras clips other values to
[1e-7, 1 - 1e-7]: negative or large outputs give a constant loss and no gradient, and
the model stops learning (accuracy stuck near 50%). This is the "wrong last-layer
activation" / "missing sigmoid" fault of NeuraLint (Nikanjam et al., TOSEM 2021) and of
the taxonomy of Humbatova et al. (ICSE 2020).

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1)])
model.compile("adam", loss="binary_crossentropy")
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss="binary_crossentropy")
```
or keep the linear output and use `keras.losses.BinaryCrossentropy(from_logits=True)`.
"""
    VALID = [_HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='binary_crossentropy')\n",
             _HEAD.format(units=1, act=None) +
             "m.compile('adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n"]
    INVALID = [_HEAD.format(units=1, act=None) + "m.compile('adam', loss='binary_crossentropy')\n",
               _HEAD.format(units=1, act="tanh") + "m.compile('adam', loss='binary_crossentropy')\n",
               "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(8, activation=tf.nn.relu), "
               "tf.keras.layers.Dense(1, activation=tf.nn.relu)])\nm.compile('adam', 'binary_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, logits in _compiled(ctx):
            if loss == "binary_crossentropy" and not logits and act not in _BOUNDED:
                where = "has no activation" if act == "linear" else _ends_in(ctx, row, act)
                size = _sized(declared_units(ctx, model, row), row)
                yield Diagnostic(self.CODE, self.SEVERITY, f"the loss binary_crossentropy expects probabilities in "
                                 f"[0, 1] but {named(row.layer)}{size} {where}; use "
                                 "activation='sigmoid' or BinaryCrossentropy(from_logits=True)", model.model.compile[1],
                                 output_activation_fix(ctx, model, "sigmoid"))


_REGRESSION = ("mean_squared_error", "mse", "mean_absolute_error", "mae", "mean_squared_logarithmic_error", "msle",
               "mean_absolute_percentage_error", "mape")


class SoftmaxRegressionLoss(Rule):
    CODE = "KC307"
    NAME = "softmax-with-regression-loss"
    SEVERITY = "warning"
    SUMMARY = "A softmax classifier trained with a regression loss (mean squared or absolute error)"
    DOC = """\
## What it does
Finds models whose output ends in `softmax` over several units while `model.compile`
uses `mean_squared_error`, `mean_absolute_error` or another regression loss.

## Why is this bad?
A softmax output is a probability distribution over classes. Squared or absolute
error on probabilities gives vanishing gradients when the model is confidently wrong,
so classifiers train slowly and to worse accuracy than with cross-entropy (Islam et
al., ICSE 2020, and Zhang et al., ISSTA 2018, list the wrong loss function among the
most common faults). The loss Keras pairs with softmax is categorical cross-entropy.

## Example
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10, activation="softmax")])
model.compile("adam", loss="mse", metrics=["accuracy"])
```

## Use instead
```python
model = keras.Sequential([keras.Input((16,)), layers.Dense(10, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy", metrics=["accuracy"])
```
"""
    VALID = [_HEAD.format(units=10, act="softmax") + "m.compile('adam', loss='categorical_crossentropy')\n",
             _HEAD.format(units=1, act="sigmoid") + "m.compile('adam', loss='mse')\n"]
    INVALID = [_HEAD.format(units=10, act="softmax") + "m.compile('adam', loss='mse', metrics=['accuracy'])\n",
               _HEAD.format(units=3, act="softmax") + "m.compile(loss='mean_absolute_error', optimizer='sgd')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, _ in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if act == "softmax" and loss in _REGRESSION and n != 1:
                yield self.report(model.model.compile[1], f"{named(row.layer)} ends in softmax{_units(n, row)} (a "
                                  f"classifier) but the loss is {loss}, a regression loss; use "
                                  "categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy")


class OutputUnitsVsClasses(Rule):
    CODE = "KC308"
    NAME = "output-units-vs-classes"
    SEVERITY = "warning"
    SUMMARY = "The output layer's units differ from the number of classes the labels are encoded with"
    DOC = """\
## What it does
Finds files that one-hot encode their labels with a literal number of classes
(`to_categorical(y, 10)`, `to_categorical(y, num_classes=10)`) and whose model, compiled
with `categorical_crossentropy`, has an output layer with another number of units
(`Dense(2, activation="softmax")`). Only one number of classes counts: that of the calls at
module level and in the function that compiles the model (a `to_categorical` inside another
function encodes the labels of another model), and not a model that `fit` is seen giving labels
of another known width (a dataset or generator that one-hot encodes its own classes).

## Why is this bad?
The labels have one column per class; an output of another width makes Keras fail
at `fit` with incompatible shapes, or, with fewer classes in the labels than units,
train a model that predicts classes that do not exist. A mismatch between the output
layer and the classes is one of the structural faults of Theia (arXiv 2412.05775) and
the "wrong output size" faults of Humbatova et al. (ICSE 2020).

## Example
```python
y_train = to_categorical(y_train, 10)
model = keras.Sequential([keras.Input((784,)), layers.Dense(2, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy")
```

## Use instead
```python
y_train = to_categorical(y_train, 10)
model = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy")
```
"""
    VALID = [_HEAD.format(units=10, act="softmax") + "from keras.utils import to_categorical\n"
             "y = to_categorical([1, 2], 10)\nm.compile('adam', loss='categorical_crossentropy')\n",
             # (the labels of another function's model: a tutorial's examples, one function each)
             "import keras\nfrom keras import layers\nfrom keras.utils import to_categorical\n"
             "def first():\n    m = keras.Sequential([keras.Input((4,)), layers.Dense(32, activation='softmax')])\n"
             "    m.compile('sgd', loss='categorical_crossentropy')\n"
             "def second():\n    y = to_categorical([1, 2], num_classes=10)\n"
             "    m = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation='softmax')])\n"
             "    m.compile('sgd', loss='categorical_crossentropy')\n",
             # (trained on other labels: a folder of five classes, which the dataset one-hot encodes itself)
             "import keras\nfrom keras import layers\nfrom keras.utils import to_categorical\n"
             "y = to_categorical([1, 2], 10)\n"
             "m = keras.Sequential([keras.Input((8, 8, 3)), layers.Flatten(), layers.Dense(5, activation='softmax')])\n"
             "m.compile('adam', loss='categorical_crossentropy')\n"
             "pics = keras.utils.image_dataset_from_directory(\n"
             "    'pics', image_size=(8, 8), label_mode='categorical', class_names=['a', 'b', 'c', 'd', 'e'])\n"
             "m.fit(pics)\n"]
    INVALID = [_HEAD.format(units=2, act="softmax") + "from keras.utils import to_categorical\n"
               "y = to_categorical([1, 2], num_classes=10)\nm.compile('adam', loss='categorical_crossentropy')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model, row, act, loss, _ in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if loss != "categorical_crossentropy" or act != "softmax" or not isinstance(n, int):
                continue
            classes = _encoded_classes(ctx, _function_at(ctx, model.model.compile[1].line))
            if len(classes) == 1 and n not in classes:
                (k, line), = classes.items()
                if any(_label_width(call) not in (None, k) for call in model.model.data_calls):
                    continue  # (it is given other labels: a generator's of its own classes, `flow_from_directory`)
                yield self.report(model.model.compile[1], f"the labels are one-hot encoded with {k} classes "
                                  f"(to_categorical, line {line}) but {named(row.layer)} has {n} units; give it {k}")


def _label_width(call) -> Optional[int]:
    """The number of columns of the labels a data call (``fit``...) gives, when known: the last size of their shape."""
    y = call.y
    return y[-1] if y and len(y) >= 2 and isinstance(y[-1], int) and not isinstance(y[-1], bool) else None


def _function_at(ctx: RuleContext, line: int) -> Optional[ast.AST]:
    """The innermost function definition of the file whose lines hold ``line`` (None: module level)."""
    from .source import walk

    found = None
    for node in walk(ctx.tree)[0] if ctx.tree is not None else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno) and \
                (found is None or node.lineno >= found.lineno and (node.end_lineno or 0) <= (found.end_lineno or 0)):
            found = node
    return found


def _encoded_classes(ctx: RuleContext, scope: Optional[ast.AST] = None):
    """{number of classes: line} for each `to_categorical(y, N)` whose N is a literal or a constant, at module
    level or inside function ``scope`` (the one that compiles the model; None: module level only)."""
    from .source import calls, argument, dotted, number

    found = {}
    for call in calls(ctx):
        name = dotted(call.func)
        if name is None or name.rsplit(".", 1)[-1] != "to_categorical":
            continue
        where = _function_at(ctx, call.lineno)
        if where is not None and where is not scope:
            continue  # inside another function: the labels of another model
        value = number(ctx, argument(call, "num_classes", 1))
        if value is None or value != int(value) or value < 2:
            return {}  # a number of classes not known: nothing to compare with
        found.setdefault(int(value), call.lineno)
    return found


class OneHotLabelsRegressionLoss(Rule):
    CODE = "KC310"
    NAME = "one-hot-labels-with-regression-loss"
    SEVERITY = "warning"
    SUMMARY = "One-hot labels (to_categorical) trained with a regression loss on an output with no softmax"
    DOC = """\
## What it does
Finds a model trained (`fit`) on labels made by `to_categorical(...)` (a name assigned once, at
module level) whose output has several units, no activation (or ReLU) and whose loss is
`mean_squared_error`, `mean_absolute_error` or another regression loss.

## Why is this bad?
One-hot labels say the task is classification, but the model is trained as a regression of
ten unrelated numbers: its outputs are not probabilities, squared error on them trains slowly
and to a worse accuracy than cross-entropy, and `accuracy` compares the largest of values that
were never meant to compete. The wrong loss function is among the most frequent faults of
Islam et al. (FSE 2019) and Humbatova et al. (ICSE 2020), and a fault of the DeepLocalize
benchmark (Wardat et al., ICSE 2021). (With a softmax output it is KC307.)

## Example
```python
y_train = keras.utils.to_categorical(y_train, 10)
model = keras.Sequential([keras.Input((784,)), layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile("sgd", loss="mean_squared_error", metrics=["accuracy"])
model.fit(x_train, y_train)
```

## Use instead
```python
model = keras.Sequential([keras.Input((784,)), layers.Dense(64, activation="relu"),
                          layers.Dense(10, activation="softmax")])
model.compile("sgd", loss="categorical_crossentropy", metrics=["accuracy"])
```
"""
    VALID = [_HEAD.format(units=3, act=None) + "import numpy as np\ny = np.zeros((4, 3))\n"
             "m.compile('adam', loss='mse')\nm.fit(np.zeros((4, 16)), y)\n",
             _HEAD.format(units=3, act="softmax") + "y = keras.utils.to_categorical([0, 1, 2, 1], 3)\n"
             "m.compile('adam', loss='categorical_crossentropy')\nm.fit(x, y)\n"]
    INVALID = [_HEAD.format(units=3, act=None) + "y = keras.utils.to_categorical([0, 1, 2, 1], 3)\n"
               "m.compile('sgd', loss='mean_squared_error', metrics=['accuracy'])\nm.fit(x, y, epochs=5)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .source import _index_tree, dotted

        if ctx.tree is None or "to_categorical" not in ctx.source:
            return
        calls, assigned = _index_tree(ctx.tree)
        for model, row, act, loss, _ in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if act not in ("linear", "relu") or loss not in _REGRESSION or not isinstance(n, int) or n < 2:
                continue
            for call in sorted(calls.values(), key=lambda c: (c.lineno, c.col_offset)):
                func = call.func
                if not (isinstance(func, ast.Attribute) and func.attr == "fit" and isinstance(func.value, ast.Name)
                        and func.value.id == model.model.name):
                    continue
                y = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "y"),
                                                                   None)
                made = assigned.get(y.id) if isinstance(y, ast.Name) else None
                if isinstance(made, ast.Call) and (dotted(made.func) or "").rsplit(".", 1)[-1] == "to_categorical":
                    yield self.report(model.model.compile[1], f"{y.id} is one-hot (to_categorical, line "
                                      f"{made.lineno}) but {named(row.layer)} ends in {act}{_units(n, row)} and the "
                                      f"loss is {loss}: a classifier trained as a regression; use activation='softmax' "
                                      "with categorical_crossentropy")
                    break


#: Optimizers whose step is scaled per weight (a learning rate above 1 moves every weight by
#: about that much each step) and their default learning rate in Keras 3.
_ADAPTIVE = {"Adam": 0.001, "AdamW": 0.001, "Adamax": 0.001, "Nadam": 0.001, "RMSprop": 0.001, "Adagrad": 0.001,
             "Lion": 0.001, "Adafactor": 0.001}
_OTHER = {"SGD", "Adadelta", "Ftrl", "LossScaleOptimizer"}
#: Keras callbacks that never set the learning rate to a value of their own (ReduceLROnPlateau only
#: divides it: a rate of 0 stays 0, a rate far above 1 stays far too large until many plateaus).
_FIXED_RATE_CALLBACKS = {"EarlyStopping", "ModelCheckpoint", "TensorBoard", "CSVLogger", "History",
                         "ProgbarLogger", "TerminateOnNaN", "ReduceLROnPlateau", "BackupAndRestore",
                         "RemoteMonitor", "SwapEMAWeights"}


def _rate_set_elsewhere(ctx: RuleContext) -> bool:
    """Whether code of the file may set the learning rate after compile: the optimizer's rate assigned or set
    (``K.set_value(model.optimizer.lr, ...)``, ``optimizer.learning_rate.assign``), or a ``fit`` given callbacks
    that are not all known to leave it alone (a LearningRateScheduler, a custom or unknown callback: a
    learning-rate finder or a warm-up starts from ``lr=0`` on purpose)."""
    from .source import argument, calls, dotted, resolve_name

    if re.search(r"optimizer\.(lr|learning_rate)\b", ctx.source):
        return True
    mutated = {node.target.id for node in ast_walk(ctx.tree)
               if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)}
    mutated |= {c.func.value.id for c in calls(ctx) if isinstance(c.func, ast.Attribute)
                and c.func.attr in ("append", "extend", "insert") and isinstance(c.func.value, ast.Name)}

    def fixed(expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name) and expr.id in mutated:
            return False
        value = resolve_name(ctx, expr)
        if isinstance(value, (ast.List, ast.Tuple)):
            return all(fixed(e) for e in value.elts)
        return (isinstance(value, ast.Call)
                and (dotted(value.func) or "").rsplit(".", 1)[-1] in _FIXED_RATE_CALLBACKS)

    for call in calls(ctx):
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("fit", "fit_generator"):
            given = argument(call, "callbacks")
            if given is not None and not fixed(given):
                return True
    return False


class LearningRateOutOfRange(Rule):
    CODE = "KC309"
    NAME = "learning-rate-out-of-range"
    SEVERITY = "warning"
    SUMMARY = ("A learning rate an optimizer cannot train with: zero or negative, above 1 for Adam and RMSprop, "
               "or 0.1 and above (1e-6 and below from scratch) for them on a convolutional network")
    DOC = """\
## What it does
Reads the optimizer given to `model.compile` (directly or through a name assigned once,
`opt = Adam(lr=10)`), and reports a learning rate (`learning_rate=` or Keras 2's `lr=`,
a literal or a constant) that is zero or negative for any optimizer, or greater than 1
for an adaptive one (`Adam`, `AdamW`, `Adamax`, `Nadam`, `RMSprop`, `Adagrad`, `Lion`).
For a model with convolution layers it also reports a rate of 0.1 or more for `Adam`,
`AdamW`, `Adamax`, `Nadam`, `RMSprop` and `Lion`, and a rate of 1e-6 or less for an
adaptive optimizer when the model learns from scratch (no nested model or application
among its layers, and nothing in the file loads weights or sets `trainable = False`), unless
a `ReduceLROnPlateau` in the file lowers the rate as the loss stalls (starting high on purpose).
It stays silent where the file may set the rate after compile: `optimizer.lr` or
`optimizer.learning_rate` written anywhere in it, or a `fit` given callbacks other than Keras's own
that never set a rate of their own (a `LearningRateScheduler`, a warm-up or a learning-rate finder
starts from 0 on purpose).

## Why is this bad?
A zero learning rate never changes the weights; a negative one climbs the loss. Adaptive
optimizers move every weight by about the learning rate at each step, so a rate above 1
(their default is 0.001) makes the loss diverge to NaN within a few steps. A convolutional
network is more fragile: at 0.1 its filters are thrown about at every step and accuracy stays
at chance, while at 1e-6 they barely move (a rate that small is for fine-tuning weights
learnt elsewhere). A small dense model (a linear regression, a tiny RNN) may still train
at 0.1, so those are left alone. A learning rate the model cannot train with is among the
most frequent training faults in Zhang et al. (ISSTA 2018) and Humbatova et al. (ICSE 2020);
the Theia benchmark (arXiv 2412.05775) measured it on CNNs: Adam at 0.1 left a CIFAR-10
network at 10% accuracy (82% at 1e-3) and a two-class one at 49%, Adam at 1e-6 left a
five-class one at 51% after 30 epochs (92% at 1e-3).

## Example
```python
model.compile(optimizer=keras.optimizers.Adam(learning_rate=10), loss="mse")
```

## Use instead
```python
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
```
"""
    VALID = [_HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), "
             "loss='mse')\n",
             _HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.SGD(1.0), loss='mse')\n",
             # a warm-up or a learning-rate finder sets the rate from 0 at each epoch
             _HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), "
             "loss='mse')\nwarmup = keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * (epoch + 1))\n"
             "m.fit(x, y, epochs=5, callbacks=[warmup])\n",
             _HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.SGD(lr=0.0), loss='mse')\n"
             "m.fit(x, y, epochs=5, callbacks=callbacks_list)\n",
             # a dense model may train at 0.1; SGD's usual rates go up to 0.1
             _HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.Adam(0.1), loss='mse')\n",
             _CNN + "m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss='mse')\n",
             _CNN + "m.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-7), loss='mse')\n",
             # a high start that ReduceLROnPlateau lowers when the loss stalls
             _CNN + "m.compile(optimizer=keras.optimizers.Adam(0.1), loss='mse')\n"
             "m.fit(x, y, epochs=50, callbacks=[keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=3)])\n",
             # fine-tuning weights loaded from a file
             _CNN + "m.load_weights('pretrained.weights.h5')\n"
             "m.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss='mse')\n",
             # VGG16's convolutions (ImageNet weights by default) moved into a model of the file's
             "import keras\nbase = keras.applications.VGG16(input_shape=(64, 64, 3), include_top=False)\n"
             "m = keras.Sequential()\nfor layer in base.layers:\n    m.add(layer)\n"
             "m.add(keras.layers.GlobalAveragePooling2D())\nm.add(keras.layers.Dense(2))\n"
             "m.compile(optimizer=keras.optimizers.Adam(1e-6), loss='mse')\n"]
    INVALID = [_HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.Adam(learning_rate=10), "
               "loss='mse')\n",
               _HEAD.format(units=1, act=None) + "from keras.optimizers import SGD\nsgd = SGD(lr=0)\n"
               "m.compile(loss='mse', optimizer=sgd)\n",
               _HEAD.format(units=1, act=None) + "m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), "
               "loss='mse')\ncallbacks = [keras.callbacks.EarlyStopping(patience=2), "
               "keras.callbacks.ReduceLROnPlateau()]\nm.fit(x, y, epochs=5, callbacks=callbacks)\n",
               _CNN + "opt = keras.optimizers.Adam(learning_rate=0.1)\nm.compile(optimizer=opt, loss='mse')\n",
               _CNN + "m.compile(optimizer=keras.optimizers.RMSprop(1e-7), loss='mse')\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .source import argument, call_at, dotted, number, resolve_name

        seen = set()
        elsewhere = None  # (the file-wide scan of _rate_set_elsewhere, made once, only for a rate out of range)
        for model in ctx.models:
            if model.model.compile is None or model.model.compile[1] in seen:
                continue
            seen.add(model.model.compile[1])
            optimizer = resolve_name(ctx, argument(call_at(ctx, model.model.compile[1]), "optimizer", 0))
            if not isinstance(optimizer, ast.Call):
                continue
            name = (dotted(optimizer.func) or "").rsplit(".", 1)[-1]
            if name not in _ADAPTIVE and name not in _OTHER:
                continue
            expr = argument(optimizer, "learning_rate", 0) or argument(optimizer, "lr")
            rate = number(ctx, expr)
            if rate is None:
                continue
            conv = None
            if 0 < rate and (name not in _ADAPTIVE or rate <= 1):
                # (a rate that ReduceLROnPlateau lowers as the loss stalls may start high or low on purpose)
                conv = _convolutions(model) if "ReduceLROnPlateau" not in ctx.source else ""
                if not (conv and (name in _STEP_SIZED and rate >= CNN_RATE_HIGH
                                  or name in _ADAPTIVE and rate <= CNN_RATE_LOW and not _pretrained(ctx, model))):
                    continue
            if elsewhere is None:
                elsewhere = ctx.tree is None or _rate_set_elsewhere(ctx)
            if elsewhere:
                return
            if rate <= 0:
                why = "the weights never change" if rate == 0 else "the optimizer climbs the loss instead"
                yield self.report(model.model.compile[1], f"{name} is given a learning rate of {rate:g}: {why}; "
                                  "use a small positive rate (1e-3 for Adam, 1e-2 for SGD)")
            elif name in _ADAPTIVE and rate > 1:
                yield self.report(model.model.compile[1], f"{name} is given a learning rate of {rate:g}, "
                                  f"{rate / _ADAPTIVE[name]:,.0f} times its default of {_ADAPTIVE[name]:g}: an "
                                  "adaptive optimizer moves each weight by about this much per step and the loss "
                                  "diverges; use 1e-3 or less")
            elif rate >= CNN_RATE_HIGH:
                yield self.report(model.model.compile[1], f"{name} is given a learning rate of {rate:g}, "
                                  f"{rate / _ADAPTIVE[name]:,.0f} times its default of {_ADAPTIVE[name]:g}, to train "
                                  f"a convolutional network ({conv}): steps this large throw its filters about instead "
                                  "of descending the loss, and accuracy stays at chance; use 1e-3 (or a schedule "
                                  "from it)")
            else:
                yield self.report(model.model.compile[1], f"{name} is given a learning rate of {rate:g}, "
                                  f"{_ADAPTIVE[name] / rate:,.0f} times below its default of {_ADAPTIVE[name]:g}, to "
                                  f"train a convolutional network ({conv}) from scratch: its weights barely move "
                                  "and it stays near chance for many epochs; use 1e-3 (rates this small are for "
                                  "fine-tuning pretrained weights)")


#: Adaptive optimizers whose every step moves a weight by about the learning rate (Adagrad's steps shrink as its
#: sums grow, and Adafactor's are relative to the weights, so a rate of 0.1 is within their practice).
_STEP_SIZED = {"Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Lion"}
#: The rates at which such an optimizer does not train a convolutional network from scratch (Theia,
#: arXiv 2412.05775, mutants B9 and B25: Adam at 0.1 leaves a CIFAR-10 CNN at 10% and a two-class CNN at 49%;
#: B19: Adam at 1e-6 leaves a five-class CNN at 51% after 30 epochs, against 92% at 1e-3).
CNN_RATE_HIGH = 0.1
CNN_RATE_LOW = 1e-6
_CONVOLUTIONS = None
#: Code that loads weights into a model, or freezes layers to fine-tune them: a tiny rate is on purpose there.
_PRETRAINED = re.compile(r"\.load_weights\(|\bload_model\(|\bweights\s*=\s*['\"](?!None)|\.trainable\s*=\s*False"
                         r"|\bfrom_pretrained\(|\bfrom_preset\(|\bhub\.")


def _convolutions(model) -> str:
    """The convolution layers of the model's own rows, as "conv2d and 3 more", or '' when it has none."""
    global _CONVOLUTIONS
    if _CONVOLUTIONS is None:
        from ..catalogue import with_trait

        _CONVOLUTIONS = with_trait("windowed") & with_trait("linear")
    names = [row.layer.name for row in model.rows if row.layer.type in _CONVOLUTIONS]
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def _pretrained(ctx: RuleContext, model) -> bool:
    """Whether the model may hold weights it did not learn here: a model, an application or an application's
    layer among its rows, an application anywhere in the file, or a file that loads weights or freezes layers."""
    if model.model.application or any(row.layer.submodel is not None or not row.layer.known
                                      or row.layer.kwarg("application_layer") is not None for row in model.rows):
        return True
    if any(other.model.kind == "application" for other in ctx.models):
        return True
    return bool(_PRETRAINED.search(ctx.source))


#: Adadelta's default learning rate in tf.keras (from TensorFlow 1.14) and Keras 3; Keras 1/2 and the paper: 1.0.
ADADELTA_DEFAULT = 0.001
#: Code for TensorFlow 1 (sessions, placeholders, contrib): tf.keras's Adadelta defaulted to 1.0 until TensorFlow 1.14.
_TF1 = re.compile(r"\btf\.(?:Session|placeholder|contrib|compat\.v1)\b|\btensorflow\.contrib\b")


def _adadelta_default(optimizer) -> bool:
    """``Adadelta()`` or ``optimizer='adadelta'`` with no learning rate written (and no ``**kwargs`` that may give one)."""
    from .source import argument, dotted

    if isinstance(optimizer, ast.Constant) and isinstance(optimizer.value, str):
        return optimizer.value.lower() == "adadelta"
    if not isinstance(optimizer, ast.Call) or (dotted(optimizer.func) or "").rsplit(".", 1)[-1] != "Adadelta":
        return False
    if any(kw.arg is None for kw in optimizer.keywords) or any(isinstance(a, ast.Starred) for a in optimizer.args):
        return False
    return argument(optimizer, "learning_rate", 0) is None and argument(optimizer, "lr") is None


class AdadeltaDefaultRate(Rule):
    CODE = "KC311"
    NAME = "adadelta-default-learning-rate"
    SEVERITY = "warning"
    SUMMARY = "Adadelta without a learning rate: 0.001 in tf.keras and Keras 3, not the 1.0 of Keras 1/2 and the paper"
    DOC = """\
## What it does
Reads the optimizer given to `model.compile` (directly, as the string `'adadelta'`, or through
a name assigned once) and reports `Adadelta` given no learning rate in code that runs under
tf.keras (Keras imported through TensorFlow) or Keras 3 (the file uses API only Keras 3 has,
such as `keras.ops`). It is silent in code for standalone Keras without such API (its
`Adadelta` defaulted to 1.0 up to Keras 2.3), in TensorFlow 1 code (sessions, placeholders,
`tf.contrib`: before TensorFlow 1.14 tf.keras's default was 1.0 too), and where the file may
set the rate after compile (a `LearningRateScheduler` or a callback of its own, `optimizer.lr`
written).

## Why is this bad?
Adadelta (Zeiler, 2012) has no learning rate: its step is the ratio of two running averages.
Keras 1 and 2 kept that with a learning rate of 1.0 by default. TensorFlow 1.14 changed
tf.keras's default to 0.001, and Keras 3 kept it: the same `Adadelta()` now takes steps a
thousand times smaller than the algorithm's, and a model that trained to 99% in a few
epochs under Keras 2 stays near chance or learns very slowly. Code ported from Keras 2
examples (Keras's MNIST CNN example used `Adadelta()`) keeps the call and loses the rate.
Sources: the Theia benchmark (arXiv 2412.05775), TensorFlow issues 32950, 36785 and 39083,
Keras issue 13815, and Keras 3's own documentation of `Adadelta` ("to match the exact form in
the original paper, use 1.0").

## Example
```python
import tensorflow as tf
model.compile(optimizer=tf.keras.optimizers.Adadelta(), loss="categorical_crossentropy")
```

## Use instead
```python
model.compile(optimizer=tf.keras.optimizers.Adadelta(learning_rate=1.0), loss="categorical_crossentropy")
```
or another optimizer at its own default (`"adam"`).
"""
    VALID = [_TF_HEAD + "m.compile(optimizer=tf.keras.optimizers.Adadelta(learning_rate=1.0), "
             "loss='categorical_crossentropy')\n",
             _TF_HEAD + "m.compile(optimizer=tf.keras.optimizers.Adadelta(0.5), loss='categorical_crossentropy')\n",
             # standalone Keras with nothing only Keras 3 has: Keras up to 2.3 read 1.0
             "from keras.models import Sequential\nfrom keras.layers import Dense\n"
             "m = Sequential([Dense(3, activation='softmax', input_dim=16)])\n"
             "m.compile(optimizer='adadelta', loss='categorical_crossentropy')\n",
             # a schedule sets the rate at each epoch
             _TF_HEAD + "m.compile(optimizer='adadelta', loss='categorical_crossentropy')\n"
             "m.fit(x, y, epochs=5, callbacks=[tf.keras.callbacks.LearningRateScheduler(lambda e: 1.0)])\n",
             # TensorFlow 1 code: tf.keras's Adadelta defaulted to 1.0 before TensorFlow 1.14
             _TF_HEAD + "m.compile(optimizer='adadelta', loss='categorical_crossentropy')\n"
             "sess = tf.Session()\n"]
    INVALID = [_TF_HEAD + "m.compile(optimizer=tf.keras.optimizers.Adadelta(), loss='categorical_crossentropy')\n",
               _TF_HEAD + "m.compile(optimizer='Adadelta', loss='categorical_crossentropy')\n",
               _HEAD.format(units=1, act="sigmoid") + "m.add(layers.Lambda(lambda t: keras.ops.clip(t, 0, 1)))\n"
               "opt = keras.optimizers.Adadelta(rho=0.9)\nm.compile(loss='binary_crossentropy', optimizer=opt)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .legacy import keras3_code, tf_keras_file
        from .source import argument, call_at, resolve_name

        if not ctx.source or "adadelta" not in ctx.source.lower() or _TF1.search(ctx.source):
            return
        seen = set()
        for model in ctx.models:
            if model.model.compile is None or model.model.compile[1] in seen:
                continue
            seen.add(model.model.compile[1])
            optimizer = resolve_name(ctx, argument(call_at(ctx, model.model.compile[1]), "optimizer", 0))
            if not _adadelta_default(optimizer):
                continue
            tf_keras = tf_keras_file(ctx)
            if not (tf_keras or keras3_code(ctx)) or ctx.tree is None or _rate_set_elsewhere(ctx):
                # Standalone Keras without API only Keras 3 has: 1.0 up to Keras 2.3, 0.001 from 2.4 (tf.keras's);
                # or a rate set after compile.
                return
            where = "tf.keras (TensorFlow 1.14 and later)" if tf_keras else "Keras 3"
            what = (f"optimizer={optimizer.value!r} is Adadelta at its default learning rate"
                    if isinstance(optimizer, ast.Constant) else "Adadelta is given no learning rate")
            yield self.report(model.model.compile[1], f"{what}: in {where} that is {ADADELTA_DEFAULT:g}, not the "
                              "1.0 of Keras 1/2 and of the Adadelta paper, so every step is a thousand times smaller "
                              "than the algorithm's and the model barely trains; use Adadelta(learning_rate=1.0)")


def _single_label_source(made) -> "str | None":
    """What makes ``made`` (a name's one assigned value) labels of exactly one class per sample, or None:
    ``to_categorical(...)``, ``flow_from_directory(...)`` in class_mode 'categorical' (one folder per image), or
    ``image_dataset_from_directory(..., label_mode='categorical')``."""
    from .source import dotted

    if not isinstance(made, ast.Call):
        return None
    name = (dotted(made.func) or (made.func.attr if isinstance(made.func, ast.Attribute) else "")).rsplit(".", 1)[-1]
    keywords = {k.arg: k.value for k in made.keywords if k.arg is not None}
    if any(k.arg is None for k in made.keywords):
        return None  # **kwargs: the mode is not known
    if name == "to_categorical":
        return "to_categorical"
    if name == "flow_from_directory":
        mode = keywords.get("class_mode")
        if len(made.args) > 5:  # class_mode given by position
            mode = made.args[5]
        if mode is None or isinstance(mode, ast.Constant) and mode.value == "categorical":
            return "flow_from_directory, class_mode='categorical'"
        return None
    if name == "image_dataset_from_directory":
        mode, labels = keywords.get("label_mode"), keywords.get("labels")
        if len(made.args) > 1 or labels is not None and not (isinstance(labels, ast.Constant)
                                                              and labels.value == "inferred"):
            return None  # labels given by the caller: they may be several per image
        if isinstance(mode, ast.Constant) and mode.value == "categorical":
            return "image_dataset_from_directory, label_mode='categorical'"
    return None


class SigmoidOnExclusiveClasses(Rule):
    CODE = "KC312"
    NAME = "sigmoid-on-exclusive-classes"
    SEVERITY = "warning"
    SUMMARY = "Sigmoid units with binary_crossentropy trained on one-hot labels of mutually exclusive classes"
    DOC = """\
## What it does
Finds a model whose output is a sigmoid over three or more units, compiled with
`binary_crossentropy`, and trained (`fit`, `fit_generator`) on labels that give each sample
exactly one class: a name assigned once to `to_categorical(...)`, to
`flow_from_directory(...)` in its default `class_mode='categorical'` (one folder, so one
class, per image) or to `image_dataset_from_directory(..., label_mode='categorical')`.
Two units are left out (a common binary set-up that trains much as softmax does), and so are
labels it cannot see made (a dataframe, a multi-hot array).

## Why is this bad?
Sigmoid units with binary cross-entropy are a multi-label classifier: each unit is an
independent yes/no, the outputs need not sum to 1, and nothing tells the model that exactly
one class is true. On one-hot labels of exclusive classes it trains one-vs-rest detectors
instead of a distribution over the classes (each sample's loss is mostly its n - 1 negatives,
and the largest output is not a calibrated choice). Standalone Keras 1 and 2 and TensorFlow 1's
tf.keras also read `metrics=["accuracy"]` with this loss as binary accuracy per unit, so an
output of all zeros already scored (n - 1) / n (Keras 3 picks categorical accuracy). Softmax with categorical cross-entropy is the output and loss for
one class among several (Goodfellow et al., Deep Learning, 6.2.2.3); the mismatch is one of
Theia's faults (arXiv 2412.05775: Stack Overflow 55343875, three bird species) and a fault
kind of Humbatova et al.'s taxonomy (ICSE 2020: wrong type of activation function, wrong
selection of loss function).

## Example
```python
y_train = keras.utils.to_categorical(y_train, 5)
model = keras.Sequential([keras.Input((64,)), layers.Dense(5, activation="sigmoid")])
model.compile("adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train)
```

## Use instead
```python
model = keras.Sequential([keras.Input((64,)), layers.Dense(5, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy", metrics=["accuracy"])
```
"""
    VALID = [_HEAD.format(units=5, act="softmax") + "y = keras.utils.to_categorical([0, 1, 2, 4], 5)\n"
             "m.compile('adam', loss='categorical_crossentropy')\nm.fit(x, y)\n",
             # multi-hot labels (several classes per sample): sigmoid with binary_crossentropy is right
             _HEAD.format(units=5, act="sigmoid") + "import numpy as np\ny = np.random.randint(0, 2, (4, 5))\n"
             "m.compile('adam', loss='binary_crossentropy')\nm.fit(x, y)\n",
             _HEAD.format(units=2, act="sigmoid") + "y = keras.utils.to_categorical([0, 1, 1, 0], 2)\n"
             "m.compile('adam', loss='binary_crossentropy')\nm.fit(x, y)\n"]
    INVALID = [_HEAD.format(units=5, act="sigmoid") + "y = keras.utils.to_categorical([0, 1, 2, 4], 5)\n"
               "m.compile('adam', loss='binary_crossentropy', metrics=['accuracy'])\nm.fit(x, y, epochs=3)\n",
               "import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((64, 64, 3)), layers.Flatten(), layers.Dense(3), "
               "layers.Activation('sigmoid')])\n"
               "m.compile(loss='binary_crossentropy', optimizer='adam')\n"
               "gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)\n"
               "train = gen.flow_from_directory('birds/train', target_size=(64, 64))\n"
               "m.fit(train, epochs=5)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .source import _index_tree

        if ctx.tree is None or not any(word in ctx.source for word in ("to_categorical", "from_directory")):
            return
        calls, assigned = _index_tree(ctx.tree)
        for model, row, act, loss, logits in _compiled(ctx):
            n = declared_units(ctx, model, row)
            if act != "sigmoid" or loss != "binary_crossentropy" or logits or not isinstance(n, int) or n < 3:
                continue
            for call in sorted(calls.values(), key=lambda c: (c.lineno, c.col_offset)):
                func = call.func
                if not (isinstance(func, ast.Attribute) and func.attr in ("fit", "fit_generator")
                        and isinstance(func.value, ast.Name) and func.value.id == model.model.name):
                    continue
                x = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("x", "generator")),
                                                        None)
                y = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "y"),
                                                                   None)
                labels = y if y is not None else x  # a generator or dataset carries its labels
                made = assigned.get(labels.id) if isinstance(labels, ast.Name) else None
                if y is None and isinstance(made, ast.Call) and (getattr(made.func, "attr", None) == "to_categorical"):
                    made = None  # to_categorical is labels, not the inputs a generator would be
                source = _single_label_source(made)
                if source is not None:
                    yield self.report(model.model.compile[1], f"{labels.id} gives each sample one class ({source}, "
                                      f"line {made.lineno}) but {named(row.layer)} ends in sigmoid{_units(n, row)} with "
                                      "binary_crossentropy, a multi-label set-up of independent yes/no outputs; use "
                                      "activation='softmax' with categorical_crossentropy")
                    break


RULES = [SoftmaxBinaryCrossentropy, CategoricalWithoutSoftmax, SoftmaxSingleUnit, FromLogitsAfterActivation,
         SparseCategoricalSingleUnit, BinaryCrossentropyWithoutSigmoid, SoftmaxRegressionLoss, OutputUnitsVsClasses,
         LearningRateOutOfRange, OneHotLabelsRegressionLoss, AdadeltaDefaultRate, SigmoidOnExclusiveClasses]
