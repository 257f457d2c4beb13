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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..batch.plan import NOT_UTF8, utf8_name
from ..batch.results import DocResult
from ..deadline import time_limit
from ..errors import describe_error
from ..settings import DEFAULT_SETTINGS
from ..stages import STAGES
from . import app
from .options import (
    AllowInvalidOpt,
    DbOpt,
    NoDbOpt,
    OcrOpt,
    OutputOpt,
    PasswordOpt,
    ReaderOpt,
    ReviewOpt,
    SettingsOpt,
    TimeoutOpt,
    VerboseOpt,
    output_root_or_exit,
    secret,
    settings_or_exit,
)
from .ui import cell, escaped, say, summary_frame

if TYPE_CHECKING:
    from ..stages import Stage, Work

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


class _DropRunFailures(logging.Filter):
    """Hide Prefect's own failure records on the console: the CLI reports each failure in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno >= logging.ERROR and record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))
        )


@contextmanager
def quiet_prefect_failures(enabled: bool) -> Iterator[None]:
    loggers = (logging.getLogger(), logging.getLogger("prefect"))  # Prefect's console handler sits on the root
    handlers = [h for lg in loggers for h in lg.handlers if type(h).__name__ == "PrefectConsoleHandler"]
    flt = _DropRunFailures()
    if enabled:
        for h in handlers:
            h.addFilter(flt)
    try:
        yield
    finally:
        for h in handlers:
            h.removeFilter(flt)


def flow_runner(
    output: Path, first: Path | None = None, timeout: float = 0.0, **options: Any
) -> tuple[Runner, Callable[[], AbstractContextManager[None]]]:
    """The per-file runner (the Prefect flow, given `options`: load_db, database, allow_invalid, settings,
    on_stage) and a context for the whole batch.

    Prefect, its temporary server and the stage modules come up in a background thread
    (`startup.Warmup`) while this thread reads the `first` file (within `timeout` seconds); its
    flow then runs only the stages after load.
    """
    from ..batch.lifeline import private_tmp
    from ..readers import get_reader
    from .startup import Warmup, read_ahead

    private_tmp()  # before the server and the stages start: their temporary folders go there
    settings = options.get("settings", DEFAULT_SETTINGS)
    get_reader(settings.load.reader)  # its imports before the warm-up's: no two threads importing one module
    warmup = Warmup().start()
    ahead = None
    if first is not None:
        password = options.get("password")
        secret_text = password.get_secret_value() or None if password is not None else None
        ahead = read_ahead(first, settings, secret_text, options.get("roots") or [], timeout)
    warmup.wait()
    from flows.ingest import ingest_report, local_run_settings

    return (lambda path: ingest_report(path, output, ahead=ahead, **options)), local_run_settings


def run_one(runner: Runner, path: Path, timeout: float = 0.0) -> DocResult:
    """One document; any failure (or `timeout` seconds passing, 0: none) is its result, never the batch's."""
    t0 = time.perf_counter()
    try:
        with time_limit(timeout, path):
            return runner(path)
    except Exception as exc:  # one document must not stop the batch
        return DocResult(str(path), "failed", describe_error(path, exc), seconds=round(time.perf_counter() - t0, 3))


def summary_table(results: list[DocResult]) -> Table:
    table = summary_frame(
        "nianbao ingest",
        (
            ("file", "left"),
            ("doc_id", "left"),
            ("pages", "right"),
            ("sections", "right"),
            ("tables", "right"),
            ("warnings", "right"),
            ("database", "left"),
            ("seconds", "right"),
            ("status", "left"),
        ),
    )
    for r in results:
        name, seconds = cell(Path(r.path).name), f"{r.seconds:.1f}"
        if r.status in ("done", "unloaded"):
            status = cell("ok") if r.status == "done" else cell("not loaded", "yellow")
            table.add_row(name, cell(r.doc_id), str(r.pages), str(r.sections), str(r.tables), str(r.warnings),
                          cell(r.database or "-"), seconds, status)  # fmt: skip
        else:
            table.add_row(name, "-", "-", "-", "-", "-", "-", seconds, cell("failed", "red"))
    return table


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively for *.pdf).")],
    output: OutputOpt = Path("output"),
    verbose: VerboseOpt = False,
    db: DbOpt = None,
    no_db: NoDbOpt = False,
    allow_invalid: AllowInvalidOpt = False,
    settings_file: SettingsOpt = None,
    reader: ReaderOpt = None,
    ocr: OcrOpt = None,
    review: ReviewOpt = True,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 900.0,
) -> None:
    """Ingest PDF reports into OUTPUT/<doc_id>/ (document.json, sections.csv, manifest.json, ...) and the database."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False)
    settings = settings_or_exit(settings_file, err, reader, ocr)
    files, notes, errors = collect_inputs(paths, output)
    for line in notes:
        say(err, f"note: {line}")
    for line in errors:
        say(err, f"error: {line}")
    if not files:
        say(err, "nothing to ingest: no PDF files found")
        raise typer.Exit(1 if errors else 0)
    output_root_or_exit(output, err)
    say(err, f"reading {len(files)} file{'s' if len(files) != 1 else ''} …")  # at once: start-up takes seconds

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    bar = progress.add_task("ingesting", total=len(files))

    def on_stage(stage: Stage, work: Work) -> None:
        step = f"{STAGES.index(stage) + 1}/{len(STAGES)}"
        progress.update(bar, description=f"ingesting {escaped(work.path.name)} · {stage.name} ({step})")

    runner, batch_context = flow_runner(
        output,
        first=files[0],
        timeout=timeout,
        load_db=not no_db,
        database=db,
        allow_invalid=allow_invalid,
        settings=settings,
        review=review,
        on_stage=on_stage,
        password=secret(password),
        roots=[str(p) for p in paths],
    )
    results: list[DocResult] = []
    with batch_context(), quiet_prefect_failures(not verbose), progress:
        for path in files:
            result = run_one(runner, path, timeout)
            results.append(result)
            if result.status in ("failed", "unloaded"):
                say(progress.console, f"error: {result.reason}")
            progress.advance(bar)

    out.print(summary_table(results))  # every cell is Text: nothing in it is read as markup
    failed = sum(r.status == "failed" for r in results)
    unloaded = sum(r.status == "unloaded" for r in results)
    behind = f" ({unloaded} not loaded into the database: the next run loads them)" if unloaded else ""
    say(out, f"{len(results) - failed} written to {output}/{behind}, {failed + len(errors)} failed")
    if failed or errors or unloaded:
        raise typer.Exit(1)
