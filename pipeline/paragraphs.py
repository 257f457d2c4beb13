"""Paragraphs from printed lines: where one starts, and how wrapped lines are rejoined.

A new paragraph starts at a first-line indent, after a line that stopped short of the right
edge, or where the context changes (a heading, caption, table or box came between). Lines wrapped
inside a paragraph are joined with no space between CJK characters; a page break does not end a
paragraph whose last line ran to the edge and whose next line is not indented.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .layout import Layout, Line, PageLayout
from .lines import join_line_texts
from .model import Provenance
from .settings import DEFAULT_SETTINGS, Settings
from .text import is_cjk, join_wrapped


@dataclass(slots=True)
class ParaBuilder:
    lines: list[Line] = field(default_factory=list)
    seq: int = 0  # creation order: paragraphs are reported in reading order

    @property
    def text(self) -> str:
        return join_line_texts(ln.text for ln in self.lines)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def page_end(self) -> int:
        return self.lines[-1].page

    def provenance(self) -> list[Provenance]:
        out: list[Provenance] = []
        for ln in self.lines:
            if out and out[-1].page == ln.page and out[-1].bbox is not None:
                out[-1] = Provenance(page=ln.page, bbox=out[-1].bbox.union(ln.bbox))
            else:
                out.append(Provenance(page=ln.page, bbox=ln.bbox))
        return out

    def bold_lead(self) -> str | None:
        """The bold run that opens the paragraph (一是…。 / “…工程”建设。), when only part of it is bold."""
        lead: list[str] = []
        for ln in self.lines:  # a line's glyphs are read back (charpack) only while the bold run lasts
            for c in ln.chars:
                if c.text == " ":
                    continue
                if not c.bold:
                    return join_wrapped(["".join(lead)]) if len(lead) >= 2 else None
                lead.append(c.text)
        return None  # no ink, or all of it bold: no lead


@dataclass(slots=True)
class ColumnEdges:
    """Where full lines end: one text column edge per page width, and the inner edge of each box.

    Taken over the whole document (not per page) so that a page with only short lines, such as
    a declaration, does not mistake its longest line for the column edge; a page whose text block
    starts further right or left than on most pages (mirrored margins) moves its edge by as much.
    """

    column: dict[int, float]
    boxes: dict[tuple[int, int], float]
    lefts: dict[int, float] = field(default_factory=dict)  # physical page → its own left text edge
    offsets: dict[int, float] = field(default_factory=dict)  # physical page → its whole text block's shift
    rights: dict[int, float] = field(default_factory=dict)  # physical page → its own right edge, where trusted
    widths: dict[int, int] = field(default_factory=dict)  # physical page → its width (rounded)
    frames: dict[LineKey, float] = field(default_factory=dict)  # a line in an undrawn frame → the frame's right edge
    ruled: dict[int, tuple[float, float]] = field(default_factory=dict)  # physical page → its text block from a rule

    @classmethod
    def of(cls, layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> ColumnEdges:
        column_ends: dict[int, list[float]] = {}
        ends: dict[int, list[tuple[float, float]]] = {}  # physical page → its lines' (x0, x1), too few lines
        boxes: dict[tuple[int, int], float] = {}
        lefts: dict[int, float] = {}  # physical page → its own left and right edges, from enough lines
        rights: dict[int, float] = {}
        q = settings.structure.column_edge_quantile
        for page in layout.pages:
            body = [ln for ln in page.lines if not ln.in_table and ln.box is None and ln.text.strip()]
            if len(body) >= settings.structure.page_edge_min_lines:  # too few lines say nothing of the page
                lefts[page.number] = min(ln.x0 for ln in body)
                rights[page.number] = sorted(ln.x1 for ln in body)[int(q * (len(body) - 1))]
            elif body:
                ends[page.number] = [(ln.x0, ln.x1) for ln in body]
            inside: dict[int, list[Line]] = {}
            for ln in page.lines:
                if ln.in_table:
                    continue
                if ln.box is None:
                    column_ends.setdefault(round(page.width), []).append(ln.x1)
                else:
                    inside.setdefault(ln.box, []).append(ln)
            for i, lines in inside.items():
                box = page.boxes[i]
                pad = max(0.0, min(ln.x0 for ln in lines) - box.x0)
                boxes[(page.number, i)] = max(box.x1 - pad, max(ln.x1 for ln in lines))
        column = {}
        for width, xs in column_ends.items():
            xs.sort()
            column[width] = xs[int(settings.structure.column_edge_quantile * (len(xs) - 1))]
        widths = {p.number: round(p.width) for p in layout.pages}
        shifts = block_shifts(column, lefts, rights, layout, settings)
        edges = cls(column, boxes, lefts, shifts, recurring_rights(rights, ends, layout, settings), widths)
        edges.ruled = ruled_blocks(layout, settings)
        edges.rights.update(shared_blocks(edges, ends, layout, settings))
        for page in layout.pages:
            edges.frames.update(line_frames(page, edges.page_right(page.number, page.width), settings))
        return edges

    def shift(self, prev: Line, line: Line) -> float:
        """How much further right `line`'s page starts its text than `prev`'s (mirrored margins)."""
        if prev.page == line.page or prev.box is not None or line.box is not None:
            return 0.0
        if line.page not in self.lefts or prev.page not in self.lefts:
            return 0.0
        return self.lefts[line.page] - self.lefts[prev.page]

    def moved(self, prev: Line, line: Line) -> float:
        """How much further right `line`'s page ends its text lines than `prev`'s."""
        if prev.page == line.page or prev.box is not None or line.box is not None:
            return 0.0
        return self.page_right(line.page) - self.page_right(prev.page)

    def page_right(self, page: int, width: float | None = None) -> float:
        """Where full lines of a page end: the text block a rule spans (ruled_blocks), else its own
        edge where other pages share it, else the column's (moved with the page's whole text block)."""
        if page in self.ruled:
            return self.ruled[page][1]
        if page in self.rights:
            return self.rights[page]
        w = self.widths.get(page, round(width or 0.0))
        return self.column.get(w, width or float(w)) + self.offsets.get(page, 0.0)

    def right(self, page: PageLayout, line: Line) -> float:
        if line.box is not None:
            return self.boxes.get((page.number, line.box), page.width)
        return self.frames.get(line_key(line), self.page_right(page.number, page.width))


def ruled_blocks(layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> dict[int, tuple[float, float]]:
    """Pages whose text block a header or footer rule shows where none of its lines does: a page
    of one-line paragraphs has every line at a first-line indent (none a first-line indent right of
    another), so the lines' own left edge is the indent and their right edge where the sentences
    happen to end. A horizontal rule above or
    below all body lines (outside tables), whose left end lies a first-line indent (indent_min to
    ruled_indent_max em) left of every body line and whose right end no line passes (a page whose
    text block moved, mirrored margins, is not measured by the rule), spans the text block (a word
    processor draws a header's border from margin to margin)."""
    cfg = settings.structure
    out: dict[int, tuple[float, float]] = {}
    rules = {p.number: p.rules for p in layout.loaded.pages}
    for page in layout.pages:
        body = [ln for ln in page.lines if not ln.in_table and ln.box is None and ln.text.strip()]
        if not body:
            continue
        top, bottom = min(ln.top for ln in body), max(ln.bottom for ln in body)
        left, right = min(ln.x0 for ln in body), max(ln.x1 for ln in body)
        size = layout.body_size
        low, high = cfg.indent_min * size, cfg.ruled_indent_max * size
        if any(low < ln.x0 - left <= high for ln in body):
            continue  # lines at the page's own left edge and first lines indented from it: the lines show it
        for r in rules.get(page.number, []):
            in_table = any(t.top <= r.top <= t.bottom for t in page.table_regions)
            if not r.horizontal or top <= r.top <= bottom or in_table:
                continue
            indent = low < left - r.x0 <= high
            if indent and right <= r.x1 + cfg.indent_min * size:  # no line runs past the block (moved text)
                out[page.number] = (r.x0, r.x1)
                break
    return out


LineKey = tuple[int, float, float]  # (page, top, x0): a printed line, whatever object holds it


def line_key(line: Line) -> LineKey:
    return (line.page, round(line.top, 1), round(line.x0, 1))


def line_frames(page: PageLayout, right: float, settings: Settings = DEFAULT_SETTINGS) -> dict[LineKey, float]:
    """Lines set in a frame the layout found no box for (drawn as curves: a rounded call-out): a run
    of consecutive lines inset from the page's text edge, all stopping short of its right edge, two
    or more of them ending together. Their right edge is the frame's: its wrapped lines rejoin."""
    cfg = settings.structure
    lines = [ln for ln in page.lines if not ln.in_table and ln.box is None and ln.text.strip()]
    left = min((ln.x0 for ln in lines), default=0.0)
    runs: list[list[Line]] = []
    prev: Line | None = None
    for ln in lines:
        inset = ln.x0 > left + cfg.frame_inset * ln.size and ln.x1 < right - cfg.full_line_slack * ln.size
        near = prev is not None and runs and runs[-1][-1] is prev
        if inset and near and prev is not None and ln.top - prev.bottom <= cfg.paragraph_gap * ln.size:
            runs[-1].append(ln)
        elif inset:
            runs.append([ln])
        prev = ln
    out: dict[LineKey, float] = {}
    for run in runs:
        edge = max(ln.x1 for ln in run)
        full = [ln for ln in run if ln.x1 >= edge - cfg.full_line_slack * ln.size]
        if len(run) >= cfg.frame_min_lines and len(full) >= 2:
            out.update((line_key(ln), edge) for ln in run)
    return out


def block_shifts(
    column: dict[int, float], lefts: dict[int, float], rights: dict[int, float], layout: Layout, settings: Settings
) -> dict[int, float]:
    """Pages whose whole text block sits further right or left than usual (mirrored margins): both
    edges moved by the same amount. The usual left edge is that of the pages ending at the column."""
    slack = settings.structure.full_line_slack * layout.body_size
    widths = {p.number: round(p.width) for p in layout.pages}
    at_column = [round(lefts[n]) for n in rights if abs(rights[n] - column.get(widths[n], 0.0)) < slack]
    usual = Counter(at_column).most_common(1)
    if not usual:
        return {}
    base = float(usual[0][0])
    out = {}
    for n, right in rights.items():
        moved, right_moved = lefts[n] - base, right - column.get(widths[n], right)
        if abs(moved) >= slack / 2 and abs(moved - right_moved) < settings.structure.indent_min * layout.body_size:
            out[n] = moved
    return out


def recurring_rights(
    rights: dict[int, float], ends: dict[int, list[tuple[float, float]]], layout: Layout, settings: Settings
) -> dict[int, float]:
    """The pages whose own right edge (read from enough lines) other pages share: a second text
    column edge of the document (mirrored margins), trusted for the page even when its left edge
    moved alone (a wider left margin on a mirrored page). A right edge no other page has (a page of
    short lines) is not. A page with few lines (`ends`: their x0, x1) takes such an edge where two
    of its lines end together on it and none goes further."""
    tol = settings.structure.full_line_slack * layout.body_size / 2
    need = settings.structure.page_edge_min_pages
    out = {n: x for n, x in rights.items() if sum(abs(x - o) < tol for o in rights.values()) >= need}
    for n, lines in ends.items():
        edge = max(x1 for _, x1 in lines)
        if sum(x1 > edge - tol for _, x1 in lines) >= 2 and any(abs(edge - o) < tol for o in out.values()):
            out[n] = edge
    return out


def shared_blocks(
    edges: ColumnEdges, ends: dict[int, list[tuple[float, float]]], layout: Layout, settings: Settings
) -> dict[int, float]:
    """Right edges for pages with too few lines to measure their own (a paragraph's last lines
    carried over to a page of their own): a page whose lines start at the left edge of a measured
    page, the nearest such, and none passes that page's right edge, shares its text block (its
    edge where a wider left margin or mirrored margins moved the block from the column's)."""
    tol = settings.structure.full_line_slack * layout.body_size / 2
    out: dict[int, float] = {}
    for n, lines in ends.items():
        if n in edges.rights or n in edges.ruled:
            continue
        left, end = min(x0 for x0, _ in lines), max(x1 for _, x1 in lines)
        same = sorted((abs(m - n), m) for m, x in edges.lefts.items() if abs(x - left) < tol)
        if same:
            right = edges.page_right(same[0][1])
            if end <= right + tol:
                out[n] = right
    return out


def continues(
    prev: Line, line: Line, right_edge: float, settings: Settings = DEFAULT_SETTINGS, edges: ColumnEdges | None = None
) -> bool:
    """Does `line` carry on the paragraph whose last line is `prev`? `right_edge` is the edge of
    `line`'s page; with `edges`, a page break between pages whose text sits differently (mirrored
    margins) compares each line with its own page's edges."""
    cfg = settings.structure
    if (prev.box is None) != (line.box is None):
        return False
    if prev.page == line.page:
        if prev.box != line.box:
            return False
        if line.top - prev.bottom > cfg.paragraph_gap * max(prev.size, line.size):
            return False
    elif line.page != prev.page + 1:
        return False
    if abs(prev.size - line.size) > cfg.paragraph_size_tolerance:
        return False
    shift, moved = (edges.shift(prev, line), edges.moved(prev, line)) if edges is not None else (0.0, 0.0)
    # a line's indent counts from the paragraph's left edge, or from the page's text block where a
    # rule shows it (then a one-line paragraph at the indent is followed by another first line)
    left = prev.x0
    if edges is not None and prev.page == line.page and line.box is None and line.page in edges.ruled:
        left = min(left, edges.ruled[line.page][0])
    if line.x0 - shift > left + cfg.indent_min * line.size:
        return False
    # ragged right: a line may stop short by up to the width of the word that did not fit (measured
    # from the glyphs only when the fixed slack does not settle it: they are read back, charpack)
    if prev.x1 >= right_edge - moved - cfg.full_line_slack * prev.size:
        return True
    return prev.x1 >= right_edge - moved - (_first_word_width(line, settings) + cfg.space_width * line.size)


def _first_word_width(line: Line, settings: Settings) -> float:
    """Width of the unbreakable run a line starts with: one CJK char, or a Latin word/number."""
    cfg = settings.structure
    ink = [c for c in line.chars if c.text != " "]
    if not ink:  # a line without glyph positions: estimate from its text (half-width Latin)
        word = re.match(r"[^\s\u2e80-\uffef]+", line.text.strip())
        return cfg.latin_char_width * line.size * len(word.group(0)) if word else line.size
    if is_cjk(ink[0].text):
        return ink[0].x1 - ink[0].x0
    end = ink[0]
    for c in ink[1:]:
        if is_cjk(c.text) or c.x0 - end.x1 > cfg.word_gap * c.size:
            break
        end = c
    return end.x1 - ink[0].x0
