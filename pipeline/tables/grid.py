"""Rules + characters → a cell grid with row and column spans (no PDF re-read).

The chain, as in pdfplumber's table finder but on our own `Rule` records: cluster rule
positions into column edges `xs` and row edges `ys`; add the edges no rule draws (columns
inferred from word gaps, rows of an unruled band); an elementary cell is merged with its
neighbour wherever the border between them is not drawn (union-find); glyphs go to the cell
holding their centre.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from ..load import Char, Rule
from ..model import BBox
from ..settings import TableSettings
from .parts import Candidate, Cell, Corners, PageTable
from .regions import merge_colinear
from .text import cell_text
from .unruled import infer_columns, row_cuts

Interval = tuple[float, float]


def cluster(values: Sequence[float], tol: float) -> list[float]:
    """Sorted positions with neighbours closer than `tol` averaged into one."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(edges: Sequence[float], v: float) -> int:
    i = bisect_right(edges, v)
    if i > 0 and (i == len(edges) or v - edges[i - 1] <= edges[i] - v):
        return i - 1
    return i


def _coverage(rules: Sequence[Rule], edges: Sequence[float], horizontal: bool, tol: float) -> list[list[Interval]]:
    cov: list[list[Interval]] = [[] for _ in edges]
    for r in rules:
        pos = r.top if horizontal else r.x0
        i = _nearest(edges, pos)
        if abs(edges[i] - pos) <= tol:
            cov[i].append((r.x0, r.x1) if horizontal else (r.top, r.bottom))
    return cov


def _covered(intervals: Sequence[Interval], a: float, b: float, share: float) -> bool:
    need = share * (b - a)
    got = 0.0
    for s, e in intervals:
        got += max(0.0, min(b, e) - max(a, s))
    return got >= need


def chars_in(chars: Sequence[Char], box: BBox) -> list[Char]:
    """The glyphs centred in `box`."""
    return [
        c for c in chars if box.x0 <= (c.x0 + c.x1) / 2 <= box.x1 and box.top <= (c.top + c.bottom) / 2 <= box.bottom
    ]


def build_grid(cand: Candidate, chars: Sequence[Char], s: TableSettings) -> PageTable | None:
    """The cell grid framed by one candidate's rules, or None when it has no rows or columns."""
    hs, vs = merge_colinear(cand.rules, s)
    if not hs:
        return None
    box = cand.bbox
    xs = cluster([v.x0 for v in vs] + [box.x0, box.x1], s.rule_tol)
    ys = cluster([h.top for h in hs] + [box.top, box.bottom], s.rule_tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    inside = chars_in(chars, box)
    hcov = _coverage(hs, ys, True, s.rule_tol)
    vcov = _coverage(vs, xs, False, s.rule_tol)
    share = s.border_cover
    real_full = [_covered(hcov[i], xs[0], xs[-1], share) for i in range(len(ys))]
    if len(xs) == 2 and inside:  # no column rule at all: columns from the words of the body
        body = [c for c in inside if (c.top + c.bottom) / 2 > ys[1]] if len(ys) > 2 else inside
        for cut in infer_columns(body, s):
            crossing = [(c.top, c.bottom) for c in inside if c.x0 < cut < c.x1]
            xs.insert(bisect_right(xs, cut), cut)
            vcov.insert(bisect_right(xs, cut) - 1, _minus([(ys[0], ys[-1])], crossing))
    ys, hcov, real_full = _split_open_bands(cand, inside, xs, ys, hcov, vcov, real_full, s)
    cells = merge_cells(
        xs,
        ys,
        lambda r, c: not _covered(vcov[c + 1], ys[r], ys[r + 1], share),
        lambda r, c: not _covered(hcov[r + 1], xs[c], xs[c + 1], share),
    )
    nr = len(ys) - 1
    quality = assign_text(cells, xs, ys, inside, s.glyph_tol)
    header = header_rows(cells, real_full, nr, cand.kind)
    extractor = "grid" if cand.kind == "ruled" else "open"
    return PageTable(cand.page, box, xs, ys, cells, header, extractor, quality)


def merge_cells(
    xs: Sequence[float],
    ys: Sequence[float],
    open_right: Callable[[int, int], bool],
    open_below: Callable[[int, int], bool],
) -> list[Cell]:
    """Elementary cells joined wherever no border separates them (union-find), as spanning `Cell`s.

    open_right(r, c) / open_below(r, c): no rule between (r, c) and its right / lower neighbour.
    """
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and open_right(r, c):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and open_below(r, c):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups: dict[int, list[int]] = {}
    for i in range(nr * nc):
        groups.setdefault(find(i), []).append(i)
    cells: list[Cell] = []
    for members in sorted(groups.values()):
        rows = [m // nc for m in members]
        cols = [m % nc for m in members]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, "", _cell_box(xs, ys, r0, c0, r1, c1)))
    return cells


def _cell_box(xs: Sequence[float], ys: Sequence[float], r0: int, c0: int, r1: int, c1: int) -> Corners:
    return Corners(round(xs[c0], 2), round(ys[r0], 2), round(xs[c1 + 1], 2), round(ys[r1 + 1], 2))


def assign_text(
    cells: list[Cell], xs: Sequence[float], ys: Sequence[float], chars: Sequence[Char], tol: float
) -> float:
    """Give each cell the text of the glyphs centred in it; return the share of glyphs not
    straddling their cell's side (camelot's "accuracy": low means the grid cuts through text)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    owner = [[-1] * nc for _ in range(nr)]
    for k, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[r][c] = k
    held: list[list[Char]] = [[] for _ in cells]
    straddle = 0
    placed = 0
    for ch in chars:
        r = min(max(bisect_right(ys, (ch.top + ch.bottom) / 2) - 1, 0), nr - 1)
        c = min(max(bisect_right(xs, (ch.x0 + ch.x1) / 2) - 1, 0), nc - 1)
        k = owner[r][c]
        if k < 0:
            continue
        placed += 1
        held[k].append(ch)
        cb = cells[k].bbox
        if ch.x0 < cb.x0 - tol or ch.x1 > cb.x1 + tol:
            straddle += 1
    for cell, got in zip(cells, held, strict=True):
        cell.text = cell_text(got)
    cells.sort(key=lambda c: (c.row, c.col))
    return round(1.0 - straddle / placed, 3) if placed else 0.0


def _minus(spans: list[Interval], holes: list[Interval]) -> list[Interval]:
    """`spans` without the vertical ranges of glyphs that cross a cut (a header over two columns)."""
    out = spans
    for hs, he in sorted(holes):
        nxt: list[Interval] = []
        for s, e in out:
            if he <= s or hs >= e:
                nxt.append((s, e))
                continue
            if hs > s:
                nxt.append((s, hs))
            if he < e:
                nxt.append((he, e))
        out = nxt
    return out


def _split_open_bands(
    cand: Candidate,
    inside: Sequence[Char],
    xs: list[float],
    ys: list[float],
    hcov: list[list[Interval]],
    vcov: list[list[Interval]],
    real_full: list[bool],
    s: TableSettings,
) -> tuple[list[float], list[list[Interval]], list[bool]]:
    """Cut bands that hold several aligned text rows (the body of a three-line table) into rows."""
    share = s.border_cover
    boxed = _covered(vcov[0], ys[0], ys[-1], share) and _covered(vcov[-1], ys[0], ys[-1], share)
    # A frame whose column rules run its full height but with no rule between data rows (at most
    # one under the header): its body rows are the text lines, if they line up (row_cuts decides).
    columns_ruled = len(xs) > 2 and all(_covered(vcov[k], ys[-2], ys[-1], share) for k in range(1, len(xs) - 1))
    unruled_body = boxed and len(ys) <= 3 and columns_ruled
    if cand.kind == "ruled" and (len(ys) > 4 or (boxed and not unruled_body)):
        return ys, hcov, real_full  # rows ruled, or a closed frame: a tall band is one wrapped row
    first = 1 if len(ys) > 2 else 0  # the top band of a ruled stack is the header: never cut
    new_ys, new_cov, new_full = [ys[0]], [hcov[0]], [real_full[0]]
    for i in range(len(ys) - 1):
        band = [c for c in inside if ys[i] < (c.top + c.bottom) / 2 < ys[i + 1]]
        cuts = row_cuts(band, xs[1:-1], s) if i >= first else []
        for cut in cuts:
            new_ys.append(cut)
            new_cov.append([(xs[0], xs[-1])])
            new_full.append(False)
        new_ys.append(ys[i + 1])
        new_cov.append(hcov[i + 1])
        new_full.append(real_full[i + 1])
    return new_ys, new_cov, new_full


def header_rows(cells: Sequence[Cell], real_full: Sequence[bool], nr: int, kind: str) -> int:
    """Rows above the first row edge that no cell crosses (ruled) or the first full rule (open)."""
    if nr <= 1:
        return 0 if nr == 0 else 1
    for k in range(1, nr):
        crossed = any(c.row < k <= c.last_row for c in cells)
        if crossed:
            continue
        if kind == "open" and not real_full[k] and any(real_full[j] for j in range(k + 1, nr)):
            continue
        return k
    return 1
