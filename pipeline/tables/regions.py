"""Where tables may sit on a page: table candidates from ruling lines.

Two kinds of candidate, both from `PageData.rules` only (no second PDF read):
- "ruled": a connected set of horizontal and vertical rules (full grids, and three-line tables
  whose column separators touch the rules, as in statistical bulletins);
- "open": a stack of parallel horizontal rules of the same width with tabular text between them
  (三线表: rules at the top, under the header and at the bottom, no verticals at all).
Where a page break cuts a table, its piece may miss a rule: a frame with column rules may lack
its top or bottom rule (one rule across verticals of one extent still frames a piece); a
three-line table's first piece may lack its bottom rule (a top rule and a header rule frame the
tabular lines that follow them closely), and its last piece, without a repeated header, has only
its bottom rule (tabular lines from the head of the page down to a lone rule).
Whether a candidate really is a data table (not a one-cell case box) is decided on its grid.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..lines import char_rows
from ..load import Char, PageData, Rule
from ..model import BBox
from ..numbering import CAPTION_TABLE
from ..settings import TableSettings
from .parts import Candidate


def merge_colinear(rules: Sequence[Rule], s: TableSettings) -> tuple[list[Rule], list[Rule]]:
    """Join colinear, touching pieces into single horizontal and vertical rules."""
    hs = sorted((r for r in rules if r.horizontal and r.x1 - r.x0 >= s.min_rule), key=lambda r: (r.top, r.x0))
    vs = sorted((r for r in rules if not r.horizontal and r.bottom - r.top >= s.min_rule), key=lambda r: (r.x0, r.top))
    return _merge(hs, True, s.merge_tol), _merge(vs, False, s.merge_tol)


def _merge(rules: list[Rule], horizontal: bool, tol: float) -> list[Rule]:
    pos = (lambda r: r.top) if horizontal else (lambda r: r.x0)
    lo = (lambda r: r.x0) if horizontal else (lambda r: r.top)
    hi = (lambda r: r.x1) if horizontal else (lambda r: r.bottom)
    rows: list[list[Rule]] = []
    for r in rules:
        if rows and abs(pos(r) - pos(rows[-1][0])) <= tol:
            rows[-1].append(r)
        else:
            rows.append([r])
    out: list[Rule] = []
    for row in rows:
        p = sum(pos(r) for r in row) / len(row)
        spans = sorted((lo(r), hi(r)) for r in row)
        a, b = spans[0]
        for lo_, e in spans[1:]:
            if lo_ <= b + tol:
                b = max(b, e)
            else:
                out.append(Rule(a, p, b, p) if horizontal else Rule(p, a, p, b))
                a, b = lo_, e
        out.append(Rule(a, p, b, p) if horizontal else Rule(p, a, p, b))
    return out


def _components(hs: list[Rule], vs: list[Rule], tol: float) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules connected by crossings or touching ends (union-find over h×v pairs)."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.x0 - tol <= v.x0 <= h.x1 + tol and v.top - tol <= h.top <= v.bottom + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return list(groups.values())


def _bbox(rules: Sequence[Rule]) -> BBox:
    return BBox(
        x0=round(min(r.x0 for r in rules), 2),
        top=round(min(r.top for r in rules), 2),
        x1=round(max(r.x1 for r in rules), 2),
        bottom=round(max(r.bottom for r in rules), 2),
    )


def _band_lines(chars: Sequence[Char], x0: float, x1: float, top: float, bottom: float) -> list[list[Char]]:
    inside = [c for c in chars if x0 <= (c.x0 + c.x1) / 2 <= x1 and top < (c.top + c.bottom) / 2 < bottom]
    return char_rows(inside)


def _is_tabular(lines: list[list[Char]], s: TableSettings) -> bool:
    """Text between two rules looks like table rows: most lines have a column-wide gap, none is a caption."""
    if not lines:
        return False
    gapped = 0
    for ln in lines:
        text = "".join(c.text for c in ln)
        if CAPTION_TABLE.match(text.strip()):
            return False
        size = max(c.size for c in ln)
        if any(b.x0 - a.x1 >= s.tabular_gap * size for a, b in itertools.pairwise(ln)):
            gapped += 1
    return gapped >= max(1, s.tabular_share * len(lines))


def _open_stacks(lone: list[Rule], page: PageData, s: TableSettings) -> list[list[Rule]]:
    """Stacks of same-width horizontal rules with tabular text between consecutive ones."""
    long = sorted((r for r in lone if r.x1 - r.x0 >= s.open_rule * page.width), key=lambda r: r.top)
    align = s.open_rule_align * page.width
    stacks: list[list[Rule]] = []
    for r in long:
        for st in sorted(stacks, key=lambda st: -st[-1].top):  # the nearest rule above first, not a rule far up
            last = st[-1]
            if abs(last.x0 - r.x0) <= align and abs(last.x1 - r.x1) <= align and r.top - last.top > s.rule_tol:
                if _is_tabular(_band_lines(page.chars, r.x0, r.x1, last.top, r.top), s):
                    st.append(r)
                    break
        else:
            stacks.append([r])
    out: list[list[Rule]] = []
    for st in stacks:
        if len(st) < 2:
            continue
        top, bottom = st[0].top, st[-1].top
        inner = [
            r
            for r in lone
            if r not in st and top < r.top < bottom and st[0].x0 - s.rule_tol <= r.x0 and r.x1 <= st[0].x1 + s.rule_tol
        ]
        out.append(sorted(st + inner, key=lambda r: r.top))
    return out


def _open_frame(h: Rule, vs: Sequence[Rule], s: TableSettings) -> bool:
    """A frame and its column rules left open where a page break cuts the table: three or more
    verticals of the same extent, closed by one rule across them at their top or bottom."""
    tol = s.rule_tol
    if len(vs) < 3 or any(abs(v.top - vs[0].top) > tol or abs(v.bottom - vs[0].bottom) > tol for v in vs):
        return False
    spans = abs(h.x0 - min(v.x0 for v in vs)) <= tol and abs(h.x1 - max(v.x0 for v in vs)) <= tol
    return spans and min(abs(h.top - vs[0].top), abs(h.top - vs[0].bottom)) <= tol


def find_candidates(page: PageData, s: TableSettings, *, open_min_rows: int | None = None) -> list[Candidate]:
    """Rule groups that may frame a table, top to bottom; cheap, run on every page.

    `open_min_rows`: the rows a lone bottom rule needs over it (`TableSettings.open_min_rows`
    unless given: fewer where a table going on from the page before is the evidence)."""
    hs, vs = merge_colinear(page.rules, s)
    if not hs:
        return []
    cands: list[Candidate] = []
    lone: list[Rule] = []
    for ghs, gvs in _components(hs, vs, s.rule_tol):
        if (len(ghs) >= 2 and gvs) or (len(ghs) == 1 and _open_frame(ghs[0], gvs, s)):
            cands.append(Candidate(page.number, _bbox(ghs + gvs), ghs + gvs, "ruled"))
        elif not gvs:
            lone.extend(ghs)
    ruled = [c.bbox for c in cands]
    stacks = _open_stacks(lone, page, s)
    for st in stacks:
        box = _bbox(st)
        if len(st) == 2 and len(_band_lines(page.chars, box.x0, box.x1, box.top, box.bottom)) <= s.open_header_lines:
            box = _rows_below(box, page.chars, ruled, s)  # a top rule and a header rule: rows run on to the break
        cands.append(Candidate(page.number, box, st, "open"))
    stacked = {id(r) for st in stacks for r in st}
    for r in lone:
        if id(r) not in stacked and r.x1 - r.x0 >= s.open_rule * page.width:
            least = s.open_min_rows if open_min_rows is None else open_min_rows
            top = _rows_above(r, page.chars, [c.bbox for c in cands], s, least)
            if top is not None:  # a three-line table's last piece: rows from the page's head to its bottom rule
                cands.append(Candidate(page.number, top, [r], "open"))
    return sorted(cands, key=lambda c: (c.bbox.top, c.bbox.x0))


def _rows_above(
    rule: Rule, chars: Sequence[Char], taken: Sequence[BBox], s: TableSettings, min_rows: int
) -> BBox | None:
    """The rows over a lone bottom rule, when they open the page: at least `min_rows` tabular
    lines close above it, with no more than `open_top_lines` lines (running header, page number)
    standing clear above them. A three-line table continued without its header has only this."""
    above = [c for c in chars if (c.top + c.bottom) / 2 < rule.top]
    inside = [c for c in above if rule.x0 <= c.x0 and c.x1 <= rule.x1]
    rows: list[list[Char]] = []
    edge = rule.top
    for ln in reversed(char_rows(inside)):
        bottom, size = max(c.bottom for c in ln), max(c.size for c in ln)
        if edge - bottom > s.open_row_gap * size or not _is_tabular([ln], s):
            break
        edge = min(c.top for c in ln)
        if any(edge < t.bottom and t.top < bottom for t in taken):
            return None
        rows.append(ln)
    if len(rows) < min_rows:
        return None
    size = max(c.size for c in rows[-1])
    over = char_rows(c for c in above if (c.top + c.bottom) / 2 < edge)
    if len(over) > s.open_top_lines or any(edge - max(c.bottom for c in ln) <= s.open_row_gap * size for ln in over):
        return None
    return BBox(x0=rule.x0, top=round(edge - s.rule_tol, 2), x1=rule.x1, bottom=rule.top)


def _rows_below(box: BBox, chars: Sequence[Char], taken: Sequence[BBox], s: TableSettings) -> BBox:
    """`box` grown down over the tabular lines that follow it closely (a three-line table cut by a
    page break has no bottom rule on that page); unchanged when none follow."""
    below = [c for c in chars if box.x0 <= c.x0 and c.x1 <= box.x1 and (c.top + c.bottom) / 2 > box.bottom]
    bottom = box.bottom
    for ln in char_rows(below):
        top, size = min(c.top for c in ln), max(c.size for c in ln)
        if top - bottom > s.open_row_gap * size or not _is_tabular([ln], s):
            break
        line_box = BBox(x0=ln[0].x0, top=top, x1=max(c.x1 for c in ln), bottom=max(c.bottom for c in ln))
        if any(line_box.top < t.bottom and t.top < line_box.bottom for t in taken):
            break
        bottom = line_box.bottom
    if bottom == box.bottom:
        return box
    return BBox(x0=box.x0, top=box.top, x1=box.x1, bottom=round(bottom + s.rule_tol, 2))
