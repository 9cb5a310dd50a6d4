"""What spec functions raise: an error Keras itself would raise, one small class per kind of message, or
:class:`Unresolved` where the source does not say enough to answer.

Each kind carries the code of the rule that reports it (``CODE``); the KC1xx rules (rules/geometry.py,
rules/applications.py) name the kind they report, and match a failing layer's problem by its kind
(:func:`kind_of`), never by a code. A spec raises the kind, never a code; the message is the exception's text.
"""

from __future__ import annotations

from typing import Any, Optional, Type


class ShapeError(Exception):
    """Keras itself would raise here. ``code`` is the rule that reports it: the kind's ``CODE``."""

    CODE = "KC102"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = type(self).CODE
        self.message = message


class NonPositiveDimension(ShapeError):
    """A dimension of the output would be 0 or negative (a window larger than its input)."""

    CODE = "KC101"


class IncompatibleInput(ShapeError):
    """The input does not suit the layer: a dimension it needs is None or does not match."""

    CODE = "KC102"


class InvalidArguments(ShapeError):
    """The layer's constructor (or its first call) rejects its arguments."""

    CODE = "KC103"
    #: The Python exception class Keras raises for it (where a spec's ``init_checks`` raise it).
    PYTHON = "ValueError"


class InvalidArgumentType(InvalidArguments):
    """As :class:`InvalidArguments`, where Keras raises TypeError (``RepeatVector(2.0)``, ``Dropout(None)``)."""

    PYTHON = "TypeError"


class WrongRank(ShapeError):
    """The input's rank is not the one the layer's InputSpec expects."""

    CODE = "KC104"


class UndefinedDenseInput(ShapeError):
    """Dense on an input whose last dimension is None."""

    CODE = "KC105"


class ReshapeMismatch(ShapeError):
    """Reshape to a shape of another size."""

    CODE = "KC106"


class MergeMismatch(ShapeError):
    """A merge layer (or an operation on several tensors) on shapes that do not combine."""

    CODE = "KC107"


class ApplicationWeightsMismatch(ShapeError):
    """A ``keras.applications`` call whose arguments do not suit its pretrained weights."""

    CODE = "KC111"


class ApplicationInputTooSmall(ShapeError):
    """A ``keras.applications`` model on inputs smaller than it accepts."""

    CODE = "KC112"


class ApplicationInputMismatch(ShapeError):
    """A ``keras.applications`` model called on inputs of another size than it was built for."""

    CODE = "KC113"


#: Each kind by its code (a kind's code is the one thing a layer's problem records of it: see kind_of).
KINDS = {kind.CODE: kind for kind in (NonPositiveDimension, IncompatibleInput, InvalidArguments, WrongRank,
                                      UndefinedDenseInput, ReshapeMismatch, MergeMismatch, ApplicationWeightsMismatch,
                                      ApplicationInputTooSmall, ApplicationInputMismatch)}


def kind_of(problem: Any) -> Optional[Type[ShapeError]]:
    """The kind of a Keras error that a layer's problem (``ir.Problem``: its code, and whether it is an error)
    records, for rules to match with ``issubclass``; None for a gap in the analysis."""
    if problem is None or not problem.error:
        return None
    return KINDS.get(problem.code)


class Unresolved(Exception):
    """The source does not determine what is needed (an argument, a shape)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
