"""The tables stage as values: layout finds each page's tables once, the stage captions and stitches
copies of them, and every threshold scales with the page and the type."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.layout import Layout, build_layout
from pipeline.load import LoadedPdf, load_pdf
from pipeline.model import Document, Table
from pipeline.normalize.stage import normalize_document
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.tables import attach_tables, extract_tables
from pipeline.tables.captions import attach_captions, caption_lines

from .pdfgen_tables import build, caption, draw_pages, grid_table, para, three_line_table

INTRO = "学校坚持以学生为中心，持续推进教育教学改革，各项指标稳步提升，具体情况如下。"
HEADER = ["序号", "项目名称", "金额（万元）"]
WIDTHS = [60.0, 200.0, 100.0]


def _doc(loaded: LoadedPdf) -> Document:
    return Document(doc_id="t", pipeline_version="test", source=loaded.source)


def _two_tables(tmp_path: Path) -> LoadedPdf:
    """A captioned grid table over two pages and a three-line table with its caption below."""
    body = [[str(i), f"建设项目{i}号", f"{i * 3}.5"] for i in range(1, 61)]
    story = [
        para(INTRO),
        caption("表 1：建设项目清单"),
        grid_table([HEADER, *body], WIDTHS, repeatRows=1),
        para(INTRO),
        three_line_table([["指标", "数量（个）"], ["专业", "36"], ["课程", "512"]], [160.0, 120.0]),
        caption("表 2：专业与课程"),
        para(INTRO),
    ]
    return load_pdf(build(tmp_path / "t.pdf", story))


def _ids_and_captions(tables: list[Table]) -> list[tuple[str, str | None, str, list[int]]]:
    return [(t.id, t.number, t.caption, t.pages) for t in tables]


def test_layout_carries_the_page_tables_and_the_stage_does_not_extract_again(tmp_path: Path) -> None:
    loaded = _two_tables(tmp_path)
    layout = build_layout(loaded)
    found = {pl.number: pl.tables for pl in layout.pages}
    assert sum(len(ts) for ts in found.values()) == 3  # table 1 on two pages, table 2
    assert all(pl.table_regions == [t.bbox for t in pl.tables] for pl in layout.pages)

    tables = attach_tables(_doc(loaded), layout).tables
    assert _ids_and_captions(tables) == [("body-1", "1", "建设项目清单", [1, 2]), ("body-2", "2", "专业与课程", [2])]
    assert tables == extract_tables(loaded.pages), "layout + stage and the stand-alone path agree"

    # the page drawings gone: the stage builds the same tables from the layout's values alone
    bare = [replace(p, rules=[], boxes=[], chars=[]) for p in loaded.pages]
    blind = Layout(LoadedPdf(loaded.source, bare), layout.pages, layout.body_size, layout.running_header)
    assert attach_tables(_doc(loaded), blind).tables == tables
    assert extract_tables(bare) == []


def test_caption_attachment_leaves_its_inputs_unchanged_and_is_repeatable(tmp_path: Path) -> None:
    loaded = _two_tables(tmp_path)
    layout = build_layout(loaded)
    s = DEFAULT_SETTINGS.tables
    pieces = [t for pl in layout.pages for t in pl.tables]
    lines = {pl.number: caption_lines(pl.lines, pl.tables, s) for pl in layout.pages}
    before = (copy.deepcopy(pieces), copy.deepcopy(lines))

    first = attach_captions(pieces, lines, layout.body_size, s)
    second = attach_captions(pieces, lines, layout.body_size, s)
    assert first == second
    assert (pieces, lines) == before
    assert all(t.caption_number is None and not t.text_above for t in pieces), "as found: uncaptioned"
    captioned, used = first
    assert [(t.caption_number, t.caption_position) for t in captioned] == [("1", "above"), (None, None), ("2", "below")]
    assert len(used) == 2

    doc = _doc(loaded)
    once = attach_tables(doc, layout)
    assert attach_tables(doc, layout) == once
    assert doc.tables == [] and [t for pl in layout.pages for t in pl.tables] == before[0]


def _scaled(tmp_path: Path, scale: float) -> LoadedPdf:
    """Caption 30 units above its table, which runs over two pages, drawn at `scale`."""
    widths = [40.0, 200.0, 100.0]
    head = [["序号", "项目名称", "金额"]] + [[str(i), f"项目{i}", f"{i}.5"] for i in range(1, 26)]
    tail = [["序号", "项目名称", "金额"]] + [[str(i), f"项目{i}", f"{i}.5"] for i in range(26, 31)]
    page1 = [(60.0, "学校持续推进教育教学改革。"), (80.0, "表 4：建设项目"), (120.5, widths, head)]
    page2 = [(72.0, widths, tail), (200.0, "学校持续推进教育教学改革。")]
    return load_pdf(draw_pages(tmp_path / f"s{scale}.pdf", [page1, page2], scale=scale))


@pytest.mark.parametrize("scale", [0.7, 1.6])
def test_the_same_document_at_another_page_and_type_size_gives_the_same_tables(tmp_path: Path, scale: float) -> None:
    base = _scaled(tmp_path, 1.0)
    other = _scaled(tmp_path, scale)
    assert other.pages[0].width == pytest.approx(base.pages[0].width * scale)
    at_base = attach_tables(_doc(base), build_layout(base)).tables
    at_scale = attach_tables(_doc(other), build_layout(other)).tables
    assert _ids_and_captions(at_base) == [("body-4", "4", "建设项目", [1, 2])]
    assert [(t.id, t.caption, t.pages, t.header, t.rows, t.row_pages) for t in at_scale] == [
        (t.id, t.caption, t.pages, t.header, t.rows, t.row_pages) for t in at_base
    ]


def test_the_caption_gap_is_counted_in_body_font_sizes(tmp_path: Path) -> None:
    """The same page read with a caption gap below the printed 30-unit gap loses its caption."""
    loaded = _scaled(tmp_path, 1.0)
    layout = build_layout(loaded)
    gap = 30.0 / layout.body_size  # the printed gap in body font sizes
    assert DEFAULT_SETTINGS.tables.caption_gap > gap
    tight = Settings.from_mapping({"tables": {"caption_gap": gap * 0.9}})
    [t] = attach_tables(_doc(loaded), layout, tight).tables
    assert (t.id, t.number) == ("other-1", None)


def test_tables_emit_raw_grids_and_normalize_types_the_columns(tmp_path: Path) -> None:
    loaded = _two_tables(tmp_path)
    doc = attach_tables(_doc(loaded), build_layout(loaded))
    first = doc.tables[0]
    assert [(c.name, c.unit, c.dtype) for c in first.columns] == [(n, None, None) for n in HEADER]
    typed = normalize_document(doc).tables[0]
    assert [(c.name, c.unit, c.dtype) for c in typed.columns] == [
        ("序号", None, "number"),
        ("项目名称", None, "text"),
        ("金额（万元）", "万元", "number"),
    ]
    assert doc.tables[0].columns == first.columns, "normalize types a copy"


def test_layout_reads_its_table_thresholds_from_the_settings(tmp_path: Path) -> None:
    loaded = _two_tables(tmp_path)
    assert sum(len(pl.tables) for pl in build_layout(loaded).pages) == 3
    long_rules_only = Settings.from_mapping({"tables": {"open_rule": 0.9}})  # a three-line table's rules are shorter
    layout = build_layout(loaded, long_rules_only)
    assert [t.extractor for pl in layout.pages for t in pl.tables] == ["grid", "grid"]
    assert [t.id for t in attach_tables(_doc(loaded), layout, long_rules_only).tables] == ["body-1"]
