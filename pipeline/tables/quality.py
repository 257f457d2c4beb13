"""Refusing garbage: a grid that is not a table is not emitted, and the refusal is reported.

Rules and word gaps can frame things that are not tables. A candidate is refused when
- its cell borders cut through its text (the grid's quality figure, the share of glyphs that
  stay inside their cell, is low: "10,1" for a 10,141 that crosses a column edge);
- most of its rows are one cell across every column (a stack of text lines in a frame);
- most of its filled cells are paragraphs (a layout frame around body text, a two-column page).
Its text then stays body text, and a `Refusal` says where and why (a finding of the document).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import BBox, Finding
from ..settings import TableSettings
from .parts import PageTable
from .text import squash

SENTENCE_END = ("。", "！", "？", "；")


@dataclass(frozen=True, slots=True)
class Refusal:
    """A table candidate that was not emitted: its page, box and the reason."""

    page: int
    bbox: BBox
    reason: str

    def finding(self) -> Finding:
        b = self.bbox
        where = f"({b.x0:.0f}, {b.top:.0f})-({b.x1:.0f}, {b.bottom:.0f})"
        return Finding(
            code="table_refused",
            severity="warning",
            message=f"a table-like area at {where} was not taken as a table: {self.reason}; its text stays body text",
            page=self.page,
        )


def _prose(text: str, s: TableSettings) -> bool:
    t = squash(text)
    return len(t) > s.prose_chars and any(p in t for p in SENTENCE_END)


def refusal_reason(t: PageTable, s: TableSettings) -> str | None:
    """Why the page table is not a table, or None when it is one."""
    if t.quality < s.min_quality:
        return f"its cell borders cut through its text (quality {t.quality:.2f})"
    filled = [c for c in t.cells if c.text.strip()]
    rows_with_text = {r for c in filled for r in range(c.row, c.last_row + 1)}
    merged = {r for c in filled if c.colspan == t.n_cols and t.n_cols > 1 for r in range(c.row, c.last_row + 1)}
    if rows_with_text and len(merged) > s.merged_row_share * len(rows_with_text):
        return f"{len(merged)} of its {len(rows_with_text)} rows are one cell across the table"
    prose = [c for c in filled if _prose(c.text, s)]
    if filled and len(prose) > s.frame_share * len(filled):
        return f"{len(prose)} of its {len(filled)} filled cells are paragraphs (a layout frame)"
    return None


__all__ = ["Refusal", "refusal_reason"]
