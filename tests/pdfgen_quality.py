"""Small PDFs for the table-quality tests: hidden text layers, side-by-side tables, frames, garbage.

Drawn with reportlab's canvas where platypus cannot place things (two strings at one spot, text
in render mode 3 or in white, numbers crossing a column rule); `top` values are from the page's
top edge, like the pipeline's coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from .pdfgen import CJK_FONT

WIDTH, HEIGHT = A4
ROW_H = 20.0
SIZE = 9.0


def canvas(path: Path) -> Canvas:
    cv = Canvas(str(path), pagesize=A4)
    cv.setFont(CJK_FONT, SIZE)
    return cv


def text(cv: Canvas, x: float, top: float, s: str, *, mode: int = 0, grey: float = 0.0, size: float = SIZE) -> None:
    """`s` with its glyph tops at `top`; `mode` is the PDF text render mode, `grey` 1 is white."""
    t = cv.beginText(x, HEIGHT - top - size * 0.88)
    t.setFont(CJK_FONT, size)
    t.setTextRenderMode(mode)
    t.setFillGray(grey)
    t.textOut(s)
    t.setTextRenderMode(0)
    t.setFillGray(0)
    cv.drawText(t)


def ruled_grid(cv: Canvas, x0: float, top: float, widths: Sequence[float], n_rows: int) -> list[float]:
    """A fully ruled grid of `n_rows` rows; returns the column edges."""
    xs = columns(x0, widths)
    for i in range(n_rows + 1):
        y = HEIGHT - top - i * ROW_H
        cv.line(xs[0], y, xs[-1], y)
    for x in xs:
        cv.line(x, HEIGHT - top, x, HEIGHT - top - n_rows * ROW_H)
    return xs


def rule(cv: Canvas, x0: float, x1: float, top: float, width: float = 0.75) -> None:
    cv.setLineWidth(width)
    cv.line(x0, HEIGHT - top, x1, HEIGHT - top)
    cv.setLineWidth(1)


def cell_rows(cv: Canvas, xs: Sequence[float], top: float, rows: Sequence[Sequence[str]]) -> None:
    """One line of text per cell, 3 points in from the cell's left side."""
    for i, row in enumerate(rows):
        for k, s in enumerate(row):
            if s:
                text(cv, xs[k] + 3, top + i * ROW_H + (ROW_H - SIZE) / 2, s)


def save(cv: Canvas) -> None:
    cv.showPage()
    cv.save()


def columns(x0: float, widths: Sequence[float]) -> list[float]:
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    return xs
