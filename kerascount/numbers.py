"""How numbers are written for people: ``327,680,740`` and ``327.7M``."""

from __future__ import annotations

from typing import Any

from .symbolic import Expr, render


def count(value: Any) -> str:
    """``327,680,740``; a symbolic count as its expression; ``?`` when unknown."""
    if value is None:
        return "?"
    if isinstance(value, Expr):
        return render(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def human(value: Any) -> str:
    """``327.7M``, ``12.9K``, ``900``."""
    if not isinstance(value, int):
        return count(value)
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if abs(value) >= size:
            try:
                return f"{value / size:.1f}{suffix}"
            except OverflowError:  # past float's range (10**320): round in integers
                tenths = (abs(value) * 10 + size // 2) // size
                return f"{'-' if value < 0 else ''}{tenths // 10}.{tenths % 10}{suffix}"
    return str(value)
