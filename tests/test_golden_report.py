"""Golden check on the real report: the shared scorer against its ground truth.

The scorer is the measure the issues set (sections and tables); this test runs it on a fresh
extraction and holds the figures the foundation and tables issues promise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.paths import REAL, REPORT, SCORER, TRUTH, processed


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    if not (TRUTH.exists() and SCORER.exists()):
        pytest.skip("shared corpus (truth file and scorer) not available")
    doc = processed(REPORT)
    out = tmp_path_factory.mktemp("golden") / "document.json"
    out.write_text(json.dumps(doc.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(SCORER), str(out), str(TRUTH), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    "figure",
    [
        "section_recall",
        "section_precision",
        "section_level_accuracy",
        "section_page_accuracy",
        "section_kind_accuracy",
        "table_recall",
        "table_precision",
        "table_cell_accuracy",
        "table_page_accuracy",
    ],
)
def test_scorer_figures_are_perfect(scores: dict[str, float], figure: str) -> None:
    assert scores[figure] == 1.0


def test_body_text_similarity(scores: dict[str, float]) -> None:
    assert scores["body_text_similarity"] >= 0.99


@pytest.mark.parametrize(
    ("name", "rows_that_are_not_headings"),
    [
        ("byd_2025q1.pdf", ["营业总收入", "基本每股收益"]),
        ("zhoukou_tjgb_2023.pdf", ["食品烟酒", "其他用品和服务"]),
    ],
)
def test_numbered_table_rows_never_become_headings(name: str, rows_that_are_not_headings: list[str]) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    doc = processed(path)
    titles = [s.title for s in doc.sections]
    for row in rows_that_are_not_headings:
        assert not any(row in t for t in titles), (row, titles)
    assert any(s.kind == "heading" and s.level == 1 for s in doc.sections), "the real headings are still found"
    cells = [c for t in doc.tables for r in t.rows for c in r]
    assert any(rows_that_are_not_headings[0] in c for c in cells), "the row is in a table instead"


def test_real_pdfs_process_without_error() -> None:
    pdfs = sorted(Path(REAL).glob("*.pdf")) if REAL.exists() else []
    if not pdfs:
        pytest.skip("real PDFs not available")
    for pdf in pdfs:
        doc = processed(pdf)
        assert doc.source.pages > 0 and doc.tables, pdf.name


def test_no_text_lost_on_the_report_and_the_real_pdfs() -> None:
    """Issue 10's conservation check: every visible character is placed, on every page."""
    pdfs = [REPORT, *(sorted(Path(REAL).glob("*.pdf")) if REAL.exists() else [])]
    pdfs = [p for p in pdfs if p.exists()]
    if not pdfs:
        pytest.skip("no PDFs available")
    for pdf in pdfs:
        lost = [f.message for f in processed(pdf).findings if f.code == "text_not_conserved"]
        assert not lost, (pdf.name, lost[:3])


def test_every_numeric_annex_value_reaches_indicators_with_unit_and_period() -> None:
    """The extracted report's indicators against the printed annex grids of the truth file."""
    if not TRUTH.exists():
        pytest.skip("shared corpus truth file not available")
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    ours = {(i.table_id, i.row, i.col): i for i in processed(REPORT).indicators}
    scale = {"万元": ("元", 10_000), "项/项": ("项", 1), "—": (None, 1)}  # — : printed "no unit"
    checked = 0
    for t in (t for t in truth["tables"] if t["kind"] == "annex"):
        names = [n.replace(" ", "") for n in t["header"][-1]]
        unit_col = names.index("单位")
        for r, row in enumerate(t["rows"]):
            for c, name in enumerate(names):
                printed = row[c].strip()
                if not re.fullmatch(r"\d{4}[年级]", name) or not re.fullmatch(r"\d+(\.\d+)?(/\d+(\.\d+)?)?", printed):
                    continue
                got = ours[(t["id"], r, c)]
                unit, factor = scale.get(row[unit_col], (row[unit_col], 1))
                assert got.period == name, (t["id"], r, c)
                assert got.unit == unit, (t["id"], r, c, got.unit)
                assert Decimal(str(got.value)) == Decimal(printed.split("/")[0]) * factor, (t["id"], r, c)
                assert got.code, (t["id"], r, got.indicator_path)
                checked += 1
    assert checked >= 150, checked  # the six annex tables hold about 160 numeric values
