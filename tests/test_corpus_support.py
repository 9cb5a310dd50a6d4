"""benchmarks/corpus.py: the support files of the corpus (the modules of a repository its files import)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

PY = {"setup.py", "keras_contrib/__init__.py", "keras_contrib/layers/__init__.py", "keras_contrib/layers/crf.py",
      "examples/utils.py", "examples/crf_demo.py", "keras/__init__.py", "keras/layers.py", "src/tool/__init__.py",
      "seg/models/__init__.py", "seg/models/config.py", "seg/models/fcn.py", "seg/__init__.py",
      "det/__init__.py", "det/heads/blocks.py", "det/heads/head_a.py"}


def test_imports_of_the_repository_own_packages_are_found_from_a_subfolder():
    found = corpus._resolve(PY, "examples/crf_demo.py", 0, "keras_contrib.layers", ("CRF",))
    assert found == ["keras_contrib/__init__.py", "keras_contrib/layers/__init__.py"]
    assert corpus._resolve(PY, "examples/crf_demo.py", 0, "keras_contrib", ("layers",)) == [
        "keras_contrib/__init__.py", "keras_contrib/layers/__init__.py"]
    assert corpus._resolve(PY, "examples/crf_demo.py", 0, "utils", ()) == ["examples/utils.py"]
    assert corpus._resolve(PY, "examples/crf_demo.py", 0, "tool", ()) == ["src/tool/__init__.py"]


def test_keras_itself_and_missing_modules_are_not_taken():
    assert corpus._resolve(PY, "examples/crf_demo.py", 0, "keras.layers", ("Dense",)) == []
    assert corpus._resolve(PY, "examples/crf_demo.py", 0, "cv2", ()) == []


def test_a_folder_without_init_is_a_namespace_package_on_the_way():
    # det/heads has no __init__.py: Python 3 imports det.heads.blocks all the same
    assert corpus._resolve(PY, "det/heads/head_a.py", 0, "det.heads.blocks", ("conv",)) == [
        "det/__init__.py", "det/heads/blocks.py"]
    # (kerascount does not follow ``from det.heads import blocks`` of a namespace package, nor does this)
    assert corpus._resolve(PY, "det/heads/head_a.py", 0, "det.heads", ("blocks",)) == []
    assert corpus._resolve(PY, "det/heads/head_a.py", 0, "det.missing.blocks", ()) == []


def test_relative_imports_are_found_in_the_package():
    assert corpus._resolve(PY, "seg/models/fcn.py", 1, "config", ("IMAGE_ORDERING",)) == ["seg/models/config.py"]
    assert corpus._resolve(PY, "seg/models/fcn.py", 1, "", ("config",)) == ["seg/models/__init__.py",
                                                                             "seg/models/config.py"]
    assert corpus._resolve(PY, "seg/models/fcn.py", 2, "", ()) == ["seg/__init__.py"]
    assert corpus._resolve(PY, "seg/models/fcn.py", 4, "x", ()) == []  # above the repository


def test_the_imports_of_a_notebook_are_read_from_its_code_cells():
    nb = {"cells": [{"cell_type": "markdown", "source": ["import nothing"]},
                    {"cell_type": "code", "source": ["%matplotlib inline\n", "from utils import load\n"]}]}
    assert corpus._imports(json.dumps(nb).encode(), "a.ipynb") == [(0, "utils", ("load",))]


def test_the_list_keeps_support_files_apart(tmp_path):
    entry = corpus.Entry("o/r", "c" * 40, "o__r", ["examples/a.py"], ["pkg/__init__.py"])
    path = tmp_path / "corpus.txt"
    corpus.write_list([entry], path)
    assert "    + pkg/__init__.py" in path.read_text()
    (back,) = corpus.read_list(path)
    assert (back.paths, back.support) == (["examples/a.py"], ["pkg/__init__.py"])


def _git_repo(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    run = dict(cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "init", "-q"], **run)
    subprocess.run(["git", "add", "."], **run)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], **run)
    gdir = root / ".git"
    return gdir, corpus.git(gdir, "rev-parse", "HEAD").decode().strip()


def test_support_files_follow_imports_transitively(tmp_path):
    """Through a real git repository: the script imports pkg.layers, whose __init__ imports .config."""
    files = {"examples/run.py": "from pkg.layers import Gate\n", "pkg/__init__.py": "from .config import A\n",
             "pkg/config.py": "A = 1\n", "pkg/layers/__init__.py": "", "pkg/unused.py": "", "README.md": "x"}
    gdir, commit = _git_repo(tmp_path / "repo", files)
    assert corpus.support_files(gdir, commit, ["examples/run.py"]) == [
        "pkg/__init__.py", "pkg/config.py", "pkg/layers/__init__.py"]


def test_what_the_files_need_comes_before_what_packages_re_export(tmp_path, monkeypatch):
    # pkg/__init__.py re-exports every model module; the script needs only Base (through pkg.base, whose
    # mixin it subclasses). With room for three support files, those needed are taken, not the first three
    # modules of the package in name order (which left KerasFormers's base_mixin.py out of the corpus).
    files = {"run.py": "from pkg.base import Base\n", "pkg/__init__.py": "".join(
                 f"from .m{i} import M{i}\n" for i in range(6)) + "from .mixin import Mixin\n",
             "pkg/base.py": "from pkg.mixin import Mixin\nclass Base(Mixin): pass\n", "pkg/mixin.py": "class Mixin: pass\n"}
    files.update({f"pkg/m{i}.py": "" for i in range(6)})
    gdir, commit = _git_repo(tmp_path, files)
    monkeypatch.setattr(corpus, "MAX_SUPPORT", 3)
    monkeypatch.setattr(corpus, "MAX_MODULE_SUPPORT", 3)
    assert corpus.support_files(gdir, commit, ["run.py"]) == ["pkg/__init__.py", "pkg/base.py", "pkg/mixin.py"]
    # names imported from a package follow only the imports of its __init__.py that give them
    (tmp_path / "run.py").write_text("from pkg import M4\n")
    gdir, commit = _git_repo(tmp_path, {})
    monkeypatch.setattr(corpus, "MAX_SUPPORT", 2)
    assert corpus.support_files(gdir, commit, ["run.py"]) == ["pkg/__init__.py", "pkg/m4.py"]
    monkeypatch.setattr(corpus, "MAX_SUPPORT", 80)  # with room, the rest of the package comes after
    assert corpus.support_files(gdir, commit, ["run.py"]) == ["pkg/__init__.py"] + [
        f"pkg/m{i}.py" for i in range(6)] + ["pkg/mixin.py"]


def test_models_keras_3_rejects_are_counted_apart_among_the_unknown(tmp_path):
    # A model unknown only because Keras 3 raises on its code (Dense(np.int64) units) is told apart from one whose
    # numbers the analysis could not find; a model with both kinds of reasons is not.
    def model(*reasons):
        return {"status": "unknown", "reasons": list(reasons), "kind": "sequential", "line": 1}

    results = [{"path": str(tmp_path / "a.py"), "diagnostics": [], "models": [
        model("Keras rejects it: Dense: `units` is a NumPy integer (46)"),
        model("Keras rejects it: Dense: `units` must be a positive integer, got 1.5", "depends on the condition `x`"),
        model("depends on the condition `y` (line 3)"),
        model("`super().__init__()` of `Actor` is given positional arguments, which Keras rejects")]}]
    rep = corpus.analyse(results, "", [], tmp_path)
    assert rep["status"]["unknown"] == 4 and rep["unknown_rejected"] == 2


def test_models_built_alike_at_one_place_count_once_among_distinct_results(tmp_path):
    # A loop that builds the same model many times (a grid search) gives one distinct result per place and
    # outcome; a model of another size at the same place, or the same size at another place, is one more.
    def model(line, total, status="exact"):
        return {"status": status, "reasons": [], "kind": "sequential", "line": line, "column": 4,
                "total_params": total, "trainable_params": total, "non_trainable_params": 0}

    results = [{"path": str(tmp_path / "a.py"), "diagnostics": [], "models": [
        model(3, 161), model(3, 161), model(3, 161), model(3, 433), model(9, 161),
        model(9, None, "unknown"), model(9, None, "unknown")]}]
    rep = corpus.analyse(results, "", [], tmp_path)
    assert rep["models"] == 7 and rep["status"]["exact"] == 5
    assert rep["distinct"] == {"models": 4, "status": {"exact": 3, "symbolic": 0, "unbuilt": 0, "unknown": 1}}


def test_a_hold_out_gives_its_own_list(tmp_path, capsys, monkeypatch):
    # --list FILE: a hold-out's repositories and files, in corpus.txt's format, instead of the development corpus's
    entry = corpus.Entry("o/r", "c" * 40, "o__r", ["a.py", "b.py"], ["pkg/__init__.py"])
    listed = tmp_path / "holdout.txt"
    corpus.write_list([entry], listed)
    monkeypatch.setattr(corpus, "LIST", corpus.LIST)  # (main sets the module's LIST: restored after the test)
    assert corpus.main(["--list", str(listed), "--corpus", str(tmp_path / "nowhere"), "--no-per-file"]) == 2
    assert "3 of 3 listed files are not in" in capsys.readouterr().err
