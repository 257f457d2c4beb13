"""Fuzzing (issue 13 item 11): mutated PDFs through load → emit, each within a time limit.

Seeds are a small generated report and two pages of the public report. Each case is a seeded
mutation of a seed's bytes (bytes flipped, truncated, an object removed or duplicated, a stream
corrupted, the xref broken, a reference made to point at itself, deep nesting). Every case must
end in one of three outcomes, counted and printed: processed (a complete folder with its
manifest), refused (an InputError or another NianbaoError with its reason, nothing written) or
timed out (the per-document limit). An unexpected exception, a hang past the limit (the limit
itself is the catch: `time_limit` cannot be swallowed) or a partial output fails the test, and
the input is kept under tests/fuzz_regressions/ (only when FUZZ_KEEP is set, as `make fuzz` does),
where every kept file is replayed by `test_fuzz_regressions`.

`make test` runs FUZZ_CASES=200 (default) cases; `make fuzz` runs thousands.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.deadline import DocumentTimeout, time_limit
from pipeline.errors import NianbaoError
from pipeline.stages import STAGES, Work, run_stages

from .paths import REPORT
from .test_cli import small_report

CASES = int(os.environ.get("FUZZ_CASES", "200"))
LIMIT = float(os.environ.get("FUZZ_LIMIT", "10"))
KEEP = Path(__file__).parent / "fuzz_regressions"
CHAIN = tuple(s for s in STAGES if s.name not in ("validate", "review"))  # load → … → emit, no GX

Mutation = Callable[[bytes, random.Random], bytes]


def flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _objects(data: bytes) -> list[re.Match[bytes]]:
    return list(re.finditer(rb"\d+ \d+ obj\b.*?endobj", data, re.S))


def remove_object(data: bytes, rng: random.Random) -> bytes:
    objs = _objects(data)
    if not objs:
        return flip(data, rng)
    m = rng.choice(objs)
    return data[: m.start()] + data[m.end() :]


def duplicate_object(data: bytes, rng: random.Random) -> bytes:
    objs = _objects(data)
    if not objs:
        return flip(data, rng)
    m = rng.choice(objs)
    at = rng.choice(objs).end()
    return data[:at] + b"\n" + m.group() + data[at:]


def corrupt_stream(data: bytes, rng: random.Random) -> bytes:
    streams = list(re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S))
    if not streams:
        return flip(data, rng)
    m = rng.choice(streams)
    a, b = m.span(1)
    if b - a < 2:
        return flip(data, rng)
    i = rng.randrange(a, b - 1)
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return data[:i] + junk + data[i + len(junk) :]


def break_xref(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(3)
    if choice == 0:
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rng.randrange(len(data))).encode(), data)
    if choice == 1:
        return re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (rng.randrange(len(data)), m.group(2)), data)
    return data.replace(b"xref", b"xfer", 1)


def self_reference(data: bytes, rng: random.Random) -> bytes:
    """A reference made to point at the object holding it (or a MediaBox at itself): a cycle."""
    objs = [m for m in _objects(data) if re.search(rb"\d+ \d+ R", m.group())]
    if not objs:
        return flip(data, rng)
    m = rng.choice(objs)
    num = re.match(rb"(\d+) (\d+) obj", m.group())
    assert num is not None
    body = re.sub(rb"\d+ \d+ R", num.group(1) + b" " + num.group(2) + b" R", m.group(), count=1)
    return data[: m.start()] + body + data[m.end() :]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    objs = _objects(data)
    if not objs:
        return flip(data, rng)
    m = rng.choice(objs)
    depth = rng.choice((100, 1000, 20000))
    at = m.group().find(b"<<")
    if at < 0:
        return flip(data, rng)
    nest = b"/Deep " + (b"[" * depth) + (b"]" * depth) + b" "
    i = m.start() + at + 2
    return data[:i] + nest + data[i:]


MUTATIONS: tuple[Mutation, ...] = (
    flip,
    truncate,
    remove_object,
    duplicate_object,
    corrupt_stream,
    break_xref,
    self_reference,
    deep_nesting,
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    import pypdfium2 as pdfium

    folder = tmp_path_factory.mktemp("seeds")
    small = small_report(folder / "small.pdf").read_bytes()
    src = pdfium.PdfDocument(str(REPORT))
    part = pdfium.PdfDocument.new()
    part.import_pages(src, [0, 4])  # the cover and a body page
    part.save(str(folder / "public.pdf"))
    part.close()
    src.close()
    return {"small": small, "public": (folder / "public.pdf").read_bytes()}


def outcome(path: Path, out: Path) -> tuple[str, str]:
    """("processed" | "refused" | "timeout", detail); anything else raises (the test fails)."""
    try:
        with time_limit(LIMIT, path):
            work = run_stages(Work(path, output=out), CHAIN)
    except DocumentTimeout as exc:
        return "timeout", str(exc)
    except NianbaoError as exc:
        return "refused", exc.reason
    folder = work.folder
    assert folder is not None and (folder / "manifest.json").is_file() and (folder / "document.json").is_file()
    return "processed", folder.name


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))] if out.exists() else []


def run_case(data: bytes, work_dir: Path, label: str) -> tuple[str, str]:
    path = work_dir / "case.pdf"
    out = work_dir / "out"
    shutil.rmtree(out, ignore_errors=True)
    path.write_bytes(data)
    try:
        kind, detail = outcome(path, out)
        assert not leftovers(out), f"partial output {leftovers(out)}"
        if kind != "processed":
            assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")], "output on refusal"
    except BaseException:
        if os.environ.get("FUZZ_KEEP"):
            KEEP.mkdir(exist_ok=True)
            (KEEP / f"{label}-{hashlib.sha256(data).hexdigest()[:12]}.pdf").write_bytes(data)
        raise
    return kind, detail


def test_fuzz_mutated_reports(seeds: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "13")))
    counts: Counter[str] = Counter()
    by_mutation: Counter[tuple[str, str]] = Counter()
    t0 = time.monotonic()
    for n in range(CASES):
        seed = rng.choice(sorted(seeds))
        mutation = rng.choice(MUTATIONS)
        data = mutation(seeds[seed], rng)
        kind, _ = run_case(data, tmp_path, f"{seed}-{mutation.__name__}-{n}")
        counts[kind] += 1
        by_mutation[(mutation.__name__, kind)] += 1
    seconds = time.monotonic() - t0
    with capsys.disabled():  # the counts show in `make test` too
        print(f"\nfuzz: {CASES} cases in {seconds:.1f} s: " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
        for (name, kind), c in sorted(by_mutation.items()):
            print(f"  {name:18s} {kind:10s} {c}")
    assert sum(counts.values()) == CASES
    assert counts["processed"] > 0 and counts["refused"] > 0  # the mutations do reach both ends


def test_fuzz_regressions(tmp_path: Path) -> None:
    """Every input a fuzz run kept ends in one of the three outcomes now."""
    kept = sorted(KEEP.glob("*.pdf")) if KEEP.exists() else []
    kinds = [run_case(path.read_bytes(), tmp_path, path.stem)[0] for path in kept]
    assert len(kinds) == len(kept)
