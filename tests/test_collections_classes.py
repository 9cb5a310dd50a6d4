"""`collections.namedtuple(...)` classes and `collections.OrderedDict` (found by hold-out 77: recommender code bases
keep their feature specs in namedtuple classes and their inputs and embedding tables in OrderedDicts). A namedtuple
class is followed as a `typing.NamedTuple` class of the same fields; an OrderedDict as a dict, made as `dict(...)`
makes one. What Python rejects (a field named `_x` or `class`, a repeated field, more defaults than fields) or what
this does not follow (`rename=True`) leaves the size it gives unknown, never a number. The fixture
`fixtures/interpreter2/ordered_dict_of_inputs.py` holds the numbers Keras gives for both."""

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
    except (TypeError, ValueError) as e:
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
