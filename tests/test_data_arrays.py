"""Array shapes from NumPy makers, scikit-learn's bundled data sets and train_test_split, and models
built by the data given to fit/predict (the NumPy and fit cases also have truth in fixtures/data/).

scikit-learn is not installed with the test tools: its numbers here are the ones its documentation
gives (iris 150 x 4, digits 1797 x 64 and its `images` 1797 x 8 x 8, wine 178 x 13, breast_cancer 569 x 30, diabetes 442 x 10) and
its split rule (test = ceil(test_size * n), train = n - test; train_size: floor(train_size * n)).
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from test_interpreter2 import spelled_total

HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"


def _units(body: str):
    """The units of the Dense layers in the file's one model, as kerascount computes them."""
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    (model,) = report.models
    return [row.output_shape[-1] for row in model.rows if row.layer.type == "Dense"]


@pytest.mark.parametrize("loader,rows,features,classes", [
    ("load_iris", 150, 4, 3), ("load_digits", 1797, 64, 10), ("load_wine", 178, 13, 3),
    ("load_breast_cancer", 569, 30, 2)])
def test_bundled_data_sets(loader, rows, features, classes):
    body = (f"from sklearn.datasets import {loader}\nX, y = {loader}(return_X_y=True)\nd = {loader}()\n"
            "Y = keras.utils.to_categorical(y)\n"
            "m = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(X.shape[0]), layers.Dense(Y.shape[1]),"
            " layers.Dense(d.data.shape[1] + d.target.shape[0])])\n")
    assert _units(body) == [rows, classes, features + rows]


def test_digits_images_are_8x8_pictures():
    # load_digits().images holds the same pixels as .data, as 1797 pictures of 8 x 8 (scikit-learn's documentation)
    body = ("from sklearn.datasets import load_digits\nd = load_digits()\nimgs = d.images / 16.0\n"
            "flat = imgs.reshape((imgs.shape[0], -1))\n"
            "m = keras.Sequential([keras.Input((imgs.shape[1],)), layers.Dense(imgs.shape[0]), layers.Dense(imgs.shape[2]),"
            " layers.Dense(flat.shape[1])])\n")
    assert _units(body) == [1797, 8, 64]
    # the other bundled data sets are tables: they have no `images`
    iris = body.replace("load_digits", "load_iris")
    assert analyze_source(HEAD + iris, "t.py").models[0].status == "unknown"


@pytest.mark.parametrize("args,train,test", [
    ("", 112, 38), ("test_size=0.2", 120, 30), ("test_size=0.33", 100, 50), ("test_size=45", 105, 45),
    ("train_size=0.7", 105, 45), ("train_size=0.5, test_size=0.2", 75, 30)])
def test_train_test_split_sizes(args, train, test):
    body = ("from sklearn.datasets import load_iris\nfrom sklearn.model_selection import train_test_split\n"
            "X, y = load_iris(return_X_y=True)\n"
            f"a, b, c, d = train_test_split(X, y{', ' + args if args else ''})\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(a.shape[0]), layers.Dense(b.shape[0]),"
            " layers.Dense(c.shape[0]), layers.Dense(d.shape[0])])\n")
    assert _units(body) == [train, test, train, test]


def test_split_of_unknown_data_keeps_the_features():
    body = ("from sklearn.model_selection import train_test_split\nfrom somewhere import load\n"
            "X = np.zeros((load(), 7))\nXtr, Xte = train_test_split(X, test_size=0.1)\n"
            "m = keras.Sequential([keras.Input(Xtr.shape[1:]), layers.Dense(Xte.shape[1])])\n")
    assert _units(body) == [7]


def test_split_with_labels_not_known_keeps_the_known_array():
    # Labels from code the analysis does not see: their parts are unknown, the features keep their width
    # (scikit-learn splits every array along its first axis only), so fit() builds the model on them.
    body = ("from sklearn.model_selection import train_test_split\nfrom somewhere import labels\n"
            "X = np.zeros((50, 7))\nXtr, Xte, ytr, yte = train_test_split(X, labels(), test_size=0.2)\n"
            "m = keras.Sequential([layers.Dense(3), layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(Xtr, ytr)\n")
    report = analyze_source(HEAD + body, "t.py")
    (model,) = report.models
    assert model.status == "exact" and model.total == spelled_total(7, "layers.Dense(3), layers.Dense(1)")
    (call,) = model.model.data_calls
    assert call.x == (None, 7) and call.y is None  # sample counts not known: the labels' may differ
    unsplit = body.replace("train_test_split(X, labels(), test_size=0.2)", "labels(), labels(), labels(), labels()")
    assert analyze_source(HEAD + unsplit, "t.py").models[0].status == "unknown"


def test_elementwise_numpy_functions_keep_the_shape():
    body = ("x = np.arange(60).reshape((3, 20)) / 10.0\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(np.sin(x).shape[1]), layers.Dense(np.exp(x).shape[0]),"
            " layers.Dense(np.abs(np.log1p(x)).shape[1])])\n")
    assert _units(body) == [20, 3, 20]
    # of data whose shape is not known: not known either
    unseen = "from somewhere import load\n" + body.replace("np.sin(x)", "np.sin(load())")
    assert analyze_source(HEAD + unseen, "t.py").models[0].status != "exact"


def test_numpy_array_operations():
    body = ("a = np.random.rand(6, 5, 4)\nb = np.ones((6, 5, 4))\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(a.T.shape[0]),"
            " layers.Dense(np.transpose(a, (1, 0, 2)).shape[0]), layers.Dense(np.squeeze(a[:, :1], 1).shape[1]),"
            " layers.Dense(np.vstack([a, b]).shape[0]), layers.Dense(np.hstack([a, b]).shape[1]),"
            " layers.Dense(np.argmax(a, axis=-1).shape[-1]), layers.Dense(np.zeros_like(a).shape[2] * 10),"
            " layers.Dense(np.random.randint(0, 5, size=(7, 2)).shape[0])])\n")
    assert _units(body) == [4, 5, 4, 12, 10, 5, 40, 7]


def test_ragged_literal_is_not_an_array_shape():
    body = "x = np.array([[1, 2], [3]], dtype=object)\nm = keras.Sequential([keras.Input((2,)), layers.Dense(x.shape[0])])\n"
    report = analyze_source(HEAD + body, "t.py")
    assert report.models[0].status != "exact"


def test_labels_are_not_checked_against_an_output_built_for_other_data():
    """A Sequential first built by `predict` on one sample of length 1, then fitted on sequences of 40:
    Keras 3 runs its layers on the new data (with a warning), so the labels of length 40 fit; the output
    the summary shows, (1, 1, 27), is not the one `fit` sees (a real Shakespeare-generator notebook)."""
    source = (
        "import numpy as np\nfrom keras.models import Sequential\n"
        "from keras.layers import Embedding, LSTM, TimeDistributed, Dense\n"
        "x = np.zeros((500, 40))\ny = np.zeros((500, 40, 1))\n"
        "model = Sequential()\nmodel.add(Embedding(27, 8))\nmodel.add(LSTM(16, return_sequences=True))\n"
        "model.add(TimeDistributed(Dense(27, activation='softmax')))\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n"
        "p = model.predict(np.array([3])[None, :])\n"
        "model.fit(x, y, batch_size=128, epochs=1)\n"
    )
    codes = [d.code for d in analyze_source(source, "m.py").diagnostics]
    assert "KC702" not in codes and "KC701" not in codes, codes
    fitted_first = source.replace("p = model.predict(np.array([3])[None, :])\n", "")
    wrong = fitted_first.replace("np.zeros((500, 40, 1))", "np.zeros((500, 40, 27, 2))")
    assert "KC702" in [d.code for d in analyze_source(wrong, "m.py").diagnostics]  # the check still runs


def test_a_cut_at_an_unknown_point_keeps_the_other_axes():
    """`x[:pivot]`, `x[pivot:]`, `x[:, :k]` with bounds the analysis cannot compute: the cut axis is a
    symbol named by the text that reads it, the other axes keep their sizes."""
    body = ("from somewhere import fraction, width\nx = np.zeros((100, 6, 3))\npivot = int(len(x) * fraction())\n"
            "head, tail, cols = x[:pivot], x[pivot::2], x[:, :width()]\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(head.shape[1]), layers.Dense(tail.shape[2]),"
            " layers.Dense(cols.shape[2]), layers.Dense(cols.shape[0]), layers.Dense(tail.shape[0])])\n")
    units = _units(body)
    assert units[:4] == [6, 3, 3, 100]
    assert str(units[4]) == "tail.shape[0]"


@pytest.mark.parametrize("cut", ["x[:2.5]", "x[:, 'a':]", "x[::0]"])
def test_a_cut_numpy_rejects_is_not_followed(cut):
    """A bound known not to be an integer (NumPy raises TypeError), or a step of 0 (ValueError)."""
    body = f"x = np.zeros((100, 6))\ny = {cut}\nm = keras.Sequential([keras.Input((4,)), layers.Dense(y.shape[-1])])\n"
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    assert report.models[0].status == "unknown"


def test_arrays_made_from_symbolic_sizes_have_symbolic_shapes():
    """`np.zeros((len(lines), len(header) - 1))` of a file read at run time: each size is the symbol or
    expression it was made from; a known size that is not an integer (NumPy raises) stays unknown."""
    body = ("from somewhere import read\nlines = read()\nheader = read()\n"
            "a = np.zeros((len(lines), len(header) - 1))\nb = np.random.rand(len(lines), 3, len(header))\n"
            "c = np.random.normal(0, 1, size=[4, len(header) * 2])\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(a.shape[1]), layers.Dense(len(a)),"
            " layers.Dense(b.shape[2] + b.shape[1]), layers.Dense(c.shape[-1])])\n")
    assert [str(u) for u in _units(body)] == ["len(header) - 1", "len(lines)", "len(header) + 3", "2*len(header)"]
    body = "from somewhere import n\nx = np.zeros((n(), 2.5))\nm = keras.Sequential([keras.Input((4,)), layers.Dense(x.shape[0])])\n"
    assert analyze_source(HEAD + body, "t.py").models[0].status == "unknown"


def test_symbolic_sizes_of_data_raise_no_finding_against_a_model():
    """Labels of a width only known at run time, given to a model of 10 outputs: no mismatch is reported
    (the width may be 10); a model built by `fit` on that data gets symbolic sizes."""
    source = HEAD + (
        "from somewhere import read\nclasses, rows = read(), read()\n"
        "x = np.zeros((len(rows), len(classes) + 4))\ny = np.zeros((len(rows), len(classes)))\n"
        "model = keras.Sequential([keras.Input((14,)), layers.Dense(10, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\nmodel.fit(x, y, batch_size=16)\n"
        "late = keras.Sequential([layers.Dense(10)])\nlate.compile(loss='mse', optimizer='adam')\nlate.fit(x, y)\n")
    report = analyze_source(source, "t.py")
    assert report.internal_error is None
    assert not [d for d in report.diagnostics if d.code != "KC901"]
    assert str(report.models[1].rows[0].params) == "10*len(classes) + 50"


def test_unseen_data_reshaped_to_a_spelled_out_shape():
    """`x.reshape(...)`/`np.reshape(x, ...)` of data from code the analysis does not see: the sizes asked
    for (symbols kept, -1 unknown); rows picked by `np.random.permutation(len(x))` keep the shape."""
    body = ("x = np.load('d.npy')\na = x.reshape(x.shape[0], 28, 28, 1)\nb = np.reshape(x, (-1, 5, 2))\n"
            "c = x.reshape([len(x), 7])[np.random.permutation(len(x))]\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(a.shape[2]), layers.Dense(b.shape[1] * b.shape[2]),"
            " layers.Dense(c.shape[1]), layers.Dense(a.shape[0]), layers.Dense(len(c))])\n")
    assert [str(u) for u in _units(body)] == ["28", "10", "7", "x.shape[0]", "len(x)"]


@pytest.mark.parametrize("made", [
    "x.reshape(-1, -1, 3)", "x.reshape(2.5, 4)", "x.reshape(shape)", "np.reshape(x, shape)",
    "mod.reshape(x, 5)", "x.resize(4, 4)"])
def test_unseen_data_reshaped_to_an_unknown_or_invalid_shape_is_not_followed(made):
    body = (f"from somewhere import mod, shape\nx = np.load('d.npy')\ny = {made}\n"
            "m = keras.Sequential([keras.Input(y.shape[1:]), layers.Dense(3)])\n")
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    assert report.models[0].status == "unknown"


def test_california_housing_of_scikit_learn():
    """`fetch_california_housing()` downloads its data, whose size scikit-learn documents: 20,640 x 8."""
    body = ("from sklearn.datasets import fetch_california_housing\nhousing = fetch_california_housing(data_home='d')\n"
            "X, y = fetch_california_housing(return_X_y=True)\n"
            "m = keras.Sequential([keras.Input(housing.data.shape[1:]), layers.Dense(X.shape[1]),"
            " layers.Dense(y.shape[0])])\n")
    assert _units(body) == [8, 20640]


@pytest.mark.parametrize("widths", ["2", "(1, 2)", "((1, 2),)", "[[0, 0], [2, 2], [3, 1]]", "[(1,), (2,), (3,)]"])
def test_pad_widths_broadcast_as_numpy_broadcasts_them(widths):
    np = pytest.importorskip("numpy")
    body = (f"x = np.zeros((5, 6, 7))\ny = np.pad(x, {widths}, mode='constant')\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(y.shape[0]), layers.Dense(y.shape[1]),"
            " layers.Dense(y.shape[2])])\n")
    assert tuple(_units(body)) == np.pad(np.zeros((5, 6, 7)), eval(widths)).shape  # noqa: S307 - a literal


@pytest.mark.parametrize("widths", ["[[1, 2], [3, 4]]", "(1, 2, 3)", "-1", "[[1, 2, 3]] * 3", "w"])
def test_pad_widths_numpy_rejects_or_not_known(widths):
    body = (f"from somewhere import w\nx = np.zeros((5, 6, 7))\ny = np.pad(x, {widths})\n"
            "m = keras.Sequential([keras.Input(y.shape[1:]), layers.Dense(3)])\n")
    assert analyze_source(HEAD + body, "t.py").models[0].status == "unknown"


@pytest.mark.parametrize("labels", ["y + 1", "y * 2", "y - 1", "(y + 1) // 1"])
def test_arithmetic_on_labels_changes_their_class_count(labels):
    # Keras's to_categorical counts max + 1 classes: of mnist's labels plus one that is 11 (real Keras on the
    # data set gives (60000, 11)), not the data set's 10; kerascount does not follow the values, so the width is a
    # symbol named after the call, never the data set's 10.
    body = ("(x, y), _ = keras.datasets.mnist.load_data()\n"
            f"z = keras.utils.to_categorical({labels})\n"
            "model = keras.Sequential([keras.Input((4,)), layers.Dense(z.shape[1])])\n")
    report = analyze_source(HEAD + body, "t.py")
    (model,) = report.models
    width = f"to_categorical({labels}).shape[1]"
    assert model.status == "symbolic" and str(model.rows[0].output_shape[1]) == width


@pytest.mark.parametrize("call,value", [("np.max(y)", 9), ("np.amax(y)", 9), ("y.max()", 9), ("np.min(y)", 0),
                                        ("y.astype('int64').max()", 9), ("len(np.unique(y))", 10)])
def test_extremes_of_data_set_labels(call, value):
    # fixtures/data/label_counts.py has Keras's numbers for these.
    body = ("(x, y), _ = keras.datasets.mnist.load_data()\n"
            f"model = keras.Sequential([keras.Input((4,)), layers.Dense(int({call}) + 1)])\n")
    assert _units(body) == [value + 1]


@pytest.mark.parametrize("call", ["np.max(y.astype('float32'))", "np.max(y + 1)", "np.max(y[:10])",
                                  "np.max(y, axis=0)", "np.max(np.load('y.npy'))", "np.max(x)"])
def test_extremes_of_other_arrays_are_not_known(call):
    # A float's maximum is no size (keras.Input rejects 10.0); a cut of the labels may miss the last class.
    body = ("(x, y), _ = keras.datasets.mnist.load_data()\n"
            f"model = keras.Sequential([keras.Input(({call} + 1,)), layers.Dense(3)])\n")
    report = analyze_source(HEAD + body, "t.py")
    (model,) = report.models
    assert model.status == "unknown"


def test_fit_on_data_of_unknown_shape_leaves_the_sequential_unknown_not_unbuilt():
    # Keras builds an unbuilt Sequential on the first batch fit gives it (fixtures/data/built_by_fit.py): data the
    # analysis cannot size leaves the model unknown, with why; "Keras has not built it" would be false.
    from kerascount.api import analyze_source

    src = ("import numpy as np\nimport keras\nfrom mystery import load\n"
           "x, y = load()\n"
           "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\n"
           "model.compile(optimizer='adam', loss='mse')\n"
           "model.fit(x, y, epochs=2)\n")
    report = analyze_source(src, "fit.py")
    (m,) = report.models
    assert m.status == "unknown" and m.total is None
    assert any(r.startswith("`fit()` builds the model on data whose shape is not known") for r in m.reasons)
    # without the fit, it is unbuilt
    report = analyze_source(src.replace("model.fit(x, y, epochs=2)\n", ""), "fit.py")
    assert report.models[0].status == "unbuilt"


@pytest.mark.parametrize("call", ["model.fit(x, y, epochs=2)", "model.fit(x=x, y=y)", "model.predict(x)"])
def test_fit_on_unseen_data_of_the_one_rank_the_layers_take_builds_on_symbols(call):
    # An Embedding before an LSTM takes token ids of rank 2 only: the first batch has that rank, its sizes symbols.
    # The layers are those of fixtures/data/built_by_fit_on_unseen_data.py, whose total real Keras gives.
    import json
    from pathlib import Path

    truth = json.loads((Path(__file__).parent.parent / "fixtures/data/built_by_fit_on_unseen_data.keras.json")
                       .read_text())
    src = ("import keras\nfrom mystery import load\nx, y = load()\n"
           "model = keras.Sequential([keras.layers.Embedding(50, 8), keras.layers.LSTM(6), keras.layers.Dense(1)])\n"
           f"{call}\n")
    (m,) = analyze_source(src, "fit.py").models
    assert m.status == "exact" and m.total == truth["models"][0]["total_params"]
    assert [str(d) for d in m.rows[0].output_shape] == ["batch size of x", "x.shape[1]", "8"]
    assert not m.reasons


@pytest.mark.parametrize("call", ["model.train_on_batch(x, y)", "model.fit(load()[0], y)"])
def test_unseen_data_not_named_or_not_a_first_batch(call):
    # `train_on_batch` takes x whole (its sample count is the batch), and an expression is not a name to call
    # the data by: the first stays unknown; the second names its sizes `x.shape[i]`.
    src = ("import keras\nfrom mystery import load\nx, y = load()\n"
           "model = keras.Sequential([keras.layers.Conv1D(4, 3), keras.layers.Flatten(), keras.layers.Dense(1)])\n"
           f"{call}\n")
    (m,) = analyze_source(src, "fit.py").models
    if "train_on_batch" in call:
        assert m.status == "unknown"
    else:
        assert m.status == "symbolic"
        assert [str(d) for d in m.rows[0].output_shape] == ["batch size of x", "x.shape[1] - 2", "4"]


@pytest.mark.parametrize("later", ["model.predict(np.zeros((1, 5)))", "model.evaluate(np.zeros((4, 5)), np.zeros(4))",
                                   "model.fit(np.zeros((8, 5)), np.zeros(8))"])
def test_a_sequential_built_on_data_of_unknown_shape_is_not_built_again_by_a_later_call(later):
    # The first fit builds it (Keras builds an unbuilt Sequential on the first batch it is given), on data the
    # analysis cannot size and Dense layers of any rank: unknown. A later predict/evaluate/fit on an array of a
    # known shape does not build it again (Keras keeps the first build): still unknown, never that array's batch.
    src = (HEAD + "from mystery import load\nx, y = load()\n"
           "model = keras.Sequential([layers.Dense(4), layers.Dense(1)])\n"
           "model.compile(optimizer='adam', loss='mse')\n"
           "model.fit(x, y, epochs=1)\n" + later + "\n")
    (m,) = analyze_source(src, "later.py").models
    assert m.status == "unknown" and m.total is None
    assert any("`fit()` builds the model on data whose shape is not known" in r for r in m.reasons)
    # without the first fit, the later call builds it on its own array
    (m,) = analyze_source(src.replace("model.fit(x, y, epochs=1)\n", ""), "later.py").models
    assert m.status == "exact" and m.total == spelled_total(5, "layers.Dense(4), layers.Dense(1)")


def test_a_batch_of_known_rank_and_unknown_sizes_builds_a_sequential_on_symbols():
    # np.array(pad_sequences(rows))[:, :-1] of rows the analysis does not count: rank 2, sizes not known (the slice
    # of a symbolic length is not known either). predict builds the model there
    # (fixtures/data/built_by_predict_on_rows_of_unknown_length.py), on symbols for those sizes; the later predict
    # on one row does not build it again (the batch is not 1, the length not that of the row). The layers are the
    # fixture's, whose total real Keras gives.
    import json
    from pathlib import Path

    truth = json.loads((Path(__file__).parent.parent / "fixtures/data/built_by_predict_on_rows_of_unknown_length"
                        ".keras.json").read_text())
    src = (HEAD + "from mystery import load\nids = load()\n"
           "rows = [list(r[: (i % 6) + 2]) for i, r in enumerate(ids)]\nlongest = max([len(r) for r in rows])\n"
           "grid = np.array(keras.utils.pad_sequences(rows, maxlen=longest))\nx = grid[:, :-1]\n"
           "model = keras.Sequential([layers.Embedding(30, 8), layers.LSTM(4), layers.Dense(30)])\n"
           "model.predict(x)\n"
           "model.predict(keras.utils.pad_sequences([[1, 2]], maxlen=longest - 1))\n")
    (m,) = analyze_source(src, "rows.py").models
    assert m.total == truth["models"][0]["total_params"]
    assert [str(d) for d in m.rows[0].output_shape] == ["batch size of x", "x.shape[1]", "8"]
    assert [str(d) for d in m.rows[-1].output_shape] == ["batch size of x", "30"]


def test_a_layer_keras_rejects_is_the_reason_before_a_build_on_data_of_unknown_shape():
    # Dense(batch_input_shape=...) raises in Keras 3 where it is made, before fit: that is why the model is unknown,
    # not the fit on data the analysis cannot size; and a loop that only predicts with it (not building it again)
    # does not make it "assigned in the loop" (fixtures would need Keras to get past the Dense).
    src = (HEAD + "from mystery import load\nx, y = load()\n"
           "model = keras.Sequential()\nmodel.add(layers.Dense(10, batch_input_shape=(None, 2)))\n"
           "model.add(layers.Dense(2))\nmodel.compile(optimizer='sgd', loss='mse')\nmodel.fit(x, y)\n"
           "grid = np.zeros((1, 2))\nfor i in range(60):\n    for j in range(60):\n"
           "        grid[0, 0] = i\n        model.predict(grid)\n")
    (m,) = analyze_source(src, "rejected.py").models
    assert m.status == "unknown"
    assert m.reasons == ("Keras rejects it: Dense does not accept the keyword argument batch_input_shape "
                         "(Keras: Unrecognized keyword arguments)",)


def test_fit_of_a_subclassed_model_on_data_of_unknown_shape_leaves_a_held_sequential_unknown():
    # Keras builds a Sequential a subclassed model holds when fit runs the model's call on the first batch
    # (fixtures/data/held_augmenter_built_by_fit.py, where real Keras reports it built after fit): on data the
    # analysis cannot size, that Sequential is unknown, with why, not "unbuilt" (which would be false).
    from kerascount.api import analyze_source

    src = ("import keras\nfrom keras import layers\nfrom mystery import load\n"
           "class Wrap(keras.Model):\n"
           "    def __init__(self, inner):\n"
           "        super().__init__()\n"
           "        self.inner = inner\n"
           "        self.out = layers.Dense(2)\n"
           "    def call(self, x):\n"
           "        return self.out(self.inner(x))\n"
           "inner = keras.Sequential([layers.Dense(5), layers.Dense(3)])\n"
           "outer = Wrap(inner)\n"
           "outer.compile(optimizer='adam', loss='mse')\n"
           "x, y = load()\n"
           "outer.fit(x, y, epochs=1)\n")
    report = analyze_source(src, "held.py")
    inner = next(m for m in report.models if m.model.name == "inner")
    assert inner.status == "unknown" and inner.total is None
    assert any("of the model that holds it may build it" in r for r in inner.reasons)
    # without the fit, Keras has built neither
    report = analyze_source(src.replace("outer.fit(x, y, epochs=1)\n", ""), "held.py")
    assert next(m for m in report.models if m.model.name == "inner").status == "unbuilt"


def test_set_weights_on_a_layer_of_an_unbuilt_sequential_makes_the_model_unknown():
    # Keras raises ValueError there (the layer has no weights yet: fixtures/data/set_weights_before_build.py,
    # whose truth shows the line after it never ran), so outside a `try` the script stops and the model fit
    # would build later is never built: unknown, saying why, not the numbers of the Keras 2 reading.
    from kerascount.api import analyze_source

    src = ("import numpy as np\nimport keras\nfrom keras import layers\n"
           "vectors = np.zeros((500, 16))\n"
           "model = keras.Sequential()\n"
           "model.add(layers.Embedding(500, 16, input_length=30))\n"
           "model.add(layers.Flatten())\n"
           "model.add(layers.Dense(1, activation='sigmoid'))\n"
           "model.layers[0].set_weights([vectors])\n"
           "model.layers[0].trainable = False\n"
           "model.compile(optimizer='rmsprop', loss='binary_crossentropy')\n"
           "model.fit(np.zeros((40, 30)), np.zeros(40), epochs=1)\n")
    (m,) = analyze_source(src, "glove.py").models
    assert m.status == "unknown" and m.total is None
    assert any(r.startswith("Keras rejects it: `model.layers[0].set_weights([vectors])`") for r in m.reasons)
    # with an input, Keras built the layers first: set_weights works and the embedding is frozen (real Keras
    # 3.15 on this model: 8,481 params, 481 trainable)
    built = src.replace("model = keras.Sequential()\n", "model = keras.Sequential([keras.Input((30,))])\n")
    (m,) = analyze_source(built, "glove.py").models
    assert (m.status, m.total, m.trainable) == ("exact", 8000 + 481, 481)


_LIST_DATA = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "texts = np.random.randint(1, 1000, size=(4, 10))\n"
              "labels = [1, 0, 1, 0]\n"
              "model = keras.Sequential([layers.Embedding(1000, 32), layers.LSTM(64), layers.Dense(1)])\n"
              "model.compile(optimizer='adam', loss='mse')\n"
              "{call}\n")


@pytest.mark.parametrize("call, argument", [
    ("model.fit(texts, labels, epochs=5)", "the labels (`y`)"),
    ("model.fit(texts, y=labels, validation_split=0.5)", "the labels (`y`)"),
    ("model.fit(texts, np.array(labels), sample_weight=[1.0, 1.0, 0.5, 0.5])", "the sample weights"),
    ("model.evaluate(texts, labels)", "the labels (`y`)"),
    ("model.predict([[1, 2, 3], [4, 5, 6]])", "the data (`x`)"),
    ("model.predict(['a first text', 'another one'])", "the data (`x`)"),
])
def test_python_lists_given_to_fit_raise_in_keras_3_and_build_nothing(call, argument):
    # Keras 3 reads a list as a structure of inputs whose leaves must be arrays: a Python number or string there
    # makes get_data_adapter raise ValueError ("Unrecognized data type") before the first batch
    # (fixtures/data/fit_on_python_lists.py, whose truth shows the model the guarded fit was given stays
    # unbuilt). At top level the script stops there: the model fit would have built is unknown, saying why,
    # not the numbers of a batch of 4 that Keras never builds.
    (m,) = analyze_source(_LIST_DATA.format(call=call), "lists.py").models
    assert m.status == "unknown" and m.total is None
    assert m.reasons[0].startswith(f"Keras rejects it: `{call.split('.')[1].split('(')[0]}()` is given {argument}")


def test_arrays_given_to_fit_in_a_list_or_a_dict_are_not_rejected_for_it():
    (m,) = analyze_source(_LIST_DATA.format(call="model.fit(texts, np.array(labels), epochs=5)"), "lists.py").models
    assert (m.status, m.total) == ("exact", 1000 * 32 + 4 * 64 * (32 + 64 + 1) + 65)
    # a list or dict of arrays is a structure Keras 3 takes (what it makes of it for a Sequential is another matter)
    for call in ("model.fit([texts], np.array(labels))", "model.fit({'x': texts}, [np.array(labels)])"):
        (m,) = analyze_source(_LIST_DATA.format(call=call), "lists.py").models
        assert not any(r.startswith("Keras rejects it") for r in m.reasons)


def test_python_lists_given_to_a_built_model_leave_its_numbers():
    src = _LIST_DATA.format(call="model.fit(texts, labels)").replace(
        "keras.Sequential([", "keras.Sequential([keras.Input((10,)), ")
    (m,) = analyze_source(src, "lists.py").models
    assert (m.status, m.total) == ("exact", 1000 * 32 + 4 * 64 * (32 + 64 + 1) + 65)


_UNSEEN_LABELS = ("import io, sys\nimport numpy as np\nimport keras\nfrom keras.utils import to_categorical\n"
                  "y = np.load(sys.argv[1]).reshape(-1, 1)\n{made}\n"
                  "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(t.shape[1])])\n")


def test_one_hot_labels_not_known_are_as_wide_as_a_symbol_named_after_the_call():
    (model,) = analyze_source(_UNSEEN_LABELS.format(made="t = to_categorical(y)")).models
    assert model.status == "symbolic" and str(model.total) == "5*to_categorical(y).shape[1]"


@pytest.mark.parametrize("made", [
    # a count that may be None where the code runs (the width is then the labels'): not named after the argument
    "n = None\nfor i in range(len(y)):\n    n = i\nt = to_categorical(y, n)",
    "t = to_categorical(y, num_classes=None)",
])
def test_one_hot_labels_with_a_count_not_known_stay_unknown(made):
    (model,) = analyze_source(_UNSEEN_LABELS.format(made=made)).models
    assert model.status == "unknown" and "the number of classes of `to_categorical` is not known" in model.reasons[0]


@pytest.mark.parametrize("call, size", [
    ("np.arange(start=16, stop=32)", 16), ("np.arange(16, 32)", 16), ("np.arange(5)", 5), ("np.arange(stop=7)", 7),
    ("np.arange(2, 11, 3)", 3), ("np.arange(0, 10, step=4)", 3), ("np.arange(10, step=3)", 4),
    ("np.arange(1.5, 4)", 3), ("np.arange(3, stop=9)", 6),
    ("np.arange(start=7)", None), ("np.arange(3, start=1)", None),  # NumPy raises TypeError for these
])
def test_arange_bounds_by_position_and_keyword(call, size):
    # (checked with NumPy 2: `start=` and `stop=` keywords; an image test's np.arange(start=16, stop=32) gave 32 items)
    src = f"import numpy as np\nimport keras\nx = {call}\nm = keras.Sequential([keras.Input((x.shape[0],)), keras.layers.Dense(1)])\n"
    (model,) = analyze_source(src, "arange.py").models
    assert model.total == (None if size is None else size + 1)


def test_a_layer_keras_rejects_makes_a_sequential_without_input_shape_unknown_not_unbuilt():
    # Keras 3.15 raises where the layer is made (Dense(3, foo=1): "Unrecognized keyword arguments passed to Dense";
    # Conv2D(filter=2, ...): "missing 1 required positional argument: 'filters'"), so the model is never created:
    # unknown with that reason, not "unbuilt: give the first layer input_shape=" (advice that would not help).
    src = ("import keras\nfrom keras import layers\n"
           "a = keras.Sequential([layers.Dense(3, foo=1)])\n"
           "b = keras.Sequential([layers.Conv2D(filter=2, kernel_size=3, padding='same')])\n"
           "c = keras.Sequential([layers.Dense(3)])\n")
    a, b, c = analyze_source(src, "rejected_unbuilt.py").models
    assert a.status == b.status == "unknown"
    assert a.reasons == ("Keras rejects it: Dense does not accept the keyword argument foo "
                         "(Keras: Unrecognized keyword arguments)",)
    assert b.reasons[0].startswith("Keras rejects it: Conv2D")
    assert c.status == "unbuilt"


_PICK = ("data = np.ones((12, 8))\ncube = np.ones((5, 7, 6))\nX = data[:, [0, 2, 5]]\nY = cube[:, 1:4, [0, -1]]\n"
         "Z = cube[::2, [6, 0, 1, 1]]\nmask = data[:, [True, False, True, False, False, False, True, True]]\n")


@pytest.mark.parametrize("width,units", [("X.shape[1]", 3), ("Y.shape[1] * Y.shape[2]", 6),
                                         ("Z.shape[1] * Z.shape[2]", 24), ("mask.shape[1]", None)])
def test_a_list_of_indices_picks_columns(width, units):
    # NumPy (and real Keras, tools/keras_truth.py: models of 16, 14 and 75 parameters on X, Y and Z): one list of
    # integer indices among slices keeps its axis, with as many items as the list; a list of booleans is a mask
    # (here of 4 columns), not followed.
    report = analyze_source(HEAD + _PICK + f"m = keras.Sequential([keras.Input((3,)), layers.Dense({width})])\n", "t.py")
    (model,) = report.models
    if units is None:
        assert model.status == "unknown" and model.total is None
    else:
        assert model.status == "exact" and model.rows[-1].output_shape == (None, units)


@pytest.mark.parametrize("build", ["up_model(down_result)", "up_model.fit(batches, epochs=1)"])
def test_a_sequential_built_on_something_not_known_leaves_the_next_input_names_unknown(build):
    # The pix2pix tutorial tries its blocks on an image first: the second block is built on the first one's eager
    # result (or fit on batches the analysis cannot size). Keras makes an InputLayer there when it is one tensor
    # (none when it is not): real Keras 3.15 names the generator's input `input_layer_2` after the call; never
    # `input_layer_1`, which the one build the analysis sees would give.
    src = (HEAD + "from mystery import batches\n"
           "down_model = keras.Sequential([layers.Conv2D(3, 4, strides=2, padding='same')])\n"
           "down_result = down_model(np.zeros((1, 16, 16, 3), 'float32'))\n"
           "up_model = keras.Sequential([layers.Conv2DTranspose(3, 4, strides=2, padding='same')])\n"
           "up_model.compile(optimizer='adam', loss='mse')\n" + build + "\n"
           "inputs = layers.Input(shape=[16, 16, 3])\ngenerator = keras.Model(inputs, layers.Conv2D(2, 3)(inputs))\n")
    models = {m.model.name: m for m in analyze_source(src, "blocks.py").models}
    generator = models["generator"]
    assert generator.status == "exact" and [row.layer.name for row in generator.rows] == ["?", "conv2d_1"]


def test_a_number_from_an_array_s_values_keeps_the_shape_of_what_it_scales_and_is_not_a_size():
    # (checked against real Keras: fixtures/data/normalized_by_array_numbers.py) `x.max()` over all axes is one
    # number: NumPy broadcasts it, so the scaled data keeps x's shape; as a size it is still not known (or a symbol:
    # `int(x.max())`), never an error
    body = ("x = np.random.rand(50, 6)\ns = (x - x.min()) / (x.max() - x.min())\nz = (x - np.mean(x)) / x.std() * 2\n"
            "m = keras.Sequential([keras.Input((s.shape[1],)), layers.Dense(z.shape[0])])\n")
    assert _units(body) == [50]
    for size in ("x.max()", "int(x.max()) + 1", "x.sum() * 2"):
        report = analyze_source(HEAD + "x = np.random.rand(50, 6)\n"
                                f"m = keras.Sequential([keras.Input((6,)), layers.Dense({size})])\n", "t.py")
        assert report.models[0].status in ("unknown", "symbolic")
        assert not [d for d in report.diagnostics if d.severity == "error"]


_NEW_AXIS_KEYS = ("[None, :3]", "[np.newaxis, :3, :]", "[:, None, 2]", "[1, None, ..., None]", "[None, ..., 1:4]",
                  "[-2:, np.newaxis, 0, ::2]", "[None, None, 0]", "[..., None, 3]", "[None, 4:, :, 1]")


@pytest.mark.parametrize("key", _NEW_AXIS_KEYS)
def test_new_axes_among_slices_and_integers_index_as_numpy_does(key):
    """NumPy's basic indexing of an array of known shape with new axes among slices, integers and `...`
    (`table[np.newaxis, :n, :]`, TensorFlow's transformer tutorial): the shape NumPy itself gives."""
    import numpy as np

    want = eval(f"np.zeros((5, 6, 7)){key}", {"np": np}).shape
    body = f"a = np.zeros((5, 6, 7))\nb = a{key}\nm = keras.Sequential([keras.Input(b.shape), layers.Dense(2)])\n"
    report = analyze_source(HEAD + body, "t.py")
    (model,) = report.models
    assert model.status == "exact" and model.inputs == ((None, *want),), key


def test_new_axes_with_an_index_out_of_range_are_unknown():
    """NumPy raises IndexError for an integer beyond the axis: the array is not known, never a shape."""
    body = "a = np.zeros((5, 6))\nb = a[None, 7]\nm = keras.Sequential([keras.Input(b.shape), layers.Dense(2)])\n"
    assert analyze_source(HEAD + body, "t.py").models[0].status == "unknown"


@pytest.mark.parametrize("call", ["np.power(10000, (2 * (i // 2)) / np.float32(16))", "np.maximum(i, 3)",
                                  "np.true_divide(np.arange(5)[:, np.newaxis], np.power(2.0, i))",
                                  "np.multiply(i, np.float32(0.5))", "np.arctan2(i, np.ones((4, 1)))"])
def test_numpy_two_operand_functions_broadcast_as_numpy(call):
    """np.power, np.maximum, np.true_divide... of arrays (and of np.float32 numbers, whose values are not kept):
    the broadcast shape NumPy gives (the tutorial's `get_angles`)."""
    import numpy as np

    i = np.arange(16)[np.newaxis, :]
    want = eval(call, {"np": np, "i": i}).shape
    body = (f"i = np.arange(16)[np.newaxis, :]\nb = {call}\n"
            "m = keras.Sequential([keras.Input(b.shape), layers.Dense(2)])\n")
    (model,) = analyze_source(HEAD + body, "t.py").models
    assert model.status == "exact" and model.inputs == ((None, *want),), call


def test_a_numpy_float32_is_a_number_whose_value_is_not_kept():
    """np.float32(3) is a number rounded to float32, whose arithmetic NumPy does in float32: not a size here (a
    symbol named by its text at most)."""
    body = "n = np.float32(3)\nm = keras.Sequential([keras.Input((4,)), layers.Dense(int(n * 2))])\n"
    model = analyze_source(HEAD + body, "t.py").models[0]
    assert model.status in ("unknown", "symbolic") and not isinstance(model.total, int)


def test_numpy_power_of_known_values_keeps_them():
    """np.power(2, np.arange(3)) and np.multiply(...) of arrays whose values the source fixes keep them, as the
    operators do (`2 ** np.arange(3)`): Keras 3.15 (checked) builds this model with 4,480 parameters."""
    body = ("widths = np.power(2, np.arange(3)) * 16\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(int(widths[2])),"
            " layers.Dense(int(np.multiply(widths, 2)[1]))])\n")
    (model,) = analyze_source(HEAD + body, "t.py").models
    assert model.status == "exact" and model.total == 4480


@pytest.mark.parametrize("n", [20, 200])
@pytest.mark.parametrize("change", ["idx[0] = 500", "idx += 1", "idx[idx > 3] = 500"])
def test_row_numbers_changed_are_no_row_numbers(change, n):
    # NumPy: np.arange(n) holds row numbers of an array of n rows, and a shuffle keeps them (fixture
    # data/shuffled_row_numbers.py); one changed (500, 1 to n) makes x[idx] raise IndexError: no rows are known
    body = (f"x = np.random.rand({n}, 6)\nidx = np.arange(len(x))\nnp.random.shuffle(idx)\n{change}\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(x[idx].shape[0])])\n")
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    (model,) = report.models
    assert model.total is None, model.total


@pytest.mark.parametrize("batch", [
    "s.reshape(-1, *s.shape)", "np.random.rand(1, *s.shape)", "np.array(s).reshape(-1, *s.shape) / 255",
    "np.random.normal(0, 1, (1, *s.shape))", "np.stack([*zip(*pairs)][0])"])
def test_a_starred_argument_whose_items_are_not_known_leaves_the_result_unknown(batch):
    """`x.reshape(-1, *x.shape)` (a DQN agent's one-observation batch) on data the analysis does not see: the items
    of `*x.shape` are not known, so a builtin, a method or a NumPy function gets more arguments than the analysis
    has; it used to run without them (a reshape to (-1,), a (1,) array) and KC701 said the data did not fit."""
    body = (f"from somewhere import load, pairs\ns = np.asarray(load())\nb = {batch}\n"
            "m = keras.Sequential([keras.Input((6, 6, 3)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(4)])\n"
            "m.compile(loss='mse', optimizer='adam')\nq = m.predict(b)\n")
    report = analyze_source(HEAD + body, "t.py")
    assert report.internal_error is None
    assert report.models[0].status == "exact"
    assert not [d.code for d in report.diagnostics if d.code.startswith("KC7")], report.diagnostics


def test_a_starred_argument_of_known_items_is_still_followed():
    body = ("s = np.zeros((6, 6, 3))\nb = s.reshape(-1, *s.shape)\nc = np.random.rand(1, *s.shape)\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(b.shape[1] * b.shape[3]),"
            " layers.Dense(c.shape[2])])\n")
    assert [str(u) for u in _units(body)] == ["18", "6"]


@pytest.mark.parametrize("call", ["np.mean(x, axis=(0, 1, 2))", "x.std(axis=(0, 2), keepdims=True)",
                                  "np.max(x, axis=(1, -1))", "np.sum(x, axis=(-1,))"])
def test_reductions_over_a_tuple_of_axes(call):
    """Per-channel normalisation (`mean = np.mean(x, axis=(0, 1, 2))`): the axes of the tuple go (or stay, of size
    1, with keepdims), as NumPy itself computes here."""
    np = pytest.importorskip("numpy")
    expected = eval(call, {"np": np, "x": np.zeros((6, 5, 4, 3))}).shape
    body = (f"x = np.zeros((6, 5, 4, 3))\nr = {call}\n"
            "m = keras.Sequential([keras.Input((2,))] + [layers.Dense(n) for n in r.shape])\n")
    assert _units(body) == list(expected)


def test_reduction_over_every_axis_is_one_number():
    # `(x - np.mean(x, axis=(0, 1, 2, 3))) / np.std(x, axis=(0, 1, 2, 3))` keeps the images' shape
    body = ("x = np.zeros((6, 5, 4, 3)).astype('float32')\nmean = np.mean(x, axis=(0, 1, 2, 3))\n"
            "x = (x - mean) / (np.std(x, axis=(0, 1, 2, 3)) + 1e-7)\n"
            "m = keras.Sequential([keras.Input((2,)), layers.Dense(x.shape[1]), layers.Dense(x.shape[3])])\n")
    assert _units(body) == [5, 3]
    twice = body.replace("mean = np.mean(x, axis=(0, 1, 2, 3))", "mean = np.mean(x, axis=(0, 0))")
    assert twice != body
    assert analyze_source(HEAD + twice, "t.py").models[0].status == "unknown"  # NumPy: duplicate value in 'axis'


@pytest.mark.parametrize("join", ["np.hstack([np.expand_dims(x[:, 0], axis=1), x[:, 0:-1]])",
                                  "np.concatenate([x[:, 1:], x[:, -1:]], axis=1)",
                                  "np.stack([x[:, 0], x[:, 1]], axis=1)", "np.vstack([x[:2], x[3:]])"])
def test_joins_of_arrays_whose_rows_are_not_known(join):
    """RCNN's shifted copies of padded sequences (`np.hstack([first_column, x[:, 0:-1]])`): the rows of the data are
    not known, but NumPy joins the arrays only where they agree, so the result has the columns NumPy gives (here
    checked on 7 rows) and rows the analysis does not know."""
    np = pytest.importorskip("numpy")
    expected = eval(join, {"np": np, "x": np.zeros((7, 400))}).shape  # noqa: S307
    body = ("(x, _), _ = keras.datasets.imdb.load_data(num_words=500)\nx = keras.utils.pad_sequences(x, maxlen=400)\n"
            f"j = {join}\nm = keras.Sequential([keras.Input((2,)), layers.Dense(j.shape[1])])\n")
    assert _units(body) == [expected[1]]
    if "vstack" not in join:
        assert analyze_source(HEAD + body.replace("j.shape[1]", "j.shape[0]"), "t.py").models[0].status == "symbolic"


def test_batch_symbol_of_several_inputs_names_the_first():
    """A subclassed model built by `fit([a, b], y)` on data whose rows are not known: the batch size is a symbol named
    after the first input (Keras takes as many samples of each), not after the list."""
    body = ("(x, y), _ = keras.datasets.imdb.load_data(num_words=500)\nx = keras.utils.pad_sequences(x, maxlen=40)\n"
            "class Two(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
            "        self.e = layers.Embedding(500, 4)\n        self.d = layers.Dense(1)\n"
            "    def call(self, inputs):\n        return self.d(layers.concatenate([self.e(inputs[0]), self.e(inputs[1])]))\n"
            "m = Two()\nm.compile('adam', 'mse')\nm.fit([x, x[:, ::-1]], y)\n")
    (model,) = analyze_source(HEAD + body, "t.py").models
    assert isinstance(model.total, int)
    assert [s.name for s in model.symbols] == ["min(32, len(x))"]
