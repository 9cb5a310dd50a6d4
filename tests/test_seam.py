"""The interpreter's two halves (the Python evaluator and the Keras graph builder) call each other only through
what kerascount/extract/seam.py declares, and each declaration names a method that exists with those
parameters."""

import ast
import inspect
from pathlib import Path

import pytest

from kerascount.extract import interpreter, seam

EXTRACT = Path(interpreter.__file__).parent


def _methods(module: str):
    """The methods each class of ``module`` defines, by name."""
    tree = ast.parse((EXTRACT / f"{module}.py").read_text(encoding="utf-8"))
    return {f.name: f for c in tree.body if isinstance(c, ast.ClassDef)
            for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _self_reads(module: str):
    """Every ``self.NAME`` in ``module``, with its line."""
    tree = ast.parse((EXTRACT / f"{module}.py").read_text(encoding="utf-8"))
    return [(n.attr, n.lineno) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"]


def _declared(protocol):
    return {name for name, value in vars(protocol).items() if inspect.isfunction(value) and not name.startswith("_")}


OWNER = {}
for _module in seam.EVALUATOR_MODULES + seam.KERAS_MODULES:
    for _name in _methods(_module):
        OWNER.setdefault(_name, _module)


def test_every_mixin_module_is_on_one_side():
    mixins = {b.__module__.rsplit(".", 1)[1] for b in interpreter.Interpreter.__mro__[1:] if b is not object}
    assert mixins == set(seam.EVALUATOR_MODULES) | set(seam.KERAS_MODULES)
    assert not set(seam.EVALUATOR_MODULES) & set(seam.KERAS_MODULES)


@pytest.mark.parametrize("side, other, protocol", [
    (seam.EVALUATOR_MODULES, seam.KERAS_MODULES, seam.KerasSide),
    (seam.KERAS_MODULES, seam.EVALUATOR_MODULES, seam.Evaluator),
], ids=["evaluator-calls-keras", "keras-calls-evaluator"])
def test_one_side_calls_the_other_only_through_the_seam(side, other, protocol):
    crossing = _crossings({module: _self_reads(module) for module in side}, other, protocol)
    assert crossing == [], f"declare these in seam.{protocol.__name__} or keep them on one side: {crossing}"


def _crossings(reads, other, protocol):
    """The ``self.NAME`` reads (by module) of methods of ``other`` that ``protocol`` does not declare."""
    allowed = _declared(protocol)
    return sorted({(module, name, line) for module, names in reads.items() for name, line in names
                   if OWNER.get(name) in other and name not in allowed})


@pytest.mark.parametrize("protocol, side", [(seam.KerasSide, seam.KERAS_MODULES),
                                            (seam.Evaluator, seam.EVALUATOR_MODULES)],
                         ids=["KerasSide", "Evaluator"])
def test_each_declaration_is_the_method_it_names(protocol, side):
    for name in _declared(protocol):
        assert OWNER.get(name) in side, f"seam.{protocol.__name__}.{name} is not a method of {side}"
        implemented = [a.arg for a in (lambda f: f.args.posonlyargs + f.args.args + f.args.kwonlyargs)(
            _methods(OWNER[name])[name])]
        declared = list(inspect.signature(getattr(protocol, name)).parameters)
        assert declared[:len(implemented)] == implemented, (name, declared, implemented)


def test_each_declaration_is_used_across_the_seam():
    """A declaration nothing on the other side calls any more is stale."""
    for protocol, callers in ((seam.KerasSide, seam.EVALUATOR_MODULES), (seam.Evaluator, seam.KERAS_MODULES)):
        used = {name for module in callers for name, _ in _self_reads(module)}
        assert _declared(protocol) - used == set(), protocol.__name__


def test_the_seam_catches_an_undeclared_crossing():
    """The check above bites: a call of an undeclared Keras-side method from the evaluator is found."""
    reads = {"statements": _self_reads("statements") + [("new_layer", 0), ("new_application", 1)]}
    assert OWNER["new_application"] == "keras_calls" and "new_application" not in _declared(seam.KerasSide)
    assert _crossings(reads, seam.KERAS_MODULES, seam.KerasSide) == [("statements", "new_application", 1)]
