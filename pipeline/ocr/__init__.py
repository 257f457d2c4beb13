"""Scanned pages read by OCR: their text as `Char` records, their ruling lines as `Rule` records.

`pipeline.load.iter_pages` opens an `OcrSession` only when `needs_ocr` picks a page (`load.ocr`: auto, always, never),
so a document with a text layer never imports the engine. Each picked page is rendered
(pypdfium2, `load.ocr_dpi`), read by the engine (engine.py: RapidOCR, models in its wheel, no
download), turned into chars (chars.py: `ocr=True`, the line's confidence) and, where the page
draws no rules of its own, given the lines found in its image (rules.py). Headings, paragraphs
and tables then flow through the same stages as a text layer's.

In `auto` the text layer stays and OCR adds only what lies off its glyphs (a stamp's page number
is not read twice); in `always` OCR replaces the text layer. The page is marked (`PageData.ocr`),
the image that was the scan is no figure, and findings say which pages were read by OCR and
which text the engine doubted (`ocr_low_confidence`, with a sample).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..load import Char, PageData, rect_cover
from ..model import Finding
from ..settings import DEFAULT_SETTINGS, Settings
from .chars import page_chars
from .engine import Engine, TextLine
from .rules import detect_rules

SAMPLE_CHARS = 20  # a low-confidence finding quotes this much of the doubtful line


def _off_layer(chars: Sequence[Char], layer: Sequence[Char]) -> list[Char]:
    """The OCR chars whose centre lies on no glyph of the text layer."""
    ink = [c for c in layer if c.text.strip()]

    def covered(c: Char) -> bool:
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        return any(g.x0 <= x <= g.x1 and g.top <= y <= g.bottom for g in ink)

    return [c for c in chars if not covered(c)]


def read_scan(
    page: PageData, image: np.ndarray, lines: Sequence[TextLine], settings: Settings = DEFAULT_SETTINGS
) -> PageData:
    """`page` with the text OCR read in `image`, its rendering (BGR), and, if it draws none, the rules found there."""
    s = settings.load
    scale = page.width / image.shape[1]  # points per pixel
    found = page_chars(lines, scale)
    chars = found if s.ocr == "always" else [*page.chars, *_off_layer(found, page.chars)]
    rules = page.rules
    if not rules:
        gray = image if image.ndim == 2 else image[..., :3].mean(axis=2).astype(np.uint8)
        masks = [(c.x0 / scale, c.top / scale, c.x1 / scale, c.bottom / scale) for c in found]
        rules = detect_rules(gray, scale, round(s.ocr_rule_length * page.width / scale), masks)
    images = page.images
    if found:  # the scan itself is not a figure of the page
        images = [i for i in images if rect_cover(i, page.width, page.height) < s.ocr_image_cover]
    return replace(page, chars=chars, rules=rules, images=images, ocr=True)


def page_findings(number: int, lines: Sequence[TextLine], settings: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """That page `number` was read by OCR, and the text the engine read with little confidence."""
    if not lines:
        return [Finding(code="ocr_page", severity="info", message=f"page {number}: OCR found no text", page=number)]
    mean = sum(ln.confidence for ln in lines) / len(lines)
    out = [
        Finding(
            code="ocr_page",
            severity="info",
            message=f"page {number} was read by OCR: {len(lines)} lines, mean confidence {mean:.2f}",
            page=number,
        )
    ]
    low = [ln for ln in lines if ln.confidence < settings.load.ocr_min_confidence]
    if low:
        worst = min(low, key=lambda ln: ln.confidence)
        out.append(
            Finding(
                code="ocr_low_confidence",
                severity="warning",
                message=(
                    f"page {number}: {len(low)} OCR lines read with confidence below "
                    f"{settings.load.ocr_min_confidence:g}, e.g. {worst.text[:SAMPLE_CHARS]!r} ({worst.confidence:.2f})"
                ),
                page=number,
            )
        )
    return out


def render(pdf_page: Any, dpi: int) -> np.ndarray:
    """The page as a BGR image at `dpi` (what OpenCV and the engine take)."""
    bitmap = pdf_page.render(scale=dpi / 72)
    try:
        return np.array(bitmap.to_numpy()[..., :3], copy=True)
    finally:
        bitmap.close()


class OcrSession:
    """One document's OCR: its pages rendered from the PDF, one engine for them all (both made on
    first use, closed with the session). `read(page)` returns the page read and its findings.

    Without the engine installed the pages stay as they are, and the first says so once.
    """

    def __init__(self, path: Path, settings: Settings = DEFAULT_SETTINGS, password: str | None = None) -> None:
        self.path = path
        self.password = password
        self.settings = settings
        self._engine: Engine | None = None
        self._doc: Any = None
        self._missing: str | None = None

    def __enter__(self) -> OcrSession:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def _ready(self) -> Engine | None:
        if self._engine is None and self._missing is None:
            try:
                self._engine = Engine()
            except ImportError as exc:
                self._missing = str(exc)
                return None
            import pypdfium2 as pdfium

            self._doc = pdfium.PdfDocument(str(self.path), password=self.password or None)
        return self._engine

    def read(self, page: PageData) -> PageData:
        already = self._missing is not None
        engine = self._ready()
        if engine is None:
            if already:
                return page
            msg = f"scanned pages are not read: the OCR engine is not installed ({self._missing})"
            return replace(
                page, findings=[*page.findings, Finding(code="ocr_unavailable", severity="warning", message=msg)]
            )
        pdf_page = self._doc[page.number - 1]
        try:
            image = render(pdf_page, self.settings.load.ocr_dpi)
        finally:
            pdf_page.close()
        lines = engine.read(image)
        read = read_scan(page, image, lines, self.settings)
        return replace(read, findings=[*page.findings, *page_findings(page.number, lines, self.settings)])


__all__ = ["OcrSession", "page_findings", "read_scan", "render"]
