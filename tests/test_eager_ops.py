"""``keras.ops`` run outside a traced call on numbers or arrays of data (``ops.arange``, ``ops.meshgrid``, ``ops.cast``,
elementwise functions, ``reshape``/``expand_dims``/``transpose``/``concatenate``/``stack``, ``ops.shape``) give arrays
of NumPy's shapes whose values are not kept; such an array (or a NumPy one) beside a symbolic tensor in an elementwise
operation (``tokens + table``) is a constant of that shape (fixture ops/eager_positional_tables.py, checked against
Keras with the numpy and jax backends). What is not followed stays unknown, and an array that does not broadcast is
what Keras rejects."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

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
])
def test_tables_not_followed_stay_unknown(table):
    src = "dtype, shape = input(), eval(input())\n" + _added(table)
    model = _model(src)
    assert model.total is None and model.status == "unknown"


def test_a_reshape_the_backend_rejects_is_not_a_table():
    # 24 values into (2, 1, 6, 4): NumPy raises "cannot reshape array of size 24 into shape (2,1,6,4)"
    assert _model(_added("ops.reshape(ops.arange(24), (2, 1, 6, 4))")).total is None


def test_only_elementwise_operations_take_a_constant():
    # ops.matmul with an array beside the tensor is not followed (its constant is not read here)
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.matmul(inp, np.ones((4, 3))))\n")
    assert model.status == "unknown"


def test_operations_on_tensors_stay_operations_of_the_graph():
    # outside a traced call, ops.sin of a symbolic tensor is a row of the model, not an array
    model = _model("inp = keras.Input((6, 4))\nm = keras.Model(inp, ops.sin(inp) + ops.arange(4))\n")
    assert [row.layer.type for row in model.rows] == ["InputLayer", "Sin", "Add"]
    assert model.outputs == ((None, 6, 4),)
