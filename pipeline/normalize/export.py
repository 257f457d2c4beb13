"""indicators.csv and facts.csv: the tidy tables a warehouse user loads first.

Their headers are the warehouse's column names (table → table_name, end → end_pos), so a CSV and
its database table read alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..csvout import csv_parts
from ..model import Document
from ..warehouse.schema import FACTS, INDICATORS
from .facts import FACT_COLUMNS, fact_rows
from .indicators import INDICATOR_COLUMNS


def normalized_files(doc: Document) -> dict[str, str]:
    """A renderer for emit: always both files (a header-only CSV says 'none found', not 'not run')."""
    return {name: "".join(parts) for name, parts in normalized_parts(doc)}


def normalized_parts(doc: Document) -> Iterator[tuple[str, Iterator[str]]]:
    """`normalized_files` one file at a time, each in pieces as its rows are rendered (emit writes
    them as they come: ~5 MB of text at 1,000 pages, bench/bench_memory.py)."""
    indicators = ([getattr(i, c) for c in INDICATOR_COLUMNS] for i in doc.indicators)
    yield "indicators.csv", csv_parts(INDICATORS.names_for(INDICATOR_COLUMNS), indicators)
    yield "facts.csv", csv_parts(FACTS.names_for(FACT_COLUMNS), _fact_rows(doc))


def _fact_rows(doc: Document) -> Iterator[list[object]]:
    """facts.csv's rows, each fact's made as it is written (`fact_rows` of all at once is ~1.5 KB a fact)."""
    for fact in doc.facts:
        (row,) = fact_rows(doc, [fact])
        yield [row[c] for c in FACT_COLUMNS]
