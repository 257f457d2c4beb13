"""The text against itself: one quantity stated in two sections agrees with itself.

Two figures state the same quantity when their subjects are the same words (after the generic
lead: 学校, 目前 …), their units the same family and their periods the same (a figure without a
year is about the report's own period: the annex's latest, else the year before the report's). A figure with
余/以上 stands for a range (500余 → 500-599), and two figures disagree when their ranges do not
meet. Left out, as a reader would: cumulative figures (累计, 截至), parts listed under a total,
approximations, short generic subjects (一等奖) and bare measures (参与人数), figures of cases (an
event, not the year) and of projects, and a subject that is only the head of a longer name
(11 个二级学院和教学单位).

Two sentences that restate one quantity and list their figures in the same order and units (a
yearly summary restated in another section) state the same quantities: their other figures are
paired by place when their subjects share a word (心理咨询年接待量 500余 / 心理咨询案例 150余).

A ratio stated with its two parts in one sentence (岗位 N 个 … 毕业生 M 个，供需比 1:k) reduces to
them: the larger part over the smaller equals k to its printed precision (rounded or cut), or is
at least k for 1:k 以上.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from ..model import Document, Fact
from ..normalize.catalog import name_key
from . import rules
from .frames import Check
from .ruleids import RuleId
from .tableview import decimals_of
from .textcontext import Context

_YEAR = re.compile(r"(?:19|20)\d{2}")
_COMPOUND = "和及与、"


def reference_year(doc: Document) -> str | None:
    """The period a figure without a year is about: the annex's latest year, else the year before the
    report year (a 质量年度报告（2022） reports on 2021)."""
    years = [int(m.group()) for i in doc.indicators if (m := _YEAR.search(i.period or ""))]
    if years:
        return str(max(years))
    year = doc.metadata.report_year
    return str(year - rules.REPORTED_YEAR_LAG) if year else None


def _range(f: Fact) -> tuple[float, float]:
    v = float(f.value or 0)
    if f.qualifier is None:
        return v, v
    if f.qualifier == "at_least" and not (f.qualifier_text or "").endswith("余"):
        return v, math.inf
    whole = int(abs(v))
    step = 1
    while whole and whole % (step * 10) == 0:
        step *= 10
    return v, v + step - 1e-9 if step > 1 else v + 1


def _key(f: Fact, ctx: Context, default_year: str | None, case_sections: set[str]) -> tuple[str, str, str] | None:
    if f.value is None or f.kind not in ("number", "percent") or f.section in case_sections:
        return None
    head = f.sentence[: f.start]
    clause = head[max(head.rfind(d) for d in "，,；;：:") + 1 :]
    if f.qualifier not in (None, "more_than", "at_least") or ctx.part_of is not None:
        return None
    if rules.CUMULATIVE_RE.search(clause):
        return None
    if rules.SCOPE_RE.search(head) and not rules.SCHOOL_SENTENCE_RE.match(ctx.before):
        return None  # a project's or a partner's figure
    subject = name_key(rules.GENERIC_LEAD_RE.sub("", f.subject))
    if len(subject) < rules.TEXT_SUBJECT_MIN or not re.fullmatch(r"[\u4e00-\u9fff“”]+", subject):
        return None
    if len(rules.TEXT_MEASURE_RE.sub("", subject)) < rules.TEXT_TOPIC_MIN:
        return None  # 参与人数, 培训人次: a measure of some activity, not one quantity
    after = f.sentence[f.end :]
    if after.startswith(f.subject) and after[len(f.subject) : len(f.subject) + 1] in tuple(_COMPOUND):
        return None  # the head of a longer name: 二级学院(和教学单位)
    period = ctx.year or default_year or ""
    return subject, rules.unit_family(f.printed_unit or f.unit) or "", period


def text_text_checks(doc: Document, ctxs: dict[str, Context]) -> list[Check]:
    """Each later statement of a quantity against its first statement in another section."""
    cases = {s.id for s in doc.sections if s.kind == "case"}
    default_year = reference_year(doc)
    groups: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        key = _key(f, ctxs[f.id], default_year, cases)
        if key is not None:
            groups[key].append(f)
    pairs: list[tuple[str, Fact, Fact]] = []
    for (subject, _, _), facts in groups.items():
        first = facts[0]
        pairs += [(subject, first, f) for f in facts[1:] if f.section != first.section]
    pairs += parallel_pairs(doc, pairs)
    return [_restates(subject, first, f) for subject, first, f in pairs]


def _restates(subject: str, first: Fact, f: Fact) -> Check:
    lo, hi = _range(first)
    a, b = _range(f)
    return Check(
        RuleId.TEXT_RESTATES_TEXT,
        f.section,
        None,
        subject,
        f.page,
        expected_text=f"{first.text}（{first.subject}）",
        observed_text=f"{f.text}（{f.subject}）",
        detail=f"{f.section} p.{f.page}: {f.sentence}",
        values={
            "expected": float(first.value or 0),
            "observed": float(f.value or 0),
            "section": f.section,
            "text_page": f.page,
            "sentence": f.sentence,
            "other_text": f"{first.section} p.{first.page}: {first.sentence}",
            "consistent": a <= hi and lo <= b,
        },
    )


def _shape(facts: list[Fact]) -> tuple[str, ...]:
    return tuple(f"{f.kind}:{f.printed_unit or f.unit or ''}" for f in facts)


def _shares_words(a: str, b: str) -> bool:
    """Two subjects share a two-character word (心理咨询年接待量 / 心理咨询案例)."""
    grams = {a[i : i + 2] for i in range(len(a) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", a[i : i + 2])}
    return any(b[i : i + 2] in grams for i in range(len(b) - 1))


def parallel_pairs(doc: Document, anchors: list[tuple[str, Fact, Fact]]) -> list[tuple[str, Fact, Fact]]:
    """Two sentences that restate one quantity (an anchor pair) and list their figures in the same
    order and units (覆盖率 %, 接待量 人/次, 团体辅导 次, 参与人数 人: at least rules.PARALLEL_MIN of
    them) state the same quantities: the figures in the same place whose subjects share a word are
    paired too, each checked like a restated quantity (the anchor is already)."""
    by_sentence: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        if f.value is not None and f.kind in ("number", "percent"):
            by_sentence[(f.paragraph, f.sentence)].append(f)
    out: list[tuple[str, Fact, Fact]] = []
    seen: set[tuple[str, str]] = {(a.id, b.id) for _, a, b in anchors}
    for _, first, second in anchors:
        xs = sorted(by_sentence[(first.paragraph, first.sentence)], key=lambda f: f.start)
        ys = sorted(by_sentence[(second.paragraph, second.sentence)], key=lambda f: f.start)
        if len(xs) < rules.PARALLEL_MIN or _shape(xs) != _shape(ys):
            continue
        for x, y in zip(xs, ys, strict=True):
            if (x.id, y.id) in seen or not _shares_words(x.subject, y.subject):
                continue
            seen.add((x.id, y.id))
            out.append((name_key(rules.GENERIC_LEAD_RE.sub("", x.subject)), x, y))
    return out


def _ratio_parts(ratio: Fact, facts: list[Fact]) -> tuple[Fact, Fact] | None:
    """The two figures before the ratio in its sentence, in the same printed unit (not 家 and 个)."""
    before = [f for f in facts if f.end <= ratio.start and f.kind == "number" and f.value and f.qualifier is None]
    if len(before) != 2 or (before[0].printed_unit or before[0].unit) != (before[1].printed_unit or before[1].unit):
        return None
    return before[0], before[1]


def ratio_checks(doc: Document) -> list[Check]:
    """Ratios whose two parts the sentence states: the parts reduce to the ratio."""
    by_sentence: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        by_sentence[(f.paragraph, f.sentence)].append(f)
    out: list[Check] = []
    for facts in by_sentence.values():
        for r in facts:
            if r.kind != "ratio" or not r.value or not r.value2 or r.qualifier not in (None, "at_least", "more_than"):
                continue
            parts = _ratio_parts(r, facts)
            if parts is None:
                continue
            a, b = (float(p.value or 0) for p in parts)
            stated = max(r.value, r.value2) / min(r.value, r.value2)
            actual = max(a, b) / min(a, b)
            step = 10.0 ** -decimals_of(r.text.split(":")[-1])
            holds = actual >= stated - step / 2 if r.qualifier else stated - step / 2 <= actual < stated + step
            out.append(
                Check(
                    RuleId.TEXT_RATIO_REDUCES,
                    r.section,
                    None,
                    r.subject,
                    r.page,
                    expected_text=f"{r.text}（{r.subject}）",
                    observed_text=f"{parts[0].text} : {parts[1].text} = 1:{actual:.2f}",
                    detail=f"{r.section} p.{r.page}: {r.sentence}",
                    values={
                        "expected": stated,
                        "observed": actual,
                        "section": r.section,
                        "text_page": r.page,
                        "sentence": r.sentence,
                        "consistent": holds,
                    },
                )
            )
    return out
