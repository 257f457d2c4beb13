"""Peak memory of a long PDF: the report's pages repeated to 1,000, against the report's 70.

    .venv/bin/python bench/bench_memory.py [PDF] [--pages 1000] [--reader pdfplumber|pdfium]
        [--whole] [--modes stream,whole,pipeline,novalidate,review] [--stages] [--trace PAGES] [--repeat N]

The long PDF is the report's pages imported again and again in one call (pypdfium2
`import_pages`), so the copies share their fonts and streams as the pages of one long document do.
Each figure is the peak RSS (`ru_maxrss`) of a fresh interpreter that imports the pipeline and:

- stream: reads every page with `pipeline.load.iter_pages` and lets each go;
- whole (--whole): `load_pdf`, the load stage, which sets each page's glyphs aside as it is read
  (`pipeline.charpack`);
- pipeline: every stage (`pipeline.stages.STAGES`) through emit into a temporary folder, without
  the review page; novalidate: the same without the validate stage (Great Expectations' imports
  and results aside); review: with the review page (every page rendered).

Target for each: 1,000 pages / 70 pages <= 1.3 (exit 1 over it). What a whole run cannot help
holding grows with the content: the document model (~30 MB at 1,000 pages) and the written files
(23 MB), see bench/README.md. `--stages` prints the RSS and the peak so far as each stage starts, for
both sizes (where the peak is reached). `--trace PAGES` runs the stages once on PAGES pages under
tracemalloc and prints, after each stage, what is held and the allocation sites holding most.
`--reader` defaults to the pipeline's (settings.toml); `--repeat N` measures each mode's pair N times
(a shared machine's figures vary from run to run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3
MODES = ("stream", "whole", "pipeline", "novalidate", "review")

PROBE = """
import json, resource, sys, tempfile, time
from pathlib import Path
path, reader, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
marks = []  # (stage about to run, RSS now, peak so far): where a run's peak was reached
t0 = time.perf_counter()
if mode == "stream":
    from pipeline.load import iter_pages
    pages = sum(1 for _ in iter_pages(path, reader=reader))
elif mode == "whole":
    from pipeline.load import load_pdf
    pages = len(load_pdf(path, reader=reader).pages)
else:
    from dataclasses import replace
    from pipeline.settings import DEFAULT_SETTINGS
    from pipeline.stages import STAGES, Work, run_stages
    settings = replace(DEFAULT_SETTINGS, load=replace(DEFAULT_SETTINGS.load, reader=reader))
    stages = [s for s in STAGES if mode != "novalidate" or s.name != "validate"]
    def mark(stage, work):
        marks.append((stage.name, rss_mb(), peak_mb()))
    with tempfile.TemporaryDirectory() as out:
        work = run_stages(Work(path, settings, output=Path(out), review=mode == "review"), stages, mark)
        pages = work.document.source.pages
        marks.append(("end", rss_mb(), peak_mb()))
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - t0, "peak_mb": peak_mb(),
                  "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "stages": marks}))
"""
TRACE = """
import gc, sys, tempfile, time, tracemalloc
from dataclasses import replace
from pathlib import Path
from pipeline.model import Document
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.stages import STAGES, Work, run_stage
path, reader, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
settings = replace(DEFAULT_SETTINGS, load=replace(DEFAULT_SETTINGS.load, reader=reader, workers=1))
import pipeline.layout, pipeline.structure, pipeline.tables, pipeline.normalize.stage, pipeline.emit
if mode != "novalidate":
    import pipeline.validate
tracemalloc.start(1)
with tempfile.TemporaryDirectory() as out:
    work = Work(path, settings, output=Path(out), review=mode == "review")
    for stage in STAGES:
        if stage.name == "validate" and mode == "novalidate":
            continue
        tracemalloc.reset_peak()
        work = run_stage(stage, work)
        gc.collect()
        cur, peak = tracemalloc.get_traced_memory()
        print(f"after {stage.name:<10} held {cur / 2**20:7.1f} MB   stage peak {peak / 2**20:7.1f} MB", flush=True)
        for st in tracemalloc.take_snapshot().statistics("lineno")[:6]:
            f = st.traceback[0]
            where = f.filename.split("site-packages/")[-1]
            print(f"    {st.size / 2**20:7.1f} MB {st.count:>9} blocks  {where}:{f.lineno}")
    before = tracemalloc.get_traced_memory()[0]
    copy = Document.model_validate(work.document.model_dump())
    size = tracemalloc.get_traced_memory()[0] - before
    print(f"the document model alone (a copy of it): {size / 2**20:.1f} MB")
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


def probe(path: Path, reader: str, mode: str) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), reader, mode], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def stage_marks(short: list[list[Any]], long: list[list[Any]]) -> str:
    """RSS and the peak so far as each stage starts, the two sizes side by side: where the peak grows."""
    rows = [f"    {'before':<10} {'RSS':>7} {'peak':>7}   {'RSS':>7} {'peak':>7}"]
    for (name, rss_a, peak_a), (_, rss_b, peak_b) in zip(short, long, strict=True):
        rows.append(f"    {name:<10} {rss_a:>6.0f}M {peak_a:>6.0f}M   {rss_b:>6.0f}M {peak_b:>6.0f}M")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "raw" / "cqipc-2022.pdf")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--reader", default=None, help="default: the pipeline's (settings.toml)")
    ap.add_argument("--whole", action="store_true", help="also measure load_pdf keeping every page")
    ap.add_argument("--modes", default="", help=f"comma-separated modes instead of the default ({', '.join(MODES)})")
    ap.add_argument("--stages", action="store_true", help="also print RSS and peak as each stage starts")
    ap.add_argument("--trace", type=int, default=0, help="PAGES: where memory is held at each stage boundary")
    ap.add_argument("--repeat", type=int, default=1, help="measure each mode N times")
    args = ap.parse_args()
    if args.reader is None:
        sys.path.insert(0, str(ROOT))
        from pipeline.settings import DEFAULT_SETTINGS

        args.reader = DEFAULT_SETTINGS.load.reader
    base = len(pdfium.PdfDocument(str(args.pdf)))
    modes = args.modes.split(",") if args.modes else ["stream", "whole"] if args.whole else ["stream"]
    unknown = set(modes) - set(MODES)
    if unknown:
        ap.error(f"unknown mode(s) {', '.join(sorted(unknown))}: choose from {', '.join(MODES)}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        if args.trace:
            traced = repeated(args.pdf, Path(tmp) / "traced.pdf", args.trace)
            mode = modes[0] if args.modes else "pipeline"
            subprocess.run([sys.executable, "-c", TRACE, str(traced), args.reader, mode], check=True, cwd=ROOT)
            return 0
        short = repeated(args.pdf, Path(tmp) / "short.pdf", base)
        long = repeated(args.pdf, Path(tmp) / "long.pdf", args.pages)
        print(f"reader {args.reader}; {base} pages against {args.pages}")
        column = f"{'pages':>6} {'seconds':>8} {'peak RSS':>9}"
        print(f"{'mode':<10} {column}   {column}  ratio")
        for mode in [m for m in modes for _ in range(args.repeat)]:
            a, b = probe(short, args.reader, mode), probe(long, args.reader, mode)
            ratio = b["peak_mb"] / a["peak_mb"]
            verdict = "ok" if ratio <= TARGET else "OVER"
            ok = ok and ratio <= TARGET
            print(
                f"{mode:<10} {a['pages']:>6.0f} {a['seconds']:>7.1f}s {a['peak_mb']:>7.0f}MB   "
                f"{b['pages']:>6.0f} {b['seconds']:>7.1f}s {b['peak_mb']:>7.0f}MB  {ratio:.2f} "
                f"(target <= {TARGET}: {verdict}; page-reading workers peaked {b['workers_mb']:.0f}MB)",
                flush=True,
            )
            if args.stages and a.get("stages"):
                print(stage_marks(a["stages"], b["stages"]), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
