"""What one validation run produced, as a value: the validated document and what GX gave.

The validate stage returns a `ValidationRun`; emit renders validation.json and data_docs/ from
it (`validation_json_parts` and `docs`; `validation_files` for both whole) and never runs validation
itself. Nothing is kept between runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..jsonparts import object_parts
from ..model import Document, ValidationSummary
from .report import VALIDATION_JSON, validation_fields


@dataclass(frozen=True, slots=True)
class ValidationRun:
    """The validated document (summary and finding set), each expectation's outcome, the Data Docs files."""

    document: Document
    summary: ValidationSummary
    outcomes: tuple[dict[str, Any], ...]
    docs: Mapping[str, bytes]  # {data_docs/<relative path>: bytes}; empty when not built
    gx_version: str
    seconds: float


def validation_files(doc: Document, run: ValidationRun) -> dict[str, str | bytes]:
    """validation.json and data_docs/… of `run`, for the document as emit writes it (its final doc_id)."""
    text = b"".join(part.encode("utf-8") for part in validation_json_parts(doc, run))
    return {VALIDATION_JSON: text, **run.docs}


def validation_json_parts(doc: Document, run: ValidationRun) -> Iterator[str]:
    """validation.json's text in pieces (`jsonparts.object_parts`): emit writes them as they come."""
    return object_parts(validation_fields(doc, run.summary, list(run.outcomes), run.gx_version))
