"""The open sections while folding: the outline of numbered headings, ids and levels.

Levels follow the nesting of the numbering styles in use: a heading closes the open headings of
its own or a deeper tier (numbering.OUTLINE_TIERS) and its level is one more than the headings
left open, so 一、→ 1. without （一） still gives levels 1 and 2. Ids are the path of ordinals
(sec-2.3.1); a repeated id gets a suffix (sec-2-2).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..layout import Line
from ..model import Provenance, Section, SectionKind
from ..numbering import ListKind, Numbering, NumberingKind, cn_to_int, outline_tier
from ..paragraphs import ParaBuilder

# Unnumbered parts (学校概述, 结语) and the text before the first heading close every open heading
# and sit in the tier of 一、: a 1. under 学校概述 nests in it, the next 一、 or 第X章 closes it.
TOP_TIER = outline_tier(NumberingKind.PART)


@dataclass(slots=True)
class OpenSection:
    """A section being built, with its paragraphs and the last page its content reaches."""

    section: Section
    segment: str = ""  # its own part of the outline id (sec-2.3 → "3"); headings only
    tier: int = TOP_TIER  # outline tier (headings only)
    list_kind: ListKind | None = None  # the closing list it is (LIST only)
    paras: list[ParaBuilder] = field(default_factory=list)
    last_page: int = 0


@dataclass(slots=True)
class Ids:
    """Unique ids: the first use of a base is the base itself, then base-2, base-3 …"""

    seen: Counter[str] = field(default_factory=Counter)

    def take(self, base: str) -> str:
        self.seen[base] += 1
        n = self.seen[base]
        return base if n == 1 else f"{base}-{n}"


def new_section(
    sid: str,
    kind: SectionKind,
    lines: tuple[Line, ...],
    *,
    level: int | None,
    parent: str | None,
    number: str = "",
    title: str,
    text_full: str,
) -> Section:
    """A section opened by `lines` (its page is theirs; the page_end and text are set when it closes)."""
    page = lines[0].page if lines else 0
    prov = [Provenance(page=ln.page, bbox=ln.bbox) for ln in lines]
    return Section(
        id=sid,
        parent=parent,
        kind=kind,
        level=level,
        number=number,
        title=title,
        page=page,
        page_end=page,
        text_full=text_full,
        provenance=prov,
    )


@dataclass(slots=True)
class Outline:
    """The open headings, outermost first."""

    ids: Ids
    stack: list[OpenSection] = field(default_factory=list)

    @property
    def innermost(self) -> OpenSection | None:
        return self.stack[-1] if self.stack else None

    def open(self, lines: tuple[Line, ...], numbering: Numbering | None, text: str) -> OpenSection:
        """A heading: numbered, or (numbering None) an unnumbered part of the top tier."""
        tier = TOP_TIER if numbering is None else outline_tier(numbering.kind)
        if numbering is None:
            self.stack.clear()
        while self.stack and self.stack[-1].tier >= tier:
            self.stack.pop()
        if numbering is None:
            segment, number, title = "0", "", text
        else:
            n = cn_to_int(numbering.number)
            segment, number, title = (str(n) if n is not None else numbering.number), numbering.number, numbering.title
        prefix = "sec-" + "".join(o.segment + "." for o in self.stack)
        sid = self.ids.take(prefix + segment)
        sec = new_section(
            sid,
            SectionKind.HEADING,
            lines,
            level=len(self.stack) + 1,
            parent=self.stack[-1].section.id if self.stack else None,
            number=number,
            title=title,
            text_full=text,
        )
        return self._push(OpenSection(sec, segment=sid[len(prefix) :], tier=tier))

    def open_preamble(self, line: Line, title: str) -> OpenSection:
        """Text before the first heading (no cover page): a top-tier section of its own, never dropped."""
        sid = self.ids.take("preamble")
        sec = new_section(sid, SectionKind.HEADING, (line,), level=1, parent=None, title=title, text_full=title)
        return self._push(OpenSection(sec, segment=sid, tier=TOP_TIER))

    def _push(self, o: OpenSection) -> OpenSection:
        o.last_page = o.section.page
        self.stack.append(o)
        return o

    def close_all(self) -> None:
        self.stack.clear()
