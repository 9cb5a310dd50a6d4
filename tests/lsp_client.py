"""A minimal LSP client for the tests of ``kerascount server`` (tests/test_lsp*.py), the fixtures they
share, and analysers the server can be started with to make an analysis slow or crash.
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
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

HERE = Path(__file__).resolve().parent

ROOT = HERE.parent
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



class Client:
    """A minimal LSP client: Content-Length framed JSON-RPC on the server's stdin and stdout."""

    def __init__(self, cwd: Path, analyser: Optional[str] = None) -> None:
        """A server started as ``kerascount server``; with ``analyser`` (a function of this module),
        one that analyses with it (a slow or crashing analysis for the tests)."""
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.stderr = open(cwd / "server.log", "wb")
        command = [sys.executable, "-m", "kerascount", "server"]
        if analyser is not None:
            command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import lsp_client; "
                                             f"from kerascount.lsp.server import run; run(lsp_client.{analyser})"]
        self.proc = subprocess.Popen(command, cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)
        self.inbox: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self.ids = 0
        #: The range of the last hover: the call it describes.
        self.hover_range: Optional[Dict[str, Any]] = None
        #: What the server showed the user (``window/showMessage``): an error there is a failure.
        self.shown: List[Dict[str, Any]] = []
        #: What the server wrote that is not the protocol (a stray print): a failure.
        self.junk: List[Any] = []
        #: What to answer the server's requests with, by method (None for the others).
        self.answers: Dict[str, Any] = {}
        #: Every message the server sent that was read, in order.
        self.seen: List[Dict[str, Any]] = []
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
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
                elif name.strip().lower() != "content-type":
                    self.junk.append(line)
            message = json.loads(stream.read(length))
            if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
                self.junk.append(message)
            self.inbox.put(message)

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def raw(self, data: bytes) -> None:
        """Bytes as they are: for malformed messages."""
        self.proc.stdin.write(data)
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
        """The next message that is ``wanted``; the server's requests are answered (from :attr:`answers`)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no answer from the server in {TIMEOUT} s; see {self.stderr.name}") from None
            assert message is not None, f"the server closed its output; see {self.stderr.name}"
            self.seen.append(message)
            if message.get("method") == "window/showMessage":
                self.shown.append(message["params"])
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": self.answers.get(message["method"])})
            if wanted(message):
                return message

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

    def start(self, root: Path, options: Any = None, workspace: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Initialize with ``initializationOptions`` and ``workspace`` client capabilities, if given."""
        capabilities = {"general": {"positionEncodings": ["utf-16"]},
                        "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                         "publishDiagnostics": {"versionSupport": True}},
                        "notebookDocument": {"synchronization": {}}, "workspace": workspace or {}}
        params = {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": capabilities}
        if options is not None:
            params["initializationOptions"] = options
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def stop(self) -> int:
        assert self.request("shutdown", None) is None
        assert not [m for m in self.shown if m["type"] == 1], self.shown
        assert not self.junk, self.junk
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


@pytest.fixture
def hooked(tmp_path):
    """Starts a server whose analyses run a function of lsp_client (``slow``, ``crash``)."""
    pytest.importorskip("pygls")
    started: List[Client] = []

    def start(analyser: str) -> Client:
        started.append(Client(tmp_path, analyser=analyser))
        return started[-1]

    yield start
    for c in started:
        c.close()


def open_file(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    return uri


def open_notebook(client: Client, path: Path) -> Tuple[str, List[str], List[str], List[bool]]:
    """Open the bilag5 notebook as notebook documents: its URI, each cell's URI and text, which are code."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    notebook_uri = path.as_uri()
    uris = [f"vscode-notebook-cell:{path}#C{i}" for i in range(len(cells))]
    texts = ["".join(cell["source"]) for cell in cells]
    code = [cell["cell_type"] == "code" for cell in cells]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": notebook_uri, "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 2 if c else 1, "document": u} for c, u in zip(code, uris)]},
        "cellTextDocuments": [{"uri": u, "languageId": "python" if c else "markdown", "version": 1, "text": t}
                              for u, c, t in zip(uris, code, texts)]})
    return notebook_uri, uris, texts, code


def change(client: Client, uri: str, version: int, text: str) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"text": text}]})



# -- analysers for the server (run in its worker processes) ---------------------

#: Seconds the slow analyser takes for a text that contains ``# slow``.
SLOW = 20


def slow(buffer: Any) -> Any:
    """Analyses as the server does, after :data:`SLOW` seconds when the text contains ``# slow``."""
    from kerascount.lsp.worker import analyse

    if "# slow" in buffer.text:
        time.sleep(SLOW)
    return analyse(buffer)


def crash(buffer: Any) -> Any:
    """Writes to stdout, then ends its process without a word for ``# crash``, raises for ``# raise``,
    else analyses."""
    from kerascount.lsp.worker import analyse

    print("Content-Length: 3\r\n\r\n{}")  # an analysis that writes to stdout must not break the protocol
    os.write(1, b"junk on file descriptor 1\n")
    if "# crash" in buffer.text:
        os._exit(70)
    if "# raise" in buffer.text:
        raise ValueError("a bug in the analysis")
    return analyse(buffer)
