"""KC0xx and KC9xx: files that cannot be read, and what the analysis could not follow."""

from __future__ import annotations

from typing import Iterator

from ..ir import Diagnostic
from ..numbers import count
from ..infer import REJECTED
from .base import Rule, RuleContext


class _FromNotes(Rule):
    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for note in ctx.ir.notes:
            if note.code == self.CODE:
                yield self.report(note.span, note.message)


class SyntaxError_(_FromNotes):
    CODE = "KC000"
    NAME = "syntax-error"
    SEVERITY = "error"
    SUMMARY = "The file is not valid Python, so its models cannot be read"
    DOC = """\
## What it does
Reports a file that does not parse as Python (as CPython's parser of the Python running kerascount reads it), with the position
of the error.

## Why is this bad?
Nothing in the file can be analysed, and Python would refuse to run it.

## Example
```python
model = keras.Sequential([layers.Dense(10)
```

## Use instead
```python
model = keras.Sequential([layers.Dense(10)])
```
"""
    VALID = ["import keras\nm = keras.Sequential()\n"]
    INVALID = ["import keras\nm = keras.Sequential([\n"]


class Unreadable(_FromNotes):
    CODE = "KC001"
    NAME = "unreadable-file"
    SEVERITY = "error"
    SUMMARY = "The file cannot be read as UTF-8 text"
    DOC = """\
## What it does
Reports a file that cannot be read, is binary (contains NUL bytes), or is not UTF-8 text.

## Why is this bad?
Python source is UTF-8 unless declared otherwise; a file kerascount cannot read is a file it silently
cannot check.

## Example
A `.py` file saved as Latin-1 with accented characters.

## Use instead
Save the file as UTF-8.
"""
    VALID = ["import keras\n"]
    INVALID = []


class UnresolvedModel(Rule):
    CODE = "KC901"
    NAME = "unresolved-model"
    SEVERITY = "info"
    SUMMARY = "A model's shapes or parameter counts could not be determined from the source"
    DOC = """\
## What it does
Reports each model whose numbers kerascount could not determine, naming what
stopped it: a layer not in the catalogue, a name whose value is not in the file,
a loop over an unknown range, a model with no input shape (Keras has not built it).

## Why is this bad?
It is not bad in itself: kerascount never guesses, so it says what it does not know
instead of printing a number Keras would not agree with. The note tells you what
to make explicit (a constant, an input shape) to get exact numbers.

## Example
```python
model = keras.Sequential([layers.Dense(10)])  # no input shape: not built
```

## Use instead
```python
model = keras.Sequential([keras.Input((784,)), layers.Dense(10)])
```
"""
    VALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((784,)), layers.Dense(10)])\n"]
    INVALID = ["import keras\nfrom keras import layers\nm = keras.Sequential([layers.Dense(10)])\n",
               "import keras\nfrom keras import layers\nimport sys\nn = int(sys.argv[1])\nx = keras.Input((8,))\n"
               "y = x\nfor _ in range(n):\n    y = layers.Dense(8)(y)\nm = keras.Model(x, y)\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for model in ctx.models:
            if model.status not in ("unknown", "unbuilt") or (
                    model.failed and all(r.startswith(REJECTED) for r in model.reasons)):
                continue
            name = f"`{model.model.name}`" if model.model.name else "model"
            found = model.reasons or tuple(r.problem.message for r in model.rows
                                           if r.problem is not None and not r.problem.error)
            reasons = "; ".join(dict.fromkeys(found)) or "some values are not known"
            if model.status == "unbuilt":
                message = f"{name} ({model.model.kind}) is not built: {reasons}"
            else:
                message = f"{name} ({model.model.kind}) is not fully resolved: {reasons}"
            if model.alternatives:
                ways = list(dict.fromkeys("Keras raises" if a.error is not None else "no model built (no input "
                                          "shape)" if a.unbuilt else f"{count(a.total)} params"
                                          for a in model.alternatives))
                said = f"give {' or '.join(ways)}" if len(ways) > 1 else f"each give {ways[0]}"
                message += f"; the ways through the condition {said} (`kerascount summary` lists them)"
            yield self.report(model.model.span, message)


class AnalysisLimit(_FromNotes):
    CODE = "KC902"
    NAME = "analysis-limit"
    SEVERITY = "info"
    SUMMARY = "The analysis stopped at one of its limits (loop length, steps, time, nesting)"
    DOC = """\
## What it does
Reports where kerascount stopped following the code because it reached a limit:
a loop of more than 100,000 iterations, more than 10,000 layer calls or 50,000 layers,
more than 2,000,000 evaluation steps, or nesting deeper than Python allows (all counted in steps;
a 120-second guard per file remains as a last resort, and its note says so).
What the code after that point builds is reported as unresolved, never guessed.

## Why is this bad?
It is a note, not a problem in your code: kerascount analyses without running
anything and keeps each file's analysis short.

## Example
```python
for i in range(10**9):
    x = layers.Dense(8)(x)
```

## Use instead
Nothing to change unless the loop bound is a mistake.
"""
    VALID = ["import keras\n"]
    INVALID = ["import keras\nfrom keras import layers\nx = keras.Input((8,))\ny = x\nfor i in range(10**9):\n"
               "    y = layers.Dense(8)(y)\nm = keras.Model(x, y)\n"]


class NoImports(_FromNotes):
    CODE = "KC904"
    NAME = "no-imports"
    SEVERITY = "info"
    SUMMARY = "A file without imports, or a Keras layer name without its import, is read as Keras's"
    DOC = """\
## What it does
Notes that a file which imports nothing, but calls `Sequential(...)`, `Dense(...)`, `Conv2D(...)` and the
like, was read as if it began with `from keras.layers import *` and `from keras.models import *` (and
`keras`, `layers`, `np`, `tf` as their usual modules): code pasted from a tutorial or an answer without
its imports. In a file that imports from Keras, it also notes each Keras layer name (`BatchNormalization`,
`Flatten`, `concatenate`...) used but never imported or defined, which is read as Keras's: an import
left out of a question's code.

## Why is this bad?
It is a note: the numbers are those of Keras's classes, which is what such code almost always means,
but Python itself would stop at the first unbound name.

## Example
```python
model = Sequential()
model.add(Dense(32, input_dim=8))
```

## Use instead
```python
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(32, input_dim=8))
```
"""
    VALID = ["from keras.models import Sequential\nfrom keras.layers import Dense\n"
             "m = Sequential()\nm.add(Dense(4, input_dim=8))\n"]
    INVALID = ["m = Sequential()\nm.add(Dense(4, input_dim=8))\n"]


RULES = [SyntaxError_, Unreadable, UnresolvedModel, AnalysisLimit, NoImports]
