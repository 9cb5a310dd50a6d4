"""``# noqa`` and ``# noqa: KC201`` comments, and the file-level ``# kerascount: noqa``."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, Iterator, Optional, Set, Tuple

from .ir import Diagnostic

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,?\s*[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
_FILE = re.compile(r"#\s*kerascount\s*:\s*noqa\b", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")

#: A line's noqa: None means every code.
Directive = Optional[FrozenSet[str]]


@dataclass(eq=False, repr=False)  # (never compared; its dicts make it unhashable anyway)
class Suppressions:
    """A file's ``# noqa`` comments: which codes each line suppresses."""

    lines: Dict[int, Directive]
    whole_file: bool
    #: Where each line's noqa comment is: (column, end column), 1-based, the end exclusive.
    columns: Dict[int, Tuple[int, int]] = field(default_factory=dict)

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
    columns: Dict[int, Tuple[int, int]] = {}
    whole = False
    if "noqa" not in source and "NOQA" not in source:
        return Suppressions(lines, whole)
    for number, column, text in _comments(source):
        if _FILE.search(text):
            whole = True
            continue
        m = _NOQA.search(text)
        if m is None:
            continue
        codes = m.group("codes")
        lines[number] = None if codes is None else frozenset(c.upper() for c in _CODE.findall(codes))
        columns[number] = (column + m.start() + 1, column + m.end() + 1)
    return Suppressions(lines, whole, columns)


def _comments(source: str) -> Iterator[Tuple[int, int, str]]:
    """(line, 0-based column, text) of each comment; of each line's text from its first ``#`` when
    the source does not tokenize (then a ``#`` in a string counts too)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        for number, text in enumerate(source.splitlines(), start=1):
            at = text.find("#")
            if at >= 0:
                yield number, at, text[at:]
        return
    for token in tokens:
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.start[1], token.string


def add_noqa(source: str, diagnostics: Iterable[Diagnostic]) -> Tuple[str, int]:
    """``lint --add-noqa``: the source with ``# noqa: CODE`` added for each finding, and how many lines changed.

    Plain text editing, on the lines :func:`parse` reads: the comment goes on the finding's first
    line, or on the next line of its span that can end with a comment (not inside a string, not
    after a backslash). A line that already has ``# noqa: CODES`` gets the new codes added to
    them; a bare ``# noqa`` already suppresses everything; another comment is kept and the noqa
    comment follows it. Source that does not tokenize is returned unchanged.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source, 0
    ends = {t.start[0] for t in tokens if t.type in (tokenize.NEWLINE, tokenize.NL)}
    ends |= {t.start[0] for t in tokens if t.type == tokenize.COMMENT}
    existing = parse(source)
    wanted: Dict[int, Set[str]] = {}
    for d in diagnostics:
        line = next((n for n in range(d.span.line, d.span.end_line + 1) if n in ends), None)
        if line is not None:
            wanted.setdefault(line, set()).add(d.code)
    lines = source.splitlines(keepends=True)
    changed = 0
    for number, codes in sorted(wanted.items()):
        if number > len(lines) or existing.lines.get(number, frozenset()) is None:
            continue  # a bare "# noqa" covers every code
        text = lines[number - 1]
        body = text.rstrip("\r\n")
        newline = text[len(body):]
        if number in existing.columns:
            have = existing.lines[number] or frozenset()
            if codes <= have:
                continue
            start, end = existing.columns[number]
            merged = ", ".join(sorted(have | codes))
            body = body[:start - 1] + f"# noqa: {merged}" + body[end - 1:]
        else:
            body = body.rstrip() + f"  # noqa: {', '.join(sorted(codes))}"
        lines[number - 1] = body + newline
        changed += 1
    return "".join(lines), changed
