"""PDFs for the font cases where the two readers could part: horizontal scaling and spacing (Tz, Tc,
Tw), vertical writing (a "-V" CID font), a Type 3 font (glyphs drawn by content streams) and
/ActualText spans. reportlab draws the first two; the Type 3 font is written as raw PDF objects.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase._cidfontdata import CIDFontInfo
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from .pdfgen import CJK_FONT

VERTICAL_FONT = "STSong-Light-V"


class _VerticalCIDFont(UnicodeCIDFont):
    """STSong-Light with the vertical CMap (UniGB-UCS2-V), named "@STSong-Light" as Windows names vertical faces."""

    def __init__(self) -> None:
        super().__init__(CJK_FONT, isVertical=True)
        self.name = self.fontName = VERTICAL_FONT

    def addObjects(self, doc: Any) -> None:
        original = CIDFontInfo[self.face.name]
        CIDFontInfo[self.face.name] = info = copy.deepcopy(original)
        try:
            info["BaseFont"] = f"/@{self.faceName}"
            super().addObjects(doc)
        finally:
            CIDFontInfo[self.face.name] = original


pdfmetrics.registerFont(_VerticalCIDFont())


def scaled_spacing_pdf(path: Path) -> Path:
    """Text at 60 % and 150 % horizontal scaling, and with character and word spacing."""
    c = Canvas(str(path), pagesize=A4)
    for y, font, scale, text in (
        (700, CJK_FONT, 60, "水平缩放的文字 scaled 123"),
        (660, "Helvetica", 150, "Wide text 42"),
    ):
        t = c.beginText(72, y)
        t.setFont(font, 12)
        t.setHorizScale(scale)
        t.textOut(text)
        c.drawText(t)
    t = c.beginText(72, 620)
    t.setFont(CJK_FONT, 12)
    t.setCharSpace(3)
    t.setWordSpace(5)
    t.textOut("字距 char space 1 2")
    c.drawText(t)
    c.showPage()
    c.save()
    return path


def vertical_pdf(path: Path) -> Path:
    """A column of vertical writing beside a horizontal line in the same face."""
    c = Canvas(str(path), pagesize=A4)
    c.setFont(VERTICAL_FONT, 14)
    c.drawString(300, 750, "竖排文字测试")
    c.setFont(CJK_FONT, 12)
    c.drawString(72, 700, "横排正文")
    c.showPage()
    c.save()
    return path


def actual_text_pdf(path: Path) -> Path:
    """Glyphs inside /Span <</ActualText …>> marked content: "X" standing for "fi", 校 for 学, and one
    span around two text objects ("YZ" standing for "ok")."""
    c = Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 12)
    c._code.append("/Span <</ActualText (fi)>> BDC")
    c.drawString(72, 700, "X")
    c._code.append("EMC")
    c.drawString(72, 680, "after")
    c._code.append("/Span <</ActualText (ok)>> BDC")
    c.drawString(72, 640, "Y")
    c.drawString(90, 640, "Z")
    c._code.append("EMC")
    c.setFont(CJK_FONT, 12)
    c._code.append("/Span <</ActualText <FEFF5B66>>> BDC")
    c.drawString(72, 660, "校")
    c._code.append("EMC")
    c.showPage()
    c.save()
    return path


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def type3_pdf(path: Path) -> Path:
    """A Type 3 font of two glyphs (a filled box, a box and a stroke) with widths 600 and 500 and a ToUnicode
    map (A → 学, B → A), set at 12 and 20 pt, with and without character spacing."""
    content = b"BT /F1 12 Tf 72 700 Td (ABA) Tj 0 -20 Td 2 Tc (BA) Tj ET BT /F1 20 Tf 72 600 Td (AB) Tj ET"
    tounicode = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def "
        b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <41> <5B66> <42> <0041> endbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type3 /Name /T3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << /a 6 0 R /b 7 0 R >> /Encoding << /Type /Encoding /Differences [65 /a /b] >> "
        b"/FirstChar 65 /LastChar 66 /Widths [600 500] /ToUnicode 8 0 R /Resources << >> >>",
        _stream(b"600 0 0 0 500 700 d1 0 0 500 700 re f"),
        _stream(b"500 0 0 0 400 700 d1 0 0 400 350 re f 0 350 m 400 700 l S"),
        _stream(tounicode),
    ]
    path.write_bytes(_pdf(objects))
    return path
