"""Bad and strange input never crashes or hangs kerascount.

- the CLI over the whole standard library of the running Python (as a user would run it);
- a seeded sample of standard-library modules analysed *without* the prefilter, so the
  interpreter runs over real-world Python that has nothing to do with Keras;
- a seeded fuzz that mutates the fixture sources (deleted, duplicated, swapped lines; numbers
  replaced by zero, negative or huge values; truncated files) and requires a clean answer.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from kerascount.api import analyze_source
from kerascount.extract import extract
from kerascount.infer import infer_file

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _stdlib_files():
    return sorted(p for p in STDLIB.rglob("*.py") if "site-packages" not in p.parts)


def test_cli_over_the_standard_library():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "kerascount", "lint", "--exit-zero", str(STDLIB)], capture_output=True,
                       text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert time.monotonic() - t0 < 300


@pytest.mark.parametrize("index", range(40))
def test_interpreter_on_stdlib_sample(index):
    files = _stdlib_files()
    path = random.Random(f"stdlib-{index}").choice(files)
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        pytest.skip(f"{path} is not UTF-8 text")
    t0 = time.process_time()
    ir = extract(text, str(path))  # no prefilter: the interpreter runs over the whole module
    infer_file(ir)
    assert time.process_time() - t0 < 60, path


def _mutants(source: str, rng: random.Random, count: int):
    lines = source.split("\n")
    for _ in range(count):
        kind = rng.randrange(6)
        out = list(lines)
        if kind == 0 and out:
            del out[rng.randrange(len(out))]
        elif kind == 1 and out:
            i = rng.randrange(len(out))
            out.insert(i, out[i])
        elif kind == 2 and len(out) > 1:
            i, j = rng.randrange(len(out)), rng.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        elif kind == 3:
            text = "\n".join(out)
            value = rng.choice(["0", "-1", "-7", "10**9", "2**40", "None", "'x'", "1.5", "()"])
            numbers = list(re.finditer(r"\b\d+\b", text))
            if numbers:
                m = rng.choice(numbers)
                text = text[: m.start()] + value + text[m.end():]
            yield text
            continue
        elif kind == 4:
            text = "\n".join(out)
            yield text[: rng.randrange(len(text) + 1)]
            continue
        else:
            i = rng.randrange(len(out) + 1)
            out.insert(i, rng.choice(["for i in range(10**9):", "while True:", "    x = x", "del keras",
                                      "Dense = 3", "x = x(x)", "def f(*a, **k): return f(*a, **k)", "f()",
                                      "raise ValueError", "import keras.layers as layers", "(((((("]))
        yield "\n".join(out)


FIXTURE_FILES = sorted((ROOT / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES[::3], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_fuzzed_fixtures_never_crash(path):
    source = path.read_text()
    rng = random.Random(path.name)
    for mutant in _mutants(source, rng, 12):
        t0 = time.process_time()  # (CPU time: a bound against a hang, which a loaded machine's waits do not move)
        report = analyze_source(mutant, "fuzz.py")
        assert report.internal_error is None, (report.internal_error, mutant)
        assert time.process_time() - t0 < 60


@pytest.mark.parametrize("source", [
    "",
    "\n\n\n",
    "import keras\n" + "x = " + "(" * 500 + "1" + ")" * 500 + "\n",
    "import keras\n" + "x = " + " + ".join(["1"] * 3000) + "\n",
    "import keras\nx = [" + ", ".join(str(i) for i in range(20000)) + "]\n",
    "import keras\n" + "y = 1  # " + "a" * 200000 + "\n",
    "import keras\ndef f(n):\n    return f(n + 1)\nf(0)\n",
    "import keras\nfrom keras import layers\nx = keras.Input((8,))\nfor i in range(10**12):\n    x = layers.Dense(8)(x)\n",
    "import keras\nfrom keras import layers\nL = []\nwhile True:\n    L.append(layers.Dense(1))\n",
    "import keras\nx = 2\nfor i in range(64):\n    x = x * x\n",
    # (keras.ops.arange keeps its values while short: a long one made a tuple of every number, the fuzzed
    # fixtures/ops/eager_anchor_tables.py's `ops.arange(10**9)` all the memory there was)
    "import keras\nfrom keras import ops\nx = ops.arange(10**9)\ny = ops.arange(3, 10**20, 2)\n",
    "import keras\nclass A(keras.Model):\n    def call(self, x):\n        return x\nA()(keras.Input((3,)))\n",
], ids=lambda s: repr(s[:40]))
def test_pathological_sources(source):
    t0 = time.process_time()
    report = analyze_source(source, "p.py")
    assert report.internal_error is None, report.internal_error
    assert time.process_time() - t0 < 60


def test_a_failing_rule_does_not_hide_the_others(monkeypatch):
    from kerascount import rules
    from kerascount.rules.size import FlattenDenseHead

    def broken(self, ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(rules.BY_CODE["KC401"], "check", broken)
    src = (ROOT / "fixtures/seeds/bilag5_dense_head.py").read_text()
    report = analyze_source(src, "m.py")
    assert report.internal_error and "KC401" in report.internal_error
    assert report.models and any(d.code == FlattenDenseHead.CODE for d in report.diagnostics)


def test_ignored_input_shape_rule_reads_the_tree_once(monkeypatch):
    # Hold-out 17: a notebook whose grid-search loops build 3,775 Sequentials, each with a later layer given
    # input_dim=, spent two minutes in KC401 walking the whole tree once per model; the file's if/else bodies
    # are now read once per file (the rule's findings are the same).
    from kerascount.rules import hygiene

    walks = []
    real_walk = hygiene.ast.walk

    def counted(node):
        if sys._getframe(1).f_code.co_filename == hygiene.__file__:  # (ast.walk is shared by every module)
            walks.append(node)
        return real_walk(node)

    monkeypatch.setattr(hygiene.ast, "walk", counted)
    src = ("import keras\nfrom keras import layers\nmodels = []\nif True:\n    pass\n"
           "for units in range(40):\n"
           "    m = keras.Sequential()\n    m.add(layers.Dense(units + 1, input_dim=8))\n"
           "    m.add(layers.Dense(4, input_dim=units + 1))\n    models.append(m)\n")
    report = analyze_source(src, "grid.py")
    findings = [d for d in report.diagnostics if d.code == "KC401"]
    assert len(report.models) == 40 and findings
    assert len(walks) <= 1
