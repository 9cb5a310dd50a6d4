"""The pipeline, one way: read → parse/extract → infer → check. For the CLI and other tools.

>>> from kerascount.api import analyze_source
>>> report = analyze_source("import keras\\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\\n")
>>> report.models[0].total
10
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, FrozenSet, List, Optional, Sequence, Tuple, Type

from . import project
from .config import Config
from .files import Source, discover, may_define_models, read
from .notebook import CellMap, code_of, syntax_error_line

if TYPE_CHECKING:  # the IR is imported when a file is analysed: start-up stays short
    from .ir import Diagnostic, FileIR, ModelResult, Span
    from .cache import Cache
    from .rules import Rule, RuleContext


@dataclass(unsafe_hash=True, repr=False)
class FileReport:
    """What the analysis of one file reports: its models and diagnostics."""

    def __repr__(self) -> str:  # short, by hand (a generated one costs start-up)
        return (f"FileReport({self.path!r}, models={list(self.models)!r}, diagnostics={len(self.diagnostics)}"
                + (f", internal_error={self.internal_error!r})" if self.internal_error else ")"))

    path: str
    models: Tuple[ModelResult, ...]
    diagnostics: Tuple[Diagnostic, ...]
    #: An internal error while analysing this file (a bug in kerascount), if any.
    internal_error: Optional[str] = None
    #: For a notebook: maps lines of the analysed text to (cell, line in cell).
    cells: Optional[CellMap] = None
    #: Real paths of the project modules the analysis read for imports: a cached report is used only while
    #: they are unchanged (cache.py).
    imports: Tuple[str, ...] = ()

    def locate(self, line: int) -> Tuple[Optional[int], int]:
        """(cell, line) of a line: cell is None outside notebooks."""
        return self.cells.locate(line) if self.cells is not None else (None, line)


def analyze_source(text: str, path: str = "<string>", config: Optional[Config] = None) -> FileReport:
    """Analyse one file's text. Never raises for bad input; see ``internal_error``.

    The JSON text of a Jupyter notebook (a ``.ipynb`` file's content) is read as its code cells,
    as ``kerascount lint`` reads the file: the report's ``cells`` maps lines to (cell, line).
    """
    cfg = config or Config()
    if text.lstrip("\ufeff \t\r\n")[:1] == "{" and '"cells"' in text:
        try:
            code, cells = code_of(text)
        except ValueError:
            pass  # not a notebook: Python that starts with a dict
        else:
            return with_cells(analyze_cells(code, path, cells, cfg), cells)
    if not may_define_models(text) and not project.reaches_keras(path, text)[0]:
        return FileReport(path, (), ())
    try:
        from .extract import extract
        from .infer import infer_file

        ir = extract(text, path)
        # A custom layer is analysed as a subclassed model, but it is a row of its users, not a model.
        models = tuple(m for m in infer_file(ir) if not m.model.custom_layer)
        ways = None
        if (ir.conditions or ir.picks) and any(m.status == "unknown" for m in models):
            from .alternatives import with_alternatives

            models, ways = with_alternatives(ir, models, text, infer_file)
        failures: List[str] = []
        diagnostics = check(ir, models, cfg, text, failures)
        if ways is not None:  # and what the rules find on both ways of an undecided condition
            diagnostics = ways.common_findings(diagnostics, lambda i, m: check(i, m, cfg, text))
        return FileReport(path, models, diagnostics, "; ".join(failures) or None, imports=ir.imports)
    except RecursionError:
        from .ir import FileIR, Note, Span

        ir = FileIR(path, (), (), (), (Note("KC902", "the file is nested too deeply to analyse", Span(1, 1, 1, 1)),))
        return FileReport(path, (), check(ir, (), cfg, text))
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other files
        return FileReport(path, (), (), internal_error=f"{type(exc).__name__}: {exc}")


#: Cells a notebook may have that do not parse (each analysis of the others is a run of the whole file).
MAX_SKIPPED_CELLS = 8


def analyze_cells(text: str, path: str, cells: CellMap, config: Optional[Config] = None) -> FileReport:
    """``analyze_source`` of a notebook's code cells joined (``text``, lines mapped by ``cells``). A cell that does not
    parse (Python 2's `print x`, a half-typed line in the editor) is skipped with its KC000 error, and the others are
    analysed, as Jupyter runs each cell alone (the text is parsed again only when a cell fails)."""
    report = analyze_source(text, path, config)
    # (with KC000 not selected, its error is not in the report: a notebook that gave no model is parsed again)
    reported = "KC000" in (config or Config()).enabled_codes(path)
    skipped: List[Diagnostic] = []
    for _ in range(MAX_SKIPPED_CELLS):
        error = next((d for d in report.diagnostics if d.code == "KC000" and d.message.startswith("syntax error")),
                     None)
        where = error.span.line if error is not None else None if reported or report.models else \
            syntax_error_line(text)
        cell = cells.locate(where)[0] if where is not None else None
        if cell is None:
            break
        if error is not None:
            skipped.append(replace(error, message=f"{error.message} (the cell is skipped: the other cells are "
                                                  "analysed)"))
        text = cells.without(text, cell)
        report = analyze_source(text, path, config)
    if not skipped:
        return report
    kept = tuple(d for d in report.diagnostics if not (d.code == "KC000" and d.message.startswith("syntax error")))
    return replace(report, diagnostics=tuple(sorted((*skipped, *kept), key=lambda d: (d.span.line, d.span.column))))


#: Python's syntax messages that name another line (``expected an indented block after function definition on line
#: 158``): a line of the notebook's joined text, which its reader knows by cell.
_ON_LINE = re.compile(r"\bon line (\d+)\b")


def with_cells(report: FileReport, cells: CellMap) -> FileReport:
    """A notebook's report: its cell map, and the lines its syntax errors name given as the notebook's (the line of
    the cell, and the cell when it is another than the finding's)."""
    def in_cells(d: "Diagnostic") -> "Diagnostic":
        here, _ = cells.locate(d.span.line)

        def line(found: "re.Match[str]") -> str:
            cell, row = cells.locate(int(found.group(1)))
            if cell is None or row == 0:  # row 0: the `if True:` the joined text adds before an indented cell
                return found.group(0)
            return f"on line {row}" if cell == here else f"on line {row} of cell {cell}"

        return replace(d, message=_ON_LINE.sub(line, d.message))

    diagnostics = tuple(in_cells(d) if d.code == "KC000" else d for d in report.diagnostics)
    return replace(report, cells=cells, diagnostics=diagnostics)


def check(ir: FileIR, models: Tuple[ModelResult, ...], cfg: Config, text: str,
          failures: Optional[List[str]] = None) -> Tuple[Diagnostic, ...]:
    """The enabled rules' findings, after noqa. A rule that fails is noted in ``failures``; the others run.

    Rules marked ``AFTER_OTHERS`` (unused noqa) run last and read the others' findings.
    """
    from . import noqa, rules

    enabled = cfg.enabled_codes(ir.path)
    suppress = noqa.parse(text)
    # The rules judge the code written: a keras.applications model is one row for them, not Keras's own layers.
    models = tuple(m.collapsed or m for m in models)
    ctx = rules.RuleContext(ir.path, ir, models, cfg.options, suppressions=suppress, source=text,
                            tree=ir.tree)
    first = [r for r in rules.ALL if r.CODE in enabled and not r.AFTER_OTHERS]
    found, ran = _run(first, ctx, failures)
    ctx = replace(ctx, findings=tuple(found), ran=frozenset(ran))
    found += _run([r for r in rules.ALL if r.CODE in enabled and r.AFTER_OTHERS], ctx, failures)[0]
    kept = [d for d in _once_per_place(found) if not suppress.suppresses(d)]
    if cfg.severity:
        overrides = dict(cfg.severity)
        kept = [replace(d, severity=overrides[d.code]) if d.code in overrides else d for d in kept]
    kept.sort(key=lambda d: (d.span.line, d.span.column, d.code))
    return tuple(kept)


#: Keras's count at the end of an automatic name (``conv2d_3``), and a word with a digit (``32``, ``block2_conv``).
_NAME_COUNT = re.compile(r"_\d+\b")
_ANY_NUMBER = re.compile(r"\w*\d\w*")


def _once_per_place(found: List[Diagnostic]) -> List[Diagnostic]:
    """One finding of a rule per place and kind, as ruff gives: a line that runs many times (a block builder called
    in a loop, 100 ``Conv2D`` made by one line) is one thing to fix there, not 100 findings. Findings of one rule at
    one place whose messages differ only in names and numbers (``conv2d_3 (32 params)``, ``block2_conv``) are
    one; the first is kept. Two different findings of a rule there (a renamed keyword and a kernel tuple) stay."""
    seen = set()
    out = []
    for d in found:
        key = (d.code, d.span, _ANY_NUMBER.sub("#", _NAME_COUNT.sub("", d.message)))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _run(rule_classes: List[Type[Rule]], ctx: RuleContext,
         failures: Optional[List[str]]) -> Tuple[List[Diagnostic], List[str]]:
    """The rules' findings, and the codes of the rules that ran to the end."""
    found: List[Diagnostic] = []
    ran: List[str] = []
    from .rules.base import written_elsewhere

    elsewhere: Optional[FrozenSet[Span]] = None
    for rule_cls in rule_classes:
        try:
            made = list(rule_cls().check(ctx))
            if rule_cls.LAYER_ADVICE and made:
                if elsewhere is None:
                    elsewhere = written_elsewhere(ctx)
                if elsewhere:
                    made = [d for d in made if d.severity == "error" or d.span not in elsewhere]
            found.extend(made)
            ran.append(rule_cls.CODE)
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not hide the others' findings
            if failures is not None:
                failures.append(f"rule {rule_cls.CODE} failed: {type(exc).__name__}: {exc}")
    return found, ran


def analyze_file(source: Source, config: Optional[Config] = None) -> FileReport:
    cfg = config or Config()
    if source.text is None:
        from .ir import Diagnostic, Span

        diag = Diagnostic("KC001", "error", f"{source.error}", Span(1, 1, 1, 1))
        enabled = "KC001" in cfg.enabled_codes(source.path)
        return FileReport(source.path, (), (diag,) if enabled else ())
    # (as analyze_paths does, for callers that analyse files one by one: the language server, a benchmark)
    thresholds = gc.get_threshold()
    if thresholds[0] < GC_THRESHOLD:
        gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        report = analyze_source(source.text, source.path, cfg) if source.cells is None else \
            analyze_cells(source.text, source.path, source.cells, cfg)
    finally:
        if thresholds[0] < GC_THRESHOLD:
            gc.set_threshold(*thresholds)
    if source.cells is not None:
        report = with_cells(report, source.cells)
    return report


#: Below this many files that mention Keras, one process is faster than starting workers.
PARALLEL_THRESHOLD = 8
#: Allocations between two collections of the youngest generation while files are analysed. Measured over the
#: corpus in one process (objects the collector walked; its CPU, noisy): 10,000 walked 14.5M objects in 588
#: collections, four of them full (7.3 s); 100,000 walks 8.1M in 56, none full (5.4 s), and the peak memory
#: stays (456 MB against 450 MB): more objects die by reference counting before any collection sees them.
GC_THRESHOLD = 100_000


def analyze_paths(paths: Sequence[str], config: Optional[Config] = None,
                  jobs: Optional[int] = None, cache: "Optional[Cache]" = None) -> Tuple[List[FileReport], List[str]]:
    """Analyse files and directories; returns reports in path order and problems with the paths.

    Files are read and prefiltered here; those that mention Keras are looked up in ``cache``
    and the rest are analysed in ``jobs`` worker processes (default: one per CPU) when there
    are enough of them. With a cache, a file whose size and modification time are those of the
    last run is not even read (see :meth:`Cache.unchanged`).
    """
    cfg = config or Config()
    project.new_run(paths)  # the folders given are project roots of the files with no other (project.py)
    files, problems = discover(paths, cfg)
    stamps = cache.stamps(files) if cache is not None else {}
    reports: List[Optional[FileReport]] = [None] * len(files)
    sources: List[Optional[Source]] = [None] * len(files)
    todo = []
    keys = {}
    for i, path in enumerate(files):
        if cache is not None:
            hit = cache.unchanged(path, stamps.get(path))
            if hit is not None:
                reports[i] = hit
                continue
        source = sources[i] = read(path)
        if source.text is not None and not may_define_models(source.text) and \
                not (source.text and project.reaches_keras(source.path, source.text)[0]):
            reports[i] = FileReport(source.path, (), ())
            if cache is not None and not source.imports_project:
                cache.remember(path, stamps.get(path), "")
            continue
        if cache is not None and source.text is not None:
            keys[i] = cache.key(source.path, source.text)
            hit = cache.get(keys[i])
            if hit is not None:
                reports[i] = hit
                cache.remember(path, stamps.get(path), keys[i])
                continue
        todo.append(i)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    # The analysis makes many small objects that live briefly: collecting the youngest generation after
    # every 700 allocations (Python's default) cost about a tenth of the run on the corpus. The workers
    # inherit the setting.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
            results = _parallel([sources[i] for i in todo], cfg, workers)  # type: ignore[misc]
        else:
            results = [analyze_file(sources[i], cfg) for i in todo]  # type: ignore[arg-type]
    finally:
        gc.set_threshold(*thresholds)
    for i, report in zip(todo, results):
        reports[i] = report
        if i in keys and report.internal_error is None and cache.put(keys[i], report):  # type: ignore[union-attr]
            cache.remember(files[i], stamps.get(files[i]), keys[i])  # type: ignore[union-attr]
    if cache is not None:
        cache.save()
    return [r for r in reports if r is not None], problems


def _parallel(sources: List[Source], cfg: Config, workers: int) -> List[FileReport]:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import the whole pipeline once, before forking: the workers share it instead of each importing it.
    from . import extract, infer, rules  # noqa: F401

    del extract, infer, rules
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Small chunks keep both workers busy to the end; results come back in order anyway.
    chunk = max(1, len(sources) // (workers * 16))
    # Frozen while the workers fork, so that their garbage collections do not walk (and copy) the
    # objects they inherit; unfrozen afterwards, so that a host process gets its memory back.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_analyze_one, sources, [cfg] * len(sources), chunksize=chunk))
    except (OSError, RuntimeError):  # no processes available here: do it in this one
        return [analyze_file(s, cfg) for s in sources]
    finally:
        gc.unfreeze()


def _analyze_one(source: Source, cfg: Config) -> FileReport:
    return analyze_file(source, cfg)
