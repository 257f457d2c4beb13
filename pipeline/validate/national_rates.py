"""Awards at a fixed national rate: the amount paid equals the recipients times the rate.

国家奖学金 and 国家励志奖学金 pay every student of a school year the same amount, set nationally
(national_rates.json, with the school years each rate applies to and its source). A body-table row
naming such an award, with a count of people and an amount in one column group (人数, 金额（万元）),
and a sentence stating one (获国家励志奖学金 120 人，发放 60 万元), agree with count × rate to the
amount's printed precision. The school year is the one the caption or the sentence names
(2020-2021学年; a year 2021年 allows the school years starting 2020 and 2021), else the two the
report covers; any rate in force in one of them is accepted.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

from ..model import Document, Fact
from . import rules
from .frames import Check, fmt
from .ruleids import RuleId
from .tableview import NumericCell, TableView
from .textcontext import fact_step

_QUOTES = re.compile(r"[\s“”\"'‘’《》「」]")
_CLAUSE_END = "。；;！？!?"


@dataclass(frozen=True, slots=True)
class Rate:
    first: int  # the first school year (its autumn) the rate applies to
    last: int | None  # the last one; None: still in force
    yuan: float
    ref: str  # the short name of its source, cited in messages
    source: str

    def applies(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)


@dataclass(frozen=True, slots=True)
class Award:
    name: str
    names: tuple[str, ...]  # the name and its aliases, longest first
    rates: tuple[Rate, ...]

    def rates_for(self, years: frozenset[int] | None) -> tuple[Rate, ...]:
        """The rates in force in any of the school years (every rate when the years are unknown)."""
        return self.rates if years is None else tuple(r for r in self.rates if any(r.applies(y) for y in years))


def load_awards() -> tuple[Award, ...]:
    raw = json.loads(resources.files(__package__).joinpath("national_rates.json").read_text(encoding="utf-8"))
    return tuple(
        Award(
            a["name"],
            tuple(sorted({a["name"], *a.get("aliases", ())}, key=len, reverse=True)),
            tuple(Rate(r["from"], r["to"], float(r["yuan"]), r["ref"], r["source"]) for r in a["rates"]),
        )
        for a in raw["awards"]
    )


def _plain(text: str) -> str:
    return _QUOTES.sub("", text)


def award_named(text: str, awards: tuple[Award, ...], *, whole: bool) -> Award | None:
    """The award a cell names (whole: the cell is its name) or a subject ends with (获国家奖学金)."""
    t = _plain(text) if whole else rules.AWARD_RECIPIENTS_RE.sub("", _plain(text), count=1)
    for a in awards:
        if any(t == n or (not whole and t.endswith(n)) for n in a.names):
            return a
    return None


def school_years(text: str, report_year: int | None) -> frozenset[int] | None:
    """School years (by their first year) a caption or sentence dates its awards with; else the report's."""
    if m := rules.SCHOOL_YEAR_RE.search(text):
        return frozenset({int(m.group(1))})
    if years := [int(y) for y in rules.CALENDAR_YEAR_RE.findall(text)]:
        return frozenset({years[-1] - 1, years[-1]})
    if report_year is None:
        return None
    covered = report_year - rules.REPORTED_YEAR_LAG
    return frozenset({covered - 1, covered})


def _family(view: TableView, c: int) -> str | None:
    col = view.table.columns[c]
    fam = rules.unit_family(col.unit)
    return fam or ("people" if rules.PEOPLE_COLUMN_RE.search(view.leaf(c)) else None)


def _column_pairs(view: TableView) -> list[tuple[int, int]]:
    """(count column, amount column) of each header group holding exactly one of each."""
    groups: dict[str, list[int]] = defaultdict(list)
    for c in view.numeric_cols():
        leaf = view.leaf(c)
        if not view.is_percent_col(c) and not rules.AVERAGE_NAME_RE.search(leaf) and not rules.PER_HEAD_RE.search(leaf):
            groups[view.parent(c)].append(c)
    pairs = []
    for cols in groups.values():
        people = [c for c in cols if _family(view, c) == "people"]
        money = [c for c in cols if _family(view, c) == "money"]
        if len(people) == 1 and len(money) == 1:
            pairs.append((people[0], money[0]))
    return pairs


@dataclass(frozen=True, slots=True)
class Payment:
    """One stated award: how many received it, the amount paid, and where it is printed."""

    award: Award
    count: float
    amount: float  # base units (元)
    tolerance: float  # the amount's printed precision, in 元
    amount_text: str
    years: frozenset[int] | None
    target: str
    row: int | None
    column: str
    page: int | None
    detail: str


def table_payments(doc: Document, awards: tuple[Award, ...]) -> list[Payment]:
    out: list[Payment] = []
    for t in doc.tables:
        if t.kind != "body":
            continue
        view = TableView(t)
        pairs = _column_pairs(view)
        if not pairs:
            continue
        for r in view.data_rows:
            award = next(
                (a for c in t.rows[r] if (a := award_named(c, awards, whole=True)) is not None),
                None,
            )
            if award is None:
                continue
            for cc, mc in pairs:
                count, amount = view.numeric(r, cc), view.numeric(r, mc)
                if count is None or amount is None or count.value <= 0:
                    continue
                years = school_years(f"{t.caption} {view.parent(mc)}", doc.metadata.report_year)
                out.append(_table_payment(view, award, r, count, amount, years))
    return out


def _table_payment(
    view: TableView, award: Award, r: int, count: NumericCell, amount: NumericCell, years: frozenset[int] | None
) -> Payment:
    unit = amount.printed_unit or view.table.columns[amount.col].unit or ""
    return Payment(
        award,
        count.value,
        amount.value,
        amount.step / 2,
        f"{amount.text}{unit if unit and unit not in amount.text else ''}",
        years,
        view.id,
        r,
        view.column_name(amount.col),
        view.page_of_row(r),
        f"{award.name} {count.text} 人（{view.column_name(count.col)}）",
    )


def _family_of(f: Fact) -> str | None:
    return rules.unit_family(f.printed_unit or f.unit)


def _named_before(f: Fact, awards: tuple[Award, ...]) -> Award | None:
    """The award a figure's subject or the clause before it names (国家奖学金获得者 12 人)."""
    head = f.sentence[: f.start]
    clause = head[max(head.rfind(d) for d in rules.CLAUSE_DELIMS) + 1 :]
    return award_named(f.subject, awards, whole=False) or award_named(clause, awards, whole=False)


def _per_head(f: Fact) -> bool:
    """每生每年 8000 元, 8000 元/人: the amount is a rate, not what was paid."""
    head = f.sentence[: f.start]
    clause = head[max(head.rfind(d) for d in rules.CLAUSE_DELIMS) + 1 :]
    return bool(rules.PER_HEAD_RE.search(clause + f.text + f.sentence[f.end : f.end + 2]))


def _without(text: str, award: Award) -> str:
    for n in award.names:
        text = text.replace(n, "")
    return text


def text_payments(doc: Document, awards: tuple[Award, ...]) -> list[Payment]:
    """Two figures side by side in a sentence, a count of people and an amount, the first named after
    an award (获国家励志奖学金 120 人，发放 60 万元), with no other aid or a total between them."""
    by_sentence: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        if f.value is not None and f.kind == "number" and f.qualifier is None:
            by_sentence[(f.paragraph, f.sentence)].append(f)
    out: list[Payment] = []
    for facts in by_sentence.values():
        facts.sort(key=lambda f: f.start)
        for a, b in pairwise(facts):
            if {_family_of(a), _family_of(b)} != {"people", "money"}:
                continue
            award = _named_before(a, awards)
            if award is None or award_named(b.subject, awards, whole=False) not in (None, award):
                continue
            between = a.sentence[a.end : b.start]
            if any(d in between for d in _CLAUSE_END) or rules.CUMULATIVE_RE.search(between):
                continue
            if rules.AID_NAME_RE.search(_without(between, award)):
                continue  # another aid named between the two figures: the amount may be its
            count, money = (a, b) if _family_of(a) == "people" else (b, a)
            if not count.value or _per_head(money):
                continue
            years = school_years(a.sentence[: a.start], doc.metadata.report_year)
            out.append(
                Payment(
                    award,
                    float(count.value),
                    float(money.value or 0),
                    fact_step(money),  # a stated amount may be cut to its last digit (11 万 for 11.68)
                    money.text,
                    years,
                    a.section or "text",
                    None,
                    award.name,
                    a.page,
                    f"{a.section} p.{a.page}: {a.sentence}",
                )
            )
    return out


def national_rate_checks(doc: Document) -> list[Check]:
    """One arithmetic row per stated payment of a fixed-rate award: amount against count × rate."""
    awards = load_awards()
    out: list[Check] = []
    for p in table_payments(doc, awards) + text_payments(doc, awards):
        rates = p.award.rates_for(p.years)
        if not rates:
            continue  # a school year before the award existed, or after the data: no rate to judge by
        rate = min(rates, key=lambda r: abs(p.count * r.yuan - p.amount))
        expected = p.count * rate.yuan
        last = "" if rate.last is None else str(rate.last)
        out.append(
            Check(
                RuleId.AMOUNT_NATIONAL_RATE,
                p.target,
                p.row,
                p.column,
                p.page,
                expected_text=f"{fmt(p.count)} × {fmt(rate.yuan)} 元 = {fmt(expected / 10000)} 万元",
                observed_text=p.amount_text,
                detail=f"{p.detail}；{fmt(rate.yuan)} 元/人·年，{rate.first}–{last} 学年（{rate.ref}）",
                values={"expected": expected, "observed": p.amount, "tolerance": p.tolerance},
            )
        )
    return out
