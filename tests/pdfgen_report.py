"""Synthetic quality reports (质量年度报告) in many styles, built from a spec, for structure tests.

A `ReportSpec` says what the report contains (cover, declaration, TOC, headings, paragraphs,
bold lead-ins, case boxes, figures, tables, the closing lists, the annex); a `ReportStyle` says
how it looks (page size, margins, body and heading sizes, bold or not, running header, page
number format). `build_report` lays it out twice with reportlab: the first pass learns on which
physical page every block lands, the second prints the TOC and the lists with the right page
labels. It returns a `BuiltReport` that knows those pages and derives the sections a perfect
extraction must return (`expected_sections`), independently of the pipeline's own rules.

Page labels: front matter (cover, declaration, TOC) is unnumbered; the first body page is
labelled 1, so printed labels differ from physical pages as in real reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import Indenter

from .pdfgen import CJK_BOLD_FONT, CJK_FONT, build_pdf, style
from .pdfgen_flowables import JustifiedParagraph, MarkedParagraph, Marker, Recorder, TocLine, png

# ---------------------------------------------------------------------------------------------
# What the report contains
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered (or unnumbered) heading. `printed` is the line as it appears on the page."""

    level: int  # the expected level: 1 (学校概述, 一、…), 2 (（一）…), 3 (1. …), deeper below a 第X章
    number: str  # without punctuation: 一 / 1; "" for 学校概述
    title: str
    form: str = ""  # the numbering printed (HEADING_FORMS); "" = the conventional one of `level`

    @property
    def numbering(self) -> str:
        """part / sub / item (from the level) or the explicit form: chapter, subitem, circled."""
        return self.form or {1: "part", 2: "sub"}.get(self.level, "item")

    @property
    def printed(self) -> str:
        if not self.number:
            return self.title
        return HEADING_FORMS[self.numbering].format(n=self.number, t=self.title)


# How each numbering is printed, outermost first (第X章 → 一、 → （一） → 1. → (1) → ①).
HEADING_FORMS = {
    "chapter": "第{n}章　{t}",
    "division": "第{n}部分　{t}",
    "part": "{n}、{t}",
    "sub": "（{n}）{t}",
    "item": "{n}. {t}",
    "subitem": "({n}){t}",
    "circled": "{n}{t}",
}


# The forms that start a new page (when the style says so) and are centred: chapters and parts.
TOP_FORMS = ("chapter", "division", "part")


def h0(title: str) -> Heading:
    return Heading(1, "", title)


def h1(number: str, title: str) -> Heading:
    return Heading(1, number, title)


def h2(number: str, title: str) -> Heading:
    return Heading(2, number, title)


def h3(number: str, title: str) -> Heading:
    return Heading(3, number, title)


@dataclass(frozen=True, slots=True)
class Para:
    """A body paragraph; `lead` is a bold lead-in printed before `text` (一是…。)."""

    text: str
    lead: str = ""

    @property
    def full(self) -> str:
        return self.lead + self.text


@dataclass(frozen=True, slots=True)
class RunIn:
    """A run-in heading: "（一）主动公开情况。" and the section's first paragraph on the same line."""

    heading: Heading
    para: Para

    @property
    def printed(self) -> str:
        return self.heading.printed


@dataclass(frozen=True, slots=True)
class Trailing:
    """A heading printed at the end of a paragraph's last line, in the body font ("…。（二）就业")."""

    para: Para
    heading: Heading

    @property
    def printed(self) -> str:
        return self.heading.printed


@dataclass(frozen=True, slots=True)
class Margin:
    """Shift the left edge of what follows by `extra` points (a page with a wider left margin)."""

    extra: float


@dataclass(frozen=True, slots=True)
class Case:
    """A case box: a shaded, bordered one-cell table with 案例 N：title and its paragraphs."""

    number: int
    title: str
    paras: tuple[Para, ...]

    @property
    def printed(self) -> str:
        return f"案例 {self.number}：{self.title}"


@dataclass(frozen=True, slots=True)
class Framed:
    """Paragraphs inside a drawn frame (a call-out, 重要内容提示): a bordered box, no title, no fill;
    its paragraphs belong to the section around it."""

    paras: tuple[Para, ...]
    fill: bool = False
    share: float = 1.0  # its width, a share of the text column (centred)
    rounded: float = 0.0  # corner radius: a rounded frame is drawn as curves, not as rules


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture (a raster image) with its caption 图 N：… below it (None: no caption, text follows)."""

    number: int
    caption: str | None

    @property
    def printed(self) -> str | None:
        return None if self.caption is None else f"图 {self.number}：{self.caption}"


@dataclass(frozen=True, slots=True)
class DataTable:
    """A ruled body table; `caption` None prints no caption (e.g. a financial statement)."""

    rows: tuple[tuple[str, ...], ...]
    number: int | None = None
    caption: str | None = None
    col_widths: tuple[float, ...] | None = None

    @property
    def printed(self) -> str | None:
        if self.caption is None:
            return None
        return f"表 {self.number}：{self.caption}"


@dataclass(frozen=True, slots=True)
class NewPage:
    pass


@dataclass(frozen=True, slots=True)
class ClosingList:
    """【附图目录】/【附表目录】/【案例目录】: entries are made from the spec's figures/tables/cases."""

    kind: Literal["figures", "tables", "cases"]

    @property
    def printed(self) -> str:
        return {"figures": "【附图目录】", "tables": "【附表目录】", "cases": "【案例目录】"}[self.kind]


@dataclass(frozen=True, slots=True)
class Annex:
    """The annex heading 【附件目录】…质量年度报告指标 and a small indicator table under it."""

    title: str


Block = Heading | RunIn | Trailing | Margin | Para | Case | Framed | Figure | DataTable | NewPage | ClosingList | Annex


@dataclass(frozen=True, slots=True)
class TocExtra:
    """A TOC entry with no heading in the body (printed after the entry of `after`)."""

    after: str  # printed text of the TOC entry it follows
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class ReportSpec:
    cover_lines: tuple[str, ...]
    body: tuple[Block, ...]
    declaration: tuple[str, ...] | None = None
    toc: bool = True
    toc_levels: int = 2
    toc_omit: frozenset[str] = frozenset()  # printed headings left out of the TOC
    toc_extra: tuple[TocExtra, ...] = ()
    blank_after_cover: bool = False  # an empty page after the cover (moves the body later)
    toc_title: str | None = "目  录"  # None: the TOC page has no title line
    cover_big: int = 2  # how many cover lines are printed large (the school and the title)


# ---------------------------------------------------------------------------------------------
# How it looks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportStyle:
    name: str
    pagesize: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (90, 90, 72, 72)  # left, right, top, bottom
    body_size: float = 12
    leading: float = 1.55  # line height as a multiple of the font size
    heading_sizes: tuple[float, float, float] = (16, 14, 12)  # levels 1, 2, 3
    heading_bold: bool = True
    heading_indent: bool = False  # indent levels 2-3 by two characters like body paragraphs
    level1_centered: bool = True
    indent_chars: float = 2  # first-line indent of body paragraphs, in characters
    justify: bool = True  # Word-like justified lines (else reportlab's ragged right edge)
    running_header: str | None = "示范职业技术学院高等职业教育质量年度报告（2022）"
    header_rule: bool = True  # a rule under the running header, as Word draws it
    page_number_format: str | None = "{n}"  # "{n}", "- {n} -", "第 {n} 页" or None
    part_new_page: bool = True  # each 一、… part starts a new page
    case_fill: bool = True
    case_border: bool = True
    lead_bold: bool = True  # print 一是…。 lead-ins in bold
    plain_forms: frozenset[str] = frozenset()  # numberings whose headings are set like body text
    mirror: float = 0.0  # even pages have a left margin this much wider (mirrored margins)

    def label_text(self, label: int) -> str | None:
        return None if self.page_number_format is None else self.page_number_format.format(n=label)


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _runs(p: Para, st: ReportStyle) -> list[tuple[str, str]]:
    lead_font = CJK_BOLD_FONT if st.lead_bold else CJK_FONT
    return [(p.lead, lead_font), (p.text, CJK_FONT)] if p.lead else [(p.text, CJK_FONT)]


def _body_paragraph(p: Para, st: ReportStyle, ps: ParagraphStyle, key: str, rec: Recorder) -> Flowable:
    """Justified like Word where the style says so; else reportlab's ragged-right CJK wrapping."""
    if st.justify:
        return JustifiedParagraph(_runs(p, st), ps.fontSize, ps.leading, ps.firstLineIndent, key, rec)
    return MarkedParagraph(_markup(p, st), ps).mark(key, rec)


def _markup(p: Para, st: ReportStyle) -> str:
    """Paragraph markup: the lead-in in bold where the style prints it bold."""
    if not p.lead:
        return _escape(p.text)
    lead = _escape(p.lead)
    return (f"<b>{lead}</b>" if st.lead_bold else lead) + _escape(p.text)


@dataclass(slots=True)
class _Styles:
    body: ParagraphStyle
    headings: dict[str, ParagraphStyle]  # by numbering form (Heading.numbering)
    caption: ParagraphStyle
    cell: ParagraphStyle
    case_title: ParagraphStyle
    case_body: ParagraphStyle
    cover_big: ParagraphStyle
    cover: ParagraphStyle
    title: ParagraphStyle


def _styles(st: ReportStyle) -> _Styles:
    size = st.body_size
    body = style(
        f"{st.name}-body",
        size,
        size * st.leading,
        indent=size * st.indent_chars,
        alignment=TA_JUSTIFY if st.justify else TA_LEFT,
    )
    font = CJK_BOLD_FONT if st.heading_bold else CJK_FONT
    headings: dict[str, ParagraphStyle] = {}
    h1size, h2size, h3size = st.heading_sizes
    forms = {"chapter": (1, h1size + 2), "division": (1, h1size + 2), "part": (1, h1size), "sub": (2, h2size)}
    forms |= {"item": (3, h3size)}
    forms |= {"subitem": (4, size), "circled": (5, size)}
    for form, (level, hsize) in forms.items():
        if form in st.plain_forms:
            headings[form] = body
            continue
        centered = form in TOP_FORMS and st.level1_centered
        indent = size * st.indent_chars if st.heading_indent and level > 1 else 0
        headings[form] = style(
            f"{st.name}-h{form}",
            hsize,
            hsize * st.leading,
            indent=indent,
            fontName=font,
            alignment=TA_CENTER if centered else TA_LEFT,
            spaceBefore=hsize * (0.8 if level == 1 else 0.4),
            spaceAfter=hsize * (0.6 if level == 1 else 0.2),
            keepWithNext=1,
        )
    small = max(size - 1.5, 7.5)
    return _Styles(
        body=body,
        headings=headings,
        caption=style(f"{st.name}-cap", small, small * 1.5, alignment=TA_CENTER, spaceAfter=small * 0.5),
        cell=style(f"{st.name}-cell", small, small * 1.3),
        case_title=style(f"{st.name}-ct", size, size * st.leading, fontName=font, alignment=TA_CENTER),
        case_body=style(f"{st.name}-cb", size, size * st.leading, indent=size * st.indent_chars),
        cover_big=style(f"{st.name}-cvb", 24, 40, fontName=font, alignment=TA_CENTER),
        cover=style(f"{st.name}-cv", 16, 30, alignment=TA_CENTER),
        title=style(f"{st.name}-t", 16, 26, fontName=font, alignment=TA_CENTER, spaceAfter=12),
    )


def lines_of(text: str, st: ReportStyle) -> int:
    """How many lines `text` takes as a body paragraph of style `st` (to fit a heading to its line)."""
    p = Paragraph(_escape(text), _styles(st).body)
    p.wrap(st.pagesize[0] - st.margins[0] - st.margins[1] - 12, 10**6)  # the frame pads 6 pt each side
    return len(p.blPara.lines)


@dataclass(frozen=True, slots=True)
class ExpectedSection:
    kind: str
    level: int | None
    number: str
    title: str
    page: int
    text: str  # own paragraphs joined by "\n"


@dataclass(slots=True)
class BuiltReport:
    path: Path
    spec: ReportSpec
    style: ReportStyle
    pages: dict[str, list[int]]  # block key → physical pages it was drawn on
    body_start: int  # physical page labelled 1
    page_count: int
    toc_pages: list[int] = field(default_factory=list)
    toc_entries: list[tuple[str, str]] = field(default_factory=list)  # (printed text, printed label)

    def label(self, page: int) -> str | None:
        """The page number printed on a physical page (None on the unnumbered front matter)."""
        return str(page - self.body_start + 1) if page >= self.body_start else None

    def page_of(self, key: str) -> int:
        return self.pages[key][0]

    def heading_page(self, printed: str) -> int:
        return self.page_of(_key_heading(printed))

    def split_paragraphs(self) -> list[Para]:
        """Body paragraphs that the layout cut over a page break."""
        out = []
        for i, block in enumerate(self.spec.body):
            if isinstance(block, Para) and len(self.pages.get(f"b{i}", [])) > 1:
                out.append(block)
        return out

    def expected_sections(self) -> list[ExpectedSection]:
        return _expected_sections(self)


def _key_heading(printed: str) -> str:
    return "h:" + printed


def _label_for(pages: dict[str, list[int]], key: str, body_start: int, last: bool = False) -> str:
    """The printed label of the page `key` starts on (or, `last`, ends on: a trailing heading)."""
    page = pages.get(key, [0])[-1 if last else 0]
    return str(page - body_start + 1) if page >= body_start else ""


def _toc_entries(spec: ReportSpec, pages: dict[str, list[int]], body_start: int) -> list[tuple[str, str, int]]:
    """(printed text, label, level) of each TOC line, in order."""
    entries: list[tuple[str, str, int]] = []
    for block in spec.body:
        head = block.heading if isinstance(block, RunIn | Trailing) else block
        if isinstance(head, Heading) and head.level <= spec.toc_levels and head.printed not in spec.toc_omit:
            key = _key_heading(head.printed)
            label = _label_for(pages, key, body_start, last=isinstance(block, Trailing))
            entries.append((head.printed, label, head.level))
        elif isinstance(block, ClosingList | Annex):
            printed = block.printed if isinstance(block, ClosingList) else block.title
            if printed not in spec.toc_omit:
                entries.append((printed, _label_for(pages, _key_heading(printed), body_start), 1))
    for extra in spec.toc_extra:
        at = next(i for i, e in enumerate(entries) if e[0] == extra.after)
        entries.insert(at + 1, (extra.text, extra.label, 1 if parse_level(extra.text) == 1 else 2))
    return entries


def parse_level(printed: str) -> int:
    """The level a printed heading has by the report's conventions (for TOC indentation only)."""
    if re.match(r"^[（(]", printed):
        return 2
    if re.match(r"^\d", printed):
        return 3
    return 1


def _story(
    spec: ReportSpec, st: ReportStyle, sty: _Styles, rec: Recorder, pages: dict[str, list[int]], body_start: int
) -> list[Flowable]:
    story: list[Flowable] = []

    def para(text: str, ps: ParagraphStyle, key: str) -> MarkedParagraph:
        return MarkedParagraph(_escape(text), ps).mark(key, rec)

    # Cover
    story.append(Spacer(1, 120))
    for i, line in enumerate(spec.cover_lines):
        big = i < spec.cover_big
        story.append(para(line, sty.cover_big if big else sty.cover, "cover"))
        story.append(Spacer(1, 30 if big else 10))
    story.append(PageBreak())
    if spec.blank_after_cover:
        story.append(Marker("blank", rec))
        story.append(PageBreak())
    if spec.declaration is not None:
        story.append(para("内容真实性责任声明", sty.title, "declaration"))
        for i, line in enumerate(spec.declaration):
            story.append(para(line, sty.body, f"decl{i}"))
        story.append(PageBreak())
    if spec.toc:
        if spec.toc_title is not None:
            story.append(para(spec.toc_title, sty.title, "toc"))
        else:
            story.append(Marker("toc", rec))
        size = st.body_size
        for i, (text, label, level) in enumerate(_toc_entries(spec, pages, body_start)):
            story.append(TocLine(text, label or "00", size * (level - 1), size, f"toc{i}", rec))
        story.append(PageBreak())

    figures = [b for b in spec.body if isinstance(b, Figure) and b.caption is not None]
    tables = [b for b in spec.body if isinstance(b, DataTable) and b.caption is not None]
    cases = [b for b in spec.body if isinstance(b, Case)]
    width = st.pagesize[0] - st.margins[0] - st.margins[1]
    for i, block in enumerate(spec.body):
        key = f"b{i}"
        if isinstance(block, Heading):
            before = next((b for b in reversed(spec.body[:i]) if not isinstance(b, Margin)), None)
            chapter_above = isinstance(before, Heading) and before.form in ("chapter", "division")
            after_break = isinstance(before, NewPage) or chapter_above
            starts_part = block.numbering in TOP_FORMS and block.number
            if starts_part and st.part_new_page and i > 0 and not after_break:
                story.append(PageBreak())
            story.append(para(block.printed, sty.headings[block.numbering], _key_heading(block.printed)))
        elif isinstance(block, RunIn):
            run_in = Para(block.para.text, lead=block.heading.printed + "。")
            story.append(_body_paragraph(run_in, st, sty.body, _key_heading(block.printed), rec))
        elif isinstance(block, Trailing):
            trailing = replace(block.para, text=block.para.text + block.heading.printed)
            story.append(_body_paragraph(trailing, st, sty.body, _key_heading(block.printed), rec))
        elif isinstance(block, Margin):
            story.append(Indenter(left=block.extra))
        elif isinstance(block, Para):
            story.append(_body_paragraph(block, st, sty.body, key, rec))
        elif isinstance(block, Case):
            # One row per paragraph and no inner rules: it looks like one shaded, bordered cell, and
            # where it runs over a page reportlab closes the box and opens a new one, as Word does.
            rows: list[list[Flowable]] = [[para(block.printed, sty.case_title, f"case{block.number}")]]
            for j, p in enumerate(block.paras):
                rows.append([_body_paragraph(p, st, sty.case_body, f"case{block.number}.{j}", rec)])
            box = Table(rows, colWidths=[width - 8])
            commands: list[tuple[Any, ...]] = [
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
            if st.case_fill:
                commands.append(("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.93, 0.95, 0.98)))
            if st.case_border:
                commands.append(("BOX", (0, 0), (-1, -1), 0.8, colors.Color(0.3, 0.4, 0.6)))
            box.setStyle(TableStyle(commands))
            story.extend([Spacer(1, 6), box, Spacer(1, 6)])
        elif isinstance(block, Framed):
            rows = [[_body_paragraph(p, st, sty.case_body, f"{key}.{j}", rec)] for j, p in enumerate(block.paras)]
            frame = Table(rows, colWidths=[width * block.share - 8])
            frame_style: list[tuple[Any, ...]] = [
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
            ]
            if block.rounded:
                frame_style.append(("ROUNDEDCORNERS", [block.rounded] * 4))
            if block.fill:
                frame_style.append(("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.96, 0.96, 0.9)))
            frame.setStyle(TableStyle(frame_style))
            story.extend([Spacer(1, 6), frame, Spacer(1, 6)])
        elif isinstance(block, Figure):
            story.append(Marker(key, rec))
            story.append(Image(png(60, 30), width=width * 0.5, height=width * 0.25))
            if block.printed is not None:
                story.append(para(block.printed, sty.caption, f"fig{block.number}"))
        elif isinstance(block, DataTable):
            if block.printed:
                story.append(para(block.printed, sty.caption, f"tab{block.number}"))
            story.append(Marker(key, rec))
            data = [[Paragraph(_escape(c), sty.cell) for c in row] for row in block.rows]
            widths = list(block.col_widths) if block.col_widths else None
            grid = Table(data, colWidths=widths, repeatRows=1)
            grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.extend([grid, Spacer(1, 8)])
        elif isinstance(block, NewPage):
            story.append(PageBreak())
        elif isinstance(block, ClosingList):
            story.append(PageBreak())
            story.append(para(block.printed, sty.title, _key_heading(block.printed)))
            items: Sequence[Figure | DataTable | Case] = {"figures": figures, "tables": tables, "cases": cases}[
                block.kind
            ]
            for item in items:
                item_key = {Figure: "fig", DataTable: "tab", Case: "case"}[type(item)] + str(item.number)
                label = _label_for(pages, item_key, body_start) or "00"
                story.append(TocLine(item.printed or "", label, 0, st.body_size, f"{key}.{item_key}", rec))
        elif isinstance(block, Annex):
            story.append(PageBreak())
            story.append(para(block.title, sty.title, _key_heading(block.title)))
            rows = [
                ("指标", "单位", "2020 年", "2021 年"),
                ("就业率", "%", "95.1", "96.5"),
                ("月收入", "元", "3800", "4100"),
            ]
            grid = Table([[Paragraph(c, sty.cell) for c in r] for r in rows])
            grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(grid)
    return story


def _on_page(st: ReportStyle, body_start: int) -> Any:
    width, height = st.pagesize
    left, right, top, bottom = st.margins

    def draw(canvas: Any, doc: Any) -> None:
        page = canvas.getPageNumber()
        if page < body_start:
            return
        canvas.saveState()
        if st.running_header:
            y = height - top * 0.55
            canvas.setFont(CJK_FONT, 9)
            canvas.drawCentredString(width / 2, y, st.running_header)
            if st.header_rule:
                canvas.setLineWidth(0.6)
                canvas.line(left, y - 4, width - right, y - 4)
        label = st.label_text(page - body_start + 1)
        if label:
            canvas.setFont(CJK_FONT, 9)
            canvas.drawCentredString(width / 2, bottom * 0.45, label)
        canvas.restoreState()

    return draw


def _layout_pass(
    path: Path, spec: ReportSpec, st: ReportStyle, pages: dict[str, list[int]], body_start: int
) -> Recorder:
    rec = Recorder()
    story = _story(spec, st, _styles(st), rec, pages, body_start)
    hook = _on_page(st, body_start)
    build_pdf(path, story, pagesize=st.pagesize, margins=st.margins, on_page=hook, mirror=st.mirror)
    return rec


def _block_key(i: int, block: Block) -> str:
    if isinstance(block, Heading | RunIn | Trailing):
        return _key_heading(block.printed)
    if isinstance(block, ClosingList):
        return _key_heading(block.printed)
    if isinstance(block, Annex):
        return _key_heading(block.title)
    if isinstance(block, Case):
        return f"case{block.number}"
    return f"b{i}"


def _first_body_page(spec: ReportSpec, pages: dict[str, list[int]]) -> int:
    for i, block in enumerate(spec.body):
        key = _block_key(i, block)
        if key in pages:
            return pages[key][0]
    raise ValueError("the spec has no body")


def build_report(path: Path, spec: ReportSpec, st: ReportStyle) -> BuiltReport:
    """Lay out `spec` in `st` into `path` (two passes so printed page labels are right)."""
    first = _layout_pass(path, spec, st, {}, 10**6)
    body_start = _first_body_page(spec, first.pages)
    second = _layout_pass(path, spec, st, first.pages, body_start)
    if second.pages != first.pages:  # the labels changed the layout: a third pass settles it
        body_start = _first_body_page(spec, second.pages)
        third = _layout_pass(path, spec, st, second.pages, body_start)
        if third.pages != second.pages:
            raise RuntimeError(f"{st.name}: layout did not settle after three passes")
        second = third
    pages = second.pages
    toc_pages = sorted({p for k, v in pages.items() if k == "toc" or k.startswith("toc") for p in v})
    entries = [(t, lab) for t, lab, _ in _toc_entries(spec, pages, body_start)]
    page_count = max(p for v in pages.values() for p in v)
    return BuiltReport(path, spec, st, pages, body_start, page_count, toc_pages, entries)


# ---------------------------------------------------------------------------------------------
# What a perfect extraction returns
# ---------------------------------------------------------------------------------------------


def _expected_sections(built: BuiltReport) -> list[ExpectedSection]:
    spec, pages = built.spec, built.pages
    out: list[ExpectedSection] = []
    out.append(ExpectedSection("cover", None, "", "", 1, ""))
    if spec.declaration is not None:
        out.append(
            ExpectedSection(
                "declaration", None, "", "内容真实性责任声明", pages["declaration"][0], "\n".join(spec.declaration)
            )
        )
    if spec.toc:
        out.append(ExpectedSection("toc", None, "", "目录", pages["toc"][0], ""))

    # Text belongs to the innermost open heading; a case box's paragraphs belong to the case,
    # and the paragraphs after the box return to the heading that held it.
    current: dict[str, Any] | None = None
    rows: list[dict[str, Any]] = []
    for i, block in enumerate(spec.body):
        if isinstance(block, Heading | RunIn | Trailing):
            head = block.heading if isinstance(block, RunIn | Trailing) else block
            if isinstance(block, Trailing):
                if current is None:
                    raise ValueError(f"paragraph {i} comes before any heading")
                current["paras"].append(block.para.full)
            current = {"kind": "heading", "level": head.level, "number": head.number, "title": head.title}
            current["page"] = pages[_key_heading(head.printed)][-1 if isinstance(block, Trailing) else 0]
            current["paras"] = [block.para.full] if isinstance(block, RunIn) else []
            rows.append(current)
        elif isinstance(block, ClosingList):
            current = {"kind": "list", "level": 1, "number": "", "title": block.printed, "paras": []}
            current["page"] = pages[_key_heading(block.printed)][0]
            rows.append(current)
        elif isinstance(block, Annex):
            current = {"kind": "annex", "level": 1, "number": "", "title": block.title, "paras": []}
            current["page"] = pages[_key_heading(block.title)][0]
            rows.append(current)
        elif isinstance(block, Case):
            rows.append(
                {
                    "kind": "case",
                    "level": None,
                    "number": str(block.number),
                    "title": block.title,
                    "page": pages[f"case{block.number}"][0],
                    "paras": [p.full for p in block.paras],
                }
            )
        elif isinstance(block, Para | Framed):
            if current is None:
                raise ValueError(f"paragraph {i} comes before any heading")
            current["paras"].extend(p.full for p in (block.paras if isinstance(block, Framed) else (block,)))
    for row in rows:
        out.append(
            ExpectedSection(
                row["kind"], row["level"], row["number"], row["title"], row["page"], "\n".join(row["paras"])
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# A standard report and its style variants
# ---------------------------------------------------------------------------------------------

SCHOOL = "示范职业技术学院"

_SENTENCES = (
    "学校坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务",
    "围绕区域先进制造业发展需求，持续优化专业布局，推动专业链与产业链深度对接",
    "深入推进 1+X 证书制度试点，全年共有 1200 余名学生参加职业技能等级证书考核，通过率达到 92.5%",
    "依托校企合作平台，组织学生参加 Vlog 创作大赛和 Python 程序设计竞赛，获得省级以上奖项 36 项",
    "构建课程思政、专业思政和日常思政三位一体的育人体系，实现全员全程全方位育人",
    "完善教学质量保证体系，建立专业、课程、教师、学生四个层面的诊断与改进机制",
    "加强实训基地建设，新建智能制造、工业互联网等实训室 12 个，设备总值超过 3000 万元",
    "面向行业企业开展技术服务和职业培训，年培训规模达到 15000 人日",
    "学校积极拓展国际交流与合作，与德国、新加坡等国家的院校开展学分互认和师生交流",
    "持续改善办学条件，建成智慧校园管理平台，实现教学、管理和服务的数字化转型",
)


def body_text(seed: int, sentences: int = 3) -> str:
    """A deterministic paragraph of `sentences` sentences, unique per seed."""
    parts = [_SENTENCES[(seed * 3 + k) % len(_SENTENCES)] for k in range(sentences)]
    return f"第{seed}段：" + "；".join(parts) + "。"


# A level-2 title too long for one line in every style: the heading and its TOC entry both wrap.
LONG_TITLE = "产教融合：深化“引产入教”协同育人，打造“产教融合”重庆样本，服务成渝地区双城经济圈建设"


def standard_spec(**changes: Any) -> ReportSpec:
    """A report with every kind of block, in the national template's order."""
    p = body_text
    body: tuple[Block, ...] = (
        h0("学校概述"),
        Para(p(1, 4)),
        Para("学校是国家首批现代学徒制和 1+X 证书试点单位，学生在 Vlog 创作大赛中获得一等奖，" + p(2, 3)),
        h1("一", "学生发展"),
        h2("一", "立德树人：实施“三为育人”，落实立德树人"),
        Para(p(3, 3)),
        Para(p(4, 2), lead="一是搭建志愿服务实践平台。"),
        Para(p(5, 2), lead="二是完善学生资助体系。"),
        h3("1", "创新“三为育人”培养模式"),
        Para(p(6, 3)),
        h3("2", "实施素质教育“四大工程”"),
        Para(p(7, 2)),
        Case(1, "文艺骨干的“摇篮”——大学生艺术团", (Para(p(8, 3)), Para(p(9, 2), lead="一是以赛促学。"))),
        Para("案例之后的段落回到本节：" + p(10, 2)),
        h2("二", "校园文化：打造工业文化大观园"),
        Para(p(11, 3)),
        Figure(1, "校园文化节开幕式"),
        Para(p(12, 6)),
        Para(p(13, 8)),
        Para(p(14, 8)),
        h1("二", "教学改革"),
        h2("一", "专业建设：优化专业布局结构"),
        Para(p(15, 3)),
        DataTable(
            (("专业大类", "专业数", "在校生数"), ("装备制造大类", "12", "5200"), ("电子信息大类", "9", "3800")),
            number=1,
            caption="学校专业大类及在校生分布",
        ),
        Para(p(16, 2)),
        h2("二", "师资队伍：建设双师队伍"),
        Para(p(17, 3)),
        Case(2, "强化教师分类培育，夯实师资队伍", (Para(p(18, 3)),)),
        h2("三", LONG_TITLE),
        Para(p(23, 2)),
        h1("三", "面临挑战"),
        h2("一", "主要挑战"),
        Para(p(19, 2)),
        h3("1", "适应先进制造业转型升级面临更高要求"),
        Para(p(20, 2)),
        h3("2", "稳步推进职业教育本科面临的新挑战"),
        Para(p(21, 2)),
        h2("二", "应对举措"),
        Para(p(22, 3)),
        ClosingList("figures"),
        ClosingList("tables"),
        ClosingList("cases"),
        Annex(f"【附件目录】{SCHOOL}质量年度报告指标"),
    )
    spec = ReportSpec(
        cover_lines=(SCHOOL, "高等职业教育质量年度报告（2022）", "二〇二一年十二月"),
        declaration=(
            f"学校对{SCHOOL}质量年度报告（2022）及相关附件的真实性、完整性和准确性负责。",
            "特此声明。",
        ),
        body=body,
    )
    return replace(spec, **changes)


STYLES: dict[str, ReportStyle] = {
    # Close to the published reports: A4, 12 pt body, larger bold headings, header with rule.
    "classic": ReportStyle(name="classic"),
    # "- 3 -" footers, a blank page after the cover, no header rule, headings left-aligned.
    "dashed": ReportStyle(
        name="dashed",
        page_number_format="- {n} -",
        header_rule=False,
        level1_centered=False,
        heading_sizes=(15, 13, 12),
        margins=(80, 80, 80, 80),
    ),
    # No running header at all; every heading bold at body size, levels 2-3 indented like text.
    "plain": ReportStyle(
        name="plain",
        running_header=None,
        heading_sizes=(12, 12, 12),
        heading_indent=True,
        level1_centered=False,
        justify=False,
    ),
    # Letter paper, 10.5 pt body, narrow margins, "第 N 页" footers, part headings on the same page.
    "letter": ReportStyle(
        name="letter",
        pagesize=(612, 792),
        margins=(54, 54, 60, 60),
        body_size=10.5,
        heading_sizes=(15, 12, 10.5),
        page_number_format="第 {n} 页",
        part_new_page=False,
        case_fill=False,
    ),
    # B5, 10.5 pt, headings larger but not bold, level 3 at body size standing alone, no fill.
    "b5-unbold": ReportStyle(
        name="b5-unbold",
        pagesize=(498.9, 708.7),
        margins=(64, 64, 70, 64),
        body_size=10.5,
        heading_sizes=(16, 13, 10.5),
        heading_bold=False,
        lead_bold=False,
        running_header="示范职业技术学院 2022 年度质量报告",
        case_border=True,
        case_fill=True,
    ),
}

SPEC_CHANGES: dict[str, dict[str, Any]] = {
    "dashed": {"blank_after_cover": True},
}


def build_variant(name: str, directory: Path) -> BuiltReport:
    """The standard report in style `name` (a key of STYLES)."""
    spec = standard_spec(**SPEC_CHANGES.get(name, {}))
    return build_report(directory / f"{name}.pdf", spec, STYLES[name])
