"""``len(obj)`` of an object whose class of the analysed code defines ``__len__``: the method's result, checked as
Python's ``len()`` checks it (fixtures/interpreter2/hold63_len_of_own_object.py has the exact case against Keras)."""

from __future__ import annotations

from kerascount.api import analyze_source

_HEAD = "import keras\nfrom keras import layers\n"


def _model(src: str):
    report = analyze_source(_HEAD + src, "m.py")
    assert report.internal_error is None
    (m,) = report.models
    return m


def _sized_by(length_body: str):
    return _model(
        "class Bag:\n"
        "    def __len__(self):\n"
        f"        {length_body}\n"
        "model = keras.Sequential([keras.Input((4,)), layers.Dense(len(Bag()))])\n")


def test_len_calls_the_class_method():
    m = _sized_by("return 3")
    assert m.status == "exact" and m.total == 15


def test_negative_or_non_integer_length_is_python_error():
    # Python raises ValueError ("__len__() should return >= 0") and TypeError (a float): never a size
    for body in ("return -1", "return 2.0", "return 'ab'"):
        m = _sized_by(body)
        assert m.status == "unknown", body
        assert any("Python raises" in r for r in m.reasons), (body, m.reasons)


def test_length_not_known_stays_a_symbol():
    # (a length the method reads from what the analysis does not see: the old symbol for `len(...)`)
    m = _model(
        "import sys\n"
        "class Bag:\n"
        "    def __len__(self):\n"
        "        return sys.maxsize if sys.argv else 0\n"
        "model = keras.Sequential([keras.Input((4,)), layers.Dense(len(Bag()))])\n")
    assert m.status in ("symbolic", "unknown")
