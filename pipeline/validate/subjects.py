"""Which annex indicator a subject of the text names: by the indicator catalog's names and aliases.

A sentence states 全日制在校学生 17459 人 or “双师型”教师占比 90%; the catalog names the indicators
全日制在校学生人数 and “双师型”教师比例. A count's subject names the indicator "<subject><quantity
word>" (人数, 数, 总数 …, rules.QUANTITY_SUFFIXES) and a percentage's "<subject><share word>"
(比例, 率); a subject that already ends in such a word (毕业生总数, 毕业生人数总计) is reduced to its
core first. A pair indicator (专利申请/授权数量) is named as a whole or by one of its numbers
(授权专利: the catalog's part_aliases). Wordings the catalog lacks are added to it as aliases,
never listed here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..normalize.catalog import Catalog, name_key
from . import rules

WHOLE = 0  # a Named part: the indicator's (first) value; 1 and 2 name the numbers of a pair

Named = tuple[str, int]  # (catalog code, part: WHOLE, 1 or 2)
_PERIOD = re.compile(r"(?:19|20)\d{2}(?:年度|学年|年|届|级)")


@dataclass(frozen=True, slots=True)
class SubjectIndex:
    """Matching key of every value indicator's name, aliases and part names → what it names."""

    names: Mapping[str, frozenset[Named]]
    heads: Mapping[str, tuple[str, ...]]  # first rules.MODIFIED_HEAD_MIN characters (的 dropped) → names

    @classmethod
    def of(cls, catalog: Catalog) -> SubjectIndex:
        names: dict[str, set[Named]] = defaultdict(set)
        for ind in catalog.indicators:
            if ind.kind != "value":
                continue
            for name in (ind.name, *ind.aliases):
                names[name_key(name)].add((ind.code, WHOLE))
            for part, aliases in enumerate(ind.part_aliases, start=1):
                for name in aliases:
                    names[name_key(name)].add((ind.code, part))
        return cls.from_names(names)

    @classmethod
    def of_totals(cls, catalog: Catalog) -> SubjectIndex:
        """The totals of the amounts per student (生均X = X ÷ students: 财政拨款 for 年生均财政拨款水平),
        by the names the catalog gives them (per_student.total), each naming its 生均 indicator."""
        names: dict[str, set[Named]] = defaultdict(set)
        for ind in catalog.indicators:
            for name in ind.per_student.total if ind.per_student else ():
                names[name_key(name)].add((ind.code, WHOLE))
        return cls.from_names(names)

    @classmethod
    def from_names(cls, names: Mapping[str, set[Named]]) -> SubjectIndex:
        heads: dict[str, list[str]] = defaultdict(list)
        for key in names:
            heads[key.replace("的", "")[: rules.MODIFIED_HEAD_MIN]].append(key)
        return cls({k: frozenset(v) for k, v in names.items()}, {k: tuple(v) for k, v in heads.items()})

    def named(self, subject: str, percent: bool) -> frozenset[Named]:
        """Every (indicator, part) the subject can name (more than one: the subject is ambiguous)."""
        key = name_key(rules.GENERIC_LEAD_RE.sub("", subject.strip("的")))
        core_re, suffixes = (
            (rules.SHARE_CORE_RE, rules.SHARE_SUFFIXES)
            if percent
            else (rules.QUANTITY_CORE_RE, rules.QUANTITY_SUFFIXES)
        )
        out: set[Named] = set()
        for base in {key, core_re.sub("", key)}:
            if not base:
                continue
            for suffix in ("", *suffixes):
                out |= self.names.get(base + suffix, frozenset())
        return frozenset(out)

    def named_by_ending(self, subject: str, percent: bool) -> frozenset[Named]:
        """A long subject whose ending names an indicator (毕业生所从事工作与专业的相关度 → 专业相关度,
        …专业学历留学生 → 学历留学生人数): periods and 的 inside it are ignored, and the ending must be
        at least rules.SUBJECT_ENDING_MIN characters before its quantity word (在校生 alone is any
        group's)."""
        s = _PERIOD.sub("", subject).replace("的", "")
        suffixes = rules.SHARE_SUFFIXES if percent else rules.QUANTITY_SUFFIXES
        for i in range(1, len(s) - rules.SUBJECT_ENDING_MIN + 1):
            key = name_key(s[i:])
            got = frozenset().union(*(self.names.get(key + x, frozenset()) for x in ("", *suffixes)))
            if got:
                return got
        return frozenset()

    def named_with_modifier(self, subject: str) -> frozenset[Named]:
        """A name with a short modifier inside (用人单位对毕业生[工作]满意度 → 用人单位对毕业生满意度): the
        subject starts with a name's head of at least rules.MODIFIED_HEAD_MIN characters and ends with
        the rest of it (at least rules.MODIFIED_TAIL_MIN), at most rules.MODIFIER_MAX characters between."""
        s = _PERIOD.sub("", subject).replace("的", "")
        out: set[Named] = set()
        for key in self.heads.get(s[: rules.MODIFIED_HEAD_MIN], ()):
            name, named = key.replace("的", ""), self.names[key]
            if len(s) > len(name) + rules.MODIFIER_MAX:
                continue
            for k in range(rules.MODIFIED_HEAD_MIN, len(name) - rules.MODIFIED_TAIL_MIN + 1):
                head, tail = name[:k], name[k:]
                if s.startswith(head) and s.endswith(tail) and len(s) >= len(name):
                    out |= named
                    break
        return frozenset(out)

    def named_by(self, subject: str, percent: bool) -> frozenset[str]:
        """The indicators the subject names as a whole."""
        return frozenset(code for code, part in self.named(subject, percent) if part == WHOLE)
