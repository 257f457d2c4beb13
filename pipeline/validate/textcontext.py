"""Where each stated number sits in its sentence, for every rule that reads the text.

A rule comparing a figure needs more than the fact: the whole 。-sentence before it (a
cumulative word, the college as the subject, a competition's name), the year the sentence gives
it, the total it is listed under (其中 …) and the precision it was printed to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..model import Document, Fact
from ..normalize.textform import strip_extraction_spaces, to_halfwidth
from . import rules
from .tableview import decimals_of, rounding_step

_FULL_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@dataclass(slots=True)
class Context:
    """Where a fact sits: the whole sentence up to it (。-delimited, ；-clauses included)."""

    before: str
    cumulative: bool
    year: str | None
    part_of: Fact | None  # the total it is listed under (其中 …)


def contexts(doc: Document) -> dict[str, Context]:
    """The context of every fact of the document, by fact id."""
    paragraphs = {p.id: strip_extraction_spaces(to_halfwidth(p.text)) for p in doc.paragraphs}
    by_sentence: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in doc.facts:
        by_sentence[(f.paragraph, f.sentence)].append(f)
    out: dict[str, Context] = {}
    for (pid, sentence), facts in by_sentence.items():
        text = paragraphs.get(pid, sentence)
        core = sentence.rstrip("。；;！？!?")
        pos = text.find(core)
        start = 0
        if pos >= 0:
            start = max((m.start() for m in _FULL_SENTENCE.finditer(text) if m.start() <= pos), default=0)
        prefix = text[start:pos] if pos >= 0 else ""
        facts.sort(key=lambda f: f.start)
        parent: Fact | None = None
        for i, f in enumerate(facts):
            gap = sentence[facts[i - 1].end : f.start] if i else sentence[: f.start]
            if "其中" in gap:
                fam = rules.unit_family(f.printed_unit or f.unit)
                parent = next(
                    (p for p in reversed(facts[:i]) if rules.unit_family(p.printed_unit or p.unit) == fam), None
                )
            elif parent is not None and (
                "）" in gap
                or ")" in gap
                or rules.unit_family(f.printed_unit or f.unit) != rules.unit_family(parent.printed_unit or parent.unit)
            ):
                parent = None
            before = prefix + sentence[: f.start]
            year = re.search(r"((?:19|20)\d{2})", f.period or "")
            out[f.id] = Context(
                before, bool(rules.CUMULATIVE_RE.search(before)), year.group(1) if year else None, parent
            )
    return out


def printed_number(text: str) -> float | None:
    """The first number as printed in a phrase (5649.31 of 5649.31万元); None for none or zero."""
    m = re.search(r"\d+(?:\.\d+)?", text.replace(",", ""))
    return float(m.group(0)) if m and float(m.group(0)) else None


def printed_scale(text: str, value: float | None) -> int:
    """What the printed number was multiplied by to give the value in base units (3.09 亿元 → 10**8); 1 when
    no number is printed."""
    printed = printed_number(text)
    return max(round(abs(value or 0) / printed), 1) if printed else 1


def fact_step(f: Fact) -> float:
    """The step of the fact's last printed digit in base units (11 万元 → 10000 元; 5668 人 → 0)."""
    scale = printed_scale(f.text, f.value) if f.kind != "percent" else 1
    return rounding_step(decimals_of(f.text), scale, f.kind == "percent")
