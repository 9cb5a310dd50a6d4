"""``kerascount server``: a real LSP session over stdio, and the pure position → layer lookup behind hover.

Expected shapes and parameter counts come from the truth files real Keras wrote; expected ranges
are found in the source text.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

from kerascount.api import analyze_source
from kerascount.ir import Span
from kerascount.lsp.documents import Place, file_buffer, notebook_buffer
from kerascount.lsp.hover import find, markdown

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures/seeds/bilag5_dense_head.py"
TRUTH = json.loads(SEED.with_suffix(".keras.json").read_text())["models"][0]
NOTEBOOK = ROOT / "fixtures/notebooks/bilag5.ipynb"
HEAD_CALL = "Dense(units=100)(flat)"
#: Seconds to wait for any one answer from the server.
TIMEOUT = 30


def truth_layer(name: str) -> Dict[str, Any]:
    return next(layer for layer in TRUTH["layers"] if layer["name"] == name)


def shape_of(shape: List[Optional[int]]) -> str:
    """A truth-file shape as kerascount writes it: ``(None, 100)``."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def position_of(text: str, needle: str, offset: int = 0) -> Dict[str, int]:
    """The 0-based LSP position (UTF-16 columns) of ``needle`` in ``text``, plus ``offset`` characters."""
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            prefix = line[:line.index(needle) + offset]
            return {"line": number, "character": len(prefix.encode("utf-16-le")) // 2}
    raise AssertionError(f"{needle!r} not in the text")


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


class Client:
    """A minimal LSP client: Content-Length framed JSON-RPC on the server's stdin and stdout."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.stderr = open(cwd / "server.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "kerascount", "server"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)
        self.inbox: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self.ids = 0
        #: The range of the last hover: the call it describes.
        self.hover_range: Optional[Dict[str, Any]] = None
        #: What the server showed the user (``window/showMessage``): an error there is a failure.
        self.shown: List[Dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.ids += 1
        ident = self.ids
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, wanted: Callable[[Dict[str, Any]], bool]) -> Dict[str, Any]:
        """The next message that is ``wanted``; the server's own requests are answered on the way."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no answer from the server in {TIMEOUT} s; see {self.stderr.name}") from None
            assert message is not None, f"the server closed its output; see {self.stderr.name}"
            if message.get("method") == "window/showMessage":
                self.shown.append(message["params"])
            if wanted(message):
                return message
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})

    def diagnostics(self, uri: str, version: Optional[int] = None) -> List[Dict[str, Any]]:
        def wanted(m: Dict[str, Any]) -> bool:
            return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and (
                version is None or m["params"].get("version") == version)

        message = self.wait(wanted)
        return message["params"]["diagnostics"]

    def hover(self, uri: str, position: Dict[str, int]) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
        assert result is not None, position
        assert result["contents"]["kind"] == "markdown"
        self.hover_range = result.get("range")
        return result["contents"]["value"]

    def start(self, root: Path) -> Dict[str, Any]:
        capabilities = {"general": {"positionEncodings": ["utf-16"]},
                        "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                         "publishDiagnostics": {"versionSupport": True}},
                        "notebookDocument": {"synchronization": {}}}
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                             "capabilities": capabilities})
        self.notify("initialized", {})
        return result

    def stop(self) -> int:
        assert self.request("shutdown", None) is None
        assert not [m for m in self.shown if m["type"] == 1], self.shown
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


@pytest.fixture
def client(tmp_path):
    pytest.importorskip("pygls")
    c = Client(tmp_path)
    yield c
    c.close()


def open_file(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    return uri


def change(client: Client, uri: str, version: int, text: str) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"text": text}]})


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
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    notebook_uri = (tmp_path / "bilag5.ipynb").as_uri()
    uris = [f"vscode-notebook-cell:{tmp_path / 'bilag5.ipynb'}#C{i}" for i in range(len(cells))]
    texts = ["".join(cell["source"]) for cell in cells]
    code = [cell["cell_type"] == "code" for cell in cells]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": notebook_uri, "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 2 if c else 1, "document": u} for c, u in zip(code, uris)]},
        "cellTextDocuments": [{"uri": u, "languageId": "python" if c else "markdown", "version": 1, "text": t}
                              for u, c, t in zip(uris, code, texts)]})
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
