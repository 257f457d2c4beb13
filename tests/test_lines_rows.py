"""Glyphs into printed lines (pipeline/lines.py `char_rows`): the same rows, in the same order, as
the plain definition (sorted by vertical centre, each glyph joining one of the last three bands)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lines import char_rows, dedupe_chars
from pipeline.load import Char


def _rows_simple(chars: list[Char]) -> list[list[Char]]:
    rows: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for c in sorted(dedupe_chars(chars), key=lambda c: (c.top + c.bottom) / 2):
        mid = (c.top + c.bottom) / 2
        placed = False
        for i in range(len(bands) - 1, max(-1, len(bands) - 4), -1):
            top, bottom = bands[i]
            if top <= mid <= bottom:
                rows[i].append(c)
                bands[i] = (min(top, c.top), max(bottom, c.bottom)) if c.text != " " else bands[i]
                placed = True
                break
        if not placed:
            rows.append([c])
            bands.append((c.top, c.bottom))
    for r in rows:
        r.sort(key=lambda c: c.x0)
    return rows


_pos = st.integers(min_value=0, max_value=40).map(lambda k: k * 1.5)


@st.composite
def glyph(draw: st.DrawFn) -> Char:
    x0, top = draw(_pos), draw(_pos)
    h = draw(st.sampled_from([0.0, 3.0, 6.0, 12.0]))
    text = draw(st.sampled_from(["a", "学", " ", "1"]))
    return Char(text, x0, x0 + draw(st.sampled_from([0.0, 3.0, 6.0])), top, top + h, h, "SimSun", False)


@settings(max_examples=300, deadline=None)
@given(st.lists(glyph(), max_size=60))
def test_char_rows_is_the_plain_definition(chars: list[Char]) -> None:
    got, want = char_rows(chars), _rows_simple(chars)
    assert [[id(c) for c in r] for r in got] == [[id(c) for c in r] for r in want]
