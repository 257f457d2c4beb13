"""Glyph records set aside (pipeline/charpack.py): read back exactly, and not held in memory after
load and layout, so a long document's memory does not grow with its glyphs (bench/bench_memory.py)."""

from __future__ import annotations

import gc
import pickle
from dataclasses import fields, replace
from pathlib import Path

import pytest
from reportlab.platypus import PageBreak, Paragraph

from pipeline.charpack import CharSpill, char_count, has_ink, set_aside, unpacked, values, with_rows
from pipeline.layout import build_layout
from pipeline.lines import group_lines
from pipeline.load import Char, LoadedPdf, PageData, iter_pages, load_pdf

from .pdfgen import build_pdf, style


def _chars() -> list[Char]:
    return [
        Char("学", 72.123456789, 84.1, 100.0 / 3, 112.5, 12.0, "SimSun", False),
        Char(" ", 84.1, 87.0, 100.0 / 3, 112.5, 12.0, "SimSun", False, seq=7),
        Char("fi", 87.0, 93.3, 100.25, 112.5, 11.99, "Times-Bold", True, True, "#ff0000", 2, 9, True),
        Char("校", 93.3, 105.3, 101.0, 113.0, 12.0, "黑体", True, ocr=True, confidence=0.875, turn=1),
    ]


def _alive_chars() -> int:
    gc.collect()
    return sum(isinstance(o, Char) for o in gc.get_objects())


def test_a_set_aside_page_reads_back_its_glyphs_exactly() -> None:
    chars = _chars()
    page = PageData(3, 595.3, 841.9, chars=list(chars))
    kept = replace(page, chars=list(chars))
    spill = CharSpill()
    assert spill.release(page) is page
    assert page.chars == chars and page == kept and repr(page) == repr(kept)
    assert char_count(page) == len(chars)
    assert page.chars is not page.chars, "each access reads the records back"
    again = pickle.loads(pickle.dumps(page))
    assert again == kept and type(again.chars) is list
    plain = unpacked(page)
    assert plain.chars is plain.chars and plain.chars == chars, "a working copy holds a plain list"


@pytest.mark.parametrize("texts", [["学", " "], [" ", "\u3000", "\t"], [], ["\n", "x"]])
def test_ink_is_noted_as_the_glyphs_are_set_aside(texts: list[str]) -> None:
    chars = [replace(_chars()[0], text=t) for t in texts]
    page = PageData(1, 100.0, 100.0, chars=list(chars))
    expected = any(c.text.strip() for c in chars)
    assert has_ink(page) is expected and not set_aside(page)
    CharSpill().release(page)
    assert set_aside(page) and not set_aside(unpacked(page))
    assert has_ink(page) is expected and has_ink(unpacked(page)) is expected


def test_set_aside_lines_keep_their_text_and_glyphs() -> None:
    lines = group_lines(1, _chars())
    texts = [(ln.text, ln.x0, ln.x1, ln.size, ln.bold, ln.gaps) for ln in lines]
    glyphs = [ln.chars for ln in lines]
    spill = CharSpill()
    for ln in lines:
        spill.release(ln)
    assert [(ln.text, ln.x0, ln.x1, ln.size, ln.bold, ln.gaps) for ln in lines] == texts
    assert [ln.chars for ln in lines] == glyphs
    head = replace(lines[0], chars=glyphs[0][:1])
    assert head.chars == glyphs[0][:1] and char_count(head) == 1


def _rows(chars: list[Char]) -> list[tuple[object, ...]]:
    return [tuple(getattr(c, f.name) for f in fields(Char)) for c in chars]


@pytest.mark.parametrize("form", ["list", "rows", "set aside", "rows set aside"])
def test_a_page_reads_the_same_whatever_holds_its_glyphs(form: str) -> None:
    chars = _chars()
    page = PageData(3, 595.3, 841.9, chars=list(chars))
    if form.startswith("rows"):
        page = with_rows(PageData(3, 595.3, 841.9), _rows(chars))
    if form.endswith("set aside"):
        CharSpill().release(page)
    before = _alive_chars()
    assert values(page, "text", "turn") == [(c.text, c.turn) for c in chars]
    assert values(page, "seq") == [(c.seq,) for c in chars]
    assert char_count(page) == len(chars) and has_ink(page)
    assert _alive_chars() == before, "read without making the glyphs into records"
    assert (page.chars == chars and page.chars is not page.chars) or form == "list"
    assert pickle.loads(pickle.dumps(page)) == PageData(3, 595.3, 841.9, chars=list(chars))


def test_a_page_handed_over_as_rows_is_set_aside_as_the_records_would_be() -> None:
    chars = _chars()
    spill = CharSpill()
    as_rows = spill.release(with_rows(PageData(1, 100.0, 100.0), _rows(chars)))
    as_records = spill.release(PageData(1, 100.0, 100.0, chars=list(chars)))
    assert set_aside(as_rows) and as_rows.chars == as_records.chars == chars
    assert has_ink(as_rows) and char_count(as_rows) == len(chars)
    assert not has_ink(with_rows(PageData(1, 1.0, 1.0), [_rows(chars)[1]])), "a space is no ink"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = style("body", 12, indent=24)
    story = []
    for n in range(1, 5):
        story += [Paragraph(f"第{n}页的正文，" + "学校坚持立德树人，深化产教融合。" * 12, body), PageBreak()]
    return build_pdf(tmp_path_factory.mktemp("charpack") / "report.pdf", story)


def test_load_and_layout_hold_no_glyph_records(report: Path) -> None:
    plain = [unpacked(p) for p in iter_pages(report)]  # the records made (a reader may hand over rows)
    loaded = load_pdf(report)
    assert _alive_chars() >= sum(len(p.chars) for p in plain) > 0, "the plain pages hold theirs"
    direct = build_layout(LoadedPdf(loaded.source, plain))
    del plain
    before = _alive_chars()
    assert before > 0
    layout = build_layout(loaded)
    assert [p.chars for p in loaded.pages] == [p.chars for p in direct.loaded.pages]
    assert _alive_chars() == before, "the set-aside load and its layout add no glyph records"
    for got, want in zip(layout.pages, direct.pages, strict=True):
        assert [(ln.text, ln.bbox, ln.chars) for ln in got.lines] == [(ln.text, ln.bbox, ln.chars) for ln in want.lines]
        assert (got.layer, got.page_label, got.furniture) == (want.layer, want.page_label, want.furniture)
    assert layout.body_size == direct.body_size and layout.running_header == direct.running_header
    del direct
    assert _alive_chars() == 0, "what remains holds its glyphs set aside"
    assert any(ln.chars for p in layout.pages for ln in p.lines)
