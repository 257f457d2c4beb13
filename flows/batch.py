"""Prefect flow for a batch of reports (backfills, scheduled runs): plan, ingest concurrently, load, report.

Only orchestration lives here; each task calls library functions from `pipeline.batch`:

- `plan`: which inputs are new or changed (content sha256, pipeline version, settings digest),
  which are skipped;
- `ingest-document`, one task run per document, submitted to the flow's task runner: a
  ThreadPoolTaskRunner whose threads each wait on one isolated worker *process*
  (`run_isolated`: own memory, hard timeout, a crash fails that document only, the stages of
  `pipeline.stages.STAGES` in order), or a DaskTaskRunner whose workers do the same on a
  cluster. Workers return a small `DocResult`, never the Document. Only a transient load
  failure (the file changed during the attempt or is seconds old: still being copied in)
  raises, so Prefect retries it with exponential backoff; every other failure is a result with
  its reason, and the batch goes on;
- `load-database`, serially in this process as documents finish (DuckDB has one writer), from
  the written folder; skipped documents that never reached this database are loaded too;
- `report`: a markdown summary and a table artifact.

The flow run ends Failed (with the results as its data) when any document failed, so a
scheduled run with a bad PDF shows up red in the UI. Progress goes to the `events` the caller
passes in (`BatchEvents`, the CLI's bars): the flow's own events always, the stage of each
document when the documents run in this process (the thread pool; on Dask the copy is silent).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pipeline.prefect_env  # noqa: F401  (must run before prefect is imported)

# isort: split
from prefect import Flow, flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from flows.ingest import NO_STORE, quoted, retry_when
from pipeline.batch.database import database_label, load_written, mark_results_loaded, open_database
from pipeline.batch.events import BatchEvents
from pipeline.batch.outroot import sweep_leftovers
from pipeline.batch.params import RunParams
from pipeline.batch.plan import PlanItem, pending_loads, plan_batch, remembered_refusals
from pipeline.batch.results import (
    DocResult,
    counts,
    plan_failure,
    plural,
    remembered,
    skipped_result,
    summary_markdown,
    table_rows,
)
from pipeline.batch.worker import WorkerOptions, run_isolated
from pipeline.errors import NianbaoError
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse


class TransientInputError(NianbaoError):
    """The input looks like a file still being copied in: worth retrying after a pause."""


@task(name="plan", **NO_STORE)
def plan_task(paths: list[str], output: str, force: bool, settings: Settings, roots: list[str]) -> list[PlanItem]:
    sweep_leftovers(output)  # debris of a killed run: half-written folders go, set-aside ones come back
    return plan_batch(paths, output, force, settings=settings, roots=roots)


@task(
    name="ingest-document",
    task_run_name="ingest {path}",
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.2,
    retry_condition_fn=retry_when(TransientInputError),
    **NO_STORE,
)
def document_task(path: str, output: str, options: WorkerOptions, events: BatchEvents) -> DocResult:
    """One document in its own worker process; raises only for a transient load failure (retried)."""
    events("start", path)
    result = run_isolated(path, output, options, on_stage=lambda stage: events("stage", path, stage))
    if result.transient:
        raise TransientInputError(path, result.reason.removeprefix(f"{path}: "))
    return result


@task(name="load-database", task_run_name="load {result.doc_id}", **NO_STORE)
def load_task(warehouse: Warehouse, result: DocResult, allow_invalid: bool) -> DocResult:
    """Load one written folder; a refusal or a database error is recorded (status "unloaded"), not raised."""
    try:
        return load_written(warehouse, result, allow_invalid)
    except Exception as exc:
        return result.not_loaded(" ".join(str(exc).split()))


@task(name="report", **NO_STORE)
def report_task(results: list[DocResult], seconds: float, title: str) -> str:
    """The run's artifacts: a markdown summary and a table of documents, tables found and validation warnings."""
    markdown = summary_markdown(results, title, seconds)
    create_markdown_artifact(markdown, key="nianbao-batch-summary", description=title)
    create_table_artifact(table_rows(results), key="nianbao-batch-documents", description=title)
    return markdown


def _load_serially(
    warehouse: Warehouse, results: list[DocResult], output: str, label: str, allow_invalid: bool
) -> list[DocResult]:
    out = [load_task(quoted(warehouse), r, allow_invalid) for r in results]
    mark_results_loaded(output, label, out)
    return out


@flow(name="ingest-batch", persist_result=False, validate_parameters=False)
def ingest_batch(
    paths: list[str],
    output: str = "output",
    force: bool = False,
    timeout: float = 900.0,
    settle: float = 5.0,
    params: RunParams = RunParams(),  # noqa: B008  (a frozen value)
    events: BatchEvents | None = None,
) -> State:
    """Ingest many PDFs; unchanged ones are skipped (unless force), every outcome is reported.

    Concurrency comes from the task runner: `batch_flow(workers, dask)` gives this flow with a
    thread pool (local worker processes) or a Dask cluster.
    """
    t0 = time.perf_counter()
    tell = events or BatchEvents()
    load_db, allow_invalid = params.load_db, params.allow_invalid
    items = plan_task([str(p) for p in paths], str(output), force, params.settings, list(params.roots))
    tell("plan", "", items)
    results: dict[str, DocResult] = {}
    label = database_label(params.database, output)
    refusals = remembered_refusals(output, label) if load_db else {}
    for item in items:
        if item.action == "skip":
            results[item.path] = remembered(skipped_result(item, output), refusals)
        elif item.action == "fail":
            results[item.path] = plan_failure(item)
            tell("done", item.path, results[item.path])

    warehouse = open_database(params.database, output) if load_db else None
    if warehouse is not None:  # caught up first: written by a run that was killed before loading them
        behind = [results[i.path] for i in pending_loads(output, label, items, allow_invalid=allow_invalid)]
        for r in _load_serially(warehouse, behind, output, label, allow_invalid):
            results[r.path] = r

    try:
        options = WorkerOptions(
            timeout=timeout,
            settle=settle,
            settings=params.settings,
            review=params.review,
            password=params.revealed_password(),
            roots=params.roots,
        )
        _run_documents(items, output, options, warehouse, label, allow_invalid, results, tell)
    finally:
        if warehouse is not None:
            warehouse.close()
    ordered = [results[i.path] for i in items]
    report_task(ordered, round(time.perf_counter() - t0, 2), f"nianbao batch: {plural(len(ordered), 'document')}")
    c = counts(ordered)
    if c["failed"] or c["unloaded"]:
        return Failed(
            message=f"{c['failed']} of {plural(len(ordered), 'document')} failed, {c['unloaded']} not loaded",
            data=ordered,
        )
    return Completed(message=f"{c['done']} done, {c['skipped']} skipped", data=ordered)


def _run_documents(
    items: list[PlanItem],
    output: str,
    options: WorkerOptions,
    warehouse: Warehouse | None,
    label: str,
    allow_invalid: bool,
    results: dict[str, DocResult],
    tell: BatchEvents,
) -> None:
    """Submit every document to the task runner; load each into the database as it finishes."""
    todo = [i.path for i in items if i.action == "process"]
    futures = [document_task.submit(path, str(output), options, tell) for path in todo]
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
        tell("done", path, result)


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
