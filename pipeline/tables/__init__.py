"""Tables stage: find, extract and stitch tables; attach them to sections (issue 3).

    pages → candidates (rules) → page tables (grid / open) → captions and surrounding text
          → groups of pieces that continue over page breaks → stitched tables → `Table`s

Kinds: `annex` for the indicator tables of 【附件】 (by section, else by the national template's
table names), `body` for other captioned tables, `other` for uncaptioned ones (other-N).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import BBox, Section, Table
from ..settings import DEFAULT_SETTINGS, Settings
from .captions import TextLine, attach_captions, page_lines, set_caption
from .export import table_csv_bytes, table_json
from .extract import BACKENDS, extract_page, make_extractor, page_tables
from .header import to_table
from .parts import PageTable
from .regions import find_table_regions
from .stitch import Stitched, continues, stitch

if TYPE_CHECKING:
    from ..layout import Layout
    from ..load import PageData
    from ..model import Document

__all__ = ["BACKENDS", "attach_tables", "extract_tables", "find_table_regions", "table_csv_bytes", "table_json"]

ANNEX_TITLES = ("计分卡", "学生反馈表", "教学资源表", "国际影响表", "服务贡献表", "落实政策表")


def attach_tables(doc: Document, layout: Layout, *, settings: Settings = DEFAULT_SETTINGS) -> Document:
    """A copy of `doc` with `tables` filled from the layout's pages (the input is not changed)."""
    furniture = {pl.number: [ln.bbox for ln in pl.furniture] for pl in getattr(layout, "pages", []) or []}
    tables = extract_tables(layout.loaded.pages, doc.sections, furniture)
    return doc.model_copy(update={"tables": tables})


def extract_tables(
    pages: Sequence[PageData],
    sections: Sequence[Section] = (),
    furniture: dict[int, list[BBox]] | None = None,
    *,
    extractor: str = "grid",
    pdf_path: str | Path | None = None,
) -> list[Table]:
    """Every table of the document, stitched over page breaks, captioned and placed in its section.

    `extractor` picks the backend (`BACKENDS`); only the default "grid" shares the per-page memo with
    the layout stage, and only "camelot" needs `pdf_path` (LoadedPdf.source.path).
    """
    furniture = furniture or {}
    if extractor == "grid":
        per_page = {p.number: page_tables(p) for p in pages}
    else:
        ex = make_extractor(extractor, pdf_path)
        per_page = {p.number: extract_page(p, ex) for p in pages}
    pieces = [t for p in pages for t in per_page[p.number]]
    for t in pieces:  # captions and flags are set per run: reset what an earlier run left
        t.caption_number = t.caption_title = t.caption_position = None
        t.continued = t.text_above = t.text_below = False
    lines = {
        p.number: page_lines(p, per_page[p.number], furniture.get(p.number, ()))
        for p in pages
        if per_page[p.number] or _next_has(per_page, p.number)
    }
    used = attach_captions(pieces, lines)
    _captions_from_previous_page(per_page, lines, used)
    groups = _group(per_page, [p.number for p in pages])
    return _finish(stitch(groups), sections)


def _next_has(per_page: dict[int, list[PageTable]], n: int) -> bool:
    return bool(per_page.get(n + 1))


def _captions_from_previous_page(
    per_page: dict[int, list[PageTable]], lines: dict[int, list[TextLine]], used: set[int]
) -> None:
    """A caption left alone at the foot of a page belongs to the table that opens the next page."""
    for n, tables in per_page.items():
        if not tables or tables[0].caption_number or tables[0].text_above:
            continue
        prev = lines.get(n - 1, [])
        prev_tables = per_page.get(n - 1, [])
        if prev and id(prev[-1]) not in used and prev[-1].caption:
            if not prev_tables or prev_tables[-1].bbox.bottom < prev[-1].bbox.top:
                set_caption(tables[0], prev[-1], "above")
                used.add(id(prev[-1]))
                if prev_tables:
                    prev_tables[-1].text_below = True


def _group(per_page: dict[int, list[PageTable]], order: Sequence[int]) -> list[list[PageTable]]:
    groups: list[list[PageTable]] = []
    prev_page: list[PageTable] = []
    for n in order:
        tables = per_page[n]
        for i, t in enumerate(tables):
            if groups and prev_page and i == 0 and continues(groups[-1][-1], t, groups[-1][-1] is prev_page[-1], True):
                groups[-1].append(t)
            else:
                groups.append([t])
        prev_page = tables
    return groups


def _finish(stitched: Sequence[Stitched], sections: Sequence[Section]) -> list[Table]:
    out: list[Table] = []
    seen: dict[str, int] = {}
    others = 0
    for st in stitched:
        head = st.pieces[0]
        section = _section_of(sections, head.page, head.bbox.top)
        number = head.caption_number
        title = head.caption_title or ""
        if number is None:
            kind = "other"
            others += 1
            tid = f"other-{others}"
        else:
            kind = "annex" if _in_annex(sections, section) or title.strip() in ANNEX_TITLES else "body"
            tid = f"{kind}-{number}"
            seen[tid] = seen.get(tid, 0) + 1
            if seen[tid] > 1:
                tid = f"{tid}-{seen[tid]}"
        out.append(to_table(st, tid, kind, number, title, section.id if section else None))
    return out


def _section_of(sections: Sequence[Section], page: int, top: float) -> Section | None:
    """The innermost section the table sits in: the last one starting before it (a case only if inside its box)."""
    by_id = {s.id: s for s in sections}
    best: Section | None = None
    for s in sections:
        if s.kind in ("cover", "toc"):
            continue
        s_top = s.provenance[0].bbox.top if s.provenance and s.provenance[0].bbox else 0.0
        if (s.page, s_top) <= (page, top):
            best = s
    while best is not None and best.kind == "case" and not _inside_case(best, page, top):
        best = by_id.get(best.parent) if best.parent else None
    return best


def _inside_case(case: Section, page: int, top: float) -> bool:
    boxes = [p.bbox for p in case.provenance if p.page == page and p.bbox is not None]
    return bool(boxes) and any(b.top <= top <= b.bottom for b in boxes)


def _in_annex(sections: Sequence[Section], section: Section | None) -> bool:
    by_id = {s.id: s for s in sections}
    while section is not None:
        if section.kind == "annex":
            return True
        section = by_id.get(section.parent) if section.parent else None
    return False
