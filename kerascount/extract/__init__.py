"""The extract stage: source text → :class:`~kerascount.ir.FileIR`. The only stage that uses libcst."""

from __future__ import annotations

from typing import Any, Mapping

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..ir import FileIR, Note, Span
from .interpreter import Interpreter, Limits

__all__ = ["extract", "Limits"]


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FileIR(path, (), (), (), (_syntax_note(source, exc),))
    except RecursionError:
        return FileIR(path, (), (), (), (Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1)),))
    return Interpreter(module, path, positions_of(module), limits).run()


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
    """Every node's CodeRange, as libcst's PositionProvider computes it.

    ``MetadataWrapper.resolve`` also walks the whole tree for batchable providers, which
    PositionProvider is not: running the provider's codegen directly halves the cost. If
    libcst's internals differ from what this expects, the public path is used instead.
    """
    try:
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        provider = PositionProvider()
        state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                              default_newline=module.default_newline, provider=provider)
        module._codegen(state)
        return provider._computed
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other libcst versions
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


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
