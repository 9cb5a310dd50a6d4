#!/usr/bin/env python3
"""The diagnostics `kerascount lint` reports on fixtures/, as a reviewed, checked-in list.

Usage:
    python tools/expected_diagnostics.py --check   # exit 1 and print a diff if the output changed
    python tools/expected_diagnostics.py --write   # rewrite the list (review the diff before committing)

The list, fixtures/expected-diagnostics.txt, is what a user gets from

    kerascount lint --format json fixtures/

with the default rule selection (opt-in rules stay off): one line per diagnostic,

    path:line:column: CODE severity: message

(`path:cell N:line:column` in a notebook), in kerascount's order. Every line is meant to be an
intended finding: a new line in the diff is a new finding to review, a missing one a lost finding.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
from typing import List

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = "fixtures"
EXPECTED = os.path.join(REPO_ROOT, FIXTURES, "expected-diagnostics.txt")


def current() -> List[str]:
    """The lines for what kerascount reports now (runs the CLI once)."""
    cmd = [sys.executable, "-m", "kerascount", "lint", "--format", "json", "--no-cache", FIXTURES]
    env = dict(os.environ, PYTHONPATH=REPO_ROOT)
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"kerascount lint exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    document = json.loads(proc.stdout)
    lines = [f"! {problem}" for problem in document.get("errors", [])]
    for report in document["files"]:
        for d in report["diagnostics"]:
            cell = f"cell {d['cell']}:" if "cell" in d else ""
            lines.append(f"{report['path']}:{cell}{d['line']}:{d['column']}: {d['code']} {d['severity']}: "
                         f"{d['message']}")
    return lines


def checked_in() -> List[str]:
    try:
        with open(EXPECTED, encoding="utf-8") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def diff(expected: List[str], got: List[str]) -> str:
    """A unified diff from the checked-in list to the current output ('' when they agree)."""
    return "".join(difflib.unified_diff([line + "\n" for line in expected], [line + "\n" for line in got],
                                        fromfile="fixtures/expected-diagnostics.txt (checked in)",
                                        tofile="kerascount lint fixtures/ (now)", n=1))


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="print a diff and exit 1 if the list is stale")
    mode.add_argument("--write", action="store_true", help="rewrite fixtures/expected-diagnostics.txt")
    args = parser.parse_args(argv)
    got = current()
    if args.write:
        with open(EXPECTED, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in got))
        print(f"wrote {len(got)} diagnostics to {os.path.relpath(EXPECTED)}")
        return 0
    changes = diff(checked_in(), got)
    if changes:
        sys.stdout.write(changes)
        print("the diagnostics changed: review the diff, then run `python tools/expected_diagnostics.py --write`")
        return 1
    print(f"{len(got)} diagnostics as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
