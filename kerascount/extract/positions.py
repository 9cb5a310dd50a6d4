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
import re
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
        elif issubclass(kind, _NOT_WALKED):
            names = ()
        else:
            declared = [f for f in kind.__dataclass_fields__ if f not in _SKIP and not f.startswith(_SKIP_PREFIX)]
            order = _SOURCE_ORDER.get(kind.__name__)
            if order is not None:
                declared = [f for f in order if f in declared] + [f for f in declared if f not in order]
            names = tuple(reversed(declared))
        _walk_fields[kind] = names
    return names


#: Fields that hold a ``Name`` libcst has and ``ast`` has not (a string there): identifiers that are no
#: expression. Not walked for matching; their names, and those of import statements, have no span from
#: CPython's (libcst's codegen gives theirs).
_IDENTIFIERS: Dict[type, Tuple[str, ...]] = {
    kind: fields for kind, fields in (
        (cst.Attribute, ("attr",)), (cst.FunctionDef, ("name",)), (cst.ClassDef, ("name",)),
        (cst.Param, ("name",)), (cst.Arg, ("keyword",)), (cst.ExceptHandler, ("name",)),
        (getattr(cst, "ExceptStarHandler", None), ("name",)), (cst.Global, ("names",)), (cst.Nonlocal, ("names",)),
        (getattr(cst, "MatchAs", None), ("name",)), (getattr(cst, "MatchStar", None), ("name",)),
        (getattr(cst, "MatchMapping", None), ("rest",)), (getattr(cst, "MatchKeywordElement", None), ("key",)),
        (getattr(cst, "TypeVar", None), ("name",)), (getattr(cst, "TypeVarTuple", None), ("name",)),
        (getattr(cst, "ParamSpec", None), ("name",)))
    if kind is not None}
#: Names that are constants in ``ast`` (``ast.Constant``), names in libcst.
_CONSTANTS = frozenset(("True", "False", "None"))

#: Per node type, the fields walked for matching (``_fields`` without the identifiers).
_match_fields: Dict[type, Tuple[str, ...]] = {}


def _matching_fields(kind: type) -> Tuple[str, ...]:
    names = _match_fields.get(kind)
    if names is None:
        skip = _IDENTIFIERS.get(kind, ())
        names = _match_fields[kind] = tuple(f for f in _fields(kind) if f not in skip)
    return names


#: libcst node types whose positions come from ``ast``, with their ``ast`` counterparts. These map
#: one to one, each kind on its own: in source order, outer before inner, both parsers list the
#: same nodes of a kind. ``a and b and c`` is one ``ast.BoolOp`` but two ``BooleanOperation``s: only
#: the outer one of such a chain is matched (the inner ones get theirs from it, see ``_chain``).
#: Names are matched where they are expressions (see ``_IDENTIFIERS``, ``_CONSTANTS``).
#: Not matched: tuples and generator expressions (``ast`` counts their parentheses, libcst does not;
#: see ``_derived`` for tuples), f-strings (``ast`` has one more for a nested format spec, one fewer
#: for ``f"a" f"b"``).
_MATCHED: Dict[type, Tuple[type, ...]] = {
    cst.Name: (ast.Name,),
    cst.Call: (ast.Call,),
    cst.BinaryOperation: (ast.BinOp,),
    cst.UnaryOperation: (ast.UnaryOp,),
    cst.Comparison: (ast.Compare,),
    cst.Subscript: (ast.Subscript,),
    cst.Attribute: (ast.Attribute,),
    cst.BooleanOperation: (ast.BoolOp,),
    cst.IfExp: (ast.IfExp,),
    cst.Yield: (ast.Yield, ast.YieldFrom),
    cst.Lambda: (ast.Lambda,),
    cst.ListComp: (ast.ListComp,),
    cst.SetComp: (ast.SetComp,),
    cst.DictComp: (ast.DictComp,),
    cst.List: (ast.List,),
    cst.Set: (ast.Set,),
    cst.Dict: (ast.Dict,),
    cst.FormattedString: (ast.JoinedStr,),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.Try: (ast.Try,),
    cst.With: (ast.With, ast.AsyncWith),
}
#: ``ast`` node type → the libcst type it is matched with.
_AST_MATCHED: Dict[type, type] = {a: c for c, kinds in _MATCHED.items() for a in kinds}
#: Statements whose names libcst holds as ``Name``/``Attribute`` nodes but ``ast`` as strings: not walked.
_NOT_WALKED = (cst.Import, cst.ImportFrom)

#: libcst operator class names → ``ast`` operator class names, where they differ.
_OPERATORS = {
    "Subtract": "Sub", "Multiply": "Mult", "Divide": "Div", "FloorDivide": "FloorDiv", "Modulo": "Mod",
    "Power": "Pow", "LeftShift": "LShift", "RightShift": "RShift", "MatrixMultiply": "MatMult",
    "Plus": "UAdd", "Minus": "USub", "BitInvert": "Invert",
    "LessThan": "Lt", "LessThanEqual": "LtE", "GreaterThan": "Gt", "GreaterThanEqual": "GtE",
    "Equal": "Eq", "NotEqual": "NotEq",
}


def _matched_nodes(node: cst.CSTNode) -> Tuple[Dict[type, List[cst.CSTNode]], set]:
    """Every node of a matched type under ``node``, by type, outer before inner, in source order (the hot loop:
    kept flat); and the ids of those not matched one to one (links of ``a and b and c``, names that are not
    expressions, names in imports)."""
    found: Dict[type, List[cst.CSTNode]] = {kind: [] for kind in _MATCHED}
    chained: set = set()  # ids of nodes of matched kinds that are not matched
    stack: List[Any] = [node]
    pop, push, get, BoolOp, Name, constants = stack.pop, stack.append, found.get, cst.BooleanOperation, cst.Name, _CONSTANTS
    identifiers, FString, Concatenated = _IDENTIFIERS, cst.FormattedString, cst.ConcatenatedString
    while stack:
        n = pop()
        kind = type(n)
        if kind is list or kind is tuple:
            stack.extend(reversed(n))
            continue
        if kind is cst.Import or kind is cst.ImportFrom:
            chained.update(_names_under(n))
            continue
        bucket = get(kind)
        if bucket is not None:
            if kind is Name:
                if n.value in constants:
                    chained.add(id(n))
                else:
                    bucket.append(n)
            elif kind is FString:
                if id(n) not in chained:
                    bucket.append(n)
            elif kind is BoolOp:
                left = n.left
                if type(left) is BoolOp and type(left.operator) is type(n.operator) and not left.lpar:
                    chained.add(id(left))
                if id(n) not in chained:
                    bucket.append(n)
            else:
                bucket.append(n)
        elif kind is Concatenated and id(n) not in chained:
            parts = _concatenated(n)
            chained.update(id(p) for p in parts)  # its inner links and parts: not matched
            if any(type(p) is FString for p in parts):
                found[FString].append(n)  # CPython's one JoinedStr for ``"a" f"{b}"``: paired, then dropped
        if kind in identifiers:
            for f in identifiers[kind]:
                chained.update(_names_under(getattr(n, f)))
        for f in _match_fields.get(kind) or _matching_fields(kind):
            value = getattr(n, f)
            if value is not None and type(value) is not str:
                push(value)
    return found, chained


def _concatenated(node: cst.ConcatenatedString) -> List[cst.CSTNode]:
    """The strings of ``"a" f"b" "c"`` and its inner ``ConcatenatedString`` links."""
    found: List[cst.CSTNode] = []
    stack: List[Any] = [node.left, node.right]
    while stack:
        n = stack.pop()
        found.append(n)
        if type(n) is cst.ConcatenatedString:
            stack.extend((n.left, n.right))
    return found


def _names_under(node: Any) -> List[int]:
    """ids of the names and dotted names under a node (an import statement, an identifier)."""
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is list or kind is tuple:
            stack.extend(n)
        elif isinstance(n, cst.CSTNode):
            if kind is cst.Name or kind is cst.Attribute:
                found.append(id(n))
            stack.extend(getattr(n, f) for f in _all_fields(kind))
    return found


def _ast_nodes(tree: ast.AST) -> Dict[type, List[Any]]:
    """Every matched ``ast`` node in the tree, by the libcst type it matches, in no particular order
    (``ast.walk`` is three times slower)."""
    found: Dict[type, List[Any]] = {kind: [] for kind in _MATCHED}
    stack: List[Any] = [tree]
    pop, push, AST, matched = stack.pop, stack.append, ast.AST, _AST_MATCHED
    specs: set = set()  # ``f"{x:>{w}}"``: CPython's JoinedStr for the format spec, libcst has no FormattedString
    while stack:
        n = pop()
        kind = matched.get(type(n))
        if kind is not None and not (kind is cst.FormattedString and id(n) in specs):
            found[kind].append(n)
        elif type(n) is ast.FormattedValue and n.format_spec is not None:
            specs.add(id(n.format_spec))
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


def _same(c: Any, a: Any) -> bool:
    """Whether libcst's ``c`` and CPython's ``a`` are the same piece of source."""
    kind = type(c)
    if type(a) not in _MATCHED[kind]:
        return False
    if kind is cst.Call:
        return _same_call(c, a)
    if kind is cst.Name:
        return c.value == a.id
    if kind is cst.Attribute:
        return c.attr.value == a.attr
    if kind is cst.BinaryOperation or kind is cst.UnaryOperation or kind is cst.BooleanOperation:
        return _operator(c.operator) == type(a.op).__name__
    if kind is cst.Comparison:
        return [_operator(t.operator) for t in c.comparisons] == [type(o).__name__ for o in a.ops]
    if kind is cst.FunctionDef:
        return c.name.value == a.name and (c.asynchronous is None) == (type(a) is ast.FunctionDef)
    if kind is cst.ClassDef:
        return c.name.value == a.name
    if kind is cst.For or kind is cst.With:
        return (c.asynchronous is None) == (type(a) is _MATCHED[kind][0])
    if kind is cst.Yield:
        return isinstance(c.value, cst.From) == (type(a) is ast.YieldFrom)
    return True


def _same_call(c: cst.Call, a: ast.Call) -> bool:
    if _name(c.func) != _name(a.func):
        return False
    keywords = [arg.keyword.value for arg in c.args if arg.keyword is not None]
    ast_keywords = [k.arg for k in a.keywords if k.arg is not None]
    return len(c.args) == len(a.args) + len(a.keywords) and keywords == ast_keywords


def _order(n: Any) -> Tuple[int, int, int, int]:
    return (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset)


class Positions:
    """``get(node)`` → the node's :class:`Span` (libcst's PositionProvider's, 1-based columns), on demand.

    Nodes of the matched kinds take CPython's positions (each kind is matched the first time one of
    it is asked for); any other node, or a kind the two parsers disagree on, takes libcst's from the
    codegen of the one top-level statement that holds it (no indentation above it, so its columns
    are the file's; its first line is CPython's line of that statement). Without the source text,
    or if the module's top-level statements do not pair with CPython's, the whole module's codegen.
    """

    def __init__(self, module: cst.Module, source: Optional[str] = None, tree: Optional[ast.Module] = None) -> None:
        self._module = module
        self._source = source
        self._tree = tree  # CPython's tree of ``source``, if the caller has it
        self._lines: Optional[List[str]] = None
        self._cst: Optional[Dict[type, List[cst.CSTNode]]] = None  # matched libcst nodes by kind
        self._ast: Optional[Dict[type, List[Any]]] = None  # their ``ast`` counterparts
        self._spans: Dict[type, Optional[Dict[cst.CSTNode, Span]]] = {}  # by kind; None: the parsers disagree
        self._known: Dict[cst.CSTNode, Span] = {}  # every span from CPython's so far
        self._unspanned: set = set()  # ids of this module's nodes of matched kinds that have no such span
        self._owner: Optional[Dict[int, int]] = None  # id(node) → index of its top-level statement
        self._statement_lines: Optional[List[int]] = None  # CPython's first line of each top-level statement
        self._partial: Dict[int, Tuple[Mapping[cst.CSTNode, Any], int]] = {}  # codegen of some top-level statements
        self._readable = source is not None  # CPython's tree of the source can be had
        self._full: Optional[Mapping[cst.CSTNode, Any]] = None

    @property
    def source(self) -> Optional[str]:
        """The source text, when the caller gave it."""
        return self._source

    def __contains__(self, node: object) -> bool:
        return self.get(node) is not None  # type: ignore[arg-type]

    def get(self, node: cst.CSTNode) -> Optional[Span]:
        span = self._known.get(node)
        if span is not None:
            return span
        kind = type(node)
        if kind in _MATCHED and self._full is None and kind not in self._spans:
            spans = self._kind(kind)
            span = spans.get(node) if spans is not None else None
            if span is not None:
                return span
        if kind in _MATCHED and self._spans.get(kind) is not None and id(node) not in self._unspanned:
            return None  # a node of another module (one the analysis imported)
        if kind is cst.Tuple and self._full is None:
            span = self._tuple(node)  # type: ignore[arg-type]
            if span is not None:
                return span
        return self._codegen_span(node)

    def _tuple(self, node: cst.Tuple) -> Optional[Span]:
        """A tuple without parentheses (``x, y = ...``) spans from its first item to its last: CPython's
        positions of those, when they are matched and have no parentheses or trailing comma of their own."""
        if node.lpar or len(node.elements) < 2:
            return None
        first, last = node.elements[0], node.elements[-1]
        if type(first) is not cst.Element or type(last) is not cst.Element or last.comma is not cst.MaybeSentinel.DEFAULT:
            return None
        if first.value.lpar or last.value.rpar:
            return None
        start, end = self._matched_span(first.value), self._matched_span(last.value)
        if start is None or end is None:
            return None
        return Span(start.line, start.column, end.end_line, end.end_column)

    def _kind(self, kind: type) -> Optional[Dict[cst.CSTNode, Span]]:
        """Spans of the nodes of one matched kind (matched the first time); None if the parsers disagree."""
        spans = self._spans.get(kind, _MISSING)
        if spans is _MISSING:
            spans = self._spans[kind] = self._match(kind)
            if spans is not None:
                self._known.update(spans)
        return spans

    def _matched_span(self, node: cst.CSTNode) -> Optional[Span]:
        """The node's span from CPython's parser, if its kind is matched (None otherwise)."""
        kind = type(node)
        if kind not in _MATCHED or self._full is not None:
            return None
        spans = self._kind(kind)
        return None if spans is None else spans.get(node)

    def text(self, node: cst.CSTNode) -> Optional[str]:
        """The node's source text, when it is an expression without parentheses of its own whose position
        comes from CPython's (then it is what libcst's codegen of the node gives); None otherwise."""
        if not isinstance(node, cst.BaseExpression) or getattr(node, "lpar", True):
            return None
        span = self._matched_span(node)
        if span is None:
            return None
        lines = self._source_lines()
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1:span.end_column - 1]
        return "\n".join([lines[span.line - 1][span.column - 1:], *lines[span.line:span.end_line - 1],
                          lines[span.end_line - 1][:span.end_column - 1]])

    # -- CPython's positions ----------------------------------------------
    def _source_lines(self) -> List[str]:
        if self._lines is None:
            self._lines = _split_lines(self._source or "")
        return self._lines

    def _cpython_tree(self) -> Optional[ast.Module]:
        if self._tree is None and self._readable:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._tree = ast.parse(self._source)  # type: ignore[arg-type]
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._readable = False  # not a text CPython reads: libcst's codegen only
        return self._tree

    def _match(self, kind: type) -> Optional[Dict[cst.CSTNode, Span]]:
        """Spans of the module's nodes of one kind from CPython's parser; None when the two parsers disagree."""
        if self._cst is None:
            tree = self._cpython_tree()
            if tree is None:
                return None
            try:
                (self._cst, self._unspanned), self._ast = _matched_nodes(self._module), _ast_nodes(tree)
            except RecursionError:
                self._readable = False
                return None
        assert self._ast is not None
        try:
            return _kind_spans(kind, self._cst[kind], self._ast[kind], self._source_lines(), self._unspanned)
        except RecursionError:  # a callee nested too deeply to compare
            return None

    # -- libcst's positions -------------------------------------------------
    def _codegen_span(self, node: cst.CSTNode) -> Optional[Span]:
        found = None if self._full is not None else self._statement_positions(node)
        if found is None:
            if self._full is None:
                try:
                    self._full = positions_of(self._module)
                except RecursionError:  # nested too deeply for libcst's codegen: no positions
                    self._full = {}
            found = (self._full, 0)
        positions, shift = found
        r = positions.get(node)
        if r is None:
            return None
        return Span(r.start.line + shift, r.start.column + 1, r.end.line + shift, r.end.column + 1)

    def _statement_positions(self, node: cst.CSTNode) -> Optional[Tuple[Mapping[cst.CSTNode, Any], int]]:
        """Positions of the nodes of the top-level statement that holds ``node``, from the codegen of that
        statement alone, and the lines to add to them; None: use the whole module's."""
        if self._owner is None:
            lines = self._top_level_lines()
            if lines is None:
                return None
            try:
                self._owner = _owners(self._module)
            except RecursionError:
                return None
            self._statement_lines = lines
        index = self._owner.get(id(node))
        if index is None:
            return {}, 0  # another module's node (a module the analysis imported)
        if index < 0:
            return None
        found = self._partial.get(index)
        if found is None:
            statement = self._module.body[index]
            try:
                relative = _codegen_positions(self._module, statement)
            except (RecursionError, ImportError, AttributeError, TypeError):
                return None
            assert self._statement_lines is not None
            found = self._partial[index] = (relative, self._statement_lines[index] - relative[statement].start.line)
        return found

    def _top_level_lines(self) -> Optional[List[int]]:
        """CPython's first line of each of the module's top-level statements; None if they do not pair."""
        tree = self._cpython_tree()
        if tree is None:
            return None
        lines: List[int] = []
        body, i = tree.body, 0
        for statement in self._module.body:
            count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
            if i + count > len(body) or not _same_statement(statement, body[i]):
                return None
            lines.append(body[i].lineno)
            i += count
        return lines if i == len(body) else None


_MISSING: Any = object()


def _kind_spans(kind: type, nodes: List[cst.CSTNode], found: List[Any], lines: List[str],
                unspanned: set) -> Optional[Dict[cst.CSTNode, Span]]:
    if len(nodes) != len(found):
        return None
    found = sorted(found, key=_order)
    spans: Dict[cst.CSTNode, Span] = {}
    statement = kind in _STATEMENTS
    for c, a in zip(nodes, found):
        if type(c) is cst.ConcatenatedString:  # stands for CPython's JoinedStr of ``"a" f"{b}"``
            if type(a) is not ast.JoinedStr or not _starts_with(lines, a, c):
                return None
            continue
        if not _same(c, a):
            return None
        if statement and _after_semicolon(lines, a.end_lineno, a.end_col_offset):
            unspanned.add(id(c))
            continue
        if kind is cst.FormattedString and not _starts_with(lines, a, c):
            return None  # ``...: f();``: CPython's statement ends after the semicolon, libcst's before (no span)
        line, column = a.lineno, _column(lines, a.lineno, a.col_offset) + 1
        spans[c] = Span(line, column, a.end_lineno, _column(lines, a.end_lineno, a.end_col_offset) + 1)
        if kind is cst.BooleanOperation and len(a.values) > 2 and not _chain(c, a, line, column, lines, spans):
            return None
    return spans


#: Matched statements: they end where their last statement does, which CPython and libcst see alike
#: unless a semicolon follows it.
_STATEMENTS = frozenset((cst.If, cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Try, cst.With))


def _starts_with(lines: List[str], a: Any, c: Any) -> bool:
    """Whether CPython's f-string begins with libcst's (its prefix and quote, or the first string of a
    concatenation; a concatenation holds no span)."""
    first = c
    while type(first) is cst.ConcatenatedString:
        first = first.left
    text = lines[a.lineno - 1] if 0 < a.lineno <= len(lines) else ""
    start = first.start if type(first) is cst.FormattedString else first.prefix + first.quote
    return text.encode("utf-8")[a.col_offset:a.col_offset + len(start.encode("utf-8"))].decode("utf-8", "replace") == start


def _after_semicolon(lines: List[str], line: int, offset: int) -> bool:
    """Whether a UTF-8 byte offset in a line comes right after a semicolon."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return offset > 0 and (text[offset - 1] if text.isascii() else chr(text.encode("utf-8")[offset - 1])) == ";"


def _chain(c: Any, a: ast.BoolOp, line: int, column: int, lines: List[str], spans: Dict[cst.CSTNode, Span]) -> bool:
    """Spans of the inner links of a chain ``a and b and c`` (libcst: ``(a and b) and c``) from CPython's one
    ``BoolOp``: each starts where the chain does and ends where its right operand does, unless that operand
    has parentheses (CPython's position of it leaves them out: such a link keeps no span). False if the
    chain is not as long in libcst."""
    for value in reversed(a.values[1:-1]):
        c = c.left
        if type(c) is not cst.BooleanOperation or _operator(c.operator) != type(a.op).__name__ or c.lpar:
            return False
        if not getattr(c.right, "rpar", None):
            spans[c] = Span(line, column, value.end_lineno, _column(lines, value.end_lineno, value.end_col_offset) + 1)
    return True


def _same_statement(c: cst.CSTNode, a: ast.stmt) -> bool:
    """Whether a top-level statement of libcst is (or, for a line of small statements, begins with) CPython's."""
    if isinstance(c, cst.SimpleStatementLine):
        return not isinstance(a, tuple(_AST_STATEMENTS))
    kinds = _MATCHED.get(type(c))
    return type(a) in kinds if kinds is not None else not isinstance(a, tuple(_SIMPLE_STATEMENTS))


#: ``ast`` statements that are compound in libcst (matched or not), and the small ones.
_AST_STATEMENTS = [getattr(ast, n) for n in ("If", "For", "AsyncFor", "While", "FunctionDef", "AsyncFunctionDef",
                                             "ClassDef", "Try", "TryStar", "With", "AsyncWith", "Match")
                   if hasattr(ast, n)]
_SIMPLE_STATEMENTS = [getattr(ast, n) for n in ("Expr", "Assign", "AugAssign", "AnnAssign", "Return", "Pass", "Break",
                                                "Continue", "Delete", "Raise", "Assert", "Import", "ImportFrom",
                                                "Global", "Nonlocal", "TypeAlias") if hasattr(ast, n)]


def _owners(module: cst.Module) -> Dict[int, int]:
    """id of every node of the module → index of the top-level statement that holds it (-1: none)."""
    owner: Dict[int, int] = {id(module): -1}  # -1: outside every statement (the module, its header and footer)
    for index, statement in ((-1, module.header), (-1, module.footer), *enumerate(module.body)):
        stack: List[Any] = [statement]
        pop, push = stack.pop, stack.append
        while stack:
            n = pop()
            kind = type(n)
            if kind is list or kind is tuple:
                stack.extend(n)
                continue
            owner[id(n)] = index
            for f in _all_fields(kind):
                value = getattr(n, f)
                if value is not None and type(value) is not str:
                    push(value)
    return owner


#: Per node type, every field that may hold a node (whitespace and punctuation too: they have positions).
_node_fields: Dict[type, Tuple[str, ...]] = {}


def _all_fields(kind: type) -> Tuple[str, ...]:
    names = _node_fields.get(kind)
    if names is None:
        if isinstance(kind, type) and issubclass(kind, cst.CSTNode):
            names = tuple(f for f in kind.__dataclass_fields__ if not f.startswith("__"))
        else:
            names = ()
        _node_fields[kind] = names
    return names


def _split_lines(source: str) -> List[str]:
    """The source's lines as CPython and libcst count them: ``\\n``, ``\\r\\n`` and ``\\r`` end a line
    (``str.splitlines`` also splits at form feeds and other characters that do not)."""
    if "\r" not in source:
        return source.split("\n")
    return re.split("\r\n|\r|\n", source)


def _match_calls(module: cst.Module, source: Optional[str],
                 tree: Optional[ast.Module] = None) -> Optional[Dict[cst.CSTNode, Span]]:
    """Spans of every node of the matched kinds from CPython's parser; None if the parsers disagree on a kind."""
    positions = Positions(module, source, tree)
    spans: Dict[cst.CSTNode, Span] = {}
    for kind in _MATCHED:
        found = positions._match(kind)
        if found is None:
            return None
        spans.update(found)
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
        return _codegen_positions(module, module)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - other libcst versions
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def _codegen_positions(module: cst.Module, node: cst.CSTNode) -> Mapping[cst.CSTNode, Any]:
    """libcst's PositionProvider's positions of ``node`` and the nodes under it, as if ``node`` began the
    file (``module`` gives the indentation and newline)."""
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    provider = PositionProvider()
    state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                          default_newline=module.default_newline, provider=provider)
    node._codegen(state)
    return provider._computed
