"""The warehouse tables, defined once as data: both backends build their DDL from `TABLES`.

Every table is keyed by `doc_id` first, so a document's rows can be deleted and re-inserted as
one unit. The rest of each key is the element's natural id where the model has one (section
id, table id, cell position, fact id); indicators and validation results have no unique natural
id (a value not read from one cell has no row/col; one rule can fail twice on one target), so
they are keyed by `seq`, their position in the document, which is stable for one document.json.

Column names avoid SQL reserved words (`column`, `end`, `table`) so hand-written queries need no
quoting on DuckDB, SQLite or PostgreSQL, and the CSV files use the same names. JSON-valued columns
hold JSON text (portable; cast with `::JSON` in DuckDB or PostgreSQL when needed). Timestamps are
naive UTC. Every table and column says what it holds (`doc`): the database keeps it as a comment.

Beside the data tables: `indicator_catalog` (the national template's indicators) and the view
`current_documents` (the latest version of each report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

from ..model import QUANTITY_FIELDS, Fact

WAREHOUSE_SCHEMA_VERSION = 3
"""Bump when a table, column or view changes; a database written under another version is refused.

2: table_cells.is_total. 3: indicator_catalog, the current_documents view, column comments."""

ColType = Literal["text", "key", "int", "float", "bool", "timestamp", "json"]
"""`key` is text used in a primary key (a bounded VARCHAR where the backend needs one)."""

KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Col:
    """A column: its name (the same in the database, Parquet and the CSV files), type, the model
    attribute it is read from (`attr`; the name itself when empty) and what it holds (`doc`, the
    column comment in DuckDB and PostgreSQL)."""

    name: str
    type: ColType
    doc: str = ""
    attr: str = ""

    @property
    def source(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True, slots=True)
class TableDef:
    name: str
    columns: tuple[Col, ...]
    primary_key: tuple[str, ...]
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def names_for(self, attrs: Sequence[str]) -> list[str]:
        """The column names of model attributes (a CSV header in the database's words: id → fact_id)."""
        by_source = {c.source: c.name for c in self.columns}
        return [by_source[a] for a in attrs]

    def __post_init__(self) -> None:
        names = self.column_names
        missing = [k for k in self.primary_key if k not in names]
        if missing or len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: bad primary key {missing} or duplicate columns")


# what a column of this name holds in every table that has it, unless its line says otherwise
# (a stated number's fields: as the document model describes them)
SHARED_DOCS = {
    "doc_id": "the report (documents.doc_id)",
    **{name: Fact.model_fields[name].description or "" for name in QUANTITY_FIELDS},
}


def _cols(spec: str) -> tuple[Col, ...]:
    """Columns from a compact list, one per line: `name[/attribute]:type [what it holds]`, so a table
    reads as one block (`fact_id/id:key` is read from the model's `id`; no words: SHARED_DOCS's)."""
    out = []
    for line in spec.strip().splitlines():
        head, _, rest = line.strip().partition(":")
        name, _, attr = head.partition("/")
        ctype, _, doc = rest.partition(" ")
        out.append(Col(name, ctype, doc.strip() or SHARED_DOCS.get(name, ""), attr))  # type: ignore[arg-type]
    return tuple(out)


DOCUMENTS = TableDef(
    "documents",
    _cols("""
        doc_id:key <院校代码>-<report year> (e.g. 12215-2022), else a slug of the file name
        school_code:text 院校代码, the college's national code
        school:text 院校名称 as printed
        report_year:int the year the report is for (2022 for the 2022 report on 2021)
        title:text the cover title
        report_title:text the report's own title line, when it differs from the cover's
        source_path:text the input PDF, relative to where the run started
        sha256:text sha256 of the input PDF
        pages:int pages in the PDF
        size_bytes:int size of the PDF in bytes
        pipeline_version:text the nianbao version that read it
        schema_version:int document.json schema version
        loaded_at:timestamp UTC time of this load
        validation_status:text not run | passed | warnings | errors
        validation_evaluated:int expectations evaluated
        validation_passed:int expectations that held
        validation_errors:int failed expectations of severity error
        validation_warnings:int failed expectations of severity warning
        valid:bool false when validation found errors; null when validation did not run
        has_warnings:bool validation found warnings (each one in validation_results)
        loaded_invalid:bool loaded with --allow-invalid despite errors
        n_sections:int sections (rows in sections)
        n_tables:int tables (rows in tables)
        n_figures:int figures and photos with a caption
        n_facts:int numbers stated in the text (rows in facts)
        n_indicators:int annex indicator values (rows in indicators)
        n_findings:int things the pipeline noticed (findings in document.json)
    """),
    ("doc_id",),
    "one row per report",
)

SECTIONS = TableDef(
    "sections",
    _cols("""
        doc_id:key
        section_id/id:key the section's id in document.json (sec-2.3, case-4, toc, ...)
        seq:int reading order
        parent_id/parent:text the enclosing section's id
        kind:text cover | declaration | toc | heading | case | list | annex
        level:int 1 for the parts and 学校概述, 2 for （一）, 3 for 1.; null for front matter and cases
        number:text the numeral without its punctuation (一, 1, a case's number); empty when unnumbered
        title:text the title without its number
        page:int the physical PDF page it starts on (1-based)
        page_end:int the physical PDF page it ends on
        ordinal:int the number as an integer (一 → 1)
        path:text the numbers from the top (2.3.1)
        topic:text the title before its ：
        subtitle:text the title after its ：
        text:text the section's own paragraphs
    """),
    ("doc_id", "section_id"),
    "sections in reading order",
)

TABLES = TableDef(
    "tables",
    _cols("""
        doc_id:key
        table_id:key body-N or annex-N, in reading order
        seq:int reading order
        kind:text body | annex | other
        number:text the number in its caption (表 N)
        caption:text the caption without 表 N：
        section_id:text the section it stands in
        page:int first page
        page_end:int last page
        pages:json every physical page it spans
        n_header_rows:int header rows
        n_rows:int body rows
        n_cols:int columns
        columns:json flattened header with unit and dtype
        extractor:text what found it (pdfplumber, camelot, rows from text lines, ...)
        quality:float share of its glyphs that sit inside their cells
    """),
    ("doc_id", "table_id"),
    "one row per body or annex table",
)

TABLE_CELLS = TableDef(
    "table_cells",
    _cols("""
        doc_id:key
        table_id:key the table (tables.table_id)
        part:key header | body
        row:int 0-based within its part
        col:int 0-based
        column_name:text the flattened header (levels joined by /): the table CSV's column
        page:int the physical page the row is printed on
        text:text as printed
        covered:bool repeats a merged cell's text (not the merge's origin)
        is_total:bool a body cell of a total or subtotal row (合计, 小计, 总计): sum over NOT is_total
        rowspan:int rows the merge starting here covers (1 when not merged)
        colspan:int columns the merge starting here covers
        kind:text from the typed record (body cells only): number | percent | ratio | pair | range | date | null | text
        value:float
        value2:float
        unit:text
        printed_unit:text
        qualifier:text
        period:text the year or cohort the column names (2021年)
        date:text ISO year[-month[-day]] of a date cell
    """),
    ("doc_id", "table_id", "part", "row", "col"),
    "every cell of header and body grids",
)

INDICATORS = TableDef(
    "indicators",
    _cols("""
        doc_id:key
        seq:int position in the document
        school_code:text 院校代码 as printed in the row, else the report's
        school:text 院校名称 as printed in the row, else the report's
        report_year:int the report's year
        table_name/table:text the annex table's title (计分卡, 学生反馈表, ...)
        table_id:text the table (tables.table_id)
        indicator_no:text the indicator's number in the table
        indicator_path:text the number and the names from the top row down (1 / 就业率)
        indicator:text the indicator's name as printed
        code:text national catalog code (e.g. SC01 就业率; indicator_catalog.code)
        match:text exact | alias | fuzzy | unmatched
        match_score:float the fuzzy match's similarity (1 for exact and alias)
        period:text the year or cohort (2021年, 2021级)
        unit:text
        printed_unit:text
        kind:text
        value:float
        value2:float
        qualifier:text
        value_text:text the value as printed
        note:text the row's 备注
        page:int the physical page
        row:int body row of the annex table
        col:int column of the annex table
    """),
    ("doc_id", "seq"),
    "annex indicator values, tidy long form",
)

FACTS = TableDef(
    "facts",
    _cols("""
        doc_id:key
        fact_id/id:key <paragraph id>-f<N>
        paragraph_id/paragraph:text the paragraph it is stated in
        section_id/section:text the section of that paragraph
        page:int the physical page of the paragraph
        subject:text what the number quantifies, as the sentence words it
        text:text the number phrase as it stands in the sentence
        kind:text number | percent | ratio | pair | range | date
        value:float
        value2:float
        unit:text
        printed_unit:text
        qualifier:text
        qualifier_text:text the qualifier as printed (约, 近, 超过, ...)
        period:text the year or cohort the sentence names before the number
        sentence:text the sentence, extraction spaces removed
        start_pos/start:int where text starts in sentence
        end_pos/end:int where text ends in sentence
    """),
    ("doc_id", "fact_id"),
    "numbers stated in paragraphs",
)

VALIDATION_RESULTS = TableDef(
    "validation_results",
    _cols("""
        doc_id:key
        seq:int position in the document's failures
        rule:text the rule's id in expectations/ (e.g. table.total_row_equals_column_sum)
        suite:text the expectation suite
        expectation:text the Great Expectations expectation type that ran
        severity:text info | warning | error
        success:bool false: the expectation failed
        target:text table id or section id
        row:int the table's body row
        column_name/column:text the table's column
        page:int the physical page
        expected:json what the rule expected
        observed:json what the document holds
        message_zh:text the finding in Chinese
        message_en:text the finding in English
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

INDICATOR_CATALOG = TableDef(
    "indicator_catalog",
    _cols("""
        code:key the indicator's stable national code (indicators.code)
        table_key/table:text scorecard | feedback | resources | international | service | policy
        table_name:text the annex table's title (indicators.table_name)
        parent_code/parent:text the code of the row it is a sub-row of
        name:text the template's wording
        unit:text the template's unit (a report's printed unit wins in indicators)
        kind:text value | group (a heading row with sub-rows) | choice (a ticked option)
        aliases:json other wordings of the name, seen in templates and reports
    """),
    ("code",),
    "the national template's annex indicators (pipeline/normalize/catalog), replaced on every write",
)

SCHEMA_TABLE = TableDef(
    "warehouse_schema",
    _cols("""
        version:int the warehouse schema version
        pipeline_version:text the nianbao version that created the database
        created_at:timestamp UTC
    """),
    ("version",),
    "one row: the warehouse schema version this database was created under",
)

ALL_TABLES: tuple[TableDef, ...] = (SCHEMA_TABLE, INDICATOR_CATALOG, *TABLES_IN_ORDER)
"""Every table a warehouse holds, in the order they are created."""

CURRENT_DOCUMENTS = "current_documents"
CURRENT_DOCUMENTS_SQL = f"""CREATE VIEW {CURRENT_DOCUMENTS} AS
SELECT d.* FROM documents d
WHERE NOT EXISTS (
  SELECT 1 FROM documents newer
  WHERE newer.school_code = d.school_code AND newer.report_year = d.report_year
    AND (newer.loaded_at > d.loaded_at OR (newer.loaded_at = d.loaded_at AND newer.doc_id > d.doc_id))
)"""
"""The latest version of each report: of the documents with one college code and report year, the one
loaded last. A document without a code or a year has no versions and is always current. Plain SQL
(no window function, no OR REPLACE) that DuckDB, SQLite and PostgreSQL all run as written."""


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_setup_ddl(*, new: bool) -> list[str]:
    """Every table (IF NOT EXISTS) and, for a new database, the view and the comments."""
    out = [duckdb_ddl(t) for t in ALL_TABLES]
    return [*out, CURRENT_DOCUMENTS_SQL, *(s for t in ALL_TABLES for s in comment_ddl(t))] if new else out


def comment_ddl(table: TableDef) -> list[str]:
    """COMMENT ON statements for a table and its documented columns: the same SQL on DuckDB and PostgreSQL."""
    out = [f'COMMENT ON TABLE "{table.name}" IS {_sql_text(table.doc)}'] if table.doc else []
    out += [f'COMMENT ON COLUMN "{table.name}"."{c.name}" IS {_sql_text(c.doc)}' for c in table.columns if c.doc]
    return out


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
