"""Line and column of the ``ast`` nodes the analysis reports on, and their source text.

CPython's parser gives every expression and statement its position: line numbers from 1, columns as
UTF-8 byte offsets from 0, the end exclusive. A :class:`~kerascount.ir.Span` counts columns in
characters from 1: this module converts. The analysis read libcst's trees before, and what the
reports show is kept as it was then:

- a node spans what CPython says, but a tuple and a generator expression leave out their own
  parentheses (``(a, b)`` spans ``a, b``), as libcst's positions did;
- the text of an expression (:meth:`Positions.text`) is its source with the parentheses around it
  that are its own (``((x))``, not a call's ``f(x)``), as libcst's nodes held them;
- the text of a statement of a block, with ``line=True``, also holds the comments just above it and
  at the end of its line (and a compound statement's decorators and the comments indented under it
  after its last line), as libcst's lines of statements did.

Nodes of other modules the analysis reads (a module of the project, a known helper, the text of an
``exec``) are :meth:`adopted <Positions.adopt>`: they have no span in this file, and their text comes
from their own source.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Dict, List, Optional, Tuple

from ..nodes import children as ast_children
from ..ir import Span
from .collect import _per_node

#: Nodes whose span in CPython's tree holds their parentheses: libcst's left them out.
_PARENTHESISED = (ast.Tuple, ast.GeneratorExp)
#: Keywords after which ``(`` opens an expression's own parentheses (after any other name, a call's).
_KEYWORDS = frozenset(("and", "or", "not", "in", "is", "if", "elif", "else", "while", "for", "return", "yield",
                       "await", "assert", "del", "lambda", "import", "from", "raise", "with", "as", "except",
                       "async", "global", "nonlocal"))


_MISSING: Any = object()


class _Source:
    """One module's text, split in lines as CPython counts them, with character columns on demand."""

    __slots__ = ("text", "lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def column(self, line: int, offset: int) -> int:
        """A UTF-8 byte offset in a line (CPython's unit) as a 0-based character column."""
        text = self.line(line)
        if text.isascii():
            return offset
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))

    def bounds(self, node: Any) -> Optional[Tuple[int, int, int, int]]:
        """(line, column, end line, end column) of a node, 0-based character columns; None without a position."""
        line = getattr(node, "lineno", None)
        end = getattr(node, "end_lineno", None)
        if line is None or end is None:
            return None
        return line, self.column(line, node.col_offset), end, self.column(end, node.end_col_offset)

    def slice(self, line: int, col: int, end_line: int, end_col: int) -> str:
        if line == end_line:
            return self.line(line)[col:end_col]
        return "\n".join([self.line(line)[col:], *self.lines[line:end_line - 1], self.line(end_line)[:end_col]])

    # -- scanning around a node -----------------------------------------------
    def before(self, line: int, col: int) -> Optional[Tuple[int, int, str]]:
        """The last character before (line, col) that is no space, comment or line continuation."""
        text = self.line(line)[:col]
        while True:
            stripped = text.rstrip(" \t\f\\\r")
            if stripped:
                return line, len(stripped) - 1, stripped[-1]
            line -= 1
            if line < 1:
                return None
            text = _code_part(self.line(line))

    def after(self, line: int, col: int) -> Optional[Tuple[int, int, str]]:
        """The first character from (line, col) on that is no space, comment or line continuation."""
        while line <= len(self.lines):
            text = self.line(line)
            i = col
            while i < len(text) and text[i] in " \t\f\\":
                i += 1
            if i < len(text) and text[i] != "#":
                return line, i, text[i]
            line, col = line + 1, 0
        return None


def _code_part(line: str) -> str:
    """A line without its comment, when it has one outside strings (a good guess: only where no quote
    precedes the ``#``)."""
    at = line.find("#")
    if at < 0 or "'" in line[:at] or '"' in line[:at]:
        return line
    return line[:at]


def split_lines(source: str) -> List[str]:
    """The source's lines as CPython counts them: ``\\n``, ``\\r\\n`` and ``\\r`` end a line
    (``str.splitlines`` also splits at form feeds and other characters that do not)."""
    if "\r" not in source:
        return source.split("\n")
    return re.split("\r\n|\r|\n", source)


_WORD_END = re.compile(r"[A-Za-z0-9_]+$")


class Positions:
    """``get(node)`` → the node's :class:`Span` (1-based columns, end exclusive); ``text(node)`` → its source."""

    def __init__(self, source: str) -> None:
        self._main = _Source(source)
        #: The adopted trees' nodes (by id) and their source, the last adopted first.
        self._foreign: List[Tuple[Dict[int, None], _Source]] = []
        self._kept: List[Any] = []  # adopted trees, alive so that their nodes' ids stay theirs
        #: The adopted trees' nodes (by id) and the tree, the last adopted first (:meth:`tree_of`).
        self._owners: List[Tuple[Dict[int, None], Any]] = []
        #: Spans asked for so far, by id of a node of this module (nodes made by the analysis are not asked).
        self._spans: Dict[int, Optional[Span]] = {}

    @property
    def source(self) -> str:
        return self._main.text

    def mentions(self, word: str) -> bool:
        """Whether this module's source, or that of a module adopted so far, holds ``word``."""
        return word in self._main.text or any(word in source.text for _, source in self._foreign)

    def adopt(self, tree: Any, source: str, nodes: Optional[Tuple[Any, ...]] = None) -> None:
        """Nodes of another module (or of a text run by ``exec``): no span here; their text from ``source``.
        ``nodes``: all the tree's nodes, when the caller has them (a project module's tree, parsed once in a run
        and read by every file that imports it: their ids and its source are kept on the tree, made once)."""
        self._kept.append(tree)
        if nodes is not None:
            held = _per_node("adopted", tree, lambda t: (dict.fromkeys(map(id, nodes)), _Source(source)))
            if held[1].text is source or held[1].text == source:
                self._foreign.insert(0, held)
                self._owners.insert(0, (held[0], tree))
                return
        ids: Dict[int, None] = {}
        stack = [tree]
        while stack:
            n = stack.pop()
            ids[id(n)] = None
            stack.extend(ast_children(n))
        self._foreign.insert(0, (ids, _Source(source)))
        self._owners.insert(0, (ids, tree))

    def tree_of(self, node: Any) -> Optional[Any]:
        """The adopted tree (another module's, or a text run by ``exec``) that holds ``node``; None for a node of
        this module (or one the analysis made)."""
        key = id(node)
        for ids, tree in self._owners:
            if key in ids:
                return tree
        return None

    def _source(self, node: Any) -> _Source:
        """The source a node is from: the module's, or that of the adopted tree that holds it."""
        key = id(node)
        for ids, src in self._foreign:
            if key in ids:
                return src
        return self._main

    def get(self, node: Any) -> Optional[Span]:
        key = id(node)
        span = self._spans.get(key, _MISSING)
        if span is _MISSING:
            span = self._spans[key] = self._span(node)
        return span

    def _span(self, node: Any) -> Optional[Span]:
        src = self._source(node)
        if src is not self._main:
            return None
        b = src.bounds(node)
        if b is None:
            return None
        if isinstance(node, _PARENTHESISED):
            b = _inside_parentheses(src, b, node)
        return Span(b[0], b[1] + 1, b[2], b[3] + 1)

    def text(self, node: Any, line: bool = False, previous: Any = None) -> str:
        """The node's source with its own parentheses; ``ast.unparse`` for a node without a position. With
        ``line``, a statement's text holds the comments libcst kept with it (see ``_statement_text``;
        ``previous``: the statement before it in its block, if any)."""
        src = self._source(node)
        b = src.bounds(node)
        if b is None:
            return ast.unparse(node) if hasattr(ast, "unparse") else ""
        if line and isinstance(node, ast.stmt):
            return _statement_text(src, b, node, previous)
        if isinstance(node, _PARENTHESISED):
            b = _inside_parentheses(src, b, node)
        if isinstance(node, ast.expr):
            b = _own_parentheses(src, b, node)
        return src.slice(*b)

    def starts_with(self, node: Any, prefix: str) -> bool:
        """Whether the node's source begins with ``prefix`` (``elif``)."""
        src = self._source(node)
        line = getattr(node, "lineno", None)
        if line is None:
            return False
        text = src.line(line)
        return text.encode("utf-8")[node.col_offset:node.col_offset + len(prefix)].decode("utf-8", "replace") == prefix \
            if not text.isascii() else text.startswith(prefix, node.col_offset)

    def parenthesized(self, node: Any) -> bool:
        """Whether a tuple is written in parentheses (``x[(a, b)]``, not ``x[a, b]``)."""
        src = self._source(node)
        b = src.bounds(node)
        return b is not None and _inside_parentheses(src, b, node) != b


def _inside_parentheses(src: _Source, b: Tuple[int, int, int, int], node: Any) -> Tuple[int, int, int, int]:
    """A tuple's or generator's bounds without its parentheses (and the spaces inside them)."""
    line, col, end_line, end_col = b
    if src.line(line)[col:col + 1] != "(" or src.line(end_line)[end_col - 1:end_col] != ")":
        return b
    if isinstance(node, ast.Tuple) and node.elts:
        first = src.bounds(node.elts[0])
        if first is not None and _own_parentheses(src, first, node.elts[0])[:2] == (line, col):
            return b  # (a), b: the parenthesis is the first item's
    start = src.after(line, col + 1)
    end = src.before(end_line, end_col - 1)
    if start is None or end is None:
        return b
    return start[0], start[1], end[0], end[1] + 1


def is_concatenation(text: str) -> bool:
    """Whether a string literal's text is several strings one after the other (``"a" f"{b}"``)."""
    import io
    import tokenize

    count = depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            name = tokenize.tok_name.get(tok.type, "")
            if name == "FSTRING_START":
                count += depth == 0
                depth += 1
            elif name == "FSTRING_END":
                depth -= 1
            elif tok.type == tokenize.STRING and depth == 0:
                count += 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return False
    return count > 1


def fstring_parts(text: str) -> List[str]:
    """The f-strings of a string literal's text, as written (on Python 3.12+, their literal parts)."""
    import io
    import tokenize

    out: List[str] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            name = tokenize.tok_name.get(tok.type, "")
            if name == "FSTRING_MIDDLE":
                out.append(tok.string)
            elif tok.type == tokenize.STRING and "f" in tok.string.split(tok.string[-1], 1)[0].lower():
                out.append(tok.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [text]
    return out


def _own_parentheses(src: _Source, b: Tuple[int, int, int, int], node: Any) -> Tuple[int, int, int, int]:
    """The bounds widened to the parentheses that enclose only this expression (``((x))``), not a call's."""
    line, col, end_line, end_col = b
    while True:
        left = src.before(line, col)
        right = src.after(end_line, end_col)
        if left is None or right is None or left[2] != "(" or right[2] != ")":
            return line, col, end_line, end_col
        prior = src.before(left[0], left[1])
        if prior is not None and prior[0] == left[0]:  # (a call's parenthesis never begins a line)
            ch = prior[2]
            if ch in ")]" or ch in "'\"":
                return line, col, end_line, end_col  # a call's parentheses: f(x), g()(x), "{}".format(x)
            if ch.isalnum() or ch == "_":
                word = _WORD_END.search(src.line(prior[0])[:prior[1] + 1])
                if word is None or word.group() not in _KEYWORDS:
                    return line, col, end_line, end_col  # f(x), class A(B), def f(x)
        line, col, end_line, end_col = left[0], left[1], right[0], right[1] + 1


def _statement_text(src: _Source, b: Tuple[int, int, int, int], node: Any, previous: Any) -> str:
    """A statement's text as libcst printed it: the comment lines just above it that it owns, the statement,
    the comment at the end of its last line, and for a compound statement the comments after it that its
    last block owns.

    libcst gives the comment lines after a block, up to the last one indented at least as far as the
    block's statements, to that block (its footer); the lines after those go to the next statement."""
    line, col, end_line, end_col = b
    decorators = getattr(node, "decorator_list", None)
    if decorators:  # libcst's statement begins at its first decorator
        line = decorators[0].lineno
        col = len(src.line(line)) - len(src.line(line).lstrip())
    first = line
    above = line - 1
    while above >= 1 and (not src.line(above).strip() or src.line(above).strip().startswith("#")):
        above -= 1
    footer = _block_indent(src, previous) if previous is not None and not isinstance(previous, _SMALL) else None
    start = _last_indented(src, above + 1, line, footer) + 1 if footer is not None else above + 1
    for n in range(start, line):
        if src.line(n).strip():
            first = n
            break
    head = "\n".join(src.lines[first - 1:line - 1]) + "\n" if first != line else ""
    tail = src.line(end_line)[end_col:]
    rest = tail.strip()
    trailing = rest.startswith(("#", "\\")) or rest.startswith(";") and (not rest[1:].strip() or rest[1:].strip()[0] == "#")
    out = head + src.slice(line, col, end_line, end_col) + (tail if trailing else "")
    indent = _block_indent(src, node) if not isinstance(node, _SMALL) else None
    if indent is not None:
        following = end_line + 1
        while following <= len(src.lines) and (not src.line(following).strip() or
                                                src.line(following).strip().startswith("#")):
            following += 1
        last = _last_indented(src, end_line + 1, following, indent)
        if last > end_line:
            out += "\n" + "\n".join(src.lines[end_line:last])
    return out


def _last_indented(src: _Source, start: int, stop: int, indent: int) -> int:
    """The last line from ``start`` to before ``stop`` (comments and blank lines) that begins with at least
    ``indent`` spaces, a line of spaces alone too, as libcst reads indentation (``start - 1`` if none)."""
    last = start - 1
    for n in range(start, stop):
        text = src.line(n)
        if len(text) - len(text.lstrip()) >= indent:
            last = n
    return last


def _block_indent(src: _Source, node: Any) -> Optional[int]:
    """The indentation of the statements of a compound statement's last block (None: on its header's line)."""
    block = None
    while block is None:
        if isinstance(node, ast.If) and len(node.orelse) == 1 and type(node.orelse[0]) is ast.If and \
                src.line(node.orelse[0].lineno).lstrip().startswith("elif"):
            node = node.orelse[0]
            continue
        for field in ("finalbody", "orelse", "handlers", "cases", "body"):
            value = getattr(node, field, None)
            if value:
                block = value[-1].body if field in ("handlers", "cases") else value
                break
        else:
            return None
    first = block[0]
    if first.lineno == node.lineno or src.line(first.lineno)[:first.col_offset].strip():
        return None  # ``if x: y``: no block of its own
    return len(src.line(first.lineno)) - len(src.line(first.lineno).lstrip())


#: Statements libcst held in a line of small statements.
_SMALL = tuple(getattr(ast, n) for n in ("Expr", "Assign", "AugAssign", "AnnAssign", "Return", "Pass", "Break",
                                         "Continue", "Delete", "Raise", "Assert", "Import", "ImportFrom", "Global",
                                         "Nonlocal", "TypeAlias") if hasattr(ast, n))
