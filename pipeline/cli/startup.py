"""A command's fixed costs paid concurrently: Prefect, its server and Great Expectations while the first PDF is read.

Measured alone (bench/bench_startup.py): importing Prefect ~3 s, starting its temporary server
11-15 s (in a subprocess), importing Great Expectations ~6 s, reading a 70-page report 0.6 s
(pdfium) to 3 s (pdfplumber). `Warmup` does the first three in one background thread, started as
soon as the command knows it has work; meanwhile the main thread reads the first document
(`read_ahead`, the flow's load stage run outside it), so neither waits for the other. The flow
then runs only the stages left (`flows.ingest.ingest_report(ahead=...)`).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from ..deadline import DocumentTimeout, time_limit
from ..settings import Settings
from ..sourcepath import recorded_path
from ..stages import STAGES, Work, cancel_render, run_stage


class Warmup:
    """Import Prefect and start its temporary server (unless PREFECT_API_URL names one), then import
    the stage modules and Great Expectations, in a background thread; `wait()` before the first flow.

    A failure is raised by `wait()`, in the caller's thread, where the command reports it.
    """

    def __init__(self, quiet: Callable[[], AbstractContextManager[None]] = nullcontext) -> None:
        self._quiet = quiet  # around the imports: Great Expectations logs INFO lines as its context starts
        self._server: threading.Thread | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="nianbao-warmup", daemon=True)

    def start(self) -> Warmup:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            from flows.ingest import start_server_early

            self._server = start_server_early()
            with self._quiet():
                import pipeline.batch.preload  # noqa: F401  (stage modules and Great Expectations)
        except BaseException as exc:  # re-raised by wait()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._server is not None:
            self._server.join()
        if self._error is not None:
            raise self._error


class ReadAhead:
    """The load stage of one document, run before its flow; hands the flow its result (`__call__`).

    The flow's own `Work` must match what was read (path, settings, password, recorded name);
    otherwise, or when reading failed, the flow's load task reads it again and reports as usual,
    except after a timeout (`--timeout`), which the flow raises at once rather than spin again.
    Slotted, so Prefect records the flow parameter as "<ReadAhead>", never the records or the password.
    """

    __slots__ = ("read", "timed_out", "work")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.read: Work | None = None
        self.timed_out: DocumentTimeout | None = None

    def run(self, timeout: float = 0.0) -> ReadAhead:
        try:
            with time_limit(timeout, self.work.path):
                self.read = run_stage(STAGES[0], self.work)
        except DocumentTimeout as exc:
            self.timed_out = exc
        except Exception:  # the flow's load task reads it again and fails there, with its retries and report
            self.read = None
        return self

    def __call__(self, work: Work) -> Work:
        read, mine = self.read, self.work
        if self.timed_out is not None and work.path == mine.path:
            raise self.timed_out
        if read is None:
            return work
        if (work.path, work.settings, work.password, work.source_name) != (
            mine.path,
            mine.settings,
            mine.password,
            mine.source_name,
        ):
            cancel_render(read)
            return work
        self.read = None  # once: the records are let go with the flow's work
        if not work.review:
            cancel_render(read)
        render = read.render if work.review else None  # the review's pages, when both ask for them
        return replace(work, loaded=read.loaded, seconds=read.seconds, render=render)


def read_ahead(
    path: Path, settings: Settings, password: str | None, roots: list[str], timeout: float = 0.0, review: bool = False
) -> ReadAhead:
    """Read `path` now (the load stage, within `timeout` seconds, 0: none), as its flow would (with `review`,
    its pages start rendering)."""
    work = Work(Path(path), settings, password=password, source_name=recorded_path(path, roots), review=review)
    return ReadAhead(work).run(timeout)


def exit_now(code: object) -> NoReturn:
    """End the process as `sys.exit(code)` would, without the interpreter's teardown.

    What must happen at exit still does, in order: non-daemon threads are joined, the atexit
    handlers run (Prefect's temporary server stops, logging flushes, temporary folders go) and the
    console is flushed. Skipped is the module-by-module teardown, ~1 s once Great Expectations,
    Prefect and pandas are loaded (1.4 s after a 4-page ingest, bench/bench_startup.py).
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)
