"""The same model through every way of importing Keras gives the same numbers.

Each fixture whose truth comes from real Keras (``keras`` imports) is rewritten,
line for line, to ``tensorflow.keras``, ``tf.keras`` and ``tf_keras`` imports;
kerascount must report exactly the real-Keras truth of the original for each.
"""

from __future__ import annotations

import json
import re

import pytest
from test_fixtures import (FIXTURES, KNOWN_CONNECTIONS, REPO_ROOT, compare_models, fixture_symbols, load_truth,
                           substitute)

from kerascount.api import analyze_source
from kerascount.report import json_

_FROM = re.compile(r"^(\s*)from keras((?:\.[\w.]+)?) import (.+)$")
_IMPORT = re.compile(r"^(\s*)import keras((?:\.[\w.]+)?)(?: as (\w+))?\s*$")


def tensorflow_keras(line: str) -> str:
    m = _FROM.match(line)
    if m:
        return f"{m.group(1)}from tensorflow.keras{m.group(2)} import {m.group(3)}"
    m = _IMPORT.match(line)
    if m:
        indent, sub, alias = m.groups()
        if not sub:
            return f"{indent}from tensorflow import keras" + (f" as {alias}" if alias else "")
        return f"{indent}import tensorflow.keras{sub} as {alias}" if alias else line
    return line


def tf_dot_keras(line: str) -> str:
    m = _IMPORT.match(line)
    if m and not m.group(2):
        return f"{m.group(1)}import tensorflow as tf; {m.group(3) or 'keras'} = tf.keras"
    m = _FROM.match(line)
    if m and "(" not in m.group(3) and "*" not in m.group(3):
        names = [n.strip() for n in m.group(3).split(",") if n.strip()]
        binds = []
        for n in names:
            orig, _, alias = n.partition(" as ")
            binds.append(f"{(alias or orig).strip()} = tf.keras{m.group(2)}.{orig.strip()}")
        return f"{m.group(1)}import tensorflow as tf; " + "; ".join(binds)
    return tensorflow_keras(line)


def tf_keras_package(line: str) -> str:
    m = _FROM.match(line)
    if m:
        return f"{m.group(1)}from tf_keras{m.group(2)} import {m.group(3)}"
    m = _IMPORT.match(line)
    if m:
        indent, sub, alias = m.groups()
        return f"{indent}import tf_keras{sub} as {alias or 'keras'}" if (alias or not sub) else line
    return line


STYLES = {"tensorflow.keras": tensorflow_keras, "tf.keras": tf_dot_keras, "tf_keras": tf_keras_package}
def _depends_on_the_package(path: str) -> bool:
    """A fixture whose model depends on which package Keras comes from: it reads ``keras.__version__`` (tf_keras
    is Keras 2, and kerascount decides the version only after ``import keras``: interpreter2/keras_version.py),
    or tries to import a layer Keras 3 lacks (``CuDNNLSTM``: an ImportError from ``keras.layers``, which older
    ``tensorflow.keras`` releases had; interpreter2/optional_gpu_layer.py; ``SyncBatchNormalization``, which
    tf_keras has in ``layers.experimental``: interpreter2/version_sync_batchnorm.py)."""
    text = (REPO_ROOT / path).read_text()
    return "__version__" in text or "CuDNN" in text or "SyncBatchNormalization" in text


CASES = [
    pytest.param(path, style, id=f"{style}:{path}")
    for path in FIXTURES
    if not load_truth(path).get("error") and "applications" not in path
    and not _depends_on_the_package(path)
    for style in STYLES
]


@pytest.mark.parametrize("path,style", CASES)
def test_import_style_gives_same_numbers(path, style):
    from test_fixtures import REPO_ROOT

    source = (REPO_ROOT / path).read_text()
    rewritten = "\n".join(STYLES[style](line) for line in source.split("\n"))
    assert rewritten.count("\n") == source.count("\n")
    if style != "tensorflow.keras" or "import keras" in source or "from keras" in source:
        assert "keras" in rewritten
    report = analyze_source(rewritten, path)
    assert report.internal_error is None
    got = json.loads(json_.render([report], "test"))["files"][0]["models"]
    symbols = fixture_symbols(path)
    if symbols:
        got, _ = substitute(got, symbols)
    problems = compare_models(load_truth(path)["models"], got, KNOWN_CONNECTIONS.get(path, ()))
    assert not problems, f"{style} rewrite of {path}:\n" + rewritten + "\n" + "\n".join(problems)


def test_keras_layers_star_import_binds_input_but_not_sequential_nor_model():
    """Keras 3's keras.layers has Input, not Sequential nor Model (keras.models has those): after only
    `from keras.layers import *`, Python raises NameError at `Sequential`, which is read as Keras's with KC904,
    as any Keras name the file forgot to import."""
    from kerascount.api import analyze_source

    report = analyze_source("from keras.layers import *\nm = Sequential([Input((3,)), Dense(4)])\n", "m.py")
    assert [(d.code, d.message.split(":")[0]) for d in report.diagnostics] == [
        ("KC904", "`Sequential` is used but not imported")]
    both = analyze_source("from keras.layers import *\nfrom keras.models import *\n"
                          "m = Sequential([Input((3,)), Dense(4)])\n", "m.py")
    assert not both.diagnostics and both.models[0].total == 16


def test_keras_names_used_before_the_files_keras_import_are_read_as_keras():
    """A script whose model comes before its only Keras import (hold-out 57: a notebook split into files, its imports
    in one of their own, `plot_model` imported after the model): Python raises NameError at `Input`, which is read as
    Keras's with KC904, as in a file that imports from Keras first; before, the model was not reported at all."""
    from kerascount.api import analyze_source

    source = ("inputs = Input((8,))\nhidden = Dense(4)(inputs)\nmodel = Model(inputs, [Dense(1)(hidden), Dense(2)(hidden)])\n"
              "from keras.utils import plot_model\nplot_model(model)\n")
    report = analyze_source(source, "m.py")
    assert [m.total for m in report.models] == [51]
    assert [d.message.split(":")[0] for d in report.diagnostics if d.code == "KC904"] == [
        "`Input` is used but not imported", "`Dense` is used but not imported", "`Model` is used but not imported"]
    inside = analyze_source("def build():\n    from keras.layers import Dense\n    return Dense(3)\n"
                            "model = Sequential([Input((2,)), Dense(1)])\n", "m.py")
    assert not inside.models  # (an import in a function's body is no import of the script's)
