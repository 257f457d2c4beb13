"""The college's province, and what the award levels are called there (data in provinces.json).

省级 is the provincial level everywhere, but 市级/市赛 name it only in the four 直辖市: in a 省 or
自治区 a 市 is a prefecture-level city, one level below. So the level words depend on the
province, which is read from the report: the region digits of a 10-digit 学校标识码 (AABB0CCCCC,
BB the GB/T 2260 code; the 5-digit 院校代码 carries no region), else a division named at the start
of the school name or the report title, else the division the text names most often. When the
province stays unknown, a word whose level depends on it (市级, 区级) names no level at all.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..model import Document

UNKNOWN_LEVEL = "unknown"  # a level word whose meaning depends on a province not known
_SCHOOL_ID = re.compile(r"(?:4[12]|9[12])(\d{2})0\d{5}")  # 学校标识码 of a higher-education institution
TEXT_MENTIONS_MIN = 2  # the text must name the division at least this often, and more than any other


@dataclass(frozen=True, slots=True)
class Division:
    """One provincial-level division: GB/T 2260 code, full and short name, kind (省, 自治区, 直辖市, 特别行政区)."""

    code: str
    name: str
    short: str
    kind: str


def inside_re(division: Division) -> re.Pattern[str]:
    """在重庆市内, 江苏省内, 广西境内: the college's own division, which the template calls 本省."""
    names = "|".join(re.escape(n) for n in sorted({division.name, division.short}, key=len, reverse=True))
    return re.compile(rf"在?(?:{names})(?:省|市|自治区)?(?:境内|域内|区域内|内)")


@dataclass(frozen=True, slots=True)
class AwardLevels:
    """Level words of one province: the level a text names is the one of the word it names last."""

    words: tuple[tuple[str, str], ...]  # (word, level)

    def level_of(self, text: str) -> str | None:
        """national / provincial / local / international / unknown, by the word ending last (the longer on a tie)."""
        best: tuple[tuple[int, int], str] | None = None
        for word, level in self.words:
            i = text.rfind(word)
            if i >= 0 and (best is None or (i + len(word), len(word)) > best[0]):
                best = ((i + len(word), len(word)), level)
        return best[1] if best else None


@dataclass(frozen=True, slots=True)
class Provinces:
    divisions: tuple[Division, ...]
    levels: dict[str, Any]

    def by_code(self, code: str) -> Division | None:
        return next((d for d in self.divisions if d.code == code), None)

    def award_levels(self, division: Division | None) -> AwardLevels:
        """The level words for a college in `division` (None: the province is not known)."""
        lv = self.levels
        words: dict[str, str] = {}
        for level in ("national", "international", "provincial"):
            words.update(dict.fromkeys(lv[level], level))
        if division is not None:
            for level, ws in lv["by_kind"][division.kind].items():
                words.update(dict.fromkeys(ws, level))
            for suffix in lv["division_suffixes"]:
                words.update(dict.fromkeys((division.short + suffix, division.name + suffix), "provincial"))
        else:
            meanings: dict[str, set[str]] = {}
            for kind in lv["by_kind"].values():
                for level, ws in kind.items():
                    for w in ws:
                        meanings.setdefault(w, set()).add(level)
            for w, levels in meanings.items():
                words.setdefault(w, next(iter(levels)) if len(levels) == 1 else UNKNOWN_LEVEL)
        return AwardLevels(tuple(words.items()))


def load_provinces() -> Provinces:
    raw = json.loads(resources.files(__package__).joinpath("provinces.json").read_text(encoding="utf-8"))
    divisions = tuple(Division(d["code"], d["name"], d["short"], d["kind"]) for d in raw["divisions"])
    return Provinces(divisions, raw["levels"])


def province_of(doc: Document, provinces: Provinces) -> Division | None:
    """The college's division from its 学校标识码, its name or the report title, else the text; None if unclear."""
    meta = doc.metadata
    if meta.school_code and (m := _SCHOOL_ID.fullmatch(meta.school_code.strip())):
        return provinces.by_code(m.group(1))
    for name in (meta.school, meta.report_title, meta.title, meta.running_header):
        hit = next((d for d in provinces.divisions if name and name.startswith((d.name, d.short))), None)
        if hit is not None:
            return hit
    counts = Counter({d: sum(p.text.count(d.name) for p in doc.paragraphs) for d in provinces.divisions})
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= TEXT_MENTIONS_MIN and (len(ranked) < 2 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None
