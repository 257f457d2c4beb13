"""Validation of the committed report (raw/cqipc-2022.pdf): the known disagreements are found,
the rules that hold pass, and a document with a broken structure is an error the warehouse refuses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.model import Document, ListEntry, ValidationResult
from pipeline.process import process_pdf
from pipeline.validate import ValidationRun, validate_document, validation_files

REPORT = Path(__file__).resolve().parents[1] / "raw" / "cqipc-2022.pdf"


@pytest.fixture(scope="module")
def normalized() -> Document:
    return process_pdf(REPORT)


@pytest.fixture(scope="module")
def run(normalized: Document) -> ValidationRun:
    return validate_document(normalized)


@pytest.fixture(scope="module")
def validated(run: ValidationRun) -> Document:
    return run.document


def results(doc: Document, rule: str, target: str | None = None) -> list[ValidationResult]:
    assert doc.validation is not None
    return [r for r in doc.validation.results if r.rule == rule and (target is None or r.target == target)]


def test_table6_against_the_skills_contest_text_is_a_warning(validated: Document) -> None:
    bad = [r for r in results(validated, "text.restates_table", "body-6") if not r.success]
    got = {(r.row, r.column, r.expected, r.observed) for r in bad}
    assert got == {
        (14, "国赛（个）/二等奖", 43.0, 42.0),
        (14, "国赛（个）/三等奖", 57.0, 55.0),
        (14, "国赛（个）/一等奖 + 国赛（个）/二等奖 + 国赛（个）/三等奖", 120.0, 117.0),
    }
    assert all(r.severity == "warning" and r.page == 40 for r in bad)
    assert all("合计" in r.message_zh and "sec-2.7" in r.message_en for r in bad)
    # the same sentence's 一等奖 20 and the 市赛 figures (87/112/148, 347) agree and pass
    ok = {(r.row, r.column) for r in results(validated, "text.restates_table", "body-6") if r.success}
    assert (14, "国赛（个）/一等奖") in ok and (14, "市赛（个）/二等奖") in ok and (13, "市赛（个）/一等奖") in ok


def test_rules_that_hold_pass(validated: Document) -> None:
    rates = results(validated, "table.rate_ratio", "body-3")
    assert len(rates) == 3 and all(r.success for r in rates)  # 报到率 = 报到数 / 录取数, every year
    shares = results(validated, "table.share_sum", "body-2") + results(validated, "table.share_ratio", "body-2")
    assert len(shares) == 15 and all(r.success for r in shares)  # 比例 sums to 100 and = 录取人数 / 6362
    text = results(validated, "text.restates_table", "body-2") + results(validated, "text.restates_table", "body-4")
    by_col = {(r.target, r.column): r for r in text}
    assert by_col[("body-2", "录取人数")].expected == 6362 and by_col[("body-2", "录取人数")].success
    assert by_col[("body-4", "金额（万元）")].success and by_col[("body-4", "金额（万元）")].observed == 56493100
    assert by_col[("body-4", "人数")].success and by_col[("body-4", "人数")].expected == 18281
    assert all(r.success for r in results(validated, "table.total_row", "body-6"))
    assert all(r.success for r in results(validated, "list.entry_found") + results(validated, "toc.entry_page"))


def test_summary_counts_and_no_errors(validated: Document) -> None:
    v = validated.validation
    assert v is not None and v.errors == 0
    assert v.warnings == sum(f.severity == "warning" for f in v.failures) >= 4
    assert all(f.severity in ("warning", "info") for f in v.failures)
    assert set(v.suites) == {"nianbao.structure", "nianbao.values", "nianbao.arithmetic", "nianbao.consistency"}
    dumped = validated.model_dump(mode="json")["validation"]
    assert "results" not in dumped and dumped["warnings"] == v.warnings


def test_validation_files(validated: Document, run: ValidationRun) -> None:
    assert run.summary == validated.validation and run.gx_version and run.seconds > 0
    files: dict[str, Any] = validation_files(validated, run)
    body = json.loads(files["validation.json"])
    assert body["summary"]["warnings"] == validated.validation.warnings  # type: ignore[union-attr]
    assert body["summary"]["infos"] == 1  # annex.text_unmatched: figures naming an indicator, not compared
    assert len(body["expectations"]) >= 20 and len(body["results"]) == validated.validation.evaluated  # type: ignore[union-attr]
    whole = json.dumps(body, ensure_ascii=False, indent=1) + "\n"  # written piecewise, the same bytes
    assert files["validation.json"] == whole.encode("utf-8")
    assert body["results"] == [r.model_dump(mode="json") for r in run.summary.results]
    assert "data_docs/index.html" in files
    assert any(k.startswith("data_docs/validations/") and k.endswith(".html") for k in files)


def test_listed_table_missing_is_an_error_and_the_warehouse_refuses(normalized: Document, tmp_path: Path) -> None:
    broken = normalized.model_copy(update={"tables": [t for t in normalized.tables if t.id != "body-6"]})
    doc = validate_document(broken, data_docs=False).document
    v = doc.validation
    assert v is not None and v.errors >= 1
    [err] = [r for r in v.failures if r.severity == "error"]
    assert (err.rule, err.target, err.expected) == (
        "list.entry_found",
        "list-tables",
        "表 6：全国职业院校技能大赛获奖数量统计",
    )
    assert any(f.code == "validation.errors" and "--allow-invalid" in f.message for f in doc.findings)
    added = ListEntry(list="tables", text="表 9：不存在", number="9", title="不存在", page_label="1", entry_page=62)
    assert (
        validate_document(
            normalized.model_copy(update={"lists": [*normalized.lists, added]}), data_docs=False
        ).summary.errors
        == 1
    )

    warehouse = pytest.importorskip("pipeline.warehouse")
    wh = warehouse.open_warehouse(tmp_path / "w.duckdb", output_root=tmp_path)
    assert wh.load(doc, allow_invalid=False).status == "refused"
    assert wh.load(doc, allow_invalid=True).status == "loaded"


def test_cli_validate_rewrites_the_output(validated: Document, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.emit import write_outputs
    from tests.settings_cases import other_settings

    made_with = other_settings()
    folder = write_outputs(validated.model_copy(update={"validation": None}), tmp_path, settings=made_with)
    res = CliRunner().invoke(app, ["validate", str(folder)])
    assert res.exit_code == 0, res.output
    doc = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    assert doc["validation"]["warnings"] == validated.validation.warnings  # type: ignore[union-attr]
    assert (folder / "validation.json").is_file() and (folder / "data_docs" / "index.html").is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "validation.json" in manifest["files"] and "validate" in manifest["timings"]
    assert manifest["settings_digest"] == made_with.digest()  # the settings it was made with, not the defaults
    assert CliRunner().invoke(app, ["validate", str(tmp_path / "missing")]).exit_code == 1


def test_a_runtime_serves_many_documents(normalized: Document) -> None:
    from pipeline.validate import new_runtime

    rt = new_runtime()
    first = validate_document(normalized, runtime=rt)
    second = validate_document(normalized, runtime=rt)
    assert first.summary.evaluated == second.summary.evaluated and first.summary.run_id != second.summary.run_id
    pages = [k for k in second.docs if k.startswith("data_docs/validations/") and k.endswith(".html")]
    assert len(pages) == len(rt.suites) == 4  # the store was emptied: the second run's pages only
    with pytest.raises(ValueError, match="either a runtime or a suites folder"):
        validate_document(normalized, runtime=rt, suites_dir="expectations")


# The list the rules must keep finding on the public report (README, Validation: "What the rules find
# on the public report"): (rule, page, column or subject, expected, observed). Nothing else may warn.
GOLDEN = {
    ("text.restates_table", 40, "国赛（个）/二等奖", 43.0, 42.0),
    ("text.restates_table", 40, "国赛（个）/三等奖", 57.0, 55.0),
    ("text.restates_table", 40, "国赛（个）/一等奖 + 国赛（个）/二等奖 + 国赛（个）/三等奖", 120.0, 117.0),
    ("text.parts_within_total", 39, "荣获奖项", 14.0, 15.0),
    ("annex.restates_text", 66, "双师素质专任教师比例｜2021年", 95.0, 90.0),
    ("annex.restates_text", 65, "(1) 学生社团数｜2021级", 49.0, 54.0),
    ("annex.restates_text", 64, "毕业生本省就业比例｜2021年", 84.65, 87.74),
    ("annex.restates_text", 64, "理工农医类专业相关度｜2021年", 92.33, 80.74),
    ("annex.restates_text", 64, "雇主满意度｜2021年", 100.0, 99.12),
    ("annex.restates_text", 66, "全日制国（境）外留学生人数（一年以上）｜2021年", 17.0, 13.0),
    ("annex.restates_text", 69, "专利申请/授权数量｜2021年｜B", 394.0, 470.0),
    ("annex.restates_text", 69, "其中：发明专利申请/授权数量｜2021年｜B", 101.0, 75.0),
    ("annex.restates_text", 69, "横向技术服务到款额｜2021年", 17870600.0, 1603000.0),
    ("annex.text_stale", 69, "专利成果转化数量｜2021年", 7.0, 23.0),
    ("annex.text_stale", 69, "专利成果转化到款额｜2021年", 186000.0, 110000.0),
    ("text.restates_text", 11, "招生专业", 53.0, 52.0),
    ("text.restates_text", 26, "招生专业", 53.0, 50.0),
    ("text.restates_text", 23, "团体辅导", 60.0, 20.0),
    ("text.restates_text", 23, "接访心理咨询年接待量", 500.0, 150.0),
    ("text.restates_text", 23, "参与人数", 8000.0, 5000.0),
    ("annex.remark_lists_value", 67, "在国（境）外组织担任职务的专任教师人数｜2021年", 20.0, 21.0),
    ("text.year_plausible", 22, "20201届", None, "20201届"),
    ("amount.national_rate", 14, "金额（万元）", 2305000.0, 2620000.0),
    ("text.section_period", 43, "经费投入：加大经费投入力度，促进学校健康持续发展", 2021.0, 2020.0),
    # 2020年取得财政拨款 3.09 亿元 = 2021's 17700.00 元 × 17459 人, not 2020's 16569.36 元 × 15193 人 (2.517 亿元)
    ("annex.derived_total_period", 69, "年生均财政拨款水平 × 全日制在校生人数｜2020年", 251738286.48, 309000000.0),
    *(
        ("value.unit_matches_template", 66, f"{name}｜{year}", None, value)
        for name, values in (
            ("教学计划内课程总数", ("1481", "2081")),
            ("其中：线上开设课程数", ("740", "506")),
            ("线上课程课均学生数", ("24.5", "23.8")),
        )
        for year, value in zip(("2020年", "2021年"), values, strict=True)
    ),
}


def test_the_public_report_findings_are_the_listed_ones(validated: Document) -> None:
    """Every finding of the README's list is raised, and no warning outside it."""
    assert validated.validation is not None
    failures = validated.validation.failures
    got = {(f.rule, f.page, f.column, f.expected, f.observed) for f in failures if f.severity == "warning"}
    golden = {(r, p, c, e, o if isinstance(o, str) else float(o)) for r, p, c, e, o in GOLDEN}
    assert got == golden
    stale = [f for f in failures if f.rule == "annex.text_stale"]
    assert all("last year" in f.message_en and "2020年" in f.message_en for f in stale)
    twice = [f for f in failures if f.rule == "text.restates_text"]
    assert all(" p." in f.message_en and f.message_en.count("p.") >= 2 for f in twice)
    [unmatched] = [f for f in failures if f.rule == "annex.text_unmatched"]
    assert unmatched.severity == "info" and unmatched.observed == 3.0
    [derived] = [f for f in failures if f.rule == "annex.derived_total_period"]
    assert "the text's 2020年 figure equals the derived total of 2021年" in derived.message_en
    assert "17700.00元 × 17459人 = 3.090亿元" in derived.message_en and "= 2.517亿元" in derived.message_en


def test_the_readme_lists_the_golden_findings() -> None:
    """The README's list of findings on the public report is GOLDEN: as many warnings, numbered to the last."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Validation") : readme.index("## Reviewing a document")]
    [warnings] = re.findall(r"0 errors, (\d+) warnings and one info result", section)
    numbers = re.findall(r"^\| (\d+)(?:-(\d+))? \| `", section, flags=re.M)
    assert int(warnings) == len(GOLDEN) == max(int(b or a) for a, b in numbers)


def test_the_checks_that_hold_pass_on_the_public_report(validated: Document) -> None:
    """17459 students, 4930 graduates, 4756 employed, 883 staff and 96.47% agree with the annex's 2021."""
    ok = {
        (r.column, r.observed)
        for r in results(validated, "annex.restates_text") + results(validated, "annex.text_stale")
        if r.success
    }
    assert {
        ("全日制在校生人数｜2021年", 17459.0),
        ("毕业生人数｜2021年", 4930.0),
        ("其中：就业人数｜2021年", 4756.0),
        ("在岗教职工总数｜2021年", 883.0),
        ("就业率｜2021年", 96.47),
    } <= ok
    assert all(r.success for r in results(validated, "table.total_row") + results(validated, "table.rate_ratio"))
    # 表 4: 国家奖学金 19 × 8000 元 = 15.20 万元 holds; 国家励志奖学金 (461 × 5000 元, 262 万元) is in GOLDEN
    rates = {(r.row, r.success) for r in results(validated, "amount.national_rate", "body-4")}
    assert rates == {(0, True), (1, False)}
    # 3.09 亿元 is above 2020's 16569.36 元 × 15193 人, as 折合在校生 ≥ 全日制在校生 allows (A13 is its year)
    [bound] = results(validated, "annex.derived_total_bound")
    assert bound.success and (bound.expected, bound.observed) == (251738286.48, 309000000.0)
