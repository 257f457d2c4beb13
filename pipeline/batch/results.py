"""What is reported per document, small enough to cross process boundaries cheaply.

`DocResult` is the one outcome of one input, whoever ran it: the `ingest-report` flow, a batch
worker or a batch's plan. A worker never sends the Document back (tens of MB for a 70-page
report): it writes the folder and returns counts, timings and the one-line reason of a failure.
The same records feed the CLI's summary tables and the Prefect artifacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .plan import PlanItem

if TYPE_CHECKING:
    from ..stages import Work

Status = Literal["done", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class DocResult:
    """One input's outcome: done (written), skipped (unchanged or duplicate) or failed (with reason)."""

    path: str
    status: Status
    reason: str = ""
    sha256: str = ""
    doc_id: str = ""
    folder: str = ""
    pages: int = 0
    sections: int = 0
    tables: int = 0
    warnings: int = 0  # validation warnings
    errors: int = 0  # validation errors
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # of the process that ran the document
    timings: dict[str, float] = field(default_factory=dict)
    transient: bool = False  # the failure may go away on retry (file still being copied)
    database: str = ""  # "loaded", "refused: …", "failed: …", "" when not loaded

    def with_database(self, note: str) -> DocResult:
        return replace(self, database=note)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def written_result(work: Work, seconds: float, peak_rss_mb: float = 0.0) -> DocResult:
    """The outcome of a run that went through emit."""
    from ..stages import need

    doc = need(work.document, "document")
    folder = need(work.folder, "output folder")
    v = doc.validation
    return DocResult(
        str(work.path),
        "done",
        "",
        doc.source.sha256,
        doc_id=folder.name,
        folder=str(folder),
        pages=doc.source.pages,
        sections=len(doc.sections),
        tables=len(doc.tables),
        warnings=v.warnings if v is not None else 0,
        errors=v.errors if v is not None else 0,
        seconds=round(seconds, 3),
        peak_rss_mb=peak_rss_mb,
        timings=work.timings(),
    )


def skipped_result(item: PlanItem, out_root: str | Path) -> DocResult:
    folder = str(Path(out_root) / item.folder) if item.folder else ""
    return DocResult(item.path, "skipped", item.reason, item.sha256, doc_id=item.folder, folder=folder)


def plan_failure(item: PlanItem) -> DocResult:
    return DocResult(item.path, "failed", item.reason, item.sha256)


def counts(results: Iterable[DocResult]) -> dict[str, int]:
    """{"done": n, "skipped": n, "failed": n}, every key present."""
    c = Counter(r.status for r in results)
    return {s: c.get(s, 0) for s in ("done", "skipped", "failed")}


def table_rows(results: Iterable[DocResult]) -> list[dict[str, Any]]:
    """One row per document for the Prefect table artifact (documents, tables found, validation warnings)."""
    return [
        {
            "file": r.path.rsplit("/", 1)[-1],
            "status": r.status,
            "doc_id": r.doc_id,
            "pages": r.pages,
            "tables": r.tables,
            "validation_warnings": r.warnings,
            "validation_errors": r.errors,
            "database": r.database,
            "seconds": round(r.seconds, 2),
            "reason": r.reason,
        }
        for r in results
    ]


def summary_markdown(results: list[DocResult], title: str = "nianbao batch", seconds: float | None = None) -> str:
    """The run's markdown summary: counts, then every failure with its reason."""
    c = counts(results)
    done = [r for r in results if r.status == "done"]
    lines = [
        f"# {title}",
        "",
        f"- **done** {c['done']}, **skipped** {c['skipped']}, **failed** {c['failed']} (of {len(results)})",
        f"- tables found: {sum(r.tables for r in done)}; validation warnings: {sum(r.warnings for r in done)}, "
        f"errors: {sum(r.errors for r in done)}",
    ]
    if seconds is not None:
        rate = f", {len(done) / seconds * 60:.1f} documents/minute" if done and seconds > 0 else ""
        lines.append(f"- wall time {seconds:.1f} s{rate}")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines += ["", "## Failed", ""]
        lines += [f"- `{r.path}`: {r.reason}" for r in failed]
    return "\n".join(lines) + "\n"
