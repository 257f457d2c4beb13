"""Issue 12's rules, each on a small document that holds and one that fails: the text against the
annex by year, the text against itself, impossible years and shares, and the count of figures that
name an indicator but found no value. Then two whole synthetic reports worded unlike the public
one: consistent (no warning) and with one planted disagreement of each kind (each caught).
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.model import Document, Indicator, Table
from pipeline.validate import frames
from pipeline.validate.claims import consistency_frame
from pipeline.validate.stage import build_frames
from pipeline.validate.suites import GxRuntime, new_runtime

from .validate_helpers import body_table, sections_report
from .validate_helpers import indicator as ind

PARAMS = {"min_year": 1900, "max_year": 2022, "period_min": 2018, "period_max": 2022, "text_year_max": 2023}


@pytest.fixture(scope="module")
def gx() -> GxRuntime:
    return new_runtime()


def run(rt: GxRuntime, frame_name: str, doc: Document) -> list[Any]:
    frame = {
        "consistency": consistency_frame,
        "values": frames.values_frame,
        "arithmetic": lambda d: build_frames(d)["arithmetic"],
    }[frame_name](doc)
    spec = next(s for s in rt.suites if s.frame == frame_name)
    return rt.run_suite(spec, frame, PARAMS).results


def failed(rt: GxRuntime, frame_name: str, doc: Document, rule: str) -> list[Any]:
    results = [r for r in run(rt, frame_name, doc) if r.rule == rule]
    assert results, f"rule {rule} judged no row"
    return [r for r in results if not r.success]


def report(
    *sections: tuple[str, str], indicators: list[Indicator] = (), kind: str = "heading", school: str | None = None
) -> Document:
    """One section per (title, text), each with one paragraph, normalized as the stage would."""
    return sections_report(list(sections), indicators, kind=kind, school=school)


TRANSFER = [ind("SV06", "专利成果转化数量", "2020年", 23, "项"), ind("SV06", "专利成果转化数量", "2021年", 7, "项")]


def test_text_against_the_annex_year_stale_or_neither(gx: GxRuntime) -> None:
    def doc(n: str) -> Document:
        return report(("科研", f"本年度学校专利转化 {n} 项。"), indicators=TRANSFER)

    assert failed(gx, "consistency", doc("7"), "annex.restates_text") == []
    assert failed(gx, "consistency", doc("7"), "annex.text_stale") == []
    [stale] = failed(gx, "consistency", doc("23"), "annex.text_stale")
    assert (stale.expected, stale.observed) == (7.0, 23.0) and "last year" in stale.message_en
    assert "2020年 23项" in stale.message_en
    assert not [r for r in run(gx, "consistency", doc("23")) if r.rule == "annex.restates_text"]
    [neither] = failed(gx, "consistency", doc("12"), "annex.restates_text")
    assert (neither.expected, neither.observed) == (7.0, 12.0) and "2020年 23项" in neither.message_en
    assert failed(gx, "consistency", doc("12"), "annex.text_stale") == []


STUDENTS = [ind("SV01", "全日制在校生人数", "2020年", 9120), ind("SV01", "全日制在校生人数", "2021年", 9874)]


def test_an_earlier_years_figure_dated_as_this_years_work(gx: GxRuntime) -> None:
    """2022年 (the report year, after every annex period), 今年 and 本年度 date a figure as this year's
    work: equal only to the earlier column it is stale. 去年 dates it to the earlier column; 较去年
    compares with it and dates nothing. A report-year figure equal to neither column is not compared."""

    def check(text: str, indicators: list[Indicator] = STUDENTS) -> tuple[list[Any], ...]:
        results = run(gx, "consistency", report(("概况", text), indicators=indicators))
        return tuple(
            [r for r in results if r.rule == rule and not r.success]
            for rule in ("annex.text_stale", "annex.restates_text", "annex.text_unmatched")
        )

    for dated in ("2022年，学校", "今年学校", "本年度学校", "学校"):
        stale, neither, _ = check(f"{dated}全日制在校学生 9120 人。")
        assert [(f.expected, f.observed) for f in stale] == [(9874.0, 9120.0)] and neither == [], dated
        assert "2020年 9120人" in stale[0].message_en and "last year" in stale[0].message_en
        assert check(f"{dated}全日制在校学生 9874 人。")[:2] == ([], []), dated
        judged = run(gx, "consistency", report(("概况", f"{dated}全日制在校学生 9874 人。"), indicators=STUDENTS))
        assert [r.success for r in judged if r.rule == "annex.text_stale"] == [True], dated
    assert check("去年学校全日制在校学生 9120 人。") == ([], [], [])
    stale, _, _ = check("学校全日制在校学生 9120 人，较去年增加 754 人。")
    assert [f.observed for f in stale] == [9120.0]
    stale, neither, [unmatched] = check("2022年，学校全日制在校学生 10250 人。")
    assert (stale, neither, unmatched.observed) == ([], [], 1.0) and "later period" in unmatched.message_en
    # an annex printing the report year: a figure of 2022 equal to its 2021 column is stale
    by_report_year = [ind("SV01", "全日制在校生人数", "2021年", 9874), ind("SV01", "全日制在校生人数", "2022年", 10250)]
    stale, _, _ = check("2022年，学校全日制在校学生 9874 人。", by_report_year)
    assert [(f.expected, f.observed) for f in stale] == [(10250.0, 9874.0)]
    # dated to the earlier column but equal to the later one: a plain disagreement, not stale text
    stale, neither, _ = check("2020年学校全日制在校学生 9874 人。")
    assert stale == [] and [(f.expected, f.observed) for f in neither] == [(9120.0, 9874.0)]


def test_the_colleges_own_province_is_the_templates_home_province(gx: GxRuntime) -> None:
    """87%的毕业生选择在重庆市内就业 is 毕业生本省就业比例 for a 重庆 college (a share of the phrase after
    的, the province named for 本省); for a college elsewhere 重庆 is not its province."""
    home = [
        ind("SC02", "毕业生本省就业比例", "2020年", 79.56, "%", kind="percent", table_id="annex-1"),
        ind("SC02", "毕业生本省就业比例", "2021年", 84.65, "%", kind="percent", table_id="annex-1"),
    ]

    def doc(pct: str, school: str = "重庆某职业技术学院") -> Document:
        return report(("就业", f"{pct}%的2021届毕业生选择在重庆市内就业。"), indicators=home, school=school)

    assert failed(gx, "consistency", doc("84.65"), "annex.restates_text") == []
    [f] = failed(gx, "consistency", doc("87.74"), "annex.restates_text")
    assert (f.column, f.expected, f.observed) == ("毕业生本省就业比例｜2021年", 84.65, 87.74)
    [stale] = failed(gx, "consistency", doc("79.56"), "annex.text_stale")
    assert stale.observed == 79.56
    elsewhere = run(gx, "consistency", doc("87.74", school="江苏某职业技术学院"))
    assert [r for r in elsewhere if r.rule in ("annex.restates_text", "annex.text_stale")] == []


def test_two_sentences_restating_one_summary_pair_their_figures(gx: GxRuntime) -> None:
    """A yearly summary restated in another section, figure by figure in the same order and units:
    the anchor (团体辅导) ties the others (接待量, 参与人数) by place when their subjects share a word."""

    first = "心理健康教育覆盖率达到 100%，心理咨询年接待量达 500 余人次，开展团体辅导 60 次，参与人数 8000 余人。"

    def doc(visits: str, people: str, coverage: str = "100") -> Document:
        return report(
            ("学生发展", first),
            (
                "心理育人",
                f"2021年，学校心理教育覆盖率达到 {coverage}%，接待心理咨询来访 {visits} 余人次，"
                f"开展团体辅导 60 次，参与人数 {people} 余人。",
            ),
        )

    ok = [r for r in run(gx, "consistency", doc("520", "8500")) if r.rule == "text.restates_text"]
    assert len(ok) == 4 and all(r.success for r in ok)
    got = failed(gx, "consistency", doc("150", "5000"), "text.restates_text")
    assert sorted((f.expected, f.observed) for f in got) == [(500.0, 150.0), (8000.0, 5000.0)]
    # other units or another order: not the same summary, nothing paired beyond the anchor
    other = report(
        ("学生发展", "心理健康教育覆盖率达到 100%，心理咨询年接待量达 500 余人次，开展团体辅导 60 次。"),
        ("心理育人", "2021年开展团体辅导 60 次，接待心理咨询来访 150 余人次，学校心理教育覆盖率达到 90%。"),
    )
    assert [r.column for r in run(gx, "consistency", other) if r.rule == "text.restates_text"] == ["团体辅导"]


def test_an_annex_count_and_the_list_its_remark_gives(gx: GxRuntime) -> None:
    """在国(境)外组织担任职务的专任教师人数 3 with a remark naming 3 teachers (one per ；) holds; naming 4
    does not; a remark that breaks the count down (南非留学生：12人) is not a list."""

    def doc(value: int, remark: str) -> Document:
        row = [
            ind("IN05", "在国(境)外组织担任职务的专任教师人数", period, value, table_id="annex-4", note=remark)
            for period in ("2020年", "2021年")
        ]
        return report(("国际", "学校开展国际交流。"), indicators=row)

    names = "张某在某国职教组织担任培训师；李某在某国职教组织担任培训师；王某在某组织担任理事"
    assert failed(gx, "arithmetic", doc(3, names + "。"), "annex.remark_lists_value") == []
    [f] = failed(gx, "arithmetic", doc(3, names + "；在某集团担任培训师职务。"), "annex.remark_lists_value")
    assert (f.expected, f.observed, f.severity) == (3.0, 4.0, "warning")
    breakdown = doc(17, "南非留学生：12人；老挝留学生：5人")
    assert [r for r in run(gx, "arithmetic", breakdown) if r.rule == "annex.remark_lists_value"] == []


def test_a_pair_indicator_and_the_part_in_brackets(gx: GxRuntime) -> None:
    """获授权专利 N 件（发明专利 M 件）: two claims, against the second number of each 申请/授权 pair."""
    pairs = [
        ind("SV05", "专利申请/授权数量", "2021年", 144, "项", kind="pair", value2=394, printed_unit="项/项"),
        ind("SV05.1", "其中：发明专利申请/授权数量", "2021年", 92, "项", kind="pair", value2=101, row=1),
    ]

    def doc(a: str, b: str) -> Document:
        return report(("科研", f"全年学校获授权专利 {a} 件（发明专利 {b} 件）。"), indicators=pairs)

    assert failed(gx, "consistency", doc("394", "101"), "annex.restates_text") == []
    got = failed(gx, "consistency", doc("400", "92"), "annex.restates_text")
    assert sorted((f.column, f.expected, f.observed) for f in got) == [
        ("专利申请/授权数量｜2021年｜B", 394.0, 400.0),
        ("其中：发明专利申请/授权数量｜2021年｜B", 101.0, 92.0),
    ]


def test_an_amount_in_another_scale_named_by_its_clause(gx: GxRuntime) -> None:
    """到款 160.3 万元 after 开展横向技术服务 49 项 names 横向技术服务到款额 (printed 万元, stored 元)."""
    money = [
        ind("SV02", "横向技术服务到款额", "2021年", 17870600, "万元", base_unit="元", value_text="1787.06"),
        ind("SV02", "横向技术服务到款额", "2020年", 23647900, "万元", base_unit="元", value_text="2364.79"),
    ]

    def doc(amount: str) -> Document:
        return report(("服务", f"学校开展横向技术服务 49 项，到账经费 {amount}。"), indicators=money)

    assert failed(gx, "consistency", doc("1787.06 万元"), "annex.restates_text") == []
    [f] = failed(gx, "consistency", doc("0.16 亿元"), "annex.restates_text")
    assert (f.expected, f.observed) == (17870600.0, 16000000.0) and "1787.06万元" in f.message_en


def test_a_subject_ending_in_an_indicator_name_or_with_a_modifier_inside(gx: GxRuntime) -> None:
    """…从事工作与所学专业的相关度 ends in 专业相关度 (a catalog alias), 用人单位对本校毕业生的满意度 is
    用人单位对毕业生满意度 with 本校 inside; 成人教育在校生 names no indicator."""
    rel = [
        ind("SC04", "理工农医类专业相关度", "2021年", 90.1, "%", kind="percent", table_id="annex-1"),
        ind("SC07", "雇主满意度", "2021年", 97.5, "%", kind="percent", table_id="annex-1", row=1),
    ]
    students = [ind("SV01", "全日制在校生人数", "2021年", 9874), ind("IN01", "全日制国(境)外留学生人数", "2021年", 12)]

    def doc(pct: str, foreign: str, employer: str) -> Document:
        text = (
            f"2021届毕业生从事的工作与所学专业的相关度为 {pct}%。2021年成人教育在校生 1990 人。"
            f"学校招收泰国机电专业学历留学生 {foreign} 人。用人单位对本校毕业生的满意度为 {employer}%。"
        )
        return report(("就业", text), indicators=rel + students)

    assert failed(gx, "consistency", doc("90.1", "12", "97.5"), "annex.restates_text") == []
    got = failed(gx, "consistency", doc("70.5", "15", "99.1"), "annex.restates_text")
    assert sorted((f.column, f.expected, f.observed) for f in got) == [
        ("全日制国(境)外留学生人数｜2021年", 12.0, 15.0),
        ("理工农医类专业相关度｜2021年", 90.1, 70.5),
        ("雇主满意度｜2021年", 97.5, 99.1),
    ]


def test_a_cohort_head_count_is_not_the_colleges_but_a_cohort_count_of_clubs_is(gx: GxRuntime) -> None:
    clubs = [ind("FB06.1", "学生社团数", "2021级", 49, "个"), ind("FB01", "全日制在校生人数", "2021级", 6074)]
    ok = report(("学生", "学校现有学生社团 49 个，全日制在校学生 17459 人。"), indicators=clubs)
    assert failed(gx, "consistency", ok, "annex.restates_text") == []
    [f] = failed(
        gx, "consistency", report(("学生", "学校现有学生社团 54 个。"), indicators=clubs), "annex.restates_text"
    )
    assert (f.expected, f.observed) == (49.0, 54.0)


def test_figures_naming_an_indicator_without_a_value_are_counted(gx: GxRuntime) -> None:
    both = [ind("SV01", "全日制在校生人数", "2021年", 17459)]
    ok = report(("概况", "学校现有全日制在校学生 17459 人。"), indicators=both)
    assert failed(gx, "consistency", ok, "annex.text_unmatched") == []
    text = "学校现有全日制在校学生 17459 人。与某大学合作办学项目，在校生为 242 人。学校毕业生人数 5000 人。"
    [f] = failed(gx, "consistency", report(("概况", text), indicators=both), "annex.text_unmatched")
    assert f.severity == "info" and f.observed == 2.0
    assert "在校生242人" in f.message_en and "毕业生人数5000人" in f.message_en


def test_the_same_quantity_stated_twice(gx: GxRuntime) -> None:
    def doc(second: str) -> Document:
        return report(
            ("概况", "学校开设招生专业 48 个，开展团体心理辅导 30 余次。"),
            ("专业建设", f"2021年学校招生专业 {second} 个。"),
            ("心理健康", "2021年开展团体心理辅导 35 次。"),
        )

    assert failed(gx, "consistency", doc("48"), "text.restates_text") == []
    [f] = failed(gx, "consistency", doc("45"), "text.restates_text")
    assert (f.target, f.expected, f.observed, f.page) == ("sec-2", 48.0, 45.0, 2)
    assert "sec-1 p.1" in f.message_en and "sec-2 p.2" in f.message_en


def test_heads_of_longer_names_cumulative_figures_measures_and_projects_are_left_out(gx: GxRuntime) -> None:
    doc = report(
        ("概况", "学校设有 11 个二级学院和教学单位，累计培养毕业生 30000 人。开展讲座，参与人数 800 人。"),
        ("育人", "2021年全校 9 个二级学院参与活动，当年毕业生人数 4900 人。举办竞赛，参与人数 300 人。"),
        ("合作", "与某企业共建实训基地，招生专业 3 个。学校招生专业 40 个。"),
        ("专业", "2021年学校招生专业 40 个。"),
    )
    checked = [r for r in run(gx, "consistency", doc) if r.rule == "text.restates_text"]
    assert [(r.column, r.success) for r in checked] == [("招生专业", True)]


def test_impossible_years_in_the_text(gx: GxRuntime) -> None:
    ok = report(("就业", "2021届毕业生就业率为 96%，预计2023年3月完成，到2035年建成一流学校。"))
    assert failed(gx, "values", ok, "text.year_plausible") == []
    bad = report(("就业", "20211届毕业生在本地就业，2025级新生已报到。"))
    got = failed(gx, "values", bad, "text.year_plausible")
    assert sorted(f.observed for f in got) == ["20211届", "2025级"]


def test_a_share_above_100_in_the_text(gx: GxRuntime) -> None:
    ok = report(("就业", "毕业生就业率为 96.5%，营业收入增长 150%。"))
    assert failed(gx, "values", ok, "value.percent_range") == []
    [f] = failed(gx, "values", report(("就业", "毕业生就业率为 106.5%。")), "value.percent_range")
    assert f.observed == "106.5%"


def test_a_negative_count_in_the_text(gx: GxRuntime) -> None:
    """A count printed with a minus sign is impossible; a change (减少 -551 人, 同比 -3 项) is not a count."""
    ok = report(("招生", "2021年学校录取新生 6362 人，较上年减少 -551 人，新增专业同比 -3 个。"))
    judged = [r for r in run(gx, "values", ok) if r.rule == "text.count_not_negative"]
    assert judged and all(r.success for r in judged)
    bad = report(("师资", "学校现有专任教师 －12 人，外聘教师 30 人。"))
    [f] = failed(gx, "values", bad, "text.count_not_negative")
    assert (f.observed, f.severity, f.page) == ("-12人", "warning", 1) and "专任教师" in f.message_zh


FUNDING = [
    ind("PO01", "年生均财政拨款水平", "2020年", 15000.0, "元", table_id="annex-6", value_text="15000.00"),
    ind("PO01", "年生均财政拨款水平", "2021年", 16200.0, "元", table_id="annex-6", value_text="16200.00"),
]  # × 在校生 9120 (2020) and 9874 (2021): 1.368 亿元 and 1.600 亿元


def derived(gx: GxRuntime, text: str, indicators: list[Indicator] = STUDENTS + FUNDING) -> dict[str, list[Any]]:
    """Every row of the two per-student rules and the unmatched count, for one section of text."""
    results = run(gx, "consistency", report(("经费", text), indicators=indicators))
    rules = ("annex.derived_total_period", "annex.derived_total_bound", "annex.text_unmatched")
    return {rule: [r for r in results if r.rule == rule] for rule in rules}


def test_a_total_dated_one_year_equal_to_another_years_derived_total(gx: GxRuntime) -> None:
    """年生均财政拨款水平 × 全日制在校生人数 per year is 1.368 亿元 (2020) and 1.600 亿元 (2021): a
    财政拨款 total dated 2020 that equals 2021's product (to its printed precision, in any scale)
    belongs to 2021; equal to its own year's, or to neither, it is not another year's figure."""
    [f] = [r for r in derived(gx, "2020年学校财政拨款收入 1.60 亿元。")["annex.derived_total_period"] if not r.success]
    assert (f.severity, f.column, f.expected, f.observed) == (
        "warning",
        "年生均财政拨款水平 × 全日制在校生人数｜2020年",
        136800000.0,
        160000000.0,
    )
    assert "the text's 2020年 figure equals the derived total of 2021年" in f.message_en
    assert "16200.00元 × 9874人 = 1.600亿元" in f.message_en and "15000.00元 × 9120人 = 1.368亿元" in f.message_en
    for text in ("2021年学校财政拨款收入 1.60 亿元。", "学校获得财政投入 15996 万元。", "2020年财政拨款 1.37 亿元。"):
        judged = derived(gx, text)["annex.derived_total_period"]
        assert judged and all(r.success for r in judged), text
    # the report's period for an undated total: 1.368 亿元 is 2020's, not this year's
    [f] = [r for r in derived(gx, "学校财政投入 13680 万元。")["annex.derived_total_period"] if not r.success]
    assert (f.column, f.expected) == ("年生均财政拨款水平 × 全日制在校生人数｜2021年", 159958800.0)
    # dated after every annex period (2022年, the report year): another year's product only is that year's figure
    [f] = [r for r in derived(gx, "2022年学校财政拨款收入 1.60 亿元。")["annex.derived_total_period"] if not r.success]
    assert f.column.endswith("｜2022年") and "derived total of 2021年" in f.message_en
    later = derived(gx, "2022年学校财政拨款收入 1.75 亿元。")
    assert later["annex.derived_total_period"] == later["annex.derived_total_bound"] == []
    assert "later period" in later["annex.text_unmatched"][0].message_en
    # 生均 itself and a change (较上年 … 增加) are not the total
    quiet = derived(gx, "生均财政拨款 16200 元，较上年财政拨款增加 0.23 亿元。")
    assert quiet["annex.derived_total_period"] == quiet["annex.derived_total_bound"] == []


def test_a_total_below_the_amount_per_student_times_the_full_time_head_count(gx: GxRuntime) -> None:
    """The official 生均 divides by 折合在校生, never fewer than the 全日制 head count: a stated total
    below 生均 × 全日制在校生 of its year implies fewer students than the annex counts; above it is
    what the definition allows, however far."""
    for text in ("2021年学校取得财政拨款 1.60 亿元。", "2021年学校取得财政拨款 2.45 亿元。"):
        [ok] = derived(gx, text)["annex.derived_total_bound"]
        assert ok.success and ok.expected == 159958800.0, text
    [f] = derived(gx, "2021年学校取得财政拨款 1.52 亿元。")["annex.derived_total_bound"]
    assert (f.success, f.severity, f.expected, f.observed) == (False, "warning", 159958800.0, 152000000.0)
    assert "折合在校生 9383 人" in f.message_zh and "全日制在校生人数 9874" in f.message_zh
    equipment = [
        ind("TR08", "生均教学科研仪器设备值", p, v, "元/生", table_id="annex-3", value_text=str(v))
        for p, v in (("2020年", 11500), ("2021年", 12000))
    ]  # × 9120 and 9874: 10488 and 11848.8 万元
    [ok] = derived(gx, "学校教学仪器设备资产总值 12260.5 万元。", STUDENTS + equipment)["annex.derived_total_bound"]
    assert ok.success
    [f] = derived(gx, "学校教学仪器设备资产总值 11650.0 万元。", STUDENTS + equipment)["annex.derived_total_bound"]
    assert not f.success and f.expected == 118488000.0
    # the public report's A14 figures: 27676.01 万元 is 2.3 % above 15500 × 17459 (折合在校生 17855): consistent
    report_annex = [
        ind("SV01", "全日制在校生人数", "2020年", 15193),
        ind("SV01", "全日制在校生人数", "2021年", 17459),
        *(
            ind("TR08", "生均教学科研仪器设备值", p, v, "元/生", table_id="annex-3", value_text=str(v))
            for p, v in (("2020年", 14540), ("2021年", 15500))
        ),
    ]
    a14 = derived(gx, "学校教学科研仪器设备总值 27676.01 万元。", report_annex)
    assert [r.success for r in a14["annex.derived_total_period"] + a14["annex.derived_total_bound"]] == [True, True]


def test_totals_naming_a_per_student_amount_without_a_product_are_counted(gx: GxRuntime) -> None:
    """A 财政拨款 total with no 生均 value in the annex, or about a project, found nothing to compare:
    the unmatched summary counts it, so the rule is not silent."""
    [f] = derived(gx, "学校取得财政拨款 1.60 亿元。", STUDENTS)["annex.text_unmatched"]
    assert (f.success, f.observed) == (False, 1.0) and "财政拨款1.60亿元" in f.message_en
    assert "no annex value" in f.message_en
    [f] = derived(gx, "该合作项目获得财政投入 0.2 亿元。")["annex.text_unmatched"]
    assert f.observed == 1.0 and "scope" in f.message_en
    [ok] = derived(gx, "2021年学校取得财政拨款 1.60 亿元。")["annex.text_unmatched"]
    assert ok.success


# ---- two synthetic reports, worded unlike the public one ---------------------------------------------

SYNTHETIC_ANNEX = [
    ind("SV01", "全日制在校生人数", "2020年", 9120),
    ind("SV01", "全日制在校生人数", "2021年", 9874),
    ind("SV01.1", "毕业生人数", "2021年", 2811, row=1),
    ind("SV01.1", "毕业生人数", "2020年", 2650, row=1),
    ind("SV06", "专利成果转化数量", "2020年", 5, "项", row=2),
    ind("SV06", "专利成果转化数量", "2021年", 9, "项", row=2),
    ind("SV07", "专利成果转化到款额", "2020年", 86000, "万元", base_unit="元", value_text="8.60", row=3),
    ind("SV07", "专利成果转化到款额", "2021年", 132000, "万元", base_unit="元", value_text="13.20", row=3),
    ind("PO02.1.1", "专任教师总数", "2021年", 600, table_id="annex-6"),
    ind("TR02", "双师素质专任教师比例", "2021年", 82.4, "%", kind="percent", table_id="annex-3", value_text="82.40"),
    ind("TR02", "双师素质专任教师比例", "2020年", 80.1, "%", kind="percent", table_id="annex-3", value_text="80.10"),
    *FUNDING,
]


def aid_table(endeavour: str) -> Table:
    """学生资助 as a body table: 国家奖学金 8 × 8000 元, 国家励志奖学金 95 × 5000 元 (national_rates.json)."""
    rows = [["国家奖学金", "8", "6.40"], ["国家励志奖学金", "95", endeavour], ["国家助学金", "610", "201.30"]]
    return body_table("学生资助情况", 6, [["项目", "受助人数", "资助金额（万元）"]], rows)


def synthetic(planted: bool) -> Document:
    """A college's report in other words; `planted` changes one figure of each kind."""
    students, majors, transfer, second, cohort, share, ratio, endeavour, spent, grant = (
        ("10250", "41", "5", "39", "20221", "102.5", "4:1", "49.50", "2020", "2020年，学院获得财政拨款收入 1.60")
        if planted
        else ("9874", "41", "9", "41", "2021", "97.8", "3:1", "47.50", "2021", "2021年，学院获得财政拨款收入 1.65")
    )
    return sections_report(
        [
            ("学院简介", f"本院全日制在校学生共计 {students} 人，开设招生专业 {majors} 个，“双师型”教师比例为 82.4%。"),
            ("就业质量", f"{cohort}届毕业生人数 2811 人，毕业生对母校的满意率为 {share}%。"),
            ("专业布局", f"2021年本院招生专业 {second} 个，覆盖装备制造、电子信息等大类。"),
            ("社会服务", f"全年学院专利转化 {transfer} 项，转化金额 13.2 万元。"),
            ("师资队伍", f"学院有专任教师 600 人，企业兼职教师 200 人，专兼比为 {ratio}。"),
            ("资助育人", "学院落实国家资助政策，各项资助见表 1。"),
            ("办学经费", f"{spent}年，学院总收入 2.6 亿元，用于设备采购 0.5 亿元、校舍维修 0.3 亿元。"),
            ("财政投入", f"{grant} 亿元，生均拨款逐年提高。"),
        ],
        SYNTHETIC_ANNEX,
        tables=[aid_table(endeavour)],
    )


def test_a_consistent_synthetic_report_raises_no_warning(gx: GxRuntime) -> None:
    doc = synthetic(planted=False)
    judged = run(gx, "consistency", doc) + run(gx, "values", doc) + run(gx, "arithmetic", doc)
    assert [r for r in judged if not r.success] == []
    compared = {r.rule for r in judged}
    assert {
        "amount.national_rate",
        "text.section_period",
        "annex.restates_text",
        "annex.text_stale",
        "text.restates_text",
        "text.ratio_reduces",
        "annex.text_unmatched",
        "annex.derived_total_period",
        "annex.derived_total_bound",
    } <= compared


def test_a_synthetic_report_with_planted_disagreements_is_caught(gx: GxRuntime) -> None:
    doc = synthetic(planted=True)
    judged = run(gx, "consistency", doc) + run(gx, "values", doc) + run(gx, "arithmetic", doc)
    bad = {(r.rule, r.observed) for r in judged if not r.success}
    assert bad == {
        ("amount.national_rate", 495000.0),  # 95 × 5000 元 is 47.50 万元, the table says 49.50
        ("text.section_period", 2020.0),  # 办学经费 dates its money 2020 only, the report covers 2021
        ("annex.restates_text", 10250.0),  # 在校生 against the annex's 2021 value
        ("annex.text_stale", 5.0),  # 专利转化 5 项 = the annex's 2020 figure
        ("text.restates_text", 39.0),  # 招生专业 41 in the overview, 39 in 专业布局
        ("text.year_plausible", "20221届"),  # a five-digit cohort
        ("value.percent_range", "102.5%"),  # a satisfaction rate above 100
        ("text.ratio_reduces", 3.0),  # 专兼比 4:1 for 600 and 200 teachers
        ("annex.derived_total_period", 160000000.0),  # 2020年 财政拨款 = 2021's 16200.00 元 × 9874 人 = 1.600 亿元
    }


def test_a_ratio_reduces_to_the_parts_the_sentence_states(gx: GxRuntime) -> None:
    def doc(ratio: str) -> Document:
        return report(("师资", f"学校现有专任教师 500 人，在校学生 9000 人，生师比为 {ratio}。"))

    assert failed(gx, "consistency", doc("18:1"), "text.ratio_reduces") == []
    assert failed(gx, "consistency", doc("1:17以上"), "text.ratio_reduces") == []
    [f] = failed(gx, "consistency", doc("20:1"), "text.ratio_reduces")
    assert (f.expected, f.observed, f.page) == (20.0, 18.0, 1)
    other_units = report(("就业", "组织 1622 家企业参与招聘，提供岗位 58868 个，供需比达 1:11 以上。"))
    assert [r for r in run(gx, "consistency", other_units) if r.rule == "text.ratio_reduces"] == []
