"""Markdown to paste into a pull request: a table per model (``summary``), a table of findings (``lint``)."""

from __future__ import annotations

from typing import List, Sequence

from ..numbers import count
from .shapes import shape_text
from .text import alternative_lines, by_severity, costs, symbol_places, tally, total, where


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(rows: Sequence, expand_nested: bool, level: int = 0) -> List[str]:
    """A table line per layer; with ``expand_nested``, a nested model's layers under it, ``└`` after an
    em space per level (a table cell drops leading spaces), as ``summary(expand_nested=True)`` lists them."""
    out = []
    for r in rows:
        mark = "\u2003" * level + "└ " if level else ""
        out.append(f"| {mark}{_cell(r.layer.name)} ({_cell(r.layer.type)}) | {_cell(shape_text(r.output_shape))} "
                   f"| {_cell(count(r.params))} |")
        if expand_nested:
            out.extend(_rows(r.nested, True, level + 1))
    return out


def render(reports: Sequence, expand_nested: bool = False) -> str:
    out: List[str] = []
    for report in reports:
        for m in report.models:
            name = f"`{m.model.name}`" if m.model.name else "model"
            status = "" if m.status == "exact" else f" — *{m.status}*"
            out.append(f"### {name} ({m.model.kind}) — `{where(report, m.model.span.line)}`{status}")
            out.append("")
            if m.rows:
                out.append("| Layer (type) | Output Shape | Param # |")
                out.append("|---|---|---:|")
                out.extend(_rows(m.rows, expand_nested))
                out.append("")
            out.append(f"**Total params:** {_cell(total(m.total))} · **Trainable:** {_cell(total(m.trainable))} · "
                       f"**Non-trainable:** {_cell(total(m.non_trainable))}")
            out.append("")
            out.append(" · ".join(f"**{label}:** {_cell(value)}" for label, value in costs(m)))
            symbols = symbol_places(report, m)
            if symbols:
                out.extend(["", "Symbols, where each comes from:", ""])
                out.extend(f"- `{_cell(name)}`: {_cell(origin + place)}" for name, origin, place in symbols)
                out.append("")
            ways = alternative_lines(report.locate, m)
            if ways:
                out.extend(["", "On each way through the conditions the analysis cannot decide:", ""])
                out.extend(f"- {_cell(line)}" for line in ways)
                out.append("")
            for reason in dict.fromkeys(m.reasons):
                out.append(f"> {reason}")
            out.append("")
    if not out:
        out.append("No Keras models found.")
    return "\n".join(out).rstrip("\n") + "\n"


def lint(reports: Sequence, unsafe_fixes: bool = False, problems: Sequence[str] = ()) -> str:
    """``lint --format markdown``: a heading with the totals and a table of the findings, for a pull request;
    then the paths that could not be checked (``problems``), if any."""
    rows = [f"| {d.severity} | `{_cell(where(report, d.span.line, d.span.column))}` | `{d.code}` | {_cell(d.message)}"
            f"{' (fixable)' if d.fix is not None and d.fix.applies(unsafe_fixes) else ''} |"
            for report in reports for d in report.diagnostics]
    counts, fixable = tally(reports, unsafe_fixes)
    total = sum(counts.values())
    unchecked = [f"- {_cell(problem)}" for problem in problems]
    if unchecked:
        unchecked = ["", f"**{len(problems)} path{'s' if len(problems) != 1 else ''} could not be checked:**", "",
                     *unchecked]
    if not total:
        heading = "no findings in the files checked" if problems else "all checks passed"
        return "\n".join([f"### kerascount: {heading}", *unchecked]) + "\n"
    out = [f"### kerascount: {total} diagnostic{'s' if total != 1 else ''} ({by_severity(counts)})", "",
           "| Severity | Location | Code | Message |", "|---|---|---|---|", *rows]
    if fixable:
        out += ["", f"{fixable} fixable with `kerascount lint --fix`."]
    return "\n".join(out + unchecked) + "\n"
