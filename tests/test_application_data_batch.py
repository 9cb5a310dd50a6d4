"""A pretrained base inside a Sequential that has no input shape of its own and is built by ``fit`` on a folder
of images (``image_dataset_from_directory``): Keras builds the Sequential on the first batch, whose size is a
symbol here (``min(32, images in "pics")``), and runs the base, built for ``(None, 128, 128, 3)``, on it. Only
the batch differs, which a model built for a batch of None takes: the base's weights stay its own, and the
numbers of the Sequential are symbolic in the classes of the folder only.

Keras (keras-marked probe) builds the same Sequential as ``fit`` does, on a first batch of arrays, at two batch
sizes and two numbers of classes; its totals are the formula's at those classes, whatever the batch.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import symbol_names
from test_catalogue_keras import keras_probe
from test_interpreter2 import _at

HEAD = "import keras\nfrom keras import layers\n"

STACK = ("augment = keras.Sequential([layers.RandomFlip('horizontal'), layers.RandomRotation(0.1)])\n"
         "base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(128, 128, 3))\n"
         "base.trainable = False\n"
         "model = keras.Sequential([augment, layers.Rescaling(1 / 127.5, offset=-1), base,\n"
         "                          layers.GlobalAveragePooling2D(), layers.Dense(CLASSES, activation='softmax')])\n")

FOLDER = ("train = keras.utils.image_dataset_from_directory('pics', image_size=(128, 128))\n"
          "CLASSES = len(train.class_names)\n" + STACK +
          "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(train, epochs=1)\n")

PROBE = r"""
import json, sys
import numpy as np
import keras
out = {}
for key, (body, classes, batch) in json.loads(sys.argv[1]).items():
    g = {"CLASSES": classes, "np": np}
    exec(body, g)
    m = g["model"]
    # (what fit does before its first step, which the numpy backend's fit does not run: build on the first batch)
    m._symbolic_build((np.zeros((batch, 128, 128, 3), "float32"), np.zeros((batch,), "int32")))
    out[key] = [m.count_params(), sum(int(np.prod(w.shape)) for w in m.trainable_weights)]
print(json.dumps(out))
"""

#: (classes, batch) the Keras runs take.
RUNS = ((3, 16), (7, 5))


def _models():
    report = analyze_source(HEAD + FOLDER, "t.py")
    assert report.internal_error is None
    return {m.model.name: m for m in report.models}


def test_base_in_a_sequential_built_on_a_folder_batch():
    models = _models()
    model = models["model"]
    assert model.status == "symbolic", model.reasons
    (symbol,) = symbol_names(model.total)
    assert "class_names" in symbol
    assert models["base"].status == "exact" and models["augment"].status == "exact"
    # the first batch's size: the folder's images, at most 32
    assert "images in" in str(models["augment"].inputs[0][0])


@pytest.mark.keras
def test_keras_agrees_at_each_number_of_classes():
    counts = keras_probe(PROBE, {f"{c}/{b}": [HEAD + STACK, c, b] for c, b in RUNS})
    model = _models()["model"]
    (symbol,) = symbol_names(model.total)
    for classes, batch in RUNS:
        total, trainable = counts[f"{classes}/{batch}"]
        assert _at(model.total, {symbol: classes}) == total
        assert _at(model.trainable, {symbol: classes}) == trainable
