"""Narrative facts: stated numbers with unit, qualifier, subject, sentence, section and page."""

from __future__ import annotations

from pipeline.model import Document, Paragraph, Source
from pipeline.normalize.facts import FACT_COLUMNS, extract_facts, fact_rows, sentences, subject_of


def _doc(*texts):
    paragraphs = [
        Paragraph(id=f"p-{i:04d}", section=f"sec-{i}", text=t, page=10 + i, page_end=10 + i)
        for i, t in enumerate(texts, 1)
    ]
    return Document(
        doc_id="12215-2022",
        pipeline_version="test",
        source=Source(path="x.pdf", sha256="0", pages=1, size_bytes=1),
        paragraphs=paragraphs,
    )


def _facts(*texts):
    return {f.text: f for f in extract_facts(_doc(*texts))}


def test_linking_verb_puts_the_subject_before():
    facts = _facts("学校 2021 届毕业生人数总计 4930 人，已就业 4756 人，就业率为 96.47%。")
    rate = facts["96.47%"]
    assert (rate.subject, rate.value, rate.unit, rate.kind) == ("就业率", 96.47, "%", "percent")
    assert rate.sentence == "学校2021届毕业生人数总计4930人，已就业4756人，就业率为96.47%。"
    assert rate.sentence[rate.start : rate.end] == "96.47%"
    assert (rate.section, rate.page, rate.paragraph, rate.period) == ("sec-1", 11, "p-0001", "2021届")
    assert (facts["4930人"].subject, facts["4930人"].period) == ("毕业生人数", "2021届")  # the cohort is the period


def test_object_verbs_and_measure_words_put_the_subject_after():
    facts = _facts("学校现有全日制在校学生 17459 人。学校设有 11 个二级学院和教学单位，招生专业 53 个。")
    assert facts["17459人"].subject == "全日制在校学生"
    assert facts["11个"].subject == "二级学院"
    assert facts["53个"].subject == "招生专业"


def test_qualifiers_scales_and_ratios():
    facts = _facts(
        "平均每年发放奖助学金 6000余万元，获奖 300 余项，荣誉近百项，毕业生就业率 96% 以上，供需比达 1:11 以上。"
    )
    money = facts["6000余万元"]
    assert (money.value, money.unit, money.printed_unit, money.qualifier) == (60_000_000, "元", "万元", "more_than")
    assert (facts["近百项"].value, facts["近百项"].qualifier) == (100, "nearly")
    assert (facts["96%以上"].subject, facts["96%以上"].qualifier) == ("毕业生就业率", "at_least")
    ratio = facts["1:11以上"]
    assert (ratio.kind, ratio.value, ratio.value2, ratio.subject) == ("ratio", 1, 11, "供需比")


def test_a_list_of_numbers_shares_its_subject():
    facts = _facts("占毕业生总人数的比例依次为 29.59%、11.63% 和 1.13%。")
    assert {f.subject for f in facts.values()} == {"占毕业生总人数的比例"}
    assert [f.value for f in facts.values()] == [29.59, 11.63, 1.13]


def test_labels_are_not_facts():
    facts = _facts("2021 年 1 月，学校举办了第十九届艺术节，推进 1+X 证书试点和“三全育人”，打造一批基地。")
    assert facts == {}


def test_sentences_and_rows():
    assert sentences("甲为 1 人。乙为 2 人；丙") == ["甲为 1 人。", "乙为 2 人；", "丙"]
    doc = _doc("就业率为 96.47%。")
    rows = fact_rows(doc, extract_facts(doc))
    assert list(rows[0]) == list(FACT_COLUMNS) and rows[0]["doc_id"] == "12215-2022"
    assert subject_of("其中：升学1733人", 5, 10, "人") == "升学"
