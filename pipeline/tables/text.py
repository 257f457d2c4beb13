"""Cell text from characters: lines in reading order, no spaces between CJK, Latin spacing kept.

The loader drops whitespace characters, so spaces are re-inferred from gaps between glyphs;
a gap is only a space when at least one side is not CJK (Chinese text is never spaced).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..load import Char

SPACE_GAP = 0.15  # gap (in font sizes) above which two glyphs are separated by a space (STSong-Light: 0.2)
_CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x2010, 0x206F),  # CJK texts put dashes and curly quotes between CJK without spaces
)


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs, kana and full-width punctuation/forms."""
    o = ord(ch[0]) if ch else 0
    return any(a <= o <= b for a, b in _CJK_RANGES)


def dedupe_chars(chars: Iterable[Char]) -> list[Char]:
    """Drop glyphs printed twice at the same spot (fake bold), which would double the text, and blanks."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Char] = []
    for c in chars:
        if not c.text.strip():  # a space glyph some producers emit: spacing is re-inferred from gaps
            continue
        key = (c.text, round(c.x0), round(c.top))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars → text lines (top to bottom, each left to right) by vertical overlap of glyph centres."""
    lines: list[list[Char]] = []
    centres: list[float] = []
    for c in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        mid = (c.top + c.bottom) / 2
        if lines and abs(mid - centres[-1]) <= max(1.5, 0.45 * (c.bottom - c.top)):
            lines[-1].append(c)
            n = len(lines[-1])
            centres[-1] += (mid - centres[-1]) / n
        else:
            lines.append([c])
            centres.append(mid)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _needs_space(left: str, right: str) -> bool:
    return not (is_cjk(left) or is_cjk(right))


def line_text(line: Sequence[Char]) -> str:
    """One line's text: a space where the gap is wide and not both neighbours are CJK."""
    out: list[str] = []
    prev: Char | None = None
    for c in line:
        if prev is not None:
            gap = c.x0 - prev.x1
            if gap > SPACE_GAP * max(c.size, 1.0) and _needs_space(prev.text[-1], c.text[0]):
                out.append(" ")
        out.append(c.text)
        prev = c
    return "".join(out)


def join_lines(texts: Sequence[str]) -> str:
    """Lines of one cell → one string: line breaks removed; a space only between two Latin words."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


def cell_text(chars: Sequence[Char]) -> str:
    """Text of the glyphs inside one cell, as printed, without line breaks."""
    return join_lines([line_text(ln) for ln in group_lines(dedupe_chars(chars))])


def squash(s: str) -> str:
    """Whitespace-free form used to compare cells (repeated headers, restated text)."""
    return "".join(s.split())
