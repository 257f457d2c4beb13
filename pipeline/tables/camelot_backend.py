"""camelot (lattice) as a third table backend: a cross-check on ruled tables by an independent reader.

camelot renders the page with pdfium and finds the ruling lines with OpenCV, so where it agrees
with the `grid` backend the drawn lines really frame the cells we found. Only its geometry is
taken — row/column edges and which inner borders are drawn; each cell's text comes from our own
chars (`assign_text`), so CJK joining is identical across backends and a disagreement is always
about structure. It costs ~0.4 s per page (render + OpenCV), so it runs only on candidate pages,
only on the candidate areas, and never on the default path.

Coordinates: our bboxes are top-left origin; camelot's `table_areas`, `cols` and `rows` are PDF
space (bottom-left origin), `cols` as (left, right) pairs left to right and `rows` as
(top, bottom) pairs top to bottom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExtractionError
from ..load import Char
from ..model import BBox
from ..settings import TableSettings
from .grid import assign_text, chars_in, header_rows, merge_cells
from .parts import Candidate, Cell, PageTable

if TYPE_CHECKING:
    from camelot.core import Table as LatticeTable

AreaKey = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class LatticeGrid:
    """camelot's grid for one area in our top-left coordinates, with the inner borders it saw."""

    xs: list[float]
    ys: list[float]
    right: list[list[bool]]  # right[r][c]: a border is drawn between (r, c) and (r, c + 1)
    below: list[list[bool]]  # below[r][c]: a border is drawn between (r, c) and (r + 1, c)
    accuracy: float  # camelot's parsing_report accuracy, 0-1


def camelot_area(box: BBox, height: float, pad: float) -> str:
    """`table_areas` entry "x1,y1,x2,y2": left-top and right-bottom corners in PDF space."""
    return f"{box.x0 - pad:.2f},{height - box.top + pad:.2f},{box.x1 + pad:.2f},{height - box.bottom - pad:.2f}"


def _area_key(box: BBox) -> AreaKey:
    return (round(box.x0), round(box.top), round(box.x1), round(box.bottom))


def _trim(edges: list[float], sliver: float) -> tuple[int, int]:
    """Index range of the edges to keep: the padded area's own edge goes where it only makes a sliver."""
    lo, hi = 0, len(edges)
    if hi - lo > 2 and edges[1] - edges[0] < sliver:
        lo += 1
    if hi - lo > 2 and edges[-1] - edges[-2] < sliver:
        hi -= 1
    return lo, hi


def lattice_grid(table: LatticeTable, height: float, pad: float, sliver: float) -> LatticeGrid | None:
    """camelot `Table` → `LatticeGrid` (edges flipped to top-left, padding slivers dropped).

    camelot adds the area's own edges as row/column anchors: with the pad that leaves a pad-wide
    sliver row/column outside a closed frame, dropped when under `pad + sliver` (no real row is
    this thin).
    """
    if not table.cols or not table.rows:
        return None
    xs = [table.cols[0][0], *(c[1] for c in table.cols)]
    ys = [height - table.rows[0][0], *(height - r[1] for r in table.rows)]
    c0, c1 = _trim(xs, pad + sliver)
    r0, r1 = _trim(ys, pad + sliver)
    xs, ys = xs[c0:c1], ys[r0:r1]
    cells = [row[c0 : c1 - 1] for row in table.cells[r0 : r1 - 1]]
    nr, nc = len(ys) - 1, len(xs) - 1
    right = [[cells[r][c].right or cells[r][c + 1].left for c in range(nc - 1)] for r in range(nr)]
    below = [[cells[r][c].bottom or cells[r + 1][c].top for c in range(nc)] for r in range(nr - 1)]
    return LatticeGrid(xs, ys, right, below, table.parsing_report["accuracy"] / 100.0)


def merged_cells(g: LatticeGrid) -> list[Cell]:
    """Elementary cells joined wherever camelot saw no border between them, as `Cell`s."""
    return merge_cells(g.xs, g.ys, lambda r, c: not g.right[r][c], lambda r, c: not g.below[r][c])


class CamelotExtractor:
    """camelot lattice on the candidate's area of its page; text from our chars.

    Only "ruled" candidates: lattice needs lines on every side of a cell, as pdfplumber does.
    `prepare` lets the page loop hand over all of a page's candidates, so a page with two tables is
    rendered once, not twice.
    """

    name = "camelot"

    def __init__(self, pdf_path: str | Path, engine: str = "combined") -> None:
        self.pdf_path = str(pdf_path)
        self.engine = engine  # camelot's line finder: "combined" (raster + vector), "raster", "vector"
        self._heights: dict[int, float] | None = None
        self._grids: dict[tuple[int, AreaKey], LatticeGrid | None] = {}

    def height(self, page: int) -> float:
        """Page height in points (pdfium, which camelot renders with), read once for the file."""
        if self._heights is None:
            import pypdfium2

            doc = pypdfium2.PdfDocument(self.pdf_path)
            try:
                self._heights = {i + 1: doc.get_page_size(i)[1] for i in range(len(doc))}
            finally:
                doc.close()
        return self._heights[page]

    def prepare(self, cands: Sequence[Candidate], s: TableSettings) -> None:
        """Run camelot once per page for all of that page's ruled candidates not yet read."""
        by_page: dict[int, list[Candidate]] = {}
        for c in cands:
            if c.kind == "ruled" and (c.page, _area_key(c.bbox)) not in self._grids:
                by_page.setdefault(c.page, []).append(c)
        for page, group in by_page.items():
            self._read(page, group, s)

    def _read(self, page: int, cands: Sequence[Candidate], s: TableSettings) -> None:
        import camelot  # ~1.4 s import: paid only when this backend is used

        height = self.height(page)
        try:
            found = camelot.read_pdf(
                self.pdf_path,
                pages=str(page),
                flavor="lattice",
                backend="pdfium",
                use_fallback=False,
                engine=self.engine,
                table_areas=[camelot_area(c.bbox, height, s.camelot_pad) for c in cands],
                suppress_stdout=True,
            )
        except Exception as exc:  # camelot raises many unrelated types (rendering, OpenCV, playa)
            raise ExtractionError(self.pdf_path, f"camelot lattice failed ({type(exc).__name__}: {exc})", page) from exc
        grids = [g for t in found if (g := lattice_grid(t, t.pdf_size[1], s.camelot_pad, s.camelot_sliver)) is not None]
        for c in cands:
            self._grids[(page, _area_key(c.bbox))] = _best_overlap(c.bbox, grids)

    def extract(self, cand: Candidate, chars: Sequence[Char], s: TableSettings) -> PageTable | None:
        if cand.kind != "ruled":
            return None
        key = (cand.page, _area_key(cand.bbox))
        if key not in self._grids:
            self._read(cand.page, [cand], s)
        g = self._grids[key]
        if g is None or len(g.xs) < 2 or len(g.ys) < 2:
            return None
        cells = merged_cells(g)
        own = assign_text(cells, g.xs, g.ys, chars_in(chars, cand.bbox), s.glyph_tol)
        # Both figures are "share of text not cut by the grid", from two readers (camelot's own text
        # vs our chars): the weaker one is the table's quality, on the same 0-1 scale as the others.
        quality = round(min(g.accuracy, own), 3)
        header = header_rows(cells, [True] * len(g.ys), len(g.ys) - 1, "ruled")
        return PageTable(cand.page, cand.bbox, g.xs, g.ys, cells, header, self.name, quality)


def _best_overlap(box: BBox, grids: Sequence[LatticeGrid]) -> LatticeGrid | None:
    """The grid covering most of `box` (camelot drops empty-looking areas, so order cannot be trusted)."""

    def overlap(g: LatticeGrid) -> float:
        w = min(box.x1, g.xs[-1]) - max(box.x0, g.xs[0])
        h = min(box.bottom, g.ys[-1]) - max(box.top, g.ys[0])
        return max(w, 0.0) * max(h, 0.0)

    best = max(grids, key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None
