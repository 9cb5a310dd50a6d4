"""The pre-commit hook, for real: the `pre-commit` tool installs it from this repository and runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

BAD = textwrap.dedent(
    """\
    from keras.layers import Conv2D, Dense, Flatten, Input
    from keras.models import Model

    inputs = Input(shape=(320, 320, 1))
    x = Conv2D(128, (2, 2), strides=(2, 2), padding="same")(inputs)
    outputs = Dense(100)(Flatten()(x))
    model = Model(inputs, outputs)
    """
)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.skipif(not os.path.exists(PRE_COMMIT), reason="the pre-commit tool is not installed")
def test_hook_blocks_the_commit_then_passes(tmp_path):
    if git(ROOT, "rev-parse", "HEAD").returncode != 0:
        pytest.skip("this checkout has no commit for pre-commit to install from")
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    home = tmp_path / "pre-commit-home"
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    (repo / "model.py").write_text(BAD)
    git(repo, "add", "model.py")
    # try-repo installs the hook from this repository's HEAD, as a user's config would.
    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "kerascount", "--files", "model.py"], cwd=repo,
                       capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "KC201 Flatten→Dense head adds 327.7M params" in r.stdout
    # The real commit path: a config pointing at this repository, then `git commit`.
    rev = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: kerascount\n")
    git(repo, "add", ".pre-commit-config.yaml")
    r = subprocess.run([PRE_COMMIT, "install"], cwd=repo, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    env_commit = dict(env, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
                      GIT_COMMITTER_EMAIL="t@example.com")
    r = subprocess.run(["git", "commit", "-qm", "model"], cwd=repo, capture_output=True, text=True, env=env_commit,
                       timeout=900)
    assert r.returncode != 0 and "KC201" in r.stdout + r.stderr
    assert git(repo, "rev-parse", "HEAD").returncode != 0  # nothing was committed
    (repo / "model.py").write_text(BAD.replace("Flatten()", "GlobalAveragePooling2D()").replace(
        "Dense, Flatten,", "Dense, GlobalAveragePooling2D,"))
    git(repo, "add", "model.py")
    r = subprocess.run(["git", "commit", "-qm", "model"], cwd=repo, capture_output=True, text=True, env=env_commit,
                       timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not os.path.exists(PRE_COMMIT), reason="the pre-commit tool is not installed")
def test_hook_skips_excluded_and_gitignored_files(tmp_path):
    """pre-commit names the staged files one by one; the hook passes --force-exclude, so that the
    project's `exclude` (and .gitignore, for files added with `git add -f`) still apply."""
    if git(ROOT, "rev-parse", "HEAD").returncode != 0:
        pytest.skip("this checkout has no commit for pre-commit to install from")
    repo = tmp_path / "project"
    (repo / "generated").mkdir(parents=True)
    (repo / "vendor").mkdir()
    git(repo, "init", "-q")
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = ['generated']\n")
    (repo / ".gitignore").write_text("vendor/\n")
    (repo / "generated" / "model.py").write_text(BAD)
    (repo / "vendor" / "model.py").write_text(BAD)
    git(repo, "add", "pyproject.toml", ".gitignore", "generated/model.py")
    git(repo, "add", "-f", "vendor/model.py")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "kerascount", "--files", "generated/model.py",
                        "vendor/model.py"], cwd=repo, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "KC201" not in r.stdout
    # The same files, not excluded: the hook fails.
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nrespect-gitignore = false\n")
    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "kerascount", "--files", "generated/model.py",
                        "vendor/model.py"], cwd=repo, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 1 and r.stdout.count("KC201") == 2, r.stdout + r.stderr


@pytest.mark.skipif(not os.path.exists(PRE_COMMIT), reason="the pre-commit tool is not installed")
def test_readme_local_hook_works_as_written(tmp_path):
    """The README's first pre-commit block, copied as it is: kerascount from the environment."""
    import re

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## pre-commit"):readme.index("## Output formats")]
    config = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert "repo: local" in config and "OWNER" not in section
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / "model.py").write_text(BAD)
    git(repo, "add", ".")
    # `kerascount` on PATH runs this checkout's code (the environment of the tests).
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT),
               PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    if not os.path.exists(os.path.join(bin_dir, "kerascount")):
        pytest.skip("no kerascount script beside this Python")
    r = subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=repo, capture_output=True, text=True, env=env,
                       timeout=600)
    assert r.returncode == 1 and "KC201 Flatten→Dense head adds 327.7M params" in r.stdout, r.stdout + r.stderr
    (repo / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = ['model.py']\n")
    r = subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=repo, capture_output=True, text=True, env=env,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
