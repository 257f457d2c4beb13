"""`nianbao backfill`: many PDFs at once, each in its own worker process, unchanged ones skipped.

What to skip is decided before Prefect is even imported (content sha256, pipeline version and
settings digest against the manifests already written), so a re-run with nothing to do takes a
fraction of a second; only when there is work does the command start the flow `ingest-batch`
(and, without PREFECT_API_URL, Prefect's temporary server: one per command, shared by all
documents). A bad `--settings FILE` stops the command (exit code 2) before anything is planned.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..batch.database import database_label
from ..batch.outroot import sweep_leftovers
from ..batch.plan import PlanItem, pending_loads, plan_batch, remembered_refusals
from ..batch.results import DocResult, counts, plan_failure, plural, remembered, skipped_result
from ..stages import STAGE_NAMES
from . import app
from .environment import dask_scheduler_or_exit, environment_failure, prefect_server_or_exit
from .ingest import collect_inputs, quiet_console
from .options import CONSOLE_OPTIONS, RUN_OPTIONS, RunOptions, run_options
from .report import print_json, results_object
from .ui import escaped, progress_bars, results_table, say


class BatchProgress:
    """Rich bars: one overall, one per running document showing its current stage (called from worker threads)."""

    def __init__(self, console: Console, total: int, shown: bool = True) -> None:
        self.progress = progress_bars(console, shown)
        self.overall = self.progress.add_task("backfill", total=total)
        self.rows: dict[str, Any] = {}

    def __call__(self, event: str, path: str, detail: Any) -> None:
        name = escaped(Path(path).name)  # a task description is read as markup
        if event == "start":
            if path not in self.rows:
                self.rows[path] = self.progress.add_task(f"  {name}", total=len(STAGE_NAMES))
        elif event == "stage" and path in self.rows:
            step = STAGE_NAMES.index(detail) if detail in STAGE_NAMES else 0
            self.progress.update(self.rows[path], completed=step, description=f"  {name} · {detail}")
        elif event == "done":
            row = self.rows.pop(path, None)
            if row is not None:
                self.progress.remove_task(row)
            result: DocResult = detail
            if result.status in ("failed", "unloaded"):
                say(self.progress.console, f"error: {result.reason}")
            self.progress.advance(self.overall)


def summary_table(results: list[DocResult]) -> Table:
    return results_table("nianbao backfill", results)


@contextmanager
def _prefect_for(dask: str | None) -> Iterator[None]:
    """Start Prefect's server (in the background while the worker forkserver warms up) and apply run settings.

    With `--dask`, worker processes must reach the same API: without PREFECT_API_URL the
    temporary server's URL is put into the settings the flow hands to its tasks (each Dask
    worker would otherwise start a temporary server of its own, ~35 s).
    """
    from flows.ingest import local_run_settings, start_server_early

    from ..batch.lifeline import private_tmp
    from ..batch.worker import warm_up

    private_tmp()  # before the server and the forkserver start: their pymp-* and other folders go there
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
    files: list[Path], opts: RunOptions, dask: str | None, err: Console, n_todo: int, force: bool, roots: list[Path]
) -> list[DocResult]:
    """Run `ingest-batch` with progress bars; returns one result per input file."""
    import logging

    from flows.batch import batch_flow, results_of

    from ..batch.events import BatchEvents
    from ..batch.params import RunParams

    if dask:
        logging.getLogger("distributed").setLevel(logging.WARNING)
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    bars = BatchProgress(err, n_todo, shown=not opts.as_json)
    params = RunParams(**opts.flow_options(roots))
    with _prefect_for(dask), quiet_console(opts.verbose), bars.progress:
        state = batch_flow(opts.workers, dask)(
            paths=[str(f) for f in files], output=str(opts.output), force=force, timeout=opts.timeout,
            settle=opts.settle, params=params, events=BatchEvents(bars), return_state=True,
        )  # fmt: skip
    return results_of(state)


DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Run on a Dask cluster: 'local' (a LocalCluster of --workers processes) or a scheduler address.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Re-process documents even when unchanged.")]


@app.command()
@run_options("workers", "settle", *RUN_OPTIONS, *CONSOLE_OPTIONS)
def backfill(
    paths: Annotated[list[Path], typer.Argument(help="Folders (searched recursively for *.pdf) or PDF files.")],
    opts: RunOptions,
    dask: DaskOpt = None,
    force: ForceOpt = False,
) -> None:
    """Ingest many PDFs concurrently; unchanged documents are skipped, one bad PDF never stops the batch."""
    t0 = time.perf_counter()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = err if opts.as_json else Console(highlight=False)  # with --json, stdout holds the JSON object only
    output = opts.output
    files, notes, errors = collect_inputs(paths, output)
    for line in notes:
        say(err, f"note: {line}")
    for line in errors:
        say(err, f"error: {line}")

    opts.ready_or_exit(err)
    sweep_leftovers(output)
    items = plan_batch(files, output, force, settings=opts.settings, roots=paths)
    label = database_label(opts.database, output)
    behind = pending_loads(output, label, items, allow_invalid=opts.allow_invalid) if opts.load_db else []
    todo = [i for i in items if i.action == "process"]
    say(
        err,
        f"{plural(len(items), 'PDF file')}: {len(todo)} to process, {sum(i.action == 'skip' for i in items)} unchanged"
        + (f", {len(behind)} to load into the database" if behind else ""),
    )
    if dask and dask != "local" and not os.environ.get("PREFECT_API_URL"):
        say(err, "note: remote Dask workers cannot reach this command's temporary Prefect server; run "
                  "`prefect server start` where they can reach it and set PREFECT_API_URL")  # fmt: skip
    if todo or behind:
        prefect_server_or_exit(err)
        dask_scheduler_or_exit(dask, err)
        try:
            results = run_batch_flow(files, opts, dask, err, len(todo), force, paths)
        except Exception as exc:  # the server or the cluster, not a document (each one's failure is its result)
            raise environment_failure(exc, err, opts.verbose) from None
    else:
        refusals = remembered_refusals(output, label) if opts.load_db else {}
        results = [_planned_result(i, output, refusals) for i in items]
        for r in results:
            if r.status == "failed":
                say(err, f"error: {r.reason}")

    seconds = time.perf_counter() - t0
    if opts.as_json:
        print_json(results_object("backfill", results, output, seconds, errors))
    else:
        out.print(summary_table(results))
    c = counts(results)
    failed = c["failed"] + len(errors)
    unloaded = f", not loaded {c['unloaded']}" if c["unloaded"] else ""
    say(out, f"done {c['done']}, skipped {c['skipped']}, failed {failed}{unloaded} → {output}/ ({seconds:.1f} s)")
    if failed or c["unloaded"]:
        raise typer.Exit(1)


def _planned_result(item: PlanItem, output: Path, refusals: Mapping[str, tuple[str, str]]) -> DocResult:
    return remembered(skipped_result(item, output), refusals) if item.action == "skip" else plan_failure(item)
