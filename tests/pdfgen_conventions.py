"""Synthetic reports whose tables follow other layout conventions, switched on by flags that combine.

Colleges do not share a template: one prints the caption under its table, another uses three-line
tables (三线表) that repeat their header after a page break, another frames a table and rules its
columns but not its rows, another lets a merged cell break over two pages, and the annex is often
printed landscape. `Conventions` turns each of these on; `build_conventions` draws the report by
hand on a reportlab canvas (so a page break can fall anywhere, even inside a merged cell, as Word
lets it) and returns, next to the PDF, the tables a perfect extraction returns (`ExpectedTable`):
ids, captions, pages, header rows, body rows and spans, all known from the drawing itself.

Every flag adds one table (or changes every caption) to a base report with two fully ruled tables
(a small one, and one over a page break with its header repeated). The page break of each
crossing table is placed from the space left on the page, so the same flags work on any
`ReportStyle` of the section layout tests (tests/pdfgen_report.py: page size, margins, type
size, running header and its rule, page number format). Where a page break
cuts a three-line table, its page keeps no bottom rule (as Word prints it); a framed table is left
open at the break unless `framed_closed`. The wording and numbers are this module's own, not the
public report's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from reportlab.lib.pagesizes import landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .pdfgen import CJK_FONT
from .pdfgen_report import STYLES, ReportStyle

SpanT = tuple[str, int, int, int, int]  # (part, row, col, rowspan, colspan), as pipeline.model.Span


@dataclass(frozen=True, slots=True)
class Conventions:
    """Table conventions of one report; every combination is a valid report."""

    caption_below: bool = False  # every caption under its table (after its last fragment)
    three_line_repeat: bool = False  # a 三线表 over a page break, its header row repeated
    three_line_plain: bool = (
        False  # a 三线表 over a page break, no header after it: that piece has only its bottom rule
    )
    framed_unruled: bool = False  # frame + column rules, no rules between data rows; no header after the break
    merged_cut: bool = False  # a ruled table whose merged label cell is cut by the page break
    landscape_annex: bool = False  # an annex table over three landscape pages, two-row header repeated
    framed_closed: bool = False  # with framed_unruled: the frame is also ruled at the break (each piece boxed)
    caption_across_break: bool = False  # the page break parts the crossing ruled table from its caption
    rotated_annex: bool = False  # the landscape annex on portrait pages turned by /Rotate 90 (shown landscape)
    sideways_annex: bool = False  # the landscape annex drawn turned a quarter on portrait pages, no /Rotate
    units_header_repeat: bool = False  # a ruled table, 2-row header (names, then units) repeated after the break
    borderless: bool = False  # a table with no rules at all: columns set apart by white space, figures right-aligned
    borderless_across: bool = False  # a table with no rules over a page break, its header printed again after it
    three_row_header: bool = False  # a ruled table under a 3-row header of column groups (spans down and across)
    side_by_side: bool = False  # two tables with no rules side by side, each under (or over) its own caption
    hidden_duplicate: bool = False  # a ruled table whose cells hold unseen numbers under the printed ones
    short_tails: bool = False  # each table over a page break leaves only one or two rows for its last page

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, *names: str) -> Conventions:
        return cls(**dict.fromkeys(names, True))


@dataclass(slots=True)
class ExpectedTable:
    id: str
    number: str
    caption: str
    pages: list[int]
    header: list[list[str]]
    rows: list[list[str]]
    spans: set[SpanT] = field(default_factory=set)


@dataclass(slots=True)
class BuiltTables:
    path: Path
    conventions: Conventions
    style: ReportStyle
    tables: list[ExpectedTable]
    paragraphs: list[str] = field(default_factory=list)  # the body paragraphs printed, in order


@dataclass(frozen=True, slots=True)
class Wording:
    """Another document's words: each (old, new) pair replaces this module's own wording wherever
    it is printed (captions, headers, labels, paragraphs, titles), longest first; `thousands`
    prints figures of 1,000 and more with separators (years excepted)."""

    name: str
    pairs: tuple[tuple[str, str], ...] = ()
    thousands: bool = False
    running_header: str | None = None  # printed instead of the style's running header

    def say(self, text: str) -> str:
        """`text` with every old word replaced in one pass (a new word is never replaced again)."""
        if not self.pairs:
            return text
        words = dict(self.pairs)
        pattern = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
        return re.sub(pattern, lambda m: words[m.group(0)], text)

    def figure(self, text: str) -> str:
        """A body cell as printed: reworded, and a bare figure of 1,000 or more with separators."""
        text = self.say(text)
        if not self.thousands or not _FIGURE.fullmatch(text) or _YEAR.fullmatch(text):
            return text
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")


_FIGURE = re.compile(r"\d{4,}(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
OWN = Wording("own")


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------

Style = str  # "grid" | "three_line" | "framed" | "bare" (no rules)


@dataclass(slots=True)
class _Merged:
    """A body cell merged over `rowspan` rows whose text lines flow top-down through its rows."""

    row: int
    col: int
    rowspan: int
    lines: list[str]


@dataclass(slots=True)
class _Table:
    number: int
    caption: str
    style: Style
    widths: list[float]
    header: list[list[str]]  # printed header rows ("" under a span)
    header_spans: list[tuple[int, int, int, int]]  # (row, col, rowspan, colspan) in the header
    rows: list[list[str]]  # printed body rows ("" in merged cells, their text is in `merged`)
    merged: list[_Merged] = field(default_factory=list)
    repeat_header: bool = True
    closed_at_break: bool = True  # the frame is closed at a page break (else open, as Word leaves it)
    caption_across: bool = False  # the caption on the page before the table (above) or after it (below)
    hidden: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # (row, col) → (unseen text, how)


class _Pages:
    """A page cursor: furniture on every page, text lines, page breaks, the pages each item used."""

    def __init__(
        self, path: Path, st: ReportStyle, first_label: int = 0, first_page: int = 1, wording: Wording = OWN
    ) -> None:
        self.st = st
        self.wording = wording
        self.first_page = first_page  # the physical page number of the first page (mirrored margins)
        self.first_label = first_label  # the page number printed on the first page (0: the cover, unnumbered)
        self.paragraphs: list[str] = []
        self.cv = Canvas(str(path), pagesize=st.pagesize)
        self.page = 0
        self.size = st.pagesize
        self.turn = ""  # "rotate": a portrait box shown turned by /Rotate 90; "drawn": drawn turned, no /Rotate
        self.y = 0.0  # distance from the top of the page to the cursor

    @property
    def cell_size(self) -> float:
        return min(9.0, self.st.body_size - 1.5)

    @property
    def row_h(self) -> float:
        return self.cell_size * 2.2

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def left(self) -> float:
        """The text block's left edge: wider on even pages with mirrored margins (`ReportStyle.mirror`)."""
        even = (self.first_page + self.page - 1) % 2 == 0
        return self.st.margins[0] + (self.st.mirror if even else 0.0)

    @property
    def text_width(self) -> float:
        return self.size[0] - self.st.margins[0] - self.st.margins[1]

    @property
    def bottom(self) -> float:
        return self.size[1] - self.st.margins[3]

    def room(self) -> float:
        return self.bottom - self.y

    def new_page(
        self, size: tuple[float, float] | None = None, furniture: bool = True, turn: str | None = None
    ) -> None:
        """A new page of `size` (default: as the last); `turn` (default: as the last) draws a
        landscape page a quarter turn counter-clockwise inside a portrait box, with /Rotate 90 so
        viewers show it upright ("rotate"), or without, as it was printed sideways ("drawn")."""
        if self.page:
            self.cv.showPage()
        self.size = size or self.size
        self.turn = self.turn if turn is None else turn
        self.cv.setPageRotation(90 if self.turn == "rotate" else 0)
        # reportlab writes the MediaBox of a page with /Rotate 90 turned back: a portrait box for a landscape size
        self.cv.setPageSize(
            self.size if self.turn == "rotate" else (self.size[1], self.size[0]) if self.turn else self.size
        )
        if self.turn:
            self.cv.translate(self.size[1], 0)
            self.cv.rotate(90)
        self.page += 1
        self.y = self.st.margins[2]
        w, h = self.size
        if not furniture:
            return
        if self.st.running_header:
            self.cv.setFont(CJK_FONT, 9)
            running = self.wording.running_header or self.st.running_header
            self.cv.drawCentredString(w / 2, h - self.st.margins[2] * 0.55, running)
            if self.st.header_rule:
                self.cv.setLineWidth(0.6)
                self.cv.line(
                    self.st.margins[0],
                    h - self.st.margins[2] * 0.55 - 4,
                    w - self.st.margins[1],
                    h - self.st.margins[2] * 0.55 - 4,
                )
        label = self.st.label_text(self.page - 1 + self.first_label)  # the cover is not numbered
        if label:
            self.cv.setFont(CJK_FONT, 9)
            self.cv.drawCentredString(w / 2, self.st.margins[3] * 0.45, label)

    def text(self, x: float, top: float, text: str, size: float, width: float = 0.0) -> None:
        """One line of text whose glyph box starts `top` below the page's top edge; `width` > 0
        spreads its glyphs to end exactly there (a justified line, as Word sets CJK paragraphs)."""
        self.cv.setFont(CJK_FONT, size)
        y = self.size[1] - top - size * 0.88
        if width <= 0 or len(text) < 2:
            self.cv.drawString(x, y, text)
            return
        t = self.cv.beginText(x, y)
        t.setFont(CJK_FONT, size)
        t.setCharSpace((width - stringWidth(text, CJK_FONT, size)) / (len(text) - 1))
        t.textOut(text)
        self.cv.drawText(t)

    def unseen(self, x: float, top: float, text: str, size: float, how: str) -> None:
        """Text in the text layer that the page does not show: in render mode 3 ("invisible") or
        white on the white page ("white")."""
        t = self.cv.beginText(x, self.size[1] - top - size * 0.88)
        t.setFont(CJK_FONT, size)
        if how == "invisible":
            t.setTextRenderMode(3)
        else:
            t.setFillGray(1)
        t.textOut(text)
        t.setTextRenderMode(0)
        t.setFillGray(0)
        self.cv.drawText(t)

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.5) -> None:
        self.cv.setLineWidth(width)
        h = self.size[1]
        self.cv.line(x0, h - top0, x1, h - top1)

    def paragraph(self, text: str) -> None:
        text = self.wording.say(text)
        self.paragraphs.append(text)
        size = self.st.body_size
        lead = size * 1.6
        lines, cur = [], ""
        for ch in text:
            if stringWidth(cur + ch, CJK_FONT, size) > self.text_width - (2 * size if not lines else 0):
                lines.append(cur)
                cur = ""
            cur += ch
        lines.append(cur)
        for i, ln in enumerate(lines):
            if self.room() < lead:
                self.new_page()
            indent = 2 * size if i == 0 else 0
            width = self.text_width - indent if i < len(lines) - 1 else 0.0  # all lines but the last justified
            self.text(self.left + indent, self.y + (lead - size) / 2, ln, size, width)
            self.y += lead

    def centred(self, text: str, size: float) -> None:
        text = self.wording.say(text)
        lead = size * 1.8
        if self.room() < lead:
            self.new_page()
        x = (self.width - stringWidth(text, CJK_FONT, size)) / 2
        self.text(x, self.y + (lead - size) / 2, text, size)
        self.y += lead

    def save(self) -> None:
        self.cv.showPage()
        self.cv.save()


def _draw_table(pg: _Pages, t: _Table, caption_below: bool) -> list[int]:
    """Draw `t` from the cursor on, breaking pages as rows run out of room; the pages it used."""
    st = pg.st
    cap = f"表 {t.number}：{t.caption}"
    cap_lead = st.body_size * 1.8
    row_h = pg.row_h
    if not caption_below:
        if pg.room() < cap_lead + row_h * (len(t.header) + 1) and not t.caption_across:
            pg.new_page()
        pg.centred(cap, st.body_size)
        if t.caption_across:
            pg.new_page()
    x0 = (pg.width - sum(t.widths)) / 2
    xs = [x0]
    for w in t.widths:
        xs.append(xs[-1] + w)
    pages: list[int] = []
    covered = {(m.row + k, m.col): m for m in t.merged for k in range(m.rowspan)}
    i = 0
    first = True
    while i < len(t.rows):
        if pg.room() < row_h * ((len(t.header) if first or t.repeat_header else 0) + 1):
            pg.new_page()
        pages.append(pg.page)
        top = pg.y
        with_header = first or t.repeat_header
        hrows = len(t.header) if with_header else 0
        fit = int((pg.room() - hrows * row_h) // row_h)
        room_after = pg.room() - (hrows + len(t.rows) - i) * row_h
        if caption_below and not t.caption_across and i + fit >= len(t.rows) and room_after < cap_lead:
            fit = max(1, len(t.rows) - i - 1)  # leave the caption room: its last row goes over
        end = min(len(t.rows), i + fit)
        edges = (i == 0 or t.closed_at_break, end == len(t.rows) or t.closed_at_break)
        _draw_fragment(pg, t, xs, top, with_header, range(i, end), covered, edges)
        pg.y = top + (hrows + end - i) * row_h
        i = end
        first = False
        if i < len(t.rows):
            pg.new_page()
    if caption_below:
        pg.y += 2
        pg.centred(cap, st.body_size)
    pg.y += st.body_size
    return sorted(set(pages))


def _draw_pair(pg: _Pages, pair: Sequence[_Table], caption_below: bool) -> list[int]:
    """Tables with no rules side by side on one page, the first at the text block's left edge,
    the last at its right edge, each caption centred over (or under) its own table."""
    st = pg.st
    cap_lead = st.body_size * 1.8
    rows = max(len(t.header) + len(t.rows) for t in pair)
    if pg.room() < cap_lead + (rows + 1) * pg.row_h:
        pg.new_page()
    top = pg.y
    body_top = top if caption_below else top + cap_lead
    for k, t in enumerate(pair):
        x0 = pg.left if k == 0 else pg.left + pg.text_width - sum(t.widths)
        xs = [x0]
        for w in t.widths:
            xs.append(xs[-1] + w)
        _draw_fragment(pg, t, xs, body_top, True, range(len(t.rows)), {}, (True, True))
        cap = pg.wording.say(f"表 {t.number}：{t.caption}")
        cap_top = body_top + (len(t.header) + len(t.rows)) * pg.row_h + 2 if caption_below else top
        x = (xs[0] + xs[-1] - stringWidth(cap, CJK_FONT, st.body_size)) / 2
        pg.text(x, cap_top + (cap_lead - st.body_size) / 2, cap, st.body_size)
    pg.y = body_top + rows * pg.row_h + (cap_lead + 2 if caption_below else 0) + st.body_size
    return [pg.page]


def _draw_fragment(
    pg: _Pages,
    t: _Table,
    xs: Sequence[float],
    top: float,
    with_header: bool,
    body: range,
    covered: dict[tuple[int, int], _Merged],
    edges: tuple[bool, bool],
) -> None:
    """One page's piece of `t`; `edges`: whether its top and bottom rules are drawn (a framed
    table left open at the break has neither where the page cuts it)."""
    row_h, size = pg.row_h, pg.cell_size
    hrows = len(t.header) if with_header else 0
    n = hrows + len(body)
    ys = [top + k * row_h for k in range(n + 1)]
    left, right = xs[0], xs[-1]
    # header text (spanned headers centred over their span)
    hspan = {(r, c): (rs, cs) for r, c, rs, cs in t.header_spans}
    hcovered = {(r + a, c + b) for r, c, rs, cs in t.header_spans for a in range(rs) for b in range(cs)}
    for r in range(hrows):
        for c, text in enumerate(t.header[r]):
            if not text:
                continue
            rs, cs = hspan.get((r, c), (1, 1))
            mid = (ys[r] + ys[r + rs]) / 2
            pg.text(_x(t, xs, c, cs, text, size), mid - size / 2, text, size)
    # body text; merged cells flow their lines through the rows on this page
    for k, i in enumerate(body):
        r = hrows + k
        for c, text in enumerate(t.rows[i]):
            if (i, c) in covered:
                continue
            if (i, c) in t.hidden:  # drawn first, at the printed number's spot: under it
                unseen, how = t.hidden[(i, c)]
                pg.unseen(_x(t, xs, c, 1, text, size), (ys[r] + ys[r + 1]) / 2 - size / 2, unseen, size, how)
            if text:
                pg.text(_x(t, xs, c, 1, text, size), (ys[r] + ys[r + 1]) / 2 - size / 2, text, size)
    for m in t.merged:
        here = [i for i in body if m.row <= i < m.row + m.rowspan]
        if not here:
            continue
        per_row = max(1, int(row_h // (size * 1.3)))
        before = sum(1 for i in range(m.row, here[0])) * per_row  # lines already printed above the break
        room = len(here) * per_row
        lines = m.lines[before : before + room] if here[-1] < m.row + m.rowspan - 1 else m.lines[before:]
        r0 = hrows + (here[0] - body.start)
        for j, text in enumerate(lines):
            pg.text(xs[m.col] + 3, ys[r0] + 4 + j * size * 1.3, text, size)
    # rules
    if t.style == "grid":
        for r in range(n + 1):
            for c in range(len(xs) - 1):
                if 0 < r < hrows and ((r - 1, c) in hcovered and (r, c) in hcovered and _same_span(t, r - 1, r, c)):
                    continue
                if r > hrows and r < n:
                    a, b = body[r - hrows - 1], body[r - hrows]
                    if (a, c) in covered and (b, c) in covered and covered[(a, c)] is covered[(b, c)]:
                        continue
                pg.line(xs[c], ys[r], xs[c + 1], ys[r])
        for c in range(len(xs)):
            for r in range(n):
                if r < hrows and 0 < c < len(xs) - 1 and _inside_colspan(t, r, c):
                    continue
                pg.line(xs[c], ys[r], xs[c], ys[r + 1])
    elif t.style == "three_line":  # the top rule comes with the (repeated) header row
        if edges[0] or hrows:
            pg.line(left, ys[0], right, ys[0], 1.5)
        if hrows:
            pg.line(left, ys[hrows], right, ys[hrows], 0.75)
        if edges[1]:
            pg.line(left, ys[-1], right, ys[-1], 1.5)
    elif t.style == "bare":  # white space only
        pass
    else:  # framed: outer frame and column rules, a rule under the header only
        if edges[0]:
            pg.line(left, ys[0], right, ys[0], 0.75)
        if edges[1]:
            pg.line(left, ys[-1], right, ys[-1], 0.75)
        if hrows:
            pg.line(left, ys[hrows], right, ys[hrows], 0.5)
        for x in xs:
            pg.line(x, ys[0], x, ys[-1], 0.75 if x in (left, right) else 0.5)


def _x(t: _Table, xs: Sequence[float], c: int, cs: int, text: str, size: float) -> float:
    """Where a cell's text starts: centred in a three-line table (as they are printed), right-aligned
    past the label column of a table with no rules (a financial statement's figures), else left."""
    if t.style == "bare" and c > 0:
        return xs[c + cs] - 3 - stringWidth(text, CJK_FONT, size)
    if t.style != "three_line":
        return xs[c] + 3
    return (xs[c] + xs[c + cs] - stringWidth(text, CJK_FONT, size)) / 2


def _same_span(t: _Table, r0: int, r1: int, c: int) -> bool:
    return any(r <= r0 and r1 < r + rs and cc <= c < cc + cs for r, cc, rs, cs in t.header_spans)


def _inside_colspan(t: _Table, r: int, c: int) -> bool:
    """Column edge `c` runs inside a header cell spanning columns at header row `r`."""
    return any(rr <= r < rr + rs and cc < c < cc + cs for rr, cc, rs, cs in t.header_spans)


# ---------------------------------------------------------------------------------------------
# Contents (this module's own wording and numbers)
# ---------------------------------------------------------------------------------------------

INTRO = "学院围绕区域现代服务业和先进制造业发展需要，持续优化专业结构，深化产教融合，办学质量稳步提高。"
PARA = "学院坚持以学生为中心，完善人才培养方案，推进课程改革，加强实践教学，毕业生就业质量持续提升。"
CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enumerators of labels)."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")) + ("" if ones == 0 else CN[ones - 1])


def _wrap(text: str, chars: int) -> list[str]:
    return [text[k : k + chars] for k in range(0, len(text), chars)]


def _base_table() -> _Table:
    return _Table(
        0,
        "近三年招生计划完成情况",
        "grid",
        [110, 90, 90, 90],
        [["年份", "计划数", "录取数", "报到率（%）"]],
        [],
        [["2021年", "4850", "4796", "93.2"], ["2022年", "5120", "5088", "94.6"], ["2023年", "5300", "5261", "95.8"]],
    )


def _ruled(n: int, across: bool) -> _Table:
    """A fully ruled table over a page break, its header repeated (the most common layout)."""
    firms = ["智能装备", "新能源汽车", "生物医药", "现代物流", "数字文创", "跨境电商", "绿色建材"]
    rows = [
        [str(k + 1), f"{firms[k % len(firms)]}产业学院{k // len(firms) + 1}", str(18 + 3 * k), f"{0.6 + 0.25 * k:.2f}"]
        for k in range(n)
    ]
    header = [["序号", "项目", "学生（人）", "经费（万元）"]]
    return _Table(0, "校企共建项目", "grid", [40, 180, 80, 90], header, [], rows, caption_across=across)


def _three_line(n: int, after_break: int) -> _Table:
    """Centred cells; the last `after_break` rows (the piece after the break) hold wider text, so
    the columns read from each page's white gaps do not line up exactly."""
    towns = ["东城片区", "西城片区", "南湖新区", "北岸园区", "高新园区", "临港片区", "滨江片区", "山城片区"]
    rows = []
    for k in range(n):
        wide = k >= n - after_break
        name = f"{towns[k % len(towns)]}{'国际物流园' if wide else ''}{k // len(towns) + 1}号"
        rows.append(
            [name, str(120 + 7 * k + (1000 if wide else 0)), f"{35.5 + 1.3 * k:.1f}", f"{4.1 + (k % 9) * 0.7:.1f}"]
        )
    header = [["区域", "企业数（家）", "产值（亿元）", "增速（%）"]]
    return _Table(0, "合作企业分布及产值", "three_line", [130, 90, 100, 80], header, [], rows, closed_at_break=False)


def _training(n: int) -> _Table:
    """A centred 三线表 whose header is not repeated after the break."""
    kinds = ["企业职工", "退役军人", "农民工", "社区居民", "中小学教师", "乡村医生"]
    rows = [
        [
            f"{kinds[k % len(kinds)]}培训（{k // len(kinds) + 1}）",
            str(3 + k % 5),
            str(160 + 37 * k),
            str(24 + 8 * (k % 4)),
        ]
        for k in range(n)
    ]
    header = [["培训项目", "期数", "人次", "学时"]]
    return _Table(
        0,
        "社会培训开展情况",
        "three_line",
        [150, 70, 90, 70],
        header,
        [],
        rows,
        repeat_header=False,
        closed_at_break=False,
    )


def _framed(n: int, closed: bool) -> _Table:
    majors = [
        "护理",
        "会计",
        "物流管理",
        "软件技术",
        "机电一体化",
        "汽车检测",
        "建筑工程",
        "学前教育",
        "电子商务",
        "旅游管理",
    ]
    rows = [
        [f"{majors[k % len(majors)]}{k // len(majors) + 1}班", str(2300 + 41 * k), f"{12.4 + 0.9 * (k % 11):.1f}"]
        for k in range(n)
    ]
    return _Table(
        0,
        "各专业在校生人数",
        "framed",
        [150, 110, 100],
        [["专业", "在校生（人）", "占比（%）"]],
        [],
        rows,
        repeat_header=False,
        closed_at_break=closed,
    )


def _merged_cut(fit: int) -> _Table:
    """A ruled table whose group label (merged over three rows) is cut after its first row.

    `fit`: body rows that fit on the page; the groups before the cut group fill all but one of them.
    """
    names = ["国家资助", "学校资助", "社会资助", "勤工助学", "绿色通道", "困难帮扶", "专项补助", "临时救助", "校友捐助"]
    rows: list[list[str]] = []
    merged: list[_Merged] = []
    g = 0
    while len(rows) < fit - 1:
        size = 2 if fit - 1 - len(rows) >= 2 else 1
        label = f"（{cn(g + 1)}）{names[g % len(names)]}" if size == 2 else f"（{cn(g + 1)}）补助"
        if size == 2:
            merged.append(_Merged(len(rows), 0, 2, _wrap(label, 4)))
        items = [
            [label if size == 1 else "", f"{k + 1}. 项目{g + 1}-{k + 1}", str(30 + 11 * g + k)] for k in range(size)
        ]
        rows.extend(items)
        g += 1
    merged.append(_Merged(len(rows), 0, 3, _wrap(f"（{cn(g + 1)}）暂缓发放", 4)))
    rows.extend([["", f"{k + 1}. 审核中{k + 1}", str(5 + k)] for k in range(3)])
    rows.append([f"（{cn(g + 2)}）其他", "1. 其他事项", "2"])
    return _Table(0, "学生资助情况", "grid", [64, 150, 80], [["类别", "项目", "人次"]], [], rows, merged)


def _annex(n: int) -> _Table:
    subjects = ["就业率", "月收入", "专业相关度", "职业期待吻合度", "自主创业比例", "雇主满意度", "母校满意度"]
    rows = [
        [
            str(k + 1),
            f"{subjects[k % len(subjects)]}（{k // len(subjects) + 1}）",
            "%",
            f"{80 + (k % 17) * 0.9:.1f}",
            f"{81 + (k % 13) * 1.1:.1f}",
            f"{82 + (k % 7) * 1.3:.1f}",
        ]
        for k in range(n)
    ]
    header = [["序号", "指标", "单位", "学年", "", ""], ["", "", "", "2021", "2022", "2023"]]
    spans = [(0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 2, 1), (0, 3, 1, 3)]
    return _Table(0, "学生反馈表", "grid", [50, 260, 60, 90, 90, 90], header, spans, rows)


def _units_header(n: int) -> _Table:
    """A ruled table under two header rows, names then units, with nothing else to tell the
    second one from data (no span, no bold, no shading, no number): only its repetition after
    the page break shows it belongs to the header."""
    sources = ["财政拨款", "事业收入", "经营收入", "捐赠收入", "其他收入", "上级补助", "附属单位上缴"]
    rows = [
        [
            f"{sources[k % len(sources)]}{'' if k < len(sources) else k // len(sources) + 1}",
            f"{1500 + 173.5 * k:.1f}",
            f"{1480 + 169.25 * k:.2f}",
            f"{91 + (k % 8) * 1.1:.1f}",
        ]
        for k in range(n)
    ]
    header = [["经费来源", "预算数", "决算数", "执行率"], ["单位", "万元", "万元", "%"]]
    return _Table(0, "经费预算执行情况", "grid", [150, 90, 90, 80], header, [], rows)


def _bare(n: int) -> _Table:
    """A table with no rules at all, as financial statements are set: labels on the left, figures
    right-aligned under their years, a negative change among them."""
    items = [
        "营业收入",
        "营业成本",
        "税金及附加",
        "管理费用",
        "财务费用",
        "投资收益",
        "营业利润",
        "利润总额",
        "所得税费用",
    ]
    rows = [
        [
            items[k % len(items)],
            f"{12345.6 + 1021.5 * k:,.1f}",
            f"{11876.4 + 987.25 * k:,.2f}",
            f"{(-3.2 if k % 3 == 1 else 4.1 + 0.6 * k):.1f}",
        ]
        for k in range(n)
    ]
    header = [["项目", "2023年", "2022年", "增减（%）"]]
    return _Table(0, "主要财务指标", "bare", [150, 100, 100, 80], header, [], rows)


def _three_row_header() -> _Table:
    """A ruled table under three header rows: a group over two columns groups, one of them over
    three columns; the row label and total columns merged down all three rows."""
    rows = [
        [f"{y}年", str(126 + 15 * k), str(418 + 37 * k), str(37 + 3 * k), str(12 + 3 * k), str(593 + 58 * k)]
        for k, y in enumerate(range(2019, 2024))
    ]
    header = [
        ["年度", "申请人情况", "", "", "", "合计"],
        ["", "自然人", "法人或其他组织", "", "", ""],
        ["", "", "企业", "高校", "科研机构", ""],
    ]
    spans = [(0, 0, 3, 1), (0, 1, 1, 4), (1, 1, 2, 1), (1, 2, 1, 3), (0, 5, 3, 1)]
    return _Table(0, "专利申请人构成", "grid", [60, 60, 80, 55, 65, 55], header, spans, rows)


def _side_by_side(width: float) -> tuple[_Table, _Table]:
    """A broker note's two forecast tables, no rules, set side by side in `width` (the text block)."""
    share = [0.18, 0.13, 0.13]  # of the text block: each table 44 %, a 12 % gutter between them
    widths = [round(width * f, 1) for f in share]
    left = [["营业总额", "10,141", "11,962"], ["净利润额", "1,305", "1,577"], ["毛利率（%）", "23.1", "24.0"]]
    right = [["每股收益", "0.82", "0.99"], ["市盈率", "18.4", "15.2"], ["市净率", "2.1", "1.9"]]
    head = ["2023A", "2024E"]
    return (
        _Table(0, "盈利预测", "bare", widths, [["项目", *head]], [], left),
        _Table(0, "估值指标", "bare", widths, [["指标", *head]], [], right),
    )


def _hidden_numbers() -> _Table:
    """A ruled table whose text layer also holds numbers the page does not show, each at the
    spot of a printed one: in render mode 3 (an OCR or template layer) or white on white."""
    rows = [["东部", "3.7", "52.4"], ["西部", "8.1", "31.8"], ["中部", "12.9", "15.8"], ["东北", "2.6", "6.6"]]
    hidden = {(0, 1): ("4.6", "invisible"), (1, 2): ("29.5", "white"), (2, 1): ("11.3", "invisible")}
    header = [["地区", "增速（%）", "占比（%）"]]
    return _Table(0, "分地区增长情况", "grid", [120, 100, 100], header, [], rows, hidden=hidden)


# A city's statistical bulletin (统计公报): none of a college report's words, figures with separators.
BULLETIN = Wording(
    "bulletin",
    (
        (INTRO, "全市经济运行总体平稳，结构持续优化，新动能加快成长，民生保障有力有效，发展质量稳步提升。"),
        (PARA, "农业生产形势较好，工业生产稳步回升，服务业较快增长，市场销售持续恢复，居民收入继续增加。"),
        ("远航职业技术学院", "临江市统计局"),
        ("高等职业教育质量年度报告（2023）", "临江市国民经济和社会发展统计公报（2023）"),
        ("一、人才培养", "一、综合"),
        ("【附件】远航职业技术学院质量年度报告指标", "【附件】临江市主要统计指标"),
        ("近三年招生计划完成情况", "近三年地区生产总值"),
        ("计划数", "总量（亿元）"),
        ("录取数", "增量（亿元）"),
        ("报到率（%）", "增长（%）"),
        ("校企共建项目", "重点建设项目"),
        ("学生（人）", "用工（人）"),
        ("经费（万元）", "投资（万元）"),
        ("智能装备", "城市更新"),
        ("新能源汽车", "轨道交通"),
        ("生物医药", "污水处理"),
        ("现代物流", "智慧园区"),
        ("数字文创", "保障住房"),
        ("跨境电商", "港口码头"),
        ("绿色建材", "水利设施"),
        ("产业学院", "工程"),
        ("合作企业分布及产值", "各区县工业增加值"),
        ("企业数（家）", "规上企业（家）"),
        ("产值（亿元）", "增加值（亿元）"),
        ("区域", "区县"),
        ("东城片区", "临江区"),
        ("西城片区", "江北区"),
        ("南湖新区", "南山县"),
        ("北岸园区", "北湖县"),
        ("高新园区", "高新区"),
        ("临港片区", "开发区"),
        ("滨江片区", "滨海新区"),
        ("山城片区", "山前镇"),
        ("国际物流园", "工业集中区"),
        ("社会培训开展情况", "就业技能培训情况"),
        ("培训项目", "培训工种"),
        ("期数", "班次"),
        ("学时", "课时"),
        ("企业职工", "家政服务"),
        ("退役军人", "电工"),
        ("农民工", "焊工"),
        ("社区居民", "育婴员"),
        ("中小学教师", "中式烹调师"),
        ("乡村医生", "养老护理员"),
        ("各专业在校生人数", "各行业从业人员"),
        ("在校生（人）", "从业人员（人）"),
        ("专业", "行业"),
        ("护理", "制造业"),
        ("会计", "建筑业"),
        ("物流管理", "批发零售"),
        ("软件技术", "交通运输"),
        ("机电一体化", "住宿餐饮"),
        ("汽车检测", "金融业"),
        ("建筑工程", "房地产业"),
        ("学前教育", "教育"),
        ("电子商务", "卫生"),
        ("旅游管理", "文化体育"),
        ("班", "类"),
        ("学生资助情况", "社会救助情况"),
        ("人次", "人数"),
        ("国家资助", "城市低保"),
        ("学校资助", "农村低保"),
        ("社会资助", "特困供养"),
        ("勤工助学", "医疗救助"),
        ("绿色通道", "教育救助"),
        ("困难帮扶", "住房救助"),
        ("专项补助", "就业救助"),
        ("临时救助", "受灾救助"),
        ("校友捐助", "慈善帮扶"),
        ("暂缓发放", "审批办理"),
        ("审核中", "复核中"),
        ("学生反馈表", "主要指标完成情况"),
        ("学年", "年度"),
        ("就业率", "城镇调查失业率"),
        ("月收入", "居民人均可支配收入"),
        ("专业相关度", "空气质量优良天数比率"),
        ("职业期待吻合度", "森林覆盖率"),
        ("自主创业比例", "城镇化率"),
        ("雇主满意度", "研发投入强度"),
        ("母校满意度", "人口自然增长率"),
        ("经费预算执行情况", "财政收支执行情况"),
        ("经费来源", "收支项目"),
        ("决算数", "执行数"),
        ("执行率", "完成率"),
        ("财政拨款", "税收收入"),
        ("事业收入", "非税收入"),
        ("经营收入", "转移支付"),
        ("捐赠收入", "债务转贷"),
        ("其他收入", "公共服务"),
        ("上级补助", "公共安全"),
        ("附属单位上缴", "节能环保支出"),
        ("主要财务指标", "主要经济指标"),
        ("营业收入", "地区生产总值"),
        ("营业成本", "第一产业"),
        ("税金及附加", "第二产业"),
        ("管理费用", "第三产业"),
        ("财务费用", "固定资产投资"),
        ("投资收益", "消费品零售额"),
        ("营业利润", "进出口总额"),
        ("利润总额", "公共预算收入"),
    ),
    thousands=True,
    running_header="临江市国民经济和社会发展统计公报（2023）",
)


# ---------------------------------------------------------------------------------------------
# The report and its expected tables
# ---------------------------------------------------------------------------------------------


def _reworded(t: _Table, w: Wording) -> _Table:
    """`t` in another document's words; a merged cell's lines wrap again at their old length."""
    if w == OWN:
        return t
    merged = [
        _Merged(m.row, m.col, m.rowspan, _wrap(w.say("".join(m.lines)), max(len(ln) for ln in m.lines)))
        for m in t.merged
    ]
    return replace(
        t,
        caption=w.say(t.caption),
        header=[[w.say(c) for c in row] for row in t.header],
        rows=[[w.figure(c) for c in row] for row in t.rows],
        merged=merged,
    )


def _expected(t: _Table, tid: str, pages: list[int]) -> ExpectedTable:
    header = [list(r) for r in t.header]
    spans: set[SpanT] = set()
    for r, c, rs, cs in t.header_spans:
        for a in range(rs):
            for b in range(cs):
                header[r + a][c + b] = t.header[r][c]
        spans.add(("header", r, c, rs, cs))
    rows = [list(r) for r in t.rows]
    for m in t.merged:
        text = "".join(m.lines)
        for k in range(m.rowspan):
            rows[m.row + k][m.col] = text
        if m.rowspan > 1:
            spans.add(("body", m.row, m.col, m.rowspan, 1))
    return ExpectedTable(tid, str(t.number), t.caption, pages, header, rows, spans)


def _rows_fitting(pg: _Pages, t_header_rows: int, caption_above: bool) -> int:
    room = pg.room() - (pg.st.body_size * 1.8 if caption_above else 0) - t_header_rows * pg.row_h
    return int(room // pg.row_h)


def build_conventions(
    path: Path,
    conv: Conventions,
    st: ReportStyle = STYLES["classic"],
    *,
    first_label: int = 0,
    first_page: int = 1,
    wording: Wording = OWN,
) -> BuiltTables:
    """Draw a report with the tables `conv` asks for in style `st`; the tables it must give back.

    `first_label` > 0 draws the body pages only (no cover, no heading), numbered from that label
    on: pages to append to another report's body (its last section goes on over them), whose
    first is physical page `first_page` there (which pages are even, for mirrored margins).
    """
    pg = _Pages(path, st, first_label, first_page, wording)
    if not first_label:
        pg.new_page(furniture=False)  # the cover: no running header, no page number
        pg.y = pg.size[1] * 0.3
        pg.centred("远航职业技术学院", 24)
        pg.centred("高等职业教育质量年度报告（2023）", 18)
    pg.new_page()
    out: list[ExpectedTable] = []
    number = 0

    def room_for(header_rows: int) -> int:
        if _rows_fitting(pg, header_rows, not conv.caption_below) < 4:
            pg.new_page()
        return _rows_fitting(pg, header_rows, not conv.caption_below)

    def place(t: _Table, kind: str = "body") -> None:
        nonlocal number
        number += 1
        t = _reworded(t, wording)
        t.number = number
        pages = _draw_table(pg, t, conv.caption_below)
        out.append(_expected(t, f"{kind}-{number}", pages))
        pg.paragraph(PARA)

    def tail(rows: int) -> int:
        """The rows a crossing table prints after its last break: one or two with `short_tails`."""
        return (1 + rows % 2) if conv.short_tails else rows

    if not first_label:
        pg.centred("一、人才培养", st.body_size + 4)
    pg.paragraph(INTRO)
    place(_base_table())
    pg.paragraph(INTRO)
    full_page = int((pg.bottom - st.margins[2]) // pg.row_h) - 1  # body rows on a page under a repeated header
    if not conv.caption_across_break:
        place(_ruled(room_for(1) + tail(5), False))
    elif conv.caption_below:  # the last piece fills its page: the caption opens the next one
        place(_ruled(room_for(1) + full_page, True))
    else:  # the caption ends its page, the table opens the next one
        place(_ruled(full_page + tail(5), True))
    if conv.three_line_repeat:
        pg.paragraph(INTRO)
        place(_three_line(room_for(1) + tail(9), tail(9)))
    if conv.three_line_plain:
        pg.paragraph(PARA)
        place(_training(room_for(1) + tail(8)))
    if conv.framed_unruled:
        pg.paragraph(PARA)
        place(_framed(room_for(1) + tail(11), conv.framed_closed))
    if conv.merged_cut:
        pg.paragraph(INTRO)
        place(_merged_cut(room_for(1)))
    if conv.units_header_repeat:
        pg.paragraph(PARA)
        place(_units_header(room_for(2) + tail(6)))
    if conv.borderless:
        pg.paragraph(INTRO)
        if room_for(1) < 8:
            pg.new_page()
        place(_bare(7))
    if conv.borderless_across:
        pg.paragraph(PARA)
        place(replace(_bare(room_for(1) + tail(6)), caption="分项收支情况"))
    if conv.three_row_header:
        pg.paragraph(INTRO)
        if room_for(3) < 6:
            pg.new_page()
        place(_three_row_header())
    if conv.side_by_side:
        pg.paragraph(PARA)
        pair = [_reworded(t, wording) for t in _side_by_side(pg.text_width)]
        for t in pair:
            number += 1
            t.number = number
        pages = _draw_pair(pg, pair, conv.caption_below)
        out.extend(_expected(t, f"body-{t.number}", pages) for t in pair)
        pg.paragraph(PARA)
    if conv.hidden_duplicate:
        pg.paragraph(INTRO)
        if room_for(1) < 5:
            pg.new_page()
        place(_hidden_numbers())
    if conv.landscape_annex or conv.rotated_annex or conv.sideways_annex:
        turn = "rotate" if conv.rotated_annex else "drawn" if conv.sideways_annex else ""
        pg.new_page(landscape(st.pagesize), turn=turn)
        pg.centred("【附件】远航职业技术学院质量年度报告指标", st.body_size + 3)
        place(_annex(room_for(2) + full_page - 1 + tail(6)), "annex")
    while pg.page < 4:  # a report long enough for its running header to be told from the body
        pg.paragraph(PARA)
    pg.save()
    return BuiltTables(path, conv, st, out, pg.paragraphs)
