"""Table conventions (tests/pdfgen_conventions.py) combined with issue 10's layout conventions
(tests/pdfgen_layouts.py): the tables come out exact and the sections as the layout alone gives them.

The report of the layout flags is printed first (without its own tables, closing lists and annex,
so every table follows one caption convention and every TOC label stays right); the tables of
the table flags are printed in the same style on pages appended to its body, numbered on, with
their paragraphs between them. Those pages carry on the report's last section: its text gains
exactly the paragraphs printed there, and nothing else changes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.process import process_pdf

from .pdfgen_conventions import BULLETIN, OWN, Conventions, ExpectedTable, Wording, build_conventions
from .pdfgen_layouts import Convention, apply, second_spec
from .pdfgen_report import STYLES, Annex, BuiltReport, ClosingList, DataTable, ExpectedSection, build_report
from .pdfgen_report import standard_spec as standard
from .section_score import score_sections
from .table_score import score_tables
from .test_structure_synthetic import shape, squash

C = Convention


def _combined(
    tmp_path: Path, content: str, layout: tuple[Convention, ...], tables: str, style: str, wording: Wording = OWN
) -> tuple[Path, BuiltReport, list[ExpectedTable], list[str]]:
    base = standard() if content == "standard" else second_spec()
    spec, st = apply(base, STYLES[style], layout)
    body = tuple(b for b in spec.body if not isinstance(b, DataTable | ClosingList | Annex))
    built = build_report(tmp_path / "report.pdf", replace(spec, body=body), st)
    label = built.page_count - built.body_start + 2  # the number printed on the first appended page
    conv = Conventions.of(*tables.split(","))
    first = built.page_count + 1
    drawn = build_conventions(tmp_path / "tables.pdf", conv, st, first_label=label, first_page=first, wording=wording)
    out = tmp_path / "combined.pdf"
    doc = pdfium.PdfDocument(str(built.path))
    extra = pdfium.PdfDocument(str(drawn.path))
    try:
        doc.import_pages(extra)
        doc.save(str(out))
    finally:
        extra.close()
        doc.close()
    shift = built.page_count
    expected = [replace(e, pages=[p + shift for p in e.pages]) for e in drawn.tables]
    return out, built, expected, drawn.paragraphs


def _sections_then(built: BuiltReport, appended: list[str]) -> list[ExpectedSection]:
    """The layout's sections, the last one's text carried on over the appended pages."""
    sections = built.expected_sections()
    last = sections[-1]
    text = "\n".join(p for p in (last.text, *appended) if p)
    return [*sections[:-1], replace(last, text=text)]


CASES = [
    ("standard", (C.BODY_FONT, C.WRAPPED), "caption_below,three_line_repeat,merged_cut", "classic"),
    ("standard", (C.RUN_IN, C.CHAPTERS), "framed_unruled,units_header_repeat,borderless,borderless_across", "classic"),
    ("second", (C.MIRRORED, C.BODY_FONT), "three_line_plain,caption_across_break,borderless", "classic"),
    ("second", (C.DEEP, C.UNTITLED_TOC, C.CHART_BODY), "caption_below,framed_unruled,framed_closed", "classic"),
    ("standard", (C.UNTITLED_TOC, C.CHART_BODY), "caption_below,borderless,units_header_repeat", "b5-unbold"),
    (
        "standard",
        (C.WIDE_MARGIN, C.TWO_LINE_TITLE, C.DEEP),
        "three_line_repeat,three_line_plain,merged_cut,units_header_repeat,borderless",
        "letter",
    ),
]


BULLETIN_CASE = (
    "second",
    (C.RUN_IN, C.CHAPTERS),
    "caption_below,three_line_repeat,framed_unruled,borderless,borderless_across",
    "plain",
)


@pytest.mark.parametrize(
    ("content", "layout", "tables", "style", "wording"),
    [*((*case, OWN) for case in CASES), (*BULLETIN_CASE, BULLETIN)],
    ids=lambda v: v.name if isinstance(v, Wording) else str(v),
)
def test_tables_and_sections_on_combined_conventions(
    tmp_path: Path, content: str, layout: tuple[Convention, ...], tables: str, style: str, wording: Wording
) -> None:
    path, built, expected, appended = _combined(tmp_path, content, layout, tables, style, wording)
    doc = process_pdf(path)
    score = score_tables(doc.tables, expected)
    assert score.perfect, score.report()
    for t, e in zip(doc.tables, expected, strict=True):
        assert (t.id, t.caption, t.pages, t.header, t.rows) == (e.id, e.caption, e.pages, e.header, e.rows)
    want = _sections_then(built, appended)
    assert [shape(s) for s in doc.sections] == [shape(e) for e in want]
    sections = score_sections([e for e in want if e.kind != "cover"], [s for s in doc.sections if s.kind != "cover"])
    assert sections.perfect, (sections.missing, sections.extra, sections.wrong_level)
    got = {(s.kind, s.number, squash(s.title)): s for s in doc.sections}
    for e in want:
        if e.kind in ("cover", "toc"):
            continue
        s = got[(e.kind, e.number, squash(e.title))]
        assert [squash(p) for p in s.text.split("\n") if p.strip()] == [squash(p) for p in e.text.split("\n") if p]
