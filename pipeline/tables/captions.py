"""Captions (表 N：…, above or below their table) and the text around each table.

A caption is the nearest line above or below the table that starts with 表 + a number (across the
page break when the break parts a caption from its table); the number and the title are kept
apart. When a line could caption the table above it and the table below it, the document's own
habit decides (most unambiguous captions are above → above; most below → below): the convention
is the report's, one vote per report.

The lines are layout's (pipeline/lines.py, furniture already removed by pipeline/furniture.py),
with the glyphs inside a table left out. Attaching captions returns captioned copies of the
page tables; the pieces layout found are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..lines import Line
from ..load import Char
from ..model import BBox
from ..numbering import CAPTION_TABLE
from ..settings import TableSettings
from ..text import join_chars
from .parts import PageTable

LineKey = tuple[int, int]  # (page, index in that page's caption lines)


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of text outside the page's tables: where a caption, or text around a table, may be."""

    page: int
    bbox: BBox
    text: str


def caption_match(line: TextLine, s: TableSettings) -> re.Match[str] | None:
    """The caption's parts (续, number, title) when the line is one."""
    if len(line.text) > s.caption_chars:
        return None
    return CAPTION_TABLE.match(line.text)


def caption_lines(lines: Sequence[Line], tables: Sequence[PageTable], s: TableSettings) -> list[TextLine]:
    """The page's body lines without the glyphs centred in one of its tables, top to bottom."""
    out = []
    for ln in lines:
        free = [
            c
            for c in ln.chars
            if c.text.strip()
            and not any(t.bbox.contains((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, s.glyph_tol) for t in tables)
        ]
        if not free:
            continue
        pieces = _side_by_side(free, s)
        for piece in pieces if all(CAPTION_TABLE.match(_joined(p)) for p in pieces) else [free]:
            box = BBox(
                x0=min(c.x0 for c in piece),
                top=min(c.top for c in piece),
                x1=max(c.x1 for c in piece),
                bottom=max(c.bottom for c in piece),
            )
            out.append(TextLine(ln.page, box, _joined(piece)))
    return out


def _joined(chars: Sequence[Char]) -> str:
    return join_chars(chars).strip()


def _side_by_side(chars: Sequence[Char], s: TableSettings) -> list[list[Char]]:
    """The line's runs of glyphs parted by white gaps wider than `gutter_gap` glyph sizes: the
    captions of tables set side by side share a line (each run is one caption when all are)."""
    runs: list[list[Char]] = [[chars[0]]]
    for c in chars[1:]:
        if c.x0 - runs[-1][-1].x1 > s.gutter_gap * max(c.size, 1.0):
            runs.append([c])
        else:
            runs[-1].append(c)
    return runs


def _overlaps_x(a: BBox, b: BBox) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _nearest(lines: Sequence[TextLine], table: PageTable, above: bool, gap_max: float, s: TableSettings) -> int | None:
    """The caption line right above (below) the table: the closest line, or the next one over a unit line."""
    tb, tol = table.bbox, s.caption_tol
    if above:
        near = [i for i, ln in enumerate(lines) if ln.bbox.bottom <= tb.top + tol and _overlaps_x(ln.bbox, tb)]
        near.sort(key=lambda i: -lines[i].bbox.bottom)
        gap = lambda ln: tb.top - ln.bbox.bottom  # noqa: E731
    else:
        near = [i for i, ln in enumerate(lines) if ln.bbox.top >= tb.bottom - tol and _overlaps_x(ln.bbox, tb)]
        near.sort(key=lambda i: lines[i].bbox.top)
        gap = lambda ln: ln.bbox.top - tb.bottom  # noqa: E731
    for i in near[: s.caption_lines]:
        if gap(lines[i]) > gap_max:
            return None
        if caption_match(lines[i], s):
            return i
    return None


def _across(
    t: PageTable,
    on_page: Mapping[int, Sequence[PageTable]],
    lines_by_page: Mapping[int, Sequence[TextLine]],
    above: bool,
) -> LineKey | None:
    """The line a page break parts from `t`: the last line of the page before, for the table that
    opens its page with nothing above it (or the first line of the page after, for the table that
    closes its page with nothing below it), when no table stands between them."""
    own = lines_by_page.get(t.page, [])
    mates = on_page.get(t.page, [])
    n = t.page - 1 if above else t.page + 1
    other = lines_by_page.get(n, [])
    if not other:
        return None
    if above:
        if any(ln.bbox.bottom <= t.bbox.top for ln in own) or any(o.bbox.bottom <= t.bbox.top for o in mates):
            return None
        k = len(other) - 1
        return (n, k) if all(o.bbox.bottom <= other[k].bbox.top for o in on_page.get(n, [])) else None
    if any(ln.bbox.top >= t.bbox.bottom for ln in own) or any(o.bbox.top >= t.bbox.bottom for o in mates):
        return None
    return (n, 0) if all(o.bbox.top >= other[0].bbox.bottom for o in on_page.get(n, [])) else None


def attach_captions(
    tables: Sequence[PageTable], lines_by_page: Mapping[int, Sequence[TextLine]], body_size: float, s: TableSettings
) -> tuple[list[PageTable], set[LineKey]]:
    """Captioned copies of `tables` (caption fields, text_above/below) and the lines used as captions.

    Each table may take the caption line nearest above or below it (on its page, or across the
    page break when the break parts them); the side most unambiguous captions are on is the
    document's habit and is served first.
    """
    gap_max = s.caption_gap * body_size
    on_page: dict[int, list[PageTable]] = {}
    for t in tables:
        on_page.setdefault(t.page, []).append(t)

    def near(t: PageTable, above: bool) -> LineKey | None:
        lines = lines_by_page.get(t.page, [])
        i = _nearest(lines, t, above, gap_max, s)
        if i is not None:
            return (t.page, i)
        key = _across(t, on_page, lines_by_page, above)
        return key if key is not None and caption_match(lines_by_page[key[0]][key[1]], s) else None

    options = [(t, near(t, True), near(t, False)) for t in tables]
    above_only = sum(1 for _, a, b in options if a is not None and b is None)
    below_only = sum(1 for _, a, b in options if b is not None and a is None)
    prefer_above = above_only >= below_only
    used: set[LineKey] = set()
    chosen: list[tuple[TextLine, str] | None] = [None] * len(tables)
    for preferred in (True, False):  # the document's habit first; the other side only for lines left over
        for k, (_, a, b) in enumerate(options):
            if chosen[k] is not None:
                continue
            key, pos = (a, "above") if prefer_above == preferred else (b, "below")
            if key is not None and key not in used:
                used.add(key)
                chosen[k] = (lines_by_page[key[0]][key[1]], pos)
    out = []
    for t, pick in zip(tables, chosen, strict=True):
        rest = [ln for i, ln in enumerate(lines_by_page.get(t.page, [])) if (t.page, i) not in used]
        flags = replace(
            t,
            text_above=any(ln.bbox.bottom <= t.bbox.top + s.glyph_tol for ln in rest),
            text_below=any(ln.bbox.top >= t.bbox.bottom - s.glyph_tol for ln in rest),
        )
        out.append(with_caption(flags, pick[0], pick[1], s) if pick else flags)
    return out, used


def with_caption(t: PageTable, ln: TextLine, position: str, s: TableSettings) -> PageTable:
    """A copy of `t` captioned by the line `ln` standing at `position` ("above" / "below")."""
    m = caption_match(ln, s)
    assert m is not None
    return replace(
        t,
        continued=ln.text.startswith("续"),
        caption_number=_ascii_digits(m.group(1)),
        caption_title=m.group(2).strip(),
        caption_position=position,
    )


def _ascii_digits(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９－．", "0123456789-."))
