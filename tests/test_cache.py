"""The cache's index by file stamp: unchanged files are not read again; anything else is."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kerascount import api, cache
from kerascount.cache import Cache
from kerascount.config import Config

MODEL = "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense({units})])\n"
PLAIN = "print('no models here')\n"
OLD = time.time() - 3600


@pytest.fixture
def tree(tmp_path, user):
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


def test_a_symbolic_model_read_from_the_cache_keeps_its_expressions(tree, monkeypatch):
    """A cached expression is the same polynomial: its byte count is 4 times every term (it was once read
    back as one symbol named by its text, so 4 * (8*N + 8) printed as 4*8*N + 8)."""
    (tree / "model.py").write_text("import keras\nfrom settings import N\n"
                                   "m = keras.Sequential([keras.Input((N,)), keras.layers.Dense(8)])\n")
    os.utime(tree / "model.py", (OLD, OLD))
    cfg = Config()
    fresh = api.analyze_paths([str(tree / "model.py")], cfg, jobs=1, cache=Cache(str(tree), cfg))[0][0].models[0]
    cached = api.analyze_paths([str(tree / "model.py")], cfg, jobs=1, cache=Cache(str(tree), cfg))[0][0].models[0]
    assert fresh.status == cached.status == "symbolic"
    assert (cached.total, cached.param_bytes, cached.rows[-1].output_shape) == \
        (fresh.total, fresh.param_bytes, fresh.rows[-1].output_shape)
    assert cached.param_bytes == 4 * cached.total


def test_a_changed_file_is_read_again(tree, monkeypatch):
    run(tree, monkeypatch)
    (tree / "model.py").write_text(MODEL.format(units=3))  # same size, new content
    os.utime(tree / "model.py", (OLD + 60, OLD + 60))
    assert run(tree, monkeypatch) == ([15], ["model.py"])


IMPORTING = "import keras\nfrom settings import UNITS\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(UNITS)])\n"


def test_a_changed_imported_module_makes_the_importer_analysed_again(tree, monkeypatch):
    """A result depends on the project modules it imports: editing only settings.py changes the count."""
    (tree / "model.py").write_text(IMPORTING)
    (tree / "settings.py").write_text("UNITS = 2\n")
    for name in ("model.py", "settings.py"):
        os.utime(tree / name, (OLD, OLD))
    def inlined(units):  # the same model with the setting written in: analysed afresh, without the cache
        text = IMPORTING.replace("from settings import UNITS", f"UNITS = {units}")
        return [m.total for m in api.analyze_source(text).models]

    two, three = inlined(2), inlined(3)
    assert two != three
    assert run(tree, monkeypatch)[0] == two
    assert run(tree, monkeypatch) == (two, [])  # nothing changed: read from the cache
    (tree / "settings.py").write_text("UNITS = 3\n")  # same size, new content
    os.utime(tree / "settings.py", (OLD + 60, OLD + 60))
    assert run(tree, monkeypatch)[0] == three
    os.remove(tree / "settings.py")
    totals, _ = run(tree, monkeypatch)
    assert totals not in (two, three)  # the import is gone: the units are not known any more


def test_a_result_whose_imported_module_was_just_modified_is_not_stored(tree, monkeypatch):
    (tree / "model.py").write_text(IMPORTING)
    (tree / "settings.py").write_text("UNITS = 2\n")
    os.utime(tree / "model.py", (OLD, OLD))  # settings.py keeps its fresh stamp
    run(tree, monkeypatch)
    assert run(tree, monkeypatch)[1] == ["model.py"]


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


# -- a cache nobody can plant --------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "fixtures/seeds/bilag5_dense_head.py").read_text()  # 327,680,740 params: KC201


@pytest.fixture
def user(tmp_path, monkeypatch):
    """This process's user: a cache key folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-a"))
    return tmp_path / "user-a"


def cli(*args, cwd, home):
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


def pack_of(folder):
    packs = list((folder / ".kerascount_cache").rglob("cache-*.json"))
    assert len(packs) == 1, packs
    return packs[0]


def forge(pack, secret):
    """The pack with every finding removed, sealed with ``secret``: what a forger would commit."""
    body = cache.unseal(secret, pack.read_bytes())
    assert body is not None
    data = json.loads(body)
    for result in data["results"].values():
        result["diagnostics"] = []
    return cache.seal(secret, json.dumps(data).encode())


def key_of(home):
    return bytes.fromhex((home / "kerascount" / "key").read_text())


def test_the_key_is_private_and_created_once(user):
    key, problem = cache.user_key()
    assert problem is None and len(key) == cache.KEY_BYTES
    path = user / "kerascount" / "key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert cache.user_key() == (key, None)
    assert [p.name for p in path.parent.iterdir()] == ["key"]  # no temporary file left


def test_a_key_others_can_read_is_replaced(user):
    key, _ = cache.user_key()
    path = user / "kerascount" / "key"
    path.chmod(0o644)  # as git checks a file out: a key that came with a repository
    new, problem = cache.user_key()
    assert problem is None and new != key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_a_key_there_is_no_cache_and_no_error(tmp_path, monkeypatch, tree):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "below"))  # cannot be created
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
    assert not (tree / ".kerascount_cache").exists()
    c = Cache(str(tree), Config())
    assert not c.usable() and "cannot create the cache key" in c.disabled


def test_a_cache_from_another_user_is_ignored(tree, tmp_path, monkeypatch, user):
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
    assert run(tree, monkeypatch)[1] == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-b"))
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])  # user a's pack is not even opened
    # user a's pack under the name user b's would have: its seal does not verify, so it is written again
    packs = sorted((tree / ".kerascount_cache").rglob("cache-*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert len(packs) == 2
    packs[1].write_bytes(packs[0].read_bytes())
    assert run(tree, monkeypatch)[1] == ["model.py", "plain.py"]
    assert run(tree, monkeypatch)[1] == []
    assert cache.unseal(key_of(tmp_path / "user-b"), packs[1].read_bytes()) is not None


def test_an_edited_pack_is_ignored_and_written_again(tree, monkeypatch, user):
    run(tree, monkeypatch)
    pack = pack_of(tree)
    data = pack.read_bytes()
    assert b'"total":10,' in data
    pack.write_bytes(data.replace(b'"total":10,', b'"total":11,'))  # the seal kept
    assert run(tree, monkeypatch) == ([10], ["model.py", "plain.py"])
    assert cache.unseal(key_of(user), pack.read_bytes()) is not None
    assert run(tree, monkeypatch)[1] == []


def test_a_cache_folder_tracked_by_git_is_not_read(tree, monkeypatch, user):
    git("init", "-q", cwd=tree)
    run(tree, monkeypatch)
    sealed = pack_of(tree).read_bytes()
    git("add", "-f", ".kerascount_cache", cwd=tree)  # even the user's own, genuine pack
    assert cache.tracked_by_git(str(tree), cache.FOLDER)
    c = Cache(str(tree), Config())
    assert not c.usable() and "tracked by git" in c.disabled
    assert run(tree, monkeypatch)[1] == ["model.py", "plain.py"]
    assert pack_of(tree).read_bytes() == sealed  # not written either
    git("rm", "-q", "-r", "--cached", ".kerascount_cache", cwd=tree)
    assert not cache.tracked_by_git(str(tree), cache.FOLDER)
    assert run(tree, monkeypatch)[1] == []


def test_a_forged_cache_committed_to_a_repository_does_not_hide_findings(tmp_path):
    """The attack of issue 17: a pull request commits a cache saying the 327M-param head is fine."""
    victim, forger = tmp_path / "victim-home", tmp_path / "forger-home"
    # The forger analyses the file on their machine and removes the finding from their cache.
    workshop = tmp_path / "workshop"
    workshop.mkdir()
    (workshop / "model.py").write_text(SEED)
    assert "KC201" in cli("lint", "model.py", cwd=workshop, home=forger).stdout
    forged = forge(pack_of(workshop), key_of(forger))
    pack_of(workshop).write_bytes(forged)
    assert cli("lint", "model.py", cwd=workshop, home=forger).stdout == "All checks passed!\n"  # it works there
    # The repository: the victim has used kerascount before (their key exists), the forged cache is committed
    # under the forger's pack name and under the name the victim's own pack has.
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "model.py").write_text(SEED)
    r = cli("lint", "model.py", cwd=repo, home=victim)
    assert r.returncode == 1 and "KC201" in r.stdout
    own = pack_of(repo)
    own.write_bytes(forged)
    own.with_name(pack_of(workshop).name).write_bytes(forged)
    git("add", "model.py", cwd=repo)
    git("add", "-f", ".kerascount_cache", cwd=repo)
    git("commit", "-q", "-m", "cache", cwd=repo)
    for home in (victim, forger, tmp_path / "ci-home"):
        r = cli("lint", "model.py", cwd=repo, home=home)
        assert r.returncode == 1 and "KC201 Flatten→Dense head adds 327.7M params" in r.stdout, (home, r.stdout)
        assert "cache not used" in r.stderr and "tracked by git" in r.stderr
    # Untracked, the folder is read, but the forged packs do not verify with the victim's key.
    git("rm", "-q", "-r", "--cached", ".kerascount_cache", cwd=repo)
    r = cli("lint", "model.py", cwd=repo, home=victim)
    assert r.returncode == 1 and "KC201" in r.stdout and r.stderr == ""
    assert cache.unseal(key_of(victim), own.read_bytes()) is not None  # written again, sealed with the victim's key


def test_the_catalogue_data_is_part_of_the_code_fingerprint(monkeypatch):
    # application_graphs.json.gz is data the analysis reads: a changed copy must not reuse cached reports
    from kerascount import cache as cache_module

    graphs = Path(cache_module.__file__).parent / "catalogue" / "application_graphs.json.gz"
    st = graphs.stat()
    monkeypatch.setattr(cache_module, "_CODE", None)
    before = cache_module._code_fingerprint()
    try:
        os.utime(graphs, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(cache_module, "_CODE", None)
        assert cache_module._code_fingerprint() != before
    finally:
        os.utime(graphs, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_sizes_in_bytes_of_weights_that_are_not_float32_are_kept(tree):
    """A model's bytes per weight (set_floatx before any layer) and why its bytes are not known (set after one)."""
    (tree / "model.py").write_text("import keras\nkeras.config.set_floatx('float64')\n"
                                   "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(8)])\n"
                                   "keras.config.set_floatx('float16')\n")
    (tree / "plain.py").write_text("import keras\nkeras.config.set_floatx('float64')\n"
                                   "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(8)])\n")
    for name in ("model.py", "plain.py"):
        os.utime(tree / name, (OLD, OLD))
    cfg = Config()
    paths = [str(tree / "model.py"), str(tree / "plain.py")]
    fresh = [r.models[0] for r in api.analyze_paths(paths, cfg, jobs=1, cache=Cache(str(tree), cfg))[0]]
    cached = [r.models[0] for r in api.analyze_paths(paths, cfg, jobs=1, cache=Cache(str(tree), cfg))[0]]
    assert [(m.param_bytes, m.bytes_per_param, m.bytes_unknown is not None) for m in cached] == \
        [(m.param_bytes, m.bytes_per_param, m.bytes_unknown is not None) for m in fresh] == \
        [(None, 4, True), (8 * 32, 8, False)]
