"""Symbolic arithmetic: exact algebra on names the source does not resolve."""

from kerascount.symbolic import Expr, ceildiv, floordiv, render, symbol

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
