"""What makes a warm job's validation cheaper gives the validation it replaced: the shared
row-condition subsets and expectation configurations, the rows read without a Series each, the
Data Docs built in a forked child (and, when that child fails or dies, here, with the error the
build raises), the warm-up and the runtime it offers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Document
from pipeline.validate import data_docs, rowfilter, suites
from pipeline.validate.data_docs import DocsInChild, data_docs_files
from pipeline.validate.gxconfigs import shared_configurations
from pipeline.validate.rowfilter import shared_subsets, subset
from pipeline.validate.stage import DOCS_CHILD_MIN_ROWS, build_frames, parameters, validate_document
from pipeline.validate.suites import GxRuntime, new_runtime, offer_runtime, take_runtime

from .validate_helpers import indicator, sections_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def doc() -> Document:
    """Passes and failures in several suites: a count of 4.5 people, a percentage over 100, a text figure."""
    return sections_report(
        [("一、学校概况", "学校现有专任教师400人，毕业生就业率为96.5%。"), ("二、办学条件", "生师比为18.2。")],
        indicators=[
            indicator("T1", "专任教师", "2022", 4.5, row=0),
            indicator("R1", "毕业生就业率", "2022", 120.0, unit="%", kind="percent", row=1),
            indicator("S1", "在校生数", "2022", 7300.0, row=2),
        ],
    )


def _normalised(files: dict[str, bytes]) -> dict[str, bytes]:
    """The site with what changes from one build to the next (times, generated ids) blanked."""
    out = {}
    for rel, data in files.items():
        data = re.sub(rb"\d{8}T\d{6}\.\d+Z", b"T", data)
        data = re.sub(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?", b"D", data)
        data = re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"U", data)
        data = re.sub(rb"[0-9a-f]{32}", b"H", data)
        data = re.sub(rb"'_run_time_sort': [0-9.]+", b"S", data)
        out[re.sub(r"\d{8}T\d{6}\.\d+Z", "T", rel)] = data
    return out


def test_shared_subsets_give_the_outcomes_and_results_of_plain_queries(doc: Document) -> None:
    rt = new_runtime()
    frames, params = build_frames(doc), parameters(doc)
    shared = rt.run_all(frames, params)
    plain = []
    for spec in rt.suites:  # GX and `_collect` outside any shared block: each query made anew
        res = rt._run_gx(spec, frames[spec.frame], params)
        plain.append(suites._collect(spec, frames[spec.frame], res))
    assert [r.expectations for r in shared] == [p[0] for p in plain]
    assert [list(r.results.element_texts()) for r in shared] == [list(p[1].element_texts()) for p in plain]
    assert any(r.results.failures for r in shared) and any(len(r.results) > len(r.results.failures) for r in shared)


def _gx_results(results: list[Any]) -> list[Any]:
    """The suite results GX gave, without what differs from run to run (times, ids)."""
    out = []
    for res in results:
        d = res.to_json_dict()
        d.pop("meta", None)
        d.pop("id", None)
        for r in d["results"]:
            r["expectation_config"].pop("id", None)
        out.append(d)
    return out


def test_shared_configurations_give_gx_the_results_of_configurations_made_per_read(doc: Document) -> None:
    from great_expectations.expectations.expectation import Expectation

    rt = new_runtime()
    frames, params = build_frames(doc), parameters(doc)
    shared = [r.gx_result for r in rt.run_all(frames, params)]
    plain = [rt._run_gx(spec, frames[spec.frame], params) for spec in rt.suites]  # outside the block
    assert _gx_results(shared) == _gx_results(plain)
    assert any(not r.success for res in plain for r in res.results) and any(
        r.success for res in plain for r in res.results
    )
    expectation = rt.suites[0].expectations[0]
    made: Expectation = rt.definitions[rt.suites[0].name].suite.expectations[0]
    with suites.quiet_row_conditions():
        assert made.configuration is not made.configuration  # outside the block: a new one per read
        with shared_configurations():
            config = made.configuration
            assert made.configuration is config and config.to_domain_obj() is config.to_domain_obj()
            assert config.meta["rule"] == expectation["meta"]["rule"]
        assert made.configuration is not config and made.configuration.kwargs == config.kwargs


def test_an_offered_runtime_is_taken_once_and_only_for_its_suites(tmp_path: Path) -> None:
    import contextvars
    import shutil

    def in_new_context() -> tuple[GxRuntime, GxRuntime, GxRuntime, GxRuntime]:
        offered = new_runtime()
        offer_runtime(offered)
        first, second = take_runtime(), take_runtime()
        offer_runtime(offered)  # a folder holding other suites: a runtime of its own
        folder = tmp_path / "suites"
        shutil.copytree(Path(suites.suites_folder()), folder)
        spec = folder / "values.json"
        text = spec.read_text(encoding="utf-8")
        assert '"message_en": "' in text
        spec.write_text(text.replace('"message_en": "', '"message_en": "(edited) ', 1), encoding="utf-8")
        return offered, first, second, take_runtime(folder)

    offered, first, second, other = contextvars.copy_context().run(in_new_context)
    assert first is offered and second is not offered and other is not offered
    assert other.suites != offered.suites and second.suites == offered.suites
    assert take_runtime() is not offered  # the offer was made in another context: not seen here


def test_a_subset_is_made_once_per_frame_and_query_inside_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"rule": ["a", "b", "a"], "v": [1, 2, 3]})
    calls: list[str] = []
    plain = rowfilter.query

    def query(f: pd.DataFrame, text: str) -> pd.DataFrame:
        calls.append(text)
        return plain(f, text)

    monkeypatch.setattr(rowfilter, "query", query)
    with shared_subsets():
        first = subset(frame, 'rule=="a"')
        again = subset(frame, 'rule=="a"')
        other = subset(frame.copy(), 'rule=="a"')  # another frame: its own subset
    outside = subset(frame, 'rule=="a"')
    assert first is again and other is not first and outside is not first
    assert len(calls) == 3 and list(first["v"]) == [1, 3]


_COLUMNS = {
    "rule": lambda v: pd.array(v, dtype="string[pyarrow]"),
    "kind": lambda v: pd.array(v, dtype=object),
    "flag": lambda v: pd.array(v, dtype=bool),
    "maybe": lambda v: pd.array(v, dtype="boolean"),
    "n": lambda v: pd.array(v, dtype="int64"),
}
_VALUES = {
    "rule": st.sampled_from(["table.total_row", "a b", "and", "x", None]),
    "kind": st.sampled_from(["x", "table.total_row", 3, True, None]),
    "flag": st.booleans(),
    "maybe": st.sampled_from([True, False, None]),
    "n": st.integers(-3, 3),
}
_LITERALS = st.sampled_from(['"table.total_row"', '"x"', '"a b"', '"and"', "True", "False", "3", "-1", "0", "03"])


@st.composite
def _frames_and_queries(draw: st.DrawFn) -> tuple[pd.DataFrame, str]:
    rows = draw(st.integers(0, 6))
    cols = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, max_size=4, unique=True))
    frame = pd.DataFrame({c: _COLUMNS[c]([draw(_VALUES[c]) for _ in range(rows)]) for c in cols})
    frame.index = pd.Index(draw(st.permutations(range(rows))))
    names = st.sampled_from([*cols, "missing", "index", "not"])
    clause = st.builds(lambda n, sp, v: f"{n}{sp}=={sp}{v}", names, st.sampled_from(["", " "]), _LITERALS)
    joins = st.sampled_from([" and ", " or ", "  and  ", " & "])
    parts = draw(st.lists(clause, min_size=1, max_size=3))
    text = parts[0] + "".join(draw(joins) + p for p in parts[1:])
    return frame, text


@settings(max_examples=300, deadline=None)
@given(_frames_and_queries())
def test_query_gives_what_dataframe_query_gives(case: tuple[pd.DataFrame, str]) -> None:
    frame, text = case
    try:
        expected: pd.DataFrame | None = frame.query(text)
    except Exception as exc:
        expected, error = None, type(exc)
    if expected is None:
        with pytest.raises(error):
            rowfilter.query(frame, text)
    else:
        pd.testing.assert_frame_equal(rowfilter.query(frame, text), expected)


def test_query_leaves_pandas_expression_engine_out_of_the_suites_conditions(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"rule": ["a", "b"], "needs_unit": [True, True], "has_unit": [True, False]})
    monkeypatch.setattr(pd.DataFrame, "query", lambda *a, **k: pytest.fail("pandas' query was run"))
    assert list(rowfilter.query(frame, 'rule=="b"').index) == [1]
    assert list(rowfilter.query(frame, "needs_unit==True and has_unit==True").index) == [0]


def test_rows_read_as_iterrows_gives_them() -> None:
    frame = pd.DataFrame(
        {
            "target": pd.array(["t1", None, "t3"], dtype="string[pyarrow]"),
            "row": [1, 2, 3],
            "observed": [1.5, float("nan"), 3.0],
            "expected_text": ["p.3", None, "未找到"],
            "items": [["a"], [], None],
            "flag": [True, False, True],
        }
    )
    numeric = pd.DataFrame({"row": [1, 2], "page": [3, 4]})
    for f in (frame, numeric, frame.iloc[[2, 0]]):
        expected = [
            (i, {k: (None if not isinstance(v, list | dict) and pd.isna(v) else v) for k, v in row.items()})
            for i, row in f.iterrows()
        ]
        got = list(suites._rows(f))
        assert got == expected
        assert [[type(v) for v in r.values()] for _, r in got] == [[type(v) for v in r.values()] for _, r in expected]


def _site(rt: GxRuntime, doc: Document) -> None:
    rt.clear_results()
    rt.run_all(build_frames(doc), parameters(doc))


def test_data_docs_from_the_child_are_those_built_here(doc: Document) -> None:
    run = validate_document(doc, docs_child=True)
    assert isinstance(run.docs, DocsInChild)
    here = validate_document(doc, docs_child=False)
    assert not isinstance(here.docs, DocsInChild)
    assert _normalised(dict(run.docs)) == _normalised(dict(here.docs))
    assert "data_docs/index.html" in run.docs and len(run.docs) == len(here.docs) > 10


def test_a_shared_runtime_or_a_small_report_builds_its_data_docs_here(doc: Document) -> None:
    run = validate_document(doc, runtime=new_runtime(), docs_child=True)
    assert isinstance(run.docs, dict) and "data_docs/index.html" in run.docs
    assert sum(len(f) for f in build_frames(doc).values()) < DOCS_CHILD_MIN_ROWS
    assert isinstance(validate_document(doc).docs, dict)  # too few rows for a child to pay off


def test_a_docs_child_that_fails_leaves_the_error_of_the_build_here(
    doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(rt: GxRuntime, folder: Path) -> None:
        raise RuntimeError(f"renderer broke in {os.getpid()}")

    monkeypatch.setattr(data_docs, "build_data_docs", broken)
    with pytest.raises(RuntimeError, match=f"renderer broke in {os.getpid()}$"):
        validate_document(doc, docs_child=False)
    run = validate_document(doc, docs_child=True)  # the child failed: reading the pages builds them here
    with pytest.raises(RuntimeError, match=f"renderer broke in {os.getpid()}$"):
        dict(run.docs)


def test_a_docs_child_that_dies_is_replaced_by_a_build_here(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    files_in = data_docs._files_in

    def dying(rt: GxRuntime, folder: Path) -> dict[str, bytes]:
        if os.getpid() != parent:
            os._exit(9)  # killed, out of memory: no pickle and no word
        return files_in(rt, folder)

    monkeypatch.setattr(data_docs, "_files_in", dying)
    rt = new_runtime()
    _site(rt, doc)
    pages = DocsInChild(rt)
    assert _normalised(dict(pages)) == _normalised(data_docs_files(rt))


def test_a_docs_child_never_read_is_ended_and_reaped(doc: Document) -> None:
    rt = new_runtime()
    _site(rt, doc)
    pages = DocsInChild(rt)
    pid, folder = pages._pid, pages._folder
    del pages  # the run failed before emit
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert not os.path.exists(folder)


def test_the_warm_up_leaves_one_thread_and_no_child() -> None:
    """The warm worker forks only with one thread: GX's disabled progress bars would start tqdm's monitor."""
    code = (
        "import threading, multiprocessing\n"
        "from pipeline.validate.warm import warm_up\n"
        "warm_up()\n"
        "print(threading.active_count(), len(multiprocessing.active_children()))\n"
    )
    env: dict[str, Any] = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.split() == ["1", "0"]


def test_shared_template_code_gives_the_pages_compiled_per_view(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    import jinja2

    rt = new_runtime()
    _site(rt, doc)
    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    shared = data_docs_files(rt)
    once = list(compiled)
    compiled.clear()
    again = data_docs_files(rt)  # the runtime keeps its compiled templates: a second site compiles none
    assert compiled == [] and _normalised(again) == _normalised(shared)
    monkeypatch.setattr(data_docs, "_templates_compiled_once", contextlib.nullcontext)
    compiled.clear()
    per_view = data_docs_files(rt)
    assert _normalised(shared) == _normalised(per_view)
    assert len(once) == len(set(once)) < len(compiled)
