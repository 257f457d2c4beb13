"""`nianbao backfill`: isolation, idempotent re-runs, changed files, kill and restart, Dask.

Inputs are small synthetic reports (`build_variant`, ~0.3 s each) plus one copy of the real
report where a test needs a document that takes a few seconds. File times are set an hour back
so a broken file is a permanent failure, not one "still being copied in" (that case has its own test).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline import cli as cli_app
from pipeline.batch.outroot import sweep_leftovers
from pipeline.batch.plan import INDEX_FILE, file_sha256, plan_batch
from pipeline.batch.worker import WorkerOptions, run_isolated
from pipeline.cli import backfill as backfill_cli
from pipeline.settings import DEFAULT_SETTINGS, Settings

from .pdfgen_report import build_variant
from .settings_cases import other_settings

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "raw" / "cqipc-2022.pdf"
VARIANTS = ("classic", "dashed", "plain", "letter")
runner = CliRunner()


def age(path: Path, seconds: float = 3600) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four synthetic reports, a copy of one with a byte appended (another hash), and a truncated PDF."""
    folder = tmp_path_factory.mktemp("inbox")
    for name in VARIANTS:
        build_variant(name, folder)
    (folder / "classic-copy.pdf").write_bytes((folder / "classic.pdf").read_bytes() + b"\n")
    data = (folder / "plain.pdf").read_bytes()
    (folder / "broken.pdf").write_bytes(data[: len(data) // 3])
    for pdf in folder.iterdir():
        age(pdf)
    return folder


def backfill(*args: str) -> Any:
    return runner.invoke(cli_app.app, ["backfill", *args])


def statuses(output: Path) -> dict[str, str]:
    """{doc_id: input sha256} of every finished document folder (one with a manifest)."""
    found = {}
    for manifest in output.glob("*/manifest.json"):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        found[manifest.parent.name] = data["input"]["sha256"]
    return found


VOLATILE = ("validation.json", "data_docs/", "document.json")  # per-run ids and timestamps, compared below


def comparable(output: Path) -> dict[str, Any]:
    """Every document folder's input hash and output file hashes (timings and creation time left out).

    The validate stage stamps each run (validation.run_id, GX data-docs paths and pages carry
    times), so those files are compared without the stamp: document.json minus its run_id,
    validation.json and data_docs/ by their list of checks, not their bytes.
    """
    out = {}
    for manifest in sorted(output.glob("*/manifest.json")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = {k: v for k, v in data["files"].items() if not k.startswith(VOLATILE)}
        doc = json.loads((manifest.parent / "document.json").read_text(encoding="utf-8"))
        if doc.get("validation"):
            doc["validation"].pop("run_id", None)
        out[manifest.parent.name] = (data["input"]["sha256"], data["pipeline_version"], files, doc)
    return out


def hidden_leftovers(output: Path) -> list[str]:
    return [p.name for p in output.iterdir() if p.name.startswith((".tmp-", ".old-"))]


@pytest.fixture(scope="module")
def first_run(inbox: Path, tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("out")
    # --allow-invalid: the synthetic reports have no annex, which validation rightly calls an error
    return backfill(str(inbox), "--output", str(out), "--workers", "2", "--allow-invalid"), out


def test_batch_summary_counts_done_and_failed_with_reason(first_run: tuple[Any, Path]) -> None:
    result, out = first_run
    assert result.exit_code == 1, result.output  # the broken file fails the run ...
    assert "done 5, skipped 0, failed 1" in result.stdout, result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0], result.stderr
    assert "Traceback" not in result.output
    # ... and every other document is written, each in its own folder, and loaded into the database
    assert sorted(statuses(out)) == ["classic", "classic-copy", "dashed", "letter", "plain"]
    assert (out / "nianbao.duckdb").is_file()
    assert result.stdout.count(" loaded ") == 5, result.stdout
    assert hidden_leftovers(out) == []


def test_second_run_skips_every_unchanged_document(first_run: tuple[Any, Path], inbox: Path) -> None:
    _, out = first_run
    before = comparable(out)
    result = backfill(str(inbox), "--output", str(out))
    assert result.exit_code == 1  # the broken file is tried again, and fails again
    assert "done 0, skipped 5, failed 1" in result.stdout, result.stdout
    assert comparable(out) == before


def test_json_lists_every_document_with_its_status(first_run: tuple[Any, Path], inbox: Path) -> None:
    _, out = first_run
    result = backfill(str(inbox), "--output", str(out), "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)  # stdout is the object and nothing else: no bars, no table
    docs = {Path(d["path"]).name: d for d in report["documents"]}
    assert {name: d["status"] for name, d in docs.items()} == {
        "broken.pdf": "failed",
        **{f"{name}.pdf": "skipped" for name in (*VARIANTS, "classic-copy")},
    }
    assert docs["plain.pdf"]["doc_id"] == "plain" and docs["plain.pdf"]["folder"] == str(out / "plain")
    assert docs["broken.pdf"]["reason"] and docs["broken.pdf"]["doc_id"] is None
    assert report["totals"] == {**report["totals"], "documents": 6, "skipped": 5, "failed": 1, "done": 0}
    assert "6 PDF files: 1 to process, 5 unchanged" in result.stderr


def test_nothing_to_do_never_starts_prefect(
    first_run: tuple[Any, Path], inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = first_run
    monkeypatch.setattr(backfill_cli, "run_batch_flow", lambda *a, **k: pytest.fail("Prefect started"))
    good = [str(p) for p in sorted(inbox.glob("*.pdf")) if p.name != "broken.pdf"]
    t0 = time.perf_counter()
    result = backfill(*good, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "done 0, skipped 5, failed 0" in result.stdout
    assert time.perf_counter() - t0 < 2.0


def test_changed_file_is_redone_into_its_own_folder(inbox: Path, tmp_path: Path, prefect_harness: None) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("classic", "letter"):
        (src / f"{name}.pdf").write_bytes((inbox / f"{name}.pdf").read_bytes())
        age(src / f"{name}.pdf")
    out = tmp_path / "out"
    assert backfill(str(src), "--output", str(out), "--no-db").exit_code == 0
    old = statuses(out)
    (src / "letter.pdf").write_bytes((inbox / "dashed.pdf").read_bytes())  # new content, same file
    age(src / "letter.pdf")
    result = backfill(str(src), "--output", str(out), "--no-db")
    assert result.exit_code == 0, result.output
    assert "done 1, skipped 1, failed 0" in result.stdout, result.stdout
    new = statuses(out)
    assert sorted(new) == ["classic", "letter"]  # replaced in place, no hash-suffixed second folder
    assert new["classic"] == old["classic"] and new["letter"] != old["letter"]
    forced = backfill(str(src), "--output", str(out), "--no-db", "--force")
    assert "done 2, skipped 0, failed 0" in forced.stdout, forced.stdout


def test_new_pipeline_version_reprocesses(inbox: Path, tmp_path: Path) -> None:
    pdf = inbox / "classic.pdf"
    folder = tmp_path / "classic"
    folder.mkdir()
    manifest = {
        "input": {"sha256": file_sha256(pdf), "path": str(pdf)},
        "pipeline_version": "0.1.0",
        "settings_digest": DEFAULT_SETTINGS.digest(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert [i.action for i in plan_batch([pdf, pdf], tmp_path, version="0.1.0")] == ["skip", "skip"]
    (items,) = [plan_batch([pdf], tmp_path, version="0.2.0")]
    assert items[0].action == "process" and items[0].reason == "made by pipeline 0.1.0, now 0.2.0"
    assert json.loads((tmp_path / INDEX_FILE).read_text(encoding="utf-8"))["manifests"]["classic"][2:4] == [
        manifest["input"]["sha256"],
        "0.1.0",
    ]


def test_other_settings_reprocess(inbox: Path, tmp_path: Path) -> None:
    pdf = inbox / "classic.pdf"
    folder = tmp_path / "classic"
    folder.mkdir()
    manifest = {"input": {"sha256": file_sha256(pdf), "path": str(pdf)}, "pipeline_version": "0.1.0"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (unknown,) = plan_batch([pdf], tmp_path, version="0.1.0")  # written before settings were recorded
    assert unknown.action == "process" and unknown.reason == "made with other settings (classic/)"
    other = other_settings()
    (folder / "manifest.json").write_text(json.dumps({**manifest, "settings_digest": other.digest()}), "utf-8")
    assert plan_batch([pdf], tmp_path, version="0.1.0", settings=other)[0].action == "skip"
    assert plan_batch([pdf], tmp_path, version="0.1.0")[0].action == "process"
    same = Settings.from_mapping(other.as_dict())  # equal values, another object
    assert plan_batch([pdf], tmp_path, version="0.1.0", settings=same)[0].action == "skip"


def test_bad_settings_stop_the_backfill_before_planning(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backfill_cli, "plan_batch", lambda *a, **k: pytest.fail("planned"))
    settings = tmp_path / "s.toml"
    settings.write_text("[structure]\nbody = 1\n", encoding="utf-8")
    result = backfill(str(inbox), "--output", str(tmp_path / "out"), "--settings", str(settings))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: --settings {settings}: unknown setting structure.body"), line


def test_backfill_with_other_settings_redoes_and_records_them(
    inbox: Path, tmp_path: Path, prefect_harness: None
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "letter.pdf").write_bytes((inbox / "letter.pdf").read_bytes())
    age(src / "letter.pdf")
    settings = tmp_path / "s.json"
    settings.write_text(json.dumps(other_settings().as_dict()), encoding="utf-8")

    def run(*extra: str) -> str:
        result = backfill(str(src), "--output", str(out), "--no-db", *extra)
        assert result.exit_code == 0, result.output
        return result.stdout

    def digest() -> str:
        return str(json.loads((out / "letter" / "manifest.json").read_text(encoding="utf-8"))["settings_digest"])

    assert "done 1, skipped 0" in run()
    assert digest() == DEFAULT_SETTINGS.digest()
    assert "done 1, skipped 0" in run("--settings", str(settings))
    assert digest() == Settings.from_file(settings).digest()
    assert "done 0, skipped 1" in run("--settings", str(settings))
    assert "done 1, skipped 0" in run()
    assert digest() == DEFAULT_SETTINGS.digest()


def test_sweep_removes_half_written_and_restores_set_aside(tmp_path: Path) -> None:
    (tmp_path / ".tmp-a-0123abcd" / "tables").mkdir(parents=True)
    (tmp_path / ".old-b-89abcdef").mkdir()
    (tmp_path / ".old-b-89abcdef" / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / ".old-c-00000000").mkdir()
    assert sorted(sweep_leftovers(tmp_path)) == [".old-b-89abcdef", ".old-c-00000000", ".tmp-a-0123abcd"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".nianbao")) == ["b", "c"]
    assert (tmp_path / "b" / "manifest.json").is_file()


def test_slow_document_times_out_alone(tmp_path: Path) -> None:
    result = run_isolated(REPORT, tmp_path, WorkerOptions(timeout=0.5))
    assert result.status == "failed" and "timed out after 0.5 s" in result.reason
    assert statuses(tmp_path) == {} and hidden_leftovers(tmp_path) == []


def test_file_still_being_copied_is_retried(inbox: Path, tmp_path: Path, prefect_harness: None) -> None:
    data = (inbox / "letter.pdf").read_bytes()
    pdf = tmp_path / "arriving.pdf"
    pdf.write_bytes(data[:2000])  # the copy has just begun: fresh and truncated

    def finish_copy() -> None:
        time.sleep(1.0)
        pdf.write_bytes(data)

    copier = threading.Thread(target=finish_copy)
    copier.start()
    result = backfill(str(pdf), "--output", str(tmp_path / "out"), "--no-db", "--settle", "30")
    copier.join()
    assert result.exit_code == 0, result.output
    assert "done 1, skipped 0, failed 0" in result.stdout
    assert statuses(tmp_path / "out") == {"arriving": hashlib.sha256(data).hexdigest()}


def test_dask_local_cluster_runs_the_same_flow(inbox: Path, tmp_path: Path, prefect_harness: None) -> None:
    out = tmp_path / "out"
    files = [str(inbox / "classic.pdf"), str(inbox / "broken.pdf")]
    result = backfill(*files, "--output", str(out), "--no-db", "--dask", "local", "--workers", "1")
    assert result.exit_code == 1, result.output
    assert "done 1, skipped 0, failed 1" in result.stdout, result.stdout
    assert sorted(statuses(out)) == ["classic"]


def _kill_after_first_document(cmd: list[str], out: Path, env: dict[str, str]) -> int:
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not list(out.glob("*/manifest.json")):
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed"
    proc.send_signal(signal.SIGKILL)  # the main process only: its workers must not outlive it
    proc.wait()
    for _ in range(200):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return len(list(out.glob("*/manifest.json")))
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("worker processes outlived the killed batch")


def test_killed_run_restarts_to_the_same_outputs(inbox: Path, tmp_path: Path, prefect_harness: None) -> None:
    from prefect.settings import PREFECT_API_URL

    src = tmp_path / "in"
    src.mkdir()
    # sorted order with one worker: a small report first, then the real one (seconds: killed during it)
    for name, data in [
        ("a-classic", (inbox / "classic.pdf").read_bytes()),
        ("b-report", REPORT.read_bytes()),
        ("c-letter", (inbox / "letter.pdf").read_bytes()),
        ("d-plain", (inbox / "plain.pdf").read_bytes()),
    ]:
        (src / f"{name}.pdf").write_bytes(data)
        age(src / f"{name}.pdf")
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "COLUMNS": "200"}
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    args = ["--workers", "1", "--no-db"]
    cmd = [sys.executable, "-m", "pipeline", "backfill", str(src), "--output", str(killed), *args]
    finished = _kill_after_first_document(cmd, killed, env)
    assert 1 <= finished < 4
    restart = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert restart.returncode == 0, restart.stdout + restart.stderr
    assert f"done {4 - finished}, skipped {finished}, failed 0" in restart.stdout, restart.stdout
    assert backfill(str(src), "--output", str(whole), *args).exit_code == 0
    assert comparable(killed) == comparable(whole)
    assert len(comparable(whole)) == 4
    assert hidden_leftovers(killed) == []
