"""The clip in force at each text-showing operator of a page's content stream, as pdfminer sees it.

pdfium drops a text object's clip when it is one rectangle holding the object's ink (its parser's
"check clip" step), so a glyph box that reaches past the rectangle without ink (a space at a table
cell's edge) is no longer known as clipped; pdfplumber's records (`pipeline.glyph_paint`) keep it.
The content stream still says it: this scan follows what `glyph_paint` follows (the current path's
points, `W`/`W*` taking the path as the clip at its painting operator, `q`/`Q`, `cm`) and notes the
clip (the bounding box, intersected, in user space) at each `Tj`, `TJ`, `'` and `"` that shows a
string, in order: pdfium makes one text object per such operator, in the same order.

It is a scan, not a parse: strings are blanked first (their bytes could read as operators) and
inline images cut out; what it cannot follow it does not guess (`None`: pdfium's clips stand).
"""

from __future__ import annotations

import itertools
import re

from .matrix import IDENTITY, Matrix, mult

UserBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in user space

_STRINGS = re.compile(rb"\((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>", re.S)
_INLINE_IMAGE = re.compile(rb"(?<!\S)BI(?!\S).*?(?<!\S)ID\s.*?(?<!\S)EI(?!\S)", re.S)
_BRACKETS = bytes.maketrans(b"[]", b"  ")
_SHOWN = b"@"  # what a blanked string reads as

# operator → (kind, operand count): kinds q, Q, cm, path point(s), W, painting, text shown
_OPS: dict[bytes, tuple[str, int]] = {
    b"q": ("q", 0),
    b"Q": ("Q", 0),
    b"cm": ("cm", 6),
    b"re": ("re", 4),
    b"m": ("pt", 2),
    b"l": ("pt", 2),
    b"c": ("pt", 6),
    b"v": ("pt", 4),
    b"y": ("pt", 4),
    b"W": ("W", 0),
    b"W*": ("W", 0),
    **{op: ("paint", 0) for op in (b"n", b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*")},
    **{op: ("show", 0) for op in (b"Tj", b"TJ", b"'", b'"')},
}


def _numbers(tokens: list[bytes], end: int, count: int) -> list[float] | None:
    if end < count:
        return None
    try:
        return [float(t) for t in tokens[end - count : end]]
    except ValueError:
        return None


def text_clips(content: bytes) -> list[UserBox | None] | None:
    """The clip box at each string-showing operator of `content` (one page's streams joined), in order;
    None when the stream holds something the scan does not follow (a malformed operand)."""
    if b"BI" in content:
        content = _INLINE_IMAGE.sub(b" ", content)
    tokens = _STRINGS.sub(b" " + _SHOWN + b" ", content).translate(_BRACKETS).split()
    out: list[UserBox | None] = []
    ctm: Matrix = IDENTITY
    clip: UserBox | None = None
    stack: list[tuple[Matrix, UserBox | None]] = []
    points: list[tuple[float, float]] = []
    pending = False
    previous = -1
    # operands are read back from their op
    for i in itertools.compress(range(len(tokens)), map(_OPS.__contains__, tokens)):
        kind, count = _OPS[tokens[i]]
        if kind == "show":
            if (i - 1 > previous and tokens[i - 1] == _SHOWN) or _SHOWN in tokens[previous + 1 : i]:
                out.append(clip)  # a string shown (mostly the operand just before)
        elif kind == "q":
            stack.append((ctm, clip))
        elif kind == "Q":
            if stack:
                ctm, clip = stack.pop()
        elif kind == "W":
            pending = True
        elif kind == "paint":
            if pending and points:
                clip = _clipped(clip, ctm, points)
            pending = False
            points = []
        else:
            values = _numbers(tokens, i, count)
            if values is None:
                return None
            if kind == "cm":
                a, b, c, d, e, f = values
                ctm = mult((a, b, c, d, e, f), ctm)
            elif kind == "re":
                x, y, w, h = values
                points += [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
            else:
                points += list(zip(values[0::2], values[1::2], strict=True))
        previous = i
    return out


def _clipped(clip: UserBox | None, ctm: Matrix, points: list[tuple[float, float]]) -> UserBox:
    """The path's bounding box in user space, intersected with the clip in force (`glyph_paint`'s rule)."""
    a, b, c, d, e, f = ctm
    xs = [a * x + c * y + e for x, y in points]
    ys = [b * x + d * y + f for x, y in points]
    box = (min(xs), min(ys), max(xs), max(ys))
    if clip is None:
        return box
    return max(box[0], clip[0]), max(box[1], clip[1]), min(box[2], clip[2]), min(box[3], clip[3])
