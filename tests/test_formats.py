"""Output formats other than text and json: SARIF 2.1.0, GitHub annotations, Markdown tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    assert nb["properties"] == {"cell": 6} and nb["locations"][0]["physicalLocation"]["region"]["startLine"] == 8


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
