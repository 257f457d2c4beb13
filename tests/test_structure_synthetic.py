"""The structure rules on reports the tests print themselves, in styles unlike the committed report.

Each style variant (tests/pdfgen_report.py STYLES) prints the same standard report with other page
sizes, margins, body and heading sizes, bold or plain headings, with or without a running header,
and page numbers "3", "- 3 -" or "第 3 页". The sections a perfect extraction returns are derived
from the spec and the pages the layout engine reported, never from the pipeline's own rules, so a
rule tuned to cqipc-2022.pdf fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.model import Document, Section
from pipeline.process import process_pdf

from .pdfgen_report import (
    SCHOOL,
    STYLES,
    Annex,
    BuiltReport,
    Case,
    ClosingList,
    DataTable,
    ExpectedSection,
    Figure,
    Para,
    ReportSpec,
    TocExtra,
    body_text,
    build_report,
    build_variant,
    h0,
    h1,
    h2,
    h3,
    standard_spec,
)

CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff，。；：、“”（）] +[\u4e00-\u9fff，。；：、“”（）]")


@dataclass(frozen=True, slots=True)
class Run:
    built: BuiltReport
    doc: Document


_cache: dict[str, Run] = {}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """Build a variant once per module and run the pipeline on it once."""
    directory = tmp_path_factory.mktemp("synthetic")

    def get(name: str) -> Run:
        if name not in _cache:
            built = build_variant(name, directory)
            _cache[name] = Run(built, process_pdf(built.path))
        return _cache[name]

    return get


def squash(text: str) -> str:
    return "".join(text.split())


def shape(s: Section | ExpectedSection) -> tuple[str, int | None, str, str, int]:
    title = "" if s.kind == "cover" else s.title  # the cover's title is metadata, checked elsewhere
    return (s.kind, s.level, s.number, squash(title), s.page)


def by_title(doc: Document, title: str, kind: str | None = None) -> Section:
    hits = [s for s in doc.sections if squash(s.title) == squash(title) and (kind is None or s.kind == kind)]
    assert hits, f"no section titled {title!r}; got {[s.title for s in doc.sections]}"
    return hits[0]


def paragraphs_of(section: Section) -> list[str]:
    return [squash(p) for p in section.text.split("\n") if p.strip()]


VARIANTS = list(STYLES)


# --------------------------------------------------------------------------- every style variant


@pytest.mark.parametrize("name", VARIANTS)
def test_sections_kinds_levels_numbers_titles_pages(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    expected = [shape(e) for e in r.built.expected_sections()]
    got = [shape(s) for s in r.doc.sections]
    assert got == expected


@pytest.mark.parametrize("name", VARIANTS)
def test_cover_declaration_toc_front_matter(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    kinds = [s.kind for s in r.doc.sections[:3]]
    assert kinds == ["cover", "declaration", "toc"]
    cover = r.doc.sections[0]
    assert cover.page == 1 and "质量年度报告" in cover.title
    declaration = r.doc.sections[1]
    assert declaration.page == r.built.page_of("declaration")
    assert paragraphs_of(declaration) == [squash(p) for p in r.built.spec.declaration or ()]


@pytest.mark.parametrize("name", VARIANTS)
def test_section_text_is_own_paragraphs(run: Callable[[str], Run], name: str) -> None:
    """Each section's text is its own paragraphs in order: not its subsections', cases' or captions."""
    r = run(name)
    got = {(s.kind, s.number, squash(s.title)): s for s in r.doc.sections}
    mismatches = []
    for e in r.built.expected_sections():
        if e.kind in ("cover", "toc"):
            continue
        s = got.get((e.kind, e.number, squash(e.title)))
        if s is None:
            mismatches.append(f"missing {e.kind} {e.number} {e.title}")
            continue
        want = [squash(p) for p in e.text.split("\n") if p]
        have = paragraphs_of(s)
        if want != have:
            mismatches.append(f"{e.kind} {e.number} {e.title}: expected {want} got {have}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", VARIANTS)
def test_first_and_last_paragraphs(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    overview = by_title(r.doc, "学校概述")
    assert paragraphs_of(overview)[0] == squash(body_text(1, 4))
    assert paragraphs_of(overview)[-1].startswith(squash("学校是国家首批现代学徒制和 1+X 证书试点单位"))
    last = by_title(r.doc, "应对举措")
    assert paragraphs_of(last) == [squash(body_text(22, 3))]


@pytest.mark.parametrize("name", VARIANTS)
def test_bold_lead_ins_stay_in_text(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    assert not [s.title for s in r.doc.sections if re.match(r"^[一二三四五六七八九十]+是", s.title)]
    section = by_title(r.doc, "立德树人：实施“三为育人”，落实立德树人")
    paras = paragraphs_of(section)
    assert squash("一是搭建志愿服务实践平台。" + body_text(4, 2)) in paras
    assert squash("二是完善学生资助体系。" + body_text(5, 2)) in paras
    case = by_title(r.doc, "文艺骨干的“摇篮”——大学生艺术团", kind="case")
    assert squash("一是以赛促学。" + body_text(9, 2)) in paragraphs_of(case)


@pytest.mark.parametrize("name", VARIANTS)
def test_bold_lead_recorded_on_paragraph(run: Callable[[str], Run], name: str) -> None:
    """Paragraph.bold_lead is the bold run at the start (None where the lead-in is not bold)."""
    r = run(name)
    want = "一是搭建志愿服务实践平台。" if r.built.style.lead_bold else None
    for lead in ("一是搭建志愿服务实践平台。", "一是以赛促学。"):
        hits = [p for p in r.doc.paragraphs if squash(p.text).startswith(lead)]
        assert len(hits) == 1, lead
        assert hits[0].bold_lead == (lead if want else None)


@pytest.mark.parametrize("name", VARIANTS)
def test_wrapped_lines_rejoined_without_cjk_spaces(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    for s in r.doc.sections:
        assert not CJK_SPACE_CJK.search(s.text), f"{s.title}: {CJK_SPACE_CJK.search(s.text)!r}"
        assert not CJK_SPACE_CJK.search(s.title), s.title
    overview = by_title(r.doc, "学校概述").text
    # Printed mid-line with a space either side: Latin words keep the spaces the PDF prints.
    assert "1+X 证书试点单位" in overview
    assert "在 Vlog 创作大赛" in overview
    assert "V log" not in overview and "Vl og" not in overview


@pytest.mark.parametrize("name", VARIANTS)
def test_paragraph_over_page_break_is_one_paragraph(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    split = r.built.split_paragraphs()
    if not split:
        pytest.skip(f"{name}: the layout cut no paragraph over a page break")
    texts = {squash(p.text) for p in r.doc.paragraphs}
    for para in split:
        assert squash(para.full) in texts, f"not one paragraph: {para.full[:30]}…"
        hit = next(p for p in r.doc.paragraphs if squash(p.text) == squash(para.full))
        assert hit.page_end == hit.page + 1


def test_some_variant_cuts_a_paragraph_over_a_page(run: Callable[[str], Run]) -> None:
    """Guard for the test above: the standard report does put a paragraph over a page break."""
    assert run("classic").built.split_paragraphs()


@pytest.mark.parametrize("name", VARIANTS)
def test_running_header_and_page_numbers_never_in_text(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    st = r.built.style
    everything = "\n".join(s.text + "\n" + s.title for s in r.doc.sections if s.kind != "cover")
    if st.running_header:
        assert squash(st.running_header) not in squash(everything)
    for page in range(r.built.body_start, r.built.page_count + 1):
        label = st.label_text(page - r.built.body_start + 1)
        if label and not label.isdigit():
            assert label not in everything
    for s in r.doc.sections:
        for para in s.text.split("\n"):
            assert not re.fullmatch(r"\s*(?:-\s*)?(?:第\s*)?\d+(?:\s*页)?(?:\s*-)?\s*", para), (s.title, para)


@pytest.mark.parametrize("name", VARIANTS)
def test_page_labels_map_to_physical_pages(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    want = [r.built.label(p) for p in range(1, r.built.page_count + 1)]
    if r.built.style.page_number_format is None:
        want = [None] * r.built.page_count
    assert r.doc.metadata.page_labels == want


@pytest.mark.parametrize("name", VARIANTS)
def test_case_box_is_a_case_section_and_text_after_returns(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    case = by_title(r.doc, "文艺骨干的“摇篮”——大学生艺术团")
    assert (case.kind, case.level, case.number) == ("case", None, "1")
    assert case.page == r.built.page_of("case1")
    assert paragraphs_of(case) == [squash(body_text(8, 3)), squash("一是以赛促学。" + body_text(9, 2))]
    enclosing = by_title(r.doc, "实施素质教育“四大工程”")
    assert paragraphs_of(enclosing) == [squash(body_text(7, 2)), squash("案例之后的段落回到本节：" + body_text(10, 2))]
    assert case.parent == enclosing.id
    assert squash(body_text(8, 3)) not in squash(enclosing.text)
    second = by_title(r.doc, "强化教师分类培育，夯实师资队伍")
    assert second.kind == "case" and paragraphs_of(second) == [squash(body_text(18, 3))]


@pytest.mark.parametrize("name", VARIANTS)
def test_captions_and_table_cells_not_in_text(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    everything = squash("\n".join(s.text for s in r.doc.sections))
    assert "图1：" not in everything and "校园文化节开幕式" not in everything
    assert "表1：" not in everything and "学校专业大类及在校生分布" not in everything
    assert "装备制造大类" not in everything
    assert not [s for s in r.doc.sections if "装备制造大类" in s.title or s.title.startswith("图")]


@pytest.mark.parametrize("name", VARIANTS)
def test_paragraphs_in_reading_order(run: Callable[[str], Run], name: str) -> None:
    """doc.paragraphs follows the page: a case's paragraphs come before the text after the box."""
    r = run(name)
    want: list[str] = []
    for block in r.built.spec.body:
        if isinstance(block, Para):
            want.append(squash(block.full))
        elif isinstance(block, Case):
            want.extend(squash(p.full) for p in block.paras)
    got = [squash(p.text) for p in r.doc.paragraphs if squash(p.text) in set(want)]
    assert got == want


@pytest.mark.parametrize("name", VARIANTS)
def test_toc_parsed_with_labels_mapped_to_physical_pages(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    sections = {s.id: s for s in r.doc.sections}
    got = [(squash(e.text), e.page_label, e.page) for e in r.doc.toc]
    want = []
    for text, label in r.built.toc_entries:
        page = r.built.heading_page(text)
        want.append((squash(text), label, page))
    assert got == want
    for e in r.doc.toc:
        assert e.target is not None and sections[e.target].page == e.page, e.text
        assert e.entry_page in r.built.toc_pages
    levels = [e.level for e in r.doc.toc]
    assert levels[:3] == [1, 1, 2]


def test_dashed_labels_differ_from_physical_pages(run: Callable[[str], Run]) -> None:
    """'- 2 -' on physical page 6: the TOC's printed 2 must resolve to physical page 6."""
    r = run("dashed")
    assert r.built.body_start == 5
    part = by_title(r.doc, "学生发展")
    assert part.page == 6
    entry = next(e for e in r.doc.toc if squash(e.text) == "一、学生发展")
    assert (entry.page_label, entry.page, entry.target) == ("2", 6, part.id)


@pytest.mark.parametrize("name", VARIANTS)
def test_consistent_toc_gives_no_toc_findings(run: Callable[[str], Run], name: str) -> None:
    r = run(name)
    assert [f for f in r.doc.findings if f.severity != "info"] == []


# --------------------------------------------------------------------------- TOC cross-check


def _toc_mismatch_spec() -> ReportSpec:
    return standard_spec(
        toc_omit=frozenset({"（二）师资队伍：建设双师队伍"}),
        toc_extra=(TocExtra(after="（一）主要挑战", text="（三）国际合作：拓展境外办学", label="6"),),
    )


@pytest.fixture(scope="module")
def toc_mismatch(tmp_path_factory: pytest.TempPathFactory) -> Run:
    built = build_report(tmp_path_factory.mktemp("toc") / "toc.pdf", _toc_mismatch_spec(), STYLES["classic"])
    return Run(built, process_pdf(built.path))


def test_toc_entry_without_heading_is_a_finding(toc_mismatch: Run) -> None:
    hits = [f for f in toc_mismatch.doc.findings if "国际合作" in f.message]
    assert hits, [f.message for f in toc_mismatch.doc.findings]
    assert hits[0].severity in ("warning", "error")
    assert hits[0].page in toc_mismatch.built.toc_pages
    assert not [s for s in toc_mismatch.doc.sections if "国际合作" in s.title]


def test_heading_missing_from_toc_is_a_finding(toc_mismatch: Run) -> None:
    hits = [f for f in toc_mismatch.doc.findings if "师资队伍" in f.message]
    assert hits, [f.message for f in toc_mismatch.doc.findings]
    assert hits[0].severity in ("warning", "error")
    section = by_title(toc_mismatch.doc, "师资队伍：建设双师队伍")
    assert hits[0].ref in (None, section.id)
    # The heading is still a section: the TOC is a cross-check, not the source of structure.
    assert (section.level, section.number, section.page) == (
        2,
        "二",
        toc_mismatch.built.heading_page("（二）师资队伍：建设双师队伍"),
    )


def test_toc_mismatch_keeps_the_structure(toc_mismatch: Run) -> None:
    expected = [shape(e) for e in toc_mismatch.built.expected_sections()]
    assert [shape(s) for s in toc_mismatch.doc.sections] == expected


# --------------------------------------------------------------------------- tables that look like headings


_STATEMENT_ROWS = (
    ("项目", "本期金额", "上期金额"),
    ("一、营业总收入", "1,234,567.89", "1,102,345.67"),
    ("其中：营业收入", "1,200,000.00", "1,100,000.00"),
    ("二、营业总成本", "987,654.32", "876,543.21"),
    ("（一）基本每股收益", "0.52", "0.48"),
    ("（二）稀释每股收益", "0.51", "0.47"),
    ("1. 合并资产负债表", "—", "—"),
    ("2. 合并利润表", "—", "—"),
    ("三、利润总额", "246,913.57", "225,802.46"),
)


def _statement_spec() -> ReportSpec:
    return ReportSpec(
        cover_lines=(SCHOOL, "高等职业教育质量年度报告（2022）", "二〇二一年十二月"),
        toc=False,
        body=(
            h0("学校概述"),
            Para(body_text(30, 3)),
            h1("一", "经费收支"),
            h2("一", "收入情况"),
            Para(body_text(31, 2)),
            DataTable(_STATEMENT_ROWS, col_widths=(200, 110, 110)),
            Para("表后文字：" + body_text(32, 2)),
            h3("1", "支出结构"),
            Para(body_text(33, 2)),
            DataTable(_STATEMENT_ROWS[:5], number=2, caption="学校经费收入（元）", col_widths=(200, 110, 110)),
            Para(body_text(34, 2)),
            ClosingList("tables"),
            Annex(f"【附件目录】{SCHOOL}质量年度报告指标"),
        ),
    )


@pytest.fixture(scope="module")
def statement(tmp_path_factory: pytest.TempPathFactory) -> Run:
    built = build_report(tmp_path_factory.mktemp("stmt") / "stmt.pdf", _statement_spec(), STYLES["classic"])
    return Run(built, process_pdf(built.path))


def test_table_rows_numbered_like_headings_are_not_sections(statement: Run) -> None:
    titles = [s.title for s in statement.doc.sections]
    for row in _STATEMENT_ROWS:
        assert not [t for t in titles if squash(row[0]).endswith(squash(t)) and squash(t) != ""], row[0]
    expected = [shape(e) for e in statement.built.expected_sections()]
    assert [shape(s) for s in statement.doc.sections] == expected


def test_text_around_tables_stays_with_its_section(statement: Run) -> None:
    section = by_title(statement.doc, "收入情况")
    assert paragraphs_of(section) == [squash(body_text(31, 2)), squash("表后文字：" + body_text(32, 2))]
    assert "营业总收入" not in section.text and "1,234,567.89" not in section.text
    item = by_title(statement.doc, "支出结构")
    assert paragraphs_of(item) == [squash(body_text(33, 2)), squash(body_text(34, 2))]


# --------------------------------------------------------------------------- the closing lists


def test_closing_list_entries_are_not_cases_or_captions(run: Callable[[str], Run]) -> None:
    """【案例目录】 lines read "案例 1：… ….. 2": entries of the list, never case sections."""
    r = run("classic")
    cases = [s for s in r.doc.sections if s.kind == "case"]
    assert [(s.number, s.page) for s in cases] == [("1", r.built.page_of("case1")), ("2", r.built.page_of("case2"))]
    kinds = {e.list for e in r.doc.lists}
    assert kinds == {"figures", "tables", "cases"}
    case_entries = [e for e in r.doc.lists if e.list == "cases"]
    assert [(e.number, e.page_label) for e in case_entries] == [
        ("1", r.built.label(r.built.page_of("case1"))),
        ("2", r.built.label(r.built.page_of("case2"))),
    ]


def test_spec_blocks_are_the_ones_the_tests_expect() -> None:
    """The standard spec has one figure, one captioned table and two cases (tests rely on it)."""
    body = standard_spec().body
    assert sum(isinstance(b, Figure) for b in body) == 1
    assert sum(isinstance(b, DataTable) for b in body) == 1
    assert [b.number for b in body if isinstance(b, Case)] == [1, 2]


def test_builder_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build_variant("letter", tmp_path / "a")
    b = build_variant("letter", tmp_path / "b")
    assert a.pages == b.pages and a.body_start == b.body_start


# --------------------------------------------------------------------------- a case box over a page break

_LONG_CASE = Case(3, "校企共建产业学院，探索混合所有制办学", tuple(Para(body_text(60 + k, 4)) for k in range(5)))


def _long_case_spec() -> ReportSpec:
    return ReportSpec(
        cover_lines=(SCHOOL, "高等职业教育质量年度报告（2022）", "二〇二一年十二月"),
        toc=False,
        body=(
            h0("学校概述"),
            Para(body_text(50, 3)),
            h1("一", "服务贡献"),
            h2("一", "产教融合：深化校企合作"),
            Para(body_text(51, 5)),
            Para(body_text(52, 5), lead="一是紧盯产业需求。"),
            _LONG_CASE,
            Para("案例之后：" + body_text(53, 2)),
            h2("二", "社会培训：推进提质增效"),
            Para(body_text(54, 2)),
        ),
    )


@pytest.fixture(scope="module", params=["classic", "b5-unbold"])
def long_case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    path = tmp_path_factory.mktemp("case") / f"case-{request.param}.pdf"
    built = build_report(path, _long_case_spec(), STYLES[request.param])
    return Run(built, process_pdf(built.path))


def test_case_box_over_a_page_break_is_one_case(long_case: Run) -> None:
    built = long_case.built
    pages = sorted({p for k, v in built.pages.items() if k.startswith("case3") for p in v})
    assert len(pages) == 2, f"precondition: the box should run over a page break, drawn on {pages}"
    cases = [s for s in long_case.doc.sections if s.kind == "case"]
    assert [(s.number, s.title, s.page, s.page_end) for s in cases] == [("3", _LONG_CASE.title, pages[0], pages[1])]
    assert paragraphs_of(cases[0]) == [squash(p.full) for p in _LONG_CASE.paras]
    enclosing = by_title(long_case.doc, "产教融合：深化校企合作")
    assert paragraphs_of(enclosing) == [
        squash(body_text(51, 5)),
        squash("一是紧盯产业需求。" + body_text(52, 5)),
        squash("案例之后：" + body_text(53, 2)),
    ]
    assert [shape(s) for s in long_case.doc.sections] == [shape(e) for e in built.expected_sections()]
