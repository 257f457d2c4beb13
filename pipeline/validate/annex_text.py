"""Text against the annex, by year: every figure of the text that names an annex indicator.

A stated number names an indicator when its subject is one of the catalog's names or aliases
(subjects.py), or ends in one (…工作与专业的相关度); a bare measure (到账经费) is joined to
the topic of the clause before it; a part stated with its total (获授权专利 N 件（发明专利 M
件）, 其中 …) names the total's sub-indicator, with the total's part of a pair. The annex prints
each indicator for two periods: the figure is compared with the one the sentence names (a year,
or 去年/上年度 for the one before the latest), else the report's latest period (今年, 本年度, no
year). It agrees with that value (to its printed precision), or restates an earlier period's value
(stale text: a warning of its own), or neither (a warning giving both). A figure dated after every
period the annex prints (the report year: 2022年 in the 2022 report on 2021) claims to be this
year's work: it is stale when it equals only an earlier period's value, and is not compared
otherwise (the annex has no value for its year).
Figures that name an indicator but cannot be compared (no annex value, ambiguous, another
unit, a project's scope) are counted and reported.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..model import Document, Fact, Indicator
from ..normalize.catalog import load_catalog
from . import rules
from .frames import Check, fmt
from .provinces import Division, inside_re
from .ruleids import RuleId
from .subjects import WHOLE, Named, SubjectIndex
from .textcontext import Context, fact_step

_YEAR = re.compile(r"(?:19|20)\d{2}")
_DELIMS = "，,。；;：:！？!?、"


@dataclass(frozen=True, slots=True)
class Reading:
    """What one fact names: the (indicator, part) pairs, and whether it stands for the college."""

    fact: Fact
    named: frozenset[Named]
    parent: Fact | None
    in_scope: bool


def _unit_family_of(ind: Indicator) -> str | None:
    unit = (ind.printed_unit or ind.unit or "").split("/")[0]
    return rules.unit_family(unit or None)


def _cohort(ind: Indicator) -> bool:
    return bool(rules.COHORT_PERIOD_RE.search(ind.period or ""))


def _merge(topic: str, measure: str) -> str:
    """横向技术服务 + 到账经费; 专利转化 + 转化金额 → 专利转化金额 (the overlap once)."""
    for k in range(min(len(topic), len(measure)), 0, -1):
        if topic.endswith(measure[:k]):
            return topic + measure[k:]
    return topic + measure


def _topic_named(index: SubjectIndex, f: Fact, prev: Fact | None) -> frozenset[Named]:
    """A bare measure named with the topic of the clause before it (its longest suffix that names one):
    the clause of the figure before it, else the clause before its own (开展横向技术服务，到款额 N 万元)."""
    if len(f.subject) > rules.MEASURE_ONLY_MAX:
        return frozenset()
    if prev is not None:
        head = f.sentence[: prev.start]
    else:
        own = f.sentence[: f.start]
        head = own[: max(own.rfind(d) for d in _DELIMS) + 1].rstrip(_DELIMS)
        if not head:
            return frozenset()
    clause = head[max(head.rfind(d) for d in _DELIMS) + 1 :]
    for i in range(len(clause) - 1):
        got = index.named(_merge(clause[i:], f.subject), f.kind == "percent")
        if got:
            return got
    return frozenset()


def _paren_parent(f: Fact, prev: Fact | None) -> Fact | None:
    """授权专利 470 件（发明专利 75 件）: the figure right after an opening bracket is a part of the one before it."""
    if prev is None:
        return None
    gap = f.sentence[prev.end : f.start]
    opened = max(gap.rfind(c) for c in rules.PAREN_OPEN)
    closed = max(gap.rfind(c) for c in rules.PAREN_CLOSE)
    if opened < 0 or closed > opened:
        return None
    same = rules.unit_family(f.printed_unit or f.unit) == rules.unit_family(prev.printed_unit or prev.unit)
    return prev if same else None


def _share_of(f: Fact) -> str:
    """87.74%的毕业生选择在本省就业: a percentage followed by 的 is the share of the phrase after it."""
    rest = f.sentence[f.end :]
    if not rest.startswith("的"):
        return ""
    cut = min((i for i in (rest.find(d) for d in _DELIMS) if i >= 0), default=len(rest))
    return rest[1:cut]


def readings(
    doc: Document, ctxs: dict[str, Context], index: SubjectIndex, home: Division | None = None
) -> list[Reading]:
    """Every number of the text with what it names in the catalog (possibly nothing).

    A case (案例) tells one project's story: its figures are the project's, never the college's.
    The college's own province, named in the text (在重庆市内), is the template's 本省.
    """
    inside = inside_re(home) if home is not None else None

    def own(phrase: str) -> str:
        return inside.sub(rules.HOME_PROVINCE_WORD, phrase) if inside is not None else phrase

    cases = {s.id for s in doc.sections if s.kind == "case"}
    by_sentence: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        by_sentence[(f.paragraph, f.sentence)].append(f)
    out: list[Reading] = []
    for facts in by_sentence.values():
        facts.sort(key=lambda f: f.start)
        for i, f in enumerate(facts):
            if f.value is None or f.kind not in ("number", "percent"):
                continue
            prev = facts[i - 1] if i else None
            pct = f.kind == "percent"
            subject = own(f.subject)
            named = (
                index.named(subject, pct)
                or _topic_named(index, f, prev)
                or index.named_by_ending(subject, pct)
                or index.named_with_modifier(subject)
                or (index.named_by_ending(own(share), pct) if pct and (share := _share_of(f)) else frozenset())
            )
            parent = ctxs[f.id].part_of or _paren_parent(f, prev)
            clause = f.sentence[: f.start]
            in_scope = f.section not in cases and (
                bool(rules.SCHOOL_SENTENCE_RE.match(ctxs[f.id].before)) or not rules.SCOPE_RE.search(clause)
            )
            out.append(Reading(f, named, parent, in_scope))
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    fact: Fact
    code: str
    part: int
    current: Indicator
    others: tuple[Indicator, ...]
    later: bool = False  # dated after every annex period: only stale text can be judged


def year_of(ind: Indicator) -> int | None:
    """The year of an annex period (2021年, 2021级 → 2021); None when it names none."""
    m = _YEAR.search(ind.period or "")
    return int(m.group()) if m else None


def labelled_year(f: Fact, latest: int, *, school_year_end: bool = False) -> int | None:
    """The year the sentence dates the figure with: the last label before it, an explicit year or a
    word relative to the latest period (去年 → latest - 1, 今年 → latest); None when undated.
    A school year (2020-2021学年) is dated by its first year, or by its last with `school_year_end`."""
    head = f.sentence[: f.start]
    labels = [
        (m.end(), int(m.group()[5:9] if school_year_end and m.group()[4] == "-" else m.group()[:4]))
        for m in rules.YEAR_LABEL_RE.finditer(head)
    ]
    labels += [(m.end(), latest) for m in rules.CURRENT_YEAR_RE.finditer(head)]
    labels += [(m.end(), latest - 1) for m in rules.PREVIOUS_YEAR_RE.finditer(head)]
    return max(labels)[1] if labels else None


def _value(ind: Indicator, part: int) -> float | None:
    v = ind.value2 if part == 2 else ind.value
    return None if v is None else float(v)


def _shown(ind: Indicator, part: int) -> str:
    text = ind.value_text or fmt(_value(ind, part))
    if ind.kind == "pair" and "/" in text:
        text = text.split("/")[part - 1 if part else 0]
    unit = (ind.printed_unit or ind.unit or "").split("/")[0]
    return f"{text.strip()}{unit}"


class Matcher:
    """Ties readings to the document's annex values; says why the others found none."""

    def __init__(self, doc: Document) -> None:
        self.catalog = {i.code: i for i in load_catalog().indicators}
        self.by_code: dict[str, list[Indicator]] = defaultdict(list)
        for ind in doc.indicators:
            if ind.code and (ind.value is not None or ind.value2 is not None):
                self.by_code[ind.code].append(ind)
        self.unmatched: Counter[str] = Counter()
        self.unmatched_subjects: list[str] = []

    def miss(self, f: Fact, why: str) -> None:
        self.unmatched[why] += 1
        self.unmatched_subjects.append(f"{f.subject}{f.text} p.{f.page}（{why}）")

    def _usable(self, named: frozenset[Named]) -> set[Named]:
        """Named indicators the annex reports; a cohort's head count (2021级 在校生) is not the college's."""
        got = {(c, p) for c, p in named if c in self.by_code}
        yearly = {
            (c, p) for c, p in got if not all(rules.COHORT_PERIOD_RE.search(i.period or "") for i in self.by_code[c])
        }
        if yearly:
            return yearly
        return {(c, p) for c, p in got if _unit_family_of(self.by_code[c][0]) != "people"}

    def compare(self, r: Reading, parent: Named | None) -> Comparison | None:
        f = r.fact
        named = r.named
        if parent is not None:  # a part names a sub-indicator of its total, with the total's part of a pair
            named = frozenset(
                (c, parent[1] if p == WHOLE else p) for c, p in named if self.catalog[c].parent == parent[0]
            )
            if not named:
                return None
        if not named:
            return None
        if not r.in_scope:
            self.miss(f, "scope")
            return None
        usable = self._usable(named)
        if not usable:
            self.miss(f, "no annex value")
            return None
        if len(usable) != 1:
            self.miss(f, "ambiguous")
            return None
        [(code, part)] = usable
        inds = self.by_code[code]
        if inds[0].kind == "pair" and part == WHOLE:
            self.miss(f, "pair part not named")
            return None
        if rules.unit_family(f.printed_unit or f.unit) != _unit_family_of(inds[0]):
            self.miss(f, "other unit")
            return None
        with_value = [i for i in inds if _value(i, part) is not None]
        if not with_value:
            self.miss(f, "no annex value")
            return None
        latest = max(with_value, key=lambda i: i.period or "")
        latest_year = year_of(latest)
        year = labelled_year(f, latest_year) if latest_year is not None else None
        later = year is not None and latest_year is not None and year > latest_year
        if year is None or later:
            current = latest
        else:
            found = next((i for i in with_value if year_of(i) == year), None)
            if found is None:
                return None  # an earlier year the annex does not print: not this comparison's business
            current = found
        others = tuple(i for i in with_value if i is not current)
        return Comparison(f, code, part, current, others, later)


def comparisons(
    doc: Document, ctxs: dict[str, Context], matcher: Matcher, home: Division | None = None
) -> list[Comparison]:
    index = SubjectIndex.of(load_catalog())
    named_of: dict[str, Named] = {}
    out: list[Comparison] = []
    for r in readings(doc, ctxs, index, home):
        parent = named_of.get(r.parent.id) if r.parent is not None else None
        if r.parent is not None and parent is None:
            continue  # a part of a total that names no indicator
        if r.fact.qualifier not in (None, "at_least", "more_than"):
            continue
        c = matcher.compare(r, parent)
        if c is not None:
            named_of[r.fact.id] = (c.code, c.part)
            out.append(c)
    return out


def _check(rule: RuleId, c: Comparison, tolerance: float, **extra: object) -> Check:
    f, ind = c.fact, c.current
    others = "；".join(f"{o.period} {_shown(o, c.part)}" for o in c.others)
    name = ind.indicator + (f"（{'AB'[c.part - 1]}）" if c.part else "")
    return Check(
        rule,
        ind.table_id,
        ind.row,
        f"{ind.indicator}｜{ind.period}" + (f"｜{'AB'[c.part - 1]}" if c.part else ""),
        ind.page,
        expected_text=f"{_shown(ind, c.part)}（{c.code} {name}，{ind.period}）",
        observed_text=f"{f.text}（{f.subject}）",
        detail=f"{f.section} p.{f.page}: {f.sentence}",
        values={
            "expected": _value(ind, c.part),
            "observed": float(f.value or 0),
            "tolerance": tolerance,
            "section": f.section,
            "text_page": f.page,
            "sentence": f.sentence,
            "other_text": others or "—",
            **extra,
        },
    )


def annex_text_checks(
    doc: Document, ctxs: dict[str, Context], matcher: Matcher, home: Division | None = None
) -> list[Check]:
    """Agree with the period's value; stale when only another period's matches. What found no value
    is counted in `matcher` (see `unmatched_check`). `home`: the college's province
    (provinces.province_of), which the text may name for 本省."""
    found = comparisons(doc, ctxs, matcher, home)
    out: list[Check] = []
    for c in found:
        f = c.fact
        tol = fact_step(f) + 1e-9  # a stated figure is rounded or cut to its last printed digit
        if f.qualifier is not None:
            out.append(_check(RuleId.ANNEX_MEETS_TEXT_BOUND, c, tol))
            continue
        value = float(f.value or 0)
        current = _value(c.current, c.part)
        agrees = current is not None and abs(value - current) <= tol
        earlier = [o for o in c.others if (year_of(o) or 0) < (year_of(c.current) or 0)]
        stale = not agrees and any(abs(value - (_value(o, c.part) or 0)) <= tol for o in earlier)
        if c.later and not (agrees or stale):
            matcher.miss(f, "later period")  # dated after the annex: no value of its year to compare
            continue
        if c.others:
            out.append(_check(RuleId.ANNEX_TEXT_STALE, c, tol, stale=stale))
        if not stale and not c.later:
            out.append(_check(RuleId.ANNEX_RESTATES_TEXT, c, tol))
    return out


def unmatched_check(doc: Document, matcher: Matcher) -> Check:
    """One row per document: how many figures named an annex indicator and found no value to compare."""
    n = sum(matcher.unmatched.values())
    reasons = "，".join(f"{why} {k}" for why, k in sorted(matcher.unmatched.items()))
    return Check(
        RuleId.ANNEX_TEXT_UNMATCHED,
        "text",
        None,
        None,
        None,
        expected_text="0",
        observed_text=f"{n}（{reasons}）" if n else "0",
        detail="；".join(matcher.unmatched_subjects),
        values={"expected": 0.0, "observed": float(n), "tolerance": 0.0},
    )
