"""Document → one pandas frame per rule family, one row per thing a rule checks.

Every row names the rule it belongs to and where it points in the report (target = table or
section id, row, column, page) plus a printable expected/observed pair, so a row GX reports as
unexpected becomes a located failure without going back to the document. Arithmetic that needs
more than one cell (sums, ratios) is done here; GX judges the result (see expectations/*.json).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..model import Document, Fact, Indicator
from ..normalize.catalog import load_catalog
from ..normalize.textform import strip_extraction_spaces, to_halfwidth
from . import rules
from .ruleids import RuleId
from .tableview import TableView, decimals_of, to_float

BASE_COLUMNS = ("rule", "target", "row", "column", "page", "expected_text", "observed_text", "detail")


@dataclass(slots=True)
class Check:
    """One row of a frame: the common location columns, and the typed columns its rule judges."""

    rule: RuleId | None  # None: a values row, which the values suite selects by its typed flags
    target: str | None
    row: int | None = None
    column: str | None = None
    page: int | None = None
    expected_text: str = ""
    observed_text: str = ""
    detail: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def with_detail(self, detail: str) -> Check:
        self.detail = detail
        return self

    def flat(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(d.pop("values"))
        d["rule"] = None if self.rule is None else self.rule.value  # the plain string row_condition compares
        return d


def to_frame(checks: Iterable[Check], typed: dict[str, str]) -> pd.DataFrame:
    """Checks → frame with a RangeIndex (GX reports unexpected rows by this index) and stable dtypes."""
    rows = [c.flat() for c in checks]
    df = pd.DataFrame(rows, columns=[*BASE_COLUMNS, *typed])
    for col in ("row", "page"):
        df[col] = df[col].astype("Int64")
    for col, dtype in typed.items():
        df[col] = df[col].astype(dtype)
    return df.reset_index(drop=True)


def fmt(v: float | None) -> str:
    if v is None or pd.isna(v):
        return ""
    return f"{v:.6f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def physical_page(doc: Document, label: str | None) -> int | None:
    """The 1-based PDF page whose printed page number is label (None when no page prints it)."""
    if not label:
        return None
    labels = doc.metadata.page_labels
    return labels.index(label) + 1 if label in labels else None


# ---- structure ---------------------------------------------------------------------------------

STRUCTURE_TYPES = {
    "found": "boolean",
    "expected_page": "Int64",
    "observed_page": "Int64",
    "width": "Int64",
    "expected_width": "Int64",
    "cells": "Int64",
}
_LIST_NAMES = {"tables": "附表目录", "figures": "附图目录", "cases": "案例目录"}
_LIST_PREFIX = {"tables": "表", "figures": "图", "cases": "案例"}


def _listed_elements(doc: Document) -> dict[str, dict[str, tuple[str, int | None]]]:
    """Numbered tables, figures and cases of the document: list kind → number → (id, page)."""
    out: dict[str, dict[str, tuple[str, int | None]]] = {"tables": {}, "figures": {}, "cases": {}}
    for t in doc.tables:
        if t.kind == "body" and t.number:
            out["tables"].setdefault(t.number, (t.id, t.pages[0] if t.pages else None))
    for f in doc.figures:
        if f.number:
            out["figures"].setdefault(f.number, (f.id, f.page))
    for s in doc.sections:
        if s.kind == "case" and s.number:
            out["cases"].setdefault(s.number, (s.id, s.page))
    return out


def structure_frame(doc: Document) -> pd.DataFrame:
    checks: list[Check] = []
    elements = _listed_elements(doc)
    listed: dict[str, set[str]] = {"tables": set(), "figures": set(), "cases": set()}
    list_section = {s.title.strip("【】"): s.id for s in doc.sections if s.kind == "list"}
    for i, e in enumerate(doc.lists):
        name = f"{_LIST_PREFIX[e.list]} {e.number}" if e.number else e.text
        listed[e.list].add(e.number or "")
        hit = elements[e.list].get(e.number or "")
        target = list_section.get(_LIST_NAMES[e.list], f"list-{e.list}")
        checks.append(
            Check(
                RuleId.LIST_ENTRY_FOUND,
                target,
                i,
                _LIST_NAMES[e.list],
                e.entry_page,
                expected_text=e.text,
                observed_text=hit[0] if hit else "未找到 / not found",
                detail=name,
                values={"found": hit is not None},
            )
        )
        expected_page = physical_page(doc, e.page_label)
        if hit and expected_page is not None and hit[1] is not None:
            checks.append(
                Check(
                    RuleId.LIST_ENTRY_PAGE,
                    hit[0],
                    None,
                    None,
                    hit[1],
                    expected_text=f"p.{expected_page} (印刷页码 {e.page_label})",
                    observed_text=f"p.{hit[1]}",
                    detail=name,
                    values={"expected_page": expected_page, "observed_page": hit[1]},
                )
            )
    for kind, items in elements.items():
        if not any(e.list == kind for e in doc.lists):
            continue  # the report prints no such list: nothing to be missing from
        for number, (eid, page) in items.items():
            checks.append(
                Check(
                    RuleId.LIST_ITEM_LISTED,
                    eid,
                    None,
                    None,
                    page,
                    expected_text=f"{_LIST_PREFIX[kind]} {number} 列入{_LIST_NAMES[kind]}",
                    observed_text="已列入 / listed" if number in listed[kind] else "未列入 / not listed",
                    detail=f"{_LIST_PREFIX[kind]} {number}",
                    values={"found": number in listed[kind]},
                )
            )
    page_of = {s.id: s.page for s in doc.sections}
    for i, t in enumerate(doc.toc):
        checks.append(
            Check(
                RuleId.TOC_ENTRY_FOUND,
                "toc",
                i,
                None,
                t.entry_page,
                expected_text=t.text,
                observed_text=t.target or "未找到 / not found",
                detail=t.text,
                values={"found": t.target is not None},
            )
        )
        expected_page = t.page if t.page is not None else physical_page(doc, t.page_label)
        if t.target and expected_page is not None:
            checks.append(
                Check(
                    RuleId.TOC_ENTRY_PAGE,
                    t.target,
                    None,
                    None,
                    page_of.get(t.target),
                    expected_text=f"p.{expected_page} (印刷页码 {t.page_label})",
                    observed_text=f"p.{page_of.get(t.target)}",
                    detail=t.text,
                    values={"expected_page": expected_page, "observed_page": page_of.get(t.target)},
                )
            )
    checks += _annex_structure(doc)
    for tbl in doc.tables:
        n = len(tbl.columns) or max((len(r) for r in [*tbl.header, *tbl.rows]), default=0)
        filled = sum(1 for r in tbl.rows for c in r if c.strip())
        checks.append(
            Check(
                RuleId.TABLE_NOT_EMPTY,
                tbl.id,
                None,
                None,
                tbl.pages[0] if tbl.pages else None,
                expected_text="≥1 非空单元格 / non-empty cell",
                observed_text=str(filled),
                detail=tbl.caption,
                values={"cells": filled},
            )
        )
        for part, grid in (("header", tbl.header), ("body", tbl.rows)):
            for r, cells in enumerate(grid):
                page = tbl.pages[0] if part == "header" or not tbl.row_pages else next(iter(tbl.row_pages[r]), None)
                checks.append(
                    Check(
                        RuleId.TABLE_WIDTH,
                        tbl.id,
                        r if part == "body" else None,
                        part,
                        page,
                        expected_text=f"{n} 列",
                        observed_text=f"{len(cells)} 列",
                        detail=f"{part} row {r}",
                        values={"width": len(cells), "expected_width": n},
                    )
                )
    return to_frame(checks, STRUCTURE_TYPES)


def _annex_structure(doc: Document) -> list[Check]:
    """The six template tables and their value indicators must be there."""
    catalog = load_catalog()
    codes = {i.code for i in doc.indicators if i.code}
    table_of = {i.code: i.table for i in catalog.indicators}
    present = {table_of[c] for c in codes if c in table_of}
    annex_page = next((s.page for s in doc.sections if s.kind == "annex"), None)
    checks: list[Check] = []
    for spec in catalog.tables:
        first = next((i for i in doc.indicators if i.code and table_of.get(i.code) == spec.key), None)
        checks.append(
            Check(
                RuleId.ANNEX_TABLE_PRESENT,
                first.table_id if first else "annex",
                None,
                spec.title,
                first.page if first else annex_page,
                expected_text=spec.title,
                observed_text=first.table_id if first else "未找到 / not found",
                detail=spec.title,
                values={"found": spec.key in present},
            )
        )
        if spec.key not in present:
            continue
        for ind in catalog.indicators:
            if ind.table == spec.key and ind.kind == "value":
                checks.append(
                    Check(
                        RuleId.ANNEX_INDICATOR_PRESENT,
                        first.table_id if first else None,
                        None,
                        ind.name,
                        first.page if first else None,
                        expected_text=f"{ind.code} {ind.name}",
                        observed_text="已填报 / present" if ind.code in codes else "未找到 / not found",
                        detail=spec.title,
                        values={"found": ind.code in codes},
                    )
                )
    return checks


# ---- values ------------------------------------------------------------------------------------

VALUE_TYPES = {
    "value": "Float64",
    "is_percent": "boolean",
    "is_count": "boolean",
    "year": "Float64",
    "is_year": "boolean",
    "period_year": "Float64",
    "is_period": "boolean",
    "printed_unit": "string",
    "needs_unit": "boolean",
    "has_unit": "boolean",
    "unit_family": "string",
    "template_family": "string",
    "template_unit": "string",
    "is_text_year": "boolean",
    "is_text_count": "boolean",
}
_YEAR = re.compile(r"((?:19|20)\d{2})")


def _is_count(unit: str | None, name: str) -> bool:
    if rules.AVERAGE_NAME_RE.search(name):
        return False
    return (unit in rules.COUNT_UNITS) or (unit is None and bool(rules.PEOPLE_COLUMN_RE.search(name)))


def values_frame(doc: Document) -> pd.DataFrame:
    """Each value a rule judges alone; years and periods only when the report's year bounds them."""
    checks: list[Check] = []
    year_known = doc.metadata.report_year is not None
    for t in doc.tables:
        if t.kind == "annex":
            continue  # annex values are judged as indicators (their template says what they are)
        view = TableView(t)
        for (r, c), cell in sorted(view.cells.items()):
            name = view.column_name(c)
            page = view.page_of_row(r)
            if year_known and cell.kind == "date" and cell.date and (m := _YEAR.match(cell.date)):
                checks.append(_value_check(t.id, r, name, page, cell.text, year=float(m.group(1))))
            if cell.kind not in ("number", "percent") or cell.value is None:
                continue
            printed = cell.printed_unit or t.columns[c].unit if c < len(t.columns) else cell.printed_unit
            is_pct = cell.kind == "percent" or printed == "%"
            if rules.ORDINAL_NAME_RE.match(name):
                continue
            checks.append(
                _value_check(
                    t.id,
                    r,
                    name,
                    page,
                    cell.text,
                    value=cell.value / cell.scale if is_pct else cell.value,
                    is_percent=is_pct,
                    is_count=not is_pct and _is_count(printed, name),
                    printed_unit=printed,
                )
            )
    catalog_units = {i.code: i.unit for i in load_catalog().indicators}
    for ind in doc.indicators:
        checks += _indicator_checks(doc, ind, catalog_units.get(ind.code or ""), year_known)
    if year_known:
        checks += _text_years(doc)
    checks += _text_shares(doc) + _text_counts(doc)
    return to_frame(checks, VALUE_TYPES)


def _text_years(doc: Document) -> list[Check]:
    """Cohorts (2021届), dated months (2021年11月) and any five-digit year in the text: a year.

    A bare "2035 年" may be a target or a title (到2035年, 中国制造2025), so only a year of a
    cohort or a month, and a year no calendar has, are judged against the report year + 1.
    """
    out: list[Check] = []
    for p in doc.paragraphs:
        text = strip_extraction_spaces(to_halfwidth(p.text))
        for m in rules.TEXT_YEAR_RE.finditer(text):
            digits, tail = m.group("year"), m.group("tail")
            if len(digits) == 4 and not (tail in rules.COHORT_WORDS or m.group("month")):
                continue
            start = max(text.rfind(d, 0, m.start()) for d in "。；！？") + 1
            out.append(
                _value_check(
                    p.section or "text",
                    None,
                    m.group(),
                    p.page,
                    m.group(),
                    year=float(digits),
                    is_year=False,
                    is_text_year=True,
                    value=float(digits),
                ).with_detail(f"{p.section} p.{p.page}: {text[start : m.end() + 20]}")
            )
    return out


def _text_shares(doc: Document) -> list[Check]:
    """A percentage the text gives as a share or rate of a whole (比例, 占比, 就业率) lies within 0-100."""
    return [
        _fact_check(f, is_percent=True)
        for f in doc.facts
        if f.kind == "percent"
        and f.value is not None
        and rules.TEXT_SHARE_RE.search(f.subject)
        and not rules.GROWTH_RE.search(f.subject)
    ]


def _text_counts(doc: Document) -> list[Check]:
    """A count the text states (人, 项, 个 …) is not negative; a change (减少 -5 人, 同比 -3 项) may be."""
    out: list[Check] = []
    for f in doc.facts:
        if f.kind != "number" or f.value is None or f.unit not in rules.COUNT_UNITS:
            continue
        head = f.sentence[: f.start]
        if not rules.CHANGE_RE.search(head[max(head.rfind(d) for d in rules.CLAUSE_DELIMS) + 1 :]):
            out.append(_fact_check(f, is_text_count=True))
    return out


def _fact_check(f: Fact, **flags: bool) -> Check:
    """A values row for one figure of the text, located by its section, page and sentence."""
    return _value_check(
        f.section or "text", None, f.subject, f.page, f.text, value=float(f.value or 0), **flags
    ).with_detail(f"{f.section} p.{f.page}: {f.sentence}")


def _value_check(target: str, row: int | None, column: str, page: int | None, text: str, **values: Any) -> Check:
    v = {
        "value": None,
        "is_percent": False,
        "is_count": False,
        "year": None,
        "is_year": "year" in values,
        "period_year": None,
        "is_period": False,
        "printed_unit": None,
        "needs_unit": False,
        "has_unit": False,
        "unit_family": None,
        "template_family": None,
        "template_unit": None,
        "is_text_year": False,
        "is_text_count": False,
    }
    v.update(values)
    return Check(None, target, row, column, page, observed_text=text, values=v)


def _indicator_checks(doc: Document, ind: Indicator, template_unit: str | None, year_known: bool) -> list[Check]:
    column = f"{ind.indicator}｜{ind.period}" if ind.period else ind.indicator
    out: list[Check] = []
    printed = ind.printed_unit if ind.printed_unit not in ("—", "-", "") else None
    needs = bool(template_unit) and ind.kind != "text"
    is_pct = ind.kind == "percent" or printed == "%"
    base: dict[str, Any] = {
        "printed_unit": printed,
        "needs_unit": needs,
        "has_unit": printed is not None,
        "unit_family": rules.unit_family(printed),
        "template_family": rules.unit_family(template_unit),
        "template_unit": template_unit,
    }
    if year_known and ind.period and (m := _YEAR.match(ind.period)):
        base |= {"period_year": float(m.group(1)), "is_period": True}
    text = ind.value_text or ""
    if ind.value is None:
        if needs or base.get("is_period"):
            out.append(_value_check(ind.table_id, ind.row, column, ind.page, text, **base))
        return out
    scale = 1
    if printed and printed != ind.unit and ind.unit and ind.value and (pv := to_float(_first_number(text))):
        scale = round(float(ind.value) / pv) or 1  # 万元 printed, 元 stored
    for part, value in (("", ind.value), ("B", ind.value2)):
        if value is None:
            continue
        count_unit = (printed or template_unit or "").split("/")[0] if ind.kind == "pair" else printed or template_unit
        out.append(
            _value_check(
                ind.table_id,
                ind.row,
                column + (f"｜{part}" if part else ""),
                ind.page,
                text,
                value=float(value) / (scale if not is_pct else 1),
                is_percent=is_pct,
                is_count=not is_pct and _is_count(count_unit, ind.indicator),
                **base,
            )
        )
        base = base | {"needs_unit": False, "is_period": False}  # judged once per cell
    return out


def _first_number(text: str) -> str | None:
    m = re.search(r"\d+(?:\.\d+)?", text or "")
    return m.group(0) if m else None


# ---- arithmetic inside tables --------------------------------------------------------------------

ARITH_TYPES = {"expected": "Float64", "observed": "Float64", "tolerance": "Float64"}


def _arith(
    rule: RuleId,
    view: TableView,
    row: int | None,
    col: int | None,
    expected: float,
    observed: float,
    tolerance: float,
    detail: str,
    page: int | None = None,
) -> Check:
    return Check(
        rule,
        view.id,
        row,
        view.column_name(col) if col is not None else None,
        page if page is not None else (view.page_of_row(row) if row is not None else None),
        expected_text=fmt(expected),
        observed_text=fmt(observed),
        detail=detail,
        values={"expected": expected, "observed": observed, "tolerance": tolerance},
    )


def arithmetic_frame(doc: Document, extra: Iterable[Check] = ()) -> pd.DataFrame:
    """Sums, shares, rates and sub-items of the tables and the annex; `extra`: rows built elsewhere
    for this suite (remarks.remark_checks)."""
    checks: list[Check] = []
    for t in doc.tables:
        if t.kind != "body":
            continue
        view = TableView(t)
        checks += _total_rows(view) + _total_columns(view) + _shares(view) + _rates(view) + _sub_items(view)
    checks += _annex_arithmetic(doc) + list(extra)
    return to_frame(checks, ARITH_TYPES)


def _summable(view: TableView, col: int) -> bool:
    return view.is_additive_col(col) or view.is_share_col(col)


def _total_rows(view: TableView) -> list[Check]:
    """合计/总计 = every data row above it; 小计 = the data rows since the previous 小计."""
    out: list[Check] = []
    start = 0
    for t in view.total_rows:
        sub = view.is_subtotal_row(t)
        rows = [r for r in view.data_rows if (start if sub else 0) <= r < t and not view.is_sub_item_row(r)]
        for col in view.numeric_cols():
            cell = view.numeric(t, col)
            s = view.column_sum(col, rows) if _summable(view, col) else None
            if cell is None or s is None:
                continue
            total, tol, n = s
            out.append(
                _arith(
                    RuleId.TABLE_TOTAL_ROW,
                    view,
                    t,
                    col,
                    total,
                    cell.value,
                    tol + cell.step / 2,
                    f"{view.label(t) or '合计'} = Σ {n} 行 / sum of {n} rows",
                )
            )
        if sub:
            start = t + 1
    return out


def _total_columns(view: TableView) -> list[Check]:
    """A 合计/小计 column equals the sum of the additive columns of its header group."""
    out: list[Check] = []
    for col in view.numeric_cols():
        if view.leaf(col) not in rules.TOTAL_LABELS + rules.SUBTOTAL_LABELS:
            continue
        group = [
            c
            for c in view.numeric_cols()
            if c != col and view.parent(c) == view.parent(col) and view.is_additive_col(c)
        ]
        for r in range(len(view.table.rows)):
            cell = view.numeric(r, col)
            parts = [p for c in group if (p := view.numeric(r, c)) is not None]
            if cell is None or len(parts) < 2:
                continue
            out.append(
                _arith(
                    RuleId.TABLE_TOTAL_COLUMN,
                    view,
                    r,
                    col,
                    sum(p.value for p in parts),
                    cell.value,
                    sum(p.step for p in parts) / 2 + cell.step / 2,
                    " + ".join(view.column_name(c) for c in group),
                )
            )
    return out


def _shares(view: TableView) -> list[Check]:
    """A share column partitions the whole: it sums to ~100, and each share is its count over the total."""
    out: list[Check] = []
    if view.rows_are_periods:
        return out
    rows = [r for r in view.data_rows if not view.is_sub_item_row(r)]
    for col in view.numeric_cols():
        if not view.is_share_col(col):
            continue
        s = view.column_sum(col, rows)
        if s and not view.total_rows and s[2] >= 2:
            total, tol, n = s
            first = view.numeric(rows[0], col)
            pct = total if first is None else total / first.scale
            out.append(
                _arith(
                    RuleId.TABLE_SHARE_SUM,
                    view,
                    None,
                    col,
                    100.0,
                    pct,
                    rules.PERCENT_SUM_TOLERANCE + tol,
                    f"Σ {view.column_name(col)} over {n} rows",
                    page=view.table.pages[0] if view.table.pages else None,
                )
            )
        counts = [c for c in range(col) if view.is_additive_col(c) and view.parent(c) == view.parent(col)]
        if not counts:
            continue
        count_col = counts[-1]
        whole = next((cell.value for t in view.total_rows if (cell := view.numeric(t, count_col)) is not None), None)
        if whole is None and (cs := view.column_sum(count_col, rows)):
            whole = cs[0]
        if not whole:
            continue
        for r in rows:
            part, share = view.numeric(r, count_col), view.numeric(r, col)
            if part is None or share is None:
                continue
            out.append(
                _arith(
                    RuleId.TABLE_SHARE_RATIO,
                    view,
                    r,
                    col,
                    part.value / whole * 100,
                    share.value / share.scale,
                    share.step / share.scale,
                    f"{view.column_name(col)} = {view.column_name(count_col)} / {fmt(whole)}",
                )
            )
    return out


def _find_col(view: TableView, names: tuple[str, ...]) -> int | None:
    hits = [c for c in view.numeric_cols() if view.leaf(c) in names]
    return hits[0] if len(hits) == 1 else None


def _rates(view: TableView) -> list[Check]:
    """报到率 = 报到数 / 录取数 and the other rate pairs of rules.RATE_PAIRS, row by row."""
    out: list[Check] = []
    for pair in rules.RATE_PAIRS:
        rate, num, den = (_find_col(view, names) for names in (pair.rate, pair.numerator, pair.denominator))
        if rate is None or num is None or den is None:
            continue
        for r in range(len(view.table.rows)):
            a, b, c = view.numeric(r, num), view.numeric(r, den), view.numeric(r, rate)
            if a is None or b is None or c is None or not b.value:
                continue
            out.append(
                _arith(
                    RuleId.TABLE_RATE_RATIO,
                    view,
                    r,
                    rate,
                    a.value / b.value * 100,
                    c.value / c.scale,
                    c.step / c.scale,
                    f"{view.column_name(rate)} = {view.column_name(num)} / {view.column_name(den)}",
                )
            )
    return out


def _sub_items(view: TableView) -> list[Check]:
    """A 其中 row is part of the row above it that is not itself a 其中 row."""
    out: list[Check] = []
    parent: int | None = None
    for r in range(len(view.table.rows)):
        if not view.is_sub_item_row(r):
            parent = r
            continue
        if parent is None:
            continue
        for col in view.numeric_cols():
            if not view.is_additive_col(col):
                continue
            a, b = view.numeric(parent, col), view.numeric(r, col)
            if a is not None and b is not None:
                out.append(
                    _arith(
                        RuleId.TABLE_SUB_ITEM,
                        view,
                        r,
                        col,
                        a.value,
                        b.value,
                        0.0,
                        f"{view.label(r)} ≤ {view.label(parent)}",
                    )
                )
    return out


def _annex_arithmetic(doc: Document) -> list[Check]:
    """其中 indicators ≤ their parent and the catalog's other bounds (at_most), and the catalog's rates
    (rate_of: 就业率 = 就业人数 / 毕业生人数), period by period."""
    catalog = {i.code: i for i in load_catalog().indicators}
    by_code: dict[tuple[str, str | None], Indicator] = {}
    for ind in doc.indicators:
        if ind.code:
            by_code.setdefault((ind.code, ind.period), ind)
    out: list[Check] = []
    bounds = [(code, cat.parent) for code, cat in catalog.items() if cat.parent and catalog[cat.parent].kind == "value"]
    bounds += [(code, bound) for code, cat in catalog.items() for bound in cat.at_most]
    for child_code, parent_code in bounds:
        for (code, period), child in by_code.items():
            parent = by_code.get((parent_code, period))
            if code != child_code or parent is None:
                continue
            for part, cv, pv in (("", child.value, parent.value), ("B", child.value2, parent.value2)):
                if isinstance(cv, int | float) and isinstance(pv, int | float):
                    out.append(
                        _annex_check(
                            RuleId.ANNEX_SUB_ITEM,
                            child,
                            part,
                            float(pv),
                            float(cv),
                            0.0,
                            f"{child.indicator} ≤ {parent.indicator}",
                        )
                    )
    rates = [(code, *cat.rate_of) for code, cat in catalog.items() if cat.rate_of]
    for rate_code, num_code, den_code in rates:
        for (code, period), rate in by_code.items():
            num, den = by_code.get((num_code, period)), by_code.get((den_code, period))
            if (
                code != rate_code
                or num is None
                or den is None
                or not den.value
                or rate.value is None
                or num.value is None
            ):
                continue
            step = 10.0 ** -decimals_of(rate.value_text or "")
            out.append(
                _annex_check(
                    RuleId.ANNEX_RATE_RATIO,
                    rate,
                    "",
                    float(num.value) / float(den.value) * 100,
                    float(rate.value),
                    step,
                    f"{rate.indicator} = {num.indicator} / {den.indicator}",
                )
            )
    return out


def _annex_check(
    rule: RuleId, ind: Indicator, part: str, expected: float, observed: float, tol: float, detail: str
) -> Check:
    column = f"{ind.indicator}｜{ind.period}" + (f"｜{part}" if part else "")
    return Check(
        rule,
        ind.table_id,
        ind.row,
        column,
        ind.page,
        expected_text=fmt(expected),
        observed_text=fmt(observed),
        detail=detail,
        values={"expected": expected, "observed": observed, "tolerance": tol},
    )
