"""Rows and columns that no rule draws: three-line tables (三线表) and tables without verticals.

Columns come from the word positions (a boundary where no word crosses, in every line), rows
from the text lines of a band whose columns all line up on the same baselines; a line that
leaves some columns empty and stands closer to its neighbour than rows stand apart is a cell
wrapped onto a second line, not a row. A ruled band
whose cells merely wrap (one column with three lines, the rest with one) is left whole.
"""

from __future__ import annotations

import itertools
import statistics
from bisect import bisect_right
from collections.abc import Sequence

from ..lines import char_rows
from ..load import Char
from ..settings import TableSettings


def _words(line: Sequence[Char], s: TableSettings) -> list[tuple[float, float]]:
    words: list[tuple[float, float]] = []
    for c in line:
        if words and c.x0 - words[-1][1] <= s.word_gap * max(c.size, 1.0):
            words[-1] = (words[-1][0], max(words[-1][1], c.x1))
        else:
            words.append((c.x0, c.x1))
    return words


def infer_columns(chars: Sequence[Char], s: TableSettings) -> list[float]:
    """Internal column boundaries: middles of the vertical white gaps that no word of any line crosses."""
    spans = sorted(w for ln in char_rows(chars) for w in _words(ln, s))
    if not spans:
        return []
    size = sorted(c.size for c in chars)[len(chars) // 2]
    cuts: list[float] = []
    b = spans[0][1]
    for a, e in spans[1:]:
        if a - b >= s.column_gap * size:
            cuts.append((a + b) / 2)
            b = e
        else:
            b = max(b, e)
    return cuts


SENTENCE_END = ("。", "！", "？", "；", ".", "!", "?", ";", "：", ":")


def wrapped_paragraphs(lines: Sequence[Sequence[Char]], xs: Sequence[float], s: TableSettings) -> bool:
    """Every column's lines but its last fill the column and run on mid-sentence: paragraphs side by side
    (a layout frame around text), not rows that happen to line up."""
    by_col: dict[int, list[list[Char]]] = {}
    for ln in lines:
        for k, group in itertools.groupby(ln, key=lambda c: bisect_right(xs, (c.x0 + c.x1) / 2)):
            by_col.setdefault(k, []).append(list(group))
    multi = [col for col in by_col.values() if len(col) >= 2]
    if not multi:
        return False
    for col in multi:
        right = max(c.x1 for part in col for c in part)
        for part in col[:-1]:
            ink = [c for c in part if c.text.strip()]
            if (
                len(ink) < s.wrap_line_chars
                or ink[-1].x1 < right - max(c.size for c in ink)
                or ink[-1].text in SENTENCE_END
            ):
                return False
    return True


def row_cuts(chars: Sequence[Char], xs: Sequence[float], s: TableSettings, force: bool = False) -> list[float]:
    """Where to cut one band into text rows, or [] when it is one (wrapped) row.

    The band is rows when it has 2+ line slots, most non-empty columns put a line in 2+ slots
    and most slots hold text in 2+ columns (the columns line up, unlike two long wrapped cells
    side by side); `force` is for bands known to be unruled body rows.
    """
    lines = char_rows(chars)
    if len(lines) < 2:
        return []
    per_col: dict[int, set[int]] = {}
    for i, ln in enumerate(lines):
        for c in ln:
            per_col.setdefault(bisect_right(xs, (c.x0 + c.x1) / 2), set()).add(i)
    filled = [s for s in per_col.values() if s]
    if not force and wrapped_paragraphs(lines, xs, s):
        return []
    multi = sum(1 for s in filled if len(s) >= 2)
    row_like = sum(1 for i in range(len(lines)) if sum(1 for s in filled if i in s) >= 2)
    if not force and (len(filled) < 2 or multi < s.row_share * len(filled) or row_like < s.row_share * len(lines)):
        return []
    cols_of = [{bisect_right(xs, (c.x0 + c.x1) / 2) for c in ln} for ln in lines]
    full = max(len(f) for f in cols_of)
    gaps = [min(c.top for c in lo) - max(c.bottom for c in up) for up, lo in itertools.pairwise(lines)]
    wrap = s.wrap_gap * statistics.median(gaps)
    cuts = []
    for k, (upper, lower) in enumerate(itertools.pairwise(lines)):
        if gaps[k] < wrap and min(len(cols_of[k]), len(cols_of[k + 1])) < full:
            continue  # a cell wrapped onto a second line, closer than rows stand apart: one row
        cuts.append((max(c.bottom for c in upper) + min(c.top for c in lower)) / 2)
    return cuts
