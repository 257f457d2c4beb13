"""Compare the character sources: pdfium against pdfplumber (the reference), in one run.

    .venv/bin/python bench/bench_readers.py [--repeat 3] [PDF ...]

Default: raw/cqipc-2022.pdf and every PDF in ../shared/corpus/real/. Per file: the load wall time of
each reader (`load_pdf`: hashing, reading, records; libraries imported beforehand; the best of
`--repeat` loads, the readers taking turns) and their ratio
(target pdfium / pdfplumber <= 0.25); the share of characters matched
(same text, every edge within 0.5 pt; one to one, against the larger of the two counts) and of those
pairs the share with the same font name, bold, italic, size, fill, render mode and clip; pages
whose rules, boxes and images agree (within 0.5 pt); and, with the whole pipeline (layout →
structure → tables → normalize) run on each reader's records, the share of the reference's
sections that come out identical (number, title, pages, text), of its table cells (by table
id, header and body, position by position) and of its element boxes (every heading's, paragraph's,
table's and caption's page box as document.json and the review page record it, rounded as the model
rounds it) and table quality figures. pdfium is the default reader because every share is 100 % on
every file.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.layout import build_layout
from pipeline.load import Char, LoadedPdf, PageData, load_pdf
from pipeline.model import Document, Provenance
from pipeline.normalize.stage import normalize_document
from pipeline.readers import READERS, get_reader
from pipeline.structure import build_structure
from pipeline.tables import attach_tables

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = [ROOT / "raw" / "cqipc-2022.pdf", *sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf"))]
TOL = 0.5  # points


def timed_load(path: Path, reader: str) -> tuple[LoadedPdf, float]:
    """One load's records and wall time, the garbage of what ran before collected first (the readers
    take turns: a load should not pay for a full collection of the garbage the other one left)."""
    gc.collect()
    t0 = time.perf_counter()
    loaded = load_pdf(path, reader=reader)
    return loaded, time.perf_counter() - t0


def best_loads(path: Path, repeat: int) -> tuple[LoadedPdf, float, LoadedPdf, float]:
    """Each reader's records and its best wall time of `repeat` loads, the two readers taking turns
    (the machine is shared: the best of a few is the least disturbed)."""
    ref, t_ref = timed_load(path, "pdfplumber")
    got, t_got = timed_load(path, "pdfium")
    for _ in range(repeat - 1):
        t_ref = min(t_ref, timed_load(path, "pdfplumber")[1])
        t_got = min(t_got, timed_load(path, "pdfium")[1])
    return ref, t_ref, got, t_got


def _close(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(abs(x - y) <= TOL for x, y in zip(a, b, strict=True))


def _facts(c: Char) -> tuple[object, ...]:
    return (c.font, c.bold, c.italic, c.size, c.fill, c.render_mode, c.clipped)


def matched_chars(ref: Sequence[Char], got: Sequence[Char]) -> tuple[int, int]:
    """Characters of `ref` with a partner in `got` (same text, box within TOL; each partner used once),
    and how many of those pairs also agree on font name, bold, italic, size, fill colour, render mode
    and clip."""
    pool: dict[str, list[Char]] = defaultdict(list)
    for c in got:
        pool[c.text].append(c)
    n = same = 0
    for c in ref:
        candidates = pool.get(c.text, [])
        for k, d in enumerate(candidates):
            if _close((c.x0, c.x1, c.top, c.bottom), (d.x0, d.x1, d.top, d.bottom)):
                del candidates[k]
                n += 1
                same += _facts(c) == _facts(d)
                break
    return n, same


def _same_shapes(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> bool:
    if len(a) != len(b):
        return False
    return all(_close(x, y) for x, y in zip(sorted(map(tuple, a)), sorted(map(tuple, b)), strict=True))


def _rules(page: PageData) -> list[tuple[float, ...]]:
    return [(r.x0, r.top, r.x1, r.bottom) for r in page.rules]


def same_page_objects(a: PageData, b: PageData) -> bool:
    return (
        _close((a.width, a.height), (b.width, b.height))
        and _same_shapes(
            [(r.x0, r.top, r.x1, r.bottom) for r in a.rules], [(r.x0, r.top, r.x1, r.bottom) for r in b.rules]
        )
        and _same_shapes(
            [(x.x0, x.top, x.x1, x.bottom, x.fill, x.stroke) for x in a.boxes],
            [(x.x0, x.top, x.x1, x.bottom, x.fill, x.stroke) for x in b.boxes],
        )
        and _same_shapes(a.images, b.images)
    )


def run_pipeline(loaded: LoadedPdf) -> Document:
    layout = build_layout(loaded)
    doc = build_structure(layout)
    doc = attach_tables(doc, layout)
    return normalize_document(doc)


def same_sections(ref: Document, got: Document) -> tuple[int, int]:
    def key(s: object) -> tuple[object, ...]:
        return tuple(getattr(s, k) for k in ("id", "number", "title", "page", "page_end", "text"))

    keys = {key(s) for s in got.sections}
    return sum(key(s) in keys for s in ref.sections), len(ref.sections)


def same_cells(ref: Document, got: Document) -> tuple[int, int]:
    tables = {t.id: t for t in got.tables}
    same = total = 0
    for t in ref.tables:
        other = tables.get(t.id)
        for part in ("header", "rows"):
            rows = getattr(t, part)
            theirs = getattr(other, part) if other is not None else []
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    total += 1
                    same += i < len(theirs) and j < len(theirs[i]) and theirs[i][j] == cell
    return same, total


def same_boxes(ref: Document, got: Document) -> tuple[int, int]:
    """Element boxes (kind, id, page, box) and table quality figures of `ref` found identical in `got`."""

    def box(p: Provenance) -> tuple[object, ...]:
        b = p.bbox
        return (p.page, None if b is None else (b.x0, b.top, b.x1, b.bottom))

    def items(doc: Document) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for kind, elements in (("section", doc.sections), ("paragraph", doc.paragraphs), ("table", doc.tables)):
            for e in elements:
                out.extend((kind, e.id, *box(p)) for p in e.provenance)
        out.extend(("figure", f.id, *box(p)) for f in doc.figures for p in f.provenance)
        out.extend(("quality", t.id, t.quality) for t in doc.tables)
        return out

    theirs = set(items(got))
    mine = items(ref)
    return sum(item in theirs for item in mine), len(mine)


@dataclass(slots=True)
class Row:
    name: str
    pages: int
    t_ref: float
    t_pdfium: float
    matched: int
    facts: float  # of the matched pairs, the share with the same font facts
    n_ref: int
    n_pdfium: int
    pages_same: int
    sections: tuple[int, int]
    cells: tuple[int, int]
    boxes: tuple[int, int]

    @property
    def chars(self) -> float:
        return self.matched / max(self.n_ref, self.n_pdfium, 1)

    @property
    def agrees(self) -> bool:
        """Every figure at 100 %: what pdfium needs on every file to be the default."""
        whole = all(same == total for same, total in (self.sections, self.cells, self.boxes))
        return self.chars == 1.0 and self.facts == 1.0 and self.pages_same == self.pages and whole


def bench(path: Path, repeat: int) -> Row:
    ref, t_ref, got, t_got = best_loads(path, repeat)
    n_ref = sum(len(p.chars) for p in ref.pages)
    n_got = sum(len(p.chars) for p in got.pages)
    pairs = [matched_chars(a.chars, b.chars) for a, b in zip(ref.pages, got.pages, strict=False)]
    matched, facts = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    pages_same = sum(same_page_objects(a, b) for a, b in zip(ref.pages, got.pages, strict=False))
    doc_ref, doc_got = run_pipeline(ref), run_pipeline(got)
    return Row(
        path.name,
        len(ref.pages),
        t_ref,
        t_got,
        matched,
        facts / max(matched, 1),
        n_ref,
        n_got,
        pages_same,
        same_sections(doc_ref, doc_got),
        same_cells(doc_ref, doc_got),
        same_boxes(doc_ref, doc_got),
    )


def _share(pair: tuple[int, int]) -> str:
    same, total = pair
    return f"{100 * same / total:6.2f}% ({same}/{total})" if total else "     - (0/0)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULTS)
    parser.add_argument("--repeat", type=int, default=3, help="loads per reader and file; the best time counts")
    args = parser.parse_args(argv)
    for name in READERS:  # libraries imported before any timing
        get_reader(name)
    rows = [bench(p, max(1, args.repeat)) for p in args.pdfs]
    head = (
        f"{'file':<26} {'pages':>5} {'pdfplumber':>10} {'pdfium':>7} {'ratio':>6}  {'chars matched':<24}"
        f" {'glyph facts':>11} {'page objects':>12}  {'sections identical':<22} {'table cells identical':<24}"
        f" {'boxes, quality identical':<24}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        chars = f"{100 * r.chars:6.2f}% ({r.matched}/{max(r.n_ref, r.n_pdfium)})"
        print(
            f"{r.name:<26} {r.pages:>5} {r.t_ref:>9.2f}s {r.t_pdfium:>6.2f}s {r.t_pdfium / r.t_ref:>6.3f}  {chars:<24}"
            f" {100 * r.facts:10.2f}% {r.pages_same:>6}/{r.pages:<5}  {_share(r.sections):<22} {_share(r.cells):<24}"
            f" {_share(r.boxes):<24}"
        )
    t_ref = sum(r.t_ref for r in rows)
    t_got = sum(r.t_pdfium for r in rows)
    print(f"total load: pdfplumber {t_ref:.2f}s, pdfium {t_got:.2f}s, ratio {t_got / t_ref:.3f} (target <= 0.25)")
    all_same = all(r.agrees for r in rows)
    print(
        "pdfium agrees everywhere (the condition for it being the default reader)"
        if all_same
        else "pdfium differs somewhere: it may not stay the default reader"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
