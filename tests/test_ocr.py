"""Scanned pages read by OCR (pipeline/ocr/): a rasterized report reads like its text version, offline."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reportlab.platypus import PageBreak, Paragraph

from pipeline.load import Char, PageData, load_pdf, needs_ocr
from pipeline.model import Document
from pipeline.ocr import page_findings, read_scan
from pipeline.ocr.engine import TextLine, text_line
from pipeline.ocr.rules import detect_rules
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.stages import Work, run_stages, through
from tests.pdfgen import CJK_BOLD_FONT, style
from tests.pdfgen_tables import build, caption, grid_table, para

H1 = style("h1", 16, fontName=CJK_BOLD_FONT)
H2 = style("h2", 13, fontName=CJK_BOLD_FONT)
ROWS = [
    ["专业", "毕业生数", "就业率", "对口率"],
    ["机电一体化技术", "320", "96.5%", "82.1%"],
    ["软件技术", "285", "95.2%", "78.4%"],
    ["会计", "198", "93.8%", "75.0%"],
    ["护理", "410", "98.1%", "91.3%"],
    ["建筑工程技术", "156", "94.2%", "80.6%"],
]
SCAN_DPI = 200


def _report(path: Path) -> Path:
    """Two pages of a report: headings and paragraphs, then a heading, a caption and a ruled table."""
    story = [
        Paragraph("一、学校概况", H1),
        para("学校坚持立德树人根本任务，深化产教融合，推进专业群建设，人才培养质量稳步提升。" * 3),
        Paragraph("（一）办学基本情况", H2),
        para("学校现有全日制在校生一万二千余人，开设专业四十五个，教职工八百余人。" * 3),
        Paragraph("（二）办学条件", H2),
        para("学校占地面积一千二百亩，建有实训基地六十个，馆藏图书一百二十万册。" * 2),
        PageBreak(),
        Paragraph("二、学生发展", H1),
        para("毕业生就业质量持续向好，各专业就业情况见下表。"),
        caption("表1 毕业生就业情况"),
        grid_table(ROWS, [150, 90, 90, 90]),
    ]
    return build(path, story)


def _rasterize(src: Path, dst: Path, dpi: int = SCAN_DPI) -> Path:
    """An image-only copy of `src`: each page rendered (pypdfium2), in gray, as a scanner would."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    try:
        images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    images[0].save(dst, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dst


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any network use fails: the engine must read with what its wheel ships."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use during OCR: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    yield


def _document(path: Path, settings: Settings = DEFAULT_SETTINGS) -> tuple[Document, Work]:
    work = run_stages(Work(path, settings=settings), through("tables"))
    assert work.document is not None
    return work.document, work


def _headings(doc: Document) -> list[tuple[str | None, str]]:
    return [(s.number, s.title) for s in doc.sections if s.kind == "heading"]


def _cells(doc: Document) -> list[str]:
    return [c for t in doc.tables for row in [*t.header, *t.rows] for c in row]


def test_a_scanned_report_reads_like_its_text_version_offline(tmp_path: Path, offline: None) -> None:
    text_pdf = _report(tmp_path / "text.pdf")
    scan_pdf = _rasterize(text_pdf, tmp_path / "scan.pdf")
    text_doc, _ = _document(text_pdf)
    scan_doc, work = _document(scan_pdf)

    assert len(_headings(text_doc)) == 4
    assert _headings(scan_doc) == _headings(text_doc)
    expected = _cells(text_doc)
    assert len(expected) == len(ROWS) * len(ROWS[0])
    got = _cells(scan_doc)
    same = sum(a == b for a, b in zip(expected, got, strict=False))
    assert same / len(expected) >= 0.95, (expected, got)

    assert work.loaded is not None
    pages = work.loaded.pages
    assert all(p.ocr for p in pages) and all(c.ocr and 0.0 < c.confidence <= 1.0 for p in pages for c in p.chars)
    assert pages[1].rules, "the table's ruling lines come from the image"
    assert not any(p.images for p in pages), "the scan itself is no figure"
    codes = {(f.code, f.page) for f in scan_doc.findings}
    assert {("ocr_page", 1), ("ocr_page", 2)} <= codes
    assert not any(f.code == "no_text_layer" for f in scan_doc.findings)


def test_ocr_never_leaves_a_scan_unread(tmp_path: Path) -> None:
    scan_pdf = _rasterize(_report(tmp_path / "text.pdf"), tmp_path / "scan.pdf", dpi=72)
    never = Settings.from_mapping({"load": {"ocr": "never"}})
    loaded = load_pdf(scan_pdf, settings=never)
    assert not any(p.ocr or p.chars for p in loaded.pages) and not loaded.findings


def test_a_text_pdf_never_imports_the_engine(tmp_path: Path) -> None:
    text_pdf = _report(tmp_path / "text.pdf")
    code = (
        "import sys; from pipeline.load import load_pdf; pages = load_pdf(sys.argv[1]).pages;"
        "assert pages and not any(p.ocr for p in pages);"
        "bad = [m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2') if m in sys.modules]; assert not bad, bad"
    )
    run = subprocess.run([sys.executable, "-c", code, str(text_pdf)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def _page(chars: list[Char], images: list[tuple[float, float, float, float]] | None = None) -> PageData:
    return PageData(1, 600.0, 800.0, chars, images=images or [])


def _char(text: str, x0: float, top: float, size: float = 10.0) -> Char:
    return Char(text, x0, x0 + size, top, top + size, size, "SimSun", False)


def test_which_pages_need_ocr() -> None:
    scan = [(0.0, 0.0, 600.0, 800.0)]
    photo = [(100.0, 100.0, 300.0, 250.0)]
    stamp = [_char("1", 295.0, 780.0)]
    body = [_char("字", 72.0 + 10 * i, 100.0) for i in range(DEFAULT_SETTINGS.load.ocr_max_chars + 1)]
    assert needs_ocr(_page([], scan))
    assert needs_ocr(_page(stamp, scan)), "a page number printed on a scan"
    assert not needs_ocr(_page(body, scan)), "text over a background picture is the page's text"
    assert not needs_ocr(_page(stamp, photo))
    assert not needs_ocr(_page([])), "a page that draws nothing is blank"
    always = Settings.from_mapping({"load": {"ocr": "always"}})
    never = Settings.from_mapping({"load": {"ocr": "never"}})
    assert needs_ocr(_page(body), always) and not needs_ocr(_page([], scan), never)


def test_ocr_adds_only_text_off_the_text_layer_and_replaces_it_when_always() -> None:
    page = _page([_char("1", 295.0, 780.0)], [(0.0, 0.0, 600.0, 800.0)])
    image = np.full((800, 600, 3), 255, dtype=np.uint8)  # one pixel per point
    lines = [
        TextLine("学校概况", 72.0, 95.0, 112.0, 105.0, 0.99, ((72, 82), (82, 92), (92, 102), (102, 112))),
        TextLine("1", 295.0, 780.0, 305.0, 790.0, 0.97),
    ]
    auto = read_scan(page, image, lines)
    assert auto.ocr and [c.text for c in auto.chars] == ["1", "学", "校", "概", "况"]
    assert not auto.chars[0].ocr and all(c.ocr and c.confidence == 0.99 for c in auto.chars[1:])
    assert auto.chars[1].size == pytest.approx(10.0) and auto.chars[2].x0 == pytest.approx(82.0)
    assert not auto.images, "the scan is no figure once read"
    always = read_scan(page, image, lines, Settings.from_mapping({"load": {"ocr": "always"}}))
    assert [c.text for c in always.chars] == ["学", "校", "概", "况", "1"] and all(c.ocr for c in always.chars)


def test_engine_results_without_per_char_boxes_are_split_by_width() -> None:
    quad = [[100, 50], [160, 50], [160, 70], [100, 70]]
    line = text_line([quad, "表1", 0.9, [quad]])  # one box for two chars: no per-char boxes
    assert line.glyphs == () and (line.x0, line.top, line.x1, line.bottom) == (100, 50, 160, 70)
    from pipeline.ocr.chars import page_chars

    chars = page_chars([line], 0.5)
    assert [c.text for c in chars] == ["表", "1"]
    assert chars[0].x1 - chars[0].x0 == pytest.approx(2 * (chars[1].x1 - chars[1].x0))  # a CJK char is one em


def test_low_confidence_text_is_a_finding_with_a_sample() -> None:
    lines = [TextLine("学校概况", 0, 0, 40, 10, 0.99), TextLine("模糊不清的文字", 0, 20, 70, 30, 0.42)]
    found = {f.code: f for f in page_findings(3, lines)}
    low = found["ocr_low_confidence"]
    assert low.page == 3 and low.severity == "warning" and "模糊不清的文字" in low.message and "0.42" in low.message
    assert "ocr_low_confidence" not in {f.code for f in page_findings(3, lines[:1])}
    strict = replace(DEFAULT_SETTINGS, load=replace(DEFAULT_SETTINGS.load, ocr_min_confidence=0.999))
    assert "ocr_low_confidence" in {f.code for f in page_findings(3, lines[:1], strict)}


def test_ruling_lines_are_found_in_the_image_and_text_strokes_are_not() -> None:
    gray = np.full((400, 600), 255, dtype=np.uint8)
    for y in (100, 150, 200):
        gray[y : y + 2, 50:550] = 0  # three horizontal rules
    for x in (50, 300, 549):
        gray[100:202, x : x + 2] = 0  # three vertical rules
    gray[120:122, 80:140] = 0  # a long horizontal stroke of a glyph (一) inside a masked text box
    rules = detect_rules(gray, 0.5, 20, text=[(75.0, 110.0, 145.0, 130.0)])
    horizontal = sorted(r.top for r in rules if r.horizontal)
    vertical = sorted(r.x0 for r in rules if not r.horizontal)
    assert horizontal == pytest.approx([50.5, 75.5, 100.5], abs=0.6)
    assert vertical == pytest.approx([25.5, 150.5, 275.0], abs=0.6)
    assert all(r.x1 - r.x0 == pytest.approx(250.0, abs=1.0) for r in rules if r.horizontal)


def test_pages_stream_one_at_a_time_and_a_window_of_one_reads_the_same(tmp_path: Path) -> None:
    from pipeline.load import iter_pages

    text_pdf = _report(tmp_path / "text.pdf")
    whole = load_pdf(text_pdf).pages
    stream = iter_pages(text_pdf)
    first = next(stream)
    assert first.number == 1 and first.chars == whole[0].chars  # a page is ready before the next is read
    narrow = Settings.from_mapping({"load": {"page_window": 1}})  # pdfminer's caches emptied after every page
    assert [p.chars for p in iter_pages(text_pdf, settings=narrow)] == [p.chars for p in whole]
    assert [p.rules for p in iter_pages(text_pdf, reader="pdfium", settings=narrow)] == [
        p.rules for p in load_pdf(text_pdf, reader="pdfium").pages
    ]
