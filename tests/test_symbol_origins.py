"""Where each symbol of a model's numbers comes from (issue #12 item 3): ``ModelResult.symbols``, the text
summary's lines under the table, the JSON ``symbols`` field, the cache and the language server's hover."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from kerascount import api
from kerascount.api import analyze_source
from kerascount.cache import Cache
from kerascount.config import Config
from kerascount.lsp.hover import Hit, markdown
from kerascount.report import json_, text
from kerascount.symbolic import render

ROOT = Path(__file__).resolve().parent.parent

SOURCE = '''\
import argparse
import os
import sys
import numpy as np
from keras import layers, models
from mylib.consts import N_CLASSES

X = np.load("x.npy")
parser = argparse.ArgumentParser()
parser.add_argument("--units", type=int)
args = parser.parse_args()
depth = int(os.environ["DEPTH"])
width = int(sys.argv[1])

m = models.Sequential([
    layers.Input(shape=(X.shape[1],)),
    layers.Dense(args.units),
    layers.Dense(depth),
    layers.Dense(width),
    layers.Dense(N_CLASSES),
])


def build(input_shape):
    inp = layers.Input(shape=input_shape)
    return models.Model(inp, layers.Conv2D(8, 3)(inp))


def build_hp(hp):
    model = models.Sequential([layers.Input(shape=(10,))])
    model.add(layers.Dense(hp.Int("units", min_value=8, max_value=64)))
    return model


def exact():
    return models.Sequential([layers.Input(shape=(10,)), layers.Dense(3)])
'''


def _origins(model):
    return {s.name: (s.origin, None if s.span is None else (s.span.line, s.span.column)) for s in model.symbols}


@pytest.fixture(scope="module")
def report():
    r = analyze_source(SOURCE, "m.py")
    assert r.internal_error is None
    return r


def test_each_kind_of_symbol_says_where_it_comes_from(report):
    seq, built, tuned, exact = report.models
    assert render(seq.total).count("X.shape[1]") == 1  # the numbers are unchanged
    assert _origins(seq) == {
        "N_CLASSES": ("imported from `mylib.consts`, outside the analysed project", (6, 1)),
        "X.shape[1]": ("the data's shape, from `numpy.load`", (8, 5)),
        "args.units": ("an argparse command-line argument", (11, 8)),
        'os.environ["DEPTH"]': ("an environment variable", (12, 13)),
        "sys.argv[1]": ("a command-line argument in sys.argv", (13, 13)),
    }
    assert [s.name for s in seq.symbols] == ["N_CLASSES", "X.shape[1]", "args.units", 'os.environ["DEPTH"]',
                                             "sys.argv[1]"]  # in the order of where they are made
    assert _origins(built) == {f"input_shape[{i}]": ("a parameter of `build`, which nothing calls", (24, 11))
                               for i in range(3)}
    assert _origins(tuned) == {"hp.Int('units')": ("a KerasTuner hyperparameter, which the tuner picks", (31, 28))}
    assert exact.status == "exact" and exact.symbols == ()


def test_the_same_parameter_name_in_two_builders_names_its_own_builder():
    r = analyze_source("from keras import layers, models\n"
                       "def a(n):\n    return models.Sequential([layers.Input((4,)), layers.Dense(n)])\n"
                       "def b(n):\n    return models.Sequential([layers.Input((4,)), layers.Dense(n)])\n", "m.py")
    assert [_origins(m) for m in r.models] == [{"n": ("a parameter of `a`, which nothing calls", (2, 7))},
                                               {"n": ("a parameter of `b`, which nothing calls", (4, 7))}]


def test_a_value_of_an_object_outside_the_analysed_code():
    r = analyze_source("from keras import layers, models\nfrom settings import load\ncfg = load()\n"
                       "m = models.Sequential([layers.Input((32, 32, 3)), layers.Conv2D(int(cfg.filters), 3)])\n",
                       "m.py")
    assert _origins(r.models[0]) == {"int(cfg.filters)": ("a value from outside the analysed code", (4, 65))}


def test_the_summary_lists_the_symbols_under_the_table(report):
    out = text.summary([report])
    assert " Symbols, where each comes from:\n" \
           "  N_CLASSES: imported from `mylib.consts`, outside the analysed project (line 6)\n" \
           "  X.shape[1]: the data's shape, from `numpy.load` (line 8)\n" \
           "  args.units: an argparse command-line argument (line 11)\n" in out
    assert "  input_shape[0]: a parameter of `build`, which nothing calls (line 24)\n" in out
    assert "  hp.Int('units'): a KerasTuner hyperparameter, which the tuner picks (line 31)\n" in out
    assert out.count("Symbols, where each comes from") == 3  # not under the exact model


def test_json_has_the_symbols_field_only_where_there_are_symbols(report):
    doc = json.loads(json_.render([report], "test"))
    models = doc["files"][0]["models"]
    assert models[0]["symbols"][1] == {"name": "X.shape[1]", "origin": "the data's shape, from `numpy.load`",
                                       "line": 8, "column": 5}
    assert models[2]["symbols"] == [{"name": "hp.Int('units')",
                                     "origin": "a KerasTuner hyperparameter, which the tuner picks",
                                     "line": 31, "column": 28}]
    assert "symbols" not in models[3]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs/kerascount.schema.json").read_text())
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_the_hover_of_a_symbolic_model_lists_its_symbols(report):
    shown = markdown(Hit(report.models[0], (), report.models[0].model.span))
    assert "- `X.shape[1]`: the data's shape, from `numpy.load` (line 8)\n" in shown
    assert "- `N_CLASSES`: imported from `mylib.consts`, outside the analysed project (line 6)\n" in shown
    assert "Symbols" not in markdown(Hit(report.models[3], (), report.models[3].model.span))


def test_a_cached_result_has_the_same_symbols_and_output(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))  # a cache key of this test's own
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    old = time.time() - 3600
    os.utime(path, (old, old))
    cfg = Config()
    fresh = api.analyze_paths([str(path)], cfg, jobs=1, cache=Cache(str(tmp_path), cfg))[0]
    read = []
    real = api.read
    monkeypatch.setattr(api, "read", lambda p: read.append(p) or real(p))
    cached = api.analyze_paths([str(path)], cfg, jobs=1, cache=Cache(str(tmp_path), cfg))[0]
    assert read == []  # from the cache
    assert [m.symbols for m in fresh[0].models] == [m.symbols for m in cached[0].models]
    assert fresh[0].models[0].symbols
    assert json_.render(fresh, "t") == json_.render(cached, "t")
    assert text.summary(fresh) == text.summary(cached)


def test_in_a_notebook_the_place_is_a_cell_and_a_line_in_it():
    cells = [["import numpy as np\n", "X = np.load('x.npy')\n"],
             ["from keras import layers, models\n",
              "m = models.Sequential([layers.Input((X.shape[1],)), layers.Dense(2)])\n"]]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    report = analyze_source(json.dumps(nb), "n.ipynb")
    assert "  X.shape[1]: the data's shape, from `numpy.load` (cell 1, line 2)\n" in text.summary([report])
    assert json.loads(json_.render([report], "t"))["files"][0]["models"][0]["symbols"] == [
        {"name": "X.shape[1]", "origin": "the data's shape, from `numpy.load`", "cell": 1, "line": 2, "column": 5}]
    model = report.models[0]
    assert "(cell 1, line 2)" in markdown(Hit(model, (), model.model.span), report.locate)


def test_the_markdown_summary_lists_the_symbols_under_the_totals(report):
    from kerascount.report import markdown

    out = markdown.render([report])
    assert "Symbols, where each comes from:\n\n" \
           "- `N_CLASSES`: imported from `mylib.consts`, outside the analysed project (line 6)\n" \
           "- `X.shape[1]`: the data's shape, from `numpy.load` (line 8)\n" in out
    assert "- `hp.Int('units')`: a KerasTuner hyperparameter, which the tuner picks (line 31)\n" in out
    assert out.count("Symbols, where each comes from") == 3  # not under the exact model
