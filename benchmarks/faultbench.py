"""Measure kerascount's rules on public benchmarks of faulty Keras programs and their fixes.

The benchmarks live outside the repository (default ``/work/faultbench``); ``benchmarks/faultbench.txt``
lists every buggy program, the fixed version of it (when the benchmark has one), the repository and
the commit they come from. None of their code is in this repository.

    # 1. (maintainers) write benchmarks/faultbench.txt: SFData, DeepLocalize and NeuraLint from materialised
    #    benchmarks (--root), the others from their git mirrors (--fetch-from, default /work/.mirror)
    python benchmarks/faultbench.py --select [--fetch-from /work/.mirror]
    # 2. materialise the listed files from git mirrors (what the search tool's fetch makes)
    python benchmarks/faultbench.py --fetch-from /work/.mirror
    # 3. run kerascount's default rules over every pair and print the table
    python benchmarks/faultbench.py [--show missed|alarms|all] [--json OUT]

What the table counts, per benchmark:

- *flagged*: the buggy program gets a warning or an error from a fault rule. Not fault rules:
  KC000/KC001 (the file is not Python 3: counted as *unparsed* instead), KC404 (Keras 1/2 API: the
  benchmarks' programs ran under the Keras they were written for; counted in its own columns) and
  the KC2xx size budgets and KC9xx analysis notes.
- *gone in fix*: flagged by a code that the fixed version no longer gets (the finding names what
  the fix changed, not something both versions share).
- *fix alarms*: fixed versions that still get a warning or an error from a fault rule. The fix is a
  program its authors ran successfully, so every such finding is a false alarm unless the fix left
  a second fault in place (``--show alarms`` lists them for review).
- *KC404 bug/fix*: files with a KC404 finding (legacy API, at any severity), buggy and fixed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIST = ROOT / "benchmarks" / "faultbench.txt"
DEFAULT_ROOT = Path("/work/faultbench")
NOT_FAULT_RULES = re.compile(r"KC(00\d|2\d\d|404|9\d\d)$")
UNPARSED = ("KC000", "KC001")


@dataclass
class Benchmark:
    name: str
    repo: str
    commit: str
    folder: str
    pairs: List[Tuple[str, Optional[str]]] = field(default_factory=list)


def read_list(path: Path = LIST) -> List[Benchmark]:
    """Lines ``benchmark <name> <owner>/<repo> <commit> <folder>``, then indented ``<buggy> -> <fixed or ->``."""
    out: List[Benchmark] = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("benchmark "):
            _, name, repo, commit, folder = line.split()
            out.append(Benchmark(name, repo, commit, folder))
        else:
            bug, fixed = (p.strip() for p in line.split(" -> "))
            out[-1].pairs.append((bug, None if fixed == "-" else fixed))
    return out


# ------------------------------------------------------------------------------------------ select
def _is_keras(path: Path) -> bool:
    return "keras" in path.read_text(errors="replace").lower()


def select(root: Path, mirrors: Path = Path("/work/.mirror")) -> str:
    """The pairs of every benchmark: the first three chosen from their materialised files under `root`,
    the others from their git mirrors under `mirrors`."""
    lines = ["# Public fault benchmarks of Keras programs: python benchmarks/faultbench.py (see its docstring).",
             "# benchmark <name> <owner>/<repo> <commit> <folder under the benchmarks root>",
             "#   <buggy program> -> <fixed program, or - when the benchmark has none>", ""]

    def block(name, repo, commit, folder, pairs, note):
        lines.extend([f"# {note}", f"benchmark {name} {repo} {commit} {folder}"])
        lines.extend(f"  {b} -> {f or '-'}" for b, f in pairs)
        lines.append("")

    # SFData (tensfa, Wu et al. ISSTA 2021): crashing tensor shape faults from Stack Overflow; the
    # runnable buggy program is <id>_context.py and its fix <id>_ground_truth.py. Keras programs only.
    base = root / "tensfa+tensfa"
    pairs = []
    for group in ("SFData/ICSE2020", "SFData/StackOverflow", "SFData/ISSTA2018/TensorShapeFault"):
        for bug in sorted((base / group).glob("*_context.py")):
            fixed = bug.with_name(bug.name.replace("_context.py", "_ground_truth.py"))
            if fixed.exists() and _is_keras(bug):
                pairs.append((str(bug.relative_to(base)), str(fixed.relative_to(base))))
    block("sfdata", "tensfa/tensfa", "415dcfaec589b0b14c5b9864872c912f3851b383", "tensfa+tensfa", pairs,
          "SFData: crashing shape faults (Stack Overflow), runnable bug and fix")
    # DeepLocalize (Wardat et al. ICSE 2021): numerical and training faults from Stack Overflow and
    # GitHub, each with the fixed program; DeepLocalize's instrumented copies (update*.py) are left out.
    base = root / "Wardat-ISU+DeepLocalize"
    pairs = []
    for post in sorted((base / "Benchmark/StackOverflow").iterdir()):
        if not post.is_dir():
            continue
        bugs = [p for d in post.glob("Buggy*") for p in sorted(d.glob("*.py")) if not p.name.startswith("update")]
        fixes = [p for d in post.glob("Correct*") for p in sorted(d.glob("*.py"))]
        for bug in bugs:
            same = [f for f in fixes if f.name == bug.name]
            fixed = same[0] if same else (fixes[0] if len(bugs) == 1 and len(fixes) == 1 else None)
            if bug.name == "input_data.py":
                continue  # the MNIST reader of the TensorFlow tutorial, the same in both versions
            pairs.append((str(bug.relative_to(base)), str(fixed.relative_to(base)) if fixed else None))
    buggy = base / "Benchmark/GitHub/Buggy Model"
    for bug in sorted(buggy.rglob("*.py")):
        fixed = base / "Benchmark/GitHub/Correct Model" / bug.relative_to(buggy)
        if fixed.exists() and fixed.read_bytes() != bug.read_bytes():
            pairs.append((str(bug.relative_to(base)), str(fixed.relative_to(base))))
    block("deeplocalize", "Wardat-ISU/DeepLocalize", "297bc3441b5903b5c85bc5ffd7c9881a3c0c75a2",
          "Wardat-ISU+DeepLocalize", pairs, "DeepLocalize: training faults (Stack Overflow and GitHub) with fixes")
    # NeuraLint (Nikanjam et al. 2021): real buggy Keras programs, no fixes (recall only).
    base = root / "neuralint+neuralint"
    pairs = []
    for group in ("sample_buggy_scripts/SO Samples", "sample_buggy_scripts/GitHub Samples"):
        for bug in sorted((base / group).glob("*.py")):
            if _is_keras(bug):
                pairs.append((str(bug.relative_to(base)), None))
    block("neuralint", "neuralint/neuralint", "e27dacf63d3cc75fa02ef81f9ec5bbc90881d1f5", "neuralint+neuralint",
          pairs, "NeuraLint: buggy Keras programs from Stack Overflow and GitHub, without fixes (recall only)")
    # The benchmarks below are chosen from the git mirrors directly (their trees hold much besides the programs).
    # DeepFD (Cao et al. ICSE 2022): the two subjects its repository ships, origin.py and its repair.py.
    repo, commit = "ArabelaTso/DeepFD", "9fe089510cf10af35b0c2cba024d9732a1048df4"
    tree = _tree(mirrors, repo, commit)
    pairs = [(p, p[:-len("origin.py")] + "repair.py") for p in sorted(tree)
             if p.startswith("Benchmark/Subjects/") and p.endswith("/origin.py")]
    block("deepfd", repo, commit, "ArabelaTso+DeepFD", pairs,
          "DeepFD: training faults (Stack Overflow) with the repaired program")
    # BenchDL4Real (Jahangirova et al. 2024, "Real faults in deep learning fault benchmarks: how real are
    # they?"): the faults of DeepFD, DeepLocalize, defect4ML and SFData they could reproduce, buggy and fixed
    # as they ran them. Keras programs whose fixed version differs.
    repo, commit = "dlfaults/HowRealAreThey", "358a4a15e304d449e732c754d0d504d806c7f54f"
    tree = _tree(mirrors, repo, commit)
    pairs = []
    for p in sorted(tree):
        if not p.startswith("BenchDL4Real/") or not p.endswith(".py"):
            continue
        fixed = None
        if p.endswith("/origin.py"):
            fixed = p.replace("/BuggyCode/", "/CorrectCode/")[:-len("origin.py")] + "repair.py"
        elif "/buggy/" in p:
            fixed = p.replace("/buggy/", "/fixed/", 1)
        elif p.endswith("_context.py"):
            fixed = p.replace("_context.py", "_ground_truth.py")
        if fixed in tree and tree[fixed] != tree[p] and _git_is_keras(mirrors, repo, commit, p):
            pairs.append((p, fixed))
    block("benchdl4real", repo, commit, "dlfaults+HowRealAreThey", pairs,
          "BenchDL4Real: reproduced real faults (DeepFD, DeepLocalize, defect4ML, SFData), buggy and fixed")
    # defect4ML (Morovati et al. EMSE 2023): bugs/<id>/buggy and bugs/<id>/fixed; the bugs whose code is a
    # nested repository (a submodule) are not in the tree. Keras files whose fixed version differs.
    repo, commit = "mohmehmo/defects4ml", "d2d823d7aa993a04ff031cf433445c1d7fd81ed3"
    tree = _tree(mirrors, repo, commit)
    pairs = []
    for p in sorted(tree):
        if p.startswith("bugs/") and p.endswith(".py") and "/buggy/" in p:
            fixed = p.replace("/buggy/", "/fixed/", 1)
            if fixed not in tree and fixed.endswith("/script.py") and fixed[:-len("script.py")] + "scrip.py" in tree:
                fixed = fixed[:-len("script.py")] + "scrip.py"  # bug 077 names its fix scrip.py
            if fixed in tree and tree[fixed] != tree[p] and _git_is_keras(mirrors, repo, commit, p):
                pairs.append((p, fixed))
    block("defect4ml", repo, commit, "mohmehmo+defects4ml", pairs,
          "defect4ML: real faults (GitHub and Stack Overflow), buggy and fixed")
    # Theia (Manke et al. TOSEM 2024): buggy CNN programs from Stack Overflow, and mutants of correct ones;
    # no fixes (recall only).
    repo, commit = "confanonymous/Theia", "01629c6c383d77ea38d05a6cd7b2bb46b2d0d000"
    tree = _tree(mirrors, repo, commit)
    pairs = [(p, None) for p in sorted(tree) if p.endswith(".py") and p.split("/")[0] in ("SOF", "Mutated model")
             and _git_is_keras(mirrors, repo, commit, p)]
    block("theia", repo, commit, "confanonymous+Theia", pairs,
          "Theia: buggy Keras CNN programs (Stack Overflow, and mutants), without fixes (recall only)")
    # AUTOTRAINER's models with training problems (Zhang et al. ICSE 2021) as DeepDiagnosis (Wardat et al.
    # ICSE 2022) wrote them out as code: one file per data set holding 15-29 models; without fixes.
    repo, commit = "DeepDiagnosis/ICSE2022", "500b0176e38d53bf6744231526c545e0554a2230"
    tree = _tree(mirrors, repo, commit)
    pairs = [(p, None) for p in sorted(tree) if p.startswith("AUTOTRAINER Model Code/") and p.endswith(".py")]
    block("autotrainer", repo, commit, "DeepDiagnosis+ICSE2022", pairs,
          "AUTOTRAINER models with training problems (DeepDiagnosis's code of them), without fixes (recall only)")
    return "\n".join(lines)


def _tree(mirrors: Path, repo: str, commit: str) -> Dict[str, str]:
    """path -> blob id of every file of `repo` at `commit` in its git mirror."""
    out = subprocess.run(["git", "--git-dir", str(_gitdir(mirrors, repo)), "ls-tree", "-r", "-z", commit],
                         capture_output=True, text=True, check=True).stdout
    tree = {}
    for line in filter(None, out.split("\0")):  # (-z: paths unquoted, non-ASCII ones too)
        meta, path = line.split("\t", 1)
        _, kind, blob = meta.split()
        if kind == "blob":
            tree[path] = blob
    return tree


def _git_is_keras(mirrors: Path, repo: str, commit: str, path: str) -> bool:
    data = subprocess.run(["git", "--git-dir", str(_gitdir(mirrors, repo)), "show", f"{commit}:{path}"],
                          capture_output=True, check=True).stdout
    return b"keras" in data.lower()


def _gitdir(mirrors: Path, repo: str) -> Path:
    owner, name = repo.split("/")
    gdir = next((p for p in (mirrors / f"{owner}+{name}" / "repo", mirrors / f"{owner}+{name}")
                 if (p / "HEAD").is_file()), None)
    if gdir is None:
        sys.exit(f"no mirror of {repo} under {mirrors}")
    return gdir


def fetch(benchmarks: List[Benchmark], mirrors: Path, root: Path) -> None:
    for b in benchmarks:
        gdir = _gitdir(mirrors, b.repo)
        for path in [p for pair in b.pairs for p in pair if p]:
            out = root / b.folder / path
            out.parent.mkdir(parents=True, exist_ok=True)
            data = subprocess.run(["git", "--git-dir", str(gdir), "show", f"{b.commit}:{path}"],
                                  capture_output=True, check=True).stdout
            out.write_bytes(data)


# --------------------------------------------------------------------------------------------- run
CONFIG = None  # kerascount's default rules; --opt-in adds the rules that are off by default


def findings(path: Path) -> List[Tuple[str, str, int, str]]:
    """(code, severity, line, message) of every finding of kerascount's rules."""
    from kerascount.api import analyze_source

    report = analyze_source(path.read_text(errors="replace"), str(path), CONFIG)
    return [(d.code, d.severity, d.span.line, d.message) for d in report.diagnostics]


OPT_IN: frozenset = frozenset()  # with --opt-in: the codes of the rules off by default, counted at any severity


def fault_codes(found) -> set:
    """The codes of the fault rules among warnings and errors (and the opt-in smells' notes with --opt-in)."""
    return {code for code, severity, *_ in found
            if (severity != "info" or code in OPT_IN) and not NOT_FAULT_RULES.match(code)}


def measure(benchmarks: List[Benchmark], root: Path, show: str) -> Dict[str, dict]:
    table: Dict[str, dict] = {}
    for b in benchmarks:
        row = Counter()
        by_code = Counter()
        alarm_codes = Counter()
        for bug, fixed in b.pairs:
            got = findings(root / b.folder / bug)
            codes = fault_codes(got)
            row["pairs"] += 1
            if any(c in UNPARSED for c, *_ in got):
                row["unparsed"] += 1
            row["flagged"] += bool(codes)
            row["kc404 bug"] += any(c == "KC404" for c, *_ in got)
            by_code.update(codes)
            fixed_got = findings(root / b.folder / fixed) if fixed else None
            if fixed_got is not None:
                fixed_codes = fault_codes(fixed_got)
                row["fixes"] += 1
                row["gone in fix"] += bool(codes - fixed_codes)
                row["fix alarms"] += bool(fixed_codes)
                row["kc404 fix"] += any(c == "KC404" for c, *_ in fixed_got)
                alarm_codes.update(fixed_codes)
            if (show in ("missed", "all") and not codes) or show == "all":
                print(f"{'MISS' if not codes else 'HIT '} {b.name} {bug}")
                for c, sev, line, msg in got:
                    if sev != "info" or c == "KC404":
                        print(f"       {c} {sev} {line}: {msg[:160]}")
            if show in ("alarms", "all") and fixed_got is not None and fault_codes(fixed_got):
                print(f"ALARM {b.name} {fixed}")
                for c, sev, line, msg in fixed_got:
                    if (sev != "info" or c in OPT_IN) and not NOT_FAULT_RULES.match(c):
                        print(f"       {c} {sev} {line}: {msg[:200]}")
        table[b.name] = {**row, "codes": dict(by_code.most_common()), "alarm codes": dict(alarm_codes.most_common())}
    return table


def print_table(table: Dict[str, dict]) -> None:
    cols = ("pairs", "unparsed", "flagged", "gone in fix", "fixes", "fix alarms", "kc404 bug", "kc404 fix")
    print(f"{'benchmark':<14}" + "".join(f"{c:>12}" for c in cols))
    for name, row in table.items():
        cells = []
        for c in cols:
            v = row.get(c, 0)
            base = row.get("fixes" if c in ("fix alarms", "kc404 fix", "gone in fix") else "pairs", 0)
            cells.append(f"{v} ({100 * v // base}%)" if c not in ("pairs", "fixes", "unparsed") and base else str(v))
        print(f"{name:<14}" + "".join(f"{x:>12}" for x in cells))
    for name, row in table.items():
        print(f"{name}: buggy codes {row['codes']}; fix alarm codes {row['alarm codes']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where the benchmarks are materialised")
    ap.add_argument("--select", action="store_true", help="rewrite benchmarks/faultbench.txt from --root")
    ap.add_argument("--fetch-from", type=Path, metavar="MIRRORS", help="materialise the listed files from git mirrors")
    ap.add_argument("--show", choices=("missed", "alarms", "all"), help="list missed bugs and/or alarms on fixes")
    ap.add_argument("--only", help="one benchmark by name")
    ap.add_argument("--json", type=Path, help="write the table as JSON")
    ap.add_argument("--opt-in", action="store_true", help="also run the rules that are off by default (design smells)")
    args = ap.parse_args(argv)
    if args.opt_in:
        global CONFIG, OPT_IN
        from kerascount import rules
        from kerascount.config import Config

        OPT_IN = frozenset(r.CODE for r in rules.ALL if not r.DEFAULT_ENABLED)
        CONFIG = Config(extend_select=tuple(sorted(OPT_IN)))
    if args.select:
        LIST.write_text(select(args.root, args.fetch_from or Path("/work/.mirror")))
        return 0
    benchmarks = [b for b in read_list() if not args.only or b.name == args.only]
    if args.fetch_from:
        fetch(benchmarks, args.fetch_from, args.root)
        return 0
    table = measure(benchmarks, args.root, args.show or "")
    print_table(table)
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
