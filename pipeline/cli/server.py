"""`nianbao server start|stop|status`: one long-lived Prefect server for the project (pipeline/prefect_server.py)
and the warm nianbao worker that serves it (pipeline/cli/warm_worker.py).

Every command otherwise starts and stops Prefect's temporary server (11-15 s each time); with
this one running, later commands find its URL in the project's Prefect home and start none, and
`ingest` runs in a process forked from the worker, with nothing left to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..handoff import WorkerError, prefect_home, running_worker, start_worker, stop_worker
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
    return prefect_home()


@server_app.command("start")
def start(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on (if taken: a free one).")] = (
        4200
    ),
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for it to answer.")] = 180.0,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Also start the warm worker that runs nianbao ingest.")
    ] = True,
) -> None:
    """Start the server (and the warm worker) in the background, or report those running, and wait until they answer."""
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
    if not worker:
        return
    try:
        wstate, wstarted = start_worker(home, state.pid, state.url, timeout)
    except WorkerError as exc:
        say(Console(stderr=True, highlight=False), f"error: {exc}")
        raise typer.Exit(1) from exc
    verb = "started" if wstarted else "already running"
    say(out, f"nianbao worker {verb} (pid {wstate.pid}, socket {wstate.socket}); ingest runs in it")


@server_app.command("stop")
def stop() -> None:
    """Stop the server and the worker `nianbao server start` started (the worker's running jobs too)."""
    out = Console(highlight=False)
    home = _home()
    worker = stop_worker(home)
    if worker is not None:
        say(out, f"stopped the nianbao worker (pid {worker.pid})")
    state = stop_server(home)
    say(out, f"stopped the Prefect server at {state.url}" if state else "no Prefect server recorded: nothing to stop")


@server_app.command("status")
def status() -> None:
    """Say whether the server and the worker run (exit code 1 when the server does not)."""
    out = Console(highlight=False)
    home = _home()
    state = running_server(home)
    if state is None:
        say(out, "no Prefect server running: each command starts a temporary one")
        raise typer.Exit(1)
    say(out, f"Prefect server running at {state.url} (pid {state.pid})")
    worker = running_worker(home)
    if worker is None:
        say(out, "no nianbao worker answering: each command imports its libraries itself")
    else:
        say(out, f"nianbao worker running (pid {worker.pid}, socket {worker.socket})")
