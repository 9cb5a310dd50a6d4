"""Interpreter v2 (issue 12): what model code computes while it builds, checked against real Keras.

The fixtures in fixtures/interpreter2/ are checked by test_fixtures.py; here, what needs a variant of a
fixture's text, or a behaviour Keras cannot show (a file that imports nothing cannot run).
"""

from __future__ import annotations

import json
import re

import pytest

from test_fixtures import REPO_ROOT, compare_models, load_truth

from kerascount.api import analyze_source
from kerascount.report import json_
from kerascount.symbolic import Expr, render, symbol_names


def spelled_total(width: int, stack: str):
    """The total kerascount gives ``stack`` on a ``keras.Input((width,))``, the layers spelled with literal sizes (the
    fixtures check such counts against real Keras): what a model whose sizes the test reaches otherwise holds."""
    source = f"import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input(({width},)), {stack}])\n"
    (model,) = analyze_source(source, "s.py").models
    assert model.status == "exact"
    return model.total


def _report(src: str, path: str = "m.py"):
    report = analyze_source(src, path)
    assert report.internal_error is None
    return report


def test_pasted_snippet_without_imports_is_read_as_keras():
    path = "fixtures/interpreter2/pasted_snippet.py"
    source = (REPO_ROOT / path).read_text()
    stripped = re.sub(r"^(?:import|from) .*$", "", source, flags=re.MULTILINE)
    assert "import" not in stripped.replace('"""', "").split("\n", 2)[2]
    report = _report(stripped, path)
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    assert not compare_models(load_truth(path)["models"], got)
    assert [d.code for d in report.diagnostics if d.code == "KC904"] == ["KC904"]


def test_keras_package_used_but_not_imported_is_read_as_keras():
    """`keras.layers.concatenate(...)` in a snippet that imports only names from Keras (hold-out 47, the Keras
    guide's VQA example pasted in a course repository): Python raises NameError there; read as the package, as a
    layer name used but not imported is, it gives the models the fixture's truth has with `import keras`."""
    path = "fixtures/interpreter2/keras_package_unimported.py"
    source = (REPO_ROOT / path).read_text()
    stripped = source.replace("import keras\n", "\n", 1)  # (the lines stay where the truth has them)
    assert "\nimport keras" not in stripped
    report = _report(stripped, path)
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    assert len(got) == 3 and all(m["status"] == "exact" for m in got)
    assert not compare_models(load_truth(path)["models"], got)
    assert [d.message for d in report.diagnostics if d.code == "KC904"] == [
        "`keras` is used but not imported: read as the Keras package (the file imports from Keras)"]
    with_import = _report(source, path)
    assert not any(d.code == "KC904" for d in with_import.diagnostics)


def test_file_with_imports_gets_no_snippet_note():
    report = _report((REPO_ROOT / "fixtures/interpreter2/pasted_snippet.py").read_text())
    assert not any(d.code == "KC904" for d in report.diagnostics)


def test_int_shape_and_get_shape_read_what_shape_reads():
    """tf.keras's K.int_shape(x) and x.get_shape().as_list() (not in Keras 3, so no truth run): the same
    numbers as x.shape, which fixtures/interpreter2/shape_conditions.py checks against Keras."""
    program = ("import keras\nfrom keras import layers\nimport keras.backend as K\n"
               "x = keras.Input((10, 6))\nh = layers.Conv1D(12, 3)(x)\nunits = {}\n"
               "m = keras.Model(x, layers.Dense(units)(h))\n")
    legacy = _report(program.format("K.int_shape(h)[-1] + h.get_shape().as_list()[1]")).models[0]
    keras3 = _report(program.format("h.shape[-1] + h.shape[1]")).models[0]
    assert legacy.status == keras3.status == "exact"
    assert legacy.total == keras3.total and legacy.rows[-1].output_shape == keras3.rows[-1].output_shape


def test_shape_of_unknown_layer_is_unknown_not_guessed():
    report = _report(
        "import keras\nfrom keras import layers\nfrom mylib import Custom\n"
        "x = keras.Input((10,))\nh = Custom()(x)\n"
        "m = keras.Model(x, layers.Dense(h.shape[-1])(h))\n")
    m = report.models[0]
    assert m.status == "unknown" and m.total is None


def test_escape_to_a_freezing_helper_keeps_total_but_not_split():
    report = _report(
        "import keras\nfrom keras import layers\nfrom helpers import freeze_layers\n"
        "m = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\nfreeze_layers(m)\n")
    m = report.models[0]
    assert m.total == 15 and m.trainable is None


def test_argparse_and_data_dims_are_symbols():
    report = _report(
        "import argparse\nimport numpy as np\nimport keras\nfrom keras import layers\n"
        "p = argparse.ArgumentParser()\nargs = p.parse_args()\nX = np.load('x.npy')\n"
        "m = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(args.units)])\n")
    assert render(report.models[0].total) == "X.shape[1]*args.units + args.units"


def test_slice_of_unknown_shape_is_not_a_number():
    report = _report(
        "import numpy as np\nimport keras\nfrom keras import layers\nX = np.load('x.npy')\n"
        "m = keras.Sequential([layers.Dense(4, input_shape=X.shape[1:])])\n")
    assert report.models[0].total is None
    assert not any(d.severity == "error" for d in report.diagnostics)


_HOLDER = ("import sys\nimport keras\nfrom keras import layers\n"
           "class Holder:\n    def __init__(self):\n        self.model = keras.Sequential([keras.Input((4,))])\n"
           "        self.cfg = Cfg()\n"
           "class Cfg:\n    units = 3\n"
           "h = Holder()\n{change}\nh.model.add(layers.Dense(h.cfg.units))\n")


def test_plain_object_changed_in_an_undecided_branch_is_not_read_stale():
    report = _report(_HOLDER.format(change="if sys.argv[1:]:\n    h.model.add(layers.Dense(5))"))
    assert report.models[0].total is None


def test_plain_object_given_to_unseen_code_is_unknown():
    report = _report("from helpers import tweak\n" + _HOLDER.format(change="tweak(h)"))
    assert report.models[0].total is None


def test_plain_object_changed_in_a_loop_not_run_is_unknown():
    report = _report(_HOLDER.format(change="for _ in range(int(sys.argv[1])):\n    h.cfg.units = 7"))
    assert report.models[0].total is None


def test_plain_object_followed_when_nothing_hides_it():
    report = _report(_HOLDER.format(change="h.cfg.units = 7"))
    keras3 = _report("import keras\nfrom keras import layers\n"
                     "m = keras.Sequential([keras.Input((4,)), layers.Dense(7)])\n")
    assert report.models[0].total == keras3.models[0].total is not None


def test_class_with_unknown_decorator_stays_opaque():
    report = _report("import keras\nfrom keras import layers\nfrom lib import register\n"
                     "@register\nclass Cfg:\n    units = 3\n"
                     "m = keras.Sequential([keras.Input((4,)), layers.Dense(Cfg.units)])\n")
    assert report.models[0].total is None


def test_keras_hub_layers_are_unknown_with_a_note():
    report = _report("import keras\nfrom keras_nlp.layers import TransformerEncoder\n"
                     "x = keras.Input((16, 32))\nm = keras.Model(x, keras.layers.Dense(2)(TransformerEncoder(64, 4)(x)))\n")
    assert report.models[0].total is None
    assert any("keras_nlp.layers.TransformerEncoder" in d.message and "KerasHub" in d.message
               for d in report.diagnostics)


def test_keras_core_is_keras():
    plain = _report("import keras\nfrom keras import layers\n"
                    "m = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n").models[0]
    core = _report("import keras_core as keras\nfrom keras_core import layers\n"
                   "m = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n").models[0]
    assert core.status == "exact" and core.total == plain.total


def test_sequential_given_to_a_helper_that_may_add_layers_is_unknown():
    report = _report("import keras\nfrom keras import layers\nfrom missing_helpers import add_conv_block\n"
                     "m = keras.Sequential([keras.Input((8, 8, 3))])\nadd_conv_block(m, 16)\n"
                     "m.add(layers.Flatten())\n")
    assert report.models[0].total is None


def test_settings_class_attribute_set_where_the_analysis_cannot_look_is_unknown():
    head = ("import sys\nimport keras\nfrom keras import layers\nclass Cfg:\n    units = 3\n")
    tail = "m = keras.Sequential([keras.Input((4,)), layers.Dense(Cfg.units)])\n"
    assert _report(head + "if sys.argv[1:]:\n    Cfg.units = 5\n" + tail).models[0].total is None
    assert _report(head + "for _ in range(int(sys.argv[1])):\n    Cfg.units = 5\n" + tail).models[0].total is None
    assert _report(head + "Cfg.units = 5\n" + tail).models[0].total == _report(
        head + "Cfg.units = 4\nCfg.units += 1\n" + tail).models[0].total is not None



def test_class_with_its_own_new_is_not_read_as_a_fresh_object():
    """fixtures/pending/singleton_settings.py: ``Settings()`` returns the shared instance the file set 64 units on
    (real Keras: 4801 parameters); kerascount must not read the class default of a new object (321), so that
    model is unknown, naming ``__new__``; the plain class beside it keeps Keras's numbers."""
    path = "fixtures/pending/singleton_settings.py"
    truth = {m["name"]: m for m in load_truth(path)["models"]}
    assert truth["wide"]["total_params"] == 4801
    got = {m["name"]: m for m in json.loads(json_.render([_report((REPO_ROOT / path).read_text(), path)],
                                                          "test"))["files"][0]["models"]}
    assert got["wide"]["status"] == "unknown" and got["wide"]["total_params"] is None
    assert "__new__" in json.dumps(got["wide"]["reasons"])
    assert got["narrow"]["status"] == "exact" and _same_numbers(truth["narrow"], got["narrow"])


def _loop_scope_variant(*edits: str):
    """fixtures/interpreter2/trainable_loop_scope.py with each ``old, new`` pair of ``edits`` replaced:
    the truth's models and kerascount's, by name."""
    path = "fixtures/interpreter2/trainable_loop_scope.py"
    source = (REPO_ROOT / path).read_text()
    for old, new in zip(edits[::2], edits[1::2]):
        assert old in source
        source = source.replace(old, new)
    got = json.loads(json_.render([_report(source, path)], "test"))["files"][0]["models"]
    return {m["name"]: m for m in load_truth(path)["models"]}, {m["name"]: m for m in got}


def _same_numbers(truth, got) -> bool:
    """The model's numbers (not its names or lines, which the variants' extra code shifts)."""
    keys = ("inputs", "outputs", "total_params", "trainable_params", "non_trainable_params")
    return [truth[k] for k in keys] == [got[k] for k in keys] and \
        [(r["output_shape"], r["params"]) for r in truth["layers"]] == \
        [(r["output_shape"], r["params"]) for r in got["layers"]]


UNKNOWN_CUT = ("cut = 2\n", "import os\ncut = int(os.environ['FREEZE_UP_TO'])\n")


def _reached_until(truth, got, first_after):
    """Code whose reach is not known ran just before the model ``first_after`` was made: it may have set the flag of
    any layer made before it (those models' splits are not known), never of one made after it (that model keeps
    Keras's numbers; fixtures/undecided/flags_unknown_code_*.py)."""
    for name, m in got.items():
        if name == first_after:
            assert m["status"] == "exact" and _same_numbers(truth[name], m), name
        elif name in ("source", "backbone", "head"):
            assert m["trainable_params"] is None, name


def test_freezing_loop_not_run_leaves_only_its_models_unknown():
    """The loop's bound comes from the environment: the models holding the frozen model's layers (itself and
    the one nesting it) lose their split; the models the loop cannot reach keep Keras's numbers."""
    truth, got = _loop_scope_variant(*UNKNOWN_CUT)
    assert got["backbone"]["status"] == got["head"]["status"] == "unknown"
    assert got["backbone"]["trainable_params"] is None and got["head"]["trainable_params"] is None
    for name in ("source", "unrelated"):
        assert got[name]["status"] == "exact"
        assert _same_numbers(truth[name], got[name]), name


def test_freezing_loop_over_a_loaded_models_layers_leaves_the_others_known():
    """``Sequential(load_model(...).layers[:-1])``: none of its layers is one the analysis knows, so freezing
    them in a loop it cannot run changes no other model; a loop over an unknown list of layers still does."""
    loaded = ("transfer = keras.Sequential(keras.models.load_model('a.keras').layers[:-1])\n"
              "transfer.add(layers.Dense(1))\nfor layer in transfer.layers[:-1]:\n    layer.trainable = False\n"
              "unrelated = ")
    truth, got = _loop_scope_variant("unrelated = ", loaded)
    assert got["transfer"]["status"] == "unknown"
    for name in ("source", "backbone", "head", "unrelated"):
        assert got[name]["status"] == "exact", name
        assert _same_numbers(truth[name], got[name]), name
    _, got = _loop_scope_variant("unrelated = ", loaded.replace("keras.models.load_model", "restore"))
    _reached_until(truth, got, "unrelated")


def test_freezing_loop_that_calls_a_helper_is_not_narrowed():
    """A loop that also calls a function the analysis does not follow may set any layer's flag through it."""
    truth, got = _loop_scope_variant(*UNKNOWN_CUT, "    if i < 5:\n", "    helper(source)\n    if i < 5:\n")
    _reached_until(truth, got, "unrelated")


def test_freezing_a_loaded_model_changes_no_model_the_analysis_knows():
    truth, got = _loop_scope_variant(
        "unrelated = ", "loaded = keras.models.load_model('a.keras')\nloaded.trainable = False\n"
                        "loaded.layers[0].trainable = True\nunrelated = ")
    for name in ("source", "unrelated"):
        assert got[name]["status"] == "exact", name
        assert _same_numbers(truth[name], got[name]), name
    _, got = _loop_scope_variant("unrelated = ", "loaded = restore('a.keras')\nloaded.trainable = False\nunrelated = ")
    _reached_until(truth, got, "unrelated")


def test_a_loop_over_a_loaded_models_layers_changes_no_model_the_analysis_knows():
    """``for layer in load_model(...).layers: layer.trainable = True``: the loop is not run (its layers are not
    known), but none of them is a layer of the analysed code, so every other model keeps Keras's numbers."""
    truth, got = _loop_scope_variant(
        "unrelated = ", "loaded = keras.models.load_model('a.keras')\nfor layer in loaded.layers:\n"
                        "    layer.trainable = True\nunrelated = ")
    for name in ("source", "backbone", "head", "unrelated"):
        assert got[name]["status"] == "exact", name
        assert _same_numbers(truth[name], got[name]), name
    _, got = _loop_scope_variant("unrelated = ", "loaded = restore('a.keras')\nfor layer in loaded.layers:\n"
                                                 "    layer.trainable = True\nunrelated = ")
    _reached_until(truth, got, "unrelated")


def test_trainable_of_a_hub_model_made_from_constants_changes_no_model_the_analysis_knows():
    """A KerasHub preset or a TensorFlow Hub layer made from strings and numbers holds none of the analysed
    code's layers: setting its flag leaves the others' numbers; given a layer of the file, it may hold it."""
    for made in ("keras_hub.models.Backbone.from_preset('resnet_50_imagenet', trainable=False)",
                 "hub.KerasLayer('https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5')"):
        truth, got = _loop_scope_variant(
            "import keras\n", "import keras\nimport keras_hub\nimport tensorflow_hub as hub\n",
            "unrelated = ", f"pretrained = {made}\npretrained.trainable = True\nunrelated = ")
        for name in ("source", "backbone", "head", "unrelated"):
            assert got[name]["status"] == "exact", (made, name)
            assert _same_numbers(truth[name], got[name]), (made, name)
    _, got = _loop_scope_variant(
        "import keras\n", "import keras\nimport keras_hub\n",
        "unrelated = ", "wrapped = keras_hub.layers.Wrapper(source)\nwrapped.trainable = False\nunrelated = ")
    assert got["source"]["trainable_params"] is None


def test_a_helper_that_freezes_under_an_undecided_condition_leaves_the_split_unknown():
    """`freeze(m)` runs on one path only (an environment variable): the flag it sets is not kept as if it
    ran on every path (it was: the model came out exact with 0 trainable params)."""
    program = ("import os\nimport keras\ndef freeze(m):\n    m.trainable = False\n"
               "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\n{}\n")
    undecided = _report(program.format("if os.environ.get('FREEZE'):\n    freeze(m)")).models[0]
    assert undecided.status == "unknown" and undecided.trainable is None
    always = _report(program.format("freeze(m)")).models[0]
    assert always.status == "exact" and always.trainable == 0


def test_every_unknown_model_says_why():
    """A Sequential whose input shape is not known, and a model Keras rejects, carry their reason (they had
    none in the JSON, only in the KC901 note or the error)."""
    unknown_input = _report("import keras\nfrom keras import layers\nfrom data import X\n"
                            "m = keras.Sequential([keras.Input(X.shape[1:]), layers.Dense(3)])\n").models[0]
    assert unknown_input.status == "unknown" and unknown_input.reasons
    assert "X.shape[1:]" in unknown_input.reasons[0]
    rejected = _report("import keras\nfrom keras import layers\n"
                       "m = keras.Sequential([keras.Input((3, 3, 1)), layers.Conv2D(4, 5)])\n").models[0]
    assert rejected.status == "unknown" and rejected.reasons[0].startswith("Keras rejects it: ")


@pytest.mark.parametrize("imported, called", [("import tensorflow_hub as hub", "hub.KerasLayer"),
                                              ("from tensorflow_hub import KerasLayer", "KerasLayer")])
def test_tensorflow_hub_layers_are_unknown_saying_so(imported, called):
    # a Hub model's layers and weights are downloaded from its URL: unknown, and the reason says it is Hub's
    url = '"https://tfhub.dev/google/nnlm-en-dim50/2"'
    report = _report(f"import tensorflow as tf\nfrom tensorflow import keras\n{imported}\n"
                     f"s = keras.Sequential([{called}({url}, input_shape=[], dtype=tf.string), keras.layers.Dense(2)])\n"
                     f"x = keras.Input((), dtype='string')\nm = keras.Model(x, keras.layers.Dense(2)({called}({url})(x)))\n")
    assert [m.total for m in report.models] == [None, None]
    for m in report.models:
        assert any("tensorflow_hub.KerasLayer" in r and "TensorFlow Hub" in r for r in m.reasons), m.reasons


def test_outputs_of_a_model_whose_outputs_are_not_known_are_not_an_empty_list():
    """``Model(inputs, outputs)`` whose outputs come from code the analysis does not see: ``model.outputs[2]``
    is not known (it said "index 2 is out of range", an IndexError Python would not raise)."""
    src = ("import keras\nimport backbones\ninputs = keras.Input((8,))\nbase = backbones.Net(input_tensor=inputs)\n"
           "outs = [base.get_layer(n).output for n in ('a', 'b', 'c')]\n"
           "model = keras.Model(inputs, outs)\n"
           "head = keras.Model(inputs, keras.layers.Dense(3)(model.outputs[2]))\n")
    report = _report(src)
    head = report.models[-1]
    assert head.status == "unknown"
    assert not any("out of range" in r for r in head.reasons), head.reasons
    assert len(report.models) == 2


def test_reduce_over_a_list_its_function_grows_is_unknown_and_keywords_are_not_followed():
    # Python's reduce reads the live list: a function that appends to it folds more items than were there
    src = """import functools
import keras
from keras import layers

sizes = [2, 3]

def grow(a, b):
    if len(sizes) < 4:
        sizes.append(1)
    return a + b

inputs = keras.Input(shape=(4,))
a = keras.Model(inputs, layers.Dense(functools.reduce(grow, sizes))(inputs))
b = keras.Model(inputs, layers.Dense(functools.reduce(lambda x, y: x * y, [2, 3], initial=1))(inputs))
c = keras.Model(inputs, layers.Dense(functools.reduce(lambda x, y: x * y, (2, 3), 4))(inputs))
"""
    a, b, c = _report(src).models
    assert a.status == b.status == "unknown"  # (b: initial= as a keyword is Python 3.14's)
    assert (c.status, c.total) == ("exact", 4 * 24 + 24)


# -- sizes from objects the analysis does not see (fixtures/interpreter2/outside_sizes.py has the truth; an Atari
# environment, whose spaces depend on its wrappers and are not in kerascount's table of built-in ones) -----------

_OUTSIDE = "import gym\nimport keras\nfrom keras import layers\nimport settings\nenv = gym.make('ALE/Breakout-v5')\n" \
           "cfg = settings.load()\n"


def test_outside_size_where_keras_rejects_a_numpy_integer_stays_unknown():
    """gymnasium's Discrete.n is an np.int64, which Dense rejects as units since Keras 3.13: not a symbol; int() is one."""
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input((4,)), layers.Dense(env.action_space.n)])\n").models[0]
    assert m.status == "unknown" and m.total is None
    assert any("may be a NumPy integer (as gymnasium's `Discrete.n` is)" in r and "int(env.action_space.n)" in r
               for r in m.reasons)
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input((4,)), layers.Dense(int(env.action_space.n))])\n"
                ).models[0]
    assert render(m.total) == "5*int(env.action_space.n)"
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input((4,)), layers.Embedding(cfg.vocab, 8)])\n").models[0]
    assert m.status == "unknown" and any("Embedding rejects as `input_dim` in Keras 3.15 and later" in r
                                         for r in m.reasons)


def test_outside_shape_that_is_not_one_size_stays_unknown():
    """A whole shape from outside (a tuple of a rank not known) is no symbol; nor is a Reshape size (it may be -1)."""
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input(shape=env.observation_space.shape), "
                "layers.Dense(2)])\n").models[0]
    assert m.status == "unknown"
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input(shape=cfg.shape), layers.Dense(2)])\n").models[0]
    assert m.status == "unknown"
    m = _report(_OUTSIDE + "m = keras.Sequential([keras.Input((12,)), layers.Reshape((cfg.rows, 3))])\n").models[0]
    assert m.status == "unknown"


@pytest.mark.parametrize("size", ["cfg.filters", "-cfg.filters", "cfg.filters * 2", "max(cfg.filters, 3)",
                                  "abs(cfg.filters)", "cfg.filters // 2", "sum([cfg.filters, 1])"])
def test_outside_value_where_it_stands_is_no_symbol(size):
    """A value from code not seen passes through arithmetic and builtins as the same unknown: named after its own
    text it would drop the operation (`-cfg.filters` as `cfg.filters`). `int(...)` around it is a symbol of its
    whole text."""
    m = _report(_OUTSIDE + f"m = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D({size}, 3)])\n").models[0]
    assert m.status == "unknown" and m.total is None
    m = _report(_OUTSIDE + f"m = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(int({size}), 3)])\n").models[0]
    assert render(m.total) == f"10*int({size})"


@pytest.mark.parametrize("shape", ["X.shape[1:] + (1,)", "(1,) + X.shape[1:]", "X.shape[1:] * 2"])
def test_data_shape_changed_by_an_operation_is_not_the_data_shape(shape):
    """`X.shape[1:]` of data not seen gives X.shape[1], ... once a layer fixes the rank; `X.shape[1:] + (1,)` is
    another shape (its last size is 1), which was read as `X.shape[1:]` itself (a wrong symbolic total)."""
    src = ("import numpy as np\nimport keras\nfrom keras import layers\nX = np.load('x.npy')\n"
           f"m = keras.Sequential([keras.Input({shape}), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(3)])\n")
    (m,) = _report(src).models
    assert m.status == "unknown" and m.total is None
    (plain,) = _report(src.replace(shape, "X.shape[1:]")).models
    assert plain.status == "symbolic" and "X.shape[3]" in render(plain.total)


def test_tuner_int_needs_a_known_name_and_both_bounds():
    program = "import keras\nfrom keras import layers\ndef build(hp, name):\n" \
              "    return keras.Sequential([keras.Input((3,)), layers.Dense(hp.Int({}))])\n"
    m = _report(program.format("'units', min_value=4, max_value=8")).models[0]
    assert render(m.total) == "4*hp.Int('units')"
    for args in ("name, min_value=4, max_value=8", "'units', 4", "'units', values=[4, 8]"):
        assert _report(program.format(args)).models[0].status == "unknown", args


def test_tuner_int_of_a_hyperparameters_object():
    m = _report("import keras_tuner\nimport keras\nfrom keras import layers\nhp = keras_tuner.HyperParameters()\n"
                "m = keras.Sequential([keras.Input((3,)), layers.Dense(hp.Int('u', 8, 16))])\n").models[0]
    assert render(m.total) == "4*hp.Int('u')"


def test_tuner_choice_of_ints_only_is_a_symbol():
    # KerasTuner's Choice returns one of its values as given: a size only when they are all ints (no bools), and
    # a default it takes must be one of them (else HyperParameters raises); fixtures/interpreter2/tuner_choice.py
    # checks the numbers against Keras
    program = "import keras\nfrom keras import layers\ndef build(hp, name):\n" \
              "    return keras.Sequential([keras.Input((3,)), layers.Dense(hp.Choice({}))])\n"
    for args in ("'units', [4, 8]", "'units', values=(4, 8)", "'units', [4, 8], default=8", "name='units', values=[4]"):
        m = _report(program.format(args)).models[0]
        assert render(m.total) == "4*hp.Choice('units')", args
    for args in ("name, [4, 8]", "'units', [True, False]", "'units', [4, 8.0]", "'units', [4, 8], default=5",
                 "'units', []", "'units', [4, 'a']", "'units'"):
        m = _report(program.format(args)).models[0]
        assert m.status == "unknown", args
    m = _report(program.format("'units', ['a', 'b']")).models[0]
    assert any("`hp.Choice('units')` is a KerasTuner hyperparameter, which the tuner picks" in r for r in m.reasons), \
        m.reasons


def test_optuna_integer_suggestions_are_symbols():
    # Optuna's suggest_int returns an int, the same one for a name within a trial; suggest_categorical one of its
    # choices; fixtures/interpreter2/optuna_suggestions.py checks the numbers against Keras
    program = "import keras\nfrom keras import layers\ndef objective(trial, name):\n" \
              "    return keras.Sequential([keras.Input((3,)), layers.Dense(trial.{})])\n"
    for call, symbol_text in (("suggest_int('u', 4, 8)", "trial.suggest_int('u')"),
                              ("suggest_int('u', low=4, high=64, log=True)", "trial.suggest_int('u')"),
                              ("suggest_int('u', 4, 8, 2)", "trial.suggest_int('u')"),
                              ("suggest_categorical('u', [4, 8])", "trial.suggest_categorical('u')"),
                              ("suggest_categorical('u', (4,))", "trial.suggest_categorical('u')")):
        m = _report(program.format(call)).models[0]
        assert render(m.total) == f"4*{symbol_text}", call
    for call in ("suggest_int(name, 4, 8)", "suggest_int('u', 4.0, 8)", "suggest_int('u', 4)",
                 "suggest_categorical('u', [True, False])", "suggest_categorical('u', [4, 8.5])",
                 "suggest_float('u', 4, 8)", "suggest_int('u', 4, 8, size=2)"):
        assert _report(program.format(call)).models[0].status == "unknown", call


def test_output_of_a_sequential_layer_called_before_is_not_the_sequentials():
    # Keras: d's node 0 is its call on x, so `d.output` is that tensor, not the Sequential's, and the Model call
    # raises ("not connected to `inputs`"); the analysis does not pick the Sequential's chain for it
    src = ("import keras\nfrom keras import layers\nx = keras.Input((3,))\nd = layers.Dense(4)\ny = d(x)\n"
           "seq = keras.Sequential([keras.Input((3,)), d, layers.Dense(2)])\n"
           "probe = keras.Model(seq.inputs, d.output)\n")
    report = analyze_source(src, "m.py")
    probe = next(m for m in report.models if m.model.name == "probe")
    assert probe.total is None and probe.status == "unknown", (probe.status, probe.total)


def test_output_of_a_layer_of_an_unbuilt_sequential_is_unknown():
    # Keras: AttributeError, the layer has never been called
    src = ("import keras\nfrom keras import layers\nseq = keras.Sequential([layers.Dense(4), layers.Dense(2)])\n"
           "out = seq.layers[0].output\nprobe = keras.Model(keras.Input((3,)), out)\n")
    report = analyze_source(src, "m.py")
    probe = next(m for m in report.models if m.model.name == "probe")
    assert probe.total is None, probe.total


def test_output_shape_of_a_layer_is_keras_3s_attribute_error():
    # Keras 3.15: AttributeError: 'Dense' object has no attribute 'output_shape' (models have it, layers do not)
    src = ("import keras\nfrom keras import layers\n"
           "seq = keras.Sequential([keras.Input((6,)), layers.Dense(5), layers.Dense(4)])\n"
           "n = seq.layers[0].output_shape[-1]\nm2 = keras.Sequential([keras.Input((n,)), layers.Dense(2)])\n")
    found = {m.model.name: m for m in analyze_source(src, "m.py").models}
    assert found["m2"].total is None and "a Keras 3 layer has no `output_shape`" in found["m2"].reasons[0]
    # a model's output_shape is Keras 3's: (None, 4)
    src = src.replace("seq.layers[0].output_shape", "seq.output_shape")
    found = {m.model.name: m for m in analyze_source(src, "m.py").models}
    assert found["m2"].total == 10


def test_dict_of_items_that_are_not_pairs_is_unknown():
    """dict() of items that are not (key, value) pairs (Python raises) or whose keys are not plain constants:
    no dict is made, so a model with such outputs stays unknown; a comprehension over an unknown value says why."""
    program = ("import keras\nfrom keras import layers\nfrom mylib import names\n"
               "x = keras.Input((4,))\na = layers.Dense(3)(x)\nb = layers.Dense(2)(x)\n"
               "m = keras.Model(x, dict({}))\n")
    for items in ("[('a', a, 1), ('b', b, 2)]", "[([1], a)]", "[(n, a) for n in names]"):
        m = _report(program.format(items)).models[-1]
        assert m.status == "unknown" and m.total is None, items
    m = _report(program.format("[(n, a) for n in names]")).models[-1]
    assert "a comprehension over `names` (`names` is a value the analysis does not know)" in m.reasons[0]


def test_subclassed_model_called_on_two_positional_arrays_is_not_built_from_them():
    """Only a first call on one structure of arrays (array, tuple, list or dict of them) is followed."""
    m = _report(
        "import numpy as np\nimport keras\nfrom keras import layers\n"
        "class M(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
        "        self.d = layers.Dense(3)\n"
        "    def call(self, a, b):\n        return self.d(layers.concatenate([a, b]))\n"
        "model = M()\ny = model(np.zeros((2, 4)), np.zeros((2, 5)))\n").models[0]
    assert m.status != "exact"


def test_condition_after_a_layer_keras_rejects_gives_that_error():
    # Keras 3 raises at the DepthwiseConv2D (kernel_regularizer=, which Keras 1/2 ignored: "Unrecognized keyword
    # arguments"), before the condition that reads the shape after it: that error is the model's reason.
    src = (
        "import keras\nfrom keras import layers\n\n"
        "def block(x, filters, stride):\n"
        "    y = layers.DepthwiseConv2D(3, strides=stride, padding='same', kernel_regularizer='l2')(x)\n"
        "    y = layers.Conv2D(filters, 1)(y)\n"
        "    if stride == 1 and keras.ops.shape(y)[-1] == x.shape[-1]:\n"
        "        y = layers.Add()([x, y])\n"
        "    return y\n\n"
        "image = keras.Input(shape=(32, 32, 8))\n"
        "model = keras.Model(image, block(image, 8, 1))\n"
    )
    (m,) = _report(src).models
    assert m.status == "unknown" and m.total is None
    assert m.reasons[0].startswith("Keras rejects it: DepthwiseConv2D does not accept the keyword argument "
                                   "kernel_regularizer"), m.reasons
    assert "before the condition `stride == 1 and" in m.reasons[0]
    # the unknown comparison first in `and`: its reason is still Keras's error
    swapped = src.replace("if stride == 1 and keras.ops.shape(y)[-1] == x.shape[-1]:",
                          "if keras.ops.shape(y)[-1] == x.shape[-1] and stride == 1:")
    (m2,) = _report(swapped).models
    assert m2.reasons[0].startswith("Keras rejects it: DepthwiseConv2D"), m2.reasons
    # two blocks: the second reads the shape of what the first returned (either way of its undecided `if`)
    twice = src.replace("model = keras.Model(image, block(image, 8, 1))",
                        "model = keras.Model(image, block(block(image, 8, 1), 8, 1))").replace(
        "    if stride == 1 and keras.ops.shape(y)[-1] == x.shape[-1]:\n        y = layers.Add()([x, y])\n",
        "    if keras.ops.shape(x)[-1] == keras.ops.shape(y)[-1]:\n        return layers.Add()([x, y])\n")
    assert twice.count("return") == 2
    (m3,) = _report(twice).models
    assert m3.reasons[0].startswith("Keras rejects it: DepthwiseConv2D"), m3.reasons
    assert m3.reasons[0].count("before the condition") == 1, m3.reasons
    # the same block without the rejected argument: the condition is decided and the model counted
    (ok,) = _report(src.replace(", kernel_regularizer='l2'", "")).models
    assert ok.status == "exact", ok.reasons


def test_padding_holding_an_unknown_value_is_not_a_keras_error():
    # ZeroPadding2D(padding=((u, 1), (1, 1))) with u a value the analysis does not know: unknown, not rejected
    src = (
        "import keras\nfrom keras import layers\n\n"
        "def net(inputs):\n"
        "    u = 0 if inputs.shape[1] is None else 1 - inputs.shape[1] % 2\n"
        "    x = layers.ZeroPadding2D(padding=((u, 1), (u, 1)))(inputs)\n"
        "    x = layers.Conv2D(4, 3)(x)\n"
        "    return keras.Model(inputs, x)\n"
    )
    report = _report(src)
    assert not any(d.severity == "error" for d in report.diagnostics), report.diagnostics
    assert all("invalid entry" not in r for m in report.models for r in m.reasons)


def test_lambda_output_shape_function_on_symbolic_sizes():
    """Lambda(f, output_shape=g): Keras takes what g returns for the input's shape; the analysis runs g on sizes it
    knows only as symbols too. The fixture (truth from Keras) builds with 14 rows; without its call, `rows` is a
    parameter nothing gives, and the symbolic total taken at 14 is Keras's."""
    path = "fixtures/interpreter2/lambda_shape_function_sizes.py"
    source = (REPO_ROOT / path).read_text()
    assert source.rstrip().endswith("model = build(14)")
    truth = load_truth(path)["models"][0]["total_params"]
    (m,) = _report(source.rstrip()[: -len("model = build(14)")], path).models
    assert m.status == "symbolic", m.reasons
    text = render(m.total)
    assert "rows" in text
    assert eval(text.replace("rows", "14"), {"floor": lambda v: int(v // 1)}) == truth  # noqa: S307 - our own render
    # a function that branches on a size it cannot decide: unknown, and the reason says it is the function's
    branching = source.replace("    return (shape[0], shape[1] // 2, shape[2] * 2)",
                               "    return (shape[0], shape[1] // 2, shape[2] * 2) if shape[1] else (None, None, 10)")
    assert branching != source
    (u,) = _report(branching.rstrip()[: -len("model = build(14)")], path).models
    assert u.status == "unknown"
    assert any("what its `output_shape` function gives is not known (depends on the condition `shape[1]`" in r
               for r in u.reasons), u.reasons


def test_item_of_the_layers_of_a_model_not_known_says_why():
    src = ("import keras\nfrom keras import layers\n"
           "def backbone(inputs):\n    x = layers.Conv2D(3, 1)(inputs)\n"
           "    if x.shape[1] > 8:\n        x = layers.Conv2D(4, 3)(x)\n"
           "    return keras.Model(inputs, layers.Conv2D(2, 1)(x))\n"
           "def head(inputs):\n    base = backbone(inputs)\n"
           "    return keras.Model(inputs, layers.Flatten()(base.layers[1].output))\n")
    reasons = [r for m in _report(src).models for r in m.reasons if "base.layers[1]" in r]
    assert reasons and all("the layers of this model are not known (depends on the condition `x.shape[1] > 8`" in r
                           for r in reasons), reasons


def test_value_from_a_package_outside_the_project_says_where_it_comes_from():
    """efficientnet.keras and classification_models are packages, not the project's code: what their models give is
    not known, and the reason names the call and the import."""
    src = ("import keras\nimport efficientnet.keras as efn\nfrom classification_models.keras import Classifiers\n"
           "inputs = keras.Input((64, 64, 3))\n"
           "base = efn.EfficientNetB0(input_tensor=inputs, include_top=False)\n"
           "a = keras.Model(inputs, keras.layers.Dense(2)(base.get_layer('top').output))\n"
           "make, _ = Classifiers.get('seresnet18')\n"
           "b = keras.Model(inputs, keras.layers.Dense(2)(make(input_tensor=inputs).outputs[0]))\n")
    a, b = _report(src).models
    assert a.status == b.status == "unknown"
    assert any("what `efn.EfficientNetB0(...)` returns: `efn.EfficientNetB0` is read from `efn`, which is imported "
               "from `efficientnet.keras`, which is not a module of the analysed project" in r for r in a.reasons), \
        a.reasons
    assert any("what `Classifiers.get(...)` returns" in r and "`classification_models.keras`" in r for r in b.reasons), \
        b.reasons


def test_observation_shape_of_a_gym_environment_says_its_length_is_not_known():
    """keras-rl's Flatten(input_shape=(1,) + env.observation_space.shape): a tuple whose length is not known gives no
    rank, so the model stays unknown; the reason says so and where the environment comes from."""
    m = _report(_OUTSIDE + "m = keras.Sequential([layers.Flatten(input_shape=(1,) + env.observation_space.shape), "
                "layers.Dense(2)])\n").models[0]
    assert m.status == "unknown" and m.total is None
    assert any("how many sizes `env.observation_space.shape` holds is not known" in r and
               "`gym.make` makes a Gym environment" in r for r in m.reasons), m.reasons


def test_item_of_an_array_numpy_computed_says_numpy_made_it():
    """A channel table computed by a NumPy call whose values are not followed (np.insert with an axis; without one,
    tests/test_valued_arrays.py follows it): the reason says which NumPy call made them."""
    m = _report("import numpy as np\nimport keras\nfrom keras import layers\n"
                "table = np.insert(np.arange(3, dtype=np.float32), 0, 0, axis=0)\n"
                "table = (2 ** table * 144).astype(int)\n"
                "m = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(table[1], 3)])\n").models[0]
    assert m.status == "unknown"
    assert any("`table[1]` comes from code the analysis does not see (what `numpy.insert(...)` returns: "
               "`numpy.insert` is not analysed)" in r for r in m.reasons), m.reasons


def _at(value, sizes):
    """A symbolic size or count taken at ``sizes`` (symbol name -> number)."""
    if not isinstance(value, Expr):
        return value
    text = render(value)
    for name in sorted(sizes, key=len, reverse=True):
        text = text.replace(name, str(sizes[name]))
    return eval(text, {"floor": lambda v: int(v // 1)})  # noqa: S307 - our own render, numbers only


def test_padding_chosen_by_an_undecided_condition_is_symbols_of_the_layer():
    """pad_for_stride's padding depends on `rows is None`, not decided for a parameter nothing gives: its sizes
    become symbols named after the ZeroPadding2D, the channels stay known, so the next condition (on them) is
    decided. Taken at the fixture's input (15 x 14 rows and columns: padding 1 and 0 where not known), every
    shape and the total are Keras's."""
    path = "fixtures/interpreter2/padding_by_undecided_condition.py"
    source = (REPO_ROOT / path).read_text()
    call = "model = stem(keras.Input((15, 14, 3)))"
    assert source.rstrip().endswith(call)
    truth = load_truth(path)["models"][0]
    (m,) = _report(source.rstrip()[: -len(call)], path).models
    assert m.status == "symbolic", m.reasons
    sizes = {"inputs.shape[1]": 15, "inputs.shape[2]": 14, "inputs.shape[3]": 3,
             "stem_pad.padding[0][0]": 1, "stem_pad.padding[1][0]": 0}
    assert {n for row in m.rows for n in symbol_names(row.output_shape)} <= set(sizes)
    assert _at(m.total, sizes) == truth["total_params"]
    assert [[_at(d, sizes) for d in row.output_shape] for row in m.rows] == \
        [layer["output_shape"] for layer in truth["layers"]]
    # a padding from code the analysis does not see is not made symbols
    unseen = source.replace("padding=pad_for_stride(inputs, 3)", "padding=helpers.pad(inputs)").replace(
        "import keras\n", "import keras\nimport helpers\n", 1)
    (u,) = _report(unseen.rstrip()[: -len(call)], path).models
    assert u.status == "unknown"


_OUTPUT_LIST_SRC = ("import keras\nfrom keras import layers\n"
                    "base = keras.Sequential([keras.Input((6,)), layers.Dense(5)])\n"
                    "encoder = keras.Model(base.inputs, base.outputs)\n"
                    "m = keras.Sequential([keras.Input(encoder.output.shape[1:]), layers.Dense(2)])\n")
_SINGLE_OUTPUT_SRC = _OUTPUT_LIST_SRC.replace("keras.Model(base.inputs, base.outputs)",
                                              "keras.Model(base.inputs, base.outputs[0])")


def test_shape_of_the_output_list_of_a_model_says_it_is_a_list():
    """Keras 3's Model(x, [y]).output is the list [y] (verified with Keras 3.15: `.shape` of it raises
    AttributeError); keras-fsl reads `encoder.output.shape[1:]` of such a model. Unknown, saying why."""
    m = _report(_OUTPUT_LIST_SRC).models[-1]
    assert m.status == "unknown"
    assert any("`encoder.output` is a list, which has no attribute `shape`" in r for r in m.reasons), m.reasons
    assert _report(_SINGLE_OUTPUT_SRC).models[-1].status == "exact"


@pytest.mark.keras
def test_shape_of_a_single_output_model_gives_the_keras_total():
    from test_catalogue_keras import keras_probe
    got = keras_probe("import sys, json\nexec(json.loads(sys.argv[1]))\nprint(json.dumps(m.count_params()))",
                      _SINGLE_OUTPUT_SRC)
    assert _report(_SINGLE_OUTPUT_SRC).models[-1].total == got


def test_tensor_of_a_loaded_or_preset_model_says_where_the_model_comes_from():
    src = ("import keras\nimport keras_hub\n"
           "loaded = keras.models.load_model('m.keras')\n"
           "a = keras.Model(loaded.input, keras.layers.Dense(2)(loaded.output))\n"
           "hub = keras_hub.models.Backbone.from_preset('xception_41_imagenet')\n"
           "b = keras.Model(hub.input, keras.layers.Dense(2)(hub.output))\n")
    a, b = _report(src).models
    assert a.status == b.status == "unknown"
    assert any("(what `keras.models.load_model(...)` returns: a model read from a file" in r for r in a.reasons), \
        a.reasons
    assert any("(what `keras_hub.models.Backbone.from_preset(...)` returns: `keras_hub.models.Backbone.from_preset` is "
               "from KerasHub, which is not analysed)" in r for r in b.reasons), b.reasons


def test_slice_of_a_parameter_nothing_gives_says_so():
    src = ("import keras\nfrom keras import layers\n"
           "def head(units):\n    m = keras.Sequential([keras.Input((4,))])\n"
           "    for u in units[:-1]:\n        m.add(layers.Dense(u))\n    return m\n")
    (m,) = _report(src).models
    assert m.status == "unknown"
    assert any("`units[:-1]` is not known (`units` is a parameter of `head`, which nothing calls)" in r
               for r in m.reasons), m.reasons


@pytest.mark.parametrize("pad", ["trim / 1", "0.0 + trim", "float(trim)", "helpers.trim(rows)", "-trim", "trim - 3",
                                 "abs(trim)"])
def test_padding_chosen_by_a_condition_stays_unknown_unless_whole_numbers(pad):
    """Only a choice between whole numbers (Python ints of at least 0, symbolic sizes, + - * // % of them with ints
    and symbols, each way's value checked) becomes symbols: a division gives a float and `- 3` a negative number
    where trim is 1, which Keras's ZeroPadding2D rejects; what a function makes of the choice is not followed; a
    value from code not seen may be anything."""
    src = ("import keras\nimport helpers\nfrom keras import layers\n"
           "def stem(inputs):\n    rows = inputs.shape[1]\n"
           "    trim = 1 if rows is None else 1 - rows % 2\n"
           f"    pad = {pad}\n"
           "    x = layers.ZeroPadding2D(padding=((pad, 1), (1, 1)), name='pad')(inputs)\n"
           "    return keras.Model(inputs, layers.Conv2D(4, 3)(x))\n")
    (m,) = _report(src).models
    if pad == "abs(trim)":
        # abs of a whole number on each way (1, or 1 - rows % 2): the padding stays unknown in the summary, but both
        # ways build the model with the same counts (a Conv2D's weights do not depend on the padding before it),
        # which it is given (kerascount/alternatives.py)
        assert m.status == "symbolic" and len(m.alternatives) == 2, (m.status, m.reasons)
        assert all(a.error is None and a.total == m.total for a in m.alternatives)
        assert [r.output_shape for r in m.rows if r.layer.name == "pad"] == [None]
    else:
        assert m.status == "unknown", (m.status, m.reasons)
    (ok,) = _report(src.replace(f"pad = {pad}", "pad = 1 - trim")).models
    assert ok.status == "symbolic", ok.reasons


def test_custom_cell_given_to_a_layer_says_what_it_is():
    """An object of the file's own layer class given to a Keras layer (an RNN cell) is not followed there: the
    reason names the class (it said "a ModelBuilder value", the analysis's own type)."""
    src = ("import keras\nfrom keras import layers\n\nclass MinimalCell(layers.Layer):\n"
           "    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n"
           "        self.units = units\n        self.state_size = units\n\n"
           "    def call(self, inputs, states):\n        return inputs, states\n\n"
           "x = keras.Input((5, 3))\nm = keras.Model(x, layers.RNN(MinimalCell(4))(x))\n")
    (m,) = _report(src).models
    assert m.status == "unknown"
    assert any("an object of the file's class `MinimalCell`: a custom layer given to a layer as an argument" in r
               for r in m.reasons), m.reasons
    assert not any("ModelBuilder" in r for r in m.reasons)


def test_a_generator_whose_body_the_analysis_cannot_follow_yields_what_is_not_known():
    """The layers a generator yields under a condition the analysis cannot decide (an environment variable), or in
    a loop over what it does not know, are not known: the model is unknown, with the generator named in its
    reason, never the layers of one branch (fixtures/interpreter2/generator_layers.py: those it can follow)."""
    report = _report("""\
import os
import keras
from keras import layers


def blocks(widths):
    for u in widths:
        if os.environ.get("WIDE"):
            yield layers.Dense(2 * u)
        yield layers.Dense(u)


def more(widths):
    for u in widths:
        yield layers.Dense(u)


model = keras.Sequential([keras.Input(shape=(3,)), *blocks([4, 6]), layers.Dense(1)])
other = keras.Sequential([keras.Input(shape=(3,)), *more(range(int(os.environ["N"]))), layers.Dense(1)])

spare = more([3])
if os.environ.get("A"):
    third = keras.Sequential([keras.Input(shape=(3,)), *spare])  # (the other way may have run it first)
else:
    third = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(5), *spare])
""")
    assert [(m.model.name, m.total) for m in report.models] == [("model", None), ("other", None), ("third", None),
                                                                ("third", None)]
    assert "blocks()" in report.models[0].model.unresolved.reason


def test_a_generator_iterated_by_a_run_of_a_function_nothing_calls_is_not_spent_for_the_next_run():
    """Two functions nothing calls each unpack one module-level generator: each is run alone with its default
    arguments, as if it were the one called, so the second must not see the generator spent by the first (Keras,
    calling second() alone, gives it both Dense layers: 31 params). What the first run did to it is not known."""
    report = _report((REPO_ROOT / "fixtures/interpreter2/generator_layers.py").read_text().split("first = ")[0] + """
shared = hidden([5, 4])


def first_run():
    return keras.Sequential([keras.Input(shape=(2,)), *shared])


def second_run():
    return keras.Sequential([keras.Input(shape=(2,)), *shared, layers.Dense(1)])
""")
    runs = {m.caveat().split("(")[0].split()[-1]: m for m in report.models if m.caveat()}
    assert runs["first_run"].total == spelled_total(2, 'layers.Dense(4, activation="relu"), layers.BatchNormalization()')
    assert runs["second_run"].total is None
    assert "changed in place by a run of first_run()" in runs["second_run"].model.unresolved.reason


def test_a_flag_set_through_get_layer_of_unknown_names_leaves_other_models_splits_known():
    """`head.get_layer("dense_8").trainable = False` when the layer names are not known (an undecided branch made
    a number of layers before): only `head`'s trainable split is unknown; a model made before keeps its
    split. Numbers: Keras's for the same stacks, fixtures/interpreter2/map_filter_sizes.py."""
    path = "fixtures/interpreter2/map_filter_sizes.py"
    tail = ("import os\n"
            "def tower(extra):\n"
            "    inputs = keras.Input((8,))\n"
            "    x = layers.Dense(4)(inputs)\n"
            "    if os.environ.get('FLAG'):\n"
            "        x = layers.Dense(extra)(x)\n"
            "    return keras.Model(inputs, layers.Dense(2)(x))\n"
            "t = tower(3)\n"
            "head = keras.Sequential([keras.Input((6,)), layers.Dense(5), layers.Dense(2)])\n")
    flag = "try:\n    head.get_layer('dense_8').trainable = False\nexcept ValueError:\n    pass\n"
    source = (REPO_ROOT / path).read_text()
    truth = {m["name"]: m for m in load_truth(path)["models"]}
    with_flag = {m.model.name: m for m in _report(source + tail + flag).models}
    assert with_flag["mlp"].status == "exact"
    assert (with_flag["mlp"].total, with_flag["mlp"].trainable) == (truth["mlp"]["total_params"],
                                                                    truth["mlp"]["trainable_params"])
    assert with_flag["head"].total == truth["head"]["total_params"] and with_flag["head"].trainable is None
    assert any("get_layer" in r for r in with_flag["head"].reasons)
    without = {m.model.name: m for m in _report(source + tail).models}
    assert without["head"].trainable == truth["head"]["trainable_params"]


def test_early_returns_of_an_elif_chain_list_every_way():
    """`if a: return ...` / `elif b: return ...` / rest / `return ...` under conditions the machine decides: the ways
    that go on run the rest (inner `if` included), so each way's model is listed at its line, as the same model
    written alone counts it."""
    src = ("import os\nimport keras\nfrom keras import layers\n"
           "def pick():\n"
           "    if os.environ.get('A'):\n"
           "        return keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
           "    elif os.environ.get('B'):\n"
           "        return keras.Sequential([keras.Input((3,)), layers.Dense(5)])\n"
           "    width = 7\n"
           "    return keras.Sequential([keras.Input((3,)), layers.Dense(width)])\n"
           "m = pick()\n")
    models = _report(src).models
    by_line = {r.model.span.line: r for r in models}
    assert set(by_line) == {6, 8, 10}
    for line, units in ((6, 2), (8, 5), (10, 7)):
        alone = _report(f"import keras\nfrom keras import layers\n"
                        f"m = keras.Sequential([keras.Input((3,)), layers.Dense({units})])\n").models[0]
        assert by_line[line].total == alone.total and by_line[line].status == "exact"


@pytest.mark.parametrize("loop, said", [
    # two ranges of 60,000 items are more than the analysis unfolds (a chain small enough is followed:
    # fixtures/interpreter2/itertools_chain.py)
    ("for b in itertools.chain(range(60000), range(60000)):\n", "`itertools.chain(...)` too large to follow"),
    # a grid of 13 x 4 tuples is more than itertools.product is unfolded for: the reason says the grid's size (it said
    # `itertools.product` is not analysed); a small grid is followed (fixtures/interpreter2/itertools_grids.py)
    ("for b, d in itertools.product(list(range(8, 112, 8)), [1, 2, 3, 4]):\n",
     "gives 52 tuples, more than the 16 the analysis unfolds"),
])
def test_itertools_too_large_to_follow_is_unknown_not_built(loop, said):
    src = "import itertools\nfrom keras import layers, models\n" + loop + \
        "    m = models.Sequential([layers.Input((3,)), layers.Dense(b + 1)])\n"
    report = analyze_source(src, "grid.py")
    assert report.internal_error is None
    (m,) = report.models
    assert m.status == "unknown"
    assert any(said in r for r in m.reasons), m.reasons


def test_a_head_built_for_a_data_size_and_called_on_another_rank_stays_unknown():
    # only sizes that are symbols may be assumed to agree: a rank that differs is Keras's error, whatever the data
    src = ("import os\nimport keras\nfrom keras import layers\nwidth = int(os.environ.get('W', '8'))\n"
           "head = keras.Sequential([layers.Dense(4, input_dim=width)])\n"
           "x = keras.Input((3, 8))\nouter = keras.Model(x, head(x))\n"
           "second = keras.Sequential([layers.Dense(4, input_dim=width)])\n"
           "y = keras.Input((6,))\nother = keras.Model(y, second(y))\n")
    report = analyze_source(src, "head.py")
    by_name = {m.model.name: m for m in report.models}
    assert by_name["outer"].total is None
    assert by_name["other"].total == 28 and "int(os.environ.get('W', '8')) = 6" in by_name["other"].caveat()


def test_an_unseen_layer_called_with_inputs_by_keyword_is_a_layer_of_the_model():
    # keras_nlp's `TransformerEncoder(...)(inputs=x)`: the model is unknown because of that layer, and says so
    src = ("import keras\nimport keras_nlp\nx = keras.Input((None,), dtype='int64')\n"
           "y = keras_nlp.layers.TransformerEncoder(intermediate_dim=8, num_heads=2)(inputs=keras.layers.Embedding(9, 4)(x))\n"
           "encoder = keras.Model(x, y)\n")
    (model,) = analyze_source(src, "nlp.py").models
    assert model.status == "unknown" and any("keras_nlp.layers.TransformerEncoder" in r for r in model.reasons)


def test_keras2s_private_shape_attribute_says_keras3_has_none():
    # Keras 3.15.1: AttributeError: 'KerasTensor' object has no attribute '_keras_shape'
    src = ("from keras.layers import Input, Dense\nfrom keras.models import Model\nx = Input((4,))\n"
           "y = Dense(3)(x)\nif y._keras_shape[-1] != 3:\n    y = Dense(3)(y)\nm = Model(x, y)\n")
    (model,) = analyze_source(src, "k2.py").models
    assert model.total is None and any("a Keras 3 tensor has no `_keras_shape`" in r for r in model.reasons)


#: Variants of fixtures/interpreter2/lambda_outer_tensors.py whose Lambda function does work on a tensor of the model
#: it is not given (from its closure or the module): Keras 3 raises NotImplementedError at the Lambda (it cannot infer
#: the output shape), on the numpy, jax and tensorflow backends alike (tools/keras_truth.py, hold-out 33).
_OUTER_OPERATIONS = {
    # an operation on the closure's `mean`, though the same tensor is also among the ones the Lambda is given
    "also given": ("    return m + s * ops.shape(mean)[-1]", "    return m + s * mean"),
    # a global the Lambda is not given at all
    "not given": ('layers.Lambda(lambda t: mean, name="handed_back")(spread)',
                  'layers.Lambda(lambda t: t * mean, name="handed_back")(spread)'),
    # its static shape, whose None is no size of the traced call, as the shape of a new tensor
    "open size": ("    return m + s * ops.shape(mean)[-1]", "    return m + keras.random.normal(ops.shape(mean))"),
    # given through `arguments=`: Keras passes the KerasTensor itself
    "arguments": ('layers.Lambda(lambda t: mean, name="handed_back")(spread)',
                  'layers.Lambda(lambda t, ref: t + ref, arguments={"ref": mean}, name="handed_back")(spread)'),
}


def _outer_variant(case: str) -> str:
    source = (REPO_ROOT / "fixtures/interpreter2/lambda_outer_tensors.py").read_text()
    old, new = _OUTER_OPERATIONS[case]
    assert source.count(old) == 1
    return source.replace(old, new)


@pytest.mark.parametrize("case", sorted(_OUTER_OPERATIONS))
def test_lambda_operation_on_a_tensor_it_is_not_given_is_unknown(case):
    """The fixture (exact, truth from Keras) only reads the static size of the closure's tensor and hands a tensor
    back; an operation on such a tensor is unknown (never the shape it would have on the Lambda's own inputs)."""
    (m,) = _report(_outer_variant(case), "lambda_outer_tensors.py").models
    assert m.status == "unknown", (m.status, m.reasons)
    name = "handed_back" if case in ("not given", "arguments") else "mixed"
    assert any(name in r and ("the function is not given" in r or "the Lambda's function is not given" in r)
               for r in m.reasons), m.reasons


def test_tensorflow_function_of_a_tensor_the_lambda_is_not_given_is_unknown():
    """A TensorFlow function (tf.keras's backend functions are ones) of a Keras tensor raises under the tensorflow
    backend, so Keras cannot trace the function: the VAE sampling function that reads `K.shape(self.mu)` of the
    closure's mean (hold-out 33), and `tf.reduce_sum`/`K.l2_normalize` of a closure's tensor alone (checked with
    Keras 3.15 on TensorFlow 2.21: NotImplementedError). On the function's own argument it is the usual traced
    shape; `keras.ops` of the closure's tensor alone gives a Keras tensor, whose shape Keras takes."""
    source = ("import tensorflow as tf\nimport keras\nfrom tensorflow.keras import backend as K\n"
              "from tensorflow.keras import layers, Model\ninp = layers.Input((8,))\nmu = layers.Dense(2)(inp)\n"
              "lv = layers.Dense(2)(inp)\ndef sample(args):\n    m, v = args\n"
              "    return m + K.exp(v / 2) * K.random_normal(shape=K.shape(WHICH))\n"
              "z = layers.Lambda(sample)([mu, lv])\nenc = Model(inp, z)\n")
    (outer,) = _report(source.replace("WHICH", "mu")).models
    assert outer.status == "unknown"
    assert any("`K.shape(mu)` gives a tensor of the model the function is not given to a TensorFlow function" in r
               for r in outer.reasons), outer.reasons
    (own,) = _report(source.replace("WHICH", "m")).models
    assert own.status == "exact" and own.total == 36
    alone = source.replace("z = layers.Lambda(sample)([mu, lv])", "z = layers.Lambda(lambda x: FN)(lv)")
    for fn in ("tf.reduce_sum(mu, axis=-1, keepdims=True)", "K.l2_normalize(mu, axis=-1)"):
        (m,) = _report(alone.replace("FN", fn)).models
        assert m.status == "unknown", (fn, m.reasons)
    (ops,) = _report(alone.replace("FN", "keras.ops.sum(mu, axis=-1, keepdims=True)")).models
    assert ops.status == "exact" and ops.total == 18
    assert tuple(ops.outputs[0]) == (None, 1), ops.outputs


@pytest.mark.keras
def test_keras_raises_on_the_lambda_variants(tmp_path):
    """What the test above relies on: real Keras raises at the Lambda in each variant."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, KERAS_BACKEND="numpy")
    if subprocess.run([sys.executable, "-c", "import keras"], env=env, capture_output=True).returncode:
        pytest.skip("keras is not importable")
    paths = []
    for i, case in enumerate(sorted(_OUTER_OPERATIONS)):
        paths.append(tmp_path / f"variant{i}.py")
        paths[-1].write_text(_outer_variant(case))
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]); from tools.keras_truth import truth_for_files;"
              "print(json.dumps(truth_for_files(sys.argv[2:], jobs=1)))")
    proc = subprocess.run([sys.executable, "-c", script, str(REPO_ROOT), *map(str, paths)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for truth in json.loads(proc.stdout):
        assert truth["error"] is not None and truth["error"]["type"] == "NotImplementedError", truth["error"]
        assert truth["error"]["layer"]["type"] == "Lambda"


def test_a_loop_whose_body_builds_a_model_is_not_widened_for_the_idle_rest_of_its_run(monkeypatch):
    """A loop is given up once it has run a window of steps that make no layer, tensor or model (training, text
    processing). A loop whose last run built a model is a builder's loop however long the rest of that run (a
    converter copies a checkpoint's weights one by one after each model): it is run on, and every model it builds
    is listed (KerasFormers's SAM converter lost its third variant's models). The window is made small here, as
    the idle rest of a real converter's run is long."""
    import kerascount.extract.interpreter as interpreter

    monkeypatch.setattr(interpreter, "_WIDEN_STEPS", 200)
    src = ("import keras\n\ndef convert(width):\n    inp = keras.Input((width,))\n"
           "    model = keras.Model(inp, keras.layers.Dense(2)(inp))\n    total = 0\n"
           "    for i in range(300):\n        total += i\n    return model\n\n"
           "for w in (3, 4, 5, 6):\n    convert(w)\n")
    assert [(m.status, m.total) for m in _report(src).models] == [("exact", 8), ("exact", 10), ("exact", 12),
                                                                 ("exact", 14)]
    # for its first 32 runs only (a training loop that makes a tensor each epoch is given up after them)
    many = src.replace("for w in (3, 4, 5, 6):", "for w in range(3, 43):")
    assert len(_report(many).models) == 32
    # a loop that builds nothing is still given up
    idle = src.replace("for w in (3, 4, 5, 6):\n    convert(w)\n",
                       "m = convert(3)\nn = 0\nfor k in range(5000):\n    n += k\n"
                       "wide = keras.Sequential([keras.Input((2,)), keras.layers.Dense(n)])\n")
    (first, wide) = _report(idle).models
    assert (first.status, first.total) == ("exact", 8) and wide.status == "unknown"


def test_an_early_return_inside_an_elif_chain_does_not_pick_one_ways_model():
    """`if/elif/else: return` choosing a builder, then `model = make()` with no `return` after: the implicit
    `return None` is taken only for an `if` of the function's own body; here it would build the rest on the last
    `elif`'s way only (Xception) while the chain's other ways (VGG16) are forgotten, one model at a line where
    Keras may build another: nothing exact is reported there."""
    src = ("import keras\n\ndef pick(name):\n    if name == 'a':\n        make = keras.applications.VGG16\n"
           "    elif name == 'b':\n        make = keras.applications.Xception\n    else:\n        return\n"
           "    model = make(weights=None)\n\npick(input())\n")
    assert not [m for m in _report(src).models if m.status == "exact"]


def test_a_model_of_what_may_not_be_tensors_leaves_the_next_names_unknown():
    """Keras checks that a functional model's inputs and outputs are KerasTensors before it names the model (real
    Keras 3: `keras.Model(np.zeros((4, 3)), scores)` raises ValueError, and the next model is "functional"): a model
    made of a value the analysis does not know as a tensor may have raised unnamed, so its name and those made after
    it with the same prefix are "?", never a name one too far (the corpus's identity-link notebook, whose
    `Model(inputs, outputs)` of names its cell never defines raises NameError, printed functional_13 for Keras's
    functional_12)."""
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "features = keras.Input(shape=(3,))\nscores = layers.Dense(2)(features)\n"
              "try:\n    by_mistake = keras.Model(np.zeros((4, 3)), scores)\nexcept ValueError:\n    by_mistake = None\n"
              "scorer = keras.Model(features, scores)\nnamed = keras.Model(features, scores, name='named')\n")
    names = {m.model.name: m.model.keras_name for m in analyze_source(source).models}
    assert names == {"by_mistake": "?", "scorer": "?", "named": "named"}
    without = analyze_source(source.replace("try:\n    by_mistake = keras.Model(np.zeros((4, 3)), scores)\n"
                                            "except ValueError:\n    by_mistake = None\n", ""))
    assert [m.model.keras_name for m in without.models] == ["functional", "named"]
