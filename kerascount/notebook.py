"""Jupyter notebooks: their code cells as one Python text, and positions back to (cell, line).

As ruff does: code cells are joined in order; IPython magics (``%time``, ``%%bash``),
shell escapes (``!pip install``, ``x = !ls``) and help (``obj?``) are replaced by ``pass``
with the same indentation, so line numbers and the Python around them stay valid.
"""

from __future__ import annotations

import ast
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


def syntax_error_line(text: str) -> Optional[int]:
    """The line of the first syntax error of ``text`` (CPython's parser), or None when it parses."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as err:
        return err.lineno or 0
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


@dataclass(unsafe_hash=True, repr=False)
class CellMap:
    """For each line of the joined text (1-based), the cell (1-based, all cells counted) and its line
    (0 for the ``if True:`` that the text adds before a cell whose lines IPython dedents)."""

    cells: Tuple[int, ...]
    lines: Tuple[int, ...]

    def locate(self, line: int) -> Tuple[Optional[int], int]:
        if 1 <= line <= len(self.cells):
            return self.cells[line - 1], self.lines[line - 1]
        return None, line

    def without(self, text: str, cell: int) -> str:
        """``text`` (the joined code this map is of) with the lines of ``cell`` blanked; the others keep their lines."""
        cells = self.cells
        return "\n".join("" if i < len(cells) and cells[i] == cell else row for i, row in enumerate(text.split("\n")))


def _mask(line: str) -> str:
    for pattern in (_LINE_ESCAPE, _ASSIGN_ESCAPE, _HELP):
        m = re.match(pattern, line)
        if m:
            return f"{m.group(1)}pass"
    return line


#: What changes the scanner's state outside strings, and inside a string of each quote.
_CODE_MARK = re.compile(r"'''|\"\"\"|['\"()\[\]{}#\\]")
_IN_STRING = {q: re.compile(r"\\|" + re.escape(q)) for q in ("'", '"', "'''", '"""')}


class _Scanner:
    """Whether a line starts a logical line of Python, or continues one (open brackets, an open
    triple-quoted string, a backslash at the end of the line before).

    IPython reads ``%``, ``!`` and ``?`` as escapes only where a logical line starts: in
    ``print('%d' \\`` followed by ``% n)`` the second line is Python, not a magic.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.quote: Optional[str] = None  # the quote of a string still open at the end of the line
        self.backslash = False

    def at_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.backslash

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        self.backslash = False
        while i < n:
            if self.quote is not None:  # inside a string: only a backslash or the closing quote matter
                m = _IN_STRING[self.quote].search(line, i)
                if m is None:
                    break
                if m.group() == "\\":
                    if m.start() == n - 1:  # continues the string on the next line
                        self.backslash = True
                    i = m.start() + 2
                else:
                    i = m.end()
                    self.quote = None
                continue
            m = _CODE_MARK.search(line, i)
            if m is None or m.group() == "#":
                break
            c = m.group()
            i = m.end()
            if c[0] in "'\"":
                self.quote = c
            elif c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif m.start() == n - 1:  # a backslash ending the line
                self.backslash = True
        if self.quote is not None and len(self.quote) == 1 and not self.backslash:
            self.quote = None  # an unterminated one-line string: a syntax error Python reports


#: IPython's automagics (line magics and shell aliases written without ``%``) that notebooks use;
#: a line starting with one is masked only where the cell is not valid Python otherwise
#: (``ls ./data/train/``), so that no Python statement is ever taken for a magic.
_AUTOMAGIC = re.compile(
    r"^(\s*)(ls|ll|cd|pwd|cat|cp|mv|rm|rmdir|mkdir|pip|conda|env|who|whos|matplotlib|load_ext"
    r"|reload_ext|autoreload|time|timeit|run|tensorflow_version|history|reset|config)(\s|$)"
)
_AST_ONLY = ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)


def _cell_lines(lines: List[str]) -> List[str]:
    """The lines of one code cell as Python, one for one: IPython's escapes masked where a logical
    line starts, with the lines a backslash continues them on, and automagic lines that would
    otherwise make the cell a syntax error."""
    out: List[str] = []
    scanner = _Scanner()
    continued = False
    for line in lines:
        if continued:  # a shell escape or magic continued by a backslash (``!wget \`` then ``    -O f``)
            out.append("")
            continued = line.rstrip().endswith("\\")
            continue
        if scanner.at_start():
            masked = _mask(line)
            if masked != line:
                out.append(masked)
                continued = line.rstrip().endswith("\\")
                continue
        out.append(line)
        scanner.feed(line)
    block = 1 if _indented(out) else 0
    for _ in range(8 if any(_AUTOMAGIC.match(line) for line in out) else 0):
        try:
            compile("if True:\n" * block + "\n".join(out), "<cell>", "exec", flags=_AST_ONLY, dont_inherit=True)
            break
        except SyntaxError as exc:
            row = (exc.lineno or 0) - 1 - block
            m = _AUTOMAGIC.match(out[row]) if 0 <= row < len(out) else None
            if m is None:
                break
            out[row] = f"{m.group(1)}pass"
        except (ValueError, OverflowError, RecursionError, MemoryError):
            break
    return out


def _indented(lines: List[str]) -> bool:
    """The cell's first line of code (not blank, not a comment) starts with spaces or tabs. An indented comment
    above code at column 0 (a Kaggle template pasted with a leading indent) needs no block: IPython dedents
    that comment alone and Python reads the cell as it is (an ``if True:`` before it would be an empty block)."""
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    return first[:1] in (" ", "\t")


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
        python = _cell_lines(cell_lines)
        if _indented(python):
            # IPython removes the indentation of a cell's first line from its lines (a block pasted
            # from inside a function); a block of its own keeps their columns: line 0 of the cell.
            out.append("if True:")
            cells.append(index)
            lines.append(0)
        for number, line in enumerate(python, start=1):
            out.append(line)
            cells.append(index)
            lines.append(number)
    return "\n".join(out) + "\n", CellMap(tuple(cells), tuple(lines))
