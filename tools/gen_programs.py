#!/usr/bin/env python3
"""Random Python-level Keras programs for differential testing of kerascount.

    python tools/gen_programs.py --seed S [--count N] [--out DIR]
    python tools/gen_programs.py --seed S --index I    # program I of batch S

tools/gen_models.py varies the layers; this generator varies the *Python*
around them.  Each program is a folder ``main.py`` (plus, for some programs,
``settings.py`` and ``helpers.py`` beside it) in two stages:

1. Values.  Integers computed through closures (late and early binding,
   factories, decorators), ``global`` and ``nonlocal``, module attributes of
   ``settings.py`` changed from ``helpers.py`` or ``main.py`` (and stale
   ``from settings import X`` copies, defaults evaluated at import), aliased
   and copied lists and dicts mutated in place or rebound, exceptions
   (``try``/``except``/``else``/``finally``, raised from helpers, after
   partial mutation), early returns, ``break``/``continue``/``for``-``else``,
   comprehensions (and their scope), settings objects (class attributes,
   instances that shadow them, properties, dataclasses, ``NamedTuple``,
   ``SimpleNamespace``), class hierarchies (``super()``, diamonds resolved
   by C3, classmethods, dunder methods), argument binding (``*args``,
   ``**kwargs``, keyword-only, ``functools.partial``, growing mutable
   defaults, recursion), integers read from strings, lazy generators
   (``any``/``all`` stopping early, ``next``, ``yield from``), scopes (class
   bodies, loop and ``except`` names), dict order and ``collections``,
   Python's numeric conversions, slices, context managers that swallow
   exceptions, values reached through copies, ``json``, registries and
   ``itertools``, sizes of NumPy arrays after a few reshaping steps, and of
   data prepared the usual ways (one-hot labels, padded sequences, splits),
   iterators and dict views kept in names, objects that count through
   their class and guard attributes with property setters, ``match``
   statements and ``:=``, container classes of the file (dunder methods),
   decorators (``wraps``, factories, ``lru_cache``, class decorators,
   ``cached_property``), enumerations and attributes set by name
   (``setattr``, ``vars``, ``globals()``), and names a function makes its
   own before it assigns them (``UnboundLocalError``), and classes that take
   over their own attributes (``__getattr__``, ``__setattr__``, ``__slots__``,
   ``__init_subclass__``, descriptors), and the order Python evaluates things
   in (an item's index under ``+=`` once, a class body's comprehensions), and
   Python's own errors from builtins and operators inside ``try``, and sets (their operators, methods and
   changes in place through an alias).
   This stage is plain Python: the generator runs it
   itself and keeps a snippet only when every value it yields is an int in
   1..64, so most programs build.
2. Models, built from those values: Sequential lists and ``.add`` loops
   with ``break``/``continue``, functional builders with early returns,
   layer factories (closures, late-binding lambdas), comprehensions of
   layers, a Keras error caught by ``try``, nested and shared models; then
   ``trainable`` set on models, layers, slices of ``model.layers`` and
   ``get_layer`` in a random order, with ``compile`` between.

Real Keras decides what each program builds (or where it raises): this file
only steers the choices.  Library use:

    from tools.gen_programs import generate, write_files
    files = generate(seed)          # {"main.py": text, ...}; deterministic
    paths = write_files(seed, count, out_dir)   # the main.py paths
"""

import argparse
import os
import random
import sys
import types

LO, HI = 1, 64  # every value the first stage yields lies in this range


class Program:
    def __init__(self, rng):
        self.rng = rng
        self.n = 0
        self.main = []  # value stage of main.py (module level)
        self.settings = []  # settings.py (empty: no such file)
        self.helpers = []  # helpers.py (empty: no such file)
        self.imports = set()  # extra stdlib imports of main.py
        self.values = []  # (expression, value) the model stage may use

    def fresh(self):
        self.n += 1
        return self.n

    def r(self, a, b):
        return self.rng.randint(a, b)

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p):
        return self.rng.random() < p


# --------------------------------------------------------------------------
# Stage 1: snippets that compute integers.  Each returns (main lines,
# [expressions]) and may add to p.settings / p.helpers / p.imports.
# --------------------------------------------------------------------------


def v_global(p):
    i = p.fresh()
    n = f"N{i}"
    lines = [f"{n} = {p.r(2, 16)}"]
    augment = p.chance(0.5)
    lines += ["", f"def set_{n}(v):", f"    global {n}", f"    {n} {'+=' if augment else '='} v", ""]
    if p.chance(0.4):  # a local of the same name is not the global
        lines += [f"def peek_{n}():", f"    {n} = 99", f"    return {n}", "", f"peek_{n}()"]
    if p.chance(0.3):  # a global created by a function
        lines += [f"def init_{n}():", f"    global M{i}", f"    M{i} = {p.r(2, 20)}", "", f"init_{n}()"]
        extra = [f"M{i}"]
    else:
        extra = []
    if p.chance(0.3):  # called through another function
        lines += [f"def outer_{n}(k):", f"    set_{n}(k + 1)", "    return k", "", f"outer_{n}({p.r(1, 8)})"]
    how = p.r(0, 3)
    if how == 0:
        lines.append(f"set_{n}({p.r(1, 12)})")
    elif how == 1:
        lines += [f"for _ in range({p.r(1, 3)}):", f"    set_{n}({p.r(1, 6)})"]
    elif how == 2:
        lines += [f"if {n} > {p.r(4, 12)}:", f"    set_{n}({p.r(1, 9)})", "else:", f"    set_{n}({p.r(1, 9)})"]
    # how == 3: defined, never called
    return lines, [n] + extra


def v_nonlocal(p):
    i = p.fresh()
    lines = [
        f"def make_acc{i}(start):",
        "    total = start",
        "",
        "    def add(k):",
        "        nonlocal total",
        "        total += k",
        "        return total",
        "",
        "    def get():",
        "        return total",
        "",
        "    return add, get",
        "",
        f"add{i}, get{i} = make_acc{i}({p.r(1, 10)})",
        f"other_add{i}, other_get{i} = make_acc{i}({p.r(1, 10)})",
    ]
    for _ in range(p.r(1, 3)):
        lines.append(f"{p.pick(['add', 'other_add'])}{i}({p.r(1, 7)})")
    lines.append(f"w{i} = add{i}({p.r(0, 3)})")
    if p.chance(0.4):  # a reader without nonlocal sees later changes
        lines += [
            f"def scaled{i}(f):",
            "    base = f",
            "",
            "    def inner():",
            "        return base * 2",
            "",
            f"    base = f + {p.r(1, 5)}",
            "    return inner()",
            "",
        ]
        return lines, [f"get{i}()", f"w{i}", f"other_get{i}()", f"scaled{i}({p.r(1, 9)})"]
    return lines, [f"get{i}()", f"w{i}", f"other_get{i}()"]


def v_closure(p):
    i = p.fresh()
    c, m = p.r(2, 5), p.r(1, 6)
    kind = p.r(0, 3)
    if kind == 0:
        lines = [
            f"late{i} = [lambda: k * {m} for k in range(1, {c})]",
            f"early{i} = [lambda k=k: k * {m} for k in range(1, {c})]",
        ]
        return lines, [f"late{i}[{p.r(0, c - 2)}]()", f"early{i}[{p.r(0, c - 2)}]()"]
    if kind == 1:
        lines = [
            f"base{i} = {p.r(1, 10)}",
            "",
            f"def get{i}():",
            f"    return base{i} + {p.r(1, 5)}",
            "",
            f"first{i} = get{i}()",
            f"base{i} = {p.r(1, 20)}",
        ]
        return lines, [f"get{i}()", f"first{i}"]
    if kind == 2:
        lines = [
            f"def scale{i}(f):",
            "    return lambda x: x * f",
            "",
            f"double{i} = scale{i}(2)",
            f"triple{i} = scale{i}({p.r(1, 3)})",
        ]
        return lines, [f"double{i}({p.r(1, 9)})", f"triple{i}(double{i}({p.r(1, 4)}))"]
    lines = [
        f"def twice{i}(fn):",
        "    def wrapper(x):",
        "        return fn(fn(x))",
        "",
        "    return wrapper",
        "",
        "",
        f"@twice{i}",
        f"def inc{i}(x):",
        f"    return x + {p.r(1, 6)}",
        "",
    ]
    return lines, [f"inc{i}({p.r(1, 10)})"]


def v_list(p):
    i = p.fresh()
    ws, al, cp = f"ws{i}", f"al{i}", f"cp{i}"
    lines = [f"{ws} = [{p.r(1, 16)}, {p.r(1, 16)}]", f"{al} = {ws}"]
    copy = p.pick([f"list({ws})", f"{ws}[:]", f"{ws}.copy()", f"[*{ws}]"])
    lines.append(f"{cp} = {copy}")
    ops = [
        lambda: f"{al}.append({p.r(1, 24)})",
        lambda: f"{ws}.extend([{p.r(1, 9)}, {p.r(1, 9)}])",
        lambda: f"{ws} += [{p.r(1, 20)}]",
        lambda: f"{ws} = {ws} + [{p.r(1, 20)}]",
        lambda: f"{cp}.append({p.r(1, 30)})",
        lambda: f"{al}.insert(0, {p.r(1, 12)})",
        lambda: f"{al}.pop()",
        lambda: f"del {al}[0]",
        lambda: f"{al}.sort()",
        lambda: f"{ws}.reverse()",
        lambda: f"{al}[0] = {p.r(1, 30)}",
        lambda: f"{ws}[1:] = [{p.r(1, 9)}]",
        lambda: f"push{i}({al}, {p.r(1, 15)})",
        lambda: f"acc{i}({p.r(1, 15)})",
    ]
    body = [p.pick(ops)() for _ in range(p.r(2, 5))]
    if any(f"push{i}" in b for b in body):
        lines += ["", f"def push{i}(lst, v):", "    lst.append(v)", ""]
    if any(f"acc{i}" in b for b in body):
        lines += ["", f"def acc{i}(v, into=[]):", "    into.append(v)", "    return into", ""]
    lines += body
    exprs = [f"{ws}[-1]", f"{al}[0]", f"len({al}) * {p.r(1, 4)}", f"sum({ws})", f"max({al})", f"min({cp})",
             f"{cp}[-1]"]
    if any(f"acc{i}" in b for b in body):
        exprs.append(f"len(acc{i}({p.r(1, 3)}))")
    return lines, p.rng.sample(exprs, 3)


def v_dict(p):
    i = p.fresh()
    d, al, cp = f"cfg{i}", f"alias{i}", f"copy{i}"
    lines = [f'{d} = {{"units": {p.r(1, 16)}, "depth": {p.r(1, 4)}}}', f"{al} = {d}"]
    lines.append(f"{cp} = " + p.pick([f"dict({d})", f"{d}.copy()", f"{{**{d}}}"]))
    ops = [
        lambda: f'{al}["units"] += {p.r(1, 8)}',
        lambda: f'{cp}["units"] = {p.r(1, 40)}',
        lambda: f"{d}.update(units={p.r(1, 30)})",
        lambda: f'{d}.setdefault("units", 99)',
        lambda: f'{al}.setdefault("extra", {p.r(1, 9)})',
        lambda: f'{d}.pop("depth", None)',
        lambda: f"tweak{i}({al})",
        lambda: f'{d} = {{**{d}, "depth": {p.r(1, 6)}}}',
        lambda: f'{al}["units"] = {al}.get("units", 1) * 2',
    ]
    body = [p.pick(ops)() for _ in range(p.r(2, 4))]
    if any(f"tweak{i}" in b for b in body):
        lines += ["", f"def tweak{i}(c):", '    c["units"] = c["units"] + 1', ""]
    lines += body
    exprs = [f'{d}["units"]', f'{d}.get("depth", {p.r(1, 9)})', f'{al}.get("extra", {p.r(1, 9)})',
             f"len({d}) + {p.r(0, 3)}", f'{cp}["units"]', f"sum({al}.values())"]
    return lines, p.rng.sample(exprs, 3)


def v_exception(p):
    i = p.fresh()
    kind = p.r(0, 5)
    if kind == 4:  # Python's own errors: the rest of the block is skipped
        bad = p.pick([f'table{i}["nope"]', f"items{i}[{p.r(2, 6)}]", 'int("x1")', f"{p.r(1, 9)} // (len(items{i}) - 2)",
                      f"items{i}[{p.r(-2, 1)}]", f'table{i}["k"]'])
        handler = p.pick(["KeyError", "IndexError", "LookupError", "ValueError", "ZeroDivisionError", "Exception",
                          "(KeyError, IndexError)"])
        return [
            f'table{i} = {{"k": {p.r(1, 9)}}}',
            f"items{i} = [{p.r(1, 9)}, {p.r(1, 9)}]",
            f"out{i} = {p.r(1, 9)}",
            "try:",
            "    try:",
            f"        out{i} = {bad}",
            f"        out{i} += {p.r(20, 40)}",
            f"    except {handler}:",
            f"        out{i} += {p.r(1, 5)}",
            "except Exception:",
            f"    out{i} *= 2",
        ], [f"out{i}"]
    if kind == 5:
        p.imports.add("contextlib")
        return [
            f"val{i} = {p.r(1, 9)}",
            f"with contextlib.suppress({p.pick(['KeyError', 'ValueError', 'LookupError', 'ZeroDivisionError'])}):",
            "    val%d = %s" % (i, p.pick(["{}[0]", "int('z')", "[1][3]", "1 // 0", str(p.r(1, 9))])),
            f"    val{i} = {p.r(10, 30)}",
        ], [f"val{i}"]
    if kind == 0:
        key = p.pick(["units", "missing"])
        return [
            f'table{i} = {{"units": {p.r(1, 30)}}}',
            "try:",
            f'    got{i} = table{i}["{key}"]',
            "except KeyError:",
            f"    got{i} = {p.r(1, 30)}",
        ], [f"got{i}"]
    if kind == 1:
        a, b = p.pick(['"12"', '"x"', '"7"', '"3.5"']), p.pick(['"5"', '"y"', '""'])
        return [
            f"log{i} = []",
            "",
            f"def parse{i}(s):",
            "    try:",
            "        return int(s)",
            "    except ValueError:",
            f"        return {p.r(1, 9)}",
            "    finally:",
            f"        log{i}.append(s)",
            "",
            f"parsed{i} = parse{i}({a}) + parse{i}({b})",
        ], [f"parsed{i}", f"len(log{i}) + {p.r(1, 3)}"]
    if kind == 2:
        raise_it = p.chance(0.7)
        return [
            f"state{i} = [{p.r(1, 9)}]",
            "",
            f"def risky{i}():",
            f"    state{i}.append({p.r(1, 9)})",
            "    if " + ("True" if raise_it else "False") + ":",
            '        raise RuntimeError("stop")',
            f"    state{i}.append({p.r(1, 9)})",
            "",
            "try:",
            f"    risky{i}()",
            "except RuntimeError:",
            f"    state{i}.append({p.r(1, 9)})",
            "else:",
            f"    state{i}.append({p.r(1, 9)})",
            "finally:",
            f"    state{i}.append({p.r(1, 9)})",
        ], [f"sum(state{i})", f"len(state{i}) * {p.r(1, 4)}", f"state{i}[-2]"]
    xs = [p.r(1, 9) for _ in range(4)]
    return [
        f"class Found{i}(Exception):",
        "    pass",
        "",
        "",
        f"def find{i}(xs, t):",
        "    for k, x in enumerate(xs):",
        "        if x == t:",
        f"            raise Found{i}(k)",
        "    return -1",
        "",
        "try:",
        f"    find{i}({xs}, {p.r(1, 9)})",
        f"    pos{i} = {p.r(1, 20)}",
        f"except Found{i} as e:",
        f"    pos{i} = e.args[0] + {p.r(1, 5)}",
    ], [f"pos{i}"]


def v_return(p):
    i = p.fresh()
    t, a, b = p.r(3, 14), p.r(1, 6), p.r(1, 6)
    lines = [
        f"def pick{i}(n):",
        f"    if n > {t}:",
        "        return n // 2 + 1",
        "    for k in range(n):",
        "        if k * k >= n:",
        f"            return k + {a}",
        f"    return n + {b}",
        "",
    ]
    exprs = [f"pick{i}({p.r(1, 20)})", f"pick{i}({p.r(1, 20)})"]
    if p.chance(0.5):
        lines += [
            f"def guarded{i}(xs):",
            "    try:",
            "        for x in xs:",
            f"            if x > {p.r(2, 9)}:",
            "                return x",
            "    finally:",
            f"        xs.append({p.r(1, 9)})",
            f"    return len(xs) + {p.r(1, 4)}",
            "",
            f"seen{i} = [{p.r(1, 9)}, {p.r(1, 9)}]",
            f"g{i} = guarded{i}(seen{i})",
        ]
        exprs += [f"g{i}", f"seen{i}[-1]"]
    return lines, exprs


def v_loop(p):
    i = p.fresh()
    kind = p.r(0, 2)
    if kind == 0:
        lines = [
            f"acc{i} = {p.r(1, 5)}",
            f"for k in range({p.r(2, 9)}):",
            f"    if k % {p.r(2, 3)} == 0:",
            "        continue",
            f"    if k > {p.r(1, 7)}:",
            "        break",
            f"    acc{i} += k",
            "else:",
            f"    acc{i} += {p.r(1, 9)}",
            f"last{i} = k",
        ]
        return lines, [f"acc{i}", f"last{i} + 1"]
    if kind == 1:
        lines = [
            f"i{i} = {p.r(0, 3)}",
            "while True:",
            f"    i{i} += {p.r(1, 4)}",
            f"    if i{i} > {p.r(4, 20)}:",
            "        break",
        ]
        return lines, [f"i{i}"]
    lines = [
        f"hits{i} = []",
        f"for a in range(1, {p.r(2, 5)}):",
        f"    for b in range(1, {p.r(2, 5)}):",
        f"        if a * b > {p.r(2, 8)}:",
        "            break",
        f"        hits{i}.append(a * b)",
    ]
    return lines, [f"len(hits{i}) + 1", f"max(hits{i}, default=3)"]


def v_comprehension(p):
    i = p.fresh()
    c, a, r = p.r(3, 8), p.r(1, 5), p.r(0, 1)
    k0 = p.r(1, 20)
    lines = [
        f"k{i} = {k0}",
        f"sq{i} = [k{i} * {a} for k{i} in range({c}) if k{i} % 2 == {r}]",
        f'lens{i} = {{w: len(w) * {p.r(1, 4)} for w in ["ab", "cde", "f"]}}',
        f"pairs{i} = [x * y for x in range(1, 3) for y in range({p.r(1, 3)})]",
    ]
    exprs = [f"k{i}", f"sum(sq{i}) + 1", f'lens{i}["cde"]', f"max(sq{i}, default=4) + 1",
             f"next((v for v in sq{i} if v > {p.r(1, 6)}), {p.r(1, 9)})", f"len(pairs{i}) + 1",
             f"sorted(lens{i}.values(), reverse=True)[{p.r(0, 2)}]"]
    return lines, p.rng.sample(exprs, 3)


def v_settings(p):
    i = p.fresh()
    kind = p.r(0, 3)
    if kind == 0:
        lines = [
            f"class Cfg{i}:",
            f"    units = {p.r(1, 12)}",
            f"    scale = {p.r(1, 3)}",
            "",
            f"    def __init__(self, extra={p.r(1, 6)}):",
            "        self.extra = extra",
            "",
            "    @property",
            "    def width(self):",
            "        return self.units * self.scale + self.extra",
            "",
            "",
            f"class Wide{i}(Cfg{i}):",
            f"    scale = {p.r(2, 4)}",
            "",
            "",
            f"c{i} = Cfg{i}()",
            f"s{i} = Wide{i}({p.r(1, 3)})",
        ]
        ops = [f"Cfg{i}.units = {p.r(1, 10)}", f"c{i}.units = {p.r(1, 10)}", f'setattr(c{i}, "scale", {p.r(1, 3)})',
               f"Wide{i}.units = {p.r(1, 8)}", f"s{i}.extra += {p.r(1, 4)}"]
        lines += p.rng.sample(ops, p.r(1, 3))
        if p.r(0, 2) == 0:
            # attributes set on both ways of a condition on the machine (the variable is never set where Keras runs):
            # alike on both, from the values before it, or differing (kerascount merges them as names are)
            p.imports.add("os")
            a, b, k = p.r(1, 10), p.r(1, 10), p.r(1, 3)
            lines += [f'if os.environ.get("KERASCOUNT_GEN_FLAG_{i}"):', f"    c{i}.units = {a}",
                      f"    s{i}.extra = s{i}.extra + {k}", "else:", f"    c{i}.units = {a if p.r(0, 1) else b}",
                      f"    s{i}.extra = s{i}.extra + {k}"]
        return lines, [f"c{i}.width", f"s{i}.width", f"c{i}.units", f'getattr(c{i}, "depth", {p.r(1, 5)})']
    if kind == 1:
        p.imports.add("dataclasses")
        lines = [
            "@dataclasses.dataclass",
            f"class Hp{i}:",
            f"    units: int = {p.r(1, 16)}",
            f"    depth: int = {p.r(1, 4)}",
            f"    widths: list = dataclasses.field(default_factory=lambda: [{p.r(1, 9)}, {p.r(1, 9)}])",
            "",
            "",
            f"h{i} = Hp{i}(depth={p.r(1, 5)})",
            f"h2{i} = dataclasses.replace(h{i}, units={p.r(1, 20)})",
            f"h{i}.widths.append({p.r(1, 20)})",
        ]
        return lines, [f"h2{i}.units + h{i}.depth", f"h{i}.widths[-1]", f"len(h2{i}.widths)", f"h{i}.units"]
    if kind == 2:
        p.imports.add("typing")
        lines = [
            f"class Spec{i}(typing.NamedTuple):",
            "    units: int",
            f"    depth: int = {p.r(1, 4)}",
            "",
            "",
            f"sp{i} = Spec{i}({p.r(1, 20)})",
            f"sp2{i} = sp{i}._replace(depth={p.r(1, 9)})",
            f"u{i}, d{i} = sp2{i}",
        ]
        return lines, [f"sp{i}.units", f"sp2{i}.depth", f"u{i} + d{i}", f"sp{i}[1]"]
    p.imports.add("types")
    lines = [
        f"ns{i} = types.SimpleNamespace(units={p.r(1, 12)}, depth={p.r(1, 4)})",
        f"ns{i}.units += {p.r(1, 8)}",
        f"ref{i} = ns{i}",
        f"ref{i}.depth = {p.r(1, 6)}",
    ]
    return lines, [f"ns{i}.units", f"ns{i}.depth", f"vars(ns{i})['units']"]


def v_module(p):
    """A settings module changed from helpers.py and from main.py."""
    i = p.fresh()
    p.settings += [f"UNITS{i} = {p.r(1, 16)}", f"WIDTHS{i} = [{p.r(1, 9)}, {p.r(1, 9)}]",
                   f'CFG{i} = {{"units": {p.r(1, 16)}}}']
    p.helpers += [
        f"from settings import UNITS{i} as FROZEN{i}",
        "",
        "",
        f"def configure{i}(u):",
        f"    settings.UNITS{i} = u",
        "",
        "",
        f"def grow{i}(w):",
        f"    settings.WIDTHS{i}.append(w)",
        "",
        "",
        f"def rebind{i}(w):",
        f"    settings.WIDTHS{i} = [w]",
        "",
        "",
        f"def read{i}():",
        f"    return settings.UNITS{i} + {p.r(0, 4)}",
        "",
        "",
        f"def default{i}(u=settings.UNITS{i}):",
        "    return u",
        "",
        "",
        f"def frozen{i}():",
        f"    return FROZEN{i}",
        "",
        "",
        f"def bump{i}():",
        f'    settings.CFG{i}["units"] += {p.r(1, 6)}',
        "",
        "",
    ]
    lines = [f"from settings import UNITS{i} as U{i}, WIDTHS{i} as W{i}"]
    ops = [
        f"helpers.configure{i}({p.r(1, 30)})",
        f"helpers.grow{i}({p.r(1, 20)})",
        f"helpers.rebind{i}({p.r(1, 20)})",
        f"settings.UNITS{i} = {p.r(1, 30)}",
        f'setattr(settings, "UNITS{i}", {p.r(1, 30)})',
        f"helpers.bump{i}()",
        f"W{i}.append({p.r(1, 12)})",
        f"settings.UNITS{i} += {p.r(1, 5)}",
    ]
    lines += p.rng.sample(ops, p.r(2, 4))
    exprs = [f"settings.UNITS{i}", f"U{i}", f"helpers.read{i}()", f"helpers.default{i}()", f"sum(W{i})",
             f"settings.WIDTHS{i}[-1]", f"helpers.frozen{i}()", f'settings.CFG{i}["units"]', f"len(W{i})"]
    return lines, p.rng.sample(exprs, 4)


def v_arith(p):
    """Python's own arithmetic: banker's rounding, floor division and modulo of negatives, powers,
    chained comparisons, booleans as ints, the walrus operator, key functions."""
    i = p.fresh()
    a, b = p.r(1, 30), p.r(2, 7)
    lines = [
        f"half{i} = round({a} / 2) + round({p.r(0, 9)}.5)",
        f"neg{i} = -{a} // {b} + {a + b}",
        f"mod{i} = -{a} % {b} + 1",
        f"pw{i} = 2 ** {p.r(0, 5)} + int({p.r(1, 9)}.{p.r(1, 9)})",
        f"chain{i} = ({p.r(1, 5)} < {p.r(1, 9)} < {p.r(1, 9)}) + (True + True) * {p.r(1, 4)}",
        f"if (n{i} := len([{a}, {b}]) * {p.r(1, 6)}) > {p.r(1, 12)}:",
        f"    n{i} += 1",
        f"best{i} = max([{a}, {b}, {p.r(1, 30)}], key=lambda v: (v % {p.r(2, 5)}, v))",
        f"q{i}, r{i} = divmod({a + 20}, {b})",
        f"flag{i} = {p.r(1, 9)} if {a} % 2 else {p.r(1, 9)}",
    ]
    exprs = [f"half{i}", f"neg{i}", f"mod{i}", f"pw{i}", f"chain{i} + 1", f"n{i}", f"best{i}", f"q{i} + r{i}",
             f"flag{i}", f"abs(-{a}) // {b} + 1"]
    return lines, p.rng.sample(exprs, 4)


def v_alias(p):
    """Aliasing Python programmers trip over: tuples rebound by +=, rows of [[...]] * n shared, a class
    attribute list shared by every instance, copies that are shallow."""
    i = p.fresh()
    n = p.r(2, 4)
    lines = [
        f"t{i} = ({p.r(1, 9)}, {p.r(1, 9)})",
        f"u{i} = t{i}",
        f"t{i} += ({p.r(1, 9)},)",
        f"grid{i} = [[{p.r(1, 5)}] * 2] * {n}",
        f"grid{i}[0][1] = {p.r(1, 20)}",
        f"rows{i} = [[{p.r(1, 5)}] * 2 for _ in range({n})]",
        f"rows{i}[0][1] = {p.r(1, 20)}",
        "",
        f"class Bag{i}:",
        "    items = []",
        "",
        "    def __init__(self, v):",
        "        self.items.append(v)",
        "",
        "",
        f"b{i} = Bag{i}({p.r(1, 9)})",
        f"c{i} = Bag{i}({p.r(1, 9)})",
        f"nested{i} = [[{p.r(1, 9)}], [{p.r(1, 9)}]]",
        f"shallow{i} = list(nested{i})",
        f"shallow{i}[0].append({p.r(1, 20)})",
        f"shallow{i}[1] = [{p.r(1, 9)}]",
        f"pairs{i} = list(zip(range(1, {n + 2}), map(lambda v: v * 2, filter(lambda v: v % 2, range({n + 5})))))",
        f"idx{i} = [k for k, _ in enumerate(t{i}, start={p.r(1, 4)})]",
    ]
    exprs = [f"len(u{i}) + len(t{i})", f"grid{i}[{n - 1}][1]", f"rows{i}[{n - 1}][1]", f"len(b{i}.items) * 3",
             f"c{i}.items[0]", f"nested{i}[0][-1]", f"nested{i}[1][0]", f"len(pairs{i}) + pairs{i}[-1][1]",
             f"idx{i}[-1]", f"sum(map(len, grid{i}))"]
    return lines, p.rng.sample(exprs, 4)


def v_inherit(p):
    """Classes: overridden methods reached through ``super()``, class attributes a subclass overrides, a diamond
    whose method order (C3) picks the sibling's method, classmethods that make ``cls``, staticmethods, dunder
    methods (``len``, indexing, ``in``, calls) and ``type(obj)``."""
    i = p.fresh()
    a, b, k = p.r(1, 12), p.r(1, 12), p.r(1, 6)
    lines = [
        f"class Base{i}:",
        f"    units = {a}",
        "",
        f"    def __init__(self, k={k}):",
        "        self.k = k",
        "        self.setup()",
        "",
        "    def setup(self):",
        "        self.width = self.units + self.k",
        "",
        "    def scale(self):",
        f"        return {p.r(1, 3)}",
        "",
        "    @classmethod",
        "    def make(cls, k):",
        "        return cls(k)",
        "",
        "    @staticmethod",
        "    def twice(v):",
        "        return v * 2",
        "",
        "    def __len__(self):",
        f"        return self.k + {p.r(0, 4)}",
        "",
        "    def __getitem__(self, j):",
        "        return self.width + j",
        "",
        "    def __contains__(self, v):",
        "        return v == self.k",
        "",
        "    def __call__(self, v):",
        "        return v + self.scale()",
        "",
        "",
        f"class Mid{i}(Base{i}):",
        f"    units = {b}",
        "",
        "    def setup(self):",
        "        super().setup()",
        "        self.width += self.scale()",
        "",
        "",
        f"class Left{i}(Base{i}):",
        "    def scale(self):",
        f"        return {p.r(2, 5)}",
        "",
        "    def setup(self):",
        "        self.width = self.units * 2",
        "",
        "",
        f"class Diamond{i}(Mid{i}, Left{i}):",
        "    pass",
        "",
        "",
        f"m{i} = Mid{i}({p.r(1, 9)})",
        f"d{i} = Diamond{i}.make({p.r(1, 9)})",
        f"l{i} = Left{i}()",
    ]
    ops = [f"Base{i}.units = {p.r(1, 9)}", f"Mid{i}.units += {p.r(1, 4)}", f"d{i}.k = {p.r(1, 9)}",
           f"l{i}.setup()", f"m{i}.width -= {p.r(0, 3)}"]
    lines += p.rng.sample(ops, p.r(0, 3))
    exprs = [f"m{i}.width", f"d{i}.width", f"l{i}.width", f"Base{i}.twice(d{i}.k)", f"len(Diamond{i}.__mro__)",
             f"isinstance(d{i}, Left{i}) + {p.r(1, 9)}", f"type(d{i}).units", f"len(m{i})", f"d{i}[{p.r(0, 4)}]",
             f"({p.r(1, 9)} in d{i}) + {p.r(1, 5)}", f"d{i}({p.r(1, 9)})", f"l{i}.make({p.r(1, 5)}).width",
             f"Diamond{i}.units + Left{i}.units"]
    return lines, p.rng.sample(exprs, 4)


def v_funcargs(p):
    """How Python binds arguments: defaults, ``*args`` and ``**kwargs`` given and unpacked, keyword-only
    parameters, ``functools.partial``, a mutable default that keeps growing, recursion, lambdas with defaults
    (early binding) and without (late binding)."""
    i = p.fresh()
    p.imports.add("functools")
    b, s, e = p.r(1, 6), p.r(1, 3), p.r(1, 5)
    lines = [
        f"def f{i}(a, b={b}, *rest, scale={s}, **kw):",
        f'    return a * scale + b + len(rest) + kw.get("extra", {e})',
        "",
        f"x1_{i} = f{i}({p.r(1, 9)})",
        f"x2_{i} = f{i}({p.r(1, 5)}, {p.r(1, 5)}, {p.r(1, 5)}, {p.r(1, 5)}, extra={p.r(1, 5)})",
        f"args{i} = ({p.r(1, 5)}, {p.r(1, 5)})",
        f'kw{i} = {{"scale": {p.r(1, 3)}}}',
        f"x3_{i} = f{i}(*args{i}, **kw{i})",
        f"g{i} = functools.partial(f{i}, {p.r(1, 5)}, scale={p.r(1, 3)})",
        f"x4_{i} = g{i}(b={p.r(1, 5)})",
        "",
        f"def bucket{i}(v, into=[]):",
        "    into.append(v)",
        "    return len(into)",
        "",
        f"bucket{i}({p.r(1, 9)})",
        f"bucket{i}({p.r(1, 9)}, [])",
        f"y{i} = bucket{i}({p.r(1, 9)})",
        "",
        f"def fact{i}(n):",
        f"    return 1 if n <= 1 else n * fact{i}(n - 1)",
        "",
        f"late{i} = [lambda: k for k in range({p.r(2, 6)})]",
        f"early{i} = [lambda k=k: k for k in range({p.r(2, 6)})]",
        f"lam{i} = lambda v, w={p.r(1, 9)}: v + w",
    ]
    exprs = [f"x1_{i}", f"x2_{i}", f"x3_{i}", f"x4_{i}", f"y{i}", f"fact{i}({p.r(1, 4)})",
             f"late{i}[0]() + 1", f"early{i}[-1]() + 1", f"lam{i}({p.r(1, 9)})", f"lam{i}(1, w={p.r(1, 9)})",
             f"g{i}(1, 2, extra=3)"]
    return lines, p.rng.sample(exprs, 4)


def v_strings(p):
    """Integers read out of strings: split names, ``int`` of text in another base, f-string widths, joins,
    counts and finds."""
    i = p.fresh()
    a, b = p.r(1, 9), p.r(0, 9)
    name = p.pick(["conv_block", "dense_head", "stage", "res_unit_a"])
    lines = [
        f'name{i} = "{name}_{p.r(1, 30)}"',
        f'parts{i} = name{i}.split("_")',
        f"n{i} = int(parts{i}[-1]) + {p.r(0, 5)}",
        f'code{i} = f"{{{a}}}{{{b}}}"',
        f'hexv{i} = int("{p.pick(["0x1f", "0x0a", "0x2c", "12"])}", {p.pick([0, 16])})',
        f'joined{i} = ",".join(parts{i})',
        f'padded{i} = f"{{n{i}:04d}}"',
    ]
    exprs = [f"n{i}", f"int(code{i})", f"len(name{i})", f"len(parts{i}) * {p.r(1, 5)}", f"hexv{i}",
             f"len(joined{i})", f'joined{i}.count(",") + 1', f"len(padded{i}) + {p.r(0, 9)}",
             f'name{i}.find("_") + 1', f'len(name{i}.upper().replace("_", ""))',
             f'int(float("{p.r(1, 9)}.5") * 2)', f"ord(name{i}[0]) - 90"]
    return lines, p.rng.sample(exprs, 4)


def v_flow(p):
    """Operands ``and``/``or`` give, generators and ``yield from`` taken a step at a time, ``next`` with a
    default, ``any`` stopping at the first true item (its side effects stop too), ``while``-``else``, slices and
    star unpacking, bit operations."""
    i = p.fresh()
    a, b, t = p.r(1, 20), p.r(1, 20), p.r(1, 9)
    lines = [
        f"first{i} = 0 or {a}",
        f"both{i} = {a} and {b}",
        f"box{i} = [] or [{p.r(1, 9)}, {p.r(1, 9)}, {p.r(1, 9)}]",
        "",
        f"def gen{i}():",
        f"    yield {p.r(1, 9)}",
        f"    yield from range({p.r(1, 5)}, {p.r(6, 12)})",
        "",
        f"it{i} = gen{i}()",
        f"g1_{i} = next(it{i})",
        f"g2_{i} = next(it{i})",
        f"rest{i} = list(it{i})",
        f"none{i} = next(iter([]), {p.r(1, 9)})",
        f"calls{i} = []",
        "",
        f"def mark{i}(v):",
        f"    calls{i}.append(v)",
        f"    return v > {t}",
        "",
        f"hit{i} = any(mark{i}(v) for v in [{p.r(1, 12)}, {p.r(1, 12)}, {p.r(1, 12)}, {p.r(1, 12)}])",
        f"w{i} = {p.r(0, 5)}",
        f"while w{i} < {p.r(3, 15)}:",
        f"    w{i} += {p.r(2, 4)}",
        f"    if w{i} == {p.r(5, 9)}:",
        "        break",
        "else:",
        f"    w{i} += 100",
        f"head{i}, *tail{i} = box{i}",
        f"cut{i} = box{i}[::-1][:2]",
        f"bits{i} = ({p.r(1, 7)} << 2) | 1",
    ]
    exprs = [f"first{i}", f"both{i}", f"box{i}[-1]", f"g1_{i} + g2_{i}", f"len(rest{i}) + 1", f"none{i}",
             f"len(calls{i}) + hit{i}", f"w{i}", f"head{i} + len(tail{i})", f"cut{i}[0] + len(cut{i})", f"bits{i}",
             f"{a} & 7 | 1", f"{a} ^ {b}", f"(~{a}) + 70", f"{a * b}.bit_length()"]
    return lines, p.rng.sample(exprs, 4)


def v_scope(p):
    """Python's scopes: a class body's names are not seen by its methods, a loop variable outlives its loop, a
    comprehension's does not, an ``except ... as`` name is deleted after the handler, ``del``, a parameter that
    shadows a global, a global read before a local of the same name would be an error (so it is not generated)."""
    i = p.fresh()
    a, b, c = p.r(1, 12), p.r(1, 12), p.r(1, 9)
    lines = [
        f"size{i} = {a}",
        "",
        f"class Shelf{i}:",
        f"    size{i} = {b}",
        f"    doubled = size{i} * 2",
        "",
        "    def read(self):",
        f"        return size{i}",
        "",
        "",
        f"for step{i} in range({p.r(1, 6)}):",
        "    pass",
        f"comp{i} = [step{i} for step{i} in range({p.r(7, 12)})]",
        f"caught{i} = {c}",
        "try:",
        f"    raise ValueError({p.r(1, 9)})",
        f"except ValueError as err{i}:",
        f"    caught{i} = err{i}.args[0] + {p.r(0, 3)}",
        f"gone{i} = 'err{i}' in dir()",
        f"tmp{i} = {p.r(1, 9)}",
        f"del tmp{i}",
        f"tmp{i} = {p.r(1, 9)}",
        "",
        f"def shadow{i}(size{i}={p.r(1, 9)}):",
        f"    return size{i} + 1",
        "",
    ]
    exprs = [f"Shelf{i}().read()", f"Shelf{i}.doubled", f"Shelf{i}.size{i}", f"step{i} + 1", f"len(comp{i})",
             f"caught{i}", f"gone{i} + {p.r(1, 5)}", f"tmp{i}", f"shadow{i}()", f"shadow{i}({p.r(1, 9)})"]
    return lines, p.rng.sample(exprs, 4)


def v_containers(p):
    """Dicts keep insertion order (an update keeps a key's place, ``popitem`` takes the last), merges let the
    right side win, ``collections.Counter``/``defaultdict``/``deque``, sets of small ints, ``dict.fromkeys``."""
    i = p.fresh()
    p.imports.add("collections")
    a, b, c = p.r(1, 9), p.r(1, 9), p.r(1, 9)
    lines = [
        f'd{i} = {{"x": {a}, "y": {b}}}',
        f'd{i}["z"] = {c}',
        f'd{i}["x"] = {p.r(1, 20)}',
        f"keys{i} = list(d{i})",
        f"last{i} = d{i}.popitem()",
        f'merged{i} = {{**d{i}, "y": {p.r(1, 20)}, **{{"x": {p.r(1, 20)}}}}}',
        f'cnt{i} = collections.Counter("{p.pick(["abracadabra", "keras", "mississippi", "layers"])}")',
        f"dd{i} = collections.defaultdict(int)",
        f"for w in [{a}, {b}, {a}, {c}]:",
        f"    dd{i}[w] += 1",
        f"dq{i} = collections.deque([{a}, {b}, {c}], maxlen=2)",
        f"dq{i}.appendleft({p.r(1, 9)})",
        f"st{i} = {{{a}, {b}, {c}}} | {{{p.r(1, 9)}}}",
        f'fk{i} = dict.fromkeys(["p", "q"], {p.r(1, 9)})',
    ]
    exprs = [f"d{i}[keys{i}[0]]", f"last{i}[1]", f'merged{i}["x"] + merged{i}["y"]', f"len(keys{i})",
             f"cnt{i}.most_common(1)[0][1]", f"len(cnt{i})", f"dd{i}[{a}]", f"len(dd{i})", f"dq{i}[0] + len(dq{i})",
             f"dq{i}[-1]", f"len(st{i})", f"max(st{i})", f'fk{i}["q"]', f"sum(dd{i}.values())"]
    return lines, p.rng.sample(exprs, 4)


def v_sets(p):
    """Sets as Python computes them: duplicates dropped (``1``, ``True`` and ``1.0`` are one item), ``set()`` and
    ``frozenset()`` of lists, strings and ranges, set comprehensions, ``|`` ``&`` ``-`` ``^`` and their methods
    (with lists as arguments), subset comparisons, ``in``, sets grown in place through an alias (``add``,
    ``update``, ``|=``) or rebound (``s = s | t`` leaves the alias as it was), sets of strings and tuples read in
    ways no order changes (``len``, ``sorted``, ``min``), a set of small integers iterated, removals in place."""
    i = p.fresh()
    a, b, c = p.r(0, 7), p.r(0, 7), p.r(0, 7)
    word = p.pick(["keras", "layers", "mississippi", "abracadabra", "dense"])
    lines = [
        f"s{i} = {{{a}, {b}, {c}, {a}}}",
        f"t{i} = set([{b}, {p.r(0, 7)}, {p.r(8, 20)}])",
        f"u{i} = frozenset(range({p.r(2, 9)}))",
        f"alias{i} = s{i}",
        f"s{i}.add({p.r(0, 30)})",
        f"s{i}.update([{p.r(0, 7)}], ({p.r(0, 40)},))",
        f"alias{i} |= {{{p.r(0, 9)}}}",
        f"rebound{i} = s{i}",
        f"rebound{i} = rebound{i} | {{{p.r(50, 60)}}}",
        f"both{i} = (s{i} & t{i}) | (u{i} - t{i})",
        f"odd{i} = s{i} ^ u{i}",
        f'chars{i} = set("{word}")',
        f"comp{i} = {{k % {p.r(2, 5)} for k in range({p.r(3, 12)})}}",
        f"pairs{i} = {{({a}, {b}), ({b}, {a}), ({a}, {b})}}",
        f"mixed{i} = {{1, True, 1.0, {p.r(2, 5)}}}",
        f"sub{i} = u{i}.issubset(range(10)) + ({{{a}}} <= s{i}) + (t{i} < u{i}) + t{i}.isdisjoint([{c}])",
        f"small{i} = {{{p.r(0, 7)}, {p.r(0, 7)}, {p.r(0, 7)}}}",
        f"walk{i} = 0",
        f"for k in small{i}:",
        f"    walk{i} = walk{i} * 8 + k + 1",
        f"gone{i} = set(u{i})",
        f"gone{i}.discard({p.r(0, 9)})",
    ]
    exprs = [f"len(s{i})", f"len(alias{i}) + len(rebound{i})", f"len(both{i}) + 1", f"len(odd{i}) + 1",
             f"len(chars{i})", f'sorted(chars{i}).index("{word[0]}") + 1', f"len(comp{i})", f"len(pairs{i})",
             f"len(mixed{i})", f"sub{i} + 1", f"walk{i} % 64 + 1", f"max(s{i} | t{i}) + 1", f"sum(u{i}) + 1",
             f"len(gone{i}) + 1", f"len(s{i}.union([{p.r(0, 9)}], u{i}).difference(t{i})) + 1",
             f"{a} in s{i} and {p.r(0, 9)} not in t{i} and {p.r(1, 60)} or 2"]
    return lines, p.rng.sample(exprs, 4)


def v_numeric(p):
    """Numbers Python converts its own way: ``int`` truncates toward zero, ``round`` to even (and of a float with
    digits), ``math`` floors, ceilings, logs and products, text read as numbers, ranges with negative steps,
    truth of empty values."""
    i = p.fresh()
    p.imports.add("math")
    a, b = p.r(1, 40), p.r(2, 9)
    lines = [
        f"t{i} = int(-{a} / {b}) + {a}",
        f"c{i} = math.ceil({a} / {b})",
        f"f{i} = math.floor(-{a} / {b}) + {a}",
        f"l{i} = int(math.log2({a * 4}))",
        f"pr{i} = math.prod([{p.r(1, 3)}, {p.r(1, 4)}, {p.r(1, 5)}])",
        f"g{i} = math.gcd({a * 2}, {b * 4})",
        f"sq{i} = math.isqrt({a * 3})",
        f'txt{i} = int(" {a} ") + int("1_0")',
        f'tr{i} = bool("False") + bool("") + bool([0])',
        f"rg{i} = list(range({b + 6}, 0, -{p.r(2, 3)}))",
        f"ln{i} = len(range(1, {a + 3}, {b}))",
        f"em{i} = {p.r(1, 9)} if [] else {p.r(1, 9)}",
        f"rd{i} = round({a}.675, 2) * 100",
        f"hy{i} = int(math.hypot({p.pick([3, 6, 5])}, {p.pick([4, 8, 12])}))",
    ]
    exprs = [f"t{i}", f"c{i}", f"f{i}", f"l{i}", f"pr{i}", f"g{i}", f"sq{i}", f"txt{i}", f"tr{i} + 1",
             f"rg{i}[-1] + len(rg{i})", f"ln{i}", f"em{i}", f"int(rd{i}) % 60 + 1", f"hy{i}", f"range({a}, 0, -3)[1]"]
    return lines, p.rng.sample(exprs, 4)


def v_slices(p):
    """Slices that clamp, run backwards or come out empty, of lists, tuples, strings and ranges; slice
    assignment that grows or shrinks a list."""
    i = p.fresh()
    n = p.r(4, 9)
    lines = [
        f"xs{i} = list(range(1, {n + 1}))",
        f"back{i} = xs{i}[::-1]",
        f"clamp{i} = xs{i}[-{n + 5}:{p.r(1, 3)}]",
        f"empty{i} = xs{i}[{n}:{p.r(0, 2)}]",
        f"step{i} = xs{i}[1::{p.r(2, 3)}]",
        f"mid{i} = tuple(xs{i})[1:-1]",
        f'word{i} = "{p.pick(["conv2d", "dense_block", "attention"])}"[::-2]',
        f"ys{i} = xs{i}[:]",
        f"ys{i}[1:3] = [{p.r(1, 9)}]",
        f"ys{i}[:0] = [{p.r(1, 9)}, {p.r(1, 9)}]",
        f"rs{i} = range({n}, {n * 3})[2:{p.r(4, 6)}]",
    ]
    exprs = [f"back{i}[0]", f"len(clamp{i}) + 1", f"len(empty{i}) + {p.r(1, 5)}", f"sum(step{i})", f"mid{i}[-1]",
             f"len(word{i})", f"len(ys{i})", f"ys{i}[0] + ys{i}[3]", f"rs{i}[0]", f"len(rs{i})", f"xs{i}[-2]"]
    return lines, p.rng.sample(exprs, 4)


def v_context(p):
    """Context managers of the file: ``__exit__`` returning true swallows the exception (the rest of the block is
    skipped, the code after it runs), ``__enter__``'s value bound by ``as``, a ``return`` in ``finally`` that
    replaces the one before it, ``break`` out of a ``try`` whose ``finally`` still runs."""
    i = p.fresh()
    a, b, c = p.r(1, 9), p.r(1, 9), p.r(1, 9)
    swallow = p.pick(["True", "False", "None", "1", "0"])
    lines = [
        f"class Guard{i}:",
        "    def __init__(self, v):",
        "        self.v = v",
        "        self.exits = 0",
        "",
        "    def __enter__(self):",
        "        return self.v * 2",
        "",
        "    def __exit__(self, *exc):",
        "        self.exits += 1",
        f"        return {swallow}",
        "",
        "",
        f"g{i} = Guard{i}({a})",
        f"seen{i} = {b}",
        "try:",
        f"    with g{i} as got{i}:",
        f"        seen{i} = got{i}",
        f"        raise KeyError({p.r(1, 9)})",
        f"        seen{i} = 99",
        "except KeyError:",
        f"    seen{i} += {c}",
        "",
        f"def last{i}():",
        "    try:",
        f"        return {p.r(1, 9)}",
        "    finally:",
        f"        if {p.pick(['True', 'False'])}:",
        f"            return {p.r(10, 19)}",
        "",
        f"hits{i} = 0",
        f"for k in range({p.r(2, 6)}):",
        "    try:",
        f"        if k == {p.r(1, 3)}:",
        "            break",
        "    finally:",
        f"        hits{i} += 1",
    ]
    exprs = [f"seen{i}", f"g{i}.exits + got{i}", f"last{i}()", f"hits{i}", f"got{i}"]
    return lines, p.rng.sample(exprs, 3)


def v_dynamic(p):
    """Values reached indirectly: ``copy.copy``/``deepcopy`` of nested settings then changed, ``json.loads`` of a
    literal, ``getattr`` with a default, registries of functions picked by a string, ``functools.reduce``,
    ``itertools.accumulate``/``chain``, ``str.format`` of numbers read back."""
    i = p.fresh()
    p.imports.update({"copy", "json", "itertools", "functools"})
    a, b, c = p.r(1, 9), p.r(1, 9), p.r(1, 9)
    lines = [
        f'base{i} = {{"dense": {{"units": {a}}}, "depth": {b}}}',
        f"shallow{i} = copy.copy(base{i})",
        f"deep{i} = copy.deepcopy(base{i})",
        f'shallow{i}["dense"]["units"] += {p.r(1, 5)}',
        f'deep{i}["depth"] = {p.r(1, 9)}',
        f"parsed{i} = json.loads('{{\"units\": {c}, \"rates\": [{a}, {b}]}}')",
        "",
        f"def double{i}(v):",
        "    return v * 2",
        "",
        f"def inc{i}(v):",
        f"    return v + {p.r(1, 4)}",
        "",
        f'ops{i} = {{"double": double{i}, "inc": inc{i}}}',
        f'picked{i} = ops{i}["{p.pick(["double", "inc"])}"]({p.r(1, 9)})',
        f"folded{i} = functools.reduce(lambda x, y: x * y + 1, [{a}, {b}, {p.r(1, 3)}])",
        f"acc{i} = list(itertools.accumulate([{a}, {b}, {c}]))",
        f"chained{i} = list(itertools.chain([{a}], ({b}, {c})))",
        f'fmt{i} = int("{{}}{{}}".format({p.r(1, 5)}, {p.r(0, 9)}))',
    ]
    exprs = [f'base{i}["dense"]["units"]', f'deep{i}["dense"]["units"]', f'base{i}["depth"]', f'parsed{i}["units"]',
             f'sum(parsed{i}["rates"])', f"picked{i}", f"folded{i}", f"acc{i}[-1]", f"len(chained{i}) + chained{i}[-1]",
             f"fmt{i}", f'getattr(shallow{i}, "missing", {p.r(1, 9)})', f"len(acc{i})"]
    return lines, p.rng.sample(exprs, 4)


def _np_op(p, name, shape):
    """One NumPy step on array ``name`` of ``shape`` (a list of ints): (code, new shape), or None when it does not
    apply. Shapes are tracked here only to keep the steps valid; Python itself computes the values."""
    nd = len(shape)
    kind = p.r(0, 17)
    ax = p.r(0, nd - 1) if nd else 0
    if kind == 0 and nd >= 2:
        return f"{name}.T", shape[::-1]
    if kind == 1 and nd >= 2:
        perm = list(range(nd))
        p.rng.shuffle(perm)
        return f"np.transpose({name}, {tuple(perm)})", [shape[i] for i in perm]
    if kind == 2:
        total = 1
        for d in shape:
            total *= d
        k = p.pick([d for d in range(1, 7) if total % d == 0])
        return f"{name}.reshape(-1, {k})", [total // k, k]
    if kind == 3 and nd <= 3:
        a = p.r(0, nd)
        return f"np.expand_dims({name}, {a})", shape[:a] + [1] + shape[a:]
    if kind == 4 and nd >= 1 and shape[ax] > 1:
        k = p.r(1, shape[ax] - 1)
        index = ", ".join([":"] * ax + [f":{k}"])
        return f"{name}[{index}]", shape[:ax] + [k] + shape[ax + 1:]
    if kind == 5 and nd >= 1:
        return f"np.concatenate([{name}, {name}], axis={ax})", shape[:ax] + [shape[ax] * 2] + shape[ax + 1:]
    if kind == 6 and nd <= 3:
        a = p.r(0, nd)
        return f"np.stack([{name}, {name}, {name}], axis={a})", shape[:a] + [3] + shape[a:]
    if kind == 7 and nd >= 2:
        keep = p.chance(0.5)
        new = shape[:ax] + ([1] if keep else []) + shape[ax + 1:]
        return f"{p.pick(['np.mean', 'np.sum', 'np.max'])}({name}, axis={ax}, keepdims={keep})", new
    if kind == 8 and nd >= 1:
        return f"np.repeat({name}, 2, axis={ax})", shape[:ax] + [shape[ax] * 2] + shape[ax + 1:]
    if kind == 9:
        total = 1
        for d in shape:
            total *= d
        return f"{name}.{p.pick(['flatten()', 'ravel()'])}", [total]
    if kind == 10 and nd >= 1:
        pads = [(0, 0)] * nd
        pads[ax] = (1, p.r(0, 2))
        return f"np.pad({name}, {tuple(pads)})", shape[:ax] + [shape[ax] + 1 + pads[ax][1]] + shape[ax + 1:]
    if kind == 11 and nd >= 2:
        return f"{name}[..., np.newaxis]", shape + [1]
    if kind == 12 and nd >= 1 and shape[0] > 1:
        return f"{name}[1:]", [shape[0] - 1] + shape[1:]
    if kind == 13 and 1 in shape:
        return f"np.squeeze({name})", [d for d in shape if d != 1]
    if kind == 14 and nd == 2:
        k = p.r(1, 6)
        return f"np.dot({name}, np.ones(({shape[1]}, {k})))", [shape[0], k]
    if kind == 15 and nd >= 1:
        return f"np.where({name} > 0.5, {name}, 0.0)", shape
    if kind == 16 and nd == 2:
        return f"np.hstack([{name}, {name}[:, :1]])", [shape[0], shape[1] + 1]
    if kind == 17 and nd >= 2:
        return f"{name}[::2]", [(shape[0] + 1) // 2] + shape[1:]
    return None


def v_numpy(p):
    """Sizes read from NumPy arrays after a few steps (transposes, reshapes, expand/squeeze, slices, concatenate and
    stack, reductions with and without ``keepdims``, repeat, pad, dot, where): ``a.shape[k]``, ``len(a)``,
    ``a.ndim``, ``a.size``."""
    i = p.fresh()
    p.imports.add("numpy as np")
    dims = [p.r(1, 6) for _ in range(p.r(1, 3))]
    start = p.pick([f"np.zeros({tuple(dims)})", f"np.ones({tuple(dims)})", f"np.random.rand(*{tuple(dims)})",
                    f"np.arange({'*'.join(map(str, dims)) or 1}).reshape({tuple(dims)})"])
    lines = [f"a{i} = {start}"]
    shape = list(dims)
    for step in range(p.r(1, 4)):
        made = None
        for _ in range(8):
            made = _np_op(p, f"a{i}", shape)
            if made is not None:
                break
        if made is None:
            break
        code, shape = made
        lines.append(f"a{i} = {code}")
    nd = len(shape)
    exprs = [f"len(a{i})", f"a{i}.ndim", f"a{i}.size", f"a{i}.shape[-1]", f"int(a{i}.shape[0]) + 1"]
    exprs += [f"a{i}.shape[{k}]" for k in range(nd)]
    return lines, p.rng.sample(exprs, min(4, len(exprs)))


def _to_categorical(y, num_classes=None):
    import numpy as np
    y = np.asarray(y, dtype="int64")
    shape = y.shape[:-1] if y.ndim > 1 and y.shape[-1] == 1 else y.shape
    n = int(num_classes if num_classes is not None else y.max() + 1)
    return np.zeros(tuple(shape) + (n,))


def _pad_sequences(seqs, maxlen=None, **kwargs):
    import numpy as np
    lengths = [len(s) for s in seqs]
    steps = next((np.asarray(s).shape[1:] for s in seqs if len(s)), ())
    return np.zeros((len(seqs), maxlen if maxlen is not None else max(lengths, default=0)) + tuple(steps))


#: What the value stage's ``keras.utils`` calls give (their shapes; real Keras runs them in the campaign): the
#: generator only needs a program's values to choose its snippets.
_KERAS_UTILS = types.SimpleNamespace(utils=types.SimpleNamespace(to_categorical=_to_categorical,
                                                                 pad_sequences=_pad_sequences))


def v_data(p):
    """Sizes of data prepared the usual ways: one-hot labels (``to_categorical`` with and without ``num_classes``,
    ``np.eye(n)[labels]``), padded sequences (``pad_sequences`` with and without ``maxlen``, of word vectors too),
    a split by a fraction, ``np.unique``, arrays of Python lists, a feature column added."""
    i = p.fresh()
    p.imports.add("numpy as np")
    n, c = p.r(4, 12), p.r(2, 6)
    labels = [p.r(0, c - 1) for _ in range(n)]
    seqs = [[p.r(1, 9) for _ in range(p.r(1, 6))] for _ in range(p.r(2, 5))]
    frac = p.pick(["0.2", "0.25", "0.3", "0.5"])
    lines = [
        f"labels{i} = np.array({labels})",
        f"onehot{i} = keras.utils.to_categorical(labels{i})",
        f"sized{i} = keras.utils.to_categorical(labels{i}, num_classes={c + p.r(0, 3)})",
        f"eye{i} = np.eye({c})[labels{i}]",
        f"seqs{i} = {seqs}",
        f"padded{i} = keras.utils.pad_sequences(seqs{i})",
        f"cut{i} = keras.utils.pad_sequences(seqs{i}, maxlen={p.r(2, 7)})",
        f"vecs{i} = keras.utils.pad_sequences([np.ones((k, {p.r(2, 5)})) for k in (1, 3)], maxlen={p.r(2, 6)})",
        f"split{i} = int(len(labels{i}) * (1 - {frac}))",
        f"train{i} = labels{i}[:split{i}]",
        f"classes{i} = np.unique(labels{i})",
        f"table{i} = np.array([[1, 2, 3], [4, 5, 6]] * {p.r(1, 4)})",
        f"wide{i} = np.column_stack([table{i}, table{i}[:, 0]])",
    ]
    exprs = [f"onehot{i}.shape[1]", f"sized{i}.shape[-1]", f"eye{i}.shape[1]", f"padded{i}.shape[1]",
             f"cut{i}.shape[1]", f"vecs{i}.shape[-1]", f"vecs{i}.shape[1]", f"len(train{i})", f"len(classes{i})",
             f"table{i}.shape[0]", f"wide{i}.shape[1]", f"onehot{i}.ndim"]
    return lines, p.rng.sample(exprs, 4)


def v_iterators(p):
    """Iterators and views kept in names: a ``zip`` object read twice (the second pass is empty), ``iter`` then
    ``next`` then ``list``, ``enumerate`` with ``start``, ``reversed`` and ``map`` of a builtin, dict views read
    after the dict changed."""
    i = p.fresh()
    a, b, c = p.r(1, 9), p.r(1, 9), p.r(1, 9)
    other = p.pick(["[1, 2]", "(7, 8, 9)", "'ab'"])
    lines = [
        f"pairs{i} = zip([{a}, {b}, {c}], {other})",
        f"one{i} = list(pairs{i})",
        f"two{i} = list(pairs{i})",
        f"it{i} = iter([{a}, {b}, {c}, {p.r(1, 9)}])",
        f"h{i} = next(it{i})",
        f"h2_{i} = next(it{i}, {p.r(1, 9)})",
        f"rest{i} = list(it{i})",
        f"en{i} = enumerate([{a}, {b}], start={p.r(1, 4)})",
        f"last{i} = [k * v for k, v in en{i}][-1]",
        f"rv{i} = reversed([{a}, {b}, {c}])",
        f"rv_first{i} = list(rv{i})[0]",
        f"mp{i} = map(abs, [-{a}, {b}])",
        f"mp_sum{i} = sum(mp{i})",
        f'cfg{i} = {{"a": {a}}}',
        f"ks{i} = cfg{i}.keys()",
        f"vs{i} = cfg{i}.values()",
        f'cfg{i}["b"] = {b}',
    ]
    if p.chance(0.5):
        lines.append(f'cfg{i}["a"] = {c}')
    # (what the model stage reads may be read many times: no expression takes items of an iterator)
    exprs = [f"len(one{i}) + len(two{i}) + 1", f"h{i} + h2_{i}", f"len(rest{i}) + 1", f"last{i}", f"rv_first{i}",
             f"mp_sum{i}", f"len(ks{i})", f"sum(vs{i})", f"len(list(ks{i})) + 2"]
    return lines, p.rng.sample(exprs, 4)


def v_objects(p):
    """Objects that count and guard: a property with a setter that clamps, a class counter bumped through
    ``type(self)``/``self.__class__`` in ``__init__``, ``super(Cls, self)`` with explicit arguments, a class
    method that changes class state, ``__slots__``, an instance attribute that shadows a class attribute and
    ``del`` that uncovers it again."""
    i = p.fresh()
    lo, hi = p.r(1, 5), p.r(8, 20)
    lines = [
        f"class Knob{i}:",
        "    made = 0",
        f"    level = {p.r(1, 9)}",
        "",
        "    def __init__(self, v):",
        "        type(self).made += 1",
        "        self._v = 0",
        "        self.v = v",
        "",
        "    @property",
        "    def v(self):",
        "        return self._v",
        "",
        "    @v.setter",
        "    def v(self, value):",
        f"        self._v = min(max(value, {lo}), {hi})",
        "",
        "    @classmethod",
        "    def bump(cls, k):",
        "        cls.level += k",
        "        return cls.level",
        "",
        "",
        f"class Big{i}(Knob{i}):",
        "    def __init__(self, v):",
        f"        super(Big{i}, self).__init__(v * 2)",
        "        self.__class__.made += 10",
        "",
        "",
        f"a{i} = Knob{i}({p.r(0, 30)})",
        f"b{i} = Big{i}({p.r(0, 12)})",
        f"a{i}.v = {p.r(0, 30)}",
        f"lv{i} = Knob{i}.bump({p.r(1, 4)})",
        f"a{i}.level = {p.r(1, 9)}",
        f"own{i} = a{i}.level",
        f"del a{i}.level",
    ]
    exprs = [f"a{i}.v", f"b{i}.v", f"Knob{i}.made + 1", f"Big{i}.made", f"lv{i}", f"own{i}", f"a{i}.level",
             f"b{i}.level + a{i}.v"]
    return lines, p.rng.sample(exprs, 4)


def v_patterns(p):
    """Newer syntax: ``match`` with literal, sequence (``*rest``), mapping (``**kw``), class (a dataclass's
    ``__match_args__`` and keywords), guarded and capture patterns; ``:=`` in a ``while`` test and in a comprehension
    (whose target leaks into the enclosing scope); ``while``-``else``."""
    i = p.fresh()
    p.imports.add("dataclasses")
    a, b, g = p.r(2, 7), p.r(1, 5), p.r(3, 20)
    lim = p.r(10, 40)
    lines = [
        "@dataclasses.dataclass",
        f"class Pt{i}:",
        "    x: int",
        "    y: int = 2",
        "",
        "",
        f"def kind{i}(v):",
        "    match v:",
        "        case 0 | 1:",
        f"            return {p.r(1, 9)}",
        "        case [first, second]:",
        "            return first + second",
        "        case [first, *rest]:",
        "            return first + len(rest)",
        '        case {"units": u, **kw}:',
        "            return u + len(kw)",
        f"        case Pt{i}(x=0):",
        f"            return {p.r(1, 9)}",
        f"        case Pt{i}(px, py):",
        "            return px * py",
        f"        case int(n) if n > {g}:",
        f"            return n - {g}",
        "        case str() as s:",
        "            return len(s)",
        "        case _:",
        f"            return {p.r(1, 9)}",
        "",
        "",
        f"n{i} = 0",
        f"while (n{i} := n{i} + {a}) < {lim}:",
        f"    if n{i} == {p.pick([a * 2, a * 3, lim + 1])}:",
        "        break",
        "else:",
        f"    n{i} += 100",
        f"ws{i} = [y{i} for x in range({p.r(2, 6)}) if (y{i} := x * {b}) % 2 == 0]",
    ]
    cases = ["0", "1", f"[{p.r(1, 9)}, {p.r(1, 9)}]", f"({p.r(1, 9)}, {p.r(1, 9)}, {p.r(1, 9)})",
             f'{{"units": {p.r(1, 9)}, "depth": 2}}', f'{{"units": {p.r(1, 9)}}}', f"Pt{i}(0, {p.r(1, 9)})",
             f"Pt{i}({p.r(1, 5)})", f"Pt{i}({p.r(1, 5)}, {p.r(1, 5)})", str(g + p.r(1, 20)), str(p.r(2, g)),
             f'"{p.pick(["relu", "tanh", "softmax"])}"', "[]", f"[{p.r(1, 9)}]", "2.5"]
    exprs = [f"kind{i}({c})" for c in p.rng.sample(cases, 4)]
    exprs += [f"n{i} % 60 + 1", f"len(ws{i}) + y{i}", f"sum(ws{i}) + 1"]
    return lines, p.rng.sample(exprs, 4)


def v_dunder(p):
    """A container class of the file: ``__len__``, ``__getitem__`` (negative indices and slices),
    ``__iter__`` that walks backwards (so ``list``, ``sum``, unpacking and ``in`` see that order, ``__contains__``
    aside), ``__add__``/``__radd__``, ``__call__``, ``__bool__``, ``__eq__``/``__hash__`` that make two objects one
    dict key, ``sorted``/``max`` with a key."""
    i = p.fresh()
    items = [p.r(1, 20) for _ in range(p.r(3, 5))]
    more = [p.r(1, 20) for _ in range(2)]
    t = p.r(1, 6)
    lines = [
        f"class Bag{i}:",
        "    def __init__(self, *items):",
        "        self.items = list(items)",
        "",
        "    def __len__(self):",
        "        return len(self.items)",
        "",
        "    def __getitem__(self, k):",
        "        return self.items[k]",
        "",
        "    def __iter__(self):",
        "        return iter(self.items[::-1])",
        "",
        "    def __contains__(self, v):",
        "        return v * 2 in self.items",
        "",
        "    def __add__(self, other):",
        f"        return Bag{i}(*(self.items + list(other)))",
        "",
        "    def __radd__(self, other):",
        "        return other + len(self.items)",
        "",
        "    def __call__(self, k):",
        "        return self.items[k] + 1",
        "",
        "    def __bool__(self):",
        f"        return len(self.items) > {t}",
        "",
        "    def __eq__(self, other):",
        "        return len(self) == len(other)",
        "",
        "    def __hash__(self):",
        "        return len(self.items)",
        "",
        "",
        f"b{i} = Bag{i}({', '.join(map(str, items))})",
        f"c{i} = b{i} + Bag{i}({', '.join(map(str, more))})",
        f"first{i}, *mid{i}, last{i} = b{i}",
        f"keys{i} = {{b{i}: 1, Bag{i}({', '.join(map(str, more + [1] * (len(items) - 2)))}): 2}}",
        f"hit{i} = {p.r(1, 10)} in b{i}",
    ]
    exprs = [f"len(b{i})", f"b{i}[-1]", f"list(b{i})[0]", f"sum(b{i}) % 60 + 1", f"c{i}[{len(items)}]",
             f"{p.r(1, 9)} + b{i}", f"b{i}({p.r(0, len(items) - 1)})", f"{p.r(1, 9)} if b{i} else {p.r(10, 19)}",
             f"first{i}", f"last{i} + len(mid{i})", f"len(keys{i}) + keys{i}[b{i}]", f"hit{i} + 1",
             f"sorted(b{i}, key=lambda v: -v)[0]", f"max(b{i}, key=lambda v: v % 5)", f"len(b{i}[1:])",
             f"len(c{i})"]
    return lines, p.rng.sample(exprs, 4)


def v_decorators(p):
    """Decorators that change what a call gives: ``functools.wraps`` around a counter, a decorator factory that
    repeats, stacked decorators applied bottom-up, ``lru_cache`` of a recursive function, a class decorator that
    adds an attribute, ``staticmethod`` and ``functools.cached_property`` computed once."""
    i = p.fresh()
    p.imports.add("functools")
    a, b, k = p.r(1, 5), p.r(1, 4), p.r(1, 3)
    lines = [
        f"calls{i} = []",
        "",
        "",
        f"def counted{i}(fn):",
        "    @functools.wraps(fn)",
        "    def inner(*args, **kwargs):",
        f"        calls{i}.append(fn.__name__)",
        f"        return fn(*args, **kwargs) + {a}",
        "    return inner",
        "",
        "",
        f"def times{i}(n):",
        "    def deco(fn):",
        "        def inner(x):",
        "            for _ in range(n):",
        "                x = fn(x)",
        "            return x",
        "        return inner",
        "    return deco",
        "",
        "",
        f"@counted{i}",
        f"@times{i}({k})",
        f"def step{i}(x):",
        f"    return x + {b}",
        "",
        "",
        "@functools.lru_cache(maxsize=None)",
        f"def fib{i}(n):",
        f"    return n if n < 2 else fib{i}(n - 1) + fib{i}(n - 2)",
        "",
        "",
        f"def tag{i}(cls):",
        "    cls.tag = len(cls.__name__)",
        "    return cls",
        "",
        "",
        f"@tag{i}",
        f"class Unit{i}:",
        f"    base = {p.r(1, 9)}",
        "    made = 0",
        "",
        "    @staticmethod",
        "    def scale(v):",
        "        return v * 2",
        "",
        "    @functools.cached_property",
        "    def size(self):",
        "        type(self).made += 1",
        "        return self.base + type(self).made",
        "",
        "",
        f"r{i} = step{i}({p.r(1, 9)})",
        f"s{i} = step{i}(1)",
        f"u{i} = Unit{i}()",
        f"z{i} = u{i}.size + u{i}.size",
    ]
    exprs = [f"r{i}", f"s{i}", f"len(calls{i}) + 1", f"len(step{i}.__name__)", f"fib{i}({p.r(2, 9)})",
             f"Unit{i}.tag", f"Unit{i}.scale({p.r(1, 9)})", f"z{i}", f"Unit{i}.made + 1"]
    return lines, p.rng.sample(exprs, 4)


def v_enums(p):
    """Enumerations: ``IntEnum`` members used as numbers, aliases (two names, one value: ``len`` counts one),
    ``auto()``, lookup by name and by value, iteration order."""
    i = p.fresh()
    p.imports.add("enum")
    a, b = p.r(1, 9), p.r(1, 9)
    lines = [
        f"class Size{i}(enum.IntEnum):",
        f"    SMALL = {a}",
        f"    LARGE = {b}",
        f"    HUGE = {p.r(10, 30)}",
        "",
        "",
        f"class Mode{i}(enum.Enum):",
        "    TRAIN = enum.auto()",
        "    EVAL = enum.auto()",
        "    TEST = enum.auto()",
        "",
        "",
        f"picked{i} = Size{i}[\"{p.pick(['SMALL', 'LARGE', 'HUGE'])}\"]",
    ]
    exprs = [f"Size{i}.SMALL + 1", f"int(Size{i}.LARGE) * 2", f"len(Size{i})", f"Mode{i}.TEST.value",
             f"list(Size{i})[-1].value", f"len(Size{i}({a}).name)", f"picked{i}.value", f"len(Mode{i}) + Mode{i}.EVAL.value",
             f"sum(Size{i})", f"max(Size{i}) - {a}"]
    return lines, p.rng.sample(exprs, 4)


def v_attrs(p):
    """Attributes set by name: ``setattr`` in a loop, ``vars(obj)[...]`` and ``obj.__dict__.update``, ``getattr``
    of a computed name, ``hasattr``, ``delattr`` that uncovers a class attribute, ``globals()[...]`` assignment
    read back as a name."""
    i = p.fresh()
    a, b, c, d = (p.r(1, 9) for _ in range(4))
    lines = [
        f"class Cfg{i}:",
        f"    units = {p.r(1, 9)}",
        "",
        "",
        f"cfg{i} = Cfg{i}()",
        f'for name, v in [("units", {a}), ("depth", {b})]:',
        f"    setattr(cfg{i}, name, v)",
        f'vars(cfg{i})["width"] = {c}',
        f"cfg{i}.__dict__.update(extra={d})",
        f'globals()["G{i}"] = {p.r(1, 9)}',
        f"names{i} = sorted(vars(cfg{i}))",
        f'had{i} = hasattr(cfg{i}, "{p.pick(["depth", "missing"])}")',
        f'got{i} = getattr(cfg{i}, "dep" + "th")',
    ]
    if p.chance(0.5):
        lines.append(f'delattr(cfg{i}, "units")')
    exprs = [f"cfg{i}.units", f"cfg{i}.width", f"cfg{i}.extra", f"G{i}", f"len(names{i})", f"got{i}",
             f"had{i} + 1", f"len(names{i}[0])"]
    return lines, p.rng.sample(exprs, 4)


def v_unbound(p):
    """Python's static scopes: a name a function assigns anywhere is its own from the start, so reading it first
    raises UnboundLocalError (caught here as ``NameError`` or by its own name), ``+=`` on an outer list included;
    a closure reading its outer function's name before that is assigned raises NameError; a class body reads the
    global until it assigns the name itself."""
    i = p.fresh()
    a, b, c, d, e, f = (p.r(1, 9) for _ in range(6))
    catch = p.pick(["NameError", "UnboundLocalError", "Exception"])
    lines = [
        f"count{i} = {a}",
        f"items{i} = [1, 2]",
        "",
        "",
        f"def read{i}():",
        "    try:",
        f"        v = count{i} + 1",
        f"    except {catch}:",
        f"        v = {b}",
        f"    count{i} = {c}",
        f"    return v + count{i}",
        "",
        "",
        f"def grow{i}():",
        "    try:",
        f"        items{i} += [3]",
        "    except UnboundLocalError:",
        f"        return {d}",
        f"    return len(items{i})",
        "",
        "",
        f"def outer{i}():",
        "    def inner():",
        "        return late + 1",
        "    try:",
        "        r = inner()",
        "    except NameError:",
        f"        r = {e}",
        f"    late = {f}",
        "    return r + inner()",
        "",
        "",
        f"def shadow{i}(flag):",
        "    if flag:",
        f"        count{i} = {p.r(1, 9)}",
        "    try:",
        f"        return count{i}",
        "    except NameError:",
        f"        return {p.r(10, 19)}",
        "",
        "",
        f"class Cls{i}:",
        f"    w = count{i} * 2",
        f"    count{i} = {p.r(1, 9)}",
        f"    h = count{i} + 1",
        "",
        "",
        f"gone{i} = {p.r(1, 9)}",
        f"del gone{i}",
        "try:",
        f"    back{i} = gone{i}",
        "except NameError:",
        f"    back{i} = {p.r(10, 19)}",
    ]
    exprs = [f"read{i}()", f"grow{i}()", f"outer{i}()", f"shadow{i}(True)", f"shadow{i}(False)", f"Cls{i}.w",
             f"Cls{i}.h", f"count{i}", f"len(items{i})", f"back{i}"]
    return lines, p.rng.sample(exprs, 4)


def v_hooks(p):
    """Classes that take over their own attributes: ``__getattr__`` answering for missing names, ``__setattr__``
    that changes what is stored, ``__slots__`` that make an assignment raise, a base's ``__init_subclass__`` that
    sets class attributes, a descriptor's ``__get__``; each read or set inside ``try``/``except AttributeError``."""
    i = p.fresh()
    a, b, c, d, e = (p.r(1, 9) for _ in range(5))
    lines = [
        f"class Soft{i}:",
        f"    known = {a}",
        "",
        "    def __getattr__(self, name):",
        f"        return len(name) + {b}",
        "",
        "",
        f"class Clamp{i}:",
        "    def __setattr__(self, name, value):",
        f"        object.__setattr__(self, name, min(value, {c}))",
        "",
        "",
        f"class Slot{i}:",
        '    __slots__ = ("a",)',
        "",
        "",
        f"class Root{i}:",
        "    def __init_subclass__(cls, **kwargs):",
        "        super().__init_subclass__(**kwargs)",
        f"        cls.tag = {d}",
        "",
        "",
        f"class Kid{i}(Root{i}):",
        f"    tag = {p.r(10, 19)}",
        "",
        "",
        f"class Ten{i}:",
        "    def __get__(self, obj, owner=None):",
        f"        return {e}",
        "",
        "",
        f"class Keeper{i}:",
        f"    v = Ten{i}()",
        "",
        "",
        f"soft{i} = Soft{i}()",
        "try:",
        f"    got{i} = soft{i}.{p.pick(['units', 'depth', 'known'])}",
        "except AttributeError:",
        f"    got{i} = {p.r(20, 29)}",
        f"clamp{i} = Clamp{i}()",
        f"clamp{i}.width = {p.r(1, 30)}",
        f"slot{i} = Slot{i}()",
        "try:",
        f"    slot{i}.{p.pick(['a', 'b'])} = {p.r(1, 9)}",
        f"    ok{i} = {p.r(1, 9)}",
        "except AttributeError:",
        f"    ok{i} = {p.r(10, 19)}",
    ]
    exprs = [f"got{i}", f"clamp{i}.width", f"ok{i}", f"Kid{i}.tag", f"Keeper{i}().v", f"Keeper{i}.v + 1"]
    return lines, p.rng.sample(exprs, 4)


def v_order(p):
    """When Python evaluates what: an augmented assignment to an item evaluates its index once, a dict display
    its keys and values in order, a chained comparison each operand once and stops early, keyword arguments left to
    right; a class body's comprehension (past its first iterable) and lambda read the names around the class, not
    the class's own; an ``assert`` that fails raises AssertionError to the handler around it."""
    i = p.fresh()
    a, b, c = p.r(1, 9), p.r(1, 9), p.r(1, 9)
    lines = [
        f"calls{i} = []",
        "",
        "",
        f"def note{i}(v):",
        f"    calls{i}.append(v)",
        "    return v",
        "",
        "",
        f"xs{i} = [{a}, {b}, {c}]",
        f"xs{i}[note{i}({p.r(0, 2)})] += note{i}({p.r(1, 9)})",
        f"d{i} = {{note{i}('k'): note{i}({p.r(1, 9)}), note{i}('j'): note{i}({p.r(1, 9)})}}",
        f"ok{i} = note{i}({p.r(1, 5)}) < note{i}({p.r(1, 5)}) < note{i}({p.r(1, 5)})",
        f"width{i} = {p.r(1, 9)}",
        "",
        "",
        f"class Rack{i}:",
        f"    width{i} = {p.r(10, 19)}",
        f"    seen = [width{i} for _ in range({p.r(1, 3)})]",
        f"    first = [w for w in [width{i}]]",
        f"    later = (lambda: width{i})()",
        "",
        "",
        "try:",
        f"    assert {p.pick(['len(calls' + str(i) + ') > 3', 'ok' + str(i), 'not ok' + str(i), 'xs' + str(i) + '[0] > 4'])}, 'checked'",
        f"    passed{i} = {p.r(1, 9)}",
        "except AssertionError:",
        f"    passed{i} = {p.r(10, 19)}",
    ]
    exprs = [f"len(calls{i})", f"sum(xs{i}) % 60 + 1", f"calls{i}[-1] if isinstance(calls{i}[-1], int) else 2",
             f"ok{i} + 1", f"Rack{i}.seen[0]", f"Rack{i}.first[0]", f"Rack{i}.later", f"len(Rack{i}.seen)",
             f"passed{i}"]
    return lines, p.rng.sample(exprs, 4)


#: Operations on known values, some of which Python rejects (``[].pop()``, ``len(5)``, ``1 + "a"``).
_ERROR_OPS = ("[].pop()", "{}.pop('k')", "[1].remove(2)", "[1].index(2)", "'abc'.index('z')", "int(None)", "len(5)",
              "1 + 'a'", "None.attr", "next(iter([]))", "float('x')", "{'a': 1}['b']", "(1, 2)[5]", "min([])",
              "sum(['a'])", "'x'.join([1])", "'%d' % 'a'", "abs('a')", "iter(5)", "sorted([1, 'a'])", "[1] * 'a'",
              "getattr(1, 'zz')", "object().x", "{}.update(5)", "[].extend(5)", "' '.split(5)", "int('1.5')",
              "[3, 4].pop()", "{'k': 2}.pop('k')", "[1, 2].index(2)", "'abc'.index('c')", "int('12')", "len('abc')",
              "1 + 2", "next(iter([7]))", "float('2.5')", "(1, 2)[1]", "min([4, 2])", "sum([1, 2])", "'-'.join('ab')",
              "'%d' % 3", "abs(-2)", "sorted([2, 1])", "[1] * 2", "getattr(1, 'real')", "{}.update(a=1)")


def v_errors(p):
    """Python's own errors from builtins and operators on known values, inside ``try``/``except``: the handler runs
    where Python raises, the rest of the body where it does not."""
    i = p.fresh()
    lines = []
    exprs = []
    for k in range(3):
        op = p.pick(_ERROR_OPS)
        caught = p.pick(["Exception", "(ValueError, TypeError, IndexError, KeyError, AttributeError, StopIteration)"])
        if p.chance(0.25):
            p.imports.add("contextlib")
            lines += [f"res{i}_{k} = {p.r(10, 19)}", f"with contextlib.suppress({caught.strip('()')}):",
                      f"    got{i}_{k} = {op}", f"    res{i}_{k} = {p.r(1, 9)}"]
        else:
            lines += ["try:", f"    got{i}_{k} = {op}", f"    res{i}_{k} = {p.r(1, 9)}", f"except {caught}:",
                      f"    res{i}_{k} = {p.r(10, 19)}"]
        exprs.append(f"res{i}_{k}")
    cond = p.pick(["True", "False", "len([]) > 0", f"os.environ.get('GEN_NAME_{i}') is not None"])
    if "os." in cond:
        p.imports.add("os")
    lines += [f"for item{i} in []:", f"    never{i} = 1", f"if {cond}:", f"    maybe{i} = 1", "try:",
              f"    seen{i} = {p.pick([f'maybe{i}', f'never{i}'])}", f"    name{i} = {p.r(1, 9)}", "except NameError:",
              f"    name{i} = {p.r(10, 19)}"]
    exprs.append(f"name{i}")
    return lines, exprs


SNIPPETS = {
    "global": v_global,
    "nonlocal": v_nonlocal,
    "closure": v_closure,
    "list": v_list,
    "dict": v_dict,
    "exception": v_exception,
    "return": v_return,
    "loop": v_loop,
    "comprehension": v_comprehension,
    "settings": v_settings,
    "module": v_module,
    "arith": v_arith,
    "aliasing": v_alias,
    "inherit": v_inherit,
    "funcargs": v_funcargs,
    "strings": v_strings,
    "flow": v_flow,
    "scope": v_scope,
    "containers": v_containers,
    "sets": v_sets,
    "numeric": v_numeric,
    "slices": v_slices,
    "context": v_context,
    "dynamic": v_dynamic,
    "numpy": v_numpy,
    "data": v_data,
    "iterators": v_iterators,
    "objects": v_objects,
    "patterns": v_patterns,
    "dunder": v_dunder,
    "decorators": v_decorators,
    "enums": v_enums,
    "attrs": v_attrs,
    "unbound": v_unbound,
    "hooks": v_hooks,
    "order": v_order,
    "errors": v_errors,
}


def _evaluate(p, lines, exprs):
    """Run the value stage (settings.py, helpers.py, main.py so far plus
    `lines`) and return the values of `exprs`; raises on any error."""
    saved = {name: sys.modules.get(name) for name in ("settings", "helpers")}
    try:
        settings = types.ModuleType("settings")
        sys.modules["settings"] = settings
        exec(compile("\n".join(p.settings) + "\n", "settings.py", "exec"), settings.__dict__)
        helpers = types.ModuleType("helpers")
        sys.modules["helpers"] = helpers
        exec(compile("import settings\n" + "\n".join(p.helpers) + "\n", "helpers.py", "exec"), helpers.__dict__)
        g = {"__name__": "__gen__", "keras": _KERAS_UTILS}
        head = "import settings\nimport helpers\nimport dataclasses\nimport typing\nimport types\nimport contextlib\nimport os\nimport functools\nimport collections\nimport math\nimport copy\nimport json\nimport itertools\nimport enum\nimport numpy as np\n"
        exec(compile(head + "\n".join(p.main + lines) + "\n", "main.py", "exec"), g)
        return [eval(e, g) for e in exprs]
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod


def value_stage(p, disable=()):
    kinds = [k for k in SNIPPETS if k not in disable]
    for _ in range(p.r(2, 4)):
        kind = p.pick(kinds)
        for _attempt in range(6):
            before = (list(p.settings), list(p.helpers), set(p.imports))
            lines, exprs = SNIPPETS[kind](p)
            try:
                vals = _evaluate(p, lines, exprs)
            except Exception:
                vals = None
            good = [(e, v) for e, v in zip(exprs, vals or [])
                    if type(v) is int and LO <= v <= HI]
            if vals is not None and good:
                p.main += [f"# -- {kind}"] + lines + [""]
                p.values += good
                break
            p.settings, p.helpers, p.imports = before


# --------------------------------------------------------------------------
# Stage 2: models built from the values, then trainable flags.
# --------------------------------------------------------------------------


class Models:
    def __init__(self, p):
        self.p = p
        self.lines = []
        self.built = []  # (variable, [explicit layer names], [layer variables], [submodels])
        self.m = 50  # (its names, `model51`..., never those of the value stage, numbered from 1)

    def val(self):
        return self.p.pick(self.p.values)

    def e(self):
        return self.val()[0]

    def dense(self, units, name=None):
        p = self.p
        args = [units]
        if p.chance(0.3):
            args.append(f'activation="{p.pick(["relu", "tanh", "sigmoid"])}"')
        if p.chance(0.15):
            args.append(f"use_bias={p.pick(['False', 'True'])}")
        if p.chance(0.1):
            args.append("trainable=False")
        if name:
            args.append(f'name="{name}"')
        return f"layers.Dense({', '.join(args)})"

    def extra_layer(self):
        """A layer that keeps the shape (BatchNormalization has non-trainable weights)."""
        return self.p.pick(["layers.BatchNormalization()", "layers.Dropout(0.1)", "layers.LayerNormalization()",
                            'layers.Activation("relu")'])

    def freeze_by_auto_name(self, var):
        """Freeze a layer of `var` by an automatic name Keras may or may not have given (Keras decides; a name
        kerascount counts otherwise would freeze another layer)."""
        k = self.p.r(0, 7)
        name = "dense" if k == 0 else f"dense_{k}"
        self.lines += ["try:", f'    {var}.get_layer("{name}").trainable = False', "except ValueError:", "    pass"]

    def new_model(self):
        self.m += 1
        return self.m

    # -- builders ---------------------------------------------------------
    def b_seq_list(self):
        m = self.new_model()
        p = self.p
        items = [f"keras.Input(shape=({self.e()},))"]
        names = []
        for j in range(p.r(1, 3)):
            name = f"d{m}_{j}" if p.chance(0.4) else None
            names += [name] if name else []
            items.append(self.dense(self.e(), name))
            if p.chance(0.3):
                items.append(self.extra_layer())
        self.lines += [f"model{m} = keras.Sequential(["] + [f"    {x}," for x in items] + ["])"]
        self.built.append((f"model{m}", names, [], []))

    def b_seq_loop(self):
        m = self.new_model()
        p = self.p
        widths = ", ".join(self.e() for _ in range(p.r(2, 4)))
        v, lim = self.val()[1], p.r(0, 3)
        body = [
            f"model{m} = keras.Sequential()",
            f"model{m}.add(keras.Input(shape=({self.e()},)))",
            f"for j, u in enumerate([{widths}]):",
        ]
        conds = []
        if p.chance(0.6):
            conds.append([f"    if u {p.pick(['>', '<', '=='])} {v}:", "        continue"])
        if p.chance(0.5):
            conds.append([f"    if j >= {lim}:", "        break"])
        p.rng.shuffle(conds)
        body += [line for pair in conds for line in pair] + [f"    model{m}.add({self.dense('u')})"]
        if p.chance(0.4):
            body += ["else:", f"    model{m}.add({self.extra_layer()})"]
        if p.chance(0.5):
            body.append(f"model{m}.add({self.dense(self.e())})")
        self.lines += body
        self.built.append((f"model{m}", [], [], []))

    def b_functional_return(self):
        m = self.new_model()
        p = self.p
        t = self.val()[1] + p.r(-2, 2)
        self.lines += [
            f"def build{m}(widths, depth, stop={t}):",
            f"    inputs = keras.Input(shape=({self.e()},))",
            "    x = inputs",
            "    for k in range(depth):",
            "        u = widths[k % len(widths)]",
            "        if u > stop:",
            "            return keras.Model(inputs, x)",
            f"        x = {self.dense('u')}(x)",
            f"    x = {self.extra_layer()}(x)",
            f"    return keras.Model(inputs, {self.dense(self.e())}(x))",
            "",
            "",
            f"model{m} = build{m}([{self.e()}, {self.e()}], {p.r(0, 3)})",
        ]
        self.built.append((f"model{m}", [], [], []))
        if p.chance(0.3):  # the builder called again: a second model at the same lines
            self.lines.append(f"again{m} = build{m}([{self.e()}], {p.r(1, 2)}, stop={HI})")
            self.built.append((f"again{m}", [], [], []))

    def b_closures(self):
        m = self.new_model()
        p = self.p
        widths = ", ".join(self.e() for _ in range(p.r(1, 3)))
        kind = p.r(0, 2)
        if kind == 0:
            lines = [
                f"def dense_fn{m}(u):",
                "    def apply(x):",
                f"        return {self.dense('u')}(x)",
                "",
                "    return apply",
                "",
                "",
                f"fns{m} = [dense_fn{m}(u) for u in [{widths}]]",
            ]
        elif kind == 1:
            lines = [f"fns{m} = [lambda x: {self.dense('u')}(x) for u in [{widths}]]"]
        else:
            lines = [f"fns{m} = [lambda x, u=u: {self.dense('u')}(x) for u in [{widths}]]"]
        lines += [
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"hm{m} = inp{m}",
            f"for f in fns{m}:",
            f"    hm{m} = f(hm{m})",
            f"model{m} = keras.Model(inp{m}, hm{m})",
        ]
        self.lines += lines
        self.built.append((f"model{m}", [], [], []))

    def b_comprehension(self):
        m = self.new_model()
        p = self.p
        widths = ", ".join(self.e() for _ in range(p.r(2, 4)))
        cond = p.pick(["u % 2 == 0", f"u > {self.val()[1]}", "u != 1", f"u < {self.val()[1]}"])
        self.lines += [
            f"widths{m} = [{widths}]",
            f"model{m} = keras.Sequential(",
            f"    [keras.Input(shape=({self.e()},))]",
            f"    + [{self.dense('u')} for u in widths{m} if {cond}]",
            f"    + [{self.dense(self.e())}]",
            ")",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_caught(self):
        """A Keras error caught by try: the merge raises when the widths differ."""
        m = self.new_model()
        p = self.p
        a, b = self.e(), self.e() if p.chance(0.6) else None
        b = b or a
        self.lines += [
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"x{m} = layers.Dense({a})(inp{m})",
            "try:",
            f"    y{m} = layers.{p.pick(['Add', 'Multiply', 'Subtract'])}()([x{m}, layers.Dense({b})(inp{m})])",
            "except ValueError:",
            f"    y{m} = {self.extra_layer()}(x{m})",
            f"model{m} = keras.Model(inp{m}, {self.dense(self.e())}(y{m}))",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_nested(self):
        """A Sequential used as a layer, a shared layer, layer variables kept for later."""
        m = self.new_model()
        d = self.e()
        self.lines += [
            f"inner{m} = keras.Sequential([keras.Input(shape=({d},)), {self.dense(self.e())},"
            f" layers.BatchNormalization()])",
            f"shared{m} = {self.dense(self.e(), name=f's{m}')}",
            f"bn{m} = layers.BatchNormalization()",
            f"inp{m} = keras.Input(shape=({d},))",
            f"z{m} = bn{m}(shared{m}(inner{m}(inp{m})))",
            f"model{m} = keras.Model(inp{m}, layers.Dense({self.e()})(z{m}))",
        ]
        self.built.append((f"model{m}", [f"s{m}"], [f"bn{m}", f"shared{m}"], [f"inner{m}"]))

    def b_conv(self):
        m = self.new_model()
        p = self.p
        kernel = p.pick(["3", "1", self.e()])
        self.lines += [
            f"model{m} = keras.Sequential([",
            f"    keras.Input(shape=({p.r(8, 24)}, {self.e()})),",
            f"    layers.Conv1D({self.e()}, {kernel}, padding=\"{p.pick(['same', 'valid'])}\"),",
            f"    layers.{p.pick(['GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'Flatten'])}(),",
            f"    {self.dense(self.e())},",
            "])",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_helpers(self):
        """Layers made by helpers.py from settings.py, which main.py changes between the calls."""
        m = self.new_model()
        p = self.p
        p.settings.append(f"BLOCK{m} = {p.r(1, 16)}")
        p.helpers += [
            "import keras",
            "",
            "",
            f"def block{m}(x, units=None):",
            f"    x = keras.layers.Dense(units or settings.BLOCK{m})(x)",
            f"    return keras.layers.{p.pick(['BatchNormalization', 'Dropout'])}({'' if p.chance(0.5) else '0.2'})(x)"
            .replace("BatchNormalization(0.2)", "BatchNormalization()").replace("Dropout()", "Dropout(0.1)"),
            "",
            "",
        ]
        self.lines += [
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"x{m} = helpers.block{m}(inp{m})",
            p.pick([f"settings.BLOCK{m} = {self.e()}", f"settings.BLOCK{m} += {p.r(1, 5)}",
                    f'setattr(settings, "BLOCK{m}", {self.e()})', "pass"]),
            f"x{m} = helpers.block{m}(x{m})",
            f"x{m} = helpers.block{m}(x{m}, units={self.e()})",
            f"model{m} = keras.Model(inp{m}, x{m})",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_alias(self):
        """A Sequential grown through an alias; model.layers is a copy (changing it changes nothing)."""
        m = self.new_model()
        p = self.p
        self.lines += [
            f"model{m} = keras.Sequential([keras.Input(shape=({self.e()},)), {self.dense(self.e())}])",
            f"same{m} = model{m}",
            f"same{m}.add({self.dense(self.e())})",
            f"listed{m} = model{m}.layers",
            p.pick([f"listed{m}.pop()", f"listed{m}.append({self.dense(self.e())})", f"listed{m}.clear()"]),
            f"registry{m} = {{'head': {self.dense(self.e())}}}",
            f"model{m}.add(registry{m}['head'])",
        ]
        if p.chance(0.5):
            self.lines.append(f"model{m}.pop()")
        self.built.append((f"model{m}", [], [], []))

    def b_counter(self):
        """Layer names from a global or nonlocal counter, read back by get_layer."""
        m = self.new_model()
        p = self.p
        n = p.r(2, 4)
        if p.chance(0.5):
            self.lines += [
                f"COUNT{m} = {p.r(0, 3)}",
                "",
                "",
                f"def block{m}(x, units):",
                f"    global COUNT{m}",
                f"    COUNT{m} += 1",
                f'    return layers.Dense(units, name=f"blk{m}_{{COUNT{m}}}")(x)',
                "",
                "",
            ]
            counter = f"COUNT{m}"
        else:
            self.lines += [
                f"def make_block{m}(start):",
                "    count = start",
                "",
                "    def block(x, units):",
                "        nonlocal count",
                "        count += 1",
                f'        return layers.Dense(units, name=f"blk{m}_{{count}}")(x)',
                "",
                "    def current():",
                "        return count",
                "",
                "    return block, current",
                "",
                "",
                f"block{m}, current{m} = make_block{m}({p.r(0, 3)})",
            ]
            counter = f"current{m}()"
        self.lines += [
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"x{m} = inp{m}",
            f"for _ in range({n}):",
            f"    x{m} = block{m}(x{m}, {self.e()})",
            f"model{m} = keras.Model(inp{m}, layers.Dense({counter})(x{m}))",
        ]
        self.built.append((f"model{m}", [], [], []))
        self.lines.append(f'model{m}.get_layer(f"blk{m}_{{{counter}}}").trainable = {p.pick(["False", "True"])}')

    def b_while(self):
        """A while loop with break and continue adds layers; a raise in try after some were added."""
        m = self.new_model()
        p = self.p
        self.lines += [
            f"model{m} = keras.Sequential([keras.Input(shape=({self.e()},))])",
            f"km{m} = 0",
            "while True:",
            f"    km{m} += 1",
            f"    if km{m} % {p.r(2, 3)} == 0:",
            "        continue",
            f"    if km{m} > {p.r(1, 6)}:",
            "        break",
            f"    model{m}.add(layers.Dense(km{m} + {self.e()}))",
            "try:",
            f"    model{m}.add({self.dense(self.e())})",
            f"    if len(model{m}.layers) > {p.r(1, 4)}:",
            '        raise RuntimeError("deep enough")',
            f"    model{m}.add({self.dense(self.e())})",
            "except RuntimeError:",
            f"    model{m}.add({self.extra_layer()})",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_generator(self):
        """Layers from a generator function (yield), from **kwargs and from functools.partial."""
        m = self.new_model()
        p = self.p
        p.imports.add("functools")
        self.lines += [
            f"def blocks{m}(widths):",
            "    for u in widths:",
            f"        if u == {self.val()[1]}:",
            "            continue",
            "        yield layers.Dense(u)",
            f"    yield {self.extra_layer()}",
            "",
            "",
            f"opts{m} = {{'units': {self.e()}, 'activation': 'relu'}}",
            f"WideM{m} = functools.partial(layers.Dense, {self.e()}, use_bias={p.pick(['False', 'True'])})",
            f"model{m} = keras.Sequential([keras.Input(shape=({self.e()},)), "
            f"*blocks{m}([{self.e()}, {self.e()}]), layers.Dense(**opts{m}), WideM{m}()])",
        ]
        self.built.append((f"model{m}", [], [], []))

    def b_dynamic(self):
        """Layers reached indirectly: a registry of layer classes picked by a string, ``getattr(layers, name)``,
        a maker class whose subclass adds to its ``super()`` result, ``next()`` of a generator of layers (the rest
        used later), and ``map`` over widths."""
        m = self.new_model()
        p = self.p
        kinds = p.pick([["Dense", "Dense"], ["Dense", "Dropout"]])
        lines = [
            f"KINDS{m} = {{'proj': layers.Dense, 'other': layers.{kinds[1]}}}",
            "",
            f"class Maker{m}:",
            f"    width = {self.e()}",
            "",
            "    def layers(self):",
            "        return [layers.Dense(self.width)]",
            "",
            "",
            f"class Wider{m}(Maker{m}):",
            f"    width = {self.e()}",
            "",
            "    def layers(self):",
            f"        return super().layers() + [layers.Dense({self.e()})]",
            "",
            "",
            f"def stream{m}(widths):",
            "    for w in widths:",
            "        yield layers.Dense(w)",
            "",
            "",
            f"src{m} = stream{m}([{self.e()}, {self.e()}, {self.e()}])",
            f"first{m} = next(src{m})" if p.chance(0.5) else f"first{m} = layers.Dense({self.e()})",
            f"model{m} = keras.Sequential([keras.Input(shape=({self.e()},)), KINDS{m}['proj']({self.e()}),",
            f"                           getattr(layers, 'Dense')({self.e()}), first{m},",
            f"                           *{p.pick([f'Wider{m}', f'Maker{m}'])}().layers(),",
            f"                           *map(layers.Dense, [{self.e()}])])",
            f"for extra{m} in src{m}:",
            f"    model{m}.add(extra{m})",
        ]
        self.lines += lines
        self.built.append((f"model{m}", [], [], []))

    def b_layer_classes(self):
        """Custom layers in a class hierarchy: a base whose build adds a weight, subclasses that extend build
        through super() (one adds a bias, one a scale), a diamond of both (C3 runs each build once), a mixin of
        plain helper methods, and class attributes read through self."""
        m = self.new_model()
        p = self.p
        top = p.pick([f"Both{m}", f"Scaled{m}", f"Shifted{m}", f"LayerBase{m}"])
        lines = [
            f"class Sizes{m}:",
            f"    extra = {self.e()}",
            "",
            "    def width(self, shape):",
            "        return shape[-1] + self.extra",
            "",
            "",
            f"class LayerBase{m}(Sizes{m}, layers.Layer):",
            "    def __init__(self, units, **kwargs):",
            "        super().__init__(**kwargs)",
            "        self.units = units",
            "",
            "    def build(self, shape):",
            "        self.w = self.add_weight(shape=(shape[-1], self.units))",
            "",
            "    def call(self, x):",
            "        return x @ self.w",
            "",
            "",
            f"class Scaled{m}(LayerBase{m}):",
            "    def build(self, shape):",
            "        super().build(shape)",
            "        self.s = self.add_weight(shape=(self.width(shape),))",
            "",
            "",
            f"class Shifted{m}(LayerBase{m}):",
            "    def build(self, shape):",
            "        super().build(shape)",
            "        self.b = self.add_weight(shape=(self.units,), trainable=" + p.pick(["True", "False"]) + ")",
            "",
            "",
            f"class Both{m}(Scaled{m}, Shifted{m}):",
            "    pass",
            "",
            "",
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"model{m} = keras.Model(inp{m}, {self.dense(self.e())}({top}({self.e()})(inp{m})))",
        ]
        self.lines += lines
        self.built.append((f"model{m}", [], [], []))

    # -- constructs the interpreter learnt in session 11 ---------------------
    def b_session(self):
        """Name counters started afresh by clear_session() inside a builder called twice (and at module level)."""
        m = self.new_model()
        p = self.p
        clear = p.pick(["keras.backend.clear_session()", "keras.utils.clear_session()"])
        if p.chance(0.5):
            head = [f"    if width > {self.val()[1]}:", f"        {clear}"]
        else:
            head = [f"    {clear}"]
        self.lines += [f"def make{m}(width):"] + head + [
            f"    inp = keras.Input(shape=({self.e()},))",
            f"    x = layers.Dense({self.e()})(inp)",
            f"    return keras.Model(inp, {self.dense('width')}(x))",
            "",
            "",
            f"model{m} = make{m}({self.e()})",
            f"mid{m} = keras.Sequential([keras.Input(shape=({self.e()},)), {self.dense(self.e())}])",
            f"again{m} = make{m}({self.e()})",
        ]
        if p.chance(0.5):
            self.lines += [clear, f"after{m} = keras.Sequential([keras.Input(shape=({self.e()},)), "
                                  f"{self.dense(self.e())}, {self.dense(self.e())}])"]
            self.built.append((f"after{m}", [], [], []))
        self.built += [(f"model{m}", [], [], []), (f"mid{m}", [], [], []), (f"again{m}", [], [], [])]
        self.freeze_by_auto_name(p.pick([f"mid{m}", f"again{m}", f"model{m}"]))

    def b_custom_sub(self):
        """A custom layer that builds its sublayers itself (some only under a condition), calls a weightless
        layer made inside call(), and is used in a functional model."""
        m = self.new_model()
        p = self.p
        cond = p.pick([f"input_shape[-1] > {self.val()[1]}", "self.wide", "self.wide is True", "not self.wide"])
        extra_call = p.chance(0.5)
        weightless = p.pick(['layers.Activation("relu")(y)', "layers.Add()([y, y])", "layers.ReLU()(y)",
                             "layers.Multiply()([y, y])", "keras.ops.maximum(y, 0.0)"])
        lines = [
            f"class Block{m}(layers.Layer):",
            "    def __init__(self, width, wide=False, **kwargs):",
            "        super().__init__(**kwargs)",
            "        self.width = width",
            "        self.wide = wide",
            "        self.inner = layers.Dense(width)",
            f"        self.extra = layers.Dense({self.e()})",
            f"        self.spare = layers.Dense({self.e()})",
            "",
            "    def build(self, input_shape):",
            f"        if {cond}:",
            "            self.extra.build(input_shape)",
            "        self.inner.build(input_shape)",
        ]
        if p.chance(0.5):
            lines.append(f"        self.spare.build((None, {self.e()}))")
        if p.chance(0.5):
            lines.append("        self.built = True")
        lines += [
            "",
            "    def call(self, x):",
            "        y = self.inner(x)",
            f"        y = {weightless}",
        ]
        if extra_call:
            lines += ["        if self.wide:", "            return y + self.extra(x)[..., :1]"]
        lines += [
            "        return y",
            "",
            "",
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"blk{m} = Block{m}({self.e()}, wide={p.pick(['True', 'False'])})",
            f"model{m} = keras.Model(inp{m}, {self.dense(self.e())}(blk{m}(inp{m})))",
        ]
        self.lines += lines
        self.built.append((f"model{m}", [], [f"blk{m}"], []))

    def b_held(self):
        """A custom layer (or model) holding a model as an attribute, called or not."""
        m = self.new_model()
        p = self.p
        d = self.e()
        held = p.pick([
            f"keras.Sequential([layers.Dense({self.e()}), {self.dense(self.e())}])",
            f"keras.Sequential([keras.Input(shape=({d},)), layers.Dense({self.e()})])",
            f"make_body{m}({d})",
        ])
        if "make_body" in held:
            self.lines += [
                f"def make_body{m}(n):",
                "    i = keras.Input(shape=(n,))",
                f"    return keras.Model(i, {self.dense(self.e())}(i))",
                "",
                "",
            ]
        base = p.pick(["layers.Layer", "keras.Model"])
        use = p.chance(0.7)
        self.lines += [
            f"class Holder{m}({base}):",
            "    def __init__(self, **kwargs):",
            "        super().__init__(**kwargs)",
            f"        self.body = {held}",
            f"        self.head = layers.Dense({self.e()})",
            "",
            "    def call(self, x):",
            "        return self.head(self.body(x))" if use else "        return self.head(x)",
            "",
            "",
            f"inp{m} = keras.Input(shape=({d},))",
            f"hold{m} = Holder{m}()",
            f"model{m} = keras.Model(inp{m}, hold{m}(inp{m}))",
        ]
        self.built.append((f"model{m}", [], [f"hold{m}"], []))

    def b_class_checks(self):
        """Layers picked by their class: type(layer) is X, layer.__class__ == X, the class name; widths
        counted from those tests."""
        m = self.new_model()
        p = self.p
        test = p.pick(["type(layer) is layers.Dense", "layer.__class__ == layers.Dense",
                       "type(layer) == layers.BatchNormalization", "type(layer).__name__ == \"Dense\"",
                       "layer.__class__ is not layers.Dense", "type(layer) in (layers.Dense, layers.Dropout)",
                       "isinstance(layer, layers.Layer) and type(layer) is not layers.Layer"])
        self.lines += [
            f"model{m} = keras.Sequential([",
            f"    keras.Input(shape=({self.e()},)),",
            f"    {self.dense(self.e())},",
            f"    {self.extra_layer()},",
            f"    {self.dense(self.e())},",
            f"    {self.extra_layer()},",
            "])",
            f"for k, layer in enumerate(model{m}.layers):",
            f"    if {test}:",
            f"        layer.trainable = {p.pick(['False', 'k % 2 == 0', 'True'])}",
            f"count{m} = sum(1 for layer in model{m}.layers if {test})",
            f"head{m} = keras.Sequential([keras.Input(shape=(count{m} + 1,)), layers.Dense(count{m} + {self.e()})])",
        ]
        self.built += [(f"model{m}", [], [], []), (f"head{m}", [], [], [])]

    def b_setdefault(self):
        """Layers kept in a dict by setdefault (its default is made, and named, even when not used)."""
        m = self.new_model()
        p = self.p
        self.lines += [
            f"reg{m} = {{}}",
            "",
            "",
            f"def layer_for{m}(key, units):",
            f"    return reg{m}.setdefault(key, layers.Dense(units))",
            "",
            "",
            f"inp{m} = keras.Input(shape=({self.e()},))",
            f"x{m} = layer_for{m}('a', {self.e()})(inp{m})",
            f"x{m} = layer_for{m}('b', {self.e()})(x{m})",
            p.pick([f"x{m} = layers.Concatenate()([x{m}, layer_for{m}('a', {self.e()})(inp{m})])",  # shared
                    f"x{m} = layer_for{m}('c', {self.e()})(x{m})",
                    f"reg{m}.setdefault('c', layers.Dense({self.e()}))"]),
            f"x{m} = layers.Dense({self.e()})(x{m})",
            f"model{m} = keras.Model(inp{m}, x{m})",
        ]
        self.built.append((f"model{m}", [], [], []))
        if p.chance(0.5):
            self.freeze_by_auto_name(f"model{m}")

    def b_train_step(self):
        """A subclassed model with a decorated train_step, an optimizer kept as an attribute, `is` tests."""
        m = self.new_model()
        p = self.p
        mode = p.pick(["wide", "narrow"])
        args = p.pick(["", 'mode="wide"', "depth=2", 'mode="narrow", depth=1'])
        self.lines += [
            f"def logged{m}(fn):",
            "    def wrapper(*args, **kwargs):",
            "        return fn(*args, **kwargs)",
            "",
            "    return wrapper",
            "",
            "",
            f"class Net{m}(keras.Model):",
            f"    def __init__(self, mode=\"{mode}\", depth={p.r(1, 3)}):",
            "        super().__init__()",
            "        self.mode = mode",
            "        self.first = layers.Dense(" + self.e() + ")",
            f"        self.opt = keras.optimizers.{p.pick(['Adam', 'SGD', 'RMSprop'])}()",
            "        self.blocks = [layers.Dense(" + self.e() + ") for _ in range(depth)]",
            "        if mode == \"wide\":",
            f"            self.last = layers.Dense({self.e()})",
            "        else:",
            "            self.last = layers.Dropout(0.1)",
            "",
            f"    @logged{m}",
            "    def train_step(self, data):",
            "        return {}",
            "",
            "    def call(self, x):",
            "        x = self.first(x)",
            "        for b in self.blocks:",
            "            x = b(x)",
            "        return self.last(x)",
            "",
            "",
            f"net{m} = Net{m}({args})",
            p.pick([f"net{m}(keras.Input(shape=({self.e()},)))", f"net{m}.build((None, {self.e()}))"]),
        ]
        self.built.append((f"net{m}", [], [], []))

    def b_outputs(self):
        """A two-output model's .output list, a Sequential's layer .output/.input, get_layer(index=...)."""
        m = self.new_model()
        p = self.p
        kind = p.r(0, 2)
        if kind == 0:
            self.lines += [
                f"inp{m} = keras.Input(shape=({self.e()},))",
                f"left{m} = layers.Dense({self.e()})(inp{m})",
                f"right{m} = layers.Dense({self.e()})(inp{m})",
                f"two{m} = keras.Model(inp{m}, [left{m}, right{m}])",
                f"outs{m} = two{m}.output",
                f"model{m} = keras.Model(two{m}.input, "
                + p.pick([f"layers.Concatenate()(outs{m})", f"{self.dense(self.e())}(outs{m}[1])",
                          f"layers.Concatenate()(two{m}.outputs[::-1])"]) + ")",
            ]
            self.built += [(f"two{m}", [], [], []), (f"model{m}", [], [], [])]
            return
        widths = [self.e() for _ in range(p.r(2, 4))]
        self.lines += [f"seq{m} = keras.Sequential([keras.Input(shape=({self.e()},))"
                       + "".join(f", layers.Dense({w})" for w in widths) + "])"]
        if p.chance(0.4):
            self.lines.append(f"seq{m}.pop()")
        if kind == 1:
            k = p.r(-2, 1)
            tensor = p.pick([f"seq{m}.layers[{k}].output", f"seq{m}.get_layer(index={k}).output",
                             f"seq{m}.layers[-1].input", f"seq{m}.get_layer(index=-1).input"])
            # (seq.input raises in Keras 3: a Sequential is no layer that was called; seq.inputs is its input)
            self.lines.append(f"model{m} = keras.Model(seq{m}.{'input' if p.chance(0.15) else 'inputs'}, {tensor})")
            self.built += [(f"seq{m}", [], [], []), (f"model{m}", [], [], [])]
        else:
            self.lines += [
                f"seq{m}.get_layer(index=-1).trainable = {p.pick(['False', 'True'])}",
                f"seq{m}.add(layers.Dense({self.e()}))" if p.chance(0.5) else "pass",
                f"model{m} = keras.Model(seq{m}.inputs, layers.Dense({self.e()})(seq{m}.layers[0].output))",
            ]
            self.built += [(f"seq{m}", [], [], []), (f"model{m}", [], [], [])]

    def b_undecided(self):
        """A builder with a condition the source cannot decide (an environment variable), and one never called."""
        m = self.new_model()
        p = self.p
        p.imports.add("os")
        self.lines += [
            f"def build{m}(units):",
            f"    inp = keras.Input(shape=({self.e()},))",
            "    x = layers.Dense(units)(inp)",
            f"    if os.environ.get(\"GEN_FLAG_{m}\"):",
            f"        x = layers.Dense({self.e()})(x)",
            p.pick(["", "        return keras.Model(inp, x)"]),
            f"    x = {self.dense(self.e())}(x)",
            "    return keras.Model(inp, x)",
            "",
            "",
            f"def unused{m}(width):",
            "    i = keras.Input(shape=(width,))",
            f"    return keras.Model(i, layers.Dense({self.e()})(i))",
            "",
            "",
            f"model{m} = build{m}({self.e()})",
            f"next{m} = keras.Sequential([keras.Input(shape=({self.e()},)), layers.Dense({self.e()}), "
            f"layers.Dense({self.e()})])",
        ]
        self.built += [(f"model{m}", [], [], []), (f"next{m}", [], [], [])]
        self.freeze_by_auto_name(f"next{m}")

    def b_unknown_loop(self):
        """A loop over items the source cannot know (an environment variable's parts: two items when it is not
        set, so Keras runs the body twice): a model built in the body, a counter and a list each run changes, a
        width that grows from run to run, a class attribute a helper changes, an outer Sequential grown in place, or
        a way out of the body."""
        m = self.new_model()
        p = self.p
        p.imports.add("os")
        variant = p.pick(["fresh", "counter", "grows", "outer", "helper", "leave", "shared"])
        head = [f"count{m} = 0", f"seen_m{m} = []", f"width{m} = {self.e()}", f"outer{m} = keras.Sequential("
                f"[keras.Input(shape=({self.e()},)), {self.dense(self.e())}])",
                f"class Conf{m}:", f"    units = {self.e()}", f"def bump{m}():", f"    Conf{m}.units += {p.r(1, 4)}",
                f"def make{m}(units):",
                f"    return keras.Sequential([keras.Input(shape=({self.e()},)), {self.dense('units')}, "
                f"{self.dense(self.e())}])",
                f"for item in os.environ.get(\"GEN_ITEMS_{m}\", \"a,bc\").split(\",\"):"]
        body = []
        if variant in ("counter", "grows", "leave"):
            body.append(f"    count{m} += 1")
        if variant == "grows":
            body.append(f"    width{m} = width{m} + {self.e()}")
        if variant == "leave":
            body += [f"    if len(item) > {p.r(0, 2)}:", f"        {p.pick(['break', 'continue'])}"]
        if variant == "outer":
            body.append(f"    outer{m}.add({self.dense(self.e())})")
        if variant == "shared":
            body += [f"    bump{m}()", f"    width{m} = Conf{m}.units"]
        if variant == "helper":
            body.append(f"    model{m} = make{m}({self.e()})")
        else:
            body.append(f"    model{m} = keras.Sequential([keras.Input(shape=({self.e()},)), "
                        f"{self.dense(f'width{m}')}, {self.dense(self.e())}])")
        body.append(f"    seen_m{m}.append(model{m}.count_params() + count{m})")
        self.lines += head + body + [f"print(count{m}, seen_m{m})"]
        self.built.append((f"outer{m}", [], [], []))

    def b_opaque_items(self):
        """Layers made inside a display or a call whose other items the source cannot know (``*`` of an environment
        variable's parts, ``**`` of a dict made from them, a set): Python still makes every item, so the layers
        use up their automatic names before the model after them is made."""
        m = self.new_model()
        p = self.p
        p.imports.add("os")
        dense = self.dense(self.e())
        form = p.pick([
            f"[*extra{m}, {dense}, {self.dense(self.e())}]",
            f"collect{m}(*extra{m}, {dense})",
            f"(*extra{m}, {dense})",
            f"{{**dict.fromkeys(extra{m}), 'a': {dense}}}",
            f"{{*extra{m}, {dense}}}",
            f"collect{m}(*extra{m}, first={dense})",
            f"{{extra{m}[0] if extra{m} else 'k': {dense}}}",
            f"f'{{extra{m}}}{{{dense}}}'",
        ])
        self.lines += [
            f"extra{m} = [s for s in os.environ.get(\"GEN_EXTRA_{m}\", \"\").split(\",\") if s]",
            f"def collect{m}(*parts, **named):",
            "    return [q for q in parts if not isinstance(q, str)] + list(named.values())",
            f"made{m} = {form}",
            f"model{m} = keras.Sequential([keras.Input(shape=({self.e()},)), {self.dense(self.e())}, "
            f"{self.dense(self.e())}])",
        ]
        self.built.append((f"model{m}", [], [], []))

    BUILDERS = ("seq_list", "seq_loop", "functional_return", "closures", "comprehension", "caught", "nested",
                "conv", "helpers", "alias", "counter", "while", "generator", "session", "custom_sub", "held",
                "class_checks", "setdefault", "train_step", "outputs", "undecided", "unknown_loop", "dynamic",
                "layer_classes", "opaque_items")

    # -- trainable --------------------------------------------------------
    def trainable(self):
        p = self.p
        ops = []
        for var, names, layer_vars, subs in self.built:
            flag = lambda: p.pick(["True", "False"])  # noqa: E731
            choices = [
                lambda: f"{var}.trainable = {flag()}",
                lambda: f"{var}.layers[{p.pick(['0', '-1'])}].trainable = {flag()}",
                lambda: f"for layer in {var}.layers[:{p.r(1, 3)}]:\n    layer.trainable = {flag()}",
                lambda: (f"for layer in {var}.layers:\n    if isinstance(layer, layers.BatchNormalization):\n"
                         f"        layer.trainable = {flag()}"),
                lambda: f'{var}.compile(optimizer="adam", loss="mse")',
                # names Keras gave the layers when they were made, read while the program runs
                lambda: (f"for layer in {var}.layers:\n    if layer.name.startswith("
                         f"{p.pick(['dense', 'batch_normalization', 'conv', 'blk', 'input'])!r}):\n"
                         f"        layer.trainable = {flag()}"),
                lambda: (f"for layer in {var}.layers:\n    if {p.pick(['_1', '_2', 'norm'])!r} in layer.name:\n"
                         f"        layer.trainable = {flag()}"),
            ]
            choices += [lambda n=n: f'{var}.get_layer("{n}").trainable = {flag()}' for n in names]
            choices += [lambda v=v: f"{v}.trainable = {flag()}" for v in layer_vars + subs]
            if p.values:
                choices.append(lambda: f"if {self.e()} > {self.val()[1]}:\n    {var}.trainable = {flag()}")
            if p.chance(0.8):
                ops += [p.pick(choices)() for _ in range(p.r(1, 4))]
        p.rng.shuffle(ops)
        self.lines += ops


def generate(seed, disable=()):
    """One random program: {file name: text} (deterministic in `seed`)."""
    rng = random.Random(f"gen_programs:{seed}")
    p = Program(rng)
    value_stage(p, disable)
    if not p.values:
        n = p.r(2, 16)
        p.values = [(str(n), n)]
    ms = Models(p)
    builders = [b for b in Models.BUILDERS if b not in disable]
    for _ in range(p.r(1, 3)):
        getattr(ms, "b_" + p.pick(builders))()
        ms.lines.append("")
    ms.trainable()
    head = ["# Generated by tools/gen_programs.py", "import keras", "from keras import layers"]
    head += [f"import {m}" for m in sorted(p.imports)]
    if p.settings:
        head += ["", "import helpers", "import settings"]
    files = {"main.py": "\n".join(head + [""] + p.main + ms.lines).rstrip() + "\n"}
    if p.settings:
        files["settings.py"] = "# Settings of the generated program (changed by helpers.py and main.py).\n" + \
            "\n".join(p.settings) + "\n"
        files["helpers.py"] = "# Helpers of the generated program.\nimport settings\n" + "\n".join(p.helpers).rstrip() \
            + "\n"
    return files


FEATURES = tuple(SNIPPETS) + Models.BUILDERS


def file_seed(seed, i):
    return f"{seed}-{i}"


def write_files(seed, count, out_dir, disable=()):
    """Write program I into OUT_DIR/pI/ (main.py and its modules); return the main.py paths."""
    paths = []
    for i in range(count):
        folder = os.path.join(out_dir, f"p{i:05d}")
        os.makedirs(folder, exist_ok=True)
        for name, text in generate(file_seed(seed, i), disable).items():
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
        paths.append(os.path.join(folder, "main.py"))
    return paths


def show(files):
    out = []
    for name, text in files.items():
        out.append(f"# ==== {name}\n{text}")
    return "".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", default="0")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--index", type=int, help="print only program INDEX of the batch")
    ap.add_argument("--out", help="directory to write the program folders into")
    ap.add_argument("--disable", default="", help="comma-separated features to leave out: " + ", ".join(FEATURES))
    args = ap.parse_args(argv)
    off = tuple(x for x in args.disable.split(",") if x)
    if args.index is not None:
        sys.stdout.write(show(generate(file_seed(args.seed, args.index), off)))
    elif args.out:
        for path in write_files(args.seed, args.count, args.out, off):
            print(path)
    else:
        for i in range(args.count):
            print(f"# ---- {file_seed(args.seed, i)}")
            sys.stdout.write(show(generate(file_seed(args.seed, i), off)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
