#!/usr/bin/env python3
"""Ground truth for kerascount's cost estimates (docs/cost.md): ``tests/data/cost_truth.json``.

Usage::

    JAX_PLATFORMS=cpu /work/venv/bin/python tools/gen_cost_truth.py [--check]

Every case below is a small Keras model written as source text. kerascount analyses that text
(tests/test_cost.py); this script builds it with REAL Keras on the JAX backend (CPU) and records,
for one sample (batch size 1):

* ``xla_flops``: what XLA's cost analysis counts for the compiled forward pass
  (``jax.jit(...).lower(...).compile().cost_analysis()["flops"]``), the weights passed as
  arguments so that nothing is constant-folded. For a matrix product or an unpadded
  convolution XLA counts 2 flops (a multiply and an add) per multiply-accumulate; it adds
  elementwise work (biases, activations, softmax, normalisation), counts the body of a loop
  (an RNN's ``lax.scan``) once, and skips products with padding.
* ``jaxpr_macs``: the multiply-accumulates of the matrix products (``dot_general``) and
  convolutions (``conv_general_dilated``, every window position) in the program Keras's JAX
  backend traces, a ``scan`` body counted once per step. This follows kerascount's definition
  except where docs/cost.md says otherwise: the dilated input of a transposed convolution, and
  interpolation, which JAX computes as matrix products.
* ``activations``: elements per sample of every layer call's outputs, the model's inputs left
  out (a nested model: its own layers' outputs), as the arrays of a run of Keras's graph.

``agree`` names the measures that follow kerascount's definitions exactly for that case:
``xla`` (``xla_flops == 2 * MACs``) and ``jaxpr`` (``jaxpr_macs == MACs``); tests/test_cost.py
checks those, and the documented differences for the others. With ``--check`` nothing is
written: the exit status is 1 if the checked-in file is not what this script produces.
"""

import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "data", "cost_truth.json")

HEADER = "import keras\nfrom keras import layers\n"
BOTH = ("xla", "jaxpr")
JAXPR = ("jaxpr",)


def single(layer: str, *shapes: str) -> str:
    """A functional model of one layer (without bias and activation where it has them)."""
    inputs = ", ".join(f"keras.Input({s})" for s in shapes)
    if len(shapes) == 1:
        return f"x = {inputs}\nmodel = keras.Model(x, layers.{layer}(x))\n"
    names = ", ".join(f"x{i}" for i in range(len(shapes)))
    return f"{names} = {inputs}\nmodel = keras.Model([{names}], layers.{layer}({names}))\n"


def merged(layer: str, *shapes: str) -> str:
    """A functional model of one layer called on a list of tensors (Attention, AdditiveAttention)."""
    inputs = ", ".join(f"keras.Input({s})" for s in shapes)
    names = ", ".join(f"x{i}" for i in range(len(shapes)))
    return f"{names} = {inputs}\nmodel = keras.Model([{names}], layers.{layer}([{names}]))\n"


NB = "use_bias=False"

#: (id, model source, measures that follow kerascount's definitions). Comments say why a case lacks one.
CASES = [
    ("dense", single(f"Dense(16, {NB})", "(8,)"), BOTH),
    ("dense_sequence", single(f"Dense(7, {NB})", "(3, 5)"), BOTH),
    ("dense_rank4", single(f"Dense(3, {NB})", "(2, 4, 5)"), BOTH),
    ("conv1d", single(f"Conv1D(4, 3, strides=2, {NB})", "(11, 3)"), BOTH),
    # Padding: XLA skips the products with padding; kerascount counts every window position.
    ("conv1d_causal", single(f"Conv1D(4, 3, padding='causal', dilation_rate=2, {NB})", "(10, 3)"), JAXPR),
    ("conv2d", single(f"Conv2D(5, 3, {NB})", "(9, 10, 3)"), BOTH),
    ("conv2d_strides", single(f"Conv2D(4, (3, 2), strides=(2, 3), {NB})", "(11, 13, 2)"), BOTH),
    ("conv2d_dilation", single(f"Conv2D(4, 3, dilation_rate=2, {NB})", "(10, 10, 3)"), BOTH),
    ("conv2d_groups", single(f"Conv2D(6, 3, groups=3, {NB})", "(8, 8, 6)"), BOTH),
    ("conv2d_channels_first", single(f"Conv2D(4, 3, data_format='channels_first', {NB})", "(3, 9, 8)"), BOTH),
    ("conv2d_same", single(f"Conv2D(4, 3, strides=2, padding='same', {NB})", "(9, 10, 3)"), JAXPR),
    ("conv3d", single(f"Conv3D(3, 2, {NB})", "(4, 5, 6, 2)"), BOTH),
    # Transposed convolutions: JAX convolves the input dilated with zeros, which the jaxpr count includes.
    ("conv1d_transpose", single(f"Conv1DTranspose(4, 3, strides=2, {NB})", "(6, 3)"), ("xla",)),
    ("conv2d_transpose", single(f"Conv2DTranspose(4, 3, strides=2, {NB})", "(5, 6, 3)"), ("xla",)),
    ("conv3d_transpose", single(f"Conv3DTranspose(2, 2, strides=2, {NB})", "(3, 4, 2, 3)"), ("xla",)),
    ("depthwise_conv1d", single(f"DepthwiseConv1D(3, depth_multiplier=2, {NB})", "(10, 4)"), BOTH),
    ("depthwise_conv2d", single(f"DepthwiseConv2D(3, depth_multiplier=2, {NB})", "(8, 9, 3)"), BOTH),
    ("separable_conv1d", single(f"SeparableConv1D(5, 3, {NB})", "(10, 4)"), BOTH),
    ("separable_conv2d", single(f"SeparableConv2D(5, 3, depth_multiplier=2, {NB})", "(8, 9, 3)"), BOTH),
    # Recurrent layers: XLA counts the loop body once and adds the gates' elementwise work.
    ("simple_rnn", single("SimpleRNN(6)", "(5, 4)"), JAXPR),
    ("lstm", single("LSTM(6, return_sequences=True)", "(5, 4)"), JAXPR),
    ("gru", single("GRU(6)", "(5, 4)"), JAXPR),
    ("gru_reset_before", single("GRU(6, reset_after=False)", "(5, 4)"), JAXPR),
    ("lstm_state", single("LSTM(3, return_state=True)", "(4, 2)"), JAXPR),
    ("bidirectional_lstm", single("Bidirectional(layers.LSTM(6))", "(5, 4)"), JAXPR),
    ("bidirectional_gru", single("Bidirectional(layers.GRU(3, return_sequences=True), "
                                 "backward_layer=layers.GRU(5, return_sequences=True, go_backwards=True))",
                                 "(5, 4)"), JAXPR),
    ("conv_lstm1d", single("ConvLSTM1D(3, 3)", "(4, 7, 2)"), JAXPR),
    ("conv_lstm2d", single("ConvLSTM2D(3, 3, padding='same', return_sequences=True)", "(3, 5, 6, 2)"), JAXPR),
    ("conv_lstm3d", single("ConvLSTM3D(2, 2, strides=2, return_state=True)", "(2, 5, 4, 3, 1)"), JAXPR),
    ("time_distributed_dense", single(f"TimeDistributed(layers.Dense(5, {NB}))", "(3, 4)"), BOTH),
    ("time_distributed_conv", single(f"TimeDistributed(layers.Conv2D(4, 3, {NB}))", "(3, 6, 7, 2)"), BOTH),
    # A Pipeline's layers run inside its call: its row's output is what the model's graph holds of them.
    ("pipeline", single(f"Pipeline([layers.Dense(5, {NB}), layers.Conv1D(3, 2, {NB})])", "(4, 6)"), BOTH),
    # Attention: XLA adds the softmax (and scaling) to the products.
    ("multi_head_attention", single("MultiHeadAttention(2, 4)", "(5, 6)", "(7, 6)"), JAXPR),
    # dropout (inactive in inference) keeps Keras off jax.nn.dot_product_attention, which needs value_dim == key_dim.
    ("multi_head_attention_key", single("MultiHeadAttention(3, 2, value_dim=5, output_shape=(4,), use_gate=True, "
                                        "dropout=0.1)", "(5, 6)", "(7, 3)", "(7, 8)"), JAXPR),
    ("multi_head_attention_scores", """q = keras.Input((5, 6))
v = keras.Input((7, 6))
out, scores = layers.MultiHeadAttention(2, 3)(q, v, return_attention_scores=True)
model = keras.Model([q, v], [out, scores])
""", JAXPR),
    ("multi_head_attention_2d", single("MultiHeadAttention(2, 3)", "(3, 4, 5)", "(2, 3, 5)"), JAXPR),
    ("multi_head_attention_axes", single("MultiHeadAttention(2, 3, attention_axes=2)", "(4, 5, 8)", "(4, 7, 8)"),
     JAXPR),
    ("multi_head_attention_negative_axes", single("MultiHeadAttention(2, 3, attention_axes=(-2,))",
                                                  "(3, 4, 2, 6)", "(3, 4, 5, 6)"), JAXPR),
    ("attention", merged("Attention()", "(5, 6)", "(7, 6)"), JAXPR),
    ("attention_concat", merged("Attention(score_mode='concat')", "(5, 6)", "(7, 6)", "(7, 6)"), JAXPR),
    ("additive_attention", merged("AdditiveAttention()", "(5, 6)", "(7, 6)"), JAXPR),
    ("dot", merged("Dot(axes=(2, 2))", "(4, 6)", "(5, 6)"), BOTH),
    ("einsum_dense", single("EinsumDense('abc,cd->abd', output_shape=(None, 7))", "(5, 6)"), BOTH),
    ("einsum_dense_heads", single("EinsumDense('abc,cde->abde', output_shape=(None, 2, 3), bias_axes='de')",
                                  "(5, 6)"), JAXPR),
    ("group_query_attention", single("GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)",
                                     "(5, 6)", "(7, 6)"), JAXPR),
    ("rnn_lstm_cell", single("RNN(layers.LSTMCell(5), return_sequences=True)", "(6, 4)"), JAXPR),
    ("rnn_simple_cell", single("RNN(layers.SimpleRNNCell(4))", "(5, 3)"), JAXPR),
    # JAX's program for stacked cells runs the step once more than there are timesteps (7 for 6).
    ("rnn_stacked_cells", single("RNN([layers.LSTMCell(5), layers.GRUCell(3)], return_sequences=True)", "(6, 4)"),
     ()),
    ("spectral_normalization", single(f"SpectralNormalization(layers.Dense(5, {NB}))", "(3, 4)"), JAXPR),
    ("reversible_embedding", """x = keras.Input((5, 8))
model = keras.Model(x, layers.ReversibleEmbedding(100, 8)(x, reverse=True))
""", JAXPR),
    # No products: XLA counts their elementwise work (or none).
    ("embedding", "x = keras.Input((5,), dtype='int32')\nmodel = keras.Model(x, layers.Embedding(100, 8)(x))\n",
     JAXPR),
    ("batch_normalization", single("BatchNormalization()", "(5, 4)"), JAXPR),
    ("layer_normalization", single("LayerNormalization()", "(5, 4)"), JAXPR),
    ("max_pooling2d", single("MaxPooling2D(2)", "(8, 8, 3)"), JAXPR),
    ("average_pooling2d", single("AveragePooling2D(2)", "(8, 8, 3)"), JAXPR),
    ("global_average_pooling2d", single("GlobalAveragePooling2D()", "(8, 8, 3)"), JAXPR),
    ("add", merged("Add()", "(4, 3)", "(4, 3)"), JAXPR),
    # Interpolation counts 0 (docs/cost.md); JAX computes it as matrix products.
    ("resizing_bilinear", single("Resizing(6, 5)", "(8, 8, 3)"), ()),
    ("upsampling2d_bilinear", single("UpSampling2D(2, interpolation='bilinear')", "(4, 4, 3)"), ()),
    ("upsampling2d_nearest", single("UpSampling2D(2)", "(4, 4, 3)"), BOTH),
    # Operations on tensors (``x @ w``, ``keras.ops``): matmul is counted, elementwise work and reductions are not.
    ("matmul", """a = keras.Input((4, 8))
b = keras.Input((8, 3))
model = keras.Model([a, b], a @ b)
""", BOTH),
    ("operations", """from keras import ops
a = keras.Input((4, 8))
b = keras.Input((3, 8))
scores = ops.softmax(ops.matmul(a, ops.transpose(b, (0, 2, 1))) / 2.0)
model = keras.Model([a, b], ops.mean(ops.matmul(scores, b) * 2.0 + 1.0, axis=-1))
""", JAXPR),
    ("tensordot", """from keras import ops
a = keras.Input((5, 6))
w = keras.Input((6, 4, 3))
v = keras.Input((5, 4))
mixed = ops.tensordot(a, ops.mean(w, axis=0), axes=1)
model = keras.Model([a, w, v], ops.tensordot(mixed, ops.mean(v, axis=0), axes=[[1, 2], [0, 1]]))
""", JAXPR),
    # Whole models: biases, activations and normalisation keep XLA's count above 2 × MACs.
    ("cnn", """inputs = keras.Input((16, 16, 3))
x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
x = layers.BatchNormalization()(x)
x = layers.MaxPooling2D()(x)
x = layers.SeparableConv2D(12, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""", JAXPR),
    ("text_lstm", """model = keras.Sequential([
    keras.Input((12,), dtype="int32"),
    layers.Embedding(50, 8),
    layers.Bidirectional(layers.LSTM(6, return_sequences=True)),
    layers.GRU(4),
    layers.Dense(1, activation="sigmoid"),
])
""", JAXPR),
    ("siamese_shared", """a = keras.Input((5, 6))
b = keras.Input((3, 6))
encoder = layers.Dense(4, use_bias=False)
model = keras.Model([a, b], layers.Concatenate(axis=1)([encoder(a), encoder(b)]))
""", BOTH),
    ("nested_sequential", """block = keras.Sequential([
    layers.Conv2D(4, 3, use_bias=False),
    layers.Dense(2, use_bias=False),
])
inputs = keras.Input((7, 7, 3))
model = keras.Model(inputs, layers.Flatten()(block(inputs)))
""", BOTH),
    ("transformer_block", """inputs = keras.Input((10, 16))
x = layers.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs)
x = layers.LayerNormalization()(layers.Add()([inputs, x]))
y = layers.Dense(32, activation="relu")(x)
y = layers.Dense(16)(y)
outputs = layers.LayerNormalization()(layers.Add()([x, y]))
model = keras.Model(inputs, outputs)
""", JAXPR),
    # keras.applications models, layer by layer (kerascount/app_layers.py): depthwise convolutions, Keras's
    # correct_pad, MobileNetV3's operations on tensors, an odd input size; a frozen base under a head.
    ("application_mobilenet_v2", "model = keras.applications.MobileNetV2(input_shape=(64, 64, 3), weights=None, "
     "classes=5)\n", JAXPR),
    ("application_resnet50", "model = keras.applications.ResNet50(input_shape=(65, 48, 3), weights=None, "
     "include_top=False, pooling='avg')\n", JAXPR),
    ("application_mobilenet_v3_small", "model = keras.applications.MobileNetV3Small(input_shape=(72, 72, 3), "
     "weights=None, include_top=False)\n", JAXPR),
    ("application_vgg16_head", """base = keras.applications.VGG16(input_shape=(40, 40, 3), weights=None, include_top=False)
base.trainable = False
x = layers.GlobalAveragePooling2D()(base.output)
model = keras.Model(base.input, layers.Dense(3)(x))
""", JAXPR),
]


# -- measures ---------------------------------------------------------------------------------


def jaxpr_macs(jaxpr) -> int:
    """Multiply-accumulates of the products and convolutions of a jaxpr (every window position)."""
    total = 0
    for eqn in jaxpr.eqns:
        name = eqn.primitive.name
        if name == "dot_general":
            (contracting, _), _ = eqn.params["dimension_numbers"]
            lhs = eqn.invars[0].aval.shape
            total += math.prod(eqn.outvars[0].aval.shape) * math.prod(lhs[d] for d in contracting)
        elif name == "conv_general_dilated":
            rhs = eqn.invars[1].aval.shape
            out_feature, in_feature, *spatial = eqn.params["dimension_numbers"].rhs_spec
            total += math.prod(eqn.outvars[0].aval.shape) * rhs[in_feature] * math.prod(rhs[d] for d in spatial)
        elif name == "scan":
            total += eqn.params["length"] * jaxpr_macs(eqn.params["jaxpr"].jaxpr)
        elif name in ("while", "cond"):
            raise ValueError(f"cannot count through `{name}`")
        else:
            for value in eqn.params.values():
                inner = getattr(value, "jaxpr", value)
                if hasattr(inner, "eqns"):
                    total += jaxpr_macs(inner)
    return total


def activations(model) -> int:
    """Elements per sample of every layer call's outputs in a forward pass, inputs left out.

    The sizes are those of the arrays JAX computes (Keras's inferred shapes can differ:
    MultiHeadAttention's scores); a nested model counts its own layers' outputs.
    """
    graph = model._functional if isinstance(model, keras.Sequential) else model
    nodes = [node for nodes in graph._nodes_by_depth.values() for node in nodes
             if not isinstance(node.operation, keras.layers.InputLayer)]
    leaves = [t for node in nodes if not isinstance(node.operation, keras.Model) for t in node.outputs]
    probe = keras.Model(graph.inputs, leaves)
    inputs = [np.zeros((1, *t.shape[1:]), dtype=t.dtype) for t in graph.inputs]
    arrays = jax.eval_shape(lambda *xs: probe(list(xs) if len(xs) > 1 else xs[0]), *inputs)
    nested = sum(activations(node.operation) for node in nodes if isinstance(node.operation, keras.Model))
    return nested + sum(math.prod(a.shape[1:]) for a in jax.tree_util.tree_leaves(arrays))


def measure(source: str) -> dict:
    keras.utils.clear_session()
    namespace: dict = {}
    exec(compile(HEADER + source, "<case>", "exec"), namespace)
    model = namespace["model"]
    inputs = [np.zeros((1, *t.shape[1:]), dtype=t.dtype) for t in model.inputs]
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def forward(trainable, non_trainable, *xs):
        return model.stateless_call(trainable, non_trainable, list(xs) if len(xs) > 1 else xs[0])[0]

    analysis = jax.jit(forward).lower(trainable, non_trainable, *inputs).compile().cost_analysis()
    if isinstance(analysis, list):  # older jax: one dict per device program
        analysis = analysis[0]
    traced = jax.make_jaxpr(forward)(trainable, non_trainable, *inputs)
    return {"xla_flops": int(analysis.get("flops", 0)), "jaxpr_macs": jaxpr_macs(traced.jaxpr),
            "activations": activations(model)}


def build(part: int = 0, parts: int = 1) -> dict:
    """The truth for every case, or (``parts`` > 1) for every ``parts``-th case starting at ``part``."""
    cases = {}
    for index, (case_id, source, agree) in enumerate(CASES):
        if index % parts != part:
            continue
        cases[case_id] = {"source": source, "agree": list(agree), **measure(source)}
        print(case_id, cases[case_id]["xla_flops"], cases[case_id]["jaxpr_macs"], file=sys.stderr)
    return {"keras_version": keras.__version__, "jax_version": jax.__version__, "backend": "jax (cpu)",
            "header": HEADER, "cases": cases}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in file; write nothing")
    parser.add_argument("--part", metavar="K/N", help="with --check: only every N-th case from the K-th (0-based)")
    args = parser.parse_args()
    if args.check and args.part:
        part, parts = (int(n) for n in args.part.split("/"))
        fresh = build(part, parts)
        with open(OUT, encoding="utf-8") as fh:
            stored = json.load(fh)
        stale = [k for k, v in fresh["cases"].items() if stored["cases"].get(k) != json.loads(json.dumps(v))]
        print("up to date" if not stale else f"{OUT} differs for {', '.join(stale)}: run tools/gen_cost_truth.py")
        return 0 if not stale else 1
    text = json.dumps(build(), indent=1) + "\n"
    if args.check:
        with open(OUT, encoding="utf-8") as fh:
            same = fh.read() == text
        print("up to date" if same else f"{OUT} differs: run tools/gen_cost_truth.py")
        return 0 if same else 1
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {OUT}: {len(CASES)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
