"""The indicator catalog of the national annex template, kept as data (indicators.json).

Lookups tolerate the wordings colleges use: a name matches its catalog entry by its matching key
(numbering, 其中：, A类：, quotes, brackets and width forms ignored), by an alias, or, failing both,
by a conservative fuzzy match whose score is reported. Nothing fits → no code, never a guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Literal

from ..textform import match_key

MatchHow = Literal["exact", "alias", "fuzzy", "unmatched"]
FUZZY_MIN = 0.85  # a fuzzy match needs this SequenceMatcher ratio …
FUZZY_MARGIN = 0.05  # … and this lead over the runner-up

_PREFIX = re.compile(r"^(?:\(\s*[0-9一二三四五六七八九十]+\s*\)|[0-9]+[.、]|其中:|[a-z]类:)+")
_TRAILING = re.compile(r"[-:：。;；,，]+$")
_UNIT_SUFFIX = re.compile(r"\((?:%|[^()]{1,4})\)$")
_DROP = str.maketrans("", "", '"()')


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One annex table of the national template: its key, the title it is printed under, the prefix
    of its indicators' codes, and the titles colleges print for it (aliases)."""

    key: str
    title: str
    prefix: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PerStudent:
    """An amount per student (生均X = X ÷ students): the names a report gives its total X, and the
    codes of the head count it divides, in order of preference (the first the annex prints)."""

    total: tuple[str, ...]
    students: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the template: a stable code, its table and parent row, its printed name,
    unit and the other wordings colleges use for it."""

    code: str
    table: str
    parent: str | None
    name: str
    unit: str | None
    aliases: tuple[str, ...] = ()
    kind: str = "value"  # value | group (a heading row with sub-rows) | choice (a ticked option)
    rate_of: tuple[str, str] | None = None  # (numerator, denominator): this = numerator / denominator × 100
    at_most: tuple[str, ...] = ()  # indicators this one cannot exceed besides its parent
    # a pair (申请/授权数量): the names of its first and of its second number, as the text words them
    part_aliases: tuple[tuple[str, ...], ...] = ()
    per_student: PerStudent | None = None  # 生均X: X's names and the head count dividing it


@dataclass(frozen=True, slots=True)
class Match:
    """How a printed name was tied to the catalog: the code found (None: unmatched), how, and how surely."""

    code: str | None
    how: MatchHow
    score: float
    indicator: Indicator | None = None


@dataclass(slots=True)
class Catalog:
    tables: list[TableSpec]
    indicators: list[Indicator]
    _by_key: dict[tuple[str, str | None], dict[str, list[tuple[Indicator, bool]]]] = field(default_factory=dict)
    _table_wide: dict[str, dict[str, list[tuple[Indicator, bool]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ind in self.indicators:
            keys = [(name_key(ind.name), True)] + [(name_key(a), False) for a in ind.aliases]
            for key, is_name in keys:
                self._by_key.setdefault((ind.table, ind.parent), {}).setdefault(key, []).append((ind, is_name))
                self._table_wide.setdefault(ind.table, {}).setdefault(key, []).append((ind, is_name))

    def table(self, key: str) -> TableSpec:
        return next(t for t in self.tables if t.key == key)

    def lookup(self, table: str, name: str, parent: str | None = None) -> Match:
        """The catalog entry for a printed name under a matched parent row (None: top level).

        Order: the parent's children, exact or alias; then any entry of the table whose key is
        unique there (a sub-row printed at the top level); then fuzzy among the same candidates.
        """
        key = name_key(name)
        if not key:
            return Match(None, "unmatched", 0.0)
        local = self._by_key.get((table, parent), {})
        wide = {k: v for k, v in self._table_wide.get(table, {}).items() if len({i.code for i, _ in v}) == 1}
        for pool in (local, wide):
            hits = pool.get(key)
            if hits and len({i.code for i, _ in hits}) == 1:
                ind, is_name = hits[0]
                return Match(ind.code, "exact" if is_name else "alias", 1.0, ind)
        for pool in (local, wide):
            m = _fuzzy(key, pool)
            if m:
                return m
        return Match(None, "unmatched", 0.0)


def _fuzzy(key: str, pool: dict[str, list[tuple[Indicator, bool]]]) -> Match | None:
    scored = sorted(
        ((SequenceMatcher(None, key, k).ratio(), hits[0][0]) for k, hits in pool.items()),
        key=lambda t: t[0],
        reverse=True,
    )
    if not scored or scored[0][0] < FUZZY_MIN:
        return None
    best, ind = scored[0]
    runner = next((s for s, i in scored[1:] if i.code != ind.code), 0.0)
    if best - runner < FUZZY_MARGIN:
        return None
    return Match(ind.code, "fuzzy", round(best, 3), ind)


def name_key(name: str) -> str:
    """Matching key of an indicator name: (1)/1./其中：/A类： prefixes, trailing —/：, a bracketed
    unit at the end, quotes and brackets dropped (国（境）外 and 国(境)外 and 国境外 agree)."""
    key = match_key(name)
    key = _TRAILING.sub("", _PREFIX.sub("", key))
    key = _UNIT_SUFFIX.sub("", key)
    return key.translate(_DROP)


@cache
def load_catalog() -> Catalog:
    """The catalog shipped with the package (pipeline/normalize/catalog/indicators.json)."""
    raw = json.loads(resources.files(__package__).joinpath("indicators.json").read_text(encoding="utf-8"))
    tables = [TableSpec(t["key"], t["title"], t["prefix"], tuple(t["aliases"])) for t in raw["tables"]]
    inds = [
        Indicator(
            i["code"],
            i["table"],
            i["parent"],
            i["name"],
            i["unit"],
            tuple(i["aliases"]),
            i.get("kind", "value"),
            (i["rate_of"][0], i["rate_of"][1]) if i.get("rate_of") else None,
            tuple(i.get("at_most", ())),
            tuple(tuple(names) for names in i.get("part_aliases", ())),
            PerStudent(tuple(p["total"]), tuple(p["students"])) if (p := i.get("per_student")) else None,
        )
        for i in raw["indicators"]
    ]
    return Catalog(tables, inds)
