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


def _centre_on(c: Char, rects: Sequence[Rect]) -> bool:
    x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in rects)


def _on_page(c: Char, width: float, height: float) -> bool:
    x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return 0.0 <= x <= width and 0.0 <= y <= height


def _overlap(a: Char, b: Char) -> float:
    """How much of the smaller glyph the two glyphs' boxes share, as a share of its box."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    small = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return (w * h) / small if small > 0 else 0.0


def _single_layer(chars: Sequence[Char], s: LayoutSettings) -> list[Char]:
    """Each spot printed once: of two glyphs sharing most of their boxes, a repeat of the same
    glyph is dropped, and of two different ones the one painted last (on top) is kept.

    Glyphs are bucketed by centre on a grid as coarse as the largest glyph, so each is compared
    only with its neighbours (a page's table rows hold hundreds of glyphs on one line).
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
    painted = [(r, seq) for r, seq in filled if seq]
    shapes = [r for r, _ in filled]
    kept: list[Char] = []
    for c in chars:
        if c.clipped or not _on_page(c, width, height):
            continue
        if c.render_mode in INVISIBLE_MODES and not _centre_on(c, images):
            continue
        if _lightness(c.fill) >= s.white_level and c.text.strip() and not _centre_on(c, [*shapes, *images]):
            continue
        if c.seq and _centre_on(c, [r for r, seq in painted if seq > c.seq]):
            continue  # an opaque shape painted over it
        kept.append(c)
    return _single_layer(kept, s)


def visible_page(page: PageData, settings: Settings = DEFAULT_SETTINGS) -> PageData:
    """A copy of `page` holding only its visible glyphs (drawings and images unchanged)."""
    filled = [((b.x0, b.top, b.x1, b.bottom), b.seq) for b in page.boxes if b.fill]
    chars = visible_chars(page.chars, page.width, page.height, filled, page.images, settings)
    return page if len(chars) == len(page.chars) else replace(page, chars=chars)


__all__ = ["INVISIBLE_MODES", "visible_chars", "visible_page"]
