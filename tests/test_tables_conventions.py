"""Tables laid out by other colleges' conventions (tests/pdfgen_conventions.py): each flag alone and
in combination, on several page styles, must give the exact grids, captions, pages and ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib import colors
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle

from pipeline.layout import build_layout
from pipeline.load import Char, load_pdf
from pipeline.model import BBox, Document, Table
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.tables import attach_tables, extract_tables
from pipeline.tables.parts import Cell, PageTable
from pipeline.tables.stitch import stitch

from .pdfgen_conventions import BULLETIN, BuiltTables, Conventions, ExpectedTable, build_conventions
from .pdfgen_report import STYLES
from .pdfgen_tables import build, caption, cells, draw_pages, gap, para, three_line_table
from .table_score import score_tables

FLAGS = (
    "caption_below",
    "three_line_repeat",
    "three_line_plain",
    "framed_unruled",
    "merged_cut",
    "landscape_annex",
    "caption_across_break",
    "units_header_repeat",
    "borderless",
    "borderless_across",
    "three_row_header",
    "side_by_side",
    "hidden_duplicate",
)
EVERY = ",".join(FLAGS)
TABLE_FLAGS = ",".join(f for f in FLAGS if f not in ("caption_below", "caption_across_break"))


def _built(tmp_path: Path, flags: str, style: str = "classic") -> BuiltTables:
    conv = Conventions.of(*[f for f in flags.split(",") if f])
    return build_conventions(tmp_path / f"{style}-{flags.replace(',', '+') or 'base'}.pdf", conv, STYLES[style])


def _spans(t: Table) -> set[tuple[str, int, int, int, int]]:
    return {(s.part, s.row, s.col, s.rowspan, s.colspan) for s in t.spans}


def assert_exact(got: list[Table], expected: list[ExpectedTable]) -> None:
    """The scorer's figures first (readable when they fail), then every field exactly."""
    score = score_tables(got, expected)
    assert score.perfect, score.report()
    assert [(t.id, t.number, t.caption, t.pages) for t in got] == [
        (e.id, e.number, e.caption, e.pages) for e in expected
    ]
    for t, e in zip(got, expected, strict=True):
        assert t.header == e.header, t.id
        assert t.rows == e.rows, t.id
        assert _spans(t) == e.spans, t.id


def test_the_generator_prints_what_each_flag_says(tmp_path: Path) -> None:
    """Every crossing table really crosses (the annex over three landscape pages), captions sit on
    the flagged side, and the flags add their tables."""
    built = _built(tmp_path, EVERY)
    by_caption = {e.caption: e for e in built.tables}
    assert len(by_caption["合作企业分布及产值"].pages) == 2
    assert len(by_caption["各专业在校生人数"].pages) == 2
    assert len(by_caption["学生资助情况"].pages) == 2
    plain = by_caption["社会培训开展情况"]
    assert len(plain.pages) == 2
    after = load_pdf(built.path).pages[plain.pages[1] - 1]
    long_rules = [r for r in after.rules if r.horizontal and abs(r.x1 - r.x0 - 380) < 1]  # the table is 380 wide
    assert len(long_rules) == 1, "after the break the plain three-line table keeps only its bottom rule"
    annex = by_caption["学生反馈表"]
    assert len(annex.pages) == 3
    pages = load_pdf(built.path).pages
    assert all(pages[n - 1].width > pages[n - 1].height for n in annex.pages)
    assert pages[0].width < pages[0].height
    assert _caption_sides(built) == ["below"] * (len(built.tables) - 4) == ["below"] * 10  # the 4 with no rules aside
    assert len(by_caption["分项收支情况"].pages) == 2  # the table with no rules over a page break
    assert _caption_sides(_built(tmp_path, TABLE_FLAGS)) == ["above"] * 10
    left, right = by_caption["盈利预测"], by_caption["估值指标"]  # side by side: one page, captions on one line
    assert left.pages == right.pages
    page = pages[left.pages[0] - 1]
    line = next(ln for ln in _char_lines(page.chars) if "盈利预测" in ln)
    assert "估值指标" in line
    assert len(by_caption["专利申请人构成"].header) == 3
    hidden = pages[by_caption["分地区增长情况"].pages[0] - 1]
    text = "".join(c.text for c in hidden.chars)
    assert all(n in text for n in ("4.6", "29.5", "11.3")), "the text layer holds the unseen numbers"
    assert {c.render_mode for c in hidden.chars} >= {0, 3} and "#ffffff" in {c.fill for c in hidden.chars}
    bare = by_caption["主要财务指标"]  # the table with no rules: none near its caption, on either side
    (page,) = [pages[n - 1] for n in bare.pages]
    text = "".join(c.text for c in page.chars)
    cap = page.chars[text.index(f"表 {bare.number}：")]
    assert not [r for r in page.rules if abs(r.top - cap.top) < 12 * page.height / 100]
    base = _built(tmp_path, "").tables
    assert [(e.id, len(e.pages)) for e in base] == [("body-1", 1), ("body-2", 2)]
    for flags, side in (("caption_across_break", "above"), ("caption_across_break,caption_below", "below")):
        parted = _built(tmp_path, flags)
        table = parted.tables[1]
        page = table.pages[0] - 1 if side == "above" else table.pages[-1] + 1
        text = "".join(c.text for c in load_pdf(parted.path).pages[page - 1].chars)
        assert f"表 2：{table.caption}" in text, f"the caption {side} is not on page {page}"


def _char_lines(chars: list[Char]) -> list[str]:
    """The page's text by glyph top, one string per line."""
    tops: dict[float, list[Char]] = {}
    for c in chars:
        tops.setdefault(round(c.top), []).append(c)
    return ["".join(c.text for c in sorted(cs, key=lambda c: c.x0)) for _, cs in sorted(tops.items())]


def _caption_sides(built: BuiltTables) -> list[str]:
    """For each printed caption of a ruled table (a rule within 60 pt), the side of it where the
    nearest table rule lies, from the PDF alone."""
    sides = []
    for p in load_pdf(built.path).pages:
        starts = [
            c for c, nxt in zip(p.chars, p.chars[1:], strict=False) if c.text == "表" and nxt.text in " 0123456789"
        ]
        for c in starts:
            rules = [r for r in p.rules if r.horizontal and r.x0 < c.x0 < r.x1]
            above = min((c.top - r.top for r in rules if r.top < c.top), default=1e9)
            below = min((r.top - c.bottom for r in rules if r.top > c.bottom), default=1e9)
            if min(above, below) < 60:
                sides.append("below" if above < below else "above")
    return sides


@pytest.mark.parametrize("flag", [*FLAGS, "short_tails"])
def test_each_convention_alone_gives_the_exact_tables(tmp_path: Path, flag: str) -> None:
    built = _built(tmp_path, flag)
    assert_exact(extract_tables(load_pdf(built.path).pages), built.tables)


@pytest.mark.parametrize(
    ("flags", "style"),
    [
        *((flags, style) for style in STYLES for flags in (EVERY, TABLE_FLAGS)),
        ("caption_below,three_line_repeat", "b5-unbold"),
        ("caption_below,merged_cut", "letter"),
        ("framed_unruled,landscape_annex", "plain"),
        ("caption_below,framed_unruled,framed_closed", "dashed"),
        ("caption_across_break,caption_below,three_line_repeat", "letter"),
        ("caption_across_break,merged_cut", "b5-unbold"),
        # one or two rows after each break: the piece before the break is the evidence they join
        (f"short_tails,{TABLE_FLAGS}", "b5-unbold"),
        (f"short_tails,{EVERY}", "classic"),
        ("short_tails,caption_below,three_line_plain,borderless_across,framed_unruled", "letter"),
        ("short_tails,caption_across_break,caption_below,rotated_annex", "dashed"),
    ],
)
def test_conventions_combined_give_the_exact_tables(tmp_path: Path, flags: str, style: str) -> None:
    built = _built(tmp_path, flags, style)
    assert_exact(extract_tables(load_pdf(built.path).pages), built.tables)


TURNED = ("rotated_annex", "sideways_annex")  # the landscape annex in portrait boxes: /Rotate 90, or drawn turned


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize("flag", TURNED)
def test_an_annex_turned_in_portrait_boxes_reads_as_landscape(tmp_path: Path, flag: str, reader: str) -> None:
    """Both readers give the annex pages as they read: landscape width and height, upright text,
    and the table over three of them stitched exactly (drawn turned, it came out empty, then OCR'd)."""
    built = _built(tmp_path, flag)
    annex = next(e for e in built.tables if e.id.startswith("annex"))
    assert len(annex.pages) == 3
    pages = load_pdf(built.path, reader=reader).pages
    boxes = _media_boxes(built.path)
    assert all(boxes[n - 1][0] < boxes[n - 1][1] for n in annex.pages), "printed in portrait boxes"
    assert all(pages[n - 1].width > pages[n - 1].height for n in annex.pages)
    assert not any(c.ocr for p in pages for c in p.chars)
    assert_exact(extract_tables(pages), built.tables)


def _media_boxes(path: Path) -> list[tuple[float, float]]:
    """Each page's MediaBox width and height, as stored (before /Rotate)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [(r - left, t - b) for left, b, r, t in (doc[i].get_mediabox() for i in range(len(doc)))]
    finally:
        doc.close()


@pytest.mark.parametrize(
    ("flags", "style"),
    [
        (EVERY.replace("landscape_annex", "sideways_annex"), "b5-unbold"),
        ("caption_below,three_line_repeat,rotated_annex", "letter"),
        ("framed_unruled,framed_closed,sideways_annex", "plain"),
    ],
)
def test_a_turned_annex_combined_gives_the_exact_tables(tmp_path: Path, flags: str, style: str) -> None:
    built = _built(tmp_path, flags, style)
    assert_exact(extract_tables(load_pdf(built.path).pages), built.tables)


def test_layout_path_gives_the_same_tables(tmp_path: Path) -> None:
    built = _built(tmp_path, EVERY, "b5-unbold")
    loaded = load_pdf(built.path)
    doc = Document(doc_id="t", pipeline_version="test", source=loaded.source)
    tables = attach_tables(doc, build_layout(loaded)).tables
    assert_exact(tables, built.tables)
    assert tables == extract_tables(loaded.pages)


def test_the_scorer_names_what_differs(tmp_path: Path) -> None:
    built = _built(tmp_path, "merged_cut")
    *others, merged = extract_tables(load_pdf(built.path).pages)
    assert merged.caption == "学生资助情况"
    cut = merged.model_copy(update={"rows": [*merged.rows[:5], ["x", *merged.rows[5][1:]], *merged.rows[6:]]})
    score = score_tables([*others, cut], built.tables)
    assert (score.recall, score.precision, score.page_accuracy) == (1.0, 1.0, 1.0)
    assert score.cell_accuracy < 1.0
    assert any("row 6" in p and "'x'" in p for p in score.problems), score.report()
    assert score_tables(others, built.tables).recall == 2 / 3


def test_a_caption_under_a_table_closes_it(tmp_path: Path) -> None:
    """Same columns at the foot of one page and the top of the next, but a caption under the first:
    two tables, each with the caption printed under it."""
    widths = [60.0, 160.0, 90.0]
    head = [["编号", "课程名称", "学时"]] + [[str(i), f"课程{i}", str(30 + i)] for i in range(1, 30)]
    nxt = [["编号", "教材名称", "册数"]] + [[str(i), f"教材{i}", str(200 + i)] for i in range(1, 6)]
    page1 = [(72.0, "学院持续推进课程建设。"), (100.0, widths, head), (704.0, "表 1：课程开设情况")]
    page2 = [(72.0, widths, nxt), (200.0, "表 2：教材选用情况"), (240.0, "学院持续推进教材建设。")]
    tables = extract_tables(load_pdf(draw_pages(tmp_path / "t.pdf", [page1, page2])).pages)
    assert [(t.id, t.caption, t.pages, len(t.rows)) for t in tables] == [
        ("body-1", "课程开设情况", [1], 29),
        ("body-2", "教材选用情况", [2], 5),
    ]


def _piece(page: int, labels: list[tuple[str, int]], top: float) -> PageTable:
    """A two-column ruled piece: (label, rows it spans) in column 0, one item per row in column 1."""
    xs = [100.0, 200.0, 400.0]
    n = sum(span for _, span in labels)
    ys = [top + 20.0 * k for k in range(n + 1)]
    cells, row = [], 0
    for text, span in labels:
        cells.append(Cell(row, 0, span, 1, text, BBox(x0=100, top=ys[row], x1=200, bottom=ys[row + span])))
        for k in range(span):
            r = row + k
            cells.append(Cell(r, 1, 1, 1, f"事项{page}-{r}", BBox(x0=200, top=ys[r], x1=400, bottom=ys[r + 1])))
        row += span
    box = BBox(x0=100, top=ys[0], x1=400, bottom=ys[-1])
    return PageTable(page, box, xs, ys, sorted(cells, key=lambda c: (c.row, c.col)), 0, "grid", 1.0)


@pytest.mark.parametrize(
    ("labels", "after", "joined"),
    [
        (["（一）予以公开", "（二）部分公开", "（三）无"], "法提供", True),
        (["（一）予以公开", "（二）部分公开", "（三）无法提供"], "（四）不予处理", False),
        (["工业", "商业", "建筑"], "业", False),  # labels that are not numbered items: a new group
    ],
)
def test_a_numbered_group_label_cut_by_the_break_is_rejoined(labels: list[str], after: str, joined: bool) -> None:
    first = _piece(1, [(labels[0], 2), (labels[1], 2), (labels[2], 1)], 100.0)
    second = _piece(2, [(after, 2), ("（九）其他", 1)], 72.0)
    [st] = stitch([[first, second]], [DEFAULT_SETTINGS.tables.stitch_edge_tol * 595])
    column = [row[0] for row in st.texts()]
    if joined:
        assert column[4:7] == [labels[2] + after] * 3
    else:
        assert column[4:7] == [labels[2], after, after]


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_column_edges_agree_within_a_share_of_the_page_width(tmp_path: Path, scale: float) -> None:
    """A piece whose inner column edges sit 9 units (1.5 % of the page width) off is another table;
    with a tolerance of 2 % of the page width it continues the first, at any page size."""
    head = [["编号", "课程名称", "学时"]] + [[str(i), f"课程{i}", str(30 + i)] for i in range(1, 30)]
    tail = [[str(i), f"课程{i}", str(30 + i)] for i in range(30, 36)]
    page1 = [(72.0, "学院持续推进课程建设。"), (100.0, [60.0, 160.0, 90.0], head)]
    page2 = [(72.0, [69.0, 160.0, 81.0], tail), (220.0, "学院持续推进教材建设。")]
    pages = load_pdf(draw_pages(tmp_path / f"t{scale}.pdf", [page1, page2], scale=scale)).pages
    share = 9.0 / pages[0].width * scale
    assert DEFAULT_SETTINGS.tables.stitch_edge_tol < share < 0.02
    assert [t.pages for t in extract_tables(pages)] == [[1], [2]]
    loose = Settings.from_mapping({"tables": {"stitch_edge_tol": 0.02}})
    [t] = extract_tables(pages, settings=loose)
    assert (t.pages, len(t.rows)) == ([1, 2], 35)


@pytest.mark.parametrize("ruling", ["three_line", "framed"])
def test_a_wrapped_cell_in_unruled_rows_stays_one_row(tmp_path: Path, ruling: str) -> None:
    """Rows read from text lines: a cell wrapped onto a second line (closer than rows stand apart,
    other columns empty there) is one row, in a three-line table and in a frame with column rules."""
    rows = [["项目", "数量（个）", "占比（%）"]] + [[f"项目{i}", str(10 + i), f"{i * 1.5:.1f}"] for i in range(1, 7)]
    rows[3][0] = "国家级职业教育教师教学创新团队与技能大师工作室建设项目"
    widths = [140.0, 100.0, 100.0]
    if ruling == "three_line":
        table = three_line_table(rows, widths)
    else:
        table = PdfTable(cells(rows), colWidths=widths)
        frame = [("BOX", (0, 0), (-1, -1), 0.75, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]
        table.setStyle(TableStyle([*frame, ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.black)]))
    story = [
        para("学院持续推进专业建设。"),
        gap(),
        caption("表 3：建设项目"),
        table,
        gap(),
        para("学院持续推进专业建设。"),
    ]
    [t] = extract_tables(load_pdf(build(tmp_path / "t.pdf", story)).pages)
    assert (t.header, t.rows) == ([rows[0]], rows[1:])


def test_through_the_pipeline_tables_sit_in_their_sections_and_leave_the_body_text(tmp_path: Path) -> None:
    built = _built(tmp_path, EVERY, "dashed")
    doc = process_pdf(built.path)
    assert_exact(doc.tables, built.tables)
    kinds = {s.id: s.kind for s in doc.sections}
    assert [(t.kind, kinds[t.section or ""]) for t in doc.tables] == [("body", "heading")] * 13 + [("annex", "annex")]
    body = "".join(p.text for p in doc.paragraphs)
    leaked = [r[0] for e in built.tables for r in e.rows if len(r[0]) > 3 and r[0] in body]
    assert leaked == [], "table rows printed as body paragraphs"


def test_a_caption_printed_again_over_the_continuation_keeps_one_table(tmp_path: Path) -> None:
    widths = [60.0, 160.0, 90.0]
    header = ["编号", "课程名称", "学时"]
    head = [header] + [[str(i), f"课程{i}", str(30 + i)] for i in range(1, 30)]
    tail = [header] + [[str(i), f"课程{i}", str(30 + i)] for i in range(30, 36)]
    page1 = [(60.0, "学院持续推进课程建设。"), (80.0, "表 4：课程开设情况"), (100.0, widths, head)]
    page2 = [(50.0, "表 4：课程开设情况"), (72.0, widths, tail), (220.0, "学院持续推进教材建设。")]
    [t] = extract_tables(load_pdf(draw_pages(tmp_path / "t.pdf", [page1, page2])).pages)
    assert (t.id, t.caption, t.pages, t.header) == ("body-4", "课程开设情况", [1, 2], [header])
    assert t.rows == head[1:] + tail[1:]


def test_a_repeated_data_row_is_not_a_header_row(tmp_path: Path) -> None:
    """The header repeated after the break says how deep the header is, but a row of figures that
    also opens the continuation (a total printed again) stays a body row on both pages."""
    widths = [60.0, 160.0, 90.0]
    total = ["合计", "全部课程", "960"]
    head = [["编号", "课程名称", "学时"], total] + [[str(i), f"课程{i}", str(30 + i)] for i in range(1, 28)]
    tail = [["编号", "课程名称", "学时"], total] + [[str(i), f"课程{i}", str(30 + i)] for i in range(28, 32)]
    page1 = [(72.0, "学院持续推进课程建设。"), (100.0, widths, head)]
    page2 = [(72.0, widths, tail), (220.0, "学院持续推进教材建设。")]
    [t] = extract_tables(load_pdf(draw_pages(tmp_path / "t.pdf", [page1, page2])).pages)
    assert t.header == [head[0]]
    assert t.rows == head[1:] + tail[1:]


COLLEGE_WORDS = ("学院", "学生", "专业", "教学", "招生", "职业", "课程", "资助", "培养", "院校")


@pytest.mark.parametrize(
    ("flags", "style", "reader"),
    [
        (EVERY, "classic", "pdfplumber"),
        (TABLE_FLAGS, "letter", "pdfium"),
        ("caption_below,three_line_repeat,merged_cut,borderless,units_header_repeat", "b5-unbold", "pdfplumber"),
        ("framed_unruled,framed_closed,sideways_annex,three_line_plain", "dashed", "pdfium"),
        ("caption_across_break,caption_below,borderless,rotated_annex", "plain", "pdfplumber"),
    ],
)
def test_a_document_in_other_words_gives_the_exact_tables(tmp_path: Path, flags: str, style: str, reader: str) -> None:
    """A city's statistical bulletin, not a college report: other captions, headers, labels and
    paragraphs, figures with thousands separators; several conventions at once."""
    conv = Conventions.of(*flags.split(","))
    built = build_conventions(tmp_path / "bulletin.pdf", conv, STYLES[style], wording=BULLETIN)
    pages = load_pdf(built.path, reader=reader).pages
    printed = "".join(c.text for p in pages for c in p.chars)
    assert not [w for w in COLLEGE_WORDS if w in printed], "the bulletin uses a college report's words"
    assert "," in "".join(c for e in built.tables for r in e.rows for c in r)
    # without sections an annex table is known by the national template's table names only: the
    # bulletin's annex table is a body table here (through the pipeline, its 【附件】 section makes it one)
    expected = [replace(e, id=e.id.replace("annex-", "body-")) for e in built.tables]
    assert_exact(extract_tables(pages), expected)


def test_pdfium_reads_a_number_printed_over_a_white_copy(tmp_path: Path) -> None:
    """pdfium's text page drops a glyph drawn over the same glyph in white (31.8 over 29.5 read 318):
    the reader puts it back."""
    built = _built(tmp_path, "hidden_duplicate")
    assert_exact(extract_tables(load_pdf(built.path, reader="pdfium").pages), built.tables)


def test_a_document_in_other_words_through_the_pipeline(tmp_path: Path) -> None:
    built = build_conventions(tmp_path / "bulletin.pdf", Conventions.of(*EVERY.split(",")), wording=BULLETIN)
    doc = process_pdf(built.path)
    assert_exact(doc.tables, built.tables)
    body = "".join(p.text for p in doc.paragraphs)
    assert [r[0] for e in built.tables for r in e.rows if len(r[0]) > 3 and r[0] in body] == []
