"""Heading ordinals, dotted paths and 主题：说明 splits."""

from __future__ import annotations

import pytest

from pipeline.model import Section
from pipeline.normalize.headings import normalize_headings, ordinal, split_title


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("一", 1),
        ("一、", 1),
        ("（三）", 3),
        ("(3)", 3),
        ("三", 3),
        ("2.", 2),
        ("2", 2),
        ("十二", 12),
        ("⑤", 5),
        ("", None),
    ],
)
def test_ordinal(number, expected):
    assert ordinal(number) == expected


def test_split_title():
    assert split_title("立德树人：实施“三为育人”“四大工程”，落实立德树人") == (
        "立德树人",
        "实施“三为育人”“四大工程”，落实立德树人",
    )
    assert split_title("招生改革:持续推进大类招生") == ("招生改革", "持续推进大类招生")
    assert split_title("学生发展") == ("学生发展", None)
    assert split_title("案例“甲：乙”成效") == ("案例“甲：乙”成效", None)  # colon inside quotes
    assert split_title("：无主题") == ("：无主题", None)


def _sec(id_, parent, number, title, kind="heading", level=1):
    return Section(id=id_, parent=parent, kind=kind, level=level, number=number, title=title, page=1, page_end=1)


def test_paths_follow_the_parent_chain():
    sections = [
        _sec("sec-0", None, "", "学校概述"),
        _sec("sec-2", None, "二", "教学改革"),
        _sec("sec-2.3", "sec-2", "（三）", "校企合作：深化产教融合", level=2),
        _sec("sec-2.3.1", "sec-2.3", "1", "订单培养", level=3),
        _sec("case-1", "sec-2.3.1", "1", "案例标题", kind="case", level=None),
    ]
    got = {h.id: h for h in normalize_headings(sections)}
    assert got["sec-2.3.1"].path == "2.3.1" and got["sec-2.3.1"].ordinal == 1
    assert got["sec-2.3"].path == "2.3"
    assert (got["sec-2.3"].topic, got["sec-2.3"].subtitle) == ("校企合作", "深化产教融合")
    assert got["sec-0"].path is None and got["sec-0"].ordinal is None
    assert got["case-1"].path is None and got["case-1"].ordinal == 1
