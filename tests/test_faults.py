"""The fault corpus: fixtures/faults/<name>_bug.py and its fixed twin <name>_fixed.py.

Each buggy program marks the line of each expected finding with `# expect: KCxxx`. The test
checks that kerascount reports that code on that line (the finding's line range covers it),
and that the fixed twin gets no warning or error at all. Rules that are off by default
(design smells) are selected for both files when a marker names them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerascount import rules
from kerascount.api import analyze_source
from kerascount.config import Config

FAULTS = Path(__file__).resolve().parent.parent / "fixtures" / "faults"
BUGS = sorted(FAULTS.glob("*_bug.py"))
#: Correct programs in the style of real code that resemble faults (a linear bottleneck, logits, a
#: declared channels-first ordering, code for two Keras versions): no rule may fire on them.
CLEAN = sorted((FAULTS / "clean").glob("*.py"))
_MARKER = re.compile(r"#\s*expect:\s*((?:KC\d{3}[,\s]*)+)")


def _expected(text: str):
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _MARKER.search(line)
        if match:
            found += [(code, number) for code in re.findall(r"KC\d{3}", match.group(1))]
    return found


def _config(codes) -> Config:
    opt_in = tuple(sorted({c for c in codes if not rules.BY_CODE[c].DEFAULT_ENABLED}))
    return Config(extend_select=opt_in)


def _snippet_not_analysed(report) -> bool:
    """A file without imports that kerascount does not read yet (no model found at all)."""
    return not report.models


def test_the_corpus_is_large_and_paired():
    check_paired(BUGS, 40)


def check_paired(bugs, minimum: int) -> None:
    """At least `minimum` buggy programs, each with its fixed twin and an `# expect:` marker."""
    assert len(bugs) >= minimum
    for bug in bugs:
        assert bug.with_name(bug.name.replace("_bug.py", "_fixed.py")).exists(), bug.name
        assert _expected(bug.read_text()), f"{bug.name} has no `# expect:` marker"


@pytest.mark.parametrize("bug", BUGS, ids=lambda p: p.name[: -len("_bug.py")])
def test_buggy_program_gets_the_intended_finding(bug):
    text = bug.read_text()
    expected = _expected(text)
    report = analyze_source(text, bug.name, _config([c for c, _ in expected]))
    assert report.internal_error is None
    if "import" not in text and _snippet_not_analysed(report):
        pytest.xfail("snippets without imports are not analysed yet")
    got = [(d.code, d.span.line, d.span.end_line) for d in report.diagnostics]
    for code, line in expected:
        assert any(c == code and start <= line <= end for c, start, end in got), \
            f"{bug.name}:{line}: expected {code}, got {report.diagnostics}"


@pytest.mark.parametrize("bug", BUGS, ids=lambda p: p.name[: -len("_bug.py")])
def test_fixed_twin_gets_no_warning_or_error(bug):
    fixed = bug.with_name(bug.name.replace("_bug.py", "_fixed.py"))
    codes = [c for c, _ in _expected(bug.read_text())]
    text = fixed.read_text()
    report = analyze_source(text, fixed.name, _config(codes))
    assert report.internal_error is None
    if "import" not in text and _snippet_not_analysed(report):
        pytest.xfail("snippets without imports are not analysed yet")
    loud = [d for d in report.diagnostics if d.severity in ("error", "warning")]
    assert not loud, f"{fixed.name}: {loud}"


@pytest.mark.parametrize("program", CLEAN, ids=lambda p: p.stem)
def test_correct_program_gets_no_warning_or_error(program):
    report = analyze_source(program.read_text(), program.name, Config())
    assert report.internal_error is None and report.models
    loud = [d for d in report.diagnostics if d.severity in ("error", "warning")]
    assert not loud, f"{program.name}: {loud}"
