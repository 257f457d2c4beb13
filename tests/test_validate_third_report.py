"""A third synthetic report the rules were not written against: another college (广西, a 自治区,
where 市级 is a city's level, not the provincial one), other wording (学院/本院, 截至…底, 区赛 as
自治区级), a body table of awards and an annex. Consistent, it raises no warning; with one planted
disagreement of each rule kind (an award at a fixed national rate among them, an equipment total below 生均 ×
在校生), exactly the planted ones are flagged.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.model import Document, Indicator
from pipeline.validate.stage import build_frames
from pipeline.validate.suites import GxRuntime, new_runtime

from .validate_helpers import body_table, sections_report
from .validate_helpers import indicator as ind

PARAMS = {"min_year": 1900, "max_year": 2022, "period_min": 2018, "period_max": 2022, "text_year_max": 2023}
GUANGXI_SCHOOL_CODE = "4145010001"  # a 学校标识码: region digits 45 = 广西壮族自治区
CHONGQING_SCHOOL_CODE = "4150010001"  # the same college placed in 重庆 (a 直辖市), to show 市级 is read by province

AWARDS = body_table(
    "学生技能竞赛获奖统计",
    2,
    [
        ["赛项", "国家级（项）", "国家级（项）", "省级（项）", "省级（项）"],
        ["赛项", "一等奖", "二等奖", "一等奖", "二等奖"],
    ],
    [
        ["职业院校技能大赛", "1", "2", "4", "6"],
        ["创新创业大赛", "0", "1", "3", "5"],
        ["合计", "1", "3", "7", "11"],
    ],
)

CONSISTENT = {
    "students": "10450",
    "majors_again": "45",
    "fairs": "12",
    "cohort": "2021",
    "satisfaction": "97.3",
    "bases": "86",
    "ratio": "20:1",
    "teaching_total": "9",
    "provincial_second": "11",
    "provincial_total": "18",
    "service": "538.2",
    "employment_bound": "95",
    "remark": "；".join(["韦某在东盟职教联盟任理事", "黄某在某国职教组织任培训师", "陆某在某国际协会任委员"]),
    "club_unit": "个",
    "endeavour": "43",
    "budget_year": "2021",
    "equipment": "13260.5",
}
PLANTED = {
    "students": "10540",  # annex.restates_text: neither the 2021 nor the 2020 value
    "majors_again": "43",  # text.restates_text: 45 in the overview
    "fairs": "15",  # text.restates_text, by place: the summary of 就业 restated with 15 instead of 12
    "cohort": "2024",  # text.year_plausible: a cohort after the report year + 1
    "satisfaction": "103.2",  # value.percent_range
    "bases": "－86",  # text.count_not_negative
    "ratio": "18:1",  # text.ratio_reduces: 10450 / 520 is 20.1
    "teaching_total": "8",  # text.parts_within_total: 2 + 3 + 4 = 9
    "provincial_second": "10",  # text.restates_table: 表 1 合计 省级 二等奖 11 (and the total 18)
    "provincial_total": "17",
    "service": "412.5",  # annex.text_stale: dated 2022年, equal to the annex's 2020 value
    "employment_bound": "98",  # annex.meets_text_bound: 98% 以上 but the annex says 96.1
    "remark": CONSISTENT["remark"] + "；在某国际组织任顾问",  # annex.remark_lists_value: 4 listed, 3 counted
    "club_unit": "人",  # value.unit_matches_template: 学生社团数 in 人
    "endeavour": "46",  # amount.national_rate: 86 students × 5000 元 is 43 万元
    "budget_year": "2020",  # text.section_period: the section's money all of the year before the report's
    "equipment": "11890.0",  # annex.derived_total_bound: below 12000 元/生 × 10450 全日制在校生 = 12540 万元
}
EXPECTED_FAILURES = {
    ("annex.restates_text", "全日制在校生人数｜2021年", 10450.0, 10540.0),
    ("text.restates_text", "高职专业", 45.0, 43.0),
    ("text.restates_text", "校园招聘会", 12.0, 15.0),
    ("text.year_plausible", "2024届", None, None),
    ("value.percent_range", "毕业生对学院的总体满意率", None, None),
    ("text.count_not_negative", "新建校外实训基地", None, None),
    ("text.ratio_reduces", "生师比", 18.0, None),
    ("text.parts_within_total", "获奖", 8.0, 9.0),
    ("text.restates_table", "省级（项）/二等奖", 11.0, 10.0),
    ("text.restates_table", "省级（项）/一等奖 + 省级（项）/二等奖", 18.0, 17.0),
    ("annex.text_stale", "横向技术服务到款额｜2021年", 5382000.0, 4125000.0),
    ("annex.meets_text_bound", "就业率｜2021年", None, None),
    ("annex.remark_lists_value", "在国(境)外组织担任职务的专任教师人数｜2021年", 3.0, 4.0),
    *(("value.unit_matches_template", f"学生社团数｜{p}", None, None) for p in ("2020级", "2021级")),
    ("amount.national_rate", "国家励志奖学金", 430000.0, 460000.0),
    ("text.section_period", "八、经费保障", 2021.0, 2020.0),
    ("annex.derived_total_bound", "生均教学科研仪器设备值 × 全日制在校生人数｜2021年", 125400000.0, 118900000.0),
}


def annex(v: dict[str, str]) -> list[Indicator]:
    money = [("2020年", 4125000, "412.50"), ("2021年", 5382000, "538.20")]
    return [
        ind("SV01", "全日制在校生人数", "2020年", 9800),
        ind("SV01", "全日制在校生人数", "2021年", 10450),
        ind("SV01.1", "毕业生人数", "2021年", 3105, row=1),
        *(ind("SV02", "横向技术服务到款额", p, x, "万元", base_unit="元", value_text=t, row=2) for p, x, t in money),
        ind("SV06", "专利成果转化数量", "2020年", 6, "项", row=3),
        ind("SV06", "专利成果转化数量", "2021年", 11, "项", row=3),
        ind("SC01", "就业率", "2021年", 96.1, "%", kind="percent", table_id="annex-1", value_text="96.10"),
        *(
            ind("TR08", "生均教学科研仪器设备值", p, x, "元/生", table_id="annex-3", value_text=str(x))
            for p, x in (("2020年", 11500), ("2021年", 12000))
        ),
        *(
            ind("FB06.1", "学生社团数", p, n, v["club_unit"], table_id="annex-2")
            for p, n in (("2020级", 38), ("2021级", 41))
        ),
        *(
            ind("IN05", "在国(境)外组织担任职务的专任教师人数", p, 3, table_id="annex-4", note=v["remark"])
            for p in ("2020年", "2021年")
        ),
    ]


def third_report(planted: bool, school_code: str = GUANGXI_SCHOOL_CODE) -> Document:
    v = PLANTED if planted else CONSISTENT
    texts = [
        (
            "一、学院概况",
            "本院坐落于南宁市，是自治区示范性高等职业院校。"
            f"本院现有全日制在校生 {v['students']} 人，开设高职专业 45 个。"
            f"本院现有专任教师 520 人，全日制在校生 10450 人，生师比 {v['ratio']}。"
            f"本院教学科研仪器设备资产总值 {v['equipment']} 万元。",
        ),
        (
            "二、学生成长",
            f"截至2021年底，本院学生在各类技能竞赛中获自治区级奖项 {v['provincial_total']} 项，其中一等奖 7 项，"
            f"二等奖 {v['provincial_second']} 项；获市级奖项 25 项，其中一等奖 7 项，二等奖 18 项。"
            f"{v['cohort']}届毕业生对学院的总体满意率为 {v['satisfaction']}%，"
            f"毕业生就业率达 {v['employment_bound']}% 以上。",
        ),
        (
            "三、就业服务",
            "本院全年开展就业指导讲座 36 场，举办校园招聘会 12 场，提供就业岗位 9800 个。",
        ),
        (
            "四、专业与师资",
            f"2021年，本院开设高职专业 {v['majors_again']} 个，新建校外实训基地 {v['bases']} 个。"
            f"2021年，教师在教学能力比赛中获奖 {v['teaching_total']} 项，其中一等奖 2 项、二等奖 3 项、三等奖 4 项。",
        ),
        (
            "五、服务贡献",
            f"2022年，本院面向中小企业开展横向技术服务，到款额 {v['service']} 万元。今年本院专利成果转化 11 项。",
        ),
        (
            "六、年度工作",
            f"2021年，本院举办就业指导讲座 36 场，组织线上线下招聘会 {v['fairs']} 场，提供岗位 9800 个。",
        ),
        (
            "七、学生资助",
            f"2020-2021学年，本院 86 名学生获评国家励志奖学金，奖励金额 {v['endeavour']} 万元。",
        ),
        (
            "八、经费保障",
            f"{v['budget_year']}年本院总收入 3.2 亿元，较上年增加 0.3 亿元。"
            f"{v['budget_year']}年，本院取得财政拨款 2.1 亿元，占总收入的 65.6%。",
        ),
    ]
    return sections_report(texts, annex(v), tables=[AWARDS], school="某某职业技术学院", school_code=school_code)


@pytest.fixture(scope="module")
def gx() -> GxRuntime:
    return new_runtime()


def results(rt: GxRuntime, doc: Document) -> list[Any]:
    built = {name: frame for name, frame in build_frames(doc).items() if name != "structure"}
    return [r for s in rt.suites if s.frame in built for r in rt.run_suite(s, built[s.frame], PARAMS).results]


def test_the_consistent_third_report_raises_no_warning(gx: GxRuntime) -> None:
    got = results(gx, third_report(planted=False))
    assert [(r.rule, r.column, r.observed) for r in got if not r.success and r.severity != "info"] == []
    judged = {r.rule for r in got}
    assert {rule for rule, *_ in EXPECTED_FAILURES} <= judged  # every rule planted below judged this report


def test_exactly_the_planted_disagreements_are_flagged(gx: GxRuntime) -> None:
    got = [r for r in results(gx, third_report(planted=True)) if not r.success and r.severity != "info"]

    def key(r: Any) -> tuple[str, str, float | None, float | None]:
        """Compared figures by their two values; single values (a year, a percentage) by where they are."""
        if r.rule == "text.year_plausible":
            return (r.rule, r.observed, None, None)
        if r.rule.startswith("value.") or r.rule in ("text.count_not_negative", "annex.meets_text_bound"):
            return (r.rule, r.column, None, None)
        if r.rule == "text.ratio_reduces":
            return (r.rule, r.column, r.expected, None)
        return (r.rule, r.column, r.expected, r.observed)

    assert {key(r) for r in got} == EXPECTED_FAILURES
    assert len(got) == len(EXPECTED_FAILURES)


def test_shi_ji_of_the_third_report_is_read_by_its_province(gx: GxRuntime) -> None:
    """The same consistent text placed in 重庆: 市级 is the provincial level there, so 市级奖项 25 项
    (一等奖 7, 二等奖 18) is compared with 表 1's 省级 columns (7, 11, 18) and disagrees; in 广西 it
    is a city's level and is not compared (the consistent report above raises no warning)."""
    in_chongqing = results(gx, third_report(planted=False, school_code=CHONGQING_SCHOOL_CODE))
    compared = [r for r in in_chongqing if r.rule == "text.restates_table"]
    bad = {(r.column, r.expected, r.observed) for r in compared if not r.success}
    assert bad == {("省级（项）/二等奖", 11.0, 18.0), ("省级（项）/一等奖 + 省级（项）/二等奖", 18.0, 25.0)}
