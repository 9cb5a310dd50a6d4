"""Code pasted with part of its imports: a Keras layer name it never imports is read as Keras's."""

from __future__ import annotations

import textwrap

from kerascount.api import analyze_source
from kerascount.config import Config


def _codes(source: str):
    report = analyze_source(textwrap.dedent(source), "m.py", Config())
    return report, [(d.code, d.span.line) for d in report.diagnostics]


def test_an_unimported_layer_name_is_read_as_keras_with_a_note():
    report, codes = _codes("""\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        model = Sequential()
        model.add(Dense(64, activation="relu", input_shape=(10,)))
        model.add(Dropout(0.5))
        model.add(BatchNormalization())
        model.add(Dense(1, activation="sigmoid"))
        """)
    assert ("KC504", 5) in codes and ("KC904", 6) in codes
    assert [r.layer.type for r in report.models[0].rows] == ["Dense", "Dropout", "BatchNormalization", "Dense"]
    assert isinstance(report.models[0].total, int)  # an exact count: every layer is known


def test_a_star_import_of_another_module_may_define_the_name():
    report, codes = _codes("""\
        from keras.models import Sequential
        from keras.layers import Dense
        from mylayers import *
        model = Sequential([Dense(8, input_shape=(4,)), BatchNormalization(), Dense(1)])
        """)
    assert not any(code == "KC904" for code, _ in codes)
    assert not isinstance(report.models[0].total, int)  # BatchNormalization may be mylayers'


def test_a_file_that_does_not_import_keras_is_not_read_as_keras():
    report, codes = _codes("""\
        import torch
        model = Sequential(Dense(3))
        """)
    assert not report.models and not codes


def test_a_star_import_of_an_application_module_binds_only_its_applications():
    # keras.applications.resnet50 exports ResNet50 (and its preprocess_input/decode_predictions), not Input
    # nor Dense: those stay what `from keras.layers import *` made them
    report, codes = _codes("""\
        from keras.layers import *
        from keras.applications.resnet50 import *
        from keras.models import Model
        inp = Input(shape=(6,))
        model = Model(inp, Dense(2)(inp))
        base = ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        """)
    # (real Keras's counts: the base's from fixtures/applications/resnet50_feature_extractor.py, the model's that of
    # the same layers spelled out, which the fixtures check)
    import json
    from pathlib import Path

    from test_interpreter2 import spelled_total

    truth = json.loads((Path(__file__).parent.parent / "fixtures/applications/resnet50_feature_extractor.keras.json")
                       .read_text())
    totals = {m.model.name: m.total for m in report.models}
    assert totals["model"] == spelled_total(6, "layers.Dense(2)")
    assert totals["base"] == next(m["total_params"] for m in truth["models"] if m["name"] == "base")
    assert not any(code == "KC904" for code, _ in codes)


def test_a_constant_like_name_is_not_bound_by_a_star_import_of_keras_layers():
    # keras.layers exports no `INPUT_SHAPE`: a name the file never defines (another notebook cell's) may hold a
    # tuple, so the model waits for the program, with no KC103 "shape is not a tuple"; keras.layers's own upper-case
    # names (LSTM, GRU) are still its layers
    for head in ("", "from keras.layers import *\nfrom keras.models import *\n"):
        report, codes = _codes(head + textwrap.dedent("""\
            model = Sequential()
            model.add(Conv2D(8, kernel_size=3, input_shape=INPUT_SHAPE, padding="same"))
            model.add(Flatten())
            model.add(Dense(1))
            """))
        assert not any(code == "KC103" for code, _ in codes), codes
        (model,) = report.models
        assert model.status == "unknown" and "INPUT_SHAPE" in " ".join(model.reasons)
    report, codes = _codes("from keras.layers import *\nfrom keras.models import *\n"
                           "m = Sequential([Input((5, 3)), LSTM(4), Dense(1)])\n")
    # (real Keras: LSTM(4) on 3 features: 4 * 4 * (3 + 4 + 1) = 128; Dense(1): 5)
    assert (report.models[0].status, report.models[0].total) == ("exact", 133)
