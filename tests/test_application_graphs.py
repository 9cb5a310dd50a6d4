"""keras.applications layer by layer (kerascount/catalogue/application_graphs.py): every row computed through
the catalogue from the stored graph equals what real Keras builds, and the totals equal the verified table
(applications.json, which tests/test_applications.py checks against Keras) at many input shapes, with and
without the top, with either pooling and other classes."""

from __future__ import annotations

import re

import pytest

import kerascount.catalogue as catalogue
from kerascount.catalogue import application_graphs as graphs
from kerascount.catalogue import applications as apps
from kerascount.catalogue.spec import ShapeError
from test_catalogue_keras import keras_probe

#: Input shapes (height, width, channels) tried for every stored application, odd sizes included (Keras's
#: correct_pad pads one less before an even size).
SHAPES = [None, (224, 224, 3), (299, 299, 3), (97, 131, 3), (200, 240, 1), (256, 193, 4), (75, 75, 3),
          (129, 257, 3), (331, 260, 2)]


def _table(name, shape):
    kwargs = {"include_top": False, "weights": None}
    if shape is not None:
        kwargs["input_shape"] = shape
    return apps.evaluate(apps.lookup(name), (), kwargs)


def test_some_applications_are_stored_and_the_file_is_small():
    import os

    assert {"DenseNet121", "ResNet50", "MobileNetV2", "MobileNetV3Small", "EfficientNetB0", "VGG16"} <= \
        set(graphs.names())
    assert os.path.getsize(graphs._PATH) < 200_000


@pytest.mark.parametrize("name", graphs.names())
def test_totals_and_output_equal_the_table(name):
    checked = 0
    for shape in SHAPES:
        try:
            table = _table(name, shape)
        except ShapeError:
            continue  # Keras rejects the size: nothing to compare
        rows = graphs.layers(name, table.input_shape[1:])
        assert (sum(r.trainable for r in rows), sum(r.non_trainable for r in rows)) == \
            (table.trainable, table.non_trainable), shape
        assert graphs.output_shape(rows) == table.output_shape, shape
        checked += 1
    assert checked >= 3


#: include_top / pooling / classes variants: (keyword arguments, input shape or None).
VARIANTS = [({"include_top": True}, None), ({"include_top": True, "classes": 7}, None),
            ({"include_top": True, "classes": 3}, (224, 224, 1)), ({"include_top": False, "pooling": "avg"}, None),
            ({"include_top": False, "pooling": "max"}, (97, 131, 3)), ({"include_top": False, "pooling": "avg"},
                                                                         (256, 193, 4))]


@pytest.mark.parametrize("name", graphs.names())
def test_tops_and_pooling_equal_the_table(name):
    checked = 0
    for kwargs, shape in VARIANTS:
        kwargs = {"weights": None, **kwargs, **({"input_shape": shape} if shape else {})}
        try:
            table = apps.evaluate(apps.lookup(name), (), dict(kwargs))
        except ShapeError:
            continue
        rows = graphs.layers(name, table.input_shape[1:], kwargs["include_top"], kwargs.get("pooling"),
                             kwargs.get("classes", 1000))
        assert rows is not None, kwargs
        assert (sum(r.trainable for r in rows), sum(r.non_trainable for r in rows), graphs.output_shape(rows)) == \
            (table.trainable, table.non_trainable, table.output_shape), kwargs
        checked += 1
    assert checked >= 4


def test_an_application_not_stored_is_none():
    assert graphs.layers("NASNetMobile", (224, 224, 3)) is None


def test_application_only_layers_are_not_looked_up_for_user_code():
    """CustomScaleLayer is in InceptionResNetV2's graph, not in ``keras.layers``: a user class of that name is
    the user's own."""
    assert "InceptionResNetV2" in graphs.names()
    assert catalogue.lookup("CustomScaleLayer") is None
    assert catalogue.application_layer("CustomScaleLayer").name == "CustomScaleLayer"
    assert catalogue.application_layer("LayerScale") is None
    assert catalogue.application_layer("Dense") is catalogue.lookup("Dense")


PROBE = r"""
import json, sys
import keras
out = {}
for name, shape, kwargs in json.loads(sys.argv[1]):
    model = getattr(keras.applications, name)(weights=None, input_shape=tuple(shape), **kwargs)
    # model.operations: the layers and the operations on tensors (x + 3.0), as model.summary() lists them.
    out[name] = [[l.name, type(l).__name__, list(l.output.shape),
                  sum(int(w.numpy().size) for w in getattr(l, "trainable_weights", [])),
                  sum(int(w.numpy().size) for w in getattr(l, "non_trainable_weights", []))]
                 for l in model.operations]
    keras.backend.clear_session()
print(json.dumps(out))
"""

ROW_CASES = [("DenseNet121", (160, 160, 3), {"include_top": False}),
             ("MobileNetV2", (97, 131, 3), {"include_top": False, "pooling": "max"}),
             ("EfficientNetB0", (115, 96, 3), {"include_top": False, "pooling": "avg"}),
             ("ResNet50", (64, 80, 1), {"include_top": False}),
             ("MobileNet", (224, 224, 3), {"include_top": True, "classes": 5}),
             ("VGG16", (224, 224, 3), {"include_top": True, "classes": 10}),
             ("MobileNetV3Small", (224, 224, 3), {"include_top": True, "classes": 4}),
             ("MobileNetV3Large", (129, 97, 3), {"include_top": False, "pooling": "avg"}),
             # A layer only the application builds: InceptionResNetV2's CustomScaleLayer.
             ("InceptionResNetV2", (75, 75, 3), {"include_top": False, "pooling": "max"})]


@pytest.mark.keras
def test_every_row_equals_keras():
    """Name, class, output shape and weights of every layer, as real Keras builds the application."""
    truth = keras_probe(PROBE, [[n, list(s), kw] for n, s, kw in ROW_CASES])
    for name, shape, kwargs in ROW_CASES:
        ours = [[r.name, r.type, list(r.output_shape), r.trainable, r.non_trainable]
                for r in graphs.layers(name, shape, kwargs["include_top"], kwargs.get("pooling"),
                                       kwargs.get("classes", 1000))]
        assert ours == truth[name], name


#: Applications in fixtures/applications/ whose truth (tools/keras_truth.py) lists their layers: (fixture, model
#: name in the truth, arguments of the call).
FIXTURE_APPS = [
    ("densenet_seed", "densenet_121_model", ("DenseNet121", (224, 224, 1), False, "avg", 1000)),
    ("densenet_seed", "densenet_121_model_512", ("DenseNet121", (512, 512, 1), False, "avg", 1000)),
    ("efficientnet_no_top_gray", "model", ("EfficientNetB0", (96, 120, 1), False, None, 1000)),
    ("mobilenet_v2_standalone", "model", ("MobileNetV2", (160, 160, 3), True, None, 10)),
    ("resnet50_feature_extractor", "base", ("ResNet50", (200, 300, 3), False, "avg", 1000)),
]


@pytest.mark.parametrize("fixture,model,call", FIXTURE_APPS, ids=[f"{f}:{m}" for f, m, _ in FIXTURE_APPS])
def test_rows_equal_the_fixture_truth(fixture, model, call):
    """The seed's DenseNet121 (7,031,232 params in the base with pooling, 83,648 non-trainable) among them."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "fixtures" / "applications" / f"{fixture}.keras.json"
    (truth,) = [m for m in json.loads(path.read_text())["models"] if m["name"] == model]
    rows = graphs.layers(*call)
    ours = [[r.type, list(r.output_shape), r.trainable + r.non_trainable] for r in rows]
    expected = [[row["type"], row["output_shape"], row["params"]] for row in truth["layers"]]
    assert ours == expected
    # Layer names too, but the input's, and up to the counter of automatic names (zero_padding2d_2 in the
    # file's second application): Keras numbers those with the file's other layers.
    def plain(name: str, kind: str) -> str:
        auto = catalogue.snake_case(kind)
        return auto if re.fullmatch(f"{auto}(_[0-9]+)?", name) else name

    assert [plain(r.name, r.type) for r in rows][1:] == \
        [plain(row["name"], row["type"]) for row in truth["layers"]][1:]
    assert sum(r.trainable + r.non_trainable for r in rows) == truth["total_params"]
    if truth["trainable_params"]:  # (resnet50_feature_extractor freezes its base: all non-trainable)
        assert sum(r.non_trainable for r in rows) == truth["non_trainable_params"]
