"""The pdfium reader's shortcut for a text object of one glyph gives what its general space and repeat
rules give (`_repeats`, then `_object_spaces`), whatever the glyph's place against the object's bounds
and whether an earlier object's glyph lies where a dropped repeat would be.

A grid rather than random draws: the cases that tell the rules apart are narrow bands (bounds within
a twentieth of an em of the advance, a space a tenth of an em wide), which every run must visit."""

from __future__ import annotations

import itertools

from pipeline.readers.pdfium_reader import Paint, _Font, _object_spaces, _Objects, _repeats, _space_runs, _TextObject

TARGET, EARLIER = 7, 5
Y = 100.0
Bounds = tuple[float, float, float, float]


class _Calls:
    """Stands in for the pdfium calls `_space_runs` makes: each object's bounds."""

    def __init__(self, bounds: dict[int, Bounds | None]) -> None:
        self._bounds = bounds

    def bounds(self, address: int) -> Bounds | None:
        return self._bounds[address]


def _case(
    text: str,
    advance: float,
    scale: float,
    size: float,
    space_width: float,
    edges: tuple[float, float, float] | None,
    earlier: float | None,
    origin: float | None,
) -> tuple[object, object]:
    """What `_space_runs` gives for the target object, and what the general rules give for it."""
    em, x = scale * size, 72.5
    adv = advance * size if advance >= 0 else -1.0
    font = _Font("F", False, False, -0.2, None, {" ": space_width, "9": 0.5})
    info = _TextObject(font, None, size, (scale, 0.0, 0.0, scale, 0.0, 0.0), 0, TARGET, Paint(2, 0, None))
    glyph = (text, TARGET, x, Y, adv, 3)
    end = x + scale * max(adv, 0.0)
    left, right, ink = edges if edges is not None else (0.0, 0.0, 0.0)
    bounds = (x + left * em, Y - 5.0, end + right * em, Y + 10.0) if edges is not None else None
    groups = {TARGET: (info, [glyph])}
    lines = {round(Y): [(glyph, 2)]} if text != " " else {}
    if earlier is not None:  # another object's glyph, drawn before, where a repeat left out would be
        other = ("9", EARLIER, x + earlier * em, Y, 0.5 * size, 1)
        other_info = _TextObject(font, None, size, info.matrix, 0, EARLIER, Paint(1, 0, None))
        groups = {EARLIER: (other_info, [other]), **groups}
        lines = {round(Y): [(other, 1), *lines.get(round(Y), [])]}

    def ink_right(index: int) -> float:
        return end + ink * em

    found = _Objects()
    start = (x + origin * em, Y) if origin is not None else None  # the object's origin, where pdfium knows it
    if start is not None:
        found.outers[TARGET] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        found.matrix_of = lambda address: (1.0, 0.0, 0.0, 1.0, *start)
    got = _space_runs(groups, _Calls({TARGET: bounds, EARLIER: None}), ink_right, found)  # type: ignore[arg-type]
    kept = _repeats([glyph], info, [], lambda: lines, bounds, lambda address: start)
    return got[TARGET][1], kept + _object_spaces(kept, info, [], bounds, ink_right)


def test_one_glyph_objects_come_out_as_the_general_rules_give() -> None:
    edges = [
        *itertools.product(
            [-0.4, -0.2, 0.0, 0.1],  # the ink's left edge from the glyph's origin, in ems
            [-0.3, -0.02, 0.04, 0.06, 0.2, 0.5],  # its right edge from the advance's end
            [-0.1, 0.2, 0.6],  # the glyph's own ink from the advance's end
        ),
        None,  # no bounds
    ]
    cases = itertools.product(
        [("字", 1.0, 12.0), (" ", 1.0, 3.0), (".", 0.05, 240.0)],  # text, scale, size
        [-1.0, 0.0, 0.3, 0.5, 1.0],  # advance in ems (-1: unknown)
        [0.0, 0.01, 0.1, 0.25, 0.5],  # space width in ems
        edges,
        [None, -0.5, 0.0, 0.3, 1.0],  # an earlier glyph's place, in ems from the glyph's origin
        [None, -0.5],  # the object's origin (None: not known), in ems from the glyph's
    )
    differing = []
    seen = 0
    for (text, scale, size), advance, space, edge, earlier, origin in cases:
        got, want = _case(text, advance, scale, size, space, edge, earlier, origin)
        seen += 1
        if got != want:
            differing.append((text, advance, space, edge, earlier, got, want))
    assert seen == 3 * 5 * 5 * 73 * 5 * 2
    assert not differing, differing[:3]
