"""The text the server analyses for an editor document or notebook, and positions between the two.

A ``.py`` document is analysed as it is. A notebook's code cells are joined as
:func:`kerascount.notebook.code_of` joins them for ``kerascount lint`` (magics masked), so a
line of the analysed text belongs to one cell. Positions here are 0-based lines and 0-based
columns in code points; the server converts columns to the client's encoding (UTF-16 by default).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from ..ir import Span
from ..notebook import CellMap, code_of

#: A 0-based (line, column) in one editor document; the column counts code points.
Position = Tuple[int, int]


@dataclass(frozen=True)
class Place:
    """A range in one editor document (a file, or a notebook cell)."""

    uri: str
    start: Position
    end: Position


@dataclass(frozen=True)
class Buffer:
    """The Python text of one editor document, or of a notebook's code cells joined in order."""

    path: str
    text: str
    #: The URI of each part: one for a file; one per code cell, in order, for a notebook.
    uris: Tuple[str, ...]
    #: For a notebook: where each line of ``text`` comes from (cells numbered from 1, as in ``uris``).
    cells: Optional[CellMap] = None
    #: For a notebook: each code cell's own text, as in the editor (magics not masked).
    sources: Tuple[str, ...] = ()

    def to_editor(self, line: int) -> Optional[Tuple[str, int]]:
        """The URI and 0-based line of a 1-based line of ``text`` (None in a notebook without code)."""
        if self.cells is None:
            return self.uris[0], max(line, 1) - 1
        count = len(self.cells.cells)
        if count == 0:
            return None
        cell, row = self.cells.locate(min(max(line, 1), count))
        return self.uris[(cell or 1) - 1], row - 1

    def from_editor(self, uri: str, line: int) -> Optional[int]:
        """The 1-based line of ``text`` for a 0-based ``line`` of part ``uri``; None if it is not analysed."""
        if self.cells is None:
            return line + 1 if uri == self.uris[0] else None
        if uri not in self.uris:
            return None
        cell = self.uris.index(uri) + 1
        for index, (c, row) in enumerate(zip(self.cells.cells, self.cells.lines), start=1):
            if c == cell and row == line + 1:
                return index
        return None

    def place(self, span: Span) -> Optional[Place]:
        """Where a kerascount span (1-based, end column exclusive) is in the editor.

        A span that ends in a later cell than it starts is cut at the end of its first line.
        """
        start = self.to_editor(span.line)
        end = self.to_editor(span.end_line)
        if start is None or end is None:
            return None
        first = (start[1], max(span.column, 1) - 1)
        if end[0] != start[0]:
            return Place(start[0], first, (start[1], len(self._line(span.line))))
        return Place(start[0], first, (end[1], max(span.end_column, 1) - 1))

    def _line(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 1 <= line <= len(lines) else ""


def file_buffer(path: str, uri: str, text: str) -> Buffer:
    """A ``.py`` document: analysed as it is in the editor."""
    return Buffer(path, text, (uri,))


def notebook_buffer(path: str, cells: Sequence[Tuple[str, str]]) -> Buffer:
    """A notebook from its code cells, each ``(uri, text)`` in order, joined as ``kerascount lint`` joins them."""
    document = json.dumps({"cells": [{"cell_type": "code", "source": text} for _, text in cells]})
    text, cell_map = code_of(document)
    return Buffer(path, text, tuple(uri for uri, _ in cells), cell_map, tuple(source for _, source in cells))


def same_line(old: Buffer, new: Buffer, uri: str, line: int) -> Optional[int]:
    """The 1-based line of ``old``'s text that a 0-based ``line`` of part ``uri`` of ``new`` was, when
    the edits between them did not touch it (it is before or after the lines that changed). Files only."""
    if old.cells is not None or new.cells is not None or uri != new.uris[0] or old.uris != new.uris:
        return None
    before, after = old.text.split("\n"), new.text.split("\n")
    if not 0 <= line < len(after):
        return None
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    if line < head:
        return line + 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    if line >= len(after) - tail:
        return line - len(after) + len(before) + 1
    return None
