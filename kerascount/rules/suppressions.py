"""KC405: noqa comments that suppress nothing (opt-in)."""

from __future__ import annotations

import re
from typing import Dict, Iterator, List, Set

from ..ir import Diagnostic, Span
from .base import Rule, RuleContext

#: Codes that look like kerascount's; others (E501, F401, BLE001...) belong to other linters.
_OURS = re.compile(r"KC[0-9]+")


class UnusedNoqa(Rule):
    CODE = "KC405"
    NAME = "unused-noqa"
    SEVERITY = "warning"
    SUMMARY = "A `# noqa: KC...` code that suppresses nothing, or is not a kerascount code"
    DEFAULT_ENABLED = False
    AFTER_OTHERS = True
    DOC = """\
## What it does
Finds kerascount codes in `# noqa: ...` comments that suppress nothing: the
rule reports nothing on that line (any more), or the code is not a kerascount
rule code at all (`KC999`, or a prefix such as `KC2`). Off by default: select it
with `extend-select = ["KC405"]`.

Only codes of the form `KC` + digits are checked, and only for rules that ran on
the file: codes of other linters (`E501`, `F401`), a bare `# noqa` (usually meant
for other linters too) and codes of rules that are not selected are left alone.

## Why is this bad?
A stale noqa hides the next real finding on that line, and a mistyped code
suppresses nothing while looking as if it did.

## Example
```python
x = layers.Dense(10)(x)  # noqa: KC201
```

## Use instead
```python
x = layers.Dense(10)(x)
```
"""
    VALID = ["import keras\nfrom keras import layers\n"
             "m = keras.Sequential([keras.Input((8,)), layers.Dense(4)])  # noqa: E501, KC201\n"]
    INVALID = ["import keras\nfrom keras import layers\n"
               "m = keras.Sequential([keras.Input((8,)), layers.Dense(4)])  # noqa: KC999\n"]

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        from . import BY_CODE

        noqa = ctx.suppressions
        if noqa is None or noqa.whole_file or any(note.code == "KC000" for note in ctx.ir.notes):
            return  # a file that does not parse shows no findings to judge the comments by
        present: Dict[int, Set[str]] = {}
        for d in ctx.findings:
            for line in range(d.span.line, d.span.end_line + 1):
                if line in noqa.lines:
                    present.setdefault(line, set()).add(d.code)
        for line, codes in sorted(noqa.lines.items()):
            if codes is None:
                continue
            ours = sorted(c for c in codes if _OURS.fullmatch(c) and c != self.CODE)
            unknown = [c for c in ours if c not in BY_CODE]
            unused = [c for c in ours if c in ctx.ran and c not in present.get(line, ())]
            if unknown or unused:
                start, end = noqa.columns[line]
                yield self.report(Span(line, start, line, end), _message(unknown, unused, present.get(line, set())))


def _message(unknown: List[str], unused: List[str], present: Set[str]) -> str:
    parts = []
    if unknown:
        verb = "is not a kerascount rule code" if len(unknown) == 1 else "are not kerascount rule codes"
        parts.append(f"{_codes(unknown)} {verb} (`kerascount rules` lists them)")
    if unused:
        found = f"kerascount reports {', '.join(sorted(present))} here" if present else "no finding covers this line"
        parts.append(f"{_codes(unused)} {'suppresses' if len(unused) == 1 else 'suppress'} nothing ({found})")
    count = len(unknown) + len(unused)
    return "; ".join(parts) + f"; remove {'it' if count == 1 else 'them'} from the noqa comment"


def _codes(codes: List[str]) -> str:
    return f"noqa code{'s' if len(codes) > 1 else ''} {', '.join(codes)}"


RULES = [UnusedNoqa]
