"""Tables with no rules at all (pipeline/tables/bare.py): found next to their caption, and nothing
else that lines up next to a caption (prose, a TOC, two columns of prose, a roster) taken for one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.layout import build_layout
from pipeline.load import load_pdf
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.tables import extract_tables
from pipeline.tables.extract import find_page_tables

from .pdfgen import CJK_FONT

W, H = A4
SIZE = 10.5
LEAD = SIZE * 1.8
PROSE = (
    "学院坚持立德树人根本任务，深化教育教学改革，推进产教融合和校企合作，人才培养质量稳步提升，社会服务能力不断增强，"
)

Item = tuple[float, float, str]  # x, top, text


def _draw(path: Path, items: Sequence[Item], size: float = SIZE) -> Path:
    return _draw_pages(path, [items], size, furniture=False)


def _centred(top: float, text: str) -> Item:
    return ((W - stringWidth(text, CJK_FONT, SIZE)) / 2, top, text)


def _prose(top: float, n: int, x0: float = 72, x1: float = W - 72) -> list[Item]:
    """`n` lines of running text filling x0..x1, the last one ending its sentence."""
    per = int((x1 - x0) // SIZE)
    text = (PROSE * 4)[: per * n - 3] + "。"
    return [(x0, top + k * LEAD, text[k * per : (k + 1) * per]) for k in range(n)]


def _columns(top: float, rows: Sequence[Sequence[str]], xs: Sequence[float], right: bool = True) -> list[Item]:
    """Rows of cells, no rules: the first column left-aligned at xs[0], the others right-aligned
    at their column's right edge xs[k + 1] (or left at xs[k] when not `right`)."""
    out: list[Item] = []
    for i, row in enumerate(rows):
        for k, text in enumerate(row):
            x = xs[k + 1] - stringWidth(text, CJK_FONT, SIZE) if right and k else xs[k]
            out.append((x, top + i * LEAD, text))
    return out


ROWS = [
    ["项目", "2023年", "2022年", "增减（%）"],
    ["营业收入", "12,345.6", "11,876.40", "3.9"],
    ["营业成本", "8,120.3", "7,990.25", "1.6"],
    ["管理费用", "1,010.0", "1,104.50", "-8.6"],
    ["利润总额", "2,215.3", "1,781.65", "24.3"],
]
XS = [110.0, 250.0, 340.0, 430.0, 500.0]


@pytest.mark.parametrize("side", ["above", "below"])
def test_a_table_with_no_rules_is_read_next_to_its_caption(tmp_path: Path, side: str) -> None:
    cap = "表 1：主要财务指标"
    items = _prose(72, 2)
    if side == "above":
        items += [_centred(120, cap), *_columns(150, ROWS, XS), *_prose(150 + len(ROWS) * LEAD + 12, 2)]
    else:
        items += [*_columns(120, ROWS, XS), _centred(120 + len(ROWS) * LEAD + 4, cap)]
        items += _prose(120 + len(ROWS) * LEAD + 40, 2)
    [t] = extract_tables(load_pdf(_draw(tmp_path / f"{side}.pdf", items)).pages)
    assert (t.id, t.caption, t.header, t.rows) == ("body-1", "主要财务指标", [ROWS[0]], ROWS[1:])


def test_its_rows_leave_the_body_text(tmp_path: Path) -> None:
    items = [*_prose(72, 2), _centred(120, "表 1：主要财务指标"), *_columns(150, ROWS, XS), *_prose(260, 2)]
    doc = process_pdf(_draw(tmp_path / "t.pdf", items))
    assert [t.rows for t in doc.tables] == [ROWS[1:]]
    body = "".join(p.text for p in doc.paragraphs)
    assert "营业收入" not in body and PROSE[:10] in body


TOC = [
    ["一、学校概况", "1"],
    ["二、学生发展", "3"],
    ["三、教学改革", "7"],
    ["四、服务贡献", "12"],
    ["五、政策保障", "15"],
]
ROSTER = [
    ["姓名", "职务", "部门"],
    ["王明", "主任", "教务处"],
    ["李华", "副主任", "学生处"],
    ["赵敏", "科长", "招生办"],
]


def _negative(case: str) -> list[Item]:
    cap = _centred(100, "表 1：近三年主要指标")
    if case == "prose":  # the table is a picture: only prose follows the caption
        return [cap, *_prose(130, 4)]
    if case == "toc":  # a TOC right under a caption: two columns (title, page), and a figure entry
        return [cap, *_columns(130, [*TOC, ["图 1 在校生规模", "18"]], [72, 0, W - 72])]
    if case == "list":  # a list of captions with their pages
        rows = [[f"表 {k}：指标{k}", str(3 * k)] for k in range(2, 7)]
        return [cap, *_columns(130, rows, [72, 0, W - 72])]
    if case == "two-columns":  # prose set in two columns under the caption
        return [cap, *_prose(130, 6, 72, 285), *_prose(130, 6, 310, W - 72)]
    assert case == "roster"  # words in three aligned columns, no figure: not taken (precision first)
    return [cap, *_columns(130, ROSTER, [110, 220, 330, 440], right=False)]


@pytest.mark.parametrize("case", ["prose", "toc", "list", "two-columns", "roster"])
def test_lines_next_to_a_caption_that_are_no_table_give_none(tmp_path: Path, case: str) -> None:
    page = load_pdf(_draw(tmp_path / f"{case}.pdf", _negative(case))).pages[0]
    found = find_page_tables(page, settings=DEFAULT_SETTINGS)
    assert (found.tables, found.refused) == ([], [])


def test_aligned_rows_without_a_caption_are_left_to_the_body(tmp_path: Path) -> None:
    """No caption, nothing marks where such rows start and end: they stay body text (not guessed)."""
    page = load_pdf(_draw(tmp_path / "t.pdf", [*_prose(72, 2), *_columns(130, ROWS, XS)])).pages[0]
    assert find_page_tables(page).tables == []


WRAPPED = [*ROWS[:2], ["国家级职业教育教师教学创新团队建设经费", *ROWS[2][1:]], *ROWS[3:]]  # a label of 2 lines


@pytest.mark.parametrize("side", ["above", "below"])
def test_a_wrapped_cell_in_a_table_with_no_rules_stays_one_cell(tmp_path: Path, side: str) -> None:
    """A label wrapped onto a second line (the row's other cells empty there, the line closer
    than rows stand apart) is one row and one cell."""
    cap = "表 1：主要财务指标"
    per = int((XS[1] - XS[0] - 2 * SIZE) // SIZE)  # the label column's width in glyphs
    items: list[Item] = []
    top = 150.0 if side == "above" else 120.0
    for row in WRAPPED:
        label, *figures = row
        parts = [label[k : k + per] for k in range(0, len(label), per)]
        items += _columns(top, [[parts[0], *figures]], XS)
        for k, part in enumerate(parts[1:], 1):
            items.append((XS[0], top + k * SIZE * 1.25, part))
        top += LEAD + (len(parts) - 1) * SIZE * 1.25
    if side == "above":
        items = [*_prose(72, 2), _centred(120, cap), *items, *_prose(top + 12, 2)]
    else:
        items = [*_prose(72, 2), *items, _centred(top + 4, cap), *_prose(top + 40, 2)]
    [t] = extract_tables(load_pdf(_draw(tmp_path / f"{side}.pdf", items)).pages)
    assert (t.id, t.caption, t.header, t.rows) == ("body-1", "主要财务指标", [WRAPPED[0]], WRAPPED[1:])


SECOND = [
    ["指标", "2023年", "2022年", "增减（%）"],
    ["在校生", "9,120", "8,870", "2.8"],
    ["毕业生", "3,010", "2,950", "2.0"],
    ["教职工", "612", "598", "2.3"],
]


@pytest.mark.parametrize("side", ["above", "below"])
def test_tables_close_on_both_sides_of_a_caption_go_by_the_caption_side(tmp_path: Path, side: str) -> None:
    """Two tables with no rules, each caption between them as close to the one as to the other:
    the page's caption side (the side where every caption has its table) decides which it names."""
    caps = ["表 1：主要财务指标", "表 2：办学规模"]
    gap = LEAD * 1.5
    top = 100.0
    items: list[Item] = []
    for cap, rows in zip(caps, (ROWS, SECOND), strict=True):
        if side == "above":
            items.append(_centred(top, cap))
            top += gap
        items += _columns(top, rows, XS)
        top += (len(rows) - 1) * LEAD + gap
        if side == "below":
            items.append(_centred(top, cap))
            top += gap
    items += _prose(top + 20, 2)
    got = extract_tables(load_pdf(_draw(tmp_path / f"{side}.pdf", items)).pages)
    assert [(t.id, t.header, t.rows) for t in got] == [
        ("body-1", [ROWS[0]], ROWS[1:]),
        ("body-2", [SECOND[0]], SECOND[1:]),
    ]


RUNNING = "远航职业技术学院质量年度报告"
LONG = [ROWS[0]] + [
    [
        f"{ROWS[1 + k % 4][0]}{k // 4 + 1}",
        f"{1234.5 + 101.5 * k:,.1f}",
        f"{1100.25 + 99.5 * k:,.2f}",
        f"{k % 7 - 2.5:.1f}",
    ]
    for k in range(44)
]


def _draw_pages(path: Path, pages: Sequence[Sequence[Item]], size: float = SIZE, *, furniture: bool = True) -> Path:
    """Pages of text items, each (if `furniture`) with a running header over a rule-free top and a
    page number under the text."""
    cv = Canvas(str(path), pagesize=A4)
    for n, items in enumerate(pages, 1):
        if furniture:
            cv.setFont(CJK_FONT, 9)
            cv.drawString((W - stringWidth(RUNNING, CJK_FONT, 9)) / 2, H - 40, RUNNING)
            cv.drawString(W / 2 - 3, 30, str(n))
        cv.setFont(CJK_FONT, size)
        for x, top, text in items:
            cv.drawString(x, H - top - size * 0.88, text)
        cv.showPage()
    cv.save()
    return path


def _across(
    repeat: bool,
    xs_after: Sequence[float] = XS,
    below: bool = False,
    text_under: bool = False,
    tail: int = 0,
) -> tuple[list[list[Item]], int]:
    """The long table from its caption on page 1 (or from the top of its text, the caption `below`
    its end on page 2) down to its foot, the rest at the top of page 2 (its header printed again
    when `repeat`, columns at `xs_after`; a line of prose under page 1's rows if `text_under`;
    only `tail` rows if > 0); the body rows on page 1."""
    cap = "表 1：分项收支情况"
    first = [*_prose(72, 2)] if below else [*_prose(72, 2), _centred(120, cap)]
    fit = int((H - 80 - 150) // LEAD) - text_under
    first += _columns(150, LONG[:fit], XS)
    if text_under:
        first += _prose(150 + fit * LEAD + 12, 1)
    rest = ([LONG[0]] if repeat else []) + LONG[fit : fit + tail if tail else None]
    second = _columns(72, rest, xs_after)
    after = 72 + len(rest) * LEAD + (2 if below else 12)
    if below:
        second.append(_centred(after, cap))
        after += 30
    second += _prose(after, 2)
    return [first, second, _prose(72, 3), _prose(72, 3)], fit - 1  # pages enough to tell the running header


@pytest.mark.parametrize("below", [False, True])
@pytest.mark.parametrize("repeat", [True, False])
def test_a_table_with_no_rules_goes_on_over_the_page_break(tmp_path: Path, repeat: bool, below: bool) -> None:
    """The rows at the top of the next page (no caption over them), or those at the foot of the
    page before (the caption under the table's end), columns where the table's are and only
    furniture between: the same table (its header printed again dropped)."""
    pages, _ = _across(repeat, below=below)
    path = _draw_pages(tmp_path / "t.pdf", pages)
    [t] = extract_tables(load_pdf(path).pages)
    assert (t.id, t.pages, t.header, t.rows) == ("body-1", [1, 2], [LONG[0]], LONG[1:])
    doc = process_pdf(path)
    assert [(t.pages, t.rows) for t in doc.tables] == [([1, 2], LONG[1:])]
    body = "".join(p.text for p in doc.paragraphs)
    assert LONG[-1][0] not in body and PROSE[:10] in body


@pytest.mark.parametrize("below", [False, True])
@pytest.mark.parametrize("repeat", [True, False])
@pytest.mark.parametrize("tail", [1, 2])
def test_a_short_tail_with_no_rules_joins_its_table(tmp_path: Path, tail: int, repeat: bool, below: bool) -> None:
    """One or two rows over the break are too few to read as a table on their own, but the head
    piece's columns and nothing but furniture between are the evidence: they join it."""
    pages, fit = _across(repeat, below=below, tail=tail)
    path = _draw_pages(tmp_path / "t.pdf", pages)
    [t] = extract_tables(load_pdf(path).pages)
    assert (t.pages, t.header, t.rows) == ([1, 2], [LONG[0]], LONG[1 : fit + 1 + tail])
    body = "".join(p.text for p in process_pdf(path).paragraphs)
    assert LONG[fit + tail][0] not in body


def test_rows_at_the_top_of_a_page_in_other_columns_are_no_continuation(tmp_path: Path) -> None:
    """Columns that do not agree (beyond the stitching tolerance): not the same table, and rows
    with no caption stay body text."""
    shifted = [XS[0], XS[1] + 60, XS[2] + 60, XS[3] + 60, XS[4] + 20]
    pages, fit = _across(False, shifted)
    got = extract_tables(load_pdf(_draw_pages(tmp_path / "t.pdf", pages)).pages)
    assert [(t.id, t.pages, len(t.rows)) for t in got] == [("body-1", [1], fit)]


@pytest.mark.parametrize("below", [False, True])
def test_rows_parted_by_text_from_the_break_are_no_continuation(tmp_path: Path, below: bool) -> None:
    """Text under the rows on page 1: the table (or the rows) ended there, whatever page 2 opens with."""
    pages, fit = _across(False, below=below, text_under=True)
    got = extract_tables(load_pdf(_draw_pages(tmp_path / "t.pdf", pages)).pages)
    assert [(t.id, t.pages) for t in got] == [("body-1", [2] if below else [1])]
    assert below or len(got[0].rows) == fit


@pytest.mark.parametrize("case", ["prose", "toc", "two-columns", "roster"])
def test_what_opens_the_next_page_is_no_continuation_unless_rows(tmp_path: Path, case: str) -> None:
    """A table with no rules fills its page; the next page opens with prose, a TOC, two columns of
    prose or a roster: the table keeps its page, that text stays out of tables."""
    pages, fit = _across(False)
    opening = [it for it in _negative(case) if not it[2].startswith("表 1")]
    shift = 72 - min(top for _, top, _ in opening)
    pages[1] = [(x, top + shift, text) for x, top, text in opening]
    path = _draw_pages(tmp_path / "t.pdf", pages)
    got = extract_tables(load_pdf(path).pages)
    assert [(t.id, t.pages, len(t.rows)) for t in got] == [("body-1", [1], fit)]
    layout = build_layout(load_pdf(path))
    assert [len(pl.tables) for pl in layout.pages] == [1, 0, 0, 0]
    assert not any(ln.in_table for ln in layout.pages[1].lines)
