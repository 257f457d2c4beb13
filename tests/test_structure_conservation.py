"""No text lost (pipeline/structure/conservation.py): the text layer against where it went."""

from __future__ import annotations

from collections import Counter

from pipeline.layout import Line
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.structure.conservation import add_lines, conservation_findings, ink


def ln(text: str, page: int) -> Line:
    return Line(page=page, x0=90, x1=300, top=100, bottom=112, text=text, size=12, bold=False)


def test_ink_counts_non_space_characters() -> None:
    assert ink(["证券简称：比亚迪  公告编号", " a b "]) == Counter("证券简称：比亚迪公告编号ab")


def test_a_lost_line_is_a_finding_with_page_and_sample() -> None:
    layer = {3: "学院近三年在校生规模情况如下：\n正文", 4: "第二页"}
    placed: dict[int, list[str]] = {}
    add_lines(placed, [ln("正文", 3), ln("第二页", 4)])
    findings = conservation_findings(layer.items(), placed, DEFAULT_SETTINGS)
    assert [(f.code, f.page) for f in findings] == [("text_not_conserved", 3)]
    assert "15 lost" in findings[0].message and "学院近三年" in findings[0].message


def test_text_placed_twice_or_invented_is_a_finding() -> None:
    layer = {5: "一行"}
    placed: dict[int, list[str]] = {}
    add_lines(placed, [ln("一行", 5), ln("一行", 5)])
    findings = conservation_findings(layer.items(), placed, DEFAULT_SETTINGS)
    assert len(findings) == 1 and "2 not printed" in findings[0].message


def test_every_character_placed_gives_no_finding() -> None:
    layer = {1: "封面 页眉"}
    placed: dict[int, list[str]] = {}
    add_lines(placed, [ln("页眉", 1), ln("封面", 1)])
    assert conservation_findings(layer.items(), placed, DEFAULT_SETTINGS) == []


def test_findings_come_in_page_order_whatever_order_the_pages_are_given() -> None:
    layer = {7: "甲乙", 2: "丙", 4: "丁"}
    placed: dict[int, list[str]] = {}
    add_lines(placed, [ln("甲", 7), ln("丁", 4)])
    findings = conservation_findings(reversed(list(layer.items())), placed, DEFAULT_SETTINGS)
    assert [f.page for f in findings] == [2, 7]
    assert "1 lost (乙)" in findings[1].message
