"""The table of contents and the closing lists: parse entries, map printed labels, cross-check.

A TOC entry is a title, a dot leader and a printed page label; long titles wrap onto a second
line that carries the leader. The document is checked against what it says it contains: an entry
with no heading, or a heading of level 1-2 missing from the TOC, becomes a finding, not silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import Line
from .model import Finding, ListEntry, Section, SectionKind, TocEntry
from .numbering import LIST_CAPTIONS, ListKind, NumberingKind, parse_numbering
from .settings import DEFAULT_SETTINGS, Settings
from .text import join_wrapped, nfkc_squash

LEADER = re.compile(r"^(?P<title>.*?)\s*(?:[.．·…•‥⋯_\-－—]\s*){3,}\s*(?P<label>[0-9ivxlcIVXLC]{1,5})?\s*$")
TRAILING_LABEL = re.compile(r"^(?P<title>.*?[^\d\s])\s+(?P<label>\d{1,4})$")


def is_leader_line(text: str) -> bool:
    return LEADER.match(text) is not None


def parse_entries(lines: Sequence[Line]) -> list[tuple[str, str | None, Line]]:
    """(title, printed label, first line) per entry; a line with no leader continues on the next."""
    out: list[tuple[str, str | None, Line]] = []
    pending: list[Line] = []
    for ln in lines:
        m = LEADER.match(ln.text)
        if not m:
            m2 = TRAILING_LABEL.match(ln.text)
            if m2 and not pending:
                out.append((m2.group("title").strip(), m2.group("label"), ln))
                continue
            pending.append(ln)
            continue
        first = pending[0] if pending else ln
        title = join_wrapped([p.text for p in pending] + [m.group("title")])
        pending = []
        if title:
            out.append((title, m.group("label"), first))
    for ln in pending:  # a trailing line without a leader: keep it as an entry without label
        out.append((ln.text, None, ln))
    return out


def label_to_page(labels: Sequence[str | None]) -> dict[str, int]:
    """Printed page label → physical page (1-based), from the page numbers found in the footers."""
    mapping: dict[str, int] = {}
    for i, label in enumerate(labels, start=1):
        if label is not None and label not in mapping:
            mapping[label] = i
    return mapping


def infer_page(label: str | None, mapping: dict[str, int], labels: Sequence[str | None]) -> int | None:
    """Physical page of a printed label; where that page's number was not printed, use the offset."""
    if label is None:
        return None
    if label in mapping:
        return mapping[label]
    if not label.isdigit():
        return None
    offsets = [i - int(lab) for i, lab in enumerate(labels, start=1) if lab and lab.isdigit()]
    if not offsets:
        return None
    offset = max(set(offsets), key=offsets.count)
    page = int(label) + offset
    return page if 1 <= page <= len(labels) else None


def toc_entries(lines: Sequence[Line], labels: Sequence[str | None], level_x: Sequence[float]) -> list[TocEntry]:
    mapping = label_to_page(labels)
    out: list[TocEntry] = []
    for text, label, first in parse_entries(lines):
        num = parse_numbering(text)
        if num is not None and num.kind is not NumberingKind.CASE:
            number, title = num.number, num.title
        else:
            number, title = "", text
        # level: by the indentation of the entry (the TOC's own typography), as the numbering may be absent
        level = 1 + min(range(len(level_x)), key=lambda i: abs(level_x[i] - first.x0)) if level_x else None
        out.append(
            TocEntry(
                text=text,
                level=level,
                number=number,
                title=title,
                page_label=label,
                page=infer_page(label, mapping, labels),
                entry_page=first.page,
            )
        )
    return out


def list_entries(kind: ListKind, lines: Sequence[Line]) -> list[ListEntry]:
    out: list[ListEntry] = []
    pat = LIST_CAPTIONS.get(kind)
    for text, label, first in parse_entries(lines):
        number: str | None = None
        title = text
        if pat is not None and (m := pat.match(text)):
            number, title = m.group(1), m.group(2)
        elif kind is ListKind.CASES and (n := parse_numbering(text)) and n.kind is NumberingKind.CASE:
            number, title = n.number, n.title
        out.append(
            ListEntry(list=kind, text=text, number=number, title=title, page_label=label, entry_page=first.page)  # type: ignore[arg-type]
        )
    return out


def _warning(code: str, message: str, page: int | None, ref: str | None = None) -> Finding:
    """Every disagreement between the TOC and the headings is a warning: the text is whole, its guide is off."""
    return Finding(code=code, severity="warning", message=message, page=page, ref=ref)


def cross_check(toc: list[TocEntry], sections: list[Section], settings: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """Link TOC entries to headings and report every disagreement between them."""
    depth = settings.structure.toc_check_depth
    findings: list[Finding] = []
    by_key: dict[str, list[Section]] = {}
    for s in sections:
        if s.kind in (SectionKind.HEADING, SectionKind.LIST, SectionKind.ANNEX):
            by_key.setdefault(nfkc_squash(s.title), []).append(s)
    matched: set[str] = set()
    for e in toc:
        cands = [s for s in by_key.get(nfkc_squash(e.title), []) if s.id not in matched]
        if not cands:
            cands = [
                s
                for key, group in by_key.items()
                for s in group
                if s.id not in matched
                and (key.startswith(nfkc_squash(e.title)) or nfkc_squash(e.title).startswith(key))
            ]
        if not cands:
            findings.append(
                _warning(
                    "toc_entry_without_heading",
                    f"TOC entry {e.text!r} (page {e.page_label}) has no matching heading in the document",
                    e.entry_page,
                )
            )
            continue
        sec = cands[0]
        matched.add(sec.id)
        e.target = sec.id
        if e.page is not None and e.page != sec.page:
            findings.append(
                _warning(
                    "toc_page_mismatch",
                    f"TOC gives {e.text!r} on printed page {e.page_label} (physical {e.page}); "
                    f"the heading is on physical page {sec.page}",
                    sec.page,
                    sec.id,
                )
            )
    if toc:
        for s in sections:
            if s.kind is SectionKind.HEADING and s.level is not None and 1 <= s.level <= depth and s.id not in matched:
                findings.append(
                    _warning(
                        "heading_not_in_toc",
                        f"heading {s.title!r} (level {s.level}, page {s.page}) is not listed in the TOC",
                        s.page,
                        s.id,
                    )
                )
    return findings
