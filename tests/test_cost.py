"""Cost estimates (kerascount/cost.py, docs/cost.md) against XLA and JAX, and in every output format.

``tests/data/cost_truth.json`` is written by ``tools/gen_cost_truth.py``, which builds each case
with real Keras on the JAX backend and records XLA's flop count (``xla_flops``), the
multiply-accumulates of the products and convolutions in the traced program (``jaxpr_macs``)
and the output elements per sample (``activations``). Here kerascount analyses the same source
text: its MACs must equal ``xla_flops / 2`` and ``jaxpr_macs`` where the case says they follow
its definition (``agree``), and its activations must always equal Keras's. Where a measure
differs by definition, the difference itself is derived from the shapes and checked.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence, Tuple

import pytest

from kerascount import cache, catalogue, cost
from kerascount.api import analyze_source
from kerascount.catalogue import ops
from kerascount.ir import ModelResult
from kerascount.report import json_, markdown, text
from kerascount.symbolic import render

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "tests" / "data" / "cost_truth.json").read_text(encoding="utf-8"))
CASES = TRUTH["cases"]


def model_of(source: str, name: str = "model") -> ModelResult:
    report = analyze_source(TRUTH["header"] + source)
    assert not report.internal_error, report.internal_error
    return [m for m in report.models if m.model.name == name][-1]


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_against_keras_on_jax(case_id):
    case = CASES[case_id]
    model = model_of(case["source"])
    assert model.status == "exact"
    assert model.activations == case["activations"]
    if "jaxpr" in case["agree"]:
        assert model.macs == case["jaxpr_macs"]
    if "xla" in case["agree"]:
        assert 2 * model.macs == case["xla_flops"]


def test_every_formula_has_a_case():
    """Every layer whose MACs are not 0 by definition is measured, alone or wrapped."""
    sources = "".join(case["source"] for case in CASES.values())
    assert [name for name in cost.MACS if name not in cost.ZERO and name not in cost.UNKNOWN and
            not any(f"layers.{n}(" in sources for n in (name, *catalogue.lookup(name).aliases))] == []
    assert [name for name in cost.OPERATION_MACS
            if name not in cost.ZERO_OPERATIONS and name not in cost.UNKNOWN_OPERATIONS] == ["Matmul", "Tensordot"]
    assert " @ " in sources and "ops.matmul(" in sources and "ops.tensordot(" in sources


# -- the documented differences, derived from the shapes ------------------------------------------


def _taps_in_bounds(length: int, out: int, kernel: int, stride: int, dilation: int, pad_before: int) -> int:
    """Kernel taps that land on the input, not on padding, summed over the output positions."""
    return sum(1 for o in range(out) for j in range(kernel) if 0 <= o * stride - pad_before + j * dilation < length)


def _same_pad(length: int, out: int, kernel: int, stride: int, dilation: int) -> int:
    return max((out - 1) * stride + (kernel - 1) * dilation + 1 - length, 0) // 2


#: Padded convolutions: (case, [(input length, kernel, stride, dilation, padding) per axis], in, filters).
PADDED = [
    ("conv1d_causal", [(10, 3, 1, 2, "causal")], 3, 4),
    ("conv2d_same", [(9, 3, 2, 1, "same"), (10, 3, 2, 1, "same")], 3, 4),
]


@pytest.mark.parametrize("case_id, axes, channels, filters", PADDED)
def test_xla_skips_products_with_padding(case_id, axes, channels, filters):
    """kerascount counts every window position (as JAX's program computes them); XLA only those off the padding."""
    model = model_of(CASES[case_id]["source"])
    out_spatial = model.outputs[0][1:-1]
    full = math.prod(out_spatial) * math.prod(k for _, k, _, _, _ in axes) * channels * filters
    taps = 1
    for (length, kernel, stride, dilation, padding), out in zip(axes, out_spatial):
        before = (kernel - 1) * dilation if padding == "causal" else _same_pad(length, out, kernel, stride, dilation)
        taps *= _taps_in_bounds(length, out, kernel, stride, dilation, before)
    assert model.macs == full
    assert CASES[case_id]["xla_flops"] == 2 * taps * channels * filters < 2 * full


@pytest.mark.parametrize("case_id", ["conv1d_transpose", "conv2d_transpose", "conv3d_transpose"])
def test_transposed_convolution_counts_input_positions(case_id):
    """MACs = input positions × kernel × in × filters (XLA agrees); JAX convolves the zero-dilated input."""
    model = model_of(CASES[case_id]["source"])
    (row,) = [r for r in model.rows if r.layer.type.endswith("Transpose")]
    kernel = row.layer.args[1]
    volume = kernel ** (len(row.output_shape) - 2)
    cin, cout = row.input_shape[-1], row.output_shape[-1]
    assert model.macs == math.prod(row.input_shape[1:-1]) * volume * cin * cout
    assert CASES[case_id]["jaxpr_macs"] == math.prod(row.output_shape[1:-1]) * volume * cin * cout


@pytest.mark.parametrize("case_id", ["resizing_bilinear", "upsampling2d_bilinear"])
def test_interpolation_counts_zero(case_id):
    """Interpolation is not a product of weights and inputs: 0, though JAX computes it with matrix products."""
    assert model_of(CASES[case_id]["source"]).macs == 0
    assert CASES[case_id]["jaxpr_macs"] > 0


# -- symbolic and unknown ----------------------------------------------------------------------


def _analyse(source: str) -> Tuple[ModelResult, ...]:
    return analyze_source("import keras\nfrom keras import layers\n" + source).models


def test_symbolic_shapes_give_symbolic_costs():
    (model,) = _analyse("from settings import H\ninputs = keras.Input((H, 8, 3))\n"
                        "x = layers.Conv2D(4, 3, padding='same')(inputs)\n"
                        "model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(x)))\n")
    assert render(model.macs) == f"{8 * 9 * 3 * 4 + 8 * 4 * 2}*H"
    assert render(model.activations) == f"{2 * 8 * 4}*H + 2"  # the convolution, the Flatten and the Dense
    assert render(cost.memory(model.activations)) == f"{4 * 2 * 8 * 4}*H + 8"


def test_unknown_is_never_guessed():
    dense_on_any_length, with_lambda = _analyse(
        "a = keras.Sequential([keras.Input((None, 8)), layers.Dense(4)])\n"
        "b = keras.Sequential([keras.Input((8,)), layers.Lambda(lambda t: t), layers.Dense(4)])\n")
    # The params are known, the work depends on the sequence length; the elements too.
    assert dense_on_any_length.total == 36 and dense_on_any_length.macs is None
    assert dense_on_any_length.activations is None
    # A Lambda's work is not known (its function's is not costed); the Dense after it, on its traced shape, is.
    assert [r.macs for r in with_lambda.rows] == [None, 8 * 4] and with_lambda.macs is None


def test_arrays_keras_cannot_merge_have_unknown_size():
    """Keras reports a Bidirectional's shape from its forward layer; summing 1 and 5 units broadcasts when it
    runs, into arrays of 5 units that the summary does not show (3 and 5 units fail: KC102)."""
    (model,) = _analyse("x = keras.Input((5, 4))\n"
                        "model = keras.Model(x, layers.Bidirectional(layers.GRU(1), merge_mode='sum', "
                        "backward_layer=layers.GRU(5, go_backwards=True))(x))\n")
    assert model.macs == 5 * 3 * (1 * (4 + 1) + 5 * (4 + 5)) and model.activations is None


def test_attention_axes_on_the_heads_are_not_counted():
    (model,) = _analyse("q = keras.Input((4, 5, 6))\n"
                        "model = keras.Model(q, layers.MultiHeadAttention(2, 3, attention_axes=-1)(q, q))\n")
    assert model.total is not None and model.macs is None


def test_every_catalogue_layer_and_operation_has_a_definition():
    assert sorted(spec.name for spec in catalogue.specs()) == sorted(cost.MACS)
    assert sorted(ops.SPECS) == sorted(cost.OPERATION_MACS)


# -- reports -----------------------------------------------------------------------------------

SOURCE = "from settings import H\nm = keras.Sequential([keras.Input((H, 6)), layers.LSTM(5), layers.Dense(2)])\n"


def _report():
    return analyze_source("import keras\nfrom keras import layers\n" + SOURCE, "m.py")


def test_text_summary_lines():
    out = text.summary([_report()])
    params = 4 * 5 * (6 + 5 + 1) + 5 * 2 + 2
    assert f"\n Total params: {params:,} ({4 * params}.00 B)\n" in out
    assert f"\n  Total mult-adds: {4 * 5 * 11}*H + 10\n" in out
    assert f"\n  Forward activations per sample (float32): {4 * (5 + 2)}.00 B\n" in out


def test_sizes_as_keras_writes_them():
    assert [text.size(v) for v in (None, 840, 1024 * 1536, 1_310_722_960)] == ["?", "840.00 B", "1.50 MB", "1.22 GB"]


def test_json_fields():
    doc = json.loads(json_.render([_report()], "0"))
    (model,) = doc["files"][0]["models"]
    assert model["macs"] == f"{4 * 5 * 11}*H + 10" and model["param_bytes"] == 4 * model["total_params"]
    assert model["activation_bytes"] == 4 * (5 + 2)
    assert [(layer["macs"], layer["activations"]) for layer in model["layers"]] == [(f"{4 * 5 * 11}*H", 5), (10, 2)]


def test_markdown_lines():
    out = markdown.render([_report()])
    assert f"**Total mult-adds:** {4 * 5 * 11}*H + 10 · **Params size (float32):** 1008.00 B · " in out


def test_cache_round_trip_keeps_costs():
    report = _report()
    back = cache.load(json.loads(json.dumps(cache.dump(report))))
    for before, after in zip(report.models, back.models):
        assert _costs(before) == _costs(after)


def _costs(model: ModelResult) -> Sequence[str]:
    rows = [value for r in model.rows for value in (r.macs, r.activations)]
    return [render(v) for v in (model.macs, model.activations, *rows)]


# -- the truth file is current (needs Keras and JAX) -----------------------------------------------


@pytest.mark.keras
def test_cost_truth_up_to_date():
    """A third of the cases, rotating daily (all of them over three days; the full check takes a minute)."""
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    part = f"{datetime.date.today().toordinal() % 3}/3"
    proc = subprocess.run([sys.executable, "tools/gen_cost_truth.py", "--check", "--part", part], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]


_DTYPE_FIXTURES = ("weight_dtypes_mixed_policy", "weight_dtypes_not_float32", "weight_dtypes_set_floatx",
                   "weight_dtypes_set_floatx_late")


@pytest.mark.parametrize("name", _DTYPE_FIXTURES)
def test_weight_bytes_follow_keras_or_are_left_unknown(name):
    """Keras adds each variable's own dtype size to the bytes `model.summary()` prints (the truth files record them):
    kerascount's are Keras's where every weight is float32 (a mixed policy keeps them so; a float16 layer without
    weights changes nothing) or of the one dtype `set_floatx` gave before any layer was made, else None with why,
    while the counts stay exact."""
    path = ROOT / "fixtures" / "interpreter2" / f"{name}.py"
    truth = json.loads(path.with_suffix(".keras.json").read_text(encoding="utf-8"))
    report = analyze_source(path.read_text(encoding="utf-8"), str(path))
    got = {m.model.name: m for m in report.models}
    expected_known = {"classifier", "plain", "net"}
    for model in truth["models"]:
        mine = got[model["name"]]
        assert (mine.status, mine.total) == ("exact", model["total_params"])
        if model["name"] in expected_known:
            assert (mine.param_bytes, mine.bytes_unknown) == (model["param_bytes"], None)
            per = 8 if name == "weight_dtypes_set_floatx" else 4
            assert model["param_bytes"] == per * model["total_params"]
            out = text.summary([report])
            assert f" Total params: {model['total_params']:,} ({text.size(model['param_bytes'])})\n" in out
        else:
            assert mine.param_bytes is None and "may not be float32" in mine.bytes_unknown
            out = text.summary([report])
            assert f" Total params: {model['total_params']:,}\n" in out and "sizes in bytes not shown" in out


def test_weight_bytes_reason_in_json_and_cache(tmp_path):
    first = "import keras\nkeras.config.set_floatx('float16')\n" \
            "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
    late = "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n" \
           "keras.config.set_floatx('float16')\n"
    (model,) = json.loads(json_.render([analyze_source(late)], "0"))["files"][0]["models"]
    assert model["param_bytes"] is None and model["total_params"] == 8
    assert model["param_bytes_unknown"].startswith("`keras.config.set_floatx('float16')` (line 3)")
    report = analyze_source(first)  # before any layer: every weight is float16
    assert (report.models[0].param_bytes, report.models[0].bytes_per_param) == (16, 2)
    assert "Params size (2 bytes each):** 16.00 B" in markdown.render([report])
    float32 = analyze_source(late.replace("'float16'", "'float32'"))
    assert float32.models[0].param_bytes == 32 and float32.models[0].bytes_unknown is None
    under_branch = "import keras, sys\nif sys.argv[1:]:\n    keras.config.set_floatx('float64')\n" \
                   "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
    assert analyze_source(under_branch).models[0].param_bytes is None  # (float64 on one way only)


def test_weight_bytes_beside_an_application_under_another_default_dtype():
    """Under `set_floatx("float64")` first, a keras.applications model's layers are not listed to the dtype check
    (EfficientNet's Normalization keeps an integer count beside float64 weights): its bytes, and those of a model
    holding it, are left unknown; a model of the file's own layers keeps its float64 sizes."""
    source = ("import keras\nkeras.config.set_floatx('float64')\n"
              "base = keras.applications.EfficientNetB0(input_shape=(96, 96, 3), include_top=False, weights=None)\n"
              "head = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
              "inp = keras.Input((96, 96, 3))\n"
              "wrapped = keras.Model(inp, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(base(inp))))\n")
    got = {m.model.name: m for m in analyze_source(source).models}
    assert got["head"].param_bytes == 8 * got["head"].total
    for name in ("base", "wrapped"):
        assert got[name].total is not None and got[name].param_bytes is None
        assert "keras.applications" in got[name].bytes_unknown


def test_floatx_is_keras_default_until_the_code_sets_a_dtype():
    """`K.floatx()` is "float32", Keras's default configuration (fixtures/interpreter2/floatx_default.py has the
    numbers from Keras), until the code sets a dtype: then it is not known, so a weight sized from it is not."""
    layer = ("import keras\nfrom keras import backend as K\n"
             "class Table(keras.layers.Layer):\n"
             "    def build(self, input_shape):\n"
             "        size = 8 if K.floatx() == 'float32' else 4\n"
             "        self.table = self.add_weight(shape=(3, size), name='table')\n"
             "    def call(self, x):\n"
             "        return x\n")
    model = "inp = keras.Input((8,))\nmodel = keras.Model(inp, Table()(inp))\n"
    (default,) = analyze_source(layer + model).models
    assert (default.status, default.total) == ("exact", 24)
    (after,) = analyze_source(layer + "keras.config.set_floatx('float16')\n" + model).models
    assert after.status == "unknown" and after.total is None
