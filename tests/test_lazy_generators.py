"""Generators are lazy (fixtures/interpreter2/lazy_generators.py holds what the analysis follows against real Keras):
where computing the items at once could give another value than Python's step-by-step order, the value is unknown,
never the eager one."""

from kerascount.api import analyze_source
from test_interpreter2 import spelled_total

HEAD = "import keras\nfrom keras import layers\n"


def _models(body: str):
    report = analyze_source(HEAD + body, "gen.py")
    assert report.internal_error is None
    return {m.model.name: m for m in report.models}


def _dense(name: str, units: str) -> str:
    return f"{name} = keras.Sequential([keras.Input((4,)), layers.Dense({units})], name='{name}')\n"


def test_any_stops_at_the_first_true_item():
    models = _models("seen = []\ndef mark(v):\n    seen.append(v)\n    return v > 1\n"
                     "hit = any(mark(v) for v in [3, 12, 4])\n" + _dense("m", "len(seen) + hit"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(2)"))


def test_generator_expression_kept_for_later_reads_its_names_when_iterated():
    # Python: 1*5 + 2*5 = 15 units; computing the items when the expression is made would give 6
    models = _models("k = 2\nlazy = (x * k for x in [1, 2])\nk = 5\n" + _dense("m", "sum(lazy)"))
    assert models["m"].status != "exact" and models["m"].total != spelled_total(4, "layers.Dense(6)")


def test_generator_expression_given_to_zip_is_not_taken_for_all_its_items():
    # zip stops after the shorter list: Python calls note three times (0, 1, then 2 before it stops), not six
    models = _models("seen = []\ndef note(v):\n    seen.append(v)\n    return v\n"
                     "pairs = list(zip((note(v) for v in range(6)), [1, 2]))\n" + _dense("m", "len(seen) + 1"))
    assert models["m"].status != "exact"


def test_next_of_a_generator_that_changes_a_global_forgets_the_change():
    # Python has run the body up to its first `yield`: one append, not five
    models = _models("log = []\ndef gen():\n    for k in range(5):\n        log.append(k)\n        yield k\n"
                     "g = gen()\nfirst = next(g)\n" + _dense("m", "len(log) + 1") + _dense("n", "first + 1"))
    assert models["m"].status != "exact"
    assert (models["n"].status, models["n"].total) == ("exact", spelled_total(4, "layers.Dense(1)"))


def test_next_of_a_self_contained_generator_keeps_the_rest():
    models = _models("def fixed(n):\n    for i in range(n):\n        yield i + 1\n"
                     "it = fixed(4)\na = next(it)\nb = next(it)\n" + _dense("m", "a + b + len(list(it))")
                     + _dense("n", "next(it, 7)"))
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(5)"))
    # after `list(it)` took the rest, next gives the default
    assert (models["n"].status, models["n"].total) == ("exact", spelled_total(4, "layers.Dense(7)"))


def test_loop_over_a_generator_reading_what_the_body_changes_is_not_run_first():
    # Python yields 1, 2, 3 (the body bumps the state between items); running the generator first gives 1, 1, 1
    models = _models("state = [1]\ndef gen():\n    for i in range(3):\n        yield state[0]\n"
                     "m = keras.Sequential([keras.Input((4,))], name='m')\n"
                     "for v in gen():\n    state[0] += 1\n    m.add(layers.Dense(v))\n")
    assert models["m"].status != "exact"


def test_loop_over_a_generator_expression_whose_names_the_body_rebinds():
    models = _models("k = 1\nm = keras.Sequential([keras.Input((4,))], name='m')\n"
                     "for u in (w * k for w in [3, 5]):\n    k += 1\n    m.add(layers.Dense(u))\n")
    assert models["m"].status != "exact"


def test_loop_over_a_generator_of_layers_is_followed():
    models = _models("def blocks(fs):\n    for f in fs:\n        yield layers.Dense(f)\n"
                     "m = keras.Sequential([keras.Input((4,))], name='m')\n"
                     "for layer in blocks([2, 3]):\n    m.add(layer)\n")
    assert (models["m"].status, models["m"].total) == ("exact", spelled_total(4, "layers.Dense(2), layers.Dense(3)"))


def test_adding_what_is_not_known_to_a_sequential_leaves_later_functional_names_unknown():
    # Each add to a Sequential with an input rebuilds it as a Functional, which uses up a name (real Keras 3.15:
    # after a Sequential built with an input, a functional model and two adds, the next functional model is named
    # functional_4). Items of a generator after next() are not followed: the adds of the loop are not known, and
    # neither is that name (campaign --programs --seed 3311, program 823).
    models = _models("def stream(ws):\n    for w in ws:\n        yield layers.Dense(w)\n"
                     "src = stream([2, 3, 4])\nfirst = next(src)\n"
                     "seq = keras.Sequential([keras.Input((3,)), first])\n"
                     "for extra in src:\n    seq.add(extra)\n"
                     "i = keras.Input((3,))\nlater = keras.Model(i, layers.Dense(2)(i))\n")
    assert models["later"].status == "exact" and models["later"].model.keras_name == "?"


def test_kept_iterators_read_what_they_iterate_when_they_are_iterated():
    # fixtures/interpreter2/kept_iterators.py holds the cases the analysis follows against real Keras; these are
    # the ones it may not compute early (Python: 15 units for `lazy`, 5 for `back`'s last item, one call of note)
    models = _models("k = 2\nlazy = map(lambda v: v * k, [1, 2])\nk = 5\n" + _dense("a", "sum(lazy)") +
                     "ys = [4, 5]\nback = reversed(ys)\nys[0] = 9\n" + _dense("b", "list(back)[-1]") +
                     "xs = [1, 2]\nit = iter(xs)\nxs.append(3)\n" + _dense("c", "len(list(it))") +
                     "seen = []\ndef note(v):\n    seen.append(v)\n    return v\nkept = filter(note, [1, 2, 3])\n"
                     + _dense("d", "len(seen) + 1"))
    for name in "abcd":
        assert models[name].status != "exact", name
    assert models["a"].total != spelled_total(4, "layers.Dense(6)")


def test_a_generator_given_to_bool_is_the_generator_object():
    # bool() of a generator is true even when it would give nothing (real Keras 3.15 run: 3 units); its items are
    # not what bool reads
    models = _models("g = bool(x for x in [])\n" + _dense("m", "3 if g else 2"))
    assert models["m"].total != spelled_total(4, "layers.Dense(2)")



def test_items_after_an_unknown_star_are_still_made():
    # Python makes the Dense of each display, call and f-string even though `*extra` (from the command line) is not known:
    # each uses up an automatic name, so the model after them has dense_7, not dense (real Keras 3.15)
    models = _models("import sys\nextra = sys.argv[1:]\ndef f(*a, **k):\n    return a\n"
                     "t = (*extra, layers.Dense(2))\nr = f(*extra, layers.Dense(2))\ns = {*extra, layers.Dense(2)}\n"
                     "d = {**dict.fromkeys(extra), 'x': layers.Dense(2)}\nl = [*extra, layers.Dense(2)]\n"
                     "p = print(*extra, layers.Dense(2))\nq = f'{extra}{layers.Dense(2)}'\n" + _dense("m", "3"))
    assert [row.layer.name for row in models["m"].rows] == ["dense_7"]


def test_a_call_not_run_of_a_function_that_makes_layers_leaves_the_next_names_unknown():
    # a decorator not followed, a later call of an lru_cache'd function with new arguments and recursion past the
    # depth limit: Python makes layers there (real Keras 3.15 names the model's layer dense_2 in the second case and
    # dense_45 in the third), the analysis does not run them: the names after them are not known, never a count
    # that left those layers out
    for body in ("import some_lib\n@some_lib.register\ndef block(n):\n    return layers.Dense(n)\nb = block(3)\n",
                 "import functools\n@functools.lru_cache\ndef block(n):\n    return layers.Dense(n)\n"
                 "b = block(3)\nc = block(4)\n",
                 "def stack(n):\n    return [] if n == 0 else [layers.Dense(2)] + stack(n - 1)\nd = stack(45)\n"):
        models = _models(body + _dense("m", "3"))
        assert [row.layer.name for row in models["m"].rows] == ["?"], body


def test_a_function_that_makes_layers_given_to_map_over_unknown_items_leaves_the_next_names_unknown():
    models = _models("import sys\nextra = sys.argv[1:]\ng = list(map(lambda n: layers.Dense(2), extra))\n"
                     + _dense("m", "3"))
    assert [row.layer.name for row in models["m"].rows] == ["?"]
    # a key function that makes no layer leaves them known
    models = _models("import sys\nextra = sys.argv[1:]\ng = max(extra, key=lambda f: int(f.split('-')[1]))\n"
                     + _dense("m", "3"))
    assert [row.layer.name for row in models["m"].rows] == ["dense"]


def test_a_key_function_that_makes_layers_counts_as_a_call_of_it():
    # `sorted(..., key=mk)` calls mk, which makes a layer: a call of `block` not run leaves the next names unknown;
    # `min` of numbers calls nothing, so the names stay known
    body = ("import some_lib\ndef mk(w):\n    layers.Dense(w)\n    return w\n@some_lib.register\ndef block():\n"
            "    return sorted([2, 1], key=mk)\nb = block()\n")
    models = _models(body + _dense("m", "3"))
    assert [row.layer.name for row in models["m"].rows] == ["?"]
    body = "import some_lib\n@some_lib.register\ndef block():\n    return min(2, 1)\nb = block()\n"
    models = _models(body + _dense("m", "3"))
    assert [row.layer.name for row in models["m"].rows] == ["dense"]


def test_an_iterator_made_before_a_function_nothing_calls_is_not_followed_in_its_run():
    # the script may iterate `pairs` before it calls `build` (then the loop adds no layer): its items are not
    # known in the run of `build`; an iterator the run makes itself is followed
    # (fixtures/interpreter2/uncalled_builder_kept_iterator.py)
    models = _models("pairs = zip([8, 16], [1, 2])\n"
                     "def build():\n    m = keras.Sequential([keras.Input((4,))], name='built')\n"
                     "    for units, _ in pairs:\n        m.add(layers.Dense(units))\n    return m\n")
    assert models["m"].status != "exact"
    models = _models("def build():\n    pairs = zip([8, 16], [1, 2])\n"
                     "    m = keras.Sequential([keras.Input((4,))], name='built')\n"
                     "    for units, _ in reversed(list(pairs)):\n        m.add(layers.Dense(units))\n    return m\n")
    assert (models["m"].status, models["m"].total) == (
        "exact", spelled_total(4, "layers.Dense(16), layers.Dense(8)"))
