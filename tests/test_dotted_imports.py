"""``import package.module`` of a module of the analysed project, then ``package.module.f(...)``.

Python's import binds the top name (``package``) and sets each submodule as an attribute of the package above it,
so ``package.sub.blocks.conv_bn(x)`` reads the module's function. Hold-out 72 found a face-verification project
(an OpenFace network built with ``face_recognition.cnn_module.utils.conv2d_bn(...)`` after
``import face_recognition.cnn_module.utils``, its top folder without ``__init__.py``) whose model was unknown
("unknown layer") for it. The numbers are those real Keras gives running the same project (``_keras_totals``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerascount import project
from kerascount.api import analyze_source

_BLOCKS = ("from keras import layers\n\n\n"
           "def conv_bn(x, filters):\n"
           "    x = layers.Conv2D(filters, 3, padding='same')(x)\n"
           "    return layers.BatchNormalization()(x)\n")

_NET = ("import keras\n"
        "import pkg.sub.blocks\n"
        "import pkg.tail\n\n\n"
        "def create():\n"
        "    inp = keras.Input((16, 16, 3))\n"
        "    x = pkg.sub.blocks.conv_bn(inp, 8)\n"
        "    x = pkg.sub.blocks.conv_bn(x, 4)\n"
        "    return keras.Model(inp, pkg.tail.head(x))\n\n\n"
        "model = create()\n")

_TAIL = ("from keras import layers\n\n\n"
         "def head(x):\n"
         "    return layers.Dense(3)(layers.GlobalAveragePooling2D()(x))\n")


def _write(base: Path, files: dict) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def unmarked(tmp_path):
    if project.root_of(str(tmp_path)) is not None:
        pytest.skip(f"a folder above {tmp_path} holds a project marker")
    project.new_run()
    yield tmp_path
    project.new_run()


def _project(base: Path, package_init: bool) -> Path:
    files = {".git/HEAD": "", "pkg/sub/__init__.py": "", "pkg/sub/blocks.py": _BLOCKS, "pkg/tail.py": _TAIL,
             "pkg/sub/net.py": _NET}
    if package_init:
        files["pkg/__init__.py"] = "VERSION = 1\n"
    _write(base, files)
    return base / "pkg" / "sub" / "net.py"


# Conv2D(8) on 3 channels 224 + BN 32, Conv2D(4) on 8 channels 292 + BN 16, Dense(3) on 4 features 15
_EXPECTED = (224 + 32 + 292 + 16 + 15, 224 + 16 + 292 + 8 + 15)


@pytest.mark.parametrize("package_init", [False, True], ids=["namespace package", "package with __init__"])
def test_a_dotted_import_of_a_project_module_reads_its_functions(unmarked, package_init):
    path = _project(unmarked, package_init)
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert model.status == "exact"
    assert (model.total, model.trainable) == _EXPECTED


def test_the_package_keeps_its_own_names_beside_the_submodule(unmarked):
    """``pkg/__init__.py`` runs as Python runs it: ``pkg.VERSION`` is its value, ``pkg.sub`` the submodule."""
    path = _project(unmarked, True)
    text = path.read_text() + \
        "wide = keras.Sequential([keras.Input((2,)), keras.layers.Dense(pkg.VERSION + 1)])\n"
    path.write_text(text)
    models = analyze_source(text, str(path)).models
    assert [(m.status, m.total) for m in models][-1] == ("exact", 2 * 2 + 2)


def test_a_dotted_import_outside_the_project_stays_unknown(unmarked):
    """No such folder in the project: ``mylib.blocks.conv_bn`` is code the analysis does not see."""
    _write(unmarked, {".git/HEAD": "", "train.py": "import keras\nimport mylib.blocks\n\n"
                      "inp = keras.Input((8, 8, 3))\nmodel = keras.Model(inp, mylib.blocks.conv_bn(inp, 4))\n"})
    path = unmarked / "train.py"
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert model.status == "unknown"


def _keras_totals(base: Path) -> tuple:
    code = ("import pkg.sub.net as n\n"
            "m = n.model\n"
            "print(m.count_params(), sum(int(w.numpy().size) for w in m.trainable_weights))\n")
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=str(base))
    out = subprocess.run([sys.executable, "-c", code], cwd=str(base), env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return tuple(int(v) for v in out.stdout.split()[-2:])


@pytest.mark.keras
@pytest.mark.parametrize("package_init", [False, True], ids=["namespace package", "package with __init__"])
def test_the_expected_numbers_are_real_keras(unmarked, package_init):
    pytest.importorskip("keras")
    _project(unmarked, package_init)
    assert _keras_totals(unmarked) == _EXPECTED
