"""Jupyter notebooks: code cells analysed in order, positions reported as cell and line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_fixtures import load_truth

from kerascount.notebook import code_of

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "fixtures/notebooks/bilag5.ipynb"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def test_lint_reports_cell_and_line():
    r = run("lint", NOTEBOOK)
    assert r.returncode == 1
    assert f"{NOTEBOOK}:cell 6:8:16: KC201 Flatten→Dense head adds 327.7M params (99.9% of the model)" in r.stdout


def test_json_has_cells_and_the_seed_numbers():
    r = run("summary", "--format", "json", NOTEBOOK)
    doc = json.loads(r.stdout)
    (f,) = doc["files"]
    # The notebook holds the code of the two seed fixtures; its numbers are their real-Keras truth.
    truths = [load_truth("fixtures/seeds/bilag5_dense_head.py")["models"][0],
              load_truth("fixtures/seeds/bilag5_fully_convolutional.py")["models"][0]]
    assert [(m["cell"], m["line"]) for m in f["models"]] == [(6, 10), (10, 9)]
    for got, truth in zip(f["models"], truths):
        assert got["total_params"] == truth["total_params"]
        # (names differ: in one notebook, Keras's automatic names continue from the first model)
        assert [(l["type"], l["output_shape"], l["params"]) for l in got["layers"]] == [
            (l["type"], l["output_shape"], l["params"]) for l in truth["layers"]
        ]
    r = run("lint", "--format", "json", NOTEBOOK)
    (d,) = json.loads(r.stdout)["files"][0]["diagnostics"]
    assert (d["code"], d["cell"], d["line"], d["column"]) == ("KC201", 6, 8, 16)


def test_directory_walk_includes_notebooks():
    r = run("lint", "fixtures/notebooks/")
    assert "bilag5.ipynb:cell 6:8:16" in r.stdout


def test_magics_and_shell_escapes_are_masked():
    nb = {"cells": [
        {"cell_type": "code", "source": ["%matplotlib inline\n", "import keras\n", "files = !ls\n", "keras?\n",
                                         "if True:\n", "    !echo hi\n"]},
        {"cell_type": "markdown", "source": ["# text"]},
        {"cell_type": "code", "source": "%%bash\necho not python\n"},
        {"cell_type": "code", "source": "%%time\nx = 1\n"},
    ]}
    text, cells = code_of(json.dumps(nb))
    compile(text, "nb", "exec")  # valid Python
    lines = text.split("\n")
    assert lines[0] == "pass" and lines[1] == "import keras" and lines[2] == "pass" and lines[5] == "    pass"
    assert "echo" not in text and "x = 1" in text
    assert cells.locate(1) == (1, 1)
    x_line = lines.index("x = 1") + 1
    assert cells.locate(x_line) == (4, 2)


def test_continued_escapes_and_automagics_are_python_as_ipython_reads_them():
    # Patterns of real notebooks that IPython runs: a shell command continued with backslashes, a
    # '%' that begins a continued line of a Python expression (not a magic), an automagic `ls`.
    nb = {"cells": [
        {"cell_type": "code", "source": "!curl --silent \\\n    -o /tmp/data.csv \\\n    https://example.org/d\n"
                                        "import keras\n"},
        {"cell_type": "code", "source": "size, total = 3, 4\nprint('%d of %d' \\\n      % (size, total))\n"
                                        "ratio = (size\n         % total)\n"},
        {"cell_type": "code", "source": "ls ./data/train/\n"},
        {"cell_type": "code", "source": "ls = [1, 2]\nls\ntime = 3\n"},
        {"cell_type": "code", "source": "s = '''\n%not a magic inside a string\n'''\n"},
    ]}
    text, _ = code_of(json.dumps(nb))
    compile(text, "nb", "exec")  # valid Python
    lines = text.split("\n")
    assert lines[:4] == ["pass", "", "", "import keras"]
    assert "      % (size, total))" in lines and "         % total)" in lines
    assert "ls ./data/train/" not in text  # the automagic, masked
    start = lines.index("ls = [1, 2]")
    assert lines[start:start + 3] == ["ls = [1, 2]", "ls", "time = 3"]  # valid Python is never taken for a magic
    assert "%not a magic inside a string" in lines


def test_a_cell_indented_as_a_whole_is_read_as_ipython_dedents_it():
    # IPython removes the first line's indentation from the cell's lines (a loop pasted from a function).
    nb = {"cells": [
        {"cell_type": "code", "source": "import keras\n"},
        {"cell_type": "code", "source": " for _ in range(3):\n        model = keras.Sequential()\n"},
        {"cell_type": "code", "source": "x = 1\n"},
    ]}
    text, cells = code_of(json.dumps(nb))
    compile(text, "nb", "exec")  # valid Python
    lines = text.split("\n")
    row = lines.index("        model = keras.Sequential()") + 1  # the columns are the cell's own
    assert cells.locate(row) == (2, 2) and cells.locate(row - 1) == (2, 1) and cells.locate(row - 2) == (2, 0)
    assert lines[row - 3] == "if True:" and cells.locate(lines.index("x = 1") + 1) == (3, 1)


def test_an_indented_comment_above_code_at_column_0_needs_no_block():
    # Kaggle's template comment pasted with a leading indent: IPython dedents the comment and runs the cell.
    nb = {"cells": [
        {"cell_type": "code", "source": "    # This Python 3 environment comes with ...\n# It is defined by ...\n\n"
                                        "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"},
        {"cell_type": "code", "source": "  # an indented comment\n  x = 1\n"},
    ]}
    text, cells = code_of(json.dumps(nb))
    compile(text, "nb", "exec")  # valid Python
    lines = text.split("\n")
    assert lines.count("if True:") == 1 and cells.locate(lines.index("if True:") + 1) == (2, 0)
    assert cells.locate(lines.index("import keras") + 1) == (1, 4)


def test_broken_notebook_is_a_diagnostic(tmp_path):
    (tmp_path / "bad.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "import keras"')
    r = run("lint", "bad.ipynb", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "bad.ipynb:1:1: KC001 not a valid notebook" in r.stdout


def test_a_syntax_error_names_the_line_of_its_cell(tmp_path):
    # Python's message names a line of the joined text ("... function definition on line 9"); the reader of a
    # notebook knows the cell's line (a student's exercise left a method without its body).
    from kerascount.api import analyze_source

    nb = {"cells": [
        {"cell_type": "code", "source": "import keras\nimport numpy as np\n\nwidth = 4\n"},
        {"cell_type": "markdown", "source": "Fill in `fit`:"},
        {"cell_type": "code", "source": "class Ridge:\n    def fit(self, x, y):\n        # your code here\n\n"
                                        "    def predict(self, x):\n        return x\n"},
    ]}
    for report in (analyze_source(json.dumps(nb), "exercise.ipynb"),):
        (d,) = [d for d in report.diagnostics if d.code == "KC000"]
        assert report.locate(d.span.line) == (3, 5)
        assert d.message == "syntax error: expected an indented block after function definition on line 2 " \
            "(the cell is skipped: the other cells are analysed)"
    (tmp_path / "exercise.ipynb").write_text(json.dumps(nb))
    r = run("lint", "exercise.ipynb", cwd=tmp_path)
    assert "exercise.ipynb:cell 3:5:5: KC000 syntax error: expected an indented block after function definition " \
           "on line 2 (the cell is skipped: the other cells are analysed)\n" in r.stdout, r.stdout


def test_the_cells_that_parse_are_analysed_beside_one_that_does_not(tmp_path):
    # Python 2's print statement in one cell of a course notebook: Jupyter fails that cell alone
    nb = {"cells": [
        {"cell_type": "code", "source": "import keras\nfrom keras import layers\n"},
        {"cell_type": "code", "source": "print 'shapes'\n"},
        {"cell_type": "code", "source": "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"},
        {"cell_type": "code", "source": "x = 1 +\n"},
        {"cell_type": "code", "source": "head = keras.Sequential([keras.Input((3,)), layers.Dense(1)])\n"},
    ]}
    from kerascount.api import analyze_source

    report = analyze_source(json.dumps(nb), "course.ipynb")
    assert [m.total for m in report.models] == [15, 4]
    errors = [(report.locate(d.span.line)[0], d.code) for d in report.diagnostics if d.code == "KC000"]
    assert errors == [(2, "KC000"), (4, "KC000")]
    (tmp_path / "course.ipynb").write_text(json.dumps(nb))
    r = run("summary", "course.ipynb", cwd=tmp_path)
    assert "course.ipynb:cell 3:1: `model` (sequential)" in r.stdout and "cell 5:1: `head`" in r.stdout, r.stdout


FUTURE_CASES = {
    # after code (a notebook exported as a script: its first cells' code comes first)
    "after_code": "import keras\nfrom __future__ import print_function\n",
    "after_a_second_string": '"""doc"""\n"""more"""\nfrom __future__ import division\n',
    "in_a_function": "def f():\n    from __future__ import division\n",
    "unknown_feature": "from __future__ import print_function, teleport\n",
    "braces": "from __future__ import braces\n",
    # accepted
    "after_docstring_and_comments": '# a comment\n"""doc"""\n# another\nfrom __future__ import annotations\n'
                                    "from __future__ import division\nimport keras\n",
    "relative_module": "from . import __future__\n",
}


MODEL_15 = "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\n"


def _as_cpython_compiles(source: str, name: str, column: bool = False) -> None:
    """kerascount reads ``source`` as CPython's compiler does: the model (15 params) where it compiles, else KC000 at
    the line (and ``column``: the column) and with the message of its SyntaxError, and no model."""
    import warnings

    from kerascount.api import analyze_source

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<case>", "exec", dont_inherit=True)
        expected = None
    except SyntaxError as err:
        expected = err
    report = analyze_source(source, f"{name}.py")
    errors = [d for d in report.diagnostics if d.code == "KC000"]
    if expected is None:
        assert not errors and [m.total for m in report.models] == [15], (name, report.diagnostics)
        return
    assert [(d.span.line, d.span.column if column else None, d.message) for d in errors] == \
        [(expected.lineno, expected.offset if column else None, f"syntax error: {expected.msg}")], name
    assert not report.models, name


def test_a_future_import_after_code_is_the_syntax_error_cpython_compiles_it_to():
    """ast.parse accepts a misplaced ``from __future__ import``, but CPython's compiler rejects the file, which then
    never runs (hold-out 14: three notebooks exported as scripts put a later cell's future import after code). In a
    notebook, IPython compiles each statement of a cell alone, so there it is no error."""
    from kerascount.api import analyze_source

    model = MODEL_15
    for name, head in FUTURE_CASES.items():
        source = "import keras\n" + head + model if not head.startswith(("#", '"""', "from __")) else \
            head + "import keras\n" + model
        _as_cpython_compiles(source, name)
    cell = {"cell_type": "code", "source": "import keras\nimport warnings\nwarnings.filterwarnings('ignore')\n"
                                           "from __future__ import print_function\n" + model}
    report = analyze_source(json.dumps({"cells": [cell]}), "exported.ipynb")
    assert not [d for d in report.diagnostics if d.code == "KC000"] and [m.total for m in report.models] == [15]


REPEATED_KEYWORD_CASES = {
    # rejected by CPython's compiler (ast.parse accepts them)
    "call": "def f(**kw):\n    return kw\nx = f(images=1, labels=2, images=3)\n",
    "nested": "def f(**kw):\n    return kw\nx = [f(a=f(b=1, b=2))]\n",
    "class": "class Meta(type):\n    pass\nclass A(metaclass=Meta, metaclass=Meta):\n    pass\n",
    # accepted
    "unpacked": "def f(**kw):\n    return kw\nx = f(**{'a': 1}, **{'b': 2}, c=3)\n",
    "two_calls": "def f(**kw):\n    return kw\nx = f(a=1), f(a=2)\n",
}


def test_a_keyword_argument_repeated_is_the_syntax_error_cpython_compiles_it_to():
    """ast.parse accepts a call given the same keyword twice, but CPython's compiler rejects the file, which then never
    runs (hold-out 55: an Optuna study script passing ``train_validate_images=`` twice, whose images kerascount took
    to be the labels given second, and reported KC701 on its ``fit``). In a notebook that cell is skipped."""
    from kerascount.api import analyze_source

    model = MODEL_15
    for name, middle in REPEATED_KEYWORD_CASES.items():
        _as_cpython_compiles("import keras\n" + middle + model, name, column=True)
    nb = {"cells": [{"cell_type": "code", "source": "import keras\ndef f(**kw):\n    return kw\n"},
                    {"cell_type": "code", "source": "x = f(a=1, a=2)\n"},
                    {"cell_type": "code", "source": model}]}
    report = analyze_source(json.dumps(nb), "study.ipynb")
    assert [d.code for d in report.diagnostics] == ["KC000"] and [m.total for m in report.models] == [15]


def test_a_cell_that_does_not_parse_is_skipped_with_kc000_not_selected():
    from kerascount.api import analyze_source
    from kerascount.config import Config

    nb = {"cells": [{"cell_type": "code", "source": "import keras\nfrom keras import layers\n"},
                    {"cell_type": "code", "source": "print 'python 2'\n"},
                    {"cell_type": "code", "source": "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"}]}
    report = analyze_source(json.dumps(nb), "course.ipynb", Config(ignore=("KC000",)))
    assert [m.total for m in report.models] == [15] and not report.diagnostics
