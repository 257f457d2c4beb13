"""A section that reports the year before the report's period: last year's text carried over.

The report of year N covers year N-1 (text_text.reference_year: the annex's latest period). A
section that dates most of its figures (2020年实际收入 …, 2020年取得财政拨款 …) and dates none of
them in the report's period states the year before it: one warning per section, with the year it
states. Left alone, as a reader would: history (a section whose latest dated figure is older than
the year before the report's period), changes (较2019年增加 … dates the base of a comparison, not
the figure), cases (a project's story has its own dates) and sections that date few figures.
"""

from __future__ import annotations

from collections import Counter

from ..model import Document, Fact
from . import rules
from .annex_text import labelled_year
from .frames import Check
from .ruleids import RuleId
from .text_text import reference_year


def is_change(f: Fact) -> bool:
    """The figure's clause states a change (较2019年增加 0.7 亿元): it dates the base, not the figure."""
    head = f.sentence[: f.start]
    clause = head[max(head.rfind(d) for d in rules.CLAUSE_DELIMS) + 1 :]
    return bool(rules.CHANGE_RE.search(clause + f.subject))


def section_period_checks(doc: Document) -> list[Check]:
    """One row per section that dates most of its figures, recently: its latest dated year against the report's."""
    ref = reference_year(doc)
    if ref is None:
        return []
    report = int(ref)
    cases = {s.id for s in doc.sections if s.kind == "case"}
    sections = {s.id: s for s in doc.sections}
    by_section: dict[str, list[tuple[Fact, int | None]]] = {}
    for f in doc.facts:
        if f.value is None or f.kind not in ("number", "percent") or not f.section or f.section in cases:
            continue
        if is_change(f):
            continue
        by_section.setdefault(f.section, []).append((f, labelled_year(f, report, school_year_end=True)))
    out: list[Check] = []
    for sid, figures in by_section.items():
        dated = [(f, y) for f, y in figures if y is not None]
        if len(dated) < rules.SECTION_DATED_MIN or len(dated) < rules.SECTION_DATED_SHARE * len(figures):
            continue
        latest = max(y for _, y in dated)
        if latest < report - rules.REPORTED_YEAR_LAG:
            continue  # history: no figure of the year before the report's period
        years = Counter(y for _, y in dated)
        first = next(f for f, y in dated if y == latest)
        sec = sections.get(sid)
        out.append(
            Check(
                RuleId.TEXT_SECTION_PERIOD,
                sid,
                None,
                sec.title if sec else sid,
                first.page,
                expected_text=f"{report}年",
                observed_text=f"{latest}年（{len(dated)}/{len(figures)} 个数字标注年份："
                + "，".join(f"{y}年 {n}" for y, n in sorted(years.items()))
                + "）",
                detail=f"{sid} p.{first.page}: {first.sentence}",
                values={
                    "expected": float(report),
                    "observed": float(latest),
                    "tolerance": 0.0,
                    "section": sid,
                    "text_page": first.page,
                    "sentence": first.sentence,
                },
            )
        )
    return out
