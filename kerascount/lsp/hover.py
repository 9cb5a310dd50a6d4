"""What is under the cursor: a layer row or a model, found in the analysis results, as Markdown.

A layer's parameter count comes with how it is made when :mod:`.formulas` knows the layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Tuple

from ..ir import Count, LayerResult, ModelResult, Span
from ..numbers import count, human
from ..report.shapes import shape_text
from .formulas import formula


@dataclass(frozen=True)
class Hit:
    """The model under the cursor, and the layer rows made by the call under it (none: the model itself)."""

    model: ModelResult
    #: Usually one; several for a call of a helper from another file, or a helper called in a loop.
    rows: Tuple[LayerResult, ...]
    span: Span


def _contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def _inner(span: Span) -> Tuple[int, int, int, int]:
    """Larger for inner spans: spans of nested calls nest, so the innermost starts last and ends first."""
    return span.line, span.column, -span.end_line, -span.end_column


def find(models: Sequence[ModelResult], line: int, column: int) -> Optional[Hit]:
    """The layer rows or model at a 1-based ``line`` and ``column`` of the analysed text.

    A layer is found anywhere in the call that made it (``Dense(units=100)``; for a layer made in a
    helper imported from another file, the call of the helper); a model anywhere in its constructor
    call or on the line where that call starts (``model = Model(...)``). The innermost call wins;
    its rows are those of the first model that has rows made there.
    """
    spans = [r.layer.span for m in models for r in m.rows if _contains(r.layer.span, line, column)]
    if spans:
        span = max(spans, key=_inner)
        for m in models:
            rows = tuple(r for r in m.rows if r.layer.span == span)
            if rows:
                return Hit(m, rows, span)
    found = [m for m in models if _contains(m.model.span, line, column) or m.model.span.line == line]
    if not found:
        return None
    model = max(found, key=lambda m: _inner(m.model.span))
    return Hit(model, (), model.model.span)


def _amount(value: Count) -> str:
    """``327,680,740 (327.7M)``, as the summary's totals are written."""
    text = count(value)
    return f"{text} ({human(value)})" if isinstance(value, int) and value >= 1000 else text


def _shapes(shapes: Optional[Tuple[Any, ...]]) -> str:
    return "?" if shapes is None else ", ".join(f"`{shape_text(s)}`" for s in shapes)


def _split(trainable: Count, non_trainable: Count) -> List[str]:
    """Trainable and non-trainable counts, when some parameters are not trainable (or it is not known)."""
    if non_trainable == 0:
        return []
    return [f"- Trainable params: {_amount(trainable)}", f"- Non-trainable params: {_amount(non_trainable)}"]


def _model_name(model: ModelResult) -> str:
    return f'"{model.model.name}"' if model.model.name else "(unnamed)"


def _layer_markdown(model: ModelResult, row: LayerResult) -> List[str]:
    made = formula(row)
    how = "" if made is None else f" = {made[0]} = {made[1]}"
    lines = [f"**{row.layer.name}** ({row.layer.type}) in model {_model_name(model)}", "",
             f"- Output shape: `{shape_text(row.output_shape)}`", f"- Params: {_amount(row.params)}{how}"]
    lines.extend(_split(row.trainable, row.non_trainable))
    if row.problem is not None:
        lines.append(f"- {row.problem.code}: {row.problem.message}")
    return lines


def _layers_markdown(model: ModelResult, rows: Sequence[LayerResult]) -> List[str]:
    lines = [f"**{len(rows)} layers** made here, in model {_model_name(model)}", ""]
    for row in rows:
        split = "" if row.non_trainable == 0 else \
            f" (trainable {_amount(row.trainable)}, non-trainable {_amount(row.non_trainable)})"
        lines.append(f"- **{row.layer.name}** ({row.layer.type}): `{shape_text(row.output_shape)}`, "
                     f"{_amount(row.params)} params{split}")
    return lines


_STATUS = {
    "symbolic": "some numbers are symbolic",
    "unknown": "not fully resolved",
}


def _model_markdown(model: ModelResult, locate: Any = None) -> List[str]:
    status = _STATUS.get(model.status) if model.status != "unbuilt" else f"not built: {model.unbuilt_why()}"
    lines = [f"**Model {_model_name(model)}** ({model.model.kind})" + (f" — {status}" if status else ""), ""]
    caveat = model.caveat()
    if caveat:
        lines.extend([f"_{caveat}_", ""])
    if model.inputs is not None or model.outputs is not None:
        lines.append(f"- Input: {_shapes(model.inputs)} → Output: {_shapes(model.outputs)}")
    lines.append(f"- Total params: {_amount(model.total)}")
    lines.append(f"- Trainable params: {_amount(model.trainable)}")
    lines.append(f"- Non-trainable params: {_amount(model.non_trainable)}")
    if model.alternatives:
        from ..report.text import alternative_lines

        lines.append("- On each way through the conditions the analysis cannot decide:")
        lines.extend(f"  - {line}" for line in alternative_lines(locate or (lambda n: (None, n)), model))
    lines.extend(f"- ? {reason}" for reason in dict.fromkeys(model.reasons))
    lines.extend(_symbol_lines(model, locate))
    lines.extend(_data_lines(model))
    return lines


def _symbol_lines(model: ModelResult, locate: Any = None) -> List[str]:
    """Where each symbol of the model's numbers comes from, one line each, as the text summary lists them
    (``locate``: a report's, for the cell and line in a notebook)."""
    out = []
    for s in model.symbols:
        place = ""
        if s.span is not None:
            cell, row = locate(s.span.line) if locate is not None else (None, s.span.line)
            place = f" (cell {cell}, line {row})" if cell is not None else f" (line {row})"
        out.append(f"- `{s.name}`: {s.origin}{place}")
    return out


def _data_lines(model: ModelResult) -> List[str]:
    """The shapes of the data given to the model (``fit``, ``predict``...), one line per call (at most 4)."""
    out = []
    for call in model.model.data_calls[:4]:
        parts = []
        for label, shape in (("x", call.x), ("y", call.y), ("validation x", call.val_x), ("validation y", call.val_y)):
            if label == "x" and call.xs is not None:
                parts.append("x " + ", ".join(f"`{shape_text(s)}`" for s in call.xs))
            elif shape is not None:
                parts.append(f"{label} `{shape_text(shape)}`")
        if parts:
            out.append(f"- `{call.method}` (line {call.span.line}): " + ", ".join(parts))
    return out


def markdown(hit: Hit, locate: Any = None) -> str:
    """The hover text: a layer's output shape and parameters (or each layer's), or a model's totals (and where
    its symbols come from; ``locate``: the report's, for places in a notebook's cells)."""
    if not hit.rows:
        lines = _model_markdown(hit.model, locate)
    elif len(hit.rows) == 1:
        lines = _layer_markdown(hit.model, hit.rows[0])
    else:
        lines = _layers_markdown(hit.model, hit.rows)
    return "\n".join(lines) + "\n"
