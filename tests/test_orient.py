"""Pages printed sideways (pipeline/orient.py): both readers turn them to read, as a person turns the paper."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.charpack import with_rows
from pipeline.load import Char, PageData, load_pdf
from pipeline.orient import SLANTED, quarter_turn, upright_page
from pipeline.readers import READERS

from .pdfgen import CJK_FONT

TEXT = "横排附件指标表"


def _sideways(path: Path, turn: int) -> Path:
    """One A4 page whose content is drawn `turn` quarters counter-clockwise (no /Rotate), plus a
    short stamp written the other way; in the content's own frame the line starts 72 pt from the
    left, 100 pt from the top, over a rule 110 pt from the top from 72 to 300 pt."""
    w, h = A4
    c = Canvas(str(path), pagesize=A4)
    c.saveState()
    c.translate(*{1: (w, 0), 2: (w, h), 3: (0, h)}[turn])
    c.rotate(90 * turn)
    fh = w if turn % 2 else h  # the frame's height
    c.setFont(CJK_FONT, 12)
    c.drawString(72, fh - 100 - 12 * 0.88, TEXT)
    c.setLineWidth(0.5)
    c.line(72, fh - 110, 300, fh - 110)
    c.restoreState()
    c.setFont(CJK_FONT, 8)
    c.drawString(20, 20, "印")  # upright on the paper: outvoted, dropped
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("turn", [1, 2, 3])
def test_a_page_drawn_turned_reads_upright(tmp_path: Path, turn: int, reader: str) -> None:
    page = load_pdf(_sideways(tmp_path / f"t{turn}.pdf", turn), reader=reader).pages[0]
    w, h = A4
    assert (page.width, page.height) == pytest.approx((h, w) if turn % 2 else (w, h))
    assert "".join(c.text for c in sorted(page.chars, key=lambda c: c.x0)) == TEXT
    assert all(c.turn == 0 for c in page.chars)
    first = min(page.chars, key=lambda c: c.x0)
    assert first.x0 == pytest.approx(72, abs=0.5)
    assert first.top == pytest.approx(100, abs=2.5)  # the glyph box: descent and ascent as the reader makes them
    assert first.size == pytest.approx(12, abs=0.5)
    (rule,) = [r for r in page.rules if r.horizontal]
    assert (rule.x0, rule.x1, rule.top) == pytest.approx((72, 300, 110), abs=0.5)


def test_the_readers_agree_on_a_turned_page(tmp_path: Path) -> None:
    path = _sideways(tmp_path / "t1.pdf", 1)
    got = [load_pdf(path, reader=r).pages[0] for r in READERS]
    boxes = [
        [(c.text, round(c.x0, 1), round(c.top, 1), round(c.x1, 1), round(c.bottom, 1)) for c in p.chars] for p in got
    ]
    assert boxes[0] == boxes[1]


def test_quarter_turns_of_text_matrices() -> None:
    assert [quarter_turn(*m) for m in ((1, 0, 0, 1), (0, 1, -1, 0), (-1, 0, 0, -1), (0, -1, 1, 0))] == [0, 1, 2, 3]
    assert quarter_turn(1, 0, 0, -1) == SLANTED  # mirrored
    assert quarter_turn(1, 0, 0.25, 1) == 0  # italic shear
    assert quarter_turn(0.6, 0.8, -0.8, 0.6) == 1  # nearer a quarter turn than upright


def test_an_upright_page_handed_over_as_rows_comes_back_as_it_is() -> None:
    """The load stage turns pages without making a reader's rows into records (pipeline/charpack.py)."""
    upright = [("横", 72.0, 84.0, 100.0, 112.0, 12.0, "F", False, False, None, 0, 1, False, False, 1.0, 0)]
    stamp = [("印", 20.0, 28.0, 30.0, 38.0, 8.0, "F", False, False, None, 0, 2, False, False, 1.0, 1)]
    page = with_rows(PageData(1, 595.0, 842.0), upright)
    gc.collect()
    before = sum(isinstance(o, Char) for o in gc.get_objects())
    assert upright_page(page) is page
    assert sum(isinstance(o, Char) for o in gc.get_objects()) == before, "no glyph records made"
    mixed = upright_page(with_rows(PageData(1, 595.0, 842.0), upright + stamp))
    assert mixed.chars == [Char(*upright[0])], "a glyph written the other way is dropped, as from records"
    assert upright_page(PageData(1, 595.0, 842.0, chars=[Char(*r) for r in upright + stamp])) == mixed
