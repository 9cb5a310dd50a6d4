"""``kerascount server``: a real LSP session over stdio, and the pure position → layer lookup behind hover.

Expected shapes and parameter counts come from the truth files real Keras wrote; expected ranges
are found in the source text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from lsp_client import client  # noqa: F401 - a fixture
from lsp_client import (HEAD_CALL, ROOT, SEED, TIMEOUT, TRUTH, Client, change, open_file, open_notebook,
                        position_of, shape_of, truth_layer)

from kerascount.api import analyze_source
from kerascount.ir import Span
from kerascount.lsp.documents import Place, file_buffer, notebook_buffer
from kerascount.lsp.hover import find, markdown


# -- pure functions ----------------------------------------------------------


def test_find_gives_each_row_under_its_construction_call():
    report = analyze_source(SEED.read_text(), str(SEED))
    model = report.models[0]
    for row in model.rows:
        span = row.layer.span
        for line, column in ((span.line, span.column), (span.end_line, span.end_column - 1)):
            hit = find(report.models, line, column)
            assert hit is not None and hit.rows == (row,), (row.layer.name, line, column)
            expected = truth_layer(row.layer.name)
            assert shape_of(expected["output_shape"]) in markdown(hit)
            assert f"{expected['params']:,}" in markdown(hit)


def test_find_gives_the_model_on_its_line_and_nothing_elsewhere():
    report = analyze_source(SEED.read_text(), str(SEED))
    line = report.models[0].model.span.line
    hit = find(report.models, line, 1)
    assert hit is not None and hit.rows == () and hit.span == report.models[0].model.span
    text = markdown(hit)
    assert f"Total params: {TRUTH['total_params']:,}" in text
    assert f"Non-trainable params: {TRUTH['non_trainable_params']:,}" in text
    assert find(report.models, 1, 1) is None  # the comment on the first line
    assert find(report.models, line + 2, 1) is None  # model.summary()


def test_hover_text_splits_params_only_when_some_are_not_trainable():
    path = ROOT / "fixtures/layers/batch_normalization.py"
    source = path.read_text()
    truth = json.loads(path.with_suffix(".keras.json").read_text())["models"][0]
    report = analyze_source(source, str(path))
    lines = source.split("\n")
    for layer in truth["layers"]:
        text = lines[layer["line"] - 1]
        hit = find(report.models, layer["line"], text.index("= ") + 3)  # on the call after "name = "
        shown = markdown(hit)
        assert shown.startswith(f"**{layer['name']}** ({layer['type']})")
        assert f"- Output shape: `{shape_of(layer['output_shape'])}`" in shown
        assert f"- Params: {layer['params']:,}" in shown
        split = (f"- Trainable params: {layer['trainable_params']:,}\n"
                 f"- Non-trainable params: {layer['non_trainable_params']:,}")
        assert (split in shown) == bool(layer["non_trainable_params"]), shown


def test_a_helper_from_another_file_shows_every_layer_it_makes():
    path = ROOT / "fixtures/multifile/classifier.py"
    source = path.read_text()
    truth = json.loads(path.with_suffix(".keras.json").read_text())["models"][0]
    report = analyze_source(source, str(path))
    at = position_of(source, "conv_block(x, f)")
    hit = find(report.models, at["line"] + 1, at["character"] + 1)
    made = [layer for layer in truth["layers"] if layer["line"] == at["line"] + 1]  # by the loop's three calls
    assert hit is not None and [r.layer.name for r in hit.rows] == [layer["name"] for layer in made]
    text = markdown(hit)
    assert text.startswith(f"**{len(made)} layers** made here")
    for layer in made:
        split = "" if not layer["non_trainable_params"] else (
            f" (trainable {layer['trainable_params']:,}, non-trainable {layer['non_trainable_params']:,})")
        assert f"**{layer['name']}** ({layer['type']}): `{shape_of(layer['output_shape'])}`, " \
               f"{layer['params']:,}" in text and split in text, layer


def test_buffer_positions_in_a_file_and_in_a_notebook():
    buffer = file_buffer("m.py", "file:///m.py", "import keras\n")
    assert buffer.place(Span(16, 16, 16, 38)) == Place("file:///m.py", (15, 15), (15, 37))
    assert buffer.from_editor("file:///m.py", 0) == 1 and buffer.from_editor("file:///other.py", 0) is None

    cells = [("cell1", "%matplotlib inline\nimport keras"), ("cell2", "x = 1\ny = (\n2)")]
    notebook = notebook_buffer("nb.ipynb", cells)
    assert notebook.text.split("\n")[:2] == ["pass", "import keras"]  # magics masked, as kerascount lint does
    assert notebook.to_editor(4) == ("cell2", 1)
    assert notebook.from_editor("cell2", 1) == 4 and notebook.from_editor("cell3", 0) is None
    assert notebook.place(Span(4, 5, 5, 2)) == Place("cell2", (1, 4), (2, 1))
    assert notebook.place(Span(2, 1, 3, 2)) == Place("cell1", (1, 0), (1, len("import keras")))  # cut at its cell
    assert notebook_buffer("empty.ipynb", []).place(Span(1, 1, 1, 1)) is None


# -- the server, over stdio ----------------------------------------------------




def test_session_diagnostics_hover_and_fix(client, tmp_path):
    init = client.start(tmp_path)
    assert init["serverInfo"]["name"] == "kerascount"
    assert init["capabilities"]["hoverProvider"] and "notebookDocumentSync" in init["capabilities"]

    text = SEED.read_text()
    uri = open_file(client, tmp_path / "model.py", text)
    (finding,) = client.diagnostics(uri)
    assert finding["code"] == "KC201" and finding["source"] == "kerascount" and finding["severity"] == 2
    assert f"{truth_layer('dense')['params'] / 1e6:.1f}M" in finding["message"]
    assert finding["range"] == {"start": position_of(text, HEAD_CALL),
                                "end": position_of(text, HEAD_CALL, len(HEAD_CALL))}

    dense = truth_layer("dense")
    shown = client.hover(uri, position_of(text, "Dense(units", 2))
    assert "**dense** (Dense)" in shown
    assert client.hover_range == {"start": position_of(text, "Dense(units"),
                                  "end": position_of(text, "Dense(units=100)", len("Dense(units=100)"))}
    assert f"Output shape: `{shape_of(dense['output_shape'])}`" in shown and f"Params: {dense['params']:,}" in shown
    conv = truth_layer("conv2d")
    shown = client.hover(uri, position_of(text, "kernel_size=(2, 2)"))  # inside a call over four lines
    assert f"`{shape_of(conv['output_shape'])}`" in shown and f"Params: {conv['params']:,}" in shown
    shown = client.hover(uri, position_of(text, "model = Model("))
    assert f"Total params: {TRUTH['total_params']:,}" in shown
    assert f"Trainable params: {TRUTH['trainable_params']:,}" in shown
    assert f"Output: `{shape_of(TRUTH['outputs'][0])}`" in shown
    constant = position_of(text, "CHANNELS = 1")
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": constant}) is None

    fixed = text.replace("Flatten", "GlobalAveragePooling2D")
    change(client, uri, 2, fixed)
    assert client.diagnostics(uri, version=2) == []
    pooled = (conv["output_shape"][-1] + 1) * dense["output_shape"][-1]  # Dense on the pooled channels
    assert f"Params: {pooled:,}" in client.hover(uri, position_of(fixed, "Dense(units", 2))

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []
    assert client.stop() == 0


def test_session_uses_settings_noqa_and_utf16_columns(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kerascount.severity]\nKC201 = "error"\n')
    client.start(tmp_path)
    text = SEED.read_text().replace("output_layer = Dense", 'tag = "😀é"; output_layer = Dense')
    uri = open_file(client, tmp_path / "model.py", text)
    (finding,) = client.diagnostics(uri)
    assert finding["code"] == "KC201" and finding["severity"] == 1  # error, from [tool.kerascount.severity]
    start = position_of(text, HEAD_CALL)
    assert start["character"] == text.split("\n")[start["line"]].index(HEAD_CALL) + 1  # 😀 is 2 UTF-16 units
    assert finding["range"]["start"] == start
    assert client.hover(uri, position_of(text, "Dense(units")).startswith("**dense** (Dense)")

    change(client, uri, 2, text.replace(HEAD_CALL, HEAD_CALL + "  # noqa: KC201"))
    assert client.diagnostics(uri, version=2) == []
    change(client, uri, 3, "import keras\nm = keras.Sequential([")  # a syntax error is a finding, not a crash
    (syntax,) = client.diagnostics(uri, version=3)
    assert syntax["code"] == "KC000" and syntax["severity"] == 1
    (tmp_path / "pyproject.toml").write_text('[tool.kerascount]\nignore = ["KC000"]\n')
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})  # settings are read again on save
    assert client.diagnostics(uri) == []
    assert client.stop() == 0


def test_session_notebook_findings_on_their_cell(client, tmp_path):
    client.start(tmp_path)
    notebook_uri, uris, texts, code = open_notebook(client, tmp_path / "bilag5.ipynb")
    head = next(i for i, t in enumerate(texts) if HEAD_CALL in t)
    published = {}
    while len(published) < sum(code):
        message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        published[message["params"]["uri"]] = message["params"]["diagnostics"]
    assert set(published) == {u for u, c in zip(uris, code) if c}
    (finding,) = published[uris[head]]
    assert finding["code"] == "KC201"
    assert finding["range"]["start"] == position_of(texts[head], HEAD_CALL)
    assert not any(published[u] for u in published if u != uris[head])

    dense = truth_layer("dense")  # the cell builds the same model as the seed
    shown = client.hover(uris[head], position_of(texts[head], "Dense(units", 2))
    assert f"`{shape_of(dense['output_shape'])}`" in shown and f"Params: {dense['params']:,}" in shown
    client.notify("notebookDocument/didClose", {"notebookDocument": {"uri": notebook_uri},
                                                "cellTextDocuments": [{"uri": u} for u in uris]})
    assert client.stop() == 0


def test_server_without_the_lsp_extra_says_how_to_install_it(tmp_path):
    code = "import sys\nsys.modules['pygls'] = None\nfrom kerascount.cli import main\nsys.exit(main(['server']))\n"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env,
                       timeout=TIMEOUT)
    assert r.returncode == 2
    assert r.stderr.strip() == "kerascount server needs the lsp extra: pip install 'kerascount[lsp]'"


def test_lint_does_not_import_the_server(tmp_path):
    (tmp_path / "model.py").write_text(SEED.read_text())
    code = ("import sys, kerascount.cli\nkerascount.cli.main(['lint', '--no-cache', 'model.py'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'kerascount.lsp'))))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env,
                       timeout=TIMEOUT)
    assert r.stdout.strip().endswith("[]"), r.stdout + r.stderr


def test_session_with_invalid_settings_uses_the_defaults_and_says_so(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kerascount]\nselekt = ["KC2"]\n')
    client.start(tmp_path)
    uri = open_file(client, tmp_path / "model.py", SEED.read_text())
    assert [d["code"] for d in client.diagnostics(uri)] == ["KC201"]
    (warning,) = client.shown  # sent before the diagnostics
    assert warning["type"] == 2 and "selekt" in warning["message"] and "default settings" in warning["message"]
    assert client.stop() == 0


def test_analysis_sees_a_project_marker_made_after_an_earlier_analysis(tmp_path):
    # The server lives long: a pyproject.toml made while it runs moves the project root, and with it
    # the folders where `import config` is looked for (project.py). A root remembered from an earlier
    # analysis must not hide it.
    from kerascount.lsp.worker import analyse

    (tmp_path / "config.py").write_text("UNITS = 48\n")
    (tmp_path / "src").mkdir()
    model = tmp_path / "src" / "model.py"
    text = ("import keras\nfrom config import UNITS\n"
            "m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(UNITS)])\n")
    model.write_text(text)
    buffer = file_buffer(str(model), model.as_uri(), text)
    (before,) = analyse(buffer)[0].models
    assert before.status == "symbolic"  # config.py is outside the file's folder and there is no root: UNITS is a symbol
    (tmp_path / "pyproject.toml").write_text("")
    (after,) = analyse(buffer)[0].models
    assert after.total == 48 * (8 + 1)


def test_a_notebook_cell_being_typed_does_not_hide_the_other_cells_models(tmp_path):
    # the editor sends a cell in the middle of an edit (`x = layers.Dense(`): the other cells are still analysed
    from kerascount.lsp.documents import notebook_buffer
    from kerascount.lsp.worker import analyse

    cells = [("cell1", "import keras\nfrom keras import layers\n"),
             ("cell2", "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"),
             ("cell3", "x = layers.Dense(\n")]
    buffer = notebook_buffer(str(tmp_path / "live.ipynb"), cells)
    report, problem = analyse(buffer)
    assert problem is None and [m.total for m in report.models] == [15]
    (error,) = [d for d in report.diagnostics if d.code == "KC000"]
    assert buffer.cells.locate(error.span.line)[0] == 3 and "the cell is skipped" in error.message
