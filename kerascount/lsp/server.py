"""The language server (pygls): diagnostics as you type, hover, inlay hints and code actions.

Documents are analysed from the editor's unsaved text with :func:`kerascount.api.analyze_source`
and the project's ``[tool.kerascount]`` settings, as ``kerascount lint`` analyses files: the same
rules, ``# noqa`` comments, severities and per-file ignores. Notebooks are analysed when the
client syncs them as notebook documents; each finding is published on its cell.

Analyses run in processes of their own (:mod:`.worker`), never on the event loop: hover answers
while a file is analysed (from the last analysis, marked as such, when the current one takes
long), a newer text stops the analysis of an older one, and an analysis that fails gives its
document a KC903 diagnostic while the server goes on.

Columns: kerascount counts code points; the server converts them to the position encoding agreed
with the client (UTF-16 unless the client offers UTF-8 or UTF-32), so lines with non-ASCII text
get correct ranges.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path
from pygls.workspace import ServerTextPosition, TextDocument

from .. import __version__
from ..api import FileReport
from ..config import Config, ConfigError, load
from ..ir import Diagnostic, Span
from .actions import FIX_ALL, Action, actions, fix_all_action
from .documents import Buffer, Place, file_buffer, notebook_buffer, same_line
from .hints import HintSettings, hints
from .hover import find, markdown
from .worker import Analyser, Job, Runner, analyse

#: Seconds to wait after a change before analysing, so that typing analyses once per pause.
DEBOUNCE = 0.3
#: Seconds hover waits for the analysis of the current text before answering from the last one.
HOVER_WAIT = 0.5
#: The code of the diagnostic that says an analysis failed (a bug in kerascount, or a crash).
INTERNAL_ERROR = "KC903"
PYTHON_SUFFIXES = (".py", ".pyi")
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
NOTEBOOKS = types.NotebookDocumentSyncOptions(notebook_selector=[types.NotebookDocumentFilterWithCells(
    notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])])
STALE = "_From the analysis of an earlier version of this text: the current one is still being analysed._\n\n"

logger = logging.getLogger("kerascount.lsp")


@dataclass(frozen=True)
class Analysis:
    """One analysis of a document or notebook, at one version of its text."""

    version: Optional[int]
    buffer: Buffer
    report: FileReport


class Protocol(LanguageServerProtocol):
    """Answers a request whose parameters it cannot read with an error, instead of no answer at all."""

    def structure_message(self, data: Dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data.get("id"), (int, str)) and isinstance(data.get("method"), str):
                self._send_response(data["id"], error=types.ResponseError(code=exc.code, message=exc.message))
            raise


class KerascountServer(LanguageServer):
    """Keeps the last analysis of each open document and notebook, keyed by its URI."""

    def __init__(self, analyser: Analyser = analyse) -> None:
        super().__init__("kerascount", __version__, notebook_document_sync=NOTEBOOKS, protocol_cls=Protocol)
        self.analyses: Dict[str, Analysis] = {}
        #: The analysis under way for each target, and the task that completes it.
        self.jobs: Dict[str, Tuple[Job, "asyncio.Task[Optional[Analysis]]"]] = {}
        self.runner = Runner(analyser)
        #: The editor documents each target's diagnostics were last published on.
        self.published: Dict[str, Tuple[str, ...]] = {}
        #: The settings problem last shown to the user: shown once, not at every change.
        self.shown: Optional[str] = None
        self.hint_settings = HintSettings()
        #: Code actions already made for each target's findings, and the text they were made for: an
        #: editor asks at every move of the cursor, and libcst need not parse the file each time.
        self.made_actions: Dict[str, Tuple[Buffer, Dict[Diagnostic, List[Action]]]] = {}

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
        """The analysis of a target's current text: with ``reuse``, the kept one if the text is the same,
        or the one under way for it. None if the target is not open, or its text changed meanwhile
        (the analysis was stopped for a newer one)."""
        snapshot = self.snapshot(target)
        if snapshot is None:
            return None
        version, buffer = snapshot
        kept = self.analyses.get(target)
        if reuse and kept is not None and kept.buffer == buffer:
            return self.up_to_date(target, kept)
        running = self.jobs.get(target)
        if running is None or running[0].buffer != buffer or not reuse:
            if running is not None:
                running[0].stop()
            job = self.runner.start(buffer, version)
            running = self.jobs[target] = job, asyncio.ensure_future(self._complete(target, job))
        return await asyncio.shield(running[1])

    def up_to_date(self, target: str, result: Optional[Analysis]) -> Optional[Analysis]:
        """The analysis, at the target's current version, if it is of the target's current text
        (an edit undone gives an earlier text back), kept as the target's last; else None."""
        snapshot = self.snapshot(target)
        if result is None or snapshot is None or snapshot[1] != result.buffer:
            return None
        if result.version != snapshot[0]:
            result = replace(result, version=snapshot[0])
        self.analyses[target] = result
        return result

    async def current(self, target: str) -> Optional[Analysis]:
        """The analysis of the target's text as it is when this returns (None if it is not open)."""
        for _ in range(20):  # each round, the text changed while it was analysed
            result = self.up_to_date(target, await self.analysis(target))
            if result is not None or self.snapshot(target) is None:
                return result
        return None

    async def _complete(self, target: str, job: Job) -> Optional[Analysis]:
        """Wait for a job; keep and return its analysis, or None if it was stopped."""
        outcome = await job.future
        running = self.jobs.get(target)
        if running is not None and running[0] is job:
            del self.jobs[target]
        if outcome is None or job.stopped:
            return None
        report, problem = outcome
        if problem is not None:
            self.warn(problem, show=problem != self.shown)
        self.shown = problem
        if report.internal_error:
            self.warn(f"kerascount: internal error in {job.buffer.path}: {report.internal_error} (please report it)")
        result = Analysis(job.version, job.buffer, report)
        return self.up_to_date(target, result) or result

    async def refresh(self, target: str, delay: float = 0.0, reuse: bool = True) -> None:
        """Analyse a target and publish its diagnostics, unless its text changes meanwhile.

        ``reuse=False`` analyses even unchanged text: on save, when the settings may have changed.
        """
        version = self.version_of(target)
        if delay:
            await asyncio.sleep(delay)
            if self.version_of(target) != version:
                return
        result = self.up_to_date(target, await self.analysis(target, reuse))
        if result is not None:
            self.publish(target, result)
            self.refresh_hints()

    def warn(self, message: str, show: bool = False) -> None:
        """A message for the client's log (and stderr); ``show`` also shows it to the user."""
        logger.warning("%s", message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))
        if show:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message the server could not read or handle: logged for the client, not shown to the user."""
        logger.error("%s", error)
        self.window_log_message(types.LogMessageParams(
            type=types.MessageType.Error, message=f"kerascount: ignored a message it could not handle: {error}"))

    # -- results -----------------------------------------------------------

    def findings(self, result: Analysis) -> Tuple[Diagnostic, ...]:
        """The report's findings, and a KC903 one on the first line when the analysis failed."""
        report = result.report
        if not report.internal_error:
            return report.diagnostics
        failure = Diagnostic(INTERNAL_ERROR, "warning", f"kerascount could not analyse this file: "
                             f"{report.internal_error} (an internal error; please report it)", Span(1, 1, 1, 1))
        return (failure, *report.diagnostics)

    def publish(self, target: str, result: Analysis) -> None:
        """Diagnostics on every part of the target (none clears a part), and clears parts it no longer has."""
        grouped: Dict[str, List[types.Diagnostic]] = {uri: [] for uri in result.buffer.uris}
        for finding in self.findings(result):
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

    def stop_all(self) -> None:
        """Stop every analysis under way (the server is shutting down)."""
        for job, _ in list(self.jobs.values()):
            job.stop()
        self.jobs.clear()

    def clear(self, target: str) -> None:
        """Forget a closed document or notebook, stop its analysis and remove its diagnostics."""
        self.analyses.pop(target, None)
        self.made_actions.pop(target, None)
        running = self.jobs.pop(target, None)
        if running is not None:
            running[0].stop()
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

    def server_range(self, uri: str, given: types.Range) -> Tuple[Tuple[int, int], Tuple[int, int]]:
        """A client's range in code points."""
        document = self.workspace.get_text_document(uri)
        at = document.position_codec.range_from_client_units(document.lines, given)
        return (at.start.line, at.start.character), (at.end.line, at.end.character)

    # -- hover -------------------------------------------------------------

    async def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        """A layer's output shape and parameters, or a model's totals, under the cursor.

        If the current text is still being analysed after :data:`HOVER_WAIT`, the answer comes from
        the last analysis, for a line the edits since did not touch, and says so.
        """
        uri = params.text_document.uri
        document = self.open_document(uri)
        snapshot = None if document is None else self.snapshot(self.target_of(uri))
        if document is None or snapshot is None:
            return None
        target = self.target_of(uri)
        if params.position.line >= max(len(document.lines), 1):
            return None  # past the end: pygls would move it to the last line, whose model would answer
        at = document.position_codec.position_from_client_units(document.lines, params.position)
        pending = asyncio.ensure_future(self.analysis(target))
        try:
            result = await asyncio.wait_for(asyncio.shield(pending), HOVER_WAIT)
        except asyncio.TimeoutError:
            result = None
        stale = result is None or result.buffer != snapshot[1]
        if stale:
            result = self.analyses.get(target)
        if result is None:
            return None
        line = result.buffer.from_editor(uri, at.line) if not stale else \
            same_line(result.buffer, snapshot[1], uri, at.line)
        # An application is one row here, as for the rules: its call shows the model, not 400 layers made there.
        models = [m.collapsed or m for m in result.report.models]
        hit = None if line is None else find(models, line, at.character + 1)
        if hit is None:
            return None
        place = None if stale else result.buffer.place(hit.span)
        text = (STALE if stale else "") + markdown(hit, result.report.locate)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=self.client_range(place) if place is not None and place.uri == uri else None)

    # -- inlay hints -------------------------------------------------------

    def configure(self, options: Any) -> None:
        """Read the settings (``inlayHints``) from initialization options, a configuration change or
        the client's answer to ``workspace/configuration``."""
        for setting in HintSettings.ignored(options):
            self.warn(f"kerascount: ignored the setting {setting}")
        settings = HintSettings.read(options, self.hint_settings)
        if settings != self.hint_settings:
            self.hint_settings = settings
            self.refresh_hints()

    async def pull_settings(self) -> None:
        """Ask the client for the ``kerascount`` settings, if it answers ``workspace/configuration``."""
        workspace = self.client_capabilities.workspace
        if workspace is None or not workspace.configuration:
            return
        try:
            (settings,) = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="kerascount")]))
        except Exception as exc:  # noqa: BLE001 - a client that cannot answer: keep the settings
            logger.warning("kerascount: could not read the client's settings: %s", exc)
            return
        self.configure({"kerascount": settings})

    def refresh_hints(self) -> None:
        """Ask the client to ask for inlay hints again, if it can (after an analysis or a settings change)."""
        workspace = self.client_capabilities.workspace
        hint = workspace.inlay_hint if workspace is not None else None
        if hint is not None and hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    async def inlay_hints(self, params: types.InlayHintParams) -> List[types.InlayHint]:
        """Shapes, params and mult-adds at the end of layer lines; totals on model lines."""
        uri = params.text_document.uri
        if not self.hint_settings.enabled or self.open_document(uri) is None:
            return []
        result = await self.current(self.target_of(uri))
        document = self.open_document(uri)
        if result is None or document is None:
            return []
        first, last = self.server_range(uri, params.range)
        codec, lines = document.position_codec, document.lines
        out = []
        for hint in hints([m.collapsed or m for m in result.report.models], self.hint_settings):
            where = result.buffer.to_editor(hint.line)
            if where is None or where[0] != uri or not first[0] <= where[1] <= last[0] or where[1] >= len(lines):
                continue
            end = len(lines[where[1]].rstrip("\r\n"))
            position = codec.position_to_client_units(lines, ServerTextPosition(where[1], end))
            out.append(types.InlayHint(position=position, label=hint.label, padding_left=True,
                                       tooltip=hint.tooltip))
        return out

    # -- code actions ------------------------------------------------------

    async def code_actions(self, params: types.CodeActionParams) -> List[types.CodeAction]:
        """For each finding in the range: its fix (unsafe ones marked) and a ``# noqa`` comment;
        with ``only`` asking for it, every safe fix of the file (``source.fixAll.kerascount``)."""
        uri = params.text_document.uri
        only = params.context.only
        quick = only is None or any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only)
        every = only is not None and any(FIX_ALL.startswith(k) for k in only)
        if self.open_document(uri) is None or not (quick or every):
            return []
        target = self.target_of(uri)
        result = await self.current(target)
        if result is None:
            return []
        start, end = self.server_range(uri, params.range)
        chosen = []
        for finding in result.report.diagnostics if quick else ():
            place = result.buffer.place(finding.span)
            if place is not None and place.uri == uri and place.start <= end and start <= place.end:
                chosen.append(finding)
        buffer, known = self.made_actions.get(target, (None, {}))
        if buffer != result.buffer:  # computed for another text: start again
            known = {}
            self.made_actions[target] = result.buffer, known
        todo = [finding for finding in chosen if finding not in known]
        if todo:
            found = await asyncio.to_thread(actions, result.buffer, todo)
            for finding in todo:
                known[finding] = [action for action in found if action.finding == finding]
        made: List[Action] = [action for finding in chosen for action in known.get(finding, [])]
        if every:
            fix_all = await asyncio.to_thread(_fix_all, result.buffer)
            if fix_all is not None:
                made.append(fix_all)
        if self.up_to_date(target, result) is None:
            return []  # the text changed meanwhile: the edits would land in the wrong places
        return [self.code_action(action, result) for action in made]

    def code_action(self, action: Action, result: Analysis) -> types.CodeAction:
        edits: Dict[str, List[types.TextEdit]] = {}
        for edit in action.edits:
            edits.setdefault(edit.place.uri, []).append(
                types.TextEdit(range=self.client_range(edit.place), new_text=edit.text))
        workspace = self.client_capabilities.workspace
        changes = workspace.workspace_edit if workspace is not None else None
        if changes is not None and changes.document_changes:
            versioned = []
            for uri, text_edits in edits.items():
                document = self.open_document(uri)
                versioned.append(types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=document.version if document is not None else None),
                    edits=text_edits))
            edit = types.WorkspaceEdit(document_changes=versioned)
        else:
            edit = types.WorkspaceEdit(changes=edits)
        diagnostics = None
        if action.finding is not None:
            place = result.buffer.place(action.finding.span)
            diagnostics = [self.diagnostic(action.finding, place)] if place is not None else None
        return types.CodeAction(title=action.title, kind=action.kind, is_preferred=action.preferred or None,
                                diagnostics=diagnostics, edit=edit)


def _fix_all(buffer: Buffer) -> Optional[Action]:
    try:
        config = load(buffer.path)
    except ConfigError:
        config = Config()
    return fix_all_action(buffer, config)


def create_server(analyser: Analyser = analyse) -> KerascountServer:
    """A server with its features registered; ``analyser`` analyses a buffer (in a worker process)."""
    server = KerascountServer(analyser)

    @server.feature(types.INITIALIZE)
    def initialize(ls: KerascountServer, params: types.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: KerascountServer, params: types.InitializedParams) -> None:
        ls.runner.warm_up()
        await ls.pull_settings()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: KerascountServer, params: None) -> None:
        ls.stop_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: KerascountServer, params: types.DidChangeConfigurationParams) -> None:
        if params.settings:
            ls.configure(params.settings)
        else:  # the client says "changed" and expects the server to ask
            await ls.pull_settings()

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

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    async def inlay_hint(ls: KerascountServer, params: types.InlayHintParams) -> List[types.InlayHint]:
        return await ls.inlay_hints(params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    async def code_action(ls: KerascountServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        return await ls.code_actions(params)

    return server


class _UnreadableMessages(logging.Filter):
    """pygls logs a message it cannot read (bad JSON, parameters of the wrong shape: cattrs's groups of
    errors) with a traceback of its own parser, tens of lines for one bad message; the server says
    what it was on one line (:meth:`KerascountServer.report_server_error`). Those records keep their
    line without the traceback; every other record is kept as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("pygls"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (ValueError, JsonRpcException)) or hasattr(error, "exceptions"):
            record.exc_info = record.exc_text = None
        if isinstance(record.msg, str) and record.msg.startswith("Unable to deserialize message\n"):
            record.msg, record.args = "Unable to deserialize message", ()  # the traceback was in the text
        return True


def run(analyser: Analyser = analyse) -> None:
    """Serve the Language Server Protocol on stdin and stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_UnreadableMessages())
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol stream
    create_server(analyser).start_io(stdin, stdout)
