"""The pipeline, one way: read → parse/extract → infer → check. For the CLI and other tools.

>>> from kerascount.api import analyze_source
>>> report = analyze_source("import keras\\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\\n")
>>> report.models[0].total
10
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

from . import rules
from .config import Config
from .ir import Diagnostic, FileIR, ModelResult, Note, Span
from .files import Source, discover, may_define_models, read
from .notebook import CellMap


@dataclass(frozen=True)
class FileReport:
    path: str
    models: Tuple[ModelResult, ...]
    diagnostics: Tuple[Diagnostic, ...]
    #: An internal error while analysing this file (a bug in kerascount), if any.
    internal_error: Optional[str] = None
    #: For a notebook: maps lines of the analysed text to (cell, line in cell).
    cells: Optional[CellMap] = None

    def locate(self, line: int) -> Tuple[Optional[int], int]:
        """(cell, line) of a line: cell is None outside notebooks."""
        return self.cells.locate(line) if self.cells is not None else (None, line)


def analyze_source(text: str, path: str = "<string>", config: Optional[Config] = None) -> FileReport:
    """Analyse one file's text. Never raises for bad input; see ``internal_error``."""
    cfg = config or Config()
    if not may_define_models(text):
        return FileReport(path, (), ())
    try:
        from .extract import extract
        from .infer import infer_file

        ir = extract(text, path)
        models = infer_file(ir)
        diagnostics = check(ir, models, cfg, text)
        return FileReport(path, models, diagnostics)
    except RecursionError:
        ir = FileIR(path, (), (), (), (Note("KC902", "the file is nested too deeply to analyse", Span(1, 1, 1, 1)),))
        return FileReport(path, (), check(ir, (), cfg, text))
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other files
        return FileReport(path, (), (), internal_error=f"{type(exc).__name__}: {exc}")


def check(ir: FileIR, models: Tuple[ModelResult, ...], cfg: Config, text: str) -> Tuple[Diagnostic, ...]:
    from . import noqa

    enabled = cfg.enabled_codes(ir.path)
    ctx = rules.RuleContext(ir.path, ir, models, cfg.options)
    found: List[Diagnostic] = []
    for rule_cls in rules.ALL:
        if rule_cls.CODE in enabled:
            found.extend(rule_cls().check(ctx))
    suppress = noqa.parse(text)
    kept = [d for d in found if not suppress.suppresses(d)]
    kept.sort(key=lambda d: (d.span.line, d.span.column, d.code))
    return tuple(kept)


def analyze_file(source: Source, config: Optional[Config] = None) -> FileReport:
    cfg = config or Config()
    if source.text is None:
        diag = Diagnostic("KC001", "error", f"{source.error}", Span(1, 1, 1, 1))
        enabled = "KC001" in cfg.enabled_codes(source.path)
        return FileReport(source.path, (), (diag,) if enabled else ())
    report = analyze_source(source.text, source.path, cfg)
    if source.cells is not None:
        report = replace(report, cells=source.cells)
    return report


def analyze_paths(paths: Sequence[str], config: Optional[Config] = None) -> Tuple[List[FileReport], List[str]]:
    """Analyse files and directories; returns reports in path order and problems with the paths."""
    cfg = config or Config()
    files, problems = discover(paths, cfg)
    return [analyze_file(read(f), cfg) for f in files], problems
