"""Automatic names after code Keras runs where the analysis does not follow it (hold-out 54): the layers that code
makes take names, so the names of their classes made afterwards are not known; they show as unknown, never as a
number Keras did not give. Three such runs, each compared with real Keras run on the same source:

- ``Cls.from_config(config)`` of a model or layer class of the file that leaves it to Keras: Keras makes an
  instance (``cls(**config)``), whose ``__init__`` makes layers then, and whose ``build`` and ``call`` make more
  when it is called (before, the Dense of a later Sequential was `dense_1`, Keras's `dense_3`);
- ``model.build(shape)`` running the class's own ``build``, which is not followed (an ``Input`` made there);
- ``predict``/``fit`` on data whose shape is not known: ``call`` runs, and builds the custom layers the model holds.

Names of other classes stay known."""

from __future__ import annotations

import textwrap

from kerascount.api import analyze_source
from test_catalogue_keras import keras_probe

SOURCE = textwrap.dedent("""\
    import keras
    from keras import layers


    class Base(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = layers.Dense(3)


    class Child(Base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.c = layers.Conv1D(2, 1)

        def call(self, x):
            return self.c(self.d(x))


    class Blk(layers.Layer):
        def build(self, input_shape):
            self.e = layers.Embedding(10, 2)

        def call(self, x):
            return self.e(x)


    c = Child()
    c(keras.Input((4, 2)))
    c2 = Child.from_config(c.get_config())
    c2(keras.Input((4, 2)))
    c3 = c.from_config(c.get_config())  # (the classmethod read through an instance)
    b2 = Blk.from_config({"name": "blk_x"})
    s = keras.Sequential([keras.Input((4, 2)), layers.Dense(4), layers.Conv1D(2, 1), layers.Embedding(5, 2),
                          layers.Flatten()])
    """)

PROBE = """\
import json, sys
source = json.loads(sys.argv[1])
space = {}
exec(compile(source, "probe.py", "exec"), space)
print(json.dumps({"c": [space["c"].name] + [l.name for l in space["c"].layers],
                  "s": [space["s"].name] + [l.name for l in space["s"].layers]}))
"""


def _names(model):
    return [model.model.keras_name] + [r.layer.name for r in model.rows if r.layer.type != "InputLayer"]


def test_names_after_from_config_are_keras_or_unknown():
    keras = keras_probe(PROBE, SOURCE)
    report = analyze_source(SOURCE)
    by_name = {m.model.name: m for m in report.models}
    ours = {"c": _names(by_name["c"]), "s": _names(by_name["s"])}
    for key in ("c", "s"):
        assert len(ours[key]) == len(keras[key])
        for mine, theirs in zip(ours[key], keras[key]):
            assert mine in (theirs, "?"), (key, ours[key], keras[key])
    # Keras: dense_3, conv1d_3 (the instances from_config made took dense_1, dense_2, conv1d_1, conv1d_2),
    # embedding (Blk's from_config instance is never called, so its build made nothing)
    assert keras["s"] == ["sequential", "dense_3", "conv1d_3", "embedding", "flatten"]
    # known where nothing the instance may make touches them: the first model's, the Sequential's own, Flatten's
    assert ours["c"] == keras["c"] and ours["s"][0] == "sequential" and ours["s"][-1] == "flatten"
    assert ours["s"][1:3] == ["?", "?"]  # (not dense_1 / conv1d_1, as before)
    assert all(m.status == "exact" for m in (by_name["c"], by_name["s"]))


BUILD_SOURCE = textwrap.dedent("""\
    import keras
    from keras import layers


    class TraceBuild(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = layers.Dense(8)

        def build(self, input_shape):
            x = keras.Input(shape=input_shape[1:])
            self.call(x)
            super().build(input_shape)

        def call(self, x):
            return self.d1(x)


    tb = TraceBuild()
    tb.build((None, 5))
    inp = keras.Input((3, 6))
    out = layers.Dense(2)(inp)
    f = keras.Model(inp, out)
    """)

BUILD_PROBE = """\
import json, sys
source = json.loads(sys.argv[1])
space = {}
exec(compile(source, "probe.py", "exec"), space)
print(json.dumps({"f": [space["f"].name] + [l.name for l in space["f"].layers],
                  "tb": [space["tb"].count_params()]}))
"""


def test_names_after_a_build_not_followed_are_keras_or_unknown():
    # `tb.build(shape)` runs the class's own build, which the analysis does not follow: Keras makes an
    # InputLayer there (input_layer), so the functional model's input is input_layer_1 (before: `input_layer`)
    keras = keras_probe(BUILD_PROBE, BUILD_SOURCE)
    assert keras["f"] == ["functional", "input_layer_1", "dense_1"] and keras["tb"] == [48]
    by_name = {m.model.name: m for m in analyze_source(BUILD_SOURCE).models}
    f = by_name["f"]
    ours = [f.model.keras_name] + [r.layer.name for r in f.rows]
    assert ours == ["functional", "?", "dense_1"]  # (the build makes no Dense: it calls d1, made in __init__)
    assert f.status == "exact" and by_name["tb"].status == "unknown"


DATA_SOURCE = textwrap.dedent("""\
    import keras
    from keras import layers
    from mydata import load

    x = load()


    class Lazy(layers.Layer):
        def build(self, input_shape):
            self.dense = layers.Dense(4)

        def call(self, x):
            return self.dense(x)


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.l = Lazy()

        def call(self, x):
            return self.l(x)


    n = Net()
    n.predict(x, verbose=0)
    s = keras.Sequential([keras.Input((2,)), layers.Dense(4)])
    """)

DATA_PROBE = """\
import json, sys, types
import numpy as np
sys.modules["mydata"] = types.SimpleNamespace(load=lambda: np.zeros((8, 3), "float32"))
source = json.loads(sys.argv[1])
space = {}
exec(compile(source, "probe.py", "exec"), space)
print(json.dumps({"s": [space["s"].name] + [l.name for l in space["s"].layers],
                  "n": [space["n"].l.dense.name, space["n"].count_params()]}))
"""


def test_names_after_a_run_on_data_not_followed_are_keras_or_unknown():
    # `predict` on data whose shape the analysis does not know: Keras runs `call`, which builds Lazy, whose
    # build makes a Dense (dense): the Sequential's Dense is dense_1 (before: `dense`)
    keras = keras_probe(DATA_PROBE, DATA_SOURCE)
    assert keras == {"s": ["sequential", "dense_1"], "n": ["dense", 16]}
    by_name = {m.model.name: m for m in analyze_source(DATA_SOURCE).models}
    s = by_name["s"]
    assert [s.model.keras_name] + [r.layer.name for r in s.rows if r.layer.type != "InputLayer"] == \
        ["sequential", "?"]
    assert s.status == "exact" and by_name["n"].status == "unknown"
