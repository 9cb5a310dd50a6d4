""".gitignore matching (kerascount/files.py) against git itself: the files a directory walk keeps are
the files `git ls-files --others --exclude-standard` lists, on a tree with many kinds of patterns."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = {
    ".gitignore": """\
# a comment, then a blank line

*.pyc
/anchored.py
build/
**/gen_*.py
logs/**
docs/**/draft.py
a?.py
[xy]z.py
!keep_*.py
skip_*.py
tmp
\\#hash.py
lib/*/private.py
trailing.py   
""",
    "pkg/.gitignore": """\
local.py
/only_here.py
sub/
!gen_kept.py
""",
    "pkg/inner/.gitignore": "*.py\n!visible.py\n",
    ".git/info/exclude": "excluded_by_info.py\n",
}

FILES = [
    "main.py", "anchored.py", "pkg/anchored.py", "build/m.py", "pkg/build/m.py", "gen_a.py", "deep/er/gen_b.py",
    "logs/x.py", "logs/deep/y.py", "docs/draft.py", "docs/a/b/draft.py", "docs/final.py", "ab.py", "abc.py",
    "xz.py", "zz.py", "skip_1.py", "keep_1.py", "skip_keep_1.py", "tmp/t.py", "tmp.py", "#hash.py",
    "lib/a/private.py", "lib/a/b/private.py", "lib/public.py", "trailing.py", "pkg/local.py", "pkg/x/local.py",
    "pkg/only_here.py", "pkg/x/only_here.py", "pkg/sub/s.py", "pkg/gen_kept.py", "pkg/inner/hidden.py",
    "pkg/inner/visible.py", "excluded_by_info.py", "notes.txt",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_walk_keeps_what_git_keeps(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for name, text in PATTERNS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("import keras\n")
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, check=True,
                            capture_output=True, text=True).stdout.split("\n")
    expected = sorted(p for p in listed if p.endswith(".py"))
    sys.path.insert(0, str(ROOT))
    try:
        from kerascount.config import Config
        from kerascount.files import discover
    finally:
        sys.path.pop(0)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        found, problems = discover(["."], Config(root=str(tmp_path)))
        everything, _ = discover(["."], Config(root=str(tmp_path), respect_gitignore=False))
    finally:
        os.chdir(cwd)
    assert not problems
    assert sorted(found) == expected
    # The tree is a real test: git ignores most of it, and keeps some files through negations.
    walked = [f for f in FILES if f.endswith(".py") and "build/" not in f]  # build/ is in the default exclude
    assert sorted(everything) == sorted(walked) and len(walked) > 2 * len(found)
    assert {"keep_1.py", "pkg/inner/visible.py", "pkg/gen_kept.py"} <= set(found)
