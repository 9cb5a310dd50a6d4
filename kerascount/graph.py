"""``kerascount graph``: each model's layer graph as a Mermaid flowchart or as Graphviz DOT text.

Made from the analysis results alone (the rows and ``ModelResult.edges``): a node per row with its
name, type, output shape and params; an edge per connection (a functional model's graph, a
Sequential's order, the calls a subclassed model's ``call`` makes). The layers with the most
params (up to :data:`HEAVY`) are marked ``heavy``, with their share of the model's params.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .numbers import count
from .report.shapes import shape_text

#: How many layers are marked heavy: those with the most params (exact counts above 0)...
HEAVY = 3
#: ...that hold at least this share (percent) of the model's params, when the total is exact.
HEAVY_SHARE = 10
FORMATS = ("mermaid", "dot", "markdown")
_HEAVY_STYLE = "fill:#ffe0e0,stroke:#c00000,stroke-width:2px"


def edges(m: Any) -> Tuple[Tuple[int, int], ...]:
    """The model's connections as (producer row, consumer row); a Sequential's order when not recorded."""
    if m.edges is not None:
        return m.edges
    if m.model.kind == "sequential":
        return tuple((i, i + 1) for i in range(len(m.rows) - 1))
    return ()


def heavy(m: Any) -> Dict[int, Optional[int]]:
    """Row index → percent of the model's params (None: total unknown), for the :data:`HEAVY` rows with
    the most params that hold at least :data:`HEAVY_SHARE` percent of them."""
    exact = [(r.params, i) for i, r in enumerate(m.rows) if isinstance(r.params, int) and r.params > 0]
    exact.sort(key=lambda p: (-p[0], p[1]))
    total = m.total if isinstance(m.total, int) and m.total > 0 else None
    if total is None:
        return {i: None for _, i in exact[:HEAVY]}
    return {i: round(100 * p / total) for p, i in exact[:HEAVY] if 100 * p >= HEAVY_SHARE * total}


def _lines(m: Any, i: int, marked: Dict[int, Optional[int]]) -> List[str]:
    r = m.rows[i]
    share = marked.get(i)
    params = f"params: {count(r.params)}" + (f" ({share}%)" if share is not None else "")
    return [r.layer.name, r.layer.type, shape_text(r.output_shape), params]


def _title(report: Any, m: Any) -> str:
    from .report.text import where

    return f"{m.model.name or m.model.kind} ({m.model.kind}) at {where(report, m.model.span.line)}"


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for the characters Mermaid reads."""
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def mermaid(report: Any, m: Any) -> str:
    """One model as a Mermaid flowchart (top to bottom), ids ``L0``, ``L1``… in row order."""
    marked = heavy(m)
    out = ["flowchart TD", f"    %% {_title(report, m)}"]
    for i in range(len(m.rows)):
        label = "<br/>".join(_mermaid_text(t) for t in _lines(m, i, marked))
        out.append(f'    L{i}["{label}"]')
    out.extend(f"    L{a} --> L{b}" for a, b in edges(m))
    if marked:
        out.append(f"    classDef heavy {_HEAVY_STYLE}")
        out.append(f"    class {','.join(f'L{i}' for i in sorted(marked))} heavy")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot(report: Any, m: Any) -> str:
    """One model as a Graphviz ``digraph``, nodes ``L0``, ``L1``… in row order."""
    marked = heavy(m)
    out = [f'digraph "{_dot_text(m.model.name or m.model.kind)}" {{',
           f'    label="{_dot_text(_title(report, m))}";', "    labelloc=t;", "    rankdir=TB;",
           '    node [shape=box, fontname="monospace"];']
    for i in range(len(m.rows)):
        label = "\\n".join(_dot_text(t) for t in _lines(m, i, marked))
        style = ', style=filled, fillcolor="#ffe0e0", color="#c00000", penwidth=2' if i in marked else ""
        out.append(f'    L{i} [label="{label}"{style}];')
    out.extend(f"    L{a} -> L{b};" for a, b in edges(m))
    out.append("}")
    return "\n".join(out) + "\n"


def markdown(reports: Sequence[Any]) -> str:
    """``summary --format markdown --graph``: each model's table, then its Mermaid flowchart."""
    from .report import markdown as md

    parts = []
    for report in reports:
        for m in report.models:
            table = md.render([replace(report, models=(m,), diagnostics=())]).rstrip("\n")
            parts.append(f"{table}\n\n```mermaid\n{mermaid(report, m)}```\n")
    return "\n".join(parts) if parts else md.render(())


def render(reports: Sequence[Any], fmt: str, only: Optional[str] = None) -> str:
    """Every model (or those named ``only``) in ``fmt``: mermaid diagrams one after another, DOT
    digraphs one after another (``dot`` draws each), or markdown with headings and fenced diagrams."""
    from .report.text import where

    chosen = [(r, m) for r in reports for m in r.models if only is None or m.model.name == only]
    if fmt == "markdown":
        blocks = [f"### `{m.model.name or m.model.kind}` ({m.model.kind}) — `{where(r, m.model.span.line)}`\n\n"
                  f"```mermaid\n{mermaid(r, m)}```\n" for r, m in chosen]
    else:
        blocks = [(dot if fmt == "dot" else mermaid)(r, m) for r, m in chosen]
    return "\n".join(blocks)


def run(args: Any) -> int:
    """``kerascount graph``: exit 0, 1 when no model was found, 2 for bad paths or settings."""
    import sys

    from .api import analyze_paths
    from .config import ConfigError, load

    paths = args.paths or ["."]
    try:
        cfg = load(paths[0], args.config)
    except ConfigError as exc:
        print(f"kerascount: error: {exc}", file=sys.stderr)
        return 2
    # No cache: cached results do not keep the layer graph.
    reports, problems = analyze_paths(paths, cfg, jobs=args.jobs)
    for problem in problems:
        print(f"kerascount: error: {problem}", file=sys.stderr)
    for r in reports:
        if r.internal_error:
            print(f"kerascount: internal error in {r.path}: {r.internal_error} (please report it)", file=sys.stderr)
    out = render(reports, args.format, args.model)
    from .cli import write_output

    write_output(args.output_file, out)
    if problems or any(r.internal_error for r in reports):
        return 2
    if not out:
        print("kerascount: no Keras models found" + (f" named {args.model!r}" if args.model else ""), file=sys.stderr)
        return 1
    return 0
