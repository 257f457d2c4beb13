"""The numbering conventions of the report type: which prefixes make a heading, at which level.

These are the rules of the national template and of Chinese official writing (GB/T 9704 style
一、 / （一） / 1. / （1）), not of one college's file. Everything that decides "is this a
numbered heading and what is its number" lives here, so a reader finds it in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .text import nfkc_squash as squash

CN_DIGITS = "〇零一二三四五六七八九十百"
CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class NumberingKind(StrEnum):
    """The conventional numbering styles (serialised as their value)."""

    CASE = "case"  # 案例 1：…  (a case box, outside the outline)
    PART = "part"  # 一、
    DIVISION = "division"  # 第一部分 / 第一篇 / 第一部: above the chapters
    CHAPTER = "chapter"  # 第一章
    SECTION = "section"  # 第一节
    SUB = "sub"  # （一）
    ITEM = "item"  # 1.
    SUBITEM = "subitem"  # （1）
    CIRCLED = "circled"  # ①


# Ordered: the first pattern that matches wins. Each gives the numeral and the rest (the title).
_PATTERNS: list[tuple[NumberingKind, int | None, re.Pattern[str]]] = [
    (NumberingKind.CASE, None, re.compile(r"^案例\s*(\d+|[" + CN_DIGITS + r"]+)\s*[：:．.、]?\s*(.*)$")),
    (NumberingKind.PART, 1, re.compile(r"^([" + CN_DIGITS + r"]{1,3})\s*[、．.]\s*(.+)$")),
    (NumberingKind.DIVISION, 1, re.compile(r"^第([" + CN_DIGITS + r"]{1,3}|\d{1,2})(?:部分|篇|部)\s*(.+)$")),
    (NumberingKind.CHAPTER, 1, re.compile(r"^第([" + CN_DIGITS + r"]{1,3}|\d{1,2})章\s*(.+)$")),
    (NumberingKind.SECTION, 1, re.compile(r"^第([" + CN_DIGITS + r"]{1,3}|\d{1,2})节\s*(.+)$")),
    (NumberingKind.SUB, 2, re.compile(r"^[（(]\s*([" + CN_DIGITS + r"]{1,3})\s*[）)]\s*[、．.]?\s*(.+)$")),
    (NumberingKind.ITEM, 3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.+)$")),
    (NumberingKind.SUBITEM, 4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$")),
    (NumberingKind.CIRCLED, 4, re.compile(r"^([" + CIRCLED_DIGITS + r"])\s*(.+)$")),
]

# The characters a numbering can start with (a heading printed inside a line is looked for there).
NUMBERING_STARTS = frozenset(CN_DIGITS + CIRCLED_DIGITS + "0123456789０１２３４５６７８９（(第")

# The outline's nesting, outermost tier first (第X部分/篇 → 第X章 → 第X节 → 一、 → （一） → 1. → (1)
# → ①): a
# heading closes every open heading of its own or a later tier and nests under the rest. The tiers
# in use give the levels (一、→ 1. without （一） is levels 1 and 2; 第一章 → 一、 is 1 and 2). An
# unnumbered part (学校概述) closes every open heading and sits in the tier of 一、.
OUTLINE_TIERS: tuple[frozenset[NumberingKind], ...] = (
    frozenset({NumberingKind.DIVISION}),
    frozenset({NumberingKind.CHAPTER}),
    frozenset({NumberingKind.SECTION}),
    frozenset({NumberingKind.PART}),
    frozenset({NumberingKind.SUB}),
    frozenset({NumberingKind.ITEM}),
    frozenset({NumberingKind.SUBITEM}),
    frozenset({NumberingKind.CIRCLED}),
)
# Styles that make a heading in the body font when the line stands alone; (1) and ① in the body
# font are list items of running text.
PLAIN_HEADING_KINDS = frozenset(
    {
        NumberingKind.DIVISION,
        NumberingKind.CHAPTER,
        NumberingKind.SECTION,
        NumberingKind.PART,
        NumberingKind.SUB,
        NumberingKind.ITEM,
    }
)
# Styles that mark a body-level heading on a page (a page that has one is not a cover).
TOP_KINDS = frozenset({NumberingKind.DIVISION, NumberingKind.CHAPTER, NumberingKind.SECTION, NumberingKind.PART})


def outline_tier(kind: NumberingKind) -> int:
    """Index of `kind` in OUTLINE_TIERS (0 = outermost)."""
    return next(i for i, tier in enumerate(OUTLINE_TIERS) if kind in tier)


def sequence_evidence(
    kind: NumberingKind, number: str, open_headings: Sequence[tuple[int, str]], sibling_ahead: bool = False
) -> int:
    """What the numbering sequence says of a heading numbered `number` in style `kind`, given the
    open headings as (outline tier, number), outermost first: +1 when it follows the open sibling
    of its tier ((二) after (一) under the same parent), or is a first child whose next sibling
    follows (`sibling_ahead`, see siblings_ahead); -1 when it breaks that sequence (a gap, a
    repeat, a step back); 0 when no numbered sibling is open and none is known to follow."""
    tier = outline_tier(kind)
    sibling = next((num for t, num in open_headings if t == tier and num), None)
    n, prev = cn_to_int(number), cn_to_int(sibling) if sibling is not None else None
    if n is None:
        return 0
    if prev is None:
        return 1 if n == 1 and sibling_ahead else 0
    return 1 if n == prev + 1 else -1


def siblings_ahead(numbers: Sequence[Numbering | None]) -> set[int]:
    """Indices of the numberings numbered 1 (一、（一）1. …) whose number 2 in the same style
    starts a later line before any numbering of an outer tier: the first child of a sequence that
    goes on (lines in reading order, None for a line with no numbering or not in running text)."""
    out: set[int] = set()
    for i, num in enumerate(numbers):
        if num is None or num.kind is NumberingKind.CASE or cn_to_int(num.number) != 1:
            continue
        tier = outline_tier(num.kind)
        for later in numbers[i + 1 :]:
            if later is None or later.kind is NumberingKind.CASE:
                continue
            if outline_tier(later.kind) < tier:
                break
            if later.kind is num.kind and cn_to_int(later.number) == 2:
                out.add(i)
                break
    return out


class ListKind(StrEnum):
    """The closing lists of the national template (【附图目录】…)."""

    FIGURES = "figures"
    TABLES = "tables"
    CASES = "cases"


class CaptionKind(StrEnum):
    TABLE = "table"  # 表 N …
    FIGURE = "figure"  # 图 N … (a chart)
    PHOTO = "photo"  # the line under a picture, unnumbered


# Unnumbered level-1 parts of the national template and the closing lists/annex.
UNNUMBERED_PARTS = ("学校概述", "学校概况", "学院概况", "学院概述", "前言", "引言", "结语", "结束语")
LIST_TITLES = {"附图目录": ListKind.FIGURES, "附表目录": ListKind.TABLES, "案例目录": ListKind.CASES}
ANNEX_PREFIXES = ("附件目录", "附件", "附表")
TOC_TITLES = ("目录",)
DECLARATION_TITLES = ("内容真实性责任声明", "真实性责任声明", "责任声明", "声明")

# Captions: group 1 the number, group 2 the title. A caption's number is what a list entry refers to.
# 表 3：… / 续表 3 / 表三: the one table-caption pattern (structure, tables, TOC)
CAPTION_TABLE = re.compile(r"^(?:续)?表\s*(\d+(?:[-－.．]\d+)?|[一二三四五六七八九十]+)\s*[：:．.、]?\s*(.*)$")
CAPTION_FIGURE = re.compile(r"^图\s*(\d+(?:[-－.．]\d+)?)\s*[：:．.、]?\s*(.*)$")
CAPTION_PATTERNS: dict[CaptionKind, re.Pattern[str]] = {
    CaptionKind.TABLE: CAPTION_TABLE,
    CaptionKind.FIGURE: CAPTION_FIGURE,
}
LIST_CAPTIONS: dict[ListKind, re.Pattern[str]] = {ListKind.TABLES: CAPTION_TABLE, ListKind.FIGURES: CAPTION_FIGURE}
# Numberings that run into their paragraph (（一）主动公开情况。2024 年，…), and where such a title ends.
RUN_IN_KINDS = frozenset({NumberingKind.SUB})
RUN_IN_END = re.compile(r"[。：:．]|\.(?!\d)")
# Punctuation that ends a sentence or clause: a line ending in one is running text, not a heading.
SENTENCE_END = tuple("。；;，,：:！？!?")
# Punctuation that ends a sentence (not a clause): a heading has none inside, a paragraph has.
FULL_STOPS = tuple("。；;！？!?")


@dataclass(frozen=True, slots=True)
class Numbering:
    kind: NumberingKind
    level: int | None  # the conventional level of this numbering style
    number: str  # the numeral without its punctuation: 一 / 3 / 12
    title: str  # the text after the numbering


def parse_numbering(text: str) -> Numbering | None:
    """The numbering prefix of a line, if it has one of the conventional forms."""
    s = text.strip()
    for kind, level, pat in _PATTERNS:
        m = pat.match(s)
        if m:
            number, title = m.group(1).translate(_FULLWIDTH_DIGITS), m.group(2).strip()
            if kind is NumberingKind.ITEM and re.fullmatch(r"[\d\s.,%]+", title):  # "1. 2": numbers, not a heading
                return None
            if kind is not NumberingKind.CASE and not title:
                return None
            return Numbering(kind, level, number, title)
    return None


def cn_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 3 → 3, ② → 2 (numbering ordinals up to 99)."""
    s = numeral.strip()
    if s.isdecimal():
        return int(s)
    if len(s) == 1 and s in CIRCLED_DIGITS:
        return CIRCLED_DIGITS.index(s) + 1
    if not s or any(ch not in _CN_VALUE and ch != "十" for ch in s):
        return None
    if "十" not in s:
        value = 0
        for ch in s:
            value = value * 10 + _CN_VALUE[ch]
        return value
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None  # 十十, 二二十: not a numeral
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def list_kind(title: str) -> ListKind | None:
    """'figures'/'tables'/'cases' for the 【附图目录】-style lists, else None."""
    core = squash(title).strip("【】[]")
    return LIST_TITLES.get(core)


def is_annex_title(title: str) -> bool:
    core = squash(title)
    if list_kind(core):
        return False
    return core.startswith("【") and any(core.lstrip("【").startswith(p) for p in ANNEX_PREFIXES)


def is_unnumbered_part(title: str) -> bool:
    return squash(title) in UNNUMBERED_PARTS
