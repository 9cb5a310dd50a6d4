"""Check kerascount's exact numbers on the development corpus against real Keras.

Usage::

    python benchmarks/corpus_truth.py [--corpus /work/corpus] [--sample 60] [--seed 0] [--pick exact|symbolic]
                                      [--timeout 60] [--jobs 2] [--no-call-builders] [--keep-going[=deep]]
                                      [--json OUT] [FILE ...]

Each chosen corpus file is copied into a scratch copy of its repository folder (a notebook becomes a
``.py`` of the code kerascount analyses, so lines match), kerascount analyses the copy, and the copy
is run under real Keras (numpy backend) by ``tools/keras_truth.py``, which records every model the
file builds. Offline stand-ins keep the run short and local. None changes how a model is built, and none
gives the run a size that is not a fact: where the corpus lacks a value (a data file, a download, a
library), the stand-in is a :class:`Stub`, which refuses to become a number, so a model whose size depends
on it fails to build under Keras and is reported "not built", never compared. The only sizes stand-ins
give are documented facts (the real shapes of ``keras.datasets`` and scikit-learn's toy datasets) and
the real shapes Keras computes; so kerascount cannot agree with a stand-in by construction.

Data and training:

- ``keras.datasets.*.load_data`` returns zero arrays of the documented shapes (as keras_truth, with
  the real number of samples where kerascount's dataset table has it; boston_housing's are float64 as
  the real ones); scikit-learn's toy datasets (``load_boston``, ``load_iris``…) are zero arrays of the
  real shapes (``load_digits().images`` too: 1797 x 8 x 8) (Stubs with ``as_frame=True``: pandas frames), ``train_test_split`` splits as scikit-learn does (sizes only; a Stub splits into Stubs),
  scalers return their input.
- ``fit``/``train_on_batch`` are keras_truth's (they build an unbuilt model on the first batch, as
  the jax trainer does, and train nothing; not called when every layer is built already; an error
  after the model is built, from the numpy backend's loss and metrics on placeholder labels of random
  contents, is ignored), given only
  the first 4096 samples of large arrays (the first
  batch has the same shape but for its size, which no weight depends on), except on Stub data, where they
  build nothing; they return a Stub History (whose ``history`` lists have one Stub per epoch when
  ``epochs=`` is an int and no callback or ``initial_epoch`` is given: ``range(1, len(acc) + 1)`` works). ``evaluate`` returns Stubs (a list of 1 + metrics Stubs for a one-output model
  compiled with a list of metric names or Metric objects of distinct names and no ``weighted_metrics``, so
  ``loss, acc = model.evaluate(...)`` unpacks), ``predict`` zeros of the shape Keras's
  ``predict`` gives (samples, then the model's output shape: ``predict(x).argmax(axis=1)`` works) for a built
  model with known outputs on arrays, else a Stub; the
  Keras 1/2 variants (``fit_generator``…), ``save_weights``/``load_weights`` and ``plot_model`` do
  nothing; ``save`` is Keras's own for a built model of at most 5M parameters saved inside the scratch
  copy (the file may load it back:
  a model Keras itself rebuilds from the file), else nothing. Training never changes a weight's shape.
- Training arguments Keras 3 rejects are accepted: an optimizer's ``lr``/``decay`` are dropped, a
  string ``metrics`` becomes a list, ``compile`` keywords Keras 3 dropped are ignored, a ModelCheckpoint
  path need not end in ``.keras``; Keras 2.0's lowercase optimizers (``optimizers.rmsprop``) are the
  classes. None of these is a model weight.
- Missing files: ``np.load``, ``keras.models.load_model``, ``image_dataset_from_directory`` (and the
  text/audio ones), ``flow_from_directory`` and ``open()`` for reading, on a path that does not exist (or a
  Stub path) return a Stub (only when the corpus code calls them, and not inside the body of one of its
  ``try`` statements, where they raise as on a first run without the file: the ``except`` takes its own path).
  ``keras.utils.get_file`` called by the corpus code returns a Stub path (the download a real run makes; never
  inside a ``try``); else it raises (no downloads), except for a
  keras.applications model's pretrained weights: a path that is never read (``load_weights`` does
  nothing), so ``ResNet50(weights="imagenet")`` is built with the layers it has with the download
  (``weights="imagenet"`` changes the layers of some applications, so it cannot become ``None``).
  ``time.sleep`` returns at once, and ``unittest.main()`` does nothing (the test methods run at the end of the
  run, below). The corpus code deletes, moves and renames only inside its scratch copy:
  ``shutil.rmtree``, ``shutil.move``, ``os.remove``/``unlink``/``rmdir``/``removedirs``/``rename``/``replace``
  (and ``pathlib``'s, which call them) on a path outside it raise PermissionError (a course notebook runs
  ``shutil.rmtree('/tmp')`` before unzipping its data set there). NumPy's aliases of the builtins that NumPy 1.24 removed (``np.int`` is
  ``int``, ``np.float`` is ``float``…) are back.

Keras 2 and TensorFlow names (the same objects under the names the corpus uses):

- ``tensorflow`` is a stand-in module whose ``keras`` is Keras 3 (``tf.keras.layers``…), as are
  ``tensorflow.compat.v1``/``v2``; ``keras_core`` is Keras 3; any other TensorFlow attribute or module
  (``tf.random.normal``, ``tensorflow.python.ops``) is a Stub, except the facts of this run: no GPU
  (``tf.config.list_physical_devices()`` and ``tf.config.experimental``'s are ``[]``, ``tf.test.is_gpu_available()``
  False); ``tf.__version__`` compares as a version (``tf.__version__ >= "2.4"`` holds, as for the TensorFlow 2 the code targets).
- Keras 2 modules are Keras 3's: ``keras.layers.core``/``.convolutional``/… are ``keras.layers``,
  ``keras.utils.np_utils``/``data_utils``/``generic_utils``/``vis_utils`` are ``keras.utils``;
  ``keras.preprocessing.image.ImageDataGenerator``, ``keras.preprocessing.text.Tokenizer``,
  ``keras.preprocessing.sequence.TimeseriesGenerator`` are Keras 3's legacy classes;
  ``keras.engine(.topology)`` has ``Layer``, ``InputSpec``, ``Input``, ``Model``,
  ``get_source_inputs``; ``keras.applications.imagenet_utils._obtain_input_shape`` (and
  ``keras_applications.imagenet_utils``'s) is Keras 3's ``obtain_input_shape`` (the same code and
  signature), and Keras 2.0's ``include_top=`` version is it with ``weights="imagenet"`` (Keras 2.0 had no
  ``weights`` there and made the same checks); ``keras.utils.layer_utils.convert_all_kernels_in_model``
  does nothing (it flipped kernel values for Theano, not shapes); ``keras.losses.mae``/``mse``… are
  the loss functions. TensorFlow 2's own copies of the applications, which model zoos vendor, run as they did
  there: ``tensorflow.python.keras.layers.VersionAwareLayers()`` is ``keras.layers``, ``tf_export``'s
  ``keras_export(...)``/``tf_export(...)`` return the function they decorate, and ``imagenet_utils`` has Keras 3's
  ``obtain_input_shape``, ``correct_pad`` and ``validate_activation``. A Keras 2 name Keras 3 lacks (``keras.layers.merge._Merge``, Keras 1 layer
  arguments) still fails.
- ``keras.backend``: ``image_dim_ordering()`` reads Keras's image data format (``channels_last`` is
  ``'tf'``, Keras 2's default) and ``set_image_dim_ordering`` sets it (as kerascount reads them);
  ``int_shape(x)`` is ``tuple(x.shape)``; ``square``, ``sum``, ``mean``, ``maximum``, ``cast``… are
  ``keras.ops``'s functions of the same signature and defaults (``expand_dims`` keeps Keras 2's
  ``axis=-1``); ``resize_images(x, height_factor, width_factor, data_format, interpolation)`` is Keras 2's
  (each spatial side times its factor, resized by ``keras.ops.image.resize``); ``get_value``/``set_value`` read and assign a variable (a learning rate); ``set_session``/``set_learning_phase`` do nothing and
  ``get_session()`` is a Stub (TensorFlow 1 sessions); ``backend()`` is ``'tensorflow'`` for the corpus
  code (which targets it; Keras itself still sees numpy). ``x.shape.as_list()`` and ``x.get_shape()``
  of a Keras tensor give its real shape as TensorFlow's TensorShape would.

Builders never called: at the end of a run that reached it (a line appended to the copy after kerascount
read it), each function of the file that holds one of kerascount's models, that no model Keras built
comes from and that needs no argument is called with its defaults, as kerascount reads it
(``def Darknet53(input_shape=(224, 224, 3))``), and then each plain class of the file whose own ``__init__``
needs no argument and whose methods hold such a model, instantiated (kerascount runs the ``__init__`` of a class
nothing instantiates), and the test methods of each ``unittest.TestCase`` class of the file that hold such a
model, run as a test runner runs them (by name, between ``setUp`` and ``tearDown``; kerascount reads them so); a
failing builder builds nothing more, and a model it built
before it raised that differs is "differs, run stopped" (what it would have done after, a ``trainable =
False``, never ran); they stop after half the file's time (``--no-call-builders`` turns this off). A model of
the script is compared with its counts as the script left it, before the builders ran (a builder may freeze
it, which the script never does).

Missing libraries: any other module that is not installed (matplotlib, pandas, cv2, a repository's
missing helper) is a stand-in whose values are Stubs, when the corpus code imports it (an installed
library that tries an optional module, as scipy tries ``uarray``, gets the ImportError it expects):
code may go on past ``import matplotlib.pyplot as plt``, ``plt.plot(...)``, ``fig, ax = plt.subplots()``,
``del df["col"]``, ``class M(tf.Module)``, but no model dimension can come from it. Two calls are what their
libraries document, holding no value of the data: ``tqdm(iterable)``/``trange(n)`` iterate over the iterable
unchanged, and ``plt.subplots(r, c)`` returns a figure and a NumPy array of r x c axes (each a Stub).
``get_ipython()`` (a notebook exported as a script: ``get_ipython().run_line_magic('matplotlib', 'inline')``)
gives a shell whose every method does nothing.

A corpus file inside a package (its folder has ``__init__.py``) runs as ``python -m package.module`` would, so
its relative imports work; ``tensorflow.keras.mixed_precision.experimental`` is ``keras.mixed_precision``.
``predict`` on a dict of arrays, and on a built subclassed model (the structure its ``call`` returns on the first
two samples), gives zeros too. The report groups the runs by why they stopped (which stand-in refused, which
module or file is missing) with the exact models each cause left unbuilt.

A file usually stops at some point (a missing data file, TensorFlow code); the models built before it
are still compared. Only models kerascount calls ``exact`` are checked: its total and trainable
counts (those it gives: an exact total may come with a null trainable count) must be those of a Keras
model built at the same line. Results:

- ``agree``: equal; ``DISAGREE``: Keras ran the whole file and built the model at that line with
  other numbers (the worst possible bug: each is printed with both numbers); ``differs, run stopped``:
  other numbers, but Keras stopped early, so code after the stop that changes the model (a later
  ``base.trainable = False``) never ran: printed too, to check by hand; ``not built``: Keras never
  reached the line; ``built for other calls only``: a line inside a function the file calls several
  times (once per encoder) where Keras built models, none with the model's inputs, while kerascount has
  another model there with other inputs: the Keras run made only the other calls (printed, to check by hand).
- kerascount's errors (severity error, a syntax error and KC701-KC703 aside: the data given to ``fit``,
  ``evaluate``, ``predict``, which are stand-ins here) are checked too: the
  Keras run traces the file's own frames (no other frame is traced) and records which of their lines ran and
  never raised (an exception a ``try`` caught counts as raised); an error at such a line, in a run that ran to
  its end (an error elsewhere may be Keras's: a Sequential's layer fails where ``fit`` builds the model), is
  printed ("error ran without raising", to check by hand: it may hold for another call of a
  function called twice).
- the rows of every agreeing exact model (each layer's type, output shape and params, in order) are
  compared with the Keras model's too; a model whose rows differ is printed (a symbolic dimension of
  kerascount's, such as the batch of a model ``fit`` built, is not compared).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import types
import unittest
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tools"))

from corpus import DEFAULT_CORPUS, corpus_files, read_list  # noqa: E402

_NOOP_METHODS = ("fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator",
                 "train_on_batch", "test_on_batch", "predict_on_batch", "save", "save_weights", "load_weights",
                 "export")


class Stub:
    """Whatever a missing library (matplotlib, pandas, cv2…) returns: calls, attributes, items, arithmetic and
    comparisons (and ``round``) give another Stub; a number, a length, a truth value, an iteration or a NumPy array (NumPy would
    otherwise wrap it in a 0-d array of shape ``()``) raises TypeError, so that no number a model is built from
    can come from a stand-in. A class derived from a Stub (``class M(tf.Module)``) is a Stub too."""

    def __init__(self, name: str = "stub", *bases_and_namespace, **known):
        self._name = name
        self.__dict__.update(known)  # attributes with real values (tf.config.list_physical_devices)

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

    def __delitem__(self, key):
        pass

    def _refuse(self, *args, **kwargs):
        raise TypeError(f"corpus_truth: {self._name} is a stand-in for a missing library")

    __int__ = __index__ = __float__ = __complex__ = __len__ = __iter__ = __bool__ = __array__ = _refuse
    __fspath__ = _refuse  # a path of a stand-in (a download): ``pathlib.Path(path)`` refuses too
    __array_ufunc__ = None  # ``array + stub`` is the Stub's ``__radd__``: another Stub

    def _same(self, *args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _same
    __neg__ = __pos__ = __abs__ = __enter__ = _same
    __round__ = _same  # ``round(accuracy * 100, 2)`` to print it: still a Stub (``int(round(s))`` refuses)
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _same  # ``if stub == "x":`` refuses (a truth value)
    __hash__ = object.__hash__

    def __format__(self, spec):
        return f"<{self._name}>"  # f"{loss:.4f}" prints; ``"%.4f" % loss`` still refuses (a float)

    def __exit__(self, *args):
        return False


#: TensorFlow's and keras_core's names of Keras (the same classes).
_KERAS_NAMES = ("tensorflow.python.keras", "tensorflow.keras", "keras_core")
#: Keras 2 modules whose public names Keras 3 has in one module (``keras.layers.core.Dense`` is
#: ``keras.layers.Dense``); a name Keras 3 lacks still fails to import.
_KERAS2_MODULES = {**{f"keras.layers.{m}": "keras.layers" for m in (
    "core", "convolutional", "convolutional_recurrent", "recurrent", "pooling", "normalization", "embeddings",
    "merge", "advanced_activations", "wrappers", "noise", "local", "cudnn_recurrent", "experimental",
    "experimental.preprocessing")},
    **{f"keras.utils.{m}": "keras.utils" for m in ("np_utils", "data_utils", "generic_utils", "vis_utils")},
    "keras.mixed_precision.experimental": "keras.mixed_precision"}  # TF 2.1-2.3's name (global_policy, Policy)

#: The scratch folder the corpus copies run in (set by main; forked children inherit it).
SCRATCH = ""


def _alias(name: str) -> Optional[str]:
    import importlib

    full = name
    for prefix in _KERAS_NAMES:
        if name == prefix or name.startswith(prefix + "."):
            full = "keras" + name[len(prefix):]
    full = _KERAS2_MODULES.get(full, full)
    if full == name:
        return None
    try:
        importlib.import_module(full)
    except ImportError:
        return None
    return full


def _from_user_code(depth: int = 2) -> bool:
    """Whether the caller ``depth`` frames up (import machinery and this script skipped) is a corpus file or its
    repository's own module, not an installed library: a library that tries an optional module (scipy tries
    ``uarray``) must get the ImportError it expects, and Keras's own file reads the errors they raise."""
    frame = sys._getframe(depth)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (filename.startswith("<frozen") or f"{os.sep}importlib{os.sep}" in filename or filename == __file__):
            return bool(SCRATCH) and filename.startswith(SCRATCH)
        frame = frame.f_back
    return False


class _StubModules:
    """A finder, last on sys.meta_path: Keras under its other names (``tensorflow.python.keras.layers``,
    ``keras.layers.core``) is Keras 3; any other module no finder has, imported by the corpus code, becomes a
    stand-in (never Keras or numpy; TensorFlow's modules other than Keras are stand-ins)."""

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery

        if name == "tensorflow.python":
            return importlib.machinery.ModuleSpec(name, self, is_package=True)  # on the way to .keras
        alias = _alias(name)
        if alias is not None:
            return importlib.machinery.ModuleSpec(name, _AliasLoader(alias), is_package=True)
        top = name.split(".")[0]
        if top in ("keras", "keras_core", "numpy", "scipy", "jax") or not _from_user_code():
            return None
        if top == "tensorflow" and "keras" in name.split(".")[1:3]:
            return None  # a Keras module Keras 3 does not have
        if top == "sklearn":
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


class _Bunch(dict):
    """scikit-learn's Bunch: a dict whose keys are also attributes (``datasets.target``, ``datasets['target']``)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


def _sklearn_module(name: str) -> types.ModuleType:
    """What student scripts use of scikit-learn, on zero data of the real datasets' shapes."""
    import numpy as np

    module = types.ModuleType(name)
    module.__path__ = []
    if name.endswith(".datasets"):
        def loader(n, f, classes):
            def load(*args, return_X_y=False, as_frame=False, **kwargs):
                x = np.zeros((n, f), dtype="float64")
                y = (np.arange(n) % classes + (1 if classes == 7 else 0)) if classes else np.zeros(n)
                if as_frame:  # pandas frames: stand-ins (iris.data[["petal length (cm)"]].values)
                    x, y = Stub("sklearn.datasets.frame"), Stub("sklearn.datasets.target")
                if return_X_y:
                    return x, y
                bunch = _Bunch(data=x, target=y, feature_names=[""] * f, DESCR="")
                if f == 64 and classes == 10:  # load_digits: `images` are its 8x8 pictures (1797, 8, 8)
                    bunch.images = np.zeros((n, 8, 8), dtype="float64")
                return bunch
            return load

        for fname, (n, f, classes) in SKLEARN_DATASETS.items():
            setattr(module, fname, loader(n, f, classes))
    elif name.endswith(".model_selection"):
        def train_test_split(*arrays, test_size=None, train_size=None, **kwargs):
            real = [a for a in arrays if not isinstance(a, Stub)]  # a Stub (a pandas frame) splits into Stubs
            n = len(real[0]) if real else 0
            if test_size is None:
                test_size = 0.25 if train_size is None else 1 - train_size
            n_test = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
            out = []
            for a in arrays:
                if isinstance(a, Stub):
                    out += [Stub(f"{a._name}[:train]"), Stub(f"{a._name}[test:]")]
                    continue
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
                return x if isinstance(x, Stub) else np.asarray(x, dtype="float64")

            def fit_transform(self, x, *args):
                return self.transform(x)

        for cls in ("MinMaxScaler", "StandardScaler", "RobustScaler", "MaxAbsScaler", "QuantileTransformer",
                    "PowerTransformer"):
            setattr(module, cls, Scaler)

    def attribute(attr):
        if name == "sklearn" and attr in ("datasets", "model_selection", "preprocessing"):
            import importlib

            return importlib.import_module(f"sklearn.{attr}")  # `from sklearn import datasets`: the stand-in above
        return _missing(name, attr)

    module.__getattr__ = attribute
    return module


def _missing(module: str, attr: str):
    if attr == "__version__":
        return "99.0"  # version checks pass
    if attr.startswith("__"):
        raise AttributeError(attr)
    known = _known_api(module, attr)
    if known is not None:
        return known
    return Stub(f"{module}.{attr}")


class _Version(str):
    """TensorFlow's version string, compared as a version (``tf.__version__ >= "2.4"`` holds, as it did for the
    TensorFlow 2.x the code was written for; a plain string says "2.16.1" < "2.4")."""

    def _key(self, other):
        import re

        def parts(v):
            return tuple(int(p) for p in re.findall(r"\d+", v)[:3])
        return parts(self), parts(str(other))

    def __lt__(self, other):
        a, b = self._key(other)
        return a < b

    def __le__(self, other):
        a, b = self._key(other)
        return a <= b

    def __gt__(self, other):
        a, b = self._key(other)
        return a > b

    def __ge__(self, other):
        a, b = self._key(other)
        return a >= b

    __hash__ = str.__hash__


def _package_of(path: str) -> Optional[tuple]:
    """(folder to import from, dotted package) of a file inside a package (its folder has ``__init__.py``), as
    ``python -m package.module`` runs it from that folder; else None."""
    folder, parts = os.path.dirname(path), []
    while os.path.exists(os.path.join(folder, "__init__.py")) and folder.startswith(SCRATCH):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    return (folder, ".".join(parts)) if parts else None


#: --keep-going: run each top-level statement of a checked file on its own and go on after one raises ("deep": also
#: each statement under ``if __name__ == "__main__":``, see :class:`_GuardStatements`).
KEEP_GOING: object = False


def _run_statements(code, namespace, *args) -> None:
    """The checked file's top-level statements one by one (compiled from the file's own tree, so line numbers are
    kept), going on after one raises; the first error is raised again at the end, so the run still counts as
    stopped early and a model built after it that differs is reported for a check by hand, never as agreeing."""
    path = namespace["__file__"]
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), path)
    first = None
    if KEEP_GOING == "deep":
        namespace["__kc_raised__"] = raised = []
        _skip_forward_passes()
        tree = _GuardStatements().visit(tree)
        ast.fix_missing_locations(tree)
    for stmt in tree.body:
        try:
            exec(compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec"), namespace, *args)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # (the file's own errors: what it raises is data here)
            if first is None:
                first = exc
    if first is None and KEEP_GOING == "deep" and raised:
        first = raised[0]
    if first is not None:
        raise first


def _skip_forward_passes() -> None:
    """--keep-going=deep: calling a model that is built already on concrete arrays raises at once. Such a call
    computes and changes no weight (a converter checks each variant's outputs after its weights failed to load),
    and with the numpy backend it takes minutes for a large model."""
    import keras

    call = keras.Model.__call__
    if getattr(call, "_kc_skips", False):
        return

    def guarded(self, *args, **kwargs):
        if self.built and not any(isinstance(a, keras.KerasTensor) for a in keras.tree.flatten((args, kwargs))):
            raise RuntimeError("corpus_truth --keep-going=deep: a forward pass of a built model is skipped")
        return call(self, *args, **kwargs)

    guarded._kc_skips = True
    keras.Model.__call__ = guarded


class _GuardStatements(ast.NodeTransformer):
    """--keep-going=deep: inside ``if __name__ == "__main__":`` and the loops under it (a converter's loop over
    model variants, each failing at its weight download), each statement runs on its own; one that raises is
    skipped (the error is kept: the run still counts as stopped early). Line numbers are the file's."""

    def __init__(self) -> None:
        self.inside = 0

    def visit_If(self, node: ast.If) -> ast.AST:
        main = isinstance(node.test, ast.Compare) and isinstance(node.test.left, ast.Name) and \
            node.test.left.id == "__name__"
        self.inside += main
        self.generic_visit(node)
        if self.inside:
            node.body, node.orelse = self.guard(node.body), self.guard(node.orelse)
        self.inside -= main
        return node

    def visit_For(self, node: ast.AST) -> ast.AST:
        self.generic_visit(node)
        if self.inside:
            node.body = self.guard(node.body)
        return node

    visit_While = visit_For

    def guard(self, body: list) -> list:
        out = []
        for stmt in body:
            if isinstance(stmt, (ast.Break, ast.Continue, ast.Return, ast.FunctionDef, ast.ClassDef, ast.Global,
                                 ast.Nonlocal, ast.Pass)):
                out.append(stmt)
                continue
            handler = ast.ExceptHandler(type=ast.Name("Exception", ast.Load()), name="__kc_exc__", body=[ast.Expr(
                ast.Call(ast.Attribute(ast.Name("__kc_raised__", ast.Load()), "append", ast.Load()),
                         [ast.Name("__kc_exc__", ast.Load())], []))])
            out.append(ast.copy_location(ast.Try(body=[stmt], handlers=[handler], orelse=[], finalbody=[]), stmt))
        return out


def _run_as_package_module(keras_truth) -> None:
    """A corpus file inside a package runs as ``python -m package.module`` would (``__name__`` still
    ``"__main__"``): its relative imports (``from . import retinanet``) import its package's modules. With
    :data:`KEEP_GOING`, the file's statements run one by one (:func:`_run_statements`)."""
    def run(code, namespace=None, *args):
        if isinstance(namespace, dict) and str(namespace.get("__file__", "")).startswith(SCRATCH or "\0"):
            # of the repositories' top folders (all on sys.path) only the file's own, as in a user's checkout: its
            # `from utils import ...` is its own utils.py, and `from mtcnn import MTCNN` the library's stand-in,
            # not a module of another repository of the corpus
            own = SCRATCH + Path(namespace["__file__"]).relative_to(SCRATCH).parts[0]
            sys.path[:] = [p for p in sys.path if p == own or not (p.startswith(SCRATCH) and os.sep not in p[len(SCRATCH):])]
            if own not in sys.path:
                sys.path.insert(1 if sys.path and sys.path[0] == os.path.dirname(namespace["__file__"]) else 0, own)
            found = _package_of(namespace["__file__"])
            if found is not None:
                if found[0] not in sys.path:
                    sys.path.insert(0, found[0])
                namespace["__package__"] = found[1]
            if KEEP_GOING and getattr(code, "co_filename", None) == namespace["__file__"]:
                return _run_statements(code, namespace, *args)
        return exec(code, namespace, *args)

    keras_truth.exec = run  # keras_truth's module-level name shadows the builtin it calls


# --- Documented behaviour of missing libraries that only display or log (truthcov) -----------------------------
# Each is what the library's own documentation says the call returns, for the parts that hold no value of the data:
# a progress bar yields its iterable's items unchanged; ``plt.subplots(r, c)`` returns a figure and an array of r x c
# axes. Everything else they give is still a Stub.


class _ProgressBar:
    """``tqdm(iterable, ...)`` (and ``tqdm.auto``/``tqdm.notebook``/``keras_tqdm``...): iterates over its iterable
    unchanged (a Stub iterable still refuses); ``update``, ``set_description``... do nothing; usable in ``with``."""

    def __init__(self, iterable=None, *args, **kwargs):
        self._iterable = iterable
        self.n = 0

    def __iter__(self):
        return iter(self._iterable)

    def __len__(self):
        return len(self._iterable)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *a, **k: None  # update, set_description, set_postfix, close, write, refresh


def _subplots(nrows=1, ncols=1, *args, squeeze=True, **kwargs):
    """matplotlib's ``subplots``: a figure and one axes, or a NumPy object array of nrows x ncols axes (squeezed as
    matplotlib does); each a Stub. A Stub count refuses (``int()``)."""
    import numpy as np

    nrows, ncols = int(nrows), int(ncols)
    axes = np.empty((nrows, ncols), dtype=object)
    for i in range(nrows):
        for j in range(ncols):
            axes[i, j] = Stub("matplotlib.axes")
    if squeeze:
        axes = axes.item() if axes.size == 1 else axes.squeeze()
    return Stub("matplotlib.figure"), axes


def _known_api(module: str, attr: str):
    """The documented stand-in of ``module.attr`` (see above), or None for a plain Stub."""
    top = module.split(".")[0]
    if top == "tqdm" and attr in ("tqdm", "tqdm_notebook", "tnrange", "trange"):
        if attr in ("trange", "tnrange"):
            return lambda *a, **k: _ProgressBar(range(*a))
        return _ProgressBar
    if module in ("matplotlib.pyplot", "pylab") and attr == "subplots":
        return _subplots
    return None


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
    boston = keras.datasets.boston_housing.load_data

    def load_boston(*args, **kwargs):  # the real arrays are float64 (``x -= mean`` works in place)
        (x, y), (x_test, y_test) = boston(*args, **kwargs)
        return (x.astype("float64"), y.astype("float64")), (x_test.astype("float64"), y_test.astype("float64"))

    keras.datasets.boston_housing.load_data = load_boston


_KERAS_TRUTH_BUILD_ON_FIT = None  # keras_truth's own _build_on_fit


def _holds_stub(value, depth: int = 0) -> bool:
    if isinstance(value, Stub):
        return True
    if isinstance(value, (tuple, list)) and depth < 3:
        return any(_holds_stub(v, depth + 1) for v in value)
    if isinstance(value, dict) and depth < 3:
        return any(_holds_stub(v, depth + 1) for v in value.values())
    return False


def _head(data, samples: int = 4096):
    """The first samples of fit's arrays: the first batch (all a build reads) has the same shapes but for
    its size, which no weight depends on; converting 60000 samples to tensors took most of a minute."""
    import numpy as np

    if isinstance(data, np.ndarray) and data.ndim and len(data) > samples:
        return data[:samples]
    if isinstance(data, (list, tuple)) and all(isinstance(d, np.ndarray) for d in data):
        return type(data)(_head(d, samples) for d in data)
    if isinstance(data, dict) and all(isinstance(d, np.ndarray) for d in data.values()):
        return {k: _head(d, samples) for k, d in data.items()}
    return data


def _all_built(model) -> bool:
    """Whether fit has nothing to build (Keras's trainer builds the model only when a layer is unbuilt; the
    numpy backend's loss and metrics run on placeholder arrays of random contents, and sometimes fail)."""
    try:
        return bool(model.built) and all(layer.built for layer in model._flatten_layers())
    except Exception:  # noqa: BLE001
        return False


class _Losses(dict):
    """``History.history``: a list of ``epochs`` Stubs under any name (``history.history["val_loss"]``), so
    ``range(1, len(acc) + 1)`` is the number of epochs fit was given; each value refuses to be a number."""

    def __init__(self, epochs: int):
        super().__init__()
        self.epochs = epochs

    def __missing__(self, key):
        return [Stub(f"History.history[{key!r}][]") for _ in range(self.epochs)]


def _history(name: str, args: tuple, kwargs: dict):
    """What fit returns: a History of Stubs whose ``history`` lists have one item per epoch when that is a fact (an
    int ``epochs``, no ``initial_epoch`` and no callbacks, which may stop early); else a Stub."""
    epochs = kwargs.get("epochs", args[1] if len(args) > 1 else 1)  # fit(x, y, batch_size, epochs, ...)
    if name != "History" or kwargs.get("callbacks") or kwargs.get("initial_epoch") or len(args) > 3 or \
            not isinstance(epochs, int) or isinstance(epochs, bool) or not 0 < epochs <= 10_000:
        return Stub(name)
    return Stub(name, history=_Losses(epochs), epoch=list(range(epochs)))


def _build_on_fit(keras) -> None:
    """keras_truth's ``fit``/``train_on_batch`` (they build an unbuilt model on the first batch), except on
    stand-in data (a Stub: a pandas frame, a ``tf.data`` pipeline), where they build nothing; both return a
    Stub (a History whose numbers refuse to be used)."""
    _KERAS_TRUTH_BUILD_ON_FIT(keras)
    fit, train_on_batch = keras.Model.fit, keras.Model.train_on_batch

    def guarded(method, name):
        def run(self, x=None, y=None, *args, **kwargs):
            if not _holds_stub((x, y, kwargs.get("sample_weight"))) and not _all_built(self):
                try:
                    method(self, _head(x), _head(y), *args, **kwargs)
                except Exception:
                    if not _all_built(self):
                        raise
                    # the model is built (its weights exist); the numpy backend then failed building
                    # the loss and metrics on placeholder labels of random contents, which have no weights
            return _history(name, args, kwargs)
        return run

    keras.Model.fit = guarded(fit, "History")
    keras.Model.train_on_batch = guarded(train_on_batch, "train_on_batch()")


def _tf_like(name: str, keras) -> types.ModuleType:
    """A stand-in TensorFlow module (``tensorflow``, ``tensorflow.compat.v1``): its ``keras`` is Keras 3,
    anything else a Stub (``tf.random.normal(...)``, ``tf.compat.v1.disable_eager_execution()``)."""
    tf = types.ModuleType(name)
    tf.__getattr__ = lambda attr: _missing(name, attr)
    tf.keras = keras
    tf.__path__ = []  # a package: ``import tensorflow.python...`` goes through the finder
    tf.__version__ = _Version("2.16.1")
    tf.executing_eagerly = lambda: True
    tf.version = types.SimpleNamespace(VERSION=tf.__version__)
    # true of this run, which has no GPU: ``if not tf.config.list_physical_devices("GPU"): print(...)``
    # (and its older name, tf.config.experimental.list_physical_devices)
    no_devices = lambda *a, **k: []  # noqa: E731
    tf.config = Stub(f"{name}.config", list_physical_devices=no_devices,
                     experimental=Stub(f"{name}.config.experimental", list_physical_devices=no_devices))
    tf.test = Stub(f"{name}.test", is_gpu_available=lambda *a, **k: False, gpu_device_name=lambda: "")
    return tf


def _set_module(name: str, **attrs) -> types.ModuleType:
    """Add attributes to module ``name`` (made if Keras 3 has none) and make it importable."""
    module = sys.modules.get(name) or types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    sys.modules[name] = module
    parent, _, last = name.rpartition(".")
    setattr(sys.modules[parent], last, module)
    if name.startswith("keras."):  # else ``tensorflow.keras.X.Y`` would load a second copy of keras/X/Y
        for other in ("tensorflow.keras", "keras_core"):
            sys.modules[other + name[len("keras"):]] = module
    return module


def _keras2_obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten=None, weights=None,
                               include_top=None):
    """Keras 2's ``_obtain_input_shape``: Keras 3's ``obtain_input_shape`` (the same code and signature as Keras
    2.2's), and Keras 2.0's ``include_top=`` signature, which has no ``weights``: its checks are Keras 3's with
    ``weights="imagenet"`` (3 channels always; with ``include_top`` the input shape must be the default one),
    and an empty ``input_shape`` is refused as not three integers (Keras 3 reads it as None)."""
    from keras.src.applications.imagenet_utils import obtain_input_shape

    if include_top is None or require_flatten is not None:
        return obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights)
    if input_shape is not None and len(input_shape) != 3:
        raise ValueError("`input_shape` must be a tuple of three integers.")
    return obtain_input_shape(input_shape, default_size, min_size, data_format, bool(include_top), "imagenet")


def _keras2_names(keras) -> None:
    """Keras 1/2 names of objects Keras 3 still has: the same class or function under its old path."""
    from keras.src.applications import imagenet_utils
    from keras.src.legacy.preprocessing import image as legacy_image
    from keras.src.legacy.preprocessing import sequence as legacy_sequence
    from keras.src.legacy.preprocessing import text as legacy_text

    def public(module, *names):
        return {n: getattr(module, n) for n in names}

    _set_module("keras.preprocessing.image", **public(legacy_image, "ImageDataGenerator", "DirectoryIterator",
                                                       "NumpyArrayIterator", "Iterator"))
    _set_module("keras.preprocessing.text", **public(legacy_text, "Tokenizer", "text_to_word_sequence", "one_hot",
                                                      "hashing_trick", "tokenizer_from_json"))
    _set_module("keras.preprocessing.sequence", **public(legacy_sequence, "TimeseriesGenerator", "skipgrams",
                                                          "make_sampling_table"))
    engine = dict(Layer=keras.layers.Layer, InputSpec=keras.layers.InputSpec, Input=keras.layers.Input,
                  InputLayer=keras.layers.InputLayer, Model=keras.Model, get_source_inputs=keras.utils.get_source_inputs)
    _set_module("keras.engine", **engine)
    for sub in ("topology", "base_layer", "training", "input_layer"):
        _set_module(f"keras.engine.{sub}", **engine)
    _set_module("keras.utils.layer_utils", get_source_inputs=keras.utils.get_source_inputs,
                convert_all_kernels_in_model=lambda model: None)  # Keras 2: flips kernel values, not shapes
    # (TensorFlow 2's copy, ``tensorflow.python.keras.applications.imagenet_utils``, also has the two helpers its
    # applications use, as Keras 3 has them in ``keras.src``)
    _set_module("keras.applications.imagenet_utils", _obtain_input_shape=_keras2_obtain_input_shape,
                obtain_input_shape=imagenet_utils.obtain_input_shape, correct_pad=imagenet_utils.correct_pad,
                validate_activation=imagenet_utils.validate_activation)
    # TensorFlow 2's ``tensorflow.python.keras.layers.VersionAwareLayers()`` (vendored copies of its applications):
    # the layers of the Keras TensorFlow runs, here Keras 3's
    keras.layers.VersionAwareLayers = lambda: keras.layers
    # (imported from there: Keras's own module, not the copy Python's path finder would load of its file)
    sys.modules["tensorflow.python.keras.layers"] = keras.layers
    # ``@keras_export("keras.applications.X")`` on those copies: registers the public name, returns the function
    exports = types.ModuleType("tensorflow.python.util.tf_export")
    exports.keras_export = exports.tf_export = lambda *names, **options: (lambda symbol: symbol)
    sys.modules["tensorflow.python.util.tf_export"] = exports
    applications = sys.modules["keras_applications"] = types.ModuleType("keras_applications")  # Keras 2.2's
    # (its modules, as Keras's ``keras.applications`` sets them: ``set_keras_submodules`` and the ``kwargs`` it passes)
    injected = {"backend": keras.backend, "layers": keras.layers, "models": keras.models, "utils": keras.utils}

    def get_submodules_from_kwargs(kwargs):
        if set(kwargs) - set(injected):
            raise TypeError(f"Invalid keyword argument: {sorted(set(kwargs) - set(injected))}")
        return tuple(kwargs.get(key, module) for key, module in injected.items())

    applications.get_submodules_from_kwargs = get_submodules_from_kwargs
    for key, module in injected.items():
        setattr(applications, f"_KERAS_{key.upper()}", module)
    _set_module("keras_applications.imagenet_utils", _obtain_input_shape=_keras2_obtain_input_shape,
                preprocess_input=imagenet_utils.preprocess_input, decode_predictions=imagenet_utils.decode_predictions)
    for module in (keras.losses, keras.metrics):  # Keras 2's short names of loss functions
        for short, full in (("mae", "mean_absolute_error"), ("mse", "mean_squared_error"),
                            ("mape", "mean_absolute_percentage_error"), ("msle", "mean_squared_logarithmic_error")):
            if hasattr(module, full) and not hasattr(module, short):
                setattr(module, short, getattr(module, full))
                setattr(module, short.upper(), getattr(module, full))

    backend = keras.backend
    orderings = {"channels_last": "tf", "channels_first": "th"}
    backend.image_dim_ordering = lambda: orderings[backend.image_data_format()]
    backend.set_image_dim_ordering = lambda o: backend.set_image_data_format(
        {v: k for k, v in orderings.items()}[o])
    backend.int_shape = lambda x: tuple(x.shape)
    backend.set_session = backend.set_learning_phase = lambda *a, **k: None
    backend.get_session = lambda *a, **k: Stub("tensorflow.Session")
    for name in ("square", "sqrt", "exp", "log", "abs", "sum", "mean", "max", "min", "std", "var", "maximum",
                 "minimum", "tanh", "sigmoid", "softplus", "cast", "stack", "transpose"):  # the same signature and defaults
        if not hasattr(backend, name):
            setattr(backend, name, getattr(keras.ops, name))
    backend.expand_dims = lambda x, axis=-1: keras.ops.expand_dims(x, axis)  # Keras 2's default axis

    def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
        """Keras 2's: the two spatial sides times their factors (made int32), resized as Keras 3 resizes."""
        if data_format not in ("channels_first", "channels_last") or interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"resize_images: data_format {data_format!r}, interpolation {interpolation!r}")
        rows = 2 if data_format == "channels_first" else 1
        shape = keras.ops.shape(x)
        size = (shape[rows] * int(height_factor), shape[rows + 1] * int(width_factor))
        return keras.ops.image.resize(x, size, interpolation=interpolation, data_format=data_format)

    if not hasattr(backend, "resize_images"):
        backend.resize_images = resize_images
    backend.get_value = keras.ops.convert_to_numpy  # a variable's value (a learning rate)
    backend.set_value = lambda x, value: x.assign(value)
    real_backend = backend.backend  # the corpus targets TensorFlow (``if K.backend() != "tensorflow": raise``)
    backend.backend = lambda: "tensorflow" if _from_user_code() else real_backend()

    from keras.src.backend.common.keras_tensor import KerasTensor

    class TensorShape(tuple):
        """TensorFlow's ``x.shape.as_list()`` on the shape Keras 3 gives (a tuple)."""

        def as_list(self):
            return list(self)

    shape = KerasTensor.shape
    KerasTensor.shape = property(lambda self: TensorShape(shape.fget(self)) if _from_user_code() else
                                 shape.fget(self), shape.fset)
    KerasTensor.get_shape = lambda self: TensorShape(shape.fget(self))


def _lenient_training_calls(keras) -> None:
    """Keras 2 arguments of calls that never change a model's weights: an optimizer's ``lr``/``decay``, a
    string ``metrics``, ``compile`` keywords Keras 3 dropped, a ModelCheckpoint path without ``.keras``."""
    import inspect

    from keras.src.optimizers.base_optimizer import BaseOptimizer

    optimizer_init = BaseOptimizer.__init__

    def init(self, *args, **kwargs):
        kwargs.pop("lr", None)
        kwargs.pop("decay", None)
        optimizer_init(self, *args, **kwargs)

    BaseOptimizer.__init__ = init
    compile_ = keras.Model.compile
    known = set(inspect.signature(compile_).parameters)

    def compile(self, *args, **kwargs):
        for key in ("metrics", "weighted_metrics"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = [kwargs[key]]
        metrics = kwargs.get("metrics", args[3] if len(args) > 3 else None)
        names = [m if isinstance(m, str) else getattr(m, "name", None) if isinstance(m, keras.metrics.Metric)
                 else None for m in metrics] if isinstance(metrics, (list, tuple)) else [None]
        # one value each for metrics of distinct names (Keras's logs are a dict), no weighted_metrics
        count = len(names) if None not in names and len(set(names)) == len(names) and \
            not kwargs.get("weighted_metrics") else None
        object.__setattr__(self, "_corpus_truth_metrics", count)  # not a tracked attribute of the model
        return compile_(self, *args, **{k: v for k, v in kwargs.items() if k in known})

    def evaluate(self, *args, **kwargs):
        """Keras 3's result: the loss, or [loss, metric...] for a one-output model compiled with a list of
        metrics, names or Metric objects of distinct names (``loss, acc = model.evaluate(...)``); each a Stub."""
        count = getattr(self, "_corpus_truth_metrics", None)
        try:
            outputs = len(self.outputs)
        except Exception:  # noqa: BLE001 - an unbuilt model
            outputs = 1 if isinstance(self, keras.Sequential) else 0
        if kwargs.get("return_dict") or not count or outputs != 1:
            return Stub("evaluate()")
        return [Stub("evaluate()[]") for _ in range(1 + count)]

    keras.Model.compile = compile
    keras.Model.evaluate = evaluate
    for name in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"):  # Keras 2.0's aliases
        setattr(keras.optimizers, name.lower(), getattr(keras.optimizers, name))
    checkpoint_init = keras.callbacks.ModelCheckpoint.__init__

    def checkpoint(self, filepath, *args, **kwargs):
        try:
            checkpoint_init(self, filepath, *args, **kwargs)
        except ValueError:  # Keras 3 wants a .keras file; the callback never runs (fit trains nothing)
            keras.callbacks.Callback.__init__(self)

    keras.callbacks.ModelCheckpoint.__init__ = checkpoint


_TRY_LINES: Dict[str, set] = {}


def _try_lines(filename: str) -> set:
    """The lines of ``filename`` inside the body of a ``try`` (whose ``except`` may take its own path)."""
    if filename not in _TRY_LINES:
        lines = set()
        try:
            tree = ast.parse(Path(filename).read_bytes())
        except (OSError, SyntaxError, ValueError):
            tree = None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
                for stmt in node.body:
                    lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
        _TRY_LINES[filename] = lines
    return _TRY_LINES[filename]


def _inside_try() -> bool:
    """Whether a frame of the corpus code (the file or its repository) on the stack is inside the body of a
    ``try``: there, a missing file raises as it would (the file's ``except`` takes its own path, as it does on
    a first run without the file), never becomes a Stub. (A ``with`` that swallows errors, such as
    ``contextlib.suppress``, is not seen: it is rare around a data file.)"""
    frame = sys._getframe(2)
    while frame is not None:
        if SCRATCH and frame.f_code.co_filename.startswith(SCRATCH) and \
                frame.f_lineno in _try_lines(frame.f_code.co_filename):
            return True
        frame = frame.f_back
    return False


def _inside_scratch(path) -> bool:
    """Whether a path (a str, bytes or PathLike; relative ones from the working folder) lies inside the scratch
    copy; a file descriptor or a Stub is not a path outside it."""
    if isinstance(path, (int, Stub)):
        return True
    try:
        where = os.path.realpath(os.fsdecode(os.fspath(path)))
    except TypeError:
        return True  # not a path: the real function raises its own error
    return bool(SCRATCH) and (where + os.sep).startswith(SCRATCH)


def _confine_deletions() -> None:
    """The corpus code deletes, moves and renames only inside its scratch copy: outside it (``/tmp``, the
    user's home) these raise PermissionError, as for a user without the right. Calls from libraries (Keras's
    temporary files, shutil's own walk with ``dir_fd``) are Python's own."""
    import shutil as shutil_module

    def confine(module, name, paths):
        real = getattr(module, name)

        def call(*args, **kwargs):
            if _from_user_code() and not all(_inside_scratch(a) for a in args[:paths]):
                raise PermissionError(f"corpus_truth: {name} outside the scratch copy is refused: {args[0]!r}")
            return real(*args, **kwargs)
        setattr(module, name, call)

    for name in ("remove", "unlink", "rmdir", "removedirs"):
        confine(os, name, 1)
    for name in ("rename", "replace", "renames"):
        confine(os, name, 2)
    confine(shutil_module, "rmtree", 1)
    confine(shutil_module, "move", 2)
    import pathlib  # its methods call os's from a library frame: confined here, where the corpus calls them

    for name, paths in (("unlink", 1), ("rmdir", 1), ("rename", 2), ("replace", 2)):
        confine(pathlib.Path, name, paths)


def _missing_text_files() -> None:
    """``open(path)`` for reading, by the corpus code, of a file the corpus does not have (a data set's text,
    a JSON of annotations) gives a Stub file (its contents refuse to become values); a Stub path too. In a
    ``try`` (:func:`_inside_try`) it raises as before. Writing is Python's own."""
    real_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, Stub):
            return Stub(f"open({file._name})")
        if isinstance(file, (str, os.PathLike)) and isinstance(mode, str) and not set("wax+") & set(mode) and \
                not os.path.exists(file) and _from_user_code() and not _inside_try():
            return Stub(f"open({os.fspath(file)!r})")
        return real_open(file, mode, *args, **kwargs)

    builtins.open = open_


class _Shell:
    """What ``get_ipython()`` gives a notebook exported as a script (``get_ipython().run_line_magic('matplotlib',
    'inline')``, ``.system('pip install ...')``): every method does nothing and returns None. No model depends on
    it; without it the run stops at the first magic."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _ipython_shell() -> None:
    if not hasattr(builtins, "get_ipython"):
        builtins.get_ipython = _Shell  # (called: an instance)


def _predict_subclassed(model, x, samples: int):
    """What ``predict`` returns for a built subclassed model: the structure its ``call`` returns on the first two
    samples (a tuple of two outputs...), as zero arrays of ``samples`` rows; a Stub if an output has no shape."""
    import keras
    import numpy as np

    head = (type(x)(v[:2] for v in x) if isinstance(x, (list, tuple)) else {k: v[:2] for k, v in x.items()}
            if isinstance(x, dict) else x[:2])
    out = model(head)

    def zeros(t):
        shape = tuple(getattr(t, "shape", ()) or ())
        if len(shape) < 1 or not all(isinstance(d, int) for d in shape[1:]):
            raise TypeError("no shape")
        return np.zeros((samples, *shape[1:]), dtype="float32")
    try:
        return keras.tree.map_structure(zeros, out)
    except TypeError:
        return Stub("predict()")


def _missing_files(keras) -> None:
    """A data file or folder the corpus does not have gives a Stub, when the corpus code itself asks for it:
    ``np.load``, ``image_dataset_from_directory``, ``text_dataset_from_directory``, ``flow_from_directory``.
    A keras.applications model's pretrained weights are a path that is never read (``load_weights`` does
    nothing): the model is built exactly as with the download (``weights="imagenet"`` changes the layers of some
    applications, so it cannot become ``weights=None``)."""
    import numpy as np

    from keras.src.legacy.preprocessing.image import ImageDataGenerator
    from keras.src.utils import file_utils

    def or_stub(function, name, index=0):
        def call(*args, **kwargs):
            path = args[index] if len(args) > index else kwargs.get("directory", kwargs.get("file"))
            if isinstance(path, Stub) or isinstance(path, (str, os.PathLike)) and not os.path.exists(path) and \
                    _from_user_code() and not _inside_try():
                return Stub(f"{name}({path._name if isinstance(path, Stub) else os.fspath(path)!r})")
            return function(*args, **kwargs)
        return call

    np.load = or_stub(np.load, "numpy.load")
    keras.models.load_model = keras.saving.load_model = or_stub(keras.saving.load_model, "load_model")
    for name in ("image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory"):
        stand_in = or_stub(getattr(keras.utils, name), name)
        setattr(keras.utils, name, stand_in)
        if hasattr(keras.preprocessing, name):
            setattr(keras.preprocessing, name, stand_in)
    ImageDataGenerator.flow_from_directory = or_stub(ImageDataGenerator.flow_from_directory, "flow_from_directory", 1)

    def get_file(fname=None, origin=None, *args, **kwargs):
        if sys._getframe(1).f_globals.get("__name__", "").startswith("keras.src.applications."):
            return os.path.join(SCRATCH or tempfile.gettempdir(), "corpus_truth_weights_not_downloaded.h5")
        if _from_user_code() and not _inside_try():  # a real run downloads it: its path is a Stub (never a value)
            return Stub(f"get_file({fname or origin!r})")
        raise OSError("corpus_truth: no downloads")

    keras.utils.get_file = file_utils.get_file = get_file
    for name in ("imdb", "reuters", "boston_housing", "mnist", "fashion_mnist", "cifar10", "cifar100"):
        module = sys.modules.get(f"keras.src.datasets.{name}")
        if module is not None and hasattr(module, "get_file"):
            module.get_file = get_file  # imdb.get_word_index() would try the network


def install_stand_ins(keras) -> None:
    """Patch Keras in this (parent) process; keras_truth's forked children inherit it."""
    import time

    real_save = keras.Model.save
    for name in _NOOP_METHODS:  # keras_truth's children replace fit and train_on_batch (see _build_on_fit)
        setattr(keras.Model, name, lambda self, *a, _name=name, **k: Stub(f"{_name}()"))

    def save(self, filepath, *args, **kwargs):
        """Keras's own save, for a built model of at most 5M parameters saved by the corpus code (it may
        load it back: ``load_model("my_model_A.keras")``); a failing save (a folder the copy lacks, a
        SavedModel path Keras 3 refuses) saves nothing, as a model is the same either way."""
        try:
            inside = SCRATCH and os.path.abspath(os.fspath(filepath)).startswith(SCRATCH)  # never elsewhere
            if inside and _from_user_code() and self.built and self.count_params() <= 5_000_000:
                real_save(self, filepath, *args, **kwargs)
        except Exception:  # noqa: BLE001
            pass

    keras.Model.save = save

    def predict(self, x=None, *args, **kwargs):
        """Zeros of the shape Keras's predict gives (one row per sample, the model's output shape), for a built
        model with known outputs on arrays; else a Stub. Not the values (nothing is trained): only shapes."""
        import numpy as np

        try:
            first = x[0] if isinstance(x, (list, tuple)) and x and isinstance(x[0], np.ndarray) else x
            if isinstance(x, dict) and x and all(isinstance(v, np.ndarray) for v in x.values()):
                first = next(iter(x.values()))  # named inputs: as many samples in each
                if len({len(v) for v in x.values() if v.ndim}) != 1:
                    return Stub("predict()")
            if isinstance(getattr(self, "_outputs_struct", None), dict):
                return Stub("predict()")  # a dict of outputs: not a list
            if not isinstance(first, np.ndarray) or not first.ndim or not self.built or _holds_stub(x):
                return Stub("predict()")
            try:
                shapes = [tuple(t.shape) for t in self.outputs]
            except AttributeError:  # a subclassed model: its own call on the first samples (as predict runs it)
                return _predict_subclassed(self, x, len(first))
            if any(d is None or isinstance(d, bool) or not isinstance(d, int) for s in shapes for d in s[1:]):
                return Stub("predict()")
            out = [np.zeros((len(first), *s[1:]), dtype="float32") for s in shapes]
            return out[0] if len(out) == 1 else out
        except Exception:  # noqa: BLE001 - a subclassed model without outputs, an input of another kind
            return Stub("predict()")

    keras.Model.predict = predict
    _missing_files(keras)
    _missing_text_files()
    _ipython_shell()
    _confine_deletions()
    keras.utils.plot_model = lambda *a, **k: None
    time.sleep = lambda *a, **k: None
    # `unittest.main()` under `if __name__ == "__main__":` would read the harness's command line and exit; the
    # file's test methods are run at the end of the run instead, as a runner runs them (_run_tests)
    unittest.main = lambda *a, **k: None
    import numpy as np

    for name, alias in (("int", int), ("float", float), ("bool", bool), ("object", object), ("str", str),
                        ("complex", complex)):  # NumPy < 1.24's aliases of the builtins (np.int is int)
        if name not in np.__dict__:
            setattr(np, name, alias)
    _keras2_names(keras)
    _lenient_training_calls(keras)

    from keras.src.utils import module_utils

    module_utils.tensorflow._available = False  # Keras itself must not take the stand-in for TensorFlow
    tf = _tf_like("tensorflow", keras)
    sys.modules["tensorflow"] = tf
    tf.compat = _set_module("tensorflow.compat")
    for version in ("v1", "v2"):  # ``import tensorflow.compat.v1 as tf``: its keras is Keras 3 too
        sys.modules[f"tensorflow.compat.{version}"] = _tf_like(f"tensorflow.compat.{version}", keras)
        setattr(tf.compat, version, sys.modules[f"tensorflow.compat.{version}"])
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
            source = read(f)
            text = source.text
            if text is None:
                continue
            text = _parsed_cells(text, source.cells)
            dest = dest.with_name(dest.name + ".py")
            dest.write_text(text, encoding="utf-8")
        out[str(dest)] = f
    return out


def _parsed_cells(text: str, cells) -> str:
    """A notebook's joined code with each cell that does not parse blanked, as Jupyter fails such a cell alone and
    runs the others, and as kerascount analyses them (``api.analyze_cells``; at most as many cells)."""
    from kerascount.api import MAX_SKIPPED_CELLS
    from kerascount.notebook import syntax_error_line

    for _ in range(MAX_SKIPPED_CELLS):
        line = syntax_error_line(text)
        cell = cells.locate(line)[0] if line is not None and cells is not None else None
        if cell is None:
            return text
        text = cells.without(text, cell)
    return text


def kerascount_models(paths: Sequence[str]) -> Dict[str, List[dict]]:
    """kerascount's models of each file; its error diagnostics go to :data:`ERRORS`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache", *paths],
                       capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    doc = json.loads(r.stdout)
    for f in doc["files"]:
        # not a syntax error, nor KC701-KC703 (data given to fit/evaluate/predict, which are stand-ins here)
        errors = [d for d in f.get("diagnostics") or [] if d.get("severity") == "error" and d.get("code") != "KC000"
                  and not str(d.get("code")).startswith("KC7")]
        if errors:
            ERRORS[os.path.abspath(f["path"])] = errors
    return {os.path.abspath(f["path"]): f["models"] for f in doc["files"]}


#: {scratch copy: kerascount's error diagnostics (a syntax error aside)}: each says Keras rejects the code at its
#: lines, so the Keras run records whether it ran one of those lines (:func:`_trace_error_lines`).
ERRORS: Dict[str, List[dict]] = {}


def _error_lines(diagnostic: dict) -> range:
    start = diagnostic.get("line") or 0
    return range(start, max(start, diagnostic.get("end_line") or start) + 1)


def _trace_error_lines(keras_truth) -> None:
    """In the Keras run of a file kerascount reports errors in, record which of their lines ran and never
    raised (a line tracer on the file's own frames only; other frames are not traced; an exception a ``try``
    caught counts as raised). Such a line ran without Keras rejecting it: kerascount's error is false (or holds
    for another call of it)."""
    record = keras_truth._file_record

    def _file_record(keras, path, error, models):
        out = record(keras, path, error, models)
        if path in ERRORS:
            sys.settrace(None)
            out["error_lines_ran"] = sorted(_RUN["ran"] - _RUN["raised"])  # a caught error raised there too
        return out

    keras_truth._file_record = _file_record
    init = keras_truth._Recorder.__init__

    def __init__(self, keras, fixture_path, *args, **kwargs):
        init(self, keras, fixture_path, *args, **kwargs)
        wanted = {line for d in ERRORS.get(fixture_path, []) for line in _error_lines(d)}
        if not wanted:
            return
        ran = _RUN["ran"] = set()

        raised = _RUN["raised"] = set()

        def local(frame, event, arg):
            if frame.f_lineno in wanted:
                (ran if event == "line" else raised if event == "exception" else set()).add(frame.f_lineno)
            return local

        sys.settrace(lambda frame, event, arg: local if frame.f_code.co_filename == fixture_path else None)

    keras_truth._Recorder.__init__ = __init__


def false_errors(copy: str, truth: dict) -> List[dict]:
    """kerascount's errors whose lines ran under Keras in a run that raised nothing (see
    :func:`_trace_error_lines`): each to check by hand (an error about one call of a function called twice is
    reported at a line that also ran without error; a Sequential never built raises nothing)."""
    if truth.get("error"):  # Keras may reject it later (a Sequential's layer fails where fit builds the model)
        return []
    ran = set(truth.get("error_lines_ran") or [])
    out = []
    for d in ERRORS.get(copy, []):
        if ran.intersection(_error_lines(d)):
            out.append({"line": d.get("line"), "code": d.get("code"), "message": d.get("message")})
    return out


#: {scratch copy: {line: [kerascount's symbolic total and trainable expressions]}}, set by main before the
#: Keras runs (forked children inherit it).
SYMBOLIC: Dict[str, Dict[int, List[str]]] = {}
#: Calls a symbolic expression may make (kerascount's notation and side-effect-free reads).
_SAFE_CALLS = {"len", "min", "max", "floor", "ceil", "int", "abs", "set", "unique"}


def _safe_expression(text: str) -> Optional[ast.Expression]:
    """The expression if it only reads names, attributes, items and does arithmetic and _SAFE_CALLS (it
    runs in the corpus file's namespace: it must change nothing)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop, ast.Constant, ast.Name,
               ast.Attribute, ast.Subscript, ast.Load, ast.Call, ast.Tuple, ast.Slice)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            return None
        if isinstance(node, ast.Call) and (node.keywords or not (
                isinstance(node.func, ast.Name) and node.func.id in _SAFE_CALLS
                or isinstance(node.func, ast.Attribute) and node.func.attr in _SAFE_CALLS)):
            return None
    return tree


_MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "update", "add", "discard", "sort", "resize",
             "reverse", "setdefault", "popitem", "fill", "put", "itemset", "drop", "rename", "fit_on_texts"}


def _changing_names(source: str) -> set:
    """Names whose value may change during a run of ``source``: bound more than once (anywhere: module,
    functions, loops), or changed in place (``x[i] = ...``, ``x += ...``, ``x.append(...)``). A symbol that
    reads one is not evaluated: its value where kerascount read it may not be the value at the end
    (``num_labels = len(np.unique(y_train))`` then ``y_train = to_categorical(y_train)``)."""
    tree = ast.parse(source)
    bound: Counter = Counter()
    changed = set()

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            targets = [node.target]
            if isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):  # a loop rebinds its target
                changed.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
        elif isinstance(node, ast.Delete):
            changed.update(root(t) for t in node.targets)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[node.name] += 1
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound[(alias.asname or alias.name).split(".")[0]] += 1
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
            changed.add(root(node.func.value))
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    bound[name.id] += 1
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                changed.add(root(target))
    return changed | {name for name, n in bound.items() if n > 1}


def _stable_expression(text: str, changing: set) -> bool:
    tree = _safe_expression(text)
    return tree is not None and not any(isinstance(n, ast.Name) and n.id in changing for n in ast.walk(tree))


def _evaluate(text: str, namespace: dict):
    """The value of kerascount's expression in the corpus file's namespace, or None: only a real number
    (a Stub, a missing name or a failing call gives None)."""
    import math

    import numpy as np

    tree = _safe_expression(text)
    if tree is None:
        return None
    env = {"floor": math.floor, "ceil": math.ceil, **namespace}
    try:
        value = eval(compile(tree, "<kerascount>", "eval"), {"__builtins__": builtins}, env)
    except Exception:  # noqa: BLE001 - a name the run never defined, a Stub refusing
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _record_symbols(keras_truth) -> None:
    """In the Keras run, evaluate kerascount's symbolic totals of a model where Keras builds it: in the
    corpus file's module namespace when the model is created, and again at the end of the run; a value is
    kept only if both are the same real number (a model built inside a function, or a symbol that changed
    during the run, is "not checked"). Only expressions of names bound once and never changed in place
    (:func:`_changing_names`) get here: a name's value is then the same wherever kerascount read it."""
    record, model_record = keras_truth._Recorder._record, keras_truth._model_record

    def _record(self, model, kind):
        known = len(self.models)
        record(self, model, kind)
        if len(self.models) == known:
            return
        r = self.models[-1]
        expressions = SYMBOLIC.get(self.fixture, {}).get(r["line"])
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self.fixture:
            frame = frame.f_back
        if expressions and frame is not None and frame.f_globals is frame.f_locals:  # module level
            r["symbols"] = {e: _evaluate(e, frame.f_globals) for e in expressions}

    def _model_record(rec, r, module_globals):
        out = model_record(rec, r, module_globals)
        if "symbols" in r:
            out["symbols"] = {e: v if v is not None and _evaluate(e, module_globals) == v else None
                              for e, v in r["symbols"].items()}
        return out

    keras_truth._Recorder._record = _record
    keras_truth._model_record = _model_record


#: {scratch copy: lines of kerascount's exact and symbolic models}, for :func:`_call_builders`.
MODEL_LINES: Dict[str, set] = {}
#: The line appended to each copy after kerascount read it: it runs only if the file ran to its end.
_BUILDERS_HOOK = "\n__corpus_truth_builders__(globals())\n"
_RUN = {"recorder": None, "started": 0.0, "budget": 30.0, "ran": set(), "raised": set(), "keras_truth": None,
        "before_builders": {}, "failed_builders": []}


def _last_line(code: types.CodeType) -> int:
    return max([line for _, _, line in code.co_lines() if line is not None] or [code.co_firstlineno])


def _call_builders(namespace: dict) -> None:
    """At the end of a run, call each function of the file that kerascount has a model in, that no model
    Keras recorded comes from, and that needs no argument: ``def Darknet53(input_shape=(224, 224, 3))``
    as kerascount reads it, with its defaults. A builder that fails builds nothing; builders stop after
    half the time a file has (a run that times out loses all its models)."""
    import inspect
    import time

    rec = _RUN["recorder"]
    lines = MODEL_LINES.get(getattr(rec, "fixture", None), set())
    # The script's models as the script left them: a builder may change them (`base.trainable = False` on a
    # model of the script), which the script itself never does (_builders_record).
    _RUN["before_builders"] = {id(r["obj"]): _counts(r["obj"]) for r in rec.models}
    # Each builder starts from the automatic names the file left, as kerascount's run of a builder nothing calls
    # does (keras_truth._names_after_script).
    reset_names = _RUN["keras_truth"]._names_after_script()
    items = list(namespace.items())
    # Then the plain classes of the file, as kerascount runs those nothing instantiates (after the functions,
    # which may instantiate them): their methods' lines are the span.
    items = [i for i in items if not isinstance(i[1], type)] + [i for i in items if isinstance(i[1], type)]
    for name, function in items:
        if time.monotonic() - _RUN["started"] > _RUN["budget"]:
            return
        if isinstance(function, type) and issubclass(function, unittest.TestCase):
            _run_tests(function, rec, lines, reset_names)
            continue
        init = getattr(function, "__dict__", {}).get("__init__") if isinstance(function, type) else function
        if not isinstance(init, types.FunctionType) or init.__code__.co_filename != rec.fixture or \
                inspect.isgeneratorfunction(init) or inspect.iscoroutinefunction(init):
            continue
        try:
            parameters = list(inspect.signature(init).parameters.values())[1 if init is not function else 0:]
        except (TypeError, ValueError):
            continue
        if any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
            continue
        if init is function:
            span = range(function.__code__.co_firstlineno, _last_line(function.__code__) + 1)
        else:
            codes = [f.__code__ for f in vars(function).values() if isinstance(f, types.FunctionType)]
            span = range(min(c.co_firstlineno for c in codes), max(_last_line(c) for c in codes) + 1)
        if not any(line in span for line in lines) or any(r["line"] in span for r in rec.models):
            continue
        reset_names()
        try:
            function()
        except Exception as e:  # noqa: BLE001 - the builder fails as it would when the file calls it
            # what it built before is recorded; what it would have done after (a `trainable = False`) never ran
            _RUN["failed_builders"].append((span.start, span.stop - 1, f"{type(e).__name__}: {e}"[:200]))


def _run_tests(case: type, rec: Any, lines: set, reset_names: Any) -> None:
    """The test methods of a ``unittest.TestCase`` class of the file that hold no model Keras recorded, while some
    model of kerascount's has none yet (the test may build it, or a helper it calls), run as a test runner runs them
    (kerascount reads them so): in the order of their names, each on an instance of its own between ``setUp`` and
    ``tearDown`` (``setUpClass`` once before them), from the automatic names the file left. A failing test (an
    assertion on predictions, a missing file) keeps what it built before."""
    import time

    tests = []
    for name in sorted(vars(case)):
        method = vars(case)[name]
        if not name.startswith("test") or not isinstance(method, types.FunctionType) or \
                method.__code__.co_filename != rec.fixture:
            continue
        span = range(method.__code__.co_firstlineno, _last_line(method.__code__) + 1)
        if not any(r["line"] in span for r in rec.models):
            tests.append((name, span))
    if not tests or not lines - {r["line"] for r in rec.models}:
        return  # (no model of kerascount's left that Keras has not built: a test may build it, as a helper it calls)
    try:
        case.setUpClass()
    except Exception as e:  # noqa: BLE001 - the class's tests fail as they would under a runner
        _RUN["failed_builders"].append((tests[0][1].start, tests[-1][1].stop - 1, f"{type(e).__name__}: {e}"[:200]))
        return
    for name, span in tests:
        if time.monotonic() - _RUN["started"] > _RUN["budget"]:
            return
        reset_names()
        try:
            test = case(name)
            test.setUp()
            try:
                getattr(test, name)()
            finally:
                test.tearDown()
        except Exception as e:  # noqa: BLE001 - what it built before it failed is recorded
            _RUN["failed_builders"].append((span.start, span.stop - 1, f"{type(e).__name__}: {e}"[:200]))


def _counts(model) -> Optional[List[int]]:
    """A built model's total and trainable parameter counts (as keras_truth counts them), else None."""
    try:
        if not getattr(model, "built", False):
            return None
        trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
        return [trainable + sum(math.prod(w.shape) for w in model.non_trainable_weights), trainable]
    except Exception:  # noqa: BLE001 - a model Keras cannot count is not compared
        return None


def _builders_record(keras_truth) -> None:
    """In the child's record: the builders :func:`_call_builders` called that raised (``builders_failed``: the
    lines of each and its error), and, for each model of the script whose counts a builder changed, its counts as
    the script left it (``total_params``/``trainable_params``; those after the builders are in ``after_builders``,
    its rows are not compared)."""
    record = keras_truth._file_record

    def _file_record(keras, path, error, models):
        out = record(keras, path, error, models)
        rec = _RUN["recorder"]
        if rec is not None and getattr(rec, "fixture", None) == path:
            before = _RUN["before_builders"]
            for r, m in zip(rec.models, models):
                counts = before.get(id(r["obj"]))
                if counts is not None and m.get("total_params") is not None and \
                        [m["total_params"], m["trainable_params"]] != counts:
                    m["after_builders"] = [m["total_params"], m["trainable_params"]]
                    m["total_params"], m["trainable_params"] = counts
                    m["non_trainable_params"] = counts[0] - counts[1]
            out["builders_failed"] = list(_RUN["failed_builders"])
        return out

    keras_truth._file_record = _file_record


def _hook_recorder(keras_truth) -> None:
    """Remember the child's recorder and start time (for :func:`_call_builders`)."""
    import time

    init = keras_truth._Recorder.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        _RUN["recorder"], _RUN["started"] = self, time.monotonic()
        _RUN["keras_truth"] = keras_truth
        _RUN["before_builders"], _RUN["failed_builders"] = {}, []

    keras_truth._Recorder.__init__ = __init__
    builtins.__corpus_truth_builders__ = _call_builders


def _row_key(layer: dict) -> tuple:
    return (layer.get("type"), json.dumps(layer.get("output_shape")), layer.get("params"), layer.get("name"))


def _same_row(ours: tuple, theirs: tuple) -> bool:
    """Equal rows; a symbolic dimension of kerascount's (an expression, such as a batch of
    ``min(32, len(x))`` for a model ``fit`` built) is not compared, nor a name kerascount does not know ("?")."""
    if ours == theirs:
        return True
    if ours[0] != theirs[0] or ours[2] != theirs[2] or ours[3] not in ("?", None, theirs[3]):
        return False
    return _same_shape(json.loads(ours[1]), json.loads(theirs[1]))


def _same_shape(ours, theirs) -> bool:
    """Equal shapes (or lists of shapes), a symbolic dimension of kerascount's (a string) matching any."""
    if isinstance(ours, str):
        return True
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(_same_shape(i, j) for i, j in zip(ours, theirs))
    return ours == theirs


def _other_calls_only(m: dict, there: List[dict], kc: List[dict]) -> bool:
    """True when every Keras model built at m's line is another exact model of kerascount's at that line (the
    same numbers): a line inside a function the file calls several times (``img_input, levels = encoder(...)``
    for each encoder) holds a model per call, and the Keras run may have made only some of those calls. A Keras
    model at the line that none of kerascount's models there explains leaves m a DISAGREE."""
    def numbers(o):
        return [o["total_params"], o["trainable_params"]]

    others = [numbers(o) for o in kc if o is not m and o.get("line") == m["line"] and o.get("status") == "exact"]
    return bool(there) and all(
        any(all(c[i] == numbers(t)[i] for i in (0, 1) if c[i] is not None) for c in others) for t in there)


def _rows_result(m: dict, same_totals: List[dict]) -> Optional[dict]:
    """An exact model that agrees in its totals, compared row by row (layer type, output shape, params, name) with
    the Keras model of the same line and totals: None if some such model has the same rows, else the first
    row that differs (to check by hand: a row may differ in how it is written, such as a nested model's)."""
    ours = [_row_key(layer) for layer in m.get("layers") or []]
    first = None
    for t in same_totals:
        theirs = [_row_key(layer) for layer in t.get("layers") or []]
        if len(ours) == len(theirs) and all(_same_row(a, b) for a, b in zip(ours, theirs)):
            extra = _extras_differ(m, t)
            if extra is None:
                return None
            first = first or extra
            continue
        if first is None:
            at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if not _same_row(a, b)),
                      min(len(ours), len(theirs)))
            first = {"row": at, "rows": [len(ours), len(theirs)],
                     "kerascount": list(ours[at]) if at < len(ours) else None,
                     "keras": list(theirs[at]) if at < len(theirs) else None}
    return first


def _extras_differ(m: dict, t: dict) -> Optional[dict]:
    """What else ``model.summary()`` prints that differs, where the truth records it: the model's name (kerascount's
    "?" matches any) and the "Connected to" column (a "?" name or node index matches any); None when they agree."""
    if t.get("keras_name") is not None and m.get("keras_name") not in (None, "?", t["keras_name"]):
        return {"row": "name", "rows": [m.get("keras_name"), t["keras_name"]], "kerascount": m.get("keras_name"),
                "keras": t["keras_name"]}
    if "connections_shown" not in t:
        return None
    ours = [layer.get("connected_to") for layer in m.get("layers") or []]
    theirs = [layer.get("connected_to") for layer in t.get("layers") or []]

    def same(a: str, b: str) -> bool:
        pa, pb = a.replace("]", "").split("["), b.replace("]", "").split("[")
        return len(pa) == len(pb) and all(x == y or x == "?" for x, y in zip(pa, pb))

    for i, (a, b) in enumerate(zip(ours, theirs)):
        if (a is None) != (b is None) or a is not None and (len(a) != len(b) or not all(map(same, a, b))):
            return {"row": f"connected_to {i}", "rows": [len(ours), len(theirs)], "kerascount": a, "keras": b}
    return None


def compare(kc: List[dict], truth: dict) -> List[dict]:
    """One row per exact or symbolic model of kerascount. A model Keras built in a run that stopped early may
    differ because the code after the stop (``base.trainable = False``, ``model.add``) never ran:
    that is "differs, run stopped" (check it by hand), not DISAGREE. In such a run, a model kerascount reports at
    a line after as many others there as Keras built (a builder called in a loop, or again after it, where the run
    stopped after its first call) is "not built": Keras never made it, so the models it did make there (with
    other layer names) do not check it. A symbolic model is compared with its
    expressions evaluated in the Keras run (:func:`_record_symbols`), or is "symbolic, not checked"."""
    rows = []
    built: Dict[int, List[dict]] = {}
    for m in truth.get("models") or []:  # (None: the run timed out or crashed before it recorded any)
        if m.get("built") and m.get("line") is not None:
            built.setdefault(m["line"], []).append(m)
    earlier: Dict[int, int] = {}  # the models of kerascount's seen so far at each line, of any status
    for m in kc:
        nth = earlier.get(m["line"], 0)
        earlier[m["line"]] = nth + 1
        if m.get("status") not in ("exact", "symbolic"):
            continue
        there = built.get(m["line"], [])
        if truth.get("error") and nth >= len(there):
            there = []
        row = {"line": m["line"], "name": m.get("name"), "kind": m.get("kind"), "status": m["status"],
               "kerascount": [m["total_params"], m["trainable_params"]],
               "keras": [[t["total_params"], t["trainable_params"]] for t in there]}
        claims = [row["kerascount"]] if m["status"] == "exact" else []
        if m["status"] == "symbolic":
            for t in there:
                symbols = t.get("symbols") or {}
                values = [v if not isinstance(v, str) else symbols.get(v) for v in row["kerascount"]]
                if None not in values[:1] and all(v is not None for v, k in zip(values, row["kerascount"])
                                                   if k is not None):
                    claims.append(values)
            row["evaluated"] = claims
        claimed = [i for i, v in enumerate(row["kerascount"]) if v is not None]  # exact may leave trainable null
        stopped = next((why for first, last, why in truth.get("builders_failed", []) if first <= m["line"] <= last),
                       None)
        if not there:
            row["result"] = "not built"
        elif not claims:
            row["result"] = "symbolic, not checked"
        elif any(all(c[i] == k[i] for i in claimed) for c in claims for k in row["keras"]):
            row["result"] = "agree"
            if m["status"] == "exact":
                row["rows"] = _rows_result(m, [t for t in there if "after_builders" not in t and all(
                    [t["total_params"], t["trainable_params"]][i] == row["kerascount"][i] for i in claimed)])
        elif _other_calls_only(m, there, kc):
            row["result"] = "built for other calls only"
        elif truth.get("error") or stopped:
            row["result"] = "differs, run stopped"
            if stopped and not truth.get("error"):
                row["builder_stopped"] = stopped  # the builder this line is in raised, called with its defaults
        else:
            row["result"] = "DISAGREE"
        rows.append(row)
    return rows


def unreported(kc: List[dict], truth: dict) -> List[dict]:
    """The models Keras built (in the file's own run, not for a builder the harness called) at a line where
    kerascount reports no model at all: a model kerascount missed, or one its report holds inside another (a
    sub-model used as a layer of a model it lists), to check by hand."""
    lines = {m.get("line") for m in kc}
    return [{"line": t["line"], "name": t.get("name"), "total_params": t.get("total_params")}
            for t in truth.get("models") or [] if t.get("built") and t.get("line") is not None and
            "after_builders" not in t and t["line"] not in lines]


def _source_line(copy: str, line: Optional[int]) -> Optional[str]:
    """The stripped source line of the copy where its Keras run stopped (for :func:`stop_cause`)."""
    try:
        return Path(copy).read_text(encoding="utf-8").splitlines()[line - 1].strip()[:160] if line else None
    except (OSError, IndexError, UnicodeDecodeError):
        return None


def stop_cause(stopped: Optional[str]) -> str:
    """A run's stop reason grouped by its cause: which stand-in refused to become a value (``pandas.read_csv``),
    which module is missing, a missing file or folder, no download..."""
    import re

    if not stopped:
        return "ran to the end"
    kind, _, message = stopped.partition(": ")
    message = re.sub(r" \(line \w+\)$", "", message)
    m = re.match(r"corpus_truth: (\S+) is a stand-in", message)
    if m:  # the first two parts of the Stub's name: its library and function (``pandas.read_csv``)
        parts = re.sub(r"(\(\)|\[\]|\(.*?\))", "", m.group(1)).split(".")
        return f"stand-in {'.'.join(parts[:2])}"
    m = re.match(r"No module named '([^']+)'", message) or re.match(r"cannot import name '([^']+)' from '([^']+)'",
                                                                     message)
    if m:
        return f"{kind}: {m.group(m.lastindex)} ({m.group(1)})" if m.lastindex == 2 else f"{kind}: {m.group(1)}"
    if kind in ("FileNotFoundError", "OSError", "IsADirectoryError", "NotADirectoryError"):
        return f"{kind}: {'no downloads' if 'no downloads' in message else 'missing file'}"
    return f"{kind}: {message[:70]}"


def print_stop_causes(report: List[dict]) -> None:
    """Why runs stopped, grouped by cause, with the exact models each cause left unbuilt."""
    causes: Dict[str, List[int]] = {}
    for f in report:
        unbuilt = sum(1 for r in f["models"] if r["status"] == "exact" and r["result"] == "not built")
        c = causes.setdefault(stop_cause(f["keras_stopped"]), [0, 0])
        c[0] += 1
        c[1] += unbuilt
    print("runs by stop cause (files, exact models not built):")
    for cause, (n, unbuilt) in sorted(causes.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0])):
        print(f"  {n:3d} {unbuilt:4d}  {cause}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="corpus files (default: a sample)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=60, help="files with an exact model to check (default 60)")
    ap.add_argument("--pick", choices=("exact", "symbolic"), default="exact",
                    help="sample files with an exact model (default) or with a symbolic one")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60, help="seconds for one file under Keras")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--no-call-builders", dest="call_builders", action="store_false",
                    help="do not call, at the end of a run, the file's functions that build kerascount's models "
                         "and were never called (with their default arguments)")
    ap.add_argument("--keep-going", nargs="?", const=True, default=False, metavar="deep",
                    help="run each top-level statement of a file on its own and go on after one raises (models "
                         "Keras builds after an error that differ are listed for a check by hand); "
                         "--keep-going=deep also each statement under `if __name__ == \"__main__\":` and its loops")
    args = ap.parse_args(argv)
    if args.keep_going not in (True, False, "deep"):
        # `--keep-going FILE...`: the optional value took the first file
        args.files.insert(0, args.keep_going)
        args.keep_going = True
    if os.environ.get("PYTHONHASHSEED") != "0" or os.environ.get("KERAS_BACKEND") != "numpy":
        env = dict(os.environ, PYTHONHASHSEED="0", KERAS_BACKEND="numpy", MPLBACKEND="Agg")
        return subprocess.run([sys.executable, os.path.abspath(__file__), *(argv or sys.argv[1:])], env=env).returncode

    corpus = args.corpus.resolve()
    missing = [f for f in args.files if not os.path.isfile(f)]
    if missing:
        print("corpus_truth: no such file: " + ", ".join(missing), file=sys.stderr)
        return 2
    outside = [f for f in args.files if not Path(f).resolve().is_relative_to(corpus)]
    if outside:
        print(f"corpus_truth: not under the corpus {corpus} (give --corpus DIR): " + ", ".join(outside),
              file=sys.stderr)
        return 2
    files = [str(Path(f).resolve()) for f in args.files] or corpus_files(corpus, read_list())
    with tempfile.TemporaryDirectory(prefix="corpus_truth_") as tmp:
        scratch = Path(tmp)
        if not args.files:
            random.Random(args.seed).shuffle(files)
        chosen: Dict[str, str] = {}
        models: Dict[str, List[dict]] = {}
        pool = files
        while pool and len(chosen) < args.sample:  # files with at least one exact (symbolic) model, in batches
            batch, pool = pool[:max(20, args.sample)], pool[max(20, args.sample):]
            copies = prepare(batch, corpus, scratch)
            found = kerascount_models(list(copies))
            for copy, original in copies.items():
                picked = [m for m in found.get(copy, []) if m.get("status") == args.pick]
                if (picked or args.files) and len(chosen) < args.sample:
                    chosen[copy] = original
                    models[copy] = found.get(copy, [])  # (a file given by path kerascount reported nothing for)
        print(f"{len(chosen)} files with {args.pick} models; running them under Keras", file=sys.stderr)

        import keras_truth

        keras = keras_truth._load_keras()
        install_stand_ins(keras)
        global _KERAS_TRUTH_DATASETS, _KERAS_TRUTH_BUILD_ON_FIT, SCRATCH
        _KERAS_TRUTH_DATASETS = keras_truth._offline_datasets
        keras_truth._offline_datasets = _offline_datasets
        _KERAS_TRUTH_BUILD_ON_FIT = keras_truth._build_on_fit
        keras_truth._build_on_fit = _build_on_fit
        SCRATCH = str(scratch) + os.sep
        global KEEP_GOING
        KEEP_GOING = args.keep_going
        for copy in chosen:
            symbolic = [m for m in models[copy] if m.get("status") == "symbolic"]
            try:
                changing = _changing_names(Path(copy).read_text(encoding="utf-8")) if symbolic else set()
            except (SyntaxError, ValueError):
                continue
            for m in symbolic:
                SYMBOLIC.setdefault(copy, {}).setdefault(m["line"], []).extend(
                    v for v in (m["total_params"], m["trainable_params"])
                    if isinstance(v, str) and _stable_expression(v, changing))
        _record_symbols(keras_truth)
        _trace_error_lines(keras_truth)
        _run_as_package_module(keras_truth)
        if args.call_builders:
            _hook_recorder(keras_truth)
            _builders_record(keras_truth)
            _RUN["budget"] = args.timeout / 2
            for copy in chosen:
                MODEL_LINES[copy] = {m["line"] for m in models[copy] if m.get("status") in ("exact", "symbolic")}
                with open(copy, "a", encoding="utf-8") as f:
                    f.write(_BUILDERS_HOOK)
        # a repository's own packages (``from rl.agents import ...``) import from its top folder
        sys.path[:0] = sorted({str(scratch / Path(c).relative_to(scratch).parts[0]) for c in chosen})
        truths = keras_truth.truth_for_files(list(chosen), jobs=args.jobs, timeout=args.timeout)

        report = []
        results = ("agree", "DISAGREE", "differs, run stopped", "built for other calls only", "symbolic, not checked",
                   "not built")
        counts = {status: dict.fromkeys(results, 0) for status in ("exact", "symbolic")}
        for (copy, original), truth in zip(chosen.items(), truths):
            rows = compare(models[copy], truth)
            for r in rows:
                counts[r["status"]][r["result"]] += 1
            err = truth.get("error") or {}
            report.append({"file": str(Path(original).relative_to(corpus)), "checked_as": copy.replace(tmp, "<scratch>"),
                           "keras_stopped": f"{err.get('type')}: {err.get('message')} (line {err.get('line')})"
                           if err else None, "stop_source": _source_line(copy, err.get("line")),
                           "models": rows, "false_errors": false_errors(copy, truth),
                           "unreported": unreported(models[copy], truth)})
    stops = Counter((f["keras_stopped"] or "ran to the end").split(":")[0] for f in report)
    print(f"Keras runs: {dict(stops.most_common())}")
    print_stop_causes(report)
    exact, symbolic = counts["exact"], counts["symbolic"]
    print(f"exact models checked: {sum(exact.values())}: {exact['agree']} agree, {exact['DISAGREE']} DISAGREE, "
          f"{exact['differs, run stopped']} differ after Keras stopped early (check by hand), "
          f"{exact['built for other calls only']} whose line Keras built only for other calls (check by "
          f"hand), {exact['not built']} not built by Keras (the run stopped before them)")
    print(f"symbolic models: {sum(symbolic.values())}: {symbolic['agree']} agree with their symbols' values in the "
          f"Keras run, {symbolic['DISAGREE']} DISAGREE, {symbolic['differs, run stopped']} differ after Keras stopped "
          f"early, {symbolic['built for other calls only']} whose line Keras built only for other calls, "
          f"{symbolic['symbolic, not checked']} built but not checked (a symbol's value not known), "
          f"{symbolic['not built']} not built")
    agreeing = [(f, r) for f in report for r in f["models"] if r["result"] == "agree" and r["status"] == "exact"]
    rows_differ = [(f, r) for f, r in agreeing if r.get("rows")]
    print(f"rows of the {len(agreeing)} agreeing exact models (type, output shape, params of each): "
          f"{len(agreeing) - len(rows_differ)} the same, {len(rows_differ)} differ")
    for f, r in rows_differ:
        d = r["rows"]
        print(f"rows differ: {f['file']}:{r['line']} {r['name']}: row {d['row']} of {d['rows']} (kerascount, Keras): "
              f"kerascount {d['kerascount']}, Keras {d['keras']}")
    for f in report:
        for r in f["models"]:
            if r["result"] in ("DISAGREE", "differs, run stopped", "built for other calls only"):
                print(f"{r['result']}: {f['file']}:{r['line']} {r['name']} ({r['kind']}, {r['status']}): kerascount "
                      f"total/trainable {r['kerascount']}{' = ' + str(r['evaluated']) if 'evaluated' in r else ''}, "
                      f"Keras {r['keras']}; Keras stopped: {f['keras_stopped'] or r.get('builder_stopped')}"
                      f"{' (the builder it is in, called with its defaults)' if r.get('builder_stopped') else ''}")
    missed = [(f, u) for f in report for u in f["unreported"]]
    print(f"models Keras built at a line where kerascount reports none: {len(missed)} in "
          f"{len({f['file'] for f, _ in missed})} files (check by hand: missed, or held inside a model it reports)")
    for f, u in missed:
        print(f"unreported: {f['file']}:{u['line']} {u['name']} ({u['total_params']} params)")
    checked = sum(1 for copy in chosen if copy in ERRORS)
    wrong = [(f, e) for f in report for e in f["false_errors"]]
    print(f"kerascount errors (Keras rejects): in {checked} files; {len(wrong)} at a line that ran under Keras "
          f"without raising (check by hand)")
    for f, e in wrong:
        print(f"error ran without raising: {f['file']}:{e['line']} {e['code']} {e['message']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"counts": counts, "files": report}, indent=1) + "\n")
    return 1 if exact["DISAGREE"] or symbolic["DISAGREE"] or wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
