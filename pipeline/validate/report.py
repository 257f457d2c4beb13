"""Validation results → the summary document.json carries and the full validation.json.

document.json keeps counts and the failures (what a reader of one report needs); validation.json
keeps every expectation that ran, with how many rows it judged, and every located result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Document, ValidationResult, ValidationSummary
from .resultlog import ResultLog
from .suites import SuiteRun

VALIDATION_JSON = "validation.json"


def summarize(runs: Iterable[SuiteRun], run_id: str) -> ValidationSummary:
    runs = list(runs)
    results = ResultLog.joined(run.results for run in runs)
    failures = results.failures
    return ValidationSummary(
        evaluated=len(results),
        passed=len(results) - len(failures),
        errors=sum(r.severity == "error" for r in failures),
        warnings=sum(r.severity == "warning" for r in failures),
        suites={run.spec.name: run.spec.version for run in runs},
        failures=failures,
        run_id=run_id,
        results=results,
    )


def validation_fields(
    doc: Document, summary: ValidationSummary, outcomes: list[dict[str, Any]], gx_version: str | None = None
) -> list[tuple[str, object]]:
    """The content of validation.json: summary, suites, each expectation run, failures, every result.

    Every result goes as its text: a run's are in a `ResultLog` (written out as they were made), a
    loaded summary's few are models (`jsonparts.object_parts` dumps them one at a time).
    """
    summary_counts = {
        "evaluated": summary.evaluated,
        "passed": summary.passed,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": sum(r.severity == "info" for r in summary.failures),  # e.g. text figures not compared
        "loadable": summary.errors == 0,
    }
    return [
        ("doc_id", doc.doc_id),
        ("run_id", summary.run_id),
        ("great_expectations", gx_version),
        ("summary", summary_counts),
        ("suites", summary.suites),
        ("expectations", outcomes),
        ("failures", summary.failures),
        ("results", summary.results),
    ]


def one_line(r: ValidationResult) -> str:
    """A failure as one line for logs and the CLI: severity, rule, where, the English message."""
    where = " ".join(
        x
        for x in (
            r.target,
            f"row {r.row}" if r.row is not None else "",
            r.column or "",
            f"p.{r.page}" if r.page else "",
        )
        if x
    )
    return f"{r.severity.upper()} {r.rule} [{where}] {r.message_en}"
