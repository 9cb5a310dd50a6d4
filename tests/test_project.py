"""kerascount/project.py: which file of the analysed project an import reads, and what is said when none is.

The numbers of a model built across a project's files are checked against real Keras by the fixtures
in fixtures/project/ (tests/test_fixtures.py); here, where the files are found and what is not read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerascount import project
from kerascount.api import analyze_source

ROOT = Path(__file__).resolve().parent.parent


def write(base: Path, files: dict) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_run():
    project.new_run()
    yield
    project.new_run()


@pytest.fixture
def unmarked(tmp_path):
    """tmp_path, skipped if a folder above it is marked as a project root (then the search may climb there)."""
    if project.root_of(str(tmp_path)) is not None:
        pytest.skip(f"a folder above {tmp_path} holds a project marker")
    project.new_run()
    return tmp_path


@pytest.mark.parametrize("marker", ["setup.py", "setup.cfg", "pyproject.toml", ".git"])
def test_a_script_in_a_subfolder_finds_the_package_at_the_root(unmarked, marker):
    write(unmarked, {"pkg/__init__.py": "", "pkg/layers.py": "X = 1\n", "examples/train.py": ""})
    (unmarked / marker).mkdir() if marker == ".git" else (unmarked / marker).write_text("")
    script = str(unmarked / "examples" / "train.py")
    assert project.find_module(script, "pkg.layers", 0) == str(unmarked / "pkg" / "layers.py")
    assert project.find_module(script, "pkg", 0) == str(unmarked / "pkg" / "__init__.py")
    assert project.find_module(script, "elsewhere", 0) is None


def test_without_a_root_only_the_files_folder_is_searched(unmarked):
    write(unmarked, {"pkg/__init__.py": "", "examples/train.py": "", "examples/helpers.py": ""})
    script = str(unmarked / "examples" / "train.py")
    assert project.find_module(script, "helpers", 0) == str(unmarked / "examples" / "helpers.py")
    assert project.find_module(script, "pkg", 0) is None


def test_a_folder_given_on_the_command_line_is_the_root_of_unmarked_files(unmarked):
    write(unmarked, {"pkg/__init__.py": "", "examples/deep/train.py": ""})
    script = str(unmarked / "examples" / "deep" / "train.py")
    project.new_run([str(unmarked)])
    assert project.find_module(script, "pkg", 0) == str(unmarked / "pkg" / "__init__.py")
    project.new_run([str(unmarked / "examples")])  # a folder below the package: it is not searched
    assert project.find_module(script, "pkg", 0) is None


def test_the_search_stops_at_the_nearest_root(unmarked):
    """A project nested in another (its own setup.py) does not read the outer project's files."""
    write(unmarked, {"setup.py": "", "pkg/__init__.py": "", "inner/setup.py": "", "inner/tools/run.py": ""})
    script = str(unmarked / "inner" / "tools" / "run.py")
    assert project.root_of(str(unmarked / "inner" / "tools")) == str(unmarked / "inner")
    assert project.find_module(script, "pkg", 0) is None


def test_nearer_folders_come_first_and_src_last(unmarked):
    write(unmarked, {"pyproject.toml": "", "utils.py": "", "examples/utils.py": "", "examples/train.py": "",
                     "src/lib/__init__.py": "", "examples/data/readme.txt": "", "data/__init__.py": ""})
    script = str(unmarked / "examples" / "train.py")
    assert project.find_module(script, "utils", 0) == str(unmarked / "examples" / "utils.py")
    assert project.find_module(script, "lib", 0) == str(unmarked / "src" / "lib" / "__init__.py")
    # a folder of images named like the package does not hide it
    assert project.find_module(script, "data", 0) == str(unmarked / "data" / "__init__.py")


def test_folders_a_script_adds_to_sys_path_as_literals(unmarked):
    """``sys.path.append('../modules')`` (course repositories sharing a helpers folder): read from the script's folder,
    searched after the usual folders, and only inside the root; a path built at run time is not guessed."""
    write(unmarked, {".git/HEAD": "", "modules/helper_functions.py": "", "lesson/helpers2.py": "",
                     "lesson/common.py": "import sys\nsys.path.append('../modules')\nsys.path.insert(0, \"../..\")\n"
                                         "sys.path.append(os.path.join('..', 'lesson'))\n",
                     "lesson/plain.py": ""})
    common = str(unmarked / "lesson" / "common.py")
    assert project.find_module(common, "helper_functions", 0) == str(unmarked / "modules" / "helper_functions.py")
    assert project.find_module(str(unmarked / "lesson" / "plain.py"), "helper_functions", 0) is None
    assert project.search_path(common)[-1] == str(unmarked / "modules")  # "../.." is outside the root: not searched
    notebook = unmarked / "lesson" / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["import sys\n",
                                                                             "sys.path.append(\"../modules\")\n"]}]}))
    assert project.find_module(str(notebook), "helper_functions", 0) == str(unmarked / "modules" / "helper_functions.py")


def test_a_package_importing_itself_by_its_absolute_name(unmarked):
    """tcn/__init__.py: ``from tcn.tcn import TCN`` reads tcn/tcn.py (not tcn/tcn/tcn.py)."""
    write(unmarked, {"setup.py": "", "tcn/__init__.py": "", "tcn/tcn.py": ""})
    init = str(unmarked / "tcn" / "__init__.py")
    assert project.find_module(init, "tcn.tcn", 0) == str(unmarked / "tcn" / "tcn.py")


def test_relative_imports_stay_in_the_package(unmarked):
    write(unmarked, {"setup.py": "", "pkg/__init__.py": "", "pkg/config.py": "", "pkg/models/__init__.py": "",
                     "pkg/models/unet.py": "", "config.py": ""})
    module = str(unmarked / "pkg" / "models" / "unet.py")
    assert project.find_module(module, "config", 2) == str(unmarked / "pkg" / "config.py")
    assert project.find_module(module, "", 1) == str(unmarked / "pkg" / "models" / "__init__.py")
    assert project.find_module(module, "config", 1) is None


def test_roots_are_looked_up_once_per_run(unmarked, monkeypatch):
    write(unmarked, {"setup.py": "", "a/b/c/one.py": "", "a/b/c/two.py": "", "a/b/d/three.py": ""})
    looked = []
    exists = os.path.exists
    monkeypatch.setattr(project.os.path, "exists", lambda p: looked.append(p) or exists(p))
    for name in ("a/b/c/one.py", "a/b/c/two.py", "a/b/d/three.py"):
        project.find_module(str(unmarked / name), "nothing_here", 0)
    assert len(looked) == len(set(looked))  # no marker is looked for twice in a folder
    assert {os.path.dirname(p) for p in looked} == {str(unmarked)} | {str(unmarked / f) for f in
                                                                       ("a/b/c", "a/b", "a", "a/b/d")}


MODEL = """import keras
from {module} import {name}

inputs = keras.Input((4,))
model = keras.Model(inputs, {name}(3)(inputs))
"""


def test_a_layer_from_outside_the_project_says_where_it_comes_from(unmarked):
    write(unmarked, {"setup.py": "", "examples/train.py": MODEL.format(module="mylib.layers", name="Gate")})
    path = unmarked / "examples" / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.status == "unknown"
    assert m.reasons == ("layer `Gate` is imported from `mylib.layers`, which is not a module of the analysed "
                         "project (kerascount reads no installed package)",)


def test_a_project_module_not_analysed_says_why(unmarked):
    write(unmarked, {"setup.py": "", "mylib/__init__.py": "", "mylib/layers.py": "class Gate(:\n",
                     "examples/train.py": MODEL.format(module="mylib.layers", name="Gate")})
    path = unmarked / "examples" / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.reasons == ("layer `Gate` is imported from `mylib.layers`, a module of the project that is not "
                         "analysed (it cannot be read: SyntaxError)",)


LAYER = """import keras


class Gate(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(x)
"""


def test_the_same_model_in_one_file_and_across_the_project(unmarked):
    """The layer read from mylib/layers.py gives what it gives when written in the script itself."""
    write(unmarked, {"setup.py": "", "mylib/__init__.py": "", "mylib/layers.py": LAYER,
                     "examples/train.py": MODEL.format(module="mylib.layers", name="Gate")})
    path = unmarked / "examples" / "train.py"
    (across,) = analyze_source(path.read_text(), str(path)).models
    one_file = LAYER + MODEL.format(module="keras", name="Gate").replace("from keras import Gate\n", "")
    (alone,) = analyze_source(one_file, str(unmarked / "alone.py")).models
    assert across.status == alone.status == "exact"
    assert (across.total, across.outputs) == (alone.total, alone.outputs)


def test_the_command_line_folder_is_the_root(unmarked):
    """``kerascount summary DIR``: a script under DIR reads DIR/mylib even with no marker; given alone, it cannot."""
    write(unmarked, {"mylib/__init__.py": "", "mylib/layers.py": LAYER,
                     "examples/train.py": MODEL.format(module="mylib.layers", name="Gate")})
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def statuses(arg: str) -> list:
        out = subprocess.run([sys.executable, "-m", "kerascount", "summary", "--format", "json", "--no-cache", arg],
                             capture_output=True, text=True, env=env, cwd=str(unmarked))
        return [m["status"] for f in json.loads(out.stdout)["files"] for m in f["models"]]

    assert statuses(str(unmarked)) == ["exact"]
    assert statuses(str(unmarked / "examples" / "train.py")) == ["unknown"]


@pytest.mark.parametrize("files,module,origin", [
    ({"pkg/__init__.py": ""}, "..missing", "`..missing`, which is not found (looked for from `train.py`)"),
    ({"pkg/__init__.py": "", "pkg/layers.py": "from fancy import *\n"},
     "..layers", "`..layers`, which does not define `Gate` where the analysis sees it"),
])
def test_a_name_the_analysis_cannot_find_says_why(unmarked, files, module, origin):
    write(unmarked, {"setup.py": "", **files, "pkg/sub/__init__.py": "",
                     "pkg/sub/train.py": MODEL.format(module=module, name="Gate")})
    path = unmarked / "pkg" / "sub" / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.status == "unknown"
    assert m.reasons == (f"layer `Gate` is imported from {origin}",)


def test_a_module_is_parsed_once_a_run_while_it_is_unchanged(unmarked):
    import ast

    write(unmarked, {"settings.py": "UNITS = 3\n"})
    path = str(unmarked / "settings.py")
    parses = []

    def parse(text):
        parses.append(text)
        return ast.parse(text)

    first = project.parsed_module(path, os.path.getsize(path), parse)
    assert project.parsed_module(path, os.path.getsize(path), parse)[1] is first[1]
    (unmarked / "settings.py").write_text("UNITS = 30\n")
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    assert project.parsed_module(path, os.path.getsize(path), parse)[0] == "UNITS = 30\n"
    project.new_run()
    project.parsed_module(path, os.path.getsize(path), parse)
    assert parses == ["UNITS = 3\n", "UNITS = 30\n", "UNITS = 30\n"]


@pytest.mark.parametrize("line", ["from pkg import settings", "from pkg import settings as settings",
                                  "from .. import settings"])
def test_from_a_package_import_a_submodule_it_does_not_bind(unmarked, line):
    """Python imports ``pkg/settings.py`` when ``pkg/__init__.py`` does not bind ``settings`` (or there is none)."""
    code = "import keras\n{}\n\nmodel = keras.Sequential([keras.Input((5,)), keras.layers.Dense({})])\n"
    write(unmarked, {"setup.py": "", "pkg/__init__.py": "from .other import X\n", "pkg/other.py": "X = 1\n",
                     "pkg/settings.py": "UNITS = 3\n", "pkg/tools/__init__.py": "",
                     "pkg/tools/train.py": code.format(line, "settings.UNITS")})
    path = unmarked / "pkg" / "tools" / "train.py"
    (across,) = analyze_source(path.read_text(), str(path)).models
    (alone,) = analyze_source(code.format("", "3"), str(unmarked / "alone.py")).models
    assert across.status == alone.status == "exact"
    assert across.total == alone.total


def test_an_import_cycle_says_so(unmarked):
    """a.py imports b.py, which imports a name of a.py before a.py defines it: the name is not known yet."""
    write(unmarked, {"setup.py": "", "pkg/__init__.py": "", "pkg/a.py": "from .b import B\nGate = 1\n",
                     "pkg/b.py": "from .a import Gate\nB = 2\n",
                     "pkg/train.py": "from .a import B\n" + MODEL.format(module=".b", name="Gate")})
    path = unmarked / "pkg" / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.reasons == ("layer `Gate` is imported from `.a`, a module of the project that is not analysed (an "
                         "import cycle reaches it while it is read)",)


_HEADS = {
    "heads.py": ("import keras\nfrom keras import layers\n\n\n"
                 "def classifier(size=64):\n"
                 "    x = inputs = keras.Input((size, size, 3))\n"
                 "    x = layers.Conv2D(64, 3, padding='same', activation='relu')(x)\n"
                 "    x = layers.Flatten()(x)\n"
                 "    x = layers.Dense(256)(x)\n"
                 "    x = layers.Activation('relu')(layers.Activation('relu')(x))\n"
                 "    return keras.Model(inputs, layers.Dense(10, activation='softmax')(x))\n"),
    "train.py": ("import keras\nfrom heads import classifier\n\nmodel = classifier(128)\n"
                 "model.compile(loss='mse', optimizer=keras.optimizers.Adam())\n"),
}


def test_advice_on_layers_another_file_writes_is_left_to_that_file(unmarked):
    # The Flatten→Dense head and the doubled activation are written in heads.py: a warning about them belongs
    # there (where the builder is run with its defaults), not at the call in train.py. train.py's own choice, the
    # loss, is still judged on those layers.
    write(unmarked, _HEADS)
    here = analyze_source(_HEADS["train.py"], str(unmarked / "train.py"))
    (m,) = here.models
    assert m.status == "exact"
    assert [d.code for d in here.diagnostics] == ["KC307"]
    there = analyze_source(_HEADS["heads.py"], str(unmarked / "heads.py"))
    assert {d.code for d in there.diagnostics} >= {"KC201", "KC402"}
    assert all(d.span.line > 5 for d in there.diagnostics)


def test_a_script_that_never_says_keras_but_imports_a_builder_is_analysed(unmarked):
    # train.py only calls the project's builder and fits it: the prefilter (no "keras" in the text) must not skip
    # it, through a package whose __init__ re-exports the builder; data that does not fit the model is reported.
    write(unmarked, {"setup.py": "", "models/__init__.py": "from .heads import classifier\n",
                     "models/heads.py": _HEADS["heads.py"], "notes.py": "import os\nX = 1\n",
                     "train.py": ("import numpy as np\nfrom models import classifier\n\nmodel = classifier(32)\n"
                                  "model.compile(loss='categorical_crossentropy', optimizer='adam')\n"
                                  "model.fit(np.zeros((8, 32, 32, 1)), np.zeros((8, 10)))\n"),
                     "other.py": "import numpy as np\nimport notes\n\nmodel = notes.X\n"})
    from kerascount.api import analyze_paths

    reports, problems = analyze_paths([str(unmarked / "train.py"), str(unmarked / "other.py")], jobs=1)
    assert problems == []
    by_name = {Path(r.path).name: r for r in reports}
    (m,) = by_name["train.py"].models
    assert m.status == "exact" and m.inputs == ((None, 32, 32, 3),)
    assert [d.code for d in by_name["train.py"].diagnostics] == ["KC701"]
    assert by_name["other.py"].models == () and by_name["other.py"].diagnostics == ()
    assert project.reaches_keras(str(unmarked / "other.py"), "import notes\n") == (False, True)
    assert project.reaches_keras(str(unmarked / "other.py"), "import os, sys\n") == (False, False)
    (m,) = analyze_source((unmarked / "train.py").read_text(), str(unmarked / "train.py")).models
    assert m.status == "exact"


def test_a_compile_another_file_makes_is_not_judged_here(unmarked):
    # A library's agent compiles the model it is given with a placeholder loss (keras-rl's CEMAgent: mse on a
    # softmax policy it never trains by gradient). The loss rules judge the compile written in the file.
    write(unmarked, {"agent.py": "class Agent:\n    def __init__(self, model):\n        self.model = model\n\n"
                                 "    def compile(self):\n        self.model.compile(optimizer='sgd', loss='mse')\n",
                     "run.py": ("import keras\nfrom agent import Agent\n\nmodel = keras.Sequential([keras.Input((4,)), "
                                "keras.layers.Dense(2, activation='softmax')])\n"
                                "Agent(model).compile()\n")})
    path = unmarked / "run.py"
    assert analyze_source(path.read_text(), str(path)).diagnostics == ()
    inline = path.read_text().replace("Agent(model).compile()", "model.compile(optimizer='sgd', loss='mse')")
    assert [d.code for d in analyze_source(inline, str(path)).diagnostics] == ["KC307"]


def test_a_model_built_here_with_a_wrapper_from_another_file_is_judged_here(unmarked):
    # The Flatten and the choice of 4096 units are this file's; the wrapper only makes the Dense. And what a call
    # of another file's code makes is placed at that call, not at a call among its arguments (`Adam(lr=...)`,
    # whose own finding stays).
    write(unmarked, {"blocks.py": ("from keras import layers\n\n\ndef dense(x, units, optimizer=None):\n"
                                   "    return layers.Dense(units, activation='relu')(x)\n"),
                     "net.py": ("import keras\nfrom keras import layers\nfrom blocks import dense\n\n"
                                "x = inputs = keras.Input((64, 64, 32))\nx = layers.Flatten()(x)\n"
                                "x = dense(x, 4096, optimizer=keras.optimizers.Adam(lr=0.1))\n"
                                "model = keras.Model(inputs, x)\n")})
    path = unmarked / "net.py"
    found = [(d.code, d.span.line, d.span.column) for d in analyze_source(path.read_text(), str(path)).diagnostics]
    assert found == [("KC201", 7, 5), ("KC404", 7, 30)]


def test_import_chains_are_remembered_within_a_run_and_forgotten_with_the_roots(unmarked):
    # The prefilter's search for a module that says "keras" remembers, for the run, which modules reach one and
    # which never do, so the files of a large tree do not follow the same chains again; what it remembered must give
    # the answers a fresh search gives, and the language server's forget_roots() must let an edited module count.
    write(unmarked, {"setup.py": "", "nets.py": "import keras\n", "glue.py": "import helpers\nimport nets\n",
                     "helpers.py": "import util\n", "util.py": "import helpers\nX = 1\n",
                     "a.py": "import glue\n", "b.py": "import helpers\n", "c.py": "from glue import nets\n",
                     "d.py": "import util\n"})
    path = {n: str(unmarked / f"{n}.py") for n in "abcd"}
    text = {n: (unmarked / f"{n}.py").read_text() for n in "abcd"}
    first = {n: project.reaches_keras(path[n], text[n]) for n in "abcd"}
    assert first == {"a": (True, True), "b": (False, True), "c": (True, True), "d": (False, True)}
    for n in "dcba":  # the same answers again, in the other order, from what the run remembers
        assert project.reaches_keras(path[n], text[n]) == first[n]
    project.new_run()
    assert {n: project.reaches_keras(path[n], text[n]) for n in "dcba"} == first

    (unmarked / "util.py").write_text("import helpers\nfrom keras import layers\n", encoding="utf-8")
    assert project.reaches_keras(path["b"], text["b"]) == (False, True)  # remembered for the run
    project.forget_roots()
    assert project.reaches_keras(path["b"], text["b"]) == (True, True)
    assert project.reaches_keras(path["d"], text["d"]) == (True, True)


def test_from_a_folder_without_init_py_imports_its_module(unmarked):
    """``from config import setup`` where config/ has no ``__init__.py`` (a namespace package: Python 3 imports
    config/setup.py), as a 2024 ViT project keeps its settings; and its layers in nn/layers/ likewise."""
    write(unmarked, {
        ".git/HEAD": "",
        "config/setup.py": "width = 16\nunits = [width * 2, width]\n",
        "nn/layers/blocks.py": "from keras import layers\nfrom config import setup\n\n"
                               "def head(x):\n    for u in setup.units:\n        x = layers.Dense(u)(x)\n    return x\n",
        "train.py": "import keras\nfrom config import setup\nfrom nn.layers import blocks\n\n"
                    "inputs = keras.Input((setup.width,))\nmodel = keras.Model(inputs, blocks.head(inputs))\n",
    })
    path = unmarked / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.status == "exact"
    assert m.total == (16 * 32 + 32) + (32 * 16 + 16)  # Dense(32) then Dense(16) on 16 features: 1,072


def test_a_module_outside_the_project_is_not_taken_for_a_namespace_package(unmarked):
    """``from sklearn import metrics`` with no sklearn/ folder in the project stays a value from outside it."""
    write(unmarked, {".git/HEAD": "", "train.py": "import keras\nfrom mylib import blocks\n\n"
                                                  "inputs = keras.Input((4,))\n"
                                                  "model = keras.Model(inputs, blocks.head(inputs))\n"})
    path = unmarked / "train.py"
    (m,) = analyze_source(path.read_text(), str(path)).models
    assert m.status == "unknown"


def test_a_duplicate_name_of_two_layers_made_in_another_module_says_so(unmarked):
    """KC108 on layers that a function of another module makes (bubbliiiing/arcface-keras's mobilefacenet: an
    unnamed Conv2D, "conv2d", and one named "conv2d"; Keras 3.15 raises ValueError: the name is used 2 times): both
    spans are the call in the script, so the note names that line once instead of "lines 5 and 5"."""
    write(unmarked, {"setup.py": "", "nets.py": "import keras\n\n\ndef trunk(x):\n"
                     "    x = keras.layers.Conv2D(4, 3)(x)\n    return keras.layers.Conv2D(4, 1, name='conv2d')(x)\n",
                     "train.py": "import keras\nfrom nets import trunk\n\ninputs = keras.Input((8, 8, 3))\n"
                     "model = keras.Model(inputs, trunk(inputs))\n"})
    path = unmarked / "train.py"
    report = analyze_source(path.read_text(), str(path))
    (note,) = [d for d in report.diagnostics if d.code == "KC108"]
    assert "(both made by the code run at line 5)" in note.message


@pytest.mark.parametrize("call", ["import importlib\ncfg = importlib.import_module('configs.small')\n",
                                  "from importlib import import_module\ncfg = import_module('configs.small')\n",
                                  "import importlib\ncfg = importlib.import_module('.small', package='configs')\n"])
def test_a_module_of_the_project_imported_by_its_name_is_read(unmarked, call):
    # fixtures/multifile/imported_by_name.py holds the numbers against Keras; here the three spellings of the call
    write(unmarked, {"configs/__init__.py": "", "configs/small.py": "UNITS = 7\n", "main.py": ""})
    source = call + "import keras\nm = keras.Sequential([keras.Input((2,)), keras.layers.Dense(cfg.UNITS)])\n"
    (model,) = analyze_source(source, str(unmarked / "main.py")).models
    assert (model.status, model.total) == ("exact", 2 * 7 + 7)


def test_a_modules_star_imports_are_its_own_wherever_its_functions_run(unmarked):
    """A builder of a module that takes its Keras names with `from keras.layers import *` reads them there, even when
    the script calling it has no such import, or binds the name to something else (fixtures/multifile/star_unet.py
    checks the numbers against Keras)."""
    blocks = ("from keras.layers import *\nfrom keras.models import *\n"
              "def head(n):\n    i = Input((4,))\n    return Model(i, Dense(n)(i))\n")
    write(unmarked, {"blocks.py": blocks, "main.py": "from blocks import head\nDense = None\nm = head(3)\n"})
    path = unmarked / "main.py"
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert (model.status, model.total) == ("exact", 15)


def test_import_star_binds_only_what_all_names(unmarked):
    """`from blocks import *` binds the names of `blocks.__all__` when it is known; else every public name, and the
    Keras names `blocks` took with its own star imports."""
    blocks = ("from keras.layers import *\nfrom keras.models import *\n__all__ = ['UNITS']\nUNITS = 6\nWIDTH = 9\n")
    script = "import keras\nfrom blocks import *\nWIDTH = 2\nfrom blocks import *\nm = keras.Sequential([keras.Input((WIDTH,)), keras.layers.Dense(UNITS)])\n"
    write(unmarked, {"blocks.py": blocks, "main.py": script})
    path = unmarked / "main.py"
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert (model.status, model.total) == ("exact", 2 * 6 + 6)
    write(unmarked, {"blocks.py": blocks.replace("__all__ = ['UNITS']\n", "")})
    project.new_run()
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert (model.status, model.total) == ("exact", 9 * 6 + 6)
    write(unmarked, {"main.py": "from blocks import *\nm = Sequential([Input((3,)), Dense(UNITS)])\n"})
    project.new_run()
    path = unmarked / "main.py"
    (model,) = analyze_source(path.read_text(), str(path)).models
    assert (model.status, model.total) == ("exact", 3 * 6 + 6)


def test_a_model_another_file_makes_is_reported_at_the_call_of_this_file_still_running(unmarked):
    """The base class in base.py builds the model from what this file's `_architecture` returns: the model is
    reported at this file's `Net().plot()` and `Net().compile()` (where Keras's traceback shows this file when the
    model is made), not at the last line `_architecture` ran."""
    base = ("import keras\nclass Base:\n    def compile(self):\n        ins, outs = self._architecture()\n"
            "        return keras.Model(ins, outs)\n    def plot(self):\n        return self.compile()\n")
    main = ("import keras\nfrom base import Base\n\nclass Net(Base):\n    def _architecture(self):\n"
            "        i = keras.Input((3,))\n        return i, keras.layers.Dense(2)(i)\n\n"
            "Net().plot()\nm = Net().compile()\n")
    write(unmarked, {"base.py": base, "main.py": main})
    path = unmarked / "main.py"
    models = analyze_source(main, str(path)).models
    assert [(m.model.span.line, m.total) for m in models] == [(9, 8), (10, 8)]


def test_a_keras_error_in_code_of_another_file_stops_the_script_at_the_call(unmarked):
    """`self.layers = []` in a model class of another file: Python raises AttributeError there (Keras 3's `layers`
    has no setter), so `Wrapper(base)` never returns and the model its `__init__` would make next is never built:
    KC116 at the call of this file, as for the class written here (keras-adversarial's AdversarialModel)."""
    module = ("from keras.models import Model\n\nclass Wrapper(Model):\n    def __init__(self, base):\n"
              "        self.layers = []\n        self.layers.append(Model(base.inputs, base(base.inputs)))\n")
    main = ("import keras\nfrom keras import layers\nfrom pkg import Wrapper\n\ninp = keras.Input(shape=(4,))\n"
            "base = keras.Model(inp, layers.Dense(2)(inp))\nw = Wrapper(base)\n")
    write(unmarked, {"pkg/__init__.py": module, "run.py": main})
    report = analyze_source(main, str(unmarked / "run.py"))
    assert [(m.model.span.line, m.status, m.total) for m in report.models] == [(6, "exact", 10)]
    assert [(d.code, d.span.line) for d in report.diagnostics] == [("KC116", 7)]
    assert "in code of another file" in report.diagnostics[0].message


# ``import package.module`` of a module of the analysed project, then ``package.module.f(...)``: Python's import binds
# the top name (``package``) and sets each submodule as an attribute of the package above it. Hold-out 72 found a
# face-verification project (an OpenFace network built with ``face_recognition.cnn_module.utils.conv2d_bn(...)``
# after ``import face_recognition.cnn_module.utils``, its top folder without ``__init__.py``) whose model was unknown
# ("unknown layer") for it. The numbers are those real Keras gives running the same project (``_keras_totals``).

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


def _project(base: Path, package_init: bool) -> Path:
    files = {".git/HEAD": "", "pkg/sub/__init__.py": "", "pkg/sub/blocks.py": _BLOCKS, "pkg/tail.py": _TAIL,
             "pkg/sub/net.py": _NET}
    if package_init:
        files["pkg/__init__.py"] = "VERSION = 1\n"
    write(base, files)
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
    write(unmarked, {".git/HEAD": "", "train.py": "import keras\nimport mylib.blocks\n\n"
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
def test_the_dotted_import_numbers_are_real_keras(unmarked, package_init):
    pytest.importorskip("keras")
    _project(unmarked, package_init)
    assert _keras_totals(unmarked) == _EXPECTED
