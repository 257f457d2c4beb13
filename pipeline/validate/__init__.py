"""Validate stage: Great Expectations suites (expectations/*.json) run on frames built from the document.

Public API: `validate_document(doc) -> Document` (the stage) and `validation_files(doc)` (the emit
renderer for validation.json and data_docs/). great_expectations is imported only when a
document is validated.
"""

from __future__ import annotations

from .stage import build_frames, validate_document, validation_files

__all__ = ["build_frames", "validate_document", "validation_files"]
