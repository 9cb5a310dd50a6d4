"""Positions in a file as it is on disk, for the formats that point into files (SARIF, GitHub).

Elsewhere a notebook finding is given as (cell, line in the cell), as ruff gives it. SARIF viewers
and GitHub annotations place a line of the file itself, and a ``.ipynb`` file is a JSON document:
there a finding points at the JSON string that holds its line of cell source.
"""

from __future__ import annotations

from typing import Mapping, Optional, Tuple

#: (line, column, end line, end column), 1-based, the end column exclusive.
Region = Tuple[int, int, int, int]


def file_region(report, span, notebooks: Mapping[str, object]) -> Tuple[Region, Optional[Tuple[int, int]]]:
    """The span's region in the file on disk and, in a notebook, the (cell, line in cell) it starts at.

    ``notebooks`` maps a notebook's path to its :class:`kerascount.files.NotebookPositions`. A notebook
    position that cannot be mapped (a notebook not given there, or not read as JSON) is line 1, column 1,
    a position that is clearly a fallback, as ruff does for notebooks.
    """
    cell, line = report.locate(span.line)
    if cell is None:
        return (span.line, span.column, max(span.end_line, span.line), span.end_column), None
    end_cell, end_line = report.locate(span.end_line)
    positions = notebooks.get(report.path)
    start = positions.locate(cell, line, span.column) if positions is not None else None  # type: ignore[attr-defined]
    end = None
    if positions is not None and end_cell is not None:
        end = positions.locate(end_cell, end_line, span.end_column)  # type: ignore[attr-defined]
    if start is None:
        start = (1, 1)
    if end is None or end < start:
        end = start
    return (start[0], start[1], end[0], end[1]), (cell, line)
