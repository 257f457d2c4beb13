"""Typed tables: a unit and a type for every column, and one typed record per printed cell.

A column's unit comes from its header (金额（万元）→ 万元, 比例（%）→ %), or from a 单位 column
that gives the unit row by row (the annex layout); its type from what its cells parse as.
A header that names a period (2020 年, 2021 级) is kept as the record's period.

Column names are the flattened header made fit for every CSV reader: levels joined by "/", the
spaces PDF extraction puts between CJK characters and numbers removed (2020 年 → 2020年), and a
name that an earlier column already has gets "_n", n its occurrence (指标, 指标_2, 指标_3), so
`csv.DictReader` and pandas keep every column. document.json's `columns` carry the same names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..model import Column, Table
from .numbers import NUMERIC_KINDS, ParsedValue, parse_number, split_unit
from .textform import match_key, strip_extraction_spaces
from .totals import total_rows
from .units import PERIOD_SUFFIXES, UNITS

_BRACKETED = re.compile(r"[（(]\s*([^（）()]+?)\s*[）)]\s*$")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?(" + "|".join(PERIOD_SUFFIXES) + r")?$")
UNIT_HEADERS = ("单位", "计量单位")
MIN_NUMERIC_SHARE = 0.8  # a column is numeric when this share of its non-empty cells are numbers


def unique_names(names: Sequence[str]) -> list[str]:
    """The n-th column of a repeated name is renamed "<name>_n" (指标, 指标_2); never onto a name in use."""
    taken = set(names)
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        if seen[name] == 1:
            out.append(name)
            continue
        n = seen[name]
        while f"{name}_{n}" in taken:
            n += 1
        taken.add(f"{name}_{n}")
        out.append(f"{name}_{n}")
    return out


def flatten_header(header: Sequence[Sequence[str]], n_cols: int | None = None) -> list[str]:
    """Header rows → one unique name per column, levels joined by "/" (a vertically merged cell once)."""
    if n_cols is None:
        n_cols = max((len(r) for r in header), default=0)
    names = []
    for col in range(n_cols):
        levels: list[str] = []
        for row in header:
            text = strip_extraction_spaces(row[col]) if col < len(row) else ""
            if text and (not levels or levels[-1] != text):
                levels.append(text)
        names.append("/".join(levels))
    return unique_names(names)


def header_unit(name: str) -> str | None:
    """The unit a header states in brackets at the end of any level: 国赛（个）/一等奖 → 个."""
    for level in reversed(name.split("/")):
        m = _BRACKETED.search(level)
        if m:
            unit = m.group(1)
            base, scale = split_unit(unit)
            if base == "%" or base in UNITS or scale != 1:
                return unit
    return None


def header_period(name: str) -> str | None:
    """2020 年 → 2020年, 2021级 → 2021级, 2020-2021 学年 → 2020-2021学年, else None."""
    compact = "".join(name.split())
    m = _PERIOD.match(compact)
    if not m or not (m.group(3) or m.group(2)):
        return None
    return compact


def is_unit_header(name: str) -> bool:
    return match_key(name) in UNIT_HEADERS


def column_dtype(values: Sequence[ParsedValue]) -> str:
    """number/percent/ratio/pair/range/date when cells are that kind, text when not, empty when blank."""
    kinds = Counter(v.kind for v in values if v.kind != "null")
    total = sum(kinds.values())
    if not total:
        return "empty"
    numeric = sum(n for k, n in kinds.items() if k in NUMERIC_KINDS)
    if numeric >= MIN_NUMERIC_SHARE * total:
        return max((k for k in kinds if k in NUMERIC_KINDS), key=lambda k: kinds[k])
    top, n = kinds.most_common(1)[0]
    return top if top == "date" and n == total else "text"


def column_names(table: Table) -> list[str]:
    """The table's column names: its `columns` when the tables stage set them, else the flattened header."""
    width = max((len(r) for r in [*table.header, *table.rows]), default=0)
    if len(table.columns) != width:
        return flatten_header(table.header, width)
    return unique_names([strip_extraction_spaces(c.name) for c in table.columns])


def _row_units(table: Table, names: list[str]) -> list[str | None]:
    """The unit each body row states in a 单位 column, if the table has one."""
    unit_col = next((i for i, n in enumerate(names) if is_unit_header(n)), None)
    if unit_col is None:
        return [None] * len(table.rows)
    return [r[unit_col] if unit_col < len(r) else None for r in table.rows]


def _covered(table: Table) -> set[tuple[int, int]]:
    """Body cells that repeat a merged cell's text (every covered cell except the span's origin)."""
    out: set[tuple[int, int]] = set()
    for sp in table.spans:
        if sp.part != "body":
            continue
        for r in range(sp.row, sp.row + sp.rowspan):
            for c in range(sp.col, sp.col + sp.colspan):
                if (r, c) != (sp.row, sp.col):
                    out.add((r, c))
    return out


def _parse_grid(table: Table, names: list[str]) -> list[list[ParsedValue]]:
    units = [header_unit(n) for n in names]
    row_units = _row_units(table, names)
    grid = []
    for r, row in enumerate(table.rows):
        parsed = []
        for c, cell in enumerate(row):
            unit = units[c] if c < len(units) and units[c] else row_units[r]
            if c < len(names) and is_unit_header(names[c]):
                unit = None
            parsed.append(parse_number(cell, unit))
        grid.append(parsed)
    return grid


def typed_columns(table: Table) -> list[Column]:
    """Name, unit and dtype of every column (the `columns` of a table's JSON)."""
    names = column_names(table)
    grid = _parse_grid(table, names)
    out = []
    for c, name in enumerate(names):
        values = [row[c] for row in grid if c < len(row)]
        unit = header_unit(name)
        if unit is None:
            units = Counter(v.printed_unit for v in values if v.is_numeric and v.printed_unit)
            if len(units) == 1:  # every numeric cell prints the same unit (89.09% …)
                unit = next(iter(units))
        out.append(Column(name=name, unit=unit, dtype=column_dtype(values)))
    return out


def typed_records(table: Table) -> list[dict[str, Any]]:
    """One record per printed body cell (a merged cell once, blank cells left out).

    Each record: row, col (0-based in `rows`), column (flattened header), period (when the header
    names one), is_total (the row is a 合计/小计 row, see totals.py), text (as printed) and the
    parsed fields: kind, value, value2, unit, printed_unit, scale, qualifier, qualifier_text, date,
    ordinal.
    """
    names = column_names(table)
    periods = [header_period(n) for n in names]
    covered = _covered(table)
    totals = total_rows(table.rows)
    records: list[dict[str, Any]] = []
    for r, row in enumerate(_parse_grid(table, names)):
        for c, pv in enumerate(row):
            if (r, c) in covered or not pv.text:
                continue
            rec: dict[str, Any] = {
                "row": r,
                "col": c,
                "column": names[c],
                "period": periods[c],
                "is_total": r in totals,
            }
            rec.update(pv.as_dict())
            records.append(rec)
    return records
