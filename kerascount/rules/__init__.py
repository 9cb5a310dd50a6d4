"""The rule registry: every rule, by code."""

from __future__ import annotations

from typing import Dict, List, Type

from . import (analysis, applications, compile_names, conv_activation, data, geometry, hygiene, legacy, names, scaling, size, smells,
               structure, suppressions, training)
from .base import Rule, RuleContext

ALL: List[Type[Rule]] = sorted(
    [*analysis.RULES, *data.RULES, *geometry.RULES, *applications.RULES, *size.RULES, *hygiene.RULES, *training.RULES,
     *suppressions.RULES, *conv_activation.RULES, *legacy.RULES, *structure.RULES, *smells.RULES,
     *scaling.RULES, *names.RULES, *compile_names.RULES],
    key=lambda r: r.CODE,
)
BY_CODE: Dict[str, Type[Rule]] = {r.CODE: r for r in ALL}

__all__ = ["ALL", "BY_CODE", "Rule", "RuleContext"]
