"""`collections.namedtuple(...)` classes and `collections.OrderedDict` (found by hold-out 77: recommender code bases
keep their feature specs in namedtuple classes and their inputs and embedding tables in OrderedDicts). A namedtuple
class is followed as a `typing.NamedTuple` class of the same fields; an OrderedDict as a dict, made as `dict(...)`
makes one. What Python rejects (a field named `_x` or `class`, a repeated field, more defaults than fields) or what
this does not follow (`rename=True`) leaves the size it gives unknown, never a number. A plain subclass of a
namedtuple class is made by its own `__new__`, whose `super().__new__(cls, ...)` is the tuple's (the CTR libraries'
`class SparseFeat(namedtuple(...))` specs), and `isinstance(obj, Cls)` with plain classes of the file is decided
from the instance's class (not for a class with the ABCMeta metaclass, which `register` may make a virtual base).
The fixtures `fixtures/interpreter2/ordered_dict_of_inputs.py` and `namedtuple_feature_specs.py` hold the numbers
Keras gives."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source

TEMPLATE = """import collections
import keras
Spec = collections.namedtuple({args})
spec = Spec({values})
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(spec.units)])
"""

CASES = {
    "list": ('"Spec", ["name", "units"]', '"a", 5'),
    "string": ('"Spec", "name, units"', '"a", units=6'),
    "default": ('"Spec", ["name", "units"], defaults=[7]', '"a"'),
    "keywords": ('typename="Spec", field_names=("units", "name")', '8, "a"'),
    "underscore": ('"Spec", ["_name", "units"]', '"a", 5'),
    "keyword_field": ('"Spec", ["class", "units"]', '"a", 5'),
    "repeated": ('"Spec", ["units", "units"]', '5, 5'),
    "too_many_defaults": ('"Spec", ["units"], defaults=[1, 2]', ''),
    "renamed": ('"Spec", ["name", "units"], rename=True', '"a", 5'),
}

PROBE = """
import json, sys


def params(text):
    scope = {}
    try:
        exec(text, scope)
    except (TypeError, ValueError, AttributeError) as e:
        return type(e).__name__
    return scope["model"].count_params()


print(json.dumps({key: params(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def _source(key):
    args, values = CASES[key]
    return TEMPLATE.format(args=args, values=values)


def _total(key):
    return analyze_source(_source(key), "m.py").models[-1].total


EXPECTED = {"list": 20, "string": 24, "default": 28, "keywords": 32}


@pytest.mark.parametrize("key", sorted(CASES))
def test_namedtuple_classes(key):
    assert _total(key) == EXPECTED.get(key), key


def test_ordered_dict_is_a_dict_in_insertion_order():
    src = ("import collections\nimport keras\n"
           "d = collections.OrderedDict([('b', 4)], a=2)\nd['c'] = 3\n"
           "e = collections.OrderedDict((k, v * 2) for k, v in d.items())\n"
           "model = keras.Sequential([keras.Input(shape=(1,))] + [keras.layers.Dense(v) for v in e.values()])\n")
    # Dense(8), Dense(4), Dense(6): (1*8+8) + (8*4+4) + (4*6+6) = 82
    assert analyze_source(src, "m.py").models[-1].total == 82


@pytest.mark.keras
def test_namedtuple_classes_agree_with_keras():
    truth = keras_probe(PROBE, {key: _source(key) for key in CASES})
    for key in CASES:
        if key in EXPECTED:
            assert truth[key] == EXPECTED[key], key
        elif key != "renamed":
            assert truth[key] in ("ValueError", "TypeError"), key  # (Python rejects the class or the call)


SUBCLASS = """import collections
import keras
class Spec(collections.namedtuple("Spec", ["name", "units"])):
{body}
{use}
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(units)])
"""

NEW = "    def __new__(cls, name, units=5):\n        return super().__new__(cls, name, units)\n"

SUBCLASS_CASES = {
    # the tuple's __new__ run through a subclass's own, and isinstance against the file's classes
    "new": (NEW, "units = Spec('a').units", 20),
    "inherited": ("    pass\n", "units = Spec('a', 6).units", 24),
    "isinstance": (NEW, "units = 7 if isinstance(Spec('a'), Spec) else 2", 28),
    "not_instance": (NEW, "class Other:\n    pass\nunits = 7 if isinstance(Spec('a'), Other) else 2", 8),
    "number": (NEW, "units = 7 if isinstance(3, Spec) else 2", 8),
    # not followed: what Python rejects, or what may make another object
    "own_init": (NEW + "    def __init__(self, name, units=5):\n        self.extra = 1\n", "units = Spec('a').units", None),
    "set_field": (NEW, "s = Spec('a')\ns.units = 9\nunits = s.units", None),
    "too_many": ("    def __new__(cls, name, units=5):\n        return super().__new__(cls, name, units, 3)\n",
                 "units = Spec('a').units", None),
    "cached": ("    made = None\n    def __new__(cls, name, units=5):\n        return cls.made\n",
               "units = Spec('a').units", None),
}


@pytest.mark.parametrize("key", sorted(SUBCLASS_CASES))
def test_namedtuple_subclasses(key):
    body, use, expected = SUBCLASS_CASES[key]
    src = SUBCLASS.format(body=body, use=use)
    assert analyze_source(src, "m.py").models[-1].total == expected, key


def test_isinstance_of_an_abc_is_not_decided():
    src = ("import abc\nimport keras\nclass Base(abc.ABC):\n    pass\nclass Plain:\n    pass\n"
           "units = 7 if isinstance(Plain(), Base) else 2\n"
           "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(units)])\n")
    assert analyze_source(src, "m.py").models[-1].total is None  # (Base.register(Plain) would make it True)


@pytest.mark.keras
def test_namedtuple_subclasses_agree_with_keras():
    sources = {key: SUBCLASS.format(body=body, use=use) for key, (body, use, _) in SUBCLASS_CASES.items()}
    truth = keras_probe(PROBE, sources)
    for key, (_, _, expected) in SUBCLASS_CASES.items():
        if expected is not None:
            assert truth[key] == expected, key
    assert truth["set_field"] == "AttributeError" and truth["too_many"] == "TypeError", truth
