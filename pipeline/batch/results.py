"""What is reported per document, small enough to cross process boundaries cheaply.

`DocResult` is the one outcome of one input, whoever ran it: the `ingest-report` flow, a batch
worker or a batch's plan. A worker never sends the Document back (tens of MB for a 70-page
report): it writes the folder and returns counts, timings and the one-line reason of a failure.
The same records feed the CLI's summary tables and the Prefect artifacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .plan import PlanItem

if TYPE_CHECKING:
    from ..stages import Work

Status = Literal["done", "skipped", "failed", "unloaded"]  # unloaded: written, but the database load failed
STATUSES: tuple[Status, ...] = ("done", "skipped", "failed", "unloaded")


@dataclass(frozen=True, slots=True)
class DocResult:
    """One input's outcome: done (written), skipped (unchanged or duplicate), failed (with reason) or
    unloaded (written, but the database could not take it: with the reason; the next run loads it)."""

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

    def not_loaded(self, why: str) -> DocResult:
        """Written (or skipped as unchanged) but not loaded: its own status, never "done" or "failed"."""
        where = f"written to {self.folder}/" if self.status == "done" else f"unchanged in {self.folder}/"
        return replace(
            self,
            status="unloaded",
            database=f"failed: {why}",
            reason=f"{self.path}: {where}, not loaded into the database: {why}",
        )

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


def remembered(result: DocResult, refusals: Mapping[str, tuple[str, str]]) -> DocResult:
    """A skipped result noting the database's earlier refusal of the same content (not offered again)."""
    sha, why = refusals.get(result.doc_id, ("", ""))
    return result.with_database(why) if sha and sha == result.sha256 else result


def plan_failure(item: PlanItem) -> DocResult:
    return DocResult(item.path, "failed", item.reason, item.sha256)


def plural(n: int, word: str, many: str | None = None) -> str:
    """The count and the word: "1 file", "2 files" (`many` for an irregular plural)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def counts(results: Iterable[DocResult]) -> dict[str, int]:
    """{"done": n, "skipped": n, "failed": n, "unloaded": n}, every key present."""
    c = Counter(r.status for r in results)
    return {s: c.get(s, 0) for s in STATUSES}


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
        f"- **done** {c['done']}, **skipped** {c['skipped']}, **failed** {c['failed']}, "
        f"**not loaded** {c['unloaded']} (of {len(results)})",
        f"- tables found: {sum(r.tables for r in done)}; validation warnings: {sum(r.warnings for r in done)}, "
        f"errors: {sum(r.errors for r in done)}",
    ]
    if seconds is not None:
        rate = f", {len(done) / seconds * 60:.1f} documents/minute" if done and seconds > 0 else ""
        lines.append(f"- wall time {seconds:.1f} s{rate}")
    failed = [r for r in results if r.status in ("failed", "unloaded")]
    if failed:
        lines += ["", "## Failed", ""]
        lines += [f"- `{r.path}`: {r.reason}" for r in failed]
    return "\n".join(lines) + "\n"
