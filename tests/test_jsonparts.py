"""pipeline/jsonparts.py: a JSON object written in pieces is the text json.dumps writes at once."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.jsonparts import object_parts
from pipeline.model import Finding

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


def _whole(fields: dict[str, object]) -> str:
    return json.dumps(fields, ensure_ascii=False, indent=1) + "\n"


@given(st.dictionaries(st.text(), values, max_size=5))
def test_pieces_join_to_json_dumps_of_the_whole(fields: dict[str, object]) -> None:
    assert "".join(object_parts(fields.items())) == _whole(fields)


def test_models_in_a_list_are_dumped_as_json_values() -> None:
    findings = [
        Finding(code="c", severity="info", message="行\n二", page=3),
        Finding(code="d", severity="error", message=""),
    ]
    text = "".join(object_parts([("findings", findings), ("empty", [])]))
    assert text == _whole({"findings": [f.model_dump(mode="json") for f in findings], "empty": []})
