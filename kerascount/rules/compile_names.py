"""KC117: a misspelt optimizer, loss or metric name given to ``model.compile(...)``."""

from __future__ import annotations

import ast
from typing import Callable, Iterator, List, Optional, Set, Tuple

from ..catalogue.identifiers import misspelt_compile_name
from ..ir import Diagnostic, Fix
from .base import Rule, RuleContext
from .source import node_span

_HEAD = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((16,)), layers.Dense(3, activation='softmax')])\n"
#: Text that registers objects Keras then finds by name: a string the file gives compile may be one of them.
_REGISTERS = ("custom_objects", "custom_object_scope", "register_keras_serializable", "CustomObjectScope")
#: compile's arguments that take names, with their position (Keras 3: optimizer, loss, loss_weights, metrics).
_ARGUMENTS = (("optimizer", 0, "optimizer"), ("loss", 1, "loss"), ("metrics", 3, "metric"),
              ("weighted_metrics", None, "metric"))
_RAISES = {"optimizer": "Keras raises ValueError in `compile` (\"Could not interpret optimizer identifier\")",
           "loss": "Keras raises ValueError when the model is first trained or evaluated (\"Could not interpret loss "
                   "identifier\")",
           "metric": "Keras raises ValueError when the model is first trained or evaluated (\"Could not interpret "
                     "metric identifier\")"}


class MisspeltCompileName(Rule):
    CODE = "KC117"
    NAME = "misspelt-compile-name"
    SEVERITY = "error"
    SUMMARY = "An optimizer, loss or metric name given to compile that Keras does not have, a near miss of one it has"
    DOC = """\
## What it does
Reads the strings given to `model.compile` as the optimizer, the loss (one, or a list or dict of
them) and the metrics, and reports a name that no Keras version has and that is one or two
letters away from one Keras 3 has (`"binary_crossentrophy"`, `"adma"`, `"accuarcy"`, or a
difference of letter case only, `"Mse"`, where Keras looks loss and metric names up as written).
It is silent for names of earlier Keras versions (`"logcosh"`, `"cosine_proximity"`), for names
far from any of Keras's (a custom loss may be registered under them), and in files that register
custom objects (`custom_objects=`, `register_keras_serializable`).

## Why is this bad?
Keras finds these objects by name when it needs them: an unknown optimizer name raises in
`compile`, an unknown loss or metric name only when the model is first trained or evaluated
(`ValueError: Could not interpret loss identifier`), after the data has been loaded and the
model built, so a typo costs a whole run.

## Example
```python
model.compile(optimizer="adam", loss="categorical_crossentrophy", metrics=["accuarcy"])
```

## Use instead
```python
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
```
An unsafe fix (`--unsafe-fixes`) writes the name meant, in the same quotes.
Source: the identifiers of `keras.optimizers`, `keras.losses` and `keras.metrics` (Keras 3.15);
misspelt names met in student code of the hold-out corpora.
"""
    VALID = [_HEAD + "m.compile(optimizer='Adam', loss='categorical_crossentropy', metrics=['acc', 'AUC'])\n",
             _HEAD + "m.compile('rmsprop', 'CategoricalCrossentropy', metrics={'dense': ['Accuracy', 'top_k_categorical_accuracy']})\n",
             # names of earlier Keras versions, and names a custom object may have
             _HEAD + "m.compile('sgd', loss='logcosh', metrics=['cosine_proximity', 'fmeasure'])\n",
             _HEAD + "m.compile('adam', loss='focal', metrics=['my_score'])\n",
             # a file that registers custom objects
             _HEAD + "keras.utils.get_custom_objects().update({'binary_crossentrophy': keras.losses.binary_crossentropy})\n"
             "m.compile('adam', loss='binary_crossentrophy')\n",
             # a name the file defines
             _HEAD + "def mean_iou(y, p):\n    return p\nm.compile('adam', 'mse', metrics=['mean_iou'])\n"]
    INVALID = [_HEAD + "m.compile(optimizer='adma', loss='categorical_crossentropy')\n",
               # compiled twice: the first compile's loss is read too
               _HEAD + "m.compile('adam', loss='categorical_crosentropy')\nm.compile('adam', loss='mse')\n",
               _HEAD + "m.compile('adam', loss='categorical_crossentrophy')\n",
               _HEAD + "LOSS = 'Mse'\nm.compile('adam', loss=LOSS)\n",
               _HEAD + "m.compile('adam', 'mse', metrics=['accuarcy'])\n",
               _HEAD + "m.compile('adam', loss={'dense': 'binary_cossentropy'})\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from .source import resolve_name

        if not ctx.source or ctx.tree is None or any(text in ctx.source for text in _REGISTERS):
            return
        bound: Optional[Set[str]] = None
        for call in _compile_calls(ctx):
            for role, node in compile_strings(call, lambda expr: resolve_name(ctx, expr)):
                meant = misspelt_compile_name(role, node.value)
                if meant is None:
                    continue
                if bound is None:
                    bound = _bound_names(ctx.tree)
                if node.value in bound:
                    continue  # (a function or object of the file of that name: registered, maybe)
                slip = "its letter case differs" if meant.lower() == node.value.lower() else "a misspelling"
                span = node_span(node)
                # (unsafe: the program runs where it raised, with the name the analysis takes to be meant)
                yield Diagnostic(self.CODE, self.SEVERITY, f"{role} {node.value!r} is not a name Keras has "
                                 f"({slip} of {meant!r}?): {_RAISES[role]}; write {meant!r}", span,
                                 Fix("unsafe", f"write {meant!r}", span, "", ("string", node.value, meant)))


def _compile_calls(ctx: RuleContext) -> List[ast.Call]:
    """The compile calls of the file's models: the one the analysis recorded last for each, and every other
    ``<name>.compile(...)`` on a name (or attribute) that one was made on (a model compiled twice, a first time with
    another loss)."""
    from .source import call_at, calls, dotted

    found: List[ast.Call] = []
    receivers = set()
    for model in ctx.models:
        compiled = model.model.compile
        call = call_at(ctx, compiled[1]) if compiled is not None else None
        if call is not None and call not in found:
            found.append(call)
            if isinstance(call.func, ast.Attribute) and dotted(call.func.value):
                receivers.add(dotted(call.func.value))
    if receivers:
        for call in calls(ctx):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "compile" and call not in found and \
                    dotted(call.func.value) in receivers:
                found.append(call)
    return sorted(found, key=lambda c: (c.lineno, c.col_offset))


def compile_strings(call: ast.Call, resolve: Callable[[Optional[ast.expr]], Optional[ast.expr]] = lambda e: e
                    ) -> List[Tuple[str, ast.Constant]]:
    """The string literals ``compile`` is given as names, with their role ("optimizer", "loss" or "metric"): an
    argument itself, or the items of a list, tuple or dict (nested); ``resolve`` reads a name (a constant of the
    module) as its value."""
    from .source import argument

    out: List[Tuple[str, ast.Constant]] = []
    for key, position, role in _ARGUMENTS:
        stack: List[Tuple[Optional[ast.expr], int]] = [(resolve(argument(call, key, position)), 0)]
        while stack:
            node, depth = stack.pop()
            if depth > 3 or node is None:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.append((role, node))
            elif isinstance(node, (ast.List, ast.Tuple)):
                stack.extend((resolve(item), depth + 1) for item in reversed(node.elts))
            elif isinstance(node, ast.Dict):
                stack.extend((resolve(item), depth + 1) for item in reversed(node.values))
    return out


def _bound_names(tree: ast.AST) -> Set[str]:
    """The names the file defines or imports anywhere (functions, classes, assignments, imports)."""
    from .source import walk

    out: Set[str] = set()
    for node in walk(tree)[0]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
    return out


RULES = [MisspeltCompileName]
