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

