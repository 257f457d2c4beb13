"""Front matter and metadata: cover, 内容真实性责任声明, 目录 pages; school, code, year, title.

The front matter is the run of pages before the body that are a cover (a few display lines), a
declaration (a title ending in 声明) or the TOC (a 目录 title or mostly dot-leader lines); a blank
page inside it is skipped. Metadata comes from the cover and, for the 院校代码, from the annex.
"""

from __future__ import annotations

import re

from .layout import Layout, Line, PageLayout
from .model import Finding, Metadata, Section
from .numbering import DECLARATION_TITLES, TOC_TITLES, is_unnumbered_part, parse_numbering
from .paragraphs import ColumnEdges, ParaBuilder, continues
from .text import nfkc_squash
from .toc import is_leader_line


def styled(line: Line, body: float) -> bool:
    """Set apart from body text: bold, or clearly larger."""
    return line.bold or line.size >= body * 1.1


def _page_kind(page: PageLayout, body: float) -> str | None:
    lines = [ln for ln in page.lines if not ln.in_table]
    if not lines:
        return None
    head = [nfkc_squash(ln.text) for ln in lines[:3]]
    if any(h in TOC_TITLES for h in head):
        return "toc"
    if sum(is_leader_line(ln.text) for ln in lines) >= max(3, 0.6 * len(lines)):
        return "toc-cont"
    for ln, h in zip(lines[:3], head, strict=False):
        if (h in DECLARATION_TITLES or (h.endswith("声明") and len(h) <= 12)) and styled(ln, body):
            return "declaration"
    return None


def front_matter(layout: Layout) -> dict[int, str]:
    """Physical page → cover / declaration / toc, for the pages before the body starts."""
    kinds: dict[int, str] = {}
    seen_toc = False
    for page in layout.pages[:8]:
        if not page.lines:
            continue  # a blank page (back of the cover) neither starts nor ends the front matter
        k = _page_kind(page, layout.body_size)
        if k == "toc-cont":
            if not seen_toc:
                break
            k = "toc"
        if k is None:
            if page.number == 1 and _looks_like_cover(page, layout.body_size):
                kinds[1] = "cover"
                continue
            break
        seen_toc |= k == "toc"
        kinds[page.number] = k
    return kinds


def _looks_like_cover(page: PageLayout, body: float) -> bool:
    """A title page: a few display lines, no body heading, no running text."""
    text = [ln for ln in page.lines if not ln.in_table]
    chars = sum(len(ln.text) for ln in text)
    return not _has_body_heading(page, body) and len(text) <= 15 and chars <= 300


def _has_body_heading(page: PageLayout, body: float) -> bool:
    for ln in page.lines:
        n = parse_numbering(ln.text)
        if n is not None and n.kind in ("part", "chapter") and styled(ln, body):
            return True
        if is_unnumbered_part(ln.text) and styled(ln, body):
            return True
    return False


def metadata(layout: Layout, front: dict[int, str]) -> Metadata:
    md = Metadata(page_labels=[p.page_label for p in layout.pages], running_header=layout.running_header)
    cover = layout.pages[0] if front.get(1) == "cover" else None
    candidates = [ln for ln in cover.lines] if cover else []
    title_lines = sorted((ln for ln in candidates if "报告" in ln.text), key=lambda ln: -ln.size)
    school_re = re.compile(r"(\S{2,30}?(?:职业技术学院|职业学院|专科学校|学院|大学|学校))")
    if title_lines:
        md.title = nfkc_squash(title_lines[0].text).replace("(", "（").replace(")", "）")
        md.title = title_lines[0].text.strip()
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
    md.school_code = _school_code(layout)
    return md


def _school_code(layout: Layout) -> str | None:
    """The 5-digit 院校代码 printed in the annex indicator tables (the national template's key)."""
    for page in layout.pages:
        lines = page.lines
        for i, ln in enumerate(lines):
            if "院校代码" in nfkc_squash(ln.text) or "院校代" in nfkc_squash(ln.text):
                for later in lines[i + 1 : i + 12]:
                    m = re.match(r"^(\d{5})(?!\d)", nfkc_squash(later.text))
                    if m:
                        return m.group(1)
    return None


# ---------------------------------------------------------------- the walk


def front_sections(
    layout: Layout, edges: ColumnEdges, front: dict[int, str], md: Metadata
) -> tuple[list[Section], list[Line], list[tuple[str, ParaBuilder]]]:
    """Cover, declaration and TOC sections; the TOC's lines; the front matter's own paragraphs."""
    out: list[Section] = []
    toc_lines: list[Line] = []
    front_paras: list[tuple[str, ParaBuilder]] = []
    by_kind: dict[str, list[PageLayout]] = {}
    for num, kind in front.items():
        by_kind.setdefault(kind, []).append(layout.pages[num - 1])
    if "cover" in by_kind:
        # display lines (title, school, date) are metadata; body-size text on the cover is kept
        small = [ln for ln in layout.pages[0].lines if not ln.in_table and ln.size < layout.body_size * 1.15]
        cover_paras = paragraphs_of(layout, edges, small)
        front_paras += [("cover", p) for p in cover_paras]
        out.append(_front("cover", md.title or "", [layout.pages[0]], md.report_title or md.title or "", cover_paras))
    if "declaration" in by_kind:
        pages = by_kind["declaration"]
        lines = [ln for p in pages for ln in p.lines if not ln.in_table]
        title_i = next(
            (i for i, ln in enumerate(lines) if nfkc_squash(ln.text).endswith("声明") and ln.size > layout.body_size),
            0,
        )
        title = lines[title_i] if lines else None
        paras = paragraphs_of(layout, edges, lines[title_i + 1 :])
        front_paras += [("declaration", p) for p in paras]
        out.append(
            _front(
                "declaration", nfkc_squash(title.text) if title else "声明", pages, title.text if title else "", paras
            )
        )
    if "toc" in by_kind:
        pages = by_kind["toc"]
        lines = [ln for p in pages for ln in p.lines]
        title_line = next((ln for ln in lines if nfkc_squash(ln.text) in TOC_TITLES), None)
        toc_lines = [ln for ln in lines if ln is not title_line]
        out.append(
            _front(
                "toc",
                nfkc_squash(title_line.text) if title_line else "目录",
                pages,
                title_line.text if title_line else "",
            )
        )
    return out, toc_lines, front_paras


def _front(
    kind: str, title: str, pages: list[PageLayout], text_full: str, paras: list[ParaBuilder] | None = None
) -> Section:
    """A front-matter section: id = kind, no level or number, its own paragraphs as text."""
    return Section(
        id=kind,
        parent=None,
        kind=kind,  # type: ignore[arg-type]  # one of cover | declaration | toc
        level=None,
        number="",
        title=title,
        page=pages[0].number,
        page_end=pages[-1].number,
        text="\n".join(p.text for p in paras or []),
        text_full=text_full,
    )


def paragraphs_of(layout: Layout, edges: ColumnEdges, lines: list[Line]) -> list[ParaBuilder]:
    paras: list[ParaBuilder] = []
    prev: Line | None = None
    for ln in lines:
        page = layout.pages[ln.page - 1]
        if paras and prev is not None and continues(prev, ln, edges.right(page, ln)):
            paras[-1].lines.append(ln)
        else:
            paras.append(ParaBuilder([ln]))
        prev = ln
    return paras


def pages_without_text(layout: Layout) -> list[Finding]:
    """Pages that print nothing as text: scanned images (OCR is not run yet) or blank pages."""
    out: list[Finding] = []
    for page in layout.loaded.pages:
        if any(c.text.strip() for c in page.chars):
            continue
        if page.images:
            msg = f"page {page.number} has no text layer, only images (a scan?): its content is not extracted"
            out.append(Finding(code="no_text_layer", severity="warning", message=msg, page=page.number))
        else:
            out.append(
                Finding(code="blank_page", severity="info", message=f"page {page.number} is blank", page=page.number)
            )
    return out
