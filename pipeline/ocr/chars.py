"""OCR text lines as the load stage's `Char` records, so layout reads a scan like a text layer.

Each recognised char gets its own box: the engine's per-char box where it gave one, else the
line's box split by the chars' widths (a CJK char one em, a Latin one half). The size is what a
text layer would give: the pitch of the line's CJK chars (their advance is one em), which the
detector's padded line box is not (its padding grows for short lines); a line without two CJK
chars takes the page's typical pitch, capped by its own height.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Sequence

from ..load import Char
from .engine import TextLine

OCR_FONT = "OCR"  # the font name OCR chars carry: no face is known


def wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _spans(line: TextLine, ink: Sequence[str]) -> list[tuple[float, float]]:
    if line.glyphs:
        return list(line.glyphs)
    weights = [1.0 if wide(c) else 0.5 for c in ink]
    unit = (line.x1 - line.x0) / (sum(weights) or 1.0)
    spans: list[tuple[float, float]] = []
    x = line.x0
    for w in weights:
        spans.append((x, x + w * unit))
        x += w * unit
    return spans


def pitch(line: TextLine) -> float | None:
    """The median advance between neighbouring CJK chars of the line (pixels); None without two."""
    ink = [c for c in line.text if c.strip()]
    spans = _spans(line, ink)
    steps = [
        spans[i + 1][0] - spans[i][0]
        for i in range(len(ink) - 1)
        if wide(ink[i]) and wide(ink[i + 1]) and spans[i + 1][0] > spans[i][0]
    ]
    return statistics.median(steps) if steps else None


def page_chars(lines: Sequence[TextLine], scale: float) -> list[Char]:
    """The chars of a page's OCR lines in page points (`scale`: points per pixel)."""
    pitches = [p for p in (pitch(ln) for ln in lines) if p is not None]
    typical = statistics.median(pitches) if pitches else None
    out: list[Char] = []
    for ln in lines:
        ink = [c for c in ln.text if c.strip()]
        if not ink:
            continue
        height = ln.bottom - ln.top
        own = pitch(ln)
        size_px = own if own is not None else min(height, typical) if typical is not None else 0.8 * height
        middle = (ln.top + ln.bottom) / 2
        top, bottom = (middle - size_px / 2) * scale, (middle + size_px / 2) * scale
        size = round(bottom - top, 2)
        for ch, (x0, x1) in zip(ink, _spans(ln, ink), strict=True):
            out.append(
                Char(ch, x0 * scale, x1 * scale, top, bottom, size, OCR_FONT, False, ocr=True, confidence=ln.confidence)
            )
    return out


__all__ = ["OCR_FONT", "page_chars", "pitch", "wide"]
