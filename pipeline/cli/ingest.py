"""`nianbao ingest`: PDFs (files or folders) through the Prefect flow, one folder per report.

Prefect is imported only when there is something to ingest, and `--settings FILE` is read (and
refused with exit code 2) before that. A failing document gives one line naming the file and
the reason; the other files are still processed, and the exit code is 1 if any document failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..batch.plan import NOT_UTF8, utf8_name
from ..batch.results import DocResult, plural
from ..deadline import time_limit
from ..errors import describe_error
from ..stages import STAGES
from . import app
from .environment import environment_failure, prefect_server_or_exit
from .options import CONSOLE_OPTIONS, RUN_OPTIONS, RunOptions, run_options
from .report import print_json, results_object
from .ui import escaped, progress_bars, results_table, say

if TYPE_CHECKING:
    from ..stages import Stage, StageHook, Work

Runner = Callable[[Path], DocResult]


def _is_hidden(path: Path, base: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(base).parts)


def collect_inputs(paths: Iterable[Path], output: Path) -> tuple[list[Path], list[str], list[str]]:
    """Files to ingest, notes on skipped files, and errors for paths that do not exist.

    A file named on the command line is always tried (its content decides whether it is a
    PDF). In a folder, *.pdf files are taken recursively and other files are skipped with a
    note; hidden entries and the output folder itself are passed over silently.
    """
    files: list[Path] = []
    notes: list[str] = []
    errors: list[str] = []
    seen: set[Path] = set()
    out_resolved = output.resolve()

    def add(p: Path) -> None:
        if not utf8_name(p):  # refused alone: the name cannot reach Prefect, JSON or the database
            errors.append(f"{p}: {NOT_UTF8}")
            return
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for path in paths:
        if path.is_dir():
            for entry in sorted(path.rglob("*")):
                if not entry.is_file() or _is_hidden(entry, path) or out_resolved in entry.resolve().parents:
                    continue
                if entry.suffix.lower() == ".pdf":
                    add(entry)
                else:
                    notes.append(f"skipped {entry}: not a .pdf file")
        elif path.is_file():
            add(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return files, notes, errors


class QuietConsole(logging.Filter):
    """What the console handlers let through unless `--verbose`: no INFO lines from libraries (Great
    Expectations' "Created temporary directory …" would garble the progress bar), and not Prefect's
    own failure records (the CLI reports each failure in one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        return not (
            record.levelno >= logging.ERROR and record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))
        )


@contextmanager
def quiet_console(verbose: bool) -> Iterator[None]:
    """`QuietConsole` on Prefect's console handlers (on the root logger: every library's records reach them)."""
    loggers = (logging.getLogger(), logging.getLogger("prefect"))
    handlers = [h for lg in loggers for h in lg.handlers if type(h).__name__ == "PrefectConsoleHandler"]
    flt = QuietConsole()
    if not verbose:
        for h in handlers:
            h.addFilter(flt)
    try:
        yield
    finally:
        for h in handlers:
            h.removeFilter(flt)


def flow_runner(
    output: Path,
    on_stage: StageHook | None = None,
    verbose: bool = False,
    first: Path | None = None,
    timeout: float = 0.0,
    **options: Any,
) -> tuple[Runner, Callable[[], AbstractContextManager[None]]]:
    """The per-file runner (the Prefect flow, given the `RunParams` fields `options` and the progress hook
    `on_stage`) and a context for the whole batch. Loading the stages logs nothing unless `verbose`.

    Prefect, its temporary server and the stage modules come up in a background thread
    (`startup.Warmup`) while this thread reads the `first` file (within `timeout` seconds); its
    flow then runs only the stages after load.
    """
    from ..batch.lifeline import private_tmp
    from ..batch.params import RunParams
    from ..readers import get_reader
    from .startup import Warmup, read_ahead

    private_tmp()  # before the server and the stages start: their temporary folders go there
    params = RunParams(**options)
    get_reader(params.settings.load.reader)  # its imports before the warm-up's: no two threads importing one module
    warmup = Warmup(quiet=lambda: quiet_console(verbose)).start()  # GX logs INFO lines as its context starts
    ahead = None
    if first is not None:
        ahead = read_ahead(
            first, params.settings, params.revealed_password(), list(params.roots), timeout, review=params.review
        )
    warmup.wait()
    from flows.ingest import command_run_settings, ingest_report

    return (lambda path: ingest_report(path, output, params, on_stage, ahead)), command_run_settings


def run_one(runner: Runner, path: Path, timeout: float = 0.0) -> DocResult:
    """One document; any failure (or `timeout` seconds passing, 0: none) is its result, never the batch's."""
    t0 = time.perf_counter()
    try:
        with time_limit(timeout, path):
            return runner(path)
    except Exception as exc:  # one document must not stop the batch
        return DocResult(str(path), "failed", describe_error(path, exc), seconds=round(time.perf_counter() - t0, 3))


def summary_table(results: list[DocResult]) -> Table:
    return results_table("nianbao ingest", results, done="ok")


@app.command()
@run_options(*RUN_OPTIONS, *CONSOLE_OPTIONS)
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively for *.pdf).")],
    opts: RunOptions,
) -> None:
    """Ingest PDF reports into OUTPUT/<doc_id>/ (document.json, sections.csv, manifest.json, ...) and the database."""
    t0 = time.perf_counter()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = err if opts.as_json else Console(highlight=False)  # with --json, stdout holds the JSON object only
    files, notes, errors = collect_inputs(paths, opts.output)
    for line in notes:
        say(err, f"note: {line}")
    for line in errors:
        say(err, f"error: {line}")
    if not files:
        if opts.as_json:
            print_json(results_object("ingest", [], opts.output, time.perf_counter() - t0, errors))
        say(err, "nothing to ingest: no PDF files found")
        raise typer.Exit(1 if errors else 0)
    opts.ready_or_exit(err)
    prefect_server_or_exit(err)
    say(err, f"reading {plural(len(files), 'file')} …")  # at once: start-up takes seconds

    progress = progress_bars(err, shown=not opts.as_json)
    bar = progress.add_task("ingesting", total=len(files))

    def on_stage(stage: Stage, work: Work) -> None:
        step = f"{STAGES.index(stage) + 1}/{len(STAGES)}"
        progress.update(bar, description=f"ingesting {escaped(work.path.name)} · {stage.name} ({step})")

    results: list[DocResult] = []
    try:
        params = opts.flow_options(paths)
        runner, batch_context = flow_runner(
            opts.output, on_stage=on_stage, verbose=opts.verbose, first=files[0], timeout=opts.timeout, **params
        )
        with batch_context(), quiet_console(opts.verbose), progress:
            for path in files:
                result = run_one(runner, path, opts.timeout)
                results.append(result)
                if result.status in ("failed", "unloaded"):
                    say(progress.console, f"error: {result.reason}")
                progress.advance(bar)
    except Exception as exc:  # the machinery, not a document (each document's failure is its result)
        raise environment_failure(exc, err, opts.verbose) from None

    if opts.as_json:
        print_json(results_object("ingest", results, opts.output, time.perf_counter() - t0, errors))
    else:
        out.print(summary_table(results))  # every cell is Text: nothing in it is read as markup
    failed = sum(r.status == "failed" for r in results)
    unloaded = sum(r.status == "unloaded" for r in results)
    behind = f" ({unloaded} not loaded into the database: the next run loads them)" if unloaded else ""
    say(out, f"{len(results) - failed} written to {opts.output}/{behind}, {failed + len(errors)} failed")
    if failed or errors or unloaded:
        raise typer.Exit(1)
