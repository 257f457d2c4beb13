"""The TOC as a guide: find the printed line of a TOC entry that typography did not make a heading.

Where headings are set in the body font (same size and weight, filling the line), typography gives
no heading, but the TOC still lists them. For each entry that matched no heading, the entry's text
is searched at the start of a line on the page the TOC names (its printed label mapped to the
physical page) and on the pages either side; the line, with the lines it wraps onto, is promoted
to a heading. An entry found nowhere stays a finding of the TOC cross-check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..layout import Line, PageLayout
from ..model import TocEntry
from ..settings import StructureSettings
from ..text import nfkc_squash

Promoted = dict[tuple[int, int], int]  # (physical page, line index) → lines the heading spans


def promotions(entries: Iterable[TocEntry], pages: Sequence[PageLayout], cfg: StructureSettings) -> Promoted:
    """The lines to read as headings: each unmatched TOC entry's text found where the TOC says."""
    by_number = {p.number: p for p in pages}
    out: Promoted = {}
    for e in entries:
        if e.page is None:
            continue
        near = [e.page] + [e.page + d * sign for d in range(1, cfg.toc_guide_pages + 1) for sign in (-1, 1)]
        for number in near:
            page = by_number.get(number)
            hit = find_entry(e.text, page.lines, cfg) if page is not None else None
            if hit is not None and (number, hit[0]) not in out:
                out[(number, hit[0])] = hit[1]
                break
    return out


def find_entry(entry: str, lines: Sequence[Line], cfg: StructureSettings) -> tuple[int, int] | None:
    """(index, count) of the first run of body lines whose text is the entry's, joined as wrapped."""
    key = nfkc_squash(entry)
    for i, line in enumerate(lines):
        if not usable(line):
            continue
        text = ""
        for n, ln in enumerate(lines[i : i + cfg.toc_guide_max_lines], start=1):
            if not usable(ln) or ln.page != line.page:
                break
            text += nfkc_squash(ln.text)
            if text == key:
                return i, n
            if not key.startswith(text):
                break
    return None


def usable(line: Line) -> bool:
    """A line of running text outside tables and boxes (rows and case sub-heads never open sections)."""
    return not line.in_table and line.box is None and bool(line.text.strip())
