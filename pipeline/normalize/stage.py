"""The normalize stage: typed values beside the printed text, never instead of it."""

from __future__ import annotations

from ..model import Document, Indicator, share_fields_sets
from .columns import typed_columns, typed_records
from .facts import extract_facts
from .headings import normalize_headings
from .indicators import indicator_rows


def normalize_document(doc: Document) -> Document:
    """Heading ordinals and paths, typed table columns and records, annex indicators, facts.

    A new document: the sections and tables it changes are copies, the rest is shared with `doc`
    (nothing changes a stage's output after it; a deep copy of the whole document cost ~25 ms and
    the document's size again while both were held). Its models share their fields sets
    (`share_fields_sets`): the document is held from here to emit."""
    norms = {h.id: h for h in normalize_headings(doc.sections)}
    sections = []
    for sec in doc.sections:
        h = norms.get(sec.id)
        if h is not None:
            named = {"ordinal": h.ordinal, "path": h.path, "topic": h.topic, "subtitle": h.subtitle}
            sec = sec.model_copy(update=named)
        sections.append(sec)
    tables = []
    for table in doc.tables:
        typed = table.model_copy(update={"columns": typed_columns(table)})
        tables.append(typed.model_copy(update={"records": typed_records(typed)}))
    out = doc.model_copy(update={"sections": sections, "tables": tables})
    out.indicators = [Indicator(**row) for row in indicator_rows(out)]
    out.facts = extract_facts(out)
    share_fields_sets([out])
    return out
