"""What the commands need from outside before any work: a Prefect server that answers, a Dask scheduler.

A stopped server at PREFECT_API_URL or an unreachable scheduler is one line naming it and exit
code 2, before any document; an environment failure later on is one line too, with the traceback
only under `--verbose`.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import typer
from rich.console import Console

from .ui import say

ENVIRONMENT_EXIT = 2
WAIT_SECONDS = 5.0


def prefect_server_or_exit(err: Console) -> None:
    """With PREFECT_API_URL set, its server must answer `/health` (without it, a temporary one is started)."""
    url = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    if not url:
        return
    from ..prefect_server import health_problem

    why = health_problem(url, WAIT_SECONDS)
    if why is not None:
        say(err, f"error: no Prefect server answers at PREFECT_API_URL={url} ({why}): start it with "
                 "`prefect server start`, or unset PREFECT_API_URL to use a temporary one")  # fmt: skip
        raise typer.Exit(ENVIRONMENT_EXIT) from None


def dask_scheduler_or_exit(address: str | None, err: Console) -> None:
    """`--dask ADDRESS` (not "local") must accept a connection."""
    if not address or address == "local":
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        say(err, f"error: --dask {address}: not a scheduler address (tcp://host:port) or 'local'")
        raise typer.Exit(ENVIRONMENT_EXIT)
    try:
        socket.create_connection((host, port), timeout=WAIT_SECONDS).close()
    except OSError as exc:
        say(err, f"error: --dask {address}: no Dask scheduler answers there ({exc.strerror or exc})")
        raise typer.Exit(ENVIRONMENT_EXIT) from None


def environment_failure(exc: BaseException, err: Console, verbose: bool) -> typer.Exit:
    """The exit for a failure of the machinery around the documents (server, cluster): one line; the
    traceback too with `--verbose`."""
    if verbose:
        import traceback

        err.print("".join(traceback.format_exception(exc)), markup=False, highlight=False)
    first = (str(exc).strip().splitlines() or [""])[0]
    say(err, f"error: {type(exc).__name__}: {first}" + ("" if verbose else " (--verbose shows the traceback)"))
    return typer.Exit(ENVIRONMENT_EXIT)
