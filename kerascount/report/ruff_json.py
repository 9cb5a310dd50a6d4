"""``--format ruff-json``: the findings as ruff's ``--output-format json`` gives them, so that tools
that read ruff's output read kerascount's.

A list of objects with ruff's field names: ``code``, ``message``, ``filename`` (absolute, as ruff),
``location`` and ``end_location`` (``{"row", "column"}``, 1-based, the end exclusive), ``fix``
(``{"applicability", "message", "edits": [{"content", "location", "end_location"}]}`` or null),
``noqa_row`` (the line where ``# noqa: CODE`` suppresses the finding), ``url`` (null: no rule pages
online; ``kerascount rule CODE`` prints the rule's documentation) and ``cell`` (in a notebook the
cell, counted from 1 as ruff counts it, and then rows count within the cell; null elsewhere).
"""

from __future__ import annotations

import json
import re
import os
from typing import Any, Callable, Dict, List, Optional, Sequence

#: A finding's fix as text edits: ``[{"content", "location", "end_location"}]``, or None when the fix
#: cannot be applied to the file as it is.
Edits = Callable[[Any, Any], Optional[List[Dict[str, Any]]]]


def _point(row: int, column: int) -> Dict[str, int]:
    return {"column": column, "row": row}


def _diag(report, d, edits: Edits) -> Dict[str, Any]:
    cell, row = report.locate(d.span.line)
    _, end_row = report.locate(d.span.end_line)
    fix = None
    if d.fix is not None:
        changes = edits(report, d)
        if changes is not None:
            fix = {"applicability": d.fix.applicability, "edits": changes, "message": d.fix.description}
    return {
        "cell": cell,
        "code": d.code,
        "end_location": _point(max(end_row, row), d.span.end_column),
        "filename": os.path.abspath(report.path) if report.path != "-" else "-",
        "fix": fix,
        "location": _point(row, d.span.column),
        "message": d.message,
        "noqa_row": row,
        "url": None,
    }


def render(reports: Sequence, edits: Edits) -> str:
    """UTF-8 text as ruff's (``→``, not ``\\u2192``); a file name's bytes that are not UTF-8 (held as
    lone surrogates) are escaped, ``"\\udcff"``, as the ``json`` format writes them: raw, they would
    make the document invalid UTF-8."""
    out = json.dumps([_diag(r, d, edits) for r in reports for d in r.diagnostics], indent=2, ensure_ascii=False)
    return re.sub("[\udc80-\udcff]", lambda m: f"\\u{ord(m.group()):04x}", out) + "\n"
