"""Spans and texts from CPython's ``ast`` are those libcst gave, for the nodes the analysis reports on.

The analysis read libcst's trees before; its reports quote and point at nodes. Every expression and
statement of a file, positioned by :class:`~kerascount.extract.positions.Positions` from CPython's tree,
must have a libcst node with the same span and text (``benchmarks/positions_check.py``, which also runs
on any files: the corpus). On every fixture, a seeded sample of the standard library, and tricky snippets.
"""

from __future__ import annotations

import ast
import random
import sys
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from kerascount.extract.positions import Positions
from kerascount.ir import Span

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])
sys.path.insert(0, str(ROOT / "benchmarks"))

from positions_check import differences  # noqa: E402


def _sources():
    fixtures = sorted(ROOT.glob("fixtures/**/*.py"))
    stdlib = sorted(p for p in STDLIB.rglob("*.py") if "site-packages" not in p.parts)
    return fixtures + random.Random(7).sample(stdlib, min(60, len(stdlib)))


def _check(source: str) -> int:
    """No difference with libcst; the number of expressions and statements compared."""
    assert differences(source) == []
    return sum(isinstance(n, (ast.expr, ast.stmt)) for n in ast.walk(ast.parse(source)))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_spans_and_texts_are_libcsts(path):
    try:
        source = path.read_text(encoding="utf-8")
        cst.parse_module(source)
        ast.parse(source)
    except (UnicodeDecodeError, cst.ParserSyntaxError, SyntaxError):
        pytest.skip("not a file both parsers read")
    _check(source)


TRICKY = [
    "x = f(a)(b)(c(d))\n",
    "y = (g)(h(1))\n",
    "z = a() if b() else c()\n",
    "@d(e())\ndef f(p=q(), *, r=s()) -> t():\n    return u()\n",
    "class K(base(), metaclass=m()):\n    v = w()\n",
    "s = f'{a(b)!r:>{c()}}'\n",
    "é = f('é', ñ(1))  # ünïcode\n",
    "try:\n    a()\nexcept b() as e:\n    c()\nfinally:\n    d()\n",
    "match m():\n    case [x] if g(x):\n        h()\n",
    "v = [f(i) for i in g() if h(i)]\nw = {k(): v() for k, v in z()}\n",
    "lam = lambda a=f(): g(a)\n",
    "def f(a=b(), /, c=d()):\n    pass\n",
    "y = -(a + b) * c[1:2, ::3] ** ~d\n",
    "z = (a)+(b) if not a < b <= c else x[f(y)][0] @ w\n",
    "t = a is not b in c not in d != e\n",
    "u = x[..., None] - (-1)\n",
    "def g(a: List[int] = x[0] + 1) -> Dict[str, y - 1]:\n    return a[0]\n",
    "v = f'{a + b!r:>{-c}}' + f'{d[0]}'\n",
    "import a.b.c as d\nfrom .e.f import (g, h as i)\nj = a.b.c.d(k.l).m[n.o]\n",
    "@a.b(c.d)\n@e\nclass K(f.g, metaclass=h.i):\n    @j.k\n    async def m(self):\n        async for x in y.z: pass\n",
    "w = a and b and c or d and (e) and f\nv = (a) and b or (c and d) and (e or f) or g\n",
    "u = a and (b) and (c) and d\nt = not a or b if c.d else e.f and g\n",
    "if a.b:\n    pass\nelif c.d:\n    x = [i.j for i in k.l]\nelse:\n    y = {m.n: o for o in p}\n",
    "while x.y:\n    try:\n        z = lambda q=r.s: (yield)\n    except T.U as e:\n        pass\n",
    "with a.b() as c.d, e:\n    f = {g.h, *i}\n    j = {**k, l.m: [n, o.p]}\n",
    "x = f(i.j for i in k)\ny = (a.b, c.d)\nz = f'{a.b!r:{c.d}}' f'{e.f}'\n",
    "\u00e9 = \u00e9.\u00f1(\u00fc.x) and \u00e9.y  # \u00e9\n",
    "a = b.c\r\nif d.e:\r\n    f = g.h\r\n",
    "a = 1\n\x0c\nb = c.d  # a form feed is no line break\nif b.e:\n    f = g.h\n",
    "x = (a.\n     b).c(d\n  .e)\ny = a \\\n    .b\n",
    "s = f'{a:>{w}}' 'b' f'{c!r}'\nt = ('x'\n     f'{d}')\nu = f\"{f'{e}'}\"\nv = rf'\\{g}' + F'{h=}' + f'{k}'\n",
    "def f():\n    if a.b: g();\n    h() ;  # c\nclass K: x = 1;\nfor i in j: pass ;\n",
]


@pytest.mark.parametrize("source", TRICKY)
def test_tricky_sources(source):
    assert _check(source) > 0


def test_nodes_of_other_modules_have_no_position():
    positions = Positions("a = f(1)\n")
    other = ast.parse("a = f(1)\n")
    positions.adopt(other, "a = f(1)\n")
    call = other.body[0].value
    assert positions.get(call) is None
    assert positions.text(call) == "f(1)"


def test_a_shared_module_tree_is_adopted_by_each_file_with_its_own_text():
    """A project module's tree is parsed once and adopted by every file that imports it (with all its nodes): each
    file reads its nodes' text from the module, its own nodes' spans and text from itself, the last adopted first."""
    module_text = "b = g(2)\n"
    module = ast.parse(module_text)
    nodes = tuple(ast.walk(module))
    for source in ("a = f(1)\n", "x = h(33)\n"):
        main = ast.parse(source)
        positions = Positions(source)
        positions.adopt(module, module_text, nodes)
        positions.adopt(ast.parse("c = k(3)\n"), "c = k(3)\n")
        assert positions.get(module.body[0].value) is None
        assert positions.text(module.body[0].value) == "g(2)"
        assert positions.text(main.body[0].value) == source[4:-1]
        assert positions.get(main.body[0].value) == Span(1, 5, 1, len(source))


def test_columns_count_characters_not_bytes():
    source = "é = f('ñ', g(1))  # ü\n"
    call = ast.parse(source).body[0].value.args[1]
    assert Positions(source).get(call) == Span(1, 12, 1, 16)


def test_own_parentheses_are_in_the_text_not_the_span():
    source = "x = f((a + b), ((c)), (d, e))\n"
    args = ast.parse(source).body[0].value.args
    positions = Positions(source)
    assert [positions.text(a) for a in args] == ["(a + b)", "((c))", "(d, e)"]
    assert [positions.get(a) for a in args] == [Span(1, 8, 1, 13), Span(1, 18, 1, 19), Span(1, 24, 1, 28)]
