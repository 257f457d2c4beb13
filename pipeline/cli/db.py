"""`nianbao db`: load written output folders into the warehouse, export Parquet, run SQL.

The database is `OUTPUT/nianbao.duckdb` unless `--db` names another (a .duckdb file or any
SQLAlchemy URL). DuckDB and pandas are imported inside the commands so `nianbao --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..batch.results import plural
from ..errors import NianbaoError
from . import app
from .ui import cell, say

if TYPE_CHECKING:
    from ..warehouse import LoadResult, Warehouse

db_app = typer.Typer(
    name="db",
    help="The warehouse database (DuckDB output/nianbao.duckdb by default, or --db URL).",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="A .duckdb file or a SQLAlchemy URL (sqlite:///x.db, postgresql://user@host/db). "
        "Default: OUTPUT/nianbao.duckdb.",
    ),
]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="Output root; the default database lives in it.")]


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def _warehouse(db: str | None, output: Path) -> Iterator[Warehouse]:
    """The warehouse, open; an error opening or using it becomes one line and exit code 1."""
    from ..warehouse import open_warehouse

    try:
        with open_warehouse(db, output) as wh:
            yield wh
    except NianbaoError as exc:
        say(_err(), f"error: {exc}")
        raise typer.Exit(1) from None


def document_folders(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Folders holding a document.json: each path is one such folder or an output root of them."""
    folders: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if (path / "document.json").is_file():
            folders.append(path)
        elif path.is_dir():
            found = sorted(p.parent for p in path.glob("*/document.json") if not p.parent.name.startswith("."))
            if found:
                folders.extend(found)
            else:
                errors.append(f"{path}: no output folders (no */document.json)")
        else:
            errors.append(f"{path}: no such folder")
    return folders, errors


def result_line(result: LoadResult) -> str:
    """One line per document for the console: the ingest flow can print the same."""
    if result.status == "refused":
        return f"refused {result.doc_id}: {result.reason}"
    total = sum(result.rows.values())
    note = f" ({result.reason})" if result.reason else ""
    return f"loaded {result.doc_id}: {plural(total, 'row')} in {result.seconds:.2f} s{note}"


@db_app.command("load")
def load(
    paths: Annotated[list[Path], typer.Argument(help="Output roots or output/<doc_id>/ folders.")],
    db: DbOption = None,
    output: OutputOption = Path("output"),
    allow_invalid: Annotated[
        bool, typer.Option("--allow-invalid", help="Load documents whose validation found errors (flagged).")
    ] = False,
) -> None:
    """Load written output folders; a document's earlier rows are replaced in one transaction.

    Exit code 1 when any folder failed or was refused (validation errors without --allow-invalid).
    """
    err, out = _err(), Console(highlight=False, soft_wrap=True)
    folders, errors = document_folders(paths)
    for line in errors:
        say(err, f"error: {line}")
    if not folders:
        raise typer.Exit(1)
    bad, loaded = len(errors), 0
    with _warehouse(db, output) as wh:
        for folder in folders:
            try:
                result = wh.load_folder(folder, allow_invalid=allow_invalid)
            except NianbaoError as exc:
                say(err, f"error: {exc}")
                bad += 1
                continue
            if result.status == "refused":
                say(err, result_line(result))
                bad += 1
            else:
                say(out, result_line(result))
                loaded += 1
        say(out, f"{loaded} of {len(folders)} loaded into {wh.display}")
    if bad:
        raise typer.Exit(1)


@db_app.command("export")
def export(
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder for <table>.parquet files.")],
    db: DbOption = None,
    output: OutputOption = Path("output"),
) -> None:
    """Export every warehouse table as Parquet (one file per table, each replaced atomically)."""
    with _warehouse(db, output) as wh:
        files = wh.export_parquet(parquet)
    for f in files:
        typer.echo(str(f))


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@db_app.command("query")
def query(
    sql: Annotated[str, typer.Argument(help="One SQL statement.")],
    db: DbOption = None,
    output: OutputOption = Path("output"),
    limit: Annotated[int, typer.Option("--limit", help="Print at most this many rows.")] = 200,
    fmt: Annotated[
        QueryFormat,
        typer.Option(
            "--format",
            help="table for reading; csv (with a header row) or json (an array of row objects) for scripts: "
            "then stdout holds the rows only.",
        ),
    ] = QueryFormat.table,
) -> None:
    """Run SQL on the warehouse, read-only, and print the result as a table, CSV or JSON.

    The connection cannot change anything: DuckDB opens the file read-only with no access to
    other files, URLs or extension installs; SQLite opens it read-only (mode=ro); PostgreSQL runs
    the statement in a READ ONLY transaction. Nothing is ever committed.
    """
    with _warehouse(db, output) as wh:
        frame = wh.query(sql)
    shown = frame.head(limit)
    more = f" (first {limit} shown)" if len(frame) > limit else ""
    if fmt is QueryFormat.csv:
        typer.echo(shown.to_csv(index=False), nl=False)
    elif fmt is QueryFormat.json:
        typer.echo(shown.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        table = Table(show_lines=False, title_justify="left")
        for name in frame.columns:
            table.add_column(cell(name), overflow="fold")
        for row in shown.itertuples(index=False):
            table.add_row(*(cell("" if _is_null(v) else v) for v in row))
        out = Console(highlight=False)
        out.print(table)
        say(out, f"{plural(len(frame), 'row')}{more}")
        return
    if more:
        say(_err(), f"note: {plural(len(frame), 'row')}{more}")


def _is_null(value: object) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))  # None, NaN, NaT, pd.NA
    except (TypeError, ValueError):  # a list or array cell is not null
        return False
