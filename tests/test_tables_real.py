"""Tables stage on the real published PDFs (no truth file: the checks are what the pages show)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.load import load_pdf
from pipeline.tables import extract_tables
from tests.paths import REAL, REPORT, processed


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_csrc_one_table_over_85_pages() -> None:
    [t] = extract_tables(load_pdf(_need(REAL / "csrc_industry_2018q3.pdf")).pages)
    assert t.pages == list(range(1, 86))
    assert t.header == [["门类名称及代码", "行业大类代码", "行业大类名称", "上市公司代码", "上市公司简称"]]
    assert len(t.rows) == 3563  # every page's rows, its repeated header dropped (counted with find_tables)
    assert t.rows[0] == ["农、林、牧、渔业(A)", "01", "农业", "000998", "隆平高科"]
    assert not any(r[0] == "门类名称及代码" for r in t.rows)
    assert all(r[0] for r in t.rows)  # merged 门类 cells carried over every page break


def test_byd_statements_crossing_pages_are_one_table() -> None:
    tables = extract_tables(load_pdf(_need(REAL / "byd_2025q1.pdf")).pages)
    multi = [t.pages for t in tables if len(t.pages) > 1]
    assert multi == [[3, 4], [5, 6], [7, 8]]
    balance = next(t for t in tables if t.pages == [5, 6])
    assert balance.header == [["项目", "期末余额", "期初余额"]]
    assert sum(1 for r in balance.rows if r[0] == "项目") == 0


def test_zhoukou_three_line_tables_found() -> None:
    tables = extract_tables(load_pdf(_need(REAL / "zhoukou_tjgb_2023.pdf")).pages)
    assert [(t.number, t.pages) for t in tables] == [
        ("1", [1]),
        ("2", [2]),
        ("3", [4]),
        ("4", [5]),
        ("5", [5]),
        ("6", [7]),
    ]
    t1 = tables[0]
    assert t1.header == [["指标", "年末数（万人）", "比重（%）"]]
    assert t1.rows[:3] == [
        ["全市常住人口", "866.60", ""],
        ["其中：城镇", "392.66", "45.31"],
        ["乡村", "473.94", "54.69"],
    ]


def test_report_tables_through_the_pipeline() -> None:
    doc = processed(_need(REPORT))
    assert [t.id for t in doc.tables] == [f"body-{i}" for i in range(1, 7)] + [f"annex-{i}" for i in range(1, 7)]
    body5 = doc.tables[4]
    assert body5.pages == [17, 18, 19, 20] and len(body5.rows) == 57
    assert body5.rows[27][1] == "“学创杯”第八届大学生创业综合模拟大赛重庆赛区选拔赛"
    assert {t.section for t in doc.tables[6:]} == {"annex"}
