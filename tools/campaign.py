#!/usr/bin/env python3
"""Differential campaign: random Keras programs, real Keras vs kerascount.

    python tools/campaign.py --seed S --count N [--jobs 2] [--keep-dir DIR]

Writes N programs from tools/gen_models.py (into DIR, or a temporary
directory that is removed afterwards), gets real-Keras ground truth for all
of them (tools/keras_truth.truth_for_files), runs kerascount ONCE on all
files (`python -m kerascount summary --format json ...`) and compares per
file.  Details of each disagreement are printed, then one closing line:

    models N agree A disagree D keras-rejected R

N = A + D (one per generated file); R counts the files real Keras rejected
(a rejected file agrees when kerascount reports an error there, so R
overlaps A and D).  Exit status 1 if D > 0.

Comparison, per file:
* Keras built everything: kerascount must list the same models (by line, in
  order) with identical kind, inputs, outputs, total/trainable/non-trainable
  params, and per layer name, type, output_shape, params, trainable and
  non-trainable params.  null (unknown) or a string (symbolic) where Keras
  has a number is a disagreement (generated code has only constants).
  A kerascount diagnostic of severity "error" is a disagreement too.
* Keras raised: kerascount must report a diagnostic of severity "error"
  whose line range covers the line Keras raised at or the line where the
  failing layer was constructed (they differ for a layer inside a multi-line
  `Sequential([...])`, which fails when the Sequential is built).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TOOLS_DIR)
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tools import gen_models  # noqa: E402

MODEL_KEYS = ("line", "kind", "inputs", "outputs", "total_params", "trainable_params", "non_trainable_params")
LAYER_KEYS = ("name", "type", "output_shape", "params", "trainable_params", "non_trainable_params")
MISSING = "<missing>"


# --------------------------------------------------------------------------
# Running the two sides
# --------------------------------------------------------------------------


def keras_truth(paths, jobs=2):
    from tools.keras_truth import truth_for_files

    return truth_for_files(paths, jobs=jobs)


def run_kerascount(paths, python=None):
    """Run kerascount once on all `paths`; return {abspath: file record}."""
    cmd = [python or sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache", *paths]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
        files = data["files"]
    except (ValueError, KeyError, TypeError) as e:
        raise RuntimeError(
            f"kerascount exited with {proc.returncode} and printed no JSON ({e}): {proc.stdout[:500]!r}\n"
            + proc.stderr[-3000:]
        )
    # Exit 2 with JSON: some files hit an internal error; they are missing
    # from `files` (or carry the error) and so count as disagreements.
    return {os.path.normpath(os.path.join(REPO_ROOT, f["path"])): f for f in files}


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------


def fmt_shape(s):
    if s is MISSING:
        return MISSING
    if s is None:
        return "?"
    if isinstance(s, list) and s and isinstance(s[0], list):
        return "[" + ", ".join(fmt_shape(x) for x in s) + "]"
    if isinstance(s, list):
        return "(" + ", ".join("None" if d is None else str(d) for d in s) + ")"
    return repr(s)


def fmt(key, v):
    if key in ("inputs", "outputs") and isinstance(v, list):
        return "[" + ", ".join(fmt_shape(s) for s in v) + "]"
    if key == "output_shape":
        return fmt_shape(v)
    return "null" if v is None else str(v)


def layer_row(layer):
    g = lambda k: layer.get(k, MISSING)  # noqa: E731
    return (f"{g('name')} ({g('type')}) {fmt_shape(g('output_shape'))} params={fmt('params', g('params'))}"
            f" trainable={fmt('', g('trainable_params'))} non_trainable={fmt('', g('non_trainable_params'))}")


def compare_models(expected, got):
    """Problems (strings) between truth models and kerascount models."""
    problems = []
    if len(expected) != len(got):
        problems.append(
            f"expected {len(expected)} model(s) at lines {[m.get('line') for m in expected]}, "
            f"got {len(got)} at lines {[m.get('line') for m in got]}"
        )
    for i, (e, a) in enumerate(zip(expected, got)):
        lines = []
        for key in MODEL_KEYS:
            ev, av = e.get(key, MISSING), a.get(key, MISSING)
            if ev != av:
                lines.append(f"  {key}: expected {fmt(key, ev)}, got {fmt(key, av)}")
        el, al = e.get("layers") or [], a.get("layers") or []
        if len(el) != len(al):
            lines.append(f"  layers: expected {len(el)}, got {len(al)}")
        for j in range(max(len(el), len(al))):
            x = el[j] if j < len(el) else None
            y = al[j] if j < len(al) else None
            if x is not None and y is not None and all(x.get(k, MISSING) == y.get(k, MISSING) for k in LAYER_KEYS):
                continue
            lines.append(f"  layer {j}: expected {layer_row(x) if x else '-'}")
            lines.append(f"  {' ' * len(str(j))}       got      {layer_row(y) if y else '-'}")
        if lines:
            problems.append(f"model #{i} (line {e.get('line')} {e.get('kind')}):\n" + "\n".join(lines))
    return problems


def diag_lines(d):
    start, end = d.get("line"), d.get("end_line") or d.get("line")
    if not isinstance(start, int):
        return set()
    if not isinstance(end, int) or end < start:
        end = start
    return set(range(start, end + 1))


def show_diags(diags):
    return "".join(
        f"\n    {d.get('severity')} {d.get('code')} line {d.get('line')}-{d.get('end_line')}: {d.get('message')}"
        for d in diags
    ) or " none"


def compare_file(truth, got):
    """(rejected, problems) for one file."""
    err = truth.get("error")
    if got is None:
        return bool(err), ["kerascount output has no entry for this file"]
    diags = got.get("diagnostics") or []
    errors = [d for d in diags if d.get("severity") == "error"]
    if err is not None:
        if err.get("type") == "KerasTruthError":
            return False, [f"keras_truth failed: {err.get('message')}"]
        accepted = {err.get("line")}
        layer = err.get("layer") or {}
        accepted.add(layer.get("line"))
        accepted.discard(None)
        if any(diag_lines(d) & accepted for d in errors):
            return True, []
        return True, [
            f"Keras raised {err['type']} at line {err.get('line')}"
            + (f" (layer {layer.get('name')} {layer.get('type')} from line {layer.get('line')})" if layer else "")
            + f": {err.get('message')}\n  expected an error diagnostic on line"
            f" {' or '.join(str(n) for n in sorted(accepted)) or '?'}; kerascount diagnostics:{show_diags(diags)}"
        ]
    problems = compare_models(truth.get("models") or [], got.get("models") or [])
    if errors:
        problems.append("Keras built the file but kerascount reports errors:" + show_diags(errors))
    return False, problems


# --------------------------------------------------------------------------
# Campaign
# --------------------------------------------------------------------------


class Result:
    def __init__(self):
        self.models = self.agree = self.disagree = self.rejected = 0
        self.details = []  # (path, regenerate command, [problems])
        self.seconds = 0.0

    def closing_line(self):
        return (f"models {self.models} agree {self.agree} disagree {self.disagree}"
                f" keras-rejected {self.rejected}")


def compare_all(paths, truths, got_by_path, seed=None, disable=()):
    res = Result()
    for i, (path, truth) in enumerate(zip(paths, truths)):
        got = got_by_path.get(os.path.normpath(os.path.abspath(path)))
        rejected, problems = compare_file(truth, got)
        res.models += 1
        res.rejected += rejected
        if problems:
            res.disagree += 1
            regen = None if seed is None else f"python tools/gen_models.py --seed {seed} --index {i}" + (
                f" --disable {','.join(disable)}" if disable else "")
            res.details.append((path, regen, problems))
        else:
            res.agree += 1
    return res


def run_campaign(seed, count, jobs=2, keep_dir=None, disable=()):
    """Generate, run both sides, compare; returns a Result."""
    t0 = time.monotonic()
    tmp = None
    if keep_dir:
        out_dir = os.path.abspath(keep_dir)
    else:
        tmp = out_dir = tempfile.mkdtemp(prefix="kerascount-campaign-")
    try:
        paths = gen_models.write_files(seed, count, out_dir, disable)
        truths = keras_truth(paths, jobs=jobs)
        got = run_kerascount(paths)
        res = compare_all(paths, truths, got, seed=seed, disable=disable)
        if keep_dir:
            for path, truth in zip(paths, truths):
                with open(path[:-3] + ".keras.json", "w", encoding="utf-8") as f:
                    json.dump(truth, f, indent=1)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    res.seconds = time.monotonic() - t0
    return res


def format_details(res, with_source=False):
    out = []
    for path, regen, problems in res.details:
        out.append(f"=== DISAGREE {path}" + (f"\n    (regenerate: {regen})" if regen else ""))
        out.extend(problems)
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description="Random Keras programs: real Keras vs kerascount.")
    p.add_argument("--seed", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep-dir", help="write the programs (and X.keras.json truth) here and keep them")
    p.add_argument("--disable", default="",
                   help="comma-separated generator features to leave out: " + ", ".join(gen_models.FEATURES))
    args = p.parse_args(argv)
    off = tuple(x for x in args.disable.split(",") if x)
    res = run_campaign(args.seed, args.count, jobs=args.jobs, keep_dir=args.keep_dir, disable=off)
    if res.details:
        print(format_details(res))
    print(f"({res.seconds:.1f} s, {100 * res.seconds / max(1, res.models):.1f} s per 100 models)", file=sys.stderr)
    print(res.closing_line())
    return 1 if res.disagree else 0


if __name__ == "__main__":
    sys.exit(main())
