"""Big files, read cheaply: data tables and unrelated code are skipped before the parse.

Parsing with libcst cost about 4 ms per KB of code (CPython's ``ast``, used now, about a tenth of that)
and the analysis after it as much again, so a 600 KB file cost seconds and hundreds of MB. Big files are rarely big because of their models: they
hold data (a vocabulary, a weight table) or a lot of other code. For a file longer than
:data:`BIG` characters, before anything else is parsed, one regular-expression scan (strings,
comments, brackets and line ends; no Python tokenizer, no ``ast``, whose trees of a 1 MB file cost
0.4-0.9 s and 150-280 MB) finds:

1. **Data displays**: a list, tuple, set or dict display of at least :data:`MAX_ITEMS` items or
   :data:`MAX_DISPLAY_CHARS` characters that holds only constants (numbers, strings, ``True``,
   ``False``, ``None``: no name, so no layer, model or variable). Its text is replaced by a call of an
   undefined name, ``__kc_skipped__(...)``, padded with the same line breaks and the same
   number of characters, so every line and column after it keeps its place; the interpreter knows
   nothing about the value, so what is computed from it (``Dense(len(CLASSES))``) is reported as
   symbolic or unknown, never from a wrong value. A KC902 note on the display's line says so.
2. **Unrelated top-level statements**, if the file is still longer than :data:`BIG` without its
   data: a statement is kept if it mentions "keras", or a name that a kept statement also mentions
   (repeated until nothing changes); the others share no name with the Keras code, so they cannot
   change what it builds, and are replaced by empty lines. Builtin names (``print``, ``len``) and
   ``self``/``cls`` do not link statements unless a statement binds them (``len = ...``). One KC902
   note counts what was skipped.
3. If what is left is still longer than :data:`MAX_CODE` characters, the file is not analysed (one
   KC902 note), so that no file costs more than about a second.

Trade-offs: the scan does not check the syntax inside a skipped display (a missing comma there is
not reported as KC000); a display is recognised by the character before its bracket, so one after
a comment on the previous line is kept; a big display holding any name is kept. The statement
slice follows names only: code that reaches the Keras code through ``globals()`` or ``exec`` is
not followed (the interpreter does not follow it either). A scan that finds something it does not
expect (a quote that starts no string, unbalanced brackets) changes nothing; a file too long to
analyse is then reported as such.
"""

from __future__ import annotations

import bisect
import builtins
import keyword
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from ..ir import Note, Span
from . import BIG  # noqa: F401 - files up to this many characters are analysed as they are
#: A constant display of at least this many items (commas) is skipped in a big file...
MAX_ITEMS = 1_000
#: ... and one of at least this many characters.
MAX_DISPLAY_CHARS = 20_000
#: After skipping, a file with more than this many characters of code left is not analysed.
MAX_CODE = 200_000
#: Displays shorter than this are not looked at (smaller than any skipped one).
_MIN_LOOK = min(MAX_DISPLAY_CHARS, 2 * MAX_ITEMS)
#: Strings at least this long are not counted as code (one token for the parser).
_LONG_STRING = 1_000
#: KC902 notes for skipped displays, per file (one more says how many others there were).
MAX_NOTES = 20

#: Not "kerascount": a statement holding it must not look like Keras code to the statement slice.
PLACEHOLDER = "__kc_skipped__"

_STRING_PATTERN = r"""[rRbBuUfF]{0,3}(?:
        '''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
      | \"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
      | '[^'\\\n]*(?:\\.[^'\\\n]*)*'
      | "[^"\\\n]*(?:\\.[^"\\\n]*)*")"""
_STRING = re.compile(_STRING_PATTERN, re.S | re.X)
_TOKENS = re.compile(rf"""
    (?P<s>{_STRING_PATTERN})
  | (?P<c>\#[^\n]*)
  | (?P<o>[\[({{])
  | (?P<x>[\])}}])
  | (?P<n>\\?\r?\n)
  | (?P<q>['"])
""", re.S | re.X)
_COMMENT = re.compile(r"#[^\n]*")
#: A name in code with the strings taken out: not part of a number (``1e5``, ``0x1f``) or an attribute.
_NAME_IN_DATA = re.compile(r"(?<![\w.])(?!(?:True|False|None)\b)[^\W\d]")
_NAME = re.compile(r"[^\W\d]\w*")
#: A name a statement binds: ``def``/``class``/``import``/``as``/``for``/``global`` name, ``name =``, ``name :=``.
_BINDING = re.compile(r"(?:\b(?:def|class|as|global|nonlocal|import|for)\s+|^[ \t]*(?=[^\W\d]\w*[ \t]*(?::[^=\n]*)?=(?!=))"
                      r"|(?<!\w)(?=[^\W\d]\w*[ \t]*:=))([^\W\d]\w*)", re.M)
_CLOSE = {"]": "[", ")": "(", "}": "{"}
_KEYWORDS = frozenset(keyword.kwlist) | {"match", "case", "type", "_"}
_UNLINKING = frozenset(dir(builtins)) | _KEYWORDS | {"self", "cls"}
_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")


@dataclass(frozen=True)
class Reduced:
    """The text to analyse (same lines and columns as the file) and what was skipped."""

    text: str
    notes: Tuple[Note, ...] = ()
    #: The file is not analysed at all (``notes`` says why).
    refused: bool = False


def reduce(source: str) -> Reduced:
    """The source with its big data displays and its statements unrelated to Keras skipped, if it is big."""
    if len(source) <= BIG:
        return Reduced(source)
    scan = _scan(source)
    if scan is None:
        return _refused(source, "its text could not be read cheaply (an unterminated string or "
                                             "unbalanced brackets?)")
    found, statement_starts, strings = scan
    parts: List[str] = []
    notes: List[Note] = []
    displays: List[Tuple[int, int]] = []
    pos, line = 0, 1
    for start, end in found:
        placeholder = _placeholder(source[start:end])
        if placeholder is None:
            continue
        parts.append(source[pos:start])
        parts.append(placeholder)  # as long as the display: offsets in the text stay those of the source
        line += source.count("\n", pos, start)
        if len(displays) < MAX_NOTES:
            notes.append(_display_note(source, start, end, line))
        line += source.count("\n", start, end)
        displays.append((start, end))
        pos = end
    parts.append(source[pos:])
    text = "".join(parts)
    if len(displays) > MAX_NOTES:
        notes.append(Note("KC902", f"{len(displays) - MAX_NOTES:,} more data displays were skipped", Span(1, 1, 1, 2)))
    skipped = displays
    if len(source) - sum(end - start for start, end in displays) > BIG:
        text, dropped, note = _slice(text, statement_starts)
        if note is not None:
            notes.append(note)
            skipped = _union(displays + dropped)
    # Code left: long strings cost the parser little (one token each), so they are not counted.
    code = len(source) - sum(end - start for start, end in skipped) - sum(
        end - start for start, end in strings if not _inside(start, skipped))
    if code > MAX_CODE:
        return _refused(source, f"{code // 1000:,} KB of code remain after skipping data and statements "
                                f"unrelated to Keras")
    return Reduced(text, tuple(notes))


def _union(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters."""
    out: List[Tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _refused(source: str, why: str) -> Reduced:
    message = (f"the file is too large to analyse ({len(source) // 1000:,} KB): {why}; "
               f"the limit is {MAX_CODE // 1000:,} KB of code")
    return Reduced(source, (Note("KC902", message, Span(1, 1, 1, 2)),), refused=True)


def _display_note(source: str, start: int, end: int, line: int) -> Note:
    kind = {"[": "list", "(": "tuple", "{": "dict or set"}[source[start]]
    items = source.count(",", start, end) + 1
    col = start - (source.rfind("\n", 0, start) + 1) + 1
    message = (f"big file: a {kind} of constants ({items:,} items, {(end - start) // 1000:,} KB) is not read, "
               f"to keep the analysis short; what is computed from it is not known")
    return Note("KC902", message, Span(line, col, line, col + 1))


def _placeholder(region: str) -> Optional[str]:
    """``__kc_skipped__(...)`` as long as the region, with its line breaks, ending at the column it ended at.

    The line breaks are in a string constant and so is the padding when it is long: a string is one
    token (libcst, used before, kept a run of blank lines or spaces between brackets at about 200 bytes
    a character). None if the region is too short for that (mostly blank lines).
    """
    breaks = region.count("\n")
    head = PLACEHOLDER + "("
    if not breaks:
        return head + _pad(len(region) - len(head) - 1) + ")"
    last = len(region) - (region.rfind("\n") + 1)  # the last line's characters, the bracket included
    fill = len(region) - (len(head) + 6 + breaks + last)
    if fill < 0:
        return None
    return head + '"""' + "_" * fill + "\n" * (breaks - 1) + '"""' + "\n" + _pad(last - 1) + ")"


def _lines(breaks: int) -> str:
    """A string constant spanning ``breaks`` line breaks."""
    return '"""' + "\n" * breaks + '"""'


def _pad(n: int) -> str:
    return " " * n if n < 64 else "'" + "_" * (n - 2) + "'"


def _inside(pos: int, spans: List[Tuple[int, int]]) -> bool:
    """Whether ``pos`` is in one of the sorted, disjoint (start, end) spans."""
    i = bisect.bisect_right(spans, (pos, len(spans) and 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _scan(source: str) -> Optional[Tuple[List[Tuple[int, int]], List[int], List[Tuple[int, int]]]]:
    """(the data displays to skip as (start, end), sorted; the offsets where top-level logical lines
    start; the strings of at least :data:`_LONG_STRING` characters).

    None if the text is not what the scan expects.
    """
    stack: List[Tuple[str, int]] = []
    displays: List[Tuple[int, int]] = []
    starts = [0]
    strings: List[Tuple[int, int]] = []
    for m in _TOKENS.finditer(source):
        kind = m.lastgroup
        if kind == "s":
            if m.end() - m.start() >= _LONG_STRING:
                strings.append(m.span())
        elif kind == "n":
            if not stack and not m.group().startswith("\\"):
                starts.append(m.end())
        elif kind == "o":
            stack.append((m.group(), m.start()))
        elif kind == "x":
            if not stack or stack[-1][0] != _CLOSE[m.group()]:
                return None
            _, start = stack.pop()
            end = m.end()
            if end - start >= _MIN_LOOK and _is_display(source, start) and _is_data(source, start, end):
                while displays and displays[-1][0] > start:  # an inner one, now inside this one
                    displays.pop()
                displays.append((start, end))
        elif kind == "q":
            return None
    if stack:
        return None
    return displays, starts, strings


def _is_display(source: str, start: int) -> bool:
    """Whether the bracket at ``start`` opens a display (not a call's or a subscript's)."""
    i = start - 1
    while i >= 0 and source[i] in " \t\r\n\\":
        i -= 1
    if i < 0:
        return True
    before = source[i]
    if before in ")]}'\"":
        return False
    if before.isalnum() or before == "_":
        j = i
        while j > 0 and (source[j - 1].isalnum() or source[j - 1] == "_"):
            j -= 1
        return source[j:i + 1] in _KEYWORDS  # `return [`, `in (`: a display; `f(`, `x[`: not
    return True


def _is_data(source: str, start: int, end: int) -> bool:
    """Whether the display holds constants only and is big enough to skip."""
    region = source[start:end]
    code = _STRING.sub("''", region)
    if "#" in code:
        code = _COMMENT.sub("", code)
    if _NAME_IN_DATA.search(code):
        return False
    return region.count(",") + 1 >= MAX_ITEMS or len(region) >= MAX_DISPLAY_CHARS


def _slice(text: str, starts: List[int]) -> Tuple[str, List[Tuple[int, int]], Optional[Note]]:
    """The text with the top-level statements that share no name with the Keras code replaced by empty lines."""
    chunks = _statements(text, starts)
    names: List[Set[str]] = []
    linking: List[Set[str]] = []
    for s, e in chunks:
        mentioned = set(_NAME.findall(text, s, e))
        names.append(mentioned)
        bound = {n for n in _BINDING.findall(text, s, e) if n in _UNLINKING}
        linking.append((mentioned - _UNLINKING) | bound)
    by_name: Dict[str, List[int]] = {}
    for i, link in enumerate(linking):
        for n in link:
            by_name.setdefault(n, []).append(i)
    kept = [False] * len(chunks)
    todo = [i for i, (s, e) in enumerate(chunks) if text.find("keras", s, e) >= 0 or text.find("__future__", s, e) >= 0]
    seen: Set[str] = set()
    for i in todo:
        kept[i] = True
    while todo:
        i = todo.pop()
        for n in names[i] - seen:
            seen.add(n)
            for j in by_name.get(n, ()):
                if not kept[j]:
                    kept[j] = True
                    todo.append(j)
    dropped = [c for c, k in zip(chunks, kept) if not k]
    if not dropped:
        return text, [], None
    parts: List[str] = []
    pos = 0
    for s, e in _merged(dropped):
        parts.append(text[pos:s])
        breaks = text.count("\n", s, e)
        parts.append(_lines(breaks - 1) + "\n" if text[e - 1] == "\n" else _lines(breaks))
        pos = e
    parts.append(text[pos:])
    lines = sum(text.count("\n", s, e) for s, e in dropped)
    message = (f"big file: {len(dropped):,} top-level statements ({lines:,} lines) that share no name with the "
               f"Keras code are not read, to keep the analysis short")
    return "".join(parts), dropped, Note("KC902", message, Span(1, 1, 1, 2))


def _merged(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Adjacent spans joined: skipped statements in a row become one string constant."""
    out: List[Tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _statements(text: str, starts: List[int]) -> List[Tuple[int, int]]:
    """Top-level statements as (start, end): a statement's indented body, its ``else``/``except``
    clauses, and the decorators, comments and blank lines before the next statement belong to it."""
    bounds: List[int] = []
    decorated = False
    for p in starts:
        c = text[p:p + 1]
        if not c or c in " \t\r\n#\\\f":
            continue
        if decorated or _CONTINUES.match(text, p):
            decorated = c == "@"
            continue
        bounds.append(p)
        decorated = c == "@"
    if not bounds or bounds[0] != 0:
        bounds.insert(0, 0)
    bounds.append(len(text))
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
