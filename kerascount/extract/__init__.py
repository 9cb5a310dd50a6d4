"""The extract stage: source text → :class:`~kerascount.ir.FileIR`, read with CPython's ``ast`` (parsed once)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Dict, Optional, Tuple

if TYPE_CHECKING:
    import ast

from ..ir import FileIR, Note, Span
from .interpreter import Interpreter, Limits
from .positions import Positions

__all__ = ["extract", "extract_way", "Limits"]

#: Files up to this many characters are analysed as they are; bigfile.py, imported only for a longer one, reduces it.
BIG = 100_000


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    if len(source) <= BIG:
        return _extract(source, path, limits)
    from . import bigfile

    reduced = bigfile.reduce(source)  # a big file's data and unrelated code are skipped (same lines and columns)
    if reduced.refused:
        return FileIR(path, (), (), (), reduced.notes)
    ir = _extract(reduced.text, path, limits)
    return replace(ir, notes=(*reduced.notes, *ir.notes)) if reduced.notes else ir


def extract_way(ir: FileIR, source: str, forced: "Dict[int, bool]", limits: Limits = Limits()) -> Optional[FileIR]:
    """The file of ``ir`` (``extract(source, ...)``, not a big one) run again taking the given ways of its tests
    (``Interpreter.forced``, by id of nodes of ``ir.tree``); None when that run meets a limit."""
    if len(source) > BIG or ir.tree is None:
        return None
    interpreter = Interpreter(ir.tree, ir.path, Positions(source), limits, forced)
    out = interpreter.run()
    interpreter.release()
    if any(n.code == "KC902" for n in out.notes):
        return None
    return replace(out, tree=ir.tree)


def _extract(source: str, path: str, limits: Limits) -> FileIR:
    from ..project import file_tree

    tree = file_tree(path, source)  # a module of the project an earlier file imported: parsed then, the same way
    problem = None
    if tree is None:
        tree, problem = _cpython_parse(source)
    if tree is not None and "__future__" in source and not path.endswith(".ipynb"):
        problem = misplaced_future(tree)  # (IPython compiles each statement of a cell alone: no such error)
        tree = None if problem is not None else tree
    if tree is not None:
        problem = repeated_keyword(tree)
        tree = None if problem is not None else tree
    if tree is None:
        return FileIR(path, (), (), (), (problem,))
    interpreter = Interpreter(tree, path, Positions(source), limits)
    ir = interpreter.run()
    interpreter.release()  # (its values free at once: the garbage collector walks less)
    return replace(ir, tree=tree)


def misplaced_future(tree: "ast.Module") -> Optional[Note]:
    """The SyntaxError CPython's compiler (not its parser, which ``ast.parse`` runs) raises for a ``from __future__
    import`` anywhere but at the beginning of the file (after its docstring and other such imports: a notebook
    exported as a script puts its first cell's code before a later cell's), or of a feature it does not know."""
    import __future__
    import ast

    body = tree.body
    start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
        isinstance(body[0].value.value, str) else 0
    leading = set()
    for node in body[start:]:
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0):
            break
        leading.add(id(node))
        for alias in node.names:
            if alias.name not in __future__.all_feature_names:
                why = "not a chance" if alias.name == "braces" else f"future feature {alias.name} is not defined"
                return Note("KC000", f"syntax error: {why}", Span(node.lineno, node.col_offset + 1, node.lineno,
                                                                  node.col_offset + 2))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0 and \
                id(node) not in leading:
            return Note("KC000", "syntax error: from __future__ imports must occur at the beginning of the file",
                        Span(node.lineno, node.col_offset + 1, node.lineno, node.col_offset + 2))
    return None


def repeated_keyword(tree: "ast.Module") -> Optional[Note]:
    """The SyntaxError CPython's compiler (not its parser, which ``ast.parse`` runs) raises for a call or a class
    statement given the same keyword argument twice (``EvaluateMNIST(images=x, images=y)``): the file never runs
    (a notebook's cell: that cell)."""
    import ast

    from ..nodes import walk_list

    for node in walk_list(tree):
        if type(node) in (ast.Call, ast.ClassDef) and len(node.keywords) > 1:
            seen = set()
            for kw in node.keywords:
                if kw.arg is not None and kw.arg in seen:
                    return Note("KC000", f"syntax error: keyword argument repeated: {kw.arg}",
                                Span(kw.lineno, kw.col_offset + 1, kw.lineno, kw.col_offset + 1 + len(kw.arg)))
                seen.add(kw.arg)
    return None


#: Expressions nested deeper than about this are not analysed: the interpreter recurses once or twice per
#: level, and Python's stack is bounded (libcst's parser, used before, overflowed its own near 10,000).
MAX_DEPTH = 500


def _cpython_parse(source: str) -> "Tuple[Optional[ast.Module], Optional[Note]]":
    """CPython's tree of the source, or None and why not (a syntax error, nesting too deep).

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
            return None, _syntax_note(err)
        line = err.lineno or 1
        return None, Note("KC000", f"syntax error: {err.msg}", Span(line, err.offset or 1, line, (err.offset or 1) + 1))
    except RecursionError:
        return None, Note("KC902", f"expressions are nested more than {MAX_DEPTH} levels deep (such as a sum of "
                                   f"{MAX_DEPTH} terms): the file is not analysed", Span(1, 1, 1, 1))
    except MemoryError:
        return None, Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1))
    except ValueError as err:  # a null character
        return None, Note("KC000", f"the file cannot be parsed: {err}", Span(1, 1, 1, 1))
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


def _syntax_note(err: SyntaxError) -> Note:
    """Where and why the file does not parse."""
    line = err.lineno or 1
    col = err.offset or 1
    end_line = err.end_lineno or line
    end_col = err.end_offset if err.end_offset and end_line >= line else col + 1
    return Note("KC000", f"syntax error: {err.msg}", Span(line, col, end_line, max(end_col, col + 1)))
