"""Configuration: ``[tool.kerascount]`` in pyproject.toml, then command-line overrides."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, Mapping, Optional, Tuple



class ConfigError(Exception):
    """A configuration or usage problem: reported with exit code 2."""


_KEYS = {"select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "options", "severity",
         "force-exclude", "respect-gitignore", "unsafe-fixes", "max-macs", "max-activation-bytes", "batch-size"}
#: ``kerascount diff`` budgets (0: none) and the batch size activation memory is counted for.
_BUDGETS = {"max-macs": 0, "max-activation-bytes": 0, "batch-size": 1}
#: The keys whose value is true or false, with their default.
_FLAGS = {"force-exclude": False, "respect-gitignore": True, "unsafe-fixes": False}

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "__pycache__", "node_modules",
    "build", "dist", "site-packages", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".kerascount_cache", ".ipynb_checkpoints",
)


@dataclass(unsafe_hash=True)
class Config:
    """The settings of a run: rule selection, exclusions, per-file ignores and options."""

    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Severity overrides: ``{"KC403": "warning"}``.
    severity: Tuple[Tuple[str, str], ...] = ()
    #: Apply ``exclude`` (and .gitignore) to files named on the command line too, as pre-commit names them.
    force_exclude: bool = False
    #: Skip the files that .gitignore files (and .git/info/exclude) ignore.
    respect_gitignore: bool = True
    #: Offer and apply the fixes that change the model on purpose (``--unsafe-fixes``).
    unsafe_fixes: bool = False
    #: ``kerascount diff`` budgets: mult-adds per sample, activation bytes for ``batch_size`` samples (0: none).
    max_macs: int = 0
    max_activation_bytes: int = 0
    batch_size: int = 1
    root: Optional[str] = None
    source: Optional[str] = None

    def enabled_codes(self, path: Optional[str] = None) -> FrozenSet[str]:
        from . import rules

        if self.select:
            chosen = {r.CODE for r in rules.ALL if _matches(r.CODE, self.select)}
        else:
            chosen = {r.CODE for r in rules.ALL if r.DEFAULT_ENABLED}
        chosen |= {r.CODE for r in rules.ALL if _matches(r.CODE, self.extend_select)}
        chosen -= {c for c in chosen if _matches(c, self.ignore)}
        if path is not None:
            rel = self.relative(path)
            for pattern, codes in self.per_file_ignores:
                if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(rel), pattern):
                    chosen -= {c for c in chosen if _matches(c, codes)}
        return frozenset(chosen)

    def relative(self, path: str) -> str:
        if self.root:
            full = os.path.abspath(path)
            prefix = self.root.rstrip(os.sep) + os.sep
            if full.startswith(prefix):
                return full[len(prefix):].replace(os.sep, "/")
        return path.replace(os.sep, "/")

    def excluded(self, path: str) -> bool:
        """Does an exclude pattern match the file's name, or its path relative to the project root?"""
        name_re, path_re = _exclude_patterns(self.exclude)
        name = os.path.basename(path.rstrip("/\\"))
        if name_re.match(name):
            return True
        return path_re is not None and bool(path_re.match(self.relative(path)))

    def fingerprint(self) -> str:
        """Everything that changes results (not discovery): the settings as written, without loading the rules."""
        return repr((self.select, self.ignore, self.extend_select, self.per_file_ignores,
                     sorted(self.options.items()), self.severity, self.root))


@functools.lru_cache(maxsize=32)
def _exclude_patterns(patterns: Tuple[str, ...]) -> "Tuple[re.Pattern, Optional[re.Pattern]]":
    """One compiled regex for all patterns on names; one for patterns on paths (those with a '/')."""
    never = "(?!)"
    names = "|".join(fnmatch.translate(p) for p in patterns) or never
    paths = [fnmatch.translate(p) for p in patterns if "/" in p]
    return re.compile(names), re.compile("|".join(paths)) if paths else None


def _matches(code: str, selectors: Iterable[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def _codes(value: Any, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of rule codes")
    from . import rules

    known = [r.CODE for r in rules.ALL]
    out = []
    for v in value:
        v = v.strip().upper()
        if v != "ALL" and not any(code.startswith(v) for code in known):
            raise ConfigError(f"unknown rule code or prefix {v!r} in `{key}` (see `kerascount rules`)")
        out.append(v)
    return tuple(out)


def _load_toml(path: Path) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def _mentions_kerascount(path: Path) -> bool:
    """Can the file hold a ``[tool.kerascount]`` table (see :func:`may_hold_tool_table`)? A file that cannot be
    read says yes: reading it again reports why."""
    try:
        with open(path, "rb") as fh:
            return may_hold_tool_table(fh.read())
    except OSError:
        return True


# (patterns compiled when a file names kerascount: most runs do not need them)
#: A table header of bare keys (``[project.scripts]``); ``["x"]``, ``[[x]]`` and the like are not read.
_HEADER = rb"\[[ \t]*([A-Za-z][A-Za-z0-9_-]*(?:[ \t]*\.[ \t]*[A-Za-z][A-Za-z0-9_-]*)*)[ \t]*\][ \t]*(?:#.*)?"
#: The key of a ``key = value`` line: one bare key, or one quoted without escapes (``"kerascount.data" = ...``).
_KEY = rb"""(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')[ \t]*="""
#: A line of an array that holds only strings without escapes (``"kerascount[lsp]",``) and a comment.
_STRINGS = rb"""(?:(?:"[^"\\]*"|'[^']*')[ \t]*,?[ \t]*)+(?:\][ \t]*,?[ \t]*)*(?:#.*)?"""
#: Values a line in a multi-line array could hold that read as a header of one bare key (``[inf]``).
_VALUE_WORDS = frozenset((b"true", b"false", b"inf", b"nan"))


def may_hold_tool_table(text: bytes) -> bool:
    """Could this TOML text hold a ``[tool.kerascount]`` table? No when the word ``kerascount`` is not in it,
    or is only where no such table can be made: a comment, a string value or array item (``name = "kerascount"``,
    ``dependencies = ["kerascount"]``), a key of a table other than ``[tool]`` and the root
    (``kerascount = "kerascount.cli:main"`` in ``[project.scripts]``). Yes whenever unsure (a multi-line string,
    a dotted key, a header that could be an array's item): the file is then parsed, as it is to read the table
    (tomllib is slow to import)."""
    if b"kerascount" not in text:
        return False
    if b'"""' in text or b"'''" in text:
        return True  # a multi-line string: a line may not be what it looks like
    header_line, key_line, strings_line = re.compile(_HEADER), re.compile(_KEY), re.compile(_STRINGS)
    table: Optional[bytes] = b""  # the table of the lines read (b"": the root; None: not known)
    for line in text.split(b"\n"):
        line = line.strip()
        if line.startswith(b"["):
            if b"kerascount" in line:
                return True
            header = header_line.fullmatch(line)
            names = [name.strip() for name in header.group(1).split(b".")] if header else []
            table = b".".join(names) if names and not _VALUE_WORDS.intersection(names) else None
            continue
        if b"kerascount" not in line or line.startswith(b"#") or strings_line.fullmatch(line):
            continue
        match = key_line.match(line)
        key = None if match is None else next(k for k in match.groups() if k is not None)
        if key is None or key == b"tool":
            return True
        if key == b"kerascount" and table in (None, b"", b"tool"):
            return True  # (at the root: it could be in a TOML 1.1 inline table of several lines, `tool = {`)
    return False


def find_pyproject(start: str) -> Optional[Path]:
    """The nearest pyproject.toml at or above ``start``; folders that cannot be searched (no permission)
    are passed over, as the files in them cannot be read either (each is reported when it is read)."""
    here = Path(os.path.abspath(start))
    if not os.path.isdir(here):
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if os.path.isfile(candidate):
            return candidate
    return None


def option_keys() -> Dict[str, Any]:
    from . import rules

    out = {}
    for rule in rules.ALL:
        for key, (default, _) in rule.OPTIONS.items():
            out[key] = default
    return out


def _check_option(key: str, value: Any, default: Any) -> Any:
    """A rule's option has the type of its default: a count (an integer of at least 0; ``1e7`` is read as
    ``10000000``) or a share (0 to 1). Returns the value to use."""
    if not isinstance(default, (int, float)):
        return value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ConfigError(f"option {key!r} must be a number")
    if isinstance(default, float):
        if not 0 <= value <= 1:
            raise ConfigError(f"option {key!r} is a share of the model's params: a number from 0 to 1, not {value}")
        return value
    if value < 0 or not float(value).is_integer():
        raise ConfigError(f"option {key!r} must be an integer of at least 0, not {value}")
    return int(value)


def from_table(table: Mapping[str, Any], root: Optional[str], source: Optional[str]) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.kerascount] of {source} must be a table, not {type(table).__name__}")
    unknown = set(table) - _KEYS - set(option_keys())
    if unknown:
        raise ConfigError(f"unknown key(s) in [tool.kerascount] of {source}: {', '.join(sorted(unknown))}")
    if not isinstance(table.get("options", {}), dict):
        raise ConfigError("`options` must be a table of option = value")
    options = dict(table.get("options", {}))
    options.update({k: v for k, v in table.items() if k in option_keys()})
    defaults = option_keys()
    for key, value in options.items():
        if key not in defaults:
            raise ConfigError(f"unknown option {key!r} in [tool.kerascount] of {source}")
        options[key] = _check_option(key, value, defaults[key])
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("`per-file-ignores` must be a table of glob = [codes]")
    for key in ("exclude", "extend-exclude"):
        value = table.get(key, ())
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"`{key}` must be a list of glob patterns")
    exclude = tuple(table.get("exclude", DEFAULT_EXCLUDE)) + tuple(table.get("extend-exclude", ()))
    severity = table.get("severity", {})
    if not isinstance(severity, dict) or not all(v in ("error", "warning", "info") for v in severity.values()):
        raise ConfigError("`severity` must be a table of CODE = \"error\" | \"warning\" | \"info\"")
    for code in severity:
        _codes([code], "severity")
    flags = {}
    for key, default in _FLAGS.items():
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"`{key}` must be true or false")
        flags[key.replace("-", "_")] = value
    for key, default in _BUDGETS.items():
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "batch-size" else 0):
            raise ConfigError(f"`{key}` must be an integer of at least {1 if key == 'batch-size' else 0}")
        flags[key.replace("-", "_")] = value
    return Config(
        select=_codes(table.get("select", []), "select"),
        ignore=_codes(table.get("ignore", []), "ignore"),
        extend_select=_codes(table.get("extend-select", []), "extend-select"),
        per_file_ignores=tuple((k, _codes(v, f"per-file-ignores.{k}")) for k, v in pfi.items()),
        exclude=exclude,
        options=options,
        severity=tuple((k.upper(), v) for k, v in severity.items()),
        **flags,
        root=root,
        source=source,
    )


def _tool_table(data: Mapping[str, Any], path: Path) -> Optional[Any]:
    """``[tool.kerascount]`` of a TOML document, or None when it has none."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"`tool` in {path} must be a table, not {type(tool).__name__}")
    return tool.get("kerascount")


def load(start: str = ".", explicit: Optional[str] = None) -> Config:
    """The configuration for a run: ``explicit`` file, else the nearest pyproject.toml."""
    if explicit is not None:
        path = Path(explicit)
        if not os.path.isfile(path):
            raise ConfigError(f"config file {explicit} does not exist")
        data = _load_toml(path)
        table = _tool_table(data, path)
        if table is None:
            table = data if path.name != "pyproject.toml" else {}
        return from_table(table, str(path.resolve().parent), str(path))
    found = find_pyproject(start)
    if found is None:
        return Config()
    if not _mentions_kerascount(found):
        return Config(root=str(found.parent))  # no [tool.kerascount] can be in it: not parsed (tomllib is slow to load)
    table = _tool_table(_load_toml(found), found)
    if table is None:
        return Config(root=str(found.parent))
    return from_table(table, str(found.parent), str(found))


def override(cfg: Config, select: Optional[str], ignore: Optional[str], extend_select: Optional[str],
             **settings: Any) -> Config:
    """The settings with command-line flags applied. ``settings``: ``extend_exclude`` (comma-separated
    patterns), and ``force_exclude``, ``respect_gitignore``, ``unsafe_fixes`` (None: as configured)."""
    def split(value: str, key: str) -> Tuple[str, ...]:
        return _codes([v for v in value.split(",") if v.strip()], key)

    extend_exclude = settings.pop("extend_exclude", None)
    if extend_exclude:
        cfg = replace(cfg, exclude=cfg.exclude + tuple(p.strip() for p in extend_exclude.split(",") if p.strip()))
    cfg = replace(cfg, **{k: v for k, v in settings.items() if v is not None})

    if select is not None:
        # As ruff: a later --select starts a new selection; earlier ignores no longer apply.
        cfg = replace(cfg, select=split(select, "--select"), ignore=(), extend_select=())
    if ignore is not None:
        cfg = replace(cfg, ignore=cfg.ignore + split(ignore, "--ignore"))
    if extend_select is not None:
        cfg = replace(cfg, extend_select=cfg.extend_select + split(extend_select, "--extend-select"))
    return cfg


def describe(cfg: Config, path: Optional[str] = None) -> str:
    """``--show-settings``: the resolved settings, as TOML that ``[tool.kerascount]`` accepts, with where they come from."""
    from . import rules

    def toml(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(value)

    lines = []
    if path is not None:
        lines.append(f"# Resolved settings for: {path}")
    lines.append(f"# Settings path: {cfg.source or '(none: defaults)'}")
    lines.append(f"# Project root: {cfg.root or os.getcwd()}")
    lines.append("[tool.kerascount]")
    lines.append(f"select = {toml(cfg.select)}" + ("  # empty: the rules on by default" if not cfg.select else ""))
    lines.append(f"extend-select = {toml(cfg.extend_select)}")
    lines.append(f"ignore = {toml(cfg.ignore)}")
    lines.append(f"exclude = {toml(cfg.exclude)}")
    lines.append(f"force-exclude = {toml(cfg.force_exclude)}")
    lines.append(f"respect-gitignore = {toml(cfg.respect_gitignore)}")
    lines.append(f"unsafe-fixes = {toml(cfg.unsafe_fixes)}")
    lines.append(f"max-macs = {cfg.max_macs}  # kerascount diff budgets (0: none)")
    lines.append(f"max-activation-bytes = {cfg.max_activation_bytes}")
    lines.append(f"batch-size = {cfg.batch_size}")
    options = {**option_keys(), **cfg.options}
    for key in sorted(options):
        lines.append(f"{key} = {toml(options[key]) if options[key] is not None else '# not set'}")
    lines.append("")
    lines.append("[tool.kerascount.per-file-ignores]")
    lines.extend(f"{toml(pattern)} = {toml(codes)}" for pattern, codes in cfg.per_file_ignores)
    lines.append("")
    lines.append("[tool.kerascount.severity]")
    lines.extend(f"{code} = {toml(level)}" for code, level in cfg.severity)
    lines.append("")
    enabled = sorted(cfg.enabled_codes(path))
    lines.append(f"# Enabled rules{' for this file' if path is not None else ''} ({len(enabled)}):")
    names = {r.CODE: r.NAME for r in rules.ALL}
    lines.extend(f"#   {code} {names[code]}" for code in enabled)
    return "\n".join(lines) + "\n"
