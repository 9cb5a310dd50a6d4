"""Code actions: a finding's fix as text edits, and ``# noqa: CODE`` on its line.

Fixes are applied by :mod:`kerascount.fix` (libcst), imported here only when an action is asked
for; the edits are the difference between the text and the fixed text. In a notebook an edit is
offered only when it stays in one cell and the lines it touches are the cell's own (not a masked
magic), so that it lands where the fix meant it.
"""

from __future__ import annotations

import bisect
import difflib
import io
import re
import tokenize
from dataclasses import dataclass
from typing import List, Optional, Sequence, Set, Tuple

from .. import noqa
from ..config import Config
from ..ir import Diagnostic
from .documents import Buffer, Place, Position

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ENDING = re.compile(r"(?:\r\n|\r|\n)\Z")
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
FIX_ALL = "source.fixAll.kerascount"


@dataclass(frozen=True)
class Edit:
    place: Place
    text: str


@dataclass(frozen=True)
class Action:
    title: str
    #: An LSP code action kind: ``quickfix`` or :data:`FIX_ALL`.
    kind: str
    preferred: bool
    edits: Tuple[Edit, ...]
    #: The finding it resolves (none for fixing the whole file).
    finding: Optional[Diagnostic] = None


def _lines(text: str) -> List[str]:
    """The lines of a text with their endings (``\\n``, ``\\r\\n`` or ``\\r``, as LSP counts lines)."""
    return _LINE.findall(text)


def _bare(line: str) -> str:
    return _ENDING.sub("", line)


def _place(buffer: Buffer, start: Position, end: Position) -> Optional[Place]:
    """Where a range of the analysed text (0-based lines, code points) is in the editor, if it is
    somewhere: in a notebook, within one cell whose lines are the analysed ones."""
    if buffer.cells is None:
        return Place(buffer.uris[0], start, end)
    count = len(buffer.cells.cells)
    if end[0] >= count:
        return None
    first, last = buffer.to_editor(start[0] + 1), buffer.to_editor(end[0] + 1)
    if first is None or last is None or first[0] != last[0]:
        return None
    analysed = buffer.text.split("\n")
    cell = [_bare(line) for line in _lines(buffer.sources[buffer.uris.index(first[0])])]
    for line in range(start[0], end[0] + 1):
        where = buffer.to_editor(line + 1)
        if where is None or where[1] >= len(cell) or cell[where[1]] != _bare(analysed[line]):
            return None
    return Place(first[0], (first[1], start[1]), (last[1], end[1]))


def text_edits(buffer: Buffer, new_text: str) -> Optional[Tuple[Edit, ...]]:
    """Edits that turn the buffer's text into ``new_text``: one per changed block of lines, trimmed
    to the characters that change. None if one of them cannot be placed in the editor."""
    old, new = _lines(buffer.text), _lines(new_text)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))

    def position(offset: int) -> Position:
        line = bisect.bisect_right(starts, offset) - 1
        if line == len(old) and old and not _ENDING.search(old[-1]):  # the end of a last line without newline
            return line - 1, len(old[-1])
        return line, offset - starts[line]

    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        head = 0
        while head < min(len(before), len(after)) and before[head] == after[head]:
            head += 1
        tail = 0
        while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
            tail += 1
        place = _place(buffer, position(starts[i1] + head), position(starts[i1] + len(before) - tail))
        if place is None:
            return None
        edits.append(Edit(place, after[head:len(after) - tail]))
    return tuple(edits)


def _title(finding: Diagnostic) -> str:
    fix = finding.fix
    assert fix is not None
    description = fix.description[:1].upper() + fix.description[1:]
    return f"{finding.code}: {description}" + ("" if fix.applicability == "safe" else " (unsafe)")


def fix_action(buffer: Buffer, finding: Diagnostic) -> Optional[Action]:
    """The finding's fix as an action, if it has one and it applies to this text."""
    if finding.fix is None:
        return None
    from ..fix import apply_fixes  # libcst: only when an action is asked for

    fixed, applied, _ = apply_fixes(buffer.text, [finding])
    edits = text_edits(buffer, fixed) if applied else None
    if not edits:
        return None
    return Action(_title(finding), "quickfix", finding.fix.applicability == "safe", edits, finding)


def fix_all_action(buffer: Buffer, config: Config) -> Optional[Action]:
    """Every safe fix, applied until none applies (as ``kerascount lint --fix``)."""
    from ..fix import fix_source  # libcst: only when an action is asked for

    fixed = fix_source(buffer.text, buffer.path, config)
    edits = text_edits(buffer, fixed.text) if fixed.applied else None
    if not edits:
        return None
    return Action(f"kerascount: apply {fixed.applied} safe fix{'es' if fixed.applied != 1 else ''}",
                  FIX_ALL, False, edits)


def _open_lines(text: str) -> Set[int]:
    """1-based lines a comment cannot be added to: their end is inside a string (or another token),
    or they end with a backslash."""
    found = {number for number, line in enumerate(_lines(text), start=1) if _bare(line).endswith("\\")}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start[0] < token.end[0] and token.type not in (tokenize.NEWLINE, tokenize.NL):
                found.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def noqa_action(buffer: Buffer, finding: Diagnostic, open_lines: Optional[Set[int]] = None) -> Optional[Action]:
    """``# noqa: CODE`` at the end of the finding's first line where a comment can go (a line of its
    span), merged with the line's own ``# noqa: ...`` if it has one."""
    lines = [_bare(line) for line in _lines(buffer.text)]
    blocked = _open_lines(buffer.text) if open_lines is None else open_lines
    line = next((n for n in range(finding.span.line, finding.span.end_line + 1)
                 if n not in blocked and 1 <= n <= len(lines)), None)
    if line is None:
        return None
    text = lines[line - 1]
    existing = noqa.parse(buffer.text).columns.get(line)
    if existing is not None:
        column, end = existing
        directive = text[column - 1:end - 1]
        codes = _CODE.findall(directive.partition(":")[2])
        if not codes or finding.code in (c.upper() for c in codes):
            return None  # a bare `# noqa` already suppresses everything on the line
        start, stop = (line - 1, column - 1), (line - 1, end - 1)
        comment = f"# noqa: {', '.join([*codes, finding.code])}"
    else:
        content = text.rstrip()
        start, stop = (line - 1, len(content)), (line - 1, len(text))
        comment = ("  " if content else "") + f"# noqa: {finding.code}"
    place = _place(buffer, start, stop)
    if place is None:
        return None
    title = f"Suppress {finding.code} with `# noqa: {finding.code}`"
    return Action(title, "quickfix", False, (Edit(place, comment),), finding)


def actions(buffer: Buffer, findings: Sequence[Diagnostic]) -> List[Action]:
    """For each finding: its fix (if it applies), then the noqa suppression."""
    out: List[Action] = []
    blocked = _open_lines(buffer.text) if findings else set()
    for finding in findings:
        for action in (fix_action(buffer, finding), noqa_action(buffer, finding, blocked)):
            if action is not None:
                out.append(action)
    return out
