"""The validate stage: `validate_document(doc, runtime=None) -> ValidationRun`.

Design: the stage returns a value holding a copy of the document with `validation` set to a
ValidationSummary (whose `results`, every result passing ones too, are excluded from
document.json), the per-expectation outcomes and the Data Docs pages GX built. The emit stage
renders validation.json and data_docs/ from that value; nothing is cached between runs. The GX
context is a value too (`GxRuntime`), made per run unless the caller passes one to reuse.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from ..model import Document, Finding
from . import rules
from .claims import consistency_frame
from .data_docs import DocsInChild, data_docs_files, forking_allowed
from .frames import arithmetic_frame, structure_frame, values_frame
from .national_rates import national_rate_checks
from .remarks import remark_checks
from .report import one_line, summarize
from .ruleids import RuleId
from .run import ValidationRun
from .suites import GxRuntime, take_runtime

FINDING_CODE = "validation.errors"
# The child pays ~0.05 s (the fork, copy-on-write, its pickle) and gains what the main thread does
# meanwhile (collect, summary, review, emit's first files), which grows with the rows judged: the
# 70-page report (1,243 rows) gained ~0.25 s a warm job, a 4-page extract (48 rows) lost 0.03-0.08 s.
DOCS_CHILD_MIN_ROWS = 300
NO_YEAR_CODE = "validation.no_report_year"


def build_frames(doc: Document) -> dict[str, Any]:
    """One frame per rule family; the suite files name the frame they judge."""
    return {
        "structure": structure_frame(doc),
        "values": values_frame(doc),
        "arithmetic": arithmetic_frame(doc, [*remark_checks(doc), *national_rate_checks(doc)]),
        "consistency": consistency_frame(doc),
    }


def parameters(doc: Document) -> dict[str, Any]:
    """Suite parameters that depend on the report: plausible years end at its report year.

    Without a report year nothing bounds them from above (never the run date, which would make
    results depend on when they were computed): the frames then hold no year or period rows.
    """
    year = doc.metadata.report_year
    return {
        "min_year": rules.MIN_YEAR,
        "max_year": year,
        "period_min": rules.MIN_YEAR if year is None else year - rules.ANNEX_PERIOD_SPAN,
        "period_max": year,
        "text_year_max": None if year is None else year + rules.TEXT_YEAR_SPAN,
    }


def no_year_finding(doc: Document) -> Finding | None:
    if doc.metadata.report_year is not None:
        return None
    return Finding(
        code=NO_YEAR_CODE,
        severity="info",
        message=f"the report year is unknown: {RuleId.VALUE_YEAR_PLAUSIBLE}, {RuleId.VALUE_PERIOD_PLAUSIBLE} and "
        f"{RuleId.TEXT_YEAR_PLAUSIBLE} were skipped (they judge years against the report's year)",
    )


def validate_document(
    doc: Document,
    *,
    data_docs: bool = True,
    suites_dir: str | None = None,
    runtime: GxRuntime | None = None,
    docs_child: bool | None = None,
) -> ValidationRun:
    """Run every suite on the document; the run holds a copy with `validation` set.

    `runtime` (from `new_runtime()`) is reused when given, so a batch pays for one GX context;
    otherwise this run has one of its own for `suites_dir`'s suites (default: the package's): the
    one offered in this context (`offer_runtime`, the warm worker's), else a new one.
    The Data Docs of a run on its own runtime are built in a forked child while the caller goes on
    (`data_docs.DocsInChild`; reading `docs` waits for them) when `docs_child` is True, or when it is
    None and the frames hold `DOCS_CHILD_MIN_ROWS` rows or more; else here.
    Errors (structure broken) keep the document out of the database unless allowed; a finding
    says so. Warnings (the report's own figures disagree) are recorded and the document loads.
    """
    if runtime is not None and suites_dir is not None:
        raise ValueError("give either a runtime or a suites folder: a runtime holds its own suites")
    t0 = time.perf_counter()
    rt = runtime if runtime is not None else take_runtime(suites_dir)
    frames = build_frames(doc)
    run_id = uuid.uuid4().hex[:12]
    rows = sum(len(f) for f in frames.values())
    wanted = rows >= DOCS_CHILD_MIN_ROWS if docs_child is None else docs_child
    # a shared runtime's store may hold the next document's run before the pages are read: built here
    in_child = data_docs and wanted and runtime is None and forking_allowed()
    children: list[DocsInChild] = []

    def start_docs() -> None:  # built while the results are collected, the review made and emit's first files written
        children.append(DocsInChild(rt))

    with rt.lock:
        rt.clear_results()
        runs = rt.run_all(frames, parameters(doc), then=start_docs if in_child else None)
        docs: Mapping[str, bytes] = children[0] if children else data_docs_files(rt) if data_docs else {}
    summary = summarize(runs, run_id)
    outcomes = tuple(o for run in runs for o in run.expectations)
    findings = [f for f in doc.findings if f.code not in (FINDING_CODE, NO_YEAR_CODE)]
    if (no_year := no_year_finding(doc)) is not None:
        findings.append(no_year)
    if summary.errors:
        first = next(r for r in summary.failures if r.severity == "error")
        findings.append(
            Finding(
                code=FINDING_CODE,
                severity="error",
                ref=first.target,
                page=first.page,
                message=f"{summary.errors} validation error(s), e.g. {one_line(first)}; the document is not "
                "loaded into the database unless --allow-invalid is given",
            )
        )
    return ValidationRun(
        document=doc.model_copy(update={"validation": summary, "findings": findings}),
        summary=summary,
        outcomes=outcomes,
        docs=docs,
        gx_version=rt.gx.__version__,
        seconds=round(time.perf_counter() - t0, 3),
    )
