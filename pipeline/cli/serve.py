"""`nianbao serve`: serve the `ingest-folder` deployment on a cron schedule until stopped (Ctrl-C).

Schedules need a long-running Prefect server: the temporary server that other commands start
runs no scheduler, so no scheduled run would ever be created. The command therefore refuses to
start without PREFECT_API_URL and says how to set one up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import app
from .options import RUN_OPTIONS, RunOptions, run_options
from .ui import say

SERVER_HELP = """nianbao serve needs a running Prefect server (the temporary one runs no schedules).
In another terminal:

    DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false .venv/bin/prefect server start

then here:

    export PREFECT_API_URL=http://127.0.0.1:4200/api"""


@app.command()
@run_options("workers", "settle", *RUN_OPTIONS, settle=30.0)
def serve(
    watch: Annotated[Path, typer.Option("--watch", help="Folder whose new or changed PDFs each run ingests.")] = Path(
        "raw"
    ),
    cron: Annotated[str, typer.Option("--cron", help="When to run, as a cron string.")] = "0 3 * * *",
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="IANA zone of the cron times. Default: this machine's.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Deployment name.")] = "nightly",
    opts: RunOptions | None = None,
) -> None:
    """Ingest new or changed PDFs from a watched folder on a schedule (a Prefect deployment)."""
    assert opts is not None  # given by run_options
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not os.environ.get("PREFECT_API_URL"):
        say(err, SERVER_HELP)
        raise typer.Exit(2)
    if not watch.is_dir():
        say(err, f"error: {watch}: no such folder")
        raise typer.Exit(2)

    import pipeline.prefect_env  # noqa: F401  (the project's Prefect environment, before prefect is imported)

    # isort: split
    from prefect import serve as prefect_serve

    from flows.schedule import FLOW_NAME, build_deployment

    # the values travel as JSON, like every deployment parameter, and each run checks them again
    chosen = {"settings": opts.settings.as_dict()} if opts.settings_file is not None else {}
    parameters = {
        "workers": opts.workers,
        "settle": opts.settle,
        "timeout": opts.timeout,
        "load_db": opts.load_db,
        "database": opts.database,
        "allow_invalid": opts.allow_invalid,
        **chosen,
    }
    deployment = build_deployment(cron, name=name, folder=watch, output=opts.output, timezone=timezone, **parameters)
    say(
        err,
        f"serving {FLOW_NAME}/{name}: {watch}/ → {opts.output}/ on '{cron}' "
        f"({deployment.schedules[0].schedule.timezone})\n"
        f"run now:   prefect deployment run '{FLOW_NAME}/{name}'\n"
        f"runs:      {os.environ['PREFECT_API_URL'].removesuffix('/api')}  (Ctrl-C stops serving)",
    )
    prefect_serve(deployment, print_starting_message=False)
