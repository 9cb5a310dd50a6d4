"""The fast position source (calls and operators matched with CPython's ast) gives exactly libcst's positions.

Checked against libcst's own PositionProvider on every fixture and on a seeded sample of the
standard library (real-world Python: decorators, f-strings, match statements, lambdas,
conditional expressions, non-ASCII text); and the fallback is taken when the parsers disagree.
"""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from kerascount.extract.positions import _MATCHED, Positions, _match_calls, positions_of

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _sources():
    fixtures = sorted(ROOT.glob("fixtures/**/*.py"))
    stdlib = sorted(p for p in STDLIB.rglob("*.py") if "site-packages" not in p.parts)
    return fixtures + random.Random(7).sample(stdlib, min(60, len(stdlib)))


def _reference(module):
    return {node: (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)
            for node, r in positions_of(module).items() if type(node) in _MATCHED}


def _check(source: str) -> int:
    module = cst.parse_module(source)
    fast = _match_calls(module, source)
    assert fast is not None, "the two parsers should agree on this file"
    reference = _reference(module)
    assert set(fast) == set(reference)
    for node, span in fast.items():
        assert (span.line, span.column, span.end_line, span.end_column) == reference[node], module.code_for_node(node)
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
