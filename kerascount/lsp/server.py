"""The language server (pygls): diagnostics as you type, and shapes and parameter counts on hover.

Documents are analysed from the editor's unsaved text with :func:`kerascount.api.analyze_source`
and the project's ``[tool.kerascount]`` settings, as ``kerascount lint`` analyses files: the same
rules, ``# noqa`` comments, severities and per-file ignores. Notebooks are analysed when the
client syncs them as notebook documents; each finding is published on its cell.

Columns: kerascount counts code points; the server converts them to the position encoding agreed
with the client (UTF-16 unless the client offers UTF-8 or UTF-32), so lines with non-ASCII text
get correct ranges.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import ServerTextPosition, TextDocument

from .. import __version__
from ..api import FileReport, analyze_source
from ..config import Config, ConfigError, load
from ..ir import Diagnostic
from .documents import Buffer, Place, file_buffer, notebook_buffer
from .hover import find, markdown

#: Seconds to wait after a change before analysing, so that typing analyses once per pause.
DEBOUNCE = 0.3
PYTHON_SUFFIXES = (".py", ".pyi")
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
NOTEBOOKS = types.NotebookDocumentSyncOptions(notebook_selector=[types.NotebookDocumentFilterWithCells(
    notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])])

logger = logging.getLogger("kerascount.lsp")


@dataclass(frozen=True)
class Analysis:
    """One analysis of a document or notebook, at one version of its text."""

    version: Optional[int]
    buffer: Buffer
    report: FileReport


def analyse(buffer: Buffer) -> Tuple[FileReport, Optional[str]]:
    """The report for a buffer, and a problem with the settings if there is one. Never raises.

    The settings come from the pyproject.toml nearest to the document; if they are invalid,
    the defaults are used. A bug in the analysis gives a report with ``internal_error`` set.
    """
    problem = None
    try:
        try:
            config = load(buffer.path)
        except ConfigError as exc:
            problem = f"kerascount: {exc}; using the default settings"
            config = Config()
        report = analyze_source(buffer.text, buffer.path, config)
    except Exception as exc:  # noqa: BLE001 - the server must outlive a bug in the analysis
        report = FileReport(buffer.path, (), (), internal_error=f"{type(exc).__name__}: {exc}")
    return report, problem


class KerascountServer(LanguageServer):
    """Keeps the last analysis of each open document and notebook, keyed by its URI."""

    def __init__(self) -> None:
        super().__init__("kerascount", __version__, notebook_document_sync=NOTEBOOKS)
        self.analyses: Dict[str, Analysis] = {}
        #: The editor documents each target's diagnostics were last published on.
        self.published: Dict[str, Tuple[str, ...]] = {}
        #: The settings problem last shown to the user: shown once, not at every change.
        self.shown: Optional[str] = None

    # -- documents ---------------------------------------------------------

    def open_document(self, uri: str) -> Optional[TextDocument]:
        return self.workspace.text_documents.get(unquote(uri))

    def target_of(self, uri: str) -> str:
        """The URI analysed for an editor document: its notebook's for a cell, else its own."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def snapshot(self, target: str) -> Optional[Tuple[Optional[int], Buffer]]:
        """The version and text of an open Python document or notebook; None for anything else."""
        notebook = self.workspace.get_notebook_document(notebook_uri=target)
        if notebook is not None:
            cells = []
            for cell in notebook.cells:
                document = self.open_document(cell.document)
                if cell.kind == types.NotebookCellKind.Code and document is not None and \
                        document.language_id in (None, "python"):
                    cells.append((cell.document, document.source))
            return notebook.version, notebook_buffer(to_fs_path(target) or target, cells)
        document = self.open_document(target)
        if document is None or not (document.language_id == "python" or document.path.endswith(PYTHON_SUFFIXES)):
            return None
        return document.version, file_buffer(document.path, target, document.source)

    def version_of(self, target: str) -> Optional[int]:
        """The version of an open document or notebook; None when it is not open."""
        notebook = self.workspace.get_notebook_document(notebook_uri=target)
        if notebook is not None:
            return notebook.version
        document = self.open_document(target)
        return None if document is None else document.version

    # -- analysis ----------------------------------------------------------

    async def analysis(self, target: str, reuse: bool = True) -> Optional[Analysis]:
        """The analysis of a target's current text: with ``reuse``, the kept one if the text is the same."""
        snapshot = self.snapshot(target)
        if snapshot is None:
            return None
        version, buffer = snapshot
        kept = self.analyses.get(target)
        if reuse and kept is not None and kept.buffer == buffer:
            return kept
        report, problem = await asyncio.get_running_loop().run_in_executor(None, analyse, buffer)
        if problem is not None:
            self.warn(problem, show=problem != self.shown)
        self.shown = problem
        if report.internal_error:
            self.warn(f"kerascount: internal error in {buffer.path}: {report.internal_error} (please report it)")
        result = Analysis(version, buffer, report)
        if self.version_of(target) == version:
            self.analyses[target] = result
        return result

    async def refresh(self, target: str, delay: float = 0.0, reuse: bool = True) -> None:
        """Analyse a target and publish its diagnostics, unless its text changes meanwhile.

        ``reuse=False`` analyses even unchanged text: on save, when the settings may have changed.
        """
        version = self.version_of(target)
        if delay:
            await asyncio.sleep(delay)
            if self.version_of(target) != version:
                return
        result = await self.analysis(target, reuse)
        if result is not None and self.version_of(target) == result.version:
            self.publish(target, result)

    def warn(self, message: str, show: bool = False) -> None:
        """A message for the client's log (and stderr); ``show`` also shows it to the user."""
        logger.warning("%s", message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))
        if show:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    # -- results -----------------------------------------------------------

    def publish(self, target: str, result: Analysis) -> None:
        """Diagnostics on every part of the target (none clears a part), and clears parts it no longer has."""
        grouped: Dict[str, List[types.Diagnostic]] = {uri: [] for uri in result.buffer.uris}
        for finding in result.report.diagnostics:
            place = result.buffer.place(finding.span)
            if place is not None:
                grouped.setdefault(place.uri, []).append(self.diagnostic(finding, place))
        for uri in self.published.get(target, ()):
            grouped.setdefault(uri, [])
        for uri, found in grouped.items():
            document = self.open_document(uri)
            version = document.version if document is not None else None
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version))
        self.published[target] = result.buffer.uris

    def clear(self, target: str) -> None:
        """Forget a closed document or notebook and remove its diagnostics."""
        self.analyses.pop(target, None)
        for uri in self.published.pop(target, ()):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def diagnostic(self, finding: Diagnostic, place: Place) -> types.Diagnostic:
        return types.Diagnostic(range=self.client_range(place), message=finding.message,
                                severity=SEVERITY[finding.severity],
                                code=finding.code, source="kerascount")

    def client_range(self, place: Place) -> types.Range:
        """A range in code points, in the client's position encoding."""
        document = self.workspace.get_text_document(place.uri)
        lines, codec = document.lines, document.position_codec
        return types.Range(start=codec.position_to_client_units(lines, ServerTextPosition(*place.start)),
                           end=codec.position_to_client_units(lines, ServerTextPosition(*place.end)))

    async def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        """A layer's output shape and parameters, or a model's totals, under the cursor."""
        uri = params.text_document.uri
        document = self.open_document(uri)
        result = None if document is None else await self.analysis(self.target_of(uri))
        if document is None or result is None:
            return None
        at = document.position_codec.position_from_client_units(document.lines, params.position)
        line = result.buffer.from_editor(uri, at.line)
        hit = None if line is None else find(result.report.models, line, at.character + 1)
        if hit is None:
            return None
        place = result.buffer.place(hit.span)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown(hit)),
                           range=self.client_range(place) if place is not None and place.uri == uri else None)


def create_server() -> KerascountServer:
    """A server with its features registered."""
    server = KerascountServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: KerascountServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: KerascountServer, params: types.DidChangeTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri, DEBOUNCE)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: KerascountServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri, reuse=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascountServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_did_open(ls: KerascountServer, params: types.DidOpenNotebookDocumentParams) -> None:
        await ls.refresh(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_did_change(ls: KerascountServer, params: types.DidChangeNotebookDocumentParams) -> None:
        await ls.refresh(params.notebook_document.uri, DEBOUNCE)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_did_save(ls: KerascountServer, params: types.DidSaveNotebookDocumentParams) -> None:
        await ls.refresh(params.notebook_document.uri, reuse=False)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_did_close(ls: KerascountServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.clear(params.notebook_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: KerascountServer, params: types.HoverParams) -> Optional[types.Hover]:
        return await ls.hover(params)

    return server


def run() -> None:
    """Serve the Language Server Protocol on stdin and stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(levelname)s: %(message)s")
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol stream
    create_server().start_io(stdin, stdout)
