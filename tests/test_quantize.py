"""``layer.quantize(mode)`` and ``model.quantize(mode)`` replace a layer's float weights after the model is built
(Keras 3: an int8 kernel and its scales, so more parameters in fewer bytes). kerascount does not follow the
quantized weights: a model quantize reaches has unknown counts, never the float ones real Keras contradicts.
The numbers below come from real Keras (``tests/data/quantized_weights.keras.json``, written by
``tools/keras_truth.py``)."""

from __future__ import annotations

import json
from pathlib import Path

from kerascount.api import analyze_source

DATA = Path(__file__).resolve().parent / "data"
SOURCE = DATA / "quantized_weights.py"


def _truth() -> dict:
    return {m["name"]: m for m in json.loads(SOURCE.with_suffix(".keras.json").read_text())["models"]}


def _models(src: str) -> dict:
    report = analyze_source(src, "m.py")
    assert report.internal_error is None, report.internal_error
    return {m.model.name: m for m in report.models}


def test_quantized_models_are_unknown_and_the_untouched_one_exact():
    truth, models = _truth(), _models(SOURCE.read_text())
    for name in ("one_layer", "whole", "by_index"):
        # real Keras: the quantized counts are not the float ones (Dense(20) on 3 inputs and Dense(1): 101)
        assert truth[name]["total_params"] not in (None, 101, 66)
        assert models[name].total is None, (name, models[name].total)
    assert models["untouched"].total == truth["untouched"]["total_params"] == 101


def test_without_quantize_the_same_models_are_exact():
    src = "\n".join(line for line in SOURCE.read_text().splitlines() if ".quantize(" not in line)
    models = _models(src)
    assert models["one_layer"].total == models["whole"].total == 101
    assert models["by_index"].total == 6 * 8 + 8 + 8 * 2 + 2
