"""JSON output, schema version 1 (documented in docs/json-schema.md)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence

from .shapes import count_json, shape_json

SCHEMA_VERSION = 1


def _layer(row, report, expand_nested: bool = False, links=None) -> Dict[str, Any]:
    """A row; ``links``: what ``model.summary()`` shows as "Connected to" for it (only for a model that shows the
    column: a functional model that is not a chain), as ``["input_layer[0][0]", ...]``."""
    out = {
        "name": row.layer.name,
        "type": row.layer.type,
        **_position(report, row.layer.span.line),
        "output_shape": shape_json(row.output_shape),
        "params": count_json(row.params),
        "trainable_params": count_json(row.trainable),
        "non_trainable_params": count_json(row.non_trainable),
        "macs": count_json(row.macs),
        "activations": count_json(row.activations),
    }
    if links is not None:
        out["connected_to"] = [f"{name}[{'?' if node is None else node}][{index}]" for name, node, index in links]
    if expand_nested and row.nested:
        out["layers"] = [_layer(r, report, True) for r in row.nested]
    return out


def _position(report, line: int) -> Dict[str, Any]:
    """``{"line": n}``, plus ``"cell"`` in a notebook, where the line counts within the cell."""
    cell, row = report.locate(line)
    return {"cell": cell, "line": row} if cell is not None else {"line": row}


def _model(m, report, expand_nested: bool = False) -> Dict[str, Any]:
    return {
        "name": m.model.name,
        "keras_name": m.model.keras_name,
        **_position(report, m.model.span.line),
        "column": m.model.span.column,
        "kind": m.model.kind,
        "inputs": None if m.inputs is None else [shape_json(s) for s in m.inputs],
        "outputs": None if m.outputs is None else [shape_json(s) for s in m.outputs],
        "layers": [_layer(r, report, expand_nested, None if m.connections is None or i >= len(m.connections)
                          else m.connections[i]) for i, r in enumerate(m.rows)],
        "total_params": count_json(m.total),
        "trainable_params": count_json(m.trainable),
        "non_trainable_params": count_json(m.non_trainable),
        "macs": count_json(m.macs),
        "param_bytes": count_json(m.param_bytes),
        **({"param_bytes_unknown": m.bytes_unknown} if m.bytes_unknown is not None else {}),
        "activation_bytes": count_json(m.activation_bytes),
        "status": m.status,
        "reasons": list(dict.fromkeys(m.reasons)),
        "caveat": m.caveat(),
        "data": [_data(c, report) for c in m.model.data_calls],
        **({"symbols": [_symbol(s, report) for s in m.symbols]} if m.symbols else {}),
        **({"alternatives": [_alternative(a, report) for a in m.alternatives]} if m.alternatives else {}),
    }


def _alternative(a, report) -> Dict[str, Any]:
    """What the model is on one way through conditions the analysis cannot decide: its counts, or Keras's error."""
    return {
        "conditions": [{"condition": text, **_position(report, line), "holds": holds} for text, line, holds in a.way],
        "total_params": count_json(a.total),
        "trainable_params": count_json(a.trainable),
        "non_trainable_params": count_json(a.non_trainable),
        "error": a.error,
        **({"unbuilt": True} if a.unbuilt else {}),
    }


def _symbol(s, report) -> Dict[str, Any]:
    """Where a symbol of the model's numbers comes from; ``line`` and ``column`` null where not known."""
    if s.span is None:
        return {"name": s.name, "origin": s.origin, "line": None, "column": None}
    return {"name": s.name, "origin": s.origin, **_position(report, s.span.line), "column": s.span.column}


def _data(c, report) -> Dict[str, Any]:
    """DATA: the shapes of the data given to ``fit``/``evaluate``/``predict``... (null where not known)."""
    return {
        "method": c.method,
        **_position(report, c.span.line),
        "x": [shape_json(s) for s in c.xs] if c.xs is not None else shape_json(c.x),
        "y": shape_json(c.y),
        "validation_x": shape_json(c.val_x),
        "validation_y": shape_json(c.val_y),
    }


def _diag(d, report) -> Dict[str, Any]:
    out = {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        **_position(report, d.span.line),
        "column": d.span.column,
        "end_line": report.locate(d.span.end_line)[1],
        "end_column": d.span.end_column,
        "fix": None if d.fix is None else {"applicability": d.fix.applicability, "description": d.fix.description},
    }
    return out


def render(reports: Sequence, version: str, problems: Sequence[str] = (), expand_nested: bool = False) -> str:
    """``expand_nested``: a nested model's row holds its own rows (``"layers"``), as ``summary --expand-nested``."""
    files: List[Dict[str, Any]] = [
        {"path": r.path, "models": [_model(m, r, expand_nested) for m in r.models],
         "diagnostics": [_diag(d, r) for d in r.diagnostics]}
        for r in reports
    ]
    # One file per line: readable, and encoded by json's C encoder (indent= makes it pure Python,
    # which costs more than the analysis of a small file).
    listed = "[\n" + ",\n".join("    " + json.dumps(f) for f in files) + "\n  ]" if files else "[]"
    fields = [f'"kerascount": {json.dumps(version)}', f'"schema": {SCHEMA_VERSION}', f'"files": {listed}']
    if problems:
        fields.append(f'"errors": {json.dumps(list(problems))}')
    return "{\n" + ",\n".join("  " + f for f in fields) + "\n}\n"


def rules(rule_classes: Sequence) -> str:
    return json.dumps([{"code": r.CODE, "name": r.NAME, "severity": r.SEVERITY, "summary": r.SUMMARY,
                        "default_enabled": r.DEFAULT_ENABLED, "doc": r.DOC} for r in rule_classes], indent=2) + "\n"
