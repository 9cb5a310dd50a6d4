"""Line and column of the libcst nodes the analysis reports on.

libcst computes positions by generating the whole module's code again while tracking every
token: that costs more than parsing the file. Almost every position the analysis asks for is
a call's (a layer, a model, the call that reached an imported helper) or an operator's (``x + y``,
``-x``, ``x > 0``, ``x[0]`` on tensors), and CPython's own parser knows where each of those is, at
a tenth of the cost. So these nodes are matched with their ``ast`` counterparts in the same
source: both lists in source order, each pair checked by its kind, its callee and arguments or
its operators. If anything does not match (or for any other kind of node), the module's
positions come from libcst's codegen, as before: the fast path is an optimisation, never a
second opinion.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any, Dict, List, Mapping, Optional, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..ir import Span

#: Fields that never hold a call: whitespace, punctuation and operators (by prefix, and by name).
_SKIP_PREFIX = ("__", "whitespace", "lpar", "rpar", "leading_lines", "lines_after")
_SKIP = frozenset(("comma", "colon", "semicolon", "header", "footer", "newline", "equal", "dot", "operator",
                   "asynchronous", "lbrace", "rbrace", "lbracket", "rbracket", "star", "arrow"))

#: Node types whose fields libcst declares in another order than the source has them.
_SOURCE_ORDER = {
    "IfExp": ("body", "test", "orelse"),
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "Parameters": ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "MatchCase": ("pattern", "guard", "body"),
    "TypeAlias": ("name", "type_parameters", "value"),
}

#: Per node type, the fields to walk, last first (a stack pops them in source order); () for leaves.
_walk_fields: Dict[type, Tuple[str, ...]] = {}


def _fields(kind: type) -> Tuple[str, ...]:
    names = _walk_fields.get(kind)
    if names is None:
        if not (isinstance(kind, type) and issubclass(kind, cst.CSTNode)):
            names = ()
        else:
            declared = [f for f in kind.__dataclass_fields__ if f not in _SKIP and not f.startswith(_SKIP_PREFIX)]
            order = _SOURCE_ORDER.get(kind.__name__)
            if order is not None:
                declared = [f for f in order if f in declared] + [f for f in declared if f not in order]
            names = tuple(reversed(declared))
        _walk_fields[kind] = names
    return names


#: libcst node types whose positions come from ``ast``, with their ``ast`` counterparts. These map
#: one to one (``a and b and c`` does not: one ``ast.BoolOp``, two ``BooleanOperation``).
_MATCHED: Dict[type, type] = {
    cst.Call: ast.Call,
    cst.BinaryOperation: ast.BinOp,
    cst.UnaryOperation: ast.UnaryOp,
    cst.Comparison: ast.Compare,
    cst.Subscript: ast.Subscript,
}
_AST_MATCHED = frozenset(_MATCHED.values())

#: libcst operator class names → ``ast`` operator class names, where they differ.
_OPERATORS = {
    "Subtract": "Sub", "Multiply": "Mult", "Divide": "Div", "FloorDivide": "FloorDiv", "Modulo": "Mod",
    "Power": "Pow", "LeftShift": "LShift", "RightShift": "RShift", "MatrixMultiply": "MatMult",
    "Plus": "UAdd", "Minus": "USub", "BitInvert": "Invert",
    "LessThan": "Lt", "LessThanEqual": "LtE", "GreaterThan": "Gt", "GreaterThanEqual": "GtE",
    "Equal": "Eq", "NotEqual": "NotEq",
}


def _matched_nodes(node: cst.CSTNode) -> List[cst.CSTNode]:
    """Every node of a matched type under ``node``, outer before inner, in source order (the hot loop: kept flat)."""
    found: List[cst.CSTNode] = []
    stack: List[Any] = [node]
    pop, push = stack.pop, stack.append
    while stack:
        n = pop()
        kind = type(n)
        if kind is list or kind is tuple:
            stack.extend(reversed(n))
            continue
        if kind in _MATCHED:
            found.append(n)
        for f in _walk_fields.get(kind) or _fields(kind):
            value = getattr(n, f)
            if value is not None and type(value) is not str:
                push(value)
    return found


def _ast_nodes(tree: ast.AST) -> List[ast.expr]:
    """Every matched ``ast`` node in the tree, in no particular order (``ast.walk`` is three times slower)."""
    found: List[ast.expr] = []
    stack: List[Any] = [tree]
    pop, push, AST, matched = stack.pop, stack.append, ast.AST, _AST_MATCHED
    while stack:
        n = pop()
        if type(n) in matched:
            found.append(n)
        for f in n._fields:
            value = getattr(n, f, None)
            if type(value) is list:
                stack.extend(v for v in value if isinstance(v, AST))
            elif isinstance(value, AST):
                push(value)
    return found


def _name(e: Any) -> Optional[str]:
    """A callee as text when it is a dotted name; None otherwise."""
    if isinstance(e, (cst.Name, ast.Name)):
        return e.value if isinstance(e, cst.Name) else e.id
    if isinstance(e, cst.Attribute):
        base = _name(e.value)
        return None if base is None else f"{base}.{e.attr.value}"
    if isinstance(e, ast.Attribute):
        base = _name(e.value)
        return None if base is None else f"{base}.{e.attr}"
    return None


def _operator(op: Any) -> str:
    name = type(op).__name__
    return _OPERATORS.get(name, name)


def _same(c: cst.CSTNode, a: ast.expr) -> bool:
    """Whether libcst's ``c`` and CPython's ``a`` are the same piece of source."""
    kind = type(c)
    if _MATCHED[kind] is not type(a):
        return False
    if kind is cst.Call:
        return _same_call(c, a)  # type: ignore[arg-type]
    if kind is cst.BinaryOperation or kind is cst.UnaryOperation:
        return _operator(c.operator) == type(a.op).__name__  # type: ignore[attr-defined]
    if kind is cst.Comparison:
        return [_operator(t.operator) for t in c.comparisons] == [type(o).__name__ for o in a.ops]  # type: ignore
    return True


def _same_call(c: cst.Call, a: ast.Call) -> bool:
    if _name(c.func) != _name(a.func):
        return False
    keywords = [arg.keyword.value for arg in c.args if arg.keyword is not None]
    ast_keywords = [k.arg for k in a.keywords if k.arg is not None]
    return len(c.args) == len(a.args) + len(a.keywords) and keywords == ast_keywords


class Positions:
    """``get(node)`` → CodeRange-like span data for nodes of one module, computed on demand."""

    def __init__(self, module: cst.Module, source: Optional[str] = None, tree: Optional[ast.Module] = None) -> None:
        self._module = module
        self._source = source
        self._tree = tree  # CPython's tree of ``source``, if the caller has it
        self._calls: Optional[Dict[cst.CSTNode, Span]] = None
        self._matched = False
        self._full: Optional[Mapping[cst.CSTNode, Any]] = None

    @property
    def source(self) -> Optional[str]:
        """The source text, when the caller gave it."""
        return self._source

    def __contains__(self, node: object) -> bool:
        return self.get(node) is not None  # type: ignore[arg-type]

    def get(self, node: cst.CSTNode) -> Optional[Span]:
        if type(node) in _MATCHED and self._full is None:
            if not self._matched:
                try:
                    self._calls = _match_calls(self._module, self._source, self._tree)
                except RecursionError:
                    self._calls = None
                self._matched = True
            if self._calls is not None:
                return self._calls.get(node)
        if self._full is None:
            try:
                self._full = positions_of(self._module)
            except RecursionError:  # nested too deeply for libcst's codegen: no positions
                self._full = {}
        r = self._full.get(node)
        return None if r is None else Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)


def _match_calls(module: cst.Module, source: Optional[str],
                 tree: Optional[ast.Module] = None) -> Optional[Dict[cst.CSTNode, Span]]:
    """Spans of the module's calls and operators from CPython's parser; None when the two parsers disagree."""
    if source is None:
        return None
    if tree is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    found = sorted(_ast_nodes(tree), key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))
    calls = _matched_nodes(module)
    if len(calls) != len(found):
        return None
    lines = source.splitlines()
    spans: Dict[cst.CSTNode, Span] = {}
    for c, a in zip(calls, found):
        if not _same(c, a):
            return None
        spans[c] = Span(a.lineno, _column(lines, a.lineno, a.col_offset) + 1,
                        a.end_lineno, _column(lines, a.end_lineno, a.end_col_offset) + 1)  # type: ignore[arg-type]
    return spans


def _column(lines: List[str], line: int, offset: int) -> int:
    """A UTF-8 byte offset in a line (CPython's unit) as a code point column (libcst's)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return offset
    return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
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
