"""A per-file result cache, so an unchanged tree is re-linted in about the time it takes to read it.

Entries live in ``.kerascount_cache/`` at the project root (beside pyproject.toml, else the current
folder), with a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``. An entry is keyed by the file's path
and content, the kerascount version and the effective configuration, and holds the file's report as
JSON — never pickle: a cache folder that came with a repository must not be able to run code.
Any problem reading or writing the cache is ignored: the file is then simply analysed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any, List, Optional

from . import __version__
from .ir import Diagnostic, Fix, LayerDef, LayerResult, ModelDef, ModelResult, Span
from .notebook import CellMap
from .symbolic import Expr, render, symbol

FOLDER = ".kerascount_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by kerascount.\n"


class Cache:
    def __init__(self, root: str, config: Any) -> None:
        self.dir = os.path.join(root, FOLDER, f"v{__version__}")
        self.config = config
        self._fingerprint: Optional[str] = None
        self._ready = False

    def key(self, path: str, text: str) -> str:
        if self._fingerprint is None:  # computed on first use: a run that analyses nothing skips it
            self._fingerprint = self.config.fingerprint()
        h = hashlib.sha256()
        for part in (_code_fingerprint(), self._fingerprint, path, text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key + ".json")

    def get(self, key: str) -> Optional[Any]:
        try:
            with open(self._file(key), encoding="utf-8") as fh:
                return load(json.load(fh))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, key: str, report: Any) -> None:
        try:
            self._prepare()
            target = self._file(key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(dump(report), fh, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._ready:
            return
        top = os.path.dirname(self.dir)
        os.makedirs(self.dir, exist_ok=True)
        for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            path = os.path.join(top, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(content)
        self._ready = True


_CODE: Optional[str] = None


def _code_fingerprint() -> str:
    """kerascount's version and its own files (size and mtime): a changed analyzer never reuses entries."""
    global _CODE
    if _CODE is None:
        package = os.path.dirname(os.path.abspath(__file__))
        parts = [__version__]
        for folder, _, names in sorted(os.walk(package)):
            for name in sorted(names):
                if name.endswith((".py", ".json")):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{st.st_size}:{st.st_mtime_ns}")
        _CODE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _CODE


# -- reports as JSON (only what reporters read) ------------------------------------------


def _v(x: Any) -> Any:
    if isinstance(x, Expr):
        return {"expr": render(x)}
    if isinstance(x, tuple):
        return [_v(i) for i in x]
    return x


def _u(x: Any) -> Any:
    if isinstance(x, dict):
        return symbol(x["expr"])
    if isinstance(x, list):
        return tuple(_u(i) for i in x)
    return x


def _span(s: Span) -> List[int]:
    return [s.line, s.column, s.end_line, s.end_column]


def _fix(f: Optional[Fix]) -> Optional[list]:
    return None if f is None else [f.applicability, f.description, _span(f.span), f.layer, list(f.edit)]


def _load_fix(data: Optional[list]) -> Optional[Fix]:
    if data is None:
        return None
    applicability, description, span, layer, edit = data
    return Fix(applicability, description, Span(*span), layer, tuple(edit))


def dump(report: Any) -> dict:
    cells = report.cells
    return {
        "path": report.path,
        "internal_error": report.internal_error,
        "cells": None if cells is None else [list(cells.cells), list(cells.lines)],
        "diagnostics": [[d.code, d.severity, d.message, _span(d.span), _fix(d.fix)] for d in report.diagnostics],
        "models": [
            {
                "kind": m.model.kind, "name": m.model.name, "span": _span(m.model.span),
                "caveat": m.model.from_defaults, "status": m.status, "reasons": list(m.reasons),
                "failed": m.failed, "inputs": _v(m.inputs), "outputs": _v(m.outputs),
                "total": _v(m.total), "trainable": _v(m.trainable), "non_trainable": _v(m.non_trainable),
                "rows": [[r.layer.name, r.layer.type, _span(r.layer.span), _v(r.output_shape), _v(r.params),
                          _v(r.trainable), _v(r.non_trainable)] for r in m.rows],
            }
            for m in report.models
        ],
    }


def load(data: dict) -> Any:
    from .api import FileReport

    models = []
    for m in data["models"]:
        model = ModelDef(kind=m["kind"], name=m["name"], span=Span(*m["span"]), from_defaults=m["caveat"])
        rows = tuple(
            LayerResult(LayerDef(i, type_, name, (), (), Span(*span)), _u(shape), _u(p), _u(t), _u(n))
            for i, (name, type_, span, shape, p, t, n) in enumerate(m["rows"])
        )
        models.append(ModelResult(model, rows, _u(m["inputs"]), _u(m["outputs"]), _u(m["total"]),
                                  _u(m["trainable"]), _u(m["non_trainable"]), m["status"], tuple(m["reasons"]),
                                  m["failed"]))
    diagnostics = tuple(Diagnostic(c, s, msg, Span(*span), _load_fix(fix))
                        for c, s, msg, span, fix in data["diagnostics"])
    cells = data["cells"]
    cell_map = None if cells is None else CellMap(tuple(cells[0]), tuple(cells[1]))
    return FileReport(data["path"], tuple(models), diagnostics, data["internal_error"], cell_map)
