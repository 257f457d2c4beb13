"""The default warehouse: one embedded DuckDB file (`output/nianbao.duckdb`).

Rows go in as Arrow tables (`INSERT ... SELECT` from a registered view): one statement per
table instead of one per row, which keeps a whole report well under a second. DuckDB allows
one writing process per file, so every call opens its own connection and closes it before
returning; a batch loads documents one after another from the main process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .base import Warehouse, WarehouseBusy, WarehouseError, write_parquet
from .rows import Row, catalog_rows, schema_row
from .schema import (
    INDICATOR_CATALOG,
    SCHEMA_TABLE,
    TABLES_IN_ORDER,
    WAREHOUSE_SCHEMA_VERSION,
    TableDef,
    arrow_schema,
    duckdb_setup_ddl,
)

_VIEW = "_nianbao_rows"
# a reading connection touches nothing but the database file: no other file, no URL, no extension download
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
_EXPORT_BATCH = 50_000


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    """Execute and read the result to its end: DuckDB 2 refuses relation calls (`con.sql`) while
    an `execute()` result is unfinished, so no statement here leaves one behind."""
    return con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()


class DuckDBWarehouse(Warehouse):
    """Warehouse in a DuckDB file; created with its tables on the first write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.display = str(self.path)
        self._schema_checked = False

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one call; reads open the file read-only so they never create it."""
        if not write and not self.path.exists():
            raise WarehouseError(self.display, "no database here yet (run `nianbao db load` or `nianbao ingest`)")
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.path), read_only=not write, config={} if write else READ_ONLY_CONFIG)
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            if "lock" in first.lower():
                why = f"in use by another process (DuckDB allows one writer at a time): {first}"
                raise WarehouseBusy(self.display, why) from exc
            raise WarehouseError(self.display, first) from exc
        try:
            try:
                if write and not self._schema_checked:
                    self._ensure_schema(con)
                    self._schema_checked = True
                elif not write:
                    self._check_version(con)
            except duckdb.Error as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                raise WarehouseError(self.display, f"cannot prepare the warehouse tables: {first}") from exc
            yield con
        finally:
            con.close()

    def _check_version(self, con: duckdb.DuckDBPyConnection) -> bool:
        """True when the schema table exists and matches; raises on another version."""
        found = _run(con, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", [SCHEMA_TABLE.name])
        if not found[0][0]:
            return False
        version = _run(con, f'SELECT MAX(version) FROM "{SCHEMA_TABLE.name}"')[0][0]
        if version is not None and version != WAREHOUSE_SCHEMA_VERSION:
            raise WarehouseError(
                self.display,
                f"database has warehouse schema version {version}; this nianbao writes "
                f"{WAREHOUSE_SCHEMA_VERSION} (export it, then load into a new file)",
            )
        return version is not None

    def _ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create what is missing (a new file: every table, the view, the comments, the version row) and
        replace the indicator catalog with this nianbao's, in one transaction."""
        new = not self._check_version(con)
        con.begin()
        try:
            for statement in duckdb_setup_ddl(new=new):
                _run(con, statement)
            if new:
                self._insert(con, SCHEMA_TABLE, [schema_row()])
            _run(con, f'DELETE FROM "{INDICATOR_CATALOG.name}"')
            self._insert(con, INDICATOR_CATALOG, catalog_rows())
            con.commit()
        except BaseException:
            con.rollback()
            raise

    def _insert(self, con: duckdb.DuckDBPyConnection, table: TableDef, rows: list[Row]) -> None:
        if not rows:
            return
        data = pa.Table.from_pylist(rows, schema=arrow_schema(table))
        con.register(_VIEW, data)
        try:
            _run(con, f'INSERT INTO "{table.name}" SELECT * FROM {_VIEW}')
        finally:
            con.unregister(_VIEW)

    def _replace(self, doc_id: str, rows: dict[str, list[Row]]) -> None:
        with self._connect(write=True) as con:
            con.begin()
            try:
                for table in reversed(TABLES_IN_ORDER):
                    _run(con, f'DELETE FROM "{table.name}" WHERE doc_id = ?', [doc_id])
                for table in TABLES_IN_ORDER:
                    self._insert(con, table, rows.get(table.name, []))
                con.commit()
            except BaseException as exc:
                con.rollback()
                if isinstance(exc, duckdb.Error):
                    first = (str(exc).strip().splitlines() or [""])[0]
                    raise WarehouseError(self.display, f"loading {doc_id} failed, rolled back: {first}") from exc
                raise

    def prepare(self) -> None:
        with self._connect(write=True):
            pass

    def export_parquet(self, out_dir: Path) -> list[Path]:
        """Each table, ordered by its key, into `<out_dir>/<table>.parquet` (Arrow batches, temp file + rename)."""
        out_dir = Path(out_dir)
        written: list[Path] = []
        with self._connect(write=False) as con:
            for table in TABLES_IN_ORDER:
                order = ", ".join(f'"{k}"' for k in table.primary_key)
                reader = con.sql(f'SELECT * FROM "{table.name}" ORDER BY {order}').to_arrow_reader(_EXPORT_BATCH)
                written.append(write_parquet(out_dir / f"{table.name}.parquet", arrow_schema(table), reader))
        return written

    def query(self, sql: str) -> pd.DataFrame:
        """Run SQL on a read-only connection with no file, network or extension access: a query can never
        change the warehouse, write or read another file, or download anything."""
        with self._connect(write=False) as con:
            try:
                return con.execute(sql).df()
            except duckdb.Error as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                raise WarehouseError(self.display, f"query failed: {first}") from exc
