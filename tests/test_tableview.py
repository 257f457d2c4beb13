"""The rules' view of a table: each typed record becomes a Cell that is the value normalize parsed."""

from __future__ import annotations

from dataclasses import fields

from pipeline.model import Table
from pipeline.normalize.columns import typed_columns, typed_records
from pipeline.normalize.numbers import ParsedValue, parse_number
from pipeline.validate.tableview import NumericCell, TableView


def test_a_cell_carries_the_parsed_value_of_its_record_and_where_it_stands() -> None:
    table = Table(
        id="t1",
        kind="body",
        number="1",
        caption="经费",
        section=None,
        pages=[3],
        header=[["项目", "金额（万元）", "占比"]],
        rows=[["学费", "约1234.50", "45.6%"], ["合计", "2708.00", "100%"]],
    )
    table = table.model_copy(update={"columns": typed_columns(table), "records": typed_records(table)})
    view = TableView(table)

    cell = view.cells[(0, 1)]
    assert isinstance(cell, NumericCell) and isinstance(cell, ParsedValue)
    parsed = parse_number("约1234.50", "万元")
    assert {f.name: getattr(cell, f.name) for f in fields(ParsedValue)} == {
        f.name: getattr(parsed, f.name) for f in fields(ParsedValue)
    }
    assert (cell.row, cell.col, cell.decimals, cell.qualifier) == (0, 1, 2, "approx")
    assert cell.step == 100.0  # 0.01 万元
    assert view.numeric(1, 2) is not None and view.numeric(1, 0) is None  # 合计 is text
