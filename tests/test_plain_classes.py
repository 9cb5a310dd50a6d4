"""Plain classes of the file read as Python reads them: class attributes changed through an instance's class
(fixtures/interpreter2/class_counters.py holds them against real Keras), properties with setters, and method order."""

from test_interpreter2 import spelled_total
from test_lazy_generators import _dense, _models


def test_a_property_with_a_setter_runs_it_when_assigned():
    # Python runs the setter (it clamps 30 to 8) and reads through the getter (real Keras 3.15: 40 params)
    models = _models("class Knob:\n    def __init__(self):\n        self._v = 1\n    @property\n    def v(self):\n"
                     "        return self._v\n    @v.setter\n    def v(self, value):\n        self._v = min(value, 8)\n"
                     "k = Knob()\nk.v = 30\n" + _dense("m", "k.v"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(8)"))


def test_class_without_a_consistent_method_order_is_not_read():
    # Python raises TypeError at `class C(A, B)` (B is a subclass of A listed after it)
    models = _models("class A:\n    units = 2\nclass B(A):\n    units = 3\nclass C(A, B):\n    pass\n"
                     + _dense("m", "C.units"))
    assert models["m"].status != "exact"



def _after_try(setup: str, risky: str, units: str = "u"):
    return _models(setup + f"try:\n    {risky}\n    u = 9\nexcept AttributeError:\n    u = 5\n" + _dense("m", units))


def test_a_class_that_sets_its_own_attributes_is_not_read_as_plain():
    # its __setattr__ clamps: Python keeps 4, not 30 (real Keras: Dense(4))
    models = _models("class Clamp:\n    def __setattr__(self, name, value):\n"
                     "        object.__setattr__(self, name, min(value, 4))\nk = Clamp()\nk.width = 30\n"
                     + _dense("m", "k.width"))
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(4)")


def test_slots_make_an_assignment_raise():
    # Python raises AttributeError at `s.b = 9` (no slot b): the handler runs, u is 5
    models = _after_try("class Slotted:\n    __slots__ = ('a',)\ns = Slotted()\n", "s.b = 9")
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(5)")


def test_getattr_answers_for_missing_attributes():
    # Cfg.__getattr__ gives 6: no AttributeError, so the handler does not run
    models = _after_try("class Cfg:\n    def __getattr__(self, name):\n        return 6\nc = Cfg()\n", "v = c.units",
                        "v")
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(6)")
    assert all("AttributeError" not in r for r in models["m"].reasons)


def test_a_base_class_hook_and_a_descriptor_are_not_skipped():
    models = _models("class Base:\n    def __init_subclass__(cls, **kw):\n        cls.tag = 7\n"
                     "class Child(Base):\n    pass\n" + _dense("m", "Child.tag")
                     + "class Desc:\n    def __get__(self, obj, owner=None):\n        return 11\n"
                     "class Holder:\n    d = Desc()\n" + _dense("n", "Holder().d"))
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(7)")
    assert models["n"].status != "exact" or models["n"].total == spelled_total(4, "layers.Dense(11)")
