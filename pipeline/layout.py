"""Layout stage: characters → text lines in reading order, page furniture removed, tables found.

One pass over each page: its lines (pipeline/lines.py, the one line grouping), its running header,
footer and page number (pipeline/furniture.py, the one furniture detector), its tables
(`tables.extract.extract_page`, run once per page: the pieces travel on in `PageLayout.tables`
and the tables stage captions and stitches them without extracting again), and the text boxes
that are not tables. Thresholds come from `LayoutSettings`, relative to the page or body size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import overload

from .charpack import CharSpill, set_aside, unpacked
from .furniture import split_pages
from .lines import Line, dedupe_chars, dominant_size, group_lines
from .load import LoadedPdf, PageData, Rule
from .model import BBox
from .settings import DEFAULT_SETTINGS, LayoutSettings, Settings
from .tables.extract import PageTables, find_page_tables, with_continuations
from .tables.parts import PageTable
from .tables.quality import Refusal
from .visibility import visible_page


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
    tables: list[PageTable] = field(default_factory=list)  # the page's tables as found (uncaptioned)
    refused: list[Refusal] = field(default_factory=list)  # table-like areas that are not tables (text stays body)
    layer: str = ""  # every visible glyph's text, overprinted duplicates removed (the conservation check's reference)


@dataclass(slots=True)
class Layout:
    loaded: LoadedPdf
    pages: list[PageLayout]
    body_size: float  # the most common font size of body text
    running_header: str | None = None


# ---------------------------------------------------------------- text boxes


def _text_boxes(page: PageData, tables: list[BBox], body_size: float, s: LayoutSettings) -> list[BBox]:
    """Filled or bordered rectangles big enough to hold text and not a table: case boxes, call-outs."""
    min_w, min_h = s.text_box_width * body_size, s.text_box_height * body_size
    out: list[BBox] = []
    for b in page.boxes:
        if b.x1 - b.x0 < min_w or b.bottom - b.top < min_h:
            continue
        if any(
            o is not b
            and abs(o.top - b.top) < s.cell_row_tol
            and abs(o.bottom - b.bottom) < s.cell_row_tol
            and (abs(o.x0 - b.x1) < s.edge_tol or abs(o.x1 - b.x0) < s.edge_tol)
            for o in page.boxes
        ):
            continue  # a shaded cell beside another: a table row, not a text box
        box = BBox(x0=b.x0, top=b.top, x1=b.x1, bottom=b.bottom)
        if any(_inside(box, t, s.edge_tol) for t in tables):
            continue
        same = s.same_box_tol
        if any(abs(o.x0 - b.x0) < same and abs(o.top - b.top) < same and abs(o.bottom - b.bottom) < same for o in out):
            continue  # the same box drawn twice (fill, then stroke)
        out.append(box)
    for box in _ruled_boxes(page, min_w, min_h, s.edge_tol):
        if any(_inside(box, t, s.edge_tol) for t in tables) or any(_inside(box, o, s.edge_tol) for o in out):
            continue
        out.append(box)
    return out


def _ruled_boxes(page: PageData, min_w: float, min_h: float, tol: float) -> list[BBox]:
    """Rectangles drawn as four separate rules with nothing ruled inside: a bordered text box.

    Word and reportlab draw a one-cell bordered box (a case box) as lines, not as a rectangle.
    """
    hs = sorted((r for r in page.rules if r.horizontal and r.x1 - r.x0 > min_w), key=lambda r: r.top)
    vs = [r for r in page.rules if not r.horizontal and r.bottom - r.top > min_h]
    out: list[BBox] = []
    for i, top in enumerate(hs):
        for bottom in hs[i + 1 :]:
            if abs(bottom.x0 - top.x0) > tol or abs(bottom.x1 - top.x1) > tol or bottom.top - top.top < min_h:
                continue
            sides = [
                v
                for v in vs
                if v.top <= top.top + tol
                and v.bottom >= bottom.top - tol
                and min(abs(v.x0 - top.x0), abs(v.x0 - top.x1)) < tol
            ]
            inner_v = any(
                top.x0 + tol < v.x0 < top.x1 - tol and v.top < bottom.top - tol and v.bottom > top.top + tol for v in vs
            )
            if len(sides) >= 2 and not inner_v:
                out.append(BBox(x0=top.x0, top=top.top, x1=top.x1, bottom=bottom.top))
            break  # the nearest matching rule below closes this box (or there is none)
    out.extend(_open_boxes(hs, vs, out, min_h, tol))
    return out


def _open_boxes(hs: list[Rule], vs: list[Rule], closed: list[BBox], min_h: float, tol: float) -> list[BBox]:
    """A bordered box broken over a page: a rule and two sides of the same length hanging from its
    ends (or standing on them), the fourth side not drawn at the page break, nothing ruled inside."""
    out: list[BBox] = []
    for h in hs:
        for down in (True, False):
            ends = [
                v
                for v in vs
                if abs((v.top if down else v.bottom) - h.top) < tol and min(abs(v.x0 - h.x0), abs(v.x0 - h.x1)) < tol
            ]
            left = [v for v in ends if abs(v.x0 - h.x0) < tol]
            right = [v for v in ends if abs(v.x0 - h.x1) < tol]
            if not left or not right or abs(left[0].top - right[0].top) + abs(left[0].bottom - right[0].bottom) > tol:
                continue
            box = BBox(x0=h.x0, top=left[0].top, x1=h.x1, bottom=left[0].bottom)
            if box.bottom - box.top < min_h or any(_inside(box, c, tol) for c in closed):
                continue
            inside = [r for r in (*hs, *vs) if r is not h and r not in ends]
            if not any(_inside(BBox(x0=r.x0, top=r.top, x1=r.x1, bottom=r.bottom), box, -tol) for r in inside):
                out.append(box)
    return out


def _inside(inner: BBox, outer: BBox, tol: float) -> bool:
    return (
        inner.x0 >= outer.x0 - tol
        and inner.x1 <= outer.x1 + tol
        and inner.top >= outer.top - tol
        and inner.bottom <= outer.bottom + tol
    )


# ---------------------------------------------------------------- the stage


class _ReadBack(Sequence[PageData]):
    """Pages whose glyphs are set aside, each read back when asked for; the last two read are kept
    (a table going on over a page break is looked at on a page and its neighbour)."""

    def __init__(self, pages: Sequence[PageData]) -> None:
        self._pages = pages
        self._recent: dict[int, PageData] = {}

    def __len__(self) -> int:
        return len(self._pages)

    @overload
    def __getitem__(self, i: int) -> PageData: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[PageData]: ...
    def __getitem__(self, i: int | slice) -> PageData | Sequence[PageData]:
        if isinstance(i, slice):
            return [self[k] for k in range(len(self))[i]]
        i = range(len(self))[i]
        if i not in self._recent:
            if len(self._recent) >= 2:
                del self._recent[next(iter(self._recent))]
            self._recent[i] = unpacked(self._pages[i])
        return self._recent[i]


def build_layout(loaded: LoadedPdf, settings: Settings = DEFAULT_SETTINGS) -> Layout:
    """Lines in reading order for every page, with running header/footer and page numbers removed,
    and the page's tables (found once, here).

    A page's glyphs are worked on while it is the one in hand; its lines then hold theirs set
    aside (`pipeline.charpack`), so memory stays flat however many pages the document has.
    """
    s = settings.layout
    spill = CharSpill()
    visible: list[PageData] = []
    raw: list[list[Line]] = []
    finds: list[PageTables] = []
    layers: list[str] = []
    for stored in loaded.pages:
        whole = unpacked(stored)
        page = visible_page(whole, settings)
        lines = group_lines(page.number, page.chars, settings)
        finds.append(find_page_tables(page, settings=settings))
        layers.append("".join(c.text for c in dedupe_chars(page.chars)))
        raw.append([spill.release(ln) for ln in lines])
        # nothing hidden: the loaded page, its glyphs already set aside, stands for the visible one
        visible.append(stored if page is whole and set_aside(stored) else spill.release(page))
    text = split_pages(visible, raw, settings)
    finds = with_continuations(_ReadBack(visible), finds, [pt.lines for pt in text.pages], settings=settings)
    found = [f.tables for f in finds]
    for pt, tables in zip(text.pages, found, strict=True):
        for ln in pt.lines:
            ln.in_table = any(ln.centre_in(t.bbox, s.centre_tol) for t in tables)
    body_size = dominant_size(ln for pt in text.pages for ln in pt.lines if not ln.in_table)
    pages: list[PageLayout] = []
    header_texts: Counter[str] = Counter()
    for page, pt, tables, f, layer in zip(visible, text.pages, found, finds, layers, strict=True):
        regions = [t.bbox for t in tables]
        boxes = _text_boxes(page, regions, body_size, s)
        for ln in pt.lines:
            if not ln.in_table:
                ln.box = next((i for i, b in enumerate(boxes) if ln.centre_in(b, s.centre_tol)), None)
        for ln in pt.furniture:
            if text.is_header(ln):
                header_texts[ln.text] += 1
        images = [BBox(x0=x0, top=t, x1=x1, bottom=b) for x0, t, x1, b in page.images]
        pages.append(
            PageLayout(
                page.number,
                page.width,
                page.height,
                pt.lines,
                pt.furniture,
                pt.label,
                regions,
                boxes,
                images,
                tables,
                f.refused,
                layer,
            )
        )
    running = header_texts.most_common(1)[0][0] if header_texts else None
    return Layout(loaded=loaded, pages=pages, body_size=body_size, running_header=running)


__all__ = ["Layout", "Line", "PageData", "PageLayout", "build_layout"]
