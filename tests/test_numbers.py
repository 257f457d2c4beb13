"""The number parser: one unit test per printed form, and print-then-parse properties."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.numbers import MINUS_SIGNS, cn_number, find_quantities, parse_number, split_unit
from pipeline.normalize.textform import to_halfwidth
from pipeline.normalize.units import INFIX_QUALIFIERS, PREFIX_QUALIFIERS, SCALES, SUFFIX_QUALIFIERS


@pytest.mark.parametrize(
    ("text", "column_unit", "kind", "value", "unit"),
    [
        ("1,311", None, "number", 1311, None),  # grouped
        ("1311", None, "number", 1311, None),  # plain
        ("１，３１１", None, "number", 1311, None),  # full-width grouped
        ("98.63", None, "number", 98.63, None),  # decimal
        ("-5", None, "number", -5, None),
        ("96.47%", None, "percent", 96.47, "%"),
        ("96.47 ％", None, "percent", 96.47, "%"),
        ("96.47", "%", "percent", 96.47, "%"),  # a bare value in a % column
        ("5649.31 万元", None, "number", 56_493_100, "元"),
        ("5649.31", "万元", "number", 56_493_100, "元"),  # scale from the column
        ("2.5亿元", None, "number", 250_000_000, "元"),
        ("5千元", None, "number", 5000, "元"),
        ("3千瓦", None, "number", 3, "千瓦"),  # a unit, not 千 × 瓦
        ("1.5万", None, "number", 15000, None),
        ("14540", "元/生", "number", 14540, "元/生"),
        ("17.49", "—", "number", 17.49, None),  # the annex prints — as the unit of 生师比
        ("三千二百", None, "number", 3200, None),
        ("百", None, "number", 100, None),
        ("十二万元", None, "number", 120_000, "元"),
        ("百分之五十", None, "percent", 50, "%"),
    ],
)
def test_plain_scaled_and_percent_forms(text, column_unit, kind, value, unit):
    pv = parse_number(text, column_unit)
    assert (pv.kind, pv.value, pv.unit) == (kind, value, unit)
    assert pv.text == text.strip()


def test_scale_keeps_printed_unit():
    pv = parse_number("5649.31 万元")
    assert (pv.value, pv.unit, pv.printed_unit, pv.scale) == (56_493_100, "元", "万元", 10_000)
    assert isinstance(pv.value, int)


def test_ratio():
    for text in ("1:11", "1：11", "1∶11"):
        pv = parse_number(text)
        assert (pv.kind, pv.value, pv.value2) == ("ratio", 1, 11)
    pv = parse_number("1:11 以上")
    assert (pv.kind, pv.qualifier) == ("ratio", "at_least")


def test_pair_under_a_pair_unit():
    pv = parse_number("226/404", "项/项")
    assert (pv.kind, pv.value, pv.value2, pv.unit, pv.printed_unit) == ("pair", 226, 404, "项", "项/项")


def test_range():
    pv = parse_number("10-20人")
    assert (pv.kind, pv.value, pv.value2, pv.unit) == ("range", 10, 20, "人")
    assert parse_number("2020-2021 学年").kind == "range"


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "qualifier_text"),
    [
        ("500余人", 500, "人", "more_than", "余"),
        ("300 多所", 300, "所", "more_than", "多"),
        ("6000余万元", 60_000_000, "元", "more_than", "余"),
        ("近百项", 100, "项", "nearly", "近"),
        ("30%以上", 30, "%", "at_least", "以上"),
        ("超过 200 人", 200, "人", "more_than", "超过"),
        ("约 1000 万元", 10_000_000, "元", "approx", "约"),
        ("近 300 多所", 300, "所", "nearly", "近…多"),
        ("不足 10%", 10, "%", "less_than", "不足"),
        ("50 人以下", 50, "人", "at_most", "以下"),
        ("100 人左右", 100, "人", "approx", "左右"),
    ],
)
def test_qualifiers(text, value, unit, qualifier, qualifier_text):
    pv = parse_number(text)
    assert (pv.value, pv.unit, pv.qualifier, pv.qualifier_text) == (value, unit, qualifier, qualifier_text)


def test_chinese_numerals_and_dates():
    assert parse_number("二零二一年十一月").date == "2021-11"
    assert parse_number("二〇二一年十一月五日").date == "2021-11-05"
    assert parse_number("2021 年").date == "2021"
    assert parse_number("2021-11-05").date == "2021-11-05"
    assert parse_number("2021.11").kind == "number"  # a decimal, not a date
    ordinal = parse_number("第十九届")
    assert (ordinal.value, ordinal.unit, ordinal.ordinal) == (19, "届", True)
    assert [cn_number(s) for s in ("二零二一", "十九", "百", "三千二百", "一万零一十", "一点五", "二万五")] == [
        2021,
        19,
        100,
        3200,
        10010,
        Decimal("1.5"),
        25000,
    ]
    assert cn_number("一等") is None


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "-", "－", "空", "/", "无"])
def test_empty_and_dash_cells_are_null(text):
    pv = parse_number(text)
    assert pv.kind == "null" and pv.value is None


@pytest.mark.parametrize("text", ["一等奖", "30 强", "省级", "总人数: 2240 人; 马克思主义读书会: 32 人", "1+X", "5G"])
def test_text_cells_are_marked_not_guessed(text):
    pv = parse_number(text)
    assert pv.kind == "text" and pv.value is None and not pv.is_numeric


def test_split_unit():
    assert split_unit("万元") == ("元", 10_000)
    assert split_unit("万元/生") == ("元/生", 10_000)
    assert split_unit("（%）") == ("%", 1)
    assert split_unit("—") == (None, 1)
    assert split_unit("千瓦") == ("千瓦", 1)


def test_find_quantities_skips_labels():
    text = (
        "2021年学校第十九届艺术节吸引9000余名学生，就业率为96.47%，供需比达1:11以上，"
        "1+X证书试点，5G车间，近三年，五位一体，建成一批基地。"
    )
    found = [(q.parsed.value, q.parsed.unit) for q in find_quantities(text)]
    assert found == [(9000, "名"), (96.47, "%"), (1, None)]


# ---- properties: print a value in each supported form, parse it back ----------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def _as_number(d: Decimal) -> Decimal:
    return Decimal(str(d))


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_and_plain_integers_round_trip(n):
    assert parse_number(f"{n:,}").value == n
    assert parse_number(str(n)).value == n


@given(amounts)
def test_decimals_round_trip(d):
    assert _as_number(Decimal(str(parse_number(f"{d}").value))) == d


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percents_round_trip(d):
    for pv in (parse_number(f"{d}%"), parse_number(f"{d}", "%"), parse_number(f"{d} ％")):
        assert pv.kind == "percent" and Decimal(str(pv.value)) == d


@given(amounts, st.sampled_from(["万", "亿", "千", "百万", "千万"]), st.sampled_from(["元", "人", "人次", "册", ""]))
def test_scaled_units_round_trip(d, scale, unit):
    pv = parse_number(f"{d}{scale}{unit}")
    assert Decimal(str(pv.value)) == d * SCALES[scale]
    assert pv.scale == SCALES[scale] and pv.unit == (unit or None) and pv.printed_unit == scale + unit


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_ratios_and_pairs_round_trip(a, b):
    ratio = parse_number(f"{a}:{b}")
    assert (ratio.kind, ratio.value, ratio.value2) == ("ratio", a, b)
    pair = parse_number(f"{a}/{b}", "项/项")
    assert (pair.kind, pair.value, pair.value2, pair.unit) == ("pair", a, b, "项")


@given(
    st.integers(1, 10**6),
    st.sampled_from(sorted(PREFIX_QUALIFIERS)),
    st.sampled_from(sorted(INFIX_QUALIFIERS)),
    st.sampled_from(sorted(SUFFIX_QUALIFIERS)),
    st.sampled_from(["人", "项", "个"]),
)
def test_qualified_numbers_round_trip(n, prefix, infix, suffix, unit):
    assert parse_number(f"{prefix}{n}{unit}").qualifier == PREFIX_QUALIFIERS[prefix]
    assert parse_number(f"{n}{infix}{unit}").qualifier == INFIX_QUALIFIERS[infix]
    pv = parse_number(f"{n}{unit}{suffix}")
    assert (pv.value, pv.unit, pv.qualifier) == (n, unit, SUFFIX_QUALIFIERS[suffix])


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_numerals_round_trip(n):
    assert parse_number(cn2an.an2cn(n)).value == n


@given(st.integers(min_value=1000, max_value=2999), st.integers(1, 12), st.integers(1, 28))
def test_chinese_dates_round_trip(year, month, day):
    text = f"{cn2an.an2cn(year, 'direct')}年{cn2an.an2cn(month)}月{cn2an.an2cn(day)}日"
    assert parse_number(text).date == f"{year:04d}-{month:02d}-{day:02d}"


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_digits_parse_like_half_width(n):
    full = str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_number(full + "人").value == n


# ---- signs: a minus sign is kept; a dash between two numbers is a range, never a sign ----------

counts = st.integers(min_value=1, max_value=10**7)
signs = st.sampled_from([*MINUS_SIGNS, "－"])  # － (full-width) is made half-width first


@given(counts, signs, st.sampled_from(["人", "项", "个", "万元", "%"]))
def test_a_minus_sign_round_trips(n, sign, unit):
    assert parse_number(f"{sign}{n}{unit}").value == -parse_number(f"{n}{unit}").value
    [q] = find_quantities(to_halfwidth(f"学校在校生同比减少{sign}{n}{unit}。"))
    assert q.parsed.value == -parse_number(f"{n}{unit}").value and q.parsed.text.endswith(f"{n}{unit}")


@given(counts, counts, st.sampled_from(["-", "－", "−"]), st.sampled_from(["年", "月", "人", "项", "", "学年"]))
def test_a_dash_between_two_numbers_is_not_a_sign(a, b, dash, unit):
    for text in (f"{a}{dash}{b}{unit}", f"{a}{unit}{dash}{b}{unit}", f"第{a}{dash}{b}名", f"共{a}{dash}{b}{unit}完成"):
        assert all((q.parsed.value or 0) >= 0 for q in find_quantities(to_halfwidth(text))), text


def test_signs_in_running_text():
    text = "2019-2020学年招生300人，1-3月完成5项，型号CK-6140共5台，增长-12名。"
    found = [q.parsed.value for q in find_quantities(text)]
    assert found == [300, 5, 5, -12]
