"""Rule behaviour measured on public fault benchmarks (benchmarks/faultbench.py): severities and the
findings added for the fault classes those benchmarks showed were missed. Sources are written here,
not copied from the benchmarks."""

from __future__ import annotations

import textwrap

from kerascount.api import analyze_source

KERAS2 = """\
from keras.models import Sequential
from keras.layers.core import Dense
from keras.optimizers import SGD
model = Sequential()
model.add(Dense(8, input_dim=4, init="uniform", activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01))
model.fit(x, y, nb_epoch=10)
"""


def _found(source: str, code: str):
    return [d for d in analyze_source(textwrap.dedent(source)).diagnostics if d.code == code]


def test_legacy_api_is_a_note_in_keras2_code():
    found = _found(KERAS2, "KC404")
    assert len(found) == 4  # the module, init=, lr=, nb_epoch=
    assert {d.severity for d in found} == {"info"}


def test_legacy_api_is_a_warning_in_code_that_uses_keras3_api():
    source = KERAS2 + "import keras\nprint(keras.ops.sum(x))\n"
    found = _found(source, "KC404")
    assert len(found) == 4 and {d.severity for d in found} == {"warning"}
    source = "from keras import layers, ops\n" + KERAS2
    assert {d.severity for d in _found(source, "KC404")} == {"warning"}


def test_ignored_input_shape_that_states_the_truth_is_a_note():
    source = """\
    import keras
    from keras import layers
    m = keras.Sequential([layers.Dense(4, input_dim=8, activation="relu"), layers.Dense(2, input_dim=4)])
    """
    (d,) = _found(source, "KC401")
    assert d.severity == "info" and "gets" not in d.message


def test_ignored_input_shape_that_is_wrong_is_a_warning():
    source = """\
    import keras
    from keras import layers
    m = keras.Sequential([layers.Conv2D(8, 4, input_shape=(32, 32, 3)), layers.Conv2D(8, 3, input_shape=(32, 32, 3))])
    """
    (d,) = _found(source, "KC401")
    assert d.severity == "warning" and "the layer gets (29, 29, 8), not (32, 32, 3)" in d.message


STATEFUL = """\
{imports}
model = Sequential()
model.add(LSTM(16, batch_input_shape=(32, 10, 1), stateful=True))
model.add(Dense(1))
"""


def test_keras2_argument_in_keras2_code_is_legacy_not_an_error():
    source = STATEFUL.format(imports="from tensorflow.keras.models import Sequential\n"
                                     "from tensorflow.keras.layers import LSTM, Dense")
    report = analyze_source(source)
    assert not [d for d in report.diagnostics if d.code == "KC103"]
    (d,) = [d for d in report.diagnostics if d.code == "KC404"]
    assert d.severity == "info" and "batch_input_shape" in d.message and "keras.Input(batch_shape" in d.message


def test_keras2_argument_in_keras3_code_stays_an_error():
    source = STATEFUL.format(imports="from keras.models import Sequential\nfrom keras.layers import LSTM, Dense")
    report = analyze_source(source)
    assert [d.severity for d in report.diagnostics if d.code == "KC103"] == ["error"]
    assert not [d for d in report.diagnostics if d.code == "KC404"]


def test_kernel_tuple_beside_keras1_keywords_is_legacy_not_an_error():
    source = """\
    from keras.models import Sequential
    from keras.layers import Conv2D
    net = Sequential()
    net.add(Conv2D(16, (8, 8), subsample=(4, 4), border_mode="valid", input_shape=(128, 128, 1)))
    """
    report = analyze_source(textwrap.dedent(source))
    assert not [d for d in report.diagnostics if d.code == "KC103"]
    assert any("kernel size tuple beside Keras 1 keywords (`subsample=`, `border_mode=`)" in d.message
               for d in report.diagnostics if d.code == "KC404")
