"""``match`` statements (fixtures/interpreter2/match_statements.py holds what the analysis decides, against real
Keras): where a case cannot be decided, the cases are undecided ways; no way's value is taken as known."""

from kerascount.api import analyze_source

HEAD = "import sys\nimport keras\nfrom keras import layers\n"


def _report(body: str):
    report = analyze_source(HEAD + body, "match.py")
    assert report.internal_error is None
    return report


def _models(body: str):
    return {m.model.name: m for m in _report(body).models}


def _dense(name: str, units: str) -> str:
    return f"{name} = keras.Sequential([keras.Input((4,)), layers.Dense({units})], name='{name}')\n"


def test_cases_on_a_subject_from_outside_are_ways_not_a_choice():
    models = _models('match sys.argv[1:]:\n    case ["wide", size]:\n        units = 32\n    case _:\n'
                     '        units = 16\n' + _dense("m", "units"))
    assert models["m"].status == "unknown"
    assert any('case ["wide", size]' in r for r in models["m"].reasons), models["m"].reasons


def test_a_name_a_case_may_bind_is_not_kept():
    # Python binds `width` when the argument list has two items: the earlier 5 is not what the layer gets then
    models = _models('width = 5\nmatch sys.argv:\n    case [_, width]:\n        pass\n' + _dense("m", "width"))
    assert models["m"].status == "unknown"


def test_no_case_matching_leaves_the_names_as_they_were_only_if_a_case_may_not_match():
    models = _models('depth = 5\nmatch sys.argv:\n    case [_, *rest]:\n        depth = 8\n' + _dense("m", "depth")
                     + 'match sys.argv:\n    case [*rest]:\n        depth = 8\n    case _:\n        depth = 8\n'
                     + _dense("n", "depth"))
    assert models["m"].status == "unknown"  # (8 if an argument was given, else 5)
    assert models["n"].status == "exact"


def test_a_function_some_of_whose_cases_return_is_not_taken_to_return_none():
    # Before match statements were followed, the function ran past its `match` and returned None: KC103 fired
    report = _report("def pick(v):\n    match v:\n        case [a, b]:\n            return a + b\n"
                     "    return 3\n" + _dense("m", "pick(sys.argv)") + _dense("n", "pick([4, 5])")
                     + _dense("k", "pick(7)"))
    models = {m.model.name: m for m in report.models}
    assert models["m"].status == "unknown"
    assert models["n"].status == "exact" and models["k"].status == "exact"
    assert models["n"].total == 4 * 9 + 9 and models["k"].total == 4 * 3 + 3
    assert not [d for d in report.diagnostics if d.severity == "error"], report.diagnostics


def test_a_guard_the_analysis_cannot_decide_runs_both_ways():
    models = _models("match 4:\n    case int(n) if n > len(sys.argv):\n        units = n\n    case _:\n"
                     "        units = 9\n" + _dense("m", "units") + _dense("k", "n"))
    assert models["m"].status == "unknown"
    assert models["k"].status == "exact"  # (the pattern matched: `n` is bound whatever the guard says)


def test_equality_a_class_defines_itself_is_not_decided():
    models = _models("class Any:\n    def __eq__(self, other):\n        return True\n\n"
                     "match Any():\n    case 3:\n        units = 3\n    case _:\n        units = 6\n" + _dense("m", "units"))
    assert models["m"].status != "exact" or models["m"].total == 4 * 3 + 3


def test_a_class_pattern_reads_a_named_tuple_by_position_and_as_a_sequence():
    models = _models("from typing import NamedTuple\n\nclass Size(NamedTuple):\n    rows: int\n    cols: int\n\n"
                     "s = Size(3, 5)\nmatch s:\n    case Size(r, c):\n        units = r * c\n" + _dense("m", "units")
                     + "match s:\n    case [r, c]:\n        other = r + c\n" + _dense("n", "other")
                     + "match s:\n    case tuple():\n        third = 2\n    case _:\n        third = 6\n"
                     + _dense("k", "third"))
    assert (models["m"].status, models["m"].total) == ("exact", 4 * 15 + 15)
    assert (models["n"].status, models["n"].total) == ("exact", 4 * 8 + 8)
    assert models["k"].status != "exact" or models["k"].total == 4 * 2 + 2
