"""benchmarks/repos.py: kerascount over whole repositories from their git mirrors."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import repos  # noqa: E402

_MODEL = ("import keras\nfrom keras import layers\n"
          "model = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(3, activation='softmax')])\n"
          "model.compile(loss='binary_crossentropy')\n")
_UNKNOWN = "import keras\nfrom keras import layers\nfrom helpers import width\n" \
           "net = keras.Sequential([keras.Input((3,)), layers.Dense(width()), layers.Dense(1)])\n"


def _mirror(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    (work / "pkg").mkdir(parents=True)
    (work / "pkg" / "train.py").write_text(_MODEL)
    (work / "other.py").write_text(_UNKNOWN)
    (work / "plain.py").write_text("print('no deep learning here')\n")
    (work / "README.md").write_text("keras\n")
    git = ["git", "-C", str(work), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "files"], check=True)
    mirrors = tmp_path / "mirrors" / "someone+project"
    mirrors.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / "repo")], check=True)
    return tmp_path / "mirrors"


def test_every_file_that_mentions_keras_is_run_and_reported(tmp_path, capsys):
    out = tmp_path / "out"
    assert repos.main(["--mirrors", str(_mirror(tmp_path)), "--out", str(out), "--json", str(tmp_path / "r.json")]) == 0
    rep = json.loads((tmp_path / "r.json").read_text())
    assert rep["repositories"] == 1 and rep["files"] == 2  # (plain.py and README.md are not Python that names Keras)
    assert rep["models"] == {"exact": 1, "unknown": 1}
    assert [(f["code"], f["severity"]) for f in rep["findings"]] == [("KC301", "warning")]
    assert "train.py" in rep["findings"][0]["examples"][0]
    assert rep["troubles"] == [] and rep["unknown_reasons"][0]["example"].startswith("someone+project/other.py:")
    assert json.loads((out / "someone+project.rc").read_text())["exit"] == 1  # (a finding: lint's exit code 1)
    # a second run reports the kept runs without running them again
    assert repos.main(["--out", str(out), "--report-only"]) == 0
    assert "repositories 1, files 2" in capsys.readouterr().out
