"""The project's own GX expectations: two checks no built-in expectation makes.

Imported only by suites.py, inside the validate stage, because importing great_expectations
costs 4-8 s. Defining the classes registers them with GX, so the suites in expectations/*.json
name them by their snake_case type like any built-in expectation.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation, MulticolumnMapExpectation
from great_expectations.expectations.metrics import ColumnMapMetricProvider
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider

# the decorators from their own modules: mypy takes the package attributes of the same name for the submodules
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)

_MULTICOLUMN_DOMAIN = ("batch_id", "table", "column_list", "row_condition", "condition_parser", "ignore_row_if")


class MulticolumnValuesWithinTolerance(MulticolumnMapMetricProvider):
    """Row-wise |observed − expected| ≤ tolerance, the tolerance carried per row (a printed rounding step)."""

    condition_metric_name = "multicolumn_values.nianbao_within_tolerance"
    condition_domain_keys = _MULTICOLUMN_DOMAIN
    condition_value_keys = ()

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, **kwargs: object) -> pd.Series:
        observed, expected, tolerance = (column_list.iloc[:, i].astype("float64") for i in range(3))
        return (observed - expected).abs() <= tolerance + 1e-9


class ExpectObservedWithinToleranceOfExpected(MulticolumnMapExpectation):
    """Expect each row's observed value to equal its expected value within that row's tolerance.

    column_list is [observed, expected, tolerance]. ExpectColumnPairValuesToBeEqual compares exactly,
    but a stated 5649.31 万元 restates a sum of amounts each rounded to 0.01 万元, and a printed
    94.91% restates 6038 / 6362 = 94.907…: equal up to the printing precision, which differs by row.
    """

    map_metric: ClassVar[str] = "multicolumn_values.nianbao_within_tolerance"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)
    args_keys: ClassVar[tuple[str, ...]] = ("column_list",)
    column_list: list[str] = ["observed", "expected", "tolerance"]  # noqa: RUF012  (a pydantic field default)
    description: str | None = "observed equals expected within the row's printing tolerance"


class ColumnValuesWholeNumber(ColumnMapMetricProvider):
    """A value is a whole number (counts of people, items, awards)."""

    condition_metric_name = "column_values.nianbao_whole_number"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: object) -> pd.Series:
        values = column.astype("float64")
        return (values - values.round()).abs() < 1e-9


class ExpectColumnValuesToBeWholeNumbers(ColumnMapExpectation):
    """Expect each value of the column to be a whole number: a count of 4.5 people was misread or mistyped."""

    map_metric: ClassVar[str] = "column_values.nianbao_whole_number"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)
    description: str | None = "counts are whole numbers"


CUSTOM_EXPECTATIONS = (ExpectObservedWithinToleranceOfExpected, ExpectColumnValuesToBeWholeNumbers)
