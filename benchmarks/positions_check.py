"""Check that kerascount's positions are libcst's, node for node, on any files (the corpus).

``kerascount.extract.positions.Positions`` takes most positions from CPython's parser and the
others from libcst's codegen of one top-level statement; this compares every node's position
(and ``Positions.text`` where it gives one) with libcst's own PositionProvider over the whole
module, on the very text kerascount analyses (a notebook's code cells, a big file reduced)::

    python benchmarks/positions_check.py /work/corpus          # directories or files
    python benchmarks/positions_check.py $(find /work/corpus -name '*.py' | head -50)

Prints each difference and a summary line; exits 1 if there was any.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Iterator, List

import libcst as cst

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kerascount.extract import bigfile  # noqa: E402
from kerascount.extract.positions import Positions, _owners, positions_of  # noqa: E402
from kerascount.files import read  # noqa: E402


def _files(args: List[str]) -> Iterator[str]:
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            yield from sorted(str(f) for f in p.rglob("*") if f.suffix in (".py", ".ipynb"))
        else:
            yield arg


def check(path: str) -> List[str]:
    """Differences between the two position sources in one file ([] if none or not analysable)."""
    text = read(path).text
    if text is None:
        return []
    reduced = bigfile.reduce(text)
    if reduced.refused:
        return []
    try:
        module = cst.parse_module(reduced.text)
    except Exception:  # not a file kerascount analyses
        return []
    reference = positions_of(module)
    positions = Positions(module, reduced.text)
    owners = _owners(module)
    problems = []
    # Nodes outside every statement (the module, its header and footer) last: they take the whole codegen.
    for node, r in sorted(reference.items(), key=lambda item: owners[id(item[0])] < 0):
        expected = (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)
        span = positions.get(node)
        got = None if span is None else (span.line, span.column, span.end_line, span.end_column)
        if got != expected:
            problems.append(f"{path}: {type(node).__name__} at {expected}, positions gives {got}")
        text = positions.text(node)
        if text is not None and text.split() != module.code_for_node(node).split():
            problems.append(f"{path}: {type(node).__name__} at {expected}: text {text[:60]!r}")
        if positions._full is not None and owners[id(node)] >= 0:
            problems.append(f"{path}: the whole module's codegen was run")
            break
    disagreed.update(kind.__name__ for kind, spans in positions._spans.items() if spans is None)
    return problems


#: Matched kinds the two parsers listed differently, and in how many files (those nodes took libcst's codegen).
disagreed: Counter = Counter()


def main(argv: List[str]) -> int:
    sys.setrecursionlimit(20000)
    files = problems = 0
    for path in _files(argv or ["fixtures"]):
        files += 1
        found = check(path)
        problems += len(found)
        for line in found:
            print(line)
    print(f"{files} files, {problems} differences; kinds not matched (files): {dict(disagreed) or 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
