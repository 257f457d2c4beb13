"""The words the validation rules look for, in one place: data, not logic.

These are what the national template and the way these reports are written have in common
(合计 rows, 其中 sub-items, 比例 columns, 报到率 = 报到数 / 录取数).
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

# Text subjects that restate an annex indicator (subjects.py): a count's subject names the
# indicator "<subject><quantity word>", a percentage's "<subject><share word>", after a generic lead.
QUANTITY_SUFFIXES: Final[tuple[str, ...]] = ("人数", "数", "总数", "数量")
QUANTITY_CORE_RE: Final = re.compile(r"(?:人数|总数|数量|数)?(?:总计|合计|共计)?$")
SHARE_SUFFIXES: Final[tuple[str, ...]] = ("比例", "率")
SHARE_CORE_RE: Final = re.compile(r"(?:比例|占比|比重)$")
SUBJECT_ENDING_MIN: Final = 4  # a subject ending in an indicator's name names it when the name is this long
MODIFIED_HEAD_MIN: Final = 4  # a name with a modifier inside: its head this long …
MODIFIED_TAIL_MIN: Final = 3  # … its tail this long …
MODIFIER_MAX: Final = 4  # … and at most this many characters between them
GENERIC_LEAD_RE: Final = re.compile(
    r"^(?:学校|全校|我校|本校|学院|本院|我院|全院|现有|共有|目前|本年度|本年|今年|全年|年度)+"
)
# The annex states the college's own figures: a text figure restates one only in a sentence whose
# subject is the college (学校/我校 …, after a time lead), not a project, a programme or a partner.
SCHOOL_SENTENCE_RE: Final = re.compile(
    r"^(?:(?:19|20)\d{2}(?:年度?|学年)?|目前|近年来|当前|截至[^，,。；]{0,20}|截止[^，,。；]{0,20})?[，,]?"
    r"(?:学校|我校|全校|本校|学院|我院|本院|全院)"
)
# A sentence about a programme, a project or a partner states its figures, not the college's,
# unless it starts with the college as its subject (SCHOOL_SENTENCE_RE).
SCOPE_RE: Final = re.compile(r"项目|合作办学|工坊|联盟|集团|基地|协会|分院|中心")
# Words that date a figure relative to the report's own period (the annex's latest): this year's
# (今年, 本年度) or the year before (去年, 上年度). 较去年 / 比上年 compare with that year, they do not date the figure.
CURRENT_YEAR_RE: Final = re.compile(r"今年|本年度?|当年|本学年")
PREVIOUS_YEAR_RE: Final = re.compile(r"(?<![较比与同以])(?:去年|上一?年度?|上学年|前一年)")
# An explicit year label before a figure (as facts.py dates a fact: 2021年, 2021届, 2020-2021学年).
YEAR_LABEL_RE: Final = re.compile(r"(?:19|20)\d{2}(?:-\d{4}学年|年度|学年|年|届|级)")
# The template names the college's own province 本省 (毕业生本省就业比例); the text names it (在重庆市内就业).
HOME_PROVINCE_WORD: Final = "本省"
# Annex periods that are cohorts (2021级, 2021届: one intake) are not the college's figures for a year.
COHORT_PERIOD_RE: Final = re.compile(r"级|届")

# A measure named alone (到账经费 160.3 万元) is the measure of the topic of the clause before it
# (签订横向技术服务 49 项，…): the two are joined to name the indicator.
MEASURE_ONLY_MAX: Final = 6  # a subject this short may be a bare measure
# 其中 and parenthesised parts: "共有 X N 个（其中 Y M 个）" states a total and one of its parts.
PAREN_OPEN: Final = "（("
PAREN_CLOSE: Final = "）)"

# The same quantity stated twice: subjects shorter than this (一等奖, 专业) name too little to be the same.
TEXT_SUBJECT_MIN: Final = 4
# …and without its measure word (参与人数 → 参与) a subject must still name a topic this long.
TEXT_MEASURE_RE: Final = re.compile(r"(?:人数|人次|总数|数量|次数|金额|经费|数)$")
TEXT_TOPIC_MIN: Final = 3
# Two sentences restating one quantity with at least this many figures in the same order and units
# (覆盖率 %, 接待量 人/次, 团体辅导 次, 参与人数 人) restate the others too.
PARALLEL_MIN: Final = 3
REPORTED_YEAR_LAG: Final = 1  # the report of year N covers year N-1 (its annex's latest column)

# A section dating at least this many of its figures, and this share of them, states a period: the report's
# (periods.py). Fewer dated figures leave the others' year open (a year named once dates its sentence only).
SECTION_DATED_MIN: Final = 3
SECTION_DATED_SHARE: Final = 2 / 3

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
# Award levels (国家级, 省级, 市级 …) depend on the college's province: see provinces.py / provinces.json.
# A competition or event named in a sentence, and caption words that are not its name.
EVENT_RE: Final = re.compile(r"[\u4e00-\u9fff“”\"A-Za-z+]{2,40}?(?:大赛|竞赛|比赛|选拔赛|决赛|初赛|挑战赛|联赛|杯)")
CAPTION_NOISE_RE: Final = re.compile(
    r"^\d{4}(?:[-—–至]\d{4})?(?:学年|年度|年)?|获奖数量统计|获奖情况统计|获奖情况|获奖统计|数量统计|统计表|统计|情况表|情况|一览表|一览|汇总表|汇总"
)
EVENT_MATCH_MIN: Final = 0.7  # share of the caption's name bigrams an event named in the text must contain
# 其中 parts sharing a suffix this long are siblings (一等奖/二等奖/三等奖): they cannot sum above the total.
SIBLING_SUFFIX_MIN: Final = 2

# Years in the text: a cohort (2021届/级), a month (2021年11月) or a year of five digits (20201届).
COHORT_WORDS: Final[tuple[str, ...]] = ("届", "级")
TEXT_YEAR_RE: Final = re.compile(r"(?<![\d.:/-])(?P<year>(?:1[89]|2\d)\d{2}\d?)(?P<tail>届|级|年(?P<month>\d{1,2}月)?)")
TEXT_YEAR_SPAN: Final = 1  # a cohort or date may be the year after the report year (预计 2022 年招生), no later
# Text percentages that are shares or rates of a whole (not a growth: 增长 150%).
TEXT_SHARE_RE: Final = re.compile(r"比例|占比|比重|率$|度$")
GROWTH_RE: Final = re.compile(r"增长|增幅|增加|提高|提升|同比|环比|较|超过|倍")
# A count stated with a minus sign is impossible, unless its clause states a change (减少 -5 人).
CHANGE_RE: Final = re.compile(GROWTH_RE.pattern + r"|减少|下降|降低|增减|变化|变动|净增|差")
CLAUSE_DELIMS: Final = "，,；;：:。！？!?"

# Plausible years: tables may go back to the college's founding; annex periods are the last few years.
MIN_YEAR: Final = 1900
ANNEX_PERIOD_SPAN: Final = 4  # annex periods lie within report_year - 4 … report_year

# An annex remark listing at least this many items (；-separated, no quantity in them) lists what its row counts.
REMARK_ITEMS_MIN: Final = 2

# Awards at a fixed national rate (national_rates.json): the amount paid is the recipients times the rate.
# A clause naming another aid (奖学金, 助学金, 资助 …) between the count and the amount is about that aid.
AID_NAME_RE: Final = re.compile(r"奖学金|助学金|资助|补助|补贴|贷款|代偿|减免|慰问金")
# A count's subject names the award's recipients: 获国家奖学金, 国家奖学金获得者, 获得国家励志奖学金的学生.
AWARD_RECIPIENTS_RE: Final = re.compile(r"(?:的)?(?:学生|同学|人数|获得者|获奖者|获奖学生)?$")
# An amount per student (每生每年 8000 元, 8000 元/人, a 资助标准 column) is the rate itself, not a payment.
PER_HEAD_RE: Final = re.compile(r"每生|每人|每名|人均|生均|/人|/生|标准|单价|定额|额度")
# The school year a table or sentence dates its awards with (2020-2021学年 → 2020), else a year (2021年 → the
# school years 2020 and 2021, whose awards are paid in that year).
SCHOOL_YEAR_RE: Final = re.compile(r"((?:19|20)\d{2})\s*[-—–~至]\s*(?:(?:19|20)\d{2}|\d{2})\s*学年")
CALENDAR_YEAR_RE: Final = re.compile(r"((?:19|20)\d{2})\s*(?:年度|年)")

# Rounding tolerance for percentages restated from counts (in percentage points, on top of printing precision).
PERCENT_SUM_TOLERANCE: Final = 0.2


def unit_family(unit: str | None) -> str | None:
    """The family of a printed unit (元 and 万元 → money); an unknown unit is its own family."""
    if not unit:
        return None
    return UNIT_FAMILIES.get(unit, unit)
