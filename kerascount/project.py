"""Where the analysed project's own modules are: the files an ``import`` of the project reads.

kerascount never imports user code, but it does read (and interpret) the modules of the analysed
project that a file imports. They are found as pyright and ruff find first-party code, not as the
interpreter at run time would (``python examples/train.py`` sees only ``examples/`` unless the
project is installed):

- ``from .x import y`` (relative): in the importing file's package, as Python does;
- ``import pkg.mod`` (absolute): in the importing file's folder, then in each folder above it up to
  the project root, then in ``src/`` of the root, then in the folders the file adds to ``sys.path`` with a
  literal relative path (``sys.path.append('../modules')``), read from the file's folder (a script run
  where it lies) and kept only inside the root.

The project root of a file is the nearest folder at or above it that holds ``pyproject.toml``,
``setup.py``, ``setup.cfg`` or ``.git``; without one, the folder given on the command line that
holds the file; without that either, only the file's own folder is searched. Nothing outside the
root is read. The roots found are kept for the run (:func:`new_run` starts one).
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Set, Tuple
from .nodes import walk_list

#: What marks the root of a project (as pyright, ruff and setuptools look for it).
MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

#: The folders named on the command line (absolute), the outermost first.
_given: Tuple[str, ...] = ()
#: folder -> the nearest folder at or above it with a marker ('' when none): kept for a run.
_marked: Dict[str, str] = {}
_CACHE_LIMIT = 4096


#: real path -> (size, mtime, text, tree, its nodes) of the project modules parsed in this run.
_parsed: Dict[str, Tuple[int, int, str, Any, Tuple[Any, ...]]] = {}
_PARSED_BYTES = 20_000_000


#: real path -> (whether that project module says "keras", the project modules it imports when it does not).
_reaches: Dict[str, Tuple[bool, List[str]]] = {}
#: real paths of project modules none of whose imports, followed to the end, says "keras" (found by a
#: ``reaches_keras`` search that looked at every module it met): later searches do not follow them again.
_no_keras: Set[str] = set()
#: real paths of project modules that say "keras" or import, directly or not, one that does.
_to_keras: Set[str] = set()
#: (folder, dotted name) -> the files among ``name.py`` and ``name/__init__.py`` there, as found in this run (the
#: language server forgets them before each analysis, with the roots: a module may have been created meanwhile).
_files: Dict[Tuple[str, str], Tuple[str, ...]] = {}
#: path of a module found -> its real path, in this run (forgotten with _files).
_real: Dict[str, str] = {}
#: (search path, dotted name) -> the first two files ``import name`` finds there (forgotten with _files).
_absolute: Dict[Tuple[Tuple[str, ...], str], Tuple[str, ...]] = {}

#: ``import a.b, c`` and ``from ..a import b, c`` at the start of a line (a cheap look, before any parse).
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]+\(?([\w., \t]*)"
                     r"|import[ \t]+([\w., \t]+))", re.MULTILINE)
#: How many project modules one search follows import chains through to find one that says "keras" (what earlier
#: searches of the run found is not looked at again, so a whole tree costs about one look at each module).
_REACH_MODULES = 5000
_MAX_READ = 2_000_000


def new_run(paths: Iterable[str] = ()) -> None:
    """Start a run over ``paths`` (files and folders, as given on the command line): forget the roots found
    before, and take the folders among ``paths`` as roots of the files under them that have no marker."""
    global _given
    _marked.clear()
    _parsed.clear()
    _reaches.clear()
    _no_keras.clear()
    _to_keras.clear()
    _files.clear()
    _real.clear()
    _absolute.clear()
    _given = tuple(sorted({os.path.abspath(p) for p in paths if os.path.isdir(p)}, key=len))


def forget_roots() -> None:
    """Forget the roots found so far (not the parsed modules, which are checked against their files):
    the language server calls it before each analysis, so a marker added while it runs is seen; nor which project
    modules say "keras" (``reaches_keras``), as a module edited meanwhile may have started to."""
    _marked.clear()
    _reaches.clear()
    _no_keras.clear()
    _to_keras.clear()
    _files.clear()
    _real.clear()
    _absolute.clear()


def root_of(folder: str) -> Optional[str]:
    """The project root of the files in ``folder`` (absolute), or None when there is none."""
    marked = _marked_root(folder)
    if marked:
        return marked
    for given in reversed(_given):  # the nearest folder given on the command line that holds this one
        if folder == given or folder.startswith(given.rstrip(os.sep) + os.sep):
            return given
    return None


def _marked_root(folder: str) -> str:
    seen: List[str] = []
    here, found = folder, ""
    while True:
        if here in _marked:
            found = _marked[here]
            break
        seen.append(here)
        if any(os.path.exists(os.path.join(here, m)) for m in MARKERS):
            found = here
            break
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    if len(_marked) + len(seen) > _CACHE_LIMIT:
        _marked.clear()
    for f in seen:
        _marked[f] = found
    return found


def search_path(importer: str) -> List[str]:
    """The folders an absolute import of ``importer`` (a file) is looked for in, in order."""
    folder = os.path.dirname(os.path.abspath(importer))
    root = root_of(folder)
    out = [folder]
    if root is None or not (folder + os.sep).startswith(root.rstrip(os.sep) + os.sep):
        return out
    here = folder
    while here != root:
        here = os.path.dirname(here)
        out.append(here)
    out.append(os.path.join(root, "src"))
    inside = root.rstrip(os.sep) + os.sep
    for added in _sys_path_literals(importer):
        where = os.path.normpath(os.path.join(folder, added))
        if (where + os.sep).startswith(inside) and where not in out:
            out.append(where)
    return out


#: ``sys.path.append('../modules')`` / ``sys.path.insert(0, "lib")`` (in a notebook's JSON too: quotes escaped).
_SYS_PATH = re.compile(r"sys\.path\.(?:append|insert)\(\s*(?:\d+\s*,\s*)?\\?['\"]([^'\"\\]+)\\?['\"]\s*\)")
#: importer -> (size, mtime, the relative folders its text adds to sys.path).
_sys_paths: Dict[str, Tuple[int, int, Tuple[str, ...]]] = {}


def _sys_path_literals(importer: str) -> Tuple[str, ...]:
    """The relative folders ``importer``'s text adds to ``sys.path`` as string literals (absolute ones aside)."""
    try:
        st = os.stat(importer)
    except OSError:
        return ()
    kept = _sys_paths.get(importer)
    if kept is not None and kept[:2] == (st.st_size, int(st.st_mtime_ns)):
        return kept[2]
    found: Tuple[str, ...] = ()
    if st.st_size <= _MAX_READ:
        try:
            with open(importer, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        if "sys.path" in text:
            found = tuple(dict.fromkeys(p for p in _SYS_PATH.findall(text) if not os.path.isabs(p)))
    if len(_sys_paths) > _CACHE_LIMIT:
        _sys_paths.clear()
    _sys_paths[importer] = (st.st_size, int(st.st_mtime_ns), found)
    return found


def find_module(importer: str, dotted: str, level: int) -> Optional[str]:
    """The file of the project that ``import dotted`` (``level`` leading dots) in ``importer`` reads, or None.

    An absolute import is the first ``dotted`` found in the folders of :func:`search_path`. (The
    importer's own folder comes first even inside a package, as Python 2's implicit relative imports
    and a script's ``sys.path[0]`` have it; where it does not hold the whole of ``dotted``, as in
    ``tcn/__init__.py`` importing ``tcn.tcn``, the search goes on above it.)
    """
    if not importer or not os.path.isfile(importer):
        return None
    return _find(importer, dotted, level, None)


def _find(importer: str, dotted: str, level: int, folders: Optional[Tuple[str, ...]]) -> Optional[str]:
    """:func:`find_module` of an importer known to be a file; ``folders``: its :func:`search_path`, when known.
    An absolute import's first two files in those folders are looked for once per run (``_absolute``)."""
    if level:
        base = os.path.dirname(os.path.abspath(importer))
        for _ in range(level - 1):
            base = os.path.dirname(base)
        return _module_in(base, dotted, importer)
    if folders is None:
        folders = tuple(search_path(importer))
    hit = _absolute.get((folders, dotted))
    if hit is None:
        hit = _absolute[(folders, dotted)] = _candidates(folders, dotted)
    me = os.path.abspath(importer) if hit else ""
    return next((c for c in hit if c != me), None)


def reaches_keras(importer: str, text: str) -> Tuple[bool, bool]:
    """For a file that never says "keras" (the prefilter, files.may_define_models): whether it imports a module of
    the project that does, directly or through other project modules (``from model import build_unet`` in a
    ``train.py`` that only calls it and fits), and whether it imports any project module at all (then what it
    reports depends on those files too). Found by reading import lines, not by parsing; at most
    ``_REACH_MODULES`` modules are looked at."""
    imported = _imported(importer, text)
    todo = [p for p in imported if p not in _no_keras]
    if any(p in _to_keras for p in todo):
        return True, True
    came_from: Dict[str, Optional[str]] = dict.fromkeys(todo)
    complete = True
    at = 0
    while at < len(todo):
        path = todo[at]
        at += 1
        says, imports = _module_imports(path)
        if says or path in _to_keras:
            while path is not None:  # the chain that led here reaches Keras too
                _to_keras.add(path)
                path = came_from[path]
            return True, True
        for p in imports:
            if p not in came_from and p not in _no_keras:
                if len(came_from) >= _REACH_MODULES:
                    complete = False
                    continue
                came_from[p] = path
                todo.append(p)
    if complete:
        # Every module met was looked at: none says "keras", nor does any module it imports.
        if len(_no_keras) > 4 * _CACHE_LIMIT:
            _no_keras.clear()
        _no_keras.update(came_from)
    return False, bool(imported)


def _imported(importer: str, text: str) -> List[str]:
    """The project modules the import lines of ``text`` name (a ``from m import n`` also names submodule m.n)."""
    out: List[str] = []
    if not importer or not os.path.isfile(importer):
        return out
    folders: Optional[Tuple[str, ...]] = None  # (its search path: read once, at its first absolute import)
    for m in _import_lines(text):
        dots, module, names, plain = m.groups()
        if plain is not None:
            wanted = [(0, n.split()[0]) for n in plain.split(",") if n.strip()]
        else:
            level = len(dots or "")
            wanted = [(level, module)] if module or level else []
            for n in (names or "").split(","):
                n = n.strip().split()[0] if n.strip() else ""
                if n and n != "*":
                    wanted.append((level, f"{module}.{n}" if module else n))
        for level, dotted in wanted:
            if not level and folders is None:
                folders = tuple(search_path(importer))
            path = _find(importer, dotted, level, folders)
            if path is not None:
                path = _real.get(path) or _real.setdefault(path, os.path.realpath(path))
                if path not in out:
                    out.append(path)
    return out


def _module_imports(path: str) -> Tuple[bool, List[str]]:
    """(whether the project module at ``path`` says "keras", the project modules it imports), kept for the run."""
    hit = _reaches.get(path)
    if hit is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read(_MAX_READ)
        except OSError:
            text = ""
        says = "keras" in text
        hit = (says, [] if says else _imported(path, text))
        if len(_reaches) > _CACHE_LIMIT:
            _reaches.clear()
        _reaches[path] = hit
    return hit


def _import_lines(text: str) -> Iterator["re.Match[str]"]:
    """``_IMPORT.finditer(text)``, found faster: only the lines that hold the word "import" are matched."""
    line = -1
    at = text.find("import")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if start != line:
            line = start
            m = _IMPORT.match(text, start)
            if m is not None:
                yield m
        at = text.find("import", at + 6)


def _candidates(folders: Tuple[str, ...], dotted: str) -> Tuple[str, ...]:
    """The first two files of the project that ``import dotted`` finds in ``folders`` (the first is taken unless it
    is the importer itself), as absolute paths."""
    out: List[str] = []
    for base in folders:
        for candidate in _files_at(base, dotted):
            out.append(os.path.abspath(candidate))
            if len(out) == 2:
                return tuple(out)
    return tuple(out)


def _module_in(base: str, dotted: str, importer: str) -> Optional[str]:
    for candidate in _files_at(base, dotted):
        if os.path.abspath(candidate) != os.path.abspath(importer):
            return candidate
    return None


def _files_at(base: str, dotted: str) -> Tuple[str, ...]:
    """The files among ``dotted``'s ``.py`` and ``__init__.py`` under ``base`` (looked for once in a run)."""
    found = _files.get((base, dotted))
    if found is None:
        target = os.path.join(base, *dotted.split(".")) if dotted else base
        found = tuple(c for c in (target + ".py", os.path.join(target, "__init__.py")) if os.path.isfile(c))
        if len(_files) > 16 * _CACHE_LIMIT:
            _files.clear()
            _real.clear()
            _absolute.clear()
        _files[(base, dotted)] = found
    return found


def file_tree(path: str, text: str) -> Any:
    """The tree ``parsed_module`` keeps for the file at ``path`` when it was parsed from this very text by the parse
    of a file's analysis (``extract._cpython_parse``; the parse marks such a tree), else None: the analysis of a
    project module that an earlier file imported does not parse it again. The tree is shared, as
    ``parsed_module``'s are (what is kept on its nodes is computed from each node alone)."""
    try:
        hit = _parsed.get(os.path.realpath(path))
    except (OSError, ValueError):
        return None
    if hit is None or hit[2] != text or not getattr(hit[3], "_kc_file_parse", False):
        return None
    return hit[3]


def parsed_module(path: str, size: int, parse: Callable[[str], Any]) -> Tuple[str, Any, Tuple[Any, ...]]:
    """(text, tree, every node of the tree) of a project module of ``size`` bytes, parsed with ``parse`` once in
    a run while the file keeps its size and modification time: the many files of a project that import the
    same modules do not parse them again. The tree is shared: its readers must not change it. Raises what
    reading and ``parse`` raise. (What ``extract/collect.py``'s ``_per_node`` keeps on a node is computed from
    that node alone: the same for every reader.)"""
    key = os.path.realpath(path)
    mtime = os.stat(path).st_mtime_ns
    hit = _parsed.get(key)
    if hit is not None and hit[0] == size and hit[1] == mtime:
        return hit[2], hit[3], hit[4]
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    tree = parse(text)
    nodes = tuple(walk_list(tree))
    if sum(len(v[2]) for v in _parsed.values()) + len(text) > _PARSED_BYTES:
        _parsed.clear()
    _parsed[key] = (size, mtime, text, tree, nodes)
    return text, tree, nodes
