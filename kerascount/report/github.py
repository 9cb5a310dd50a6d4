"""GitHub Actions workflow commands: one ``::warning file=...::message`` annotation per finding.

A notebook finding points at the line of the ``.ipynb`` file that holds its cell source line (see
:mod:`kerascount.report.places`); the title names the cell and the line in it.
"""

from __future__ import annotations

from typing import List, Mapping, Sequence

from .places import file_region

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence, notebooks: Mapping[str, object] = {},  # noqa: B006 - read only
           problems: Sequence[str] = ()) -> str:
    """An annotation per finding, and an error annotation without a file for each path that could not
    be checked (``problems``: a missing file), which the job's summary then shows."""
    lines: List[str] = [f"::error title=kerascount::{_data(problem)}" for problem in problems]
    for report in reports:
        for d in report.diagnostics:
            (line, col, end_line, end_col), cell = file_region(report, d.span, notebooks)
            title = d.code + (f" (cell {cell[0]}, line {cell[1]})" if cell is not None else "")
            lines.append(
                f"::{_LEVEL[d.severity]} file={_prop(report.path)},line={line},col={col},"
                f"endLine={end_line},endColumn={end_col},title={_prop(title)}::"
                f"{_data(d.code + ' ' + d.message)}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
