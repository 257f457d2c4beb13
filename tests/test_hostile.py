"""Issue 13, "fix what was seen": hostile names, text, databases and folders give one clear line each."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline import cli as cli_app
from pipeline.batch.results import DocResult
from pipeline.cli import backfill as backfill_cli
from pipeline.cli import ingest as ingest_cli
from pipeline.warehouse import open_warehouse

from .test_warehouse import make_doc

runner = CliRunner()


# ---- item 5: `nianbao db query` cannot change anything -------------------------------------------


@pytest.fixture(params=["duckdb", "sqlite"])
def loaded_db(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    value = str(tmp_path / "w.duckdb") if request.param == "duckdb" else f"sqlite:///{tmp_path / 'w.db'}"
    with open_warehouse(value, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    return value, tmp_path


def query(db: str, out: Path, sql: str) -> object:
    return runner.invoke(cli_app.app, ["db", "query", sql, "--db", db, "-o", str(out)])


def test_query_cannot_drop_a_table(loaded_db: tuple[str, Path]) -> None:
    db, out = loaded_db
    res = query(db, out, "DROP TABLE facts")
    assert res.exit_code == 1 and "query failed" in res.output  # type: ignore[attr-defined]
    with open_warehouse(db, out) as wh:
        assert wh.count("facts") == 2


def test_duckdb_query_reaches_no_file_and_installs_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with open_warehouse(db, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    victim = tmp_path / "10001-2022" / "document.json"
    victim.parent.mkdir()
    victim.write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    for sql in (
        f"COPY (SELECT 1 AS x) TO '{victim}' (FORMAT csv)",
        f"SELECT * FROM read_csv('{secret}')",
        "INSTALL httpfs",
        "SELECT * FROM read_parquet('https://example.invalid/x.parquet')",
    ):
        res = query(db, tmp_path, sql)
        assert res.exit_code == 1 and "query failed" in res.output, (sql, res.output)  # type: ignore[attr-defined]
    assert victim.read_text(encoding="utf-8") == "{}"


def test_query_help_says_read_only() -> None:
    res = runner.invoke(cli_app.app, ["db", "query", "--help"])
    assert "read-only" in " ".join(res.output.split())


# ---- item 2: text from a PDF, a file name or an exception is printed as text ---------------------

HOSTILE_REASON = "bad.pdf: unreadable PDF (PDFSyntaxError: Invalid dictionary construct: [/'A', 五、[/x]缺失的章节])"
HOSTILE_NAME = "a[bold]b[red]\x1b[2J\x07\u202ename.pdf"  # no "/" in a file name


def rendered(table: object) -> str:
    from rich.console import Console

    console = Console(record=True, width=400, color_system=None)
    console.print(table)
    return console.export_text()


def hostile_results() -> list[DocResult]:
    return [
        DocResult(f"in/{HOSTILE_NAME}", "failed", HOSTILE_REASON, seconds=0.1),
        DocResult("in/ok.pdf", "done", doc_id="[bold]x", folder="out/x", database="refused: [/red] 1 validation error"),
    ]


@pytest.mark.parametrize("module", [ingest_cli, backfill_cli])
def test_summary_tables_print_markup_and_controls_as_text(module: Any) -> None:
    text = rendered(module.summary_table(hostile_results()))
    if module is backfill_cli:
        assert "[/'A', 五、[/x]缺失的章节]" in text
        assert "[bold]x" in text and "refused: [/red]" in text
    assert "a[bold]b[red]" in text and "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_db_query_prints_cells_as_text(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with open_warehouse(db, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    res = query(db, tmp_path, "SELECT '五、[/x]缺失' AS t, '[bold]b' AS u")
    assert res.exit_code == 0 and "五、[/x]缺失" in res.output and "[bold]b" in res.output, res.output  # type: ignore[attr-defined]


def test_ingest_error_line_names_a_hostile_file_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_cli import fake_flow

    monkeypatch.setattr(ingest_cli, "flow_runner", fake_flow)
    bad = tmp_path / "in" / HOSTILE_NAME
    bad.parent.mkdir()
    bad.write_bytes(b"")
    res = runner.invoke(cli_app.app, ["ingest", str(bad.parent), "-o", str(tmp_path / "out"), "--no-db"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "a[bold]b[red]" in res.stderr and "empty" in res.stderr
    assert "\x1b" not in res.output and "\x07" not in res.output


# ---- item 6: an output folder that cannot be written, a lock file that is a symlink --------------


@pytest.fixture(scope="module")
def one_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .test_cli import small_report

    return small_report(tmp_path_factory.mktemp("one") / "report.pdf")


def test_lock_symlink_is_refused_and_nothing_is_created_outside(tmp_path: Path, one_pdf: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "elsewhere" / "planted"
    out.mkdir()
    outside.parent.mkdir()
    (out / ".nianbao.lock").symlink_to(outside)
    for command in ("backfill", "ingest"):
        res = runner.invoke(cli_app.app, [command, str(one_pdf), "-o", str(out), "--no-db"])
        assert res.exit_code == 1, res.output
        assert not outside.exists() and "Traceback" not in res.output
        lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
        assert len(lines) == 1 and "symbolic link" in lines[0] and str(out) in lines[0], res.stderr


def test_read_only_output_folder_is_one_line(tmp_path: Path, one_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.batch import outroot

    real_open = os.open

    def denied(path: Any, flags: int, *args: Any, **kw: Any) -> int:
        if str(path).endswith(".nianbao.lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(outroot.os, "open", denied)  # root ignores file modes: deny the way a read-only folder does
    out = tmp_path / "out"
    out.mkdir()
    for command in ("backfill", "ingest"):
        res = runner.invoke(cli_app.app, [command, str(one_pdf), "-o", str(out), "--no-db"])
        assert (res.exit_code == 1 and "Traceback" not in res.output and res.exception is None) or isinstance(
            res.exception, SystemExit
        ), res.output
        lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
        assert len(lines) == 1 and "cannot write" in lines[0] and "Permission denied" in lines[0], res.stderr


# ---- item 8: encrypted PDFs ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def encrypted_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from .pdfgen import style

    path = tmp_path_factory.mktemp("enc") / "locked.pdf"
    doc = SimpleDocTemplate(str(path), encrypt=StandardEncryption("s3cret-pw", ownerPassword="owner-pw"))
    latin = style("latin", fontName="Helvetica")
    doc.build([Paragraph("Annual quality report", latin), Paragraph("学校创办于1951年。" * 4, style("b"))])
    return path


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
def test_encrypted_pdf_asks_for_the_password_and_opens_with_it(encrypted_pdf: Path, reader: str) -> None:
    from pipeline.errors import InputError
    from pipeline.load import load_pdf

    with pytest.raises(InputError, match=r"encrypted PDF: give --password"):
        load_pdf(encrypted_pdf, reader=reader)
    with pytest.raises(InputError, match=r"encrypted PDF: wrong --password"):
        load_pdf(encrypted_pdf, reader=reader, password="nope")
    loaded = load_pdf(encrypted_pdf, reader=reader, password="s3cret-pw")
    assert "Annualqualityreport" in "".join(c.text for c in loaded.pages[0].chars if c.text.strip())


def test_password_reaches_the_stages_and_no_output(encrypted_pdf: Path, tmp_path: Path) -> None:
    from pipeline.batch.worker import WorkerOptions, ingest_document

    out = tmp_path / "out"
    result = ingest_document(encrypted_pdf, out, WorkerOptions(password="s3cret-pw", review=False))
    assert result.status == "done", result.reason
    for f in Path(result.folder).rglob("*"):
        if f.is_file():
            assert b"s3cret-pw" not in f.read_bytes(), f
    refused = ingest_document(encrypted_pdf, tmp_path / "o2", WorkerOptions(review=False))
    assert refused.status == "failed" and "encrypted PDF: give --password" in refused.reason


@pytest.mark.parametrize("command", ["ingest", "backfill"])
def test_cli_has_a_password_option(command: str) -> None:
    res = runner.invoke(cli_app.app, [command, "--help"])
    assert "--password" in res.output


# ---- item 1: a file name that is not UTF-8 ------------------------------------------------------

BAD_NAME = os.fsdecode(b"\xff\xfe-\xe5\xb9\xb4\xe6\x8a.pdf")  # undecodable bytes: surrogates in Python


@pytest.fixture()
def odd_inbox(tmp_path: Path, one_pdf: Path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "good.pdf").write_bytes(one_pdf.read_bytes())
    (folder / BAD_NAME).write_bytes(one_pdf.read_bytes() + b"\n")
    for pdf in folder.iterdir():
        t = time.time() - 3600
        os.utime(pdf, (t, t))
    return folder


def test_non_utf8_name_is_refused_alone_in_backfill(odd_inbox: Path, tmp_path: Path, prefect_harness: None) -> None:
    out = tmp_path / "out"
    res = runner.invoke(cli_app.app, ["backfill", str(odd_inbox), "-o", str(out), "--no-db", "--no-review"])
    assert res.exit_code == 1, res.output
    assert (out / "good" / "manifest.json").is_file()
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "not valid UTF-8" in lines[0] and "\ufffd" in lines[0], res.stderr
    assert "done 1" in res.stdout and "failed 1" in res.stdout


def test_non_utf8_name_is_refused_alone_in_ingest(
    odd_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_cli import fake_flow

    monkeypatch.setattr(ingest_cli, "flow_runner", fake_flow)
    out = tmp_path / "out"
    res = runner.invoke(cli_app.app, ["ingest", str(odd_inbox), "-o", str(out), "--no-db"])
    assert res.exit_code == 1 and (out / "good" / "manifest.json").is_file(), res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "not valid UTF-8" in lines[0], res.stderr
    assert "1 written" in res.stdout and "1 failed" in res.stdout


def test_serve_scan_leaves_out_non_utf8_names(odd_inbox: Path, tmp_path: Path) -> None:
    from pipeline.batch.plan import changed_pdfs

    found = changed_pdfs(odd_inbox, tmp_path / "out")
    assert [Path(p).name for p in found] == ["good.pdf"]


# ---- items 4 and 10: a locked database, a refused document ---------------------------------------


@pytest.fixture()
def locked_db(tmp_path: Path) -> Any:
    """A DuckDB file held open for writing by another process (DuckDB allows one writer)."""
    import subprocess
    import sys

    db = tmp_path / "held.duckdb"
    code = f"import duckdb,sys; c=duckdb.connect({str(db)!r}); print('ready', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    yield db, holder
    if holder.poll() is None:
        holder.kill()
    holder.wait()


def release(holder: Any) -> None:
    holder.kill()
    holder.wait()


def test_locked_database_is_written_not_loaded_then_loaded_next_run(
    tmp_path: Path, one_pdf: Path, locked_db: Any, prefect_harness: None
) -> None:
    db, holder = locked_db
    out = tmp_path / "out"
    args = [str(one_pdf), "-o", str(out), "--db", str(db), "--allow-invalid", "--no-review"]
    res = runner.invoke(cli_app.app, ["ingest", *args])
    assert res.exit_code == 1, res.output
    assert (out / "report" / "manifest.json").is_file()
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith(f"error: {one_pdf}: written") and "not loaded" in lines[0], lines
    assert "in use" in lines[0]
    said = " ".join(res.stdout.split())  # the summary line may wrap; the table's seconds column ends "3.0"
    assert re.search(r"(?<![\d.])1 written to \S+ \(1 not loaded", said), res.stdout
    assert not re.search(r"(?<![\d.])0 written", said), res.stdout

    res = runner.invoke(cli_app.app, ["backfill", *args, "--force"])  # still locked: --force must not say done/0
    assert res.exit_code == 1, res.output
    assert "not loaded 1" in res.stdout and "done 0" in res.stdout, res.stdout

    release(holder)
    res = runner.invoke(cli_app.app, ["backfill", *args])
    assert res.exit_code == 0, res.output
    assert "1 to load into the database" in res.stderr
    with open_warehouse(str(db), out) as wh:
        assert wh.count("documents") == 1


def test_refused_document_is_not_retried_until_it_or_the_pipeline_changes(
    tmp_path: Path, one_pdf: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    args = [str(one_pdf), "-o", str(out), "--no-review"]
    res = runner.invoke(cli_app.app, ["backfill", *args])  # the small report has validation errors: refused
    assert res.exit_code == 0 and "refused" in res.stdout, res.output

    def no_prefect(*_: Any, **__: Any) -> Any:
        raise AssertionError("an unchanged refused document started the batch flow")

    monkeypatch.setattr(backfill_cli, "run_batch_flow", no_prefect)
    res = runner.invoke(cli_app.app, ["backfill", *args])
    assert res.exit_code == 0 and "to load into the database" not in res.stderr, res.output
    assert "refused" in res.stdout  # the remembered refusal is still reported

    from pipeline.batch.plan import pending_loads, plan_batch

    items = plan_batch([one_pdf], out)
    label = str(out / "nianbao.duckdb")
    assert pending_loads(out, label, items) == []
    assert [i.path for i in pending_loads(out, label, items, allow_invalid=True)] == [str(one_pdf)]
    assert [i.path for i in pending_loads(out, label, items, version="99.0")] == [str(one_pdf)]


# ---- item 9: no absolute path of this machine in any output -------------------------------------


def test_absolute_inputs_are_recorded_relative_to_their_root(tmp_path: Path, one_pdf: Path, monkeypatch) -> None:
    import json

    from pipeline.batch.plan import INDEX_FILE, plan_batch
    from pipeline.batch.results import DocResult
    from pipeline.batch.worker import WorkerOptions, ingest_document

    monkeypatch.chdir(tmp_path)
    base = tmp_path.parent / f"{tmp_path.name}-elsewhere"  # outside the working folder
    inbox, out = base / "inbox", base / "out"
    (inbox / "a").mkdir(parents=True)
    (inbox / "b").mkdir()
    (inbox / "a" / "report.pdf").write_bytes(one_pdf.read_bytes())
    (inbox / "b" / "report.pdf").write_bytes(one_pdf.read_bytes() + b"\n")  # same doc_id, other bytes: collision
    opts = WorkerOptions(review=False, roots=(str(inbox),))
    first = ingest_document(inbox / "a" / "report.pdf", out, opts)
    second = ingest_document(inbox / "b" / "report.pdf", out, opts)
    assert first.status == second.status == "done", (first.reason, second.reason)
    with open_warehouse(None, out) as wh:
        for r in (first, second):
            wh.load_folder(Path(r.folder), allow_invalid=True)
        assert sorted(wh.query("SELECT source_path FROM documents")["source_path"]) == [
            "inbox/a/report.pdf",
            "inbox/b/report.pdf",
        ]
    doc = json.loads((Path(second.folder) / "document.json").read_text(encoding="utf-8"))
    assert doc["source"]["path"] == "inbox/b/report.pdf"
    assert any(f["code"] == "doc_id_collision" for f in doc["findings"])
    from pipeline.batch.database import mark_results_loaded

    mark_results_loaded(out, str(out / "nianbao.duckdb"), [DocResult.with_database(first, "loaded")])
    assert plan_batch([inbox / "a" / "report.pdf"], out, roots=[inbox])[0].action == "skip"
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix == ".json" or p.name == INDEX_FILE]
    assert texts and not [t for t in texts if str(base) in t or str(tmp_path) in t]


def test_backfill_and_ingest_record_paths_under_the_root_given(
    tmp_path: Path, one_pdf: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    base = tmp_path.parent / f"{tmp_path.name}-far"
    (base / "inbox").mkdir(parents=True)
    pdf = base / "inbox" / "report.pdf"
    pdf.write_bytes(one_pdf.read_bytes())
    for command, out, arg in (("backfill", base / "o1", base / "inbox"), ("ingest", base / "o2", pdf)):
        res = runner.invoke(cli_app.app, [command, str(arg), "-o", str(out), "--no-review", "--allow-invalid"])
        assert res.exit_code == 0, res.output
        doc = json.loads((out / "report" / "document.json").read_text(encoding="utf-8"))
        assert doc["source"]["path"] == ("inbox/report.pdf" if command == "backfill" else "report.pdf")
        for f in (out / "report" / "manifest.json", out / ".nianbao-index.json"):
            assert str(base) not in f.read_text(encoding="utf-8"), f


def test_file_given_by_absolute_path_is_recorded_by_name(tmp_path: Path, one_pdf: Path) -> None:
    from pipeline.sourcepath import recorded_path

    assert recorded_path(Path("raw/x.pdf"), [Path("raw")]) == "raw/x.pdf"  # relative: kept as typed
    assert recorded_path(Path("../shared/x.pdf"), [Path("../shared")]) == "../shared/x.pdf"
    assert recorded_path(Path("/srv/in/x.pdf"), [Path("/srv/in/x.pdf")]) == "x.pdf"
    assert recorded_path(Path("/srv/in/sub/x.pdf"), [Path("/srv/in")]) == "in/sub/x.pdf"
    assert recorded_path(Path("/srv/in/sub/x.pdf"), []) == "x.pdf"
    assert recorded_path(Path.cwd() / "raw" / "x.pdf", [Path.cwd() / "raw"]) == "raw/x.pdf"


# ---- item 3: `ingest` has a per-document time limit ----------------------------------------------


def mediabox_cycle(src: Path, target: Path) -> Path:
    """`src` with its first page's MediaBox an indirect reference to itself (pdfminer spins on it), added
    as an incremental update so every offset stays right."""
    import re

    data = src.read_bytes()
    m = re.search(rb"/MediaBox \[[^\]]*\]", data)
    assert m is not None
    data = data[: m.start()] + b"/MediaBox 99 0 R".ljust(len(m.group())) + data[m.end() :]
    old_xref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.search(rb"/Root (\d+ \d+ R)", data)
    assert root is not None
    obj_at = len(data)
    data += b"99 0 obj\n99 0 R\nendobj\n"
    xref_at = len(data)
    data += b"xref\n99 1\n%010d 00000 n \ntrailer\n<< /Size 100 /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        obj_at,
        root.group(1),
        old_xref,
        xref_at,
    )
    target.write_bytes(data)
    return target


def test_ingest_times_out_a_spinning_pdf_and_goes_on(
    tmp_path: Path, one_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_cli import fake_flow

    monkeypatch.setattr(ingest_cli, "flow_runner", fake_flow)
    inbox = tmp_path / "in"
    inbox.mkdir()
    mediabox_cycle(one_pdf, inbox / "a-cycle.pdf")
    (inbox / "b-good.pdf").write_bytes(one_pdf.read_bytes())
    t0 = time.monotonic()
    res = runner.invoke(cli_app.app, ["ingest", str(inbox), "-o", str(tmp_path / "out"), "--no-db", "--timeout", "2"])
    assert time.monotonic() - t0 < 30
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "a-cycle.pdf" in lines[0] and "timed out after 2 s" in lines[0], res.stderr
    assert (tmp_path / "out" / "b-good" / "manifest.json").is_file()


# ---- item 7: kill -9 of the command leaves no server and no temporary folders ---------------------


def test_temporary_folders_of_dead_commands_are_swept(tmp_path: Path) -> None:
    import subprocess
    import sys

    from pipeline.batch.lifeline import PREFIX, sweep_tmp

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{PREFIX}{dead.pid}-abc" / "pymp-xyz"
    stale.mkdir(parents=True)
    live = tmp_path / f"{PREFIX}{os.getpid()}-def"
    live.mkdir()
    assert sweep_tmp(tmp_path) == [stale.parent.name]
    assert not stale.parent.exists() and live.is_dir()


def _children(pid: int) -> dict[int, str]:
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_of_backfill_takes_the_prefect_server_along(tmp_path: Path, one_pdf: Path) -> None:
    import signal
    import subprocess
    import sys

    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"r{i}.pdf").write_bytes(one_pdf.read_bytes() + b"\n" * i)
    import shutil
    import tempfile

    short = Path(tempfile.mkdtemp(prefix="nbk-", dir="/tmp"))  # a socket path must stay short
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "ph"), NIANBAO_PREFECT_HOME=str(tmp_path / "ph"), TMPDIR=str(short))
    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-m", "pipeline", "backfill", str(inbox), "-o", str(tmp_path / "out"), "--no-db"]
    log = (tmp_path / "log").open("wb")
    proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=log)
    server, seen = 0, 0.0
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        server = next((pid for pid, cmdline in kids.items() if "uvicorn" in cmdline), 0)
        seen = seen or (time.monotonic() if server else 0.0)
        if server and time.monotonic() - seen > 0.5:
            break
        time.sleep(0.2)
    assert proc.poll() is None and server, (tmp_path / "log").read_text(errors="replace")[-3000:]
    assert [p.name for p in short.glob("nianbao-tmp-*")], "the command made no private temporary folder"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):
        if not _alive(server):
            break
        time.sleep(0.2)
    else:
        os.kill(server, signal.SIGKILL)
        pytest.fail("the Prefect server outlived the killed backfill")
    from pipeline.batch.lifeline import sweep_tmp

    assert sweep_tmp(short) and not list(short.glob("nianbao-tmp-*"))  # the next start clears them
    shutil.rmtree(short)
