"""A long-lived local Prefect server in the project's Prefect home, for users who ingest often.

Without one, every command starts Prefect's temporary server (11-15 s on a warm database, ~26 s
on a fresh one) and stops it on exit. `nianbao server start` starts `prefect server start` once,
detached in its own session, waits until its API answers, and records its URL and process id in
`<PREFECT_HOME>/nianbao-server.json`; `pipeline.prefect_env` then points every later command at it
(PREFECT_API_URL) while that process lives and its port answers, so they start no server at all.
`nianbao server stop` ends the process group and removes the record.

Light imports only (the standard library and `batch.lifeline`): `prefect_env` reads the record on
every command that imports Prefect.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .batch.lifeline import process_alive

STATE_FILE = "nianbao-server.json"
HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class ServerState:
    """What `server start` recorded: the server's process (group leader) and its API URL."""

    pid: int
    port: int
    url: str  # the API URL, as PREFECT_API_URL wants it (…/api)
    log: str  # the server's own output


def state_path(home: Path) -> Path:
    return home / STATE_FILE


def read_state(home: Path) -> ServerState | None:
    """The recorded server, None when there is no (readable) record."""
    try:
        data = json.loads(state_path(home).read_text(encoding="utf-8"))
        return ServerState(int(data["pid"]), int(data["port"]), str(data["url"]), str(data.get("log", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def port_open(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def running_server(home: Path) -> ServerState | None:
    """The recorded server if its process lives and its port accepts connections (about a millisecond)."""
    state = read_state(home)
    if state is None or not process_alive(state.pid) or not port_open(state.port):
        return None
    return state


def free_port(preferred: int) -> int:
    """`preferred` if nothing listens there, else a port the system picks."""
    if not port_open(preferred):
        return preferred
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def health_problem(url: str, timeout: float = 1.0) -> str | None:
    """Why the Prefect API at `url` does not answer `/health` with 200, or None when it does.

    urllib, not httpx: an httpx client loads the CA bundle even for plain http (~0.02 s of a warm ingest).
    """
    import urllib.error  # here: the hand-off of a warm ingest imports this module and asks no server
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return None if response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        return " ".join(str(exc.reason).split()) or type(exc.reason).__name__
    except (OSError, ValueError) as exc:
        return " ".join(str(exc).split()) or type(exc).__name__


def healthy(url: str, timeout: float = 1.0) -> bool:
    return health_problem(url, timeout) is None


def server_command(port: int) -> list[str]:
    """`prefect server start` in the foreground, for the venv this process runs in."""
    code = "import sys; from prefect.cli import app; sys.exit(app())"
    return [sys.executable, "-c", code, "server", "start", "--host", HOST, "--port", str(port)]


Launcher = Callable[[Sequence[str], Path, dict[str, str]], int]


def launch(command: Sequence[str], log: Path, env: dict[str, str]) -> int:
    """Start `command` detached (own session: it outlives this process and its watchdog); its pid."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    return proc.pid


class ServerError(RuntimeError):
    """The server did not come up (its log says why) or could not be stopped."""


def start_server(
    home: Path,
    port: int = 4200,
    timeout: float = 180.0,
    launcher: Launcher = launch,
    is_healthy: Callable[[str], bool] = healthy,
) -> tuple[ServerState, bool]:
    """The running server of `home`, started if there is none; True when this call started it.

    Waits until the API answers /health (the first start creates the database: ~30 s); a process
    that exits or stays silent past `timeout` is ended and a ServerError names its log.
    """
    current = running_server(home)
    if current is not None:
        return current, False
    home.mkdir(parents=True, exist_ok=True)
    port = free_port(port)
    url = f"http://{HOST}:{port}/api"
    log = home / "nianbao-server.log"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the server serves; it calls no API
    env["PREFECT_HOME"] = str(home)
    pid = launcher(server_command(port), log, env)
    state = ServerState(pid, port, url, str(log))
    deadline = time.monotonic() + timeout
    while not is_healthy(url):
        if not process_alive(pid) or exited(pid) or time.monotonic() > deadline:
            end_process_group(pid)
            raise ServerError(f"the Prefect server did not start within {timeout:.0f} s; see {log}")
        time.sleep(0.25)
    state_path(home).write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    return state, True


def exited(pid: int) -> bool:
    """Reap `pid` if it is our child that has exited (a zombie still answers kill(pid, 0))."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == pid


def end_process_group(pid: int, grace: float = 10.0) -> None:
    """SIGTERM the process group led by `pid` (the server and its uvicorn child), SIGKILL after `grace`."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if exited(pid) or not process_alive(pid):
                return
            time.sleep(0.1)


def stop_server(home: Path) -> ServerState | None:
    """Stop the recorded server (if its process still lives) and remove the record; what was recorded."""
    state = read_state(home)
    if state is None:
        return None
    if process_alive(state.pid) and _is_prefect_server(state.pid):
        end_process_group(state.pid)
    state_path(home).unlink(missing_ok=True)
    return state


def _is_prefect_server(pid: int) -> bool:
    """The pid still names a `prefect … server start` process (not a reused pid); True where /proc is missing."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return not Path("/proc/self").exists()
    except OSError:
        return False
    return b"server" in cmdline and b"start" in cmdline
