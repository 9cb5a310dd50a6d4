"""Finding and reading the files to analyse. Never raises on a bad file: it says what is wrong."""

from __future__ import annotations

import io
import os
import re
import tokenize
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

from .config import Config
from .notebook import CellMap, code_of

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(frozen=True)
class Source:
    path: str
    text: Optional[str]
    #: Why the file could not be read (text is None then).
    error: Optional[str] = None
    #: For a notebook: where each line of ``text`` comes from.
    cells: Optional[CellMap] = None


def discover(paths: Sequence[str], cfg: Config) -> Tuple[List[str], List[str]]:
    """Files to analyse (sorted, unique) and problems with the given paths."""
    found: List[str] = []
    problems: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path, cfg))
        elif os.path.lexists(path):
            if not os.path.exists(path):
                problems.append(f"{path}: broken symbolic link")
            else:
                found.append(path)
        else:
            problems.append(f"{path}: no such file or directory")
    seen = set()
    unique = []
    for f in found:
        key = os.path.normcase(os.path.abspath(f))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def _walk(root: str, cfg: Config) -> Iterator[str]:
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
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if name.startswith(".") or cfg.excluded(entry.path) or os.path.exists(
                        os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                subdirs.append(entry.path)
            elif name.endswith(SOURCE_SUFFIXES) and not cfg.excluded(entry.path):
                yield _clean(entry.path)
        stack.extend(reversed(subdirs))


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
    if b"keras" not in data and (b"import" in data or not _KERAS_CALL_BYTES.search(data)):
        # The prefilter, on bytes: a file that never says "keras" has nothing to report (unless it is
        # Keras code without imports: see is_keras_snippet).
        return Source(path, "")
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
    come through such an import. A snippet without imports is read too (:func:`is_keras_snippet`).
    """
    return "keras" in text or is_keras_snippet(text)


_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t]", re.MULTILINE)
_KERAS_CALL = re.compile(r"\b(?:Sequential|Model|Input|Dense|Conv[123]D|LSTM|GRU|Embedding)\s*\(")
_KERAS_CALL_BYTES = re.compile(_KERAS_CALL.pattern.encode())


def is_keras_snippet(text: str) -> bool:
    """A file with no imports at all that calls Keras's names (``Sequential()``, ``Dense(...)``): code
    pasted without its imports, read as if it began with ``from keras.layers import *`` (note KC904)."""
    return not _IMPORT_LINE.search(text) and bool(_KERAS_CALL.search(text))
