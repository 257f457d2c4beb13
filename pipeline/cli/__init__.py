"""`nianbao` command line: one module per command, all registered on one typer app.

Heavy imports (Prefect, Great Expectations, DuckDB) happen inside the commands, so
`nianbao --version` and `--help` start fast.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .. import __version__


class _App(typer.Typer):
    """The command line as a process: it ends through `startup.exit_now` (no interpreter teardown).

    Only calling the app (the `nianbao` script, `python -m pipeline`) does; tests invoke its click
    command and are not ended. An `ingest` for a running warm worker never gets here: the script's
    entry (`pipeline.entry`) hands it over before this module is imported."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .startup import exit_now

        try:
            super().__call__(*args, **kwargs)
        except SystemExit as exc:
            exit_now(exc.code)
        exit_now(0)


app: typer.Typer = _App(  # annotated for mypy: the command modules import it within a cycle
    name="nianbao",
    help="Turn quality reports (质量年度报告, PDF) into validated JSON/CSV under output/<doc_id>/.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nianbao {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """nianbao: Chinese higher-vocational college quality reports from PDF to data."""


# command modules register themselves on `app` when imported
from . import backfill, ingest, review, serve, validate  # noqa: E402, F401  (each registers its command)
from .db import db_app  # noqa: E402, F401  (registers `nianbao db`)
from .server import server_app  # noqa: E402, F401  (registers `nianbao server`)

__all__ = ["app", "backfill", "ingest", "serve", "validate"]
