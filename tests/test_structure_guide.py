"""The TOC as a guide (pipeline/structure/guide.py): an entry's line found where the TOC says."""

from __future__ import annotations

from pipeline.layout import Line, PageLayout
from pipeline.model import TocEntry
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.structure.guide import find_entry, promotions

from .test_structure_fold import body_page

CFG = DEFAULT_SETTINGS.structure
BODY = 12.0


def ln(text: str, top: float, page: int = 5, **kw: object) -> Line:
    return Line(page=page, x0=90, x1=505, top=top, bottom=top + BODY, text=text, size=BODY, bold=False, **kw)  # type: ignore[arg-type]


def page(number: int, texts: list[str], **kw: object) -> PageLayout:
    return body_page(number, [ln(t, 100 + 20 * k, page=number, **kw) for k, t in enumerate(texts)])


def entry(text: str, physical: int) -> TocEntry:
    return TocEntry(
        text=text, level=2, number="", title=text, page_label=str(physical - 3), page=physical, entry_page=2
    )


def test_find_entry_joins_a_wrapped_line_and_needs_the_whole_text() -> None:
    lines = [ln("上一段。", 100), ln("（一）深化产教融合，推动校企", 120), ln("双元育人", 140), ln("正文开始。", 160)]
    assert find_entry("（一）深化产教融合，推动校企双元育人", lines, CFG) == (1, 2)
    assert find_entry("（一）深化产教融合", lines, CFG) is None  # the line says more than the entry
    assert find_entry("（二）别的标题", lines, CFG) is None


def test_rows_and_boxes_are_never_promoted() -> None:
    assert find_entry("（一）予以公开", [ln("（一）予以公开", 100, in_table=True)], CFG) is None
    assert find_entry("（一）活动背景", [ln("（一）活动背景", 100, box=0)], CFG) is None


def test_promotions_search_the_named_page_then_either_side() -> None:
    pages = [page(5, ["正文。"]), page(6, ["（二）师资队伍", "正文。"]), page(7, ["（三）国际合作"])]
    got = promotions([entry("（二）师资队伍", 5), entry("（三）国际合作", 7), entry("（四）无处可寻", 6)], pages, CFG)
    assert got == {(6, 0): 1, (7, 0): 1}  # one page off is found; a text printed nowhere is not
    far = promotions([entry("（三）国际合作", 5)], pages, CFG)
    assert far == {}  # two pages off: beyond toc_guide_pages
