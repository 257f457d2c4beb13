"""Front matter and metadata: cover, 内容真实性责任声明, 目录 pages; school, code, year, title.

The front matter is the run of pages before the body that are a cover (a few display lines), a
declaration (a title ending in 声明) or the TOC (a 目录 title or mostly dot-leader lines); a blank
page inside it is skipped. Metadata comes from the cover and, for the 院校代码, from the annex.
"""

from __future__ import annotations

import re

from ..charpack import has_ink
from ..layout import Layout, Line, PageLayout
from ..model import Finding, Metadata, Section, SectionKind
from ..normalize.indicators import CODE_HEADERS
from ..numbering import DECLARATION_TITLES, TOC_TITLES, TOP_KINDS, is_unnumbered_part, parse_numbering
from ..paragraphs import ColumnEdges, ParaBuilder, continues
from ..settings import DEFAULT_SETTINGS, Settings, StructureSettings
from ..text import join_wrapped, nfkc_squash
from ..toc import TRAILING_LABEL, is_leader_line
from .outline import new_section
from .roles import display, styled

FrontMatter = dict[int, SectionKind]  # physical page → COVER / DECLARATION / TOC


def toc_title_page(lines: list[Line], cfg: StructureSettings) -> bool:
    """A TOC page: its title (目录) among the first lines."""
    return any(nfkc_squash(ln.text) in TOC_TITLES for ln in lines[: cfg.front_title_lines])


def mostly_leaders(lines: list[Line], body: float, cfg: StructureSettings) -> bool:
    """A TOC page whatever its title: mostly entry lines (a dot leader, or a page number flush right)."""
    labelled = [ln for ln in lines if TRAILING_LABEL.match(ln.text.strip())]
    right = max((ln.x1 for ln in labelled), default=0.0)
    flush = {id(ln) for ln in labelled if ln.x1 >= right - cfg.full_line_slack * body}
    entries = sum(is_leader_line(ln.text) or id(ln) in flush for ln in lines)
    return entries >= max(cfg.toc_leader_min_lines, cfg.toc_leader_share * len(lines))


def declaration_page(lines: list[Line], body: float, cfg: StructureSettings) -> bool:
    """A declaration: a styled …声明 title among the first lines."""
    for ln in lines[: cfg.front_title_lines]:
        h = nfkc_squash(ln.text)
        titled = h in DECLARATION_TITLES or (h.endswith("声明") and len(h) <= cfg.declaration_title_max_chars)
        if titled and styled(ln, body, cfg):
            return True
    return False


def front_matter(layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> FrontMatter:
    """Physical page → cover / declaration / toc, for the pages before the body starts."""
    cfg = settings.structure
    kinds: FrontMatter = {}
    for page in layout.pages[: cfg.front_matter_pages]:
        if not page.lines:
            continue  # a blank page (back of the cover) neither starts nor ends the front matter
        lines = [ln for ln in page.lines if not ln.in_table]
        k: SectionKind | None = None
        if lines and toc_title_page(lines, cfg):
            k = SectionKind.TOC
        elif lines and mostly_leaders(lines, layout.body_size, cfg):
            k = SectionKind.TOC
        elif lines and declaration_page(lines, layout.body_size, cfg):
            k = SectionKind.DECLARATION
        if k is None:
            if page.number == 1 and looks_like_cover(page, layout.body_size, cfg):
                kinds[1] = SectionKind.COVER
                continue
            break
        kinds[page.number] = k
    return kinds


def looks_like_cover(page: PageLayout, body: float, cfg: StructureSettings) -> bool:
    """A title page: a few display lines, no body heading, no running text."""
    text = [ln for ln in page.lines if not ln.in_table]
    chars = sum(len(ln.text) for ln in text)
    return not _has_body_heading(page, body, cfg) and len(text) <= cfg.cover_max_lines and chars <= cfg.cover_max_chars


def _has_body_heading(page: PageLayout, body: float, cfg: StructureSettings) -> bool:
    for ln in page.lines:
        n = parse_numbering(ln.text)
        if n is not None and n.kind in TOP_KINDS and styled(ln, body, cfg):
            return True
        if is_unnumbered_part(ln.text) and styled(ln, body, cfg):
            return True
    return False


def metadata(layout: Layout, front: FrontMatter, settings: Settings = DEFAULT_SETTINGS) -> Metadata:
    md = Metadata(page_labels=[p.page_label for p in layout.pages], running_header=layout.running_header)
    cover = layout.pages[0] if front.get(1) == SectionKind.COVER else None
    candidates = [ln for ln in cover.lines] if cover else []
    title_lines = sorted((ln for ln in candidates if "报告" in ln.text), key=lambda ln: -ln.size)
    school_re = re.compile(r"(\S{2,30}?(?:职业技术学院|职业学院|专科学校|学院|大学|学校))")
    if title_lines:
        md.title = join_wrapped(
            [ln.text for ln in title_run(candidates, title_lines[0], school_re, settings.structure)]
        )
    schools = [ln for ln in candidates if school_re.search(ln.text) and "报告" not in ln.text]
    if schools:
        md.school = max(schools, key=lambda ln: ln.size).text.strip()
    elif layout.running_header and (m := school_re.search(layout.running_header)):
        md.school = m.group(1)
    if md.title and md.school and md.title.startswith(md.school):
        md.title = md.title[len(md.school) :].strip()
    if md.title:
        md.report_title = (md.school or "") + md.title if md.school and md.school not in md.title else md.title
        if m := re.search(r"(20\d{2}|19\d{2})", md.title):
            md.report_year = int(m.group(1))
    for ln in candidates:
        if re.fullmatch(
            r"[〇零一二三四五六七八九十○0-9\s]{4,}年[〇零一二三四五六七八九十0-9\s]{1,3}月(.*日)?", ln.text.strip()
        ):
            md.date_text = ln.text.strip()
    md.school_code = school_code(layout, settings)
    return md


def title_run(lines: list[Line], title: Line, school: re.Pattern[str], cfg: StructureSettings) -> list[Line]:
    """The title line with the lines it wraps over: adjacent cover lines in the same type that
    name neither the school nor a date (高等职业教育质量 / 年度报告（2022）)."""

    def same(ln: Line) -> bool:
        return (
            abs(ln.size - title.size) <= cfg.same_size_tolerance
            and ln.bold == title.bold
            and not school.search(ln.text)
            and not re.search(r"\d{4}\s*年|[〇零一二三四五六七八九十○]{4}年", ln.text)
        )

    gap = cfg.title_wrap_gap * title.size
    i = next(k for k, ln in enumerate(lines) if ln is title)
    lo, hi = i, i
    while lo > 0 and same(lines[lo - 1]) and lines[lo].top - lines[lo - 1].bottom <= gap:
        lo -= 1
    while hi + 1 < len(lines) and same(lines[hi + 1]) and lines[hi + 1].top - lines[hi].bottom <= gap:
        hi += 1
    return lines[lo : hi + 1]


def school_code(layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """The 5-digit 院校代码 printed in the annex indicator tables (the national template's key):
    the first 5-digit number that starts a line shortly under a code header (CODE_HEADERS)."""
    cfg = settings.structure
    for page in layout.pages:
        lines = page.lines
        for i in range(len(lines)):
            if code_header(lines, i, cfg):
                for later in lines[i + 1 : i + 1 + cfg.code_search_lines]:
                    m = re.match(r"^(\d{5})(?!\d)", nfkc_squash(later.text))
                    if m:
                        return m.group(1)
    return None


def code_header(lines: list[Line], i: int, cfg: StructureSettings) -> bool:
    """Does lines[i] hold a code header, alone or as the first part of a header cell that wraps?

    A wrapped cell (院校代 / 码) prints its next part on a later line inside the same column, with
    the row's other cells between: its parts are joined across those lines.
    """
    head = lines[i]
    text = nfkc_squash(head.text)
    if any(h in text for h in CODE_HEADERS):
        return True
    if not any(h.startswith(text) for h in CODE_HEADERS):
        return False
    for later in lines[i + 1 : i + 1 + cfg.code_search_lines]:
        if later.x0 >= head.x0 - cfg.photo_caption_slop and later.x1 <= head.x1 + cfg.photo_caption_slop:
            text += nfkc_squash(later.text)
            if any(h in text for h in CODE_HEADERS):
                return True
            if not any(h.startswith(text) for h in CODE_HEADERS):
                return False
    return False


# ---------------------------------------------------------------- the walk


def front_sections(
    layout: Layout, edges: ColumnEdges, front: FrontMatter, md: Metadata, settings: Settings = DEFAULT_SETTINGS
) -> tuple[list[Section], list[Line], list[tuple[str, ParaBuilder]]]:
    """Cover, declaration and TOC sections; the TOC's lines; the front matter's own paragraphs."""
    cfg = settings.structure
    out: list[Section] = []
    toc_lines: list[Line] = []
    front_paras: list[tuple[str, ParaBuilder]] = []
    by_kind: dict[SectionKind, list[PageLayout]] = {}
    for num, kind in front.items():
        by_kind.setdefault(kind, []).append(layout.pages[num - 1])
    if SectionKind.COVER in by_kind:
        # display lines (title, school, date) are metadata; body-size text on the cover is kept
        small = [ln for ln in layout.pages[0].lines if not ln.in_table and not display(ln, layout.body_size, cfg)]
        cover_paras = paragraphs_of(layout, edges, small, settings)
        front_paras += [(SectionKind.COVER.value, p) for p in cover_paras]
        full = md.report_title or md.title or ""
        out.append(_front(SectionKind.COVER, md.title or "", [layout.pages[0]], full, cover_paras))
    if SectionKind.DECLARATION in by_kind:
        pages = by_kind[SectionKind.DECLARATION]
        lines = [ln for p in pages for ln in p.lines if not ln.in_table]
        title_i = next(
            (i for i, ln in enumerate(lines) if nfkc_squash(ln.text).endswith("声明") and ln.size > layout.body_size),
            0,
        )
        title = lines[title_i] if lines else None
        paras = paragraphs_of(layout, edges, lines[title_i + 1 :], settings)
        front_paras += [(SectionKind.DECLARATION.value, p) for p in paras]
        head, full = (nfkc_squash(title.text), title.text) if title else ("声明", "")
        out.append(_front(SectionKind.DECLARATION, head, pages, full, paras))
    if SectionKind.TOC in by_kind:
        pages = by_kind[SectionKind.TOC]
        lines = [ln for p in pages for ln in p.lines]
        title_line = next((ln for ln in lines if nfkc_squash(ln.text) in TOC_TITLES), None)
        toc_lines = [ln for ln in lines if ln is not title_line]
        head, full = (nfkc_squash(title_line.text), title_line.text) if title_line else ("目录", "")
        out.append(_front(SectionKind.TOC, head, pages, full))
    return out, toc_lines, front_paras


def _front(
    kind: SectionKind, title: str, pages: list[PageLayout], text_full: str, paras: list[ParaBuilder] | None = None
) -> Section:
    """A front-matter section: id = kind, no level or number, its own paragraphs as text."""
    sec = new_section(kind.value, kind, (), level=None, parent=None, title=title, text_full=text_full)
    text = "\n".join(p.text for p in paras or [])
    return sec.model_copy(update={"page": pages[0].number, "page_end": pages[-1].number, "text": text})


def paragraphs_of(
    layout: Layout, edges: ColumnEdges, lines: list[Line], settings: Settings = DEFAULT_SETTINGS
) -> list[ParaBuilder]:
    paras: list[ParaBuilder] = []
    prev: Line | None = None
    for ln in lines:
        page = layout.pages[ln.page - 1]
        if paras and prev is not None and continues(prev, ln, edges.right(page, ln), settings, edges):
            paras[-1].lines.append(ln)
        else:
            paras.append(ParaBuilder([ln]))
        prev = ln
    return paras


def pages_without_text(layout: Layout) -> list[Finding]:
    """Pages that print nothing as text: scanned images (OCR is not run yet) or blank pages."""
    out: list[Finding] = []
    for page in layout.loaded.pages:
        if has_ink(page):  # noted as the glyphs were set aside: not read back (pipeline/charpack.py)
            continue
        if page.images:
            msg = f"page {page.number} has no text layer, only images (a scan?): its content is not extracted"
            out.append(Finding(code="no_text_layer", severity="warning", message=msg, page=page.number))
        else:
            out.append(
                Finding(code="blank_page", severity="info", message=f"page {page.number} is blank", page=page.number)
            )
    return out
