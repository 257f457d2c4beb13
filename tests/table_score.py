"""Score extracted tables against expected ones the way ../shared/tools/score.py does, readably.

Tables are matched by caption and grid (half each), grids compared as full rectangles (header rows,
then body rows, a merged cell's text repeated), rows aligned by content and cells by column, text
compared after NFKC with whitespace removed. `TableScore` holds the scorer's figures (recall,
precision, cell accuracy, page accuracy) and, for a failing test, says which table, row and cell
differ and how.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class GridLike(Protocol):
    caption: str
    pages: list[int]
    header: list[list[str]]
    rows: list[list[str]]


def norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def grid(t: GridLike) -> list[list[str]]:
    return [cells for r in [*t.header, *t.rows] if any(cells := [norm(c) for c in r])]


def cell_score(truth: Sequence[Sequence[str]], out: Sequence[Sequence[str]]) -> tuple[int, int, list[str]]:
    """(cells right, cells in truth, what differs): rows aligned by content, cells by column."""
    sig = lambda rows: ["\u241f".join(r) for r in rows]  # noqa: E731
    sm = difflib.SequenceMatcher(None, sig(truth), sig(out), autojunk=False)
    total = sum(len(r) for r in truth)
    good = 0
    notes: list[str] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            good += sum(len(truth[i]) for i in range(i1, i2))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            tr = truth[i1 + k] if i1 + k < i2 else None
            orow = out[j1 + k] if j1 + k < j2 else None
            if tr is not None and orow is not None:
                good += sum(1 for c, a in enumerate(tr) if c < len(orow) and orow[c] == a)
            notes.append(f"row {i1 + k}: expected {tr} got {orow}")
    return good, total, notes


@dataclass(slots=True)
class TableScore:
    recall: float
    precision: float
    cell_accuracy: float
    page_accuracy: float
    problems: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return (self.recall, self.precision, self.cell_accuracy, self.page_accuracy) == (1.0, 1.0, 1.0, 1.0)

    def report(self) -> str:
        head = (
            f"recall {self.recall:.4f} precision {self.precision:.4f} "
            f"cell accuracy {self.cell_accuracy:.4f} page accuracy {self.page_accuracy:.4f}"
        )
        return "\n".join([head, *self.problems[:40]])


def score_tables(out: Sequence[GridLike], truth: Sequence[GridLike]) -> TableScore:
    """score.py's table figures for `out` against `truth`, with what differs."""
    used: set[int] = set()
    pairs: list[tuple[GridLike, GridLike]] = []
    problems: list[str] = []
    for t in truth:
        best, best_s = None, 0.0
        for i, o in enumerate(out):
            if i in used:
                continue
            cap = difflib.SequenceMatcher(None, norm(t.caption), norm(o.caption), autojunk=False).ratio()
            good, total, _ = cell_score(grid(t), grid(o))
            s = 0.5 * (cap if norm(t.caption) else 0.0) + 0.5 * (good / total if total else 0.0)
            if s > best_s:
                best, best_s = i, s
        if best is not None and best_s >= 0.35:
            used.add(best)
            pairs.append((t, out[best]))
        else:
            problems.append(f"missing table {t.caption!r} (pages {t.pages})")
    problems += [
        f"extra table {o.caption!r} (pages {o.pages}, {len(o.rows)} rows)" for i, o in enumerate(out) if i not in used
    ]
    good = total = 0
    pages_ok = 0
    for t, o in pairs:
        g, n, notes = cell_score(grid(t), grid(o))
        good, total = good + g, total + n
        problems += [f"{t.caption}: {note}" for note in notes]
        if sorted(t.pages) == sorted(o.pages):
            pages_ok += 1
        else:
            problems.append(f"{t.caption}: pages expected {t.pages} got {o.pages}")
    missed = sum(len(r) for t in truth if all(t is not p[0] for p in pairs) for r in grid(t))
    return TableScore(
        recall=len(pairs) / len(truth) if truth else 1.0,
        precision=len(pairs) / len(out) if out else (1.0 if not truth else 0.0),
        cell_accuracy=good / (total + missed) if total + missed else 1.0,
        page_accuracy=pages_ok / len(pairs) if pairs else (1.0 if not truth else 0.0),
        problems=problems,
    )
