"""Symbolic arithmetic: exact algebra on names the source does not resolve."""

import random

from kerascount.symbolic import Expr, ceildiv, floordiv, render, same, symbol

H, W = symbol("HEIGHT"), symbol("WIDTH")


def test_folds_to_int_when_constant():
    assert (H - H) == 0 and isinstance(H - H, int)
    assert (H + 1) - H == 1


def test_headline_expression():
    params = 128 * ceildiv(H, 2) * ceildiv(W, 2) * 100 + 100
    assert render(params) == "12800*ceil(HEIGHT/2)*ceil(WIDTH/2) + 100"


def test_exact_division_simplifies():
    assert floordiv(2 * H + 4, 2) == H + 2
    assert floordiv(2 * H + 1, 2) == H
    assert ceildiv(2 * H + 1, 2) == H + 1
    assert floordiv(H, 1) == H


def test_equal_expressions_compare_equal():
    assert ceildiv(H, 2) == ceildiv(H, 2)
    assert isinstance(ceildiv(H, 2), Expr)
    assert floordiv(H + 5, 2) == floordiv(H + 1, 2) + 2


def test_render_negative_terms():
    assert render(H - 2) == "HEIGHT - 2"
    assert render(-H + 3) == "-HEIGHT + 3"
    assert render(H * H) == "HEIGHT**2"


def test_symbol_of_an_operation_is_bracketed_where_an_operator_binds_to_it():
    # `Flatten(input_shape=(lookback // step, 14))` with `step` unknown: the symbol stands for `lookback // step`.
    # Read as Python (as corpus_truth evaluates it), `14*lookback // step` is (14*lookback) // step: another number
    # when step does not divide lookback.
    q = symbol("lookback // step")
    assert render(q) == "lookback // step"
    assert render(14 * q) == "14*(lookback // step)"
    assert render(448 * q + 65) == "448*(lookback // step) + 65"
    assert render(q * H) == "HEIGHT*(lookback // step)" or render(q * H) == "(lookback // step)*HEIGHT"
    assert render(q ** 2) == "(lookback // step)**2"
    assert render(1 - q) == "-(lookback // step) + 1"
    assert render(symbol("x.shape[1]") * 3) == "3*x.shape[1]"
    assert eval(render(448 * q + 65), {"lookback": 1441, "step": 6}) == 448 * (1441 // 6) + 65
    # A text of lower precedence than a sum keeps its brackets even as a term: `n or 8 + 3` is n or (8 + 3).
    o = symbol("n or 8")
    assert render(o + 3) == "(n or 8) + 3"
    assert eval(render(o + 3), {"n": 0}) == 11
    assert eval(render(symbol("a if c else b") + 1), {"a": 1, "b": 5, "c": False}) == 6


def test_sizes_written_two_ways_are_the_same():
    # a BiSeNet's two paths (hold-out 62): ceil(m/2) == floor((m + 1)/2), and floors of floors fold
    assert same(ceildiv(floordiv(H + 1, 8), 2), floordiv(H + 9, 16))
    assert same(ceildiv(ceildiv(H, 2), 2), ceildiv(H, 4))
    assert same(floordiv(ceildiv(H, 2), 2), ceildiv(H + 2, 4) - 1)
    assert same(3, 3) and same(H, H)
    # not equal for every value: ceil(floor(H/8)/2) is 0 where floor((H + 9)/16) is 1 (H = 7)
    assert not same(ceildiv(floordiv(H, 8), 2), floordiv(H + 9, 16))
    assert not same(floordiv(H, 2), ceildiv(H, 2))
    assert not same(H, W) and not same(H, 3)


def test_same_is_never_wrong_on_random_roundings():
    # every pair `same` calls equal agrees at every value of the symbol (checked with Python's own // and ceil)
    rng = random.Random(62)

    def made(depth):
        if depth == 0:
            c = rng.randint(-3, 5)
            return H + c, (lambda v, c=c: v + c)
        e, f = made(depth - 1)
        k, c = rng.randint(1, 4), rng.randint(-3, 3)
        if rng.random() < 0.5:
            return floordiv(e, k) + c, (lambda v: f(v) // k + c)
        return ceildiv(e, k) + c, (lambda v: -(-f(v) // k) + c)

    exprs = [made(rng.randint(1, 4)) for _ in range(400)]
    claimed = 0
    for i, (a, fa) in enumerate(exprs):
        for b, fb in exprs[i + 1:i + 30]:
            if same(a, b):
                claimed += 1
                assert all(fa(v) == fb(v) for v in range(-20, 200)), (render(a), render(b))
    assert claimed > 20


def test_concatenate_assumes_nothing_of_sizes_shown_equal():
    # fixtures/interpreter2/sizes_written_two_ways.py: the Add is known and the Concatenate assumes no agreement
    import os

    from kerascount.api import analyze_source

    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "interpreter2", "sizes_written_two_ways.py")
    with open(path, encoding="utf-8") as f:
        report = analyze_source(f.read(), path)
    (model,) = [m for m in report.models if m.model.name == "two_paths"]
    assert isinstance(model.total, int) and not model.assumes, (model.total, model.assumes)
