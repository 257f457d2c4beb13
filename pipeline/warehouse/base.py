"""What every warehouse backend shares: the load policy, the result type, the errors.

The policy lives here once so DuckDB and SQLAlchemy cannot disagree on it: a document whose
validation found errors is refused (nothing is written, earlier rows of that doc_id stay as
they were) unless `allow_invalid`; a document with warnings, or never validated, is loaded and
flagged in `documents`. Backends only supply `_replace` (delete + insert in one transaction),
`export_parquet` and `query`.
"""

from __future__ import annotations

import json
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import NianbaoError
from ..model import Document
from .rows import Row, document_rows, error_count, validation_status, warning_count


class WarehouseError(NianbaoError):
    """A database problem (bad URL, locked file, schema mismatch, failed load): names the database."""


class WarehouseBusy(WarehouseError):
    """The database is held by another writer (a DuckDB file): worth trying again later."""


@dataclass(slots=True)
class LoadResult:
    """The outcome of loading one document: `reason` says why it was refused or how it was flagged."""

    doc_id: str
    status: Literal["loaded", "refused"]
    reason: str = ""
    validation: str = "not run"  # not run | passed | warnings | errors
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    database: str = ""

    @property
    def loaded(self) -> bool:
        return self.status == "loaded"


def refusal_reason(doc: Document) -> str | None:
    """Why a document must stay out of the database, or None when it may be loaded."""
    v = doc.validation
    if v is None:
        return None
    n = error_count(v)
    if n == 0:
        return None
    first = next((f for f in v.failures if f.severity == "error" and not f.success), None)
    what = ""
    if first is not None:
        msg = first.message_en or first.message_zh or first.expectation
        where = f" on {first.target}" if first.target else ""
        what = f"; first: {first.rule}{where}: {msg}"
    plural = "s" if n != 1 else ""
    return f"{n} validation error{plural}{what} (database unchanged; --allow-invalid loads it anyway)"


def _load_note(doc: Document, allow_invalid: bool) -> str:
    v = doc.validation
    if v is None:
        return "validation not run"
    errors, warnings = error_count(v), warning_count(v)
    if errors and allow_invalid:
        return f"loaded despite {errors} validation error{'s' if errors != 1 else ''} (--allow-invalid); valid=false"
    if warnings:
        return f"{warnings} validation warning{'s' if warnings != 1 else ''}, flagged (has_warnings=true)"
    return ""


def write_parquet(target: Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch | pa.Table]) -> Path:
    """Write batches cast to the schema's types, atomically.

    Both backends go through here so a table's Parquet schema (types and nullability) is the
    same from DuckDB and SQLAlchemy and from one export to the next (DuckDB's own COPY derives
    nullability from the data, so a column could flip between required and optional).
    """

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, schema) as writer:
            wrote = False
            for batch in batches:
                table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
                writer.write_table(table.cast(schema))
                wrote = True
            if not wrote:
                writer.write_table(schema.empty_table())

    return write_atomically(target, write)


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp_path)`, then rename onto `target`: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


class Warehouse(ABC):
    """A database holding the seven warehouse tables; open one with `open_warehouse`.

    Not for concurrent writers: DuckDB lets one process write a file at a time, so batches call
    `load` serially from the main process. Connections are opened per call and closed at once,
    so another process (e.g. `nianbao db query`) can read between loads.
    """

    display: str = ""

    def load(self, doc: Document, *, allow_invalid: bool = False) -> LoadResult:
        """Replace every row of `doc.doc_id` in one transaction, or refuse an invalid document.

        Refused (status "refused", nothing written) when validation found errors and
        `allow_invalid` is false. A failure while writing rolls back: the previous rows stay.
        """
        t0 = time.perf_counter()
        status = validation_status(doc.validation)
        reason = None if allow_invalid else refusal_reason(doc)
        if reason is not None:
            seconds = round(time.perf_counter() - t0, 4)
            return LoadResult(doc.doc_id, "refused", reason, status, {}, seconds, self.display)
        rows = document_rows(doc, loaded_at=datetime.now(UTC), loaded_invalid=status == "errors")
        self._replace(doc.doc_id, rows)
        counts = {name: len(r) for name, r in rows.items()}
        note = _load_note(doc, allow_invalid)
        return LoadResult(doc.doc_id, "loaded", note, status, counts, round(time.perf_counter() - t0, 4), self.display)

    def load_folder(self, folder: Path, *, allow_invalid: bool = False) -> LoadResult:
        """Load an already written `output/<doc_id>/` folder (its document.json)."""
        path = Path(folder) / "document.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WarehouseError(folder, "no document.json here (not an output folder)") from None
        except (OSError, ValueError) as exc:
            raise WarehouseError(path, f"cannot read: {exc}") from exc
        try:
            doc = Document.load(data)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            first = (str(exc).strip().splitlines() or [""])[0]
            raise WarehouseError(path, f"not a nianbao document: {first}") from exc
        return self.load(doc, allow_invalid=allow_invalid)

    def count(self, table: str, doc_id: str | None = None) -> int:
        """Rows in one warehouse table (of one document if given): for tests and summaries."""
        where = "" if doc_id is None else " WHERE doc_id = '" + doc_id.replace("'", "''") + "'"
        return int(self.query(f'SELECT COUNT(*) AS n FROM "{table}"{where}')["n"].iloc[0])

    @abstractmethod
    def prepare(self) -> None:
        """Connect and create the tables if missing, now: WarehouseError if the database cannot take loads."""

    @abstractmethod
    def _replace(self, doc_id: str, rows: dict[str, list[Row]]) -> None:
        """Delete every row of doc_id from every table and insert `rows`, in one transaction."""

    @abstractmethod
    def export_parquet(self, out_dir: Path) -> list[Path]:
        """One `<table>.parquet` per warehouse table in out_dir, each written atomically."""

    @abstractmethod
    def query(self, sql: str) -> pd.DataFrame:
        """Run one SQL statement and return its result."""

    def close(self) -> None:  # noqa: B027  (backends without a held resource need nothing)
        """Release whatever the backend holds (connections are already per call)."""

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
