"""``# noqa`` and ``# noqa: KC201`` comments, and the file-level ``# kerascount: noqa``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional

from .ir import Diagnostic

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,?\s*[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
_FILE = re.compile(r"#\s*kerascount\s*:\s*noqa\b", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")

#: A line's noqa: None means every code.
Directive = Optional[FrozenSet[str]]


@dataclass(frozen=True)
class Suppressions:
    lines: Dict[int, Directive]
    whole_file: bool

    def suppresses(self, d: Diagnostic) -> bool:
        if self.whole_file:
            return True
        for line in range(d.span.line, d.span.end_line + 1):
            if line in self.lines:
                codes = self.lines[line]
                if codes is None or d.code in codes:
                    return True
        return False


def parse(source: str) -> Suppressions:
    lines: Dict[int, Directive] = {}
    whole = False
    if "noqa" not in source and "NOQA" not in source:
        return Suppressions(lines, whole)
    for number, text in enumerate(source.splitlines(), start=1):
        if "#" not in text:
            continue
        if _FILE.search(text):
            whole = True
            continue
        m = _NOQA.search(text)
        if m is None:
            continue
        codes = m.group("codes")
        lines[number] = None if codes is None else frozenset(c.upper() for c in _CODE.findall(codes))
    return Suppressions(lines, whole)
