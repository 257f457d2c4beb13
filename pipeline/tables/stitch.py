"""Pieces of one table on consecutive pages → one table.

A piece continues the table above when it starts its page with no caption over it (or a 续表
line) and no body text above it (page furniture aside), the table above ends its page with no
text and no caption below it, and both have the same outer edges and mostly the same column
edges (within `TableSettings.stitch_edge_tol` of the page width), whatever their rules: fully
ruled, three-line, or framed with unruled rows. Columns read from white gaps drift with each
page's text: for them the same number of columns, each edge nearer its counterpart than the
next, is enough; so is the same number of columns under a repeated header. Such columns are
matched one by one. Joining a piece:
- drop its leading rows that repeat the header (the rows every continuation repeats are header
  rows, whatever the first piece suggested: `repeated_rows`);
- a first row whose key (first) cell is empty, with text only where the last row has text and
  more empty cells than text, is the tail of a row cut by the page break: its texts are
  appended to the last row's cells;
- an empty cell that continues a merged cell (merged on either page, or among the row's leading
  empty label cells) extends that cell's span;
- a cell whose text above the break is left open (an unclosed bracket or quote) and goes on
  below is one merged cell with the joined text; so is a numbered group label merged over rows
  and cut by the break ("（四）无" above, "法提供" below, among labels （一）… （三）…).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..model import BBox
from ..numbering import parse_numbering
from ..settings import DEFAULT_SETTINGS, TableSettings
from .depth import is_data_row
from .grid import cluster
from .parts import Gridded, PageTable
from .text import join_lines, squash

OPENERS = {"(": ")", "（": "）", "“": "”", "《": "》", "[": "]", "【": "】", "‘": "’"}


@dataclass(slots=True)
class LCell:
    """A cell of the stitched table, on the global column grid."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    pages: set[int]


@dataclass(slots=True)
class Stitched(Gridded[LCell]):
    """One logical table: its pieces, column edges, cells and the pages of each row's own text."""

    pieces: list[PageTable]
    xs: list[float]
    cells: list[LCell] = field(default_factory=list)
    row_pages: list[set[int]] = field(default_factory=list)
    header_rows: int = 1
    header_key: list[list[str]] | None = None  # the header rows, whitespace-free, to spot repeats

    @property
    def n_rows(self) -> int:
        return len(self.row_pages)

    def bboxes(self) -> dict[int, BBox]:
        out: dict[int, BBox] = {}
        for p in self.pieces:
            out[p.page] = out[p.page].union(p.bbox) if p.page in out else p.bbox
        return out


def continues(prev: PageTable, nxt: PageTable, edge_tol: float, s: TableSettings) -> bool:
    """Is `nxt` (the first table of its page) the continuation of `prev` (the last of the page before)?

    `edge_tol`: how far column edges may differ, in points (the page width times `stitch_edge_tol`).
    """
    if nxt.page != prev.page + 1:
        return False
    if prev.caption_position == "below":  # a caption under it closes the table
        return False
    if nxt.caption_position == "above" and not nxt.continued:  # a caption over it opens a new one
        return False
    if prev.text_below or (nxt.text_above and not nxt.continued):
        return False
    if abs(prev.xs[0] - nxt.xs[0]) > edge_tol or abs(prev.xs[-1] - nxt.xs[-1]) > edge_tol:
        return False
    if prev.n_cols == nxt.n_cols and (_same_unruled_columns(prev, nxt) or _repeats_header(prev, nxt)):
        return True
    inner_p, inner_n = prev.xs[1:-1], nxt.xs[1:-1]
    if not inner_p or not inner_n:
        return not inner_p and not inner_n
    small, big = sorted((inner_p, inner_n), key=len)
    shared = sum(1 for x in small if any(abs(x - y) <= edge_tol for y in big))
    return shared >= s.stitch_shared * len(small)


def _same_unruled_columns(prev: PageTable, nxt: PageTable) -> bool:
    """Columns no rule draws (read from the white gaps of each page) are the same columns when
    each edge lies nearer its counterpart than halfway to the next edge."""
    if prev.extractor != "open" or nxt.extractor != "open":
        return False
    for k in range(1, prev.n_cols):
        room = min(prev.xs[k] - prev.xs[k - 1], prev.xs[k + 1] - prev.xs[k]) / 2
        if abs(prev.xs[k] - nxt.xs[k]) >= room:
            return False
    return True


def _repeats_header(prev: PageTable, nxt: PageTable) -> bool:
    """`nxt` opens with the header rows of `prev`, printed again after the break."""
    h = prev.header_rows
    if h < 1 or nxt.n_rows <= h:
        return False
    head = [[squash(t) for t in row] for row in prev.texts()[:h]]
    return any(any(row) for row in head) and [[squash(t) for t in row] for row in nxt.texts()[:h]] == head


def _col(xs: Sequence[float], x: float, tol: float) -> int:
    i = bisect_left(xs, x - tol)
    return min(i, len(xs) - 1)


def _rows_of(piece: PageTable, xs: Sequence[float], tol: float) -> list[LCell]:
    out = []
    for c in piece.cells:
        c0 = _col(xs, piece.xs[c.col], tol)
        c1 = _col(xs, piece.xs[c.col + c.colspan], tol)
        out.append(LCell(c.row, c0, c.rowspan, max(1, c1 - c0), c.text, {piece.page}))
    return out


def _text_rows(cells: Sequence[LCell], n_rows: int, n_cols: int) -> list[list[str]]:
    g = [[""] * n_cols for _ in range(n_rows)]
    for c in cells:
        for r in range(c.row, min(c.row + c.rowspan, n_rows)):
            for k in range(c.col, c.col + c.colspan):
                g[r][k] = c.text
    return g


def _last_row(st: Stitched, last: int) -> list[LCell | None]:
    """The cell covering each column of row `last` (without building the whole grid)."""
    row: list[LCell | None] = [None] * st.n_cols
    for c in st.cells:
        if c.row <= last < c.row + c.rowspan:
            for k in range(c.col, c.col + c.colspan):
                row[k] = c
    return row


def _open_end(text: str) -> bool:
    """The text stops inside a bracket or quote: it goes on in the next piece."""
    depth = {o: 0 for o in OPENERS}
    for ch in text:
        if ch in OPENERS:
            depth[ch] += 1
        for o, cl in OPENERS.items():
            if ch == cl and depth[o] > 0:
                depth[o] -= 1
    return any(v > 0 for v in depth.values())


def stitch(
    groups: Sequence[Sequence[PageTable]], edge_tols: Sequence[float], s: TableSettings = DEFAULT_SETTINGS.tables
) -> list[Stitched]:
    """Each group (pieces already known to continue each other) → one Stitched table; `edge_tols`:
    per group, how far its pieces' column edges may differ (in points). Header rows repeated
    after the breaks are header rows, whatever the first piece suggested (`repeated_rows`)."""
    return [_stitch_one(g, tol, s) for g, tol in zip(groups, edge_tols, strict=True)]


def _stitch_one(pieces: Sequence[PageTable], tol: float, s: TableSettings) -> Stitched:
    xs = cluster([x for p in pieces for x in p.xs], tol)
    first = pieces[0]
    if len({p.n_cols for p in pieces}) == 1 and len(xs) != first.n_cols + 1:
        # the same columns whose edges drift (read from each page's white gaps): the first
        # piece's edges stand for all, column by column
        pieces = [replace(p, xs=first.xs) for p in pieces]
        xs = list(first.xs)
    st = Stitched(list(pieces), xs, header_rows=max(first.header_rows, repeated_rows(pieces, s)))
    st.cells = _rows_of(first, xs, tol)
    st.row_pages = [{first.page} for _ in range(first.n_rows)]
    for piece in pieces[1:]:
        _append(st, piece, tol)
    return st


def repeated_rows(pieces: Sequence[PageTable], s: TableSettings) -> int:
    """How many top rows every continuation that repeats them repeats: header rows, printed again
    after each break (0 when none repeats). A data row ends them (a body row that happens to read
    the same is not a header), and so does the piece's last row."""
    first = pieces[0]
    top = [[squash(t) for t in row] for row in first.texts()]
    counts = []
    for p in pieces[1:]:
        if p.n_cols != first.n_cols:
            continue
        rows = [[squash(t) for t in row] for row in p.texts()]
        k = 0
        while k < min(len(top), len(rows)) - 1 and rows[k] == top[k] and any(top[k]):
            if is_data_row(first.cells, k, s):
                break
            k += 1
        if k:
            counts.append(k)
    return min(counts, default=0)


def _append(st: Stitched, piece: PageTable, tol: float) -> None:
    cells = _rows_of(piece, st.xs, tol)
    n_rows = piece.n_rows
    texts = _text_rows(cells, n_rows, st.n_cols)
    if st.header_key is None:
        st.header_key = [[squash(t) for t in row] for row in st.texts()[: st.header_rows]]
    header = st.header_key
    skip = 0
    while skip < min(len(header), n_rows) and [squash(t) for t in texts[skip]] == header[skip]:
        skip += 1
    kept = [c for c in cells if c.row + c.rowspan > skip]
    for c in kept:
        if c.row < skip:
            c.rowspan -= skip - c.row
            c.row = skip
    if skip >= n_rows or not kept:
        return
    last = st.n_rows - 1
    grid = _last_row(st, last)
    first_row = [c for c in kept if c.row == skip]

    def above(c: LCell) -> LCell | None:
        p = grid[c.col] if last >= 0 else None
        return p if p is not None and p.col == c.col and p.colspan == c.colspan else None

    drop: set[int] = set()  # columns of first-row cells merged into the row above
    consumed = 0
    if last >= 0 and _is_split_row(first_row, above):
        for c in first_row:  # the tail of a row cut by the break
            p = above(c) or grid[c.col]
            if p is None:
                continue
            if c.text:
                p.text = join_lines([p.text, c.text])
                p.pages.add(piece.page)
            if c.rowspan > 1:
                p.rowspan += c.rowspan - 1
            drop.add(c.col)
        st.row_pages[last].add(piece.page)
        consumed = 1
    elif last >= 0:
        leading = True
        for c in sorted(first_row, key=lambda c: c.col):
            leading = leading and not c.text
            p = above(c)
            if p is None or not p.text:
                continue
            if not c.text and (leading or c.rowspan > 1 or p.rowspan > 1):  # a merged cell carried over the break
                p.rowspan += c.rowspan
                drop.add(c.col)
            elif c.text and (_open_end(p.text) or _label_cut(st, p, c)):  # a merged cell's text runs over the break
                p.text = join_lines([p.text, c.text])
                p.pages.add(piece.page)
                p.rowspan += c.rowspan
                drop.add(c.col)
    offset = st.n_rows - skip - consumed
    for c in kept:
        if c.row == skip and c.col in drop:
            continue
        c.row += offset
        st.cells.append(c)
    st.row_pages.extend({piece.page} for _ in range(n_rows - skip - consumed))


def _label_cut(st: Stitched, above: LCell, below: LCell) -> bool:
    """A merged label cell cut by the break ("（四）无" | "法提供"): the column's labels are numbered
    items (（一）…, 1. …), the part above the break starts one, the part below does not, and one
    of the two parts is merged over several rows (a group label, not a row of its own)."""
    if above.rowspan == 1 and below.rowspan == 1:
        return False
    if parse_numbering(below.text) is not None or parse_numbering(above.text + below.text) is None:
        return False
    labels = {c.text for c in st.cells if c.col == above.col and c.row >= st.header_rows and c.text}
    numbered = sum(1 for t in labels if parse_numbering(t) is not None)
    return numbered * 2 > len(labels)


def _is_split_row(first_row: Sequence[LCell], above: Callable[[LCell], LCell | None]) -> bool:
    """The first row is the tail of the last one: its key cell is empty, it has text only under
    text, and more of its cells are empty under text than hold text. Empty cells merged down the
    new page (a label column carried over) are left out of the count."""
    cells = sorted((c for c in first_row if c.text or c.rowspan == 1), key=lambda c: c.col)
    if not cells or cells[0].text:
        return False
    texts = empties = 0
    for c in cells:
        p = above(c)
        has_above = p is not None and bool(p.text)
        if c.text:
            if not has_above:
                return False
            texts += 1
        elif has_above:
            empties += 1
    return texts >= 1 and empties > texts
