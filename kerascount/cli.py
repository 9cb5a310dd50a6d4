"""Command line: ``kerascount lint|summary|graph|diff|rules|rule|server``.

Exit codes: 0 clean; 1 findings (errors or warnings; info notes do not fail a run);
2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from . import __version__

if TYPE_CHECKING:
    from .api import FileReport
    from .config import Config
    from .fix import FileFix

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "ruff-json", "sarif", "github", "markdown")
#: A run that takes longer than this (seconds) shows a progress line on a terminal's stderr.
PROGRESS_AFTER = float(os.environ.get("KERASCOUNT_PROGRESS_AFTER", "2"))


class _Parser(argparse.ArgumentParser):
    _formatting = False

    def error(self, message: str) -> None:  # exit 2 with a one-line message, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"kerascount: error: {message}\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # add_argument() makes a formatter only to check a metavar against nargs: a fixed width spares it the
        # terminal's (argparse imports shutil for it, a sizeable part of a one-file run's start-up).
        if self._formatting:
            return super()._get_formatter()
        return self.formatter_class(prog=self.prog, width=80)

    def format_usage(self) -> str:
        return self._formatted(super().format_usage)

    def format_help(self) -> str:
        return self._formatted(super().format_help)

    def _formatted(self, fmt: Any) -> str:
        self._formatting = True
        try:
            return fmt()
        finally:
            self._formatting = False


def _jobs(value: str) -> int:
    """``--jobs N``: a number of processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of processes: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value} processes: give at least 1 (1: no worker processes)")
    return jobs


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kerascount", description="Keras model shapes, parameter counts and lint, from source alone.")
    p.add_argument("--version", action="version", version=f"kerascount {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    flag = argparse.BooleanOptionalAction

    def common(sp: argparse.ArgumentParser, lint: bool) -> None:
        sp.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or directories (default: .); - reads the source from stdin")
        sp.add_argument("--format", "--output-format", choices=[f for f in FORMATS if lint or f != "ruff-json"],
                        default="text",
                        help="text (default), json, " + ("ruff-json (ruff's JSON fields), " if lint else "")
                             + "sarif, github (Actions annotations), markdown (tables for a pull request)")
        sp.add_argument("--config", metavar="FILE", help="pyproject.toml or kerascount TOML file to use")
        sp.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable (only these)")
        sp.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to enable in addition")
        sp.add_argument("--ignore", metavar="CODES", help="codes or prefixes to disable")
        sp.add_argument("--extend-exclude", metavar="PATTERNS",
                        help="comma-separated glob patterns to exclude in addition to `exclude`")
        sp.add_argument("--force-exclude", action=flag, default=None,
                        help="exclude files named on the command line too (as pre-commit names them)")
        sp.add_argument("--respect-gitignore", action=flag, default=None,
                        help="skip the files .gitignore ignores (default: yes)")
        sp.add_argument("--stdin-filename", metavar="NAME",
                        help="the name of the file read from stdin: for messages, settings, per-file-ignores "
                             "and --force-exclude (.ipynb: read a notebook)")
        sp.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
        sp.add_argument("--quiet", "-q", action="count", default=0,
                        help="print the findings only (-qq: nothing; the exit code tells)")
        sp.add_argument("--silent", action="store_const", const=2, dest="quiet_level",
                        help="print nothing; the exit code tells (as -qq)")
        sp.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text output (auto: when stdout is a terminal, unless NO_COLOR is set "
                             "or FORCE_COLOR asks for it)")
        sp.add_argument("--show-settings", action="store_true",
                        help="print the settings that apply to the first PATH and exit")
        sp.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="worker processes for many files (default: one per CPU; 1: no workers)")
        sp.add_argument("--no-cache", action="store_true",
                        help="do not read or write .kerascount_cache/ (results per file content and settings)")

    lint = sub.add_parser("lint", help="report problems in Keras model code")
    common(lint, True)
    lint.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    lint.add_argument("--fix", action="store_true", help="apply the fixes and write the files; report what remains")
    lint.add_argument("--diff", action="store_true",
                      help="print the fixes as a unified diff, write nothing (exit 1 if there are any)")
    lint.add_argument("--unsafe-fixes", action=flag, default=None,
                      help="also offer and apply the fixes that change the model on purpose")
    lint.add_argument("--statistics", action="store_true", help="count the findings per rule code")
    lint.add_argument("--add-noqa", action="store_true",
                      help="add `# noqa: CODE` comments to the lines with findings, so that they pass")
    summary = sub.add_parser("summary", help="print each model's layers, output shapes and parameter counts")
    common(summary, False)
    summary.add_argument("--graph", action="store_true",
                         help="with --format markdown: each model's table followed by its Mermaid flowchart")
    summary.add_argument("--expand-nested", action="store_true",
                         help="list the layers of nested models under their row, as Keras's "
                              "summary(expand_nested=True) does (text, JSON and markdown)")
    _graph_and_diff(sub)
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text",
                       help="text (default): a line per rule; json: each rule with its documentation")
    rule = sub.add_parser("rule", help="explain one rule")
    rule.add_argument("code", help="a rule code, e.g. KC201 (`kerascount rules` lists them)")
    server = sub.add_parser("server", help="run the language server for editors (needs the lsp extra)")
    server.add_argument("--stdio", action="store_true", help="talk LSP on stdin and stdout (the default and only way)")
    return p


def _graph_and_diff(sub: Any) -> None:
    """The ``graph`` and ``diff`` subcommands (kerascount/graph.py, kerascount/diff.py)."""
    graph = sub.add_parser("graph", help="each model's layer graph as a Mermaid flowchart or Graphviz DOT")
    graph.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    graph.add_argument("--format", choices=("mermaid", "dot", "markdown"), default="mermaid",
                       help="mermaid (default), dot (Graphviz), markdown (headings and ```mermaid blocks)")
    graph.add_argument("--model", metavar="NAME", help="only the models of this name (the variable)")
    graph.add_argument("--config", metavar="FILE", help="pyproject.toml or kerascount TOML file to use")
    graph.add_argument("--output-file", "-o", metavar="FILE", help="write to FILE instead of stdout")
    graph.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: one per CPU)")
    diff = sub.add_parser("diff", help="compare the models of two git revisions or two paths (a CI budget gate)")
    diff.add_argument("base", nargs="?", default=None, metavar="BASE",
                      help="a git revision or a path (default: HEAD)")
    diff.add_argument("head", nargs="?", default=None, metavar="HEAD",
                      help="a git revision or a path (default: the working tree)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default): the models that changed; markdown: a table for a pull request; "
                           "json: every model")
    diff.add_argument("--config", metavar="FILE", help="pyproject.toml or kerascount TOML file to use")
    diff.add_argument("--output-file", "-o", metavar="FILE", help="write to FILE instead of stdout")
    diff.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: one per CPU)")


class OutputError(Exception):
    """``--output-file`` cannot be written: an error with exit code 2, not an internal error."""


def _unwritable(path: str) -> Optional[str]:
    """Why ``--output-file`` PATH cannot be written, checked before any work is done; None if it seems fine."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return "it is a directory"
    if not os.path.isdir(folder):
        return f"no such directory: {os.path.dirname(path) or folder}"
    if not os.access(path if os.path.exists(path) else folder, os.W_OK):
        return "permission denied"
    return None


def write_output(path: Optional[str], text: str) -> None:
    """The report, to ``path`` (``--output-file``) or, when it is None, to stdout.

    A file name that is not UTF-8 (bytes Python holds as surrogates) is written as its bytes to a
    file. A stdout that cannot encode some characters (a name's bytes, ``→`` on a cp1252 or ASCII
    console) gets a replacement character in their place."""
    if path is None:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # nothing was written: the text is encoded before it is written
            encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
        return
    try:
        with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


#: Allocations between two collections of the youngest generation during a run (Python's default is 700):
#: start-up imports a few hundred thousand objects that all live to the end, and collecting them every 700
#: allocations only walks them again (the analysis sets the same for itself: api.GC_THRESHOLD).
GC_THRESHOLD = 100_000


def main(argv: Optional[Sequence[str]] = None) -> int:
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        code = _main(argv)
    finally:
        gc.set_threshold(*thresholds)
    if argv is None:
        # The command line's run: the process ends next, and Python's collections at exit would walk every
        # object the run made (28M instructions of a one-file lint, 6%). Frozen objects are left to the
        # exit's teardown; every file kerascount writes is closed by then (``with``).
        gc.freeze()
    return code


def _main(argv: Optional[Sequence[str]]) -> int:
    args = _parser().parse_args(argv)
    output = getattr(args, "output_file", None)
    problem = None if output is None else _unwritable(output)
    if problem is not None:
        return _error(f"cannot write the report to {output}: {problem}")
    try:
        return _run(args)
    except OutputError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - never a traceback for users
        print(f"kerascount: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _server() -> int:
    try:
        from .lsp.server import run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        print("kerascount server needs the lsp extra: pip install 'kerascount[lsp]'", file=sys.stderr)
        return EXIT_ERROR
    run()
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    if args.command == "server":
        return _server()
    if args.command in ("graph", "diff"):
        import importlib

        return importlib.import_module(f"kerascount.{args.command}").run(args)

    from .report import json_, text

    if args.command in ("rules", "rule"):
        from . import rules as rule_registry
    if args.command == "rules":
        out = json_.rules(rule_registry.ALL) if args.format == "json" else text.rules_table(rule_registry.ALL)
        write_output(None, out)
        return EXIT_OK
    if args.command == "rule":
        rule = rule_registry.BY_CODE.get(args.code.upper())
        if rule is None:
            print(f"kerascount: error: unknown rule {args.code!r} (see `kerascount rules`)", file=sys.stderr)
            return EXIT_ERROR
        write_output(None, text.rule_doc(rule))
        return EXIT_OK
    return _check(args)


class _Run:
    """What a lint or summary run prints, and where."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.quiet = max(args.quiet, args.quiet_level or 0)
        self.output_file = args.output_file

    def warn(self, message: str) -> None:
        """A warning on stderr; -q and --silent hide them (errors are always printed)."""
        if not self.quiet:
            print(f"kerascount: warning: {message}", file=sys.stderr)

    def write(self, out: str) -> None:
        """The report, to stdout or --output-file; --silent writes nothing."""
        if self.quiet < 2:
            write_output(self.output_file, out)


def _error(message: str) -> int:
    print(f"kerascount: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _color(choice: str, to_file: bool) -> bool:
    """--color auto: on for a terminal, unless NO_COLOR is set (or TERM=dumb); FORCE_COLOR turns it on.
    Never in --output-file unless --color always."""
    if choice != "auto":
        return choice == "always"
    if to_file:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _check(args: argparse.Namespace) -> int:
    """``lint`` and ``summary``."""
    from .api import FileReport, analyze_file, analyze_paths
    from .config import ConfigError, describe, load, override
    from .files import Skipper, decode, discover

    run = _Run(args)
    lint = args.command == "lint"
    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    stdin = paths == ["-"]
    if "-" in paths and not stdin:
        return _error("- (stdin) cannot be given with other paths")
    if args.stdin_filename and not stdin:
        return _error(f"--stdin-filename names the source read from stdin: give no PATH, or -, not {paths[0]}")
    if lint:
        chosen = [flag for flag, on in (("--diff", args.diff), ("--add-noqa", args.add_noqa),
                                        ("--statistics", args.statistics)) if on]
        if len(chosen) > 1:
            return _error(f"{' and '.join(chosen)} cannot be used together (each chooses what lint does)")
    if not lint and args.graph and args.format != "markdown":
        return _error("--graph is for --format markdown (use `kerascount graph` for the other forms)")
    if not lint and args.graph:
        args.no_cache = True  # cached results do not keep the layer graph
    if lint and args.statistics and args.format not in ("text", "json"):
        return _error("--statistics prints text or json")
    if lint and stdin and (args.fix or args.add_noqa):
        return _error("--fix and --add-noqa write files: they cannot be used on stdin (use --diff)")
    try:
        start = (os.path.dirname(args.stdin_filename) or ".") if stdin and args.stdin_filename else paths[0]
        cfg = load(start, args.config)
        cfg = override(cfg, args.select, args.ignore, args.extend_select, extend_exclude=args.extend_exclude,
                       force_exclude=args.force_exclude, respect_gitignore=args.respect_gitignore,
                       unsafe_fixes=getattr(args, "unsafe_fixes", None))
    except ConfigError as exc:
        return _error(str(exc))
    if args.show_settings:
        write_output(args.output_file, describe(cfg, args.stdin_filename if stdin else paths[0]))
        return EXIT_OK
    problems: List[str] = []
    stdin_text: Optional[str] = None  # the Python text read from stdin (for fixes)
    stdin_raw: Optional[str] = None  # the text as read (a notebook's JSON)
    if stdin:
        name = args.stdin_filename or "-"
        data = sys.stdin.buffer.read()
        if args.stdin_filename and cfg.force_exclude and Skipper(cfg).path(name):
            reports: List[FileReport] = []
        else:
            source = decode(name, data)
            stdin_text = source.text
            stdin_raw = data.decode("utf-8-sig", errors="replace")
            reports = [analyze_file(source, cfg)]
    else:
        cache = None
        if not args.no_cache:
            from .cache import Cache

            cache = Cache(cfg.root or os.getcwd(), cfg)
        progress = _Progress(enabled=not run.quiet and sys.stderr.isatty())
        if progress.enabled:  # the files are counted for the progress line, then named one by one
            paths, problems = discover(paths, cfg)
            progress.count = len(paths)
        with progress:
            reports, more = analyze_paths(paths, cfg, jobs=args.jobs, cache=cache)
        problems += more
        if not reports and not problems and not cfg.force_exclude:
            run.warn("no Python files found under the given paths (kerascount reads .py, .pyi and .ipynb files)")
        if cache is not None and cache.disabled:  # known once the cache was looked at
            run.warn(f"cache not used: {cache.disabled}")
    for problem in problems:
        print(f"kerascount: error: {problem}", file=sys.stderr)
    internal = [r for r in reports if r.internal_error]
    for r in internal:
        print(f"kerascount: internal error in {r.path}: {r.internal_error} (please report it)", file=sys.stderr)
    failed = bool(problems or internal)
    fixed: Optional[int] = None
    if lint and (args.fix or args.diff) and not stdin:
        reports, fixes = _fix(args, cfg, reports, problems, run)
        if args.diff:
            return _diff(fixes, bool(problems or internal), run)
        fixed = sum(f.fixed.applied for f in fixes)
        failed = bool(problems or internal)  # a file that could not be fixed (read-only) is an error too
    elif lint and args.diff:
        return _stdin_diff(stdin_text, reports, cfg, run)
    if lint and args.add_noqa:
        return _add_noqa(reports, run) if not failed else EXIT_ERROR

    _render(args, run, cfg, reports, problems, fixed, stdin_text, stdin_raw)
    if failed:
        return EXIT_ERROR
    if lint and not args.exit_zero:
        if any(d.severity in ("error", "warning") for r in reports for d in r.diagnostics):
            return EXIT_FINDINGS
    return EXIT_OK


def _render(args: argparse.Namespace, run: _Run, cfg: "Config", reports: Sequence["FileReport"],
            problems: Sequence[str], fixed: Optional[int], stdin_text: Optional[str],
            stdin_raw: Optional[str]) -> None:
    """Write the report in the format asked for."""
    from . import __version__ as version
    from .report import json_, text

    lint = args.command == "lint"
    unsafe = cfg.unsafe_fixes
    color = _color(args.color, args.output_file is not None)
    quiet = run.quiet >= 1
    if lint and args.statistics:
        from . import rules as rule_registry

        rows = text.statistics_rows(reports, {r.CODE: r.NAME for r in rule_registry.ALL}, unsafe)
        if args.format == "json":
            import json

            run.write(json.dumps(rows, indent=2) + "\n")
        else:
            run.write(text.statistics(rows, reports, unsafe, color, quiet))
    elif args.format == "json":
        run.write(json_.render(reports, version, problems, expand_nested=not lint and args.expand_nested))
    elif args.format == "ruff-json":
        from .report import ruff_json

        run.write(ruff_json.render(reports, _Edits(cfg, stdin_text)))
    elif args.format == "sarif":
        from . import rules as rule_registry
        from .report import sarif

        run.write(sarif.render(reports, version, rule_registry.ALL, _notebooks(reports, stdin_raw), problems))
    elif args.format == "github":
        from .report import github

        run.write(github.render(reports, _notebooks(reports, stdin_raw), problems))
    elif args.format == "markdown":
        from .report import markdown

        if not lint and args.graph:
            from . import graph

            run.write(graph.markdown(reports))
        else:
            run.write(markdown.lint(reports, unsafe, problems) if lint else markdown.render(reports, args.expand_nested))
    elif lint:
        run.write(text.lint(reports, problems, unsafe, fixed, color, quiet))
    else:
        run.write(text.summary(reports, problems, color, quiet, expand_nested=args.expand_nested))


class _Progress:
    """``kerascount: checking N files… 5 s`` on stderr, updated in place, for runs longer than
    PROGRESS_AFTER seconds on a terminal; the line is erased when the run ends."""

    def __init__(self, enabled: bool) -> None:
        self.count = 0
        self.enabled = enabled
        self._shown = False

    def __enter__(self) -> "_Progress":
        self.enabled = self.enabled and self.count > 0
        if self.enabled:
            import threading
            import time

            self._clock = time.monotonic
            self._start = time.monotonic()
            self._done = threading.Event()
            self._thread = threading.Thread(target=self._show, daemon=True)
            self._thread.start()
        return self

    def _show(self) -> None:
        if self._done.wait(PROGRESS_AFTER):
            return
        while True:
            elapsed = self._clock() - self._start
            files = f"{self.count} file{'s' if self.count != 1 else ''}"
            sys.stderr.write(f"\rkerascount: checking {files}\u2026 {elapsed:.0f} s")
            sys.stderr.flush()
            self._shown = True
            if self._done.wait(0.5):
                return

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        self._done.set()
        self._thread.join()
        if self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _notebooks(reports: Sequence["FileReport"], stdin_text: Optional[str]) -> Dict[str, object]:
    """Positions in the .ipynb files of the notebooks with findings (for SARIF and GitHub annotations)."""
    from .files import NotebookPositions

    out: Dict[str, object] = {}
    for report in reports:
        if report.cells is None or not report.diagnostics:
            continue
        raw = stdin_text if stdin_text is not None else _read_text(report.path)
        if raw is not None:
            out[report.path] = NotebookPositions(raw)
    return out


def _read_text(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except (OSError, UnicodeError):
        return None


class _Edits:
    """A finding's fix as text edits (for ruff-json): the file with that fix alone applied, compared with the file."""

    def __init__(self, cfg: "Config", stdin_text: Optional[str]) -> None:
        self.cfg = cfg
        self.stdin_text = stdin_text
        self._texts: Dict[str, Optional[str]] = {}

    def __call__(self, report: "FileReport", d: Any) -> Optional[List[Dict[str, Any]]]:
        if report.cells is not None:
            return None  # notebooks are not fixed
        if report.path not in self._texts:
            from .files import read

            self._texts[report.path] = self.stdin_text if self.stdin_text is not None else read(report.path).text
        before = self._texts[report.path]
        if not before:
            return None
        from .fix import apply_fixes

        after, applied, _ = apply_fixes(before, [d])
        if not applied:
            return None
        return _text_edits(before, after)


def _text_edits(before: str, after: str) -> List[Dict[str, Any]]:
    """The smallest line-wise replacements that turn ``before`` into ``after``, as ruff's edits."""
    import difflib

    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
        head = len(os.path.commonprefix([a, b]))
        tail = len(os.path.commonprefix([a[head:][::-1], b[head:][::-1]]))
        start = _location(old, i1, a[:head])
        end = _location(old, i1, a[:len(a) - tail])
        edits.append({"content": b[head:len(b) - tail], "end_location": end, "location": start})
    return edits


def _location(lines: List[str], first: int, prefix: str) -> Dict[str, int]:
    """Row and column (1-based) of the point ``prefix`` past the start of line ``first`` (0-based)."""
    row = first + 1 + prefix.count("\n")
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    return {"column": column, "row": row}


def _add_noqa(reports: Sequence["FileReport"], run: _Run) -> int:
    """--add-noqa: write ``# noqa: CODE`` on the lines of the findings (not in notebooks or unreadable files)."""
    import io
    import tokenize

    from .fix import FileFix, Fixed, write
    from .noqa import add_noqa

    added = 0
    for report in reports:
        diagnostics = [d for d in report.diagnostics if d.code not in ("KC000", "KC001")]
        if not diagnostics:
            continue
        if report.cells is not None:
            run.warn(f"{report.path}: notebooks are not edited by --add-noqa")
            continue
        try:
            with open(report.path, "rb") as fh:
                data = fh.read()
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            before = data.decode(encoding)
            after, count = add_noqa(before, diagnostics)
            if count:
                write(FileFix(report.path, before, Fixed(after, count, report, ()), encoding))
        except (OSError, UnicodeError, SyntaxError) as exc:
            return _error(f"{report.path}: cannot add noqa comments: {exc}")
        added += count
    if run.quiet < 2:
        print(f"Added {added} noqa directive{'s' if added != 1 else ''}.", file=sys.stderr)
    return EXIT_OK


def _stdin_diff(text: Optional[str], reports: Sequence["FileReport"], cfg: "Config", run: _Run) -> int:
    """--diff on stdin: the fixes as a diff of the text read."""
    if text is None or not reports or reports[0].cells is not None:
        print("No fixes to apply.", file=sys.stderr)
        return EXIT_OK
    from .fix import FileFix, fix_source

    file_fix = FileFix(reports[0].path, text, fix_source(text, reports[0].path, cfg, cfg.unsafe_fixes), "utf-8")
    return _diff([file_fix], False, run)


def _fix(args: argparse.Namespace, cfg: "Config", reports: List["FileReport"],
         problems: List[str], run: _Run) -> Tuple[List["FileReport"], List["FileFix"]]:
    """Fix the files that have fixes to apply (writing them unless --diff).

    Returns the reports with those files analysed again, and what was done to each file.
    A file that cannot be read or written is added to ``problems``.
    """
    from .fix import Changed, fix_file, write

    unsafe = cfg.unsafe_fixes
    out: List["FileReport"] = []
    fixes: List["FileFix"] = []
    for report in reports:
        if not any(d.fix is not None and d.fix.applies(unsafe) for d in report.diagnostics):
            out.append(report)
            continue
        if report.path.endswith(".ipynb"):
            run.warn(f"{report.path}: notebooks are not fixed")
            out.append(report)
            continue
        try:
            file_fix = fix_file(report.path, cfg, unsafe)
            if file_fix.changed and not args.diff:
                write(file_fix)
        except Changed as exc:
            print(f"kerascount: warning: {report.path}: {exc}", file=sys.stderr)
            out.append(report)
            continue
        except (OSError, UnicodeError, SyntaxError) as exc:
            problems.append(f"{report.path}: cannot fix the file: {exc}")
            print(f"kerascount: error: {problems[-1]}", file=sys.stderr)
            out.append(report)
            continue
        for reason in file_fix.fixed.refused:
            run.warn(f"fix not applied at {report.path}:{reason}")
        out.append(file_fix.fixed.report)
        fixes.append(file_fix)
    return out, fixes


def _diff(fixes: List["FileFix"], failed: bool, run: _Run) -> int:
    """--diff: the changes the fixes would make; exit 1 when there are some."""
    from .fix import diff

    changed = [f for f in fixes if f.changed]
    run.write("".join(diff(file_fix) for file_fix in changed))
    n = sum(f.fixed.applied for f in changed)
    if not run.quiet:
        print(f"Would fix {n} diagnostic{'s' if n != 1 else ''}." if n else "No fixes to apply.", file=sys.stderr)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_OK
