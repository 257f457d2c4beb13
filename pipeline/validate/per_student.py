"""Totals the text states against an amount per student the annex prints: X against 生均X × students.

The annex prints 生均X (年生均财政拨款水平, 生均教学科研仪器设备值) and the head count (全日制在校生人数)
for two years; the text states the total X (取得财政拨款 3.09 亿元). The catalog names X for each
such indicator and the head count it divides (`per_student`: subjects.SubjectIndex.of_totals).
A stated total is dated as annex_text dates a figure (its last year label; undated: the annex's
latest period) and judged twice:

- it equals 生均X × students of another year only, not of its own, to its printed precision: the
  figure is that year's, the text dates it otherwise (`annex.derived_total_period`);
- it is not below 生均X × 全日制在校生 of its year: the official 生均 divides by 折合在校生, which adds
  other students at weights and is never below the full-time head count, so a smaller total
  implies fewer students than the annex counts (`annex.derived_total_bound`). Above the product is
  what the definition allows: no band follows from it.

A total dated after every annex period is judged by the first check only. Totals that name such an
indicator but find no product to compare (no annex value, a project's scope) are counted in the
matcher, with the other figures naming an indicator and found nothing (annex_text.unmatched_check).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, Fact, Indicator
from ..normalize.catalog import load_catalog
from . import rules
from .annex_text import Matcher, labelled_year, readings, year_of
from .frames import Check
from .periods import is_change
from .provinces import Division
from .ruleids import RuleId
from .subjects import SubjectIndex
from .tableview import decimals_of
from .textcontext import Context, fact_step, printed_scale


@dataclass(frozen=True, slots=True)
class Product:
    """生均X × students of one annex year, and how far the two printed values' rounding moves it."""

    year: int
    per_student: Indicator
    students: Indicator
    value: float
    tolerance: float


def _money(ind: Indicator) -> bool:
    return rules.unit_family((ind.printed_unit or ind.unit or "").split("/")[0] or None) == "money"


def _yearly(inds: list[Indicator]) -> dict[int, Indicator]:
    """An indicator's values by year; a cohort's (2021级) are not the college's year."""
    return {
        y: i
        for i in inds
        if i.value is not None and (y := year_of(i)) is not None and not rules.COHORT_PERIOD_RE.search(i.period or "")
    }


def _printed_step(ind: Indicator) -> float:
    """The last printed digit of an amount per student in base units (16569.36 元 → 0.01; 1.55 万元 → 100)."""
    text = ind.value_text or ""
    return 10.0 ** -decimals_of(text) * printed_scale(text, float(ind.value or 0))


def products(matcher: Matcher) -> dict[str, dict[int, Product]]:
    """生均 code → year → 生均X × students, for every per-student indicator the annex prints in money,
    with the first head count of the catalog's list the annex prints."""
    out: dict[str, dict[int, Product]] = {}
    for code, cat in matcher.catalog.items():
        spec = cat.per_student
        if spec is None:
            continue
        per = {y: i for y, i in _yearly(matcher.by_code.get(code, [])).items() if _money(i)}
        heads = next((got for c in spec.students if (got := _yearly(matcher.by_code.get(c, [])))), {})
        out[code] = {
            y: Product(
                y,
                p,
                heads[y],
                float(p.value or 0) * float(heads[y].value or 0),
                float(heads[y].value or 0) * _printed_step(p) / 2,
            )
            for y, p in per.items()
            if y in heads
        }
    return out


def _shown(f: Fact, amount: float) -> str:
    """An amount in the text's scale, one digit finer than the text prints (3.09 亿元 → 2.517亿元)."""
    scale = printed_scale(f.text, float(f.value or 0))
    return f"{amount / scale:.{decimals_of(f.text) + 1}f}{f.printed_unit or f.unit or ''}"


def _formula(f: Fact, p: Product) -> str:
    per_unit = p.per_student.printed_unit or p.per_student.unit or ""
    heads_unit = p.students.printed_unit or p.students.unit or ""
    return f"{p.per_student.value_text}{per_unit} × {p.students.value_text}{heads_unit} = {_shown(f, p.value)}"


def _check(rule: RuleId, f: Fact, year: int, p: Product | None, at: Product, **values: object) -> Check:
    """A row pointing at the annex's 生均 cell of the stated year (else the latest), citing the text."""
    ind = at.per_student
    return Check(
        rule,
        ind.table_id,
        ind.row,
        f"{ind.indicator} × {at.students.indicator}｜{year}年",
        ind.page,
        expected_text=_formula(f, p) if p is not None else f"附件无 {year}年 数据 / no annex value for {year}",
        observed_text=f"{f.text}（{f.subject}）",
        detail=f"{f.section} p.{f.page}: {f.sentence}",
        values={
            "expected": p.value if p is not None else None,
            "observed": float(f.value or 0),
            "section": f.section,
            "text_page": f.page,
            "sentence": f.sentence,
            "period_text": f"{year}年",
            **values,
        },
    )


def per_student_checks(
    doc: Document, ctxs: dict[str, Context], matcher: Matcher, home: Division | None = None
) -> list[Check]:
    """Each stated total of a per-student amount against 生均X × students: its year's product, and the
    other years' (see the module's docstring). Totals found no product are counted in `matcher`."""
    by_code = products(matcher)
    index = SubjectIndex.of_totals(load_catalog())
    out: list[Check] = []
    for r in readings(doc, ctxs, index, home):
        f = r.fact
        if not r.named or f.qualifier is not None or rules.unit_family(f.printed_unit or f.unit) != "money":
            continue
        if rules.PER_HEAD_RE.search(f.subject) or is_change(f):
            continue  # 生均 itself, or a change (较2019年增加 …): not the total
        if not r.in_scope:
            matcher.miss(f, "scope")
            continue
        codes = {code for code, _ in r.named if by_code.get(code)}
        if len(codes) != 1:
            matcher.miss(f, "ambiguous" if codes else "no annex value")
            continue
        years = by_code[codes.pop()]
        latest = max(years)
        year = labelled_year(f, latest) or latest
        if year not in years and year < latest:
            continue  # an earlier year the annex does not print: nothing to compare
        value, step = float(f.value or 0), fact_step(f)
        equal = {y for y, p in years.items() if abs(value - p.value) <= step + p.tolerance + 1e-9}
        own = years.get(year)
        others = sorted(equal - {year})
        stale = year not in equal and bool(others)
        if own is None and not stale:
            matcher.miss(f, "later period")
            continue
        at = own or years[latest]
        if len(years) > 1:
            cited = others or sorted(y for y in years if y != year)
            out.append(
                _check(
                    RuleId.ANNEX_DERIVED_TOTAL_PERIOD,
                    f,
                    year,
                    own,
                    at,
                    other_text="；".join(f"{y}年: {_formula(f, years[y])}" for y in cited),
                    stale=stale,
                    tolerance=step,
                )
            )
        if own is not None:
            implied = value / float(own.per_student.value) if own.per_student.value else 0.0
            out.append(
                _check(
                    RuleId.ANNEX_DERIVED_TOTAL_BOUND,
                    f,
                    year,
                    own,
                    at,
                    other_text=f"折合在校生 {implied:.0f} 人，{own.students.indicator} {own.students.value_text} 人",
                    bound=own.value - step - own.tolerance,
                    tolerance=step + own.tolerance,
                )
            )
    return out
