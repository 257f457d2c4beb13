"""Every table convention alone, every pair that can coexist, and each with every layout flag.

    .venv/bin/python bench/sweep_tables.py [--only SUBSTRING ...] [--skip-pairs] [--skip-layouts] [--style NAME]

Builds each case with the synthetic generators (tests/pdfgen_conventions.py alone and paired,
tests/pdfgen_combined.py with one layout flag of tests/pdfgen_layouts.py, contents rotated
standard/second/third), runs `process_pdf`, and checks the exact tables (assert_exact), the exact
section tree of a combined report, and that no `text_not_conserved` finding is raised. `--style`
prints the cases without layout flags in another page style of tests/pdfgen_report.py (STYLES).
Prints each failing case with what failed, then a summary. Not part of `make test` (minutes of work).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.model import Document  # noqa: E402
from pipeline.process import process_pdf  # noqa: E402
from tests.pdfgen_combined import build_combined  # noqa: E402
from tests.pdfgen_conventions import Conventions, build_conventions  # noqa: E402
from tests.pdfgen_layouts import Convention, second_spec, third_spec  # noqa: E402
from tests.pdfgen_report import STYLES, ReportSpec, standard_spec  # noqa: E402
from tests.section_score import score_sections  # noqa: E402
from tests.test_structure_synthetic import shape  # noqa: E402
from tests.test_tables_conventions import assert_exact  # noqa: E402

SPECS: dict[str, Callable[[], ReportSpec]] = {"standard": standard_spec, "second": second_spec, "third": third_spec}
ANNEXES = ("landscape_annex", "rotated_annex", "sideways_annex")  # one annex per report


def flag_sets(flag: str) -> tuple[str, ...]:
    """The flags that print `flag`: framed_closed only changes the framed table."""
    return ("framed_unruled", "framed_closed") if flag == "framed_closed" else (flag,)


def coexist(a: str, b: str) -> bool:
    return not (a in ANNEXES and b in ANNEXES) and {a, b} != {"framed_unruled", "framed_closed"}


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    tables: tuple[str, ...]
    layout: Convention | None = None
    content: str = "standard"


def cases(skip_pairs: bool, skip_layouts: bool) -> Iterator[Case]:
    flags = Conventions.names()
    for f in flags:
        yield Case(f"alone:{f}", flag_sets(f))
    if not skip_pairs:
        for a, b in itertools.combinations(flags, 2):
            if coexist(a, b):
                yield Case(f"pair:{a}+{b}", tuple(dict.fromkeys(flag_sets(a) + flag_sets(b))))
    if not skip_layouts:
        contents = list(SPECS)
        k = 0
        for f in flags:
            for lay in Convention:
                content = contents[k % len(contents)]
                k += 1
                yield Case(f"layout:{content}:{lay.value}+{f}", flag_sets(f), lay, content)


def check(doc: Document) -> list[str]:
    return [f.message for f in doc.findings if f.code == "text_not_conserved"]


def run_case(case: Case, directory: Path, style: str = "classic") -> str | None:
    """None when the case is exact, else what failed."""
    name = case.name.replace(":", "_").replace("+", "_")
    if case.layout is None:
        built = build_conventions(directory / f"{name}.pdf", Conventions.of(*case.tables), STYLES[style])
        doc = process_pdf(built.path)
        expected, sections = built.tables, None
    else:
        comb = build_combined(directory, SPECS[case.content](), (case.layout,), Conventions.of(*case.tables), name)
        doc = process_pdf(comb.path)
        expected, sections = comb.tables, comb.sections
    problems: list[str] = []
    try:
        assert_exact(doc.tables, expected)
    except AssertionError as e:
        problems.append(f"tables: {str(e).strip()[:1500]}")
    if sections is not None:
        got = [shape(s) for s in doc.sections]
        want = [shape(e) for e in sections]
        if got != want:
            score = score_sections(
                [e for e in sections if e.kind != "cover"], [s for s in doc.sections if s.kind != "cover"]
            )
            diff = [(g, w) for g, w in itertools.zip_longest(got, want) if g != w][:4]
            problems.append(
                f"sections: missing={score.missing} extra={score.extra} level={score.wrong_level} first diffs={diff}"
            )
    lost = check(doc)
    if lost:
        problems.append(f"text_not_conserved: {lost[:3]}")
    return "\n    ".join(problems) or None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[], help="run the cases whose name holds this")
    ap.add_argument("--skip-pairs", action="store_true")
    ap.add_argument("--skip-layouts", action="store_true")
    ap.add_argument(
        "--style", default="classic", choices=sorted(STYLES), help="page style of the cases alone and paired"
    )
    args = ap.parse_args()
    every = cases(args.skip_pairs, args.skip_layouts)
    todo = [c for c in every if not args.only or any(o in c.name for o in args.only)]
    failed: list[str] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sweep-tables-") as tmp:
        for i, case in enumerate(todo, 1):
            try:
                problem = run_case(case, Path(tmp), args.style)
            except Exception:  # a crash is a failure of its case, the sweep goes on
                problem = "crash: " + traceback.format_exc(limit=3)[-1500:]
            mark = "FAIL" if problem else "ok"
            print(f"[{i}/{len(todo)}] {mark} {case.name}", flush=True)
            if problem:
                failed.append(case.name)
                print(f"    {problem}", flush=True)
    took = time.perf_counter() - t0
    print(f"\n{len(todo)} cases, {len(todo) - len(failed)} exact, {len(failed)} failing ({took:.0f} s)")
    for name in failed:
        print(f"  FAIL {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
