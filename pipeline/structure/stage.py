"""The structure stage: front matter, then the body folded into sections, then the TOC and lists."""

from __future__ import annotations

from collections.abc import Iterable

from .. import __version__
from ..ids import doc_id_for
from ..layout import Layout, Line
from ..model import Document, Finding, Paragraph, Section, SectionKind, TocEntry
from ..numbering import parse_numbering
from ..paragraphs import ColumnEdges, ParaBuilder
from ..settings import DEFAULT_SETTINGS, Settings
from ..text import nfkc_squash
from ..toc import cross_check, is_leader_line, list_entries, toc_entries
from .conservation import add_lines, conservation_findings, placed_lines
from .fold import Folded, fold
from .frontmatter import front_matter, front_sections, metadata, pages_without_text
from .guide import promotions


def build_structure(layout: Layout, settings: Settings = DEFAULT_SETTINGS) -> Document:
    """Sections (with their own text), paragraphs, figures, TOC and lists from the layout."""
    front = front_matter(layout, settings)
    md = metadata(layout, front, settings)
    edges = ColumnEdges.of(layout, settings)
    front_secs, toc_lines, front_paras = front_sections(layout, edges, front, md, settings)
    body_pages = [p for p in layout.pages if p.number not in front]
    labels = [p.page_label for p in layout.pages]
    toc = toc_entries(toc_lines, labels, toc_levels(toc_lines, layout.body_size, settings))
    listed = frozenset(nfkc_squash(e.text) for e in toc)
    folded = fold(body_pages, layout.body_size, edges, settings, toc_texts=listed)
    # the TOC as a guide: entries that typography gave no heading are looked up where the TOC says
    promoted = promotions(unguided(toc, list(front_secs) + _closed(folded), settings), body_pages, settings.structure)
    if promoted:
        folded = fold(body_pages, layout.body_size, edges, settings, promoted, listed)

    sections = list(front_secs) + _closed(folded)
    # reading order: a case's paragraphs come before the text that follows its box
    body_paras = sorted(((o.section.id, p) for o in folded.sections for p in o.paras), key=lambda sp: sp[1].seq)
    paragraphs = _paragraphs(front_paras + body_paras)

    findings: list[Finding] = cross_check(toc, sections, settings)
    lists = [e for kind, lines in folded.lists.items() for e in list_entries(kind, lines)]
    findings += pages_without_text(layout)
    layers = ((p.number, p.layer) for p in layout.pages)
    findings += conservation_findings(layers, placed(layout, front, folded), settings)
    if not any(s.kind == SectionKind.HEADING for s in sections):
        findings.append(Finding(code="no_headings", severity="warning", message="no numbered headings were recognised"))
    source = layout.loaded.source
    return Document(
        doc_id=doc_id_for(md.school_code, md.report_year, source.path),
        pipeline_version=__version__,
        source=source,
        metadata=md,
        sections=sections,
        paragraphs=paragraphs,
        figures=folded.figures,
        toc=toc,
        lists=lists,
        findings=findings,
    )


def placed(layout: Layout, front: Iterable[int], folded: Folded) -> dict[int, list[str]]:
    """Where the texts of every page went: furniture, tables, front matter, then the body fold."""
    out = placed_lines(layout, front)
    for o in folded.sections:
        out.setdefault(o.section.page, []).append(o.section.text_full)
        add_lines(out, (ln for p in o.paras for ln in p.lines))
    add_lines(out, folded.captions)
    add_lines(out, (ln for lines in folded.lists.values() for ln in lines))
    return out


def unguided(toc: list[TocEntry], sections: list[Section], settings: Settings = DEFAULT_SETTINGS) -> list[TocEntry]:
    """TOC entries that typography gave no heading, or only the start of one (a full-line heading
    in the body font read as a run-in heading: the TOC's wording is the whole title)."""
    probe = [e.model_copy() for e in toc]
    cross_check(probe, sections, settings)
    titles = {s.id: nfkc_squash(s.title) for s in sections}
    out = []
    for e in probe:
        title = titles.get(e.target or "")
        if title is None or (title != nfkc_squash(e.title) and nfkc_squash(e.title).startswith(title)):
            out.append(e)
    return out


def _closed(folded: Folded) -> list[Section]:
    """The body's sections with their text and their last page (where their last descendant ends)."""
    ends = {o.section.id: max(o.last_page, o.section.page) for o in folded.sections}
    for o in reversed(folded.sections):
        parent = o.section.parent
        if parent and parent in ends:
            ends[parent] = max(ends[parent], ends[o.section.id])
    return [
        o.section.model_copy(update={"page_end": ends[o.section.id], "text": "\n".join(p.text for p in o.paras)})
        for o in folded.sections
    ]


def _paragraphs(ordered: list[tuple[str, ParaBuilder]]) -> list[Paragraph]:
    return [
        Paragraph(
            id=f"p-{i:04d}",
            section=sid,
            text=p.text,
            page=p.page,
            page_end=p.page_end,
            bold_lead=p.bold_lead(),
            provenance=p.provenance(),
        )
        for i, (sid, p) in enumerate(ordered, start=1)
    ]


def toc_levels(lines: list[Line], body: float, settings: Settings = DEFAULT_SETTINGS) -> list[float]:
    """Left edges of the TOC's indentation steps (first-line positions, a fraction of an em apart)."""
    cfg = settings.structure
    xs = sorted({round(ln.x0, 0) for ln in lines if is_leader_line(ln.text) or parse_numbering(ln.text)})
    steps: list[float] = []
    for x in xs:
        if not steps or x - steps[-1] > cfg.toc_indent_step * body:
            steps.append(x)
    return steps[: cfg.toc_max_levels]
