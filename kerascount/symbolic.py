"""Exact integer arithmetic over names that the source does not resolve.

A dimension or a parameter count is either an ``int`` (exact), an :class:`Expr`
(symbolic: a polynomial with integer coefficients over atoms such as ``HEIGHT``
or ``ceil(HEIGHT/2)``), or ``None`` (Keras's own ``None``: unknown until run
time). Arithmetic on ``Expr`` folds to ``int`` as soon as the result is constant,
so code written for ints (``k * k * cin * filters + filters``) works unchanged.

Nothing here knows about libcst or Keras.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, Optional, Sequence, Tuple, Union

__all__ = ["Expr", "Dim", "symbol", "symbol_names", "floordiv", "ceildiv", "multiple", "render", "MAX_TERMS"]

#: Expressions with more terms than this are not built; callers get ``TooComplex``.
MAX_TERMS = 64


class TooComplex(ArithmeticError):
    """A symbolic expression grew past :data:`MAX_TERMS`."""


class _Atom:
    """A factor of a monomial: a name or a rounded division."""

    __slots__ = ("key", "text", "names", "division")

    def __init__(self, key: str, text: str, names: Tuple[str, ...] = (),
                 division: "Optional[Tuple[str, Expr, int]]" = None) -> None:
        self.key = key
        self.text = text
        #: The symbols it is made of (a name's own; a rounded division's, of its numerator): what
        #: ``symbol_names`` lists. Not part of its identity (``key`` is).
        self.names = names
        #: A rounded division's kind, numerator and denominator (``("floor", x, 2)`` for ``floor(x/2)``), which
        #: ``_divide`` reads to fold a division of it; None for a name (and for an atom read back from the cache).
        self.division = division

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Atom) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __lt__(self, other: "_Atom") -> bool:
        return self.key < other.key


Monomial = Tuple[Tuple[_Atom, int], ...]


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    powers: Dict[_Atom, int] = dict(a)
    for atom, p in b:
        powers[atom] = powers.get(atom, 0) + p
    return tuple(sorted(powers.items(), key=lambda item: item[0].key))


class Expr:
    """An immutable polynomial with integer coefficients."""

    __slots__ = ("terms", "_hash")
    numpy_scalar = False  # a NumPy integer (NumpyExpr), as ir.NumpyInt

    def __init__(self, terms: Dict[Monomial, int]) -> None:
        cleaned = {m: c for m, c in terms.items() if c}
        if len(cleaned) > MAX_TERMS:
            raise TooComplex(f"symbolic expression with more than {MAX_TERMS} terms")
        self.terms: Tuple[Tuple[Monomial, int], ...] = tuple(
            sorted(cleaned.items(), key=_term_order) if len(cleaned) > 1 else cleaned.items()
        )
        self._hash = hash(self.terms)

    # -- construction -------------------------------------------------
    @staticmethod
    def lift(value: "Dim") -> "Expr":
        if isinstance(value, Expr):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"cannot use {value!r} in symbolic arithmetic")
        return Expr({(): value})

    def constant(self) -> int:
        for mono, coeff in self.terms:
            if not mono:
                return coeff
        return 0

    def folded(self) -> "Dim":
        if not self.terms:
            return 0
        if len(self.terms) == 1 and not self.terms[0][0]:
            return self.terms[0][1]
        return self

    # -- arithmetic ---------------------------------------------------
    def __add__(self, other: "Dim") -> "Dim":
        if type(other) is int:
            return _numpy_if(_plus_constant(self, other), self)
        if not isinstance(other, (int, Expr)) or isinstance(other, bool):
            return NotImplemented
        out = dict(self.terms)
        for mono, coeff in Expr.lift(other).terms:
            out[mono] = out.get(mono, 0) + coeff
        return _numpy_if(Expr(out).folded(), self, other)

    __radd__ = __add__

    def __neg__(self) -> "Expr":
        return _numpy_if(Expr({m: -c for m, c in self.terms}), self)

    def __sub__(self, other: "Dim") -> "Dim":
        if not isinstance(other, (int, Expr)) or isinstance(other, bool):
            return NotImplemented
        return _numpy_if(self + (-Expr.lift(other)), self, other)

    def __rsub__(self, other: "Dim") -> "Dim":
        if not isinstance(other, (int, Expr)) or isinstance(other, bool):
            return NotImplemented
        return _numpy_if(Expr.lift(other) + (-self), self, other)

    def __mul__(self, other: "Dim") -> "Dim":
        if type(other) is int:
            if not other:
                return 0
            return _numpy_if(_made(tuple((m, c * other) for m, c in self.terms)).folded(), self)
        if not isinstance(other, (int, Expr)) or isinstance(other, bool):
            return NotImplemented
        out: Dict[Monomial, int] = {}
        for m1, c1 in self.terms:
            for m2, c2 in Expr.lift(other).terms:
                mono = _mono_mul(m1, m2)
                out[mono] = out.get(mono, 0) + c1 * c2
        return _numpy_if(Expr(out).folded(), self, other)

    __rmul__ = __mul__

    def __pow__(self, exponent: int) -> "Dim":
        if not isinstance(exponent, int) or exponent < 0 or exponent > 8:
            return NotImplemented
        result: Dim = 1
        for _ in range(exponent):
            result = result * self
        return result

    def __floordiv__(self, other: "Dim") -> "Dim":
        return _numpy_if(floordiv(self, other), self, other)

    def __rfloordiv__(self, other: "Dim") -> "Dim":
        return _numpy_if(floordiv(other, self), self, other)

    # -- comparison ---------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Expr):
            return self.terms == other.terms
        return False

    def __hash__(self) -> int:
        return self._hash

    def __bool__(self) -> bool:  # pragma: no cover - guard against misuse
        raise TypeError("the truth of a symbolic expression is unknown")

    def __repr__(self) -> str:
        return f"Expr({render(self)!r})"

    def __str__(self) -> str:
        return render(self)



class NumpyExpr(Expr):
    """A symbolic NumPy integer: ``np.prod((X.shape[1], 2))``. Keras 3 rejects it where it rejects a NumPy integer
    (``Dense`` units); arithmetic with it stays a NumPy integer, as NumPy's does (ir.NumpyInt)."""

    __slots__ = ()
    numpy_scalar = True

    def plain(self) -> Expr:
        return Expr(dict(self.terms))


def _made(terms: Tuple[Tuple[Monomial, int], ...]) -> Expr:
    """``Expr(dict(terms))`` for terms already as ``Expr`` keeps them (no zero coefficient, in ``_term_order``)."""
    e = Expr.__new__(Expr)
    e.terms = terms
    e._hash = hash(terms)
    return e


def _plus_constant(e: Expr, k: int) -> "Dim":
    """``e + k`` for a Python int ``k`` (not a NumPy integer): only the constant term, which sorts last, changes (the
    same terms, in the same order, as ``Expr``'s sum makes, and ``TooComplex`` where it raises)."""
    terms = e.terms
    if terms and not terms[-1][0]:
        const = terms[-1][1] + k
        terms = terms[:-1] + ((((), const),) if const else ())
    elif k:
        terms = terms + (((), k),)
        if len(terms) > MAX_TERMS:
            raise TooComplex(f"symbolic expression with more than {MAX_TERMS} terms")
    return _made(terms).folded()


def plain_sum(values: "Sequence[object]") -> "Optional[Dim]":
    """``0 + v1 + v2 + ...`` over Python ints and plain Exprs (no NumPy integer, no bool), made in one dict; None when
    an intermediate sum would have more than MAX_TERMS terms (where the sum step by step raises TooComplex). The same
    terms in the same order as step by step: a term keeps its first place among those ``_term_order`` ties, and one
    that cancels out and comes back goes last, as in each step's sorted copy."""
    acc: Dict[Monomial, int] = {}
    for v in values:
        if type(v) is int:
            if v:
                c = acc.get((), 0) + v
                if c:
                    acc[()] = c
                else:
                    del acc[()]
        else:
            for mono, coeff in v.terms:  # (type Expr)
                c = acc.get(mono, 0) + coeff
                if c:
                    acc[mono] = c
                else:
                    del acc[mono]
        if len(acc) > MAX_TERMS:
            return None
    return Expr(acc).folded()


def _numpy_if(value: "Dim", *operands: object) -> "Dim":
    """``value`` a NumpyExpr if any operand is a NumPy integer (a NumpyExpr or an ir.NumpyInt)."""
    if isinstance(value, Expr) and not value.numpy_scalar and any(getattr(o, "numpy_scalar", False)
                                                                   for o in operands):
        return NumpyExpr(dict(value.terms))
    return value


Dim = Union[int, Expr]

def _of_atom(atom: _Atom) -> Expr:
    """``Expr({((atom, 1),): 1})``, made directly (symbols are made at every step of some loops)."""
    e = Expr.__new__(Expr)
    e.terms = terms = ((((atom, 1),), 1),)
    e._hash = hash(terms)
    return e


def symbol(name: str) -> Expr:
    """A symbolic integer standing for the source expression ``name``."""
    return _of_atom(_Atom("s:" + name, name, (name,)))


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def numbered(text: str, n: int) -> str:
    """The name of the ``n``-th symbol read by the same source text ``text`` (``len(values)₂``): a subscript, which no
    Python name holds and no formula reads as an operator or a comment."""
    return text + str(n).translate(_SUBSCRIPTS)


def _rounded(kind: str, num: Expr, den: int) -> Expr:
    text = f"{kind}({_render_operand(num)}/{den})"
    return _of_atom(_Atom(f"{kind}:{den}:{text}", text, symbol_names(num), (kind, num, den)))


def _render_operand(e: Expr) -> str:
    text = render(e)
    return f"({text})" if len(e.terms) > 1 else text


def floordiv(a: Dim, b: Dim) -> Dim:
    """``a // b`` for positive ``b``, exact or symbolic."""
    return _divide("floor", a, b)


def ceildiv(a: Dim, b: Dim) -> Dim:
    """``ceil(a / b)`` for positive ``b``, exact or symbolic."""
    return _divide("ceil", a, b)


def _divide(kind: str, a: Dim, b: Dim) -> Dim:
    def exact(x: int, y: int) -> int:
        return x // y if kind == "floor" else -(-x // y)

    if isinstance(a, int) and isinstance(b, int):
        return exact(a, b)
    if isinstance(b, Expr):
        raise TooComplex("division by a symbolic value")
    if b <= 0:
        raise ZeroDivisionError("division by a non-positive constant")
    if b == 1:
        return a
    num = Expr.lift(a)
    const = num.constant()
    inner = _rounded_plus_constant(num)
    if inner is not None and inner[0] == kind:
        # floor((floor(n/d) + c)/b) == floor((n + c*d)/(d*b)) for an integer n and positive integers d, b (and so
        # for ceil): floor(floor(y)/b) == floor(y/b) for any real y, and floor(y) + c == floor(y + c). Two pooling
        # layers' floor(floor(x/2)/2) is the floor(x/4) of x // 4.
        _, n, d = inner
        return _divide(kind, n + const * d, d * b)
    if inner is not None and (const + (1 - b if kind == "floor" else b - 1)) % b == 0:
        # The other kind inside: floor(m/b) == ceil((m - b + 1)/b) and ceil(m/b) == floor((m + b - 1)/b) for an
        # integer m, here m = ceil(n/d) + c (or floor), so the rule above applies to the other kind:
        # floor((ceil(n/d) + c)/b) == ceil((n + (c - b + 1)*d)/(d*b)). A stride-2 convolution with padding="same"
        # (ceil) then a 1x1 stride-2 pooling with padding="valid" (floor((m - 1)/2) + 1) is the ceil(x/4) of two
        # convolutions, so a ResNet's shortcut and its main path are seen to agree. Done only where the shifted
        # constant is a multiple of b, so that the division folds into one of a whole numerator (ceil(x/8), not
        # ceil((x + 2)/4) - 1 for MobileNet's floor(ceil(x/2)/2), which reads as the layers made it).
        other, n, d = inner
        shift = 1 - b if kind == "floor" else b - 1
        return _divide(other, n + (const + shift) * d, d * b)
    if all(c % b == 0 for m, c in num.terms if m):
        # (q*b + r)/b rounds to q + round(r/b) for integer q.
        return Expr({m: c // b for m, c in num.terms if m}).folded() + exact(const, b)
    # Keep the constant small inside the atom: floor((x + 5)/2) == floor((x + 1)/2) + 2.
    whole = const - const % b
    return _rounded(kind, num - whole, b) + whole // b


def same(a: object, b: object) -> bool:
    """Are two sizes equal for every integer value of their symbols? True when they are equal as written, or when
    both read alike once every ``ceil(m/d)`` is written ``floor((m + d - 1)/d)`` (for an integer m) and the nested
    floors are folded as :func:`floordiv` folds them: a stride-2 convolution with ``padding="same"`` after two
    "valid" ones (``ceil(floor((x + 1)/8)/2)``) has the size ``floor((x + 9)/16)`` another branch computes. False
    when not shown equal (they may still be equal for every value)."""
    if a == b:
        return True
    if not isinstance(a, (int, Expr)) or not isinstance(b, (int, Expr)) or isinstance(a, bool) or \
            isinstance(b, bool):
        return False
    try:
        return _floors_only(a) == _floors_only(b)
    except (TooComplex, ZeroDivisionError, TypeError):
        return False


def _floors_only(value: "Dim") -> "Dim":
    """``value`` with each rounded division rewritten as a floor of its rewritten numerator (see :func:`same`)."""
    if not isinstance(value, Expr):
        return value
    total: Dim = 0
    for mono, coeff in value.terms:
        term: Dim = coeff
        for atom, power in mono:
            if atom.division is None:
                factor: Dim = _of_atom(atom)
            else:
                kind, num, den = atom.division
                inner = _floors_only(num)
                factor = floordiv(inner + (den - 1) if kind == "ceil" else inner, den)
            for _ in range(power):
                term = term * factor
        total = total + term
    return total


def _rounded_plus_constant(num: Expr) -> "Optional[Tuple[str, Expr, int]]":
    """The kind, numerator and denominator of the rounded division ``r`` when ``num`` is ``r + c`` (``r`` to the power
    1, coefficient 1, ``c`` an integer), else None."""
    terms = [(m, c) for m, c in num.terms if m]
    if len(terms) != 1:
        return None
    mono, coeff = terms[0]
    if coeff != 1 or len(mono) != 1 or mono[0][1] != 1:
        return None
    return mono[0][0].division


def multiple(a: Dim, b: Expr) -> Optional[int]:
    """The integer ``k`` with ``a == k * b`` for a symbolic ``b`` (``S / S`` is 1.0 for any nonzero S, ``2*S / S`` is
    2.0), or None when ``a`` is no constant multiple of ``b``."""
    lead_mono, lead = b.terms[0]
    if not lead_mono:
        return None
    found = Expr.lift(a)
    coeff = next((c for m, c in found.terms if m == lead_mono), 0)
    if coeff == 0 or coeff % lead:
        return None
    k = coeff // lead
    return k if found - b * k == 0 else None


def symbol_names(value: object) -> Tuple[str, ...]:
    """The names of the symbols a dim or count is made of, in the order they appear (``()`` for an int)."""
    if not isinstance(value, Expr):
        return ()
    out: Dict[str, None] = {}
    for mono, _ in value.terms:
        for atom, _ in mono:
            for name in atom.names or (atom.text,):
                out[name] = None
    return tuple(out)


def _term_order(item: Tuple[Monomial, int]):
    mono, _ = item
    degree = sum(p for _, p in mono)
    return (-degree, tuple(a.key for a, _ in mono))


@lru_cache(maxsize=4096)
def _needs_brackets(text: str) -> int:
    """Whether a symbol's source text (``lookback // step``, ``a + 1``) is not one operand in Python: 1 when it
    takes brackets as a factor, a power or after a minus sign, or the text would read as another number
    (``14*lookback // step`` is ``(14*lookback) // step``); 2 when it takes them even as a term of a sum
    (``a if c else b``, ``a or b``: ``a or b + 1`` reads as ``a or (b + 1)``); 0 for one operand."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return 0
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)):
        return 0
    return 1 if isinstance(node, (ast.BinOp, ast.UnaryOp)) else 2


def _render_mono(mono: Monomial, alone: bool = False) -> str:
    """``alone``: the monomial is the whole term, with coefficient +1 (no factor, power or sign binds to it)."""
    parts = []
    for atom, p in mono:
        text = atom.text
        if atom.key.startswith("s:") and _needs_brackets(text) > (alone and len(mono) == 1 and p == 1):
            text = f"({text})"
        parts.append(text if p == 1 else f"{text}**{p}")
    return "*".join(parts)


def render(value: object) -> str:
    """Human text for a dim or count: ``12800*ceil(HEIGHT/2)*ceil(WIDTH/2) + 100``."""
    if value is None:
        return "None"
    if not isinstance(value, Expr):
        return str(value)
    out = []
    for i, (mono, coeff) in enumerate(value.terms):
        sign = "-" if coeff < 0 else "+"
        mag = abs(coeff)
        if not mono:
            body = str(mag)
        elif mag == 1:
            body = _render_mono(mono, alone=sign == "+")
        else:
            body = f"{mag}*{_render_mono(mono)}"
        if i == 0:
            out.append(("-" if sign == "-" else "") + body)
        else:
            out.append(f" {sign} {body}")
    return "".join(out)
