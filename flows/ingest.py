"""Prefect flow for one report: one task per stage of `pipeline.stages.STAGES`, then the database.

The flow only orchestrates: each task runs one declared stage on the immutable `Work` value
(timed into it; the manifest records the seconds). Tasks are named from the list. Only the I/O
stages (`Stage.io`: load reads the PDF, emit writes the folder) retry, and only on OSError; an
InputError (empty, not a PDF, damaged) fails at once. Results are neither cached nor
persisted: the output is the emitted folder.

Importing this module stays cheap (no camelot or great_expectations on the CLI's start path):
the stages import their library modules when they first run. The `Work` value is passed
`quote`d so Prefect does not walk every character record looking for upstream futures.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

import pipeline.prefect_env  # noqa: F401  (must run before prefect is imported)

# isort: split
from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from pipeline.batch.database import database_label, load_written, mark_results_loaded, open_database
from pipeline.batch.params import RunParams
from pipeline.batch.results import DocResult, written_result
from pipeline.errors import NianbaoError
from pipeline.sourcepath import recorded_path
from pipeline.stages import Stage, StageHook, Work, remaining, run_stage, run_stages

RetryCondition = Callable[[Any, Any, Any], bool]


def retry_when(retry: type[BaseException], unless: tuple[type[BaseException], ...] = ()) -> RetryCondition:
    """A task's `retry_condition_fn`: retry when the run raised `retry` (but not one of `unless`), never else."""

    def condition(task: Any, task_run: Any, state: Any) -> bool:
        try:
            state.result()
        except unless:
            return False
        except retry:
            return True
        except BaseException:
            return False
        return False

    return condition


# OS-level I/O errors (a share that hiccups) are worth a retry, never a bad input or a bug
transient_io_error = retry_when(OSError, unless=(NianbaoError,))


_T = TypeVar("_T")


def quoted(value: _T) -> _T:
    """`quote(value)`, typed as the value itself: Prefect unwraps it before the task runs.

    Quoting keeps Prefect from walking a large value (every character record of a layout)
    looking for upstream futures; the task function still receives `value`.
    """
    return cast(_T, quote(value))


NO_STORE: Mapping[str, Any] = MappingProxyType({"cache_policy": NO_CACHE, "persist_result": False})
IO_RETRY: Mapping[str, Any] = MappingProxyType(
    {"retries": 2, "retry_delay_seconds": 1, "retry_condition_fn": transient_io_error}
)


@task(**NO_STORE)
def stage_task(stage: Stage, work: Work) -> Work:
    return run_stage(stage, work)


def task_for(stage: Stage) -> Task[[Stage, Work], Work]:
    """The task that runs `stage`, named after it; I/O stages retry on OSError."""
    return stage_task.with_options(name=stage.name, **(IO_RETRY if stage.io else {}))


@task(name="load-database", **NO_STORE)
def load_db_task(result: DocResult, output: Path, database: str | None, allow_invalid: bool) -> DocResult:
    """Load the written document into the warehouse; the result notes "loaded" or "refused: …".

    Runs in this process, after emit: DuckDB takes one writer at a time. A database that cannot
    take it makes the result "unloaded" (written, with its doc_id and the load error), never
    "failed": the files are there and the next run loads them.
    """
    try:
        with open_database(database, output) as warehouse:  # from the folder: the written doc_id and findings
            result = load_written(warehouse, result, allow_invalid)
    except NianbaoError as exc:  # the database went away or cannot be opened (load_written keeps the rest)
        return result.not_loaded(" ".join(str(exc).split()))
    mark_results_loaded(output, database_label(database, output), [result])
    return result


ONE_DOCUMENT = RunParams(load_db=False)


@flow(name="ingest-report", persist_result=False, validate_parameters=False)
def ingest_report(
    path: Path,
    output: Path = Path("output"),
    params: RunParams = ONE_DOCUMENT,
    on_stage: StageHook | None = None,
    ahead: Callable[[Work], Work] | None = None,
) -> DocResult:
    """Ingest one PDF into `output/<doc_id>/` (and the warehouse if `params.load_db`); raises InputError for a
    bad file.

    `on_stage(stage, work)` is told of each stage as it starts (the CLI's progress line).
    `ahead(work)` returns the work with the stages the caller already ran (the CLI reads the first
    PDF while the server starts, `pipeline.cli.startup`); only the remaining stages run as tasks.
    """
    t0 = time.perf_counter()
    work = Work(
        Path(path),
        params.settings,
        Path(output),
        review=params.review,
        password=params.revealed_password(),
        source_name=recorded_path(path, params.roots),
    )
    if ahead is not None:
        work = ahead(work)
        t0 -= sum(work.timings().values())  # the document's seconds include the stages run ahead
    work = run_stages(
        work,
        remaining(work),
        on_stage,
        run=lambda stage, w: task_for(stage)(quoted(stage), quoted(w)),
    )
    result = written_result(work, time.perf_counter() - t0)
    if not params.load_db:
        return result
    return load_db_task(result, Path(output), params.database, params.allow_invalid)


def _uses_ephemeral_server() -> bool:
    from prefect.settings import PREFECT_API_URL

    return not PREFECT_API_URL.value()


def start_server_early() -> threading.Thread | None:
    """Start Prefect's temporary server in the background while the caller imports and scans files.

    The server subprocess needs several seconds to come up; starting it before the first flow
    overlaps that wait with the main process's own work. Join the thread before running a flow:
    the server object reports "running" before it answers. Returns None when a real server is
    configured (PREFECT_API_URL).
    """
    if os.environ.get("PREFECT_API_URL") or not _uses_ephemeral_server():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    from pipeline.batch.lifeline import guard

    guard()  # before the server starts: it dies with this process, even after kill -9
    thread = threading.Thread(target=SubprocessASGIServer().start, name="prefect-server-start", daemon=True)
    thread.start()
    return thread


@contextmanager
def local_run_settings() -> Iterator[None]:
    """Turn off flow-run heartbeats when the server is the temporary one.

    Heartbeats let a long-lived server notice crashed runs; the temporary server dies with this
    process, and stopping the heartbeat thread costs up to 1 s per flow (1.1 s → 0.1 s measured
    for a trivial flow). A configured PREFECT_API_URL keeps them.
    """
    if not _uses_ephemeral_server():
        yield
        return
    with without_heartbeats():
        yield


@contextmanager
def command_run_settings() -> Iterator[None]:
    """The settings of `nianbao ingest`'s flow runs, whatever the server: no flow-run heartbeats.

    Its runs last seconds against a heartbeat every 180 s (Prefect's default), so each emitted one
    heartbeat, as it started, and then waited for the heartbeat thread's current one-second sleep to
    end (0.3-0.9 s of a warm 70-page ingest's ~6 s). A run of the command that is killed outright is
    then not told from a long one by a heartbeat automation; the command's user sees it end.
    """
    with without_heartbeats():
        yield


@contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs in the block send no heartbeat (a no-op where the settings already say so: Prefect
    validates a whole new settings object for a temporary one, ~0.02 s)."""
    from prefect.settings import get_current_settings, temporary_settings

    if get_current_settings().flows.heartbeat_frequency is None:
        yield
        return
    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield
