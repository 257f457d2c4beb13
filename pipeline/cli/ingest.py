"""`nianbao ingest`: PDFs (files or folders) through the Prefect flow, one folder per report.

Prefect is imported only when there is something to ingest. A failing document gives one line
naming the file and the reason; the other files are still processed, and the exit code is 1 if
any document failed.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import NianbaoError
from . import app
from .ui import summary_frame


@dataclass(slots=True)
class Outcome:
    """One input file's result: `result` on success, `error` (one line) on failure."""

    path: Path
    result: Any = None
    error: str | None = None
    seconds: float = 0.0


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


def describe_error(path: Path, exc: BaseException) -> str:
    """One line naming the file and the reason; the project's own errors already carry both."""
    if isinstance(exc, NianbaoError):
        return " ".join(str(exc).split())
    first = (str(exc).strip().splitlines() or [""])[0]
    text = f"{path}: unexpected {type(exc).__name__}" + (f": {first}" if first else "")
    return " ".join(text.split())


class _DropRunFailures(logging.Filter):
    """Hide Prefect's own failure records on the console: the CLI reports each failure in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno >= logging.ERROR and record.name.startswith(("prefect.flow_runs", "prefect.task_runs"))
        )


@contextmanager
def _quiet_prefect_failures(enabled: bool) -> Iterator[None]:
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


def _flow_runner(output: Path, **options: Any) -> tuple[Callable[[Path], Any], Callable[[], Any]]:
    """The per-file runner (the Prefect flow, given `options`: load_db, database, allow_invalid) and a
    context for the whole batch.

    Imports Prefect here, not at module level; starts the temporary server in the background
    while the stage modules are imported, then waits for it before the first flow.
    """
    from flows.ingest import ingest_report, local_run_settings, start_server_early

    server = start_server_early()
    try:
        import pipeline.process  # noqa: F401  (import the stages while the server starts)
    except ImportError:
        pass  # reported per document by the task that needs the missing stage
    if server is not None:
        server.join()
    return (lambda path: ingest_report(path, output, **options)), local_run_settings


def run_one(runner: Callable[[Path], Any], path: Path) -> Outcome:
    t0 = time.perf_counter()
    try:
        result = runner(path)
    except Exception as exc:  # one document must not stop the batch
        return Outcome(path, error=describe_error(path, exc), seconds=time.perf_counter() - t0)
    return Outcome(path, result=result, seconds=time.perf_counter() - t0)


def summary_table(outcomes: list[Outcome]) -> Table:
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
    for o in outcomes:
        r = o.result
        if o.error is None:
            warnings, database = str(getattr(r, "warnings", 0)), getattr(r, "database", "") or "-"
            table.add_row(o.path.name, r.doc_id, str(r.pages), str(r.sections), str(r.tables), warnings, database,
                          f"{o.seconds:.1f}", "ok")  # fmt: skip
        else:
            table.add_row(o.path.name, "-", "-", "-", "-", "-", "-", f"{o.seconds:.1f}", "[red]failed[/red]")
    return table


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively for *.pdf).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output root; one folder per document.")] = Path(
        "output"
    ),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Keep Prefect's own failure logs.")] = False,
    db: Annotated[
        str | None, typer.Option("--db", help="A .duckdb file or SQLAlchemy URL. Default: OUTPUT/nianbao.duckdb.")
    ] = None,
    no_db: Annotated[bool, typer.Option("--no-db", help="Write the folders only; load no database.")] = False,
    allow_invalid: Annotated[
        bool, typer.Option("--allow-invalid", help="Load documents with validation errors.")
    ] = False,
) -> None:
    """Ingest PDF reports into OUTPUT/<doc_id>/ (document.json, sections.csv, manifest.json, ...) and the database."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False)
    files, notes, errors = collect_inputs(paths, output)
    for line in notes:
        err.print(f"note: {line}", markup=False)
    for line in errors:
        err.print(f"error: {line}", markup=False)
    if not files:
        err.print("nothing to ingest: no PDF files found", markup=False)
        raise typer.Exit(1 if errors else 0)

    load_db = not no_db and importlib.util.find_spec("pipeline.warehouse") is not None
    runner, batch_context = _flow_runner(output, load_db=load_db, database=db, allow_invalid=allow_invalid)
    outcomes: list[Outcome] = []
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with batch_context(), _quiet_prefect_failures(not verbose), progress:
        bar = progress.add_task("ingesting", total=len(files))
        for path in files:
            progress.update(bar, description=f"ingesting {path.name}")
            outcome = run_one(runner, path)
            outcomes.append(outcome)
            if outcome.error is not None:
                progress.console.print(f"error: {outcome.error}", markup=False)
            progress.advance(bar)

    out.print(summary_table(outcomes))
    failed = sum(o.error is not None for o in outcomes) + len(errors)
    ok = len(outcomes) - sum(o.error is not None for o in outcomes)
    out.print(f"{ok} written to {output}/, {failed} failed", markup=False)
    if failed:
        raise typer.Exit(1)
