"""`kerascount lint fixtures/` reports the reviewed list of diagnostics and nothing else.

The list is fixtures/expected-diagnostics.txt, written by `tools/expected_diagnostics.py --write`
(default rule selection). On a mismatch the failure shows a unified diff: '-' lines are findings
that disappeared, '+' lines new ones; review them, then rewrite the list.
"""

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tools import expected_diagnostics  # noqa: E402


def test_lint_over_fixtures_reports_the_expected_diagnostics():
    expected = expected_diagnostics.checked_in()
    assert expected, "fixtures/expected-diagnostics.txt is missing or empty"
    changes = expected_diagnostics.diff(expected, expected_diagnostics.current())
    if changes:
        pytest.fail("kerascount lint fixtures/ differs from the checked-in list:\n" + changes
                    + "\nreview the diff, then run `python tools/expected_diagnostics.py --write`", pytrace=False)


def test_diff_is_readable():
    changes = expected_diagnostics.diff(["a.py:1:1: KC101 error: x", "b.py:2:1: KC201 warning: y"],
                                        ["a.py:1:1: KC101 error: x", "c.py:3:1: KC403 info: z"])
    assert "-b.py:2:1: KC201 warning: y\n" in changes and "+c.py:3:1: KC403 info: z\n" in changes
    assert expected_diagnostics.diff(["a"], ["a"]) == ""
