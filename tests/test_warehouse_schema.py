"""The warehouse beyond its rows: column comments (DuckDB for real, PostgreSQL as compiled DDL),
the current_documents view, the indicator catalog table, and CSV headers in the database's words."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from pipeline.emit import render_files
from pipeline.model import Document
from pipeline.normalize.catalog import load_catalog
from pipeline.warehouse import Warehouse, open_warehouse
from pipeline.warehouse.rows import table_cells_rows
from pipeline.warehouse.schema import (
    ALL_TABLES,
    CURRENT_DOCUMENTS,
    FACTS,
    INDICATORS,
    SECTIONS,
    comment_ddl,
)
from pipeline.warehouse.sqlalchemy_backend import build_metadata

from .test_warehouse import make_doc


@pytest.fixture(params=["duckdb", "sqlite"])
def wh(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    url = str(tmp_path / "w.duckdb") if request.param == "duckdb" else f"sqlite:///{tmp_path / 'w.db'}"
    with open_warehouse(url) as warehouse:
        yield warehouse


def test_every_column_and_table_says_what_it_holds() -> None:
    for table in ALL_TABLES:
        assert table.doc, table.name
        assert [c.name for c in table.columns if not c.doc] == [], table.name


def test_duckdb_keeps_every_comment_of_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    open_warehouse(path).load(make_doc())
    with duckdb.connect(str(path), read_only=True) as con:
        columns = {
            (t, c): doc
            for t, c, doc in con.execute("SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()
        }
        tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    for table in ALL_TABLES:
        assert tables[table.name] == table.doc
        for c in table.columns:
            assert columns[(table.name, c.name)] == c.doc, (table.name, c.name)


def _recorder(url: str, sent: list[str]) -> sa.engine.MockConnection:
    """An engine of the URL's dialect that records each DDL statement as compiled instead of running it."""

    def record(sql: sa.schema.ExecutableDDLElement, *args: object, **kw: object) -> None:
        sent.append(str(sql.compile(dialect=engine.dialect)).strip())

    engine = sa.create_mock_engine(url, record)
    return engine


def test_postgresql_ddl_carries_the_same_comment_statements_and_the_view() -> None:
    """Compiled by SQLAlchemy's postgresql dialect, no server: what create_all sends to PostgreSQL."""
    md, _ = build_metadata()
    sent: list[str] = []
    engine = sa.create_mock_engine(
        "postgresql://", lambda sql, *a, **kw: sent.append(str(sql.compile(dialect=engine.dialect)).strip())
    )
    md.create_all(engine, checkfirst=False)
    expected = [s for t in ALL_TABLES for s in comment_ddl(t)]
    # the pyformat driver turns the compiled %% back into % when it sends the statement
    assert [s.replace("%%", "%") for s in sent if s.startswith("COMMENT ON")] == expected
    assert any("%" in s for s in expected)  # the escaping above is exercised
    assert 'COMMENT ON COLUMN "facts"."end_pos" IS \'where text ends in sentence\'' in sent
    creates = [s.split("(")[0].split()[-1] for s in sent if s.startswith("CREATE TABLE")]
    assert creates == [t.name for t in ALL_TABLES]
    view = next(i for i, s in enumerate(sent) if s.startswith(f"CREATE VIEW {CURRENT_DOCUMENTS}"))
    assert view > next(i for i, s in enumerate(sent) if s.startswith("CREATE TABLE documents"))


def test_sqlite_gets_the_view_but_no_comments(tmp_path: Path) -> None:
    md, _ = build_metadata()
    sent: list[str] = []
    engine = sa.create_mock_engine(
        "sqlite://", lambda sql, *a, **kw: sent.append(str(sql.compile(dialect=engine.dialect)).strip())
    )
    md.create_all(engine, checkfirst=False)
    assert not [s for s in sent if s.startswith("COMMENT")]
    assert sum(s.startswith(f"CREATE VIEW {CURRENT_DOCUMENTS}") for s in sent) == 1


def _version(doc: Document, doc_id: str, *, code: str | None = "10001", year: int | None = 2022) -> Document:
    metadata = doc.metadata.model_copy(update={"school_code": code, "report_year": year})
    return doc.model_copy(update={"doc_id": doc_id, "metadata": metadata})


def test_current_documents_holds_the_latest_load_of_each_college_and_year(wh: Warehouse) -> None:
    base = make_doc("10001-2022")
    wh.load(_version(base, "10001-2022"))
    wh.load(_version(base, "10001-2022-b"))  # a second version of the same report, loaded later
    wh.load(_version(base, "10001-2021", year=2021))
    wh.load(_version(base, "10002-2022", code="10002"))
    wh.load(_version(base, "no-code-1", code=None))
    wh.load(_version(base, "no-code-2", code=None))  # no code: nothing to be a version of
    current = wh.query(f"SELECT doc_id FROM {CURRENT_DOCUMENTS} ORDER BY doc_id")["doc_id"].tolist()
    assert current == ["10001-2021", "10001-2022-b", "10002-2022", "no-code-1", "no-code-2"]
    assert wh.count("documents") == 6
    wh.load(_version(base, "10001-2022"))  # reloading the first makes it the latest again
    current = wh.query(f"SELECT doc_id FROM {CURRENT_DOCUMENTS} WHERE report_year = 2022 AND school_code = '10001'")
    assert current["doc_id"].tolist() == ["10001-2022"]


def test_indicator_catalog_is_a_table_replaced_not_added_to(wh: Warehouse) -> None:
    catalog = load_catalog()
    wh.load(make_doc())
    wh.load(make_doc("10002-2022"))
    got = wh.query("SELECT code, table_name, parent_code, name, unit FROM indicator_catalog ORDER BY code")
    titles = {t.key: t.title for t in catalog.tables}
    expected = sorted((i.code, titles[i.table], i.parent, i.name, i.unit) for i in catalog.indicators)
    rows = [tuple(None if v is None or v != v else v for v in r) for r in got.itertuples(index=False)]
    assert rows == expected
    joined = wh.query(
        "SELECT i.indicator, c.name FROM indicators i JOIN indicator_catalog c ON c.code = i.code WHERE i.code = 'SC01'"
    )
    assert set(joined["name"]) == {"就业率"} and len(joined) == 4  # two documents × two periods


def _header(files: dict[str, bytes], name: str) -> list[str]:
    return next(csv.reader(io.StringIO(files[name].decode("utf-8-sig"))))


def _in_order_within(header: list[str], columns: list[str]) -> bool:
    it = iter(columns)
    return all(name in it for name in header)


def test_csv_headers_are_the_warehouse_column_names() -> None:
    doc = make_doc()
    files = render_files(doc)
    for name, table in (("sections.csv", SECTIONS), ("facts.csv", FACTS), ("indicators.csv", INDICATORS)):
        header = _header(files, name)
        assert _in_order_within(header, table.column_names), (name, header, table.column_names)
    assert _header(files, "facts.csv") == FACTS.column_names
    assert set(SECTIONS.column_names) - set(_header(files, "sections.csv")) == {
        "doc_id", "seq", "ordinal", "path", "topic", "subtitle"
    }  # fmt: skip
    assert set(INDICATORS.column_names) - set(_header(files, "indicators.csv")) == {"seq"}
    cells = table_cells_rows(doc)
    for t in doc.tables:
        names = [r["column_name"] for r in cells if r["table_id"] == t.id and r["part"] == "body" and r["row"] == 0]
        assert _header(files, f"tables/{t.id}.csv") == names
