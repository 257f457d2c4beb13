"""The warm nianbao worker: a process with everything imported, forking one child per handed-off command.

    python -m pipeline.cli.warm_worker --home PREFECT_HOME --server-pid PID   (started by `nianbao server start`)

At start it imports what a command would spend its first seconds on (Prefect with its flow and task
engines, Great Expectations with one context, pandas, both readers, the stages, the command line)
and listens on the Unix socket of `pipeline.handoff`. Each connection is served by a forked
supervisor, which forks the job's own process (the command line, on the caller's descriptors, in
the caller's folder and environment) and reports its exit status. So a job that crashes, is killed
or times out ends its own process only; the worker never runs a command itself.

Forking is only safe from a process with one thread: the worker starts none (it checks before every
fork and refuses a job otherwise; the native pools of OpenBLAS and jemalloc handle fork themselves).
It ends when the Prefect server it serves ends, or on SIGTERM (`nianbao server stop`).
"""

from __future__ import annotations

import argparse
import array
import gc
import hashlib
import io
import json
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..batch.lifeline import process_alive
from ..handoff import private_dir, socket_path

Job = Callable[[Sequence[str], str], None]  # (argv, prog): runs the command; ends the process itself
_ROOT = Path(__file__).resolve().parents[2]
_CODE = ("pipeline", "flows")
_FIXED_ENV = "PREFECT_"  # Prefect reads these once, at import: a job cannot change them
_FDS = 3
_KEPT = ExitStack()  # contexts entered for the worker's whole life


def preload() -> None:
    """Import what a command otherwise imports on its start path and during its first flow run (the
    list: the modules a job still imported, found by diffing `sys.modules`), and pay the first-call
    costs that start no thread (Prefect's parameter encoder, a validation run with its Data Docs)."""
    import pipeline.prefect_env  # before prefect

    # isort: split
    import multiprocessing.synchronize  # noqa: F401

    import anyio.streams.memory
    import anyio.streams.stapled
    import anyio.streams.tls  # noqa: F401
    import fastapi.encoders  # noqa: F401  (Prefect encodes flow parameters with it)
    import jinja2.ext  # noqa: F401
    import opentelemetry.metrics  # noqa: F401
    import prefect.client.orchestration
    import prefect.flow_engine
    import prefect.task_engine
    import prefect.utilities.visualization  # noqa: F401
    import pyarrow.pandas_compat  # noqa: F401
    import pydantic.color  # noqa: F401
    from PIL import Image, PngImagePlugin  # noqa: F401  (the review page's PNGs)

    import flows.ingest
    import pipeline.batch.preload  # the stages, their libraries, Great Expectations and one context
    import pipeline.cli.ingest
    import pipeline.cli.startup
    import pipeline.glyph_paint
    import pipeline.readers.pdfium_reader
    import pipeline.readers.pdfplumber_reader
    import pipeline.review
    import pipeline.review_html  # noqa: F401
    from pipeline.batch.params import RunParams

    flows.ingest.ingest_report.serialize_parameters({"params": RunParams()})
    # the worker runs only `ingest` (handoff.HANDED): its jobs start in the flow-run settings that
    # command enters, already made; the block is never left, so `_KEPT` holds it
    _KEPT.enter_context(flows.ingest.command_run_settings())
    try:
        from pipeline.validate.warm import warm_up

        warm_up()  # GX's first-run costs (~0.4 s a job), paid here once
    except Exception:  # only speed is lost: each job then pays them
        pass


def freeze_heap() -> None:
    """Leave what preload made out of every later garbage collection (`gc.freeze`), the jobs' too.

    A job's process holds the worker's ~430,000 objects (Prefect, GX, pandas, the readers), and the
    job's one full collection walked them all: 0.35-0.39 s of a warm ingest, measured with
    `gc.callbacks`, 4 pages or 70 (0.02 s frozen). Walking them also wrote to every object's header
    and so copied the shared pages into the job. Garbage of the warm-up is collected first.
    """
    gc.collect()
    gc.freeze()


def code_fingerprint(root: Path = _ROOT) -> str:
    """The names, sizes and times of the project's code and data files: a job runs only the code it was asked for."""
    h = hashlib.sha256()
    for part in _CODE:
        for folder, dirs, files in sorted(os.walk(root / part)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                h.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def run_command(argv: Sequence[str], prog: str) -> None:
    """The job: the command line exactly as `nianbao ARGV` runs it (the app ends the process)."""
    from . import app

    app(args=list(argv), prog_name=prog)


def _fixed(env: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(_FIXED_ENV)}


def declined(request: dict[str, Any], fingerprint: str) -> str | None:
    """Why this worker cannot run `request` as its caller would run it, or None."""
    if request.get("python") != os.path.realpath(sys.executable):
        return "another Python environment"
    if code_fingerprint() != fingerprint:
        return "the code changed since it started: `nianbao server stop` and `start` reload it"
    if _fixed(request["env"]) != _fixed(os.environ):
        return "another Prefect environment (PREFECT_* variables)"
    return None


def _peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request line and the descriptors sent with it."""
    fds = array.array("i")
    data = b""
    while b"\n" not in data:
        chunk, ancdata, _flags, _addr = conn.recvmsg(65536, socket.CMSG_SPACE(_FDS * fds.itemsize))
        if not chunk:
            raise ConnectionError("the caller closed the connection")
        for level, kind, cdata in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(cdata[: len(cdata) - len(cdata) % fds.itemsize])
        data += chunk
    return json.loads(data.split(b"\n", 1)[0]), list(fds)


def _answer(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall(json.dumps(message).encode("utf-8") + b"\n")


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()


def _become_job(request: dict[str, Any], fds: list[int], job: Job) -> None:
    """In the job's process: the caller's descriptors, folder, environment and signals; then the command."""
    try:
        for target, fd in enumerate(fds[:_FDS]):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None  # TMPDIR as the caller has it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            if isinstance(stream, io.TextIOWrapper):  # line-buffered on a terminal, as Python sets it up there
                stream.reconfigure(line_buffering=os.isatty(fd) or fd == 2)
        sys.argv = [request["prog"], *request["argv"]]
        job(request["argv"], request["prog"])
    except SystemExit as exc:
        from .startup import exit_now

        exit_now(exc.code)
    except BaseException:
        import traceback

        traceback.print_exc()
        _flush()
        os._exit(1)
    os._exit(0)


def supervise(conn: socket.socket, job: Job, fingerprint: str) -> None:
    """One connection, in its own process: answer a ping, or run the job in a child and report how it ended."""
    if _peer_uid(conn) != os.getuid():
        return
    request, fds = _receive(conn)
    if request.get("op") == "ping":
        _answer(conn, {"pong": os.getppid()})
        return
    why = declined(request, fingerprint) if len(fds) == _FDS else "no standard streams were passed"
    if why is not None:
        _answer(conn, {"declined": why})
        return
    if threading.active_count() != 1:
        _answer(conn, {"declined": "the worker has threads: forking it is unsafe"})
        return
    _flush()
    pid = os.fork()
    if pid == 0:
        conn.close()
        _become_job(request, fds, job)
    for fd in fds:
        os.close(fd)
    _answer(conn, {"pid": pid})
    status = _wait_job(pid, conn)
    ended = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.waitstatus_to_exitcode(status)}
    try:
        _answer(conn, ended)
    except OSError:  # the caller has gone
        pass


def _wait_job(pid: int, conn: socket.socket) -> int:
    """The job's wait status; a caller that goes away (its connection closes) takes the job with it (SIGTERM).

    Woken by the job's end itself through a pidfd (Linux): polled every 0.2 s, the caller waited
    0.1 s on average after its job had ended, a tenth of a warm 4-page ingest. Elsewhere it polls.
    """
    pidfd = _pidfd(pid)
    gone = False
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return status
            watched: list[Any] = [] if pidfd is None else [pidfd]
            if not gone:
                watched.append(conn)
            if not watched:
                time.sleep(0.2)
                continue
            readable, _, _ = select.select(watched, [], [], 0.2 if pidfd is None else None)
            if conn in readable and _closed(conn):
                gone = True
                os.kill(pid, signal.SIGTERM)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _closed(conn: socket.socket) -> bool:
    """Whether the caller closed its end: an end of file, or a reset (it closed with our answer unread)."""
    try:
        return not conn.recv(1)
    except OSError:
        return True


def _pidfd(pid: int) -> int | None:
    """A descriptor that turns readable when process `pid` ends, or None where the system has none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux, or a kernel before 5.3 / a sandbox that refuses it
        return None


def serve(path: Path, job: Job = run_command, server_pid: int | None = None, poll: float = 1.0) -> None:
    """Listen on `path` (mode 0600 in a private folder) until SIGTERM or until process `server_pid` ends."""
    private_dir(path.parent, create=True)
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    listener.listen(16)
    listener.settimeout(poll)
    mine = os.stat(path).st_ino
    fingerprint = code_fingerprint()

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the supervisors are reaped by the system
    print(f"nianbao worker {os.getpid()} listening on {path}", flush=True)
    try:
        while server_pid is None or process_alive(server_pid):
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            _flush()
            if os.fork() == 0:
                _in_supervisor(listener, conn, job, fingerprint)
            conn.close()
    finally:
        listener.close()
        try:
            if os.stat(path).st_ino == mine:
                path.unlink()
        except OSError:
            pass


def _in_supervisor(listener: socket.socket, conn: socket.socket, job: Job, fingerprint: str) -> None:
    listener.close()
    for sig in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    code = 0
    try:
        conn.settimeout(None)
        supervise(conn, job, fingerprint)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        _flush()
        os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--server-pid", type=int, default=None)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    preload()
    freeze_heap()
    print(f"nianbao worker {os.getpid()}: imports ready in {time.perf_counter() - t0:.1f} s", flush=True)
    serve(socket_path(args.home), server_pid=args.server_pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
