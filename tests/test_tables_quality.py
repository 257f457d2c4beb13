"""Table quality on small generated PDFs: header depth from evidence, a title row as subtitle,
visible text only, side-by-side tables split at their gutter, and garbage refused with a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib import colors

from pipeline.layout import Layout, build_layout
from pipeline.load import Char, LoadedPdf, load_pdf
from pipeline.model import Document, Table
from pipeline.readers import DEFAULT_READER, READERS
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.tables import attach_tables, table_json
from pipeline.visibility import visible_chars

from . import pdfgen_quality as q
from .pdfgen_tables import build, caption, gap, grid_table, para, three_line_table

NOTE = "本年度各类申请量均有增长，其中企业申请占比继续提高，高校和科研机构保持稳定。"


def _run(path: Path, reader: str = DEFAULT_READER) -> tuple[Layout, Document]:
    loaded: LoadedPdf = load_pdf(path, reader=reader)
    layout = build_layout(loaded)
    doc = Document(doc_id="t", pipeline_version="test", source=loaded.source)
    return layout, attach_tables(doc, layout)


def _tables(path: Path, reader: str = DEFAULT_READER) -> list[Table]:
    return _run(path, reader)[1].tables


# ---------------------------------------------------------------- header depth


def test_three_row_header_from_spans(tmp_path: Path) -> None:
    """Header cells drawn without merging down: only the column groups say the header has 3 rows."""
    rows = [
        ["年度", "申请人情况", "", "", "", "合计"],
        ["", "自然人", "法人或其他组织", "", "", ""],
        ["", "", "企业", "高校", "科研机构", ""],
        ["2022年", "126", "418", "37", "12", "593"],
        ["2023年", "141", "455", "40", "15", "651"],
    ]
    spans = [("SPAN", (1, 0), (4, 0)), ("SPAN", (1, 1), (1, 2)), ("SPAN", (2, 1), (4, 1))]
    pdf = build(
        tmp_path / "t.pdf", [caption("表 2：专利申请人构成"), grid_table(rows, [60, 60, 70, 50, 60, 50], spans)]
    )
    [t] = _tables(pdf)
    assert t.header == [
        ["年度", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "合计"],
        ["", "自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", ""],
        ["", "自然人", "企业", "高校", "科研机构", ""],
    ]
    assert t.rows == rows[3:]
    assert [c.name for c in t.columns] == [
        "年度",
        "申请人情况/自然人",
        "申请人情况/法人或其他组织/企业",
        "申请人情况/法人或其他组织/高校",
        "申请人情况/法人或其他组织/科研机构",
        "合计",
    ]
    got = {(s.part, s.row, s.col, s.rowspan, s.colspan) for s in t.spans}
    assert got == {("header", 0, 1, 1, 4), ("header", 1, 1, 2, 1), ("header", 1, 2, 1, 3)}
    assert t.subtitle is None


@pytest.mark.parametrize("ruling", ["grid", "three_line"])
def test_a_table_that_opens_with_data_has_no_header(tmp_path: Path, ruling: str) -> None:
    """A table printed without a header, its caption under it: its first row is data (figures past
    the label column), not a header, whatever the rules under it say."""
    rows = [
        [f"{y}年", str(4800 + 10 * k), str(4700 + 7 * k), f"{93 + k * 0.4:.1f}"]
        for k, y in enumerate(range(2016, 2024))
    ]
    widths = [110, 90, 90, 90]
    table = grid_table(rows, widths) if ruling == "grid" else three_line_table(rows, widths)
    pdf = build(tmp_path / "t.pdf", [para(NOTE), gap(), table, caption("表 3：近年招生情况"), gap(), para(NOTE)])
    [t] = _tables(pdf)
    assert (t.caption, t.header, t.rows) == ("近年招生情况", [], rows)
    assert len(t.columns) == 4


def test_bare_years_under_a_group_are_a_header_row(tmp_path: Path) -> None:
    rows = [
        ["专业大类", "在校生（人）", "", ""],
        ["", "2021", "2022", "2023"],
        ["装备制造", "2380", "2415", "2502"],
        ["电子信息", "1876", "1930", "2044"],
    ]
    pdf = build(tmp_path / "t.pdf", [grid_table(rows, [100, 70, 70, 70], [("SPAN", (1, 0), (3, 0))])])
    [t] = _tables(pdf)
    assert t.header == [["专业大类", "在校生（人）", "在校生（人）", "在校生（人）"], ["", "2021", "2022", "2023"]]
    assert t.rows == rows[2:]


def test_second_header_row_printed_like_the_first(tmp_path: Path) -> None:
    """No merged cell marks it: the unit row is bold and shaded like the header, the body is not."""
    rows = [
        ["<b>指标</b>", "<b>学历教育</b>", "<b>非学历培训</b>"],
        ["", "<b>（人）</b>", "<b>（人次）</b>"],
        ["在校生", "12036", "—"],
        ["结业", "3710", "8254"],
    ]
    look = [("BACKGROUND", (0, 0), (-1, 1), colors.lightgrey)]
    pdf = build(tmp_path / "t.pdf", [caption("表 5：办学规模"), grid_table(rows, [110, 90, 90], look)])
    [t] = _tables(pdf)
    assert t.header == [["指标", "学历教育", "非学历培训"], ["", "（人）", "（人次）"]]
    assert t.rows == rows[2:]
    assert [c.name for c in t.columns] == ["指标", "学历教育/（人）", "非学历培训/（人次）"]


def test_full_width_title_row_is_the_subtitle(tmp_path: Path) -> None:
    rows = [
        ["2023级新生报到情况（截至9月30日）", "", "", ""],
        ["专业大类", "计划数", "报到数", "报到率"],
        ["装备制造", "820", "792", "96.6%"],
        ["电子信息", "640", "615", "96.1%"],
        ["财经商贸", "310", "301", "97.1%"],
    ]
    pdf = build(
        tmp_path / "t.pdf", [caption("表 4：新生报到"), grid_table(rows, [110, 70, 70, 70], [("SPAN", (0, 0), (3, 0))])]
    )
    [t] = _tables(pdf)
    assert (t.number, t.caption, t.subtitle) == ("4", "新生报到", "2023级新生报到情况（截至9月30日）")
    assert table_json(t)["subtitle"] == t.subtitle
    assert t.header == [rows[1]]
    assert t.rows == rows[2:]
    assert t.spans == []


def test_full_width_group_row_over_data_is_not_a_subtitle(tmp_path: Path) -> None:
    """A piece may open with a group row (a statement continued on a new page): it stays a row."""
    rows = [["一、流动资产", "", ""], ["货币资金", "1,234.5", "1,100.2"], ["应收账款", "567.8", "600.1"]]
    pdf = build(tmp_path / "t.pdf", [grid_table(rows, [120, 80, 80], [("SPAN", (0, 0), (2, 0))])])
    [t] = _tables(pdf)
    assert t.subtitle is None
    assert "subtitle" not in table_json(t), "written only when there is one"
    assert [t.header, t.rows] == [[["一、流动资产"] * 3], rows[1:]]


# ---------------------------------------------------------------- visible text only


def _hidden_layers(path: Path) -> Path:
    """A ruled table whose cells also hold unseen numbers: in render mode 3 or white at the spot of
    a printed one, under a white shape painted over them, outside the clipping path."""
    cv = q.canvas(path)
    xs = q.ruled_grid(cv, 100, 120, [90, 80, 80], 5)
    body = [["东部", "", "52.4"], ["西部", "8.1", ""], ["中部", "", "15.8"], ["东北", "", "6.6"]]
    q.cell_rows(cv, xs, 120, [["地区", "增速（%）", "占比（%）"], *body])
    y1, y2 = 120 + q.ROW_H + (q.ROW_H - q.SIZE) / 2, 120 + 2 * q.ROW_H + (q.ROW_H - q.SIZE) / 2
    q.text(cv, xs[1] + 3, y1, "3.7")
    q.text(cv, xs[1] + 3, y1, "4.6", mode=3)  # invisible: neither filled nor stroked
    q.text(cv, xs[2] + 3, y2, "29.5", grey=1.0)  # white on the white page
    q.text(cv, xs[2] + 3, y2, "31.8")
    y3 = y2 + q.ROW_H
    q.text(cv, xs[1] + 3, y3, "15.2")
    cv.setFillGray(1)
    cv.rect(xs[1] + 1, q.HEIGHT - y3 - q.SIZE - 2, 40, q.SIZE + 3, stroke=0, fill=1)  # painted over 15.2
    cv.setFillGray(0)
    q.text(cv, xs[1] + 25, y3, "12.9")  # beside the covered number, on the white shape
    cv.saveState()
    clip = cv.beginPath()
    clip.rect(xs[0], q.HEIGHT - 120, 20, 10)  # a clip far from the cell below
    cv.clipPath(clip, stroke=0, fill=0)
    q.text(cv, xs[1] + 3, y3 + q.ROW_H, "5.3")  # clipped out: not on the page
    cv.restoreState()
    q.save(cv)
    return path


@pytest.mark.parametrize("reader", READERS)  # each reads render mode, clip and drawing order its own way
def test_hidden_duplicate_numbers_are_not_read(tmp_path: Path, reader: str) -> None:
    pdf = _hidden_layers(tmp_path / "t.pdf")
    raw = "".join(c.text for c in load_pdf(pdf, reader=reader).pages[0].chars)
    assert all(n in raw for n in ("4.6", "29.5", "15.2", "5.3")), "the text layer does hold the hidden numbers"
    [t] = _tables(pdf, reader)
    assert t.header == [["地区", "增速（%）", "占比（%）"]]
    assert t.rows == [["东部", "3.7", "52.4"], ["西部", "8.1", "31.8"], ["中部", "12.9", "15.8"], ["东北", "", "6.6"]]


def _char(s: str, x0: float, **kw: object) -> Char:
    return Char(s, x0, x0 + 5.0, 100.0, 110.0, 10.0, "F", False, **kw)  # type: ignore[arg-type]


def test_visible_chars_rules() -> None:
    chars = [
        _char("1", 10.0),
        _char("1", 10.4),  # the same glyph again (fake bold): dropped
        _char("2", 20.0, render_mode=3),  # invisible, on no image: dropped
        _char("3", 30.0, fill="#ffffff"),  # white on the page: dropped
        _char("4", 40.0, fill="#ffffff"),  # white on a filled shape: seen
        _char("5", 50.0, render_mode=3),  # invisible over an image (a scan's text layer): kept
        _char("6", 60.0),
        _char("7", 60.5),  # printed over the 6: the page shows the 7
        _char("8", 700.0),  # off the page
        _char("8", 70.0, clipped=True),  # outside the clipping path
        _char("9", 80.0, seq=5),  # under a shape painted after it: dropped
        _char("0", 90.0, seq=9),  # painted on that shape: seen
    ]
    filled = [((38.0, 95.0, 48.0, 115.0), 0), ((78.0, 95.0, 98.0, 115.0), 7)]
    seen = visible_chars(chars, 600.0, 800.0, filled=filled, images=[(48.0, 90.0, 58.0, 120.0)])
    assert "".join(c.text for c in seen) == "14570"
    assert DEFAULT_SETTINGS.layout.white_level <= 1.0


# ---------------------------------------------------------------- side by side


def test_two_borderless_tables_side_by_side_split_at_the_gutter(tmp_path: Path) -> None:
    left = [
        ["项目", "2023A", "2024E"],
        ["营业收入", "10,141", "11,962"],
        ["净利润", "1,305", "1,577"],
        ["毛利率", "23.1%", "24.0%"],
    ]
    right = [
        ["指标", "2023A", "2024E"],
        ["每股收益", "0.82", "0.99"],
        ["市盈率", "18.4", "15.2"],
        ["市净率", "2.1", "1.9"],
    ]
    cv = q.canvas(tmp_path / "t.pdf")
    lx = q.columns(72, [70, 55, 55])
    rx = q.columns(320, [70, 55, 55])
    top = 150.0
    q.rule(cv, 72, 500, top, 1.2)
    q.rule(cv, 72, 500, top + q.ROW_H, 0.5)
    q.rule(cv, 72, 500, top + 4 * q.ROW_H, 1.2)
    q.cell_rows(cv, lx, top, left)
    q.cell_rows(cv, rx, top, right)
    q.save(cv)
    tables = _tables(tmp_path / "t.pdf")
    assert [(t.header, t.rows) for t in tables] == [([left[0]], left[1:]), ([right[0]], right[1:])]


# ---------------------------------------------------------------- refused


def test_layout_frame_around_paragraphs_is_not_a_table(tmp_path: Path) -> None:
    left = "学院围绕区域产业升级需要，调整专业布局，新增智能制造和新能源汽车技术两个专业方向。" * 2
    right = "学院持续完善校企合作机制，与四十余家企业共建实训基地，学生顶岗实习对口率明显提高。" * 2
    pdf = build(tmp_path / "t.pdf", [para(NOTE), grid_table([[left, right]], [220, 220]), para(NOTE)])
    layout, doc = _run(pdf)
    assert doc.tables == []
    [finding] = doc.findings
    assert (finding.code, finding.page) == ("table_refused", 1)
    assert "paragraphs" in finding.message
    body = "".join(ln.text for pl in layout.pages for ln in pl.lines if not ln.in_table)
    assert "新增智能制造" in body and "共建实训基地" in body


def test_clipped_garbage_candidate_is_refused_with_a_finding(tmp_path: Path) -> None:
    cv = q.canvas(tmp_path / "t.pdf")
    xs = q.ruled_grid(cv, 100, 150, [60, 40, 40, 40], 4)
    for i, row in enumerate(
        [
            ["科目", "本期", "上期", "增减"],
            ["收入", "10,141", "9,876", "265"],
            ["成本", "7,802", "7,655", "147"],
            ["利润", "2,339", "2,221", "118"],
        ]
    ):
        for k, s in enumerate(row):  # every number runs over its column's left rule
            q.text(cv, xs[k] + (3 if k == 0 or i == 0 else -12), 150 + i * q.ROW_H + 5.5, s)
    q.save(cv)
    layout, doc = _run(tmp_path / "t.pdf")
    assert doc.tables == []
    [finding] = doc.findings
    assert (finding.code, finding.page) == ("table_refused", 1)
    assert "cut through its text" in finding.message
    [refusal] = layout.pages[0].refused
    assert refusal.reason.startswith("its cell borders cut through its text")
    assert not any(ln.in_table for ln in layout.pages[0].lines)


def test_rows_that_are_mostly_one_merged_cell_are_refused(tmp_path: Path) -> None:
    rows = [
        ["事项", "说明"],
        ["一、报名时间为每年三月，逾期不再受理。", ""],
        ["二、报名材料须由所在单位审核盖章。", ""],
        ["三、联系方式见学院招生网站。", ""],
        ["联系人", "招生办公室"],
    ]
    merged = [("SPAN", (0, r), (1, r)) for r in (1, 2, 3)]
    pdf = build(tmp_path / "t.pdf", [para(NOTE), grid_table(rows, [120, 200], merged), para(NOTE)])
    layout, doc = _run(pdf)
    assert doc.tables == []
    [finding] = doc.findings
    assert (finding.code, finding.page) == ("table_refused", 1)
    assert "3 of its 5 rows are one cell across the table" in finding.message
    body = [ln.text for pl in layout.pages for ln in pl.lines if not ln.in_table]
    assert "二、报名材料须由所在单位审核盖章。" in body
