"""When Python evaluates what, where it changes a number (gen_programs' family "order" checks it against Python):
an augmented assignment to an item evaluates its index once, and a class body's comprehensions and lambdas read the
names around the class, not the class's own."""

from test_interpreter2 import spelled_total
from test_lazy_generators import _dense, _models


def test_an_item_under_augmented_assignment_has_its_index_evaluated_once():
    # Python calls note twice (the index, then the value): 2 calls and xs[1] == 5, so 25 units
    models = _models("calls = []\ndef note(v):\n    calls.append(v)\n    return v\nxs = [0, 0, 0]\n"
                     "xs[note(1)] += note(5)\n" + _dense("m", "len(calls) * 10 + xs[1]"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(25)"))


def test_a_list_item_changed_in_place_by_augmented_assignment_is_not_taken_as_rebound():
    # `xs[f()] += [5]` extends the inner list in place: an alias of it sees the new item
    models = _models("def f():\n    return 1\nxs = [[1], [2]]\nalias = xs[1]\nxs[f()] += [5]\n"
                     + _dense("m", "len(alias)"))
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(2)")


def test_a_class_body_comprehension_reads_the_names_around_the_class():
    # the comprehension's element reads the global width (10), its first iterable the class's (1); a lambda too
    models = _models("width = 10\nclass K:\n    width = 1\n    seen = [width for _ in range(2)]\n"
                     "    first = [w for w in [width]]\n    later = (lambda: width)()\n"
                     + _dense("m", "K.seen[0]") + _dense("n", "K.first[0]") + _dense("k", "K.later"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(10)"))
    assert (models["n"].status, models["n"].total) == ("exact", spelled_total(4, "layers.Dense(1)"))
    assert (models["k"].status, models["k"].total) == ("exact", spelled_total(4, "layers.Dense(10)"))


def test_a_failing_assert_runs_the_handler_around_it():
    # Python raises AssertionError at the assert: the handler sets 7 (it was read as if the assert passed: 5)
    models = _models("try:\n    assert 2 > 3, 'no'\n    u = 5\nexcept AssertionError:\n    u = 7\n" + _dense("m", "u")
                     + "import sys\ntry:\n    assert len(sys.argv) > 3\n    v = 5\nexcept AssertionError:\n    v = 7\n"
                     + _dense("n", "v"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(7)"))
    assert models["n"].status != "exact"  # (whether it raises depends on the command line)


def test_an_operation_python_may_reject_inside_a_try_is_not_taken_to_pass():
    # Python raises at `[].pop()` and `len(5)`: the handler's value (10), never the body's (3)
    for op in ("[].pop()", "len(5)", "1 + 'a'", "sorted([1, 'a'])", "' '.split(5)"):
        models = _models(f"try:\n    got = {op}\n    r = 3\nexcept (ValueError, TypeError, IndexError):\n    r = 10\n"
                         + _dense("m", "r"))
        assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(10)"), op


def test_a_statement_that_may_raise_under_suppress_may_end_the_block():
    # Python raises IndexError at `[].pop()`: suppress drops it and the block ends, so `u` stays 5
    models = _models("import contextlib\nu = 5\nwith contextlib.suppress(IndexError):\n    v = [].pop()\n    u = 3\n"
                     + _dense("m", "u"))
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(5)")


def test_a_context_manager_that_drops_exceptions_may_end_its_block():
    # Quiet.__exit__ returns True: the IndexError of `[].pop()` ends the block and is dropped, so `u` stays 5
    models = _models("class Quiet:\n    def __enter__(self):\n        return self\n    def __exit__(self, *exc):\n"
                     "        return True\nu = 5\nwith Quiet():\n    v = [].pop()\n    u = 3\n" + _dense("m", "u"))
    assert models["m"].status != "exact" or models["m"].total == spelled_total(4, "layers.Dense(5)")
    # one whose __exit__ returns nothing lets it through: the block's assignment after a statement that runs stands
    models = _models("class Loud:\n    def __enter__(self):\n        return self\n    def __exit__(self, *exc):\n"
                     "        pass\nu = 5\nwith Loud():\n    u = 3\n" + _dense("m", "u"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(3)"))


def test_the_else_block_of_a_try_is_outside_its_handlers():
    # the else block's ValueError is not caught by the handlers of its own try: f raises, and the caller's handler
    # sets 7 (the same try's handler returned 5)
    models = _models("def f():\n    try:\n        v = 1\n    except ValueError:\n        return 5\n    else:\n"
                     "        raise ValueError\ntry:\n    u = f()\nexcept ValueError:\n    u = 7\n" + _dense("m", "u"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(7)"))


def test_the_name_an_except_clause_binds_is_deleted_at_its_end():
    # Python deletes `e` when the handler ends: reading it raises NameError, and the handler around it sets 6
    models = _models("e = 4\ntry:\n    raise ValueError\nexcept ValueError as e:\n    pass\ntry:\n    w = e\n    u = 3\n"
                     "except NameError:\n    u = 6\n" + _dense("m", "u"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(6)"))
