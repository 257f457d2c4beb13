"""Issue 10's remaining rules, each on a small generated PDF: field spaces inside a line, a heading
at the end of a paragraph's last line, framed paragraphs, and the numbering sequence as evidence."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pdfplumber
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from pipeline.layout import build_layout
from pipeline.load import load_pdf
from pipeline.model import Document
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.text import is_cjk

from .pdfgen import CJK_FONT
from .pdfgen_layouts import SECOND_SCHOOL, fill_last_line, second_text
from .pdfgen_report import STYLES, Block, BuiltReport, Para, ReportSpec, Trailing, build_report, h1, h2, standard_spec
from .test_structure_synthetic import shape

SIZE = 12.0
COVER = (SECOND_SCHOOL, "职业教育质量年度报告（2024）", "二〇二四年一月")
CJK_SPACE_CJK = r"[\u4e00-\u9fff，。、：；] [\u4e00-\u9fff，。、：；]"


def _texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _fields_pdf(path: Path, gap_em: float) -> Path:
    """A notice's first line: two fields `gap_em` ems apart (as Word's spaces print), then text."""
    c = canvas.Canvas(str(path))
    c.setFont(CJK_FONT, SIZE)
    first = "证券代码：002594"
    c.drawString(90, 780, first)
    x = 90 + stringWidth(first, CJK_FONT, SIZE) + gap_em * SIZE
    c.drawString(x, 780, "证券简称：比亚迪")
    x += stringWidth("证券简称：比亚迪", CJK_FONT, SIZE) + gap_em * SIZE
    c.drawString(x, 780, "公告编号：2025-035")
    c.drawString(114, 740, "本公司及董事会全体成员保证信息披露的内容真实、准确、完整。")
    c.showPage()
    c.save()
    return path


def test_a_gap_of_an_em_between_fields_is_a_space(tmp_path: Path) -> None:
    doc = process_pdf(_fields_pdf(tmp_path / "fields.pdf", gap_em=2.0))
    assert "证券代码：002594 证券简称：比亚迪 公告编号：2025-035" in _texts(doc)


def test_the_field_gap_is_a_setting_of_the_line_grouping(tmp_path: Path) -> None:
    wide = Settings(layout=replace(DEFAULT_SETTINGS.layout, field_gap=3.0))
    doc = process_pdf(_fields_pdf(tmp_path / "fields.pdf", gap_em=2.0), settings=wide)
    assert "证券代码：002594 证券简称：比亚迪公告编号：2025-035" in _texts(doc)


URL = "https://www.example-college.edu.cn/report-2024"


def _widest_cjk_gap(path: Path) -> float:
    """The widest gap between two neighbouring CJK glyphs of one printed line, in ems."""
    widest = 0.0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
            for a, b in pairwise(chars):
                if round(a["top"]) == round(b["top"]) and is_cjk(a["text"]) and is_cjk(b["text"]):
                    widest = max(widest, (b["x0"] - a["x1"]) / a["size"])
    return widest


def test_justified_cjk_text_gains_no_spaces(tmp_path: Path) -> None:
    """Word-like justification stretches every gap of a line (most where a long Latin word did not
    fit on it): the paragraphs have no space between two CJK characters."""
    stretched = Para("学院质量年度报告全文及附表已在学院网站公开发布，欢迎社会各界监督查阅，网址为" + URL + "。")
    spec = standard_spec()
    spec = replace(spec, body=(*spec.body[:2], stretched, *spec.body[2:]))
    built = build_report(tmp_path / "justified.pdf", spec, STYLES["classic"])
    assert _widest_cjk_gap(built.path) > 0.3  # the print really stretches CJK gaps
    texts = _texts(process_pdf(built.path))
    spurious = [t for t in texts if re.search(CJK_SPACE_CJK, t)]
    assert any(URL in t for t in texts) and not spurious


# ---------------------------------------------------------------- the numbering sequence as evidence


def _tree(doc: Document) -> list[tuple[str, int | None, str, str, int]]:
    return [shape(s) for s in doc.sections]


def _after_a_full_last_line(tmp_path: Path, body: tuple[Block, ...], full: int) -> tuple[BuiltReport, Document]:
    """`body` printed with （一） headings in the body font and a TOC of level 1 only; body[full] is
    a paragraph whose last line (checked on the print) runs to the right edge."""
    st = replace(STYLES["classic"], plain_forms=frozenset({"sub"}))
    para = body[full]
    assert isinstance(para, Para)
    body = (*body[:full], Para(fill_last_line(para.text, st)), *body[full + 1 :])
    spec = ReportSpec(cover_lines=COVER, body=body, toc_levels=1)
    built = build_report(tmp_path / "full-last-line.pdf", spec, st)
    doc = process_pdf(built.path)
    printed = [p for p in doc.paragraphs if p.text == body[full].text]  # type: ignore[union-attr]
    assert printed and printed[0].provenance[-1].bbox is not None
    assert printed[0].provenance[-1].bbox.x1 > 595 - 90 - 2 * SIZE  # its last line reaches the edge
    return built, doc


def test_a_body_font_heading_after_a_full_last_line_follows_its_sibling(tmp_path: Path) -> None:
    """（二） in the body font, short, right under a paragraph whose last line ran to the edge ending
    a sentence, and not in the TOC: its following （一） under the same parent makes it a heading."""
    body = (
        h1("一", "学生发展"),
        h2("一", "招生工作"),
        Para(second_text(1, 3)),
        h2("二", "就业工作"),
        Para(second_text(2, 2)),
        h1("二", "服务贡献"),
        Para(second_text(3, 2)),
    )
    built, doc = _after_a_full_last_line(tmp_path, body, 2)
    assert _tree(doc) == [shape(e) for e in built.expected_sections()]


def test_a_numbered_line_that_breaks_the_sequence_stays_text(tmp_path: Path) -> None:
    """Short lines （一）…/（二）… in the body font, standing alone under the open （二） heading,
    break its sequence: they are items of a list in running text, not headings."""
    body = (
        h1("一", "学生发展"),
        h2("一", "招生工作"),
        Para(second_text(1, 2)),
        h2("二", "学籍管理"),
        Para("学院修订的管理办法分为以下几项："),
        Para("（一）学籍异动管理规定"),
        Para("（二）学生奖惩管理规定"),
        Para(second_text(2, 2)),
        h1("二", "服务贡献"),
        Para(second_text(3, 2)),
    )
    spec = ReportSpec(cover_lines=COVER, body=body)
    built = build_report(tmp_path / "break.pdf", spec, STYLES["classic"])
    doc = process_pdf(built.path)
    assert _tree(doc) == [shape(e) for e in built.expected_sections()]
    assert "（一）学籍异动管理规定" in _texts(doc)


def test_a_body_font_first_child_after_a_full_last_line_is_a_heading_when_its_sibling_follows(tmp_path: Path) -> None:
    """（一） in the body font right under a paragraph that ran to the edge ending a sentence, not in
    the TOC: the （二） that follows under the same parent makes it the first of a sequence."""
    body = (
        h1("一", "学生发展"),
        Para(second_text(4, 3)),
        h2("一", "招生工作"),
        Para(second_text(5, 2)),
        h2("二", "就业工作"),
        Para(second_text(6, 2)),
        h1("二", "服务贡献"),
        Para(second_text(7, 2)),
    )
    built, doc = _after_a_full_last_line(tmp_path, body, 1)
    assert _tree(doc) == [shape(e) for e in built.expected_sections()]


# ---------------------------------------------------------------- a heading at the end of a line


def _trailing_report(tmp_path: Path, in_toc: bool) -> tuple[BuiltReport, Document]:
    """（二） printed right after "…信息披露" (no sentence end) on the paragraph's last line; the
    TOC lists it or not."""
    head = h2("二", "承诺及或有事项")
    body = (
        h1("一", "财务信息"),
        h2("一", "会计政策"),
        Trailing(Para("会计政策未发生变更，已在附注中信息披露"), head),
        Para(second_text(8, 2)),
        h1("二", "服务贡献"),
        Para(second_text(9, 2)),
    )
    omit = frozenset() if in_toc else frozenset({head.printed})
    spec = ReportSpec(cover_lines=COVER, body=body, toc_omit=omit)
    built = build_report(tmp_path / f"trailing-{in_toc}.pdf", spec, STYLES["classic"])
    return built, process_pdf(built.path)


def test_a_heading_ending_a_line_with_the_toc_and_the_sequence_for_it_opens_its_section(tmp_path: Path) -> None:
    built, doc = _trailing_report(tmp_path, in_toc=True)
    assert _tree(doc) == [shape(e) for e in built.expected_sections()]
    assert "会计政策未发生变更，已在附注中信息披露" in _texts(doc)


def test_a_numbering_ending_a_line_with_only_the_sequence_for_it_stays_text(tmp_path: Path) -> None:
    """One vote (the sequence) is not enough: no TOC entry, no sentence ended before it."""
    _, doc = _trailing_report(tmp_path, in_toc=False)
    assert "承诺及或有事项" not in [s.title for s in doc.sections]
    assert any(t.endswith("信息披露（二）承诺及或有事项") for t in _texts(doc))


def _open_box_pdf(path: Path) -> Path:
    """A bordered box broken over two pages, as a word processor draws it: page 1 a top rule and two
    sides running to the page's foot, page 2 two sides from the page's head down to a bottom rule."""
    c = canvas.Canvas(str(path))
    x0, x1 = 90.0, 505.0
    c.setFont(CJK_FONT, SIZE)
    c.drawString(114, 780, "学校坚持以习近平新时代中国特色社会主义思想为指导。")
    c.line(x0, 200, x1, 200)  # page 1: open at the bottom
    c.line(x0, 200, x0, 80)
    c.line(x1, 200, x1, 80)
    c.drawString(100, 180, "案例 1：文艺骨干的“摇篮”")
    c.showPage()
    c.setFont(CJK_FONT, SIZE)
    c.line(x0, 780, x0, 700)  # page 2: open at the top
    c.line(x1, 780, x1, 700)
    c.line(x0, 700, x1, 700)
    c.drawString(114, 760, "艺术团年均演出三十余场。")
    c.drawString(114, 650, "案例之后的段落回到本节。")
    c.showPage()
    c.save()
    return path


def test_a_bordered_box_broken_over_a_page_is_a_box_on_both_pages(tmp_path: Path) -> None:
    layout = build_layout(load_pdf(_open_box_pdf(tmp_path / "open-box.pdf")))
    boxed = {(ln.page, ln.text.strip()[:4]) for p in layout.pages for ln in p.lines if ln.box is not None}
    assert boxed == {(1, "案例 1"), (2, "艺术团年")}  # the lines outside the box stay outside
