"""``keras.ops`` run outside a traced call on numbers or arrays of data (``ops.arange``, ``ops.meshgrid``, ``ops.cast``,
elementwise functions, ``reshape``/``expand_dims``/``transpose``/``concatenate``/``stack``, ``ops.shape``) give arrays
of NumPy's shapes whose values are not kept; such an array (or a NumPy one) beside a symbolic tensor in an elementwise
operation (``tokens + table``) is a constant of that shape (fixture ops/eager_positional_tables.py, checked against
Keras with the numpy and jax backends). What is not followed stays unknown, and an array that does not broadcast is
what Keras rejects.

In particular ``keras.ops.linspace(start, stop, num)`` run eagerly is a 1-D tensor of ``num`` values the
analysis does not know (each backend computes them in float32 its own way); iterating a 1-D array of known length
gives that many numbers of unknown value (fixture custom/ops_linspace_drop_rates.py, checked against Keras with the
numpy and jax backends). Nothing may decide anything on such a number: its truth, comparisons, type and use as a size
stay unknown, and the forms not followed (``retstep=True``, an integer dtype, a count not known, bounds that are
arrays, too many items to run a loop on) leave the model unknown.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.symbolic import symbol_names
from test_catalogue_keras import keras_probe

HEAD = "import numpy as np\nimport keras\nfrom keras import layers, ops\n"


def _model(src: str):
    report = analyze_source(HEAD + src, "m.py")
    assert report.internal_error is None, report.internal_error
    [model] = report.models
    return model


def _added(table: str, shape: str = "(6, 4)") -> str:
    return f"inp = keras.Input({shape})\nm = keras.Model(inp, layers.Dense(3)(inp + {table}))\n"


@pytest.mark.parametrize("table, out", [
    ("ops.arange(4)", (None, 6, 3)),
    ("ops.sin(ops.arange(0, 8, 2) / 3)", (None, 6, 3)),
    ("ops.cast(ops.arange(6), inp.dtype)[:, None]", (None, 6, 3)),  # (a tensor's dtype: any dtype gives one shape)
    ("ops.expand_dims(ops.arange(6), -1)", (None, 6, 3)),
    ("ops.reshape(ops.arange(24), [6, -1])", (None, 6, 3)),
    ("ops.transpose(ops.reshape(ops.arange(24), (4, 6)))", (None, 6, 3)),
    ("ops.concatenate((ops.cos(ops.zeros((6, 2))), ops.sin(ops.reshape(ops.arange(12), (6, 2)))), axis=1)",
     (None, 6, 3)),
    ("ops.stack([ops.arange(4), ops.arange(4)], axis=0)[:1]", (None, 6, 3)),
    ("ops.reshape(ops.arange(48), (2, 1, 6, 4))", (2, None, 6, 3)),  # a constant of higher rank: Keras broadcasts
    ("-np.linspace(0.0, 1.0, 4)", (None, 6, 3)),
    ("ops.multiply(ops.arange(4), 2.0)", (None, 6, 3)),
    ("ops.meshgrid(ops.arange(4), ops.arange(6))[0]", (None, 6, 3)),  # "xy": (len of the 2nd, len of the 1st)
    ("ops.meshgrid(ops.arange(6), ops.arange(4), indexing='ij')[1]", (None, 6, 3)),
    ("ops.ones(ops.shape(ops.arange(4)))", (None, 6, 3)),
])
def test_constant_tables(table, out):
    model = _model(_added(table))
    assert model.status == "exact", model.reasons
    assert model.outputs == (out,)
    assert model.total == _model(_added("inp")).total  # (an operation adds no weight)


@pytest.mark.parametrize("grid, shape", [
    ("ops.meshgrid(ops.arange(4), ops.arange(6))[0]", "(4, 6)"),  # "xy" gives (6, 4): no (4, 6) broadcast
    ("ops.meshgrid(ops.arange(4), ops.arange(6), indexing='ij')[0]", "(6, 4)"),
    ("ops.arange(5)", "(6, 4)"),
])
def test_a_table_that_does_not_broadcast_is_rejected(grid, shape):
    # Keras 3.15.1: "Cannot broadcast shape, the failure dim has value 4, which cannot be broadcasted to 5"
    model = _model(_added(grid, shape))
    assert model.failed and model.total is None


@pytest.mark.parametrize("table", [
    "ops.arange(0.0, 4.0)",  # floats: not followed
    "ops.cast(ops.arange(4), dtype)",  # a dtype not known (Keras raises on an invalid one)
    "ops.reshape(ops.arange(24), shape)",  # a new shape not known
    "ops.arange(int(input()))",  # a length not known
    "ops.linspace(0.0, 1.0, 4, retstep=True)[0]",
    "ops.transpose(ops.reshape(ops.arange(24), (4, 6)), (1, 10**9))",  # an axis out of range: NumPy raises AxisError
    "ops.transpose(ops.reshape(ops.arange(24), (4, 6)), (1, 1))",  # axes that are no permutation: ValueError
])
def test_tables_not_followed_stay_unknown(table):
    src = "dtype, shape = input(), eval(input())\n" + _added(table)
    model = _model(src)
    assert model.total is None and model.status == "unknown"


def test_a_reshape_the_backend_rejects_is_not_a_table():
    # 24 values into (2, 1, 6, 4): NumPy raises "cannot reshape array of size 24 into shape (2,1,6,4)"
    assert _model(_added("ops.reshape(ops.arange(24), (2, 1, 6, 4))")).total is None


def test_matmul_takes_a_constant_by_its_shape():
    # Keras's Matmul.compute_output_spec reads only the shapes (checked: (None, 6, 3), and ValueError for (5, 3));
    # fixtures/ops/window_sizes_from_ops.py checks a model with one against Keras
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.matmul(inp, np.ones((4, 3))))\n")
    assert model.status == "exact" and model.outputs == ((None, 6, 3),)
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.matmul(inp, np.ones((5, 3))))\n")
    assert model.status != "exact"


@pytest.mark.keras
def test_matmul_with_a_constant_as_keras_gives_it():
    probe = r"""
import json, sys
import numpy as np
import keras
from keras import ops
inp = keras.Input((6, 4))
out = {"shape": list(keras.Model(inp, ops.matmul(inp, np.ones((4, 3)))).output.shape)}
try:
    ops.matmul(inp, np.ones((5, 3)))
except ValueError:
    out["other"] = "ValueError"
print(json.dumps(out))
"""
    assert keras_probe(probe, []) == {"shape": [None, 6, 3], "other": "ValueError"}


def test_other_operations_do_not_take_a_constant():
    # (ops.dot with an array beside the tensor is not followed: its constant is not read here)
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.dot(inp, np.ones((4, 3))))\n")
    assert model.status == "unknown"


def test_operations_on_tensors_stay_operations_of_the_graph():
    # outside a traced call, ops.sin of a symbolic tensor is a row of the model, not an array
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.sin(inp) + ops.arange(4))\n")
    assert [row.layer.type for row in model.rows] == ["InputLayer", "Sin", "Add"]
    assert model.outputs == ((None, 6, 4),)


# -- schedules: keras.ops.linspace, 1-D arrays iterated, tolist() ---------------------------------------------

def _blocks(schedule: str) -> str:
    # one Dense and one Dropout per item of the schedule: the count depends on its length only
    return (f"x = inp = keras.Input((5,))\n"
            f"for r in {schedule}:\n"
            "    x = layers.Dropout(r)(layers.Dense(7)(x))\n"
            "m = keras.Model(inp, x)\n")


@pytest.mark.parametrize("schedule", [
    "ops.linspace(0.0, 0.3, 4)",
    "ops.linspace(0, 1, num=4, endpoint=False)",
    "keras.ops.linspace(0.0, 0.3, 4, dtype='float32')",
    "[ops.convert_to_numpy(v) for v in ops.linspace(0.0, 0.3, 4)]",
    "np.random.uniform(0.0, 0.3, size=4)",  # a 1-D NumPy array of values not known: 4 of them
    "np.linspace(0.0, 0.3, 4, dtype=np.float32)",  # (float32 values are not kept; the length is)
])
def test_length_known_values_not(schedule):
    written = _model(_blocks("[0.0, 0.1, 0.2, 0.3]"))
    got = _model(_blocks(schedule))
    assert written.total is not None  # (the schedule written out is known)
    assert got.total == written.total
    assert [row.layer.name for row in got.rows] == [row.layer.name for row in written.rows]


def test_count_follows_num():
    assert _model(_blocks("ops.linspace(0.0, 0.3, 2)")).total == _model(_blocks("[0.0, 0.3]")).total
    assert _model(_blocks("ops.linspace(0.0, 0.3, 0)")).total == 0  # no item: the model is its input


@pytest.mark.parametrize("use", [
    "if r > 0:\n        x = layers.Dense(7)(x)",  # a comparison of a value not known
    "if r:\n        x = layers.Dense(7)(x)",  # its truth (the first item is 0.0)
    "if isinstance(r, float):\n        x = layers.Dense(7)(x)",  # a NumPy float64 is one, float32 and tensors not
    "x = layers.Dense(int(r * 10) + 1)(x)",  # a width read from it
])
@pytest.mark.parametrize("schedule", ["ops.linspace(0.0, 0.3, 3)", "np.random.uniform(0.0, 0.3, size=3)"])
def test_decisions_on_the_values_stay_unknown(use, schedule):
    if use.startswith("if r:") and schedule.startswith("ops.linspace"):
        pytest.skip("the truth of a linspace item is known: test_truth_of_linspace_items")
    src = f"x = inp = keras.Input((5,))\nfor r in {schedule}:\n    {use}\nm = keras.Model(inp, x)\n"
    model = _model(src)
    assert model.total is None
    assert model.status == "unknown" and model.reasons


@pytest.mark.parametrize("schedule, written", [
    # (Keras 3.15.1, numpy and jax backends: [bool(r) for r in ops.linspace(...)] is [False, True, True] for the
    # first two; the first item is the start itself, the others lie between bounds of one sign)
    ("ops.linspace(0.0, 0.3, 3)", "[0.0, 0.15, 0.3]"),
    ("ops.linspace(0.3, 0.1, 3)", "[0.3, 0.2, 0.1]"),
    ("ops.linspace(0, 1, num=4, endpoint=False)", "[0.0, 0.25, 0.5, 0.75]"),
])
def test_truth_of_linspace_items(schedule, written):
    src = "x = inp = keras.Input((5,))\nfor r in {}:\n    if r:\n        x = layers.Dense(7)(x)\nm = keras.Model(inp, x)\n"
    got, expected = _model(src.format(schedule)), _model(src.format(written))
    assert got.status == "exact" and got.total == expected.total is not None
    assert [row.layer.name for row in got.rows] == [row.layer.name for row in expected.rows]


@pytest.mark.parametrize("schedule", ["ops.linspace(-0.1, 0.3, 3)", "ops.linspace(0.3, 0.0, 3)"])
def test_truth_of_linspace_items_that_may_round_to_zero_stays_unknown(schedule):
    # (bounds of two signs: a middle item may be 0 on one backend and not on another; `stop` 0 as the last item)
    src = f"x = inp = keras.Input((5,))\nfor r in {schedule}:\n    if r:\n        x = layers.Dense(7)(x)\nm = keras.Model(inp, x)\n"
    assert _model(src).status == "unknown"


@pytest.mark.parametrize("schedule", ["ops.linspace(0.0, 0.3, 3)", "np.random.uniform(0.0, 0.3, size=3)"])
def test_a_tensor_times_an_item_is_an_operation(schedule):
    # `x * r`: Keras's Multiply of the tensor and a constant of shape (), as `x * 0.5` (checked against Keras 3.15.1)
    src = "x = inp = keras.Input((5,))\nfor r in {}:\n    x = layers.Dense(7)(x) * r\nm = keras.Model(inp, x)\n"
    got, written = _model(src.format(schedule)), _model(src.format("[0.5, 0.5, 0.5]"))
    assert got.status == "exact" and got.total == written.total
    assert [(row.layer.type, row.output_shape) for row in got.rows] == \
        [(row.layer.type, row.output_shape) for row in written.rows]


def test_custom_layer_deciding_on_its_rate_stays_unknown():
    src = ("class Drop(layers.Layer):\n"
           "    def __init__(self, rate):\n"
           "        super().__init__()\n"
           "        self.proj = layers.Dense(5) if rate > 0.1 else None\n"
           "    def call(self, x):\n"
           "        return x if self.proj is None else self.proj(x)\n"
           "x = inp = keras.Input((5,))\n"
           "for r in ops.linspace(0.0, 0.3, 3):\n"
           "    x = Drop(r)(x)\n"
           "m = keras.Model(inp, x)\n")
    assert _model(src).total is None


@pytest.mark.parametrize("schedule", [
    "ops.linspace(0.0, 0.3, 4, retstep=True)",  # a (values, step) tuple
    "ops.linspace(0, 8, 4, dtype='int32')",  # an integer dtype: not followed
    "ops.linspace(0.0, 0.3, int(input()))",  # a count not known
    "ops.linspace(np.zeros(2), np.ones(2), 4)",  # arrays as bounds: a (4, 2) tensor, not followed
    "ops.linspace(0.0, 0.3, 100)",  # more items than a loop over an array is run for
])
def test_forms_not_followed_stay_unknown(schedule):
    assert _model(_blocks(schedule)).total is None


def test_linspace_in_a_traced_call_is_not_data():
    # inside a custom layer's call, ops.linspace makes a tensor of the graph, not an array to loop over
    src = ("class Ramp(layers.Layer):\n"
           "    def call(self, x):\n"
           "        for r in ops.linspace(0.0, 1.0, 3):\n"
           "            x = x * r\n"
           "        return x\n"
           "inp = keras.Input((5,))\n"
           "m = keras.Model(inp, layers.Dense(2)(Ramp()(inp)))\n")
    assert _model(src).total is None


def _widths(expr: str) -> str:
    return f"m = keras.Sequential([keras.Input((3,))] + [layers.Dense(w) for w in {expr}])\n"


def test_tolist_gives_python_numbers():
    # Python ints, which Dense takes as units, where the NumPy integers of the array itself are rejected
    assert _model(_widths("np.arange(4, 13, 4).tolist()")).total == _model(_widths("[4, 8, 12]")).total
    assert _model(_widths("np.arange(4, 13, 4)")).failed
    # NumPy's float64 values exactly: 0.3 * 100 is 30.000000000000004 for the last, 0.15 * 100 is 15.000000000000002
    floats = "[4 + int(r * 100) for r in np.linspace(0, 0.3, 7).tolist()]"
    assert _model(_widths(floats)).total == _model(_widths("[4 + int(r * 100) for r in np.linspace(0, 0.3, 7)]")).total
    assert _model(_widths(floats)).total == _model(_widths("[4, 9, 14, 19, 24, 28, 34]")).total


def test_tolist_is_a_copy_and_keeps_the_array():
    # the list does not follow later changes of the array, and the array keeps its values after tolist()
    src = ("a = np.arange(2, 5)\nlisted = a.tolist()\na[0] = 7\n"
           "m = keras.Sequential([keras.Input((3,)), layers.Dense(listed[0]), layers.Dense(int(a[0]))])\n")
    assert _model(src).total == _model(_widths("[2, 7]")).total


def test_tolist_not_followed_stays_unknown():
    # NumPy raises (tolist takes no argument)
    assert _model("ws = [int(v) + 1 for v in np.arange(4, 13, 4).tolist(1)]\n" + _widths("ws")).total is None


def test_tolist_of_values_not_known_gives_that_many_numbers_each_its_own():
    # a list of three numbers whose values are not known: one symbol each (never one for all: they differ)
    model = _model("ws = [int(v) + 1 for v in np.random.uniform(0, 1, size=3).tolist()]\n" + _widths("ws"))
    assert model.status == "symbolic" and len(symbol_names(model.total)) == 3


#: The smaller or larger of known whole numbers: a NumPy integer (keras.ops gives the backend's 0-d int32, NumPy
#: an int64) whose value arithmetic, comparisons and int() read (fixture ops/eager_scalar_extremes.py).
EXTREMES = {"ops.minimum(3, 4)": 3, "ops.maximum(x1=3, x2=4)": 4, "np.minimum(9, 2)": 2, "np.max([2, 5, 3])": 5,
            "np.amin((4, 6))": 4, "ops.minimum(ops.minimum(7, 3), 5)": 3}

PROBE_UNITS = r"""
import json, sys
import keras
import numpy as np
from keras import ops
out = {}
for expr in json.loads(sys.argv[1]):
    value = eval(expr)
    try:
        keras.layers.Dense(value)
        out[expr] = [int(value), "built"]
    except ValueError:
        out[expr] = [int(value), "rejected"]
print(json.dumps(out))
"""


@pytest.mark.parametrize("expr", sorted(EXTREMES))
def test_extremes_of_numbers_are_numpy_integers(expr):
    # int() of it sizes a layer; the value itself, as units, is what Keras 3.13 and later reject
    sized = _model(f"m = keras.Sequential([keras.Input((4,)), layers.Dense(int({expr}) + 1)])\n")
    assert sized.status == "exact" and sized.total == 5 * (EXTREMES[expr] + 1)
    report = analyze_source(HEAD + f"m = keras.Sequential([keras.Input((4,)), layers.Dense({expr})])\n", "m.py")
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["KC103"]


@pytest.mark.keras
def test_keras_gives_those_values_and_rejects_them_as_units():
    from test_catalogue_keras import keras_probe

    assert keras_probe(PROBE_UNITS, sorted(EXTREMES)) == {e: [v, "rejected"] for e, v in EXTREMES.items()}


@pytest.mark.parametrize("expr", ["ops.minimum(3, 4.0)", "np.max([2, 5.0])", "np.minimum(True, 3)", "np.max([])",
                                  "ops.minimum(2 ** 40, 3)"])
def test_other_extremes_stay_unknown(expr):
    # a float among them, a bool, nothing to take the largest of, an int32 overflow: left to the backend (the int()
    # of a value not computed is a symbol named by its text, as before)
    model = _model(f"m = keras.Sequential([keras.Input((4,)), layers.Dense(int({expr}))])\n")
    assert model.status in ("symbolic", "unknown") and not isinstance(model.total, int)


def test_an_embedding_table_is_read_once_the_layer_is_built():
    # fixtures/ops/tied_embedding_table.py checks tied tables against Keras; before a call builds the layer, Keras
    # raises AttributeError ("You must build the layer before accessing `embeddings`"): not followed
    tied = ("ids = keras.Input((None,), dtype='int32')\nemb = layers.Embedding(50, 8)\n{early}h = emb(ids)\n"
            "w = emb.embeddings\nm = keras.Model(ids, layers.Lambda(lambda t: ops.matmul(t, ops.transpose(w)))(h))\n")
    model = _model(tied.format(early=""))
    assert (model.status, model.total, model.outputs) == ("exact", 400, ((None, None, 50),))
    model = _model(tied.format(early="w = emb.embeddings\n").replace("w = emb.embeddings\nm =", "m ="))
    assert model.status == "unknown"
    probe = r"""
import json, keras
emb = keras.layers.Embedding(50, 8)
try:
    emb.embeddings
    print(json.dumps("read"))
except AttributeError:
    print(json.dumps("AttributeError"))
"""
    assert keras_probe(probe, []) == "AttributeError"
