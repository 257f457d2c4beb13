"""Time the tables stage on the report against a bare pdfplumber character read, in one run.

    .venv/bin/python bench/bench_tables.py [PDF ...]

Prints, per PDF: the bare read (open + every page's chars), the whole pipeline (load → layout →
structure → tables) with each stage, the tables stage alone on cold pages (its region cache
cleared), the pipeline / bare-read ratio (target <= 3) and the peak RSS (target < 600 MB).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pdfplumber

from pipeline.load import load_pdf
from pipeline.process import Timings, process_pdf
from pipeline.tables import extract as extract_mod
from pipeline.tables import extract_tables

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
    timings = Timings()
    t0 = time.perf_counter()
    doc = process_pdf(path, timings)
    whole = time.perf_counter() - t0
    pages = load_pdf(path).pages
    extract_mod._CACHE.clear()
    t1 = time.perf_counter()
    extract_tables(pages)
    cold = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.3f}s" for k, v in timings.stages.items())
    print(f"{path.name}: {len(doc.tables)} tables on {len(pages)} pages")
    print(f"  bare pdfplumber char read {bare:.3f}s")
    print(f"  pipeline {whole:.3f}s ({stages})")
    print(f"  tables stage cold {cold:.3f}s ({cold / bare:.2f}x bare read)")
    print(f"  pipeline / bare read = {whole / bare:.2f} (target <= 3)   peak RSS {peak_mb:.0f} MB (target < 600)")


if __name__ == "__main__":
    for arg in sys.argv[1:] or [str(DEFAULT)]:
        bench(Path(arg))
