"""Text against tables: figures a paragraph states that restate a table's or the annex's figures.

A stated number restates a table cell when all of these hold (record linkage, not guessing):
  - the paragraph is in the table's section and any competition it names is the table's;
  - its subject ends with a column's name (录取 ↔ 录取数, 二等奖 ↔ 国赛/二等奖), or, for a
    cumulative clause (共计 5649.31 万元，18281 人次), its unit picks one column each;
  - the row follows from the sentence: a cumulative word (截止, 累计, 共计 …) → the total row
    (or the column total), a year → that year's row, a row label named in the sentence → that row,
    a table of parts of a whole → its column total;
  - two column groups (国赛 / 市赛) are told apart by the level the sentence names last, in the
    words of the college's province (provinces.py: 市级 is provincial only in a 直辖市);
  - numbers stated together are checked together: if none of them agrees with the cells they
    matched, the sentence is about something else (教学能力比赛 vs 技能大赛) and is left out.
The numbers listed after 其中 in one sentence are also checked against their stated total.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..model import Document, Fact
from . import rules
from .annex_text import Matcher, annex_text_checks, unmatched_check
from .frames import Check, fmt, to_frame
from .per_student import per_student_checks
from .periods import section_period_checks
from .provinces import UNKNOWN_LEVEL, AwardLevels, load_provinces, province_of
from .ruleids import RuleId
from .tableview import TableView
from .text_text import ratio_checks, text_text_checks
from .textcontext import Context, contexts, fact_step, printed_number

CLAIM_TYPES = {
    "expected": "Float64",
    "observed": "Float64",
    "tolerance": "Float64",
    "section": "string",
    "text_page": "Int64",
    "sentence": "string",
    "other_text": "string",
    "stale": "boolean",
    "consistent": "boolean",
    "bound": "Float64",
    "period_text": "string",
}
_CORE_SUFFIX = re.compile(r"(?:人数|总数|数量|数)$")


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def caption_topic(caption: str) -> str:
    topic = caption
    for _ in range(3):
        topic = rules.CAPTION_NOISE_RE.sub("", topic)
    return topic


def event_mismatch(before: str, caption: str) -> bool:
    """The sentence names a competition and none of them is the one the table is about."""
    topic = _bigrams(caption_topic(caption))
    events = rules.EVENT_RE.findall(before)
    if not events or len(topic) < 2:
        return False
    return max(len(topic & _bigrams(e)) / len(topic) for e in events) < rules.EVENT_MATCH_MIN


@dataclass(slots=True)
class Claim:
    fact: Fact
    view: TableView
    row: int | None  # None: the column total (sum of the data rows)
    cols: list[int]
    expected: float
    tolerance: float

    @property
    def agrees(self) -> bool:
        return abs(float(self.fact.value or 0) - self.expected) <= self.tolerance


def _core(name: str) -> str:
    return _CORE_SUFFIX.sub("", name)


def _label_columns(view: TableView, fact: Fact) -> list[int]:
    subject = fact.subject
    pct = fact.kind == "percent"
    hits = []
    for c in view.numeric_cols():
        if c == view.label_col or view.is_percent_col(c) != pct:
            continue
        leaf = view.leaf(c)
        core = _core(leaf)
        if len(core) < 2:
            continue  # 人数 / 数量 alone name no quantity (建档立卡学生人数 is not the 人数 column)
        if (subject.endswith(leaf) or subject.endswith(core)) and _unit_fits(view, c, fact):
            hits.append(c)
    return hits


def _column_family(view: TableView, c: int) -> str | None:
    col = view.table.columns[c]
    if view.is_percent_col(c):
        return "percent"
    return rules.unit_family(col.unit) or ("people" if rules.PEOPLE_COLUMN_RE.search(col.name) else None)


def _unit_fits(view: TableView, c: int, fact: Fact) -> bool:
    """A 个 figure is not a 人数 column's; a column without a unit takes counts of people (录取数)."""
    fam = rules.unit_family(fact.printed_unit or fact.unit)
    col = _column_family(view, c)
    if fam is None or col == fam:
        return True
    return col is None and fam == "people"


def _by_level(view: TableView, cols: list[int], before: str, levels: AwardLevels) -> list[int]:
    if len({view.parent(c) for c in cols}) <= 1:
        return cols
    level = levels.level_of(before)
    if level in (None, UNKNOWN_LEVEL):
        return []
    return [c for c in cols if levels.level_of(view.parent(c)) == level]


def _unit_columns(view: TableView, fact: Fact) -> list[int]:
    fam = rules.unit_family(fact.printed_unit or fact.unit)
    out = []
    for c in view.numeric_cols():
        if not view.is_additive_col(c):
            continue
        if fam is not None and _column_family(view, c) == fam:
            out.append(c)
    return out


def _row_for(view: TableView, ctx: Context) -> int | Literal["skip"] | None:
    """The row a stated figure is about: a row index, None for the column total, or "skip"."""
    clause = ctx.before[-40:]
    named = [r for r in view.data_rows if len(view.label(r)) >= 2 and not view.row_year(r) and view.label(r) in clause]
    if ctx.cumulative:
        return view.total_rows[-1] if view.total_rows else None
    if view.rows_are_periods:
        hits = [r for r in view.data_rows if ctx.year and view.row_year(r) == ctx.year]
        return hits[0] if len(hits) == 1 else "skip"
    if len(named) == 1:
        return named[0]
    return None


def _value(view: TableView, row: int | None, cols: list[int]) -> tuple[float, float] | None:
    total, tol = 0.0, 0.0
    for c in cols:
        if row is not None:
            cell = view.numeric(row, c)
            if cell is None:
                return None
            total += cell.value / (cell.scale if view.is_percent_col(c) else 1)
            tol += cell.step / 2
        else:
            if not view.is_additive_col(c):
                return None
            s = view.column_sum(c, [r for r in view.data_rows if not view.is_sub_item_row(r)])
            if s is None:
                return None
            total += s[0]
            tol += s[1]
    return total, tol


def _claims_for_table(view: TableView, facts: list[Fact], ctxs: dict[str, Context], levels: AwardLevels) -> list[Claim]:
    claims: list[Claim] = []
    label_col_of: dict[str, list[int]] = {}
    for f in facts:
        if f.value is None or f.kind not in ("number", "percent") or f.qualifier:
            continue
        ctx = ctxs[f.id]
        if event_mismatch(ctx.before, view.table.caption):
            continue
        cols = _by_level(view, _label_columns(view, f), ctx.before + f.subject, levels)
        label_col_of[f.id] = cols
        if len(cols) != 1:
            continue
        if ctx.part_of is not None and label_col_of.get(ctx.part_of.id) == cols:
            continue  # a part of a figure that restates the same column (录取 6362 → 其中 录取 6315)
        row = _row_for(view, ctx)
        if row == "skip":
            continue
        got = _value(view, row, cols)
        if got is not None:
            claims.append(Claim(f, view, row, cols, got[0], got[1] + fact_step(f) / 2))
    claims += _group_totals(view, facts, ctxs, claims) + _unit_claims(view, facts, ctxs, label_col_of)
    return claims


def _group_totals(view: TableView, facts: list[Fact], ctxs: dict[str, Context], claims: list[Claim]) -> list[Claim]:
    """A total whose 其中 parts matched every column of one header group restates that group's sum."""
    out: list[Claim] = []
    parts: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if (p := ctxs[c.fact.id].part_of) is not None:
            parts[p.id].append(c)
    for f in facts:
        got = parts.get(f.id)
        if not got or f.value is None or any(c.fact.id == f.id for c in claims):
            continue
        rows = {c.row for c in got}
        groups = {view.parent(c.cols[0]) for c in got}
        if len(rows) != 1 or len(groups) != 1 or not next(iter(groups)):
            continue
        group = [c for c in view.numeric_cols() if view.parent(c) == next(iter(groups)) and view.is_additive_col(c)]
        if sorted(c.cols[0] for c in got) != group:
            continue
        row = next(iter(rows))
        value = _value(view, row, group)
        if value is not None:
            out.append(Claim(f, view, row, group, value[0], value[1] + fact_step(f) / 2))
    return out


def _unit_claims(
    view: TableView, facts: list[Fact], ctxs: dict[str, Context], label_cols: dict[str, list[int]]
) -> list[Claim]:
    """共计 5649.31 万元，18281 人次: cumulative figures whose units each pick one column of the table."""
    if view.rows_are_periods:
        return []
    by_sentence: dict[str, list[tuple[Fact, int]]] = defaultdict(list)
    for f in facts:
        ctx = ctxs[f.id]
        if f.value is None or f.qualifier or label_cols.get(f.id) or not ctx.cumulative or ctx.part_of is not None:
            continue
        if event_mismatch(ctx.before, view.table.caption):
            continue
        cols = _unit_columns(view, f)
        if len(cols) == 1:
            by_sentence[f.sentence].append((f, cols[0]))
    out: list[Claim] = []
    for hits in by_sentence.values():
        if len({c for _, c in hits}) < 2:
            continue  # one unit alone is too weak a link (家庭经济困难学生共有 5188 名)
        for f, c in hits:
            row = view.total_rows[-1] if view.total_rows else None
            got = _value(view, row, [c])
            if got is not None:
                out.append(Claim(f, view, row, [c], got[0], got[1] + fact_step(f) / 2))
    return out


def _anchored(claims: list[Claim]) -> list[Claim]:
    """Numbers stated in one sentence about one table: keep them if one agrees, or if there is only one."""
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.view.id, c.fact.paragraph, c.fact.sentence)].append(c)
    out: list[Claim] = []
    for group in groups.values():
        if len(group) == 1 or any(c.agrees for c in group):
            out += group
    return out


def _table_name(view: TableView) -> str:
    return f"表 {view.table.number}" if view.table.number else view.id


def _claim_check(c: Claim) -> Check:
    view, f = c.view, c.fact
    where = view.label(c.row) if c.row is not None else "列合计 / column total"
    column = " + ".join(view.column_name(i) for i in c.cols)
    page = view.page_of_row(c.row) if c.row is not None else (view.table.pages[0] if view.table.pages else None)
    unit = f.printed_unit or f.unit or ""
    scale = (f.value or 0) / p if (p := printed_number(f.text)) else 1
    return Check(
        RuleId.TEXT_RESTATES_TABLE,
        view.id,
        c.row,
        column,
        page,
        expected_text=f"{fmt(c.expected / (scale or 1))}{unit}（{_table_name(view)}·{where}）",
        observed_text=f"{f.text}（{f.subject}）",
        detail=f"{f.section} p.{f.page}: {f.sentence}",
        values={
            "expected": c.expected,
            "observed": float(f.value or 0),
            "tolerance": c.tolerance,
            "section": f.section,
            "text_page": f.page,
            "sentence": f.sentence,
        },
    )


def text_table_checks(doc: Document, ctxs: dict[str, Context], levels: AwardLevels) -> list[Check]:
    by_section: dict[str | None, list[Fact]] = defaultdict(list)
    for f in doc.facts:
        by_section[f.section].append(f)
    claims: list[Claim] = []
    for t in doc.tables:
        if t.kind == "body" and t.section in by_section:
            claims += _claims_for_table(TableView(t), by_section[t.section], ctxs, levels)
    return [_claim_check(c) for c in _anchored(claims)]


# ---- totals stated with their parts ------------------------------------------------------------


def _common_suffix(names: list[str]) -> str:
    s = names[0]
    for n in names[1:]:
        while s and not n.endswith(s):
            s = s[1:]
    return s


def text_parts_checks(doc: Document, ctxs: dict[str, Context]) -> list[Check]:
    """一等奖 7 个、二等奖 5 个、三等奖 3 个 listed under 奖项 14 个: sibling parts cannot sum above it."""
    parts: dict[str, list[Fact]] = defaultdict(list)
    facts = {f.id: f for f in doc.facts}
    for f in doc.facts:
        if (p := ctxs[f.id].part_of) is not None and f.value is not None and f.kind == "number" and not f.qualifier:
            parts[p.id].append(f)
    out: list[Check] = []
    for pid, items in parts.items():
        total = facts[pid]
        if total.value is None or total.qualifier or len(items) < 2:
            continue
        by_suffix: dict[str, list[Fact]] = defaultdict(list)
        for f in items:
            by_suffix[f.subject[-rules.SIBLING_SUFFIX_MIN :]].append(f)
        siblings = max(by_suffix.values(), key=len)
        if len(siblings) < 2 or len(_common_suffix([f.subject for f in siblings])) < rules.SIBLING_SUFFIX_MIN:
            continue
        s = sum(float(f.value or 0) for f in siblings)
        out.append(
            Check(
                RuleId.TEXT_PARTS_WITHIN_TOTAL,
                total.section,
                None,
                total.subject,
                total.page,
                expected_text=f"{total.text}（{total.subject}）",
                observed_text=" + ".join(f"{f.subject}{f.text}" for f in siblings) + f" = {fmt(s)}",
                detail=f"{total.section} p.{total.page}: {total.sentence}",
                values={
                    "expected": float(total.value),
                    "observed": s,
                    "tolerance": 0.0,
                    "section": total.section,
                    "text_page": total.page,
                    "sentence": total.sentence,
                },
            )
        )
    return out


def consistency_frame(doc: Document) -> pd.DataFrame:
    ctxs = contexts(doc)
    provinces = load_provinces()
    home = province_of(doc, provinces)
    levels = provinces.award_levels(home)
    matcher = Matcher(doc)  # counts the figures naming an indicator that found no value, over both rules
    checks = (
        text_table_checks(doc, ctxs, levels)
        + annex_text_checks(doc, ctxs, matcher, home)
        + per_student_checks(doc, ctxs, matcher, home)
        + [unmatched_check(doc, matcher)]
        + text_parts_checks(doc, ctxs)
        + text_text_checks(doc, ctxs)
        + ratio_checks(doc)
        + section_period_checks(doc)
    )
    return to_frame(checks, CLAIM_TYPES)
