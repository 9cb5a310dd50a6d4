"""Positions give exactly libcst's positions, without libcst's codegen of the whole module.

Every node of a file is checked against libcst's own PositionProvider: the nodes matched with
CPython's ``ast`` (calls, operators, attributes, ``if``/``for``/``def``...) and all others (from the
codegen of their top-level statement); ``Positions.text`` against libcst's codegen of the node. On
every fixture and on a seeded sample of the standard library (real-world Python: decorators,
f-strings, match statements, lambdas, conditional expressions, non-ASCII text); and the fallback
is taken when the parsers disagree. ``benchmarks/positions_check.py`` runs the same check on any files
(the corpus).
"""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from kerascount.extract.positions import Positions, _match_calls, _owners, positions_of
from kerascount.ir import Span

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _sources():
    fixtures = sorted(ROOT.glob("fixtures/**/*.py"))
    stdlib = sorted(p for p in STDLIB.rglob("*.py") if "site-packages" not in p.parts)
    return fixtures + random.Random(7).sample(stdlib, min(60, len(stdlib)))


def _check(source: str) -> int:
    """Compare every node's position and text; the number of nodes positioned by CPython's parser."""
    module = cst.parse_module(source)
    fast = _match_calls(module, source)
    assert fast is not None, "the two parsers should agree on this file"
    positions = Positions(module, source)
    owners = _owners(module)
    for node, r in positions_of(module).items():
        if owners[id(node)] < 0:  # the module, its header and footer: these take the module's codegen
            continue
        expected = Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)
        assert positions.get(node) == expected, (type(node).__name__, module.code_for_node(node))
        if node in fast:
            assert fast[node] == expected
        text = positions.text(node)
        if text is not None:
            assert text.split() == module.code_for_node(node).split()
    assert positions._full is None, "the whole module's codegen was run"
    return len(fast)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_calls_and_operators_have_libcst_positions(path):
    try:
        source = path.read_text(encoding="utf-8")
        cst.parse_module(source)
    except (UnicodeDecodeError, cst.ParserSyntaxError):
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
def test_tricky_orders(source):
    assert _check(source) > 0


def test_disagreement_falls_back_to_libcst():
    """If the matched calls differ (here: the text given is not the module's), libcst's codegen is used."""
    module = cst.parse_module("a = f(1)\nb = g(2)\n")
    call = module.body[1].body[0].value
    positions = Positions(module, "a = g(1)\nb = f(2)\n")
    assert positions.get(call) is not None
    assert (positions.get(call).line, positions.get(call).column) == (2, 5)
    assert _match_calls(module, "a = g(1)\nb = f(2)\n") is None


def test_nodes_of_other_modules_have_no_position():
    module = cst.parse_module("a = f(1)\n")
    other = cst.parse_module("a = f(1)\n").body[0].body[0].value
    assert Positions(module, "a = f(1)\n").get(other) is None
