"""indicators.csv and facts.csv: the tidy tables a warehouse user loads first.

Their headers are the warehouse's column names (table → table_name, end → end_pos), so a CSV and
its database table read alike.
"""

from __future__ import annotations

from ..csvout import csv_text
from ..model import Document
from ..warehouse.schema import FACTS, INDICATORS
from .facts import FACT_COLUMNS, fact_rows
from .indicators import INDICATOR_COLUMNS


def normalized_files(doc: Document) -> dict[str, str]:
    """A renderer for emit: always both files (a header-only CSV says 'none found', not 'not run')."""
    indicators = csv_text(
        INDICATORS.names_for(INDICATOR_COLUMNS), ([getattr(i, c) for c in INDICATOR_COLUMNS] for i in doc.indicators)
    )
    facts = csv_text(FACTS.names_for(FACT_COLUMNS), ([r[c] for c in FACT_COLUMNS] for r in fact_rows(doc, doc.facts)))
    return {"indicators.csv": indicators, "facts.csv": facts}
