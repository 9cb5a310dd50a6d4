"""benchmarks/faultbench.py: its list parses, and its counts mean what its docstring says (on programs written
here, in a temporary benchmark root)."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("faultbench", ROOT / "benchmarks" / "faultbench.py")
faultbench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("faultbench", faultbench)  # its dataclasses look their module up
_spec.loader.exec_module(faultbench)  # type: ignore[union-attr]

HEAD = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation='relu'),\n"


def test_checked_in_list_names_eight_benchmarks_with_pairs():
    benchmarks = {b.name: b for b in faultbench.read_list()}
    assert set(benchmarks) == {"sfdata", "deeplocalize", "neuralint", "deepfd", "benchdl4real", "defect4ml", "theia",
                               "autotrainer"}
    assert len(benchmarks["sfdata"].pairs) == 89 and all(fixed for _, fixed in benchmarks["sfdata"].pairs)
    assert all(len(b.commit) == 40 for b in benchmarks.values())
    for name in ("neuralint", "theia", "autotrainer"):  # recall only: no fixes
        assert all(fixed is None for _, fixed in benchmarks[name].pairs)
    for name in ("deepfd", "benchdl4real", "defect4ml"):
        assert benchmarks[name].pairs and all(fixed and fixed != bug for bug, fixed in benchmarks[name].pairs)


def test_counts_flags_gone_in_fix_and_alarms(tmp_path):
    programs = {
        # softmax on one unit, fixed to sigmoid: flagged, gone in fix
        "a_bug.py": HEAD + "    layers.Dense(1, activation='softmax')])\nm.compile('adam', loss='binary_crossentropy')\n",
        "a_fix.py": HEAD + "    layers.Dense(1, activation='sigmoid')])\nm.compile('adam', loss='binary_crossentropy')\n",
        # nothing the rules see; its fix keeps a linear output under a cross-entropy: a fix alarm
        "b_bug.py": HEAD + "    layers.Dense(3, activation='softmax')])\nm.compile('adam', loss='categorical_crossentropy')\n",
        "b_fix.py": HEAD + "    layers.Dense(3)])\nm.compile('adam', loss='categorical_crossentropy')\n",
        # Keras 2 API only: a KC404 note, not a flag
        "c_bug.py": "from keras.layers.core import Dense\nfrom keras.models import Sequential\n"
                    "m = Sequential([Dense(1, input_shape=(3,))])\n",
    }
    for name, text in programs.items():
        (tmp_path / "bench" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "bench" / name).write_text(textwrap.dedent(text))
    bench = faultbench.Benchmark("t", "o/r", "0" * 40, "bench",
                                 [("a_bug.py", "a_fix.py"), ("b_bug.py", "b_fix.py"), ("c_bug.py", None)])
    row = faultbench.measure([bench], tmp_path, "")["t"]
    assert (row["pairs"], row["fixes"], row["flagged"], row["gone in fix"], row["fix alarms"]) == (3, 2, 1, 1, 1)
    assert row["kc404 bug"] == 1 and row["codes"] == {"KC303": 1} and row["alarm codes"] == {"KC302": 1}
