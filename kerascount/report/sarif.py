"""SARIF 2.1.0, as GitHub code scanning reads it.

Regions are positions in the file on disk: for a notebook, in the ``.ipynb`` JSON text (see
:mod:`kerascount.report.places`), with the cell and the line and column in it as result properties.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence
from urllib.parse import quote

from .places import file_region

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


def uri(path: str) -> str:
    """A file's path as a URI reference: relative paths percent-encoded (a space is ``%20``), absolute
    ones as ``file://`` URIs, as SARIF's ``artifactLocation.uri`` requires."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(os.fsencode(path.replace("\\", "/")))  # a name's undecodable bytes (\xff) as %FF


def _result(report, d, index: Dict[str, int], notebooks: Mapping[str, object]) -> Dict[str, Any]:
    (line, column, end_line, end_column), cell = file_region(report, d.span, notebooks)
    region = {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}
    result = {
        "ruleId": d.code,
        "level": _LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(report.path)},
                                            "region": region}}],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if cell is not None:
        result["properties"] = {"cell": cell[0], "cellLine": cell[1], "cellColumn": d.span.column}
    return result


def render(reports: Sequence, version: str, rule_classes: Sequence,
           notebooks: Mapping[str, object] = {}, problems: Sequence[str] = ()) -> str:  # noqa: B006 - read only
    """The SARIF log; ``problems`` (paths that could not be used) make the invocation unsuccessful,
    each a notification, so that a missing file is not read as a clean run."""
    rules = [_rule(r) for r in rule_classes]
    index = {r.CODE: i for i, r in enumerate(rule_classes)}
    results: List[Dict[str, Any]] = [_result(rep, d, index, notebooks) for rep in reports for d in rep.diagnostics]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kerascount", "version": version, "semanticVersion": version,
                                "rules": rules}},
            "invocations": [{
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": p}} for p in problems],
            }],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
