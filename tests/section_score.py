"""Section recall, precision and level accuracy, computed as ../shared/tools/score.py does.

Truth sections are matched to output sections by title (NFKC, whitespace removed): exactly, else
the most similar unused title when the similarity is at least 0.9. Level accuracy counts matched
pairs with the same level.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def level(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class SectionScore:
    recall: float
    precision: float
    level_accuracy: float
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    wrong_level: tuple[str, ...]

    @property
    def perfect(self) -> bool:
        return self.recall == self.precision == self.level_accuracy == 1.0


def _key(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def score_sections(truth: Sequence[Titled], out: Sequence[Titled]) -> SectionScore:
    used: set[int] = set()
    pairs: list[tuple[Titled, Titled]] = []
    missing: list[str] = []
    for t in truth:
        k = _key(t.title)
        hit = next((i for i, o in enumerate(out) if i not in used and _key(o.title) == k), None)
        if hit is None:
            ratios = [
                (difflib.SequenceMatcher(None, k, _key(o.title), autojunk=False).ratio(), i)
                for i, o in enumerate(out)
                if i not in used
            ]
            best = max(ratios, default=(0.0, -1))
            hit = best[1] if best[0] >= 0.9 else None
        if hit is None:
            missing.append(t.title)
        else:
            used.add(hit)
            pairs.append((t, out[hit]))
    extra = tuple(o.title for i, o in enumerate(out) if i not in used)
    wrong = tuple(f"{t.title}: {t.level} → {o.level}" for t, o in pairs if t.level != o.level)
    return SectionScore(
        recall=len(pairs) / len(truth) if truth else 1.0,
        precision=len(pairs) / len(out) if out else 0.0,
        level_accuracy=(len(pairs) - len(wrong)) / len(pairs) if pairs else 0.0,
        missing=tuple(missing),
        extra=extra,
        wrong_level=wrong,
    )
