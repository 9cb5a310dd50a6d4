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

A cache folder can also come with a repository (``git add -f``) or a pull request, holding results
that hide the findings of the files beside it. So entries are bound to a secret a repository cannot
carry: a random key created once in the user's cache directory (:func:`user_key`). The pack's name
and each entry's key are HMACs with it, and the pack's content is authenticated by an HMAC-SHA256
checked before anything in it is used: a pack made with another key (another user, another machine,
a forger) is ignored and written again. A ``.kerascount_cache`` folder that git tracks is not used
at all (:func:`tracked_by_git`): it could be an old pack of the user's own, replayed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import subprocess
import tempfile
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from . import __version__
from .notebook import CellMap
from .symbolic import Expr, _Atom

if TYPE_CHECKING:
    from .ir import Fix, Span

FOLDER = ".kerascount_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by kerascount.\n"

#: A file modified this close (in ns) before a run started may change again within the same
#: timestamp tick: its stamp is not trusted (git's "racily clean" entries).
RACY_NS = 2_000_000_000


class Cache:
    """Results by file content (``get``/``put``), and an index by file stamp (``unchanged``/``remember``).

    Both are loaded on first use and written back by ``save`` (once, at the end of a run). Without
    a user key, or in a folder git tracks, the cache is off: nothing is read or written, and
    ``disabled`` says why.
    """

    def __init__(self, root: str, config: Any) -> None:
        self.root = root
        self.dir = os.path.join(root, FOLDER, f"v{__version__}")
        self.config = config
        self._secret: Optional[bytes] = None
        #: Why the cache is off (None: on, or not yet looked at; see :meth:`usable`).
        self.disabled: Optional[str] = None
        self._fingerprint: Optional[str] = None
        self._pack: Optional[Dict[str, Dict[str, Any]]] = None
        self._changed = False
        self._started = time.time_ns()
        #: Results stored by this run: kept even when no index entry refers to them (racy files).
        self._fresh: set = set()

    def usable(self) -> bool:
        """Whether there is a user key and the cache folder is not tracked by git (looked at once)."""
        if self._secret is None and self.disabled is None:
            if tracked_by_git(self.root, FOLDER):
                self.disabled = f"{os.path.join(self.root, FOLDER)} is tracked by git, so it is not used " \
                                f"(untrack it: git rm -r --cached {FOLDER})"
            else:
                self._secret, problem = user_key()
                self.disabled = problem
        return self._secret is not None

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

        if not self.usable():
            return None
        entry = self._packed("files").get(path)
        if stamp is None or not isinstance(entry, list) or len(entry) != 3 or tuple(entry[:2]) != stamp:
            return None
        if entry[2] == "":
            return FileReport(path, (), ())
        return self.get(entry[2])

    def remember(self, path: str, stamp: Optional[Tuple[int, int]], key: str) -> None:
        if stamp is None or stamp[0] > self._started - RACY_NS or not self.usable():
            return
        files = self._packed("files")
        if files.get(path) != [stamp[0], stamp[1], key]:
            files[path] = [stamp[0], stamp[1], key]
            self._changed = True

    # -- results by content ------------------------------------------------

    def key(self, path: str, text: str) -> str:
        """The entry key of a file's text: an HMAC with the user key (a hash when the cache is off)."""
        h = hmac.new(self._secret or b"", digestmod=hashlib.sha256) if self.usable() else hashlib.sha256()
        for part in (_code_fingerprint(), self._config_fingerprint(), path, text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> Optional[Any]:
        """The stored report of an entry key, while the project modules it read are unchanged."""
        if not self.usable():
            return None
        data = self._packed("results").get(key)
        if data is None:
            return None
        try:
            imports = data.get("imports", [])
            if any(self.stamps([path]).get(path) != (mtime, size) for path, mtime, size in imports):
                return None  # a module it imports changed (or went away): analysed again
            return load(data)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def put(self, key: str, report: Any) -> bool:
        """Store a report; False (nothing stored) when a project module it read may still be changing
        (modified within RACY_NS before the run started) or cannot be stat'ed."""
        if not self.usable():
            return False
        stamps = self.stamps(report.imports)
        if len(stamps) != len(report.imports) or any(m > self._started - RACY_NS for m, _ in stamps.values()):
            return False
        data = dump(report)
        data["imports"] = [[path, *stamps[path]] for path in report.imports]
        self._packed("results")[key] = data
        self._fresh.add(key)
        self._changed = True
        return True

    # -- the pack file -----------------------------------------------------

    def save(self) -> None:
        """Write the pack if anything changed, keeping only the results the index still refers to."""
        if not self._changed or not self.usable():
            return
        pack = self._packed_all()
        used = {entry[2] for entry in pack["files"].values() if isinstance(entry, list) and len(entry) == 3}
        kept = {k: v for k, v in pack["results"].items() if k in used or k in self._fresh}
        body = json.dumps({"files": pack["files"], "results": kept}, separators=(",", ":"))  # dumps: the C encoder
        try:
            self._prepare()
            self._write(self._pack_file(), seal(self._secret, body.encode("utf-8")))  # type: ignore[arg-type]
        except (OSError, UnicodeError):
            pass

    def _packed(self, part: str) -> Dict[str, Any]:
        return self._packed_all()[part]

    def _packed_all(self) -> Dict[str, Dict[str, Any]]:
        if self._pack is None:
            self._pack = {"files": {}, "results": {}}
            try:
                with open(self._pack_file(), "rb") as fh:
                    body = unseal(self._secret, fh.read())  # type: ignore[arg-type]
                data = json.loads(body) if body is not None else None
                if isinstance(data, dict) and isinstance(data.get("files"), dict) and \
                        isinstance(data.get("results"), dict):
                    self._pack = {"files": data["files"], "results": data["results"]}
                else:
                    self._changed = True  # forged, from another key, or damaged: written again
            except (OSError, ValueError):
                pass
        return self._pack

    def _pack_file(self) -> str:
        """One pack per build and settings; its name is an HMAC too, so another user's pack is not even opened."""
        digest = hmac.new(self._secret or b"", f"{_code_fingerprint()}\0{self._config_fingerprint()}".encode(),
                          hashlib.sha256).hexdigest()
        return os.path.join(self.dir, f"cache-{digest[:24]}.json")

    def _config_fingerprint(self) -> str:
        if self._fingerprint is None:  # computed on first use: a run that analyses nothing skips it
            self._fingerprint = self.config.fingerprint()
        return self._fingerprint

    @staticmethod
    def _write(target: str, data: bytes) -> None:
        """Write atomically: readers see the old file or the new one, never half of one."""
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
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


# -- the user key and the seal on a pack -------------------------------------------------

#: Length of the user key, in bytes (written as hex).
KEY_BYTES = 32
_SEAL_HEAD = b'{"mac":"'
_SEAL_MID = b'","pack":'


def key_file() -> str:
    """``$XDG_CACHE_HOME/kerascount/key``, else ``~/.cache/kerascount/key``: outside any repository."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kerascount", "key")


def user_key() -> Tuple[Optional[bytes], Optional[str]]:
    """The user's cache key, created on first use; or None and why there is none.

    Created with mode 0600, atomically (written to a temporary file, then linked to its name, so
    that two first runs at once agree on one key). A key file that others may read or write, or
    that belongs to someone else, is not trusted and is replaced (git checks files out 0644 or
    0755: a key that came with a repository is never used as it is).
    """
    path = key_file()
    key, exists = _read_key(path)
    if key is None:
        try:
            _create_key(path, replace=exists)
        except OSError as exc:
            return None, f"cannot create the cache key {path} ({exc.strerror or exc})"
        key, _ = _read_key(path)
    return (key, None) if key is not None else (None, f"the cache key {path} cannot be used")


def _read_key(path: str) -> Tuple[Optional[bytes], bool]:
    """(the key in ``path`` if it is a private key file of this user, whether ``path`` exists)."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read(2 * KEY_BYTES + 1)
    except FileNotFoundError:
        return None, False
    except OSError:
        return None, True
    private = os.name == "nt" or (stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 == 0 and st.st_uid == os.getuid())
    try:
        key = bytes.fromhex(data.decode("ascii"))
    except (ValueError, UnicodeError):
        return None, True
    return (key if private and len(key) == KEY_BYTES else None), True


def _create_key(path: str, replace: bool) -> None:
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES).hex().encode("ascii"))
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if another run created the key first: theirs is read then
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            with contextlib.suppress(FileExistsError):
                fd2 = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.close(fd2)
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def seal(secret: bytes, body: bytes) -> bytes:
    """``{"mac":"<HMAC-SHA256 of body>","pack":<body>}``: still plain JSON, and checked on the raw bytes."""
    mac = hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")
    return _SEAL_HEAD + mac + _SEAL_MID + body + b"}"


def unseal(secret: bytes, data: bytes) -> Optional[bytes]:
    """The body of a sealed pack, or None if it was not sealed with ``secret`` (or is damaged)."""
    start = len(_SEAL_HEAD) + 64
    if not data.startswith(_SEAL_HEAD) or data[start:start + len(_SEAL_MID)] != _SEAL_MID or not data.endswith(b"}"):
        return None
    body = data[start + len(_SEAL_MID):-1]
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")
    return body if hmac.compare_digest(expected, data[len(_SEAL_HEAD):start]) else None


# -- is the cache folder tracked by git? ----------------------------------------------------


def tracked_by_git(root: str, folder: str) -> bool:
    """Whether git tracks anything under ``root/folder``.

    Cheap in the usual case: no git repository above ``root`` (a few stats), or a git index that
    does not contain the bytes ``kerascount_cache`` (one read of the index, where paths are stored
    whole up to version 3). Only then, or for a version 4 index, is git asked (``git ls-files``). If git cannot answer then, the folder is taken as tracked.
    """
    index = _git_index(os.path.abspath(root))
    if index is None:
        return False
    try:
        with open(index, "rb") as fh:
            data = fh.read()
        # Index version 4 stores each path as the part it does not share with the one before: ask git.
        if data[4:8] != (4).to_bytes(4, "big") and folder.lstrip(".").encode() not in data:
            return False
    except FileNotFoundError:
        return False  # a repository with nothing staged yet
    except OSError:
        pass
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", folder], cwd=root, capture_output=True, timeout=30,
                             stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return True
    return out.returncode != 0 or bool(out.stdout)


def _git_index(start: str) -> Optional[str]:
    """The index file of the git repository holding ``start`` (None: not in one)."""
    folder = start
    while True:
        dot_git = os.path.join(folder, ".git")
        if os.path.isdir(dot_git):
            return os.path.join(dot_git, "index")
        if os.path.isfile(dot_git):  # a worktree or submodule: "gitdir: <path>"
            try:
                with open(dot_git, encoding="utf-8") as fh:
                    line = fh.readline().strip()
            except (OSError, UnicodeError):
                return os.path.join(dot_git, "index")  # unreadable: let git decide
            gitdir = line[len("gitdir:"):].strip() if line.startswith("gitdir:") else ""
            return os.path.join(folder, gitdir, "index")
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


_CODE: Optional[str] = None


def _code_fingerprint() -> str:
    """kerascount's version and its own files (size and mtime): a changed analyzer never reuses entries."""
    global _CODE
    if _CODE is None:
        package = os.path.dirname(os.path.abspath(__file__))
        parts = [__version__]
        for folder, _, names in sorted(os.walk(package)):
            for name in sorted(names):
                if name.endswith((".py", ".json", ".json.gz")):  # the catalogue's data too
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{st.st_size}:{st.st_mtime_ns}")
        _CODE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _CODE


# -- reports as JSON (only what reporters read) ------------------------------------------


def _v(x: Any) -> Any:
    if isinstance(x, Expr):
        # Term by term: an expression read back as one symbol named by its text would multiply wrongly
        # (4 * "64*N + 64" rendered as 4*64*N + 64).
        return {"terms": [[[[atom.key, atom.text, power] for atom, power in mono], coeff]
                          for mono, coeff in x.terms]}
    if isinstance(x, tuple):
        return [_v(i) for i in x]
    return x


def _u(x: Any) -> Any:
    if isinstance(x, dict):
        return Expr({tuple((_Atom(key, text), power) for key, text, power in mono): coeff
                     for mono, coeff in x["terms"]})
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
                "kind": m.model.kind, "name": m.model.name, "keras_name": m.model.keras_name,
                "span": _span(m.model.span), "connections": _v(m.connections),
                "caveat": m.model.from_defaults, "assumes": list(m.assumes), "status": m.status, "reasons": list(m.reasons),
                "failed": m.failed, "inputs": _v(m.inputs), "outputs": _v(m.outputs),
                "total": _v(m.total), "trainable": _v(m.trainable), "non_trainable": _v(m.non_trainable),
                "macs": _v(m.macs), "activations": _v(m.activations),
                "param_bytes": _v(m.param_bytes), "activation_bytes": _v(m.activation_bytes),
                "bytes_unknown": m.bytes_unknown, "bytes_per_param": m.bytes_per_param,
                "held_totals": _v(m.held_totals),
                "rows": _dump_rows(m.rows),
                "data": [[c.method, _span(c.span), _v(c.x), _v(c.y), _v(c.val_x), _v(c.val_y), _v(c.xs), c.batch]
                         for c in m.model.data_calls],
                "symbols": [[s.name, s.origin, None if s.span is None else _span(s.span)] for s in m.symbols],
                "alternatives": [[[list(c) for c in a.way], _v(a.total), _v(a.trainable), _v(a.non_trainable), a.error,
                                  a.unbuilt]
                                 for a in m.alternatives],
            }
            for m in report.models
        ],
    }


def _dump_rows(rows: Any) -> list:
    """A model's rows, each with its nested model's rows (``summary --expand-nested``) last."""
    return [[r.layer.name, r.layer.type, _span(r.layer.span), _v(r.output_shape), _v(r.params),
             _v(r.trainable), _v(r.non_trainable), _v(r.macs), _v(r.activations),
             None if r.problem is None else [r.problem.code, r.problem.message, r.problem.error],
             r.layer.known, _dump_rows(r.nested)]
            for r in rows]


def _load_rows(rows: list) -> Any:
    from .ir import LayerDef, LayerResult, Problem, Span

    return tuple(
        LayerResult(LayerDef(i, type_, name, (), (), Span(*span), known=known), _u(shape), _u(p), _u(t),
                    _u(n), macs=_u(macs), activations=_u(acts),
                    problem=None if problem is None else Problem(*problem), nested=_load_rows(nested))
        for i, (name, type_, span, shape, p, t, n, macs, acts, problem, known, nested) in enumerate(rows)
    )


def load(data: dict) -> Any:
    from .api import FileReport
    from .ir import Alternative, DataCall, Diagnostic, ModelDef, ModelResult, Span, SymbolOrigin

    models = []
    for m in data["models"]:
        calls = tuple(DataCall(method, Span(*span), x=_u(x), y=_u(y), val_x=_u(vx), val_y=_u(vy), xs=_u(xs),
                               batch=batch)
                      for method, span, x, y, vx, vy, xs, batch in m.get("data", ()))
        model = ModelDef(kind=m["kind"], name=m["name"], span=Span(*m["span"]), from_defaults=m["caveat"],
                         keras_name=m["keras_name"], data_calls=calls)
        rows = _load_rows(m["rows"])
        models.append(ModelResult(model, rows, _u(m["inputs"]), _u(m["outputs"]), _u(m["total"]),
                                  _u(m["trainable"]), _u(m["non_trainable"]), m["status"], tuple(m["reasons"]),
                                  m["failed"], _u(m["macs"]), _u(m["activations"]), _u(m["param_bytes"]),
                                  _u(m["activation_bytes"]), connections=_u(m["connections"]),
                                  symbols=tuple(SymbolOrigin(name, origin, None if span is None else Span(*span))
                                                for name, origin, span in m.get("symbols", ())),
                                  assumes=tuple(m.get("assumes", ())), bytes_unknown=m.get("bytes_unknown"),
                                  bytes_per_param=m.get("bytes_per_param", 4), held_totals=_u(m.get("held_totals")),
                                  alternatives=tuple(Alternative(tuple(tuple(c) for c in way), _u(t), _u(tr), _u(nt), err,
                                                                 bool(rest and rest[0]))
                                                     for way, t, tr, nt, err, *rest in m.get("alternatives", ()))))
    diagnostics = tuple(Diagnostic(c, s, msg, Span(*span), _load_fix(fix))
                        for c, s, msg, span, fix in data["diagnostics"])
    cells = data["cells"]
    cell_map = None if cells is None else CellMap(tuple(cells[0]), tuple(cells[1]))
    return FileReport(data["path"], tuple(models), diagnostics, data["internal_error"], cell_map,
                      tuple(path for path, _, _ in data.get("imports", ())))
