"""One document, isolated: its own process, a hard timeout, a small result back.

`ingest_document` runs the library chain (process_pdf → validate → write_outputs) in the
calling process and turns any failure into a one-line reason. `run_isolated` runs it in a
child forked from a forkserver that has the stage modules imported already (a fork costs
milliseconds, not the 0.3-8 s of importing pdfplumber, pandas or Great Expectations), so:

- a crash (segfault, out of memory) or a hang kills that child only: the document fails with
  its reason and the batch goes on; the timeout is enforced by killing the child;
- memory is returned to the system after every document, and each result carries the
  child's peak RSS;
- the Document (tens of MB) never crosses a process boundary: the child writes the folder and
  sends back a `DocResult`, plus stage names as it goes (for progress bars).

Writes to one output root are serialised by `outroot.emit_lock`: `ids.place` picks a folder by
looking at what exists, so two workers emitting documents with the same doc_id must not interleave.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..errors import NianbaoError
from ..process import Timings
from .outroot import emit_lock
from .results import DocResult

if TYPE_CHECKING:
    from ..model import Document
    from ..validate import ValidationRun

_P = ParamSpec("_P")
_R = TypeVar("_R")
StageListener = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How one document runs: timeout (seconds, enforced by killing its process), settle window, validation."""

    timeout: float = 900.0
    settle: float = 5.0  # a file modified this recently may still be being copied in
    validate: bool = True


@dataclass(slots=True)
class _StageTimings(Timings):
    """Timings that also announce each stage as it starts, and remember which one failed."""

    on_stage: StageListener | None = None
    current: str = ""

    def run(self, name: str, fn: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        self.current = name
        if self.on_stage is not None:
            self.on_stage(name)
        return Timings.run(self, name, fn, *args, **kwargs)


def describe_error(path: str | Path, exc: BaseException) -> str:
    """One line naming the file and the reason; the project's own errors already carry both."""
    if isinstance(exc, NianbaoError):
        text = str(exc)
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        text = f"{path}: unexpected {type(exc).__name__}" + (f": {first}" if first else "")
    return " ".join(text.split())


def validator() -> Callable[[Document], ValidationRun] | None:
    """`pipeline.validate.validate_document` once that package exists; None until then."""
    try:
        from ..validate import validate_document
    except ImportError as exc:  # the package, or its entry point, is not there yet
        if exc.name == "pipeline.validate":
            return None
        raise  # a dependency of the validator is missing: say so
    return validate_document


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _in_flux(path: str, before: tuple[int, int] | None, settle: float) -> bool:
    """The file changed during the attempt, or was written within `settle` seconds: maybe still copying."""
    after = _stat(path)
    if after is None:
        return False  # gone: retrying will not bring it back
    return after != before or (time.time_ns() - after[1]) / 1e9 < settle


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def ingest_document(
    path: str | Path, output: str | Path, options: WorkerOptions | None = None, on_stage: StageListener | None = None
) -> DocResult:
    """Process one PDF and write its folder in this process; never raises for a bad document."""
    from ..emit import write_outputs
    from ..process import process_pdf

    opts = options or WorkerOptions()
    path = str(path)
    t0 = time.perf_counter()
    timings = _StageTimings(on_stage=on_stage)
    before = _stat(path)
    try:
        doc = process_pdf(path, timings)
        validate = validator() if opts.validate else None
        run = None
        if validate is not None:
            run = timings.run("validate", validate, doc)
            doc = run.document
        with emit_lock(output):
            folder = timings.run("emit", write_outputs, doc, output, timings, validation=run)
    except Exception as exc:  # one document must not stop the batch
        transient = timings.current == "load" and _in_flux(path, before, opts.settle)
        reason = describe_error(path, exc)
        if transient:
            reason += " (file changed or was written moments ago: may still be being copied)"
        return DocResult(
            path,
            "failed",
            reason,
            seconds=round(time.perf_counter() - t0, 3),
            peak_rss_mb=_peak_rss_mb(),
            timings=dict(timings.stages),
            transient=transient,
        )
    v = doc.validation
    return DocResult(
        path,
        "done",
        "",
        doc.source.sha256,
        doc_id=folder.name,
        folder=str(folder),
        pages=doc.source.pages,
        sections=len(doc.sections),
        tables=len(doc.tables),
        warnings=v.warnings if v is not None else 0,
        errors=v.errors if v is not None else 0,
        seconds=round(time.perf_counter() - t0, 3),
        peak_rss_mb=_peak_rss_mb(),
        timings=dict(timings.stages),
    )


# --- isolation -----------------------------------------------------------------------------

_PRELOAD = ["pipeline.batch._warm"]
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the forkserver dies (it exits when the batch process dies)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _child_main(conn: Any, path: str, output: str, options: WorkerOptions) -> None:
    _die_with_parent()

    def stage(name: str) -> None:
        conn.send(("stage", name))

    try:
        conn.send(("result", ingest_document(path, output, options, stage)))
    finally:
        conn.close()


def forkserver_context() -> Any:
    """The forkserver context, preloading the stage modules and Great Expectations (`_warm`)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def warm_up() -> None:
    """Start the forkserver now (imports the stages once) so the first document does not wait for it."""
    forkserver_context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def can_isolate() -> bool:
    """False inside a daemonic process (e.g. a Dask worker by default), which may not have children."""
    return not multiprocessing.current_process().daemon


def _exit_text(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def run_isolated(
    path: str | Path, output: str | Path, options: WorkerOptions | None = None, on_stage: StageListener | None = None
) -> DocResult:
    """`ingest_document` in a child process; a timeout or a crash fails this document only.

    Falls back to the calling process where children are not allowed (daemonic processes).
    """
    opts = options or WorkerOptions()
    if not can_isolate():
        return ingest_document(path, output, opts, on_stage)
    path = str(path)
    ctx = forkserver_context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(send, path, str(output), opts), daemon=True, name="nianbao-doc")
    t0 = time.monotonic()
    result: DocResult | None = None
    timed_out = False
    proc.start()
    send.close()
    try:
        while result is None:
            left = opts.timeout - (time.monotonic() - t0)
            if left <= 0:
                timed_out = True
                break
            if recv.poll(min(left, 1.0)):
                try:
                    kind, payload = recv.recv()
                except EOFError:
                    break  # the child died without a result
                if kind == "stage" and on_stage is not None:
                    on_stage(payload)
                elif kind == "result":
                    result = payload
            elif not proc.is_alive() and not recv.poll(0):
                break
    finally:
        if result is None and proc.is_alive():
            proc.kill()
        proc.join(30)
        recv.close()
    if result is not None:
        return result
    seconds = round(time.monotonic() - t0, 3)
    if timed_out:
        return DocResult(path, "failed", f"{path}: timed out after {opts.timeout:g} s (worker killed)", seconds=seconds)
    return DocResult(path, "failed", f"{path}: worker process died ({_exit_text(proc.exitcode)})", seconds=seconds)
