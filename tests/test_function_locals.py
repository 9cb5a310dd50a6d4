"""``collect.function_locals`` decides which names a function makes its own as CPython's compiler does (checked
against the ``symtable`` module, which reads the compiler's symbol table), and the interpreter reads such a name
before its assignment as Python does: UnboundLocalError, not the global of that name
(fixtures/interpreter2/unbound_locals.py holds the numbers, from Keras)."""

import ast
import symtable
from pathlib import Path

from kerascount.api import analyze_source
from kerascount.extract.collect import function_locals

ROOT = Path(__file__).resolve().parent.parent

TRICKY = '''
import os
g = 1
def f(a, b=2, *args, c, **kw):
    x: int
    y = [z for z in range(3) if (w := z)]
    lam = lambda q, r=(t := 1): (u := q)
    class K:
        inner = 1
        def m(self):
            deep = 1
    def nested(p=(v := 2)):
        nonlocal_thing = 1
    for i, (j, *k) in []:
        pass
    with open(a) as (fh, fh2):
        pass
    try:
        pass
    except Exception as err:
        pass
    import os.path as osp, sys
    from json import loads as L, dumps
    del something
    match a:
        case [first, *rest] if first:
            pass
        case {"k": val, **others}:
            pass
        case K(inner=got) | K(inner=got):
            pass
    a += 1
    global g
    g = 2
    {dk: dv for dk, dv in []}
    (gen for gen in [])
    def outer_ref():
        nonlocal x
        x = 3
'''


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _symbol_tables(source, path):
    found = {}

    def walk(table):
        for child in table.get_children():
            if child.get_type() == "function":
                found[(child.get_name(), child.get_lineno())] = child
            walk(child)

    walk(symtable.symtable(source, path, "exec"))
    return found


def _check(source, path):
    tables = _symbol_tables(source, path)
    checked = 0
    for node in _functions(ast.parse(source)):
        table = tables.get((node.name, node.lineno)) or tables.get(
            (node.name, node.decorator_list[0].lineno if node.decorator_list else node.lineno))
        if table is None:
            continue
        params = set(table.get_parameters())
        expected = {s.get_name() for s in table.get_symbols() if s.is_local() and not s.is_parameter()}
        assert set(function_locals(node)) - params == expected, (path, node.name, node.lineno)
        checked += 1
    return checked


def test_tricky_bindings_agree_with_the_symbol_table():
    assert _check(TRICKY, "tricky.py") == 4
    f = _functions(ast.parse(TRICKY))[0]
    got = set(function_locals(f))
    assert {"x", "y", "w", "lam", "t", "K", "nested", "v", "i", "j", "k", "fh", "fh2", "err", "osp", "sys", "L",
            "dumps", "something", "first", "rest", "val", "others", "got", "a"} <= got
    assert not {"z", "q", "u", "inner", "deep", "g", "dk", "gen", "nonlocal_thing"} & got


def test_every_function_of_the_fixtures_agrees_with_the_symbol_table():
    checked = 0
    for path in sorted(ROOT.glob("fixtures/**/*.py")):
        checked += _check(path.read_text(encoding="utf-8"), str(path))
    assert checked > 500


def _units(body):
    report = analyze_source("import keras\nfrom keras import layers\n" + body
                            + "m = keras.Sequential([keras.Input((4,)), layers.Dense(units)], name='m')\n", "u.py")
    (model,) = report.models
    return model


def test_a_local_read_before_its_assignment_is_not_the_global():
    # Python: UnboundLocalError, caught: 30 units (not the global's 8 + 1)
    model = _units("n = 8\ndef f():\n    try:\n        v = n + 1\n    except NameError:\n        v = 30\n    n = 2\n"
                   "    return v\nunits = f()\n")
    assert (model.status, model.total) == ("exact", 4 * 30 + 30)


def test_a_local_read_before_its_assignment_outside_try_gives_no_number():
    model = _units("n = 8\ndef f():\n    v = n + 1\n    n = 2\n    return v\nunits = f()\n")
    assert model.status != "exact" and model.total != 4 * 9 + 9


def test_a_deleted_name_raises_when_read():
    # Python raises NameError at module level (the handler sets 5) and UnboundLocalError in a function (6)
    model = _units("x = 1\ndel x\ntry:\n    y = x\n    units = 3\nexcept NameError:\n    units = 5\n")
    assert (model.status, model.total) == ("exact", 4 * 5 + 5)
    model = _units("def f():\n    z = 1\n    del z\n    try:\n        w = z\n        return 3\n"
                   "    except UnboundLocalError:\n        return 6\nunits = f()\n")
    assert (model.status, model.total) == ("exact", 4 * 6 + 6)


def test_a_name_one_way_leaves_unassigned_may_raise_when_read_in_a_try():
    # with no command-line arguments Python raises NameError at `y = x`: the handler's 5, not the body's 3
    model = _units("import sys\nif len(sys.argv) > 5:\n    x = 1\ntry:\n    y = x\n    units = 3\n"
                   "except NameError:\n    units = 5\n")
    assert model.status != "exact" or model.total == 4 * 5 + 5


def test_a_module_name_read_before_the_file_assigns_it_raises_in_a_try():
    # the loop runs no time, so `v` is not assigned yet: NameError, the handler's 5
    model = _units("for k in []:\n    v = 1\ntry:\n    w = v\n    units = 3\nexcept NameError:\n    units = 5\n")
    assert (model.status, model.total) == ("exact", 4 * 5 + 5)
