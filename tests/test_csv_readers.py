"""Table CSVs every reader reads: unique column names, no extraction spaces, total rows marked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Document, Source, Table
from pipeline.normalize.columns import flatten_header, typed_columns, typed_records, unique_names
from pipeline.normalize.totals import is_total_label, total_rows
from pipeline.tables.export import table_csv_bytes, table_files
from pipeline.warehouse import open_warehouse
from pipeline.warehouse.rows import table_cells_rows

from .paths import REPORT, processed


def _table(header: list[list[str]], rows: list[list[str]]) -> Table:
    return Table(id="body-1", kind="body", number="1", caption="t", section=None, pages=[1], header=header, rows=rows)


def _normalized(table: Table) -> Table:
    table = table.model_copy(update={"columns": typed_columns(table)})
    return table.model_copy(update={"records": typed_records(table)})


def test_repeated_names_get_their_occurrence_number():
    assert unique_names(["指标", "指标", "指标", "单位"]) == ["指标", "指标_2", "指标_3", "单位"]
    assert unique_names(["a", "a", "a_2"]) == ["a", "a_3", "a_2"]  # never onto a name in use
    header = [["院校代码", "指标", "指标", "单位", "2020 年", "2021 年"]]
    assert flatten_header(header) == ["院校代码", "指标", "指标_2", "单位", "2020年", "2021年"]


@given(st.lists(st.sampled_from(["指标", "指标_2", "", "单位", "a_3", "a"]), max_size=12))
def test_unique_names_are_unique_and_keep_first_occurrences(names: list[str]):
    out = unique_names(names)
    assert len(out) == len(names) and len(set(out)) == len(out)
    assert [o for o, n in zip(out, names, strict=True) if o == n] == list(dict.fromkeys(names))


def test_csv_header_and_document_columns_agree_and_spaces_go():
    table = _normalized(_table([["指标", "指标", "2020 年", "2021 级"]], [["1", "就业率", "93.57", "96.47"]]))
    names = [c.name for c in table.columns]
    assert names == ["指标", "指标_2", "2020年", "2021级"]
    reader = csv.DictReader(io.StringIO(table_csv_bytes(table).decode("utf-8-sig")))
    assert reader.fieldnames == names
    assert list(reader) == [dict(zip(names, ["1", "就业率", "93.57", "96.47"], strict=True))]
    assert {r["column"] for r in table.records} == set(names)


def test_every_table_csv_of_the_public_report_reads_whole_with_dictreader():
    doc = processed(REPORT)
    files = table_files(doc)
    assert doc.tables
    for t in doc.tables:
        reader = csv.DictReader(io.StringIO(files[f"tables/{t.id}.csv"].decode("utf-8-sig")))
        names = [c.name for c in t.columns]
        assert reader.fieldnames == names and len(set(names)) == len(names), t.id
        assert not any(" " in n for n in names if any("\u4e00" <= ch <= "\u9fff" for ch in n)), names
        rows = list(reader)
        assert [[r[n] for n in names] for r in rows] == t.rows, t.id
    annex = next(t for t in doc.tables if t.kind == "annex")
    assert "指标_2" in [c.name for c in annex.columns] and "2020年" in [c.name for c in annex.columns]


def test_total_labels():
    for yes in ("合计", "小 计", "总计：", "合计（万元）", "总数", "共计"):
        assert is_total_label(yes), yes
    for no in ("学生总数", "合计获奖20项", "共计12人", "其中：合计", "", "2021年"):
        assert not is_total_label(no), no
    assert total_rows([["国赛", "1"], ["合计", "2"], ["总数", "3"], ["学生总数", "4"]]) == {1, 2}


def test_public_report_total_row_is_marked():
    doc = processed(REPORT)
    marked = {(t.id, r["row"]) for t in doc.tables for r in t.records if r["is_total"]}
    expected = {(t.id, i) for t in doc.tables for i, row in enumerate(t.rows) if "合计" in row}
    assert expected and marked == expected


def test_sql_sum_over_non_total_rows_equals_the_total_row(tmp_path: Path):
    table = _normalized(
        _table(
            [["奖项", "一等奖", "二等奖"]],
            [["国赛", "3", "5"], ["省赛", "7", "11"], ["小计", "10", "16"], ["行业赛", "2", "1"], ["合计", "12", "17"]],
        )
    )
    doc = Document(
        doc_id="10001-2022",
        pipeline_version="0.1.0",
        source=Source(path="x.pdf", sha256="0" * 64, pages=1, size_bytes=1),
        tables=[table],
    )
    cells = table_cells_rows(doc)
    assert {c["row"] for c in cells if c["is_total"]} == {2, 4}
    assert not any(c["is_total"] for c in cells if c["part"] == "header")
    with open_warehouse(tmp_path / "w.duckdb") as wh:
        assert wh.load(doc).status == "loaded"
        sums = wh.query(
            "SELECT column_name, SUM(value) AS s FROM table_cells WHERE part = 'body' AND NOT is_total "
            "AND NOT covered AND kind = 'number' GROUP BY column_name ORDER BY column_name"
        )
        total = wh.query("SELECT column_name, value FROM table_cells WHERE text IN ('12', '17') ORDER BY column_name")
    assert sums["s"].tolist() == total["value"].tolist() == [12.0, 17.0]
