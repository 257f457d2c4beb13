"""The warm worker (issue 14): commands handed over its Unix socket run in a forked process per job.

The protocol, the isolation of jobs (a crash or a timeout ends the job's process only), the
fallbacks (no socket, a stale one, a worker that declines, one that dies mid-job) and the
socket's privacy are tested against a worker whose job is a stand-in (`STAND_IN`), so no Prefect
server is needed. One test starts the real Prefect server and worker (`nianbao server start`, half
a minute) and checks that a command run through the worker writes the same files and exits with
the same code as the same command run in its own process.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.platypus import Paragraph
from typer.testing import CliRunner

from pipeline import prefect_server
from pipeline.batch.lifeline import process_alive
from pipeline.cli import app
from pipeline.handoff import (
    NO_WORKER,
    WORKER_DIED,
    hand_off,
    ping,
    private_dir,
    read_record,
    running_worker,
    socket_path,
    start_worker,
    stop_worker,
)

from .pdfgen import build_pdf, style

ROOT = Path(__file__).resolve().parents[1]

# a worker whose job is this function instead of the command line
STAND_IN = r"""
import os, signal, sys, time
from pathlib import Path
from pipeline.cli.warm_worker import serve

def job(argv, prog):
    if argv[0] == "echo":
        print(" ".join(argv[1:]), os.getcwd(), os.environ.get("NIANBAO_TEST_VALUE"), prog)
        print("to stderr", file=sys.stderr)
        sys.exit(3)
    if argv[0] == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if argv[0] == "timeout":
        from pipeline.deadline import time_limit
        with time_limit(0.3, "slow.pdf"):
            time.sleep(30)
    if argv[0] == "sleep":
        print("started", flush=True)
        time.sleep(60)

serve(Path(sys.argv[1]), job=job, poll=0.2)
"""


class Streams:
    """Files standing in for a terminal: the descriptors handed to the worker, and what was written to them."""

    def __init__(self, folder: Path) -> None:
        self.paths = [folder / name for name in ("stdin", "stdout", "stderr")]
        self.paths[0].write_bytes(b"")
        self.files = [p.open("rb" if i == 0 else "wb") for i, p in enumerate(self.paths)]

    def fds(self) -> tuple[int, int, int]:
        a, b, c = (f.fileno() for f in self.files)
        return a, b, c

    def text(self, which: int) -> str:
        return self.paths[which].read_text(encoding="utf-8")

    def close(self) -> None:
        for f in self.files:
            f.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def stand_in(home: Path) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-c", STAND_IN, str(socket_path(home))], cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while ping(home, timeout=0.5) != proc.pid:
        assert proc.poll() is None and time.monotonic() < deadline, "the stand-in worker did not come up"
        time.sleep(0.1)
    yield proc
    prefect_server.end_process_group(proc.pid, grace=5)


def run(home: Path, tmp_path: Path, *argv: str, **kw: Any) -> tuple[int | None, Streams, list[str]]:
    streams, notes = Streams(tmp_path), []
    try:
        code = hand_off(list(argv), home, fds=streams.fds(), say=notes.append, **kw)
        return code, streams, notes
    finally:
        streams.close()


def test_a_job_runs_in_the_callers_folder_environment_and_streams(home: Path, tmp_path: Path, stand_in: Any) -> None:
    env = dict(os.environ, NIANBAO_TEST_VALUE="passed")
    code, streams, notes = run(home, tmp_path, "echo", "hello", env=env, cwd=str(tmp_path), prog="nb")
    assert (code, notes) == (3, [])
    assert streams.text(1).split() == ["hello", str(tmp_path), "passed", "nb"]
    assert streams.text(2) == "to stderr\n"


def test_socket_is_private(home: Path, stand_in: Any) -> None:
    path = socket_path(home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_ISSOCK(path.stat().st_mode)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_crash_and_timeout_end_the_job_only(home: Path, tmp_path: Path, stand_in: subprocess.Popen[bytes]) -> None:
    code, _, notes = run(home, tmp_path, "crash")
    assert code == 128 + signal.SIGSEGV and "SIGSEGV" in notes[0]
    code, _, _ = run(home, tmp_path, "timeout")
    assert code == 1 and "DocumentTimeout" in (tmp_path / "stderr").read_text(encoding="utf-8")
    assert ping(home) == stand_in.pid  # the worker itself lives on and takes the next job
    assert run(home, tmp_path, "echo", "again")[0] == 3


def test_no_socket_runs_here_silently(home: Path, tmp_path: Path) -> None:
    code, _, notes = run(home, tmp_path, "echo")
    assert code is None and notes == []


def test_stale_socket_falls_back_with_a_note(home: Path, tmp_path: Path) -> None:
    path = socket_path(home)
    private_dir(path.parent, create=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening: what a killed worker leaves
    dead.close()
    code, _, notes = run(home, tmp_path, "echo")
    assert code is None and len(notes) == 1 and "does not answer" in notes[0] and "running in this process" in notes[0]


def test_a_folder_others_can_enter_is_not_used(home: Path, tmp_path: Path, stand_in: Any) -> None:
    socket_path(home).parent.chmod(0o755)
    code, _, notes = run(home, tmp_path, "echo")
    assert code is None and "not a private folder" in notes[0]


def test_another_prefect_environment_is_declined(home: Path, tmp_path: Path, stand_in: Any) -> None:
    env = dict(os.environ, PREFECT_API_URL="http://127.0.0.1:9/api")
    code, _, notes = run(home, tmp_path, "echo", env=env)
    assert code is None and "declined" in notes[0] and "PREFECT_" in notes[0]


def test_worker_that_dies_mid_job_is_reported(home: Path, tmp_path: Path, stand_in: subprocess.Popen[bytes]) -> None:
    def kill_when_started() -> None:
        out = tmp_path / "stdout"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "started" not in (out.read_text() if out.exists() else ""):
            time.sleep(0.05)
        os.killpg(stand_in.pid, signal.SIGKILL)  # the worker, its supervisor and the job

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    code, _, notes = run(home, tmp_path, "sleep")
    killer.join()
    assert code == WORKER_DIED and "ended during the job" in notes[-1]


CLIENT = r"""
import sys
from pathlib import Path
from pipeline.handoff import hand_off
sys.exit(hand_off(["sleep"], Path(sys.argv[1])))
"""


def test_ctrl_c_goes_to_the_job(home: Path, tmp_path: Path, stand_in: subprocess.Popen[bytes]) -> None:
    """SIGINT to the command (Ctrl-C) reaches the job, which ends as it would have in the command itself."""
    client = subprocess.Popen(
        [sys.executable, "-c", CLIENT, str(home)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert client.stdout is not None and client.stdout.readline() == "started\n"
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=60)
    assert client.returncode == 1 and "KeyboardInterrupt" in err and "ended during the job" not in err
    assert ping(home) == stand_in.pid


# ---------------------------------------------------------------- the real server and worker


def _normalized(folder: Path) -> dict[str, Any]:
    """Every file but the Data Docs (named by time), with run ids, times and timings taken out; the
    manifest lists file hashes, compared here through the files themselves."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            drop = {"run_id", "created", "timings", "seconds", "run_time", "timestamp"}
            return {k: scrub(v) for k, v in value.items() if k not in drop and not k.startswith("data_docs/")}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    files: dict[str, Any] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and "data_docs/" not in rel:
            files[rel] = scrub(json.loads(p.read_bytes())) if p.suffix == ".json" else p.read_bytes()
    for entry in files.get("one/manifest.json", {}).get("files", {}).values():
        entry.pop("sha256", None)
    return files


def test_a_command_through_the_worker_writes_what_it_writes_alone(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (tmp_path / "in").mkdir()
    build_pdf(
        tmp_path / "in" / "one.pdf",
        [Paragraph("一、学校概况", style("h", 16)), Paragraph("学校坚持立德树人。" * 8, style("b"))],
    )
    (tmp_path / "in" / "bad.pdf").write_bytes(b"not a pdf")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), NIANBAO_PREFECT_HOME=str(home))
    env.pop(NO_WORKER, None)
    server, _ = prefect_server.start_server(home, port=prefect_server.free_port(45131), timeout=240)
    try:
        worker, started = start_worker(home, server.pid, server.url, env=env)
        assert started and read_record(home) == worker and running_worker(home) == worker
        runs = {}
        for how, extra in (("worker", {}), ("alone", {NO_WORKER: "1"})):
            out = tmp_path / how
            cmd = [sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "in"), "-o", str(out), "--no-db"]
            done = subprocess.run(cmd, cwd=tmp_path, env={**env, **extra}, capture_output=True, text=True, timeout=300)
            runs[how] = (done.returncode, done.stderr, _normalized(out))
        assert "note:" not in runs["worker"][1]  # nothing fell back
        assert runs["worker"][0] == runs["alone"][0] == 1  # bad.pdf failed, both ways
        assert [ln for ln in runs["worker"][1].splitlines() if "bad.pdf" in ln] == [
            ln for ln in runs["alone"][1].splitlines() if "bad.pdf" in ln
        ]
        assert runs["worker"][2] == runs["alone"][2] and "one/document.json" in runs["worker"][2]
        assert worker.pid in {ping(home)}  # still serving
    finally:
        stop_worker(home)
        prefect_server.stop_server(home)
    assert not process_alive(worker.pid) and not socket_path(home).exists() and read_record(home) is None


def test_server_commands_name_the_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`server start` starts the worker beside the server, `status` names both, `stop` ends both."""
    from .test_startup import stand_in as server_stand_in

    home = tmp_path / "h"
    monkeypatch.setenv("PREFECT_HOME", str(home))
    runner = CliRunner()

    def start_stand_in(h: Path, port: int, timeout: float) -> tuple[prefect_server.ServerState, bool]:
        return prefect_server.start_server(h, prefect_server.free_port(45132), timeout, launcher=server_stand_in)

    monkeypatch.setattr("pipeline.cli.server.start_server", start_stand_in)
    result = runner.invoke(app, ["server", "start"])
    try:
        assert result.exit_code == 0, result.output
        worker = read_record(home)
        assert worker is not None and f"nianbao worker started (pid {worker.pid}" in result.stdout
        status = runner.invoke(app, ["server", "status"])
        assert status.exit_code == 0 and f"nianbao worker running (pid {worker.pid}" in status.stdout
        again = runner.invoke(app, ["server", "start"])
        assert f"nianbao worker already running (pid {worker.pid}" in again.stdout
    finally:
        stopped = runner.invoke(app, ["server", "stop"])
    assert f"stopped the nianbao worker (pid {worker.pid})" in stopped.stdout
    assert not process_alive(worker.pid) and running_worker(home) is None


def test_the_supervisor_is_woken_by_its_jobs_end_and_by_a_caller_that_goes(tmp_path: Path) -> None:
    """Its wait returns the job's status once the job ends (a pidfd turns readable then, not before), and
    a caller that closes its connection takes the job with it."""
    from pipeline.cli.warm_worker import _pidfd, _wait_job

    gate = tmp_path / "gate"
    code = f"import os, time\nwhile not os.path.exists({str(gate)!r}): time.sleep(0.01)\nraise SystemExit(7)"
    job = subprocess.Popen([sys.executable, "-c", code])
    fd = _pidfd(job.pid)
    assert fd is not None  # Linux, where the tests run
    try:
        assert select.select([fd], [], [], 0.3)[0] == []  # running: not readable
        ours, theirs = socket.socketpair()
        statuses: list[int] = []
        waiter = threading.Thread(target=lambda: statuses.append(_wait_job(job.pid, ours)))
        waiter.start()
        gate.touch()
        waiter.join(timeout=30)
        assert select.select([fd], [], [], 5)[0] == [fd]
        assert statuses and os.waitstatus_to_exitcode(statuses[0]) == 7
    finally:
        os.close(fd)
    for unread in (b"", b'{"pid": 1}\n'):  # the caller went away: after reading all, or with an answer unread
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        ours, theirs = socket.socketpair()
        ours.sendall(unread)
        theirs.close()  # with data unread its end is reset, not closed: the supervisor's read fails
        status = _wait_job(sleeper.pid, ours)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
        ours.close()


def test_ctrl_c_before_the_jobs_pid_came_reaches_the_job(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C while the caller waits for the worker's first answer is passed on once the job's pid comes."""
    from pipeline import handoff

    path = socket_path(home)
    path.parent.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    job = subprocess.Popen([sys.executable, "-c", "import time\nprint('up', flush=True)\ntime.sleep(60)"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert job.stdout is not None and job.stdout.readline() == "up\n"
    answers: list[Any] = [KeyboardInterrupt, {"pid": job.pid}]

    def next_answer(self: Any) -> Any:
        if not answers:
            job.wait(timeout=30)  # the worker reports the job's end
            return {"exit": 1 if job.returncode == -signal.SIGINT else 99}
        answer = answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    monkeypatch.setattr(handoff._Answers, "next", next_answer)
    streams = Streams(tmp_path)
    try:
        code = handoff.hand_off(["sleep"], home, fds=streams.fds(), say=pytest.fail)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C ended the caller instead of reaching the job")
    finally:
        streams.close()
        listener.close()
        if job.poll() is None:
            job.kill()
    assert code == 1 and job.returncode == -signal.SIGINT  # Python ends so on an uncaught KeyboardInterrupt
    assert "KeyboardInterrupt" in (job.stderr.read() if job.stderr else "")
