"""Command line: ``kerascount lint|summary|rules|rule|server``.

Exit codes: 0 clean; 1 findings (errors or warnings; info notes do not fail a run);
2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from . import __version__

if TYPE_CHECKING:
    from .api import FileReport
    from .config import Config
    from .fix import FileFix

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "markdown")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"kerascount: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kerascount", description="Keras model shapes, parameter counts and lint, from source alone.")
    p.add_argument("--version", action="version", version=f"kerascount {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
        sp.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, sarif, github (Actions annotations), markdown (summary tables)")
        sp.add_argument("--config", metavar="FILE", help="pyproject.toml or kerascount TOML file to use")
        sp.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable (only these)")
        sp.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to enable in addition")
        sp.add_argument("--ignore", metavar="CODES", help="codes or prefixes to disable")
        sp.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes for many files (default: one per CPU; 1: no workers)")

    lint = sub.add_parser("lint", help="report problems in Keras model code")
    common(lint)
    lint.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    lint.add_argument("--fix", action="store_true", help="apply the fixes and write the files; report what remains")
    lint.add_argument("--diff", action="store_true",
                      help="print the fixes as a unified diff, write nothing (exit 1 if there are any)")
    lint.add_argument("--unsafe-fixes", action="store_true",
                      help="also offer and apply the fixes that change the model on purpose")
    summary = sub.add_parser("summary", help="print each model's layers, output shapes and parameter counts")
    common(summary)
    for sp in (lint, summary):
        sp.add_argument("--no-cache", action="store_true",
                        help="do not read or write .kerascount_cache/ (results per file content and settings)")
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rule = sub.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    server = sub.add_parser("server", help="run the language server for editors (needs the lsp extra)")
    server.add_argument("--stdio", action="store_true", help="talk LSP on stdin and stdout (the default and only way)")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
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

    from .report import json_, text

    if args.command in ("rules", "rule"):
        from . import rules as rule_registry
    if args.command == "rules":
        out = json_.rules(rule_registry.ALL) if args.format == "json" else text.rules_table(rule_registry.ALL)
        sys.stdout.write(out)
        return EXIT_OK
    if args.command == "rule":
        rule = rule_registry.BY_CODE.get(args.code.upper())
        if rule is None:
            print(f"kerascount: error: unknown rule {args.code!r} (see `kerascount rules`)", file=sys.stderr)
            return EXIT_ERROR
        sys.stdout.write(text.rule_doc(rule))
        return EXIT_OK

    from .api import analyze_paths
    from .config import ConfigError, load, override

    try:
        cfg = load(args.paths[0] if args.paths else ".", args.config)
        cfg = override(cfg, args.select, args.ignore, args.extend_select)
    except ConfigError as exc:
        print(f"kerascount: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    cache = None
    if not args.no_cache:
        import os

        from .cache import Cache

        cache = Cache(cfg.root or os.getcwd(), cfg)
    reports, problems = analyze_paths(args.paths, cfg, jobs=args.jobs, cache=cache)
    if cache is not None and cache.disabled:
        print(f"kerascount: warning: cache not used: {cache.disabled}", file=sys.stderr)
    for problem in problems:
        print(f"kerascount: error: {problem}", file=sys.stderr)
    internal = [r for r in reports if r.internal_error]
    for r in internal:
        print(f"kerascount: internal error in {r.path}: {r.internal_error} (please report it)", file=sys.stderr)
    fixed: Optional[int] = None
    if args.command == "lint" and (args.fix or args.diff):
        reports, fixes = _fix(args, cfg, reports, problems)
        if args.diff:
            return _diff(fixes, bool(problems or internal))
        fixed = sum(f.fixed.applied for f in fixes)

    from . import __version__ as version

    if args.format == "json":
        sys.stdout.write(json_.render(reports, version, problems))
    elif args.format == "sarif":
        from . import rules as rule_registry
        from .report import sarif

        sys.stdout.write(sarif.render(reports, version, rule_registry.ALL))
    elif args.format == "github":
        from .report import github

        sys.stdout.write(github.render(reports))
    elif args.format == "markdown":
        from .report import markdown

        sys.stdout.write(markdown.render(reports) if args.command == "summary" else
                         text.lint(reports, problems, args.unsafe_fixes, fixed))
    elif args.command == "lint":
        sys.stdout.write(text.lint(reports, problems, args.unsafe_fixes, fixed))
    else:
        sys.stdout.write(text.summary(reports, problems))
    if problems or internal:
        return EXIT_ERROR
    if args.command == "lint" and not args.exit_zero:
        if any(d.severity in ("error", "warning") for r in reports for d in r.diagnostics):
            return EXIT_FINDINGS
    return EXIT_OK


def _fix(args: argparse.Namespace, cfg: "Config", reports: List["FileReport"],
         problems: List[str]) -> Tuple[List["FileReport"], List["FileFix"]]:
    """Fix the files that have fixes to apply (writing them unless --diff).

    Returns the reports with those files analysed again, and what was done to each file.
    A file that cannot be read or written is added to ``problems``.
    """
    from .fix import Changed, fix_file, write

    out: List["FileReport"] = []
    fixes: List["FileFix"] = []
    for report in reports:
        if not any(d.fix is not None and d.fix.applies(args.unsafe_fixes) for d in report.diagnostics):
            out.append(report)
            continue
        if report.path.endswith(".ipynb"):
            print(f"kerascount: warning: {report.path}: notebooks are not fixed", file=sys.stderr)
            out.append(report)
            continue
        try:
            file_fix = fix_file(report.path, cfg, args.unsafe_fixes)
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
            print(f"kerascount: warning: fix not applied at {report.path}:{reason}", file=sys.stderr)
        out.append(file_fix.fixed.report)
        fixes.append(file_fix)
    return out, fixes


def _diff(fixes: List["FileFix"], failed: bool) -> int:
    """--diff: the changes the fixes would make; exit 1 when there are some."""
    from .fix import diff

    changed = [f for f in fixes if f.changed]
    for file_fix in changed:
        sys.stdout.write(diff(file_fix))
    n = sum(f.fixed.applied for f in changed)
    print(f"Would fix {n} diagnostic{'s' if n != 1 else ''}." if n else "No fixes to apply.", file=sys.stderr)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_OK
