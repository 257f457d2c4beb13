"""`nianbao backfill`: many PDFs at once, each in its own worker process, unchanged ones skipped.

What to skip is decided before Prefect is even imported (content sha256 + pipeline version
against the manifests already written), so a re-run with nothing to do takes a fraction of a
second; only when there is work does the command start the flow `ingest-batch` (and, without
PREFECT_API_URL, Prefect's temporary server: one per command, shared by all documents).
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..batch.outroot import sweep_leftovers
from ..batch.plan import PlanItem, pending_loads, plan_batch
from ..batch.results import DocResult, counts, plan_failure, skipped_result
from . import app
from .ingest import _quiet_prefect_failures, collect_inputs
from .ui import summary_frame

STAGES = ("load", "layout", "structure", "tables", "normalize", "validate", "emit")


def default_database(output: Path) -> str:
    return str(output / "nianbao.duckdb")


def _warehouse_installed() -> bool:
    return importlib.util.find_spec("pipeline.warehouse") is not None


class BatchProgress:
    """Rich bars: one overall, one per running document showing its current stage (called from worker threads)."""

    def __init__(self, console: Console, total: int) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.overall = self.progress.add_task("backfill", total=total)
        self.rows: dict[str, Any] = {}

    def __call__(self, event: str, path: str, detail: Any) -> None:
        name = Path(path).name
        if event == "start":
            if path not in self.rows:
                self.rows[path] = self.progress.add_task(f"  {name}", total=len(STAGES))
        elif event == "stage" and path in self.rows:
            step = STAGES.index(detail) if detail in STAGES else 0
            self.progress.update(self.rows[path], completed=step, description=f"  {name} · {detail}")
        elif event == "done":
            row = self.rows.pop(path, None)
            if row is not None:
                self.progress.remove_task(row)
            result: DocResult = detail
            if result.status == "failed":
                self.progress.console.print(f"error: {result.reason}", markup=False)
            self.progress.advance(self.overall)


def summary_table(results: list[DocResult]) -> Table:
    table = summary_frame(
        "nianbao backfill",
        (
            ("file", "left"),
            ("status", "left"),
            ("doc_id", "left"),
            ("pages", "right"),
            ("tables", "right"),
            ("warn", "right"),
            ("db", "left"),
            ("s", "right"),
            ("reason", "left"),
        ),
    )
    style = {"done": "green", "skipped": "dim", "failed": "red"}
    for r in results:
        done = r.status == "done"
        table.add_row(
            Path(r.path).name,
            f"[{style[r.status]}]{r.status}[/]",
            r.doc_id or "-",
            str(r.pages) if done else "-",
            str(r.tables) if done else "-",
            str(r.warnings) if done else "-",
            r.database or "-",
            f"{r.seconds:.1f}" if done or r.status == "failed" else "-",
            r.reason.removeprefix(f"{r.path}: "),
        )
    return table


@contextmanager
def _prefect_for(dask: str | None) -> Iterator[None]:
    """Start Prefect's server (in the background while the worker forkserver warms up) and apply run settings.

    With `--dask`, worker processes must reach the same API: without PREFECT_API_URL the
    temporary server's URL is put into the settings the flow hands to its tasks (each Dask
    worker would otherwise start a temporary server of its own, ~35 s).
    """
    from flows.ingest import local_run_settings, start_server_early

    from ..batch.worker import warm_up

    server = start_server_early()
    warm_up()
    if server is not None:
        server.join()
    with ExitStack() as stack:
        if dask:
            import dask.config as dask_config  # not `import dask.config`: that rebinds the `dask` argument
            from prefect.server.api.server import SubprocessASGIServer
            from prefect.settings import PREFECT_API_URL, temporary_settings

            # local Dask workers may then fork one isolated process per document, like the thread pool
            stack.enter_context(dask_config.set({"distributed.worker.daemon": False}))
            if server is not None:
                url = SubprocessASGIServer().api_url
                stack.enter_context(temporary_settings(updates={PREFECT_API_URL: url}))
        else:
            stack.enter_context(local_run_settings())
        yield


def run_batch_flow(
    files: list[Path], output: Path, options: dict[str, Any], workers: int, dask: str | None, err: Console, n_todo: int
) -> list[DocResult]:
    """Run `ingest-batch` with progress bars; returns one result per input file."""
    import logging

    from flows.batch import batch_flow, progress_listener, results_of

    if dask:
        logging.getLogger("distributed").setLevel(logging.WARNING)
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    bars = BatchProgress(err, n_todo)
    with _prefect_for(dask), _quiet_prefect_failures(not options.pop("verbose")), bars.progress:
        with progress_listener(bars):
            state = batch_flow(workers, dask)(paths=[str(f) for f in files], output=str(output), **options,
                                              return_state=True)  # fmt: skip
    return results_of(state)


OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Output root; one folder per document.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Documents processed at once.")]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Run on a Dask cluster: 'local' (a LocalCluster of --workers processes) or a scheduler address.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Re-process documents even when unchanged.")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, help="Seconds per document before it fails.")]
SettleOpt = Annotated[
    float, typer.Option("--settle", min=0, help="A file written this recently that fails to load is retried.")
]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="A .duckdb file or SQLAlchemy URL. Default: OUTPUT/nianbao.duckdb.")
]
NoDbOpt = Annotated[bool, typer.Option("--no-db", help="Write the folders only; load no database.")]
AllowInvalidOpt = Annotated[bool, typer.Option("--allow-invalid", help="Load documents with validation errors.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Keep Prefect's own failure logs.")]


@app.command()
def backfill(
    paths: Annotated[list[Path], typer.Argument(help="Folders (searched recursively for *.pdf) or PDF files.")],
    output: OutputOpt = Path("output"),
    workers: WorkersOpt = 2,
    dask: DaskOpt = None,
    force: ForceOpt = False,
    timeout: TimeoutOpt = 900.0,
    settle: SettleOpt = 5.0,
    db: DbOpt = None,
    no_db: NoDbOpt = False,
    allow_invalid: AllowInvalidOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Ingest many PDFs concurrently; unchanged documents are skipped, one bad PDF never stops the batch."""
    t0 = time.perf_counter()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False)
    files, notes, errors = collect_inputs(paths, output)
    for line in notes:
        err.print(f"note: {line}", markup=False)
    for line in errors:
        err.print(f"error: {line}", markup=False)

    sweep_leftovers(output)
    items = plan_batch(files, output, force)
    load_db = not no_db and _warehouse_installed()
    behind = pending_loads(output, db or default_database(output), items) if load_db else []
    todo = [i for i in items if i.action == "process"]
    err.print(
        f"{len(items)} PDF files: {len(todo)} to process, {sum(i.action == 'skip' for i in items)} unchanged"
        + (f", {len(behind)} to load into the database" if behind else ""),
        markup=False,
    )
    if dask and dask != "local" and not os.environ.get("PREFECT_API_URL"):
        err.print("note: remote Dask workers cannot reach this command's temporary Prefect server; run "
                  "`prefect server start` where they can reach it and set PREFECT_API_URL", markup=False)  # fmt: skip
    if todo or behind:
        options = {
            "force": force,
            "timeout": timeout,
            "settle": settle,
            "load_db": load_db,
            "database": db,
            "allow_invalid": allow_invalid,
            "verbose": verbose,
        }
        results = run_batch_flow(files, output, options, workers, dask, err, len(todo))
    else:
        results = [_planned_result(i, output) for i in items]
        for r in results:
            if r.status == "failed":
                err.print(f"error: {r.reason}", markup=False)

    out.print(summary_table(results))
    c = counts(results)
    failed = c["failed"] + len(errors)
    out.print(
        f"done {c['done']}, skipped {c['skipped']}, failed {failed} → {output}/ ({time.perf_counter() - t0:.1f} s)",
        markup=False,
    )
    if failed:
        raise typer.Exit(1)


def _planned_result(item: PlanItem, output: Path) -> DocResult:
    return skipped_result(item, output) if item.action == "skip" else plan_failure(item)
