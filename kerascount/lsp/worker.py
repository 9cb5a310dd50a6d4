"""Analyses off the server's event loop: each in a process of its own, which a newer edit stops.

The event loop only starts an analysis and later reads its result, so hover, inlay hints and code
actions keep answering while a long file is analysed. A process (not a thread) because it can be
stopped when the text it analyses is out of date, and because whatever happens in it (a bug, a
crash of the interpreter, memory running out) ends there: the server reports it on the document
and goes on. Processes are forked from a ``forkserver`` that has imported the pipeline once, so
starting one costs milliseconds, not an import of kerascount; where there is no forkserver they
are spawned, and where processes cannot be started at all the analysis runs in a thread.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Optional, Tuple

from ..api import FileReport
from ..config import Config, ConfigError, load
from .documents import Buffer

#: Seconds an analysis may take before it is stopped (the interpreter's own limits come first).
TIMEOUT = 120.0
#: Bytes of address space an analysis process may use.
MEMORY = 4 * 1024**3
#: Modules the forkserver imports once, so that each analysis process starts with them.
PRELOAD = ["kerascount.lsp.worker", "kerascount.api", "kerascount.extract", "kerascount.infer", "kerascount.rules"]

#: What an analysis gives: the report, and a problem with the settings if there is one.
Outcome = Tuple[FileReport, Optional[str]]
Analyser = Callable[[Buffer], Outcome]


def analyse(buffer: Buffer) -> Outcome:
    """The report for a buffer, and a problem with the settings if there is one. Never raises.

    The settings come from the pyproject.toml nearest to the document; if they are invalid,
    the defaults are used. A bug in the analysis gives a report with ``internal_error`` set.
    """
    from .. import project
    from ..api import analyze_cells, analyze_source

    project.forget_roots()  # a pyproject.toml or .git made while the server runs moves the root
    problem = None
    try:
        try:
            config = load(buffer.path)
        except ConfigError as exc:
            problem = f"kerascount: {exc}; using the default settings"
            config = Config()
        report = analyze_source(buffer.text, buffer.path, config) if buffer.cells is None else \
            analyze_cells(buffer.text, buffer.path, buffer.cells, config)
    except Exception as exc:  # noqa: BLE001 - the server must outlive a bug in the analysis
        report = failed(buffer, f"{type(exc).__name__}: {exc}")
    return report, problem


def failed(buffer: Buffer, why: str) -> FileReport:
    return FileReport(buffer.path, (), (), internal_error=why)


def _limit_memory() -> None:
    """Cap the analysis process's address space, so that a runaway analysis ends in a MemoryError
    (reported on the document) instead of taking the machine's memory."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY if hard == resource.RLIM_INFINITY else min(MEMORY, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def _child(conn: Connection, analyser: Analyser, buffer: Buffer) -> None:
    """In the analysis process: analyse and send the outcome back."""
    try:  # this process shares the server's stdout, the protocol stream: nothing may be written there
        os.dup2(2, 1)
    except OSError:
        pass
    sys.stdout = sys.stderr
    _limit_memory()
    try:
        outcome = analyser(buffer)
    except BaseException as exc:  # noqa: BLE001 - whatever happens is reported, not lost
        outcome = failed(buffer, f"{type(exc).__name__}: {exc}"), None
    conn.send(outcome)
    conn.close()


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class Job:
    """One analysis of one buffer; ``outcome`` is None when it was stopped (a newer text came)."""

    buffer: Buffer
    version: Optional[int]
    future: "asyncio.Future[Optional[Outcome]]"
    process: Any = None
    stopped: bool = False

    def stop(self) -> None:
        """Stop the analysis (its process is killed): its result, if it comes, is dropped."""
        self.stopped = True
        if self.process is not None and self.process.is_alive():
            self.process.kill()


class Runner:
    """Starts analyses in processes and gives their outcomes to the event loop."""

    def __init__(self, analyser: Analyser = analyse, timeout: float = TIMEOUT) -> None:
        self.analyser = analyser
        self.timeout = timeout
        self._context: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Start the forkserver now (in a thread), so that the first analysis does not wait for it."""
        threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        try:
            context = self.context()
            if context.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()
        except (OSError, RuntimeError, ValueError):
            pass

    def context(self) -> Any:
        with self._lock:
            if self._context is None:
                self._context = _context()
            return self._context

    def start(self, buffer: Buffer, version: Optional[int]) -> Job:
        """Start analysing ``buffer``; its ``future`` gets the outcome (None if it is stopped first).

        The process is watched by a daemon thread, so that a server told to exit does not wait for it.
        """
        loop = asyncio.get_running_loop()
        job = Job(buffer, version, loop.create_future())

        def watch() -> None:
            try:
                outcome = self._run(job)
            except BaseException as exc:  # noqa: BLE001 - reported on the document
                outcome = failed(job.buffer, f"{type(exc).__name__}: {exc}"), None
            try:
                loop.call_soon_threadsafe(self._settle, job, outcome)
            except RuntimeError:  # the loop has closed: the server is exiting
                pass

        threading.Thread(target=watch, name="kerascount-analysis", daemon=True).start()
        return job

    @staticmethod
    def _settle(job: Job, outcome: Outcome) -> None:
        if not job.future.done():
            job.future.set_result(None if job.stopped else outcome)

    def _run(self, job: Job) -> Outcome:
        """In the watching thread: run the analysis in a process and wait for its outcome."""
        if job.stopped:
            return failed(job.buffer, "stopped"), None
        receive, send = None, None
        try:
            context = self.context()
            receive, send = context.Pipe(duplex=False)
            job.process = context.Process(target=_child, args=(send, self.analyser, job.buffer), daemon=True)
            job.process.start()
        except (OSError, RuntimeError, ValueError):  # no processes here: analyse in this thread
            for end in (receive, send):
                if end is not None:
                    end.close()
            return self.analyser(job.buffer)
        send.close()
        try:
            if job.stopped:
                job.process.kill()
            if not receive.poll(self.timeout):
                job.process.kill()
                return failed(job.buffer, f"the analysis took longer than {self.timeout:.0f} s and was stopped"), None
            return receive.recv()
        except (EOFError, OSError):
            job.process.join()
            if job.stopped:
                return failed(job.buffer, "stopped"), None
            return failed(job.buffer, f"the analysis process ended without a result "
                                      f"(exit code {job.process.exitcode})"), None
        finally:
            receive.close()
            job.process.join(timeout=5)
