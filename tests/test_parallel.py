"""Worker processes give exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

from kerascount import api
from kerascount.config import Config
from kerascount.report import json_

ROOT = Path(__file__).resolve().parent.parent


def test_workers_report_what_one_process_reports():
    paths = [str(ROOT / "fixtures")]
    serial, problems1 = api.analyze_paths(paths, Config(), jobs=1)
    parallel, problems2 = api.analyze_paths(paths, Config(), jobs=2)
    assert len(serial) > api.PARALLEL_THRESHOLD  # enough files for the workers to start
    assert problems1 == problems2
    assert json_.render(parallel, "x") == json_.render(serial, "x")


def test_workers_report_a_syntax_error_as_one_process_does(tmp_path):
    """b"a" "b" is a syntax error (CPython's parser rejects it): KC000, in a worker as in one process."""
    model = "import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
    for i in range(api.PARALLEL_THRESHOLD + 1):
        (tmp_path / f"m{i}.py").write_text(model + ("x = b'a' 'b'\n" if i == 3 else ""))
    serial, _ = api.analyze_paths([str(tmp_path)], Config(), jobs=1)
    parallel, _ = api.analyze_paths([str(tmp_path)], Config(), jobs=2)
    assert [d.code for d in serial[3].diagnostics] == ["KC000"]
    assert json_.render(parallel, "x") == json_.render(serial, "x")
