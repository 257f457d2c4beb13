"""What keeps a long document's memory bounded: shared fields sets, packed page points, CSVs in pieces."""

from __future__ import annotations

import copy
import pickle

import pytest

from pipeline.csvout import csv_parts, csv_text
from pipeline.emit import iter_files
from pipeline.model import (
    BBox,
    Document,
    Paragraph,
    Provenance,
    Section,
    SharedFieldsSet,
    Source,
    Table,
    share_fields_sets,
)
from pipeline.normalize.export import normalized_files, normalized_parts
from pipeline.normalize.stage import normalize_document
from pipeline.review import Points


def _doc(paragraphs: int = 3) -> Document:
    sections = [
        Section(id="s1", parent=None, kind="heading", level=1, number="一、", title="学校概况", page=1, page_end=2),
        Section(id="s2", parent="s1", kind="heading", level=2, number="（一）", title="办学：规模", page=2, page_end=2),
    ]
    paras = [
        Paragraph(
            id=f"p{n}", section="s1", text=f"学校现有在校学生 {1000 + n} 人，就业率为 9{n}.5%。", page=1, page_end=1,
            provenance=[Provenance(page=1, bbox=BBox(x0=1.0, top=2.0, x1=3.0, bottom=4.0 + n))],
        )
        for n in range(paragraphs)
    ]  # fmt: skip
    table = Table(
        id="t1", kind="body", number="1", caption="表1 经费", section="s1", pages=[2],
        header=[["项目", "金额（万元）"]], rows=[["经费", "5649.31"], ["合计", "5649.31"]],
    )  # fmt: skip
    source = Source(path="raw/x.pdf", sha256="0" * 64, pages=2, size_bytes=1)
    return Document(
        doc_id="x-2022", pipeline_version="0", source=source, sections=sections, paragraphs=paras, tables=[table]
    )


# ---------------------------------------------------------------- shared fields sets


def test_models_of_one_kind_and_fields_share_one_fields_set_and_dump_the_same() -> None:
    doc = _doc()
    before = (doc.model_dump_json(), doc.model_dump_json(exclude_unset=True), doc.model_dump(exclude_unset=True))
    share_fields_sets([doc])
    boxes = [p.provenance[0].bbox for p in doc.paragraphs]
    assert all(isinstance(b, BBox) for b in boxes)
    assert len({id(b.model_fields_set) for b in boxes}) == 1  # type: ignore[union-attr]
    assert isinstance(doc.paragraphs[0].model_fields_set, SharedFieldsSet)
    assert doc.paragraphs[0].model_fields_set is not boxes[0].model_fields_set  # type: ignore[union-attr]
    after = (doc.model_dump_json(), doc.model_dump_json(exclude_unset=True), doc.model_dump(exclude_unset=True))
    assert after == before
    assert pickle.loads(pickle.dumps(doc)).model_dump(exclude_unset=True) == before[2]


def test_a_model_given_a_new_value_takes_its_own_fields_set() -> None:
    doc = _doc()
    share_fields_sets([doc])
    first, second = doc.sections
    assert first.model_fields_set is second.model_fields_set and "ordinal" not in first.model_fields_set
    first.ordinal = 1
    assert "ordinal" in first.model_fields_set and "ordinal" not in second.model_fields_set
    assert type(first.model_fields_set) is set and isinstance(second.model_fields_set, SharedFieldsSet)
    for deep in (False, True):
        copied = second.model_copy(update={"topic": "办学"}, deep=deep)
        assert copied.topic == "办学" and "topic" in copied.model_fields_set
        assert second.topic is None and "topic" not in second.model_fields_set
    assert copy.deepcopy(second).model_fields_set is second.model_fields_set  # unchanged copies keep sharing
    with pytest.raises(TypeError):
        second.model_fields_set.add("topic")
    with pytest.raises(TypeError):
        second.model_fields_set |= {"topic"}


def test_normalize_shares_what_it_does_not_change_and_leaves_its_input_alone() -> None:
    doc = _doc()
    before = doc.model_dump_json()
    out = normalize_document(doc)
    assert doc.model_dump_json() == before
    assert out.paragraphs[0] is doc.paragraphs[0], "paragraphs are not copied"
    assert out.sections[0] is not doc.sections[0] and out.sections[0].ordinal == 1 and doc.sections[0].ordinal is None
    assert out.tables[0].records and not doc.tables[0].records
    assert out.facts and all(isinstance(f.model_fields_set, SharedFieldsSet) for f in out.facts)
    assert out.sections[1].topic == "办学" and out.sections[1].subtitle == "规模"


# ---------------------------------------------------------------- review points


def test_points_in_hundredths_are_kept_as_four_byte_ints_and_give_back_the_same_floats() -> None:
    pairs = [(x / 100, y / 100) for x, y in ((0, 84190), (5953, 1), (-250, 12345), (59530, 84190))]
    points = Points(pairs)
    assert list(points) == pairs and [tuple(map(float.hex, p)) for p in points] == [
        tuple(map(float.hex, p)) for p in pairs
    ]
    doubles = Points([*pairs, (0.125, 1.0)])  # not a whole number of hundredths: every value a double
    assert list(doubles) == [*pairs, (0.125, 1.0)]
    assert len(pickle.dumps(points)) < len(pickle.dumps(Points([(0.125, 0.5)] * len(pairs))))
    assert points == Points(pairs) and points != Points(pairs[:-1]) and points != doubles
    assert pickle.loads(pickle.dumps(points)) == points
    assert list(Points([(-0.0, 1.0)])) == [(-0.0, 1.0)] and str(next(iter(Points([(-0.0, 1.0)])))[0]) == "-0.0"
    assert list(Points([(float("inf"), 2**40)])) == [(float("inf"), 2**40)]


# ---------------------------------------------------------------- CSVs in pieces


def test_csv_parts_are_the_csv_text_in_pieces() -> None:
    rows = [[n, f"行{n}", None, 'a,"b"'] for n in range(7)]
    parts = list(csv_parts(["n", "名", "x", "q"], iter(rows), per_part=3))
    assert len(parts) == 3 and parts[0].startswith("n,名,x,q\r\n")
    assert "".join(parts) == csv_text(["n", "名", "x", "q"], rows)
    assert list(csv_parts(["h"], [])) == ["h\r\n"]


def test_emit_writes_the_normalized_csvs_a_piece_at_a_time_with_one_bom() -> None:
    doc = normalize_document(_doc(paragraphs=1200))  # facts.csv: more than one piece
    whole = normalized_files(doc)
    assert [name for name, _ in normalized_parts(doc)] == list(whole) == ["indicators.csv", "facts.csv"]
    written = {rel: list(chunks) for rel, chunks in iter_files(doc) if rel in whole}
    assert len(written["facts.csv"]) > 1
    for rel, text in whole.items():
        assert b"".join(written[rel]) == text.encode("utf-8-sig")
        assert sum(chunk.count(b"\xef\xbb\xbf") for chunk in written[rel]) == 1
