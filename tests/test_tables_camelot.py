"""camelot (lattice) backend: same cells and spans as our own grid, on generated and real ruled tables.

camelot renders each page (~0.3-0.5 s), so every test reads one page once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.load import load_pdf
from pipeline.model import BBox
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.tables import extract_tables
from pipeline.tables.camelot_backend import camelot_area
from pipeline.tables.extract import extract_page, make_extractor
from pipeline.tables.parts import PageTable

from .paths import REPORT
from .pdfgen_tables import build, caption, grid_table

Spec = tuple[int, int, int, int, str]


def cells(t: PageTable) -> list[Spec]:
    """(row, col, rowspan, colspan, text) of every cell, in reading order."""
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.cells]


def both(pdf: Path) -> tuple[PageTable, PageTable]:
    """The single table of page 1 by the grid and the camelot backend."""
    page = load_pdf(pdf).pages[0]
    [own] = extract_page(page, "grid")
    [cam] = extract_page(page, "camelot", pdf)
    return own, cam


def test_area_is_left_top_right_bottom_in_pdf_space() -> None:
    box = BBox(x0=90.0, top=145.0, x1=506.0, bottom=344.0)
    pad = DEFAULT_SETTINGS.tables.camelot_pad
    expected = (90.0 - pad, 842.0 - 145.0 + pad, 506.0 + pad, 842.0 - 344.0 - pad)  # left-top, right-bottom
    assert camelot_area(box, 842.0, pad) == ",".join(f"{v:.2f}" for v in expected)
    assert camelot_area(box, 842.0, 3.0) == "87.00,700.00,509.00,495.00"


def test_make_extractor_names_a_bad_choice() -> None:
    with pytest.raises(ValueError, match="needs pdf_path"):
        make_extractor("camelot")
    with pytest.raises(ValueError, match="unknown extractor 'tabula'"):
        make_extractor("tabula")


def test_fully_ruled_table(tmp_path: Path) -> None:
    rows = [["年份", "录取数", "报到数"], ["2020", "6008", "5702"], ["2021", "6367", "6038"]]
    own, cam = both(build(tmp_path / "t.pdf", [caption("表 3：近两年学生录取数"), grid_table(rows, [100, 100, 100])]))
    expected = [(r, c, 1, 1, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    assert cells(cam) == cells(own) == expected
    assert (cam.extractor, cam.header_rows, cam.quality) == ("camelot", 1, 1.0)


def test_two_level_header_with_column_spans(tmp_path: Path) -> None:
    rows = [
        ["时间", "国赛（个）", "", "市赛（个）", ""],
        ["", "一等奖", "二等奖", "一等奖", "二等奖"],
        ["2020年", "0", "2", "14", "16"],
        ["2021年", "1", "2", "14", "20"],
    ]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0))]
    pdf = build(tmp_path / "t.pdf", [caption("表 6：技能大赛获奖数量"), grid_table(rows, [80, 70, 70, 70, 70], spans)])
    own, cam = both(pdf)
    body = [(r, c, 1, 1, text) for r in (2, 3) for c, text in enumerate(rows[r])]
    assert (
        cells(cam)
        == cells(own)
        == [
            (0, 0, 2, 1, "时间"),
            (0, 1, 1, 2, "国赛（个）"),
            (0, 3, 1, 2, "市赛（个）"),
            (1, 1, 1, 1, "一等奖"),
            (1, 2, 1, 1, "二等奖"),
            (1, 3, 1, 1, "一等奖"),
            (1, 4, 1, 1, "二等奖"),
            *body,
        ]
    )
    assert cam.header_rows == own.header_rows == 2
    # the backend name threads through the whole stage: same stitched, captioned table
    pages = load_pdf(pdf).pages
    [by_camelot] = extract_tables(pages, extractor="camelot", pdf_path=pdf)
    [by_grid] = extract_tables(pages)
    assert by_camelot.extractor == "camelot"
    assert by_camelot.model_dump(exclude={"extractor"}) == by_grid.model_dump(exclude={"extractor"})


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
    own, cam = both(pdf)
    assert (
        cells(cam)
        == cells(own)
        == [
            (0, 0, 1, 1, "院校代码"),
            (0, 1, 1, 1, "指标"),
            (0, 2, 1, 1, "2021年"),
            (1, 0, 3, 1, "12215"),
            (1, 1, 1, 1, "就业率"),
            (1, 2, 1, 1, "96.47"),
            (2, 1, 1, 1, "月收入"),
            (2, 2, 1, 1, "4246"),
            (3, 1, 1, 1, "雇主满意度"),
            (3, 2, 1, 1, "100"),
        ]
    )


def test_report_table_1_all_three_backends_agree() -> None:
    if not REPORT.exists():
        pytest.skip(f"{REPORT} not available")
    page = load_pdf(REPORT).pages[11]  # page 12: 表 1, 专业大类 / 包含专业
    got = {name: extract_page(page, name, REPORT)[0] for name in ("grid", "pdfplumber", "camelot")}
    expected = [
        ["专业大类", "包含专业"],
        ["机械设计制造类", "机械设计与制造、数控技术、模具设计与制造"],
        ["自动化类", "电气自动化技术、智能控制技术、工业机器人技术"],
        ["汽车制造类", "汽车电子技术、新能源汽车技术"],
        ["电子信息类", "应用电子技术、移动互联应用技术、物联网应用技术"],
        ["计算机类", "软件技术、信息安全与管理、云计算技术与应用、大数据技术与应用"],
        ["旅游类", "旅游管理、酒店管理与数字化运营"],
        ["艺术设计类", "室内艺术设计、环境艺术设计"],
        ["化工技术类", "应用化工技术、分析检验技术"],
        ["药品与医疗器械类", "药品生产技术、药品质量与安全"],
    ]
    want = [(r, c, 1, 1, text) for r, row in enumerate(expected) for c, text in enumerate(row)]
    for name, t in got.items():
        assert cells(t) == want, name
        assert (t.header_rows, t.quality) == (1, 1.0), name
