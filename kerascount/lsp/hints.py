"""Inlay hints: at the end of each layer's line its output shape, params and mult-adds; on a model's
line its totals. Plain functions over analysis results; the server places them in the editor.

Settings (initialization options or ``workspace/didChangeConfiguration``, under ``kerascount``)::

    {"inlayHints": {"enabled": true, "shape": true, "params": true, "macs": true, "modelTotals": true}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..cost import total
from ..ir import Count, LayerResult, ModelResult
from ..numbers import count, human
from ..report.shapes import shape_text


@dataclass(frozen=True)
class HintSettings:
    """Which inlay hints to show; ``enabled=False`` shows none."""

    enabled: bool = True
    shape: bool = True
    params: bool = True
    macs: bool = True
    modelTotals: bool = True  # noqa: N815 - the name of the setting

    @staticmethod
    def _given(options: Any) -> Any:
        """The ``inlayHints`` value of ``{"kerascount": {"inlayHints": ...}}`` or ``{"inlayHints": ...}``."""
        if isinstance(options, dict) and isinstance(options.get("kerascount"), dict):
            options = options["kerascount"]
        return options.get("inlayHints") if isinstance(options, dict) else None

    @classmethod
    def ignored(cls, options: Any) -> List[str]:
        """The values in ``options`` that :meth:`read` ignores, each as ``inlayHints.macs = 0``."""
        given = cls._given(options)
        if given is None or isinstance(given, bool):
            return []
        if not isinstance(given, dict):
            return [f"inlayHints = {json.dumps(given)} (true, false or a table of switches)"]
        names = [f.name for f in fields(cls)]
        return [f"inlayHints.{k} = {json.dumps(v)} ({'true or false' if k in names else 'not a setting'})"
                for k, v in given.items() if k not in names or not isinstance(v, bool)]

    @classmethod
    def read(cls, options: Any, base: Optional["HintSettings"] = None) -> "HintSettings":
        """The settings in ``options`` (``{"kerascount": {"inlayHints": ...}}`` or ``{"inlayHints": ...}``),
        the others as in ``base``; values of the wrong type are ignored (:meth:`ignored` lists them)."""
        base = base or cls()
        given = cls._given(options)
        if isinstance(given, bool):
            given = {"enabled": given}
        if not isinstance(given, dict):
            return base
        values = {f.name: getattr(base, f.name) for f in fields(cls)}
        values.update({k: v for k, v in given.items() if k in values and isinstance(v, bool)})
        return cls(**values)


@dataclass(frozen=True)
class Hint:
    """A label for the end of a 1-based line of the analysed text."""

    line: int
    label: str
    #: Longer text for the hint's tooltip.
    tooltip: str


def _macs(value: Count) -> str:
    return f"{human(value)} MACs"


def _params(value: Count) -> str:
    return f"{count(value)} params"


def _layer_label(rows: Sequence[LayerResult], settings: HintSettings) -> Optional[str]:
    """``→ (None, 160, 160, 128) · 640 params · 16.4M MACs``; for several layers made on one line,
    their number, the last one's shape and the sums. Counts that are 0 are left out; unknown
    parameters are ``?``, unknown mult-adds left out."""
    params = total([r.params for r in rows])
    if rows[-1].output_shape is None and params in (0, None):
        return None  # nothing known worth a hint (a layer of a model that is not built)
    parts = []
    if settings.shape:
        parts.append(shape_text(rows[-1].output_shape))
    if settings.params and params != 0:
        parts.append(_params(params))
    macs = total([r.macs for r in rows])
    if settings.macs and macs not in (0, None):
        parts.append(_macs(macs))
    if not parts:
        return None
    prefix = "→ " if len(rows) == 1 else f"→ {len(rows)} layers: "
    return prefix + " · ".join(parts)


def _model_label(model: ModelResult, settings: HintSettings) -> str:
    name = f'Σ "{model.model.name}"' if model.model.name else "Σ model"
    if model.failed:
        return f"{name}: Keras raises while building it"
    if model.status == "unbuilt":
        return f"{name}: not built ({model.unbuilt_why()})"
    parts = [_params(model.total)]
    if model.non_trainable not in (0, None):
        parts[0] += f" ({count(model.non_trainable)} non-trainable)"
    if settings.macs and model.macs is not None:
        parts.append(_macs(model.macs))
    label = f"{name}: " + " · ".join(parts)
    return label + (" (not fully resolved)" if model.status == "unknown" else "")


def _tooltip(rows: Sequence[LayerResult]) -> str:
    return "\n".join(f"{r.layer.name} ({r.layer.type}): {shape_text(r.output_shape)}, {count(r.params)} params"
                     + ("" if r.macs is None else f", {count(r.macs)} MACs") for r in rows)


def hints(models: Sequence[ModelResult], settings: HintSettings) -> List[Hint]:
    """The hints for a file's models, in line order: one per line that makes layers, one per model.

    Each layer is shown once (a layer of a model nested in another is listed in both), at the end of
    the line where the call that made it ends. Layers Keras would reject or whose numbers are not
    known at all get no hint: their diagnostics say why.
    """
    if not settings.enabled:
        return []
    by_line: Dict[int, List[LayerResult]] = {}
    seen = set()
    for model in models:
        for row in model.rows:
            if row.layer.uid in seen or row.layer.type == "InputLayer" or row.problem is not None \
                    or (row.output_shape is None and row.params is None):
                continue
            seen.add(row.layer.uid)
            by_line.setdefault(row.layer.span.end_line, []).append(row)
    out: List[Hint] = []
    for line, rows in by_line.items():
        label = _layer_label(rows, settings)
        if label is not None:
            out.append(Hint(line, label, _tooltip(rows)))
    if settings.modelTotals:
        for model in models:
            label = _model_label(model, settings)
            out.append(Hint(model.model.span.line, label, f"{model.model.kind} model: {label}"))
    out.sort(key=lambda h: h.line)
    return out


def in_lines(found: Sequence[Hint], first: int, last: int) -> Tuple[Hint, ...]:
    """The hints on lines ``first`` to ``last`` (1-based, inclusive)."""
    return tuple(h for h in found if first <= h.line <= last)
