"""Layout conventions and table conventions in one report: the exact section tree, and the exact
tables, when both kinds of flags are on together (issue 10 with issue 11's generator)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.process import process_pdf

from .pdfgen_combined import TABLES_PART, build_combined
from .pdfgen_conventions import Conventions
from .pdfgen_layouts import Convention, second_spec, third_spec
from .pdfgen_report import ReportSpec, standard_spec
from .section_score import score_sections
from .test_structure_synthetic import shape
from .test_tables_conventions import assert_exact

C = Convention
SPECS: dict[str, Callable[[], ReportSpec]] = {"standard": standard_spec, "second": second_spec, "third": third_spec}

COMBINATIONS = [
    ("standard", (C.BODY_FONT, C.WRAPPED), ("caption_below", "three_line_repeat", "borderless_across")),
    ("second", (C.RUN_IN, C.CHAPTERS, C.MIRRORED), ("framed_unruled", "merged_cut", "borderless_across")),
    (
        "standard",
        (C.WIDE_MARGIN, C.FRAMED, C.TRAILING),
        ("three_line_plain", "caption_across_break", "landscape_annex"),
    ),
    (
        "third",
        (C.BODY_FONT, C.UNTITLED_TOC, C.TWO_LINE_TITLE),
        ("three_line_repeat", "framed_unruled", "framed_closed"),
    ),
    ("second", (C.DEEP, C.TRAILING, C.MIRRORED), ("rotated_annex", "side_by_side", "hidden_duplicate", "short_tails")),
    (
        "third",
        (C.CHART_BODY, C.WRAPPED, C.FRAMED),
        ("sideways_annex", "three_row_header", "caption_below", "three_line_plain", "borderless_across", "short_tails"),
    ),
]


@pytest.mark.parametrize(
    ("content", "layout", "tables"),
    COMBINATIONS,
    ids=["-".join((c, "+".join(lay), "+".join(tab))) for c, lay, tab in COMBINATIONS],
)
def test_layout_and_table_flags_together(
    tmp_path: Path, content: str, layout: tuple[Convention, ...], tables: tuple[str, ...]
) -> None:
    built = build_combined(tmp_path, SPECS[content](), layout, Conventions.of(*tables), "combined")
    doc = process_pdf(built.path)
    assert [shape(s) for s in doc.sections] == [shape(e) for e in built.sections]
    score = score_sections(
        [e for e in built.sections if e.kind != "cover"], [s for s in doc.sections if s.kind != "cover"]
    )
    assert score.perfect, (score.missing, score.extra, score.wrong_level)
    assert_exact(doc.tables, built.tables)
    assert [f.message for f in doc.findings if f.code == "text_not_conserved"] == []


def test_the_tables_part_follows_the_layout_report(tmp_path: Path) -> None:
    """Guard: the combined file holds both reports (the layout report's last part, then the tables')."""
    built = build_combined(tmp_path, standard_spec(), (), Conventions(), "guard")
    titles = [e.title for e in built.sections]
    assert titles[-1] == TABLES_PART[1] and "面临挑战" in titles
    assert built.tables and all(p > built.sections[-1].page - 1 for t in built.tables for p in t.pages)
