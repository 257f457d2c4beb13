"""Tables stage on small generated PDFs: each test asserts the exact cells it printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.load import load_pdf
from pipeline.model import Table
from pipeline.tables import extract_tables, find_table_regions, table_csv_bytes
from pipeline.tables.extract import extract_page
from pipeline.tables.text import join_lines

from .pdfgen_tables import (
    build,
    caption,
    draw_pages,
    gap,
    grid_table,
    para,
    three_line_table,
)

INTRO = "学校坚持以学生为中心，持续推进教育教学改革，各项指标稳步提升，具体情况如下。"


def tables_of(path: Path) -> list[Table]:
    return extract_tables(load_pdf(path).pages)


def test_three_line_table(tmp_path: Path) -> None:
    rows = [
        ["指标", "年末数（万人）", "比重（%）"],
        ["常住人口", "866.60", "100.00"],
        ["城镇", "392.66", "45.31"],
        ["乡村", "473.94", "54.69"],
    ]
    pdf = build(
        tmp_path / "t.pdf",
        [
            para(INTRO),
            gap(),
            caption("表 1：常住人口及其构成"),
            three_line_table(rows, [180, 120, 100]),
            gap(),
            para(INTRO),
        ],
    )
    [t] = tables_of(pdf)
    assert (t.id, t.number, t.caption, t.kind) == ("body-1", "1", "常住人口及其构成", "body")
    assert t.header == [rows[0]]
    assert t.rows == rows[1:]
    assert t.pages == [1]


def test_caption_below_table(tmp_path: Path) -> None:
    rows = [["年份", "录取数", "报到数"], ["2020", "6008", "5702"], ["2021", "6367", "6038"]]
    pdf = build(
        tmp_path / "t.pdf",
        [para(INTRO), gap(), grid_table(rows, [100, 100, 100]), caption("表 3：近两年学生录取数"), para(INTRO)],
    )
    [t] = tables_of(pdf)
    assert (t.number, t.caption) == ("3", "近两年学生录取数")
    assert t.header == [rows[0]] and t.rows == rows[1:]


def test_table_over_three_pages_with_repeated_header(tmp_path: Path) -> None:
    header = ["序号", "项目名称", "金额（万元）"]
    body = [[str(i), f"建设项目{i}号", f"{i * 3}.5"] for i in range(1, 121)]
    story = [
        para(INTRO),
        caption("表 2：建设项目清单"),
        grid_table([header, *body], [60, 200, 100], repeatRows=1),
        para(INTRO),
    ]
    pages = load_pdf(build(tmp_path / "t.pdf", story)).pages
    assert len(pages) >= 3
    [t] = extract_tables(pages)
    assert t.pages == [p.number for p in pages]
    assert t.header == [header]
    assert t.rows == body
    assert [p.page for p in t.provenance] == t.pages


def test_row_split_across_page_break(tmp_path: Path) -> None:
    header = ["序号", "比赛名称", "项目名称", "奖项"]
    head = [[str(i), f"比赛{i}", f"项目{i}", "银奖"] for i in range(1, 30)]
    cut = ["30", "第七届中国国际“互联网+”大学生创新", "慧眼如炬", "金奖"]
    tail = ["", "创业大赛重庆赛区选拔赛", "", ""]
    rest = [["31", "比赛31", "项目31", "铜奖"], ["32", "比赛32", "项目32", "铜奖"]]
    widths = [40, 200, 100, 60]
    page1 = [(80.0, "表 5：获奖情况"), (100.0, widths, [header, *head, cut])]
    page2 = [(72.0, widths, [header, tail, *rest])]
    pages = load_pdf(draw_pages(tmp_path / "t.pdf", [page1, page2])).pages
    [t] = extract_tables(pages)
    assert (t.number, t.caption, t.pages) == ("5", "获奖情况", [1, 2])
    assert t.header == [header]
    assert t.rows == [
        *head,
        ["30", "第七届中国国际“互联网+”大学生创新创业大赛重庆赛区选拔赛", "慧眼如炬", "金奖"],
        *rest,
    ]
    assert t.row_pages[29] == [1, 2]
    assert t.row_pages[30] == [2, 2]


def test_two_level_header_with_column_spans(tmp_path: Path) -> None:
    rows = [
        ["时间", "国赛（个）", "", "市赛（个）", ""],
        ["", "一等奖", "二等奖", "一等奖", "二等奖"],
        ["2020年", "0", "2", "14", "16"],
        ["2021年", "1", "2", "14", "20"],
    ]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0))]
    pdf = build(tmp_path / "t.pdf", [caption("表 6：技能大赛获奖数量"), grid_table(rows, [80, 70, 70, 70, 70], spans)])
    [t] = tables_of(pdf)
    assert t.header == [
        ["时间", "国赛（个）", "国赛（个）", "市赛（个）", "市赛（个）"],
        ["时间", "一等奖", "二等奖", "一等奖", "二等奖"],
    ]
    assert t.rows == rows[2:]
    assert [c.name for c in t.columns] == [
        "时间",
        "国赛（个）/一等奖",
        "国赛（个）/二等奖",
        "市赛（个）/一等奖",
        "市赛（个）/二等奖",
    ]
    got = {(s.part, s.row, s.col, s.rowspan, s.colspan) for s in t.spans}
    assert got == {("header", 0, 0, 2, 1), ("header", 0, 1, 1, 2), ("header", 0, 3, 1, 2)}


def test_vertically_merged_first_column(tmp_path: Path) -> None:
    rows = [
        ["院校代码", "指标", "2021年"],
        ["12215", "就业率", "96.47"],
        ["", "月收入", "4246"],
        ["", "雇主满意度", "100"],
    ]
    pdf = build(
        tmp_path / "t.pdf", [caption("表1 计分卡"), grid_table(rows, [90, 150, 80], [("SPAN", (0, 1), (0, 3))])]
    )
    [t] = tables_of(pdf)
    assert (t.kind, t.id, t.caption) == ("annex", "annex-1", "计分卡")
    assert t.rows == [["12215", "就业率", "96.47"], ["12215", "月收入", "4246"], ["12215", "雇主满意度", "100"]]
    assert [(s.part, s.row, s.col, s.rowspan, s.colspan) for s in t.spans] == [("body", 0, 0, 3, 1)]


def test_one_cell_text_box_is_not_a_table(tmp_path: Path) -> None:
    box = grid_table([["案例 1：校企合作共建产业学院。" + INTRO * 4]], [400])
    pdf = build(tmp_path / "t.pdf", [para(INTRO), box, para(INTRO)])
    pages = load_pdf(pdf).pages
    assert find_table_regions(pages[0]) == []
    assert extract_tables(pages) == []


def test_cell_text_spacing_and_csv(tmp_path: Path) -> None:
    rows = [
        ["股东名称", "持股比例"],
        ["HKSCC NOMINEES LIMITED", "40.38%"],
        ["中国工商银行股份有限公司－华泰柏瑞沪深300交易型开放式指数证券投资基金", "0.49%"],
    ]
    pdf = build(tmp_path / "t.pdf", [caption("表 7：前十名股东"), grid_table(rows, [120, 80])])
    [t] = tables_of(pdf)
    assert t.rows == rows[1:]
    data = table_csv_bytes(t)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1] == "HKSCC NOMINEES LIMITED,40.38%"


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        (["重庆工业职业技", "术学院"], "重庆工业职业技术学院"),
        (["HKSCC NOMINEES", "LIMITED"], "HKSCC NOMINEES LIMITED"),
        (["(2) 公共基础课(不含", "思想政治课)"], "(2) 公共基础课(不含思想政治课)"),
    ],
)
def test_join_lines(lines: list[str], text: str) -> None:
    assert join_lines(lines) == text


def test_pdfplumber_backend_agrees_with_own_grid(tmp_path: Path) -> None:
    rows = [["院校代码", "指标", "", "2021年"], ["12215", "1", "就业率", "96.47"], ["", "2", "月收入", "4246"]]
    spans = [("SPAN", (1, 0), (2, 0)), ("SPAN", (0, 1), (0, 2))]
    pdf = build(tmp_path / "t.pdf", [caption("表1 计分卡"), grid_table(rows, [90, 40, 120, 80], spans)])
    page = load_pdf(pdf).pages[0]
    [own] = extract_page(page, "grid")
    [other] = extract_page(page, "pdfplumber")
    expected = [
        ["院校代码", "指标", "指标", "2021年"],
        ["12215", "1", "就业率", "96.47"],
        ["12215", "2", "月收入", "4246"],
    ]
    assert own.texts() == other.texts() == expected
