"""No text lost: every visible character of a page ends up somewhere the document records.

The text layer of a page (its visible glyphs, overprinted duplicates removed) is compared, as a
multiset of non-space characters, with where the stages put them: a section's heading or text, a
figure caption, a closing-list entry, the front matter (cover, declaration, TOC), a table (its
lines and caption are the tables' own), or the page furniture (header, footer, page number). Any
difference is a finding with the page and a sample of the characters, so a line dropped anywhere
(under a chart, beside it, in a sidebar) is reported instead of silently lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..layout import Layout, Line
from ..model import Finding
from ..settings import Settings

Ink = Counter[str]


def ink(texts: Iterable[str]) -> Ink:
    """The non-space characters of some texts, as a multiset."""
    out: Ink = Counter()
    for t in texts:
        out.update(ch for ch in t if not ch.isspace())
    return out


def placed_lines(layout: Layout, front: Iterable[int]) -> dict[int, list[str]]:
    """What the stages account for without the body fold: furniture, table lines, front matter pages.

    The texts themselves (shared with the layout), not their characters: counting waits for
    `conservation_findings`, one page at a time, so the counters never exist for all pages at once.
    """
    front_pages = set(front)
    out: dict[int, list[str]] = {}
    for p in layout.pages:
        kept = [ln for ln in p.lines if ln.in_table or p.number in front_pages]
        out[p.number] = [ln.text for ln in (*p.furniture, *kept)]
    return out


def conservation_findings(
    layers: Iterable[tuple[int, str]], placed: Mapping[int, Sequence[str]], settings: Settings
) -> list[Finding]:
    """A finding per page whose text layer (page → its visible glyphs' text) and placed texts differ.

    Counted page by page: the counters of a 1,000-page document held at once cost ~25 MB.
    """
    out: list[Finding] = []
    sample = settings.structure.conservation_sample_chars
    for page, layer in sorted(layers, key=lambda pl: pl[0]):
        have, put = ink([layer]), ink(placed.get(page, ()))
        lost, extra = have - put, put - have
        if not lost and not extra:
            continue
        parts = []
        if lost:
            parts.append(f"{sum(lost.values())} lost ({''.join(lost.elements())[:sample]})")
        if extra:
            parts.append(f"{sum(extra.values())} not printed ({''.join(extra.elements())[:sample]})")
        out.append(
            Finding(
                code="text_not_conserved",
                severity="warning",
                message=f"page {page}: characters of the text layer and of the document differ: " + "; ".join(parts),
                page=page,
            )
        )
    return out


def add_lines(placed: dict[int, list[str]], lines: Iterable[Line]) -> None:
    """Record lines as placed on their pages."""
    for ln in lines:
        placed.setdefault(ln.page, []).append(ln.text)
