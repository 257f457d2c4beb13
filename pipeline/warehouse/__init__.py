"""The indicator warehouse: documents loaded into SQL tables, and exported as Parquet.

    with open_warehouse(None) as wh:          # output/nianbao.duckdb
        result = wh.load(doc)                 # one transaction per document
        wh.export_parquet(Path("parquet"))
        wh.query("SELECT * FROM indicators WHERE code = 'SC01'")

Seven tables (documents, sections, tables, table_cells, indicators, facts, validation_results)
are defined once in `schema.py`; `rows.py` turns a Document into their rows; the DuckDB and
SQLAlchemy backends only move those rows. Loads are serial: DuckDB allows one writing process.
"""

from __future__ import annotations

from pathlib import Path

from .base import LoadResult, Warehouse, WarehouseBusy, WarehouseError
from .schema import TABLES_IN_ORDER, WAREHOUSE_SCHEMA_VERSION

DEFAULT_DB_NAME = "nianbao.duckdb"


def default_path(output_root: Path = Path("output")) -> Path:
    return Path(output_root) / DEFAULT_DB_NAME


def open_warehouse(url: str | Path | None = None, output_root: Path = Path("output")) -> Warehouse:
    """The warehouse for a `--db` value; nothing is connected or created until it is used.

    None → DuckDB file `output_root/nianbao.duckdb`; a path ending in `.duckdb` (or a
    `duckdb:///path` URL) → DuckDB; anything else with "://" → SQLAlchemy (sqlite:///x.db,
    postgresql://user@host/db). Anything else raises WarehouseError naming the value.
    """
    from .duckdb_backend import DuckDBWarehouse  # here: writing CSV files (schema.py's names) needs no DuckDB

    if url is None:
        return DuckDBWarehouse(default_path(output_root))
    text = str(url).strip()
    if text.lower().startswith("duckdb:///"):
        return DuckDBWarehouse(Path(text[len("duckdb:///") :]))
    if "://" in text:
        from .sqlalchemy_backend import SQLAlchemyWarehouse, mask_url

        if not text.split("://", 1)[0]:
            raise WarehouseError(mask_url(text), "not a database URL: no database kind before '://'")
        return SQLAlchemyWarehouse(text)
    if text.lower().endswith(".duckdb"):
        return DuckDBWarehouse(Path(text))
    raise WarehouseError(
        text or "''",
        "not a database: give a file ending in .duckdb or a SQLAlchemy URL "
        "(sqlite:///path/x.db, postgresql://user@host/dbname)",
    )


__all__ = [
    "DEFAULT_DB_NAME",
    "TABLES_IN_ORDER",
    "WAREHOUSE_SCHEMA_VERSION",
    "LoadResult",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "default_path",
    "open_warehouse",
]
