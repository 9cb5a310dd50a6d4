"""Command line: ``kerascount lint|summary|rules|rule``.

Exit codes: 0 clean; 1 findings (errors or warnings; info notes do not fail a run);
2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import __version__

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
    summary = sub.add_parser("summary", help="print each model's layers, output shapes and parameter counts")
    common(summary)
    for sp in (lint, summary):
        sp.add_argument("--no-cache", action="store_true",
                        help="do not read or write .kerascount_cache/ (results per file content and settings)")
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rule = sub.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
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


def _run(args: argparse.Namespace) -> int:
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
    for problem in problems:
        print(f"kerascount: error: {problem}", file=sys.stderr)
    internal = [r for r in reports if r.internal_error]
    for r in internal:
        print(f"kerascount: internal error in {r.path}: {r.internal_error} (please report it)", file=sys.stderr)

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

        sys.stdout.write(markdown.render(reports) if args.command == "summary" else text.lint(reports, problems))
    elif args.command == "lint":
        sys.stdout.write(text.lint(reports, problems))
    else:
        sys.stdout.write(text.summary(reports, problems))
    if problems or internal:
        return EXIT_ERROR
    if args.command == "lint" and not args.exit_zero:
        if any(d.severity in ("error", "warning") for r in reports for d in r.diagnostics):
            return EXIT_FINDINGS
    return EXIT_OK

