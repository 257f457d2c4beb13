"""pdfplumber pages that also report each glyph's text render mode and the drawing order.

pdfminer reads `Tr` into its text state but does not pass it on to the glyphs it makes, and
pdfplumber keeps only the glyph attributes it knows (pdfplumber issue #1230). Without the mode,
text drawn in mode 3 (neither filled nor stroked: an OCR layer, a hidden duplicate number) reads
as printed. `ModePage` runs the same interpreter as pdfplumber's `Page.layout` with a device that
notes the mode of every glyph, so `page.chars` gains a `render_mode` key at no extra parse.
Every object also gets `seq`, its place in the drawing order (from 1), so a shape painted over
text can be told from one painted under it.
"""

from __future__ import annotations

from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTItem, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException


class _ModeDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, remembering the text render mode of the string being drawn."""

    mode = 0

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self.mode = int(getattr(textstate, "render", 0) or 0)
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        adv = super().render_char(*args, **kwargs)
        objs = self.cur_item._objs
        if objs and isinstance(objs[-1], LTChar):
            objs[-1].render_mode = self.mode  # type: ignore[attr-defined]
        return adv


class ModePage(pdfplumber.page.Page):
    """A pdfplumber page whose chars carry `render_mode` (0 fill … 3 invisible … 7 clip only)."""

    @classmethod
    def of(cls, page: pdfplumber.page.Page) -> ModePage:
        return cls(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)

    @property
    def layout(self) -> LTPage:
        if hasattr(self, "_layout"):  # the cache pdfplumber's own property keeps (cleared by flush_cache)
            return self._layout
        device = _ModeDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        interpreter = PDFPageInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e) from e
        self._layout: LTPage = device.get_result()
        return self._layout

    def process_object(self, obj: LTItem) -> dict[str, Any]:
        """pdfplumber's record of `obj`, plus `seq` and, for a glyph, `render_mode`.

        pdfplumber makes the records walking the layout in drawing order, once per parse.
        """
        attr: dict[str, Any] = super().process_object(obj)
        self._drawn = getattr(self, "_drawn", 0) + 1
        attr["seq"] = self._drawn
        if isinstance(obj, LTChar):
            attr["render_mode"] = getattr(obj, "render_mode", 0)
        return attr


__all__ = ["ModePage"]
