"""Heading numbers as data: the ordinal of 一、/（三）/2., a dotted path, and 主题：说明 titles split.

The numbering text comes from the structure stage (`Section.number`, printed with or without its
brackets); the numeral rules themselves live in `pipeline.numbering`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Section
from ..numbering import cn_to_int

_WRAPPERS = re.compile(r"^[\s（(【\[]*(.*?)[\s）)】\]、.．:：]*$")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_COLON = re.compile(r"[:：]")
_OPENERS = "“‘「『《（(【〔"
_CLOSERS = "”’」』》）)】〕"


@dataclass(frozen=True, slots=True)
class HeadingNorm:
    """Normalized numbering and title of one section.

    ordinal: its number as an int (None when unnumbered); path: dotted ordinals from the top-level
    part down ("2.3.1"), None when the section or an ancestor is unnumbered; topic/subtitle: the
    title split at its first colon (subtitle None when there is no colon).
    """

    id: str
    ordinal: int | None
    path: str | None
    topic: str
    subtitle: str | None


def ordinal(number: str) -> int | None:
    """一 → 1, （三） → 3, (3) → 3, 2. → 2, ⑤ → 5, "" → None."""
    core = _WRAPPERS.sub(r"\1", number.strip())
    if len(core) == 1 and core in _CIRCLED:
        return _CIRCLED.index(core) + 1
    return cn_to_int(core) if core else None


def split_title(title: str) -> tuple[str, str | None]:
    """立德树人：实施“三为育人” → (立德树人, 实施“三为育人”); no colon → (title, None).

    Only a colon outside quotes and brackets splits: 案例“甲：乙” is one topic.
    """
    depth = 0
    for i, ch in enumerate(title):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and _COLON.fullmatch(ch):
            topic, subtitle = title[:i].strip(), title[i + 1 :].strip()
            if topic and subtitle:
                return topic, subtitle
            break
    return title.strip(), None


def normalize_headings(sections: Sequence[Section]) -> list[HeadingNorm]:
    """HeadingNorm for every section, in order; paths only through numbered headings (kind "heading")."""
    by_id = {s.id: s for s in sections}
    out: list[HeadingNorm] = []
    for s in sections:
        topic, subtitle = split_title(s.title)
        out.append(HeadingNorm(s.id, ordinal(s.number), _path(s, by_id), topic, subtitle))
    return out


def _path(section: Section, by_id: dict[str, Section]) -> str | None:
    parts: list[str] = []
    node: Section | None = section
    seen: set[str] = set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.kind != "heading":
            return None
        n = ordinal(node.number)
        if n is None:
            return None
        parts.append(str(n))
        node = by_id.get(node.parent) if node.parent else None
    return ".".join(reversed(parts))
