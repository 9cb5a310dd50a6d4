"""Text output: ruff-style lint lines, and a summary table like ``model.summary()``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..cost import memory
from ..numbers import count, human
from ..symbolic import Expr, render
from .shapes import shape_text


def where(report, line: int, column: Optional[int] = None) -> str:
    """``path:line:col``, or ``nb.ipynb:cell 3:2:5`` in a notebook."""
    cell, row = report.locate(line)
    place = f"{report.path}:cell {cell}:{row}" if cell is not None else f"{report.path}:{row}"
    return place if column is None else f"{place}:{column}"


class Style:
    """ANSI colours, as ruff colours its output; all no-ops when colour is off."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def _sgr(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._sgr(text, "1")

    def code(self, text: str) -> str:
        return self._sgr(text, "1;31")

    def punct(self, text: str) -> str:
        return self._sgr(text, "36")


def _located(report, d, style: Style) -> str:
    """``path:line:col:`` (``path:cell 3:line:col:`` in a notebook), coloured as ruff does."""
    cell, row = report.locate(d.span.line)
    sep = style.punct(":")
    place = style.bold(report.path) + (f"{sep}cell {cell}" if cell is not None else "")
    return f"{place}{sep}{row}{sep}{d.span.column}{sep}"


def lint(reports: Sequence, problems: Sequence[str] = (), unsafe_fixes: bool = False,
         fixed: Optional[int] = None, color: bool = False, quiet: bool = False) -> str:
    """ruff-style lines; ``[*]`` marks a fix ``--fix`` would apply. ``fixed``: how many ``--fix`` applied.
    ``quiet``: the findings only, without the summary lines."""
    style = Style(color)
    lines: List[str] = []
    for report in reports:
        for d in report.diagnostics:
            applies = d.fix is not None and d.fix.applies(unsafe_fixes)
            lines.append(f"{_located(report, d, style)} {style.code(d.code)} "
                         f"{style.punct('[*]') + ' ' if applies else ''}{d.message}")
    if not quiet:
        lines.extend(_totals(reports, unsafe_fixes, fixed, style, len(problems)))
    return "\n".join(lines) + ("\n" if lines else "")


def tally(reports: Sequence, unsafe_fixes: bool) -> Tuple[Dict[str, int], int]:
    """How many findings of each severity, and how many have a fix that --fix applies."""
    counts = {"error": 0, "warning": 0, "info": 0}
    fixable = 0
    for report in reports:
        for d in report.diagnostics:
            counts[d.severity] += 1
            fixable += d.fix is not None and d.fix.applies(unsafe_fixes)
    return counts, fixable


def by_severity(counts: Dict[str, int]) -> str:
    """``1 error, 2 warnings``."""
    return ", ".join(f"{n} {kind}{'s' if n != 1 and kind != 'info' else ''}" for kind, n in counts.items() if n)


def _totals(reports: Sequence, unsafe_fixes: bool, fixed: Optional[int], style: Style,
            unchecked: int = 0) -> List[str]:
    """The lines under the findings: how many of each severity, what was fixed, what --fix would fix.
    ``unchecked``: how many paths could not be checked (missing, unreadable or not fixed: errors on stderr)."""
    lines: List[str] = []
    counts, fixable = tally(reports, unsafe_fixes)
    total = sum(counts.values())
    if fixed:
        lines.append(f"Fixed {fixed} diagnostic{'s' if fixed != 1 else ''}.")
    failed = sum(1 for r in reports if getattr(r, "internal_error", None))
    if failed:
        lines.append(f"{failed} file{'s' if failed != 1 else ''} could not be analysed (internal error); "
                     f"{total} diagnostic{'s' if total != 1 else ''} in the others.")
    elif total == 0 and unchecked:
        lines.append("No findings in the files checked.")
    elif total == 0:
        lines.append("All checks passed!")
    else:
        lines.append(f"Found {total} diagnostic{'s' if total != 1 else ''} ({by_severity(counts)}).")
    if unchecked:
        lines.append(f"{unchecked} path{'s' if unchecked != 1 else ''} could not be checked or fixed "
                     f"(the error{'s are' if unchecked != 1 else ' is'} on stderr; exit code 2).")
    if fixable and fixed is None:
        lines.append(f"{style.punct('[*]')} {fixable} fixable with the `--fix` option.")
    return lines


def statistics_rows(reports: Sequence, rule_names: Dict[str, str], unsafe_fixes: bool) -> List[Dict[str, Any]]:
    """Findings counted per code, most frequent first (then by code), as ruff's ``--statistics``."""
    counts: Dict[str, List[int]] = {}
    for report in reports:
        for d in report.diagnostics:
            entry = counts.setdefault(d.code, [0, 0])
            entry[0] += 1
            entry[1] += d.fix is not None and d.fix.applies(unsafe_fixes)
    rows = [{"code": code, "name": rule_names.get(code, ""), "count": n, "fixable": fixable > 0}
            for code, (n, fixable) in sorted(counts.items())]
    rows.sort(key=lambda row: -row["count"])
    return rows


def statistics(rows: Sequence[Dict[str, Any]], reports: Sequence, unsafe_fixes: bool, color: bool = False,
               quiet: bool = False) -> str:
    """``COUNT<tab>CODE<tab>[*] name`` per code (``[*]``/``[ ]`` only when some are fixable), then the totals."""
    style = Style(color)
    lines: List[str] = []
    if rows:
        count_width = max(len(str(r["count"])) for r in rows)
        code_width = max(len(r["code"]) for r in rows)
        any_fixable = any(r["fixable"] for r in rows)
        for r in rows:
            mark = (style.punct("[*]") + " " if r["fixable"] else "[ ] ") if any_fixable else ""
            lines.append(f"{style.bold(str(r['count']).rjust(count_width))}\t"
                         f"{style.code(r['code'].ljust(code_width))}\t{mark}{r['name']}")
    if not quiet:
        lines.extend(_totals(reports, unsafe_fixes, None, style))
    return "\n".join(lines) + ("\n" if lines else "")


#: Column widths inside the borders, as Keras 3's rich table draws them at its default line length
#: (88 columns; 108 with "Connected to"): the table's fixed width shared out by Keras's positions.
_WIDTHS = {False: (36, 27, 15), True: (29, 25, 15, 26)}


def _wrap(text: str, width: int) -> List[str]:
    """``text`` in lines of at most ``width``, broken at spaces as rich wraps a table cell; a word
    longer than the cell is cut with ``…``."""
    lines: List[str] = []
    indent = len(text) - len(text.lstrip(" "))  # a nested row's "   └ " (expand_nested) keeps its spaces
    line = " " * indent
    for word in text[indent:].split(" "):
        if len(word) > width:
            word = word[:width - 1] + "…"
        if line.strip() and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    lines.append(line)
    return lines


def _box(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> List[str]:
    """A table as rich draws Keras's summary: a heavy header box, a light line between rows,
    the third column (Param #) right-aligned, cells wrapped to their width."""
    def rule(left: str, fill: str, join: str, right: str) -> str:
        return left + join.join(fill * (w + 2) for w in widths) + right

    def cells(row: Sequence[str], bar: str) -> List[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths)]
        height = max(len(c) for c in wrapped)
        out = []
        for i in range(height):
            parts = []
            for j, (c, w) in enumerate(zip(wrapped, widths)):
                piece = c[i] if i < len(c) else ""
                parts.append(f" {piece:>{w}} " if j == 2 else f" {piece:<{w}} ")
            out.append(bar + bar.join(parts) + bar)
        return out

    out = [rule("┏", "━", "┳", "┓"), *cells(header, "┃"), rule("┡", "━", "╇", "┩")]
    for i, row in enumerate(rows):
        if i:
            out.append(rule("├", "─", "┼", "┤"))
        out.extend(cells(row, "│"))
    out.append(rule("└", "─", "┴", "┘"))
    return out


def _unbuilt(model, row) -> bool:
    """A layer Keras has not built: ``model.summary()`` shows ``0 (unbuilt)`` and counts nothing.
    Only for layers the catalogue knows: a custom layer without ``build`` is built when made."""
    return row.params is None and row.problem is None and row.layer.known and (
        model.status == "unbuilt" or model.model.kind == "subclassed")


def _params(model, row) -> str:
    return "0 (unbuilt)" if _unbuilt(model, row) else count(row.params)


def _shape_cell(shape) -> str:
    """A row's output shape as ``model.summary()`` writes it: several outputs as a list ``[(None, 4), (None, 4)]``."""
    if shape and isinstance(shape[0], tuple):
        return f"[{shape_text(shape)}]"
    return shape_text(shape)


def _connected(links) -> str:
    return ", ".join(f"{name}[{'?' if node is None else node}][{index}]" for name, node, index in links) or "-"


def _nested_rows(model, row, level: int, connected: bool) -> List[List[str]]:
    """The rows ``summary(expand_nested=True)`` lists under a nested model's: ``└`` and three spaces a level."""
    out: List[List[str]] = []
    for r in row.nested:
        out.append([f"{'   ' * level}└ {r.layer.name} ({r.layer.type})", _shape_cell(r.output_shape),
                    _params(model, r)] + (["-"] if connected else []))
        out.extend(_nested_rows(model, r, level + 1, connected))
    return out


def _table(model, expand_nested: bool = False) -> List[str]:
    """The table and totals ``model.summary()`` prints (Keras 3), then kerascount's own cost lines."""
    connections = model.connections
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connections else [])
    rows: List[List[str]] = []
    for i, r in enumerate(model.rows):
        rows.append([f"{r.layer.name} ({r.layer.type})", _shape_cell(r.output_shape), _params(model, r)]
                    + ([_connected(connections[i])] if connections else []))
        if expand_nested:
            rows.extend(_nested_rows(model, r, 1, bool(connections)))
    out = [f'Model: "{model.model.keras_name or model.model.name or "?"}"']
    out.extend(_box(header, rows, _WIDTHS[bool(connections)]))
    bytes_unknown = getattr(model, "bytes_unknown", None)
    for label, value in zip(("Total", "Trainable", "Non-trainable"), _totals_shown(model)):
        out.append(f" {label} params: {count(value)}" +
                   (f" ({size(memory(value, getattr(model, 'bytes_per_param', 4)))})"
                    if value is not None and bytes_unknown is None else ""))
    if bytes_unknown is not None:
        out.append(f" (sizes in bytes not shown: {bytes_unknown})")
    if not rows and model.model.kind == "application":
        shapes = f"{shape_text((model.inputs or (None,))[0])} -> {shape_text((model.outputs or (None,))[0])}"
        out.append(f" (a keras.applications model {shapes}: kerascount does not list its layers)")
    elif not rows and model.status == "unknown":
        out.append(" (its layers are not listed: the model is not known, for the reasons below)")
    elif not rows and model.alternatives:
        out.append(" (its layers are not listed: they differ on the ways below, whose counts agree)")
    elif not rows:
        out.append(" (no layers found)")
    out.append(" kerascount estimates (docs/cost.md):")
    out.extend(f"  {label}: {value}" for label, value in costs(model) if not label.startswith("Params size"))
    return out


def _totals_shown(model) -> Tuple[Any, Any, Any]:
    """Total, trainable and non-trainable params as Keras counts them: an unbuilt model has no weights yet."""
    if model.status == "unbuilt" and model.held_totals is not None:
        # (layers that hold weights before any build: a custom layer's made in its __init__)
        return model.held_totals
    if model.status == "unbuilt":
        known = [r for r in model.rows if not _unbuilt(model, r)]
        if len(known) == len(model.rows) and model.total is not None:
            return model.total, model.trainable, model.non_trainable  # (each variable once: infer._shared_weights)
        if all(isinstance(r.params, int) and isinstance(r.counted_split()[0], int) for r in known):
            return (sum(r.params for r in known), sum(r.counted_split()[0] for r in known),
                    sum(r.counted_split()[1] for r in known))
    return model.total, model.trainable, model.non_trainable


def total(value) -> str:
    """``327,680,740 (327.7M)``: a count, and its size in words from 1,000 up."""
    text = count(value)
    return text + (f" ({human(value)})" if isinstance(value, int) and value >= 1000 else "")


_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def size(value) -> str:
    """Bytes as ``model.summary()`` writes them (``1.22 GB``, powers of 1024); symbolic: ``4*H + 8 bytes``."""
    if value is None:
        return "?"
    if isinstance(value, Expr):
        return f"{render(value)} bytes"
    if value >= 10 ** 308:  # past float's range: in PB, rounded in integers
        hundredths = (value * 100 + 1024 ** 5 // 2) // 1024 ** 5
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
        ("Params size (float32)" if getattr(model, "bytes_per_param", 4) == 4 else
         f"Params size ({model.bytes_per_param} bytes each)", size(model.param_bytes)),
        ("Forward activations per sample (float32)", size(model.activation_bytes)),
    ]


_STATUS = {
    "exact": "",
    "symbolic": " [symbolic]",
    "unknown": " [not fully resolved]",
}


def symbol_places(report, model) -> List[Tuple[str, str, str]]:
    """Each symbol of the model's numbers as (name, where it comes from, `` (line 12)`` or `` (cell 3, line 2)``
    in a notebook, or "" when no place is known)."""
    out = []
    for s in model.symbols:
        place = ""
        if s.span is not None:
            cell, row = report.locate(s.span.line)
            place = f" (cell {cell}, line {row})" if cell is not None else f" (line {row})"
        out.append((s.name, s.origin, place))
    return out


def symbol_lines(report, model) -> List[str]:
    """Where each symbol of the model's numbers comes from, one line each: ``X.shape[1]: the data's shape,
    from `numpy.load` (line 12)`` (``(cell 3, line 2)`` in a notebook)."""
    return [f"{name}: {origin}{place}" for name, origin, place in symbol_places(report, model)]


def alternative_lines(locate, model) -> List[str]:
    """What the model is on each way through the conditions the analysis cannot decide (kerascount/alternatives.py),
    one line each: ``when `big` (line 6) holds: 1,153 params (1,153 trainable, 0 non-trainable)``. ``locate``: a
    report's, for the cell and line in a notebook."""
    out = []
    for alt in model.alternatives:
        conditions = []
        for text, line, holds in alt.way:
            cell, row = locate(line)
            place = f"cell {cell}, line {row}" if cell is not None else f"line {row}"
            if text.startswith(("import ", "from ")):  # an optional import (kerascount/alternatives.py)
                conditions.append(f"`{text}` ({place}) {'succeeds' if holds else 'fails'}")
            else:
                conditions.append(f"`{text}` ({place}) {'holds' if holds else 'does not hold'}")
        what = f"Keras raises: {alt.error}" if alt.error is not None else "not built (no input shape)" \
            if alt.unbuilt else \
            f"{count(alt.total)} params ({count(alt.trainable)} trainable, {count(alt.non_trainable)} non-trainable)"
        out.append(f"when {' and '.join(conditions)}: {what}")
    return out


def summary(reports: Sequence, problems: Sequence[str] = (), color: bool = False, quiet: bool = False,
            expand_nested: bool = False) -> str:
    """A table per model, then the files' errors. ``quiet``: no "No Keras models found." line.
    ``expand_nested``: each nested model's layers under its row, as ``summary(expand_nested=True)``."""
    style = Style(color)
    out: List[str] = []
    n = 0
    for report in reports:
        for model in report.models:
            n += 1
            name = f"`{model.model.name}`" if model.model.name else "(unnamed)"
            status = _STATUS[model.status] if model.status != "unbuilt" else f" [not built: {model.unbuilt_why()}]"
            out.append(style.bold(f"{where(report, model.model.span.line)}: {name} ({model.model.kind}){status}"))
            caveat = model.caveat()
            if caveat:
                out.append(f"  note: {caveat}")
            out.extend(_table(model, expand_nested))
            symbols = symbol_lines(report, model)
            if symbols:
                out.append(" Symbols, where each comes from:")
                out.extend(f"  {line}" for line in symbols)
            ways = alternative_lines(report.locate, model)
            if ways:
                out.append(" On each way through the conditions the analysis cannot decide:")
                out.extend(f"  {line}" for line in ways)
            for reason in dict.fromkeys(model.reasons):
                out.append(f"  ? {reason}")
            out.append("")
        for d in report.diagnostics:
            if d.severity == "error":
                out.append(f"{_located(report, d, style)} {style.code(d.code)} {d.message}")
    if n == 0 and not quiet:
        out.append("No Keras models found.")
    text = "\n".join(out).rstrip("\n")
    return text + "\n" if text else ""


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
