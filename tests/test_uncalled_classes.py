"""Classes of the analysed file that may build a model and that nothing here instantiates (a training script
elsewhere makes the instance): their ``__init__`` is run on a new instance, as a function nothing calls is run,
with its parameters as symbols (fixtures/interpreter2/uncalled_class_builder.py checks the numbers against Keras).
The counts below were checked with tools/keras_truth.py on Keras 3.15.1: Net({'classes': 3}) 67, Net({'classes': 5})
85, Wide({'classes': 2}) 114 (so 9c + 40 and 17c + 80), make(4) 36, the Dense(2) Sequential on 3 inputs 8."""

from __future__ import annotations

from kerascount.api import analyze_source

HEAD = "import keras\nfrom keras import layers\n"
CLASS = ("class Net:\n"
         "    def __init__(self, config, width=8):\n"
         "        self.classes = config['classes']\n"
         "        inputs = keras.Input((4,))\n"
         "        x = layers.Dense(width)(inputs)\n"
         "        self.model = keras.Model(inputs, layers.Dense(self.classes)(x))\n")


def _models(src):
    return [(m.model.name, m.status, m.total, m.caveat()) for m in analyze_source(src, "net.py").models]


def test_a_class_nothing_instantiates_is_run_with_symbols():
    (model,) = analyze_source(HEAD + CLASS, "net.py").models
    assert model.status == "symbolic" and str(model.total) == "9*config['classes'] + 40"
    assert model.caveat().startswith("built by Net(...), a class nothing here instantiates")
    assert [(s.name, s.origin) for s in model.symbols] == [("config['classes']", "computed from `config`")]


def test_a_class_the_script_instantiates_is_not_run_again():
    found = _models(HEAD + CLASS + "net = Net({'classes': 3})\n")
    assert [(status, total) for _, status, total, _ in found] == [("exact", 67)]  # 4*8+8 + 8*3+3


def test_a_class_an_uncalled_function_instantiates_is_run_by_that_function_only():
    found = _models(HEAD + CLASS + "def main():\n    return Net({'classes': 5})\n")
    assert [(status, total) for _, status, total, _ in found] == [("exact", 85)]
    assert found[0][3].startswith("built by main()")


def test_a_class_that_builds_no_model_is_not_run():
    src = HEAD + "class Loader:\n    def __init__(self, path):\n        self.rows = open(path).read()\n" \
        "model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
    assert [(status, total) for _, status, total, _ in _models(src)] == [("exact", 8)]


def test_a_settings_get_of_a_parameter_is_a_symbol():
    src = HEAD + CLASS.replace("config['classes']", "config.get('classes', 10)")
    (model,) = analyze_source(src, "net.py").models
    assert str(model.total) == "9*config.get('classes', 10) + 40"


def test_a_base_class_and_its_subclass_are_each_run():
    src = HEAD + CLASS + ("class Wide(Net):\n    def __init__(self, config):\n"
                          "        super().__init__(config, width=16)\n")
    found = _models(src)
    assert sorted(str(total) for _, _, total, _ in found) == ["17*config['classes'] + 80", "9*config['classes'] + 40"]


def test_a_settings_get_of_an_item_of_a_parameter_is_a_symbol():
    src = HEAD + CLASS.replace("config['classes']", "config['model'].get('classes', 10)")
    (model,) = analyze_source(src, "net.py").models
    assert str(model.total) == "9*config['model'].get('classes', 10) + 40"


def test_environment_get_stays_a_process_input():
    src = HEAD + "import os\nn = int(os.environ.get('UNITS', '4'))\n" \
        "model = keras.Sequential([keras.Input((3,)), layers.Dense(n)])\n"
    (model,) = analyze_source(src, "env.py").models
    assert [s.name for s in model.symbols] == ["int(os.environ.get('UNITS', '4'))"]


TESTS = ("import unittest\nimport keras\nfrom keras import layers\n\n"
         "def make(width):\n    return keras.Sequential([keras.Input((8,)), layers.Dense(width)])\n\n"
         "class TestB(unittest.TestCase):\n    def setUp(self):\n        self.width = 4\n\n"
         "    def test_z(self):\n        self.model = make(self.width)\n        self.assertTrue(self.model.built)\n\n"
         "    def test_a(self):\n        with self.assertRaises(ValueError):\n            layers.Dense(-1)\n\n"
         "    def helper(self):\n        return make(2)\n")


def test_unittest_methods_run_as_the_runner_runs_them():
    report = analyze_source(TESTS, "test_models.py")
    assert [(m.total, m.caveat()) for m in report.models] == \
        [(36, "built by the test TestB.test_z, as a test runner runs it")]  # (make is then called: no probe)
    assert not [d for d in report.diagnostics if d.severity == "error"]  # (Dense(-1) is expected to raise)


def test_a_block_a_test_expects_to_raise_builds_nothing():
    src = ("import pytest\nimport keras\nfrom keras import layers\n\ndef test_units():\n"
           "    with pytest.raises(ValueError):\n        model = keras.Sequential([keras.Input((3,)), layers.Dense(-1)])\n"
           "    other = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n")
    report = analyze_source(src, "test_units.py")
    assert [(m.model.name, m.total) for m in report.models] == [("other", 8)]
    assert not [d for d in report.diagnostics if d.code == "KC103"]
