"""pdfplumber pages that also say how each glyph is painted: render mode, drawing order, clip.

pdfminer reads the text render mode (`Tr`) into its text state but does not pass it on to the
glyphs it makes, ignores clipping paths (`W n`), and pdfplumber keeps only the glyph attributes
it knows (pdfplumber issue #1230). Without them, text drawn in mode 3 (neither filled nor
stroked: an OCR layer, a hidden duplicate number) or outside the clip reads as printed.

`ModePage` runs the same interpreter as pdfplumber's `Page.layout`, with a device that notes
each glyph's mode and whether its centre lies outside the current clip (the bounding box of the
clipping paths in force, saved and restored with the graphics state), so `page.chars` gains
`render_mode` and `clipped` at no extra parse. Every object also gets `seq`, its place in the
drawing order (from 1), so a shape painted over text can be told from one painted under it.
"""

from __future__ import annotations

from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTItem, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_pt
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in device space (pdfminer's, y up)


class _PaintDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, remembering the render mode of the string being drawn and the clip."""

    mode = 0
    clip: Rect | None = None

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self.mode = int(getattr(textstate, "render", 0) or 0)
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        adv = super().render_char(*args, **kwargs)
        objs = self.cur_item._objs
        if objs and isinstance(objs[-1], LTChar):
            ch = objs[-1]
            ch.render_mode = self.mode  # type: ignore[attr-defined]
            x, y = (ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2
            c = self.clip
            ch.clipped = c is not None and not (c[0] <= x <= c[2] and c[1] <= y <= c[3])  # type: ignore[attr-defined]
        return adv


class _ClipInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, keeping the clip (as a box) with the graphics state."""

    outer: Rect | None = None  # the clip in force where a form XObject is drawn

    def subinterp(self) -> PDFPageInterpreter:
        interp = super().subinterp()
        if isinstance(interp, _ClipInterpreter):
            interp.outer = self.clip
        return interp

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self.clips: list[Rect | None] = []
        self.pending = False
        self._set_clip(self.outer)

    def _set_clip(self, clip: Rect | None) -> None:
        self.clip = clip
        if isinstance(self.device, _PaintDevice):
            self.device.clip = clip

    def do_q(self) -> None:
        super().do_q()
        self.clips.append(self.clip)

    def do_Q(self) -> None:
        super().do_Q()
        if self.clips:
            self._set_clip(self.clips.pop())

    def do_W(self) -> None:
        self.pending = True

    def do_W_a(self) -> None:
        self.pending = True

    def _end_path(self) -> None:
        """The path just ended also clips what follows when `W` came before its painting operator."""
        if not self.pending:
            return
        self.pending = False
        pts = [
            apply_matrix_pt(self.ctm, (float(seg[i]), float(seg[i + 1])))
            for seg in self.curpath
            for i in range(1, len(seg) - 1, 2)
        ]
        if not pts:
            return
        box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        c = self.clip
        if c is not None:
            box = (max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3]))
        self._set_clip(box)


def _ends_path(name: str) -> Any:
    """pdfminer's painting operator `name`, first taking the path as the clip when `W` asked so."""
    base = getattr(PDFPageInterpreter, name)

    def op(self: _ClipInterpreter) -> None:
        self._end_path()
        base(self)

    return op


for _op in ("do_n", "do_S", "do_f", "do_f_a", "do_B", "do_B_a"):  # s, F, b, b* call one of these
    setattr(_ClipInterpreter, _op, _ends_path(_op))


class ModePage(pdfplumber.page.Page):
    """A pdfplumber page whose chars carry `render_mode` (0 fill … 3 invisible … 7 clip only),
    `clipped` (centre outside the clip) and every object its drawing order `seq`."""

    @classmethod
    def of(cls, page: pdfplumber.page.Page) -> ModePage:
        return cls(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)

    @property
    def layout(self) -> LTPage:
        if hasattr(self, "_layout"):  # the cache pdfplumber's own property keeps (cleared by flush_cache)
            return self._layout
        device = _PaintDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        interpreter = _ClipInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e) from e
        self._layout: LTPage = device.get_result()
        return self._layout

    def process_object(self, obj: LTItem) -> dict[str, Any]:
        """pdfplumber's record of `obj`, plus `seq` and, for a glyph, `render_mode` and `clipped`.

        pdfplumber makes the records walking the layout in drawing order, once per parse.
        """
        attr: dict[str, Any] = super().process_object(obj)
        self._drawn = getattr(self, "_drawn", 0) + 1
        attr["seq"] = self._drawn
        if isinstance(obj, LTChar):
            attr["render_mode"] = getattr(obj, "render_mode", 0)
            attr["clipped"] = getattr(obj, "clipped", False)
        return attr


__all__ = ["ModePage"]
