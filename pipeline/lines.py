"""Characters → printed lines: the one line grouping of the pipeline.

Layout orders its body text with it, the tables stage finds captions and the text around a table
on the same lines, and a cell's text is read line by line with it too, so a line is the same
line wherever it is looked at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from operator import attrgetter

from .charpack import char_count, packable
from .load import Char
from .model import BBox
from .settings import DEFAULT_SETTINGS, Settings
from .text import is_cjk, join_chars

# what a field gap in a line reads as
FIELD_SPACE = " "


@dataclass(slots=True)
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str  # CJK-joined text of the line (no spaces between two CJK chars, except across a field gap)
    size: float  # dominant font size
    bold: bool  # every non-space char bold
    chars: list[Char] = field(default_factory=list)
    box: int | None = None  # index into PageLayout.boxes of the shaded/bordered box holding it
    in_table: bool = False  # inside a table region: not body text
    gaps: list[float] = field(default_factory=list)  # x positions of column-like gaps (LayoutSettings.line_gap)

    @property
    def bbox(self) -> BBox:
        return BBox(x0=round(self.x0, 2), top=round(self.top, 2), x1=round(self.x1, 2), bottom=round(self.bottom, 2))

    def centre_in(self, box: BBox, tol: float) -> bool:
        """The line's centre lies in `box` (widened by the sub-glyph `tol`, LayoutSettings.centre_tol)."""
        return box.contains((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2, tol=tol)


packable(Line)  # layout sets a laid-out line's glyphs aside (pipeline/charpack.py); `chars` reads them back


def dedupe_chars(chars: Iterable[Char]) -> list[Char]:
    """Drop overprinted duplicates (fake bold draws each glyph two or three times)."""
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        key = (c.text, round(c.x0), round(c.top))
        if key in seen and c.text != " ":
            continue
        seen.add(key)
        out.append(c)
    return out


def char_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Cluster (deduplicated) characters into printed lines by vertical overlap, each left to right."""
    rows: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    unique = dedupe_chars(chars)
    mids = [(c.top + c.bottom) / 2 for c in unique]
    for k in sorted(range(len(unique)), key=mids.__getitem__):  # stable: as sorting the glyphs by centre
        c, mid = unique[k], mids[k]
        placed = False
        # compare with the last few bands only: chars arrive sorted by their vertical centre
        n = len(bands)
        for i in range(n - 1, max(-1, n - 4), -1):
            top, bottom = bands[i]
            if top <= mid <= bottom:
                rows[i].append(c)
                if c.text != " ":
                    bands[i] = (min(top, c.top), max(bottom, c.bottom))
                placed = True
                break
        if not placed:
            rows.append([c])
            bands.append((c.top, c.bottom))
    for r in rows:
        r.sort(key=_X0)
    return rows


_X0 = attrgetter("x0")


def make_line(page: int, chars: list[Char], settings: Settings = DEFAULT_SETTINGS) -> Line | None:
    """One `Line` from the characters of one printed line (sorted left to right); None when all blank."""
    ink = [c for c in chars if c.text != " "]
    if not ink:
        return None
    sizes = Counter(c.size for c in ink)
    size = sizes.most_common(1)[0][0]
    gap = settings.layout.line_gap * size
    return Line(
        page=page,
        x0=ink[0].x0,
        x1=max(c.x1 for c in ink),
        top=min(c.top for c in ink),
        bottom=max(c.bottom for c in ink),
        text=line_text(chars, settings),
        size=size,
        bold=all(c.bold for c in ink),
        chars=chars,
        gaps=[c.x0 for a, c in pairwise(ink) if c.x0 - a.x1 > gap],
    )


def line_text(chars: Sequence[Char], settings: Settings = DEFAULT_SETTINGS) -> str:
    """The text of one printed line, with one space across each field gap (LayoutSettings.field_gap).

    Between two CJK characters the joining rule drops spaces (justification stretches them); a gap
    of about an em or more is not justification but a space between fields, whatever glyphs (space
    glyphs or none) fill it, and is kept.
    """
    runs: list[list[Char]] = [[]]
    last: Char | None = None
    for c in chars:
        if c.text != " ":
            if last is not None and c.x0 - last.x1 > settings.layout.field_gap * max(c.size, last.size):
                runs.append([])
            last = c
        runs[-1].append(c)
    return FIELD_SPACE.join(t for t in (join_chars(r) for r in runs) if t)


def join_line_texts(texts: Iterable[str]) -> str:
    """Rejoin the wrapped lines of a paragraph like text.join_wrapped, keeping each line's own field
    spaces (join_wrapped tidies spaces between CJK characters away)."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        latin = out and not is_cjk(out[-1]) and not is_cjk(t[0]) and not out.endswith("-")
        out += (" " if latin else "") + t
    return out


def group_lines(page: int, chars: Sequence[Char], settings: Settings = DEFAULT_SETTINGS) -> list[Line]:
    """The printed lines of a page (or part of one), top to bottom."""
    lines = [ln for ln in (make_line(page, r, settings) for r in char_rows(chars)) if ln is not None]
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    return lines


def dominant_size(lines: Iterable[Line]) -> float:
    """The font size most of the lines' characters are printed in (the body size); 12 when none."""
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += char_count(ln)
    return sizes.most_common(1)[0][0] if sizes else 12.0


__all__ = [
    "FIELD_SPACE",
    "Line",
    "char_rows",
    "dedupe_chars",
    "dominant_size",
    "group_lines",
    "join_line_texts",
    "line_text",
    "make_line",
]
