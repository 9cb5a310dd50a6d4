"""Measure kerascount on a development corpus of real public Keras code.

The corpus lives outside the repository (default ``/work/corpus``); ``benchmarks/corpus.txt`` lists
where every file comes from: the repository, the commit and the paths.

Three steps::

    # 1. choose the files from fetched mirrors and write benchmarks/corpus.txt (maintainers only)
    python benchmarks/corpus.py --select /work/.mirror
    # 2. (re)materialise the corpus from the mirrors that corpus.txt names
    python benchmarks/corpus.py --fetch-from /work/.mirror
    # 3. run kerascount over it and report
    python benchmarks/corpus.py [--json OUT] [--limit N | --sample N] [--no-per-file]
    # (a hold-out: its own list in corpus.txt's format, and where it is materialised)
    python benchmarks/corpus.py --list HOLDOUT.txt --corpus DIR [--no-per-file]

Beside the files chosen, the corpus holds their **support files**: the modules of the same repository
that they import (relative imports and the repository's own packages, followed from import to import,
what the files need first, at most MAX_SUPPORT per repository or MAX_MODULE_SUPPORT where the
modules they import need more), so that a file is analysed with the project around it, as a user
who runs kerascount on a checkout has it; each repository folder gets an empty ``.git`` folder, the
root of that checkout. Support files are analysed too (they may build models); the report also
counts the models of the chosen files alone, which compare with reports made before support files.

A mirror is a git directory (bare or not) at ``MIRRORS/<owner>+<name>/repo`` (what the search
tool's ``fetch`` makes), ``MIRRORS/<owner>+<name>`` or ``MIRRORS/<owner>/<name>``.

What the report counts (see the "Development corpus" section of the README):

- a model is classified by the ``status`` field of kerascount's JSON (docs/json-schema.md):
  ``exact`` (every shape and count is a number equal to real Keras), ``symbolic`` (counts are
  expressions of names the source does not resolve), ``unbuilt`` (no input shape: Keras itself has
  no numbers yet) and ``unknown`` (some number could not be determined; ``reasons`` say why).
  A model whose status and numbers disagree (``exact`` with a null or string total, trainable or
  non-trainable count) is listed as inconsistent.
- the reasons of unknown and unbuilt models are grouped after normalisation: quoted text, numbers
  and identifiers that follow words like "name"/"of" become placeholders, so that "Dense(y.shape[1])"
  and "Dense(X.shape[2])" fall into one group. Each group shows a count and an example file:line.
- internal errors: kerascount's "internal error in PATH" messages, any diagnostic in KC9xx other
  than KC901 (unresolved model), KC902 (analysis limit) and KC904 (names read as Keras's), and a kerascount process that crashes
  or times out (the files of that run are then retried in halves to find the culprit).
- analysis-limit hits: KC902 diagnostics.
- speed: one kerascount process (``--jobs 1 --no-cache``) over all the files, against the
  ``ast.parse`` floor of the very texts kerascount analyses (a notebook's code cells as kerascount
  reads them), and per file the slowest ten (timed by a second process that calls
  ``kerascount.api.analyze_file`` per file, with the garbage collector set as the command line's run sets
  it; ``--no-per-file`` skips it). Times are CPU seconds
  (user + system of the process), so that a busy shared machine changes them less; wall time is shown
  beside. kerascount's limits are counted in steps; its 120-second wall-clock guard is a last resort (KC902 says so).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import posixpath
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "benchmarks" / "corpus.txt"
DEFAULT_CORPUS = Path("/work/corpus")
MAX_BYTES = 1_500_000  # a bigger .py/.ipynb is a data file or a notebook full of pictures

# What --select takes: (repository, revision, path prefixes ("" = all), most files kept).
# The cap keeps any one repository well under a quarter of the corpus.
SOURCES: Tuple[Tuple[str, str, Tuple[str, ...], int], ...] = (
    ("keras-team/keras-core", "HEAD", ("examples/",), 45),          # keras.io examples, keras_core
    ("keras-team/keras", "v3.0.0", ("examples/",), 30),              # keras.io examples, Keras 3
    ("keras-team/keras", "2.3.1", ("examples/",), 30),               # Keras 2 era
    ("keras-team/keras", "1.2.2", ("examples/",), 25),               # Keras 1 era
    ("keras-team/keras-applications", "HEAD", ("keras_applications/",), 20),
    ("keras-team/keras-contrib", "HEAD", ("examples/", "keras_contrib/applications/"), 20),
    ("fchollet/deep-learning-with-python-notebooks", "HEAD", ("",), 35),
    ("fchollet/deep-learning-models", "HEAD", ("",), 10),
    ("ageron/handson-ml2", "HEAD", ("",), 15),
    ("ageron/handson-ml3", "HEAD", ("",), 15),
    ("rasbt/python-machine-learning-book-3rd-edition", "HEAD", ("",), 15),
    ("jeffheaton/t81_558_deep_learning", "HEAD", ("",), 30),
    ("Hvass-Labs/TensorFlow-Tutorials", "HEAD", ("",), 20),
    ("aymericdamien/TensorFlow-Examples", "HEAD", ("",), 15),
    ("dragen1860/TensorFlow-2.x-Tutorials", "HEAD", ("",), 30),
    ("tensorflow/docs", "HEAD", ("site/en/",), 35),
    ("tensorflow/examples", "HEAD", ("",), 25),
    ("mrdbourke/tensorflow-deep-learning", "HEAD", ("",), 15),
    ("leriomaggio/deep-learning-keras-tensorflow", "HEAD", ("",), 20),
    ("udacity/deep-learning", "HEAD", ("",), 15),
    ("sachinruk/deepschool.io", "HEAD", ("",), 20),
    ("MorvanZhou/tutorials", "HEAD", ("",), 15),
    ("lazyprogrammer/machine_learning_examples", "HEAD", ("",), 30),
    ("PacktPublishing/Advanced-Deep-Learning-with-Keras", "HEAD", ("",), 30),
    ("PacktPublishing/Deep-Learning-with-Keras", "HEAD", ("",), 25),
    ("GoogleCloudPlatform/keras-idiomatic-programmer", "HEAD", ("",), 35),
    ("IMvision12/KerasFormers", "HEAD", ("",), 25),
    ("qubvel/segmentation_models", "HEAD", ("",), 15),
    ("divamgupta/image-segmentation-keras", "HEAD", ("",), 15),
    ("zhixuhao/unet", "HEAD", ("",), 5),
    ("jocicmarko/ultrasound-nerve-segmentation", "HEAD", ("",), 5),
    ("titu1994/DenseNet", "HEAD", ("",), 8),
    ("titu1994/Keras-ResNeXt", "HEAD", ("",), 4),
    ("raghakot/keras-resnet", "HEAD", ("",), 3),
    ("rcmalli/keras-vggface", "HEAD", ("",), 6),
    ("oarriaga/face_classification", "HEAD", ("",), 10),
    ("oarriaga/SSD-keras", "HEAD", ("",), 15),
    ("qqwweee/keras-yolo3", "HEAD", ("",), 8),
    ("experiencor/keras-yolo2", "HEAD", ("",), 8),
    ("david8862/keras-YOLOv3-model-set", "HEAD", ("",), 25),
    ("fizyr/keras-retinanet", "HEAD", ("",), 12),
    ("yu4u/age-gender-estimation", "HEAD", ("",), 8),
    ("philipperemy/keras-tcn", "HEAD", ("",), 15),
    ("basveeling/wavenet", "HEAD", ("",), 4),
    ("farizrahman4u/seq2seq", "HEAD", ("",), 5),
    ("CyberZHG/keras-bert", "HEAD", ("",), 10),
    ("chen0040/keras-text-summarization", "HEAD", ("",), 15),
    ("bstriner/keras-adversarial", "HEAD", ("",), 15),
    ("keras-rl/keras-rl", "HEAD", ("",), 20),
    ("garethjns/reinforcement-learning-keras", "HEAD", ("",), 20),
    ("few-shot-learning/Keras-FewShotLearning", "HEAD", ("",), 20),
    ("anujshah1003/own_data_cnn_implementation_keras", "HEAD", ("",), 2),
    ("JS0909/Keras-ML", "HEAD", ("",), 30),                        # student exercise scripts
    ("DJSull93/keras_new", "HEAD", ("",), 25),
    ("variablejun/keras4", "HEAD", ("",), 25),
    ("SEONGMIN-96/KERAS_STUDY", "HEAD", ("",), 25),
)

BUILDS_MODEL = re.compile(rb"\b(Sequential|Model)\s*\(|\bInput\s*\(|\.add\s*\(|\bapplications\.")


# ---------------------------------------------------------------------------------------- mirrors
def git_dir(mirrors: Path, repo: str) -> Optional[Path]:
    owner, name = repo.split("/")
    for base in (mirrors / f"{owner}+{name}" / "repo", mirrors / f"{owner}+{name}", mirrors / owner / name):
        for cand in (base / ".git", base):
            if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
                return cand
    return None


def git(gdir: Path, *args: str, data: Optional[bytes] = None) -> bytes:
    r = subprocess.run(["git", "--git-dir", str(gdir), *args], input=data, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {gdir}: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def ls_tree(gdir: Path, commit: str) -> List[str]:
    """``git ls-tree -r -l`` rows of ``commit``, paths as they are: ``-z`` (git otherwise quotes a path that holds
    non-ASCII characters, ``"\346\225\260.py"``, which then ends in neither .py nor .ipynb)."""
    return [row for row in git(gdir, "ls-tree", "-r", "-l", "-z", commit).decode("utf-8", "replace").split("\0") if row]


def blobs(gdir: Path, commit: str, paths: Sequence[str]) -> Iterable[Tuple[str, Optional[bytes]]]:
    """(path, content or None when the mirror lacks it) of each path at commit, with one ``git cat-file --batch``."""
    if not paths:
        return
    out = git(gdir, "cat-file", "--batch", data="".join(f"{commit}:{p}\n" for p in paths).encode())
    pos = 0
    for p in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if header[-1] == b"missing":
            yield p, None
            pos = end + 1
            continue
        size = int(header[2])
        yield p, out[end + 1:end + 1 + size]
        pos = end + 1 + size + 1


# ---------------------------------------------------------------------------------------- the list
@dataclass
class Entry:
    repo: str
    commit: str
    folder: str
    paths: List[str] = field(default_factory=list)
    #: Project modules the files above import (support files, see :func:`imported_modules`).
    support: List[str] = field(default_factory=list)


LIST_HEADER = """\
# The development corpus of benchmarks/corpus.py: real public Keras code, kept outside the repository.
# Format: a line "<owner>/<name> <commit> <number of files> <folder>" starts a repository (at one
# commit); the indented lines after it are the paths used at that commit, each materialised as
# <corpus>/<folder>/<path>. A repository may appear once per commit. '#' starts a comment.
# An indented line "+ <path>" is a support file: a module of the same repository that the files
# import (relative imports and the repository's own packages, followed transitively), kept so that
# the project is analysed as a user's checkout would be; the count on the repository line leaves
# support files out. Each <folder> also gets an empty .git folder: the root of the checkout.
# Rebuild: python benchmarks/corpus.py --fetch-from MIRRORS  (the mirrors of the repositories below)
"""


def read_list(path: Optional[Path] = None) -> List[Entry]:
    path = path or LIST
    entries: List[Entry] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0].isspace():
            line = raw.strip()
            if line.startswith("+ "):
                entries[-1].support.append(line[2:].strip())
            else:
                entries[-1].paths.append(line)
        else:
            repo, commit, count, folder = raw.split()
            entries.append(Entry(repo, commit, folder))
            entries[-1].expected = int(count)  # type: ignore[attr-defined]
    for e in entries:
        if len(e.paths) != e.expected:  # type: ignore[attr-defined]
            raise SystemExit(f"{path}: {e.repo} says {e.expected} files but lists {len(e.paths)}")  # type: ignore[attr-defined]
    return entries


def write_list(entries: Sequence[Entry], path: Optional[Path] = None) -> None:
    path = path or LIST
    lines = [LIST_HEADER.rstrip("\n")]
    total = sum(len(e.paths) for e in entries)
    support = sum(len(e.support) for e in entries)
    lines.append(f"# {total} files from {len({e.repo for e in entries})} repositories, and {support} support files")
    for e in entries:
        lines.append(f"{e.repo} {e.commit} {len(e.paths)} {e.folder}")
        lines.extend(f"    {p}" for p in e.paths)
        lines.extend(f"    + {p}" for p in e.support)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------- support files
#: Support files: at most this many per repository, found at most this many imports away from a listed file.
MAX_SUPPORT = 80
#: ... and at most this many when the modules the files import (not counting what packages import) need more.
MAX_MODULE_SUPPORT = 120
MAX_HOPS = 4
#: Top-level modules never taken from a repository's own tree: Keras itself and the libraries kerascount
#: knows (an example of the keras repository imports the installed Keras, not the source beside it).
NOT_PROJECT = {"keras", "keras_core", "tf_keras", "keras_nlp", "keras_hub", "tensorflow", "numpy", "__future__"}


def _imports(data: bytes, path: str) -> List[Tuple[int, str, Tuple[str, ...]]]:
    """(level, module, imported names) of every import in a file, a notebook's code cells included."""
    texts: List[str] = []
    text = data.decode("utf-8", "replace")
    if path.endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError):
            return []
        for cell in cells if isinstance(cells, list) else []:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                src = cell.get("source", "")
                src = "".join(src) if isinstance(src, list) else str(src)
                texts.append("\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!"))))
    else:
        texts.append(text)
    out: List[Tuple[int, str, Tuple[str, ...]]] = []
    for t in texts:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(t)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                out.extend((0, a.name, ()) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                out.append((node.level or 0, node.module or "", tuple(a.name for a in node.names)))
    return out


def _resolve(py: set, importer: str, level: int, module: str, names: Sequence[str]) -> List[str]:
    """The files of the repository (``py``: its .py paths) that an import of ``importer`` runs, found as
    kerascount finds them: a relative import in the importer's package; an absolute one in the importer's
    folder, then each folder above it up to the repository root, then ``src/``. The packages on the way
    (their ``__init__.py``; a folder without one is a namespace package) and imported names that are
    submodules count too."""
    parts = module.split(".") if module else []
    here = posixpath.dirname(importer)
    if level:
        for _ in range(level - 1):
            if not here:
                return []
            here = posixpath.dirname(here)
        bases = [here]
    else:
        if not parts or parts[0] in NOT_PROJECT:
            return []
        bases = [here]
        while here:
            here = posixpath.dirname(here)
            bases.append(here)
        bases.append("src")
    for base in bases:
        found: List[str] = []
        for i in range(1, len(parts) + 1):
            stem = posixpath.join(base, *parts[:i])
            hit = next((c for c in (stem + ".py", stem + "/__init__.py") if c in py), None)
            if hit is None and i < len(parts) and any(p.startswith(stem + "/") for p in py):
                continue  # a folder without __init__.py: a namespace package (Python 3), as yolo3/models
            if hit is None:
                break
            found.append(hit)
        else:
            stem = posixpath.join(base, *parts)
            if not parts:  # from . import x: the package itself
                init = posixpath.join(stem, "__init__.py")
                found.extend([init] if init in py else [])
            for name in names:
                sub = posixpath.join(stem, name)
                found.extend(c for c in (sub + ".py", sub + "/__init__.py") if c in py)
            if found or not parts:
                return found
    return []


def _package_target(hits: Sequence[str], level: int, module: str) -> Optional[str]:
    """Of the files an import runs (:func:`_resolve`), the package ``__init__.py`` it imports names from,
    if the import's module is a package (not a parent package on the way)."""
    tail = "/".join(module.split(".")) if module else ""
    for hit in hits:
        if hit.endswith("__init__.py"):
            folder = posixpath.dirname(hit)
            if (folder == tail or folder.endswith("/" + tail)) if tail else level and hit == hits[0]:
                return hit
    return None


def support_files(gdir: Path, commit: str, paths: Sequence[str]) -> List[str]:
    """The modules of the repository that ``paths`` import, transitively (at most :data:`MAX_HOPS` imports
    away, :data:`MAX_SUPPORT` files or those the modules need up to :data:`MAX_MODULE_SUPPORT`), .py files
    only, not those in ``paths``.

    What the files need comes first: the imports of modules, and those of a package's ``__init__.py``
    that give the names imported from the package. Then, with the room left, everything the packages
    taken import (often every module of the package, re-exported). (KerasFormers: its ``__init__.py``
    files import some 700 modules, and a first-come cap of 80 left out the base class module that every
    model file imports through ``base_model.py``.)"""
    rows = ls_tree(gdir, commit)
    py = set()
    for row in rows:
        meta, path = row.split("\t", 1)
        size = meta.split()[3]
        if meta.split()[1] == "blob" and path.endswith(".py") and size.isdigit() and int(size) <= MAX_BYTES:
            py.add(path)
    listed = set(paths)
    # first what is needed (names: None = every import of a module; a set = those giving these names)
    needed: Dict[str, Optional[set]] = {p: None for p in paths}
    frontier = list(paths)
    for _ in range(MAX_HOPS):
        more: Dict[str, Optional[set]] = {}
        for path, data in blobs(gdir, commit, frontier):
            if data is None:
                continue
            want = needed.get(path)
            for level, module, names in _imports(data, path):
                if want is not None and not ("*" in names or want.intersection(names)):
                    continue
                hits = _resolve(py, path, level, module, names)
                target = _package_target(hits, level, module)
                for hit in hits:
                    names_wanted: Optional[set] = None
                    if hit.endswith("__init__.py"):
                        if hit != target:
                            names_wanted = set()  # a parent package on the way: run, not read from
                        elif want is None or "*" not in names:
                            names_wanted = set(names) if want is None else want.intersection(names)
                        else:
                            names_wanted = set(want)
                    old = needed.get(hit, more.get(hit, set()))
                    if hit in needed and (old is None or names_wanted is not None and names_wanted <= old):
                        continue
                    merged = None if old is None or names_wanted is None else old | names_wanted
                    more[hit] = merged
        for hit, names_wanted in more.items():
            needed[hit] = names_wanted
        frontier = sorted(more)
        if not frontier:
            break
    order = sorted((h for h in needed if h not in listed), key=lambda h: (h.endswith("__init__.py"), h))
    found: List[str] = sorted(order[:MAX_MODULE_SUPPORT])
    # then, with the room left, the rest of what the packages import
    frontier = [h for h in found if h.endswith("__init__.py")]
    for _ in range(MAX_HOPS):
        if len(found) >= MAX_SUPPORT or not frontier:
            break
        wanted: List[str] = []
        for path, data in blobs(gdir, commit, frontier):
            if data is None:
                continue
            for level, module, names in _imports(data, path):
                for hit in _resolve(py, path, level, module, names):
                    if hit not in listed and hit not in wanted and hit not in found:
                        wanted.append(hit)
        frontier = sorted(wanted)[:MAX_SUPPORT - len(found)]
        found.extend(frontier)
    return sorted(found)


def add_support(entries: Sequence[Entry], mirrors: Path) -> None:
    """Fill each entry's support files from its mirror."""
    for e in entries:
        gdir = git_dir(mirrors, e.repo)
        if gdir is None:
            raise SystemExit(f"no mirror of {e.repo} in {mirrors} (fetch github:{e.repo} first)")
        e.support = support_files(gdir, e.commit, e.paths)
        if e.support:
            print(f"{e.repo}: {len(e.support)} support files", file=sys.stderr)


def select(mirrors: Path, corpus: Path) -> int:
    """Choose the files (SOURCES), write corpus.txt and materialise them."""
    entries: List[Entry] = []
    missing = []
    seen_names: set = set()
    for repo, rev, prefixes, cap in SOURCES:
        gdir = git_dir(mirrors, repo)
        if gdir is None:
            missing.append(repo)
            continue
        commit = git(gdir, "rev-parse", f"{rev}^{{commit}}").decode().strip()
        rows = ls_tree(gdir, commit)
        candidates = []
        for row in rows:
            meta, path = row.split("\t", 1)
            kind, size = meta.split()[1], meta.split()[3]
            if kind != "blob" or not path.endswith((".py", ".ipynb")) or not path.startswith(prefixes):
                continue
            if not size.isdigit() or int(size) > MAX_BYTES or int(size) < 200:  # "BAD": not in the snapshot
                continue
            candidates.append(path)
        keep = []
        for path, data in blobs(gdir, commit, candidates):
            if data is not None and b"keras" in data and BUILDS_MODEL.search(data):
                keep.append(path)
        # keras.io examples appear in two repositories: keep each example once
        if repo.startswith("keras-team/keras") and rev != "HEAD" or repo == "keras-team/keras-core":
            keep = [p for p in keep if not ("keras_io" in p and Path(p).name in seen_names)]
        keep.sort(key=lambda p: hashlib.sha1(f"{repo} {p}".encode()).hexdigest())
        keep = sorted(keep[:cap])
        seen_names.update(Path(p).name for p in keep if "keras_io" in p)
        folder = repo.replace("/", "__") + ("" if rev == "HEAD" else f"@{rev}")
        if keep:
            entries.append(Entry(repo, commit, folder, keep))
        print(f"{repo}@{rev}: {len(keep)} of {len(candidates)} files", file=sys.stderr)
    if missing:
        print("not found in the mirrors (fetch them first): " + ", ".join(f"github:{m}" for m in missing),
              file=sys.stderr)
    add_support(entries, mirrors)
    write_list(entries)
    return materialise(entries, mirrors, corpus)


def refresh_support(mirrors: Path, corpus: Path) -> int:
    """Keep corpus.txt's chosen files, find their support files anew, rewrite corpus.txt and materialise."""
    entries = read_list()
    add_support(entries, mirrors)
    write_list(entries)
    return materialise(entries, mirrors, corpus)


def materialise(entries: Sequence[Entry], mirrors: Path, corpus: Path) -> int:
    missing = []
    written = 0
    for e in entries:
        gdir = git_dir(mirrors, e.repo)
        if gdir is None:
            missing.append(f"github:{e.repo} (commit {e.commit})")
            continue
        try:
            git(gdir, "cat-file", "-e", f"{e.commit}^{{commit}}")
        except RuntimeError:
            missing.append(f"github:{e.repo} (the mirror lacks commit {e.commit})")
            continue
        (corpus / e.folder / ".git").mkdir(parents=True, exist_ok=True)  # the checkout's root (see corpus.txt)
        for path, data in blobs(gdir, e.commit, e.paths + e.support):
            if data is None:
                missing.append(f"github:{e.repo} (the mirror lacks {path} at {e.commit})")
                continue
            dest = corpus / e.folder / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            written += 1
    support = sum(len(e.support) for e in entries)
    print(f"{written} files written under {corpus} ({support} of them support files)", file=sys.stderr)
    if missing:
        print("missing mirrors; fetch these and run again:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    return 0


def corpus_files(corpus: Path, entries: Sequence[Entry]) -> List[str]:
    """The listed files and their support files, as paths under ``corpus``."""
    files = [str(corpus / e.folder / p) for e in entries for p in e.paths + e.support]
    present = [f for f in files if os.path.isfile(f)]
    if len(present) < len(files):
        print(f"warning: {len(files) - len(present)} of {len(files)} listed files are not in {corpus} "
              f"(run --fetch-from MIRRORS)", file=sys.stderr)
    return present


# ---------------------------------------------------------------------------------------- running
LAST_CPU = 0.0  # CPU seconds (user + system) of the last kerascount process


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def kerascount(files: Sequence[str], timeout: float) -> Tuple[Optional[dict], str, float, Optional[str]]:
    """One ``kerascount summary --format json --no-cache --jobs 1`` over files.

    Returns (document or None, stderr, seconds, failure or None)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as cwd:  # nothing of a user configuration applies
        cpu0 = _children_cpu()
        t0 = time.perf_counter()
        try:
            r = subprocess.run([sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache",
                                "--jobs", "1", *files], capture_output=True, text=True, env=env, cwd=cwd,
                               timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
            return None, err, time.perf_counter() - t0, f"timed out after {timeout:.0f} s"
        took = time.perf_counter() - t0
    global LAST_CPU
    LAST_CPU = _children_cpu() - cpu0
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return None, r.stderr, took, f"exit {r.returncode}, no JSON: {r.stderr.strip()[-800:]}"
    return doc, r.stderr, took, None


RUN_CPU = 0.0  # CPU seconds of the kerascount run over all the files


def run_all(files: Sequence[str], timeout: float) -> Tuple[List[dict], str, float, List[Tuple[str, str]]]:
    """kerascount over all files in one process; if that process fails, halves until the culprits are found."""
    doc, err, took, failure = kerascount(files, timeout)
    global RUN_CPU
    RUN_CPU = LAST_CPU
    if failure is None:
        return doc["files"], err, took, []
    print(f"the run over {len(files)} files failed ({failure.splitlines()[0]}); bisecting", file=sys.stderr)
    results: List[dict] = []
    errs = [err]
    crashes: List[Tuple[str, str]] = []

    def go(chunk: Sequence[str]) -> None:
        doc, err, _, failure = kerascount(chunk, timeout if len(chunk) > 1 else min(timeout, 60))
        if failure is None:
            results.extend(doc["files"])
            errs.append(err)
        elif len(chunk) == 1:
            crashes.append((chunk[0], failure))
        else:
            go(chunk[: len(chunk) // 2])
            go(chunk[len(chunk) // 2:])

    go(files)
    return results, "".join(errs), took, crashes


#: The per-file timing process collects garbage as the command line's run does (``api.analyze_paths`` sets the
#: threshold for the whole run). With Python's default between files (``analyze_file`` sets it only while a file is
#: analysed), the reading of each next file triggered collections that moved the run's objects to the oldest
#: generation, and a full collection of about 1M objects (the project modules parsed, the caches: 1.35 s) fell in
#: whatever file was being analysed then (a student script analysed in 0.1 s was timed at 1.29 s).
PER_FILE = r"""
import gc, json, sys, time
from kerascount.api import GC_THRESHOLD, analyze_file
from kerascount.config import Config
from kerascount.files import read
cfg = Config()
gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
out = {}
for path in json.load(sys.stdin):
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        analyze_file(read(path), cfg)
    except BaseException as exc:
        out[path] = [time.process_time() - c0, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0]
        continue
    out[path] = [time.process_time() - c0, None, time.perf_counter() - t0]
print(json.dumps(out))
"""


def per_file_times(files: Sequence[str], timeout: float) -> Dict[str, List]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        r = subprocess.run([sys.executable, "-c", PER_FILE], input=json.dumps(list(files)), capture_output=True,
                           text=True, env=env, timeout=timeout)
        return json.loads(r.stdout)
    except (subprocess.TimeoutExpired, ValueError) as exc:
        print(f"per-file timing failed: {exc}", file=sys.stderr)
        return {}


def parse_floor(files: Sequence[str]) -> Tuple[float, float, int]:
    """(CPU seconds of ast.parse, seconds of reading, files ast rejects) over the texts kerascount analyses."""
    sys.path.insert(0, str(ROOT))
    from kerascount.files import read

    t0 = time.perf_counter()
    texts = [read(f).text for f in files]
    reading = time.perf_counter() - t0
    rejected = 0
    t0 = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            if text is None:
                continue
            try:
                ast.parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                rejected += 1
    return time.process_time() - t0, reading, rejected


# ---------------------------------------------------------------------------------------- the report
_LIBRARIES = ("numpy.", "np.", "keras.", "tf.", "tensorflow.", "K.", "pd.", "pandas.", "sklearn.", "hub.", "math.",
              "os.", "sys.", "random.", "scipy.", "cv2.", "tfds.", "jax.", "torch.", "keras_core.", "keras_nlp.",
              "keras_hub.", "layers.", "json.", "pickle.", "argparse.", "plt.", "Image.", "PIL.")
_ARGUMENTS = {"units", "filters", "shape", "input_shape", "input_dim", "kernel_size", "output_dim", "pool_size",
              "strides", "rate", "target_shape", "batch_input_shape", "batch_shape", "size", "axis", "padding",
              "activation", "dims", "input_length", "return_sequences", "num_heads", "key_dim", "cropping",
              "dilation_rate", "depth_multiplier", "n", "inputs", "outputs", "self", "weights", "include_top"}
_NUMBER = re.compile(r"(?<![\w.])\d[\d,_]*(\.\d+)?(e[+-]?\d+)?")


def _code(text: str, context: str) -> str:
    """What is kept of a piece of code quoted in a reason: library names, argument names, shapes."""
    text = text.strip()
    head = re.match(r"[A-Za-z_][\w.]*", text)
    name = head.group(0) if head else ""
    if name.startswith(_LIBRARIES):
        return name + ("(…)" if "(" in text[len(name):] else "")
    if text in _ARGUMENTS:
        return text
    if re.search(r"\blayer $", context) and text.isidentifier():  # layer `Lambda` is not in the catalogue
        return text
    if re.search(r"\.shape\b|^shape\b|\bint_shape\b", text):
        return _NUMBER.sub("N", re.sub(r"\b(?!shape\b)[A-Za-z_]\w*", "X", text))
    if context.endswith("loop over "):
        return text  # already normalised by _loop_targets
    return _expression(text)


_BUILTINS = {"range", "len", "zip", "enumerate", "sorted", "reversed", "int", "float", "list", "tuple", "dict",
             "max", "min", "sum", "map", "filter", "getattr", "super", "round", "abs", "set", "iter", "next", "open"}
_ATTRIBUTES = {"input", "output", "inputs", "outputs", "layers", "shape", "trainable", "output_shape", "input_shape",
               "get_layer", "build", "call", "weights", "units", "filters", "layer"}


def _expression(text: str) -> str:
    """A piece of code the analysis could not follow, without the file's own names."""
    head = re.match(r"[A-Za-z_][\w.]*", text)
    name = head.group(0) if head else ""
    rest = text[len(name):]
    if name in _BUILTINS:
        return name + ("(…)" if rest.startswith("(") else "")
    if "." in name:
        last = name.rsplit(".", 1)[1]
        suffix = "(…)" if rest.startswith("(") else ("[…]" if rest.startswith("[") else "")
        return ("X." + last if last in _ATTRIBUTES else "X.X") + suffix
    return "X(…)" if rest.startswith("(") else ("X[…]" if rest.startswith("[") else "X")


def _loop_targets(text: str) -> str:
    """``loop over <expression>``: the expression (balanced brackets, up to a space at depth 0) normalised."""
    out, pos = [], 0
    for m in re.finditer(r"\bloop over ", text):
        if m.start() < pos:
            continue
        i, depth = m.end(), 0
        while i < len(text) and not (depth == 0 and text[i] in " )"):
            depth += text[i] in "([{"
            depth -= text[i] in ")]}"
            i += 1
        out.append(text[pos:m.end()] + "`" + _expression(text[m.end():i]) + "`")
        pos = i
    out.append(text[pos:])
    return "".join(out)


def normalise(reason: str) -> str:
    """The group a reason falls into: its words, without the names and numbers of one file."""
    if reason.startswith("(no reason"):
        return reason
    text = reason
    while True:  # "nested model encoder: dense_3: ..." is the reason of the nested model
        m = re.match(r"nested model \S+: ", text)
        if not m:
            break
        text = text[m.end():]
    text = re.sub(r"^[a-z_][\w]*: ", "LAYER: ", text)
    text = re.sub(r"^\w+ is called ", "LAYER is called ", text)
    text = _loop_targets(text)
    out, pos = [], 0
    for m in list(re.finditer(r"`([^`]*)`", text)) + [None]:
        plain = text[pos:m.start() if m else len(text)]
        plain = re.sub(r"\b([A-Za-z_]\w*)\.(?=\w)", lambda d: d.group(0) if (d.group(1) + ".").startswith(_LIBRARIES)
                       else "X.", plain)
        out.append(_NUMBER.sub("N", plain))
        if m:
            out.append("`" + _code(m.group(1), text[:m.start()]) + "`")
            pos = m.end()
    text = "".join(out)
    return re.sub(r"\s+", " ", text).strip()


#: The cause of a model Keras 3 does not build at all: its code raises there (told apart in the report).
REJECTED = "Keras 3 rejects the code"
#: Coarse causes of unknown models, by words of the normalised reason; the first that matches.
CATEGORIES = (
    ("no reason given", ("(no reason given)",)),
    ("analysis limit", ("analysis stopped", "too long to unroll")),
    ("dimension from data", ("to_categorical", "cannot unpack", "is not followed", "shape` is not known",
                             "the values of", "`numpy.", "`np.", "a Tensor value", "input dimension is not known",
                             "`X[…]` is not known")),
    ("undecided condition", ("depends on the condition",)),
    ("trainable flags not followed", ("trainable",)),
    ("model or tensor passed to a function", ("passed to",)),
    ("loop not followed", ("loop over",)),
    (REJECTED, ("Keras rejects it", "rejects a TensorFlow function", "has no layer `", ", which Keras rejects")),
    ("layer not in the catalogue or not defined", ("not in the catalogue", "unknown layer", "not defined in this file",
                                                   "which is not a module of the analysed project")),
    ("inputs/outputs not known tensors", ("not known tensors", "not a known tensor", "`X.input` is not known",
                                         "`X.output` is not known", "`X.inputs` is not known")),
    ("a call not analysed", ("is not analysed", "builds the model on data")),
)


def category(group: str) -> str:
    for name, words in CATEGORIES:
        if any(w in group for w in words):
            return name
    return "other"


def model_class(m: dict) -> Tuple[str, Optional[str]]:
    """(status, inconsistency or None)."""
    status = m.get("status") or "unknown"
    total = m.get("total_params")
    counts = {k: m.get(k) for k in ("total_params", "trainable_params", "non_trainable_params")}
    if status == "exact" and not all(isinstance(v, int) for v in counts.values()):
        return status, f"status exact but {', '.join(f'{k} {v!r}' for k, v in counts.items() if not isinstance(v, int))}"
    if status == "symbolic" and not isinstance(total, (int, str)):
        return status, f"status symbolic but total_params is {total!r}"
    return status, None


def analyse(results: List[dict], stderr: str, crashes: List[Tuple[str, str]], corpus: Path,
            support: frozenset = frozenset()) -> dict:
    """The report; ``support``: the support files among the results' paths (also counted apart)."""
    def rel(p: str) -> str:
        try:
            return str(Path(p).relative_to(corpus))
        except ValueError:
            return p

    statuses: Counter = Counter()
    kinds: Counter = Counter()
    groups: Dict[str, Counter] = {"unknown": Counter(), "unbuilt": Counter()}
    examples: Dict[Tuple[str, str], str] = {}
    raw_examples: Dict[Tuple[str, str], str] = {}
    inconsistent = []
    limits = []
    internal = []
    caveats: Counter = Counter()
    categories: Counter = Counter()
    codes: Counter = Counter()
    with_models = 0
    rejected = 0
    in_support: Counter = Counter()
    distinct: Counter = Counter()  # one per place and result (a model a loop builds alike many times counts once)
    results_seen: set = set()
    for f in results:
        path = rel(f["path"])
        models = f.get("models", [])
        with_models += bool(models)
        for m in models:
            status, bad = model_class(m)
            statuses[status] += 1
            key = (path, m.get("cell"), m.get("line"), m.get("column"), status, repr(m.get("total_params")),
                   repr(m.get("trainable_params")), tuple(m.get("reasons") or ()))
            if key not in results_seen:
                results_seen.add(key)
                distinct[status] += 1
            if f["path"] in support:
                in_support[status] += 1
            kinds[m.get("kind")] += 1
            where = f"{path}:{'cell %s:' % m['cell'] if 'cell' in m else ''}{m.get('line')}"
            if bad:
                inconsistent.append(f"{where}: {bad}")
            if m.get("caveat"):
                caveats[normalise(m["caveat"])] += 1
            if status in groups:
                seen: set = set()
                for reason in m.get("reasons") or ["(no reason given)"]:
                    g = normalise(reason)
                    if g not in seen:  # a model counts once in each group
                        seen.add(g)
                        groups[status][g] += 1
                        examples.setdefault((status, g), where)
                        raw_examples.setdefault((status, g), reason)
                if status == "unknown":
                    cats = {category(g) for g in seen}
                    for c in cats:
                        categories[c] += 1
                    if cats == {REJECTED}:
                        rejected += 1
        for d in f.get("diagnostics", []):
            codes[d["code"]] += 1
            where = f"{path}:{'cell %s:' % d['cell'] if 'cell' in d else ''}{d.get('line')}"
            if d["code"] == "KC902":
                limits.append(f"{where}: {d['message']}")
            elif d["code"].startswith("KC9") and d["code"] not in ("KC901", "KC904"):  # KC904: names read as Keras's
                internal.append(f"{where}: {d['code']} {d['message']}")
    for line in stderr.splitlines():
        if "internal error" in line:
            internal.append(line.replace(str(corpus) + os.sep, ""))
    for path, failure in crashes:
        internal.append(f"{rel(path)}: kerascount process failed: {failure}")
    n_models = sum(statuses.values())
    listed = statuses - in_support
    n_listed = sum(listed.values())

    def top(status: str) -> List[dict]:
        return [{"group": g, "count": c, "example": examples[(status, g)], "reason": raw_examples[(status, g)]}
                for g, c in groups[status].most_common()]

    return {
        "files": len(results), "files_with_models": with_models, "models": n_models,
        "status": {s: statuses.get(s, 0) for s in ("exact", "symbolic", "unbuilt", "unknown")},
        "share": {s: round(statuses.get(s, 0) / n_models, 4) if n_models else 0.0
                  for s in ("exact", "symbolic", "unbuilt", "unknown")},
        "other_status": {s: c for s, c in statuses.items() if s not in ("exact", "symbolic", "unbuilt", "unknown")},
        "support_files": sum(1 for f in results if f["path"] in support),
        "listed_files": {"models": n_listed, "status": {s: listed.get(s, 0) for s in ("exact", "symbolic", "unbuilt",
                                                                                         "unknown")},
                         "share": {s: round(listed.get(s, 0) / n_listed, 4) if n_listed else 0.0
                                   for s in ("exact", "symbolic", "unbuilt", "unknown")}},
        "distinct": {"models": sum(distinct.values()),
                     "status": {s: distinct.get(s, 0) for s in ("exact", "symbolic", "unbuilt", "unknown")}},
        "kinds": dict(kinds), "caveats": dict(caveats), "diagnostic_codes": dict(codes.most_common()),
        "unknown_rejected": rejected,
        "unknown_categories": dict(categories.most_common()), "unknown_reasons": top("unknown"), "unbuilt_reasons": top("unbuilt"),
        "inconsistent": inconsistent, "analysis_limits": limits, "internal_errors": internal,
    }


def print_report(rep: dict, top_n: int) -> None:
    print(f"files {rep['files']}, files with models {rep['files_with_models']}, models {rep['models']}")
    for s in ("exact", "symbolic", "unbuilt", "unknown"):
        print(f"  {s:9} {rep['status'][s]:6}  {rep['share'][s] * 100:5.1f}%")
    if rep["other_status"]:
        print(f"  other statuses: {rep['other_status']}")
    print(f"  kinds: {rep['kinds']}")
    if rep.get("support_files"):
        sel = rep["listed_files"]
        print(f"  of which in the listed files (not the {rep['support_files']} support files): models {sel['models']}, "
              + ", ".join(f"{s} {sel['status'][s]} ({sel['share'][s] * 100:.1f}%)"
                          for s in ("exact", "symbolic", "unbuilt", "unknown")))
    if rep.get("distinct"):
        dis = rep["distinct"]
        n = dis["models"] or 1
        print(f"  counted once per place and result (a model built alike several times, as in a loop, counts once): "
              f"models {dis['models']}, " + ", ".join(f"{s} {dis['status'][s]} ({dis['status'][s] / n * 100:.1f}%)"
                                                      for s in ("exact", "symbolic", "unbuilt", "unknown")))
    if rep.get("unknown_rejected"):
        n, rej = rep["models"], rep["unknown_rejected"]
        print(f"  unknown only because Keras 3 rejects the code (it raises there; the reason says where): {rej} "
              f"({rej / n * 100:.1f}%); unknown for other reasons: {rep['status']['unknown'] - rej} "
              f"({(rep['status']['unknown'] - rej) / n * 100:.1f}%)")
    print("\nunknown models by cause (a model may have several):")
    for name, count in rep["unknown_categories"].items():
        print(f"  {count:5}  {name}")
    for title, key in (("unknown", "unknown_reasons"), ("unbuilt", "unbuilt_reasons")):
        rows = rep[key]
        print(f"\ntop reasons for {title} ({len(rows)} groups):")
        for r in rows[:top_n]:
            print(f"  {r['count']:5}  {r['group'][:110]}")
            print(f"         e.g. {r['example']}: {r['reason'][:140]}")
    for title, key in (("internal errors", "internal_errors"), ("analysis-limit hits (KC902)", "analysis_limits"),
                       ("inconsistent models", "inconsistent")):
        print(f"\n{title}: {len(rep[key])}")
        for line in rep[key][:40]:
            print(f"  {line[:300]}")
    sp = rep.get("speed")
    if sp:
        print(f"\nspeed (1 process, --jobs 1 --no-cache): kerascount {sp['kerascount_cpu_s']:.2f} s CPU "
              f"({sp['kerascount_s']:.2f} s wall); ast.parse floor {sp['ast_parse_s']:.2f} s CPU (reading "
              f"{sp['read_s']:.2f} s); ratio {sp['ratio_to_ast_parse']:.1f}x (CPU); python -c pass "
              f"{sp['python_startup_s']:.2f} s")
        if sp.get("per_file_total_s") is not None:
            print(f"  per-file analysis (in-process) total {sp['per_file_total_s']:.2f} s CPU; files over 1 s CPU: "
                  f"{sp['files_over_1s']}; slowest (CPU s):")
            for path, secs in sp["slowest"]:
                print(f"    {secs:7.2f} s  {path}")


def measure(args) -> int:
    entries = read_list()
    files = corpus_files(args.corpus, entries)
    if not files:
        print(f"no corpus at {args.corpus}: run with --fetch-from MIRRORS first", file=sys.stderr)
        return 2
    if args.sample:
        files = sorted(random.Random(args.seed).sample(files, min(args.sample, len(files))))
    if args.limit:
        files = files[: args.limit]
    print(f"{len(files)} files from {args.corpus}", file=sys.stderr)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"])
    startup = time.perf_counter() - t0
    if args.from_raw:
        raw = json.loads(Path(args.from_raw).read_text(encoding="utf-8"))
        results, stderr, took, crashes = raw["files"], raw["stderr"], raw["seconds"], raw["crashes"]
        wanted = set(files)
        results = [r for r in results if r["path"] in wanted]
    else:
        results, stderr, took, crashes = run_all(files, args.timeout)
    if args.raw:
        Path(args.raw).write_text(json.dumps({"files": results, "stderr": stderr, "seconds": took,
                                              "cpu_seconds": RUN_CPU, "crashes": crashes}) + "\n", encoding="utf-8")
    support = frozenset(str(args.corpus / e.folder / p) for e in entries for p in e.support)
    rep = analyse(results, stderr, crashes, args.corpus, support)
    floor, reading, rejected = parse_floor(files)
    cpu = RUN_CPU if not args.from_raw else raw.get("cpu_seconds", took)
    rep["speed"] = {"kerascount_s": round(took, 3), "kerascount_cpu_s": round(cpu, 3), "ast_parse_s": round(floor, 3),
                    "read_s": round(reading, 3), "ast_rejected_files": rejected,
                    "ratio_to_ast_parse": round(cpu / floor, 2) if floor else None,
                    "python_startup_s": round(startup, 3), "per_file_total_s": None}
    if not args.no_per_file:
        times = per_file_times(files, args.timeout)
        if times:
            slow = sorted(((os.path.relpath(p, args.corpus), t[0]) for p, t in times.items()), key=lambda x: -x[1])
            rep["speed"].update(per_file_total_s=round(sum(t for _, t in slow), 3),
                                files_over_1s=sum(1 for _, t in slow if t > 1),
                                slowest=[(p, round(t, 3)) for p, t in slow[:10]],
                                per_file_cpu_s={p: round(t, 4) for p, t in slow})
            for p, t in times.items():
                if t[1]:
                    rep["internal_errors"].append(f"{os.path.relpath(p, args.corpus)}: analyze_file raised {t[1]}")
    print_report(rep, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
        print(f"\nreport saved to {args.json}", file=sys.stderr)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="where the corpus is (default /work/corpus)")
    ap.add_argument("--list", type=Path, default=None, metavar="FILE",
                    help="the list of the corpus's repositories and files (default benchmarks/corpus.txt; a hold-out's "
                         "own, in the same format)")
    ap.add_argument("--fetch-from", metavar="MIRRORS", type=Path,
                    help="(re)materialise the corpus from the git mirrors in MIRRORS, then stop")
    ap.add_argument("--select", metavar="MIRRORS", type=Path,
                    help="choose the files anew from MIRRORS (SOURCES in this script), rewrite corpus.txt")
    ap.add_argument("--refresh-support", metavar="MIRRORS", type=Path,
                    help="keep corpus.txt's files, find their support files anew from MIRRORS, rewrite corpus.txt")
    ap.add_argument("--json", metavar="OUT", help="save the report as JSON")
    ap.add_argument("--raw", metavar="OUT", help="also save kerascount's own JSON output (and its stderr)")
    ap.add_argument("--from-raw", metavar="IN", help="report from a saved --raw file instead of running kerascount "
                    "(the speed numbers are then those of that run)")
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--sample", type=int, help="a random sample of N files (see --seed)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=20, help="reason groups shown (default 20)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds for one kerascount process")
    ap.add_argument("--no-per-file", action="store_true", help="skip the per-file timing run")
    args = ap.parse_args(argv)
    if args.list is not None:
        global LIST
        LIST = args.list
    if args.select:
        return select(args.select, args.corpus)
    if args.refresh_support:
        return refresh_support(args.refresh_support, args.corpus)
    if args.fetch_from:
        return materialise(read_list(), args.fetch_from, args.corpus)
    return measure(args)


if __name__ == "__main__":
    raise SystemExit(main())
