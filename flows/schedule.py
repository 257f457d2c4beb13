"""The scheduled deployment: every run ingests the new or changed PDFs of a watched folder.

`ingest-folder` only scans (library `changed_pdfs`: content hash, pipeline version and settings
digest against the manifests) and hands what it found to `ingest-batch` as a subflow; with nothing new it ends at
once without starting a worker. `build_deployment` makes the RunnerDeployment that
`nianbao serve` serves: the cron schedule lives on the Prefect server, so schedules need
`prefect server start` (the temporary server runs no scheduler; see the README). The settings
travel as their values ({group: {field: value}}, JSON like every deployment parameter) and are
validated again by every run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pipeline.prefect_env  # noqa: F401  (must run before prefect is imported)

# isort: split
from prefect import flow, task
from prefect.schedules import Cron
from prefect.states import Completed, State

from flows.batch import batch_flow
from flows.ingest import NO_STORE
from pipeline.batch.params import RunParams
from pipeline.batch.plan import changed_pdfs
from pipeline.settings import Settings

FLOW_NAME = "ingest-folder"
DEFAULT_DEPLOYMENT = "nightly"


@task(name="scan-folder", **NO_STORE)
def scan_task(folder: str, output: str, settings: Settings) -> list[str]:
    return changed_pdfs(folder, output, settings)


@flow(name=FLOW_NAME, persist_result=False, validate_parameters=False)
def ingest_folder(
    folder: str = "raw",
    output: str = "output",
    workers: int = 2,
    settle: float = 30.0,
    timeout: float = 900.0,
    load_db: bool = True,
    database: str | None = None,
    allow_invalid: bool = False,
    settings: dict[str, dict[str, Any]] | None = None,
) -> State:
    """Ingest the PDFs under `folder` that are new or changed since their output was written."""
    chosen = Settings.from_mapping(settings or {})
    paths = scan_task(folder, output, chosen)
    if not paths:
        return Completed(message=f"nothing new in {folder}", data=[])
    params = RunParams(load_db, database, allow_invalid, chosen, roots=(folder,))
    return batch_flow(workers)(paths=paths, output=output, settle=settle, timeout=timeout, params=params,
                               return_state=True)  # fmt: skip


def local_timezone() -> str:
    """The machine's IANA time zone (TZ, /etc/timezone or the /etc/localtime link), else UTC."""
    if (tz := os.environ.get("TZ", "").lstrip(":")) and "/" in tz:
        return tz
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or "UTC"
    except OSError:
        pass
    link = Path("/etc/localtime")
    if link.is_symlink() and "zoneinfo/" in str(link.readlink()):
        return str(link.readlink()).split("zoneinfo/", 1)[1]
    return "UTC"


def build_deployment(
    cron: str,
    name: str = DEFAULT_DEPLOYMENT,
    folder: str | Path = "raw",
    output: str | Path = "output",
    timezone: str | None = None,
    **parameters: Any,
) -> Any:
    """The RunnerDeployment of `ingest-folder` on `cron`; folders are made absolute (runs start elsewhere)."""
    params = {"folder": str(Path(folder).resolve()), "output": str(Path(output).resolve()), **parameters}
    return ingest_folder.to_deployment(
        name=name,
        schedules=[Cron(cron, timezone=timezone or local_timezone())],
        parameters=params,
        description=f"Ingest new or changed PDFs from {params['folder']} into {params['output']}",
        tags=["nianbao"],
    )
