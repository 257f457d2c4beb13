"""Ruling lines of a scanned page, found in its image: what a text layer's drawn rules would be.

The text the engine found is painted out first (its strokes would otherwise read as short rules),
the page is binarised (Otsu), and a morphological opening with a long thin kernel keeps only the
dark runs at least `load.ocr_rule_length` long, horizontally and vertically; each connected run
becomes one `Rule` through its middle, in page points.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..load import Rule

Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


def detect_rules(gray: np.ndarray, scale: float, min_length_px: int, text: Iterable[Rect] = ()) -> list[Rule]:
    """Horizontal and vertical rules of a grayscale page image (`scale`: points per pixel)."""
    import cv2  # lazy: only scanned pages need it

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    h, w = ink.shape
    for x0, top, x1, bottom in text:
        ink[max(0, int(top)) : min(h, int(bottom) + 1), max(0, int(x0)) : min(w, int(x1) + 1)] = 0
    length = max(2, int(min_length_px))
    rules: list[Rule] = []
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, bw, bh, _ in stats[1:count]:
            if horizontal:
                mid = (y + bh / 2) * scale
                rules.append(Rule(x * scale, mid, (x + bw) * scale, mid))
            else:
                mid = (x + bw / 2) * scale
                rules.append(Rule(mid, y * scale, mid, (y + bh) * scale))
    return rules


__all__ = ["detect_rules"]
