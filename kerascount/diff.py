"""``kerascount diff [BASE] [HEAD]``: how the models changed between two git revisions or two paths.

A side is an existing file or directory, else a git revision of the repository the current
directory is in (read with ``git ls-tree`` and ``git cat-file`` into a temporary directory: the
user's tree is never checked out or touched). Defaults: BASE is ``HEAD``, HEAD the working tree
(the repository's top folder). Models are matched by file (relative to each side) and model name
(the variable; the n-th model of the same name with the n-th); layers by name and type, in order.

Budgets in ``[tool.kerascount]`` make it a CI gate: ``max-params`` (the KC202 option),
``max-macs`` (mult-adds per sample) and ``max-activation-bytes`` (float32 activations of
``batch-size`` samples). Exit codes: 0; 1 when a model of HEAD is over a budget; 2 for a bad
revision or path, settings, or an internal error.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .numbers import count
from .report.shapes import count_json, shape_json, shape_text

EXIT_OK, EXIT_OVER_BUDGET, EXIT_ERROR = 0, 1, 2
#: (JSON key, label, ModelResult attribute)
METRICS = (("params", "params", "total"), ("trainable_params", "trainable", "trainable"),
           ("macs", "mult-adds", "macs"), ("activation_bytes", "activations/sample", "activation_bytes"))
_SUFFIXES = (".py", ".ipynb")


class DiffError(Exception):
    """A side that cannot be read: a bad revision, not a git repository, a missing path."""


@dataclass
class Side:
    label: str
    #: The folder or file analysed; paths are reported relative to ``base`` (a folder).
    path: str
    base: str


def _git(root: str, *args: str, data: Optional[bytes] = None) -> bytes:
    try:
        r = subprocess.run(["git", "-C", root, *args], input=data, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None
    if r.returncode != 0:
        raise DiffError(f"git {' '.join(args[:2])}: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def _toplevel() -> str:
    return _git(".", "rev-parse", "--show-toplevel").decode().strip()


def materialize(root: str, rev: str, dest: str) -> None:
    """Write the Python files and notebooks of revision ``rev`` of the repository at ``root`` under ``dest``."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DiffError:
        raise DiffError(f"{rev!r} is neither a file or folder nor a git revision") from None
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", rev).split(b"\0")
    blobs: List[Tuple[str, str]] = []
    for entry in filter(None, listing):
        meta, _, path = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        name = path.decode("utf-8", errors="surrogateescape")
        if kind == "blob" and mode != "120000" and name.endswith(_SUFFIXES):
            blobs.append((sha, name))
    if not blobs:
        return
    out = _git(root, "cat-file", "--batch", data="".join(f"{sha}\n" for sha, _ in blobs).encode())
    at = 0
    for _, name in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        content = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
        target = os.path.join(dest, *name.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(content)


def _repository(arg: Optional[str], default: str = "") -> str:
    """The top folder of the git repository of the current directory, for revision ``arg`` (None: for a
    default, ``default`` says which); outside a repository, an error that says what was expected."""
    try:
        return _toplevel()
    except DiffError as exc:
        where = f"{os.getcwd()} is not in a git repository" if "not a git repository" in str(exc) else str(exc)
        if arg is None:
            raise DiffError(f"{default}, but {where}; give two files or folders: kerascount diff OLD NEW") from None
        raise DiffError(f"{arg!r} is neither a file or folder nor a git revision ({where})") from None


def _side(arg: Optional[str], temp: str, which: str) -> Side:
    if arg is None:
        root = _repository(None, "without HEAD, kerascount diff compares with the working tree of a git repository")
        return Side("working tree", root, root)
    if os.path.exists(arg):
        full = os.path.abspath(arg)
        return Side(arg, full, full if os.path.isdir(full) else os.path.dirname(full))
    dest = os.path.join(temp, which)
    os.makedirs(dest)
    materialize(_repository(arg), arg, dest)
    return Side(arg, dest, dest)


def _models(reports: Sequence[Any], side: Side, single: Optional[str]) -> Dict[Tuple[str, str, int], Tuple[Any, Any]]:
    """(relative path, model name, occurrence) → (report, model result)."""
    out: Dict[Tuple[str, str, int], Tuple[Any, Any]] = {}
    for report in reports:
        rel = single or os.path.relpath(report.path, side.base).replace(os.sep, "/")
        for m in report.models:
            name = m.model.name or m.model.kind
            n = 0
            while (rel, name, n) in out:
                n += 1
            out[(rel, name, n)] = (report, m)
    return out


def _change(base: Any, head: Any) -> Any:
    return head - base if isinstance(base, int) and isinstance(head, int) else None


def _row(r: Any) -> Dict[str, Any]:
    return {"output_shape": shape_json(r.output_shape), "params": count_json(r.params)}


def _key(r: Any) -> Tuple[str, str]:
    given = r.layer.kwarg("name")
    return r.layer.type, given if isinstance(given, str) else ""


def layer_changes(base: Any, head: Any) -> List[Dict[str, Any]]:
    """Added, removed and changed layers (output shape or params), matched in order by type and the
    name given with ``name=``; Keras's own names (``dense_3``) shift when another layer is added, so
    they do not count."""
    b_rows = base.rows if base is not None else ()
    h_rows = head.rows if head is not None else ()
    matcher = difflib.SequenceMatcher(None, [_key(r) for r in b_rows], [_key(r) for r in h_rows], autojunk=False)
    out: List[Dict[str, Any]] = []
    for op, b1, b2, h1, h2 in matcher.get_opcodes():
        if op == "equal":
            for b, h in zip(b_rows[b1:b2], h_rows[h1:h2]):
                if _row(b) != _row(h):
                    out.append({"change": "changed", "name": h.layer.name, "base_name": b.layer.name,
                                "type": h.layer.type,
                                "base": _row(b), "head": _row(h)})
            continue
        out.extend({"change": "removed", "name": b.layer.name, "type": b.layer.type, "base": _row(b), "head": None}
                   for b in b_rows[b1:b2])
        out.extend({"change": "added", "name": h.layer.name, "type": h.layer.type, "base": None, "head": _row(h)}
                   for h in h_rows[h1:h2])
    return out


def budgets(cfg: Any) -> List[Tuple[str, str, int, int]]:
    """(JSON key, setting, limit, multiplier) for the budgets that are set."""
    out = []
    max_params = cfg.options.get("max-params", 0) or 0
    if max_params:
        out.append(("params", "max-params", int(max_params), 1))
    if cfg.max_macs:
        out.append(("macs", "max-macs", cfg.max_macs, 1))
    if cfg.max_activation_bytes:
        out.append(("activation_bytes", "max-activation-bytes", cfg.max_activation_bytes, cfg.batch_size))
    return out


def compare(base_reports: Sequence[Any], head_reports: Sequence[Any], base: Side, head: Side,
            cfg: Any) -> Dict[str, Any]:
    """The diff as JSON-ready data (the ``json`` format's content)."""
    single = os.path.basename(head.path) if os.path.isfile(base.path) and os.path.isfile(head.path) else None
    b_models = _models(base_reports, base, single)
    h_models = _models(head_reports, head, single)
    keys = list(h_models) + [k for k in b_models if k not in h_models]
    models = []
    for key in keys:
        b_report, b = b_models.get(key, (None, None))
        h_report, h = h_models.get(key, (None, None))
        cell, line = (h_report or b_report).locate((h or b).model.span.line)
        entry: Dict[str, Any] = {"path": key[0], "model": key[1], "kind": (h or b).model.kind,
                                 **({"cell": cell} if cell is not None else {}), "line": line}
        for json_key, _, attr in METRICS:
            bv = getattr(b, attr) if b is not None else None
            hv = getattr(h, attr) if h is not None else None
            entry[json_key] = {"base": count_json(bv), "head": count_json(hv), "change": _change(bv, hv)}
        entry["layers"] = layer_changes(b, h)
        same = all(entry[k]["base"] == entry[k]["head"] for k, _, _ in METRICS) and not entry["layers"]
        entry["status"] = "added" if b is None else "removed" if h is None else "unchanged" if same else "changed"
        over, unchecked = [], []
        for json_key, setting, limit, times in budgets(cfg) if h is not None else ():
            value = getattr(h, dict((k, a) for k, _, a in METRICS)[json_key])
            if not isinstance(value, int):
                unchecked.append(setting)
            elif value * times > limit:
                over.append({"budget": setting, "limit": limit, "value": value * times})
        entry["over_budget"] = over
        entry["unchecked_budgets"] = unchecked
        models.append(entry)
    return {"base": base.label, "head": head.label, "batch_size": cfg.batch_size, "models": models}


# -- formats -----------------------------------------------------------------------------------


def _value(key: str, value: Any) -> str:
    if key == "activation_bytes":
        from .report.text import size

        return "-" if value is None else size(value) if isinstance(value, int) else f"{value} bytes"
    return "-" if value is None else count(value)


def _delta(key: str, change: Any) -> str:
    if not change:
        return ""
    sign = "+" if change > 0 else "-"
    return f" ({sign}{_value(key, abs(change))})"


def _metric(entry: Dict[str, Any], key: str) -> str:
    m = entry[key]
    if entry["status"] == "added":
        return _value(key, m["head"])
    if entry["status"] == "removed":
        return _value(key, m["base"])
    if m["base"] == m["head"]:
        return _value(key, m["head"])
    return f"{_value(key, m['base'])} → {_value(key, m['head'])}{_delta(key, m['change'])}"


def _layer_text(c: Dict[str, Any]) -> str:
    mark = {"added": "+", "removed": "-", "changed": "~"}[c["change"]]
    if c["change"] != "changed":
        side = c["head"] or c["base"]
        return f"{mark} {c['name']} ({c['type']}) {_shape(side['output_shape'])}, params {_count(side['params'])}"
    parts = []
    for key, show in (("output_shape", _shape), ("params", _count)):
        if c["base"][key] != c["head"][key]:
            parts.append(f"{key.replace('_', ' ')} {show(c['base'][key])} → {show(c['head'][key])}")
    was = f" (was {c['base_name']})" if c["base_name"] != c["name"] else ""
    return f"{mark} {c['name']}{was} ({c['type']}) " + ", ".join(parts)


def _shape(value: Any) -> str:
    if value is None:
        return "?"
    if value and isinstance(value[0], list):
        return ", ".join(_shape(v) for v in value)
    return shape_text(tuple(value))


def _count(value: Any) -> str:
    return count(value) if not isinstance(value, str) else value


def _budget_lines(data: Dict[str, Any]) -> List[str]:
    lines = []
    for e in data["models"]:
        for o in e["over_budget"]:
            batch = f" for batch-size {data['batch_size']}" if o["budget"] == "max-activation-bytes" else ""
            lines.append(f"{e['path']}: {e['model']}: {o['value']:,}{batch} is over {o['budget']} = {o['limit']:,}")
    return lines


def _tally(data: Dict[str, Any]) -> str:
    counts = {s: sum(e["status"] == s for e in data["models"]) for s in ("changed", "added", "removed", "unchanged")}
    return ", ".join(f"{n} {s}" for s, n in counts.items())


def text(data: Dict[str, Any]) -> str:
    out = [f"kerascount diff: {data['base']} → {data['head']}"]
    for e in data["models"]:
        if e["status"] == "unchanged":
            continue
        out.append("")
        cell = f"cell {e['cell']}:" if "cell" in e else ""
        out.append(f"{e['path']}:{cell}{e['line']}: {e['model']} ({e['kind']}) {e['status']}")
        out.extend(f"  {label:<19}{_metric(e, key)}" for key, label, _ in METRICS)
        out.extend(f"    {_layer_text(c)}" for c in e["layers"])
    out.append("")
    out.append(f"Models: {_tally(data)}.")
    over = _budget_lines(data)
    out.extend(f"Over budget: {line}" for line in over)
    unchecked = sorted({(e["path"], e["model"], b) for e in data["models"] for b in e["unchecked_budgets"]})
    out.extend(f"Budget not checked: {p}: {m}: {b} (the number is not known exactly)" for p, m, b in unchecked)
    return "\n".join(out) + "\n"


def markdown(data: Dict[str, Any]) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|")

    out = [f"### kerascount diff: `{data['base']}` → `{data['head']}`", ""]
    shown = [e for e in data["models"] if e["status"] != "unchanged"]
    if shown:
        out += ["| Model | Status | " + " | ".join(label.capitalize() for _, label, _ in METRICS) + " |",
                "|---|---|" + "---:|" * len(METRICS)]
        out += [f"| `{cell(e['path'])}`: `{cell(e['model'])}` | {e['status']} | "
                + " | ".join(cell(_metric(e, key)) for key, _, _ in METRICS) + " |" for e in shown]
        for e in shown:
            if e["layers"]:
                out += ["", f"<details><summary>Layers of <code>{e['model']}</code> ({e['path']})</summary>", "",
                        *(f"- `{_layer_text(c)}`" for c in e["layers"]), "", "</details>"]
        out.append("")
    out.append(f"Models: {_tally(data)}.")
    over = _budget_lines(data)
    if over:
        out += ["", "**Over budget:**", *(f"- {line}" for line in over)]
    return "\n".join(out) + "\n"


# -- command -------------------------------------------------------------------------------------


def run(args: Any) -> int:
    from . import __version__
    from .api import analyze_paths
    from .config import ConfigError, load

    temp = tempfile.mkdtemp(prefix="kerascount-diff-")
    try:
        try:
            if args.base is None:
                _repository(None, "without BASE, kerascount diff compares with the git revision HEAD")
            base = _side(args.base or "HEAD", temp, "base")
            head = _side(args.head, temp, "head")
            start = head.path if args.head is not None and os.path.exists(args.head) else "."
            cfg = load(start, args.config)
        except (DiffError, ConfigError) as exc:
            print(f"kerascount: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        results = []
        for side in (base, head):
            side_cfg = replace(cfg, root=side.base) if side.base.startswith(temp) else cfg
            reports, problems = analyze_paths([side.path], side_cfg, jobs=args.jobs)
            for problem in problems:
                print(f"kerascount: error: {problem}", file=sys.stderr)
            broken = [r for r in reports if r.internal_error]
            for r in broken:
                print(f"kerascount: internal error in {r.path}: {r.internal_error} (please report it)", file=sys.stderr)
            if problems or broken:
                return EXIT_ERROR
            results.append(reports)
        data = compare(results[0], results[1], base, head, cfg)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if args.format == "json":
        out = json.dumps({"kerascount": __version__, **data}, indent=2) + "\n"
    else:
        out = markdown(data) if args.format == "markdown" else text(data)
    from .cli import write_output

    write_output(args.output_file, out)
    return EXIT_OVER_BUDGET if any(e["over_budget"] for e in data["models"]) else EXIT_OK
