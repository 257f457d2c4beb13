"""The warehouse: rows per table match the document, reloads replace atomically, invalid documents
are refused, Parquet matches the database; on DuckDB and on SQLAlchemy (SQLite)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline import cli as cli_app
from pipeline.model import (
    Column,
    Document,
    Fact,
    Indicator,
    Metadata,
    Section,
    Source,
    Span,
    Table,
    ValidationResult,
    ValidationSummary,
)
from pipeline.warehouse import TABLES_IN_ORDER, Warehouse, WarehouseError, open_warehouse
from pipeline.warehouse.duckdb_backend import DuckDBWarehouse
from pipeline.warehouse.rows import document_rows
from pipeline.warehouse.schema import arrow_schema
from pipeline.warehouse.sqlalchemy_backend import SQLAlchemyWarehouse

from .paths import REPORT, processed

TABLE_NAMES = [t.name for t in TABLES_IN_ORDER]


def make_doc(doc_id: str = "10001-2022", *, n_facts: int = 2, validation: ValidationSummary | None = None) -> Document:
    """A small document with one merged annex table, two sections, facts and indicators."""
    code = doc_id.split("-")[0]
    table = Table(
        id="annex-1",
        kind="annex",
        number="1",
        caption="计分卡",
        section="sec-2",
        pages=[9, 10],
        header=[["院校代码", "指标", "2020年", "2021年"]],
        rows=[[code, "就业率（%）", "93.57", "96.47"], [code, "月收入（元）", "4134", "4246"]],
        spans=[Span(part="body", row=0, col=0, rowspan=2, colspan=1)],
        columns=[Column(name=n) for n in ("院校代码", "指标", "2020年", "2021年")],
        records=[
            {
                "row": 0,
                "col": 2,
                "column": "2020年",
                "period": "2020年",
                "kind": "percent",
                "text": "93.57",
                "value": 93.57,
                "unit": "%",
            },
            {
                "row": 1,
                "col": 3,
                "column": "2021年",
                "period": "2021年",
                "kind": "number",
                "text": "4246",
                "value": 4246,
                "unit": "元",
            },
        ],
        row_pages=[[9, 9], [10, 10]],
    )
    indicators = [
        Indicator(doc_id=doc_id, school_code=code, school=f"学院{code}", report_year=2022, table="计分卡",
                  table_id="annex-1", indicator_no="1", indicator_path="1 / 就业率", indicator="就业率",
                  code="SC01", match="exact", match_score=1.0, period=p, unit="%", printed_unit="%",
                  kind="percent", value=v, value_text=str(v), page=9, row=0, col=c)
        for p, v, c in (("2020年", 93.57, 2), ("2021年", 96.47, 3))
    ]  # fmt: skip
    facts = [
        Fact(id=f"p-1-f{i}", paragraph="p-1", section="sec-1", page=5, subject="就业率", text="95.2%",
             kind="percent", value=95.2, unit="%", sentence="毕业生就业率达到95.2%。", start=8, end=13)
        for i in range(n_facts)
    ]  # fmt: skip
    return Document(
        doc_id=doc_id,
        pipeline_version="0.1.0",
        source=Source(path=f"raw/{doc_id}.pdf", sha256="0" * 64, pages=12, size_bytes=1234),
        metadata=Metadata(school=f"学院{code}", school_code=code, report_year=2022, title="质量年度报告"),
        sections=[
            Section(
                id="sec-1",
                parent=None,
                kind="heading",
                level=1,
                number="一",
                title="学生发展",
                page=5,
                page_end=6,
                text="毕业生就业率达到95.2%。",
                ordinal=1,
                path="1",
            ),
            Section(id="sec-2", parent=None, kind="annex", level=1, number="", title="附件", page=9, page_end=10),
        ],
        tables=[table],
        facts=facts,
        indicators=indicators,
        validation=validation,
    )


def failure(severity: str, rule: str = "table.total_row_equals_column_sum") -> ValidationResult:
    return ValidationResult(
        rule=rule, suite="tables", expectation="expect_column_sum", severity=severity, success=False,  # type: ignore[arg-type]
        target="annex-1", row=1, column="2021年", page=10, expected={"sum": 4246}, observed=[4200, "合计"],
        message_zh="合计行与列之和不符", message_en="total row does not equal the column sum",
    )  # fmt: skip


def with_errors(n: int = 1) -> ValidationSummary:
    return ValidationSummary(evaluated=10, passed=10 - n, errors=n, failures=[failure("error") for _ in range(n)])


def with_warnings() -> ValidationSummary:
    return ValidationSummary(evaluated=10, passed=9, warnings=1, failures=[failure("warning", "facts.percent_range")])


# A throw-away PostgreSQL database (it is emptied before each test), e.g.
# NIANBAO_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/nianbao_test (needs `.[postgres]`).
POSTGRES_URL = os.environ.get("NIANBAO_TEST_POSTGRES_URL")
BACKENDS = ["duckdb", "sqlite", *(["postgres"] if POSTGRES_URL else [])]


def _empty_postgres(url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP SCHEMA public CASCADE"))
        conn.execute(sqlalchemy.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def wh(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    if request.param == "postgres":
        assert POSTGRES_URL is not None
        _empty_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = str(tmp_path / "w.duckdb") if request.param == "duckdb" else f"sqlite:///{tmp_path / 'w.db'}"
    with open_warehouse(url) as warehouse:
        yield warehouse


def counts(wh: Warehouse, doc_id: str | None = None) -> dict[str, int]:
    return {name: wh.count(name, doc_id) for name in TABLE_NAMES}


def expected_counts(doc: Document) -> dict[str, int]:
    cells = sum(len(r) for t in doc.tables for r in [*t.header, *t.rows])
    failures = len(doc.validation.failures) if doc.validation else 0
    return {
        "documents": 1,
        "sections": len(doc.sections),
        "tables": len(doc.tables),
        "table_cells": cells,
        "indicators": len(doc.indicators),
        "facts": len(doc.facts),
        "validation_results": failures,
    }


# ---- rows (pure) -------------------------------------------------------------------------------


def test_cells_are_every_grid_position_typed_from_records_with_merges_marked():
    cells = document_rows(make_doc())["table_cells"]
    assert len(cells) == 4 + 8
    by_pos = {(c["part"], c["row"], c["col"]): c for c in cells}
    assert by_pos[("body", 0, 0)]["rowspan"] == 2 and not by_pos[("body", 0, 0)]["covered"]
    assert by_pos[("body", 1, 0)]["covered"] and by_pos[("body", 1, 0)]["text"] == "10001"
    pct = by_pos[("body", 0, 2)]
    assert (pct["value"], pct["unit"], pct["kind"], pct["period"], pct["page"]) == (93.57, "%", "percent", "2020年", 9)
    assert by_pos[("body", 1, 3)]["value"] == 4246.0 and by_pos[("body", 1, 3)]["page"] == 10
    assert by_pos[("header", 0, 1)]["kind"] is None and by_pos[("header", 0, 1)]["column_name"] == "指标"


def test_validation_rows_keep_expected_and_observed_as_json_text():
    rows = document_rows(make_doc(validation=with_errors(2)))
    assert [r["seq"] for r in rows["validation_results"]] == [0, 1]
    first = rows["validation_results"][0]
    assert first["expected"] == '{"sum": 4246}' and first["observed"] == '[4200, "合计"]'
    assert rows["documents"][0]["valid"] is False and rows["documents"][0]["validation_status"] == "errors"


# ---- loading, on both backends -------------------------------------------------------------------


def test_load_writes_every_table_row_for_row(wh: Warehouse):
    doc = make_doc(validation=with_warnings())
    result = wh.load(doc)
    assert result.status == "loaded" and result.rows == expected_counts(doc)
    assert counts(wh) == expected_counts(doc)
    got = wh.query("SELECT period, value FROM indicators WHERE code = 'SC01' ORDER BY period")
    assert got.values.tolist() == [["2020年", 93.57], ["2021年", 96.47]]


def test_reload_replaces_rows_instead_of_adding_them(wh: Warehouse):
    wh.load(make_doc(n_facts=3))
    wh.load(make_doc(n_facts=3))
    assert counts(wh)["facts"] == 3 and counts(wh)["documents"] == 1
    wh.load(make_doc(n_facts=1))  # a fact gone in the new run is gone from the database
    assert counts(wh) == expected_counts(make_doc(n_facts=1))


def test_failure_mid_load_rolls_back_and_keeps_the_previous_load(wh: Warehouse, monkeypatch: pytest.MonkeyPatch):
    wh.load(make_doc(n_facts=3))
    before = counts(wh)
    real_insert = type(wh)._insert

    def insert_then_fail(self, con, table, rows):  # type: ignore[no-untyped-def]
        if table.name == "facts":  # documents, sections, tables, cells, indicators already written
            raise RuntimeError("disk full")
        return real_insert(self, con, table, rows)

    monkeypatch.setattr(type(wh), "_insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        wh.load(make_doc(n_facts=1, validation=with_warnings()))
    assert counts(wh) == before
    assert wh.query("SELECT validation_status FROM documents")["validation_status"].tolist() == ["not run"]


def test_document_with_errors_is_refused_and_leaves_the_database_unchanged(wh: Warehouse):
    wh.load(make_doc(n_facts=3))
    result = wh.load(make_doc(n_facts=1, validation=with_errors(2)))
    assert result.status == "refused" and not result.loaded
    assert "2 validation errors" in result.reason and "total row does not equal" in result.reason
    assert "--allow-invalid" in result.reason
    assert counts(wh)["facts"] == 3 and counts(wh)["validation_results"] == 0


def test_allow_invalid_loads_errors_flagged_as_invalid(wh: Warehouse):
    result = wh.load(make_doc(validation=with_errors(2)), allow_invalid=True)
    assert result.status == "loaded" and "despite 2 validation errors" in result.reason
    row = wh.query("SELECT valid, loaded_invalid, validation_status, validation_errors FROM documents").iloc[0]
    assert (bool(row["valid"]), bool(row["loaded_invalid"]), row["validation_status"]) == (False, True, "errors")
    assert row["validation_errors"] == 2
    sev = wh.query("SELECT severity, rule, target, page FROM validation_results ORDER BY seq")
    assert sev.values.tolist() == [["error", "table.total_row_equals_column_sum", "annex-1", 10]] * 2


def test_warnings_are_loaded_and_flagged(wh: Warehouse):
    result = wh.load(make_doc(validation=with_warnings()))
    assert result.status == "loaded" and result.validation == "warnings" and "1 validation warning" in result.reason
    row = wh.query("SELECT valid, has_warnings, validation_status FROM documents").iloc[0]
    assert (bool(row["valid"]), bool(row["has_warnings"]), row["validation_status"]) == (True, True, "warnings")
    assert wh.query("SELECT severity FROM validation_results")["severity"].tolist() == ["warning"]


def test_document_never_validated_is_loaded_as_not_run(wh: Warehouse):
    result = wh.load(make_doc(validation=None))
    assert result.status == "loaded" and result.reason == "validation not run"
    got = wh.query("SELECT validation_status, valid IS NULL AS unknown FROM documents").iloc[0]
    assert got["validation_status"] == "not run" and bool(got["unknown"])


def test_two_documents_side_by_side_reload_touches_only_its_own(wh: Warehouse):
    a, b = make_doc("10001-2022", n_facts=2), make_doc("10002-2022", n_facts=4)
    wh.load(a)
    wh.load(b)
    wh.load(make_doc("10001-2022", n_facts=1))
    assert counts(wh, "10002-2022") == expected_counts(b)
    assert counts(wh, "10001-2022")["facts"] == 1
    by_school = wh.query("SELECT school_code, COUNT(*) AS n FROM indicators GROUP BY school_code ORDER BY 1")
    assert by_school.values.tolist() == [["10001", 2], ["10002", 2]]


def test_parquet_export_matches_tables_and_schema(wh: Warehouse, tmp_path: Path):
    wh.load(make_doc("10001-2022", validation=with_warnings()))
    wh.load(make_doc("10002-2022", n_facts=4))
    files = wh.export_parquet(tmp_path / "pq")
    assert [f.name for f in files] == [f"{n}.parquet" for n in TABLE_NAMES]
    for tdef, f in zip(TABLES_IN_ORDER, files, strict=True):
        table = pq.read_table(f)
        assert table.num_rows == wh.count(tdef.name), tdef.name
        assert table.schema.remove_metadata().equals(arrow_schema(tdef)), tdef.name
    assert not list((tmp_path / "pq").glob(".*"))  # no temp files left behind
    cells = pq.read_table(tmp_path / "pq" / "table_cells.parquet").to_pylist()
    assert [(c["doc_id"], c["part"], c["row"], c["col"]) for c in cells[:2]] == [
        ("10001-2022", "body", 0, 0),
        ("10001-2022", "body", 0, 1),
    ]


def test_load_folder_reads_document_json(wh: Warehouse, tmp_path: Path):
    folder = tmp_path / "10001-2022"
    folder.mkdir()
    (folder / "document.json").write_text(make_doc().model_dump_json(), encoding="utf-8")
    assert wh.load_folder(folder).status == "loaded"
    with pytest.raises(WarehouseError, match=r"no document\.json"):
        wh.load_folder(tmp_path)


# ---- opening -------------------------------------------------------------------------------------


def test_open_warehouse_picks_the_backend_from_the_value(tmp_path: Path):
    default = open_warehouse(None, tmp_path)
    assert isinstance(default, DuckDBWarehouse) and default.path == tmp_path / "nianbao.duckdb"
    assert not default.path.exists()  # nothing is created before the first load
    assert isinstance(open_warehouse(tmp_path / "a.duckdb"), DuckDBWarehouse)
    assert isinstance(open_warehouse(f"sqlite:///{tmp_path / 'a.db'}"), SQLAlchemyWarehouse)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("warehouse.csv", "warehouse.csv: not a database"),
        ("nosuchdb://host/x", "unknown database kind 'nosuchdb'"),
        ("://host", "no database kind"),
    ],
)
def test_bad_database_value_is_one_clear_line(value: str, says: str):
    with pytest.raises(WarehouseError, match=says) as info:
        open_warehouse(value)
    assert "\n" not in str(info.value)


def test_password_never_appears_in_errors():
    with pytest.raises(WarehouseError) as info:
        open_warehouse("nosuchdb://user:s3cret@host/db")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)


def test_database_of_another_schema_version_is_refused(tmp_path: Path):
    path = tmp_path / "w.duckdb"
    open_warehouse(path).load(make_doc())
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE warehouse_schema SET version = 99")
    with pytest.raises(WarehouseError, match="schema version 99"):
        open_warehouse(path).load(make_doc())


# ---- the real report -----------------------------------------------------------------------------


@pytest.mark.skipif(not REPORT.exists(), reason="raw/cqipc-2022.pdf not available")
def test_real_report_loads_fast_and_completely(tmp_path: Path):
    doc = processed(REPORT)
    wh = open_warehouse(None, tmp_path)
    wh.load(doc)  # first load creates the file and tables
    t0 = time.perf_counter()
    result = wh.load(doc)
    seconds = time.perf_counter() - t0
    assert seconds < 1.0, f"loading one report took {seconds:.2f} s"
    assert result.rows == expected_counts(doc) == counts(wh)
    sc01 = wh.query("SELECT period, value FROM indicators WHERE code = 'SC01' ORDER BY period")
    assert sc01.values.tolist() == [["2020年", 93.57], ["2021年", 96.47]]
    # numbers in the body cells are the typed records, not re-parsed text
    n_typed = sum(1 for t in doc.tables for r in t.records if isinstance(r.get("value"), int | float))
    assert wh.count("table_cells") and int(wh.query("SELECT COUNT(value) AS n FROM table_cells")["n"][0]) == n_typed


# ---- command line --------------------------------------------------------------------------------


def test_cli_load_query_export_and_refusal(tmp_path: Path):
    runner = CliRunner()
    for doc in (make_doc("10001-2022"), make_doc("10002-2022", validation=with_errors(1))):
        (tmp_path / doc.doc_id).mkdir()
        (tmp_path / doc.doc_id / "document.json").write_text(doc.model_dump_json(), encoding="utf-8")
    res = runner.invoke(cli_app.app, ["db", "load", str(tmp_path), "--output", str(tmp_path)])
    assert res.exit_code == 1  # one document refused
    assert "loaded 10001-2022" in res.output and "refused 10002-2022: 1 validation error" in res.output
    assert "1 of 2 loaded" in res.output
    res = runner.invoke(
        cli_app.app, ["db", "load", str(tmp_path / "10002-2022"), "-o", str(tmp_path), "--allow-invalid"]
    )
    assert res.exit_code == 0 and "despite 1 validation error" in res.output
    sql = "SELECT doc_id, valid FROM documents ORDER BY doc_id"
    res = runner.invoke(cli_app.app, ["db", "query", sql, "-o", str(tmp_path)])
    assert res.exit_code == 0 and "10001-2022" in res.output and "False" in res.output and "2 rows" in res.output
    res = runner.invoke(cli_app.app, ["db", "export", "--parquet", str(tmp_path / "pq"), "-o", str(tmp_path)])
    assert res.exit_code == 0 and (tmp_path / "pq" / "indicators.parquet").exists()
    res = runner.invoke(cli_app.app, ["db", "query", "SELECT nope", "-o", str(tmp_path)])
    assert res.exit_code == 1 and "query failed" in res.output


def test_database_error_mid_load_is_named_and_rolled_back(wh: Warehouse):
    wh.load(make_doc(n_facts=3))
    broken = make_doc(n_facts=1)
    broken.facts.append(broken.facts[0])  # the same fact id twice breaks the facts key
    with pytest.raises(WarehouseError, match=r"loading 10001-2022 failed, rolled back") as info:
        wh.load(broken)
    assert wh.display in str(info.value) and "\n" not in str(info.value)
    assert counts(wh) == expected_counts(make_doc(n_facts=3))
