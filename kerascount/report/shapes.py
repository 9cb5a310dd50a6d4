"""Shapes and counts as text and as JSON values."""

from __future__ import annotations

from typing import Any

from ..symbolic import Expr, render


def dim_json(d: Any) -> Any:
    if isinstance(d, Expr):
        return render(d)
    return d


def shape_json(shape: Any) -> Any:
    """SHAPE: a list with null for None; several outputs: a list of such lists."""
    if shape is None:
        return None
    if shape and isinstance(shape[0], tuple):
        return [shape_json(s) for s in shape]
    return [dim_json(d) for d in shape]


def count_json(value: Any) -> Any:
    if isinstance(value, Expr):
        return render(value)
    return value


def shape_text(shape: Any) -> str:
    if shape is None:
        return "?"
    if shape and isinstance(shape[0], tuple):
        return ", ".join(shape_text(s) for s in shape)
    inner = ", ".join(render(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
