"""The extract stage: source text → :class:`~kerascount.ir.FileIR`. The only stage that uses libcst."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..ir import FileIR, Note, Span
from .interpreter import Interpreter, Limits

__all__ = ["extract", "Limits"]


def extract(source: str, path: str, limits: Limits = Limits()) -> FileIR:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        line = max(exc.raw_line, 1)
        col = max(exc.raw_column, 0) + 1
        message = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
        return FileIR(path, (), (), (), (Note("KC000", f"syntax error: {message}", Span(line, col, line, col + 1)),))
    except RecursionError:
        return FileIR(path, (), (), (), (Note("KC000", "the file is nested too deeply to parse", Span(1, 1, 1, 1)),))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    return Interpreter(wrapper.module, path, positions, limits).run()
