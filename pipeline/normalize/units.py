"""The report type's vocabulary of quantities: units, scale words, qualifiers, null cells.

Data, not logic: numbers.py reads these tables. Add a unit or qualifier here when a report prints
one that is missing; nothing else needs to change.
"""

from __future__ import annotations

from typing import Final, Literal

Qualifier = Literal["approx", "nearly", "more_than", "at_least", "less_than", "at_most"]

# Measure words and units printed after numbers in these reports (longest match wins, so 人次
# beats 人 and 千瓦 is a unit, not 千 × 瓦). Compound units (元/生, 人/次) are matched as a whole.
UNITS: Final[frozenset[str]] = frozenset(
    """
    元 人 人次 人日 人天 名 位 个 项 次 场 场次 门 部 篇 本 册 套 台 台套 件 所 家 支 种 类 条
    届 期 批 年 个月 月 周 天 日 小时 学时 课时 课次 学分 分 分钟 秒 岁 倍 户 村 镇 县 省 座 栋 间
    平方米 ㎡ 亩 公顷 米 公里 千米 千克 公斤 吨 千瓦 兆瓦 Mbps Gbps Kbps GB TB MB
    元/生 元/人 个/生 人/次 次/周 次/年 元/月 元/年 项/项 分/人 册/生 平方米/生 台/生 学时/人 个百分点
    百分点 辆 张 幅 首 集 门次 班 个班 所次 学年 周年
    """.split()
)

# Scale words printed between a number and its unit (5649.31 万元). Longest first when matching.
SCALES: Final[dict[str, int]] = {
    "千万": 10_000_000,
    "百万": 1_000_000,
    "十万": 100_000,
    "亿": 100_000_000,
    "万": 10_000,
    "千": 1_000,
}

# Qualifier words by where they are printed. Each maps to the normalized enum.
PREFIX_QUALIFIERS: Final[dict[str, Qualifier]] = {
    "大约": "approx",
    "约": "approx",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "超过": "more_than",
    "多于": "more_than",
    "高于": "more_than",
    "大于": "more_than",
    "逾": "more_than",
    "超": "more_than",
    "不少于": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "不足": "less_than",
    "不到": "less_than",
    "少于": "less_than",
    "低于": "less_than",
    "小于": "less_than",
    "不超过": "at_most",
    "不高于": "at_most",
    "至多": "at_most",
    "最多": "at_most",
}
# 余/多 sit between the number and its scale or unit: 500余人, 6000余万元, 300多所.
INFIX_QUALIFIERS: Final[dict[str, Qualifier]] = {"余": "more_than", "多": "more_than"}
SUFFIX_QUALIFIERS: Final[dict[str, Qualifier]] = {
    "以上": "at_least",
    "及以上": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
    "以内": "at_most",
    "左右": "approx",
    "上下": "approx",
}

# Cells that print "no value": dashes, slashes and the words for empty/none.
NULL_TEXTS: Final[frozenset[str]] = frozenset(
    ["", "-", "--", "—", "——", "–", "－", "―", "/", "／", "\\", "空", "无", "暂无", "N/A", "n/a", "NA", "null", "×"]
)

# Column headers that name a period (2020 年, 2021 级, 2020 年度, 2020-2021 学年, 2021 届).
PERIOD_SUFFIXES: Final[tuple[str, ...]] = ("学年", "年度", "年", "级", "届")
