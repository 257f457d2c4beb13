"""pipeline/validate/resultlog.py: results written out as made read back and write validation.json as models do."""

from __future__ import annotations

import copy
import json
import pickle

from hypothesis import given
from hypothesis import strategies as st

from pipeline.jsonparts import element_json, object_parts
from pipeline.model import ValidationResult
from pipeline.validate.resultlog import ResultLog

shown = st.none() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
results = st.builds(
    ValidationResult,
    rule=st.text(min_size=1),
    suite=st.sampled_from(["nianbao.values", "nianbao.structure"]),
    expectation=st.text(),
    severity=st.sampled_from(["info", "warning", "error"]),
    success=st.booleans(),
    target=st.none() | st.text(),
    row=st.none() | st.integers(0, 10_000),
    page=st.none() | st.integers(1, 1000),
    expected=shown,
    observed=shown,
    message_zh=st.text(),
)


@given(st.lists(results, max_size=8), st.lists(results, max_size=8))
def test_a_log_reads_back_what_was_appended_and_writes_the_same_json(
    a: list[ValidationResult], b: list[ValidationResult]
) -> None:
    log = ResultLog.joined([ResultLog(a), ResultLog(b)])
    both = a + b
    assert len(log) == len(both) and list(log) == both
    assert log.failures == [r for r in both if not r.success]
    assert list(log.element_texts()) == [element_json(r) for r in both]
    assert ResultLog(a) + ResultLog(b) == both and a + ResultLog(b) == both  # concatenated as the lists they were
    whole = json.dumps({"results": [r.model_dump(mode="json") for r in both]}, ensure_ascii=False, indent=1) + "\n"
    assert "".join(object_parts([("results", log)])) == whole
    if both:
        assert log[-1] == both[-1] and log[0] == both[0] and log[1:] == both[1:]


def test_many_results_outlast_the_write_buffer_and_copies_keep_them() -> None:
    made = [
        ValidationResult(
            rule="r", suite="s", expectation="e", severity="warning", success=i % 7 != 0, row=i, observed="值" * 50
        )
        for i in range(20_000)
    ]  # ~3 MB of text: written in several flushes
    log = ResultLog(made)
    assert len(log) == 20_000 and log[12_345] == made[12_345] and log[-1] == made[-1]
    assert [r.row for r in log.failures] == list(range(0, 20_000, 7))
    assert copy.deepcopy(log) is log and copy.copy(log) is log
    again = pickle.loads(pickle.dumps(log))
    assert again is not log and again == log and again.failures == log.failures


def test_an_empty_log_is_an_empty_list() -> None:
    log = ResultLog()
    assert len(log) == 0 and list(log) == [] and log.failures == []
    assert "".join(object_parts([("results", log), ("x", 1)])) == '{\n "results": [],\n "x": 1\n}\n'
