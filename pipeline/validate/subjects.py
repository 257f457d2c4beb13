"""Which annex indicator a subject of the text names: by the indicator catalog's names and aliases.

A sentence states 全日制在校学生 17459 人 or “双师型”教师占比 90%; the catalog names the indicators
全日制在校学生人数 and “双师型”教师比例. A count's subject names the indicator "<subject><quantity
word>" (人数, 数, 总数 …, rules.QUANTITY_SUFFIXES) and a percentage's "<subject><share word>"
(比例, 率); a subject that already ends in such a word (毕业生总数, 毕业生人数总计) is reduced to its
core first. Wordings the catalog lacks are added to it as aliases, never listed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..normalize.catalog import Catalog, name_key
from . import rules


@dataclass(frozen=True, slots=True)
class SubjectIndex:
    """Matching key of every value indicator's name and aliases → the catalog codes it names."""

    codes: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, catalog: Catalog) -> SubjectIndex:
        codes: dict[str, set[str]] = defaultdict(set)
        for ind in catalog.indicators:
            if ind.kind == "value":
                for name in (ind.name, *ind.aliases):
                    codes[name_key(name)].add(ind.code)
        return cls({k: frozenset(v) for k, v in codes.items()})

    def named_by(self, subject: str, percent: bool) -> frozenset[str]:
        """Every indicator the subject can name (more than one: the subject is ambiguous)."""
        key = name_key(rules.GENERIC_LEAD_RE.sub("", subject.strip("的")))
        core_re, suffixes = (
            (rules.SHARE_CORE_RE, rules.SHARE_SUFFIXES)
            if percent
            else (rules.QUANTITY_CORE_RE, rules.QUANTITY_SUFFIXES)
        )
        out: set[str] = set()
        for base in {key, core_re.sub("", key)}:
            for suffix in ("", *suffixes):
                out |= self.codes.get(base + suffix, frozenset())
        return frozenset(out)
