"""The extract stage: source text → :class:`~kerascount.ir.FileIR`. The only stage that uses libcst."""

from __future__ import annotations

import libcst as cst

from ..ir import FileIR, Note, Span
from .interpreter import Interpreter, Limits
from .positions import Positions

__all__ = ["extract", "Limits"]


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FileIR(path, (), (), (), (_syntax_note(source, exc),))
    except RecursionError:
        return FileIR(path, (), (), (), (Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1)),))
    return Interpreter(module, path, Positions(module, source), limits).run()


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
