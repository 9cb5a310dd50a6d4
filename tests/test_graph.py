"""``kerascount graph``: the Mermaid and DOT text parsed back and compared with real Keras.

Layer names, types, output shapes and params come from the fixture's truth file (written by real
Keras, tools/keras_truth.py); the connections come from real Keras too (each layer's inbound nodes,
in a subprocess with the numpy backend), or from the source's wiring where Keras is not installed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple


from kerascount.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "layers" / "transformer_block.py"

#: The wiring of fixtures/layers/transformer_block.py as its source writes it (producer, consumer).
WRITTEN = {("input_layer", "embedding"), ("embedding", "multi_head_attention"), ("embedding", "add"),
           ("multi_head_attention", "add"), ("add", "layer_normalization"), ("layer_normalization", "dense"),
           ("dense", "dense_1"), ("layer_normalization", "add_1"), ("dense_1", "add_1"),
           ("add_1", "layer_normalization_1"), ("layer_normalization_1", "global_average_pooling1d"),
           ("global_average_pooling1d", "dense_2")}

EDGES_PROBE = """
import json, runpy, sys
g = runpy.run_path(sys.argv[1])
m = g["model"]
print(json.dumps([[p.operation.name, l.name] for l in m.layers for n in l._inbound_nodes for p in n.parent_nodes]))
"""


def keras_edges(path: Path) -> Set[Tuple[str, str]]:
    env = dict(os.environ, KERAS_BACKEND="numpy")
    r = subprocess.run([sys.executable, "-c", EDGES_PROBE, str(path)], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return WRITTEN
    return {tuple(e) for e in json.loads(r.stdout)}


def parse_mermaid(text: str) -> List[dict]:
    """A small parser for the Mermaid subset kerascount writes; fails on any other line."""
    graphs: List[dict] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line == "flowchart TD":
            graphs.append({"nodes": {}, "edges": [], "classes": {}, "classdefs": {}})
            continue
        g = graphs[-1]
        body = line.strip()
        if body.startswith("%%"):
            continue
        node = re.fullmatch(r'(L\d+)\["([^"]*)"\]', body)
        edge = re.fullmatch(r"(L\d+) --> (L\d+)", body)
        classdef = re.fullmatch(r"classDef (\w+) (\S+)", body)
        cls = re.fullmatch(r"class ((?:L\d+,)*L\d+) (\w+)", body)
        if node:
            assert node.group(1) not in g["nodes"], f"node defined twice: {line}"
            g["nodes"][node.group(1)] = node.group(2).split("<br/>")
        elif edge:
            assert edge.group(1) in g["nodes"] and edge.group(2) in g["nodes"], f"edge to an undefined node: {line}"
            g["edges"].append((edge.group(1), edge.group(2)))
        elif classdef:
            g["classdefs"][classdef.group(1)] = classdef.group(2)
        elif cls:
            assert cls.group(2) in g["classdefs"], f"class used before classDef: {line}"
            for nid in cls.group(1).split(","):
                assert nid in g["nodes"]
                g["classes"].setdefault(cls.group(2), set()).add(nid)
        else:
            raise AssertionError(f"not Mermaid that kerascount writes: {line!r}")
    return graphs


def parse_dot(text: str) -> List[dict]:
    """The digraphs' nodes (id → label lines and attributes) and edges, by structure."""
    graphs = []
    for block in re.findall(r'digraph "[^"]*" \{\n(.*?)\n\}', text, re.S):
        nodes: Dict[str, dict] = {}
        edges = []
        for line in block.splitlines():
            line = line.strip()
            m = re.fullmatch(r'(L\d+) \[label="((?:[^"\\]|\\.)*)"(.*)\];', line)
            e = re.fullmatch(r"(L\d+) -> (L\d+);", line)
            if m:
                nodes[m.group(1)] = {"label": m.group(2).split("\\n"), "attrs": m.group(3)}
            elif e:
                edges.append((e.group(1), e.group(2)))
            else:
                assert re.fullmatch(r'(label="[^"]*"|labelloc=t|rankdir=TB|node \[.*\]);', line), line
        graphs.append({"nodes": nodes, "edges": edges})
    assert text.count("digraph") == len(graphs)
    return graphs


def truth_rows() -> List[dict]:
    data = json.loads(FIXTURE.with_name("transformer_block.keras.json").read_text())
    return data["models"][0]["layers"]


def _shape(shape) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def run(capsys, *argv: str) -> Tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def graphs_of(tmp_path: Path, capsys, source: str) -> List[dict]:
    """The Mermaid graphs of a file with ``source``, parsed."""
    src = tmp_path / "m.py"
    src.write_text(source)
    code, out = run(capsys, "graph", str(src))
    assert code == 0
    return parse_mermaid(out)


def by_name(nodes: Dict[str, List[str]], edges) -> Set[Tuple[str, str]]:
    return {(nodes[a][0], nodes[b][0]) for a, b in edges}


def test_mermaid_nodes_and_edges_are_keras_s(capsys):
    code, out = run(capsys, "graph", str(FIXTURE))
    assert code == 0
    [g] = parse_mermaid(out)
    rows = truth_rows()
    assert len(g["nodes"]) == len(rows)
    for i, row in enumerate(rows):
        name, type_, shape, params = g["nodes"][f"L{i}"]
        assert (name, type_, shape) == (row["name"], row["type"], _shape(row["output_shape"]))
        assert params.split(" (")[0] == f"params: {row['params']:,}"
    assert by_name(g["nodes"], g["edges"]) == keras_edges(FIXTURE)
    # Heavy: the (up to 3) layers with the most params that hold >= 10% of the model's.
    total = sum(r["params"] for r in rows)
    ranked = sorted(range(len(rows)), key=lambda i: (-rows[i]["params"], i))[:3]
    expected = {f"L{i}" for i in ranked if rows[i]["params"] * 10 >= total}
    assert g["classes"]["heavy"] == expected
    for nid in expected:
        share = round(100 * rows[int(nid[1:])]["params"] / total)
        assert g["nodes"][nid][3].endswith(f"({share}%)")


def test_dot_has_the_same_graph(capsys):
    _, mermaid = run(capsys, "graph", str(FIXTURE))
    code, out = run(capsys, "graph", "--format", "dot", str(FIXTURE))
    assert code == 0
    [m] = parse_mermaid(mermaid)
    [d] = parse_dot(out)
    assert {k: v["label"] for k, v in d["nodes"].items()} == m["nodes"]
    assert d["edges"] == m["edges"]
    assert {k for k, v in d["nodes"].items() if "fillcolor" in v["attrs"]} == m["classes"]["heavy"]


def test_sequential_in_order_and_model_filter(tmp_path, capsys):
    ga, gb = graphs_of(tmp_path, capsys, 'import keras\nfrom keras import layers\n'
                       'a = keras.Sequential([keras.Input((8,)), layers.Dense(4, name="x"), layers.Dropout(0.1), '
                       'layers.Dense(2, name="q\\"uote")])\n'
                       'b = keras.Sequential([keras.Input((3,)), layers.Dense(1)])\n')
    src = tmp_path / "m.py"
    assert [v[0] for v in ga["nodes"].values()] == ["x", "dropout", "q#quot;uote"]
    assert ga["edges"] == [("L0", "L1"), ("L1", "L2")]
    assert gb["edges"] == []
    code, out = run(capsys, "graph", "--format", "dot", "--model", "a", str(src))
    [d] = parse_dot(out)
    assert d["nodes"]["L2"]["label"][0] == 'q\\"uote'
    code, out = run(capsys, "graph", "--model", "nope", str(src))
    assert (code, out) == (1, "")


def test_summary_markdown_embeds_the_graph(capsys):
    code, out = run(capsys, "summary", "--format", "markdown", "--graph", str(FIXTURE))
    assert code == 0
    assert out.index("| Layer (type) |") < out.index("```mermaid\nflowchart TD\n")
    fenced = out.split("```mermaid\n")[1].split("```")[0]
    assert len(parse_mermaid(fenced)[0]["nodes"]) == len(truth_rows())
    code = main(["summary", "--graph", str(FIXTURE)])
    assert code == 2


def test_readme_graph_is_real(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"`kerascount graph (\S+)`:\n\n```mermaid\n(.*?)```", readme, re.S)
    _, out = run(capsys, "graph", block.group(1))
    assert out == block.group(2)


def test_subclassed_edges_follow_call_through_operations(tmp_path, capsys):
    called, idle = graphs_of(tmp_path, capsys, "import keras\nfrom keras import layers, ops\n\n"
                   "class Net(keras.Model):\n"
                   "    def __init__(self):\n"
                   "        super().__init__()\n"
                   "        self.a = layers.Dense(8)\n"
                   "        self.b = layers.Dense(8)\n"
                   "        self.c = layers.Dense(2)\n"
                   "    def call(self, x):\n"
                   "        h = ops.relu(self.a(x))\n"
                   "        return self.c(h + self.b(x))\n\n"
                   "net = Net()\nnet(keras.Input((4,)))\n"
                   "idle = Net()\n")
    names = {nid: label[0] for nid, label in called["nodes"].items()}
    assert {(names[a], names[b]) for a, b in called["edges"]} == {("dense", "dense_2"), ("dense_1", "dense_2")}
    assert idle["edges"] == []  # never called: Keras has run nothing, there is no graph


def test_shapes_read_while_interpreting_leave_the_report_whole():
    # a shape read in the middle of a graph (x.shape) asks a live context, which makes no edges nor "Connected to";
    # the report's own results have both
    from kerascount.api import analyze_source
    from kerascount.extract import extract
    from kerascount.infer import FileContext

    src = ("import keras\nfrom keras import layers\ninp = keras.Input((8,))\na = layers.Dense(4)(inp)\n"
           "b = layers.Dense(a.shape[-1])(inp)\nm = keras.Model(inp, layers.Add()([a, b]))\n")
    (model,) = analyze_source(src, "m.py").models
    assert model.edges and model.connections
    ir = extract(src, "m.py")
    assert FileContext(ir, live=True).model(0).edges is None
    assert FileContext(ir).model(0).edges == model.edges
