"""`--json`: one JSON object on stdout for scripts, the same facts as the summary table.

    {"command": "ingest", "output": "output", "documents": [{"path", "doc_id", "folder", "status",
     "reason", "database", "counts": {...}, "seconds"}, ...], "input_errors": [...], "totals": {...}}

`status` is a `DocResult` status: done, skipped, failed, or unloaded (written to its folder, the
database load failed: `reason` says why, the next run loads it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer

from ..batch.results import DocResult, counts


def document_record(result: DocResult) -> dict[str, Any]:
    """One document as `--json` prints it."""
    reason = result.reason.removeprefix(f"{result.path}: ")
    return {
        "path": result.path,
        "doc_id": result.doc_id or None,
        "folder": result.folder or None,
        "status": result.status,
        "reason": reason or None,
        "database": result.database or None,
        "counts": {
            "pages": result.pages,
            "sections": result.sections,
            "tables": result.tables,
            "warnings": result.warnings,
            "errors": result.errors,
        },
        "seconds": round(result.seconds, 3),
    }


def results_object(
    command: str, results: Iterable[DocResult], output: Path, seconds: float, input_errors: Iterable[str] = ()
) -> dict[str, Any]:
    """The object `ingest --json` and `backfill --json` print: every document, the inputs refused, totals."""
    done = list(results)
    errors = list(input_errors)
    return {
        "command": command,
        "output": str(output),
        "documents": [document_record(r) for r in done],
        "input_errors": errors,
        "totals": {"documents": len(done), **counts(done), "input_errors": len(errors), "seconds": round(seconds, 3)},
    }


def print_json(value: Any) -> None:
    """The one object on stdout (UTF-8, not escaped: file names and reasons are Chinese)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))
