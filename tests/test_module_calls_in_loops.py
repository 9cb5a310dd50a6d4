"""A loop the analysis cannot run to its end (over files found on disk) that reaches a project module through the name
it imports it as: calling the module's functions (``reader.read(p)``) and reading its constants and the libraries it
imports (``cfg.np.zeros((1, cfg.SEQ))``) change nothing of the module, so its other names keep their values
(fixtures/multifile/clips_in_loop.py has the numbers against Keras); what those functions write or change is
forgotten as for functions called by name, and a loop that assigns an attribute of the module, changes an object it
holds or hands it to other code forgets the module whole."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_CFG = ("import numpy as np\nSEQ = 20\nWIDTH = 8\nITEMS = []\n\n"
        "def grow():\n    global WIDTH\n    WIDTH *= 2\n\n"
        "def keep(x):\n    ITEMS.append(x)\n")

_READER = ("import cfg\n\n"
           "def read(path):\n    return cfg.np.zeros((3, 2))\n\n"
           "def read_and_grow(path):\n    cfg.grow()\n    return cfg.np.zeros((3, 2))\n\n"
           "def read_and_keep(path):\n    cfg.keep(path)\n    return None\n")

_MAIN = ("import glob\nimport keras\nfrom keras import layers\nimport cfg\nimport reader\n\n"
         "for path in glob.glob('clips/*.npy'):\n{body}"
         "x = keras.Input((cfg.SEQ, cfg.WIDTH + len(cfg.ITEMS)))\n"
         "m = keras.Model(x, layers.Dense(2)(layers.Flatten()(x)))\n")


def _total(tmp_path, body: str):
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "cfg.py").write_text(_CFG)
    (tmp_path / "reader.py").write_text(_READER)
    src = _MAIN.format(body=body)
    main = tmp_path / "train.py"
    main.write_text(src)
    report = analyze_source(src, str(main))
    assert report.internal_error is None, report.internal_error
    (model,) = report.models
    return model.total if model.status == "exact" else None


@pytest.mark.parametrize("body", [
    "    frames = reader.read(path)\n    row = cfg.np.zeros((1, cfg.SEQ))\n",  # a function and a library
    "    n = min(cfg.SEQ, len(path))\n",                                          # a constant read
    "    cfg.np.random.seed(len(path))\n",                                        # a library's own state
])
def test_a_loop_that_only_calls_and_reads_keeps_the_module(tmp_path, body):
    # (no clip on disk: the loop runs no time, and cfg is as it was written, SEQ 20 and WIDTH 8)
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    kept = ("import keras\nfrom keras import layers\nx = keras.Input((20, 8))\n"
            "model = keras.Model(x, layers.Dense(2)(layers.Flatten()(x)))\n")
    assert _total(tmp_path, body) == keras_probe(COUNT_OR_RAISED, {"kept": kept})["kept"]


@pytest.mark.parametrize("body", [
    "    cfg.grow()\n",                          # a function of the module that assigns a global
    "    reader.read_and_grow(path)\n",          # ... reached through a function of another module
    "    cfg.WIDTH += 1\n",                      # an attribute of the module assigned
    "    cfg.ITEMS.append(path)\n",              # an object it holds changed in place
    "    reader.read_and_keep(path)\n",          # ... by a function of another module, through one of this one
    "    handle(cfg)\n",                         # the module handed to code not followed
    "    frames = reader.read(path)\n    cfg.WIDTH = 3\n",
])
def test_a_loop_that_may_change_the_module_forgets_what_it_changes(tmp_path, body):
    assert _total(tmp_path, body) is None


_NETS = ("import keras\nfrom keras import layers\nWIDTH = 6\n\n"
         "def build(n):\n    return keras.Sequential([keras.Input((n,)), layers.Dense(WIDTH), layers.Dense(1)])\n\n"
         "def widen():\n    global WIDTH\n    WIDTH += 2\n")


def _fold_models(tmp_path, body: str):
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "nets.py").write_text(_NETS)
    src = f"import glob\nimport nets\n\nfor fold in glob.glob('folds/*.npz'):\n{body}"
    main = tmp_path / "train.py"
    main.write_text(src)
    report = analyze_source(src, str(main))
    assert report.internal_error is None, report.internal_error
    return report.models


@pytest.mark.keras
def test_a_model_built_in_each_run_by_a_function_of_a_module_is_listed(tmp_path):
    # (k-fold training: `model = nets.build(n)` in a loop over folds the analysis does not see, as for
    # `from nets import build`)
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    (model,) = _fold_models(tmp_path, "    model = nets.build(10)\n    model.compile('adam', 'mse')\n")
    assert model.status == "exact"
    assert model.total == keras_probe(COUNT_OR_RAISED, {"fold": _NETS + "model = build(10)\n"})["fold"]


def test_a_module_function_that_keeps_state_between_runs_is_not_taken_as_one_run(tmp_path):
    models = _fold_models(tmp_path, "    nets.widen()\n    model = nets.build(10)\n")
    assert not [m for m in models if m.status == "exact"]
