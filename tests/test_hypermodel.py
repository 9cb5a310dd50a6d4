"""A KerasTuner search space written as a class: ``class CNNHyperModel(kt.HyperModel)`` with ``build(self, hp)``, an
instance of which the file hands to a tuner, which calls ``build`` (the file does not). kerascount reads KerasTuner's
``HyperModel`` as the class KerasTuner writes (extract/known_helpers.py) and runs such a ``build`` at the end on an
instance made by the class's ``__init__`` (its parameters symbols, or its defaults), ``hp.Int``/``hp.Choice`` sizes
symbols, as it runs a builder function nothing calls. Before, the class's base was not known and the file had no model
(hold-out 55: three KerasTuner projects). Real Keras (a stand-in ``keras_tuner`` whose ``HyperModel`` is KerasTuner's,
wrapper of ``build`` included, and an ``hp`` of fixed values) builds the same models: the symbols, given the values
Keras saw, give its counts."""

from __future__ import annotations

from test_catalogue_keras import keras_probe
from test_fixtures import evaluate_symbolic

from kerascount.api import analyze_source
from kerascount.symbolic import render

SRC = """import keras
import keras_tuner as kt
from keras import layers


class CNNHyperModel(kt.HyperModel):
    def __init__(self, input_shape, num_classes):
        self.input_shape = input_shape
        self.num_classes = num_classes

    def build(self, hp):
        model = keras.Sequential()
        model.add(layers.Conv2D(16, 3, activation="relu", input_shape=self.input_shape))
        model.add(layers.MaxPooling2D(2))
        model.add(layers.Conv2D(hp.Choice("filters", [32, 64]), 3, activation="relu"))
        model.add(layers.Flatten())
        model.add(layers.Dense(hp.Int("units", min_value=32, max_value=128, step=32),
                               activation=hp.Choice("act", ["relu", "tanh"])))
        model.add(layers.Dropout(hp.Float("rate", 0.0, 0.5)))
        model.add(layers.Dense(self.num_classes, activation="softmax"))
        return model


class Widths(kt.HyperModel):
    def __init__(self, width=12, **kwargs):
        super().__init__(**kwargs)
        self.width = width

    def build(self, hp):
        inputs = keras.Input((6,))
        x = layers.Dense(self.width)(inputs)
        for i in range(2):
            x = layers.Dense(hp.Int(f"units_{i}", 4, 16))(x)
        return keras.Model(inputs, layers.Dense(1)(x))


tuner = kt.RandomSearch(CNNHyperModel(input_shape=(28, 28, 1), num_classes=10), objective="val_accuracy")
"""

PROBE = """
import json, sys, types

class HyperModel:  # KerasTuner 1.4's
    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable
        self._build = self.build
        self.build = self._build_wrapper

    def build(self, hp):
        raise NotImplementedError

    def _build_wrapper(self, hp, *args, **kwargs):
        return self._build(hp, *args, **kwargs)

class HP:
    values = {"filters": 64, "units": 96, "act": "tanh", "rate": 0.2, "units_0": 5, "units_1": 11}
    def Int(self, name, *args, **kwargs):
        return self.values[name]
    Choice = Float = Int

kt = types.ModuleType("keras_tuner")
kt.HyperModel = HyperModel
kt.RandomSearch = lambda *args, **kwargs: None
sys.modules["keras_tuner"] = kt
scope = {}
exec(json.loads(sys.argv[1]), scope)
cnn = scope["CNNHyperModel"]((28, 28, 1), 10).build(HP())
widths = scope["Widths"]().build(HP())
print(json.dumps({"cnn": cnn.count_params(), "widths": widths.count_params(), "values": HP.values}))
"""


def test_hypermodel_build_is_run_as_a_tuner_runs_it():
    truth = keras_probe(PROBE, SRC)
    report = analyze_source(SRC, "m.py")
    assert report.internal_error is None
    models = {m.model.span.line: m for m in report.models}
    assert sorted(models) == [12, 34], [(m.model.span.line, m.status) for m in report.models]
    symbols = {f"hp.Int('{n}')": v for n, v in truth["values"].items()}
    symbols.update({f"hp.Choice('{n}')": v for n, v in truth["values"].items()})
    symbols.update({"input_shape[0]": 28, "input_shape[1]": 28, "input_shape[2]": 1, "num_classes": 10})
    cnn, widths = models[12], models[34]
    assert cnn.status == "symbolic" and evaluate_symbolic(render(cnn.total), symbols) == truth["cnn"], render(cnn.total)
    assert widths.status == "symbolic" and evaluate_symbolic(render(widths.total), symbols) == truth["widths"], \
        render(widths.total)


def test_hypermodel_instantiated_with_other_arguments_than_its_defaults_is_not_run_on_them():
    # the file's instance has 3 classes; a run on the defaults would make 10: not run (no model rather than another)
    src = ("import keras\nimport keras_tuner as kt\nfrom keras import layers\n"
           "class H(kt.HyperModel):\n    def __init__(self, num_classes=10):\n        self.num_classes = num_classes\n"
           "    def build(self, hp):\n"
           "        return keras.Sequential([keras.Input((8,)), layers.Dense(self.num_classes)])\n"
           "tuner = kt.RandomSearch(H(num_classes=3), objective='val_loss')\n")
    assert not analyze_source(src, "m.py").models


def test_a_build_the_file_calls_is_not_run_again():
    src = ("import keras\nimport keras_tuner as kt\nfrom keras import layers\n"
           "class H(kt.HyperModel):\n    def build(self, hp):\n"
           "        return keras.Sequential([keras.Input((8,)), layers.Dense(hp.Int('u', 2, 6))])\n"
           "model = H().build(kt.HyperParameters())\n")
    models = analyze_source(src, "m.py").models
    assert len(models) == 1 and render(models[0].total) == "9*hp.Int('u')"


def test_hypermodel_written_out_through_the_package():
    # `import kerastuner` then `kerastuner.engine.hypermodel.HyperModel` (KerasTuner before 1.1): the same class.
    src = ("import kerastuner\nimport keras\nfrom keras import layers\n"
           "class H(kerastuner.engine.hypermodel.HyperModel):\n    def build(self, hp):\n"
           "        return keras.Sequential([keras.Input((8,)), layers.Dense(hp.Int('units', 4, 16)), layers.Dense(1)])\n")
    models = analyze_source(src, "m.py").models
    # Dense(8 -> u): 8u + u; Dense(u -> 1): u + 1
    assert len(models) == 1 and render(models[0].total) == "10*hp.Int('units') + 1"
