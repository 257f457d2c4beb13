"""How many rows a table's header has, and whether a title row sits above it, from evidence.

The rules give a first guess (the first row edge no merged cell crosses; under a three-line
table's first full rule). The cells then say more:
- a row of one cell across the full width above the column headers is the table's subtitle
  (a title or summary line inside the frame), not a header level;
- the header never reaches the first row of data-typed cells (numbers beyond the label column):
  a piece whose first row is data has none (a continuation, or a table printed without one);
- above that row, a row is one more header level when the row over it groups columns (a cell
  spanning some, not all, of them) and it names the grouped columns one by one (words, not
  numbers), or when it is printed like the header (bold, shaded) while the body is not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from ..load import Char
from ..model import BBox
from ..normalize.numbers import parse_number
from ..settings import TableSettings
from .grid import chars_in, header_rows
from .parts import Cell, PageTable

YEAR = re.compile(r"(19|20)\d\d")


def _row_cells(cells: Sequence[Cell], r: int) -> list[Cell]:
    """The distinct cells covering row r, left to right."""
    return sorted((c for c in cells if c.row <= r <= c.last_row), key=lambda c: c.col)


def _is_data(c: Cell) -> bool:
    """A number, but not a bare year (2021 names a column as often as it counts something)."""
    v = parse_number(c.text)
    return v.is_numeric and not (v.kind == "number" and YEAR.fullmatch(c.text.strip()))


def is_data_row(cells: Sequence[Cell], r: int, s: TableSettings) -> bool:
    """Most filled cells of the row beyond its first column hold numbers (the row's own cells)."""
    own = [c for c in _row_cells(cells, r) if c.row == r and c.col > 0 and c.text.strip()]
    return bool(own) and sum(map(_is_data, own)) >= s.data_share * len(own)


def _title_row(cells: Sequence[Cell], n_rows: int, n_cols: int) -> bool:
    """Row 0 is one cell across every column, over a row of column names (words in two cells or
    more, not data: a piece continuing a table may open with a full-width group row over data)."""
    if n_rows < 3 or n_cols < 2:
        return False
    top = _row_cells(cells, 0)
    names = [c for c in _row_cells(cells, 1) if c.row == 1 and c.text.strip()]
    return (
        len(top) == 1
        and top[0].colspan == n_cols
        and top[0].rowspan == 1
        and bool(top[0].text.strip())
        and len(names) >= 2
        and not any(_is_data(c) for c in names)
    )


def _names_group(cells: Sequence[Cell], r: int, n_cols: int) -> bool:
    """Row r-1 has a cell grouping some columns, and row r names those columns one by one."""
    for g in _row_cells(cells, r - 1):
        if 1 < g.colspan < n_cols and g.last_row == r - 1 and g.text.strip():
            under = [c for c in _row_cells(cells, r) if g.col <= c.col and c.col + c.colspan <= g.col + g.colspan]
            if len(under) >= 2 and all(c.text.strip() and not _is_data(c) for c in under):
                return True
    return False


Style = tuple[bool, bool]  # (bold, shaded)
PLAIN: Style = (False, False)


def _row_style(cells: Sequence[Cell], style: dict[int, Style], r: int) -> Style | None:
    """The style all of the row's own filled cells share (two at least), else None."""
    own = [style[id(c)] for c in _row_cells(cells, r) if c.row == r and c.text.strip()]
    return own[0] if len(own) >= 2 and len(set(own)) == 1 else None


def header_depth(
    cells: Sequence[Cell], n_rows: int, n_cols: int, structural: int, style: dict[int, Style], s: TableSettings
) -> int:
    """The number of header rows: the structural guess, extended or cut by the cells' evidence.

    `style`: for each cell (by id), whether all its glyphs are bold and whether it is shaded.
    """
    first_data = next((r for r in range(n_rows) if is_data_row(cells, r, s)), None)
    if first_data == 0 and n_rows > 1:
        return 0  # a piece that opens with data (a caption under it, no header printed): no header
    depth = structural
    if first_data is not None and depth > first_data:
        depth = first_data
    limit = first_data if first_data is not None else n_rows
    head = {_row_style(cells, style, r) for r in range(depth)}
    look = next(iter(head)) if len(head) == 1 else None
    marked = (
        look is not None and look != PLAIN and any(_row_style(cells, style, r) != look for r in range(depth, n_rows))
    )
    while depth < limit:
        if _names_group(cells, depth, n_cols) or (marked and _row_style(cells, style, depth) == look):
            depth += 1
        else:
            break
    return max(depth, 1) if n_rows > 1 else min(depth, n_rows)


def _without_title(t: PageTable) -> PageTable:
    """The table with its title row taken out of the grid (the box still covers it)."""
    title = _row_cells(t.cells, 0)[0]
    cells = [replace(c, row=c.row - 1) for c in t.cells if c is not title]
    nr = t.n_rows - 1
    structural = header_rows(cells, [True] * (nr + 1), nr, "ruled")  # the first edge no merged cell crosses
    return replace(t, ys=t.ys[1:], cells=cells, subtitle=title.text, header_rows=structural)


def with_header_evidence(
    t: PageTable, chars: Sequence[Char], s: TableSettings, shades: Sequence[BBox] = ()
) -> PageTable:
    """A copy of the page table with its subtitle row split off and its header depth from evidence.

    `shades`: the page's filled shapes (a cell whose centre lies on one is shaded).
    """
    if _title_row(t.cells, t.n_rows, t.n_cols):
        t = _without_title(t)
    grid = t.grid()
    inked: set[int] = set()
    plain: set[int] = set()  # cells holding a glyph that is not bold
    for ch in chars_in(chars, t.bbox):
        if not ch.text.strip():
            continue
        r = min(max(bisect_right(t.ys, (ch.top + ch.bottom) / 2) - 1, 0), t.n_rows - 1)
        k = min(max(bisect_right(t.xs, (ch.x0 + ch.x1) / 2) - 1, 0), t.n_cols - 1)
        cell = grid[r][k]
        if cell is not None:
            inked.add(id(cell))
            if not ch.bold:
                plain.add(id(cell))
    box = t.bbox
    near = [
        (b.x0, b.top, b.x1, b.bottom)
        for b in shades
        if b.x0 < box.x1 and b.x1 > box.x0 and b.top < box.bottom and b.bottom > box.top
    ]
    style: dict[int, Style] = {}
    for c in t.cells:
        x, y = (c.bbox.x0 + c.bbox.x1) / 2, (c.bbox.top + c.bbox.bottom) / 2
        shaded = any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in near)
        style[id(c)] = (id(c) in inked and id(c) not in plain, shaded)
    depth = header_depth(t.cells, t.n_rows, t.n_cols, t.header_rows, style, s)
    return t if depth == t.header_rows and t.subtitle is None else replace(t, header_rows=depth)


__all__ = ["header_depth", "is_data_row", "with_header_evidence"]
