"""Kinds of argument values Keras 3 checks. NumPy integers (np.prod's result) as layer arguments: Keras 3 rejects them in some (Dense units), takes them in
others (Conv2D filters, Reshape, Input shapes); kerascount follows the arguments checked against Keras 3.15 and
leaves any other one unknown (fixtures/regressions/numpy_prod_units holds Keras's truth)."""

import pytest

from kerascount.api import analyze_source
from kerascount.ir import NumpyInt, NumpyInt32

HEADER = "import math\nimport numpy as np\nimport keras\nfrom keras import layers\n"


def _analyse(body):
    report = analyze_source(HEADER + body)
    assert not report.internal_error, report.internal_error
    return report


def test_numpy_integers_keep_their_kind_through_arithmetic():
    n = NumpyInt(12)
    assert all(type(v) is NumpyInt for v in (2 * n, n * 2, n + 1, 1 + n, n - 1, 30 - n, n // 5, 50 // n, n % 5, -n,
                                           abs(n), n ** 2, 2 ** n))
    assert type(round(n)) is int  # as NumPy's round of an integer
    assert type(int(n)) is int and type(n / 2) is float and n == 12 and f"{n}" == "12"


def test_numpy_int32_keeps_its_kind_and_its_range():
    """NumPy 2's rules, checked with NumPy where it is installed: an int32 with a Python int stays an int32, with
    an int64 it is an int64; a result out of int32's range is no number here (NumPy raises or wraps around)."""
    n = NumpyInt32(12)
    assert all(type(v) is NumpyInt32 for v in (2 * n, n * 2, n + 1, 1 + n, n - 1, 30 - n, n // 5, 50 // n, n % 5,
                                             -n, abs(n), n ** 2))
    assert type(n + NumpyInt(1)) is NumpyInt and type(NumpyInt(1) + n) is NumpyInt and type(n / 2) is float
    for overflow in (lambda: NumpyInt32(65536) * NumpyInt32(65536), lambda: NumpyInt32(1) + 2 ** 40,
                     lambda: -NumpyInt32(-2 ** 31)):
        with pytest.raises(OverflowError):
            overflow()
    np = pytest.importorskip("numpy")
    assert type(np.int32(12) + 1) is np.int32 and type(np.int32(12) + np.int64(1)) is np.int64
    assert int(np.int32(7.9)) == 7 and int(np.int32(-7.9)) == -7
    with pytest.raises(OverflowError):
        np.int32(1) + 2 ** 40


def test_np_int32_of_a_known_number():
    """``np.int32(N / 4)`` of a known number is that number truncated, a NumPy integer: Reshape takes it, Dense
    rejects it (fixtures/interpreter2/numpy_int32_sizes holds Keras's truth); an overflow leaves it unknown."""
    report = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(np.int32(4))])\n")
    assert report.models[0].status != "exact"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    report = _analyse("n = np.int32(65536) * np.int32(65536) // np.int32(2 ** 30) + 8\n"
                      "x = keras.Input((4, 1))\nm = keras.Model(x, layers.Conv1D(n, 1)(x))\n")
    (model,) = report.models
    assert model.status == "unknown" and any("fails" in r for r in model.reasons), model.reasons
    report = _analyse("x = keras.Input((16,))\n"
                      "m = keras.Model(x, layers.Reshape((np.float32(3), 4))(x))\n")
    (model,) = report.models
    assert model.status == "unknown" and not any("External(" in r or "Unknown(" in r for r in model.reasons), \
        model.reasons


def test_a_numpy_integer_keras_rejects_is_an_error_not_a_number():
    report = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Embedding(np.prod((2, 5)), 3)])\n")
    (model,) = report.models
    assert model.status != "exact"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]


def test_int_or_math_prod_is_a_python_integer():
    for units in ("int(np.prod((2, 5)))", "math.prod((2, 5))"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), layers.Dense({units})])\n")
        (model,) = report.models
        plain = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(10)])\n").models[0]
        assert (model.status, model.total) == ("exact", plain.total), units


def test_an_argument_not_checked_against_keras_is_left_unknown():
    report = _analyse("m = keras.Sequential([keras.Input((4, 6)), layers.LayerNormalization(axis=-np.prod((1,)))])\n")
    (model,) = report.models
    assert model.status == "unknown"
    assert any("NumPy integer" in r for r in model.reasons)
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_in_a_keras2_file_it_is_a_note():
    report = _analyse("import tensorflow as tf\n"
                      "m = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2 * np.prod((3, 3)))])\n")
    assert [d.code for d in report.diagnostics] == ["KC404"]
    assert report.models[0].status != "exact"


def test_a_whole_float_is_not_an_integer_argument():
    """Keras 3 fails making the weights (or checking n) of each; fixtures/regressions/float_filters and
    float_units_lstm hold its truth for Conv2D and LSTM."""
    for layer in ("layers.Conv2D(4, 3, groups=1.0)", "layers.SeparableConv2D(4, 3, depth_multiplier=1.0)",
                  "layers.DepthwiseConv2D(3, depth_multiplier=2.0)", "layers.Conv2DTranspose(4.0, 3)",
                  "layers.Flatten(), layers.RepeatVector(2.0)"):
        report = _analyse(f"m = keras.Sequential([keras.Input((8, 8, 3)), {layer}])\n")
        assert report.models[0].status != "exact", layer
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], layer


def test_a_float_computed_from_a_size_not_known_is_no_dense_units():
    """`Dense(total_words / 2)`: whatever the vocabulary's size, `/` gives a float, which Keras 3 rejects (the probe
    runs it at two sizes); in a tf.keras file, whose Dense passed it through int(), a KC404 note."""
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    body = ("words = json.loads(open('vocab.json').read())\ntotal_words = len(words)\n"
            "model = keras.Sequential([keras.Input((4,)), layers.Dense(total_words / 2)])\n")
    truth = keras_probe(COUNT_OR_RAISED, {n: HEADER + body.replace("json.loads(open('vocab.json').read())",
                                                                   f"list(range({n}))") for n in ("6", "7")})
    assert truth == {"6": "ValueError", "7": "ValueError"}, truth
    report = _analyse("import json\n" + body)
    assert report.models[0].status == "unknown"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    tf_file = analyze_source("import json\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n" +
                             body.replace("keras.", "tf.keras."))
    assert [d.code for d in tf_file.diagnostics] == ["KC404"], tf_file.diagnostics


def test_an_activation_keras_does_not_know_leaves_the_layer_unknown():
    """Keras 3.15 raises "Could not interpret activation function identifier" for "Relu" (checked), unless a custom
    object of that name is registered: no number either way."""
    report = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation='Relu')])\n")
    assert report.models[0].status == "unknown"
    assert any("Could not interpret" in r for r in report.models[0].reasons)
    known = _analyse("m = keras.Sequential([keras.Input((4, 2)), layers.GRU(3, recurrent_activation='hard_silu'), "
                     "layers.Activation('swish'), layers.Dense(3, activation='log_softmax')])\n")
    assert known.models[0].status == "exact"


def test_an_initializer_regularizer_or_constraint_keras_does_not_know_leaves_the_layer_unknown():
    """Keras 3.15 raises "Could not interpret ... identifier" for each of these (checked); the names it takes
    (kerascount/catalogue/identifiers.py) keep the layer exact."""
    for argument in ("kernel_initializer='He_Normal'", "kernel_constraint='maxnorm'", "kernel_regularizer='l1_l2'"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), layers.Dense(3, {argument})])\n")
        assert report.models[0].status == "unknown", argument
    known = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(3, kernel_initializer='HeNormal', "
                     "bias_initializer='zero', kernel_regularizer='L1L2', kernel_constraint='max_norm')])\n")
    assert known.models[0].status == "exact"


def test_trainable_is_a_bool_in_the_constructor_and_any_value_in_the_setter():
    """Keras 3.15: Dense(4, trainable=0) raises "Expected `trainable` to be a boolean"; layer.trainable = 0 stores
    bool(0) (fixtures/regressions/trainable_not_bool holds the truth of both)."""
    report = _analyse("m = keras.Sequential([keras.Input((5,)), layers.Dense(6, trainable=None)])\n")
    assert report.models[0].status != "exact"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    frozen = _analyse("d = layers.Dense(6)\nd.trainable = ''\nm = keras.Sequential([keras.Input((5,)), d])\n")
    spelled = _analyse("d = layers.Dense(6)\nd.trainable = False\nm = keras.Sequential([keras.Input((5,)), d])\n")
    got = [(m.status, m.total, m.trainable) for m in (frozen.models[0], spelled.models[0])]
    assert got[0] == got[1] and got[0][0] == "exact"


def test_a_layer_name_is_a_string_without_a_slash():
    """Keras 3.15 raises "Argument `name` must be a string and cannot contain character `/`" for each (checked)."""
    for name in ("'block/dense'", "5"):
        report = _analyse(f"m = keras.Sequential([keras.Input((8,)), layers.Dense(4, name={name})])\n")
        assert report.models[0].status != "exact", name
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], name
    fine = _analyse("m = keras.Sequential([keras.Input((8,)), layers.Dense(4, name=None), layers.Dense(2, name='a b')])\n")
    assert fine.models[0].status == "exact"
    keras2 = _analyse("import tensorflow as tf\n"
                      "m = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(4, name='fc6/relu')])\n")
    assert [d.code for d in keras2.diagnostics] == ["KC404"]  # Keras 2 accepted it


def test_np_prod_of_symbolic_sizes_is_a_numpy_integer():
    """np.prod((X.shape[1], 2)) with X from data the analysis does not see: Keras 3.15 rejects it (and 2 * it, and
    X.shape[1] * np.prod(...)) as Dense's units whatever the data (checked with X of 5 columns: "expected a positive
    integer. Received: units=10"); int(...) of it, a Reshape and Conv2D's filters take it."""
    data = "X = np.load('x.npy')\nn = X.shape[1]\n"
    for units in ("np.prod((n, 2))", "2 * np.prod((n, 2))", "n * np.prod((2, 2))", "abs(np.prod((n, 2)))"):
        report = _analyse(data + f"m = keras.Sequential([keras.Input((n,)), layers.Dense({units})])\n")
        assert report.models[0].status == "unknown", units
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], units
    for body in ("layers.Dense(int(np.prod((n, 2))))", "layers.Reshape((np.prod((n, 1)),)), layers.Dense(2)"):
        report = _analyse(data + f"m = keras.Sequential([keras.Input((n,)), {body}])\n")
        assert report.models[0].status == "symbolic", body
    conv = _analyse(data + "m = keras.Sequential([keras.Input((8, 8, n)), layers.Conv2D(np.prod((n, 2)), 3)])\n")
    assert (conv.models[0].status, str(conv.models[0].total)) == ("symbolic", "18*X.shape[1]**2 + 2*X.shape[1]")


def test_a_bool_size_is_one_where_keras_checks_isinstance_int():
    """Keras 3.15 (checked): Dense(True) has one unit, GRU(True) and Conv2D(True, 3) take it as 1; LSTM(True),
    ConvLSTM2D(True, 3) ("an integer is required"), RepeatVector(True) and Embedding(True, 3) raise;
    fixtures/regressions/bool_sizes holds the truth of those Keras takes."""
    one = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(True)])\n").models[0]
    assert (one.status, one.total) == ("exact", 5)
    for layer, shape in (("layers.LSTM(True)", "(6, 2)"), ("layers.ConvLSTM2D(True, 3)", "(3, 6, 6, 2)"),
                         ("layers.RepeatVector(True)", "(4,)"), ("layers.Dense(False)", "(4,)")):
        report = _analyse(f"m = keras.Sequential([keras.Input({shape}), {layer}])\n")
        assert report.models[0].status != "exact", layer
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], layer


def test_a_dtype_keras_does_not_take_as_it_is_leaves_the_layer_unknown():
    """Keras 3.15 (checked): dtype="float99", "float" and 5 raise ("Cannot convert ... to a mixed precision
    DTypePolicy", "Cannot interpret `dtype` argument"); "int8_from_float32" is a quantized policy whose Dense(3) on 4
    features has 18 weights, not 15. "int", "bfloat16" and "mixed_float16" keep the weights as they are."""
    for dtype in ("'float99'", "'float'", "5", "'int8_from_float32'",
                  "keras.dtype_policies.QuantizedDTypePolicy('int8', 'float32')"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), layers.Dense(3, dtype={dtype})])\n")
        assert report.models[0].status == "unknown", dtype
        assert not [d for d in report.diagnostics if d.severity == "error"], dtype
    for dtype in ("'int'", "'bfloat16'", "'mixed_float16'", "None"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), layers.Dense(3, dtype={dtype})])\n")
        assert (report.models[0].status, report.models[0].total) == ("exact", 15), dtype


def test_a_model_name_keras_rejects_or_a_pop_of_nothing_leaves_the_model_unknown():
    """Keras 3.15 (checked): Sequential(name=3) and Model(i, o, name="a/b") raise "Argument `name` must be a string
    and cannot contain character `/`", Model(i, o, "by_position") "Layer.__init__() takes 1 positional argument" (Keras
    2 took it); Sequential().pop() and the pop of a Sequential holding only its Input raise
    IndexError. name="" is a name Keras keeps."""
    for code in ("m = keras.Sequential([keras.Input((4,)), layers.Dense(3)], name=3)\n",
                 "i = keras.Input((4,))\nm = keras.Model(i, layers.Dense(3)(i), name='a/b')\n",
                 "i = keras.Input((4,))\nm = keras.Model(i, layers.Dense(3)(i), 'by_position')\n",
                 "m = keras.Sequential()\nm.pop()\nm.add(keras.Input((4,)))\nm.add(layers.Dense(3))\n",
                 "m = keras.Sequential([keras.Input((4,))])\nm.pop()\nm.add(layers.Dense(3))\n"):
        assert _analyse(code).models[-1].status == "unknown", code
    fine = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)], name='')\nm.pop()\n")
    assert (fine.models[0].status, fine.models[0].total) == ("exact", 15)


def test_random_layers_seeds_and_noise_keras_3_rejects_are_unknown():
    """Keras 3.15 (checked): a float seed raises "Argument `seed` must be an integer" when the rate is above 0
    (Dropout, GaussianDropout, SpatialDropout1D), and GaussianNoise raises for a stddev outside [0, 1]; Keras 2 took
    both, so they are left unknown rather than called errors. BatchNormalization's float(momentum) rejects None."""
    for layer in ("layers.Dropout(0.5, seed=1.5)", "layers.GaussianDropout(0.2, seed='7')",
                  "layers.GaussianNoise(2.0)", "layers.BatchNormalization(momentum=None)"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), {layer}])\n")
        assert report.models[0].status == "unknown", layer
    for layer in ("layers.Dropout(0.0, seed=1.5)", "layers.GaussianNoise(0.5)", "layers.Dropout(0.5, seed=True)"):
        assert _analyse(f"m = keras.Sequential([keras.Input((4,)), {layer}])\n").models[0].status == "exact", layer


def test_relu_arguments_keras_rejects():
    """Keras 3.15 (checked): ReLU(negative_slope=-1) and ReLU(threshold=None) raise in the constructor, as Keras 2's
    did; LeakyReLU(negative_slope=-0.1) raises in Keras 3 only (left unknown); fixtures/regressions/relu_negative_max
    holds the truth of a negative max_value."""
    for layer in ("layers.ReLU(negative_slope=-1)", "layers.ReLU(threshold=None)", "layers.LeakyReLU(alpha=None)"):
        report = _analyse(f"m = keras.Sequential([keras.Input((4,)), {layer}])\n")
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], layer
    leaky = _analyse("m = keras.Sequential([keras.Input((4,)), layers.LeakyReLU(negative_slope=-0.1)])\n")
    assert leaky.models[0].status == "unknown" and not [d for d in leaky.diagnostics if d.severity == "error"]


def test_a_model_keras_rejects_for_a_duplicate_name_has_no_numbers():
    """Keras 3.15 (checked) raises "should have unique names" for a Sequential and "is used 2 times in the model"
    for a functional model with two layers of one name: it never has their numbers (fixtures/errors/
    duplicate_layer_name holds the functional truth)."""
    for code in ("m = keras.Sequential([keras.Input((3,)), layers.Dense(4, name='a'), layers.Dense(2, name='a')])\n",
                 "x = keras.Input((3,))\nm = keras.Model(x, layers.Dense(2, name='a')(layers.Dense(4, name='a')(x)))\n"):
        report = _analyse(code)
        assert (report.models[-1].status, report.models[-1].total) == ("unknown", None), code
        assert [d.code for d in report.diagnostics if d.severity != "info"] == ["KC108"], code



_NAMED_LIKE_INPUT = (
    # (the model's code, whether Keras 3 raises): a Sequential's InputLayer is one of its layers
    ("m = keras.Sequential([layers.Dense(4, input_shape=(8,), name='input_layer'), layers.Dense(2)])\n", True),
    ("m = keras.Sequential([keras.Input((8,)), layers.Dense(4, name='input_layer'), layers.Dense(2)])\n", True),
    ("m = keras.Sequential([keras.Input((8,), name='x'), layers.Dense(4, name='x')])\n", True),
    ("m = keras.Sequential([layers.Dense(4, name='input_layer'), layers.Dense(2)])\nm.build((None, 8))\n", True),
    # the second InputLayer of the file is input_layer_1: no clash
    ("a = keras.Input((3,))\nm = keras.Sequential([keras.Input((8,)), layers.Dense(4, name='input_layer')])\n",
     False),
    # built by a call on a tensor of the code's: the InputLayer Keras makes then is input_layer_1
    ("m = keras.Sequential([layers.Dense(4, name='input_layer'), layers.Dense(2)])\n"
     "x = keras.Input((8,))\nf = keras.Model(x, m(x))\n", False),
)

_RAISES_PROBE = r"""
import json, sys
import keras
from keras import layers
out = []
for code in json.loads(sys.argv[1]):
    keras.backend.clear_session()  # (each case names its layers from the start, as a file of its own)
    try:
        exec(code, {"keras": keras, "layers": layers})
        out.append(False)
    except ValueError:
        out.append(True)
print(json.dumps(out))
"""


def test_a_sequential_layer_named_like_its_input_layer_is_rejected():
    """Keras 3 raises "should have unique names" (or, for a Sequential built by build(), "is used 2 times in the
    model") when a layer of a Sequential has the name of its InputLayer: keras.Input's, or the "input_layer" Keras
    makes from input_shape= (fixtures/errors/sequential_layer_named_like_its_input, from the hold-out's MNIST
    notebook that names its first Conv2D "input_layer"). Where the InputLayer takes another name, nothing is
    reported. Each case is checked live against Keras."""
    from test_catalogue_keras import keras_probe

    raises = keras_probe(_RAISES_PROBE, [code for code, _ in _NAMED_LIKE_INPUT])
    assert raises == [expected for _, expected in _NAMED_LIKE_INPUT]
    for code, rejected in _NAMED_LIKE_INPUT:
        report = _analyse(code)
        model = report.models[0]
        codes = [d.code for d in report.diagnostics if d.severity == "error"]
        if rejected:
            assert (model.status, model.total) == ("unknown", None), code
            assert codes == ["KC108"], code
        else:
            assert model.status == "exact" and not codes, code

def test_a_recurrent_layers_seed_and_dropout_keras_rejects():
    """Keras 3.15 (checked): LSTM(4, seed=1.5) raises "Argument `seed` must be an integer" even without dropout (the
    cell makes its SeedGenerator), GRU(4, dropout=None) raises in min(1.0, max(0.0, dropout)); Keras 2's recurrent
    layers had no seed. fixtures/regressions/rnn_zero_output_for_mask holds the truth of a keyword they take."""
    for layer in ("layers.LSTM(4, seed=1.5)", "layers.GRU(4, dropout=None)", "layers.SimpleRNN(4, seed='a')",
                  "layers.Bidirectional(layers.LSTM(4, recurrent_dropout='0.1'))"):
        report = _analyse(f"m = keras.Sequential([keras.Input((6, 3)), {layer}])\n")
        assert report.models[0].status != "exact", layer
        assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"], layer


def test_an_attention_dropout_outside_0_1_is_an_error():
    """Keras 3.15 (checked): MultiHeadAttention(2, 3, dropout=1.5) and GroupQueryAttention(..., dropout=1.5) raise
    when they make their Dropout layer ("Expected a float value between 0 and 1"), as Keras 2's did."""
    report = _analyse("a = keras.Input((4, 6))\nm = keras.Model(a, layers.MultiHeadAttention(2, 3, dropout=1.5)(a, a))\n")
    assert report.models[0].status != "exact"
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    fine = _analyse("a = keras.Input((4, 6))\nm = keras.Model(a, layers.MultiHeadAttention(2, 3, dropout=1)(a, a))\n")
    assert fine.models[0].status == "exact"


def test_a_list_of_batchnorm_axes_is_an_error_in_keras_3_only():
    """Keras 3.15 (checked) raises "int() argument must be ... not 'list'" for BatchNormalization(axis=[1]); Keras 2
    took a list of axes, so in a tf.keras file it is the KC404 note."""
    layer = "BatchNormalization(axis=[1])"
    keras3 = _analyse(f"m = keras.Sequential([keras.Input((4, 3)), layers.{layer}])\n")
    assert [d.code for d in keras3.diagnostics] == ["KC103"]
    keras2 = _analyse("import tensorflow as tf\n"
                      f"m = tf.keras.Sequential([tf.keras.Input((4, 3)), tf.keras.layers.{layer}])\n")
    assert [d.code for d in keras2.diagnostics] == ["KC404"]


def test_building_a_sequential_on_another_shape_than_its_input_leaves_it_unknown():
    """Keras 3.15 (checked): Sequential([Input((4,)), Dense(2)]).build((None, 7)) raises "has already been configured
    to use input shape (None, 4)", as does a second build on another shape; build((None, 4)) and build([None, 4])
    are fine."""
    head = "m = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
    for code in (head + "m.build((None, 7))\n",
                 "m = keras.Sequential([layers.Dense(2)])\nm.build((None, 7))\nm.build((None, 9))\n"):
        assert _analyse(code).models[0].status == "unknown", code
    for code in (head + "m.build((None, 4))\n", head + "m.build([None, 4])\n"):
        assert (_analyse(code).models[0].status, _analyse(code).models[0].total) == ("exact", 10), code


def test_sequential_given_one_layer_not_a_list():
    """tf.keras 2 wrapped `Sequential(Dense(1))`'s single layer in a list; Keras 3.15 iterates over it and raises
    "TypeError: 'Dense' object is not iterable" (checked): the model is not counted, and the message says why
    (hold-out 15, a course notebook)."""
    for arg in ("layers.Dense(1)", "keras.Sequential([keras.Input((3,)), layers.Dense(2)])"):
        report = _analyse(f"m = keras.Sequential({arg})\n")
        model = report.models[-1]  # (the inner model of the second case comes first)
        assert model.status == "unknown" and model.total is None, arg
        assert any("not a list of layers: Keras 3 raises TypeError" in d.message for d in report.diagnostics), arg
    listed = _analyse("m = keras.Sequential([layers.Dense(1)])\nm.build((None, 3))\n")
    assert (listed.models[0].status, listed.models[0].total) == ("exact", 4)


# Initializer functions: Keras 3 makes a weight with `initializer(shape, dtype=...)` (keras/src/backend/common/
# variables.py). Whether Python accepts that call is asked of Python itself here, for each signature.
_INITIALIZER_SIGNATURES = [
    "def f(shape, name=None)", "def f(shape)", "def f(shape, dtype=None)", "def f(shape, dtype)",
    "def f(shape, **kwargs)", "def f(*args, **kwargs)", "def f(shape, dtype=None, partition_info=None)",
    "def f(shape, scale, dtype=None)", "def f(shape, /, dtype=None)", "def f(shape, *, dtype=None)",
    "def f(shape, *, dtype)", "def f(shape, *, seed)", "def f(*shape)", "def f(shape, dtype=None, /)",
    "f = lambda shape: None", "f = lambda shape, dtype=None: None", "f = lambda *a, **k: None",
]


def _python_accepts(signature):
    space = {}
    exec(signature + (":\n    return None\n" if signature.startswith("def") else "\n"), space)
    try:
        space["f"]((2, 3), dtype="float32")
    except TypeError:
        return False
    return True


@pytest.mark.parametrize("signature", _INITIALIZER_SIGNATURES)
def test_an_initializer_keras_cannot_call_with_dtype_is_an_error_where_the_weight_is_made(signature):
    code = (signature + (":\n    return np.zeros(shape)\n" if signature.startswith("def") else "\n") +
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(3, kernel_initializer=f)])\n")
    report = _analyse(code)
    (model,) = report.models
    errors = [d for d in report.diagnostics if d.code == "KC103"]
    if _python_accepts(signature):
        plain = _analyse("m = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n").models[0]
        assert (model.status, model.total, errors) == ("exact", plain.total, []), signature
    else:
        assert model.status == "unknown" and model.total is None, signature
        assert len(errors) == 1 and "kernel_initializer" in errors[0].message and "dtype" in errors[0].message


@pytest.mark.parametrize("layer, made", [
    ("layers.Dense(3, bias_initializer=f)", True), ("layers.Dense(3, use_bias=False, bias_initializer=f)", False),
    ("layers.Conv1D(3, 2, bias_initializer=f)", True), ("layers.Conv1D(3, 2, use_bias=0, bias_initializer=f)", False),
    ("layers.BatchNormalization(beta_initializer=f)", True),
    ("layers.BatchNormalization(center=False, beta_initializer=f)", False),
    ("layers.LayerNormalization(scale=False, gamma_initializer=f)", False),
    ("layers.BatchNormalization(moving_variance_initializer=f)", True),
    ("layers.LSTM(3, recurrent_initializer=f)", True),
    # EinsumDense makes a bias only with bias_axes: an argument this reading does not list, so nothing is said
    ("layers.EinsumDense('abc,cd->abd', output_shape=(4, 3), bias_initializer=f)", False),
])
def test_an_initializer_keras_cannot_call_counts_only_where_its_weight_is_made(layer, made):
    report = _analyse("def f(shape, name=None):\n    return np.zeros(shape)\n"
                      f"m = keras.Sequential([keras.Input((4, 2)), {layer}])\n")
    (model,) = report.models
    errors = [d for d in report.diagnostics if d.code == "KC103"]
    assert (model.status == "exact", len(errors)) == ((False, 1) if made else (True, 0)), layer


@pytest.mark.parametrize("imports, code", [
    ("from keras.models import Sequential\nfrom keras.layers import Dense\n", "KC404"),
    ("from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense\n", "KC103"),
])
def test_an_initializer_written_for_keras1_is_a_keras404_note_in_a_keras1_file(imports, code):
    """Keras 1 code (`init=`) ran such an initializer; tf.keras 2 called it with dtype= as Keras 3 does."""
    report = analyze_source(imports + "def init(shape, name=None):\n    return None\n"
                            "m = Sequential()\nm.add(Dense(8, input_dim=4, init=init))\n")
    found = [d for d in report.diagnostics if "dtype=None" in d.message]
    assert [d.code for d in found] == [code]
    assert ("Keras 2 up to 2.2 as f(shape)" in found[0].message) == (code == "KC404")
    assert report.models[0].status == "unknown"


_FUNCTIONS = "def f(x, dtype=None):\n    return x\n\n"


@pytest.mark.parametrize("made, rejected", [
    # Bidirectional rebuilds the layer it wraps from its config: a function of the file is not found by name
    ("layers.Bidirectional(layers.LSTM(3, kernel_regularizer=f))", True),
    ("layers.Bidirectional(layers.GRU(3, recurrent_initializer=lambda s, dtype=None: np.zeros(s)))", True),
    ("layers.Bidirectional(layers.LSTM(3, activation='tanh'))", False),
    ("layers.TimeDistributed(layers.Dense(3, activation=f))", False),  # (not rebuilt from a config)
    # attention layers clone their kernel and bias initializers as objects; a regularizer is passed as it is
    ("layers.MultiHeadAttention(2, 4, bias_initializer=f)", True),
    ("layers.MultiHeadAttention(2, 4, kernel_regularizer=f)", False),
])
def test_functions_of_the_file_keras_cannot_rebuild_or_clone(made, rejected):
    call = "(x, x)" if "Attention" in made else "(x)"
    src = _FUNCTIONS + f"x = keras.Input((5, 4))\nm = keras.Model(x, {made}{call})\n"
    report = _analyse(src)
    errors = [d for d in report.diagnostics if d.code == "KC103"]
    assert (report.models[0].status == "exact", len(errors)) == ((False, 1) if rejected else (True, 0)), made
    if rejected:
        registered = _analyse(_FUNCTIONS + "keras.utils.get_custom_objects()['f'] = f\n" +
                              f"x = keras.Input((5, 4))\nm = keras.Model(x, {made}{call})\n")
        # a registered function is found again by Bidirectional (not a lambda, saved as its code, which Keras does
        # not load back in safe mode); the attention layers' clone fails whatever
        assert (registered.models[0].status == "exact") == ("Bidirectional" in made and "lambda" not in made)


def test_a_project_module_that_registers_custom_objects_lets_bidirectional_find_them(tmp_path):
    """Registration in a module of the project the file imports counts as the file's own (Keras finds the function
    by name when it rebuilds the wrapped layer); a module that does not register leaves the error."""
    (tmp_path / ".git").mkdir()
    src = ("import keras\nfrom keras import layers\nimport setup_objects\n\ndef act(x):\n    return keras.ops.tanh(x)\n\n"
           "x = keras.Input((5, 4))\nm = keras.Model(x, layers.Bidirectional(layers.LSTM(3, activation=act))(x))\n")
    main = tmp_path / "train.py"
    main.write_text(src)
    for registers, exact in ((True, True), (False, False)):
        (tmp_path / "setup_objects.py").write_text(
            "import keras\nkeras.utils.get_custom_objects().clear()\n" if registers else "import keras\nSEED = 1\n")
        (model,) = analyze_source(src, str(main)).models
        assert (model.status == "exact") == exact, registers


def test_a_layer_given_as_a_size_is_named_in_the_message_as_keras_shows_it():
    """Keras 3.15 (campaign --programs --seed 3309, program 4): `Dense(layers.Dense(3))` raises "Received an invalid
    value for `units`, expected a positive integer. Received: units=<Dense name=dense, built=False>"; the reason
    names the layer so, not by a Python object's address."""
    report = _analyse("first = layers.Dense(3)\nm = keras.Sequential([keras.Input((4,)), layers.Dense(first)])\n")
    reasons = " ".join(report.models[-1].reasons)
    assert report.models[-1].status == "unknown"
    assert "<Dense name=dense>" in reasons and " object at 0x" not in reasons, reasons


def test_a_shape_given_as_filters_is_shown_as_written_sizes():
    """A builder's parameter used both as an input shape and as a number of filters: the finding shows its sizes
    as the code names them, not the analysis's own objects (``Expr('ch_out[0]')``)."""
    report = _analyse("def block(ch_out):\n    model = keras.Sequential()\n"
                      "    model.add(layers.Conv2D(ch_out, 3, input_shape=ch_out))\n    return model\n")
    (finding,) = [d for d in report.diagnostics if d.code == "KC103"]
    assert "got (ch_out[0], ch_out[1], ch_out[2])" in finding.message and "Expr(" not in finding.message
