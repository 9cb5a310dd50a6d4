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


def test_every_application_is_stored():
    """Each application of the verified table lists its layers (ConvNeXt and NASNet too); another name has none."""
    assert set(graphs.names()) == set(apps.names())
    assert graphs.layers("NotAnApplication", (224, 224, 3)) is None


def test_application_only_layers_are_not_looked_up_for_user_code():
    """CustomScaleLayer (InceptionResNetV2), LayerScale and StochasticDepth (ConvNeXt) are built by applications,
    not exported by ``keras.layers``: a user class of that name is the user's own."""
    for name in ("CustomScaleLayer", "LayerScale", "StochasticDepth"):
        assert catalogue.lookup(name) is None
        assert catalogue.application_layer(name).name == name
    assert catalogue.application_layer("Dense") is catalogue.lookup("Dense")


LAYER_PROBE = r"""
import json, sys
import keras
from keras.src.applications.convnext import LayerScale, StochasticDepth
out = []
for kind, args, shape in json.loads(sys.argv[1]):
    layer = {"LayerScale": LayerScale, "StochasticDepth": StochasticDepth}[kind](*args)
    try:
        y = layer(keras.Input(batch_shape=tuple(shape)))
        out.append([list(y.shape), sum(int(w.numpy().size) for w in layer.trainable_weights),
                    sum(int(w.numpy().size) for w in layer.non_trainable_weights)])
    except Exception as exc:
        out.append(type(exc).__name__)
print(json.dumps(out))
"""

LAYER_CASES = [("LayerScale", [1e-6, 96], [None, 7, 7, 96]), ("LayerScale", [0.5, 12], [None, 5, 1]),
               ("LayerScale", [0.5, 12], [4, 12]), ("LayerScale", [0.5, 12], [None, 3, 5]),
               ("StochasticDepth", [0.1], [None, 9, 9, 32]), ("StochasticDepth", [0.0], [2, 3])]


@pytest.mark.keras
def test_application_layer_specs_equal_keras():
    """ConvNeXt's own layers, called alone: LayerScale broadcasts ``x * gamma`` (gamma of shape
    (projection_dim,), trainable), StochasticDepth is the identity in inference."""
    from kerascount.catalogue.spec import BoundArgs
    from kerascount.ir import LayerDef, Span

    truth = keras_probe(LAYER_PROBE, [list(c) for c in LAYER_CASES])
    for (kind, args, shape), expected in zip(LAYER_CASES, truth):
        spec = catalogue.application_layer(kind)
        bound = BoundArgs(spec, LayerDef(-1, kind, "x", tuple(args), (), Span(1, 1, 1, 1)))
        try:
            weights = spec.weights(bound, tuple(shape))
            ours = [list(spec.output_shape(bound, tuple(shape))), weights.trainable, weights.non_trainable]
        except ShapeError:
            ours = "raises"
        assert ours == ("raises" if isinstance(expected, str) else expected), (kind, args, shape)


PROBE = r"""
import json, sys
import keras

def row(l):
    return [l.name, type(l).__name__, list(l.output.shape),
            sum(int(w.numpy().size) for w in getattr(l, "trainable_weights", [])),
            sum(int(w.numpy().size) for w in getattr(l, "non_trainable_weights", []))]

out = []
for name, shape, kwargs in json.loads(sys.argv[1]):
    try:
        model = getattr(keras.applications, name)(weights=None, input_shape=tuple(shape), **kwargs)
    except Exception as exc:  # Keras rejects the input: so must kerascount
        out.append(type(exc).__name__)
        keras.backend.clear_session()
        continue
    # model.operations: the layers and the operations on tensors (x + 3.0), as model.summary() lists them; a
    # nested Sequential's layers (ConvNeXt's stem) as summary(expand_nested=True) lists them under it.
    out.append([row(l) + ([[row(s) for s in l.layers]] if isinstance(l, keras.Sequential) else [])
                for l in model.operations])
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
             ("InceptionResNetV2", (75, 75, 3), {"include_top": False, "pooling": "max"}),
             # ConvNeXt: nested Sequential stem and downsampling blocks, LayerScale, a PreStem normalization for
             # 3 channels only, a final LayerNormalization without the top.
             ("ConvNeXtTiny", (64, 96, 3), {"include_top": False}),
             ("ConvNeXtTiny", (None, None, 1), {"include_top": False, "pooling": "max"}),
             ("ConvNeXtSmall", (224, 224, 3), {"include_top": True, "classes": 6}),
             ("ConvNeXtBase", (97, 45, 2), {"include_top": False, "pooling": "avg"}),
             ("ConvNeXtTiny", (32, 40, 3), {"include_top": False, "name": "my_net"}),  # names its layers after it
             # NASNet: its adjust blocks compare widths; an open width builds other layers.
             ("NASNetMobile", (224, 224, 3), {"include_top": True, "classes": 3}),
             ("NASNetMobile", (97, 131, 3), {"include_top": False, "pooling": "avg"}),
             ("NASNetMobile", (299, 299, 3), {"include_top": False}),
             ("NASNetMobile", (None, None, 1), {"include_top": False}),
             ("NASNetMobile", (None, 66, 3), {"include_top": False, "pooling": "max"}),
             ("NASNetLarge", (None, None, 3), {"include_top": False, "pooling": "max"}),
             ("NASNetLarge", (40, 33, 3), {"include_top": False}),
             # Keras's correct_pad fails on a known height with an open width, and NASNet's cells disagree on an
             # odd width under an open height (an even padding against a "same" one): no rows.
             ("NASNetMobile", (64, None, 3), {"include_top": False}),
             ("NASNetMobile", (None, 63, 3), {"include_top": False}),
             ("MobileNetV2", (97, None, 3), {"include_top": False}),
             # An open height pads an odd width as an even one (Keras's correct_pad looks at the height alone).
             ("MobileNetV2", (None, 131, 3), {"include_top": False}),
             ("NASNetMobile", (None, 64, 3), {"include_top": False, "pooling": "max"}),
             # include_preprocessing=False: without ConvNeXt's PreStem normalization, MobileNetV3's Rescaling,
             # EfficientNetV2's Rescaling and Normalization.
             ("ConvNeXtTiny", (80, 64, 3), {"include_top": False, "include_preprocessing": False}),
             ("ConvNeXtSmall", (None, None, 3), {"include_top": False, "pooling": "avg",
                                                 "include_preprocessing": False}),
             ("ConvNeXtTiny", (48, 48, 1), {"include_top": True, "classes": 3, "include_preprocessing": False}),
             ("MobileNetV3Small", (96, 112, 3), {"include_top": True, "classes": 3, "include_preprocessing": False}),
             ("EfficientNetV2B0", (64, 64, 3), {"include_top": False, "include_preprocessing": False}),
             ("EfficientNetV2S", (97, 80, 1), {"include_top": False, "pooling": "max",
                                               "include_preprocessing": False}),
             ("EfficientNetV2B3", (96, 96, 4), {"include_top": False, "pooling": "avg",
                                                "include_preprocessing": False}),
             # EfficientNetV2B0-B3 normalize 3-channel inputs only (their Normalization marked $channels).
             ("EfficientNetV2B1", (64, 72, 1), {"include_top": False}),
             # Other widths (alpha=), stored as the arguments they change (hold-out 62: MobileNetV2(alpha=0.35)
             # encoders of U-Nets, read by get_layer and frozen by loops over their layers).
             ("MobileNetV2", (97, 131, 3), {"include_top": False, "alpha": 0.35}),
             ("MobileNetV2", (160, 160, 3), {"include_top": False, "alpha": 0.5, "pooling": "avg"}),
             ("MobileNetV2", (None, 131, 3), {"include_top": False, "alpha": 0.75}),
             ("MobileNetV2", (96, 96, 3), {"include_top": False, "alpha": 1.3}),
             ("MobileNetV2", (129, 97, 1), {"include_top": False, "alpha": 1.4, "pooling": "max"}),
             ("MobileNet", (128, 128, 3), {"include_top": False, "alpha": 0.25}),
             ("MobileNet", (97, 131, 3), {"include_top": False, "alpha": 0.5, "pooling": "avg"}),
             ("MobileNet", (None, None, 3), {"include_top": False, "alpha": 0.75}),
             ("MobileNetV3Small", (96, 112, 3), {"include_top": False, "alpha": 0.75}),
             ("MobileNetV3Large", (129, 97, 3), {"include_top": False, "alpha": 0.75, "pooling": "avg"})]


def _ours(name, shape, kwargs):
    try:
        rows = graphs.layers(name, shape, kwargs["include_top"], kwargs.get("pooling"), kwargs.get("classes", 1000),
                             kwargs.get("name"), kwargs.get("include_preprocessing", True),
                             alpha=kwargs.get("alpha"))
    except ShapeError:
        return "raises"
    return [[r.name, r.type, list(r.output_shape), r.trainable, r.non_trainable] +
            ([[[n.name, n.type, list(n.output_shape), n.trainable, n.non_trainable] for n in r.nested]]
             if r.type == "Sequential" else []) for r in rows]


def test_other_widths_are_stored_without_the_top_only():
    # MobileNet's top reshapes to the width's channels: not stored; nor a width Keras has no weights for
    assert graphs.alpha_stored("MobileNetV2", 0.35) and graphs.alpha_stored("MobileNet", 0.25)
    assert graphs.layers("MobileNetV2", (96, 96, 3), alpha=0.35) is not None
    assert graphs.layers("MobileNet", (128, 128, 3), True, alpha=0.5) is None
    assert not graphs.alpha_stored("MobileNetV2", 0.6) and graphs.layers("MobileNetV2", (96, 96, 3), alpha=0.6) is None
    assert not graphs.alpha_stored("ResNet50", 0.5) and not graphs.alpha_stored("MobileNetV2", 1)


@pytest.mark.keras
def test_every_row_equals_keras():
    """Name, class, output shape and weights of every layer, as real Keras builds the application."""
    truth = keras_probe(PROBE, [[n, list(s), kw] for n, s, kw in ROW_CASES])
    for (name, shape, kwargs), expected in zip(ROW_CASES, truth):
        ours = _ours(name, shape, kwargs)
        assert ours == ("raises" if isinstance(expected, str) else expected), (name, shape, kwargs, expected)


#: Applications in fixtures/applications/ whose truth (tools/keras_truth.py) lists their layers: (fixture, model
#: name in the truth, arguments of the call).
FIXTURE_APPS = [
    ("densenet_seed", "densenet_121_model", ("DenseNet121", (224, 224, 1), False, "avg", 1000)),
    ("densenet_seed", "densenet_121_model_512", ("DenseNet121", (512, 512, 1), False, "avg", 1000)),
    ("efficientnet_no_top_gray", "model", ("EfficientNetB0", (96, 120, 1), False, None, 1000)),
    ("mobilenet_v2_standalone", "model", ("MobileNetV2", (160, 160, 3), True, None, 10)),
    ("resnet50_feature_extractor", "base", ("ResNet50", (200, 300, 3), False, "avg", 1000)),
    # weights="imagenet" (the default): EfficientNet's Rescaling by ImageNet's deviations after its Normalization
    ("efficientnet_imagenet_rescaling", "base", ("EfficientNetB0", (96, 96, 3), False, None, 1000, None, True, True)),
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


SHAPE_PROBE = r"""
import json, sys
import keras
out = []
for name, shape, kwargs in json.loads(sys.argv[1]):
    try:
        model = getattr(keras.applications, name)(weights=None, input_shape=tuple(shape), **kwargs)
        out.append([list(model.output.shape), sum(int(w.numpy().size) for w in model.weights)])
    except Exception as exc:
        out.append(type(exc).__name__)
    keras.backend.clear_session()
print(json.dumps(out))
"""

#: Open heights and widths in the verified table, for applications that pad with correct_pad (the other variants
#: of MobileNetV2 and MobileNetV3 among them: their stored graph is the default variant's).
OPEN_CASES = [("MobileNetV2", (None, 131, 3), {"alpha": 0.35}), ("MobileNetV2", (None, 130, 3), {}),
              ("MobileNetV2", (131, None, 3), {}), ("MobileNetV3Small", (None, 97, 3), {"minimalistic": True}),
              ("MobileNetV3Large", (None, 75, 1), {"alpha": 0.75}), ("EfficientNetB0", (None, 99, 3), {}),
              ("NASNetMobile", (None, 66, 3), {}), ("NASNetMobile", (None, 67, 3), {}),
              ("NASNetMobile", (40, None, 3), {}), ("ResNet50", (None, 99, 3), {}),
              # name=None: ConvNeXt names its layers name + "_stage_0_block_0" (TypeError).
              ("ConvNeXtTiny", (32, 32, 3), {"name": None}), ("ConvNeXtTiny", (32, 32, 1), {"name": None})]


@pytest.mark.keras
def test_open_sizes_and_names_equal_keras():
    """Keras's correct_pad looks at the height alone: an open height pads an odd width as an even one, a known
    height with an open width fails (TypeError), and NASNet's cells then disagree on some odd widths. ConvNeXt
    fails with name=None."""
    truth = keras_probe(SHAPE_PROBE, [[n, list(s), {"include_top": False, **kw}] for n, s, kw in OPEN_CASES])
    for (name, shape, kwargs), expected in zip(OPEN_CASES, truth):
        try:
            table = apps.evaluate(apps.lookup(name), (), {"weights": None, "include_top": False,
                                                          "input_shape": shape, **kwargs})
            ours = [list(table.output_shape), table.trainable + table.non_trainable]
        except ShapeError:
            ours = "raises"
        assert ours == ("raises" if isinstance(expected, str) else expected), (name, shape, kwargs)
