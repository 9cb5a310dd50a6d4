"""Rule behaviour measured on public fault benchmarks (benchmarks/faultbench.py): severities and the
findings added for the fault classes those benchmarks showed were missed. Sources are written here,
not copied from the benchmarks."""

from __future__ import annotations

import textwrap

import pytest

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



def test_ignored_input_shape_in_a_subclassed_model_names_the_subclassed_model():
    # Keras 3 keeps `input_shape=` for a Sequential to read; in a subclassed model the Dense is built on what
    # `call` gives it: under Keras, `ws(keras.Input((9,)))` makes its kernel (9, 4) and the model 50 params.
    source = """\
    import keras
    from keras import layers
    class WithShape(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(4, input_shape=(7,))
            self.e = layers.Dense(2)
        def call(self, x):
            return self.e(self.d(x))
    ws = WithShape()
    ws(keras.Input((9,)))
    """
    (d,) = _found(source, "KC401")
    assert "in a subclassed model the shape comes from the tensor it is called on" in d.message
    assert "functional" not in d.message and "the layer gets (9,), not (7,)" in d.message
    (m,) = analyze_source(textwrap.dedent(source)).models
    assert (m.status, m.total) == ("exact", 50)

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
    # Keras 2's legacy interface read the tuple as the kernel and converted the keywords (hold-out 58): the model is
    # that of the rewrite (fixtures/legacy/kernel_tuple_keras1.py checks the numbers against Keras)
    assert any("subsample → strides; border_mode → padding" in d.message
               for d in report.diagnostics if d.code == "KC404")
    assert [m.status for m in report.models] == ["exact"]


def _sev(source, *select):
    from kerascount.config import Config

    report = analyze_source(source, "example.py", Config(select=select))
    return [(d.code, d.span.line) for d in report.diagnostics], report.diagnostics


def test_a_plain_relu_of_values_that_are_never_negative_is_only_a_note():
    # relu(relu(x)) == relu(x), and a ReLU after a sigmoid passes it through: wasted work, not a fault (an info
    # note). A ReLU with a ceiling or a slope, or a softmax after a ReLU, changes the outputs: still a warning.
    seq = ("import keras\nfrom keras import layers\n"
           "m = keras.Sequential([keras.Input((8,)), layers.Dense(6, activation={first!r}), {second}])\n")
    def severities(first, second):
        return [(d.code, d.severity) for d in _sev(seq.format(first=first, second=second), "KC402")[1]]
    assert severities("relu", "layers.Activation('relu')") == [("KC402", "info")]
    assert severities("relu", "layers.ReLU()") == [("KC402", "info")]
    assert severities("sigmoid", "layers.ReLU()") == [("KC402", "info")]
    assert severities("relu", "layers.ReLU(max_value=1.0)") == [("KC402", "warning")]
    assert severities("relu", "layers.ReLU(negative_slope=0.2)") == [("KC402", "warning")]
    assert severities("relu", "layers.Activation('softmax')") == [("KC402", "warning")]
    assert severities("tanh", "layers.ReLU()") == [("KC402", "warning")]  # tanh is negative half the time


def test_after_an_activation_layer_the_advice_removes_that_layer():
    # A hold-out's 3D U-Net (chestnut111/3D-unet-keras-Brats2019): a LeakyReLU layer, then softmax. The LeakyReLU has
    # no activation= to remove: the advice names the layer; after a Dense(activation=...) it names the argument.
    head = "import keras\nfrom keras import layers\nx = keras.Input((8,))\n"
    after_layer = head + "y = layers.Activation('softmax')(layers.LeakyReLU(0.2)(layers.Dense(4)(x)))\n" \
                         "m = keras.Model(x, y)\n"
    [d] = _sev(after_layer, "KC402")[1]
    assert d.message.endswith("keep one (remove leaky_re_lu if softmax is meant)"), d.message
    after_argument = head + "y = layers.Activation('softmax')(layers.Dense(4, activation='relu')(x))\n" \
                            "m = keras.Model(x, y)\n"
    [d] = _sev(after_argument, "KC402")[1]
    assert d.message.endswith("keep one (remove activation='relu' from dense if softmax is meant)"), d.message


def test_softmax_over_two_units_with_binary_crossentropy_is_only_a_note():
    # Softmax over two units gives (p, 1 - p): on one-hot labels the binary cross-entropy of each unit is the
    # categorical one, the same training; over more units it is a warning.
    src = ("import keras\nfrom keras import layers\n"
           "m = keras.Sequential([keras.Input((8,)), layers.Dense({n}, activation='softmax')])\n"
           "m.compile('adam', loss='binary_crossentropy')\n")
    two = _sev(src.format(n=2), "KC301")[1]
    assert [(d.code, d.severity, d.span.line) for d in two] == [("KC301", "info", 4)]
    assert "same loss as categorical_crossentropy" in two[0].message
    assert [(d.code, d.severity) for d in _sev(src.format(n=3), "KC301")[1]] == [("KC301", "warning")]


_TWO_UNIT_PROBE = """
import json, sys
import numpy as np, keras
logits = np.array(json.loads(sys.argv[1]), "float32")
p = keras.ops.softmax(logits)
y = np.eye(2, dtype="float32")[[0, 1, 1, 0]]
bce = keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(y, p)).tolist()
cce = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(y, p)).tolist()
print(json.dumps([bce, cce]))
"""


@pytest.mark.keras
def test_binary_crossentropy_on_a_two_unit_softmax_equals_categorical_crossentropy():
    # The note's claim, checked on real Keras (in a subprocess): the two losses agree on one-hot labels.
    from test_catalogue_keras import keras_probe

    bce, cce = keras_probe(_TWO_UNIT_PROBE, [[0.3, -1.2], [2.0, 0.5], [-0.7, 0.1], [1.5, 1.4]])
    assert len(bce) == 4 and all(abs(a - b) < 1e-5 for a, b in zip(bce, cce)), (bce, cce)


def test_one_label_per_sample_against_a_sequence_output_is_reported():
    seq = ("import numpy as np\nimport keras\nfrom keras import layers\n"
           "model = keras.Sequential([keras.Input((12, 2)), layers.GRU(8, return_sequences=True), layers.Dense({units})])\n"
           "model.compile('adam', loss='{loss}')\nmodel.fit(np.zeros((20, 12, 2)), {labels})\n")
    def found(units=1, loss="mse", labels="np.zeros((20, 1))"):
        return [(d.code, d.severity) for d in
                analyze_source(seq.format(units=units, loss=loss, labels=labels)).diagnostics if d.code == "KC709"]
    assert found() == [("KC709", "warning")]
    assert found(labels="np.zeros(20)") == [("KC709", "warning")]
    assert found(loss="mae") == [("KC709", "warning")]
    assert found(labels="np.zeros((20, 12, 1))") == []  # one target per step
    assert found(labels="np.zeros((20, 12))") == []
    assert found(units=3, labels="np.zeros((20, 12, 3))") == []
    assert found(loss="sparse_categorical_crossentropy", labels="np.zeros((20, 12))") == []  # not element-wise


_BROADCAST_PROBE = """
import json, sys
import numpy as np, keras
from keras import layers
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((6, 2)), layers.SimpleRNN(4, return_sequences=True), layers.Dense(1)])
model.compile("sgd", loss="mse")
x = np.random.rand(5, 6, 2).astype("float32")
out = {}
for name, y in (("n1", np.random.rand(5, 1)), ("n", np.random.rand(5))):
    y = y.astype("float32")
    pred = model.predict(x, verbose=0)[..., 0]  # (5, 6)
    loss = float(model.evaluate(x, y, batch_size=5, verbose=0))
    if y.ndim == 2:
        expected = float(np.mean((pred - y) ** 2))  # each label broadcast over the 6 steps
    else:
        expected = float(np.mean((pred[:, :, None] - y) ** 2))  # (5, 6, 1) - (5,): (5, 6, 5)
    out[name] = [loss, expected]
print(json.dumps(out))
"""


@pytest.mark.keras
def test_keras_broadcasts_one_label_per_sample_over_the_steps():
    # What KC709 says, on real Keras (in a subprocess): no error, and the loss is that of the broadcast labels.
    from test_catalogue_keras import keras_probe

    out = keras_probe(_BROADCAST_PROBE, None)
    for name, (loss, expected) in out.items():
        assert abs(loss - expected) < 1e-4 * max(1.0, expected), (name, loss, expected)


def test_a_layer_keyword_given_to_sequential_add_is_an_error():
    src = ("import keras\nfrom keras import layers\nm = keras.Sequential()\n"
           "m.add(layers.Dense(4, activation='relu'){extra})\nm.add(layers.Dense(1))\n")
    found = [(d.code, d.severity, d.span.line) for d in analyze_source(src.format(extra=", input_shape=(3,)")).diagnostics
             if d.code == "KC103"]
    assert found == [("KC103", "error", 4)]
    assert not [d for d in analyze_source(src.format(extra="")).diagnostics if d.code == "KC103"]
    assert not [d for d in analyze_source(src.format(extra=", rebuild=False")).diagnostics if d.code == "KC103"]


_ADD_PROBE = """
import json, sys
import keras
from keras import layers
m = keras.Sequential()
try:
    m.add(layers.Dense(4), input_shape=(3,))
    print(json.dumps("ran"))
except TypeError as e:
    print(json.dumps("TypeError: " + str(e)))
"""


@pytest.mark.keras
def test_keras_rejects_a_keyword_given_to_sequential_add():
    from test_catalogue_keras import keras_probe

    got = keras_probe(_ADD_PROBE, None)
    assert got.startswith("TypeError") and "input_shape" in got, got


def test_one_label_per_position_against_several_units_is_reported():
    # KC709 on the unit axis: labels of the output's rank with a last axis of 1 (SFData s48978609: a Dense(10)
    # after return_sequences=True against (1, 10, 1) targets), or (N,) labels in tf.keras code (Keras 2 added the
    # last axis); not labels with one value per unit, not (N,) labels in Keras 3 code (KC702's crash).
    src = ("import numpy as np\n{imp}\n"
           "model = keras.Sequential([keras.Input({inp}), {body}layers.Dense({units})])\n"
           "model.compile('adam', loss='{loss}')\nmodel.fit(np.zeros((20, {data})), {labels})\n")
    def found(units=4, loss="mse", labels="np.zeros((20, 1))", inp="(6,)", data="6", body="", tf=False):
        imp = ("from tensorflow import keras\nfrom tensorflow.keras import layers" if tf else
               "import keras\nfrom keras import layers")
        text = src.format(imp=imp, inp=inp, body=body, units=units, loss=loss, data=data, labels=labels)
        return [(d.code, d.severity) for d in analyze_source(text).diagnostics if d.code in ("KC709", "KC702")]
    assert found() == [("KC709", "warning")]
    assert found(loss="huber") == [("KC709", "warning")]
    assert found(labels="np.zeros((20, 4))") == []
    assert found(units=1) == []
    assert found(loss="categorical_crossentropy", labels="np.zeros((20, 4))") == []
    assert found(labels="np.zeros(20)") == [("KC702", "error")]  # Keras 3 rejects it
    assert found(labels="np.zeros(20)", tf=True) == [("KC709", "warning")]
    seq = dict(inp="(10, 1)", data="10, 1", body="layers.LSTM(8, return_sequences=True), ")
    assert found(units=10, labels="np.zeros((20, 10, 1))", **seq) == [("KC709", "warning")]
    assert found(units=10, labels="np.zeros((20, 10, 10))", **seq) == []


_UNIT_BROADCAST_PROBE = """
import json, sys
import numpy as np, keras
from keras import layers
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((6,)), layers.Dense(4)])
model.compile("sgd", loss="mse")
x = np.random.rand(5, 6).astype("float32")
y = np.random.rand(5, 1).astype("float32")
pred = model.predict(x, verbose=0)  # (5, 4)
loss = float(model.evaluate(x, y, batch_size=5, verbose=0))
print(json.dumps([loss, float(np.mean((pred - y) ** 2))]))
"""


@pytest.mark.keras
def test_keras_broadcasts_one_label_per_sample_over_the_units():
    # What the widened KC709 says, on real Keras (in a subprocess): (5, 1) labels against a (5, 4) output raise
    # nothing, and the loss is that of each label broadcast over the four units.
    from test_catalogue_keras import keras_probe

    loss, expected = keras_probe(_UNIT_BROADCAST_PROBE, None)
    assert abs(loss - expected) < 1e-4 * max(1.0, expected), (loss, expected)


_LIST_PROBE = """
import json, sys
import numpy as np, keras
from keras import layers
model = keras.Sequential([keras.Input((6,)), layers.Dense(1)])
model.compile("sgd", loss="mse")
x = np.random.rand(5, 6).astype("float32")
out = {}
for name, call in (("x", lambda: model.evaluate(x.tolist(), np.zeros(5), verbose=0)),
                   ("y", lambda: model.evaluate(x, np.zeros(5).tolist(), verbose=0)),
                   ("one", lambda: model.predict([x[0]], verbose=0))):
    try:
        call()
        out[name] = "ran"
    except Exception as e:
        out[name] = type(e).__name__ + ": " + str(e)[:600]
print(json.dumps(out))
"""


@pytest.mark.keras
def test_keras_rejects_python_lists_and_reads_a_list_of_one_array_as_that_array():
    # KC710's claim and KC701's `predict([row])`, on real Keras (in a subprocess).
    from test_catalogue_keras import keras_probe

    out = keras_probe(_LIST_PROBE, None)
    assert out["x"].startswith("ValueError: Unrecognized data type"), out
    assert out["y"].startswith("ValueError"), out
    assert out["one"].startswith("ValueError") and "incompatible shape (6,)" in out["one"], out


def test_a_python_list_given_as_data_is_an_error():
    src = ("import numpy as np\n{imp}\nX = np.random.rand(30, 4)\nY = np.zeros(30)\n{pre}"
           "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
           "model.compile('adam', loss='mse')\n{call}\n")
    def found(call, pre="", tf=False):
        imp = "from tensorflow import keras" if tf else "import keras"
        text = src.format(imp=imp, pre=pre, call=call)
        return [(d.code, d.severity, d.span.line) for d in analyze_source(text).diagnostics if d.code == "KC710"]
    assert found("model.fit(X.tolist(), Y)") == [("KC710", "error", 7)]
    assert found("model.fit(X, Y.tolist())") == [("KC710", "error", 7)]
    assert found("model.fit(xs, Y)", pre="xs = X.tolist()\n") == [("KC710", "error", 8)]
    assert found("model.predict(X.tolist())") == [("KC710", "error", 7)]
    assert found("model.fit(X, Y)") == []
    assert found("model.fit(np.array(X.tolist()), Y)") == []
    assert found("model.fit(X.tolist(), Y)", tf=True) == []  # tf.keras 2 made arrays of lists of numbers
    assert found("other.fit(X.tolist(), Y)") == []  # nothing compiles `other`: not known to be a Keras model


def test_rows_of_a_short_array_and_a_list_of_one_array_reach_predict():
    src = ("import numpy as np\nimport keras\nX = np.random.rand({n}, 4)\n"
           "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n{call}\n")
    def lines(call, n=5):
        return [d.span.line for d in analyze_source(src.format(n=n, call=call)).diagnostics if d.code == "KC701"]
    assert lines("for row in X:\n    model.predict([row])") == [6]
    assert lines("for row in X:\n    model.predict(row)") == [6]
    assert lines("for row in X:\n    model.predict(row[None])") == []
    assert lines("model.predict([X])") == []  # a list of the whole array: the array
    assert lines("model.predict([X[0]])") == [5]
    assert lines("for row in X:\n    model.predict([row])", n=500) == []  # a long array's rows are not followed
