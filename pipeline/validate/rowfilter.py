"""A suite run's row-condition subsets, computed once each instead of once per metric.

Every expectation of the suites carries a pandas-query `row_condition` (`rule=="table.total_row"`),
and GX's pandas engine applies it (`DataFrame.query`) each time a metric asks for its domain: the
row count, the column types, the unexpected count, index list, values and query of one expectation
each filter the whole frame again. On the 70-page report that is 269 queries for 30 distinct
(frame, condition) pairs, about a third of the suites' time; `_collect` then ran each once more.

Inside `shared_subsets()` the engine's filter looks a pass-through condition up by the frame's
identity and its query text, and computes it only the first time; outside it, GX is unchanged.
The subsets are the very frames `DataFrame.query` made (no metric changes its domain records in
place: they select from them), so every metric and result is what it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pandas as pd

_Subsets = dict[tuple[int, str], tuple[pd.DataFrame, pd.DataFrame]]  # (id(frame), query) → (frame, subset)
_ACTIVE: ContextVar[_Subsets | None] = ContextVar("nianbao_row_subsets", default=None)
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


def subset(frame: pd.DataFrame, query: str, compute: Callable[[], pd.DataFrame] | None = None) -> pd.DataFrame:
    """`frame.query(query)`, shared with the other askers of the current `shared_subsets()` block."""
    subsets = _ACTIVE.get()
    run = compute or (lambda: frame.query(query))
    if subsets is None:
        return run()
    hit = subsets.get((id(frame), query))
    if hit is not None and hit[0] is frame:
        return hit[1]
    out = run()
    subsets[(id(frame), query)] = (frame, out)  # the frame is held: its id stays its own
    return out


@contextmanager
def shared_subsets() -> Iterator[None]:
    """Within the block, each (frame, query) subset is computed once, by GX's engine or `subset`."""
    token = _ACTIVE.set({})
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def install(engine_class: Any) -> None:
    """Route `engine_class._apply_row_condition_filter` through `subset` (once; a GX without it is left alone)."""
    original = getattr(engine_class, "_apply_row_condition_filter", None)
    if original is None or getattr(original, _PATCHED, False):
        return

    def _apply_row_condition_filter(self: Any, data: Any, row_condition: Any, domain_kwargs: dict[str, Any]) -> Any:
        query = query_text(row_condition, domain_kwargs)
        if query is None or _ACTIVE.get() is None or not isinstance(data, pd.DataFrame):
            return original(self, data, row_condition, domain_kwargs)
        return subset(data, query, lambda: original(self, data, row_condition, domain_kwargs))

    setattr(_apply_row_condition_filter, _PATCHED, True)
    engine_class._apply_row_condition_filter = _apply_row_condition_filter
