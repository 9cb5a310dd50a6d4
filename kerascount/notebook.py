"""Jupyter notebooks: their code cells as one Python text, and positions back to (cell, line).

As ruff does: code cells are joined in order; IPython magics (``%time``, ``%%bash``),
shell escapes (``!pip install``, ``x = !ls``) and help (``obj?``) are replaced by ``pass``
with the same indentation, so line numbers and the Python around them stay valid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

#: Cell magics whose body is still Python.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
#: IPython's escapes (compiled, and cached by ``re``, when a notebook is read).
_LINE_ESCAPE = r"^(\s*)(%|!|\?)"
_ASSIGN_ESCAPE = r"^(\s*)[\w.,\s\[\]()]+=\s*[%!]"
_HELP = r"^(\s*)[\w.]+\?\??\s*$"


@dataclass(unsafe_hash=True, repr=False)
class CellMap:
    """For each line of the joined text (1-based), the cell (1-based, all cells counted) and its line."""

    cells: Tuple[int, ...]
    lines: Tuple[int, ...]

    def locate(self, line: int) -> Tuple[Optional[int], int]:
        if 1 <= line <= len(self.cells):
            return self.cells[line - 1], self.lines[line - 1]
        return None, line


def _mask(line: str) -> str:
    for pattern in (_LINE_ESCAPE, _ASSIGN_ESCAPE, _HELP):
        m = re.match(pattern, line)
        if m:
            return f"{m.group(1)}pass"
    return line


def code_of(data: str) -> Tuple[str, CellMap]:
    """The Python text of a notebook and its cell map; raises ValueError if it is not a notebook."""
    try:
        nb = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a valid notebook (JSON error at line {exc.lineno}: {exc.msg})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a valid notebook (no list of cells)")
    out: List[str] = []
    cells: List[int] = []
    lines: List[int] = []
    for index, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):  # nbformat: a string or a list of strings
            raise ValueError(f"not a valid notebook (the source of cell {index} is not text)")
        text = source
        cell_lines = text.split("\n")
        first = cell_lines[0].strip() if cell_lines else ""
        if first.startswith("%%"):
            magic = first[2:].split()[0] if len(first) > 2 else ""
            if magic not in _PYTHON_CELL_MAGICS:
                cell_lines = [""] * len(cell_lines)  # not Python (bash, html, writefile, ...)
            else:
                cell_lines[0] = ""
        for number, line in enumerate(cell_lines, start=1):
            out.append(_mask(line))
            cells.append(index)
            lines.append(number)
    return "\n".join(out) + "\n", CellMap(tuple(cells), tuple(lines))
