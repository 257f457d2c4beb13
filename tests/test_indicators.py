"""Annex indicators in long form: two colleges' tables line up under the catalog's codes."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from pipeline.model import Document, Metadata, Source, Span, Table
from pipeline.normalize.catalog import load_catalog, name_key
from pipeline.normalize.indicators import INDICATOR_COLUMNS, indicator_rows, recognize_table
from tests.paths import TRUTH

CODE, SCHOOL = "12215", "重庆工业职业技术学院"


def _doc(doc_id, tables, code=CODE, school=SCHOOL):
    return Document(
        doc_id=doc_id,
        pipeline_version="test",
        source=Source(path="x.pdf", sha256="0", pages=1, size_bytes=1),
        metadata=Metadata(school=school, school_code=code, report_year=2022),
        tables=tables,
    )


def _annex(id_, caption, header, rows, spans=()):
    return Table(
        id=id_, kind="annex", number=None, caption=caption, section=None, pages=[64], header=header, rows=rows,
        spans=list(spans),
    )  # fmt: skip


def _scorecard(caption, names, periods=("2020 年", "2021 年"), code=CODE, school=SCHOOL):
    header = [["院校代码", "院校名称", "指标", "指标", "单位", *periods, "备注"]]
    rows = [[code, school, str(i), n, u, a, b, ""] for i, (n, u, a, b) in enumerate(names, 1)]
    return _annex("annex-1", caption, header, rows)


def _feedback(caption, item, course, counts, sat, code=CODE, school=SCHOOL):
    """学生反馈表 rows as the model holds them: merged cells repeated in every covered cell."""
    header = [["院校代码", "院校名称", "指标", "指标", "指标", "单位", "2020 级", "2021 级", "备注"]]
    r = [
        ["1", item, item, "人", "6411", "6074", ""],
        ["3", "课程教学满意度—", "课程教学满意度—", "", "", "", ""],
        ["3", course, counts, "课次", "10", "12", ""],
        ["3", course, sat, "%", "98.9", "99.2", ""],
    ]
    return _annex("annex-2", caption, header, [[code, school, *row] for row in r])


TEMPLATE = [
    ("就业率", "%", "93.57", "96.47"),
    ("月收入", "元", "4134", "4246"),
    ("母校满意度", "%", "97.80", "98.25"),
    ("毕业三年晋升比例", "%", "93.57", "93.65"),
    ("毕业生本省就业比例", "%", "79.56", "84.65"),
]
RENAMED = [
    ("毕业生就业率", "%", "91.2", "92.0"),  # alias
    ("毕业生月收入", "元", "3900", "4000"),  # alias
    ("毕业生对母校满意度（%）", "%", "95", "96"),  # alias plus a bracketed unit
    ("毕业三年职位晋升比例", "%", "60", "61"),  # an older template's wording
    ("毕业生本省就业比率", "%", "70", "71"),  # a typo: fuzzy
    ("校园文化活动次数", "次", "12", "13"),  # not in the template: unmatched, not guessed
]


def test_two_reports_line_up_under_the_same_codes():
    a = _doc("12215-2022", [_scorecard("表1 计分卡", TEMPLATE), _feedback("表2 学生反馈表", "全日制在校生人数",
             "(1) 思想政治课教学", "调研课次", "满意度")])  # fmt: skip
    # The second report: other captions, table order reversed, renamed rows, 年度 periods.
    b = _doc(
        "99999-2022",
        [
            _feedback(
                "", "全日制在校学生人数", "（1）思政课教学", "调查课次", "满意率", code="99999", school="某职业学院"
            ),
            _scorecard("附表 1：计分卡", RENAMED, ("2020年度", "2021年度"), code="99999", school="某职业学院"),
        ],
        code="99999",
        school="某职业学院",
    )
    rows_a, rows_b = indicator_rows(a), indicator_rows(b)
    codes = lambda rows: [(r["code"], r["unit"]) for r in rows if r["period"] in ("2021年", "2021级", "2021年度")]  # noqa: E731
    assert codes(rows_a) == [
        ("SC01", "%"), ("SC03", "元"), ("SC05", "%"), ("SC08", "%"), ("SC02", "%"),
        ("FB01", "人"), ("FB03.1.N", "课次"), ("FB03.1.S", "%"),
    ]  # fmt: skip
    assert codes(rows_b) == [
        ("FB01", "人"), ("FB03.1.N", "课次"), ("FB03.1.S", "%"),
        ("SC01", "%"), ("SC03", "元"), ("SC05", "%"), ("SC08", "%"), ("SC02", "%"), (None, "次"),
    ]  # fmt: skip
    by = {(r["code"], r["period"]): r for r in rows_b}
    assert by[("SC02", "2020年度")]["match"] == "fuzzy" and 0.85 <= by[("SC02", "2020年度")]["match_score"] < 1
    assert by[("SC01", "2021年度")]["match"] == "alias" and by[("SC01", "2021年度")]["value"] == 92.0
    assert by[("FB03.1.S", "2021级")]["indicator_path"] == "3 / 课程教学满意度 / （1）思政课教学 / 满意率"
    assert by[("FB01", "2020级")]["school_code"] == "99999"
    unmatched = [r for r in rows_b if r["code"] is None]
    assert {r["match"] for r in unmatched} == {"unmatched"} and unmatched[0]["indicator"] == "校园文化活动次数"
    assert all(set(r) == set(INDICATOR_COLUMNS) for r in rows_a + rows_b)


def test_tables_are_recognised_by_caption_or_names_not_order():
    fb = _feedback("", "全日制在校生人数", "(1) 思想政治课教学", "调研课次", "满意度")
    assert recognize_table(fb) == "feedback"  # by names: no caption
    assert recognize_table(_scorecard("表1 计分卡", TEMPLATE[:1])) == "scorecard"
    assert recognize_table(_scorecard("表 6：落实政策表", TEMPLATE[:1])) == "policy"  # the caption wins
    assert recognize_table(_scorecard("", [("未知指标", "个", "1", "2")])) is None


def test_sub_rows_attach_to_the_row_above():
    header = [["院校代码", "院校名称", "指标", "指标", "单位", "2020年", "2021年"]]
    rows = [
        [CODE, SCHOOL, "4", "生均企业实习经费补贴", "元", "2600", "2650"],
        [CODE, SCHOOL, "4", "其中：生均财政专项补贴", "元", "0", "0"],
        [CODE, SCHOOL, "5", "生均企业实习责任保险补贴", "元", "23.5", "28.0"],
        [CODE, SCHOOL, "5", "其中：生均财政专项补贴", "元", "—", "1"],
        [CODE, SCHOOL, "6", "企业提供的校内实践教学设备值", "万元", "681.64", "2107.47"],
    ]
    out = indicator_rows(_doc("d", [_annex("annex-6", "表6 落实政策表", header, rows)]))
    got = [(r["code"], r["period"], r["kind"], r["value"], r["unit"], r["printed_unit"]) for r in out]
    assert ("PO04.1", "2020年", "number", 0, "元", "元") in got
    assert ("PO05.1", "2020年", "null", None, "元", "元") in got  # a dash is a row with no value
    assert ("PO03", "2021年", "number", 21_074_700, "元", "万元") in got


def test_free_text_cells_are_kept_whole():
    header = [["院校代码", "院校名称", "指标", "指标", "单位", "2020年", "2021年", "备注"]]
    text = "主要办学经费来源（单选）：省级财政（√） 地市级财政（ ）"
    rows = [
        [CODE, SCHOOL, "1", "全日制在校生人数", "人", "15193", "17459", "含扩招"],
        [CODE, SCHOOL, text, text, text, text, text, text],
    ]
    out = indicator_rows(_doc("d", [_annex("annex-5", "表5 服务贡献表", header, rows)]))
    assert out[0]["note"] == "含扩招"
    free = out[-1]
    assert (free["code"], free["kind"], free["period"]) == ("SV12", "text", None)
    assert free["value_text"] == "主要办学经费来源（单选）：省级财政（√）地市级财政（）"


def test_catalog_codes_are_unique_and_names_resolve_to_themselves():
    cat = load_catalog()
    assert len({i.code for i in cat.indicators}) == len(cat.indicators)
    for ind in cat.indicators:
        assert cat.lookup(ind.table, ind.name, ind.parent).code == ind.code, ind.code
    assert name_key("(1) 课堂育人") == name_key("课堂育人")
    assert name_key("其中：就业人数") == name_key("就业人数")


# ---- the real report's annex ------------------------------------------------------------------

_NUMERIC = re.compile(r"^\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?$")
_BASE = {"万元": ("元", 10_000), "项/项": ("项", 1), "—": (None, 1)}


@pytest.fixture(scope="module")
def truth_annex():
    if not TRUTH.exists():
        pytest.skip("shared corpus truth file not available")
    data = json.loads(TRUTH.read_text(encoding="utf-8"))
    tables = [
        _annex(t["id"], t["caption"], t["header"], t["rows"], [Span(**s) for s in t["spans"]])
        for t in data["tables"]
        if t["kind"] == "annex"
    ]
    return tables, indicator_rows(_doc("12215-2022", tables))


def test_every_numeric_truth_value_has_its_unit_and_period(truth_annex):
    tables, rows = truth_annex
    by_cell = {(r["table_id"], r["row"], r["col"]): r for r in rows if r["col"] is not None}
    checked = 0
    for t in tables:
        names = t.header[-1]
        unit_col = names.index("单位")
        for r, row in enumerate(t.rows):
            for c, name in enumerate(names):
                if not re.fullmatch(r"\d{4}\s*[年级]", name) or not _NUMERIC.match(row[c]):
                    continue
                got = by_cell[(t.id, r, c)]
                unit, scale = _BASE.get(row[unit_col], (row[unit_col], 1))
                first = row[c].split("/")[0]
                assert got["period"] == name.replace(" ", ""), (t.id, r, c)
                assert got["unit"] == unit, (t.id, r, c)
                assert Decimal(str(got["value"])) == Decimal(first) * scale, (t.id, r, c)
                assert got["code"] is not None, (t.id, r, got["indicator_path"])
                checked += 1
    assert checked == 158  # every numeric value of the six annex tables


def test_truth_annex_rows_all_match_the_catalog(truth_annex):
    _, rows = truth_annex
    assert {r["match"] for r in rows} <= {"exact", "alias"}
    assert {r["table"] for r in rows} == {
        "计分卡",
        "学生反馈表",
        "教学资源表",
        "国际影响表",
        "服务贡献表",
        "落实政策表",
    }
    clubs = [r for r in rows if r["code"] == "FB06.2"]
    assert len(clubs) == 2 and all(r["kind"] == "text" and r["value_text"].startswith("总人数") for r in clubs)
