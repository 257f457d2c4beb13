"""The typed document model passed between stages.

One model, serialised as `document.json` (schema version 1, see DESIGN.md "Output contract").
Coordinates are PDF points with the origin at the page's top-left corner (pdfplumber's
convention: `top` grows downwards); pages are 1-based physical PDF pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal, NoReturn, Self

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

SCHEMA_VERSION = 1


class SectionKind(StrEnum):
    """What a section is: front matter (cover, declaration, toc), a numbered heading, a case box,
    a closing list (附表目录…) or the annex. Serialised as its value."""

    COVER = "cover"
    DECLARATION = "declaration"
    TOC = "toc"
    HEADING = "heading"
    CASE = "case"
    LIST = "list"
    ANNEX = "annex"


Severity = Literal["info", "warning", "error"]


class SharedFieldsSet(set[str]):
    """The names of the fields set on every model of one kind made with the same fields: one set for
    all of them instead of one each (`share_fields_sets`). Pydantic keeps a set per model
    (`model_fields_set`), 0.2-2.2 KB, as much as many models' values: ~14 MB of a 1,000-page
    document (bench/bench_memory.py). Shared, it cannot change: a model given a new field value
    first takes a set of its own (`_Model.__setattr__`, `_Model.model_copy`)."""

    __slots__ = ()

    def _shared(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a SharedFieldsSet is shared by many models and cannot change")

    add = discard = remove = pop = clear = update = _shared
    difference_update = intersection_update = symmetric_difference_update = _shared
    __ior__ = __iand__ = __isub__ = __ixor__ = _shared

    def __copy__(self) -> SharedFieldsSet:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> SharedFieldsSet:
        return self


_SHARED_FIELDS: dict[frozenset[str], SharedFieldsSet] = {}  # one per model kind and set of fields: a few dozen


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def _own_fields_set(self) -> None:
        if isinstance(self.__pydantic_fields_set__, SharedFieldsSet):
            object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))

    def __setattr__(self, name: str, value: Any) -> None:
        self._own_fields_set()  # pydantic adds `name` to the fields set
        super().__setattr__(name, value)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        if not update or not isinstance(self.__pydantic_fields_set__, SharedFieldsSet):
            return super().model_copy(update=update, deep=deep)
        copied = super().model_copy(deep=deep)
        copied._own_fields_set()  # the update is added to the copy's fields set
        return super(_Model, copied).model_copy(update=update)


def share_fields_sets(models: Iterable[BaseModel]) -> None:
    """Give `models` and the models in their fields (lists included) the one `SharedFieldsSet` of
    their kind and fields: the same values and fields set, less memory for a document held from
    normalize to emit."""
    stack = list(models)
    while stack:
        model = stack.pop()
        if not isinstance(model, _Model):
            continue
        fields = model.__pydantic_fields_set__
        if not isinstance(fields, SharedFieldsSet):
            key = frozenset(fields)
            shared = _SHARED_FIELDS.get(key)
            if shared is None:
                shared = _SHARED_FIELDS.setdefault(key, SharedFieldsSet(key))
            object.__setattr__(model, "__pydantic_fields_set__", shared)
        for value in model.__dict__.values():
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                stack.extend(value)


class BBox(_Model):
    """A box on one page: x0/x1 from the left edge, top/bottom from the top edge (points)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            top=min(self.top, other.top),
            x1=max(self.x1, other.x1),
            bottom=max(self.bottom, other.bottom),
        )

    def contains(self, x: float, y: float, tol: float = 0.0) -> bool:
        return self.x0 - tol <= x <= self.x1 + tol and self.top - tol <= y <= self.bottom + tol

    @classmethod
    def of(cls, obj: Any) -> BBox:
        """From anything with x0/top/x1/bottom attributes or keys (pdfplumber objects)."""

        def get(key: str) -> Any:
            return obj.get(key) if isinstance(obj, dict) else getattr(obj, key)

        return cls(
            x0=round(float(get("x0")), 2),
            top=round(float(get("top")), 2),
            x1=round(float(get("x1")), 2),
            bottom=round(float(get("bottom")), 2),
        )


class Provenance(_Model):
    """Where an element was printed: physical page (1-based) and its box there."""

    page: int
    bbox: BBox | None = None


class Source(_Model):
    path: str
    sha256: str
    pages: int
    size_bytes: int


class Metadata(_Model):
    school: str | None = None
    school_code: str | None = None
    report_year: int | None = None
    title: str | None = None
    report_title: str | None = None
    date_text: str | None = None
    page_labels: list[str | None] = Field(default_factory=list)
    running_header: str | None = None


class Paragraph(_Model):
    id: str
    section: str | None
    text: str
    page: int
    page_end: int
    bold_lead: str | None = None
    provenance: list[Provenance] = Field(default_factory=list)


class Section(_Model):
    id: str
    parent: str | None
    kind: SectionKind
    level: int | None
    number: str
    title: str
    page: int
    page_end: int
    text: str = ""
    text_full: str = ""
    provenance: list[Provenance] = Field(default_factory=list)
    # normalized numbering and title (normalize stage): 一、→ 1, path "2.3.1", 主题：说明 split
    ordinal: int | None = None
    path: str | None = None
    topic: str | None = None
    subtitle: str | None = None


class Span(_Model):
    """One merged cell, listed once: part is the grid it lives in; row is 0-based in that part."""

    part: Literal["header", "body"]
    row: int
    col: int
    rowspan: int
    colspan: int


class Column(_Model):
    name: str
    unit: str | None = None
    dtype: str | None = None


class Table(_Model):
    id: str
    kind: Literal["body", "annex", "other"]
    number: str | None
    caption: str
    section: str | None
    pages: list[int]
    header: list[list[str]]
    rows: list[list[str]]
    spans: list[Span] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    records: list[dict[str, Any]] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)
    row_pages: list[list[int]] = Field(default_factory=list)
    extractor: str = ""
    quality: float | None = None
    # a title or summary row across the table, above its header; written only when there is one
    subtitle: str | None = Field(default=None, exclude_if=lambda v: v is None)


class Figure(_Model):
    id: str
    kind: Literal["chart", "photo"]
    number: str | None
    caption: str
    page: int
    section: str | None
    provenance: list[Provenance] = Field(default_factory=list)


class TocEntry(_Model):
    text: str
    level: int | None
    number: str
    title: str
    page_label: str | None
    page: int | None = None
    entry_page: int
    target: str | None = None


class ListEntry(_Model):
    """A line of 【附图目录】/【附表目录】/【案例目录】: what the document says it contains."""

    list: Literal["figures", "tables", "cases"]
    text: str
    number: str | None
    title: str
    page_label: str | None
    entry_page: int
    target: str | None = None


Number = int | float

# What a stated number carries wherever it is recorded (a fact in the text, a value of an annex
# table): each field's type and meaning declared once, for Fact and Indicator alike (and for the
# JSON Schema of document.json and the warehouse's column comments, which read these descriptions).
QuantityKind = Annotated[str, Field(description="number | percent | ratio | pair | range | date | null | text")]
Value = Annotated[Number | None, Field(description="in base units (元, not 万元: 56493100 for 5649.31 万元)")]
Value2 = Annotated[
    Number | None, Field(description="the second number of a ratio (1:11), pair (226/404) or range (10-20)")
]
BaseUnit = Annotated[str | None, Field(description="the base unit of value (元, %, 人)")]
PrintedUnit = Annotated[str | None, Field(description="the unit as printed, or as the column header gives it (万元)")]
QualifierName = Annotated[
    str | None, Field(description="approx | nearly | more_than | at_least | less_than | at_most (约, 近, 超过, ...)")
]
QUANTITY_FIELDS = ("kind", "value", "value2", "unit", "printed_unit", "qualifier")


class Fact(_Model):
    """A number stated in a paragraph: its typed value, what it quantifies, and where it is.

    text: the number phrase as it stands in `sentence` (sentence[start:end]); sentence: the
    sentence with extraction spaces removed and number forms half-width; period: the year or
    cohort the sentence names before the number (2021年, 2021届), if any.
    """

    id: str
    paragraph: str
    section: str | None
    page: int
    subject: str
    text: str
    kind: QuantityKind
    value: Value
    value2: Value2 = None
    unit: BaseUnit = None
    printed_unit: PrintedUnit = None
    qualifier: QualifierName = None
    qualifier_text: str | None = None
    period: str | None = None
    sentence: str
    start: int
    end: int


class Indicator(_Model):
    """One value of an annex indicator table in tidy long form (one row of indicators.csv).

    code is the stable id from the national template catalog (pipeline/normalize/catalog);
    match says how the printed name was tied to it (exact | alias | fuzzy | unmatched).
    """

    doc_id: str
    school_code: str | None
    school: str | None
    report_year: int | None
    table: str
    table_id: str
    indicator_no: str | None
    indicator_path: str
    indicator: str
    code: str | None
    match: str
    match_score: float | None
    period: str | None
    unit: BaseUnit
    printed_unit: PrintedUnit
    kind: QuantityKind
    value: Value
    value2: Value2 = None
    qualifier: QualifierName = None
    value_text: str | None = None
    note: str | None = None
    page: int | None = None
    row: int | None = None  # body row of the annex table (None for values not from one cell)
    col: int | None = None


class ValidationResult(_Model):
    """One expectation evaluated on one document, with where a failure points in the report."""

    rule: str  # the rule's id in expectations/ (e.g. table.total_row_equals_column_sum)
    suite: str
    expectation: str  # the GX expectation type that ran
    severity: Severity
    success: bool
    target: str | None = None  # table id or section id
    row: int | None = None
    column: str | None = None
    page: int | None = None
    expected: Any = None
    observed: Any = None
    message_zh: str = ""
    message_en: str = ""


class ValidationSummary(_Model):
    """What document.json carries: counts and the failures (every result is in validation.json)."""

    evaluated: int = 0
    passed: int = 0
    errors: int = 0
    warnings: int = 0
    suites: dict[str, str] = Field(default_factory=dict)  # suite name → version
    failures: list[ValidationResult] = Field(default_factory=list)
    run_id: str | None = None  # names the run whose Data Docs and validation.json go with this summary
    # every result of the run, passing ones included: for validation.json, never in document.json; a
    # run's are a `validate.resultlog.ResultLog` (kept on disk, read back as models), hence no validation
    results: Annotated[Sequence[ValidationResult], SkipValidation] = Field(
        default_factory=list, exclude=True, repr=False
    )


class Finding(_Model):
    """Something the pipeline noticed and the user should know: never silently dropped."""

    code: str
    severity: Severity
    message: str
    page: int | None = None
    ref: str | None = None


class Document(_Model):
    schema_version: int = SCHEMA_VERSION
    doc_id: str
    pipeline_version: str
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    toc: list[TocEntry] = Field(default_factory=list)
    lists: list[ListEntry] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    validation: ValidationSummary | None = None

    @classmethod
    def load(cls, data: dict[str, Any]) -> Document:
        """Load a serialised document, refusing one written under another schema version."""
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"document.json has schema_version {version!r}; this nianbao reads {SCHEMA_VERSION}")
        return cls.model_validate(data)
