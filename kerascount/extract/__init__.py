"""The extract stage: source text → :class:`~kerascount.ir.FileIR`. The only stage that uses libcst."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator, Optional, Tuple

import libcst as cst

if TYPE_CHECKING:
    import ast

from ..ir import FileIR, Note, Span
from . import bigfile
from .interpreter import Interpreter, Limits
from .positions import Positions

__all__ = ["extract", "Limits", "trust_parser", "trusted_parser"]


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    reduced = bigfile.reduce(source)  # a big file's data and unrelated code are skipped (same lines and columns)
    if reduced.refused:
        return FileIR(path, (), (), (), reduced.notes)
    ir = _extract(reduced.text, path, limits)
    return replace(ir, notes=(*reduced.notes, *ir.notes)) if reduced.notes else ir


def _extract(source: str, path: str, limits: Limits) -> FileIR:
    # CPython's parser first: libcst's native parser overflows its stack (the process dies) on nesting
    # that CPython rejects cleanly (2,000 parentheses, a sum of 10,000 terms), so those never reach it.
    tree, too_deep = _cpython_parse(source)
    if too_deep is not None:
        return FileIR(path, (), (), (), (too_deep,))
    try:
        module = cst.parse_module(source)
        if _trusted_parse and tree is None:
            module = _validated(source)  # parse again with libcst's checks, as an untrusting process does
    except (cst.ParserSyntaxError, cst.CSTValidationError) as exc:  # b"a" "b": parsed, then rejected by libcst
        return FileIR(path, (), (), (), (_syntax_note(source, exc),))
    except RecursionError:
        return FileIR(path, (), (), (), (Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1)),))
    ir = Interpreter(module, path, Positions(module, source, tree), limits).run()
    return replace(ir, tree=tree) if tree is not None else ir


#: Set by :func:`trust_parser`: libcst's node checks are skipped in this process.
_trusted_parse = False
_checked_post_init = None


#: Expressions nested deeper than about this are not analysed. libcst's parser takes time and memory
#: that grow with the square of the depth (a sum of 2,500 terms: 2.4 s; 2,500 nested ``a if c else``:
#: 1 GB) and overflows its stack, killing the process, near 10,000; at 500 it stays under 0.2 s.
MAX_DEPTH = 500


def _cpython_parse(source: str) -> "Tuple[Optional[ast.Module], Optional[Note]]":
    """CPython's tree of the source (None if CPython rejects it), and a note if it is nested too deeply.

    CPython's parser counts the depth of the tree it builds against the recursion limit (three
    levels a frame): lowering the limit while it parses makes it stop at :data:`MAX_DEPTH` levels,
    for free. The limit is the process's: another thread recursing deeply in that instant could
    see a RecursionError early.
    """
    import ast
    import sys
    import warnings

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + MAX_DEPTH // 3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
        if sys.version_info[:2] != (3, 11) and too_deep(tree, source, MAX_DEPTH):  # other versions ignore the limit
            raise RecursionError
        return tree, None
    except SyntaxError as err:
        if not any(s in err.msg for s in ("too many nested", "too many levels of indentation", "too complex")):
            return None, None  # maybe newer syntax than this Python's: libcst may read it
        line = err.lineno or 1
        return None, Note("KC000", f"syntax error: {err.msg}", Span(line, err.offset or 1, line, (err.offset or 1) + 1))
    except RecursionError:
        return None, Note("KC902", f"expressions are nested more than {MAX_DEPTH} levels deep (such as a sum of "
                                   f"{MAX_DEPTH} terms): the file is not analysed", Span(1, 1, 1, 1))
    except MemoryError:
        return None, Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1))
    except ValueError:
        return None, None
    finally:
        sys.setrecursionlimit(limit)


def too_deep(tree: "ast.Module", source: str, limit: int) -> bool:
    """Whether an expression in the tree is nested more than ``limit`` levels deep.

    Each level takes at least one character (``--1``), so only statements at least ``limit``
    characters long are walked below their own level: in most files, no expression at all.
    """
    import ast
    from itertools import accumulate

    starts = [0, 0, *accumulate(len(line) for line in source.splitlines(keepends=True))]  # by 1-based line
    blocks = tuple(getattr(ast, n) for n in ("stmt", "excepthandler", "match_case") if hasattr(ast, n))
    statements: list = [tree]
    while statements:
        node = statements.pop()
        long = isinstance(node, ast.stmt) and _length(node, starts) >= limit
        for child in ast.iter_child_nodes(node):
            if isinstance(child, blocks):
                statements.append(child)
            elif long:
                stack = [(child, 1)]
                while stack:
                    expr, depth = stack.pop()
                    if depth > limit:
                        return True
                    stack.extend((grandchild, depth + 1) for grandchild in ast.iter_child_nodes(expr))
    return False


def _length(node: "ast.stmt", starts: list) -> int:
    end_line = getattr(node, "end_lineno", None) or node.lineno
    end_col = getattr(node, "end_col_offset", None) or 0
    if end_line >= len(starts):
        return 1 << 30
    return starts[end_line] + end_col - starts[node.lineno] - node.col_offset


def _depth() -> int:
    import sys

    frame, n = sys._getframe(), 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


def _cpython_tree(source: str) -> "Optional[ast.Module]":
    """CPython's tree of the source (the positions use it too); None if CPython rejects the source."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _validated(source: str) -> cst.Module:
    """``parse_module`` with libcst's node checks, in a process that skips them otherwise."""
    cst.CSTNode.__post_init__ = _checked_post_init  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        cst.CSTNode.__post_init__ = _trusted  # type: ignore[method-assign]


def trust_parser() -> bool:
    """Skip libcst's validation of the nodes its own parser builds, in this process from now on.

    Every libcst node checks its fields when it is constructed (``CSTNode.__post_init__``), also
    each node the native parser builds from source it has just accepted; libcst's own comment
    there notes the cost, about 15% of a parse. Only for processes that build no nodes of their
    own (the workers of :func:`kerascount.api.analyze_paths`): ``--fix`` builds nodes in the main
    process, which keeps the checks. Returns whether libcst was as expected (else nothing changes).

    The checks also reject a little source that libcst's parser accepts (``b"a" "b"``): a file that
    CPython's parser rejects is parsed again with them, so that a worker reports what one process does.
    """
    global _trusted_parse, _checked_post_init
    base = cst.CSTNode
    if "__post_init__" not in base.__dict__ or any("__post_init__" in k.__dict__ for k in _subclasses(base)):
        return False
    if not _trusted_parse:
        _checked_post_init = base.__dict__["__post_init__"]
        base.__post_init__ = _trusted  # type: ignore[method-assign]
        _trusted_parse = True
    return True


def _trusted(self: cst.CSTNode) -> None:
    return None


@contextmanager
def trusted_parser() -> Iterator[None]:
    """:func:`trust_parser` for the length of a ``with`` block, then libcst's checks again: for the files one
    process analyses in a row (``analyze_paths`` without workers), about a sixth of their parse. Only
    around analysis, which builds no nodes; ``--fix`` builds its own after the block."""
    global _trusted_parse
    if _trusted_parse or not trust_parser():
        yield
        return
    try:
        yield
    finally:
        cst.CSTNode.__post_init__ = _checked_post_init  # type: ignore[method-assign]
        _trusted_parse = False


def _subclasses(kind: type) -> list:
    found, stack = [], [kind]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def _syntax_note(source: str, exc: Exception) -> Note:
    """Where and why the file does not parse: CPython's parser says it best (error path only)."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as err:
        line = err.lineno or 1
        col = err.offset or 1
        end_line = err.end_lineno or line
        end_col = err.end_offset if err.end_offset and end_line >= line else col + 1
        return Note("KC000", f"syntax error: {err.msg}", Span(line, col, end_line, max(end_col, col + 1)))
    except (ValueError, RecursionError, MemoryError):
        pass
    line, column = max(getattr(exc, "editor_line", 1), 1), max(getattr(exc, "editor_column", 1), 1)
    return Note("KC000", "syntax error: this syntax is not supported by the parser (libcst)",
                Span(line, column, line, column + 1))
