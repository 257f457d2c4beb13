"""Tables drawn with no rules at all: columns of text set apart by white space, under or over a caption.

Financial statements and many small tables are set this way (tabs or white space between the
figures, no line anywhere). Without rules nothing on the page marks where such a table starts, so
one is looked for only next to a table caption (表 N：…), on either side of it (first on the side
where more of the page's captions have one: a table between two captions belongs to the caption
on the page's side), and only the run of lines that follow the caption closely and read as rows:
each line in cells (words set `tabular_gap` glyph sizes apart), every cell inside one column of
the run (white gaps no word of any line crosses), at least `bare_min_cols` columns and
`bare_min_rows` lines, most lines filling every column, most lines after the first holding a
figure past the label column, and not paragraphs side by side. A line of one cell closer under a
row than rows stand apart is that row's cell wrapped onto a second line (kept in the run, left
out of the counts). The white space over the first row and under the last stands in for a
three-line table's top and bottom rules (a candidate of kind "open"), so the grid is cut from the
text as a three-line table's is. A list of captions, a TOC under a caption, a caption over prose
or over two columns of prose give no table.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ..lines import char_rows
from ..load import Char, PageData, Rule
from ..model import BBox
from ..normalize.numbers import parse_number
from ..numbering import CAPTION_FIGURE, CAPTION_TABLE
from ..settings import TableSettings
from .gutter import split_at_gutter
from .parts import Candidate
from .unruled import infer_columns, wrapped_paragraphs

Span = tuple[float, float]


def line_cells(line: Sequence[Char], s: TableSettings) -> list[tuple[Span, str]]:
    """The line's cells: runs of glyphs (spaces aside) closer than `tabular_gap` glyph sizes, with their text."""
    cells: list[tuple[Span, str]] = []
    for c in line:
        if not c.text.strip():
            continue
        if cells and c.x0 - cells[-1][0][1] < s.tabular_gap * max(c.size, 1.0):
            (a, _), text = cells[-1]
            cells[-1] = ((a, max(c.x1, cells[-1][0][1])), text + c.text)
        else:
            cells.append(((c.x0, c.x1), c.text))
    return cells


def _text(line: Sequence[Char]) -> str:
    return "".join(c.text for c in line).strip()


def _is_caption(text: str) -> bool:
    return bool(CAPTION_TABLE.match(text) or CAPTION_FIGURE.match(text))


def _run(lines: Sequence[Sequence[Char]], at: int, step: int, s: TableSettings) -> list[Sequence[Char]]:
    """The lines from the caption at `at` on in direction `step` (+1 down, -1 up) that read as rows
    and follow each other closely (the first within `caption_gap` of the caption)."""
    run: list[Sequence[Char]] = []
    row_gaps: list[float] = []
    prev = lines[at]
    j = at + step
    while 0 <= j < len(lines):
        ln = lines[j]
        size = max(c.size for c in ln)
        upper, lower = (prev, ln) if step > 0 else (ln, prev)
        gap = _gap(upper, lower)
        if gap > (s.caption_gap if not run else s.open_row_gap) * size:
            break
        if _is_caption(_text(ln)):
            break
        if len(line_cells(ln, s)) < 2 and not _wraps(lines, j, at, row_gaps, s):
            break
        if run and len(line_cells(ln, s)) >= 2 and len(line_cells(prev, s)) >= 2:
            row_gaps.append(gap)
        run.append(ln)
        prev = ln
        j += step
    return run if step > 0 else run[::-1]


def _gap(upper: Sequence[Char], lower: Sequence[Char]) -> float:
    return min(c.top for c in lower) - max(c.bottom for c in upper)


def _wraps(lines: Sequence[Sequence[Char]], j: int, at: int, row_gaps: Sequence[float], s: TableSettings) -> bool:
    """Line `j` (one cell) is a cell's text wrapped from the row line above it (through any other
    wrapped lines): each closer to the one above than `wrap_gap` of the rows' usual gap (measured on
    the run so far), and starting inside one of that row line's cells; the caption is no row line."""
    if not row_gaps:
        return False
    near = s.wrap_gap * statistics.median(row_gaps)
    (a, _), _ = line_cells(lines[j], s)[0]
    k = j
    while k - 1 not in (at, -1) and _gap(lines[k - 1], lines[k]) < near and not _is_caption(_text(lines[k - 1])):
        k -= 1
        cells = line_cells(lines[k], s)
        if len(cells) >= 2:
            size = max(c.size for c in lines[j])
            return any(x0 - size <= a < x1 for (x0, x1), _ in cells)
    return False


def _is_bare_table(run: Sequence[Sequence[Char]], s: TableSettings, min_rows: int | None = None) -> bool:
    """The run reads as rows of one grid (`min_rows` rows at least: `bare_min_rows` unless given)."""
    rows = [ln for ln in run if len(line_cells(ln, s)) >= 2]  # wrapped cells' second lines aside
    if not rows or len(rows) < (s.bare_min_rows if min_rows is None else min_rows):
        return False
    ink = [c for ln in run for c in ln if c.text.strip()]
    cuts = infer_columns(ink, s)
    n_cols = len(cuts) + 1
    if n_cols < s.bare_min_cols:
        return False
    if any(any(a < x < b for x in cuts) for ln in run for (a, b), _ in line_cells(ln, s)):
        return False  # a cell across a column gap: not one grid
    full = figures = 0
    for i, ln in enumerate(rows):
        cells = line_cells(ln, s)
        columns = {sum(1 for x in cuts if x < a) for (a, _), _ in cells}
        full += len(columns) == n_cols
        figures += i > 0 and any(parse_number(t).is_numeric for (a, _), t in cells if a > cuts[0])
    if full < s.row_share * len(rows) or figures < s.data_share * (len(rows) - 1):
        return False
    return not wrapped_paragraphs([[c for c in ln if c.text.strip()] for ln in run], cuts, s)


def bare_candidates(page: PageData, taken: Sequence[BBox], s: TableSettings) -> tuple[list[Candidate], list[Candidate]]:
    """Captioned tables with no rules on the page, outside the boxes already `taken` by ruled ones;
    and the short ones: a caption's run of rows too short to stand as a table on its own (fewer
    than `bare_min_rows`), on either side of a caption with no table, which only a continuation
    over the page break (extract.with_continuations) makes a table's piece."""
    lines = _free_lines(page, taken)
    captions = [i for i, ln in enumerate(lines) if CAPTION_TABLE.match(_text(ln))]
    runs = {(i, step): _run(lines, i, step, s) for i in captions for step in (1, -1)}
    tables = {key for key, run in runs.items() if _is_bare_table(run, s)}
    # the page's caption side: where more captions have a table (a tie: over the table, the usual side)
    order = (-1, 1) if sum(step for _, step in tables) < 0 else (1, -1)
    out: list[Candidate] = []
    short: list[Candidate] = []
    for i in captions:
        for step in order:
            run = runs[(i, step)]
            if (i, step) not in tables:
                continue
            cand = _candidate(page.number, run, taken, s)
            if cand is None:
                continue
            out.extend(split_at_gutter(cand, page.chars, s))  # tables side by side under one caption line
            taken = [*taken, cand.bbox]
            break
        else:  # either side: which piece goes on over the break is the continuation's to show
            for step in order:
                run = runs[(i, step)]
                cand = _candidate(page.number, run, taken, s) if _is_bare_table(run, s, 1) else None
                if cand is not None:
                    short.append(cand)
                    taken = [*taken, cand.bbox]
    return out, short


def _free_lines(page: PageData, taken: Sequence[BBox]) -> list[Sequence[Char]]:
    free = [
        c
        for c in page.chars
        if not any(b.x0 <= (c.x0 + c.x1) / 2 <= b.x1 and b.top <= (c.top + c.bottom) / 2 <= b.bottom for b in taken)
    ]
    return [ln for ln in char_rows(free) if _text(ln)]


def _candidate(page: int, run: Sequence[Sequence[Char]], taken: Sequence[BBox], s: TableSettings) -> Candidate | None:
    """The run's box as an open candidate (white space for its top and bottom rules), unless taken."""
    ink = [c for row in run for c in row if c.text.strip()]
    pad = s.rule_tol
    x0, x1 = min(c.x0 for c in ink) - pad, max(c.x1 for c in ink) + pad
    top, bottom = min(c.top for c in ink) - pad, max(c.bottom for c in ink) + pad
    box = BBox(x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2))
    if any(box.top < b.bottom and b.top < box.bottom and box.x0 < b.x1 and b.x0 < box.x1 for b in taken):
        return None
    edges = [Rule(box.x0, box.top, box.x1, box.top), Rule(box.x0, box.bottom, box.x1, box.bottom)]
    return Candidate(page, box, edges, "open")


def bare_continuation(
    page: PageData,
    edge: float,
    taken: Sequence[BBox],
    s: TableSettings,
    *,
    at_top: bool = True,
    min_rows: int | None = None,
) -> Candidate | None:
    """Rows with no rules that open the page's body (its first body line's top at `edge`, furniture
    above it) or, not `at_top`, close it (its last line's bottom at `edge`), read as a captioned
    table's rows are (`min_rows` rows at least, `bare_min_rows` unless given: a piece going on from
    a table on the other page has that table's columns for evidence); whether they go on over the
    break is the caller's to judge (extract.with_continuations)."""
    lines = _free_lines(page, taken)
    if at_top:
        end = next((j for j, ln in enumerate(lines) if min(c.top for c in ln) >= edge - s.rule_tol), None)
    else:
        end = next(
            (j for j in reversed(range(len(lines))) if max(c.bottom for c in lines[j]) <= edge + s.rule_tol), None
        )
    if end is None or _is_caption(_text(lines[end])) or len(line_cells(lines[end], s)) < 2:
        return None
    run = [lines[end], *_run(lines, end, 1, s)] if at_top else [*_run(lines, end, -1, s), lines[end]]
    return _candidate(page.number, run, taken, s) if _is_bare_table(run, s, min_rows) else None


__all__ = ["bare_candidates", "bare_continuation", "line_cells"]
