"""One PDF through the stages, without Prefect: what tests, notebooks and benchmarks call.

`process_pdf` runs `STAGES` (pipeline/stages.py) up to normalize and returns the document model;
the flows and the batch worker run the same list on to validate and emit.
"""

from __future__ import annotations

from pathlib import Path

from .model import Document
from .settings import DEFAULT_SETTINGS, Settings
from .stages import Work, need, run_stages, through


def process_pdf(path: str | Path, *, settings: Settings = DEFAULT_SETTINGS) -> Document:
    """load → layout → structure → tables → normalize on one PDF: the document, neither validated nor written."""
    work = run_stages(Work(Path(path), settings), through("normalize"))
    return need(work.document, "document")
