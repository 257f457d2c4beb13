"""Validate stage: Great Expectations suites (expectations/*.json) run on frames built from the document.

Public API: `validate_document(doc, runtime=None) -> ValidationRun` (the stage),
`new_runtime() -> GxRuntime` (a GX context holding the suites, to reuse over many documents) and
`validation_files(doc, run)` (validation.json and data_docs/ of a run) and
`validation_json_parts(doc, run)` (validation.json in pieces, as emit writes it).
great_expectations is imported only when a runtime is made.
"""

from __future__ import annotations

from .run import ValidationRun, validation_files, validation_json_parts
from .stage import build_frames, validate_document
from .suites import GxRuntime, new_runtime

__all__ = [
    "GxRuntime",
    "ValidationRun",
    "build_frames",
    "new_runtime",
    "validate_document",
    "validation_files",
    "validation_json_parts",
]
