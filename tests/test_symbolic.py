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
