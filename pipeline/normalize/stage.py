"""The normalize stage: typed values beside the printed text, never instead of it."""

from __future__ import annotations

from ..model import Document, Indicator
from .columns import typed_columns, typed_records
from .facts import extract_facts
from .headings import normalize_headings
from .indicators import indicator_rows


def normalize_document(doc: Document) -> Document:
    """Heading ordinals and paths, typed table columns and records, annex indicators, facts."""
    out = doc.model_copy(deep=True)
    norms = {h.id: h for h in normalize_headings(out.sections)}
    for sec in out.sections:
        h = norms.get(sec.id)
        if h is not None:
            sec.ordinal, sec.path, sec.topic, sec.subtitle = h.ordinal, h.path, h.topic, h.subtitle
    for table in out.tables:
        table.columns = typed_columns(table)
        table.records = typed_records(table)
    out.indicators = [Indicator(**row) for row in indicator_rows(out)]
    out.facts = extract_facts(out)
    return out
