"""A tuner's pick with few known values, taken at each of them (kerascount/alternatives.py).

A KerasTuner builder that loops ``for i in range(hp.Int("num_layers", 1, 3))`` or an Optuna objective whose
``Conv2D`` takes ``kernel_size=trial.suggest_categorical("kernel_size", [3, 5])`` makes a model whose layers or
shapes depend on the pick: unknown, and now given at each value of the pick (the ways ``hp.Int('num_layers') == 2``),
each way's numbers symbolic in the picks left open. A builder without an input shape is not built on any way, which
the ways say. ``test_every_value_is_what_keras_builds`` runs each way's builder under Keras with a stand-in ``hp``
or ``trial`` that returns that way's value (and fixed values for the other picks) and compares the counts with the
way's formula at those values."""

from __future__ import annotations

import sys

import pytest

from kerascount.api import analyze_source

LAYERS = """\
import keras
from keras import layers


def build_model(hp):
    model = keras.Sequential()
    model.add(keras.Input(shape=(12, 12)))
    model.add(layers.Flatten())
    for i in range(hp.Int("num_layers", 1, 3)):
        model.add(layers.Dense(hp.Int(f"units_{i}", min_value=8, max_value=256, step=8), activation="relu"))
    model.add(layers.Dense(4, activation="softmax"))
    return model
"""

WINDOW = """\
import keras
from keras import layers


def objective(trial):
    model = keras.Sequential()
    model.add(keras.Input(shape=(20, 20, 3)))
    model.add(layers.Conv2D(filters=trial.suggest_categorical("filters", [8, 16]),
                            kernel_size=trial.suggest_categorical("kernel_size", [3, 5]),
                            strides=trial.suggest_int("strides", 1, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(5))
    return model
"""

CHOICE_OF_DEPTH = """\
import keras
from keras import layers


def build_model(hp):
    inputs = keras.Input(shape=(6,))
    x = inputs
    for _ in range(hp.Choice("depth", [2, 4])):
        x = layers.Dense(10)(x)
    model = keras.Model(inputs, layers.Dense(1)(x))
    return model
"""

NO_INPUT = """\
import keras
from keras import layers


def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten())
    model.add(layers.Dense(hp.Int("units", 32, 128, step=32)))
    if hp.Boolean("dropout"):
        model.add(layers.Dropout(0.2))
    model.add(layers.Dense(10))
    return model
"""

#: The values the stand-ins give the picks a way leaves open (each way's own pick is set by the way).
OTHERS = {"units_0": 24, "units_1": 40, "units_2": 16, "filters": 8}


def _model(src):
    (found,) = [m for m in analyze_source(src, "m.py").models if m.model.name == "model"]
    return found


def _picks(alt):
    """The picks a way sets: {name: value}, from its conditions `hp.Int('num_layers') == 2`."""
    out = {}
    for text, _, holds in alt.way:
        assert holds is True and " == " in text, text
        call, value = text.rsplit(" == ", 1)
        out[call[call.index("(") + 2:-2]] = int(value)
    return out


class _Pick:
    """A stand-in for KerasTuner's ``HyperParameters`` and Optuna's ``Trial``: each pick's value by name."""

    def __init__(self, values):
        self.values = values

    def _get(self, name, *args, **kwargs):
        return self.values[name]

    Int = Choice = suggest_int = suggest_categorical = _get


def test_a_layer_count_from_hp_int_is_given_at_each_value():
    m = _model(LAYERS)
    assert m.status == "unknown" and m.total is None
    assert [_picks(a) for a in m.alternatives] == [{"num_layers": 1}, {"num_layers": 2}, {"num_layers": 3}]
    assert str(m.alternatives[0].total) == "149*hp.Int('units_0') + 4"  # (12*12 + 1 + 4 per unit, then 4 biases)
    assert all(line == 9 for a in m.alternatives for _, line, _ in a.way)  # (the pick's line)


def test_symbolic_kernel_sizes_are_given_at_each_pair_of_values():
    m = _model(WINDOW)
    assert m.status == "unknown"
    assert any("`trial.suggest_categorical('kernel_size')`" in r for r in m.reasons)
    assert [_picks(a) for a in m.alternatives] == [
        {"kernel_size": k, "strides": s} for k in (3, 5) for s in (1, 2)]
    assert all("trial.suggest_categorical('filters')" in str(a.total) for a in m.alternatives)  # (left open)


def test_a_choice_of_depths_is_given_at_each_choice():
    m = _model(CHOICE_OF_DEPTH)
    assert [(_picks(a), a.total) for a in m.alternatives] == [({"depth": 2}, 191), ({"depth": 4}, 411)]


def test_a_builder_without_an_input_shape_is_not_built_on_any_way():
    m = _model(NO_INPUT)
    assert m.status == "unknown"
    assert len(m.alternatives) == 2 and all(a.unbuilt and a.total is None for a in m.alternatives)
    found = [d.message for d in analyze_source(NO_INPUT, "m.py").diagnostics if d.code == "KC901"]
    assert found and "no model built (no input shape)" in found[0]


def test_no_value_is_picked_for_a_pick_with_many_values_or_an_unknown_range():
    many = LAYERS.replace('hp.Int("num_layers", 1, 3)', 'hp.Int("num_layers", 1, 20)')
    assert _model(many).alternatives == () and _model(many).status == "unknown"
    logarithmic = LAYERS.replace('hp.Int("num_layers", 1, 3)', 'hp.Int("num_layers", 1, 4, step=2, sampling="log")')
    assert _model(logarithmic).alternatives == ()  # (KerasTuner's steps multiply on a log scale)
    # The first call of a name sets its values (KerasTuner's first registration): 1 to 10 here, too many.
    again = LAYERS.replace('    for i in range(hp.Int("num_layers", 1, 3)):',
                           '    depth = hp.Int("num_layers", 1, 10)\n    for i in range(hp.Int("num_layers", 1, 3)):')
    assert _model(again).alternatives == ()


@pytest.mark.keras
def test_every_value_is_what_keras_builds(tmp_path):
    from tests.test_differential import _keras_importable

    ok, why = _keras_importable()
    if not ok:
        pytest.skip(f"`import keras` fails in {sys.executable}: {' '.join(why)}")
    from tools import campaign

    stand_in = "\n\n" + "".join(f"{line}\n" for line in (
        "class _Pick:",
        "    def __init__(self, values):",
        "        self.values = values",
        "",
        "    def _get(self, name, *args, **kwargs):",
        "        return self.values[name]",
        "",
        "    Int = Choice = suggest_int = suggest_categorical = _get",
    ))
    cases = []  # (the way's program, the model's line, the way, the values)
    for n, (src, builder) in enumerate(((LAYERS, "build_model"), (WINDOW, "objective"),
                                        (CHOICE_OF_DEPTH, "build_model"))):
        m = _model(src)
        assert m.alternatives, n
        for k, alt in enumerate(m.alternatives):
            values = {**OTHERS, **_picks(alt)}
            path = tmp_path / f"p{n}_{k}.py"
            path.write_text(src + stand_in + f"\n{builder}(_Pick({values!r}))\n")
            cases.append((str(path), m.model.span.line, alt, values))
    truths = campaign.keras_truth([c[0] for c in cases])
    for (path, line, alt, values), truth in zip(cases, truths):
        assert truth["error"] is None, (alt.way, truth["error"])
        (built,) = [t for t in truth["models"] if t["line"] == line]
        pick = _Pick(values)
        ours = [eval(str(v), {"hp": pick, "trial": pick}) for v in (alt.total, alt.trainable, alt.non_trainable)]
        assert ours == [built["total_params"], built["trainable_params"], built["non_trainable_params"]], alt.way
