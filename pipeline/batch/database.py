"""Loading written documents into the warehouse, for the flows: one document's folder at a time.

DuckDB has one writer, so the flows call this serially from the main process, after the
document's folder is complete; the ledger in the output root (`plan.mark_loaded`) records what
reached which database, so a run killed in between catches up next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .plan import mark_loaded
from .results import DocResult

if TYPE_CHECKING:
    from ..warehouse import Warehouse


def open_database(database: str | None, output: str | Path) -> Warehouse:
    """The warehouse of a --db value (default: the DuckDB file under the output root); connects lazily."""
    from ..warehouse import open_warehouse

    return open_warehouse(database, Path(output))


def check_database(database: str | None, output: str | Path) -> None:
    """Raise WarehouseError now, before any document, when the database cannot take loads: the driver
    is missing, the connection does not open or the tables cannot be created (WarehouseBusy: held by
    another writer, which may pass)."""
    with open_database(database, output) as warehouse:
        warehouse.prepare()


def database_label(database: str | None, output: str | Path) -> str:
    """The ledger key's source: the --db value, or the default file under the output root."""
    return database if database else str(Path(output) / "nianbao.duckdb")


def load_written(warehouse: Warehouse, result: DocResult, allow_invalid: bool) -> DocResult:
    """Load one written folder; the result notes "loaded" or "refused: …". A database that cannot take it
    (locked, unreachable) makes the result "unloaded" with the reason: the files are written, the next run
    loads them."""
    from ..warehouse import WarehouseError

    try:
        loaded = warehouse.load_folder(Path(result.folder), allow_invalid=allow_invalid)
    except WarehouseError as exc:
        return result.not_loaded(" ".join(str(exc).split()))
    if loaded.status == "loaded":
        return result.with_database("loaded")
    return result.with_database(f"refused: {loaded.reason}")


def mark_results_loaded(output: str | Path, label: str, results: Iterable[DocResult]) -> None:
    """Record the loaded and the refused results in the output root's ledger for the database `label`
    (a refusal with its reason: the same input is not offered again by this pipeline version)."""
    done = list(results)
    refused = {Path(r.folder).name: (r.sha256, r.database) for r in done if r.database.startswith("refused")}
    mark_loaded(output, label, {Path(r.folder).name: r.sha256 for r in done if r.database == "loaded"}, refused)
