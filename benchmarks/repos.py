"""Run kerascount over whole repositories, as a user runs it on a checkout, and report what it found.

Where ``benchmarks/corpus.py`` measures chosen files of a listed corpus, this script takes each repository at the
HEAD of its git mirror (every module, and the notebooks that mention Keras), and runs
``kerascount lint --format json`` on the checkout, one process per repository with a time limit. It reports
per repository the exit code and time, and over all of them: models by status, findings of error and warning
severity by rule (with examples: each is to be read for a false alarm), KC9xx notes, processes that crashed, timed
out or wrote to stderr, and the top reasons for unknown models (grouped as corpus.py groups them)::

    python benchmarks/repos.py --mirrors /work/.mirror --out /tmp/repos        # every mirror
    python benchmarks/repos.py --mirrors /work/.mirror --out /tmp/repos owner/name other/repo
    python benchmarks/repos.py --out /tmp/repos --report-only                  # report the runs kept in --out

A mirror is a git directory at ``MIRRORS/<owner>+<name>/repo`` (what the search tool's ``fetch`` makes). Each
repository's files are written to ``OUT/checkouts/<owner>+<name>`` (with an empty ``.git`` folder: the root of the
checkout); kerascount's JSON to ``OUT/<owner>+<name>.json``, its stderr to ``.err``, exit code and CPU seconds to
``.rc``. A repository whose ``.rc`` exists is not run again (delete it to rerun). Exit codes: 0 report written,
2 bad arguments.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import category, normalise  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: Files larger than this are left out of a checkout (data dumps, generated notebooks).
MAX_FILE_BYTES = 3_000_000


def mirrors(root: Path, wanted: List[str]) -> List[Tuple[str, Path]]:
    """(owner+name, git dir) of the wanted repositories (all mirrors under ``root`` when none is named)."""
    if wanted:
        found = [(w.replace("/", "+"), root / w.replace("/", "+") / "repo") for w in wanted]
    else:
        found = sorted((d.name, d / "repo") for d in root.iterdir() if (d / "repo").is_dir())
    return [(name, git) for name, git in found if git.is_dir()]


def checkout(git: Path, dest: Path) -> Tuple[int, str]:
    """Write the HEAD modules (``.py``) of ``git`` and its notebooks that mention Keras under ``dest``; (how many
    files mention Keras, commit). A file the mirror does not hold (its largest may be left out) is skipped."""
    def git_run(*args: str, data: Optional[bytes] = None) -> bytes:
        return subprocess.run(["git", "-C", str(git), *args], input=data, capture_output=True).stdout

    commit = git_run("rev-parse", "HEAD").decode().strip()
    wanted = []
    for line in git_run("ls-tree", "-r", "-l", "-z", "HEAD").split(b"\0"):
        if b"\t" not in line:
            continue
        meta, name = line.split(b"\t", 1)
        parts = meta.split()
        path = name.decode("utf-8", "replace")
        if parts[1] == b"blob" and parts[3].isdigit() and int(parts[3]) <= MAX_FILE_BYTES and \
                path.endswith((".py", ".ipynb")):
            wanted.append((parts[2].decode(), path))
    (dest / ".git").mkdir(parents=True, exist_ok=True)
    count = 0
    for sha, path in wanted:
        data = git_run("cat-file", "blob", sha)
        target = dest / path
        mentions = b"keras" in data
        if not mentions and path.endswith(".ipynb") or not target.resolve().is_relative_to(dest.resolve()):
            continue  # (a notebook that does not mention Keras, or a path that leaves the checkout)
        # (every module is written: a package's `__init__.py` that only imports its modules is one its files import)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        count += mentions
    return count, commit


def run(name: str, git: Path, out: Path, timeout: float) -> None:
    rc_file = out / f"{name}.rc"
    if rc_file.exists():
        return
    dest = out / "checkouts" / name
    count, commit = checkout(git, dest)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        with open(out / f"{name}.json", "w") as stdout, open(out / f"{name}.err", "w") as stderr:
            code = subprocess.run([sys.executable, "-m", "kerascount", "lint", str(dest), "--format", "json",
                                   "--no-cache"], stdout=stdout, stderr=stderr, env=env, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rc_file.write_text(json.dumps({"exit": code, "cpu": round(cpu, 2), "files": count, "commit": commit}))
    print(f"{name}: {count} files, exit {code}, {cpu:.1f} s", file=sys.stderr)


def report(out: Path, examples: int) -> Dict[str, object]:
    statuses: collections.Counter = collections.Counter()
    findings: collections.Counter = collections.Counter()
    found_at: Dict[Tuple[str, str], List[str]] = collections.defaultdict(list)
    groups: collections.Counter = collections.Counter()
    categories: collections.Counter = collections.Counter()
    group_example: Dict[str, str] = {}
    troubles: List[str] = []
    repos = files = 0
    cpu = 0.0
    for rc_file in sorted(out.glob("*.rc")):
        name = rc_file.name[:-3]
        rc = json.loads(rc_file.read_text())
        repos += 1
        files += rc["files"]
        cpu += rc["cpu"]
        err = (out / f"{name}.err").read_text(errors="replace").strip()
        if rc["exit"] not in (0, 1) or err:
            troubles.append(f"{name}: exit {rc['exit']}" + (f"; stderr: {err[-300:]}" if err else ""))
        try:
            data = json.loads((out / f"{name}.json").read_text())
        except (OSError, ValueError):
            troubles.append(f"{name}: no JSON report")
            continue
        for f in data.get("files", []):
            path = f"{name}/{Path(f['path']).resolve().relative_to((out / 'checkouts' / name).resolve())}" \
                if Path(f["path"]).is_absolute() else f"{name}/{f['path']}"
            for m in f.get("models", []):
                statuses[m.get("status") or "unknown"] += 1
                if m.get("status") == "unknown" and m.get("reasons"):
                    group = normalise(m["reasons"][0])
                    groups[group] += 1
                    categories[category(group)] += 1
                    group_example.setdefault(group, f"{path}:{m.get('line')}: {m['reasons'][0][:200]}")
            for d in f.get("diagnostics", []):
                if d["severity"] in ("error", "warning") or d["code"].startswith("KC9") and d["code"] != "KC901":
                    key = (d["code"], d["severity"])
                    findings[key] += 1
                    where = f"{path}:{'cell %s:' % d['cell'] if d.get('cell') else ''}{d.get('line')}"
                    found_at[key].append(f"{where}: {d['message'][:200]}")
    rep = {"repositories": repos, "files": files, "cpu_seconds": round(cpu, 1), "models": dict(statuses),
           "findings": [{"code": c, "severity": s, "count": n, "examples": found_at[(c, s)][:examples]}
                        for (c, s), n in findings.most_common()],
           "unknown_categories": dict(categories.most_common()),
           "unknown_reasons": [{"group": g, "count": n, "example": group_example[g]} for g, n in groups.most_common(30)],
           "troubles": troubles}
    return rep


def show(rep: Dict[str, object]) -> None:
    models = rep["models"]
    total = sum(models.values()) or 1
    print(f"repositories {rep['repositories']}, files {rep['files']}, CPU {rep['cpu_seconds']} s")
    print("models: " + ", ".join(f"{k} {v} ({v / total * 100:.1f}%)" for k, v in sorted(models.items())))
    print("\nprocesses that crashed, timed out or wrote to stderr:", len(rep["troubles"]))
    for t in rep["troubles"]:
        print("  " + t)
    print("\nfindings of error and warning severity, and KC9xx notes (read each example for a false alarm):")
    for f in rep["findings"]:
        print(f"  {f['count']:6}  {f['code']} {f['severity']}")
        for e in f["examples"]:
            print(f"            {e}")
    print("\nunknown models by cause:")
    for c, n in rep["unknown_categories"].items():
        print(f"  {n:6}  {c}")
    print("\ntop reasons for unknown:")
    for r in rep["unknown_reasons"]:
        print(f"  {r['count']:6}  {r['group'][:110]}\n          e.g. {r['example']}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="*", help="owner/name of the repositories (default: every mirror)")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, required=True, help="where the checkouts and reports go")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for one repository's process")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per rule")
    parser.add_argument("--json", type=Path, help="also save the report as JSON")
    parser.add_argument("--report-only", action="store_true", help="report the runs kept in --out, run none")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        if not args.mirrors.is_dir():
            print(f"repos.py: no mirrors at {args.mirrors}", file=sys.stderr)
            return 2
        for name, git in mirrors(args.mirrors, args.repos):
            run(name, git, args.out, args.timeout)
    rep = report(args.out, args.examples)
    show(rep)
    if args.json:
        args.json.write_text(json.dumps(rep, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
