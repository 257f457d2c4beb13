"""Sections on layouts typeset by other conventions (issue 10), alone and combined, on two reports.

Each case prints a report (the standard one or a second college's) with some layout conventions
of tests/pdfgen_layouts.py and checks the exact section tree, the scorer's section figures
(recall, precision, level accuracy: all 1.0), each section's own text and the report title. A
check the code does not pass yet is marked xfail(strict=True) with the rule it waits for, so the
suite stays green and honest: when the rule lands the xfail turns into an error and is removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.model import Section
from pipeline.process import process_pdf

from .pdfgen_layouts import Convention, apply, second_spec, third_spec
from .pdfgen_report import STYLES, ExpectedSection, ReportSpec, build_report, standard_spec
from .section_score import score_sections
from .test_structure_synthetic import Run, shape, squash

C = Convention


@dataclass(frozen=True, slots=True)
class Case:
    content: str  # "standard", "second" or "third" (tests/pdfgen_layouts.py)
    flags: tuple[Convention, ...]
    style: str = "classic"  # a key of pdfgen_report.STYLES: the page size, body size and heading type

    @property
    def id(self) -> str:
        style = "" if self.style == "classic" else f"@{self.style}"
        return f"{self.content}:{'+'.join(self.flags) or 'plain'}{style}"


CASES = [Case("standard", ()), Case("second", ())]
CASES += [Case("standard", (flag,)) for flag in Convention]
CASES += [Case("second", (flag,)) for flag in (C.BODY_FONT, C.RUN_IN, C.CHAPTERS, C.DEEP, C.TRAILING, C.FRAMED)]
CASES += [
    Case("standard", (C.BODY_FONT, C.WRAPPED)),
    Case("standard", (C.RUN_IN, C.CHAPTERS)),
    Case("standard", (C.TRAILING, C.BODY_FONT, C.CHAPTERS)),
    Case("second", (C.CHAPTERS, C.DEEP)),
    Case("second", (C.UNTITLED_TOC, C.BODY_FONT)),
    Case("standard", (C.CHART_BODY, C.WIDE_MARGIN, C.TWO_LINE_TITLE)),
    Case("second", (C.MIRRORED, C.BODY_FONT, C.WRAPPED)),
    Case("standard", (C.WIDE_MARGIN, C.MIRRORED)),
    Case("standard", (C.FRAMED, C.WIDE_MARGIN, C.MIRRORED, C.BODY_FONT)),
    Case("second", tuple(c for c in Convention if c is not C.MIRRORED)),
]

# A third report the rules were not written on: 第X部分 → 一、 → 1. → ①, other wording, flags together.
CASES += [
    Case("third", ()),
    Case("third", (C.BODY_FONT, C.UNTITLED_TOC, C.MIRRORED, C.TWO_LINE_TITLE)),
    Case("third", (C.WRAPPED, C.CHART_BODY, C.FRAMED, C.MIRRORED)),
    Case("third", (C.CHART_BODY, C.WIDE_MARGIN, C.FRAMED, C.TWO_LINE_TITLE)),
    Case("third", (C.BODY_FONT, C.WRAPPED, C.CHART_BODY)),
    Case("third", (C.BODY_FONT, C.WRAPPED, C.WIDE_MARGIN)),  # the narrower block wraps 1.'s title onto 3 lines
    Case("third", (C.CHAPTERS, C.DEEP)),  # 第X部分 ⊃ 第X章 ⊃ 一、 ⊃ 1. ⊃ (1) ⊃ ①: six tiers
    Case("third", (C.TRAILING,)),  # no （一） tier: a 2. heading at the end of a paragraph's last line
    # that 3-line 1. heading in the body font has its 2. sibling only at the end of a paragraph's line
    Case("third", (C.BODY_FONT, C.WRAPPED, C.WIDE_MARGIN, C.TRAILING)),
    Case("third", (C.BODY_FONT, C.WIDE_MARGIN, C.FRAMED)),  # a paragraph split on a wide-margin page
]

# Other page styles: a smaller page and body with unbolded headings ((1)/① in the body font, set
# apart only by standing alone above their own indented paragraph and by their sequence).
CASES += [
    Case("second", (C.DEEP, C.UNTITLED_TOC, C.CHART_BODY), "b5-unbold"),
    Case("standard", (C.DEEP,), "b5-unbold"),
    Case("third", (), "b5-unbold"),  # ① after a paragraph whose last line ran full ending a sentence
    Case("standard", (C.RUN_IN,), "b5-unbold"),  # a run-in （二） after a full line ending a sentence
    Case("second", (C.BODY_FONT, C.WRAPPED, C.DEEP, C.FRAMED), "b5-unbold"),
    # letter paper: a 2. heading in the body font fills the last line of a page, its paragraph on the next
    Case("second", tuple(c for c in Convention if c is not C.MIRRORED), "letter"),
    # a paragraph's last two lines alone on a wide-margin page: the page's block is the one before's
    Case("third", tuple(Convention), "b5-unbold"),
    # an unfilled case box broken over a page: each page draws it open at the break
    Case("standard", (C.BODY_FONT, C.DEEP), "letter"),
    # five ragged-right lines alone on a page after a mirrored one: the same text block as that page
    Case("second", (C.DEEP, C.MIRRORED), "plain"),
]


# A check that a rule does not pass yet carries pytest.mark.xfail(strict=True, reason=the rule it
# waits for), so the suite stays green and honest; remove the mark when the rule lands.
PENDING: dict[str, dict[Case, str]] = {}


def params(check: str) -> list[pytest.ParameterSet]:
    out = []
    for case in CASES:
        reason = PENDING.get(check, {}).get(case)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Run]:
    """Build each case once per module and run the pipeline on it once."""
    directory = tmp_path_factory.mktemp("conventions")
    cache: dict[Case, Run] = {}

    def get(case: Case) -> Run:
        if case not in cache:
            base = {"standard": standard_spec, "second": second_spec, "third": third_spec}[case.content]()
            spec, st = apply(base, STYLES[case.style], case.flags)
            built = build_report(directory / f"{case.id.replace(':', '-')}.pdf", spec, st)
            cache[case] = Run(built, process_pdf(built.path))
        return cache[case]

    return get


def not_cover(sections: list[Section] | list[ExpectedSection]) -> list[Section] | list[ExpectedSection]:
    return [s for s in sections if s.kind != "cover"]


@pytest.mark.parametrize("case", params("tree"))
def test_exact_section_tree(run: Callable[[Case], Run], case: Case) -> None:
    r = run(case)
    assert [shape(s) for s in r.doc.sections] == [shape(e) for e in r.built.expected_sections()]


@pytest.mark.parametrize("case", params("scores"))
def test_section_recall_precision_levels(run: Callable[[Case], Run], case: Case) -> None:
    r = run(case)
    score = score_sections(not_cover(r.built.expected_sections()), not_cover(r.doc.sections))
    assert score.perfect, (score.missing, score.extra, score.wrong_level)


@pytest.mark.parametrize("case", params("text"))
def test_each_section_has_its_own_text(run: Callable[[Case], Run], case: Case) -> None:
    r = run(case)
    got = {(s.kind, s.number, squash(s.title)): s for s in r.doc.sections}
    wrong = []
    for e in r.built.expected_sections():
        if e.kind in ("cover", "toc"):
            continue
        s = got.get((e.kind, e.number, squash(e.title)))
        have = [squash(p) for p in s.text.split("\n") if p.strip()] if s else None
        want = [squash(p) for p in e.text.split("\n") if p]
        if have != want:
            wrong.append(f"{e.kind} {e.number} {e.title}: expected {want} got {have}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", params("title"))
def test_report_title_and_year(run: Callable[[Case], Run], case: Case) -> None:
    r = run(case)
    spec = r.built.spec
    title = "".join(spec.cover_lines[1 : spec.cover_big])
    assert squash(r.doc.metadata.title or "") == squash(title)
    assert r.doc.metadata.report_year == int(title.split("（")[1][:4])


@pytest.mark.parametrize("case", params("lost"))
def test_no_text_lost(run: Callable[[Case], Run], case: Case) -> None:
    r = run(case)
    assert [f.message for f in r.doc.findings if f.code == "text_not_conserved"] == []


def test_conventions_change_the_print() -> None:
    """Guard: every convention changes the spec or the style (a flag that does nothing tests nothing)."""
    spec, st = standard_spec(), STYLES["classic"]
    for flag in Convention:
        assert apply(spec, st, (flag,)) != (spec, st), flag


def test_scorer_counts_misses_extras_and_levels() -> None:
    truth = [ExpectedSection("heading", 1, "一", "学生发展", 1, ""), ExpectedSection("heading", 2, "一", "招生", 1, "")]
    out = [ExpectedSection("heading", 1, "一", "学生发展", 1, ""), ExpectedSection("heading", 1, "", "别的", 1, "")]
    score = score_sections(truth, out)
    assert (score.recall, score.precision, score.level_accuracy) == (0.5, 0.5, 1.0)
    assert score.missing == ("招生",) and score.extra == ("别的",) and not score.perfect
    assert score_sections(truth, [truth[0], ExpectedSection("heading", 1, "一", "招生", 1, "")]).level_accuracy == 0.5


@pytest.mark.parametrize("other", [second_spec, third_spec])
def test_other_reports_differ_from_the_standard(tmp_path: Path, other: Callable[[], ReportSpec]) -> None:
    """The second and third reports share no section title or paragraph with the standard one."""
    std = build_report(tmp_path / "a.pdf", standard_spec(), STYLES["classic"]).expected_sections()
    sec = build_report(tmp_path / "b.pdf", other(), STYLES["classic"]).expected_sections()
    titles = {squash(e.title) for e in std if e.kind == "heading"}
    assert not titles & {squash(e.title) for e in sec if e.kind == "heading"}
    texts = {squash(e.text) for e in std if e.text}
    assert not texts & {squash(e.text) for e in sec if e.text}


def test_chapters_sit_inside_the_parts_of_a_report_divided_in_parts(tmp_path: Path) -> None:
    """第X部分 ⊃ 第X章 ⊃ 一、: a chapter opens each 第X部分 one level under it (the generator's
    expected tree follows the document type's hierarchy, not the order the flags apply in)."""
    spec, st = apply(third_spec(), STYLES["classic"], (C.CHAPTERS,))
    heads = [e for e in build_report(tmp_path / "d.pdf", spec, st).expected_sections() if e.kind == "heading"]
    assert [(e.level, e.title) for e in heads[:3]] == [(1, "办学基础"), (2, "发展成效"), (3, "学院概况")]
    assert {e.level for e in heads if e.title in ("发展成效", "问题与展望")} == {2}


def test_the_third_report_has_its_own_numbering_depth(tmp_path: Path) -> None:
    """第X部分 above 一、, 1. right under 一、 and ① under 1.: four tiers, none of them （一）."""
    sections = build_report(tmp_path / "c.pdf", third_spec(), STYLES["classic"]).expected_sections()
    levels = {e.level for e in sections if e.kind == "heading"}
    assert levels == {1, 2, 3, 4}
    assert {e.title for e in sections if e.level == 1 and e.kind == "heading"} == {"办学基础", "人才培养与服务"}
