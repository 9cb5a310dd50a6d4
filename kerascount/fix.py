"""The fix stage: apply the fixes that diagnostics carry, with libcst.

Rules compute a fix as data (:class:`~kerascount.ir.Fix`): which call, which Keras class it
constructs, what to change. This stage finds the call at the fix's span, checks that it is the
call the analysis read (its callee names that class, its arguments are the ones the rule saw),
and changes only that call's callee or arguments, so comments and formatting elsewhere are kept.
A fix that does not fit the code is not applied, and the reason is given. As ruff does, a fixed
file is analysed again and fixed again until nothing more applies (one fix per call and pass).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import hashlib
import io
import os
import stat
import tempfile
import tokenize
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from . import catalogue
from .api import FileReport, analyze_source
from .catalogue import legacy
from .catalogue.spec import LayerSpec
from .config import Config
from .extract.names import canonical
from .ir import Diagnostic, Fix, Span

#: Rounds of fixing and analysing again, per file.
MAX_PASSES = 10

_NO_SPACE = cst.SimpleWhitespace("")


class Refused(Exception):
    """A fix that does not fit the code it points at; the message says why."""


class Changed(Exception):
    """The file changed on disk after it was read for fixing: it is left as it is (a warning)."""


class CannotWrite(OSError):
    """The fixed file cannot be written (read-only, no room...); the message says why, without errno."""


@dataclass(frozen=True)
class Fixed:
    """One file's text after its fixes."""

    text: str
    #: How many fixes were applied.
    applied: int
    #: The analysis of ``text``: what remains.
    report: FileReport
    #: Fixes that could not be applied: ``line:column: CODE why``.
    refused: Tuple[str, ...]


@dataclass(frozen=True)
class FileFix:
    """A file on disk, its text before and after fixing, and its encoding for writing it back."""

    path: str
    before: str
    fixed: Fixed
    encoding: str
    #: SHA-256 of the file's bytes as read: the file is only replaced if it still has them.
    digest: str = ""

    @property
    def changed(self) -> bool:
        return self.fixed.text != self.before


def fix_source(text: str, path: str, config: Config, unsafe: bool = False) -> Fixed:
    """Apply the safe fixes (and the unsafe ones too if ``unsafe``) until none applies."""
    applied = 0
    refused: Tuple[str, ...] = ()
    report = analyze_source(text, path, config)
    for _ in range(MAX_PASSES):
        todo = [d for d in report.diagnostics if d.fix is not None and d.fix.applies(unsafe)]
        refused = ()
        if not todo:
            break
        text_after, count, refused = apply_fixes(text, todo)
        if not count or text_after == text:
            break
        text, applied = text_after, applied + count
        report = analyze_source(text, path, config)
    return Fixed(text, applied, report, refused)


def apply_fixes(text: str, diagnostics: Sequence[Diagnostic]) -> Tuple[str, int, Tuple[str, ...]]:
    """One pass: the text with the diagnostics' fixes applied, how many were, and why others were not."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return text, 0, ()
    if text.count("\r") != text.count("\r\n") and module.code != text:  # lone CRs: libcst may not keep them
        return text, 0, ("1:1: the file's line endings (lone CR) would not be kept; nothing was changed",)
    try:
        return _apply(text, module, diagnostics)
    except RecursionError:
        return text, 0, ("1:1: the file is nested too deeply to fix; nothing was changed",)


def _apply(text: str, module: cst.Module, diagnostics: Sequence[Diagnostic]) -> Tuple[str, int, Tuple[str, ...]]:
    calls = _calls_by_span(module)
    imports = _Imports(module)
    planned: Dict[cst.Call, Fix] = {}
    additions: Dict[cst.ImportFrom, List[str]] = {}
    moved: Dict[cst.ImportFrom, str] = {}
    inserts: Dict[cst.CSTNode, Tuple[str, cst.Call]] = {}
    parents: Dict[cst.CSTNode, cst.CSTNode] = {}
    statements: Dict[Span, cst.ImportFrom] = {}
    strings: Dict[Span, cst.SimpleString] = {}
    renamed: Dict[cst.SimpleString, str] = {}
    refused: List[str] = []
    for d in diagnostics:
        fix = d.fix
        if fix is None:
            continue
        if fix.edit[0] == "string":
            strings = strings or _strings_by_span(module)
            literal = strings.get(fix.span)
            if literal is None or literal.evaluated_value != fix.edit[1] or literal in renamed:
                refused.append(f"{fix.span.line}:{fix.span.column}: {d.code} no string {fix.edit[1]!r} here")
            else:
                renamed[literal] = fix.edit[2]
            continue
        if fix.edit[0] == "module":
            statements = statements or _imports_by_span(module)
            statement = statements.get(fix.span)
            if statement is None or get_full_name_for_node(statement.module) != fix.layer:  # type: ignore[arg-type]
                refused.append(f"{fix.span.line}:{fix.span.column}: {d.code} no import from {fix.layer} here")
            else:
                moved[statement] = fix.edit[1]
            continue
        call = calls.get(fix.span)
        if call in planned:
            continue  # one fix per call and pass: the next pass applies the others
        try:
            if call is None:
                raise Refused(f"no call of {fix.layer} at this position")
            if fix.edit[0] == "insert":
                parents = parents or _parents(module)
                where, kind, layer, addition = _insertion(call, fix, imports, parents)
                inserts[where] = (kind, layer)
                planned[call] = fix
                if addition is not None and addition[1] not in additions.setdefault(addition[0], []):
                    additions[addition[0]].append(addition[1])
                continue
            _, addition = _edit(call, fix, imports)
        except Refused as exc:
            refused.append(f"{fix.span.line}:{fix.span.column}: {d.code} {exc}")
            continue
        planned[call] = fix
        if addition is not None and addition[1] not in additions.setdefault(addition[0], []):
            additions[addition[0]].append(addition[1])
    if not planned and not moved and not renamed:
        return text, 0, tuple(refused)
    fixed = module.visit(_Fixer(planned, imports, additions, moved, inserts, renamed)).code
    if not _parses(fixed):  # pragma: no cover - a bug in a fix must never break a file
        return text, 0, (*refused, "1:1: the fixed code would not parse; nothing was changed (please report it)")
    return fixed, len(planned) + len(moved) + len(renamed), tuple(refused)


def fix_file(path: str, config: Config, unsafe: bool = False) -> FileFix:
    """Fix a ``.py`` file's text (nothing is written). Raises OSError or UnicodeError if it cannot be read."""
    with open(path, "rb") as fh:
        data = fh.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    before = data.decode(encoding)
    return FileFix(path, before, fix_source(before, path, config, unsafe), encoding, _digest(data))


def write(file_fix: FileFix) -> None:
    """Replace the file atomically (a temporary file beside it, then os.replace), keeping its mode.

    The encoding (and a UTF-8 BOM) is the file's own; newlines (LF, CRLF, none at the end) are kept
    as they were. A symbolic link is followed: the file it points at is replaced, not the link. A file
    with hard links is rewritten in place (see :func:`_write_in_place`); a file of another owner (when
    root fixes it) keeps its owner.

    Raises :class:`Changed` if the file no longer holds the bytes it was fixed from (an editor or
    another tool wrote it meanwhile): it is compared just before the replacement, after the new
    text is on disk, so the window left for a change to be lost is that of one read. Raises
    :class:`CannotWrite` for a read-only file (one without write permission, also for root, who
    could write it anyway) or when the new file cannot be written beside it.
    """
    target = os.path.realpath(file_fix.path)
    data = file_fix.fixed.text.encode(file_fix.encoding)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        raise Changed("the file was removed after it was read; nothing written") from None
    mode = stat.S_IMODE(st.st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise CannotWrite("the file is read-only")
    if st.st_nlink > 1:  # a hard link: a new file would leave the other names with the old text
        _write_in_place(target, data, file_fix.digest)
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".kerascount-", suffix=".tmp")
    except OSError as exc:
        raise CannotWrite(f"cannot create a file in its folder ({exc.strerror or exc})") from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, mode)
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()) and hasattr(os, "chown"):
                with contextlib.suppress(OSError):  # root fixing another user's file: still theirs
                    os.chown(tmp, st.st_uid, st.st_gid)
        except OSError as exc:
            raise CannotWrite(f"cannot write the fixed file ({exc.strerror or exc})") from None
        if file_fix.digest and _current_digest(target) != file_fix.digest:
            raise Changed("the file changed after it was read; not fixed, run --fix again")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_in_place(target: str, data: bytes, digest: Optional[str]) -> None:
    """Rewrite a file that has several names (hard links) in place, so that every name sees the fix;
    not atomic, as other tools that keep hard links write (a failure midway leaves it partly written)."""
    try:
        with open(target, "r+b") as fh:
            if digest and _digest(fh.read()) != digest:
                raise Changed("the file changed after it was read; not fixed, run --fix again")
            fh.seek(0)
            fh.write(data)
            fh.truncate()
    except OSError as exc:
        raise CannotWrite(f"cannot write the fixed file ({exc.strerror or exc})") from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current_digest(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as fh:
            return _digest(fh.read())
    except OSError:
        return None


def diff(file_fix: FileFix) -> str:
    """A unified diff from the file as it is to the file as fixed."""
    lines = difflib.unified_diff(file_fix.before.splitlines(keepends=True),
                                 file_fix.fixed.text.splitlines(keepends=True), file_fix.path, file_fix.path)
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)


# -- finding the call and what its names mean ---------------------------------------------


def positions_of(module: cst.Module) -> Any:
    """Every node's CodeRange, as libcst's PositionProvider computes it.

    ``MetadataWrapper.resolve`` also walks the whole tree for batchable providers, which
    PositionProvider is not: running the provider's codegen directly halves the cost. If
    libcst's internals differ from what this expects, the public path is used instead.
    """
    try:
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        provider = PositionProvider()
        state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                              default_newline=module.default_newline, provider=provider)
        module._codegen(state)
        return provider._computed
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other libcst versions
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def _calls_by_span(module: cst.Module) -> Dict[Span, cst.Call]:
    """Every call of the module by its span (the outer call when two share one)."""
    positions = positions_of(module)
    calls: Dict[Span, cst.Call] = {}
    for call in m.findall(module, m.Call()):
        r = positions[call]
        calls.setdefault(Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1), call)
    return calls


def _strings_by_span(module: cst.Module) -> Dict[Span, cst.SimpleString]:
    """Every plain string literal of the module by its span (only asked for when a string is to be fixed)."""
    positions = positions_of(module)
    found: Dict[Span, cst.SimpleString] = {}
    for literal in m.findall(module, m.SimpleString()):
        r = positions[literal]
        found[Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)] = literal
    return found


def _imports_by_span(module: cst.Module) -> Dict[Span, cst.ImportFrom]:
    """Every ``from ... import`` statement of the module by its span (positions from libcst's codegen:
    only asked for when an import is to be fixed)."""
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found: Dict[Span, cst.ImportFrom] = {}
    for statement in m.findall(module, m.ImportFrom()):
        r = positions[statement]
        found[Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)] = statement
    return found


@dataclass(frozen=True)
class _Binding:
    """``from module import imported as name``."""

    statement: cst.ImportFrom
    module: str
    imported: str


class _Imports(cst.CSTVisitor):
    """The names a module binds with ``from ... import``, and every other name it mentions."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.bindings: Dict[str, List[_Binding]] = {}
        self.names: Set[str] = set()
        module.visit(self)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) or node.relative or node.module is None:
            return
        module = get_full_name_for_node(node.module) or ""
        for alias in node.names:
            imported = get_full_name_for_node(alias.name) or ""
            bound = alias.evaluated_alias or imported
            self.bindings.setdefault(bound, []).append(_Binding(node, module, imported))

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # `layers.Flatten` uses the name `layers`, not `Flatten`
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def keras_layer(self, name: str) -> Optional[_Binding]:
        """The binding of ``name`` when it is exactly ``from keras.layers import name``."""
        bound = self.bindings.get(name, [])
        if len(bound) == 1 and bound[0].imported == name and canonical(bound[0].module) == "keras.layers":
            return bound[0]
        return None


def _class_named(func: cst.BaseExpression, imports: _Imports) -> Optional[LayerSpec]:
    """The Keras layer class a callee names by itself (``layers.Conv2D``, an imported name), if any."""
    if isinstance(func, cst.Attribute):
        return catalogue.lookup(func.attr.value)
    if isinstance(func, cst.Name):
        imported = {b.imported for b in imports.bindings.get(func.value, [])} or {func.value}
        return catalogue.lookup(imported.pop()) if len(imported) == 1 else None
    return None


# -- the edits ---------------------------------------------------------------------------


def _edit(call: cst.Call, fix: Fix, imports: _Imports) -> Tuple[cst.Call, Optional[Tuple[cst.ImportFrom, str]]]:
    """The call with the fix applied, and a name to import beside another, if the fix needs one."""
    if fix.edit[0] == "rename":
        return _rename(call, fix), None
    spec = _class_named(call.func, imports)
    if spec is None or spec.name != fix.layer:
        raise Refused(f"the call does not name {fix.layer} directly")
    if any(arg.star for arg in call.args):
        raise Refused("the call unpacks arguments with * or **")
    action, *operands = fix.edit
    if action == "keras3":
        return _keras3(call, spec, tuple(operands)), None
    if action == "remove":
        return _remove(call, operands), None
    if action == "replace" and len(operands) == 1:
        return _replace(call, operands[0], imports)
    if action == "set" and len(operands) == 2:
        return _set(call, spec, operands[0], operands[1]), None
    if action == "wrap" and len(operands) == 2:
        return _wrap(call, spec, operands[0], operands[1]), None
    raise Refused(f"unknown edit {action!r}")


def _rename(call: cst.Call, fix: Fix) -> cst.Call:
    """``("rename", callee, "old=new", ...)`` on a call of something other than a layer (an optimizer,
    a model's method) whose callee's last name is ``fix.layer``: call ``callee`` instead (unless it is
    empty) and rename keyword arguments ``old`` to ``new``."""
    func = call.func
    written = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if written != fix.layer:
        raise Refused(f"the call does not name {fix.layer}")
    callee, *pairs = fix.edit[1:]
    renames = dict(pair.split("=", 1) for pair in pairs if not pair.startswith("+"))
    added = dict(pair[1:].split("=", 1) for pair in pairs if pair.startswith("+"))
    present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    if any(arg.star for arg in call.args) or not set(renames) <= present or \
            present & (set(renames.values()) | set(added)):
        raise Refused("the call's arguments are not the ones the finding was about")
    args = [arg.with_changes(keyword=cst.Name(renames[arg.keyword.value]))
            if arg.keyword is not None and arg.keyword.value in renames else arg for arg in call.args]
    for keyword, literal in added.items():
        args = _with_keyword(args, keyword, literal)
    if callee:
        if not isinstance(func, cst.Attribute):
            raise Refused(f"`{fix.layer}` is not called as a method")
        func = func.with_changes(attr=cst.Name(callee))
    return call.with_changes(func=func, args=args)


def _parents(module: cst.Module) -> Dict[cst.CSTNode, cst.CSTNode]:
    """Each node's parent (asked for only when a layer is to be inserted)."""
    parents: Dict[cst.CSTNode, cst.CSTNode] = {}

    class _Visitor(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            for child in node.children:
                parents[child] = node
            return True

    module.visit(_Visitor())
    return parents


def _insertion(call: cst.Call, fix: Fix, imports: _Imports, parents: Dict[cst.CSTNode, cst.CSTNode]
               ) -> Tuple[cst.CSTNode, str, cst.Call, Optional[Tuple[cst.ImportFrom, str]]]:
    """``("insert", name)``: a layer of class ``name`` (no arguments) before the layer ``fix.layer``
    constructed at ``call``, in one of three places: the element before it in ``Sequential([...])``,
    a ``model.add(name())`` line before ``model.add(...)``, or a call on the input in a functional
    ``Dense(10)(x)``. Returns where, which of the three, the new layer's call and an import to add."""
    constructor = call.func if isinstance(call.func, cst.Call) else call
    spec = _class_named(constructor.func, imports)
    if spec is None or spec.name != fix.layer:
        raise Refused(f"the call does not name {fix.layer} directly")
    layer, addition = _sibling(constructor, fix.edit[1], imports)
    if constructor is not call:
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            raise Refused(f"{fix.layer} is not called on one tensor")
        return call, "call", layer, addition
    parent = parents.get(call)
    if isinstance(parent, cst.Element) and isinstance(parents.get(parent), (cst.List, cst.Tuple)):
        return call, "element", layer, addition
    add = parents.get(parent) if isinstance(parent, cst.Arg) else None
    statement = parents.get(parents.get(add)) if add is not None else None  # type: ignore[arg-type]
    if isinstance(add, cst.Call) and isinstance(add.func, cst.Attribute) and add.func.attr.value == "add" and \
            len(add.args) == 1 and isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement, "statement", layer, addition
    raise Refused(f"{fix.layer} is not in a Sequential list, a model.add(...) line or a functional call")


def _sibling(constructor: cst.Call, name: str, imports: _Imports
             ) -> Tuple[cst.Call, Optional[Tuple[cst.ImportFrom, str]]]:
    """``name()`` written as the constructor's class is (``layers.Flatten()`` beside ``layers.Dense``)."""
    bare = constructor.with_changes(args=[], whitespace_before_args=cst.SimpleWhitespace(""))
    func = constructor.func
    if isinstance(func, cst.Name) and not imports.bindings.get(func.value) and name not in imports.names:
        return bare.with_changes(func=cst.Name(name)), None  # a snippet without imports: as its other names
    return _replace(bare, name, imports)


def _keras3(call: cst.Call, spec: LayerSpec, written: Tuple[str, ...]) -> cst.Call:
    """A Keras 1 call with Keras 3 names (catalogue/legacy.py): renamed, merged, reordered arguments."""
    keras3_names = [a.name for a in spec.signature]
    keywords = [arg.keyword.value for arg in call.args if arg.keyword is not None]
    positional = len(call.args) - len(keywords)
    tuple_kernel = positional == 2 and legacy.kernel_tuple(
        spec.name, (None, () if isinstance(call.args[1].value, (cst.Tuple, cst.List)) else 0), keywords)
    if legacy.written(spec.name, positional, keywords, keras3_names, tuple_kernel) != written:
        raise Refused("the call's arguments are not all written here")
    values = dict(zip(written, call.args))
    merged = {part: (target, parts, required) for target, parts, required in legacy.merged(written, keras3_names, spec.name)
              for part in parts}
    args: List[Optional[cst.Arg]] = []
    targets: List[Optional[str]] = []
    for name, arg in zip(written, call.args):
        if name in merged:
            target, parts, required = merged[name]
            first = next(p for p in parts if p in values)
            args.append(arg.with_changes(value=_tuple(parts, required, values)) if name == first else None)
            targets.append(target)
            continue
        target = legacy.argument(spec.name, name, keras3_names)
        if target is None:
            raise Refused(f"`{name}` has no Keras 3 equivalent")
        args.append(_data_format(arg) if target == "data_format" and name != target else arg)
        targets.append(target)
    args = _name_arguments(args, targets, positional, keras3_names)
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in legacy.CLASS_NAMES:
        func = func.with_changes(attr=cst.Name(legacy.CLASS_NAMES[func.attr.value]))
    return call.with_changes(func=func, args=_kept(args, call.args))


def _tuple(parts: Tuple[str, ...], required: int, values: Dict[str, cst.Arg]) -> cst.Tuple:
    """``(nb_row, nb_col)`` as one tuple value; a missing optional part is None."""
    items: List[cst.BaseExpression] = []
    for i, part in enumerate(parts):
        if part in values:
            items.append(values[part].value)
        elif i < required:
            raise Refused(f"Keras 1 `{part}` is missing")
        else:
            items.append(cst.Name("None"))
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Tuple([cst.Element(v, comma=comma if i < len(items) - 1 else cst.MaybeSentinel.DEFAULT)
                      for i, v in enumerate(items)])


def _data_format(arg: cst.Arg) -> Optional[cst.Arg]:
    """``dim_ordering="th"`` → ``"channels_first"`` (None: the default, so the argument goes)."""
    value = arg.value
    if not isinstance(value, cst.SimpleString) or not isinstance(value.evaluated_value, str):
        raise Refused("`dim_ordering` is not a string literal")
    fmt = legacy.data_format(value.evaluated_value)
    if fmt is None:
        return None
    return arg.with_changes(value=value.with_changes(value=f"{value.quote}{fmt}{value.quote}"))


def _name_arguments(args: List[Optional[cst.Arg]], targets: List[Optional[str]], positional: int,
                    keras3_names: Sequence[str]) -> List[Optional[cst.Arg]]:
    """Give each argument its Keras 3 name: positional while Keras 3's order agrees, by keyword after."""
    out: List[Optional[cst.Arg]] = []
    index = 0
    in_order = True
    for i, (arg, target) in enumerate(zip(args, targets)):
        if arg is None or target is None:
            out.append(arg)
            continue
        if i < positional:
            in_order = in_order and index < len(keras3_names) and keras3_names[index] == target
            index += 1
            if in_order:
                out.append(arg)
                continue
        if arg.keyword is None:
            equal = cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE)
            out.append(arg.with_changes(keyword=cst.Name(target), equal=equal))
        else:
            out.append(arg if arg.keyword.value == target else arg.with_changes(keyword=cst.Name(target)))
    return out


def _remove(call: cst.Call, keywords: Sequence[str]) -> cst.Call:
    args = [None if arg.keyword is not None and arg.keyword.value in keywords else arg for arg in call.args]
    if None not in args:
        raise Refused(f"the call has no {', '.join(keywords)} argument")
    return call.with_changes(args=_kept(args, call.args))


def _kept(args: Sequence[Optional[cst.Arg]], original: Sequence[cst.Arg]) -> List[cst.Arg]:
    """The arguments left (None: removed).

    The argument before a removed one ends as the removed one did (its comma with the line break
    or comment after it, the space before the parenthesis), unless its own comma holds a comment.
    """
    kept: List[cst.Arg] = []
    for arg, old in zip(args, original):
        if arg is not None:
            kept.append(arg)
        elif kept and not _has_comment(kept[-1].comma):
            kept[-1] = kept[-1].with_changes(comma=old.comma, whitespace_after_arg=old.whitespace_after_arg)
    return kept


def _has_comment(comma: Union[cst.Comma, cst.MaybeSentinel]) -> bool:
    space = comma.whitespace_after if isinstance(comma, cst.Comma) else None
    return isinstance(space, cst.ParenthesizedWhitespace) and (
        space.first_line.comment is not None or any(line.comment is not None for line in space.empty_lines))


def _set(call: cst.Call, spec: LayerSpec, keyword: str, literal: str) -> cst.Call:
    """Give argument ``keyword`` the value ``literal`` (Python source of a literal): where it is
    written, by keyword or at its position, else as a keyword argument added at the end."""
    value = cst.parse_expression(literal)
    names = [a.name for a in spec.signature]
    position = names.index(keyword) if keyword in names else None
    args = list(call.args)
    for i, arg in enumerate(args):
        if (arg.keyword is not None and arg.keyword.value == keyword) or (arg.keyword is None and i == position):
            old = arg.value
            if isinstance(old, cst.SimpleString) and isinstance(value, cst.SimpleString) and \
                    isinstance(value.evaluated_value, str):
                value = old.with_changes(value=f"{old.quote}{value.evaluated_value}{old.quote}")  # the file's quotes
            args[i] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    return call.with_changes(args=_with_keyword(args, keyword, literal))


def _wrap(call: cst.Call, spec: LayerSpec, keyword: str, function: str) -> cst.Call:
    """Pass argument ``keyword`` (written by keyword or at its position) through ``function``:
    ``Dense(np.prod(shape))`` becomes ``Dense(int(np.prod(shape)))``; the expression is kept as written."""
    names = [a.name for a in spec.signature]
    position = names.index(keyword) if keyword in names else None
    args = list(call.args)
    for i, arg in enumerate(args):
        if (arg.keyword is not None and arg.keyword.value == keyword) or (arg.keyword is None and i == position):
            args[i] = arg.with_changes(value=cst.Call(func=cst.Name(function), args=[cst.Arg(value=arg.value)]))
            return call.with_changes(args=args)
    raise Refused(f"the call does not pass `{keyword}`")


def _with_keyword(args: List[cst.Arg], keyword: str, literal: str) -> List[cst.Arg]:
    """The arguments and ``keyword=literal`` added at the end."""
    args = list(args)
    equal = cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE)
    added = cst.Arg(value=cst.parse_expression(literal), keyword=cst.Name(keyword), equal=equal)
    if args and not isinstance(args[-1].comma, cst.Comma):
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    elif args:  # a trailing comma: the new argument goes after it and ends as the last one did
        added = added.with_changes(comma=args[-1].comma)
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return [*args, added]


def _replace(call: cst.Call, name: str, imports: _Imports) -> Tuple[cst.Call, Optional[Tuple[cst.ImportFrom, str]]]:
    """Call class ``name`` instead: ``layers.Flatten()`` → ``layers.GlobalAveragePooling2D()``.

    A bare name must come from ``from keras.layers import ...``: ``name`` is imported beside it,
    unless it already is, or it names something else in the file (then nothing is changed).
    """
    func = call.func
    if isinstance(func, cst.Attribute):
        return call.with_changes(func=func.with_changes(attr=cst.Name(name))), None
    binding = imports.keras_layer(func.value) if isinstance(func, cst.Name) else None
    if binding is None:
        raise Refused("the layer is not imported by its own name from keras.layers; change it by hand")
    if imports.keras_layer(name) is not None:
        return call.with_changes(func=cst.Name(name)), None
    if name in imports.names:
        raise Refused(f"`{name}` already names something else in this file")
    return call.with_changes(func=cst.Name(name)), (binding.statement, name)


def _import_more(statement: cst.ImportFrom, names: Sequence[str]) -> cst.ImportFrom:
    """``from keras.layers import A, B`` → ``from keras.layers import A, B, C``, in the statement's style."""
    aliases = list(statement.names)  # type: ignore[arg-type]
    last = aliases[-1]
    between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if isinstance(last.comma, cst.Comma) and len(aliases) > 1:  # a trailing comma: one name a line, maybe
        between = aliases[-2].comma
    added = [cst.ImportAlias(cst.Name(n), comma=between) for n in names]
    added[-1] = added[-1].with_changes(comma=last.comma)  # the new last name ends as the old one did
    return statement.with_changes(names=[*aliases[:-1], last.with_changes(comma=between), *added])


class _Fixer(cst.CSTTransformer):
    def __init__(self, planned: Dict[cst.Call, Fix], imports: _Imports,
                 additions: Dict[cst.ImportFrom, List[str]], moved: Dict[cst.ImportFrom, str],
                 inserts: Dict[cst.CSTNode, Tuple[str, cst.Call]],
                 renamed: Optional[Dict[cst.SimpleString, str]] = None) -> None:
        super().__init__()
        self._planned = planned
        self._imports = imports
        self._additions = additions
        self._moved = moved
        self._inserts = inserts
        self._renamed = renamed or {}

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        # `loss="binaray_crossentropy"` → `loss="binary_crossentropy"`, in the same quotes (a name: no escapes)
        new = self._renamed.get(original_node)
        if new is None:
            return updated_node
        return updated_node.with_changes(value=f"{updated_node.prefix}{updated_node.quote}{new}{updated_node.quote}")

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        kind, layer = self._inserts.get(original_node, ("", None))
        if kind == "call" and layer is not None:  # `Dense(10)(x)` → `Dense(10)(Flatten()(x))`
            arg = updated_node.args[0]
            return updated_node.with_changes(args=[arg.with_changes(value=cst.Call(layer, [cst.Arg(arg.value)]))])
        fix = self._planned.get(original_node)
        return updated_node if fix is None or fix.edit[0] == "insert" else _edit(updated_node, fix, self._imports)[0]

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.List:
        return self._elements(original_node, updated_node)

    def leave_Tuple(self, original_node: cst.Tuple, updated_node: cst.Tuple) -> cst.Tuple:
        return self._elements(original_node, updated_node)

    def _elements(self, original_node, updated_node):
        """``[..., Dense(10)]`` → ``[..., Flatten(), Dense(10)]``: the new element is followed by what
        follows the element before it (a comma and a space, or a line break and its indentation)."""
        elements: List[cst.BaseElement] = []
        for i, (old, new) in enumerate(zip(original_node.elements, updated_node.elements)):
            kind, layer = self._inserts.get(old.value, ("", None))
            if kind == "element" and layer is not None:
                comma = original_node.elements[i - 1].comma if i > 0 else cst.MaybeSentinel.DEFAULT
                if not isinstance(comma, cst.Comma):
                    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                elements.append(cst.Element(layer, comma=comma))
            elements.append(new)
        return updated_node.with_changes(elements=elements)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine):
        kind, layer = self._inserts.get(original_node, ("", None))
        if kind != "statement" or layer is None:
            return updated_node
        # `model.add(Dense(10))` → `model.add(Flatten())` on the line before, with the same receiver
        add = cst.ensure_type(cst.ensure_type(original_node.body[0], cst.Expr).value, cst.Call)
        line = cst.SimpleStatementLine([cst.Expr(add.with_changes(args=[cst.Arg(layer)]))],
                                       leading_lines=updated_node.leading_lines)
        return cst.FlattenSentinel([line, updated_node.with_changes(leading_lines=())])

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        names = self._additions.get(original_node)
        if original_node in self._moved:
            updated_node = updated_node.with_changes(module=cst.parse_expression(self._moved[original_node]))
        return updated_node if not names else _import_more(updated_node, names)


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
