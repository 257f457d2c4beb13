"""Time the tables stage on the report against a bare pdfplumber character read, in one run.

    .venv/bin/python bench/bench_tables.py [--backend NAME ...] [PDF ...]

Prints, per PDF: the bare read (open + every page's chars), the whole pipeline (load → layout →
structure → tables) with each stage, the tables stage alone on cold pages (its region cache
cleared), the pipeline / bare-read ratio (target <= 3) and the peak RSS (target < 600 MB).
With `--backend` (repeatable, or `all`), also each backend's time over the pages that hold a
table candidate, per page, and on how many of those pages its cells equal the grid backend's.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import pdfplumber

from pipeline.load import PageData, load_pdf
from pipeline.stages import Work, need, run_stages, through
from pipeline.tables import extract as extract_mod
from pipeline.tables import extract_tables
from pipeline.tables.extract import BACKENDS, extract_page, make_extractor
from pipeline.tables.parts import PageTable
from pipeline.tables.regions import find_candidates

DEFAULT = Path(__file__).resolve().parents[1] / "raw" / "cqipc-2022.pdf"


def bare_read(path: Path) -> float:
    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            _ = page.chars
            page.flush_cache()
    return time.perf_counter() - t0


def bench(path: Path) -> None:
    bare = bare_read(path)
    t0 = time.perf_counter()
    work = run_stages(Work(path), through("tables"))
    whole = time.perf_counter() - t0
    doc = need(work.document, "document")
    pages = load_pdf(path).pages
    extract_mod._CACHE.clear()
    t1 = time.perf_counter()
    extract_tables(pages)
    cold = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.3f}s" for k, v in work.seconds)
    print(f"{path.name}: {len(doc.tables)} tables on {len(pages)} pages")
    print(f"  bare pdfplumber char read {bare:.3f}s")
    print(f"  pipeline {whole:.3f}s ({stages})")
    print(f"  tables stage cold {cold:.3f}s ({cold / bare:.2f}x bare read)")
    print(f"  pipeline / bare read = {whole / bare:.2f} (target <= 3)   peak RSS {peak_mb:.0f} MB (target < 600)")


def _cells(tables: list[PageTable]) -> list[list[tuple[int, int, int, int, str]]]:
    return [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.cells] for t in tables]


def bench_backends(path: Path, names: list[str]) -> None:
    """Each backend on the candidate pages only (where any backend does work), against grid's cells."""
    pages: list[PageData] = [p for p in load_pdf(path).pages if find_candidates(p)]
    reference = {p.number: _cells(extract_page(p, "grid")) for p in pages}
    print(f"  backends on {len(pages)} candidate pages:")
    for name in names:
        t0 = time.perf_counter()
        ex = make_extractor(name, path)
        got = {p.number: _cells(extract_page(p, ex)) for p in pages}
        took = time.perf_counter() - t0
        same = sum(got[n] == reference[n] for n in reference)
        per_page = took / len(pages) if pages else 0.0
        print(f"    {name:<10} {took:7.3f}s  {per_page:.3f}s/page  same cells as grid on {same}/{len(pages)} pages")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (camelot's import included)")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--backend", action="append", choices=[*BACKENDS, "all"], help="time this table backend too")
    args = ap.parse_args()
    names = list(BACKENDS) if args.backend and "all" in args.backend else args.backend or []
    for path in args.pdfs:
        bench(path)
        if names:
            bench_backends(path, names)


if __name__ == "__main__":
    main()
