"""Joining printed text back together: characters into lines, wrapped lines into paragraphs.

The rule of Chinese typesetting: no space between two CJK characters (or CJK and full-width
punctuation); Latin words and numbers keep the spaces the PDF prints between them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .load import Char

_SPACES = re.compile(r"[ \u3000\u00a0]+")


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, and full-width/CJK punctuation: characters that take no spaces."""
    if not ch:
        return False
    o = ord(ch[0])
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2FFFF
        or 0xF900 <= o <= 0xFAFF
        or 0x3000 <= o <= 0x303F  # CJK punctuation: 、。〈〉《》「」【】〔〕
        or 0x3040 <= o <= 0x30FF
        or 0xFF00 <= o <= 0xFFEF  # full-width forms: （），：；！？
        or 0x2010 <= o <= 0x206F  # dashes, curly quotes, ‰, … as set between CJK characters
        or 0x2E80 <= o <= 0x2FDF  # radicals
        or o == 0x00B7
    )


def tidy(text: str) -> str:
    """Collapse runs of spaces; drop spaces that touch a CJK character on both sides."""
    text = _SPACES.sub(" ", text).strip()
    if " " not in text:
        return text
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch == " ":
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if is_cjk(prev) and is_cjk(nxt):
                continue
        out.append(ch)
    return "".join(out)


def join_chars(chars: Sequence[Char]) -> str:
    """Text of one printed line (chars sorted left to right).

    Space glyphs are kept where the PDF has them; where it has none, a gap wider than a third
    of the font size between two non-CJK characters becomes one space (PDFs that position words).
    """
    parts: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None and c.text != " " and prev.text != " ":
            gap = c.x0 - prev.x1
            if gap > 0.3 * max(c.size, prev.size) and not (is_cjk(prev.text[-1]) and is_cjk(c.text[0])):
                parts.append(" ")
        parts.append(" " if c.text == "\u3000" else c.text)
        prev = c
    return tidy("".join(parts))


def join_wrapped(lines: Sequence[str]) -> str:
    """Rejoin lines wrapped inside one paragraph or cell: a space only between two Latin words."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not is_cjk(out[-1]) and not is_cjk(line[0]) and not out.endswith("-"):
            out += " "
        out += line
    return tidy(out)


def nfkc_squash(text: str) -> str:
    """NFKC with all whitespace removed: the key for comparing titles across forms."""
    return "".join(unicodedata.normalize("NFKC", text).split())
