"""doc_id rules: hostile ids never leave the output folder; collisions never overwrite silently."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.ids import (
    FALLBACK_ID,
    MAX_LEN,
    doc_id_for,
    output_dir,
    place,
    sanitize,
    slug_from_filename,
)

SAFE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
HOSTILE = [
    "../../etc",
    "/abs",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".",
    "...",
    ".hidden",
    "",
    "   ",
    "学校",
    "重庆工业职业技术学院",
    "a/../../b",
    "C:\\Windows",
    "x\x00y",
    "~/home",
    "a" * 500,
    "-.-.-",
    "１２２１５－２０２２",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_sanitize_gives_a_safe_folder_name(raw: str, tmp_path: Path) -> None:
    doc_id = sanitize(raw)
    assert SAFE.fullmatch(doc_id), doc_id
    assert ".." not in doc_id and "/" not in doc_id and "\\" not in doc_id
    assert 0 < len(doc_id) <= MAX_LEN
    assert output_dir(tmp_path, doc_id).parent == tmp_path.resolve()


def test_sanitize_keeps_good_ids_and_maps_full_width_digits() -> None:
    assert sanitize("12215-2022") == "12215-2022"
    assert sanitize("１２２１５－２０２２") == "12215-2022"
    assert sanitize("../../etc") == "etc"
    assert sanitize("..") == FALLBACK_ID
    assert sanitize("学校") == FALLBACK_ID


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "..", ".", "", ".hidden", "a..b", "x" * 200])
def test_output_dir_refuses_unsafe_ids(bad: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        output_dir(tmp_path, bad)


def test_doc_id_from_metadata_else_file_name() -> None:
    assert doc_id_for("12215", 2022, "raw/whatever.pdf") == "12215-2022"
    assert doc_id_for(None, 2022, "raw/cqipc-2022.pdf") == "cqipc-2022"
    assert doc_id_for("../..", 2022, "raw/cqipc-2022.pdf") == "2022"  # the year survives, the dots do not


def test_chinese_file_names_do_not_collapse_to_one_slug() -> None:
    a = slug_from_filename("raw/重庆工业职业技术学院2022年质量报告.pdf")
    b = slug_from_filename("raw/重庆电子工程职业学院2022年质量报告.pdf")
    assert a != b
    assert SAFE.fullmatch(a) and SAFE.fullmatch(b)
    assert a.startswith("2022-")


def _claim(folder: Path, sha: str | None) -> None:
    folder.mkdir(parents=True)
    if sha is not None:
        (folder / "manifest.json").write_text(json.dumps({"input": {"sha256": sha}}), encoding="utf-8")


def test_place_same_input_reuses_its_folder(tmp_path: Path) -> None:
    _claim(tmp_path / "12215-2022", "a" * 64)
    placed = place(tmp_path, "12215-2022", "a" * 64)
    assert placed.doc_id == "12215-2022" and placed.finding is None


def test_place_other_input_gets_hash_suffix_and_finding(tmp_path: Path) -> None:
    _claim(tmp_path / "12215-2022", "a" * 64)
    placed = place(tmp_path, "12215-2022", "b" * 64)
    assert placed.doc_id == "12215-2022-bbbbbbbb"
    assert placed.folder == tmp_path.resolve() / "12215-2022-bbbbbbbb"
    assert placed.finding is not None and placed.finding.code == "doc_id_collision"


def test_place_never_claims_a_folder_without_manifest(tmp_path: Path) -> None:
    _claim(tmp_path / "12215-2022", None)
    assert place(tmp_path, "12215-2022", "c" * 64).doc_id == "12215-2022-cccccccc"


def test_place_lengthens_the_suffix_when_the_short_one_is_taken(tmp_path: Path) -> None:
    sha = "d" * 8 + "e" * 56
    _claim(tmp_path / "x", "a" * 64)
    _claim(tmp_path / "x-dddddddd", "f" * 64)  # same 8-hex prefix, another input
    assert place(tmp_path, "x", sha).doc_id == "x-" + sha[:16]
