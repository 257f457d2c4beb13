"""The fixed costs of one `nianbao ingest`, each measured alone in a fresh interpreter, then the command.

    .venv/bin/python bench/bench_startup.py [PDF] [--long-lived]

Printed, each once (the machine is shared: read them as orders of magnitude):
- a bare interpreter start, and the import of the CLI (`pipeline.cli`), pandas, Great Expectations
  and Prefect, each in its own fresh interpreter (the interpreter start subtracted);
- Prefect's temporary server start (`SubprocessASGIServer().start()` until it answers; Prefect's
  import excluded) on the project's Prefect home, i.e. on an existing database;
- `nianbao ingest PDF --no-db`: the time to its first line of output (target: within 1 s) and to
  its exit, with the temporary server; with `--long-lived` also with `nianbao server start`
  running (started and stopped by this script, its start time printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NIANBAO = Path(sys.executable).with_name("nianbao")

IMPORT = """
import json, sys, time
t0 = time.perf_counter()
__import__(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""

SERVER = """
import json, time
import pipeline.prefect_env
from prefect.server.api.server import SubprocessASGIServer
server = SubprocessASGIServer()
t0 = time.perf_counter()
server.start()
seconds = time.perf_counter() - t0
server.stop()
print(json.dumps({"seconds": seconds}))
"""


def child(code: str, *args: str, env: dict[str, str] | None = None) -> float:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr}")
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def interpreter_start() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t0


def without_server_env() -> dict[str, str]:
    """This environment without PREFECT_API_URL: the command decides (temporary or recorded server)."""
    return {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}


def timed_ingest(pdf: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds to the first line of output, seconds to exit, exit code) of `nianbao ingest`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(NIANBAO), "ingest", str(pdf), "--output", str(out), "--no-db", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    t_first = time.perf_counter() - t0 if first else float("nan")
    proc.stdout.read()
    code = proc.wait()
    return t_first, time.perf_counter() - t0, code


def server_cmd(action: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(NIANBAO), "server", action], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=ROOT / "raw" / "cqipc-2022.pdf")
    ap.add_argument("--long-lived", action="store_true", help="also ingest with `nianbao server start` running")
    args = ap.parse_args()
    env = without_server_env()
    bare = interpreter_start()
    print(f"{'interpreter start':<44} {bare:6.2f}s")
    for module in ("pipeline.cli", "pandas", "great_expectations", "prefect"):
        print(f"{'import ' + module:<44} {child(IMPORT, module):6.2f}s")
    print(f"{'Prefect temporary server start (existing DB)':<44} {child(SERVER, env=env):6.2f}s")
    with tempfile.TemporaryDirectory() as tmp:
        first, total, code = timed_ingest(args.pdf, Path(tmp) / "a", env=env)
        print(f"{'ingest: first line (temporary server)':<44} {first:6.2f}s  (target <= 1 s)")
        print(f"{'ingest: exit (temporary server)':<44} {total:6.2f}s  exit code {code}")
        if args.long_lived:
            print(f"{'nianbao server start':<44} {server_cmd('start'):6.2f}s")
            try:
                first, total, code = timed_ingest(args.pdf, Path(tmp) / "b", env=env)
            finally:
                server_cmd("stop")
            print(f"{'ingest: first line (long-lived server)':<44} {first:6.2f}s")
            print(f"{'ingest: exit (long-lived server)':<44} {total:6.2f}s  exit code {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
