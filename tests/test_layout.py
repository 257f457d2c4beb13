"""Layout rules on hand-made characters: line grouping, CJK joining, furniture by repetition."""

from __future__ import annotations

from pipeline.furniture import PAGE_NUMBER, find_furniture
from pipeline.lines import group_lines
from pipeline.load import Char
from pipeline.paragraphs import continues
from pipeline.settings import DEFAULT_SETTINGS
from pipeline.text import join_wrapped, tidy


def chars(text: str, x0: float, top: float, size: float = 12.0, bold: bool = False) -> list[Char]:
    out, x = [], x0
    for ch in text:
        w = size if ord(ch) > 0x2E80 else size / 2
        out.append(Char(ch, x, x + w, top, top + size, size, "Noto", bold))
        x += w
    return out


def test_lines_group_by_vertical_overlap_and_keep_latin_spaces() -> None:
    cs = chars("学校创建于 1956 年，", 90, 100) + chars("第二行", 90, 122) + chars("Vlog 大赛", 300, 101)
    lines = group_lines(1, cs)
    assert [ln.text for ln in lines] == ["学校创建于 1956 年， Vlog 大赛", "第二行"]
    assert lines[0].gaps, "a wide gap between two runs on one line is recorded as column-like"


def test_spaces_between_cjk_removed_others_kept() -> None:
    assert tidy("重庆 工业  学院 1+X 证书 Vlog 大赛") == "重庆工业学院 1+X 证书 Vlog 大赛"
    assert join_wrapped(["创新“三为育人”", "培养模式"]) == "创新“三为育人”培养模式"
    assert join_wrapped(["the quick", "brown fox"]) == "the quick brown fox"


def test_page_number_forms() -> None:
    for s, n in [("3", "3"), ("- 12 -", "12"), ("—7—", "7"), ("第 5 页", "5"), ("5 / 60", "5"), ("iv", "iv")]:
        m = PAGE_NUMBER.match(s.replace(" ", ""))
        assert m and m.group(1) == n, s
    for s in ["2021年", "表1", "第十九届"]:
        assert PAGE_NUMBER.match(s) is None, s


def test_running_header_found_by_repetition_not_position() -> None:
    pages = []
    for n in range(1, 7):
        cs = chars("某某职业学院质量年度报告", 150, 40, 9) + chars("正文内容第" + str(n) + "页。", 90, 100)
        cs += chars(str(n), 290, 790)
        pages.append(group_lines(n, cs))
    headers, footers = find_furniture(pages, [842.0] * 6)
    assert headers == {"某某职业学院质量年度报告"}
    assert footers == set()  # page numbers are recognised by their form, not as repeated text


def test_short_documents_have_no_running_furniture() -> None:
    short = DEFAULT_SETTINGS.layout.furniture_min_pages - 1
    pages = [group_lines(n, chars("同一标题", 90, 40)) for n in range(1, short + 1)]
    assert find_furniture(pages, [842.0] * short) == (set(), set())
    longer = [*pages, group_lines(short + 1, chars("同一标题", 90, 40))]
    assert find_furniture(longer, [842.0] * (short + 1)) == ({"同一标题"}, set())


def test_paragraph_continuation_rules() -> None:
    first, second, indented, short = (
        group_lines(1, chars("甲" * 34, 114, 100))[0],
        group_lines(1, chars("乙" * 35, 90, 122))[0],
        group_lines(1, chars("丙" * 33, 114, 144))[0],
        group_lines(1, chars("丁" * 5, 90, 166))[0],
    )
    right = 90 + 35 * 12
    assert continues(first, second, right)
    assert not continues(second, indented, right), "a first-line indent starts a new paragraph"
    assert not continues(short, second, right), "a line that stops short ends its paragraph"


def test_bold_faces_by_name_including_cjk_display_faces() -> None:
    from pipeline.load import font_is_bold, font_name

    assert font_name("BCDEEE+#BA#DA#CC#E5") == "黑体"
    assert font_is_bold("BCDEEE+#BA#DA#CC#E5")  # 黑体 (SimHei) headings
    assert font_is_bold("ABCDEF+MicrosoftYaHei")
    assert font_is_bold("BAAAAA+NotoSansCJKjp-Bold-VKana")
    assert font_is_bold("STSongStd-Light,Bold")
    assert not font_is_bold("BCDEEE+#CB#CE#CC#E5")  # 宋体
    assert not font_is_bold("EAAAAA+NotoSerifCJKjp-Regular-VKana")
    assert not font_is_bold("FangSong_GB2312")
