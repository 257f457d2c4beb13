"""Only the glyphs a reader sees: the text layer without its hidden or doubled characters.

A PDF's text layer can hold more than the page shows: text in render mode 3 or 7 (drawn with
neither fill nor stroke), white text on the white page, text under an opaque shape painted after
it, glyphs outside the clipping path or the page, the same glyph drawn twice (fake bold, a field updated in
place) and a second string printed over the first. Read as is, a cell shows "43..67" where the
page shows 3.7. Layout filters the glyphs once, here, before lines are grouped, so body text and
tables read the same visible characters.

Kept on purpose: invisible or white text over an image (a scanned page's OCR layer, a caption
on a photo) and white text on a filled shape (a shaded header row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from math import isfinite

from .load import Char, PageData
from .settings import DEFAULT_SETTINGS, LayoutSettings, Settings

INVISIBLE_MODES = frozenset({3, 7})  # PDF text render modes that paint nothing (7 only adds to the clip)

Rect = tuple[float, float, float, float]  # x0, top, x1, bottom


def _lightness(fill: str | None) -> float:
    """0 for black … 1 for white; 0 when unknown (unknown colours count as ink)."""
    if fill is None or len(fill) != 7 or not fill.startswith("#"):
        return 0.0
    try:
        return min(int(fill[i : i + 2], 16) for i in (1, 3, 5)) / 255
    except ValueError:
        return 0.0


def _point_on(x: float, y: float, rects: Sequence[Rect]) -> bool:
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in rects)


def _overlap(a: Char, b: Char) -> float:
    """How much of the smaller glyph the two glyphs' boxes share, as a share of its box."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    small = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return (w * h) / small if small > 0 else 0.0


def _single_layer_simple(chars: Sequence[Char], s: LayoutSettings) -> list[Char]:
    """Each spot printed once: of two glyphs sharing most of their boxes, a repeat of the same
    glyph is dropped, and of two different ones the one painted last (on top) is kept.

    Glyphs are bucketed by centre on a grid as coarse as the largest glyph, so each is compared
    only with its neighbours (a page's table rows hold hundreds of glyphs on one line). The
    definition `_single_layer` follows (and the one it uses when any touch counts as overprint).
    """
    ink = [i for i, c in enumerate(chars) if c.text.strip()]
    step = max((max(chars[i].x1 - chars[i].x0, chars[i].bottom - chars[i].top) for i in ink), default=1.0)
    step = max(step, 1.0)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    drop: set[int] = set()
    for i in ink:  # drawing order
        b = chars[i]
        bx, by = int((b.x0 + b.x1) / 2 // step), int((b.top + b.bottom) / 2 // step)
        for key in ((bx + dx, by + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            for j in list(buckets.get(key, ())):
                if i in drop or _overlap(chars[j], b) < s.overprint_share:
                    continue
                if chars[j].text == b.text:
                    drop.add(i)  # the same glyph again: keep the first
                else:
                    drop.add(j)  # printed over an earlier glyph: the page shows this one
                    buckets[key].remove(j)
        if i not in drop:
            buckets[(bx, by)].append(i)
    return [c for k, c in enumerate(chars) if k not in drop]


_NO_GLYPH = (0.0, 0.0, 0.0, 0.0, 0.0, "", 0, 0)  # `geo` of a blank (never compared)
_SPAN = 8  # a glyph box over more cells than this a side is compared with every glyph instead


def _single_layer(chars: Sequence[Char], s: LayoutSettings) -> list[Char]:
    """`_single_layer_simple`'s result, comparing each glyph only with the earlier glyphs its box
    overlaps (the simple version's grid is as coarse as the page's largest glyph: it compares a
    body glyph with every glyph in a heading-sized square around it, a third of the layout's time).

    Only glyphs whose boxes share some area can share `overprint_share` (> 0) of one; they are found
    on a grid of cells a few body glyphs wide, each glyph entered in every cell its box touches. The
    simple version's order of comparison decides which of several overprinted glyphs stay, so the
    overlapping ones are taken in that order: by the coarse bucket of their centre (in the simple
    version's order of the nine around the glyph's own; none beyond them), then in drawing order.
    """
    share = s.overprint_share
    if not share > 0:
        return _single_layer_simple(chars, s)  # then glyphs that merely touch count too
    ink = [i for i, c in enumerate(chars) if c.text.strip()]
    if not ink:
        return list(chars)
    if not isfinite(sum(chars[i].x0 + chars[i].x1 + chars[i].top + chars[i].bottom for i in ink)):
        return _single_layer_simple(chars, s)  # an infinite or undefined edge: no cell holds it
    sides = sorted(max(chars[i].x1 - chars[i].x0, chars[i].bottom - chars[i].top) for i in ink)
    step = max(sides[-1], 1.0)  # the simple version's buckets
    cell = max(2.5 * sides[len(sides) // 2], 1.0)
    cells: dict[tuple[int, int], list[int]] = {}
    wide: list[int] = []  # kept glyphs too big for the cells
    geo: list[tuple[float, float, float, float, float, str, int, int]] = [_NO_GLYPH] * len(chars)
    drop: set[int] = set()
    for i in ink:  # drawing order
        b = chars[i]
        x0, top, x1, bottom, text = b.x0, b.top, b.x1, b.bottom, b.text
        bx, by = int((x0 + x1) / 2 // step), int((top + bottom) / 2 // step)
        area = (x1 - x0) * (bottom - top)
        geo[i] = (x0, top, x1, bottom, area, text, bx, by)
        u0, u1, v0, v1 = int(x0 // cell), int(x1 // cell), int(top // cell), int(bottom // cell)
        keys: Sequence[tuple[int, int]] | None
        if u0 == u1 and v0 == v1:
            keys = ((u0, v0),)
        elif 0 <= u1 - u0 < _SPAN and 0 <= v1 - v0 < _SPAN:
            keys = [(u, v) for u in range(u0, u1 + 1) for v in range(v0, v1 + 1)]
        else:
            keys = None  # a huge (or inverted) box
        near: set[int] = set(wide)
        for members in cells.values() if keys is None else (cells.get(key) for key in keys):
            if members:
                near.update(members)
        hits: list[tuple[int, int]] = []
        for j in near:
            if j in drop:
                continue
            ox0, otop, ox1, obottom, oarea, _, ox, oy = geo[j]
            w = (ox1 if ox1 < x1 else x1) - (ox0 if ox0 > x0 else x0)
            if w <= 0:
                continue
            h = (obottom if obottom < bottom else bottom) - (otop if otop > top else top)
            if h <= 0:
                continue
            dx, dy = ox - bx, oy - by
            if dx < -1 or dx > 1 or dy < -1 or dy > 1:
                continue  # not in the nine buckets the simple version looks in
            small = oarea if oarea < area else area
            if small > 0 and not (w * h) / small < share:  # `_overlap`'s sums
                hits.append(((dx + 1) * 3 + dy + 1, j))
        dropped = False
        if hits:
            hits.sort()
            for _, j in hits:
                if geo[j][5] == text:
                    dropped = True  # the same glyph again: keep the first
                    break
                drop.add(j)  # printed over an earlier glyph: the page shows this one
        if dropped:
            drop.add(i)
        elif keys is None:
            wide.append(i)
        else:
            for key in keys:
                members = cells.get(key)
                if members is None:
                    cells[key] = [i]
                else:
                    members.append(i)
    return [c for k, c in enumerate(chars) if k not in drop]


class _Painted:
    """A page's filled shapes with their drawing order, to ask which glyph centres one painted later
    covers. A table shaded row by row has hundreds, so past a few they are looked up by grid cell."""

    CELL = 36.0  # points: half an inch
    MAX_CELLS = 4096  # a shape covering more cells is checked for every point

    def __init__(self, shapes: list[tuple[Rect, int]]) -> None:
        self._all = sorted(shapes, key=lambda shape: -shape[1])  # the last painted first
        self._last = self._all[0][1] if shapes else 0
        self._cells: dict[tuple[int, int], list[tuple[Rect, int]]] | None = None
        self._everywhere: list[tuple[Rect, int]] = []
        if len(shapes) <= 16:
            return
        g = self.CELL
        cells: dict[tuple[int, int], list[tuple[Rect, int]]] = defaultdict(list)
        for shape in self._all:
            x0, top, x1, bottom = shape[0]
            if not isfinite(x0 + top + x1 + bottom):
                self._everywhere.append(shape)
                continue
            u0, u1, v0, v1 = int(x0 // g), int(x1 // g), int(top // g), int(bottom // g)
            if u1 < u0 or v1 < v0:
                continue  # an inverted box holds no point
            if (u1 - u0 + 1) * (v1 - v0 + 1) > self.MAX_CELLS:
                self._everywhere.append(shape)
                continue
            for u in range(u0, u1 + 1):
                for v in range(v0, v1 + 1):
                    cells[(u, v)].append(shape)
        self._cells = dict(cells)

    def over(self, x: float, y: float, seq: int) -> bool:
        """Whether a shape painted after `seq` covers the point (x, y)."""
        if seq >= self._last:
            return False  # painted after every shape (the common case)
        if self._cells is not None and isfinite(x + y):
            g = self.CELL
            return _covers(self._cells.get((int(x // g), int(y // g)), ()), x, y, seq) or _covers(
                self._everywhere, x, y, seq
            )
        return _covers(self._all, x, y, seq)


def _covers(shapes: Sequence[tuple[Rect, int]], x: float, y: float, seq: int) -> bool:
    """Whether one of `shapes` (the last painted first) painted after `seq` covers (x, y)."""
    for (x0, top, x1, bottom), later in shapes:
        if later <= seq:
            return False
        if x0 <= x <= x1 and top <= y <= bottom:
            return True
    return False


def visible_chars(
    chars: Sequence[Char],
    width: float,
    height: float,
    filled: Sequence[tuple[Rect, int]] = (),
    images: Sequence[Rect] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Char]:
    """The glyphs of one page that are printed and seen, in their original (drawing) order.

    `filled`: the page's filled shapes with their drawing order (0: unknown): white text on one
    is seen, text under one painted after it is not; `images`: its images (hidden or white text
    over them is a scan's text layer, kept).
    """
    s = settings.layout
    white = s.white_level
    painted = _Painted([(r, seq) for r, seq in filled if seq])
    under = [*(r for r, _ in filled), *images]  # what white text may be seen on
    lightness: dict[str | None, float] = {}  # a page uses a few colours
    kept: list[Char] = []
    for c in chars:
        if c.clipped:
            continue
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        if not (0.0 <= x <= width and 0.0 <= y <= height):
            continue  # off the page
        if c.render_mode in INVISIBLE_MODES and not _point_on(x, y, images):
            continue
        fill = c.fill
        light = lightness.get(fill)
        if light is None:
            light = lightness[fill] = _lightness(fill)
        if light >= white and c.text.strip() and not _point_on(x, y, under):
            continue
        if c.seq and painted.over(x, y, c.seq):
            continue  # an opaque shape painted over it
        kept.append(c)
    return _single_layer(kept, s)


def visible_page(page: PageData, settings: Settings = DEFAULT_SETTINGS) -> PageData:
    """A copy of `page` holding only its visible glyphs (drawings and images unchanged)."""
    filled = [((b.x0, b.top, b.x1, b.bottom), b.seq) for b in page.boxes if b.fill]
    chars = visible_chars(page.chars, page.width, page.height, filled, page.images, settings)
    return page if len(chars) == len(page.chars) else replace(page, chars=chars)


__all__ = ["INVISIBLE_MODES", "visible_chars", "visible_page"]
