"""Crash-then-fix pairs on data: fixtures/datafaults/<name>_bug.py and <name>_fixed.py.

Each buggy program feeds a model data of the wrong shape (NumPy, scikit-learn's bundled data
sets, keras.datasets) and marks the line where Keras or NumPy raises with `# expect: KCxxx`; the
fixed twin runs. `python tools/fault_truth.py fixtures/datafaults` checks both with real Keras
(jax backend, one training step). The checks are those of tests/test_faults.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_faults import check_paired, test_buggy_program_gets_the_intended_finding as _bug_flagged
from tests.test_faults import test_fixed_twin_gets_no_warning_or_error as _fixed_silent

DATAFAULTS = Path(__file__).resolve().parent.parent / "fixtures" / "datafaults"
BUGS = sorted(DATAFAULTS.glob("*_bug.py"))


def test_there_are_thirty_pairs():
    check_paired(BUGS, 30)


@pytest.mark.parametrize("bug", BUGS, ids=lambda p: p.name[: -len("_bug.py")])
def test_crash_is_flagged(bug):
    _bug_flagged(bug)


@pytest.mark.parametrize("bug", BUGS, ids=lambda p: p.name[: -len("_bug.py")])
def test_fix_is_silent(bug):
    _fixed_silent(bug)
