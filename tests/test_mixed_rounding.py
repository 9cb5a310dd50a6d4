"""A rounded division of the other kind folds too: floor(m/b) == ceil((m - b + 1)/b) and ceil(m/b) ==
floor((m + b - 1)/b) for an integer m, so floor((ceil(n/d) + c)/b) == ceil((n + (c - b + 1)*d)/(d*b)) (and the same
with the kinds swapped), folded where c - b + 1 is a multiple of b (a division of a whole numerator; the other forms
stay as the layers make them). Found on a hold-out (cinderellab/Keras_Semantic_Segmentation_Enhanced's ResNet v2 encoders,
built with an input shape nothing gives): a unit's shortcut, a 1x1 stride-2 ``MaxPooling2D`` (padding "valid",
floor((m - 1)/2) + 1) of a stride-2 "same" convolution's ceil(x/2), and its main path, ceil(ceil(x/2)/2), were
"cannot tell whether floor((ceil(x/4) + 1)/2) and ceil(x/8) agree", and every later unit's `depth_in == depth` was
undecided: the encoders were unknown, and are symbolic now.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import ceildiv, floordiv, render, symbol

X = symbol("x")


def _python(kind: str, a: int, b: int) -> int:
    return a // b if kind == "floor" else -(-a // b)


def test_the_other_kind_folds():
    assert floordiv(ceildiv(X, 4) + 1, 2) == ceildiv(X, 8)
    # only into a division of a whole numerator: MobileNet's floor(ceil(x/2)/2) stays as its layers make it
    assert render(floordiv(ceildiv(X, 2), 2)) == "floor(ceil(x/2)/2)"
    assert render(floordiv(ceildiv(X, 4) + 1, 2)) == "ceil(x/8)"
    assert ceildiv(floordiv(X, 2) - 3, 2) == floordiv(X, 4) - 1
    # a 'valid' 1x1 pool of stride 2 after a 'same' stride-2 convolution: ceil(x/4), as two 'same' convolutions give
    assert floordiv(ceildiv(X, 2) - 1, 2) + 1 == ceildiv(ceildiv(X, 2), 2) == ceildiv(X, 4)


def test_every_pair_of_kinds_agrees_with_python_integers():
    for inner in ("floor", "ceil"):
        for outer in ("floor", "ceil"):
            for d in range(1, 6):
                for b in range(1, 6):
                    for c in range(-7, 8):
                        first = (floordiv if inner == "floor" else ceildiv)(X, d)
                        expr = (floordiv if outer == "floor" else ceildiv)(first + c, b)
                        text = render(expr)
                        for x in range(-30, 60):
                            want = _python(outer, _python(inner, x, d) + c, b)
                            got = _at(text, x)
                            assert got == want, (inner, outer, d, b, c, text, x)


def _at(text: str, x: int) -> int:
    import math
    import re
    from fractions import Fraction

    exact = re.sub(r"(\d+)", r"Fraction(\1)", text)
    return eval(exact, {"Fraction": Fraction, "floor": math.floor, "ceil": math.ceil, "x": Fraction(x)})


HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"
#: A pre-activation ResNet unit's stride-2 shortcut: a 1x1 MaxPooling2D of stride 2 beside a stride-2 convolution.
SHORTCUT = """
data = np.load("images.npy")
n = data.shape[1]
inp = keras.Input((n, n, 3))
x = layers.Conv2D(8, 3, strides=2, padding="same")(inp)
main = layers.Conv2D(8, 3, strides=2, padding="same")(x)
shortcut = layers.MaxPooling2D(pool_size=(1, 1), strides=2)(x)
y = layers.Add()([shortcut, main])
model = keras.Model(inp, y)
"""


def test_the_shortcut_and_the_main_path_agree():
    # Keras (test below): 224 + 584 = 808 params for any n; output (None, ceil(n/4), ceil(n/4), 8)
    report = analyze_source(HEAD + SHORTCUT, "m.py")
    assert report.internal_error is None, report.internal_error
    model = {m.model.name: m for m in report.models}["model"]
    assert model.status == "exact", model.reasons
    assert model.total == 808 and model.trainable == 808
    assert render(model.outputs[0][1]) == "ceil(data.shape[1]/4)"


@pytest.mark.keras
def test_keras_gives_those_numbers():
    from test_catalogue_keras import keras_probe
    from test_nested_rounding import PROBE  # (np.load gives zeros of shape (2, n): data.shape[1] is n)

    found = keras_probe(PROBE, [HEAD + SHORTCUT, [30, 32, 33, 35], "model"])
    assert found == {"30": [808, [None, 8, 8, 8]], "32": [808, [None, 8, 8, 8]],
                     "33": [808, [None, 9, 9, 8]], "35": [808, [None, 9, 9, 8]]}
