"""The rule ids: what the frame builders write in a row's `rule` column and the suites judge.

A suite expectation names its rule in its meta and selects its rows with `row_condition:
rule=="…"` (the values suite selects by typed flags instead). `check_rule_ids` ties the two
together when suites are loaded: an expectation naming an id the builders do not know, a
row_condition selecting another rule's rows, or an id no expectation judges, is an error that
names it, at start-up rather than as a silently empty check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .suites import SuiteSpec


class RuleId(StrEnum):
    # structure
    LIST_ENTRY_FOUND = "list.entry_found"
    LIST_ENTRY_PAGE = "list.entry_page"
    LIST_ITEM_LISTED = "list.item_listed"
    TOC_ENTRY_FOUND = "toc.entry_found"
    TOC_ENTRY_PAGE = "toc.entry_page"
    ANNEX_TABLE_PRESENT = "annex.table_present"
    ANNEX_INDICATOR_PRESENT = "annex.indicator_present"
    TABLE_NOT_EMPTY = "table.not_empty"
    TABLE_WIDTH = "table.width"
    # values (rows selected by their typed flags)
    VALUE_PERCENT_RANGE = "value.percent_range"
    VALUE_COUNT_NOT_NEGATIVE = "value.count_not_negative"
    VALUE_COUNT_WHOLE = "value.count_whole"
    VALUE_YEAR_PLAUSIBLE = "value.year_plausible"
    VALUE_PERIOD_PLAUSIBLE = "value.period_plausible"
    VALUE_UNIT_PRESENT = "value.unit_present"
    VALUE_UNIT_MATCHES_TEMPLATE = "value.unit_matches_template"
    TEXT_YEAR_PLAUSIBLE = "text.year_plausible"
    TEXT_COUNT_NOT_NEGATIVE = "text.count_not_negative"
    # arithmetic
    TABLE_TOTAL_ROW = "table.total_row"
    TABLE_TOTAL_COLUMN = "table.total_column"
    TABLE_SHARE_SUM = "table.share_sum"
    TABLE_SHARE_RATIO = "table.share_ratio"
    TABLE_RATE_RATIO = "table.rate_ratio"
    TABLE_SUB_ITEM = "table.sub_item"
    ANNEX_SUB_ITEM = "annex.sub_item"
    ANNEX_RATE_RATIO = "annex.rate_ratio"
    ANNEX_REMARK_LISTS = "annex.remark_lists_value"
    AMOUNT_NATIONAL_RATE = "amount.national_rate"
    # consistency
    TEXT_RESTATES_TABLE = "text.restates_table"
    ANNEX_RESTATES_TEXT = "annex.restates_text"
    ANNEX_MEETS_TEXT_BOUND = "annex.meets_text_bound"
    ANNEX_TEXT_STALE = "annex.text_stale"
    ANNEX_TEXT_UNMATCHED = "annex.text_unmatched"
    ANNEX_DERIVED_TOTAL_PERIOD = "annex.derived_total_period"
    ANNEX_DERIVED_TOTAL_BOUND = "annex.derived_total_bound"
    TEXT_RESTATES_TEXT = "text.restates_text"
    TEXT_RATIO_REDUCES = "text.ratio_reduces"
    TEXT_PARTS_WITHIN_TOTAL = "text.parts_within_total"
    TEXT_SECTION_PERIOD = "text.section_period"


_SELECTS_RULE = re.compile(r"""\brule\s*==\s*["']([^"']*)["']""")


def check_rule_ids(specs: Iterable[SuiteSpec]) -> None:
    """Every expectation names a known rule id and selects that rule's rows; every id is judged."""
    known = {r.value for r in RuleId}
    judged: set[str] = set()
    for spec in specs:
        for e in spec.expectations:
            rule = e["meta"]["rule"]
            if rule not in known:
                raise ValueError(f"{spec.path}: expectation {e['type']} names rule {rule!r}, which is not a RuleId")
            selected = _SELECTS_RULE.findall(str((e.get("kwargs") or {}).get("row_condition") or ""))
            if any(s != rule for s in selected):
                raise ValueError(f"{spec.path}: expectation for rule {rule!r} selects the rows of {selected}")
            judged.add(rule)
    missing = sorted(known - judged)
    if missing:
        raise ValueError(f"rule id(s) with no expectation in the suites: {', '.join(missing)}")
