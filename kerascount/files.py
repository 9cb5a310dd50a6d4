"""Finding and reading the files to analyse. Never raises on a bad file: it says what is wrong."""

from __future__ import annotations

import bisect
import io
import json
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .config import Config
from .notebook import CellMap, code_of

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(unsafe_hash=True, repr=False)
class Source:
    """A file as read: its text (None when it could not be read) and, for a notebook, its cells."""

    path: str
    text: Optional[str]
    #: Why the file could not be read (text is None then).
    error: Optional[str] = None
    #: For a notebook: where each line of ``text`` comes from.
    cells: Optional[CellMap] = None
    #: Set on a file the prefilter passed over (text "") that imports modules of the project: had one of them
    #: used Keras, it would have been analysed, so a cache must not keep its empty result as the file's own.
    imports_project: bool = False


def discover(paths: Sequence[str], cfg: Config) -> Tuple[List[str], List[str]]:
    """Files to analyse (sorted, unique) and problems with the given paths.

    A file named explicitly is analysed even if excluded, unless ``cfg.force_exclude`` is set:
    then it is skipped when a directory walk would skip it (pre-commit names files one by one).
    """
    found: List[str] = []
    problems: List[str] = []
    skip = Skipper(cfg)
    for path in paths:
        if os.path.isdir(path):
            if cfg.force_exclude and skip.path(path, is_dir=True):
                continue
            found.extend(_walk(path, skip, problems))
        elif os.path.lexists(path):
            if not os.path.exists(path):
                problems.append(f"{path}: broken symbolic link")
            elif not (cfg.force_exclude and skip.path(path)):
                found.append(path)
        else:
            problems.append(f"{path}: {_missing(path)}")
    seen = set()
    unique = []
    for f in found:
        key = os.path.normcase(os.path.abspath(f))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


class Skipper:
    """What a directory walk skips: hidden folders, virtual environments, ``exclude`` patterns and,
    unless ``respect-gitignore = false``, what .gitignore files (and .git/info/exclude) ignore."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._ignores: Dict[str, Optional[GitIgnore]] = {}
        self._git_roots: Dict[str, Optional[str]] = {}
        self._chains: Dict[str, List[GitIgnore]] = {}

    def entry(self, path: str, name: str, is_dir: bool, folder: Optional[str] = None) -> bool:
        """Is this entry of a folder being walked skipped? ``folder``: the absolute path of its folder."""
        if is_dir:
            if name.startswith(".") or self.cfg.excluded(path) or os.path.exists(os.path.join(path, "pyvenv.cfg")):
                return True
        elif not name.endswith(SOURCE_SUFFIXES) or self.cfg.excluded(path):
            return True
        if not self.cfg.respect_gitignore:
            return False
        return self.ignored(os.path.join(folder, name) if folder is not None else path, is_dir)

    def path(self, path: str, is_dir: bool = False) -> bool:
        """Would a walk of the project skip this path (it, or a folder it is in)? For --force-exclude."""
        full = os.path.abspath(path)
        base = os.path.abspath(self.cfg.root or os.getcwd())
        folders = []
        if _is_within(base, full):
            here = os.path.dirname(full)
            while here != base:
                folders.append(here)
                here = os.path.dirname(here)
        for folder in reversed(folders):
            if self.entry(folder, os.path.basename(folder), True):
                return True
        if is_dir:  # the project's root folder (or one outside it) is never skipped for its own name
            return _is_within(base, full) and self.entry(full, os.path.basename(full), True)
        return self.cfg.excluded(full) or self.cfg.respect_gitignore and self.ignored(full, False)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Do the .gitignore files of the folders above ``path`` (within its git repository) ignore it?"""
        full = path if os.path.isabs(path) else os.path.abspath(path)
        verdict = None
        for ignore in self._chain(os.path.dirname(full)):
            rel = full[len(ignore.prefix):]  # the ignore file's folder is above the path
            found = ignore.match(rel if os.sep == "/" else rel.replace(os.sep, "/"), is_dir)
            if found is not None:
                verdict = found
        return bool(verdict)

    def _chain(self, folder: str) -> List["GitIgnore"]:
        """The ignore files that apply in ``folder``, lowest precedence first: .git/info/exclude, then
        the .gitignore files from the repository's root down. Outside a git repository, none (as git)."""
        if folder in self._chains:
            return self._chains[folder]
        root = self._git_root(folder)
        chain: List[GitIgnore] = []
        if root is not None:
            here = folder
            while True:
                ignore = self._load(here)
                if ignore is not None:
                    chain.append(ignore)
                if here == root or here == os.path.dirname(here):
                    break
                here = os.path.dirname(here)
            exclude = self._load(os.path.join(root, ".git", "info"), "exclude", base=root)
            if exclude is not None:
                chain.append(exclude)
            chain.reverse()
        self._chains[folder] = chain
        return chain

    def _git_root(self, folder: str) -> Optional[str]:
        if folder not in self._git_roots:
            parent = os.path.dirname(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                self._git_roots[folder] = folder
            else:
                self._git_roots[folder] = None if parent == folder else self._git_root(parent)
        return self._git_roots[folder]

    def _load(self, folder: str, name: str = ".gitignore", base: Optional[str] = None) -> Optional["GitIgnore"]:
        key = os.path.join(folder, name)
        if key not in self._ignores:
            try:
                with open(key, encoding="utf-8", errors="replace") as fh:
                    self._ignores[key] = GitIgnore(base or folder, fh.read())
            except OSError:
                self._ignores[key] = None
        return self._ignores[key]


def _is_within(base: str, path: str) -> bool:
    """Is ``path`` strictly inside ``base``?"""
    return path != base and path.startswith(base.rstrip(os.sep) + os.sep)


class GitIgnore:
    """One .gitignore file: its patterns, matched as git matches them (``!`` negation, a trailing ``/``
    for folders only, a ``/`` at the start or in the middle anchors to the file's folder, ``*``, ``?``,
    ``[a-z]``, ``**/``, ``/**`` and ``/**/``; the last matching pattern decides)."""

    def __init__(self, base: str, text: str) -> None:
        self.base = base
        #: ``base`` with a separator at the end: what paths below it start with.
        self.prefix = base if base.endswith(os.sep) else base + os.sep
        self.patterns: List[Tuple["re.Pattern", bool, bool, bool]] = []
        for line in text.splitlines():
            parsed = _gitignore_pattern(line)
            if parsed is not None:
                self.patterns.append(parsed)
        # One regex for all the patterns on names and one for those on paths: most paths match
        # neither, and are then decided in two regex calls instead of one per pattern.
        never = "(?!)"
        self._names = re.compile("|".join(p[0].pattern for p in self.patterns if not p[3]) or never, re.S)
        self._paths = re.compile("|".join(p[0].pattern for p in self.patterns if p[3]) or never, re.S)

    def match(self, rel: str, is_dir: bool) -> Optional[bool]:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matches."""
        name = rel.rsplit("/", 1)[-1]
        if not self._names.match(name) and not self._paths.match(rel):
            return None
        for regex, negated, dir_only, anchored in reversed(self.patterns):  # the last match decides
            if (is_dir or not dir_only) and regex.match(rel if anchored else name):
                return not negated
        return None


def _gitignore_pattern(line: str) -> "Optional[Tuple[re.Pattern, bool, bool, bool]]":
    """(regex, negated, folders only, anchored) of a .gitignore line; None for blanks and comments."""
    if not line.strip() or line.startswith("#"):
        return None
    # Trailing spaces are dropped unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    return re.compile(_glob_regex(line) + r"\Z", re.S), negated, dir_only, anchored


def _glob_regex(pattern: str) -> str:
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*" and pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/") and (
                i + 2 == n or pattern[i + 2] == "/"):
            if i + 2 == n:
                out.append(".*")  # a/**: everything inside a
                i += 2
            else:
                out.append("(?:.*/)?")  # **/ : any number of folders, none included
                i += 3
            continue
        elif c == "*":
            while i < n and pattern[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern.startswith(("[!", "[^"), i) else i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _walk(root: str, skip: Skipper, problems: List[str]) -> Iterator[str]:
    """The files to check under ``root``; a folder that cannot be listed is added to ``problems``."""
    visited = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = os.path.realpath(folder)
            if real in visited:
                continue  # a symlink loop
            visited.add(real)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(f"{_clean(folder)}: cannot list the folder: {exc.strerror or exc}")
            continue
        absolute = os.path.abspath(folder)
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if skip.entry(entry.path, entry.name, is_dir, absolute):
                continue
            if is_dir:
                subdirs.append(entry.path)
            elif not _special(entry):
                yield _clean(entry.path)
        stack.extend(reversed(subdirs))


def _special(entry: "os.DirEntry[str]") -> bool:
    """A named pipe, socket or device found by a walk: not read (opening a pipe no one writes to
    never returns). A file named on the command line is read whatever it is, as ``cat`` reads it."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return False  # a broken link: reported when it is read
    return not stat.S_ISREG(mode)


def _missing(path: str) -> str:
    """Why a path that does not seem to exist cannot be used: it is missing, or a folder on the way
    to it cannot be searched."""
    try:
        os.lstat(path)
    except PermissionError as exc:
        return f"cannot read: {exc.strerror}"
    except OSError:
        pass
    return "no such file or directory"


def _clean(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def read(path: str) -> Source:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return Source(path, None, "is a directory")
    except OSError as exc:
        return Source(path, None, f"cannot read: {exc.strerror or exc}")
    return decode(path, data)


def decode(path: str, data: bytes) -> Source:
    if b"keras" not in data and b"tensorflow_examples" not in data and \
            (b"import" in data or not _KERAS_CALL_BYTES.search(data)):
        # The prefilter, on bytes: a file that never says "keras" has nothing to report (unless it is
        # Keras code without imports, see is_keras_snippet, or imports a module of the project that uses Keras;
        # `tensorflow_examples`: the pix2pix tutorial module's blocks, extract/known_helpers.py).
        depends = False
        if b"import" in data and not path.endswith(".ipynb"):
            from . import project

            reaches, depends = project.reaches_keras(path, data.decode("utf-8", "replace"))
            if reaches:
                return _decoded(path, data)
        return Source(path, "", imports_project=depends)
    return _decoded(path, data)


def _decoded(path: str, data: bytes) -> Source:
    if path.endswith(".ipynb"):
        try:
            text, cells = code_of(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            return Source(path, None, str(exc) if isinstance(exc, ValueError) else "not UTF-8 text")
        return Source(path, text, cells=cells)
    if b"\x00" in data:
        return Source(path, None, "binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # PEP 263 coding cookie
    except SyntaxError as exc:
        return Source(path, None, f"invalid encoding declaration ({exc.msg})")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" (byte {exc.start}: {data[exc.start:exc.start + 1]!r})" if isinstance(exc, UnicodeDecodeError) else ""
        return Source(path, None, f"not {encoding} text{where}; declare the encoding or save as UTF-8")
    return Source(path, text[1:] if text.startswith("\ufeff") else text)


def may_define_models(text: str) -> bool:
    """The prefilter: a file that never says "keras" cannot reach Keras through an import.

    Every import style (``keras``, ``tensorflow.keras``, ``tf.keras``, ``tf_keras``,
    ``from tensorflow import keras``) spells the word, and star imports and aliases
    come through such an import. A snippet without imports is read too (:func:`is_keras_snippet`), and so is a file
    that imports the blocks of TensorFlow's pix2pix tutorial module (``tensorflow_examples``: they build models).
    """
    return "keras" in text or "tensorflow_examples" in text or is_keras_snippet(text)


_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t]", re.MULTILINE)
_KERAS_CALL = re.compile(r"\b(?:Sequential|Model|Input|Dense|Conv[123]D|LSTM|GRU|Embedding)\s*\(")
_KERAS_CALL_BYTES = re.compile(_KERAS_CALL.pattern.encode())


def is_keras_snippet(text: str) -> bool:
    """A file with no imports at all that calls Keras's names (``Sequential()``, ``Dense(...)``): code
    pasted without its imports, read as if it began with ``from keras.layers import *`` (note KC904)."""
    return not _IMPORT_LINE.search(text) and bool(_KERAS_CALL.search(text))


class NotebookPositions:
    """Where a notebook's cell text is in the ``.ipynb`` file itself: for SARIF and GitHub annotations,
    which point into the file as it is on disk (a JSON document), not into a cell.

    A cell line ``source: ["x = 1\\n", "y = Dense(2)(x)\\n"]`` is a JSON string on a line of the file;
    a position in the cell maps to the line of the file that holds that string and the column of the
    character in it (escapes such as ``\\"`` counted as written).
    """

    def __init__(self, raw: str) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        #: cell (1-based, every cell counted) -> (raw offset of each character of its source, its text)
        self._cells: Dict[int, Tuple[List[int], str]] = {}
        strings: Dict[int, List[int]] = {}
        try:
            _scan(raw, _skip_ws(raw, 0), (), strings)
        except (ValueError, IndexError, RecursionError):
            return
        for cell, starts in strings.items():
            offsets: List[int] = []
            text: List[str] = []
            end = 0
            for start in starts:
                chars, end = _string_offsets(raw, start)
                offsets.extend(chars)
                text.append(json.loads(raw[start:end + 1]))
            offsets.append(end)  # the closing quote: just past the last character
            self._cells[cell] = (offsets, "".join(text))

    def locate(self, cell: int, line: int, column: int) -> Optional[Tuple[int, int]]:
        """(line, column) in the file, 1-based, of ``column`` on ``line`` of ``cell``; None if unknown."""
        found = self._cells.get(cell)
        if found is None:
            return None
        offsets, text = found
        start = 0
        for _ in range(line - 1):
            start = text.find("\n", start) + 1
            if start == 0:
                return None
        index = min(start + column - 1, len(offsets) - 1)
        offset = offsets[index]
        row = bisect.bisect_right(self._line_starts, offset)
        return row, offset - self._line_starts[row - 1] + 1


_WS = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def _skip_ws(raw: str, i: int) -> int:
    return _WS.match(raw, i).end()  # type: ignore[union-attr]


def _scan(raw: str, i: int, path: Tuple, strings: Dict[int, List[int]]) -> int:
    """Skip one JSON value at ``i``, noting where the strings of ``cells[k].source`` start; returns its end."""
    c = raw[i]
    if c == "{":
        i = _skip_ws(raw, i + 1)
        while raw[i] != "}":
            key, i = json.decoder.scanstring(raw, i + 1)  # type: ignore[attr-defined]
            i = _skip_ws(raw, i)
            if raw[i] != ":":
                raise ValueError("':' expected")
            i = _skip_ws(raw, _scan(raw, _skip_ws(raw, i + 1), path + (key,), strings))
            if raw[i] == ",":
                i = _skip_ws(raw, i + 1)
        return i + 1
    if c == "[":
        i = _skip_ws(raw, i + 1)
        index = 0
        while raw[i] != "]":
            i = _skip_ws(raw, _scan(raw, i, path + (index,), strings))
            index += 1
            if raw[i] == ",":
                i = _skip_ws(raw, i + 1)
        return i + 1
    if c == '"':
        if path[:1] == ("cells",) and len(path) in (3, 4) and path[2] == "source":
            strings.setdefault(path[1] + 1, []).append(i)
        return json.decoder.scanstring(raw, i + 1)[1]  # type: ignore[attr-defined]
    m = _SCALAR.match(raw, i)
    if m is None:
        raise ValueError(f"unexpected {c!r}")
    return m.end()


def _string_offsets(raw: str, quote: int) -> Tuple[List[int], int]:
    """The offset in ``raw`` of each character of the JSON string opening at ``quote``, and of its closing quote."""
    offsets = []
    i = quote + 1
    while raw[i] != '"':
        offsets.append(i)
        if raw[i] != "\\":
            i += 1
        elif raw[i + 1] != "u":
            i += 2
        elif 0xD800 <= int(raw[i + 2:i + 6], 16) < 0xDC00 and raw.startswith("\\u", i + 6):
            i += 12  # a surrogate pair is one character
        else:
            i += 6
    return offsets, i
