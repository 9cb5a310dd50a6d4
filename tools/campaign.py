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

from tools import gen_models, gen_programs  # noqa: E402

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
# Never wrong (programs of tools/gen_programs.py): unknown and symbolic are
# allowed, a different exact number is not.
# --------------------------------------------------------------------------


def _known(v):
    """A number kerascount states (not unknown, not a symbolic expression)."""
    return v is not None and not isinstance(v, str)


def shape_problem(expected, got):
    """Why kerascount's shape `got` contradicts Keras's `expected` (None: it does not)."""
    if got is None or isinstance(got, str) or got is MISSING:
        return None
    if not isinstance(expected, list) or len(expected) != len(got):
        return "rank"
    for e, a in zip(expected, got):
        if isinstance(a, str):
            continue
        if a != e:  # an int that differs, or None (a dimension Keras knows) where Keras has a number
            return "dimension"
    return None


def contradictions(expected, got, keys, shapes=("inputs", "outputs", "output_shape")):
    """(key, expected, got) for every key where kerascount states something Keras contradicts."""
    out = []
    for key in keys:
        ev, av = expected.get(key, MISSING), got.get(key, MISSING)
        if av is MISSING:
            continue
        if key in ("inputs", "outputs"):  # a list of shapes (a shape may be unknown)
            if isinstance(av, list) and (not isinstance(ev, list) or len(ev) != len(av)
                                         or any(shape_problem(e, a) for e, a in zip(ev, av))):
                out.append((key, ev, av))
        elif key in shapes:
            if shape_problem(ev, av):
                out.append((key, ev, av))
        elif key in ("name", "type"):
            # The identity of a layer row whose numbers are unknown is not a claim (kerascount names a layer
            # it cannot see after the expression that made it, e.g. "lambda").
            if av not in (None, "?") and av != ev and _known(got.get("params")):  # ('?': a name not known)
                out.append((key, ev, av))
        elif key == "kind":
            if av is not None and av != ev:
                out.append((key, ev, av))
        elif _known(av) and av != ev:
            out.append((key, ev, av))
    return out


def _by_line(models):
    """{line: [models reported at that line, in order]}."""
    out = {}
    for m in models:
        out.setdefault(m.get("line"), []).append(m)
    return out


def _states_numbers(model):
    return any(_known(model.get(k)) for k in MODEL_KEYS[4:]) or any(
        _known(layer.get("params")) for layer in model.get("layers") or [])


class Tally:
    """Per-model outcomes over a campaign of never-wrong comparisons."""

    def __init__(self):
        self.models = self.exact = self.partial = self.missed = self.renamed = 0
        #: Unknown models given each way of an undecided condition (kerascount/alternatives.py), and those of them
        #: whose ways are all exact, so that Keras's model must be one of them.
        self.ways = self.ways_checked = 0

    def add(self, other):
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def line(self):
        share = 100 * self.exact / max(1, self.models)
        return (f"keras-models {self.models} exact {self.exact} ({share:.1f}%) symbolic-or-unknown"
                f" {self.partial} not-found {self.missed} (exact but some layer named otherwise: {self.renamed});"
                f" given ways {self.ways}, Keras's model one of them {self.ways_checked}")


def _model_verdict(e, a, stopped=False):
    """(exact, [problem lines], layers whose name alone differs) of kerascount's model `a` against Keras's
    model `e`."""
    keys, layer_keys = MODEL_KEYS[1:], LAYER_KEYS[1:]
    if stopped:
        # The program raised in Keras: the truth is the model as it was then, kerascount's as the whole program
        # leaves it (it may not see the error); trainable flags set after that point differ.
        keys, layer_keys = MODEL_KEYS[1:5], LAYER_KEYS[1:4]
    if e.get("built") is False and not e.get("layers") and not a.get("layers"):
        keys = ("kind",)  # a Sequential with only its Input: unbuilt, its summary says 0 params (truth: null)
    lines = [f"  {k}: expected {fmt(k, ev)}, got {fmt(k, av)}" for k, ev, av in contradictions(e, a, keys)]
    el, al = e.get("layers") or [], a.get("layers") or []
    exact = a.get("status") == "exact" and all(a.get(k) == e.get(k) for k in MODEL_KEYS[4:])
    if len(el) == len(al):
        pairs = list(zip(el, al))
    else:
        if exact:
            lines.append(f"  layers: expected {len(el)}, got {len(al)} (in an exact model)")
        named = {x.get("name"): x for x in el}
        pairs = [(named[y.get("name")], y) for y in al if y.get("name") in named]
    names = 0
    for x, y in pairs:
        if contradictions(x, y, layer_keys):
            lines.append(f"  layer expected {layer_row(x)}")
            lines.append(f"        got      {layer_row(y)}")
        elif contradictions(x, y, LAYER_KEYS[:1]):
            # Only the name differs: in a model kerascount calls exact, a disagreement (its names are Keras's or
            # '?'); elsewhere counted only.
            names += 1
            if exact:
                lines.append(f"  layer named {y.get('name')!r}, Keras's name is {x.get('name')!r} (in an exact model)")
    return exact, lines, names


#: The counts of a way through undecided conditions (kerascount's JSON ``alternatives``).
WAY_KEYS = ("total_params", "trainable_params", "non_trainable_params")


def _ways_problems(expected, ours, tally):
    """An unknown model kerascount gives the ways of (each the model on one way through conditions it cannot
    decide, all exact): the model Keras built at its line must be one of them, count for count."""
    problems = []
    for line, mine in ours.items():
        theirs = expected.get(line, [])
        for a in mine:
            ways = a.get("alternatives")
            if not ways:
                continue
            tally.ways += 1
            counts = [tuple(w.get(k) for k in WAY_KEYS) for w in ways if w.get("error") is None]
            if len(mine) != 1 or len(theirs) != 1 or not all(type(v) is int for c in counts for v in c):
                continue  # (several models at the line, or a symbolic way: not compared)
            tally.ways_checked += 1
            built = tuple(theirs[0].get(k) for k in WAY_KEYS)
            if built not in counts:
                problems.append(f"model at line {line}: Keras built {built} (total, trainable, non-trainable), "
                                f"none of the ways kerascount gives: {counts}")
    return problems


def _each_run(model):
    """Is the model one kerascount says every run of a loop builds (its caveat)?"""
    return (model.get("caveat") or "").startswith("built in each run of the loop over ")


def never_wrong(truth, got):
    """(rejected, problems, Tally) for one program: kerascount may leave any number unknown or symbolic,
    but every exact number, shape, layer name and type it states must be Keras's, and it must not state
    the numbers of a model Keras never built (unless it reports the error Keras raised)."""
    tally = Tally()
    err = truth.get("error")
    if err is not None and err.get("type") == "KerasTruthError":
        return False, [f"keras_truth failed: {err.get('message')}"], tally
    if got is None:
        return bool(err), ["kerascount output has no entry for this file"], tally
    diags = got.get("diagnostics") or []
    errors = [d for d in diags if d.get("severity") == "error"]
    problems = []
    expected = _by_line(truth.get("models") or [])
    ours = _by_line(got.get("models") or [])
    # Models are matched by line. A line may build several models (a builder called twice) and kerascount
    # may not list them in Keras's order (one call under a condition it cannot decide): what it states for a
    # model must then hold for one of the models Keras built at that line.
    verdicts = {}  # (id of ours, index of truth at its line) -> (exact, [problem lines])
    for line, mine in ours.items():
        for a in mine:
            for j, e in enumerate(expected.get(line, [])):
                verdicts[id(a), j] = _model_verdict(e, a, stopped=err is not None)
            options = [verdicts[id(a), j] for j in range(len(expected.get(line, [])))]
            # A model with a caveat is one alternative (built only under a condition kerascount cannot decide,
            # or by a function nothing calls): Keras may have built another model at its line. Not one built in
            # each run of a loop over items kerascount cannot know: every model Keras built there is that one.
            if options and _each_run(a) and any(lines for _, lines, _ in options):
                # (each run builds it: every model Keras built at its line must be it)
                j = next(j for j, (_, lines, _) in enumerate(options) if lines)
                problems.append(f"model at line {line}, built in each run of a loop, is not the one Keras built in "
                                f"run {j + 1}:\n" + "\n".join(options[j][1]))
            elif options and all(lines for _, lines, _ in options) and not a.get("caveat"):
                n = mine.index(a)
                e = expected[line][min(n, len(options) - 1)]
                problems.append(f"model at line {line} #{n} ({e.get('kind')}):\n"
                                + "\n".join(options[min(n, len(options) - 1)][1]))
    for line, theirs in expected.items():
        for j, e in enumerate(theirs):
            tally.models += 1
            fits = [verdicts[id(a), j] for a in ours.get(line, []) if not verdicts[id(a), j][1]]
            if not fits and all(a.get("caveat") for a in ours.get(line, [])):
                tally.missed += 1
            elif any(exact for exact, _, _ in fits):
                tally.exact += 1
                tally.renamed += all(names for exact, _, names in fits if exact) > 0
            else:
                tally.partial += 1
    problems += _ways_problems(expected, ours, tally) if err is None else []
    if err is not None:
        accepted = {err.get("line"), (err.get("layer") or {}).get("line")} - {None}
        if any(diag_lines(d) & accepted for d in errors):
            return True, problems, tally
    failing = {err.get("line"), (err.get("layer") or {}).get("line")} - {None} if err else set()
    for line, mine in ours.items():
        for a in mine[len(expected.get(line, [])):] if expected.get(line) else mine:
            if a.get("caveat") or not (_known(a.get("total_params")) if err else _states_numbers(a)):
                # (a caveat says the model may not be built: under a condition the analysis cannot decide, or
                # by a function nothing calls, run with its default arguments)
                continue
            if err and not failing & ({line} | {x.get("line") for x in a.get("layers") or []}):
                continue  # built after the point where the program stopped in Keras: nothing to compare
            where = (f"Keras raised {err['type']} at line {err.get('line')}: {err.get('message')}" if err
                     else "Keras built no such model")
            problems.append(f"model at line {line}: kerascount states numbers ({a.get('total_params')}"
                            f" params) but {where}")
    if err is None and errors:
        problems.append("Keras built the file but kerascount reports errors:" + show_diags(errors))
    return err is not None, problems, tally


# --------------------------------------------------------------------------
# Campaign
# --------------------------------------------------------------------------


class Result:
    def __init__(self):
        self.models = self.agree = self.disagree = self.rejected = 0
        self.details = []  # (path, regenerate command, [problems])
        self.seconds = 0.0
        self.tally = None  # Tally of the never-wrong comparison (programs)

    def closing_line(self):
        head = "programs" if self.tally else "models"
        return (f"{head} {self.models} agree {self.agree} disagree {self.disagree}"
                f" keras-rejected {self.rejected}") + (f"; {self.tally.line()}" if self.tally else "")


def compare_all(paths, truths, got_by_path, seed=None, disable=(), programs=False):
    """Compare per file: exactly (gen_models programs) or never-wrong (gen_programs, `programs`)."""
    res = Result()
    if programs:
        res.tally = Tally()
    tool = "gen_programs" if programs else "gen_models"
    for i, (path, truth) in enumerate(zip(paths, truths)):
        got = got_by_path.get(os.path.normpath(os.path.abspath(path)))
        if programs:
            rejected, problems, tally = never_wrong(truth, got)
            res.tally.add(tally)
        else:
            rejected, problems = compare_file(truth, got)
        res.models += 1
        res.rejected += rejected
        if problems:
            res.disagree += 1
            regen = None if seed is None else f"python tools/{tool}.py --seed {seed} --index {i}" + (
                f" --disable {','.join(disable)}" if disable else "")
            res.details.append((path, regen, problems))
        else:
            res.agree += 1
    return res


def run_campaign(seed, count, jobs=2, keep_dir=None, disable=(), programs=False):
    """Generate, run both sides, compare; returns a Result."""
    t0 = time.monotonic()
    tmp = None
    if keep_dir:
        out_dir = os.path.abspath(keep_dir)
    else:
        tmp = out_dir = tempfile.mkdtemp(prefix="kerascount-campaign-")
    try:
        gen = gen_programs if programs else gen_models
        paths = gen.write_files(seed, count, out_dir, disable)
        truths = keras_truth(paths, jobs=jobs)
        got = run_kerascount(paths)
        res = compare_all(paths, truths, got, seed=seed, disable=disable, programs=programs)
        if keep_dir:
            for path, truth in zip(paths, truths):
                with open(path[:-3] + ".keras.json", "w", encoding="utf-8") as f:
                    json.dump(truth, f, indent=1)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    res.seconds = time.monotonic() - t0
    return res


def recheck(folder, seed=None, programs=False):
    """Compare the programs kept in `folder` (by --keep-dir) with their kept truth files."""
    import glob

    t0 = time.monotonic()
    pattern = os.path.join(folder, "p*", "main.py") if programs else os.path.join(folder, "gen_*.py")
    paths = sorted(p for p in glob.glob(pattern) if os.path.exists(p[:-3] + ".keras.json"))
    truths = []
    for path in paths:
        with open(path[:-3] + ".keras.json", encoding="utf-8") as f:
            truths.append(json.load(f))
    res = compare_all(paths, truths, run_kerascount(paths), seed=seed, programs=programs)
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
    p.add_argument("--seed", required=True, help="batch seed (with --recheck: the seed the batch was made with)")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep-dir", help="write the programs (and X.keras.json truth) here and keep them")
    p.add_argument("--programs", action="store_true",
                   help="Python-level programs of tools/gen_programs.py (one folder each), compared never-wrong:"
                        " unknown or symbolic numbers are allowed, a different exact number is not")
    p.add_argument("--disable", default="",
                   help="comma-separated generator features to leave out: " + ", ".join(gen_models.FEATURES)
                   + " (with --programs: " + ", ".join(gen_programs.FEATURES) + ")")
    p.add_argument("--recheck", metavar="DIR",
                   help="compare again the programs a --keep-dir run left in DIR with their kept truth (after"
                        " a change to kerascount; real Keras is not run again)")
    args = p.parse_args(argv)
    off = tuple(x for x in args.disable.split(",") if x)
    if args.recheck:
        res = recheck(args.recheck, seed=args.seed, programs=args.programs)
    else:
            res = run_campaign(args.seed, args.count, jobs=args.jobs, keep_dir=args.keep_dir, disable=off,
                           programs=args.programs)
    if res.details:
        print(format_details(res))
    print(f"({res.seconds:.1f} s, {100 * res.seconds / max(1, res.models):.1f} s per 100 models)", file=sys.stderr)
    print(res.closing_line())
    return 1 if res.disagree else 0


if __name__ == "__main__":
    sys.exit(main())
