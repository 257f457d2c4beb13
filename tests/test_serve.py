"""`nianbao serve`: the deployment's schedule and parameters, and the watched-folder scan (nothing is served)."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import __version__
from pipeline import cli as cli_app
from pipeline.batch.plan import changed_pdfs, file_sha256
from pipeline.settings import DEFAULT_SETTINGS, Settings

from .settings_cases import other_settings

runner = CliRunner()


def fake_output(
    out: Path, doc_id: str, pdf: Path, version: str = __version__, settings: Settings = DEFAULT_SETTINGS
) -> None:
    """What a finished document leaves behind, as far as the scan reads it: the manifest."""
    (out / doc_id).mkdir(parents=True, exist_ok=True)
    manifest = {
        "input": {"sha256": file_sha256(pdf), "path": str(pdf)},
        "pipeline_version": version,
        "settings_digest": settings.digest(),
    }
    (out / doc_id / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_deployment_has_the_cron_schedule_and_parameters(tmp_path: Path) -> None:
    from flows.schedule import build_deployment

    deployment = build_deployment(
        "0 3 * * *", name="nightly", folder=tmp_path / "raw", output=tmp_path / "out", timezone="Asia/Shanghai",
        workers=3, settle=60.0, load_db=False,
    )  # fmt: skip
    assert deployment.name == "nightly" and deployment.flow_name == "ingest-folder"
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 3 * * *" and schedule.schedule.timezone == "Asia/Shanghai"
    assert deployment.parameters == {
        "folder": str((tmp_path / "raw").resolve()),
        "output": str((tmp_path / "out").resolve()),
        "workers": 3,
        "settle": 60.0,
        "load_db": False,
    }
    assert deployment.entrypoint.endswith("ingest_folder")


def test_scan_picks_new_and_changed_pdfs_only(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "raw" / "output"  # output inside the watched folder: not scanned
    (raw / "2023").mkdir(parents=True)
    old, changed, new = raw / "old.pdf", raw / "changed.pdf", raw / "2023" / "new.pdf"
    for pdf in (old, changed, new):
        pdf.write_bytes(b"%PDF-1.4 " + pdf.name.encode())
    (raw / ".partial.pdf").write_bytes(b"%PDF")  # hidden: a download in progress
    (raw / "notes.txt").write_text("not a report", encoding="utf-8")
    fake_output(out, "old", old)
    fake_output(out, "changed", changed)
    (out / "old" / "copy.pdf").write_bytes(b"%PDF-1.4 elsewhere")
    assert changed_pdfs(raw, out) == [str(new)]
    changed.write_bytes(b"%PDF-1.4 corrected edition")
    assert changed_pdfs(raw, out) == [str(new), str(changed)]
    fake_output(out, "new", new, version="0.0.1")  # written by an older pipeline: done again
    assert changed_pdfs(raw, out) == [str(new), str(changed)]
    other = other_settings()
    assert changed_pdfs(raw, out, other) == [str(new), str(changed), str(old)]  # made with other settings
    fake_output(out, "old", old, settings=other)
    assert changed_pdfs(raw, out, other) == [str(new), str(changed)]
    assert changed_pdfs(raw, out) == [str(new), str(changed), str(old)]


def test_serve_refuses_without_a_prefect_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = runner.invoke(cli_app.app, ["serve", "--watch", str(tmp_path)])
    assert result.exit_code == 2
    assert "prefect server start" in result.stderr and "PREFECT_API_URL" in result.stderr


def test_serve_builds_and_serves_the_deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = []
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr("prefect.serve", lambda *deployments, **kw: served.extend(deployments))
    result = runner.invoke(
        cli_app.app, ["serve", "--watch", str(tmp_path), "--cron", "*/15 * * * *", "--name", "quarterly", "--no-db"]
    )
    assert result.exit_code == 0, result.output
    (deployment,) = served
    assert deployment.schedules[0].schedule.cron == "*/15 * * * *"
    assert deployment.parameters["folder"] == str(tmp_path.resolve()) and deployment.parameters["load_db"] is False
    assert "prefect deployment run 'ingest-folder/quarterly'" in result.stderr


def test_serve_passes_the_settings_values_to_the_deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = []
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr("prefect.serve", lambda *deployments, **kw: served.extend(deployments))
    settings = tmp_path / "s.json"
    settings.write_text(json.dumps(other_settings().as_dict()), encoding="utf-8")
    result = runner.invoke(cli_app.app, ["serve", "--watch", str(tmp_path), "--settings", str(settings)])
    assert result.exit_code == 0, result.output
    (deployment,) = served
    values = deployment.parameters["settings"]
    assert json.loads(json.dumps(values)) == values  # a deployment parameter must be JSON
    assert Settings.from_mapping(values) == Settings.from_file(settings)


def test_serve_refuses_bad_settings_before_anything_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr("prefect.serve", lambda *deployments, **kw: pytest.fail("served"))
    settings = tmp_path / "s.json"
    settings.write_text('{"tables": {"nope": 1}}', encoding="utf-8")
    result = runner.invoke(cli_app.app, ["serve", "--watch", str(tmp_path), "--settings", str(settings)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: --settings {settings}: unknown setting tables.nope; known:"), line


def test_scheduled_flow_with_nothing_new_ends_at_once(tmp_path: Path, prefect_harness: None) -> None:
    from flows.schedule import ingest_folder

    (tmp_path / "raw").mkdir()
    state = ingest_folder(folder=str(tmp_path / "raw"), output=str(tmp_path / "out"), return_state=True)
    assert state.is_completed() and state.result() == []


def _read_all(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other side closed
            return
        if not chunk:
            return
        into.append(chunk)


def test_serve_applies_the_project_prefect_environment_before_prefect(tmp_path: Path, prefect_harness: None) -> None:
    """`nianbao serve` in a terminal (a pty: Prefect shows its usage notice only there) with HOME an empty
    folder, no Prefect or tracking variables and no CI marker: nothing appears in HOME, no notice is printed,
    and the deployment reaches the server."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    home, watch = tmp_path / "home", tmp_path / "raw"
    home.mkdir()
    watch.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "NIANBAO_PREFECT_HOME": str(tmp_path / "prefect-home"),  # the project's home, here kept out of the checkout
        "COLUMNS": "200",
    }
    cmd = [sys.executable, "-m", "pipeline", "serve", "--watch", str(watch), "-o", str(tmp_path / "out")]
    master, slave = pty.openpty()
    proc = subprocess.Popen([*cmd, "--no-db", "--name", "home-test"], env=env, cwd=tmp_path, stdin=slave,
                            stdout=slave, stderr=slave)  # fmt: skip
    os.close(slave)
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, chunks), daemon=True)
    reader.start()
    deployment = None
    try:
        deadline = time.monotonic() + 180
        with get_client(sync_client=True) as client:
            while deployment is None and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(1)
                try:
                    deployment = client.read_deployment_by_name("ingest-folder/home-test")
                except Exception:  # not registered yet
                    deployment = None
        time.sleep(2)  # serving: the runner polls the server
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(5)
        os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert deployment is not None, text[-3000:]
    assert "serving ingest-folder/home-test" in text, text[-3000:]
    assert "anonymous usage" not in text, text[-3000:]
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []


ROOT = Path(__file__).resolve().parent.parent


def test_prefect_yaml_names_the_scheduled_flow() -> None:
    import inspect

    import yaml
    from prefect.flows import load_flow_from_entrypoint

    from flows.schedule import FLOW_NAME, ingest_folder

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    path, name = deployment["entrypoint"].split(":")
    loaded = load_flow_from_entrypoint(f"{ROOT / path}:{name}")
    assert loaded.name == FLOW_NAME == ingest_folder.name
    assert set(deployment["parameters"]) <= set(inspect.signature(ingest_folder.fn).parameters)
    assert deployment["work_pool"]["name"] == "nianbao"
    (schedule,) = deployment["schedules"]
    assert schedule["cron"] == "0 3 * * *" and schedule["timezone"]


def test_prefect_deploy_registers_the_deployment_on_a_process_pool(tmp_path: Path, prefect_harness: None) -> None:
    """`prefect deploy` as the README says, from the checkout, against the test server."""
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="nianbao", type="process"), overwrite=True)
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "HOME": str(tmp_path)}
    prefect = Path(sys.executable).parent / "prefect"
    done = subprocess.run([str(prefect), "--no-prompt", "deploy", "--name", "nightly"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("ingest-folder/nightly")
    assert deployment.work_pool_name == "nianbao" and deployment.entrypoint == "flows/schedule.py:ingest_folder"
    assert deployment.parameters["folder"] == "raw" and deployment.schedules[0].schedule.cron == "0 3 * * *"
    step = deployment.pull_steps[0]["prefect.deployments.steps.set_working_directory"]  # type: ignore[index]
    assert Path(step["directory"]) == ROOT  # runs start in the checkout: raw/ and output/ are its folders
    assert list(tmp_path.iterdir()) == []  # nothing written in HOME
