"""A rounded division of a rounded division folds: floor(floor(x/2)/2) is floor(x/4) (and ceil likewise), so that two
pooling layers' output and ``x // 4`` are one size. Found on a hold-out (mmalekzadeh/motion-sense's autoencoder
notebooks: a decoder built on ``Input((w // 4, ...))`` called on the encoder's two pools' output was unknown,
"called on floor(floor(w/2)/2) but was built for floor(w/4)").

The identity: floor(floor(y)/b) == floor(y/b) for any real y and positive integer b (and ceil(ceil(y)/b) ==
ceil(y/b)); with floor(y) + c == floor(y + c) for an integer c, floor((floor(n/d) + c)/b) == floor((n + c*d)/(d*b)).
"""

from __future__ import annotations

import random

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import ceildiv, floordiv, render, symbol

X = symbol("x")


def _value(expr, x: int) -> int:
    """``expr`` at ``x``, from its rendered text (floor/ceil of exact fractions)."""
    from fractions import Fraction
    import math
    import re

    if isinstance(expr, int):
        return expr
    text = re.sub(r"(\d+)", r"Fraction(\1)", render(expr))  # exact divisions
    return eval(text, {"Fraction": Fraction, "floor": math.floor, "ceil": math.ceil, "x": Fraction(x)})


def test_a_division_of_a_division_folds():
    assert floordiv(floordiv(X, 2), 2) == floordiv(X, 4)
    assert render(floordiv(floordiv(X, 2), 2)) == "floor(x/4)"
    assert ceildiv(ceildiv(X, 2), 3) == ceildiv(X, 6)
    # with constants: a 'valid' pool of 2 gives floor((x - 2)/2) + 1 steps; two of them give floor(x/4)
    valid = floordiv(floordiv(X - 2, 2) + 1 - 2, 2) + 1
    assert valid == floordiv(X, 4)


def test_kinds_that_differ_do_not_fold():
    # floor(ceil(x/2)/2) is not floor(x/4) (x = 1: 0 and 0; x = 2: 0 and 0; x = 3: 1 and 0); it is ceil((x - 2)/4),
    # which is not written so (tests/test_mixed_rounding.py: only a fold into a whole numerator is made)
    assert floordiv(ceildiv(X, 2), 2) != floordiv(X, 4)
    assert render(floordiv(ceildiv(X, 2), 2)) == "floor(ceil(x/2)/2)"
    # a multiple of a rounded division is not one: floor(2*floor(x/3)/4) stays as it is
    assert render(floordiv(2 * floordiv(X, 3), 4)) == "floor(2*floor(x/3)/4)"


def test_random_chains_agree_with_python_integers():
    rng = random.Random(7)
    for _ in range(500):
        steps = [(rng.choice("fc"), rng.randint(-6, 6), rng.randint(1, 6)) for _ in range(rng.randint(1, 4))]
        expr = X
        for kind, c, b in steps:
            expr = (floordiv if kind == "f" else ceildiv)(expr + c, b)
        for x in range(-40, 60):
            want = x
            for kind, c, b in steps:
                want = (want + c) // b if kind == "f" else -(-(want + c) // b)
            assert _value(expr, x) == want, (steps, render(expr), x)


HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"
#: An autoencoder: the decoder is built for `n // 4` steps, the encoder's two pools give floor(floor(n/2)/2).
AUTOENCODER = """
data = np.load("series.npy")
n = data.shape[1]
inp = keras.Input((n, 3))
x = layers.Conv1D(8, 3, padding="same")(inp)
x = layers.MaxPooling1D(2)(x)
x = layers.Conv1D(8, 3, padding="same")(x)
x = layers.MaxPooling1D(2)(x)
encoder = keras.Model(inp, x)
code = keras.Input((n // 4, 8))
y = layers.UpSampling1D(4)(code)
y = layers.Conv1D(3, 3, padding="same")(y)
decoder = keras.Model(code, y)
autoencoder = keras.Model(inp, decoder(encoder(inp)))
"""


def _models(body: str):
    report = analyze_source(HEAD + body, "m.py")
    assert report.internal_error is None, report.internal_error
    return {m.model.name: m for m in report.models}


def test_the_decoder_built_for_n_over_4_takes_the_two_pools_output():
    # Keras (test below): 355 params (encoder 80 + 200, decoder 75) for any n; output (None, 4*(n//4), 3)
    auto = _models(AUTOENCODER)["autoencoder"]
    assert auto.total == 355 and auto.trainable == 355
    assert auto.status == "exact", auto.reasons
    assert render(auto.outputs[0][1]) == "4*floor(data.shape[1]/4)"


PROBE = r"""
import json, sys
import numpy as np
import keras
body, sizes, *name = json.loads(sys.argv[1])  # (the model's name: "autoencoder" unless given)
out = {}
for n in sizes:
    np.load = lambda path, n=n: np.zeros((2, n))
    g = {}
    exec(body, g)
    m = g[name[0] if name else "autoencoder"]
    out[str(n)] = [m.count_params(), list(m.output_shape)]
print(json.dumps(out))
"""


@pytest.mark.keras
def test_keras_gives_those_numbers():
    from test_catalogue_keras import keras_probe

    found = keras_probe(PROBE, [HEAD + AUTOENCODER, [30, 32, 35]])
    assert found == {"30": [355, [None, 28, 3]], "32": [355, [None, 32, 3]], "35": [355, [None, 32, 3]]}
