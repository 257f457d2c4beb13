"""Both character sources fill the same records: pdfium agrees with pdfplumber (the reference).

Small PDFs drawn here with reportlab (CID font STSong-Light, its synthetic bold "STSong-Light,Bold")
cover CJK and Latin text with half-width digits and punctuation, spaces (one, runs, between font
changes), landscape and /Rotate pages, an offset MediaBox, rules, filled and stroked boxes and
an image; then the bad inputs and the whole pipeline on a generated report.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pipeline.errors import InputError
from pipeline.layout import build_layout
from pipeline.load import Char, LoadedPdf, PageData, load_pdf
from pipeline.model import Document
from pipeline.normalize.stage import normalize_document
from pipeline.readers import DEFAULT_READER, READERS, get_reader
from pipeline.readers.clips import text_clips
from pipeline.structure import build_structure
from pipeline.tables import attach_tables

from .pdfgen import CJK_BOLD_FONT, CJK_FONT
from .pdfgen_fonts import actual_text_pdf, scaled_spacing_pdf, type3_pdf, vertical_pdf
from .pdfgen_report import STYLES, build_variant

TOL = 0.5  # points: the agreement the benchmark measures

LINES = [
    (CJK_FONT, 12, "学校 2021 届毕业生 4930 人，就业率 96.5%（较上年+1.2）。"),
    (CJK_BOLD_FONT, 16, "一、办学基本信息"),
    (CJK_FONT, 10.5, "Quality report: ratio 1:3, rate 12.5% (2022-2023)."),
    (CJK_FONT, 12, "双  空格   三空格，末尾空格 "),
    ("Helvetica", 11, "Latin text, digits 0123456789 and ffi fl."),
]


def _text_page(c: Canvas, width: float, height: float) -> None:
    y = height - 72
    for font, size, text in LINES:
        c.setFont(font, size)
        c.drawString(72, y, text)
        y -= size * 2
    # a line switching fonts around a space: the space is a text object of its own
    t = c.beginText(72, y)
    t.setFont(CJK_FONT, 12)
    t.textOut("字体")
    t.setFont("Helvetica", 12)
    t.textOut(" ")
    t.setFont(CJK_FONT, 12)
    t.textOut("切换")
    c.drawText(t)
    # fake bold: the same line drawn again a fraction of a point to the right
    for dx in (0.0, 0.3):
        c.setFont(CJK_FONT, 14)
        c.drawString(72 + dx, y - 30, "加粗的标题")


def draw(path: Path, pages: list[Callable[[Canvas, float, float], None]], size: tuple[float, float] = A4) -> Path:
    c = Canvas(str(path), pagesize=size)
    for page in pages:
        page(c, *size)
        c.showPage()
    c.save()
    return path


def _rotated_page(c: Canvas, width: float, height: float) -> None:
    """/Rotate 90 with the content turned to read upright on screen, and one line that is not."""
    c.setPageRotation(90)
    c.saveState()
    c.translate(width, 0)
    c.rotate(90)
    c.setFont(CJK_FONT, 12)
    c.drawString(72, width - 72, "横排的附件表格页 2022 年")
    c.restoreState()
    c.setFont(CJK_FONT, 12)
    c.drawString(72, 72, "旋转后竖排的字")


def _shapes_page(c: Canvas, width: float, height: float) -> None:
    c.setLineWidth(0.5)
    c.line(72, 700, 400, 700)  # a rule
    c.line(72, 690, 72, 600)  # a vertical rule
    c.rect(100, 500, 200, 80, stroke=1, fill=0)  # a bordered box
    c.setFillGray(0.9)
    c.rect(100, 400, 200, 60, stroke=0, fill=1)  # a shaded box
    c.rect(100, 380, 300, 1.0, stroke=0, fill=1)  # a rule drawn as a thin filled rectangle
    c.setFillGray(0)
    p = c.beginPath()  # two subpaths in one path: two rules
    p.moveTo(72, 300)
    p.lineTo(300, 300)
    p.moveTo(72, 280)
    p.lineTo(300, 280)
    c.drawPath(p, stroke=1, fill=0)
    c.circle(450, 300, 20)  # a curve: neither rule nor box
    image = Image.new("RGB", (8, 6), (200, 30, 30))
    c.drawImage(ImageReader(image), 350, 600, width=120, height=90)
    c.saveState()
    c.translate(300, 150)
    c.scale(1.5, 1.5)
    c.setFont(CJK_FONT, 10)
    c.drawString(0, 0, "缩放 1.5 倍的文字 x2")
    c.restoreState()


def _offset_mediabox(path: Path) -> Path:
    """The same page with its MediaBox moved off the origin (as Acrobat's PDFMaker writes it) and a
    smaller CropBox (pdfplumber's coordinates follow the MediaBox, not the CropBox)."""
    doc = pdfium.PdfDocument(str(path))
    for i in range(len(doc)):
        page = doc[i]
        page.set_mediabox(-12, -14, 583, 828)
        page.set_cropbox(20, 30, 560, 800)
        page.close()
    out = path.with_name(path.stem + "-offset.pdf")
    doc.save(str(out))
    doc.close()
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("readers")
    text = draw(d / "text.pdf", [_text_page])
    return {
        "text": text,
        "landscape": draw(d / "landscape.pdf", [_text_page], landscape(A4)),
        "rotated": draw(d / "rotated.pdf", [_rotated_page]),
        "offset": _offset_mediabox(text),
        "shapes": draw(d / "shapes.pdf", [_shapes_page]),
    }


def both(path: Path) -> tuple[LoadedPdf, LoadedPdf]:
    return load_pdf(path, reader="pdfplumber"), load_pdf(path, reader="pdfium")


def _close(a: Char, b: Char) -> bool:
    return all(abs(x - y) <= TOL for x, y in ((a.x0, b.x0), (a.x1, b.x1), (a.top, b.top), (a.bottom, b.bottom)))


def assert_same_chars(ref: PageData, got: PageData) -> None:
    """One to one: same text, box within TOL, same font facts."""
    left = list(got.chars)
    for c in ref.chars:
        hits = [d for d in left if d.text == c.text and _close(c, d)]
        assert hits, f"page {ref.number}: no pdfium char for {c}"
        d = hits[0]
        assert (d.font, d.bold, d.italic) == (c.font, c.bold, c.italic), (c, d)
        assert d.size == pytest.approx(c.size, abs=0.02), (c, d)
        assert d.fill == c.fill, (c, d)
        left.remove(d)
    assert not left, f"page {ref.number}: pdfium chars pdfplumber has not: {left}"


# ------------------------------------------------------------------ the interface


def test_readers_are_named_and_pdfium_is_the_default(pdfs: dict[str, Path]) -> None:
    assert set(READERS) == {"pdfplumber", "pdfium"}
    assert DEFAULT_READER == "pdfium"
    assert load_pdf(pdfs["text"]).pages[0].chars == load_pdf(pdfs["text"], reader="pdfium").pages[0].chars
    assert_same_chars(load_pdf(pdfs["text"], reader="pdfplumber").pages[0], load_pdf(pdfs["text"]).pages[0])


def test_unknown_reader_is_a_clear_error(pdfs: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match=r"unknown PDF reader 'mupdf'.*pdfplumber, pdfium"):
        load_pdf(pdfs["text"], reader="mupdf")
    with pytest.raises(ValueError, match="unknown PDF reader"):
        get_reader("")


# ------------------------------------------------------------------ characters


@pytest.mark.parametrize("name", ["text", "landscape", "rotated", "offset", "shapes"])
def test_same_characters_and_boxes(pdfs: dict[str, Path], name: str) -> None:
    ref, got = both(pdfs[name])
    assert len(ref.pages) == len(got.pages)
    for a, b in zip(ref.pages, got.pages, strict=True):
        assert (b.number, b.width, b.height) == pytest.approx((a.number, a.width, a.height), abs=0.01)
        assert a.chars, "the test page has text"
        assert_same_chars(a, b)


def test_half_width_digits_punctuation_and_spaces_kept(pdfs: dict[str, Path]) -> None:
    ref, got = both(pdfs["text"])
    chars = got.pages[0].chars
    text = "".join(c.text for c in sorted(chars, key=lambda c: (round(c.top), c.x0)))
    for piece in ("2021", "96.5%", "+1.2", "1:3", "12.5%", "(2022-2023).", "双  空格   三空格"):
        assert piece in text
    spaces = [c for c in chars if c.text == " "]
    assert len(spaces) == sum(c.text == " " for c in ref.pages[0].chars) >= 9


def test_overprinted_fake_bold_kept_like_pdfplumber(pdfs: dict[str, Path]) -> None:
    """pdfium's text page drops a text object drawn again over the previous one; the reader keeps it."""
    for loaded in both(pdfs["text"]):
        assert sum(c.text == "粗" for c in loaded.pages[0].chars) == 2


def test_rotated_page_keeps_upright_text_only(pdfs: dict[str, Path]) -> None:
    """On a /Rotate page pdfplumber keeps the text that reads upright once the page is turned."""
    ref, got = both(pdfs["rotated"])
    texts = ["".join(c.text for c in loaded.pages[0].chars) for loaded in (ref, got)]
    assert texts[0] == texts[1]
    assert ("横排的附件表格页" in texts[0]) != ("旋转后竖排的字" in texts[0])


def test_offset_mediabox_moves_nothing(pdfs: dict[str, Path]) -> None:
    """pdfplumber's coordinates follow the MediaBox; pdfium reports user space: the reader converts."""
    plain = load_pdf(pdfs["text"], reader="pdfium").pages[0].chars
    offset = load_pdf(pdfs["offset"], reader="pdfium").pages[0].chars
    ref = load_pdf(pdfs["offset"], reader="pdfplumber").pages[0].chars
    assert [(c.text, round(c.x0, 1), round(c.top, 1)) for c in offset] != [
        (c.text, round(c.x0, 1), round(c.top, 1)) for c in plain
    ]
    assert {(c.text, round(c.x0), round(c.top)) for c in offset} == {(c.text, round(c.x0), round(c.top)) for c in ref}


def test_bold_from_name_and_descriptor(pdfs: dict[str, Path]) -> None:
    for loaded in both(pdfs["text"]):
        lines: dict[int, list[Char]] = {}
        for c in loaded.pages[0].chars:
            lines.setdefault(round(c.top), []).append(c)
        ink = [line for line in lines.values() if any(c.text.strip() for c in line)]
        bold = ["".join(c.text for c in line) for line in ink if all(c.bold for c in line if c.text != " ")]
        assert bold == ["一、办学基本信息"]
        assert {c.font for line in lines.values() for c in line if c.bold} == {"STSongStd-Light,Bold"}
        assert not any(c.italic for line in lines.values() for c in line)


# ------------------------------------------------------------------ rules, boxes, images


def _shape_set(items: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    return sorted(tuple(round(v, 1) if isinstance(v, float) else v for v in item) for item in items)


def test_same_rules_boxes_and_images(pdfs: dict[str, Path]) -> None:
    ref, got = both(pdfs["shapes"])
    a, b = ref.pages[0], got.pages[0]
    assert len(a.rules) >= 9 and len(a.boxes) == 2 and len(a.images) == 1  # the page has what it draws
    assert _shape_set([(r.x0, r.top, r.x1, r.bottom) for r in b.rules]) == _shape_set(
        [(r.x0, r.top, r.x1, r.bottom) for r in a.rules]
    )
    assert _shape_set([(x.x0, x.top, x.x1, x.bottom, x.fill, x.stroke) for x in b.boxes]) == _shape_set(
        [(x.x0, x.top, x.x1, x.bottom, x.fill, x.stroke) for x in a.boxes]
    )
    assert _shape_set(list(b.images)) == _shape_set(list(a.images))
    [(x0, top, x1, bottom)] = b.images
    assert (x0, top, x1, bottom) == pytest.approx((350, a.height - 690, 470, a.height - 600), abs=0.01)


def test_scaled_text_sizes(pdfs: dict[str, Path]) -> None:
    for loaded in both(pdfs["shapes"]):
        sizes = {c.size for c in loaded.pages[0].chars}
        assert sizes == {15.0}  # 10 pt drawn at 1.5x reads as 15 pt, as pdfplumber measures it


# ------------------------------------------------------------------ bad inputs


def _encrypted(path: Path) -> Path:
    c = Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    c.setFont(CJK_FONT, 12)
    c.drawString(72, 700, "加密")
    c.save()
    return path


def _damaged(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[:9] + b"\x00garbage\x00" * 20)
    return path


@pytest.mark.parametrize("kind", ["empty", "not a PDF", "damaged", "encrypted", "missing"])
def test_bad_inputs_same_reasons(tmp_path: Path, pdfs: dict[str, Path], kind: str) -> None:
    path = tmp_path / "bad.pdf"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "not a PDF":
        path.write_text("just text, no header")
    elif kind == "damaged":
        _damaged(path, pdfs["text"])
    elif kind == "encrypted":
        _encrypted(path)
    reasons = []
    for reader in READERS:
        with pytest.raises(InputError) as err:
            load_pdf(path, reader=reader)
        reasons.append(err.value.reason)
    expected = {
        "empty": "empty file (0 bytes)",
        "not a PDF": "not a PDF (no %PDF- header)",
        "encrypted": "encrypted PDF: give --password",
        "missing": "file not found",
    }
    if kind in expected:
        assert reasons == [expected[kind]] * len(READERS)
    else:  # the library's own words follow in parentheses
        assert [r.split(" (")[0] for r in reasons] == ["damaged PDF"] * len(READERS), reasons


# ------------------------------------------------------------------ the whole pipeline


def _pipeline(loaded: LoadedPdf) -> Document:
    layout = build_layout(loaded)
    return normalize_document(attach_tables(build_structure(layout), layout))


def test_pipeline_on_pdfium_reader_matches_the_reference(tmp_path: Path) -> None:
    built = build_variant(next(iter(STYLES)), tmp_path)
    ref, got = both(built.path)
    doc_ref, doc_got = _pipeline(ref), _pipeline(got)
    assert len(doc_got.sections) > 10 and doc_got.tables
    assert [(s.id, s.title, s.page, s.text) for s in doc_got.sections] == [
        (s.id, s.title, s.page, s.text) for s in doc_ref.sections
    ]
    assert [(t.id, t.header, t.rows) for t in doc_got.tables] == [(t.id, t.header, t.rows) for t in doc_ref.tables]


def test_image_bytes_are_not_needed(tmp_path: Path) -> None:
    """An image the reader cannot decode still has its box (only placement is read)."""
    buf = io.BytesIO()
    Image.new("L", (4, 4), 128).save(buf, format="PNG")
    buf.seek(0)
    path = tmp_path / "img.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 100, 100, width=40, height=40)
    c.setFont(CJK_FONT, 12)
    c.drawString(72, 700, "图")
    c.save()
    ref, got = both(path)
    assert _shape_set(list(got.pages[0].images)) == _shape_set(list(ref.pages[0].images)) != []


def test_the_load_stage_reads_with_the_reader_the_settings_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.readers.parallel
    from pipeline.process import process_pdf
    from pipeline.settings import Settings

    asked: list[str] = []
    real = pipeline.readers.parallel.get_reader  # where load's page source looks the reader up
    monkeypatch.setattr(pipeline.readers.parallel, "get_reader", lambda name: asked.append(name) or real(name))
    built = build_variant(next(iter(STYLES)), tmp_path)
    doc = process_pdf(built.path, settings=Settings.from_mapping({"load": {"reader": "pdfium"}}))
    assert asked == ["pdfium"] and doc.sections


# ------------------------------------------------------------------ font cases


@pytest.mark.parametrize("make", [scaled_spacing_pdf, vertical_pdf, type3_pdf], ids=lambda f: f.__name__)
def test_font_cases_read_alike(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    ref, got = both(make(tmp_path / "font.pdf"))
    (a,), (b,) = ref.pages, got.pages
    assert len(a.chars) >= 7, "the test page has text"
    assert_same_chars(a, b)


def test_vertical_writing_goes_down_the_page(tmp_path: Path) -> None:
    for loaded in both(vertical_pdf(tmp_path / "v.pdf")):
        column = [c for c in loaded.pages[0].chars if c.size == 14]
        assert "".join(c.text for c in column) == "竖排文字测试"
        assert len({c.x0 for c in column}) == 1 and [c.top for c in column] == sorted(c.top for c in column)


def test_type3_text_comes_from_its_tounicode_map(tmp_path: Path) -> None:
    for loaded in both(type3_pdf(tmp_path / "t3.pdf")):
        chars = loaded.pages[0].chars
        assert "".join(c.text for c in chars) == "学A学A学学A"
        assert [round(c.x1 - c.x0, 2) for c in chars[:3]] == [7.2, 6.0, 7.2]  # widths 600 and 500 at 12 pt


def test_actual_text_read_alike(tmp_path: Path) -> None:
    """Both read the glyphs drawn inside an /ActualText span, not the span's replacement text (pdfium's
    text page would give "fi" for X, 学 for 校, and "ok" once for the span's two objects)."""
    ref, got = both(actual_text_pdf(tmp_path / "a.pdf"))
    for loaded in (ref, got):
        assert "".join(c.text for c in loaded.pages[0].chars) == "XafterYZ校"
    assert_same_chars(ref.pages[0], got.pages[0])


# ------------------------------------------------------------------ how glyphs are painted


def _painted_page(c: Canvas, width: float, height: float) -> None:
    """Numbers seen and unseen (pipeline/visibility.py): one printed over a copy in render mode 3 and over a
    white one, one under a white box painted after it, one outside the clipping path."""

    def number(x: float, y: float, s: str, mode: int = 0, grey: float = 0.0) -> None:
        t = c.beginText(x, y)
        t.setFont(CJK_FONT, 9)
        t.setTextRenderMode(mode)
        t.setFillGray(grey)
        t.textOut(s)
        t.setTextRenderMode(0)  # Tr outlives the text object
        t.setFillGray(0)
        c.drawText(t)

    number(100, 700, "3.7")
    number(100, 700, "4.6", mode=3)  # the same "." at the same spot: pdfium's text page leaves it out
    number(200, 700, "29.5", grey=1.0)
    number(200, 700, "31.8")
    number(100, 660, "15.2")
    c.setFillGray(1)
    c.rect(98, 655, 40, 14, stroke=0, fill=1)  # painted over 15.2
    c.setFillGray(0)
    number(150, 660, "12.9")
    c.saveState()
    clip = c.beginPath()
    clip.rect(300, 600, 20, 10)
    c.clipPath(clip, stroke=0, fill=0)
    number(100, 620, "5.3")  # outside the clip
    c.restoreState()


def test_render_mode_clip_and_drawing_order_read_alike(tmp_path: Path) -> None:
    ref, got = both(draw(tmp_path / "painted.pdf", [_painted_page]))
    a, b = ref.pages[0], got.pages[0]
    assert_same_chars(a, b)

    def paint(page: PageData) -> list[tuple[str, int, int, bool]]:
        return sorted((c.text, round(c.x0), c.render_mode, c.clipped) for c in page.chars)

    assert paint(b) == paint(a)
    assert {c.text for c in a.chars if c.render_mode == 3} == {"4", ".", "6"}
    assert {c.text for c in a.chars if c.clipped} == {"5", ".", "3"}
    for page in (a, b):  # a glyph under the white box was drawn before it, the one beside it after
        [box] = [x for x in page.boxes if x.fill]
        under = [c for c in page.chars if c.x0 < 140 and 655 < page.height - c.bottom < 670]
        assert under and all(0 < c.seq < box.seq for c in under)
    visible = [build_layout(loaded).pages[0].layer for loaded in (ref, got)]
    assert visible[0] == visible[1]
    assert all(n in visible[0] for n in ("3.7", "31.8", "12.9")), visible[0]
    assert not any(n in visible[0] for n in ("4.6", "29.5", "15.2", "5.3")), visible[0]


# ------------------------------------------------------------------ what pdfium needed help with to agree


def _cell_clip_page(c: Canvas, width: float, height: float) -> None:
    """A table cell as a word processor draws it (byd_2025q1.pdf): clipped to the cell, its number followed
    by a space drawn on its own whose box reaches past the clip (the digits' ink stays inside)."""
    c.saveState()
    clip = c.beginPath()
    clip.rect(95, 690, 14, 20)
    c.clipPath(clip, stroke=0, fill=0)
    c.setFont(CJK_FONT, 9)
    c.drawString(100, 700, "00")
    c.drawString(100 + 2 * 4.158, 700, " ")  # a text object of its own (a run of the cell's paragraph)
    c.restoreState()


def test_clip_past_the_ink_read_alike(tmp_path: Path) -> None:
    ref, got = both(draw(tmp_path / "cell.pdf", [_cell_clip_page]))
    assert [(c.text, c.clipped) for c in ref.pages[0].chars] == [("0", False), ("0", False), (" ", True)]
    assert [(c.text, c.clipped) for c in got.pages[0].chars] == [("0", False), ("0", False), (" ", True)]


def _flipped_page(c: Canvas, width: float, height: float) -> None:
    """Content drawn top-down (y flipped by `cm`) in a font scaled by the text matrix, at two-decimal
    positions, as some converters write it (zhoukou_tjgb_2023.pdf)."""
    c.saveState()
    c.transform(1, 0, 0, -1, 0, 841.9)
    t = c.beginText()
    t.setTextTransform(0.05, 0, 0, -0.05, 72.12, 796.49)
    t.setFont(CJK_FONT, 281)  # 14.05 pt
    t.textOut("注释")
    c.drawText(t)
    c.restoreState()


def test_positions_agree_to_double_precision(tmp_path: Path) -> None:
    ref, got = both(draw(tmp_path / "flipped.pdf", [_flipped_page], (595.3, 841.9)))
    a, b = ref.pages[0].chars, got.pages[0].chars
    assert [c.text for c in a] == [c.text for c in b] == ["注", "释"]
    assert_same_chars(ref.pages[0], got.pages[0])  # within the benchmark's 0.5 pt
    edges = [[v for c in chars for v in (c.x0, c.x1, c.top, c.bottom)] for chars in (a, b)]
    assert edges[1] == pytest.approx(edges[0], abs=1e-9)


def test_clips_scan_follows_the_stream_as_pdfminer_does() -> None:
    """The clip at each string-showing operator: kept and restored with q/Q, intersected, moved by cm,
    taken at the painting operator after W; strings and inline images never read as operators; an
    operator that shows no string (a TJ of numbers only) counts no text object."""
    content = (
        b"q 10 20 100 50 re W n BT /F1 9 Tf 12 30 Td (re W n Q) Tj ET "
        b"q 2 0 0 2 5 5 cm 0 0 10 10 re W* n [(a) -250 (b)] TJ Q "
        b"BI /W 1 /H 1 ID \x00Q q\xff EI "
        b"[-250] TJ <0012> Tj Q "
        b"(x) ' 0 0 m 30 0 l 30 40 l h W S 1 2 (y) \" "
    )
    assert text_clips(content) == [
        (10.0, 20.0, 110.0, 70.0),  # the rectangle
        (10.0, 20.0, 25.0, 25.0),  # the scaled square (5..25) within the rectangle
        (10.0, 20.0, 110.0, 70.0),  # after its Q; the inline image's bytes ignored
        None,  # after the outer Q: no clip
        (0.0, 0.0, 30.0, 40.0),  # a path clip taken at its painting operator (S)
    ]
    assert text_clips(b"1 0 0 x 0 0 cm (a) Tj") is None  # an operand it cannot read: pdfium's clips stand
