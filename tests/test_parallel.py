"""Worker processes give exactly what one process gives; what they change stays in them.

The workers of ``analyze_paths`` skip libcst's re-validation of parser-built nodes
(``extract.trust_parser``), and so does one process while it analyses (``extract.trusted_parser``):
the trees must be the same, and the main process (where ``--fix`` builds nodes) must validate again.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

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


def test_the_main_process_keeps_validating_nodes():
    api.analyze_paths([str(ROOT / "fixtures")], Config(), jobs=2)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_one_process_validates_nodes_again_after_its_analyses():
    """Without workers, the analyses skip the checks too (``extract.trusted_parser``), for their length only."""
    from kerascount.extract import _trusted_parse, trusted_parser

    assert not _trusted_parse
    with trusted_parser():
        cst.Name("not a name")  # not validated in the block
    api.analyze_paths([str(ROOT / "fixtures" / "applications")], Config(), jobs=1)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_trusted_parser_builds_the_same_trees():
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        import libcst as cst
        from kerascount.extract import trust_parser

        files = sorted(Path(sys.argv[1]).glob("fixtures/**/*.py"))
        before = [cst.parse_module(p.read_text(encoding="utf-8")) for p in files]
        try:
            cst.Name("not a name")
        except cst.CSTValidationError:
            pass
        else:
            raise SystemExit("libcst did not validate before")
        assert trust_parser()
        cst.Name("not a name")  # no longer validated in this process
        for path, tree in zip(files, before):
            again = cst.parse_module(path.read_text(encoding="utf-8"))
            assert again.deep_equals(tree), path
            assert again.code == tree.code, path
        print(len(files))
    """)
    r = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert int(r.stdout) > 100


def test_workers_report_source_that_libcsts_checks_reject(tmp_path):
    """libcst's parser accepts b"a" "b" and its node checks reject it (CPython too): a worker, which
    skips those checks, parses such a file again with them and reports the same KC000."""
    model = "import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
    for i in range(api.PARALLEL_THRESHOLD + 1):
        (tmp_path / f"m{i}.py").write_text(model + ("x = b'a' 'b'\n" if i == 3 else ""))
    serial, _ = api.analyze_paths([str(tmp_path)], Config(), jobs=1)
    parallel, _ = api.analyze_paths([str(tmp_path)], Config(), jobs=2)
    assert [d.code for d in serial[3].diagnostics] == ["KC000"]
    assert json_.render(parallel, "x") == json_.render(serial, "x")
