"""Structure stage: headings, sections, cases, captions, front matter and the TOC.

A line is a heading when it carries one of the conventional numberings (see numbering.py) AND
looks like one: set larger or bold than the body, or standing alone on its line. Lines inside
tables or case boxes never open sections (statement rows such as 一、营业总收入 live in tables;
（一）… inside a case box is a sub-head of the case). Levels follow the nesting of the numbering
styles actually used, so 一、→ 1. without （一） still gives levels 1 and 2.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import __version__
from .frontmatter import front_matter, front_sections, metadata, pages_without_text
from .frontmatter import styled as is_styled
from .ids import doc_id_for
from .layout import Layout, Line, PageLayout
from .model import BBox, Document, Figure, Finding, Paragraph, Provenance, Section
from .numbering import (
    CAPTION_FIGURE,
    CAPTION_TABLE,
    is_annex_title,
    is_unnumbered_part,
    list_kind,
    parse_numbering,
)
from .paragraphs import ColumnEdges, ParaBuilder, continues
from .settings import DEFAULT_SETTINGS, Settings
from .text import join_wrapped, nfkc_squash
from .toc import cross_check, is_leader_line, list_entries, toc_entries

KIND_RANK = {"part0": 0, "chapter": 0, "part": 0, "sub": 1, "item": 2, "subitem": 3, "circled": 4}
SENTENCE_END = tuple("。；;，,：:！？!?")
MAX_HEADING_CHARS = 60


@dataclass(slots=True)
class _Open:
    """A section being built, with the lines that count towards its page_end."""

    section: Section
    rank: int  # numbering rank (KIND_RANK) for headings; -1 for level-1 unnumbered parts
    paras: list[ParaBuilder] = field(default_factory=list)
    last_page: int = 0


@dataclass(slots=True)
class _State:
    layout: Layout
    body: float
    sections: list[_Open] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)  # open headings, outermost first
    case: _Open | None = None
    list_open: _Open | None = None
    list_lines: list[Line] = field(default_factory=list)
    para: ParaBuilder | None = None
    prev_text: Line | None = None
    figures: list[Figure] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)
    edges: ColumnEdges = field(default_factory=lambda: ColumnEdges({}, {}))
    seq: int = 0
    lists: dict[str, list[Line]] = field(default_factory=dict)

    def uid(self, base: str) -> str:
        self.ids[base] += 1
        return base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"

    @property
    def owner(self) -> _Open | None:
        if self.case is not None:
            return self.case
        if self.stack:
            return self.stack[-1]
        return self.list_open


# ---------------------------------------------------------------- line tests


def _heading_shape(line: Line) -> bool:
    """Short, one run of text (no column gaps), not a sentence: what a printed heading looks like."""
    s = nfkc_squash(line.text)
    return bool(s) and len(s) <= MAX_HEADING_CHARS and not line.gaps


def _stands_alone(line: Line, prev: Line | None, right: float) -> bool:
    short = line.x1 < right - 3 * line.size
    prev_done = prev is None or prev.page != line.page or prev.x1 < right - 1.6 * prev.size
    return short and prev_done and not nfkc_squash(line.text).endswith(SENTENCE_END)


def _caption_kind(line: Line, page: PageLayout, body: float) -> str | None:
    """table / figure / photo when the line is a caption, else None."""
    s = line.text.strip()
    plain = nfkc_squash(s)
    if len(plain) > 60 or plain.endswith("。"):
        return None
    for kind, pat in (("table", CAPTION_TABLE), ("figure", CAPTION_FIGURE)):
        m = pat.match(s)
        if m and m.group(2) and not line.gaps:
            # set apart from body text: smaller, bold, or centred rather than at the text's left edge
            centred = line.x0 > 90 and abs((line.x0 + line.x1) / 2 - page.width / 2) < 0.12 * page.width
            if line.size < body - 0.2 or line.bold or centred:
                return kind
    if line.size <= body and not line.bold and len(plain) <= 40:
        mid = (line.x0 + line.x1) / 2
        for img in page.images:
            if img.x0 - 2 <= mid <= img.x1 + 2 and -2 <= line.top - img.bottom <= 2.5 * line.size:
                # the first line under the picture, nothing printed between them
                between = [o for o in page.lines if img.bottom - 1 <= o.top < line.top - 1 and o is not line]
                if not between:
                    return "photo"
    return None


# ---------------------------------------------------------------- front matter


def _close_para(st: _State) -> None:
    if st.para is not None and st.para.lines:
        owner = st.owner
        if owner is not None:
            owner.paras.append(st.para)
    st.para = None


def _touch(st: _State, page: int) -> None:
    for o in (*st.stack, st.case, st.list_open):
        if o is not None:
            o.last_page = max(o.last_page, page)


def _open_section(st: _State, o: _Open) -> None:
    st.sections.append(o)
    o.last_page = o.section.page


def _new_section(
    st: _State,
    sid: str,
    kind: str,
    level: int | None,
    number: str,
    title: str,
    lines: list[Line],
    rank: int,
    parent: str | None = None,
    text_full: str | None = None,
) -> _Open:
    first = lines[0]
    sec = Section(
        id=sid,
        parent=parent,
        kind=kind,  # type: ignore[arg-type]
        level=level,
        number=number,
        title=title,
        page=first.page,
        page_end=first.page,
        text_full=title if text_full is None else text_full,
        provenance=[Provenance(page=ln.page, bbox=ln.bbox) for ln in lines],
    )
    o = _Open(sec, rank)
    _open_section(st, o)
    return o


def _heading_id(st: _State, number: str, rank: int) -> str:
    from .numbering import cn_to_int

    parts = []
    for o in st.stack:
        seg = o.section.id.rsplit(".", 1)[-1].removeprefix("sec-")
        parts.append(seg)
    n = cn_to_int(number)
    parts.append(str(n) if n is not None else number)
    return st.uid("sec-" + ".".join(parts))


def _start_heading(st: _State, line_text: str, lines: list[Line], kind: str, number: str, title: str) -> None:
    _close_para(st)
    st.case = None
    st.list_open = None
    rank = KIND_RANK[kind]
    while st.stack and st.stack[-1].rank >= rank:
        st.stack.pop()
    level = len(st.stack) + 1
    parent = st.stack[-1].section.id if st.stack else None
    if kind == "part0":
        sid = st.uid("sec-0")
    else:
        sid = _heading_id(st, number, rank)
    o = _new_section(st, sid, "heading", level, number, title, lines, rank, parent, line_text)
    st.stack.append(o)


def _start_case(st: _State, line_text: str, lines: list[Line], number: str, title: str) -> None:
    _close_para(st)
    st.list_open = None
    parent = st.stack[-1].section.id if st.stack else None
    o = _new_section(st, st.uid(f"case-{number}"), "case", None, number, title, lines, 99, parent, line_text)
    st.case = o


def _start_preamble(st: _State, line: Line) -> bool:
    """Text before the first heading (no cover page): kept in a section of its own, never dropped.

    Returns True when `line` itself was taken as the section's title (a display line).
    """
    title = line.text.strip() if line.size >= st.body * 1.15 else ""
    o = _new_section(st, st.uid("preamble"), "heading", 1, "", title, [line], 0)
    st.stack.append(o)
    return bool(title)


def _start_block(st: _State, kind: str, line: Line, list_of: str | None = None) -> None:
    """A list (【附表目录】…) or the annex: level 1, closes every open heading."""
    _close_para(st)
    st.case = None
    st.stack.clear()
    base = f"list-{list_of}" if kind == "list" else "annex"
    o = _new_section(st, st.uid(base), kind, 1, "", line.text.strip(), [line], -1)
    st.list_open = o
    if list_of:
        st.lists[list_of] = []


def _continuation(lines: list[Line], i: int, head: Line, right: float) -> int:
    """How many lines after `head` continue a wrapped heading title (same size and weight)."""
    n = 0
    prev = head
    while i + 1 + n < len(lines):
        nxt = lines[i + 1 + n]
        if (
            nxt.in_table
            or nxt.page != head.page
            or abs(nxt.size - head.size) > 0.3
            or nxt.bold != head.bold
            or nxt.box != head.box
            or nxt.top - prev.bottom > 0.9 * head.size
            or prev.x1 < right - 2.5 * head.size
            or parse_numbering(nxt.text) is not None
        ):
            break
        n += 1
        prev = nxt
    return n


def _walk_page(st: _State, page: PageLayout, lines: list[Line]) -> None:
    body = st.body
    i = 0
    while i < len(lines):
        line = lines[i]
        right = st.edges.right(page, line)
        _touch(st, line.page)
        if line.in_table:
            _close_para(st)
            st.prev_text = None
            i += 1
            continue
        text = line.text.strip()
        squashed = nfkc_squash(text)
        styled = is_styled(line, body)

        # the closing lists and the annex
        lk = list_kind(squashed)
        if lk and (styled or len(squashed) <= 8):
            _start_block(st, "list", line, lk)
            st.prev_text = None
            i += 1
            continue
        if is_annex_title(squashed) and styled and line.box is None:
            _start_block(st, "annex", line)
            st.prev_text = None
            i += 1
            continue
        if st.list_open is not None and st.list_open.section.kind == "list":
            lst = st.list_open.section.id.removeprefix("list-").split("-")[0]
            if not (styled and line.size >= body * 1.1):
                st.lists.setdefault(lst, []).append(line)
                i += 1
                continue

        cap = _caption_kind(line, page, body)
        if cap is not None:
            _close_para(st)
            st.prev_text = None
            if cap in ("figure", "photo"):
                _add_figure(st, line, cap)
            i += 1
            continue

        num = parse_numbering(text)
        if num is not None and num.kind == "case" and (line.box is not None or styled):
            extra = _continuation(lines, i, line, right)
            group = lines[i : i + 1 + extra]
            full = join_wrapped([ln.text for ln in group])
            title = parse_numbering(full)
            _start_case(st, full, group, num.number, title.title if title else num.title)
            st.prev_text = None
            i += 1 + extra
            continue
        if line.box is None and _heading_shape(line):
            is_part = is_unnumbered_part(squashed) and (styled or _stands_alone(line, st.prev_text, right))
            heading = (
                num is not None
                and num.kind != "case"
                and (KIND_RANK[num.kind] <= 2 or styled)
                and (styled or _stands_alone(line, st.prev_text, right))
            )
            if is_part or heading:
                extra = _continuation(lines, i, line, right) if styled else 0
                group = lines[i : i + 1 + extra]
                full = join_wrapped([ln.text for ln in group])
                if is_part:
                    _start_heading(st, full, group, "part0", "", full)
                else:
                    assert num is not None  # `heading` implies a numbering
                    parsed = parse_numbering(full) or num
                    _start_heading(st, full, group, num.kind, num.number, parsed.title)
                st.prev_text = None
                i += 1 + extra
                continue

        # body text
        if st.case is not None and line.box is None and st.case.section.provenance:
            # the case box ended: text returns to the enclosing section
            case_box_page = st.case.last_page
            if st.prev_text is None or st.prev_text.box is not None or case_box_page != line.page:
                _close_para(st)
                st.case = None
        if st.owner is None and _start_preamble(st, line):
            st.prev_text = None
            i += 1
            continue
        if st.para is not None and st.prev_text is not None and continues(st.prev_text, line, right):
            st.para.lines.append(line)
        else:
            _close_para(st)
            st.seq += 1
            st.para = ParaBuilder([line], seq=st.seq)
        st.prev_text = line
        i += 1


def _add_figure(st: _State, line: Line, kind: str) -> None:
    owner = st.owner
    number = None
    caption = line.text.strip()
    if kind == "figure":
        m = CAPTION_FIGURE.match(caption)
        number = m.group(1) if m else None
    st.figures.append(
        Figure(
            id=st.uid(f"fig-{number}" if number else "photo"),
            kind="chart" if kind == "figure" else "photo",
            number=number,
            caption=caption,
            page=line.page,
            section=owner.section.id if owner else None,
            provenance=[Provenance(page=line.page, bbox=line.bbox)],
        )
    )


# ---------------------------------------------------------------- the stage


def build_structure(layout: Layout, *, settings: Settings = DEFAULT_SETTINGS) -> Document:
    """Sections (with their own text), paragraphs, figures, TOC and lists from the layout."""
    front = front_matter(layout)
    md = metadata(layout, front)
    edges = ColumnEdges.of(layout)
    front_secs, toc_lines, front_paras = front_sections(layout, edges, front, md)
    st = _State(layout=layout, body=layout.body_size, edges=edges)
    for page in layout.pages:
        if page.number in front:
            continue
        _walk_page(st, page, page.lines)
    _close_para(st)

    sections: list[Section] = list(front_secs)
    ordered: list[tuple[str, ParaBuilder]] = list(front_paras)
    ends: dict[str, int] = {}
    for o in st.sections:
        ends[o.section.id] = max(o.last_page, o.section.page)
    # a section ends where its last descendant ends
    for o in reversed(st.sections):
        parent = o.section.parent
        if parent and parent in ends:
            ends[parent] = max(ends[parent], ends[o.section.id])
    for o in st.sections:
        sec = o.section
        sec.page_end = ends[sec.id]
        sec.text = "\n".join(p.text for p in o.paras)
        sections.append(sec)
    # reading order: a case's paragraphs come before the text that follows its box
    ordered += sorted(((o.section.id, p) for o in st.sections for p in o.paras), key=lambda sp: sp[1].seq)
    paragraphs = [
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

    labels = [p.page_label for p in layout.pages]
    level_x = _levels_from_indent(toc_lines)
    toc = toc_entries(toc_lines, labels, level_x)
    findings: list[Finding] = cross_check(toc, sections)
    lists = [e for kind, lines in st.lists.items() for e in list_entries(kind, lines)]
    findings += pages_without_text(layout)
    if not any(s.kind == "heading" for s in sections):
        findings.append(Finding(code="no_headings", severity="warning", message="no numbered headings were recognised"))
    source = layout.loaded.source
    return Document(
        doc_id=doc_id_for(md.school_code, md.report_year, source.path),
        pipeline_version=__version__,
        source=source,
        metadata=md,
        sections=sections,
        paragraphs=paragraphs,
        figures=st.figures,
        toc=toc,
        lists=lists,
        findings=findings,
    )


def _levels_from_indent(lines: list[Line]) -> list[float]:
    """Left edges of the TOC's indentation steps (first-line positions, a few points apart)."""
    xs = sorted({round(ln.x0, 0) for ln in lines if is_leader_line(ln.text) or parse_numbering(ln.text)})
    steps: list[float] = []
    for x in xs:
        if not steps or x - steps[-1] > 6:
            steps.append(x)
    return steps[:4]


__all__ = ["BBox", "build_structure"]
