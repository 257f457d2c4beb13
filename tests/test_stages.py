"""The declared stage chain: one list, run the same way by process_pdf, the flows and the batch worker."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline import layout, structure, tables
from pipeline.batch.events import BatchEvents
from pipeline.batch.worker import WorkerOptions, ingest_document
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS, Settings
from pipeline.stages import STAGE_NAMES, STAGES, Stage, Work, need, run_stages, through

from .settings_cases import other_settings
from .test_cli import small_report

README = Path(__file__).resolve().parent.parent / "README.md"
OTHER = other_settings()


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_report(tmp_path_factory.mktemp("pdf") / "report.pdf")


def readme_stages() -> list[str]:
    """The numbered stage list of the README's "How it works" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## How it works\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\d+\. `([a-z-]+)`", section, flags=re.M)


def test_readme_shows_the_stage_list_as_declared() -> None:
    assert readme_stages() == list(STAGE_NAMES)
    assert STAGE_NAMES == ("load", "layout", "structure", "tables", "normalize", "validate", "review", "emit")


def test_readme_settings_example_is_a_valid_settings_file(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8").split("For example `narrow-margins.toml`:", 1)[1]
    example = text.split("```\n", 2)[1]
    (tmp_path / "narrow-margins.toml").write_text(example, encoding="utf-8")
    settings = Settings.from_file(tmp_path / "narrow-margins.toml")
    assert settings != DEFAULT_SETTINGS


def test_only_io_stages_are_marked_io() -> None:
    assert [s.name for s in STAGES if s.io] == ["load", "review", "emit"]  # they read or write files


def test_run_stages_returns_new_values_in_order_and_tells_each_start() -> None:
    def named(label: str) -> Stage:
        return Stage(label, lambda w: dataclasses.replace(w, output=Path((str(w.output or "")) + label)))

    chain = (named("a"), named("b"), named("c"))
    started: list[tuple[str, Path | None]] = []
    first = Work(Path("x.pdf"))
    last = run_stages(first, chain, lambda stage, work: started.append((stage.name, work.output)))
    assert started == [("a", None), ("b", Path("a")), ("c", Path("ab"))]
    assert last.output == Path("abc") and [name for name, _ in last.seconds] == ["a", "b", "c"]
    assert first.output is None and first.seconds == ()  # the input value is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        last.output = None  # type: ignore[misc]


def test_a_stage_out_of_order_names_what_is_missing() -> None:
    with pytest.raises(RuntimeError, match="no layout yet"):
        run_stages(Work(Path("x.pdf")), [STAGES[STAGE_NAMES.index("structure")]])
    with pytest.raises(RuntimeError, match="no output root yet"):
        need(Work(Path("x.pdf")).output, "output root")


def test_process_pdf_runs_the_list_up_to_normalize(pdf: Path) -> None:
    assert [s.name for s in through("normalize")] == ["load", "layout", "structure", "tables", "normalize"]
    doc = process_pdf(pdf)
    assert doc.validation is None  # not validated, not written
    assert any(s.title == "学生发展" for s in doc.sections)


@pytest.fixture()
def settings_seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Settings]:
    """The settings each settings-taking stage function was called with (the real functions still run)."""
    seen: dict[str, Settings] = {}
    for module, name in ((layout, "build_layout"), (structure, "build_structure"), (tables, "attach_tables")):
        real = getattr(module, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, settings: Settings = DEFAULT_SETTINGS) -> Any:
            seen[_name] = settings
            return _real(*args, settings=settings)

        monkeypatch.setattr(module, name, spy)
    return seen


def test_the_worker_threads_its_settings_to_every_stage(
    pdf: Path, tmp_path: Path, settings_seen: dict[str, Settings]
) -> None:
    result = ingest_document(pdf, tmp_path, WorkerOptions(settings=OTHER), on_stage=None)
    assert result.status == "done", result.reason
    assert settings_seen == {"build_layout": OTHER, "build_structure": OTHER, "attach_tables": OTHER}
    assert list(result.timings) == list(STAGE_NAMES)
    manifest = json.loads((Path(result.folder) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings_digest"] == OTHER.digest() != DEFAULT_SETTINGS.digest()
    assert Settings.from_mapping(manifest["settings"]) == OTHER  # the values are recorded too


def test_process_pdf_passes_its_settings(pdf: Path, settings_seen: dict[str, Settings]) -> None:
    process_pdf(pdf, settings=OTHER)
    assert set(settings_seen.values()) == {OTHER} and len(settings_seen) == 3


def test_the_worker_reports_the_failing_stage_timings_so_far(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    result = ingest_document(bad, tmp_path / "out", WorkerOptions(settle=0))
    assert result.status == "failed" and "bad.pdf" in result.reason and not result.transient
    assert result.timings == {}  # load failed: no stage finished


def test_flow_has_one_task_per_stage_named_from_the_list() -> None:
    from flows.ingest import task_for

    tasks = [task_for(s) for s in STAGES]
    assert [t.name for t in tasks] == list(STAGE_NAMES)
    assert [t.retries for t in tasks] == [2 if s.io else 0 for s in STAGES]


def test_batch_events_are_silent_in_another_process() -> None:
    heard: list[str] = []
    events = BatchEvents(lambda event, path, detail: heard.append(event))
    copy = pickle.loads(pickle.dumps(events))  # what a Dask worker gets
    copy("start", "x.pdf")
    events("done", "x.pdf")
    assert heard == ["done"]


def test_batch_flow_tells_the_listener_it_is_given(pdf: Path, tmp_path: Path, prefect_harness: None) -> None:
    from flows.batch import batch_flow, results_of
    from pipeline.batch.params import RunParams

    heard: list[tuple[str, str, Any]] = []
    state = batch_flow(1)(
        paths=[str(pdf)],
        output=str(tmp_path / "out"),
        params=RunParams(load_db=False),
        settle=0.0,
        events=BatchEvents(lambda event, path, detail: heard.append((event, path, detail))),
        return_state=True,
    )
    (result,) = results_of(state)
    assert result.status == "done", result.reason
    assert [e for e, _, _ in heard][:2] == ["plan", "start"] and heard[-1] == ("done", str(pdf), result)
    assert [d for e, _, d in heard if e == "stage"] == list(STAGE_NAMES)
