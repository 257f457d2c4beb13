"""Emit stage: the files and manifest of one document, written atomically."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

from pipeline import emit
from pipeline.emit import write_outputs
from pipeline.model import Document, Section, Source, Table, ValidationSummary
from pipeline.validate import ValidationRun


def make_doc(
    sha: str = "a" * 64, title: str = "学生发展", doc_id: str = "12215-2022", path: str = "raw/x.pdf"
) -> Document:
    sections = [
        Section(id="s1", parent=None, kind="heading", level=1, number="", title="学校概述", page=3, page_end=3,
                text="学校创办于1951年。\n现有学生1.2万人。"),
        Section(id="s2", parent=None, kind="heading", level=1, number="一", title=title, page=4, page_end=6,
                text='含"引号",和逗号'),
        Section(id="s3", parent="s2", kind="heading", level=2, number="一", title="立德树人", page=4, page_end=5),
    ]  # fmt: skip
    source = Source(path=path, sha256=sha, pages=6, size_bytes=1234)
    return Document(doc_id=doc_id, pipeline_version="0.1.0", source=source, sections=sections)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_document_sections_and_manifest(tmp_path: Path) -> None:
    folder = write_outputs(make_doc(), tmp_path, {"load": 1.5, "structure": 0.25})
    assert folder == tmp_path.resolve() / "12215-2022"
    assert set(snapshot(folder)) == {"document.json", "sections.csv", "indicators.csv", "facts.csv", "manifest.json"}

    raw = (folder / "document.json").read_text(encoding="utf-8")
    assert "学生发展" in raw  # ensure_ascii=False
    doc = Document.load(json.loads(raw))
    assert doc.doc_id == "12215-2022" and [s.title for s in doc.sections] == ["学校概述", "学生发展", "立德树人"]

    data = (folder / "sections.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == ["section_id", "parent_id", "kind", "level", "number", "title", "page", "page_end", "text"]
    assert rows[1] == ["s1", "", "heading", "1", "", "学校概述", "3", "3", "学校创办于1951年。\n现有学生1.2万人。"]
    assert rows[2][-1] == '含"引号",和逗号' and rows[3][1] == "s2"


def test_manifest_hashes_match_the_files(tmp_path: Path) -> None:
    folder = write_outputs(make_doc(), tmp_path, {"load": 1.5})
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = snapshot(folder)
    del files["manifest.json"]
    assert set(manifest["files"]) == set(files)
    for rel, data in files.items():
        assert manifest["files"][rel] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert manifest["input"]["sha256"] == "a" * 64
    assert manifest["schema_version"] == 1 and manifest["pipeline_version"]
    assert manifest["timings"]["load"] == 1.5 and manifest["timings"]["emit"] >= 0
    assert manifest["created"].endswith("+00:00")


def test_rerun_of_same_input_replaces_its_folder(tmp_path: Path) -> None:
    write_outputs(make_doc(title="旧"), tmp_path)
    folder = write_outputs(make_doc(title="新"), tmp_path)
    assert "新" in (folder / "document.json").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["12215-2022"]  # nothing set aside remains


def test_other_input_with_same_doc_id_does_not_overwrite(tmp_path: Path) -> None:
    first = write_outputs(make_doc(sha="a" * 64), tmp_path)
    before = snapshot(first)
    second = write_outputs(make_doc(sha="b" * 64, path="raw/y.pdf"), tmp_path)
    assert second.name == "12215-2022-bbbbbbbb"
    assert snapshot(first) == before
    doc = Document.load(json.loads((second / "document.json").read_text(encoding="utf-8")))
    assert doc.doc_id == "12215-2022-bbbbbbbb"
    assert [f.code for f in doc.findings] == ["doc_id_collision"]


def test_new_version_of_the_same_file_replaces_its_folder(tmp_path: Path) -> None:
    first = write_outputs(make_doc(sha="a" * 64, title="旧"), tmp_path)
    second = write_outputs(make_doc(sha="b" * 64, title="新"), tmp_path)  # same source path, new bytes
    assert second == first and sorted(p.name for p in tmp_path.iterdir()) == ["12215-2022"]
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input"]["sha256"] == "b" * 64


def test_hostile_doc_id_stays_inside_the_output_root(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = write_outputs(make_doc(doc_id="../../escape"), out)
    assert folder.parent == out.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_crash_mid_write_keeps_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_outputs(make_doc(title="旧"), tmp_path)
    before = snapshot(folder)
    real_write = emit._write_file
    calls = []

    def failing_write(path: Path, data: bytes | Iterable[bytes]) -> emit.FileEntry:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write(path, data)

    monkeypatch.setattr(emit, "_write_file", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(make_doc(title="新"), tmp_path)
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["12215-2022"]


def test_failed_swap_puts_previous_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_outputs(make_doc(title="旧"), tmp_path)
    before = snapshot(folder)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".tmp-"):
            raise OSError("rename failed")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="rename failed"):
        write_outputs(make_doc(title="新"), tmp_path)
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["12215-2022"]


def test_killed_process_leaves_no_half_document(tmp_path: Path) -> None:
    """A hard kill (no cleanup runs) mid-write: the old output stays, the next write clears the leftovers."""
    folder = write_outputs(make_doc(title="旧"), tmp_path)
    before = snapshot(folder)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pipeline import emit
        from test_emit import make_doc
        real = emit._write_file
        def dying(path, data):
            data = data if isinstance(data, bytes) else b"".join(data)
            real(path, data[: len(data) // 2])
            os._exit(9)
        emit._write_file = dying
        emit.write_outputs(make_doc(title="新"), {str(tmp_path)!r})
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    assert snapshot(folder) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "12215-2022"]
    assert leftovers and all(name.startswith(".tmp-12215-2022-") for name in leftovers)

    write_outputs(make_doc(title="新"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["12215-2022"]
    assert "新" in (folder / "document.json").read_text(encoding="utf-8")


def validation_run(doc: Document, docs: dict[str, bytes]) -> ValidationRun:
    summary = ValidationSummary(evaluated=1, passed=1, suites={"nianbao.structure": "1"}, run_id="r1")
    doc = doc.model_copy(update={"validation": summary})
    return ValidationRun(doc, summary, ({"rule": "x", "success": True},), docs, "1.24.1", 0.5)


def test_stage_files_come_from_the_values_given(tmp_path: Path) -> None:
    doc = make_doc().model_copy(
        update={"tables": [Table(id="body-1", kind="body", number="1", caption="表 1", section="s1", pages=[3],
                                 header=[["列1", "列2"]], rows=[["1", "2"]])]}
    )  # fmt: skip
    folder = write_outputs(doc, tmp_path)
    assert (folder / "tables" / "body-1.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (folder / "validation.json").exists() and not (folder / "data_docs").exists()

    run = validation_run(doc, {"data_docs/index.html": b"<html/>"})
    folder = write_outputs(run.document, tmp_path, validation=run)
    body = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    assert (body["doc_id"], body["run_id"]) == (folder.name, "r1")
    assert body["expectations"] == [{"rule": "x", "success": True}]
    assert (folder / "data_docs" / "index.html").read_bytes() == b"<html/>"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {"tables/body-1.csv", "validation.json", "data_docs/index.html"} <= set(manifest["files"])


@pytest.mark.parametrize("rel", ["../evil.csv", "/abs.csv", "a/../../b", ".hidden", "manifest.json", "a\\b.csv", ""])
def test_unsafe_file_names_are_refused(rel: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_outputs(make_doc(), tmp_path, validation=validation_run(make_doc(), {rel: b"x"}))
    assert list(tmp_path.iterdir()) == []
