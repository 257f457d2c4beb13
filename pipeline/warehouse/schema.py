"""The warehouse tables, defined once as data: both backends build their DDL from `TABLES`.

Every table is keyed by `doc_id` first, so a document's rows can be deleted and re-inserted as
one unit. The rest of each key is the element's natural id where the model has one (section
id, table id, cell position, fact id); indicators and validation results have no unique natural
id (a value not read from one cell has no row/col; one rule can fail twice on one target), so
they are keyed by `seq`, their position in the document, which is stable for one document.json.

Column names avoid SQL reserved words (`column`, `end`, `table`) so hand-written queries need no
quoting on DuckDB, SQLite or PostgreSQL. JSON-valued columns hold JSON text (portable; cast with
`::JSON` in DuckDB or PostgreSQL when needed). Timestamps are naive UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

WAREHOUSE_SCHEMA_VERSION = 2
"""Bump when a table or column changes; a database written under another version is refused."""

ColType = Literal["text", "key", "int", "float", "bool", "timestamp", "json"]
"""`key` is text used in a primary key (a bounded VARCHAR where the backend needs one)."""

KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    type: ColType
    doc: str = ""


@dataclass(frozen=True, slots=True)
class TableDef:
    name: str
    columns: tuple[Col, ...]
    primary_key: tuple[str, ...]
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __post_init__(self) -> None:
        names = self.column_names
        missing = [k for k in self.primary_key if k not in names]
        if missing or len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: bad primary key {missing} or duplicate columns")


def _cols(spec: str) -> tuple[Col, ...]:
    """Columns from a compact 'name:type' list (one per line), so a table reads as one block."""
    out = []
    for line in spec.strip().splitlines():
        name, _, rest = line.strip().partition(":")
        ctype, _, doc = rest.partition(" ")
        out.append(Col(name, ctype, doc.strip()))  # type: ignore[arg-type]
    return tuple(out)


DOCUMENTS = TableDef(
    "documents",
    _cols("""
        doc_id:key
        school_code:text
        school:text
        report_year:int
        title:text
        report_title:text
        source_path:text
        sha256:text
        pages:int
        size_bytes:int
        pipeline_version:text
        schema_version:int document.json schema version
        loaded_at:timestamp UTC
        validation_status:text not run | passed | warnings | errors
        validation_evaluated:int
        validation_passed:int
        validation_errors:int
        validation_warnings:int
        valid:bool false when validation found errors; null when validation did not run
        has_warnings:bool
        loaded_invalid:bool loaded with --allow-invalid despite errors
        n_sections:int
        n_tables:int
        n_figures:int
        n_facts:int
        n_indicators:int
        n_findings:int
    """),
    ("doc_id",),
    "one row per report",
)

SECTIONS = TableDef(
    "sections",
    _cols("""
        doc_id:key
        section_id:key
        seq:int reading order
        parent_id:text
        kind:text
        level:int
        number:text
        title:text
        page:int
        page_end:int
        ordinal:int
        path:text
        topic:text
        subtitle:text
        text:text the section's own paragraphs
    """),
    ("doc_id", "section_id"),
    "sections in reading order",
)

TABLES = TableDef(
    "tables",
    _cols("""
        doc_id:key
        table_id:key
        seq:int
        kind:text body | annex | other
        number:text
        caption:text
        section_id:text
        page:int first page
        page_end:int last page
        pages:json
        n_header_rows:int
        n_rows:int body rows
        n_cols:int
        columns:json flattened header with unit and dtype
        extractor:text
        quality:float
    """),
    ("doc_id", "table_id"),
    "one row per body or annex table",
)

TABLE_CELLS = TableDef(
    "table_cells",
    _cols("""
        doc_id:key
        table_id:key
        part:key header | body
        row:int 0-based within its part
        col:int
        column_name:text
        page:int
        text:text as printed
        covered:bool repeats a merged cell's text (not the merge's origin)
        is_total:bool a body cell of a total or subtotal row (合计, 小计, 总计): sum over NOT is_total
        rowspan:int
        colspan:int
        kind:text from the typed record, body cells only
        value:float
        value2:float
        unit:text
        printed_unit:text
        qualifier:text
        period:text
        date:text
    """),
    ("doc_id", "table_id", "part", "row", "col"),
    "every cell of header and body grids",
)

INDICATORS = TableDef(
    "indicators",
    _cols("""
        doc_id:key
        seq:int
        school_code:text
        school:text
        report_year:int
        table_name:text
        table_id:text
        indicator_no:text
        indicator_path:text
        indicator:text
        code:text national catalog code (e.g. SC01 就业率)
        match:text exact | alias | fuzzy | unmatched
        match_score:float
        period:text
        unit:text
        printed_unit:text
        kind:text
        value:float
        value2:float
        qualifier:text
        value_text:text
        note:text
        page:int
        row:int
        col:int
    """),
    ("doc_id", "seq"),
    "annex indicator values, tidy long form",
)

FACTS = TableDef(
    "facts",
    _cols("""
        doc_id:key
        fact_id:key
        paragraph_id:text
        section_id:text
        page:int
        subject:text
        text:text
        kind:text
        value:float
        value2:float
        unit:text
        printed_unit:text
        qualifier:text
        qualifier_text:text
        period:text
        sentence:text
        start_pos:int
        end_pos:int
    """),
    ("doc_id", "fact_id"),
    "numbers stated in paragraphs",
)

VALIDATION_RESULTS = TableDef(
    "validation_results",
    _cols("""
        doc_id:key
        seq:int
        rule:text
        suite:text
        expectation:text
        severity:text info | warning | error
        success:bool
        target:text
        row:int
        column_name:text
        page:int
        expected:json
        observed:json
        message_zh:text
        message_en:text
    """),
    ("doc_id", "seq"),
    "every failed expectation",
)

TABLES_IN_ORDER: tuple[TableDef, ...] = (
    DOCUMENTS,
    SECTIONS,
    TABLES,
    TABLE_CELLS,
    INDICATORS,
    FACTS,
    VALIDATION_RESULTS,
)
"""The data tables; loads insert in this order and delete in reverse."""

BY_NAME: dict[str, TableDef] = {t.name: t for t in TABLES_IN_ORDER}

SCHEMA_TABLE = TableDef(
    "warehouse_schema",
    _cols("""
        version:int
        pipeline_version:text
        created_at:timestamp
    """),
    ("version",),
    "one row: the warehouse schema version this database was created under",
)

_ARROW: dict[str, pa.DataType] = {
    "text": pa.string(),
    "key": pa.string(),
    "json": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}

_DUCKDB: dict[str, str] = {
    "text": "VARCHAR",
    "key": "VARCHAR",
    "json": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}


def arrow_schema(table: TableDef) -> pa.Schema:
    """The Arrow schema of a table: the shape of its Parquet file on either backend."""
    return pa.schema(
        [pa.field(c.name, _ARROW[c.type], nullable=c.name not in table.primary_key) for c in table.columns]
    )


def duckdb_ddl(table: TableDef) -> str:
    cols = ", ".join(
        f'"{c.name}" {_DUCKDB[c.type]}' + (" NOT NULL" if c.name in table.primary_key else "") for c in table.columns
    )
    pk = ", ".join(f'"{k}"' for k in table.primary_key)
    return f'CREATE TABLE IF NOT EXISTS "{table.name}" ({cols}, PRIMARY KEY ({pk}))'
