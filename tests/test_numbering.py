"""The numbering conventions (pipeline/numbering.py): one rule per test, then properties over 1..99."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.numbering import (
    CAPTION_FIGURE,
    CAPTION_TABLE,
    CN_DIGITS,
    Numbering,
    NumberingKind,
    cn_to_int,
    is_annex_title,
    is_unnumbered_part,
    list_kind,
    outline_tier,
    parse_numbering,
    sequence_evidence,
    siblings_ahead,
)

_DIGITS = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    """1..99 the way the reports write ordinals: 一 … 十 十一 … 二十 二十一 … 九十九."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


# Titles as they follow a number: CJK words and full-width punctuation, never starting with a digit.
_TITLE_CHARS = "学生发展教学改革政策保障国际合作服务贡献面临挑战立德树人“”：，——"
TITLES = st.text(alphabet=_TITLE_CHARS, min_size=1, max_size=24).filter(lambda t: t[0] not in "：，—")
ORDINALS = st.integers(min_value=1, max_value=99)


# --------------------------------------------------------------------------- parse_numbering, one form at a time


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、学生发展", Numbering("part", 1, "一", "学生发展")),
        ("六、面临挑战", Numbering("part", 1, "六", "面临挑战")),
        ("十一、附加说明", Numbering("part", 1, "十一", "附加说明")),
        ("一．学生发展", Numbering("part", 1, "一", "学生发展")),
        ("一 、 学生发展", Numbering("part", 1, "一", "学生发展")),
        ("（一）立德树人：实施“三为育人”", Numbering("sub", 2, "一", "立德树人：实施“三为育人”")),
        ("(二)校园文化", Numbering("sub", 2, "二", "校园文化")),
        ("（ 十二 ）产教融合", Numbering("sub", 2, "十二", "产教融合")),
        ("（三）、招生改革", Numbering("sub", 2, "三", "招生改革")),
        ("1. 创新“三为育人”培养模式", Numbering("item", 3, "1", "创新“三为育人”培养模式")),
        ("2.学生就业状态", Numbering("item", 3, "2", "学生就业状态")),
        ("3．学生就业质量", Numbering("item", 3, "3", "学生就业质量")),
        ("4、就业单位性质", Numbering("item", 3, "4", "就业单位性质")),
        ("12. 第十二项", Numbering("item", 3, "12", "第十二项")),
        ("（1）课程建设", Numbering("subitem", 4, "1", "课程建设")),
        ("(2)教材建设", Numbering("subitem", 4, "2", "教材建设")),
        ("①师资培训", Numbering("circled", 4, "①", "师资培训")),
        ("案例 1：文艺骨干的“摇篮”——大学生艺术团", Numbering("case", None, "1", "文艺骨干的“摇篮”——大学生艺术团")),
        ("案例12 校企联动强化专业内涵", Numbering("case", None, "12", "校企联动强化专业内涵")),
        ("案例 3:“青筑花田”实践团", Numbering("case", None, "3", "“青筑花田”实践团")),
        ("第一章 学校概况", Numbering("chapter", 1, "一", "学校概况")),
        ("第2章 学生发展", Numbering("chapter", 1, "2", "学生发展")),
        ("  一、学生发展  ", Numbering("part", 1, "一", "学生发展")),
    ],
)
def test_parse_numbering_forms(line: str, expected: Numbering) -> None:
    assert parse_numbering(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "一是搭建志愿服务实践平台。",  # bold lead-in, not a heading
        "二是完善学生资助体系；",
        "其一，加强师资队伍建设",
        "二〇二一年十一月",  # a date
        "2021 年招生专业共 52 个",  # a year
        "1.5 万人次参加培训",  # a decimal
        "96.47%",
        "1. 2",  # numbers in a row, not a heading
        "三、",  # a number with no title
        "（一）",
        "学校概述",  # unnumbered: is_unnumbered_part decides
        "案例分析表明，校企合作成效显著",  # 案例 not followed by a number
        "表 1：学校专业大类",
        "",
    ],
)
def test_parse_numbering_rejects(line: str) -> None:
    assert parse_numbering(line) is None


def test_full_width_digits_give_an_ascii_number() -> None:
    """Word exports write 1．or １．; the number field is the numeral without punctuation: "1"."""
    parsed = parse_numbering("１．学生就业状态")
    assert parsed is not None
    assert (parsed.level, parsed.number, parsed.title) == (3, "1", "学生就业状态")


def test_part_numbered_di_n_bufen() -> None:
    """第一部分 学生发展: a common form of the parts; the title must not keep 分."""
    parsed = parse_numbering("第一部分 学生发展")
    assert parsed is not None
    assert (parsed.level, parsed.number, parsed.title) == (1, "一", "学生发展")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("第一部分 学生发展", NumberingKind.DIVISION),
        ("第二篇 服务贡献", NumberingKind.DIVISION),
        ("第三章 教学改革", NumberingKind.CHAPTER),
        ("第四节 师资队伍", NumberingKind.SECTION),
    ],
)
def test_parts_hold_chapters_which_hold_sections(text: str, kind: NumberingKind) -> None:
    """第X部分/篇 ⊃ 第X章 ⊃ 第X节: three numberings of three outline tiers, outermost first."""
    parsed = parse_numbering(text)
    assert parsed is not None and parsed.kind is kind


def test_item_whose_title_starts_with_a_year() -> None:
    """2. 2021 年毕业生就业情况 is a level-3 heading; the decimal guard already rejects 1.5."""
    parsed = parse_numbering("2. 2021 年毕业生就业情况")
    assert parsed is not None
    assert (parsed.level, parsed.number, parsed.title) == (3, "2", "2021 年毕业生就业情况")


# --------------------------------------------------------------------------- cn_to_int


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一十二", 12),
        ("〇", 0),
        ("零", 0),
        ("3", 3),
        ("12", 12),
        (" 七 ", 7),
        ("①", 1),
        ("⑩", 10),
    ],
)
def test_cn_to_int(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("numeral", ["", "甲", "一是", "1a", "十x", "²", "①②"])
def test_cn_to_int_not_a_numeral(numeral: str) -> None:
    assert cn_to_int(numeral) is None


@given(ORDINALS)
def test_cn_to_int_inverts_chinese_ordinals(n: int) -> None:
    assert cn_to_int(chinese(n)) == n
    assert cn_to_int(str(n)) == n


@given(st.text(alphabet=CN_DIGITS, min_size=1, max_size=4))
@example("十十")
@example("二二十")
def test_cn_to_int_never_raises(numeral: str) -> None:
    """Any run of numeral characters (a malformed one in an OCR'd line too) gives an int or None."""
    value = cn_to_int(numeral)
    assert value is None or value >= 0


# --------------------------------------------------------------------------- properties of parse_numbering


@given(ORDINALS, TITLES)
def test_generated_part_parses_back(n: int, title: str) -> None:
    parsed = parse_numbering(f"{chinese(n)}、{title}")
    assert parsed is not None
    assert (parsed.kind, parsed.level, parsed.title) == ("part", 1, title)
    assert cn_to_int(parsed.number) == n


@given(ORDINALS, TITLES, st.sampled_from(["（{}）", "({})", "（{}）、", "（ {} ）"]))
def test_generated_sub_parses_back(n: int, title: str, form: str) -> None:
    parsed = parse_numbering(form.format(chinese(n)) + title)
    assert parsed is not None
    assert (parsed.kind, parsed.level, parsed.title) == ("sub", 2, title)
    assert cn_to_int(parsed.number) == n


@given(ORDINALS, TITLES, st.sampled_from([". ", ".", "．", "、", " . "]))
def test_generated_item_parses_back(n: int, title: str, sep: str) -> None:
    parsed = parse_numbering(f"{n}{sep}{title}")
    assert parsed is not None
    assert (parsed.kind, parsed.level, parsed.number, parsed.title) == ("item", 3, str(n), title)


@given(ORDINALS, TITLES, st.sampled_from(["：", ":", " ", "："]))
def test_generated_case_parses_back(n: int, title: str, sep: str) -> None:
    parsed = parse_numbering(f"案例 {n}{sep}{title}")
    assert parsed is not None
    assert (parsed.kind, parsed.level, parsed.number, parsed.title) == ("case", None, str(n), title)


@given(st.text(max_size=40))
def test_number_never_carries_its_punctuation(line: str) -> None:
    parsed = parse_numbering(line)
    if parsed is not None:
        assert parsed.number.strip() == parsed.number
        assert not set(parsed.number) & set("、．.（）()：:")
        assert parsed.kind == "case" or parsed.title


@given(ORDINALS, TITLES)
def test_bold_lead_in_is_never_a_heading(n: int, rest: str) -> None:
    line = f"{chinese(n)}是{rest}。"  # 一是…。 lead-ins open paragraphs, never sections
    assert parse_numbering(line) is None


# --------------------------------------------------------------------------- captions, titles


@pytest.mark.parametrize(
    ("line", "number", "caption"),
    [
        ("表 1：学校专业大类及包含专业", "1", "学校专业大类及包含专业"),
        ("表1 近三年学生录取数和报到率", "1", "近三年学生录取数和报到率"),
        ("续表 3", "3", ""),
        ("表 2-1：计分卡", "2-1", "计分卡"),
        ("表 4.2 学生资助情况", "4.2", "学生资助情况"),
    ],
)
def test_caption_table(line: str, number: str, caption: str) -> None:
    m = CAPTION_TABLE.match(line)
    assert m is not None and (m.group(1), m.group(2)) == (number, caption)


@pytest.mark.parametrize(
    ("line", "number", "caption"),
    [("图 1：就业地区分布", "1", "就业地区分布"), ("图2 就业行业分布", "2", "就业行业分布"), ("图 3:", "3", "")],
)
def test_caption_figure(line: str, number: str, caption: str) -> None:
    m = CAPTION_FIGURE.match(line)
    assert m is not None and (m.group(1), m.group(2)) == (number, caption)


@pytest.mark.parametrize("line", ["表格显示，学生满意度较高", "图书馆藏书 120 万册", "一、学生发展", "附表目录"])
def test_captions_reject_prose(line: str) -> None:
    assert CAPTION_TABLE.match(line) is None
    assert CAPTION_FIGURE.match(line) is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("【附图目录】", "figures"),
        ("【附表目录】", "tables"),
        ("【案例目录】", "cases"),
        ("【 附图 目录 】", "figures"),
        ("附表目录", "tables"),
        ("[案例目录]", "cases"),
        ("目录", None),
        ("【附件目录】学院质量年度报告指标", None),
    ],
)
def test_list_kind(title: str, kind: str | None) -> None:
    assert list_kind(title) == kind


@pytest.mark.parametrize(
    ("title", "annex"),
    [
        ("【附件目录】重庆工业职业技术学院质量年度报告指标", True),
        ("【附件】示范职业技术学院质量年度报告指标", True),
        ("【 附件目录 】示范学院", True),
        ("附件目录", False),  # no bracket: a word in a sentence, not the annex heading
        ("一、学生发展", False),
        ("【附图目录】", False),
        ("【案例目录】", False),
        ("【附表目录】", False),  # a closing list, not the annex: 附表 as annex prefix must not catch it
    ],
)
def test_is_annex_title(title: str, annex: bool) -> None:
    assert is_annex_title(title) is annex


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("学校概述", True),
        ("学 校 概 述", True),
        ("学院概况", True),
        ("前言", True),
        ("学生发展", False),
        ("一、学校概述", False),
        ("学校概述了办学情况", False),
    ],
)
def test_is_unnumbered_part(title: str, part: bool) -> None:
    assert is_unnumbered_part(title) is part


def test_a_first_child_is_in_sequence_when_its_second_follows_before_an_outer_tier() -> None:
    lines = ["1. 实训基地建设", "正文", "① 轨道交通", "2. 信息化条件建设", "1. 技能竞赛", "二、人才培养", "2. 毕业生"]
    numbers = [parse_numbering(t) for t in lines]
    assert siblings_ahead(numbers) == {0}  # the second 1. meets 二、 before its 2.
    first = numbers[0]
    assert first is not None
    assert sequence_evidence(first.kind, first.number, [], sibling_ahead=True) == 1
    assert sequence_evidence(first.kind, first.number, []) == 0
    assert sequence_evidence(first.kind, "3", [(outline_tier(first.kind), "1")]) == -1  # 3. after 1.: a gap
