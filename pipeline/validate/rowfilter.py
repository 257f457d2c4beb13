"""A suite run's row-condition subsets, computed once each instead of once per metric.

Every expectation of the suites carries a pandas-query `row_condition` (`rule=="table.total_row"`),
and GX's pandas engine applies it (`DataFrame.query`) each time a metric asks for its domain: the
row count, the column types, the unexpected count, index list, values and query of one expectation
each filter the whole frame again. On the 70-page report that is 269 queries for 30 distinct
(frame, condition) pairs, about a third of the suites' time; `_collect` then ran each once more.

Inside `shared_subsets()` the engine's filter looks a pass-through condition up by the frame's
identity and its query text, and computes it (`query`) only the first time; outside it, GX is unchanged.
The subsets are the very frames `DataFrame.query` made (no metric changes its domain records in
place: they select from them), so every metric and result is what it was.

The suites' conditions are all equalities of a column with a literal, joined by `and`
(`rule=="table.total_row"`, `needs_unit==True and has_unit==True`). `DataFrame.query` parses and
evaluates one through pandas' expression engine (~1.3 ms on a frame of 50 rows, most of it
set-up: a resolver Series for every column); `query` here computes the same boolean mask with the
same `==` and selects with it as `DataFrame.query` does (`frame.loc[mask]`). Anything else (other
operators, a name that is not a column or is also the index's, a mask `.loc` refuses) goes to
`DataFrame.query` itself, so its result or its error is the one GX always had.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from .blockmemo import BlockMemo

_SUBSETS: BlockMemo[pd.DataFrame] = BlockMemo("nianbao_row_subsets")  # (frame, query) → subset
_PATCHED = "_nianbao_shared_subsets"


def query_text(row_condition: Any, domain_kwargs: dict[str, Any]) -> str | None:
    """The query GX runs for `row_condition` when it is a plain `DataFrame.query` (a pass-through), else None."""
    if isinstance(row_condition, dict):
        if row_condition.get("type") == "pass_through" and set(row_condition) == {"type", "pass_through_filter"}:
            text = row_condition["pass_through_filter"]
            return text if isinstance(text, str) else None
        return None
    if isinstance(row_condition, str):
        return row_condition if domain_kwargs.get("condition_parser") == "pandas" else None
    text = getattr(row_condition, "pass_through_filter", None)
    return text if type(row_condition).__name__ == "PassThroughCondition" and isinstance(text, str) else None


_CLAUSE = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*==\s*("[^"\\]*"|True|False|-?(?:0|[1-9][0-9]*))\s*')
_AND = re.compile(r"and\b")


def _equalities(text: str) -> list[tuple[str, Any]] | None:
    """[(column, literal), ...] of `c1=="x" and c2==True ...`, or None for any other query."""
    out: list[tuple[str, Any]] = []
    pos = 0
    while True:
        m = _CLAUSE.match(text, pos)
        if m is None:
            return None
        name, raw = m.groups()
        value: Any = raw[1:-1] if raw.startswith('"') else {"True": True, "False": False}.get(raw)
        out.append((name, int(raw) if value is None else value))
        pos = m.end()
        if pos == len(text):
            return out
        a = _AND.match(text, pos)
        if a is None or pos == m.end(2):  # "and" must follow a space after the literal
            return None
        pos = a.end()


def query(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """`frame.query(text)`, without pandas' expression engine for the equalities the suites write."""
    clauses = _equalities(text)
    names = set(frame.columns)
    if clauses is None or len(names) != len(frame.columns):  # not the suites' kind, or two columns of a name
        return frame.query(text)
    if any(n not in names or n in frame.index.names or keyword.iskeyword(n) for n, _ in clauses):
        return frame.query(text)
    try:
        mask = frame[clauses[0][0]] == clauses[0][1]
        for name, value in clauses[1:]:
            mask = mask & (frame[name] == value)
        return frame.loc[mask]
    except Exception:  # a mask .loc refuses (missing values): the query's own answer, or its error
        return frame.query(text)


def subset(frame: pd.DataFrame, query_text: str) -> pd.DataFrame:
    """`frame.query(query_text)`, shared with the other askers of the current `shared_subsets()` block."""
    return _SUBSETS.get(frame, query_text, lambda: query(frame, query_text))


@contextmanager
def shared_subsets() -> Iterator[None]:
    """Within the block, each (frame, query) subset is computed once, by GX's engine or `subset`."""
    with _SUBSETS.block():
        yield


def install(engine_class: Any) -> None:
    """Route `engine_class._apply_row_condition_filter` through `subset` (once; a GX without it is left alone)."""
    original = getattr(engine_class, "_apply_row_condition_filter", None)
    if original is None or getattr(original, _PATCHED, False):
        return

    def _apply_row_condition_filter(self: Any, data: Any, row_condition: Any, domain_kwargs: dict[str, Any]) -> Any:
        text = query_text(row_condition, domain_kwargs)
        if text is None or not _SUBSETS.active() or not isinstance(data, pd.DataFrame):
            return original(self, data, row_condition, domain_kwargs)
        return subset(data, text)  # GX runs `data.query(text)` for a pass-through condition

    setattr(_apply_row_condition_filter, _PATCHED, True)
    engine_class._apply_row_condition_filter = _apply_row_condition_filter
