"""Pages printed sideways: turned so that their text reads upright, as a reader turns the paper.

A landscape annex is often put in a portrait page box one of two ways. With /Rotate 90 both
readers already give the page as shown (pdfminer applies /Rotate: the box is landscape and the
text upright). Drawn turned a quarter inside the box with no /Rotate (printed sideways), every
glyph is written up or down the page; a reader that keeps only upright glyphs sees an empty page
(and OCR would read the image sideways). The readers therefore note each glyph's writing
direction (`Char.turn`), and `upright_page` turns a page to the direction most of its glyphs are
written in: coordinates, width and height as if the paper were turned. Glyphs written in any
other direction are then dropped, as the readers dropped them before (a vertical stamp, a spine
label): the layout reads horizontal lines only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .charpack import values

if TYPE_CHECKING:
    from .load import Box, Char, PageData, Rule

SLANTED = -1  # written along no axis, or mirrored: never read


def quarter_turn(a: float, b: float, c: float, d: float) -> int:
    """Quarter turns counter-clockwise of a glyph's writing direction (its text matrix, PDF axes,
    y up), to the nearest: 0 upright (italic shear or a slight tilt included), 1 written up the
    page, 2 upside down, 3 written down the page; SLANTED when mirrored."""
    if a * d - b * c <= 0:
        return SLANTED
    if abs(a) >= abs(b):
        return 0 if a > 0 else 2
    return 1 if b > 0 else 3


Quad = tuple[float, float, float, float]  # x0, top, x1, bottom
R = TypeVar("R", "Char", "Rule", "Box")


def turned_quad(quad: Quad, turn: int, width: float, height: float) -> Quad:
    """`quad` on a width x height page once the page is turned `turn` quarters clockwise, so that
    what was written `turn` quarters counter-clockwise reads upright."""
    x0, top, x1, bottom = quad
    if turn == 1:
        return height - bottom, x0, height - top, x1
    if turn == 2:
        return width - x1, height - bottom, width - x0, height - top
    if turn == 3:
        return top, width - x1, bottom, width - x0
    return quad


def _turned(record: R, turn: int, width: float, height: float) -> R:
    x0, top, x1, bottom = turned_quad((record.x0, record.top, record.x1, record.bottom), turn, width, height)
    return replace(record, x0=x0, top=top, x1=x1, bottom=bottom)


def page_turn(page: PageData) -> int:
    """The direction most of the page's glyphs are written in (0 when upright ties)."""
    return _most_turned(values(page, "text", "turn"))


def _most_turned(glyphs: list[tuple[str, int]]) -> int:
    counts = Counter(turn for text, turn in glyphs if text.strip() and turn != SLANTED)
    best = max(counts, key=lambda t: (counts[t], t == 0), default=0)
    return best


def upright_page(page: PageData) -> PageData:
    """`page` turned so that most of its text reads upright; only the glyphs that then read upright kept.

    A page already upright comes back with the same records (less any turned glyphs), its glyphs not
    made into records where the reader handed them over as rows (`charpack.values`)."""
    glyphs = values(page, "text", "turn")
    turn = _most_turned(glyphs)
    if turn == 0 and all(t == 0 for _, t in glyphs):
        return page
    w, h = page.width, page.height
    chars = [c for c in page.chars if c.turn == turn]
    if turn == 0:
        return replace(page, chars=chars)
    turned = []
    for c in chars:
        t = _turned(c, turn, w, h)
        turned.append(replace(t, turn=0, size=round(t.bottom - t.top, 2)))
    return replace(
        page,
        width=h if turn % 2 else w,
        height=w if turn % 2 else h,
        chars=turned,
        rules=[_turned(r, turn, w, h) for r in page.rules],
        boxes=[_turned(b, turn, w, h) for b in page.boxes],
        images=[turned_quad(i, turn, w, h) for i in page.images],
    )


__all__ = ["SLANTED", "page_turn", "quarter_turn", "turned_quad", "upright_page"]
