"""Documents for the validation tests: an annex indicator value as the normalize stage types it, and a
report of sections of text (and tables), normalized as the stage would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.model import Document, Indicator, Metadata, Paragraph, Section, Source, Table
from pipeline.normalize.stage import normalize_document


def indicator(code: str, name: str, period: str, value: float, unit: str = "人", row: int = 0, **kw: Any) -> Indicator:
    """`unit` as printed; `base_unit` the stored unit when they differ (万元 printed, 元 stored)."""
    return Indicator(
        doc_id="t",
        school_code=None,
        school=None,
        report_year=2022,
        table="服务贡献表",
        table_id=kw.pop("table_id", "annex-5"),
        indicator_no="1",
        indicator_path=name,
        indicator=name,
        code=code,
        match="exact",
        match_score=1.0,
        period=period,
        unit=kw.pop("base_unit", unit),
        printed_unit=kw.pop("printed_unit", unit),
        kind=kw.pop("kind", "number"),
        value=value,
        value_text=kw.pop("value_text", str(value)),
        page=68,
        row=row,
        **kw,
    )


def body_table(caption: str, section: int, header: list[list[str]], rows: list[list[str]]) -> Table:
    """表 1 of a `sections_report`, in section `section` (on that section's page)."""
    return Table(
        id="body-1",
        kind="body",
        number="1",
        caption=caption,
        section=f"sec-{section}",
        pages=[section],
        header=header,
        rows=rows,
    )


def sections_report(
    sections: list[tuple[str, str]],
    indicators: Sequence[Indicator] = (),
    tables: Sequence[Table] = (),
    kind: str = "heading",
    **metadata: Any,
) -> Document:
    """One section per (title, text) on its own page (sec-1 on page 1 …), each with one paragraph;
    report year 2022 unless `metadata` says otherwise; normalized, then given the annex `indicators`."""
    secs = [
        Section(id=f"sec-{i}", parent=None, kind=kind, level=1, number=str(i), title=title, page=i, page_end=i)
        for i, (title, _) in enumerate(sections, start=1)
    ]
    paras = [
        Paragraph(id=f"p-{i}", section=f"sec-{i}", text=text, page=i, page_end=i)
        for i, (_, text) in enumerate(sections, start=1)
    ]
    doc = Document(
        doc_id="t-2022",
        pipeline_version="test",
        source=Source(path="t.pdf", sha256="0", pages=9, size_bytes=1),
        sections=secs,
        paragraphs=paras,
        tables=list(tables),
        metadata=Metadata(**{"report_year": 2022, **metadata}),
    )
    return normalize_document(doc).model_copy(update={"indicators": list(indicators)})
