"""Prefect flow for a batch of reports (backfills, scheduled runs): plan, ingest concurrently, load, report.

Only orchestration lives here; each task calls library functions from `pipeline.batch`:

- `plan`: which inputs are new or changed (content sha256 + pipeline version), which are skipped;
- `ingest-document`, one task run per document, submitted to the flow's task runner: a
  ThreadPoolTaskRunner whose threads each wait on one isolated worker *process*
  (`run_isolated`: own memory, hard timeout, a crash fails that document only), or a
  DaskTaskRunner whose workers do the same on a cluster. Workers return a small `DocResult`,
  never the Document. Only a transient load failure (the file changed during the attempt or
  is seconds old: still being copied in) raises, so Prefect retries it with exponential backoff;
  every other failure is a result with its reason, and the batch goes on;
- `load-database`, serially in this process as documents finish (DuckDB has one writer), from
  the written folder; skipped documents that never reached this database are loaded too;
- `report`: a markdown summary and a table artifact.

The flow run ends Failed (with the results as its data) when any document failed, so a
scheduled run with a bad PDF shows up red in the UI.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pipeline.prefect_env  # noqa: F401  (must run before prefect is imported)

# isort: split
from prefect import Flow, flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from pipeline.batch.outroot import sweep_leftovers
from pipeline.batch.plan import PlanItem, mark_loaded, pending_loads, plan_batch
from pipeline.batch.results import DocResult, counts, plan_failure, skipped_result, summary_markdown, table_rows
from pipeline.batch.worker import WorkerOptions, run_isolated
from pipeline.errors import NianbaoError

Listener = Callable[[str, str, Any], None]
_listeners: list[Listener] = []


@contextmanager
def progress_listener(listener: Listener) -> Iterator[None]:
    """Receive ("plan", "", items), ("start", path, None), ("stage", path, name), ("done", path, DocResult)
    from flows running in this process (the CLI's progress bars); worker threads call it."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def _notify(event: str, path: str, detail: Any = None) -> None:
    for listener in list(_listeners):
        listener(event, path, detail)


class TransientInputError(NianbaoError):
    """The input looks like a file still being copied in: worth retrying after a pause."""


def _retry_transient_only(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except TransientInputError:
        return True
    except BaseException:
        return False
    return False


_NO_STORE: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="plan", **_NO_STORE)
def plan_task(paths: list[str], output: str, force: bool) -> list[PlanItem]:
    sweep_leftovers(output)  # debris of a killed run: half-written folders go, set-aside ones come back
    return plan_batch(paths, output, force)


@task(
    name="ingest-document",
    task_run_name="ingest {path}",
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.2,
    retry_condition_fn=_retry_transient_only,
    **_NO_STORE,
)
def document_task(path: str, output: str, options: WorkerOptions) -> DocResult:
    """One document in its own worker process; raises only for a transient load failure (retried)."""
    _notify("start", path)
    result = run_isolated(path, output, options, on_stage=lambda stage: _notify("stage", path, stage))
    if result.transient:
        raise TransientInputError(path, result.reason.removeprefix(f"{path}: "))
    return result


def open_database(database: str | None, output: str) -> Any:
    """The warehouse (`pipeline.warehouse`), or None while that package is not installed."""
    try:
        from pipeline.warehouse import open_warehouse
    except ImportError as exc:
        if exc.name == "pipeline.warehouse":
            return None
        raise
    return open_warehouse(database, Path(output))


def database_label(database: str | None, output: str) -> str:
    """The ledger key's source: the --db value, or the default file under the output root."""
    return database if database else str(Path(output) / "nianbao.duckdb")


@task(name="load-database", task_run_name="load {result.doc_id}", **_NO_STORE)
def load_task(warehouse: Any, result: DocResult, allow_invalid: bool) -> DocResult:
    """Load one written folder; a refusal or a database error is recorded, not raised."""
    try:
        loaded = warehouse.load_folder(Path(result.folder), allow_invalid=allow_invalid)
    except Exception as exc:
        return result.with_database(f"failed: {' '.join(str(exc).split())}")
    if loaded.status == "loaded":
        return result.with_database("loaded")
    return result.with_database(f"refused: {loaded.reason}")


@task(name="report", **_NO_STORE)
def report_task(results: list[DocResult], seconds: float, title: str) -> str:
    """The run's artifacts: a markdown summary and a table of documents, tables found and validation warnings."""
    markdown = summary_markdown(results, title, seconds)
    create_markdown_artifact(markdown, key="nianbao-batch-summary", description=title)
    create_table_artifact(table_rows(results), key="nianbao-batch-documents", description=title)
    return markdown


def _load_serially(
    warehouse: Any, results: list[DocResult], output: str, label: str, allow_invalid: bool
) -> list[DocResult]:
    out = [load_task(quote(warehouse), r, allow_invalid) for r in results]
    mark_loaded(output, label, {Path(r.folder).name: r.sha256 for r in out if r.database == "loaded"})
    return out


@flow(name="ingest-batch", persist_result=False, validate_parameters=False)
def ingest_batch(
    paths: list[str],
    output: str = "output",
    force: bool = False,
    timeout: float = 900.0,
    settle: float = 5.0,
    validate: bool = True,
    load_db: bool = True,
    database: str | None = None,
    allow_invalid: bool = False,
) -> State:
    """Ingest many PDFs; unchanged ones are skipped (unless force), every outcome is reported.

    Concurrency comes from the task runner: `batch_flow(workers, dask)` gives this flow with a
    thread pool (local worker processes) or a Dask cluster.
    """
    t0 = time.perf_counter()
    items = plan_task([str(p) for p in paths], str(output), force)
    _notify("plan", "", items)
    results: dict[str, DocResult] = {}
    for item in items:
        if item.action == "skip":
            results[item.path] = skipped_result(item, output)
        elif item.action == "fail":
            results[item.path] = plan_failure(item)
            _notify("done", item.path, results[item.path])

    warehouse = open_database(database, output) if load_db else None
    label = database_label(database, output)
    if warehouse is not None:  # caught up first: written by a run that was killed before loading them
        behind = [results[i.path] for i in pending_loads(output, label, items)]
        for r in _load_serially(warehouse, behind, output, label, allow_invalid):
            results[r.path] = r

    try:
        options = WorkerOptions(timeout=timeout, settle=settle, validate=validate)
        _run_documents(items, output, options, warehouse, label, allow_invalid, results)
    finally:
        if warehouse is not None:
            warehouse.close()
    ordered = [results[i.path] for i in items]
    report_task(ordered, round(time.perf_counter() - t0, 2), f"nianbao batch: {len(ordered)} documents")
    c = counts(ordered)
    if c["failed"]:
        return Failed(message=f"{c['failed']} of {len(ordered)} documents failed", data=ordered)
    return Completed(message=f"{c['done']} done, {c['skipped']} skipped", data=ordered)


def _run_documents(
    items: list[PlanItem],
    output: str,
    options: WorkerOptions,
    warehouse: Any,
    label: str,
    allow_invalid: bool,
    results: dict[str, DocResult],
) -> None:
    """Submit every document to the task runner; load each into the database as it finishes."""
    todo = [i.path for i in items if i.action == "process"]
    futures = [document_task.submit(path, str(output), options) for path in todo]
    by_id = {f.task_run_id: path for f, path in zip(futures, todo, strict=True)}
    for future in as_completed(futures):
        path = by_id[future.task_run_id]
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, DocResult):
            result = outcome
        else:  # retries exhausted (transient) or an orchestration error
            result = DocResult(path, "failed", _one_line(path, outcome))
        if warehouse is not None and result.status == "done":
            result = _load_serially(warehouse, [result], output, label, allow_invalid)[0]
        results[path] = result
        _notify("done", path, result)


def _one_line(path: str, outcome: Any) -> str:
    if isinstance(outcome, NianbaoError):
        return " ".join(str(outcome).split())
    text = " ".join(str(outcome).split()) if outcome is not None else "no result"
    return f"{path}: {type(outcome).__name__}: {text}" if isinstance(outcome, BaseException) else f"{path}: {text}"


def batch_task_runner(workers: int, dask: str | None = None) -> TaskRunner[Any]:
    """`workers` threads, each driving one isolated worker process; or a Dask cluster ("local" or an address)."""
    if not dask:
        return ThreadPoolTaskRunner(max_workers=max(1, workers))
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": max(1, workers),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return DaskTaskRunner(address=dask)


def batch_flow(workers: int = 2, dask: str | None = None) -> Flow[..., State]:
    """`ingest_batch` with the task runner for `workers` and `dask`."""
    return ingest_batch.with_options(task_runner=batch_task_runner(workers, dask))


def results_of(state: State) -> list[DocResult]:
    """The DocResults a finished `ingest_batch` state carries (Completed or Failed)."""
    data = state.result(raise_on_failure=False)
    if isinstance(data, list):
        return data
    raise RuntimeError(f"ingest-batch ended without results: {state.type.value} {state.message or ''}".strip())
