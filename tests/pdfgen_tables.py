"""Small PDFs with tables for the tables-stage tests (reportlab platypus `Table`, STSong-Light).

Each builder returns the path and prints exactly the cells the tests then expect; cells are
`Paragraph`s so long text wraps inside its cell (wordWrap CJK) and can split over a page break.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .pdfgen import build_pdf, style

BODY = style("body", 11)
CELL = style("cell", 9, leading=12)
CAPTION = style("caption", 10.5, alignment=1)


def cells(rows: Sequence[Sequence[str]]) -> list[list[Paragraph | str]]:
    return [[Paragraph(c, CELL) if c else "" for c in r] for r in rows]


def caption(text: str) -> Paragraph:
    return Paragraph(text, CAPTION)


def grid_table(rows: Sequence[Sequence[str]], widths: Sequence[float], extra: Sequence[tuple] = (), **kw) -> Table:
    t = Table(cells(rows), colWidths=list(widths), **kw)
    t.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *extra])
    )
    return t


def three_line_table(rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """三线表: a thick rule on top, a thin one under the header, a thick one at the bottom."""
    t = Table(cells(rows), colWidths=list(widths))
    t.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 1.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.5, colors.black),
            ]
        )
    )
    return t


def para(text: str) -> Paragraph:
    return Paragraph(text, BODY)


def build(path: Path, story: list, pagesize: tuple[float, float] = A4) -> Path:
    return build_pdf(path, story, pagesize=pagesize)


def gap(h: float = 8) -> Spacer:
    return Spacer(1, h)


def draw_pages(
    path: Path,
    pages: Sequence[Sequence[tuple[float, Sequence[float], Sequence[Sequence[str]]] | tuple[float, str]]],
    scale: float = 1.0,
) -> Path:
    """Pages drawn by hand (what Word does when a row breaks across pages, which platypus cannot):
    each item is (top, widths, rows) for a fully ruled grid of one-line cells, or (top, text).

    `scale` enlarges everything — page, fonts, rules, gaps — alike: the same document printed on
    a bigger (or smaller) page with bigger (or smaller) type.
    """
    from reportlab.pdfgen.canvas import Canvas

    from .pdfgen import CJK_FONT

    width, height = A4
    cv = Canvas(str(path), pagesize=(width * scale, height * scale))
    for items in pages:
        cv.scale(scale, scale)  # the graphics state starts afresh on every page
        for item in items:
            top = item[0]
            if len(item) == 2:
                cv.setFont(CJK_FONT, 10.5)
                cv.drawCentredString(width / 2, height - top - 10.5, item[1])  # type: ignore[arg-type]
                continue
            _, widths, rows = item  # type: ignore[misc]
            row_h, x0 = 20.0, 90.0
            xs = [x0]
            for w in widths:
                xs.append(xs[-1] + w)
            for i in range(len(rows) + 1):
                y = height - top - i * row_h
                cv.line(xs[0], y, xs[-1], y)
            for x in xs:
                cv.line(x, height - top, x, height - top - len(rows) * row_h)
            cv.setFont(CJK_FONT, 9)
            for i, row in enumerate(rows):
                for k, text in enumerate(row):
                    cv.drawString(xs[k] + 3, height - top - i * row_h - 14, text)
        cv.showPage()
    cv.save()
    return path
