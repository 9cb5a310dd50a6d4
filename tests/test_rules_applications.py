"""What the keras.applications rules (KC111-KC113) tell the user to write instead."""

from __future__ import annotations

import textwrap

import pytest

from kerascount.api import analyze_source
from kerascount.config import Config


def _messages(source: str):
    report = analyze_source(textwrap.dedent(source), "m.py", Config())
    return {d.code: d.message for d in report.diagnostics if d.severity == "error"}


@pytest.mark.parametrize("weights, code", [("'imagenet'", "KC111"), ("None", "KC112")])
def test_a_channels_first_input_shape_is_named_as_such(weights, code):
    found = _messages(f"""\
        import keras
        base = keras.applications.ResNet50(weights={weights}, include_top=False, input_shape=(3, 224, 224))
        """)
    assert "channels-first" in found[code] and "input_shape=(224, 224, 3)" in found[code]


def test_a_grayscale_input_keeps_the_three_channel_advice():
    found = _messages("""\
        import keras
        base = keras.applications.ResNet50(weights="imagenet", include_top=False, input_shape=(224, 224, 1))
        """)
    assert "channels-first" not in found["KC111"] and "input_shape=(224, 224, 3)" in found["KC111"]


def test_a_base_called_on_other_sizes_says_what_to_change():
    found = _messages("""\
        import keras
        base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
        x = keras.Input((150, 150, 3))
        m = keras.Model(x, base(x))
        """)
    assert "(None, 224, 224, 3)" in found["KC113"] and "input_shape=(150, 150, 3)" in found["KC113"]
    found = _messages("""\
        import keras
        base = keras.applications.VGG16(weights=None)
        x = keras.Input((150, 150, 3))
        m = keras.Model(x, base(x))
        """)
    assert "resize the inputs to (224, 224)" in found["KC113"]


def test_a_base_called_on_its_own_size_or_unknown_sizes_is_fine():
    assert not _messages("""\
        import keras
        base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(None, None, 3))
        x = keras.Input((150, 150, 3))
        m = keras.Model(x, base(x))
        y = keras.Input((None, None, 3))
        other = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
        n = keras.Model(y, other(y))
        """)
