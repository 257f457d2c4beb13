"""Captions (表 N：…, above or below their table) and the text around each table.

A caption is the nearest line above or below the table that starts with 表 + a number; the
number and the title are kept apart. When a line could caption the table above it and the
table below it, the document's own habit decides (most unambiguous captions are above → above).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..load import Char, PageData
from ..model import BBox
from .parts import PageTable
from .text import group_lines, line_text

CAPTION = re.compile(r"^(续)?表\s*([0-9０-９]+(?:[-－.．][0-9０-９]+)?|[一二三四五六七八九十]+)\s*[:：.．、]?\s*(.*)$")
CAPTION_GAP = 40.0  # points between a caption line and its table
FURNITURE_BAND = 0.075  # share of the page height at top and bottom that holds running headers/footers
MAX_CAPTION_CHARS = 60
PAGE_NUMBER = re.compile(r"^[-—–−\s]*(第\s*)?[0-9０-９ivxlcIVXLC]+(\s*页)?[-—–−\s]*(/\s*\d+)?$")


@dataclass(slots=True)
class TextLine:
    page: int
    bbox: BBox
    text: str

    @property
    def caption(self) -> re.Match[str] | None:
        if len(self.text) > MAX_CAPTION_CHARS:
            return None
        return CAPTION.match(self.text)


def page_lines(page: PageData, tables: Sequence[PageTable], furniture: Sequence[BBox] = ()) -> list[TextLine]:
    """Text lines outside the page's tables and furniture, top to bottom."""

    def free(c: Char) -> bool:
        if not c.text.strip():
            return False
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        return not any(t.bbox.contains(cx, cy, 1.0) for t in tables) and not any(
            f.contains(cx, cy, 1.0) for f in furniture
        )

    out = []
    for ln in group_lines([c for c in page.chars if free(c)]):
        box = BBox(
            x0=min(c.x0 for c in ln),
            top=min(c.top for c in ln),
            x1=max(c.x1 for c in ln),
            bottom=max(c.bottom for c in ln),
        )
        out.append(TextLine(page.number, box, line_text(ln).strip()))
    if not furniture:  # no layout: running header and page number sit in the outer bands
        lo, hi = page.height * FURNITURE_BAND, page.height * (1 - FURNITURE_BAND)
        out = [ln for ln in out if ln.bbox.top > lo and ln.bbox.bottom < hi and not _page_number(ln, page.height)]
    return out


def _page_number(ln: TextLine, height: float) -> bool:
    return (ln.bbox.top > 0.8 * height or ln.bbox.bottom < 0.12 * height) and bool(PAGE_NUMBER.match(ln.text))


def _overlaps_x(a: BBox, b: BBox) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _nearest(lines: Sequence[TextLine], table: PageTable, above: bool) -> TextLine | None:
    """The caption line right above (below) the table: the closest line, or the next one over a unit line."""
    if above:
        near = [ln for ln in lines if ln.bbox.bottom <= table.bbox.top + 2 and _overlaps_x(ln.bbox, table.bbox)]
        near.sort(key=lambda ln: -ln.bbox.bottom)
        gap = lambda ln: table.bbox.top - ln.bbox.bottom  # noqa: E731
    else:
        near = [ln for ln in lines if ln.bbox.top >= table.bbox.bottom - 2 and _overlaps_x(ln.bbox, table.bbox)]
        near.sort(key=lambda ln: ln.bbox.top)
        gap = lambda ln: ln.bbox.top - table.bbox.bottom  # noqa: E731
    for ln in near[:2]:
        if gap(ln) > CAPTION_GAP:
            return None
        if ln.caption:
            return ln
    return None


def attach_captions(tables: Sequence[PageTable], lines_by_page: dict[int, list[TextLine]]) -> set[int]:
    """Set caption fields and text_above/below on every piece; return the ids of lines used as captions."""
    options = []
    for t in tables:
        lines = lines_by_page.get(t.page, [])
        options.append((t, _nearest(lines, t, True), _nearest(lines, t, False)))
    above_only = sum(1 for _, a, b in options if a and not b)
    below_only = sum(1 for _, a, b in options if b and not a)
    prefer_above = above_only >= below_only
    used: set[int] = set()
    for preferred in (True, False):  # the document's habit first; the other side only for lines left over
        for t, a, b in options:
            if t.caption_number is not None:
                continue
            ln, pos = (a, "above") if prefer_above == preferred else (b, "below")
            if ln is not None and id(ln) not in used:
                used.add(id(ln))
                set_caption(t, ln, pos)
    for t in tables:
        lines = [ln for ln in lines_by_page.get(t.page, []) if id(ln) not in used]
        t.text_above = any(ln.bbox.bottom <= t.bbox.top + 1 for ln in lines)
        t.text_below = any(ln.bbox.top >= t.bbox.bottom - 1 for ln in lines)
    return used


def set_caption(t: PageTable, ln: TextLine, position: str) -> None:
    m = ln.caption
    assert m is not None
    t.continued = bool(m.group(1))
    t.caption_number = _ascii_digits(m.group(2))
    t.caption_title = m.group(3).strip()
    t.caption_position = position


def _ascii_digits(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９－．", "0123456789-."))
