"""Narrative facts: the numbers the report states in its paragraphs, with what they quantify.

"就业率为 96.47%" → subject 就业率, 96.47, %. The subject is found by the shape of these
sentences: a linking verb (为/达/占/共计 …) puts it before the verb; an object verb (有/获/引进/
提供 …) puts it after the verb; with neither, it is the phrase before the number, or the noun
after a measure word (设有 11 个二级学院). It is a heuristic; the sentence is kept beside it.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Document, Fact, Paragraph
from .numbers import find_quantities
from .textform import strip_extraction_spaces, to_halfwidth

_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
_CLAUSE_DELIMS = "，,。；;：:！？!?（）()、"
# Longest first, so 占比 wins over 占 and 现有 over 有.
LINK_VERBS = sorted(
    "为 达 达到 是 占 占比 共计 共有 总计 合计 累计 约为 高达 增至 降至 提高到 提升至 提升到 增长 超".split(),
    key=len,
    reverse=True,
)
OBJECT_VERBS = sorted(
    """有 现有 设有 获 获得 获批 荣获 斩获 引进 录取 吸引 组织 提供 发放 新增 建成 立项 培训 服务 参与 报到 开展
    招收 接待 指导 选派 表彰 组建 打造 建立 认定 举办 完成 覆盖 资助 开设 承办""".split(),
    key=len,
    reverse=True,
)
_LEAD_NOISE = re.compile(
    r"^(?:学校|学院|我校|全校|本校|今年|去年|目前|当前|其中|共|已|累计|并|还|也|同时|的|\d{4}(?:年度|年|届|级))+"
)
_TRAIL_NOISE = re.compile(r"(?:依次|分别|已|共|总|约|的|了|达|为|高达)+$")
_AFTER_STOP = re.compile(r"通过|参与|参加|用于|进行|开展|和|及|与|的|在|为|达|是|占|对|将|从")
# Measure words that put the counted noun after the number (设有 11 个二级学院, 吸引 36 名考生).
CLASSIFIERS = frozenset(
    "个 项 名 所 支 家 门 部 篇 本 册 套 台 件 种 类 条 批 场 场次 次 人 人次 位 辆 张 期 届".split()
)
_LIST_GLUE = "、和及与，, "
_PERIOD = re.compile(r"\d{4}(?:-\d{4}学年|年度|学年|年|届|级)")
MAX_SUBJECT = 24  # characters kept from a long subject phrase (its end: the head noun)


FACT_COLUMNS = ("doc_id", *Fact.model_fields)


def sentences(text: str) -> list[str]:
    """Split normalized paragraph text at 。！？； (the delimiter stays with its sentence)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _rightmost(text: str, verbs: list[str]) -> tuple[int, str] | None:
    """The verb occurrence ending last in text (longest verb on a tie)."""
    best: tuple[int, str] | None = None
    for v in verbs:
        i = text.rfind(v)
        if i >= 0 and (best is None or i + len(v) > best[0] + len(best[1])):
            best = (i, v)
    return best


def _clean(subject: str) -> str:
    prev = None
    while prev != subject:
        prev = subject
        subject = _TRAIL_NOISE.sub("", _LEAD_NOISE.sub("", subject)).strip()
    return subject[-MAX_SUBJECT:]


def _after_phrase(sentence: str, end: int, stop: int) -> str:
    tail = sentence[end:stop]
    cut = min([i for i in (tail.find(d) for d in _CLAUSE_DELIMS) if i >= 0], default=len(tail))
    tail = tail[:cut].lstrip("的")
    m = _AFTER_STOP.search(tail, 1)
    return tail[: m.start()] if m else tail[:MAX_SUBJECT]


def subject_of(
    sentence: str, start: int, end: int, unit: str | None = None, prev_end: int = 0, next_start: int | None = None
) -> str:
    """The phrase the number at sentence[start:end] quantifies (see the module docstring); "" if none."""
    clause_start = max([prev_end] + [sentence.rfind(d, 0, start) + 1 for d in _CLAUSE_DELIMS])
    before = sentence[clause_start:start]
    after = _clean(_after_phrase(sentence, end, len(sentence) if next_start is None else next_start))
    if unit in CLASSIFIERS and after:
        return after
    found = _rightmost(before, LINK_VERBS + OBJECT_VERBS)
    if found:
        i, verb = found
        rest = _clean(before[i + len(verb) :])
        if verb in LINK_VERBS:
            return _clean(before[:i]) if not rest else after or _clean(before)
        if len(rest) > 2:  # 现有全日制在校学生 17459 人 → 全日制在校学生; 参与人数 stays whole
            return rest
        return after or _clean(verb + rest)
    subject = _clean(before)
    return subject if len(subject) > 1 else after or subject


def paragraph_facts(paragraph: Paragraph) -> list[Fact]:
    text = strip_extraction_spaces(to_halfwidth(paragraph.text))
    out: list[Fact] = []
    for sentence in sentences(text):
        found = find_quantities(sentence)
        for k, q in enumerate(found):
            prev_end = found[k - 1].end if k else 0
            next_start = found[k + 1].start if k + 1 < len(found) else None
            periods = _PERIOD.findall(sentence[: q.start])
            pv = q.parsed
            subject = subject_of(sentence, q.start, q.end, pv.printed_unit, prev_end, next_start)
            if (
                out
                and out[-1].sentence == sentence
                and (not subject or not sentence[prev_end : q.start].strip(_LIST_GLUE))
            ):
                subject = out[-1].subject  # 29.59%、11.63% 和 1.13%: one subject for the list
            out.append(
                Fact(
                    id=f"{paragraph.id}-f{len(out) + 1}",
                    paragraph=paragraph.id,
                    section=paragraph.section,
                    page=paragraph.page,
                    subject=subject,
                    text=sentence[q.start : q.end],
                    kind=pv.kind,
                    value=pv.value,
                    value2=pv.value2,
                    unit=pv.unit,
                    printed_unit=pv.printed_unit,
                    qualifier=pv.qualifier,
                    qualifier_text=pv.qualifier_text,
                    period=periods[-1] if periods else None,
                    sentence=sentence,
                    start=q.start,
                    end=q.end,
                )
            )
    return out


def extract_facts(doc: Document) -> list[Fact]:
    """Every stated number of the document's paragraphs, in reading order."""
    return [f for p in doc.paragraphs for f in paragraph_facts(p)]


def fact_rows(doc: Document, facts: list[Fact]) -> list[dict[str, Any]]:
    """Rows for facts.csv (FACT_COLUMNS): each fact with the document id."""
    return [{"doc_id": doc.doc_id, **f.model_dump()} for f in facts]
