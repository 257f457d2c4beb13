"""Layout conventions as independent flags over a report spec and style, and a second report's content.

Colleges typeset the same national outline their own way. Each `Convention` rewrites a spec (and
its style) the way one college would: headings in the body font, run-in （一） headings, headings
wrapping over two lines, a 第X章 level above 一、, (1)/① levels below 1., a TOC without its 目录
title, a chart followed directly by a body line, a page with a wider left margin, a two-line title.
Flags combine (`apply`), so a test can print any mix on either content (`standard_spec`,
`second_spec`). The expected sections still come from the rewritten spec (pdfgen_report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import StrEnum

from .pdfgen_report import (
    Annex,
    Block,
    Case,
    ClosingList,
    DataTable,
    Figure,
    Framed,
    Heading,
    Margin,
    NewPage,
    Para,
    ReportSpec,
    ReportStyle,
    RunIn,
    Trailing,
    h0,
    h1,
    h2,
    h3,
    lines_of,
)


class Convention(StrEnum):
    BODY_FONT = "body-font"  # （一） and 1. headings in the body's size and weight, filling the line
    RUN_IN = "run-in"  # （一）主动公开情况。2024 年，… on one line
    WRAPPED = "wrapped"  # level-1 and level-3 headings wrap over two lines
    CHAPTERS = "chapters"  # 第X章 above 一、 (under 第X部分 where the report has them)
    DEEP = "deep"  # (1) and ① below 1.
    UNTITLED_TOC = "untitled-toc"  # the TOC page has no 目录 title
    CHART_BODY = "chart-body"  # a chart image followed directly by a body line, no caption
    WIDE_MARGIN = "wide-margin"  # one part's pages have a wider left margin
    MIRRORED = "mirrored"  # even pages sit two characters further right: paragraphs cross two edges
    TWO_LINE_TITLE = "two-line-title"  # the cover title printed on two lines
    TRAILING = "trailing"  # a （二） heading printed at the end of the paragraph before it, in the body font
    FRAMED = "framed"  # paragraphs in a rounded frame (drawn as curves, no fill) narrower than the column


FILLER = "统筹推进教育教学改革和内涵建设持续提升人才培养质量服务区域经济社会发展"
WRAP_TAIL = "——以高质量发展为主线，全面提升办学治校能力和人才培养质量水平"


def _fill_line(printed: str, st: ReportStyle) -> str:
    """The filler characters that make `printed` fill the first line of a body paragraph."""
    pad = ""
    for ch in FILLER * 3:
        if lines_of(printed + pad + ch, st) > 1:
            break
        pad += ch
    return pad


def fill_last_line(text: str, st: ReportStyle) -> str:
    """`text` (ending in 。) padded with filler so that its last line runs to the right edge."""
    body, end = text[:-1], text[-1]
    lines = lines_of(text, st)
    pad = ""
    for ch in FILLER * 3:
        if lines_of(body + pad + ch + end, st) > lines:
            break
        pad += ch
    return body + pad + end


def _map_headings(spec: ReportSpec, f: Callable[[Heading], Heading]) -> ReportSpec:
    body = tuple(f(b) if isinstance(b, Heading) else b for b in spec.body)
    return replace(spec, body=body)


def body_font(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """（一） and 1. headings set like a body paragraph, their title padded to fill the whole line
    (the TOC lists the （一） ones; the 1. ones only their numbering and shape tell apart)."""

    def fill(h: Heading) -> Heading:
        if h.numbering not in ("sub", "item"):
            return h
        return replace(h, title=h.title + _fill_line(h.printed, st))  # a title that wraps keeps its full first line

    return _map_headings(spec, fill), replace(st, plain_forms=st.plain_forms | {"sub", "item"})


def run_in(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """Each （一） heading followed by a paragraph runs into it; its title stops before any ：/。."""
    body: list[Block] = []
    blocks = list(spec.body)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(b, Heading) and b.numbering == "sub" and isinstance(nxt, Para) and not nxt.lead:
            title = b.title.split("：")[0].split("，")[0]
            body.append(RunIn(replace(b, title=title), nxt))
            i += 2
            continue
        body.append(b)
        i += 1
    return replace(spec, body=tuple(body)), st


def wrapped(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """The first numbered heading of levels 1 and 3 gets a title too long for one line."""
    done: set[str] = set()

    def lengthen(h: Heading) -> Heading:
        if not h.number or h.numbering not in ("part", "item") or h.numbering in done:
            return h
        done.add(h.numbering)
        return replace(h, title=h.title + WRAP_TAIL)

    return _map_headings(spec, lengthen), st


CN_NUMBERS = "一二三四五六七八九"
CHAPTER_TITLES = ("发展成效", "问题与展望")


def chapters(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """第一章 before the first 一、 and 第二章 before the last one; numbered headings go one level down.

    A report divided in 第X部分 sets its chapters inside the parts (第X部分 ⊃ 第X章 ⊃ 一、): there
    a chapter opens each 第X部分 (before its first heading), one level under it, and the 第X部分
    headings keep their level; chapters are numbered through the report."""
    heads = [(i, b) for i, b in enumerate(spec.body) if isinstance(b, Heading) and b.number]
    divisions = [i for i, b in heads if b.numbering == "division"]
    if divisions:
        starts = [i + 1 for i in divisions]
    else:
        parts = [i for i, b in heads if b.numbering == "part"]
        starts = [parts[0], parts[-1]]
    named = {at: (CN_NUMBERS[k], CHAPTER_TITLES[k % len(CHAPTER_TITLES)]) for k, at in enumerate(starts)}
    top = 2 if divisions else 1
    body: list[Block] = []
    for i, b in enumerate(spec.body):
        if i in named:
            number, title = named[i]
            body.append(Heading(top, number, title, form="chapter"))
        if isinstance(b, Heading) and b.number and b.numbering != "division":
            b = replace(b, level=b.level + 1, form=b.numbering)
        elif isinstance(b, RunIn | Trailing):
            b = replace(b, heading=replace(b.heading, level=b.heading.level + 1, form=b.heading.numbering))
        body.append(b)
    return replace(spec, body=tuple(body), toc_levels=spec.toc_levels + 1), st


def deep(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """(1) and ① headings with paragraphs under the first 1. heading that has a paragraph and no
    deeper headings of its own (a ① right under 1. would otherwise follow the inserted (2) and
    belong to it)."""
    at = next(
        i
        for i, b in enumerate(spec.body)
        if isinstance(b, Heading)
        and b.numbering == "item"
        and isinstance(spec.body[i + 1], Para)
        and not _has_deeper(spec.body, i + 1)
    )
    item = spec.body[at]
    assert isinstance(item, Heading)
    para = spec.body[at + 1]
    assert isinstance(para, Para)
    lvl = item.level
    inserted: tuple[Block, ...] = (
        Heading(lvl + 1, "1", "实施思政铸魂行动", form="subitem"),
        Para("思政铸魂行动覆盖全体新生，开设专题讲座二十四场。"),
        Heading(lvl + 2, "①", "坚持价值引领", form="circled"),
        Para("以理想信念教育为核心，组织主题团日活动八十余次。"),
        Heading(lvl + 2, "②", "突出实践养成", form="circled"),
        Para("建设校外实践基地十一个，学生参与率达到百分之九十六。"),
        Heading(lvl + 1, "2", "完善协同育人机制", form="subitem"),
        Para("联合地方企业共建育人共同体，聘请兼职导师四十名。"),
    )
    body = spec.body[: at + 2] + inserted + spec.body[at + 2 :]
    return replace(spec, body=body), st


def _has_deeper(body: tuple[Block, ...], start: int) -> bool:
    """Whether the first heading from `start` on is a (1) or ① one (nested under the one before)."""
    nxt = next((b for b in body[start:] if isinstance(b, Heading)), None)
    return nxt is not None and nxt.numbering in ("subitem", "circled")


def untitled_toc(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    return replace(spec, toc_title=None), st


def chart_body(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """A chart with no caption, then a short body line (not a sentence end) directly under it,
    after the first paragraph of the first （一） section."""
    sub = next(i for i, b in enumerate(spec.body) if isinstance(b, RunIn) or (isinstance(b, Heading) and b.level == 2))
    at = next(i for i in range(sub + 1, len(spec.body)) if isinstance(spec.body[i], Para)) + 1
    short = Para("学院近三年在校生规模情况如下：")
    body = (*spec.body[:at], Figure(90, None), short, Para(second_text(90, 2)), *spec.body[at:])
    return replace(spec, body=body), st


def wide_margin(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """The second 一、 part starts a new page whose text block sits further right, until the next part
    (or the chapter heading before it) starts a page at the usual margin."""
    parts = [i for i, b in enumerate(spec.body) if isinstance(b, Heading) and b.numbering == "part" and b.number]
    start, end = parts[1], parts[2]
    while isinstance(spec.body[end - 1], Heading) and spec.body[end - 1].numbering in ("chapter", "division"):
        end -= 1  # the next part's chapter (and 第X部分) headings start the page after the wide one
    extra = 3 * st.body_size
    b = spec.body
    body = (*b[:start], NewPage(), Margin(extra), *b[start:end], NewPage(), Margin(-extra), *b[end:])
    return replace(spec, body=body), st


def mirrored(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """Mirrored margins: the whole text block of even pages two characters further right."""
    return spec, replace(st, mirror=2 * st.body_size)


def two_line_title(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """The cover title broken over two large lines (the school stays on its own line)."""
    school, title, *rest = spec.cover_lines
    cut = title.index("年度")
    lines = (school, title[:cut], title[cut:], *rest)
    return replace(spec, cover_lines=lines, cover_big=3), st


def trailing(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """The first （N>1） heading after a paragraph and before one is printed at the end of that
    paragraph's last line (the paragraph shortened until the heading fits there). A report with no
    （一） tier (the third one: 一、 → 1.) trails its first N>1 heading of the 1. tier instead."""
    b = list(spec.body)

    def trails(i: int, form: str) -> bool:
        h, before, after = b[i], b[i - 1], b[i + 1]
        return (
            isinstance(h, Heading)
            and h.numbering == form
            and h.number not in ("一", "1")
            and isinstance(before, Para)
            and not before.lead
            and isinstance(after, Para)
        )

    at = next(i for form in ("sub", "item") for i in range(1, len(b) - 1) if trails(i, form))
    head, para = b[at], b[at - 1]
    assert isinstance(head, Heading) and isinstance(para, Para)
    text = para.text
    while lines_of(text + head.printed, st) > lines_of(text, st):
        text = text[:-2] + text[-1]
    body = (*b[: at - 1], Trailing(replace(para, text=text), head), *b[at + 1 :])
    return replace(spec, body=body), st


def framed(spec: ReportSpec, st: ReportStyle) -> tuple[ReportSpec, ReportStyle]:
    """Two paragraphs in a rounded frame, two thirds of the column wide, after the first paragraph
    of the second part (a call-out: 重要内容提示)."""
    parts = [i for i, b in enumerate(spec.body) if isinstance(b, Heading) and b.numbering == "part" and b.number]
    at = next(i for i in range(parts[1], len(spec.body)) if isinstance(spec.body[i], Para)) + 1
    box = Framed((Para("重要内容提示：" + second_text(60, 3)), Para(second_text(61, 2))), share=0.7, rounded=6)
    return replace(spec, body=(*spec.body[:at], box, *spec.body[at:])), st


CONVENTIONS: dict[Convention, Callable[[ReportSpec, ReportStyle], tuple[ReportSpec, ReportStyle]]] = {
    Convention.BODY_FONT: body_font,
    Convention.RUN_IN: run_in,
    Convention.WRAPPED: wrapped,
    Convention.CHAPTERS: chapters,
    Convention.DEEP: deep,
    Convention.UNTITLED_TOC: untitled_toc,
    Convention.CHART_BODY: chart_body,
    Convention.WIDE_MARGIN: wide_margin,
    Convention.MIRRORED: mirrored,
    Convention.TWO_LINE_TITLE: two_line_title,
    Convention.TRAILING: trailing,
    Convention.FRAMED: framed,
}
# The order flags apply in: a trailing heading first (it needs a heading between two paragraphs),
# then run-in (a （一） heading that runs in is not set in the body font as a line of its own), then
# the others in their declared order.
FIRST = (Convention.TRAILING, Convention.RUN_IN)
ORDER = [*FIRST, *(c for c in Convention if c not in FIRST)]


def apply(spec: ReportSpec, st: ReportStyle, flags: Iterable[Convention]) -> tuple[ReportSpec, ReportStyle]:
    chosen = set(flags)
    for flag in ORDER:
        if flag in chosen:
            spec, st = CONVENTIONS[flag](spec, st)
    return spec, st


# ---------------------------------------------------------------------------------------------
# A second report: another college, other sections, other numbers
# ---------------------------------------------------------------------------------------------

SECOND_SCHOOL = "江川工贸职业学院"

_SECOND_SENTENCES = (
    "学院聚焦智能网联汽车和现代物流两大产业集群，调整专业 7 个，新增专业方向 4 个",
    "全年招收新生 4862 人，报到率 96.1%，其中省外生源占比提高到 18.4%",
    "推行岗课赛证融通改革，开发活页式教材 23 部，立项省级精品在线开放课程 5 门",
    "毕业生去向落实率为 93.7%，本地就业比例达到 61.2%，用人单位满意度保持在 95% 以上",
    "与 38 家龙头企业共建订单班，企业兼职教师承担专业课课时比例达到 27.5%",
    "面向社区开展老年教育和职业技能培训 2.6 万人次，获评省级社区教育示范基地",
    "建成虚拟仿真实训中心，年使用 41 万人时，设备利用率较上年提高 12 个百分点",
    "引进博士 9 人，培养省级教学名师 2 人，双师型教师占专业课教师比例为 78.3%",
)


def pick(pool: tuple[str, ...], seed: int, sentences: int, step: int) -> list[str]:
    """`sentences` sentences of `pool`, starting where `seed` says (a paragraph's content)."""
    return [pool[(seed * step + k) % len(pool)] for k in range(sentences)]


def second_text(seed: int, sentences: int = 3) -> str:
    return f"其{seed}，" + "；".join(pick(_SECOND_SENTENCES, seed, sentences, 5)) + "。"


def second_spec(**changes: object) -> ReportSpec:
    """Another college's report: 前言 instead of 学校概述, other parts, titles, tables and cases."""
    p = second_text
    body: tuple[Block, ...] = (
        h0("前言"),
        Para(p(1, 3)),
        h1("一", "人才培养"),
        h2("一", "招生就业：稳规模提质量"),
        Para(p(2, 3)),
        h3("1", "生源结构持续优化"),
        Para(p(3, 2)),
        h3("2", "就业质量稳中有升"),
        Para(p(4, 2)),
        h2("二", "技能竞赛：以赛促教"),
        Para(p(5, 3)),
        Figure(1, "近三年技能竞赛获奖情况"),
        Para(p(6, 4)),
        h1("二", "服务贡献"),
        h2("一", "社会服务：面向社区办学"),
        Para(p(7, 3)),
        DataTable(
            (("培训项目", "人次", "学时"), ("老年教育", "9800", "320"), ("技能培训", "16200", "540")),
            number=1,
            caption="社会培训开展情况",
        ),
        Para(p(8, 2)),
        h2("二", "产教协同：共建产业学院"),
        Para(p(9, 3)),
        Case(1, "汽车产业学院的“双主体”育人实践", (Para(p(10, 3)),)),
        Para("产业学院经验已在全院推广：" + p(11, 2)),
        h1("三", "问题与改进"),
        h2("一", "存在问题"),
        Para(p(12, 2)),
        h2("二", "改进措施"),
        Para(p(13, 3)),
        ClosingList("figures"),
        ClosingList("tables"),
        ClosingList("cases"),
        Annex(f"【附件目录】{SECOND_SCHOOL}质量年度报告指标"),
    )
    spec = ReportSpec(
        cover_lines=(SECOND_SCHOOL, "职业教育质量年度报告（2024）", "二〇二四年一月"),
        body=body,
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# A third report: 第X部分 above 一、, 1. directly under 一、, ① under 1.; a transport college
# ---------------------------------------------------------------------------------------------

THIRD_SCHOOL = "北岭交通职业技术学院"

_THIRD_SENTENCES = (
    "学院对接轨道交通和智慧港口产业链，组建专业群 5 个，覆盖专业 26 个",
    "全年开展订单培养 1130 人，与 17 家运输企业签订联合培养协议",
    "建成城市轨道交通运营实训基地，实训工位 860 个，年承接社会培训 3.4 万人日",
    "学生获全国职业院校技能大赛一等奖 2 项，省级奖项 29 项",
    "专任教师中具有企业工作经历的占 64.8%，新增高级职称教师 21 人",
    "毕业生在交通运输行业就业的比例为 72.6%，起薪较上年增长 6.1%",
    "面向乡村振兴开展驾驶员和物流从业人员培训 5200 人次",
    "牵头制定行业标准 3 项，获得授权专利 48 件，技术服务到账经费 690 万元",
)


def third_text(seed: int, sentences: int = 3) -> str:
    return f"第{seed}项，" + "，".join(pick(_THIRD_SENTENCES, seed, sentences, 3)) + "。"


def division(number: str, title: str) -> Heading:
    return Heading(1, number, title, form="division")


def third_spec(**changes: object) -> ReportSpec:
    """Another college's report laid out four tiers deep without （一）: 第一部分 → 一、 → 1. → ①."""
    p = third_text
    body: tuple[Block, ...] = (
        division("一", "办学基础"),
        Heading(2, "一", "学院概况", form="part"),
        Para(p(1, 3)),
        Heading(2, "二", "办学条件", form="part"),
        Para(p(2, 2)),
        Heading(3, "1", "实训基地建设", form="item"),
        Para(p(3, 3)),
        Heading(4, "①", "轨道交通实训中心", form="circled"),
        Para(p(4, 2)),
        Heading(4, "②", "智慧港口实训中心", form="circled"),
        Para(p(5, 2)),
        Heading(3, "2", "信息化条件建设", form="item"),
        Para(p(6, 3)),
        division("二", "人才培养与服务"),
        Heading(2, "三", "人才培养质量", form="part"),
        Para(p(7, 3)),
        Heading(3, "1", "技能竞赛成绩", form="item"),
        Para(p(8, 2)),
        Heading(3, "2", "毕业生就业质量", form="item"),
        Para(p(9, 3)),
        Heading(2, "四", "社会服务能力", form="part"),
        Para(p(10, 3)),
        Figure(1, "近三年社会培训人日"),
        Para(p(11, 2)),
        Heading(2, "五", "发展规划", form="part"),
        Para(p(12, 3)),
        Heading(3, "1", "重点任务", form="item"),
        Para(p(13, 2)),
        Heading(4, "①", "深化产教融合", form="circled"),
        Para(p(14, 2)),
        Heading(4, "②", "提升国际化水平", form="circled"),
        Para(p(15, 2)),
        ClosingList("figures"),
        Annex(f"【附件】{THIRD_SCHOOL}质量年度报告指标"),
    )
    spec = ReportSpec(
        cover_lines=(THIRD_SCHOOL, "高等职业教育质量年度报告（2023）", "二〇二三年十二月"),
        body=body,
        toc_levels=2,
    )
    return replace(spec, **changes)  # type: ignore[arg-type]
