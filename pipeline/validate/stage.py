"""The validate stage: `validate_document(doc) -> doc` and the renderer `validation_files(doc)`.

Design: the stage returns a copy of the document with `validation` set to a ValidationSummary.
Its `results` field (every result, passing ones too) is excluded from document.json but travels
with the model to the emit stage, which writes validation.json from it. What GX itself produced
(the per-expectation outcomes and the Data Docs pages) is kept in a small in-process cache keyed
by the summary's run_id; the renderer takes it from there, and re-runs validation when the run
is not in the cache (a document loaded from JSON, another process), so output is always complete.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..model import Document, Finding
from . import rules
from .claims import consistency_frame
from .frames import arithmetic_frame, structure_frame, values_frame
from .report import VALIDATION_JSON, one_line, summarize, validation_dict

FINDING_CODE = "validation.errors"
_CACHE_SIZE = 8


@dataclass(slots=True)
class RunArtifacts:
    outcomes: list[dict[str, Any]]
    docs: dict[str, bytes]
    gx_version: str
    seconds: float


_ARTIFACTS: OrderedDict[str, RunArtifacts] = OrderedDict()


def build_frames(doc: Document) -> dict[str, Any]:
    """One frame per rule family; the suite files name the frame they judge."""
    return {
        "structure": structure_frame(doc),
        "values": values_frame(doc),
        "arithmetic": arithmetic_frame(doc),
        "consistency": consistency_frame(doc),
    }


def parameters(doc: Document) -> dict[str, Any]:
    """Suite parameters that depend on the report: plausible years end at its report year."""
    year = doc.metadata.report_year or datetime.now().year
    return {
        "min_year": rules.MIN_YEAR,
        "max_year": year,
        "period_min": year - rules.ANNEX_PERIOD_SPAN,
        "period_max": year,
    }


def validate_document(doc: Document, *, data_docs: bool = True, suites_dir: str | None = None) -> Document:
    """Run every suite of expectations/ on the document; return a copy with `validation` set.

    Errors (structure broken) keep the document out of the database unless allowed; a finding
    says so. Warnings (the report's own figures disagree) are recorded and the document loads.
    """
    from .data_docs import clear_results, data_docs_files
    from .suites import _LOCK, gx_runtime, run_all

    t0 = time.perf_counter()
    frames = build_frames(doc)
    rt = gx_runtime()
    run_id = uuid.uuid4().hex[:12]
    with _LOCK:
        clear_results(rt)
        runs = run_all(frames, parameters(doc), suites_dir)
        docs = data_docs_files(rt) if data_docs else {}
    summary = summarize(runs, run_id)
    outcomes = [o for run in runs for o in run.expectations]
    _remember(run_id, RunArtifacts(outcomes, docs, rt.gx.__version__, round(time.perf_counter() - t0, 3)))
    findings = [f for f in doc.findings if f.code != FINDING_CODE]
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
    return doc.model_copy(update={"validation": summary, "findings": findings})


def _remember(run_id: str, art: RunArtifacts) -> None:
    _ARTIFACTS[run_id] = art
    while len(_ARTIFACTS) > _CACHE_SIZE:
        _ARTIFACTS.popitem(last=False)


def artifacts(run_id: str | None) -> RunArtifacts | None:
    return _ARTIFACTS.get(run_id or "")


def validation_files(doc: Document) -> dict[str, str | bytes]:
    """Renderer for emit: validation.json and data_docs/… of the document's validation run.

    A document that was never validated gets no files; one whose run is not in this process
    (loaded from document.json) is validated again first, so the files match its summary.
    """
    if doc.validation is None:
        return {}
    art = artifacts(doc.validation.run_id)
    if art is None or (not doc.validation.results and doc.validation.evaluated):
        doc = validate_document(doc)
        assert doc.validation is not None  # validate_document always sets it
        art = artifacts(doc.validation.run_id)
    assert doc.validation is not None and art is not None
    body = validation_dict(doc, doc.validation, art.outcomes, art.gx_version)
    return {VALIDATION_JSON: json.dumps(body, ensure_ascii=False, indent=1) + "\n", **art.docs}
