#!/usr/bin/env python3
"""Run crash-then-fix pairs with real Keras: each `<name>_bug.py` must raise, each `<name>_fixed.py` must run.

Usage:
    python tools/fault_truth.py fixtures/datafaults

The numpy backend cannot train, so the programs run on the jax backend, with training cut short:
`fit` runs one epoch, and `fit`, `evaluate` and `predict` get the first 40 samples of each array
(the shape errors Keras raises depend on the shapes per sample, not on the sample count). Nothing is downloaded:
`keras.datasets.*.load_data()` gives zero arrays of the real shapes and sample counts, and
`sklearn` (not installed here) is replaced by its bundled data sets (zeros with labels cycling
through the classes, real shapes), `train_test_split` with scikit-learn's sizes, and its scalers and
encoders. `pd.read_csv` of a file that is not there gives a frame of the public file's columns (FILES below;
pandas must be importable: `PYTHONPATH=<dir with pandas> python tools/fault_truth.py ...`).
Prints one line per file and exits 1 if a bug runs or a fix raises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRELUDE = r'''
import math, sys, types
import numpy as np
import keras

for name, (x, y, train, test, classes) in {
        "mnist": ((28, 28), (), 60000, 10000, 10), "fashion_mnist": ((28, 28), (), 60000, 10000, 10),
        "cifar10": ((32, 32, 3), (1,), 50000, 10000, 10), "cifar100": ((32, 32, 3), (1,), 50000, 10000, 100),
        "boston_housing": ((13,), (), 404, 102, None)}.items():
    def load_data(*args, _x=x, _y=y, _train=train, _test=test, _classes=classes, _name=name, **kwargs):
        mode = args[0] if _name == "cifar100" and args else kwargs.get("label_mode", "fine")
        k = 20 if _name == "cifar100" and mode == "coarse" else _classes
        def split(n):
            labels = (np.arange(n) % k) if k else np.zeros(n)
            return np.zeros((n, *_x), "uint8"), labels.reshape((n, *_y))
        return split(_train), split(_test)
    getattr(keras.datasets, name).load_data = load_data

sklearn = types.ModuleType("sklearn")
datasets = types.ModuleType("sklearn.datasets")
selection = types.ModuleType("sklearn.model_selection")
for name, (n, f, k) in {"load_iris": (150, 4, 3), "load_digits": (1797, 64, 10), "load_wine": (178, 13, 3),
                        "load_breast_cancer": (569, 30, 2), "load_diabetes": (442, 10, None)}.items():
    def load(return_X_y=False, _n=n, _f=f, _k=k):
        x = np.zeros((_n, _f))
        y = np.arange(_n) % _k if _k else np.zeros(_n)
        return (x, y) if return_X_y else types.SimpleNamespace(data=x, target=y)
    setattr(datasets, name, load)

def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
    n = len(arrays[0])
    if test_size is None and train_size is None:
        test_size = 0.25
    test = math.ceil(test_size * n) if isinstance(test_size, float) else test_size
    train = math.floor(train_size * n) if isinstance(train_size, float) else train_size
    test = n - train if test is None else test
    train = n - test if train is None else train
    out = []
    for a in arrays:
        out += [a[:train], a[train:train + test]]
    return out

selection.train_test_split = train_test_split
preprocessing = types.ModuleType("sklearn.preprocessing")

class _Scaler:
    """StandardScaler, MinMaxScaler: the shape of what they transform (2-D only, as scikit-learn)."""
    def __init__(self, **kwargs):
        pass
    def fit(self, x, y=None):
        return self
    def transform(self, x):
        x = np.asarray(x, dtype="float64")
        if x.ndim != 2:
            raise ValueError(f"Expected 2D array, got {x.ndim}D array instead")
        return x
    fit_transform = transform

class LabelEncoder:
    def fit_transform(self, y):
        return np.unique(np.asarray(y).ravel(), return_inverse=True)[1]

class OneHotEncoder:
    def __init__(self, sparse_output=True, **kwargs):
        pass
    def fit_transform(self, x):
        x = np.asarray(x)
        codes = [np.unique(x[:, j], return_inverse=True) for j in range(x.shape[1])]
        return np.concatenate([np.eye(len(u))[i.ravel()] for u, i in codes], axis=1)

preprocessing.StandardScaler = preprocessing.MinMaxScaler = _Scaler
preprocessing.LabelEncoder, preprocessing.OneHotEncoder = LabelEncoder, OneHotEncoder
sklearn.datasets, sklearn.model_selection, sklearn.preprocessing = datasets, selection, preprocessing
sys.modules.update({"sklearn": sklearn, "sklearn.datasets": datasets, "sklearn.model_selection": selection,
                    "sklearn.preprocessing": preprocessing})

# CSV files the programs read: a frame of zeros with the columns of the public file (labels cycle through
# the classes), when the file is not there. Needs pandas.
FILES = {
    "diabetes.csv": (768, ["Pregnancies", "Glucose", "BloodPressure", "SkinThickness", "Insulin", "BMI",
                           "DiabetesPedigreeFunction", "Age", "Outcome"], {"Outcome": [0, 1]}),
    "iris.csv": (150, ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"],
                 {"species": ["setosa", "versicolor", "virginica"]}),
    "housing.csv": (506, ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B",
                          "LSTAT", "MEDV"], {}),
}
try:
    import os
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    _read_csv = pd.read_csv
    def read_csv(path, *args, **kwargs):
        name = os.path.basename(str(path))
        if os.path.exists(str(path)) or name not in FILES:
            return _read_csv(path, *args, **kwargs)
        rows, columns, labels = FILES[name]
        frame = pd.DataFrame(np.zeros((rows, len(columns))), columns=columns)
        for column, values in labels.items():
            frame[column] = [values[i % len(values)] for i in range(rows)]
        return frame
    pd.read_csv = read_csv

def _few(v):
    """The first 40 samples of an array (shapes per sample unchanged; the run stays short)."""
    if isinstance(v, np.ndarray) and v.ndim:
        return v[:40]
    if isinstance(v, (tuple, list)):
        return type(v)(_few(i) for i in v)
    return v

_fit, _evaluate, _predict = keras.Model.fit, keras.Model.evaluate, keras.Model.predict
def fit(self, *args, **kwargs):
    kwargs.update(epochs=1, verbose=0)
    return _fit(self, *_few(args), **{k: _few(v) for k, v in kwargs.items()})
def evaluate(self, *args, **kwargs):
    kwargs.update(verbose=0)
    return _evaluate(self, *_few(args), **{k: _few(v) for k, v in kwargs.items()})
def predict(self, *args, **kwargs):
    kwargs.update(verbose=0)
    return _predict(self, *_few(args), **{k: _few(v) for k, v in kwargs.items()})
keras.Model.fit, keras.Model.evaluate, keras.Model.predict = fit, evaluate, predict
keras.Model.summary = lambda self, *a, **k: None
'''


def run(path: Path) -> str:
    """"RUNS", or the exception Keras (or NumPy) raised, on one line."""
    code = PRELUDE + f"\n__file__ = {str(path)!r}\nexec(compile(open(__file__).read(), __file__, 'exec'))\n"
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode == 0:
        return "RUNS"
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    errors = [l for l in lines if "Error:" in l or "Exception:" in l]
    return "RAISES " + (errors[-1] if errors else lines[-1] if lines else f"exit {proc.returncode}")[:300]


def main(argv) -> int:
    files = []
    for arg in argv or ["fixtures/datafaults"]:
        p = Path(arg)
        files += sorted(p.glob("*_bug.py")) + sorted(p.glob("*_fixed.py")) if p.is_dir() else [p]
    bad = 0
    for f in sorted(files):
        result = run(f)
        wrong = (f.name.endswith("_bug.py")) == (result == "RUNS")
        bad += wrong
        print(f"{'WRONG ' if wrong else ''}{f.name}: {result}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
