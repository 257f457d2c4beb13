"""Page furniture: running headers, footers and printed page numbers — the one detector.

Found by repetition across pages (the same text at the top or bottom of many pages, digits
masked) and by the page-number forms printed in these reports ("3", "- 3 -", "第 3 页", "3 / 60"),
never by fixed coordinates: only lines within `LayoutSettings.furniture_zone` of the page's top
or bottom edge are looked at. Layout removes what this finds from the body text; the tables
stage looks for captions on the same lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .lines import Line, group_lines
from .load import PageData
from .settings import DEFAULT_SETTINGS, LayoutSettings, Settings
from .text import nfkc_squash

PAGE_NUMBER = re.compile(
    r"^(?:[-—–·•]\s*)?(?:第\s*)?(\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?:\s*页)?"
    r"(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*[-—–·•])?$"
)


@dataclass(frozen=True, slots=True)
class PageText:
    """One page's lines split into body text (reading order) and furniture, with its printed number."""

    number: int
    lines: list[Line]
    furniture: list[Line]
    label: str | None


@dataclass(frozen=True, slots=True)
class Furniture:
    """The running texts of a document (digits masked) and each page's split."""

    headers: set[str]
    footers: set[str]
    pages: list[PageText]

    def is_header(self, line: Line) -> bool:
        return furniture_key(line.text) in self.headers


def furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", nfkc_squash(text))


def find_furniture(
    pages: Sequence[Sequence[Line]], heights: Sequence[float], settings: Settings = DEFAULT_SETTINGS
) -> tuple[set[str], set[str]]:
    """Texts repeated at the top (headers) and bottom (footers) of many pages, digits masked."""
    s = settings.layout
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        if not lines:
            continue
        first, last = lines[0], lines[-1]
        if first.top < s.furniture_zone * h:
            tops[furniture_key(first.text)] += 1
        if last.bottom > (1 - s.furniture_zone) * h:
            bottoms[furniture_key(last.text)] += 1
    n = len(pages)
    # a file shorter than furniture_min_pages has no running furniture
    need = max(s.furniture_min_repeats, int(s.furniture_share * n)) if n >= s.furniture_min_pages else n + 1

    def repeated(counter: Counter[str]) -> set[str]:
        return {k for k, v in counter.items() if v >= need and k.strip("#")}

    return repeated(tops), repeated(bottoms)


def split_furniture(
    number: int, lines: Sequence[Line], height: float, headers: set[str], footers: set[str], s: LayoutSettings
) -> PageText:
    """Peel the running header, footer and page number off one page's lines (top to bottom)."""
    body = list(lines)
    removed: list[Line] = []
    label: str | None = None
    # top: a repeated header line, and a page number standing above the body
    while body and body[0].top < s.furniture_zone * height:
        key = furniture_key(body[0].text)
        m = PAGE_NUMBER.match(nfkc_squash(body[0].text))
        if key in headers:
            removed.append(body.pop(0))
        elif m and label is None and len(body) > 1 and body[1].top - body[0].bottom > s.page_number_gap * body[0].size:
            label = m.group(1)
            removed.append(body.pop(0))
        else:
            break
    while body and body[-1].bottom > (1 - s.furniture_zone) * height:
        key = furniture_key(body[-1].text)
        m = PAGE_NUMBER.match(nfkc_squash(body[-1].text))
        if m and label is None:
            label = m.group(1)
            removed.append(body.pop())
        elif key in footers:
            removed.append(body.pop())
        else:
            break
    return PageText(number, body, removed, label)


def page_texts(pages: Sequence[PageData], settings: Settings = DEFAULT_SETTINGS) -> Furniture:
    """Every page's printed lines, split into body text and running header, footer and page number."""
    return split_pages(pages, [group_lines(p.number, p.chars, settings) for p in pages], settings)


def split_pages(
    pages: Sequence[PageData], raw: Sequence[Sequence[Line]], settings: Settings = DEFAULT_SETTINGS
) -> Furniture:
    """`page_texts` of pages whose lines (`raw`, each page's top to bottom) are grouped already:
    the page records are read for their number and height only."""
    headers, footers = find_furniture(raw, [p.height for p in pages], settings)
    split = [
        split_furniture(p.number, lines, p.height, headers, footers, settings.layout)
        for p, lines in zip(pages, raw, strict=True)
    ]
    return Furniture(headers, footers, split)


__all__ = [
    "PAGE_NUMBER",
    "Furniture",
    "PageText",
    "find_furniture",
    "furniture_key",
    "page_texts",
    "split_furniture",
    "split_pages",
]
