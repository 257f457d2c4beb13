"""Paragraph rules one at a time (pipeline/paragraphs.py, pipeline/text.py), on hand-made lines.

Geometry as printed by the synthetic reports: A4, text column x 96…499, body 12 pt, first-line
indent two characters (x 120), leading 18.6 pt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.layout import Layout, Line, PageLayout, build_layout
from pipeline.load import load_pdf
from pipeline.paragraphs import ColumnEdges, block_shifts, continues, shared_blocks
from pipeline.process import process_pdf
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.text import join_wrapped, nfkc_squash, tidy

from .pdfgen_conventions import BULLETIN, Conventions, build_conventions
from .pdfgen_report import STYLES

LEFT, RIGHT, SIZE = 96.0, 499.3, 12.0


def line(text: str, x0: float = LEFT, x1: float = RIGHT, top: float = 100.0, page: int = 5, **kw: object) -> Line:
    return Line(page=page, x0=x0, x1=x1, top=top, bottom=top + SIZE, text=text, size=SIZE, bold=False, **kw)  # type: ignore[arg-type]


def test_full_line_then_flush_left_line_continues() -> None:
    first = line("学校坚持以习近平新时代中国特色社会主义思想为指导", x0=120)
    assert continues(first, line("全面贯彻", top=118.6), RIGHT)


def test_indented_line_starts_a_new_paragraph() -> None:
    assert not continues(line("……落实立德树人根本任务。"), line("学校是国家首批", x0=120, top=118.6), RIGHT)


def test_short_last_line_ends_the_paragraph() -> None:
    assert not continues(line("位一体的育人体系。", x1=228.0), line("第二段文字", top=118.6), RIGHT)


def test_paragraph_continues_over_a_page_break() -> None:
    prev = line("……推动专业链与产业链深度", top=741.0, page=5)
    nxt = line("对接。", x1=132.0, top=81.0, page=6)
    assert continues(prev, nxt, RIGHT)


def test_no_continuation_into_or_out_of_a_box() -> None:
    assert not continues(line("……四大工程"), line("第8段：构建课程思政", x0=104, top=118.6, box=0), RIGHT)
    assert not continues(line("……全方位育人；完", x0=104, box=0), line("善教学质量", top=150.0), RIGHT)


def test_no_continuation_across_a_font_size_change() -> None:
    prev = line("……深度对接")
    nxt = Line(page=5, x0=LEFT, x1=300, top=118.6, bottom=132.6, text="（二）校园文化", size=14.0, bold=True)
    assert not continues(prev, nxt, RIGHT)


def test_ragged_line_continues_when_the_next_word_would_not_have_fitted() -> None:
    """'…年培训规模达到' stops 32 pt short because '15000 ' (30 pt) did not fit: same paragraph.

    Ragged-right text (left-aligned Word, WPS, reportlab) ends lines short before a Latin word or
    a number that does not fit; the gap is narrower than the word that starts the next line.
    """
    prev = line("第19段：面向行业企业开展技术服务和职业培训，年培训规模达到", x0=120, x1=467.0)
    nxt = line("15000 人日；学校积极拓展国际交流与合作，与德国、新加坡等国家的院校开", x1=498.0, top=118.6)
    assert continues(prev, nxt, RIGHT)


JOINS = [
    (["学校坚持以习近平新时代中国特色", "社会主义思想为指导"], "学校坚持以习近平新时代中国特色社会主义思想为指导"),
    (["深入推进 1+X 证书制度试点，全年", "共有 1200 余名学生"], "深入推进 1+X 证书制度试点，全年共有 1200 余名学生"),
    (["参加 Vlog 大赛和 Python", "programming 竞赛"], "参加 Vlog 大赛和 Python programming 竞赛"),
    (["落实立德树人根本任务；围", "绕区域先进制造业"], "落实立德树人根本任务；围绕区域先进制造业"),
]


@pytest.mark.parametrize(("lines", "joined"), JOINS)
def test_join_wrapped(lines: list[str], joined: str) -> None:
    assert join_wrapped(lines) == joined


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("重 庆 工 业", "重庆工业"),
        ("学校创建于 1956 年", "学校创建于 1956 年"),
        ("1+X  证书", "1+X 证书"),
        ("（ 一 ）立德树人", "（一）立德树人"),
        ("Vlog 创作", "Vlog 创作"),
    ],
)
def test_tidy(text: str, tidied: str) -> None:
    assert tidy(text) == tidied


def test_paragraph_continues_over_a_break_between_mirrored_pages() -> None:
    """Even pages sit 24 pt further right: the next page's flush-left line is not an indent, and
    the last line of the previous page ran to that page's own edge."""
    shift = 24.0
    edges = ColumnEdges({595: RIGHT + shift}, {}, {5: LEFT, 6: LEFT + shift}, {5: -shift})
    prev = line("……推动专业链与产业链深度", top=741.0, page=5)
    nxt = line("对接。", x0=LEFT + shift, x1=150.0, top=81.0, page=6)
    assert not continues(prev, nxt, RIGHT + shift)  # without the pages' edges: an indented short break
    assert continues(prev, nxt, RIGHT + shift, edges=edges)
    indented = line("新段落开始", x0=LEFT + shift + 2 * SIZE, top=81.0, page=6)
    assert not continues(prev, indented, RIGHT + shift, edges=edges)  # a real indent still starts a paragraph


def test_block_shifts_only_where_both_edges_move() -> None:
    def page(n: int) -> PageLayout:
        return PageLayout(n, 595.0, 842.0, [], [], None, [], [], [])

    layout = Layout(loaded=None, pages=[page(n) for n in range(1, 5)], body_size=SIZE)  # type: ignore[arg-type]
    column = {595: RIGHT + 24}
    lefts = {1: LEFT + 24, 2: LEFT, 3: LEFT + 24, 4: LEFT + 36}
    rights = {1: RIGHT + 24, 2: RIGHT, 3: RIGHT + 24, 4: RIGHT + 24}
    # page 2's whole block moved left; page 4 only indents its left edge (a wider left margin)
    assert block_shifts(column, lefts, rights, layout, DEFAULT_SETTINGS) == {2: -24.0}


def test_a_page_too_short_to_measure_shares_the_block_of_the_nearest_page_at_its_left_edge() -> None:
    """Pages 4 and 6 are measured; page 5 holds a paragraph's last ragged lines only. Its lines
    start where page 4's do (the block moved 24 pt left there), so page 4's right edge is its own;
    a page starting elsewhere, or with a line past that edge, is left to the column."""

    def page(n: int) -> PageLayout:
        return PageLayout(n, 595.0, 842.0, [], [], None, [], [], [])

    layout = Layout(loaded=None, pages=[page(n) for n in range(1, 8)], body_size=SIZE)  # type: ignore[arg-type]
    edges = ColumnEdges(
        {595: RIGHT + 24}, {}, {4: LEFT, 6: LEFT + 24}, {4: -24.0}, widths=dict.fromkeys(range(1, 8), 595)
    )
    ragged = [(LEFT, RIGHT - 8), (LEFT, RIGHT - 5), (LEFT, RIGHT - 11), (LEFT, 250.0)]
    ends = {5: ragged, 7: [(LEFT + 10, RIGHT - 8)], 3: [(LEFT, RIGHT + 20)]}
    assert shared_blocks(edges, ends, layout, DEFAULT_SETTINGS) == {5: pytest.approx(RIGHT)}
    edges.rights.update(shared_blocks(edges, ends, layout, DEFAULT_SETTINGS))
    assert continues(line("……深度", x1=RIGHT - 8, page=5), line("对接。", x1=150, top=118.6), RIGHT, edges=edges)


def test_a_one_line_paragraph_then_an_indented_line_splits_on_a_ruled_page() -> None:
    """Every line of the page a one-line paragraph at the first-line indent, ending 2 em short of
    the text block: the lines' own edges are the indent and the sentence ends, the header rule
    (ColumnEdges.ruled) is the page's text block; against it both lines are first lines."""
    prev = line("全市经济运行总体平稳，结构持续优化，发展质量稳步提升。", x0=120, x1=RIGHT - 2 * SIZE)
    nxt = line("农业生产形势较好，工业生产稳步回升，居民收入继续增加。", x0=120, x1=RIGHT - 2 * SIZE, top=118.6)
    measured = ColumnEdges(column={595: RIGHT - 2 * SIZE}, boxes={})
    assert continues(prev, nxt, measured.page_right(5, 595), edges=measured)  # the lines alone cannot tell
    ruled = ColumnEdges(column={595: RIGHT - 2 * SIZE}, boxes={}, ruled={5: (LEFT, RIGHT)})
    assert ruled.page_right(5, 595) == RIGHT
    assert not continues(prev, nxt, ruled.page_right(5, 595), edges=ruled)
    # a paragraph's own next line, flush with the text block, still continues it
    assert continues(line("……", x0=120), line("全面贯彻", top=118.6), ruled.page_right(5, 595), edges=ruled)


@pytest.mark.parametrize("style", ["letter", "classic", "b5-unbold"])
def test_one_line_paragraphs_of_a_bulletin_stay_apart(tmp_path: Path, style: str) -> None:
    """A statistical bulletin whose paragraphs each fit one line (in the letter style every body
    line is a first line): each printed paragraph comes out as a paragraph of its own."""
    built = build_conventions(tmp_path / "bulletin.pdf", Conventions.of(), STYLES[style], wording=BULLETIN)
    got = [nfkc_squash(p.text) for p in process_pdf(built.path).paragraphs]
    assert [p for p in map(nfkc_squash, built.paragraphs) if p not in got] == []
    ruled = ColumnEdges.of(build_layout(load_pdf(built.path))).ruled
    assert bool(ruled) is (style == "letter")  # only where no line shows the text block's left edge
