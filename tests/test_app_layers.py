"""keras.applications models layer by layer in the analysis (kerascount/app_layers.py).

What real Keras lists is checked against the truth script's records by the fixtures in
fixtures/applications/ (tests/test_fixtures.py) and against Keras's summary text by the golden files
(tests/test_summary_golden.py); mult-adds against JAX by tests/test_cost.py. These tests check where the
analysis keeps an application as one row (it cannot be sure of Keras's order, or the layers are not
stored for the arguments), that the totals never change with the rows, and the options around them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kerascount import cache
from kerascount.api import analyze_source
from kerascount.catalogue import application_graphs, applications

ROOT = Path(__file__).resolve().parent.parent


def models(source: str) -> dict:
    report = analyze_source("import keras\nfrom keras import layers\n" + source)
    assert not report.internal_error, report.internal_error
    return {m.model.name: m for m in report.models}


def table_totals(name: str, **kwargs):
    app = applications.evaluate(applications.lookup(name), (), dict(kwargs, weights=None))
    return app.total, app.trainable, app.non_trainable


def test_an_application_lists_its_layers_and_keeps_its_verified_totals():
    (m,) = models("m = keras.applications.DenseNet121(include_top=False, weights=None, input_shape=(64, 64, 1))\n"
                  ).values()
    assert (m.total, m.trainable, m.non_trainable) == table_totals("DenseNet121", include_top=False,
                                                                   input_shape=(64, 64, 1))
    assert len(m.rows) > 400 and m.rows[0].layer.type == "InputLayer" and m.rows[-1].layer.name == "relu"
    assert sum(r.params for r in m.rows) == m.total and m.status == "exact"
    assert m.macs == sum(r.macs for r in m.rows) > 0
    assert m.collapsed is not None and m.collapsed.rows == ()  # what the rules read


def test_arguments_that_change_the_layers_keep_one_row():
    """alpha, include_preprocessing... build other layers than the stored ones: the totals stay, no rows."""
    found = models("a = keras.applications.MobileNetV2(include_top=False, weights=None, alpha=0.5)\n"
                   "b = keras.applications.MobileNetV3Small(include_top=False, weights=None, "
                   "include_preprocessing=False, input_shape=(64, 64, 3))\n"
                   "c = keras.applications.ConvNeXtTiny(include_top=False, weights=None, input_shape=(64, 64, 3), "
                   "include_preprocessing=False)\n")
    assert [(m.rows, m.status) for m in found.values()] == [((), "exact")] * 3
    assert found["a"].total == table_totals("MobileNetV2", include_top=False, alpha=0.5)[0]


def test_symbolic_sizes_give_symbolic_rows_or_none():
    found = models("import sys\nH = int(sys.argv[1])\n"
                   "v = keras.applications.VGG16(include_top=False, weights=None, input_shape=(H, H, 3))\n"
                   # Keras's correct_pad follows the parity of the size: not known for a symbol
                   "m = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(H, H, 3))\n")
    assert len(found["v"].rows) == 19 and found["v"].status == "exact"
    assert "sys.argv[1]" in str(found["v"].rows[-1].output_shape[1])
    assert found["m"].rows == () and found["m"].status == "exact"


def test_inline_where_keras_runs_through_the_application():
    """A model on base.input / base.output / base.get_layer(name).output lists the layers inline (the order
    against Keras: fixtures/applications/inline_branches.py, encoder_outputs.py); a model that also calls
    the application as a layer, or reads two applications, keeps them nested. The totals never change."""
    head = "base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))\n" \
           "x = layers.Flatten()(base.output)\n"
    found = models(head + "k = keras.Model(base.input, layers.Dense(2)(x))\n"
                   "j = keras.Model(base.input, base.get_layer('block3_pool').output)\n"
                   "y = keras.Input((32, 32, 3))\n"
                   "m = keras.Model([base.input, y], layers.Concatenate()([x, layers.Flatten()(base(y))]))\n"
                   "v = keras.applications.VGG19(include_top=False, weights=None, input_shape=(32, 32, 3))\n"
                   "n = keras.Model([base.input, v.input], layers.Concatenate()([x, layers.Flatten()(v.output)]))\n")
    assert [r.layer.name for r in found["k"].rows][:2] == ["input_layer", "block1_conv1"]
    assert found["k"].total == found["base"].total + 512 * 2 + 2
    assert found["k"].collapsed is not None and [r.layer.type for r in found["k"].collapsed.rows] == \
        ["InputLayer", "Functional", "Flatten", "Dense"]
    assert [r.layer.name for r in found["j"].rows][-1] == "block3_pool" and len(found["j"].rows) == 11
    assert found["j"].total == sum(r.params for r in found["base"].rows[:11])
    for name in ("m", "n"):
        types = [r.layer.type for r in found[name].rows]
        assert "Functional" in types and "Conv2D" not in types, name
    assert found["m"].total == found["base"].total
    assert found["n"].total == found["base"].total + found["v"].total


def test_input_tensor_is_followed_only_where_keras_uses_it_as_input_shape():
    """input_tensor=keras.Input(shape): the model Keras builds on it; with input_shape too, in MobileNet (which
    reads the tensor its own way) or on another layer's output, the application stays unknown."""
    found = models("i = keras.Input((64, 64, 3))\n"
                   "a = keras.applications.DenseNet121(include_top=False, weights=None, input_tensor=i)\n"
                   "b = keras.applications.DenseNet121(include_top=False, weights=None, input_tensor=i, "
                   "input_shape=(64, 64, 3))\n"
                   "c = keras.applications.MobileNetV2(include_top=False, weights=None, input_tensor=i)\n"
                   "d = keras.applications.DenseNet121(include_top=False, weights=None, "
                   "input_tensor=layers.Rescaling(1 / 255)(i))\n")
    assert (found["a"].total, found["a"].trainable, found["a"].non_trainable) == \
        table_totals("DenseNet121", include_top=False, input_shape=(64, 64, 3))
    assert found["a"].rows[0].layer.name == "input_layer" and found["a"].rows[0].layer.span.line == 3
    assert [found[k].status for k in "bcd"] == ["unknown"] * 3
    assert all("input_tensor" in found[k].reasons[0] for k in "bcd")


def test_layers_are_named_after_the_files_counters():
    found = models("a = keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(32, 32, 3))\n"
                   "b = keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(32, 32, 3))\n")
    first, second = ([r.layer.name for r in found[k].rows] for k in ("a", "b"))
    assert first[:2] == ["input_layer", "rescaling"] and second[:2] == ["input_layer_1", "rescaling_1"]
    relus = [n for n in second if n.startswith("re_lu")]
    assert relus[0] == "re_lu_14" and len(set(first) & set(second)) > 100  # explicit names repeat


def test_the_rows_are_computed_once_per_arguments():
    one = application_graphs.layers("ResNet50", (97, 65, 3))
    assert application_graphs.layers("ResNet50", (97, 65, 3)) is one
    assert application_graphs.layers("ResNet50", (97, 66, 3)) is not one


def test_cache_keeps_application_and_nested_rows():
    src = ("import keras\nbase = keras.applications.MobileNetV2(include_top=False, weights=None, "
           "input_shape=(32, 32, 3), pooling='avg')\n"
           "i = keras.Input((32, 32, 3))\nm = keras.Model(i, keras.layers.Dense(2)(base(i)))\n")
    report = analyze_source(src)
    back = cache.load(json.loads(json.dumps(cache.dump(report))))
    (row,) = [r for r in back.models[1].rows if r.layer.type == "Functional"]
    assert [r.layer.name for r in row.nested] == [r.layer.name for r in report.models[0].rows]
    assert [r.params for r in back.models[0].rows] == [r.params for r in report.models[0].rows]


def test_expand_nested_on_the_command_line(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import keras\nfrom keras import layers\n"
                    "inner = keras.Sequential([keras.Input((4,)), layers.Dense(3)], name='inner')\n"
                    "i = keras.Input((4,))\nm = keras.Model(i, layers.Dense(2)(inner(i)))\n")

    def run(*flags):
        return subprocess.run([sys.executable, "-m", "kerascount", "summary", *flags, str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout

    assert "└ dense (Dense)" not in run()
    assert "│    └ dense (Dense)" in run("--expand-nested")
    data = json.loads(run("--expand-nested", "--format", "json"))
    (model,) = [m for m in data["files"][0]["models"] if m["name"] == "m"]
    (nested,) = [row for row in model["layers"] if row["type"] == "Sequential"]
    assert [(r["name"], r["params"]) for r in nested["layers"]] == [("dense", 15)]
    plain = json.loads(run("--format", "json"))
    assert all("layers" not in row for m in plain["files"][0]["models"] for row in m["layers"])
    try:
        import jsonschema
    except ImportError:
        return
    schema = json.loads((ROOT / "docs" / "kerascount.schema.json").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))
