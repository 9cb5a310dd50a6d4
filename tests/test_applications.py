"""keras.applications models: kerascount.catalogue.applications against its data and real Keras.

The unit tests need no Keras: their expected numbers come from the generated
``applications.json`` or from fixture truth written by ``tools/keras_truth.py``.
The ``keras`` tests build every application with real Keras (numpy backend, in a
subprocess, ``weights=None``) and compare with :func:`evaluate`. By default they
cover a subset of the applications that rotates daily (about a third); set
``KERASCOUNT_ALL_APPLICATIONS=1`` to cover all of them.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import textwrap

import pytest

from kerascount.catalogue import applications as apps
from kerascount.catalogue.spec import ShapeError, Unresolved
from kerascount.ir import Unknown
from kerascount.symbolic import symbol

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO_ROOT, "fixtures", "applications")
DATA = json.load(open(os.path.join(REPO_ROOT, "kerascount", "catalogue", "applications.json"), encoding="utf-8"))
ALL = sorted(DATA["applications"])


def ev(app, *args, **kwargs):
    spec = apps.lookup(app)
    assert spec is not None, app
    return apps.evaluate(spec, args, kwargs)


def base_counts(name, channels, variant=0):
    v = DATA["applications"][name]["variants"][variant]
    return (v["trainable"][0] + v["trainable"][1] * channels,
            v["non_trainable"][0] + v["non_trainable"][1] * channels)


# -- without Keras ---------------------------------------------------------------------------


def test_every_keras_application_is_catalogued():
    assert len(ALL) >= 40
    for name in ALL:
        spec = apps.lookup(name)
        assert spec.name == name
        for path in spec.paths:
            assert apps.lookup(path) == spec
            assert apps.lookup("tf." + path) == spec


def test_lookup_paths():
    assert apps.lookup("keras.applications.densenet.DenseNet121").name == "DenseNet121"
    assert apps.lookup("tensorflow.keras.applications.ResNet50").name == "ResNet50"
    assert apps.lookup("keras.applications.vgg16.ResNet50") is None
    assert apps.lookup("Dense") is None
    assert apps.lookup("keras.layers.Dense") is None


@pytest.mark.parametrize("name", ALL)
def test_default_call_builds_the_default_classifier(name):
    data = DATA["applications"][name]
    result = ev(name, weights=None)
    assert result.output_shape == (None, 1000)
    assert list(result.input_shape[1:]) == data["default_input_with_top"]
    t, n = base_counts(name, 3)
    top = data["variants"][0]["top"]
    assert result.trainable == t + top[0] + top[1] * 1000
    assert result.non_trainable == n
    if data["keras_name"] and data["input_logic"] not in ("mobilenet", "mobilenet_v2"):
        assert result.name == data["keras_name"]


@pytest.mark.parametrize("name", ALL)
def test_no_top_channels_and_pooling(name):
    data = DATA["applications"][name]
    size = data["min_size"] + 7
    result = ev(name, include_top=False, weights=None, input_shape=(size, size + 2, 1))
    assert result.input_shape == (None, size, size + 2, 1)
    assert result.output_shape[-1] == data["variants"][0]["features"]
    assert all(isinstance(d, int) and d >= 1 for d in result.output_shape[1:3])
    assert (result.trainable, result.non_trainable) == base_counts(name, 1)
    pooled = ev(name, include_top=False, weights=None, input_shape=(size, size, 4), pooling="max")
    assert pooled.output_shape == (None, data["variants"][0]["features"])
    assert (pooled.trainable, pooled.non_trainable) == base_counts(name, 4)


@pytest.mark.parametrize("name", ALL)
def test_no_top_without_input_shape(name):
    data = DATA["applications"][name]
    result = ev(name, include_top=False, weights=None)
    assert list(result.input_shape[1:]) == data["default_input_without_top"]


def _truth(fixture):
    with open(os.path.join(FIXTURES, fixture + ".keras.json"), encoding="utf-8") as f:
        return json.load(f)


def _app_models(truth):
    return [m for m in truth["models"] if m["kind"] == "application"]


#: The calls each fixture makes (its arguments, not expected numbers).
FIXTURE_CALLS = {
    "densenet_seed": [
        ("DenseNet121", dict(include_top=False, weights=None, input_shape=(224, 224, 1), pooling="avg")),
        ("DenseNet121", dict(include_top=False, weights=None, input_shape=(512, 512, 1), pooling="avg")),
    ],
    "mobilenet_v2_standalone": [("MobileNetV2", dict(input_shape=(160, 160, 3), weights=None, classes=10))],
    "resnet50_feature_extractor": [
        ("ResNet50", dict(include_top=False, weights=None, input_shape=(200, 300, 3), pooling="avg")),
    ],
    "efficientnet_no_top_gray": [
        ("EfficientNetB0", dict(include_top=False, weights=None, input_shape=(96, 120, 1))),
    ],
}


@pytest.mark.parametrize("fixture", sorted(FIXTURE_CALLS))
def test_fixture_truth(fixture):
    truth = _truth(fixture)
    models = _app_models(truth)
    calls = FIXTURE_CALLS[fixture]
    assert len(models) == len(calls)
    for (name, kwargs), model in zip(calls, models):
        result = ev(name, **kwargs)
        assert [list(result.input_shape)] == model["inputs"]
        assert [list(result.output_shape)] == model["outputs"]
        # A frozen base (trainable=False) reports everything as non-trainable in the truth.
        assert result.total == model["total_params"]
        if model["trainable_params"]:
            assert result.trainable == model["trainable_params"]
            assert result.non_trainable == model["non_trainable_params"]


def test_seed_densenet_plus_dense_head():
    # Truth of the whole seed model: DenseNet121 base + Dense(2) on its features.
    truth = _truth("densenet_seed")
    heads = [m for m in truth["models"] if m["kind"] == "functional"]
    assert len(heads) == 2
    for size, head in zip((224, 512), heads):
        base = ev("DenseNet121", include_top=False, weights=None, input_shape=(size, size, 1), pooling="avg")
        features = base.output_shape[-1]
        assert head["total_params"] == base.total + features * 2 + 2
        assert head["non_trainable_params"] == base.non_trainable
        assert base.name in [layer["name"] for layer in head["layers"]]


def test_names():
    assert ev("DenseNet121", include_top=False, weights=None).name == "densenet121"
    assert ev("MobileNet", include_top=False, weights=None).name == "mobilenet_1.00_None"
    assert ev("MobileNetV2", weights=None, input_shape=(300, 300, 3)).name == "mobilenetv2_1.00_300"
    assert ev("MobileNetV2", weights="imagenet", include_top=False, input_shape=(300, 300, 3)).name == \
        "mobilenetv2_1.00_224"
    assert ev("ResNet50", weights=None, name="backbone").name == "backbone"
    assert ev("ResNet50", weights=None, name=None).name is None  # Keras: "functional"
    with pytest.raises(ShapeError):
        ev("EfficientNetV2B0", weights=None, name=None)


def test_keras_errors():
    cases = [
        (dict(weights="imagenet", classes=10), "KC111"),
        (dict(weights=None, include_top=False, input_shape=(31, 224, 3)), "KC112"),
        (dict(weights="imagenet", include_top=False, input_shape=(224, 224, 1)), "KC111"),
        (dict(weights=None, input_shape=(None, None, 3)), "KC103"),
        (dict(weights=None, include_top=False, input_shape=(224, 224)), "KC103"),
        (dict(weights="imagenet", input_shape=[224, 224, 3]), "KC111"),  # a list never equals Keras's tuple
        (dict(weights="imagenet", classifier_activation="sigmoid"), "KC103"),
        (dict(weights=None, classifier_activation="nope"), "KC103"),
        (dict(weights=None, classes=0), "KC103"),
        (dict(weights=3), "KC103"),
        (dict(weights=None, bogus=1), "KC103"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ShapeError) as info:
            ev("DenseNet121", **kwargs)
        assert info.value.code == code, kwargs
    assert ev("DenseNet121", weights="imagenet", input_shape=(224, 224, 3)).output_shape == (None, 1000)
    assert ev("DenseNet121", weights=None, classifier_activation="sigmoid").output_shape == (None, 1000)
    # Keras ignores an unknown pooling mode.
    assert ev("DenseNet121", include_top=False, weights=None, pooling="sum").output_shape == \
        (None, None, None, 1024)
    with pytest.raises(ShapeError):
        ev("Xception", include_top=False, weights=None, input_shape=(70, 80, 3))
    with pytest.raises(ShapeError):
        ev("MobileNetV3Small", weights="imagenet", input_shape=(224, 224, 1))


def test_unknown_and_symbolic_values():
    with pytest.raises(Unresolved):
        ev("DenseNet121", weights=None, include_top=False, input_shape=Unknown("from a file"))
    with pytest.raises(Unresolved):
        ev("DenseNet121", weights=None, include_top=False, pooling=Unknown("a variable"))
    # classes does not matter without the top
    ev("DenseNet121", weights=None, include_top=False, classes=Unknown("?"))
    with pytest.raises(Unresolved):
        ev("MobileNetV2", weights=None, alpha=0.6)
    h = symbol("H")
    result = ev("DenseNet121", weights=None, include_top=False, input_shape=(h, 64, 3))
    assert result.output_shape[2] == 2
    assert result.output_shape[1] not in (None, 2)
    assert (result.trainable, result.non_trainable) == base_counts("DenseNet121", 3)


def test_variants():
    data = DATA["applications"]["MobileNetV2"]
    for i, variant in enumerate(data["variants"]):
        result = ev("MobileNetV2", include_top=False, weights=None, input_shape=(96, 96, 3), **variant["args"])
        assert (result.trainable, result.non_trainable) == base_counts("MobileNetV2", 3, i)


def test_vgg_flatten_top_follows_the_input_size():
    small = ev("VGG16", weights=None, input_shape=(64, 64, 3), classes=2)
    default = ev("VGG16", weights=None, classes=2)
    features = DATA["applications"]["VGG16"]["variants"][0]["features"]
    assert default.trainable - small.trainable == (7 * 7 - 2 * 2) * features * 4096


# -- with real Keras -------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import json, math, os, sys, warnings, gc
    os.environ["KERAS_BACKEND"] = "numpy"
    import numpy as np
    import keras
    from keras.src.backend.numpy import random as nprandom
    warnings.simplefilter("ignore")
    # Zeros instead of random draws: shapes and counts do not depend on values; much faster.
    for fn in ("normal", "uniform", "truncated_normal"):
        setattr(nprandom, fn, lambda shape, *a, dtype=None, **k: np.zeros(shape, dtype=dtype or "float32"))
    def count(ws):
        return int(sum(math.prod(w.shape) for w in ws))
    out = []
    for name, kwargs in json.load(sys.stdin):
        if "input_shape" in kwargs and kwargs["input_shape"] is not None:
            kwargs["input_shape"] = tuple(kwargs["input_shape"])
        try:
            m = getattr(keras.applications, name)(**kwargs)
            r = {"name": m.name, "input": [list(m.inputs[0].shape)], "output": [list(m.outputs[0].shape)],
                 "trainable": count(m.trainable_weights), "non_trainable": count(m.non_trainable_weights)}
        except Exception as e:
            r = {"error": type(e).__name__ + ": " + str(e)[:300]}
        out.append(r)
        keras.backend.clear_session()
        gc.collect()
    print(json.dumps(out))
    """
)


def _keras_cases(names):
    cases = []
    for name in names:
        data = DATA["applications"][name]
        size = data["min_size"] + 41
        cases.append((name, dict(weights=None)))
        cases.append((name, dict(weights=None, include_top=False, input_shape=[size, size + 5, 3])))
        cases.append((name, dict(weights=None, include_top=False, pooling="avg",
                                 input_shape=[data["default_size"], data["default_size"], 1])))
        cases.append((name, dict(weights=None, include_top=False, input_shape=[data["min_size"] - 1,
                                                                              data["min_size"], 3])))
        cases.append((name, dict(weights="imagenet", classes=10)))  # raises before any download
    return cases


def _selected():
    if os.environ.get("KERASCOUNT_ALL_APPLICATIONS") == "1":
        return ALL
    day = datetime.date.today().toordinal()
    rng = random.Random(day)
    return sorted(rng.sample(ALL, max(1, len(ALL) // 3)))


def _run_keras(cases):
    env = dict(os.environ, KERAS_BACKEND="numpy")
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(cases), capture_output=True,
                          text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        if "No module named 'keras'" in proc.stderr:
            pytest.skip(f"`import keras` fails in {sys.executable}")
        raise AssertionError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.keras
def test_applications_against_keras():
    """Every (selected) application: with top, without top at a non-default size, with
    pooling='avg' on 1 channel, and below the minimum size (an error)."""
    names = _selected()
    cases = _keras_cases(names)
    got = _run_keras(cases)
    problems = []
    for (name, kwargs), truth in zip(cases, got):
        call = dict(kwargs)
        if call.get("input_shape") is not None:
            call["input_shape"] = tuple(call["input_shape"])
        try:
            result = ev(name, **call)
        except ShapeError as exc:
            if "error" not in truth:
                problems.append(f"{name}{call}: kerascount raised {exc.message}, Keras built it")
            continue
        if "error" in truth:
            problems.append(f"{name}{call}: Keras raised {truth['error']}, kerascount built it")
            continue
        mine = {"name": result.name, "input": [list(result.input_shape)], "output": [list(result.output_shape)],
                "trainable": result.trainable, "non_trainable": result.non_trainable}
        if mine != truth:
            problems.append(f"{name}{call}: kerascount {mine} != Keras {truth}")
    assert not problems, "\n".join(problems)


def test_imagenet_weights_fix_three_channels_of_unseen_data():
    """``VGG16(input_shape=x.shape[1:], weights="imagenet")`` of data the analysis does not see: Keras loads the
    weights on 3 channels only (real Keras: "The input must have 3 channels" for (48, 40, 1), checked in
    test_imagenet_weights_need_three_channels_in_keras), so the count is the one of 3 channels, which Keras gives
    in fixtures/applications/input_shape_from_data.py (there with weights=None)."""
    from kerascount.api import analyze_source

    truth = json.load(open(os.path.join(FIXTURES, "input_shape_from_data.keras.json"), encoding="utf-8"))
    expected = next(m for m in truth["models"] if m["name"] == "features")["total_params"]
    source = ("import numpy as np\nfrom keras.applications import VGG16\nx = np.load('x.npy')\n"
              "features = VGG16(input_shape=x.shape[1:], weights='imagenet', include_top=False, pooling='avg')\n")
    (model,) = analyze_source(source, "t.py").models
    assert model.status == "exact" and model.total == expected


@pytest.mark.keras
def test_imagenet_weights_need_three_channels_in_keras():
    code = ("import keras\ntry:\n    keras.applications.VGG16(input_shape=(48, 40, 1), weights='imagenet', "
            "include_top=False)\nexcept ValueError as e:\n    print('3 channels' in str(e))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="numpy"))
    assert proc.stdout.strip().splitlines()[-1:] == ["True"], proc.stderr[-2000:]
