"""Line roles (pipeline/structure/roles.py), one predicate at a time, on hand-made lines.

Geometry: an A4 page (595 x 842 pt), text column x 90…505, body 12 pt. Every threshold is read
from the settings object, so the tests follow the settings rather than copies of them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.layout import Line, PageLayout
from pipeline.model import BBox
from pipeline.numbering import CaptionKind, ListKind, Numbering, NumberingKind, parse_numbering
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.structure.roles import (
    Context,
    Role,
    annex_head,
    caption,
    case_head,
    centred,
    classify,
    continuation,
    display,
    ending_numbering,
    full_line_heading,
    heading_shape,
    leaves_list,
    list_head,
    lower_tier_heading,
    numbered_caption,
    numbered_heading,
    page_opens_indented,
    photo_caption,
    run_in_split,
    stands_alone,
    styled,
    unnumbered_part,
)
from pipeline.text import join_wrapped, nfkc_squash

CFG = DEFAULT_SETTINGS.structure
W, H, BODY, LEFT, RIGHT = 595.0, 842.0, 12.0, 90.0, 505.0


def ln(
    text: str,
    x0: float = LEFT,
    x1: float | None = None,
    top: float = 200.0,
    size: float = BODY,
    bold: bool = False,
    page: int = 4,
    **kw: object,
) -> Line:
    """A line of `text`, as wide as its characters unless x1 is given."""
    end = x1 if x1 is not None else min(RIGHT, x0 + size * len(text))
    return Line(page=page, x0=x0, x1=end, top=top, bottom=top + size, text=text, size=size, bold=bold, **kw)  # type: ignore[arg-type]


def page_of(lines: list[Line], images: list[BBox] | None = None) -> PageLayout:
    return PageLayout(
        number=4,
        width=W,
        height=H,
        lines=lines,
        furniture=[],
        page_label="2",
        table_regions=[],
        boxes=[],
        images=images or [],
    )


def ctx(prev: Line | None = None, in_list: bool = False, has_owner: bool = True) -> Context:
    return Context(body=BODY, right=RIGHT, prev_body=prev, in_list=in_list, has_owner=has_owner)


# ---------------------------------------------------------------- typography


def test_styled_is_bold_or_clearly_larger() -> None:
    assert styled(ln("实训基地建设", bold=True), BODY, CFG)
    assert styled(ln("实训基地建设", size=BODY * CFG.styled_size), BODY, CFG)
    assert not styled(ln("实训基地建设", size=BODY * CFG.styled_size - 0.05), BODY, CFG)


def test_display_type_is_larger_than_styled() -> None:
    assert display(ln("年度发展报告", size=BODY * CFG.display_size), BODY, CFG)
    assert not display(ln("年度发展报告", size=BODY * CFG.styled_size), BODY, CFG)


def test_heading_shape_is_short_and_one_run() -> None:
    assert heading_shape(ln("三、科研创新"), CFG)
    assert not heading_shape(ln("三、" + "科" * CFG.heading_max_chars), CFG)
    assert not heading_shape(ln("三、科研创新 12 34", gaps=[200.0]), CFG)


def test_stands_alone_needs_a_short_line_after_a_finished_one() -> None:
    short = ln("（二）实训基地建设", top=230)
    full_prev = ln("产教融合项目稳步推进，新增合作企业", x1=RIGHT, top=200)
    ended_prev = ln("合作企业十二家。", top=200)
    assert stands_alone(short, None, RIGHT, CFG)
    assert stands_alone(short, ended_prev, RIGHT, CFG)
    assert not stands_alone(short, full_prev, RIGHT, CFG)  # the heading-like text continues a paragraph
    assert not stands_alone(ln("（二）实训基地建设。"), None, RIGHT, CFG)  # a sentence
    long = ln("（二）实训基地建设", x1=RIGHT - (CFG.heading_short_by - 0.5) * BODY)
    assert not stands_alone(long, None, RIGHT, CFG)


def test_stands_alone_after_a_line_on_the_previous_page() -> None:
    prev = ln("产教融合项目稳步推进，新增合作企业", x1=RIGHT, page=3)
    assert stands_alone(ln("（二）实训基地建设", page=4), prev, RIGHT, CFG)


# ---------------------------------------------------------------- lists, annex


def test_list_head_styled_or_short() -> None:
    assert list_head(ln("【附表目录】", bold=True), BODY, CFG) is ListKind.TABLES
    assert list_head(ln("附图目录"), BODY, CFG) is ListKind.FIGURES
    assert list_head(ln("案例目录"), BODY, CFG) is ListKind.CASES
    assert list_head(ln("附录说明"), BODY, CFG) is None


def test_annex_head_is_styled_and_outside_boxes() -> None:
    assert annex_head(ln("【附件】办学条件数据", bold=True), BODY, CFG)
    assert not annex_head(ln("【附件】办学条件数据"), BODY, CFG)
    assert not annex_head(ln("【附件】办学条件数据", bold=True, box=0), BODY, CFG)


def test_a_larger_styled_line_leaves_a_list() -> None:
    assert leaves_list(ln("结语", bold=True, size=BODY * CFG.styled_size), BODY, CFG)
    assert not leaves_list(ln("表 2 在校生规模.......5", bold=True), BODY, CFG)


# ---------------------------------------------------------------- captions


def test_centred_means_in_the_middle_and_not_flush_left() -> None:
    mid = W / 2
    assert centred(ln("表 3 近三年招生计划", x0=mid - 60, x1=mid + 60), page_of([]), CFG)
    assert not centred(ln("表 3 近三年招生计划", x0=CFG.centred_min_x0 * W - 1, x1=W - 150), page_of([]), CFG)
    assert not centred(ln("表 3 近三年招生计划", x0=LEFT + 10, x1=LEFT + 130), page_of([]), CFG)


def test_numbered_caption_is_set_apart() -> None:
    page = page_of([])
    mid = W / 2
    assert numbered_caption(ln("表 3 近三年招生计划", bold=True), page, BODY, CFG) is CaptionKind.TABLE
    small = ln("图 2 就业去向分布", size=BODY - CFG.smaller_tolerance - 0.3)
    assert numbered_caption(small, page, BODY, CFG) is CaptionKind.FIGURE
    assert numbered_caption(ln("图 2 就业去向分布", x0=mid - 50, x1=mid + 50), page, BODY, CFG) is CaptionKind.FIGURE
    assert numbered_caption(ln("表 3 近三年招生计划"), page, BODY, CFG) is None  # body type at the margin
    assert numbered_caption(ln("表 3 所示，招生计划稳定。", bold=True), page, BODY, CFG) is None  # a sentence
    assert numbered_caption(ln("表 3", bold=True), page, BODY, CFG) is None  # no title


def test_photo_caption_is_the_first_short_line_under_a_picture() -> None:
    img = BBox(x0=150, top=100, x1=450, bottom=300)
    under = ln("学生在实训中心操作设备", x0=230, top=300 + 4)
    page = page_of([under], [img])
    assert photo_caption(under, page, BODY, CFG)
    assert caption(under, page, BODY, CFG) is CaptionKind.PHOTO
    far = ln("学生在实训中心操作设备", x0=230, top=300 + (CFG.photo_caption_gap + 1) * BODY)
    assert not photo_caption(far, page_of([far], [img]), BODY, CFG)
    beside = ln("学生在实训中心操作设备", x0=460, top=304)
    assert not photo_caption(beside, page_of([beside], [img]), BODY, CFG)
    between = ln("另一行文字", x0=230, top=302)
    assert not photo_caption(under, page_of([between, under], [img]), BODY, CFG)
    assert not photo_caption(ln("学生在实训中心操作设备", x0=230, top=304, bold=True), page, BODY, CFG)


# ---------------------------------------------------------------- headings and cases


def test_case_head_in_a_box_or_styled() -> None:
    num = parse_numbering("案例 4 校企共建产业学院")
    assert case_head(ln("案例 4 校企共建产业学院", box=0), num, BODY, CFG)
    assert case_head(ln("案例 4 校企共建产业学院", bold=True), num, BODY, CFG)
    assert not case_head(ln("案例 4 校企共建产业学院"), num, BODY, CFG)  # mentioned in running text
    assert not case_head(ln("三、科研创新", bold=True), parse_numbering("三、科研创新"), BODY, CFG)


@pytest.mark.parametrize(
    ("text", "bold", "expected"),
    [
        ("三、科研创新", False, True),  # standing alone suffices for the outline's upper tiers
        ("（二）实训基地建设", False, True),
        ("4. 横向课题", False, True),
        ("（3）专利转化", False, False),  # (1) and ① in the body font are list items
        ("②专利转化", False, False),
        ("（3）专利转化", True, True),
        ("案例 2 专利转化", True, False),  # a case, not a heading
    ],
)
def test_numbered_heading(text: str, bold: bool, expected: bool) -> None:
    line = ln(text, bold=bold)
    assert numbered_heading(line, parse_numbering(text), ctx(), CFG) is expected


def test_numbered_heading_not_inside_a_running_paragraph() -> None:
    prev = ln("近三年承担各级课题四十余项，其中", x1=RIGHT, top=170)
    assert not numbered_heading(ln("4. 横向课题", top=200), parse_numbering("4. 横向课题"), ctx(prev), CFG)


def test_a_body_font_subitem_above_its_own_paragraph_in_a_sequence_is_a_heading() -> None:
    """(1) standing alone above an indented paragraph, its (2) following: three votes."""
    head = ln("（1）实施思政铸魂行动", top=100)
    lines = [head, *_para("思政铸魂行动覆盖全体新生，", 118, "开设专题讲座二十四场。")]
    lines += [ln("（2）完善协同育人机制", top=170), *_para("联合地方企业共建育人共同体。", 188)]
    page = page_of(lines)
    num = numbered(head)
    assert lower_tier_heading(lines, 0, page, num, replace(ctx(), sibling_ahead=True), CFG)
    assert not lower_tier_heading(lines, 0, page, num, ctx(), CFG)  # a lone (1): no sequence goes on
    assert classify(lines, 0, page, replace(ctx(), sibling_ahead=True), CFG).role is Role.HEADING


def test_body_font_subitems_of_running_text_are_not_headings() -> None:
    """(1)…；(2)… items that end their clause, or run on without an indented paragraph between."""
    items = [ln("（1）完善制度；", top=100), ln("（2）加强考核；", top=118), ln("（3）强化激励。", top=136)]
    page = page_of(items)
    on = replace(ctx(), sibling_ahead=True)
    assert not lower_tier_heading(items, 0, page, numbered(items[0]), on, CFG)
    bare = [ln("①学生人数", top=100), ln("②教师人数", top=118), *_para("以上数据均为年末数。", 136)]
    assert not lower_tier_heading(bare, 0, page_of(bare), numbered(bare[0]), on, CFG)  # next line not indented
    # the last item stands above an indented paragraph, but its ① opened no heading: no sequence vote
    assert not lower_tier_heading(bare, 1, page_of(bare), numbered(bare[1]), ctx(bare[0]), CFG)


def test_unnumbered_part() -> None:
    assert unnumbered_part(ln("结语"), ctx(), CFG)
    assert unnumbered_part(ln("前言", bold=True), ctx(ln("上文", x1=RIGHT, top=170)), CFG)
    assert not unnumbered_part(ln("结语部分"), ctx(), CFG)


def test_continuation_joins_a_wrapped_heading() -> None:
    wrap_top = 200 + BODY + (CFG.heading_wrap_gap - 0.2) * BODY
    head = ln("（二）深化产教融合，推动校企双元育人与区域产业升级", x1=RIGHT, bold=True, size=14, top=200)
    second = ln("协同发展", bold=True, size=14, top=wrap_top)
    body = ln("学校联合企业共建实训基地。", top=wrap_top + 30)
    assert continuation([head, second, body], 0, RIGHT, CFG) == 1
    short_head = replace(head, x1=RIGHT - (CFG.heading_wrap_short_by + 1) * 14)
    assert continuation([short_head, second], 0, RIGHT, CFG) == 0
    numbered = ln("1. 协同发展", bold=True, size=14, top=wrap_top)
    assert continuation([head, numbered], 0, RIGHT, CFG) == 0


# ---------------------------------------------------------------- the classifier


def role(line: Line, context: Context, images: list[BBox] | None = None) -> Role:
    return classify([line], 0, page_of([line], images), context, CFG).role


def test_classify_each_role() -> None:
    assert role(ln("三、科研创新", in_table=True), ctx()) is Role.TABLE
    assert role(ln("【附表目录】", bold=True), ctx()) is Role.LIST_HEAD
    assert role(ln("【附件】办学条件数据", bold=True), ctx()) is Role.ANNEX_HEAD
    assert role(ln("表 2 在校生规模.......5"), ctx(in_list=True)) is Role.LIST_ENTRY
    assert role(ln("表 3 近三年招生计划", bold=True), ctx()) is Role.CAPTION
    assert role(ln("案例 4 校企共建产业学院", box=0), ctx()) is Role.CASE_HEAD
    assert role(ln("三、科研创新", bold=True), ctx()) is Role.HEADING
    assert role(ln("结语"), ctx()) is Role.HEADING
    assert role(ln("年度发展报告", size=BODY * CFG.display_size), ctx(has_owner=False)) is Role.TITLE
    assert role(ln("年度发展报告", size=BODY * CFG.display_size), ctx()) is Role.BODY
    assert role(ln("学校联合企业共建实训基地。"), ctx()) is Role.BODY


def test_classify_heading_carries_numbering_and_wrapped_title() -> None:
    head = ln("（二）深化产教融合，推动校企双元育人与区域产业升级", x1=RIGHT, bold=True, size=14, top=200)
    second = ln("协同发展", bold=True, size=14, top=200 + 14 + 2)
    c = classify([head, second], 0, page_of([head, second]), ctx(), CFG)
    assert c.role is Role.HEADING and c.lines == (head, second)
    assert c.numbering is not None and c.numbering.kind is NumberingKind.SUB
    assert c.numbering.title == "深化产教融合，推动校企双元育人与区域产业升级协同发展"


def test_classify_unnumbered_part_has_no_numbering() -> None:
    c = classify([ln("结语", bold=True)], 0, page_of([]), ctx(), CFG)
    assert c.role is Role.HEADING and c.numbering is None


def test_box_lines_never_open_headings() -> None:
    assert role(ln("（一）活动背景", bold=True, box=0), ctx()) is Role.BODY


def test_body_line_under_a_picture_is_not_its_caption() -> None:
    """Position and shape make a caption, not being the first line after a picture."""
    img = BBox(x0=150, top=100, x1=450, bottom=300)
    clause = ln("学院近三年在校生规模情况如下：", x0=LEFT + 2 * BODY, top=304)
    assert not photo_caption(clause, page_of([clause], [img]), BODY, CFG)  # ends a clause
    flush = ln("学院近三年在校生规模", x0=LEFT + 2 * BODY, top=304)
    assert not photo_caption(flush, page_of([flush], [img]), BODY, CFG)  # at the column's indent, not centred


# ---------------------------------------------------------------- run-in headings


def test_run_in_heading_title_up_to_the_first_full_stop() -> None:
    text = "（一）主动公开情况。2024 年，学校通过门户网站主动公开信息"
    line = ln(text, x1=RIGHT, chars=[])
    c = classify([line], 0, page_of([line]), ctx(), CFG)
    assert c.role is Role.RUN_IN_HEADING
    assert c.numbering is not None and (c.numbering.kind, c.numbering.number) == (NumberingKind.SUB, "一")
    assert c.numbering.title == "主动公开情况"
    assert c.rest is not None and c.rest.text == "2024 年，学校通过门户网站主动公开信息"
    colon = ln("（二）依申请公开：全年受理申请 12 件，均按期答复", x1=RIGHT)
    c2 = classify([colon], 0, page_of([colon]), ctx(), CFG)
    assert c2.role is Role.RUN_IN_HEADING and c2.numbering is not None and c2.numbering.title == "依申请公开"


def test_run_in_needs_a_paragraph_start_a_short_title_and_no_box() -> None:
    text = "（一）主动公开情况。2024 年，学校通过门户网站主动公开信息"
    full_prev = ln("上一段文字一直写到行末没有结束", x1=RIGHT, top=180)
    assert role(ln(text, x1=RIGHT), ctx(prev=full_prev)) is Role.BODY  # inside a running paragraph
    assert role(ln(text, x1=RIGHT, box=0), ctx()) is Role.BODY  # a case box's sub-head stays in the case
    assert role(ln(text, x1=RIGHT, in_table=True), ctx()) is Role.TABLE  # a table row such as （一）予以公开
    long_title = "（一）" + "很" * (CFG.run_in_title_max_chars + 1) + "。后文"
    assert role(ln(long_title, x1=RIGHT), ctx()) is Role.BODY
    assert role(ln("（一）主动公开情况。", x1=RIGHT), ctx()) is not Role.RUN_IN_HEADING  # nothing runs in


# ---------------------------------------------------------------- headings in the body font


def _para(first: str, top: float, *rest: str) -> list[Line]:
    """A body paragraph: an indented first line, then lines from the left edge, the last one short."""
    out = [ln(first, x0=LEFT + 2 * BODY, x1=RIGHT, top=top)]
    for k, text in enumerate(rest, start=1):
        out.append(ln(text, x1=RIGHT if k < len(rest) else LEFT + 100, top=top + 18 * k))
    return out


def numbered(line: Line) -> Numbering:
    num = parse_numbering(line.text)
    assert num is not None
    return num


def test_a_full_numbered_line_before_an_indented_paragraph_is_a_heading() -> None:
    head = ln("1. 创新三为育人培养模式统筹推进教育教学改革和内涵建设", x0=LEFT + 2 * BODY, x1=RIGHT - 4, top=100)
    lines = [head, *_para("学校坚持立德树人根本任务，全面推进", 118, "课程思政建设。")]
    page = page_of(lines)
    c = classify(lines, 0, page, ctx(), CFG)
    assert c.role is Role.HEADING and c.lines == (head,)
    assert full_line_heading(lines, 0, page, numbered(lines[0]), ctx(), CFG) == 1


def test_a_numbered_paragraph_in_the_body_font_is_not_a_heading() -> None:
    lines = _para("1. 创新三为育人培养模式统筹推进教育教学改革和内涵建设", 100, "持续提升人才培养质量。")
    page = page_of(lines)
    assert full_line_heading(lines, 0, page, numbered(lines[0]), ctx(), CFG) == 0  # its next line is not indented
    assert classify(lines, 0, page, ctx(), CFG).role is Role.BODY
    ending = [ln("1. 学校坚持立德树人根本任务，全面推进课程思政建设。", x0=LEFT + 2 * BODY, x1=RIGHT, top=100)]
    ending += _para("下一段文字开始", 118, "结束。")
    assert full_line_heading(ending, 0, page_of(ending), numbered(ending[0]), ctx(), CFG) == 0  # it ends a sentence


def _three_line_numbered(last: str) -> list[Line]:
    """A 1. text over three full lines (the third `last`), then an indented paragraph."""
    head = [
        ln("1. 创新三为育人培养模式统筹推进教育教学改革和内涵建设", x0=LEFT + 2 * BODY, x1=RIGHT, top=100),
        ln("持续提升人才培养质量服务区域经济社会发展以高质量发展为", x1=RIGHT, top=118),
        ln(last, x1=RIGHT, top=136),
    ]
    return [*head, *_para("学校坚持立德树人根本任务，全面推进", 154, "课程思政建设。")]


def test_a_heading_in_the_body_font_wraps_onto_three_lines_when_its_sequence_goes_on() -> None:
    """Beyond plain_heading_max_lines the shape alone is not enough: its sibling ahead (or the TOC) is."""
    lines = _three_line_numbered("主线全面提升办学治校能力和人才培养质量水平推进内涵建设")
    page, num = page_of(lines), numbered(lines[0])
    assert CFG.plain_heading_max_lines < 3
    assert full_line_heading(lines, 0, page, num, replace(ctx(), sibling_ahead=True), CFG) == 3
    assert full_line_heading(lines, 0, page, num, ctx(), CFG) == 0  # no second 1. sibling known, not listed
    title = nfkc_squash(join_wrapped([ln.text for ln in lines[:3]]))
    assert full_line_heading(lines, 0, page, num, replace(ctx(), toc_texts=frozenset({title})), CFG) == 3
    c = classify(lines, 0, page, replace(ctx(), sibling_ahead=True), CFG)
    assert c.role is Role.HEADING and c.lines == tuple(lines[:3])


def test_a_numbered_paragraph_of_three_full_lines_is_not_a_heading() -> None:
    """A sentence ends inside: a paragraph, whatever its sequence says."""
    lines = _three_line_numbered("主线。全面提升办学治校能力和人才培养质量水平推进内涵建设")
    on = replace(ctx(), sibling_ahead=True)
    assert full_line_heading(lines, 0, page_of(lines), numbered(lines[0]), on, CFG) == 0


def test_a_wrapped_heading_in_the_body_font_spans_two_lines() -> None:
    head = [
        ln("1. 创新三为育人培养模式统筹推进教育教学改革和内涵建设", x0=LEFT + 2 * BODY, x1=RIGHT, top=100),
        ln("以高质量发展为主线", x1=LEFT + 120, top=118),
    ]
    lines = [*head, *_para("学校坚持立德树人根本任务，全面推进", 136, "课程思政建设。")]
    c = classify(lines, 0, page_of(lines), ctx(), CFG)
    assert c.role is Role.HEADING and c.lines == tuple(head)
    assert c.numbering is not None and c.numbering.title.endswith("以高质量发展为主线")


def test_a_run_in_heading_after_a_full_line_that_ended_a_sentence() -> None:
    """The paragraph before ran to the edge and ended its sentence; the （二） line starts at a
    first-line indent: a new paragraph, so a run-in heading (a smaller page fills lines more often)."""
    line = ln("（二）校园文化。第11段：依托校企合作平台，组织学生参加", x0=LEFT + 2 * BODY, x1=RIGHT, top=118)
    num = parse_numbering(line.text)
    ended = ln("域先进制造业发展需求，推动专业链与产业链深度对接。", x1=RIGHT - 2, top=100)
    assert run_in_split(line, num, ctx(ended), CFG) is not None
    running = ln("域先进制造业发展需求，推动专业链与产业链深度对接", x1=RIGHT - 2, top=100)
    assert run_in_split(line, num, ctx(running), CFG) is None  # mid-sentence: no new paragraph


def test_a_body_font_heading_at_the_foot_of_a_page_stands_above_the_next_pages_paragraph() -> None:
    """The heading fills the page's last line; the paragraph it heads opens the next page indented."""
    body = _para("学校坚持立德树人根本任务，全面推进", 100, "课程思政建设。")
    head = ln("2. 创新三为育人培养模式统筹推进教育教学改革和内涵建设", x0=LEFT + 2 * BODY, x1=RIGHT, top=160)
    lines = [*body, head]
    page, num = page_of(lines), numbered(head)
    nxt = page_of(_para("联合地方企业共建育人共同体，聘请兼职", 80, "导师四十名。"))
    assert page_opens_indented(nxt, CFG)
    assert not page_opens_indented(page_of([ln("接上页的段落文字", top=80)]), CFG)
    on = replace(ctx(body[-1]), indent_after=True)
    assert full_line_heading(lines, 2, page, num, on, CFG) == 1
    assert full_line_heading(lines, 2, page, num, ctx(body[-1]), CFG) == 0  # the next page goes on with a paragraph


@pytest.mark.parametrize(
    ("text", "numbering"),
    [
        ("账经费 690 万元，覆盖专业 26 个。2. 信息化条件建设", ("2", "信息化条件建设")),
        ("省级奖项 29 项。（二）就业质量", ("二", "就业质量")),
        ("覆盖专业 26 个，2. 信息化条件建设", None),  # no sentence ended before it: running text
        ("占比达到 12.5%，较上年提高 2. 3 个百分点。", None),  # a number, and the tail ends a sentence
        ("2. 信息化条件建设", None),  # at the line's start: parse_numbering's, not a trailing one
    ],
)
def test_ending_numbering_is_a_heading_after_a_sentence_at_the_line_end(
    text: str, numbering: tuple[str, str] | None
) -> None:
    """What the numbering sequence counts as a sibling printed at the end of a paragraph's line."""
    num = ending_numbering(text, CFG)
    assert (None if num is None else (num.number, num.title)) == numbering
