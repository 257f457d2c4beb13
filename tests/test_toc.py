"""TOC entries: dot leaders, wrapped titles, printed labels mapped to physical pages, cross-check."""

from __future__ import annotations

from pipeline.layout import Line
from pipeline.model import Section
from pipeline.toc import cross_check, infer_page, label_to_page, parse_entries, toc_entries


def line(text: str, x0: float = 90.0, page: int = 3, top: float = 100.0) -> Line:
    return Line(page=page, x0=x0, x1=500.0, top=top, bottom=top + 12, text=text, size=12.0, bold=False)


def heading(sid: str, title: str, level: int, page: int) -> Section:
    return Section(id=sid, parent=None, kind="heading", level=level, number="", title=title, page=page, page_end=page)


def test_leader_entries_and_wrapped_title() -> None:
    lines = [
        line("学校概述" + "." * 40 + "1"),
        line("（三）产教融合：深化协同育人，打造重庆样", x0=114),
        line("本" + "." * 50 + "29", x0=114),
        line("【附件目录】质量年度报告指标……………………60"),
    ]
    got = [(title, label) for title, label, _ in parse_entries(lines)]
    assert got == [
        ("学校概述", "1"),
        ("（三）产教融合：深化协同育人，打造重庆样本", "29"),
        ("【附件目录】质量年度报告指标", "60"),
    ]


def test_labels_map_to_physical_pages_with_offset_where_unprinted() -> None:
    labels = [None, None, None, None, "1", "2", None, "4"]
    assert label_to_page(labels) == {"1": 5, "2": 6, "4": 8}
    assert infer_page("3", label_to_page(labels), labels) == 7  # page 7 printed no number
    assert infer_page("99", label_to_page(labels), labels) is None


def test_toc_levels_come_from_indentation_and_numbering_is_split() -> None:
    lines = [line("一、学生发展" + "." * 30 + "3"), line("（一）立德树人" + "." * 30 + "3", x0=114)]
    labels = [None, None, None, None, "1", "2", "3"]
    entries = toc_entries(lines, labels, [90.0, 114.0])
    assert [(e.level, e.number, e.title, e.page) for e in entries] == [
        (1, "一", "学生发展", 7),
        (2, "一", "立德树人", 7),
    ]


def test_cross_check_reports_missing_heading_unlisted_heading_and_wrong_page() -> None:
    labels = [None, None, "1", "2", "3"]
    lines = [
        line("学校概述" + "." * 30 + "1"),
        line("一、学生发展" + "." * 30 + "2"),
        line("二、不存在" + "." * 30 + "3"),
    ]
    toc = toc_entries(lines, labels, [90.0])
    sections = [
        heading("sec-0", "学校概述", 1, 3),
        heading("sec-1", "学生发展", 1, 5),
        heading("sec-2", "教学改革", 1, 5),
    ]
    findings = cross_check(toc, sections)
    codes = sorted((f.code, f.ref or "") for f in findings)
    assert codes == [("heading_not_in_toc", "sec-2"), ("toc_entry_without_heading", ""), ("toc_page_mismatch", "sec-1")]
    assert toc[0].target == "sec-0"
    assert any("二、不存在" in f.message for f in findings)
    assert {f.severity for f in findings} == {"warning"}
    assert {f.code: f.page for f in findings}["toc_page_mismatch"] == 5  # where the heading really is
