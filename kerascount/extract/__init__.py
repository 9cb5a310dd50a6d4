"""The extract stage: source text → :class:`~kerascount.ir.FileIR`. The only stage that uses libcst."""

from __future__ import annotations

import libcst as cst

from ..ir import FileIR, Note, Span
from .interpreter import Interpreter, Limits
from .positions import Positions

__all__ = ["extract", "Limits", "trust_parser"]


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FileIR(path, (), (), (), (_syntax_note(source, exc),))
    except RecursionError:
        return FileIR(path, (), (), (), (Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1)),))
    return Interpreter(module, path, Positions(module, source), limits).run()


def trust_parser() -> bool:
    """Skip libcst's validation of the nodes its own parser builds, in this process from now on.

    Every libcst node checks its fields when it is constructed (``CSTNode.__post_init__``), also
    each node the native parser builds from source it has just accepted; libcst's own comment
    there notes the cost, about 15% of a parse. Only for processes that build no nodes of their
    own (the workers of :func:`kerascount.api.analyze_paths`): ``--fix`` builds nodes in the main
    process, which keeps the checks. Returns whether libcst was as expected (else nothing changes).
    """
    base = cst.CSTNode
    if "__post_init__" not in base.__dict__ or any("__post_init__" in k.__dict__ for k in _subclasses(base)):
        return False
    base.__post_init__ = _trusted  # type: ignore[method-assign]
    return True


def _trusted(self: cst.CSTNode) -> None:
    return None


def _subclasses(kind: type) -> list:
    found, stack = [], [kind]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def _syntax_note(source: str, exc: "cst.ParserSyntaxError") -> Note:
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
    line = max(exc.editor_line, 1)
    return Note("KC000", "syntax error: this syntax is not supported by the parser (libcst)",
                Span(line, exc.editor_column, line, exc.editor_column + 1))
