"""Hand a command to the warm nianbao worker (`pipeline.cli.warm_worker`) over a Unix socket.

`nianbao server start` starts, beside the Prefect server, one worker process that has Prefect,
Great Expectations, pandas, the readers and the stages imported. `nianbao ingest` then passes the
worker its argv, working folder and environment together with their own
stdin/stdout/stderr (file descriptors, SCM_RIGHTS): the worker forks a child for the job, the child
writes straight to this terminal or pipe, and this process waits for its exit status and exits
with it. The job is the same command line running in a process that had nothing left to import.

Protocol (one connection per job, JSON lines): the client sends
`{"op": "run", "argv", "prog", "cwd", "env", "python"}` with its three descriptors attached (or
`{"op": "ping"}`); the worker answers `{"declined": why}` (the client runs the command itself), or
`{"pid": n}` and, when that process ends, `{"exit": code}` or `{"signal": n}`. An answer that stops
after `{"pid"}` means the worker died during the job: the command says so and exits with 2.

Security: the socket lives in `<PREFECT_HOME>/nianbao-worker/`, a folder mode 0700 that must be
ours, the socket mode 0600, never TCP; the worker also checks the caller's uid (SO_PEERCRED).

Light imports only (the standard library, `pipeline.prefect_server`): this runs before the command line is parsed.
"""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import stat
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .prefect_server import end_process_group, exited, launch

# the commands the worker runs: `backfill` runs each document in a process of its batch forkserver,
# which imports everything again (measured: no faster through the worker), the others are quick
HANDED = ("ingest",)
NO_WORKER = "NIANBAO_NO_WORKER"  # set (non-empty): never hand off, run in this process
WORKER_DIR = "nianbao-worker"
SOCKET_NAME = "worker.sock"
RECORD = "nianbao-worker.json"
LOG = "nianbao-worker.log"
SHORT_SOCKET_ROOT = Path("/tmp")  # where the socket goes when the home's path is too long for AF_UNIX (107 bytes)
WORKER_DIED = 2  # the exit code when the worker ends during a job (the machinery failed, not a document)


class WorkerError(RuntimeError):
    """The worker's folder is not private, or the worker did not come up (its log says why)."""


@dataclass(frozen=True, slots=True)
class WorkerState:
    """What `server start` recorded: the worker's process (group leader), its socket and the server it serves."""

    pid: int
    socket: str
    server_pid: int
    log: str


def prefect_home() -> Path:
    """The project's Prefect home, as every command computes it (importing prefect_env sets the environment)."""
    from .prefect_env import home_in_effect

    return home_in_effect()


def socket_dir(home: Path) -> Path:
    """`<home>/nianbao-worker`, or a per-home folder under /tmp when that path is too long for a socket."""
    preferred = home / WORKER_DIR
    if len(os.fsencode(preferred / SOCKET_NAME)) < 100:
        return preferred
    import hashlib

    key = hashlib.sha256(os.fsencode(home.resolve())).hexdigest()[:16]
    return SHORT_SOCKET_ROOT / f"nianbao-worker-{os.getuid()}-{key}"


def private_dir(path: Path, create: bool = False) -> Path:
    """`path`, a folder of ours that no one else may enter (0700); made if `create`. WorkerError otherwise."""
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise WorkerError(f"{path} is not a private folder of this user (mode 0700): the worker socket is not used")
    return path


def socket_path(home: Path) -> Path:
    return socket_dir(home) / SOCKET_NAME


def record_path(home: Path) -> Path:
    return home / RECORD


def read_record(home: Path) -> WorkerState | None:
    try:
        data = json.loads(record_path(home).read_text(encoding="utf-8"))
        return WorkerState(int(data["pid"]), str(data["socket"]), int(data["server_pid"]), str(data["log"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _connect(path: Path, timeout: float | None) -> socket.socket:
    private_dir(path.parent)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        raise
    return sock


def _send(sock: socket.socket, message: Mapping[str, Any], fds: Sequence[int] = ()) -> None:
    data = json.dumps(message).encode("utf-8") + b"\n"
    if fds:
        sent = sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        data = data[sent:]
    sock.sendall(data)


class _Answers:
    """The worker's JSON lines, one at a time; None once it closes the connection. Not a generator: a
    Ctrl-C during a read leaves the reader as it was, to read on."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buf = b""

    def next(self) -> dict[str, Any] | None:
        while b"\n" not in self._buf:
            chunk = self._sock.recv(4096)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer


def ping(home: Path, timeout: float = 2.0) -> int | None:
    """The worker's pid if it answers on `home`'s socket, else None."""
    try:
        with _connect(socket_path(home), timeout) as sock:
            _send(sock, {"op": "ping"})
            answer = _Answers(sock).next()
            return None if answer is None else int(answer["pong"])
    except (OSError, ValueError, KeyError, TypeError, WorkerError):
        return None


def running_worker(home: Path) -> WorkerState | None:
    """The recorded worker if it answers on its socket."""
    state = read_record(home)
    if state is None or ping(home) != state.pid:
        return None
    return state


Say = Callable[[str], None]


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def hand_off(
    argv: Sequence[str],
    home: Path,
    *,
    prog: str = "nianbao",
    fds: Sequence[int] = (0, 1, 2),
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    say: Say = _to_stderr,
) -> int | None:
    """Run `argv` in the worker of `home`; its exit code, or None when no worker took the job (run it here).

    The job's output goes straight to `fds` (stdin, stdout, stderr). Ctrl-C here is passed on to the
    job as SIGINT. A socket that exists but does not answer, or a worker that declines, is one note.
    """
    path = socket_path(home)
    if not path.exists():
        return None
    request = {
        "op": "run",
        "argv": list(argv),
        "prog": prog,
        "cwd": cwd if cwd is not None else os.getcwd(),
        "env": dict(os.environ if env is None else env),
        "python": os.path.realpath(sys.executable),
    }
    try:
        sock = _connect(path, timeout=10.0)
    except (OSError, WorkerError) as exc:
        say(f"note: the nianbao worker does not answer at {path} ({_why(exc)}); running in this process")
        return None
    job: int | None = None
    interrupted = False  # Ctrl-C before the job's pid came: passed on as soon as it comes

    def run_here(why: str) -> None:
        """No job started in the worker: the command runs in this process, unless Ctrl-C came meanwhile."""
        say(f"note: the nianbao worker {why}; running in this process")
        if interrupted:
            raise KeyboardInterrupt from None

    with sock:
        try:
            _send(sock, request, fds)
            sock.settimeout(None)
            answers = _Answers(sock)
            while True:
                try:
                    answer = answers.next()
                except KeyboardInterrupt:
                    interrupted = True
                    continue
                if answer is None:
                    break
                if "declined" in answer:
                    run_here(f"declined ({answer['declined']})")
                    return None
                if "pid" in answer:
                    job = int(answer["pid"])
                    if interrupted:
                        _interrupt(job)
                    return _wait(answers, job, home, say)
        except (OSError, ValueError) as exc:
            if job is not None:
                return _died(home, say)
            run_here(f"failed to take the job ({_why(exc)})")
            return None
    run_here("closed the connection before starting the job")
    return None


def _interrupt(job: int) -> None:
    """Ctrl-C, passed on to the job (one that has already ended reports its own exit)."""
    try:
        os.kill(job, signal.SIGINT)
    except OSError:
        pass


def _wait(answers: _Answers, job: int, home: Path, say: Say) -> int:
    """The job's exit code; Ctrl-C (SIGINT here) goes to the job, which then ends as it would here."""
    while True:
        try:
            while (answer := answers.next()) is not None:
                if "exit" in answer:
                    return int(answer["exit"])
                if "signal" in answer:
                    number = int(answer["signal"])
                    say(f"error: the job's process in the nianbao worker was killed by {_signal_name(number)}")
                    return 128 + number
            return _died(home, say)
        except KeyboardInterrupt:
            try:
                os.kill(job, signal.SIGINT)
            except OSError:
                return _died(home, say)


def _died(home: Path, say: Say) -> int:
    say(
        f"error: the nianbao worker ended during the job (its output so far is above); see {home / LOG}, "
        "`nianbao server status`, or set NIANBAO_NO_WORKER=1 to run commands in their own process"
    )
    return WORKER_DIED


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _why(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def from_command_line(argv: Sequence[str], prog: str | None = None) -> int | None:
    """The exit code of `argv` (sys.argv) run by the worker, None to run it in this process."""
    args = list(argv[1:])
    if not args or args[0] not in HANDED or os.environ.get(NO_WORKER):
        return None
    home = prefect_home()  # imports prefect_env: PREFECT_HOME and the server's PREFECT_API_URL as the job sees them
    return hand_off(args, home, prog=prog or Path(argv[0]).name or "nianbao")


# ---------------------------------------------------------------- start and stop (`nianbao server`)


def worker_command(home: Path, server_pid: int) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli.warm_worker", "--home", str(home), "--server-pid", str(server_pid)]


def start_worker(
    home: Path, server_pid: int, server_url: str, timeout: float = 120.0, env: Mapping[str, str] | None = None
) -> tuple[WorkerState, bool]:
    """The worker of `home`, started (detached, its own session) if none answers; True when this call started it.

    It serves the server `server_url` (process `server_pid`) and ends when that process ends; its
    environment is `env` (default: this process's), with that server's PREFECT_HOME and PREFECT_API_URL.
    """
    current = running_worker(home)
    if current is not None and current.server_pid == server_pid:
        return current, False
    if current is not None:
        stop_worker(home)
    private_dir(socket_dir(home), create=True)
    log = home / LOG
    environment = dict(os.environ if env is None else env, PREFECT_HOME=str(home), PREFECT_API_URL=server_url)
    environment.pop(NO_WORKER, None)
    pid = launch(worker_command(home, server_pid), log, environment)
    state = WorkerState(pid, str(socket_path(home)), server_pid, str(log))
    deadline = time.monotonic() + timeout
    while ping(home, timeout=1.0) != pid:
        if exited(pid) or time.monotonic() > deadline:
            end_process_group(pid)
            raise WorkerError(f"the nianbao worker did not start within {timeout:.0f} s; see {log}")
        time.sleep(0.2)
    record_path(home).write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    return state, True


def stop_worker(home: Path) -> WorkerState | None:
    """End the recorded worker's process group (its running jobs too) and remove the record and socket."""
    state = read_record(home)
    if state is None:
        return None
    if _is_worker(state.pid):
        end_process_group(state.pid)
    record_path(home).unlink(missing_ok=True)
    Path(state.socket).unlink(missing_ok=True)
    return state


def _is_worker(pid: int) -> bool:
    """`pid` still names a warm worker (not a reused pid)."""
    try:
        return b"pipeline.cli.warm_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
