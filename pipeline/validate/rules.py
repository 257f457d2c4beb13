"""The words the validation rules look for, in one place: data, not logic.

These are what the national template and the way these reports are written have in common
(合计 rows, 其中 sub-items, 比例 columns, 报到率 = 报到数 / 录取数, 国家级/市级 award levels).
No rule anywhere in pipeline/validate may name a figure or a row of one particular report:
when a report words something differently, add the word here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# Row labels of total rows: 合计/总计 sum every row above; 小计 sums the rows since the last 小计.
TOTAL_LABELS: Final[tuple[str, ...]] = ("合计", "总计", "总数", "共计", "总和")
SUBTOTAL_LABELS: Final[tuple[str, ...]] = ("小计",)
TOTAL_LABEL_RE: Final = re.compile(r"^(?:" + "|".join(TOTAL_LABELS + SUBTOTAL_LABELS) + r")[:：]?$")

# A row or indicator printed as 其中：… is a part of the row it follows (never larger).
SUB_ITEM_RE: Final = re.compile(r"^\s*其中\s*[:：]?")

# Share columns: a percentage of a whole (the rows partition it, so the column sums to ~100).
SHARE_NAME_RE: Final = re.compile(r"比例|占比|比重|构成|分布|份额")
# …but a rate (报到率, 就业率) is not a share of a whole, even with a % unit.
RATE_NAME_RE: Final = re.compile(r"率")
# Columns that never add up: positions and codes.
NON_ADDITIVE_NAME_RE: Final = re.compile(r"序号|编号|代码|年份|时间|排名|名次|学年|年度|均|平均|率|比例|占比|比重")
# Row-label columns: the first text or date column that is not a sequence number.
ORDINAL_NAME_RE: Final = re.compile(r"^(?:序号|编号|No\.?)$")


@dataclass(frozen=True, slots=True)
class RatePair:
    """rate = numerator / denominator × 100, each named by the column or indicator words it may carry."""

    rate: tuple[str, ...]
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


RATE_PAIRS: Final[tuple[RatePair, ...]] = (
    RatePair(("报到率",), ("报到数", "报到人数", "实际报到数", "实际报到人数"), ("录取数", "录取人数", "实际录取数")),
    RatePair(("录取率",), ("录取数", "录取人数"), ("报考数", "报考人数", "计划数", "招生计划数")),
    RatePair(
        ("就业率", "毕业去向落实率"), ("就业人数", "就业数", "已就业人数"), ("毕业生人数", "毕业生数", "毕业人数")
    ),
    RatePair(("升学率",), ("升学人数", "升学数"), ("毕业生人数", "毕业生数", "毕业人数")),
    RatePair(("合格率", "通过率"), ("合格人数", "通过人数"), ("参考人数", "参加人数", "报考人数")),
    RatePair(("获证率", "取证率"), ("获证人数", "取证人数"), ("参考人数", "参加人数", "毕业生人数")),
)

# Annex indicators whose rate is computed from two other indicators of the template (same period).
ANNEX_RATE_CODES: Final[tuple[tuple[str, str, str], ...]] = (("SC01", "SV01.1.1", "SV01.1"),)
# Annex indicators bounded by another one besides their catalog parent (就业去向 ≤ 就业人数).
ANNEX_BOUNDS: Final[tuple[tuple[str, str], ...]] = (
    ("SV01.2.A", "SV01.1.1"),
    ("SV01.2.B", "SV01.1.1"),
    ("SV01.2.C", "SV01.1.1"),
    ("SV01.2.D", "SV01.1.1"),
)

# Text subjects that restate an annex indicator (matched on the fact's subject, then unit family).
# The subject must be one of these, after at most a generic lead (GENERIC_LEAD_RE); a figure whose
# sentence names no year is compared with the latest annex period.
ANNEX_TEXT_SUBJECTS: Final[dict[str, tuple[str, ...]]] = {
    "SV01": ("全日制在校生", "全日制在校学生", "全日制在校生人数"),
    "SV01.1": ("毕业生人数", "毕业生总数", "毕业生人数总计"),
    "SV01.1.1": ("已就业", "就业", "就业人数", "已就业人数"),
    "SC01": ("就业率", "毕业生就业率", "毕业去向落实率", "毕业生毕业去向落实率"),
    "SC03": ("月收入", "月均收入", "平均月收入", "毕业生月收入", "毕业生平均月收入"),
    "SC05": ("母校满意度", "毕业生对母校满意度"),
    "PO02.1": ("在岗教职工", "在岗教职员工", "在岗教职工总数"),
    "PO02.1.1": ("专任教师", "专任教师总数"),
    "TR02": ("“双师型”教师", "双师型教师", "双师素质专任教师", "“双师素质”教师"),
}
GENERIC_LEAD_RE: Final = re.compile(r"^(?:学校|全校|我校|本校|学院|现有|共有|目前)+")

# Units that count things: values must be whole and not negative.
COUNT_UNITS: Final[frozenset[str]] = frozenset(
    """人 人次 名 位 个 项 次 场 场次 门 部 篇 本 册 套 台 台套 件 所 家 支 种 类 条 届 期 批
    课次 门次 班 个班 户 村 辆 张""".split()
)
# Names of averages and ratios: a count unit on them does not make their values whole (课均学生数).
AVERAGE_NAME_RE: Final = re.compile(r"均|平均|率|比|每")
# Unit families: printed units that measure the same kind of thing (元 and 万元 are both money).
UNIT_FAMILIES: Final[dict[str, str]] = {
    **dict.fromkeys(("元", "万元", "亿元", "千元"), "money"),
    **dict.fromkeys(("人", "名", "位", "人次"), "people"),
    **dict.fromkeys(("个", "项", "件", "种", "所", "家", "支"), "items"),
    **dict.fromkeys(("门", "门次"), "courses"),
    **dict.fromkeys(("学时", "课时"), "hours"),
    **dict.fromkeys(("人日", "人天"), "person_days"),
    **dict.fromkeys(("课次",), "lessons"),
    **dict.fromkeys(("%", "％"), "percent"),
}
# Column names that carry a count of people without a unit in the header (人数 column, 人次 text).
PEOPLE_COLUMN_RE: Final = re.compile(r"人数|人次|学生数|名额")

# Sentences that state a cumulative figure (a total row, or a column total) rather than a year's.
CUMULATIVE_RE: Final = re.compile(r"截至|截止|累计|共计|合计|总计|总共|共有|共获|共荣获|共发放|历年|先后|共(?=\d)")
# Award levels: a column group 国赛 / 市赛 is told apart by the level the sentence names.
LEVEL_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "national": ("国家级", "全国", "国赛", "国家"),
    "provincial": ("省级", "市级", "省赛", "市赛", "赛区", "省部级", "省市级"),
    "international": ("国际", "世界", "国(境)外", "国（境）外", "境外"),
}
# A competition or event named in a sentence, and caption words that are not its name.
EVENT_RE: Final = re.compile(r"[\u4e00-\u9fff“”\"A-Za-z+]{2,40}?(?:大赛|竞赛|比赛|选拔赛|决赛|初赛|挑战赛|联赛|杯)")
CAPTION_NOISE_RE: Final = re.compile(
    r"^\d{4}(?:[-—–至]\d{4})?(?:学年|年度|年)?|获奖数量统计|获奖情况统计|获奖情况|获奖统计|数量统计|统计表|统计|情况表|情况|一览表|一览|汇总表|汇总"
)
EVENT_MATCH_MIN: Final = 0.7  # share of the caption's name bigrams an event named in the text must contain
# 其中 parts sharing a suffix this long are siblings (一等奖/二等奖/三等奖): they cannot sum above the total.
SIBLING_SUFFIX_MIN: Final = 2

# Plausible years: tables may go back to the college's founding; annex periods are the last few years.
MIN_YEAR: Final = 1900
ANNEX_PERIOD_SPAN: Final = 4  # annex periods lie within report_year - 4 … report_year

# Rounding tolerance for percentages restated from counts (in percentage points, on top of printing precision).
PERCENT_SUM_TOLERANCE: Final = 0.2


def unit_family(unit: str | None) -> str | None:
    """The family of a printed unit (元 and 万元 → money); an unknown unit is its own family."""
    if not unit:
        return None
    return UNIT_FAMILIES.get(unit, unit)


def level_of(text: str) -> str | None:
    """The award level a header or a sentence names last (国赛 → national, 重庆赛区 → provincial)."""
    best: tuple[int, str] | None = None
    for level, words in LEVEL_WORDS.items():
        for w in words:
            i = text.rfind(w)
            if i >= 0 and (best is None or i + len(w) > best[0]):
                best = (i + len(w), level)
    return best[1] if best else None
