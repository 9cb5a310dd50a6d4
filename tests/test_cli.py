"""The command line, through a real subprocess: exit codes, formats, config, noqa, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEADLINE = textwrap.dedent(
    """\
    from keras.layers import Conv2D, Dense, Flatten, Input
    from keras.models import Model

    HEIGHT = 320
    WIDTH = 320
    CHANNELS = 1

    input_layer = Input(shape=(HEIGHT, WIDTH, CHANNELS))
    conv = Conv2D(filters=128,
                  kernel_size=(2, 2),
                  strides=(2, 2),
                  padding="SAME")(input_layer)
    flat = Flatten()(conv)
    output_layer = Dense(units=100)(flat)
    model = Model(inputs=input_layer, outputs=output_layer)
    """
)


def run(*args: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


def test_lint_headline_warning_at_dense_call(project):
    (project / "model.py").write_text(HEADLINE)
    r = run("lint", "model.py", cwd=project)
    assert r.returncode == 1, r.stderr
    assert "model.py:14:16: KC201 Flatten→Dense head adds 327.7M params (99.9% of the model)" in r.stdout
    assert "GlobalAveragePooling2D (would be 12,900 params)" in r.stdout
    assert r.stdout.strip().endswith("Found 1 diagnostic (1 warning).")


def test_lint_clean_exits_zero(project):
    (project / "ok.py").write_text("import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n")
    r = run("lint", ".", cwd=project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed!" in r.stdout


def test_summary_table(project):
    (project / "model.py").write_text(HEADLINE)
    r = run("summary", "model.py", cwd=project)
    assert r.returncode == 0, r.stderr
    assert 'model.py:15: `model` (functional)\nModel: "functional"\n┏' in r.stdout
    assert "│ dense (Dense)                        │ (None, 100)                 │     327,680,100 │" in r.stdout
    assert "\n Total params: 327,680,740 (1.22 GB)\n" in r.stdout
    assert "\n Non-trainable params: 0 (0.00 B)\n" in r.stdout


def test_json_schema(project):
    (project / "model.py").write_text(HEADLINE)
    r = run("lint", "--format", "json", "model.py", cwd=project)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert set(doc) >= {"kerascount", "files"}
    (f,) = doc["files"]
    assert f["path"] == "model.py"
    (m,) = f["models"]
    assert {"name", "line", "column", "kind", "inputs", "outputs", "layers", "total_params", "trainable_params",
            "non_trainable_params"} <= set(m)
    assert m["name"] == "model" and m["kind"] == "functional" and m["line"] == 15 and m["column"] == 9
    assert m["inputs"] == [[None, 320, 320, 1]]
    layer = m["layers"][1]
    assert set(layer) >= {"name", "type", "line", "output_shape", "params", "trainable_params",
                          "non_trainable_params"}
    (d,) = f["diagnostics"]
    assert set(d) == {"code", "severity", "message", "line", "column", "end_line", "end_column", "fix"}
    assert (d["code"], d["severity"], d["line"], d["column"]) == ("KC201", "warning", 14, 16)
    assert d["fix"] == {"applicability": "unsafe", "description": "replace Flatten with GlobalAveragePooling2D"}


def test_noqa_line_and_code(project):
    src = HEADLINE.replace("Dense(units=100)(flat)", "Dense(units=100)(flat)  # noqa: KC201")
    (project / "a.py").write_text(src)
    (project / "b.py").write_text(HEADLINE.replace("Dense(units=100)(flat)", "Dense(units=100)(flat)  # noqa: KC101"))
    (project / "c.py").write_text("# kerascount: noqa\n" + HEADLINE)
    assert run("lint", "a.py", cwd=project).returncode == 0
    assert run("lint", "b.py", cwd=project).returncode == 1
    assert run("lint", "c.py", cwd=project).returncode == 0


def test_noqa_on_any_line_of_a_multiline_call(project):
    src = HEADLINE.replace("output_layer = Dense(units=100)(flat)", "output_layer = Dense(\n    units=100,  # noqa\n)(flat)")
    (project / "m.py").write_text(src)
    assert run("lint", "m.py", cwd=project).returncode == 0


def test_pyproject_config_and_cli_override(project):
    (project / "model.py").write_text(HEADLINE)
    (project / "pyproject.toml").write_text("[tool.kerascount]\nignore = ['KC201']\n")
    assert run("lint", "model.py", cwd=project).returncode == 0
    r = run("lint", "--select", "KC2", "model.py", cwd=project)
    assert r.returncode == 1 and "KC201" in r.stdout


def test_per_file_ignores(project):
    (project / "pyproject.toml").write_text("[tool.kerascount.per-file-ignores]\n'legacy/*.py' = ['KC201']\n")
    (project / "legacy").mkdir()
    (project / "legacy" / "old.py").write_text(HEADLINE)
    (project / "new.py").write_text(HEADLINE)
    r = run("lint", ".", cwd=project)
    assert "new.py" in r.stdout and "legacy/old.py" not in r.stdout


def test_threshold_option(project):
    (project / "pyproject.toml").write_text("[tool.kerascount]\nflatten-dense-threshold = 400000000\n"
                                            "flatten-dense-share = 1.0\n")
    (project / "model.py").write_text(HEADLINE)
    assert run("lint", "model.py", cwd=project).returncode == 0


def test_unknown_config_key_is_a_clear_error(project):
    (project / "pyproject.toml").write_text("[tool.kerascount]\nselekt = ['KC2']\n")
    (project / "model.py").write_text(HEADLINE)
    r = run("lint", "model.py", cwd=project)
    assert r.returncode == 2
    assert "selekt" in r.stderr and "Traceback" not in r.stderr


def test_unknown_rule_code_is_a_clear_error(project):
    (project / "model.py").write_text(HEADLINE)
    r = run("lint", "--select", "KC999", "model.py", cwd=project)
    assert r.returncode == 2 and "KC999" in r.stderr


def test_missing_path_exit_2(project):
    r = run("lint", "nope.py", cwd=project)
    assert r.returncode == 2
    assert "nope.py: no such file or directory" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_files_give_diagnostics_not_tracebacks(project):
    (project / "syntax.py").write_text("import keras\nmodel = keras.Sequential([\n")
    (project / "binary.py").write_bytes(b"import keras\x00\x01\x02")
    (project / "latin1.py").write_bytes("import keras\n# caf\xe9\n".encode("latin-1"))
    (project / "empty.py").write_text("")
    (project / "cookie.py").write_bytes("# -*- coding: latin-1 -*-\nimport keras\n# caf\xe9\n".encode("latin-1"))
    (project / "other.py").write_bytes(b"\x00\x01 binary, but never mentions the library")
    os.symlink(project / "missing_target.py", project / "broken.py")
    r = run("lint", "syntax.py", "binary.py", "latin1.py", "empty.py", cwd=project)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    assert "syntax.py:2:26: KC000 syntax error: '[' was never closed" in r.stdout
    assert "binary.py:1:1: KC001 binary file" in r.stdout
    assert "latin1.py:1:1: KC001 not utf-8 text" in r.stdout
    assert "cookie.py" not in r.stdout  # a declared encoding is honoured
    r = run("lint", "cookie.py", "other.py", cwd=project)
    assert r.returncode == 0 and "All checks passed!" in r.stdout
    r = run("lint", ".", cwd=project)  # the broken link is skipped in a directory walk
    assert "Traceback" not in r.stdout + r.stderr
    r = run("lint", "broken.py", cwd=project)
    assert r.returncode == 2 and "broken symbolic link" in r.stderr


def test_directory_walk_skips_hidden_and_venvs(project):
    for folder in (".hidden", "venv_x", "build", "src"):
        (project / folder).mkdir()
        (project / folder / "m.py").write_text(HEADLINE)
    (project / "venv_x" / "pyvenv.cfg").write_text("")
    r = run("lint", ".", cwd=project)
    assert "src/m.py" in r.stdout
    for skipped in (".hidden/", "venv_x/", "build/"):
        assert skipped not in r.stdout


def test_rules_and_rule_commands():
    r = run("rules")
    assert r.returncode == 0 and "KC201" in r.stdout and "flatten-dense-head" in r.stdout
    r = run("rule", "kc201")
    assert r.returncode == 0
    assert "## What it does" in r.stdout and "## Why is this bad?" in r.stdout
    assert run("rule", "KC999").returncode == 2


def test_never_imports_keras_or_tensorflow(project):
    (project / "model.py").write_text(HEADLINE)
    code = (
        "import sys, kerascount.cli\n"
        "try:\n    kerascount.cli.main(['lint', 'model.py'])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('keras', 'tensorflow', 'tf_keras', 'jax', 'torch')]\n"
        "assert not bad, bad\nprint('clean')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "clean" in r.stdout, r.stderr


def test_no_source_file_imports_keras():
    import ast

    for path in (ROOT / "kerascount").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                mods = [node.module or ""]
            else:
                continue
            assert not any(m.split(".")[0] in ("keras", "tensorflow", "tf_keras") for m in mods), (path, mods)


def test_cache_gives_the_same_output_and_stays_in_its_folder(project):
    (project / "model.py").write_text(HEADLINE)
    (project / "nb.ipynb").write_text((ROOT / "fixtures/notebooks/bilag5.ipynb").read_text())
    cold = run("summary", "--format", "json", ".", cwd=project)
    warm = run("summary", "--format", "json", ".", cwd=project)
    fresh = run("summary", "--format", "json", "--no-cache", ".", cwd=project)
    assert cold.stdout == warm.stdout == fresh.stdout
    assert run("lint", ".", cwd=project).stdout == run("lint", "--no-cache", ".", cwd=project).stdout
    cache = project / ".kerascount_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text() == "*\n"
    written = {p.relative_to(project).parts[0] for p in project.rglob("*")}
    assert written == {"pyproject.toml", "model.py", "nb.ipynb", ".kerascount_cache"}
    # A changed file is analysed again, not served from the cache.
    before = run("summary", "model.py", cwd=project).stdout
    (project / "model.py").write_text(HEADLINE.replace("units=100", "units=10"))
    after = run("summary", "model.py", cwd=project).stdout
    assert after != before and after == run("summary", "--no-cache", "model.py", cwd=project).stdout


def test_cache_entries_are_data_not_code(project):
    (project / "model.py").write_text(HEADLINE)
    run("lint", ".", cwd=project)
    for entry in (project / ".kerascount_cache").rglob("*.json"):
        json.loads(entry.read_text())  # plain JSON: loading it can run nothing
    for entry in (project / ".kerascount_cache").rglob("*.json"):
        entry.write_text("{broken")
    r = run("lint", ".", cwd=project)  # a damaged cache is ignored, not fatal
    assert r.returncode == 1 and "KC201" in r.stdout


def test_params_budget_from_pyproject(project):
    (project / "model.py").write_text(HEADLINE)
    assert "KC202" not in run("lint", "model.py", cwd=project).stdout  # no budget: silent
    (project / "pyproject.toml").write_text("[tool.kerascount]\nmax-params = 1_000_000\nignore = ['KC201']\n")
    r = run("lint", "model.py", cwd=project)
    assert r.returncode == 1 and "KC202 `model` has 327,680,740 params (327.7M), over the budget of 1,000,000" in r.stdout


def test_severity_override(project):
    src = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3), layers.BatchNormalization()])\n"
    (project / "m.py").write_text(src)
    assert run("lint", "m.py", cwd=project).returncode == 0  # KC403 is info: it never fails a run
    (project / "pyproject.toml").write_text("[tool.kerascount.severity]\nKC403 = 'warning'\n")
    r = run("lint", "--format", "json", "m.py", cwd=project)
    assert r.returncode == 1
    (d,) = [d for d in json.loads(r.stdout)["files"][0]["diagnostics"] if d["code"] == "KC403"]
    assert d["severity"] == "warning"
    (project / "pyproject.toml").write_text("[tool.kerascount.severity]\nKC403 = 'loud'\n")
    assert run("lint", "m.py", cwd=project).returncode == 2
