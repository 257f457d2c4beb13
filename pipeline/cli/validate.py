"""`nianbao validate OUTPUT/<doc_id>...`: re-run validation on documents already written.

Reads each folder's document.json, runs the suites of expectations/ again, and rewrites the
folder atomically through the emit stage (validation.json, data_docs/, document.json's summary,
manifest). Prints the warnings and errors as a table; exits 1 if any document has an error
(or cannot be read), so a script can refuse it as the database load does.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..batch.results import plural
from ..model import Document, ValidationResult
from ..settings import DEFAULT_SETTINGS, Settings
from . import app
from .options import JsonOpt
from .report import print_json
from .ui import cell, say

if TYPE_CHECKING:
    from ..validate import GxRuntime


def _failures_table(doc_id: str, failures: list[ValidationResult]) -> Table:
    table = Table(title=f"nianbao validate · {doc_id}", title_justify="left")
    for name in ("severity", "rule", "where", "message"):
        table.add_column(name, overflow="fold")
    for r in failures:
        colour = "red" if r.severity == "error" else "yellow"
        where = " ".join(
            x
            for x in (
                r.target or "",
                "" if r.row is None else f"row {r.row}",
                r.column or "",
                "" if r.page is None else f"p.{r.page}",
            )
            if x
        )
        table.add_row(cell(r.severity, colour), cell(r.rule), cell(where), cell(r.message_zh))
    return table


def revalidate(folder: Path, runtime: GxRuntime | None = None) -> Document:
    """Validate the document in folder again and rewrite the folder; return the validated document."""
    from ..emit import write_outputs
    from ..validate import validate_document

    path = folder / "document.json"
    if not path.is_file():
        raise FileNotFoundError(f"{folder}: no document.json (is this an output/<doc_id> folder?)")
    run = validate_document(Document.load(json.loads(path.read_text(encoding="utf-8"))), runtime=runtime)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    timings = {k: float(v) for k, v in (manifest.get("timings") or {}).items()}
    timings["validate"] = run.seconds
    # the rewritten manifest keeps the settings the document was made with (part of the backfill's skip key)
    settings = Settings.from_mapping(manifest["settings"]) if manifest.get("settings") else DEFAULT_SETTINGS
    write_outputs(run.document, folder.parent, timings=timings, validation=run, settings=settings)
    return run.document


def validation_record(folder: Path, doc: Document | None, seconds: float, reason: str = "") -> dict[str, Any]:
    """One folder as `validate --json` prints it: status ok, errors (not loadable without --allow-invalid)
    or failed (could not be validated: `reason`)."""
    v = doc.validation if doc is not None else None
    if v is None:
        status, counts, failures = "failed", {}, []
    else:
        status = "errors" if v.errors else "ok"
        counts = {"checks": v.evaluated, "passed": v.passed, "errors": v.errors, "warnings": v.warnings}
        failures = [
            r.model_dump(include={"rule", "severity", "target", "row", "column", "page", "message_zh", "message_en"})
            for r in v.failures
        ]
    return {
        "folder": str(folder),
        "doc_id": doc.doc_id if doc is not None else None,
        "status": status,
        "reason": reason or None,
        "counts": counts,
        "failures": failures,
        "seconds": round(seconds, 3),
    }


@app.command()
def validate(
    folders: Annotated[list[Path], typer.Argument(help="Output folders (OUTPUT/<doc_id>) holding document.json.")],
    as_json: JsonOpt = False,
) -> None:
    """Re-run validation on existing output: rewrites validation.json, data_docs/ and document.json's summary."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = err if as_json else Console(highlight=False)  # with --json, stdout holds the JSON object only
    from ..validate import new_runtime

    runtime = new_runtime()  # one GX context for every folder
    records: list[dict[str, Any]] = []
    for folder in folders:
        t0 = time.perf_counter()
        try:
            doc = revalidate(folder, runtime)
        except Exception as exc:  # one folder must not stop the others
            why = " ".join(str(exc).split())
            say(err, f"error: {folder}: {why}")
            records.append(validation_record(folder, None, time.perf_counter() - t0, why))
            continue
        records.append(validation_record(folder, doc, time.perf_counter() - t0))
        v = doc.validation
        assert v is not None
        if v.failures and not as_json:
            out.print(_failures_table(doc.doc_id, v.failures))
        verdict = "errors: not loadable without --allow-invalid" if v.errors else "ok"
        say(
            out,
            f"{doc.doc_id}: {plural(v.evaluated, 'check')}, {v.passed} passed, {plural(v.errors, 'error')}, "
            f"{plural(v.warnings, 'warning')} — {verdict}",
        )
    if as_json:
        statuses = [r["status"] for r in records]
        totals = {s: statuses.count(s) for s in ("ok", "errors", "failed")}
        print_json({"command": "validate", "documents": records, "totals": {"documents": len(records), **totals}})
    raise typer.Exit(1 if any(r["status"] != "ok" for r in records) else 0)
