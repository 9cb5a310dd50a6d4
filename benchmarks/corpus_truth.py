"""Check kerascount's exact numbers on the development corpus against real Keras.

Usage::

    python benchmarks/corpus_truth.py [--corpus /work/corpus] [--sample 60] [--seed 0] [--json OUT] [FILE ...]

Each chosen corpus file is copied into a scratch copy of its repository folder (a notebook becomes a
``.py`` of the code kerascount analyses, so lines match), kerascount analyses the copy, and the copy
is run under real Keras (numpy backend) by ``tools/keras_truth.py``, which records every model the
file builds. Offline stand-ins keep the run short and local; they never change how a model is built:

- ``keras.datasets.*.load_data`` returns zero arrays of the documented shapes (as keras_truth, with
  the real number of samples where kerascount's dataset table has it);
- ``tensorflow`` attributes other than ``keras`` are stand-ins (below);
- ``fit``/``evaluate``/``predict`` and their Keras 1/2 variants (``fit_generator``, ``train_on_batch``…),
  ``save``/``save_weights``/``load_weights``, ``plot_model`` do nothing (``predict`` returns None);
- ``keras.utils.get_file`` raises (no downloads), ``time.sleep`` returns at once;
- ``tensorflow`` is a stand-in module whose ``keras`` is Keras 3 (``tf.keras.layers``…) and
  ``keras_core`` is Keras 3; anything else of TensorFlow raises AttributeError. Keras 2's
  ``keras.layers.core``, ``.convolutional``… are ``keras.layers``.
- scikit-learn (not installed here): its toy datasets (``load_boston``, ``load_iris``…) are zero
  arrays of the real shapes, ``train_test_split`` splits as scikit-learn does (sizes only), scalers
  return their input; everything else of it is a stand-in as below.
- any other module that is not installed (matplotlib, pandas, sklearn, cv2, a repository's missing
  helper) is a stand-in whose values refuse to become numbers (:class:`Stub`): code may go on past
  ``import matplotlib.pyplot as plt`` and ``plt.plot(...)``, but no model dimension can come from it.

A file usually stops at some point (a missing data file, TensorFlow code); the models built before it
are still compared. Only models kerascount calls ``exact`` are checked: its total and trainable
counts (those it gives: an exact total may come with a null trainable count) must be those of a Keras
model built at the same line. Results:

- ``agree``: equal; ``DISAGREE``: Keras ran the whole file and built the model at that line with
  other numbers (the worst possible bug: each is printed with both numbers); ``differs, run stopped``:
  other numbers, but Keras stopped early, so code after the stop that changes the model (a later
  ``base.trainable = False``) never ran: printed too, to check by hand; ``not built``: Keras never
  reached the line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import types
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tools"))

from corpus import DEFAULT_CORPUS, corpus_files, read_list  # noqa: E402

_NOOP_METHODS = ("fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator",
                 "train_on_batch", "test_on_batch", "predict_on_batch", "save", "save_weights", "load_weights",
                 "export")


def _history():
    h = types.SimpleNamespace()
    h.history = {}
    h.epoch = []
    return h


class Stub:
    """Whatever a missing library (matplotlib, pandas, cv2…) returns: calls, attributes, items and arithmetic
    give another Stub; a number, a length, a truth value or an iteration raises TypeError, so that no
    number a model is built from can come from a stand-in."""

    def __init__(self, name: str = "stub"):
        self._name = name

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub(f"{self._name}.{name}")

    def __call__(self, *args, **kwargs):
        return Stub(f"{self._name}()")

    def __getitem__(self, key):
        return Stub(f"{self._name}[]")

    def __setitem__(self, key, value):
        pass

    def _refuse(self, *args):
        raise TypeError(f"corpus_truth: {self._name} is a stand-in for a missing library")

    __int__ = __index__ = __float__ = __len__ = __iter__ = __bool__ = _refuse

    def _same(self, *args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __enter__ = _same

    def __exit__(self, *args):
        return False


#: TensorFlow, Keras 2 and keras_core module paths, and the Keras 3 module that has their classes.
_ALIASES = (("tensorflow.python.keras", "keras"), ("tensorflow.keras", "keras"), ("keras_core", "keras"),
            ("keras.layers.", "keras.layers"), ("keras.utils.np_utils", "keras.utils"))


def _alias(name: str) -> Optional[str]:
    import importlib

    for prefix, target in _ALIASES:
        if name == prefix or name.startswith(prefix if prefix.endswith(".") else prefix + "."):
            full = target if prefix.endswith(".") or target != "keras" else target + name[len(prefix):]
            if full.startswith("keras.layers."):
                full = "keras.layers"
            try:
                importlib.import_module(full)
            except ImportError:
                return None
            return full
    return None


class _StubModules:
    """A finder, last on sys.meta_path: Keras under its other names (``tensorflow.python.keras.layers``,
    ``keras.layers.core``) is Keras 3; any other module no finder has becomes a stand-in (never Keras,
    TensorFlow or numpy)."""

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery

        if name == "tensorflow.python":
            return importlib.machinery.ModuleSpec(name, self, is_package=True)  # on the way to .keras
        alias = _alias(name)
        if alias is not None:
            return importlib.machinery.ModuleSpec(name, _AliasLoader(alias), is_package=True)
        if name.split(".")[0] in ("keras", "tensorflow", "keras_core", "numpy", "scipy", "jax"):
            return None
        if name.split(".")[0] == "sklearn":
            return importlib.machinery.ModuleSpec(name, _SklearnLoader(), is_package=True)
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda attr: _missing(spec.name, attr)  # PEP 562
        return module

    def exec_module(self, module):
        pass


class _AliasLoader:
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        import importlib

        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


#: scikit-learn's toy datasets: (samples, features, classes or 0 for a regression target).
SKLEARN_DATASETS = {"load_boston": (506, 13, 0), "load_iris": (150, 4, 3), "load_wine": (178, 13, 3),
                    "load_breast_cancer": (569, 30, 2), "load_diabetes": (442, 10, 0), "load_digits": (1797, 64, 10),
                    "fetch_california_housing": (20640, 8, 0), "fetch_covtype": (581012, 54, 7)}


def _sklearn_module(name: str) -> types.ModuleType:
    """What student scripts use of scikit-learn, on zero data of the real datasets' shapes."""
    import numpy as np

    module = types.ModuleType(name)
    module.__path__ = []
    if name.endswith(".datasets"):
        def loader(n, f, classes):
            def load(*args, return_X_y=False, **kwargs):
                x = np.zeros((n, f), dtype="float64")
                y = (np.arange(n) % classes + (1 if classes == 7 else 0)) if classes else np.zeros(n)
                return (x, y) if return_X_y else types.SimpleNamespace(data=x, target=y, feature_names=[""] * f)
            return load

        for fname, (n, f, classes) in SKLEARN_DATASETS.items():
            setattr(module, fname, loader(n, f, classes))
    elif name.endswith(".model_selection"):
        def train_test_split(*arrays, test_size=None, train_size=None, **kwargs):
            n = len(arrays[0])
            if test_size is None:
                test_size = 0.25 if train_size is None else 1 - train_size
            n_test = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
            out = []
            for a in arrays:
                a = np.asarray(a)
                out += [a[: n - n_test], a[n - n_test:]]
            return out

        module.train_test_split = train_test_split
    elif name.endswith(".preprocessing"):
        class Scaler:
            def __init__(self, *args, **kwargs):
                pass

            def fit(self, x, *args):
                return self

            def transform(self, x):
                return np.asarray(x, dtype="float64")

            def fit_transform(self, x, *args):
                return self.transform(x)

        for cls in ("MinMaxScaler", "StandardScaler", "RobustScaler", "MaxAbsScaler", "QuantileTransformer",
                    "PowerTransformer"):
            setattr(module, cls, Scaler)
    module.__getattr__ = lambda attr: _missing(name, attr)
    return module


def _missing(module: str, attr: str):
    if attr == "__version__":
        return "99.0"  # version checks pass
    if attr.startswith("__"):
        raise AttributeError(attr)
    return Stub(f"{module}.{attr}")


class _SklearnLoader:
    def create_module(self, spec):
        return _sklearn_module(spec.name)

    def exec_module(self, module):
        pass


_KERAS_TRUTH_DATASETS = None  # keras_truth's own _offline_datasets


def _offline_datasets(keras) -> None:
    """keras_truth's dataset stand-ins, with the real number of samples where kerascount's table has it
    (student code reshapes ``x_train.reshape(60000, 784)``); zero arrays cost no memory until written."""
    import keras_truth
    from kerascount.extract.arrays import DATASETS

    _KERAS_TRUTH_DATASETS(keras)
    for name, data in DATASETS.items():
        module = getattr(keras.datasets, name, None)
        if module is None or not data.train or not data.test:
            continue

        def load_data(*args, _stub=module.load_data, _data=data, **kwargs):
            keras_truth._STUB_SAMPLES = _data.train  # keras_truth makes (n, n // 4) samples
            train = _stub(*args, **kwargs)[0]
            keras_truth._STUB_SAMPLES = _data.test * 4
            return train, _stub(*args, **kwargs)[1]

        module.load_data = load_data


def install_stand_ins(keras) -> None:
    """Patch Keras in this (parent) process; keras_truth's forked children inherit it."""
    import time

    for name in _NOOP_METHODS:
        if name.startswith("fit"):
            setattr(keras.Model, name, lambda self, *a, **k: _history())
        else:
            setattr(keras.Model, name, lambda self, *a, **k: None)

    def no_download(*args, **kwargs):
        raise OSError("corpus_truth: no downloads")

    keras.utils.get_file = no_download
    from keras.src.utils import file_utils

    file_utils.get_file = no_download
    keras.utils.plot_model = lambda *a, **k: None
    time.sleep = lambda *a, **k: None

    from keras.src.utils import module_utils

    module_utils.tensorflow._available = False  # Keras itself must not take the stand-in for TensorFlow
    tf = types.ModuleType("tensorflow")
    tf.__getattr__ = lambda attr: _missing("tensorflow", attr)  # tf.config, tf.data...: stand-ins
    tf.keras = keras
    tf.__path__ = []  # a package: ``import tensorflow.python...`` fails as a missing module
    tf.__version__ = "2.16.1"
    tf.executing_eagerly = lambda: True
    tf.random = types.SimpleNamespace(set_seed=lambda *a, **k: None)
    tf.version = types.SimpleNamespace(VERSION=tf.__version__)
    sys.modules["tensorflow"] = tf
    sys.modules["keras_core"] = keras
    for sub in ("layers", "models", "optimizers", "callbacks", "utils", "datasets", "applications", "backend",
                "regularizers", "initializers", "losses", "metrics", "activations", "constraints", "ops"):
        module = getattr(keras, sub, None)
        if module is not None:
            sys.modules[f"tensorflow.keras.{sub}"] = module
            sys.modules[f"keras_core.{sub}"] = module
    sys.modules["tensorflow.keras"] = keras
    sys.meta_path.append(_StubModules())


def prepare(files: Sequence[str], corpus: Path, scratch: Path) -> Dict[str, str]:
    """Copy each file's repository folder into scratch once; return {scratch .py: corpus file}."""
    sys.path.insert(0, str(ROOT))
    from kerascount.files import read

    out = {}
    for f in files:
        rel = Path(f).relative_to(corpus)
        top = rel.parts[0]
        if not (scratch / top).exists():
            shutil.copytree(corpus / top, scratch / top)
        dest = scratch / rel
        if f.endswith(".ipynb"):
            text = read(f).text
            if text is None:
                continue
            dest = dest.with_name(dest.name + ".py")
            dest.write_text(text, encoding="utf-8")
        out[str(dest)] = f
    return out


def kerascount_models(paths: Sequence[str]) -> Dict[str, List[dict]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache", *paths],
                       capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    doc = json.loads(r.stdout)
    return {os.path.abspath(f["path"]): f["models"] for f in doc["files"]}


def compare(kc: List[dict], truth: dict) -> List[dict]:
    """One row per exact model of kerascount. A model Keras built in a run that stopped early may
    differ because the code after the stop (``base.trainable = False``, ``model.add``) never ran:
    that is "differs, run stopped" (check it by hand), not DISAGREE."""
    rows = []
    built: Dict[int, List[dict]] = {}
    for m in truth.get("models", []):
        if m.get("built") and m.get("line") is not None:
            built.setdefault(m["line"], []).append(m)
    for m in kc:
        if m.get("status") != "exact":
            continue
        there = built.get(m["line"], [])
        row = {"line": m["line"], "name": m.get("name"), "kind": m.get("kind"),
               "kerascount": [m["total_params"], m["trainable_params"]],
               "keras": [[t["total_params"], t["trainable_params"]] for t in there]}
        claimed = [i for i, v in enumerate(row["kerascount"]) if v is not None]  # exact may leave trainable null
        if not there:
            row["result"] = "not built"
        elif any(all(row["kerascount"][i] == k[i] for i in claimed) for k in row["keras"]):
            row["result"] = "agree"
        elif truth.get("error"):
            row["result"] = "differs, run stopped"
        else:
            row["result"] = "DISAGREE"
        rows.append(row)
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="corpus files (default: a sample)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=60, help="files with an exact model to check (default 60)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60, help="seconds for one file under Keras")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0" or os.environ.get("KERAS_BACKEND") != "numpy":
        env = dict(os.environ, PYTHONHASHSEED="0", KERAS_BACKEND="numpy", MPLBACKEND="Agg")
        return subprocess.run([sys.executable, os.path.abspath(__file__), *(argv or sys.argv[1:])], env=env).returncode

    corpus = args.corpus.resolve()
    files = [str(Path(f).resolve()) for f in args.files] or corpus_files(corpus, read_list())
    with tempfile.TemporaryDirectory(prefix="corpus_truth_") as tmp:
        scratch = Path(tmp)
        if not args.files:
            random.Random(args.seed).shuffle(files)
        chosen: Dict[str, str] = {}
        models: Dict[str, List[dict]] = {}
        pool = files
        while pool and len(chosen) < args.sample:  # files with at least one exact model, in batches
            batch, pool = pool[:max(20, args.sample)], pool[max(20, args.sample):]
            copies = prepare(batch, corpus, scratch)
            found = kerascount_models(list(copies))
            for copy, original in copies.items():
                exact = [m for m in found.get(copy, []) if m.get("status") == "exact"]
                if exact and len(chosen) < args.sample:
                    chosen[copy] = original
                    models[copy] = found[copy]
        print(f"{len(chosen)} files with exact models; running them under Keras", file=sys.stderr)

        import keras_truth

        keras = keras_truth._load_keras()
        install_stand_ins(keras)
        global _KERAS_TRUTH_DATASETS
        _KERAS_TRUTH_DATASETS = keras_truth._offline_datasets
        keras_truth._offline_datasets = _offline_datasets
        # a repository's own packages (``from rl.agents import ...``) import from its top folder
        sys.path[:0] = sorted({str(scratch / Path(c).relative_to(scratch).parts[0]) for c in chosen})
        truths = keras_truth.truth_for_files(list(chosen), jobs=args.jobs, timeout=args.timeout)

        report = []
        counts = {"agree": 0, "DISAGREE": 0, "differs, run stopped": 0, "not built": 0}
        for (copy, original), truth in zip(chosen.items(), truths):
            rows = compare(models[copy], truth)
            for r in rows:
                counts[r["result"]] += 1
            err = truth.get("error") or {}
            report.append({"file": str(Path(original).relative_to(corpus)), "checked_as": copy.replace(tmp, "<scratch>"),
                           "keras_stopped": f"{err.get('type')}: {err.get('message')} (line {err.get('line')})"
                           if err else None, "models": rows})
    stops = Counter((f["keras_stopped"] or "ran to the end").split(":")[0] for f in report)
    print(f"Keras runs: {dict(stops.most_common())}")
    print(f"exact models checked: {sum(counts.values())}: {counts['agree']} agree, {counts['DISAGREE']} DISAGREE, "
          f"{counts['differs, run stopped']} differ after Keras stopped early (check by hand), "
          f"{counts['not built']} not built by Keras (the run stopped before them)")
    for f in report:
        for r in f["models"]:
            if r["result"] in ("DISAGREE", "differs, run stopped"):
                print(f"{r['result']}: {f['file']}:{r['line']} {r['name']} ({r['kind']}): kerascount total/trainable "
                      f"{r['kerascount']}, Keras {r['keras']}; Keras stopped: {f['keras_stopped']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"counts": counts, "files": report}, indent=1) + "\n")
    return 1 if counts["DISAGREE"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
