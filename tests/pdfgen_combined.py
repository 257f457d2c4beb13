"""Layout conventions (tests/pdfgen_layouts.py) and table conventions (tests/pdfgen_conventions.py)
in one file: an adapter over both generators, neither of them changed.

The layout report is printed with its layout flags and without tables of its own (its tables,
its 附表目录 and its annex are dropped: the tables report brings the tables); the tables report is
printed with its table flags in the same style, and its pages after the cover are appended to the
layout report. What a perfect extraction returns is known from both: the layout report's
sections, then the tables report's one part (一、人才培养) opening on the first appended page, and
the tables report's tables on their pages moved by the layout report's length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium

from .pdfgen_conventions import Conventions, ExpectedTable, build_conventions
from .pdfgen_layouts import Convention, apply
from .pdfgen_report import STYLES, Annex, ClosingList, DataTable, ExpectedSection, ReportSpec, build_report

# The tables report's own sections: its one part heading, opening on its first page after the
# cover, and (landscape_annex) the annex title printed over its annex table's first page.
TABLES_PART = ("一", "人才培养")
TABLES_ANNEX = "【附件】远航职业技术学院质量年度报告指标"


@dataclass(slots=True)
class Combined:
    path: Path
    sections: list[ExpectedSection]
    tables: list[ExpectedTable]


def without_tables(spec: ReportSpec) -> ReportSpec:
    """The spec without its tables, its list of tables and its annex (which prints a table)."""
    keep = [
        b
        for b in spec.body
        if not isinstance(b, DataTable | Annex) and not (isinstance(b, ClosingList) and b.kind == "tables")
    ]
    return replace(spec, body=tuple(keep))


def build_combined(
    directory: Path, spec: ReportSpec, layout: Iterable[Convention], tables: Conventions, name: str
) -> Combined:
    """Print `spec` with the `layout` flags and the `tables` report after it, as one PDF."""
    spec, st = apply(spec, STYLES["classic"], layout)
    mine = build_report(directory / f"{name}-layout.pdf", without_tables(spec), st)
    theirs = build_conventions(directory / f"{name}-tables.pdf", tables, st)
    out = directory / f"{name}.pdf"
    doc = pdfium.PdfDocument(mine.path)
    src = pdfium.PdfDocument(theirs.path)
    shift = len(doc) - 1  # their page 2 (after the cover) becomes our page len(doc) + 1
    doc.import_pages(src, list(range(1, len(src))))
    doc.save(out)
    doc.close()
    src.close()
    number, title = TABLES_PART
    part = ExpectedSection("heading", 1, number, title, len(pdfium.PdfDocument(mine.path)) + 1, "")
    moved = [replace(t, pages=[p + shift for p in t.pages]) for t in theirs.tables]
    annex = [ExpectedSection("annex", 1, "", TABLES_ANNEX, t.pages[0], "") for t in moved if t.id.startswith("annex")]
    return Combined(out, [*mine.expected_sections(), part, *annex[:1]], moved)
