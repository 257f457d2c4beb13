"""Issue 14's four ratios, each against its baseline measured in the same run.

    .venv/bin/python bench/bench_speed.py [PDF] [--pages 1000] [--runs 3] [--skip-readers] [--skip-memory]
                                          [--cold-only | --warm-only]

1. `nianbao ingest PDF --no-db` wall (the whole process) ÷ a bare pdfplumber read of every
   character of PDF (`page.chars`, timed inside its process, imports excluded); target ≤ 1.5.
2. the same ingest of a 4-page PDF (PDF's first four pages) ÷ the ingest of PDF; target ≤ 0.4.
   Both printed for each reader (`--reader pdfplumber|pdfium` given explicitly; the table marks
   the default), cold (each command on its own: Prefect's temporary server, every import,
   NIANBAO_NO_WORKER=1) and warm (`nianbao server start` running: the long-lived server and the
   warm worker; started and stopped here, its start time printed, one untimed 4-page ingest first).
   Cold needs no server recorded in the project's Prefect home (stop it first). The load average
   is printed before and after: on a shared machine it says how far the seconds can be read.
3. pdfium load ÷ pdfplumber load over the report and the real PDFs, with the agreement figures
   (bench/bench_readers.py, best of `--repeat`); target ≤ 0.25 with every figure at 100 %.
4. peak RSS of reading 1,000 pages (PDF's pages repeated) ÷ 70 pages, pages streamed with
   `pipeline.load.iter_pages` under the default settings (so the long file is read by
   `load.workers` processes: their peak is printed beside the main process's); target ≤ 1.3.

Figures 1 and 2 take the median of `--runs` runs of each command and of the bare read, the three
taken in turn for each path and reader (the bare read beside the commands it is the baseline of:
this box's speed drifts over the minutes of a run); the samples are printed. On a shared machine
one run can be 0.3 s off: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_memory import repeated
from bench_readers import DEFAULTS, bench
from bench_startup import server_cmd, timed_ingest, without_server_env
from bench_structure import BARE_READ, run_child

from pipeline.handoff import prefect_home, running_worker
from pipeline.readers import DEFAULT_READER, READERS

ROOT = Path(__file__).resolve().parents[1]

STREAM = """
import json, resource, sys, time
from pathlib import Path
from pipeline.load import iter_pages
t0 = time.perf_counter()
pages = sum(1 for _ in iter_pages(Path(sys.argv[1])))
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - t0,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def first_pages(src: Path, dst: Path, n: int) -> Path:
    source, out = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    try:
        out.import_pages(source, list(range(min(n, len(source)))))
        out.save(str(dst))
    finally:
        out.close()
        source.close()
    return dst


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f} (target <= {target}: {'ok' if ratio <= target else 'over'})"


@dataclass(frozen=True, slots=True)
class IngestRow:
    """Figures 1 and 2 of one path (cold or warm) and reader."""

    path: str
    reader: str
    report: float
    four: float
    codes: tuple[int, int]
    bare: float  # the bare read's median, its runs taken in turn with these commands


def ingest_figures(pdf: Path, short: Path, tmp: Path, env: dict[str, str], path: str, runs: int = 1) -> list[IngestRow]:
    """Figures 1 and 2 for both readers (`--reader` given explicitly), each command run as a user runs it in
    `env`: the bare read, the report and the 4 pages taken in turn `runs` times, the median of each
    counting (the machine's speed drifts over the minutes of a run: each ratio's two sides are timed
    side by side)."""
    rows = []
    for reader in READERS:
        extra = ("--reader", reader)
        bares, reports, fours, codes = [], [], [], set()
        for i in range(runs):
            bares.append(run_child(BARE_READ, str(pdf))["seconds"])
            _, report, code = timed_ingest(pdf, tmp / f"r-{path}-{reader}-{i}", *extra, env=env)
            _, four, code4 = timed_ingest(short, tmp / f"f-{path}-{reader}-{i}", *extra, env=env)
            reports.append(report)
            fours.append(four)
            codes.add((code, code4))
        worst = max(codes, key=lambda c: c != (0, 0))
        bare = statistics.median(bares)
        rows.append(IngestRow(path, reader, statistics.median(reports), statistics.median(fours), worst, bare))
        tag = f"[{path}, --reader {reader}]"
        print(f"   {tag} bare read: {seconds(bares)}")
        print(f"   {tag} {pdf.name}: {seconds(reports)}; 4 pages: {seconds(fours)}; exit codes {sorted(codes)}")
    return rows


def seconds(values: list[float]) -> str:
    middle = f"{statistics.median(values):.2f}s"
    return middle if len(values) == 1 else f"median {middle} of {' '.join(f'{v:.2f}' for v in values)}"


def ingest_table(rows: list[IngestRow], pdf: Path) -> None:
    """Figures 1 and 2, one line per path and reader."""
    print(
        f"figures 1 and 2: `nianbao ingest {pdf.name} --no-db --reader R` (whole process, review page on)"
        f" against the bare pdfplumber read timed in turn with it; default reader {DEFAULT_READER}"
    )
    print(
        f"{'path':<5} {'reader':<21} {'bare':>6} {'report':>7} {'4 pages':>8}  {'1. ingest / bare read':<30}"
        " 2. 4 pages / report"
    )
    for r in rows:
        name = f"{r.reader}{' (default)' if r.reader == DEFAULT_READER else ''}"
        failed = "" if r.codes == (0, 0) else f"  exit codes {r.codes}"
        one, two = verdict(r.report / r.bare, 1.5), verdict(r.four / r.report, 0.4)
        print(f"{r.path:<5} {name:<21} {r.bare:5.2f}s {r.report:6.2f}s {r.four:7.2f}s  {one:<30} {two}{failed}")


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def server_running() -> bool:
    run = subprocess.run([sys.executable, "-m", "pipeline", "server", "status"], cwd=ROOT, capture_output=True)
    return run.returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "raw" / "cqipc-2022.pdf")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1, help="loads per reader and file in ratio 3 (best counts)")
    ap.add_argument("--skip-readers", action="store_true", help="leave out ratio 3 (bench_readers.py gives it)")
    ap.add_argument("--skip-memory", action="store_true", help="leave out ratio 4")
    ap.add_argument("--cold-only", action="store_true", help="figures 1 and 2 without the warm path")
    ap.add_argument("--warm-only", action="store_true", help="figures 1 and 2 without the cold path")
    ap.add_argument(
        "--runs", type=int, default=3, help="runs of the bare read and of each ingest of figures 1 and 2 (medians)"
    )
    args = ap.parse_args()
    if server_running():
        sys.exit("a Prefect server is recorded in the project's Prefect home: `nianbao server stop` it first")
    env = without_server_env()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        short = first_pages(args.pdf, tmp / "four.pdf", 4)
        print(f"load average at start: {load_average()}")
        runs = max(1, args.runs)
        rows: list[IngestRow] = []
        if not args.warm_only:
            # untimed: the first command on a new Prefect home creates its database (tens of seconds), once
            timed_ingest(short, tmp / "untimed", env={**env, "NIANBAO_NO_WORKER": "1"})
            rows += ingest_figures(args.pdf, short, tmp, {**env, "NIANBAO_NO_WORKER": "1"}, "cold", runs)
        if not args.cold_only:
            print(f"nianbao server start (server and warm worker): {server_cmd('start'):.2f}s")
            try:
                if running_worker(prefect_home()) is None:
                    sys.exit("the warm worker did not answer after `nianbao server start`")
                warm = {k: v for k, v in env.items() if k != "NIANBAO_NO_WORKER"}
                timed_ingest(short, tmp / "untimed-warm", env=warm)  # untimed: the server's first flow run
                rows += ingest_figures(args.pdf, short, tmp, warm, "warm", runs)
            finally:
                server_cmd("stop")
        ingest_table(rows, args.pdf)
        print(f"load average after figures 1 and 2: {load_average()}")
        if not args.skip_readers:
            rows = [bench(p, max(1, args.repeat)) for p in DEFAULTS]
            t_ref, t_got = sum(r.t_ref for r in rows), sum(r.t_pdfium for r in rows)
            for r in rows:
                print(
                    f"   {r.name:<26} load {r.t_ref:5.2f}s / {r.t_pdfium:5.2f}s  chars {100 * r.chars:.2f}%"
                    f"  font facts {100 * r.facts:.2f}%  page objects {r.pages_same}/{r.pages}"
                    f"  sections {r.sections[0]}/{r.sections[1]}  cells {r.cells[0]}/{r.cells[1]}"
                )
            agree = "every figure 100 %" if all(r.agrees for r in rows) else "NOT every figure 100 %"
            print(f"3. pdfium load / pdfplumber load: {verdict(t_got / t_ref, 0.25)}; agreement: {agree}")
        if args.skip_memory:
            return 0
        base = len(pdfium.PdfDocument(str(args.pdf)))
        probes = []
        for n, name in ((base, "short.pdf"), (args.pages, "long.pdf")):
            t0 = time.perf_counter()
            path = repeated(args.pdf, tmp / name, n)
            run = subprocess.run(
                [sys.executable, "-c", STREAM, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
            )
            probes.append(json.loads(run.stdout.strip().splitlines()[-1]))
            p = probes[-1]
            print(
                f"   {p['pages']:>5.0f} pages: {p['seconds']:6.1f}s, peak RSS {p['self_mb']:.0f} MB"
                f" (worker processes: {p['workers_mb']:.0f} MB each at most)  [{time.perf_counter() - t0:.0f}s]"
            )
        ratio = probes[1]["self_mb"] / probes[0]["self_mb"]
        print(f"4. peak RSS {args.pages} pages / {base} pages: {verdict(ratio, 1.3)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
