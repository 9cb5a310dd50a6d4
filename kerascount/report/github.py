"""GitHub Actions workflow commands: one ``::warning file=...::message`` annotation per finding."""

from __future__ import annotations

from typing import List, Sequence

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence) -> str:
    lines: List[str] = []
    for report in reports:
        for d in report.diagnostics:
            cell, line = report.locate(d.span.line)
            _, end_line = report.locate(d.span.end_line)
            title = f"{d.code}" + (f" (cell {cell})" if cell is not None else "")
            lines.append(
                f"::{_LEVEL[d.severity]} file={_prop(report.path)},line={line},col={d.span.column},"
                f"endLine={max(end_line, line)},endColumn={d.span.end_column},title={_prop(title)}::"
                f"{_data(d.code + ' ' + d.message)}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
