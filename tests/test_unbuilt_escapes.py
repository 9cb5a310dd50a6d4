"""A model not built yet that reaches code the analysis does not follow may be built there: it is unknown, never
"unbuilt" with 0 params. Keras 3.15.1 (tools/keras_truth.py, numpy backend) builds ``TwoDense`` below when timeit
runs the lambda: 113 params (Dense 7->10: 80, Dense 10->3: 33); kerascount said 0 (hold-out 23, a course notebook
timing eager and ``tf.function`` models)."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_HEAD = (
    "import timeit\nimport numpy as np\nimport keras\nimport tensorflow as tf\nimport somelib\n"
    "class TwoDense(keras.Model):\n"
    "    def __init__(self):\n        super().__init__()\n"
    "        self.hidden = keras.layers.Dense(10, activation='relu')\n        self.out = keras.layers.Dense(3)\n"
    "    def call(self, x):\n        return self.out(self.hidden(x))\n"
    "batch = np.ones((4, 7), dtype='float32')\n"
    "seq = keras.Sequential([keras.layers.Dense(5), keras.layers.Dense(1)])\n"
)


def _models(body: str):
    report = analyze_source(_HEAD + body, "m.py")
    assert report.internal_error is None
    return {m.model.name: (m.status, m.total) for m in report.models}


@pytest.mark.parametrize("body,name", [
    ("net = TwoDense()\nseconds = timeit.timeit(lambda: net(batch), number=2)\n", "net"),
    ("net = TwoDense()\nrun = lambda: [net(batch)]\nseconds = timeit.timeit(run, number=2)\n", "net"),
    ("net = TwoDense()\nfast = tf.function(net)\n", "net"),
    ("net = TwoDense()\nsomelib.train(net, batch)\n", "net"),
    ("seconds = timeit.timeit(lambda: seq.predict(batch), number=1)\n", "seq"),
    ("somelib.train(seq, batch)\n", "seq"),
])
def test_a_model_code_not_followed_may_build_is_not_unbuilt(body, name):
    status, total = _models(body)[name]
    assert status == "unknown" and total is None


def test_a_function_of_the_file_that_builds_the_model_is_run_as_keras_would():
    # a function of the file that nothing calls is analysed (its body runs once): here it builds the model on the
    # batch, as timeit's call does under Keras (113)
    body = "net = TwoDense()\ndef run():\n    return net(batch)\nseconds = timeit.timeit(run, number=2)\n"
    assert _models(body)["net"] == ("exact", 113)


def test_a_model_built_afterwards_keeps_its_numbers():
    body = ("net = TwoDense()\nseconds = timeit.timeit(lambda: net(batch), number=1)\nnet(keras.Input(shape=(7,)))\n"
            "somelib.train(seq, batch)\nseq.build((None, 7))\n")
    found = _models(body)
    assert found["net"] == ("exact", 113)
    assert found["seq"] == ("exact", 46)  # Dense 7->5: 40, Dense 5->1: 6


def test_keras_code_and_no_escape_leave_an_unbuilt_model_unbuilt():
    # Keras's own functions given the model (plot_model) do not build it; nor does a lambda that never names it
    body = ("net = TwoDense()\nkeras.utils.plot_model(net)\nseconds = timeit.timeit(lambda: sum(range(3)), number=1)\n")
    assert _models(body)["net"][0] == "unbuilt"
    # a function whose own local has the model's name does not use the model (somelib.check(make))
    local = "def make():\n    seq = keras.Sequential([keras.layers.Dense(2)])\n    return seq\nsomelib.check(make)\n"
    report = analyze_source(_HEAD + local, "m.py")
    assert [m.status for m in report.models if m.model.name == "seq"] == ["unbuilt", "unbuilt"]
