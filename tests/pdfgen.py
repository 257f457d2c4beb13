"""Tiny PDFs made by the tests themselves (reportlab platypus, built-in CID font STSong-Light).

STSong-Light needs no font file: reportlab ships its metrics and the PDF names the font without
embedding it, which pdfplumber reads back as ordinary Unicode text.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase._cidfontdata import CIDFontInfo
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, SimpleDocTemplate

CJK_FONT = "STSong-Light"
CJK_BOLD_FONT = "STSong-Light-Bold"  # reportlab's name; the PDF calls it "STSong-Light,Bold"


class _SyntheticBoldCIDFont(UnicodeCIDFont):
    """STSong-Light under the PDF name "STSong-Light,Bold", as Word/Acrobat write a synthetic bold.

    The built-in CID fonts have no bold face. Office exports of a non-embedded font set in bold
    name it "<Font>,Bold" (e.g. "SimSun,Bold") and set the ForceBold flag; viewers thicken the
    strokes and pdfplumber reports the name, which is what the pipeline reads as bold.
    """

    def __init__(self, face: str, name: str) -> None:
        super().__init__(face)
        self.name = self.fontName = name

    def addObjects(self, doc: Any) -> None:
        original = CIDFontInfo[self.face.name]
        CIDFontInfo[self.face.name] = info = copy.deepcopy(original)
        try:
            info["BaseFont"] = info["DescendantFonts"][0]["BaseFont"] = f"/{self.faceName},Bold"
            descriptor = info["DescendantFonts"][0]["FontDescriptor"]
            descriptor["FontName"] = descriptor["FontName"] + ",Bold"
            descriptor["Flags"] = descriptor["Flags"] | (1 << 18)  # ForceBold
            descriptor["StemV"] = 120
            super().addObjects(doc)
        finally:
            CIDFontInfo[self.face.name] = original


pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
pdfmetrics.registerFont(_SyntheticBoldCIDFont(CJK_FONT, CJK_BOLD_FONT))
addMapping(CJK_FONT, 0, 0, CJK_FONT)
addMapping(CJK_FONT, 1, 0, CJK_BOLD_FONT)  # <b>…</b> inside a CJK paragraph uses the bold name
addMapping(CJK_FONT, 0, 1, CJK_FONT)
addMapping(CJK_FONT, 1, 1, CJK_BOLD_FONT)

PageHook = Callable[[object, object], None]


def style(name: str, size: float = 12, leading: float | None = None, indent: float = 0, **kw) -> ParagraphStyle:
    """A paragraph style in the CJK font; wordWrap='CJK' breaks lines between any two characters."""
    return ParagraphStyle(
        name,
        fontName=kw.pop("fontName", CJK_FONT),
        fontSize=size,
        leading=leading or size * 1.6,
        firstLineIndent=indent,
        wordWrap="CJK",
        **kw,
    )


def build_pdf(
    path: Path,
    story: Sequence[Flowable],
    pagesize: tuple[float, float] = A4,
    margins: tuple[float, float, float, float] = (72, 72, 72, 72),
    on_page: PageHook | None = None,
    mirror: float = 0.0,
) -> Path:
    """Lay out `story` into `path`; `on_page(canvas, doc)` draws running headers or page numbers.

    `mirror` > 0 prints even pages with a left margin that much wider (and the right margin that
    much narrower), as a book with mirrored margins does."""
    left, right, top, bottom = margins
    hook = on_page or (lambda canvas, doc: None)
    if not mirror:
        doc = SimpleDocTemplate(
            str(path), pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom
        )
        doc.build(list(story), onFirstPage=hook, onLaterPages=hook)
        return path
    width, height = pagesize
    frame_w, frame_h = width - left - right, height - top - bottom
    templates = [
        PageTemplate(id=name, frames=[Frame(x, bottom, frame_w, frame_h)], onPage=hook, autoNextPageTemplate=then)
        for name, x, then in (("odd", left, "even"), ("even", left + mirror, "odd"))
    ]
    BaseDocTemplate(str(path), pagesize=pagesize, pageTemplates=templates).build(list(story))
    return path
