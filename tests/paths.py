"""Where the test data lives: the project's raw/ and the shared corpus beside the checkout."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from pipeline.model import Document
from pipeline.process import process_pdf

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "raw" / "cqipc-2022.pdf"
# CI lays a copy of shared/ beside the clone; NIANBAO_SHARED points elsewhere when needed.
SHARED = Path(os.environ.get("NIANBAO_SHARED", ROOT.parent / "shared"))
TRUTH = SHARED / "corpus" / "cqipc-2022.truth.json"
REAL = SHARED / "corpus" / "real"
SCORER = SHARED / "tools" / "score.py"


@functools.cache
def processed(path: Path) -> Document:
    """The pipeline's document for `path`, computed once per test session (treat it as read-only)."""
    return process_pdf(path)
