"""Side-by-side tables under one set of rules, split at the vertical whitespace between them.

Broker notes and statistical annexes print two borderless tables next to each other (a balance
sheet beside an income statement) between rules that run across both. Read as one, their columns
interleave and their numbers are cut. A candidate is two tables when a vertical strip of white,
crossed by no glyph, is wider than `TableSettings.gutter_gap` glyph sizes,
and each side is a table of its own: two columns or more, the first one labels (not numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lines import char_rows
from ..load import Char, Rule
from ..model import BBox
from ..normalize.numbers import parse_number
from ..settings import TableSettings
from ..text import join_chars
from .grid import chars_in
from .parts import Candidate
from .unruled import infer_columns


def _gaps(chars: Sequence[Char], tol: float) -> list[tuple[float, float]]:
    """The white vertical strips between the glyphs' x-extents, widest first."""
    spans = sorted((c.x0, c.x1) for c in chars if c.text.strip())
    out: list[tuple[float, float]] = []
    if not spans:
        return out
    end = spans[0][1]
    for a, b in spans[1:]:
        if a > end + tol:
            out.append((end, a))
        end = max(end, b)
    return sorted(out, key=lambda g: g[0] - g[1])


def _is_table(chars: Sequence[Char], s: TableSettings) -> bool:
    """Two columns or more, the first holding labels (mostly not numbers)."""
    cuts = infer_columns(chars, s)
    if not cuts:
        return False
    labels = [join_chars([c for c in ln if (c.x0 + c.x1) / 2 < cuts[0]]) for ln in char_rows(chars)]
    labels = [t for t in labels if t.strip()]
    return bool(labels) and sum(parse_number(t).is_numeric for t in labels) < s.data_share * len(labels)


def _half(cand: Candidate, x0: float, x1: float) -> Candidate:
    rules: list[Rule] = []
    for r in cand.rules:
        if r.horizontal:
            a, b = max(r.x0, x0), min(r.x1, x1)
            if b > a:
                rules.append(Rule(a, r.top, b, r.bottom))
        elif x0 <= r.x0 <= x1:
            rules.append(r)
    box = BBox(x0=round(x0, 2), top=cand.bbox.top, x1=round(x1, 2), bottom=cand.bbox.bottom)
    return Candidate(cand.page, box, rules, cand.kind)


def split_at_gutter(cand: Candidate, chars: Sequence[Char], s: TableSettings) -> list[Candidate]:
    """The candidate, or its two sides when it holds two tables side by side (each side split again).

    Only candidates without inner column rules: a ruled grid is one table, whatever its white columns.
    """
    box = cand.bbox
    inner = [r for r in cand.rules if not r.horizontal and box.x0 + s.rule_tol < r.x0 < box.x1 - s.rule_tol]
    inside = [c for c in chars_in(chars, box) if c.text.strip()]
    if inner or not inside:  # column rules: one ruled table, whatever its white columns
        return [cand]
    size = sorted(c.size for c in inside)[len(inside) // 2]
    for a, b in _gaps(inside, s.rule_tol):
        if b - a < s.gutter_gap * size:
            break
        mid = (a + b) / 2
        left = [c for c in inside if c.x1 <= mid]
        right = [c for c in inside if c.x0 >= mid]
        if _is_table(left, s) and _is_table(right, s):
            return [
                *split_at_gutter(_half(cand, box.x0, mid), left, s),
                *split_at_gutter(_half(cand, mid, box.x1), right, s),
            ]
    return [cand]


__all__ = ["split_at_gutter"]
