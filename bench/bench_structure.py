"""Stage timings on one report against the time pdfplumber alone needs to read it.

Run: `make bench` (or `.venv/bin/python bench/bench_structure.py [PDF]`). Each measurement runs
in a fresh subprocess so the peak RSS (ru_maxrss: counts C allocations, unlike tracemalloc) belongs
to that measurement alone and interpreter start is excluded from the times.

The child runs the declared chain (`pipeline.stages.STAGES`, load → emit) and prints each stage's
seconds in that order. Targets: the chain without validate (mostly the one-off Great Expectations
import) ≤ 2x the bare read for the structure pass, ≤ 3x once tables land; peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_READ = """
import json, resource, sys, time
import pdfplumber
t0 = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for p in pdf.pages:
        p.chars
        p.flush_cache()
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

STAGES = """
import json, resource, sys
from pathlib import Path
from pipeline.stages import STAGES, Work, run_stages
work = run_stages(Work(Path(sys.argv[1]), output=Path(sys.argv[2])), STAGES)
doc = work.document
print(json.dumps({"stages": work.seconds, "sections": len(doc.sections), "tables": len(doc.tables),
                  "pages": doc.source.pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "raw" / "cqipc-2022.pdf"))
    parser.add_argument("--max-ratio", type=float, default=2.0, help="fail (exit 1) above this total/bare ratio")
    parser.add_argument("--max-rss-mb", type=float, default=500.0)
    args = parser.parse_args()

    bare = run_child(BARE_READ, args.pdf)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as out:
        res = run_child(STAGES, args.pdf, out)
    total = sum(seconds for _, seconds in res["stages"])
    measured = sum(seconds for stage, seconds in res["stages"] if stage != "validate")
    ratio = measured / bare["seconds"]

    print(f"{Path(args.pdf).name}: {res['pages']} pages, {res['sections']} sections, {res['tables']} tables")
    for stage, seconds in res["stages"]:
        print(f"  {stage:<10} {seconds:8.3f} s")
    print(f"  {'total':<10} {total:8.3f} s")
    print(f"  bare read  {bare['seconds']:8.3f} s  (pdfplumber: every page's chars)")
    print(f"  ratio      {ratio:8.2f} x  (without validate; target <= {args.max_ratio:g}x)")
    print(f"  peak RSS   {res['rss_mb']:8.0f} MB (bare read {bare['rss_mb']:.0f} MB; target < {args.max_rss_mb:g} MB)")
    ok = ratio <= args.max_ratio and res["rss_mb"] < args.max_rss_mb
    print("within targets" if ok else "OUTSIDE TARGETS")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
