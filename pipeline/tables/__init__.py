"""Tables stage: caption and stitch the page tables layout found; attach them to sections.

    layout: pages → candidates (rules) → page tables (grid / open), once per page (extract.py)
    here:   page tables + layout's lines → captions and surrounding text → groups of pieces that
            continue over page breaks → stitched tables → `Table`s (raw grids: header, rows,
            spans, flattened column names; typing is normalize's)

Kinds: `annex` for the indicator tables of 【附件】 (by section, else by the national template's
table names), `body` for other captioned tables, `other` for uncaptioned ones (other-N).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..furniture import page_texts
from ..lines import Line, dominant_size
from ..model import Section, Table
from ..normalize.catalog import load_catalog
from ..settings import DEFAULT_SETTINGS, Settings, TableSettings
from ..visibility import visible_page
from .captions import attach_captions, caption_lines
from .export import table_csv_bytes, table_json
from .extract import BACKENDS, extract_page, find_page_tables, find_table_regions, make_extractor, with_continuations
from .header import to_table
from .parts import PageTable
from .stitch import Stitched, continues, stitch

if TYPE_CHECKING:
    from ..layout import Layout
    from ..load import PageData
    from ..model import Document

__all__ = [
    "BACKENDS",
    "annex_titles",
    "attach_tables",
    "extract_page",
    "extract_tables",
    "find_table_regions",
    "table_csv_bytes",
    "table_json",
    "tables_from_pages",
]


def annex_titles() -> frozenset[str]:
    """The national template's annex table names (计分卡 … 落实政策表), from the indicator catalog."""
    return frozenset(t.title for t in load_catalog().tables)


def attach_tables(doc: Document, layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> Document:
    """A copy of `doc` with `tables` built from the page tables layout found (nothing is extracted again)."""
    tables = tables_from_pages(
        {pl.number: pl.tables for pl in layout.pages},
        {pl.number: pl.lines for pl in layout.pages},
        doc.sections,
        layout.body_size,
        settings,
        widths={pl.number: pl.width for pl in layout.pages},
    )
    refused = [r.finding() for pl in layout.pages for r in pl.refused]
    return doc.model_copy(update={"tables": tables, "findings": [*doc.findings, *refused]})


def extract_tables(
    pages: Sequence[PageData],
    sections: Sequence[Section] = (),
    *,
    extractor: str = "grid",
    pdf_path: str | Path | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Table]:
    """Every table of `pages` by one backend (`BACKENDS`), stitched over page breaks, captioned and
    placed in its section; only "camelot" needs `pdf_path` (LoadedPdf.source.path).

    Without a layout: the page text and its furniture come from the same line grouping and
    furniture detector layout uses (pipeline/lines.py, pipeline/furniture.py).
    """
    ex = make_extractor(extractor, pdf_path)
    pages = [visible_page(p, settings) for p in pages]  # the glyphs layout reads (pipeline/visibility.py)
    texts = page_texts(pages, settings).pages
    finds = [find_page_tables(p, ex, settings=settings) for p in pages]
    finds = with_continuations(pages, finds, [pt.lines for pt in texts], ex, settings=settings)
    per_page = {p.number: f.tables for p, f in zip(pages, finds, strict=True)}
    text = {pt.number: pt.lines for pt in texts}
    body = dominant_size(
        ln
        for n, lines in text.items()
        for ln in lines
        if not any(ln.centre_in(t.bbox, settings.layout.centre_tol) for t in per_page[n])
    )
    return tables_from_pages(per_page, text, sections, body, settings, widths={p.number: p.width for p in pages})


def tables_from_pages(
    per_page: Mapping[int, Sequence[PageTable]],
    text: Mapping[int, Sequence[Line]],
    sections: Sequence[Section],
    body_size: float,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    widths: Mapping[int, float],
) -> list[Table]:
    """Page tables + the pages' body lines → captioned, stitched `Table`s placed in their sections.

    `widths`: each page's width, which the column-edge tolerance of stitching is a share of.
    """
    s = settings.tables
    order = sorted(per_page)
    near = [n for n in order if per_page[n] or per_page.get(n + 1) or per_page.get(n - 1)]
    lines = {n: caption_lines(text.get(n, ()), per_page[n], s) for n in near}
    pieces, _ = attach_captions([t for n in order for t in per_page[n]], lines, body_size, s)
    captioned: dict[int, list[PageTable]] = {n: [] for n in order}
    for t in pieces:
        captioned[t.page].append(t)
    groups = _group(captioned, order, widths, s)
    tols = [s.stitch_edge_tol * max(widths[p.page] for p in g) for g in groups]
    return _finish(stitch(groups, tols, s), sections)


def _group(
    per_page: Mapping[int, Sequence[PageTable]], order: Sequence[int], widths: Mapping[int, float], s: TableSettings
) -> list[list[PageTable]]:
    """Pieces that continue each other over page breaks (by geometry: `stitch.continues`), in reading order."""
    groups: list[list[PageTable]] = []
    prev_page: Sequence[PageTable] = []
    for n in order:
        tables = per_page[n]
        for i, t in enumerate(tables):
            last = groups[-1][-1] if groups else None
            if last is None or not prev_page or i > 0 or last is not prev_page[-1]:
                groups.append([t])
                continue
            tol = s.stitch_edge_tol * max(widths[t.page], widths[last.page])
            head = groups[-1][0]
            if t.caption_number is not None and t.caption_number == head.caption_number:
                t = replace(t, continued=True)  # its caption printed again over the continuation
            if continues(last, t, tol, s):
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
        captioned = _caption_piece(st.pieces)
        number = captioned.caption_number if captioned else None
        title = (captioned.caption_title if captioned else None) or ""
        if number is None:
            kind = "other"
            others += 1
            tid = f"other-{others}"
        else:
            kind = "annex" if _in_annex(sections, section) or title.strip() in annex_titles() else "body"
            tid = f"{kind}-{number}"
            seen[tid] = seen.get(tid, 0) + 1
            if seen[tid] > 1:
                tid = f"{tid}-{seen[tid]}"
        out.append(to_table(st, tid, kind, number, title, section.id if section else None))
    return out


def _caption_piece(pieces: Sequence[PageTable]) -> PageTable | None:
    """The piece whose caption names the whole table: the first one's caption above it, else the
    last one's caption below it (under a table that crossed pages), else the first captioned one."""
    if pieces[0].caption_number is not None and pieces[0].caption_position == "above":
        return pieces[0]
    if pieces[-1].caption_number is not None and pieces[-1].caption_position == "below":
        return pieces[-1]
    return next((p for p in pieces if p.caption_number is not None), None)


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
