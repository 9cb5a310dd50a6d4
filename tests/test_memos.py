"""Answers kept to be given again (issue 12, speed): each must be the answer a fresh computation gives."""

from __future__ import annotations

import ast

from kerascount import catalogue, infer
from kerascount.extract.collect import model_uses
from kerascount.extract.graph import Graph
from kerascount.extract.live import LiveShapes
from kerascount.extract.values import ModelBuilder
from kerascount.ir import FileFunction, LayerDef, Span

SPAN = Span(1, 1, 1, 1)


def _layer(uid, type_name, args=(), kwargs=(), name="layer", known=True, submodel=None):
    return LayerDef(uid, type_name, name, tuple(args), tuple(kwargs), SPAN, known=known, submodel=submodel)


def _fresh(layer):
    """constructor_error without its memo."""
    try:
        return infer._constructor_problem(layer) or infer.constructor_names_problem(layer)
    except Exception:  # noqa: BLE001 - as constructor_error
        return None


LAYERS = [
    _layer(0, "Dense", (4,)),
    _layer(1, "Dense", (4,), (("name", "a/b"),)),  # a name Keras rejects
    _layer(2, "Dense", (4,), (("name", "c/d"),)),  # the same, in other words
    _layer(3, "Dense", (4,), (("activation", 5),)),  # not an activation
    _layer(4, "Dense", (4,), (("activation", 5.0),)),  # nor this (a float, told apart from the int)
    _layer(5, "Dense", (4,), (("bogus", 1),)),  # a keyword Dense does not take
    _layer(6, "Dense", (4,), (("kernel_initializer", "He_Normal"),)),  # an unknown name: no error known
    _layer(7, "MultiHeadAttention", (2, 8), (("kernel_initializer", FileFunction("f", None)),)),
    _layer(8, "Dense", (4,), known=False),
    _layer(9, "Dense", (4,), submodel=0),
]


def test_constructor_errors_kept_are_those_computed_afresh():
    infer._forget()
    first = [infer.constructor_error(layer) for layer in LAYERS]
    # The same arguments in new layer objects (another automatic name): the answers kept.
    again = [infer.constructor_error(_layer(100 + l.uid, l.type, l.args, l.kwargs, "other", l.known, l.submodel))
             for l in LAYERS]
    assert first == again == [_fresh(layer) for layer in LAYERS]
    assert first[0] is None and first[8] is None and first[9] is None
    assert "a/b" in first[1].message and "c/d" in first[2].message
    assert "5" in first[3].message and "5.0" in first[4].message
    assert "bogus" in first[5].message and first[6] is None and first[7] is not None


def test_live_shapes_freeze_a_model_again_when_it_changes():
    g = Graph("<test>")
    a, b = ModelBuilder("sequential", SPAN, 0), ModelBuilder("sequential", SPAN, 1)
    g.models += [a, b]
    live = LiveShapes(g)
    before = live.context().ir.models
    dense = g.record_layer("Dense", catalogue.lookup("Dense"), (2,), (), SPAN)
    a.layers = (*a.layers, dense.uid)
    after = live.context().ir.models
    assert after[0] is not before[0] and after[0].layers == (dense.uid,)
    assert after[1] is before[1]  # (unchanged: the ModelDef made before)
    g.record_layer("Dense", catalogue.lookup("Dense"), (3,), (), SPAN)
    b.name = "renamed"  # (a field set)
    a.layers = (dense.uid + 1,)  # (an item replaced: the same length)
    last = live.context().ir.models
    assert last[1] is not after[1] and last[1].name == "renamed"
    assert last[0] is not after[0] and last[0].layers == (dense.uid + 1,)
    assert [live.graph.model_def(m) for m in g.models] == list(last)
    b.name = "renamed"  # (the same value set again: frozen again, the same ModelDef)
    assert live.context().ir.models[1] == last[1]
    g.models.pop()  # (a run undone: the model is gone)
    assert live.context().ir.models == (last[0],)


def test_live_shapes_mark_call_runs_as_a_new_context_does(monkeypatch):
    """Each live context marks the nodes of the subclassed models' call runs as a context made afresh does, while
    the runs start (the range (start, start)), end, nest, are taken back and start again (the marks are added to those
    of the context before, or made anew when a range it marked is gone); and it finds the same untraced models and
    wrapped layers."""
    from kerascount.extract import live as live_module

    monkeypatch.setattr(live_module, "CHECK", True)  # (each context compared with a new one: _check_context)
    g = Graph("<test>")
    live = LiveShapes(g)
    dense = g.record_layer("Dense", catalogue.lookup("Dense"), (2,), (), SPAN)

    def call() -> None:
        g.record_call(dense, (), False, SPAN)

    outer, inner = ModelBuilder("subclassed", SPAN, 0), ModelBuilder("subclassed", SPAN, 1)
    g.record_model(outer, None, "Model")
    g.record_model(inner, None, "Model")
    call()
    live.context()
    outer.call_nodes = (1, 1)  # (a run starts)
    call()
    inner.call_nodes = (2, 2)
    call()
    call()
    live.context()
    inner.call_nodes = (2, 4)  # (the inner run ends, then the outer one)
    call()
    outer.call_nodes = (1, 5)
    ctx = live.context()
    assert list(ctx._eager[:5]) == [0, 1, 1, 1, 1]
    call()
    inner.call_nodes = (5, 5)  # (traced again: the nodes its first run made are no longer marked by it)
    ctx = live.context()
    assert list(ctx._eager[:6]) == [0, 1, 1, 1, 1, 0]
    outer.call_nodes = (0, 0)
    call()
    ctx = live.context()
    assert not any(ctx._eager)


def test_a_model_changes_only_by_assignment_each_giving_a_new_stamp():
    """The fields Graph.model_def copies hold immutable containers: a change of one is an assignment, which gives
    the model a new stamp (LiveShapes keeps a ModelDef only while the stamp is the same); a list, set or dict given
    to one is refused."""
    import dataclasses

    import pytest

    from kerascount.extract import values

    m = ModelBuilder("sequential", SPAN, 0)
    copy = dataclasses.replace(m)
    assert copy.stamp != m.stamp  # (each object made gets its own)
    for name, kinds in values.MODEL_DEF_CONTAINERS.items():
        with pytest.raises(TypeError):
            setattr(m, name, [] if tuple in kinds else set())
        assert not hasattr(getattr(m, name) or (), "append") and not hasattr(getattr(m, name) or (), "add")
    seen = {m.stamp, copy.stamp}
    for name in values.MODEL_DEF_FIELDS:
        setattr(m, name, getattr(m, name))
        assert m.stamp not in seen
        seen.add(m.stamp)
    before = m.stamp
    m.attrs["x"] = 1  # (not a field model_def reads)
    m.version += 1
    assert m.stamp == before
    m.add_name("model")
    m.add_method_call(("fit", None, (3, 0)))
    after = m.stamp
    assert after != before and m.names == {"model"} and m.method_calls == (("fit", None, (3, 0)),)
    m.add_name("model")
    m.add_method_call(("fit", None, (3, 0)))
    assert m.stamp == after  # (held already: nothing changes)
    m.restore(copy, ("names",))
    assert m.names == {"model"} and m.method_calls == () and m.stamp not in seen | {after, copy.stamp}


def test_the_live_check_finds_a_model_changed_behind_its_stamp(monkeypatch):
    """LiveShapes.CHECK (on in the tests, conftest.py) compares each ModelDef kept with a fresh one: a model changed
    without a new stamp (its ``__dict__`` written) is found at the next context."""
    import pytest

    from kerascount.extract import live as live_module

    monkeypatch.setattr(live_module, "CHECK", True)
    g = Graph("<test>")
    a = ModelBuilder("sequential", SPAN, 0)
    g.models.append(a)
    live = LiveShapes(g)
    live.context()
    g.record_layer("Dense", catalogue.lookup("Dense"), (2,), (), SPAN)
    a.__dict__["name"] = "changed unseen"
    with pytest.raises(AssertionError, match="stale"):
        live.context()


def test_every_fixture_with_the_live_check_on(monkeypatch):
    """With LiveShapes.CHECK on (``KERASCOUNT_CHECK_LIVE=1``), every ModelDef a live context keeps is the one
    Graph.model_def makes anew and every context derived from the one before equals a new one: on every fixture
    (an AssertionError would be the file's internal error)."""
    from pathlib import Path

    from kerascount.api import analyze_file
    from kerascount.config import Config
    from kerascount.extract import live as live_module
    from kerascount.files import read

    monkeypatch.setattr(live_module, "CHECK", True)
    checked = []
    for path in sorted((Path(__file__).resolve().parent.parent / "fixtures").rglob("*.py")):
        report = analyze_file(read(str(path)), Config())
        assert report.internal_error is None, (path, report.internal_error)
        checked.append(path)
    assert len(checked) > 400


def test_model_uses_reads_a_statement_again_for_another_name_or_block():
    reads = ast.parse("model.fit(x)\nshow(model, other)\nif model is None:\n    pass\n").body
    changes = ast.parse("model.add(layer)\n").body
    calls = ast.parse("model(x)\n").body
    show = reads[1].value.func
    assert model_uses(reads, "model") == [(show, 0, None)]
    assert model_uses(reads, "other") == [(show, 1, None)]
    assert model_uses([*reads, *changes], "model") is None  # the statements read before, with one that changes it
    assert model_uses(reads, "model") == [(show, 0, None)]
    assert model_uses([*calls, reads[1]], "model", runs=False) is None  # calling an unbuilt model builds it
    assert model_uses([*calls, reads[1]], "model", runs=True) == [(show, 0, None)]
    assert model_uses(ast.parse("def f():\n    global model\n").body, "model") is None
