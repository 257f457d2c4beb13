"""Peak memory of reading a long PDF: the report's pages repeated to 1,000, against the report's 70.

    .venv/bin/python bench/bench_memory.py [PDF] [--pages 1000] [--reader pdfplumber|pdfium] [--whole]

The long PDF is the report's pages imported again and again in one call (pypdfium2
`import_pages`), so the copies share their fonts and streams as the pages of one long document do.
Each figure is the peak RSS (`ru_maxrss`) of a fresh interpreter that imports the pipeline and:

- stream: reads every page with `pipeline.load.iter_pages` and lets each go (what bounded-window
  reading guarantees; target: 1,000 pages / 70 pages <= 1.3);
- whole (--whole): `load_pdf`, which keeps every page's records, as the load stage hands them to
  layout: this one grows with the page count (the records themselves, ~0.3 KB per glyph).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3

PROBE = """
import json, resource, sys, time
from pathlib import Path
from pipeline.load import iter_pages, load_pdf
path, reader, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
if mode == "stream":
    pages = sum(1 for _ in iter_pages(path, reader=reader))
else:
    pages = len(load_pdf(path, reader=reader).pages)
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def repeated(src: Path, dst: Path, pages: int) -> Path:
    """`pages` pages cycling through `src`'s, imported in one call (shared fonts and streams)."""
    source = pdfium.PdfDocument(str(src))
    out = pdfium.PdfDocument.new()
    try:
        out.import_pages(source, [i % len(source) for i in range(pages)])
        out.save(str(dst))
    finally:
        out.close()
        source.close()
    return dst


def probe(path: Path, reader: str, mode: str) -> dict[str, float]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), reader, mode], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "raw" / "cqipc-2022.pdf")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--reader", default="pdfplumber")
    ap.add_argument("--whole", action="store_true", help="also measure load_pdf keeping every page")
    args = ap.parse_args()
    base = len(pdfium.PdfDocument(str(args.pdf)))
    modes = ["stream", "whole"] if args.whole else ["stream"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        short = repeated(args.pdf, Path(tmp) / "short.pdf", base)
        long = repeated(args.pdf, Path(tmp) / "long.pdf", args.pages)
        print(f"reader {args.reader}; {base} pages against {args.pages}")
        column = f"{'pages':>6} {'seconds':>8} {'peak RSS':>9}"
        print(f"{'mode':<7} {column}   {column}  ratio")
        for mode in modes:
            a, b = probe(short, args.reader, mode), probe(long, args.reader, mode)
            ratio = b["peak_mb"] / a["peak_mb"]
            verdict = ("ok" if ratio <= TARGET else "OVER") if mode == "stream" else "(grows with pages)"
            ok = ok and (ratio <= TARGET or mode != "stream")
            print(
                f"{mode:<7} {a['pages']:>6.0f} {a['seconds']:>7.1f}s {a['peak_mb']:>7.0f}MB   "
                f"{b['pages']:>6.0f} {b['seconds']:>7.1f}s {b['peak_mb']:>7.0f}MB  {ratio:.2f} "
                f"(target <= {TARGET}: {verdict})"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
