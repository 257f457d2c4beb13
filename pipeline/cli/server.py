"""`nianbao server start|stop|status`: one long-lived Prefect server for the project (pipeline/prefect_server.py).

Every command otherwise starts and stops Prefect's temporary server (11-15 s each time); with
this one running, later commands find its URL in the project's Prefect home and start none.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..prefect_server import ServerError, running_server, start_server, stop_server
from . import app
from .ui import say

server_app = typer.Typer(
    name="server",
    help="A long-lived local Prefect server that later nianbao commands use (none of them then waits for one).",
    no_args_is_help=True,
)
app.add_typer(server_app)


def _home() -> Path:
    from ..prefect_env import prefect_home  # here: importing it sets the Prefect environment

    return Path(os.environ.get("PREFECT_HOME") or prefect_home()).expanduser()


@server_app.command("start")
def start(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on (if taken: a free one).")] = (
        4200
    ),
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for it to answer.")] = 180.0,
) -> None:
    """Start the server in the background (or report the one running) and wait until it answers."""
    out = Console(highlight=False)
    home = _home()
    say(out, f"starting the Prefect server in {home} …")
    try:
        state, started = start_server(home, port, timeout)
    except ServerError as exc:
        say(Console(stderr=True, highlight=False), f"error: {exc}")
        raise typer.Exit(1) from exc
    verb = "started" if started else "already running"
    say(out, f"Prefect server {verb} at {state.url} (pid {state.pid}); later nianbao commands use it")


@server_app.command("stop")
def stop() -> None:
    """Stop the server `nianbao server start` started."""
    out = Console(highlight=False)
    state = stop_server(_home())
    say(out, f"stopped the Prefect server at {state.url}" if state else "no Prefect server recorded: nothing to stop")


@server_app.command("status")
def status() -> None:
    """Say whether the server runs and at which URL (exit code 1 when it does not)."""
    out = Console(highlight=False)
    state = running_server(_home())
    if state is None:
        say(out, "no Prefect server running: each command starts a temporary one")
        raise typer.Exit(1)
    say(out, f"Prefect server running at {state.url} (pid {state.pid})")
