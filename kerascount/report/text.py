"""Text output: ruff-style lint lines, and a summary table like ``model.summary()``."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from ..numbers import count, human
from ..symbolic import Expr, render
from .shapes import shape_text


def where(report, line: int, column: Optional[int] = None) -> str:
    """``path:line:col``, or ``nb.ipynb:cell 3:2:5`` in a notebook."""
    cell, row = report.locate(line)
    place = f"{report.path}:cell {cell}:{row}" if cell is not None else f"{report.path}:{row}"
    return place if column is None else f"{place}:{column}"


def lint(reports: Sequence, problems: Sequence[str] = (), unsafe_fixes: bool = False,
         fixed: Optional[int] = None) -> str:
    """ruff-style lines; ``[*]`` marks a fix ``--fix`` would apply. ``fixed``: how many ``--fix`` applied."""
    lines: List[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    fixable = 0
    for report in reports:
        for d in report.diagnostics:
            counts[d.severity] += 1
            applies = d.fix is not None and d.fix.applies(unsafe_fixes)
            fixable += applies
            lines.append(f"{where(report, d.span.line, d.span.column)}: {d.code} {'[*] ' if applies else ''}"
                         f"{d.message}")
    total = sum(counts.values())
    if fixed:
        lines.append(f"Fixed {fixed} diagnostic{'s' if fixed != 1 else ''}.")
    failed = sum(1 for r in reports if getattr(r, "internal_error", None))
    if failed:
        lines.append(f"{failed} file{'s' if failed != 1 else ''} could not be analysed (internal error); "
                     f"{total} diagnostic{'s' if total != 1 else ''} in the others.")
    elif total == 0:
        lines.append("All checks passed!")
    else:
        parts = [f"{n} {kind}{'s' if n != 1 and kind != 'info' else ''}" for kind, n in counts.items() if n]
        lines.append(f"Found {total} diagnostic{'s' if total != 1 else ''} ({', '.join(parts)}).")
    if fixable and fixed is None:
        lines.append(f"[*] {fixable} fixable with the `--fix` option.")
    return "\n".join(lines) + "\n"


def _table(model) -> List[str]:
    header = ("Layer (type)", "Output Shape", "Param #")
    rows = [(f"{r.layer.name} ({r.layer.type})", shape_text(r.output_shape), count(r.params)) for r in model.rows]
    widths = [max([len(header[i])] + [len(row[i]) for row in rows]) for i in range(3)]
    total_width = sum(widths) + 8

    def fmt(cells) -> str:
        return f" {cells[0]:<{widths[0]}}   {cells[1]:<{widths[1]}}   {cells[2]:>{widths[2]}}"

    out = ["_" * total_width, fmt(header), "=" * total_width]
    for row in rows:
        out.append(fmt(row))
    if not rows and model.model.kind == "application":
        shapes = f"{shape_text((model.inputs or (None,))[0])} -> {shape_text((model.outputs or (None,))[0])}"
        out.append(f" keras.applications model {shapes}; its internal layers are not listed")
    elif not rows:
        out.append(" (no layers found)")
    out.append("=" * total_width)
    for label, value in (("Total", model.total), ("Trainable", model.trainable),
                         ("Non-trainable", model.non_trainable)):
        out.append(f"{label} params: {total(value)}")
    out.extend(f"{label}: {value}" for label, value in costs(model))
    out.append("_" * total_width)
    return out


def total(value) -> str:
    """``327,680,740 (327.7M)``: a count, and its size in words from 1,000 up."""
    text = count(value)
    return text + (f" ({human(value)})" if isinstance(value, int) and value >= 1000 else "")


_UNITS = ("B", "KB", "MB", "GB", "TB")


def size(value) -> str:
    """Bytes as ``model.summary()`` writes them (``1.22 GB``, powers of 1024); symbolic: ``4*H + 8 bytes``."""
    if value is None:
        return "?"
    if isinstance(value, Expr):
        return f"{render(value)} bytes"
    if value >= 10 ** 308:  # past float's range: in TB, rounded in integers
        hundredths = (value * 100 + 1024 ** 4 // 2) // 1024 ** 4
        return f"{hundredths // 100}.{hundredths % 100:02d} {_UNITS[-1]}"
    amount = float(value)
    for unit in _UNITS[:-1]:
        if amount < 1024:
            return f"{amount:.2f} {unit}"
        amount /= 1024
    return f"{amount:.2f} {_UNITS[-1]}"


def costs(model) -> List[Tuple[str, str]]:
    """The cost lines under a model's totals (definitions in docs/cost.md), as (label, value)."""
    return [
        ("Total mult-adds", total(model.macs)),
        ("Params size (float32)", size(model.param_bytes)),
        ("Forward activations per sample (float32)", size(model.activation_bytes)),
    ]


_STATUS = {
    "exact": "",
    "symbolic": " [symbolic]",
    "unknown": " [not fully resolved]",
    "unbuilt": " [not built: no input shape]",
}


def summary(reports: Sequence, problems: Sequence[str] = ()) -> str:
    out: List[str] = []
    n = 0
    for report in reports:
        for model in report.models:
            n += 1
            name = f'"{model.model.name}"' if model.model.name else "(unnamed)"
            out.append(f"{where(report, model.model.span.line)}: Model {name} ({model.model.kind})"
                       f"{_STATUS[model.status]}")
            if model.model.from_defaults:
                out.append(f"  note: {model.model.from_defaults}")
            out.extend(_table(model))
            for reason in dict.fromkeys(model.reasons):
                out.append(f"  ? {reason}")
            out.append("")
        for d in report.diagnostics:
            if d.severity == "error":
                out.append(f"{where(report, d.span.line, d.span.column)}: {d.code} {d.message}")
    if n == 0:
        out.append("No Keras models found.")
    return "\n".join(out).rstrip("\n") + "\n"


def rules_table(rule_classes: Sequence) -> str:
    width = max(len(r.NAME) for r in rule_classes)
    lines = []
    for r in rule_classes:
        flag = "" if r.DEFAULT_ENABLED else "  (opt-in)"
        lines.append(f"{r.CODE}  {r.NAME:<{width}}  {r.SEVERITY:<7}  {r.SUMMARY}{flag}")
    return "\n".join(lines) + "\n"


def rule_doc(r) -> str:
    head = f"# {r.NAME} ({r.CODE})\n\nDefault severity: {r.SEVERITY}." + (
        "" if r.DEFAULT_ENABLED else " Off by default; enable with `extend-select`.") + "\n\n" + r.SUMMARY + ".\n\n"
    options = ""
    if r.OPTIONS:
        options = "\n## Options\n" + "".join(
            f"- `{k}` (default `{d}`): {h}\n" for k, (d, h) in r.OPTIONS.items())
    return head + r.DOC.rstrip() + "\n" + options
