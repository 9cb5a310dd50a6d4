"""A NumPy scalar or array (or a tensor Keras computed at once from numbers, ``ops.cast(8, "float32")``) on the left of
an operator whose right operand is a symbolic tensor: Python asks the NumPy value first, NumPy converts the KerasTensor
to an array and Keras raises ValueError ("A KerasTensor is symbolic ... You cannot convert it to a NumPy array"), with
the numpy and jax backends alike. kerascount printed the model's numbers as though the operator had run (an exact
count of a program Keras never finishes). Now the model is unknown there: "Keras rejects it" for a NumPy scalar,
which raises with every backend; for an array, which may be a backend tensor (TensorFlow's hands the operator back to
the KerasTensor), unknown with why. The same operands the other way round, a Python number on the left, and NumPy
values in a Lambda's function (the backend's tensors there) build the model: kerascount's count is Keras's."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

_HEAD = ("import numpy as np\nimport keras\nfrom keras import layers, ops\n"
         "x = keras.Input((3,))\n")
_TAIL = "model = keras.Model(x, layers.Dense(2)(y))\n"

RAISING = {
    "numpy float": _HEAD + "y = np.sqrt(2.0) * x\n" + _TAIL,
    "numpy float32": _HEAD + "y = np.float32(0.5) + x\n" + _TAIL,
    "numpy int": _HEAD + "y = np.prod((3, 1)) * x\n" + _TAIL,
    "numpy comparison": _HEAD + "y = ops.cast(np.sqrt(0.25) < x, 'float32')\n" + _TAIL,
    "numpy array": _HEAD + "y = np.ones(3) * x\n" + _TAIL,
    "numpy 0-d array": _HEAD + "y = np.array(2.0) - x\n" + _TAIL,
    "backend tensor": _HEAD + "y = ops.cast(3, 'float32') * x\n" + _TAIL,
    "backend power": _HEAD + "scale = ops.cast(8, 'float32') ** -0.5\ny = scale * x\n" + _TAIL,
}
BUILDING = {
    "tensor first": _HEAD + "y = x * np.sqrt(2.0) + x * np.ones(3) - x * ops.cast(3, 'float32')\n" + _TAIL,
    "python number first": _HEAD + "y = 2.0 * x - float(np.sqrt(2.0)) * x\n" + _TAIL,
    "in a lambda": _HEAD + "y = layers.Lambda(lambda t: np.float32(2.0) * t + np.ones(3) * t)(x)\n" + _TAIL,
    "keras.ops call": _HEAD + "y = ops.multiply(np.ones(3), x)\n" + _TAIL,
    "handled": _HEAD + "try:\n    y = np.float32(2.0) * x\nexcept ValueError:\n    y = layers.Dense(4)(x)\n"
               + _TAIL,
}


def test_numpy_value_on_the_left_of_a_symbolic_tensor_is_never_counted():
    truth = keras_probe(COUNT_OR_RAISED, {**RAISING, **BUILDING})
    for name, text in RAISING.items():
        assert truth[name] == "ValueError", (name, truth[name])
        model = analyze_source(text, "m.py").models[-1]
        assert model.status == "unknown" and model.total is None, (name, model.status, model.total)
        reason = " ".join(model.reasons)
        assert "on the left of" in reason, (name, reason)
        if name.startswith("numpy") and "array" not in name:
            assert "Keras rejects it" in reason, (name, reason)
    for name, text in BUILDING.items():
        assert isinstance(truth[name], int), (name, truth[name])
        report = analyze_source(text, "m.py")
        model = report.models[-1]
        assert (model.status, model.total) == ("exact", truth[name]), (name, model.status, model.total, truth[name])
        assert not [d for d in report.diagnostics if d.severity in ("error", "warning")], name
