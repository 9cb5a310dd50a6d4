"""What kerascount says when the source does not determine a number: symbolic or unknown, never a guess."""

from __future__ import annotations

import math

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import render
from test_catalogue_keras import keras_probe


def _model(src: str, index: int = 0):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    return report, report.models[index]


def test_unresolved_import_stays_symbolic():
    report, m = _model(
        "from keras.layers import Conv2D, Dense, Flatten, Input\nfrom keras.models import Model\n"
        "from config import HEIGHT, WIDTH\n"
        "i = Input(shape=(HEIGHT, WIDTH, 1))\n"
        "c = Conv2D(128, (2, 2), strides=(2, 2), padding='same')(i)\n"
        "m = Model(i, Dense(100)(Flatten()(c)))\n"
    )
    assert m.status == "symbolic"
    assert render(m.rows[-1].params) == "12800*ceil(HEIGHT/2)*ceil(WIDTH/2) + 100"
    assert render(m.total) == "12800*ceil(HEIGHT/2)*ceil(WIDTH/2) + 740"


def test_function_parameters_without_defaults_are_symbols():
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def build(n_classes, hidden=64):\n"
        "    x = keras.Input((32,))\n"
        "    return keras.Model(x, layers.Dense(n_classes)(layers.Dense(hidden)(x)))\n"
    )
    assert m.model.name == "build" and m.model.from_defaults
    assert render(m.total) == "65*n_classes + 2112"


def test_unknown_layer_makes_numbers_unknown_downstream():
    report, m = _model(
        "import keras\nfrom keras import layers\nclass MyLayer(layers.Layer):\n    pass\n"
        "x = keras.Input((8,))\ny = MyLayer()(x)\nm = keras.Model(x, layers.Dense(4)(y))\n"
    )
    assert m.status == "unknown"
    assert m.total is None
    assert m.rows[-1].params is None
    kc901 = [d for d in report.diagnostics if d.code == "KC901"]
    assert kc901 and "MyLayer" in kc901[0].message


def test_rebound_name_uses_value_at_that_point():
    _, m = _model(
        "import keras\nfrom keras import layers\nUNITS = 3\nx = keras.Input((UNITS,))\nUNITS = 5\n"
        "m = keras.Model(x, layers.Dense(UNITS)(x))\n"
    )
    assert m.rows[0].output_shape == (None, 3)
    assert m.rows[1].output_shape == (None, 5)


def test_unknown_condition_is_not_guessed():
    report, m = _model(
        "import sys\nimport keras\nfrom keras import layers\nx = keras.Input((8,))\ny = x\n"
        "if sys.argv[1] == 'big':\n    y = layers.Dense(512)(y)\n"
        "m = keras.Model(x, layers.Dense(2)(y))\n"
    )
    assert m.status == "unknown"
    assert any(d.code == "KC901" and "condition" in d.message for d in report.diagnostics)


def test_absurd_loop_is_bounded_and_reported():
    report, m = _model(
        "import keras\nfrom keras import layers\nx = keras.Input((8,))\ny = x\n"
        "for _ in range(10**9):\n    y = layers.Dense(8)(y)\nm = keras.Model(x, y)\n"
    )
    assert m.status == "unknown"
    codes = {d.code for d in report.diagnostics}
    assert {"KC901", "KC902"} <= codes


def test_loop_with_too_many_layer_calls_is_cut():
    report, m = _model(
        "import keras\nfrom keras import layers\nx = keras.Input((8,))\ny = x\n"
        "for _ in range(20000):\n    y = layers.Dense(8)(y)\nm = keras.Model(x, y)\n"
    )
    assert m.status == "unknown"
    assert any(d.code == "KC902" for d in report.diagnostics)


def test_sequential_without_input_is_unbuilt():
    report, m = _model("import keras\nfrom keras import layers\nm = keras.Sequential([layers.Dense(10)])\n")
    assert m.status == "unbuilt" and m.total is None
    assert any(d.code == "KC901" and "not built" in d.message for d in report.diagnostics)


def test_trainable_flag_changed_in_unknown_way_makes_split_unknown():
    _, m = _model(
        "import keras\nfrom keras import layers\nimport sys\n"
        "m = keras.Sequential([keras.Input((4,)), layers.Dense(2), layers.Dense(2)])\n"
        "for layer in m.layers[: int(sys.argv[1])]:\n    layer.trainable = False\n"
    )
    assert m.trainable is None and m.non_trainable is None
    assert m.total is not None


def test_tensor_parameter_takes_the_rank_its_first_layer_fixes():
    # (checked against real Keras with values put in: fixtures/interpreter2/tensor_parameters.py)
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def critic(images):\n"
        "    x = layers.LeakyReLU()(images)\n"
        "    x = layers.Conv2D(8, 3)(x)\n"
        "    return keras.Model(images, layers.Dense(1)(layers.GlobalAveragePooling2D()(x)))\n"
    )
    assert m.status == "symbolic"
    assert [render(d) for d in m.inputs[0]] == ["None", "images.shape[1]", "images.shape[2]", "images.shape[3]"]
    assert render(m.total) == "72*images.shape[3] + 17"
    assert m.rows[0].layer.name == "images" and m.rows[0].layer.type == "InputLayer"
    assert 'keras.Input(shape=(images.shape[1], images.shape[2], images.shape[3]), name="images")' in \
        m.model.from_defaults and "conv2d takes input of rank 4 only" in m.model.from_defaults


def test_shape_parameter_takes_the_length_its_first_layer_fixes():
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def encoder(input_shape, width=10):\n"
        "    i = keras.Input(shape=input_shape)\n"
        "    return keras.Model(i, layers.GRU(width)(i))\n"
    )
    assert m.status == "symbolic"
    assert [render(d) for d in m.inputs[0]] == ["None", "input_shape[0]", "input_shape[1]"]
    assert render(m.total) == "30*input_shape[1] + 360"
    assert "`input_shape`, which no call gives, is taken as (input_shape[0], input_shape[1])" in m.model.from_defaults


def test_tensor_parameter_whose_rank_no_layer_fixes_stays_unknown():
    for body, why in (
        ("    x = layers.Dense(32)(z)\n    x = layers.Reshape((4, 8))(x)\n",
         "no layer it goes through fixes it (reshape takes input of any rank from 1)"),
        ("    if os.environ.get('KIND') == 'image':\n"
         "        x = layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3)(z))\n"
         "    else:\n        x = layers.LSTM(4)(z)\n",
         "its uses take different ranks"),
    ):
        report, m = _model("import os\nimport keras\nfrom keras import layers\ndef build(z):\n" + body +
                           "    return keras.Model(z, x)\n")
        assert m.status == "unknown" and m.total is None
        assert any("`z` is a tensor parameter no call in this file gives, and its rank is not known: " + why in r
                   for r in m.reasons), m.reasons
        assert not [d for d in report.diagnostics if d.severity == "error"]


def test_parameters_given_by_a_call_are_not_probed():
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def head(x, n):\n    return keras.Model(x, layers.Dense(n)(layers.Conv1D(4, 3)(x)))\n"
        "model = head(keras.Input((10, 2)), 3)\n"
    )
    assert m.status == "exact" and m.total == 28 + 15 and m.model.from_defaults is None


def test_model_on_a_tensor_parameter_not_among_its_inputs_is_unknown_not_an_error():
    # Keras builds it when the caller's tensor comes from `image` (tower(layers.Rescaling(1.0)(image))).
    report, m = _model(
        "import keras\nfrom keras import layers\nimage = keras.Input((32, 32, 3))\n"
        "def tower(features):\n"
        "    x = layers.Conv2D(4, 3)(features)\n"
        "    return keras.Model(image, layers.GlobalAveragePooling2D()(x))\n"
    )
    assert m.status == "unknown"
    assert any("computed from `features`, a tensor parameter no call in this file gives" in r for r in m.reasons)
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_input_shape_none_by_default_in_a_builder_nothing_calls_is_not_an_error():
    # Run with its defaults, `keras.Input(shape=input_shape)` gets None: Keras would raise, but the callers are
    # the ones that give the shape (hold-out 12: a library's builder). Called with no shape, it is an error.
    builder = ("import keras\nfrom keras import layers\n"
               "def regressor(input_shape=None, units=8):\n"
               "    x = keras.Input(shape=input_shape)\n"
               "    return keras.Model(x, layers.Dense(units)(x))\n")
    report, m = _model(builder)
    assert m.model.from_defaults and m.status == "unknown"
    assert not [d for d in report.diagnostics if d.severity == "error"]
    report, m = _model(builder + "net = regressor((5,))\n")
    assert m.status == "exact" and m.total == 48
    report, m = _model(builder + "net = regressor()\n")
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]
    report, m = _model(builder.replace("shape=input_shape", "").replace("input_shape=None, ", ""))
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]


def test_application_on_a_tensor_parameter_with_imagenet_weights_takes_three_channels():
    # Keras loads the imagenet weights only on 3 channels (else it raises): the channel axis is 3, not a symbol.
    _, m = _model(
        "import keras\n"
        "def features(frames):\n"
        "    return keras.applications.VGG16(input_tensor=frames, include_top=False)\n"
    )
    _, fixed = _model("import keras\n"
                      "m = keras.applications.VGG16(input_tensor=keras.Input((224, 224, 3)), include_top=False)\n")
    assert [render(d) for d in m.inputs[0]] == ["None", "frames.shape[1]", "frames.shape[2]", "3"]
    assert m.total == fixed.total and isinstance(m.total, int)
    assert "of 3 channels for its imagenet weights" in m.model.from_defaults


def test_application_on_a_shape_parameter_takes_three_sizes_and_three_channels_with_imagenet_weights():
    # `input_shape=input_shape` of a parameter no call gives: three sizes (rows, cols, channels), no KC103; the
    # imagenet weights load only on 3 channels (the truth of the weights=None twin: interpreter2/application_shape_parameter).
    report, m = _model(
        "import keras\n"
        "def features(input_shape):\n"
        "    return keras.applications.VGG16(input_shape=input_shape, include_top=False)\n"
    )
    _, fixed = _model("import keras\n"
                      "m = keras.applications.VGG16(input_shape=(224, 224, 3), include_top=False)\n")
    assert [render(d) for d in m.inputs[0]] == ["None", "input_shape[0]", "input_shape[1]", "3"]
    assert m.total == fixed.total and isinstance(m.total, int)
    assert "of 3 channels for its imagenet weights" in m.model.from_defaults
    assert not [d for d in report.diagnostics if d.severity == "error"]
    # a parameter used otherwise too (not only as an application's shape) is not bound: unknown, never an error
    report, m = _model(
        "import keras\n"
        "def features(input_shape):\n"
        "    print(input_shape + 1)\n"
        "    keras.Input(shape=input_shape)\n"
        "    return keras.applications.VGG16(input_shape=input_shape, include_top=False, weights=None)\n"
    )
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_parameter_rank_under_an_undecided_condition_is_not_taken():
    # A caller's (d,) builds the Dense branch: a rank taken from the Conv branch would be a guess.
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def build(input_shape, n):\n"
        "    i = keras.Input(shape=input_shape)\n"
        "    if len(input_shape) == 3:\n"
        "        x = layers.GlobalAveragePooling2D()(i)\n"
        "    else:\n"
        "        x = i\n"
        "    return keras.Model(i, layers.Dense(n)(x))\n"
    )
    assert m.status == "unknown" and m.total is None
    assert "which no call gives" not in m.model.from_defaults


def test_parameter_rank_fixed_on_every_way_survives_an_unrelated_undecided_condition():
    # (checked against real Keras with values put in: fixtures/interpreter2/tensor_parameters_undecided.py)
    _, m = _model(
        "import os\nimport keras\nfrom keras import layers\n"
        "def build(frames, n):\n"
        "    if os.environ.get('TRACE'):\n"
        "        print('building')\n"
        "    x = layers.Conv2D(4, 3)(frames)\n"
        "    return keras.Model(frames, layers.Dense(n)(layers.GlobalAveragePooling2D()(x)))\n"
    )
    assert m.status == "symbolic"
    assert render(m.total) == "36*frames.shape[3] + 5*n + 4"
    assert "conv2d takes input of rank 4 only" in m.model.from_defaults


def test_parameter_rank_asked_only_under_an_unrelated_undecided_condition_is_not_taken():
    # The condition does not test the shape, but a caller whose machine takes the other way may give any rank.
    for body in (
        "    if os.environ.get('KIND') == 'seq':\n"
        "        x = layers.GlobalAveragePooling1D()(layers.Conv1D(4, 3)(i))\n"
        "    else:\n"
        "        x = layers.Dense(4)(i)\n",
        "    x = layers.GlobalAveragePooling1D()(layers.Conv1D(4, 3)(i)) if os.environ.get('KIND') else i\n",
        # Keras raises on a caller's (d,) in the Conv1D, and the handler builds on it all the same
        "    try:\n        x = layers.GlobalAveragePooling1D()(layers.Conv1D(4, 3)(i))\n"
        "    except ValueError:\n        x = layers.Dense(4)(i)\n",
        # tested against None too: taken as not None, the rank is still asked only under the machine's condition
        "    if input_shape is None:\n        input_shape = (10, 4)\n" + _KIND_WAYS,
    ):
        _, m = _model("import os\nimport keras\nfrom keras import layers\n"
                      "def build(input_shape):\n    i = keras.Input(shape=input_shape)\n" + body +
                      "    return keras.Model(i, x)\n")
        assert m.status == "unknown" and m.total is None, body
        assert "which no call gives" not in m.model.from_defaults
    # (the same for a tensor parameter)
    _, m = _model("import os\nimport keras\nfrom keras import layers\ndef build(t):\n"
                  "    i = keras.Input((10, 4)) if t is None else t\n" + _KIND_WAYS + "    return keras.Model(t, x)\n")
    assert m.status == "unknown" and "which no call gives" not in m.model.from_defaults


_KIND_WAYS = ("    if os.environ.get('KIND') == 'seq':\n"
              "        x = layers.GlobalAveragePooling1D()(layers.Conv1D(4, 3)(i))\n"
              "    else:\n        x = layers.Dense(4)(i)\n")


def test_layer_class_chosen_by_an_undecided_condition_says_so():
    _, m = _model(
        "import os\nimport keras\nfrom keras import layers\n"
        "if os.environ.get('SYNC'):\n    Norm = layers.LayerNormalization\nelse:\n    Norm = layers.BatchNormalization\n"
        "i = keras.Input((8, 3))\n"
        "m = keras.Model(i, Norm()(i))\n"
    )
    assert m.status == "unknown"
    assert any(r.startswith("layer `Norm` depends on the condition `os.environ.get('SYNC')`") for r in m.reasons), \
        m.reasons


def test_tensor_parameter_tested_against_none_takes_the_rank_of_the_way_it_is_not_none():
    # (checked against real Keras with values put in: fixtures/interpreter2/tensor_parameters_none.py)
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def backbone(input_tensor=None):\n"
        "    if input_tensor is None:\n"
        "        img = keras.Input((32, 32, 3))\n"
        "    else:\n"
        "        img = input_tensor\n"
        "    x = layers.Conv2D(8, 3)(img)\n"
        "    src = keras.utils.get_source_inputs(input_tensor) if input_tensor is not None else img\n"
        "    return keras.Model(src, x)\n"
        "def head(frames):\n"
        "    base = backbone(input_tensor=frames)\n"
        "    return keras.Model(frames, layers.Dense(2)(base.output))\n", -1
    )
    assert m.status == "symbolic"
    assert render(m.total) == "72*frames.shape[3] + 26"
    assert 'keras.Input(shape=(frames.shape[1], frames.shape[2], frames.shape[3]), name="frames")' in \
        m.model.from_defaults


def test_names_after_a_builder_probed_three_times_are_keras_names():
    # The builder is run three times (a probe, one with `input_shape` not None, the last): names count once.
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def build(input_shape):\n"
        "    if input_shape is None:\n"
        "        input_shape = (8, 8, 1)\n"
        "    i = keras.Input(shape=input_shape)\n"
        "    return keras.Model(i, layers.Conv2D(2, 3)(i))\n"
    )
    assert m.status == "symbolic"
    assert [r.layer.name for r in m.rows] == ["input_layer", "conv2d"]


def test_is_keras_tensor_of_a_graph_tensor_and_of_plain_values():
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "i = keras.Input((6,))\n"
        "n = 3 if keras.backend.is_keras_tensor(i) else 5\n"
        "n += 0 if keras.utils.is_keras_tensor((6,)) or keras.backend.is_keras_tensor(None) else 1\n"
        "m = keras.Model(i, layers.Dense(n)(i))\n"
    )
    assert m.status == "exact" and m.total == 7 * 4


def test_a_float_computed_from_a_symbol_is_no_size_and_int_of_it_is_a_symbol():
    # `n / 2` is a float: Keras 3 rejects it as units (tf.keras 2 cut it with int()), so no formula in n / 2 is
    # right for every n; int(n / 2), round(n * 0.5) and math.ceil(n / 3) are integer symbols of their own.
    head = "import sys, math\nimport keras\nn = int(sys.argv[1])\n"
    floats = analyze_source(head + "m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(n / 2)])\n")
    (m,) = floats.models
    assert m.status == "unknown" and m.total is None
    assert "`n / 2` is a float computed from" in m.reasons[0] and "`int(...)` of it is one" in m.reasons[0]
    for expr, shown in [("n * 0.5", "n * 0.5"), ("float(n)", "float(n)")]:
        (m,) = analyze_source(head + f"m = keras.Sequential([keras.Input((8,)), keras.layers.Dense({expr})])\n").models
        assert m.status == "unknown" and f"`{shown}` is a float" in m.reasons[0]
    m = _integer_symbols_model()
    assert m.status == "symbolic"
    assert [render(r.output_shape[-1]) for r in m.rows] == ["int(n / 2)", "math.ceil(n / 3)", "round(n * 0.5)"]
    assert render(m.total) == ("int(n / 2)*math.ceil(n / 3) + math.ceil(n / 3)*round(n * 0.5) + 9*int(n / 2) "
                               "+ math.ceil(n / 3) + round(n * 0.5)")


def _integer_symbols_model():
    (m,) = analyze_source("import sys, math\nimport keras\nn = int(sys.argv[1])\n"
                          "m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(int(n / 2)), "
                          "keras.layers.Dense(math.ceil(n / 3)), keras.layers.Dense(round(n * 0.5))])\n").models
    return m


@pytest.mark.keras
def test_the_integer_symbols_of_a_float_agree_with_keras_at_odd_and_even_sizes():
    formula = render(_integer_symbols_model().total)
    probe = r"""
import json, math, sys
import keras
out = {}
for n in json.loads(sys.argv[1]):
    m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(int(n / 2)), keras.layers.Dense(math.ceil(n / 3)),
                          keras.layers.Dense(round(n * 0.5))])
    out[str(n)] = m.count_params()
print(json.dumps(out))
"""
    sizes = [5, 7, 8]
    keras_totals = keras_probe(probe, sizes)
    for n in sizes:  # (the formula names its symbols by the code that makes them, so it reads as Python)
        assert eval(formula, {"n": n, "math": math, "int": int, "round": round}) == keras_totals[str(n)]  # noqa: S307


_DUNDER_LEN = """import sys
import keras
from keras import layers
chars = set(open(sys.argv[1]).read())
index_token = dict(list(enumerate(chars)))
n_tokens = index_token.__len__()
sizes = [16, 32]
inp = layers.Input(shape=(None, n_tokens))
h = layers.LSTM(8)(inp)
out = layers.Dense(sizes.__len__() + {"a": 1, "b": 2, "c": 3}.__len__())(h)
model = keras.Model(inp, out)
"""


def test_dunder_len_is_len():
    # `d.__len__()` is what `len(d)` calls: the length of a known list or dict, a symbol for a dict of data
    # (arpytanshu/ML-models seq-seq-reverse-string: `num_source_tokens = source_index_token.__len__()`).
    _, m = _model(_DUNDER_LEN)
    assert m.status == "symbolic", m.reasons
    assert [r.output_shape[-1] for r in m.rows[1:]] == [8, 5]
    assert render(m.total) == "32*index_token.__len__() + 333"


@pytest.mark.keras
def test_dunder_len_agrees_with_keras():
    formula = render(_model(_DUNDER_LEN)[1].total)
    probe = r"""
import json, sys
import keras
from keras import layers
out = {}
for n in json.loads(sys.argv[1]):
    index_token = dict(enumerate(range(n)))
    inp = layers.Input(shape=(None, index_token.__len__()))
    h = layers.LSTM(8)(inp)
    m = keras.Model(inp, layers.Dense([16, 32].__len__() + {"a": 1, "b": 2, "c": 3}.__len__())(h))
    out[str(n)] = m.count_params()
print(json.dumps(out))
"""
    sizes = [3, 10]
    keras_totals = keras_probe(probe, sizes)
    for n in sizes:
        assert eval(formula.replace("index_token.__len__()", "n"), {"n": n}) == keras_totals[str(n)]  # noqa: S307


def test_sequential_on_a_shape_parameter_takes_the_length_its_first_layer_fixes():
    # `model.add(Input(shape=input_shape))` then an LSTM (hold-out 51): as in the functional form, the LSTM fixes the
    # length (checked against real Keras with values put in: fixtures/interpreter2/sequential_shape_parameter.py)
    for first in ("    model = Sequential()\n    model.add(Input(shape=input_shape))\n    model.add(Dropout(0.2))\n",
                  "    model = Sequential([Input(shape=input_shape), Dropout(0.2)])\n"):
        report, m = _model("from keras import Input\nfrom keras.models import Sequential\n"
                           "from keras.layers import LSTM, Dense, Dropout\n"
                           "def build(input_shape):\n" + first +
                           "    model.add(LSTM(16))\n    model.add(Dense(1))\n    return model\n")
        assert m.status == "symbolic"
        assert [render(d) for d in m.inputs[0]] == ["None", "input_shape[0]", "input_shape[1]"]
        assert render(m.total) == "64*input_shape[1] + 1105"
        assert "lstm takes input of rank 3 only" in m.model.from_defaults


def test_sequential_on_a_shape_parameter_whose_length_no_layer_fixes_stays_unknown():
    for body in ("    model.add(Dense(4))\n    model.add(Flatten())\n",
                 "    if os.environ.get('KIND') == 'image':\n        model.add(Conv2D(4, 3))\n"
                 "    else:\n        model.add(LSTM(4))\n"):
        report, m = _model("import os\nfrom keras import Input\nfrom keras.models import Sequential\n"
                           "from keras.layers import LSTM, Conv2D, Dense, Flatten\n"
                           "def build(input_shape):\n    model = Sequential()\n"
                           "    model.add(Input(shape=input_shape))\n" + body + "    return model\n")
        assert m.status == "unknown" and m.total is None
        assert not [d for d in report.diagnostics if d.severity == "error"]


def test_hasattr_of_a_size_symbol_is_what_a_python_int_answers():
    # (`batch.value if hasattr(batch, "value") else batch`, TensorFlow 1's Dimension guard in compute_output_shape: a
    # size symbol is a Python int, which has no `value` but has `real`)
    _, m = _model(
        "import keras\nfrom keras import layers\n"
        "def build(n):\n"
        "    size = n * 2\n"
        "    size = size.value if hasattr(size, 'value') else size\n"
        "    width = 3 if hasattr(size, 'real') else 4\n"
        "    return keras.Sequential([keras.Input((size,)), layers.Dense(width)])\n"
    )
    assert m.status == "symbolic"
    assert render(m.total) == "6*n + 3"
