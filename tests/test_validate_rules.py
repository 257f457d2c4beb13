"""Each validation rule on a small hand-built document or frame: one case that holds, one that fails.

Documents are built as the stages would (sections, paragraphs, tables as printed) and typed by the
real normalize stage, so the rules see what they see on a report. GX is imported once per process
(one runtime for the module); the first test pays the 4-8 s import.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd
import pytest

from pipeline.model import Document, ListEntry, Metadata, Paragraph, Section, Source, Table, TocEntry
from pipeline.normalize.stage import normalize_document
from pipeline.validate import frames
from pipeline.validate.claims import consistency_frame
from pipeline.validate.national_rates import load_awards, national_rate_checks, school_years
from pipeline.validate.suites import GxRuntime, load_suites, new_runtime

from .validate_helpers import indicator as _indicator

PARAMS = {"min_year": 1900, "max_year": 2022, "period_min": 2018, "period_max": 2022, "text_year_max": 2023}


@pytest.fixture(scope="module")
def gx() -> GxRuntime:
    return new_runtime()


def rule_results(rt: GxRuntime, frame_name: str, frame: pd.DataFrame, rule: str) -> list[Any]:
    spec = next(s for s in rt.suites if s.frame == frame_name)
    return [r for r in rt.run_suite(spec, frame, PARAMS).results if r.rule == rule]


def failures(rt: GxRuntime, frame_name: str, frame: pd.DataFrame, rule: str) -> list[Any]:
    results = rule_results(rt, frame_name, frame, rule)
    assert results, f"rule {rule} judged no row"
    return [r for r in results if not r.success]


def make_doc(tables: list[tuple[str, list[list[str]], list[list[str]]]] = (), text: str = "", **extra: Any) -> Document:
    """One section (sec-1) holding `text` and the tables (caption, header rows, body rows), normalized."""
    sec = Section(
        id="sec-1", parent=None, kind="heading", level=1, number="一", title="学生发展", page=5, page_end=6, text=text
    )
    paras = [Paragraph(id="p-1", section="sec-1", text=text, page=5, page_end=5)] if text else []
    tabs = [
        Table(
            id=f"body-{i + 1}",
            kind="body",
            number=str(i + 1),
            caption=cap,
            section="sec-1",
            pages=[5],
            header=header,
            rows=rows,
        )
        for i, (cap, header, rows) in enumerate(tables)
    ]
    doc = Document(
        doc_id="t-2022",
        pipeline_version="test",
        source=Source(path="t.pdf", sha256="0", pages=6, size_bytes=1),
        sections=[sec],
        paragraphs=paras,
        tables=tabs,
        **extra,
    )
    doc.metadata.report_year = 2022
    return normalize_document(doc)


# ---- arithmetic inside tables -------------------------------------------------------------------

AWARDS = (
    "获奖统计",
    [["时间", "国赛（个）", "国赛（个）"], ["时间", "一等奖", "二等奖"]],
    [["2020年", "1", "2"], ["2021年", "3", "4"], ["合计", "4", "6"]],
)


def test_total_row_holds_and_fails(gx: GxRuntime) -> None:
    ok = frames.arithmetic_frame(make_doc([AWARDS]))
    assert failures(gx, "arithmetic", ok, "table.total_row") == []
    bad_rows = [["2020年", "1", "2"], ["2021年", "3", "4"], ["合计", "4", "7"]]
    bad = failures(
        gx, "arithmetic", frames.arithmetic_frame(make_doc([(AWARDS[0], AWARDS[1], bad_rows)])), "table.total_row"
    )
    assert [(f.target, f.row, f.column, f.expected, f.observed) for f in bad] == [
        ("body-1", 2, "国赛（个）/二等奖", 6.0, 7.0)
    ]
    assert f"{bad[0].page}" == "5" and bad[0].severity == "warning" and "合计" in bad[0].message_zh


def test_share_column_sums_to_100_and_equals_part_over_total(gx: GxRuntime) -> None:
    good = ("生源分布", [["生源地", "录取人数", "比例"]], [["重庆", "300", "75.00%"], ["四川", "100", "25.00%"]])
    frame = frames.arithmetic_frame(make_doc([good]))
    assert failures(gx, "arithmetic", frame, "table.share_sum") == []
    assert failures(gx, "arithmetic", frame, "table.share_ratio") == []
    bad = ("生源分布", [["生源地", "录取人数", "比例"]], [["重庆", "300", "70.00%"], ["四川", "100", "25.00%"]])
    frame = frames.arithmetic_frame(make_doc([bad]))
    assert [f.observed for f in failures(gx, "arithmetic", frame, "table.share_sum")] == [95.0]
    ratio = failures(gx, "arithmetic", frame, "table.share_ratio")
    assert [(f.row, f.expected, f.observed) for f in ratio] == [(0, 75.0, 70.0)]


def test_rate_equals_numerator_over_denominator(gx: GxRuntime) -> None:
    header = [["年份", "录取数", "报到数", "报到率"]]
    ok = frames.arithmetic_frame(make_doc([("录取", header, [["2021年", "6362", "6038", "94.91%"]])]))
    assert failures(gx, "arithmetic", ok, "table.rate_ratio") == []
    bad = frames.arithmetic_frame(make_doc([("录取", header, [["2021年", "6362", "6038", "95.91%"]])]))
    [f] = failures(gx, "arithmetic", bad, "table.rate_ratio")
    assert (f.row, f.column, round(f.expected, 2), f.observed) == (0, "报到率", 94.91, 95.91)


def test_sub_item_not_above_its_parent(gx: GxRuntime) -> None:
    header = [["项目", "人数"]]
    ok = frames.arithmetic_frame(make_doc([("资助", header, [["奖学金", "100"], ["其中：国家奖学金", "20"]])]))
    assert failures(gx, "arithmetic", ok, "table.sub_item") == []
    bad = frames.arithmetic_frame(make_doc([("资助", header, [["奖学金", "100"], ["其中：国家奖学金", "120"]])]))
    [f] = failures(gx, "arithmetic", bad, "table.sub_item")
    assert (f.row, f.expected, f.observed) == (1, 100.0, 120.0)


def national_rates_frame(doc: Document) -> pd.DataFrame:
    return frames.arithmetic_frame(doc, national_rate_checks(doc))


AID_HEADER = [["序号", "项目名称", "人数", "金额（万元）"]]


def test_an_award_at_a_fixed_national_rate_in_a_table(gx: GxRuntime) -> None:
    """国家奖学金 8000 元 and 国家励志奖学金 5000 元 a student (national_rates.json): 19 × 8000 = 15.20 万元;
    a 国家助学金 (an average over tiers) and a college's own award have no fixed rate and are not judged."""

    def aid(endeavour: str) -> pd.DataFrame:
        rows = [
            ["1", "国家奖学金", "19", "15.20"],
            ["2", "国家励志奖学金", "120", endeavour],
            ["3", "国家助学金", "900", "297.5"],
            ["4", "校内奖学金", "300", "21"],
        ]
        return national_rates_frame(make_doc([("学生资助情况", AID_HEADER, rows)]))

    ok = rule_results(gx, "arithmetic", aid("60"), "amount.national_rate")
    assert [(r.row, r.success) for r in ok] == [(0, True), (1, True)]
    [f] = failures(gx, "arithmetic", aid("68"), "amount.national_rate")
    assert (f.target, f.row, f.column, f.expected, f.observed) == ("body-1", 1, "金额（万元）", 600000.0, 680000.0)
    assert f.severity == "warning" and f.page == 5 and "5000" in f.message_zh and "国发" in f.message_en
    # judged to the amount's printed precision: 60.4 万元 is not 120 × 5000 元
    assert failures(gx, "arithmetic", aid("60.4"), "amount.national_rate")
    caption_2024 = national_rates_frame(
        make_doc([("2024-2025学年学生资助情况", AID_HEADER, [["1", "国家励志奖学金", "120", "72"]])])
    )
    assert failures(gx, "arithmetic", caption_2024, "amount.national_rate") == []  # 6000 元 from 2024
    standard = [["项目名称", "人数", "资助标准（元）"]]
    rate_only = national_rates_frame(make_doc([("资助标准", standard, [["国家奖学金", "19", "8000"]])]))
    assert rule_results(gx, "arithmetic", rate_only, "amount.national_rate") == []  # a rate column pays nothing


def test_national_rates_data_and_school_years() -> None:
    """Each award's rates follow each other without a gap or an overlap, each with its source; a school year
    is the caption's or sentence's (2020-2021学年), a year allows two, else the two the report covers."""
    for award in load_awards():
        spans = [(r.first, r.last) for r in award.rates]
        assert all(r.source and r.ref and r.yuan > 0 for r in award.rates)
        assert all(last is not None and last + 1 == nxt for (_, last), (nxt, _) in pairwise(spans))
        assert spans[-1][1] is None and award.name in award.names
    assert school_years("2020-2021学年学生资助情况", 2022) == {2020}
    assert school_years("2021年学生资助", None) == {2020, 2021}
    assert school_years("学生资助情况", 2022) == {2020, 2021}
    assert school_years("学生资助情况", None) is None
    [endeavour] = [a for a in load_awards() if a.name == "国家励志奖学金"]
    assert [r.yuan for r in endeavour.rates_for(frozenset({2023, 2024}))] == [5000.0, 6000.0]


def test_an_award_at_a_fixed_national_rate_in_the_text(gx: GxRuntime) -> None:
    def judged(text: str) -> list[Any]:
        return rule_results(gx, "arithmetic", national_rates_frame(make_doc(text=text)), "amount.national_rate")

    [ok] = judged("2021年，学院 12 名学生荣获国家奖学金，奖励金额 9.6 万元。")
    assert ok.success and ok.expected == 96000.0
    [bad] = judged("本年度获得国家励志奖学金的学生 150 人，发放金额 80 万元。")
    assert (bad.success, bad.column, bad.expected, bad.observed) == (False, "国家励志奖学金", 750000.0, 800000.0)
    # a total of several awards, another aid's amount, or a count with a qualifier states no one award's payment
    assert judged("国家奖学金 19 人、国家励志奖学金 120 人，共发放 75.2 万元。") == []
    assert judged("国家励志奖学金 120 人，国家助学金发放 300 万元。") == []
    assert judged("国家励志奖学金 100 余人，发放 60 万元。") == []
    assert judged("国家奖学金每生每年 8000 元，获奖学生 19 人。") == []  # the rate itself, not a payment
    assert judged("获国家奖学金 19 人，奖励 8000 元/人。") == []


def test_annex_sub_item_and_rate(gx: GxRuntime) -> None:
    def doc(employed: float, rate: float) -> Document:
        inds = [
            _indicator("SV01.1", "毕业生人数", "2021年", 4930, row=1),
            _indicator("SV01.1.1", "其中：就业人数", "2021年", employed, row=2),
            _indicator("SC01", "就业率", "2021年", rate, unit="%", kind="percent", value_text=f"{rate:.2f}"),
        ]
        return make_doc().model_copy(update={"indicators": inds})

    ok = frames.arithmetic_frame(doc(4756, 96.47))
    assert failures(gx, "arithmetic", ok, "annex.sub_item") == []
    assert failures(gx, "arithmetic", ok, "annex.rate_ratio") == []
    bad = frames.arithmetic_frame(doc(5000, 96.47))
    [f] = failures(gx, "arithmetic", bad, "annex.sub_item")
    assert (f.target, f.row, f.expected, f.observed) == ("annex-5", 2, 4930.0, 5000.0)
    assert len(failures(gx, "arithmetic", bad, "annex.rate_ratio")) == 1


# ---- values -------------------------------------------------------------------------------------


def _values(**kw: Any) -> pd.DataFrame:
    return frames.to_frame([frames._value_check("body-1", 0, "c", 5, "x", **kw)], frames.VALUE_TYPES)


@pytest.mark.parametrize(
    ("rule", "good", "bad"),
    [
        ("value.percent_range", {"value": 99.5, "is_percent": True}, {"value": 100.5, "is_percent": True}),
        ("value.count_not_negative", {"value": 3.0, "is_count": True}, {"value": -3.0, "is_count": True}),
        ("value.count_whole", {"value": 3.0, "is_count": True}, {"value": 3.5, "is_count": True}),
        ("value.year_plausible", {"year": 2008.0}, {"year": 2035.0}),
        (
            "value.period_plausible",
            {"period_year": 2021.0, "is_period": True},
            {"period_year": 2012.0, "is_period": True},
        ),
        ("value.unit_present", {"needs_unit": True, "printed_unit": "人"}, {"needs_unit": True, "printed_unit": None}),
        (
            "value.unit_matches_template",
            {"needs_unit": True, "has_unit": True, "unit_family": "money", "template_family": "money"},
            {"needs_unit": True, "has_unit": True, "unit_family": "hours", "template_family": "courses"},
        ),
    ],
)
def test_value_rules(rule: str, good: dict[str, Any], bad: dict[str, Any], gx: GxRuntime) -> None:
    assert failures(gx, "values", _values(**good), rule) == []
    [f] = failures(gx, "values", _values(**bad), rule)
    assert (f.target, f.row, f.page, f.severity) == ("body-1", 0, 5, "warning")
    assert f.message_zh and f.message_en


def test_values_frame_types_counts_and_percents_from_a_table(gx: GxRuntime) -> None:
    frame = frames.values_frame(make_doc([("生源", [["生源地", "录取人数", "比例"]], [["重庆", "300", "101.5%"]])]))
    [f] = failures(gx, "values", frame, "value.percent_range")
    assert (f.column, f.observed) == ("比例", "101.5%")
    assert failures(gx, "values", frame, "value.count_whole") == []


# ---- structure ----------------------------------------------------------------------------------


def _entry(number: str, title: str, label: str) -> ListEntry:
    return ListEntry(
        list="tables", text=f"表 {number}：{title}", number=number, title=title, page_label=label, entry_page=6
    )


def test_listed_table_found_on_its_printed_page(gx: GxRuntime) -> None:
    labels = [None, None, None, None, "1", "2"]
    doc = make_doc([AWARDS]).model_copy()
    doc.metadata.page_labels = labels
    ok = frames.structure_frame(doc.model_copy(update={"lists": [_entry("1", "获奖统计", "1")]}))
    assert failures(gx, "structure", ok, "list.entry_found") == []
    assert failures(gx, "structure", ok, "list.entry_page") == []
    moved = frames.structure_frame(doc.model_copy(update={"lists": [_entry("1", "获奖统计", "2")]}))
    [f] = failures(gx, "structure", moved, "list.entry_page")
    assert (f.target, f.page, f.severity) == ("body-1", 5, "warning")
    missing = frames.structure_frame(
        doc.model_copy(update={"lists": [_entry("1", "获奖统计", "1"), _entry("2", "资助", "2")]})
    )
    [f] = failures(gx, "structure", missing, "list.entry_found")
    assert (f.severity, f.row, f.expected) == ("error", 1, "表 2：资助")


def test_toc_entry_found_and_page(gx: GxRuntime) -> None:
    def toc(target: str | None, page: int) -> TocEntry:
        return TocEntry(
            text="一、学生发展",
            level=1,
            number="一",
            title="学生发展",
            page_label="1",
            page=page,
            entry_page=3,
            target=target,
        )

    doc = make_doc()
    assert (
        failures(
            gx, "structure", frames.structure_frame(doc.model_copy(update={"toc": [toc("sec-1", 5)]})), "toc.entry_page"
        )
        == []
    )
    frame = frames.structure_frame(doc.model_copy(update={"toc": [toc("sec-1", 7)]}))
    [f] = failures(gx, "structure", frame, "toc.entry_page")
    assert (f.target, f.page, f.expected, f.observed) == ("sec-1", 5, "p.7 (印刷页码 1)", "p.5")
    [f] = failures(
        gx, "structure", frames.structure_frame(doc.model_copy(update={"toc": [toc(None, 5)]})), "toc.entry_found"
    )
    assert f.severity == "error"


def test_tables_not_empty_and_rectangular(gx: GxRuntime) -> None:
    frame = frames.structure_frame(make_doc([AWARDS]))
    assert failures(gx, "structure", frame, "table.width") == []
    assert failures(gx, "structure", frame, "table.not_empty") == []
    doc = make_doc([AWARDS])
    doc.tables[0].rows[1] = ["2021年", "3"]
    [f] = failures(gx, "structure", frames.structure_frame(doc), "table.width")
    assert (f.target, f.row, f.severity) == ("body-1", 1, "error")
    doc.tables[0].rows = [["", "", ""]]
    assert len(failures(gx, "structure", frames.structure_frame(doc), "table.not_empty")) == 1


def test_annex_tables_required(gx: GxRuntime) -> None:
    results = failures(gx, "structure", frames.structure_frame(make_doc()), "annex.table_present")
    assert len(results) == 6 and all(r.severity == "error" for r in results)


# ---- the text against tables ---------------------------------------------------------------------


def test_text_restating_a_total_row(gx: GxRuntime) -> None:
    text = "截止2021年，共荣获国家级奖项10个，其中一等奖4个，二等奖6个。"
    ok = consistency_frame(make_doc([AWARDS], text=text))
    assert failures(gx, "consistency", ok, "text.restates_table") == []
    wrong = "截止2021年，共荣获国家级奖项9个，其中一等奖4个，二等奖5个。"
    bad = failures(gx, "consistency", consistency_frame(make_doc([AWARDS], text=wrong)), "text.restates_table")
    got = sorted((f.target, f.row, f.column, f.expected, f.observed) for f in bad)
    assert got == [
        ("body-1", 2, "国赛（个）/一等奖 + 国赛（个）/二等奖", 10.0, 9.0),
        ("body-1", 2, "国赛（个）/二等奖", 6.0, 5.0),
    ]


def test_text_about_another_competition_is_not_compared(gx: GxRuntime) -> None:
    text = "截止2021年，共荣获全国大学生数学建模竞赛国家级奖项9个，其中一等奖1个，二等奖8个。"
    doc = make_doc([("全国职业院校技能大赛获奖数量统计", AWARDS[1], AWARDS[2])], text=text)
    assert rule_results(gx, "consistency", consistency_frame(doc), "text.restates_table") == []


def test_text_parts_not_above_their_total(gx: GxRuntime) -> None:
    ok = consistency_frame(make_doc(text="共荣获奖项15个，其中一等奖7个、二等奖5个，三等奖3个。"))
    assert failures(gx, "consistency", ok, "text.parts_within_total") == []
    bad = consistency_frame(make_doc(text="共荣获奖项14个，其中一等奖7个、二等奖5个，三等奖3个。"))
    [f] = failures(gx, "consistency", bad, "text.parts_within_total")
    assert (f.target, f.expected, f.observed) == ("sec-1", 14.0, 15.0)


def test_a_section_dating_its_figures_before_the_reports_period(gx: GxRuntime) -> None:
    """The 2022 report covers 2021: a section dating its figures 2020 only states last year's work."""

    def judged(text: str) -> list[Any]:
        return rule_results(gx, "consistency", consistency_frame(make_doc(text=text)), "text.section_period")

    money = "{y}年学校总收入 4.2 亿元，较{p}年增加 0.3 亿元。{y}年取得财政拨款 2.8 亿元，占总收入的 66.67%。"
    [ok] = judged(money.format(y=2021, p=2020))
    assert ok.success and (ok.expected, ok.observed) == (2021.0, 2021.0)
    [bad] = judged(money.format(y=2020, p=2019))
    assert (bad.success, bad.severity, bad.target, bad.page) == (False, "warning", "sec-1", 5)
    assert (bad.expected, bad.observed) == (2021.0, 2020.0) and "3/3" in bad.message_zh  # the changes are not dated
    # a school year ending in the report's period is of it; history and few dated figures are not judged
    [school_year] = judged("2020-2021学年，学校发放奖助学金 5649.31 万元，资助 18281 人次，其中国家奖学金 19 人。")
    assert school_year.success and school_year.observed == 2021.0
    assert judged("学校 2010 年建成实训楼 3 栋，2015 年建成图书馆 1 座，2018 年获批示范专业 5 个。") == []
    assert judged("2020年学校总收入 4.2 亿元。学校取得财政拨款 2.8 亿元，自有收入 1.4 亿元，专项 0.5 亿元。") == []


def test_annex_restating_the_text(gx: GxRuntime) -> None:
    def doc(stated: str) -> Document:
        d = make_doc(text=f"学校现有全日制在校学生 {stated} 人。")
        return d.model_copy(update={"indicators": [_indicator("SV01", "全日制在校生人数", "2021年", 17459)]})

    assert failures(gx, "consistency", consistency_frame(doc("17459")), "annex.restates_text") == []
    [f] = failures(gx, "consistency", consistency_frame(doc("17000")), "annex.restates_text")
    assert (f.target, f.column, f.expected, f.observed) == ("annex-5", "全日制在校生人数｜2021年", 17459.0, 17000.0)


def test_every_suite_file_is_well_formed() -> None:
    specs = load_suites()
    assert {s.frame for s in specs} == {"structure", "values", "arithmetic", "consistency"}
    for s in specs:
        assert s.version and all(e["meta"]["severity"] in ("info", "warning", "error") for e in s.expectations)


def test_annex_bound_from_the_catalog(gx: GxRuntime) -> None:
    """就业去向 (留在当地就业人数) ≤ 就业人数: a bound the catalog states (at_most), not a code in the rules."""

    def doc(local: float) -> Document:
        inds = [
            _indicator("SV01.1.1", "就业人数", "2021年", 4756, row=2),
            _indicator("SV01.2.A", "留在当地就业人数", "2021年", local, row=4),
        ]
        return make_doc().model_copy(update={"indicators": inds})

    assert failures(gx, "arithmetic", frames.arithmetic_frame(doc(3000)), "annex.sub_item") == []
    [f] = failures(gx, "arithmetic", frames.arithmetic_frame(doc(4800)), "annex.sub_item")
    assert (f.row, f.expected, f.observed) == (4, 4756.0, 4800.0)


# ---- document-type knowledge: subjects from the catalog, levels by province, the report year -------


def test_a_share_subject_names_the_catalog_indicator(gx: GxRuntime) -> None:
    """“双师型”教师占比 N% names “双师型”教师比例, an alias of TR02 in the catalog."""

    def doc(stated: str) -> Document:
        d = make_doc(text=f"学校在岗教职员工 883 人，“双师型”教师占比 {stated}%。")
        inds = [
            _indicator("TR02", "双师素质专任教师比例", "2021年", 95.0, unit="%", kind="percent", value_text="95.00"),
            _indicator("PO02.1", "在岗教职工总数", "2021年", 883),
        ]
        return d.model_copy(update={"indicators": inds})

    assert failures(gx, "consistency", consistency_frame(doc("95")), "annex.restates_text") == []
    [f] = failures(gx, "consistency", consistency_frame(doc("90")), "annex.restates_text")
    assert (f.column, f.expected, f.observed) == ("双师素质专任教师比例｜2021年", 95.0, 90.0)


def test_only_the_colleges_own_figures_restate_the_annex(gx: GxRuntime) -> None:
    """A figure of a project (not the college's) and a cohort's annex figure (2021级) are not compared."""
    inds = [_indicator("SV01", "全日制在校生人数", "2021年", 17459)]
    project = make_doc(text="与某学院合作办学项目，2021年在校生为242人。").model_copy(update={"indicators": inds})
    assert rule_results(gx, "consistency", consistency_frame(project), "annex.restates_text") == []
    school = make_doc(text="2021年，学校在校生为17000人。").model_copy(update={"indicators": inds})
    assert len(failures(gx, "consistency", consistency_frame(school), "annex.restates_text")) == 1
    cohort = [_indicator("FB01", "全日制在校生人数", "2021级", 6074)]
    by_cohort = make_doc(text="学校现有全日制在校学生 17459 人。").model_copy(update={"indicators": cohort})
    assert rule_results(gx, "consistency", consistency_frame(by_cohort), "annex.restates_text") == []


LEVEL_TABLE = (
    "技能大赛获奖统计",
    [
        ["时间", "国赛（个）", "国赛（个）", "省赛（个）", "省赛（个）"],
        ["时间", "一等奖", "二等奖", "一等奖", "二等奖"],
    ],
    [["2020年", "1", "2", "5", "6"], ["2021年", "3", "4", "7", "8"], ["合计", "4", "6", "12", "14"]],
)


def test_shi_ji_is_provincial_in_a_municipality_only(gx: GxRuntime) -> None:
    """市级 is the provincial level in 重庆 (a 直辖市), a city's level in 江苏: compared with 省赛 only in 重庆."""

    def doc(school: str, stated: str) -> Document:
        text = f"截止2021年，共荣获市级奖项{stated}个，其中一等奖12个，二等奖14个。"
        return make_doc([LEVEL_TABLE], text=text, metadata=Metadata(school=school))

    municipal = consistency_frame(doc("重庆某职业技术学院", "26"))
    assert failures(gx, "consistency", municipal, "text.restates_table") == []
    checked = rule_results(gx, "consistency", municipal, "text.restates_table")
    assert {r.column for r in checked} >= {"省赛（个）/一等奖", "省赛（个）/二等奖"}
    wrong = consistency_frame(doc("重庆某职业技术学院", "27"))
    [f] = failures(gx, "consistency", wrong, "text.restates_table")
    assert (f.column, f.expected, f.observed) == ("省赛（个）/一等奖 + 省赛（个）/二等奖", 26.0, 27.0)
    provincial = consistency_frame(doc("江苏某职业技术学院", "27"))
    assert rule_results(gx, "consistency", provincial, "text.restates_table") == []


def test_award_levels_by_province() -> None:
    from pipeline.validate.provinces import UNKNOWN_LEVEL, load_provinces

    p = load_provinces()
    assert len(p.divisions) == 34 and {d.short for d in p.divisions if d.kind == "直辖市"} == {
        "北京",
        "天津",
        "上海",
        "重庆",
    }
    assert len({d.code for d in p.divisions}) == 34
    chongqing, jiangsu, guangxi = (next(d for d in p.divisions if d.short == s) for s in ("重庆", "江苏", "广西"))
    assert p.award_levels(chongqing).level_of("获市级一等奖") == "provincial"
    assert p.award_levels(chongqing).level_of("技能大赛重庆赛区选拔赛") == "provincial"
    assert p.award_levels(jiangsu).level_of("获市级一等奖") == "local"
    assert p.award_levels(jiangsu).level_of("获省市级荣誉") == "provincial"  # the longer word wins a tie
    assert p.award_levels(jiangsu).level_of("技能大赛重庆赛区选拔赛") is None
    assert p.award_levels(guangxi).level_of("获自治区级一等奖") == "provincial"
    assert p.award_levels(None).level_of("获市级一等奖") == UNKNOWN_LEVEL
    assert p.award_levels(None).level_of("获国家级一等奖、省级二等奖") == "provincial"


def test_province_of_the_college() -> None:
    from pipeline.validate.provinces import load_provinces, province_of

    p = load_provinces()

    def doc(text: str = "", **meta: Any) -> Document:
        return make_doc(text=text, metadata=Metadata(**meta))

    assert province_of(doc(school="重庆工业职业技术学院", school_code="12215"), p).short == "重庆"  # type: ignore[union-attr]
    assert province_of(doc(school="无锡职业技术学院", school_code="4132010959"), p).short == "江苏"  # type: ignore[union-attr]
    assert province_of(doc(school="无锡职业技术学院", school_code="10959"), p) is None  # 5 digits: no region
    text = "学校是江苏省示范性高职院校，服务江苏省先进制造业，与上海市企业合作。"
    assert province_of(doc(text, school="无锡职业技术学院"), p).short == "江苏"  # type: ignore[union-attr]
    assert province_of(doc("与上海市、江苏省企业合作。", school="无锡职业技术学院"), p) is None


def test_no_report_year_skips_the_year_checks_and_says_so() -> None:
    from pipeline.validate.stage import NO_YEAR_CODE, no_year_finding, parameters

    table = ("招生", [["年份", "人数"]], [["2021年", "10"], ["2045年", "12"]])
    dated = make_doc([table])
    assert frames.values_frame(dated)["is_year"].sum() == 2 and parameters(dated)["max_year"] == 2022
    undated = dated.model_copy(update={"metadata": dated.metadata.model_copy(update={"report_year": None})})
    assert frames.values_frame(undated)["is_year"].sum() == 0
    assert parameters(undated)["max_year"] is None and parameters(undated)["period_max"] is None
    finding = no_year_finding(undated)
    assert finding is not None and finding.code == NO_YEAR_CODE and finding.severity == "info"
    assert no_year_finding(dated) is None
    cohort = make_doc(text="2045届毕业生 300 人。")
    assert frames.values_frame(cohort)["is_text_year"].sum() == 1 and parameters(cohort)["text_year_max"] == 2023
    no_year = cohort.model_copy(update={"metadata": cohort.metadata.model_copy(update={"report_year": None})})
    assert frames.values_frame(no_year)["is_text_year"].sum() == 0 and parameters(no_year)["text_year_max"] is None
    assert "text.year_plausible" in (no_year_finding(no_year) or finding).message
