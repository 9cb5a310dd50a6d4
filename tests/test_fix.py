"""Fixes: ``kerascount lint --fix``, ``--diff`` and ``--unsafe-fixes``.

The rewritten text is checked exactly (comments and formatting kept), running the fixes again
changes nothing, and, with real Keras, a fixed Keras 1 file builds the models of its Keras 3 rewrite.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kerascount.api import analyze_source
from kerascount.config import Config
from kerascount.fix import Fixed, fix_source

ROOT = Path(__file__).resolve().parent.parent


def fix(source: str, unsafe: bool = False) -> Fixed:
    return fix_source(textwrap.dedent(source), "m.py", Config(), unsafe)


def fixed_text(source: str, unsafe: bool = False) -> str:
    result = fix(source, unsafe)
    assert fix_source(result.text, "m.py", Config(), unsafe).applied == 0  # idempotent
    return result.text


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


# -- the rewritten text ----------------------------------------------------------------------


def test_keras1_calls_keep_comments_and_layout():
    source = """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, Dropout

        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode="same", input_shape=(32, 32, 3)))  # first block
        # a strided block
        model.add(Convolution2D(
            64, 3, 3,
            subsample=(2, 2),  # halves the image
            init="he_normal",
        ))
        model.add(Dropout(p=0.25))
        """
    assert fixed_text(source) == textwrap.dedent("""\
        from keras.models import Sequential
        from keras.layers import Convolution2D, Dropout

        model = Sequential()
        model.add(Convolution2D(32, (3, 3), padding="same", input_shape=(32, 32, 3)))  # first block
        # a strided block
        model.add(Convolution2D(
            64, (3, 3),
            strides=(2, 2),  # halves the image
            kernel_initializer="he_normal",
        ))
        model.add(Dropout(rate=0.25))
        """)


def test_keras2_api_outside_layers_is_renamed_where_exact():
    source = """\
        from keras.models import Sequential
        from keras.layers.core import Dense, Dropout  # Keras 2 layout
        from keras.utils.np_utils import to_categorical
        from keras.optimizers import SGD, Adam as A

        model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
        model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01, momentum=0.9))
        model.compile(loss="binary_crossentropy", optimizer=A(
            lr=1e-3,  # small
        ))
        model.fit_generator(batches, steps_per_epoch=100, nb_epoch=5)
        model.fit(x, y, nb_epoch=3, batch_size=8)
        model.evaluate_generator(batches, steps=10)
        model.predict_generator(batches, steps=10, verbose=1)
        """
    assert fixed_text(source) == textwrap.dedent("""\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout  # Keras 2 layout
        from keras.utils import to_categorical
        from keras.optimizers import SGD, Adam as A

        model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
        model.compile(loss="binary_crossentropy", optimizer=SGD(learning_rate=0.01, momentum=0.9))
        model.compile(loss="binary_crossentropy", optimizer=A(
            learning_rate=1e-3,  # small
        ))
        model.fit(batches, steps_per_epoch=100, epochs=5)
        model.fit(x, y, epochs=3, batch_size=8)
        model.evaluate(batches, steps=10, verbose=0)
        model.predict(batches, steps=10, verbose=1)
        """)


def test_keras2_api_without_an_exact_rewrite_is_reported_not_fixed():
    source = """\
        from keras.models import Sequential
        from keras.layers import Dense, merge
        from keras.utils import np_utils
        from keras.optimizers import Adam

        model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
        model.compile(loss="binary_crossentropy", optimizer=Adam(decay=1e-6))
        model.fit_generator(batches, samples_per_epoch=1000, nb_epoch=5)
        model.evaluate_generator(batches, 10)
        labels = model.predict_classes(x)
        model.compile(loss="binary_crossentropy", optimizer="sgd", class_mode="binary")
        model.fit(x, y, nb_epoch=2, show_accuracy=True)
        """
    result = fix(source)
    assert result.applied == 0 and result.text == textwrap.dedent(source)
    lines = sorted(d.span.line for d in result.report.diagnostics if d.code == "KC404")
    assert lines == [2, 3, 7, 8, 9, 10, 11, 12]
    decay = next(d for d in result.report.diagnostics if d.span.line == 7)
    assert "InverseTimeDecay" in decay.message


def test_torch_optimizers_sklearn_methods_and_version_guards_are_left_alone():
    source = """\
        import keras
        import torch
        from sklearn.linear_model import LogisticRegression

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        opt = torch.optim.SGD(params, lr=0.1)
        clf = LogisticRegression().fit(x, y)
        p = clf.predict_proba(x)
        if keras.__version__.startswith("2."):  # code for both versions on purpose
            model.fit_generator(batches, steps_per_epoch=3)
        try:
            from keras.layers.core import Dense
        except ImportError:
            from keras.layers import Dense
        """
    assert not [d for d in fix(source).report.diagnostics if d.code == "KC404"]


def test_keras1_calls_through_aliases_and_tf_keras():
    source = """\
        import tensorflow as tf
        from keras.layers import Convolution2D as C2D
        from keras import layers

        model = tf.keras.Sequential([
            tf.keras.layers.Convolution2D(8, 3, 3, dim_ordering="tf", input_shape=(32, 32, 3)),
            C2D(nb_filter=4, nb_row=2, nb_col=2, dim_ordering='default'),
            layers.Flatten(),
            layers.Dense(512, "he_normal", W_regularizer=None),
        ])
        other = tf.keras.Sequential([tf.keras.Input((3, 32, 32)), layers.Convolution2D(8, 3, 3, dim_ordering='th')])
        """
    assert fixed_text(source) == textwrap.dedent("""\
        import tensorflow as tf
        from keras.layers import Convolution2D as C2D
        from keras import layers

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, (3, 3), data_format="channels_last", input_shape=(32, 32, 3)),
            C2D(filters=4, kernel_size=(2, 2)),
            layers.Flatten(),
            layers.Dense(512, kernel_initializer="he_normal", kernel_regularizer=None),
        ])
        other = tf.keras.Sequential([tf.keras.Input((3, 32, 32)), layers.Conv2D(8, (3, 3), data_format='channels_first')])
        """)


def test_keras1_input_dim_of_a_sequence_layer_keeps_the_time_axis_open():
    # Keras 1's recurrent layers and Convolution1D set input_shape=(input_length, input_dim) whenever
    # input_dim was given; Dense's input_dim stays a flat (input_dim,).
    source = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Convolution1D

        seq = Sequential([LSTM(output_dim=32, input_dim=64), Dense(output_dim=1, input_dim=32)])
        conv = Sequential([Convolution1D(nb_filter=4, filter_length=3, input_dim=6)])
        """
    assert fixed_text(source) == textwrap.dedent("""\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Convolution1D

        seq = Sequential([LSTM(units=32, input_shape=(None, 64)), Dense(units=1)])
        conv = Sequential([Convolution1D(filters=4, kernel_size=3, input_shape=(None, 6))])
        """)


def test_keras1_sequence_and_3d_arguments():
    source = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Embedding, Convolution3D

        text = Sequential([Embedding(5000, 32, input_length=100), LSTM(output_dim=70, dropout_W=0.2), Dense(1)])
        seq = Sequential([LSTM(output_dim=32, input_dim=64, input_length=10), Dense(output_dim=1, input_dim=32)])
        vol = Sequential([Convolution3D(2, 3, 3, 3, border_mode="same", input_shape=(8, 8, 8, 1))])
        """
    assert fixed_text(source) == textwrap.dedent("""\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Embedding, Convolution3D

        text = Sequential([Embedding(5000, 32), LSTM(units=70, dropout=0.2), Dense(1)])
        seq = Sequential([LSTM(units=32, input_shape=(10, 64)), Dense(units=1)])
        vol = Sequential([Convolution3D(2, (3, 3, 3), padding="same", input_shape=(8, 8, 8, 1))])
        """)


def test_ignored_input_shape_is_removed_unless_a_model_reads_it():
    source = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(16, 3, input_shape=(64, 64, 1)),
            layers.Conv2D(
                32,
                3,
                input_shape=(62, 62, 16),  # ignored by Keras
            ),
            layers.Conv2D(8, 3, input_shape=(60, 60, 32), padding="same"),  # keep me
        ])
        looped = keras.Sequential()
        for _ in range(3):
            looped.add(layers.Dense(4, input_shape=(4,)))  # read on the first pass only
        """
    assert fixed_text(source) == textwrap.dedent("""\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(16, 3, input_shape=(64, 64, 1)),
            layers.Conv2D(
                32,
                3,  # ignored by Keras
            ),
            layers.Conv2D(8, 3, padding="same"),  # keep me
        ])
        looped = keras.Sequential()
        for _ in range(3):
            looped.add(layers.Dense(4, input_shape=(4,)))  # read on the first pass only
        """)
    loop = [d for d in analyze_source(textwrap.dedent(source)).diagnostics if d.span.line == 15]
    assert loop and all(d.code == "KC401" and d.fix is None for d in loop)


def test_no_fix_without_a_keras3_equivalent():
    source = """\
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input((8,)), layers.Dense(4, weights=None, init="zero")])
        """
    (d,) = [d for d in analyze_source(textwrap.dedent(source)).diagnostics if d.code == "KC404"]
    assert "weights (no Keras 3 equivalent)" in d.message and d.fix is None
    assert fix(source).text == textwrap.dedent(source)


def test_fix_is_refused_when_the_arguments_are_not_all_in_the_call():
    source = """\
        import functools
        import keras
        from keras import layers

        Conv = functools.partial(layers.Convolution2D, border_mode="same")
        extra = {"name": "head"}
        m = keras.Sequential([keras.Input((8, 8, 1)), Conv(4, 3, 3), layers.Flatten(),
                              layers.Dense(output_dim=3, **extra)])
        """
    result = fix(source)
    assert result.text == textwrap.dedent(source)
    assert result.refused == ("7:47: KC404 the call does not name Conv2D directly",
                              "8:23: KC404 the call unpacks arguments with * or **")


def test_flatten_to_global_pooling_only_with_unsafe_fixes():
    source = """\
        import keras
        from keras import layers
        from keras.layers import Dense, Flatten

        m = keras.Sequential([keras.Input((64, 64, 64)), layers.Flatten(), layers.Dropout(0.5), layers.Dense(64)])
        x = keras.Input((320, 320, 1))
        y = layers.Conv2D(128, 2, strides=2, padding="same")(x)
        f = keras.Model(x, Dense(100)(Flatten()(y)))
        """
    (kc201, _) = [d for d in analyze_source(textwrap.dedent(source)).diagnostics if d.code == "KC201"]
    assert kc201.fix is not None and kc201.fix.applicability == "unsafe"
    assert fix(source).text == textwrap.dedent(source)
    assert fixed_text(source, unsafe=True) == textwrap.dedent("""\
        import keras
        from keras import layers
        from keras.layers import Dense, Flatten, GlobalAveragePooling2D

        m = keras.Sequential([keras.Input((64, 64, 64)), layers.GlobalAveragePooling2D(), layers.Dropout(0.5), layers.Dense(64)])
        x = keras.Input((320, 320, 1))
        y = layers.Conv2D(128, 2, strides=2, padding="same")(x)
        f = keras.Model(x, Dense(100)(GlobalAveragePooling2D()(y)))
        """)


def test_missing_flatten_is_added_only_with_unsafe_fixes():
    source = """\
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Dense

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
        model.add(MaxPooling2D())
        # the classifier
        model.add(Dense(10, activation="softmax"))
        """
    assert fix(source).applied == 0
    assert fixed_text(source, unsafe=True) == textwrap.dedent("""\
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Dense, Flatten

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
        model.add(MaxPooling2D())
        # the classifier
        model.add(Flatten())
        model.add(Dense(10, activation="softmax"))
        """)


def test_missing_flatten_in_a_list_and_a_functional_call():
    source = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        x = keras.Input((28, 28, 1))
        y = layers.MaxPooling2D()(layers.Conv2D(8, 3, activation="relu")(x))
        y = layers.Dense(10, activation="softmax")(y)
        other = keras.Model(x, y)
        """
    assert fixed_text(source, unsafe=True) == textwrap.dedent("""\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        x = keras.Input((28, 28, 1))
        y = layers.MaxPooling2D()(layers.Conv2D(8, 3, activation="relu")(x))
        y = layers.Dense(10, activation="softmax")(layers.Flatten()(y))
        other = keras.Model(x, y)
        """)


def test_missing_flatten_in_a_snippet_without_imports():
    source = """\
        model = Sequential([Conv2D(8, (3, 3), input_shape=(28, 28, 1)), MaxPooling2D(), Dense(10, activation='softmax')])
        """
    assert fixed_text(source, unsafe=True) == textwrap.dedent("""\
        model = Sequential([Conv2D(8, (3, 3), input_shape=(28, 28, 1)), MaxPooling2D(), Flatten(), Dense(10, activation='softmax')])
        """)


def test_flatten_imported_under_another_name_is_left_alone():
    source = """\
        import keras
        from keras.layers import Flatten as F, Dense, Input
        x = Input((64, 64, 64))
        f = keras.Model(x, Dense(100)(F()(x)))
        """
    result = fix(source, unsafe=True)
    assert result.text == textwrap.dedent(source)
    assert result.refused == ("4:31: KC201 the layer is not imported by its own name from keras.layers; "
                              "change it by hand",)


def test_replacement_already_imported_is_not_imported_again():
    source = """\
        import keras
        from keras import layers
        from keras.layers import Dense, Flatten, GlobalAveragePooling2D
        x = keras.Input((64, 64, 64))
        f = keras.Model(x, Dense(100)(Flatten()(x)))
        g = keras.Model(x, Dense(100)(layers.GlobalAveragePooling2D()(x)))
        """
    expected = textwrap.dedent(source).replace("(Flatten()(x)", "(GlobalAveragePooling2D()(x)")
    assert fixed_text(source, unsafe=True) == expected


def test_import_keeps_a_parenthesized_style():
    source = """\
        import keras
        from keras.layers import (
            Dense,
            Flatten,
        )
        m = keras.Sequential([keras.Input((64, 64, 64)), Flatten(), Dense(64)])
        """
    assert fixed_text(source, unsafe=True) == textwrap.dedent("""\
        import keras
        from keras.layers import (
            Dense,
            Flatten,
            GlobalAveragePooling2D,
        )
        m = keras.Sequential([keras.Input((64, 64, 64)), GlobalAveragePooling2D(), Dense(64)])
        """)


# -- the command line --------------------------------------------------------------------


LEGACY = """\
from keras.models import Sequential
from keras.layers import Convolution2D, Dense, Flatten

model = Sequential()
model.add(Convolution2D(8, 3, 3, border_mode="same", input_shape=(16, 16, 1)))
model.add(Flatten())
model.add(Dense(output_dim=10))
"""


def test_lint_marks_fixable_findings(tmp_path):
    (tmp_path / "m.py").write_text(LEGACY)
    r = run("lint", "--no-cache", "m.py", cwd=tmp_path)
    assert r.returncode == 0  # KC404 is an info note in Keras 2 code
    assert "m.py:5:11: KC404 [*] conv2d (Conv2D) uses Keras 1 arguments" in r.stdout
    assert r.stdout.endswith("Found 2 diagnostics (2 info).\n[*] 2 fixable with the `--fix` option.\n")
    doc = json.loads(run("lint", "--no-cache", "--format", "json", "m.py", cwd=tmp_path).stdout)
    assert [d["fix"] for d in doc["files"][0]["diagnostics"]] == [
        {"applicability": "safe", "description": "use Keras 3 argument names"}] * 2


def test_diff_writes_nothing_and_fix_is_idempotent(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    r = run("lint", "--diff", "m.py", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == [
        "--- m.py",
        "+++ m.py",
        "@@ -2,6 +2,6 @@",
        " from keras.layers import Convolution2D, Dense, Flatten",
        " ",
        " model = Sequential()",
        '-model.add(Convolution2D(8, 3, 3, border_mode="same", input_shape=(16, 16, 1)))',
        '+model.add(Convolution2D(8, (3, 3), padding="same", input_shape=(16, 16, 1)))',
        " model.add(Flatten())",
        "-model.add(Dense(output_dim=10))",
        "+model.add(Dense(units=10))",
    ]
    assert "Would fix 2 diagnostics." in r.stderr
    assert path.read_text() == LEGACY

    r = run("lint", "--fix", "m.py", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "Fixed 2 diagnostics.\nAll checks passed!\n"), r.stderr
    once = path.read_bytes()
    r = run("lint", "--fix", "m.py", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "All checks passed!\n")
    assert path.read_bytes() == once
    r = run("lint", "--diff", "m.py", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "")


def test_fix_exit_code_is_that_of_what_remains(tmp_path):
    # (a head of 10M params or more: KC201 warns; below, a head that is most of the model is an info note)
    (tmp_path / "m.py").write_text(LEGACY.replace("(16, 16, 1)", "(360, 360, 64)"))
    r = run("lint", "--fix", "m.py", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == ("m.py:7:11: KC201 Flatten→Dense head adds 10.4M params (99.9% of the model); replace Flatten "
                        "with GlobalAveragePooling2D (would be 90 params) or add stride-2 convolutions before it\n"
                        "Fixed 2 diagnostics.\nFound 1 diagnostic (1 warning).\n")
    r = run("lint", "--fix", "--unsafe-fixes", "m.py", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "Fixed 1 diagnostic.\nAll checks passed!\n")
    assert "model.add(GlobalAveragePooling2D())" in (tmp_path / "m.py").read_text()


def test_fix_keeps_encoding_newlines_mode_and_links(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\r\n# caf\xe9\r\nimport keras\r\nfrom keras import layers\r\n"
                      b"m = keras.Sequential([keras.Input((4,)), layers.Dropout(p=0.5)])\r\n")
    latin.chmod(0o640)
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport keras\nfrom keras import layers\n"
                    b"m = keras.Sequential([keras.Input((4,)), layers.Dropout(p=0.5)])  # caf\xc3\xa9\n")
    (tmp_path / "link.py").symlink_to("bom.py")
    r = run("lint", "--fix", "latin.py", "link.py", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert latin.read_bytes() == (b"# -*- coding: latin-1 -*-\r\n# caf\xe9\r\nimport keras\r\nfrom keras import layers"
                                  b"\r\nm = keras.Sequential([keras.Input((4,)), layers.Dropout(rate=0.5)])\r\n")
    assert latin.stat().st_mode & 0o777 == 0o640
    assert bom.read_bytes().startswith(b"\xef\xbb\xbfimport keras\n") and b"Dropout(rate=0.5)" in bom.read_bytes()
    assert (tmp_path / "link.py").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".kerascount_cache")) == [
        "bom.py", "latin.py", "link.py"]


def test_notebooks_are_not_fixed(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["import keras\n", "from keras import layers\n",
                       "m = keras.Sequential([keras.Input((4,)), layers.Dropout(p=0.5)])\n"]}
    notebook = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (tmp_path / "nb.ipynb").write_text(notebook)
    r = run("lint", "--fix", "nb.ipynb", cwd=tmp_path)
    assert r.returncode == 0  # the KC404 finding left is an info note
    assert "nb.ipynb: notebooks are not fixed" in r.stderr
    assert (tmp_path / "nb.ipynb").read_text() == notebook


def test_cache_keeps_fixes(tmp_path):
    (tmp_path / "m.py").write_text(LEGACY)
    first = run("lint", "--format", "json", "m.py", cwd=tmp_path).stdout
    assert (tmp_path / ".kerascount_cache").is_dir()
    assert run("lint", "--format", "json", "m.py", cwd=tmp_path).stdout == first
    assert '"applicability": "safe"' in first


# -- real Keras ----------------------------------------------------------------------------


@pytest.mark.keras
@pytest.mark.parametrize("name", ["cifar", "text", "sequence_dim", "sequence_dim_bare", "model_io", "convlstm_prelu",
                                  "kernel_tuple"])
def test_fixed_keras1_fixture_builds_like_its_keras3_rewrite(tmp_path, name):
    from test_fixtures import compare_models, load_truth

    from tools.keras_truth import truth_for_file

    copy = tmp_path / f"{name}_keras1.py"
    shutil.copy(ROOT / "fixtures" / "legacy" / copy.name, copy)
    r = run("lint", "--fix", "--no-cache", copy.name, cwd=tmp_path)
    assert "Fixed" in r.stdout and "KC404" not in r.stdout, r.stdout + r.stderr
    truth = truth_for_file(str(copy))
    assert truth["error"] is None, truth["error"]
    expected = load_truth(f"fixtures/legacy/{name}_keras3.py")["models"]
    problems = compare_models(expected, truth["models"])
    assert not problems, "\n".join(problems)


@pytest.mark.keras
@pytest.mark.parametrize("name", ["numpy_int_dense_units", "numpy_int_embedding"])
def test_int_fix_makes_what_keras_rejects_build(tmp_path, name):
    """A NumPy integer where Keras checks for an int (KC103) is fixed by passing it through int(): current Keras
    then builds the model, with the numbers kerascount prints for the fixed file."""
    from test_fixtures import compare_models

    from tools.keras_truth import truth_for_file

    copy = tmp_path / f"{name}.py"
    shutil.copy(ROOT / "fixtures" / "errors" / copy.name, copy)
    before = run("lint", "--no-cache", copy.name, cwd=tmp_path).stdout
    assert "KC103 [*]" in before and "NumPy integer" in before, before
    r = run("lint", "--fix", "--no-cache", copy.name, cwd=tmp_path)
    assert "Fixed 1" in r.stdout and "KC103" not in r.stdout, r.stdout + r.stderr
    assert "int(np.prod(" in copy.read_text() or "Embedding(int(vocabulary)" in copy.read_text()
    truth = truth_for_file(str(copy))
    assert truth["error"] is None, truth["error"]
    ours = json.loads(run("lint", "--format", "json", "--no-cache", copy.name, cwd=tmp_path).stdout)
    problems = compare_models(truth["models"], ours["files"][0]["models"])
    assert not problems, "\n".join(problems)


def test_int_fix_in_keras2_code_and_not_on_a_tuple():
    keras2 = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "m = keras.Sequential([keras.Input((4,)), layers.Dense(np.prod((2, 3)))])\n")
    assert "layers.Dense(int(np.prod((2, 3))))" in fixed_text(keras2)
    pooled = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "m = keras.Sequential([keras.Input((8, 8, 1)), layers.MaxPooling2D((np.prod((1, 2)), 2))])\n")
    assert fixed_text(pooled) == pooled


# -- writing safely ---------------------------------------------------------------------------

DROPOUT = ["import keras", "from keras import layers", "m = keras.Sequential([keras.Input((4,)), layers.Dropout(p=0.5)])"]


@pytest.mark.parametrize("newline,last,bom", [
    ("\n", "", False), ("\r\n", "\r\n", False), ("\r\n", "", False), ("\r\n", "\r\n", True), ("\n", "", True),
    ("\n", "\n\n", False),
], ids=["lf-no-final-newline", "crlf", "crlf-no-final-newline", "bom-crlf", "bom-no-final-newline",
        "lf-blank-line-at-end"])
def test_fix_keeps_newlines_final_newline_and_bom(tmp_path, newline, last, bom):
    from kerascount.fix import fix_file, write

    def form(lines):
        return ("\ufeff" if bom else "").encode() + (newline.join(lines) + last).encode()

    path = tmp_path / "m.py"
    path.write_bytes(form(DROPOUT))
    file_fix = fix_file(str(path), Config())
    assert file_fix.fixed.applied == 1
    write(file_fix)
    assert path.read_bytes() == form([*DROPOUT[:2], DROPOUT[2].replace("p=0.5", "rate=0.5")])


def test_lone_cr_files_are_left_alone(tmp_path):
    """libcst drops a lone CR at the end of a file: such a file is not rewritten at all."""
    result = fix_source("\r".join(DROPOUT) + "\r", "m.py", Config())
    assert result.applied == 0 and result.text == "\r".join(DROPOUT) + "\r"
    assert any("lone CR" in reason for reason in result.refused)


def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path):
    from kerascount.fix import Changed, fix_file, write

    path = tmp_path / "m.py"
    path.write_text("\n".join(DROPOUT) + "\n")
    file_fix = fix_file(str(path), Config())
    edited = "\n".join(DROPOUT) + "\n# typed in an editor meanwhile\n"
    path.write_text(edited)
    with pytest.raises(Changed, match="changed after it was read"):
        write(file_fix)
    assert path.read_text() == edited
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]  # no temporary file left
    path.unlink()
    with pytest.raises(Changed, match="removed"):
        write(file_fix)


def test_fix_warns_and_goes_on_when_a_file_changes_meanwhile(tmp_path, monkeypatch, capsys):
    from kerascount import cli, fix as fix_module

    first, second = tmp_path / "a.py", tmp_path / "b.py"
    for p in (first, second):
        p.write_text("\n".join(DROPOUT) + "\n")
    real = fix_module.fix_source

    def slow_fix(text, path, config, unsafe=False):  # the user saves a.py while its fixes are computed
        if path.endswith("a.py"):
            first.write_text(text + "# saved meanwhile\n")
        return real(text, path, config, unsafe)

    monkeypatch.setattr(fix_module, "fix_source", slow_fix)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["lint", "--fix", "--no-cache", "a.py", "b.py"])
    out, err = capsys.readouterr()
    assert "warning: a.py: the file changed after it was read; not fixed, run --fix again" in err
    assert first.read_text().endswith("# saved meanwhile\n") and "p=0.5" in first.read_text()
    assert "rate=0.5" in second.read_text()
    assert "Fixed 1 diagnostic." in out and "Found 1 diagnostic (1 info)." in out  # a.py's finding remains


def test_read_only_files_get_a_message_and_the_others_are_fixed(tmp_path):
    locked, other = tmp_path / "locked.py", tmp_path / "other.py"
    for p in (locked, other):
        p.write_text("\n".join(DROPOUT) + "\n")
    locked.chmod(0o444)
    r = run("lint", "--fix", "--no-cache", "locked.py", "other.py", cwd=tmp_path)
    assert r.returncode == 2
    assert "kerascount: error: locked.py: cannot fix the file: the file is read-only" in r.stderr
    assert "Traceback" not in r.stderr
    assert "p=0.5" in locked.read_text() and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert "rate=0.5" in other.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.py", "other.py"]


def test_kc117_writes_the_name_meant_in_the_same_quotes_with_unsafe_fixes_only():
    source = """\
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
        m.compile(optimizer='adma', loss="binaray_crossentropy", metrics=['accuracy', "accuarcy"])
        """
    assert fix(source).applied == 0  # (an unsafe fix: the program runs where it raised)
    assert fixed_text(source, unsafe=True).splitlines()[-1] == (
        "m.compile(optimizer='adam', loss=\"binary_crossentropy\", metrics=['accuracy', \"accuracy\"])")
