"""Every rule's documented examples are run: VALID must not trigger it, INVALID must."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kerascount import rules
from kerascount.api import analyze_source
from kerascount.config import Config

CASES = [
    pytest.param(rule, kind, i, src, id=f"{rule.CODE}-{kind}-{i}")
    for rule in rules.ALL
    for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for i, src in enumerate(examples)
]


@pytest.mark.parametrize("rule,kind,index,source", CASES)
def test_rule_examples(rule, kind, index, source):
    report = analyze_source(source, "example.py", Config(select=(rule.CODE,)))
    assert report.internal_error is None
    codes = [d.code for d in report.diagnostics]
    if kind == "valid":
        assert rule.CODE not in codes, report.diagnostics
    else:
        assert rule.CODE in codes, report.diagnostics


@pytest.mark.parametrize("rule", rules.ALL, ids=lambda r: r.CODE)
def test_rule_is_documented(rule):
    assert rule.CODE and rule.NAME and rule.SUMMARY
    assert rule.SEVERITY in ("error", "warning", "info")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in rule.DOC, f"{rule.CODE} doc lacks {section}"
    assert rule.VALID, f"{rule.CODE} has no valid example"
    if rule.CODE not in ("KC001", "KC202"):  # unreadable files; a budget needs configuration (tested by CLI)
        assert rule.INVALID, f"{rule.CODE} has no invalid example"


def test_codes_are_unique_and_grouped():
    codes = [r.CODE for r in rules.ALL]
    assert len(codes) == len(set(codes))
    assert all(c.startswith("KC") and len(c) == 5 and c[2:].isdigit() for c in codes)


def _codes(source, *select):
    report = analyze_source(source, "example.py", Config(select=select))
    assert report.internal_error is None
    return [(d.code, d.span.line) for d in report.diagnostics], report.diagnostics


_HEAD = ("import keras\nfrom keras import layers\nx = keras.Input((320, 320, 1))\n"
         "y = layers.Conv2D(128, 2, strides=2, padding='same')(x)\n")


def test_unused_noqa_reports_kerascount_codes_that_suppress_nothing():
    source = (_HEAD + "y = layers.Dense(100)(layers.Flatten()(y))  # noqa: KC201, KC203, E501\n"
              "z = layers.Dense(10)(y)  # noqa: KC201\n"
              "w = layers.Dense(10)(z)  # noqa\n"
              "s = '# noqa: KC777'\n"
              "m = keras.Model(x, w)  # noqa: F401, KC999\n")
    found, diags = _codes(source, "KC201", "KC203", "KC405")
    assert found == [("KC405", 5), ("KC405", 6), ("KC405", 9)]
    assert "KC203 suppresses nothing (kerascount reports KC201 here)" in diags[0].message
    line = source.splitlines()[4]
    assert (diags[0].span.column, diags[0].span.end_column) == (line.index('#') + 1, len(line) + 1)
    assert "KC201 suppresses nothing (no finding covers this line)" in diags[1].message
    assert "KC999 is not a kerascount rule code" in diags[2].message and "F401" not in diags[2].message


def test_unused_noqa_leaves_rules_that_did_not_run_and_itself_alone():
    source = _HEAD + "m = keras.Model(x, y)  # noqa: KC201, KC405\nn = keras.Model(x, y)  # noqa: KC202\n"
    assert _codes(source, "KC405")[0] == []
    assert _codes(source, "KC201", "KC405")[0] == []  # suppressed by its own code on the line
    assert _codes(source, "KC202", "KC405")[0] == [("KC405", 6)]
    assert _codes("# kerascount: noqa\n" + source, "KC202", "KC405")[0] == []
    assert _codes(source + "m = keras.Model(\n", "KC202", "KC405")[0] == []  # a syntax error: nothing analysed


def test_noqa_in_a_string_is_not_a_directive():
    source = _HEAD + "y = layers.Dense(100)(layers.Flatten()(y)); s = '# noqa'\nm = keras.Model(x, y)\n"
    assert _codes(source, "KC201")[0] == [("KC201", 5)]


_SEQ = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 4)), {}])\n"


def test_conv_without_activation_only_before_linear_layers():
    quiet = [
        "layers.Conv2D(8, 3), layers.BatchNormalization(), layers.Conv2D(8, 3)",
        "layers.Conv2D(8, 3), layers.LeakyReLU(), layers.Conv2D(8, 3)",
        "layers.Conv2D(8, 3), layers.MaxPooling2D(), layers.Conv2D(8, 3)",
        "layers.Conv2D(8, 3, activation=None), layers.Conv2D(8, 3)",
        "layers.Conv2D(8, 3, activation='relu'), layers.Conv2D(8, 1)",
        "layers.Conv2D(8, 3), layers.Flatten()",  # the output: logits
        "layers.DepthwiseConv2D(3), layers.Conv2D(8, 1)",  # a separable convolution in two layers
        "layers.Conv2D(8, 1), layers.DepthwiseConv2D(3)",
    ]
    for layers_ in quiet:
        assert _codes(_SEQ.format(layers_), "KC406")[0] == [], layers_
    found, diags = _codes(_SEQ.format("layers.Conv2D(8, 3), layers.Conv2D(8, 5)"), "KC406")
    assert found == [("KC406", 3)]
    assert "conv2d (Conv2D) has no activation and feeds conv2d_1 (Conv2D) directly" in diags[0].message
    assert "no more than one convolution with kernel_size=(7, 7)" in diags[0].message
    found, diags = _codes(_SEQ.format("layers.Conv2D(8, 3), layers.AveragePooling2D(), layers.Flatten(), "
                                      "layers.Dense(10, activation='softmax')"), "KC406")
    assert found == [("KC406", 3)] and "through AveragePooling2D, Flatten" in diags[0].message


def test_conv_without_activation_in_a_graph_needs_every_reader_linear():
    source = ("import keras\nfrom keras import layers\nx = keras.Input((28, 28, 4))\n"
              "c = layers.Conv2D(8, 3, padding='same')(x)\n"
              "d = layers.Conv2D(8, 3, padding='same')(c)\n"
              "e = layers.Add()([c, layers.Conv2D(8, 3, padding='same', activation='relu')(d)])\n"
              "m = keras.Model(x, [e, layers.Dense(2)(layers.Flatten()(d))])\n")
    assert _codes(source, "KC406")[0] == [("KC406", 5)]  # c also feeds Add; d feeds two linear layers


def test_application_errors_teach_with_numbers():
    found, diags = _codes("import keras\nm = keras.applications.DenseNet121(weights='imagenet', "
                          "include_top=False, input_shape=(224, 224, 1))\n", "KC111", "KC112")
    assert found == [("KC111", 2)]
    assert diags[0].message.startswith("DenseNet121 with weights='imagenet' needs 3 input channels; got 1 "
                                       "(input_shape=(224, 224, 1)); use weights=None")
    found, diags = _codes("import keras\na = keras.applications.Xception(weights=None, include_top=False, "
                          "input_shape=(70, 90, 3))\nb = keras.applications.ResNet50(weights=None, "
                          "include_top=False, input_shape=(31, 31, 3))\n", "KC112")
    assert found == [("KC112", 2), ("KC112", 3)]  # each failing application, not only the first
    assert "Xception needs inputs of at least 71x71; got 70x90" in diags[0].message


def test_structural_rules_fire_on_models_whose_shapes_are_unknown():
    source = ("from keras.models import Sequential\nfrom keras.layers import Dense, Conv2D, BatchNormalization, "
              "Activation, Flatten\nmodel = Sequential()\nmodel.add(Conv2D(8, 3, input_shape=X.shape[1:]))\n"
              "model.add(BatchNormalization())\nmodel.add(Activation('relu'))\nmodel.add(Flatten())\n"
              "model.add(Dense(1))\nmodel.add(Activation('softmax'))\n"
              "model.compile(loss='binary_crossentropy', optimizer='adam')\n")
    found, diags = _codes(source, "KC103", "KC303", "KC403", "KC301")
    assert found == [("KC403", 4), ("KC303", 9)], diags  # no KC103: X.shape[1:] may be a tuple
    assert "the bias of conv2d is cancelled" in diags[0].message  # no "None params"


def test_a_sequential_with_gaps_gets_no_findings_about_neighbours():
    # Custom is not a Keras layer: the rows Dense, ReLU are not neighbours in the model.
    gap = ("import keras\nfrom keras import layers\nfrom mylib import Custom\n"
           "m = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation='relu'), Custom(3), layers.ReLU()])\n")
    assert _codes(gap, "KC402", "KC505")[0] == []
    loop = ("import keras\nfrom keras import layers\nm = keras.Sequential()\n"
            "m.add(layers.Dense(4, activation='relu'))\nfor i in range(n):\n    m.add(layers.Dense(4))\n"
            "m.add(layers.ReLU())\n")
    assert _codes(loop, "KC402")[0] == []
    graph = ("import keras\nfrom keras import layers\nfrom mylib import Custom\nx = keras.Input((8,))\n"
             "y = layers.ReLU()(Custom(3)(layers.Dense(4, activation='relu')(x)))\nm = keras.Model(x, y)\n")
    assert _codes(graph, "KC402")[0] == []


def test_a_model_compiled_only_to_predict_has_no_loss_findings():
    head = ("from keras.models import Sequential\nfrom keras.layers import Dense\nm = Sequential()\n"
            "m.add(Dense(512, activation='relu', input_shape=(784,)))\n"
            "m.compile(loss='categorical_crossentropy', optimizer='sgd')\n")
    assert _codes(head + "h = m.predict(x)\n", "KC302")[0] == []
    assert _codes(head + "m.fit(x, y)\nh = m.predict(x)\n", "KC302")[0] == [("KC302", 5)]
    assert _codes(head, "KC302")[0] == [("KC302", 5)]


#: A base model compiled in its builder (a relu head under sparse_categorical_crossentropy), then given to other models
#: as a layer and never trained itself: its loss is never used. Found on hold-out hold37 (CVxTz/EEG_classification's
#: `TimeDistributed(base_model)`, whose builder the analysis also runs alone).
BASE = ("import keras\nfrom keras import layers\n\n\ndef get_base_model():\n    inp = keras.Input((30, 1))\n"
        "    x = layers.GlobalMaxPooling1D()(layers.Conv1D(8, 3)(inp))\n"
        "    base_model = keras.Model(inp, layers.Dense(16, activation='relu')(x))\n"
        "    base_model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n    return base_model\n\n\n")
NESTED = {
    "time distributed": ("def get_model():\n    seq = keras.Input((None, 30, 1))\n"
                         "    encoded = layers.TimeDistributed(get_base_model())(seq)\n"
                         "    out = layers.Dense(5, activation='softmax')(layers.LSTM(8)(encoded))\n"
                         "    model = keras.Model(seq, out)\n"
                         "    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
                         "    return model\n"),
    "sequential": ("base = get_base_model()\nmodel = keras.Sequential([base, layers.Dense(5, activation='softmax')])\n"
                   "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(x, y)\n"),
}


@pytest.mark.parametrize("case", sorted(NESTED))
def test_a_base_model_compiled_and_only_nested_has_no_loss_findings(case):
    assert _codes(BASE + NESTED[case], "KC302")[0] == []
    # trained itself, or never used at all, its loss is used (or may be): the finding stays
    assert _codes(BASE + "base = get_base_model()\nbase.fit(x, y)\n" + NESTED[case], "KC302")[0] == [("KC302", 9)]
    assert _codes(BASE, "KC302")[0] == [("KC302", 9)]


def test_a_generator_compiled_in_its_builder_and_only_sampled_has_no_loss_findings():
    # fixtures/faults/clean/gan_generator_compiled_for_predict.py: the model compiled as `net` in its builder is
    # sampled as `maker` (in a loop the analysis does not run); trained under either name, its loss is used again.
    from test_fixtures import REPO_ROOT

    src = (REPO_ROOT / "fixtures/faults/clean/gan_generator_compiled_for_predict.py").read_text()
    assert _codes(src, "KC306")[0] == []
    trained = src.replace("fakes = maker.predict(noise, verbose=0)", "fakes = maker.predict(noise, verbose=0)\n"
                          "        maker.train_on_batch(noise, real)")
    assert _codes(trained, "KC306")[0] == [("KC306", 16)]
    elsewhere = src + "\n\ndef warm(x):\n    maker.fit(x, x)\n"
    assert _codes(elsewhere, "KC306")[0] == [("KC306", 16)]  # `warm` is never called: its `maker.fit` still counts
    # calling it (here inside the stacked model) does not use its loss either; compiled and never used at all, the
    # finding stays
    unused = src[:src.index("maker, judge = ")] + "maker = build_maker()\n"
    assert _codes(unused, "KC306")[0] == [("KC306", 16)]
    retrained = src + "\nmaker.compile(loss='mse', optimizer='adam')\nmaker.fit(noise, fakes)\n"
    assert _codes(retrained, "KC306")[0] == []  # trained, but under the last compile, which has no such loss
    recompiled = src.replace("judge.trainable = False\n", "judge.trainable = False\nmaker.fit(z, z)\n")
    assert _codes(recompiled, "KC306")[0] == [("KC306", 16)]  # trained under the compile of the tanh output


def test_a_model_compiled_again_only_to_predict_has_no_loss_findings():
    # Trained with mse, then frozen and compiled again with another loss only to predict: the last compile's loss
    # is never used. Trained after that compile, or by a call the analysis did not run (a function nothing calls,
    # which may run after it), it is.
    src = ("import numpy as np\nimport keras\nfrom keras import layers\n"
           "model = keras.Sequential([keras.Input((13,)), layers.Dense(8, activation='relu'), layers.Dense(1)])\n"
           "model.compile(optimizer='rmsprop', loss='mse')\nmodel.fit(np.zeros((20, 13)), np.zeros(20))\n"
           "model.trainable = False\nmodel.compile(optimizer='rmsprop', loss='binary_crossentropy')\n")
    for use in ("print(model.predict(np.zeros((1, 13))))\n", "print(model(np.zeros((1, 13))))\n"):
        assert _codes(src + use, "KC306")[0] == []
        assert _codes(src + use + "model.fit(np.zeros((20, 13)), np.zeros(20))\n", "KC306")[0] == [("KC306", 8)]
        later = src + use + "\n\ndef again(x, y):\n    model.fit(x, y)\n"
        assert _codes(later, "KC306")[0] == [("KC306", 8)]
    assert _codes(src, "KC306")[0] == [("KC306", 8)]  # not used at all after that compile


def test_constant_kernels_of_a_model_only_predicted_with_are_left_alone():
    # fixtures/faults/clean/gate_weights_set_by_hand.py: zero-initialised layers whose weights the code writes with
    # set_weights, then predicts; nothing trains them. Trained or evaluated under any of its names, KC507 stays.
    from test_fixtures import REPO_ROOT

    src = (REPO_ROOT / "fixtures/faults/clean/gate_weights_set_by_hand.py").read_text()
    assert _codes(src, "KC507")[0] == []
    trained = src + "net.compile(loss='mse', optimizer='sgd')\nnet.fit(pairs, np.zeros(4))\n"
    assert _codes(trained, "KC507")[0] == [("KC507", 8)]
    elsewhere = src + "\n\ndef score(x, y):\n    return net.evaluate(x, y)\n"
    assert _codes(elsewhere, "KC507")[0] == [("KC507", 8)]
    unused = src[:src.index("hidden = net.layers[0]")]  # neither trained nor used: the finding stays
    assert _codes(unused, "KC507")[0] == [("KC507", 8)]


def test_messages_do_not_show_a_layer_name_the_analysis_does_not_know():
    # After a condition that may make a layer, later automatic names are unknown (`?`): a message names the layer by
    # its class alone (hold-out 14: "Dropout feeds ? (BatchNormalization)").
    src = ("import os\nimport keras\nfrom keras import layers\nm = keras.Sequential()\n"
           "if os.environ.get('WIDE'):\n    m.add(layers.Dense(4, input_shape=(3,)))\n"
           "    m.add(layers.Dropout(0.1))\n    m.add(layers.BatchNormalization())\n"
           "n = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.Dropout(0.2),\n"
           "    layers.BatchNormalization(), layers.Dropout(0.3), layers.MaxPooling2D(2), layers.Dense(3)])\n"
           "n.compile(loss='mse', optimizer='adam')\nn.fit(x, y)\n")
    found, diags = _codes(src, "KC504", "KC501", "KC506")
    assert sorted(found) == [("KC501", 10), ("KC504", 9)], diags
    for d in diags:
        assert "?" not in d.message, d.message
    assert any(d.message.startswith("Dense is applied") for d in diags), diags
    assert any(d.message.startswith("Dropout feeds BatchNormalization directly") for d in diags), diags
    named = src[:src.index("if os.environ")] + src[src.index("n = keras"):]
    assert any("dense (Dense) is applied" in d.message for d in _codes(named, "KC501")[1])


def test_values_the_interpreter_leaves_unknown_are_read_from_the_call():
    source = ("import tensorflow as tf\nfrom tensorflow.keras import layers, initializers\n"
              "m = tf.keras.Sequential([layers.Dense(8, activation=tf.nn.relu, input_shape=(4,)),\n"
              "    layers.Activation(tf.nn.relu), layers.Dense(8, kernel_initializer=initializers.Zeros(), "
              "activation='relu'), layers.Dense(1)])\n"
              "lr = 5\nopt = tf.keras.optimizers.Adam(lr)\nm.compile(optimizer=opt, loss='mse')\n")
    found, diags = _codes(source, "KC402", "KC507", "KC309")
    assert found == [("KC402", 4), ("KC507", 4), ("KC309", 7)], diags
    assert "5,000 times its default of 0.001" in diags[2].message
    unknown = source.replace("lr = 5\n", "lr = float(sys.argv[1])\n")
    assert [c for c, _ in _codes(unknown, "KC309")[0]] == []


def test_channels_first_input_is_left_alone_where_the_file_may_set_the_format():
    source = ("import keras\nfrom keras import layers\n{}m = keras.Sequential([keras.Input((3, 64, 64)), "
              "layers.Conv2D(8, 3)])\n")
    assert _codes(source.format(""), "KC502")[0] == [("KC502", 3)]
    assert _codes(source.format("keras.backend.set_image_data_format('channels_first')\n"), "KC502")[0] == []
    assert _codes(source.replace("(3, 64, 64)", "(64, 64, 3)").format(""), "KC502")[0] == []


def test_uncalled_builder_mixing_formats_is_left_alone_where_the_caller_may_set_the_format():
    """A module's builder that gives some layers data_format='channels_first' and leaves others to Keras's setting
    (a course's FaceNet blocks, whose notebook sets channels_first before calling it): run with nothing calling it,
    the default channels_last makes the branches' shapes differ, which says nothing of the program's run.
    Called in the file under the default setting, Keras raises there, and the error stays."""
    source = ("import keras\nfrom keras import layers\n"
              "def tower():\n"
              "    x = keras.Input((16, 16, 3))\n"
              "    a = layers.Conv2D(4, 1, data_format='channels_first')(x)\n"
              "    b = layers.Conv2D(6, 1)(x)\n"
              "    return keras.Model(x, layers.Concatenate(axis=1)([a, b]))\n")
    assert _codes(source, "KC107")[0] == []
    called = source + "m = tower()\n"
    assert [code for code, _ in _codes(called, "KC107")[0]] == ["KC107"]


def test_an_error_no_image_format_can_change_is_reported_in_a_file_that_names_channels_first():
    """(1, 40, 24) looks channels-first and the file names channels_first, which silences the shape errors of layers
    that read Keras's image format. Where every such layer up to the error says its own data_format, the setting
    cannot change the error (a Reshape and a Cropping1D do not read it): Keras raises whatever keras.json says
    (fixtures/errors/channels_first_conv_then_crop_too_much.py). A pooling left to the setting before it (its window
    of 1 keeps the shape in either format) keeps the error silent."""
    head = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((1, 40, 24)), "
    tail = "layers.Reshape((4, 960)), layers.Cropping1D((3, 3))])\n"
    told = head + "layers.Conv2D(4, 3, padding='same', data_format='channels_first'), " + tail
    assert [code for code, _ in _codes(told, "KC101")[0]] == ["KC101"]
    left = head + "layers.Conv2D(4, 3, padding='same', data_format='channels_first'), layers.MaxPooling2D(1), " + tail
    assert _codes(left, "KC101")[0] == []
    # the convolution inside a nested Sequential: its layers are read (campaign seed s30d, program 2781)
    nested = head + "keras.Sequential([layers.Conv2D(4, 3, padding='same', data_format='channels_first')]), " + tail
    assert [code for code, _ in _codes(nested, "KC101")[0]] == ["KC101"]


def test_linear_dense_stack_leaves_bottlenecks_and_written_out_linear_alone():
    seq = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32,)), {}])\n"
    assert _codes(seq.format("layers.Dense(2), layers.Dense(64, activation='relu')"), "KC505")[0] == []
    assert _codes(seq.format("layers.Dense(64, activation='linear'), layers.Dense(10)"), "KC505")[0] == []
    assert _codes(seq.format("layers.Dense(64), layers.Activation('relu'), layers.Dense(10)"), "KC505")[0] == []
    assert _codes(seq.format("layers.Dense(64), layers.Dense(10)"), "KC505")[0] == []  # a linear model
    assert _codes(seq.format("layers.Dense(64), layers.Dense(10, activation='softmax')"), "KC505")[0] == \
        [("KC505", 3)]


def test_activation_fixes_change_the_output_activation_where_it_is_written():
    from kerascount.fix import fix_source

    cases = [
        ("softmax_one_unit", 'model.add(Dense(1, activation="sigmoid"))'),
        ("activation_layer_softmax", 'model.add(layers.Activation("sigmoid"))'),
        ("linear_bce", 'out = Dense(1, activation="sigmoid")(h)'),
        ("relu_layer_bce", 'model.add(Activation("sigmoid"))'),
        ("sigmoid_categorical", 'outputs = layers.Dense(10, activation="softmax")(x)'),
        ("tf_nn_relu_bce", 'tf.keras.layers.Dense(1, activation="sigmoid"),'),
    ]
    root = Path(__file__).resolve().parent.parent / "fixtures" / "faults"
    for name, line in cases:
        text = (root / f"{name}_bug.py").read_text()
        assert fix_source(text, "x.py", Config(), unsafe=False).applied == 0, name  # the fixes change the model
        fixed = fix_source(text, "x.py", Config(), unsafe=True)
        assert fixed.applied == 1 and line in fixed.text, (name, fixed.text)
        assert not [d for d in fixed.report.diagnostics if d.severity != "info"], (name, fixed.report.diagnostics)


def test_a_recurrent_layer_applies_its_default_tanh():
    seq = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((10, 4)), {}])\n"
           "m.compile('adam', 'binary_crossentropy')\n")
    found, diags = _codes(seq.format("layers.LSTM(1)"), "KC306", "KC402")
    assert found == [("KC306", 4)] and "ends in tanh" in diags[0].message
    assert _codes(seq.format("layers.LSTM(1, activation='sigmoid')"), "KC306")[0] == []
    # the LSTM's own tanh is not written: a ReLU layer after it is not reported as a second activation
    assert _codes(seq.format("layers.LSTM(8), layers.ReLU(), layers.Dense(1, activation='sigmoid')"), "KC402")[0] == []


def test_dense_on_a_full_resolution_map_is_a_per_pixel_classifier():
    seq = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((32, 32, 3)), {}])\n"
    same = "layers.Conv2D(8, 3, padding='same', activation='relu'), layers.Dense(4, activation='softmax')"
    assert _codes(seq.format(same), "KC501")[0] == []
    pooled = same.replace("layers.Dense", "layers.MaxPooling2D(), layers.Dense")
    assert _codes(seq.format(pooled), "KC501")[0] == [("KC501", 3)]


def test_dense_on_a_one_by_one_map_is_said_to_keep_its_axes():
    """On a map reduced to 1x1 there is one pixel: the finding says the output keeps the axes of size 1 (real Keras
    3.15 gives the Dense output (None, 1, 1, 10) here), not that it predicts per pixel."""
    src = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4, 4, 3)), layers.Conv2D(8, 4), "
           "layers.Dense(10, activation='softmax')])\n")
    found, diags = _codes(src, "KC501")
    assert found == [("KC501", 3)]
    assert "keeps the map's axes of size 1 (None, 1, 1, 10)" in diags[0].message and "per pixel" not in diags[0].message


def test_a_flatten_dense_head_below_the_threshold_is_an_info_note():
    """KC201 warns at 10M params in the head; a head that is most of a small model (a textbook LeNet's
    Flatten→Dense(500), 1.2M params) is reported as info, so a CI run does not stop on it."""
    def kc201(src):
        return [d.severity for d in analyze_source(src).diagnostics if d.code == "KC201"]

    lenet = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((28, 28, 1)), "
             "layers.Conv2D(20, 5, padding='same'), layers.MaxPooling2D(), layers.Conv2D(50, 5, padding='same'), "
             "layers.MaxPooling2D(), "
             "layers.Flatten(), layers.Dense(500, activation='relu'), layers.Dense(10, activation='softmax')])\n")
    assert kc201(lenet) == ["info"]
    big = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((320, 320, 64)), " \
          "layers.Flatten(), layers.Dense(100)])\n"
    assert kc201(big) == ["warning"]


def test_layers_that_pass_values_on_are_read_from_their_traits():
    """Rules read which layers pass their input on from the catalogue's traits; the decisions, by what Keras
    does: ActivityRegularization and Identity return their input (like Dropout, in inference); SpatialDropout
    drops whole channels but keeps the shape; PReLU keeps the shape (a Flatten→Dense head through it is one) but
    is no linear pass-through (KC406 stops there)."""
    conv = _SEQ.format("layers.Conv2D(8, 3), {}, layers.Conv2D(8, 3)")
    for between in ("layers.ActivityRegularization(l1=0.01)", "layers.SpatialDropout2D(0.2)", "layers.Identity()",
                    "layers.Permute((2, 1, 3))", "layers.ZeroPadding2D()"):
        assert _codes(conv.format(between), "KC406")[0] == [("KC406", 3)], between  # still linear into a conv
    for between in ("layers.PReLU()", "layers.MaxPooling2D()"):
        assert _codes(conv.format(between), "KC406")[0] == [], between
    head = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((64, 64, 64)), "
            "layers.Flatten(), {}, layers.Dense(100)])\n")
    for between in ("layers.PReLU()", "layers.ActivityRegularization()", "layers.LayerNormalization()"):
        assert [c for c, _ in _codes(head.format(between), "KC201")[0]] == ["KC201"], between
    single = ("import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), "
              "layers.Dense(1, activation='softmax'), {}])\n")
    for after in ("layers.ActivityRegularization()", "layers.Identity()"):
        assert [c for c, _ in _codes(single.format(after), "KC303")[0]] == ["KC303"], after
    fit = ("import numpy as np\nimport keras\nfrom keras import layers\n"
           "m = keras.Sequential([keras.Input((6,)), {}, layers.Dense(1)])\nm.compile('adam', 'mse')\n"
           "m.fit(np.zeros((10, 5)), np.zeros((10, 1)))\n")
    assert [c for c, _ in _codes(fit.format("layers.Identity()"), "KC701")[0]] == ["KC701"]


def test_data_of_another_size_is_an_error_only_on_the_axis_the_first_layer_sizes_its_weights_by():
    """KC701: a channels-first convolution sizes its kernel by axis 1 and takes any width (Keras runs
    `predict` on (4, 3, 32, 28) for an input of (None, 3, 32, 32)); another number of channels raises."""
    src = ("import numpy as np\nimport keras\nfrom keras import layers\n"
           "m = keras.Sequential([keras.Input((3, 32, 32)), {first}, layers.GlobalAveragePooling2D("
           "data_format='channels_first'), layers.Dense(1)])\nm.predict(np.zeros({data}))\n")
    conv = "layers.Conv2D(4, 3, data_format='channels_first')"
    assert _codes(src.format(first=conv, data=(4, 3, 32, 28)), "KC701")[0] == []
    assert _codes(src.format(first=conv, data=(4, 2, 32, 32)), "KC701")[0] == [("KC701", 5)]
    norm = "layers.BatchNormalization(axis=1)"
    assert _codes(src.format(first=norm, data=(4, 3, 32, 28)), "KC701")[0] == []
    assert _codes(src.format(first=norm, data=(4, 2, 32, 32)), "KC701")[0] == [("KC701", 5)]


def test_linear_dense_stack_is_a_warning_only_where_the_activation_looks_forgotten():
    head = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((20,)), "
    # another hidden Dense has a ReLU (here as a layer of its own): this one's missing activation is a warning
    forgotten = head + "layers.Dense(48), layers.ReLU(), layers.Dense(32), layers.Dense(4, activation='softmax')])\n"
    # one linear layer under a softmax head, on the model's input: a note
    bottleneck = head + "layers.Dense(32), layers.Dense(4, activation='softmax')])\n"
    # the first layer on the input is linear, the hidden one after it has a ReLU: a note too
    first = head + "layers.Dense(20), layers.Dense(16, activation='relu'), layers.Dense(1, activation='sigmoid')])\n"
    # the same in a functional model: its first Dense reads the keras.Input (an InputLayer row), a note
    functional = ("import keras\nfrom keras import layers\nx = keras.Input((20,))\nh = layers.Dense(20)(x)\n"
                  "h = layers.Dense(16, activation='relu')(h)\n"
                  "m = keras.Model(x, layers.Dense(1, activation='sigmoid')(h))\n")
    found = {name: [(d.severity, d.span.line) for d in _codes(src, "KC505")[1]]
             for name, src in (("forgotten", forgotten), ("bottleneck", bottleneck), ("first", first),
                               ("functional", functional))}
    assert found == {"forgotten": [("warning", 3)], "bottleneck": [("info", 3)], "first": [("info", 3)],
                     "functional": [("info", 4)]}


def test_a_shape_error_in_a_function_called_twice_is_reported_once():
    source = ("import keras\nfrom keras import layers\n\ndef tower(width):\n"
              "    return keras.Sequential([keras.Input((3, 3, 1)), layers.Conv2D(width, 5)])\n\n"
              "small = tower(4)\nagain = tower(4)\n")
    found, _ = _codes(source, "KC101")
    assert found == [("KC101", 5)]


def test_loss_messages_count_a_convolution_head_in_filters():
    source = ("import keras\nfrom keras import layers\n"
              "m = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(16, 3, padding='same'), "
              "layers.Activation('relu')])\nm.compile('adam', loss='sparse_categorical_crossentropy')\n")
    (d,) = _codes(source, "KC302")[1]
    assert "conv2d (16 filters) ends in relu" in d.message


def test_a_line_that_makes_many_layers_gets_one_finding():
    # A block builder called three times: its Conv2D line makes three layers whose bias BatchNormalization
    # cancels. That is one thing to fix on that line, reported once (as ruff reports one finding per place).
    source = ("import keras\nfrom keras import layers\n\n\ndef block(x, n):\n"
              "    x = layers.Conv2D(n, 3, padding='same')(x)\n"
              "    return layers.Activation('relu')(layers.BatchNormalization()(x))\n\n\n"
              "x = inputs = keras.Input((32, 32, 3))\nfor n in (16, 32, 64):\n    x = block(x, n)\n"
              "model = keras.Model(inputs, x)\n")
    found = [(d.code, d.span.line) for d in analyze_source(source).diagnostics]
    assert found == [("KC403", 6)]


def test_a_layer_whose_name_is_not_known_is_named_by_its_type():
    # A Conv2D made under a condition the analysis cannot decide leaves the next one's automatic name unknown: the
    # message says "the Conv2D", not "?".
    source = ("import os\nimport keras\nfrom keras import layers\n\nif os.environ.get('DEEP'):\n"
              "    extra = layers.Conv2D(4, 1)\n"
              "model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3), layers.BatchNormalization()])\n")
    (d,) = analyze_source(source).diagnostics
    assert d.code == "KC403" and d.message.startswith("the bias of the Conv2D (16 params) is cancelled by ")



def test_messages_name_a_layer_whose_keras_name_is_not_known_by_its_class():
    """A layer named by a value the analysis does not know (``name=os.environ[...]``): Keras gives it that name,
    which the source does not say, so findings call it "the Dense" (or "a Dense of 1 unit"), never "?"."""
    report = analyze_source(textwrap.dedent("""\
        import os
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((8,)), layers.Dense(16),
                                  layers.Dense(1, activation="softmax", name=os.environ["HEAD"])])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """), "m.py", Config())
    messages = {d.code: d.message for d in report.diagnostics}
    assert messages["KC303"].startswith("the Dense applies softmax to a single unit")
    assert "feeds a Dense of 1 unit:" in messages["KC505"]
    assert not any("?" in d.message for d in report.diagnostics)


def test_adadelta_rate_the_rule_names_is_the_one_keras_gives():
    """KC311's premise, from real Keras: Adadelta() and the string 'adadelta' (any case) train at the rate the
    message names, a thousand times below the 1.0 Keras 1/2 used."""
    import keras

    from kerascount.rules.training import ADADELTA_DEFAULT

    for optimizer in (keras.optimizers.Adadelta(), keras.optimizers.get("adadelta"), keras.optimizers.get("ADADELTA")):
        assert type(optimizer).__name__ == "Adadelta"
        assert abs(float(optimizer.learning_rate) - ADADELTA_DEFAULT) < 1e-9
    found, diags = _codes("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.Input((4,)), "
                          "tf.keras.layers.Dense(1)])\nm.compile(optimizer='adadelta', loss='mse')\n", "KC311")
    assert found == [("KC311", 3)] and f"that is {ADADELTA_DEFAULT:g}," in diags[0].message, diags


def test_one_sample_of_the_training_array_is_told_from_the_code_alone():
    """KC701 without shapes: `predict(x[0])` of the array `fit(x, y)` took, in the same function and not assigned
    since; not for a mask or array of indices, a loop over items, a prediction before fit, or a model of two
    inputs (a list of arrays is indexed too)."""
    head = ("import numpy as np\nimport keras\n\ndef run(path):\n    x = np.load(path)\n    y = np.load(path + '.y')\n"
            "    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])\n"
            "    model.compile('adam', loss='mse')\n")
    fit = "    model.fit(x, y)\n"
    found = _codes(head + fit + "    for k, row in enumerate(x):\n        model.predict(x[k])\n", "KC701")[0]
    assert found == [("KC701", 11)]
    assert _codes(head + fit + "    model.predict(x[-1])\n", "KC701")[0] == [("KC701", 10)]
    for after in ("    mask = y > 0\n    model.predict(x[mask])\n", "    for i in [0, 1]:\n        model.predict(x[i])\n",
                  "    i = 0\n    model.predict(x[i])\n", "    model.predict(x[0][None])\n"):
        assert _codes(head + fit + after, "KC701")[0] == [], after
    assert _codes(head + "    model.predict(x[0])\n" + fit, "KC701")[0] == []
    two = ("import numpy as np\nimport keras\na, b = keras.Input((4,)), keras.Input((3,))\n"
           "model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))\n"
           "model.compile('adam', loss='mse')\nx = [np.load('a.npy'), np.load('b.npy')]\ny = np.load('y.npy')\n"
           "model.fit(x, y)\nmodel.predict(x[0])\n")
    assert _codes(two, "KC701")[0] == []


def test_global_pooling_that_keeps_its_axes_feeds_a_convolution():
    # fixtures/faults/clean/squeeze_excite_after_foreign_stem.py (hold-out 15, an EfficientNetV2 squeeze-and-excite
    # block): GlobalAveragePooling2D(keepdims=True) gives (batch, 1, 1, channels), a feature map for Conv2D. KC503
    # read every global pooling as flattening. Without keepdims (or with keepdims=False) the finding stays.
    from test_fixtures import REPO_ROOT

    src = (REPO_ROOT / "fixtures/faults/clean/squeeze_excite_after_foreign_stem.py").read_text()
    assert _codes(src, "KC503")[0] == []
    assert _codes(src.replace("keepdims=True", "keepdims=flag"), "KC503")[0] == []  # not known: no finding
    for flat in ("()", "(keepdims=False)"):
        assert _codes(src.replace("(keepdims=True)", flat), "KC503")[0] == [("KC503", 11)]
