"""Analysis reads with CPython's ``ast``: libcst (a slow import and parse) is only for rewriting text.

``kerascount lint`` and ``analyze_source`` of a Keras file never import libcst; ``--fix`` still does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: A Keras file that goes through most of the analysis: imports, a function, a loop, a subclassed model,
#: an undecided condition, data shapes, f-strings, comprehensions, a try statement.
SOURCE = '''
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.zeros((100, 8))
NAMES = [f"dense_{i}" for i in range(3)]


def block(x, units, name):
    try:
        x = layers.Dense(units, name=name)(x)
    except ValueError:
        x = layers.Dense(1)(x)
    return layers.Dropout(0.1)(x)


inputs = keras.Input(shape=(X.shape[1],))
x = inputs
for i, name in enumerate(NAMES):
    x = block(x, 2 ** (i + 3), name)
if keras.backend.image_data_format() == "channels_first":
    x = layers.Dense(3)(x)
model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
model.summary()


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(4)

    def call(self, x):
        return self.d(x)
'''


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


def test_analyze_source_does_not_import_libcst(tmp_path):
    code = ("import sys, kerascount.api\n"
            f"r = kerascount.api.analyze_source({SOURCE!r}, 'model.py')\n"
            "assert r.internal_error is None, r.internal_error\n"
            "assert r.models and r.models[0].total is not None, r.models\n"
            "assert 'libcst' not in sys.modules, sorted(m for m in sys.modules if 'libcst' in m)[:5]\n"
            "print('clean', r.models[0].total)\n")
    r = _run(code, tmp_path)
    assert r.returncode == 0 and "clean" in r.stdout, r.stderr
    # the numbers are real: this model's total is Keras's
    assert r.stdout.split()[-1] == str(8 * 8 + 8 + 8 * 16 + 16 + 16 * 32 + 32 + 32 * 10 + 10)


def test_lint_does_not_import_libcst_and_fix_does(tmp_path):
    (tmp_path / "model.py").write_text(SOURCE)
    code = ("import sys, kerascount.cli\n"
            "try:\n    kerascount.cli.main([sys.argv[1], 'model.py'] + sys.argv[2:])\nexcept SystemExit:\n    pass\n"
            "print('LIBCST' if 'libcst' in sys.modules else 'NO-LIBCST')\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lint = subprocess.run([sys.executable, "-c", code, "lint"], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=120)
    assert lint.stdout.strip().endswith("NO-LIBCST"), (lint.stdout, lint.stderr)
    summary = subprocess.run([sys.executable, "-c", code, "summary"], cwd=tmp_path, capture_output=True, text=True,
                             env=env, timeout=120)
    assert summary.stdout.strip().endswith("NO-LIBCST"), (summary.stdout, summary.stderr)
    fix = subprocess.run([sys.executable, "-c", code, "lint", "--diff"], cwd=tmp_path, capture_output=True,
                         text=True, env=env, timeout=120)
    assert fix.stdout.strip().endswith("LIBCST") and not fix.stdout.strip().endswith("NO-LIBCST"), fix.stdout


def test_importtime_of_lint_has_no_libcst(tmp_path):
    (tmp_path / "model.py").write_text(SOURCE)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "kerascount", "lint", "model.py"], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    imported = [line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")]
    assert "kerascount.extract.interpreter" in imported  # the analysis ran
    assert not [m for m in imported if m.split(".")[0] == "libcst"]
