"""The OCR engine: RapidOCR (PP-OCRv4 Chinese models run by onnxruntime), shipped inside its wheel.

`rapidocr-onnxruntime` carries its detection, direction and recognition models in the package, so
reading a page needs no download (tests/test_ocr.py runs it with the network cut). The engine is
imported and its models loaded only when a page needs OCR, once per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text as the engine read it, in pixels of the rendered page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    glyphs: tuple[tuple[float, float], ...] = ()  # x0, x1 of each non-space char, when the engine gave them


def _span(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def text_line(raw: Sequence[Any]) -> TextLine:
    """One result of RapidOCR: [quad, text, score] and, asked for word boxes, one quad per word."""
    quad, text, score = raw[0], str(raw[1]), float(raw[2])
    x0, top, x1, bottom = _span(quad)
    words = raw[3] if len(raw) > 3 and raw[3] else []
    ink = [c for c in text if c.strip()]
    glyphs: tuple[tuple[float, float], ...] = ()
    if words and len(words) == len(ink):  # one box per char (CJK and digits are read char by char)
        glyphs = tuple((s[0], s[2]) for s in (_span(w) for w in words))
    return TextLine(text, x0, top, x1, bottom, score, glyphs)


class Engine:
    """RapidOCR, made once per document (its models take a fraction of a second to load)."""

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR  # lazy: only documents with scanned pages pay for it

        self._ocr = RapidOCR()

    def read(self, image: np.ndarray) -> list[TextLine]:
        """The text lines of an RGB page image, top to bottom as the engine orders them."""
        result, _ = self._ocr(image, return_word_box=True)
        return [text_line(r) for r in result or ()]


__all__ = ["Engine", "TextLine", "text_line"]
