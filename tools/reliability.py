#!/usr/bin/env python3
"""Reliability report: kerascount over real code, and the attacks and loads it must withstand.

    python tools/reliability.py [--corpus DIR ...] [--skip-stdlib] [--site-sample N] [--biggest N] [--jobs N]
                                [--fuzz N]

Prints one Markdown table (for the README) and, below it, the details of anything that failed:

* **files**: every ``.py`` file of the standard library, the installed site-packages (all, or a
  seeded sample of ``--site-sample`` files) and each ``--corpus`` folder is read and analysed as
  ``kerascount lint`` does (files that never say "keras" are prefiltered); worker processes
  analyse them in chunks, and a worker that dies (a crash in a native parser) is reported with
  the file it was on, found by analysing that chunk's files one process each;
* **internal errors**: reports with ``internal_error`` set, crashed files, exceptions (with names);
* **slowest file**: CPU time of the analysis in the worker (CPU, not wall time: the machine may be shared);
* **largest memory**: the ``--biggest`` largest files that mention Keras, each analysed in a
  process of its own; peak RSS (VmHWM) and CPU time of the slowest;
* **forged cache**: a temporary git repository, a user who has run kerascount before, and a commit
  of a cache forged by another user to say that a 327M-parameter Flatten→Dense head is fine:
  kerascount must still report KC201;
* **determinism**: a heavy generated file analysed twice, the second time while CPU hogs load every
  core: the JSON output must be identical;
* **fuzz** (``--fuzz N``): ``tests/test_fuzz.py`` with N examples per test.

Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Per-file result: (path, cpu seconds, mentions keras, internal error or None).
Result = Tuple[str, float, bool, Optional[str]]


# -- the corpora ---------------------------------------------------------------------------


def python_files(folder: Path) -> List[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", ".git"))
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return out


#: The corpus analysed without the prefilter: the analyzer then runs over all of its code.
NO_PREFILTER = "standard library (no prefilter)"


def corpora(args: argparse.Namespace) -> Dict[str, List[str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    site = Path(sysconfig.get_paths()["purelib"])
    found = {} if args.skip_stdlib else {NO_PREFILTER: [f for f in python_files(stdlib) if "site-packages" not in f]}
    site_files = python_files(site)
    if args.site_sample and len(site_files) > args.site_sample:
        site_files = sorted(random.Random(0).sample(site_files, args.site_sample))
    found["site-packages" + (f" (sample of {args.site_sample})" if args.site_sample else "")] = site_files
    for corpus in args.corpus:
        found[f"corpus {corpus}"] = python_files(Path(corpus))
    return found


def analyse_chunk(paths: Sequence[str], prefilter: bool = True) -> List[Result]:
    """Analyse files as the CLI does (read, prefilter, analyse); runs in a worker process.

    Without ``prefilter``, every file is analysed as if it mentioned Keras (the standard library:
    real-world Python that has nothing to do with Keras, through the whole analyzer).
    """
    from kerascount import api
    from kerascount.api import analyze_file
    from kerascount.config import Config
    from kerascount.files import Source, decode, may_define_models, read

    if not prefilter:
        api.may_define_models = lambda text: True  # type: ignore[assignment]
    cfg = Config()
    out = []
    for path in paths:
        start = time.process_time()
        try:
            source = read(path)
            if not prefilter and source.text == "":  # files.read gives "" for files without "keras"
                with open(path, "rb") as fh:
                    source = decode(path, fh.read() + b"\n# keras\n")
                source = Source(path, source.text, source.error, source.cells)
            keras = source.text is not None and (not prefilter or may_define_models(source.text))
            report = analyze_file(source, cfg) if keras or source.text is None else None
            error = report.internal_error if report is not None else None
        except BaseException as exc:  # noqa: BLE001 - the report names it
            keras, error = True, f"raised {type(exc).__name__}: {exc}"
        out.append((path, time.process_time() - start, keras, error))
    return out


def analyse_alone(path: str, prefilter: bool = True) -> Result:
    """One file in a process of its own: a crash is a result, not the end of the run."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[2]); from tools.reliability import analyse_chunk; "
            "print(json.dumps(analyse_chunk([sys.argv[1]], sys.argv[3] == '1')[0]))")
    r = subprocess.run([sys.executable, "-c", code, path, str(ROOT), "1" if prefilter else "0"], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        return path, 0.0, True, f"the process died (exit status {r.returncode}): {r.stderr.strip()[-300:]}"
    found = json.loads(r.stdout)
    return found[0], found[1], found[2], found[3]


def analyse_all(paths: List[str], jobs: int, prefilter: bool = True) -> List[Result]:
    chunks = [paths[i:i + 50] for i in range(0, len(paths), 50)]
    results: List[Result] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(chunk, pool.submit(analyse_chunk, chunk, prefilter)) for chunk in chunks]
        broken = []
        for chunk, future in futures:
            try:
                results.extend(future.result())
            except BrokenProcessPool:  # a worker died: find the file, one process each
                broken.append(chunk)
            print(f"\r{len(results):,} / {len(paths):,} files", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for chunk in broken:
        results.extend(analyse_alone(p, prefilter) for p in chunk)
    return results


# -- memory of the biggest files -----------------------------------------------------------

MEASURE = """\
import json, resource, sys
sys.path.insert(0, sys.argv[2])
from kerascount.api import analyze_file
from kerascount.files import read
source = read(sys.argv[1])
start = resource.getrusage(resource.RUSAGE_SELF)
report = analyze_file(source)
end = resource.getrusage(resource.RUSAGE_SELF)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps([end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime, peak, report.internal_error]))
"""


def biggest(results: List[Result], n: int) -> List[Tuple[str, float, float, Optional[str]]]:
    """(path, cpu seconds, peak RSS in MB, error) of the n largest files that mention Keras."""
    keras_files = sorted({r[0] for r in results if r[2]}, key=lambda p: -os.path.getsize(p))[:n]
    out = []
    for path in keras_files:
        r = subprocess.run([sys.executable, "-c", MEASURE, path, str(ROOT)], capture_output=True, text=True,
                           timeout=600)
        if r.returncode != 0:
            out.append((path, 0.0, 0.0, f"the process died (exit status {r.returncode})"))
            continue
        cpu, peak, error = json.loads(r.stdout)
        out.append((path, cpu, peak, error))
    return out


# -- the forged cache ----------------------------------------------------------------------


def forged_cache() -> Tuple[bool, str]:
    """A cache forged by another user and committed to the repository must not hide KC201."""
    from kerascount import cache

    seed = (ROOT / "fixtures/seeds/bilag5_dense_head.py").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)

        def lint(folder: Path, home: str) -> subprocess.CompletedProcess:
            env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(base / home))
            return subprocess.run([sys.executable, "-m", "kerascount", "lint", "model.py"], cwd=folder, env=env,
                                  capture_output=True, text=True, timeout=120)

        def git(*argv: str) -> None:
            subprocess.run(["git", "-c", "user.name=r", "-c", "user.email=r@example.com", *argv], cwd=base / "repo",
                           check=True, capture_output=True, timeout=60)

        for folder in ("forger", "repo"):
            (base / folder).mkdir()
            (base / folder / "model.py").write_text(seed)
        lint(base / "forger", "forger-home")
        pack = next((base / "forger" / ".kerascount_cache").rglob("cache-*.json"))
        secret = bytes.fromhex((base / "forger-home" / "kerascount" / "key").read_text())
        data = json.loads(cache.unseal(secret, pack.read_bytes()) or b"{}")
        for result in data.get("results", {}).values():
            result["diagnostics"] = []
        pack.write_bytes(cache.seal(secret, json.dumps(data).encode()))
        if lint(base / "forger", "forger-home").stdout != "All checks passed!\n":
            return False, "the forged cache does not hide the finding even for its forger: the scenario is broken"
        git("init", "-q")
        lint(base / "repo", "victim-home")  # the victim has used kerascount here before
        target = next((base / "repo" / ".kerascount_cache").rglob("cache-*.json"))
        target.write_bytes(pack.read_bytes())
        target.with_name(pack.name).write_bytes(pack.read_bytes())
        git("add", "model.py")
        git("add", "-f", ".kerascount_cache")
        git("commit", "-q", "-m", "a cache")
        outcomes = []
        for home in ("victim-home", "forger-home"):
            r = lint(base / "repo", home)
            outcomes.append(r.returncode == 1 and "KC201" in r.stdout)
        git("rm", "-q", "-r", "--cached", ".kerascount_cache")  # untracked: the key alone must reject it
        r = lint(base / "repo", "victim-home")
        outcomes.append(r.returncode == 1 and "KC201" in r.stdout)
    if all(outcomes):
        return True, "ignored: KC201 still reported (tracked folder not read; untracked, the seal does not verify)"
    return False, f"the forged cache hid the finding (victim, forger, untracked: {outcomes})"


# -- determinism under load ------------------------------------------------------------------

HEAVY = """\
import keras
from keras import layers


def block(x, filters):
    for _ in range(3):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
    return layers.MaxPooling2D()(x)


table = {}
for i in range(200):
    for j in range(400):
        table[(i * j) % 97] = table.get((i * j) % 97, 0) + i * j

inputs = keras.Input((256, 256, 3))
x = inputs
for filters in (32, 64, 128, 256, 512):
    x = block(x, filters)
x = layers.Flatten()(x)
outputs = layers.Dense(len(table))(x)
model = keras.Model(inputs, outputs)
"""


def determinism() -> Tuple[bool, str]:
    """The heavy file's JSON output, alone and under CPU hogs (one a core), must be the same."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "heavy.py"
        path.write_text(HEAVY)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        argv = [sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache", str(path)]
        start = time.monotonic()
        quiet = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
        quiet_s = time.monotonic() - start
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
        try:
            start = time.monotonic()
            loaded = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
            loaded_s = time.monotonic() - start
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    same = quiet.stdout == loaded.stdout and quiet.returncode == loaded.returncode and quiet.stdout != ""
    return same, (f"{'identical' if same else 'DIFFERENT'} output ({quiet_s:.1f} s alone, {loaded_s:.1f} s "
                  f"under {len(hogs)} CPU hogs)")


def fuzz(examples: int) -> Tuple[bool, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KERASCOUNT_FUZZ_EXAMPLES=str(examples))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    last = (r.stdout.strip().splitlines() or ["no output"])[-1]
    return r.returncode == 0, f"{examples} examples a test: {last}"


# -- the report ----------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", action="append", default=[], metavar="DIR", help="a folder of real code (repeatable)")
    p.add_argument("--skip-stdlib", action="store_true", help="leave out the standard library (the longest part)")
    p.add_argument("--site-sample", type=int, default=0, metavar="N", help="analyse N site-packages files (0: all)")
    p.add_argument("--biggest", type=int, default=10, metavar="N", help="measure the N largest Keras files alone")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="worker processes (default 2)")
    p.add_argument("--fuzz", type=int, default=0, metavar="N", help="also run tests/test_fuzz.py with N examples")
    args = p.parse_args(argv)

    rows: List[Tuple[str, str]] = []
    failures: List[str] = []
    everything: List[Result] = []
    for name, paths in corpora(args).items():
        start = time.monotonic()
        results = analyse_all(paths, args.jobs, prefilter=name != NO_PREFILTER)
        if name != NO_PREFILTER:
            everything.extend(results)
        errors = [r for r in results if r[3]]
        slowest = max(results, key=lambda r: r[1], default=None)
        keras = sum(1 for r in results if r[2])
        rows.append((f"{name}: files (mention Keras)", f"{len(results):,} ({keras:,}), {time.monotonic() - start:.0f} s"))
        rows.append((f"{name}: internal errors", f"{len(errors)}" + (" — " + "; ".join(
            f"{os.path.basename(r[0])}: {r[3].split(':')[0]}" for r in errors[:5]) if errors else "")))
        if slowest is not None:
            rows.append((f"{name}: slowest file (CPU)", f"{_short(slowest[0])}, {slowest[1]:.2f} s"))
        failures.extend(f"{r[0]}: {r[3]}" for r in errors)
    measured = biggest(everything, args.biggest)
    if measured:
        top = max(measured, key=lambda m: m[2])
        slow = max(measured, key=lambda m: m[1])
        rows.append((f"largest memory ({len(measured)} biggest Keras files, one process each)",
                     f"{top[2]:.0f} MB peak RSS ({_short(top[0])}, {os.path.getsize(top[0]) // 1000:,} KB); "
                     f"slowest {slow[1]:.2f} s CPU ({_short(slow[0])})"))
        failures.extend(f"{m[0]}: {m[3]}" for m in measured if m[3])
    for name, check in (("forged cache", forged_cache), ("determinism under CPU load", determinism)):
        ok, detail = check()
        rows.append((name, detail))
        if not ok:
            failures.append(f"{name}: {detail}")
    if args.fuzz:
        ok, detail = fuzz(args.fuzz)
        rows.append(("fuzz (tests/test_fuzz.py)", detail))
        if not ok:
            failures.append(f"fuzz: {detail}")

    print("| check | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if failures:
        print("\nFailures:")
        for failure in failures:
            print(f"- {failure}")
    return 1 if failures else 0


def _short(path: str) -> str:
    parts = Path(path).parts
    return "/".join(parts[-3:]) if len(parts) > 3 else path


if __name__ == "__main__":
    sys.exit(main())
