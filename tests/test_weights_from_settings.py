"""An application whose ``weights`` is read from settings the analysis does not see (``weights=cfg.weights``): known
where weights=None and "imagenet" build the same model (fixtures/applications/weights_from_settings.py checks those
against Keras); unknown, saying why, where only one of them builds it or they differ."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source


def _model(call: str):
    src = f"import keras\n\ndef build(cfg):\n    return keras.applications.{call}\n"
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    (model,) = report.models
    return model


def test_without_the_classifier_both_ways_build_the_same_model():
    model = _model("MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=cfg.weights)")
    assert model.status == "exact"


@pytest.mark.parametrize("call, why", [
    # imagenet's classifier has 1000 classes (Keras raises ValueError for 10 with weights="imagenet")
    ("ResNet50(weights=cfg.weights, classes=10)", "with weights='imagenet' Keras raises"),
    # imagenet's weights need 3 channels
    ("DenseNet121(input_shape=(64, 64, 1), include_top=False, weights=cfg.weights)",
     "with weights='imagenet' Keras raises"),
    # MobileNet is named after the input size only with imagenet's weights
    ("MobileNet(input_shape=(100, 100, 3), include_top=False, weights=cfg.weights)", "build different models"),
])
def test_where_the_weights_decide_the_model_it_is_not_known(call, why):
    model = _model(call)
    assert model.status == "unknown" and model.total is None
    assert any(why in reason for reason in model.reasons), model.reasons
