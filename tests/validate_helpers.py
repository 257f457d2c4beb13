"""An annex indicator value as the normalize stage types it, for the validation tests."""

from __future__ import annotations

from typing import Any

from pipeline.model import Indicator


def indicator(code: str, name: str, period: str, value: float, unit: str = "人", row: int = 0, **kw: Any) -> Indicator:
    """`unit` as printed; `base_unit` the stored unit when they differ (万元 printed, 元 stored)."""
    return Indicator(
        doc_id="t",
        school_code=None,
        school=None,
        report_year=2022,
        table="服务贡献表",
        table_id=kw.pop("table_id", "annex-5"),
        indicator_no="1",
        indicator_path=name,
        indicator=name,
        code=code,
        match="exact",
        match_score=1.0,
        period=period,
        unit=kw.pop("base_unit", unit),
        printed_unit=kw.pop("printed_unit", unit),
        kind=kw.pop("kind", "number"),
        value=value,
        value_text=kw.pop("value_text", str(value)),
        page=68,
        row=row,
        **kw,
    )
