"""Layout stage: characters → text lines in reading order, page furniture removed.

Running headers, footers and printed page numbers are found by repetition across pages (the
same text at the top or bottom of many pages) and by the page-number forms printed in these
reports ("3", "- 3 -", "第 3 页", "3 / 60"), never by fixed coordinates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .load import Char, LoadedPdf, PageData
from .model import BBox
from .settings import DEFAULT_SETTINGS, Settings
from .tables.regions import find_table_regions
from .text import join_chars, nfkc_squash

PAGE_NUMBER = re.compile(
    r"^(?:[-—–·•]\s*)?(?:第\s*)?(\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?:\s*页)?"
    r"(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*[-—–·•])?$"
)
FURNITURE_ZONE = 0.14  # share of the page height at the top and bottom where furniture may sit


@dataclass(slots=True)
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str  # CJK-joined text of the line (no spaces between two CJK chars)
    size: float  # dominant font size
    bold: bool  # every non-space char bold
    chars: list[Char] = field(default_factory=list)
    box: int | None = None  # index into PageLayout.boxes of the shaded/bordered box holding it
    in_table: bool = False  # inside a table region: not body text
    gaps: list[float] = field(default_factory=list)  # x positions of gaps wider than 2 chars (column-like)

    @property
    def bbox(self) -> BBox:
        return BBox(x0=round(self.x0, 2), top=round(self.top, 2), x1=round(self.x1, 2), bottom=round(self.bottom, 2))


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]  # reading order, running header/footer and page number removed
    furniture: list[Line]  # the removed header/footer lines
    page_label: str | None  # printed page number, if any
    table_regions: list[BBox]
    boxes: list[BBox]  # text boxes (case boxes, call-outs): filled or bordered rectangles that are not tables
    images: list[BBox]


@dataclass(slots=True)
class Layout:
    loaded: LoadedPdf
    pages: list[PageLayout]
    body_size: float  # the most common font size of body text
    running_header: str | None = None


# ---------------------------------------------------------------- characters → lines


def _dedupe(chars: list[Char]) -> list[Char]:
    """Drop overprinted duplicates (fake bold draws each glyph two or three times)."""
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        key = (c.text, round(c.x0), round(c.top))
        if key in seen and c.text != " ":
            continue
        seen.add(key)
        out.append(c)
    return out


def _make_line(page: int, chars: list[Char]) -> Line | None:
    chars.sort(key=lambda c: c.x0)
    ink = [c for c in chars if c.text != " "]
    if not ink:
        return None
    sizes = Counter(c.size for c in ink)
    size = sizes.most_common(1)[0][0]
    gaps = [c.x0 for a, c in pairwise(ink) if c.x0 - a.x1 > 2.0 * size]
    return Line(
        page=page,
        x0=ink[0].x0,
        x1=max(c.x1 for c in ink),
        top=min(c.top for c in ink),
        bottom=max(c.bottom for c in ink),
        text=join_chars(chars),
        size=size,
        bold=all(c.bold for c in ink),
        chars=chars,
        gaps=gaps,
    )


def group_lines(page: int, chars: list[Char]) -> list[Line]:
    """Cluster characters into printed lines by vertical overlap, then order them top to bottom."""
    rows: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for c in sorted(_dedupe(chars), key=lambda c: (c.top + c.bottom) / 2):
        mid = (c.top + c.bottom) / 2
        placed = False
        # compare with the last few bands only: chars arrive sorted by their vertical centre
        for i in range(len(bands) - 1, max(-1, len(bands) - 4), -1):
            top, bottom = bands[i]
            if top <= mid <= bottom:
                rows[i].append(c)
                bands[i] = (min(top, c.top), max(bottom, c.bottom)) if c.text != " " else bands[i]
                placed = True
                break
        if not placed:
            rows.append([c])
            bands.append((c.top, c.bottom))
    lines = [ln for ln in (_make_line(page, r) for r in rows) if ln is not None]
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    return lines


# ---------------------------------------------------------------- furniture


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", nfkc_squash(text))


def find_furniture(pages: list[list[Line]], heights: list[float]) -> tuple[set[str], set[str]]:
    """Texts repeated at the top (headers) and bottom (footers) of many pages, digits masked."""
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        if not lines:
            continue
        first, last = lines[0], lines[-1]
        if first.top < FURNITURE_ZONE * h:
            tops[_furniture_key(first.text)] += 1
        if last.bottom > (1 - FURNITURE_ZONE) * h:
            bottoms[_furniture_key(last.text)] += 1
    n = len(pages)
    need = max(2, int(0.3 * n)) if n >= 4 else n + 1  # a 1-3 page file has no running furniture

    def repeated(counter: Counter[str]) -> set[str]:
        return {k for k, v in counter.items() if v >= need and k.strip("#")}

    return repeated(tops), repeated(bottoms)


def _split_furniture(
    lines: list[Line], height: float, headers: set[str], footers: set[str]
) -> tuple[list[Line], list[Line], str | None]:
    body = list(lines)
    removed: list[Line] = []
    label: str | None = None
    # top: a repeated header line, and a page number standing above the body
    while body and body[0].top < FURNITURE_ZONE * height:
        key = _furniture_key(body[0].text)
        m = PAGE_NUMBER.match(nfkc_squash(body[0].text))
        if key in headers:
            removed.append(body.pop(0))
        elif m and label is None and len(body) > 1 and body[1].top - body[0].bottom > body[0].size:
            label = m.group(1)
            removed.append(body.pop(0))
        else:
            break
    while body and body[-1].bottom > (1 - FURNITURE_ZONE) * height:
        key = _furniture_key(body[-1].text)
        m = PAGE_NUMBER.match(nfkc_squash(body[-1].text))
        if m and label is None:
            label = m.group(1)
            removed.append(body.pop())
        elif key in footers:
            removed.append(body.pop())
        else:
            break
    return body, removed, label


# ---------------------------------------------------------------- regions


def _text_boxes(page: PageData, tables: list[BBox]) -> list[BBox]:
    """Filled or bordered rectangles big enough to hold text and not a table: case boxes, call-outs."""
    out: list[BBox] = []
    for b in page.boxes:
        if b.x1 - b.x0 < 80 or b.bottom - b.top < 15:
            continue
        if any(
            o is not b
            and abs(o.top - b.top) < 1.5
            and abs(o.bottom - b.bottom) < 1.5
            and (abs(o.x0 - b.x1) < 2 or abs(o.x1 - b.x0) < 2)
            for o in page.boxes
        ):
            continue  # a shaded cell beside another: a table row, not a text box
        box = BBox(x0=b.x0, top=b.top, x1=b.x1, bottom=b.bottom)
        if any(_inside(box, t, tol=2) for t in tables):
            continue
        if any(abs(o.x0 - box.x0) < 1 and abs(o.top - box.top) < 1 and abs(o.bottom - box.bottom) < 1 for o in out):
            continue  # the same box drawn twice (fill, then stroke)
        out.append(box)
    for box in _ruled_boxes(page):
        if any(_inside(box, t, tol=2) for t in tables) or any(_inside(box, o, tol=2) for o in out):
            continue
        out.append(box)
    return out


def _ruled_boxes(page: PageData) -> list[BBox]:
    """Rectangles drawn as four separate rules with nothing ruled inside: a bordered text box.

    Word and reportlab draw a one-cell bordered box (a case box) as lines, not as a rectangle.
    """
    hs = sorted((r for r in page.rules if r.horizontal and r.x1 - r.x0 > 80), key=lambda r: r.top)
    vs = [r for r in page.rules if not r.horizontal and r.bottom - r.top > 15]
    out: list[BBox] = []
    for i, top in enumerate(hs):
        for bottom in hs[i + 1 :]:
            if abs(bottom.x0 - top.x0) > 2 or abs(bottom.x1 - top.x1) > 2 or bottom.top - top.top < 15:
                continue
            sides = [
                v
                for v in vs
                if v.top <= top.top + 2
                and v.bottom >= bottom.top - 2
                and min(abs(v.x0 - top.x0), abs(v.x0 - top.x1)) < 2
            ]
            inner_v = any(
                top.x0 + 2 < v.x0 < top.x1 - 2 and v.top < bottom.top - 2 and v.bottom > top.top + 2 for v in vs
            )
            if len(sides) >= 2 and not inner_v:
                out.append(BBox(x0=top.x0, top=top.top, x1=top.x1, bottom=bottom.top))
            break  # the nearest matching rule below closes this box (or there is none)
    return out


def _inside(inner: BBox, outer: BBox, tol: float = 1.0) -> bool:
    return (
        inner.x0 >= outer.x0 - tol
        and inner.x1 <= outer.x1 + tol
        and inner.top >= outer.top - tol
        and inner.bottom <= outer.bottom + tol
    )


def _centre_in(line: Line, box: BBox) -> bool:
    return box.contains((line.x0 + line.x1) / 2, (line.top + line.bottom) / 2, tol=1.0)


# ---------------------------------------------------------------- the stage


def build_layout(loaded: LoadedPdf, *, settings: Settings = DEFAULT_SETTINGS) -> Layout:
    """Lines in reading order for every page, with running header/footer and page numbers removed."""
    raw = [group_lines(p.number, p.chars) for p in loaded.pages]
    headers, footers = find_furniture(raw, [p.height for p in loaded.pages])
    pages: list[PageLayout] = []
    sizes: Counter[float] = Counter()
    header_texts: Counter[str] = Counter()
    for page, lines in zip(loaded.pages, raw, strict=True):
        body, removed, label = _split_furniture(lines, page.height, headers, footers)
        regions = find_table_regions(page)
        boxes = _text_boxes(page, regions)
        for ln in body:
            ln.in_table = any(_centre_in(ln, r) for r in regions)
            if not ln.in_table:
                for i, b in enumerate(boxes):
                    if _centre_in(ln, b):
                        ln.box = i
                        break
                sizes[ln.size] += len(ln.chars)
        for ln in removed:
            if _furniture_key(ln.text) in headers:
                header_texts[ln.text] += 1
        images = [BBox(x0=x0, top=t, x1=x1, bottom=b) for x0, t, x1, b in page.images]
        pages.append(PageLayout(page.number, page.width, page.height, body, removed, label, regions, boxes, images))
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    running = header_texts.most_common(1)[0][0] if header_texts else None
    return Layout(loaded=loaded, pages=pages, body_size=body_size, running_header=running)


__all__ = ["Layout", "Line", "PageData", "PageLayout", "build_layout", "group_lines"]
