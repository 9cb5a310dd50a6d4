"""One place per layer (issue 15, item 5): a layer's arguments are bound and standardised once, as
Keras's ``__init__`` does; inference records that config on the layer's row, and costs and rules read it."""

from __future__ import annotations

import pickle

from kerascount import catalogue
from kerascount.api import analyze_source
from kerascount.catalogue.spec import BoundArgs, ShapeError, config

SOURCE = """import keras
from keras import layers
model = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Conv2D(8, 3, padding="SAME", strides=2),
    layers.MaxPooling2D(2),
    layers.Conv2D(4, (1, 3), dilation_rate=2),
    layers.Flatten(),
    layers.Dense(10),
])
"""


def rows():
    report = analyze_source(SOURCE)
    assert report.internal_error is None
    return report, {row.layer.name: row for row in report.models[0].rows}


def test_the_row_records_the_standardised_config():
    _, by_name = rows()
    conv = by_name["conv2d"].config
    assert isinstance(conv, BoundArgs)
    # Keras's __init__: standardize_tuple and standardize_padding (lower case), data_format resolved.
    assert conv.kernel_size == (3, 3)
    assert conv.strides == (2, 2)
    assert conv.padding == "same"
    assert conv.data_format == "channels_last"
    assert conv.raw("kernel_size") == 3  # as written
    pool = by_name["max_pooling2d"].config
    assert pool.pool_size == (2, 2) and pool.strides is None
    second = by_name["conv2d_1"].config
    assert second.kernel_size == (1, 3) and second.dilation_rate == (2, 2)
    assert by_name["conv2d_1"].params == 1 * 3 * 8 * 4 + 4


def test_a_layer_is_bound_once():
    _, by_name = rows()
    row = by_name["conv2d"]
    # What rules and costs ask for is the object inference recorded.
    assert catalogue.layer_config(row.layer) is row.config
    assert config(catalogue.lookup("Conv2D"), row.layer) is row.config
    # A call's keyword arguments share the standardised values.
    called = row.config.with_call((("training", False),))
    assert called.call("training") is False and called.kernel_size is row.config.kernel_size


def test_constructor_errors_are_raised_every_time():
    report = analyze_source("import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, bogus=1)])\n")
    row = [r for r in report.models[0].rows if r.layer.type == "Dense"][0]
    assert row.config is None
    for _ in range(2):
        try:
            catalogue.layer_config(row.layer)
        except ShapeError as exc:
            assert exc.code == "KC103" and "bogus" in exc.message
        else:
            raise AssertionError("Keras rejects bogus=1")


def test_a_report_with_configs_pickles():
    """Worker processes send reports back pickled: a spec is sent as its name and found again."""
    report, _ = rows()
    again = pickle.loads(pickle.dumps(report))
    row = [r for r in again.models[0].rows if r.layer.name == "conv2d"][0]
    assert row.config.layer_spec is catalogue.lookup("Conv2D")
    assert "_config" not in row.layer.__dict__  # the memo stays behind; the row's config is bound again
    assert row.config.kernel_size == (3, 3)
    assert [r.params for r in again.models[0].rows] == [r.params for r in report.models[0].rows]


def test_keras_errors_are_kinds_the_rules_name():
    """A spec raises a kind of error (catalogue/errors.py), never a code string; each KC1xx rule names its kind."""
    from pathlib import Path

    from kerascount import rules
    from kerascount.catalogue import errors
    from kerascount.ir import LayerDef

    root = Path(catalogue.__file__).parent
    assert [p.name for p in root.glob("*.py") if 'code="KC' in p.read_text(encoding="utf-8")] == []
    kinds = {rule.CODE: rule.KIND for rule in rules.ALL if hasattr(rule, "KIND")}
    assert kinds == errors.KINDS
    conv = catalogue.lookup("Conv2D")
    layer = LayerDef(0, "Conv2D", "conv2d", (8, 5), (), None)
    try:
        conv.output_shape(config(conv, layer), (None, 4, 4, 3))
    except errors.NonPositiveDimension as exc:
        assert exc.code == "KC101"
    else:
        raise AssertionError("a 5x5 window on a 4x4 input leaves nothing")
    report = analyze_source("import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(0)])\n")
    assert [d.code for d in report.diagnostics if d.code.startswith("KC1")] == [errors.InvalidArguments.CODE]

    # Rules match a failing layer by its kind (a class), which its problem records; one kind per code.
    assert len(errors.KINDS) == len(errors.ShapeError.__subclasses__())
    row = report.models[0].rows[0]
    assert errors.kind_of(row.problem) is errors.InvalidArguments
    assert issubclass(errors.kind_of(row.problem), errors.ShapeError)
    from kerascount.ir import Problem

    assert errors.kind_of(Problem("KC901", "a gap in the analysis", False)) is None and errors.kind_of(None) is None


def test_traits_agree_with_the_specs():
    """Rules read a layer's kind from its spec's traits (catalogue/spec.py TRAITS): each trait is one the
    vocabulary defines and agrees with the signature it implies."""
    from kerascount.catalogue.spec import TRAITS

    for spec in catalogue.specs():
        assert spec.traits <= set(TRAITS), spec.name
        names = set(spec.arg_names)
        if "linear" in spec.traits:
            assert "activation" in names, spec.name
        if "biased" in spec.traits:
            assert "use_bias" in names and "linear" in spec.traits, spec.name
        if "windowed" in spec.traits:
            assert spec.input_rank in (3, 4, 5) and names & {"kernel_size", "pool_size"}, spec.name
            assert {"strides", "padding"} <= names, spec.name
    assert catalogue.with_trait("windowed") >= {"Conv2D", "MaxPooling2D"}
    assert "Conv2DTranspose" not in catalogue.with_trait("windowed")  # it spreads, it does not slide
    assert catalogue.traits("Dense") == {"linear", "biased", "channel_sized", "one_tensor_per_output"}
    assert catalogue.traits("NoSuchLayer") == frozenset()
    from kerascount.catalogue.spec import no_weights

    # Layers that only move, pad, crop, resample or average values have no weights; a rearranging one keeps every
    # value (its output has as many elements as its input, or repeats them).
    for name in catalogue.with_trait("rearranging", "fixed_linear", "inference_identity"):
        assert catalogue.lookup(name).weights is no_weights, name
    assert not catalogue.with_trait("rearranging") & catalogue.with_trait("fixed_linear")
    assert catalogue.with_trait("fixed_linear") >= {"AveragePooling2D", "GlobalAveragePooling1D", "ZeroPadding2D"}
    assert not catalogue.with_trait("fixed_linear") & {"MaxPooling2D", "GlobalMaxPooling2D", "AdaptiveMaxPooling2D"}
    assert catalogue.with_trait("inference_identity") >= {"ActivityRegularization", "SpatialDropout3D", "Identity"}
    for name in catalogue.with_trait("upscaling"):  # an upsampling (fixed) or a transposed convolution (weights)
        assert catalogue.traits(name) & {"fixed_linear", "linear"} and "windowed" not in catalogue.traits(name), name
    assert catalogue.with_trait("flattening") == {"Flatten"} | {f"Global{k}Pooling{r}D" for k in ("Average", "Max")
                                                                for r in (1, 2, 3)}
