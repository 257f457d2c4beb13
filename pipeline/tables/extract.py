"""One extractor interface, three backends, and the per-page table finder.

`extract_page` is a pure function of the page (and the settings): layout calls it once per page
and hands the pieces on in `PageLayout.tables`; nothing is remembered between calls.

Every backend turns a `Candidate` (rules that frame one table) into the same `PageTable`, with a
quality figure. `grid` (default) builds the grid from our own rules and also handles unruled
rows/columns; `pdfplumber` runs pdfplumber's pure edge → intersection → cell chain on the same
rules, as a cross-check for fully ruled tables. Neither re-reads the PDF. `camelot` (lattice) does:
it renders the candidate's page and finds the lines itself, so it needs the file path and is built
by `make_extractor` (see camelot_backend.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from pdfplumber import table as pt

from ..lines import Line
from ..load import Char, PageData
from ..model import BBox
from ..settings import DEFAULT_SETTINGS, Settings, TableSettings
from .bare import bare_candidates, bare_continuation
from .depth import with_header_evidence
from .grid import assign_text, build_grid, chars_in, cluster, header_rows
from .gutter import split_at_gutter
from .parts import Candidate, Cell, Corners, PageTable
from .quality import Refusal, refusal_reason
from .regions import find_candidates
from .stitch import continues
from .text import squash


class Extractor(Protocol):
    """A table backend. One that reads the PDF itself may also define `prepare(cands)`, which
    `extract_page` calls first with all of a page's candidates so the page is read once."""

    name: str

    def extract(self, cand: Candidate, chars: Sequence[Char], s: TableSettings) -> PageTable | None:
        """The table framed by `cand` on its page, or None when there is none."""
        ...


class GridExtractor:
    """Own grid from rules (ruled, three-line and verticals-only tables)."""

    name = "grid"

    def extract(self, cand: Candidate, chars: Sequence[Char], s: TableSettings) -> PageTable | None:
        return build_grid(cand, chars, s)


class PdfplumberExtractor:
    """pdfplumber.table's merge_edges → edges_to_intersections → intersections_to_cells on our rules.

    Only fully ruled tables: pdfplumber needs all four sides of every cell.
    """

    name = "pdfplumber"

    def extract(self, cand: Candidate, chars: Sequence[Char], s: TableSettings) -> PageTable | None:
        edges = []
        for r in cand.rules:
            o = "h" if r.horizontal else "v"
            edges.append(
                {
                    "x0": r.x0,
                    "x1": r.x1,
                    "top": r.top,
                    "bottom": r.bottom,
                    "doctop": r.top,
                    "width": r.x1 - r.x0,
                    "height": r.bottom - r.top,
                    "orientation": o,
                    "object_type": "line",
                }
            )
        tol = s.rule_tol
        edges = pt.merge_edges(edges, tol, tol, tol, tol)
        boxes = pt.intersections_to_cells(pt.edges_to_intersections(edges, tol, tol))
        if not boxes:
            return None
        xs = cluster([b[0] for b in boxes] + [b[2] for b in boxes], tol)
        ys = cluster([b[1] for b in boxes] + [b[3] for b in boxes], tol)
        near = lambda edges_, v: min(range(len(edges_)), key=lambda i: abs(edges_[i] - v))  # noqa: E731
        cells = []
        for x0, top, x1, bottom in boxes:
            c0, c1, r0, r1 = near(xs, x0), near(xs, x1), near(ys, top), near(ys, bottom)
            if c1 > c0 and r1 > r0:
                cells.append(Cell(r0, c0, r1 - r0, c1 - c0, "", Corners(x0, top, x1, bottom)))
        quality = assign_text(cells, xs, ys, chars_in(chars, cand.bbox), s.glyph_tol)
        header = header_rows(cells, [True] * len(ys), len(ys) - 1, "ruled")
        return PageTable(cand.page, cand.bbox, xs, ys, cells, header, self.name, quality)


EXTRACTORS: dict[str, Extractor] = {"grid": GridExtractor(), "pdfplumber": PdfplumberExtractor()}
BACKENDS = (*EXTRACTORS, "camelot")


def make_extractor(name: str, pdf_path: str | Path | None = None) -> Extractor:
    """The backend called `name`; camelot re-reads the PDF, so it alone needs `pdf_path`."""
    if name == "camelot":
        if pdf_path is None:
            raise ValueError("extractor 'camelot' needs pdf_path (it renders the page itself)")
        from .camelot_backend import CamelotExtractor  # keeps camelot's import off the default path

        return CamelotExtractor(pdf_path)
    if name not in EXTRACTORS:
        raise ValueError(f"unknown extractor {name!r}; choose one of {', '.join(BACKENDS)}")
    return EXTRACTORS[name]


def is_data_table(t: PageTable, s: TableSettings) -> bool:
    """False for one-cell boxes and one-column prose boxes (案例 boxes, call-outs) and empty frames."""
    filled = [c for c in t.cells if c.text]
    if len(t.cells) <= 1 or len(filled) < 2:
        return False
    widest = max(c.colspan for c in t.cells)
    one_column = (
        t.n_cols == 1
        or all(c.colspan == t.n_cols or not c.text for c in t.cells)
        or (widest == t.n_cols and len(filled) <= 2)
    )
    if one_column and (
        any(len(squash(c.text)) > s.prose_chars for c in filled) or squash(filled[0].text).startswith("案例")
    ):
        return False
    return t.n_rows >= 2 or t.n_cols >= 2


@dataclass(frozen=True, slots=True)
class PageTables:
    """What one page holds: its tables (top to bottom), the candidates refused as garbage, and its
    short pieces (captioned rows with no rules too few to stand alone: tables only when a
    continuation over a page break joins them, see `with_continuations`)."""

    tables: list[PageTable]
    refused: list[Refusal]
    short: list[PageTable] = field(default_factory=list)


def find_page_tables(
    page: PageData,
    extractor: str | Extractor = "grid",
    pdf_path: str | Path | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> PageTables:
    """The data tables on one page and the refused candidates; costly work only where rules frame one.

    Side-by-side tables under shared rules are split at their gutter first; each grid's header
    depth and subtitle come from its cells (depth.py); garbage grids are refused (quality.py).
    """
    s = settings.tables
    ex = make_extractor(extractor, pdf_path) if isinstance(extractor, str) else extractor
    cands = [part for cand in find_candidates(page, s) for part in split_at_gutter(cand, page.chars, s)]
    bare, short = bare_candidates(page, [c.bbox for c in cands], s)  # tables with no rules, by their captions
    cands = sorted([*cands, *bare], key=lambda c: (c.bbox.top, c.bbox.x0)) if bare else cands
    prepare = getattr(ex, "prepare", None)  # a backend that reads the PDF takes a page's areas at once
    if prepare is not None and (cands or short):
        prepare([*cands, *short], s)
    out: list[PageTable] = []
    refused: list[Refusal] = []
    for cand in cands:
        t = _page_table(cand, page, ex, s, ruleless=cand in bare)
        if isinstance(t, PageTable):
            out.append(t)
        elif t is not None:
            refused.append(t)
    pieces = [t for t in (_page_table(c, page, ex, s, ruleless=True) for c in short) if isinstance(t, PageTable)]
    return PageTables(out, refused, pieces)


def _page_table(
    cand: Candidate, page: PageData, ex: Extractor, s: TableSettings, *, ruleless: bool
) -> PageTable | Refusal | None:
    """The candidate's data table with its header evidence, its refusal when garbage, or None."""
    t = ex.extract(cand, page.chars, s)
    if t is None or not is_data_table(t, s):
        return None
    shades = [BBox(x0=b.x0, top=b.top, x1=b.x1, bottom=b.bottom) for b in page.boxes if b.fill]
    t = replace(with_header_evidence(t, page.chars, s, shades), ruleless=ruleless)
    reason = refusal_reason(t, s)
    return t if reason is None else Refusal(page.number, t.bbox, reason)


def with_continuations(
    pages: Sequence[PageData],
    found: Sequence[PageTables],
    body: Sequence[Sequence[Line]],
    extractor: str | Extractor = "grid",
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[PageTables]:
    """`found` (each page's tables) with the rows of tables with no rules that go on over a page
    break (`body`: each page's lines, furniture aside). Where a page's last table has no rules and
    only furniture below it, rows with no rules opening the next page's body are its continuation;
    where a page's first table has no rules and only furniture above it (its caption under its
    end), rows with no rules closing the page before are its start. Either only when their
    columns agree as stitching requires (stitch.continues); else they stay text, as rows without
    a caption do."""
    s = settings.tables
    ex = make_extractor(extractor) if isinstance(extractor, str) else extractor
    out = [PageTables(_by_top([*f.tables, *f.short]), f.refused) for f in found]
    short = {id(t) for f in found for t in f.short}
    joined: set[int] = set()
    for i in range(1, len(pages)):  # forward: a table's rows going on at the next page's top
        before = out[i - 1].tables
        if before and _last_on_page(before[-1], body[i - 1]) and body[i]:
            top = min(ln.top for ln in body[i])
            least = s.bare_min_rows if id(before[-1]) in short else 1  # a table's columns are evidence enough
            firm = [t for t in out[i].tables if id(t) not in short]  # a short piece gives way to a ruled one
            if before[-1].ruleless:
                t = _rows_at(pages[i], top, out[i].tables, ex, s, at_top=True, min_rows=least)
            else:
                t = _short_piece_at(pages[i], top, firm, ex, s)
            if t is not None and continues(before[-1], t, _edge_tol(pages, i, s), s):
                rest = [u for u in out[i].tables if id(u) not in short or not _overlap(u.bbox, t.bbox)]
                out[i] = PageTables([t, *rest], out[i].refused)
                joined.add(id(before[-1]))
    for i in reversed(range(1, len(pages))):  # backward: a table's first rows at the previous page's foot
        after = out[i].tables
        if after and after[0].ruleless and _first_on_page(after[0], body[i]) and body[i - 1]:
            foot = max(ln.bottom for ln in body[i - 1])
            least = s.bare_min_rows if id(after[0]) in short else 1
            t = _rows_at(pages[i - 1], foot, out[i - 1].tables, ex, s, at_top=False, min_rows=least)
            if t is not None and continues(t, after[0], _edge_tol(pages, i, s), s):
                out[i - 1] = PageTables([*out[i - 1].tables, t], out[i - 1].refused)
                joined.add(id(after[0]))
    return [PageTables([t for t in f.tables if id(t) not in short or id(t) in joined], f.refused) for f in out]


def _overlap(a: BBox, b: BBox) -> bool:
    return a.top < b.bottom and b.top < a.bottom and a.x0 < b.x1 and b.x0 < a.x1


def _by_top(tables: Sequence[PageTable]) -> list[PageTable]:
    return sorted(tables, key=lambda t: (t.bbox.top, t.bbox.x0))


def _last_on_page(t: PageTable, body: Sequence[Line]) -> bool:
    return not any(ln.top > t.bbox.bottom for ln in body)


def _first_on_page(t: PageTable, body: Sequence[Line]) -> bool:
    return not any(ln.bottom < t.bbox.top for ln in body)


def _edge_tol(pages: Sequence[PageData], i: int, s: TableSettings) -> float:
    return s.stitch_edge_tol * max(pages[i].width, pages[i - 1].width)


def _short_piece_at(
    page: PageData, top: float, here: Sequence[PageTable], ex: Extractor, s: TableSettings
) -> PageTable | None:
    """A three-line table's last piece opening the page's body at `top` with fewer rows over its
    bottom rule than one standing alone needs (`open_min_rows`), unless a table stands there."""
    if any(t.bbox.top <= top + s.rule_tol for t in here):
        return None
    taken = [t.bbox for t in here]
    for cand in find_candidates(page, s, open_min_rows=1):
        box = cand.bbox
        if cand.kind != "open" or abs(box.top - top) > 2 * s.rule_tol:
            continue
        if any(_overlap(box, b) for b in taken):
            continue
        prepare = getattr(ex, "prepare", None)
        if prepare is not None:
            prepare([cand], s)
        t = _page_table(cand, page, ex, s, ruleless=False)
        return t if isinstance(t, PageTable) else None
    return None


def _rows_at(
    page: PageData,
    edge: float,
    here: Sequence[PageTable],
    ex: Extractor,
    s: TableSettings,
    *,
    at_top: bool,
    min_rows: int,
) -> PageTable | None:
    """The table of rows with no rules opening (closing) the page's body at `edge`, unless a table
    found already stands there."""
    if any((t.bbox.top <= edge + s.rule_tol) if at_top else (t.bbox.bottom >= edge - s.rule_tol) for t in here):
        return None
    cand = bare_continuation(page, edge, [t.bbox for t in here], s, at_top=at_top, min_rows=min_rows)
    if cand is None:
        return None
    prepare = getattr(ex, "prepare", None)
    if prepare is not None:
        prepare([cand], s)
    t = _page_table(cand, page, ex, s, ruleless=True)
    return t if isinstance(t, PageTable) else None


def extract_page(
    page: PageData,
    extractor: str | Extractor = "grid",
    pdf_path: str | Path | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[PageTable]:
    """The data tables on one page, top to bottom (the refused candidates left out)."""
    return find_page_tables(page, extractor, pdf_path, settings=settings).tables


def find_table_regions(page: PageData, settings: Settings = DEFAULT_SETTINGS) -> list[BBox]:
    """Boxes of the data tables on the page (ruled, three-line or open); case and text boxes excluded."""
    return [t.bbox for t in extract_page(page, settings=settings)]
