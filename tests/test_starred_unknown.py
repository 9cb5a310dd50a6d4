"""``f(*x)`` / ``f(**x)`` where the analysis does not know ``x``: a builtin, a library function or a method of a value
is never read as a call on the arguments before the star alone (``list(*groups)`` is not ``list()``, which is empty;
``a.transpose(*axes)`` is not ``a.transpose()``, which reverses every axis). Keras runs each program; kerascount gives
its number, a symbol that evaluates to it, or unknown; never another number, and no finding on correct code."""

from __future__ import annotations

import json

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe
from test_fixtures import evaluate_symbolic

_HEAD = "import json\nimport numpy as np\nimport keras\nfrom keras.layers import Conv2D, Dense, Flatten\n" \
        "groups = json.loads('[[8, 16]]')\n"

PROGRAMS = {
    # the loop adds a Dense for each size in the one list `groups` holds
    "list": _HEAD + "model = keras.Sequential([keras.Input((4,))])\nfor units in list(*groups):\n"
                    "    model.add(Dense(units))\nmodel.add(Dense(2))\n",
    "sorted": _HEAD + "model = keras.Sequential([keras.Input((4,))])\nfor units in sorted(*groups):\n"
                      "    model.add(Dense(units))\n",
    "tuple": _HEAD + "t = tuple(*groups)\nmodel = keras.Sequential([keras.Input((4,)), Dense(len(t) + 1)])\n",
    "dict": _HEAD + "opts = json.loads('{\"units\": 6}')\nsettings = dict(**opts)\n"
                    "model = keras.Sequential([keras.Input((4,)), Dense(settings.get('units', 1))])\n",
    "extend": _HEAD + "sizes = [3]\nsizes.extend(*groups)\nmodel = keras.Sequential([keras.Input((4,))])\n"
                      "for units in sizes:\n    model.add(Dense(units))\n",
    # the axes given by the star keep the array as it is: the model gets the images it expects
    "transpose": _HEAD + "axes = json.loads('[[0, 1, 2, 3]]')\n"
                         "model = keras.Sequential([keras.Input((10, 10, 3)), Conv2D(4, 3), Flatten(), Dense(9)])\n"
                         "x = np.zeros((5, 10, 10, 3)).transpose(*axes)\nmodel.predict(x, verbose=0)\n",
}


def test_a_star_the_analysis_does_not_know_never_gives_a_number_keras_disagrees_with():
    truth = keras_probe(COUNT_OR_RAISED, PROGRAMS)
    for name, text in PROGRAMS.items():
        assert isinstance(truth[name], int), (name, truth[name])
        report = analyze_source(text, "m.py")
        model = report.models[-1]
        assert not [d for d in report.diagnostics if d.severity in ("error", "warning")], name
        if model.status == "exact":
            assert model.total == truth[name], name
        elif model.status == "symbolic":
            # `len(t)` is the length of the one list `groups` holds
            assert evaluate_symbolic(str(model.total), {"len(t)": len(json.loads("[[8, 16]]")[0])}) == truth[name]
        else:
            assert model.status == "unknown", (name, model.status)
    # the array's shape is not known after the star: no finding, the model keeps its numbers
    transposed = analyze_source(PROGRAMS["transpose"], "m.py").models[-1]
    assert (transposed.status, transposed.total) == ("exact", truth["transpose"])
