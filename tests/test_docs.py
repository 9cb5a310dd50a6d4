"""The README stays true: its example output is what kerascount prints, and it lists every rule."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from kerascount import rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_lists_every_rule():
    for rule in rules.ALL:
        assert re.search(rf"\| {rule.CODE} \| {re.escape(rule.NAME)} \| {rule.SEVERITY} \|", README), rule.CODE


def test_readme_example_output_is_real(tmp_path):
    code = re.search(r"In a file `model\.py`:\n\n```python\n(.*?)```", README, re.S).group(1)
    (tmp_path / "model.py").write_text(code)
    console = re.search(r"```console\n(.*?)```", README, re.S).group(1)
    blocks = re.split(r"^\$ ", console, flags=re.M)[1:]
    assert blocks
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for block in blocks:
        command, _, expected = block.partition("\n")
        args = command.split()[1:]
        out = subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=tmp_path, capture_output=True,
                             text=True, env=env).stdout
        assert out.strip() == expected.strip(), command
