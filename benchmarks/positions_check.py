"""Check that kerascount's spans and texts are libcst's, on any files (the corpus).

The analysis read libcst's trees before it read CPython's ``ast``; what its reports quote and point at
must not change. :func:`differences` positions every expression and statement of a text with
``kerascount.extract.positions.Positions`` (from CPython's tree) and requires a libcst node with the same
span (libcst's PositionProvider) and, for an expression, the same text (libcst's codegen of the node,
whitespace collapsed); a statement's text with its comments (``line=True``) is compared with the codegen
of its line. It runs on the very text kerascount analyses (a notebook's code cells, a big file reduced)::

    python benchmarks/positions_check.py /work/corpus          # directories or files
    python benchmarks/positions_check.py $(find /work/corpus -name '*.py' | head -50)

Prints each difference and a summary line; exits 1 if there was any. ``tests/test_positions.py`` runs it
on the fixtures, a sample of the standard library and tricky snippets.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any, Iterator, List

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kerascount.extract import bigfile  # noqa: E402
from kerascount.extract.positions import Positions  # noqa: E402
from kerascount.files import read  # noqa: E402
from kerascount.ir import Span  # noqa: E402

#: Compound statements: libcst's end after a last ``;`` (``if a: g();``), CPython's before it (not compared).
COMPOUND = (ast.If, ast.For, ast.While, ast.FunctionDef, ast.ClassDef, ast.Try, ast.With)


def _skipped(tree: ast.AST) -> set:
    """ids of ``ast`` nodes libcst has no node for: the parts of f-strings and ``x[a, b]``'s tuple."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                out.update(id(n) for n in ast.walk(value) if not isinstance(value, ast.FormattedValue)
                           or n is value or n is value.format_spec or n in getattr(value.format_spec, "values", ()))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            out.add(id(node.slice))
    return out


def _semicolon_after(lines: List[bytes], node: ast.stmt) -> bool:
    line = lines[node.end_lineno - 1]
    return line[node.end_col_offset:].lstrip()[:1] == b";" or line[:node.end_col_offset].rstrip()[-1:] == b";"


def _code(module: cst.Module, node: Any) -> str:
    try:
        return " ".join(module.code_for_node(node).split())
    except Exception:  # noqa: BLE001 - libcst cannot print some nodes alone (an annotation)
        return ""


def _blocks(tree: ast.AST) -> Iterator[list]:
    """Every list of statements in the tree."""
    for node in ast.walk(tree):
        for f in ("body", "orelse", "finalbody"):
            block = getattr(node, f, None)
            if isinstance(block, list):
                yield block


def differences(source: str, label: str = "") -> List[str]:
    """Where ``Positions`` differs from libcst in a text both parsers read ([] if none)."""
    module = cst.parse_module(source)
    by_span: dict = {}
    for node, r in MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider).items():
        by_span.setdefault(Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1), []).append(node)
    tree = ast.parse(source)
    positions = Positions(source)
    skipped = _skipped(tree)
    lines = [line.encode("utf-8") for line in positions._main.lines]
    previous = {id(b): a for block in _blocks(tree) for a, b in zip(block, block[1:])}
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.expr, ast.stmt)) or id(node) in skipped or isinstance(node, ast.Slice):
            continue  # (libcst's slice ends after the spaces that follow it; the analysis never points at one)
        if isinstance(node, COMPOUND) and _semicolon_after(lines, node):
            continue
        span = positions.get(node)
        found = by_span.get(span, [])
        where = f"{label}{type(node).__name__} at {span}"
        if not found:
            problems.append(f"{where}: no libcst node there")
            continue
        if isinstance(node, ast.expr) and not isinstance(node, ast.Starred):
            text = " ".join(positions.text(node).split())
            if text not in {_code(module, c) for c in found}:
                problems.append(f"{where}: text {text[:60]!r}")
        # The module's header holds the comments above its first statement; an ``elif`` is printed by its ``if``.
        if isinstance(node, ast.stmt) and not (tree.body and node is tree.body[0]) and \
                not positions.starts_with(node, "elif"):
            held = [c for c in found if isinstance(c, (cst.SimpleStatementLine, cst.BaseCompoundStatement))]
            if held and (not isinstance(held[0], cst.SimpleStatementLine) or len(held[0].body) == 1):
                text = " ".join(positions.text(node, True, previous.get(id(node))).split())
                if text != _code(module, held[0]):
                    problems.append(f"{where}: line text {text[:60]!r}")
    return problems


def _files(args: List[str]) -> Iterator[str]:
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            yield from sorted(str(f) for f in p.rglob("*") if f.suffix in (".py", ".ipynb"))
        else:
            yield arg


def check(path: str) -> List[str]:
    """Differences in one file as kerascount reads it ([] if none or not analysable by both parsers)."""
    text = read(path).text
    if text is None:
        return []
    reduced = bigfile.reduce(text)
    if reduced.refused:
        return []
    try:
        cst.parse_module(reduced.text)
        ast.parse(reduced.text)
    except Exception:  # noqa: BLE001 - not a file both parsers read
        return []
    return differences(reduced.text, f"{path}: ")


def main(argv: List[str]) -> int:
    sys.setrecursionlimit(20000)
    files = problems = 0
    for path in _files(argv or ["fixtures"]):
        files += 1
        found = check(path)
        problems += len(found)
        for line in found:
            print(line)
    print(f"{files} files, {problems} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
