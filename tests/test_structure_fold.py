"""Folding (pipeline/structure/outline.py, fold.py) and the front-matter predicates, on hand-made lines.

Levels come from the numbering tiers in use; ids from the path of ordinals; a case box returns
its text to the enclosing section; the 院校代码 is found under any code header, wrapped or not.
"""

from __future__ import annotations

from pipeline.layout import Line, PageLayout
from pipeline.normalize.indicators import CODE_HEADERS
from pipeline.numbering import OUTLINE_TIERS, ListKind, NumberingKind, outline_tier, parse_numbering
from pipeline.paragraphs import ColumnEdges
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.structure.fold import fold
from pipeline.structure.frontmatter import code_header, declaration_page, mostly_leaders, toc_title_page
from pipeline.structure.outline import Ids, Outline
from pipeline.structure.stage import toc_levels

CFG = DEFAULT_SETTINGS.structure
BODY = 12.0


def ln(text: str, x0: float = 90.0, x1: float = 300.0, top: float = 200.0, bold: bool = False, page: int = 4) -> Line:
    return Line(page=page, x0=x0, x1=x1, top=top, bottom=top + BODY, text=text, size=BODY, bold=bold)


def heading(outline: Outline, text: str) -> tuple[str, int | None, str | None]:
    num = parse_numbering(text)
    o = outline.open((ln(text),), num, text)
    return o.section.id, o.section.level, o.section.parent


def test_outline_tiers_cover_every_outline_numbering() -> None:
    kinds = {k for tier in OUTLINE_TIERS for k in tier}
    assert kinds == set(NumberingKind) - {NumberingKind.CASE}
    assert outline_tier(NumberingKind.PART) < outline_tier(NumberingKind.SUB) < outline_tier(NumberingKind.ITEM)
    assert outline_tier(NumberingKind.CHAPTER) < outline_tier(NumberingKind.SECTION) < outline_tier(NumberingKind.PART)
    assert outline_tier(NumberingKind.DIVISION) < outline_tier(NumberingKind.CHAPTER)
    assert outline_tier(NumberingKind.ITEM) < outline_tier(NumberingKind.SUBITEM) < outline_tier(NumberingKind.CIRCLED)


def test_levels_follow_the_tiers_in_use() -> None:
    outline = Outline(Ids())
    assert heading(outline, "二、社会服务") == ("sec-2", 1, None)
    assert heading(outline, "1. 技术培训") == ("sec-2.1", 2, "sec-2")  # no （一） tier: level 2
    assert heading(outline, "（1）企业员工") == ("sec-2.1.1", 3, "sec-2.1")
    assert heading(outline, "2. 社区教育") == ("sec-2.2", 2, "sec-2")
    assert heading(outline, "（三）乡村振兴") == ("sec-2.3", 2, "sec-2")
    assert heading(outline, "三、文化传承") == ("sec-3", 1, None)


def test_unnumbered_part_and_repeated_ids() -> None:
    outline = Outline(Ids())
    o = outline.open((ln("前言"),), None, "前言")
    assert (o.section.id, o.section.level, o.section.number, o.section.title) == ("sec-0", 1, "", "前言")
    assert heading(outline, "一、办学条件") == ("sec-1", 1, None)
    assert heading(outline, "一、办学条件") == ("sec-1-2", 1, None)  # printed twice: a unique id
    assert heading(outline, "（一）师资") == ("sec-1-2.1", 2, "sec-1-2")


def test_preamble_opens_at_the_top() -> None:
    outline = Outline(Ids())
    o = outline.open_preamble(ln("发展报告"), "发展报告")
    assert (o.section.id, o.section.level, o.section.title) == ("preamble", 1, "发展报告")
    assert heading(outline, "（一）概况") == ("sec-preamble.1", 2, "preamble")
    assert heading(outline, "一、概况") == ("sec-1", 1, None)  # a part closes the preamble


def test_code_header_whole_or_wrapped_in_its_cell() -> None:
    for name in sorted(CODE_HEADERS):
        assert code_header([ln(name + "学校名称指标")], 0, CFG)
        # the header cell wraps: its second part prints two lines further down, inside the same column
        first, rest = name[:3], name[3:]
        lines = [
            ln(first, x0=60, x1=96),
            ln("学校名称指标 2023 年", x0=100, x1=400, top=205),
            ln(rest, x0=72, x1=84, top=212),
        ]
        assert code_header(lines, 0, CFG)
    elsewhere = [ln("院校代", x0=60, x1=96), ln("码", x0=300, x1=312, top=212)]  # not in the same column
    assert not code_header(elsewhere, 0, CFG)
    assert not code_header([ln("院校名称")], 0, CFG)


def test_front_matter_pages() -> None:
    leader = "." * 20
    toc = [ln(f"{i}、第{i}部分{leader}{i}") for i in range(1, 6)]
    assert toc_title_page([ln("目 录", bold=True), *toc], CFG)
    assert not toc_title_page(toc, CFG)
    assert mostly_leaders(toc, BODY, CFG)
    assert not mostly_leaders(toc[: CFG.toc_leader_min_lines - 1], BODY, CFG)
    assert not mostly_leaders([*toc, *(ln("正文") for _ in range(10))], BODY, CFG)
    # no leaders: page numbers flush right over several lines (x1 of each entry at the right edge)
    flush = [ln(f"第{i}部分 学生发展 {i + 2}", x1=500) for i in range(1, 6)]
    assert mostly_leaders(flush, BODY, CFG)
    ragged = [ln(f"第{i}部分 学生发展 {i + 2}", x1=300 + 40 * i) for i in range(1, 6)]
    assert not mostly_leaders(ragged, BODY, CFG)  # numbers ending lines of running text are not a TOC
    assert declaration_page([ln("数据真实性声明", bold=True), ln("本校承诺……")], BODY, CFG)
    assert not declaration_page([ln("数据真实性声明"), ln("本校承诺……")], BODY, CFG)  # not styled


def test_toc_levels_from_indent_steps() -> None:
    step = CFG.toc_indent_step * BODY
    lines = [
        ln("一、概况......1", x0=90),
        ln("（一）规模......1", x0=90 + step + 2),
        ln("（二）结构......2", x0=90 + step + 2.4),  # the same step, printed a little off
        ln("1. 专业......2", x0=90 + 2 * step + 5),
    ]
    assert toc_levels(lines, BODY, DEFAULT_SETTINGS) == [90.0, round(90 + step + 2), round(90 + 2 * step + 5)]


def body_page(number: int, lines: list[Line]) -> PageLayout:
    return PageLayout(
        number=number,
        width=595.0,
        height=842.0,
        lines=lines,
        furniture=[],
        page_label=None,
        table_regions=[],
        boxes=[],
        images=[],
    )


def test_fold_case_box_returns_text_to_its_section_and_lists_collect_entries() -> None:
    right = 505.0
    lines = [
        ln("二、社会服务", bold=True, top=100),
        ln("面向社区开展培训。", top=130),
        Line(page=4, x0=100, x1=300, top=160, bottom=172, text="案例 7 社区学堂", size=BODY, bold=True, box=0),
        Line(page=4, x0=100, x1=300, top=180, bottom=192, text="学堂每周开课。", size=BODY, bold=False, box=0),
        ln("全年培训三千人次。", x0=114, top=210),
        ln("【附表目录】", bold=True, top=240),
        ln("表 1 培训人次......3", top=260),
    ]
    edges = ColumnEdges({595: right}, {(4, 0): right - 10})
    folded = fold([body_page(4, lines)], BODY, edges, DEFAULT_SETTINGS)
    by_id = {o.section.id: o for o in folded.sections}
    assert list(by_id) == ["sec-2", "case-7", "list-tables"]
    assert by_id["case-7"].section.parent == "sec-2"
    assert [p.text for p in by_id["case-7"].paras] == ["学堂每周开课。"]
    assert [p.text for p in by_id["sec-2"].paras] == ["面向社区开展培训。", "全年培训三千人次。"]
    assert by_id["list-tables"].list_kind is ListKind.TABLES
    assert [x.text for x in folded.lists[ListKind.TABLES]] == ["表 1 培训人次......3"]


def test_fold_text_before_any_heading_is_kept() -> None:
    lines = [ln("某某学院年度报告", top=100), ln("本报告依据有关要求编制。", top=130)]
    lines[0] = Line(
        page=1, x0=150, x1=450, top=100, bottom=120, text="某某学院年度报告", size=BODY * CFG.display_size, bold=False
    )
    folded = fold([body_page(1, lines)], BODY, ColumnEdges({595: 505.0}, {}), DEFAULT_SETTINGS)
    [pre] = folded.sections
    assert (pre.section.id, pre.section.title) == ("preamble", "某某学院年度报告")
    assert [p.text for p in pre.paras] == ["本报告依据有关要求编制。"]


def test_chapters_above_parts_and_circled_below_items() -> None:
    outline = Outline(Ids())
    o = outline.open((ln("学校概述"),), None, "学校概述")
    assert (o.section.id, o.section.level) == ("sec-0", 1)
    assert heading(outline, "1. 办学定位") == ("sec-0.1", 2, "sec-0")  # items nest in an unnumbered part
    assert heading(outline, "第一章 发展成效") == ("sec-1", 1, None)  # a chapter closes the unnumbered part
    assert heading(outline, "一、学生发展") == ("sec-1.1", 2, "sec-1")
    assert heading(outline, "（一）招生") == ("sec-1.1.1", 3, "sec-1.1")
    assert heading(outline, "1. 生源") == ("sec-1.1.1.1", 4, "sec-1.1.1")
    assert heading(outline, "(1) 省内") == ("sec-1.1.1.1.1", 5, "sec-1.1.1.1")
    assert heading(outline, "①本科") == ("sec-1.1.1.1.1.1", 6, "sec-1.1.1.1.1")
    assert heading(outline, "二、教学改革") == ("sec-1.2", 2, "sec-1")
    assert heading(outline, "第二章 问题与展望") == ("sec-2", 1, None)
    o = outline.open((ln("结语"),), None, "结语")
    assert (o.section.level, o.section.parent) == (1, None)  # an unnumbered part closes every heading
