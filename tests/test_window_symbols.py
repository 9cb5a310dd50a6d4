"""Windows sized by symbols (an EEG model's ``DepthwiseConv2D((chans, 1))`` over ``chans`` electrodes, a kernel a
fraction of a window length): the output lengths and weights are formulas of them
(fixtures/interpreter2/window_sizes_from_parameters.py checks them against Keras at the values it calls the builders
with); a symbolic stride, which the length would be divided by, leaves the layer unknown, saying why; and every rule
that reads windows takes a symbolic one without failing."""

from __future__ import annotations

from kerascount import rules
from kerascount.api import analyze_source
from kerascount.catalogue.spec import show_shape
from kerascount.config import Config

_HEAD = "import keras\nfrom keras import layers\n\n"


def _models(src: str, config=None):
    report = analyze_source(_HEAD + src, "m.py", config)
    assert report.internal_error is None, report.internal_error
    return report


def test_a_kernel_as_tall_as_its_input_leaves_one_row():
    src = ("def net(chans, samples):\n    x = keras.Input((chans, samples, 1))\n"
           "    y = layers.DepthwiseConv2D((chans, 1), depth_multiplier=2, use_bias=False)(x)\n"
           "    return keras.Model(x, layers.Flatten()(y))\n")
    (model,) = _models(src).models
    assert model.status == "symbolic"
    assert str(model.total) == "2*chans"
    assert show_shape(model.rows[-1].output_shape) == "(None, 2*samples)"


def test_a_symbolic_stride_leaves_the_layer_unknown():
    src = ("def net(k, t):\n    x = keras.Input((t, 3))\n    y = layers.Conv1D(4, k, strides=k)(x)\n"
           "    return keras.Model(x, y)\n")
    (model,) = _models(src).models
    assert model.status == "unknown" and model.total is None
    assert any("kernel size, strides or dilation are symbolic (`k`)" in r for r in model.reasons), model.reasons


def test_rules_that_read_windows_take_symbolic_ones():
    # (a 1 x 1 map under a symbolic kernel, and a symbolic kernel after a fixed one: KC604 and KC606 compare sizes)
    src = ("def net(k, n):\n    x = keras.Input((1, 1, 3))\n    y = layers.Conv2D(4, (k, k), padding='same')(x)\n"
           "    y = layers.MaxPooling2D((n, n), strides=1, padding='same')(y)\n    return keras.Model(x, y)\n\n"
           "def chain(k, t):\n    x = keras.Input((t, 3))\n    y = layers.Conv1D(4, 3, activation='relu')(x)\n"
           "    y = layers.Conv1D(4, k, activation='relu')(y)\n    y = layers.Conv1D(4, 5, activation='relu')(y)\n"
           "    return keras.Model(x, y)\n")
    report = _models(src, Config(extend_select=tuple(sorted(rules.BY_CODE))))
    assert [m.status for m in report.models] == ["symbolic", "symbolic"]
    assert not [d for d in report.diagnostics if d.code in ("KC604", "KC606")]
