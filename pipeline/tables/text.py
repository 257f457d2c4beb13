"""Cell text from characters: lines in reading order, no spaces between CJK, Latin spacing kept.

The joining rules are the document's (pipeline/text.py) and the lines are the pipeline's one
line grouping (pipeline/lines.py); this module only reads a cell's glyphs through them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lines import char_rows
from ..load import Char
from ..text import join_chars, join_wrapped


def join_lines(texts: Sequence[str]) -> str:
    """Lines of one cell → one string: line breaks removed; a space only between two Latin words."""
    return join_wrapped(texts)


def cell_text(chars: Sequence[Char]) -> str:
    """Text of the glyphs inside one cell, as printed, without line breaks."""
    return join_lines([join_chars(ln) for ln in char_rows(chars)])


def squash(s: str) -> str:
    """Whitespace-free form used to compare cells (repeated headers, restated text)."""
    return "".join(s.split())
