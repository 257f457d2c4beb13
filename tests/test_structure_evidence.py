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

from pipeline.model import Document
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.text import is_cjk

from .pdfgen import CJK_FONT
from .pdfgen_report import STYLES, Para, build_report, standard_spec

SIZE = 12.0
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
