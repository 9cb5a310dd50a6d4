"""SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(r) -> Dict[str, Any]:
    return {
        "id": r.CODE,
        "name": r.NAME,
        "shortDescription": {"text": r.SUMMARY},
        "fullDescription": {"text": r.SUMMARY},
        "help": {"text": r.DOC, "markdown": r.DOC},
        "defaultConfiguration": {"level": _LEVEL[r.SEVERITY]},
    }


def _result(report, d, index: Dict[str, int]) -> Dict[str, Any]:
    cell, line = report.locate(d.span.line)
    _, end_line = report.locate(d.span.end_line)
    region = {"startLine": line, "startColumn": d.span.column, "endLine": max(end_line, line),
              "endColumn": d.span.end_column}
    result = {
        "ruleId": d.code,
        "level": _LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": report.path.replace("\\", "/")},
                                            "region": region}}],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if cell is not None:
        result["properties"] = {"cell": cell}
    return result


def render(reports: Sequence, version: str, rule_classes: Sequence) -> str:
    rules = [_rule(r) for r in rule_classes]
    index = {r.CODE: i for i, r in enumerate(rule_classes)}
    results: List[Dict[str, Any]] = [_result(rep, d, index) for rep in reports for d in rep.diagnostics]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kerascount", "version": version, "semanticVersion": version,
                                "informationUri": "https://pypi.org/project/kerascount/", "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
