"""Sweep the layout conventions of tests/pdfgen_layouts.py over the three synthetic reports (issue 10).

For each content (standard, second, third): every flag alone and every pair of flags in the classic
style, every flag alone in each other style, and all flags together in every style. Each case is
built, run through `process_pdf` and checked as tests/test_structure_conventions.py does: the exact
section tree, the scorer's figures (recall, precision, level accuracy), each section's own text, the
report title and no `text_not_conserved` finding. One line per failing case, then a summary.

    python bench/sweep_conventions.py [--only SUBSTRING] [--jobs N] [--keep DIR] [--size 3]
                                      [--combined-styles classic,plain,letter]

Not part of `make test` (hundreds of cases); `make conventions` runs it. Exit code 1 on any failure.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.process import process_pdf  # noqa: E402
from tests.pdfgen_layouts import Convention, apply, second_spec, third_spec  # noqa: E402
from tests.pdfgen_report import STYLES, build_report, standard_spec  # noqa: E402
from tests.section_score import score_sections  # noqa: E402
from tests.test_structure_synthetic import shape, squash  # noqa: E402

CONTENTS = {"standard": standard_spec, "second": second_spec, "third": third_spec}

Case = tuple[str, tuple[str, ...], str]  # content, flags, style


def cases(size: int = 2, combined_styles: tuple[str, ...] = ("classic",)) -> list[Case]:
    """Each flag alone in every style; every combination of 2..`size` flags in `combined_styles`;
    all flags together in every style."""
    out: list[Case] = []
    flags = list(Convention)
    for content in CONTENTS:
        for style in STYLES:
            out.append((content, (), style))
            out += [(content, (f,), style) for f in flags]
            if style in combined_styles:
                for k in range(2, size + 1):
                    out += [(content, combo, style) for combo in itertools.combinations(flags, k)]
            out.append((content, tuple(flags), style))
    return out


def case_id(case: Case) -> str:
    content, flags, style = case
    suffix = "" if style == "classic" else f"@{style}"
    return f"{content}:{'+'.join(flags) or 'plain'}{suffix}"


def check(case: Case, directory: str) -> list[str]:
    """The problems of one case (empty when it passes)."""
    content, flags, style = case
    try:
        spec, st = apply(CONTENTS[content](), STYLES[style], [Convention(f) for f in flags])
        built = build_report(Path(directory) / (case_id(case).replace(":", "-").replace("@", "-") + ".pdf"), spec, st)
    except Exception as exc:
        return [f"build: {type(exc).__name__}: {str(exc)[:200]}"]
    try:
        doc = process_pdf(built.path)
    except Exception:
        return ["pipeline: " + traceback.format_exc(limit=3).replace("\n", " | ")[-400:]]
    problems: list[str] = []
    expected = built.expected_sections()
    want = [shape(e) for e in expected]
    have = [shape(s) for s in doc.sections]
    if want != have:
        diff = [f"-{w}" for w in want if w not in have] + [f"+{h}" for h in have if h not in want]
        problems.append("tree: " + " ".join(diff[:6]))
    score = score_sections([e for e in expected if e.kind != "cover"], [s for s in doc.sections if s.kind != "cover"])
    if not score.perfect:
        problems.append(
            f"scores: r={score.recall:.3f} p={score.precision:.3f} l={score.level_accuracy:.3f} "
            f"missing={list(score.missing)[:3]} extra={list(score.extra)[:3]} level={list(score.wrong_level)[:3]}"
        )
    got = {(s.kind, s.number, squash(s.title)): s for s in doc.sections}
    for e in expected:
        if e.kind in ("cover", "toc"):
            continue
        s = got.get((e.kind, e.number, squash(e.title)))
        have_text = [squash(p) for p in s.text.split("\n") if p.strip()] if s else None
        want_text = [squash(p) for p in e.text.split("\n") if p]
        if s is not None and have_text != want_text:
            got_n = len(have_text or [])
            problems.append(f"text: {e.number} {e.title[:12]}: {len(want_text)} paragraphs expected, got {got_n}")
            break
    title = "".join(built.spec.cover_lines[1 : built.spec.cover_big])
    if squash(doc.metadata.title or "") != squash(title):
        problems.append(f"title: {doc.metadata.title!r}")
    lost = [f.message for f in doc.findings if f.code == "text_not_conserved"]
    if lost:
        problems.append("lost: " + lost[0][:150])
    return problems


def run(chosen: list[Case], directory: str, jobs: int) -> int:
    """Check every case, printing one line per failing case and the summary; the failing count."""
    start = time.monotonic()
    failing = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(check, chosen, itertools.repeat(directory))
        for case, problems in zip(chosen, results, strict=True):
            if problems:
                failing += 1
                print(f"FAIL {case_id(case)}: {' ; '.join(problems)}", flush=True)
    print(f"{len(chosen)} cases, {failing} failing, {len(chosen) - failing} passing ({time.monotonic() - start:.0f} s)")
    return failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only cases whose id contains this substring")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDFs in this directory")
    parser.add_argument("--size", type=int, default=2, help="combine up to this many flags (default: pairs)")
    parser.add_argument("--combined-styles", default="classic", help="comma-separated styles to combine flags in")
    args = parser.parse_args()
    styles = tuple(args.combined_styles.split(","))
    chosen = [c for c in cases(args.size, styles) if args.only in case_id(c)]
    with tempfile.TemporaryDirectory(prefix="sweep-") as scratch:
        directory = str(args.keep) if args.keep else scratch
        Path(directory).mkdir(parents=True, exist_ok=True)
        failing = run(chosen, directory, args.jobs)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
