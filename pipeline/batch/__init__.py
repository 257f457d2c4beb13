"""Batches of reports: what to skip (plan), how one document runs in isolation (worker), and what is reported (results).

Everything here is plain library code, importable without Prefect: `flows/batch.py` only
orchestrates these functions, and the CLI calls `plan_batch` before it decides whether
Prefect needs starting at all.
"""

from .plan import IndexEntry, PlanItem, file_sha256, find_pdfs, output_index, plan_batch
from .results import DocResult, counts, summary_markdown, table_rows

__all__ = [
    "DocResult",
    "IndexEntry",
    "PlanItem",
    "counts",
    "file_sha256",
    "find_pdfs",
    "output_index",
    "plan_batch",
    "summary_markdown",
    "table_rows",
]
