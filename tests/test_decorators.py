"""Functions under decorators: one defined in the analysed code is applied; one known to return the function
itself (``tf.function``, ``functools.wraps(f)``, ``register_keras_serializable(...)``) leaves it; under
``functools.lru_cache`` the first call is followed and a later one (which may return the same object) is not; any
other decorator may call the function with other arguments, so a call of the name is not followed (the function
itself is still run with its default arguments, and says so). Expected numbers come from running the source with
Keras."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kerascount.api import analyze_source

HEAD = "import functools\nimport keras\nfrom keras import layers\n"

#: A decorator that is not followed and changes the arguments: build() is build(units=8).
PARTIAL = HEAD + (
    "@functools.partial(functools.partial, units=8)\n"
    "def build(units=3):\n"
    "    return keras.Sequential([keras.Input((2,)), layers.Dense(units)])\n"
    "model = build()\n")
#: A cached layer factory: the second call returns the same layer (shared weights).
CACHED = HEAD + (
    "@functools.lru_cache()\n"
    "def block():\n"
    "    return layers.Dense(4)\n"
    "x = keras.Input((4,))\n"
    "model = keras.Model(x, block()(block()(x)))\n")
#: Decorators that return the function itself: followed.
TRANSPARENT = HEAD + (
    "def logged(f):\n"
    "    @functools.wraps(f)\n"
    "    def inner(*a, **k):\n"
    "        return f(*a, **k)\n"
    "    return inner\n"
    "@keras.saving.register_keras_serializable(package='t')\n"
    "def build(units=3):\n"
    "    return keras.Sequential([keras.Input((2,)), layers.Dense(units)])\n"
    "@logged\n"
    "def twice(units=5):\n"
    "    return keras.Sequential([keras.Input((2,)), layers.Dense(units), layers.Dense(units)])\n"
    "model = build()\n"
    "other = twice(units=6)\n")

PROBE = r"""
import json, sys
import keras
scope = {}
exec(sys.argv[1], scope)
print(json.dumps(sorted(v.count_params() for v in scope.values() if isinstance(v, keras.Model))))
"""


def _keras_totals(source: str):
    env = dict(os.environ, KERAS_BACKEND="numpy")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-c", PROBE, source], capture_output=True, text=True, env=env)
    if done.returncode != 0 and "No module named 'keras'" in done.stderr:
        pytest.skip("Keras is not installed")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _stated(source: str):
    """The totals kerascount states exactly for models built by the file as it runs (not by a function it runs
    on its own with its default arguments, which says so)."""
    report = analyze_source(source, "m.py")
    assert report.internal_error is None
    return sorted(m.total for m in report.models if m.status == "exact" and not m.model.from_defaults), report


@pytest.mark.keras
@pytest.mark.parametrize("source", [PARTIAL, CACHED], ids=["partial", "lru_cache"])
def test_decorator_that_changes_the_call_is_not_read_as_transparent(source):
    truth = _keras_totals(source)
    stated, report = _stated(source)
    assert set(stated) <= set(truth), (stated, truth)  # never a number Keras does not give
    for m in report.models:
        if m.model.from_defaults:
            assert "without its decorator" in m.model.from_defaults or m.model.from_defaults.startswith("built by build()"), \
                m.model.from_defaults


@pytest.mark.keras
def test_decorators_that_return_the_function_are_followed():
    truth = _keras_totals(TRANSPARENT)
    stated, _ = _stated(TRANSPARENT)
    assert stated == truth


def test_the_function_under_a_decorator_not_followed_is_run_alone_and_says_so():
    report = analyze_source(PARTIAL, "m.py")
    (m,) = report.models
    assert m.status == "exact" and m.total == 9  # Dense(3) on 2 features: the function with its defaults
    assert m.model.from_defaults == ("built by the function build run with its default arguments, without its decorator "
                              "`@functools.partial(functools.partial, units=8)`")


#: Static and class methods of a plain class and of a model class, called through the class and an instance.
METHODS = HEAD + (
    "class Builder:\n"
    "    width = 4\n"
    "    @staticmethod\n"
    "    def dense(units=3):\n"
    "        return keras.Sequential([keras.Input((2,)), layers.Dense(units)])\n"
    "    @classmethod\n"
    "    def wide(cls):\n"
    "        return keras.Sequential([keras.Input((2,)), layers.Dense(cls.width)])\n"
    "class Net(keras.Model):\n"
    "    def __init__(self, units=3, **kwargs):\n"
    "        super().__init__(**kwargs)\n"
    "        self.dense = layers.Dense(units)\n"
    "    def call(self, x):\n"
    "        return self.dense(x)\n"
    "    @staticmethod\n"
    "    def head(units):\n"
    "        return keras.Sequential([keras.Input((2,)), layers.Dense(units), layers.Dense(1)])\n"
    "    @classmethod\n"
    "    def make(cls, units):\n"
    "        return Net.head(units + 1)\n"
    "a, b, c = Builder.dense(), Builder.wide(), Builder().dense(7)\n"
    "d, e = Net.head(5), Net.make(2)\n")


@pytest.mark.keras
def test_static_and_class_methods_are_followed():
    truth = _keras_totals(METHODS)
    stated, report = _stated(METHODS)
    assert stated == truth, (stated, truth)


#: An uncalled builder with star parameters: run as `build()`, where `extra` is () and `options` is {} (as
#: benchmarks/corpus_truth.py calls such a builder).
STARS = HEAD + (
    "def build(width=8, *extra, **options):\n"
    "    model = keras.Sequential([keras.Input((4,))])\n"
    "    model.add(layers.Dense(width, **options))\n"
    "    if extra:\n"
    "        model.add(layers.Dense(extra[0]))\n"
    "    for n in extra[1:]:\n"
    "        model.add(layers.Dense(n))\n"
    "    if len(options) == 0:\n"
    "        model.add(layers.Dense(3))\n"
    "    return model\n")


@pytest.mark.keras
def test_uncalled_builder_with_star_parameters_is_the_call_without_arguments():
    (truth,) = _keras_totals(STARS + "model = build()\n")
    (m,) = analyze_source(STARS, "m.py").models
    assert m.model.from_defaults == "built by build() with its default arguments"
    assert m.status == "exact" and m.total == truth


#: Methods under `tf.function` (a decorator that returns the function it traces): a custom layer's `call` and a
#: helper method. Keras (without TensorFlow here) is run on the same source without the decorators.
TF_METHODS = HEAD + "import tensorflow as tf\n" + (
    "class Scale(layers.Layer):\n"
    "    def build(self, input_shape):\n"
    "        self.w = self.add_weight(shape=(input_shape[-1], 2))\n"
    "    @tf.function\n"
    "    def call(self, x):\n"
    "        return self.project(x)\n"
    "    @tf.function(jit_compile=True)\n"
    "    def project(self, x):\n"
    "        return keras.ops.matmul(x, self.w)\n"
    "inputs = keras.Input((5,))\n"
    "model = keras.Model(inputs, layers.Dense(1)(Scale()(inputs)))\n")


@pytest.mark.keras
def test_methods_under_tf_function_are_followed():
    plain = "\n".join(line for line in TF_METHODS.splitlines() if "tf." not in line and "tensorflow" not in line)
    truth = _keras_totals(plain + "\n")
    stated, _ = _stated(TF_METHODS)
    assert stated == truth == [13], (stated, truth)
