"""What Keras's constructors check (``LayerSpec.init_checks``; each case here checked against Keras 3.15): a layer
made with a value Keras rejects raises where it is made, even if no model uses it (KC103 there), and a ``try``
around it runs its handler (fixtures/regressions/constructor_checks.py, numbers from Keras); a value Keras takes
at that point is no error."""

import pytest

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\n"


def _errors(line: str):
    report = analyze_source(HEAD + f"spare = {line}\n", "c.py")
    assert report.internal_error is None
    return [d for d in report.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("line", [
    "layers.Dense(0)", "layers.Dense(-3)", "layers.Dense(2.5)", "layers.Conv2D(0, 3)", "layers.Conv1D(-1, 3)",
    "layers.SeparableConv2D(0, 3)", "layers.Conv2DTranspose(0, 3)", "layers.Dropout(1.5)", "layers.Dropout(-0.1)",
    "layers.SpatialDropout1D(2.0)", "layers.GaussianDropout(1.5)", "layers.AlphaDropout(3)", "layers.Dropout(None)",
    "layers.Embedding(0, 4)", "layers.Embedding(4, 0)", "layers.Embedding(2.0, 4)", "layers.LSTM(0)",
    "layers.GRU(-2)", "layers.SimpleRNN(0)", "layers.LSTMCell(0)", "layers.RepeatVector(0)",
    "layers.RepeatVector(2.5)", "layers.MultiHeadAttention(0, 4)", "layers.MultiHeadAttention(2, 0)",
    "layers.MultiHeadAttention(2.0, 4)", "layers.GroupNormalization(0)", "layers.GroupNormalization(-2)",
])
def test_a_value_keras_rejects_at_construction_is_an_error_where_the_layer_is_made(line):
    errors = _errors(line)
    assert [(d.code, d.span.line) for d in errors] == [("KC103", 3)], errors


@pytest.mark.parametrize("line", [
    "layers.Dense(True)", "layers.Dropout(1)", "layers.Dropout(0)", "layers.GroupNormalization(-1)",
    "layers.LSTM(2.0)", "layers.Conv2D(2.0, 3)", "layers.Conv2D(None, 3)", "layers.MultiHeadAttention(True, 4)",
    "layers.Dense(3, lora_rank=0)", "layers.DepthwiseConv2D(3)", "layers.ConvLSTM2D(0, 3)",
])
def test_a_value_keras_takes_at_construction_is_no_error(line):
    assert _errors(line) == []


def test_a_handler_for_a_name_holding_the_exception_class_runs():
    report = analyze_source(HEAD + "def pick(make, fallback, caught=ValueError):\n    try:\n        return make()\n"
                            "    except caught:\n        return fallback()\n\n"
                            "d = pick(lambda: layers.Dense(0), lambda: layers.Dense(5))\n"
                            "m = keras.Sequential([keras.Input((3,)), d], name='m')\n", "c.py")
    (model,) = report.models
    assert (model.status, model.total) == ("exact", 3 * 5 + 5)


def test_a_handler_for_another_exception_class_does_not_run():
    # RepeatVector(2.5) raises TypeError: `except ValueError` does not take it, so the script stops there (as where no
    # `try` is: the error is reported where the layer is made, and the model is not given the handler's layer)
    report = analyze_source(HEAD + "try:\n    r = layers.RepeatVector(2.5)\nexcept ValueError:\n"
                            "    r = layers.RepeatVector(4)\n"
                            "m = keras.Sequential([keras.Input((3,)), r], name='m')\n", "c.py")
    assert [(d.code, d.span.line) for d in report.diagnostics if d.severity == "error"] == [("KC103", 4)]
    assert all(m.status != "exact" for m in report.models)


@pytest.mark.parametrize("first, error", [
    # Keras 0's Dense(input_dim, output_dim): Keras 3 reads the second as the activation (checked against Keras 3.15:
    # "Could not interpret activation function identifier: 50"), when the layer is made: before any build
    ("layers.Dense(784, 50)", "`activation=50` is not an activation function"),
    ("layers.Dense(2, 64, activation='tanh')", "Dense got multiple values for argument `activation`"),
    # with a Keras 1 keyword: Keras 1 read 64 as `init` (TypeError there too); Keras 3 raises TypeError ("got
    # multiple values for argument 'activation'"), as Python binds the arguments before Keras sees `init`
    ("layers.Dense(2, 64, init='uniform', activation='tanh')", "Dense got multiple values for argument `activation`"),
])
def test_a_layer_keras_rejects_in_a_sequential_without_input_is_an_error_not_an_unbuilt_model(first, error):
    report = analyze_source(HEAD + f"m = keras.Sequential()\nm.add({first})\nm.add(layers.Dense(1))\n", "c.py")
    assert report.internal_error is None
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert [(d.code, d.span.line) for d in errors] == [("KC103", 4)], errors
    assert error in errors[0].message
    (model,) = report.models
    assert model.status == "unknown" and model.total is None
    assert any(error in r for r in model.reasons), model.reasons


def test_a_keras1_call_giving_no_argument_twice_is_still_read_as_keras1():
    # Convolution2D(32, 3, nb_col=3): Keras 1 read 3 as nb_row, so the kernel is 3x3 (Keras 1's numbers: 896)
    report = analyze_source(HEAD + "m = keras.Sequential([keras.Input((8, 8, 3)), "
                            "layers.Convolution2D(32, 3, nb_col=3, border_mode='same')])\n", "c.py")
    (model,) = report.models
    assert (model.status, model.total) == ("exact", 3 * 3 * 3 * 32 + 32)
