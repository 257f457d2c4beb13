"""Document → rows, one pure function per warehouse table (no database here, easy to test).

Each function returns a list of dicts whose keys are exactly the table's columns in
`schema.py`; `document_rows` gathers them all. Values are converted here (numbers to float,
lists and free JSON to JSON text) so both backends insert the same rows unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from ..model import Document, Table, ValidationSummary
from ..normalize.catalog import Catalog, load_catalog
from .schema import BY_NAME, TABLES_IN_ORDER, WAREHOUSE_SCHEMA_VERSION

Row = dict[str, Any]


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _num(value: Any) -> float | None:
    """Numbers go to DOUBLE columns; a bool or text in a value slot is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def validation_status(summary: ValidationSummary | None) -> str:
    if summary is None:
        return "not run"
    if error_count(summary):
        return "errors"
    return "warnings" if warning_count(summary) else "passed"


def error_count(summary: ValidationSummary) -> int:
    """Errors as counted, or as listed if the counts were not filled (never trust one alone)."""
    listed = sum(1 for f in summary.failures if f.severity == "error" and not f.success)
    return max(summary.errors, listed)


def warning_count(summary: ValidationSummary) -> int:
    listed = sum(1 for f in summary.failures if f.severity == "warning" and not f.success)
    return max(summary.warnings, listed)


def documents_rows(doc: Document, *, loaded_at: datetime | None = None, loaded_invalid: bool = False) -> list[Row]:
    v = doc.validation
    errors = error_count(v) if v else None
    warnings = warning_count(v) if v else None
    return [
        {
            "doc_id": doc.doc_id,
            "school_code": doc.metadata.school_code,
            "school": doc.metadata.school,
            "report_year": doc.metadata.report_year,
            "title": doc.metadata.title,
            "report_title": doc.metadata.report_title,
            "source_path": doc.source.path,
            "sha256": doc.source.sha256,
            "pages": doc.source.pages,
            "size_bytes": doc.source.size_bytes,
            "pipeline_version": doc.pipeline_version,
            "schema_version": doc.schema_version,
            "loaded_at": (loaded_at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None),
            "validation_status": validation_status(v),
            "validation_evaluated": v.evaluated if v else None,
            "validation_passed": v.passed if v else None,
            "validation_errors": errors,
            "validation_warnings": warnings,
            "valid": None if v is None else errors == 0,
            "has_warnings": None if v is None else bool(warnings),
            "loaded_invalid": loaded_invalid,
            "n_sections": len(doc.sections),
            "n_tables": len(doc.tables),
            "n_figures": len(doc.figures),
            "n_facts": len(doc.facts),
            "n_indicators": len(doc.indicators),
            "n_findings": len(doc.findings),
        }
    ]


def _attribute_rows(doc: Document, table: str, items: Sequence[Any], convert: Mapping[str, Any]) -> list[Row]:
    """Rows whose columns are the items' attributes (each column's `source`), `doc_id` and `seq` added."""
    rows = []
    for i, item in enumerate(items):
        row: Row = {}
        for col in BY_NAME[table].columns:
            if col.name == "doc_id":
                row[col.name] = doc.doc_id
            elif col.name == "seq":
                row[col.name] = i
            else:
                value = getattr(item, col.source)
                row[col.name] = convert[col.name](value) if col.name in convert else value
        rows.append(row)
    return rows


def sections_rows(doc: Document) -> list[Row]:
    return _attribute_rows(doc, "sections", doc.sections, {})


def _n_cols(t: Table) -> int:
    return max((len(r) for r in [*t.header, *t.rows]), default=0)


def tables_rows(doc: Document) -> list[Row]:
    return [
        {
            "doc_id": doc.doc_id,
            "table_id": t.id,
            "seq": i,
            "kind": t.kind,
            "number": t.number,
            "caption": t.caption,
            "section_id": t.section,
            "page": min(t.pages, default=None),
            "page_end": max(t.pages, default=None),
            "pages": _json(t.pages),
            "n_header_rows": len(t.header),
            "n_rows": len(t.rows),
            "n_cols": _n_cols(t),
            "columns": _json([c.model_dump() for c in t.columns]),
            "extractor": t.extractor,
            "quality": t.quality,
        }
        for i, t in enumerate(doc.tables)
    ]


def _merge_layout(t: Table, part: str) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Span sizes at each merge's origin, and the cells a merge covers besides its origin."""
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for sp in t.spans:
        if sp.part != part:
            continue
        origins[(sp.row, sp.col)] = (sp.rowspan, sp.colspan)
        covered.update(
            (r, c)
            for r in range(sp.row, sp.row + sp.rowspan)
            for c in range(sp.col, sp.col + sp.colspan)
            if (r, c) != (sp.row, sp.col)
        )
    return origins, covered


_EMPTY_TYPED: Row = {
    "kind": None,
    "value": None,
    "value2": None,
    "unit": None,
    "printed_unit": None,
    "qualifier": None,
    "period": None,
    "date": None,
}


def _typed(rec: dict[str, Any] | None) -> Row:
    if rec is None:
        return dict(_EMPTY_TYPED)
    date = rec.get("date")
    return {
        "kind": rec.get("kind"),
        "value": _num(rec.get("value")),
        "value2": _num(rec.get("value2")),
        "unit": rec.get("unit"),
        "printed_unit": rec.get("printed_unit"),
        "qualifier": rec.get("qualifier"),
        "period": rec.get("period"),
        "date": None if date is None else str(date),
    }


def table_cells_rows(doc: Document) -> list[Row]:
    """Every cell of every table's header and body grid, typed from `records` where present.

    Grids are full rectangles (a merged cell's text repeats), so `covered` marks the repeats:
    sum values over `NOT covered` to count a merged number once, and over `NOT is_total` to
    leave out the 合计/小计 rows (marked by the normalize stage in each record's `is_total`).
    """
    out: list[Row] = []
    for t in doc.tables:
        names = [c.name for c in t.columns]
        first_page = min(t.pages, default=None)
        records = {(int(r["row"]), int(r["col"])): r for r in t.records if "row" in r and "col" in r}
        totals = {row for (row, _), rec in records.items() if rec.get("is_total")}
        for part, grid in (("header", t.header), ("body", t.rows)):
            origins, covered = _merge_layout(t, part)
            for r, cells in enumerate(grid):
                page: int | None
                if part == "body" and r < len(t.row_pages) and t.row_pages[r]:
                    page = t.row_pages[r][0]
                else:
                    page = first_page
                for c, text in enumerate(cells):
                    rowspan, colspan = origins.get((r, c), (1, 1))
                    row: Row = {
                        "doc_id": doc.doc_id,
                        "table_id": t.id,
                        "part": part,
                        "row": r,
                        "col": c,
                        "column_name": names[c] if c < len(names) else None,
                        "page": page,
                        "text": text,
                        "covered": (r, c) in covered,
                        "is_total": part == "body" and r in totals,
                        "rowspan": rowspan,
                        "colspan": colspan,
                    }
                    row.update(_typed(records.get((r, c)) if part == "body" else None))
                    out.append(row)
    return out


_VALUES = {"value": _num, "value2": _num}


def indicators_rows(doc: Document) -> list[Row]:
    return _attribute_rows(doc, "indicators", doc.indicators, _VALUES)


def facts_rows(doc: Document) -> list[Row]:
    return _attribute_rows(doc, "facts", doc.facts, _VALUES)


def validation_results_rows(doc: Document) -> list[Row]:
    if doc.validation is None:
        return []
    convert = {"expected": _json, "observed": _json}
    return _attribute_rows(doc, "validation_results", doc.validation.failures, convert)


def schema_row(now: datetime | None = None) -> Row:
    """The one row of warehouse_schema: the version a new database is created under."""
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return {"version": WAREHOUSE_SCHEMA_VERSION, "pipeline_version": __version__, "created_at": created}


def catalog_rows(catalog: Catalog | None = None) -> list[Row]:
    """The indicator catalog (this nianbao's, by default), one row per indicator (table indicator_catalog)."""
    catalog = catalog or load_catalog()
    titles = {t.key: t.title for t in catalog.tables}
    return [
        {
            "code": i.code,
            "table_key": i.table,
            "table_name": titles.get(i.table),
            "parent_code": i.parent,
            "name": i.name,
            "unit": i.unit,
            "kind": i.kind,
            "aliases": _json(list(i.aliases)),
        }
        for i in catalog.indicators
    ]


def document_rows(
    doc: Document, *, loaded_at: datetime | None = None, loaded_invalid: bool = False
) -> dict[str, list[Row]]:
    """All rows of one document, by table name, in `TABLES_IN_ORDER`."""
    out = {
        "documents": documents_rows(doc, loaded_at=loaded_at, loaded_invalid=loaded_invalid),
        "sections": sections_rows(doc),
        "tables": tables_rows(doc),
        "table_cells": table_cells_rows(doc),
        "indicators": indicators_rows(doc),
        "facts": facts_rows(doc),
        "validation_results": validation_results_rows(doc),
    }
    assert list(out) == [t.name for t in TABLES_IN_ORDER]
    for name, rows in out.items():
        expected = BY_NAME[name].column_names
        if rows and list(rows[0]) != expected:
            raise AssertionError(f"rows for {name} do not match schema.py: {list(rows[0])} != {expected}")
    return out
