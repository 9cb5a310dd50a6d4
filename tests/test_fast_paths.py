"""The interpreter's fast paths dispatch on exact types before its isinstance chains: they must take
only types that the chains would have sent the same way."""

import ast
import sys

import pytest

from kerascount.extract import control, plain, sources, values as V
from kerascount.extract.scopes import GlobalsRef
from kerascount.ir import Unknown
from kerascount.symbolic import Expr

# What Interpreter.taint changes (anything else it leaves alone).
TAINTED = (plain.PlainObject, V.ClassValue, GlobalsRef, V.ModuleRef, V.ModelBuilder, V.ListValue, V.DictValue,
           sources.DataObject)
# The classes Interpreter.call tests in order, after its fast paths.
CALLABLES = (V.Partial, V.KerasRef, V.Function, V.LambdaValue, V.LayerObj, V.BoundMethod, V.Builtin, V.ExternalRef,
             V.ClassValue, V.ModelBuilder, V.OpaqueCallable, V.External)


def test_inert_types_are_none_that_taint_changes():
    assert control._INERT
    assert [t for t in control._INERT if issubclass(t, TAINTED)] == []


def test_call_fast_paths_take_no_type_an_earlier_test_would_take():
    for kind in (V.Builtin, V.ExternalRef, Expr, Unknown):
        assert [c for c in CALLABLES if c is not kind and issubclass(kind, c)] == [], kind
    # Builtin and ExternalRef are taken by their own branches anyway; a symbol and a plain unknown by none.
    assert not issubclass(Expr, CALLABLES) and not issubclass(Unknown, CALLABLES)


def test_havoc_names_are_cached_per_block_and_follow_the_block():
    import ast

    body = ast.parse("for x in data:\n    y = f(x)\n    z.append(y)\n").body
    first = control._havoc_names(body)
    assert first[0] == {"x", "y"} and "z" in first[1] and first[2] == {"f", ".append"}
    assert control._havoc_names(body) is first
    other = ast.parse("w = g()\n").body
    assert "w" in control._havoc_names(other)[0] and "g" in control._havoc_names(other)[2]


# Layers whose configs are equal as Python compares them (4 == 4.0 == True, 0.0 == -0.0) but which Keras may treat
# apart: infer.run's answers, kept by config and input shapes, must never be given to the other kind.
_MEMO_A = """
import keras
from keras import layers
x = keras.Input((8,))
y = layers.Dense(4)(x)
y = layers.Dropout(0.0)(y)
y = layers.Dense(1)(y)
m = keras.Model(x, y)
i = keras.Input((16, 16, 3))
c = layers.Conv2D(8, 3)(i)
n = keras.Model(i, c)
"""
_MEMO_B = _MEMO_A.replace("Dense(4)", "Dense(4.0)").replace("Dropout(0.0)", "Dropout(-0.0)") \
    .replace("Dense(1)", "Dense(True)").replace("Conv2D(8, 3)", "Conv2D(8.0, 3)")


def _json(text):
    from kerascount.api import analyze_source
    from kerascount.report import json_

    return json_.render([analyze_source(text, "memo.py")], "test")


def test_layer_answers_are_kept_only_for_the_very_same_config():
    from kerascount import infer

    infer._forget()
    alone = _json(_MEMO_B)  # nothing kept yet: each answer computed
    infer._forget()
    first = _json(_MEMO_A)
    kept = len(infer._RUN_MEMO)
    assert kept  # the answers of _MEMO_A's layers are kept...
    assert _json(_MEMO_A) == first and len(infer._RUN_MEMO) == kept  # ...and given again
    after = _json(_MEMO_B)  # with _MEMO_A's answers kept: they must not be taken for _MEMO_B's layers
    assert after == alone
    assert after != first  # (the float sizes make other results, so the test can fail)


def test_live_shapes_compare_every_field_a_model_def_reads():
    """LiveShapes.frozen_models keeps a model's ModelDef while its stamp is the same, which changes at each write of
    the fields ``Graph.model_def`` reads: it must read no other (a field left out would keep a ModelDef that no longer
    matches its model)."""
    from kerascount.extract import values as live
    from kerascount.extract.graph import Graph
    from kerascount.ir import Span

    read = []

    class Recorder(V.ModelBuilder):
        def __getattribute__(self, name):
            if not name.startswith("__"):
                read.append(name)
            return super().__getattribute__(name)

    model = Recorder("functional", Span(1, 1, 1, 1), 0)
    Graph("<test>").model_def(model)
    assert set(read) == set(live.MODEL_DEF_FIELDS)
    assert len(live.MODEL_DEF_FIELDS) == len(set(live.MODEL_DEF_FIELDS))


def test_frozen_scalars_are_exact_types_no_test_of_freeze_takes_otherwise():
    """KerasCalls._frozen returns an int, float, str, bool or None as it is before its isinstance tests: none of those
    exact types is a DynamicSize (the only test before the one that returns them), and a NumPy integer, a subclass,
    is not taken by the fast path."""
    from kerascount.extract import keras_calls
    from kerascount.ir import DynamicSize, NumpyInt

    assert keras_calls._SCALARS == {int, float, str, bool, type(None)}
    assert [t for t in keras_calls._SCALARS if issubclass(t, DynamicSize)] == []
    assert type(NumpyInt(3)) not in keras_calls._SCALARS


def test_a_finished_run_lets_go_of_its_values_without_the_garbage_collector():
    """Interpreter.release: a module's functions hold its scope, which holds them (a cycle only the collector frees,
    after walking it again in its older generation); after ``release`` they are freed at once, and the FileIR the
    run returned still holds the models."""
    import ast
    import gc
    import weakref

    from kerascount.extract.interpreter import Interpreter
    from kerascount.extract.positions import Positions

    source = ("import keras\ndef build(n):\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(n)])\n"
              "m = build(3)\n")
    was = gc.isenabled()
    gc.disable()
    try:
        kept = []
        for release in (False, True):
            interpreter = Interpreter(ast.parse(source), "<test>", Positions(source))
            ir = interpreter.run()
            held = weakref.ref(interpreter.main_scope.vars["build"])
            if release:
                interpreter.release()
            del interpreter
            kept.append(held() is not None)
            assert len(ir.models) == 1 and len(ir.layers) == 2
        assert kept == [True, False]
    finally:
        if was:
            gc.enable()


_WALKED = '''
"""doc"""
from __future__ import annotations
import a.b as c, d
from .e import (f as g, h)
global_ = [i ** 2 for i in range(3) if i] + [*x, *y]
def fn(p, /, q: int = 1, *r, s, t=2, **u) -> "T":
    global G
    nonlocal_ = lambda v=3: (yield v)
    async def inner():
        async with w as (x1, y1), z:
            async for k in aiter():
                await k
    try:
        del a[1:2:3], b.c
    except (E1, E2) as err:
        raise X from err
    else:
        assert f"{q!r:>{t}} {s=}", "m"
    finally:
        pass
    match p:
        case {"k": [1, *rest], **kw} if rest:
            pass
        case Point(x=0, y=yy) | None as alias:
            pass
    return {1: 2, **u}, {3, 4}, not q, -q, q if s else t, q < t <= s
@dec(1)
class K(Base, metaclass=M):
    attr: int = 0
    def m(self): return self.attr[::2]
while (n := next(it)) > 0:
    break
else:
    continue
'''


def test_node_walks_give_the_standard_librarys_nodes_in_its_order():
    """kerascount.nodes.walk, walk_list and children read only the fields that may hold a node: they must give the
    very nodes ``ast.walk`` and ``ast.iter_child_nodes`` give, in the same order, for every kind of node."""
    import ast

    from kerascount import nodes

    tree = ast.parse(_WALKED)
    expected = list(ast.walk(tree))
    assert len({type(n) for n in expected}) > 60  # (the text holds most kinds of node: the test can fail)
    for got in (list(nodes.walk(tree)), nodes.walk_list(tree)):
        assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected))
    for node in expected:
        assert [*ast.iter_child_nodes(node)] == nodes.children(node), type(node).__name__
    # A tree made by hand (as control.py wraps a block in a Module) and a lone leaf
    made = ast.Module(body=tree.body[3:5], type_ignores=[])
    assert [n for n in nodes.walk(made)] == list(ast.walk(made))
    leaf = ast.Constant(1)
    assert list(nodes.walk(leaf)) == [leaf] and nodes.walk_list(leaf) == [leaf] and nodes.children(leaf) == []


def test_run_keys_of_shapes_with_a_symbol_tell_apart_what_they_did():
    """infer._strict takes a plain item of a tuple without a call: the atoms must be those the call makes, so that
    1, 1.0, True and NumpyInt(1) beside a symbol still give different keys."""
    from kerascount import infer
    from kerascount.ir import NumpyInt
    from kerascount.symbolic import symbol

    n = symbol("n")
    keys = []
    for item in (1, 1.0, True, NumpyInt(1), None, "1"):
        out = []
        assert infer._strict((None, n, item), out)
        keys.append(tuple(out))
        by_call = [tuple, 3]
        for x in (None, n, item):
            assert infer._strict(x, by_call)
        assert keys[-1] == tuple(by_call)
    assert len(set(keys)) == len(keys)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type aliases and type parameters are Python 3.12 syntax")
def test_walks_match_the_standard_library_on_python_312_syntax():
    from kerascount.nodes import children, walk

    tree = ast.parse("type Vec[T] = list[T]\ndef f[T: int](x: T) -> T:\n    return x\nclass C[*Ts]: pass\n")
    assert [type(n) for n in walk(tree)] == [type(n) for n in ast.walk(tree)]
    assert all(children(n) == list(ast.iter_child_nodes(n)) for n in ast.walk(tree))


def test_a_sublayer_built_in_a_custom_build_keeps_the_shapes_read_so_far(monkeypatch):
    # `self.proj.build(shape)` gives a layer no node has read: the shapes read before stay (forgetting them made every
    # later read derive the file's whole graph again); the numbers are those of fixtures/custom/explicit_sublayer_build
    from kerascount.api import analyze_source
    from kerascount.extract.graph import Graph

    forgot = []
    monkeypatch.setattr(Graph, "forget_shapes", lambda self: forgot.append(1) or setattr(self, "_live", None))
    src = ("import keras\nfrom keras import layers\n\n"
           "class Block(layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n"
           "        self.proj = layers.Dense(8)\n\n    def build(self, input_shape):\n"
           "        self.proj.build(input_shape)\n\n    def call(self, x):\n        return self.proj(x)\n\n"
           "x = inp = keras.Input((5, 4))\n"
           "for _ in range(3):\n    x = layers.Dense(x.shape[-1] + 1)(Block()(x))\n"
           "m = keras.Model(inp, x)\n")
    (model,) = analyze_source(src, "m.py").models
    assert forgot == []
    # 306 (Dense's width reads the shape before the block runs: Block(4->8) 40, Dense(8->5) 45, Block(5->8) 48,
    # Dense(8->6) 54, Block(6->8) 56, Dense(8->7) 63), as real Keras counts where it is installed
    assert model.status == "exact" and model.total == 306
    from test_catalogue_keras import keras_probe

    probe = "import json, sys\ng = {}\nexec(json.loads(sys.argv[1]), g)\nprint(g['m'].count_params())\n"
    assert keras_probe(probe, src) == 306
