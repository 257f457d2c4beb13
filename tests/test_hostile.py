"""Issue 13, "fix what was seen": hostile names, text, databases and folders give one clear line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli as cli_app
from pipeline.warehouse import open_warehouse

from .test_warehouse import make_doc

runner = CliRunner()


# ---- item 5: `nianbao db query` cannot change anything -------------------------------------------


@pytest.fixture(params=["duckdb", "sqlite"])
def loaded_db(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    value = str(tmp_path / "w.duckdb") if request.param == "duckdb" else f"sqlite:///{tmp_path / 'w.db'}"
    with open_warehouse(value, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    return value, tmp_path


def query(db: str, out: Path, sql: str) -> object:
    return runner.invoke(cli_app.app, ["db", "query", sql, "--db", db, "-o", str(out)])


def test_query_cannot_drop_a_table(loaded_db: tuple[str, Path]) -> None:
    db, out = loaded_db
    res = query(db, out, "DROP TABLE facts")
    assert res.exit_code == 1 and "query failed" in res.output  # type: ignore[attr-defined]
    with open_warehouse(db, out) as wh:
        assert wh.count("facts") == 2


def test_duckdb_query_reaches_no_file_and_installs_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with open_warehouse(db, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    victim = tmp_path / "10001-2022" / "document.json"
    victim.parent.mkdir()
    victim.write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    for sql in (
        f"COPY (SELECT 1 AS x) TO '{victim}' (FORMAT csv)",
        f"SELECT * FROM read_csv('{secret}')",
        "INSTALL httpfs",
        "SELECT * FROM read_parquet('https://example.invalid/x.parquet')",
    ):
        res = query(db, tmp_path, sql)
        assert res.exit_code == 1 and "query failed" in res.output, (sql, res.output)  # type: ignore[attr-defined]
    assert victim.read_text(encoding="utf-8") == "{}"


def test_query_help_says_read_only() -> None:
    res = runner.invoke(cli_app.app, ["db", "query", "--help"])
    assert "read-only" in " ".join(res.output.split())
