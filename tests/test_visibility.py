"""The hidden-glyph filter (pipeline/visibility.py): the indexed versions give what the plain
definitions give, glyph for glyph and in order, on generated pages dense with overprints."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load import Char
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.visibility import _Painted, _single_layer, _single_layer_simple, visible_chars

LAYOUT = DEFAULT_SETTINGS.layout

# glyphs on a coarse lattice of positions and sizes, so that repeats, overprints, touching and
# nested boxes are common; a few texts so that "the same glyph again" happens too
_coord = st.integers(min_value=-4, max_value=24).map(lambda k: k * 2.5)
_side = st.sampled_from([0.0, 1.0, 2.5, 5.0, 6.0, 12.0, 12.5, 30.0, 400.0])


@st.composite
def glyph(draw: st.DrawFn) -> Char:
    x0, top = draw(_coord), draw(_coord)
    w, h = draw(_side), draw(_side)
    if draw(st.booleans()):  # nearly the same spot: an overprint a little off
        x0 += draw(st.sampled_from([0.0, 0.3, 1.7]))
    text = draw(st.sampled_from(["3", "7", ".", "学", " ", "\u3000"]))
    seq = draw(st.integers(min_value=0, max_value=40))
    fill = draw(st.sampled_from([None, "#000000", "#ffffff", "#fefefe", "#808080", "bad"]))
    mode = draw(st.sampled_from([0, 0, 0, 3, 7]))
    clipped = draw(st.booleans()) and draw(st.booleans())
    return Char(
        text, x0, x0 + w, top, top + h, h, "SimSun", False, fill=fill, render_mode=mode, seq=seq, clipped=clipped
    )


def _ids(chars: list[Char]) -> list[int]:
    return [id(c) for c in chars]


@settings(max_examples=300, deadline=None)
@given(st.lists(glyph(), max_size=80), st.sampled_from([0.0, 0.05, 0.3, 0.6, 0.9, 1.0]))
def test_single_layer_is_the_simple_definition(chars: list[Char], share: float) -> None:
    s = replace(LAYOUT, overprint_share=share)
    assert _ids(_single_layer(chars, s)) == _ids(_single_layer_simple(chars, s))


def test_single_layer_keeps_the_top_glyph_and_the_first_repeat() -> None:
    under = Char("4", 10.0, 16.0, 10.0, 22.0, 12.0, "SimSun", False, seq=1)
    over = Char("3", 10.2, 16.2, 10.0, 22.0, 12.0, "SimSun", False, seq=2)
    again = Char("3", 10.3, 16.3, 10.1, 22.1, 12.0, "SimSun", False, seq=3)
    beside = Char("7", 16.2, 22.2, 10.0, 22.0, 12.0, "SimSun", False, seq=4)
    heading = Char("学", 100.0, 130.0, 10.0, 40.0, 30.0, "SimSun", False, seq=5)
    kept = _single_layer([under, over, again, beside, heading], LAYOUT)
    assert _ids(kept) == _ids([over, beside, heading])


def test_single_layer_takes_overprints_in_the_simple_order() -> None:
    """A glyph over two earlier ones: the simple version meets the one in the bucket left of its own
    first (a different glyph: dropped), then the one in its own bucket (the same glyph: this one is
    dropped), whatever their drawing order."""
    same = Char("3", 38.0, 42.0, 15.0, 19.0, 4.0, "SimSun", False, seq=1)
    other = Char("7", 26.0, 30.0, 15.0, 19.0, 4.0, "SimSun", False, seq=2)
    big = Char("3", 25.0, 45.0, 10.0, 30.0, 20.0, "SimSun", False, seq=3)
    heading = Char("学", 200.0, 230.0, 200.0, 230.0, 30.0, "SimSun", False, seq=4)  # buckets 30 pt wide
    chars = [same, other, big, heading]
    assert _ids(_single_layer_simple(chars, LAYOUT)) == _ids([same, heading])
    assert _ids(_single_layer(chars, LAYOUT)) == _ids([same, heading])


def _painted_simple(shapes: list[tuple[tuple[float, float, float, float], int]], x: float, y: float, seq: int) -> bool:
    return any(later > seq and x0 <= x <= x1 and top <= y <= bottom for (x0, top, x1, bottom), later in shapes)


_box = st.tuples(_coord, _coord, _side, _side).map(lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3]))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_box, st.integers(min_value=1, max_value=40)), max_size=60),
    st.lists(st.tuples(_coord, _coord, st.integers(min_value=1, max_value=40)), min_size=1, max_size=30),
)
def test_painted_lookup_is_the_plain_scan(
    shapes: list[tuple[tuple[float, float, float, float], int]], points: list[tuple[float, float, int]]
) -> None:
    painted = _Painted(shapes)
    for x, y, seq in points:
        assert painted.over(x, y, seq) == _painted_simple(shapes, x, y, seq)


def _visible_simple(
    chars: list[Char], width: float, height: float, filled: list[tuple[tuple[float, float, float, float], int]]
) -> list[Char]:
    """visible_chars as first written: every test on the glyph's own centre."""
    shapes = [r for r, _ in filled]
    kept = []
    for c in chars:
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        on = [r for r in shapes if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
        if c.clipped or not (0 <= x <= width and 0 <= y <= height):
            continue
        if c.render_mode in (3, 7):
            continue
        light = (
            min(int(c.fill[i : i + 2], 16) for i in (1, 3, 5)) / 255
            if c.fill is not None and len(c.fill) == 7 and c.fill.startswith("#")
            else 0.0
        )
        if light >= LAYOUT.white_level and c.text.strip() and not on:
            continue
        if c.seq and _painted_simple([f for f in filled if f[1]], x, y, c.seq):
            continue
        kept.append(c)
    return _single_layer_simple(kept, LAYOUT)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(glyph(), max_size=60),
    st.lists(st.tuples(_box, st.integers(min_value=0, max_value=40)), max_size=30),
)
def test_visible_chars_is_the_plain_filter(
    chars: list[Char], filled: list[tuple[tuple[float, float, float, float], int]]
) -> None:
    assert _ids(visible_chars(chars, 120.0, 140.0, filled)) == _ids(_visible_simple(chars, 120.0, 140.0, filled))
