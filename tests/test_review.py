"""The review page's content without a browser: boxes, grids, failure links, character counts, CLI.

Character counts are checked against pdfplumber (an independent reader of the text layer) and
against what a generated report prints outside its body: the running header and page number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.emit import write_outputs
from pipeline.model import (
    BBox,
    Column,
    Document,
    Finding,
    Paragraph,
    Provenance,
    Source,
    Span,
    Table,
    ValidationResult,
)
from pipeline.process import process_pdf
from pipeline.review import (
    INDEX,
    REVIEW_DIR,
    PageScan,
    Points,
    ReviewError,
    anchor_cell,
    cell_id,
    page_file,
    page_scans,
    review_model,
    row_id,
    source_pdf,
    written_chars,
)
from pipeline.review_html import review_html, review_html_parts, table_grid

from .pdfgen_report import BuiltReport, build_variant

runner = CliRunner()


class _Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def merged_table() -> Table:
    """Header: 时间 over two rows, 国赛 over two columns; body: 合计 row; a body cell spanning 2 rows."""
    return Table(
        id="body-9", kind="body", number="9", caption="获奖统计", section=None, pages=[3, 4],
        header=[["时间", "国赛", "国赛"], ["时间", "一等奖", "二等奖"]],
        rows=[["2020年", "1", "2"], ["2021年", "3", "2"], ["合计", "4", "5"]],
        spans=[Span(part="header", row=0, col=0, rowspan=2, colspan=1),
               Span(part="header", row=0, col=1, rowspan=1, colspan=2),
               Span(part="body", row=0, col=2, rowspan=2, colspan=1)],
        columns=[Column(name="时间"), Column(name="国赛/一等奖"), Column(name="国赛/二等奖")],
        provenance=[Provenance(page=3, bbox=BBox(x0=100, top=600, x1=500, bottom=800)),
                    Provenance(page=4, bbox=BBox(x0=100, top=72, x1=500, bottom=120))],
        row_pages=[[3, 3], [3, 3], [4, 4]],
    )  # fmt: skip


def small_doc(**changes: object) -> Document:
    para = Paragraph(
        id="p-0001", section=None, text="学校 创办于1956年至今", page=3, page_end=4,
        provenance=[Provenance(page=3, bbox=BBox(x0=59.53, top=84.19, x1=297.65, bottom=168.38)),
                    Provenance(page=4, bbox=BBox(x0=0, top=0, x1=100, bottom=100))],
    )  # fmt: skip
    source = Source(path="raw/x.pdf", sha256="0" * 64, pages=4, size_bytes=1)
    doc = Document(doc_id="x", pipeline_version="0", source=source, paragraphs=[para], tables=[merged_table()])
    return doc.model_copy(update=changes)


def scan(page: int, chars: Sequence[tuple[float, float]] = ()) -> PageScan:
    return PageScan(page=page, width=595.3, height=841.9, chars=tuple(chars))


# ---------------------------------------------------------------- grid and links


def test_grid_shows_merged_cells_once_with_their_span() -> None:
    tags = elements(table_grid(merged_table()))
    cells = {a["id"]: a for tag, a in tags if tag in ("td", "th") and a.get("id")}
    assert cells[cell_id("body-9", "header", 0, 0)]["rowspan"] == "2"
    assert cells[cell_id("body-9", "header", 0, 1)]["colspan"] == "2"
    assert cells[cell_id("body-9", "body", 0, 2)]["rowspan"] == "2"
    covered = [cell_id("body-9", "header", 1, 0), cell_id("body-9", "header", 0, 2), cell_id("body-9", "body", 1, 2)]
    assert not set(covered) & set(cells)
    assert len([t for t, a in tags if t == "tr" and a.get("id", "").startswith("row-body-9-")]) == 3


def test_a_covered_position_maps_to_its_merged_cell() -> None:
    t = merged_table()
    assert anchor_cell(t, "body", 1, 2) == (0, 2)
    assert anchor_cell(t, "body", 1, 1) == (1, 1)
    assert anchor_cell(t, "header", 0, 2) == (0, 1)
    assert anchor_cell(t, "header", 1, 0) == (0, 0)


def failure(**kw: object) -> ValidationResult:
    base: dict[str, object] = dict(rule="table.total", suite="s", expectation="e", severity="warning", success=False)
    return ValidationResult.model_validate(base | kw)


def test_failures_link_to_their_cell_row_and_box() -> None:
    doc = small_doc()
    results = [
        failure(target="body-9", row=2, column="国赛/二等奖", page=4),
        failure(target="body-9", row=1, column="国赛/二等奖"),  # covered by the merged cell of row 0
        failure(target="body-9", row=0, column="国赛 / 二等奖 + 国赛/一等奖"),
        failure(target="body-9", row=1, column="别的列"),
        failure(target="sec-9", page=7),
    ]
    model = review_model(doc, [scan(p) for p in (1, 2, 3, 4)], {"failures": [r.model_dump() for r in results]})
    issues = model.issues
    assert [i.cell for i in issues] == [
        cell_id("body-9", "body", 2, 2),
        cell_id("body-9", "body", 0, 2),
        cell_id("body-9", "body", 0, 2),  # the first column named, spaces ignored
        row_id("body-9", 1),
        None,
    ]
    assert issues[0].box == "box-body-9-p4" and issues[0].page == 4
    assert issues[1].page == 3 and issues[1].box == "box-body-9-p3"  # the row's page from row_pages
    assert issues[4].page == 7 and issues[4].box is None


def test_page_has_no_external_asset_and_every_link_resolves() -> None:
    doc = small_doc()
    model = review_model(
        doc, [scan(p) for p in (1, 2, 3, 4)], {"failures": [failure(target="body-9", row=0).model_dump()]}
    )
    html = review_html(model, page_file)
    tags = elements(html)
    ids = {a["id"] for _, a in tags if a.get("id")}
    refs = [a.get("href") or a.get("src") or "" for _, a in tags if a.get("href") or a.get("src")]
    assert all(r.startswith("#") or r.startswith("data:") or re.fullmatch(r"page-\d{3}\.png", r) for r in refs), refs
    assert all(r[1:] in ids for r in refs if r.startswith("#"))
    hl = [a["data-hl"] for _, a in tags if a.get("data-hl")]
    assert hl and all(x in ids for x in hl)
    assert not [t for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
    assert not [t for t, a in tags if t == "script" and a.get("src")]


def test_boxes_are_placed_in_percent_of_the_page() -> None:
    html = review_html(review_model(small_doc(), [scan(p) for p in (1, 2, 3, 4)]), page_file)
    box = next(a for t, a in elements(html) if a.get("id") == "box-p-0001-p3")
    style = dict(part.split(":") for part in (box["style"] or "").split(";"))
    assert style == {"left": "10.000%", "top": "10.000%", "width": "40.000%", "height": "10.000%"}


# ---------------------------------------------------------------- character counts


def test_a_paragraph_over_two_pages_is_shared_by_its_characters_on_each() -> None:
    doc = small_doc(tables=[])
    # 3 text-layer characters inside the page-3 box, 1 inside the page-4 box: 12 written chars → 9 + 3
    scans = [scan(3, [(100, 100), (110, 100), (120, 100), (400, 400)]), scan(4, [(50, 50)])]
    assert written_chars(doc, scans) == {3: 9, 4: 3}


def test_table_characters_count_merged_cells_once_on_the_row_page() -> None:
    doc = small_doc(paragraphs=[])
    # page 3: caption 4 + header 时间 国赛 一等奖 二等奖 (2+2+3+3) + rows 0-1 (7 + 6: the merged cell once)
    assert written_chars(doc, [scan(3), scan(4)]) == {3: 4 + 10 + 13, 4: 4}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltReport, Document]:
    built = build_variant("classic", tmp_path_factory.mktemp("review"))
    return built, process_pdf(built.path)


def test_text_layer_matches_pdfplumber_and_unboxed_text_is_the_furniture(
    synthetic: tuple[BuiltReport, Document],
) -> None:
    built, doc = synthetic
    scans, images = page_scans(built.path)
    assert all(isinstance(s.chars, Points) for s in scans)
    model = review_model(doc, scans)
    assert sorted(images) == [page_file(n) for n in range(1, built.page_count + 1)]
    assert all(data.startswith(b"\x89PNG") for data in images.values())
    with pdfplumber.open(built.path) as pdf:
        printed = [sum(not c["text"].isspace() for c in p.chars) for p in pdf.pages]
    assert [c.text_layer for c in model.conservation] == printed
    assert all(c.boxed + c.outside == c.text_layer for c in model.conservation)
    header = sum(not ch.isspace() for ch in built.style.running_header or "")
    tables = {p for t in doc.tables for p in t.pages}
    body = [c for c in model.conservation if c.page >= built.body_start]
    prose = [c for c in body if c.in_boxes["paragraph"] and c.page not in tables]
    assert len(prose) >= 4
    for c in prose:  # all that is printed outside the boxes is the running header and the page number
        assert c.outside == header + len(built.label(c.page) or ""), c


# ---------------------------------------------------------------- folder, PDF and command


@pytest.fixture(scope="module")
def written(synthetic: tuple[BuiltReport, Document], tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, doc = synthetic
    return write_outputs(doc, tmp_path_factory.mktemp("out"))


def test_command_writes_the_review_folder(written: Path, synthetic: tuple[BuiltReport, Document]) -> None:
    built, doc = synthetic
    result = runner.invoke(app, ["review", str(written), "--pdf", str(built.path)])
    assert result.exit_code == 0, result.output
    review = written / REVIEW_DIR
    assert f"{review / INDEX}" in result.output
    assert sorted(p.name for p in review.iterdir()) == sorted(
        [INDEX] + [page_file(n) for n in range(1, doc.source.pages + 1)]
    )
    html = (review / INDEX).read_text(encoding="utf-8")
    assert all(f'id="table-{t.id}"' in html for t in doc.tables)
    assert all(f'id="tree-{s.id}"' in html for s in doc.sections)
    assert not list(written.glob(".review-*"))  # no temporary folder left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "no such folder"),
        (["{empty}"], "no document.json"),
        (["{moved}"], "raw/gone.pdf not found (give its path with --pdf)"),
        (["{written}", "--pdf", "{missing}.pdf"], "not found"),
        (["{written}", "--pdf", "{other}"], "sha256 differs"),
    ],
)
def test_command_gives_one_error_line(written: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not the source\n")
    moved = tmp_path / "moved"  # a folder whose PDF is no longer where document.json says
    moved.mkdir()
    data = json.loads((written / "document.json").read_text(encoding="utf-8"))
    data["source"]["path"] = "raw/gone.pdf"
    (moved / "document.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    values = {"missing": tmp_path / "nothing", "empty": tmp_path / "empty", "written": written, "other": other}
    values["moved"] = moved
    result = runner.invoke(app, ["review", *(a.format(**values) for a in args)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output


def test_source_pdf_is_found_from_the_recorded_path(
    synthetic: tuple[BuiltReport, Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    built, doc = synthetic
    monkeypatch.chdir(built.path.parent)
    relative = doc.model_copy(update={"source": doc.source.model_copy(update={"path": built.path.name})})
    assert source_pdf(relative) == Path(built.path.name)
    with pytest.raises(ReviewError, match="--pdf"):
        source_pdf(relative.model_copy(update={"source": doc.source.model_copy(update={"path": "gone.pdf"})}))


def test_validation_json_failures_are_listed(written: Path, synthetic: tuple[BuiltReport, Document]) -> None:
    built, doc = synthetic
    failures = [
        failure(target=doc.tables[0].id, row=0, column=doc.tables[0].columns[-1].name, page=doc.tables[0].pages[0])
    ]
    (written / "validation.json").write_text(
        json.dumps({"summary": {"evaluated": 5, "passed": 4}, "failures": [f.model_dump() for f in failures]}),
        encoding="utf-8",
    )
    try:
        assert runner.invoke(app, ["review", str(written), "--pdf", str(built.path)]).exit_code == 0
        html = (written / REVIEW_DIR / INDEX).read_text(encoding="utf-8")
    finally:
        (written / "validation.json").unlink()
    assert html.count('class="issue"') == 1 and "5 checks, 4 passed" in html
    assert f'href="#{cell_id(doc.tables[0].id, "body", 0, len(doc.tables[0].columns) - 1)}"' in html


def test_points_give_back_the_same_pairs() -> None:
    pairs = [(0.1, 841.9), (1e-05, 72.00000000000001), (595.3, -0.0)]
    points = Points(pairs)
    assert list(points) == pairs and len(points) == 3 and (1e-05, 72.00000000000001) in points
    assert points == Points(pairs) and points != Points(pairs[:2]) and len(Points()) == 0


def test_the_page_comes_in_one_piece_per_page_between_head_and_tail() -> None:
    findings = [Finding(code=f"c{n}", severity="info", message="m", page=n) for n in (1, 2, 3)]
    model = review_model(small_doc(findings=findings), [scan(p) for p in (1, 2, 3, 4)])
    parts = list(review_html_parts(model, page_file))
    rows = [p for p in parts if 'class="issue"' in p]
    assert len(rows) == 3 and all(p.startswith('<tr class="issue"') for p in rows), "the issues come a row at a time"
    pages = [p for p in parts if p.startswith('<section class="page"')]
    assert parts[-len(pages) - 1 : -1] == pages, "the pages come last, before the tail"
    assert parts[0].startswith("<!doctype html>") and parts[-1].rstrip().endswith("</html>")
    assert [re.search(r'id="page-(\d+)"', p).group(1) for p in pages] == ["1", "2", "3", "4"]  # type: ignore[union-attr]
    assert all(p.count('<section class="page"') == 1 for p in pages)
    assert "".join(parts) == review_html(model, page_file)
