"""The result cache, so an unchanged tree is re-linted in about the time it takes to list it.

The cache lives in ``.kerascount_cache/`` at the project root (beside pyproject.toml, else the
current folder), with a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``. It is one JSON file per
kerascount build and configuration (a "pack"): results keyed by each file's path and content, and
an index of each file's size and modification time. A file whose stamp has not changed is not even
read again (as ruff and git do); a file modified within two seconds before the run that read it is
read again next time, since it could change again within the same timestamp tick. One file, written
once per run: on slow file systems, creating a file per result costs more than the analysis.
JSON, never pickle: a cache folder that came with a repository must not be able to run code.
Any problem reading or writing the cache is ignored: the files are then simply analysed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from . import __version__
from .notebook import CellMap
from .symbolic import Expr, render, symbol

if TYPE_CHECKING:
    from .ir import Fix, Span

FOLDER = ".kerascount_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by kerascount.\n"

#: A file modified this close (in ns) before a run started may change again within the same
#: timestamp tick: its stamp is not trusted (git's "racily clean" entries).
RACY_NS = 2_000_000_000


class Cache:
    """Results by file content (``get``/``put``), and an index by file stamp (``unchanged``/``remember``).

    Both are loaded on first use and written back by ``save`` (once, at the end of a run).
    """

    def __init__(self, root: str, config: Any) -> None:
        self.dir = os.path.join(root, FOLDER, f"v{__version__}")
        self.config = config
        self._fingerprint: Optional[str] = None
        self._pack: Optional[Dict[str, Dict[str, Any]]] = None
        self._changed = False
        self._started = time.time_ns()
        #: Results stored by this run: kept even when no index entry refers to them (racy files).
        self._fresh: set = set()

    # -- the index by stamp ------------------------------------------------

    @staticmethod
    def stamps(paths: Sequence[str]) -> Dict[str, Tuple[int, int]]:
        """(mtime_ns, size) of each file that can be stat'ed."""
        out = {}
        for path in paths:
            try:
                st = os.stat(path)
            except (OSError, ValueError):
                continue
            out[path] = (st.st_mtime_ns, st.st_size)
        return out

    def unchanged(self, path: str, stamp: Optional[Tuple[int, int]]) -> Optional[Any]:
        """The report of a file whose stamp is the indexed one; None when it must be read.

        The index maps a path to ``[mtime_ns, size, key]``; key ``""``: the file does not mention Keras.
        """
        from .api import FileReport

        entry = self._packed("files").get(path)
        if stamp is None or not isinstance(entry, list) or len(entry) != 3 or tuple(entry[:2]) != stamp:
            return None
        if entry[2] == "":
            return FileReport(path, (), ())
        return self.get(entry[2])

    def remember(self, path: str, stamp: Optional[Tuple[int, int]], key: str) -> None:
        if stamp is None or stamp[0] > self._started - RACY_NS:
            return
        files = self._packed("files")
        if files.get(path) != [stamp[0], stamp[1], key]:
            files[path] = [stamp[0], stamp[1], key]
            self._changed = True

    # -- results by content ------------------------------------------------

    def key(self, path: str, text: str) -> str:
        h = hashlib.sha256()
        for part in (_code_fingerprint(), self._config_fingerprint(), path, text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> Optional[Any]:
        data = self._packed("results").get(key)
        if data is None:
            return None
        try:
            return load(data)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def put(self, key: str, report: Any) -> None:
        self._packed("results")[key] = dump(report)
        self._fresh.add(key)
        self._changed = True

    # -- the pack file -----------------------------------------------------

    def save(self) -> None:
        """Write the pack if anything changed, keeping only the results the index still refers to."""
        if not self._changed:
            return
        pack = self._packed_all()
        used = {entry[2] for entry in pack["files"].values() if isinstance(entry, list) and len(entry) == 3}
        kept = {k: v for k, v in pack["results"].items() if k in used or k in self._fresh}
        try:
            self._prepare()
            self._write(self._pack_file(), json.dumps({"files": pack["files"], "results": kept},
                                                      separators=(",", ":")))  # dumps: the C encoder
        except OSError:
            pass

    def _packed(self, part: str) -> Dict[str, Any]:
        return self._packed_all()[part]

    def _packed_all(self) -> Dict[str, Dict[str, Any]]:
        if self._pack is None:
            self._pack = {"files": {}, "results": {}}
            try:
                with open(self._pack_file(), encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict) and isinstance(data.get("files"), dict) and \
                        isinstance(data.get("results"), dict):
                    self._pack = {"files": data["files"], "results": data["results"]}
            except (OSError, ValueError):
                pass
        return self._pack

    def _pack_file(self) -> str:
        digest = hashlib.sha256(f"{_code_fingerprint()}\0{self._config_fingerprint()}".encode()).hexdigest()
        return os.path.join(self.dir, f"cache-{digest[:24]}.json")

    def _config_fingerprint(self) -> str:
        if self._fingerprint is None:  # computed on first use: a run that analyses nothing skips it
            self._fingerprint = self.config.fingerprint()
        return self._fingerprint

    @staticmethod
    def _write(target: str, text: str) -> None:
        """Write atomically: readers see the old file or the new one, never half of one."""
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _prepare(self) -> None:
        top = os.path.dirname(self.dir)
        os.makedirs(self.dir, exist_ok=True)
        for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            path = os.path.join(top, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(content)


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
    from .ir import Fix, Span

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
                "macs": _v(m.macs), "activations": _v(m.activations),
                "param_bytes": _v(m.param_bytes), "activation_bytes": _v(m.activation_bytes),
                "rows": [[r.layer.name, r.layer.type, _span(r.layer.span), _v(r.output_shape), _v(r.params),
                          _v(r.trainable), _v(r.non_trainable), _v(r.macs), _v(r.activations)] for r in m.rows],
            }
            for m in report.models
        ],
    }


def load(data: dict) -> Any:
    from .api import FileReport
    from .ir import Diagnostic, LayerDef, LayerResult, ModelDef, ModelResult, Span

    models = []
    for m in data["models"]:
        model = ModelDef(kind=m["kind"], name=m["name"], span=Span(*m["span"]), from_defaults=m["caveat"])
        rows = tuple(
            LayerResult(LayerDef(i, type_, name, (), (), Span(*span)), _u(shape), _u(p), _u(t), _u(n),
                        macs=_u(macs), activations=_u(acts))
            for i, (name, type_, span, shape, p, t, n, macs, acts) in enumerate(m["rows"])
        )
        models.append(ModelResult(model, rows, _u(m["inputs"]), _u(m["outputs"]), _u(m["total"]),
                                  _u(m["trainable"]), _u(m["non_trainable"]), m["status"], tuple(m["reasons"]),
                                  m["failed"], _u(m["macs"]), _u(m["activations"]), _u(m["param_bytes"]),
                                  _u(m["activation_bytes"])))
    diagnostics = tuple(Diagnostic(c, s, msg, Span(*span), _load_fix(fix))
                        for c, s, msg, span, fix in data["diagnostics"])
    cells = data["cells"]
    cell_map = None if cells is None else CellMap(tuple(cells[0]), tuple(cells[1]))
    return FileReport(data["path"], tuple(models), diagnostics, data["internal_error"], cell_map)
