"""KC117's tables of the names compile takes (kerascount/catalogue/identifiers.py) against Keras's own, and its
reading of misspellings: one edit away for short names, two for names of twelve letters and more, the letter case
aside; names of older Keras and names far from any of Keras's are left alone."""

from __future__ import annotations

import pytest
from test_catalogue_keras import keras_probe

from kerascount.api import analyze_source
from kerascount.catalogue import identifiers

PROBE = """
import json, sys
import keras
from keras.src.losses import ALL_OBJECTS_DICT as LOSSES
from keras.src.metrics import ALL_OBJECTS_DICT as METRICS
from keras.src.optimizers import ALL_OBJECTS_DICT as OPTIMIZERS

out = {"optimizers": sorted(k.lower() for k in OPTIMIZERS), "losses": sorted(LOSSES), "metrics": sorted(METRICS)}
raised = {}
for role, name in json.loads(sys.argv[1]):
    get = {"optimizer": keras.optimizers.get, "loss": keras.losses.get, "metric": keras.metrics.get}[role]
    try:
        get(name)
        raised[role + ":" + name] = False
    except ValueError:
        raised[role + ":" + name] = True
out["raised"] = raised
print(json.dumps(out))
"""

SLIPS = [("optimizer", "adma", "adam"), ("optimizer", "rmsporp", "rmsprop"),
         ("loss", "binaray_crossentropy", "binary_crossentropy"), ("loss", "Mse", "MSE"),
         ("loss", "mean_square_error", "mean_squared_error"), ("loss", "categorical_crosentropy",
                                                                "categorical_crossentropy"),
         ("metric", "accuarcy", "accuracy"), ("metric", "precison", "precision")]
LEFT_ALONE = [("optimizer", "Adam"), ("loss", "logcosh"), ("loss", "cosine_proximity"), ("loss", "focal"),
              ("loss", "dice_loss"), ("metric", "fmeasure"), ("metric", "f1"), ("metric", "ACC"),
              ("metric", "my_score")]


@pytest.mark.keras
def test_tables_are_keras_names_and_slips_are_rejected():
    truth = keras_probe(PROBE, [(role, name) for role, name, _ in SLIPS])
    assert sorted(identifiers.OPTIMIZERS) == truth["optimizers"]
    assert sorted(identifiers.LOSSES) == truth["losses"]
    assert sorted(identifiers.METRICS - {"acc", "crossentropy", "ce"}) == truth["metrics"]
    # each slip is one Keras rejects (compile's own "accuracy" aside, which is not a slip)
    assert all(truth["raised"].values()), truth["raised"]


@pytest.mark.parametrize("role,name,meant", SLIPS)
def test_slips(role, name, meant):
    assert identifiers.misspelt_compile_name(role, name) == meant


@pytest.mark.parametrize("role,name", LEFT_ALONE)
def test_left_alone(role, name):
    assert identifiers.misspelt_compile_name(role, name) is None


def test_reported_at_the_string_with_the_name_meant():
    source = ("import keras\nfrom keras import layers\n"
              "m = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation='sigmoid')])\n"
              "m.compile(optimizer='adam', loss=['binary_crossentrophy'], metrics=['acc', 'accuarcy'])\n")
    found = [(d.code, d.span.line, d.span.column, d.message.split(" is not")[0]) for d in
             analyze_source(source, "m.py").diagnostics if d.code == "KC117"]
    assert found == [("KC117", 4, 35, "loss 'binary_crossentrophy'"), ("KC117", 4, 76, "metric 'accuarcy'")]


LEGACY_PROBE = """
import json, sys
import keras

out = {}
for role, old, new in json.loads(sys.argv[1]):
    get = {"loss": keras.losses.get, "metric": keras.metrics.get}[role]
    try:
        get(old)
        rejected = False
    except ValueError:
        rejected = True
    get(new)  # (raises, failing the probe, if Keras 3 has no such name)
    out[role + ":" + old] = rejected
print(json.dumps(out))
"""


@pytest.mark.keras
def test_keras2_names_are_rejected_by_keras3_and_their_replacements_are_not():
    cases = [(role, old, new) for role, names in identifiers.LEGACY_COMPILE_NAMES.items() for old, new in names.items()]
    truth = keras_probe(LEGACY_PROBE, cases)
    assert all(truth.values()), truth


@pytest.mark.parametrize("given,said", [
    ("'adam', 'logcosh'", "loss 'logcosh' is a Keras 2 name"),
    ("'adam', loss={'out': 'cosine_proximity'}", "loss 'cosine_proximity' is a Keras 2 name"),
    ("'adam', 'mse', metrics=['mae', 'fmeasure']", "metric 'fmeasure' is a Keras 2 name"),
])
def test_keras2_names_are_kc404_not_kc117(given, said):
    source = ("import keras\nfrom keras import layers\n"
              "model = keras.Sequential([keras.Input((4,)), layers.Dense(1, name='out')])\n"
              f"model.compile({given})\n")
    found = [(d.code, d.message.split(":")[0]) for d in analyze_source(source, "m.py").diagnostics
             if d.code in ("KC117", "KC404")]
    assert found == [("KC404", said)]
