"""Cell text from characters: lines in reading order, no spaces between CJK, Latin spacing kept.

The joining rules are the document's (pipeline/text.py); this module only groups a cell's glyphs
into its printed lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..load import Char
from ..text import join_chars, join_wrapped


def dedupe_chars(chars: Iterable[Char]) -> list[Char]:
    """Drop glyphs printed twice at the same spot (fake bold), which would double the text."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Char] = []
    for c in chars:
        key = (c.text, round(c.x0), round(c.top))
        if key not in seen or c.text == " ":
            seen.add(key)
            out.append(c)
    return out


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars → text lines (top to bottom, each left to right) by vertical overlap of glyph centres.

    Space glyphs take no part in forming lines; each joins the line its centre falls in.
    """
    lines: list[list[Char]] = []
    centres: list[float] = []
    spaces: list[Char] = []
    for c in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        if c.text == " ":
            spaces.append(c)
            continue
        mid = (c.top + c.bottom) / 2
        if lines and abs(mid - centres[-1]) <= max(1.5, 0.45 * (c.bottom - c.top)):
            lines[-1].append(c)
            n = len(lines[-1])
            centres[-1] += (mid - centres[-1]) / n
        else:
            lines.append([c])
            centres.append(mid)
    for sp in spaces:
        mid = (sp.top + sp.bottom) / 2
        if centres:
            i = min(range(len(centres)), key=lambda k: abs(centres[k] - mid))
            lines[i].append(sp)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def line_text(line: Sequence[Char]) -> str:
    return join_chars(line)


def join_lines(texts: Sequence[str]) -> str:
    """Lines of one cell → one string: line breaks removed; a space only between two Latin words."""
    return join_wrapped(texts)


def cell_text(chars: Sequence[Char]) -> str:
    """Text of the glyphs inside one cell, as printed, without line breaks."""
    return join_lines([line_text(ln) for ln in group_lines(dedupe_chars(chars))])


def squash(s: str) -> str:
    """Whitespace-free form used to compare cells (repeated headers, restated text)."""
    return "".join(s.split())
