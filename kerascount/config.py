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


_KEYS = {"select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "options", "severity"}

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "__pycache__", "node_modules",
    "build", "dist", "site-packages", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".kerascount_cache", ".ipynb_checkpoints",
)


@dataclass(frozen=True)
class Config:
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Severity overrides: ``{"KC403": "warning"}``.
    severity: Tuple[Tuple[str, str], ...] = ()
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


def find_pyproject(start: str) -> Optional[Path]:
    here = Path(os.path.abspath(start))
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def option_keys() -> Dict[str, Any]:
    from . import rules

    out = {}
    for rule in rules.ALL:
        for key, (default, _) in rule.OPTIONS.items():
            out[key] = default
    return out


def from_table(table: Mapping[str, Any], root: Optional[str], source: Optional[str]) -> Config:
    unknown = set(table) - _KEYS - set(option_keys())
    if unknown:
        raise ConfigError(f"unknown key(s) in [tool.kerascount] of {source}: {', '.join(sorted(unknown))}")
    options = dict(table.get("options", {}))
    options.update({k: v for k, v in table.items() if k in option_keys()})
    defaults = option_keys()
    for key, value in options.items():
        if key not in defaults:
            raise ConfigError(f"unknown option {key!r} in [tool.kerascount] of {source}")
        if isinstance(defaults[key], (int, float)) and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise ConfigError(f"option {key!r} must be a number")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("`per-file-ignores` must be a table of glob = [codes]")
    exclude = tuple(table.get("exclude", DEFAULT_EXCLUDE)) + tuple(table.get("extend-exclude", ()))
    severity = table.get("severity", {})
    if not isinstance(severity, dict) or not all(v in ("error", "warning", "info") for v in severity.values()):
        raise ConfigError("`severity` must be a table of CODE = \"error\" | \"warning\" | \"info\"")
    for code in severity:
        _codes([code], "severity")
    return Config(
        select=_codes(table.get("select", []), "select"),
        ignore=_codes(table.get("ignore", []), "ignore"),
        extend_select=_codes(table.get("extend-select", []), "extend-select"),
        per_file_ignores=tuple((k, _codes(v, f"per-file-ignores.{k}")) for k, v in pfi.items()),
        exclude=exclude,
        options=options,
        severity=tuple((k.upper(), v) for k, v in severity.items()),
        root=root,
        source=source,
    )


def load(start: str = ".", explicit: Optional[str] = None) -> Config:
    """The configuration for a run: ``explicit`` file, else the nearest pyproject.toml."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        data = _load_toml(path)
        table = data.get("tool", {}).get("kerascount", data if path.name != "pyproject.toml" else {})
        return from_table(table, str(path.resolve().parent), str(path))
    found = find_pyproject(start)
    if found is None:
        return Config()
    table = _load_toml(found).get("tool", {}).get("kerascount")
    if table is None:
        return Config(root=str(found.parent))
    return from_table(table, str(found.parent), str(found))


def override(cfg: Config, select: Optional[str], ignore: Optional[str], extend_select: Optional[str]) -> Config:
    def split(value: str, key: str) -> Tuple[str, ...]:
        return _codes([v for v in value.split(",") if v.strip()], key)

    if select is not None:
        # As ruff: a later --select starts a new selection; earlier ignores no longer apply.
        cfg = replace(cfg, select=split(select, "--select"), ignore=(), extend_select=())
    if ignore is not None:
        cfg = replace(cfg, ignore=cfg.ignore + split(ignore, "--ignore"))
    if extend_select is not None:
        cfg = replace(cfg, extend_select=cfg.extend_select + split(extend_select, "--extend-select"))
    return cfg
