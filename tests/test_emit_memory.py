"""document.json built one list element at a time is the text json.dumps writes of the whole model."""

from __future__ import annotations

import json

from pipeline.emit import document_json, iter_files, render_files
from pipeline.model import (
    BBox,
    Document,
    Finding,
    Metadata,
    Paragraph,
    Provenance,
    Section,
    Source,
    Table,
    ValidationResult,
    ValidationSummary,
)


def _whole(doc: Document) -> str:
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def _doc() -> Document:
    box = BBox(x0=72.0, top=100.5, x1=523.25, bottom=1e-05)
    section = Section(
        id="s1", parent=None, kind="heading", level=1, number="一", title="学校\n概况", page=3, page_end=4,
        text='含"引号"\t与\\', provenance=[Provenance(page=3, bbox=box), Provenance(page=4)],
    )  # fmt: skip
    tables = [
        Table(
            id="t1", kind="annex", number="1", caption="表1", section="s1", pages=[5], header=[["指标", "值"]],
            rows=[["经费", "5649.31"], ["", ""]], records=[{"指标": "经费", "值": 56493100.0, "x": None}],
        ),
        Table(
            id="t2", kind="body", number=None, caption="", section=None, pages=[], header=[], rows=[],
            subtitle="单位：万元",
        ),
    ]  # fmt: skip
    result = ValidationResult(rule="r", suite="s", expectation="e", severity="error", success=False, observed=[1, 2.5])
    return Document(
        doc_id="12215-2022",
        pipeline_version="0.1.0",
        source=Source(path="raw/x.pdf", sha256="a" * 64, pages=6, size_bytes=1234),
        metadata=Metadata(school="重庆工业职业技术学院", page_labels=["1", None]),
        sections=[section],
        paragraphs=[Paragraph(id="p1", section="s1", text="正文 \u2028 end", page=3, page_end=3)],
        tables=tables,
        findings=[Finding(code="c", severity="info", message="m\x01")],
        validation=ValidationSummary(evaluated=2, passed=1, errors=1, failures=[result], results=[result, result]),
    )


def test_document_json_is_the_whole_model_dumped_at_once() -> None:
    doc = _doc()
    assert document_json(doc) == _whole(doc)
    assert render_files(doc)["document.json"] == _whole(doc).encode("utf-8")
    empty = Document(doc_id="x", pipeline_version="0", source=Source(path="x", sha256="b" * 64, pages=0, size_bytes=0))
    assert document_json(empty) == _whole(empty)
    written = json.loads(document_json(doc))
    assert [t.get("subtitle") for t in written["tables"]] == [None, "单位：万元"]
    assert "subtitle" not in written["tables"][0], "a table's empty subtitle stays out (exclude_if)"
    assert "results" not in written["validation"], "what the model excludes stays out"


def test_emit_hands_document_json_over_in_pieces_one_file_at_a_time() -> None:
    doc = _doc()
    files = iter_files(doc)
    rel, chunks = next(files)
    pieces = list(chunks)
    assert rel == "document.json" and len(pieces) > len(doc.sections) + len(doc.tables)
    assert b"".join(pieces) == _whole(doc).encode("utf-8")
    rest = {name: b"".join(parts) for name, parts in files}
    assert rest == {k: v for k, v in render_files(doc).items() if k != "document.json"}
    assert "sections.csv" in rest and "document.json" not in rest
