"""Total and subtotal rows (合计, 小计, 总计): marked so that sums over the other rows do not count twice.

A row is a total row when one of its cells, spaces removed, is a total word, optionally with a
bracketed unit and a colon (合计（万元）：). 总数 and 共计 also name measures (学生总数, 共计 as a
verb in a sentence), so they count only when the cell is exactly that word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

TOTAL_WORDS: Final[tuple[str, ...]] = ("合计", "小计", "总计")
EXACT_TOTAL_WORDS: Final[tuple[str, ...]] = ("总数", "共计")
_TOTAL: Final = re.compile(
    r"^(?:(?:" + "|".join(TOTAL_WORDS) + r")(?:[（(][^（）()]*[）)])?[:：]?|" + "|".join(EXACT_TOTAL_WORDS) + r")$"
)


def is_total_label(text: str) -> bool:
    """合计, 小 计, 合计（万元）：, 总数 → True; 学生总数, 合计获奖 20 项 → False."""
    return bool(_TOTAL.match("".join(text.split())))


def total_rows(rows: Sequence[Sequence[str]]) -> set[int]:
    """Indices of the body rows that print a total label in any cell."""
    return {r for r, row in enumerate(rows) if any(is_total_label(c) for c in row)}
