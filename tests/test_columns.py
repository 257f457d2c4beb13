"""Typed tables: column units and types from headers and cells, and records per printed cell."""

from __future__ import annotations

from pipeline.model import Table
from pipeline.normalize.columns import flatten_header, header_period, header_unit, typed_columns, typed_records


def _table(header, rows, **kw):
    return Table(
        id="body-1", kind="body", number="1", caption="t", section=None, pages=[1], header=header, rows=rows, **kw
    )


def test_header_units_and_periods():
    assert header_unit("金额（万元）") == "万元"
    assert header_unit("人数(人)") == "人"
    assert header_unit("比例（%）") == "%"
    assert header_unit("国赛（个）/一等奖") == "个"
    assert header_unit("全日制国（境）外留学生人数（一年以上）") is None
    assert header_unit("录取人数") is None
    assert header_period("2020 年") == "2020年"
    assert header_period("2021 级") == "2021级"
    assert header_period("2020-2021 学年") == "2020-2021学年"
    assert header_period("2020") is None and header_period("年份") is None


def test_flatten_header_joins_levels_once():
    header = [["时间", "国赛（个）", "国赛（个）"], ["时间", "一等奖", "二等奖"]]
    assert flatten_header(header) == ["时间", "国赛（个）/一等奖", "国赛（个）/二等奖"]


def test_typed_columns_and_records():
    table = _table(
        [["项目名称", "人数", "金额（万元）", "比例"]],
        [["国家奖学金", "19", "15.20", "89.09%"], ["国家助学金", "4533", "1452.8", "—"]],
    )
    cols = typed_columns(table)
    assert [(c.name, c.unit, c.dtype) for c in cols] == [
        ("项目名称", None, "text"),
        ("人数", None, "number"),
        ("金额（万元）", "万元", "number"),
        ("比例", "%", "percent"),
    ]
    recs = {(r["row"], r["col"]): r for r in typed_records(table)}
    money = recs[(1, 2)]
    assert (money["value"], money["unit"], money["printed_unit"], money["text"]) == (14_528_000, "元", "万元", "1452.8")
    assert recs[(0, 3)]["kind"] == "percent" and recs[(0, 3)]["value"] == 89.09
    assert recs[(1, 3)]["kind"] == "null"
    assert recs[(0, 0)]["kind"] == "text" and recs[(0, 0)]["value"] is None


def test_records_use_a_unit_column_and_skip_merged_repeats():
    from pipeline.model import Span

    table = _table(
        [["指标", "单位", "2020 年", "2021 年"]],
        [["专利申请/授权数量", "项/项", "226/404", "144/394"], ["技术交易到款额", "万元", "2311.68", "2311.68"]],
        spans=[Span(part="body", row=1, col=2, rowspan=1, colspan=2)],
    )
    recs = typed_records(table)
    pair = next(r for r in recs if (r["row"], r["col"]) == (0, 2))
    assert (pair["kind"], pair["value"], pair["value2"], pair["unit"], pair["period"]) == (
        "pair",
        226,
        404,
        "项",
        "2020年",
    )
    money = [r for r in recs if r["row"] == 1 and r["col"] >= 2]
    assert len(money) == 1 and money[0]["value"] == 23_116_800 and money[0]["unit"] == "元"
