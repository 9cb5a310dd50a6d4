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
from kerascount.symbolic import ceildiv

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
    """alpha with the top, minimalistic... build other layers than the stored ones: the totals stay, no rows (another
    width without the top is stored: tests/test_application_graphs.py). Without
    preprocessing the stored layers marked ``$preprocessing`` are left out (against Keras:
    fixtures/applications/no_preprocessing.py, no_preprocessing_names.py); where the flag is not known, no rows."""
    found = models("import sys\n"
                   "a = keras.applications.MobileNetV2(weights=None, alpha=0.5)\n"
                   "b = keras.applications.MobileNetV3Small(include_top=False, weights=None, "
                   "include_preprocessing=False, input_shape=(64, 64, 3))\n"
                   "c = keras.applications.ConvNeXtTiny(include_top=False, weights=None, input_shape=(64, 64, 3), "
                   "include_preprocessing=False)\n"
                   "d = keras.applications.ConvNeXtTiny(include_top=False, weights=None, input_shape=(64, 64, 3), "
                   "include_preprocessing=len(sys.argv) > 1)\n"
                   "e = keras.applications.ConvNeXtTiny(include_top=False, weights=None, input_shape=(64, 64, 3))\n")
    assert [(len(m.rows), m.status) for m in found.values()] == [(0, "exact"), (175 - 1, "exact"),
                                                                 (151 - 1, "exact"), (0, "exact"), (151, "exact")]
    assert found["a"].total == table_totals("MobileNetV2", include_top=True, alpha=0.5)[0]
    assert "rescaling" not in [r.layer.name for r in found["b"].rows]
    with_it = [(r.layer.type, r.output_shape, r.params) for r in found["e"].rows]
    assert found["e"].rows[1].layer.name == "convnext_tiny_prestem_normalization"
    assert with_it[:1] + with_it[2:] == [(r.layer.type, r.output_shape, r.params) for r in found["c"].rows]


def test_symbolic_sizes_give_symbolic_rows_or_none():
    found = models("import sys\nH = int(sys.argv[1])\n"
                   "v = keras.applications.VGG16(include_top=False, weights=None, input_shape=(H, H, 3))\n"
                   # Keras's correct_pad follows the parity of the size, but a padded side is 2*ceil(s/2) + 1
                   # for either parity (checked against Keras at odd and even sizes:
                   # fixtures/applications/symbolic_size_feature_maps.py)
                   "m = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(H, H, 3))\n")
    assert len(found["v"].rows) == 19 and found["v"].status == "exact"
    assert "sys.argv[1]" in str(found["v"].rows[-1].output_shape[1])
    assert len(found["m"].rows) == 154 and found["m"].status == "exact"
    rows = {r.layer.name: r for r in found["m"].rows}
    side = rows["block_1_expand_relu"].output_shape[1]
    assert str(side) == "ceil(sys.argv[1]/2)"
    assert rows["block_1_pad"].output_shape[1] == 2 * ceildiv(side, 2) + 1
    assert rows["block_1_depthwise"].output_shape[1] == ceildiv(side, 2)


def test_inline_where_keras_runs_through_the_application():
    """A model on base.input / base.output / base.get_layer(name).output lists the layers inline (the order
    against Keras: fixtures/applications/inline_branches.py, encoder_outputs.py); a model that also calls
    the application as a layer keeps it nested. The totals never change. A model that reads two applications runs
    through the layers of both (fixtures/applications/two_bases_joined.py): a VGG16 and a VGG19 share the names
    of their layers, which Keras rejects ("The name "block1_conv1" is used 2 times in the model")."""
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
    types = [r.layer.type for r in found["m"].rows]
    assert "Functional" in types and "Conv2D" not in types
    assert found["m"].total == found["base"].total
    assert found["n"].status == "unknown" and found["n"].total is None and found["n"].failed
    assert found["n"].reasons == ('Keras rejects it: the name "block1_conv1" is used by two of the layers the model '
                                  'runs through: of vgg19 (line 9) and of vgg16 (line 3)',)


def test_input_tensor_builds_the_layers_on_that_tensor():
    """input_tensor=t: Keras checks input_shape (when given) but applies the layers to t; a t made by other
    layers brings them into the model (its input is t's source). The layer-by-layer truth of each case is in
    fixtures/applications/input_tensor_*.py; here the totals equal the application's own at t's size."""
    found = models("i = keras.Input((64, 64, 3))\n"
                   "a = keras.applications.DenseNet121(include_top=False, weights=None, input_tensor=i)\n"
                   "b = keras.applications.DenseNet121(include_top=False, weights=None, input_tensor=i, "
                   "input_shape=(96, 96, 3))\n"
                   "c = keras.applications.MobileNetV2(include_top=False, weights=None, input_tensor=i)\n"
                   "d = keras.applications.DenseNet121(include_top=False, weights=None, "
                   "input_tensor=layers.Rescaling(1 / 255)(i))\n")
    own = table_totals("DenseNet121", include_top=False, input_shape=(64, 64, 3))
    for k in "abd":
        assert (found[k].total, found[k].trainable, found[k].non_trainable) == own and found[k].status == "exact"
        assert found[k].inputs == ((None, 64, 64, 3),)
    assert found["a"].rows[0].layer.name == "input_layer" and found["a"].rows[0].layer.span.line == 3
    assert found["c"].total == table_totals("MobileNetV2", include_top=False, input_shape=(64, 64, 3))[0]
    d = [r.layer for r in found["d"].rows]
    assert [(x.type, x.span.line) for x in d[:2]] == [("InputLayer", 3), ("Rescaling", 7)]
    assert [x.type for x in d[2:]] == [r.layer.type for r in found["a"].rows[1:]]


def test_input_tensor_keras_does_not_check_stays_unknown():
    """What Keras checks only on input_shape, or a graph before the tensor that is not listed: unknown, with why."""
    found = models("i = keras.Input((16, 16, 3))\n"
                   "a = keras.applications.ResNet50(include_top=False, weights=None, input_tensor=i)\n"
                   "j = keras.Input((None, None, 3))\n"
                   "b = keras.applications.VGG16(weights=None, input_tensor=j)\n"
                   "k = keras.Input((64, 64, 3))\n"
                   "c = keras.applications.ResNet50(include_top=False, weights=None, "
                   "input_tensor=layers.Concatenate()([k, keras.Input((64, 64, 3))]))\n"
                   "d = keras.applications.ResNet50(include_top=False, weights='imagenet', "
                   "input_tensor=keras.Input((64, 64, 1)))\n"
                   "def backbone(t):\n    e = keras.applications.ResNet50(include_top=False, input_tensor=t)\n"
                   "    return e\n")
    why = {k: found[k].reasons[0] for k in "abcd"}
    assert all(found[k].status == "unknown" and found[k].total is None for k in "abcd")
    assert "16x16" in why["a"] and "flattens" in why["b"] and "several inputs" in why["c"] and "3 input" in why["d"]
    # A builder's tensor parameter (no call gives it): images of rank 4, and 3 channels for the imagenet weights
    # (extract/params.py); without a top, the counts do not depend on the size.
    assert found["e"].total == table_totals("ResNet50", include_top=False, input_shape=(64, 64, 3))[0]
    assert found["e"].inputs[0][-1] == 3 and "3 channels for its imagenet weights" in found["e"].model.from_defaults


def test_layers_are_named_after_the_files_counters():
    found = models("a = keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(32, 32, 3))\n"
                   "b = keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(32, 32, 3))\n")
    first, second = ([r.layer.name for r in found[k].rows] for k in ("a", "b"))
    assert first[:2] == ["input_layer", "rescaling"] and second[:2] == ["input_layer_1", "rescaling_1"]
    relus = [n for n in second if n.startswith("re_lu")]
    assert relus[0] == "re_lu_14" and len(set(first) & set(second)) > 100  # explicit names repeat


def test_names_an_application_may_use_up_are_unknown_after_it_when_its_arguments_are_not_known():
    # include_top from the command line: how many automatic names it takes is not known (the classifier's are not
    # the pooled base's), so the names of those prefixes made afterwards are "?", never guessed; a prefix no
    # application uses (dense) keeps its number. A top given as a plain value is read by its truth, as Keras does.
    found = models("import sys\n"
                   "a = keras.applications.MobileNetV3Small(include_top=sys.argv[1] == 'top', weights=None,\n"
                   "                                        input_shape=(224, 224, 3))\n"
                   "inputs = keras.Input((4,))\n"
                   "b = keras.Model(inputs, layers.Dense(2)(layers.Rescaling(0.5)(inputs)))\n"
                   "c = keras.applications.MobileNetV3Small(include_top='no', weights=None)\n")
    assert found["a"].status != "exact"
    assert [r.layer.name for r in found["b"].rows] == ["?", "?", "dense"]
    assert found["c"].status == "exact" and [r.layer.name for r in found["c"].rows][-1] == "predictions"

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


def test_preprocess_input_is_followed_only_where_its_shape_is_sure():
    """preprocess_input on a Keras tensor records Keras's operations (fixtures/applications/preprocess_input_ops.py);
    where the three-channel constants would broadcast to another shape, or channels_first, it stays unknown; on
    arrays it is not a graph operation at all."""
    found = models("import numpy as np\n"
                   "g = keras.Input((32, 32, 1))\n"
                   "a = keras.Model(g, keras.applications.densenet.preprocess_input(g))\n"
                   "b = keras.Model(g, keras.applications.vgg19.preprocess_input(g))\n"
                   "c = keras.Model(g, keras.applications.imagenet_utils.preprocess_input(g, mode='tf'))\n"
                   "d = keras.Model(g, keras.applications.imagenet_utils.preprocess_input(g, mode='other'))\n"
                   "e = keras.Model(g, keras.applications.xception.preprocess_input(g, data_format='channels_first'))\n"
                   "x = keras.applications.resnet50.preprocess_input(np.zeros((4, 32, 32, 3)))\n"
                   "f = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(2)])\n"
                   "f.fit(x, np.zeros((4, 2)))\n")
    assert [found[k].status for k in "abde"] == ["unknown"] * 4
    assert [r.layer.type for r in found["c"].rows] == ["InputLayer", "TrueDivide", "Subtract"]
    assert found["f"].status == "exact" and not any(r.layer.operation for r in found["f"].rows)


def test_an_application_called_on_a_fixed_size_only_where_its_weights_do_not_follow_the_size():
    """Built for None x None and called on a fixed size, the row has the output at that size
    (fixtures/applications/called_on_fixed_size.py); NASNet's weights follow the size, and a size under the
    minimum is not followed: both stay unknown, saying why."""
    found = models("v = keras.applications.VGG16(weights=None, include_top=False)\n"
                   "i = keras.Input((64, 48, 3))\n"
                   "a = keras.Model(i, v(i))\n"
                   "n = keras.applications.NASNetMobile(weights=None, include_top=False, input_shape=(None, None, 3))\n"
                   "b = keras.Model(i, n(i))\n")
    found.update(models("v = keras.applications.VGG16(weights=None, include_top=False)\n"
                        "s = keras.Input((16, 16, 3))\n"
                        "c = keras.Model(s, v(s))\n"))
    # MobileNetV2 built for None pads as for even sizes: on 97x97 Keras gives 3x3 maps, built for 97x97 4x4
    found.update(models("m = keras.applications.MobileNetV2(include_top=False, weights=None)\n"
                        "o = keras.Input((97, 97, 3))\n"
                        "d = keras.Model(o, m(o))\n"))
    assert found["d"].status == "unknown" and "was built for" in found["d"].reasons[0]
    at_size = applications.evaluate(applications.lookup("VGG16"), (),
                                    dict(include_top=False, weights=None, input_shape=(64, 48, 3)))
    assert found["a"].outputs == (at_size.output_shape,) and found["a"].total == at_size.total == found["v"].total
    assert found["b"].status == found["c"].status == "unknown"
    assert "was built for" in found["b"].reasons[0] and "was built for" in found["c"].reasons[0]


def test_input_tensor_after_layers_keeps_its_totals_where_the_layers_are_not_listed():
    """minimalistic or NASNet: no rows, but the totals hold the layers in front of the tensor, the whole model can be
    called on another input, and a head on its output counts both (in any order the file computes them)."""
    found = models("gray = keras.Input((64, 64, 1))\n"
                   "rgb = layers.Conv2D(3, 1)(gray)\n"
                   "front = keras.Model(gray, rgb)\n"
                   "narrow = keras.applications.MobileNetV3Small(include_top=False, weights=None, "
                   "minimalistic=True, input_tensor=rgb)\n"
                   "again = keras.Input((64, 64, 1))\n"
                   "called = keras.Model(again, narrow(again))\n"
                   "nasnet = keras.applications.NASNetMobile(include_top=False, weights=None, "
                   "input_tensor=layers.Rescaling(0.5)(gray))\n"
                   "pooled = layers.GlobalAveragePooling2D()(nasnet.output)\n"
                   "head = keras.Model(gray, layers.Dense(3)(pooled))\n"
                   "tail = keras.Model(pooled, layers.Dense(3)(pooled))\n")
    own = table_totals("MobileNetV3Small", include_top=False, minimalistic=True, input_shape=(64, 64, 3))
    assert found["narrow"].rows == () and found["narrow"].total == found["front"].total + own[0]
    assert found["narrow"].trainable == found["front"].trainable + own[1]
    assert (found["called"].total, found["called"].outputs) == (found["narrow"].total, found["narrow"].outputs)
    nas = table_totals("NASNetMobile", include_top=False, input_shape=(64, 64, 1))  # the rescaled gray input
    assert found["nasnet"].total == nas[0] and found["head"].total == nas[0] + found["tail"].total


def test_layers_of_a_model_on_the_base_tensors_are_listed_when_a_nested_model_is_not_known():
    """fixtures/applications/combined_on_base_tensors.py with the classifier's input shape read from data the
    analysis does not see: the classifier and the joined model lose their numbers, but the joined model's
    layers are still known (the base's, then the classifier), so the freezing loop over ``combined.layers[:-3]``
    runs and the base keeps Keras's numbers."""
    path = ROOT / "fixtures/applications/combined_on_base_tensors.py"
    source = path.read_text()
    assert "FEATURES = (2, 2, 512)\n" in source
    source = source.replace("FEATURES = (2, 2, 512)\n", "import numpy as np\nFEATURES = np.load('f.npy').shape[1:]\n")
    truth = {m["name"]: m for m in json.loads(path.with_suffix(".keras.json").read_text())["models"]}
    got = {m.model.name: m for m in analyze_source(source).models}
    base = got["base"]
    assert base.status == "exact"
    assert (base.total, base.trainable, base.non_trainable) == tuple(
        truth["base"][k] for k in ("total_params", "trainable_params", "non_trainable_params"))
    assert [(r.layer.name, r.trainable) for r in base.rows] == [
        (r["name"], r["trainable_params"]) for r in truth["base"]["layers"]]
    for name in ("head", "combined"):
        assert got[name].status == "unknown" and got[name].trainable is None


def test_layers_not_stored_for_an_argument_say_which():
    # kerascount stores MobileNetV2's layers for alpha=0.5 without the top only (and MobileNetV3's for the default
    # minimalistic=False only), so a model on mb.get_layer(...).output is unknown, saying why
    found = models("mb = keras.applications.MobileNetV2(input_shape=(64, 64, 3), weights=None, "
                   "alpha=0.5)\nf = mb.get_layer('block_13_expand_relu').output\n"
                   "m = keras.Model(mb.input, layers.Conv2D(4, 1)(f))\n"
                   "v3 = keras.applications.MobileNetV3Small(input_shape=(64, 64, 3), include_top=False, "
                   "weights=None, minimalistic=True)\nm3 = keras.Model(v3.input, layers.Dense(2)(v3.layers[5].output))\n")
    assert (found["mb"].status, found["mb"].total) == ("exact", table_totals("MobileNetV2", alpha=0.5,
                                                                             input_shape=(64, 64, 3))[0])
    assert found["m"].status == "unknown" and found["m"].total is None
    assert any("for `alpha=0.5` without the top only (include_top=False)" in r for r in found["m"].reasons), \
        found["m"].reasons
    assert found["m3"].status == "unknown"
    assert any("for the default `minimalistic=False` only, not for `minimalistic=True`" in r
               for r in found["m3"].reasons), found["m3"].reasons


def test_layers_of_an_unknown_application_say_why_it_is_unknown():
    found = models("import sys\nbase = keras.applications.MobileNetV2(include_top=False, weights=None, "
                   "input_shape=(64, 64, 3), alpha=float(sys.argv[1]))\nx = keras.Input((4,))\nh = x\n"
                   "for layer in base.layers[1:]:\n    h = layers.Dense(2, name=layer.name + '_twin')(h)\n"
                   "m = keras.Model(x, h)\n")
    (reason,) = found["m"].reasons
    assert "the layers of this model are not known (MobileNetV2: `alpha` is " in reason, reason


def test_layers_moved_into_a_sequential_are_the_applications_own():
    """``for layer in base.layers[:-1]: model.add(layer)`` (fixtures/applications/layers_copied_into_sequential.py
    has Keras's numbers): the Sequential starts from the application's InputLayer and holds its built layers."""
    found = models("base = keras.applications.VGG16(weights=None, input_shape=(64, 64, 3), classes=10)\n"
                   "m = keras.Sequential()\n"
                   "for layer in base.layers[:-1]:\n"
                   "    m.add(layer)\n"
                   "m.add(layers.Dense(3))\n"
                   "same = keras.Sequential([keras.Input((64, 64, 3))])\n"
                   "for layer in keras.applications.VGG16(weights=None, input_shape=(64, 64, 3)).layers[1:-1]:\n"
                   "    same.add(layer)\n")
    m, base = found["m"], found["base"]
    assert m.status == "exact" and m.outputs == ((None, 3),)
    assert [r.layer.name for r in m.rows][:-1] == [r.layer.name for r in base.rows][1:-1]
    # the application's own rows keep their weights (the fixture holds Keras's totals for the same pattern)
    assert [r.params for r in m.rows][:-1] == [r.params for r in base.rows][1:-1]
    assert found["same"].status == "exact"


def test_layers_moved_onto_another_input_size_follow_it_where_their_weights_do():
    """Convolutions built for 64x64 images run on 96x96 ones with the same kernels, as Keras runs them: the numbers
    are those of the same layers built on 96x96. A summary shows a layer's last call, so which output the rows of
    either model show depends on the order of the calls: unknown. Dense layers built on another size are not
    followed (their kernels would differ: Keras raises)."""
    found = models("convs = keras.applications.VGG16(include_top=False, weights=None, input_shape=(64, 64, 3))\n"
                   "wider = keras.Sequential([keras.Input((96, 96, 3))])\n"
                   "for layer in convs.layers[1:]:\n"
                   "    wider.add(layer)\n"
                   "wider.add(layers.Flatten())\n"
                   "wider.add(layers.Dense(2))\n"
                   "direct = keras.Sequential([keras.applications.VGG16(include_top=False, weights=None,\n"
                   "                                                    input_shape=(96, 96, 3)),\n"
                   "                           layers.Flatten(), layers.Dense(2)])\n"
                   "top = keras.applications.VGG16(weights=None, input_shape=(64, 64, 3), classes=10)\n"
                   "alone = keras.applications.VGG16(include_top=False, weights=None, input_shape=(64, 64, 3))\n"
                   "bigger = keras.Sequential([keras.Input((96, 96, 3))])\n"
                   "for layer in top.layers[1:]:\n"
                   "    bigger.add(layer)\n")
    wider, direct, convs = found["wider"], found["direct"], found["convs"]
    assert wider.status == "exact"
    assert (wider.total, wider.trainable, wider.outputs) == (direct.total, direct.trainable, direct.outputs)
    assert wider.rows[-2].output_shape == direct.rows[-2].output_shape  # (the Flatten of the 96x96 maps)
    # (one layer object, two outputs: which one a summary shows depends on the order of the calls)
    assert all(r.output_shape is None for r in wider.rows[:-2]) and all(r.output_shape is None for r in convs.rows[1:])
    assert convs.status == "exact" and convs.outputs == found["alone"].outputs  # (its own output: unchanged)
    assert found["bigger"].status == "unknown" and found["bigger"].total is None


def test_layers_called_again_on_the_codes_own_tensors_are_the_applications_built_layers():
    """``base.get_layer(name)(x)`` in a functional model (fixtures/applications/layers_called_again.py has Keras's
    numbers where each call gets the shape the layer was built on). A call on another size that the layer's
    weights fix is Keras's error (checked with real Keras: "expected axis -1 of input shape to have value 1280"),
    and a chain of a branched application's layers, one after the other, fails where Keras does."""
    mob = "import keras\nmob = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=7)\n"
    ok = models(mob + "wide = keras.Input((5, 1280))\nok = keras.Model(wide, mob.get_layer('predictions')(wide))\n")["ok"]
    assert ok.status == "exact" and (ok.total, ok.trainable) == (1280 * 7 + 7, 1280 * 7 + 7)
    assert ok.outputs == ((None, 5, 7),)
    report = analyze_source(mob + "narrow = keras.Input((512,))\n"
                            "bad = keras.Model(narrow, mob.get_layer('predictions')(narrow))\n"
                            "res = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))\n"
                            "x = inp = keras.Input((64, 64, 3))\n"
                            "for layer in res.layers[1:]:\n"
                            "    x = layer(x)\n"
                            "chain = keras.Model(inp, x)\n")
    found = {m.model.name: m for m in report.models}
    assert found["bad"].status == "unknown" and found["bad"].total is None
    assert found["chain"].status == "unknown" and found["chain"].total is None
    errors = sorted((d.code, d.span.line) for d in report.diagnostics if d.severity == "error")
    assert errors == [("KC102", 4), ("KC102", 8)]


def test_an_applications_input_layer_called_on_a_tensor_is_keras_3s_type_error():
    """``for layer in base.layers: x = layer(x)`` reaches the InputLayer first: Keras 3 raises TypeError there ("too
    many positional arguments", checked with real Keras; fixtures/errors/input_layer_called.py is the same for an
    InputLayer of the code's own), so the model has no numbers. Keras 2 passed the tensor through: in a file
    written for it, a KC404 note (and still no numbers)."""
    loop = ("base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))\n"
            "pixels = keras.Input((32, 32, 3))\nx = pixels\nfor layer in base.layers:\n    x = layer(x)\n"
            "replayed = keras.Model(pixels, x)\n")
    for header, code, severity in (("import keras\n", "KC103", "error"),
                                   ("import tensorflow as tf\nfrom tensorflow import keras\n", "KC404", "info")):
        report = analyze_source(header + loop)
        assert not report.internal_error, report.internal_error
        found = {m.model.name: m for m in report.models}
        assert found["replayed"].status == "unknown" and found["replayed"].total is None
        skipped = models(loop.replace("base.layers:", "base.layers[1:]:"))
        assert skipped["replayed"].status == "exact" and skipped["replayed"].total == skipped["base"].total == 14714688
        said = [d for d in report.diagnostics if "InputLayer" in d.message]
        assert [(d.code, d.severity, d.span.line) for d in said] == [(code, severity, header.count("\n") + 5)]


def test_advice_on_how_a_layer_is_written_leaves_the_applications_own_layers_alone():
    """VGG16's Flatten→Dense(4096), moved into the code's Sequential, is Keras's design (no KC201 at the
    application's call); the same head written in the file is still reported."""
    report = analyze_source("import keras\nfrom keras import layers\n"
                            "base = keras.applications.VGG16(weights=None)\n"
                            "m = keras.Sequential()\n"
                            "for layer in base.layers[:-1]:\n"
                            "    m.add(layer)\n"
                            "m.add(layers.Dense(2, activation='softmax'))\n"
                            "own = keras.Sequential([keras.Input((224, 224, 3)), layers.Conv2D(8, 3), layers.Flatten(),\n"
                            "                        layers.Dense(4096), layers.Dense(10)])\n")
    assert {m.model.name: m.status for m in report.models}["m"] == "exact"
    assert [d.span.line for d in report.diagnostics if d.code == "KC201"] == [9]


def test_model_layers_through_an_application_with_names_not_known_keep_each_layer():
    # A loop the analysis cannot count calls a Keras utility first, so names are "?" (the head's and the
    # base's input row's alike): model.layers must still hold each layer once, in the summary's order.
    loop = ("import os\nimport numpy as np\nfor _ in range(int(os.environ.get('N', '2'))):\n"
            "    keras.utils.img_to_array(np.zeros((4, 4, 3)))\n"
            "base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))\n"
            "head = keras.Sequential([keras.Input(base.output_shape[1:]), layers.Flatten(), layers.Dense(3)])\n"
            "full = keras.Model(base.input, head(base.output))\n")
    # (fixtures/applications/unnamed_rows_frozen_by_index.py holds Keras's numbers for this pattern; here, which
    # layer each index froze, read from the rows)
    first = models(loop + "full.layers[0].trainable = False\nfull.layers[1].trainable = False\n")
    full = first["full"]
    assert first["head"].trainable == first["head"].total  # row 0 is the base's input, not the head
    assert full.rows[1].layer.name == "block1_conv1" and full.rows[1].trainable == 0
    assert full.trainable == full.total - full.rows[1].params
    last = models(loop + "full.layers[-1].trainable = False\n")
    assert last["head"].trainable == 0 and last["full"].trainable == last["full"].total - last["head"].total


def test_the_default_width_given_keeps_its_rows():
    # alpha=1.0 written out (david8862's YOLO bodies pass their `alpha=1.0` parameter on): the default width's
    # rows, as without it; another stored width its own (checked against Keras in tests/test_application_graphs.py)
    report = analyze_source("import keras\nfrom keras import layers\n"
                            "def body(inputs, alpha=1.0):\n"
                            "    net = keras.applications.MobileNet(input_tensor=inputs, weights=None, "
                            "include_top=False, alpha=alpha)\n"
                            "    return keras.Model(inputs, layers.Conv2D(3, 1)(net.get_layer('conv_pw_5_relu').output))\n"
                            "a = body(keras.Input((96, 96, 3)))\n"
                            "n = body(keras.Input((96, 96, 3)), alpha=0.5)\n"
                            "b = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, "
                            "weights=None, alpha=1.0)\n")
    bodies = [m for m in report.models if m.model.kind == "functional"]
    (b,) = [m for m in report.models if m.model.name == "b"]
    assert b.status == "exact" and len(b.rows) == 154
    # Keras 3.15 (numpy backend): 137,923 and 37,731 params (36,259 trainable)
    assert [(m.status, m.total) for m in bodies] == [("exact", 137923), ("exact", 37731)]
    assert bodies[1].trainable == 36259
