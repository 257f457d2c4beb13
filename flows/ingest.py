"""Prefect flow for one report: load → layout → structure → tables → normalize → validate → emit → database.

The flow only orchestrates: every task calls one library function from `pipeline/` and times
it into a shared `Timings` (stored in the manifest). Only the I/O tasks (load reads the PDF,
emit writes the folder) retry, and only on OSError; an InputError (empty, not a PDF, damaged)
fails at once. Results are neither cached nor persisted: the output is the emitted folder.

Stage modules are imported inside the tasks so importing this module stays cheap (no camelot
or great_expectations on the CLI's start path), and large stage results are passed `quote`d
so Prefect does not walk every character record looking for upstream futures.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pipeline.prefect_env  # noqa: F401  (must run before prefect is imported)

# isort: split
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from pipeline.errors import NianbaoError

if TYPE_CHECKING:
    from pipeline.layout import Layout
    from pipeline.load import LoadedPdf
    from pipeline.model import Document
    from pipeline.process import Timings
    from pipeline.validate import ValidationRun


def _transient_io_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only OS-level I/O errors (a share that hiccups), never a bad input or a bug."""
    try:
        state.result()
    except NianbaoError:
        return False
    except OSError:
        return True
    except BaseException:
        return False
    return False


_T = TypeVar("_T")


def _quoted(value: _T) -> _T:
    """`quote(value)`, typed as the value itself: Prefect unwraps it before the task runs.

    Quoting keeps Prefect from walking a large stage result (every character record of a
    layout) looking for upstream futures; the task function still receives `value`.
    """
    return cast(_T, quote(value))


_NO_STORE: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}
_IO_RETRY: dict[str, Any] = {"retries": 2, "retry_delay_seconds": 1, "retry_condition_fn": _transient_io_error}


@task(name="load", **_NO_STORE, **_IO_RETRY)
def load_task(path: Path, timings: Timings) -> LoadedPdf:
    from pipeline.load import load_pdf

    return timings.run("load", load_pdf, path)


@task(name="layout", **_NO_STORE)
def layout_task(loaded: LoadedPdf, timings: Timings) -> Layout:
    from pipeline.layout import build_layout

    return timings.run("layout", build_layout, loaded)


@task(name="structure", **_NO_STORE)
def structure_task(layout: Layout, timings: Timings) -> Document:
    from pipeline.structure import build_structure

    return timings.run("structure", build_structure, layout)


@task(name="tables", **_NO_STORE)
def tables_task(doc: Document, layout: Layout, timings: Timings) -> Document:
    from pipeline.tables import attach_tables

    return timings.run("tables", attach_tables, doc, layout)


@task(name="normalize", **_NO_STORE)
def normalize_task(doc: Document, timings: Timings) -> Document:
    from pipeline.normalize.stage import normalize_document

    return timings.run("normalize", normalize_document, doc)


@task(name="validate", **_NO_STORE)
def validate_task(doc: Document, timings: Timings) -> ValidationRun | None:
    """Great Expectations suites (`pipeline.validate`); None when that package is not installed."""
    from pipeline.batch.worker import validator

    validate = validator()
    return None if validate is None else timings.run("validate", validate, doc)


@task(name="emit", **_NO_STORE, **_IO_RETRY)
def emit_task(doc: Document, output: Path, timings: Timings, validation: ValidationRun | None = None) -> Path:
    from pipeline.batch.outroot import emit_lock
    from pipeline.emit import write_outputs

    t0 = time.perf_counter()
    with emit_lock(output):  # a backfill may be writing to the same output root
        folder = write_outputs(doc, output, timings, validation=validation)
    timings.stages["emit"] = round(time.perf_counter() - t0, 4)
    return folder


@task(name="load-database", **_NO_STORE)
def load_db_task(doc: Document, folder: Path, output: Path, database: str | None, allow_invalid: bool) -> str:
    """Load the written document into the warehouse; returns "loaded", "refused: …" or "" (no warehouse yet).

    Runs in this process, after emit: DuckDB takes one writer at a time. A database error
    raises (the document's files are written; the CLI reports the load as the failure).
    """
    from flows.batch import database_label, open_database
    from pipeline.batch.plan import mark_loaded

    warehouse = open_database(database, str(output))
    if warehouse is None:
        return ""
    with warehouse:  # from the folder: the written doc_id and findings (a collision renames it)
        loaded = warehouse.load_folder(folder, allow_invalid=allow_invalid)
    if loaded.status != "loaded":
        return f"refused: {loaded.reason}"
    mark_loaded(output, database_label(database, str(output)), {folder.name: doc.source.sha256})
    return "loaded"


@dataclass(slots=True)
class IngestResult:
    """What the CLI's summary table shows for one document."""

    path: str
    doc_id: str
    folder: str
    pages: int
    sections: int
    tables: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: int = 0  # validation warnings
    errors: int = 0  # validation errors
    database: str = ""  # "loaded", "refused: …", "" when not loaded


@flow(name="ingest-report", persist_result=False, validate_parameters=False)
def ingest_report(
    path: Path,
    output: Path = Path("output"),
    load_db: bool = False,
    database: str | None = None,
    allow_invalid: bool = False,
) -> IngestResult:
    """Ingest one PDF into `output/<doc_id>/` (and the warehouse if `load_db`); raises InputError for a bad file."""
    from pipeline.process import Timings

    t0 = time.perf_counter()
    path, output = Path(path), Path(output)
    timings = Timings()
    q = _quoted(timings)
    loaded = load_task(path, q)
    layout = layout_task(_quoted(loaded), q)
    doc = structure_task(_quoted(layout), q)
    doc = tables_task(_quoted(doc), _quoted(layout), q)
    doc = normalize_task(_quoted(doc), q)
    run = validate_task(_quoted(doc), q)
    doc = doc if run is None else run.document
    folder = emit_task(_quoted(doc), output, q, _quoted(run))
    db_status = load_db_task(_quoted(doc), folder, output, database, allow_invalid) if load_db else ""
    v = doc.validation
    return IngestResult(
        path=str(path),
        doc_id=folder.name,
        folder=str(folder),
        pages=doc.source.pages,
        sections=len(doc.sections),
        tables=len(doc.tables),
        seconds=round(time.perf_counter() - t0, 2),
        timings=dict(timings.stages),
        warnings=v.warnings if v is not None else 0,
        errors=v.errors if v is not None else 0,
        database=db_status,
    )


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
    from prefect.settings import temporary_settings

    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield
