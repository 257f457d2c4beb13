"""The warehouse on any SQLAlchemy URL (PostgreSQL, SQLite, ...), with SQLAlchemy Core only.

Tables are built from `schema.py` into one MetaData; a load is one `engine.begin()` block
(deletes, then one executemany INSERT per table), so a failure rolls the whole document back.
The engine is created up front, so a bad URL or a missing driver is reported at once, but
it connects only when a call needs it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from .base import Warehouse, WarehouseError, write_parquet
from .rows import Row, catalog_rows, schema_row
from .schema import (
    ALL_TABLES,
    CURRENT_DOCUMENTS_SQL,
    INDICATOR_CATALOG,
    KEY_LENGTH,
    SCHEMA_TABLE,
    TABLES_IN_ORDER,
    WAREHOUSE_SCHEMA_VERSION,
    TableDef,
    arrow_schema,
    comment_ddl,
)

_EXPORT_BATCH = 50_000


def _sa_type(ctype: str) -> sa.types.TypeEngine[Any]:
    types: dict[str, sa.types.TypeEngine[Any]] = {
        "key": sa.String(KEY_LENGTH),
        "text": sa.Text(),
        "json": sa.Text(),
        "int": sa.BigInteger(),
        "float": sa.Double(),
        "bool": sa.Boolean(),
        "timestamp": sa.DateTime(),
    }
    return types[ctype]


def build_metadata() -> tuple[sa.MetaData, dict[str, sa.Table]]:
    """SQLAlchemy Tables for every warehouse table; creating them also creates the current_documents
    view and, on PostgreSQL, the tables' and columns' comments (the same statements as on DuckDB)."""
    md = sa.MetaData()
    tables: dict[str, sa.Table] = {}
    for tdef in ALL_TABLES:
        cols = [
            sa.Column(c.name, _sa_type(c.type), primary_key=c.name in tdef.primary_key, autoincrement=False)
            for c in tdef.columns
        ]
        tables[tdef.name] = table = sa.Table(tdef.name, md, *cols)
        for statement in comment_ddl(tdef):  # SQLite keeps no comments
            sa.event.listen(table, "after_create", _ddl(statement).execute_if(dialect="postgresql"))
    sa.event.listen(tables["documents"], "after_create", _ddl(CURRENT_DOCUMENTS_SQL))
    return md, tables


def _ddl(statement: str) -> sa.DDL:
    return sa.DDL(statement.replace("%", "%%"))  # DDL text is %-formatted


def mask_url(url: str) -> str:
    """The URL with any password replaced, for error messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0]


class SQLAlchemyWarehouse(Warehouse):
    """Warehouse behind a SQLAlchemy URL; tables are created on the first write."""

    def __init__(self, url: str) -> None:
        self.display = mask_url(url)
        try:
            parsed = sa.make_url(url)
            self._engine: Engine = sa.create_engine(parsed)
        except NoSuchModuleError as exc:  # before ArgumentError, its base class
            raise WarehouseError(self.display, f"unknown database kind {parsed.drivername!r}") from exc
        except (ArgumentError, ValueError) as exc:
            raise WarehouseError(self.display, f"not a valid database URL ({_first_line(exc)})") from exc
        except ImportError as exc:
            raise WarehouseError(
                self.display, f"the driver for {parsed.drivername!r} is not installed ({exc})"
            ) from exc
        self.display = parsed.render_as_string(hide_password=True)
        self._metadata, self._tables = build_metadata()
        self._schema_checked = False

    def _check_version(self, conn: Connection) -> bool:
        if not sa.inspect(conn).has_table(SCHEMA_TABLE.name):
            return False
        version = conn.execute(sa.select(sa.func.max(self._tables[SCHEMA_TABLE.name].c.version))).scalar()
        if version is not None and version != WAREHOUSE_SCHEMA_VERSION:
            raise WarehouseError(
                self.display,
                f"database has warehouse schema version {version}; this nianbao writes {WAREHOUSE_SCHEMA_VERSION}",
            )
        return version is not None

    def _ensure_schema(self) -> None:
        if self._schema_checked:
            return
        with self._engine.begin() as conn:
            known = self._check_version(conn)
            self._metadata.create_all(conn, checkfirst=True)
            if not known:
                conn.execute(self._tables[SCHEMA_TABLE.name].insert(), [schema_row()])
            catalog = self._tables[INDICATOR_CATALOG.name]
            conn.execute(catalog.delete())
            conn.execute(catalog.insert(), catalog_rows())
        self._schema_checked = True

    def prepare(self) -> None:
        try:
            self._ensure_schema()
        except SQLAlchemyError as exc:
            raise WarehouseError(self.display, f"cannot open it or create the tables: {_first_line(exc)}") from exc

    def _insert(self, conn: Connection, table: TableDef, rows: list[Row]) -> None:
        if rows:
            conn.execute(self._tables[table.name].insert(), rows)  # executemany

    def _replace(self, doc_id: str, rows: dict[str, list[Row]]) -> None:
        try:
            self._ensure_schema()
            with self._engine.begin() as conn:  # commits at the end, rolls back on any exception
                for table in reversed(TABLES_IN_ORDER):
                    t = self._tables[table.name]
                    conn.execute(t.delete().where(t.c.doc_id == doc_id))
                for table in TABLES_IN_ORDER:
                    self._insert(conn, table, rows.get(table.name, []))
        except SQLAlchemyError as exc:
            raise WarehouseError(self.display, f"loading {doc_id} failed, rolled back: {_first_line(exc)}") from exc

    def export_parquet(self, out_dir: Path) -> list[Path]:
        """Stream each table in key order into `<out_dir>/<table>.parquet` (temp file + rename)."""
        out_dir = Path(out_dir)
        written: list[Path] = []
        try:
            with self._engine.connect() as conn:
                for tdef in TABLES_IN_ORDER:
                    t = self._tables[tdef.name]
                    schema = arrow_schema(tdef)
                    stmt = sa.select(t).order_by(*(t.c[k] for k in tdef.primary_key))
                    result = conn.execution_options(stream_results=True).execute(stmt)
                    batches = (
                        pa.Table.from_pylist([dict(r) for r in part], schema=schema)
                        for part in result.mappings().partitions(_EXPORT_BATCH)
                    )
                    written.append(write_parquet(out_dir / f"{tdef.name}.parquet", schema, batches))
        except SQLAlchemyError as exc:
            raise WarehouseError(self.display, f"export failed: {_first_line(exc)}") from exc
        return written

    def _reader(self) -> Engine:
        """An engine that can only read: SQLite opened with mode=ro (the file is never created or
        changed); other databases get a read-only transaction in `query`."""
        url = self._engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return self._engine
        target = Path(url.database).resolve()
        if not target.exists():
            raise WarehouseError(self.display, "no database here yet (run `nianbao db load` or `nianbao ingest`)")
        uri = f"file:{quote(str(target))}?mode=ro"
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))

    def query(self, sql: str) -> pd.DataFrame:
        """Run SQL as written (exec_driver_sql: no bind-parameter parsing of ':' or '%'), read-only: SQLite
        opens the file with mode=ro, PostgreSQL runs it in a READ ONLY transaction, nothing is committed."""
        reader = self._reader()
        try:
            with reader.connect() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                try:
                    result = conn.exec_driver_sql(sql)
                    if not result.returns_rows:
                        return pd.DataFrame()
                    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
                finally:
                    conn.rollback()
        except SQLAlchemyError as exc:
            raise WarehouseError(self.display, f"query failed: {_first_line(exc)}") from exc
        finally:
            if reader is not self._engine:
                reader.dispose()

    def close(self) -> None:
        """Close pooled connections (the engine stays usable and reconnects when needed)."""
        self._engine.dispose()
