"""Folding: classified lines into sections, paragraphs, figures and list lines, in reading order.

One pass over the body pages. Each line is classified (roles.py) in the context of what is open,
then the role decides what opens, closes or receives the line: a heading opens a section in the
outline, a case head a case box (text after the box returns to the enclosing section), a list or
annex head closes every open heading; body lines join the current paragraph or start one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..layout import Line, PageLayout
from ..model import Figure, Provenance, SectionKind
from ..numbering import CAPTION_FIGURE, CaptionKind, ListKind, Numbering, parse_numbering, siblings_ahead
from ..paragraphs import ColumnEdges, ParaBuilder, continues
from ..settings import Settings, StructureSettings
from .outline import Ids, OpenSection, Outline, new_section
from .roles import Classified, Context, Role, classify, ending_numbering, page_opens_indented


@dataclass(slots=True)
class Folded:
    """What the walk over the body produced."""

    sections: list[OpenSection]  # in the order they were opened
    figures: list[Figure]
    lists: dict[ListKind, list[Line]]  # the lines of each closing list, for list entries
    captions: list[Line] = field(default_factory=list)  # every caption line (figures' and tables')


@dataclass(slots=True)
class _Fold:
    """The open containers during the walk; only `fold` drives it."""

    settings: Settings
    edges: ColumnEdges
    ids: Ids = field(default_factory=Ids)
    outline: Outline = field(init=False)
    case: OpenSection | None = None
    block: OpenSection | None = None  # the open closing list or annex
    para: ParaBuilder | None = None
    prev_body: Line | None = None
    seq: int = 0
    toc_texts: frozenset[str] = frozenset()  # the TOC's entries, squashed (Context.toc_texts)
    out: Folded = field(default_factory=lambda: Folded([], [], {}))

    def __post_init__(self) -> None:
        self.outline = Outline(self.ids)

    @property
    def owner(self) -> OpenSection | None:
        """The section that receives body text: a case box, else the innermost heading, else a block."""
        return self.case or self.outline.innermost or self.block

    def touch(self, page: int) -> None:
        for o in (*self.outline.stack, self.case, self.block):
            if o is not None:
                o.last_page = max(o.last_page, page)

    def opened(self, o: OpenSection) -> OpenSection:
        o.last_page = o.section.page
        self.out.sections.append(o)
        return o

    def close_para(self) -> None:
        if self.para is not None and self.para.lines and (owner := self.owner) is not None:
            owner.paras.append(self.para)
        self.para = None

    def case_ends(self, line: Line) -> bool:
        """Body text outside any box, after a non-box line or none: the case box is over."""
        return self.case is not None and line.box is None and (self.prev_body is None or self.prev_body.box is not None)

    def context(
        self,
        line: Line,
        page: PageLayout,
        edges: ColumnEdges,
        body: float,
        toc_lines: int,
        ahead: bool = False,
        indent_after: bool = False,
    ) -> Context:
        in_list = self.block is not None and self.block.list_kind is not None
        owner = (self.outline.innermost or self.block) if self.case_ends(line) else self.owner
        numbers = tuple((o.tier, o.section.number) for o in self.outline.stack)
        return Context(
            body,
            edges.right(page, line),
            self.prev_body,
            in_list,
            owner is not None,
            toc_lines,
            numbers,
            self.toc_texts,
            ahead,
            indent_after,
        )

    # -------------------------------------------------------------- one classified line

    def take(self, c: Classified, ctx: Context) -> None:
        line = c.line
        if c.role is Role.TRAILING_HEADING:
            assert c.lead is not None  # a trailing heading ends a paragraph's line
            self.body_line(c.lead, ctx.right)
        if c.role is not Role.BODY and c.role is not Role.LIST_ENTRY:
            self.close_para()
            self.prev_body = None
        match c.role:
            case Role.TABLE | Role.FURNITURE:
                pass
            case Role.LIST_HEAD | Role.ANNEX_HEAD:
                self.case = None
                self.outline.close_all()
                kind = SectionKind.LIST if c.role is Role.LIST_HEAD else SectionKind.ANNEX
                base = f"{kind.value}-{c.list_kind.value}" if c.list_kind is not None else kind.value
                title = line.text.strip()
                sec = new_section(
                    self.ids.take(base), kind, c.lines, level=1, parent=None, title=title, text_full=title
                )
                self.block = self.opened(OpenSection(sec, list_kind=c.list_kind))
                if c.list_kind is not None:
                    self.out.lists[c.list_kind] = []
            case Role.LIST_ENTRY:
                assert self.block is not None and self.block.list_kind is not None  # in_list
                self.out.lists.setdefault(self.block.list_kind, []).append(line)
            case Role.CAPTION:
                self.out.captions.append(line)
                if c.caption in (CaptionKind.FIGURE, CaptionKind.PHOTO):
                    self.figure(line, c.caption is CaptionKind.FIGURE)
            case Role.CASE_HEAD:
                assert c.numbering is not None  # a case head has its numbering
                self.block = None
                parent = self.outline.innermost
                sec = new_section(
                    self.ids.take(f"case-{c.numbering.number}"),
                    SectionKind.CASE,
                    c.lines,
                    level=None,
                    parent=parent.section.id if parent else None,
                    number=c.numbering.number,
                    title=c.numbering.title,
                    text_full=c.text,
                )
                self.case = self.opened(OpenSection(sec))
            case Role.HEADING | Role.TRAILING_HEADING:
                self.case = None
                self.block = None
                self.opened(self.outline.open(c.lines, c.numbering, c.text))
            case Role.RUN_IN_HEADING:
                assert c.rest is not None  # a run-in heading has the rest of its line
                self.case = None
                self.block = None
                head = line.text[: len(line.text) - len(c.rest.text)].strip()
                self.opened(self.outline.open(c.lines, c.numbering, head))
                self.body_line(c.rest, ctx.right)
            case Role.TITLE:
                self.opened(self.outline.open_preamble(line, line.text.strip()))
            case Role.BODY:
                self.body_line(line, ctx.right)

    def body_line(self, line: Line, right: float) -> None:
        if self.case_ends(line):
            self.close_para()
            self.case = None
        if self.owner is None:
            self.opened(self.outline.open_preamble(line, ""))
        if (
            self.para is not None
            and self.prev_body is not None
            and continues(self.prev_body, line, right, self.settings, self.edges)
        ):
            self.para.lines.append(line)
        else:
            self.close_para()
            self.seq += 1
            self.para = ParaBuilder([line], seq=self.seq)
        self.prev_body = line

    def figure(self, line: Line, chart: bool) -> None:
        owner = self.owner
        caption = line.text.strip()
        m = CAPTION_FIGURE.match(caption) if chart else None
        number = m.group(1) if m else None
        self.out.figures.append(
            Figure(
                id=self.ids.take(f"fig-{number}" if number else "photo"),
                kind="chart" if chart else "photo",
                number=number,
                caption=caption,
                page=line.page,
                section=owner.section.id if owner else None,
                provenance=[Provenance(page=line.page, bbox=line.bbox)],
            )
        )


def fold(
    pages: Sequence[PageLayout],
    body: float,
    edges: ColumnEdges,
    settings: Settings,
    promoted: Mapping[tuple[int, int], int] | None = None,
    toc_texts: frozenset[str] = frozenset(),
) -> Folded:
    """Walk the body pages line by line: classify each line, then let its role open or fill sections.

    `promoted` (guide.py): lines the TOC lists as headings, by (page, line index), with their length;
    `toc_texts`: the TOC's entries (squashed), evidence for a heading printed at the end of a line.
    """
    st = _Fold(settings, edges, toc_texts=toc_texts)
    promoted = promoted or {}
    cfg = settings.structure
    where = [(page.number, i) for page in pages for i in range(len(page.lines))]
    numbers = [running_numbering(ln, cfg) for page in pages for ln in page.lines]
    ahead = {where[k] for k in siblings_ahead(numbers)}
    for k, page in enumerate(pages):
        after = k + 1 < len(pages) and pages[k + 1].number == page.number + 1 and page_opens_indented(pages[k + 1], cfg)
        i = 0
        while i < len(page.lines):
            line = page.lines[i]
            st.touch(line.page)
            toc_lines, first_child = promoted.get((page.number, i), 0), (page.number, i) in ahead
            ctx = st.context(line, page, edges, body, toc_lines, first_child, after)
            c = classify(page.lines, i, page, ctx, cfg)
            st.take(c, ctx)
            i += len(c.lines)
    st.close_para()
    return st.out


def running_numbering(line: Line, cfg: StructureSettings) -> Numbering | None:
    """The numbering a line of running text starts with, else the one of a heading printed at its
    end after a sentence (roles.ending_numbering: a sibling still follows); none for table rows and
    boxed lines."""
    if line.in_table or line.box is not None:
        return None
    return parse_numbering(line.text) or ending_numbering(line.text, cfg)
