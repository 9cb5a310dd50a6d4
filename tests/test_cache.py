"""The cache's index by file stamp: unchanged files are not read again; anything else is."""

from __future__ import annotations

import os
import time

import pytest

from kerascount import api
from kerascount.cache import Cache
from kerascount.config import Config

MODEL = "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense({units})])\n"
PLAIN = "print('no models here')\n"
OLD = time.time() - 3600


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "model.py").write_text(MODEL.format(units=2))
    (tmp_path / "plain.py").write_text(PLAIN)
    for name in ("model.py", "plain.py"):
        os.utime(tmp_path / name, (OLD, OLD))
    return tmp_path


def run(tree, monkeypatch, config=None):
    """Analyse the tree with a fresh Cache object (as a new process would); returns (totals, files read)."""
    seen = []
    real = api.read

    def counting(path):
        seen.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(api, "read", counting)
    cfg = config or Config()
    reports, problems = api.analyze_paths([str(tree / "model.py"), str(tree / "plain.py")], cfg, jobs=1,
                                          cache=Cache(str(tree), cfg))
    assert problems == []
    return [m.total for r in reports for m in r.models], sorted(seen)


def test_unchanged_files_are_not_read_again(tree, monkeypatch):
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
    assert run(tree, monkeypatch) == ([10], [])


def test_a_changed_file_is_read_again(tree, monkeypatch):
    run(tree, monkeypatch)
    (tree / "model.py").write_text(MODEL.format(units=3))  # same size, new content
    os.utime(tree / "model.py", (OLD + 60, OLD + 60))
    assert run(tree, monkeypatch) == ([15], ["model.py"])


def test_files_modified_just_before_a_run_are_not_trusted(tree, monkeypatch):
    """A file modified within the timestamp tick of a run could change again unseen: read it next time."""
    now = time.time()
    os.utime(tree / "model.py", (now, now))
    run(tree, monkeypatch)
    assert run(tree, monkeypatch)[1] == ["model.py"]


def test_other_settings_use_another_index(tree, monkeypatch):
    run(tree, monkeypatch)
    assert run(tree, monkeypatch, Config(ignore=("KC201",)))[1] == ["model.py", "plain.py"]


def test_a_damaged_index_is_ignored(tree, monkeypatch):
    run(tree, monkeypatch)
    for index in (tree / ".kerascount_cache").rglob("cache-*.json"):
        index.write_text("{not json")
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
