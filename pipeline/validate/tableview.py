"""A read-only view of one typed table for the rules: labels, numeric cells, totals, pages.

The rules need the same few things from every table (which column labels the rows, which rows
are totals, each numeric cell's value and printing precision, the page a row is on); computing
them once here keeps the frame builders short and the rules consistent with each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import cast

from ..model import Table
from ..normalize.numbers import Kind, ParsedValue
from . import rules

_YEAR = re.compile(r"((?:19|20)\d{2})")
_NUMBER_TEXT = re.compile(r"[-+]?\d[\d,，]*(?:\.(\d+))?")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell(ParsedValue):
    """One typed cell: the value normalize parsed from its text (the table's record of it), where the
    cell stands, and how many decimals it was printed with."""

    row: int
    col: int
    decimals: int

    @property
    def step(self) -> float:
        """The printed rounding step in base units (0.01 万元 → 100 元); 0 for an exact count (5668 人)."""
        return rounding_step(self.decimals, self.scale, self.kind == "percent")


@dataclass(frozen=True, slots=True)
class NumericCell(Cell):
    """A number or percent cell whose value parsed: the only cells the arithmetic rules see."""

    value: float


def rounding_step(decimals: int, scale: int = 1, percent: bool = False) -> float:
    """A whole number printed without a scale is exact; anything else was rounded to its last digit."""
    if decimals == 0 and scale == 1 and not percent:
        return 0.0
    return float(Decimal(1).scaleb(-decimals)) * scale


def decimals_of(text: str) -> int:
    """Digits after the decimal point as printed (15.20 → 2, 262 → 0)."""
    m = _NUMBER_TEXT.search(text or "")
    return len(m.group(1)) if m and m.group(1) else 0


def to_float(v: object) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(Decimal(str(v)))
    except (InvalidOperation, ValueError):
        return None


@dataclass
class TableView:
    table: Table
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.table.records:
            kind = str(r.get("kind") or "")
            value = to_float(r.get("value"))
            # a number or percent whose value parsed becomes a NumericCell (value known not None)
            cls: type[Cell] = NumericCell if kind in ("number", "percent") and value is not None else Cell
            text = str(r.get("text") or "")
            cell = cls(
                kind=cast(Kind, kind),
                text=text,
                value=value,
                value2=to_float(r.get("value2")),
                unit=r.get("unit"),
                printed_unit=r.get("printed_unit"),
                scale=int(r.get("scale") or 1),
                qualifier=r.get("qualifier"),
                qualifier_text=r.get("qualifier_text"),
                date=r.get("date"),
                ordinal=bool(r.get("ordinal")),
                row=int(r["row"]),
                col=int(r["col"]),
                decimals=decimals_of(text),
            )
            self.cells[(cell.row, cell.col)] = cell

    @property
    def id(self) -> str:
        return self.table.id

    @property
    def n_cols(self) -> int:
        return len(self.table.columns) or max((len(r) for r in self.table.rows), default=0)

    def column_name(self, col: int) -> str:
        cols = self.table.columns
        return cols[col].name if col < len(cols) else f"col{col}"

    def leaf(self, col: int) -> str:
        """The lowest header level without its bracketed unit (国赛（个）/二等奖 → 二等奖; 金额（万元） → 金额)."""
        name = self.column_name(col).split("/")[-1]
        return re.sub(r"[（(][^（）()]*[）)]$", "", name).strip()

    def parent(self, col: int) -> str:
        parts = self.column_name(col).split("/")
        return parts[-2] if len(parts) > 1 else ""

    def page_of_row(self, row: int) -> int | None:
        rp = self.table.row_pages
        if row < len(rp) and rp[row]:
            return rp[row][0]
        return self.table.pages[0] if self.table.pages else None

    @cached_property
    def label_col(self) -> int | None:
        """The column naming each row: the first text or date column that is not a sequence number."""
        for i, c in enumerate(self.table.columns):
            if c.dtype in ("text", "date") and not rules.ORDINAL_NAME_RE.match(c.name):
                return i
        return None

    def label(self, row: int) -> str:
        if self.label_col is None or row >= len(self.table.rows):
            return ""
        cells = self.table.rows[row]
        return re.sub(r"\s+", "", cells[self.label_col]) if self.label_col < len(cells) else ""

    def row_text(self, row: int) -> str:
        """Every text cell of a row joined (a total row may print 合计 in any leading column)."""
        return "".join(re.sub(r"\s+", "", c) for c in self.table.rows[row]) if row < len(self.table.rows) else ""

    def is_total_row(self, row: int) -> bool:
        cells = [re.sub(r"\s+", "", c) for c in self.table.rows[row]]
        return any(rules.TOTAL_LABEL_RE.match(c) for c in cells if c)

    def is_subtotal_row(self, row: int) -> bool:
        cells = [re.sub(r"\s+", "", c) for c in self.table.rows[row]]
        return any(c.rstrip(":：") in rules.SUBTOTAL_LABELS for c in cells if c)

    def is_sub_item_row(self, row: int) -> bool:
        return bool(rules.SUB_ITEM_RE.match(self.label(row)))

    @cached_property
    def total_rows(self) -> list[int]:
        return [r for r in range(len(self.table.rows)) if self.is_total_row(r)]

    @cached_property
    def data_rows(self) -> list[int]:
        return [r for r in range(len(self.table.rows)) if not self.is_total_row(r)]

    def row_year(self, row: int) -> str | None:
        """The year a row is about, when its label is a year (2021年, 2020-2021学年 → 2021)."""
        years = _YEAR.findall(self.label(row))
        return years[-1] if years and len(self.label(row)) <= 12 else None

    @cached_property
    def rows_are_periods(self) -> bool:
        """Rows are years (表 3: 2021年/2020年/2019年), not parts of a whole."""
        data = self.data_rows
        return bool(data) and sum(self.row_year(r) is not None for r in data) >= max(1, len(data) // 2 + 1)

    def numeric(self, row: int, col: int) -> NumericCell | None:
        c = self.cells.get((row, col))
        return c if isinstance(c, NumericCell) else None

    def numeric_cols(self) -> list[int]:
        return [i for i, c in enumerate(self.table.columns) if c.dtype in ("number", "percent")]

    def is_percent_col(self, col: int) -> bool:
        c = self.table.columns[col]
        return c.dtype == "percent" or c.unit == "%"

    def is_additive_col(self, col: int) -> bool:
        """Counts and amounts add up; positions, rates, shares and averages do not."""
        if col == self.label_col or self.is_percent_col(col):
            return False
        if rules.NON_ADDITIVE_NAME_RE.search(self.column_name(col)):
            return False
        return self.table.columns[col].dtype == "number"

    def is_share_col(self, col: int) -> bool:
        name = self.column_name(col)
        return (
            self.is_percent_col(col)
            and bool(rules.SHARE_NAME_RE.search(name))
            and not rules.RATE_NAME_RE.search(self.leaf(col))
        )

    def column_sum(self, col: int, rows: list[int]) -> tuple[float, float, int] | None:
        """Sum of a column's numeric cells over rows, its rounding tolerance, and how many cells were summed."""
        cells = [c for r in rows if (c := self.numeric(r, col)) is not None]
        if not cells:
            return None
        total = float(sum(Decimal(str(c.value)) for c in cells))
        return total, sum(c.step for c in cells) / 2, len(cells)
