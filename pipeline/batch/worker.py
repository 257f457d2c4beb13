"""One document, isolated: its own process, a hard timeout, a small result back.

`ingest_document` runs the declared chain (`pipeline.stages.STAGES`: load → … → validate → emit)
in the calling process and turns any failure into a one-line reason. `run_isolated` runs it in a
child forked from a forkserver that has the stage modules imported already (a fork costs
milliseconds, not the 0.3-8 s of importing pdfplumber, pandas or Great Expectations), so:

- a crash (segfault, out of memory) or a hang kills that child only: the document fails with
  its reason and the batch goes on; the timeout is enforced by killing the child;
- memory is returned to the system after every document, and each result carries the
  child's peak RSS;
- the Document (tens of MB) never crosses a process boundary: the child writes the folder and
  sends back a `DocResult`, plus stage names as it goes (for progress bars).

Writes to one output root are serialised inside the emit stage (`outroot.emit_lock`).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import describe_error
from ..settings import DEFAULT_SETTINGS, Settings
from ..sourcepath import recorded_path
from ..stages import STAGES, Stage, Work, run_stages
from .results import DocResult, written_result

StageListener = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How one document runs: timeout (seconds, enforced by killing its process), settle window, settings."""

    timeout: float = 900.0
    settle: float = 5.0  # a file modified this recently may still be being copied in
    settings: Settings = DEFAULT_SETTINGS
    review: bool = True  # write the review page with the folder
    password: str | None = field(default=None, repr=False)  # for encrypted PDFs (--password); recorded nowhere
    roots: tuple[str, ...] = ()  # the input PATHs given: outputs record paths relative to them (`recorded_path`)


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
    """Run `STAGES` on one PDF and write its folder in this process; never raises for a bad document."""
    opts = options or WorkerOptions()
    path = str(path)
    t0 = time.perf_counter()
    before = _stat(path)
    last: tuple[Stage, Work] | None = None  # the stage running and what it was given

    def starting(stage: Stage, work: Work) -> None:
        nonlocal last
        last = (stage, work)
        if on_stage is not None:
            on_stage(stage.name)

    try:
        start = Work(
            Path(path),
            opts.settings,
            Path(output),
            review=opts.review,
            password=opts.password,
            source_name=recorded_path(path, opts.roots),
        )
        work = run_stages(start, STAGES, starting)
    except Exception as exc:  # one document must not stop the batch
        stage, partial = last if last is not None else (STAGES[0], Work(Path(path)))
        transient = stage.name == "load" and _in_flux(path, before, opts.settle)
        reason = describe_error(path, exc)
        if transient:
            reason += " (file changed or was written moments ago: may still be being copied)"
        return DocResult(
            path,
            "failed",
            reason,
            seconds=round(time.perf_counter() - t0, 3),
            peak_rss_mb=_peak_rss_mb(),
            timings=partial.timings(),
            transient=transient,
        )
    return written_result(work, time.perf_counter() - t0, _peak_rss_mb())


# --- isolation -----------------------------------------------------------------------------

_PRELOAD = ("pipeline.batch.preload",)
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
    """The forkserver context, preloading the stage modules and Great Expectations (`preload`)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(_PRELOAD))
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
