"""Text forms: half-width numbers, the matching key, and extraction spaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.textform import match_key, strip_extraction_spaces, to_halfwidth


def test_to_halfwidth_changes_numbers_and_latin_only():
    assert to_halfwidth("１２３４５．６７％") == "12345.67%"
    assert to_halfwidth("ＡＢｃ") == "ABc"
    assert to_halfwidth("１，３１１人") == "1,311人"
    assert to_halfwidth("供需比１：１１") == "供需比1:11"
    assert to_halfwidth("学校概述（一）：说明，") == "学校概述（一）：说明，"  # sentence punctuation stays
    assert to_halfwidth("a\u3000b") == "a b"


def test_match_key_unifies_variants():
    assert match_key("全日制国（境）外留学生人数") == match_key("全日制国(境)外留学生人数")
    assert match_key("在校生服务“走出去”企业") == match_key('在校生服务"走出去"企业')
    assert match_key("A类：留在当地") == match_key("a类:留在当地")
    assert match_key("教书育人满意度—") == match_key("教书育人满意度——") == match_key("教书育人满意度-")
    assert match_key("2020 年") == "2020年"
    assert match_key("【附件】") == match_key("[附件]")


def test_strip_extraction_spaces():
    assert strip_extraction_spaces("学校创建于 1956 年，共 28 所") == "学校创建于1956年，共28所"
    assert strip_extraction_spaces("就 业 率") == "就业率"
    assert strip_extraction_spaces("比例依次为 29.59%、11.63% 和 1.13%") == "比例依次为29.59%、11.63%和1.13%"
    assert strip_extraction_spaces("高于 75 % 以上") == "高于75%以上"
    # the author's spaces: between Latin words, and Latin next to CJK
    assert strip_extraction_spaces("Eleven 街舞社 New Interchange I") == "Eleven 街舞社 New Interchange I"
    assert strip_extraction_spaces("（B 档）") == "（B 档）"


@given(st.text(alphabet="0123456789学校人年%, .ABab", max_size=30))
def test_match_key_is_idempotent_and_space_free(text):
    key = match_key(text)
    assert match_key(key) == key
    assert " " not in key


@given(st.text(alphabet="0123456789学校人年 ", max_size=30))
def test_strip_extraction_spaces_keeps_non_space_text(text):
    assert strip_extraction_spaces(text).replace(" ", "") == text.replace(" ", "")
