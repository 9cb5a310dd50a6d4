"""benchmarks/corpus_truth.py: its stand-ins never give a number, its comparison, and one real run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus_truth  # noqa: E402
from corpus_truth import Stub  # noqa: E402


@pytest.mark.parametrize("use", [int, float, len, bool, iter, np.asarray, lambda s: np.zeros(2)[s],
                                 lambda s: "%.2f" % s, lambda s: s == 3 or 1, lambda s: range(s),
                                 lambda s: np.expand_dims(s, -1)])
def test_a_stub_never_becomes_a_number(use):
    with pytest.raises(TypeError):
        use(Stub("pandas.read_csv()"))


def test_a_stub_goes_on_where_no_number_is_made():
    s = Stub("df")
    del s["Date"]
    s["x"] = 1
    assert isinstance(s.values[:, 1:] * 2 + np.zeros(3), Stub)
    assert f"{s.loss:.4f}" == "<df.loss>"
    assert isinstance(round(s.acc * 100, 2), Stub)
    with pytest.raises(TypeError):
        int(round(s.acc))

    class Module(Stub("tf.Module")):
        pass

    assert isinstance(Module(), Stub)


def test_symbolic_expressions_are_evaluated_only_when_they_only_read():
    assert corpus_truth._safe_expression("8*len(names) + 35") is not None
    assert corpus_truth._safe_expression("floor(x.shape[-1]/2)*3") is not None
    for text in ("names.pop()", "open('f')", "len([x for x in y])", "(lambda: 1)()", "len(x, key=1)"):
        assert corpus_truth._safe_expression(text) is None, text
    ns = {"names": ["a", "b"], "x": np.zeros((5, 7)), "df": Stub("df"), "flag": True}
    assert corpus_truth._evaluate("8*len(names) + 35", ns) == 51
    assert corpus_truth._evaluate("x.shape[-1] * 2", ns) == 14
    assert corpus_truth._evaluate("len(df) + 1", ns) is None  # a stand-in
    assert corpus_truth._evaluate("flag", ns) is None
    assert corpus_truth._evaluate("missing + 1", ns) is None


def test_a_symbol_of_a_name_that_changes_during_the_run_is_not_evaluated():
    source = ("(x, y), _ = load()\nn = len(np.unique(y))\ny = to_categorical(y)\nnames = []\n"
              "names.append('a')\nd = {}\nd['k'] = 1\ne = 0\ne += 1\nfor i in range(3):\n    pass\nz = x\n")
    changing = corpus_truth._changing_names(source)
    assert {"y", "names", "d", "e", "i"} <= changing and not {"x", "n", "z"} & changing
    assert not corpus_truth._stable_expression("257*len(np.unique(y)) + 1", changing)
    assert corpus_truth._stable_expression("8*x.shape[1] + n", changing)


def _kc(line, status, total, trainable):
    return {"line": line, "status": status, "name": "m", "kind": "sequential", "total_params": total,
            "trainable_params": trainable}


def test_compare():
    truth = {"models": [{"line": 3, "built": True, "total_params": 10, "trainable_params": 10},
                        {"line": 5, "built": True, "total_params": 43, "trainable_params": 43,
                         "symbols": {"8*n + 3": 43}},
                        {"line": 7, "built": True, "total_params": 43, "trainable_params": 43},
                        {"line": 9, "built": False, "total_params": None, "trainable_params": None}]}
    kc = [_kc(3, "exact", 10, None), _kc(5, "symbolic", "8*n + 3", "8*n + 3"), _kc(7, "symbolic", "8*n + 3", 43),
          _kc(9, "exact", 4, 4), _kc(3, "unknown", None, None)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == [
        "agree", "agree", "symbolic, not checked", "not built"]
    kc = [_kc(3, "exact", 12, 12), _kc(5, "symbolic", "8*n + 3", 40)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["DISAGREE", "DISAGREE"]
    truth["error"] = {"type": "ValueError"}
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["differs, run stopped"] * 2


def test_models_keras_built_where_kerascount_reports_none_are_listed():
    # (any status of kerascount's counts as reported; a model built for a builder the harness called after the
    # script, `after_builders`, or not built, is not listed)
    truth = {"models": [{"line": 3, "built": True, "total_params": 10, "name": "a"},
                        {"line": 8, "built": True, "total_params": 7, "name": "b"},
                        {"line": 9, "built": True, "total_params": 7, "after_builders": [8, 8]},
                        {"line": 11, "built": False, "total_params": None}]}
    assert corpus_truth.unreported([_kc(3, "unknown", None, None)], truth) == [
        {"line": 8, "name": "b", "total_params": 7}]
    assert corpus_truth.unreported([_kc(3, "exact", 10, 10), _kc(8, "unbuilt", None, None)], truth) == []


def test_a_run_that_timed_out_before_recording_models_builds_none():
    # (keras_truth's record of a child it killed has "models": None: hold-out 72's siamese GoogLeNet, 76M weights
    # made by the numpy backend, ran past the timeout, and the whole report stopped on a TypeError)
    truth = {"models": None, "error": {"type": "KerasTruthError", "message": "timed out after 90 s"}}
    assert [r["result"] for r in corpus_truth.compare([_kc(3, "exact", 10, 10)], truth)] == ["not built"]
    assert corpus_truth.unreported([_kc(3, "exact", 10, 10)], truth) == []


def test_a_line_keras_built_only_for_other_calls_is_not_a_disagreement():
    # an encoder builder called at one line once per encoder: the run made the vgg and resnet calls only
    truth = {"models": [{"line": 72, "built": True, "total_params": t, "trainable_params": t} for t in (100, 200)]}
    kc = [_kc(72, "exact", 100, 100), _kc(72, "exact", 200, 200), _kc(72, "exact", 30, 30)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["agree", "agree", "built for other calls only"]
    # a Keras model at the line that no model of kerascount's there explains: the odd one out disagrees
    kc = [_kc(72, "exact", 100, 100), _kc(72, "exact", 30, 30)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["agree", "DISAGREE"]
    assert [r["result"] for r in corpus_truth.compare([_kc(72, "exact", 30, 30)], truth)] == ["DISAGREE"]
    # a symbolic model of kerascount's explains no Keras model
    kc = [_kc(72, "exact", 100, 100), _kc(72, "symbolic", "n + 190", "n + 190"), _kc(72, "exact", 30, 30)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)][2] == "DISAGREE"


def test_keras2_obtain_input_shape_of_both_signatures():
    check = """
import pytest
import corpus_truth
obtain = corpus_truth._keras2_obtain_input_shape
last = "channels_last"
# Keras 2.2's signature is Keras 3's function
assert obtain(None, 224, 32, last, require_flatten=False) == (None, None, 3)
assert obtain((64, 64, 1), 224, 32, last, require_flatten=False, weights=None) == (64, 64, 1)
# Keras 2.0's include_top= (no weights): 3 channels always, the default shape with a top
assert obtain(None, 299, 139, last, include_top=True) == (299, 299, 3)
assert obtain(None, 299, 139, last, include_top=False) == (None, None, 3)
assert obtain((150, 150, 3), 224, 48, last, include_top=False) == (150, 150, 3)
assert obtain(None, 224, 32, "channels_first", include_top="imagenet") == (3, 224, 224)  # include_top or weights
for shape, top in (((150, 150, 3), True), ((150, 150, 1), False), ((20, 20, 3), False), ((), False)):
    with pytest.raises(ValueError):
        obtain(shape, 224, 48, last, include_top=top)
"""
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]))
    run = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_keras2_resize_images():
    check = """
import keras
import corpus_truth
corpus_truth._keras2_names(keras)
resize = keras.backend.resize_images
assert resize(keras.Input((6, 5, 3)), 2, 3, "channels_last", interpolation="bilinear").shape == (None, 12, 15, 3)
grown = keras.layers.Lambda(lambda t: resize(t, 2.0, 2, "channels_first"))(keras.Input((3, 4, 5)))
assert grown.shape == (None, 3, 8, 10)
"""
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]))
    run = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_fit_returns_a_history_with_one_stub_per_epoch_when_that_is_a_fact():
    history = corpus_truth._history("History", (), {"epochs": 5, "batch_size": 32})
    assert len(history.history["val_acc"]) == 5 and history.epoch == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError):
        int(history.history["loss"][-1])
    assert len(corpus_truth._history("History", (None, 3), {}).history["loss"]) == 3  # fit(x, y, 32, 3)
    for kwargs in ({"epochs": 5, "callbacks": [object()]}, {"epochs": 5, "initial_epoch": 2}, {"epochs": Stub("n")}):
        with pytest.raises(TypeError):  # early stopping, a resumed run, an unknown count: not a fact
            len(corpus_truth._history("History", (), kwargs).history["loss"])


def test_train_test_split_splits_stubs_into_stubs():
    split = corpus_truth._sklearn_module("sklearn.model_selection").train_test_split
    x_train, x_test, y_train, y_test = split(np.zeros((10, 3)), Stub("pd.get_dummies()"), test_size=0.2)
    assert x_train.shape == (8, 3) and x_test.shape == (2, 3)
    assert isinstance(y_train, Stub) and isinstance(y_test, Stub)


def test_sklearn_dataset_is_read_by_key_and_by_attribute():
    datasets = corpus_truth._sklearn_module("sklearn.datasets")
    iris = datasets.load_iris()  # student scripts write both iris.target and iris['target'] (a Bunch)
    assert iris["data"].shape == (150, 4) and iris.data is iris["data"] and iris["target"] is iris.target
    assert datasets.load_digits()["images"].shape == (1797, 8, 8)
    with pytest.raises(AttributeError):
        iris.frame


KERAS2_FILE = '''\
import os
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from keras.models import Sequential
from keras.layers.core import Dense, Flatten
from keras.layers.convolutional import Conv2D
from keras.optimizers import SGD
from keras.callbacks import ModelCheckpoint
from keras.preprocessing.image import ImageDataGenerator
from keras import backend as K
import keras
import tensorflow.compat.v1 as tf1

tf1.disable_eager_execution()
data = pd.read_csv("missing.csv")
extra = np.load("missing.npy")
if K.image_dim_ordering() == "th":
    shape = (1, 28, 28)
else:
    shape = (28, 28, 1)
model = Sequential()
model.add(Conv2D(8, (3, 3), input_shape=shape))
model.add(Flatten())
model.add(Dense(10))
model.compile(loss="mse", optimizer=SGD(lr=0.1, decay=1e-6), metrics="acc")
history = model.fit(extra, data, callbacks=[ModelCheckpoint("best.hdf5")])
loss, acc = model.evaluate(np.zeros((4, 28, 28, 1)), np.zeros((4, 10)))
model.compile(loss="mse", metrics=[keras.metrics.MeanAbsoluteError(name="mae"), "mse"])
loss, mae, mse = model.evaluate(np.zeros((4, 28, 28, 1)), np.zeros((4, 10)))
fig, axes = plt.subplots(1, 2)
print(f"{loss:.3f}", history.history["loss"])
names = os.listdir(os.path.dirname(os.path.abspath(__file__)))
head = Sequential([Dense(4, input_shape=(len(names),))])


def never_called(units=5):
    return Sequential([Dense(units, input_shape=(3,))])


labels = model.predict(np.zeros((3, 28, 28, 1))).argmax(axis=1)
print(names[labels[0] % len(names)], labels.shape == (3,) or oops)
from tqdm import tqdm
for i in tqdm(range(2), desc="epochs"):
    pass
fig, axes = plt.subplots(2, 3)
print(axes.shape == (2, 3) or oops, [ax.plot(i) for ax in axes.flat])
text = open("missing.txt").read()
assert tf1.__version__ >= "2.4"
try:  # a Stub would refuse len() here: in a try, open() raises as without the file
    size = len(open("missing-too.txt").read())
except OSError:
    size = 0
'''


def _run_one(tmp_path, name, text, own=None):
    """corpus_truth's report on one file, ``name`` of ``text``, of a repository of the corpus at tmp_path/corpus
    (with a file own.txt of ``own`` beside it, if given)."""
    repo = tmp_path / "corpus" / "owner__repo"
    repo.mkdir(parents=True)
    if own is not None:
        (repo / "own.txt").write_text(own)
    file = repo / name
    file.write_text(text)
    out = tmp_path / "out.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus_truth.py"), "--corpus",
                        str(tmp_path / "corpus"), "--jobs", "1", "--json", str(out), str(file)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    (report,) = json.loads(out.read_text())["files"]
    return report


def test_a_keras2_file_runs_to_the_end_under_keras_3(tmp_path):
    report = _run_one(tmp_path, "k2.py", KERAS2_FILE)
    assert report["keras_stopped"] is None
    results = {row["line"]: (row["status"], row["result"]) for row in report["models"]}
    assert results[22] == ("exact", "agree")
    assert results[34] == ("symbolic", "agree")
    assert results[38] == ("exact", "agree")  # the builder, called with its defaults at the end


def test_the_corpus_code_deletes_nothing_outside_its_scratch_copy(tmp_path):
    outside = tmp_path / "outside"
    (outside / "kept").mkdir(parents=True)
    (outside / "kept" / "a.txt").write_text("a")
    (outside / "b.txt").write_text("b")
    report = _run_one(tmp_path, "wipe.py", (
        "import os, shutil, pathlib\n"
        "from keras import layers, models\n"
        "refused = 0\n"
        f"for wipe in (lambda: shutil.rmtree({str(outside / 'kept')!r}), lambda: os.remove({str(outside / 'b.txt')!r}),\n"
        f"             lambda: pathlib.Path({str(outside / 'b.txt')!r}).unlink(),\n"
        f"             lambda: shutil.move({str(outside / 'b.txt')!r}, 'moved.txt')):\n"
        "    try:\n"
        "        wipe()\n"
        "    except PermissionError:\n"
        "        refused += 1\n"
        "os.remove(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'own.txt'))  # its own copy: allowed\n"
        "assert refused == 4, refused\n"
        "model = models.Sequential([layers.Input((4,)), layers.Dense(3)])\n"), own="mine")
    repo = tmp_path / "corpus" / "owner__repo"
    assert report["keras_stopped"] is None
    assert (outside / "kept" / "a.txt").exists() and (outside / "b.txt").exists()
    assert (repo / "own.txt").exists()  # the corpus itself is never touched: the run deletes in its copy
    assert [row["result"] for row in report["models"]] == ["agree"]


def test_stop_causes_are_grouped_by_stand_in_module_or_file():
    assert corpus_truth.stop_cause(None) == "ran to the end"
    assert corpus_truth.stop_cause("TypeError: corpus_truth: pandas.read_csv()[].values is a stand-in for a "
                                   "missing library (line 3)") == "stand-in pandas.read_csv"
    assert corpus_truth.stop_cause("ModuleNotFoundError: No module named 'a.b' (line 2)") == "ModuleNotFoundError: a.b"
    assert corpus_truth.stop_cause("FileNotFoundError: [Errno 2] No such file or directory: 'x' (line 9)") == \
        "FileNotFoundError: missing file"


def test_documented_calls_of_display_libraries():
    bar = corpus_truth._missing("tqdm.auto", "tqdm")
    assert list(bar(range(3), desc="x")) == [0, 1, 2]
    with bar(total=3) as b:
        b.update(1)
    with pytest.raises(TypeError):
        list(bar(Stub("pandas.read_csv()")))
    assert list(corpus_truth._missing("tqdm", "trange")(2)) == [0, 1]
    subplots = corpus_truth._missing("matplotlib.pyplot", "subplots")
    assert subplots(2, 3)[1].shape == (2, 3) and subplots(1, 4)[1].shape == (4,)
    assert isinstance(subplots(figsize=(4, 4))[1], Stub)
    with pytest.raises(TypeError):
        subplots(Stub("len(df)"), 2)


def test_tensorflow_version_compares_as_a_version():
    v = corpus_truth._Version("2.16.1")
    assert v >= "2.4" and v > "2.10" and v < "3" and not v < "2.4.0" and v == "2.16.1"
    assert v.startswith("2.")


def test_the_run_has_no_gpu_under_either_name_of_the_device_list():
    # `gpus = tf.config.experimental.list_physical_devices("GPU"); if gpus: ...` (the name before TF 2.1) goes on
    # as on a machine without a GPU; the rest of tf.config is a stand-in.
    import types

    tf = corpus_truth._tf_like("tensorflow", types.SimpleNamespace())
    assert tf.config.list_physical_devices("GPU") == [] and tf.config.experimental.list_physical_devices("GPU") == []
    assert isinstance(tf.config.experimental.set_memory_growth, Stub)


def test_inside_try_is_the_body_of_a_try(tmp_path, monkeypatch):
    f = tmp_path / "m.py"
    f.write_text("import corpus_truth\n"
                 "def ask():\n"
                 "    return corpus_truth._inside_try()\n"
                 "def tried():\n"
                 "    try:\n"
                 "        return ask()\n"
                 "    except OSError:\n"
                 "        pass\n"
                 "def scoped():\n"
                 "    with open(__file__):\n"
                 "        return ask()\n")
    monkeypatch.setattr(corpus_truth, "SCRATCH", str(tmp_path) + os.sep)
    namespace = {"__file__": str(f)}
    exec(compile(f.read_text(), str(f), "exec"), namespace)
    assert namespace["tried"]() is True
    assert namespace["scoped"]() is False
    assert namespace["ask"]() is False


def test_a_file_in_a_package_runs_as_its_module(tmp_path, monkeypatch):
    pkg = tmp_path / "repo" / "pkg" / "models"
    pkg.mkdir(parents=True)
    (tmp_path / "repo" / "pkg" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    monkeypatch.setattr(corpus_truth, "SCRATCH", str(tmp_path) + os.sep)
    assert corpus_truth._package_of(str(pkg / "net.py")) == (str(tmp_path / "repo"), "pkg.models")
    assert corpus_truth._package_of(str(tmp_path / "repo" / "script.py")) is None


def test_rows_of_an_agreeing_model_are_compared():
    row = {"type": "Dense", "output_shape": [None, 4], "params": 20}
    ours = {"layers": [{"type": "InputLayer", "output_shape": [None, 4], "params": 0}, row]}
    same = {"layers": [dict(l) for l in ours["layers"]]}
    assert corpus_truth._rows_result(ours, [same]) is None
    wider = {"layers": [ours["layers"][0], dict(row, output_shape=[None, 5])]}
    assert corpus_truth._rows_result(ours, [wider]) == {
        "row": 1, "rows": [2, 2], "kerascount": ["Dense", "[null, 4]", 20, None],
        "keras": ["Dense", "[null, 5]", 20, None]}
    # names are compared too, but for one kerascount gives as "?"
    named = {"layers": [ours["layers"][0], dict(row, name="dense_1")]}
    assert corpus_truth._rows_result({"layers": [ours["layers"][0], dict(row, name="dense")]}, [named])["row"] == 1
    assert corpus_truth._rows_result({"layers": [ours["layers"][0], dict(row, name="?")]}, [named]) is None
    shorter = {"layers": ours["layers"][:1]}
    assert corpus_truth._rows_result(ours, [shorter])["row"] == 1
    # a symbolic dimension of kerascount's (a batch that fit() chose) is not compared
    symbolic = {"layers": [dict(l, output_shape=["min(32, len(x))", 4]) for l in ours["layers"]]}
    built = {"layers": [dict(l, output_shape=[32, 4]) for l in ours["layers"]]}
    assert corpus_truth._rows_result(symbolic, [built]) is None
    assert corpus_truth._rows_result(symbolic, [wider, built]) is None  # any Keras model of that line may match


TRACED_FILE = '''\
import keras
from keras import layers

inputs = keras.Input(shape=(4,))
try:
    bad = layers.Conv1D(2, 3)(inputs)
except ValueError:
    bad = inputs
model = keras.Model(inputs, layers.Dense(
    3)(bad))


def never_called():
    return layers.Conv1D(2, 3)(inputs)
'''

TRACE_SCRIPT = '''\
import json, sys
sys.path[:0] = [sys.argv[2] + "/benchmarks", sys.argv[2] + "/tools"]
import corpus_truth, keras_truth
path = sys.argv[1]
# kerascount errors (as if it said Keras rejects): a line that raised and was caught, a two-line call that ran, a
# function never called
corpus_truth.ERRORS[path] = [{"line": 6, "code": "KC104", "message": "a"}, {"line": 9, "end_line": 10,
                             "code": "KC103", "message": "b"}, {"line": 14, "code": "KC104", "message": "c"}]
corpus_truth._trace_error_lines(keras_truth)
(truth,) = keras_truth.truth_for_files([path], jobs=1)
print(json.dumps({"ran": truth.get("error_lines_ran"), "false": corpus_truth.false_errors(path, truth)}))
'''


def test_a_kerascount_error_at_a_line_that_ran_under_keras_is_reported(tmp_path):
    path = tmp_path / "traced.py"
    path.write_text(TRACED_FILE)
    script = tmp_path / "trace.py"
    script.write_text(TRACE_SCRIPT)
    env = dict(os.environ, PYTHONHASHSEED="0", KERAS_BACKEND="numpy")
    r = subprocess.run([sys.executable, str(script), str(path), str(ROOT)], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["ran"] == [9, 10] or out["ran"] == [9]  # line 6 raised (caught), line 14 never ran
    assert [e["message"] for e in out["false"]] == ["b"]



def test_an_error_where_keras_stopped_is_not_reported(monkeypatch):
    monkeypatch.setitem(corpus_truth.ERRORS, "f.py", [{"line": 9, "end_line": 10, "code": "KC103", "message": "b"}])
    assert corpus_truth.false_errors("f.py", {"error": None, "error_lines_ran": [9]})
    # the run stopped: at the error's lines or elsewhere (fit builds a Sequential whose layer fails), Keras rejected
    # the code, as kerascount said, or stopped before it would
    assert corpus_truth.false_errors("f.py", {"error": {"line": 10}, "error_lines_ran": [9]}) == []
    assert corpus_truth.false_errors("f.py", {"error": {"line": 21}, "error_lines_ran": [9]}) == []
    assert corpus_truth.false_errors("f.py", {"error": None, "error_lines_ran": [11]}) == []


def test_a_file_outside_the_corpus_is_an_error_that_names_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setenv("KERAS_BACKEND", "numpy")
    (tmp_path / "corpus").mkdir()
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n")
    assert corpus_truth.main(["--corpus", str(tmp_path / "corpus"), str(outside)]) == 2
    assert "elsewhere.py" in capsys.readouterr().err


def test_keep_going_runs_the_statements_after_one_that_raises(tmp_path):
    path = tmp_path / "script.py"
    path.write_text("a = 1\nimport shutil\nshutil.copyfile('no such file', 'x')\nb = a + 1\nc = undefined + 1\nd = 4\n")
    namespace = {"__file__": str(path), "__name__": "__main__"}
    code = compile(path.read_text(), str(path), "exec")
    with pytest.raises(FileNotFoundError):  # the first error, raised again at the end: the run stopped early
        corpus_truth._run_statements(code, namespace)
    assert (namespace["b"], namespace["d"]) == (2, 4) and "c" not in namespace


BUILDERS_FILE = '''\
import keras
from keras import layers

base = keras.Sequential([keras.Input((6,)), layers.Dense(4)])


def stack():
    net = keras.Sequential([keras.Input((6,)), base, layers.Dense(2)])
    base.trainable = False
    return net


def critic():
    judge = keras.Sequential([keras.Input((5,)), layers.Dense(3), layers.Dense(1)])
    keras.optimizers.Adam(no_such_argument=1)
    judge.trainable = False
    return judge
'''


def test_the_script_s_models_are_compared_as_the_script_left_them_and_a_failed_builder_is_a_stop(tmp_path):
    # `stack`, called with its defaults at the end, freezes the script's `base`, which the script never does;
    # `critic` raises before it freezes `judge` (kerascount reads the code as meant: 0 trainable)
    report = _run_one(tmp_path, "builders.py", BUILDERS_FILE)
    results = {row["line"]: row for row in report["models"]}
    assert results[4]["result"] == "agree" and results[4]["keras"] == [[28, 28]], results[4]
    assert results[14]["result"] == "differs, run stopped" and results[14]["keras"] == [[22, 22]], results[14]
    assert results[14]["builder_stopped"].startswith(("ValueError", "TypeError")), results[14]


CLASSES_FILE = '''\
import keras
from keras import layers


class Net:
    def __init__(self, width=8):
        inputs = keras.Input((4,))
        self.model = keras.Model(inputs, self.head(layers.Dense(width)(inputs)))

    def head(self, x):
        return layers.Dense(3)(x)


class Needs:
    def __init__(self, classes):
        inputs = keras.Input((4,))
        self.model = keras.Model(inputs, layers.Dense(classes)(inputs))
'''


def test_a_class_nothing_instantiates_is_made_when_its_init_needs_no_argument(tmp_path):
    report = _run_one(tmp_path, "classes.py", CLASSES_FILE)
    results = {row["line"]: row for row in report["models"]}
    assert results[8]["result"] == "agree" and results[8]["keras"] == [[67, 67]], results[8]
    assert results[17]["status"] == "symbolic" and results[17]["result"] != "agree", results[17]  # not made


TESTS_FILE = '''\
import unittest

import keras
from keras import layers


def tower(width):
    inputs = keras.Input((4,))
    return keras.Model(inputs, layers.Dense(2)(layers.Dense(width)(inputs)))


class TowerTest(unittest.TestCase):
    def setUp(self):
        self.width = 5

    def test_wide(self):
        model = tower(self.width)
        self.assertEqual(model.count_params(), 0)  # fails after the model is built

    def test_dense(self):
        inputs = keras.Input((3,))
        model = keras.Model(inputs, layers.Dense(self.width)(inputs))


if __name__ == "__main__":
    unittest.main()
'''


def test_the_test_methods_of_a_test_case_run_as_a_runner_runs_them(tmp_path):
    # unittest.main() under __main__ does nothing; each test then runs between setUp and tearDown, and one that fails
    # after building its model (an assertion) keeps it: tower(5) has 5*4 + 5 + 2*5 + 2 = 37 params, Dense(5) on 3 20
    report = _run_one(tmp_path, "tests.py", TESTS_FILE)
    results = {row["line"]: row for row in report["models"]}
    assert results[9]["result"] == "agree" and results[9]["keras"] == [[37, 37]], results[9]
    assert results[22]["result"] == "agree" and results[22]["keras"] == [[20, 20]], results[22]


def test_a_notebook_cell_that_does_not_parse_is_blanked_for_the_keras_run():
    from kerascount.notebook import code_of

    nb = {"cells": [{"cell_type": "code", "source": "import keras\n"},
                    {"cell_type": "code", "source": "print 'python 2'\nx = 1\n"},
                    {"cell_type": "code", "source": "y = 2\n"}]}
    text, cells = code_of(json.dumps(nb))
    out = corpus_truth._parsed_cells(text, cells)
    lines = out.split("\n")
    assert len(lines) == len(text.split("\n")) and "print 'python 2'" not in lines and "x = 1" not in lines
    assert lines[0] == "import keras" and "y = 2" in lines
    assert corpus_truth._parsed_cells("y = 2\n", cells) == "y = 2\n"  # (parsed: unchanged)


def test_the_ipython_shell_of_an_exported_notebook_does_nothing():
    shell = corpus_truth._Shell()
    assert shell.run_line_magic("matplotlib", "inline") is None and shell.system("pip install x") is None


@pytest.mark.parametrize("flag", [["--keep-going"], ["--keep-going", "deep"], ["--keep-going=deep"]])
def test_keep_going_before_the_files_leaves_them_files(flag, monkeypatch, capsys):
    # `--keep-going FILE` once took the file for the flag's value and stopped on an "invalid choice"
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setenv("KERAS_BACKEND", "numpy")
    assert corpus_truth.main([*flag, "/no/such/a.py", "/no/such/b.py"]) == 2
    assert "no such file: /no/such/a.py, /no/such/b.py" in capsys.readouterr().err


def test_a_model_after_those_keras_built_at_its_line_before_its_run_stopped_is_not_built():
    # hold-out 51: a builder called in a loop (k-fold), the run stopped after the first call; kerascount's later
    # models there (dense_3, dense_6... where Keras made dense) are not checked by the one Keras made
    truth = {"models": [{"line": 52, "built": True, "total_params": 5121, "trainable_params": 5121}],
             "error": {"type": "TypeError"}}
    kc = [_kc(52, "exact", 5121, 5121) for _ in range(3)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["agree", "not built", "not built"]
    # (an unknown model of kerascount's at the line counts among those before)
    kc = [_kc(52, "unknown", None, None), _kc(52, "exact", 5121, 5121)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["not built"]
    # a run that ended: every model of kerascount's there is compared with those Keras built
    del truth["error"]
    kc = [_kc(52, "exact", 5121, 5121) for _ in range(2)]
    assert [r["result"] for r in corpus_truth.compare(kc, truth)] == ["agree", "agree"]
