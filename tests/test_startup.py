"""Start-up (issue 14): a light CLI import graph, the first document read ahead of its flow, and the
long-lived Prefect server of `nianbao server start|stop|status`.

The server's logic (health wait, record, reuse by later commands, stop of its process group, a
server that dies at start) is tested with the launch replaced by a tiny HTTP process that stands in
for `prefect server start`: the real one takes 10-40 s to come up on a fresh database. One test
starts and stops the real server all the same (about half a minute), because the command line it
is launched with and its /health answer are what the stand-in cannot check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import prefect_server
from pipeline.cli import app
from pipeline.cli.startup import read_ahead
from pipeline.deadline import DocumentTimeout
from pipeline.prefect_server import (
    ServerError,
    process_alive,
    read_state,
    running_server,
    start_server,
    state_path,
    stop_server,
)
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.sourcepath import recorded_path
from pipeline.stages import STAGE_NAMES, STAGES, Work, remaining, run_stage, run_stages

from .pdfgen import build_pdf, style

runner = CliRunner()

HEAVY = ("pandas", "great_expectations", "prefect", "pdfplumber", "pdfminer", "pypdfium2", "camelot", "duckdb")


def test_cli_import_graph_is_light() -> None:
    """What `nianbao ingest` imports before its first line: typer and rich, none of the heavy libraries."""
    code = "import sys, pipeline.cli; print(' '.join(sorted(m for m in sys.modules if '.' not in m)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "typer" in out and "rich" in out
    assert [m for m in HEAVY if m in out] == []


def test_the_script_hands_off_before_the_command_line_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry imports only the handoff (no typer, rich, model) before a worker takes the command."""
    code = (
        "import sys, pipeline.entry, pipeline.handoff; "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('typer', 'rich', 'pydantic', 'pipeline'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "pipeline.entry" in out and "pipeline.handoff" in out
    assert [m for m in out if m.split(".")[0] in ("typer", "rich", "pydantic") or m.startswith("pipeline.cli")] == []
    assert "pipeline.settings" not in out and "pipeline.batch.plan" not in out  # the batch package imports none

    from pipeline import entry, handoff

    seen: list[list[str]] = []

    def handed(argv: list[str], prog: str | None = None) -> int:
        seen.append(list(argv))
        return 3

    monkeypatch.setattr(handoff, "from_command_line", handed)
    monkeypatch.setattr(sys, "argv", ["nianbao", "ingest", "x.pdf"])
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 3 and seen == [["nianbao", "ingest", "x.pdf"]]  # the worker's status, app never run


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportlab.platypus import Paragraph

    path = tmp_path_factory.mktemp("startup") / "one.pdf"
    return build_pdf(path, [Paragraph("一、学校概况", style("h", 16)), Paragraph("学校坚持立德树人。" * 8, style("b"))])


def test_first_line_comes_before_any_heavy_work(pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The "reading" line is printed before the flow runner (Prefect, GX, the read) is even asked for."""
    from pipeline.cli import ingest as ingest_cli

    def runner_not_reached(*args: object, **kwargs: object) -> None:
        raise SystemExit(7)

    monkeypatch.setattr(ingest_cli, "flow_runner", runner_not_reached)
    result = runner.invoke(app, ["ingest", str(pdf), "-o", str(tmp_path / "o"), "--no-db"])
    assert result.exit_code == 7
    assert result.stderr.splitlines() == ["reading 1 file …"]


def test_read_ahead_hands_its_load_to_the_matching_flow_once(pdf: Path) -> None:
    ahead = read_ahead(pdf, DEFAULT_SETTINGS, None, [])
    flow_work = Work(pdf, DEFAULT_SETTINGS, Path("out"), review=True, source_name=recorded_path(pdf))
    got = ahead(flow_work)
    expected = run_stage(STAGES[0], Work(pdf, DEFAULT_SETTINGS, source_name=recorded_path(pdf)))
    assert got.loaded == expected.loaded and got.loaded is not None
    assert [name for name, _ in got.seconds] == ["load"]
    assert remaining(got) == STAGES[1:] and remaining(flow_work) == STAGES
    assert (got.output, got.review) == (Path("out"), True)  # the flow's own fields kept
    assert ahead(flow_work) is flow_work  # handed over once: the records are not held twice


def test_read_ahead_is_not_used_for_another_reading(pdf: Path) -> None:
    ahead = read_ahead(pdf, DEFAULT_SETTINGS, None, [])
    other_reader = replace(DEFAULT_SETTINGS, load=replace(DEFAULT_SETTINGS.load, reader="pdfplumber"))
    other_settings = replace(DEFAULT_SETTINGS, load=replace(DEFAULT_SETTINGS.load, reader="pdfium"))
    settings = other_reader if other_reader != DEFAULT_SETTINGS else other_settings
    for work in (
        Work(pdf, settings, source_name=recorded_path(pdf)),
        Work(pdf, DEFAULT_SETTINGS, password="x", source_name=recorded_path(pdf)),
        Work(pdf.with_name("other.pdf"), DEFAULT_SETTINGS, source_name=recorded_path(pdf)),
    ):
        assert ahead(work) is work


def test_read_ahead_of_a_bad_file_leaves_the_failure_to_the_flow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    work = Work(bad, DEFAULT_SETTINGS, source_name=str(bad))
    assert read_ahead(bad, DEFAULT_SETTINGS, None, [])(work) is work


def test_read_ahead_timeout_fails_the_flow_at_once(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.cli import startup

    def spins(stage: object, work: Work) -> Work:
        raise DocumentTimeout(work.path, "timed out after 1 s (--timeout)")

    monkeypatch.setattr(startup, "run_stage", spins)
    ahead = read_ahead(pdf, DEFAULT_SETTINGS, None, [], timeout=1)
    with pytest.raises(DocumentTimeout):
        ahead(Work(pdf, DEFAULT_SETTINGS, source_name=recorded_path(pdf)))


def test_remaining_skips_what_ran() -> None:
    work = Work(Path("x.pdf")).timed("load", 0.1).timed("layout", 0.2)
    assert tuple(s.name for s in remaining(work)) == STAGE_NAMES[2:]


# ---------------------------------------------------------------- the long-lived server

# stands in for `prefect server start`: answers every GET with 200 on the port after "--port"
STAND_IN = """
import sys, http.server
port = int(sys.argv[sys.argv.index("--port") + 1])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"true")
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""


def stand_in(command: Sequence[str], log: Path, env: dict[str, str]) -> int:
    """The real `launch`, on the stand-in's code with the real command's arguments."""
    args = list(command)
    assert args[args.index("server") : args.index("server") + 2] == ["server", "start"]
    return prefect_server.launch([sys.executable, "-c", STAND_IN, *args[3:]], log, env)


def test_server_start_records_status_reuses_and_stop_ends_it(tmp_path: Path) -> None:
    home = tmp_path / "prefect"
    state, started = start_server(home, port=prefect_server.free_port(45123), launcher=stand_in)
    try:
        assert started and read_state(home) == state and running_server(home) == state
        assert state.url == f"http://127.0.0.1:{state.port}/api"
        assert start_server(home, launcher=lambda *a: pytest.fail("started twice")) == (state, False)
        # a later command's environment points at it
        code = "import os, pipeline.prefect_env; print(os.environ.get('PREFECT_API_URL'))"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
            "NIANBAO_PREFECT_HOME": str(home),
            "PREFECT_HOME": str(home),
        }
        shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert shown.stdout.strip() == state.url
    finally:
        assert stop_server(home) == state
    assert not state_path(home).exists() and not process_alive(state.pid)
    assert running_server(home) is None and stop_server(home) is None


def test_stale_record_is_not_used(tmp_path: Path) -> None:
    home = tmp_path / "prefect"
    home.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    record = {"pid": dead.pid, "port": 45999, "url": "http://127.0.0.1:45999/api", "log": ""}
    state_path(home).write_text(json.dumps(record), encoding="utf-8")
    assert read_state(home) is not None and running_server(home) is None


def test_server_that_dies_at_start_is_an_error_naming_its_log(tmp_path: Path) -> None:
    def dies(command: Sequence[str], log: Path, env: dict[str, str]) -> int:
        return prefect_server.launch([sys.executable, "-c", "import sys; print('port taken'); sys.exit(1)"], log, env)

    home = tmp_path / "prefect"
    t0 = time.monotonic()
    with pytest.raises(ServerError, match=r"nianbao-server\.log"):
        start_server(home, launcher=dies, timeout=60)
    assert time.monotonic() - t0 < 30  # noticed when the process exits, not at the timeout
    assert read_state(home) is None
    assert "port taken" in (home / "nianbao-server.log").read_text(encoding="utf-8")


def test_server_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "prefect"
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setattr("pipeline.cli.server.start_server", _start_with_stand_in)
    result = runner.invoke(app, ["server", "status"])
    assert result.exit_code == 1 and "no Prefect server running" in result.stdout
    result = runner.invoke(app, ["server", "start", "--port", str(prefect_server.free_port(45124))])
    assert result.exit_code == 0 and "started at http://127.0.0.1:" in result.stdout, result.output
    state = read_state(home)
    assert state is not None
    try:
        result = runner.invoke(app, ["server", "status"])
        assert result.exit_code == 0 and state.url in result.stdout
    finally:
        result = runner.invoke(app, ["server", "stop"])
    assert result.exit_code == 0 and f"stopped the Prefect server at {state.url}" in result.stdout
    assert not process_alive(state.pid)
    assert "nothing to stop" in runner.invoke(app, ["server", "stop"]).stdout


def _start_with_stand_in(home: Path, port: int, timeout: float) -> tuple[prefect_server.ServerState, bool]:
    return start_server(home, port, timeout, launcher=stand_in)


def test_real_prefect_server_starts_answers_and_stops(tmp_path: Path) -> None:
    """The real `prefect server start` (fresh database: tens of seconds), reached, then stopped."""
    home = tmp_path / "prefect"
    state, started = start_server(home, port=prefect_server.free_port(45125), timeout=240)
    try:
        assert started and prefect_server.healthy(state.url)
        assert running_server(home) == state
    finally:
        stop_server(home)
    assert not process_alive(state.pid) and not prefect_server.port_open(state.port)


# ---------------------------------------------------------------- exit


EXIT_PROBE = """
import atexit, sys, threading, time
from pipeline.cli import app
atexit.register(lambda: print("atexit ran", flush=True))
worker = threading.Thread(target=lambda: (time.sleep(0.3), print("thread done")))
worker.start()
print("buffered line", end="")  # no newline, no flush: exit must flush it
app(sys.argv[1:], prog_name="nianbao")
print("not reached")
"""


@pytest.mark.parametrize(("args", "status"), [(["--version"], 0), (["ingest", "/no/such.pdf"], 1), (["--bogus"], 2)])
def test_the_command_exits_with_its_status_after_the_exit_handlers(args: list[str], status: int) -> None:
    """`exit_now` skips only the interpreter's teardown: threads joined, atexit run, output flushed."""
    run = subprocess.run([sys.executable, "-c", EXIT_PROBE, *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == status, run.stderr
    assert "buffered line" in run.stdout and "thread done" in run.stdout and "not reached" not in run.stdout
    assert run.stdout.rstrip().endswith("atexit ran")  # the handlers run after the command, before the end


# ---------------------------------------------------------------- the review's pages, drawn since load


def test_pages_rendered_since_load_are_the_ones_review_draws(pdf: Path, tmp_path: Path) -> None:
    loaded = run_stage(STAGES[0], Work(pdf, DEFAULT_SETTINGS, tmp_path, review=True))
    assert loaded.render is not None
    through_review = STAGES[1 : STAGE_NAMES.index("review") + 1]
    overlapped = run_stages(loaded, through_review)
    alone = run_stages(replace(loaded, render=None), through_review)  # the review stage renders itself
    assert overlapped.render is None and overlapped.review_files is not None
    assert overlapped.review_files == alone.review_files and any(k.endswith(".png") for k in alone.review_files or {})


def test_the_review_stage_draws_what_write_review_draws_from_the_written_validation_json(
    pdf: Path, tmp_path: Path
) -> None:
    from pipeline.review import INDEX, REVIEW_DIR, write_review

    done = run_stages(Work(pdf, DEFAULT_SETTINGS, tmp_path, review=True), STAGES)
    assert done.folder is not None and done.validation is not None and done.validation.summary.evaluated > 0
    page = (done.folder / REVIEW_DIR / INDEX).read_bytes()
    assert write_review(done.folder, pdf).read_bytes() == page


def test_a_run_that_stops_early_cancels_its_render(pdf: Path) -> None:
    loaded = run_stage(STAGES[0], Work(pdf, DEFAULT_SETTINGS, review=True))

    def broken(stage: object, work: Work) -> Work:
        raise RuntimeError("layout broke")

    with pytest.raises(RuntimeError, match="layout broke"):
        run_stages(loaded, STAGES[1:], run=broken)
    assert loaded.render is not None
    with pytest.raises(RuntimeError, match="cancelled"):
        loaded.render.result()


def test_the_render_runs_in_a_process_of_its_own_with_the_same_pages(pdf: Path) -> None:
    """In its own process (pdfium free for this one, no GIL shared) it draws what page_scans draws here."""
    from pipeline.review import PageRender, page_scans

    render = PageRender(pdf)
    assert render.start_process() and render.separate
    scans, images = render.result()
    here, here_images = page_scans(pdf)
    assert scans == here and dict(images) == dict(here_images) and len(images) == len(scans) > 0


def test_where_no_process_may_start_the_render_runs_in_a_thread(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import review

    monkeypatch.setattr(review, "separate_process_allowed", lambda: False)  # a daemonic batch worker
    render = review.PageRender(pdf)
    assert not render.start_process() and not render.separate
    scans, images = render.start().result()
    assert [(s.page, s.chars) for s in scans] == [(s.page, s.chars) for s in review.page_scans(pdf)[0]]
    assert len(images) == len(scans)


def test_a_render_process_that_dies_is_drawn_here(pdf: Path) -> None:
    from pipeline.review import PageRender, page_scans

    render = PageRender(pdf)
    assert render.start_process()
    os.kill(render._proc.pid, 9)
    scans, images = render.result()
    assert scans == page_scans(pdf)[0] and len(images) == len(scans)


def test_a_cancelled_render_process_ends_and_leaves_no_folder(pdf: Path) -> None:
    from pipeline.review import PageRender

    render = PageRender(pdf)
    assert render.start_process()
    proc, folder = render._proc, Path(render._folder.name)
    render.cancel()
    assert not proc.is_alive() and not folder.exists()
    with pytest.raises(RuntimeError, match="cancelled"):
        render.result()


def test_a_load_that_fails_cancels_the_render_it_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import review
    from pipeline.errors import InputError

    started: list[review.PageRender] = []
    real = review.PageRender.start_process

    def noting(self: review.PageRender) -> bool:
        started.append(self)
        return real(self)

    monkeypatch.setattr(review.PageRender, "start_process", noting)
    bad = tmp_path / "not.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(InputError):
        run_stage(STAGES[0], Work(bad, DEFAULT_SETTINGS, review=True))
    assert len(started) == 1
    with pytest.raises(RuntimeError, match="cancelled"):
        started[0].result()


def test_the_ingest_command_runs_its_flows_without_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even against a long-lived server: a run of seconds emitted one and then waited up to 1 s for its thread."""
    from prefect.settings import get_current_settings

    from flows.ingest import command_run_settings

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with command_run_settings():
        inside = get_current_settings()
        assert inside.flows.heartbeat_frequency is None
        with command_run_settings():  # already so (the warm worker's jobs start so): the same settings
            assert get_current_settings() is inside
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_health_problem_names_why_a_server_does_not_answer() -> None:
    port = prefect_server.free_port(45223)
    code = STAND_IN.replace(
        "self.send_response(200)", "self.send_response(200 if self.path.startswith('/ok/') else 503)"
    )
    server = subprocess.Popen([sys.executable, "-c", code, "--port", str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while prefect_server.health_problem(f"{base}/ok") is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert prefect_server.health_problem(f"{base}/ok") is None and prefect_server.healthy(f"{base}/ok")
        assert prefect_server.health_problem(f"{base}/api") == "HTTP 503 Service Unavailable"
    finally:
        server.kill()
        server.wait()
    refused = prefect_server.health_problem(f"http://127.0.0.1:{port}/api")
    assert refused is not None and "refused" in refused.lower()
    assert prefect_server.health_problem("no-scheme") is not None and not prefect_server.healthy("no-scheme")


def test_read_ahead_hands_its_render_to_a_reviewing_flow_only(pdf: Path) -> None:
    flow_work = Work(pdf, DEFAULT_SETTINGS, review=True, source_name=recorded_path(pdf))
    handed = read_ahead(pdf, DEFAULT_SETTINGS, None, [], review=True)(flow_work).render
    assert handed is not None
    handed.cancel()  # as the flow's review stage joins it: pdfium (the reader too) is not thread-safe
    ahead = read_ahead(pdf, DEFAULT_SETTINGS, None, [], review=True)
    render = ahead.read.render if ahead.read is not None else None
    got = ahead(replace(flow_work, review=False))
    assert got.loaded is not None and got.render is None and render is not None
    with pytest.raises(RuntimeError, match="cancelled"):
        render.result()
