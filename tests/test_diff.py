"""``kerascount diff``: two commits of a temporary git repository, the working tree, two paths, budgets.

The parameter counts expected on each side come from real Keras (tools/keras_truth.py, numpy
backend, in a subprocess); the tests skip where Keras is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from kerascount.cli import main

ROOT = Path(__file__).resolve().parent.parent

V1 = """import keras
from keras import layers

inputs = keras.Input((32,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)

small = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
"""

# The model grows (a wider first layer, a dropout and another dense layer); `small` is untouched
# but its auto-named layer is now dense_3 (the counter is shared): not a change.
V2 = """import keras
from keras import layers

inputs = keras.Input((32,))
x = layers.Dense(128, activation="relu")(inputs)
x = layers.Dropout(0.2)(x)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)

small = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
"""

# Uncommitted: `small` is removed and a new model is added.
V3 = V2.replace("small = keras.Sequential([keras.Input((4,)), layers.Dense(2)])",
                "head = keras.Sequential([keras.Input((10,)), layers.Dense(3, name=\"logits\")])")


def truth(tmp_path: Path, text: str) -> Dict[str, dict]:
    """Real Keras's models of ``text``, by name."""
    path = tmp_path / "truth" / f"v{abs(hash(text))}.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    env = dict(os.environ, KERAS_BACKEND="numpy")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "keras_truth.py"), str(path)],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        pytest.skip(f"real Keras is not available: {r.stderr.strip()[-200:]}")
    return {m["name"]: m for m in json.loads(path.with_suffix(".keras.json").read_text())["models"]}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "models").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    for text, message in ((V1, "one"), (V2, "two")):
        (repo / "models" / "net.py").write_text(text)
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", message)
    monkeypatch.chdir(repo)
    return repo


def run(capsys, *argv: str):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_model(data: dict) -> Dict[str, dict]:
    return {e["model"]: e for e in data["models"]}


def test_two_commits_json_against_keras(repo, tmp_path, capsys):
    base, head = truth(tmp_path, V1), truth(tmp_path, V2)
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["base"], data["head"]) == ("HEAD~1", "HEAD")
    models = by_model(data)
    m = models["model"]
    assert m["path"] == "models/net.py" and m["status"] == "changed"
    for key in ("params", "trainable_params"):
        truth_key = "total_params" if key == "params" else key
        assert m[key]["base"] == base["model"][truth_key]
        assert m[key]["head"] == head["model"][truth_key]
        assert m[key]["change"] == head["model"][truth_key] - base["model"][truth_key]
    assert m["macs"]["change"] == m["macs"]["head"] - m["macs"]["base"] > 0
    # Layers: Keras's rows of each side, matched by type in order.
    rows = {side: {r["name"]: r for r in t["model"]["layers"]} for side, t in (("base", base), ("head", head))}
    changes = [(c["change"], c["name"], c["type"]) for c in m["layers"]]
    assert changes == [("changed", "dense", "Dense"), ("added", "dropout", "Dropout"),
                       ("changed", "dense_1", "Dense"), ("added", "dense_2", "Dense")]
    for c in m["layers"]:
        for side in ("base", "head"):
            if c[side] is not None:
                name = c.get("base_name", c["name"]) if side == "base" else c["name"]
                assert c[side]["params"] == rows[side][name]["params"]
                assert c[side]["output_shape"] == rows[side][name]["output_shape"]
    small = models["small"]
    assert small["status"] == "unchanged" and small["layers"] == []
    assert small["params"]["head"] == head["small"]["total_params"]


def test_text_and_markdown(repo, tmp_path, capsys):
    base, head = truth(tmp_path, V1)["model"], truth(tmp_path, V2)["model"]
    b, h = base["total_params"], head["total_params"]
    dense = [r["params"] for t in (base, head) for r in t["layers"] if r["name"] == "dense"]
    last = next(r["params"] for r in head["layers"] if r["name"] == "dense_2")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "kerascount diff: HEAD~1 → HEAD"
    assert "models/net.py:9: model (functional) changed" in lines
    assert f"  params             {b:,} → {h:,} (+{h - b:,})" in lines
    assert "    + dropout (Dropout) (None, 128), params 0" in lines
    assert f"    ~ dense (Dense) output shape (None, 64) → (None, 128), params {dense[0]:,} → {dense[1]:,}" in lines
    assert "small" not in out  # unchanged models are only counted
    assert lines[-1] == "Models: 1 changed, 0 added, 0 removed, 1 unchanged."
    code, md, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert md.startswith("### kerascount diff: `HEAD~1` → `HEAD`\n")
    assert f"| `models/net.py`: `model` | changed | {b:,} → {h:,} (+{h - b:,}) |" in md
    assert f"- `+ dense_2 (Dense) (None, 10), params {last:,}`" in md


def test_default_is_head_against_the_working_tree_which_is_left_alone(repo, capsys):
    (repo / "models" / "net.py").write_text(V3)
    before = git(repo, "status", "--porcelain"), git(repo, "stash", "list")
    code, out, _ = run(capsys, "diff", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["base"], data["head"]) == ("HEAD", "working tree")
    models = by_model(data)
    assert models["model"]["status"] == "unchanged"
    assert models["small"]["status"] == "removed" and models["small"]["params"]["head"] is None
    assert models["head"]["status"] == "added"
    assert [(c["change"], c["name"]) for c in models["head"]["layers"]] == [("added", "logits")]
    assert (git(repo, "status", "--porcelain"), git(repo, "stash", "list")) == before
    assert (repo / "models" / "net.py").read_text() == V3


def test_budgets_gate(repo, tmp_path, capsys):
    head = truth(tmp_path, V2)["model"]["total_params"]
    (repo / "pyproject.toml").write_text(f"[tool.kerascount]\nmax-params = {head}\n")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD")
    assert code == 0 and "Over budget" not in out  # at the budget is not over it
    (repo / "pyproject.toml").write_text(f"[tool.kerascount]\nmax-params = {head - 1}\n")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD")
    assert code == 1
    assert f"Over budget: models/net.py: model: {head:,} is over max-params = {head - 1:,}" in out
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nmax-activation-bytes = 2000\nbatch-size = 2\n")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--format", "json")
    data = json.loads(out)
    m = by_model(data)["model"]
    assert data["batch_size"] == 2
    over = 2 * m["activation_bytes"]["head"] > 2000
    assert code == (1 if over else 0)
    assert m["over_budget"] == ([{"budget": "max-activation-bytes", "limit": 2000,
                                  "value": 2 * m["activation_bytes"]["head"]}] if over else [])
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nbatch-size = 0\n")
    code, _, err = run(capsys, "diff", "HEAD~1", "HEAD")
    assert code == 2 and "batch-size" in err


def test_path_against_path(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a git repository: paths only
    (tmp_path / "a.py").write_text(V1)
    (tmp_path / "b.py").write_text(V2)
    truth_b = truth(tmp_path, V2)
    code, out, _ = run(capsys, "diff", "a.py", "b.py", "--format", "json")
    assert code == 0
    m = by_model(json.loads(out))["model"]
    assert m["path"] == "b.py" and m["params"]["head"] == truth_b["model"]["total_params"]
    code, _, err = run(capsys, "diff", "a.py")  # the working tree: no repository here
    assert code == 2 and "compares with the working tree of a git repository, but" in err
    assert f"{tmp_path} is not in a git repository" in err and "kerascount diff OLD NEW" in err
    code, _, err = run(capsys, "diff")  # BASE is HEAD
    assert code == 2 and "without BASE, kerascount diff compares with the git revision HEAD" in err
    code, _, err = run(capsys, "diff", "missing.py", "b.py")  # a typo, not a revision
    assert code == 2 and "'missing.py' is neither a file or folder nor a git revision" in err


def test_bad_revision(repo, capsys):
    code, out, err = run(capsys, "diff", "no-such-rev", "HEAD")
    assert (code, out) == (2, "")
    assert "'no-such-rev' is neither a file or folder nor a git revision" in err


def test_readme_diff_is_real(repo, capsys):
    import re

    readme = (ROOT / "README.md").read_text()
    budgets = re.search(r"with\n`max-params = ([\d_]+)`, `max-activation-bytes = ([\d_]+)` and `batch-size = (\d+)`", readme)
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nmax-params = {}\nmax-activation-bytes = {}\n"
                                         "batch-size = {}\n".format(*budgets.groups()))
    block = re.search(r"```console\n\$ kerascount diff HEAD~1 HEAD\n(.*?)```", readme, re.S).group(1)
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD")
    assert out == block
    assert code == (1 if "Over budget" in block else 0)


def test_notebook_models_are_placed_by_cell(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        shutil.copy(ROOT / "fixtures" / "notebooks" / "bilag5.ipynb", tmp_path / side / "nb.ipynb")
    code, out, _ = run(capsys, "diff", "a", "b", "--format", "json")
    assert code == 0
    models = json.loads(out)["models"]
    assert models and all(e["status"] == "unchanged" and e["path"] == "nb.ipynb" for e in models)
    _, summary, _ = run(capsys, "summary", "--format", "json", "b/nb.ipynb")
    placed = [(m.get("cell"), m["line"]) for m in json.loads(summary)["files"][0]["models"]]
    assert [(e.get("cell"), e["line"]) for e in models] == placed
