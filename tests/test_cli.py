"""`nianbao ingest`: bad files give one line each, good files are still written, the exit code says so."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from reportlab.platypus import Paragraph
from typer.testing import CliRunner

from pipeline import __version__
from pipeline import cli as cli_app
from pipeline.batch.results import DocResult
from pipeline.cli import ingest as cli
from pipeline.emit import write_outputs
from pipeline.load import load_pdf
from pipeline.model import Document, Section
from pipeline.settings import Settings
from pipeline.stages import STAGE_NAMES

from .pdfgen import build_pdf, style
from .settings_cases import changed, other_settings, out_of_range

runner = CliRunner()


def small_report(path: Path) -> Path:
    """Two pages of a report: 学校概述 and 一、学生发展 with a paragraph each."""
    h1 = style("h1", size=16)
    body = style("body", size=12, indent=24)
    story = [
        Paragraph("学校概述", h1),
        Paragraph("重庆某职业技术学院创办于1951年，现有在校生1.2万人。" * 3, body),
        Paragraph("一、学生发展", h1),
        Paragraph("学校坚持立德树人，毕业生就业率达到95.2%。" * 3, body),
    ]
    return build_pdf(path, story)


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_report(tmp_path_factory.mktemp("pdf") / "report.pdf")


@pytest.fixture()
def inbox(tmp_path: Path, good_pdf: Path) -> Path:
    """A folder with one good PDF and every kind of bad input, plus a file that is not a .pdf."""
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    data = good_pdf.read_bytes()
    (folder / "good.pdf").write_bytes(data)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "sub" / "text.pdf").write_text("这不是PDF文件\n", encoding="utf-8")
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "notes.txt").write_text("not a report", encoding="utf-8")
    return folder


def fake_flow(output: Path, **_: Any) -> tuple[Any, Any]:
    """The real load and emit stages without Prefect or the structure pass (fast)."""

    def run(path: Path) -> DocResult:
        loaded = load_pdf(path)
        doc = Document(
            doc_id="",
            pipeline_version=__version__,
            source=loaded.source,
            sections=[Section(id="s1", parent=None, kind="heading", level=1, number="", title="学校概述", page=1,
                              page_end=1)],
        )  # fmt: skip
        folder = write_outputs(doc, output, {"load": 0.1})
        return DocResult(str(path), "done", doc_id=folder.name, folder=str(folder), pages=loaded.source.pages,
                         sections=1)  # fmt: skip

    return run, nullcontext


@pytest.fixture()
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "flow_runner", fake_flow)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_bad_files_fail_one_line_each_and_the_rest_is_written(inbox: Path, tmp_path: Path, fast: None) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli_app.app, ["ingest", str(inbox), "--output", str(out)])
    assert result.exit_code == 1, result.output
    errors = error_lines(result.stderr)
    assert len(errors) == 3, result.stderr
    by_file = {name: [e for e in errors if f"{name}:" in e] for name in ("empty.pdf", "text.pdf", "truncated.pdf")}
    assert all(len(v) == 1 for v in by_file.values()), errors
    assert "empty" in by_file["empty.pdf"][0]
    assert "not a PDF" in by_file["text.pdf"][0]
    assert "PDF" in by_file["truncated.pdf"][0]
    assert "Traceback" not in result.output
    assert "note: skipped" in result.stderr and "notes.txt" in result.stderr
    # doc_id from the file name: the fake has no metadata; the database is prepared before the first PDF
    assert [p.name for p in out.iterdir() if p.name not in (".nianbao.lock", "nianbao.duckdb")] == ["good"]
    assert (out / "nianbao.duckdb").is_file()
    assert "1 written" in result.stdout and "3 failed" in result.stdout


def test_all_good_exits_zero(good_pdf: Path, tmp_path: Path, fast: None) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report" / "manifest.json").is_file()
    assert "report" in result.stdout and "ok" in result.stdout


def test_unexpected_exception_in_one_document_is_one_line(inbox: Path, tmp_path: Path, monkeypatch) -> None:
    def exploding(output: Path, **_: Any) -> tuple[Any, Any]:
        run, ctx = fake_flow(output)

        def maybe(path: Path) -> Any:
            if path.name == "good.pdf":
                raise KeyError("boom\nsecond line")
            return run(path)

        return maybe, ctx

    monkeypatch.setattr(cli, "flow_runner", exploding)
    result = runner.invoke(cli_app.app, ["ingest", str(inbox / "good.pdf"), str(inbox / "empty.pdf")])
    assert result.exit_code == 1
    errors = error_lines(result.stderr)
    assert any("good.pdf: unexpected KeyError" in e for e in errors), errors
    assert len(errors) == 2


def test_missing_path_is_an_error(tmp_path: Path, fast: None) -> None:
    result = runner.invoke(cli_app.app, ["ingest", str(tmp_path / "nope.pdf"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [f"error: {tmp_path / 'nope.pdf'}: no such file or folder"]


def test_collect_inputs_skips_output_and_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "output" / "x").mkdir(parents=True)
    (tmp_path / "output" / "x" / "b.pdf").write_bytes(b"%PDF-")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "c.pdf").write_bytes(b"%PDF-")
    (tmp_path / "D.PDF").write_bytes(b"%PDF-")
    files, notes, errors = cli.collect_inputs([tmp_path, tmp_path / "a.pdf"], tmp_path / "output")
    assert [f.name for f in files] == ["D.PDF", "a.pdf"]
    assert notes == [] and errors == []


def test_version() -> None:
    result = runner.invoke(cli_app.app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"nianbao {__version__}"


GROUP, NAME, VALUE = changed()
_, _, TOO_BIG = out_of_range()
BAD_SETTINGS = [
    ("bad.toml", f"[{GROUP}]\n{NAME} = {TOO_BIG}\n", f"{GROUP}.{NAME} = {TOO_BIG} is out of range"),
    ("bad.json", json.dumps({GROUP: {NAME + "e": VALUE}}), f"unknown setting {GROUP}.{NAME}e"),
    ("bad.toml", f"[{GROUP}\n{NAME} = {VALUE}\n", "is not valid toml"),
    ("bad.json", json.dumps({GROUP: {NAME: "wide"}}), f"{GROUP}.{NAME} must be a number"),
    ("missing.toml", None, "cannot read settings file"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_SETTINGS)
def test_bad_settings_fail_in_one_line_before_any_pdf(
    name: str, text: str | None, message: str, good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "flow_runner", lambda *a, **k: pytest.fail("a PDF was processed"))
    settings = tmp_path / name
    if text is not None:
        settings.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "-o", str(out), "--settings", str(settings)])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: --settings ") and message in line and str(settings) in line, line
    assert not out.exists()


@pytest.fixture()
def flow_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The options the CLI hands to its flow runner, recorded instead of running a flow."""
    seen: dict[str, Any] = {}

    def recording(output: Path, **options: Any) -> tuple[Any, Any]:
        seen.update(options)
        return fake_flow(output)

    monkeypatch.setattr(cli, "flow_runner", recording)
    return seen


def test_settings_reach_the_flow(good_pdf: Path, tmp_path: Path, flow_options: dict[str, Any]) -> None:
    seen = flow_options
    settings = tmp_path / "s.toml"
    settings.write_text(f"[{GROUP}]\n{NAME} = {VALUE}\n", encoding="utf-8")
    result = runner.invoke(
        cli_app.app, ["ingest", str(good_pdf), "-o", str(tmp_path / "o"), "--settings", str(settings)]
    )
    assert result.exit_code == 0, result.output
    assert seen["settings"] == Settings.from_file(settings) == other_settings() != Settings()


@pytest.fixture()
def real_flow_output(tmp_path: Path, good_pdf: Path, prefect_harness: None) -> Iterator[tuple[Any, Path, Settings]]:
    out = tmp_path / "out"
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({GROUP: {NAME: VALUE}}), encoding="utf-8")
    args = ["ingest", str(good_pdf), str(bad), "--output", str(out), "--settings", str(settings)]
    yield runner.invoke(cli_app.app, args), out, Settings.from_file(settings)


def test_end_to_end_through_the_prefect_flow(real_flow_output: tuple[Any, Path, Settings]) -> None:
    result, out, settings = real_flow_output
    assert result.exit_code == 1, result.output  # the empty file fails, the report is written
    assert error_lines(result.stderr) == [f"error: {out.parent / 'bad.pdf'}: empty file (0 bytes)"]
    folders = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]  # not .nianbao.lock
    assert len(folders) == 1
    manifest = json.loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["timings"]) == list(STAGE_NAMES)  # every declared stage ran, in order
    assert manifest["settings_digest"] == settings.digest() != Settings().digest()
    doc = Document.load(json.loads((folders[0] / "document.json").read_text(encoding="utf-8")))
    assert doc.source.pages >= 1 and doc.doc_id == folders[0].name
    assert any(s.title == "学生发展" for s in doc.sections), [s.title for s in doc.sections]
    assert "学校坚持立德树人" in "".join(s.text for s in doc.sections)
    # the review page is written with the folder and listed in its manifest, one image per page
    assert (folders[0] / "review" / "index.html").is_file()
    images = sorted(f for f in manifest["files"] if f.startswith("review/") and f.endswith(".png"))
    assert len(images) == doc.source.pages
    assert all((folders[0] / f).is_file() for f in images)


def test_no_review_writes_no_review_page(tmp_path: Path, good_pdf: Path, prefect_harness: None) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "--output", str(out), "--no-db", "--no-review"])
    assert result.exit_code == 0, result.output
    (folder,) = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert not (folder / "review").exists()
    assert not [f for f in manifest["files"] if f.startswith("review/")]


@pytest.mark.parametrize(
    ("option", "name", "in_file", "value", "bad", "named"),
    [
        ("--reader", "reader", "pdfium", "pdfplumber", "mupdf", "pdfium"),
        ("--ocr", "ocr", "always", "never", "sometimes", "always"),
    ],
)
def test_load_option_overrides_the_settings_and_a_bad_one_stops(
    good_pdf: Path,
    tmp_path: Path,
    flow_options: dict[str, Any],
    option: str,
    name: str,
    in_file: str,
    value: str,
    bad: str,
    named: str,
) -> None:
    seen = flow_options
    settings = tmp_path / "s.toml"
    settings.write_text(f'[load]\n{name} = "{in_file}"\n', encoding="utf-8")
    args = ["ingest", str(good_pdf), "-o", str(tmp_path / "o"), "--settings", str(settings), option, value]
    result = runner.invoke(cli_app.app, args)
    assert result.exit_code == 0, result.output
    assert getattr(seen["settings"].load, name) == value
    assert seen["settings"].digest() != Settings().digest()  # another reader or OCR is another output: re-processed

    seen.clear()
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "-o", str(tmp_path / "o"), option, bad])
    assert result.exit_code == 2 and not seen
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {option} '{bad}'") and named in line, line


# ---- --json: one JSON object on stdout ---------------------------------------------------------


def test_ingest_json_is_one_object_with_every_document(inbox: Path, tmp_path: Path, fast: None) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nope.pdf"
    result = runner.invoke(cli_app.app, ["ingest", str(inbox), str(missing), "-o", str(out), "--no-db", "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)  # stdout is the object and nothing else
    docs = {Path(d["path"]).name: d for d in report["documents"]}
    assert sorted(docs) == ["empty.pdf", "good.pdf", "text.pdf", "truncated.pdf"]
    good = docs["good.pdf"]
    assert good["status"] == "done" and good["doc_id"] == "good" and good["reason"] is None
    assert good["folder"] == str(out / "good") and good["counts"]["pages"] >= 1 and good["counts"]["sections"] == 1
    assert isinstance(good["seconds"], float)
    assert docs["empty.pdf"]["status"] == "failed" and "empty" in docs["empty.pdf"]["reason"]
    assert docs["text.pdf"]["doc_id"] is None and "not a PDF" in docs["text.pdf"]["reason"]
    assert report["input_errors"] == [f"{missing}: no such file or folder"]
    assert report["totals"] == {**report["totals"], "documents": 4, "done": 1, "failed": 3, "input_errors": 1}
    assert report["command"] == "ingest" and report["output"] == str(out)
    assert "error:" in result.stderr and "written to" in result.stderr  # the human lines went to stderr


def test_written_but_not_loaded_is_reported_with_its_doc_id_and_the_load_error(
    good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unloaded(output: Path, **_: Any) -> tuple[Any, Any]:
        run, ctx = fake_flow(output)
        return (lambda path: run(path).not_loaded("x.duckdb: in use by another process")), ctx

    monkeypatch.setattr(cli, "flow_runner", unloaded)
    out = tmp_path / "out"
    args = ["ingest", str(good_pdf), "-o", str(out), "--db", str(tmp_path / "w.duckdb")]
    result = runner.invoke(cli_app.app, [*args, "--json"])
    assert result.exit_code == 1, result.output
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["status"] == "unloaded" and doc["doc_id"] == "report" and doc["folder"] == str(out / "report")
    assert doc["reason"].startswith(f"written to {out / 'report'}/, not loaded into the database: x.duckdb: in use")
    result = runner.invoke(cli_app.app, args)
    row = next(line for line in result.stdout.splitlines() if line.startswith("report.pdf"))
    assert "not loaded" in row and "report " in row and "failed" not in row.split("not loaded")[0], row


# ---- the summary table fits 80 columns ---------------------------------------------------------

LONG_NAME = "重庆某某职业技术学院2022年高等职业教育质量年度报告（终稿）.pdf"


def test_summary_table_fits_80_columns_one_line_per_value(tmp_path: Path, good_pdf: Path, fast: None) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / LONG_NAME).write_bytes(good_pdf.read_bytes())
    (inbox / "broken.pdf").write_bytes(good_pdf.read_bytes()[:400])
    result = runner.invoke(
        cli_app.app, ["ingest", str(inbox), "-o", str(tmp_path / "out"), "--no-db"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), "\n".join(lines)
    header = next(line for line in lines if line.startswith("file"))
    assert header.split() == ["file", "status", "doc_id", "pages", "tables", "warn", "db", "s", "reason"]
    rows = [line for line in lines if line.startswith(("broken", "重庆"))]
    assert len(rows) == 2, lines  # one line per document: nothing folded onto a second line
    broken = next(r for r in rows if r.startswith("broken"))
    assert "failed" in broken and broken.rstrip().endswith("…")  # the reason, cut to fit (in full on stderr)


def test_plural_forms() -> None:
    from pipeline.batch.results import plural

    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert plural(1, "PDF file") == "1 PDF file" and plural(3, "entry", "entries") == "3 entries"


# ---- --db is checked before any PDF -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nosuchdb://host/x", "unknown database kind 'nosuchdb'"),
        ("sqlite:///{tmp}/missing/folder/x.db", "cannot open it or create the tables"),
        ("mysql+mysqldb://user@127.0.0.1/x", "driver for 'mysql+mysqldb' is not installed"),
        ("{tmp}/nowhere.db", "not a database"),
    ],
)
def test_bad_db_is_one_line_and_exit_2_before_any_pdf(
    url: str, said: str, good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    if "mysqldb" in url and importlib.util.find_spec("MySQLdb") is not None:
        pytest.skip("the MySQL driver is installed here")
    monkeypatch.setattr(cli, "flow_runner", lambda *a, **k: pytest.fail("a PDF was processed"))
    db = url.format(tmp=tmp_path)
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "-o", str(tmp_path / "out"), "--db", db])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: --db ") and said in line, line
    assert not (tmp_path / "missing").exists()


def test_bad_db_stops_backfill_before_planning(good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.cli import backfill as backfill_cli

    monkeypatch.setattr(backfill_cli, "plan_batch", lambda *a, **k: pytest.fail("planned"))
    result = runner.invoke(cli_app.app, ["backfill", str(good_pdf), "-o", str(tmp_path / "o"), "--db", "x://"])
    assert result.exit_code == 2 and result.stderr.startswith("error: --db "), result.output


# ---- environment errors: one line and the exit code -------------------------------------------


def test_stopped_prefect_server_is_one_line(good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "flow_runner", lambda *a, **k: pytest.fail("a PDF was processed"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # the discard port: nothing answers
    result = runner.invoke(cli_app.app, ["ingest", str(good_pdf), "-o", str(tmp_path / "o"), "--no-db"])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: no Prefect server answers at PREFECT_API_URL=http://127.0.0.1:9/api"), line
    assert "prefect server start" in line and "Traceback" not in result.output


def test_unreachable_dask_scheduler_is_one_line(
    good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.cli import backfill as backfill_cli

    monkeypatch.setattr(backfill_cli, "run_batch_flow", lambda *a, **k: pytest.fail("the batch started"))
    args = ["backfill", str(good_pdf), "-o", str(tmp_path / "o"), "--no-db", "--dask", "tcp://127.0.0.1:9"]
    result = runner.invoke(cli_app.app, args)
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: --dask tcp://127.0.0.1:9: no Dask scheduler answers there"), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("verbose", [False, True])
def test_environment_failure_mid_run_is_one_line_unless_verbose(
    good_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    from pipeline.cli import backfill as backfill_cli

    def lost(*_: Any, **__: Any) -> Any:
        raise ConnectionError("All connection attempts failed\nsecond line")

    monkeypatch.setattr(backfill_cli, "run_batch_flow", lost)
    args = ["backfill", str(good_pdf), "-o", str(tmp_path / "o"), "--no-db", *(["--verbose"] if verbose else [])]
    result = runner.invoke(cli_app.app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: ConnectionError: All connection attempts failed")
    assert ("Traceback" in result.stderr) is verbose


def test_quiet_console_drops_library_info_unless_verbose() -> None:
    import io
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    stream = io.StringIO()
    handler = PrefectConsoleHandler(stream=stream)
    root = logging.getLogger()
    gx = logging.getLogger("great_expectations.data_context.types.base")
    old_level = gx.level
    gx.setLevel(logging.INFO)  # as Great Expectations sets it when imported
    root.addHandler(handler)
    try:
        with cli.quiet_console(verbose=False):
            gx.info("Created temporary directory '/tmp/x' for ephemeral docs site")
            gx.warning("a warning stays")
        with cli.quiet_console(verbose=True):
            gx.info("verbose brings INFO back")
    finally:
        root.removeHandler(handler)
        gx.setLevel(old_level)
    text = stream.getvalue()
    assert "Created temporary directory" not in text
    assert "a warning stays" in text and "verbose brings INFO back" in text


# ---- validate --json and db query --format ------------------------------------------------------


def test_validate_json(tmp_path: Path, good_pdf: Path) -> None:
    run, _ = fake_flow(tmp_path / "out")
    folder = Path(run(good_pdf).folder)
    result = runner.invoke(cli_app.app, ["validate", str(folder), str(tmp_path / "nothing"), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    done, missing = report["documents"]
    assert done["doc_id"] == "report" and done["status"] in ("ok", "errors") and done["folder"] == str(folder)
    assert done["counts"]["checks"] == done["counts"]["passed"] + len(done["failures"]) > 0
    assert all({"rule", "severity", "page", "message_zh"} <= set(f) for f in done["failures"])
    assert missing["status"] == "failed" and "no document.json" in missing["reason"]
    assert report["totals"]["documents"] == 2 and report["totals"]["failed"] == 1


def test_db_query_formats(tmp_path: Path) -> None:
    import csv
    import io

    from pipeline.warehouse import open_warehouse

    from .test_warehouse import make_doc

    db = str(tmp_path / "w.duckdb")
    with open_warehouse(db, tmp_path) as wh:
        wh.load(make_doc("10001-2022"))
    sql = "SELECT doc_id, '学校,“概述”' AS t, NULL AS n FROM documents"
    res = runner.invoke(cli_app.app, ["db", "query", sql, "--db", db, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert list(csv.DictReader(io.StringIO(res.stdout))) == [{"doc_id": "10001-2022", "t": "学校,“概述”", "n": ""}]
    res = runner.invoke(cli_app.app, ["db", "query", sql, "--db", db, "--format", "json"])
    assert json.loads(res.stdout) == [{"doc_id": "10001-2022", "t": "学校,“概述”", "n": None}]
    res = runner.invoke(cli_app.app, ["db", "query", sql, "--db", db])
    assert "10001-2022" in res.stdout and "1 row" in res.stdout and "1 rows" not in res.stdout
    res = runner.invoke(cli_app.app, ["db", "query", sql, "--db", db, "--format", "xml"])
    assert res.exit_code == 2


def test_shared_options_are_one_declaration_with_per_command_defaults() -> None:
    import typer.main

    from pipeline.cli.options import CONSOLE_OPTIONS, RUN_OPTIONS, SHARED_OPTIONS

    commands = typer.main.get_command(cli_app.app).commands  # type: ignore[attr-defined]
    params = {name: {p.name: p for p in commands[name].params} for name in ("ingest", "backfill", "serve")}
    for name in RUN_OPTIONS:  # the same option, help and default in every command
        helps = {(p.help, p.default, tuple(p.opts)) for p in (params[c][name] for c in params)}
        assert len(helps) == 1, (name, helps)
    for name in CONSOLE_OPTIONS:
        assert name in params["ingest"] and name in params["backfill"] and name not in params["serve"]
    assert params["backfill"]["settle"].default == SHARED_OPTIONS["settle"][1] == 5.0
    assert params["serve"]["settle"].default == 30.0  # a scheduled scan waits longer for files being copied in
    assert "opts" not in params["ingest"] and "as_json" in params["ingest"]
