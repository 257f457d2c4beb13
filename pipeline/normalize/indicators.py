"""The annex indicator tables in tidy long form: one row per printed value (indicators.csv).

The six annex tables (计分卡 … 落实政策表) are recognised by caption or by their indicator names,
never by position. Each body row is read as an indicator number, a chain of names (item,
(1) sub-item, 满意度 sub-row; 其中：… rows under the row above; A类：… rows under the
毕业生就业去向 heading row) and one value per period column; the chain is matched against the
catalog so that two colleges' rows line up under one code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Document, Table
from ..text import tidy
from .catalog import Catalog, Match, load_catalog, name_key
from .columns import column_names, header_period, is_unit_header
from .numbers import parse_number, split_unit
from .textform import match_key, strip_extraction_spaces
from .units import NULL_TEXTS

INDICATOR_COLUMNS = (
    "doc_id",
    "school_code",
    "school",
    "report_year",
    "table",
    "table_id",
    "indicator_no",
    "indicator_path",
    "indicator",
    "code",
    "match",
    "match_score",
    "period",
    "unit",
    "printed_unit",
    "kind",
    "value",
    "value2",
    "qualifier",
    "value_text",
    "note",
    "page",
    "row",
    "col",
)
CODE_HEADERS = frozenset({"院校代码", "学校代码", "院校编码", "学校编码", "院校代号"})
SCHOOL_HEADERS = frozenset({"院校名称", "学校名称", "院校"})
NOTE_HEADERS = frozenset({"备注", "说明", "备注说明"})
MIN_NAME_HITS = 2  # recognising a table by its rows needs at least this many catalog names

_NUMBER = re.compile(r"^\d{1,2}$")
_NUMBERED_NAME = re.compile(r"^(\d{1,2})\s*[.、．]\s*(\D.*)$")
_SUB_OF_ABOVE = re.compile(r"^其中\s*[:：]")
_GROUP_END = re.compile(r"[—\-－–:：]$")
_DISPLAY_TRIM = "—-－–:：  "


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which columns of an annex table hold what."""

    code: int | None
    school: int | None
    unit: int | None
    note: int | None
    periods: list[tuple[int, str]]
    names: list[int]


@dataclass(frozen=True, slots=True)
class _Node:
    path: tuple[str, ...]
    match: Match


def _layout(names: Sequence[str]) -> _Layout:
    roles: dict[str, int | None] = {"code": None, "school": None, "unit": None, "note": None}
    periods: list[tuple[int, str]] = []
    ind: list[int] = []
    for i, name in enumerate(names):
        key = match_key(name)
        period = header_period(name)
        if key in CODE_HEADERS:
            roles["code"] = i
        elif key in SCHOOL_HEADERS:
            roles["school"] = i
        elif is_unit_header(name):
            roles["unit"] = i
        elif key in NOTE_HEADERS:
            roles["note"] = i
        elif period:
            periods.append((i, period))
        else:
            ind.append(i)
    return _Layout(roles["code"], roles["school"], roles["unit"], roles["note"], periods, ind)


def recognize_table(table: Table, catalog: Catalog | None = None) -> str | None:
    """Which annex table this is: by a title in its caption (表1 计分卡), else by its indicator names."""
    catalog = catalog or load_catalog()
    caption = match_key(f"{table.caption}")
    best = max(
        ((len(a), spec.key) for spec in catalog.tables for a in map(match_key, spec.aliases) if a in caption),
        default=None,
    )
    if best:
        return best[1]
    layout = _layout(column_names(table))
    hits: Counter[str] = Counter()
    for row in table.rows:
        for c in layout.names:
            if c < len(row):
                key = name_key(row[c])
                for spec in catalog.tables:
                    if any(name_key(i.name) == key for i in catalog.indicators if i.table == spec.key):
                        hits[spec.key] += 1
    if not hits:
        return None
    (key, n), *rest = [*hits.most_common(2), ("", 0)]
    return key if n >= MIN_NAME_HITS and n > rest[0][1] else None


def _clean(text: str) -> str:
    return strip_extraction_spaces(text).strip(_DISPLAY_TRIM)


def _split_number(cells: list[str]) -> tuple[str | None, list[str]]:
    """The indicator number (first cell "2", or "2." leading the name) and the distinct names."""
    number = None
    if cells and _NUMBER.match(cells[0]):
        number, cells = cells[0], cells[1:]
    names: list[str] = []
    for c in cells:
        if c and (not names or names[-1] != c):
            names.append(c)
    if number is None and names:
        m = _NUMBERED_NAME.match(names[0])
        if m:
            number, names[0] = m.group(1), m.group(2)
    return number, names


def _is_blank(text: str) -> bool:
    return "".join(text.split()) in NULL_TEXTS


def indicator_rows(doc: Document, catalog: Catalog | None = None) -> list[dict[str, Any]]:
    """Every value of the document's annex tables as one tidy row (see INDICATOR_COLUMNS)."""
    catalog = catalog or load_catalog()
    out: list[dict[str, Any]] = []
    for table in doc.tables:
        if table.kind == "annex":
            out.extend(_table_rows(doc, table, catalog))
    return out


def _table_rows(doc: Document, table: Table, catalog: Catalog) -> list[dict[str, Any]]:
    key = recognize_table(table, catalog)
    title = catalog.table(key).title if key else table.caption
    layout = _layout(column_names(table))
    rows = [[tidy(c) for c in row] for row in table.rows]  # printed text; names are cleaned apart
    numbers = [_split_number([r[c] for c in layout.names if c < len(r)])[0] for r in rows]
    out: list[dict[str, Any]] = []
    current: str | None = None
    group: _Node | None = None
    main: _Node | None = None

    def lookup(name: str, parent: _Node | None) -> _Node:
        display = _clean(name)
        if key is None:
            m = Match(None, "unmatched", 0.0)
        else:
            m = catalog.lookup(key, name, parent.match.code if parent else None)
        return _Node((*(parent.path if parent else ()), display), m)

    for r, row in enumerate(rows):
        base = _base(doc, table, title, row, r, layout)
        free = _free_text(row, layout)
        if free is not None:
            name = re.split(r"[:：]", free, maxsplit=1)[0]
            node = lookup(name, None)
            out.append({**base, **_indicator(None, node), "kind": "text", "value_text": free})
            continue
        number, names = _split_number([row[c] for c in layout.names if c < len(row)])
        if not names:
            continue
        if number is not None and number != current:
            current, group, main = number, None, None
        parent = main if _SUB_OF_ABOVE.match(names[0]) and main else group
        node = lookup(names[0], parent)
        for name in names[1:]:
            node = lookup(name, node)
        values = [(c, p, row[c]) for c, p in layout.periods if c < len(row)]
        no_values = all(_is_blank(v) for _, _, v in values)
        next_same = r + 1 < len(rows) and number is not None and numbers[r + 1] == number
        if no_values and (_GROUP_END.search(names[-1]) or next_same):
            group, main = node, None
            continue
        if not _SUB_OF_ABOVE.match(names[0]):
            main = node
        unit_text = row[layout.unit] if layout.unit is not None and layout.unit < len(row) else None
        note = row[layout.note] if layout.note is not None and layout.note < len(row) else ""
        for c, period, text in values:
            if not text:
                continue
            pv = parse_number(text, unit_text)
            unit, _ = split_unit(unit_text)
            out.append(
                {
                    **base,
                    **_indicator(number, node),
                    "period": period,
                    "unit": pv.unit if pv.is_numeric else unit,
                    "printed_unit": pv.printed_unit if pv.is_numeric else unit_text or None,
                    "kind": pv.kind,
                    "value": pv.value,
                    "value2": pv.value2,
                    "qualifier": pv.qualifier,
                    "value_text": pv.text,
                    "note": note or None,
                    "col": c,
                }
            )
    return out


def _free_text(row: list[str], layout: _Layout) -> str | None:
    """A row printed as one merged cell across the indicator and value columns (主要办学经费来源…)."""
    cols = [*layout.names, *(c for c, _ in layout.periods)]
    texts = {row[c] for c in cols if c < len(row)}
    if len(texts) == 1 and len(cols) > 2:
        (text,) = texts
        return text or None
    return None


def _indicator(number: str | None, node: _Node) -> dict[str, Any]:
    return {
        "indicator_no": number,
        "indicator_path": " / ".join([*([number] if number else []), *node.path]),
        "indicator": node.path[-1],
        "code": node.match.code,
        "match": node.match.how,
        "match_score": node.match.score,
    }


def _base(doc: Document, table: Table, title: str, row: list[str], r: int, layout: _Layout) -> dict[str, Any]:
    def cell(c: int | None) -> str | None:
        return row[c] if c is not None and c < len(row) and row[c] else None

    page = table.row_pages[r][0] if r < len(table.row_pages) and table.row_pages[r] else None
    return {
        "doc_id": doc.doc_id,
        "school_code": cell(layout.code) or doc.metadata.school_code,
        "school": cell(layout.school) or doc.metadata.school,
        "report_year": doc.metadata.report_year,
        "table": title,
        "table_id": table.id,
        "page": page if page is not None else (table.pages[0] if table.pages else None),
        "row": r,
        "period": None,
        "unit": None,
        "printed_unit": None,
        "value": None,
        "value2": None,
        "qualifier": None,
        "note": None,
        "col": None,
    }
