"""An annex count against the list its remark (备注) gives: the template asks colleges to name what
they count (the teachers holding posts abroad, the standards adopted abroad), one item per ；.

A remark whose items carry no quantity of their own (a breakdown such as 南非留学生：12人 is a sum,
not a list) and lists at least rules.REMARK_ITEMS_MIN items names as many things as the count; the
remark is printed once for every period of the row, so the list agrees when one period's value is
its length.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model import Document, Indicator
from ..normalize.numbers import find_quantities
from ..normalize.textform import strip_extraction_spaces, to_halfwidth
from . import rules
from .frames import Check, fmt
from .ruleids import RuleId

_ITEM_SPLIT = re.compile(r"[；;]")


def remark_items(note: str) -> list[str]:
    """The items a remark lists (。 at the end dropped); [] when an item states a quantity."""
    items = [i.strip(" 。.") for i in _ITEM_SPLIT.split(strip_extraction_spaces(to_halfwidth(note)))]
    items = [i for i in items if i]
    return [] if any(find_quantities(i) for i in items) else items


def remark_checks(doc: Document) -> list[Check]:
    """One row per counted indicator whose remark is a list: the list's length against its values."""
    rows: dict[tuple[str, int | None, str], list[Indicator]] = defaultdict(list)
    for ind in doc.indicators:
        unit = (ind.printed_unit or ind.unit or "").split("/")[0]
        if ind.note and ind.value is not None and ind.kind == "number" and unit in rules.COUNT_UNITS:
            rows[(ind.table_id, ind.row, ind.note)].append(ind)
    out: list[Check] = []
    for (_, _, note), inds in rows.items():
        items = remark_items(note)
        if len(items) < rules.REMARK_ITEMS_MIN:
            continue
        latest = max(inds, key=lambda i: i.period or "")
        match = next((i for i in inds if float(i.value or 0) == len(items)), latest)
        out.append(
            Check(
                RuleId.ANNEX_REMARK_LISTS,
                match.table_id,
                match.row,
                f"{match.indicator}｜{match.period}" if match.period else match.indicator,
                match.page,
                expected_text=fmt(float(match.value or 0)),
                observed_text=str(len(items)),
                detail=f"{items[0]} … {items[-1]}",
                values={"expected": float(match.value or 0), "observed": float(len(items)), "tolerance": 0.0},
            )
        )
    return out
