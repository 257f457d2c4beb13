"""The glyph record's quick `__init__` (pipeline/load.py `_quick_init`): the same records as the
dataclass's own, with the same signature, defaults, errors and frozen slots."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, astuple, fields, make_dataclass, replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.load import Char

# the same fields, with the __init__ dataclasses generates
Plain = make_dataclass("Plain", [(f.name, f.type, f) for f in fields(Char)], frozen=True, slots=True)

_value = st.one_of(st.text(max_size=3), st.floats(allow_nan=False), st.integers(), st.booleans(), st.none())


@given(st.lists(_value, min_size=8, max_size=16), st.dictionaries(st.sampled_from(["seq", "turn", "fill"]), _value))
def test_quick_init_makes_what_the_dataclass_makes(values: list[Any], keywords: dict[str, Any]) -> None:
    names = [f.name for f in fields(Char)]
    keywords = {k: v for k, v in keywords.items() if names.index(k) >= len(values)}
    assert astuple(Char(*values, **keywords)) == astuple(Plain(*values, **keywords))


def test_quick_init_keeps_the_record_frozen_and_hashable() -> None:
    c = Char("学", 1.0, 13.0, 2.0, 14.0, 12.0, "SimSun", True, seq=3)
    assert (c.italic, c.fill, c.render_mode, c.seq, c.confidence, c.turn) == (False, None, 0, 3, 1.0, 0)
    with pytest.raises(FrozenInstanceError):
        c.x0 = 2.0  # type: ignore[misc]
    assert replace(c, turn=1).turn == 1 and c.turn == 0
    assert pickle.loads(pickle.dumps(c)) == c and hash(pickle.loads(pickle.dumps(c))) == hash(c)
    with pytest.raises(TypeError, match="missing"):
        Char("a", 1.0)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword"):
        Char("a", 1.0, 2.0, 3.0, 4.0, 5.0, "f", False, colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values"):
        Char("a", 1.0, 2.0, 3.0, 4.0, 5.0, "f", False, x0=2.0)  # type: ignore[misc]
