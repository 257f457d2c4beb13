"""Flowables for the synthetic reports: Word-like justified CJK paragraphs, TOC lines, page marks.

Each records the physical pages it is drawn on (`Recorder`), so the report builder knows where
every heading, paragraph and case landed without reading the PDF back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from PIL import Image as PILImage
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from .pdfgen import CJK_FONT


class Recorder:
    """Collects the physical pages on which each keyed flowable was drawn."""

    def __init__(self) -> None:
        self.pages: dict[str, list[int]] = {}

    def hit(self, key: str, page: int) -> None:
        seen = self.pages.setdefault(key, [])
        if page not in seen:
            seen.append(page)


class MarkedParagraph(Paragraph):
    """A Paragraph that records where it (and each part it is split into) was drawn."""

    _key: str = ""
    _rec: Recorder | None = None

    def mark(self, key: str, rec: Recorder) -> MarkedParagraph:
        self._key, self._rec = key, rec
        return self

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, MarkedParagraph):
                part.mark(self._key, self._rec)  # type: ignore[arg-type]
        return parts

    def draw(self) -> None:
        if self._rec is not None:
            self._rec.hit(self._key, self.canv.getPageNumber())
        super().draw()


class Marker(Flowable):
    """A zero-size flowable recording the page it falls on (for tables and images)."""

    def __init__(self, key: str, rec: Recorder) -> None:
        super().__init__()
        self.key, self.rec = key, rec
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.rec.hit(self.key, self.canv.getPageNumber())


class TocLine(Flowable):
    """One TOC/list entry: text, a dot leader and the page label flush right (Word's tab leader).

    A title too long for one line wraps as Word wraps it: the first line runs to the right margin
    with no leader, the rest continues under it (hanging two characters) and carries the leader.
    """

    def __init__(self, text: str, label: str, indent: float, size: float, key: str, rec: Recorder) -> None:
        super().__init__()
        self.text, self.label, self.indent, self.size = text, label, indent, size
        self.key, self.rec = key, rec
        self.parts: list[str] = [text]

    def _width_of(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, CJK_FONT, self.size)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        room = availWidth - self.indent - self._width_of(self.label) - 4 * self.size  # leave a leader
        self.parts = [self.text]
        if self._width_of(self.text) > room:
            cut = len(self.text)
            while cut > 1 and self._width_of(self.text[:cut]) > availWidth - self.indent - self.size:
                cut -= 1
            self.parts = [self.text[:cut], self.text[cut:]]
        return availWidth, self.size * 1.9 * len(self.parts)

    def draw(self) -> None:
        self.rec.hit(self.key, self.canv.getPageNumber())
        c = self.canv
        c.setFont(CJK_FONT, self.size)
        step = self.size * 1.9
        for i, part in enumerate(self.parts):
            y = self.size * 0.5 + step * (len(self.parts) - 1 - i)
            x = self.indent + (2 * self.size if i else 0)
            c.drawString(x, y, part)
            if i < len(self.parts) - 1:
                continue
            c.drawRightString(self.width, y, self.label)
            start = x + self._width_of(part) + self.size * 0.5
            end = self.width - self._width_of(self.label) - self.size * 0.5
            count = max(0, int((end - start) / self._width_of(".")))
            c.drawRightString(end, y, "." * count)


_NO_LINE_START = frozenset("，。；：、！？）》」』”’%")
_LATIN_RUN = re.compile(r"[A-Za-z0-9+.%]+|.", re.S)


class JustifiedParagraph(Flowable):
    """A CJK paragraph set the way Word sets it: justified to both edges, with kinsoku.

    reportlab justifies by widening spaces only, which CJK lines do not have, so its CJK lines
    end ragged. Word spreads the slack over every character of a line (PDF character spacing),
    never breaks inside a Latin word or number, and lets a closing punctuation mark hang rather
    than start a line. Splits over a page like a Paragraph; the parts are recorded like one.
    """

    def __init__(
        self,
        runs: Sequence[tuple[str, str]],
        size: float,
        leading: float,
        indent: float,
        key: str,
        rec: Recorder,
        lines: list[list[tuple[str, str, float]]] | None = None,
        continued: bool = False,
    ) -> None:
        super().__init__()
        self.runs, self.size, self.leading, self.indent = list(runs), size, leading, indent
        self.key, self.rec = key, rec
        self.lines = lines
        self.continued = continued  # a tail part after a page break: no first-line indent
        self._width = 0.0
        self._fresh = False

    def _tokens(self) -> list[tuple[str, str, float]]:
        out = []
        for text, font in self.runs:
            for tok in _LATIN_RUN.findall(text):
                out.append((tok, font, pdfmetrics.stringWidth(tok, font, self.size)))
        return out

    def _break(self, width: float) -> list[list[tuple[str, str, float]]]:
        lines: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        limit = width - (0 if self.continued else self.indent)
        for tok in self._tokens():
            line = lines[-1]
            if tok[0] == " " and not line:
                continue
            if used + tok[2] > limit + 0.01 and line:
                if tok[0] in _NO_LINE_START:  # hang it in the margin rather than start a line with it
                    line.append(tok)
                    lines.append([])
                    used, limit = 0.0, width
                    continue
                while line and line[-1][0] == " ":
                    line.pop()
                lines.append([])
                used, limit = 0.0, width
                if tok[0] == " ":
                    continue
                line = lines[-1]
            line.append(tok)
            used += tok[2]
        if not lines[-1]:
            lines.pop()
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.lines is None or (self._fresh and abs(availWidth - self._width) > 0.01):
            self.lines = self._break(availWidth)
            self._fresh = True  # lines of our own making: redo them if the width changes
        self._width = availWidth
        return availWidth, len(self.lines) * self.leading

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # reportlab's Frame.split passes the frame's whole width, not the indented one (Indenter)
        # that wrap got just before: keep the lines as wrapped, or they no longer need the split
        if self.lines is None:
            self.wrap(availWidth, availHeight)
        assert self.lines is not None
        fit = int((availHeight + 0.01) // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        head = JustifiedParagraph(
            self.runs, self.size, self.leading, self.indent, self.key, self.rec, self.lines[:fit], self.continued
        )
        head.last_is_full = True
        tail = JustifiedParagraph(
            self.runs, self.size, self.leading, self.indent, self.key, self.rec, self.lines[fit:], True
        )
        return [head, tail]

    last_is_full = False  # the head of a split: its last line is a full, justified line

    def draw(self) -> None:
        assert self.lines is not None
        self.rec.hit(self.key, self.canv.getPageNumber())
        c = self.canv
        for i, line in enumerate(self.lines):
            x = self.indent if i == 0 and not self.continued else 0.0
            y = (len(self.lines) - i - 1) * self.leading + (self.leading - self.size) / 2 + self.size * 0.12
            natural = sum(t[2] for t in line)
            chars = sum(len(t[0]) for t in line)
            last = i == len(self.lines) - 1 and not self.last_is_full
            space = 0.0 if last or chars < 2 else (self._width - x - natural) / (chars - 1)
            tx = c.beginText(x, y)
            tx.setCharSpace(space)
            # one string per font run: pdfminer applies Tc only between glyphs of one string
            runs: list[tuple[str, str]] = []
            for text, font, _w in line:
                if runs and runs[-1][1] == font:
                    runs[-1] = (runs[-1][0] + text, font)
                else:
                    runs.append((text, font))
            for text, font in runs:
                tx.setFont(font, self.size)
                tx.textOut(text)
            c.drawText(tx)


def png(width: int, height: int) -> io.BytesIO:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (180, 190, 200)).save(buf, format="PNG")
    buf.seek(0)
    return buf
