"""Backfill throughput: 16 copies of the report with 1 and 2 workers, and a re-run with nothing changed.

Run: `.venv/bin/python bench/bench_backfill.py [PDF] [--copies 16] [--no-db]`. The copies get
different names and hashes (a comment line appended), so each is a new document. One Prefect
server and one worker forkserver serve both measurements; their start-up is excluded (it is paid
once per command, not per document). Reported:

- documents per minute with 1 and with 2 workers (same run, same inputs, fresh output roots),
  and their ratio (target >= 1.7 on 2 cores);
- peak RSS of a worker process (each document runs in its own, forked from the forkserver);
- the nothing-changed re-run of `nianbao backfill` in a fresh process, timed from the first line
  of the script (interpreter start excluded, imports included; target < 2 s for 16 documents),
  and the whole process for reference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NIANBAO_PREFECT_HOME", str(Path(tempfile.gettempdir()) / "nianbao-bench-prefect"))

RERUN = """
import time
t0 = time.perf_counter()
import sys
from pipeline.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print(f"RERUN_SECONDS {time.perf_counter() - t0:.3f}", file=sys.stderr)
"""


def make_copies(pdf: Path, folder: Path, n: int) -> list[Path]:
    data = pdf.read_bytes()
    copies = []
    for i in range(n):
        path = folder / f"report-{i:02d}.pdf"
        path.write_bytes(data + f"\n% bench copy {i}\n".encode())
        t = time.time() - 3600  # an old file: no "still being copied" waits
        os.utime(path, (t, t))
        copies.append(path)
    return copies


def run_batch(files: list[Path], output: Path, workers: int, load_db: bool) -> tuple[float, list]:
    from flows.batch import batch_flow, results_of
    from pipeline.batch.params import RunParams

    t0 = time.perf_counter()
    params = RunParams(load_db=load_db)
    state = batch_flow(workers)(paths=[str(f) for f in files], output=str(output), params=params, return_state=True)
    seconds = time.perf_counter() - t0
    results = results_of(state)
    failed = [r for r in results if r.status != "done"]
    if failed:
        sys.exit(f"benchmark batch had failures: {failed[:2]}")
    return seconds, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "raw" / "cqipc-2022.pdf"))
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--no-db", action="store_true", help="write folders only (no warehouse load)")
    args = parser.parse_args()
    load_db = not args.no_db

    from flows.ingest import local_run_settings, start_server_early
    from pipeline.batch.worker import warm_up

    server = start_server_early()
    warm_up()
    if server is not None:
        server.join()

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        tmp_path = Path(tmp)
        inputs = tmp_path / "in"
        inputs.mkdir()
        files = make_copies(Path(args.pdf), inputs, args.copies)
        rows = {}
        with local_run_settings():
            run_batch(files[:1], tmp_path / "warm", 1, load_db)  # forkserver preload, first flow, DB schema
            for workers in (1, 2):
                seconds, results = run_batch(files, tmp_path / f"out-{workers}", workers, load_db)
                rows[workers] = (seconds, max(r.peak_rss_mb for r in results))

        cmd = [sys.executable, "-c", RERUN, "backfill", str(inputs), "--output", str(tmp_path / "out-2")]
        if not load_db:
            cmd.append("--no-db")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or f"skipped {args.copies}" not in proc.stdout:
            sys.exit(f"re-run did not skip everything:\n{proc.stdout}\n{proc.stderr}")
        rerun = float(proc.stderr.rsplit("RERUN_SECONDS", 1)[1].split()[0])

    n = args.copies
    print(f"backfill of {n} copies of {Path(args.pdf).name} ({'with' if load_db else 'without'} database load), "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    for workers, (seconds, rss) in rows.items():
        label = f"{workers} worker{'s' if workers > 1 else ' '}"
        rate = n / seconds * 60
        print(f"  {label}: {seconds:6.1f} s  {rate:6.1f} documents/minute  peak RSS per worker {rss:.0f} MB")
    ratio = rows[1][0] / rows[2][0]
    print(f"  speed-up 2 vs 1 workers: {ratio:.2f}x (target >= 1.7)")
    print(f"  re-run, nothing changed: {rerun:.2f} s after interpreter start (target < 2 s), {wall:.2f} s process")
    return 0 if ratio >= 1.7 and rerun < 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
